/*
 * fuzz_ndjson: the NDJSON reader over arbitrary bytes: lines of any length,
 * NULs, invalid UTF-8, deep nesting; every record parsed is re-written.
 */
#include <stdint.h>
#include <stdio.h>

#include "ndjson.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndjson_reader r;
	FILE *in, *out;
	json_t *v;
	char *line;
	size_t len;

	in = fmemopen((void *)data, size > 0 ? size : 1, "r");
	out = fopen("/dev/null", "w");
	if (in == NULL || out == NULL)
		goto done;
	if (size == 0)
		fgetc(in);
	ndjson_init(&r, in, "fuzz");
	while ((line = ndjson_getline(&r, &len)) != NULL) {
		if (!ndjson_is_json_line(line, len))
			continue;
		v = ndjson_parse(&r, line, len);
		if (v != NULL)
			ndjson_write(out, v);
		json_decref(v);
	}
	ndjson_release(&r);
done:
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
	return 0;
}
