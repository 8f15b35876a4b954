/*
 * bundle: the records about one incident, filed by type.  Enrichments and
 * techniques may arrive twice (from the stream and again inside the
 * brief); the first of each indicator and provider, or of each technique
 * id, is kept, except that a technique that was found beats one that was
 * not.
 */
#include <string.h>
#include <strings.h>

#include "jsonx.h"
#include "render.h"

void
bundle_init(struct bundle *b)
{
	memset(b, 0, sizeof(*b));
	b->enrichments = json_array();
	b->techniques = json_array();
	b->tool_calls = json_array();
	b->errors = json_array();
	b->datasets = json_array();
}

void
bundle_release(struct bundle *b)
{
	json_decref(b->incident);
	json_decref(b->brief);
	json_decref(b->usage);
	json_decref(b->enrichments);
	json_decref(b->techniques);
	json_decref(b->tool_calls);
	json_decref(b->errors);
	json_decref(b->datasets);
	memset(b, 0, sizeof(*b));
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static void
add_enrichment(struct bundle *b, json_t *rec)
{
	const char *value, *provider;
	size_t i;
	json_t *e;

	if (!json_is_object(rec))
		return;
	value = jx_str(json_object_get(rec, "indicator"), "value");
	provider = jx_str(rec, "provider");
	json_array_foreach(b->enrichments, i, e) {
		if (same(value, jx_str(json_object_get(e, "indicator"),
		    "value")) && same(provider, jx_str(e, "provider")))
			return;
	}
	json_array_append(b->enrichments, rec);
}

static void
add_technique(struct bundle *b, json_t *rec)
{
	const char *id = jx_str(rec, "id");
	size_t i;
	json_t *t;

	if (!json_is_object(rec) || id == NULL)
		return;
	json_array_foreach(b->techniques, i, t) {
		if (!same(id, jx_str(t, "id")))
			continue;
		if (!jx_bool(t, "found", 1) && jx_bool(rec, "found", 1))
			json_array_set(b->techniques, i, rec);
		return;
	}
	json_array_append(b->techniques, rec);
}

/* Notes which ATT&CK data answered (name and version), once each. */
static void
add_dataset(struct bundle *b, const json_t *ds)
{
	const char *name = jx_nstr(ds, "name"), *ver = jx_nstr(ds, "version");
	json_t *d;
	size_t i;

	if (name == NULL)
		return;
	json_array_foreach(b->datasets, i, d)
		if (strcmp(jx_str(d, "name"), name) == 0 &&
		    ((ver == NULL && jx_str(d, "version") == NULL) ||
		    (ver != NULL && jx_str(d, "version") != NULL &&
		    strcmp(ver, jx_str(d, "version")) == 0)))
			return;
	d = json_object();
	jx_set_str(d, "name", name);
	jx_set_str(d, "version", ver);
	json_array_append_new(b->datasets, d);
}

int
bundle_add(struct bundle *b, json_t *rec)
{
	const char *type = jx_type(rec);

	if (type == NULL)
		return 0;
	b->records++;
	if (strcmp(type, "incident") == 0) {
		json_decref(b->incident);
		b->incident = json_incref(rec);
	} else if (strcmp(type, "brief") == 0) {
		json_decref(b->brief);
		b->brief = json_incref(rec);
	} else if (strcmp(type, "usage") == 0) {
		json_decref(b->usage);
		b->usage = json_incref(rec);
	} else if (strcmp(type, "enrichment") == 0)
		add_enrichment(b, rec);
	else if (strcmp(type, "technique") == 0) {
		add_technique(b, rec);
		add_dataset(b, json_object_get(rec, "dataset"));
	}
	else if (strcmp(type, "tool_call") == 0)
		json_array_append(b->tool_calls, rec);
	else if (strcmp(type, "error") == 0)
		json_array_append(b->errors, rec);
	else if (strcmp(type, "tactic") == 0)
		add_dataset(b, json_object_get(rec, "dataset"));
	else if (strcmp(type, "attack_dataset") == 0)
		add_dataset(b, rec);
	else {
		b->records--;
		return 0;
	}
	return 1;
}

void
bundle_finish(struct bundle *b)
{
	json_t *arr, *v;
	size_t i;

	if (b->brief == NULL)
		return;
	arr = json_object_get(b->brief, "enrichments");
	json_array_foreach(arr, i, v)
		add_enrichment(b, v);
	arr = json_object_get(b->brief, "techniques");
	json_array_foreach(arr, i, v) {
		add_technique(b, v);
		add_dataset(b, json_object_get(v, "dataset"));
	}
	v = json_object_get(b->brief, "usage");
	if (b->usage == NULL && json_is_object(v))
		b->usage = json_incref(v);
}
