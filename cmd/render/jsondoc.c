/*
 * jsondoc: the brief and its evidence as one JSON document, for SOAR
 * playbooks and ticket systems.  It holds the records themselves (values
 * are data here, so they are not defanged; the output is written as
 * ASCII, so no invisible or direction-changing character survives
 * unescaped), minus the bulky "raw" copies of the source objects, plus a
 * headline of the fields a ticket wants first.
 */
#include <string.h>

#include "isotime.h"
#include "jsonx.h"
#include "render.h"
#include "version.h"

/* A deep copy without "raw" members, at any depth of objects/arrays. */
static json_t *
strip_raw(json_t *v)
{
	const char *key;
	json_t *out, *x;
	size_t i;

	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, key, x) {
			if (strcmp(key, "raw") == 0)
				continue;
			json_object_set_new(out, key, strip_raw(x));
		}
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, strip_raw(x));
		return out;
	}
	return json_deep_copy(v);
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
headline(const struct bundle *b)
{
	json_t *inc = b->incident, *brief = b->brief, *h = json_object();
	json_t *bi = json_object_get(brief, "incident");
	json_t *verdict = json_object_get(brief, "verdict"), *owner;
	const char *s;
	long long num;

	num = jx_int(inc, "number", -1);
	if (num < 0)
		num = jx_int(bi, "number", -1);
	json_object_set_new(h, "number", num >= 0 ? json_integer(num) :
	    json_null());
	s = jx_nstr(inc, "id");
	json_object_set_new(h, "id", str_or_null(s != NULL ? s :
	    jx_nstr(bi, "id")));
	s = jx_nstr(inc, "title");
	json_object_set_new(h, "title", str_or_null(s != NULL ? s :
	    jx_nstr(bi, "title")));
	s = jx_nstr(verdict, "severity");
	json_object_set_new(h, "severity", str_or_null(s != NULL ? s :
	    jx_nstr(inc, "severity")));
	json_object_set_new(h, "sentinel_severity",
	    str_or_null(jx_nstr(inc, "severity")));
	s = jx_nstr(verdict, "classification");
	json_object_set_new(h, "classification", str_or_null(s != NULL ? s :
	    jx_nstr(brief, "classification")));
	json_object_set_new(h, "confidence",
	    str_or_null(jx_nstr(brief, "classification_confidence")));
	json_object_set_new(h, "status", str_or_null(jx_nstr(inc, "status")));
	owner = json_object_get(inc, "owner");
	s = json_is_string(owner) ? json_string_value(owner) :
	    jx_nstr(owner, "name") != NULL ? jx_nstr(owner, "name") :
	    jx_nstr(owner, "upn");
	json_object_set_new(h, "owner", str_or_null(s));
	json_object_set_new(h, "url", str_or_null(jx_nstr(inc, "url")));
	json_object_set_new(h, "made_by",
	    str_or_null(jx_path_str(brief, "made_by.path")));
	return h;
}

json_t *
json_document(const struct bundle *b, const struct render_opts *o)
{
	json_t *doc = json_object(), *brief = NULL;
	char now[64];

	iso_format(o->now, now, sizeof(now), 0);
	json_object_set_new(doc, "format", json_string("triage.brief"));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "generated_at", json_string(now));
	json_object_set_new(doc, "generator",
	    json_string("triage-render " TRIAGE_VERSION));
	json_object_set_new(doc, "assessed", json_boolean(b->brief != NULL));
	json_object_set_new(doc, "headline", headline(b));
	json_object_set_new(doc, "incident", b->incident != NULL ?
	    strip_raw(b->incident) : json_null());
	if (b->brief != NULL) {
		/* Its enrichments, techniques and usage are merged below. */
		brief = strip_raw(b->brief);
		json_object_del(brief, "enrichments");
		json_object_del(brief, "techniques");
		json_object_del(brief, "usage");
	}
	json_object_set_new(doc, "brief", brief != NULL ? brief :
	    json_null());
	json_object_set_new(doc, "enrichments", strip_raw(b->enrichments));
	json_object_set_new(doc, "techniques", strip_raw(b->techniques));
	json_object_set_new(doc, "tool_calls", strip_raw(b->tool_calls));
	json_object_set_new(doc, "usage", b->usage != NULL ?
	    strip_raw(b->usage) : json_null());
	json_object_set_new(doc, "errors", strip_raw(b->errors));
	return doc;
}
