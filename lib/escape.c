/*
 * escape: cleaning and per-format escaping of hostile text.  Each escaper
 * cleans into a scratch buffer first and then escapes the cleaned text,
 * whose only special bytes are ASCII: two simple passes instead of one
 * clever one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "escape.h"
#include "utf8.h"

#define REPLACEMENT	UTF8_REPLACEMENT

/* One character: an invalid byte stands alone and reads as U+FFFD. */
static size_t
decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len = utf8_decode(p, n, cp);

	return len > 0 ? len : 1;
}

static void
utf8_encode(struct buf *b, uint32_t cp)
{
	char t[4];

	if (cp < 0x80) {
		buf_addc(b, (int)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xc0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xe0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xf0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, t, 4);
	}
}

/*
 * Characters that render as nothing or change the direction of what
 * follows: the means to hide text or make "exe.txt" read "txt.exe".
 * Variation selectors U+FE00-FE0F stay (emoji need them); the supplement
 * U+E0100-E01EF, like the tag characters, can smuggle hidden text.
 */
static int
invisible(uint32_t cp)
{
	return cp == 0x00ad || cp == 0x034f || cp == 0x061c ||
	    cp == 0x115f || cp == 0x1160 || cp == 0x17b4 || cp == 0x17b5 ||
	    cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) ||
	    cp == 0x3164 || cp == 0xfeff || cp == 0xffa0 ||
	    (cp >= 0xfff9 && cp <= 0xfffb) ||
	    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
	    (cp >= 0x1d173 && cp <= 0x1d17a) ||
	    (cp >= 0xe0000 && cp <= 0xe007f) ||
	    (cp >= 0xe0100 && cp <= 0xe01ef);
}

static int
noncharacter(uint32_t cp)
{
	return (cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef);
}

static void
line_break(struct buf *b, int flags)
{
	if (flags & ESC_NL_KEEP)
		buf_addc(b, '\n');
	else if (flags & ESC_NL_SPACE)
		buf_addc(b, ' ');
	else
		buf_adds(b, ESC_NL_MARK);
}

int
esc_clean(struct buf *b, const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	char vis[16];
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		/* Runs of plain printable ASCII go in one piece. */
		for (k = i; k < n && p[k] >= 0x20 && p[k] < 0x7f; k++)
			;
		if (k > i) {
			buf_add(b, s + i, k - i);
			i = k;
			continue;
		}
		i += decode(p + i, n - i, &cp);
		if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
			line_break(b, flags);
		else if (cp == '\r') {
			if (i < n && p[i] == '\n') {
				i++;
				line_break(b, flags);
			} else
				utf8_encode(b, 0x240d);
		} else if (cp == '\t')
			buf_addc(b, (flags & ESC_TAB_KEEP) ? '\t' : ' ');
		else if (cp < 0x20)
			utf8_encode(b, 0x2400 + cp);
		else if (cp == 0x7f)
			utf8_encode(b, 0x2421);
		else if ((cp >= 0x80 && cp <= 0x9f) || invisible(cp)) {
			snprintf(vis, sizeof(vis), "U+%04X", (unsigned)cp);
			buf_adds(b, "\xe2\x9f\xa8");		/* ⟨ */
			buf_adds(b, vis);
			buf_adds(b, "\xe2\x9f\xa9");		/* ⟩ */
		} else if (noncharacter(cp))
			utf8_encode(b, REPLACEMENT);
		else
			utf8_encode(b, cp);
	}
	return buf_failed(b) ? -1 : 0;
}

char *
esc_clean_str(const char *s, int flags)
{
	struct buf b;

	buf_init(&b);
	if (esc_clean(&b, s, strlen(s), flags) == -1) {
		buf_release(&b);
		return NULL;
	}
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_steal(&b);
}

int
esc_term(struct buf *b, const char *s, size_t n, int flags)
{
	return esc_clean(b, s, n, flags);
}

size_t
esc_chars(const char *s, size_t n)
{
	size_t total;

	esc_cut(s, n, 0, &total);
	return total;
}

size_t
esc_cut(const char *s, size_t n, size_t max, size_t *total)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, count = 0, cut = 0;
	uint32_t cp;

	while (i < n) {
		if (count == max)
			cut = i;
		i += p[i] < 0x80 ? 1 : decode(p + i, n - i, &cp);
		count++;
	}
	if (count <= max)
		cut = n;
	if (total != NULL)
		*total = count;
	return cut;
}

/* Cleans s into the scratch buffer t (reset first). */
static int
scratch(struct buf *t, const char *s, size_t n, int flags)
{
	buf_reset(t);
	esc_clean(t, s, n, flags);
	if (buf_failed(t))
		return -1;
	return 0;
}

static int
ascii_punct(int c)
{
	return c >= 0x21 && c <= 0x7e && !(c >= '0' && c <= '9') &&
	    !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
}

/* A character that is neither white space nor ASCII punctuation. */
static int
wordish(int c)
{
	return c >= 0x80 || (c > 0x20 && c < 0x7f && !ascii_punct(c));
}

/*
 * At the start of a line, text must not open a block: leading blanks are
 * dropped (four would make code), a leading punctuation character is
 * escaped (# > - + = * _ ~ ` | and the rest), and "1." or "1)" has its
 * delimiter escaped.  Returns how far the line start was handled.
 */
static size_t
md_line_start(struct buf *b, const char *s, size_t n, size_t i)
{
	size_t k;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] == '\n')
		return i;
	if (ascii_punct((unsigned char)s[i]) && s[i] != '\\') {
		buf_addc(b, '\\');
		buf_addc(b, s[i]);
		return i + 1;
	}
	for (k = i; k < n && k - i < 10 && s[k] >= '0' && s[k] <= '9'; k++)
		;
	if (k > i && k < n && (s[k] == '.' || s[k] == ')')) {
		buf_add(b, s + i, k - i);
		buf_addc(b, '\\');
		buf_addc(b, s[k]);
		return k + 1;
	}
	return i;
}

/* Whether s (at an "&") starts a character reference: &name; &#123; &#x7b; */
static int
entity_at(const char *s, size_t n)
{
	const char *digits = "0123456789";
	size_t i = 1, start;

	if (i < n && s[i] == '#') {
		if (++i < n && (s[i] == 'x' || s[i] == 'X')) {
			digits = "0123456789abcdefABCDEF";
			i++;
		}
		for (start = i; i < n && i - start < 8 && s[i] != '\0' &&
		    strchr(digits, s[i]) != NULL; i++)
			;
	} else {
		for (start = i; i < n && i - start < 32 &&
		    (unsigned char)s[i] < 0x80 && wordish((unsigned char)s[i]);
		    i++)
			;
	}
	return i > start && i < n && s[i] == ';';
}

static void
md_escape(struct buf *b, const char *s, size_t n, int flags)
{
	int bol = (flags & ESC_NL_KEEP) && !(flags & ESC_MD_CELL) &&
	    !(flags & ESC_MD_INLINE);
	unsigned char c, prev, next;
	size_t i = 0, k, blank = 0;

	while (i < n) {
		if (bol) {
			bol = 0;
			k = i + strspn(s + i, " \t");
			if (k < n && s[k] != '\n')
				blank = 0;
			i = md_line_start(b, s, n, i);
			continue;
		}
		c = (unsigned char)s[i];
		prev = i > 0 ? (unsigned char)s[i - 1] : ' ';
		next = i + 1 < n ? (unsigned char)s[i + 1] : ' ';
		switch (c) {
		case '\n':
			/* At most one blank line: a paragraph break. */
			if (blank++ < 2)
				buf_addc(b, '\n');
			bol = 1;
			i++;
			continue;
		case '\\':
			/* Only before punctuation (or at the end, where our own
			 * markup may follow) does a backslash escape. */
			buf_adds(b, i + 1 >= n || ascii_punct(next) ? "\\\\" :
			    "\\");
			break;
		case '`': case '*': case '[': case ']': case '<':
		case '|': case '~': case '$':
			buf_addc(b, '\\');
			buf_addc(b, c);
			break;
		case ':':
			/* "scheme://" would be autolinked (GFM). */
			if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
				buf_addc(b, '\\');
			buf_addc(b, c);
			break;
		case 'w': case 'W':
			/* So would "www.": the escaped dot stops it. */
			if (i + 3 < n && strncasecmp(s + i, "www.", 4) == 0) {
				buf_add(b, s + i, 3);
				buf_adds(b, "\\.");
				i += 4;
				blank = 0;
				continue;
			}
			buf_addc(b, c);
			break;
		case '_':
			/* Between two word characters "_" cannot emphasise. */
			if (!(wordish(prev) && wordish(next) && i > 0 &&
			    i + 1 < n))
				buf_addc(b, '\\');
			buf_addc(b, c);
			break;
		case '&':
			/* "&#60;" or "&lt;" would turn into a character. */
			if (entity_at(s + i, n - i))
				buf_addc(b, '\\');
			buf_addc(b, c);
			break;
		default:
			buf_addc(b, c);
		}
		blank = 0;
		i++;
	}
}

int
esc_md_text(struct buf *b, const char *s, size_t n, int flags)
{
	struct buf t;
	int rc = -1;

	if (flags & ESC_MD_CELL)
		flags &= ~ESC_NL_KEEP;
	buf_init(&t);
	if (scratch(&t, s, n, flags & ~ESC_TAB_KEEP) == 0) {
		md_escape(b, buf_str(&t), t.len, flags);
		rc = buf_failed(b) ? -1 : 0;
	}
	buf_release(&t);
	return rc;
}

/* The longest run of backticks in s. */
static size_t
backtick_run(const char *s, size_t n)
{
	size_t i, run = 0, longest = 0;

	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	return longest;
}

static void
add_ticks(struct buf *b, size_t k)
{
	while (k-- > 0)
		buf_addc(b, '`');
}

int
esc_md_code(struct buf *b, const char *s, size_t n, int flags)
{
	const char *c;
	struct buf t;
	size_t k, i;
	int pad;

	buf_init(&t);
	if (scratch(&t, s, n, flags & ~(ESC_NL_KEEP | ESC_TAB_KEEP)) == -1) {
		buf_release(&t);
		return -1;
	}
	c = buf_str(&t);
	n = t.len;
	if (n == 0) {
		buf_release(&t);
		return buf_failed(b) ? -1 : 0;
	}
	k = backtick_run(c, n) + 1;
	/* CommonMark strips one space from each end when both have one, and
	 * a backtick at an end would merge with the fence. */
	pad = c[0] == '`' || c[n - 1] == '`' || (c[0] == ' ' &&
	    c[n - 1] == ' ' && strspn(c, " ") < n);
	add_ticks(b, k);
	if (pad)
		buf_addc(b, ' ');
	for (i = 0; i < n; i++) {
		if (c[i] == '|' && (flags & ESC_MD_CELL))
			buf_addc(b, '\\');
		buf_addc(b, c[i]);
	}
	if (pad)
		buf_addc(b, ' ');
	add_ticks(b, k);
	buf_release(&t);
	return buf_failed(b) ? -1 : 0;
}

int
esc_md_fence(struct buf *b, const char *s, size_t n, const char *info)
{
	struct buf t;
	size_t k;

	buf_init(&t);
	if (scratch(&t, s, n, ESC_NL_KEEP | ESC_TAB_KEEP) == -1) {
		buf_release(&t);
		return -1;
	}
	k = backtick_run(buf_str(&t), t.len) + 1;
	if (k < 3)
		k = 3;
	add_ticks(b, k);
	buf_adds(b, info != NULL ? info : "");
	buf_addc(b, '\n');
	buf_add(b, buf_str(&t), t.len);
	if (t.len > 0 && t.data[t.len - 1] != '\n')
		buf_addc(b, '\n');
	add_ticks(b, k);
	buf_addc(b, '\n');
	buf_release(&t);
	return buf_failed(b) ? -1 : 0;
}

int
esc_html(struct buf *b, const char *s, size_t n, int flags)
{
	struct buf t;
	const char *c;
	size_t i;

	buf_init(&t);
	if (scratch(&t, s, n, flags) == -1) {
		buf_release(&t);
		return -1;
	}
	c = buf_str(&t);
	for (i = 0; i < t.len; i++) {
		switch (c[i]) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			buf_addc(b, c[i]);
		}
	}
	buf_release(&t);
	return buf_failed(b) ? -1 : 0;
}

int
esc_slack(struct buf *b, const char *s, size_t n, int flags)
{
	struct buf t;
	const char *c;
	size_t i;

	buf_init(&t);
	if (scratch(&t, s, n, flags) == -1) {
		buf_release(&t);
		return -1;
	}
	c = buf_str(&t);
	for (i = 0; i < t.len; i++) {
		if (c[i] == '&')
			buf_adds(b, "&amp;");
		else if (c[i] == '<')
			buf_adds(b, "&lt;");
		else if (c[i] == '>')
			buf_adds(b, "&gt;");
		else
			buf_addc(b, c[i]);
	}
	buf_release(&t);
	return buf_failed(b) ? -1 : 0;
}

/* Appends cleaned text, backslash-escaping the bytes in special (if any)
 * and breaking "{{DATE(" and "{{TIME(" with a space so no date function
 * forms. */
static int
ac_escape(struct buf *b, const char *s, size_t n, int flags,
    const char *special)
{
	struct buf t;
	const char *c;
	size_t i;

	buf_init(&t);
	if (scratch(&t, s, n, flags) == -1) {
		buf_release(&t);
		return -1;
	}
	c = buf_str(&t);
	for (i = 0; i < t.len; i++) {
		/* Lists are the only blocks; they start a line. */
		if (special != NULL && (i == 0 || c[i - 1] == '\n')) {
			i = md_line_start(b, c, t.len, i);
			if (i >= t.len)
				break;
		}
		if (special != NULL && strchr(special, c[i]) != NULL)
			buf_addc(b, '\\');
		buf_addc(b, c[i]);
		/* A visible space, not an invisible one: hidden characters
		 * are what this module makes visible. */
		if (c[i] == '{' && i + 1 < t.len && c[i + 1] == '{' &&
		    (strncmp(c + i + 2, "DATE(", 5) == 0 ||
		    strncmp(c + i + 2, "TIME(", 5) == 0))
			buf_addc(b, ' ');
	}
	buf_release(&t);
	return buf_failed(b) ? -1 : 0;
}

int
esc_ac_text(struct buf *b, const char *s, size_t n, int flags)
{
	return ac_escape(b, s, n, flags, NULL);
}

int
esc_ac_markdown(struct buf *b, const char *s, size_t n, int flags)
{
	return ac_escape(b, s, n, flags, "\\`*_[]~");
}

int
esc_url_ok(const char *url)
{
	const unsigned char *p;
	size_t n = strlen(url);

	if (n > 2048 || strncasecmp(url, "https://", 8) != 0)
		return 0;
	p = (const unsigned char *)url + 8;
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#' || *p == '.' ||
	    *p == ':' || *p == '@')
		return 0;
	for (; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"'<>\\`(){}|^",
		    *p) != NULL)
			return 0;
	return 1;
}
