/*
 * check: the table of validators, the verdict helpers they share, and
 * the generic "expect" assertions a route can make on any request.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "util.h"

static const struct check *const check_table[] = {
	&check_token,
	&check_imds,
	&check_appservice,
	&check_loganalytics,
	&check_sentinel,
	&check_graph,
	&check_abuseipdb,
	&check_virustotal,
	&check_teams,
	&check_slack,
	&check_anthropic,
	&check_openai,
	NULL
};

const struct check *
check_find(const char *name)
{
	size_t i;

	for (i = 0; check_table[i] != NULL; i++)
		if (strcmp(check_table[i]->name, name) == 0)
			return check_table[i];
	return NULL;
}

void
verdict_init(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->violations = json_array();
}

void
verdict_release(struct verdict *v)
{
	json_decref(v->violations);
	json_decref(v->body);
	json_decref(v->headers);
	memset(v, 0, sizeof(*v));
}

void
check_fail(struct verdict *v, int status, json_t *body, const char *fmt,
    ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(v->violations, json_string(msg));
	if (v->status == 0) {
		v->status = status;
		v->body = body;
	} else {
		json_decref(body);
	}
}

void
check_note(struct verdict *v, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(v->violations, json_string(msg));
}

const char *
check_opt_str(const json_t *opts, const char *name)
{
	return json_string_value(json_object_get(opts, name));
}

bool
check_opt_bool(const json_t *opts, const char *name, bool dflt)
{
	json_t *v = json_object_get(opts, name);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

const char *
check_bearer(const struct mock_request *req)
{
	const char *a = util_header(req->headers, "authorization");

	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0)
		return NULL;
	a += 7;
	while (*a == ' ')
		a++;
	return *a != '\0' ? a : NULL;
}

const char *
check_arg(const struct mock_request *req, const char *name)
{
	json_t *v = json_object_get(req->args, name);

	if (json_is_true(v))
		return "";
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_string_value(v);
}

bool
check_content_type(const struct mock_request *req, const char *type)
{
	const char *ct = util_header(req->headers, "content-type");

	return ct != NULL && util_has_prefix_ci(ct, type);
}

bool
check_is_ip(const char *s)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, s, addr) == 1 ||
	    inet_pton(AF_INET6, s, addr) == 1;
}

bool
check_is_guid(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	size_t g;
	int i;

	for (g = 0; g < 5; g++) {
		for (i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return false;
		if (g < 4 && *s++ != '-')
			return false;
	}
	return *s == '\0';
}

const char *
check_request_id(const struct mock_request *req, const char *prefix,
    char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%06lu", prefix, req->seq);
	return out;
}

/*
 * Find a value by a dotted path ("a.b.0.c"); numeric parts index
 * arrays.  A key that itself contains a dot can be given whole.
 */
static json_t *
check_path_get(json_t *root, const char *path)
{
	json_t *v = json_object_get(root, path);
	char *copy, *part, *save = NULL;

	if (v != NULL || !json_is_object(root))
		return v;
	copy = xstrdup(path);
	v = root;
	for (part = strtok_r(copy, ".", &save); part != NULL && v != NULL;
	    part = strtok_r(NULL, ".", &save)) {
		if (json_is_array(v)) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);

			v = *end == '\0' ? json_array_get(v, i) : NULL;
		} else {
			v = json_object_get(v, part);
		}
	}
	free(copy);
	return v;
}

/* A string want is a glob on the text of have; anything else is equal. */
static bool
check_value_match(const json_t *want, const json_t *have)
{
	char *text;
	bool ok;

	if (!json_is_string(want))
		return json_equal((json_t *)want, (json_t *)have);
	if (json_is_string(have))
		return util_glob(json_string_value(want),
		    json_string_value(have));
	if (json_is_true(have))		/* a bare query flag */
		return util_glob(json_string_value(want), "");
	text = util_dump(have);
	ok = util_glob(json_string_value(want), text);
	free(text);
	return ok;
}

int
check_expect_valid(const json_t *expect, char *err, size_t errsz)
{
	static const char *const maps[] = { "headers", "form", "query" };
	json_t *v;
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *name;
		json_t *g;

		v = json_object_get(expect, maps[i]);
		if (v == NULL)
			continue;
		if (!json_is_object(v)) {
			snprintf(err, errsz, "'%s' must be an object",
			    maps[i]);
			return -1;
		}
		json_object_foreach(v, name, g) {
			if (!json_is_string(g)) {
				snprintf(err, errsz, "'%s.%s' must be a "
				    "string glob", maps[i], name);
				return -1;
			}
		}
	}
	v = json_object_get(expect, "json");
	if (v != NULL && !json_is_object(v)) {
		snprintf(err, errsz, "'json' must be an object");
		return -1;
	}
	v = json_object_get(expect, "absent_headers");
	if (v != NULL) {
		if (!json_is_array(v)) {
			snprintf(err, errsz, "'absent_headers' must be an "
			    "array of strings");
			return -1;
		}
		for (i = 0; i < json_array_size(v); i++) {
			if (!json_is_string(json_array_get(v, i))) {
				snprintf(err, errsz, "'absent_headers' must "
				    "be an array of strings");
				return -1;
			}
		}
	}
	return 0;
}

static void
check_expect_fail(const struct mock_request *req, const struct check *c,
    const json_t *opts, struct verdict *v, const char *msg)
{
	json_t *body;

	if (c != NULL && c->error != NULL) {
		body = c->error(req, opts, 400, msg);
	} else {
		body = json_pack("{s:{s:s,s:s}}", "error", "code",
		    "MockExpectationFailed", "message", msg);
	}
	check_fail(v, 400, body, "expect: %s", msg);
}

/* Match each name -> glob of want against the object have. */
static void
check_expect_map(const char *what, const json_t *want, json_t *have,
    bool lower, const struct mock_request *req, const struct check *c,
    const json_t *opts, struct verdict *v)
{
	const char *name;
	json_t *glob;
	char msg[512];

	json_object_foreach((json_t *)want, name, glob) {
		char *key = xstrdup(name);
		json_t *got;
		size_t i;

		for (i = 0; lower && key[i] != '\0'; i++)
			key[i] = (char)tolower((unsigned char)key[i]);
		got = have != NULL ? json_object_get(have, key) : NULL;
		if (json_is_array(got) && strcmp(what, "json") != 0)
			got = json_array_get(got, 0);
		if (got == NULL && strcmp(what, "json") == 0 && have != NULL)
			got = check_path_get(have, key);
		if (got == NULL) {
			snprintf(msg, sizeof(msg), "%s '%s' is missing",
			    what, name);
			check_expect_fail(req, c, opts, v, msg);
		} else if (!check_value_match(glob, got)) {
			char *text = util_dump(got);

			snprintf(msg, sizeof(msg), "%s '%s' is %.300s", what,
			    name, text);
			free(text);
			check_expect_fail(req, c, opts, v, msg);
		}
		free(key);
	}
}

void
check_expect(const json_t *expect, const struct mock_request *req,
    const struct check *c, const json_t *opts, struct verdict *v)
{
	json_t *w, *absent;
	size_t i;

	if ((w = json_object_get(expect, "headers")) != NULL)
		check_expect_map("header", w, req->headers, true, req, c,
		    opts, v);
	if ((w = json_object_get(expect, "query")) != NULL)
		check_expect_map("query parameter", w, req->args, false, req,
		    c, opts, v);
	if ((w = json_object_get(expect, "form")) != NULL) {
		if (req->form == NULL)
			check_expect_fail(req, c, opts, v, "the body is not "
			    "an application/x-www-form-urlencoded form");
		else
			check_expect_map("form field", w, req->form, false,
			    req, c, opts, v);
	}
	if ((w = json_object_get(expect, "json")) != NULL) {
		if (req->json == NULL)
			check_expect_fail(req, c, opts, v,
			    "the body is not JSON");
		else
			check_expect_map("json", w, req->json, false, req, c,
			    opts, v);
	}
	absent = json_object_get(expect, "absent_headers");
	for (i = 0; i < json_array_size(absent); i++) {
		char *key = xstrdup(json_string_value(json_array_get(absent,
		    i)));
		char msg[300];
		size_t k;

		for (k = 0; key[k] != '\0'; k++)
			key[k] = (char)tolower((unsigned char)key[k]);
		if (json_object_get(req->headers, key) != NULL) {
			snprintf(msg, sizeof(msg), "header '%.200s' must be "
			    "absent", key);
			check_expect_fail(req, c, opts, v, msg);
		}
		free(key);
	}
}

void
check_cleanup(void)
{
	size_t i;

	for (i = 0; check_table[i] != NULL; i++)
		if (check_table[i]->cleanup != NULL)
			check_table[i]->cleanup();
}
