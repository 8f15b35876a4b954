/*
 * answer: the verdict vocabulary, the helpers every answer parser uses to
 * copy facts out of a hostile body (cut to a sane length, times made
 * ISO-8601), and the enrichment record itself.  No I/O.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "enrich.h"
#include "isotime.h"
#include "jsonx.h"

#define FACT_MAX	512	/* bytes of one string fact */

static const char *const verdict_names[] = {
	"malicious", "suspicious", "clean", "unknown", "not_found",
	"skipped", "not_configured", "error"
};

const char *
verdict_name(enum verdict v)
{
	if ((size_t)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return "error";
	return verdict_names[v];
}

int
verdict_parse(const char *s)
{
	size_t i;

	for (i = 0; s != NULL &&
	    i < sizeof(verdict_names) / sizeof(verdict_names[0]); i++)
		if (strcmp(s, verdict_names[i]) == 0)
			return (int)i;
	return -1;
}

int
verdict_is_cacheable(enum verdict v)
{
	return v == V_MALICIOUS || v == V_SUSPICIOUS || v == V_CLEAN ||
	    v == V_UNKNOWN || v == V_NOT_FOUND;
}

void
answer_init(struct answer *a)
{
	memset(a, 0, sizeof(*a));
	a->verdict = V_ERROR;
	a->reason = R_UPSTREAM;
}

void
answer_release(struct answer *a)
{
	json_decref(a->score);
	json_decref(a->facts);
	a->score = NULL;
	a->facts = NULL;
}

void
answer_set(struct answer *a, enum verdict v, const char *reason,
    const char *fmt, ...)
{
	char tmp[sizeof(a->message) * 2];
	va_list ap;

	a->verdict = v;
	a->reason = reason;
	if (fmt == NULL) {
		a->message[0] = '\0';
		return;
	}
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	utf8_cut(tmp, sizeof(a->message) - 1, a->message, sizeof(a->message));
}

json_t *
answer_facts(struct answer *a)
{
	if (a->facts == NULL)
		a->facts = json_object();
	return a->facts;
}

void
utf8_cut(const char *s, size_t n, char *out, size_t outsz)
{
	size_t len;

	if (outsz == 0)
		return;
	len = strlen(s);
	if (n > outsz - 1)
		n = outsz - 1;
	if (len > n) {
		len = n;
		/* Back off continuation bytes, then the lead byte they
		 * belong to, unless the character fits whole. */
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = '\0';
}

void
fact_str(json_t *facts, const char *key, const char *s)
{
	char cut[FACT_MAX + 1];
	json_t *v;

	if (facts == NULL || s == NULL || *s == '\0')
		return;
	utf8_cut(s, FACT_MAX, cut, sizeof(cut));
	v = json_string(cut);
	if (v == NULL)		/* not UTF-8: keep what we can */
		v = jx_string_lossy(cut, strlen(cut));
	json_object_set_new(facts, key, v);
}

void
fact_int(json_t *facts, const char *key, const json_t *src, const char *from)
{
	json_t *v = json_object_get(src, from);

	if (json_is_integer(v))
		json_object_set_new(facts, key,
		    json_integer(json_integer_value(v)));
	else if (json_is_real(v))
		json_object_set_new(facts, key, json_real(json_real_value(v)));
}

void
fact_bool(json_t *facts, const char *key, const json_t *src, const char *from)
{
	json_t *v = json_object_get(src, from);

	if (json_is_boolean(v))
		json_object_set_new(facts, key, json_boolean(json_is_true(v)));
}

void
fact_strings(json_t *facts, const char *key, const json_t *arr, size_t max)
{
	json_t *out, *v;
	size_t i, n = 0;
	char cut[FACT_MAX + 1];

	if (!json_is_array(arr))
		return;
	out = json_array();
	json_array_foreach(arr, i, v) {
		if (n == max)
			break;
		if (!json_is_string(v) || json_string_length(v) == 0)
			continue;
		utf8_cut(json_string_value(v), FACT_MAX / 2, cut, sizeof(cut));
		json_array_append_new(out, json_string(cut));
		n++;
	}
	json_object_set_new(facts, key, out);
}

void
fact_unix_time(json_t *facts, const char *key, const json_t *src,
    const char *from)
{
	json_t *v = json_object_get(src, from);
	char out[48];
	json_int_t s;

	if (!json_is_integer(v))
		return;
	s = json_integer_value(v);
	/* Years 1970 to 9999: anything else is not a time. */
	if (s <= 0 || s > 253402300799LL)
		return;
	iso_format((int64_t)s * TICKS_PER_SEC, out, sizeof(out), -1);
	json_object_set_new(facts, key, json_string(out));
}

void
fact_time_str(json_t *facts, const char *key, const char *s)
{
	char out[48];
	int64_t t;

	if (s == NULL || *s == '\0')
		return;
	if (iso_parse(s, &t) == 0) {
		iso_format(t, out, sizeof(out), -1);
		json_object_set_new(facts, key, json_string(out));
	} else
		fact_str(facts, key, s);
}

void
body_detail(const json_t *root, const char *const *paths, char *out,
    size_t outsz)
{
	const char *s;

	out[0] = '\0';
	for (; *paths != NULL; paths++) {
		s = jx_path_str(root, *paths);
		if (s != NULL && *s != '\0') {
			utf8_cut(s, 160, out, outsz);
			return;
		}
	}
}

json_t *
enrichment_record(const struct indicator *ind, const char *provider,
    const struct answer *a, int cached, const char *fetched_at,
    const char *link)
{
	json_t *rec, *indicator;

	indicator = json_pack("{s:s, s:s, s:s}",
	    "kind", ioc_kind_family(ind->kind) != NULL ?
	    ioc_kind_family(ind->kind) : "unknown",
	    "value", ind->value,
	    "subkind", ioc_kind_name(ind->kind) != NULL ?
	    ioc_kind_name(ind->kind) : "unknown");
	rec = json_object();
	json_object_set_new(rec, "type", json_string("enrichment"));
	json_object_set_new(rec, "indicator", indicator);
	json_object_set_new(rec, "provider", provider != NULL ?
	    json_string(provider) : json_null());
	json_object_set_new(rec, "verdict",
	    json_string(verdict_name(a->verdict)));
	jx_set_str(rec, "reason", a->reason);
	json_object_set_new(rec, "score", a->score != NULL ?
	    json_incref(a->score) : json_null());
	json_object_set_new(rec, "facts", a->facts != NULL ?
	    json_incref(a->facts) : json_object());
	json_object_set_new(rec, "cached", json_boolean(cached));
	jx_set_str(rec, "fetched_at", fetched_at);
	jx_set_str(rec, "link", link);
	if (a->message[0] != '\0')
		json_object_set_new(rec, "message",
		    jx_string_lossy(a->message, strlen(a->message)));
	return rec;
}
