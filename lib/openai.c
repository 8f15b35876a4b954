/*
 * openai: the chat completions wire format, as OpenAI, Azure OpenAI,
 * Ollama, vLLM and llama.cpp speak it.  Differences between servers are
 * absorbed here: arguments may come back as a string (the standard) or an
 * object (some local servers), content may be "" or null beside tool
 * calls, ids may be missing, usage may be missing.  Arguments that are not
 * a JSON object are not fatal: the call is answered with an error message
 * so the model can correct itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonx.h"
#include "model.h"

static char *
request_body(const struct model_request *req)
{
	json_t *body, *msgs, *tools, *fn;
	size_t i;
	char *s;

	body = json_object();
	if (body == NULL)
		return NULL;
	json_object_set_new(body, "model", json_string(req->model));
	msgs = json_array();
	if (req->system != NULL)
		json_array_append_new(msgs, json_pack("{s:s,s:s}", "role",
		    "system", "content", req->system));
	for (i = 0; i < json_array_size(req->messages); i++)
		json_array_append(msgs, json_array_get(req->messages, i));
	json_object_set_new(body, "messages", msgs);
	if (json_array_size(req->tools) > 0) {
		tools = json_array();
		for (i = 0; i < json_array_size(req->tools); i++) {
			const json_t *t = json_array_get(req->tools, i);

			fn = json_pack("{s:O,s:O,s:O}", "name",
			    json_object_get(t, "name"), "description",
			    json_object_get(t, "description"), "parameters",
			    json_object_get(t, "input_schema"));
			json_array_append_new(tools, json_pack("{s:s,s:o}",
			    "type", "function", "function", fn));
		}
		json_object_set_new(body, "tools", tools);
		/* llama.cpp makes one call a turn unless asked for more. */
		json_object_set_new(body, "parallel_tool_calls", json_true());
		if (req->force_tool != NULL)
			json_object_set_new(body, "tool_choice",
			    json_pack("{s:s,s:{s:s}}", "type", "function",
			    "function", "name", req->force_tool));
	}
	if (req->max_tokens > 0)
		json_object_set_new(body, req->max_tokens_field != NULL ?
		    req->max_tokens_field : "max_tokens",
		    json_integer(req->max_tokens));
	if (req->has_temperature)
		json_object_set_new(body, "temperature",
		    json_real(req->temperature));
	json_object_set_new(body, "stream", json_false());
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return s;
}

static int
fail(char *err, size_t errsz, const char *msg)
{
	snprintf(err, errsz, "%s", msg);
	return -1;
}

static long long
count(const json_t *o, const char *key)
{
	long long v = jx_int(o, key, 0);

	return v > 0 ? v : 0;
}

/* The text of a content that is a string or an array of text parts. */
static void
content_text(const json_t *c, struct buf *b)
{
	size_t i;
	const char *t;

	if (json_is_string(c)) {
		buf_adds(b, json_string_value(c));
		return;
	}
	for (i = 0; i < json_array_size(c); i++) {
		t = jx_str(json_array_get(c, i), "text");
		if (t != NULL) {
			if (b->len > 0)
				buf_addc(b, '\n');
			buf_adds(b, t);
		}
	}
}

/* Reads one tool call into c and returns the call as it must be echoed
 * back (arguments always a string), or NULL. */
static json_t *
read_call(const json_t *tc, size_t idx, struct model_call *c)
{
	const json_t *fn = json_object_get(tc, "function"), *args;
	json_t *in, *echo;
	char id[32], *astr = NULL;
	const char *a;

	if (jx_nstr(fn, "name") == NULL)
		return NULL;
	if (jx_nstr(tc, "id") != NULL) {
		c->id = strdup(jx_str(tc, "id"));
	} else {
		/* Old local servers send no ids; the echo carries ours. */
		snprintf(id, sizeof(id), "call_%zu", idx + 1);
		c->id = strdup(id);
	}
	c->name = strdup(jx_str(fn, "name"));
	args = json_object_get(fn, "arguments");
	if (json_is_object(args)) {
		c->input = json_incref((json_t *)args);
		astr = json_dumps(args, JSON_COMPACT);
		a = astr;
	} else if (json_is_string(args)) {
		a = json_string_value(args);
		in = a[0] == '\0' ? json_object() :
		    json_loads(a, 0, NULL);
		if (json_is_object(in)) {
			c->input = in;
		} else {
			json_decref(in);
			c->input_error = strdup("the arguments are not a JSON "
			    "object");
		}
	} else {
		a = "{}";
		if (args == NULL || json_is_null(args))
			c->input = json_object();
		else
			c->input_error = strdup("the arguments are not a "
			    "JSON object");
	}
	echo = json_pack("{s:s,s:s,s:{s:s,s:s}}", "id", c->id, "type",
	    "function", "function", "name", c->name, "arguments",
	    a != NULL ? a : "{}");
	free(astr);
	return echo;
}

static int
parse_reply(const char *body, size_t len, struct model_reply *r, char *err,
    size_t errsz)
{
	json_t *root, *choice, *msg, *calls, *echo, *echoed, *usage;
	const char *finish, *refusal;
	struct buf text;
	size_t i, n;
	int rc = -1;

	root = json_loadb(body, len, 0, NULL);
	if (root == NULL)
		return fail(err, errsz, "the response is not JSON");
	buf_init(&text);
	choice = json_array_get(json_object_get(root, "choices"), 0);
	msg = json_object_get(choice, "message");
	if (!json_is_object(root) || !json_is_object(msg)) {
		fail(err, errsz, "the response has no choices[0].message");
		goto out;
	}
	/* Ollama says who it is, and it ignores tool_choice. */
	r->ignores_tool_choice = jx_str(root, "system_fingerprint") != NULL &&
	    strcmp(jx_str(root, "system_fingerprint"), "fp_ollama") == 0;
	if (jx_nstr(root, "id") != NULL)
		r->id = strdup(jx_str(root, "id"));
	finish = jx_str(choice, "finish_reason");
	r->stop_reason = strdup(finish != NULL ? finish : "");
	content_text(json_object_get(msg, "content"), &text);
	calls = json_object_get(msg, "tool_calls");
	n = json_array_size(calls);
	r->calls = calloc(n > 0 ? n : 1, sizeof(*r->calls));
	echoed = json_array();
	if (r->calls == NULL || echoed == NULL || r->stop_reason == NULL) {
		json_decref(echoed);
		fail(err, errsz, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		echo = read_call(json_array_get(calls, i), i,
		    &r->calls[r->ncalls]);
		r->ncalls++;
		if (echo == NULL) {
			json_decref(echoed);
			fail(err, errsz, "a tool call has no function name");
			goto out;
		}
		json_array_append_new(echoed, echo);
	}
	refusal = jx_nstr(msg, "refusal");
	if (refusal != NULL) {
		r->stop = MODEL_STOP_REFUSAL;
		r->refusal = strdup(refusal);
	} else if (finish != NULL && strcmp(finish, "content_filter") == 0) {
		r->stop = MODEL_STOP_REFUSAL;
		r->refusal = strdup("the server's content filter stopped the "
		    "answer");
	} else if (finish != NULL && strcmp(finish, "length") == 0) {
		r->stop = MODEL_STOP_MAX_TOKENS;
	} else if (r->ncalls > 0) {
		/* Decided by the calls, not finish_reason: servers vary. */
		r->stop = MODEL_STOP_TOOL_USE;
	} else if (finish == NULL || strcmp(finish, "stop") == 0 ||
	    strcmp(finish, "tool_calls") == 0 || finish[0] == '\0') {
		r->stop = MODEL_STOP_END;
	} else {
		r->stop = MODEL_STOP_UNKNOWN;
	}
	if (text.len > 0 || r->ncalls > 0) {
		r->message = json_pack("{s:s}", "role", "assistant");
		json_object_set_new(r->message, "content", text.len > 0 ?
		    json_string(buf_str(&text)) : json_null());
		if (r->ncalls > 0)
			json_object_set_new(r->message, "tool_calls", echoed);
		else
			json_decref(echoed);
	} else
		json_decref(echoed);
	r->text = buf_steal(&text);
	if (r->text == NULL)
		r->text = strdup("");
	usage = json_object_get(root, "usage");
	n = (size_t)count(jx_path(usage, "prompt_tokens_details"),
	    "cached_tokens");
	r->usage.input_tokens = count(usage, "prompt_tokens");
	r->usage.cache_read_tokens = (long long)n;
	if (r->usage.input_tokens >= (long long)n)
		r->usage.input_tokens -= (long long)n;
	r->usage.output_tokens = count(usage, "completion_tokens");
	rc = r->text != NULL ? 0 : fail(err, errsz, "out of memory");
out:
	buf_release(&text);
	json_decref(root);
	return rc;
}

static int
add_user_text(json_t *messages, const char *text)
{
	/* Bytes that are not UTF-8 become U+FFFD (see anthropic.c). */
	return json_array_append_new(messages, json_pack("{s:s,s:o}", "role",
	    "user", "content", jx_string_lossy(text, strlen(text))));
}

static int
add_tool_results(json_t *messages, const struct model_result *res,
    size_t n, const char *text)
{
	size_t i;
	struct buf b;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		buf_init(&b);
		/* There is no is_error field: the text says it. */
		if (res[i].is_error)
			buf_adds(&b, "error: ");
		buf_adds(&b, res[i].content != NULL && res[i].content[0] !=
		    '\0' ? res[i].content : "(no output)");
		rc = buf_failed(&b) ? -1 : json_array_append_new(messages,
		    json_pack("{s:s,s:s,s:o}", "role", "tool", "tool_call_id",
		    res[i].call_id, "content", jx_string_lossy(buf_str(&b),
		    b.len)));
		buf_release(&b);
	}
	if (rc == 0 && text != NULL && text[0] != '\0')
		rc = add_user_text(messages, text);
	return rc;
}

const struct model_ops model_openai = {
	"openai",
	request_body,
	parse_reply,
	add_user_text,
	add_tool_results,
};
