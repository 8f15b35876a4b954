/*
 * jsonfix: a single pass over the text that tracks whether it is inside a
 * string, so that a backslash in a string and the bytes of a key are told
 * apart.
 */
#include <string.h>

#include "jsonfix.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code unit of the "\uXXXX" escape at s[i], or -1. */
static long
unit_at(const char *s, size_t n, size_t i)
{
	long v = 0;
	int k, h;

	if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
		return -1;
	for (k = 2; k < 6; k++) {
		if ((h = hexval((unsigned char)s[i + k])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

size_t
jsonfix_escapes(char *s, size_t n)
{
	size_t i = 0, fixed = 0;
	int in_string = 0;
	long u, next;

	while (i < n) {
		if (!in_string) {
			if (s[i] == '"')
				in_string = 1;
			i++;
			continue;
		}
		if (s[i] == '"') {
			in_string = 0;
			i++;
			continue;
		}
		if (s[i] != '\\') {
			i++;
			continue;
		}
		u = unit_at(s, n, i);
		if (u < 0) {
			i += 2;			/* \" \\ \n ... or junk */
			continue;
		}
		if (u >= 0xd800 && u <= 0xdbff) {
			next = unit_at(s, n, i + 6);
			if (next >= 0xdc00 && next <= 0xdfff) {
				i += 12;	/* a proper pair */
				continue;
			}
		}
		if (u == 0 || (u >= 0xd800 && u <= 0xdfff)) {
			memcpy(s + i, "\\uFFFD", 6);
			fixed++;
		}
		i += 6;
	}
	return fixed;
}
