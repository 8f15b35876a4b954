/*
 * lenient: a second chance for a line Jansson refused because of one bad
 * value, so a brief still renders.  Raw bytes that are not UTF-8, and raw
 * control characters in strings, become U+FFFD (as record strings carry
 * bad input, docs/records.md), and an
 * integer beyond 64 bits, which Jansson will not hold, becomes a string
 * of the same digits (exact, unlike a double).  Everything else is left
 * for the parser to judge: a line that was not JSON stays refused.
 */
#include <string.h>

#include "buf.h"
#include "render.h"
#include "utf8.h"

/* Whether the digits of an integer token (sign apart) exceed int64. */
static int
too_big(const char *d, size_t n, int negative)
{
	const char *lim = negative ? "9223372036854775808" :
	    "9223372036854775807";

	if (n != 19)
		return n > 19;
	return memcmp(d, lim, 19) > 0;
}

int
lenient_fix(const char *line, size_t len, struct buf *out, unsigned *nbad,
    unsigned *nbig)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t i = 0, j, k, digits;
	int in_str = 0, neg;

	*nbad = *nbig = 0;
	buf_reset(out);
	while (i < len) {
		if (p[i] >= 0x80) {
			if ((k = utf8_decode(p + i, len - i, NULL)) == 0) {
				buf_add(out, "\xef\xbf\xbd", 3);
				(*nbad)++;
				i++;
			} else {
				buf_add(out, p + i, k);
				i += k;
			}
			continue;
		}
		if (in_str) {
			if (p[i] == '\\' && i + 1 < len) {
				buf_add(out, p + i, 2);
				i += 2;
				continue;
			}
			if (p[i] < 0x20) {
				/* A raw control character: JSON wants it
				 * escaped. */
				buf_add(out, "\xef\xbf\xbd", 3);
				(*nbad)++;
				i++;
				continue;
			}
			if (p[i] == '"')
				in_str = 0;
			buf_addc(out, p[i++]);
			continue;
		}
		if (p[i] == '"') {
			in_str = 1;
			buf_addc(out, p[i++]);
			continue;
		}
		if (p[i] == '-' || (p[i] >= '0' && p[i] <= '9')) {
			neg = p[i] == '-';
			j = i + (size_t)neg;
			while (j < len && p[j] >= '0' && p[j] <= '9')
				j++;
			digits = j - i - (size_t)neg;
			if (j < len && (p[j] == '.' || p[j] == 'e' ||
			    p[j] == 'E')) {
				/* A real number goes as it is, whole. */
				while (j < len && p[j] < 0x80 &&
				    strchr("0123456789.eE+-", p[j]) != NULL &&
				    p[j] != '\0')
					j++;
				buf_add(out, p + i, j - i);
			} else if (digits > 0 &&
			    too_big(line + i + neg, digits, neg)) {
				buf_addc(out, '"');
				buf_add(out, p + i, j - i);
				buf_addc(out, '"');
				(*nbig)++;
			} else
				buf_add(out, p + i, j - i);
			i = j;
			continue;
		}
		buf_addc(out, p[i++]);
	}
	return buf_failed(out) ? -1 : 0;
}
