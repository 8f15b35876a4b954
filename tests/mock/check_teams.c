/*
 * check_teams: a Teams Workflows webhook post (azure-apis.md E.1):
 * POST JSON with api-version in the query, the Adaptive Card envelope
 * ({"type": "message", "attachments": [{"contentType":
 * "application/vnd.microsoft.card.adaptive", "content": card}]}) and
 * at most 28 KB.  Real workflows answer 202 even for an oversize post
 * (the failure shows only in the flow's run history), so size is
 * recorded as a violation but answered normally.  Malformed posts are
 * refused with 400 {"error": {"code", "message"}}.
 *
 * check_options: max_bytes (default 28672), allow_text (accept a
 * plain {"text": ...} body, for flows built from scratch).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util.h"

static const char teams_card[] = "application/vnd.microsoft.card.adaptive";

static json_t *
teams_body(const char *code, const char *message)
{
	return json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
	    message);
}

static json_t *
teams_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)req;
	(void)opts;
	(void)status;
	return teams_body("InvalidRequestContent", message);
}

static void
teams_fail(struct verdict *v, int status, const char *code,
    const char *message)
{
	check_fail(v, status, teams_body(code, message), "teams: %s",
	    message);
}

static void
teams_actions(const json_t *actions, struct verdict *v)
{
	char text[200];
	size_t i;

	for (i = 0; i < json_array_size(actions); i++) {
		const char *t = json_string_value(json_object_get(
		    json_array_get(actions, i), "type"));

		if (t == NULL || (strcmp(t, "Action.OpenUrl") != 0 &&
		    strcmp(t, "Action.ShowCard") != 0 &&
		    strcmp(t, "Action.ToggleVisibility") != 0)) {
			snprintf(text, sizeof(text), "action %zu: type "
			    "'%.40s' is not supported (Action.OpenUrl, "
			    "Action.ShowCard, Action.ToggleVisibility)", i,
			    t != NULL ? t : "");
			teams_fail(v, 400, "InvalidRequestContent", text);
		}
	}
}

static void
teams_card_check(const json_t *att, size_t i, struct verdict *v)
{
	const char *ct = json_string_value(json_object_get(att,
	    "contentType"));
	json_t *card = json_object_get(att, "content");
	char text[200];

	if (ct == NULL || strcmp(ct, teams_card) != 0) {
		snprintf(text, sizeof(text), "attachments[%zu].contentType "
		    "must be %s", i, teams_card);
		teams_fail(v, 400, "InvalidRequestContent", text);
	}
	if (!json_is_object(card)) {
		snprintf(text, sizeof(text), "attachments[%zu].content must "
		    "be the card object", i);
		teams_fail(v, 400, "InvalidRequestContent", text);
		return;
	}
	if (!json_is_string(json_object_get(card, "type")) ||
	    strcmp(json_string_value(json_object_get(card, "type")),
	    "AdaptiveCard") != 0)
		teams_fail(v, 400, "InvalidRequestContent",
		    "the card's type must be AdaptiveCard");
	if (!json_is_string(json_object_get(card, "version")))
		teams_fail(v, 400, "InvalidRequestContent",
		    "the card needs a version string");
	if (!json_is_array(json_object_get(card, "body")))
		teams_fail(v, 400, "InvalidRequestContent",
		    "the card needs a body array");
	teams_actions(json_object_get(card, "actions"), v);
}

static void
teams_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	json_t *max = json_object_get(opts, "max_bytes");
	size_t limit = json_is_integer(max) ?
	    (size_t)json_integer_value(max) : 28 * 1024;
	const char *type;
	json_t *atts;
	size_t i;

	if (strcmp(req->method, "POST") != 0)
		teams_fail(v, 405, "MethodNotAllowed", "The workflow trigger "
		    "accepts POST only");
	if (check_arg(req, "api-version") == NULL)
		teams_fail(v, 400, "MissingApiVersionParameter", "The "
		    "api-version query parameter (?api-version=) is required "
		    "for all requests.");
	if (!check_content_type(req, "application/json"))
		teams_fail(v, 400, "InvalidRequestContent",
		    "Content-Type must be application/json");
	if (req->body_size > limit)
		check_note(v, "teams: the post is %zu bytes, over the %zu "
		    "byte limit (the flow run fails after a 202)",
		    req->body_size, limit);
	if (!json_is_object(req->json)) {
		teams_fail(v, 400, "InvalidRequestContent",
		    "The request content is not valid JSON");
		return;
	}
	if (check_opt_bool(opts, "allow_text", false) &&
	    json_is_string(json_object_get(req->json, "text")))
		return;
	type = json_string_value(json_object_get(req->json, "type"));
	if (type == NULL || strcmp(type, "message") != 0)
		teams_fail(v, 400, "InvalidRequestContent",
		    "type must be \"message\"");
	atts = json_object_get(req->json, "attachments");
	if (!json_is_array(atts) || json_array_size(atts) == 0) {
		teams_fail(v, 400, "InvalidRequestContent",
		    "attachments must be a non-empty array");
		return;
	}
	for (i = 0; i < json_array_size(atts); i++)
		teams_card_check(json_array_get(atts, i), i, v);
}

const struct check check_teams = {
	.name = "teams",
	.run = teams_run,
	.error = teams_error,
};
