/*
 * casefold: simple case mapping of UTF-8 text that keeps byte lengths
 * (see casefold.h).  Only two-byte characters (U+0080 to U+07FF) beyond
 * ASCII are mapped, and only to other two-byte characters.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/casefold.h"

/* The lower-case form of cp, or cp. */
static unsigned
to_lower(unsigned cp)
{
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x17f) {
		/* U+0130, U+0131, U+0138, U+0149, U+017F: no simple pair
		 * of the same length */
		if (cp == 0x130 || cp == 0x131 || cp == 0x138 ||
		    cp == 0x149 || cp == 0x17f)
			return cp;
		if (cp == 0x178)
			return 0xff;
		if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 &&
		    cp <= 0x17e))
			return cp % 2 == 1 ? cp + 1 : cp;
		return cp % 2 == 0 ? cp + 1 : cp;
	}
	if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
		return cp + 32;
	if (cp == 0x386)
		return 0x3ac;
	if (cp >= 0x388 && cp <= 0x38a)
		return cp + 37;
	if (cp == 0x38c)
		return 0x3cc;
	if (cp == 0x38e || cp == 0x38f)
		return cp + 63;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	return cp;
}

/* The upper-case form of cp, or cp. */
static unsigned
to_upper(unsigned cp)
{
	if (cp >= 0xe0 && cp <= 0xfe && cp != 0xf7)
		return cp - 32;
	if (cp == 0xff)
		return 0x178;
	if (cp >= 0x100 && cp <= 0x17f) {
		if (cp == 0x130 || cp == 0x131 || cp == 0x138 ||
		    cp == 0x149 || cp == 0x17f || cp == 0x178)
			return cp;
		if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 &&
		    cp <= 0x17e))
			return cp % 2 == 0 ? cp - 1 : cp;
		return cp % 2 == 1 ? cp - 1 : cp;
	}
	if (cp == 0x3c2)
		return 0x3a3;
	if (cp >= 0x3b1 && cp <= 0x3c9)
		return cp - 32;
	if (cp == 0x3ac)
		return 0x386;
	if (cp >= 0x3ad && cp <= 0x3af)
		return cp - 37;
	if (cp == 0x3cc)
		return 0x38c;
	if (cp == 0x3cd || cp == 0x3ce)
		return cp - 63;
	if (cp >= 0x430 && cp <= 0x44f)
		return cp - 32;
	if (cp >= 0x450 && cp <= 0x45f)
		return cp - 80;
	return cp;
}

void
kql_case_map(const char *s, size_t n, char *out, enum kql_case how)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned cp, m;

	while (i < n) {
		if (p[i] < 0x80) {
			out[i] = (char)(how == KQL_CASE_UPPER ?
			    (p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]) :
			    (p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]));
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0 && i + 1 < n &&
		    (p[i + 1] & 0xc0) == 0x80) {
			cp = ((unsigned)(p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f);
			m = how == KQL_CASE_UPPER ? to_upper(cp) : to_lower(cp);
			if (how == KQL_CASE_FOLD && m == 0x3c2)
				m = 0x3c3;	/* final sigma folds to sigma */
			if (m >= 0x80 && m <= 0x7ff) {
				out[i] = (char)(0xc0 | (m >> 6));
				out[i + 1] = (char)(0x80 | (m & 0x3f));
			} else {
				out[i] = (char)p[i];
				out[i + 1] = (char)p[i + 1];
			}
			i += 2;
			continue;
		}
		out[i] = (char)p[i];
		i++;
	}
}

int
kql_case_eq(const char *a, const char *b, size_t n)
{
	char sa[256], sb[256], *fa = sa, *fb = sb;
	int eq;

	if (n > sizeof(sa)) {
		fa = malloc(n);
		fb = malloc(n);
		if (fa == NULL || fb == NULL) {
			free(fa);
			free(fb);
			return 0;
		}
	}
	kql_case_map(a, n, fa, KQL_CASE_FOLD);
	kql_case_map(b, n, fb, KQL_CASE_FOLD);
	eq = memcmp(fa, fb, n) == 0;
	if (fa != sa) {
		free(fa);
		free(fb);
	}
	return eq;
}

int
kql_case_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	size_t i = 0, n = an < bn ? an : bn;
	char fx[2], fy[2];
	int c;

	/* two bytes at a time where a character is two bytes, else one */
	while (i < n) {
		size_t w = (x[i] & 0xe0) == 0xc0 && (y[i] & 0xe0) == 0xc0 &&
		    i + 1 < n ? 2 : 1;

		kql_case_map(a + i, w, fx, KQL_CASE_FOLD);
		kql_case_map(b + i, w, fy, KQL_CASE_FOLD);
		if ((c = memcmp(fx, fy, w)) != 0)
			return c;
		i += w;
	}
	return an < bn ? -1 : an > bn ? 1 : 0;
}
