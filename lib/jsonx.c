/*
 * jsonx: tolerant field access and small builders for records.
 */
#include <strings.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonx.h"
#include "utf8.h"

const char *
jx_str(const json_t *obj, const char *key)
{
	json_t *v;

	if (!json_is_object(obj))
		return NULL;
	v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
jx_nstr(const json_t *obj, const char *key)
{
	const char *s = jx_str(obj, key);

	return s != NULL && *s != '\0' ? s : NULL;
}

static int
value_int(const json_t *v, long long *out)
{
	const char *s;
	char *end;
	double d;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (d != floor(d) || d < -9.2e18 || d > 9.2e18)
			return -1;
		*out = (long long)d;
		return 0;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		errno = 0;
		*out = strtoll(s, &end, 10);
		if (end == s || *end != '\0' || errno != 0)
			return -1;
		return 0;
	}
	return -1;
}

long long
jx_int(const json_t *obj, const char *key, long long fallback)
{
	long long n;

	if (!json_is_object(obj) ||
	    value_int(json_object_get(obj, key), &n) == -1)
		return fallback;
	return n;
}

double
jx_num(const json_t *obj, const char *key, double fallback)
{
	json_t *v;

	if (!json_is_object(obj))
		return fallback;
	v = json_object_get(obj, key);
	return json_is_number(v) ? json_number_value(v) : fallback;
}

int
jx_bool(const json_t *obj, const char *key, int fallback)
{
	json_t *v;
	const char *s;

	if (!json_is_object(obj))
		return fallback;
	v = json_object_get(obj, key);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (strcasecmp(s, "true") == 0)
			return 1;
		if (strcasecmp(s, "false") == 0)
			return 0;
	}
	return fallback;
}

json_t *
jx_path(const json_t *root, const char *path)
{
	const json_t *cur = root;
	char key[256];
	size_t n;
	const char *p = path;
	char *end;
	long idx;

	while (cur != NULL && *p != '\0') {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			idx = strtol(p + 1, &end, 10);
			if (end == p + 1 || *end != ']' || idx < 0 ||
			    !json_is_array(cur))
				return NULL;
			cur = json_array_get(cur, (size_t)idx);
			p = end + 1;
			continue;
		}
		n = strcspn(p, ".[");
		if (n >= sizeof(key) || !json_is_object(cur))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = json_object_get(cur, key);
		p += n;
	}
	return (json_t *)cur;
}

const char *
jx_path_str(const json_t *root, const char *path)
{
	json_t *v = jx_path(root, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int
jx_set_str(json_t *obj, const char *key, const char *s)
{
	return json_object_set_new(obj, key,
	    s != NULL ? jx_string_lossy(s, strlen(s)) : json_null());
}

int
jx_set_nstr(json_t *obj, const char *key, const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	return jx_set_str(obj, key, s);
}

const char *
jx_type(const json_t *rec)
{
	return jx_str(rec, "type");
}

static int
dump_cb(const char *p, size_t n, void *data)
{
	return buf_add(data, p, n);
}

int
jx_dump_buf(const json_t *v, struct buf *b, size_t flags)
{
	if (json_dump_callback(v, dump_cb, b, flags | JSON_ENCODE_ANY) == -1)
		return -1;
	return buf_failed(b) ? -1 : 0;
}


json_t *
jx_string_lossy(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	json_t *v;
	size_t i, n;

	for (i = 0; i < len; i += n)
		if (p[i] == 0 || (n = utf8_decode(p + i, len - i, NULL)) == 0)
			break;
	if (i == len)
		return json_stringn(s, len);
	buf_init(&b);
	for (i = 0; i < len; i += n) {
		if (p[i] == 0) {
			/* NUL would end the string early: make it visible. */
			buf_adds(&b, "\xef\xbf\xbd");
			n = 1;
		} else if ((n = utf8_decode(p + i, len - i, NULL)) == 0) {
			buf_adds(&b, "\xef\xbf\xbd");
			n = 1;
		} else
			buf_add(&b, p + i, n);
	}
	v = buf_failed(&b) ? NULL : json_stringn(buf_str(&b), b.len);
	buf_release(&b);
	return v;
}

json_t *
jx_error_record(const char *stage, const char *code, const char *message,
    json_t *concerns)
{
	json_t *rec;

	rec = json_object();
	if (rec == NULL) {
		json_decref(concerns);
		return NULL;
	}
	json_object_set_new(rec, "type", json_string("error"));
	jx_set_str(rec, "stage", stage);
	if (code != NULL)
		jx_set_str(rec, "code", code);
	jx_set_str(rec, "message", message);
	if (concerns != NULL)
		json_object_set_new(rec, "concerns", concerns);
	return rec;
}
