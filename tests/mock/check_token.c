/*
 * check_token: the Microsoft Entra ID v2.0 token endpoint, client
 * credentials grant (azure-apis.md A.2).  Refusals carry the Entra
 * error shape: error, error_description with AADSTS code and trace
 * lines, error_codes, timestamp, trace_id, correlation_id, error_uri.
 *
 * check_options: tenant, client_id, client_secret, client_assertion
 * (the exact federated token expected), scope (exact).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "util.h"

static const char token_jwt_bearer[] =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

static json_t *
token_body(const struct mock_request *req, const char *error, int code,
    const char *text)
{
	char when[32], trace[40], corr[40], uri[80];
	struct tm tm;
	char *desc;
	json_t *body;

	gmtime_r(&req->now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm);
	snprintf(trace, sizeof(trace), "00000000-0000-0000-0000-%012lu",
	    req->seq);
	snprintf(corr, sizeof(corr), "00000000-0000-0000-0001-%012lu",
	    req->seq);
	snprintf(uri, sizeof(uri),
	    "https://login.microsoftonline.com/error?code=%d", code);
	desc = xasprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: "
	    "%s\r\nTimestamp: %s", code, text, trace, corr, when);
	body = json_pack("{s:s,s:s,s:[i],s:s,s:s,s:s,s:s}", "error", error,
	    "error_description", desc, "error_codes", code, "timestamp", when,
	    "trace_id", trace, "correlation_id", corr, "error_uri", uri);
	free(desc);
	return body;
}

static void
token_fail(const struct mock_request *req, struct verdict *v, int status,
    const char *error, int code, const char *text)
{
	check_fail(v, status, token_body(req, error, code, text),
	    "token: %s", text);
}

static json_t *
token_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)opts;
	return token_body(req, status == 401 ? "invalid_client" :
	    "invalid_request", 900144, message);
}

static void
token_missing(const struct mock_request *req, struct verdict *v,
    const char *name)
{
	char text[200];

	snprintf(text, sizeof(text), "The request body must contain the "
	    "following parameter: '%s'.", name);
	token_fail(req, v, 400, "invalid_request", 900144, text);
}

/* Whether s looks like a compact JWS: three base64url parts. */
static bool
token_is_jwt(const char *s)
{
	int dots = 0;

	for (; *s != '\0'; s++) {
		if (*s == '.')
			dots++;
		else if (!isalnum((unsigned char)*s) && *s != '-' &&
		    *s != '_')
			return false;
	}
	return dots == 2;
}

static void
token_scope(const struct mock_request *req, const json_t *opts,
    struct verdict *v, const char *scope)
{
	const char *want = check_opt_str(opts, "scope");
	char *copy = xstrdup(scope), *part, *save = NULL, *first = NULL;
	char text[400];

	for (part = strtok_r(copy, " ", &save); part != NULL;
	    part = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(part);
		const char *tail = "/.default";

		if (n < 9 || strcmp(part + n - 9, tail) != 0) {
			snprintf(text, sizeof(text), "The provided value for "
			    "the input parameter 'scope' is not valid. The "
			    "scope %.200s is not valid.", part);
			token_fail(req, v, 400, "invalid_scope", 70011, text);
			break;
		}
		if (first == NULL) {
			first = part;
		} else if (strcmp(first, part) != 0) {
			/* One resource per request, however many scopes. */
			token_fail(req, v, 400, "invalid_scope", 70011,
			    "The provided value for the input parameter "
			    "'scope' is not valid. Only one resource is "
			    "allowed per request.");
			break;
		}
	}
	if (first == NULL)
		token_missing(req, v, "scope");
	if (want != NULL && strcmp(want, scope) != 0) {
		snprintf(text, sizeof(text), "The provided value for the "
		    "input parameter 'scope' is not valid. The scope %.150s "
		    "is not the expected %.150s.", scope, want);
		token_fail(req, v, 400, "invalid_scope", 70011, text);
	}
	free(copy);
}

static void
token_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *tenant_want = check_opt_str(opts, "tenant");
	const char *id_want = check_opt_str(opts, "client_id");
	const char *secret_want = check_opt_str(opts, "client_secret");
	const char *assert_want = check_opt_str(opts, "client_assertion");
	const char *tail = "/oauth2/v2.0/token";
	const char *p = req->path, *grant, *id, *scope, *secret, *assertion;
	const char *atype;
	json_t *empty = json_object(), *form;
	char tenant[256], text[400];
	size_t plen = strlen(p), tlen, i;

	if (plen <= strlen(tail) + 1 || p[0] != '/' ||
	    strcmp(p + plen - strlen(tail), tail) != 0) {
		snprintf(text, sizeof(text), "no token endpoint at %.200s "
		    "(expected /{tenant}/oauth2/v2.0/token)", p);
		token_fail(req, v, 404, "invalid_request", 90002, text);
		goto out;
	}
	tlen = plen - strlen(tail) - 1;
	snprintf(tenant, sizeof(tenant), "%.*s", (int)(tlen < 255 ? tlen :
	    255), p + 1);
	for (i = 0; tenant[i] != '\0'; i++) {
		if (!isalnum((unsigned char)tenant[i]) && tenant[i] != '.' &&
		    tenant[i] != '-')
			break;
	}
	if (tenant[0] == '\0' || tenant[i] != '\0' || (tenant_want != NULL &&
	    strcmp(tenant, tenant_want) != 0)) {
		snprintf(text, sizeof(text), "Tenant '%.100s' not found. "
		    "Check to make sure you have the correct tenant ID and "
		    "are signing into the correct cloud.", tenant);
		token_fail(req, v, 400, "invalid_request", 90002, text);
	}
	if (strcmp(req->method, "POST") != 0) {
		snprintf(text, sizeof(text), "The endpoint only accepts POST, "
		    "OPTIONS requests. Received a %.20s request.",
		    req->method);
		token_fail(req, v, 400, "invalid_request", 900561, text);
	}
	form = req->form != NULL ? req->form : empty;
	if (!check_content_type(req, "application/x-www-form-urlencoded"))
		check_note(v, "token: Content-Type must be "
		    "application/x-www-form-urlencoded");
	grant = json_string_value(json_object_get(form, "grant_type"));
	id = json_string_value(json_object_get(form, "client_id"));
	scope = json_string_value(json_object_get(form, "scope"));
	secret = json_string_value(json_object_get(form, "client_secret"));
	assertion = json_string_value(json_object_get(form,
	    "client_assertion"));
	atype = json_string_value(json_object_get(form,
	    "client_assertion_type"));
	if (grant == NULL)
		token_missing(req, v, "grant_type");
	else if (strcmp(grant, "client_credentials") != 0)
		token_fail(req, v, 400, "unsupported_grant_type", 70003,
		    "The app requested an unsupported grant type.");
	if (id == NULL || *id == '\0') {
		token_missing(req, v, "client_id");
	} else if (id_want != NULL && strcmp(id, id_want) != 0) {
		snprintf(text, sizeof(text), "Application with identifier "
		    "'%.100s' was not found in the directory.", id);
		token_fail(req, v, 400, "unauthorized_client", 700016, text);
	}
	if (scope == NULL)
		token_missing(req, v, "scope");
	else
		token_scope(req, opts, v, scope);
	if (secret != NULL && assertion != NULL) {
		token_fail(req, v, 400, "invalid_request", 7000218,
		    "Send either 'client_secret' or 'client_assertion', "
		    "not both.");
	} else if (secret == NULL && assertion == NULL) {
		token_fail(req, v, 401, "invalid_client", 7000218,
		    "The request body must contain the following parameter: "
		    "'client_assertion' or 'client_secret'.");
	} else if (secret != NULL) {
		if (atype != NULL)
			check_note(v, "token: client_assertion_type sent "
			    "with a client_secret");
		if (secret_want != NULL && strcmp(secret, secret_want) != 0) {
			snprintf(text, sizeof(text), "Invalid client secret "
			    "provided. Ensure the secret being sent in the "
			    "request is the client secret value, not the "
			    "client secret ID, for a secret added to app "
			    "'%.60s'.", id != NULL ? id : "");
			token_fail(req, v, 401, "invalid_client", 7000215,
			    text);
		}
	} else {
		if (atype == NULL)
			token_missing(req, v, "client_assertion_type");
		else if (strcmp(atype, token_jwt_bearer) != 0)
			token_fail(req, v, 400, "invalid_request", 900144,
			    "client_assertion_type must be urn:ietf:params:"
			    "oauth:client-assertion-type:jwt-bearer.");
		if (!token_is_jwt(assertion))
			token_fail(req, v, 401, "invalid_client", 50027,
			    "JWT token is invalid or malformed.");
		else if (assert_want != NULL &&
		    strcmp(assertion, assert_want) != 0)
			token_fail(req, v, 401, "invalid_client", 70021,
			    "No matching federated identity record found for "
			    "presented assertion.");
	}
out:
	json_decref(empty);
}

const struct check check_token = {
	.name = "token",
	.run = token_run,
	.error = token_error,
};
