/*
 * incident_text: reading incidents as people export them.  A file may be
 * one JSON document, a run of JSON values (NDJSON, or what jq -c writes),
 * or CSV from the Log Analytics portal (UTF-8 byte order mark, quoted
 * cells holding JSON and line breaks, "TimeGenerated [UTC]" headers and
 * "4/19/2021, 12:13:19.483 PM" times).  Also the small lookups the other
 * incident modules share: case-blind member lookup, "dynamic" columns
 * that hold JSON text, and times and durations.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "incident.h"
#include "incident_int.h"
#include "isotime.h"
#include "jsonx.h"
#include "utf8.h"

/* --- shared lookups ----------------------------------------------------- */

/* obj's member called name, or failing that one whose name differs only
 * in case.  Borrowed, or NULL. */
static json_t *
member(const json_t *obj, const char *name)
{
	const char *k;
	json_t *v;

	/* The exact name is the common case and a hash lookup. */
	v = json_object_get(obj, name);
	if (v != NULL)
		return v;
	json_object_foreach((json_t *)obj, k, v)
		if (strcasecmp(k, name) == 0)
			return v;
	return NULL;
}

json_t *
inc_get(const json_t *obj, const char *const names[])
{
	json_t *v;
	size_t i;

	if (!json_is_object(obj))
		return NULL;
	for (i = 0; names[i] != NULL; i++) {
		v = member(obj, names[i]);
		if (v == NULL || json_is_null(v) || (json_is_string(v) &&
		    json_string_length(v) == 0))
			continue;
		return v;
	}
	return NULL;
}

const char *
inc_str(const json_t *obj, const char *const names[])
{
	const json_t *v;
	size_t i;

	if (!json_is_object(obj))
		return NULL;
	for (i = 0; names[i] != NULL; i++) {
		v = member(obj, names[i]);
		if (json_is_string(v) && json_string_length(v) > 0)
			return json_string_value(v);
	}
	return NULL;
}

int
inc_text(const json_t *v, char *out, size_t outsz)
{
	int n;

	if (json_is_string(v) && json_string_length(v) > 0) {
		if (json_string_length(v) >= outsz)
			return -1;
		memcpy(out, json_string_value(v), json_string_length(v) + 1);
		return 0;
	}
	if (json_is_integer(v))
		n = snprintf(out, outsz, "%lld",
		    (long long)json_integer_value(v));
	else if (json_is_real(v) && json_real_value(v) > -9e15 &&
	    json_real_value(v) < 9e15 && json_real_value(v) ==
	    (double)(long long)json_real_value(v))
		n = snprintf(out, outsz, "%lld",
		    (long long)json_real_value(v));
	else
		return -1;
	return n > 0 && (size_t)n < outsz ? 0 : -1;
}

json_t *
inc_dyn(const json_t *v)
{
	const char *s;
	size_t i, n;

	if (json_is_object(v) || json_is_array(v))
		return json_incref((json_t *)v);
	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	for (i = 0; i < n && isspace((unsigned char)s[i]); i++)
		;
	if (i == n || (s[i] != '{' && s[i] != '['))
		return NULL;
	return json_loadb(s, n, JSON_ALLOW_NUL, NULL);
}

json_t *
inc_time(const json_t *v)
{
	char out[48];
	int64_t t;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	if (incident_time_parse(json_string_value(v), &t) != 0)
		return json_string(json_string_value(v));
	return json_string(iso_format(t, out, sizeof(out), -1));
}

void
inc_warn(json_t *warnings, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t i;

	if (warnings == NULL || json_array_size(warnings) >= 100)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Hostile input repeats its faults: say each once. */
	for (i = 0; i < json_array_size(warnings); i++)
		if (strcmp(json_string_value(json_array_get(warnings, i)),
		    msg) == 0)
			return;
	json_array_append_new(warnings, jx_string_lossy(msg, strlen(msg)));
}

void
inc_snip(const char *s, char *out, size_t outsz)
{
	size_t i;

	if (outsz == 0)
		return;
	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < outsz; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	out[i] = '\0';
}

/* --- times and durations ------------------------------------------------ */

static int
digits(const char **p, int max, int *out)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n;
}

/* "4/19/2021, 12:13:19.483 PM": the portal's US form, in UTC. */
static int
portal_time(const char *s, int64_t *ticks)
{
	const char *p = s;
	int mo, d, y, h, mi, sec = 0, pm = -1;
	int64_t frac = 0, scale = 1000000;

	if (digits(&p, 2, &mo) == 0 || *p++ != '/' ||
	    digits(&p, 2, &d) == 0 || *p++ != '/' ||
	    digits(&p, 4, &y) != 4)
		return -1;
	if (*p == ',')
		p++;
	while (*p == ' ')
		p++;
	if (digits(&p, 2, &h) == 0 || *p++ != ':' || digits(&p, 2, &mi) != 2)
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec) != 2)
			return -1;
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (scale > 0) {
					frac += (*p - '0') * scale;
					scale /= 10;
				}
				p++;
			}
		}
	}
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "AM", 2) == 0)
		pm = 0;
	else if (strncasecmp(p, "PM", 2) == 0)
		pm = 1;
	if (pm >= 0)
		p += 2;
	while (*p == ' ')
		p++;
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || mi > 59 ||
	    sec > 60)
		return -1;
	if (pm >= 0) {
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
	} else if (h > 23)
		return -1;
	*ticks = iso_days_from_civil(y, (unsigned)mo, (unsigned)d) *
	    TICKS_PER_DAY + ((int64_t)h * 3600 + mi * 60 + sec) *
	    TICKS_PER_SEC + frac;
	return 0;
}

int
incident_time_parse(const char *s, int64_t *ticks)
{
	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	if (iso_parse(s, ticks) == 0)
		return 0;
	return portal_time(s, ticks);
}

int
incident_duration_parse(const char *s, int64_t *ticks)
{
	long long n;
	char *end;
	int64_t unit;

	if (s == NULL || *s == '\0')
		return -1;
	if (*s == 'P' || *s == 'p') {
		if (iso_duration_parse(s, ticks) != 0 || *ticks <= 0)
			return -1;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtoll(s, &end, 10);
	if (n <= 0 || n > 100000)
		return -1;
	if (strcmp(end, "s") == 0)
		unit = TICKS_PER_SEC;
	else if (strcmp(end, "m") == 0)
		unit = 60 * TICKS_PER_SEC;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * TICKS_PER_SEC;
	else if (strcmp(end, "d") == 0)
		unit = TICKS_PER_DAY;
	else if (strcmp(end, "w") == 0)
		unit = 7 * TICKS_PER_DAY;
	else
		return -1;
	*ticks = (int64_t)n * unit;
	return 0;
}

void
incident_duration_kql(int64_t ticks, char *out, size_t outsz)
{
	int64_t sec = ticks / TICKS_PER_SEC;

	if (sec <= 0)
		sec = 1;
	if (sec % 86400 == 0)
		snprintf(out, outsz, "%lldd", (long long)(sec / 86400));
	else if (sec % 3600 == 0)
		snprintf(out, outsz, "%lldh", (long long)(sec / 3600));
	else if (sec % 60 == 0)
		snprintf(out, outsz, "%lldm", (long long)(sec / 60));
	else
		snprintf(out, outsz, "%llds", (long long)sec);
}

/* --- text: JSON, NDJSON, CSV -------------------------------------------- */

/*
 * text with invalid UTF-8 made U+FFFD.  Returns text itself when it is
 * valid, else a new buffer in *fixed (free it).
 */
static const char *
utf8_clean(const char *text, size_t len, char **fixed, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)text;
	struct buf b;
	size_t i, n;

	*fixed = NULL;
	*outlen = len;
	for (i = 0; i < len; i += n)
		if ((n = utf8_decode(p + i, len - i, NULL)) == 0)
			break;
	if (i == len)
		return text;
	buf_init(&b);
	buf_add(&b, text, i);
	for (; i < len; i += n) {
		if ((n = utf8_decode(p + i, len - i, NULL)) == 0) {
			buf_adds(&b, "\xef\xbf\xbd");
			n = 1;
		} else
			buf_add(&b, p + i, n);
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	*outlen = b.len;
	*fixed = buf_steal(&b);
	return *fixed;
}

/* Line and column (1-based, in bytes) of offset off in text. */
static void
position(const char *text, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static json_t *
parse_json_values(const char *text, size_t len, const char *name, char *err,
    size_t errsz)
{
	json_t *values, *v;
	json_error_t je;
	size_t off = 0, line, col;

	values = json_array();
	for (;;) {
		while (off < len && isspace((unsigned char)text[off]))
			off++;
		if (off >= len)
			break;
		if (text[off] != '{' && text[off] != '[') {
			position(text, off, &line, &col);
			snprintf(err, errsz, "%s:%zu:%zu: expected a JSON "
			    "object or array", name, line, col);
			json_decref(values);
			return NULL;
		}
		v = json_loadb(text + off, len - off, JSON_DISABLE_EOF_CHECK |
		    JSON_ALLOW_NUL, &je);
		if (v == NULL) {
			size_t at = off + (size_t)(je.position > 0 ?
			    je.position : 0);

			/* At the end of input, point at the end of the
			 * text rather than past the last line break. */
			while (at > off && isspace((unsigned char)text[at - 1]))
				at--;
			position(text, at, &line, &col);
			snprintf(err, errsz, "%s:%zu:%zu: %s", name, line, col,
			    je.text);
			json_decref(values);
			return NULL;
		}
		json_array_append_new(values, v);
		off += (size_t)je.position;
	}
	if (json_array_size(values) == 1) {
		v = json_incref(json_array_get(values, 0));
		json_decref(values);
		return v;
	}
	return values;
}

/* One CSV cell: advances *pos past it and its separator.  Returns the
 * cell (new), and sets *eol when the record ended. */
static json_t *
csv_cell(const char *t, size_t len, size_t *pos, size_t *line, int *eol,
    int *bad)
{
	struct buf b;
	size_t i = *pos;
	json_t *v;

	buf_init(&b);
	*eol = 0;
	*bad = 0;
	if (i < len && t[i] == '"') {
		i++;
		for (;;) {
			if (i >= len) {
				*bad = 1;	/* an unclosed quote */
				break;
			}
			if (t[i] == '"') {
				if (i + 1 < len && t[i + 1] == '"') {
					buf_addc(&b, '"');
					i += 2;
					continue;
				}
				i++;
				break;
			}
			if (t[i] == '\n')
				(*line)++;
			buf_addc(&b, t[i++]);
		}
		/* Anything between the closing quote and the separator is
		 * kept, as most readers do. */
		while (i < len && t[i] != ',' && t[i] != '\n' && t[i] != '\r')
			buf_addc(&b, t[i++]);
	} else {
		while (i < len && t[i] != ',' && t[i] != '\n' && t[i] != '\r')
			buf_addc(&b, t[i++]);
	}
	if (i >= len) {
		*eol = 1;
	} else if (t[i] == ',') {
		i++;
	} else {
		if (t[i] == '\r')
			i++;
		if (i < len && t[i] == '\n')
			i++;
		*eol = 1;
	}
	*pos = i;
	v = buf_failed(&b) ? NULL : jx_string_lossy(buf_str(&b), b.len);
	buf_release(&b);
	return v;
}

json_t *
incident_csv_parse(const char *text, size_t len, const char *name, char *err,
    size_t errsz)
{
	json_t *header, *rows, *row, *cell;
	size_t pos = 0, line = 1, start, n;
	int eol, bad;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	header = json_array();
	rows = json_array();
	do {
		cell = csv_cell(text, len, &pos, &line, &eol, &bad);
		if (cell == NULL || bad) {
			json_decref(cell);
			goto fail_cell;
		}
		json_array_append_new(header, cell);
	} while (!eol);
	line++;
	while (pos < len) {
		start = line;
		if (text[pos] == '\n' || text[pos] == '\r') {
			/* A blank line. */
			pos += text[pos] == '\r' && pos + 1 < len &&
			    text[pos + 1] == '\n' ? 2 : 1;
			line++;
			continue;
		}
		row = json_object();
		n = 0;
		do {
			cell = csv_cell(text, len, &pos, &line, &eol, &bad);
			if (cell == NULL || bad) {
				json_decref(cell);
				json_decref(row);
				goto fail_cell;
			}
			if (n < json_array_size(header))
				json_object_set_new(row, json_string_value(
				    json_array_get(header, n)), cell);
			else
				json_decref(cell);
			n++;
		} while (!eol);
		line++;
		if (n != json_array_size(header)) {
			snprintf(err, errsz, "%s:%zu: expected %zu fields, "
			    "found %zu", name, start, json_array_size(header),
			    n);
			json_decref(row);
			json_decref(rows);
			json_decref(header);
			return NULL;
		}
		json_array_append_new(rows, row);
	}
	json_decref(header);
	return rows;
fail_cell:
	snprintf(err, errsz, "%s:%zu: a quoted cell is not closed", name,
	    line);
	json_decref(rows);
	json_decref(header);
	return NULL;
}

json_t *
incident_parse_text(const char *text, size_t len, const char *name, char *err,
    size_t errsz)
{
	const char *t;
	char *fixed;
	json_t *v;
	size_t i, n;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	t = utf8_clean(text, len, &fixed, &n);
	if (t == NULL) {
		snprintf(err, errsz, "%s: out of memory", name);
		return NULL;
	}
	for (i = 0; i < n && isspace((unsigned char)t[i]); i++)
		;
	if (i == n) {
		snprintf(err, errsz, "%s: empty input", name);
		v = NULL;
	} else if (t[i] == '{' || t[i] == '[')
		v = parse_json_values(t, n, name, err, errsz);
	else if (memchr(t, 0, n) != NULL) {
		snprintf(err, errsz, "%s: binary data, not JSON or CSV", name);
		v = NULL;
	} else
		v = incident_csv_parse(t, n, name, err, errsz);
	free(fixed);
	return v;
}
