/*
 * time: parsing the many ways exports write a datetime, and the one way
 * the workspace stores it.  Built on lib/isotime (ticks since the epoch).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "kql/time.h"

int64_t
kql_timespan_unit(const char *s, size_t n)
{
	static const struct {
		const char	*name;
		int64_t		 ticks;
	} units[] = {
		{ "d", TICKS_PER_DAY }, { "day", TICKS_PER_DAY },
		{ "days", TICKS_PER_DAY },
		{ "h", 3600 * TICKS_PER_SEC }, { "hr", 3600 * TICKS_PER_SEC },
		{ "hrs", 3600 * TICKS_PER_SEC },
		{ "hour", 3600 * TICKS_PER_SEC },
		{ "hours", 3600 * TICKS_PER_SEC },
		{ "m", 60 * TICKS_PER_SEC }, { "min", 60 * TICKS_PER_SEC },
		{ "minute", 60 * TICKS_PER_SEC },
		{ "minutes", 60 * TICKS_PER_SEC },
		{ "s", TICKS_PER_SEC }, { "sec", TICKS_PER_SEC },
		{ "second", TICKS_PER_SEC }, { "seconds", TICKS_PER_SEC },
		{ "ms", TICKS_PER_MS }, { "milli", TICKS_PER_MS },
		{ "millis", TICKS_PER_MS }, { "millisecond", TICKS_PER_MS },
		{ "milliseconds", TICKS_PER_MS },
		{ "microsecond", 10 }, { "microseconds", 10 },
		{ "tick", 1 }, { "ticks", 1 },
		{ NULL, 0 }
	};
	size_t i;

	for (i = 0; units[i].name != NULL; i++)
		if (strlen(units[i].name) == n &&
		    memcmp(units[i].name, s, n) == 0)
			return units[i].ticks;
	return 0;
}

static int
num(const char **pp, int min, int max, int *out)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (isdigit((unsigned char)*p) && n < max) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

static int
valid_date(int y, int m, int d)
{
	static const int dim[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > dim[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return 0;
	return 1;
}

/* "4/19/2021, 12:13:19.483 PM" (and without the comma, seconds or
 * AM/PM): month first, as the portal writes it. */
static int
parse_portal(const char *p, int64_t *ticks)
{
	int mo, d, y, h = 0, mi = 0, sec = 0, pm = -1;
	int64_t frac = 0, scale = TICKS_PER_SEC;

	if (num(&p, 1, 2, &mo) == -1 || *p++ != '/' ||
	    num(&p, 1, 2, &d) == -1 || *p++ != '/' ||
	    num(&p, 4, 4, &y) == -1)
		return -1;
	if (!valid_date(y, mo, d))
		return -1;
	if (*p == ',')
		p++;
	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)*p)) {
		if (num(&p, 1, 2, &h) == -1 || *p++ != ':' ||
		    num(&p, 2, 2, &mi) == -1)
			return -1;
		if (*p == ':') {
			p++;
			if (num(&p, 2, 2, &sec) == -1)
				return -1;
			if (*p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p)) {
					if (scale > 1) {
						scale /= 10;
						frac += (*p - '0') * scale;
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
		if (pm != -1) {
			p += 2;
			/* exports sometimes write "14:51:35 PM": 24-hour time
			 * with a redundant marker */
			if (h < 1 || (h > 12 && !pm) || h > 23)
				return -1;
			if (h <= 12)
				h = h % 12 + (pm ? 12 : 0);
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
		while (*p == ' ')
			p++;
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (strcmp(p, "UTC") == 0)
			p += 3;
	}
	if (*p != '\0')
		return -1;
	*ticks = (iso_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec) * TICKS_PER_SEC + frac;
	return 0;
}

static int
month_name(const char *p)
{
	static const char *const m[] = { "jan", "feb", "mar", "apr", "may",
	    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	int i;

	for (i = 0; i < 12; i++)
		if (strncasecmp(p, m[i], 3) == 0)
			return i + 1;
	return -1;
}

/* "Feb 04 2021 23:57:21" (CEF) and "Sat, 01 May 2024 10:00:00 GMT"
 * (RFC 1123). */
static int
parse_named_month(const char *p, int64_t *ticks)
{
	int mo, d, y, h = 0, mi = 0, sec = 0;

	if (isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]) &&
	    isalpha((unsigned char)p[2]) && p[3] == ',') {
		p += 4;		/* the day of the week */
		while (*p == ' ')
			p++;
	}
	if (isdigit((unsigned char)*p)) {
		if (num(&p, 1, 2, &d) == -1 || *p++ != ' ' ||
		    (mo = month_name(p)) == -1)
			return -1;
		p += 3;
	} else {
		if ((mo = month_name(p)) == -1)
			return -1;
		p += 3;
		if (*p++ != ' ' || num(&p, 1, 2, &d) == -1)
			return -1;
	}
	if (*p == ',')
		p++;
	if (*p++ != ' ' || num(&p, 4, 4, &y) == -1 || !valid_date(y, mo, d))
		return -1;
	if (*p == ' ') {
		p++;
		if (num(&p, 1, 2, &h) == -1 || *p++ != ':' ||
		    num(&p, 2, 2, &mi) == -1)
			return -1;
		if (*p == ':') {
			p++;
			if (num(&p, 2, 2, &sec) == -1)
				return -1;
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
		while (*p == ' ')
			p++;
		if (strcmp(p, "GMT") == 0 || strcmp(p, "UTC") == 0 ||
		    strcmp(p, "Z") == 0)
			p += strlen(p);
	}
	if (*p != '\0')
		return -1;
	*ticks = (iso_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec) * TICKS_PER_SEC;
	return 0;
}

int
kql_parse_datetime(const char *s, int64_t *ticks)
{
	char buf[64];
	size_t n;
	int64_t t;
	int y;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* "2024-05-01 10:00:00 UTC" */
	if (n > 4 && strcmp(buf + n - 4, " UTC") == 0)
		buf[n - 4] = '\0';
	if (isdigit((unsigned char)buf[0]) && isdigit((unsigned char)buf[1]) &&
	    isdigit((unsigned char)buf[2]) && isdigit((unsigned char)buf[3]) &&
	    buf[4] == '-') {
		if (iso_parse(buf, &t) == -1)
			return -1;
		y = atoi(buf);
		if (y < 1 || y > 9999)
			return -1;
		*ticks = t;
		return 0;
	}
	if (isalpha((unsigned char)buf[0]) ||
	    (isdigit((unsigned char)buf[0]) && strchr(buf, '/') == NULL &&
	    month_name(buf + strspn(buf, "0123456789 ")) > 0))
		return parse_named_month(buf, ticks);
	return parse_portal(buf, ticks);
}

int
kql_parse_timespan(const char *s, int64_t *ticks)
{
	int neg = 0, d = 0, h, mi, sec = 0;
	const char *p = s, *q;
	int64_t frac = 0, scale = TICKS_PER_SEC, unit;
	double v;
	char *end;

	while (*p == ' ')
		p++;
	if (*p == '-') {
		neg = 1;
		p++;
	} else if (*p == '+') {
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	if (strchr(p, ':') != NULL) {
		/* [d.]hh:mm[:ss[.fffffff]] */
		q = p;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q == '.') {
			if (num(&p, 1, 7, &d) == -1 || *p++ != '.')
				return -1;
		}
		if (num(&p, 1, 2, &h) == -1 || *p++ != ':' ||
		    num(&p, 2, 2, &mi) == -1)
			return -1;
		if (*p == ':') {
			p++;
			if (num(&p, 2, 2, &sec) == -1)
				return -1;
			if (*p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					return -1;
				while (isdigit((unsigned char)*p)) {
					if (scale > 1) {
						scale /= 10;
						frac += (*p - '0') * scale;
					}
					p++;
				}
			}
		}
		while (*p == ' ')
			p++;
		if (*p != '\0' || h > 23 || mi > 59 || sec > 59)
			return -1;
		*ticks = ((int64_t)d * 86400 + h * 3600 + mi * 60 + sec) *
		    TICKS_PER_SEC + frac;
		if (neg)
			*ticks = -*ticks;
		return 0;
	}
	v = strtod(p, &end);
	if (end == p)
		return -1;
	q = end;
	while (isalpha((unsigned char)*q))
		q++;
	unit = kql_timespan_unit(end, (size_t)(q - end));
	while (*q == ' ')
		q++;
	if (unit == 0 || *q != '\0')
		return -1;
	v *= (double)unit;
	if (!(v < 9.2e18))
		return -1;
	*ticks = (int64_t)llround(neg ? -v : v);
	return 0;
}

static void
put_digits(char *p, int64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
kql_format_datetime(int64_t ticks, char *out, size_t outsz)
{
	int64_t days, rem, y;
	unsigned m, d;

	/* 0001-01-01 to 9999-12-31T23:59:59.9999999 */
	if (ticks < -621355968000000000LL || ticks > 2534023007999999999LL ||
	    outsz < KQL_DT_LEN + 1)
		return -1;
	/* By hand, not snprintf: this runs once per row in bin(). */
	days = ticks / TICKS_PER_DAY;
	rem = ticks % TICKS_PER_DAY;
	if (rem < 0) {
		rem += TICKS_PER_DAY;
		days--;
	}
	iso_civil_from_days(days, &y, &m, &d);
	memcpy(out, "0000-00-00T00:00:00.0000000Z", KQL_DT_LEN + 1);
	put_digits(out, y, 4);
	put_digits(out + 5, m, 2);
	put_digits(out + 8, d, 2);
	put_digits(out + 11, rem / (3600 * TICKS_PER_SEC), 2);
	put_digits(out + 14, rem / (60 * TICKS_PER_SEC) % 60, 2);
	put_digits(out + 17, rem / TICKS_PER_SEC % 60, 2);
	put_digits(out + 20, rem % TICKS_PER_SEC, 7);
	return 0;
}

int
kql_is_stored_datetime(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddZ";
	size_t i;

	if (len != KQL_DT_LEN)
		return 0;
	for (i = 0; i < KQL_DT_LEN; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
		} else if (s[i] != shape[i]) {
			return 0;
		}
	}
	return 1;
}

static int
dig(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int
kql_stored_datetime(const char *s, size_t len, int64_t *ticks)
{
	int y, mo, d;

	if (!kql_is_stored_datetime(s, len))
		return -1;
	y = dig(s, 4);
	mo = dig(s + 5, 2);
	d = dig(s + 8, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	*ticks = (iso_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    (int64_t)dig(s + 11, 2) * 3600 + dig(s + 14, 2) * 60 +
	    dig(s + 17, 2)) * TICKS_PER_SEC + dig(s + 20, 7);
	return 0;
}

char *
kql_format_timespan(int64_t ticks, char *out, size_t outsz)
{
	uint64_t t, days, secs, frac;
	const char *sign = "";

	if (ticks < 0) {
		sign = "-";
		t = (uint64_t)0 - (uint64_t)ticks;
	} else {
		t = (uint64_t)ticks;
	}
	frac = t % TICKS_PER_SEC;
	secs = t / TICKS_PER_SEC;
	days = secs / 86400;
	secs %= 86400;
	if (days > 0 && frac > 0)
		snprintf(out, outsz, "%s%llu.%02llu:%02llu:%02llu.%07llu",
		    sign, (unsigned long long)days,
		    (unsigned long long)(secs / 3600),
		    (unsigned long long)(secs / 60 % 60),
		    (unsigned long long)(secs % 60),
		    (unsigned long long)frac);
	else if (days > 0)
		snprintf(out, outsz, "%s%llu.%02llu:%02llu:%02llu", sign,
		    (unsigned long long)days,
		    (unsigned long long)(secs / 3600),
		    (unsigned long long)(secs / 60 % 60),
		    (unsigned long long)(secs % 60));
	else if (frac > 0)
		snprintf(out, outsz, "%s%02llu:%02llu:%02llu.%07llu", sign,
		    (unsigned long long)(secs / 3600),
		    (unsigned long long)(secs / 60 % 60),
		    (unsigned long long)(secs % 60),
		    (unsigned long long)frac);
	else
		snprintf(out, outsz, "%s%02llu:%02llu:%02llu", sign,
		    (unsigned long long)(secs / 3600),
		    (unsigned long long)(secs / 60 % 60),
		    (unsigned long long)(secs % 60));
	return out;
}
