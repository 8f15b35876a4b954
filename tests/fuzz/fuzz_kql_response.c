/*
 * fuzz_kql_response: triage-kql's reader of Log Analytics responses
 * (cmd/kql/rawresp.c) and its writers (cmd/kql/output.c) over arbitrary
 * bytes.  Two oracles besides the sanitizers: what the reader accepts,
 * Jansson must accept too (numbers too big for Jansson aside), and every
 * line written in NDJSON and JSON must be valid JSON.
 * FUZZ_SOURCES: cmd/kql/rawresp.c cmd/kql/output.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "rawresp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every line of out is one JSON value; abort() otherwise. */
static void
check_lines(const char *out, size_t len)
{
	const char *p = out, *nl;
	json_error_t jerr;
	json_t *v;

	while (p < out + len) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		if (nl == NULL)
			abort();	/* every line ends with a newline */
		v = json_loadb(p, (size_t)(nl - p), JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, &jerr);
		/* A number too big for Jansson is passed through. */
		if (v == NULL && strstr(jerr.text, "too big") == NULL &&
		    strstr(jerr.text, "overflow") == NULL)
			abort();
		json_decref(v);
		p = nl + 1;
	}
}

static void
write_as(const struct raw_response *r, enum output_format f, long max)
{
	struct output_summary sum;
	struct buf err;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	buf_init(&err);
	fp = open_memstream(&out, &len);
	if (fp == NULL)
		return;
	if (output_raw(fp, r, f, max, &sum, &err) == 0) {
		fclose(fp);
		if (f == OUTPUT_NDJSON || f == OUTPUT_JSON)
			check_lines(out, len);
	} else
		fclose(fp);
	free(out);
	buf_release(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct raw_response r;
	json_error_t jerr;
	struct buf err;
	json_t *j;
	char *body;

	body = malloc(size + 1);
	if (body == NULL)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	buf_init(&err);
	if (raw_response_read(&r, body, size, &err) == 0) {
		j = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &jerr);
		if (j == NULL && strstr(jerr.text, "too big") == NULL &&
		    strstr(jerr.text, "overflow") == NULL)
			abort();
		json_decref(j);
		write_as(&r, OUTPUT_NDJSON, 0);
		write_as(&r, OUTPUT_JSON, 2);
		write_as(&r, OUTPUT_TABLE, 0);
		write_as(&r, OUTPUT_CSV, 1);
	}
	raw_response_release(&r);
	buf_release(&err);
	return 0;
}
