/*
 * tmpl: expand the scenario templates.  Kept deliberately small: a
 * time, a time offset in seconds, or the request sequence number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"
#include "util.h"

/* The first "{{" or "}}" (pair) in s, or NULL; memmem is GNU-only. */
static const char *
tmpl_find(const char *s, size_t len, const char *pair)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == pair[0] && s[i + 1] == pair[1])
			return s + i;
	return NULL;
}

/* Parse "", "+N" or "-N" exactly; -1 on anything else. */
static int
tmpl_offset(const char *s, size_t len, long *off)
{
	char digits[24];
	char *end;
	long n;

	if (len == 0) {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || len < 2 || len - 1 >=
	    sizeof(digits))
		return -1;
	memcpy(digits, s + 1, len - 1);
	digits[len - 1] = '\0';
	if (digits[0] < '0' || digits[0] > '9')
		return -1;
	n = strtol(digits, &end, 10);
	if (*end != '\0')
		return -1;
	*off = s[0] == '-' ? -n : n;
	return 0;
}

/* Write the value of one template name into out; -1 if unknown. */
static int
tmpl_one(const char *name, size_t len, unsigned long seq, time_t now,
    char *out, size_t outsz)
{
	long off;

	if (len == 3 && memcmp(name, "seq", 3) == 0) {
		snprintf(out, outsz, "%lu", seq);
		return 0;
	}
	if (len >= 3 && memcmp(name, "now", 3) == 0 &&
	    tmpl_offset(name + 3, len - 3, &off) == 0) {
		snprintf(out, outsz, "%lld", (long long)now + off);
		return 0;
	}
	if (len >= 3 && memcmp(name, "iso", 3) == 0 &&
	    tmpl_offset(name + 3, len - 3, &off) == 0) {
		util_iso_time(now + off, out, outsz);
		return 0;
	}
	if (len >= 8 && memcmp(name, "httpdate", 8) == 0 &&
	    tmpl_offset(name + 8, len - 8, &off) == 0) {
		util_http_date(now + off, out, outsz);
		return 0;
	}
	return -1;
}

char *
tmpl_expand(const char *s, size_t len, unsigned long seq, time_t now,
    size_t *outlen)
{
	struct buf b = { 0 };
	size_t i = 0;

	while (i < len) {
		const char *open = NULL, *close;
		char val[64];

		open = tmpl_find(s + i, len - i, "{{");
		if (open == NULL) {
			buf_add(&b, s + i, len - i);
			break;
		}
		buf_add(&b, s + i, (size_t)(open - (s + i)));
		i = (size_t)(open - s);
		close = tmpl_find(open + 2, len - i - 2, "}}");
		if (close != NULL && tmpl_one(open + 2, (size_t)(close -
		    open - 2), seq, now, val, sizeof(val)) == 0) {
			buf_adds(&b, val);
			i = (size_t)(close + 2 - s);
		} else {
			buf_add(&b, "{{", 2);
			i += 2;
		}
	}
	buf_add(&b, "", 0);
	if (outlen != NULL)
		*outlen = b.len;
	return b.data;
}
