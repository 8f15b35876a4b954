/*
 * fuzz_model: the model API reply parsers (Anthropic and OpenAI-compatible)
 * and the tolerant error parser over arbitrary bytes, then the tool output
 * bounds and the schema validator over the same bytes: none may crash,
 * leak or read out of bounds, whatever a server or a tool sends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tools.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_text[] =
    "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\","
    "\"maxLength\":50},\"n\":{\"type\":\"integer\",\"minimum\":1},"
    "\"list\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
    "\"properties\":{\"k\":{\"enum\":[\"a\",\"b\"]}},\"required\":[\"k\"]}"
    "}},\"required\":[\"query\"],\"additionalProperties\":false}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct tool_bounds b = { 5, 512, 40 };
	struct model_reply r;
	struct model_error e;
	json_t *schema, *v;
	char err[256], *s;
	int cut;

	model_reply_init(&r);
	(void)model_anthropic.parse_reply(body, size, &r, err, sizeof(err));
	model_reply_release(&r);
	(void)model_openai.parse_reply(body, size, &r, err, sizeof(err));
	model_reply_release(&r);
	model_parse_error(500, body, size, &e);
	s = tools_bound(body, size, &b, &cut);
	if (s != NULL && strlen(s) > b.max_bytes + 64)
		abort();	/* the bound must hold */
	free(s);
	schema = json_loads(schema_text, 0, NULL);
	v = json_loadb(body, size, 0, NULL);
	if (schema != NULL && v != NULL)
		(void)tools_validate(schema, v, err, sizeof(err));
	json_decref(v);
	json_decref(schema);
	return 0;
}
