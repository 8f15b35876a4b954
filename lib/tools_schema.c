/*
 * tools_schema: the subset of JSON Schema a tool manifest may use, checked
 * when a manifest loads and enforced on every tool input before anything
 * runs.  The recursion follows the schema, which is ours, so hostile input
 * cannot make it deep.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "tools.h"

/* Keywords we enforce, and annotations we accept and ignore. */
static const char *const enforced[] = {
	"type", "properties", "required", "enum", "items", "minimum",
	"maximum", "minLength", "maxLength", "minItems", "maxItems",
	"additionalProperties", NULL
};
static const char *const annotations[] = {
	"description", "title", "default", "examples", "$schema", "$comment",
	"format", NULL
};
static const char *const type_names[] = {
	"object", "array", "string", "integer", "number", "boolean", "null",
	NULL
};

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int
fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errsz > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
count_ok(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

static int
check(const json_t *s, const char *path, int depth, char *err, size_t errsz)
{
	const char *key, *sep = path[0] != '\0' ? "." : "";
	const json_t *v, *p;
	char sub[512];
	size_t i;

	if (depth > 32)
		return fail(err, errsz, "%s: nested too deeply", path);
	if (!json_is_object(s))
		return fail(err, errsz, "%s%sexpected a schema object", path,
		    path[0] != '\0' ? ": " : "");
	json_object_foreach((json_t *)s, key, v) {
		if (in_list(key, annotations))
			continue;
		if (!in_list(key, enforced))
			return fail(err, errsz, "%s%sunsupported keyword '%s'",
			    path, path[0] != '\0' ? ": " : "", key);
	}
	v = json_object_get(s, "type");
	if (v != NULL) {
		if (json_is_string(v)) {
			if (!in_list(json_string_value(v), type_names))
				return fail(err, errsz, "%s%stype: unknown "
				    "type '%s'", path, sep,
				    json_string_value(v));
		} else if (json_is_array(v) && json_array_size(v) > 0) {
			for (i = 0; i < json_array_size(v); i++) {
				p = json_array_get(v, i);
				if (!json_is_string(p) ||
				    !in_list(json_string_value(p), type_names))
					return fail(err, errsz, "%s%stype: "
					    "expected type names", path, sep);
			}
		} else
			return fail(err, errsz, "%s%stype: expected a type "
			    "name or a list of them", path, sep);
	}
	v = json_object_get(s, "properties");
	if (v != NULL) {
		if (!json_is_object(v))
			return fail(err, errsz, "%s%sproperties: expected an "
			    "object", path, sep);
		json_object_foreach((json_t *)v, key, p) {
			snprintf(sub, sizeof(sub), "%s%sproperties.%s", path,
			    sep, key);
			if (check(p, sub, depth + 1, err, errsz) == -1)
				return -1;
		}
	}
	v = json_object_get(s, "required");
	if (v != NULL) {
		if (!json_is_array(v))
			return fail(err, errsz, "%s%srequired: expected an "
			    "array of names", path, sep);
		for (i = 0; i < json_array_size(v); i++)
			if (!json_is_string(json_array_get(v, i)))
				return fail(err, errsz, "%s%srequired: "
				    "expected an array of names", path, sep);
	}
	v = json_object_get(s, "enum");
	if (v != NULL && (!json_is_array(v) || json_array_size(v) == 0))
		return fail(err, errsz, "%s%senum: expected a non-empty array",
		    path, sep);
	v = json_object_get(s, "items");
	if (v != NULL) {
		snprintf(sub, sizeof(sub), "%s%sitems", path, sep);
		if (check(v, sub, depth + 1, err, errsz) == -1)
			return -1;
	}
	v = json_object_get(s, "additionalProperties");
	if (v != NULL && !json_is_boolean(v)) {
		snprintf(sub, sizeof(sub), "%s%sadditionalProperties", path,
		    sep);
		if (check(v, sub, depth + 1, err, errsz) == -1)
			return -1;
	}
	if (((v = json_object_get(s, "minimum")) != NULL &&
	    !json_is_number(v)) ||
	    ((v = json_object_get(s, "maximum")) != NULL && !json_is_number(v)))
		return fail(err, errsz, "%s%sminimum and maximum must be "
		    "numbers", path, sep);
	if (((v = json_object_get(s, "minLength")) != NULL && !count_ok(v)) ||
	    ((v = json_object_get(s, "maxLength")) != NULL && !count_ok(v)) ||
	    ((v = json_object_get(s, "minItems")) != NULL && !count_ok(v)) ||
	    ((v = json_object_get(s, "maxItems")) != NULL && !count_ok(v)))
		return fail(err, errsz, "%s%sminLength, maxLength, minItems "
		    "and maxItems must be whole numbers", path, sep);
	return 0;
}

int
tools_schema_check(const json_t *schema, char *err, size_t errsz)
{
	const json_t *t;

	if (check(schema, "", 0, err, errsz) == -1)
		return -1;
	t = json_object_get(schema, "type");
	if (!json_is_string(t) || strcmp(json_string_value(t), "object") != 0)
		return fail(err, errsz, "type: a tool's input must be "
		    "\"object\"");
	return 0;
}

static int
is_integral(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		return 1;
	if (!json_is_real(v))
		return 0;
	d = json_real_value(v);
	return isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0;
}

static int
type_matches(const json_t *v, const char *t)
{
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	if (strcmp(t, "array") == 0)
		return json_is_array(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "integer") == 0)
		return is_integral(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(t, "null") == 0)
		return json_is_null(v);
	return 0;
}

static const char *
article(const char *t)
{
	return t[0] == 'a' || t[0] == 'o' || t[0] == 'i' ? "an" : "a";
}

/* Characters (code points) in a UTF-8 string. */
static size_t
utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static const char *
kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static int
validate(const json_t *s, const json_t *v, const char *path, char *err,
    size_t errsz)
{
	const json_t *t, *p, *req, *addl, *lim;
	const char *key;
	char sub[512];
	size_t i, n;
	int ok;

	t = json_object_get(s, "type");
	if (json_is_string(t)) {
		if (!type_matches(v, json_string_value(t)))
			return fail(err, errsz, "%s: expected %s %s, not %s",
			    path, article(json_string_value(t)),
			    json_string_value(t), kind_of(v));
	} else if (json_is_array(t)) {
		ok = 0;
		for (i = 0; i < json_array_size(t) && !ok; i++)
			ok = type_matches(v,
			    json_string_value(json_array_get(t, i)));
		if (!ok)
			return fail(err, errsz, "%s: %s is not an allowed "
			    "type", path, kind_of(v));
	}
	p = json_object_get(s, "enum");
	if (p != NULL) {
		ok = 0;
		for (i = 0; i < json_array_size(p) && !ok; i++)
			ok = json_equal((json_t *)v, json_array_get(p, i));
		if (!ok) {
			struct buf b;
			int rc;

			buf_init(&b);
			for (i = 0; i < json_array_size(p) && i < 12; i++) {
				if (i > 0)
					buf_adds(&b, ", ");
				if (json_is_string(json_array_get(p, i)))
					buf_adds(&b, json_string_value(
					    json_array_get(p, i)));
				else
					buf_adds(&b, "(value)");
			}
			rc = fail(err, errsz, "%s: expected one of: %s", path,
			    buf_str(&b));
			buf_release(&b);
			return rc;
		}
	}
	if (json_is_object(v)) {
		req = json_object_get(s, "required");
		for (i = 0; i < json_array_size(req); i++) {
			key = json_string_value(json_array_get(req, i));
			if (key != NULL && json_object_get(v, key) == NULL)
				return fail(err, errsz, "%s: missing required "
				    "field '%s'", path, key);
		}
		p = json_object_get(s, "properties");
		addl = json_object_get(s, "additionalProperties");
		json_object_foreach((json_t *)v, key, t) {
			const json_t *ps = json_object_get(p, key);

			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			if (ps != NULL) {
				if (validate(ps, t, sub, err, errsz) == -1)
					return -1;
			} else if (json_is_false(addl)) {
				return fail(err, errsz, "%s: unknown field "
				    "'%s'", path, key);
			} else if (json_is_object(addl)) {
				if (validate(addl, t, sub, err, errsz) == -1)
					return -1;
			}
		}
	}
	if (json_is_array(v)) {
		n = json_array_size(v);
		lim = json_object_get(s, "minItems");
		if (lim != NULL && n < (size_t)json_integer_value(lim))
			return fail(err, errsz, "%s: expected at least %lld "
			    "items", path, (long long)json_integer_value(lim));
		lim = json_object_get(s, "maxItems");
		if (lim != NULL && n > (size_t)json_integer_value(lim))
			return fail(err, errsz, "%s: expected at most %lld "
			    "items", path, (long long)json_integer_value(lim));
		p = json_object_get(s, "items");
		for (i = 0; p != NULL && i < n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (validate(p, json_array_get(v, i), sub, err,
			    errsz) == -1)
				return -1;
		}
	}
	if (json_is_string(v)) {
		n = utf8_chars(json_string_value(v), json_string_length(v));
		lim = json_object_get(s, "minLength");
		if (lim != NULL && n < (size_t)json_integer_value(lim))
			return fail(err, errsz, "%s: expected at least %lld "
			    "characters", path,
			    (long long)json_integer_value(lim));
		lim = json_object_get(s, "maxLength");
		if (lim != NULL && n > (size_t)json_integer_value(lim))
			return fail(err, errsz, "%s: expected at most %lld "
			    "characters, got %zu", path,
			    (long long)json_integer_value(lim), n);
	}
	if (json_is_number(v)) {
		lim = json_object_get(s, "minimum");
		if (lim != NULL && json_number_value(v) <
		    json_number_value(lim))
			return fail(err, errsz, "%s: expected at least %g",
			    path, json_number_value(lim));
		lim = json_object_get(s, "maximum");
		if (lim != NULL && json_number_value(v) >
		    json_number_value(lim))
			return fail(err, errsz, "%s: expected at most %g",
			    path, json_number_value(lim));
	}
	return 0;
}

int
tools_validate(const json_t *schema, const json_t *value, char *err,
    size_t errsz)
{
	if (value == NULL)
		return fail(err, errsz, "input: missing");
	return validate(schema, value, "input", err, errsz);
}
