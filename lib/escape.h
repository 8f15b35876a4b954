/*
 * escape: hostile text made safe for the place it lands.  A command line, a
 * file name, a mail subject or a model's prose may hold anything: invalid
 * UTF-8, terminal escapes, right-to-left overrides that reorder what a
 * reader sees, zero-width characters hidden inside an indicator, and the
 * markup of whatever it is pasted into.  Every function here first
 * *cleans* the text:
 *
 *  - invalid UTF-8 (stray bytes, overlongs, encoded surrogates) and
 *    noncharacters become U+FFFD;
 *  - C0 controls become their visible Control Pictures (ESC shows as
 *    U+241B), DEL as U+2421, a lone CR as U+240D;
 *  - C1 controls and invisible or direction-changing characters (U+200B to
 *    U+200F, U+202A to U+202E, U+2060 to U+206F, U+FEFF, U+00AD, tag
 *    characters, ...) become the visible text "⟨U+202E⟩";
 *  - line breaks (LF, CRLF, NEL, U+2028, U+2029) are kept, become a space,
 *    or are shown as " ⏎ ", as the flags ask; tabs are kept or become a
 *    space;
 *
 * and then escapes what is special in the target format.  Cleaned text is
 * valid UTF-8 and holds no control character but, if asked for, \n and
 * \t, so it is also safe to write to a terminal.  Cleaning is idempotent.
 *
 * Functions append to a struct buf and return 0, or -1 when memory ran out
 * (the buf then latches the failure; see buf.h).  They take a length, so
 * text with NUL bytes is handled too.
 */
#ifndef TRIAGE_ESCAPE_H
#define TRIAGE_ESCAPE_H

#include <stddef.h>

struct buf;

enum esc_flags {
	ESC_NL_KEEP	= 1 << 0,	/* keep line breaks as \n */
	ESC_NL_SPACE	= 1 << 1,	/* a line break becomes a space */
					/* neither: shown as " ⏎ " */
	ESC_TAB_KEEP	= 1 << 2,	/* keep tabs (else a space) */
	ESC_MD_CELL	= 1 << 3,	/* markdown: inside a GFM table cell */
	ESC_MD_INLINE	= 1 << 4	/* markdown: text continues a line */
};

/* The visible mark a line break becomes when it may not be kept. */
#define ESC_NL_MARK	" \xe2\x8f\x8e "

/* Appends the cleaned text. */
int	 esc_clean(struct buf *b, const char *s, size_t n, int flags);
/* A new cleaned copy of a C string (free it); NULL on no memory. */
char	*esc_clean_str(const char *s, int flags);

/*
 * Text for a terminal: the cleaned text, which has no control sequence
 * left that could move the cursor, retitle the window or hide itself.
 */
int	 esc_term(struct buf *b, const char *s, size_t n, int flags);

/* The number of code points in UTF-8 text (an invalid byte counts one). */
size_t	 esc_chars(const char *s, size_t n);
/*
 * Where to cut s to keep at most max code points: the byte length of the
 * kept prefix, never inside a character.  *total (if not NULL) gets the
 * number of code points in the whole of s.
 */
size_t	 esc_cut(const char *s, size_t n, size_t max, size_t *total);

/*
 * Markdown (CommonMark with the GFM extensions: tables, strikethrough,
 * autolinks) inline text: backslash-escapes what could start emphasis,
 * code, links and images (so "](javascript:...)" stays text), raw HTML,
 * entities, math and table pipes.  With ESC_NL_KEEP each line is also kept
 * from starting a block (a heading, quote, list, fence or indented code).
 * ESC_MD_CELL: for a table cell (line breaks must not be kept).
 * ESC_MD_INLINE: the text does not start a line, so its first character
 * needs no line-start care (its later lines still do).
 */
int	 esc_md_text(struct buf *b, const char *s, size_t n, int flags);
/*
 * A markdown code span: the fence is one backtick longer than the longest
 * run inside, padded when needed; with ESC_MD_CELL, pipes are escaped as
 * GFM asks.  Line breaks follow the flags (never kept).  Empty text gives
 * nothing.
 */
int	 esc_md_code(struct buf *b, const char *s, size_t n, int flags);
/*
 * A fenced markdown code block holding s whole: the fence is longer than
 * any backtick run in s (at least three).  info is the info string ("text"),
 * trusted.  Ends with a newline.
 */
int	 esc_md_fence(struct buf *b, const char *s, size_t n, const char *info);

/* HTML text or attribute value: & < > " ' become entities. */
int	 esc_html(struct buf *b, const char *s, size_t n, int flags);

/*
 * Slack text (the message "text" and mrkdwn or plain_text objects): & < >
 * become &amp; &lt; &gt;, which is all Slack decodes, so links, mentions
 * and <!channel> cannot be smuggled in.  Slack's mrkdwn has no escape for
 * * _ ~ `: send hostile text in rich_text elements or with "mrkdwn": false.
 */
int	 esc_slack(struct buf *b, const char *s, size_t n, int flags);

/*
 * Adaptive Card text.  esc_ac_text is for TextRun (no markdown there): it
 * only breaks "{{DATE(" and "{{TIME(" (into "{ {") so that they stay text.
 * esc_ac_markdown is for TextBlock and FactSet, whose markdown subset it
 * backslash-escapes as well.
 */
int	 esc_ac_text(struct buf *b, const char *s, size_t n, int flags);
int	 esc_ac_markdown(struct buf *b, const char *s, size_t n, int flags);

/*
 * Nonzero when url is an https URL that may be written into a link as is:
 * printable ASCII without spaces, quotes, angle brackets, backslashes,
 * backticks, parentheses or braces, with a host, at most 2048 bytes.
 */
int	 esc_url_ok(const char *url);

#endif
