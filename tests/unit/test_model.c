/*
 * test_model: the model APIs' wire formats: request bodies (cache markers,
 * tool choice, no sampling parameters by default), reply parsing for every
 * shape servers send, conversation building and the tolerant error parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model.h"
#include "tap.h"

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

static size_t
count_markers(const json_t *v)
{
	const char *key;
	json_t *x;
	size_t i, n = 0;

	if (json_is_object(v)) {
		if (json_object_get(v, "cache_control") != NULL)
			n++;
		json_object_foreach((json_t *)v, key, x)
			n += count_markers(x);
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			n += count_markers(json_array_get(v, i));
	}
	return n;
}

static json_t *
body_of(const struct model_ops *ops, const struct model_request *req)
{
	char *s = ops->request_body(req);
	json_t *v = s != NULL ? json_loads(s, 0, NULL) : NULL;

	free(s);
	return v;
}

static const char *tools_json =
    "[{\"name\":\"run_kql_query\",\"description\":\"q\",\"input_schema\":"
    "{\"type\":\"object\"}},{\"name\":\"submit_brief\",\"description\":"
    "\"s\",\"input_schema\":{\"type\":\"object\"}}]";

static void
test_anthropic_request(void)
{
	struct model_request req;
	json_t *tools = J(tools_json), *msgs = json_array(), *b;
	struct model_result res[2] = {
		{ "toolu_1", "rows", 0 }, { "toolu_2", "", 1 }
	};

	memset(&req, 0, sizeof(req));
	req.model = "claude-sonnet-4-6";
	req.max_tokens = 8192;
	req.system = "You are an analyst.";
	req.tools = tools;
	req.messages = msgs;
	model_anthropic.add_user_text(msgs, "Investigate.");
	b = body_of(&model_anthropic, &req);
	ok(b != NULL, "body is JSON");
	is_int((long long)count_markers(b), 3, "first request: tools, system, "
	    "message");
	ok(json_object_get(json_array_get(json_object_get(b, "tools"), 1),
	    "cache_control") != NULL, "marker on the last tool");
	ok(json_object_get(json_array_get(json_object_get(b, "tools"), 0),
	    "cache_control") == NULL, "not on the others");
	ok(json_object_get(b, "temperature") == NULL &&
	    json_object_get(b, "tool_choice") == NULL,
	    "no sampling parameters, no tool_choice by default");
	ok(json_object_get(json_array_get(tools, 1), "cache_control") == NULL,
	    "the caller's tools are not changed");
	json_decref(b);

	/* Turn 2 and 3: markers move; never more than four. */
	json_array_append_new(msgs, J("{\"role\":\"assistant\",\"content\":["
	    "{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\"},"
	    "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"x\","
	    "\"input\":{}},{\"type\":\"tool_use\",\"id\":\"toolu_2\","
	    "\"name\":\"x\",\"input\":{}}]}"));
	ok(model_anthropic.add_tool_results(msgs, res, 2, NULL) == 0,
	    "results added");
	json_array_append_new(msgs, J("{\"role\":\"assistant\",\"content\":["
	    "{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\"}]}"
	    ));
	model_anthropic.add_user_text(msgs, "Go on.");
	req.force_tool = "submit_brief";
	b = body_of(&model_anthropic, &req);
	is_int((long long)count_markers(b), 4, "four markers at most");
	ok(json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(b, "messages"), 2), "content"), 1),
	    "cache_control") != NULL, "marker on the previous request's end");
	ok(json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(b, "messages"), 1), "content"), 0),
	    "cache_control") == NULL, "never on thinking");
	is_str(json_string_value(json_object_get(json_object_get(b,
	    "tool_choice"), "name")), "submit_brief", "forced tool");
	is_int((long long)count_markers(msgs), 0, "the conversation itself "
	    "carries no marker");
	json_decref(b);

	/* The results: one user message, text after them, empty -> text. */
	b = json_array_get(msgs, 2);
	is_str(json_string_value(json_object_get(b, "role")), "user",
	    "results in a user message");
	is_str(json_string_value(json_object_get(json_array_get(
	    json_object_get(b, "content"), 1), "content")), "(no output)",
	    "an empty result is never sent empty");
	ok(json_is_true(json_object_get(json_array_get(json_object_get(b,
	    "content"), 1), "is_error")), "is_error set");
	ok(json_object_get(json_array_get(json_object_get(b, "content"), 0),
	    "is_error") == NULL, "is_error only when true");
	json_decref(msgs);

	/* Text joins a user message that ends the conversation. */
	msgs = json_array();
	model_anthropic.add_tool_results(msgs, res, 1, "Budget spent.");
	model_anthropic.add_user_text(msgs, "Submit now.");
	is_int((long long)json_array_size(msgs), 1, "no two user turns");
	is_int((long long)json_array_size(json_object_get(json_array_get(msgs,
	    0), "content")), 3, "result, then both texts");
	json_decref(msgs);
	json_decref(tools);
}

static int
parse(const struct model_ops *ops, const char *body, struct model_reply *r,
    char *err)
{
	model_reply_init(r);
	return ops->parse_reply(body, strlen(body), r, err, 256);
}

static void
test_anthropic_reply(void)
{
	struct model_reply r;
	char err[256];

	ok(parse(&model_anthropic, "{\"id\":\"msg_1\",\"type\":\"message\","
	    "\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\","
	    "\"signature\":\"s\"},{\"type\":\"text\",\"text\":\"  \"},"
	    "{\"type\":\"text\",\"text\":\"Looking.\"},{\"type\":\"tool_use\","
	    "\"id\":\"toolu_1\",\"name\":\"run_kql_query\",\"input\":"
	    "{\"query\":\"T\"}},{\"type\":\"tool_use\",\"id\":\"toolu_2\","
	    "\"name\":\"e\","
	    "\"input\":\"oops\"},{\"type\":\"server_tool_use\",\"id\":\"s\"}],"
	    "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":10,"
	    "\"output_tokens\":5,\"cache_creation_input_tokens\":null}}", &r,
	    err) == 0, "tool_use reply parses");
	ok(r.stop == MODEL_STOP_TOOL_USE, "stop tool_use");
	is_int((long long)r.ncalls, 2, "two calls");
	is_str(r.calls[0].id, "toolu_1", "id");
	ok(r.calls[0].input != NULL && r.calls[1].input == NULL &&
	    r.calls[1].input_error != NULL, "input must be an object");
	is_str(r.text, "Looking.", "text");
	is_int((long long)json_array_size(json_object_get(r.message,
	    "content")), 5, "echo keeps all but the blank text block");
	is_str(json_string_value(json_object_get(json_array_get(
	    json_object_get(r.message, "content"), 4), "type")),
	    "server_tool_use", "unknown blocks kept");
	ok(r.usage.input_tokens == 10 && r.usage.output_tokens == 5 &&
	    r.usage.cache_write_tokens == 0 && r.usage.cache_read_tokens == 0,
	    "usage with null and absent cache fields");
	model_reply_release(&r);

	ok(parse(&model_anthropic, "{\"content\":[],\"stop_reason\":"
	    "\"end_turn\"}", &r, err) == 0, "empty end_turn parses");
	ok(r.stop == MODEL_STOP_END && r.message == NULL && r.text[0] == '\0',
	    "nothing to echo");
	model_reply_release(&r);

	ok(parse(&model_anthropic, "{\"content\":[{\"type\":\"text\",\"text\":"
	    "\"No.\"}],\"stop_reason\":\"refusal\",\"stop_details\":{\"type\":"
	    "\"refusal\",\"category\":\"cyber\",\"explanation\":\"Because.\"}}",
	    &r, err) == 0, "refusal parses");
	ok(r.stop == MODEL_STOP_REFUSAL, "stop refusal");
	is_str(r.refusal, "the model declined (category: cyber): Because.",
	    "refusal surfaced");
	model_reply_release(&r);

	parse(&model_anthropic, "{\"content\":[],\"stop_reason\":\"weird\"}",
	    &r, err);
	ok(r.stop == MODEL_STOP_UNKNOWN, "unknown stop reason");
	is_str(r.stop_reason, "weird", "kept as said");
	model_reply_release(&r);
	parse(&model_anthropic, "{\"content\":[],\"stop_reason\":"
	    "\"model_context_window_exceeded\"}", &r, err);
	ok(r.stop == MODEL_STOP_CONTEXT, "context window");
	model_reply_release(&r);
	parse(&model_anthropic, "{\"content\":[],\"stop_reason\":"
	    "\"pause_turn\"}", &r, err);
	ok(r.stop == MODEL_STOP_PAUSE, "pause_turn");
	model_reply_release(&r);

	ok(parse(&model_anthropic, "{\"id\":", &r, err) == -1 &&
	    strcmp(err, "the response is not JSON") == 0, "broken JSON");
	model_reply_release(&r);
	ok(parse(&model_anthropic, "[1,2]", &r, err) == -1 &&
	    strcmp(err, "the response has no content array") == 0,
	    "an array");
	model_reply_release(&r);
	ok(parse(&model_anthropic, "{\"content\":[]}", &r, err) == -1,
	    "no stop_reason");
	model_reply_release(&r);
	ok(parse(&model_anthropic, "{\"content\":[{\"type\":\"tool_use\"}],"
	    "\"stop_reason\":\"tool_use\"}", &r, err) == -1,
	    "tool_use without id");
	model_reply_release(&r);
	ok(parse(&model_anthropic, "{\"content\":[7],\"stop_reason\":"
	    "\"end_turn\"}", &r, err) == -1, "a block that is not an object");
	model_reply_release(&r);
}

static void
test_openai(void)
{
	struct model_request req;
	struct model_reply r;
	struct model_result res[2] = {
		{ "call_a", "rows", 0 }, { "call_b", "bad", 1 }
	};
	json_t *tools = J(tools_json), *msgs = json_array(), *b, *m;
	char err[256];

	memset(&req, 0, sizeof(req));
	req.model = "gpt-4.1";
	req.max_tokens = 100;
	req.max_tokens_field = "max_completion_tokens";
	req.system = "sys";
	req.tools = tools;
	req.messages = msgs;
	req.force_tool = "submit_brief";
	model_openai.add_user_text(msgs, "Investigate.");
	b = body_of(&model_openai, &req);
	is_str(json_string_value(json_object_get(json_array_get(
	    json_object_get(b, "messages"), 0), "role")), "system",
	    "system first");
	is_str(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(b, "tools"), 0), "function"),
	    "name")), "run_kql_query", "tools as functions");
	ok(json_object_get(json_object_get(json_array_get(json_object_get(b,
	    "tools"), 0), "function"), "parameters") != NULL, "parameters");
	ok(json_integer_value(json_object_get(b, "max_completion_tokens")) ==
	    100 && json_object_get(b, "max_tokens") == NULL,
	    "configured max tokens field");
	is_str(json_string_value(json_object_get(json_object_get(
	    json_object_get(b, "tool_choice"), "function"), "name")),
	    "submit_brief", "forced function");
	ok(json_object_get(b, "temperature") == NULL, "no temperature");
	json_decref(b);

	ok(parse(&model_openai, "{\"id\":\"c\",\"choices\":[{\"message\":{"
	    "\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":"
	    "\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"q\","
	    "\"arguments\":\"{\\\"query\\\":\\\"T\\\"}\"}},{\"type\":"
	    "\"function\",\"function\":{\"name\":\"e\",\"arguments\":"
	    "\"{not json\"}},{\"id\":\"call_c\",\"function\":{\"name\":\"f\","
	    "\"arguments\":{\"ip\":\"1.2.3.4\"}}}]},\"finish_reason\":"
	    "\"stop\"}],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":"
	    "7,\"prompt_tokens_details\":{\"cached_tokens\":60}}}", &r, err) ==
	    0, "tool calls parse");
	ok(r.stop == MODEL_STOP_TOOL_USE, "calls decide, not finish_reason");
	is_int((long long)r.ncalls, 3, "three calls");
	ok(r.calls[0].input != NULL, "string arguments parsed");
	ok(r.calls[1].input == NULL && r.calls[1].input_error != NULL,
	    "bad arguments reported, not fatal");
	is_str(r.calls[1].id, "call_2", "a missing id is made up");
	ok(r.calls[2].input != NULL, "object arguments accepted");
	m = json_object_get(r.message, "tool_calls");
	is_str(json_string_value(json_object_get(json_object_get(
	    json_array_get(m, 1), "function"), "arguments")), "{not json",
	    "arguments echoed as sent");
	is_str(json_string_value(json_object_get(json_object_get(
	    json_array_get(m, 2), "function"), "arguments")),
	    "{\"ip\":\"1.2.3.4\"}", "object arguments echoed as a string");
	is_str(json_string_value(json_object_get(json_array_get(m, 1), "id")),
	    "call_2", "made-up id echoed");
	ok(json_is_null(json_object_get(r.message, "content")),
	    "\"\" beside calls becomes null");
	ok(r.usage.input_tokens == 40 && r.usage.cache_read_tokens == 60 &&
	    r.usage.output_tokens == 7, "cached tokens split out");
	model_reply_release(&r);

	parse(&model_openai, "{\"choices\":[{\"message\":{\"content\":"
	    "\"half\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":"
	    "\"q\",\"arguments\":\"{\\\"q\"}}]},"
	    "\"finish_reason\":\"length\"}]}", &r, err);
	ok(r.stop == MODEL_STOP_MAX_TOKENS, "length wins over calls");
	model_reply_release(&r);
	parse(&model_openai, "{\"choices\":[{\"message\":{\"content\":null,"
	    "\"refusal\":\"I can't.\"},\"finish_reason\":\"stop\"}]}", &r, err);
	ok(r.stop == MODEL_STOP_REFUSAL && strcmp(r.refusal, "I can't.") == 0,
	    "refusal field");
	model_reply_release(&r);
	parse(&model_openai, "{\"choices\":[{\"message\":{\"content\":"
	    "\"x\"},\"finish_reason\":\"content_filter\"}]}", &r, err);
	ok(r.stop == MODEL_STOP_REFUSAL, "content filter");
	model_reply_release(&r);
	parse(&model_openai, "{\"choices\":[{\"message\":{\"content\":"
	    "\"Done.\"},\"finish_reason\":\"stop\"}]}", &r, err);
	ok(r.stop == MODEL_STOP_END && strcmp(r.text, "Done.") == 0 &&
	    r.usage.input_tokens == 0, "plain answer, no usage");
	ok(!r.ignores_tool_choice, "tool_choice assumed honoured");
	model_reply_release(&r);
	parse(&model_openai, "{\"system_fingerprint\":\"fp_ollama\","
	    "\"choices\":[{\"message\":{\"content\":\"Hi\"}}]}", &r, err);
	ok(r.ignores_tool_choice, "Ollama is known by its fingerprint");
	model_reply_release(&r);
	ok(parse(&model_openai, "{\"choices\":[]}", &r, err) == -1,
	    "no choices");
	model_reply_release(&r);
	ok(parse(&model_openai, "{\"choices\":[{\"message\":{\"tool_calls\":"
	    "[{\"function\":{}}]}}]}", &r, err) == -1, "call without name");
	model_reply_release(&r);

	ok(model_openai.add_tool_results(msgs, res, 2, "Budget spent.") == 0,
	    "results added");
	is_int((long long)json_array_size(msgs), 4, "one message per result, "
	    "then the text");
	is_str(json_string_value(json_object_get(json_array_get(msgs, 2),
	    "content")), "error: bad", "errors say so in the text");
	is_str(json_string_value(json_object_get(json_array_get(msgs, 1),
	    "tool_call_id")), "call_a", "tool_call_id");
	json_decref(msgs);
	json_decref(tools);
}

static void
expect_error(long status, const char *body, const char *type,
    const char *msg)
{
	struct model_error e;

	model_parse_error(status, body, body != NULL ? strlen(body) : 0, &e);
	is_str(e.type, type, "error type");
	is_str(e.message, msg, "error message");
}

static void
test_errors(void)
{
	expect_error(400, "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"invalid_request_error\",\"message\":\"messages: text content "
	    "blocks must be non-empty\"},\"request_id\":\"req_1\"}",
	    "invalid_request_error", "messages: text content blocks must be "
	    "non-empty");
	expect_error(429, "{\"error\":{\"code\":\"429\",\"message\":\"Requests "
	    "to the ChatCompletions_Create Operation ... retry after 86400 "
	    "seconds\"}}", "429", "Requests to the ChatCompletions_Create "
	    "Operation ... retry after 86400 seconds");
	expect_error(400, "{\"error\":{\"message\":\"bad\",\"type\":"
	    "\"BadRequestError\",\"param\":null,\"code\":400}}",
	    "BadRequestError", "bad");
	expect_error(400, "{\"object\":\"error\",\"message\":\"old vllm\","
	    "\"type\":\"BadRequestError\",\"code\":400}", "BadRequestError",
	    "old vllm");
	expect_error(500, "{\"error\":\"the model failed\"}", "",
	    "the model failed");
	expect_error(503, "{\"error\":{\"code\":503,\"message\":\"loading\"}}",
	    "503", "loading");
	expect_error(502, "<html><body>\r\nBad gateway</body></html>", "",
	    "<html><body>  Bad gateway</body></html>");
	expect_error(500, NULL, "", "");
}

int
main(void)
{
	test_anthropic_request();
	test_anthropic_reply();
	test_openai();
	test_errors();
	ok(model_ops_find("anthropic") == &model_anthropic &&
	    model_ops_find("openai") == &model_openai &&
	    model_ops_find("none") == NULL, "providers by name");
	return tap_done();
}
