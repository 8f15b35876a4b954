/*
 * attack_build: the STIX bundle parser and index builder (see
 * attack_build.h for what is kept and attack.h for the layout).
 *
 * Two passes over the objects make the build independent of their order:
 * the first sorts objects into techniques, tactics, mitigations, the
 * matrix, the collection and relationships; the second, after the tables
 * are sorted and their STIX ids mapped to rows, applies the relationships.
 * Nothing from the input is trusted to be of the right type: a wrong one
 * reads as absent.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "attack.h"
#include "attack_build.h"
#include "buf.h"
#include "jsonx.h"

#define DEFAULT_MAX_JSON	((size_t)1 << 30)
#define INTERN_MAX		256	/* longer strings are not shared */

struct u32vec {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

struct b_tech {
	const char	*stix_id;
	uint32_t	 key;
	const char	*id, *name, *desc, *url, *modified;
	json_t		*phases;	/* borrowed from the tree */
	json_t		*platforms;
	unsigned	 flags;
	uint32_t	 parent;	/* row, once the table is sorted */
	uint32_t	 replaced;
	struct u32vec	 subs, tactics, mitigs;
};

struct b_tactic {
	const char	*stix_id;
	const char	*id, *short_name, *name, *desc, *url, *modified;
	long		 order;		/* column in the matrix; LONG_MAX */
	struct u32vec	 techs;
};

struct b_mitig {
	const char	*stix_id;
	const char	*id, *name, *desc, *url, *modified;
};

struct builder {
	struct b_tech	*tech;
	size_t		 n_tech, cap_tech;
	struct b_tactic	*tactic;
	size_t		 n_tactic, cap_tactic;
	struct b_mitig	*mitig;
	size_t		 n_mitig, cap_mitig;
	json_t		*matrix;		/* borrowed */
	const char	*collection_version;
	const char	*max_modified;
	const char	*object_spec;
	json_t		*map_tech;		/* STIX id -> row */
	json_t		*map_tactic;		/* short name -> row */
	json_t		*map_mitig;		/* STIX id -> row */
	json_t		*interned;		/* string -> pool offset */
	struct buf	 str, words, tmp;
	int		 oom;
};

static void seterr(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static int
vec_push(struct builder *b, struct u32vec *v, uint32_t x)
{
	uint32_t *nv;
	size_t ncap;

	if (v->n == v->cap) {
		ncap = v->cap ? v->cap * 2 : 4;
		nv = realloc(v->v, ncap * sizeof(*nv));
		if (nv == NULL) {
			b->oom = 1;
			return -1;
		}
		v->v = nv;
		v->cap = ncap;
	}
	v->v[v->n++] = x;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts a vector and drops repeats. */
static void
vec_sort_uniq(struct u32vec *v)
{
	size_t i, j;

	if (v->n < 2)
		return;
	qsort(v->v, v->n, sizeof(*v->v), cmp_u32);
	for (i = 1, j = 1; i < v->n; i++)
		if (v->v[i] != v->v[j - 1])
			v->v[j++] = v->v[i];
	v->n = j;
}

/* Grows an array of structs by one zeroed element; NULL when out of
 * memory. */
static void *
grow(struct builder *b, void **arr, size_t *n, size_t *cap, size_t size)
{
	void *na;
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 64;
		na = realloc(*arr, ncap * size);
		if (na == NULL) {
			b->oom = 1;
			return NULL;
		}
		*arr = na;
		*cap = ncap;
	}
	memset((char *)*arr + *n * size, 0, size);
	return (char *)*arr + (*n)++ * size;
}

/* "Current" in ATT&CK's sense: neither revoked nor deprecated. */
static int
is_revoked(const json_t *o)
{
	return json_is_true(json_object_get(o, "revoked"));
}

static int
is_deprecated(const json_t *o)
{
	return json_is_true(json_object_get(o, "x_mitre_deprecated"));
}

/* The "mitre-attack" external reference: its ID and URL. */
static void
attack_ref(const json_t *o, const char **id, const char **url)
{
	json_t *refs, *r;
	size_t i;

	*id = NULL;
	*url = NULL;
	refs = json_object_get(o, "external_references");
	json_array_foreach(refs, i, r) {
		const char *src = jx_str(r, "source_name");

		if (src != NULL && strcmp(src, "mitre-attack") == 0) {
			*id = jx_nstr(r, "external_id");
			*url = jx_str(r, "url");
			return;
		}
	}
}

static void
note_modified(struct builder *b, const json_t *o)
{
	const char *m = jx_str(o, "modified");

	if (m != NULL && (b->max_modified == NULL ||
	    strcmp(m, b->max_modified) > 0))
		b->max_modified = m;
}

static void
add_technique(struct builder *b, json_t *o)
{
	struct b_tech *t;
	const char *id, *url, *stix;
	uint32_t key;

	stix = jx_nstr(o, "id");
	attack_ref(o, &id, &url);
	if (stix == NULL || id == NULL ||
	    attack_parse_id(id, strlen(id), &key) != 0)
		return;		/* not an Enterprise-style technique */
	t = grow(b, (void **)&b->tech, &b->n_tech, &b->cap_tech, sizeof(*t));
	if (t == NULL)
		return;
	t->stix_id = stix;
	t->key = key;
	t->id = id;
	t->url = url;
	t->name = jx_str(o, "name");
	t->desc = jx_str(o, "description");
	t->modified = jx_str(o, "modified");
	t->phases = json_object_get(o, "kill_chain_phases");
	t->platforms = json_object_get(o, "x_mitre_platforms");
	if (json_is_true(json_object_get(o, "x_mitre_is_subtechnique")) ||
	    key % 1024 != 0)
		t->flags |= ATF_SUB;
	if (is_revoked(o))
		t->flags |= ATF_REVOKED;
	if (is_deprecated(o))
		t->flags |= ATF_DEPRECATED;
	t->parent = ATTACK_NONE;
	t->replaced = ATTACK_NONE;
}

static void
add_tactic(struct builder *b, json_t *o)
{
	struct b_tactic *t;
	const char *id, *url, *stix, *shortname;

	stix = jx_nstr(o, "id");
	shortname = jx_nstr(o, "x_mitre_shortname");
	attack_ref(o, &id, &url);
	if (stix == NULL || id == NULL || shortname == NULL ||
	    is_revoked(o) || is_deprecated(o))
		return;
	t = grow(b, (void **)&b->tactic, &b->n_tactic, &b->cap_tactic,
	    sizeof(*t));
	if (t == NULL)
		return;
	t->stix_id = stix;
	t->id = id;
	t->url = url;
	t->short_name = shortname;
	t->name = jx_str(o, "name");
	t->desc = jx_str(o, "description");
	t->modified = jx_str(o, "modified");
}

static void
add_mitigation(struct builder *b, json_t *o)
{
	struct b_mitig *m;
	const char *id, *url, *stix;

	stix = jx_nstr(o, "id");
	attack_ref(o, &id, &url);
	/* The old 1:1 mitigations are deprecated and carry T-style IDs. */
	if (stix == NULL || id == NULL || is_revoked(o) || is_deprecated(o))
		return;
	m = grow(b, (void **)&b->mitig, &b->n_mitig, &b->cap_mitig,
	    sizeof(*m));
	if (m == NULL)
		return;
	m->stix_id = stix;
	m->id = id;
	m->url = url;
	m->name = jx_str(o, "name");
	m->desc = jx_str(o, "description");
	m->modified = jx_str(o, "modified");
}

/*
 * With several matrices (not the case in Enterprise), prefer the one named
 * for the domain, then the one with the most columns, then the lowest id,
 * so that the choice does not depend on object order.
 */
static int
better_matrix(const json_t *a, const json_t *b)
{
	const char *ia, *ib, *ua;
	size_t na, nb;
	int ea, eb;

	if (b == NULL)
		return 1;
	attack_ref(a, &ia, &ua);
	ea = ia != NULL && strcmp(ia, "enterprise-attack") == 0;
	attack_ref(b, &ib, &ua);
	eb = ib != NULL && strcmp(ib, "enterprise-attack") == 0;
	if (ea != eb)
		return ea;
	na = json_array_size(json_object_get(a, "tactic_refs"));
	nb = json_array_size(json_object_get(b, "tactic_refs"));
	if (na != nb)
		return na > nb;
	ia = jx_str(a, "id");
	ib = jx_str(b, "id");
	return ia != NULL && (ib == NULL || strcmp(ia, ib) < 0);
}

static int
cmp_tech(const void *a, const void *b)
{
	const struct b_tech *x = a, *y = b;
	int cx, cy, c;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	/* The same ID twice: the current one first, then the newest. */
	cx = (x->flags & (ATF_REVOKED | ATF_DEPRECATED)) == 0;
	cy = (y->flags & (ATF_REVOKED | ATF_DEPRECATED)) == 0;
	if (cx != cy)
		return cy - cx;
	c = strcmp(y->modified ? y->modified : "",
	    x->modified ? x->modified : "");
	if (c != 0)
		return c;
	return strcmp(x->stix_id, y->stix_id);
}

static int
cmp_tactic(const void *a, const void *b)
{
	const struct b_tactic *x = a, *y = b;
	int c;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	c = strcmp(x->id, y->id);
	return c != 0 ? c : strcmp(x->stix_id, y->stix_id);
}

static int
cmp_mitig(const void *a, const void *b)
{
	const struct b_mitig *x = a, *y = b;
	int c;

	c = strcmp(x->id, y->id);
	return c != 0 ? c : strcmp(x->stix_id, y->stix_id);
}

static void
map_set(struct builder *b, json_t *map, const char *key, size_t row)
{
	if (json_object_set_new(map, key, json_integer((json_int_t)row)) != 0)
		b->oom = 1;
}

static uint32_t
map_get(json_t *map, const char *key)
{
	json_t *v;

	if (key == NULL)
		return ATTACK_NONE;
	v = json_object_get(map, key);
	return json_is_integer(v) ? (uint32_t)json_integer_value(v) :
	    ATTACK_NONE;
}

static uint32_t
find_key(const struct builder *b, uint32_t key)
{
	size_t lo = 0, hi = b->n_tech, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (b->tech[mid].key == key)
			return (uint32_t)mid;
		if (b->tech[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ATTACK_NONE;
}

/* Sorts the tables, drops repeated IDs and maps STIX ids to rows. */
static void
index_tables(struct builder *b)
{
	json_t *refs, *r;
	size_t i, j, k;

	if (b->n_tech > 1)
		qsort(b->tech, b->n_tech, sizeof(*b->tech), cmp_tech);
	for (i = 0, j = 0; i < b->n_tech; i++)
		if (j == 0 || b->tech[i].key != b->tech[j - 1].key)
			b->tech[j++] = b->tech[i];
	b->n_tech = j;
	for (i = 0; i < b->n_tech; i++)
		map_set(b, b->map_tech, b->tech[i].stix_id, i);

	refs = json_object_get(b->matrix, "tactic_refs");
	for (i = 0; i < b->n_tactic; i++) {
		b->tactic[i].order = (long)json_array_size(refs) + 1;
		json_array_foreach(refs, k, r) {
			if (json_is_string(r) && strcmp(json_string_value(r),
			    b->tactic[i].stix_id) == 0) {
				b->tactic[i].order = (long)k;
				break;
			}
		}
	}
	if (b->n_tactic > 1)
		qsort(b->tactic, b->n_tactic, sizeof(*b->tactic), cmp_tactic);
	for (i = 0, j = 0; i < b->n_tactic; i++) {
		if (json_object_get(b->map_tactic, b->tactic[i].short_name))
			continue;	/* a second tactic of the same name */
		b->tactic[j] = b->tactic[i];
		map_set(b, b->map_tactic, b->tactic[j].short_name, j);
		j++;
	}
	b->n_tactic = j;

	if (b->n_mitig > 1)
		qsort(b->mitig, b->n_mitig, sizeof(*b->mitig), cmp_mitig);
	for (i = 0, j = 0; i < b->n_mitig; i++)
		if (j == 0 || strcmp(b->mitig[i].id, b->mitig[j - 1].id) != 0)
			b->mitig[j++] = b->mitig[i];
	b->n_mitig = j;
	for (i = 0; i < b->n_mitig; i++)
		map_set(b, b->map_mitig, b->mitig[i].stix_id, i);
}

static void
apply_relationship(struct builder *b, const json_t *o)
{
	const char *type = jx_str(o, "relationship_type");
	const char *src = jx_str(o, "source_ref");
	const char *dst = jx_str(o, "target_ref");
	uint32_t s, d;

	if (type == NULL || is_revoked(o) || is_deprecated(o))
		return;
	if (strcmp(type, "subtechnique-of") == 0) {
		s = map_get(b->map_tech, src);
		d = map_get(b->map_tech, dst);
		if (s != ATTACK_NONE && d != ATTACK_NONE && s != d &&
		    (b->tech[d].flags & ATF_SUB) == 0)
			b->tech[s].parent = d;
	} else if (strcmp(type, "mitigates") == 0) {
		s = map_get(b->map_mitig, src);
		d = map_get(b->map_tech, dst);
		if (s != ATTACK_NONE && d != ATTACK_NONE)
			vec_push(b, &b->tech[d].mitigs, s);
	} else if (strcmp(type, "revoked-by") == 0) {
		s = map_get(b->map_tech, src);
		d = map_get(b->map_tech, dst);
		if (s != ATTACK_NONE && d != ATTACK_NONE && s != d)
			b->tech[s].replaced = d;
	}
}

/* Links that need every table in place: parents, lists, tactics. */
static void
link_tables(struct builder *b)
{
	struct b_tech *t;
	json_t *ph;
	uint32_t row, p;
	size_t i, k;

	for (i = 0; i < b->n_tech; i++) {
		t = &b->tech[i];
		/* A sub-technique without a relationship: its ID's prefix. */
		if ((t->flags & ATF_SUB) && t->parent == ATTACK_NONE) {
			p = find_key(b, t->key / 1024 * 1024);
			if (p != ATTACK_NONE && p != i)
				t->parent = p;
		}
		json_array_foreach(t->phases, k, ph) {
			row = map_get(b->map_tactic, jx_str(ph, "phase_name"));
			if (row != ATTACK_NONE)
				vec_push(b, &t->tactics, row);
		}
		vec_sort_uniq(&t->tactics);
		vec_sort_uniq(&t->mitigs);
	}
	for (i = 0; i < b->n_tech; i++) {
		t = &b->tech[i];
		if (t->flags & (ATF_REVOKED | ATF_DEPRECATED))
			continue;
		if (t->parent != ATTACK_NONE)
			vec_push(b, &b->tech[t->parent].subs, (uint32_t)i);
		for (k = 0; k < t->tactics.n; k++)
			vec_push(b, &b->tactic[t->tactics.v[k]].techs,
			    (uint32_t)i);
	}
}

/* Output: little-endian words and a string pool with offset 0 = "". */
static void
put32(struct buf *out, uint32_t v)
{
	unsigned char w[4];

	w[0] = (unsigned char)v;
	w[1] = (unsigned char)(v >> 8);
	w[2] = (unsigned char)(v >> 16);
	w[3] = (unsigned char)(v >> 24);
	buf_add(out, w, 4);
}

static void
set32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
str_add(struct builder *b, const char *s)
{
	size_t len, off;
	json_t *v;

	if (s == NULL || *s == '\0')
		return 0;
	len = strlen(s);
	if (len < INTERN_MAX) {
		v = json_object_get(b->interned, s);
		if (json_is_integer(v))
			return (uint32_t)json_integer_value(v);
	}
	off = b->str.len;
	if (off > UINT32_MAX - len - 1) {
		b->oom = 1;
		return 0;
	}
	buf_add(&b->str, s, len + 1);
	if (len < INTERN_MAX)
		map_set(b, b->interned, s, off);
	return (uint32_t)off;
}

static uint32_t
desc_add(struct builder *b, const char *s)
{
	if (s == NULL)
		return 0;
	buf_reset(&b->tmp);
	if (attack_clean_description(s, &b->tmp) == -1) {
		b->oom = 1;
		return 0;
	}
	return str_add(b, buf_str(&b->tmp));
}

/* Appends a list's items to the word pool; writes (offset, count). */
static void
list_add(struct builder *b, struct buf *row, const uint32_t *v, size_t n)
{
	size_t i;

	put32(row, (uint32_t)(b->words.len / 4));
	put32(row, (uint32_t)n);
	for (i = 0; i < n; i++)
		put32(&b->words, v[i]);
}

static void
write_tech(struct builder *b, struct buf *tab, const struct b_tech *t)
{
	struct u32vec plat = { NULL, 0, 0 };
	json_t *p;
	size_t k;

	put32(tab, t->key);
	put32(tab, str_add(b, t->id));
	put32(tab, str_add(b, t->name));
	put32(tab, desc_add(b, t->desc));
	put32(tab, str_add(b, t->url));
	put32(tab, t->flags);
	put32(tab, t->parent);
	put32(tab, t->replaced);
	list_add(b, tab, t->subs.v, t->subs.n);
	list_add(b, tab, t->tactics.v, t->tactics.n);
	json_array_foreach(t->platforms, k, p)
		if (json_is_string(p) && *json_string_value(p) != '\0' &&
		    plat.n < ATTACK_MAX_PLATFORMS)
			vec_push(b, &plat, str_add(b, json_string_value(p)));
	list_add(b, tab, plat.v, plat.n);
	free(plat.v);
	list_add(b, tab, t->mitigs.v, t->mitigs.n);
}

static const char *
spec_of(const json_t *root, const struct builder *b)
{
	const char *s = jx_nstr(root, "spec_version");

	if (s != NULL)
		return s;
	return b->object_spec != NULL ? b->object_spec : "";
}

static const char *
domain_of(const struct builder *b)
{
	const char *id, *url;

	if (b->matrix != NULL) {
		attack_ref(b->matrix, &id, &url);
		if (id != NULL)
			return id;
	}
	return "";
}

static int
emit(struct builder *b, const json_t *root,
    const struct attack_build_opts *o, struct buf *out)
{
	struct buf tech, tactic, mitig;
	unsigned char head[ATTACK_HDR_SIZE];
	uint32_t words[ATTACK_HDR_WORDS];
	uint32_t ctech = 0, csub = 0, crev = 0, cdep = 0;
	char version[32];
	const char *v;
	size_t i, off;
	uint64_t total;
	int rc = -1;

	buf_init(&tech);
	buf_init(&tactic);
	buf_init(&mitig);
	memset(words, 0, sizeof(words));
	buf_addc(&b->str, '\0');	/* offset 0: the empty string */

	for (i = 0; i < b->n_tech; i++) {
		const struct b_tech *t = &b->tech[i];

		write_tech(b, &tech, t);
		if (t->flags & ATF_REVOKED)
			crev++;
		else if (t->flags & ATF_DEPRECATED)
			cdep++;
		else if (t->flags & ATF_SUB)
			csub++;
		else
			ctech++;
	}
	for (i = 0; i < b->n_tactic; i++) {
		const struct b_tactic *t = &b->tactic[i];

		put32(&tactic, str_add(b, t->id));
		put32(&tactic, str_add(b, t->short_name));
		put32(&tactic, str_add(b, t->name));
		put32(&tactic, desc_add(b, t->desc));
		put32(&tactic, str_add(b, t->url));
		list_add(b, &tactic, t->techs.v, t->techs.n);
	}
	for (i = 0; i < b->n_mitig; i++) {
		const struct b_mitig *m = &b->mitig[i];

		put32(&mitig, str_add(b, m->id));
		put32(&mitig, str_add(b, m->name));
		put32(&mitig, str_add(b, m->url));
		put32(&mitig, desc_add(b, m->desc));
	}

	v = o->version;
	if (v == NULL || *v == '\0')
		v = b->collection_version;
	if ((v == NULL || *v == '\0') && o->source != NULL &&
	    attack_version_from_name(o->source, version, sizeof(version)) == 0)
		v = version;
	words[AH_FORMAT] = ATTACK_INDEX_FORMAT;
	words[AH_DOMAIN] = str_add(b, domain_of(b));
	words[AH_VERSION] = str_add(b, v);
	words[AH_MODIFIED] = str_add(b, b->max_modified);
	words[AH_SPEC] = str_add(b, spec_of(root, b));
	words[AH_SOURCE] = str_add(b, o->source);
	words[AH_BUILT] = str_add(b, o->built_at);
	words[AH_STAMP] = str_add(b, o->stamp);
	words[AH_CTECH] = ctech;
	words[AH_CSUB] = csub;
	words[AH_CREVOKED] = crev;
	words[AH_CDEPRECATED] = cdep;
	if (b->oom || buf_failed(&b->str) || buf_failed(&b->words) ||
	    buf_failed(&tech) || buf_failed(&tactic) || buf_failed(&mitig))
		goto out;

	off = ATTACK_HDR_SIZE;
	words[AH_NTECH] = (uint32_t)b->n_tech;
	words[AH_TECH] = (uint32_t)off;
	off += tech.len;
	words[AH_NTACTIC] = (uint32_t)b->n_tactic;
	words[AH_TACTIC] = (uint32_t)off;
	off += tactic.len;
	words[AH_NMITIG] = (uint32_t)b->n_mitig;
	words[AH_MITIG] = (uint32_t)off;
	off += mitig.len;
	words[AH_NWORDS] = (uint32_t)(b->words.len / 4);
	words[AH_WORDS] = (uint32_t)off;
	off += b->words.len;
	words[AH_STRLEN] = (uint32_t)b->str.len;
	words[AH_STR] = (uint32_t)off;
	total = (uint64_t)off + b->str.len;
	if (total > UINT32_MAX)
		goto out;
	words[AH_LENGTH] = (uint32_t)total;

	memcpy(head, ATTACK_INDEX_MAGIC, 8);
	for (i = 0; i < ATTACK_HDR_WORDS; i++)
		set32(head + 8 + 4 * i, words[i]);
	off = out->len;
	if (buf_reserve(out, (size_t)total) == -1)
		goto out;
	buf_add(out, head, sizeof(head));
	buf_add(out, tech.data, tech.len);
	buf_add(out, tactic.data, tactic.len);
	buf_add(out, mitig.data, mitig.len);
	buf_add(out, b->words.data, b->words.len);
	buf_add(out, b->str.data, b->str.len);
	if (buf_failed(out)) {
		out->len = off;
		goto out;
	}
	rc = 0;
out:
	buf_release(&tech);
	buf_release(&tactic);
	buf_release(&mitig);
	return rc;
}

static void
builder_release(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->n_tech; i++) {
		free(b->tech[i].subs.v);
		free(b->tech[i].tactics.v);
		free(b->tech[i].mitigs.v);
	}
	for (i = 0; i < b->n_tactic; i++)
		free(b->tactic[i].techs.v);
	free(b->tech);
	free(b->tactic);
	free(b->mitig);
	json_decref(b->map_tech);
	json_decref(b->map_tactic);
	json_decref(b->map_mitig);
	json_decref(b->interned);
	buf_release(&b->str);
	buf_release(&b->words);
	buf_release(&b->tmp);
}

static int
build_tree(json_t *root, const struct attack_build_opts *opts,
    struct buf *out, char *err, size_t errsz)
{
	struct builder b;
	json_t *objects, *o;
	json_t **rels = NULL;
	size_t i, n_rels = 0, cap_rels = 0;
	const char *type, *spec;
	size_t n_current = 0;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	buf_init(&b.str);
	buf_init(&b.words);
	buf_init(&b.tmp);
	b.map_tech = json_object();
	b.map_tactic = json_object();
	b.map_mitig = json_object();
	b.interned = json_object();
	if (!b.map_tech || !b.map_tactic || !b.map_mitig || !b.interned) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	objects = json_object_get(root, "objects");
	type = jx_str(root, "type");
	if (!json_is_object(root) || type == NULL ||
	    strcmp(type, "bundle") != 0 || !json_is_array(objects)) {
		seterr(err, errsz, "not a STIX bundle (no \"type\": \"bundle\" "
		    "with \"objects\")");
		goto out;
	}
	json_array_foreach(objects, i, o) {
		type = jx_str(o, "type");
		if (type == NULL)
			continue;
		note_modified(&b, o);
		spec = jx_nstr(o, "spec_version");
		if (spec != NULL && (b.object_spec == NULL ||
		    strcmp(spec, b.object_spec) > 0))
			b.object_spec = spec;
		if (strcmp(type, "attack-pattern") == 0)
			add_technique(&b, o);
		else if (strcmp(type, "x-mitre-tactic") == 0)
			add_tactic(&b, o);
		else if (strcmp(type, "course-of-action") == 0)
			add_mitigation(&b, o);
		else if (strcmp(type, "x-mitre-matrix") == 0) {
			if (!is_revoked(o) && !is_deprecated(o) &&
			    better_matrix(o, b.matrix))
				b.matrix = o;
		} else if (strcmp(type, "x-mitre-collection") == 0) {
			if (jx_nstr(o, "x_mitre_version") != NULL)
				b.collection_version = jx_str(o,
				    "x_mitre_version");
		} else if (strcmp(type, "relationship") == 0) {
			if (n_rels == cap_rels) {
				size_t nc = cap_rels ? cap_rels * 2 : 256;
				json_t **nr = realloc(rels, nc * sizeof(*nr));

				if (nr == NULL) {
					b.oom = 1;
					break;
				}
				rels = nr;
				cap_rels = nc;
			}
			rels[n_rels++] = o;
		}
		if (b.oom)
			break;
	}
	if (b.oom) {
		seterr(err, errsz, "out of memory");
		goto out;
	}
	index_tables(&b);
	for (i = 0; i < n_rels; i++)
		apply_relationship(&b, rels[i]);
	link_tables(&b);
	for (i = 0; i < b.n_tech; i++)
		if ((b.tech[i].flags & (ATF_REVOKED | ATF_DEPRECATED)) == 0)
			n_current++;
	if (b.n_tactic == 0) {
		seterr(err, errsz, "not an ATT&CK bundle: no tactics");
		goto out;
	}
	if (n_current == 0) {
		seterr(err, errsz, "not an ATT&CK bundle: no current "
		    "techniques");
		goto out;
	}
	if (emit(&b, root, opts, out) == -1) {
		seterr(err, errsz, "out of memory (or an index over 4 GiB)");
		goto out;
	}
	rc = 0;
out:
	free(rels);
	builder_release(&b);
	return rc;
}

int
attack_build(const void *data, size_t len,
    const struct attack_build_opts *opts, struct buf *out, char *err,
    size_t errsz)
{
	static const struct attack_build_opts none;
	const unsigned char *p = data;
	struct buf plain;
	json_error_t jerr;
	json_t *root;
	size_t max;
	int rc;

	if (opts == NULL)
		opts = &none;
	max = opts->max_json ? opts->max_json : DEFAULT_MAX_JSON;
	buf_init(&plain);
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		if (attack_gunzip(data, len, max, &plain, err, errsz) == -1) {
			buf_release(&plain);
			return -1;
		}
		p = (const unsigned char *)plain.data;
		len = plain.len;
	} else if (len > max) {
		seterr(err, errsz, "bundle is larger than %zu bytes", max);
		return -1;
	}
	if (p == NULL || len == 0) {
		buf_release(&plain);
		seterr(err, errsz, "empty input");
		return -1;
	}
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		p += 3;		/* a UTF-8 byte-order mark */
		len -= 3;
	}
	root = json_loadb((const char *)p, len, 0, &jerr);
	buf_release(&plain);
	if (root == NULL) {
		if (errsz > 0)
			snprintf(err, errsz, "not JSON: %s (line %d)",
			    jerr.text, jerr.line);
		return -1;
	}
	rc = build_tree(root, opts, out, err, errsz);
	json_decref(root);
	return rc;
}

int
attack_gunzip(const void *data, size_t len, size_t max, struct buf *out,
    char *err, size_t errsz)
{
	unsigned char chunk[65536];
	z_stream z;
	size_t start = out->len, have;
	int zr = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		seterr(err, errsz, "cannot start gzip decoder");
		return -1;
	}
	z.next_in = (unsigned char *)(uintptr_t)data;
	while (len > 0 || zr != Z_STREAM_END) {
		/* avail_in is 32 bits; feed a large input in slices. */
		if (z.avail_in == 0) {
			if (len == 0)
				break;
			z.avail_in = len > UINT32_MAX ? UINT32_MAX :
			    (uInt)len;
			len -= z.avail_in;
		}
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			seterr(err, errsz, "bad gzip data: %s", z.msg != NULL ?
			    z.msg : "inflate failed");
			goto fail;
		}
		have = sizeof(chunk) - z.avail_out;
		if (out->len - start + have > max) {
			seterr(err, errsz, "gzip data inflates to more than "
			    "%zu bytes", max);
			goto fail;
		}
		if (buf_add(out, chunk, have) == -1) {
			seterr(err, errsz, "out of memory");
			goto fail;
		}
		if (zr == Z_STREAM_END) {
			/* Another member may follow (concatenated gzip). */
			if (z.avail_in == 0 && len == 0)
				break;
			if (inflateReset(&z) != Z_OK)
				goto fail;
			zr = Z_OK;
		} else if (zr == Z_BUF_ERROR && z.avail_in == 0 && len == 0) {
			seterr(err, errsz, "gzip data is truncated");
			goto fail;
		}
	}
	if (zr != Z_STREAM_END) {
		seterr(err, errsz, "gzip data is truncated");
		goto fail;
	}
	inflateEnd(&z);
	return 0;
fail:
	inflateEnd(&z);
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

int
attack_clean_description(const char *s, struct buf *out)
{
	const char *p, *q;
	int depth;

	for (p = s; *p != '\0';) {
		if (strncmp(p, "(Citation:", 10) == 0) {
			/* To the matching parenthesis: names may hold some. */
			for (q = p + 1, depth = 1; *q != '\0' && depth > 0; q++)
				if (*q == '(')
					depth++;
				else if (*q == ')')
					depth--;
			if (depth == 0) {
				while (out->len > 0 &&
				    (out->data[out->len - 1] == ' ' ||
				    out->data[out->len - 1] == '\t'))
					out->data[--out->len] = '\0';
				p = q;
				continue;
			}
		} else if (strncmp(p, "<code>", 6) == 0) {
			buf_addc(out, '`');
			p += 6;
			continue;
		} else if (strncmp(p, "</code>", 7) == 0) {
			buf_addc(out, '`');
			p += 7;
			continue;
		}
		buf_addc(out, *p++);
	}
	if (out->data == NULL)
		buf_adds(out, "");
	return buf_failed(out) ? -1 : 0;
}

int
attack_version_from_name(const char *name, char *out, size_t outsz)
{
	const char *base, *p, *found = NULL, *q;
	size_t n;

	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	for (p = base; (p = strstr(p, "attack-")) != NULL; p++) {
		q = p + 7;
		if (*q == 'v' || *q == 'V')
			q++;
		if (!isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (*q != '.' || !isdigit((unsigned char)q[1]))
			continue;
		for (q++; isdigit((unsigned char)*q); q++)
			;
		/* "18.1" but not "18.1.2", the start of a longer number. */
		if (*q == '.' && isdigit((unsigned char)q[1]))
			continue;
		found = p + 7 + (p[7] == 'v' || p[7] == 'V');
		n = (size_t)(q - found);
		if (n + 1 > outsz)
			return -1;
		memcpy(out, found, n);
		out[n] = '\0';
	}
	return found != NULL ? 0 : -1;
}
