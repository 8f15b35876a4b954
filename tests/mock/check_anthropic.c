/*
 * check_anthropic: the Anthropic Messages API (model-apis.md A and the
 * mock checks of C.1, numbered below as there).  Refusals carry the
 * A.7 shape {"type": "error", "error": {"type", "message"},
 * "request_id"} and a request-id header.
 *
 * The validator keeps two kinds of state between requests, both under
 * the server lock: every thinking and redacted_thinking block a
 * response issued (check 15 wants them back byte for byte), and the
 * prompt-cache prefixes seen, for "auto" usage.
 *
 * check_options:
 *   api_key          the x-api-key expected (any non-empty one if unset)
 *   auth_token       a Bearer token accepted instead of x-api-key
 *   strict           (default true) first message user, roles
 *                    alternate, tool names at most 64 characters
 *   thinking_check   (default true) check 15
 *   no_sampling      true, or an array of model globs: check 16
 *   max_body_bytes   (default 32 MiB) check 4
 *   cache_min_tokens a number, or an object of model glob -> number
 *                    ("*" for the rest); default 1024
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "util.h"

static json_t *anth_issued;		/* "sig:..."/"data:..." -> block */
static json_t *anth_cache;		/* prefix hash -> expiry (epoch) */

static const char *
anth_type(int status)
{
	switch (status) {
	case 400:
		return "invalid_request_error";
	case 401:
		return "authentication_error";
	case 402:
		return "billing_error";
	case 403:
		return "permission_error";
	case 404:
		return "not_found_error";
	case 409:
		return "conflict_error";
	case 413:
		return "request_too_large";
	case 429:
		return "rate_limit_error";
	case 504:
		return "timeout_error";
	case 529:
		return "overloaded_error";
	default:
		return status >= 500 ? "api_error" : "invalid_request_error";
	}
}

static const char *
anth_default_message(int status)
{
	switch (status) {
	case 429:
		return "Number of request tokens has exceeded your per-minute "
		    "rate limit";
	case 529:
		return "Overloaded";
	case 500:
		return "Internal server error";
	case 504:
		return "Request timed out";
	case 404:
		return "Not Found";
	case 401:
		return "invalid x-api-key";
	default:
		return "Mock error";
	}
}

static json_t *
anth_body(const struct mock_request *req, int status, const char *message)
{
	char rid[40];

	check_request_id(req, "req_mock_", rid, sizeof(rid));
	return json_pack("{s:s,s:{s:s,s:s},s:s}", "type", "error", "error",
	    "type", anth_type(status), "message", message, "request_id", rid);
}

static json_t *
anth_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)opts;
	return anth_body(req, status, message);
}

static void
anth_fail(const struct mock_request *req, struct verdict *v, int status,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
anth_fail(const struct mock_request *req, struct verdict *v, int status,
    const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_fail(v, status, anth_body(req, status, msg), "anthropic: %s",
	    msg);
}

static bool
anth_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Check 13's marker shape; counts it in *n. */
static void
anth_cache_control(const struct mock_request *req, struct verdict *v,
    const json_t *cc, const char *where, int *n)
{
	const char *type, *ttl;

	if (cc == NULL || json_is_null(cc))
		return;
	(*n)++;
	type = json_string_value(json_object_get(cc, "type"));
	ttl = json_string_value(json_object_get(cc, "ttl"));
	if (type == NULL || strcmp(type, "ephemeral") != 0)
		anth_fail(req, v, 400, "%s.cache_control.type: Input should "
		    "be 'ephemeral'", where);
	if (json_object_get(cc, "ttl") != NULL && (ttl == NULL ||
	    (strcmp(ttl, "5m") != 0 && strcmp(ttl, "1h") != 0)))
		anth_fail(req, v, 400, "%s.cache_control.ttl: Input should be "
		    "'5m' or '1h'", where);
}

/* Checks 7 and 13 on a text block. */
static void
anth_text(const struct mock_request *req, struct verdict *v,
    const json_t *b, const char *where, const char *scope)
{
	const char *text = json_string_value(json_object_get(b, "text"));

	if (text == NULL) {
		anth_fail(req, v, 400, "%s.text: Field required", where);
	} else if (*text == '\0' || anth_blank(text)) {
		if (json_object_get(b, "cache_control") != NULL)
			anth_fail(req, v, 400, "%s.text: cache_control "
			    "cannot be set for empty text blocks", where);
		else if (*text == '\0')
			anth_fail(req, v, 400, "%s: text content blocks must "
			    "be non-empty", scope);
		else
			anth_fail(req, v, 400, "%s: text content blocks must "
			    "contain non-whitespace text", scope);
	}
}

static bool
anth_known_type(const char *t)
{
	static const char *const types[] = {
		"text", "image", "document", "search_result", "tool_use",
		"tool_result", "thinking", "redacted_thinking",
		"server_tool_use", "web_search_tool_result",
		"web_fetch_tool_result", "code_execution_tool_result",
		"mcp_tool_use", "mcp_tool_result", "container_upload", NULL
	};
	size_t i;

	for (i = 0; types[i] != NULL; i++)
		if (strcmp(t, types[i]) == 0)
			return true;
	return false;
}

/* Check 15: the block must be one this server issued, unchanged. */
static void
anth_thinking(const struct mock_request *req, struct verdict *v,
    const json_t *b, const char *type, const char *where)
{
	const char *field = strcmp(type, "thinking") == 0 ? "signature" :
	    "data";
	const char *id = json_string_value(json_object_get(b, field));
	json_t *issued;
	char *key;

	if (id == NULL) {
		anth_fail(req, v, 400, "%s.%s: Field required", where, field);
		return;
	}
	key = xasprintf("%s:%s", field, id);
	issued = anth_issued != NULL ? json_object_get(anth_issued, key) :
	    NULL;
	free(key);
	if (issued == NULL)
		anth_fail(req, v, 400, "%s: Invalid `%s` in `%s` block "
		    "(not issued by this server)", where, field, type);
	else if (!json_equal(issued, (json_t *)b))
		anth_fail(req, v, 400, "%s: `thinking` or `redacted_thinking` "
		    "blocks in the latest assistant message cannot be "
		    "modified. These blocks must remain as they were in the "
		    "original response.", where);
}

/* Checks 6, 7, 9, 13, 15 on one content block. */
static void
anth_block(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const json_t *b, const char *role, size_t i,
    size_t j, int *ncache)
{
	char where[64];
	const char *type;
	json_t *x;

	snprintf(where, sizeof(where), "messages.%zu.content.%zu", i, j);
	type = json_string_value(json_object_get(b, "type"));
	if (!json_is_object(b) || type == NULL) {
		anth_fail(req, v, 400, "%s.type: Field required", where);
		return;
	}
	if (!anth_known_type(type)) {
		anth_fail(req, v, 400, "%s: Input tag '%.40s' found using "
		    "'type' does not match any of the expected tags", where,
		    type);
		return;
	}
	anth_cache_control(req, v, json_object_get(b, "cache_control"),
	    where, ncache);
	if (strcmp(type, "text") == 0) {
		anth_text(req, v, b, where, "messages");
	} else if (strcmp(type, "tool_use") == 0) {
		if (strcmp(role, "assistant") != 0)
			anth_fail(req, v, 400, "%s: tool_use blocks are only "
			    "allowed in assistant messages", where);
		if (!json_is_string(json_object_get(b, "id")))
			anth_fail(req, v, 400, "%s.id: Field required", where);
		if (!json_is_string(json_object_get(b, "name")))
			anth_fail(req, v, 400, "%s.name: Field required",
			    where);
		if (!json_is_object(json_object_get(b, "input")))
			anth_fail(req, v, 400, "%s.input: Input should be a "
			    "valid dictionary", where);
	} else if (strcmp(type, "tool_result") == 0) {
		if (strcmp(role, "user") != 0)
			anth_fail(req, v, 400, "%s: tool_result blocks are "
			    "only allowed in user messages", where);
		if (!json_is_string(json_object_get(b, "tool_use_id")))
			anth_fail(req, v, 400, "%s.tool_use_id: Field "
			    "required", where);
		x = json_object_get(b, "is_error");
		if (x != NULL && !json_is_boolean(x))
			anth_fail(req, v, 400, "%s.is_error: Input should be "
			    "a valid boolean", where);
		x = json_object_get(b, "content");
		if (x != NULL && !json_is_string(x) && !json_is_array(x))
			anth_fail(req, v, 400, "%s.content: Input should be a "
			    "valid string or list", where);
		if (json_is_array(x)) {
			size_t k;

			for (k = 0; k < json_array_size(x); k++) {
				json_t *c = json_array_get(x, k);
				char sub[96];

				snprintf(sub, sizeof(sub), "%s.content.%zu",
				    where, k);
				anth_cache_control(req, v, json_object_get(c,
				    "cache_control"), sub, ncache);
				if (json_is_string(json_object_get(c, "type"))
				    && strcmp(json_string_value(
				    json_object_get(c, "type")), "text") == 0)
					anth_text(req, v, c, sub, "messages");
			}
		}
	} else if (strcmp(type, "thinking") == 0 ||
	    strcmp(type, "redacted_thinking") == 0) {
		if (strcmp(role, "assistant") != 0)
			anth_fail(req, v, 400, "%s: %s blocks are only allowed "
			    "in assistant messages", where, type);
		else if (check_opt_bool(opts, "thinking_check", true))
			anth_thinking(req, v, b, type, where);
	}
}

/* Check 8: the message after assistant i answers its tool_use ids. */
static void
anth_pairing(const struct mock_request *req, struct verdict *v,
    const json_t *msgs, size_t i)
{
	json_t *content = json_object_get(json_array_get(msgs, i), "content");
	json_t *next = json_array_get(msgs, i + 1), *ids = json_object();
	json_t *ncontent;
	struct buf missing = { 0 };
	size_t j, lead = 0, nids;
	const char *id;
	json_t *x;

	for (j = 0; j < json_array_size(content); j++) {
		json_t *b = json_array_get(content, j);

		if (json_is_string(json_object_get(b, "type")) &&
		    strcmp(json_string_value(json_object_get(b, "type")),
		    "tool_use") == 0 && (id = json_string_value(
		    json_object_get(b, "id"))) != NULL)
			json_object_set_new(ids, id, json_integer(0));
	}
	nids = json_object_size(ids);
	if (nids == 0)
		goto out;
	ncontent = json_object_get(next, "content");
	if (next != NULL && json_is_string(json_object_get(next, "role")) &&
	    strcmp(json_string_value(json_object_get(next, "role")),
	    "user") == 0) {
		bool leading = true;

		for (j = 0; j < json_array_size(ncontent); j++) {
			json_t *b = json_array_get(ncontent, j);
			const char *t = json_string_value(json_object_get(b,
			    "type"));

			if (t == NULL || strcmp(t, "tool_result") != 0) {
				leading = false;
				continue;
			}
			id = json_string_value(json_object_get(b,
			    "tool_use_id"));
			x = id != NULL ? json_object_get(ids, id) : NULL;
			if (x == NULL) {
				anth_fail(req, v, 400, "messages.%zu.content."
				    "%zu: unexpected `tool_use_id` found in "
				    "`tool_result` blocks: %.80s. Each "
				    "`tool_result` block must have a "
				    "corresponding `tool_use` block in the "
				    "previous message.", i + 1, j,
				    id != NULL ? id : "");
				continue;
			}
			if (json_integer_value(x) > 0)
				anth_fail(req, v, 400, "messages.%zu: each "
				    "tool_use must have a single result. Found "
				    "multiple `tool_result` blocks with id: "
				    "%.80s", i + 1, id);
			json_integer_set(x, json_integer_value(x) + 1);
			if (leading)
				lead++;
		}
	}
	json_object_foreach(ids, id, x) {
		if (json_integer_value(x) == 0) {
			if (missing.len > 0)
				buf_adds(&missing, ", ");
			buf_adds(&missing, id);
		}
	}
	if (missing.len > 0)
		anth_fail(req, v, 400, "messages.%zu: `tool_use` ids were "
		    "found without `tool_result` blocks immediately after: "
		    "%.300s. Each `tool_use` block must have a corresponding "
		    "`tool_result` block in the next message.", i,
		    missing.data);
	else if (lead < nids)
		anth_fail(req, v, 400, "messages.%zu: Did not find %zu "
		    "tool_result block(s) at the beginning of this message. "
		    "Messages following tool_use blocks must begin with a "
		    "matching number of tool_result blocks.", i + 1, nids);
out:
	buf_release(&missing);
	json_decref(ids);
}

/* Whether message m has the given role. */
static bool
anth_role_is(const json_t *m, const char *role)
{
	const char *r = json_string_value(json_object_get(m, "role"));

	return r != NULL && strcmp(r, role) == 0;
}

/* Checks 6 to 9 and 15 over the messages; counts markers. */
static void
anth_messages(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const json_t *msgs, int *ncache)
{
	bool strict = check_opt_bool(opts, "strict", true);
	const char *prev = NULL;
	size_t i, j, n = json_array_size(msgs);

	for (i = 0; i < n; i++) {
		json_t *m = json_array_get(msgs, i), *content;
		const char *role = json_string_value(json_object_get(m,
		    "role"));

		if (role == NULL || (strcmp(role, "user") != 0 &&
		    strcmp(role, "assistant") != 0)) {
			anth_fail(req, v, 400, "messages.%zu.role: Input "
			    "should be 'user' or 'assistant'", i);
			continue;
		}
		if (strict && i == 0 && strcmp(role, "user") != 0)
			anth_fail(req, v, 400, "messages: first message must "
			    "use the \"user\" role");
		if (strict && prev != NULL && strcmp(prev, role) == 0)
			anth_fail(req, v, 400, "messages: roles must "
			    "alternate between \"user\" and \"assistant\", "
			    "but found multiple \"%s\" roles in a row", role);
		prev = role;
		content = json_object_get(m, "content");
		if (json_is_string(content)) {
			if (json_string_length(content) == 0)
				anth_fail(req, v, 400, "messages: text content "
				    "blocks must be non-empty");
			else if (anth_blank(json_string_value(content)))
				anth_fail(req, v, 400, "messages: text content "
				    "blocks must contain non-whitespace text");
		} else if (json_is_array(content)) {
			if (json_array_size(content) == 0 && !(i + 1 == n &&
			    strcmp(role, "assistant") == 0))
				anth_fail(req, v, 400, "messages.%zu: all "
				    "messages must have non-empty content "
				    "except for the optional final assistant "
				    "message", i);
			for (j = 0; j < json_array_size(content); j++)
				anth_block(req, opts, v, json_array_get(
				    content, j), role, i, j, ncache);
			if (strcmp(role, "assistant") == 0)
				anth_pairing(req, v, msgs, i);
		} else {
			anth_fail(req, v, 400, "messages.%zu.content: Input "
			    "should be a valid string or list", i);
		}
		/* Check 9: results only answer the turn just before. */
		if (strcmp(role, "user") == 0 && json_is_array(content) &&
		    (i == 0 || !anth_role_is(json_array_get(msgs, i - 1),
		    "assistant"))) {
			for (j = 0; j < json_array_size(content); j++) {
				const char *t = json_string_value(
				    json_object_get(json_array_get(content, j),
				    "type"));

				if (t != NULL && strcmp(t, "tool_result") == 0)
					anth_fail(req, v, 400, "messages.%zu."
					    "content.%zu: unexpected "
					    "`tool_use_id` found in "
					    "`tool_result` blocks. Each "
					    "`tool_result` block must have a "
					    "corresponding `tool_use` block in "
					    "the previous message.", i, j);
			}
		}
	}
}

static bool
anth_tool_name_ok(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return n >= 1 && n <= max;
}

/* Checks 10 and 11. */
static void
anth_tools(const struct mock_request *req, const json_t *opts,
    struct verdict *v, int *ncache)
{
	size_t max = check_opt_bool(opts, "strict", true) ? 64 : 128;
	json_t *tools = json_object_get(req->json, "tools");
	json_t *choice = json_object_get(req->json, "tool_choice");
	json_t *names = json_object();
	const char *type;
	size_t i;

	if (tools != NULL && !json_is_array(tools))
		anth_fail(req, v, 400, "tools: Input should be a valid list");
	for (i = 0; i < json_array_size(tools); i++) {
		json_t *t = json_array_get(tools, i), *schema;
		const char *name = json_string_value(json_object_get(t,
		    "name"));
		char where[40];

		snprintf(where, sizeof(where), "tools.%zu", i);
		anth_cache_control(req, v, json_object_get(t,
		    "cache_control"), where, ncache);
		type = json_string_value(json_object_get(t, "type"));
		if (name == NULL || !anth_tool_name_ok(name, max)) {
			anth_fail(req, v, 400, "tools.%zu.custom.name: String "
			    "should match pattern '^[a-zA-Z0-9_-]{1,%zu}$'", i,
			    max);
			continue;
		}
		if (json_object_get(names, name) != NULL)
			anth_fail(req, v, 400, "tools: Tool names must be "
			    "unique.");
		json_object_set_new(names, name, json_true());
		if (type != NULL && strcmp(type, "custom") != 0)
			continue;		/* a server tool */
		schema = json_object_get(t, "input_schema");
		if (!json_is_object(schema) || !json_is_string(
		    json_object_get(schema, "type")) || strcmp(
		    json_string_value(json_object_get(schema, "type")),
		    "object") != 0)
			anth_fail(req, v, 400, "tools.%zu.custom.input_schema."
			    "type: Input should be 'object'", i);
	}
	if (choice != NULL) {
		type = json_string_value(json_object_get(choice, "type"));
		if (type == NULL || (strcmp(type, "auto") != 0 &&
		    strcmp(type, "any") != 0 && strcmp(type, "tool") != 0 &&
		    strcmp(type, "none") != 0)) {
			anth_fail(req, v, 400, "tool_choice.type: Input "
			    "should be 'auto', 'any', 'tool' or 'none'");
		} else if (strcmp(type, "tool") == 0) {
			const char *name = json_string_value(json_object_get(
			    choice, "name"));

			if (name == NULL)
				anth_fail(req, v, 400, "tool_choice.tool.name: "
				    "Field required");
			else if (json_object_get(names, name) == NULL)
				anth_fail(req, v, 400, "tool_choice: tool "
				    "'%.64s' is not in tools", name);
		}
		if (json_object_get(choice, "disable_parallel_tool_use") !=
		    NULL && !json_is_boolean(json_object_get(choice,
		    "disable_parallel_tool_use")))
			anth_fail(req, v, 400, "tool_choice.disable_parallel_"
			    "tool_use: Input should be a valid boolean");
	}
	json_decref(names);
}

/* Check 12 (and 7, 13 inside system). */
static void
anth_system(const struct mock_request *req, struct verdict *v, int *ncache)
{
	json_t *sys = json_object_get(req->json, "system");
	size_t i;

	if (sys == NULL || json_is_string(sys))
		return;
	if (!json_is_array(sys)) {
		anth_fail(req, v, 400, "system: Input should be a valid "
		    "string or list of text blocks");
		return;
	}
	for (i = 0; i < json_array_size(sys); i++) {
		json_t *b = json_array_get(sys, i);
		const char *t = json_string_value(json_object_get(b, "type"));
		char where[40];

		snprintf(where, sizeof(where), "system.%zu", i);
		if (t == NULL || strcmp(t, "text") != 0) {
			anth_fail(req, v, 400, "%s.type: Input should be "
			    "'text'", where);
			continue;
		}
		anth_cache_control(req, v, json_object_get(b,
		    "cache_control"), where, ncache);
		anth_text(req, v, b, where, "system");
	}
}

/* Checks 14 and 16. */
static void
anth_params(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const char *model)
{
	static const char *const sampling[] = {
		"temperature", "top_p", "top_k", NULL
	};
	json_t *t = json_object_get(req->json, "temperature");
	json_t *stops = json_object_get(req->json, "stop_sequences");
	json_t *meta = json_object_get(req->json, "metadata");
	json_t *ns = json_object_get(opts, "no_sampling");
	bool forbid = json_is_true(ns);
	size_t i;

	if (t != NULL && (!json_is_number(t) || json_number_value(t) < 0 ||
	    json_number_value(t) > 1))
		anth_fail(req, v, 400, "temperature: Input should be a number "
		    "from 0 to 1");
	if (stops != NULL) {
		bool ok = json_is_array(stops);

		for (i = 0; ok && i < json_array_size(stops); i++)
			ok = json_is_string(json_array_get(stops, i));
		if (!ok)
			anth_fail(req, v, 400, "stop_sequences: Input should "
			    "be a valid list of strings");
	}
	if (meta != NULL && (!json_is_object(meta) ||
	    (json_object_get(meta, "user_id") != NULL &&
	    !json_is_string(json_object_get(meta, "user_id")) &&
	    !json_is_null(json_object_get(meta, "user_id")))))
		anth_fail(req, v, 400, "metadata.user_id: Input should be a "
		    "valid string");
	for (i = 0; !forbid && model != NULL && i < json_array_size(ns); i++)
		forbid = json_is_string(json_array_get(ns, i)) && util_glob(
		    json_string_value(json_array_get(ns, i)), model);
	for (i = 0; forbid && sampling[i] != NULL; i++)
		if (json_object_get(req->json, sampling[i]) != NULL)
			anth_fail(req, v, 400, "%s: is not supported on this "
			    "model (%.60s)", sampling[i], model != NULL ?
			    model : "");
}

/* Check 5: the top-level fields. */
static void
anth_fields(const struct mock_request *req, struct verdict *v,
    bool count_tokens, const char **model)
{
	json_t *m = json_object_get(req->json, "model");
	json_t *mt = json_object_get(req->json, "max_tokens");
	json_t *msgs = json_object_get(req->json, "messages");

	*model = json_string_value(m);
	if (m == NULL)
		anth_fail(req, v, 400, "model: Field required");
	else if (*model == NULL || **model == '\0')
		anth_fail(req, v, 400, "model: Input should be a non-empty "
		    "string");
	if (count_tokens)
		goto messages;
	if (mt == NULL) {
		anth_fail(req, v, 400, "max_tokens: Field required");
	} else if (!json_is_integer(mt) || json_integer_value(mt) < 0) {
		anth_fail(req, v, 400, "max_tokens: Input should be a valid "
		    "integer greater than or equal to 1");
	} else if (json_integer_value(mt) == 0) {
		json_t *th = json_object_get(req->json, "thinking");
		json_t *tc = json_object_get(req->json, "tool_choice");
		const char *tct = json_string_value(json_object_get(tc,
		    "type"));
		const char *tht = json_string_value(json_object_get(th,
		    "type"));

		if (json_is_true(json_object_get(req->json, "stream")) ||
		    (tht != NULL && strcmp(tht, "enabled") == 0) ||
		    (tct != NULL && (strcmp(tct, "any") == 0 ||
		    strcmp(tct, "tool") == 0)))
			anth_fail(req, v, 400, "max_tokens: 0 is only allowed "
			    "to pre-warm the cache (no stream, thinking or "
			    "forced tool_choice)");
	}
messages:
	if (msgs == NULL)
		anth_fail(req, v, 400, "messages: Field required");
	else if (!json_is_array(msgs) || json_array_size(msgs) == 0)
		anth_fail(req, v, 400, "messages: Input should be a non-empty "
		    "list");
}

static void
anth_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *key = util_header(req->headers, "x-api-key");
	const char *auth = util_header(req->headers, "authorization");
	const char *want = check_opt_str(opts, "api_key");
	const char *token = check_opt_str(opts, "auth_token");
	const char *ver = util_header(req->headers, "anthropic-version");
	json_t *maxb = json_object_get(opts, "max_body_bytes");
	size_t max = json_is_integer(maxb) ?
	    (size_t)json_integer_value(maxb) : (size_t)32 * 1024 * 1024;
	bool count_tokens;
	const char *model;
	int ncache = 0;
	char rid[40];

	/* 1: the endpoint. */
	count_tokens = strcmp(req->path, "/v1/messages/count_tokens") == 0;
	if (strcmp(req->method, "POST") != 0 || (!count_tokens &&
	    strcmp(req->path, "/v1/messages") != 0)) {
		anth_fail(req, v, 404, "Not Found");
		goto out;
	}
	/* 2: one way to authenticate, with the right key. */
	if (key != NULL && auth != NULL)
		anth_fail(req, v, 401, "x-api-key and Authorization were both "
		    "sent; send one");
	else if (key == NULL && auth != NULL && token != NULL &&
	    check_bearer(req) != NULL && strcmp(check_bearer(req), token) ==
	    0)
		;			/* an accepted OAuth token */
	else if (key == NULL)
		anth_fail(req, v, 401, "x-api-key header is required");
	else if (*key == '\0' || (want != NULL && strcmp(key, want) != 0))
		anth_fail(req, v, 401, "invalid x-api-key");
	/* 3: the version header. */
	if (ver == NULL)
		anth_fail(req, v, 400, "anthropic-version: header is "
		    "required");
	else if (strcmp(ver, "2023-06-01") != 0)
		anth_fail(req, v, 400, "anthropic-version: \"%.60s\" is not a "
		    "valid version", ver);
	/* 4: content type and size. */
	if (req->body_size > max) {
		anth_fail(req, v, 413, "Request exceeds the maximum allowed "
		    "number of bytes.");
		goto out;
	}
	if (!check_content_type(req, "application/json"))
		anth_fail(req, v, 400, "content-type: must be "
		    "application/json");
	/* 5 to 16: the body. */
	if (!json_is_object(req->json)) {
		anth_fail(req, v, 400, "The request body is not a valid JSON "
		    "object");
		goto out;
	}
	anth_fields(req, v, count_tokens, &model);
	anth_tools(req, opts, v, &ncache);
	anth_system(req, v, &ncache);
	if (json_is_array(json_object_get(req->json, "messages")))
		anth_messages(req, opts, v, json_object_get(req->json,
		    "messages"), &ncache);
	anth_cache_control(req, v, json_object_get(req->json,
	    "cache_control"), "cache_control", &ncache);
	if (ncache > 4)
		anth_fail(req, v, 400, "A maximum of 4 blocks with "
		    "cache_control may be provided. Found %d.", ncache);
	anth_params(req, opts, v, model);
out:
	if (v->status != 0) {
		if (v->headers == NULL)
			v->headers = json_object();
		json_object_set_new(v->headers, "request-id", json_string(
		    check_request_id(req, "req_mock_", rid, sizeof(rid))));
	}
}

/* Remember the thinking blocks a response hands out (check 15). */
static void
anth_issue(const json_t *body)
{
	json_t *content = json_object_get(body, "content");
	size_t i;

	if (anth_issued == NULL)
		anth_issued = json_object();
	for (i = 0; i < json_array_size(content); i++) {
		json_t *b = json_array_get(content, i);
		const char *t = json_string_value(json_object_get(b, "type"));
		const char *id = NULL, *field = NULL;
		char *key;

		if (t != NULL && strcmp(t, "thinking") == 0)
			field = "signature";
		else if (t != NULL && strcmp(t, "redacted_thinking") == 0)
			field = "data";
		if (field != NULL)
			id = json_string_value(json_object_get(b, field));
		if (id == NULL)
			continue;
		key = xasprintf("%s:%s", field, id);
		json_object_set_new(anth_issued, key, json_deep_copy(b));
		free(key);
	}
}

/*
 * The prompt as the cache sees it: tools, then system, then messages,
 * one entry per block, each serialised without its cache_control.
 */
struct anth_prefix {
	uint64_t *hash;			/* after block i */
	size_t *len;			/* bytes up to and with block i */
	int *ttl;			/* 0: no marker; else seconds */
	size_t n, cap;
	uint64_t h;
	size_t total;
};

static void
anth_prefix_add(struct anth_prefix *p, const char *role, const json_t *b)
{
	json_t *copy = json_is_object(b) ? json_deep_copy(b) :
	    json_incref((json_t *)b);
	json_t *cc = json_object_get(b, "cache_control");
	const char *ttl;
	char *text;
	size_t i;

	json_object_del(copy, "cache_control");
	text = util_dump(copy);
	json_decref(copy);
	for (i = 0; role[i] != '\0'; i++)
		p->h = (p->h ^ (unsigned char)role[i]) * 1099511628211ULL;
	for (i = 0; text[i] != '\0'; i++)
		p->h = (p->h ^ (unsigned char)text[i]) * 1099511628211ULL;
	p->total += i;
	free(text);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->hash = xrealloc(p->hash, p->cap * sizeof(*p->hash));
		p->len = xrealloc(p->len, p->cap * sizeof(*p->len));
		p->ttl = xrealloc(p->ttl, p->cap * sizeof(*p->ttl));
	}
	p->hash[p->n] = p->h;
	p->len[p->n] = p->total;
	ttl = json_string_value(json_object_get(cc, "ttl"));
	p->ttl[p->n] = !json_is_object(cc) ? 0 : ttl != NULL &&
	    strcmp(ttl, "1h") == 0 ? 3600 : 300;
	p->n++;
}

static void
anth_prefix_build(const json_t *rq, struct anth_prefix *p)
{
	json_t *tools = json_object_get(rq, "tools");
	json_t *sys = json_object_get(rq, "system");
	json_t *msgs = json_object_get(rq, "messages");
	json_t *model = json_object_get(rq, "model");
	json_t *top = json_object_get(rq, "cache_control");
	const char *ttl;
	size_t i, j;

	memset(p, 0, sizeof(*p));
	p->h = 14695981039346656037ULL;
	anth_prefix_add(p, "model", model != NULL ? model : json_null());
	for (i = 0; i < json_array_size(tools); i++)
		anth_prefix_add(p, "tool", json_array_get(tools, i));
	if (json_is_string(sys))
		anth_prefix_add(p, "system", sys);
	for (i = 0; i < json_array_size(sys); i++)
		anth_prefix_add(p, "system", json_array_get(sys, i));
	for (i = 0; i < json_array_size(msgs); i++) {
		json_t *m = json_array_get(msgs, i);
		const char *role = json_string_value(json_object_get(m,
		    "role"));
		json_t *c = json_object_get(m, "content");

		if (role == NULL)
			role = "";
		if (!json_is_array(c))
			anth_prefix_add(p, role, c != NULL ? c : json_null());
		for (j = 0; j < json_array_size(c); j++)
			anth_prefix_add(p, role, json_array_get(c, j));
	}
	/* Automatic caching: a marker on the last block. */
	if (json_is_object(top) && p->n > 0) {
		ttl = json_string_value(json_object_get(top, "ttl"));
		p->ttl[p->n - 1] = ttl != NULL && strcmp(ttl, "1h") == 0 ?
		    3600 : 300;
	}
}

static void
anth_prefix_release(struct anth_prefix *p)
{
	free(p->hash);
	free(p->len);
	free(p->ttl);
}

static size_t
anth_tokens(size_t bytes)
{
	return (bytes + 3) / 4;
}

static size_t
anth_cache_min(const json_t *opts, const char *model)
{
	json_t *m = json_object_get(opts, "cache_min_tokens");
	const char *glob;
	json_t *n;

	if (json_is_integer(m))
		return (size_t)json_integer_value(m);
	json_object_foreach(m, glob, n) {
		if (strcmp(glob, "*") != 0 && model != NULL &&
		    util_glob(glob, model) && json_is_integer(n))
			return (size_t)json_integer_value(n);
	}
	n = json_object_get(m, "*");
	return json_is_integer(n) ? (size_t)json_integer_value(n) : 1024;
}

/*
 * Deterministic usage with emulated prompt caching: 4 bytes a token;
 * a marker whose prefix reaches the minimum writes the cache; a later
 * request whose marker finds a written prefix within 20 blocks before
 * it reads it.
 */
static json_t *
anth_usage(const struct mock_request *req, const json_t *opts,
    const char *model)
{
	size_t min = anth_cache_min(opts, model);
	size_t total, read = 0, write = 0, i, k;
	struct anth_prefix p;
	int write_ttl = 300;
	char key[20];
	json_t *e;

	if (anth_cache == NULL)
		anth_cache = json_object();
	anth_prefix_build(req->json, &p);
	total = anth_tokens(p.total);
	for (i = 0; i < p.n; i++) {
		if (p.ttl[i] == 0)
			continue;
		for (k = i + 1; k-- > 0 && i - k < 20;) {
			snprintf(key, sizeof(key), "%016llx",
			    (unsigned long long)p.hash[k]);
			e = json_object_get(anth_cache, key);
			if (e != NULL && json_integer_value(e) >= req->now) {
				if (anth_tokens(p.len[k]) > read)
					read = anth_tokens(p.len[k]);
				break;
			}
		}
	}
	for (i = 0; i < p.n; i++) {
		if (p.ttl[i] == 0 || anth_tokens(p.len[i]) < min)
			continue;
		snprintf(key, sizeof(key), "%016llx",
		    (unsigned long long)p.hash[i]);
		json_object_set_new(anth_cache, key, json_integer(
		    (json_int_t)req->now + p.ttl[i]));
		if (anth_tokens(p.len[i]) > read) {
			write = anth_tokens(p.len[i]) - read;
			write_ttl = p.ttl[i];
		}
	}
	anth_prefix_release(&p);
	return json_pack("{s:I,s:I,s:I,s:{s:I,s:I},s:s}", "input_tokens",
	    (json_int_t)(total - read - write), "cache_creation_input_tokens",
	    (json_int_t)write, "cache_read_input_tokens", (json_int_t)read,
	    "cache_creation", "ephemeral_5m_input_tokens",
	    (json_int_t)(write_ttl == 300 ? write : 0),
	    "ephemeral_1h_input_tokens",
	    (json_int_t)(write_ttl == 3600 ? write : 0), "service_tier",
	    "standard");
}

static void
anth_autofill(const struct mock_request *req, const json_t *opts,
    int status, json_t **bodyp, json_t *headers)
{
	json_t *body = *bodyp, *out, *content, *usage, *x;
	const char *model, *key;
	bool tool_use = false;
	char id[48];
	size_t i;

	if (util_header(headers, "request-id") == NULL &&
	    util_header(headers, "Request-Id") == NULL)
		json_object_set_new(headers, "request-id", json_string(
		    check_request_id(req, "req_mock_", id, sizeof(id))));
	if (status >= 400) {
		if (body == NULL)
			*bodyp = anth_body(req, status,
			    anth_default_message(status));
		return;
	}
	model = json_string_value(json_object_get(req->json, "model"));
	if (strcmp(req->path, "/v1/messages/count_tokens") == 0) {
		if (body == NULL) {
			struct anth_prefix p;

			anth_prefix_build(req->json, &p);
			*bodyp = json_pack("{s:I}", "input_tokens",
			    (json_int_t)anth_tokens(p.total));
			anth_prefix_release(&p);
		}
		return;
	}
	if (body == NULL)
		body = json_pack("{s:[{s:s,s:s}]}", "content", "type", "text",
		    "text", "Done.");
	else if (!json_is_object(body))
		return;
	else
		json_incref(body);
	/* Rebuild in the API's field order, then keep the rest. */
	out = json_object();
	x = json_object_get(body, "id");
	json_object_set_new(out, "id", x != NULL ? json_incref(x) :
	    json_string(check_request_id(req, "msg_mock_", id, sizeof(id))));
	json_object_set_new(out, "type", json_string("message"));
	json_object_set_new(out, "role", json_string("assistant"));
	x = json_object_get(body, "model");
	json_object_set_new(out, "model", x != NULL ? json_incref(x) :
	    json_string(model != NULL ? model : "claude-mock"));
	content = json_object_get(body, "content");
	content = content != NULL ? json_deep_copy(content) : json_array();
	for (i = 0; i < json_array_size(content); i++) {
		json_t *b = json_array_get(content, i);
		const char *t = json_string_value(json_object_get(b, "type"));

		if (t == NULL || strcmp(t, "tool_use") != 0)
			continue;
		tool_use = true;
		if (json_object_get(b, "id") == NULL) {
			snprintf(id, sizeof(id), "toolu_mock_%06lu_%zu",
			    req->seq, i);
			json_object_set_new(b, "id", json_string(id));
		}
		if (json_object_get(b, "input") == NULL)
			json_object_set_new(b, "input", json_object());
	}
	json_object_set_new(out, "content", content);
	x = json_object_get(body, "stop_reason");
	json_object_set_new(out, "stop_reason", x != NULL ? json_incref(x) :
	    json_string(tool_use ? "tool_use" : "end_turn"));
	x = json_object_get(body, "stop_sequence");
	json_object_set_new(out, "stop_sequence", x != NULL ?
	    json_incref(x) : json_null());
	usage = anth_usage(req, opts, model);
	x = json_object_get(body, "stop_reason");
	if (json_is_string(x) && strcmp(json_string_value(x),
	    "max_tokens") == 0 && json_is_integer(json_object_get(req->json,
	    "max_tokens")))
		json_object_set(usage, "output_tokens", json_object_get(
		    req->json, "max_tokens"));
	else {
		char *text = util_dump(content);

		json_object_set_new(usage, "output_tokens", json_integer(
		    (json_int_t)(anth_tokens(strlen(text)) ?
		    anth_tokens(strlen(text)) : 1)));
		free(text);
	}
	x = json_object_get(body, "usage");
	if (json_is_object(x))
		json_object_update(usage, x);	/* the script wins */
	json_object_set_new(out, "usage", usage);
	json_object_foreach(body, key, x)
		if (json_object_get(out, key) == NULL)
			json_object_set(out, key, x);
	json_decref(body);
	json_decref(*bodyp);
	*bodyp = out;
}

static void
anth_cleanup(void)
{
	json_decref(anth_issued);
	json_decref(anth_cache);
	anth_issued = NULL;
	anth_cache = NULL;
}

const struct check check_anthropic = {
	.name = "anthropic",
	.run = anth_run,
	.error = anth_error,
	.autofill = anth_autofill,
	.issued = anth_issue,
	.cleanup = anth_cleanup,
};
