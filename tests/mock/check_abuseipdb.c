/*
 * check_abuseipdb: AbuseIPDB API v2 (intel-apis.md A): GET /api/v2/check
 * (and /check-block) with the Key header, Accept: application/json, a
 * valid ipAddress and maxAgeInDays in 1..365.  Refusals use the
 * JSON:API shape {"errors": [{"detail", "status", "source"?}]}.
 *
 * check_options: key (exact).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

static json_t *
abuse_body(int status, const char *detail, const char *param)
{
	json_t *e = json_pack("{s:s,s:i}", "detail", detail, "status",
	    status);

	if (param != NULL)
		json_object_set_new(e, "source", json_pack("{s:s}",
		    "parameter", param));
	return json_pack("{s:[o]}", "errors", e);
}

static json_t *
abuse_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)req;
	(void)opts;
	return abuse_body(status, message, NULL);
}

static void
abuse_fail(struct verdict *v, int status, const char *detail,
    const char *param)
{
	check_fail(v, status, abuse_body(status, detail, param),
	    "abuseipdb: %s", detail);
}

static bool
abuse_is_cidr(const char *s)
{
	const char *slash = strchr(s, '/');
	char addr[64];
	char *end;
	long bits;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return false;
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - s), s);
	bits = strtol(slash + 1, &end, 10);
	return check_is_ip(addr) && *end == '\0' && slash[1] != '\0' &&
	    bits >= 0 && bits <= (strchr(addr, ':') != NULL ? 128 : 32);
}

static void
abuse_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *key = util_header(req->headers, "key");
	const char *want = check_opt_str(opts, "key");
	const char *accept = util_header(req->headers, "accept");
	const char *ip, *age;
	bool block;

	block = strcmp(req->path, "/api/v2/check-block") == 0;
	if (!block && strcmp(req->path, "/api/v2/check") != 0) {
		abuse_fail(v, 404, "The requested endpoint does not exist.",
		    NULL);
		return;
	}
	if (strcmp(req->method, "GET") != 0)
		abuse_fail(v, 405, "The method is not allowed for the "
		    "requested URL.", NULL);
	if (key == NULL || *key == '\0' || (want != NULL &&
	    strcmp(key, want) != 0))
		abuse_fail(v, 401, "Authentication failed. Your API key is "
		    "either missing, incorrect, or revoked. Note: The APIv2 "
		    "key differs from the APIv1 key.", NULL);
	if (check_arg(req, "key") != NULL)
		check_note(v, "abuseipdb: the key is in the query string; "
		    "send the Key header");
	if (accept == NULL || strstr(accept, "application/json") == NULL)
		check_note(v, "abuseipdb: Accept: application/json is "
		    "missing (errors would not come back as JSON)");
	if (block) {
		ip = check_arg(req, "network");
		if (ip == NULL || !abuse_is_cidr(ip))
			abuse_fail(v, 422, "The network must be a valid CIDR "
			    "block (e.g. 127.0.0.1/24).", "network");
	} else {
		ip = check_arg(req, "ipAddress");
		if (ip == NULL || !check_is_ip(ip))
			abuse_fail(v, 422, "The ip address must be a valid "
			    "IPv4 or IPv6 address (e.g. 8.8.8.8 or "
			    "2001:4860:4860::8888).", "ipAddress");
	}
	age = check_arg(req, "maxAgeInDays");
	if (age != NULL) {
		char *end;
		long n = strtol(age, &end, 10);

		if (*age == '\0' || *end != '\0' || n < 1 || n > 365)
			abuse_fail(v, 422, "The max age in days must be "
			    "between 1 and 365.", "maxAgeInDays");
	}
}

const struct check check_abuseipdb = {
	.name = "abuseipdb",
	.run = abuse_run,
	.error = abuse_error,
};
