/*
 * record: technique, tactic and attack_dataset records from the index.
 * Field order follows docs/records.md; every string comes from the index,
 * which the reader has already bounded, and only the asked-for ID of an
 * unknown technique comes from the input (it goes out as a JSON string,
 * made valid UTF-8).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "jsonx.h"
#include "mitre.h"

long	mitre_max_description = -1;

static json_t *
dataset(const struct attack_index *ix)
{
	struct attack_dataset ds;

	attack_index_dataset(ix, &ds);
	return json_pack("{s:s, s:s?, s:s?}", "name", ds.domain,
	    "version", *ds.version ? ds.version : NULL,
	    "modified", *ds.modified ? ds.modified : NULL);
}

/*
 * At most max characters of s, cut at a word when one ends in the last
 * third, with an ellipsis when anything was cut.  UTF-8 stays whole.
 */
static json_t *
description(const char *s, long max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cut = 0, word = 0, chars = 0, i;
	struct buf b;
	json_t *v;

	if (max < 0)
		return json_string(s);
	for (i = 0; p[i] != '\0'; i++) {
		if ((p[i] & 0xc0) == 0x80)
			continue;	/* inside a character */
		if (chars == (size_t)max)
			break;
		if (p[i] == ' ' || p[i] == '\n')
			word = i;
		chars++;
	}
	if (p[i] == '\0')
		return json_string(s);
	cut = i;
	if (word > 0 && word >= cut - cut / 3)
		cut = word;
	while (cut > 0 && (p[cut - 1] == ' ' || p[cut - 1] == '\n'))
		cut--;
	if (max == 0 || cut == 0)
		return json_string("");
	buf_init(&b);
	buf_add(&b, s, cut);
	buf_adds(&b, "\xe2\x80\xa6");		/* … */
	v = buf_failed(&b) ? NULL : json_string(buf_str(&b));
	buf_release(&b);
	return v;
}

static json_t *
ref(const struct attack_index *ix, uint32_t row)
{
	struct attack_technique t;

	if (row == ATTACK_NONE || attack_technique_at(ix, row, &t) == -1)
		return json_null();
	return json_pack("{s:s, s:s}", "id", t.id, "name", t.name);
}

static json_t *
full_name(const struct attack_index *ix, const struct attack_technique *t)
{
	struct attack_technique p;
	struct buf b;
	json_t *v;

	if (t->parent == ATTACK_NONE ||
	    attack_technique_at(ix, t->parent, &p) == -1)
		return json_string(t->name);
	buf_init(&b);
	buf_printf(&b, "%s: %s", p.name, t->name);
	v = buf_failed(&b) ? NULL : json_string(buf_str(&b));
	buf_release(&b);
	return v;
}

json_t *
mitre_technique(const struct attack_index *ix, uint32_t row, int score)
{
	struct attack_technique t;
	struct attack_tactic tc;
	struct attack_mitigation m;
	json_t *rec, *subs, *tactics, *plats, *mitigs;
	uint32_t i, x;

	if (attack_technique_at(ix, row, &t) == -1)
		return NULL;
	subs = json_array();
	for (i = 0; i < t.subtechniques.count; i++)
		if ((x = attack_list_at(ix, &t.subtechniques, i)) !=
		    ATTACK_NONE)
			json_array_append_new(subs, ref(ix, x));
	tactics = json_array();
	for (i = 0; i < t.tactics.count; i++)
		if (attack_tactic_at(ix, attack_list_at(ix, &t.tactics, i),
		    &tc) == 0)
			json_array_append_new(tactics, json_pack("{s:s, s:s, "
			    "s:s}", "id", tc.id, "short_name", tc.short_name,
			    "name", tc.name));
	plats = json_array();
	for (i = 0; i < t.platforms.count; i++)
		if ((x = attack_list_at(ix, &t.platforms, i)) != ATTACK_NONE)
			json_array_append_new(plats,
			    json_string(attack_str(ix, x)));
	mitigs = json_array();
	for (i = 0; i < t.mitigations.count; i++)
		if (attack_mitigation_at(ix, attack_list_at(ix,
		    &t.mitigations, i), &m) == 0)
			json_array_append_new(mitigs, json_pack("{s:s, s:s}",
			    "id", m.id, "name", m.name));
	rec = json_pack("{s:s, s:s, s:b, s:s, s:o, s:b, s:o, s:o, s:o, s:o, "
	    "s:o, s:s?, s:o, s:b, s:b, s:o, s:o}",
	    "type", "technique",
	    "id", t.id,
	    "found", 1,
	    "name", t.name,
	    "full_name", full_name(ix, &t),
	    "is_subtechnique", t.is_subtechnique,
	    "parent", ref(ix, t.parent),
	    "subtechniques", subs,
	    "tactics", tactics,
	    "platforms", plats,
	    "description", description(t.description, mitre_max_description),
	    "url", *t.url ? t.url : NULL,
	    "mitigations", mitigs,
	    "revoked", t.revoked,
	    "deprecated", t.deprecated,
	    "replaced_by", ref(ix, t.replaced_by),
	    "dataset", dataset(ix));
	if (rec != NULL && score > 0)
		json_object_set_new(rec, "score", json_integer(score));
	return rec;
}

json_t *
mitre_not_found(const struct attack_index *ix, const char *id)
{
	json_t *rec;

	rec = json_pack("{s:s, s:o, s:b, s:o}", "type", "technique",
	    "id", jx_string_lossy(id, strlen(id)), "found", 0,
	    "dataset", dataset(ix));
	return rec;
}

json_t *
mitre_answer(const struct attack_index *ix, const char *id, size_t len,
    int *found)
{
	char canon[16], *copy;
	uint32_t key, row;
	json_t *rec;

	*found = 0;
	if (attack_parse_id(id, len, &key) == 0) {
		row = attack_lookup(ix, key);
		if (row != ATTACK_NONE) {
			*found = 1;
			return mitre_technique(ix, row, 0);
		}
		attack_format_id(key, canon, sizeof(canon));
		return mitre_not_found(ix, canon);
	}
	copy = xmalloc(len + 1);
	memcpy(copy, id, len);
	copy[len] = '\0';
	rec = json_pack("{s:s, s:o, s:b, s:o}", "type", "technique",
	    "id", jx_string_lossy(copy, len), "found", 0,
	    "dataset", dataset(ix));
	free(copy);
	return rec;
}

json_t *
mitre_tactic(const struct attack_index *ix, uint32_t row)
{
	struct attack_tactic tc;
	struct attack_technique t;
	json_t *techs;
	uint32_t i;

	if (attack_tactic_at(ix, row, &tc) == -1)
		return NULL;
	techs = json_array();
	for (i = 0; i < tc.techniques.count; i++) {
		if (attack_technique_at(ix, attack_list_at(ix, &tc.techniques,
		    i), &t) == -1)
			continue;
		json_array_append_new(techs, json_pack("{s:s, s:s, s:o, s:b}",
		    "id", t.id, "name", t.name, "full_name",
		    full_name(ix, &t), "is_subtechnique", t.is_subtechnique));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?, s:I, s:o, s:o}",
	    "type", "tactic",
	    "id", tc.id,
	    "short_name", tc.short_name,
	    "name", tc.name,
	    "description", description(tc.description,
	    mitre_max_description),
	    "url", *tc.url ? tc.url : NULL,
	    "technique_count", (json_int_t)json_array_size(techs),
	    "techniques", techs,
	    "dataset", dataset(ix));
}

json_t *
mitre_dataset_record(const struct attack_store *st)
{
	struct attack_dataset ds;

	attack_index_dataset(&st->ix, &ds);
	return json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:{s:I, s:I, s:I, "
	    "s:I, s:I, s:I}, s:s, s:s?, s:s?, s:s?}",
	    "type", "attack_dataset",
	    "name", ds.domain,
	    "version", *ds.version ? ds.version : NULL,
	    "modified", *ds.modified ? ds.modified : NULL,
	    "spec_version", *ds.spec_version ? ds.spec_version : NULL,
	    "counts",
	    "techniques", (json_int_t)ds.techniques,
	    "subtechniques", (json_int_t)ds.subtechniques,
	    "tactics", (json_int_t)ds.tactics,
	    "mitigations", (json_int_t)ds.mitigations,
	    "revoked", (json_int_t)ds.revoked,
	    "deprecated", (json_int_t)ds.deprecated,
	    "origin", st->origin == ATTACK_FROM_UPDATE ? "update" : "bundled",
	    "source", *ds.source ? ds.source : NULL,
	    "built_at", *ds.built_at ? ds.built_at : NULL,
	    "index", *st->path ? st->path : NULL);
}
