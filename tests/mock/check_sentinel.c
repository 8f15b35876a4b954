/*
 * check_sentinel: the Microsoft Sentinel REST API under ARM
 * (azure-apis.md D.1): a Bearer token, an api-version on every call,
 * the incident paths with their methods (alerts and entities are
 * POST).  Refusals use the ARM CloudError {"error": {"code",
 * "message"}}.
 *
 * check_options: token (exact), api_version (exact, e.g. 2025-09-01).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "util.h"

static const char sentinel_base[] = "/subscriptions/*/resourcegroups/*/"
    "providers/microsoft.operationalinsights/workspaces/*/providers/"
    "microsoft.securityinsights";

static json_t *
sentinel_body(const char *code, const char *message)
{
	return json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
	    message);
}

static json_t *
sentinel_error(const struct mock_request *req, const json_t *opts,
    int status, const char *message)
{
	(void)req;
	(void)opts;
	return sentinel_body(status == 401 ? "AuthenticationFailed" :
	    "BadRequest", message);
}

static void
sentinel_fail(struct verdict *v, int status, const char *code,
    const char *message)
{
	check_fail(v, status, sentinel_body(code, message), "sentinel: %s",
	    message);
}

/* Whether m is one of the space-separated methods in list. */
static bool
sentinel_method_in(const char *list, const char *m)
{
	size_t n = strlen(m);
	const char *p = list;

	while ((p = strstr(p, m)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

/* Check the method used on an incident path; rest follows the base. */
static void
sentinel_incident(const struct mock_request *req, const char *rest,
    struct verdict *v)
{
	const char *allowed = NULL, *slash;
	char id[128], sub[64], text[300];

	if (strcmp(rest, "/incidents") == 0) {
		allowed = "GET";
	} else {
		rest += strlen("/incidents/");
		slash = strchr(rest, '/');
		snprintf(id, sizeof(id), "%.*s", slash != NULL ?
		    (int)(slash - rest) : (int)strlen(rest), rest);
		snprintf(sub, sizeof(sub), "%s", slash != NULL ? slash + 1 :
		    "");
		if (!check_is_guid(id)) {
			snprintf(text, sizeof(text), "Incident '%.60s' not "
			    "found (incident ids are the GUID IncidentName, "
			    "not the number)", id);
			sentinel_fail(v, 404, "NotFound", text);
		}
		if (sub[0] == '\0')
			allowed = "GET PUT DELETE";
		else if (strcasecmp(sub, "alerts") == 0 ||
		    strcasecmp(sub, "entities") == 0 ||
		    strcasecmp(sub, "bookmarks") == 0)
			allowed = "POST";
		if (sub[0] == '\0' && strcmp(req->method, "PUT") == 0 &&
		    !json_is_object(json_object_get(req->json, "properties")))
			sentinel_fail(v, 400, "BadRequest", "PUT needs a JSON "
			    "incident with 'properties'");
	}
	if (allowed != NULL && !sentinel_method_in(allowed, req->method)) {
		snprintf(text, sizeof(text), "The requested method %.10s is "
		    "not allowed here; use %s", req->method, allowed);
		sentinel_fail(v, 405, "MethodNotAllowed", text);
	}
}

static void
sentinel_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *token = check_bearer(req), *ver, *top;
	const char *want = check_opt_str(opts, "token");
	char *lower, *rest, text[300];
	size_t i;

	if (util_header(req->headers, "authorization") == NULL)
		sentinel_fail(v, 401, "AuthenticationFailed", "Authentication "
		    "failed. The 'Authorization' header is missing.");
	else if (token == NULL || (want != NULL && strcmp(token, want) != 0))
		sentinel_fail(v, 401, "InvalidAuthenticationToken",
		    "The access token is invalid.");
	ver = check_arg(req, "api-version");
	want = check_opt_str(opts, "api_version");
	if (ver == NULL) {
		sentinel_fail(v, 400, "MissingApiVersionParameter", "The "
		    "api-version query parameter (?api-version=) is required "
		    "for all requests.");
	} else if (want != NULL && strcmp(ver, want) != 0) {
		snprintf(text, sizeof(text), "The api-version '%.40s' is "
		    "invalid. The supported versions are '%.40s'.", ver,
		    want);
		sentinel_fail(v, 400, "InvalidApiVersionParameter", text);
	}
	top = check_arg(req, "$top");
	if (top != NULL) {
		char *end;
		long n = strtol(top, &end, 10);

		if (*end != '\0' || n < 1 || n > 1000)
			sentinel_fail(v, 400, "BadRequest", "$top must be an "
			    "integer from 1 to 1000");
	}
	/* ARM paths compare case-insensitively. */
	lower = xstrdup(req->path);
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	rest = strstr(lower, "/providers/microsoft.securityinsights");
	if (rest == NULL) {
		sentinel_fail(v, 404, "InvalidResourceType", "The resource "
		    "type could not be found.");
	} else {
		size_t base = (size_t)(rest - lower) +
		    strlen("/providers/microsoft.securityinsights");
		char *head = xstrndup(lower, base);

		if (!util_glob(sentinel_base, head))
			sentinel_fail(v, 404, "InvalidResourceType", "The "
			    "resource type could not be found.");
		else if (strcmp(lower + base, "/incidents") == 0 ||
		    strncmp(lower + base, "/incidents/", 11) == 0)
			sentinel_incident(req, req->path + base, v);
		free(head);
	}
	free(lower);
}

const struct check check_sentinel = {
	.name = "sentinel",
	.run = sentinel_run,
	.error = sentinel_error,
};
