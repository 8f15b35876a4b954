/*
 * test_ndjson: the NDJSON reader and writer: long lines, \r, blank lines,
 * errors as source:line, compact output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"
#include "tap.h"

static FILE *
mem(const char *s, size_t n)
{
	FILE *fp = tmpfile();

	fwrite(s, 1, n, fp);
	rewind(fp);
	return fp;
}

static void
test_basic(void)
{
	const char in[] = "{\"a\":1}\r\n\n   \n{\"b\":2}\n{\"c\":3}";
	struct ndjson_reader r;
	json_t *v;
	FILE *fp = mem(in, sizeof(in) - 1);

	ndjson_init(&r, fp, "in.ndjson");
	v = ndjson_next(&r);
	ok(v != NULL && json_integer_value(json_object_get(v, "a")) == 1,
	    "first record, \\r stripped");
	json_decref(v);
	v = ndjson_next(&r);
	ok(v != NULL && json_object_get(v, "b") != NULL, "blank lines skipped");
	is_int((long long)r.line, 4, "line count includes blank lines");
	json_decref(v);
	v = ndjson_next(&r);
	ok(v != NULL && json_object_get(v, "c") != NULL,
	    "last line without newline");
	json_decref(v);
	ok(ndjson_next(&r) == NULL && !r.failed, "clean end of input");
	ndjson_release(&r);
	fclose(fp);
}

static void
test_errors(void)
{
	const char in[] = "{\"a\":1}\n{\"b\":\n[1,2]\n";
	struct ndjson_reader r;
	json_t *v;
	FILE *fp = mem(in, sizeof(in) - 1);

	ndjson_init(&r, fp, "bad.ndjson");
	v = ndjson_next(&r);
	json_decref(v);
	v = ndjson_next(&r);
	ok(v == NULL && r.failed, "malformed line fails");
	ok(strncmp(r.error, "bad.ndjson:2: ", 14) == 0,
	    "error names source:line (%s)", r.error);
	v = ndjson_next(&r);
	ok(v == NULL && r.failed && strstr(r.error, "bad.ndjson:3:") != NULL &&
	    strstr(r.error, "object") != NULL, "an array is not a record (%s)",
	    r.error);
	ndjson_release(&r);
	fclose(fp);
}

static void
test_long_line(void)
{
	size_t n = 10u << 20, i;
	struct ndjson_reader r;
	char *s;
	json_t *v;
	FILE *fp;

	s = malloc(n + 32);
	memcpy(s, "{\"big\":\"", 8);
	for (i = 8; i < n; i++)
		s[i] = 'x';
	memcpy(s + n, "\"}\n", 3);
	fp = mem(s, n + 3);
	ndjson_init(&r, fp, "<stdin>");
	v = ndjson_next(&r);
	ok(v != NULL && strlen(json_string_value(json_object_get(v, "big"))) ==
	    n - 8, "a 10 MB line is read whole");
	json_decref(v);
	ndjson_release(&r);
	fclose(fp);
	free(s);
}

static void
test_deep_and_nul(void)
{
	size_t depth = 100000, i;
	struct ndjson_reader r;
	char *s;
	json_t *v;
	FILE *fp;

	s = malloc(2 * depth + 2);
	for (i = 0; i < depth; i++)
		s[i] = '[';
	for (i = 0; i < depth; i++)
		s[depth + i] = ']';
	s[2 * depth] = '\n';
	fp = mem(s, 2 * depth + 1);
	ndjson_init(&r, fp, "deep");
	v = ndjson_next(&r);
	ok(v == NULL && r.failed, "100,000-deep nesting is an error, not a "
	    "crash (%s)", r.error);
	ndjson_release(&r);
	fclose(fp);
	free(s);

	fp = mem("{\"a\":\"x\0y\"}\n", 12);
	ndjson_init(&r, fp, "nul");
	v = ndjson_next(&r);
	ok(v == NULL && r.failed, "a raw NUL byte is an error (%s)", r.error);
	ndjson_release(&r);
	fclose(fp);
}

static void
test_write(void)
{
	json_t *v = json_pack("{s:s, s:[i,i], s:{s:b}}", "type", "x", "n",
	    1, 2, "o", "k", 1);
	char *data;
	size_t len;
	FILE *fp = tmpfile();

	ok(ndjson_write(fp, v) == 0, "write succeeds");
	rewind(fp);
	data = calloc(1, 256);
	len = fread(data, 1, 255, fp);
	data[len] = '\0';
	is_str(data, "{\"type\":\"x\",\"n\":[1,2],\"o\":{\"k\":true}}\n",
	    "compact, one line, insertion order");
	free(data);
	json_decref(v);
	fclose(fp);
}

/* A byte-order mark is dropped from the first line only. */
static void
test_bom(void)
{
	const char in[] = "\357\273\277{\"a\":1}\n\357\273\277{\"b\":2}\n";
	struct ndjson_reader r;
	json_t *v;
	FILE *fp = mem(in, sizeof(in) - 1);

	ndjson_init(&r, fp, "bom.ndjson");
	v = ndjson_next(&r);
	ok(v != NULL && json_object_get(v, "a") != NULL,
	    "leading byte-order mark skipped");
	json_decref(v);
	v = ndjson_next(&r);
	ok(v == NULL && r.failed, "a mark past the first line is an error");
	ndjson_release(&r);
	fclose(fp);
}

int
main(void)
{
	test_basic();
	test_errors();
	test_long_line();
	test_deep_and_nul();
	test_write();
	test_bom();
	return tap_done();
}
