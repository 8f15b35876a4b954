/*
 * md: the document model as GitHub-flavoured markdown.  All text from the
 * model goes through lib/escape, so nothing in it can open a link, an
 * image, raw HTML or a block, or break a table row; our own markup is
 * the only markup.  Table cells are cut at their column's limit, with a
 * marker saying how much was left out; code blocks hold text whole.
 */
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "render.h"

enum md_ctx {
	MD_PARA,		/* a paragraph: line breaks kept */
	MD_ITEM,		/* a list item or heading: one line */
	MD_CELL			/* a table cell */
};

static int
at_line_start(const struct buf *b)
{
	return b->len == 0 || b->data[b->len - 1] == '\n';
}

/* Emphasis needs its delimiters against text, so blanks go outside. */
static void
delimited(struct buf *out, const char *delim, const char *s, int flags)
{
	size_t n = strlen(s), lead, trail = 0;

	lead = strspn(s, " ");
	while (trail < n - lead && s[n - 1 - trail] == ' ')
		trail++;
	if (lead == n) {
		buf_add(out, s, n);
		return;
	}
	buf_add(out, s, lead);
	buf_adds(out, delim);
	esc_md_text(out, s + lead, n - lead - trail, flags | ESC_MD_INLINE);
	buf_adds(out, delim);
	buf_add(out, s + n - trail, trail);
}

static void
md_span(struct buf *out, const struct span *sp, size_t len, enum md_ctx ctx)
{
	int flags, cell = ctx == MD_CELL ? ESC_MD_CELL : 0;
	struct buf t;

	if (ctx == MD_PARA)
		flags = ESC_NL_KEEP | (at_line_start(out) ? 0 : ESC_MD_INLINE);
	else
		flags = cell | ESC_MD_INLINE | (ctx == MD_ITEM ? ESC_NL_SPACE :
		    0);
	buf_init(&t);
	buf_add(&t, sp->text, len);
	switch (sp->kind) {
	case SPAN_TEXT:
		esc_md_text(out, buf_str(&t), t.len, flags);
		break;
	case SPAN_STRONG:
	case SPAN_SEV:
		delimited(out, "**", buf_str(&t), cell | ESC_NL_SPACE);
		break;
	case SPAN_EM:
		delimited(out, "*", buf_str(&t), cell | ESC_NL_SPACE);
		break;
	case SPAN_CODE:
		esc_md_code(out, buf_str(&t), t.len, cell);
		break;
	case SPAN_LINK:
		buf_addc(out, '[');
		esc_md_text(out, buf_str(&t), t.len, cell | ESC_NL_SPACE |
		    ESC_MD_INLINE);
		buf_adds(out, "](");
		buf_adds(out, sp->url);
		buf_addc(out, ')');
		break;
	}
	buf_release(&t);
}

static void
md_inline(struct buf *out, const struct inl *in, enum md_ctx ctx, size_t max)
{
	size_t i, cut, bytes, rest;
	struct buf m;

	inl_plan(in, max, &cut, &bytes, &rest);
	for (i = 0; i < in->n && i <= cut; i++) {
		if (i < cut)
			md_span(out, &in->v[i], strlen(in->v[i].text), ctx);
		else if (i == cut && bytes > 0)
			md_span(out, &in->v[i], bytes, ctx);
	}
	if (rest > 0) {
		buf_init(&m);
		cut_marker(&m, rest);
		esc_md_text(out, buf_str(&m), m.len, ESC_MD_INLINE |
		    (ctx == MD_CELL ? ESC_MD_CELL : 0));
		buf_release(&m);
	}
}

static void
md_table(struct buf *out, const struct block *t)
{
	size_t r, k, rows = t->ncols > 0 ? t->n / t->ncols : 0;
	const struct inl *cell;

	buf_addc(out, '|');
	for (k = 0; k < t->ncols; k++)
		buf_printf(out, " %s |", t->cols[k].name);
	buf_addc(out, '\n');
	buf_addc(out, '|');
	for (k = 0; k < t->ncols; k++)
		buf_adds(out, " --- |");
	buf_addc(out, '\n');
	for (r = 0; r < rows; r++) {
		buf_addc(out, '|');
		for (k = 0; k < t->ncols; k++) {
			cell = t->items[r * t->ncols + k];
			buf_addc(out, ' ');
			if (inl_empty(cell))
				buf_adds(out, "\xe2\x80\x94");
			else
				md_inline(out, cell, MD_CELL, t->cols[k].max);
			buf_adds(out, " |");
		}
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
}

static void
md_block(struct buf *out, const struct block *b)
{
	size_t i;

	switch (b->kind) {
	case BLOCK_PARA:
		md_inline(out, b->items[0], MD_PARA, 0);
		buf_adds(out, "\n\n");
		break;
	case BLOCK_LIST:
	case BLOCK_OLIST:
		for (i = 0; i < b->n; i++) {
			if (b->kind == BLOCK_LIST)
				buf_adds(out, "- ");
			else
				buf_printf(out, "%zu. ", i + 1);
			md_inline(out, b->items[i], MD_ITEM, 0);
			buf_addc(out, '\n');
		}
		buf_addc(out, '\n');
		break;
	case BLOCK_TABLE:
		md_table(out, b);
		break;
	case BLOCK_CODE:
		esc_md_fence(out, b->code, strlen(b->code), b->info);
		buf_addc(out, '\n');
		break;
	}
}

void
md_render(struct buf *out, const struct doc *d)
{
	const struct section *s;
	size_t i, j, start;

	buf_adds(out, "# ");
	start = out->len;
	md_inline(out, &d->title, MD_ITEM, 0);
	/* A trailing "#" would be taken for a closing sequence. */
	if (out->len > start && out->data[out->len - 1] == '#') {
		out->len--;
		buf_adds(out, "\\#");
	}
	buf_adds(out, "\n\n");
	for (i = 0; i < d->n; i++) {
		s = d->secs[i];
		if (s->flags & SEC_FOOTER)
			buf_adds(out, "---\n\n");
		else
			buf_printf(out, "%s %s\n\n", s->level > 2 ? "###" :
			    "##", s->title);
		for (j = 0; j < s->n; j++)
			md_block(out, s->blocks[j]);
	}
	/* One newline at the end, not a blank line. */
	while (out->len > 1 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
}
