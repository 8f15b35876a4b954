/*
 * model: what the providers share: the reply's lifetime, stop names and
 * the tolerant error parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"
#include "model.h"

const struct model_ops *
model_ops_find(const char *name)
{
	if (name == NULL)
		return NULL;
	if (strcmp(name, "anthropic") == 0)
		return &model_anthropic;
	if (strcmp(name, "openai") == 0)
		return &model_openai;
	return NULL;
}

void
model_reply_init(struct model_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->stop = MODEL_STOP_UNKNOWN;
}

void
model_reply_release(struct model_reply *r)
{
	size_t i;

	for (i = 0; i < r->ncalls; i++) {
		free(r->calls[i].id);
		free(r->calls[i].name);
		json_decref(r->calls[i].input);
		free(r->calls[i].input_error);
	}
	free(r->calls);
	free(r->stop_reason);
	free(r->text);
	free(r->refusal);
	free(r->id);
	json_decref(r->message);
	model_reply_init(r);
}

const char *
model_stop_name(enum model_stop s)
{
	switch (s) {
	case MODEL_STOP_END:
		return "end";
	case MODEL_STOP_TOOL_USE:
		return "tool_use";
	case MODEL_STOP_MAX_TOKENS:
		return "max_tokens";
	case MODEL_STOP_PAUSE:
		return "pause";
	case MODEL_STOP_REFUSAL:
		return "refusal";
	case MODEL_STOP_CONTEXT:
		return "context_window";
	case MODEL_STOP_SEQUENCE:
		return "stop_sequence";
	default:
		return "unknown";
	}
}

/* Copies s into out with control characters made spaces. */
static void
copy_clean(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < len && j + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];

		out[j++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	/* Do not end inside a UTF-8 sequence. */
	if (j < len)
		while (j > 0 && ((unsigned char)s[j] & 0xc0) == 0x80)
			j--;
	out[j] = '\0';
}

static void
code_text(const json_t *v, char *out, size_t outsz)
{
	if (json_is_string(v))
		copy_clean(out, outsz, json_string_value(v),
		    json_string_length(v));
	else if (json_is_integer(v))
		snprintf(out, outsz, "%lld", (long long)json_integer_value(v));
}

void
model_parse_error(long status, const char *body, size_t len,
    struct model_error *e)
{
	json_t *root, *err;
	const char *msg = NULL;

	memset(e, 0, sizeof(*e));
	e->status = status;
	root = body != NULL && len > 0 ? json_loadb(body, len, 0, NULL) : NULL;
	if (json_is_object(root)) {
		err = json_object_get(root, "error");
		if (json_is_object(err)) {
			msg = jx_str(err, "message");
			code_text(json_object_get(err, "type"), e->type,
			    sizeof(e->type));
			if (e->type[0] == '\0')
				code_text(json_object_get(err, "code"),
				    e->type, sizeof(e->type));
		} else if (json_is_string(err)) {
			msg = json_string_value(err);
		} else {
			msg = jx_str(root, "message");
			code_text(json_object_get(root, "type"), e->type,
			    sizeof(e->type));
		}
	}
	if (msg != NULL)
		copy_clean(e->message, sizeof(e->message), msg, strlen(msg));
	else if (body != NULL && len > 0)
		copy_clean(e->message, sizeof(e->message), body,
		    len < 200 ? len : 200);
	json_decref(root);
}
