/*
 * utf8: the one strict UTF-8 decoder (no overlong forms, no surrogates,
 * nothing above U+10FFFF), for code that must judge bytes from outside.
 */
#ifndef TRIAGE_UTF8_H
#define TRIAGE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT	0xfffdu

/*
 * Decodes the sequence at p (n > 0 bytes available) into *cp.  Returns its
 * length (1-4), or 0 when the bytes are not valid UTF-8 (*cp is then
 * UTF8_REPLACEMENT).  cp may be NULL.
 */
size_t	 utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

struct buf;

/*
 * Appends the len bytes at s to b as text that is valid UTF-8 and holds no
 * NUL: every NUL and every byte of an invalid sequence becomes U+FFFD, so
 * nothing is cut short or lost without a mark.  Returns 0, or -1 when
 * memory ran out (b latches the failure).
 */
int	 utf8_add_clean(struct buf *b, const char *s, size_t len);

#endif
