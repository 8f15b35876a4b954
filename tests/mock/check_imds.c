/*
 * check_imds: the Azure Instance Metadata Service token endpoint
 * (azure-apis.md A.5).  Refusals use the IMDS shape
 * {"error": "...", "error_description": "..."}.
 *
 * check_options: api_version, resource, client_id (exact values), and
 * allow_probe: true to answer the SDK's availability probe (the same
 * GET without Metadata) with its 400 without recording a violation.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "util.h"

static json_t *
imds_body(const char *error, const char *desc)
{
	return json_pack("{s:s,s:s}", "error", error, "error_description",
	    desc);
}

static json_t *
imds_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)req;
	(void)opts;
	(void)status;
	return imds_body("invalid_request", message);
}

static void
imds_fail(struct verdict *v, int status, const char *error,
    const char *desc)
{
	check_fail(v, status, imds_body(error, desc), "imds: %s", desc);
}

static void
imds_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *meta = util_header(req->headers, "metadata");
	const char *want, *res, *ver;
	char text[400];
	int ids = 0;

	if (strcmp(req->path, "/metadata/identity/oauth2/token") != 0) {
		snprintf(text, sizeof(text), "no IMDS endpoint at %.200s",
		    req->path);
		imds_fail(v, 404, "not_found", text);
		return;
	}
	if (strcmp(req->method, "GET") != 0)
		imds_fail(v, 405, "invalid_request",
		    "The request method is not supported");
	if (meta == NULL && check_opt_bool(opts, "allow_probe", false)) {
		/* The availability probe: answered as IMDS does, no fault. */
		if (v->status == 0) {
			v->status = 400;
			v->body = imds_body("bad_request_102",
			    "Required metadata header not specified");
		}
		return;
	}
	if (meta == NULL || strcasecmp(meta, "true") != 0)
		imds_fail(v, 400, "bad_request_102",
		    "Required metadata header not specified");
	ver = check_arg(req, "api-version");
	want = check_opt_str(opts, "api_version");
	if (ver == NULL)
		imds_fail(v, 400, "invalid_request",
		    "Required query variable 'api-version' is missing");
	else if (want != NULL && strcmp(ver, want) != 0)
		imds_fail(v, 400, "invalid_request",
		    "Invalid api-version specified");
	res = check_arg(req, "resource");
	want = check_opt_str(opts, "resource");
	if (res == NULL || *res == '\0') {
		imds_fail(v, 400, "invalid_request",
		    "Required query variable 'resource' is missing");
	} else if (strstr(res, "/.default") != NULL ||
	    (want != NULL && strcmp(res, want) != 0)) {
		/* A scope where a resource belongs is the classic slip. */
		snprintf(text, sizeof(text), "AADSTS500011: The resource "
		    "principal named %.200s was not found in the tenant.",
		    res);
		imds_fail(v, 400, "invalid_resource", text);
	}
	ids += check_arg(req, "client_id") != NULL;
	ids += check_arg(req, "object_id") != NULL;
	ids += check_arg(req, "msi_res_id") != NULL;
	if (ids > 1)
		imds_fail(v, 400, "invalid_request", "Only one of client_id, "
		    "object_id and msi_res_id may be given");
	want = check_opt_str(opts, "client_id");
	if (want != NULL && (check_arg(req, "client_id") == NULL ||
	    strcmp(check_arg(req, "client_id"), want) != 0))
		imds_fail(v, 400, "invalid_request", "Identity not found");
}

const struct check check_imds = {
	.name = "imds",
	.run = imds_run,
	.error = imds_error,
};
