/*
 * import: "triage-kql import" loads exported logs into a local
 * workspace: CSV with a header (Log Analytics portal exports and pandas
 * files included), a JSON array of objects, NDJSON, or a Log Analytics
 * query response.  Two passes over the input: the first finds the
 * columns and their types (from data/tables/TABLE.json for the known
 * Sentinel tables, else from the values) and checks the shape of every
 * record; the second converts and inserts.  Everything happens in one
 * transaction, so a bad row leaves the workspace as it was.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "backend.h"
#include "buf.h"
#include "cli.h"
#include "file.h"
#include "isotime.h"
#include "kql/catalog.h"
#include "kql/csv.h"
#include "kql/exec.h"
#include "kql/parse.h"
#include "kql/time.h"
#include "ndjson.h"
#include "paths.h"
#include "term.h"
#include "utf8.h"

#define MAX_REPORTED	20	/* bad rows listed before "and N more" */
#define MAX_COLUMNS	1000	/* columns a table may have */

static const char import_synopsis[] =
"triage-kql import [-w FILE] [--now TIME] [--rebase ANCHOR] [--replace]\n"
"                  [--format csv|json|ndjson|la] TABLE FILE...";

static const char import_help[] =
"usage: triage-kql import [-w FILE] [--now TIME] [--rebase ANCHOR]\n"
"                         [--replace] [--format FORMAT] TABLE FILE...\n"
"\n"
"Loads exported logs into TABLE of a local workspace (a SQLite file),\n"
"creating both when needed.  FILE is CSV with a header, a JSON array of\n"
"objects, NDJSON, or a Log Analytics query response; - reads stdin.\n"
"Known Sentinel tables take their column types from data/tables/;\n"
"other columns are typed from their values.  A bad row is reported as\n"
"FILE:LINE and nothing is imported.\n"
"\n"
"  -w, --workspace FILE  the workspace (default: $TRIAGE_WORKSPACE)\n"
"      --now TIME        record the workspace's now (ISO-8601), or\n"
"                        'clock' for the real time at each query\n"
"      --rebase ANCHOR   shift every datetime so ANCHOR lands on the\n"
"                        workspace's now (recording the current time as\n"
"                        now when none is recorded)\n"
"      --replace         drop TABLE's rows and columns first\n"
"      --format FORMAT   csv, json, ndjson or la (default: detected)\n"
"  -h, --help            this help\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 imported, 2 usage, 3 bad input (nothing imported),\n"
"1 other failure.\n";

enum fmt { F_AUTO, F_CSV, F_JSON, F_NDJSON, F_LA };

/* What pass 1 saw in a column's values. */
enum seen {
	S_INT = 1 << 0,
	S_REAL = 1 << 1,
	S_BOOL = 1 << 2,
	S_DT = 1 << 3,
	S_DOC = 1 << 4,		/* a JSON object or array */
	S_STR = 1 << 5,		/* other text */
	S_JSON = 1 << 6		/* came from JSON input */
};

struct col {
	char		*name;
	char		*sqlname;
	enum kql_type	 type;
	int		 typed;		/* fixed: schema, workspace or header */
	int		 existing;	/* already a column of the table */
	unsigned	 seen;
};

struct source {
	const char	*name;		/* for messages */
	const char	*path;		/* NULL: stdin, spooled to fp */
	FILE		*fp;
	enum fmt	 fmt;
};

struct import {
	sqlite3		*db;
	const char	*table;
	const char	*datadir;	/* data/tables, or NULL */
	struct col	*cols;
	size_t		 ncols;
	size_t		 cap;
	size_t		*hash;		/* open addressing: col index + 1 */
	size_t		 nhash;
	struct source	*src;
	size_t		 nsrc;
	int		 table_exists;
	int		 pass;
	/* pass 2 */
	sqlite3_stmt	*ins;
	int64_t		 shift;		/* added to every datetime */
	int64_t		 max_dt;
	int		 have_dt;
	size_t		 rows;
	/* errors */
	size_t		 nbad;
	int		 fatal;
	/* the current record */
	const char	*rec_src;
	size_t		 rec_line;
	int		 rec_is_row;	/* rec_line is a row number */
	char		*filled;	/* pass 2: columns set in this record */
};

static void
bad(struct import *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bad(struct import *im, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	im->nbad++;
	if (im->nbad > MAX_REPORTED)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (im->rec_is_row)
		cli_warn("%s: row %zu: %s", im->rec_src, im->rec_line, msg);
	else
		cli_warn("%s:%zu: %s", im->rec_src, im->rec_line, msg);
}

/* ---- columns ---- */

static size_t
name_hash(const char *s)
{
	size_t h = 5381;

	while (*s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static ssize_t
col_find(struct import *im, const char *name)
{
	size_t k;

	if (im->nhash == 0)
		return -1;
	k = name_hash(name) % im->nhash;
	while (im->hash[k] != 0) {
		if (strcmp(im->cols[im->hash[k] - 1].name, name) == 0)
			return (ssize_t)(im->hash[k] - 1);
		k = (k + 1) % im->nhash;
	}
	return -1;
}

static void
rehash(struct import *im)
{
	size_t i, k;

	free(im->hash);
	im->nhash = im->ncols * 4 + 64;
	im->hash = xcalloc(im->nhash, sizeof(*im->hash));
	for (i = 0; i < im->ncols; i++) {
		k = name_hash(im->cols[i].name) % im->nhash;
		while (im->hash[k] != 0)
			k = (k + 1) % im->nhash;
		im->hash[k] = i + 1;
	}
}

static struct col *
col_add(struct import *im, const char *name, enum kql_type type, int typed)
{
	struct col *c;
	char buf[600];
	size_t i;
	int k = 1;

	if (im->ncols == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 32;
		im->cols = xrealloc(im->cols, im->cap * sizeof(*im->cols));
	}
	c = &im->cols[im->ncols++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->type = type;
	c->typed = typed;
	/* SQLite's column names ignore case; Kusto's do not. */
	snprintf(buf, sizeof(buf), "%s", name);
again:
	for (i = 0; i + 1 < im->ncols; i++) {
		if (strcasecmp(im->cols[i].sqlname, buf) == 0) {
			snprintf(buf, sizeof(buf), "%s~%d", name, ++k);
			goto again;
		}
	}
	c->sqlname = xstrdup(buf);
	if (im->ncols * 2 >= im->nhash)
		rehash(im);
	else {
		size_t h = name_hash(name) % im->nhash;

		while (im->hash[h] != 0)
			h = (h + 1) % im->nhash;
		im->hash[h] = im->ncols;
	}
	return c;
}

/* The column for a name in the input, added on first sight. */
static ssize_t
col_for(struct import *im, const char *name)
{
	ssize_t k = col_find(im, name);

	if (k >= 0 || im->pass == 2)
		return k;
	/* SQLite allows 2000 columns a table, and adding one compares it
	 * with every other: 100,000 keys took 20 s to fail. */
	if (im->ncols >= MAX_COLUMNS) {
		if (!im->fatal)
			bad(im, "more than %d columns", MAX_COLUMNS);
		im->fatal = 1;
		return -1;
	}
	col_add(im, name, KQL_T_STRING, 0);
	return (ssize_t)im->ncols - 1;
}

/* Log Analytics portal headers: "TimeGenerated [UTC]". */
static int
clean_header(const char *in, size_t n, char *out, size_t outsz, int *is_dt)
{
	size_t i, len;
	uint32_t cp;

	*is_dt = 0;
	while (n > 0 && isspace((unsigned char)*in)) {
		in++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)in[n - 1]))
		n--;
	if (n > 6 && memcmp(in + n - 6, " [UTC]", 6) == 0) {
		n -= 6;
		*is_dt = 1;
	}
	if (n >= outsz)
		return -1;
	/* A name is text: a binary file (a gzip stream, say) is not CSV. */
	for (i = 0; i < n; i += len) {
		len = utf8_decode((const unsigned char *)in + i, n - i, &cp);
		if (len == 0 || cp < 0x20 || cp == 0x7f)
			return -2;
	}
	memcpy(out, in, n);
	out[n] = '\0';
	return 0;
}

/* ---- values ---- */

static int
is_int_text(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 0 && s[0] == '-')
		i++;
	if (i == n || n - i > 18)
		return 0;
	if (s[i] == '0' && n - i > 1)
		return 0;	/* leading zeros: an identifier, not a number */
	for (; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
is_real_text(const char *s, size_t n)
{
	char buf[64], *end;
	double d;

	if (n == 0 || n >= sizeof(buf) || memchr(s, '.', n) == NULL)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isdigit((unsigned char)buf[0]) && buf[0] != '-')
		return 0;
	d = strtod(buf, &end);
	return *end == '\0' && isfinite(d);
}

static int
parse_dt_text(const char *s, size_t n, int64_t *t)
{
	char buf[64];

	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strchr(buf, '-') == NULL && strchr(buf, '/') == NULL)
		return -1;
	return kql_parse_datetime(buf, t);
}

static int
is_doc_text(const char *s, size_t n)
{
	json_t *j;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (n < 2 || (s[0] != '{' && s[0] != '['))
		return 0;
	j = json_loadb(s, n, 0, NULL);
	json_decref(j);
	return j != NULL;
}

static unsigned
classify_text(const char *s, size_t n, int from_json)
{
	int64_t t;

	if (n == 0)
		return 0;
	if (!from_json) {
		if (is_int_text(s, n))
			return S_INT;
		if (is_real_text(s, n))
			return S_REAL;
		if ((n == 4 && strncasecmp(s, "true", 4) == 0) ||
		    (n == 5 && strncasecmp(s, "false", 5) == 0))
			return S_BOOL;
	}
	if (parse_dt_text(s, n, &t) == 0)
		return S_DT;
	if (is_doc_text(s, n))
		return S_DOC;
	return S_STR;
}

static void
observe(struct col *c, const char *s, size_t n, json_t *j)
{
	if (c->typed)
		return;
	if (j == NULL) {
		c->seen |= classify_text(s, n, 0);
		return;
	}
	c->seen |= S_JSON;
	if (json_is_integer(j))
		c->seen |= S_INT;
	else if (json_is_real(j))
		c->seen |= S_REAL;
	else if (json_is_boolean(j))
		c->seen |= S_BOOL;
	else if (json_is_object(j) || json_is_array(j))
		c->seen |= S_DOC;
	else if (json_is_string(j))
		c->seen |= classify_text(json_string_value(j),
		    json_string_length(j), 1);
}

static enum kql_type
inferred_type(unsigned seen)
{
	unsigned kinds = seen & ~(unsigned)S_JSON;

	if (kinds == 0)
		return KQL_T_STRING;
	if (kinds == S_INT)
		return KQL_T_LONG;
	if ((kinds & ~(unsigned)(S_INT | S_REAL)) == 0)
		return KQL_T_REAL;
	if (kinds == S_BOOL)
		return KQL_T_BOOL;
	if (kinds == S_DT)
		return KQL_T_DATETIME;
	if (kinds == S_DOC || ((seen & S_JSON) && (kinds & S_DOC)))
		return KQL_T_DYNAMIC;
	return KQL_T_STRING;
}

static const char *
affinity(enum kql_type t)
{
	switch (t) {
	case KQL_T_LONG:
	case KQL_T_INT:
	case KQL_T_BOOL:
	case KQL_T_TIMESPAN:
		return "INTEGER";
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		return "REAL";
	default:
		return "TEXT";
	}
}

static void
bind_dt(struct import *im, int idx, int64_t t, const struct col *c)
{
	char out[40];

	t += im->shift;
	if (kql_format_datetime(t, out, sizeof(out)) == -1) {
		bad(im, "column '%s': datetime out of range", c->name);
		return;
	}
	if (!im->have_dt || t > im->max_dt)
		im->max_dt = t;
	im->have_dt = 1;
	sqlite3_bind_text(im->ins, idx, out, KQL_DT_LEN, SQLITE_TRANSIENT);
}

static void
show_value(char *out, size_t outsz, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 4 < outsz; i++)
		out[k++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < n && k + 4 < outsz) {
		out[k++] = '.';
		out[k++] = '.';
		out[k++] = '.';
	}
	out[k] = '\0';
}

/* ---- rebasing times inside JSON ---- */

/*
 * --rebase shifts the datetime columns; times inside JSON text (an
 * alert's entities, its extended properties, an incident's comments, a
 * sign-in's authentication steps) must move with them or they no longer
 * match the rows they describe.  A JSON string that is a whole UTC time,
 * "YYYY-MM-DD[T ]hh:mm:ss[.f]Z", is shifted and written back in its own
 * style; strings holding JSON are rebased inside, a few levels deep.
 */
#define REBASE_DEPTH	4

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* The shifted time into out, or 0 when s is not a whole UTC time. */
static int
rebase_time(const char *s, size_t n, int64_t shift, char *out, size_t outsz)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000 };
	int64_t y, days, t, frac = 0, secs;
	unsigned mo, d;
	size_t nf = 0, keep;
	int h, mi, se;
	char fbuf[8];

	if (n < 20 || s[n - 1] != 'Z' || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return 0;
	if (n > 20) {
		nf = n - 21;
		if (s[19] != '.' || nf < 1 || nf > 7 || !digits(s + 20, nf))
			return 0;
		frac = num(s + 20, nf) * pow10[7 - nf];
	}
	mo = (unsigned)num(s + 5, 2);
	d = (unsigned)num(s + 8, 2);
	h = num(s + 11, 2);
	mi = num(s + 14, 2);
	se = num(s + 17, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return 0;
	days = iso_days_from_civil(num(s, 4), mo, d);
	t = ((days * 86400 + h * 3600 + mi * 60 + se) * 10000000) + frac +
	    shift;
	secs = t >= 0 ? t / 10000000 : -((-t + 9999999) / 10000000);
	frac = t - secs * 10000000;
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	secs -= days * 86400;
	iso_civil_from_days(days, &y, &mo, &d);
	if (y < 0 || y > 9999)
		return 0;
	/* as many fraction digits as before, more if the shift needs */
	keep = nf;
	if (frac % pow10[7 - keep] != 0)
		keep = 7;
	snprintf(fbuf, sizeof(fbuf), "%07lld", (long long)frac);
	while (keep > nf && fbuf[keep - 1] == '0')
		keep--;
	snprintf(out, outsz, "%04lld-%02u-%02u%c%02d:%02d:%02d%s%.*sZ",
	    (long long)y, mo, d, s[10], (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60), keep > 0 ? "." : "",
	    (int)keep, fbuf);
	return 1;
}

static int rebase_tree(json_t *j, int64_t shift, int depth);

/* A string: a time, or JSON text to rebase inside.  1 if changed. */
static int
rebase_string(json_t *j, int64_t shift, int depth)
{
	const char *s = json_string_value(j);
	size_t n = json_string_length(j), i;
	char out[48], *text;
	json_t *in;
	int changed = 0;

	if (rebase_time(s, n, shift, out, sizeof(out)))
		return json_string_set(j, out) == 0;
	for (i = 0; i < n && isspace((unsigned char)s[i]); i++)
		;
	if (depth >= REBASE_DEPTH || i == n || (s[i] != '{' && s[i] != '['))
		return 0;
	in = json_loadb(s, n, 0, NULL);
	if (in != NULL && rebase_tree(in, shift, depth + 1) &&
	    (text = json_dumps(in, JSON_COMPACT)) != NULL) {
		changed = json_string_set(j, text) == 0;
		free(text);
	}
	json_decref(in);
	return changed;
}

/* Rebases every time in j, in place.  1 if any changed. */
static int
rebase_tree(json_t *j, int64_t shift, int depth)
{
	const char *k;
	json_t *v;
	size_t i;
	int changed = 0;

	if (json_is_string(j))
		return rebase_string(j, shift, depth);
	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			changed |= rebase_tree(v, shift, depth);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			changed |= rebase_tree(v, shift, depth);
	}
	return changed;
}

/*
 * Text s (n bytes) with the times inside rebased, as a new string, or
 * NULL when it is not JSON text holding a time.
 */
static char *
rebase_text(const struct import *im, const char *s, size_t n)
{
	json_t *j;
	char *out = NULL;

	if (im->shift == 0)
		return NULL;
	j = json_stringn_nocheck(s, n);
	if (j != NULL && rebase_string(j, im->shift, 1))
		out = strdup(json_string_value(j));
	json_decref(j);
	return out;
}

/* Binds text s as column c's type; reports a value that is not one. */
static void
bind_text(struct import *im, int idx, const struct col *c, const char *s,
    size_t n)
{
	char buf[64], *end, shown[48], *r;
	int64_t t;
	double d;
	long long v;
	json_t *j;

	if (n == 0 && c->type != KQL_T_STRING && c->type != KQL_T_GUID) {
		sqlite3_bind_null(im->ins, idx);
		return;
	}
	switch (c->type) {
	case KQL_T_STRING:
	case KQL_T_GUID:
		if (c->type == KQL_T_STRING && (r = rebase_text(im, s, n)) !=
		    NULL) {
			sqlite3_bind_text(im->ins, idx, r, -1, free);
			return;
		}
		sqlite3_bind_text(im->ins, idx, s, (int)n, SQLITE_TRANSIENT);
		return;
	case KQL_T_LONG:
	case KQL_T_INT:
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		if (n >= sizeof(buf))
			break;
		memcpy(buf, s, n);
		buf[n] = '\0';
		errno = 0;
		if (c->type == KQL_T_LONG || c->type == KQL_T_INT) {
			v = strtoll(buf, &end, 10);
			if (*end == '\0' && errno == 0 && end != buf) {
				sqlite3_bind_int64(im->ins, idx, v);
				return;
			}
			/* "12.0" is a whole number too */
			d = strtod(buf, &end);
			if (*end == '\0' && end != buf && d == floor(d) &&
			    fabs(d) < 9e18) {
				sqlite3_bind_int64(im->ins, idx, (int64_t)d);
				return;
			}
			break;
		}
		d = strtod(buf, &end);
		if (*end == '\0' && end != buf) {
			sqlite3_bind_double(im->ins, idx, d);
			return;
		}
		break;
	case KQL_T_BOOL:
		if ((n == 4 && strncasecmp(s, "true", 4) == 0) ||
		    (n == 1 && s[0] == '1')) {
			sqlite3_bind_int(im->ins, idx, 1);
			return;
		}
		if ((n == 5 && strncasecmp(s, "false", 5) == 0) ||
		    (n == 1 && s[0] == '0')) {
			sqlite3_bind_int(im->ins, idx, 0);
			return;
		}
		break;
	case KQL_T_DATETIME:
		if (n < sizeof(buf)) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			if (kql_parse_datetime(buf, &t) == 0) {
				bind_dt(im, idx, t, c);
				return;
			}
		}
		break;
	case KQL_T_TIMESPAN:
		if (n < sizeof(buf)) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			if (kql_parse_timespan(buf, &t) == 0) {
				sqlite3_bind_int64(im->ins, idx, t);
				return;
			}
		}
		break;
	case KQL_T_DYNAMIC:
	case KQL_T_UNKNOWN:
		/* JSON text as it is (compacted); other text as a string */
		j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
		if (j == NULL)
			j = json_stringn_nocheck(s, n);
		if (j != NULL && im->shift != 0)
			rebase_tree(j, im->shift, 1);
		{
			char *out = json_dumps(j, JSON_COMPACT |
			    JSON_ENCODE_ANY);

			json_decref(j);
			if (out == NULL) {
				im->fatal = 1;
				return;
			}
			sqlite3_bind_text(im->ins, idx, out, -1, free);
		}
		return;
	}
	show_value(shown, sizeof(shown), s, n);
	bad(im, "column '%s': '%s' is not a valid %s", c->name, shown,
	    kql_type_name(c->type));
}

static void
bind_json(struct import *im, int idx, const struct col *c, json_t *j)
{
	char *s;

	if (json_is_null(j)) {
		if (c->type == KQL_T_STRING || c->type == KQL_T_GUID)
			sqlite3_bind_text(im->ins, idx, "", 0, SQLITE_STATIC);
		else
			sqlite3_bind_null(im->ins, idx);
		return;
	}
	if (json_is_string(j)) {
		bind_text(im, idx, c, json_string_value(j),
		    json_string_length(j));
		return;
	}
	switch (c->type) {
	case KQL_T_LONG:
	case KQL_T_INT:
		if (json_is_integer(j)) {
			sqlite3_bind_int64(im->ins, idx, json_integer_value(j));
			return;
		}
		if (json_is_real(j) && json_real_value(j) ==
		    floor(json_real_value(j)) && fabs(json_real_value(j)) <
		    9e18) {
			sqlite3_bind_int64(im->ins, idx,
			    (int64_t)json_real_value(j));
			return;
		}
		if (json_is_boolean(j)) {
			sqlite3_bind_int(im->ins, idx, json_is_true(j));
			return;
		}
		break;
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		if (json_is_number(j)) {
			sqlite3_bind_double(im->ins, idx, json_number_value(j));
			return;
		}
		break;
	case KQL_T_BOOL:
		if (json_is_boolean(j)) {
			sqlite3_bind_int(im->ins, idx, json_is_true(j));
			return;
		}
		if (json_is_integer(j)) {
			sqlite3_bind_int(im->ins, idx,
			    json_integer_value(j) != 0);
			return;
		}
		break;
	case KQL_T_TIMESPAN:
		if (json_is_integer(j)) {
			sqlite3_bind_int64(im->ins, idx, json_integer_value(j));
			return;
		}
		break;
	case KQL_T_DATETIME:
		break;
	default:
		/* string or dynamic: the JSON text */
		if (im->shift != 0 && (json_is_object(j) || json_is_array(j))) {
			json_t *cp = json_deep_copy(j);

			if (cp == NULL) {
				im->fatal = 1;
				return;
			}
			rebase_tree(cp, im->shift, 1);
			s = json_dumps(cp, JSON_COMPACT | JSON_ENCODE_ANY);
			json_decref(cp);
		} else {
			s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		}
		if (s == NULL) {
			im->fatal = 1;
			return;
		}
		sqlite3_bind_text(im->ins, idx, s, -1, free);
		return;
	}
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	bad(im, "column '%s': %.40s is not a valid %s", c->name,
	    s ? s : "value", kql_type_name(c->type));
	free(s);
}

/* One cell of the current record: text (CSV) or a JSON value. */
static void
on_cell(struct import *im, ssize_t k, const char *s, size_t n, json_t *j)
{
	struct col *c;

	if (k < 0)
		return;
	c = &im->cols[k];
	if (im->pass == 1) {
		observe(c, s, n, j);
		return;
	}
	im->filled[k] = 1;
	if (j != NULL)
		bind_json(im, (int)k + 1, c, j);
	else
		bind_text(im, (int)k + 1, c, s, n);
}

static void
begin_record(struct import *im, const char *src, size_t line, int is_row)
{
	im->rec_src = src;
	im->rec_line = line;
	im->rec_is_row = is_row;
	if (im->pass == 2)
		memset(im->filled, 0, im->ncols);
}

static void
end_record(struct import *im)
{
	size_t i;
	size_t before = im->nbad;

	if (im->pass == 1)
		return;
	for (i = 0; i < im->ncols; i++) {
		if (im->filled[i])
			continue;
		if (im->cols[i].type == KQL_T_STRING ||
		    im->cols[i].type == KQL_T_GUID)
			sqlite3_bind_text(im->ins, (int)i + 1, "", 0,
			    SQLITE_STATIC);
		else
			sqlite3_bind_null(im->ins, (int)i + 1);
	}
	if (im->nbad == before && !im->fatal) {
		if (sqlite3_step(im->ins) != SQLITE_DONE) {
			bad(im, "%s", sqlite3_errmsg(im->db));
			im->fatal = 1;
		}
		im->rows++;
	}
	sqlite3_reset(im->ins);
	sqlite3_clear_bindings(im->ins);
}

/* ---- readers ---- */

static int
read_csv(struct import *im, struct source *sr)
{
	struct kql_csv csv;
	ssize_t *map = NULL;
	size_t nhdr = 0, i, n;
	char name[512];
	const char *f;
	int rc, is_dt, ret = 0;

	kql_csv_init(&csv, sr->fp);
	rc = kql_csv_next(&csv);
	if (rc <= 0) {
		im->rec_src = sr->name;
		im->rec_line = csv.rec_line ? csv.rec_line : 1;
		im->rec_is_row = 0;
		if (rc == 0)
			bad(im, "no header line");
		else
			bad(im, "malformed header: %s", csv.error[0] ?
			    csv.error : "read error");
		kql_csv_release(&csv);
		return -1;
	}
	nhdr = csv.nfields;
	map = xcalloc(nhdr, sizeof(*map));
	for (i = 0; i < nhdr; i++) {
		f = kql_csv_field(&csv, i, &n);
		if ((rc = clean_header(f, n, name, sizeof(name), &is_dt)) <
		    0) {
			im->rec_src = sr->name;
			im->rec_line = 1;
			bad(im, "%s", rc == -1 ? "column name too long" :
			    "column name is not text (binary data?)");
			ret = -1;
			goto out;
		}
		/* pandas writes its row index first, with no name */
		if (i == 0 && (name[0] == '\0' ||
		    strcmp(name, "Unnamed: 0") == 0)) {
			map[i] = -1;
			continue;
		}
		if (name[0] == '\0')
			snprintf(name, sizeof(name), "Column%zu", i + 1);
		{
			size_t j;

			for (j = 0; j < i; j++) {
				if (map[j] >= 0 && strcmp(im->cols[map[j]].name,
				    name) == 0) {
					im->rec_src = sr->name;
					im->rec_line = 1;
					im->rec_is_row = 0;
					bad(im, "column '%s' appears twice",
					    name);
					ret = -1;
					goto out;
				}
			}
		}
		map[i] = col_for(im, name);
		if (map[i] >= 0 && is_dt && !im->cols[map[i]].typed) {
			im->cols[map[i]].type = KQL_T_DATETIME;
			im->cols[map[i]].typed = 1;
		}
	}
	/* A blank first line names no column: its "rows" would land in an
	 * existing table as empty rows. */
	for (i = 0; i < nhdr && map[i] < 0; i++)
		;
	if (i == nhdr && !im->fatal) {
		im->rec_src = sr->name;
		im->rec_line = 1;
		im->rec_is_row = 0;
		bad(im, "no header line");
		ret = -1;
		goto out;
	}
	for (;;) {
		rc = kql_csv_next(&csv);
		if (rc == 0)
			break;
		if (rc == -2) {
			im->rec_src = sr->name;
			im->rec_line = csv.line;
			bad(im, "read error");
			im->fatal = 1;
			ret = -1;
			break;
		}
		begin_record(im, sr->name, csv.rec_line, 0);
		if (rc == -1) {
			bad(im, "%s", csv.error);
			continue;
		}
		if (csv.nfields != nhdr) {
			bad(im, "expected %zu fields, found %zu", nhdr,
			    csv.nfields);
			if (im->pass == 2)
				sqlite3_clear_bindings(im->ins);
			continue;
		}
		for (i = 0; i < nhdr; i++) {
			f = kql_csv_field(&csv, i, &n);
			on_cell(im, map[i], f, n, NULL);
		}
		end_record(im);
		if (im->fatal)
			break;
	}
out:
	free(map);
	kql_csv_release(&csv);
	return ret;
}

static void
read_object(struct import *im, json_t *obj)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v)
		on_cell(im, col_for(im, k), NULL, 0, v);
	end_record(im);
}

static int
read_ndjson(struct import *im, struct source *sr)
{
	struct ndjson_reader r;
	json_t *obj;
	char *line;
	size_t len;

	ndjson_init(&r, sr->fp, sr->name);
	while ((line = ndjson_getline(&r, &len)) != NULL) {
		begin_record(im, sr->name, r.line, 0);
		obj = json_loadb(line, len, 0, NULL);
		if (!json_is_object(obj)) {
			bad(im, obj == NULL ? "malformed JSON" :
			    "expected an object");
			json_decref(obj);
			continue;
		}
		read_object(im, obj);
		json_decref(obj);
		if (im->fatal)
			break;
	}
	if (r.failed) {
		cli_warn("%s", r.error);
		im->fatal = 1;
	}
	ndjson_release(&r);
	return im->fatal ? -1 : 0;
}

static char *
slurp(struct import *im, struct source *sr, size_t *len)
{
	char *data = NULL;

	if (file_read_fp(sr->fp, (size_t)4 << 30, &data, len) == -1) {
		cli_warn("%s: %s", sr->name, strerror(errno));
		im->fatal = 1;
		return NULL;
	}
	return data;
}

static size_t
count_lines(const char *s, size_t from, size_t to, size_t line)
{
	const char *p = s + from, *e = s + to;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

static int
read_json_array(struct import *im, struct source *sr)
{
	json_error_t je;
	json_t *obj;
	char *data;
	size_t len, pos = 0, line = 1, at;

	data = slurp(im, sr, &len);
	if (data == NULL)
		return -1;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len && isspace((unsigned char)data[pos]))
		pos++;
	line = count_lines(data, 0, pos, 1);
	pos++;				/* [ */
	for (;;) {
		at = pos;
		while (pos < len && isspace((unsigned char)data[pos]))
			pos++;
		line = count_lines(data, at, pos, line);
		if (pos < len && data[pos] == ']')
			break;
		begin_record(im, sr->name, line, 0);
		obj = json_loadb(data + pos, len - pos, JSON_DISABLE_EOF_CHECK,
		    &je);
		if (obj == NULL && data[pos] != '{' && data[pos] != '[') {
			json_t *any = json_loadb(data + pos, len - pos,
			    JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, NULL);

			if (any != NULL) {
				/* a value, but not an object: the rest of
				 * the file is not worth reading */
				json_decref(any);
				bad(im, "expected an object");
				free(data);
				return -1;
			}
		}
		if (obj == NULL) {
			im->rec_line = count_lines(data, pos, pos +
			    (size_t)(je.position > 0 ? je.position - 1 : 0),
			    line);
			bad(im, "malformed JSON: %s", je.text);
			im->fatal = 1;
			free(data);
			return -1;
		}
		if (!json_is_object(obj))
			bad(im, "expected an object");
		else
			read_object(im, obj);
		json_decref(obj);
		at = pos;
		pos += (size_t)je.position;
		line = count_lines(data, at, pos, line);
		while (pos < len && isspace((unsigned char)data[pos])) {
			if (data[pos] == '\n')
				line++;
			pos++;
		}
		if (pos < len && data[pos] == ',') {
			pos++;
			continue;
		}
		if (pos < len && data[pos] == ']')
			break;
		im->rec_line = line;
		bad(im, "expected ',' or ']' in the array");
		im->fatal = 1;
		free(data);
		return -1;
	}
	free(data);
	return 0;
}

/* A Log Analytics query response: the first table's rows. */
static int
read_la(struct import *im, struct source *sr)
{
	json_error_t je;
	json_t *root, *tab, *cols, *rows, *row, *c;
	ssize_t *map;
	char *data;
	size_t len, i, k;
	int ty;

	data = slurp(im, sr, &len);
	if (data == NULL)
		return -1;
	root = json_loadb(data, len, 0, &je);
	free(data);
	tab = json_array_get(json_object_get(root, "tables"), 0);
	cols = json_object_get(tab, "columns");
	rows = json_object_get(tab, "rows");
	if (!json_is_array(cols) || !json_is_array(rows)) {
		im->rec_src = sr->name;
		im->rec_line = root ? 1 : (size_t)je.line;
		im->rec_is_row = 0;
		bad(im, root ? "not a query response (no tables[0].columns "
		    "and rows)" : "malformed JSON");
		json_decref(root);
		im->fatal = 1;
		return -1;
	}
	map = xcalloc(json_array_size(cols) + 1, sizeof(*map));
	json_array_foreach(cols, i, c) {
		const char *name = json_string_value(json_object_get(c,
		    "name"));
		const char *type = json_string_value(json_object_get(c,
		    "type"));

		if (name == NULL) {
			im->rec_src = sr->name;
			im->rec_line = 1;
			bad(im, "column %zu has no name", i + 1);
			im->fatal = 1;
			free(map);
			json_decref(root);
			return -1;
		}
		map[i] = col_for(im, name);
		if (map[i] >= 0 && type != NULL && !im->cols[map[i]].typed &&
		    (ty = kql_type_parse(type)) > 0) {
			im->cols[map[i]].type = (enum kql_type)ty;
			im->cols[map[i]].typed = 1;
		}
	}
	json_array_foreach(rows, i, row) {
		begin_record(im, sr->name, i + 1, 1);
		if (!json_is_array(row) || json_array_size(row) !=
		    json_array_size(cols)) {
			bad(im, "expected an array of %zu values",
			    json_array_size(cols));
			continue;
		}
		for (k = 0; k < json_array_size(cols); k++)
			on_cell(im, map[k], NULL, 0, json_array_get(row, k));
		end_record(im);
		if (im->fatal)
			break;
	}
	free(map);
	json_decref(root);
	return 0;
}

/* Decides a source's format from its first bytes. */
static enum fmt
detect(struct source *sr)
{
	char buf[4096];
	size_t n, i = 0;
	json_t *j;
	json_error_t je;

	n = fread(buf, 1, sizeof(buf) - 1, sr->fp);
	rewind(sr->fp);
	buf[n] = '\0';
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && isspace((unsigned char)buf[i]))
		i++;
	if (i < n && buf[i] == '[')
		return F_JSON;
	if (i < n && buf[i] == '{') {
		/* a query response starts {"tables": */
		const char *p = buf + i + 1;

		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "\"tables\"", 8) == 0)
			return F_LA;
		j = json_loadf(sr->fp, JSON_DISABLE_EOF_CHECK, &je);
		rewind(sr->fp);
		if (j != NULL && json_is_array(json_object_get(j, "tables"))) {
			json_decref(j);
			return F_LA;
		}
		json_decref(j);
		return F_NDJSON;
	}
	return F_CSV;
}

static int
walk(struct import *im)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < im->nsrc && !im->fatal; i++) {
		struct source *sr = &im->src[i];

		rewind(sr->fp);
		switch (sr->fmt) {
		case F_CSV:
			rc = read_csv(im, sr);
			break;
		case F_JSON:
			rc = read_json_array(im, sr);
			break;
		case F_NDJSON:
			rc = read_ndjson(im, sr);
			break;
		case F_LA:
			rc = read_la(im, sr);
			break;
		case F_AUTO:
			break;
		}
		if (rc == -1 && im->nbad == 0)
			im->fatal = 1;
	}
	return im->fatal ? -1 : 0;
}

/* ---- the workspace ---- */

static int
exec_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		cli_warn("workspace: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO _kql_meta(key, "
	    "value) VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
meta_get(sqlite3 *db, const char *key, char *out, size_t outsz)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM _kql_meta WHERE key = ?",
	    -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(out, outsz, "%s", sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* The table's columns as the workspace has them. */
static int
load_existing(struct import *im)
{
	sqlite3_stmt *st;
	struct col *c;
	int ty;

	if (sqlite3_prepare_v2(im->db, "SELECT name, type, sqlname FROM "
	    "_kql_columns WHERE tbl = ? ORDER BY ord", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, im->table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ty = kql_type_parse((const char *)sqlite3_column_text(st, 1));
		c = col_add(im, (const char *)sqlite3_column_text(st, 0),
		    ty < 0 ? KQL_T_STRING : (enum kql_type)ty, 1);
		c->existing = 1;
		free(c->sqlname);
		c->sqlname = xstrdup((const char *)sqlite3_column_text(st,
		    2));
		im->table_exists = 1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
load_known(struct import *im)
{
	json_t *cols, *c;
	char err[512];
	size_t i;

	cols = kql_dircat_columns(im->datadir, im->table, err, sizeof(err));
	if (cols == NULL) {
		if (err[0] != '\0') {
			cli_warn("%s", err);
			return -1;
		}
		return 0;
	}
	json_array_foreach(cols, i, c)
		col_add(im, json_string_value(json_object_get(c, "name")),
		    (enum kql_type)kql_type_parse(json_string_value(
		    json_object_get(c, "type"))), 1);
	json_decref(cols);
	return 0;
}

static int
write_schema(struct import *im)
{
	struct buf b;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	buf_init(&b);
	if (!im->table_exists) {
		buf_adds(&b, "CREATE TABLE ");
		kql_sql_quote_ident(&b, im->table);
		buf_adds(&b, " (");
		for (i = 0; i < im->ncols; i++) {
			if (i > 0)
				buf_adds(&b, ", ");
			kql_sql_quote_ident(&b, im->cols[i].sqlname);
			buf_printf(&b, " %s", affinity(im->cols[i].type));
		}
		buf_adds(&b, ")");
		rc = buf_failed(&b) ? -1 : exec_sql(im->db, buf_str(&b));
	} else {
		for (i = 0; i < im->ncols && rc == 0; i++) {
			if (im->cols[i].existing)
				continue;
			buf_reset(&b);
			buf_adds(&b, "ALTER TABLE ");
			kql_sql_quote_ident(&b, im->table);
			buf_adds(&b, " ADD COLUMN ");
			kql_sql_quote_ident(&b, im->cols[i].sqlname);
			buf_printf(&b, " %s", affinity(im->cols[i].type));
			rc = buf_failed(&b) ? -1 : exec_sql(im->db,
			    buf_str(&b));
		}
	}
	buf_release(&b);
	if (rc == -1)
		return -1;
	if (sqlite3_prepare_v2(im->db, "DELETE FROM _kql_columns WHERE tbl = ?",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, im->table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	if (rc == -1 || sqlite3_prepare_v2(im->db, "INSERT INTO _kql_columns"
	    "(tbl, ord, name, type, sqlname) VALUES (?, ?, ?, ?, ?)", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < im->ncols && rc == 0; i++) {
		sqlite3_bind_text(st, 1, im->table, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, im->cols[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, kql_type_name(im->cols[i].type), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 5, im->cols[i].sqlname, -1,
		    SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
prepare_insert(struct import *im)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b);
	buf_adds(&b, "INSERT INTO ");
	kql_sql_quote_ident(&b, im->table);
	buf_adds(&b, " (");
	for (i = 0; i < im->ncols; i++) {
		if (i > 0)
			buf_adds(&b, ", ");
		kql_sql_quote_ident(&b, im->cols[i].sqlname);
	}
	buf_adds(&b, ") VALUES (");
	for (i = 0; i < im->ncols; i++)
		buf_adds(&b, i > 0 ? ", ?" : "?");
	buf_adds(&b, ")");
	rc = buf_failed(&b) ? SQLITE_NOMEM : sqlite3_prepare_v2(im->db,
	    buf_str(&b), -1, &im->ins, NULL);
	buf_release(&b);
	if (rc != SQLITE_OK) {
		cli_warn("workspace: %s", sqlite3_errmsg(im->db));
		return -1;
	}
	return 0;
}

static int
open_sources(struct import *im, char **files, int nfiles, enum fmt fmt)
{
	int i;

	im->src = xcalloc((size_t)nfiles, sizeof(*im->src));
	im->nsrc = (size_t)nfiles;
	for (i = 0; i < nfiles; i++) {
		struct source *sr = &im->src[i];

		if (strcmp(files[i], "-") == 0) {
			/* stdin is read twice: spool it */
			char buf[65536];
			size_t n;

			sr->name = "<stdin>";
			sr->fp = tmpfile();
			if (sr->fp == NULL) {
				cli_warn("cannot spool stdin: %s",
				    strerror(errno));
				return -1;
			}
			while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
				if (fwrite(buf, 1, n, sr->fp) != n) {
					cli_warn("cannot spool stdin: %s",
					    strerror(errno));
					return -1;
				}
			if (ferror(stdin)) {
				cli_warn("<stdin>: %s", strerror(errno));
				return -1;
			}
			rewind(sr->fp);
		} else {
			sr->name = files[i];
			sr->path = files[i];
			sr->fp = fopen(files[i], "rb");
			if (sr->fp == NULL) {
				cli_warn("%s: %s", files[i], strerror(errno));
				return -1;
			}
		}
		sr->fmt = fmt != F_AUTO ? fmt : detect(sr);
	}
	return 0;
}

static void
close_sources(struct import *im)
{
	size_t i;

	for (i = 0; i < im->nsrc; i++)
		if (im->src[i].fp != NULL)
			fclose(im->src[i].fp);
	free(im->src);
}

static void
import_release(struct import *im)
{
	size_t i;

	for (i = 0; i < im->ncols; i++) {
		free(im->cols[i].name);
		free(im->cols[i].sqlname);
	}
	free(im->cols);
	free(im->hash);
	free(im->filled);
	sqlite3_finalize(im->ins);
	close_sources(im);
}

static const char *
data_dir(char *out, size_t outsz)
{
	char probe[4096];

	if (paths_data_file("data/tables/SecurityIncident.json", probe,
	    sizeof(probe)) == -1)
		return NULL;
	snprintf(out, outsz, "%s", probe);
	*strrchr(out, '/') = '\0';
	return out;
}

/* Makes the finished file tmp durable and gives it the name ws, unless
 * something took that name meanwhile.  0 or -1. */
static int
publish(const char *tmp, const char *ws)
{
	char dir[4096], *slash;
	int fd;

	fd = open(tmp, O_RDONLY);
	if (fd == -1 || fsync(fd) == -1) {
		cli_warn("%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	if (link(tmp, ws) == -1) {
		cli_warn("%s: %s", ws, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", ws);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY);
	if (fd != -1) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* The import proper, inside the transaction.  Returns an exit code. */
static int
run(struct import *im, const char *now_opt, const char *rebase, int replace)
{
	char recorded[64], nowbuf[64];
	int64_t now, anchor;
	struct buf qb;
	size_t i;

	if (replace) {
		buf_init(&qb);
		buf_adds(&qb, "DROP TABLE IF EXISTS ");
		kql_sql_quote_ident(&qb, im->table);
		if (buf_failed(&qb) || exec_sql(im->db, buf_str(&qb)) == -1) {
			buf_release(&qb);
			return EXIT_FAIL;
		}
		buf_release(&qb);
		{
			sqlite3_stmt *st;

			if (sqlite3_prepare_v2(im->db, "DELETE FROM "
			    "_kql_columns WHERE tbl = ?", -1, &st, NULL) !=
			    SQLITE_OK)
				return EXIT_FAIL;
			sqlite3_bind_text(st, 1, im->table, -1, SQLITE_STATIC);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
	if (load_existing(im) == -1)
		return EXIT_FAIL;
	if (!im->table_exists && load_known(im) == -1)
		return EXIT_FAIL;
	/* The workspace's now, and the rebase shift. */
	recorded[0] = '\0';
	meta_get(im->db, "now", recorded, sizeof(recorded));
	if (now_opt != NULL) {
		if (strcmp(now_opt, "clock") != 0 &&
		    kql_parse_datetime(now_opt, &now) == -1) {
			cli_warn("--now: '%s' is not a time", now_opt);
			return EXIT_USAGE;
		}
		if (strcmp(now_opt, "clock") == 0) {
			now = iso_now();
			snprintf(nowbuf, sizeof(nowbuf), "clock");
		} else {
			kql_format_datetime(now, nowbuf, sizeof(nowbuf));
		}
		if (meta_set(im->db, "now", nowbuf) == -1 ||
		    meta_set(im->db, "now_source", "explicit") == -1)
			return EXIT_FAIL;
	} else if (recorded[0] != '\0' && strcmp(recorded, "clock") != 0) {
		if (kql_parse_datetime(recorded, &now) == -1)
			now = iso_now();
	} else {
		now = iso_now();
	}
	if (rebase != NULL) {
		if (kql_parse_datetime(rebase, &anchor) == -1) {
			cli_warn("--rebase: '%s' is not a time", rebase);
			return EXIT_USAGE;
		}
		im->shift = now - anchor;
		if (now_opt == NULL && recorded[0] == '\0') {
			/* later imports with the same anchor line up */
			kql_format_datetime(now, nowbuf, sizeof(nowbuf));
			if (meta_set(im->db, "now", nowbuf) == -1 ||
			    meta_set(im->db, "now_source", "rebase") == -1)
				return EXIT_FAIL;
		}
	}
	/* Pass 1: columns, types and the shape of every record. */
	im->pass = 1;
	if (walk(im) == -1 && im->nbad == 0)
		return EXIT_FAIL;
	if (im->nbad > 0)
		return EXIT_DATA;
	for (i = 0; i < im->ncols; i++)
		if (!im->cols[i].typed)
			im->cols[i].type = inferred_type(im->cols[i].seen);
	if (im->ncols == 0) {
		cli_warn("%s: no columns to import", im->src[0].name);
		return EXIT_DATA;
	}
	if (write_schema(im) == -1 || prepare_insert(im) == -1)
		return EXIT_FAIL;
	/* Pass 2: convert and insert. */
	im->pass = 2;
	im->filled = xcalloc(im->ncols + 1, 1);
	if (walk(im) == -1 && im->nbad == 0)
		return EXIT_FAIL;
	if (im->nbad > 0)
		return EXIT_DATA;
	if (im->fatal)
		return EXIT_FAIL;
	/* Without a recorded now, now is the latest time in the data. */
	recorded[0] = '\0';
	meta_get(im->db, "now_source", recorded, sizeof(recorded));
	if (im->have_dt && (recorded[0] == '\0' ||
	    strcmp(recorded, "data") == 0)) {
		int64_t prev;

		nowbuf[0] = '\0';
		if (recorded[0] != '\0' && meta_get(im->db, "now", nowbuf,
		    sizeof(nowbuf)) && kql_parse_datetime(nowbuf, &prev) == 0 &&
		    prev > im->max_dt)
			im->max_dt = prev;
		kql_format_datetime(im->max_dt, nowbuf, sizeof(nowbuf));
		if (meta_set(im->db, "now", nowbuf) == -1 ||
		    meta_set(im->db, "now_source", "data") == -1)
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

int
kql_import_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",      no_argument,       NULL, 'h' },
		{ "version",   no_argument,       NULL, 'V' },
		{ "workspace", required_argument, NULL, 'w' },
		{ "now",       required_argument, NULL, 'n' },
		{ "rebase",    required_argument, NULL, 'r' },
		{ "replace",   no_argument,       NULL, 'R' },
		{ "format",    required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct import im;
	const char *ws = getenv("TRIAGE_WORKSPACE"), *now_opt = NULL;
	const char *rebase = NULL;
	char dirbuf[4096];
	enum fmt fmt = F_AUTO;
	struct stat sb;
	char tmp[4096];
	const char *path;
	int c, replace = 0, created, rc;

	if (ws != NULL && *ws == '\0')
		ws = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hVw:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(import_help);
		case 'V':
			cli_version();
		case 'w':
			ws = optarg;
			break;
		case 'n':
			now_opt = optarg;
			break;
		case 'r':
			rebase = optarg;
			break;
		case 'R':
			replace = 1;
			break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				fmt = F_CSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = F_JSON;
			else if (strcmp(optarg, "ndjson") == 0)
				fmt = F_NDJSON;
			else if (strcmp(optarg, "la") == 0)
				fmt = F_LA;
			else
				cli_usage(import_synopsis);
			break;
		default:
			cli_usage(import_synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || ws == NULL)
		cli_usage(import_synopsis);
	{
		int64_t t;

		if (now_opt != NULL && strcmp(now_opt, "clock") != 0 &&
		    kql_parse_datetime(now_opt, &t) == -1)
			cli_die(EXIT_USAGE, "--now: '%s' is not a time",
			    now_opt);
		if (rebase != NULL && kql_parse_datetime(rebase, &t) == -1)
			cli_die(EXIT_USAGE, "--rebase: '%s' is not a time",
			    rebase);
	}
	if (!kql_table_name_ok(argv[0]))
		cli_die(EXIT_USAGE, "'%s' is not a table name (letters, digits "
		    "and _; not _kql...)", argv[0]);
	memset(&im, 0, sizeof(im));
	im.table = argv[0];
	im.datadir = data_dir(dirbuf, sizeof(dirbuf));
	if (open_sources(&im, argv + 1, argc - 1, fmt) == -1) {
		close_sources(&im);
		return EXIT_FAIL;
	}
	/*
	 * A new workspace is built under a temporary name beside it and
	 * linked into place when complete, so it needs no journal: it
	 * either appears whole or not at all.  An existing one is changed
	 * in one journaled transaction.
	 */
	created = stat(ws, &sb) == -1 && errno == ENOENT;
	path = ws;
	if (created) {
		int fd;

		snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", ws);
		fd = mkstemp(tmp);
		if (fd == -1) {
			cli_warn("%s: %s", tmp, strerror(errno));
			close_sources(&im);
			return EXIT_FAIL;
		}
		close(fd);
		path = tmp;
	}
	if (sqlite3_open_v2(path, &im.db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		cli_warn("%s: %s", ws, im.db ? sqlite3_errmsg(im.db) :
		    "cannot open");
		sqlite3_close(im.db);
		if (created)
			unlink(tmp);
		close_sources(&im);
		return EXIT_FAIL;
	}
	if (created)
		sqlite3_exec(im.db, "PRAGMA journal_mode = OFF; "
		    "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	sqlite3_exec(im.db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	sqlite3_busy_timeout(im.db, 10000);
	if (exec_sql(im.db, "BEGIN IMMEDIATE") == -1) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (exec_sql(im.db, "CREATE TABLE IF NOT EXISTS _kql_columns (tbl "
	    "TEXT NOT NULL, ord INTEGER NOT NULL, name TEXT NOT NULL, type "
	    "TEXT NOT NULL, sqlname TEXT NOT NULL, PRIMARY KEY (tbl, ord)); "
	    "CREATE TABLE IF NOT EXISTS _kql_meta (key TEXT PRIMARY KEY, value "
	    "TEXT)") == -1) {
		rc = EXIT_FAIL;
		goto rollback;
	}
	rc = run(&im, now_opt, rebase, replace);
	if (rc == EXIT_DATA && im.nbad > 0) {
		if (im.nbad > MAX_REPORTED)
			cli_warn("... and %zu more bad rows", im.nbad -
			    MAX_REPORTED);
		cli_warn("nothing imported into %s", ws);
	}
	if (rc != EXIT_OK)
		goto rollback;
	sqlite3_finalize(im.ins);
	im.ins = NULL;
	if (exec_sql(im.db, "COMMIT") == -1) {
		rc = EXIT_FAIL;
		goto rollback;
	}
	if (term_is_tty(2))
		fprintf(stderr, "%s: imported %zu rows into %s (%zu columns)\n",
		    "triage-kql", im.rows, im.table, im.ncols);
	goto out;
rollback:
	sqlite3_finalize(im.ins);
	im.ins = NULL;
	sqlite3_exec(im.db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_close(im.db);
	im.db = NULL;
	if (created) {
		if (rc == EXIT_OK && publish(tmp, ws) == -1)
			rc = EXIT_FAIL;
		unlink(tmp);
	}
	import_release(&im);
	return rc;
}
