/*
 * fuzz_render: triage-render in every format over arbitrary records.  The
 * input is NDJSON (each line that parses is filed as a record, as the
 * program does); the first byte picks defanging and the time.  Oracles
 * besides the sanitizers: the Teams and Slack cards and the JSON document
 * are valid JSON, and the HTML page holds only the tags the renderer
 * writes, with every link https, whatever the records say.
 * FUZZ_SOURCES: cmd/render/bundle.c cmd/render/build.c cmd/render/doc.c cmd/render/md.c cmd/render/html.c cmd/render/card.c cmd/render/jsondoc.c cmd/render/queue.c cmd/cli.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "render.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must_be_json(const struct buf *b)
{
	json_error_t e;
	json_t *v;

	if (b->len == 0)
		return;
	v = json_loadb(b->data, b->len, 0, &e);
	if (v == NULL)
		abort();	/* a card that is not JSON */
	json_decref(v);
}

/* Every tag is one html.c writes; every href is https or a fragment. */
static void
html_is_inert(const struct buf *b)
{
	static const char *const tags[] = {
		"a", "article", "body", "code", "em", "footer", "h1", "h2",
		"h3", "head", "html", "li", "main", "meta", "ol", "p", "pre",
		"section", "span", "strong", "style", "table", "tbody", "td",
		"th", "thead", "title", "tr", "ul", "!doctype", NULL
	};
	const char *p, *end, *q;
	size_t n, i;
	int closing;

	if (b->len == 0)
		return;
	p = b->data;
	end = b->data + b->len;
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		p++;
		closing = p < end && *p == '/';
		if (closing)
			p++;
		q = p;
		while (q < end && (*q == '!' || (*q >= 'a' && *q <= 'z') ||
		    (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
			q++;
		n = (size_t)(q - p);
		for (i = 0; tags[i] != NULL; i++)
			if (strlen(tags[i]) == n &&
			    strncasecmp(tags[i], p, n) == 0)
				break;
		if (tags[i] == NULL)
			abort();	/* a tag from the data */
		if (!closing && n == 1 && *p == 'a') {
			q = memchr(p, '>', (size_t)(end - p));
			if (q == NULL)
				abort();
			/* A scheme's case does not matter ("htTps"). */
			if ((size_t)(q - p) < 16 ||
			    (strncasecmp(p, "a href=\"https://", 16) != 0 &&
			    strncmp(p, "a href=\"#", 9) != 0))
				abort();	/* a link that is not https */
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum format formats[] = {
		FMT_MARKDOWN, FMT_HTML, FMT_TEAMS, FMT_SLACK, FMT_JSON
	};
	struct render_opts o;
	struct bundle b;
	struct doc *d;
	struct buf out;
	const char *p, *end, *nl;
	json_t *rec, *jd;
	size_t i;

	if (size == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.defang = data[0] & 1;
	o.now = (int64_t)(data[0] >> 1) * 86400 * 10000000LL +
	    (int64_t)1700000000 * 10000000LL;
	bundle_init(&b);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		rec = json_loadb(p, (size_t)(nl - p), 0, NULL);
		if (json_is_object(rec))
			bundle_add(&b, rec);
		json_decref(rec);
		p = nl + 1;
	}
	bundle_finish(&b);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		o.format = formats[i];
		d = build_doc(&b, &o);
		if (d == NULL)
			continue;
		buf_init(&out);
		switch (o.format) {
		case FMT_MARKDOWN:
			md_render(&out, d);
			break;
		case FMT_HTML:
			html_render(&out, &d, 1);
			html_is_inert(&out);
			break;
		case FMT_TEAMS:
			teams_render(&out, d);
			must_be_json(&out);
			break;
		case FMT_SLACK:
			slack_render(&out, d);
			must_be_json(&out);
			break;
		case FMT_JSON:
			jd = json_document(&b, &o);
			if (jd == NULL)
				abort();
			json_decref(jd);
			break;
		}
		buf_release(&out);
		doc_free(d);
	}
	bundle_release(&b);
	return 0;
}
