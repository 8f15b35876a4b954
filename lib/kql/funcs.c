/*
 * funcs: SQLite user functions for translated KQL.  Conventions: a NULL
 * argument gives NULL unless Kusto says otherwise (string results are
 * "" rather than NULL, since Kusto strings are never null); datetimes
 * come and go in the stored form of kql/time.h; dynamic values are JSON
 * text.  Compiled regular expressions and parsed term lists are kept as
 * SQLite auxiliary data, so a constant pattern is compiled once per
 * statement, not once per row.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <sqlite3.h>

#include "buf.h"
#include "isotime.h"
#include "kql/funcs.h"
#include "kql/casefold.h"
#include "kql/parse.h"
#include "kql/regex.h"
#include "kql/time.h"

struct fctx {
	int64_t	now;
};

/* ---- argument helpers ---- */

static const char *
text_arg(sqlite3_value *v, size_t *n)
{
	const char *s;

	if (sqlite3_value_type(v) == SQLITE_NULL) {
		*n = 0;
		return NULL;
	}
	s = (const char *)sqlite3_value_text(v);
	*n = (size_t)sqlite3_value_bytes(v);
	return s;
}

/* A text argument that is never NULL ("" instead). */
static const char *
str_arg(sqlite3_value *v, size_t *n)
{
	const char *s = text_arg(v, n);

	return s != NULL ? s : "";
}

static int
is_null(sqlite3_value *v)
{
	return sqlite3_value_type(v) == SQLITE_NULL;
}

static void
result_buf(sqlite3_context *ctx, struct buf *b)
{
	if (buf_failed(b)) {
		buf_release(b);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, b->data ? b->data : "", (int)b->len,
	    SQLITE_TRANSIENT);
	buf_release(b);
}

static void
result_dt(sqlite3_context *ctx, int64_t ticks)
{
	char out[40];

	if (kql_format_datetime(ticks, out, sizeof(out)) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, KQL_DT_LEN, SQLITE_TRANSIENT);
}

/* A datetime argument: the stored form, or anything kql_parse_datetime
 * reads.  0 or -1 (NULL or not a datetime). */
static int
dt_arg(sqlite3_value *v, int64_t *ticks)
{
	size_t n;
	const char *s = text_arg(v, &n);

	if (s == NULL)
		return -1;
	if (kql_stored_datetime(s, n, ticks) == 0)
		return 0;
	return kql_parse_datetime(s, ticks);
}

static void
result_json(sqlite3_context *ctx, json_t *j)
{
	char *s;

	if (j == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (s == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, s, -1, free);
}

/* Parses a JSON argument (dynamic value); NULL when absent or invalid. */
static json_t *
json_arg(sqlite3_value *v)
{
	size_t n;
	const char *s = text_arg(v, &n);

	if (s == NULL)
		return NULL;
	return json_loadb(s, n, JSON_DECODE_ANY, NULL);
}

/* ---- time ---- */

static void
f_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct fctx *fc = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	result_dt(ctx, fc->now);
}

static void
f_ago(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct fctx *fc = sqlite3_user_data(ctx);

	(void)argc;
	if (is_null(argv[0])) {
		sqlite3_result_null(ctx);
		return;
	}
	result_dt(ctx, fc->now - sqlite3_value_int64(argv[0]));
}

static void
f_dt_add(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t t;

	(void)argc;
	if (dt_arg(argv[0], &t) == -1 || is_null(argv[1])) {
		sqlite3_result_null(ctx);
		return;
	}
	result_dt(ctx, t + sqlite3_value_int64(argv[1]));
}

static void
f_dt_diff(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t a, b;

	(void)argc;
	if (dt_arg(argv[0], &a) == -1 || dt_arg(argv[1], &b) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int64(ctx, a - b);
}

static void
f_dt_ticks(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t a;

	(void)argc;
	if (dt_arg(argv[0], &a) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	/* Kusto counts ticks from 0001-01-01 */
	sqlite3_result_int64(ctx, a + 621355968000000000LL);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static void
f_bin(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_value *x = argv[0], *s = argv[1];
	double d, sz, at = 0;

	if (is_null(x) || is_null(s)) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_numeric_type(x) == SQLITE_INTEGER &&
	    sqlite3_value_numeric_type(s) == SQLITE_INTEGER &&
	    (argc < 3 || sqlite3_value_numeric_type(argv[2]) ==
	    SQLITE_INTEGER)) {
		int64_t v = sqlite3_value_int64(x), b = sqlite3_value_int64(s);
		int64_t a = argc > 2 ? sqlite3_value_int64(argv[2]) : 0;

		if (b <= 0) {
			sqlite3_result_null(ctx);
			return;
		}
		sqlite3_result_int64(ctx, floor_div(v - a, b) * b + a);
		return;
	}
	d = sqlite3_value_double(x);
	sz = sqlite3_value_double(s);
	if (argc > 2)
		at = sqlite3_value_double(argv[2]);
	if (!(sz > 0)) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_double(ctx, floor((d - at) / sz) * sz + at);
}

static void
f_bin_dt(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t t, b, at = 0;

	if (dt_arg(argv[0], &t) == -1 || is_null(argv[1]) ||
	    (argc > 2 && dt_arg(argv[2], &at) == -1)) {
		sqlite3_result_null(ctx);
		return;
	}
	b = sqlite3_value_int64(argv[1]);
	if (b <= 0) {
		sqlite3_result_null(ctx);
		return;
	}
	/* Kusto's bins count from 0001-01-01 (a Monday), which matters for
	 * sizes that do not divide a day, such as 7d. */
	if (argc < 3)
		at = -621355968000000000LL;
	result_dt(ctx, floor_div(t - at, b) * b + at);
}

static void
civil(int64_t ticks, int64_t *y, unsigned *m, unsigned *d, int64_t *days,
    int64_t *tod)
{
	*days = floor_div(ticks, TICKS_PER_DAY);
	*tod = ticks - *days * TICKS_PER_DAY;
	iso_civil_from_days(*days, y, m, d);
}

/* Start of the day/week/month/year holding t, moved by offset units. */
static int
start_of(const char *unit, int64_t t, int64_t off, int64_t *out)
{
	int64_t y, days, tod;
	unsigned m, d;

	civil(t, &y, &m, &d, &days, &tod);
	if (strcmp(unit, "day") == 0) {
		*out = (days + off) * TICKS_PER_DAY;
	} else if (strcmp(unit, "week") == 0) {
		/* weeks start on Sunday; 1970-01-01 was a Thursday */
		int64_t dow = ((days % 7) + 11) % 7;

		*out = (days - dow + 7 * off) * TICKS_PER_DAY;
	} else if (strcmp(unit, "month") == 0) {
		int64_t mm = y * 12 + (m - 1) + off;

		*out = iso_days_from_civil(floor_div(mm, 12),
		    (unsigned)(mm - floor_div(mm, 12) * 12 + 1), 1) *
		    TICKS_PER_DAY;
	} else if (strcmp(unit, "year") == 0) {
		*out = iso_days_from_civil(y + off, 1, 1) * TICKS_PER_DAY;
	} else {
		return -1;
	}
	return 0;
}

static void
f_startof(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *unit = sqlite3_user_data(ctx);
	int64_t t, r, off = 0;
	int end = strncmp(unit, "end", 3) == 0;

	if (dt_arg(argv[0], &t) == -1 || (argc > 1 && is_null(argv[1]))) {
		sqlite3_result_null(ctx);
		return;
	}
	if (argc > 1)
		off = sqlite3_value_int64(argv[1]);
	if (end)
		off++;
	if (start_of(unit + (end ? 3 : 5), t, off, &r) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	result_dt(ctx, end ? r - 1 : r);
}

static void
f_dayofweek(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t t, days;

	(void)argc;
	if (dt_arg(argv[0], &t) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	days = floor_div(t, TICKS_PER_DAY);
	sqlite3_result_int64(ctx, (((days % 7) + 11) % 7) * TICKS_PER_DAY);
}

static int64_t
iso_week(int64_t days)
{
	int64_t y, wd, thursday, jan1;
	unsigned m, d;

	/* ISO 8601: the week holding the year's first Thursday is week 1 */
	wd = ((days % 7) + 10) % 7;		/* Monday 0 ... Sunday 6 */
	thursday = days - wd + 3;
	iso_civil_from_days(thursday, &y, &m, &d);
	jan1 = iso_days_from_civil(y, 1, 1);
	return (thursday - jan1) / 7 + 1;
}

static int
datetime_part(const char *part, int64_t t, int64_t *out)
{
	int64_t y, days, tod;
	unsigned m, d;
	char p[32];
	size_t i;

	for (i = 0; part[i] != '\0' && i < sizeof(p) - 1; i++)
		p[i] = (char)tolower((unsigned char)part[i]);
	p[i] = '\0';
	civil(t, &y, &m, &d, &days, &tod);
	if (strcmp(p, "year") == 0)
		*out = y;
	else if (strcmp(p, "quarter") == 0)
		*out = (m - 1) / 3 + 1;
	else if (strcmp(p, "month") == 0)
		*out = m;
	else if (strcmp(p, "week_of_year") == 0 || strcmp(p, "week") == 0)
		*out = iso_week(days);
	else if (strcmp(p, "day") == 0)
		*out = d;
	else if (strcmp(p, "dayofyear") == 0)
		*out = days - iso_days_from_civil(y, 1, 1) + 1;
	else if (strcmp(p, "hour") == 0)
		*out = tod / (3600 * TICKS_PER_SEC);
	else if (strcmp(p, "minute") == 0)
		*out = tod / (60 * TICKS_PER_SEC) % 60;
	else if (strcmp(p, "second") == 0)
		*out = tod / TICKS_PER_SEC % 60;
	else if (strcmp(p, "millisecond") == 0)
		*out = tod / TICKS_PER_MS % 1000;
	else if (strcmp(p, "microsecond") == 0)
		*out = tod / 10 % 1000000;
	else if (strcmp(p, "nanosecond") == 0)
		*out = tod % TICKS_PER_SEC * 100;
	else
		return -1;
	return 0;
}

static void
f_datetime_part(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *part = str_arg(argv[0], &n);
	int64_t t, v;

	(void)argc;
	if (dt_arg(argv[1], &t) == -1 || datetime_part(part, t, &v) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int64(ctx, v);
}

/* Ticks in a fixed-length period, or 0 for month, quarter, year. */
static int64_t
period_ticks(const char *p)
{
	if (strcasecmp(p, "week") == 0)
		return 7 * TICKS_PER_DAY;
	if (strcasecmp(p, "day") == 0)
		return TICKS_PER_DAY;
	if (strcasecmp(p, "hour") == 0)
		return 3600 * TICKS_PER_SEC;
	if (strcasecmp(p, "minute") == 0)
		return 60 * TICKS_PER_SEC;
	if (strcasecmp(p, "second") == 0)
		return TICKS_PER_SEC;
	if (strcasecmp(p, "millisecond") == 0)
		return TICKS_PER_MS;
	if (strcasecmp(p, "microsecond") == 0)
		return 10;
	if (strcasecmp(p, "nanosecond") == 0)
		return 1;
	return 0;
}

static void
f_datetime_diff(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *p = str_arg(argv[0], &n);
	int64_t a, b, ya, yb, da, db, ta, tb, pt;
	unsigned ma, mb, xa, xb;

	(void)argc;
	if (dt_arg(argv[1], &a) == -1 || dt_arg(argv[2], &b) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	civil(a, &ya, &ma, &xa, &da, &ta);
	civil(b, &yb, &mb, &xb, &db, &tb);
	if (strcasecmp(p, "year") == 0) {
		sqlite3_result_int64(ctx, ya - yb);
	} else if (strcasecmp(p, "quarter") == 0) {
		sqlite3_result_int64(ctx, (ya * 4 + (ma - 1) / 3) -
		    (yb * 4 + (mb - 1) / 3));
	} else if (strcasecmp(p, "month") == 0) {
		sqlite3_result_int64(ctx, (ya * 12 + ma) - (yb * 12 + mb));
	} else if (strcasecmp(p, "week") == 0) {
		int64_t sa, sb;

		start_of("week", a, 0, &sa);
		start_of("week", b, 0, &sb);
		sqlite3_result_int64(ctx, (sa - sb) / (7 * TICKS_PER_DAY));
	} else if ((pt = period_ticks(p)) > 0) {
		if (pt == 1)
			sqlite3_result_int64(ctx, (a - b) * 100);
		else
			sqlite3_result_int64(ctx, floor_div(a, pt) -
			    floor_div(b, pt));
	} else {
		sqlite3_result_error(ctx, "datetime_diff: unknown period",
		    -1);
	}
}

static void
f_datetime_add(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *p = str_arg(argv[0], &n);
	int64_t t, k, y, days, tod, pt, mm, ny;
	unsigned m, d, nm, dim;

	(void)argc;
	if (is_null(argv[1]) || dt_arg(argv[2], &t) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	k = sqlite3_value_int64(argv[1]);
	if (strcasecmp(p, "year") == 0 || strcasecmp(p, "quarter") == 0 ||
	    strcasecmp(p, "month") == 0) {
		civil(t, &y, &m, &d, &days, &tod);
		mm = y * 12 + (m - 1) + k * (strcasecmp(p, "year") == 0 ? 12 :
		    strcasecmp(p, "quarter") == 0 ? 3 : 1);
		ny = floor_div(mm, 12);
		nm = (unsigned)(mm - ny * 12 + 1);
		dim = (unsigned)(iso_days_from_civil(nm == 12 ? ny + 1 : ny,
		    nm == 12 ? 1 : nm + 1, 1) - iso_days_from_civil(ny, nm, 1));
		if (d > dim)
			d = dim;
		result_dt(ctx, iso_days_from_civil(ny, nm, d) * TICKS_PER_DAY +
		    tod);
		return;
	}
	if ((pt = period_ticks(p)) == 0) {
		sqlite3_result_error(ctx, "datetime_add: unknown period", -1);
		return;
	}
	if (pt == 1)
		result_dt(ctx, t + k / 100);
	else
		result_dt(ctx, t + k * pt);
}

/* format_datetime: yyyy MM dd HH hh mm ss f... tt and separators. */
static void
f_format_datetime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i, run;
	const char *fmt = str_arg(argv[1], &n);
	int64_t t, y, days, tod, h;
	unsigned m, d;
	struct buf b;
	char c;

	(void)argc;
	if (dt_arg(argv[0], &t) == -1) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	civil(t, &y, &m, &d, &days, &tod);
	h = tod / (3600 * TICKS_PER_SEC);
	buf_init(&b);
	for (i = 0; i < n; i += run) {
		c = fmt[i];
		for (run = 1; i + run < n && fmt[i + run] == c; run++)
			;
		switch (c) {
		case 'y':
			if (run >= 4)
				buf_printf(&b, "%04lld", (long long)y);
			else if (run == 2)
				buf_printf(&b, "%02lld", (long long)(y % 100));
			else
				buf_printf(&b, "%lld", (long long)(y % 100));
			break;
		case 'M':
			buf_printf(&b, run >= 2 ? "%02u" : "%u", m);
			break;
		case 'd':
			buf_printf(&b, run >= 2 ? "%02u" : "%u", d);
			break;
		case 'H':
			buf_printf(&b, run >= 2 ? "%02lld" : "%lld",
			    (long long)h);
			break;
		case 'h':
			buf_printf(&b, run >= 2 ? "%02lld" : "%lld",
			    (long long)(h % 12 == 0 ? 12 : h % 12));
			break;
		case 'm':
			buf_printf(&b, run >= 2 ? "%02lld" : "%lld",
			    (long long)(tod / (60 * TICKS_PER_SEC) % 60));
			break;
		case 's':
			buf_printf(&b, run >= 2 ? "%02lld" : "%lld",
			    (long long)(tod / TICKS_PER_SEC % 60));
			break;
		case 'f':
		case 'F': {
			char frac[8];
			size_t k = run > 7 ? 7 : run;

			snprintf(frac, sizeof(frac), "%07lld",
			    (long long)(tod % TICKS_PER_SEC));
			frac[k] = '\0';
			if (c == 'F')
				while (k > 0 && frac[k - 1] == '0')
					frac[--k] = '\0';
			buf_adds(&b, frac);
			break;
		}
		case 't':
			buf_adds(&b, run >= 2 ? (h < 12 ? "AM" : "PM") :
			    (h < 12 ? "A" : "P"));
			break;
		default:
			buf_add(&b, fmt + i, run);
			break;
		}
	}
	result_buf(ctx, &b);
}

static void
f_format_timespan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i, run;
	const char *fmt = str_arg(argv[1], &n);
	int64_t t;
	struct buf b;
	char c;

	(void)argc;
	if (is_null(argv[0])) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	t = sqlite3_value_int64(argv[0]);
	if (t < 0)
		t = -t;
	buf_init(&b);
	for (i = 0; i < n; i += run) {
		c = fmt[i];
		for (run = 1; i + run < n && fmt[i + run] == c; run++)
			;
		switch (c) {
		case 'd':
			buf_printf(&b, "%0*lld", (int)run,
			    (long long)(t / TICKS_PER_DAY));
			break;
		case 'h':
		case 'H':
			buf_printf(&b, "%0*lld", (int)run, (long long)(t /
			    (3600 * TICKS_PER_SEC) % 24));
			break;
		case 'm':
			buf_printf(&b, "%0*lld", (int)run, (long long)(t /
			    (60 * TICKS_PER_SEC) % 60));
			break;
		case 's':
			buf_printf(&b, "%0*lld", (int)run,
			    (long long)(t / TICKS_PER_SEC % 60));
			break;
		case 'f':
		case 'F': {
			char frac[8];
			size_t k = run > 7 ? 7 : run;

			snprintf(frac, sizeof(frac), "%07lld",
			    (long long)(t % TICKS_PER_SEC));
			frac[k] = '\0';
			buf_adds(&b, frac);
			break;
		}
		default:
			buf_add(&b, fmt + i, run);
			break;
		}
	}
	result_buf(ctx, &b);
}

static void
f_unixtime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t scale = (int64_t)(intptr_t)sqlite3_user_data(ctx);
	double v;

	(void)argc;
	if (is_null(argv[0])) {
		sqlite3_result_null(ctx);
		return;
	}
	v = sqlite3_value_double(argv[0]) * (double)scale;
	if (!(fabs(v) < 9e18)) {
		sqlite3_result_null(ctx);
		return;
	}
	result_dt(ctx, (int64_t)llround(v));
}

static void
f_make_datetime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t v[7] = { 0, 1, 1, 0, 0, 0, 0 };
	double sec = 0;
	int i;

	for (i = 0; i < argc; i++) {
		if (is_null(argv[i])) {
			sqlite3_result_null(ctx);
			return;
		}
		if (i == 5)
			sec = sqlite3_value_double(argv[i]);
		else
			v[i] = sqlite3_value_int64(argv[i]);
	}
	if (v[0] < 1 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > 31 || v[3] < 0 || v[3] > 23 || v[4] < 0 || v[4] > 59 ||
	    sec < 0 || sec >= 60) {
		sqlite3_result_null(ctx);
		return;
	}
	result_dt(ctx, iso_days_from_civil(v[0], (unsigned)v[1],
	    (unsigned)v[2]) * TICKS_PER_DAY + (v[3] * 3600 + v[4] * 60) *
	    TICKS_PER_SEC + (int64_t)llround(sec * TICKS_PER_SEC));
}

static void
f_make_timespan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	/* (hours, minutes) (hours, minutes, seconds) or with days first */
	int64_t v[5] = { 0, 0, 0, 0, 0 };
	int i, off = argc >= 4 ? 0 : 1;

	for (i = 0; i < argc; i++) {
		if (is_null(argv[i])) {
			sqlite3_result_null(ctx);
			return;
		}
		v[i + off] = sqlite3_value_int64(argv[i]);
	}
	sqlite3_result_int64(ctx, ((v[0] * 24 + v[1]) * 60 + v[2]) * 60 *
	    TICKS_PER_SEC + v[3] * TICKS_PER_SEC);
}

/* ---- string matching ---- */

static int
is_term_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* ASCII case folding by table: these loops run over every row. */
static const unsigned char fold_tab[256] = {
#define F4(x) F1(x), F1(x + 1), F1(x + 2), F1(x + 3)
#define F1(x) ((x) + 32 * ((x) >= 'A' && (x) <= 'Z'))
#define F16(x) F4(x), F4(x + 4), F4(x + 8), F4(x + 12)
	F16(0), F16(16), F16(32), F16(48), F16(64), F16(80), F16(96),
	F16(112), F16(128), F16(144), F16(160), F16(176), F16(192), F16(208),
	F16(224), F16(240)
#undef F16
#undef F1
#undef F4
};

static int
eq_ci(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	size_t i;

	for (i = 0; i < n; i++)
		if (fold_tab[x[i]] != fold_tab[y[i]])
			/* beyond ASCII: the slow, Unicode way */
			return x[i] >= 0x80 || y[i] >= 0x80 ?
			    kql_case_eq(a, b, n) : 0;
	return 1;
}

static long find(const char *, size_t, const char *, size_t, size_t, int);

static int
is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * find() ignoring case for a needle beyond ASCII: both folded (lengths
 * and offsets kept), then matched exactly.  (An ASCII needle can only
 * match ASCII bytes, which the fast path folds.)
 */
static long
find_folded(const char *hay, size_t hlen, const char *needle, size_t nlen,
    size_t from)
{
	char *fh = malloc(hlen + 1), *fn = malloc(nlen + 1);
	long at = -1;

	if (fh != NULL && fn != NULL) {
		kql_case_map(hay, hlen, fh, KQL_CASE_FOLD);
		kql_case_map(needle, nlen, fn, KQL_CASE_FOLD);
		at = find(fh, hlen, fn, nlen, from, 1);
	}
	free(fh);
	free(fn);
	return at;
}

/* Finds needle in hay from *pos; returns the offset or -1. */
static long
find(const char *hay, size_t hlen, const char *needle, size_t nlen,
    size_t from, int cs)
{
	size_t i;
	int f0, f1;

	if (nlen == 0)
		return (long)from;
	if (nlen > hlen)
		return -1;
	if (!cs && !is_ascii(needle, nlen))
		return find_folded(hay, hlen, needle, nlen, from);
	if (cs) {
		const char *p = hay + from;

		while (p + nlen <= hay + hlen) {
			p = memchr(p, needle[0], (size_t)(hay + hlen - p) -
			    nlen + 1);
			if (p == NULL)
				return -1;
			if (memcmp(p, needle, nlen) == 0)
				return (long)(p - hay);
			p++;
		}
		return -1;
	}
	f0 = tolower((unsigned char)needle[0]);
	f1 = toupper((unsigned char)needle[0]);
	if (f0 == f1) {
		/* the first byte has no case: memchr finds candidates */
		const char *p = hay + from;

		while (p + nlen <= hay + hlen) {
			p = memchr(p, f0, (size_t)(hay + hlen - p) - nlen + 1);
			if (p == NULL)
				return -1;
			if (eq_ci(p + 1, needle + 1, nlen - 1))
				return (long)(p - hay);
			p++;
		}
		return -1;
	}
	for (i = from; i + nlen <= hlen; i++) {
		int c = (unsigned char)hay[i];

		if ((c == f0 || c == f1) && eq_ci(hay + i + 1, needle + 1,
		    nlen - 1))
			return (long)i;
	}
	return -1;
}

int
kql_has_term(const char *hay, size_t hlen, const char *needle, size_t nlen,
    int cs)
{
	long at;
	size_t from = 0, end;
	int lb, rb;

	if (nlen == 0)
		return 1;
	/* A needle edge that is not a term character needs no boundary. */
	lb = is_term_char((unsigned char)needle[0]);
	rb = is_term_char((unsigned char)needle[nlen - 1]);
	while ((at = find(hay, hlen, needle, nlen, from, cs)) >= 0) {
		end = (size_t)at + nlen;
		if ((!lb || at == 0 || !is_term_char((unsigned char)
		    hay[at - 1])) && (!rb || end == hlen ||
		    !is_term_char((unsigned char)hay[end])))
			return 1;
		from = (size_t)at + 1;
	}
	return 0;
}

static void
f_has(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl;
	const char *h = str_arg(argv[0], &hl), *n = str_arg(argv[1], &nl);
	int cs = sqlite3_user_data(ctx) != NULL;

	(void)argc;
	sqlite3_result_int(ctx, kql_has_term(h, hl, n, nl, cs));
}

static void
f_contains(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl;
	const char *h = str_arg(argv[0], &hl), *n = str_arg(argv[1], &nl);

	(void)argc;
	sqlite3_result_int(ctx, find(h, hl, n, nl, 0, 0) >= 0);
}

static void
f_startswith(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl;
	const char *h = str_arg(argv[0], &hl), *n = str_arg(argv[1], &nl);
	int cs = sqlite3_user_data(ctx) != NULL;

	(void)argc;
	sqlite3_result_int(ctx, nl <= hl && (cs ? memcmp(h, n, nl) == 0 :
	    eq_ci(h, n, nl)));
}

static void
f_endswith(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl;
	const char *h = str_arg(argv[0], &hl), *n = str_arg(argv[1], &nl);
	int cs = sqlite3_user_data(ctx) != NULL;

	(void)argc;
	sqlite3_result_int(ctx, nl <= hl && (cs ? memcmp(h + hl - nl, n,
	    nl) == 0 : eq_ci(h + hl - nl, n, nl)));
}

/* hasprefix: a term starts with the needle; hassuffix: ends with it. */
static void
f_hasfix(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl, from = 0, end;
	const char *h = str_arg(argv[0], &hl), *n = str_arg(argv[1], &nl);
	int cs = argc > 2 && sqlite3_value_int(argv[2]) != 0;
	int suffix = sqlite3_user_data(ctx) != NULL;
	long at;

	while ((at = find(h, hl, n, nl, from, cs)) >= 0) {
		end = (size_t)at + nl;
		if (!suffix && (at == 0 || !is_term_char((unsigned char)
		    h[at - 1]))) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		if (suffix && (end == hl || !is_term_char((unsigned char)
		    h[end]))) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		from = (size_t)at + 1;
	}
	sqlite3_result_int(ctx, nl == 0);
}

/* The terms of has_any/has_all, parsed once per statement. */
struct termlist {
	char	**v;
	size_t	 *len;
	size_t	 n;
};

static void
termlist_free(void *p)
{
	struct termlist *tl = p;
	size_t i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->n; i++)
		free(tl->v[i]);
	free(tl->v);
	free(tl->len);
	free(tl);
}

static struct termlist *
termlist_get(sqlite3_context *ctx, sqlite3_value *v, int argi)
{
	struct termlist *tl;
	json_t *j, *e;
	size_t i;
	char buf[32];

	tl = sqlite3_get_auxdata(ctx, argi);
	if (tl != NULL)
		return tl;
	tl = calloc(1, sizeof(*tl));
	if (tl == NULL)
		return NULL;
	j = json_arg(v);
	if (j != NULL && !json_is_array(j)) {
		json_t *a = json_array();

		json_array_append(a, j);
		json_decref(j);
		j = a;
	}
	if (j != NULL && json_array_size(j) > 0) {
		tl->v = calloc(json_array_size(j), sizeof(*tl->v));
		tl->len = calloc(json_array_size(j), sizeof(*tl->len));
		if (tl->v == NULL || tl->len == NULL) {
			json_decref(j);
			termlist_free(tl);
			return NULL;
		}
		json_array_foreach(j, i, e) {
			const char *s = NULL;

			if (json_is_string(e)) {
				s = json_string_value(e);
			} else if (json_is_integer(e)) {
				snprintf(buf, sizeof(buf),
				    "%" JSON_INTEGER_FORMAT,
				    json_integer_value(e));
				s = buf;
			} else if (json_is_real(e)) {
				snprintf(buf, sizeof(buf), "%.17g",
				    json_real_value(e));
				s = buf;
			}
			if (s == NULL)
				continue;
			tl->v[tl->n] = strdup(s);
			if (tl->v[tl->n] == NULL) {
				json_decref(j);
				termlist_free(tl);
				return NULL;
			}
			tl->len[tl->n] = strlen(s);
			tl->n++;
		}
	}
	json_decref(j);
	sqlite3_set_auxdata(ctx, argi, tl, termlist_free);
	/* set_auxdata may free tl at once when the argument is not
	 * constant; fetch it back. */
	tl = sqlite3_get_auxdata(ctx, argi);
	if (tl == NULL) {
		/* Not cached: parse again each row (correct, slower). */
		return NULL;
	}
	return tl;
}

static void
f_has_anyall(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, i;
	const char *h = str_arg(argv[0], &hl);
	int all = sqlite3_user_data(ctx) != NULL, hit;
	struct termlist *tl, tmp;

	(void)argc;
	tl = termlist_get(ctx, argv[1], 1);
	if (tl == NULL) {
		/* an uncached (non-constant) list */
		json_t *j = json_arg(argv[1]), *e;

		memset(&tmp, 0, sizeof(tmp));
		hit = all;
		if (j != NULL && json_is_array(j)) {
			json_array_foreach(j, i, e) {
				int r;

				if (!json_is_string(e))
					continue;
				r = kql_has_term(h, hl, json_string_value(e),
				    json_string_length(e), 0);
				if (all && !r) {
					hit = 0;
					break;
				}
				if (!all && r) {
					hit = 1;
					break;
				}
			}
		}
		json_decref(j);
		sqlite3_result_int(ctx, hit);
		return;
	}
	for (i = 0; i < tl->n; i++) {
		hit = kql_has_term(h, hl, tl->v[i], tl->len[i], 0);
		if (all && !hit) {
			sqlite3_result_int(ctx, 0);
			return;
		}
		if (!all && hit) {
			sqlite3_result_int(ctx, 1);
			return;
		}
	}
	sqlite3_result_int(ctx, all);
}

/* ---- regular expressions ---- */

struct recache {
	struct kql_re	*v[3];
};

static void
recache_free(void *p)
{
	struct recache *c = p;
	int i;

	for (i = 0; i < 3; i++)
		kql_re_free(c->v[i]);
	free(c);
}

/* variant: 0 the pattern as is, 1 "^(?:P)+" and 2 "(?:P)+$" (trim). */
static struct kql_re *
re_compile_variant(sqlite3_context *ctx, sqlite3_value *v, int variant)
{
	struct kql_re *re;
	const char *pat;
	size_t n;
	char err[200], msg[260];
	struct buf b;

	pat = str_arg(v, &n);
	buf_init(&b);
	if (variant == 1)
		buf_adds(&b, "^(?:");
	else if (variant == 2)
		buf_adds(&b, "(?:");
	buf_add(&b, pat, n);
	if (variant == 1)
		buf_adds(&b, ")+");
	else if (variant == 2)
		buf_adds(&b, ")+$");
	if (buf_failed(&b)) {
		buf_release(&b);
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	re = kql_re_compile(buf_str(&b), b.len, 0, err, sizeof(err));
	buf_release(&b);
	if (re == NULL) {
		snprintf(msg, sizeof(msg), "bad regular expression: %s", err);
		sqlite3_result_error(ctx, msg, -1);
	}
	return re;
}

/*
 * The compiled pattern of argument argi.  While the argument is constant
 * SQLite keeps it as auxiliary data, so it is compiled once per
 * statement; otherwise *owned is set and the caller frees it.
 */
static struct kql_re *
re_get(sqlite3_context *ctx, sqlite3_value *v, int argi, int variant,
    int *owned)
{
	struct recache *c;
	struct kql_re *re;

	*owned = 0;
	c = sqlite3_get_auxdata(ctx, argi);
	if (c != NULL && c->v[variant] != NULL)
		return c->v[variant];
	re = re_compile_variant(ctx, v, variant);
	if (re == NULL)
		return NULL;
	if (c != NULL) {
		c->v[variant] = re;
		return re;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		*owned = 1;
		return re;
	}
	c->v[variant] = re;
	sqlite3_set_auxdata(ctx, argi, c, recache_free);
	if (sqlite3_get_auxdata(ctx, argi) == c)
		return re;
	/* Not kept (the pattern varies by row), so already freed. */
	re = re_compile_variant(ctx, v, variant);
	*owned = re != NULL;
	return re;
}

static long *
caps_alloc(sqlite3_context *ctx, const struct kql_re *re)
{
	long *caps;

	caps = malloc((size_t)(2 * (kql_re_ngroups(re) + 1)) * sizeof(long));
	if (caps == NULL)
		sqlite3_result_error_nomem(ctx);
	return caps;
}

static void
f_regex_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s = str_arg(argv[0], &n);
	struct kql_re *re;
	long *caps;
	int owned, rc;

	(void)argc;
	re = re_get(ctx, argv[1], 1, 0, &owned);
	if (re == NULL)
		return;
	if ((caps = caps_alloc(ctx, re)) != NULL) {
		rc = kql_re_search(re, s, n, 0, caps);
		if (rc == -1)
			sqlite3_result_error_nomem(ctx);
		else
			sqlite3_result_int(ctx, rc);
	}
	free(caps);
	if (owned)
		kql_re_free(re);
}

static void
f_extract(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s = str_arg(argv[2], &n);
	struct kql_re *re;
	long *caps, g;
	int owned, rc;

	(void)argc;
	re = re_get(ctx, argv[0], 0, 0, &owned);
	if (re == NULL)
		return;
	g = is_null(argv[1]) ? -1 : (long)sqlite3_value_int64(argv[1]);
	if ((caps = caps_alloc(ctx, re)) != NULL) {
		rc = kql_re_search(re, s, n, 0, caps);
		if (rc == -1)
			sqlite3_result_error_nomem(ctx);
		else if (rc == 0 || g < 0 || g > kql_re_ngroups(re) ||
		    caps[2 * g] < 0)
			sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		else
			sqlite3_result_text(ctx, s + caps[2 * g],
			    (int)(caps[2 * g + 1] - caps[2 * g]),
			    SQLITE_TRANSIENT);
	}
	free(caps);
	if (owned)
		kql_re_free(re);
}

static void
f_extract_all(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, pos = 0;
	const char *s = str_arg(argv[1], &n);
	struct kql_re *re;
	json_t *out, *row, *groups = NULL;
	long *caps;
	int owned, rc, ng, k;

	re = re_get(ctx, argv[0], 0, 0, &owned);
	if (re == NULL)
		return;
	if (argc > 2)
		groups = json_arg(argv[2]);
	ng = kql_re_ngroups(re);
	out = json_array();
	caps = caps_alloc(ctx, re);
	while (caps != NULL && out != NULL && pos <= n) {
		rc = kql_re_search(re, s, n, pos, caps);
		if (rc != 1)
			break;
		if (ng == 0) {
			json_array_append_new(out, json_stringn(s + caps[0],
			    (size_t)(caps[1] - caps[0])));
		} else if (ng == 1 && groups == NULL) {
			json_array_append_new(out, caps[2] < 0 ?
			    json_string("") : json_stringn(s + caps[2],
			    (size_t)(caps[3] - caps[2])));
		} else {
			row = json_array();
			for (k = 1; k <= ng; k++) {
				if (groups != NULL) {
					size_t gi;
					json_t *gv;
					int want = 0;

					json_array_foreach(groups, gi, gv)
						if (json_integer_value(gv) == k)
							want = 1;
					if (!want)
						continue;
				}
				json_array_append_new(row, caps[2 * k] < 0 ?
				    json_string("") : json_stringn(s +
				    caps[2 * k], (size_t)(caps[2 * k + 1] -
				    caps[2 * k])));
			}
			if (groups != NULL && json_array_size(row) == 1) {
				json_array_append(out, json_array_get(row, 0));
				json_decref(row);
			} else {
				json_array_append_new(out, row);
			}
		}
		pos = caps[1] > caps[0] ? (size_t)caps[1] : (size_t)caps[1] + 1;
	}
	free(caps);
	json_decref(groups);
	if (owned)
		kql_re_free(re);
	if (out != NULL && json_array_size(out) == 0) {
		json_decref(out);
		sqlite3_result_null(ctx);
		return;
	}
	result_json(ctx, out);
}

/* replace_regex(text, regex, rewrite): \1 or $1 refer to groups. */
static void
f_replace_regex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, rl, pos = 0, i;
	const char *s = str_arg(argv[0], &n), *rw = str_arg(argv[2], &rl);
	struct kql_re *re;
	struct buf b;
	long *caps;
	int owned, rc, g;

	(void)argc;
	re = re_get(ctx, argv[1], 1, 0, &owned);
	if (re == NULL)
		return;
	caps = caps_alloc(ctx, re);
	buf_init(&b);
	while (caps != NULL && pos <= n) {
		rc = kql_re_search(re, s, n, pos, caps);
		if (rc != 1)
			break;
		buf_add(&b, s + pos, (size_t)caps[0] - pos);
		for (i = 0; i < rl; i++) {
			if ((rw[i] == '\\' || rw[i] == '$') && i + 1 < rl &&
			    isdigit((unsigned char)rw[i + 1])) {
				g = rw[++i] - '0';
				if (g <= kql_re_ngroups(re) && caps[2 * g] >= 0)
					buf_add(&b, s + caps[2 * g],
					    (size_t)(caps[2 * g + 1] -
					    caps[2 * g]));
			} else {
				buf_addc(&b, rw[i]);
			}
		}
		if (caps[1] == caps[0]) {
			if ((size_t)caps[1] < n)
				buf_addc(&b, s[caps[1]]);
			pos = (size_t)caps[1] + 1;
		} else {
			pos = (size_t)caps[1];
		}
	}
	if (pos < n)
		buf_add(&b, s + pos, n - pos);
	free(caps);
	if (owned)
		kql_re_free(re);
	result_buf(ctx, &b);
}

static void
f_trim(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, start = 0, end;
	const char *s = str_arg(argv[1], &n);
	int mode = sqlite3_value_int(argv[2]), owned;
	struct kql_re *re;
	long *caps;

	(void)argc;
	end = n;
	if (mode & 1) {
		re = re_get(ctx, argv[0], 0, 1, &owned);
		if (re == NULL)
			return;
		if ((caps = caps_alloc(ctx, re)) == NULL) {
			if (owned)
				kql_re_free(re);
			return;
		}
		if (kql_re_search(re, s, n, 0, caps) == 1 && caps[0] == 0)
			start = (size_t)caps[1];
		free(caps);
		if (owned)
			kql_re_free(re);
	}
	if (mode & 2) {
		re = re_get(ctx, argv[0], 0, 2, &owned);
		if (re == NULL)
			return;
		if ((caps = caps_alloc(ctx, re)) == NULL) {
			if (owned)
				kql_re_free(re);
			return;
		}
		if (kql_re_search(re, s, n, start, caps) == 1 &&
		    (size_t)caps[1] == n && (size_t)caps[0] >= start)
			end = (size_t)caps[0];
		free(caps);
		if (owned)
			kql_re_free(re);
	}
	sqlite3_result_text(ctx, s + start, (int)(end - start),
	    SQLITE_TRANSIENT);
}

static void
f_countof(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl, pos = 0;
	const char *h = str_arg(argv[0], &hl), *nd = str_arg(argv[1], &nl);
	const char *kind = "normal";
	int64_t count = 0;
	long at;

	if (argc > 2) {
		size_t kl;

		kind = str_arg(argv[2], &kl);
	}
	if (strcmp(kind, "regex") == 0) {
		struct kql_re *re;
		long *caps;
		int owned;

		re = re_get(ctx, argv[1], 1, 0, &owned);
		if (re == NULL)
			return;
		caps = caps_alloc(ctx, re);
		while (caps != NULL && pos <= hl &&
		    kql_re_search(re, h, hl, pos, caps) == 1) {
			count++;
			pos = caps[1] > caps[0] ? (size_t)caps[1] :
			    (size_t)caps[1] + 1;
		}
		free(caps);
		if (owned)
			kql_re_free(re);
		sqlite3_result_int64(ctx, count);
		return;
	}
	if (nl == 0) {
		sqlite3_result_int64(ctx, 0);
		return;
	}
	while ((at = find(h, hl, nd, nl, pos, 1)) >= 0) {
		count++;
		pos = (size_t)at + 1;	/* plain matches may overlap */
	}
	sqlite3_result_int64(ctx, count);
}

/* ---- strings ---- */

/* Byte offset of character index k in s (n bytes). */
static size_t
char_offset(const char *s, size_t n, int64_t k)
{
	size_t i = 0;

	while (i < n && k > 0) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return i;
}

static int64_t
char_count(const char *s, size_t n)
{
	int64_t c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void
f_substring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, a, b;
	const char *s = str_arg(argv[0], &n);
	int64_t start, len, total;

	(void)argc;
	if (is_null(argv[1])) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	start = sqlite3_value_int64(argv[1]);
	total = char_count(s, n);
	if (start < 0)
		start += total;		/* from the end: substring("123", -2) */
	if (start < 0)
		start = 0;
	if (start > total)
		start = total;
	len = is_null(argv[2]) ? total - start : sqlite3_value_int64(argv[2]);
	if (len < 0)
		len = 0;
	a = char_offset(s, n, start);
	b = a + char_offset(s + a, n - a, len);
	sqlite3_result_text(ctx, s + a, (int)(b - a), SQLITE_TRANSIENT);
}

static void
f_split(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, dl, pos = 0;
	const char *s = str_arg(argv[0], &n), *d = str_arg(argv[1], &dl);
	json_t *out;
	long at;

	if (is_null(argv[0])) {
		sqlite3_result_null(ctx);
		return;
	}
	out = json_array();
	if (out == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (dl == 0) {
		json_array_append_new(out, json_stringn(s, n));
	} else {
		for (;;) {
			at = find(s, n, d, dl, pos, 1);
			if (at < 0) {
				json_array_append_new(out, json_stringn(s + pos,
				    n - pos));
				break;
			}
			json_array_append_new(out, json_stringn(s + pos,
			    (size_t)at - pos));
			pos = (size_t)at + dl;
		}
	}
	if (argc > 2) {
		json_t *one = json_array();
		int64_t k = sqlite3_value_int64(argv[2]);

		if (k >= 0 && (size_t)k < json_array_size(out))
			json_array_append(one, json_array_get(out, (size_t)k));
		json_decref(out);
		out = one;
	}
	result_json(ctx, out);
}

static void
f_indexof(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl;
	const char *h = str_arg(argv[0], &hl), *nd = str_arg(argv[1], &nl);
	long at;

	(void)argc;
	at = find(h, hl, nd, nl, 0, 1);
	sqlite3_result_int64(ctx, at < 0 ? -1 : char_count(h, (size_t)at));
}

static void
f_reverse(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i, j, k;
	const char *s = str_arg(argv[0], &n);
	char *out;

	(void)argc;
	out = malloc(n + 1);
	if (out == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	/* character by character, keeping UTF-8 sequences intact */
	for (i = 0, j = n; i < n; i = k) {
		k = i + 1;
		while (k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
			k++;
		j -= k - i;
		memcpy(out + j, s + i, k - i);
	}
	sqlite3_result_text(ctx, out, (int)n, free);
}

static void
f_strrep(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, dl = 0;
	const char *s = str_arg(argv[0], &n), *d = "";
	int64_t k, i;
	struct buf b;

	if (argc > 2)
		d = str_arg(argv[2], &dl);
	k = sqlite3_value_int64(argv[1]);
	if (k < 0 || k > 1024 || (size_t)k * (n + dl) > 16 * 1024 * 1024) {
		sqlite3_result_null(ctx);
		return;
	}
	buf_init(&b);
	for (i = 0; i < k; i++) {
		if (i > 0)
			buf_add(&b, d, dl);
		buf_add(&b, s, n);
	}
	result_buf(ctx, &b);
}

static void
f_string_size(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;

	(void)argc;
	str_arg(argv[0], &n);
	sqlite3_result_int64(ctx, (int64_t)n);
}

/* The Kusto text of a JSON value: a string's contents, else JSON. */
static void
json_to_text(json_t *e, struct buf *b)
{
	char *s;

	if (json_is_string(e)) {
		buf_add(b, json_string_value(e), json_string_length(e));
	} else if (!json_is_null(e)) {
		s = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
		if (s != NULL)
			buf_adds(b, s);
		free(s);
	}
}

static void
f_strcat_array(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t dl, i;
	const char *d = str_arg(argv[1], &dl);
	json_t *a = json_arg(argv[0]), *e;
	struct buf b;

	(void)argc;
	buf_init(&b);
	if (a != NULL && json_is_array(a)) {
		json_array_foreach(a, i, e) {
			if (i > 0)
				buf_add(&b, d, dl);
			json_to_text(e, &b);
		}
	}
	json_decref(a);
	result_buf(ctx, &b);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
f_base64_encode(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i;
	const unsigned char *s = (const unsigned char *)str_arg(argv[0], &n);
	struct buf b;
	unsigned v;

	(void)argc;
	buf_init(&b);
	for (i = 0; i < n; i += 3) {
		v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_addc(&b, b64[v >> 18 & 63]);
		buf_addc(&b, b64[v >> 12 & 63]);
		buf_addc(&b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_addc(&b, i + 2 < n ? b64[v & 63] : '=');
	}
	result_buf(ctx, &b);
}

static void
f_base64_decode(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i;
	const char *s = str_arg(argv[0], &n);
	struct buf b;
	unsigned v = 0;
	int bits = 0;
	const char *p;

	(void)argc;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] == '=' || isspace((unsigned char)s[i]))
			continue;
		p = s[i] == '-' ? b64 + 62 : s[i] == '_' ? b64 + 63 :
		    strchr(b64, s[i]);
		if (p == NULL || s[i] == '\0') {
			buf_release(&b);
			sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
			return;
		}
		v = (v << 6) | (unsigned)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(&b, (int)(v >> bits & 0xff));
		}
	}
	result_buf(ctx, &b);
}

static void
f_url_decode(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i;
	const char *s = str_arg(argv[0], &n);
	struct buf b;
	int hi, lo;

	(void)argc;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			hi = (unsigned char)s[i + 1];
			lo = (unsigned char)s[i + 2];
			hi = isdigit(hi) ? hi - '0' : tolower(hi) - 'a' + 10;
			lo = isdigit(lo) ? lo - '0' : tolower(lo) - 'a' + 10;
			buf_addc(&b, hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+') {
			buf_addc(&b, ' ');
		} else {
			buf_addc(&b, s[i]);
		}
	}
	result_buf(ctx, &b);
}

static void
f_url_encode(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, i;
	const char *s = str_arg(argv[0], &n);
	struct buf b;

	(void)argc;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || strchr("-_.~", c) != NULL)
			buf_addc(&b, c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	result_buf(ctx, &b);
}

static void
f_tohex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[40];
	int width = argc > 1 ? sqlite3_value_int(argv[1]) : 0;

	if (is_null(argv[0])) {
		sqlite3_result_null(ctx);
		return;
	}
	if (width < 0 || width > 32)
		width = 0;
	snprintf(buf, sizeof(buf), "%0*llx", width,
	    (unsigned long long)sqlite3_value_int64(argv[0]));
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* Fills o with the a=b&c=d pairs of a query string. */
static void
query_params(json_t *q, const char *p)
{
	while (*p != '\0' && *p != '#') {
		const char *amp = p + strcspn(p, "&#");
		const char *eq = memchr(p, '=', (size_t)(amp - p));
		char *k = strndup(p, (size_t)((eq ? eq : amp) - p));

		if (k != NULL && *k != '\0')
			json_object_set_new(q, k, eq ? json_stringn(eq + 1,
			    (size_t)(amp - eq - 1)) : json_string(""));
		free(k);
		p = *amp == '&' ? amp + 1 : amp;
	}
}

static void
f_parse_urlquery(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s = str_arg(argv[0], &n);
	char *copy;
	json_t *q;

	(void)argc;
	copy = strndup(s, n);
	q = json_object();
	if (copy == NULL || q == NULL) {
		free(copy);
		json_decref(q);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	query_params(q, copy[0] == '?' ? copy + 1 : copy);
	free(copy);
	result_json(ctx, json_pack("{s:o}", "Query Parameters", q));
}

static void
f_parse_url(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s = str_arg(argv[0], &n), *p, *e, *auth_end, *at, *colon;
	json_t *o, *q;
	char *copy;

	(void)argc;
	copy = strndup(s, n);
	o = json_object();
	q = json_object();
	if (copy == NULL || o == NULL || q == NULL) {
		free(copy);
		json_decref(o);
		json_decref(q);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	p = strstr(copy, "://");
	if (p == NULL) {
		free(copy);
		json_decref(q);
		json_decref(o);
		sqlite3_result_text(ctx, "{}", 2, SQLITE_STATIC);
		return;
	}
	json_object_set_new(o, "Scheme", json_stringn(copy,
	    (size_t)(p - copy)));
	p += 3;
	auth_end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(auth_end - p));
	if (at != NULL) {
		colon = memchr(p, ':', (size_t)(at - p));
		json_object_set_new(o, "Username", json_stringn(p, (size_t)
		    ((colon ? colon : at) - p)));
		json_object_set_new(o, "Password", colon ? json_stringn(colon +
		    1, (size_t)(at - colon - 1)) : json_string(""));
		p = at + 1;
	} else {
		json_object_set_new(o, "Username", json_string(""));
		json_object_set_new(o, "Password", json_string(""));
	}
	colon = memchr(p, ':', (size_t)(auth_end - p));
	json_object_set_new(o, "Host", json_stringn(p, (size_t)((colon ? colon :
	    auth_end) - p)));
	json_object_set_new(o, "Port", colon ? json_stringn(colon + 1,
	    (size_t)(auth_end - colon - 1)) : json_string(""));
	p = auth_end;
	e = p + strcspn(p, "?#");
	json_object_set_new(o, "Path", json_stringn(p, (size_t)(e - p)));
	p = e;
	if (*p == '?') {
		query_params(q, p + 1);
		p += 1 + strcspn(p + 1, "#");
	}
	json_object_set_new(o, "Query Parameters", q);
	json_object_set_new(o, "Fragment", json_string(*p == '#' ? p + 1 :
	    ""));
	free(copy);
	result_json(ctx, o);
}

static int
parse_ipv4(const char *s, size_t n, uint32_t *ip, int *prefix)
{
	unsigned a[4], i = 0, v;
	size_t k = 0;

	*prefix = 32;
	while (i < 4) {
		if (k >= n || !isdigit((unsigned char)s[k]))
			return -1;
		v = 0;
		while (k < n && isdigit((unsigned char)s[k])) {
			v = v * 10 + (unsigned)(s[k++] - '0');
			if (v > 255)
				return -1;
		}
		a[i++] = v;
		if (i < 4) {
			if (k >= n || s[k] != '.')
				return -1;
			k++;
		}
	}
	if (k < n && s[k] == '/') {
		k++;
		v = 0;
		if (k >= n)
			return -1;
		while (k < n && isdigit((unsigned char)s[k]))
			v = v * 10 + (unsigned)(s[k++] - '0');
		if (v > 32)
			return -1;
		*prefix = (int)v;
	}
	if (k != n)
		return -1;
	*ip = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
	return 0;
}

static int
in_cidr(uint32_t ip, uint32_t net, int prefix)
{
	uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);

	return (ip & mask) == (net & mask);
}

static void
f_ipv4_is_private(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s = str_arg(argv[0], &n);
	uint32_t ip;
	int pf;

	(void)argc;
	if (parse_ipv4(s, n, &ip, &pf) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, in_cidr(ip, 0x0a000000u, 8) ||
	    in_cidr(ip, 0xac100000u, 12) || in_cidr(ip, 0xc0a80000u, 16));
}

static void
f_ipv4_in_range(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n, m;
	const char *s = str_arg(argv[0], &n), *r = str_arg(argv[1], &m);
	uint32_t ip, net;
	int pf, npf;

	if (argc > 2 && !is_null(argv[2])) {
		/* ipv4_is_match(a, b, prefix) */
		if (parse_ipv4(s, n, &ip, &pf) == -1 ||
		    parse_ipv4(r, m, &net, &npf) == -1) {
			sqlite3_result_null(ctx);
			return;
		}
		npf = (int)sqlite3_value_int64(argv[2]);
		if (npf < 0 || npf > 32) {
			sqlite3_result_null(ctx);
			return;
		}
		sqlite3_result_int(ctx, in_cidr(ip, net, npf));
		return;
	}
	if (parse_ipv4(s, n, &ip, &pf) == -1 ||
	    parse_ipv4(r, m, &net, &npf) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int(ctx, in_cidr(ip, net, npf < pf ? npf : pf));
}

static void
f_has_ipv4(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t hl, nl, from = 0, end;
	const char *h = str_arg(argv[0], &hl), *n = str_arg(argv[1], &nl);
	long at;

	(void)argc;
	while ((at = find(h, hl, n, nl, from, 1)) >= 0) {
		end = (size_t)at + nl;
		if ((at == 0 || (!isdigit((unsigned char)h[at - 1]) &&
		    h[at - 1] != '.')) && (end == hl ||
		    (!isdigit((unsigned char)h[end]) && h[end] != '.'))) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		from = (size_t)at + 1;
	}
	sqlite3_result_int(ctx, 0);
}

/* ---- conversions ---- */

/* A real the way Kusto writes it: shortest form that reads back. */
static void
real_text(double d, char *out, size_t outsz)
{
	int prec;

	if (isnan(d)) {
		snprintf(out, outsz, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, outsz, d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, outsz, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
}

static void
f_tostring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[64];

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_NULL:
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		break;
	case SQLITE_FLOAT:
		real_text(sqlite3_value_double(argv[0]), buf, sizeof(buf));
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
		break;
	default:
		sqlite3_result_text(ctx, (const char *)sqlite3_value_text(
		    argv[0]), sqlite3_value_bytes(argv[0]), SQLITE_TRANSIENT);
		break;
	}
}

/* Decodes a JSON string literal (s[0] == '"'); -1 when malformed. */
static int
json_string_decode(const char *s, size_t n, struct buf *b)
{
	size_t i;
	unsigned cp, lo;
	int k;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return -1;
	for (i = 1; i < n - 1; i++) {
		if (s[i] != '\\') {
			buf_addc(b, s[i]);
			continue;
		}
		if (++i >= n - 1)
			return -1;
		switch (s[i]) {
		case 'n':
			buf_addc(b, '\n');
			break;
		case 't':
			buf_addc(b, '\t');
			break;
		case 'r':
			buf_addc(b, '\r');
			break;
		case 'b':
			buf_addc(b, '\b');
			break;
		case 'f':
			buf_addc(b, '\f');
			break;
		case 'u':
			cp = 0;
			for (k = 0; k < 4; k++) {
				int c = ++i < n - 1 ? (unsigned char)s[i] : -1;

				if (c < 0 || !isxdigit(c))
					return -1;
				cp = cp * 16 + (unsigned)(isdigit(c) ? c - '0' :
				    tolower(c) - 'a' + 10);
			}
			if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < n - 1 &&
			    s[i + 1] == '\\' && s[i + 2] == 'u') {
				lo = (unsigned)strtoul((char[]){ s[i + 3],
				    s[i + 4], s[i + 5], s[i + 6], 0 }, NULL,
				    16);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 6;
				}
			}
			if (cp < 0x80) {
				buf_addc(b, (int)cp);
			} else if (cp < 0x800) {
				buf_addc(b, (int)(0xc0 | cp >> 6));
				buf_addc(b, (int)(0x80 | (cp & 0x3f)));
			} else if (cp < 0x10000) {
				buf_addc(b, (int)(0xe0 | cp >> 12));
				buf_addc(b, (int)(0x80 | (cp >> 6 & 0x3f)));
				buf_addc(b, (int)(0x80 | (cp & 0x3f)));
			} else {
				buf_addc(b, (int)(0xf0 | cp >> 18));
				buf_addc(b, (int)(0x80 | (cp >> 12 & 0x3f)));
				buf_addc(b, (int)(0x80 | (cp >> 6 & 0x3f)));
				buf_addc(b, (int)(0x80 | (cp & 0x3f)));
			}
			break;
		default:
			buf_addc(b, s[i]);
			break;
		}
	}
	return 0;
}

static void
f_dyn_tostring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;
	struct buf b;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
		f_tostring(ctx, argc, argv);
		return;
	}
	s = text_arg(argv[0], &n);
	if (n == 4 && memcmp(s, "null", 4) == 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	if (n > 0 && s[0] == '"') {
		buf_init(&b);
		if (json_string_decode(s, n, &b) == 0) {
			result_buf(ctx, &b);
			return;
		}
		buf_release(&b);
	}
	sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT);
}

static void
f_dyn_scalar(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;
	struct buf b;
	char *end;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	s = text_arg(argv[0], &n);
	if (n == 0 || (n == 4 && memcmp(s, "null", 4) == 0)) {
		sqlite3_result_null(ctx);
		return;
	}
	if (s[0] == '"') {
		buf_init(&b);
		if (json_string_decode(s, n, &b) == 0) {
			result_buf(ctx, &b);
			return;
		}
		buf_release(&b);
	} else if (n == 4 && memcmp(s, "true", 4) == 0) {
		sqlite3_result_int(ctx, 1);
		return;
	} else if (n == 5 && memcmp(s, "false", 5) == 0) {
		sqlite3_result_int(ctx, 0);
		return;
	} else if (s[0] == '-' || isdigit((unsigned char)s[0])) {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && end == s + n) {
			sqlite3_result_int64(ctx, v);
			return;
		}
		{
			double d = strtod(s, &end);

			if (end == s + n) {
				sqlite3_result_double(ctx, d);
				return;
			}
		}
	}
	sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT);
}

static void
f_ts_tostring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[48];

	(void)argc;
	if (is_null(argv[0])) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	kql_format_timespan(sqlite3_value_int64(argv[0]), buf, sizeof(buf));
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void
f_dt_tostring(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t t;
	char buf[48];

	(void)argc;
	if (dt_arg(argv[0], &t) == -1) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	kql_format_datetime(t, buf, sizeof(buf));
	if (strcmp(buf + 19, ".0000000Z") == 0)
		strcpy(buf + 19, "Z");
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void
f_tolong(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;
	char *end, buf[64];
	long long v;
	double d;

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_INTEGER:
		sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0]));
		return;
	case SQLITE_FLOAT:
		d = sqlite3_value_double(argv[0]);
		if (isfinite(d) && fabs(d) < 9.2e18)
			sqlite3_result_int64(ctx, (int64_t)d);
		else
			sqlite3_result_null(ctx);
		return;
	case SQLITE_TEXT:
		s = text_arg(argv[0], &n);
		while (n > 0 && isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0 || n >= sizeof(buf))
			break;
		memcpy(buf, s, n);
		buf[n] = '\0';
		errno = 0;
		v = strtoll(buf, &end, 10);
		if (errno == 0 && *end == '\0') {
			sqlite3_result_int64(ctx, v);
			return;
		}
		d = strtod(buf, &end);
		if (*end == '\0' && isfinite(d) && fabs(d) < 9.2e18) {
			sqlite3_result_int64(ctx, (int64_t)d);
			return;
		}
		break;
	default:
		break;
	}
	sqlite3_result_null(ctx);
}

static void
f_toreal(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;
	char *end, buf[64];
	double d;

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		sqlite3_result_double(ctx, sqlite3_value_double(argv[0]));
		return;
	case SQLITE_TEXT:
		s = text_arg(argv[0], &n);
		while (n > 0 && isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0 || n >= sizeof(buf))
			break;
		memcpy(buf, s, n);
		buf[n] = '\0';
		d = strtod(buf, &end);
		if (*end == '\0' && end != buf) {
			sqlite3_result_double(ctx, d);
			return;
		}
		break;
	default:
		break;
	}
	sqlite3_result_null(ctx);
}

static void
f_tobool(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		sqlite3_result_int(ctx, sqlite3_value_double(argv[0]) != 0);
		return;
	case SQLITE_TEXT:
		s = text_arg(argv[0], &n);
		if (n == 4 && strncasecmp(s, "true", 4) == 0) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		if (n == 5 && strncasecmp(s, "false", 5) == 0) {
			sqlite3_result_int(ctx, 0);
			return;
		}
		if (n == 1 && (s[0] == '0' || s[0] == '1')) {
			sqlite3_result_int(ctx, s[0] == '1');
			return;
		}
		break;
	default:
		break;
	}
	sqlite3_result_null(ctx);
}

static void
f_todatetime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int64_t t;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT ||
	    dt_arg(argv[0], &t) == -1) {
		sqlite3_result_null(ctx);
		return;
	}
	result_dt(ctx, t);
}

static void
f_totimespan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;
	int64_t t;

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_INTEGER:
		sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0]));
		return;
	case SQLITE_TEXT:
		s = text_arg(argv[0], &n);
		if (kql_parse_timespan(s, &t) == 0) {
			sqlite3_result_int64(ctx, t);
			return;
		}
		break;
	default:
		break;
	}
	sqlite3_result_null(ctx);
}

static void
f_parse_json(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *s;
	json_t *j;
	char *out;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
		/* a number is already JSON */
		sqlite3_result_text(ctx, (const char *)sqlite3_value_text(
		    argv[0]), -1, SQLITE_TRANSIENT);
		return;
	}
	s = text_arg(argv[0], &n);
	j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
	if (j != NULL) {
		/* valid JSON: keep it, re-encoded compactly */
		out = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(j);
		if (out == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		sqlite3_result_text(ctx, out, -1, free);
		return;
	}
	/* not JSON: the string itself */
	j = json_stringn_nocheck(s, n);
	result_json(ctx, j);
}

static void
f_to_json(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[64];
	size_t n;
	const char *s;

	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_NULL:
		sqlite3_result_null(ctx);
		return;
	case SQLITE_INTEGER:
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)sqlite3_value_int64(argv[0]));
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
		return;
	case SQLITE_FLOAT:
		real_text(sqlite3_value_double(argv[0]), buf, sizeof(buf));
		if (!isfinite(sqlite3_value_double(argv[0])))
			snprintf(buf, sizeof(buf), "null");
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
		return;
	default:
		s = str_arg(argv[0], &n);
		result_json(ctx, json_stringn_nocheck(s, n));
		return;
	}
}

static void
f_array_length(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *j = json_arg(argv[0]);

	(void)argc;
	if (j == NULL || !json_is_array(j))
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, (int64_t)json_array_size(j));
	json_decref(j);
}

/* mv-expand: one element of json_each as JSON text. */
static void
mv_elem(sqlite3_context *ctx, sqlite3_value **argv, int as_array)
{
	size_t n;
	const char *type = str_arg(argv[2], &n), *v;
	struct buf b;
	json_t *val = NULL, *wrap;

	buf_init(&b);
	if (strcmp(type, "object") == 0 || strcmp(type, "array") == 0) {
		v = str_arg(argv[1], &n);
		buf_add(&b, v, n);
	} else if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0 ||
	    strcmp(type, "null") == 0) {
		buf_adds(&b, type);
	} else if (strcmp(type, "text") == 0) {
		v = str_arg(argv[1], &n);
		val = json_stringn_nocheck(v, n);
	} else {
		v = str_arg(argv[1], &n);
		buf_add(&b, v, n);
	}
	if (val == NULL) {
		if (buf_failed(&b)) {
			buf_release(&b);
			sqlite3_result_error_nomem(ctx);
			return;
		}
		val = json_loadb(buf_str(&b), b.len, JSON_DECODE_ANY, NULL);
	}
	buf_release(&b);
	if (sqlite3_value_type(argv[0]) == SQLITE_TEXT) {
		/* an element of a property bag */
		if (as_array) {
			wrap = json_array();
			json_array_append_new(wrap, json_string(
			    (const char *)sqlite3_value_text(argv[0])));
			json_array_append_new(wrap, val ? val : json_null());
		} else {
			wrap = json_object();
			json_object_set_new(wrap, (const char *)
			    sqlite3_value_text(argv[0]), val ? val :
			    json_null());
		}
		val = wrap;
	}
	else if (val != NULL && json_is_null(val)) {
		/* a null element (or null expanded) is null, not "null" */
		json_decref(val);
		val = NULL;
	}
	result_json(ctx, val);
}

static void
f_mv_elem(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	mv_elem(ctx, argv, 0);
}

static void
f_mv_elem_array(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	mv_elem(ctx, argv, 1);
}

static void
f_mv_indexes(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t max = 0, i;
	struct buf b;
	json_t *j;
	int k;

	/* null or a scalar, like an array of one: one row (Kusto) */
	for (k = 0; k < argc; k++) {
		j = json_arg(argv[k]);
		if (j != NULL && json_is_array(j) && json_array_size(j) > max)
			max = json_array_size(j);
		else if ((j == NULL || !json_is_object(j)) && max < 1)
			max = 1;
		json_decref(j);
	}
	buf_init(&b);
	buf_addc(&b, '[');
	for (i = 0; i < max; i++)
		buf_printf(&b, "%s%zu", i > 0 ? "," : "", i);
	buf_addc(&b, ']');
	result_buf(ctx, &b);
}

static void
f_json_index(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *j = json_arg(argv[0]), *e = NULL;
	int64_t k;

	(void)argc;
	if (j != NULL && json_is_array(j) && !is_null(argv[1])) {
		k = sqlite3_value_int64(argv[1]);
		if (k < 0)
			k += (int64_t)json_array_size(j);
		if (k >= 0)
			e = json_array_get(j, (size_t)k);
	} else if (j != NULL && json_is_object(j) && !is_null(argv[1])) {
		e = json_object_get(j, (const char *)sqlite3_value_text(
		    argv[1]));
	}
	if (e != NULL)
		json_incref(e);
	json_decref(j);
	result_json(ctx, e);
}

/* tolower(), toupper(), and the folded form in~ compares. */
static void
f_case(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *how = sqlite3_user_data(ctx), *s;
	size_t n;
	char *out;

	(void)argc;
	if (is_null(argv[0])) {
		sqlite3_result_null(ctx);
		return;
	}
	s = str_arg(argv[0], &n);
	if ((out = malloc(n + 1)) == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	kql_case_map(s, n, out, how[0] == 'u' ? KQL_CASE_UPPER :
	    how[0] == 'l' ? KQL_CASE_LOWER : KQL_CASE_FOLD);
	sqlite3_result_text(ctx, out, (int)n, free);
}

/* The collation of =~ and !~. */
static int
collate_ci(void *arg, int an, const void *a, int bn, const void *b)
{
	(void)arg;
	return kql_case_cmp(a, (size_t)an, b, (size_t)bn);
}

/* range: the rows it may make, past which it fails rather than stop short. */
#define KQL_RANGE_MAX	1000000

static void
f_range_check(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_int64(argv[0]) >= KQL_RANGE_MAX) {
		sqlite3_result_error(ctx, "range: more than 1,000,000 rows "
		    "(the local workspace's limit)", -1);
		return;
	}
	sqlite3_result_int(ctx, 1);
}

/* pack() and pack_all() past SQLite's argument limit: the objects built
 * a chunk at a time, merged in order (json_patch would drop nulls). */
static void
f_bag_concat(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *out = json_object(), *j;
	int k;

	if (out == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	for (k = 0; k < argc; k++) {
		j = json_arg(argv[k]);
		if (j != NULL && json_is_object(j))
			json_object_update(out, j);
		json_decref(j);
	}
	result_json(ctx, out);
}

static void
f_bag_keys(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *j = json_arg(argv[0]), *out, *v;
	const char *k;

	(void)argc;
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		sqlite3_result_null(ctx);
		return;
	}
	out = json_array();
	json_object_foreach(j, k, v)
		json_array_append_new(out, json_string(k));
	json_decref(j);
	result_json(ctx, out);
}

static void
f_bag_has_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *j = json_arg(argv[0]);
	size_t n;
	const char *k = str_arg(argv[1], &n);

	(void)argc;
	sqlite3_result_int(ctx, j != NULL && json_is_object(j) &&
	    json_object_get(j, k) != NULL);
	json_decref(j);
}

static void
f_array_concat(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *out = json_array(), *j;
	int k;

	for (k = 0; k < argc; k++) {
		j = json_arg(argv[k]);
		if (j != NULL && json_is_array(j))
			json_array_extend(out, j);
		json_decref(j);
	}
	result_json(ctx, out);
}

static int
json_in(json_t *arr, json_t *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_equal(e, v))
			return 1;
	return 0;
}

static void
f_array_index_of(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *a = json_arg(argv[0]), *v = json_arg(argv[1]), *e;
	size_t i;
	int64_t at = -1;

	(void)argc;
	if (a != NULL && v != NULL && json_is_array(a))
		json_array_foreach(a, i, e)
			if (at < 0 && json_equal(e, v))
				at = (int64_t)i;
	json_decref(a);
	json_decref(v);
	sqlite3_result_int64(ctx, at);
}

static void
f_array_slice(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	json_t *a = json_arg(argv[0]), *out;
	int64_t s, e, n;

	(void)argc;
	if (a == NULL || !json_is_array(a)) {
		json_decref(a);
		sqlite3_result_null(ctx);
		return;
	}
	n = (int64_t)json_array_size(a);
	s = sqlite3_value_int64(argv[1]);
	e = sqlite3_value_int64(argv[2]);
	if (s < 0)
		s += n;
	if (e < 0)
		e += n;
	out = json_array();
	for (; s <= e && s < n; s++)
		if (s >= 0)
			json_array_append(out, json_array_get(a, (size_t)s));
	json_decref(a);
	result_json(ctx, out);
}

static void
f_set_op(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *op = sqlite3_user_data(ctx);
	json_t *first = json_arg(argv[0]), *out = json_array(), *e, *o;
	size_t i;
	int k, keep;

	if (first == NULL || !json_is_array(first)) {
		json_decref(first);
		json_decref(out);
		sqlite3_result_null(ctx);
		return;
	}
	if (strcmp(op, "has") == 0) {
		e = json_arg(argv[1]);
		sqlite3_result_int(ctx, e != NULL && json_in(first, e));
		json_decref(e);
		json_decref(first);
		json_decref(out);
		return;
	}
	json_array_foreach(first, i, e) {
		keep = 1;
		for (k = 1; k < argc; k++) {
			o = json_arg(argv[k]);
			if (o != NULL && json_is_array(o)) {
				if (strcmp(op, "difference") == 0 &&
				    json_in(o, e))
					keep = 0;
				if (strcmp(op, "intersect") == 0 &&
				    !json_in(o, e))
					keep = 0;
			}
			json_decref(o);
		}
		if (keep && !json_in(out, e))
			json_array_append(out, e);
	}
	if (strcmp(op, "union") == 0) {
		for (k = 1; k < argc; k++) {
			o = json_arg(argv[k]);
			if (o != NULL && json_is_array(o))
				json_array_foreach(o, i, e)
					if (!json_in(out, e))
						json_array_append(out, e);
			json_decref(o);
		}
	}
	json_decref(first);
	result_json(ctx, out);
}

/* extractjson("$.a.b", text): JSONPath subset: .name, ['name'], [n]. */
static void
f_extractjson(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t pn;
	const char *p = str_arg(argv[0], &pn);
	json_t *root = json_arg(argv[1]), *cur;
	struct buf b;
	char key[256];
	size_t i = 0, k;

	(void)argc;
	cur = root;
	if (pn == 0 || p[0] != '$')
		cur = NULL;
	i = 1;
	while (cur != NULL && i < pn) {
		if (p[i] == '.') {
			i++;
			for (k = 0; i < pn && p[i] != '.' && p[i] != '[' &&
			    k < sizeof(key) - 1; i++)
				key[k++] = p[i];
			key[k] = '\0';
			cur = json_is_object(cur) ? json_object_get(cur, key) :
			    NULL;
		} else if (p[i] == '[') {
			i++;
			if (i < pn && (p[i] == '\'' || p[i] == '"')) {
				char q = p[i++];

				for (k = 0; i < pn && p[i] != q &&
				    k < sizeof(key) - 1; i++)
					key[k++] = p[i];
				key[k] = '\0';
				i++;
				cur = json_is_object(cur) ?
				    json_object_get(cur, key) : NULL;
			} else {
				long idx = strtol(p + i, NULL, 10);

				while (i < pn && p[i] != ']')
					i++;
				cur = json_is_array(cur) && idx >= 0 ?
				    json_array_get(cur, (size_t)idx) : NULL;
			}
			if (i < pn && p[i] == ']')
				i++;
		} else {
			cur = NULL;
		}
	}
	buf_init(&b);
	if (cur != NULL)
		json_to_text(cur, &b);
	json_decref(root);
	result_buf(ctx, &b);
}

/* +, -, *, / when the types are known only at run time. */
static void
f_arith(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	size_t n;
	const char *op = str_arg(argv[0], &n);
	sqlite3_value *a = argv[1], *b = argv[2];
	int64_t ta, tb;

	(void)argc;
	if (is_null(a) || is_null(b)) {
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_type(a) == SQLITE_TEXT && dt_arg(a, &ta) == 0) {
		if (sqlite3_value_type(b) == SQLITE_TEXT &&
		    dt_arg(b, &tb) == 0 && op[0] == '-') {
			sqlite3_result_int64(ctx, ta - tb);
			return;
		}
		if (sqlite3_value_numeric_type(b) == SQLITE_INTEGER &&
		    (op[0] == '+' || op[0] == '-')) {
			tb = sqlite3_value_int64(b);
			result_dt(ctx, op[0] == '+' ? ta + tb : ta - tb);
			return;
		}
		sqlite3_result_null(ctx);
		return;
	}
	if (sqlite3_value_numeric_type(a) == SQLITE_INTEGER &&
	    sqlite3_value_numeric_type(b) == SQLITE_INTEGER) {
		int64_t x = sqlite3_value_int64(a), y = sqlite3_value_int64(b);

		switch (op[0]) {
		case '+':
			sqlite3_result_int64(ctx, (int64_t)((uint64_t)x +
			    (uint64_t)y));
			return;
		case '-':
			sqlite3_result_int64(ctx, (int64_t)((uint64_t)x -
			    (uint64_t)y));
			return;
		case '*':
			sqlite3_result_int64(ctx, (int64_t)((uint64_t)x *
			    (uint64_t)y));
			return;
		case '/':
			if (y == 0 || (x == INT64_MIN && y == -1))
				sqlite3_result_null(ctx);
			else
				sqlite3_result_int64(ctx, x / y);
			return;
		case '%':
			if (y == 0)
				sqlite3_result_null(ctx);
			else if (y == -1)
				sqlite3_result_int64(ctx, 0);
			else
				sqlite3_result_int64(ctx, x % y);
			return;
		}
	}
	{
		double x = sqlite3_value_double(a), y = sqlite3_value_double(b);

		switch (op[0]) {
		case '+':
			sqlite3_result_double(ctx, x + y);
			return;
		case '-':
			sqlite3_result_double(ctx, x - y);
			return;
		case '*':
			sqlite3_result_double(ctx, x * y);
			return;
		case '/':
			if (y == 0)
				sqlite3_result_null(ctx);
			else
				sqlite3_result_double(ctx, x / y);
			return;
		default:
			sqlite3_result_double(ctx, fmod(x, y));
			return;
		}
	}
}

static void
f_isnan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (is_null(argv[0]))
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int(ctx, isnan(sqlite3_value_double(argv[0])));
}

/* ---- aggregates ---- */

/* SQLite's ordering of values: NULL < numbers < text < blob. */
static int
value_cmp(sqlite3_value *a, sqlite3_value *b)
{
	int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
	int ra, rb, c;
	size_t na, nb;

	ra = ta == SQLITE_NULL ? 0 : ta == SQLITE_INTEGER ||
	    ta == SQLITE_FLOAT ? 1 : ta == SQLITE_TEXT ? 2 : 3;
	rb = tb == SQLITE_NULL ? 0 : tb == SQLITE_INTEGER ||
	    tb == SQLITE_FLOAT ? 1 : tb == SQLITE_TEXT ? 2 : 3;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 1) {
		if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
			int64_t x = sqlite3_value_int64(a);
			int64_t y = sqlite3_value_int64(b);

			return x < y ? -1 : x > y;
		}
		{
			double x = sqlite3_value_double(a);
			double y = sqlite3_value_double(b);

			return x < y ? -1 : x > y;
		}
	}
	if (ra == 0)
		return 0;
	na = (size_t)sqlite3_value_bytes(a);
	nb = (size_t)sqlite3_value_bytes(b);
	c = memcmp(ra == 2 ? (const void *)sqlite3_value_text(a) :
	    sqlite3_value_blob(a), ra == 2 ?
	    (const void *)sqlite3_value_text(b) : sqlite3_value_blob(b),
	    na < nb ? na : nb);
	if (c != 0)
		return c;
	return na < nb ? -1 : na > nb;
}

struct argext {
	sqlite3_value	*key;
	sqlite3_value	*val;
};

static void
argext_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct argext *st;
	int want_max = sqlite3_user_data(ctx) != NULL, c;

	(void)argc;
	if (is_null(argv[0]))
		return;
	st = sqlite3_aggregate_context(ctx, sizeof(*st));
	if (st == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (st->key != NULL) {
		c = value_cmp(argv[0], st->key);
		if (want_max ? c <= 0 : c >= 0)
			return;	/* ties keep the first row */
	}
	sqlite3_value_free(st->key);
	sqlite3_value_free(st->val);
	st->key = sqlite3_value_dup(argv[0]);
	st->val = sqlite3_value_dup(argv[1]);
	if (st->key == NULL || (st->val == NULL && !is_null(argv[1])))
		sqlite3_result_error_nomem(ctx);
}

static void
argext_final(sqlite3_context *ctx)
{
	struct argext *st = sqlite3_aggregate_context(ctx, 0);

	if (st == NULL || st->key == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (st->val != NULL)
		sqlite3_result_value(ctx, st->val);
	else
		sqlite3_result_null(ctx);
	sqlite3_value_free(st->key);
	sqlite3_value_free(st->val);
	st->key = st->val = NULL;
}

/* make_set / make_list: JSON elements in arrival order. */
struct jset {
	struct buf	 out;
	size_t		 count;
	char		**slots;	/* make_set: open hash of elements */
	size_t		 nslots;
	int		 started;
};

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Adds s to the set; 1 when new, 0 when already there, -1 on no memory. */
static int
jset_insert(struct jset *st, const char *s, size_t n)
{
	size_t i, k;
	char **nv;

	if (st->count * 2 >= st->nslots) {
		size_t nn = st->nslots ? st->nslots * 2 : 64;

		nv = calloc(nn, sizeof(*nv));
		if (nv == NULL)
			return -1;
		for (i = 0; i < st->nslots; i++) {
			if (st->slots[i] == NULL)
				continue;
			k = hash_bytes(st->slots[i], strlen(st->slots[i])) %
			    nn;
			while (nv[k] != NULL)
				k = (k + 1) % nn;
			nv[k] = st->slots[i];
		}
		free(st->slots);
		st->slots = nv;
		st->nslots = nn;
	}
	k = hash_bytes(s, n) % st->nslots;
	while (st->slots[k] != NULL) {
		if (strlen(st->slots[k]) == n && memcmp(st->slots[k], s, n) ==
		    0)
			return 0;
		k = (k + 1) % st->nslots;
	}
	st->slots[k] = strndup(s, n);
	return st->slots[k] == NULL ? -1 : 1;
}

static void
jset_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct jset *st;
	int is_set = sqlite3_user_data(ctx) != NULL, rc;
	size_t n;
	const char *s = text_arg(argv[0], &n);
	int64_t max = argc > 1 ? sqlite3_value_int64(argv[1]) : 1048576;

	st = sqlite3_aggregate_context(ctx, sizeof(*st));
	if (st == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (!st->started) {
		buf_init(&st->out);
		st->started = 1;
	}
	if (s == NULL || (n == 4 && memcmp(s, "null", 4) == 0))
		return;		/* nulls are not collected */
	if (max <= 0 || max > 1048576)
		max = 1048576;
	if ((int64_t)st->count >= max)
		return;
	if (is_set) {
		rc = jset_insert(st, s, n);
		if (rc == -1) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		if (rc == 0)
			return;
	}
	if (st->count++ > 0)
		buf_addc(&st->out, ',');
	buf_add(&st->out, s, n);
}

static void
jset_final(sqlite3_context *ctx)
{
	struct jset *st = sqlite3_aggregate_context(ctx, 0);
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_addc(&b, '[');
	if (st != NULL && st->started)
		buf_add(&b, buf_str(&st->out), st->out.len);
	buf_addc(&b, ']');
	if (st != NULL) {
		if (st->started)
			buf_release(&st->out);
		for (i = 0; i < st->nslots; i++)
			free(st->slots[i]);
		free(st->slots);
		st->slots = NULL;
		st->nslots = 0;
		st->started = 0;
	}
	result_buf(ctx, &b);
}

struct bag {
	json_t	*obj;
};

static void
bag_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct bag *st;
	json_t *j;

	(void)argc;
	st = sqlite3_aggregate_context(ctx, sizeof(*st));
	if (st == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	j = json_arg(argv[0]);
	if (j == NULL || !json_is_object(j)) {
		json_decref(j);
		return;
	}
	if (st->obj == NULL)
		st->obj = json_object();
	json_object_update_missing(st->obj, j);
	json_decref(j);
}

static void
bag_final(sqlite3_context *ctx)
{
	struct bag *st = sqlite3_aggregate_context(ctx, 0);

	if (st == NULL || st->obj == NULL) {
		sqlite3_result_text(ctx, "{}", 2, SQLITE_STATIC);
		return;
	}
	result_json(ctx, st->obj);
	st->obj = NULL;
}

struct anyv {
	sqlite3_value	*v;
	int		 got;
};

static void
any_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct anyv *st;

	(void)argc;
	if (is_null(argv[0]))
		return;
	st = sqlite3_aggregate_context(ctx, sizeof(*st));
	if (st == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (st->got)
		return;
	st->v = sqlite3_value_dup(argv[0]);
	st->got = 1;
	if (st->v == NULL)
		sqlite3_result_error_nomem(ctx);
}

static void
any_final(sqlite3_context *ctx)
{
	struct anyv *st = sqlite3_aggregate_context(ctx, 0);

	if (st == NULL || st->v == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_value(ctx, st->v);
	sqlite3_value_free(st->v);
	st->v = NULL;
}

struct welford {
	int64_t	n;
	double	mean;
	double	m2;
};

static void
stat_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct welford *st;
	double x, d;

	(void)argc;
	if (is_null(argv[0]))
		return;
	st = sqlite3_aggregate_context(ctx, sizeof(*st));
	if (st == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	x = sqlite3_value_double(argv[0]);
	st->n++;
	d = x - st->mean;
	st->mean += d / (double)st->n;
	st->m2 += d * (x - st->mean);
}

static void
stat_final(sqlite3_context *ctx)
{
	struct welford *st = sqlite3_aggregate_context(ctx, 0);
	const char *kind = sqlite3_user_data(ctx);
	int pop = kind[strlen(kind) - 1] == 'p';
	double v;

	if (st == NULL || st->n == 0 || (!pop && st->n < 2)) {
		sqlite3_result_double(ctx, 0);
		return;
	}
	v = st->m2 / (double)(pop ? st->n : st->n - 1);
	sqlite3_result_double(ctx, strncmp(kind, "stdev", 5) == 0 ? sqrt(v) :
	    v);
}

struct pct {
	sqlite3_value	**v;
	size_t		  n;
	size_t		  cap;
	double		  p;
};

static void
pct_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct pct *st;
	sqlite3_value **nv;

	(void)argc;
	if (is_null(argv[0]))
		return;
	st = sqlite3_aggregate_context(ctx, sizeof(*st));
	if (st == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	st->p = sqlite3_value_double(argv[1]);
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		nv = realloc(st->v, st->cap * sizeof(*nv));
		if (nv == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		st->v = nv;
	}
	st->v[st->n] = sqlite3_value_dup(argv[0]);
	if (st->v[st->n] == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	st->n++;
}

static int
pct_cmp(const void *a, const void *b)
{
	return value_cmp(*(sqlite3_value *const *)a,
	    *(sqlite3_value *const *)b);
}

static void
pct_final(sqlite3_context *ctx)
{
	struct pct *st = sqlite3_aggregate_context(ctx, 0);
	size_t i, k;

	if (st == NULL || st->n == 0) {
		sqlite3_result_null(ctx);
		return;
	}
	qsort(st->v, st->n, sizeof(*st->v), pct_cmp);
	/* nearest rank */
	k = (size_t)ceil(st->p / 100.0 * (double)st->n);
	if (k > 0)
		k--;
	if (k >= st->n)
		k = st->n - 1;
	sqlite3_result_value(ctx, st->v[k]);
	for (i = 0; i < st->n; i++)
		sqlite3_value_free(st->v[i]);
	free(st->v);
	st->v = NULL;
	st->n = 0;
}

/* ---- registration ---- */

struct scalar_def {
	const char	*name;
	int		 nargs;
	void		 (*fn)(sqlite3_context *, int, sqlite3_value **);
	void		*data;		/* FC: the shared struct fctx */
};

#define CS	((void *)"cs")
static char fc_marker;
#define FC	((void *)&fc_marker)	/* wants the shared struct fctx */

static const struct scalar_def scalars[] = {
	{ "kql_now", 0, f_now, NULL },
	{ "kql_ago", 1, f_ago, FC },
	{ "kql_dt_add", 2, f_dt_add, NULL },
	{ "kql_dt_diff", 2, f_dt_diff, NULL },
	{ "kql_dt_ticks", 1, f_dt_ticks, NULL },
	{ "kql_bin", 2, f_bin, NULL },
	{ "kql_bin_at", 3, f_bin, NULL },
	{ "kql_bin_dt", 2, f_bin_dt, NULL },
	{ "kql_bin_dt_at", 3, f_bin_dt, NULL },
	{ "kql_startofday", -1, f_startof, (void *)"startday" },
	{ "kql_startofweek", -1, f_startof, (void *)"startweek" },
	{ "kql_startofmonth", -1, f_startof, (void *)"startmonth" },
	{ "kql_startofyear", -1, f_startof, (void *)"startyear" },
	{ "kql_endofday", -1, f_startof, (void *)"endday" },
	{ "kql_endofweek", -1, f_startof, (void *)"endweek" },
	{ "kql_endofmonth", -1, f_startof, (void *)"endmonth" },
	{ "kql_endofyear", -1, f_startof, (void *)"endyear" },
	{ "kql_dayofweek", 1, f_dayofweek, NULL },
	{ "kql_datetime_part", 2, f_datetime_part, NULL },
	{ "kql_datetime_diff", 3, f_datetime_diff, NULL },
	{ "kql_datetime_add", 3, f_datetime_add, NULL },
	{ "kql_format_datetime", 2, f_format_datetime, NULL },
	{ "kql_format_timespan", 2, f_format_timespan, NULL },
	{ "kql_unixtime_s", 1, f_unixtime, (void *)(intptr_t)TICKS_PER_SEC },
	{ "kql_unixtime_ms", 1, f_unixtime, (void *)(intptr_t)TICKS_PER_MS },
	{ "kql_make_datetime", -1, f_make_datetime, NULL },
	{ "kql_make_timespan", -1, f_make_timespan, NULL },
	{ "kql_has", 2, f_has, NULL },
	{ "kql_has_cs", 2, f_has, CS },
	{ "kql_tolower", 1, f_case, (void *)"lower" },
	{ "kql_toupper", 1, f_case, (void *)"upper" },
	{ "kql_fold", 1, f_case, (void *)"fold" },
	{ "kql_contains", 2, f_contains, NULL },
	{ "kql_startswith", 2, f_startswith, NULL },
	{ "kql_startswith_cs", 2, f_startswith, CS },
	{ "kql_endswith", 2, f_endswith, NULL },
	{ "kql_endswith_cs", 2, f_endswith, CS },
	{ "kql_hasprefix", 3, f_hasfix, NULL },
	{ "kql_hassuffix", 3, f_hasfix, CS },
	{ "kql_has_any", 2, f_has_anyall, NULL },
	{ "kql_has_all", 2, f_has_anyall, CS },
	{ "kql_regex_match", 2, f_regex_match, NULL },
	{ "kql_extract", 3, f_extract, NULL },
	{ "kql_extract_all", -1, f_extract_all, NULL },
	{ "kql_replace_regex", 3, f_replace_regex, NULL },
	{ "kql_trim", 3, f_trim, NULL },
	{ "kql_countof", -1, f_countof, NULL },
	{ "kql_substring", 3, f_substring, NULL },
	{ "kql_split", -1, f_split, NULL },
	{ "kql_indexof", 2, f_indexof, NULL },
	{ "kql_reverse", 1, f_reverse, NULL },
	{ "kql_strrep", -1, f_strrep, NULL },
	{ "kql_string_size", 1, f_string_size, NULL },
	{ "kql_strcat_array", 2, f_strcat_array, NULL },
	{ "kql_base64_encode", 1, f_base64_encode, NULL },
	{ "kql_base64_decode", 1, f_base64_decode, NULL },
	{ "kql_url_decode", 1, f_url_decode, NULL },
	{ "kql_parse_url", 1, f_parse_url, NULL },
	{ "kql_url_encode", 1, f_url_encode, NULL },
	{ "kql_tohex", -1, f_tohex, NULL },
	{ "kql_parse_urlquery", 1, f_parse_urlquery, NULL },
	{ "kql_ipv4_is_private", 1, f_ipv4_is_private, NULL },
	{ "kql_ipv4_is_in_range", -1, f_ipv4_in_range, NULL },
	{ "kql_has_ipv4", 2, f_has_ipv4, NULL },
	{ "kql_tostring", 1, f_tostring, NULL },
	{ "kql_dyn_tostring", 1, f_dyn_tostring, NULL },
	{ "kql_dyn_scalar", 1, f_dyn_scalar, NULL },
	{ "kql_ts_tostring", 1, f_ts_tostring, NULL },
	{ "kql_dt_tostring", 1, f_dt_tostring, NULL },
	{ "kql_tolong", 1, f_tolong, NULL },
	{ "kql_toreal", 1, f_toreal, NULL },
	{ "kql_tobool", 1, f_tobool, NULL },
	{ "kql_todatetime", 1, f_todatetime, NULL },
	{ "kql_totimespan", 1, f_totimespan, NULL },
	{ "kql_parse_json", 1, f_parse_json, NULL },
	{ "kql_to_json", 1, f_to_json, NULL },
	{ "kql_array_length", 1, f_array_length, NULL },
	{ "kql_mv_elem", 3, f_mv_elem, NULL },
	{ "kql_mv_elem_array", 3, f_mv_elem_array, NULL },
	{ "kql_mv_indexes", -1, f_mv_indexes, NULL },
	{ "kql_json_index", 2, f_json_index, NULL },
	{ "kql_bag_concat", -1, f_bag_concat, NULL },
	{ "kql_range_check", 1, f_range_check, NULL },
	{ "kql_bag_keys", 1, f_bag_keys, NULL },
	{ "kql_bag_has_key", 2, f_bag_has_key, NULL },
	{ "kql_array_concat", -1, f_array_concat, NULL },
	{ "kql_array_index_of", 2, f_array_index_of, NULL },
	{ "kql_array_slice", 3, f_array_slice, NULL },
	{ "kql_set_difference", -1, f_set_op, (void *)"difference" },
	{ "kql_set_union", -1, f_set_op, (void *)"union" },
	{ "kql_set_intersect", -1, f_set_op, (void *)"intersect" },
	{ "kql_set_has_element", 2, f_set_op, (void *)"has" },
	{ "kql_extractjson", 2, f_extractjson, NULL },
	{ "kql_arith", 3, f_arith, NULL },
	{ "kql_isnan", 1, f_isnan, NULL },
	{ NULL, 0, NULL, NULL }
};

struct agg_def {
	const char	*name;
	int		 nargs;
	void		 (*step)(sqlite3_context *, int, sqlite3_value **);
	void		 (*final)(sqlite3_context *);
	void		*data;
};

static const struct agg_def aggs[] = {
	{ "kql_arg_max", 2, argext_step, argext_final, (void *)"max" },
	{ "kql_arg_min", 2, argext_step, argext_final, NULL },
	{ "kql_make_set", 2, jset_step, jset_final, (void *)"set" },
	{ "kql_make_list", 2, jset_step, jset_final, NULL },
	{ "kql_make_bag", 1, bag_step, bag_final, NULL },
	{ "kql_take_any", 1, any_step, any_final, NULL },
	{ "kql_stdev", 1, stat_step, stat_final, (void *)"stdev" },
	{ "kql_stdevp", 1, stat_step, stat_final, (void *)"stdevp" },
	{ "kql_variance", 1, stat_step, stat_final, (void *)"variance" },
	{ "kql_variancep", 1, stat_step, stat_final, (void *)"variancep" },
	{ "kql_percentile", 2, pct_step, pct_final, NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

/* SQLite's own functions the generator uses. */
static const char *const builtins[] = {
	"count", "sum", "avg", "min", "max", "total", "coalesce", "nullif",
	"lower", "upper", "length", "replace", "instr", "substr", "abs",
	"round", "floor", "ceil", "sqrt", "exp", "ln", "log10", "log2", "pow",
	"sign", "json_quote", "json_object", "json_array", "json", "json_each",
	"json_extract", "json_type", "json_valid", "json_array_length",
	"row_number", "lag", "lead", "random", "typeof", "max", "min",
	"->", "->>",
	/* pure built-ins that hand-written test SQL uses */
	"json_group_array", "json_group_object", "group_concat", "strftime",
	"julianday", "date", "time", "datetime", "unixepoch", "printf",
	"format", "trim", "ltrim", "rtrim", "like", "glob", "iif", "ifnull",
	"hex", "quote", "char", "unicode", "mod", "trunc", NULL
};

int
kql_funcs_allowed(const char *name)
{
	size_t i;

	for (i = 0; builtins[i] != NULL; i++)
		if (strcasecmp(builtins[i], name) == 0)
			return 1;
	for (i = 0; scalars[i].name != NULL; i++)
		if (strcasecmp(scalars[i].name, name) == 0)
			return 1;
	for (i = 0; aggs[i].name != NULL; i++)
		if (strcasecmp(aggs[i].name, name) == 0)
			return 1;
	return 0;
}

int
kql_funcs_register(sqlite3 *db, int64_t now)
{
	struct fctx *fc;
	size_t i;
	int rc, flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC |
	    SQLITE_DIRECTONLY;

	fc = calloc(1, sizeof(*fc));
	if (fc == NULL)
		return SQLITE_NOMEM;
	fc->now = now;
	/* The first registration owns fc and frees it with the handle. */
	rc = sqlite3_create_function_v2(db, "kql_now", 0, flags, fc, f_now,
	    NULL, NULL, free);
	if (rc != SQLITE_OK)
		return rc;
	for (i = 1; scalars[i].name != NULL; i++) {
		rc = sqlite3_create_function_v2(db, scalars[i].name,
		    scalars[i].nargs, flags, scalars[i].data == FC ? fc :
		    scalars[i].data, scalars[i].fn, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	for (i = 0; aggs[i].name != NULL; i++) {
		rc = sqlite3_create_function_v2(db, aggs[i].name,
		    aggs[i].nargs, flags, aggs[i].data, NULL, aggs[i].step,
		    aggs[i].final, NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	return sqlite3_create_collation(db, "KQLCI", SQLITE_UTF8, NULL,
	    collate_ci);
}
