/*
 * fuzz_escape: lib/escape, which stands between hostile text and every
 * format a brief is written in.  Oracles besides the sanitizers, for
 * every flag combination: cleaned text is valid UTF-8 with no control
 * character but the \n and \t asked for, and cleaning it again changes
 * nothing; HTML text holds no < > " '; Slack text no < > and no & but its
 * three entities; a markdown code span's fence is longer than any backtick
 * run inside; a cut falls on a character boundary; a URL accepted for a
 * link is https and holds none of the characters that could end it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (c >= 0x80 && c <= 0x9f)
		return 0;		/* C1 controls must be gone too */
	return n;
}

static void
clean_ok(const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t k;

	while (p < end) {
		if (*p < 0x20 || *p == 0x7f) {
			if (*p == '\n' && (flags & ESC_NL_KEEP))
				;
			else if (*p == '\t' && (flags & ESC_TAB_KEEP))
				;
			else
				abort();	/* a control character */
		}
		k = utf8_len(p, end);
		if (k == 0)
			abort();		/* not UTF-8 */
		p += k;
	}
}

static void
no_byte(const struct buf *b, const char *bytes)
{
	if (b->len > 0 && strcspn(b->data, bytes) != b->len)
		abort();
}

static size_t
longest_run(const char *s, size_t n, char c)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < n; i++) {
		run = s[i] == c ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int flagsets[] = {
		0, ESC_NL_KEEP, ESC_NL_SPACE, ESC_TAB_KEEP,
		ESC_NL_KEEP | ESC_TAB_KEEP, ESC_MD_CELL, ESC_MD_INLINE,
		ESC_MD_CELL | ESC_MD_INLINE
	};
	const char *s = (const char *)data;
	struct buf b, again;
	size_t i, k, cut, total, fence;
	const char *p, *q;
	char *url;
	int f;

	for (i = 0; i < sizeof(flagsets) / sizeof(flagsets[0]); i++) {
		f = flagsets[i];
		buf_init(&b);
		buf_init(&again);
		esc_clean(&b, s, size, f);
		clean_ok(buf_str(&b), b.len, f);
		esc_clean(&again, buf_str(&b), b.len, f);
		if (again.len != b.len || memcmp(buf_str(&again),
		    buf_str(&b), b.len) != 0)
			abort();		/* cleaning is not idempotent */
		buf_reset(&b);
		esc_term(&b, s, size, f);
		clean_ok(buf_str(&b), b.len, f);
		buf_reset(&b);
		esc_html(&b, s, size, f);
		no_byte(&b, "<>\"'");
		buf_reset(&b);
		esc_slack(&b, s, size, f);
		no_byte(&b, "<>");
		for (p = buf_str(&b); (p = strchr(p, '&')) != NULL; p++)
			if (strncmp(p, "&amp;", 5) != 0 &&
			    strncmp(p, "&lt;", 4) != 0 &&
			    strncmp(p, "&gt;", 4) != 0)
				abort();
		buf_reset(&b);
		esc_md_text(&b, s, size, f);
		buf_reset(&b);
		esc_md_code(&b, s, size, f & ~ESC_NL_KEEP);
		if (b.len > 0) {
			p = buf_str(&b);
			for (k = 0; p[k] == '`'; k++)
				;
			if (k == 0 || b.len < 2 * k)
				abort();
			q = p + b.len - k;
			if (strspn(q, "`") != k || p[k] == '`' ||
			    q[-1] == '`' || longest_run(p + k,
			    b.len - 2 * k, '`') >= k)
				abort();	/* the span can be closed early */
		}
		buf_reset(&b);
		esc_ac_text(&b, s, size, f);
		buf_reset(&b);
		esc_ac_markdown(&b, s, size, f);
		buf_release(&b);
		buf_release(&again);
	}

	buf_init(&b);
	esc_md_fence(&b, s, size, "text");
	p = buf_str(&b);
	fence = strspn(p, "`");
	if (fence < 3 || fence <= longest_run(s, size, '`'))
		abort();
	buf_release(&b);

	for (i = 0; i < 64 && i <= size; i += 7) {
		cut = esc_cut(s, size, i, &total);
		if (cut > size)
			abort();
		/* Not inside a valid character that starts before the cut. */
		for (k = 1; k <= 3 && k <= cut && cut < size; k++)
			if (utf8_len((const unsigned char *)s + cut - k,
			    (const unsigned char *)s + size) > k)
				abort();
	}
	(void)esc_chars(s, size);

	url = malloc(size + 1);
	if (url != NULL) {
		memcpy(url, data, size);
		url[size] = '\0';
		if (esc_url_ok(url) && (strncmp(url, "https://", 8) != 0 ||
		    strcspn(url, " \"'<>\\`(){}\n\r\t") != strlen(url)))
			abort();
		free(url);
	}
	return 0;
}
