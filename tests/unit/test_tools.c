/*
 * test_tools: the tool manifest, schema validation, running tools as
 * subprocesses and bounding their output.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tap.h"
#include "tools.h"

static json_t *
J(const char *s)
{
	json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);

	if (v == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", s);
		exit(2);
	}
	return v;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

static void
test_builtin(void)
{
	struct toolset ts;
	char err[512];
	json_t *defs;
	const struct tool *t;

	toolset_init(&ts);
	ok(toolset_add_builtin(&ts, err, sizeof(err)) == 0, "built-ins load");
	is_int((long long)ts.n, 6, "six built-in tools");
	t = toolset_find(&ts, "run_kql_query");
	ok(t != NULL && t->argv != NULL && strstr(t->argv[0], "triage-kql")
	    != NULL, "run_kql_query runs triage-kql");
	ok(t != NULL && strcmp(t->argv[1], "--format") == 0 &&
	    strcmp(t->argv[2], "json") == 0 && t->argv[3] == NULL,
	    "with --format json and nothing else");
	ok(t != NULL && t->bounds.max_rows == 50, "KQL output bounded to 50 "
	    "rows");
	t = toolset_find(&ts, "lookup_mitre_technique");
	ok(t != NULL && strstr(t->argv[0], "triage-mitre") != NULL,
	    "lookup_mitre_technique runs triage-mitre");
	ok(toolset_find(&ts, "enrich_ip") && toolset_find(&ts, "enrich_hash")
	    && toolset_find(&ts, "enrich_domain") &&
	    toolset_find(&ts, "enrich_url"), "the four enrich tools");
	ok(toolset_find(&ts, "submit_brief") == NULL,
	    "submit_brief is not a subprocess tool");
	defs = toolset_definitions(&ts);
	is_int((long long)json_array_size(defs), 6, "six definitions");
	ok(json_object_get(json_array_get(defs, 0), "argv") == NULL,
	    "definitions do not reveal argv");
	ok(json_object_size(json_array_get(defs, 0)) == 3,
	    "a definition is name, description, input_schema");
	json_decref(defs);

	/* An internal tool stays last even when a manifest adds tools. */
	ok(toolset_add_internal(&ts, "submit_brief", "Submit.",
	    J("{\"type\":\"object\"}")) == 0, "internal tool added");
	{
		json_t *m = J("[{\"name\":\"mine\",\"description\":\"d\","
		    "\"input_schema\":{\"type\":\"object\"},"
		    "\"argv\":[\"/bin/true\"]}]");

		ok(toolset_load_json(&ts, m, "m.json", NULL, err,
		    sizeof(err)) == 0, "manifest extends");
		json_decref(m);
	}
	is_str(ts.tools[ts.n - 1].name, "submit_brief",
	    "submit_brief stays last");
	is_str(ts.tools[ts.n - 2].name, "mine", "the new tool before it");
	toolset_release(&ts);
}

static void
test_manifest(void)
{
	struct toolset ts;
	char err[512], path[512], dir[512];
	const struct tool *t;
	json_t *m;

	toolset_init(&ts);
	toolset_add_builtin(&ts, err, sizeof(err));
	snprintf(dir, sizeof(dir), "%s", tap_tmpdir());
	snprintf(path, sizeof(path), "%s/m.json", dir);
	write_file(path, "{\"tools\":[{\"name\":\"run_kql_query\","
	    "\"description\":\"fake\",\"input_schema\":{\"type\":\"object\","
	    "\"properties\":{\"query\":{\"type\":\"string\"}}},"
	    "\"argv\":[\"bin/fake-kql\",\"-x\"],\"timeout\":5,"
	    "\"output\":{\"max_rows\":3}}]}", 0644);
	ok(toolset_load_file(&ts, path, err, sizeof(err)) == 0,
	    "manifest file loads");
	is_int((long long)ts.n, 6, "a same-named tool replaces the built-in");
	t = toolset_find(&ts, "run_kql_query");
	ok(t != NULL && strcmp(t->description, "fake") == 0, "replaced");
	ok(t != NULL && strncmp(t->argv[0], dir, strlen(dir)) == 0 &&
	    strstr(t->argv[0], "/bin/fake-kql") != NULL,
	    "relative argv[0] is anchored at the manifest's directory");
	ok(t != NULL && t->timeout_ms == 5000, "timeout in seconds");
	ok(t != NULL && t->bounds.max_rows == 3 &&
	    t->bounds.max_bytes == TOOL_DEFAULT_MAX_BYTES, "output bounds");

	m = J("[{\"name\":\"enrich_ip\",\"argv\":[\"/bin/cat\"]}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == 0,
	    "a known name needs only argv");
	json_decref(m);
	t = toolset_find(&ts, "enrich_ip");
	ok(t != NULL && strcmp(t->argv[0], "/bin/cat") == 0 &&
	    strstr(t->description, "IP address") != NULL &&
	    json_object_get(json_object_get(t->input_schema, "properties"),
	    "ip") != NULL && t->bounds.max_rows == 10 &&
	    t->timeout_ms == 120000, "the rest comes from the built-in");
	m = J("[{\"name\":\"enrich_ip\",\"timeout\":7}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == 0,
	    "an override may leave out argv (%s)", err);
	json_decref(m);
	t = toolset_find(&ts, "enrich_ip");
	ok(t != NULL && strcmp(t->argv[0], "/bin/cat") == 0 &&
	    t->argv[1] == NULL && t->timeout_ms == 7000,
	    "and keeps the program it replaces");
	m = J("[{\"name\":\"brand_new\",\"description\":\"x\","
	    "\"input_schema\":{\"type\":\"object\"}}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1 &&
	    strstr(err, "argv") != NULL, "a new tool still needs argv");
	json_decref(m);
	m = J("[{\"name\":\"brand_new\",\"argv\":[\"/bin/cat\"]}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1,
	    "a new tool needs a description");
	json_decref(m);

	write_file(path, "{\"builtins\":false,\"tools\":[]}", 0644);
	ok(toolset_load_file(&ts, path, err, sizeof(err)) == 0 && ts.n == 2,
	    "builtins:false drops the built-ins, not tools from manifests");
	toolset_release(&ts);

	toolset_init(&ts);
	m = J("[{\"name\":\"bad name\",\"description\":\"d\","
	    "\"input_schema\":{\"type\":\"object\"},\"argv\":[\"x\"]}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1,
	    "bad name refused");
	is_str(err, "m: tools[0].name: expected 1-64 letters, digits, '_' "
	    "or '-'", "message names the field");
	json_decref(m);
	m = J("[{\"name\":\"t\",\"description\":\"d\","
	    "\"input_schema\":{\"type\":\"object\"},\"argv\":[]}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1,
	    "empty argv refused");
	is_str(err, "m: tools[0].argv: expected a non-empty array of strings",
	    "argv message");
	json_decref(m);
	m = J("[{\"name\":\"t\",\"description\":\"d\",\"input_schema\":"
	    "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\","
	    "\"pattern\":\"^a\"}}},\"argv\":[\"x\"]}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1,
	    "unsupported keyword refused");
	is_str(err, "m: tools[0].input_schema: properties.q: unsupported "
	    "keyword 'pattern'", "keyword message");
	json_decref(m);
	m = J("[{\"name\":\"t\",\"description\":\"d\",\"input_schema\":"
	    "{\"type\":\"array\"},\"argv\":[\"x\"]}]");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1,
	    "non-object input refused");
	json_decref(m);
	m = J("{\"tools\":{}}");
	ok(toolset_load_json(&ts, m, "m", NULL, err, sizeof(err)) == -1,
	    "tools must be an array");
	json_decref(m);
	snprintf(path, sizeof(path), "%s/broken.json", tap_tmpdir());
	write_file(path, "[{\"name\":", 0644);
	ok(toolset_load_file(&ts, path, err, sizeof(err)) == -1 &&
	    strstr(err, "broken.json:1:") != NULL, "syntax error has a line");
	toolset_release(&ts);
}

static void
expect_invalid(const char *schema, const char *value, const char *msg)
{
	json_t *s = J(schema), *v = J(value);
	char err[512] = "";

	ok(tools_validate(s, v, err, sizeof(err)) == -1, "invalid: %s", value);
	is_str(err, msg, "message for invalid input");
	json_decref(s);
	json_decref(v);
}

static void
test_validate(void)
{
	const char *kql = "{\"type\":\"object\",\"properties\":{"
	    "\"query\":{\"type\":\"string\",\"minLength\":1,"
	    "\"maxLength\":10},"
	    "\"max_rows\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}},"
	    "\"required\":[\"query\"],\"additionalProperties\":false}";
	const char *nested = "{\"type\":\"object\",\"properties\":{"
	    "\"list\":{\"type\":\"array\",\"maxItems\":2,\"items\":{"
	    "\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\","
	    "\"enum\":[\"a\",\"b\"]}},\"required\":[\"k\"]}}}}";
	json_t *s, *v;
	char err[256];

	s = J(kql);
	v = J("{\"query\":\"T | take 1\",\"max_rows\":5}");
	ok(tools_validate(s, v, err, sizeof(err)) == 0, "valid input");
	json_decref(v);
	v = J("{\"query\":\"x\",\"max_rows\":3.0}");
	ok(tools_validate(s, v, err, sizeof(err)) == 0,
	    "a whole real is an integer");
	json_decref(v);
	v = J("{\"query\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}");
	ok(tools_validate(s, v, err, sizeof(err)) == 0,
	    "maxLength counts characters, not bytes");
	json_decref(v);
	ok(tools_validate(s, NULL, err, sizeof(err)) == -1, "NULL input");
	json_decref(s);

	expect_invalid(kql, "{}", "input: missing required field 'query'");
	expect_invalid(kql, "{\"query\":5}",
	    "input.query: expected a string, not an integer");
	expect_invalid(kql, "{\"query\":\"\"}",
	    "input.query: expected at least 1 characters");
	expect_invalid(kql, "{\"query\":\"01234567890\"}",
	    "input.query: expected at most 10 characters, got 11");
	expect_invalid(kql, "{\"query\":\"x\",\"max_rows\":6}",
	    "input.max_rows: expected at most 5");
	expect_invalid(kql, "{\"query\":\"x\",\"max_rows\":1.5}",
	    "input.max_rows: expected an integer, not a number");
	expect_invalid(kql, "{\"query\":\"x\",\"rm\":\"-rf\"}",
	    "input: unknown field 'rm'");
	expect_invalid(kql, "[1]", "input: expected an object, not an array");
	expect_invalid(nested, "{\"list\":[{\"k\":\"a\"},{\"k\":\"c\"}]}",
	    "input.list[1].k: expected one of: a, b");
	expect_invalid(nested, "{\"list\":[{\"k\":\"a\"},{},{}]}",
	    "input.list: expected at most 2 items");
	expect_invalid(nested, "{\"list\":[{}]}",
	    "input.list[0]: missing required field 'k'");
	expect_invalid("{\"type\":\"object\",\"additionalProperties\":"
	    "{\"type\":\"integer\"}}", "{\"a\":1,\"b\":\"x\"}",
	    "input.b: expected an integer, not a string");
	expect_invalid("{\"type\":\"object\",\"properties\":{\"a\":"
	    "{\"type\":[\"string\",\"null\"]}}}", "{\"a\":1}",
	    "input.a: an integer is not an allowed type");
}

/* The order runs were told they ended in. */
static size_t told[8], ntold;

static void
on_done(struct tool_run *r, void *arg)
{
	(void)arg;
	if (ntold < 8)
		told[ntold++] = (size_t)(r - (struct tool_run *)arg);
}

static void
test_run(void)
{
	struct tool tools[5];
	struct tool_run runs[5];
	json_t *in;
	char dir[512], p[5][600];
	char *argv[5][2];
	size_t i;

	snprintf(dir, sizeof(dir), "%s", tap_tmpdir());
	snprintf(p[0], sizeof(p[0]), "%s/echo.sh", dir);
	write_file(p[0], "#!/bin/sh\necho \"args:$#\"\ncat\n", 0755);
	snprintf(p[1], sizeof(p[1]), "%s/fail.sh", dir);
	write_file(p[1], "#!/bin/sh\necho 'noise' >&2\n"
	    "echo 'bad query: line 1' >&2\nexit 3\n", 0755);
	snprintf(p[2], sizeof(p[2]), "%s/slow.sh", dir);
	write_file(p[2], "#!/bin/sh\nexec sleep 10\n", 0755);
	snprintf(p[3], sizeof(p[3]), "%s/missing.sh", dir);
	snprintf(p[4], sizeof(p[4]), "%s/jsonerr.sh", dir);
	write_file(p[4], "#!/bin/sh\ncat >/dev/null\n"
	    "echo '{\"error\":{\"message\":\"Syntax error at 1:5\"}}'\n"
	    "echo 'x' >&2\nexit 3\n", 0755);
	in = J("{\"query\":\"it's \\\"quoted\\\"; rm -rf /\"}");
	memset(tools, 0, sizeof(tools));
	memset(runs, 0, sizeof(runs));
	for (i = 0; i < 5; i++) {
		argv[i][0] = p[i];
		argv[i][1] = NULL;
		tools[i].argv = argv[i];
		tools[i].timeout_ms = 5000;
		runs[i].tool = &tools[i];
		runs[i].input = in;
		runs[i].done = on_done;
		runs[i].done_arg = runs;
	}
	runs[2].timeout_ms = 200;
	ok(tools_run_many(runs, 5) == 0, "ran five at once");
	is_int((long long)ntold, 5, "each told once");
	is_int((long long)told[4], 2, "the slow one told last, as it ended");
	is_int(runs[0].status, 0, "echo exits 0");
	is_str(runs[0].out, "args:0\n{\"query\":\"it's \\\"quoted\\\"; rm -rf "
	    "/\"}\n", "input is one JSON line on stdin; argv carries none "
	    "of it");
	ok(!runs[0].is_error && runs[0].message == NULL, "not an error");
	ok(runs[1].is_error, "non-zero exit is an error");
	ok(runs[1].message != NULL && strstr(runs[1].message,
	    "failed (exit status 3): noise\nbad query: line 1") != NULL,
	    "message has the exit status and stderr");
	ok(runs[2].is_error && runs[2].timed_out, "deadline kills");
	ok(runs[2].message != NULL && strstr(runs[2].message, "timed out")
	    != NULL, "timed out message");
	ok(runs[3].is_error && (runs[3].status == -1 ||
	    runs[3].status == 127), "missing program is an error result");
	ok(runs[3].message != NULL, "with a message");
	ok(runs[4].is_error && runs[4].message != NULL &&
	    strstr(runs[4].message, "Syntax error at 1:5") != NULL &&
	    strstr(runs[4].message, ": x") == NULL,
	    "a JSON error on stdout is the message");
	for (i = 0; i < 5; i++)
		tool_run_release(&runs[i]);
	json_decref(in);
}

static char *
bound(const char *s, const struct tool_bounds *b, int *cut)
{
	return tools_bound(s, strlen(s), b, cut);
}

static void
test_bound(void)
{
	struct tool_bounds b = { 5, 4096, 20 };
	char *s, *big;
	int cut;
	json_t *v;
	size_t i, n;
	char summary[64];
	struct tool_run r;

	/* A KQL table with 30 rows: the first 5 and a note. */
	{
		char tbl[8192];

		n = (size_t)snprintf(tbl, sizeof(tbl),
		    "{\"columns\":[{\"name\":"
		    "\"a\",\"type\":\"long\"}],\"rows\":[");
		for (i = 0; i < 30; i++)
			n += (size_t)snprintf(tbl + n, sizeof(tbl) - n,
			    "%s[\"abcdefghijklmnopqrstuvwxyz\",%zu]",
			    i ? "," : "", i);
		n += (size_t)snprintf(tbl + n, sizeof(tbl) - n,
		    "],\"row_count\":30,\"returned_rows\":30,"
		    "\"truncated\":false,\"partial_error\":null}\n");
		s = tools_bound(tbl, n, &b, &cut);
		v = json_loads(s, 0, NULL);
		ok(v != NULL, "bounded table is still JSON");
		is_int((long long)json_array_size(json_object_get(v, "rows")),
		    5, "first max_rows rows kept");
		is_int(json_integer_value(json_object_get(v, "shown_rows")), 5,
		    "shown_rows says so");
		ok(strstr(json_string_value(json_object_get(v, "note")),
		    "first 5 of 30 rows shown") != NULL, "note for the model");
		ok(cut, "truncated flag");
		json_decref(v);
		free(s);
		memset(&r, 0, sizeof(r));
		r.out = tbl;
		r.out_len = n;
		tools_summarise(&r, summary, sizeof(summary));
		is_str(summary, "30 rows", "summary of a table");

		/* Byte bound smaller than 5 rows: fewer rows, still JSON. */
		b.max_bytes = 400;
		b.max_rows = 30;
		s = tools_bound(tbl, n, &b, &cut);
		v = json_loads(s, 0, NULL);
		ok(v != NULL && strlen(s) <= 400, "byte bound keeps JSON");
		ok(json_array_size(json_object_get(v, "rows")) < 30,
		    "by dropping rows");
		json_decref(v);
		free(s);
		b.max_bytes = 4096;
		b.max_rows = 5;
	}
	/* Long cells are cut with a marker. */
	s = bound("{\"a\":\"0123456789012345678901234567890123456789\"}",
	    &b, &cut);
	is_str(s, "{\"a\":\"01234567890123456789\xe2\x80\xa6[20 more bytes]"
	    "\"}\n",
	    "long string cut with a marker");
	ok(cut, "cut flagged");
	free(s);
	/* A cut never splits a UTF-8 sequence. */
	s = bound("{\"a\":\"0123456789012345678\xc3\xa9xxxxxxxxx\"}", &b, &cut);
	ok(strstr(s, "0123456789012345678\xe2\x80\xa6") != NULL,
	    "cut before a multibyte character");
	free(s);
	/* NDJSON records: the first five, then a note. */
	s = bound("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n"
	    "{\"n\":5}\n{\"n\":6}\n{\"n\":7}\n", &b, &cut);
	is_str(s, "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n"
	    "{\"note\":\"2 more records not shown\"}\n", "records bounded");
	free(s);
	/* Small output passes unchanged (compacted). */
	s = bound("{\"type\":\"technique\",\"id\":\"T1059\"}\n", &b, &cut);
	is_str(s, "{\"type\":\"technique\",\"id\":\"T1059\"}\n",
	    "small output as is");
	ok(!cut, "not flagged");
	free(s);
	/* Text: lines cut and counted. */
	s = bound("short\nthis line is much longer than twenty\n", &b, &cut);
	is_str(s, "short\nthis line is much lo\xe2\x80\xa6[16 more bytes]\n",
	    "text line cut");
	free(s);
	/* Anything: never more than max_bytes plus a marker. */
	big = malloc(100000);
	memset(big, 'x', 100000);
	b.max_cell = 1000000;
	b.max_rows = 1000000;
	s = tools_bound(big, 100000, &b, &cut);
	ok(strlen(s) < 4096 + 40, "hard byte bound (%zu)", strlen(s));
	ok(cut, "flagged");
	free(s);
	free(big);
	s = bound("", &b, &cut);
	is_str(s, "", "empty output");
	free(s);
	/* Text that is not text: a NUL is marked, not an end; a byte that
	 * is not UTF-8 is marked, so the request stays sendable. */
	b.max_bytes = 4096;
	s = tools_bound("ok start\0hidden\n", 16, &b, &cut);
	is_str(s, "ok start\xef\xbf\xbdhidden\n", "NUL marked, rest kept");
	ok(!cut, "not flagged as cut");
	free(s);
	s = tools_bound("caf\xe9\n", 5, &b, &cut);
	is_str(s, "caf\xef\xbf\xbd\n", "Latin-1 byte marked");
	free(s);
	{
		json_t *o = J("{\"a\":[\"0123456789abcdef\","
		    "{\"b\":\"short\"}]}");

		is_int((long long)tools_cut_strings(o, 10), 1,
		    "one string cut");
		is_str(json_string_value(json_array_get(json_object_get(o, "a"),
		    0)), "0123456789\xe2\x80\xa6[6 more bytes]", "in place");
		json_decref(o);
	}
}

int
main(void)
{
	test_builtin();
	test_manifest();
	test_validate();
	test_run();
	test_bound();
	return tap_done();
}
