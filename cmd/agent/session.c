/*
 * session: one investigation with a model.  Send the incident and the
 * tools; run every tool call the model asks for (a turn's calls at once),
 * give the results back together; repeat until the model submits a brief
 * that validates against the schema.  Every way a turn can end is
 * handled, and none of them can loop forever:
 *
 *   tool_use      run the calls (a partial call is never run: see
 *                 max_tokens) and answer all of them in one message
 *   end_turn      without a brief: ask once, forcing submit_brief
 *   max_tokens    drop the cut-off answer and ask again with room to
 *                 finish (doubling, up to a cap)
 *   pause_turn    send the conversation back as it is, at most 3 times
 *   refusal, context window, unknown: stop
 *
 * When a budget (turns, tokens, time) runs out, the model is told and
 * made to call submit_brief with what it has.  When there is no brief
 * after all (the API down after lib/http's retries, a refusal, ...), the
 * playbook writes one and the brief says why: a brief is always made.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "buf.h"
#include "http.h"
#include "jsonx.h"
#include "term.h"

struct loop {
	struct session	*s;
	struct agent	*ag;
	json_t		*messages;
	const char	*force;		/* tool_choice forces it */
	long		 max_tokens;
	int		 nudged;	/* asked once to submit */
	int		 final;		/* a budget ran out */
	int		 final_tries;
	int		 pauses;
	int		 bad_replies;
	int		 no_tool_choice;	/* the server ignores it */
	char		 why[768];	/* why there is no model brief */
	const char	*why_code;	/* error record code */
	json_t		*brief;		/* the accepted brief */
};

#define SUBMIT	"submit_brief"

static void
stop(struct loop *L, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
stop(struct loop *L, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(L->why, sizeof(L->why), fmt, ap);
	va_end(ap);
	L->why_code = code;
}

static long long
tokens_used(const struct session *s)
{
	return s->usage.input_tokens + s->usage.output_tokens +
	    s->usage.cache_write_tokens + s->usage.cache_read_tokens;
}

/* Which budget, if any, is spent before the next request. */
static const char *
budget_spent(const struct loop *L, char *buf, size_t bufsz)
{
	const struct session *s = L->s;
	const struct agent *ag = L->ag;

	if (s->turns + 1 >= ag->max_turns) {
		snprintf(buf, bufsz, "the turn budget (%ld turns)",
		    ag->max_turns);
		return buf;
	}
	if (tokens_used(s) >= ag->token_budget) {
		snprintf(buf, bufsz, "the token budget (%lld tokens)",
		    ag->token_budget);
		return buf;
	}
	if (now_ms() >= s->soft_deadline_ms) {
		snprintf(buf, bufsz, "the time budget (%ld s)", ag->timeout_s);
		return buf;
	}
	return NULL;
}

/* The body as JSON for the transcript, or the raw text. */
static json_t *
body_json(const char *body, size_t len)
{
	json_t *v = json_loadb(body, len, 0, NULL);

	return v != NULL ? v : jx_string_lossy(body, len);
}

/*
 * One request and its reply.  0 with r filled; 1 to send again (a reply
 * that did not parse, once); -1 with L->why set.
 */
static int
send_turn(struct loop *L, struct model_reply *r)
{
	struct agent *ag = L->ag;
	struct session *s = L->s;
	struct model_request req;
	struct http_request hr;
	struct http_response res;
	struct model_error me;
	const char *headers[5], *rid, *why;
	size_t whylen;
	char *body, err[512];
	long turn, elapsed;
	size_t nh = 0;
	int rc;

	memset(&req, 0, sizeof(req));
	req.model = ag->model;
	req.max_tokens = L->max_tokens;
	req.max_tokens_field = ag->client.max_tokens_field;
	req.system = ag->system_prompt;
	req.tools = ag->tool_defs;
	req.messages = L->messages;
	req.force_tool = L->no_tool_choice ? NULL : L->force;
	req.has_temperature = ag->has_temperature;
	req.temperature = ag->temperature;
	body = ag->client.ops->request_body(&req);
	if (body == NULL) {
		stop(L, "data", "cannot build the request: out of memory");
		return -1;
	}
	headers[nh++] = "content-type: application/json";
	if (ag->client.ops == &model_anthropic)
		headers[nh++] = "anthropic-version: 2023-06-01";
	if (ag->client.auth_header != NULL)
		headers[nh++] = ag->client.auth_header;
	headers[nh] = NULL;
	memset(&hr, 0, sizeof(hr));
	hr.url = ag->client.url;
	hr.headers = headers;
	hr.body = body;
	hr.body_len = strlen(body);
	/* No request outlives the investigation: lib/http caps each
	 * attempt and every retry wait at the deadline. */
	hr.timeout_ms = ag->client.timeout_ms;
	hr.deadline_ms = (long)s->hard_deadline_ms;
	turn = s->turns + 1;
	s->request_bytes += (long long)hr.body_len;
	{
		char safe[512];

		http_safe_url(hr.url, 0, safe, sizeof(safe));
		transcript_write(ag, "request", json_pack("{s:I,s:s,s:s,s:o}",
		    "turn", (json_int_t)turn, "provider",
		    ag->client.ops->name, "url", safe, "body",
		    body_json(body, hr.body_len)));
	}
	progress_update("turn %ld: waiting for the model", turn);
	memset(&res, 0, sizeof(res));
	rc = http_send(&hr, &res);
	progress_done();
	free(body);
	rid = http_response_header(&res, "request-id");
	if (rid == NULL)
		rid = http_response_header(&res, "x-request-id");
	transcript_write(ag, "response", json_pack("{s:I,s:I,s:i,s:I,s:s?,"
	    "s:s?,s:o}", "turn", (json_int_t)turn, "status",
	    (json_int_t)res.status, "attempts", res.attempts, "elapsed_ms",
	    (json_int_t)res.elapsed_ms, "request_id", rid, "error",
	    res.error[0] != '\0' ? res.error : NULL, "body",
	    res.body != NULL ? body_json(res.body, res.len) : json_null()));
	if (rc == -1 || res.status == 0) {
		stop(L, "upstream", "the model API did not answer: %s",
		    res.error[0] != '\0' ? res.error : http_describe(&res));
		http_response_release(&res);
		return -1;
	}
	if (res.status != 200) {
		model_parse_error(res.status, res.body, res.len, &me);
		/* Why retries stopped: "(gave up after 4 attempts)", "(not
		 * retried: ... deadline ...)". */
		why = strstr(res.error, " (");
		whylen = why != NULL ? strlen(why) : 0;
		if (whylen < 3 || why[whylen - 1] != ')')
			why = NULL;
		whylen = why != NULL ? whylen - 3 : 0;
		stop(L, res.status == 401 || res.status == 403 ? "auth" :
		    "upstream", "the model API answered HTTP %ld%s%s%s%s%s%s%s"
		    "%s%.*s",
		    res.status, me.type[0] != '\0' ? " (" : "", me.type,
		    me.type[0] != '\0' ? ")" : "", me.message[0] != '\0' ?
		    ": " : "", me.message, rid != NULL ? "; request id " : "",
		    rid != NULL ? rid : "", why != NULL ? "; " : "",
		    (int)whylen, why != NULL ? why + 2 : "");
		http_response_release(&res);
		return -1;
	}
	rc = ag->client.ops->parse_reply(res.body, res.len, r, err,
	    sizeof(err));
	elapsed = res.elapsed_ms;
	http_response_release(&res);
	if (rc == -1) {
		if (L->bad_replies++ == 0) {
			say(ag, "warning: turn %ld: %s; asking again", turn,
			    err);
			return 1;
		}
		stop(L, "upstream", "the model API's answer could not be "
		    "read: %s", err);
		return -1;
	}
	/* A turn counts once the model has answered it. */
	s->turns = turn;
	if (r->ignores_tool_choice)
		L->no_tool_choice = 1;
	usage_add_turn(s, &r->usage, r->stop_reason, elapsed);
	return 0;
}

/* A submit_brief call: the brief when it is valid, else NULL and err. */
static json_t *
check_submission(const struct loop *L, const struct model_call *c,
    char *err, size_t errsz)
{
	char why[512];

	if (c->input == NULL) {
		snprintf(err, errsz, "the brief was not submitted: %s. Call "
		    "submit_brief again with a JSON object", c->input_error);
		return NULL;
	}
	if (tools_validate(L->ag->brief_schema, c->input, why,
	    sizeof(why)) == -1) {
		snprintf(err, errsz, "the brief was not accepted: %s. Fix it "
		    "and call submit_brief again", why);
		return NULL;
	}
	return brief_from_submission(c->input);
}

/* Runs one turn's calls and answers all of them in one message. */
static int
answer_calls(struct loop *L, const struct model_reply *r)
{
	struct call *calls;
	struct model_result *res;
	char (*errs)[600];
	size_t i;
	int rc;

	calls = calloc(r->ncalls, sizeof(*calls));
	res = calloc(r->ncalls, sizeof(*res));
	errs = calloc(r->ncalls, sizeof(*errs));
	if (calls == NULL || res == NULL || errs == NULL) {
		free(calls);
		free(res);
		free(errs);
		stop(L, "data", "out of memory");
		return -1;
	}
	for (i = 0; i < r->ncalls; i++) {
		calls[i].id = r->calls[i].id;
		calls[i].name = r->calls[i].name;
		calls[i].input = r->calls[i].input;
		calls[i].input_error = r->calls[i].input_error;
		if (strcmp(r->calls[i].name, SUBMIT) == 0 && L->brief == NULL) {
			L->brief = check_submission(L, &r->calls[i], errs[i],
			    sizeof(errs[i]));
			if (L->brief == NULL)
				calls[i].reject = errs[i];
		} else if (strcmp(r->calls[i].name, SUBMIT) == 0) {
			calls[i].reject = "only one brief is needed";
		} else if (L->final) {
			/* Servers that ignore tool_choice still get no more
			 * than the budget. */
			calls[i].reject = "not run: the budget is spent; call "
			    "submit_brief with what you have";
		}
	}
	if (L->brief != NULL) {
		/* Done: the other calls of this turn would change nothing. */
		free(calls);
		free(res);
		free(errs);
		return 0;
	}
	exec_calls(L->s, L->s->turns, calls, r->ncalls);
	for (i = 0; i < r->ncalls; i++) {
		res[i].call_id = calls[i].id;
		res[i].content = calls[i].content;
		res[i].is_error = calls[i].is_error;
	}
	rc = L->ag->client.ops->add_tool_results(L->messages, res, r->ncalls,
	    NULL);
	for (i = 0; i < r->ncalls; i++)
		call_release(&calls[i]);
	free(calls);
	free(res);
	free(errs);
	if (rc == -1)
		stop(L, "data", "cannot add the tool results to the "
		    "conversation: out of memory");
	return rc;
}

static void
add_message(struct loop *L, json_t *msg)
{
	if (msg != NULL)
		json_array_append(L->messages, msg);
}

/* Handles one reply.  0 to go on, 1 when there is a brief, -1 to stop. */
static int
handle(struct loop *L, struct model_reply *r)
{
	struct agent *ag = L->ag;

	switch (r->stop) {
	case MODEL_STOP_TOOL_USE:
		if (r->ncalls == 0) {
			stop(L, "upstream", "the model stopped for tool use "
			    "but asked for no tool");
			return -1;
		}
		add_message(L, r->message);
		if (answer_calls(L, r) == -1)
			return -1;
		if (L->brief != NULL)
			return 1;
		if (L->final && ++L->final_tries >= 2) {
			stop(L, "budget", "the model did not submit a valid "
			    "brief when its budget ran out");
			return -1;
		}
		return 0;
	case MODEL_STOP_END:
	case MODEL_STOP_SEQUENCE:
		add_message(L, r->message);
		if (L->nudged || L->final) {
			stop(L, "upstream", "the model ended its turn without "
			    "submitting a brief, twice");
			return -1;
		}
		L->nudged = 1;
		L->force = SUBMIT;
		return ag->client.ops->add_user_text(L->messages, "You ended "
		    "your turn without submitting the brief. Call "
		    "submit_brief now with your findings; put what you could "
		    "not check under visibility_gaps.") == -1 ? -1 : 0;
	case MODEL_STOP_MAX_TOKENS:
		/* The answer was cut off: a trailing tool call may be
		 * incomplete, so nothing of it is run or kept. */
		if (L->max_tokens < AGENT_MAX_TOKENS_CAP) {
			L->max_tokens = L->max_tokens * 2 <
			    AGENT_MAX_TOKENS_CAP ? L->max_tokens * 2 :
			    AGENT_MAX_TOKENS_CAP;
			say(ag, "warning: turn %ld: the answer hit max_tokens; "
			    "asking again with %ld", L->s->turns,
			    L->max_tokens);
			return 0;
		}
		stop(L, "upstream", "the model's answer did not fit in %ld "
		    "output tokens", L->max_tokens);
		return -1;
	case MODEL_STOP_PAUSE:
		if (++L->pauses > AGENT_MAX_PAUSES) {
			stop(L, "upstream", "the model paused its turn more "
			    "than %d times", AGENT_MAX_PAUSES);
			return -1;
		}
		/* Sent back as it is, with no new user text. */
		add_message(L, r->message);
		return 0;
	case MODEL_STOP_REFUSAL:
		stop(L, "upstream", "%s", r->refusal != NULL ? r->refusal :
		    "the model declined");
		return -1;
	case MODEL_STOP_CONTEXT:
		stop(L, "upstream", "the conversation outgrew the model's "
		    "context window");
		return -1;
	default:
		stop(L, "upstream", "the model stopped for an unexpected "
		    "reason ('%s')", r->stop_reason != NULL ? r->stop_reason :
		    "");
		return -1;
	}
}

/* The last request when a budget has run out: say so, force the brief. */
static int
finish_now(struct loop *L, const char *budget)
{
	char text[512];

	L->final = 1;
	L->force = SUBMIT;
	say(L->ag, "%s is spent: asking the model for its brief", budget);
	snprintf(text, sizeof(text), "%s is spent: no more tool calls. "
	    "Submit the brief now with submit_brief, using what you have "
	    "found, and list under visibility_gaps what you could not "
	    "examine.", budget);
	text[0] = (char)(text[0] == 't' ? 'T' : text[0]);
	return L->ag->client.ops->add_user_text(L->messages, text);
}

static json_t *
fallback(struct loop *L)
{
	struct session *s = L->s;
	json_t *brief, *err;

	say(L->ag, "warning: %s; the playbook makes the brief instead",
	    L->why);
	err = jx_error_record("agent", L->why_code != NULL ? L->why_code :
	    "upstream", L->why, json_pack("{s:s,s:s?}", "provider",
	    L->ag->provider, "model", L->ag->model));
	json_array_append_new(s->errors, err);
	brief = playbook_run(s);
	if (brief != NULL)
		brief_finish(s, brief, "playbook", L->why);
	return brief;
}

json_t *
session_run(struct session *s)
{
	struct agent *ag = s->ag;
	struct model_reply r;
	struct loop L;
	const char *budget;
	char bbuf[128], *first;
	int rc;

	memset(&L, 0, sizeof(L));
	L.s = s;
	L.ag = ag;
	L.max_tokens = ag->max_tokens;
	if (!ag->has_client) {
		stop(&L, "not_configured", "%s", ag->client_error);
		return fallback(&L);
	}
	L.messages = json_array();
	first = prompt_first_message(s);
	if (L.messages == NULL || first == NULL ||
	    ag->client.ops->add_user_text(L.messages, first) == -1) {
		free(first);
		json_decref(L.messages);
		stop(&L, "data", "out of memory");
		return fallback(&L);
	}
	free(first);
	for (;;) {
		if (s->turns >= ag->max_turns) {
			stop(&L, "budget", "the turn budget (%ld turns) ran "
			    "out before the model submitted a brief",
			    ag->max_turns);
			break;
		}
		if (!L.final &&
		    (budget = budget_spent(&L, bbuf, sizeof(bbuf))) != NULL &&
		    finish_now(&L, budget) == -1) {
			stop(&L, "data", "out of memory");
			break;
		}
		model_reply_init(&r);
		rc = send_turn(&L, &r);
		if (rc == 0)
			rc = handle(&L, &r);
		else if (rc == 1)
			rc = 0;
		model_reply_release(&r);
		if (rc != 0)
			break;
	}
	json_decref(L.messages);
	if (L.brief == NULL)
		return fallback(&L);
	brief_finish(s, L.brief, "model", NULL);
	return L.brief;
}
