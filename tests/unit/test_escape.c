/*
 * test_escape: cleaning hostile text and escaping it for markdown, HTML,
 * Slack and Adaptive Cards; cutting by code points; URL vetting; repairing
 * JSON escapes Jansson refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "escape.h"
#include "jsonfix.h"
#include "tap.h"

typedef int (*escaper)(struct buf *, const char *, size_t, int);

/* Runs an escaper over s and returns the result (static storage). */
static const char *
run(escaper f, const char *s, int flags)
{
	static char out[4096];
	struct buf b;

	buf_init(&b);
	if (f(&b, s, strlen(s), flags) == -1)
		snprintf(out, sizeof(out), "(failed)");
	else
		snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static void
test_clean(void)
{
	struct buf b;
	char *s;

	is_str(run(esc_clean, "plain text", 0), "plain text", "plain passes");
	is_str(run(esc_clean, "a\033[31mred\033[0m", 0),
	    "a\xe2\x90\x9b[31mred\xe2\x90\x9b[0m", "ESC shown as U+241B");
	is_str(run(esc_clean, "bell\a del\x7f", 0),
	    "bell\xe2\x90\x87 del\xe2\x90\xa1", "BEL and DEL pictured");
	is_str(run(esc_clean, "a\nb", 0), "a" ESC_NL_MARK "b",
	    "line break marked by default");
	is_str(run(esc_clean, "a\r\nb", ESC_NL_KEEP), "a\nb",
	    "CRLF kept as LF");
	is_str(run(esc_clean, "a\nb", ESC_NL_SPACE), "a b", "LF as space");
	is_str(run(esc_clean, "over\rwrite", ESC_NL_KEEP),
	    "over\xe2\x90\x8dwrite", "lone CR pictured");
	is_str(run(esc_clean, "a\tb", 0), "a b", "tab as space");
	is_str(run(esc_clean, "a\tb", ESC_TAB_KEEP), "a\tb", "tab kept");
	is_str(run(esc_clean, "doc\xe2\x80\xaetxt.exe", 0),
	    "doc\xe2\x9f\xa8U+202E\xe2\x9f\xa9txt.exe", "RLO made visible");
	is_str(run(esc_clean, "ev\xe2\x80\x8bil", 0),
	    "ev\xe2\x9f\xa8U+200B\xe2\x9f\xa9il", "zero-width space visible");
	is_str(run(esc_clean, "\xef\xbb\xbfx", 0),
	    "\xe2\x9f\xa8U+FEFF\xe2\x9f\xa9x", "BOM visible");
	is_str(run(esc_clean, "tag\xf3\xa0\x80\x81", 0),
	    "tag\xe2\x9f\xa8U+E0001\xe2\x9f\xa9", "tag character visible");
	is_str(run(esc_clean, "c1\xc2\x9b", 0),
	    "c1\xe2\x9f\xa8U+009B\xe2\x9f\xa9", "C1 CSI visible");
	is_str(run(esc_clean, "a\xc2\x85" "b", ESC_NL_KEEP), "a\nb",
	    "NEL is a line break");
	is_str(run(esc_clean, "bad\xff\xfe!", 0),
	    "bad\xef\xbf\xbd\xef\xbf\xbd!", "invalid bytes become U+FFFD");
	is_str(run(esc_clean, "over\xc0\xaflong", 0),
	    "over\xef\xbf\xbd\xef\xbf\xbdlong", "overlong refused");
	is_str(run(esc_clean, "sur\xed\xa0\x80", 0),
	    "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "encoded surrogate refused");
	is_str(run(esc_clean, "cut\xe2\x82", 0),
	    "cut\xef\xbf\xbd\xef\xbf\xbd", "truncated sequence refused");
	is_str(run(esc_clean, "non\xef\xbf\xbf", 0), "non\xef\xbf\xbd",
	    "noncharacter U+FFFF replaced");
	is_str(run(esc_clean, "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\x94",
	    0), "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\x94",
	    "accents, emoji and dashes pass");
	is_str(run(esc_clean, "\xef\xbf\xbd", 0), "\xef\xbf\xbd",
	    "U+FFFD itself passes");

	/* Idempotent. */
	s = esc_clean_str("x\033\xe2\x80\xae\xffy\nz", 0);
	ok(s != NULL, "esc_clean_str");
	is_str(run(esc_clean, s, 0), s, "cleaning twice changes nothing");
	free(s);

	/* NUL bytes inside a counted string. */
	buf_init(&b);
	esc_clean(&b, "a\0b", 3, 0);
	is_str(buf_str(&b), "a\xe2\x90\x80" "b", "NUL pictured");
	buf_release(&b);
}

static void
test_cut(void)
{
	size_t total, n;
	const char *s = "h\xc3\xa9llo w\xc3\xb6rld";	/* 11 code points */

	is_int((long long)esc_chars(s, strlen(s)), 11, "code points counted");
	n = esc_cut(s, strlen(s), 2, &total);
	is_int((long long)n, 3, "cut after two code points, not inside one");
	is_int((long long)total, 11, "total reported");
	n = esc_cut(s, strlen(s), 11, NULL);
	is_int((long long)n, (long long)strlen(s), "nothing cut at the limit");
	n = esc_cut(s, strlen(s), 0, NULL);
	is_int((long long)n, 0, "max 0 keeps nothing");
	n = esc_cut("\xff\xff\xff", 3, 2, &total);
	is_int((long long)n, 2, "invalid bytes count one each");
}

static void
test_markdown(void)
{
	is_str(run(esc_md_text, "plain words", 0), "plain words", "plain");
	is_str(run(esc_md_text, "[click](javascript:alert(1))", 0),
	    "\\[click\\](javascript:alert(1))", "link syntax broken");
	is_str(run(esc_md_text, "![x](https://evil/p.png)", 0),
	    "!\\[x\\](https\\://evil/p.png)", "image syntax broken");
	is_str(run(esc_md_text, "<script>alert(1)</script>", 0),
	    "\\<script>alert(1)\\</script>", "raw HTML broken");
	is_str(run(esc_md_text, "a | b", ESC_MD_CELL), "a \\| b", "pipe");
	is_str(run(esc_md_text, "`code` *b* ~s~ $x$", 0),
	    "\\`code\\` \\*b\\* \\~s\\~ \\$x\\$", "markup characters");
	is_str(run(esc_md_text, "snake_case_name _em_", 0),
	    "snake_case_name \\_em\\_",
	    "underscore only where it could emphasise");
	is_str(run(esc_md_text, "C:\\Windows\\Temp\\*", 0),
	    "C:\\Windows\\Temp\\\\\\*", "backslash before punctuation doubled");
	is_str(run(esc_md_text, "ends with \\", 0), "ends with \\\\",
	    "trailing backslash doubled");
	is_str(run(esc_md_text, "&#60;b&#62; &lt; AT&T & co &#x41; &amp", 0),
	    "\\&#60;b\\&#62; \\&lt; AT&T & co \\&#x41; &amp",
	    "entities kept literal");
	is_str(run(esc_md_text, "a\nb", ESC_MD_CELL), "a" ESC_NL_MARK "b",
	    "line break in a cell marked");
	is_str(run(esc_md_text, "# head\n> quote\n- item\n1. one\n    code",
	    ESC_NL_KEEP), "\\# head\n\\> quote\n\\- item\n1\\. one\ncode",
	    "no line opens a block");
	is_str(run(esc_md_text, "a\n\n\n\nb", ESC_NL_KEEP), "a\n\nb",
	    "blank lines collapsed to one");
	is_str(run(esc_md_text, "a\n#\n#\nb", ESC_NL_KEEP), "a\n\\#\n\\#\nb",
	    "every line start checked");
	is_str(run(esc_md_text, "===\n---", ESC_NL_KEEP), "\\===\n\\---",
	    "setext underline broken");
	is_str(run(esc_md_text,
	    "www.evil.com, WWW.X.IO, https://a.b/c ftp://d", 0),
	    "www\\.evil.com, WWW\\.X.IO, https\\://a.b/c ftp\\://d",
	    "GFM autolinks broken");
	is_str(run(esc_md_text, "x\033[2J", 0), "x\xe2\x90\x9b\\[2J",
	    "terminal escape pictured and bracket escaped");

	is_str(run(esc_md_code, "Get-Item", 0), "`Get-Item`", "code span");
	is_str(run(esc_md_code, "a`b``c", 0), "```a`b``c```",
	    "fence longer than any run");
	is_str(run(esc_md_code, "`x`", 0), "`` `x` ``", "padded at backticks");
	is_str(run(esc_md_code, " x ", 0), "`  x  `", "padded at spaces");
	is_str(run(esc_md_code, "a|b", ESC_MD_CELL), "`a\\|b`",
	    "pipe escaped in a cell");
	is_str(run(esc_md_code, "a|b", 0), "`a|b`", "pipe kept outside");
	is_str(run(esc_md_code, "", 0), "", "empty gives nothing");
	is_str(run(esc_md_code, "l1\nl2", 0), "`l1" ESC_NL_MARK "l2`",
	    "line break marked");
}

static void
test_fence(void)
{
	struct buf b;
	const char *s = "x ``` y\n```\n````\nend";

	buf_init(&b);
	esc_md_fence(&b, s, strlen(s), "text");
	is_str(buf_str(&b), "`````text\nx ``` y\n```\n````\nend\n`````\n",
	    "fence longer than the longest run inside");
	buf_reset(&b);
	esc_md_fence(&b, "a\tb\n", 4, "");
	is_str(buf_str(&b), "```\na\tb\n```\n", "tabs kept, no double newline");
	buf_release(&b);
}

static void
test_others(void)
{
	is_str(run(esc_html, "<a href=\"x\" onclick='y'>&</a>", 0),
	    "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
	    "HTML entities");
	is_str(run(esc_html, "\xe2\x80\xae", 0),
	    "\xe2\x9f\xa8U+202E\xe2\x9f\xa9",
	    "HTML cleans too");
	is_str(run(esc_slack, "<!channel> <https://x|y> & *b*", 0),
	    "&lt;!channel&gt; &lt;https://x|y&gt; &amp; *b*",
	    "Slack control characters");
	is_str(run(esc_ac_text, "{{DATE(2017-02-14T06:08:39Z, SHORT)}} **b**",
	    0), "{ {DATE(2017-02-14T06:08:39Z, SHORT)}} **b**",
	    "TextRun: date function broken, markdown left alone");
	is_str(run(esc_ac_markdown, "**b** [l](u) _i_ 2026-11-28 (x)", 0),
	    "\\*\\*b\\*\\* \\[l\\](u) \\_i\\_ 2026-11-28 (x)",
	    "Adaptive Card markdown");
	is_str(run(esc_ac_markdown, "- item\n1. one", ESC_NL_KEEP),
	    "\\- item\n1\\. one", "Adaptive Card lists broken");
	is_str(run(esc_term, "ok\033]0;title\a", 0),
	    "ok\xe2\x90\x9b]0;title\xe2\x90\x87", "terminal: OSC neutralised");
}

static void
test_url(void)
{
	ok(esc_url_ok("https://portal.azure.com/#asset/Microsoft_Azure_Security"
	    "_Insights/Incident/subscriptions/x/incidents/3f2a"), "portal URL");
	ok(!esc_url_ok("http://portal.azure.com/"), "http refused");
	ok(!esc_url_ok("javascript:alert(1)"), "javascript refused");
	ok(!esc_url_ok("https://x/a b"), "space refused");
	ok(!esc_url_ok("https://x/a)b"), "parenthesis refused");
	ok(!esc_url_ok("https://x/\"onmouseover"), "quote refused");
	ok(!esc_url_ok("https://"), "no host refused");
	ok(!esc_url_ok("https://x/\xc3\xa9"), "non-ASCII refused");
}

static void
test_jsonfix(void)
{
	char s1[] = "{\"a\":\"x\\ud800y\",\"b\":\"\\u0000\"}";
	char s2[] = "{\"a\":\"\\ud83d\\ude00 \\\\ud800 \\\"\\udc00\"}";
	char s3[] = "{\"\\ud800\":1}";
	json_error_t e;
	json_t *v;

	is_int((long long)jsonfix_escapes(s1, strlen(s1)), 2, "two fixed");
	is_str(s1, "{\"a\":\"x\\uFFFDy\",\"b\":\"\\uFFFD\"}", "to U+FFFD");
	v = json_loads(s1, 0, &e);
	ok(v != NULL, "Jansson takes the repaired text");
	json_decref(v);
	is_int((long long)jsonfix_escapes(s2, strlen(s2)), 1,
	    "pair kept, escaped backslash is not an escape, lone low fixed");
	is_str(s2, "{\"a\":\"\\ud83d\\ude00 \\\\ud800 \\\"\\uFFFD\"}",
	    "only the lone low surrogate changed");
	is_int((long long)jsonfix_escapes(s3, strlen(s3)), 1, "keys too");
}

int
main(void)
{
	test_clean();
	test_cut();
	test_markdown();
	test_fence();
	test_others();
	test_url();
	test_jsonfix();
	return tap_done();
}
