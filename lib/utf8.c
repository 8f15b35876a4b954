/*
 * utf8: a strict decoder following the Unicode table of well-formed byte
 * sequences (Table 3-7): the second byte's range depends on the first.
 */
#include "buf.h"
#include "utf8.h"

size_t
utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	uint32_t v, dummy;
	size_t len, i;

	if (cp == NULL)
		cp = &dummy;
	*cp = UTF8_REPLACEMENT;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;		/* no overlongs */
		else if (c == 0xed)
			hi = 0x9f;		/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;		/* nothing past U+10FFFF */
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if (i > 1 && (p[i] < 0x80 || p[i] > 0xbf))
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	*cp = v;
	return len;
}

int
utf8_add_clean(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, n;

	while (i < len) {
		if (p[i] != 0 && (n = utf8_decode(p + i, len - i, NULL)) > 0) {
			i += n;
			continue;
		}
		/* A run of good bytes at once, then the mark. */
		buf_add(b, s + start, i - start);
		buf_adds(b, "\xef\xbf\xbd");
		start = ++i;
	}
	buf_add(b, s + start, len - start);
	return buf_failed(b) ? -1 : 0;
}
