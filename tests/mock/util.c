/*
 * util: small helpers shared by the mock.  Allocation failures end the
 * program, since a test server that limps on without memory would only
 * produce confusing test failures.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "util.h"

static void
util_oom(void)
{
	fputs("triage-mock: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		util_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		util_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		util_oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		util_oom();
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

char *
util_read_file(const char *path, size_t *lenp)
{
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;
	FILE *fp;

	fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		int e = errno;

		fclose(fp);
		buf_release(&b);
		errno = e;
		return NULL;
	}
	fclose(fp);
	buf_add(&b, "", 0);		/* an empty file still gets a buffer */
	if (lenp != NULL)
		*lenp = b.len;
	return b.data;
}

bool
util_glob(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

bool
util_has_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int
util_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
util_url_decode(char *s, bool plus_is_space)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (*r == '%' && util_hexval(r[1]) >= 0 &&
		    util_hexval(r[2]) >= 0) {
			*w++ = (char)(util_hexval(r[1]) * 16 +
			    util_hexval(r[2]));
			r += 3;
		} else if (*r == '+' && plus_is_space) {
			*w++ = ' ';
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void
util_params_set(json_t *obj, const char *name, json_t *value)
{
	json_t *old = json_object_get(obj, name);

	if (old == NULL) {
		json_object_set_new(obj, name, value);
	} else if (json_is_array(old)) {
		json_array_append_new(old, value);
	} else {
		json_t *arr = json_array();

		json_array_append(arr, old);
		json_array_append_new(arr, value);
		json_object_set_new(obj, name, arr);
	}
}

json_t *
util_parse_params(const char *s, size_t len)
{
	json_t *obj = json_object();
	size_t i = 0;

	while (i < len) {
		size_t j = i, eq = (size_t)-1;
		char *name, *value;
		size_t vlen;

		while (j < len && s[j] != '&') {
			if (s[j] == '=' && eq == (size_t)-1)
				eq = j;
			j++;
		}
		if (j == i) {
			i = j + 1;
			continue;
		}
		if (eq == (size_t)-1) {
			name = xstrndup(s + i, j - i);
			util_url_decode(name, true);
			util_params_set(obj, name, json_true());
		} else {
			name = xstrndup(s + i, eq - i);
			util_url_decode(name, true);
			value = xstrndup(s + eq + 1, j - eq - 1);
			vlen = util_url_decode(value, true);
			util_params_set(obj, name,
			    util_json_bytes(value, vlen));
			free(value);
		}
		free(name);
		i = j + 1;
	}
	return obj;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is invalid. */
static size_t
util_utf8_seq(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n, k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool
util_is_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = util_utf8_seq(p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

json_t *
util_json_bytes(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = { 0 };
	size_t i = 0, n;
	json_t *j;

	if (util_is_utf8(s, len))
		return json_stringn(s, len);
	while (i < len) {
		n = util_utf8_seq(p + i, len - i);
		if (n == 0) {
			buf_add(&b, "\xef\xbf\xbd", 3);
			i++;
		} else {
			buf_add(&b, p + i, n);
			i += n;
		}
	}
	j = json_stringn(b.data, b.len);
	buf_release(&b);
	return j;
}

char *
util_base64(const unsigned char *s, size_t len)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc((len + 2) / 3 * 4 + 1);
	size_t i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		out[o++] = tab[s[i] >> 2];
		out[o++] = tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		out[o++] = tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		out[o++] = tab[s[i + 2] & 63];
	}
	if (len - i == 1) {
		out[o++] = tab[s[i] >> 2];
		out[o++] = tab[(s[i] & 3) << 4];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		out[o++] = tab[s[i] >> 2];
		out[o++] = tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		out[o++] = tab[(s[i + 1] & 15) << 2];
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static int
util_b64url_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

int
util_base64url_decode(const char *s, struct buf *out)
{
	unsigned long acc = 0;
	int bits = 0, v;
	unsigned char c;

	if (strlen(s) % 4 == 1)
		return -1;		/* no whole byte can end here */
	for (; *s != '\0'; s++) {
		v = util_b64url_val((unsigned char)*s);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			c = (unsigned char)((acc >> bits) & 0xff);
			buf_add(out, &c, 1);
		}
	}
	buf_add(out, "", 0);
	return 0;
}

void
util_iso_time(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
util_http_date(time_t t, char *out, size_t outsz)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;

	/* Spelled out so that the locale can never change the names. */
	gmtime_r(&t, &tm);
	snprintf(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

long long
util_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

const char *
util_header(const json_t *headers, const char *name)
{
	return json_string_value(json_object_get(headers, name));
}

char *
util_dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENCODE_ANY);

	if (s == NULL)
		util_oom();
	return s;
}
