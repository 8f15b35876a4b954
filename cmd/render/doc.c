/*
 * doc: the document model's constructors.  Everything is allocated with
 * the cli x-functions (running out of memory ends the program with a
 * message), and every piece belongs to the doc that doc_free releases.
 * Text is cleaned once, when it enters the model, so the emitters only
 * have to escape it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "defang.h"
#include "escape.h"
#include "render.h"

static int defang_spans;		/* see doc_set_defang */

/* Grows an array of pointers by one slot. */
static void *
push(void *arr, size_t *n, size_t *cap, void *item)
{
	void **a = arr;

	if (*n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		a = xrealloc(a, *cap * sizeof(*a));
	}
	a[(*n)++] = item;
	return a;
}

struct doc *
doc_new(void)
{
	return xcalloc(1, sizeof(struct doc));
}

void
inl_release(struct inl *in)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		free(in->v[i].text);
		free(in->v[i].url);
	}
	free(in->v);
	memset(in, 0, sizeof(*in));
}

static void
block_free(struct block *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		inl_release(b->items[i]);
		free(b->items[i]);
	}
	free(b->items);
	free(b->code);
	free(b);
}

void
doc_free(struct doc *d)
{
	size_t i, j;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->secs[i]->n; j++)
			block_free(d->secs[i]->blocks[j]);
		free(d->secs[i]->blocks);
		free(d->secs[i]);
	}
	free(d->secs);
	for (i = 0; i < d->nfacts; i++)
		inl_release(&d->facts[i].value);
	inl_release(&d->title);
	free(d->plain_title);
	free(d->severity);
	free(d->link);
	free(d->stem);
	free(d);
}

struct section *
doc_section(struct doc *d, const char *title, int level, int rank, int flags)
{
	struct section *s = xcalloc(1, sizeof(*s));

	s->title = title;
	s->level = level;
	s->rank = rank;
	s->flags = flags;
	d->secs = push(d->secs, &d->n, &d->cap, s);
	return s;
}

struct inl *
doc_fact(struct doc *d, const char *name)
{
	struct fact *f;

	if (d->nfacts == sizeof(d->facts) / sizeof(d->facts[0]))
		d->nfacts--;			/* the last one gives way */
	f = &d->facts[d->nfacts++];
	inl_release(&f->value);
	f->name = name;
	return &f->value;
}

struct block *
sec_block(struct section *s, enum block_kind kind)
{
	struct block *b = xcalloc(1, sizeof(*b));

	b->kind = kind;
	s->blocks = push(s->blocks, &s->n, &s->cap, b);
	return b;
}

struct inl *
block_item(struct block *b)
{
	struct inl *in = xcalloc(1, sizeof(*in));

	b->items = push(b->items, &b->n, &b->cap, in);
	return in;
}

struct inl *
sec_para(struct section *s)
{
	return block_item(sec_block(s, BLOCK_PARA));
}

struct block *
sec_table(struct section *s, const struct column *cols, size_t ncols)
{
	struct block *b = sec_block(s, BLOCK_TABLE);

	b->cols = cols;
	b->ncols = ncols;
	return b;
}

struct inl **
table_row(struct block *t)
{
	size_t i, first = t->n;

	for (i = 0; i < t->ncols; i++)
		block_item(t);
	return t->items + first;
}

void
sec_code(struct section *s, const char *text, const char *info, int flags)
{
	struct block *b = sec_block(s, BLOCK_CODE);

	b->flags = flags;
	b->info = info;
	b->code = esc_clean_str(text, ESC_NL_KEEP | ESC_TAB_KEEP);
	if (b->code == NULL)
		b->code = xstrdup("");
}

static void
add_span(struct inl *in, enum span_kind kind, char *text, char *url)
{
	if (in->n == in->cap) {
		in->cap = in->cap == 0 ? 4 : in->cap * 2;
		in->v = xrealloc(in->v, in->cap * sizeof(*in->v));
	}
	in->v[in->n].kind = kind;
	in->v[in->n].text = text;
	in->v[in->n].url = url;
	in->n++;
}

void
doc_set_defang(int on)
{
	defang_spans = on;
}

void
inl_add(struct inl *in, enum span_kind kind, const char *text)
{
	char *c, *d;

	if (text == NULL || *text == '\0')
		return;
	c = esc_clean_str(text, ESC_NL_KEEP);
	if (c == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	/* Text is defanged wherever it comes from; values (code spans) are
	 * the caller's to defang, since only it knows what they are. */
	if (defang_spans && (kind == SPAN_TEXT || kind == SPAN_STRONG ||
	    kind == SPAN_EM)) {
		if ((d = defang_text(c)) == NULL)
			cli_die(EXIT_FAIL, "out of memory");
		free(c);
		c = d;
	}
	/* Adjacent plain text merges, which keeps markdown tidy. */
	if (kind == SPAN_TEXT && in->n > 0 && in->v[in->n - 1].kind ==
	    SPAN_TEXT) {
		struct span *p = &in->v[in->n - 1];
		size_t a = strlen(p->text), n = strlen(c);

		p->text = xrealloc(p->text, a + n + 1);
		memcpy(p->text + a, c, n + 1);
		free(c);
		return;
	}
	add_span(in, kind, c, NULL);
}

void
inl_addf(struct inl *in, enum span_kind kind, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	inl_add(in, kind, buf_str(&b));
	buf_release(&b);
}

void
inl_link(struct inl *in, const char *text, const char *url)
{
	char *c;

	if (url == NULL || !esc_url_ok(url)) {
		inl_add(in, SPAN_TEXT, text);
		return;
	}
	c = esc_clean_str(text, 0);
	if (c == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	add_span(in, SPAN_LINK, c, xstrdup(url));
}

int
inl_empty(const struct inl *in)
{
	return in->n == 0;
}

void
inl_plan(const struct inl *in, size_t max, size_t *span, size_t *bytes,
    size_t *rest)
{
	size_t i, chars, total = 0, used = 0, len;

	*span = in->n;
	*bytes = 0;
	*rest = 0;
	if (max == 0)
		return;
	for (i = 0; i < in->n; i++)
		total += esc_chars(in->v[i].text, strlen(in->v[i].text));
	if (total <= max)
		return;
	for (i = 0; i < in->n; i++) {
		len = strlen(in->v[i].text);
		chars = esc_chars(in->v[i].text, len);
		if (used + chars > max) {
			*span = i;
			*bytes = esc_cut(in->v[i].text, len, max - used, NULL);
			*rest = total - max;
			return;
		}
		used += chars;
	}
}

void
cut_marker(struct buf *b, size_t rest)
{
	buf_printf(b, "\xe2\x80\xa6 [+%zu chars]", rest);
}
