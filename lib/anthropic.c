/*
 * anthropic: the Messages API wire format.  Requests cache the tools and
 * the system prompt, and carry a moving breakpoint on the newest message
 * plus one on the message that ended the previous request, so each turn
 * reads the whole earlier conversation from the cache however many blocks
 * a turn adds (the API looks back only 20 blocks from a breakpoint): four
 * markers at most, the API's limit.  Replies are echoed back verbatim
 * (thinking and unknown blocks included) minus empty text blocks, which
 * the API itself rejects.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonx.h"
#include "model.h"

static json_t *
ephemeral(void)
{
	return json_pack("{s:s}", "type", "ephemeral");
}

static int
blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* Whether a block may carry cache_control. */
static int
cacheable(const json_t *block)
{
	const char *t = jx_str(block, "type");

	if (t == NULL)
		return 0;
	if (strcmp(t, "text") == 0)
		return !blank(jx_str(block, "text"));
	return strcmp(t, "tool_use") == 0 || strcmp(t, "tool_result") == 0 ||
	    strcmp(t, "image") == 0 || strcmp(t, "document") == 0;
}

/*
 * A shallow copy of msg whose last cacheable block carries a marker, or a
 * new reference to msg itself when it has none.
 */
static json_t *
marked(const json_t *msg)
{
	json_t *content, *copy, *blocks, *block;
	size_t i;

	content = json_object_get(msg, "content");
	if (!json_is_array(content))
		return json_incref((json_t *)msg);
	for (i = json_array_size(content); i > 0; i--)
		if (cacheable(json_array_get(content, i - 1)))
			break;
	if (i == 0)
		return json_incref((json_t *)msg);
	copy = json_copy((json_t *)msg);
	blocks = json_copy(content);
	block = json_copy(json_array_get(content, i - 1));
	if (copy == NULL || blocks == NULL || block == NULL) {
		json_decref(copy);
		json_decref(blocks);
		json_decref(block);
		return NULL;
	}
	json_object_set_new(block, "cache_control", ephemeral());
	json_array_set_new(blocks, i - 1, block);
	json_object_set_new(copy, "content", blocks);
	return copy;
}

static char *
request_body(const struct model_request *req)
{
	json_t *body, *tools, *msgs, *m, *last;
	size_t i, n;
	char *s;

	body = json_object();
	if (body == NULL)
		return NULL;
	json_object_set_new(body, "model", json_string(req->model));
	json_object_set_new(body, "max_tokens", json_integer(req->max_tokens));
	if (req->system != NULL) {
		json_t *blk = json_pack("{s:s,s:s}", "type", "text", "text",
		    req->system);

		if (blk != NULL && !req->no_cache)
			json_object_set_new(blk, "cache_control", ephemeral());
		json_object_set_new(body, "system", json_pack("[o]", blk));
	}
	n = json_array_size(req->tools);
	if (n > 0) {
		/* The tools are copied shallowly; only the last one changes. */
		tools = json_copy((json_t *)req->tools);
		last = json_copy(json_array_get(req->tools, n - 1));
		if (tools != NULL && last != NULL && !req->no_cache)
			json_object_set_new(last, "cache_control", ephemeral());
		json_array_set_new(tools, n - 1, last);
		json_object_set_new(body, "tools", tools);
		if (req->force_tool != NULL)
			json_object_set_new(body, "tool_choice",
			    json_pack("{s:s,s:s}", "type", "tool", "name",
			    req->force_tool));
	}
	if (req->has_temperature)
		json_object_set_new(body, "temperature",
		    json_real(req->temperature));
	n = json_array_size(req->messages);
	msgs = json_array();
	for (i = 0; msgs != NULL && i < n; i++) {
		m = json_array_get(req->messages, i);
		if (!req->no_cache && (i == n - 1 || (n >= 3 && i == n - 3)))
			json_array_append_new(msgs, marked(m));
		else
			json_array_append(msgs, m);
	}
	json_object_set_new(body, "messages", msgs);
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return s;
}

static enum model_stop
stop_of(const char *s)
{
	static const struct {
		const char	*name;
		enum model_stop	 stop;
	} map[] = {
		{ "end_turn", MODEL_STOP_END },
		{ "tool_use", MODEL_STOP_TOOL_USE },
		{ "max_tokens", MODEL_STOP_MAX_TOKENS },
		{ "pause_turn", MODEL_STOP_PAUSE },
		{ "refusal", MODEL_STOP_REFUSAL },
		{ "model_context_window_exceeded", MODEL_STOP_CONTEXT },
		{ "stop_sequence", MODEL_STOP_SEQUENCE },
	};
	size_t i;

	for (i = 0; s != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].name) == 0)
			return map[i].stop;
	return MODEL_STOP_UNKNOWN;
}

static long long
count(const json_t *usage, const char *key)
{
	long long v = jx_int(usage, key, 0);

	return v > 0 ? v : 0;
}

static int
fail(char *err, size_t errsz, const char *msg)
{
	snprintf(err, errsz, "%s", msg);
	return -1;
}

static int
parse_reply(const char *body, size_t len, struct model_reply *r, char *err,
    size_t errsz)
{
	json_t *root, *content, *block, *keep, *usage, *details;
	struct buf text;
	const char *type, *t;
	size_t i, ncalls = 0;
	int rc = -1;

	root = json_loadb(body, len, 0, NULL);
	if (root == NULL)
		return fail(err, errsz, "the response is not JSON");
	buf_init(&text);
	content = json_object_get(root, "content");
	if (!json_is_object(root) || !json_is_array(content)) {
		fail(err, errsz, "the response has no content array");
		goto out;
	}
	if (!json_is_string(json_object_get(root, "stop_reason"))) {
		fail(err, errsz, "the response has no stop_reason");
		goto out;
	}
	r->stop_reason = strdup(jx_str(root, "stop_reason"));
	r->stop = stop_of(r->stop_reason);
	if (jx_nstr(root, "id") != NULL)
		r->id = strdup(jx_str(root, "id"));
	for (i = 0; i < json_array_size(content); i++)
		if (jx_str(json_array_get(content, i), "type") != NULL &&
		    strcmp(jx_str(json_array_get(content, i), "type"),
		    "tool_use") == 0)
			ncalls++;
	r->calls = calloc(ncalls > 0 ? ncalls : 1, sizeof(*r->calls));
	keep = json_array();
	if (r->stop_reason == NULL || r->calls == NULL || keep == NULL) {
		json_decref(keep);
		fail(err, errsz, "out of memory");
		goto out;
	}
	for (i = 0; i < json_array_size(content); i++) {
		block = json_array_get(content, i);
		type = jx_str(block, "type");
		if (!json_is_object(block) || type == NULL) {
			json_decref(keep);
			fail(err, errsz, "a content block has no type");
			goto out;
		}
		if (strcmp(type, "text") == 0) {
			t = jx_str(block, "text");
			/* The API rejects the empty blocks it sometimes
			 * sends; they are not echoed back. */
			if (blank(t))
				continue;
			if (text.len > 0)
				buf_addc(&text, '\n');
			buf_adds(&text, t);
		} else if (strcmp(type, "tool_use") == 0) {
			struct model_call *c = &r->calls[r->ncalls];
			json_t *in = json_object_get(block, "input");

			if (jx_nstr(block, "id") == NULL ||
			    jx_nstr(block, "name") == NULL) {
				json_decref(keep);
				fail(err, errsz, "a tool_use block has no id "
				    "or name");
				goto out;
			}
			c->id = strdup(jx_str(block, "id"));
			c->name = strdup(jx_str(block, "name"));
			if (json_is_object(in))
				c->input = json_incref(in);
			else
				c->input_error = strdup("the input is not a "
				    "JSON object");
			r->ncalls++;
		}
		json_array_append(keep, block);
	}
	if (json_array_size(keep) > 0)
		r->message = json_pack("{s:s,s:o}", "role", "assistant",
		    "content", keep);
	else
		json_decref(keep);
	r->text = buf_steal(&text);
	if (r->text == NULL)
		r->text = strdup("");
	usage = json_object_get(root, "usage");
	r->usage.input_tokens = count(usage, "input_tokens");
	r->usage.output_tokens = count(usage, "output_tokens");
	r->usage.cache_write_tokens = count(usage,
	    "cache_creation_input_tokens");
	r->usage.cache_read_tokens = count(usage, "cache_read_input_tokens");
	if (r->stop == MODEL_STOP_REFUSAL) {
		struct buf b;

		details = json_object_get(root, "stop_details");
		buf_init(&b);
		buf_adds(&b, "the model declined");
		if (jx_nstr(details, "category") != NULL)
			buf_printf(&b, " (category: %s)",
			    jx_str(details, "category"));
		if (jx_nstr(details, "explanation") != NULL)
			buf_printf(&b, ": %s", jx_str(details, "explanation"));
		r->refusal = buf_steal(&b);
		buf_release(&b);
	}
	if (r->text == NULL) {
		fail(err, errsz, "out of memory");
		goto out;
	}
	rc = 0;
out:
	buf_release(&text);
	json_decref(root);
	return rc;
}

/* The last message, when it is the user's: new text joins it, since two
 * user turns in a row are not allowed by strict servers. */
static json_t *
last_user(json_t *messages)
{
	size_t n = json_array_size(messages);
	json_t *m;

	if (n == 0)
		return NULL;
	m = json_array_get(messages, n - 1);
	if (jx_str(m, "role") == NULL || strcmp(jx_str(m, "role"), "user") != 0
	    || !json_is_array(json_object_get(m, "content")))
		return NULL;
	return m;
}

static int
add_user_text(json_t *messages, const char *text)
{
	json_t *blk, *m;

	/* Text from tools and incidents may hold bytes that are not UTF-8;
	 * they become U+FFFD rather than making the request unsendable. */
	blk = json_pack("{s:s,s:o}", "type", "text", "text",
	    jx_string_lossy(text, strlen(text)));
	if (blk == NULL)
		return -1;
	m = last_user(messages);
	if (m != NULL)
		return json_array_append_new(json_object_get(m, "content"),
		    blk);
	return json_array_append_new(messages, json_pack("{s:s,s:[o]}",
	    "role", "user", "content", blk));
}

static int
add_tool_results(json_t *messages, const struct model_result *res,
    size_t n, const char *text)
{
	json_t *content, *blk;
	const char *c;
	size_t i;

	content = json_array();
	for (i = 0; content != NULL && i < n; i++) {
		c = res[i].content != NULL && res[i].content[0] != '\0' ?
		    res[i].content : "(no output)";
		blk = json_pack("{s:s,s:s,s:o}", "type", "tool_result",
		    "tool_use_id", res[i].call_id, "content",
		    jx_string_lossy(c, strlen(c)));
		if (blk != NULL && res[i].is_error)
			json_object_set_new(blk, "is_error", json_true());
		if (json_array_append_new(content, blk) == -1) {
			json_decref(content);
			return -1;
		}
	}
	/* Text goes after every tool_result, never before. */
	if (content != NULL && text != NULL && !blank(text))
		json_array_append_new(content, json_pack("{s:s,s:o}", "type",
		    "text", "text", jx_string_lossy(text, strlen(text))));
	if (content == NULL)
		return -1;
	return json_array_append_new(messages, json_pack("{s:s,s:o}", "role",
	    "user", "content", content));
}

const struct model_ops model_anthropic = {
	"anthropic",
	request_body,
	parse_reply,
	add_user_text,
	add_tool_results,
};
