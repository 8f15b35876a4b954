/*
 * html: the document model as one self-contained HTML page: no script, no
 * external resource, and a Content-Security-Policy that would refuse them
 * anyway (default-src 'none'; the one inline stylesheet is allowed by its
 * SHA-256 hash, computed here so the two cannot drift apart).  All text is
 * entity-escaped; links are only the vetted ones the model holds.
 */
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "render.h"
#include "sha256.h"

static const char stylesheet[] =
"body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",sans-serif;"
"color:#1b1f24;background:#fff;margin:0}"
"main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem}"
"article+article{border-top:3px solid #d0d7de;margin-top:2rem}"
"h1{font-size:1.5rem;margin:1rem 0 .5rem}"
"h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;margin:1.5rem 0 .5rem}"
"h3{font-size:1.05rem;margin:1rem 0 .4rem}"
"p,li,td{white-space:pre-wrap;overflow-wrap:anywhere}"
"table{border-collapse:collapse;margin:.5rem 0;width:100%}"
"th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;"
"vertical-align:top}"
"th{background:#f6f8fa}"
"code{font:13px ui-monospace,Consolas,monospace;background:#f6f8fa;"
"padding:0 .2rem}"
"pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;"
"white-space:pre-wrap;overflow-wrap:anywhere}"
"pre code{padding:0}"
".sev{font-weight:700;padding:0 .35rem;border-radius:3px}"
".sev-critical{background:#82071e;color:#fff}"
".sev-high{background:#cf222e;color:#fff}"
".sev-medium{background:#bf8700;color:#fff}"
".sev-low{background:#0969da;color:#fff}"
".sev-informational{background:#6e7781;color:#fff}"
"footer{color:#57606a;font-size:.9rem;border-top:1px solid #d0d7de;"
"margin-top:1.5rem}";

static void
html_text(struct buf *out, const char *s, size_t n)
{
	esc_html(out, s, n, ESC_NL_KEEP);
}

static void
html_span(struct buf *out, const struct span *sp, size_t len)
{
	char cls[32];
	size_t i;

	switch (sp->kind) {
	case SPAN_TEXT:
		html_text(out, sp->text, len);
		break;
	case SPAN_STRONG:
		buf_adds(out, "<strong>");
		html_text(out, sp->text, len);
		buf_adds(out, "</strong>");
		break;
	case SPAN_EM:
		buf_adds(out, "<em>");
		html_text(out, sp->text, len);
		buf_adds(out, "</em>");
		break;
	case SPAN_CODE:
		buf_adds(out, "<code>");
		esc_html(out, sp->text, len, 0);
		buf_adds(out, "</code>");
		break;
	case SPAN_LINK:
		buf_adds(out, "<a href=\"");
		esc_html(out, sp->url, strlen(sp->url), 0);
		buf_adds(out, "\" rel=\"noopener noreferrer\">");
		html_text(out, sp->text, len);
		buf_adds(out, "</a>");
		break;
	case SPAN_SEV:
		/* The severity words are ours (canonical), so the class is. */
		snprintf(cls, sizeof(cls), "%s", sp->text);
		for (i = 0; cls[i] != '\0'; i++)
			if (cls[i] >= 'A' && cls[i] <= 'Z')
				cls[i] = (char)(cls[i] - 'A' + 'a');
			else if (!(cls[i] >= 'a' && cls[i] <= 'z'))
				cls[i] = '-';
		buf_printf(out, "<span class=\"sev sev-%s\">", cls);
		html_text(out, sp->text, len);
		buf_adds(out, "</span>");
		break;
	}
}

static void
html_inline(struct buf *out, const struct inl *in, size_t max)
{
	size_t i, cut, bytes, rest;
	struct buf m;

	inl_plan(in, max, &cut, &bytes, &rest);
	for (i = 0; i < in->n && i <= cut; i++) {
		if (i < cut)
			html_span(out, &in->v[i], strlen(in->v[i].text));
		else if (bytes > 0)
			html_span(out, &in->v[i], bytes);
	}
	if (rest > 0) {
		buf_init(&m);
		cut_marker(&m, rest);
		buf_adds(out, "<em>");
		html_text(out, buf_str(&m), m.len);
		buf_adds(out, "</em>");
		buf_release(&m);
	}
}

static void
html_block(struct buf *out, const struct block *b)
{
	size_t i, r, k, rows;

	switch (b->kind) {
	case BLOCK_PARA:
		buf_adds(out, "<p>");
		html_inline(out, b->items[0], 0);
		buf_adds(out, "</p>\n");
		break;
	case BLOCK_LIST:
	case BLOCK_OLIST:
		buf_adds(out, b->kind == BLOCK_LIST ? "<ul>\n" : "<ol>\n");
		for (i = 0; i < b->n; i++) {
			buf_adds(out, "<li>");
			html_inline(out, b->items[i], 0);
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, b->kind == BLOCK_LIST ? "</ul>\n" : "</ol>\n");
		break;
	case BLOCK_TABLE:
		buf_adds(out, "<table>\n<thead><tr>");
		for (k = 0; k < b->ncols; k++)
			buf_printf(out, "<th>%s</th>", b->cols[k].name);
		buf_adds(out, "</tr></thead>\n<tbody>\n");
		rows = b->ncols > 0 ? b->n / b->ncols : 0;
		for (r = 0; r < rows; r++) {
			buf_adds(out, "<tr>");
			for (k = 0; k < b->ncols; k++) {
				buf_adds(out, "<td>");
				if (inl_empty(b->items[r * b->ncols + k]))
					buf_adds(out, "\xe2\x80\x94");
				else
					html_inline(out,
					    b->items[r * b->ncols + k],
					    b->cols[k].max);
				buf_adds(out, "</td>");
			}
			buf_adds(out, "</tr>\n");
		}
		buf_adds(out, "</tbody>\n</table>\n");
		break;
	case BLOCK_CODE:
		buf_adds(out, "<pre><code>");
		esc_html(out, b->code, strlen(b->code), ESC_NL_KEEP |
		    ESC_TAB_KEEP);
		buf_adds(out, "</code></pre>\n");
		break;
	}
}

static void
html_doc(struct buf *out, const struct doc *d)
{
	const struct section *s;
	size_t i, j;
	int open = 0;

	buf_adds(out, "<article>\n<h1>");
	html_inline(out, &d->title, 0);
	buf_adds(out, "</h1>\n");
	for (i = 0; i < d->n; i++) {
		s = d->secs[i];
		if (s->level <= 2 && open) {
			buf_adds(out, "</section>\n");
			open = 0;
		}
		if (s->flags & SEC_FOOTER)
			buf_adds(out, "<footer>\n");
		else if (s->level <= 2) {
			buf_printf(out, "<section>\n<h2>");
			esc_html(out, s->title, strlen(s->title), 0);
			buf_adds(out, "</h2>\n");
			open = 1;
		} else {
			buf_adds(out, "<h3>");
			esc_html(out, s->title, strlen(s->title), 0);
			buf_adds(out, "</h3>\n");
		}
		for (j = 0; j < s->n; j++)
			html_block(out, s->blocks[j]);
		if (s->flags & SEC_FOOTER)
			buf_adds(out, "</footer>\n");
	}
	if (open)
		buf_adds(out, "</section>\n");
	buf_adds(out, "</article>\n");
}

void
html_render(struct buf *out, struct doc *const *docs, size_t n)
{
	unsigned char digest[32];
	char b64[48];
	size_t i;

	sha256(stylesheet, sizeof(stylesheet) - 1, digest);
	sha256_base64(digest, sizeof(digest), b64);
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n");
	buf_printf(out, "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'sha256-%s'; "
	    "img-src 'none'; base-uri 'none'; form-action 'none'\">\n", b64);
	buf_adds(out, "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	if (n == 1)
		esc_html(out, docs[0]->plain_title,
		    strlen(docs[0]->plain_title), 0);
	else
		buf_printf(out, "Triage briefs (%zu incidents)", n);
	buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n"
	    "<main>\n", stylesheet);
	for (i = 0; i < n; i++)
		html_doc(out, docs[i]);
	buf_adds(out, "</main>\n</body>\n</html>\n");
}
