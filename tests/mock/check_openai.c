/*
 * check_openai: OpenAI-compatible Chat Completions with tool calling
 * (model-apis.md B and the mock checks of C.2, numbered below as
 * there), including Azure OpenAI's deployment paths with api-key and
 * api-version.  Refusals use the error body flavour of the server
 * being emulated (B.4), so the client's tolerant parser is exercised.
 *
 * The validator remembers the tool call arguments its responses issued:
 * a client must echo them unchanged (B.7), even when the model's
 * arguments were not valid JSON (C.3 bad_arguments), so only arguments
 * the mock did not issue must parse as JSON.
 *
 * check_options:
 *   mode        openai (default), azure, azure-v1, ollama, vllm, llamacpp
 *   flavour     error body: openai, azure, ollama, vllm-new, vllm-old,
 *               llamacpp (default: the mode's own)
 *   api_key     the key expected (Bearer, or api-key for azure)
 *   deployment  azure: the deployment expected in the path
 *   api_version azure: the api-version expected
 *   o_series    true, or an array of model globs: reject max_tokens
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

static json_t *oai_issued;		/* tool call id -> arguments */

static const char *
oai_mode(const json_t *opts)
{
	const char *m = check_opt_str(opts, "mode");

	return m != NULL ? m : "openai";
}

static const char *
oai_flavour(const json_t *opts)
{
	const char *f = check_opt_str(opts, "flavour");
	const char *m = oai_mode(opts);

	if (f != NULL)
		return f;
	if (strncmp(m, "azure", 5) == 0)
		return "azure";
	if (strcmp(m, "vllm") == 0)
		return "vllm-new";
	if (strcmp(m, "ollama") == 0 || strcmp(m, "llamacpp") == 0)
		return m;
	return "openai";
}

static const char *
oai_type(const char *flavour, int status)
{
	bool vllm = strncmp(flavour, "vllm", 4) == 0;

	switch (status) {
	case 401:
		return vllm ? "UnauthorizedError" : "authentication_error";
	case 403:
		return vllm ? "ForbiddenError" : "permission_error";
	case 404:
		return vllm ? "NotFoundError" : "not_found_error";
	case 429:
		return vllm ? "RateLimitError" : "rate_limit_error";
	default:
		if (status >= 500)
			return vllm ? "InternalServerError" :
			    strcmp(flavour, "llamacpp") == 0 ? "server_error" :
			    "api_error";
		return vllm ? "BadRequestError" : "invalid_request_error";
	}
}

/* The error body of the flavour; param and code may be NULL. */
static json_t *
oai_body(const char *flavour, int status, const char *message,
    const char *param, const char *code)
{
	const char *type = oai_type(flavour, status);
	char scode[8];

	if (strcmp(flavour, "azure") == 0) {
		snprintf(scode, sizeof(scode), "%d", status);
		return json_pack("{s:{s:s,s:s}}", "error", "code", code !=
		    NULL ? code : scode, "message", message);
	}
	if (strcmp(flavour, "vllm-old") == 0)
		return json_pack("{s:s,s:s,s:s,s:n,s:i}", "object", "error",
		    "message", message, "type", type, "param", "code",
		    status);
	if (strcmp(flavour, "vllm-new") == 0)
		return json_pack("{s:{s:s,s:s,s:n,s:i}}", "error", "message",
		    message, "type", type, "param", "code", status);
	if (strcmp(flavour, "llamacpp") == 0)
		return json_pack("{s:{s:i,s:s,s:s}}", "error", "code", status,
		    "message", message, "type", type);
	if (strcmp(flavour, "ollama") == 0)
		return json_pack("{s:{s:s,s:s,s:n,s:n}}", "error", "message",
		    message, "type", status == 404 ? "not_found_error" :
		    status >= 500 ? "api_error" : "invalid_request_error",
		    "param", "code");
	if (strcmp(flavour, "ollama-native") == 0)
		return json_pack("{s:s}", "error", message);
	if (status == 401 || status == 404)
		type = "invalid_request_error";	/* what OpenAI sends */
	return json_pack("{s:{s:s,s:s,s:o,s:o}}", "error", "message",
	    message, "type", type, "param", param != NULL ?
	    json_string(param) : json_null(), "code", code != NULL ?
	    json_string(code) : json_null());
}

static json_t *
oai_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)req;
	return oai_body(oai_flavour(opts), status, message, NULL, NULL);
}

static void
oai_fail(struct verdict *v, const json_t *opts, int status,
    const char *param, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void
oai_fail(struct verdict *v, const json_t *opts, int status,
    const char *param, const char *code, const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_fail(v, status, oai_body(oai_flavour(opts), status, msg, param,
	    code), "openai: %s", msg);
}

/* Check 1: the path of the mode, and Azure's deployment and version. */
static bool
oai_path(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *mode = oai_mode(opts), *p = req->path;
	const char *pre = "/openai/deployments/", *suf = "/chat/completions";
	const char *want, *ver;
	size_t n = strlen(p);

	if (strcmp(mode, "azure") == 0) {
		if (strncmp(p, pre, strlen(pre)) != 0 || n <= strlen(pre) +
		    strlen(suf) || strcmp(p + n - strlen(suf), suf) != 0 ||
		    memchr(p + strlen(pre), '/', n - strlen(pre) -
		    strlen(suf)) != NULL) {
			oai_fail(v, opts, 404, NULL, NULL, "Resource not "
			    "found");
			return false;
		}
		ver = check_arg(req, "api-version");
		want = check_opt_str(opts, "api_version");
		if (ver == NULL || *ver == '\0' || (want != NULL &&
		    strcmp(ver, want) != 0)) {
			oai_fail(v, opts, 404, NULL, NULL, "Resource not "
			    "found");
			return false;
		}
		want = check_opt_str(opts, "deployment");
		if (want != NULL && (strlen(want) != n - strlen(pre) -
		    strlen(suf) || strncmp(p + strlen(pre), want,
		    strlen(want)) != 0)) {
			oai_fail(v, opts, 404, NULL, "DeploymentNotFound",
			    "The API deployment for this resource does not "
			    "exist. If you created the deployment within the "
			    "last 5 minutes, please wait a moment and try "
			    "again.");
			return false;
		}
		return true;
	}
	want = strcmp(mode, "azure-v1") == 0 ? "/openai/v1/chat/completions" :
	    "/v1/chat/completions";
	if (strcmp(p, want) != 0 || strcmp(req->method, "POST") != 0) {
		oai_fail(v, opts, 404, NULL, NULL, "Invalid URL (%.10s "
		    "%.200s)", req->method, p);
		return false;
	}
	return true;
}

/* Check 2: the auth mode. */
static void
oai_auth(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *mode = oai_mode(opts), *want = check_opt_str(opts,
	    "api_key");
	const char *bearer = check_bearer(req);
	const char *key = util_header(req->headers, "api-key");

	if (strcmp(mode, "ollama") == 0)
		return;
	if (strcmp(mode, "azure") == 0) {
		if ((key == NULL && bearer == NULL) || (want != NULL &&
		    (key != NULL ? strcmp(key, want) != 0 :
		    strcmp(bearer, want) != 0)))
			oai_fail(v, opts, 401, NULL, NULL, "Access denied due "
			    "to invalid subscription key or wrong API "
			    "endpoint. Make sure to provide a valid key for "
			    "an active subscription and use a correct "
			    "regional API endpoint for your resource.");
		return;
	}
	if ((strcmp(mode, "vllm") == 0 || strcmp(mode, "llamacpp") == 0) &&
	    want == NULL)
		return;			/* started without --api-key */
	if (bearer == NULL)
		oai_fail(v, opts, 401, NULL, NULL, "You didn't provide an API "
		    "key. You need to provide your API key in an "
		    "Authorization header using Bearer auth (i.e. "
		    "Authorization: Bearer YOUR_KEY).");
	else if (want != NULL && strcmp(bearer, want) != 0)
		oai_fail(v, opts, 401, NULL, "invalid_api_key", "Incorrect "
		    "API key provided. You can find your API key at "
		    "https://platform.openai.com/account/api-keys.");
}

static bool
oai_name_ok(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return n >= 1 && n <= 64;
}

/* Check 4 on one assistant message; its ids go into pending. */
static void
oai_tool_calls(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const json_t *calls, size_t i, json_t *pending)
{
	char param[80];
	size_t j;

	(void)req;
	if (!json_is_array(calls)) {
		snprintf(param, sizeof(param), "messages.[%zu].tool_calls", i);
		oai_fail(v, opts, 400, param, NULL, "Invalid type for "
		    "'messages[%zu].tool_calls': expected an array", i);
		return;
	}
	for (j = 0; j < json_array_size(calls); j++) {
		json_t *c = json_array_get(calls, j);
		json_t *fn = json_object_get(c, "function"), *args, *parsed;
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *type = json_string_value(json_object_get(c,
		    "type"));
		const char *issued;

		snprintf(param, sizeof(param),
		    "messages.[%zu].tool_calls.[%zu]",
		    i, j);
		if (id == NULL)
			oai_fail(v, opts, 400, param, NULL, "Missing required "
			    "parameter: 'messages[%zu].tool_calls[%zu].id'.",
			    i, j);
		else
			json_object_set_new(pending, id, json_true());
		if (type == NULL || strcmp(type, "function") != 0)
			oai_fail(v, opts, 400, param, NULL, "Invalid value for "
			    "'messages[%zu].tool_calls[%zu].type': expected "
			    "'function'.", i, j);
		if (!json_is_string(json_object_get(fn, "name")))
			oai_fail(v, opts, 400, param, NULL, "Missing required "
			    "parameter: 'messages[%zu].tool_calls[%zu]."
			    "function.name'.", i, j);
		args = json_object_get(fn, "arguments");
		if (!json_is_string(args)) {
			oai_fail(v, opts, 400, param, NULL, "Invalid type for "
			    "'messages[%zu].tool_calls[%zu].function."
			    "arguments': expected a string, but got %s "
			    "instead.", i, j, args == NULL ? "nothing" :
			    json_is_object(args) ? "an object" :
			    "another type");
			continue;
		}
		parsed = json_loads(json_string_value(args), JSON_DECODE_ANY,
		    NULL);
		issued = id != NULL && oai_issued != NULL ?
		    json_string_value(json_object_get(oai_issued, id)) : NULL;
		if (parsed == NULL && (issued == NULL || strcmp(issued,
		    json_string_value(args)) != 0))
			oai_fail(v, opts, 400, param, NULL, "Invalid "
			    "'messages[%zu].tool_calls[%zu].function."
			    "arguments': not valid JSON.", i, j);
		json_decref(parsed);
	}
}

/* Checks 3 to 5 over the messages. */
static void
oai_messages(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const json_t *msgs)
{
	json_t *pending = json_object();
	size_t i, owner = 0;
	char param[40];

	for (i = 0; i < json_array_size(msgs); i++) {
		json_t *m = json_array_get(msgs, i);
		const char *role = json_string_value(json_object_get(m,
		    "role"));
		json_t *calls = json_object_get(m, "tool_calls");

		snprintf(param, sizeof(param), "messages.[%zu].role", i);
		if (role == NULL || (strcmp(role, "system") != 0 &&
		    strcmp(role, "developer") != 0 &&
		    strcmp(role, "user") != 0 &&
		    strcmp(role, "assistant") != 0 &&
		    strcmp(role, "tool") != 0)) {
			oai_fail(v, opts, 400, param, NULL, "Invalid value: "
			    "'%.40s'. Supported values are: 'system', "
			    "'assistant', 'user', 'function', 'tool', and "
			    "'developer'.", role != NULL ? role : "");
			continue;
		}
		if (strcmp(role, "tool") == 0) {
			const char *id = json_string_value(json_object_get(m,
			    "tool_call_id"));

			if (id == NULL)
				oai_fail(v, opts, 400, param, NULL, "Missing "
				    "parameter 'tool_call_id': messages with "
				    "role 'tool' must have a 'tool_call_id'.");
			else if (json_object_get(pending, id) == NULL)
				oai_fail(v, opts, 400, param, NULL, "Invalid "
				    "parameter: messages with role 'tool' must "
				    "be a response to a preceeding message "
				    "with 'tool_calls'.");
			else
				json_object_del(pending, id);
			continue;
		}
		/* A non-tool message: every earlier call must be answered. */
		if (json_object_size(pending) > 0) {
			struct buf ids = { 0 };
			const char *id;
			json_t *x;

			json_object_foreach(pending, id, x) {
				if (ids.len > 0)
					buf_adds(&ids, ", ");
				buf_adds(&ids, id);
			}
			snprintf(param, sizeof(param), "messages.[%zu].role",
			    owner);
			oai_fail(v, opts, 400, param, NULL, "An assistant "
			    "message with 'tool_calls' must be followed by "
			    "tool messages responding to each 'tool_call_id'. "
			    "The following tool_call_ids did not have response "
			    "messages: %.300s", ids.data);
			buf_release(&ids);
			json_object_clear(pending);
		}
		if (strcmp(role, "assistant") == 0 && calls != NULL &&
		    !json_is_null(calls)) {
			owner = i;
			oai_tool_calls(req, opts, v, calls, i, pending);
		} else if (json_object_get(m, "content") == NULL) {
			oai_fail(v, opts, 400, param, NULL, "Missing required "
			    "parameter: 'messages[%zu].content'.", i);
		}
	}
	if (json_object_size(pending) > 0)
		oai_fail(v, opts, 400, NULL, NULL, "An assistant message with "
		    "'tool_calls' must be followed by tool messages "
		    "responding to each 'tool_call_id'. The following "
		    "tool_call_ids did not have response messages.");
	json_decref(pending);
}

/* Check 6. */
static void
oai_tools(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	json_t *tools = json_object_get(req->json, "tools");
	json_t *choice = json_object_get(req->json, "tool_choice");
	json_t *names = json_object();
	char param[48];
	size_t i;

	if (tools != NULL && !json_is_array(tools))
		oai_fail(v, opts, 400, "tools", NULL, "Invalid type for "
		    "'tools': expected an array.");
	for (i = 0; i < json_array_size(tools); i++) {
		json_t *t = json_array_get(tools, i);
		json_t *fn = json_object_get(t, "function");
		const char *type = json_string_value(json_object_get(t,
		    "type"));
		const char *name = json_string_value(json_object_get(fn,
		    "name"));
		json_t *params = json_object_get(fn, "parameters");

		snprintf(param, sizeof(param), "tools[%zu]", i);
		if (type == NULL || strcmp(type, "function") != 0)
			oai_fail(v, opts, 400, param, NULL, "Invalid value for "
			    "'tools[%zu].type': expected 'function'.", i);
		if (name == NULL || !oai_name_ok(name))
			oai_fail(v, opts, 400, param, NULL, "Invalid "
			    "'tools[%zu].function.name': string does not match "
			    "pattern. Expected a string that matches the "
			    "pattern '^[a-zA-Z0-9_-]{1,64}$'.", i);
		else
			json_object_set_new(names, name, json_true());
		if (params != NULL && !json_is_object(params))
			oai_fail(v, opts, 400, param, NULL, "Invalid type for "
			    "'tools[%zu].function.parameters': expected an "
			    "object.", i);
	}
	if (choice != NULL && strcmp(oai_mode(opts), "ollama") == 0)
		check_note(v, "openai: Ollama does not support tool_choice");
	if (json_is_string(choice)) {
		const char *c = json_string_value(choice);

		if (strcmp(c, "none") != 0 && strcmp(c, "auto") != 0 &&
		    strcmp(c, "required") != 0)
			oai_fail(v, opts, 400, "tool_choice", NULL, "Invalid "
			    "value: '%.40s'. Supported values are: 'none', "
			    "'auto', and 'required'.", c);
		else if (strcmp(c, "none") != 0 && tools == NULL)
			oai_fail(v, opts, 400, "tool_choice", NULL, "Invalid "
			    "value for 'tool_choice': 'tool_choice' is only "
			    "allowed when 'tools' are specified.");
	} else if (choice != NULL) {
		const char *name = json_string_value(json_object_get(
		    json_object_get(choice, "function"), "name"));
		const char *type = json_string_value(json_object_get(choice,
		    "type"));

		if (type == NULL || strcmp(type, "function") != 0 ||
		    name == NULL)
			oai_fail(v, opts, 400, "tool_choice", NULL, "Invalid "
			    "'tool_choice': expected {\"type\": \"function\", "
			    "\"function\": {\"name\": ...}}.");
		else if (json_object_get(names, name) == NULL)
			oai_fail(v, opts, 400, "tool_choice", NULL, "Invalid "
			    "'tool_choice': function '%.64s' is not in tools.",
			    name);
	}
	json_decref(names);
}

/* Check 7. */
static void
oai_limits(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const char *model)
{
	json_t *mt = json_object_get(req->json, "max_tokens");
	json_t *mct = json_object_get(req->json, "max_completion_tokens");
	json_t *os = json_object_get(opts, "o_series");
	bool o = json_is_true(os);
	size_t i;

	if (mt != NULL && !json_is_null(mt) && !json_is_integer(mt))
		oai_fail(v, opts, 400, "max_tokens", NULL, "Invalid type for "
		    "'max_tokens': expected an integer.");
	if (mct != NULL && !json_is_null(mct) && !json_is_integer(mct))
		oai_fail(v, opts, 400, "max_completion_tokens", NULL,
		    "Invalid type for 'max_completion_tokens': expected an "
		    "integer.");
	for (i = 0; !o && model != NULL && i < json_array_size(os); i++)
		o = json_is_string(json_array_get(os, i)) && util_glob(
		    json_string_value(json_array_get(os, i)), model);
	if (o && mt != NULL)
		oai_fail(v, opts, 400, "max_tokens", "unsupported_parameter",
		    "Unsupported parameter: 'max_tokens' is not supported "
		    "with this model. Use 'max_completion_tokens' instead.");
}

static void
oai_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	json_t *model, *msgs;

	if (!oai_path(req, opts, v))
		return;
	oai_auth(req, opts, v);
	if (!json_is_object(req->json)) {
		oai_fail(v, opts, 400, NULL, NULL, "We could not parse the "
		    "JSON body of your request. (HINT: This likely means you "
		    "aren't using your HTTP library correctly. The OpenAI API "
		    "expects a JSON payload.)");
		return;
	}
	if (!check_content_type(req, "application/json"))
		check_note(v, "openai: Content-Type should be "
		    "application/json");
	model = json_object_get(req->json, "model");
	if (!json_is_string(model) && strcmp(oai_mode(opts), "azure") != 0)
		oai_fail(v, opts, 400, "model", NULL, "you must provide a "
		    "model parameter");
	msgs = json_object_get(req->json, "messages");
	if (msgs == NULL)
		oai_fail(v, opts, 400, "messages", NULL, "Missing required "
		    "parameter: 'messages'.");
	else if (!json_is_array(msgs) || json_array_size(msgs) == 0)
		oai_fail(v, opts, 400, "messages", NULL, "Invalid 'messages': "
		    "empty array. Expected an array with minimum length 1, "
		    "but got an empty array instead.");
	else
		oai_messages(req, opts, v, msgs);
	oai_tools(req, opts, v);
	oai_limits(req, opts, v, json_string_value(model));
}

/* Remember the arguments each issued tool call carries. */
static void
oai_issue(const json_t *body)
{
	json_t *choices = json_object_get(body, "choices");
	size_t i, j;

	if (oai_issued == NULL)
		oai_issued = json_object();
	for (i = 0; i < json_array_size(choices); i++) {
		json_t *calls = json_object_get(json_object_get(
		    json_array_get(choices, i), "message"), "tool_calls");

		for (j = 0; j < json_array_size(calls); j++) {
			json_t *c = json_array_get(calls, j);
			const char *id = json_string_value(json_object_get(c,
			    "id"));
			json_t *args = json_object_get(json_object_get(c,
			    "function"), "arguments");

			if (id != NULL && json_is_string(args))
				json_object_set(oai_issued, id, args);
		}
	}
}

static const char *
oai_default_message(int status)
{
	switch (status) {
	case 429:
		return "Rate limit reached for requests";
	case 500:
		return "The server had an error while processing your "
		    "request. Sorry about that!";
	case 503:
		return "The engine is currently overloaded, please try again "
		    "later";
	case 401:
		return "Incorrect API key provided.";
	default:
		return "Mock error";
	}
}

/* Fill in one choice: index, role, tool call ids, finish_reason. */
static void
oai_fill_choice(const struct mock_request *req, json_t *ch, size_t i)
{
	json_t *msg = json_object_get(ch, "message"), *calls;
	char id[48];
	size_t j;

	if (json_object_get(ch, "index") == NULL)
		json_object_set_new(ch, "index", json_integer((json_int_t)i));
	if (!json_is_object(msg)) {
		msg = json_pack("{s:s}", "content", "Done.");
		json_object_set_new(ch, "message", msg);
	}
	if (json_object_get(msg, "role") == NULL)
		json_object_set_new(msg, "role", json_string("assistant"));
	calls = json_object_get(msg, "tool_calls");
	for (j = 0; j < json_array_size(calls); j++) {
		json_t *c = json_array_get(calls, j);
		json_t *fn = json_object_get(c, "function"), *args;

		if (json_object_get(c, "id") == NULL) {
			snprintf(id, sizeof(id), "call_mock%06lu%zu", req->seq,
			    j);
			json_object_set_new(c, "id", json_string(id));
		}
		if (json_object_get(c, "type") == NULL)
			json_object_set_new(c, "type", json_string("function"));
		args = json_object_get(fn, "arguments");
		if (args == NULL && json_is_object(fn))
			json_object_set_new(fn, "arguments", json_string("{}"));
		else if (args != NULL && !json_is_string(args)) {
			/* Scenario convenience: an object is serialised. */
			char *s = json_dumps(args, JSON_COMPACT |
			    JSON_ENCODE_ANY);

			json_object_set_new(fn, "arguments",
			    json_string(s != NULL ? s : "{}"));
			free(s);
		}
	}
	if (json_object_get(msg, "content") == NULL)
		json_object_set_new(msg, "content", json_null());
	if (json_object_get(ch, "finish_reason") == NULL)
		json_object_set_new(ch, "finish_reason", json_string(
		    json_array_size(calls) > 0 ? "tool_calls" : "stop"));
	if (json_object_get(ch, "logprobs") == NULL)
		json_object_set_new(ch, "logprobs", json_null());
}

static void
oai_autofill(const struct mock_request *req, const json_t *opts,
    int status, json_t **bodyp, json_t *headers)
{
	json_t *body = *bodyp, *out, *choices, *usage, *x;
	const char *model, *key;
	size_t prompt, completion, i;
	char id[48], *text;

	if (util_header(headers, "x-request-id") == NULL)
		json_object_set_new(headers, "x-request-id", json_string(
		    check_request_id(req, "req_mock_", id, sizeof(id))));
	if (status >= 400) {
		if (body == NULL)
			*bodyp = oai_body(oai_flavour(opts), status,
			    oai_default_message(status), NULL, status == 429 ?
			    "rate_limit_exceeded" : NULL);
		return;
	}
	if (body == NULL)
		body = json_pack("{s:[{s:{s:s}}]}", "choices", "message",
		    "content", "Done.");
	else if (!json_is_object(body))
		return;
	else
		json_incref(body);
	model = json_string_value(json_object_get(req->json, "model"));
	out = json_object();
	x = json_object_get(body, "id");
	json_object_set_new(out, "id", x != NULL ? json_incref(x) :
	    json_string(check_request_id(req, "chatcmpl-mock-", id,
	    sizeof(id))));
	json_object_set_new(out, "object", json_string("chat.completion"));
	json_object_set_new(out, "created", json_integer(
	    (json_int_t)req->now));
	x = json_object_get(body, "model");
	json_object_set_new(out, "model", x != NULL ? json_incref(x) :
	    json_string(model != NULL ? model : "gpt-mock"));
	choices = json_object_get(body, "choices");
	choices = choices != NULL ? json_deep_copy(choices) : json_array();
	for (i = 0; i < json_array_size(choices); i++)
		oai_fill_choice(req, json_array_get(choices, i), i);
	json_object_set_new(out, "choices", choices);
	text = util_dump(json_object_get(req->json, "messages"));
	prompt = (strlen(text) + 3) / 4;
	free(text);
	text = util_dump(choices);
	completion = (strlen(text) + 3) / 4;
	free(text);
	usage = json_pack("{s:I,s:I,s:I,s:{s:i},s:{s:i}}", "prompt_tokens",
	    (json_int_t)prompt, "completion_tokens", (json_int_t)completion,
	    "total_tokens", (json_int_t)(prompt + completion),
	    "prompt_tokens_details", "cached_tokens", 0,
	    "completion_tokens_details", "reasoning_tokens", 0);
	x = json_object_get(body, "usage");
	if (json_is_object(x))
		json_object_update(usage, x);
	json_object_set_new(out, "usage", usage);
	json_object_foreach(body, key, x)
		if (json_object_get(out, key) == NULL)
			json_object_set(out, key, x);
	json_decref(body);
	json_decref(*bodyp);
	*bodyp = out;
}

static void
oai_cleanup(void)
{
	json_decref(oai_issued);
	oai_issued = NULL;
}

const struct check check_openai = {
	.name = "openai",
	.run = oai_run,
	.error = oai_error,
	.autofill = oai_autofill,
	.issued = oai_issue,
	.cleanup = oai_cleanup,
};
