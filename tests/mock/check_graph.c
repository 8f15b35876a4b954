/*
 * check_graph: Microsoft Graph security incidents and alerts
 * (azure-apis.md D.2): a Bearer token, the v1.0 or beta paths, and the
 * OData parameters the API documents ($top, $expand=alerts, $filter
 * on the filterable properties).  Refusals use the Graph error shape
 * {"error": {"code", "message", "innerError": {date, request-id,
 * client-request-id}}}.
 *
 * check_options: token (exact).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "util.h"

static json_t *
graph_body(const struct mock_request *req, const char *code,
    const char *message)
{
	char when[32], rid[40];
	const char *crid = util_header(req->headers, "client-request-id");

	util_iso_time(req->now, when, sizeof(when));
	snprintf(rid, sizeof(rid), "00000000-0000-0000-0004-%012lu",
	    req->seq);
	return json_pack("{s:{s:s,s:s,s:{s:s,s:s,s:s}}}", "error", "code",
	    code, "message", message, "innerError", "date", when,
	    "request-id", rid, "client-request-id", crid != NULL ? crid :
	    rid);
}

static json_t *
graph_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)opts;
	return graph_body(req, status == 401 ? "InvalidAuthenticationToken" :
	    "BadRequest", message);
}

static void
graph_fail(const struct mock_request *req, struct verdict *v, int status,
    const char *code, const char *message)
{
	check_fail(v, status, graph_body(req, code, message), "graph: %s",
	    message);
}

static bool
graph_filterable(const char *name, size_t n)
{
	static const char *const props[] = {
		"assignedTo", "classification", "createdDateTime",
		"determination", "lastUpdateDateTime", "severity", "status",
		NULL
	};
	size_t i;

	for (i = 0; props[i] != NULL; i++)
		if (strlen(props[i]) == n && strncmp(props[i], name, n) == 0)
			return true;
	return false;
}

/*
 * Each clause of the filter ("a eq 'x' and b ge 2024-...") must start
 * with a filterable property.  Quoted strings are skipped.
 */
static void
graph_filter(const struct mock_request *req, struct verdict *v,
    const char *f)
{
	bool want_name = true;
	char text[300];

	while (*f != '\0') {
		const char *w;
		size_t n;

		while (*f == ' ' || *f == '(' || *f == ')')
			f++;
		if (*f == '\'') {
			f = strchr(f + 1, '\'');
			if (f == NULL)
				break;
			f++;
			continue;
		}
		w = f;
		while (*f != '\0' && *f != ' ' && *f != '(' && *f != ')')
			f++;
		n = (size_t)(f - w);
		if (n == 0)
			continue;
		if ((n == 3 && strncasecmp(w, "and", 3) == 0) ||
		    (n == 2 && strncasecmp(w, "or", 2) == 0)) {
			want_name = true;
			continue;
		}
		if (want_name && !(n == 3 && strncasecmp(w, "not", 3) == 0)) {
			if (!graph_filterable(w, n)) {
				snprintf(text, sizeof(text), "Invalid filter "
				    "clause: '%.*s' is not a filterable "
				    "property of incident", (int)(n < 60 ? n :
				    60), w);
				graph_fail(req, v, 400, "BadRequest", text);
				return;
			}
			want_name = false;
		}
	}
}

static void
graph_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *want = check_opt_str(opts, "token");
	const char *token = check_bearer(req), *p = req->path, *arg;
	bool incidents;
	char text[300];

	if (token == NULL)
		graph_fail(req, v, 401, "InvalidAuthenticationToken",
		    "Access token is empty.");
	else if (want != NULL && strcmp(token, want) != 0)
		graph_fail(req, v, 401, "InvalidAuthenticationToken",
		    "Access token validation failure.");
	if (strncmp(p, "/v1.0/", 6) == 0)
		p += 5;
	else if (strncmp(p, "/beta/", 6) == 0)
		p += 5;
	else
		p = NULL;
	incidents = p != NULL && (strcmp(p, "/security/incidents") == 0 ||
	    (strncmp(p, "/security/incidents/", 20) == 0 &&
	    strchr(p + 20, '/') == NULL && p[20] != '\0'));
	if (p == NULL || (!incidents && strcmp(p, "/security/alerts_v2") !=
	    0 && !(strncmp(p, "/security/alerts_v2/", 20) == 0 &&
	    strchr(p + 20, '/') == NULL && p[20] != '\0'))) {
		snprintf(text, sizeof(text), "Resource not found for the "
		    "segment '%.100s'.", req->path);
		graph_fail(req, v, 400, "BadRequest", text);
		return;
	}
	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "PATCH") != 0)
		graph_fail(req, v, 405, "MethodNotAllowed", "The request "
		    "method is not allowed for this resource.");
	if ((arg = check_arg(req, "$top")) != NULL) {
		char *end;
		long n = strtol(arg, &end, 10);

		if (*arg == '\0' || *end != '\0' || n < 1)
			graph_fail(req, v, 400, "BadRequest",
			    "Invalid value for $top.");
	}
	if ((arg = check_arg(req, "$expand")) != NULL && incidents &&
	    strcmp(arg, "alerts") != 0 && strcmp(arg, "alerts()") != 0) {
		snprintf(text, sizeof(text), "Could not find a property named "
		    "'%.60s' on type 'microsoft.graph.security.incident'.",
		    arg);
		graph_fail(req, v, 400, "BadRequest", text);
	}
	if ((arg = check_arg(req, "$filter")) != NULL && incidents)
		graph_filter(req, v, arg);
}

const struct check check_graph = {
	.name = "graph",
	.run = graph_run,
	.error = graph_error,
};
