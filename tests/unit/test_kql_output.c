/*
 * test_kql_output: triage-kql's output module (cmd/kql/output.c), built
 * into this test as it is into the program: every column type's
 * conversion and the four formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

#include "kql/output.c"
#include "kql/rawresp.c"

/* The typed JSON for a value given as JSON text, in a column of type. */
static char *
conv(const char *type, const char *value)
{
	struct buf b;
	json_t *v;

	v = json_loads(value, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (v == NULL)
		return strdup("(bad test JSON)");
	buf_init(&b);
	output_json_value(&b, type, v);
	json_decref(v);
	return buf_steal(&b);
}

static void
is_conv(const char *type, const char *value, const char *want)
{
	char *got = conv(type, value);
	char name[200];

	snprintf(name, sizeof(name), "%s %s -> %s", type, value, want);
	is_str(got, want, name);
	free(got);
}

static void
test_types(void)
{
	/* long and int: numbers, 64 bits exact, strings accepted. */
	is_conv("long", "9223372036854775807", "9223372036854775807");
	is_conv("long", "-9223372036854775808", "-9223372036854775808");
	is_conv("long", "\"9007199254740993\"", "9007199254740993");
	is_conv("long", "\"99999999999999999999\"",
	    "\"99999999999999999999\"");
	is_conv("long", "\"12x\"", "\"12x\"");
	is_conv("long", "3.0", "3");
	is_conv("int", "20839", "20839");
	is_conv("int", "\"1\"", "1");
	is_conv("long", "null", "null");
	/* real: the shortest text that reads back the same. */
	is_conv("real", "1.286", "1.286");
	is_conv("real", "0.1", "0.1");
	is_conv("real", "0", "0");
	is_conv("real", "\"1.5\"", "1.5");
	is_conv("real", "\"-2.5e-3\"", "-2.5e-3");
	is_conv("real", "\"NaN\"", "\"NaN\"");
	is_conv("real", "1e300", "1e+300");
	/* bool: true/false whatever the wire says. */
	is_conv("bool", "true", "true");
	is_conv("bool", "false", "false");
	is_conv("bool", "1", "true");
	is_conv("bool", "0", "false");
	is_conv("bool", "\"True\"", "true");
	is_conv("bool", "\"false\"", "false");
	is_conv("bool", "\"maybe\"", "\"maybe\"");
	/* datetime: ISO-8601 UTC, fractional digits as given. */
	is_conv("datetime", "\"2023-04-18T13:10:09.0734545Z\"",
	    "\"2023-04-18T13:10:09.0734545Z\"");
	is_conv("datetime", "\"2017-08-24T06:59:59Z\"",
	    "\"2017-08-24T06:59:59Z\"");
	is_conv("datetime", "\"2024-05-01 10:00:00+02:00\"",
	    "\"2024-05-01T08:00:00Z\"");
	is_conv("datetime", "\"2024-05-01T10:00:00.123+01:00\"",
	    "\"2024-05-01T09:00:00.123Z\"");
	is_conv("datetime", "\"2024-05-01T10:00:00.1234567\"",
	    "\"2024-05-01T10:00:00.1234567Z\"");
	is_conv("datetime", "\"not a time\"", "\"not a time\"");
	is_conv("datetime", "null", "null");
	/* dynamic: JSON text parsed, anything else kept. */
	is_conv("dynamic", "\"[\\\"InitialAccess\\\"]\"", "[\"InitialAccess\"]"
	    "");
	is_conv("dynamic", "\"{\\\"alertsCount\\\":1,\\\"r\\\":0.1}\"",
	    "{\"alertsCount\":1,\"r\":0.1}");
	is_conv("dynamic", "{\"native\":[1,2]}", "{\"native\":[1,2]}");
	is_conv("dynamic", "\"hello\"", "\"hello\"");
	is_conv("dynamic", "\"{not json\"", "\"{not json\"");
	is_conv("dynamic", "\"\"", "\"\"");
	is_conv("dynamic", "\"12\"", "12");
	/* string, guid, timespan: strings, escaped. */
	is_conv("string", "\"a\\\"b\\\\c\\n\\u0001\\u0000z\"",
	    "\"a\\\"b\\\\c\\n\\u0001\\u0000z\"");
	is_conv("string", "5", "\"5\"");
	is_conv("string", "{\"a\":1}", "\"{\\\"a\\\":1}\"");
	is_conv("guid", "\"c157a2e0-0000-4000-8000-000000000001\"",
	    "\"c157a2e0-0000-4000-8000-000000000001\"");
	is_conv("timespan", "\"1.02:03:04.5000000\"",
	    "\"1.02:03:04.5000000\"");
	is_conv("string", "\"caf\\u00e9\"", "\"caf\xc3\xa9\"");
	/* decimal and unknown types: as the wire has them. */
	is_conv("decimal", "\"1.50\"", "\"1.50\"");
	is_conv("decimal", "1.5", "1.5");
	is_conv("sometype", "[true]", "[true]");
}

/* Runs output_result on response text; returns what it wrote. */
static char *
render(const char *response, enum output_format f, long max_rows,
    struct output_summary *sum)
{
	struct output_summary dummy;
	struct buf err;
	json_t *r;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	r = json_loads(response, JSON_ALLOW_NUL, NULL);
	if (r == NULL)
		return strdup("(bad test JSON)");
	buf_init(&err);
	if (output_check(r, &err) == -1) {
		json_decref(r);
		out = buf_steal(&err);
		return out;
	}
	buf_release(&err);
	fp = open_memstream(&out, &len);
	if (output_result(fp, r, f, max_rows, sum != NULL ? sum : &dummy) ==
	    -1)
		fputs("(write failed)", fp);
	fclose(fp);
	json_decref(r);
	return out;
}

/* The same through the raw path (rawresp.c): what live responses take. */
static char *
render_raw(const char *response, enum output_format f, long max_rows,
    struct output_summary *sum)
{
	struct output_summary dummy;
	struct raw_response r;
	struct buf err;
	char *out = NULL, *body;
	size_t len = 0;
	FILE *fp;

	buf_init(&err);
	body = strdup(response);
	if (raw_response_read(&r, body, strlen(body), &err) == -1) {
		raw_response_release(&r);
		return buf_steal(&err);
	}
	fp = open_memstream(&out, &len);
	if (output_raw(fp, &r, f, max_rows, sum != NULL ? sum : &dummy,
	    &err) != 0)
		fputs("(write failed)", fp);
	fclose(fp);
	raw_response_release(&r);
	buf_release(&err);
	return out;
}

/* Both paths agree on response, in NDJSON and JSON, cut or not. */
static void
same_both_ways(const char *response, const char *name)
{
	static const enum output_format fs[] = { OUTPUT_NDJSON, OUTPUT_JSON,
		OUTPUT_TABLE, OUTPUT_CSV };
	char *a, *b, label[200];
	size_t i;
	long n;

	for (i = 0; i < 4; i++)
		for (n = 0; n < 3; n += 2) {
			a = render(response, fs[i], n, NULL);
			b = render_raw(response, fs[i], n, NULL);
			snprintf(label, sizeof(label), "%s: raw = DOM (format "
			    "%zu, max %ld)", name, i, n);
			is_str(b, a, label);
			free(a);
			free(b);
		}
}

static const char small[] =
    "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
    "{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},"
    "{\"name\":\"Account\",\"type\":\"string\"},"
    "{\"name\":\"Count\",\"type\":\"long\"},"
    "{\"name\":\"Tactics\",\"type\":\"dynamic\"}],"
    "\"rows\":["
    "[\"2024-05-01T10:00:00.1234567Z\",\"alice\",\"3\",\"[\\\"Execution\\\"]\"]"
    ","
    "[\"2024-05-01T11:00:00Z\",\"bob, \\\"the builder\\\"\",12,null],"
    "[\"2024-05-01T12:00:00Z\",\"carol\",7,\"{}\"]]}]}";

static void
test_formats(void)
{
	struct output_summary sum;
	char *s;

	s = render(small, OUTPUT_NDJSON, 0, &sum);
	is_str(s,
	    "{\"TimeGenerated\":\"2024-05-01T10:00:00.1234567Z\","
	    "\"Account\":\"alice\",\"Count\":3,\"Tactics\":[\"Execution\"]}\n"
	    "{\"TimeGenerated\":\"2024-05-01T11:00:00Z\","
	    "\"Account\":\"bob, \\\"the builder\\\"\",\"Count\":12,"
	    "\"Tactics\":null}\n"
	    "{\"TimeGenerated\":\"2024-05-01T12:00:00Z\",\"Account\":\"carol\","
	    "\"Count\":7,\"Tactics\":{}}\n", "ndjson rows");
	is_int((long long)sum.row_count, 3, "three rows");
	ok(!sum.truncated && sum.partial_error == NULL, "complete");
	free(s);

	s = render(small, OUTPUT_JSON, 2, &sum);
	is_str(s,
	    "{\"columns\":[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},"
	    "{\"name\":\"Account\",\"type\":\"string\"},{\"name\":\"Count\","
	    "\"type\":\"long\"},{\"name\":\"Tactics\",\"type\":\"dynamic\"}],"
	    "\"rows\":[[\"2024-05-01T10:00:00.1234567Z\",\"alice\",3,"
	    "[\"Execution\"]],[\"2024-05-01T11:00:00Z\","
	    "\"bob, \\\"the builder\\\"\",12,null]],\"row_count\":3,"
	    "\"returned_rows\":2,\"truncated\":true,\"partial_error\":null}\n",
	    "json, cut at two rows");
	ok(sum.truncated && sum.returned_rows == 2, "summary says truncated");
	free(s);

	s = render(small, OUTPUT_CSV, 0, NULL);
	is_str(s, "TimeGenerated,Account,Count,Tactics\r\n"
	    "2024-05-01T10:00:00.1234567Z,alice,3,\"[\"\"Execution\"\"]\"\r\n"
	    "2024-05-01T11:00:00Z,\"bob, \"\"the builder\"\"\",12,\r\n"
	    "2024-05-01T12:00:00Z,carol,7,{}\r\n", "csv (RFC 4180)");
	free(s);

	s = render(small, OUTPUT_TABLE, 1, NULL);
	is_str(s,
	    "TimeGenerated                 Account  Count  Tactics\n"
	    "----------------------------  -------  -----  -------------\n"
	    "2024-05-01T10:00:00.1234567Z  alice        3  [\"Execution\"]\n"
	    "(1 of 3 rows)\n", "table, one row of three");
	free(s);
}

static void
test_table_safety(void)
{
	char *s;

	s = render("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	    "{\"name\":\"C\\u001b[2J\",\"type\":\"string\"}],\"rows\":["
	    "[\"evil\\u001b]0;title\\u0007x\\ty\\u0085\"],"
	    "[\"0123456789012345678901234567890123456789012345678901234\"]"
	    "]}]}", OUTPUT_TABLE, 0, NULL);
	is_str(s,
	    "C?[2J\n"
	    "-----------------------------------------------\x2d\n"
	    "evil?]0;title?x y?\n"
	    "01234567890123456789012345678901234567890123456\xe2\x80\xa6\n"
	    "(2 rows)\n", "control characters replaced, long cells cut");
	free(s);
}

static void
test_tables(void)
{
	struct output_summary sum;
	char *s;

	/* No tables (a 204) and an empty table: zero rows. */
	s = render("{\"tables\":[]}", OUTPUT_JSON, 0, &sum);
	is_str(s, "{\"columns\":[],\"rows\":[],\"row_count\":0,"
	    "\"returned_rows\":0,\"truncated\":false,\"partial_error\":null}\n",
	    "no tables: an empty result");
	free(s);
	s = render("{\"tables\":[]}", OUTPUT_NDJSON, 0, &sum);
	is_str(s, "", "no tables: no rows");
	free(s);
	/* PrimaryResult wins over a table before it. */
	s = render("{\"tables\":[{\"name\":\"Other\",\"columns\":[{\"name\":"
	    "\"x\",\"type\":\"int\"}],\"rows\":[[1]]},{\"name\":"
	    "\"PrimaryResult\",\"columns\":[{\"name\":\"y\",\"type\":\"int\"}],"
	    "\"rows\":[[2]]}]}", OUTPUT_NDJSON, 0, &sum);
	is_str(s, "{\"y\":2}\n", "PrimaryResult first");
	is_int((long long)sum.other_tables, 1, "one table left out");
	free(s);
	/* Short rows give nulls; extra cells are ignored. */
	s = render("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	    "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":"
	    "\"int\"}],\"rows\":[[1],[1,2,3]]}]}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "{\"a\":1,\"b\":null}\n{\"a\":1,\"b\":2}\n", "ragged rows");
	free(s);
	/* A partial result carries its error. */
	s = render("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	    "{\"name\":\"a\",\"type\":\"int\"}],\"rows\":[[1]]}],\"error\":"
	    "{\"code\":\"PartialError\",\"message\":\"m\"}}", OUTPUT_JSON, 0,
	    &sum);
	is_str(s, "{\"columns\":[{\"name\":\"a\",\"type\":\"int\"}],"
	    "\"rows\":[[1]],\"row_count\":1,\"returned_rows\":1,"
	    "\"truncated\":false,\"partial_error\":{\"code\":\"PartialError\","
	    "\"message\":\"m\"}}\n", "partial_error in json");
	ok(sum.partial_error != NULL, "summary has the partial error");
	free(s);
}

static void
test_check(void)
{
	char *s;

	s = render("[]", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "the response is not a JSON object", "not an object");
	free(s);
	s = render("{\"tables\":{}}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "the response's \"tables\" is not an array", "bad tables");
	free(s);
	s = render("{\"tables\":[{\"columns\":[{\"name\":\"a\"}],\"rows\":"
	    "[[1],2]}]}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "tables[0].rows[1] is not an array", "bad row");
	free(s);
	s = render("{\"tables\":[{\"columns\":[{\"type\":\"int\"}],"
	    "\"rows\":[]}]}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "tables[0].columns[0] has no \"name\"", "nameless column");
	free(s);
}

static void
test_describe(void)
{
	struct buf b;
	json_t *e;

	e = json_loads("{\"code\":\"BadArgumentError\",\"message\":\"The "
	    "request had some invalid properties\",\"innererror\":{\"code\":"
	    "\"SemanticError\",\"message\":\"A semantic error occurred.\","
	    "\"innererror\":{\"code\":\"SEM0100\",\"message\":\"'where' "
	    "operator: Failed to resolve table or column expression named "
	    "'Foo'\"}},\"details\":[{\"code\":\"EngineError\",\"message\":"
	    "\"x\"}]}", 0, NULL);
	buf_init(&b);
	output_describe_error(&b, e);
	is_str(buf_str(&b), "BadArgumentError: The request had some invalid "
	    "properties\n  SemanticError: A semantic error occurred.\n"
	    "    SEM0100: 'where' operator: Failed to resolve table or column "
	    "expression named 'Foo'\n  EngineError: x", "the whole chain");
	buf_release(&b);
	json_decref(e);
}

static const char types[] =
    "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
    "{\"name\":\"T\",\"type\":\"datetime\"},{\"name\":\"O\",\"type\":\"datetime"
    "\"},"
    "{\"name\":\"S\",\"type\":\"string\"},{\"name\":\"G\",\"type\":\"guid\"},"
    "{\"name\":\"L\",\"type\":\"long\"},{\"name\":\"LS\",\"type\":\"long\"},"
    "{\"name\":\"I\",\"type\":\"int\"},{\"name\":\"R\",\"type\":\"real\"},"
    "{\"name\":\"RS\",\"type\":\"real\"},{\"name\":\"B\",\"type\":\"bool\"},"
    "{\"name\":\"BN\",\"type\":\"bool\"},{\"name\":\"BS\",\"type\":\"bool\"},"
    "{\"name\":\"D\",\"type\":\"dynamic\"},{\"name\":\"DN\",\"type\":\"dynamic"
    "\"},"
    "{\"name\":\"DP\",\"type\":\"dynamic\"},{\"name\":\"X\",\"type\":\"decimal"
    "\"},"
    "{\"name\":\"TS\",\"type\":\"timespan\"},{\"name\":\"SN\",\"type\":\"string"
    "\"}],"
    "\"rows\":[[\"2023-04-18T13:10:09.0734545Z\",\"2024-05-01 10:00:00+02:00\","
    "\"a\\\"b\\\\c\\t\\u00e9\\ud83d\\ude00\\/\",\"c157a2e0-0000-4000-8000-00000"
    "0000001\","
    "9223372036854775807,\"-42\",20839,1.286,\"0.5\",true,0,\"True\","
    "\"{\\\"a\\\":[1,2],\\\"b\\\":\\\"x\\\"}\",[1,{\"k\":null}],\"hello\","
    "\"12.50\",\"00:05:00\",17],"
    "[null,\"junk\",null,null,null,\"1x\",null,null,\"NaN\",null,2,\"no\","
    "\"[bad\",null,\"\",1.5,null,true]]}]}";

/* What only the raw path does: spelling kept, escapes read. */
static void
test_raw(void)
{
	char *s;

	s = render_raw("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	    "{\"name\":\"L\",\"type\":\"long\"},{\"name\":\"R\",\"type\":"
	    "\"real\"},{\"name\":\"D\",\"type\":\"dynamic\"},{\"name\":\"S\","
	    "\"type\":\"string\"}],\"rows\":[ [ 123456789012345678901234 , 1.50"
	    " ,"
	    " \" { \\\"a\\\" : [ 1 , 2.0 ] } \" , { \"n\" : [ 1 ] } ] ] } ] }",
	    OUTPUT_NDJSON, 0, NULL);
	is_str(s, "{\"L\":123456789012345678901234,\"R\":1.50,"
	    "\"D\":{\"a\":[1,2.0]},\"S\":\"{\\\"n\\\":[1]}\"}\n",
	    "numbers verbatim, dynamic and native JSON minified");
	free(s);
	s = render_raw("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	    "{\"name\":\"S\",\"type\":\"string\"}],\"rows\":[[\"\\u00e9\\ud83d"
	    "\\ude00\\/\\u0001\"]]}]}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "{\"S\":\"\xc3\xa9\xf0\x9f\x98\x80/\\u0001\"}\n",
	    "escapes read and written canonically");
	free(s);
	s = render_raw("{\"tables\":[{\"columns\":[],\"rows\":[[1],2]}]}",
	    OUTPUT_NDJSON, 0, NULL);
	is_str(s, "tables[0].rows[1] is not an array", "raw: bad row");
	free(s);
	s = render_raw("{\"tables\":[{\"columns\":[],\"rows\":[[1,]]}]}",
	    OUTPUT_NDJSON, 0, NULL);
	is_str(s, "the response is not valid JSON (at byte 36)",
	    "raw: malformed, with the place");
	free(s);
	s = render_raw("{\"tables\":[{\"columns\":[{\"type\":\"int\"}],"
	    "\"rows\":[]}]}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "tables[0].columns[0] has no \"name\"", "raw: nameless");
	free(s);
	s = render_raw("{\"tables\":[]} x", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "the response is not valid JSON (at byte 14)",
	    "raw: trailing junk");
	free(s);
	s = render_raw("{\"tables\":{}}", OUTPUT_NDJSON, 0, NULL);
	is_str(s, "the response's \"tables\" is not an array", "raw: tables");
	free(s);
	s = render_raw("{\"tables\":[{\"name\":\"X\",\"columns\":[{\"name\":"
	    "\"a\",\"type\":\"int\"}],\"rows\":[[1]]},{\"name\":\"PrimaryResult"
	    "\","
	    "\"columns\":[{\"name\":\"b\",\"type\":\"int\"}],\"rows\":[[2]]}],"
	    "\"error\":{\"code\":\"PartialError\"}}", OUTPUT_JSON, 1, NULL);
	is_str(s, "{\"columns\":[{\"name\":\"b\",\"type\":\"int\"}],\"rows\":"
	    "[[2]],\"row_count\":1,\"returned_rows\":1,\"truncated\":false,"
	    "\"partial_error\":{\"code\":\"PartialError\"}}\n",
	    "raw: PrimaryResult and the partial error");
	free(s);
}

static void
diag_doc(const char *doc, size_t n, int scan_ok, const char *why)
{
	size_t i;

	fprintf(stderr, "# scanner %s, Jansson %s (%s): ", scan_ok ?
	    "accepts" : "rejects", scan_ok ? "rejects" : "accepts", why);
	for (i = 0; i < n; i++)
		fprintf(stderr, (unsigned char)doc[i] < 0x20 ||
		    (unsigned char)doc[i] >= 0x7f ? "\\x%02x" : "%c",
		    (unsigned char)doc[i]);
	fputc('\n', stderr);
}

/* A tiny deterministic generator, so failures can be replayed. */
static unsigned long fuzz_state = 12345;

static unsigned
fuzz_rand(void)
{
	fuzz_state = fuzz_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(fuzz_state >> 33);
}

/*
 * The scanner accepts what Jansson accepts, and nothing else, over
 * mutations of JSON texts (numbers too big for Jansson aside).
 */
static void
test_scanner_fuzz(void)
{
	static const char *seeds[] = {
		"{\"a\":[1,-2.5e+3,true,false,null,\"x\\u00e9\\ud83d\\ude00\"]}"
		    "",
		"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",{},[],0,-0,0.0,1E2]",
		"{\"k\":{\"k\":{\"k\":[[[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
		    "\"]]]}}}",
		"  \"just a string\\u0000\"  ",
		"{\"tables\":[{\"name\":\"PrimaryResult\",\"rows\":[[1,\"a\"]]}"
		    "]}",
		/* the edges of UTF-8: U+D7FF, U+0800, U+10FFFF, U+0080 */
		"[\"\xed\x9f\xbf\",\"\xe0\xa0\x80\",\"\xf4\x8f\xbf\xbf\",\"\xc2"
		    "\x80\"]"
	};
	static const char pool[] = "{}[]\",:\\u0123456789abcdefABCDEF.eE+-tfnrl"
	    " "
	    "\x00\x01\x1f\x7f\x80\x8f\x90\x9f\xa0\xbf\xc0\xc1\xc3\xe0\xe2\xed"
	    "\xf0\xf4\xf5\xff\n";
	char doc[256];
	struct raw_value v;
	json_error_t jerr;
	json_t *j;
	size_t n, at, k;
	int i, mism = 0, tried = 0, scan_ok, jansson_ok;

	for (i = 0; i < 40000; i++) {
		const char *seed = seeds[fuzz_rand() % 6];

		n = strlen(seed);
		if (n == 0)
			n = 1;
		memcpy(doc, seed, n);
		for (k = 0; k < 1 + fuzz_rand() % 3; k++) {
			at = fuzz_rand() % n;
			switch (fuzz_rand() % 3) {
			case 0:
				doc[at] = pool[fuzz_rand() %
				    (sizeof(pool) - 1)];
				break;
			case 1:
				if (n < sizeof(doc) - 1) {
					memmove(doc + at + 1, doc + at, n - at);
					doc[at] = pool[fuzz_rand() %
					    (sizeof(pool) - 1)];
					n++;
				}
				break;
			default:
				if (n > 1) {
					memmove(doc + at, doc + at + 1,
					    n - at - 1);
					n--;
				}
			}
		}
		j = json_loadb(doc, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		jansson_ok = j != NULL;
		json_decref(j);
		/* Numbers too big for Jansson are JSON all the same; and
		 * Jansson lets a raw NUL after a number pass, which is
		 * not JSON. */
		if ((!jansson_ok && (strstr(jerr.text, "too big") != NULL ||
		    strstr(jerr.text, "overflow") != NULL)) ||
		    (jansson_ok && memchr(doc, '\0', n) != NULL))
			continue;
		tried++;
		scan_ok = raw_is_json(doc, n, &v);
		if (scan_ok != jansson_ok && mism++ < 5)
			diag_doc(doc, n, scan_ok, jerr.text);
	}
	ok(mism == 0, "scanner agrees with Jansson on %d mutated texts "
	    "(%d disagreements)", tried, mism);
}

int
main(void)
{
	test_types();
	test_formats();
	test_table_safety();
	test_tables();
	test_check();
	test_describe();
	same_both_ways(small, "small");
	same_both_ways(types, "every type");
	same_both_ways("{\"tables\":[]}", "no tables");
	same_both_ways("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":["
	    "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":"
	    "\"int\"}],\"rows\":[[1],[1,2,3],[]]}]}", "ragged rows");
	test_raw();
	test_scanner_fuzz();
	return tap_done();
}
