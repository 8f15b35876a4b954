/*
 * check_appservice: the App Service / Functions / Container Apps
 * managed identity endpoint (azure-apis.md A.5).  The spec gives no
 * error body; refusals use {"statusCode", "message", "correlationId"},
 * the shape the App Service identity endpoint is seen to return.
 *
 * check_options: identity_header (the secret expected), api_version
 * (default "2019-08-01"), resource, client_id.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util.h"

static json_t *
appservice_body(const struct mock_request *req, int status,
    const char *message)
{
	char corr[40];

	snprintf(corr, sizeof(corr), "00000000-0000-0000-0002-%012lu",
	    req->seq);
	return json_pack("{s:i,s:s,s:s}", "statusCode", status, "message",
	    message, "correlationId", corr);
}

static json_t *
appservice_error(const struct mock_request *req, const json_t *opts,
    int status, const char *message)
{
	(void)opts;
	return appservice_body(req, status, message);
}

static void
appservice_fail(const struct mock_request *req, struct verdict *v,
    int status, const char *message)
{
	check_fail(v, status, appservice_body(req, status, message),
	    "appservice: %s", message);
}

static void
appservice_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *hdr = util_header(req->headers, "x-identity-header");
	const char *want = check_opt_str(opts, "identity_header");
	const char *ver, *res;
	char text[300];
	int ids = 0;

	if (strcmp(req->method, "GET") != 0)
		appservice_fail(req, v, 405, "The request method is not "
		    "supported");
	if (hdr == NULL || *hdr == '\0') {
		appservice_fail(req, v, 401, util_header(req->headers,
		    "secret") != NULL ? "X-IDENTITY-HEADER is required (the "
		    "legacy 'secret' header belongs to api-version "
		    "2017-09-01)" : "X-IDENTITY-HEADER is required");
	} else if (want != NULL && strcmp(hdr, want) != 0) {
		appservice_fail(req, v, 401, "X-IDENTITY-HEADER does not "
		    "match");
	}
	ver = check_arg(req, "api-version");
	want = check_opt_str(opts, "api_version");
	if (want == NULL)
		want = "2019-08-01";
	if (ver == NULL) {
		appservice_fail(req, v, 400, "api-version is required");
	} else if (strcmp(ver, want) != 0) {
		snprintf(text, sizeof(text), "api-version %.40s is not "
		    "%.40s", ver, want);
		appservice_fail(req, v, 400, text);
	}
	res = check_arg(req, "resource");
	want = check_opt_str(opts, "resource");
	if (res == NULL || *res == '\0') {
		appservice_fail(req, v, 400, "resource is required");
	} else if (strstr(res, "/.default") != NULL ||
	    (want != NULL && strcmp(res, want) != 0)) {
		snprintf(text, sizeof(text), "resource %.200s is not a "
		    "valid resource", res);
		appservice_fail(req, v, 400, text);
	}
	ids += check_arg(req, "client_id") != NULL;
	ids += check_arg(req, "principal_id") != NULL;
	ids += check_arg(req, "mi_res_id") != NULL;
	if (ids > 1)
		appservice_fail(req, v, 400, "Only one of client_id, "
		    "principal_id and mi_res_id may be given");
	want = check_opt_str(opts, "client_id");
	if (want != NULL && (check_arg(req, "client_id") == NULL ||
	    strcmp(check_arg(req, "client_id"), want) != 0))
		appservice_fail(req, v, 400, "No MSI found for specified "
		    "ClientId/ResourceId.");
}

const struct check check_appservice = {
	.name = "appservice",
	.run = appservice_run,
	.error = appservice_error,
};
