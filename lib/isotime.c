/*
 * isotime: conversions between civil time and ticks without timegm(3) or
 * the TZ environment, using Howard Hinnant's days-from-civil algorithm.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "isotime.h"

int64_t
iso_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
iso_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
digits(const char **pp, int n, int *out)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int
iso_parse_prefix(const char *s, int64_t *ticks, const char **end)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign;
	int64_t frac = 0, scale = TICKS_PER_SEC, t;

	if (digits(&p, 4, &y) == -1 || *p++ != '-' ||
	    digits(&p, 2, &mo) == -1 || *p++ != '-' ||
	    digits(&p, 2, &d) == -1)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if ((*p == 'T' || *p == 't' || *p == ' ') &&
	    isdigit((unsigned char)p[1])) {
		p++;
		if (digits(&p, 2, &h) == -1 || *p++ != ':' ||
		    digits(&p, 2, &mi) == -1)
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec) == -1)
				return -1;
			if (*p == '.' || *p == ',') {
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
		if (h > 24 || mi > 59 || sec > 60 ||
		    (h == 24 && (mi != 0 || sec != 0 || frac != 0)))
			return -1;
		if (sec == 60)
			sec = 59;	/* a leap second sorts with its minute */
		if (*p == 'Z' || *p == 'z')
			p++;
		else if ((*p == '+' || *p == '-') &&
		    isdigit((unsigned char)p[1])) {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh) == -1)
				return -1;
			if (*p == ':')
				p++;
			if (digits(&p, 2, &om) == -1)
				om = 0;
			if (oh > 23 || om > 59)
				return -1;
			h -= sign * oh;
			mi -= sign * om;
		}
	}
	t = iso_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    (int64_t)h * 3600 + (int64_t)mi * 60 + sec;
	*ticks = t * TICKS_PER_SEC + frac;
	*end = p;
	return 0;
}

int
iso_parse(const char *s, int64_t *ticks)
{
	const char *end;

	if (iso_parse_prefix(s, ticks, &end) == -1 || *end != '\0')
		return -1;
	return 0;
}

char *
iso_format(int64_t ticks, char *out, size_t outsz, int ndigits)
{
	int64_t secs, frac, days, rem, y;
	unsigned m, d;
	char fbuf[16];
	int i;

	secs = ticks / TICKS_PER_SEC;
	frac = ticks % TICKS_PER_SEC;
	if (frac < 0) {
		frac += TICKS_PER_SEC;
		secs--;
	}
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	iso_civil_from_days(days, &y, &m, &d);
	fbuf[0] = '\0';
	if (ndigits < 0) {
		if (frac != 0) {
			snprintf(fbuf, sizeof(fbuf), ".%07lld", (long long)frac);
			for (i = (int)strlen(fbuf) - 1; fbuf[i] == '0'; i--)
				fbuf[i] = '\0';
		}
	} else if (ndigits > 0) {
		if (ndigits > 7)
			ndigits = 7;
		snprintf(fbuf, sizeof(fbuf), ".%07lld", (long long)frac);
		fbuf[ndigits + 1] = '\0';
	}
	snprintf(out, outsz, "%04lld-%02u-%02uT%02d:%02d:%02d%sZ",
	    (long long)y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
	    (int)(rem % 60), fbuf);
	return out;
}

int64_t
iso_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * TICKS_PER_SEC + ts.tv_nsec / 100;
}

int
iso_duration_parse(const char *s, int64_t *ticks)
{
	const char *p = s;
	int in_time = 0, any = 0;
	int64_t total = 0, whole, unit;
	double fracpart;
	int neg = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p != 'P' && *p != 'p')
		return -1;
	p++;
	while (*p != '\0') {
		if (*p == 'T' || *p == 't') {
			if (in_time)
				return -1;
			in_time = 1;
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return -1;
		whole = 0;
		while (isdigit((unsigned char)*p)) {
			if (whole > 100000000000LL)
				return -1;
			whole = whole * 10 + (*p++ - '0');
		}
		fracpart = 0;
		if (*p == '.' || *p == ',') {
			double scale = 0.1;

			p++;
			while (isdigit((unsigned char)*p)) {
				fracpart += (*p++ - '0') * scale;
				scale /= 10;
			}
		}
		switch (*p) {
		case 'Y': case 'y':
			unit = in_time ? -1 : 365 * TICKS_PER_DAY;
			break;
		case 'W': case 'w':
			unit = in_time ? -1 : 7 * TICKS_PER_DAY;
			break;
		case 'D': case 'd':
			unit = in_time ? -1 : TICKS_PER_DAY;
			break;
		case 'H': case 'h':
			unit = in_time ? 3600 * TICKS_PER_SEC : -1;
			break;
		case 'M': case 'm':
			unit = in_time ? 60 * TICKS_PER_SEC :
			    30 * TICKS_PER_DAY;
			break;
		case 'S': case 's':
			unit = in_time ? TICKS_PER_SEC : -1;
			break;
		default:
			return -1;
		}
		if (unit == -1 || whole > INT64_MAX / unit / 2)
			return -1;
		total += whole * unit + (int64_t)(fracpart * (double)unit);
		any = 1;
		p++;
	}
	if (!any)
		return -1;
	*ticks = neg ? -total : total;
	return 0;
}

char *
iso_duration_format(int64_t ticks, char *out, size_t outsz)
{
	int64_t d, h, m, s, f;
	size_t n = 0;

	if (ticks < 0) {
		n += (size_t)snprintf(out, outsz, "-");
		ticks = -ticks;
	}
	d = ticks / TICKS_PER_DAY;
	ticks %= TICKS_PER_DAY;
	h = ticks / (3600 * TICKS_PER_SEC);
	ticks %= 3600 * TICKS_PER_SEC;
	m = ticks / (60 * TICKS_PER_SEC);
	ticks %= 60 * TICKS_PER_SEC;
	s = ticks / TICKS_PER_SEC;
	f = ticks % TICKS_PER_SEC;
	n += (size_t)snprintf(out + n, outsz - n, "P");
	if (d > 0)
		n += (size_t)snprintf(out + n, outsz - n, "%lldD",
		    (long long)d);
	if (h > 0 || m > 0 || s > 0 || f > 0 || d == 0) {
		n += (size_t)snprintf(out + n, outsz - n, "T");
		if (h > 0)
			n += (size_t)snprintf(out + n, outsz - n, "%lldH",
			    (long long)h);
		if (m > 0)
			n += (size_t)snprintf(out + n, outsz - n, "%lldM",
			    (long long)m);
		if (s > 0 || f > 0 || (h == 0 && m == 0)) {
			if (f > 0)
				snprintf(out + n, outsz - n, "%lld.%07lldS",
				    (long long)s, (long long)f);
			else
				snprintf(out + n, outsz - n, "%lldS",
				    (long long)s);
		}
	}
	return out;
}

int
iso_interval_parse(const char *s, int64_t now, int64_t *start, int64_t *end)
{
	char a[128], b[128];
	const char *slash;
	int64_t t1, t2, dur;
	size_t n;

	slash = strchr(s, '/');
	if (slash == NULL) {
		if (iso_duration_parse(s, &dur) == -1 || dur < 0)
			return -1;
		*start = now - dur;
		*end = now;
		return 0;
	}
	n = (size_t)(slash - s);
	if (n >= sizeof(a) || strlen(slash + 1) >= sizeof(b))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	strcpy(b, slash + 1);
	if (iso_parse(a, &t1) == 0) {
		if (iso_parse(b, &t2) == 0) {
			*start = t1;
			*end = t2;
		} else if (iso_duration_parse(b, &dur) == 0) {
			*start = t1;
			*end = t1 + dur;
		} else
			return -1;
	} else if (iso_duration_parse(a, &dur) == 0 &&
	    iso_parse(b, &t2) == 0) {
		*start = t2 - dur;
		*end = t2;
	} else
		return -1;
	return *start <= *end ? 0 : -1;
}
