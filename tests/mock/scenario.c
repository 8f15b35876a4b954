/*
 * scenario: load and check the scenario file, match requests to routes
 * and step through each route's scripted responses.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "scenario.h"
#include "util.h"

struct scenario_ctx {
	const struct scenario *s;
	char *err;
	size_t errsz;
};

static int
scenario_fail(struct scenario_ctx *c, const char *where, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static int
scenario_fail(struct scenario_ctx *c, const char *where, const char *fmt,
    ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s%s%s", where, *where ? ": " : "", msg);
	return -1;
}

/* Reject keys outside allowed; "comment" is allowed everywhere. */
static int
scenario_keys(struct scenario_ctx *c, const char *where, const json_t *obj,
    const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)obj, key, v) {
		bool ok = strcmp(key, "comment") == 0;

		for (i = 0; !ok && allowed[i] != NULL; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok)
			return scenario_fail(c, where, "unknown key '%s'",
			    key);
	}
	return 0;
}

static int
scenario_long(struct scenario_ctx *c, const char *where, const json_t *obj,
    const char *key, long min, long max, long *out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return scenario_fail(c, where,
		    "'%s' must be an integer from %ld to %ld", key, min, max);
	*out = (long)json_integer_value(v);
	return 0;
}

/* A header map: an object whose values are all strings. */
static int
scenario_strmap(struct scenario_ctx *c, const char *where, json_t *v,
    const char *key, bool lower, json_t **out)
{
	const char *name;
	json_t *val, *map;

	if (v == NULL)
		return 0;
	if (!json_is_object(v))
		return scenario_fail(c, where, "'%s' must be an object", key);
	map = json_object();
	json_object_foreach(v, name, val) {
		char *n;
		size_t i;

		if (!json_is_string(val)) {
			json_decref(map);
			return scenario_fail(c, where,
			    "'%s.%s' must be a string", key, name);
		}
		n = xstrdup(name);
		for (i = 0; lower && n[i] != '\0'; i++)
			n[i] = (char)tolower((unsigned char)n[i]);
		json_object_set(map, n, val);
		free(n);
	}
	*out = map;
	return 0;
}

static char *
scenario_resolve(const struct scenario *s, const char *file)
{
	if (file[0] == '/')
		return xstrdup(file);
	return xasprintf("%s/%s", s->dir, file);
}

static int
scenario_response(struct scenario_ctx *c, const char *where,
    const json_t *j, struct response *r)
{
	static const char *const keys[] = {
		"status", "headers", "body", "body_file", "size",
		"delay_ms", "stall_ms", "fault", "repeat", "auto", NULL
	};
	json_t *v;
	long n;
	int nbody = 0;

	memset(r, 0, sizeof(*r));
	r->repeat = 1;
	if (!json_is_object(j))
		return scenario_fail(c, where, "a response must be an object");
	if (scenario_keys(c, where, j, keys) == -1)
		return -1;
	n = 0;
	if (scenario_long(c, where, j, "status", 200, 999, &n) == -1)
		return -1;
	r->status = (int)n;
	if (scenario_strmap(c, where, json_object_get(j, "headers"),
	    "headers", false, &r->headers) == -1)
		return -1;
	if ((v = json_object_get(j, "body")) != NULL) {
		nbody++;
		r->body_kind = BODY_TEXT;
		if (json_is_string(v)) {
			r->body = xstrndup(json_string_value(v),
			    json_string_length(v));
		} else {
			r->body = util_dump(v);
			r->body_is_value = true;
		}
	}
	if ((v = json_object_get(j, "body_file")) != NULL) {
		FILE *fp;

		nbody++;
		if (!json_is_string(v))
			return scenario_fail(c, where,
			    "'body_file' must be a string");
		r->body_kind = BODY_FILE;
		r->body_file = scenario_resolve(c->s, json_string_value(v));
		fp = fopen(r->body_file, "rb");
		if (fp == NULL)
			return scenario_fail(c, where, "body_file '%s': %s",
			    r->body_file, strerror(errno));
		fclose(fp);
	}
	if ((v = json_object_get(j, "size")) != NULL) {
		nbody++;
		if (!json_is_integer(v) || json_integer_value(v) < 10)
			return scenario_fail(c, where,
			    "'size' must be an integer of at least 10");
		r->body_kind = BODY_PAD;
		r->size = (uint64_t)json_integer_value(v);
	}
	if (nbody > 1)
		return scenario_fail(c, where,
		    "give only one of 'body', 'body_file' and 'size'");
	if (scenario_long(c, where, j, "delay_ms", 0, 3600000,
	    &r->delay_ms) == -1 ||
	    scenario_long(c, where, j, "stall_ms", 0, 3600000,
	    &r->stall_ms) == -1)
		return -1;
	n = 1;
	if (scenario_long(c, where, j, "repeat", 1, LONG_MAX, &n) == -1)
		return -1;
	r->repeat = (unsigned long)n;
	if ((v = json_object_get(j, "fault")) != NULL) {
		const char *f = json_string_value(v);

		if (f == NULL)
			f = "";
		if (strcmp(f, "drop") == 0)
			r->fault = FAULT_DROP;
		else if (strcmp(f, "truncate") == 0)
			r->fault = FAULT_TRUNCATE;
		else if (strcmp(f, "reset") == 0)
			r->fault = FAULT_RESET;
		else if (strcmp(f, "invalid_json") == 0)
			r->fault = FAULT_INVALID_JSON;
		else
			return scenario_fail(c, where, "unknown fault '%s' "
			    "(drop, truncate, reset, invalid_json)", f);
	}
	if ((v = json_object_get(j, "auto")) != NULL) {
		const char *a = json_string_value(v);

		r->autofill = a != NULL ? check_find(a) : NULL;
		if (r->autofill == NULL || r->autofill->autofill == NULL)
			return scenario_fail(c, where, "unknown auto '%s' "
			    "(anthropic, openai)", a != NULL ? a : "");
	}
	return 0;
}

static void
scenario_response_release(struct response *r)
{
	json_decref(r->headers);
	free(r->body);
	free(r->body_file);
}

static int
scenario_str(struct scenario_ctx *c, const char *where, const json_t *obj,
    const char *key, char **out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return scenario_fail(c, where, "'%s' must be a string", key);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
scenario_route(struct scenario_ctx *c, size_t idx, const json_t *j,
    struct route *r)
{
	static const char *const keys[] = {
		"method", "path", "query", "header", "check", "check_options",
		"expect", "on_violation", "responses", "after", NULL
	};
	static const char *const expect_keys[] = {
		"headers", "absent_headers", "json", "form", "query", NULL
	};
	char where[64], rwhere[96];
	json_t *v;
	size_t i;

	snprintf(where, sizeof(where), "routes[%zu]", idx);
	if (!json_is_object(j))
		return scenario_fail(c, where, "a route must be an object");
	if (scenario_keys(c, where, j, keys) == -1)
		return -1;
	if (scenario_str(c, where, j, "method", &r->method) == -1 ||
	    scenario_str(c, where, j, "path", &r->path) == -1 ||
	    scenario_str(c, where, j, "query", &r->query) == -1)
		return -1;
	if (scenario_strmap(c, where, json_object_get(j, "header"), "header",
	    true, &r->header) == -1)
		return -1;
	if ((v = json_object_get(j, "check")) != NULL) {
		const char *name = json_string_value(v);

		r->check = name != NULL ? check_find(name) : NULL;
		if (r->check == NULL)
			return scenario_fail(c, where, "unknown check '%s'",
			    name != NULL ? name : "");
	}
	v = json_object_get(j, "check_options");
	if (v != NULL && !json_is_object(v))
		return scenario_fail(c, where,
		    "'check_options' must be an object");
	r->check_options = v != NULL ? json_incref(v) : json_object();
	if ((v = json_object_get(j, "expect")) != NULL) {
		char ewhere[96];

		snprintf(ewhere, sizeof(ewhere), "%s.expect", where);
		if (!json_is_object(v))
			return scenario_fail(c, where,
			    "'expect' must be an object");
		if (scenario_keys(c, ewhere, v, expect_keys) == -1)
			return -1;
		if (check_expect_valid(v, rwhere, sizeof(rwhere)) == -1)
			return scenario_fail(c, ewhere, "%s", rwhere);
		r->expect = json_incref(v);
	}
	if ((v = json_object_get(j, "on_violation")) != NULL) {
		const char *o = json_string_value(v);

		if (o != NULL && strcmp(o, "record") == 0)
			r->record_only = true;
		else if (o == NULL || strcmp(o, "respond") != 0)
			return scenario_fail(c, where, "'on_violation' must "
			    "be \"respond\" or \"record\"");
	}
	if ((v = json_object_get(j, "after")) != NULL) {
		const char *a = json_string_value(v);

		if (a != NULL && strcmp(a, "repeat_last") == 0)
			r->after = AFTER_REPEAT_LAST;
		else if (a != NULL && strcmp(a, "cycle") == 0)
			r->after = AFTER_CYCLE;
		else if (a != NULL && strcmp(a, "fail") == 0)
			r->after = AFTER_FAIL;
		else
			return scenario_fail(c, where, "'after' must be "
			    "\"repeat_last\", \"cycle\" or \"fail\"");
	}
	v = json_object_get(j, "responses");
	if (v == NULL) {
		/* No script: one plain 200 (or whatever "auto" makes). */
		r->responses = xcalloc(1, sizeof(*r->responses));
		r->responses[0].repeat = 1;
		r->nresponses = 1;
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		return scenario_fail(c, where,
		    "'responses' must be a non-empty array");
	r->responses = xcalloc(json_array_size(v), sizeof(*r->responses));
	for (i = 0; i < json_array_size(v); i++) {
		snprintf(rwhere, sizeof(rwhere), "%s.responses[%zu]", where,
		    i);
		r->nresponses = i + 1;
		if (scenario_response(c, rwhere, json_array_get(v, i),
		    &r->responses[i]) == -1)
			return -1;
	}
	return 0;
}

static void
scenario_route_release(struct route *r)
{
	size_t i;

	free(r->method);
	free(r->path);
	free(r->query);
	json_decref(r->header);
	json_decref(r->check_options);
	json_decref(r->expect);
	for (i = 0; i < r->nresponses; i++)
		scenario_response_release(&r->responses[i]);
	free(r->responses);
}

int
scenario_load(const char *path, struct scenario *s, char *err,
    size_t errsz)
{
	static const char *const keys[] = { "routes", "default", NULL };
	struct scenario_ctx c = { s, err, errsz };
	json_error_t jerr;
	json_t *root, *routes, *v;
	const char *slash;
	FILE *fp;
	size_t i;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	slash = strrchr(path, '/');
	s->dir = slash == NULL ? xstrdup(".") :
	    slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash -
	    path));
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errsz, "%s", strerror(errno));
		return -1;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	fclose(fp);
	if (root == NULL) {
		if (jerr.line > 0)
			snprintf(err, errsz, "line %d: %s", jerr.line,
			    jerr.text);
		else
			snprintf(err, errsz, "%s", jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		scenario_fail(&c, "", "the scenario must be a JSON object");
		goto out;
	}
	if (scenario_keys(&c, "", root, keys) == -1)
		goto out;
	routes = json_object_get(root, "routes");
	if (routes != NULL && !json_is_array(routes)) {
		scenario_fail(&c, "", "'routes' must be an array");
		goto out;
	}
	if (routes != NULL) {
		s->routes = xcalloc(json_array_size(routes),
		    sizeof(*s->routes));
		for (i = 0; i < json_array_size(routes); i++) {
			s->nroutes = i + 1;
			if (scenario_route(&c, i, json_array_get(routes, i),
			    &s->routes[i]) == -1)
				goto out;
		}
	}
	if ((v = json_object_get(root, "default")) != NULL) {
		s->dflt = xcalloc(1, sizeof(*s->dflt));
		if (scenario_response(&c, "default", v, s->dflt) == -1)
			goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

void
scenario_release(struct scenario *s)
{
	size_t i;

	for (i = 0; i < s->nroutes; i++)
		scenario_route_release(&s->routes[i]);
	free(s->routes);
	if (s->dflt != NULL)
		scenario_response_release(s->dflt);
	free(s->dflt);
	free(s->path);
	free(s->dir);
	memset(s, 0, sizeof(*s));
}

static bool
scenario_headers_match(const json_t *want, const json_t *headers)
{
	const char *name;
	json_t *glob;

	json_object_foreach((json_t *)want, name, glob) {
		const char *have = util_header(headers, name);

		if (have == NULL ||
		    !util_glob(json_string_value(glob), have))
			return false;
	}
	return true;
}

struct route *
scenario_match(struct scenario *s, const char *method, const char *path,
    const char *query, const json_t *headers, size_t *index)
{
	size_t i;

	for (i = 0; i < s->nroutes; i++) {
		struct route *r = &s->routes[i];

		if (r->method != NULL && strcasecmp(r->method, method) != 0)
			continue;
		if (r->path != NULL && !util_glob(r->path, path))
			continue;
		if (r->query != NULL && !util_glob(r->query, query))
			continue;
		if (r->header != NULL &&
		    !scenario_headers_match(r->header, headers))
			continue;
		*index = i;
		return r;
	}
	return NULL;
}

const struct response *
scenario_next(struct route *r)
{
	const struct response *resp;

	if (r->exhausted)
		return NULL;
	resp = &r->responses[r->cur];
	if (++r->served < resp->repeat)
		return resp;
	r->served = 0;
	if (r->cur + 1 < r->nresponses) {
		r->cur++;
	} else if (r->after == AFTER_CYCLE) {
		r->cur = 0;
	} else if (r->after == AFTER_FAIL) {
		r->exhausted = true;
	} else {
		/* repeat_last: stay on the last one for good. */
		r->cur = r->nresponses - 1;
	}
	return resp;
}
