/*
 * check_loganalytics: the Log Analytics query API (azure-apis.md B):
 * GET or POST /v1/workspaces/{workspace GUID}/query with a Bearer
 * token.  Refusals use the OneAPI error object
 * {"error": {"code", "message", "correlationId", "innererror"?}}.
 * A POST without Content-Type: application/json gets what the real API
 * sends, an empty 200, so the client's "empty 200 is an error" rule
 * can be tested.
 *
 * check_options: workspace (the GUID expected), token (exact).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "util.h"

static json_t *
la_body(const struct mock_request *req, const char *code,
    const char *message, const char *inner_code, const char *inner_msg)
{
	char corr[40];
	json_t *body;

	snprintf(corr, sizeof(corr), "00000000-0000-0000-0003-%012lu",
	    req->seq);
	body = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", code,
	    "message", message, "correlationId", corr);
	if (inner_code != NULL)
		json_object_set_new(json_object_get(body, "error"),
		    "innererror", json_pack("{s:s,s:s}", "code", inner_code,
		    "message", inner_msg));
	return body;
}

static json_t *
la_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)opts;
	return la_body(req, status == 401 ? "AuthenticationFailed" :
	    status == 403 ? "InsufficientAccessError" : "BadArgumentError",
	    message, NULL, NULL);
}

static void
la_fail(const struct mock_request *req, struct verdict *v, int status,
    const char *code, const char *message, const char *detail)
{
	check_fail(v, status, la_body(req, code, message, detail != NULL ?
	    "InvalidArgument" : NULL, detail), "loganalytics: %s%s%s",
	    message, detail != NULL ? ": " : "", detail != NULL ? detail :
	    "");
}

/* P[nY][nM][nW][nD][T[nH][nM][nS]], with at least one part. */
static bool
la_is_duration(const char *s)
{
	bool in_time = false, any = false;

	if (*s++ != 'P')
		return false;
	while (*s != '\0') {
		if (*s == 'T' && !in_time) {
			in_time = true;
			s++;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s) || *s == '.')
			s++;
		if (strchr(in_time ? "HMS" : "YMWD", *s) == NULL ||
		    *s == '\0')
			return false;
		s++;
		any = true;
	}
	return any;
}

/* A rough ISO-8601 date-time: YYYY-MM-DD, then T and a time. */
static bool
la_is_datetime(const char *s, size_t n)
{
	return n >= 10 && isdigit((unsigned char)s[0]) && s[4] == '-' &&
	    s[7] == '-' && (n == 10 || s[10] == 'T');
}

static bool
la_is_timespan(const char *s)
{
	const char *slash = strchr(s, '/');
	bool ok;
	char *a;

	if (slash == NULL)
		return la_is_duration(s);
	a = xstrndup(s, (size_t)(slash - s));
	ok = (la_is_datetime(a, strlen(a)) || la_is_duration(a)) &&
	    (la_is_datetime(slash + 1, strlen(slash + 1)) ||
	    la_is_duration(slash + 1)) &&
	    !(la_is_duration(a) && la_is_duration(slash + 1));
	free(a);
	return ok;
}

static void
la_prefer(const struct mock_request *req, struct verdict *v)
{
	const char *prefer = util_header(req->headers, "prefer");
	char *copy, *item, *save = NULL;

	if (prefer == NULL)
		return;
	copy = xstrdup(prefer);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		if (strncmp(item, "wait=", 5) == 0) {
			long n = strtol(item + 5, NULL, 10);

			if (n < 1 || n > 600)
				check_note(v, "loganalytics: Prefer wait=%s "
				    "is outside 1..600", item + 5);
		} else if (strcmp(item, "include-statistics=true") != 0 &&
		    strcmp(item, "include-render=true") != 0 &&
		    strcmp(item, "include-dataSources=true") != 0 &&
		    strcmp(item, "include-permissions=true") != 0) {
			check_note(v, "loganalytics: unknown preference "
			    "'%s'", item);
		}
	}
	free(copy);
}

static void
la_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *want = check_opt_str(opts, "workspace");
	const char *token_want = check_opt_str(opts, "token");
	const char *prefix = "/v1/workspaces/", *p = req->path;
	const char *token, *query, *span;
	char ws[128], text[300];
	size_t n;
	json_t *w;

	n = strlen(p);
	if (strncmp(p, prefix, strlen(prefix)) != 0 || n < strlen(prefix) +
	    7 || strcmp(p + n - 6, "/query") != 0 || n - strlen(prefix) - 6 >=
	    sizeof(ws)) {
		la_fail(req, v, 404, "PathNotFoundError",
		    "The requested path does not exist", NULL);
		return;
	}
	snprintf(ws, sizeof(ws), "%.*s", (int)(n - strlen(prefix) - 6),
	    p + strlen(prefix));
	if (!check_is_guid(ws) || (want != NULL && strcasecmp(ws, want) !=
	    0)) {
		snprintf(text, sizeof(text), "Workspace %.80s was not found "
		    "(the API wants the workspace GUID, not its name)", ws);
		la_fail(req, v, 404, "WorkspaceNotFoundError", text, NULL);
	}
	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "POST") != 0)
		la_fail(req, v, 404, "PathNotFoundError",
		    "The requested path does not exist", NULL);
	token = check_bearer(req);
	if (token == NULL)
		la_fail(req, v, 401, "AuthenticationFailed",
		    "Valid authentication was not provided", NULL);
	else if (token_want != NULL && strcmp(token, token_want) != 0)
		la_fail(req, v, 403, "InvalidAuthenticationToken",
		    "The provided authentication is not valid for this "
		    "resource", NULL);
	la_prefer(req, v);
	if (strcmp(req->method, "GET") == 0) {
		query = check_arg(req, "query");
		span = check_arg(req, "timespan");
	} else {
		if (!check_content_type(req, "application/json")) {
			/* What the real API does: an empty 200. */
			check_fail(v, 200, NULL, "loganalytics: POST without "
			    "Content-Type: application/json (the API answers "
			    "an empty 200)");
			return;
		}
		if (!json_is_object(req->json)) {
			la_fail(req, v, 400, "BadArgumentError",
			    "The request had some invalid properties",
			    "the body must be a JSON object");
			return;
		}
		w = json_object_get(req->json, "query");
		query = json_string_value(w);
		if (w != NULL && query == NULL)
			query = "";
		w = json_object_get(req->json, "timespan");
		span = json_string_value(w);
		if (w != NULL && !json_is_null(w) && span == NULL)
			la_fail(req, v, 400, "BadArgumentError",
			    "The request had some invalid properties",
			    "timespan must be a string");
		w = json_object_get(req->json, "workspaces");
		if (w != NULL && !json_is_array(w))
			la_fail(req, v, 400, "BadArgumentError",
			    "The request had some invalid properties",
			    "workspaces must be an array of strings");
	}
	if (query == NULL || *query == '\0')
		la_fail(req, v, 400, "BadArgumentError",
		    "The request had some invalid properties",
		    "query is required");
	if (span != NULL && !la_is_timespan(span)) {
		snprintf(text, sizeof(text), "timespan '%.80s' is not an "
		    "ISO 8601 duration or interval", span);
		la_fail(req, v, 400, "BadArgumentError",
		    "The request had some invalid properties", text);
	}
}

const struct check check_loganalytics = {
	.name = "loganalytics",
	.run = la_run,
	.error = la_error,
};
