/*
 * tools_bound: what a model is shown of a tool's output.  A model pays for
 * every byte on every later turn, and one wide KQL result can drown an
 * investigation, so output is cut to the tool's bounds, and every cut says
 * so in words the model can act on (narrow the query, ask for the rest).
 * JSON keeps its shape so the model can still read it as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonx.h"
#include "ndjson.h"
#include "tools.h"
#include "utf8.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* The largest n' <= n that does not split a UTF-8 sequence of s. */
static size_t
utf8_floor(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* Cuts every string in v longer than max bytes; counts the cuts. */
static json_t *
cut_strings(json_t *v, size_t max, size_t *cuts)
{
	const char *s;
	json_t *item;
	void *it;
	size_t len, keep, i;
	char mark[64];
	struct buf b;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		if (len <= max)
			return json_incref(v);
		keep = utf8_floor(s, max);
		snprintf(mark, sizeof(mark), ELLIPSIS "[%zu more bytes]",
		    len - keep);
		buf_init(&b);
		buf_add(&b, s, keep);
		buf_adds(&b, mark);
		item = buf_failed(&b) ? NULL : jx_string_lossy(buf_str(&b),
		    b.len);
		buf_release(&b);
		(*cuts)++;
		return item;
	case JSON_ARRAY:
		for (i = 0; i < json_array_size(v); i++) {
			item = cut_strings(json_array_get(v, i), max, cuts);
			if (item == NULL)
				return NULL;
			json_array_set_new(v, i, item);
		}
		return json_incref(v);
	case JSON_OBJECT:
		for (it = json_object_iter(v); it != NULL;
		    it = json_object_iter_next(v, it)) {
			item = cut_strings(json_object_iter_value(it), max,
			    cuts);
			if (item == NULL)
				return NULL;
			json_object_iter_set_new(v, it, item);
		}
		return json_incref(v);
	default:
		return json_incref(v);
	}
}

/* Appends s cut to max bytes with a marker. */
static void
add_cut(struct buf *b, const char *s, size_t len, size_t max, int *cut)
{
	size_t keep;

	if (len <= max) {
		buf_add(b, s, len);
		return;
	}
	keep = utf8_floor(s, max);
	buf_add(b, s, keep);
	buf_printf(b, ELLIPSIS "[%zu more bytes]", len - keep);
	*cut = 1;
}

/* Plain text: long lines cut, at most so many lines and bytes. */
static char *
bound_text(const char *out, size_t len, const struct tool_bounds *bd,
    int *truncated)
{
	struct buf b;
	size_t pos = 0, lines = 0, total_lines = 0, nl, n;
	const char *p;

	for (p = out; p < out + len; p++)
		if (*p == '\n')
			total_lines++;
	if (len > 0 && out[len - 1] != '\n')
		total_lines++;
	buf_init(&b);
	while (pos < len) {
		p = memchr(out + pos, '\n', len - pos);
		nl = p != NULL ? (size_t)(p - out) : len;
		n = nl - pos;
		if (lines >= bd->max_rows || b.len + (n < bd->max_cell ? n :
		    bd->max_cell) > bd->max_bytes) {
			buf_printf(&b, ELLIPSIS "[%zu more lines not shown]\n",
			    total_lines - lines);
			*truncated = 1;
			break;
		}
		add_cut(&b, out + pos, n, bd->max_cell, truncated);
		buf_addc(&b, '\n');
		lines++;
		pos = nl + 1;
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Parses every non-blank line; NULL when a line is not JSON. */
static json_t *
parse_lines(const char *out, size_t len)
{
	json_t *list, *v;
	size_t pos = 0, nl, a, z;
	const char *p;

	list = json_array();
	while (list != NULL && pos < len) {
		p = memchr(out + pos, '\n', len - pos);
		nl = p != NULL ? (size_t)(p - out) : len;
		a = pos;
		z = nl;
		while (a < z && (out[a] == ' ' || out[a] == '\t' ||
		    out[a] == '\r'))
			a++;
		while (z > a && (out[z - 1] == ' ' || out[z - 1] == '\t' ||
		    out[z - 1] == '\r'))
			z--;
		pos = nl + 1;
		if (a == z)
			continue;
		if (out[a] != '{' && out[a] != '[') {
			json_decref(list);
			return NULL;
		}
		v = json_loadb(out + a, z - a, 0, NULL);
		if (v == NULL) {
			json_decref(list);
			return NULL;
		}
		json_array_append_new(list, v);
	}
	return list;
}

static int
is_table(const json_t *v)
{
	return json_is_object(v) && json_is_array(json_object_get(v, "rows"));
}

/* A table (triage-kql --format json): keep the first rows that fit. */
static char *
bound_table(json_t *t, const struct tool_bounds *bd, int *truncated)
{
	json_t *rows, *keep;
	size_t total, n, i;
	char *s, note[256];

	rows = json_incref(json_object_get(t, "rows"));
	total = json_array_size(rows);
	n = total < bd->max_rows ? total : bd->max_rows;
	for (;;) {
		keep = json_array();
		for (i = 0; keep != NULL && i < n; i++)
			json_array_append(keep, json_array_get(rows, i));
		json_object_set_new(t, "rows", keep);
		if (n < total) {
			snprintf(note, sizeof(note), "first %zu of %zu rows "
			    "shown; narrow the query to see the rest", n,
			    total);
			json_object_set_new(t, "shown_rows", json_integer(
			    (json_int_t)n));
			json_object_set_new(t, "note", json_string(note));
			*truncated = 1;
		}
		s = json_dumps(t, JSON_COMPACT);
		if (s == NULL || strlen(s) <= bd->max_bytes || n == 0)
			break;
		/* Shrink in proportion, at least one row a step. */
		i = n * bd->max_bytes / strlen(s);
		n = i < n ? i : n - 1;
		free(s);
	}
	json_decref(rows);
	return s;
}

/* Records (NDJSON): the first ones that fit. */
static char *
bound_records(const json_t *list, const struct tool_bounds *bd,
    int *truncated)
{
	struct buf b;
	size_t i, n = json_array_size(list);
	char *s;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		s = json_dumps(json_array_get(list, i),
		    JSON_COMPACT | JSON_ENCODE_ANY);
		if (s == NULL)
			break;
		if (i >= bd->max_rows || (i > 0 && b.len + strlen(s) + 1 >
		    bd->max_bytes)) {
			free(s);
			break;
		}
		buf_adds(&b, s);
		buf_addc(&b, '\n');
		free(s);
	}
	if (i < n) {
		buf_printf(&b, "{\"note\":\"%zu more records not shown\"}\n",
		    n - i);
		*truncated = 1;
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* What tools_summarise says of parsed output (list may be NULL). */
static void
describe(const json_t *list, size_t len, char *out, size_t outsz)
{
	const json_t *v;
	size_t n = json_array_size(list);

	if (n == 1 && is_table(json_array_get(list, 0))) {
		v = json_array_get(list, 0);
		n = json_array_size(json_object_get(v, "rows"));
		snprintf(out, outsz, "%zu row%s", n, n == 1 ? "" : "s");
		if (json_integer_value(json_object_get(v, "row_count")) >
		    (json_int_t)n)
			snprintf(out + strlen(out), outsz - strlen(out),
			    " of %lld", (long long)json_integer_value(
			    json_object_get(v, "row_count")));
	} else if (list != NULL && n > 0) {
		snprintf(out, outsz, "%zu record%s", n, n == 1 ? "" : "s");
	} else if (len == 0) {
		snprintf(out, outsz, "no output");
	} else {
		snprintf(out, outsz, "%zu bytes", len);
	}
}

char *
tools_bound(const char *out, size_t len, const struct tool_bounds *bd,
    int *truncated)
{
	return tools_bound_summary(out, len, bd, truncated, NULL, 0);
}

char *
tools_bound_summary(const char *out, size_t len, const struct tool_bounds *bd,
    int *truncated, char *summary, size_t summarysz)
{
	json_t *list, *v;
	size_t i, cuts = 0;
	char *s = NULL;
	struct buf b;
	int cut = 0;

	*truncated = 0;
	list = ndjson_is_json_line(out, len) ? parse_lines(out, len) :
	    NULL;
	if (summary != NULL)
		describe(list, len, summary, summarysz);
	if (list != NULL && json_array_size(list) > 0) {
		for (i = 0; i < json_array_size(list); i++) {
			v = cut_strings(json_array_get(list, i), bd->max_cell,
			    &cuts);
			if (v == NULL)
				break;
			json_array_set_new(list, i, v);
		}
		if (cuts > 0)
			*truncated = 1;
		if (json_array_size(list) == 1 &&
		    is_table(json_array_get(list, 0)))
			s = bound_table(json_array_get(list, 0), bd,
			    truncated);
		else
			s = bound_records(list, bd, truncated);
	}
	json_decref(list);
	if (s == NULL) {
		/* Text reaches the model as valid UTF-8 without NULs: a NUL
		 * would end it early and one bad byte would make the whole
		 * request unsendable.  Each becomes U+FFFD, so nothing is
		 * lost without a mark. */
		buf_init(&b);
		if (utf8_add_clean(&b, out, len) == 0)
			s = bound_text(buf_str(&b), b.len, bd, truncated);
		buf_release(&b);
	}
	if (s == NULL)
		return NULL;
	/* Whatever the shape, never more than max_bytes (and a marker). */
	if (strlen(s) > bd->max_bytes) {
		buf_init(&b);
		add_cut(&b, s, strlen(s), bd->max_bytes, &cut);
		free(s);
		*truncated = 1;
		if (buf_failed(&b)) {
			buf_release(&b);
			return NULL;
		}
		s = buf_steal(&b);
	}
	return s;
}

void
tools_summarise(const struct tool_run *r, char *out, size_t outsz)
{
	json_t *list;
	size_t n;
	const char *nl;

	if (r->is_error) {
		const char *m = r->message != NULL ? r->message : "failed";

		nl = strchr(m, '\n');
		n = nl != NULL ? (size_t)(nl - m) : strlen(m);
		if (n > 100)
			n = 100;
		snprintf(out, outsz, "error: %.*s", (int)n, m);
		return;
	}
	list = parse_lines(r->out, r->out_len);
	describe(list, r->out_len, out, outsz);
	json_decref(list);
}

size_t
tools_cut_strings(json_t *v, size_t max)
{
	size_t cuts = 0;
	json_t *r = cut_strings(v, max, &cuts);

	/* Containers are changed in place; r is v itself for them. */
	json_decref(r);
	return cuts;
}
