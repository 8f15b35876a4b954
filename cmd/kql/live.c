/*
 * live: a query against Azure Log Analytics (azure-apis.md B).
 *
 * One POST per query: {"query", "timespan"} to
 * {base}/v1/workspaces/{id}/query with a bearer token, JSON content type
 * (without it the API answers an empty 200) and "Prefer: wait=N", so the
 * server gives up on a long query a little before we do and says so with
 * a 504 instead of leaving us to time out.  lib/http retries 429 and 5xx.
 * Every refusal is turned into a kql_status and a message that keeps the
 * API's whole error chain, because the model repairs its query from it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azauth.h"
#include "buf.h"
#include "config.h"
#include "http.h"
#include "live.h"
#include "log.h"
#include "output.h"
#include "rawresp.h"

#define DEFAULT_BASE		"https://api.loganalytics.io"
#define DEFAULT_SCOPE		"https://api.loganalytics.io/.default"
#define DEFAULT_WAIT_S		180	/* the service's own default */
#define MAX_WAIT_S		600	/* the most Prefer: wait allows */
#define CLIENT_MARGIN_S		10	/* we wait this much past the server */
#define MAX_RESPONSE		(256u << 20)

/* A failed token is not asked for again by the same process. */
static enum kql_status	 auth_status = KQL_OK;
static char		*auth_why;

int
live_valid_workspace(const char *id)
{
	static const char form[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	for (i = 0; form[i] != '\0'; i++)
		if (form[i] == '-' ? id[i] != '-' :
		    !isxdigit((unsigned char)id[i]))
			return 0;
	return id[i] == '\0';
}

/* The API base without a trailing slash or "/v1". */
static char *
api_base(void)
{
	const char *b = config_get_or("TRIAGE_LOGANALYTICS_URL", DEFAULT_BASE);
	size_t n = strlen(b);
	char *s;

	while (n > 0 && b[n - 1] == '/')
		n--;
	if (n >= 3 && strncmp(b + n - 3, "/v1", 3) == 0)
		n -= 3;
	s = strndup(b, n);
	return s;
}

/*
 * The token scope: TRIAGE_LOGANALYTICS_SCOPE, else the base's own for a
 * sovereign cloud (https://api.loganalytics.us), else the public one,
 * which api.loganalytics.azure.com also accepts (A.8).
 */
static char *
api_scope(const char *base)
{
	const char *s = config_get("TRIAGE_LOGANALYTICS_SCOPE");
	struct buf b;

	if (s != NULL)
		return strdup(s);
	buf_init(&b);
	if (strncmp(base, "https://api.loganalytics.", 25) == 0 &&
	    strchr(base + 8, '/') == NULL &&
	    strcmp(base, "https://api.loganalytics.azure.com") != 0)
		buf_printf(&b, "%s/.default", base);
	else
		buf_adds(&b, DEFAULT_SCOPE);
	return buf_steal(&b);
}

/* The API's error object from a body, or NULL.  New reference. */
static json_t *
error_object(const json_t *body)
{
	json_t *e = json_object_get(body, "error");

	if (json_is_object(e))
		return json_incref(e);
	if (json_is_string(e))		/* an OAuth-style answer */
		return json_pack("{s:O,s:O?}", "code", e, "message",
		    json_object_get(body, "error_description"));
	return NULL;
}

/* Appends ":\n" and the error chain, or the start of an unknown body. */
static void
describe_body(struct buf *err, const json_t *e, const struct http_response *r)
{
	size_t i;

	if (e != NULL) {
		buf_adds(err, ":\n");
		output_describe_error(err, e);
		return;
	}
	if (r->len == 0)
		return;
	buf_adds(err, ": ");
	for (i = 0; i < r->len && i < 300; i++)
		buf_addc(err, (unsigned char)r->body[i] < 0x20 ? ' ' :
		    r->body[i]);
	if (r->len > 300)
		buf_adds(err, "...");
}

/* Turns an HTTP answer other than 200/204 into a status and message. */
static enum kql_status
refusal(const char *workspace, const struct http_response *r,
    struct buf *err, json_t **detail)
{
	enum kql_status st;
	json_t *body, *e;

	body = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	e = error_object(body);
	json_decref(body);
	switch (r->status) {
	case 400:
		buf_printf(err, "the query was rejected (HTTP 400)");
		st = KQL_SYNTAX;
		break;
	case 401:
		buf_printf(err, "Log Analytics refused the credentials "
		    "(HTTP 401)");
		st = KQL_AUTH;
		break;
	case 403:
		buf_printf(err, "access to workspace %s was denied (HTTP 403); "
		    "the identity needs a role such as Log Analytics Reader "
		    "on it, or the workspace id is wrong", workspace);
		st = KQL_AUTH;
		break;
	case 404:
		buf_printf(err, "workspace %s was not found (HTTP 404); "
		    "LOG_ANALYTICS_WORKSPACE_ID must be the workspace id (a "
		    "GUID, not its name), and TRIAGE_LOGANALYTICS_URL the API "
		    "address", workspace);
		st = KQL_NOTFOUND;
		break;
	default:
		buf_printf(err, "Log Analytics failed with HTTP %ld",
		    r->status);
		if (r->attempts > 1)
			buf_printf(err, " after %d attempts", r->attempts);
		st = KQL_UPSTREAM;
	}
	describe_body(err, e, r);
	if (detail != NULL)
		*detail = e;
	else
		json_decref(e);
	return st;
}

/*
 * A 200 answer, read in place: the response (which takes the body), or
 * an upstream failure.
 */
static enum kql_status
answer(struct http_response *r, struct raw_response *response,
    struct buf *err)
{
	struct buf why;
	char *body;
	size_t i, len;

	for (i = 0; i < r->len && isspace((unsigned char)r->body[i]); i++)
		;
	if (i == r->len) {
		/* The API's answer to a request it could not read. */
		buf_adds(err, "Log Analytics answered HTTP 200 with an empty "
		    "body");
		return KQL_UPSTREAM;
	}
	body = r->body;
	len = r->len;
	r->body = NULL;
	r->len = 0;
	buf_init(&why);
	if (raw_response_read(response, body, len, &why) == -1) {
		buf_printf(err, "Log Analytics sent a malformed response: %s",
		    buf_str(&why));
		buf_release(&why);
		raw_response_release(response);
		return KQL_UPSTREAM;
	}
	buf_release(&why);
	return KQL_OK;
}

static enum kql_status
get_token(const char *scope, struct azauth_token *tok, struct buf *err)
{
	enum azauth_status as;
	struct buf why;

	if (auth_status != KQL_OK) {
		buf_adds(err, auth_why != NULL ? auth_why : "no Azure token");
		return auth_status;
	}
	buf_init(&why);
	as = azauth_get_token(scope, tok, &why);
	if (as == AZAUTH_OK) {
		buf_release(&why);
		return KQL_OK;
	}
	auth_status = as == AZAUTH_UPSTREAM ? KQL_UPSTREAM : KQL_AUTH;
	free(auth_why);
	auth_why = buf_steal(&why);
	buf_adds(err, auth_why != NULL ? auth_why : "no Azure token");
	return auth_status;
}

enum kql_status
live_query(const char *workspace, const struct kql_query *q,
    struct raw_response *response, struct buf *err, json_t **detail)
{
	const char *headers[5];
	struct http_request req;
	struct http_response res;
	struct azauth_token tok;
	struct buf url, auth, prefer;
	enum kql_status st;
	char *base, *scope, *body = NULL;
	char *empty;
	json_t *payload;
	long wait;

	memset(response, 0, sizeof(*response));
	if (detail != NULL)
		*detail = NULL;
	memset(&tok, 0, sizeof(tok));
	memset(&res, 0, sizeof(res));
	buf_init(&url);
	buf_init(&auth);
	buf_init(&prefer);
	base = api_base();
	scope = base != NULL ? api_scope(base) : NULL;
	if (base == NULL || scope == NULL) {
		buf_adds(err, "out of memory");
		st = KQL_FAIL;
		goto out;
	}
	st = get_token(scope, &tok, err);
	if (st != KQL_OK)
		goto out;
	payload = json_pack("{s:s}", "query", q->query);
	if (payload != NULL && q->timespan != NULL)
		json_object_set_new(payload, "timespan",
		    json_string(q->timespan));
	body = payload != NULL ? json_dumps(payload, JSON_COMPACT) : NULL;
	json_decref(payload);
	wait = q->timeout_s > 0 ? q->timeout_s : DEFAULT_WAIT_S;
	if (wait > MAX_WAIT_S)
		wait = MAX_WAIT_S;
	buf_printf(&url, "%s/v1/workspaces/%s/query", base, workspace);
	buf_printf(&auth, "Authorization: Bearer %s", tok.access_token);
	buf_printf(&prefer, "Prefer: wait=%ld", wait);
	if (body == NULL || buf_failed(&url) || buf_failed(&auth) ||
	    buf_failed(&prefer)) {
		buf_adds(err, "out of memory");
		st = KQL_FAIL;
		goto out;
	}
	headers[0] = buf_str(&auth);
	headers[1] = "Content-Type: application/json";
	headers[2] = "Accept: application/json";
	headers[3] = buf_str(&prefer);
	headers[4] = NULL;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = buf_str(&url);
	req.headers = headers;
	req.body = body;
	req.body_len = strlen(body);
	req.timeout_ms = (wait + CLIENT_MARGIN_S) * 1000;
	req.max_response = MAX_RESPONSE;
	if (http_send(&req, &res) == -1) {
		buf_printf(err, "cannot reach Log Analytics: %s", res.error);
		st = KQL_UPSTREAM;
		goto out;
	}
	log_debug("query: HTTP %ld after %d attempt(s), %zu bytes",
	    res.status, res.attempts, res.len);
	if (res.status == 200) {
		st = answer(&res, response, err);
	} else if (res.status == 204) {
		/* A workspace with no data at all. */
		empty = strdup("{\"tables\":[]}");
		st = empty != NULL && raw_response_read(response, empty,
		    strlen(empty), err) == 0 ? KQL_OK : KQL_FAIL;
	} else {
		st = refusal(workspace, &res, err, detail);
		/* A refused token must not be served from the cache again. */
		if (res.status == 401)
			azauth_forget(scope, &tok);
	}
out:
	if (auth.data != NULL)
		explicit_bzero(auth.data, auth.len);
	buf_release(&auth);
	buf_release(&url);
	buf_release(&prefer);
	http_response_release(&res);
	azauth_token_release(&tok);
	free(body);
	free(scope);
	free(base);
	return st;
}

void
live_release(void)
{
	free(auth_why);
	auth_why = NULL;
	auth_status = KQL_OK;
}
