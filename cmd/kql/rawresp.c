/*
 * rawresp: a strict JSON scanner and the reader of query responses built
 * on it.  The scanner accepts what Jansson accepts with JSON_ALLOW_NUL
 * (RFC 8259 JSON, valid UTF-8, no lone surrogates in \u escapes, nesting
 * at most 2048 deep) except that it takes numbers of any size, which it
 * never converts: a 64-bit long is passed through digit for digit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rawresp.h"
#include "utf8.h"

#define MAX_DEPTH	2048

/* Bytes a string may hold as they are: printable ASCII but " and \. */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
	/* 0x80-0xff: 0, UTF-8 is checked sequence by sequence */
};


static int
hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

const char *
raw_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' ||
	    *p == '\t'))
		p++;
	return p;
}

/* Notes where scanning failed; returns NULL for the caller to pass on. */
static const char *
fail_at(const char **bad, const void *p)
{
	*bad = p;
	return NULL;
}

/* A string token from its opening quote; returns the byte after it. */
static const char *
scan_string(const char *s, const char *end, int *escaped, const char **bad)
{
	const unsigned char *p = (const unsigned char *)s + 1;
	const unsigned char *e = (const unsigned char *)end;
	unsigned u, lo;
	size_t n;

	*escaped = 0;
	for (;;) {
		while (e - p >= 4 && plain[p[0]] && plain[p[1]] &&
		    plain[p[2]] && plain[p[3]])
			p += 4;
		while (p < e && plain[*p])
			p++;
		if (p >= e)
			return fail_at(bad, p);
		if (*p == '"')
			return (const char *)p + 1;
		if (*p < 0x20)
			return fail_at(bad, p);
		if (*p != '\\') {
			if ((n = utf8_decode(p, (size_t)(e - p), NULL)) == 0)
				return fail_at(bad, p);
			p += n;
			continue;
		}
		*escaped = 1;
		if (++p >= e)
			return fail_at(bad, p);
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p++;
			continue;
		}
		if (*p != 'u' || hex4(p + 1, e, &u) == -1)
			return fail_at(bad, p);
		p += 5;
		if (u >= 0xdc00 && u <= 0xdfff)
			return fail_at(bad, p);
		if (u >= 0xd800 && u <= 0xdbff) {
			if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
			    hex4(p + 2, e, &lo) == -1 || lo < 0xdc00 ||
			    lo > 0xdfff)
				return fail_at(bad, p);
			p += 6;
		}
	}
}

static const char *
scan_number(const char *p, const char *end, int *integral, const char **bad)
{
	const char *d;

	*integral = 1;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	else
		return fail_at(bad, p);
	if (p < end && *p == '.') {
		*integral = 0;
		d = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return fail_at(bad, p);
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*integral = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		d = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == d)
			return fail_at(bad, p);
	}
	return p;
}

static const char *
scan_word(const char *p, const char *end, const char *word,
    const char **bad)
{
	size_t n = strlen(word);

	if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
		return fail_at(bad, p);
	return p + n;
}

static const char *
scan_at(const char *p, const char *end, struct raw_value *v, int depth,
    const char **bad)
{
	struct raw_value item;
	const char *start = p;
	int dummy;
	char close;

	v->p = p;
	v->escaped = 0;
	v->integral = 0;
	if (p >= end)
		return fail_at(bad, p);
	switch (*p) {
	case '"':
		v->kind = RAW_STRING;
		p = scan_string(p, end, &v->escaped, bad);
		break;
	case 't':
		v->kind = RAW_TRUE;
		p = scan_word(p, end, "true", bad);
		break;
	case 'f':
		v->kind = RAW_FALSE;
		p = scan_word(p, end, "false", bad);
		break;
	case 'n':
		v->kind = RAW_NULL;
		p = scan_word(p, end, "null", bad);
		break;
	case '{':
	case '[':
		if (depth >= MAX_DEPTH)
			return fail_at(bad, p);
		v->kind = *p == '{' ? RAW_OBJECT : RAW_ARRAY;
		close = *p == '{' ? '}' : ']';
		p = raw_ws(p + 1, end);
		if (p < end && *p == close) {
			p++;
			break;
		}
		for (;;) {
			if (close == '}') {
				if (p >= end || *p != '"')
					return fail_at(bad, p);
				p = scan_string(p, end, &dummy, bad);
				if (p == NULL)
					return NULL;
				p = raw_ws(p, end);
				if (p >= end || *p != ':')
					return fail_at(bad, p);
				p = raw_ws(p + 1, end);
			}
			p = scan_at(p, end, &item, depth + 1, bad);
			if (p == NULL)
				return NULL;
			p = raw_ws(p, end);
			if (p < end && *p == ',') {
				p = raw_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == close) {
				p++;
				break;
			}
			return fail_at(bad, p);
		}
		break;
	default:
		v->kind = RAW_NUMBER;
		p = scan_number(p, end, &v->integral, bad);
	}
	if (p != NULL)
		v->len = (size_t)(p - start);
	return p;
}

const char *
raw_scan(const char *p, const char *end, struct raw_value *v,
    const char **bad)
{
	const char *ignored;

	return scan_at(p, end, v, 0, bad != NULL ? bad : &ignored);
}

int
raw_is_json(const char *p, size_t len, struct raw_value *v)
{
	const char *end = p + len;

	const char *ignored;

	p = raw_ws(p, end);
	p = scan_at(p, end, v, 0, &ignored);
	return p != NULL && raw_ws(p, end) == end;
}

static void
put_utf8(struct buf *b, unsigned c)
{
	char u[4];

	if (c < 0x80) {
		buf_addc(b, (int)c);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, u, 4);
	}
}

void
raw_unescape(struct buf *b, const char *tok, size_t len)
{
	const unsigned char *p = (const unsigned char *)tok + 1;
	const unsigned char *e = (const unsigned char *)tok + len - 1;
	const unsigned char *run;
	unsigned u, lo;

	while (p < e) {
		run = p;
		while (p < e && *p != '\\')
			p++;
		buf_add(b, run, (size_t)(p - run));
		if (p >= e)
			break;
		p++;
		switch (*p) {
		case 'b':
			buf_addc(b, '\b');
			break;
		case 'f':
			buf_addc(b, '\f');
			break;
		case 'n':
			buf_addc(b, '\n');
			break;
		case 'r':
			buf_addc(b, '\r');
			break;
		case 't':
			buf_addc(b, '\t');
			break;
		case 'u':
			/* Checked by the scanner: four hex digits, pairs. */
			hex4(p + 1, e, &u);
			p += 4;
			if (u >= 0xd800 && u <= 0xdbff) {
				hex4(p + 3, e, &lo);
				u = 0x10000 + ((u - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
			put_utf8(b, u);
			break;
		default:
			buf_addc(b, *p);	/* " \ / */
		}
		p++;
	}
}

void
raw_minify(struct buf *b, const char *p, size_t len)
{
	const char *e = p + len, *run = p;
	int in_string = 0;

	for (; p < e; p++) {
		if (in_string) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_string = 0;
		} else if (*p == '"') {
			in_string = 1;
		} else if (*p == ' ' || *p == '\n' || *p == '\r' ||
		    *p == '\t') {
			buf_add(b, run, (size_t)(p - run));
			run = p + 1;
		}
	}
	buf_add(b, run, (size_t)(e - run));
}

/* Reading a response: where we are and where it went wrong. */
struct reader {
	struct raw_response	*r;
	struct buf		*err;
	struct buf		 tmp;
	const char		*end;
	const char		*bad;	/* where the JSON went wrong */
};

/* Says the JSON went wrong at p (or where the scanner said).  NULL. */
static const char *
malformed(struct reader *rd, const char *p)
{
	if (p != NULL)
		rd->bad = p;
	if (rd->bad == NULL || rd->bad > rd->end)
		rd->bad = rd->end;
	buf_printf(rd->err, "the response is not valid JSON (at byte %zu)",
	    (size_t)(rd->bad - rd->r->body));
	return NULL;
}

/* A Jansson value of one token.  NULL on error. */
static json_t *
token_json(const struct raw_value *v)
{
	return json_loadb(v->p, v->len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    NULL);
}

/*
 * After an item of an array or object: past a ',' to the next item
 * (*more set), or past the closing byte.  NULL when neither is there.
 */
static const char *
next_item(struct reader *rd, const char *p, char close, int *more)
{
	p = raw_ws(p, rd->end);
	*more = 0;
	if (p < rd->end && *p == ',') {
		*more = 1;
		return raw_ws(p + 1, rd->end);
	}
	if (p < rd->end && *p == close)
		return p + 1;
	return malformed(rd, p);
}

/* A member's key and colon at p.  Returns the value's first byte. */
static const char *
member_key(struct reader *rd, const char *p, struct raw_value *k)
{
	if (p >= rd->end || *p != '"')
		return malformed(rd, p);
	if ((p = raw_scan(p, rd->end, k, &rd->bad)) == NULL)
		return malformed(rd, NULL);
	p = raw_ws(p, rd->end);
	if (p >= rd->end || *p != ':')
		return malformed(rd, p);
	p = raw_ws(p + 1, rd->end);
	if (p >= rd->end)
		return malformed(rd, p);
	return p;
}

/* The rows array at p ('['): every row an array.  Returns past it. */
static const char *
read_rows(struct reader *rd, const char *p, struct raw_table *t, size_t ti)
{
	struct raw_value v;
	const char *end = rd->end;
	int more;

	t->rows = p;
	t->nrows = 0;
	p = raw_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	do {
		if (p >= end || (*p != '[' && raw_scan(p, end, &v,
		    &rd->bad) == NULL))
			return malformed(rd, p >= end ? p : NULL);
		if (*p != '[') {
			buf_printf(rd->err, "tables[%zu].rows[%zu] is not an "
			    "array", ti, t->nrows);
			return NULL;
		}
		if ((p = raw_scan(p, end, &v, &rd->bad)) == NULL)
			return malformed(rd, NULL);
		t->nrows++;
		if ((p = next_item(rd, p, ']', &more)) == NULL)
			return NULL;
	} while (more);
	return p;
}

static int
check_columns(struct reader *rd, const json_t *cols, size_t ti)
{
	size_t j;

	for (j = 0; j < json_array_size(cols); j++)
		if (!json_is_string(json_object_get(json_array_get(cols, j),
		    "name"))) {
			buf_printf(rd->err, "tables[%zu].columns[%zu] has no "
			    "\"name\"", ti, j);
			return -1;
		}
	return 0;
}

static const char *
not_a_table(struct reader *rd, size_t ti)
{
	buf_printf(rd->err, "tables[%zu] is not a table with \"columns\" and "
	    "\"rows\" arrays", ti);
	return NULL;
}

/* Whether a string token says key. */
static int
key_is(const struct raw_value *k, const char *key, struct buf *tmp)
{
	size_t n = strlen(key);

	if (!k->escaped)
		return k->len == n + 2 && memcmp(k->p + 1, key, n) == 0;
	buf_reset(tmp);
	raw_unescape(tmp, k->p, k->len);
	return tmp->len == n && memcmp(buf_str(tmp), key, n) == 0;
}

/* One table object at p ('{').  Returns past it. */
static const char *
read_table(struct reader *rd, const char *p, struct raw_table *t, size_t ti)
{
	struct raw_value k, v;
	const char *end = rd->end;
	json_t *j;
	int more = 0;

	p = raw_ws(p + 1, end);
	if (p < end && *p == '}')
		return not_a_table(rd, ti);
	do {
		if ((p = member_key(rd, p, &k)) == NULL)
			return NULL;
		if (key_is(&k, "rows", &rd->tmp) && *p == '[') {
			if ((p = read_rows(rd, p, t, ti)) == NULL)
				return NULL;
		} else {
			if ((p = raw_scan(p, end, &v, &rd->bad)) == NULL)
				return malformed(rd, NULL);
			if (key_is(&k, "rows", &rd->tmp)) {
				if (v.kind != RAW_NULL)
					return not_a_table(rd, ti);
				t->rows = NULL;
				t->nrows = 0;
			} else if (key_is(&k, "columns", &rd->tmp)) {
				if (v.kind != RAW_ARRAY ||
				    (j = token_json(&v)) == NULL)
					return not_a_table(rd, ti);
				json_decref(t->columns);
				t->columns = j;
			} else if (key_is(&k, "name", &rd->tmp)) {
				j = v.kind == RAW_STRING ? token_json(&v) :
				    NULL;
				free(t->name);
				t->name = j != NULL ?
				    strdup(json_string_value(j)) : NULL;
				json_decref(j);
			}
		}
		if ((p = next_item(rd, p, '}', &more)) == NULL)
			return NULL;
	} while (more);
	if (t->columns == NULL)
		return not_a_table(rd, ti);
	if (check_columns(rd, t->columns, ti) == -1)
		return NULL;
	return p;
}

/* The tables array at p ('[').  Returns past it. */
static const char *
read_tables(struct reader *rd, const char *p)
{
	struct raw_response *r = rd->r;
	struct raw_table *nt;
	struct raw_value v;
	const char *end = rd->end;
	int more;

	p = raw_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	do {
		if (p >= end || (*p != '{' && raw_scan(p, end, &v,
		    &rd->bad) == NULL))
			return malformed(rd, p >= end ? p : NULL);
		if (*p != '{')
			return not_a_table(rd, r->ntables);
		nt = realloc(r->tables, (r->ntables + 1) * sizeof(*nt));
		if (nt == NULL) {
			buf_adds(rd->err, "out of memory");
			return NULL;
		}
		r->tables = nt;
		memset(&nt[r->ntables], 0, sizeof(*nt));
		r->ntables++;
		p = read_table(rd, p, &nt[r->ntables - 1], r->ntables - 1);
		if (p == NULL || (p = next_item(rd, p, ']', &more)) == NULL)
			return NULL;
	} while (more);
	return p;
}

static void
tables_free(struct raw_response *r)
{
	size_t i;

	for (i = 0; i < r->ntables; i++) {
		free(r->tables[i].name);
		json_decref(r->tables[i].columns);
	}
	free(r->tables);
	r->tables = NULL;
	r->ntables = 0;
}

/* One top-level member's value at p, by its key k.  Returns past it. */
static const char *
read_member(struct reader *rd, const char *p, const struct raw_value *k)
{
	struct raw_response *r = rd->r;
	struct raw_value v;

	if (key_is(k, "tables", &rd->tmp) && *p == '[') {
		tables_free(r);		/* the last one counts, as in Jansson */
		return read_tables(rd, p);
	}
	if ((p = raw_scan(p, rd->end, &v, &rd->bad)) == NULL)
		return malformed(rd, NULL);
	if (key_is(k, "tables", &rd->tmp)) {
		if (v.kind != RAW_NULL) {
			buf_adds(rd->err, "the response's \"tables\" is not an "
			    "array");
			return NULL;
		}
		tables_free(r);
	} else if (key_is(k, "error", &rd->tmp)) {
		json_decref(r->error);
		r->error = NULL;
		if (v.kind == RAW_OBJECT)
			r->error = token_json(&v);
		else if (v.kind != RAW_NULL) {
			buf_adds(rd->err, "the response's \"error\" is not an "
			    "object");
			return NULL;
		}
	}
	return p;
}

int
raw_response_read(struct raw_response *r, char *body, size_t len,
    struct buf *err)
{
	struct reader rd;
	struct raw_value k, v;
	const char *p, *end = body + len;
	int more = 0;

	memset(r, 0, sizeof(*r));
	r->body = body;
	r->len = len;
	rd.r = r;
	rd.err = err;
	rd.end = end;
	rd.bad = NULL;
	buf_init(&rd.tmp);
	p = raw_ws(body, end);
	if (p >= end || *p != '{') {
		if (p < end && raw_scan(p, end, &v, &rd.bad) != NULL)
			buf_adds(err, "the response is not a JSON object");
		else
			malformed(&rd, p >= end ? p : NULL);
		goto fail;
	}
	p = raw_ws(p + 1, end);
	if (p < end && *p == '}')
		p++;
	else
		do {
			if ((p = member_key(&rd, p, &k)) == NULL ||
			    (p = read_member(&rd, p, &k)) == NULL ||
			    (p = next_item(&rd, p, '}', &more)) == NULL)
				goto fail;
		} while (more);
	p = raw_ws(p, end);
	if (p != end) {
		malformed(&rd, p);
		goto fail;
	}
	buf_release(&rd.tmp);
	return 0;
fail:
	buf_release(&rd.tmp);
	return -1;
}

void
raw_response_release(struct raw_response *r)
{
	tables_free(r);
	json_decref(r->error);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

json_t *
raw_response_json(const struct raw_response *r, struct buf *err)
{
	json_error_t jerr;
	json_t *root;

	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, &jerr);
	if (root == NULL)
		buf_printf(err, "cannot read the response: %s", jerr.text);
	return root;
}
