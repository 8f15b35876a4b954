/*
 * test_kql: the pieces of the local workspace on their own: lexer,
 * parser, translator (literals are parameters, names are quoted), the
 * regular expressions, Kusto's whole-term has, time parsing and the CSV
 * reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "kql/arena.h"
#include "kql/csv.h"
#include "kql/funcs.h"
#include "kql/lex.h"
#include "kql/parse.h"
#include "kql/regex.h"
#include "kql/sql.h"
#include "kql/time.h"
#include "tap.h"

static void
test_lex(void)
{
	struct kql_arena a;
	struct kql_tokens t;
	char err[256];
	const char *q = "T\n| where x !has 'a\\'b' and y in~ (1.5h, @\"c:\\d\")"
	    " | project-away z // note\n| take 10";

	kql_arena_init(&a, 0);
	ok(kql_lex(&a, q, strlen(q), &t, err, sizeof(err)) == 0, "lexes");
	is_str(t.v[3].text, "x", "a name");
	is_str(t.v[4].text, "!has", "!has is one word");
	is_int(t.v[5].kind, KT_STRING, "a string");
	is_str(t.v[5].text, "a'b", "escapes decoded");
	is_str(t.v[8].text, "in~", "in~ is one word");
	is_int(t.v[10].kind, KT_TIMESPAN, "1.5h is a timespan");
	is_int(t.v[10].ival, 54000000000LL, "1.5h in ticks");
	is_str(t.v[12].text, "c:\\d", "verbatim string");
	is_str(t.v[15].text, "project-away", "project-away is one word");
	is_str(t.v[18].text, "take", "take");
	is_int(t.v[18].line, 3, "take is on line 3");
	is_int(t.v[18].col, 3, "at column 3");
	kql_arena_release(&a);

	kql_arena_init(&a, 0);
	q = "print s = \"ab\" 'cd' ```e\nf``` , n = é + 1x";
	ok(kql_lex(&a, q, strlen(q), &t, err, sizeof(err)) == -1,
	    "1x is not a number");
	is_str(err, "2:16: malformed number '1x'",
	    "line and column counted in characters");
	kql_arena_release(&a);

	kql_arena_init(&a, 0);
	q = "print s = \"ab\" 'cd' ```e\nf```";
	ok(kql_lex(&a, q, strlen(q), &t, err, sizeof(err)) == 0, "lexes");
	is_str(t.v[3].text, "abcde\nf", "adjacent strings join");
	kql_arena_release(&a);

	kql_arena_init(&a, 0);
	q = "T | where x == \"open";
	ok(kql_lex(&a, q, strlen(q), &t, err, sizeof(err)) == -1 &&
	    strcmp(err, "1:16: unterminated string literal") == 0,
	    "unterminated string: %s", err);
	kql_arena_release(&a);
}

static int
parses(const char *q, char *err, size_t errsz)
{
	struct kql_arena a;
	struct kql_ast ast;
	int rc;

	kql_arena_init(&a, 0);
	rc = kql_parse(&a, q, strlen(q), &ast, err, errsz);
	kql_arena_release(&a);
	return rc;
}

static void
test_parse(void)
{
	char err[256];
	static const char *const good[] = {
		"T | where a == 1 and (b has \"x\" or c !in (1, 2))",
		"let f = (t:(*), n:long = 5) { t | take n }; f(T)",
		"T | summarize (t, x) = arg_max(TimeGenerated, x) by k",
		"T | join kind=leftouter (U | where y) on $left.a == $right.b",
		"union withsource=S T*, (U | take 1)",
		"T | mv-expand with_itemindex=i e = d.items to typeof(string)",
		"T | parse kind=regex s with \"a\" x:int \"b\" *",
		"T | extend v = x.y[0][\"z\"], w = x.[1]",
		"datatable(a:string, b:long)[\"x\", 1, \"y\", 2]",
		"T | where t between (ago(1d) .. now())",
		"T | where x == True | render timechart",
		"T | evaluate bag_unpack(x) | make-series n = count() on t "
		    "step 1h",
		NULL
	};
	size_t i;

	for (i = 0; good[i] != NULL; i++)
		ok(parses(good[i], err, sizeof(err)) == 0, "parses: %s (%s)",
		    good[i], err);
	ok(parses("T | where", err, sizeof(err)) == -1 &&
	    strcmp(err, "1:10: expected an expression, found end of query") ==
	    0, "missing predicate: %s", err);
	ok(parses("T | wehre x", err, sizeof(err)) == -1 &&
	    strcmp(err, "1:5: unknown operator 'wehre'") == 0,
	    "typo in an operator: %s", err);
	ok(parses("let x = 1 T", err, sizeof(err)) == -1, "let needs ;");
}

/* Translates q against no catalog (open tables). */
static int
xlate(const char *q, struct kql_arena *a, struct kql_sql *out, char *err,
    size_t errsz)
{
	struct kql_catalog cat;

	memset(&cat, 0, sizeof(cat));
	cat.open_unknown = 1;
	return kql_compile(a, q, strlen(q), &cat, NULL, out, err, errsz);
}

static void
test_translate(void)
{
	struct kql_arena a;
	struct kql_sql s;
	char err[256];

	kql_arena_init(&a, 0);
	ok(xlate("T | where a == \"x'); DROP TABLE T; --\" | take 5", &a, &s,
	    err, sizeof(err)) == 0, "translates");
	ok(strstr(s.sql, "DROP") == NULL, "the literal is not in the SQL");
	is_int((long long)s.nparams, 1, "one parameter");
	is_str(s.params[0].text, "x'); DROP TABLE T; --", "bound as is");
	kql_arena_release(&a);

	kql_arena_init(&a, 0);
	ok(xlate("T | project ['a\"b'] = 1", &a, &s, err, sizeof(err)) == 0,
	    "a quote in a name");
	ok(strstr(s.sql, "\"a\"\"b\"") != NULL, "doubled inside quotes");
	kql_arena_release(&a);

	kql_arena_init(&a, 0);
	ok(xlate("T | summarize count() by x | where count_ > 1", &a, &s, err,
	    sizeof(err)) == 0, "summarize");
	is_int((long long)s.ncols, 2, "two columns");
	is_str(s.cols[1].name, "count_", "named as Kusto names it");
	is_int(s.cols[1].type, KQL_T_LONG, "a long");
	kql_arena_release(&a);

	kql_arena_init(&a, 0);
	ok(xlate("T | summarize x = count() | extend y = x | project-away z",
	    &a, &s, err, sizeof(err)) == -1 &&
	    strstr(err, "unknown column 'z'") != NULL, "%s", err);
	kql_arena_release(&a);
}

static void
test_has(void)
{
	static const struct {
		const char	*hay;
		const char	*needle;
		int		 want;
	} cases[] = {
		{ "North America", "america", 1 },
		{ "North America", "meric", 0 },
		{ "cmd.exe /c whoami", "whoami", 1 },
		{ "cmd.exe /c whoami", "exe", 1 },
		{ "cmd.exe /c whoami", "cmd.exe", 1 },
		{ "cmd.exe /c whoami", "d.ex", 0 },
		{ "hello-world", "hello-world", 1 },
		{ "hello-worlds", "hello-world", 0 },
		{ "a_b", "a", 1 },	/* _ is not alphanumeric */
		{ "café latte", "café", 1 },
		{ "cafés", "café", 0 },
		{ "x", "", 1 },
		{ "", "x", 0 },
		{ "-dir x", "-dir", 1 },
		{ "ab-dir", "-dir", 1 },
		{ NULL, NULL, 0 }
	};
	size_t i;

	for (i = 0; cases[i].hay != NULL; i++)
		is_int(kql_has_term(cases[i].hay, strlen(cases[i].hay),
		    cases[i].needle, strlen(cases[i].needle), 0), cases[i].want,
		    cases[i].needle);
	is_int(kql_has_term("North America", 13, "america", 7, 1), 0,
	    "has_cs keeps case");
}

/* Group g of the first match of pat in s, or "NOMATCH". */
static const char *
re_group(const char *pat, const char *s, int g, char *out, size_t outsz)
{
	struct kql_re *re;
	long caps[40];
	char err[200];
	int rc;

	re = kql_re_compile(pat, strlen(pat), 0, err, sizeof(err));
	if (re == NULL) {
		snprintf(out, outsz, "ERROR %s", err);
		return out;
	}
	rc = kql_re_search(re, s, strlen(s), 0, caps);
	if (rc != 1 || caps[2 * g] < 0)
		snprintf(out, outsz, "NOMATCH");
	else
		snprintf(out, outsz, "%.*s", (int)(caps[2 * g + 1] -
		    caps[2 * g]), s + caps[2 * g]);
	kql_re_free(re);
	return out;
}

static void
test_regex(void)
{
	char buf[256], *big;
	struct kql_re *re;
	long caps[4];
	size_t n = 100000;

	is_str(re_group("a(b+)c", "xxabbbc", 1, buf, sizeof(buf)), "bbb",
	    "a capture");
	is_str(re_group("a(b+?)", "abbb", 1, buf, sizeof(buf)), "b", "lazy");
	is_str(re_group("a|ab", "ab", 0, buf, sizeof(buf)), "a",
	    "leftmost-first, as RE2 (POSIX would take ab)");
	is_str(re_group("\\d{2,3}", "a1234", 0, buf, sizeof(buf)), "123",
	    "counted repetition");
	is_str(re_group("(?i)POWER", "powershell", 0, buf, sizeof(buf)),
	    "power", "case-insensitive");
	is_str(re_group("^b", "ab", 0, buf, sizeof(buf)), "NOMATCH",
	    "anchored");
	is_str(re_group("\\bcat\\b", "concat cat", 0, buf, sizeof(buf)),
	    "cat", "word boundary");
	is_str(re_group("[^\\s,]+", "  ab,c", 0, buf, sizeof(buf)), "ab",
	    "negated class with escapes");
	is_str(re_group("[[:digit:]]+", "x42", 0, buf, sizeof(buf)), "42",
	    "POSIX class");
	is_str(re_group("(?P<n>\\w+)@", "me@x", 1, buf, sizeof(buf)), "me",
	    "named group");
	is_str(re_group("é+", "caféé!", 0, buf, sizeof(buf)), "éé",
	    "UTF-8 characters repeat whole");
	is_str(re_group("a.c", "a\nc", 0, buf, sizeof(buf)), "NOMATCH",
	    ". skips newlines");
	is_str(re_group("(?s)a.c", "a\nc", 0, buf, sizeof(buf)), "a\nc",
	    "(?s) makes . match them");
	is_str(re_group("(a", "a", 0, buf, sizeof(buf)), "ERROR missing ')'",
	    "unbalanced");
	is_str(re_group("(a)\\1", "aa", 0, buf, sizeof(buf)),
	    "ERROR backreferences are not supported", "no backreferences");
	is_str(re_group("a{2000}", "a", 0, buf, sizeof(buf)),
	    "ERROR repetition count above 1000", "counts are capped");

	/* A pattern that takes a backtracking matcher exponential time:
	 * here one pass over the text. */
	big = malloc(n + 1);
	if (big == NULL)
		return;
	memset(big, 'a', n);
	big[n] = '\0';
	re = kql_re_compile("(a*)*b", 6, 0, buf, sizeof(buf));
	ok(re != NULL, "(a*)*b compiles");
	if (re != NULL)
		is_int(kql_re_search(re, big, n, 0, caps), 0,
		    "(a*)*b does not match 100,000 a's, and returns");
	kql_re_free(re);
	free(big);
}

static void
test_time(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} dt[] = {
		{ "2024-05-01", "2024-05-01T00:00:00.0000000Z" },
		{ "2024-05-01 10:30", "2024-05-01T10:30:00.0000000Z" },
		{ "2024-05-01T10:30:00.1234567Z",
		    "2024-05-01T10:30:00.1234567Z" },
		{ "2024-05-01T10:30:00+02:00",
		    "2024-05-01T08:30:00.0000000Z" },
		{ "4/19/2021, 12:13:19.483 PM",
		    "2021-04-19T12:13:19.4830000Z" },
		{ "4/19/2021, 12:13:19.483 AM",
		    "2021-04-19T00:13:19.4830000Z" },
		{ "3/31/2022, 14:51:35.857 PM",
		    "2022-03-31T14:51:35.8570000Z" },
		{ "Feb 04 2021 23:57:21", "2021-02-04T23:57:21.0000000Z" },
		{ "Sat, 01 May 2021 10:00:00 GMT",
		    "2021-05-01T10:00:00.0000000Z" },
		{ "2024-02-30", NULL },
		{ "13/1/2024", NULL },
		{ "yesterday", NULL },
		{ NULL, NULL }
	};
	char out[64];
	int64_t t;
	size_t i;

	for (i = 0; dt[i].in != NULL; i++) {
		if (dt[i].want == NULL) {
			ok(kql_parse_datetime(dt[i].in, &t) == -1,
			    "not a datetime: %s", dt[i].in);
			continue;
		}
		ok(kql_parse_datetime(dt[i].in, &t) == 0, "parses %s",
		    dt[i].in);
		kql_format_datetime(t, out, sizeof(out));
		is_str(out, dt[i].want, dt[i].in);
		ok(kql_is_stored_datetime(out, strlen(out)), "stored form");
	}
	ok(kql_parse_timespan("1.02:03:04.5", &t) == 0 &&
	    t == ((26LL * 3600 + 3 * 60 + 4) * TICKS_PER_SEC +
	    TICKS_PER_SEC / 2), "d.hh:mm:ss.f");
	ok(kql_parse_timespan("30m", &t) == 0 && t == 1800 * TICKS_PER_SEC,
	    "30m");
	is_str(kql_format_timespan(-(TICKS_PER_DAY + 1), out, sizeof(out)),
	    "-1.00:00:00.0000001", "negative timespan");
	is_str(kql_format_timespan(90 * TICKS_PER_SEC, out, sizeof(out)),
	    "00:01:30", "whole seconds");
}

static void
test_csv(void)
{
	const char *data = "\xef\xbb\xbf" "a,\"b\",c\r\n1,\"x\"\"y\",\"two\r\n"
	    "lines\"\r\n\r\n2,,\n3,\"bad\"x,4\n5,6,7";
	struct kql_csv c;
	const char *f;
	size_t n;
	FILE *fp;

	fp = fmemopen((void *)(uintptr_t)data, strlen(data), "r");
	if (fp == NULL) {
		ok(0, "fmemopen");
		return;
	}
	kql_csv_init(&c, fp);
	is_int(kql_csv_next(&c), 1, "header");
	f = kql_csv_field(&c, 0, &n);
	is_str(f, "a", "the byte-order mark is skipped");
	is_int(kql_csv_next(&c), 1, "record");
	is_int((long long)c.rec_line, 2, "starts on line 2");
	is_str(kql_csv_field(&c, 1, &n), "x\"y", "doubled quote");
	is_str(kql_csv_field(&c, 2, &n), "two\r\nlines", "multi-line cell");
	is_int(kql_csv_next(&c), 1, "after a blank line");
	is_int((long long)c.rec_line, 5, "lines counted through the cell");
	is_int((long long)c.nfields, 3, "empty fields count");
	is_int(kql_csv_next(&c), -1, "text after a quote");
	is_int((long long)c.rec_line, 6, "reported on its line");
	is_int(kql_csv_next(&c), 1, "reading goes on");
	is_str(kql_csv_field(&c, 2, &n), "7", "last record without newline");
	is_int(kql_csv_next(&c), 0, "end");
	kql_csv_release(&c);
	fclose(fp);
}

int
main(void)
{
	test_lex();
	test_parse();
	test_translate();
	test_has();
	test_regex();
	test_time();
	test_csv();
	return tap_done();
}
