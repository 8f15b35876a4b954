/*
 * output: the four ways triage-kql writes a query result.
 *
 * The NDJSON and JSON writers serialise values themselves instead of
 * building a Jansson object per row: a 100,000-row result then costs one
 * pass over the parsed response and a 64 KiB write buffer, not a second
 * copy of the data.  The same typed conversion serves every format, so
 * ndjson, json, table and csv always agree on what a cell holds.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "isotime.h"
#include "output.h"
#include "rawresp.h"
#include "term.h"

#define FLUSH_AT	(64u * 1024)	/* write out the buffer past this */
#define CELL_MAX	48		/* table cells are cut to this width */
#define DESCRIBE_DEPTH	16		/* innererror levels we follow */

/* How a column's values are written, from its Log Analytics type. */
enum kind {
	K_ASIS,		/* decimal and unknown types: as the wire has it */
	K_STRING,	/* string, guid, timespan */
	K_LONG,		/* long, int */
	K_REAL,		/* real */
	K_BOOL,		/* bool */
	K_DATETIME,	/* datetime */
	K_DYNAMIC	/* dynamic */
};

/*
 * Appends without a call when there is room: the writers append a few
 * bytes at a time, millions of times.  Growth, and the buffer's record
 * of a failed allocation, stay buf_add's.
 */
static inline void
put(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len > n) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else
		buf_add(b, p, n);
}

static inline void
put1(struct buf *b, int c)
{
	if (b->cap - b->len > 1) {
		b->data[b->len++] = (char)c;
		b->data[b->len] = '\0';
	} else
		buf_addc(b, c);
}

/* A buffer in front of a stream: appends are cheap, writes are big. */
struct out {
	FILE		*fp;
	struct buf	 b;
	int		 failed;
};

int
output_parse_format(const char *name, enum output_format *f)
{
	static const struct {
		const char		*name;
		enum output_format	 f;
	} names[] = {
		{ "ndjson", OUTPUT_NDJSON },
		{ "json", OUTPUT_JSON },
		{ "table", OUTPUT_TABLE },
		{ "csv", OUTPUT_CSV }
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0) {
			*f = names[i].f;
			return 0;
		}
	return -1;
}

static enum kind
kind_of(const char *type)
{
	static const struct {
		const char	*name;
		enum kind	 kind;
	} kinds[] = {
		{ "string", K_STRING }, { "guid", K_STRING },
		{ "timespan", K_STRING }, { "long", K_LONG },
		{ "int", K_LONG }, { "int64", K_LONG }, { "int32", K_LONG },
		{ "real", K_REAL }, { "double", K_REAL }, { "bool", K_BOOL },
		{ "boolean", K_BOOL }, { "datetime", K_DATETIME },
		{ "date", K_DATETIME }, { "dynamic", K_DYNAMIC },
		{ "object", K_DYNAMIC }
	};
	size_t i;

	if (type == NULL)
		return K_ASIS;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcasecmp(type, kinds[i].name) == 0)
			return kinds[i].kind;
	return K_ASIS;
}

static void
out_init(struct out *o, FILE *fp)
{
	o->fp = fp;
	buf_init(&o->b);
	o->failed = 0;
}

static void
out_flush(struct out *o)
{
	if (o->b.len > 0 && !o->failed &&
	    fwrite(o->b.data, 1, o->b.len, o->fp) != o->b.len)
		o->failed = 1;
	if (buf_failed(&o->b))
		o->failed = 1;
	buf_reset(&o->b);
}

static void
out_maybe_flush(struct out *o)
{
	if (o->b.len >= FLUSH_AT)
		out_flush(o);
}

/* Flushes what is left and releases o.  0, or -1 when a write failed. */
static int
out_finish(struct out *o)
{
	out_flush(o);
	buf_release(&o->b);
	if (!o->failed && fflush(o->fp) == EOF)
		o->failed = 1;
	return o->failed ? -1 : 0;
}

/* Appends s (n bytes, valid UTF-8, NULs allowed) as a JSON string. */
static void
json_string_out(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i, run = 0;
	char esc[8];

	put1(b, '"');
	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\')
			continue;
		put(b, s + run, i - run);
		run = i + 1;
		switch (p[i]) {
		case '"':
			put(b, "\\\"", 2);
			break;
		case '\\':
			put(b, "\\\\", 2);
			break;
		case '\n':
			put(b, "\\n", 2);
			break;
		case '\r':
			put(b, "\\r", 2);
			break;
		case '\t':
			put(b, "\\t", 2);
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 15];
			put(b, esc, 6);
		}
	}
	put(b, s + run, n - run);
	put1(b, '"');
}

/*
 * The shortest decimal that reads back as d, so 1.286 is written 1.286
 * and not 1.2859999999999999.  d is finite (Jansson has no NaN).
 */
static void
real_out(struct buf *b, double d)
{
	char tmp[40];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(tmp, sizeof(tmp), "%.17g", d);
	buf_adds(b, tmp);
}

static void
integer_out(struct buf *b, json_int_t i)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT, i);
	buf_adds(b, tmp);
}

/* Serialises any JSON value compactly, in key order as received. */
static void
json_out(struct buf *b, const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	int first = 1;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		put1(b, '{');
		json_object_foreach((json_t *)v, key, item) {
			if (!first)
				put1(b, ',');
			first = 0;
			json_string_out(b, key, strlen(key));
			put1(b, ':');
			json_out(b, item);
		}
		put1(b, '}');
		break;
	case JSON_ARRAY:
		put1(b, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				put1(b, ',');
			json_out(b, json_array_get(v, i));
		}
		put1(b, ']');
		break;
	case JSON_STRING:
		json_string_out(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		integer_out(b, json_integer_value(v));
		break;
	case JSON_REAL:
		real_out(b, json_real_value(v));
		break;
	case JSON_TRUE:
		put(b, "true", 4);
		break;
	case JSON_FALSE:
		put(b, "false", 5);
		break;
	default:
		put(b, "null", 4);
	}
}

/*
 * Whether s is a JSON number; *integral says it has no fraction or
 * exponent.  Log Analytics may send longs and reals as strings.
 */
static int
is_json_number(const char *s, size_t n, int *integral)
{
	size_t i = 0, d;

	*integral = 1;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		*integral = 0;
		d = ++i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		*integral = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		d = i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == d)
			return 0;
	}
	return i == n;
}

/* A JSON integer string that fits 64 bits. */
static int
fits_int64(const char *s)
{
	char *end;

	errno = 0;
	(void)strtoll(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/* A real that is a whole number within the range of a long long. */
static int
real_is_whole(double d)
{
	return d == floor(d) && d >= -9223372036854775808.0 &&
	    d < 9223372036854775808.0;
}

/* 1 true, 0 false, -1 neither, for "true", "True", "1", "false", ... */
static int
bool_of_string(const char *s, size_t n)
{
	if ((n == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (n == 1 && s[0] == '1'))
		return 1;
	if ((n == 5 && strncasecmp(s, "false", 5) == 0) ||
	    (n == 1 && s[0] == '0'))
		return 0;
	return -1;
}

/* Already "YYYY-MM-DDTHH:MM:SS[.f{1,7}]Z": the usual case, kept as is. */
static int
is_canonical_time(const char *s, size_t n)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, f;

	if (n < 20)
		return 0;
	for (i = 0; i < 19; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != pat[i])
			return 0;
	if (s[i] == '.') {
		f = ++i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == f || i - f > 7)
			return 0;
	}
	return i == n - 1 && s[i] == 'Z';
}

/*
 * Writes a datetime as ISO-8601 UTC into out: as given when it already
 * is, else parsed and re-formatted with as many fractional digits as it
 * had (at most seven, Kusto's 100 ns).  0, or -1 when s is no time.
 */
static int
time_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	const char *dot;
	int64_t ticks;
	int digits = 0;

	if (is_canonical_time(s, n)) {
		if (n >= outsz)
			return -1;
		memcpy(out, s, n);
		out[n] = '\0';
		return 0;
	}
	if (strlen(s) != n || iso_parse(s, &ticks) == -1)
		return -1;
	dot = strchr(s, '.');
	if (dot != NULL)
		while (isdigit((unsigned char)dot[1 + digits]) && digits < 7)
			digits++;
	iso_format(ticks, out, outsz, digits);
	return 0;
}

/*
 * Tries to read a dynamic value's JSON text.  Only text that could be
 * JSON is tried, so plain strings ("hello") stay strings cheaply.
 * Returns a new reference or NULL.
 */
static json_t *
dynamic_parse(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	if (i == n || strchr("{[\"-0123456789tfn", s[i]) == NULL)
		return NULL;
	return json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

/* Appends a number given as text, or the text as a string. */
static void
number_text_out(struct buf *b, const char *s, size_t n, int want_int)
{
	int integral;

	if (is_json_number(s, n, &integral) && strlen(s) == n &&
	    (!want_int || !integral || fits_int64(s)))
		put(b, s, n);
	else
		json_string_out(b, s, n);
}

static void
typed_out(struct buf *b, enum kind k, const json_t *v)
{
	char tmp[48];
	const char *s;
	size_t n;
	json_t *parsed;
	int t;

	if (v == NULL || json_is_null(v)) {
		put(b, "null", 4);
		return;
	}
	switch (k) {
	case K_LONG:
	case K_REAL:
		if (json_is_string(v)) {
			number_text_out(b, json_string_value(v),
			    json_string_length(v), k == K_LONG);
			return;
		}
		if (k == K_LONG && json_is_real(v) &&
		    real_is_whole(json_real_value(v))) {
			integer_out(b, (json_int_t)json_real_value(v));
			return;
		}
		break;
	case K_BOOL:
		if (json_is_integer(v)) {
			buf_adds(b, json_integer_value(v) != 0 ? "true" :
			    "false");
			return;
		}
		if (json_is_real(v)) {
			buf_adds(b, json_real_value(v) != 0 ? "true" :
			    "false");
			return;
		}
		if (json_is_string(v) && (t = bool_of_string(
		    json_string_value(v), json_string_length(v))) != -1) {
			buf_adds(b, t ? "true" : "false");
			return;
		}
		break;
	case K_DATETIME:
		if (json_is_string(v) && time_normalise(json_string_value(v),
		    json_string_length(v), tmp, sizeof(tmp)) == 0) {
			json_string_out(b, tmp, strlen(tmp));
			return;
		}
		break;
	case K_DYNAMIC:
		if (json_is_string(v)) {
			s = json_string_value(v);
			n = json_string_length(v);
			parsed = dynamic_parse(s, n);
			if (parsed != NULL) {
				json_out(b, parsed);
				json_decref(parsed);
				return;
			}
		}
		break;
	case K_STRING:
		if (json_is_string(v))
			break;
		/* A number or object in a string column: its text. */
		if (json_is_object(v) || json_is_array(v)) {
			struct buf inner;

			buf_init(&inner);
			json_out(&inner, v);
			json_string_out(b, buf_str(&inner), inner.len);
			buf_release(&inner);
		} else {
			put1(b, '"');
			json_out(b, v);
			put1(b, '"');
		}
		return;
	case K_ASIS:
		break;
	}
	json_out(b, v);
}

void
output_json_value(struct buf *b, const char *type, const json_t *v)
{
	typed_out(b, kind_of(type), v);
}

/*
 * A cell as plain text for the table and CSV: no quotes around strings,
 * "" for null, JSON text for objects.
 */
static void
text_out(struct buf *b, enum kind k, const json_t *v)
{
	char tmp[48];
	int t;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v)) {
		if (k == K_DATETIME && time_normalise(json_string_value(v),
		    json_string_length(v), tmp, sizeof(tmp)) == 0)
			buf_adds(b, tmp);
		else if (k == K_BOOL && (t = bool_of_string(
		    json_string_value(v), json_string_length(v))) != -1)
			buf_adds(b, t ? "true" : "false");
		else
			put(b, json_string_value(v),
			    json_string_length(v));
		return;
	}
	if (k == K_BOOL && (json_is_integer(v) || json_is_real(v))) {
		buf_adds(b, json_number_value(v) != 0 ? "true" : "false");
		return;
	}
	if (k == K_LONG && json_is_real(v) &&
	    real_is_whole(json_real_value(v))) {
		integer_out(b, (json_int_t)json_real_value(v));
		return;
	}
	json_out(b, v);
}

/* The table to write: PrimaryResult, else the first.  NULL: none. */
static const json_t *
primary_table(const json_t *response, size_t *others)
{
	const json_t *tables, *t, *pick = NULL;
	size_t i, n;

	*others = 0;
	tables = json_object_get(response, "tables");
	n = json_array_size(tables);
	for (i = 0; i < n && pick == NULL; i++) {
		t = json_array_get(tables, i);
		if (strcmp(json_string_value(json_object_get(t, "name")) !=
		    NULL ? json_string_value(json_object_get(t, "name")) : "",
		    "PrimaryResult") == 0)
			pick = t;
	}
	if (pick == NULL && n > 0)
		pick = json_array_get(tables, 0);
	if (n > 0)
		*others = n - 1;
	return pick;
}

int
output_check(const json_t *response, struct buf *err)
{
	const json_t *tables, *t, *cols, *rows, *c, *e;
	size_t i, j;

	if (!json_is_object(response)) {
		buf_adds(err, "the response is not a JSON object");
		return -1;
	}
	e = json_object_get(response, "error");
	if (e != NULL && !json_is_null(e) && !json_is_object(e)) {
		buf_adds(err, "the response's \"error\" is not an object");
		return -1;
	}
	tables = json_object_get(response, "tables");
	if (tables == NULL || json_is_null(tables))
		return 0;
	if (!json_is_array(tables)) {
		buf_adds(err, "the response's \"tables\" is not an array");
		return -1;
	}
	for (i = 0; i < json_array_size(tables); i++) {
		t = json_array_get(tables, i);
		cols = json_object_get(t, "columns");
		rows = json_object_get(t, "rows");
		if (!json_is_object(t) || !json_is_array(cols) ||
		    (rows != NULL && !json_is_array(rows))) {
			buf_printf(err, "tables[%zu] is not a table with "
			    "\"columns\" and \"rows\" arrays", i);
			return -1;
		}
		for (j = 0; j < json_array_size(cols); j++) {
			c = json_array_get(cols, j);
			if (!json_is_string(json_object_get(c, "name"))) {
				buf_printf(err, "tables[%zu].columns[%zu] has "
				    "no \"name\"", i, j);
				return -1;
			}
		}
		for (j = 0; j < json_array_size(rows); j++)
			if (!json_is_array(json_array_get(rows, j))) {
				buf_printf(err, "tables[%zu].rows[%zu] is not "
				    "an array", i, j);
				return -1;
			}
	}
	return 0;
}

/*
 * The column layout of a table, worked out once, and where its rows are:
 * Jansson arrays, or the raw bytes of a response read in place.
 */
struct layout {
	size_t		 ncols;
	enum kind	*kinds;
	const char	**names;
	size_t		*name_lens;
	const char	**types;
	struct buf	*keys;		/* "\"name\":" for each column */
	size_t		 nrows;		/* rows to write */
	size_t		 total;		/* rows in the table */
	const json_t	*rows;		/* Jansson rows, or */
	const char	*raw_cur;	/* the next raw row */
	const char	*raw_end;
	struct buf	 tmp;		/* scratch for one cell */
};

static int
layout_init(struct layout *l, const json_t *cols, const json_t *rows,
    size_t total, long max_rows)
{
	const json_t *c;
	size_t i;

	memset(l, 0, sizeof(*l));
	buf_init(&l->tmp);
	l->ncols = json_array_size(cols);
	l->rows = rows;
	l->total = total;
	l->nrows = l->total;
	if (max_rows > 0 && l->nrows > (size_t)max_rows)
		l->nrows = (size_t)max_rows;
	if (l->ncols == 0)
		return 0;
	l->kinds = calloc(l->ncols, sizeof(*l->kinds));
	l->names = calloc(l->ncols, sizeof(*l->names));
	l->name_lens = calloc(l->ncols, sizeof(*l->name_lens));
	l->types = calloc(l->ncols, sizeof(*l->types));
	l->keys = calloc(l->ncols, sizeof(*l->keys));
	if (l->kinds == NULL || l->names == NULL || l->name_lens == NULL ||
	    l->types == NULL || l->keys == NULL)
		return -1;
	for (i = 0; i < l->ncols; i++) {
		c = json_array_get(cols, i);
		l->names[i] = json_string_value(json_object_get(c, "name"));
		if (l->names[i] == NULL)
			l->names[i] = "";
		l->name_lens[i] = json_string_length(json_object_get(c,
		    "name"));
		l->types[i] = json_string_value(json_object_get(c, "type"));
		l->kinds[i] = kind_of(l->types[i]);
		buf_init(&l->keys[i]);
		json_string_out(&l->keys[i], l->names[i], l->name_lens[i]);
		put1(&l->keys[i], ':');
		if (buf_failed(&l->keys[i]))
			return -1;
	}
	return 0;
}

static void
layout_release(struct layout *l)
{
	size_t i;

	for (i = 0; l->keys != NULL && i < l->ncols; i++)
		buf_release(&l->keys[i]);
	free(l->keys);
	free(l->kinds);
	free(l->names);
	free(l->name_lens);
	free(l->types);
	buf_release(&l->tmp);
}

/* Whether a JSON number's text is zero ("0", "-0.0", "0e5"). */
static int
number_is_zero(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] != 'e' && p[i] != 'E'; i++)
		if (p[i] >= '1' && p[i] <= '9')
			return 0;
	return 1;
}

/*
 * typed_out for a value still in the response's bytes.  The result is
 * the same JSON value typed_out writes, except that numbers keep the
 * text the service sent (a long is copied digit for digit) and dynamic
 * JSON keeps its own spelling, minus whitespace.
 */
static void
typed_raw(struct buf *b, enum kind k, const struct raw_value *v,
    struct buf *tmp)
{
	struct raw_value inner;
	char when[48];
	const char *s;
	size_t n;
	int t;

	switch (v->kind) {
	case RAW_NULL:
		put(b, "null", 4);
		return;
	case RAW_NUMBER:
		if (k == K_BOOL)
			buf_adds(b, number_is_zero(v->p, v->len) ? "false" :
			    "true");
		else if (k == K_STRING) {
			put1(b, '"');
			put(b, v->p, v->len);
			put1(b, '"');
		} else
			put(b, v->p, v->len);
		return;
	case RAW_TRUE:
	case RAW_FALSE:
		if (k == K_STRING)
			put1(b, '"');
		put(b, v->p, v->len);
		if (k == K_STRING)
			put1(b, '"');
		return;
	case RAW_OBJECT:
	case RAW_ARRAY:
		if (k != K_STRING) {
			raw_minify(b, v->p, v->len);
			return;
		}
		buf_reset(tmp);
		raw_minify(tmp, v->p, v->len);
		json_string_out(b, buf_str(tmp), tmp->len);
		return;
	case RAW_STRING:
		break;
	}
	if (!v->escaped && (k == K_STRING || k == K_ASIS ||
	    (k == K_DATETIME && is_canonical_time(v->p + 1, v->len - 2)))) {
		put(b, v->p, v->len);	/* the common case */
		return;
	}
	/* The contents, unescaped and NUL-terminated, for the others. */
	buf_reset(tmp);
	raw_unescape(tmp, v->p, v->len);
	s = buf_str(tmp);
	n = tmp->len;
	switch (k) {
	case K_LONG:
	case K_REAL:
		number_text_out(b, s, n, k == K_LONG);
		return;
	case K_BOOL:
		if ((t = bool_of_string(s, n)) != -1) {
			buf_adds(b, t ? "true" : "false");
			return;
		}
		break;
	case K_DATETIME:
		if (time_normalise(s, n, when, sizeof(when)) == 0) {
			json_string_out(b, when, strlen(when));
			return;
		}
		break;
	case K_DYNAMIC:
		if (raw_is_json(s, n, &inner)) {
			raw_minify(b, s, n);
			return;
		}
		break;
	default:
		break;
	}
	json_string_out(b, s, n);
}

static void
cell_prefix(struct buf *b, const struct layout *l, size_t c, int keys)
{
	if (c > 0)
		put1(b, ',');
	if (keys)
		put(b, l->keys[c].data, l->keys[c].len);
}

/* Appends the cells of row r (the next one, for raw rows). */
static void
row_out(struct buf *b, struct layout *l, size_t r, int keys)
{
	struct raw_value v;
	const json_t *row;
	const char *p, *end = l->raw_end;
	size_t c = 0;

	if (l->raw_cur == NULL) {
		row = json_array_get(l->rows, r);
		for (c = 0; c < l->ncols; c++) {
			cell_prefix(b, l, c, keys);
			typed_out(b, l->kinds[c], json_array_get(row, c));
		}
		return;
	}
	/* Checked by raw_response_read: an array of valid values. */
	p = raw_ws(raw_ws(l->raw_cur, end) + 1, end);
	if (p < end && *p != ']') {
		for (;;) {
			p = raw_scan(p, end, &v, NULL);
			if (p == NULL)
				return;
			if (c < l->ncols) {
				cell_prefix(b, l, c, keys);
				typed_raw(b, l->kinds[c], &v, &l->tmp);
			}
			c++;
			p = raw_ws(p, end);
			if (p >= end || *p != ',')
				break;
			p = raw_ws(p + 1, end);
		}
	}
	for (; c < l->ncols; c++) {
		cell_prefix(b, l, c, keys);
		put(b, "null", 4);
	}
	p = raw_ws(p + 1, end);
	if (p < end && *p == ',')
		p++;
	l->raw_cur = p;
}

static int
write_ndjson(FILE *fp, struct layout *l)
{
	struct out o;
	struct buf *b = &o.b;
	size_t r;

	out_init(&o, fp);
	for (r = 0; r < l->nrows && !o.failed; r++) {
		put1(b, '{');
		row_out(b, l, r, 1);
		put(b, "}\n", 2);
		out_maybe_flush(&o);
	}
	return out_finish(&o);
}

static int
write_json(FILE *fp, struct layout *l, const json_t *partial)
{
	struct out o;
	struct buf *b = &o.b;
	size_t r, c;

	out_init(&o, fp);
	buf_adds(b, "{\"columns\":[");
	for (c = 0; c < l->ncols; c++) {
		buf_adds(b, c > 0 ? ",{\"name\":" : "{\"name\":");
		json_string_out(b, l->names[c], l->name_lens[c]);
		buf_adds(b, ",\"type\":");
		if (l->types[c] != NULL)
			json_string_out(b, l->types[c], strlen(l->types[c]));
		else
			buf_adds(b, "null");
		put1(b, '}');
	}
	buf_adds(b, "],\"rows\":[");
	for (r = 0; r < l->nrows && !o.failed; r++) {
		buf_adds(b, r > 0 ? ",[" : "[");
		row_out(b, l, r, 0);
		put1(b, ']');
		out_maybe_flush(&o);
	}
	buf_printf(b, "],\"row_count\":%zu,\"returned_rows\":%zu,"
	    "\"truncated\":%s,\"partial_error\":", l->total, l->nrows,
	    l->nrows < l->total ? "true" : "false");
	if (partial != NULL)
		json_out(b, partial);
	else
		buf_adds(b, "null");
	buf_adds(b, "}\n");
	return out_finish(&o);
}

/*
 * Makes a cell fit for a terminal: control characters become '?' (tab
 * and line breaks a space), and text wider than CELL_MAX characters is
 * cut to CELL_MAX - 1 and an ellipsis.  Returns its width in characters.
 */
static size_t
cell_safe(const char *s, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start, chars = 0, limit, width = 0;

	for (i = 0; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			chars++;
	limit = chars > CELL_MAX ? CELL_MAX - 1 : chars;
	buf_reset(out);
	for (i = 0; i < n && width < limit; width++) {
		if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			put1(out, ' ');
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			put1(out, '?');
			i++;
		} else if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			put1(out, '?');	/* a C1 control */
			i += 2;
		} else {
			start = i++;
			while (i < n && (p[i] & 0xc0) == 0x80)
				i++;
			put(out, s + start, i - start);
		}
	}
	if (limit < chars) {
		buf_adds(out, "\xe2\x80\xa6");
		width++;
	}
	return width;
}

static int
is_numeric_kind(enum kind k)
{
	return k == K_LONG || k == K_REAL;
}

static void
pad(FILE *fp, size_t n)
{
	while (n-- > 0)
		putc(' ', fp);
}

static int
write_table(FILE *fp, const struct layout *l)
{
	struct buf cell, safe;
	size_t *width, r, c, w;
	const json_t *row;
	const char *bold, *reset;
	int rc = 0;

	if (l->ncols == 0) {
		fputs("(no columns)\n", fp);
		goto out_plain;
	}
	width = calloc(l->ncols, sizeof(*width));
	if (width == NULL)
		return -1;
	buf_init(&cell);
	buf_init(&safe);
	for (c = 0; c < l->ncols; c++)
		width[c] = cell_safe(l->names[c], l->name_lens[c], &safe);
	for (r = 0; r < l->nrows; r++) {
		row = json_array_get(l->rows, r);
		for (c = 0; c < l->ncols; c++) {
			buf_reset(&cell);
			text_out(&cell, l->kinds[c], json_array_get(row, c));
			w = cell_safe(buf_str(&cell), cell.len, &safe);
			if (w > width[c])
				width[c] = w;
		}
	}
	bold = term_sgr(fileno(fp), SGR_BOLD);
	reset = term_sgr(fileno(fp), SGR_RESET);
	fputs(bold, fp);
	for (c = 0; c < l->ncols; c++) {
		w = cell_safe(l->names[c], l->name_lens[c], &safe);
		if (c > 0)
			fputs("  ", fp);
		if (is_numeric_kind(l->kinds[c]))
			pad(fp, width[c] - w);
		term_put_safe(fp, buf_str(&safe), 0);
		if (!is_numeric_kind(l->kinds[c]) && c + 1 < l->ncols)
			pad(fp, width[c] - w);
	}
	fputs(reset, fp);
	putc('\n', fp);
	for (c = 0; c < l->ncols; c++) {
		if (c > 0)
			fputs("  ", fp);
		for (w = 0; w < width[c]; w++)
			putc('-', fp);
	}
	putc('\n', fp);
	for (r = 0; r < l->nrows; r++) {
		row = json_array_get(l->rows, r);
		for (c = 0; c < l->ncols; c++) {
			buf_reset(&cell);
			text_out(&cell, l->kinds[c], json_array_get(row, c));
			w = cell_safe(buf_str(&cell), cell.len, &safe);
			if (c > 0)
				fputs("  ", fp);
			if (is_numeric_kind(l->kinds[c]))
				pad(fp, width[c] - w);
			term_put_safe(fp, buf_str(&safe), 0);
			if (!is_numeric_kind(l->kinds[c]) && c + 1 < l->ncols)
				pad(fp, width[c] - w);
		}
		putc('\n', fp);
	}
	if (buf_failed(&cell) || buf_failed(&safe))
		rc = -1;
	buf_release(&cell);
	buf_release(&safe);
	free(width);
out_plain:
	if (l->nrows < l->total)
		fprintf(fp, "(%zu of %zu rows)\n", l->nrows, l->total);
	else
		fprintf(fp, "(%zu row%s)\n", l->total,
		    l->total == 1 ? "" : "s");
	if (fflush(fp) == EOF || ferror(fp))
		rc = -1;
	return rc;
}

/* One CSV field (RFC 4180): quoted when it holds , " CR or LF. */
static void
csv_field(struct buf *b, const char *s, size_t n)
{
	size_t i;
	int quote = 0;

	for (i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			quote = 1;
	if (quote)
		put1(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			put1(b, '"');
		if (s[i] != '\0')	/* NUL has no place in a text file */
			put1(b, s[i]);
	}
	if (quote)
		put1(b, '"');
}

static int
write_csv(FILE *fp, const struct layout *l)
{
	struct out o;
	struct buf cell;
	const json_t *row;
	size_t r, c;

	out_init(&o, fp);
	buf_init(&cell);
	for (c = 0; c < l->ncols; c++) {
		if (c > 0)
			put1(&o.b, ',');
		csv_field(&o.b, l->names[c], l->name_lens[c]);
	}
	if (l->ncols > 0)
		put(&o.b, "\r\n", 2);
	for (r = 0; r < l->nrows && !o.failed; r++) {
		row = json_array_get(l->rows, r);
		for (c = 0; c < l->ncols; c++) {
			if (c > 0)
				put1(&o.b, ',');
			buf_reset(&cell);
			text_out(&cell, l->kinds[c], json_array_get(row, c));
			csv_field(&o.b, buf_str(&cell), cell.len);
		}
		put(&o.b, "\r\n", 2);
		out_maybe_flush(&o);
	}
	if (buf_failed(&cell))
		o.failed = 1;
	buf_release(&cell);
	return out_finish(&o);
}

static int
write_layout(FILE *fp, struct layout *l, enum output_format f,
    const json_t *partial)
{
	switch (f) {
	case OUTPUT_NDJSON:
		return write_ndjson(fp, l);
	case OUTPUT_JSON:
		return write_json(fp, l, partial);
	case OUTPUT_TABLE:
		return write_table(fp, l);
	case OUTPUT_CSV:
		return write_csv(fp, l);
	}
	return -1;
}

int
output_result(FILE *fp, const json_t *response, enum output_format f,
    long max_rows, struct output_summary *sum)
{
	struct layout l;
	const json_t *table, *e, *rows;
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	table = primary_table(response, &sum->other_tables);
	e = json_object_get(response, "error");
	sum->partial_error = json_is_object(e) ? e : NULL;
	rows = json_object_get(table, "rows");
	if (layout_init(&l, json_object_get(table, "columns"), rows,
	    json_array_size(rows), max_rows) == -1) {
		layout_release(&l);
		errno = ENOMEM;
		return -1;
	}
	sum->row_count = l.total;
	sum->returned_rows = l.nrows;
	sum->truncated = l.nrows < l.total;
	rc = write_layout(fp, &l, f, sum->partial_error);
	layout_release(&l);
	return rc;
}

int
output_raw(FILE *fp, const struct raw_response *r, enum output_format f,
    long max_rows, struct output_summary *sum, struct buf *err)
{
	const struct raw_table *t = NULL;
	struct layout l;
	json_t *whole;
	size_t i;
	int rc;

	if (f == OUTPUT_TABLE || f == OUTPUT_CSV) {
		/* Formats for people: small results, the general path. */
		whole = raw_response_json(r, err);
		if (whole == NULL)
			return -2;
		rc = output_result(fp, whole, f, max_rows, sum);
		sum->partial_error = r->error;
		json_decref(whole);
		return rc;
	}
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < r->ntables && t == NULL; i++)
		if (r->tables[i].name != NULL &&
		    strcmp(r->tables[i].name, "PrimaryResult") == 0)
			t = &r->tables[i];
	if (t == NULL && r->ntables > 0)
		t = &r->tables[0];
	sum->other_tables = r->ntables > 0 ? r->ntables - 1 : 0;
	sum->partial_error = r->error;
	if (layout_init(&l, t != NULL ? t->columns : NULL, NULL,
	    t != NULL ? t->nrows : 0, max_rows) == -1) {
		layout_release(&l);
		errno = ENOMEM;
		return -1;
	}
	if (t != NULL && t->rows != NULL) {
		l.raw_end = r->body + r->len;
		l.raw_cur = raw_ws(t->rows + 1, l.raw_end);	/* row 0 */
	}
	sum->row_count = l.total;
	sum->returned_rows = l.nrows;
	sum->truncated = l.nrows < l.total;
	rc = write_layout(fp, &l, f, sum->partial_error);
	layout_release(&l);
	return rc;
}

int
output_error(FILE *fp, const char *code, const char *message,
    const json_t *details)
{
	struct out o;

	out_init(&o, fp);
	buf_adds(&o.b, "{\"error\":{\"code\":");
	json_string_out(&o.b, code, strlen(code));
	buf_adds(&o.b, ",\"message\":");
	json_string_out(&o.b, message, strlen(message));
	buf_adds(&o.b, ",\"details\":");
	if (details != NULL)
		json_out(&o.b, details);
	else
		buf_adds(&o.b, "null");
	buf_adds(&o.b, "}}\n");
	return out_finish(&o);
}

/* "code: message" of one error object, on one line. */
static void
describe_one(struct buf *b, const json_t *e, int depth)
{
	const char *code, *msg;
	const json_t *details;
	size_t i;

	if (!json_is_object(e) || depth >= DESCRIBE_DEPTH)
		return;
	code = json_string_value(json_object_get(e, "code"));
	msg = json_string_value(json_object_get(e, "message"));
	if (code != NULL || msg != NULL) {
		if (b->len > 0)
			put1(b, '\n');
		for (i = 0; i < (size_t)depth; i++)
			buf_adds(b, "  ");
		if (code != NULL && msg != NULL)
			buf_printf(b, "%s: %s", code, msg);
		else
			buf_adds(b, code != NULL ? code : msg);
	}
	describe_one(b, json_object_get(e, "innererror"), depth + 1);
	details = json_object_get(e, "details");
	for (i = 0; i < json_array_size(details); i++)
		describe_one(b, json_array_get(details, i), depth + 1);
}

void
output_describe_error(struct buf *b, const json_t *error)
{
	struct buf tmp;

	buf_init(&tmp);
	describe_one(&tmp, error, 0);
	put(b, buf_str(&tmp), tmp.len);
	buf_release(&tmp);
}
