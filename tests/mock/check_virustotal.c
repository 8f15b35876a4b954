/*
 * check_virustotal: VirusTotal API v3 lookups (intel-apis.md B): the
 * x-apikey header and the four path shapes, /api/v3/files/{md5, sha1
 * or sha256}, /ip_addresses/{ip}, /domains/{domain} and /urls/{id}
 * where id is unpadded base64url of the URL or its SHA-256.  Refusals
 * use {"error": {"code", "message"}}.
 *
 * check_options: key (exact).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

static json_t *
vt_body(const char *code, const char *message)
{
	return json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
	    message);
}

static json_t *
vt_error(const struct mock_request *req, const json_t *opts, int status,
    const char *message)
{
	(void)req;
	(void)opts;
	return vt_body(status == 401 ? "WrongCredentialsError" :
	    status == 404 ? "NotFoundError" : "InvalidArgumentError",
	    message);
}

static void
vt_fail(struct verdict *v, int status, const char *code,
    const char *message)
{
	check_fail(v, status, vt_body(code, message), "virustotal: %s",
	    message);
}

static bool
vt_is_hex(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool
vt_is_domain(const char *s)
{
	size_t label = 0;
	bool dot = false;

	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
			dot = true;
		} else if (isalnum((unsigned char)*s) || *s == '-' ||
		    *s == '_') {
			label++;
		} else {
			return false;
		}
	}
	return dot && label > 0;
}

/* Unpadded base64url that decodes to something URL-like. */
static const char *
vt_url_problem(const char *id)
{
	struct buf b = { 0 };
	const char *why = NULL;

	if (vt_is_hex(id, 64))
		return NULL;
	if (strchr(id, '=') != NULL)
		return "has '=' padding (VT wants it removed)";
	if (strchr(id, '+') != NULL || strchr(id, '/') != NULL)
		return "uses the standard base64 alphabet (VT wants "
		    "base64url)";
	if (util_base64url_decode(id, &b) == -1)
		why = "is not unpadded base64url";
	else if (b.len == 0 || memchr(b.data, '\0', b.len) != NULL ||
	    strchr(b.data, '.') == NULL)
		why = "does not decode to a URL";
	buf_release(&b);
	return why;
}

static void
vt_run(const struct mock_request *req, const json_t *opts,
    struct verdict *v)
{
	const char *key = util_header(req->headers, "x-apikey");
	const char *want = check_opt_str(opts, "key");
	const char *p = req->path, *id, *why;
	char text[400];

	if (key == NULL || *key == '\0')
		vt_fail(v, 401, "AuthenticationRequiredError",
		    "X-Apikey header is missing");
	else if (want != NULL && strcmp(key, want) != 0)
		vt_fail(v, 401, "WrongCredentialsError", "Wrong API key");
	if (strcmp(req->method, "GET") != 0)
		vt_fail(v, 405, "BadRequestError", "Only GET lookups are "
		    "served here");
	if (strncmp(p, "/api/v3/files/", 14) == 0) {
		id = p + 14;
		if (!vt_is_hex(id, 32) && !vt_is_hex(id, 40) &&
		    !vt_is_hex(id, 64)) {
			snprintf(text, sizeof(text), "Invalid file hash "
			    "\"%.100s\" (MD5, SHA-1 or SHA-256 in hex)", id);
			vt_fail(v, 400, "InvalidArgumentError", text);
		}
	} else if (strncmp(p, "/api/v3/ip_addresses/", 21) == 0) {
		id = p + 21;
		if (!check_is_ip(id)) {
			snprintf(text, sizeof(text), "Invalid IP address "
			    "\"%.100s\"", id);
			vt_fail(v, 400, "InvalidArgumentError", text);
		}
	} else if (strncmp(p, "/api/v3/domains/", 16) == 0) {
		id = p + 16;
		if (!vt_is_domain(id)) {
			snprintf(text, sizeof(text), "Invalid domain "
			    "\"%.100s\"", id);
			vt_fail(v, 400, "InvalidArgumentError", text);
		}
	} else if (strncmp(p, "/api/v3/urls/", 13) == 0) {
		id = p + 13;
		if ((why = vt_url_problem(id)) != NULL) {
			snprintf(text, sizeof(text), "URL identifier "
			    "\"%.100s\" %s", id, why);
			vt_fail(v, 400, "InvalidArgumentError", text);
		}
	} else {
		snprintf(text, sizeof(text), "Resource \"%.200s\" not found",
		    p);
		vt_fail(v, 404, "NotFoundError", text);
	}
}

const struct check check_virustotal = {
	.name = "virustotal",
	.run = vt_run,
	.error = vt_error,
};
