/*
 * check_slack: a Slack incoming webhook post (azure-apis.md E.3): POST
 * JSON with a text (sent even with blocks), at most 50 blocks.
 * Refusals are what Slack sends: a 4xx with a plain-text code body
 * (invalid_payload, no_text, invalid_blocks, too_many_attachments).
 *
 * check_options: none.
 */
#include <string.h>

#include "check.h"
#include "util.h"

static json_t *
slack_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)req;
	(void)opts;
	(void)status;
	(void)message;
	return json_string("invalid_payload");
}

static void
slack_fail(struct verdict *v, int status, const char *code,
    const char *why)
{
	check_fail(v, status, json_string(code), "slack: %s: %s", code, why);
	v->content_type = "text/plain";
}

static void
slack_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	json_t *text, *blocks, *atts;

	(void)opts;
	if (strcmp(req->method, "POST") != 0) {
		slack_fail(v, 405, "invalid_payload", "POST only");
		return;
	}
	if (!check_content_type(req, "application/json"))
		check_note(v, "slack: Content-Type should be "
		    "application/json");
	if (!json_is_object(req->json)) {
		slack_fail(v, 400, "invalid_payload", "the body is not a "
		    "JSON object");
		return;
	}
	text = json_object_get(req->json, "text");
	blocks = json_object_get(req->json, "blocks");
	atts = json_object_get(req->json, "attachments");
	if (text != NULL && !json_is_string(text))
		slack_fail(v, 400, "invalid_payload", "text must be a string");
	if ((text == NULL || json_string_length(text) == 0) &&
	    blocks == NULL && atts == NULL)
		slack_fail(v, 400, "no_text", "no text, blocks or "
		    "attachments");
	else if (text == NULL || json_string_length(text) == 0)
		check_note(v, "slack: no text (send it as the notification "
		    "fallback even with blocks)");
	if (json_string_length(text) > 40000)
		check_note(v, "slack: text is over 40000 characters and "
		    "will be truncated");
	if (blocks != NULL && (!json_is_array(blocks) ||
	    json_array_size(blocks) > 50))
		slack_fail(v, 400, "invalid_blocks", "blocks must be an "
		    "array of at most 50");
	if (atts != NULL && (!json_is_array(atts) ||
	    json_array_size(atts) > 100))
		slack_fail(v, 400, "too_many_attachments", "at most 100 "
		    "attachments");
}

const struct check check_slack = {
	.name = "slack",
	.run = slack_run,
	.error = slack_error,
};
