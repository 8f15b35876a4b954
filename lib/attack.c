/*
 * attack: reading the compact ATT&CK index in place (see attack.h for the
 * layout).  Every offset read from the file is checked before it is
 * followed, so the reader is safe on any bytes; the checks are a compare
 * each, which keeps a lookup to a handful of page touches.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attack.h"

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint32_t
hdr(const struct attack_index *ix, enum attack_hdr w)
{
	return rd32(ix->base + 8 + 4 * (size_t)w);
}

static void
seterr(char *err, size_t errsz, const char *msg)
{
	if (errsz > 0) {
		strncpy(err, msg, errsz - 1);
		err[errsz - 1] = '\0';
	}
}

/* A table of n rows of w words at off must lie inside the file. */
static int
table_fits(size_t len, uint32_t off, uint32_t n, size_t w)
{
	if (off % 4 != 0 || off < ATTACK_HDR_SIZE || off > len)
		return 0;
	return (uint64_t)n * w * 4 <= (uint64_t)(len - off);
}

int
attack_index_open(struct attack_index *ix, const void *data, size_t len,
    char *err, size_t errsz)
{
	uint32_t i, prev, key;

	memset(ix, 0, sizeof(*ix));
	if (data == NULL || len < ATTACK_HDR_SIZE ||
	    memcmp(data, ATTACK_INDEX_MAGIC, 8) != 0) {
		seterr(err, errsz, "not an ATT&CK index");
		return -1;
	}
	ix->base = data;
	ix->len = len;
	if (hdr(ix, AH_FORMAT) != ATTACK_INDEX_FORMAT) {
		seterr(err, errsz, "ATT&CK index of another format version");
		return -1;
	}
	if (hdr(ix, AH_LENGTH) != len) {
		seterr(err, errsz, "ATT&CK index is truncated");
		return -1;
	}
	ix->n_tech = hdr(ix, AH_NTECH);
	ix->n_tactic = hdr(ix, AH_NTACTIC);
	ix->n_mitig = hdr(ix, AH_NMITIG);
	ix->n_words = hdr(ix, AH_NWORDS);
	ix->str_len = hdr(ix, AH_STRLEN);
	if (!table_fits(len, hdr(ix, AH_TECH), ix->n_tech, ATTACK_TECH_WORDS) ||
	    !table_fits(len, hdr(ix, AH_TACTIC), ix->n_tactic,
	    ATTACK_TACTIC_WORDS) ||
	    !table_fits(len, hdr(ix, AH_MITIG), ix->n_mitig,
	    ATTACK_MITIG_WORDS) ||
	    !table_fits(len, hdr(ix, AH_WORDS), ix->n_words, 1) ||
	    hdr(ix, AH_STR) < ATTACK_HDR_SIZE || hdr(ix, AH_STR) > len ||
	    ix->str_len == 0 || ix->str_len > len - hdr(ix, AH_STR)) {
		seterr(err, errsz, "ATT&CK index is damaged (tables)");
		return -1;
	}
	ix->tech = ix->base + hdr(ix, AH_TECH);
	ix->tactic = ix->base + hdr(ix, AH_TACTIC);
	ix->mitig = ix->base + hdr(ix, AH_MITIG);
	ix->words = ix->base + hdr(ix, AH_WORDS);
	ix->str = (const char *)ix->base + hdr(ix, AH_STR);
	/* Every string ends inside the pool because the pool ends so. */
	if (ix->str[ix->str_len - 1] != '\0') {
		seterr(err, errsz, "ATT&CK index is damaged (strings)");
		return -1;
	}
	/* Binary search needs strictly ascending keys; 900 compares. */
	prev = 0;
	for (i = 0; i < ix->n_tech; i++) {
		key = rd32(ix->tech + (size_t)i * ATTACK_TECH_WORDS * 4);
		if (i > 0 && key <= prev) {
			seterr(err, errsz, "ATT&CK index is damaged (order)");
			return -1;
		}
		prev = key;
	}
	return 0;
}

const char *
attack_str(const struct attack_index *ix, uint32_t off)
{
	if (ix->str == NULL || off >= ix->str_len)
		return "";
	return ix->str + off;
}

void
attack_index_dataset(const struct attack_index *ix, struct attack_dataset *ds)
{
	ds->domain = attack_str(ix, hdr(ix, AH_DOMAIN));
	ds->version = attack_str(ix, hdr(ix, AH_VERSION));
	ds->modified = attack_str(ix, hdr(ix, AH_MODIFIED));
	ds->spec_version = attack_str(ix, hdr(ix, AH_SPEC));
	ds->source = attack_str(ix, hdr(ix, AH_SOURCE));
	ds->built_at = attack_str(ix, hdr(ix, AH_BUILT));
	ds->stamp = attack_str(ix, hdr(ix, AH_STAMP));
	ds->techniques = hdr(ix, AH_CTECH);
	ds->subtechniques = hdr(ix, AH_CSUB);
	ds->tactics = ix->n_tactic;
	ds->mitigations = ix->n_mitig;
	ds->revoked = hdr(ix, AH_CREVOKED);
	ds->deprecated = hdr(ix, AH_CDEPRECATED);
}

/*
 * A list as stored, its count cut to what the word pool holds and to the
 * most a sound index can have (max), so that no loop over a damaged list
 * runs longer than the file is big.
 */
static struct attack_list
list_of(const struct attack_index *ix, const unsigned char *row,
    int off_word, uint32_t max)
{
	struct attack_list l;

	l.off = rd32(row + 4 * off_word);
	l.count = rd32(row + 4 * (off_word + 1));
	if (l.off >= ix->n_words)
		l.count = 0;
	else if (l.count > ix->n_words - l.off)
		l.count = ix->n_words - l.off;
	if (l.count > max)
		l.count = max;
	return l;
}

uint32_t
attack_list_at(const struct attack_index *ix, const struct attack_list *l,
    uint32_t i)
{
	if (i >= l->count || l->off >= ix->n_words ||
	    i >= ix->n_words - l->off)
		return ATTACK_NONE;
	return rd32(ix->words + 4 * ((size_t)l->off + i));
}

int
attack_technique_at(const struct attack_index *ix, uint32_t i,
    struct attack_technique *t)
{
	const unsigned char *r;
	uint32_t flags;

	if (i >= ix->n_tech)
		return -1;
	r = ix->tech + (size_t)i * ATTACK_TECH_WORDS * 4;
	t->key = rd32(r + 4 * AT_KEY);
	t->id = attack_str(ix, rd32(r + 4 * AT_ID));
	t->name = attack_str(ix, rd32(r + 4 * AT_NAME));
	t->description = attack_str(ix, rd32(r + 4 * AT_DESC));
	t->url = attack_str(ix, rd32(r + 4 * AT_URL));
	flags = rd32(r + 4 * AT_FLAGS);
	t->is_subtechnique = (flags & ATF_SUB) != 0;
	t->revoked = (flags & ATF_REVOKED) != 0;
	t->deprecated = (flags & ATF_DEPRECATED) != 0;
	t->parent = rd32(r + 4 * AT_PARENT);
	if (t->parent >= ix->n_tech)
		t->parent = ATTACK_NONE;
	t->replaced_by = rd32(r + 4 * AT_REPLACED);
	if (t->replaced_by >= ix->n_tech)
		t->replaced_by = ATTACK_NONE;
	t->subtechniques = list_of(ix, r, AT_SUBS, ix->n_tech);
	t->tactics = list_of(ix, r, AT_TACTICS, ix->n_tactic);
	t->platforms = list_of(ix, r, AT_PLATFORMS, ATTACK_MAX_PLATFORMS);
	t->mitigations = list_of(ix, r, AT_MITIGS, ix->n_mitig);
	return 0;
}

int
attack_tactic_at(const struct attack_index *ix, uint32_t i,
    struct attack_tactic *t)
{
	const unsigned char *r;

	if (i >= ix->n_tactic)
		return -1;
	r = ix->tactic + (size_t)i * ATTACK_TACTIC_WORDS * 4;
	t->id = attack_str(ix, rd32(r + 4 * AC_ID));
	t->short_name = attack_str(ix, rd32(r + 4 * AC_SHORT));
	t->name = attack_str(ix, rd32(r + 4 * AC_NAME));
	t->description = attack_str(ix, rd32(r + 4 * AC_DESC));
	t->url = attack_str(ix, rd32(r + 4 * AC_URL));
	t->techniques = list_of(ix, r, AC_TECHS, ix->n_tech);
	return 0;
}

int
attack_mitigation_at(const struct attack_index *ix, uint32_t i,
    struct attack_mitigation *m)
{
	const unsigned char *r;

	if (i >= ix->n_mitig)
		return -1;
	r = ix->mitig + (size_t)i * ATTACK_MITIG_WORDS * 4;
	m->id = attack_str(ix, rd32(r + 4 * AM_ID));
	m->name = attack_str(ix, rd32(r + 4 * AM_NAME));
	m->url = attack_str(ix, rd32(r + 4 * AM_URL));
	m->description = attack_str(ix, rd32(r + 4 * AM_DESC));
	return 0;
}

static int
is_word(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int
attack_parse_id(const char *s, size_t len, uint32_t *key)
{
	uint32_t num = 0, sub = 0;
	size_t i;

	if ((len != 5 && len != 9) || (s[0] != 'T' && s[0] != 't'))
		return -1;
	for (i = 1; i < 5; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		num = num * 10 + (uint32_t)(s[i] - '0');
	}
	if (len == 9) {
		if (s[5] != '.')
			return -1;
		for (i = 6; i < 9; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			sub = sub * 10 + (uint32_t)(s[i] - '0');
		}
		sub++;
	}
	*key = num * 1024 + sub;
	return 0;
}

void
attack_format_id(uint32_t key, char *out, size_t outsz)
{
	unsigned num = (key / 1024) % 10000, sub = key % 1024;

	if (outsz == 0)
		return;
	if (sub == 0)
		snprintf(out, outsz, "T%04u", num);
	else
		snprintf(out, outsz, "T%04u.%03u", num, (sub - 1) % 1000);
}

const char *
attack_find_id(const char *p, const char *end, size_t *len, uint32_t *key)
{
	const char *s;
	size_t n;

	for (s = p; s + 5 <= end; s++) {
		if (*s != 'T' && *s != 't')
			continue;
		if (s > p && is_word(s[-1]))
			continue;
		if (attack_parse_id(s, 5, key) != 0)
			continue;
		n = 5;
		if (s + 9 <= end && s[5] == '.' && attack_parse_id(s, 9,
		    key) == 0)
			n = 9;
		else
			attack_parse_id(s, 5, key);
		/* "T1059.0011" and "T10590" are not IDs; "T1059." is. */
		if (s + n < end && (is_word(s[n]) || (n == 5 && s[5] == '.' &&
		    s + 6 < end && isdigit((unsigned char)s[6]))))
			continue;
		*len = n;
		return s;
	}
	return NULL;
}

uint32_t
attack_lookup(const struct attack_index *ix, uint32_t key)
{
	uint32_t lo = 0, hi = ix->n_tech, mid, k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = rd32(ix->tech + (size_t)mid * ATTACK_TECH_WORDS * 4);
		if (k == key)
			return mid;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ATTACK_NONE;
}

/* Compares a name with s: case, and '-', '_' and ' ' alike. */
static int
name_eq(const char *name, const char *s)
{
	int a, b;

	for (;; name++, s++) {
		a = tolower((unsigned char)*name);
		b = tolower((unsigned char)*s);
		if (a == '_' || a == ' ')
			a = '-';
		if (b == '_' || b == ' ')
			b = '-';
		if (a != b)
			return 0;
		if (a == '\0')
			return 1;
	}
}

uint32_t
attack_find_tactic(const struct attack_index *ix, const char *name)
{
	struct attack_tactic t;
	uint32_t i;

	while (isspace((unsigned char)*name))
		name++;
	for (i = 0; attack_tactic_at(ix, i, &t) == 0; i++) {
		if (name_eq(t.id, name) || name_eq(t.short_name, name) ||
		    name_eq(t.name, name))
			return i;
	}
	return ATTACK_NONE;
}

/*
 * Search.  The query is folded to lower-case ASCII words; matching is by
 * case-insensitive substring, with a bonus where a word starts a word of
 * the text.  A dozen words at most, each at most 63 bytes.
 */
#define SEARCH_WORDS	12
#define SEARCH_WORDLEN	64

struct query {
	char	 phrase[256];
	char	 word[SEARCH_WORDS][SEARCH_WORDLEN];
	size_t	 n;
	uint32_t id_key;	/* the query as an ID, or ATTACK_NONE */
};

static const char *const stopwords[] = {
	"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is",
	"of", "on", "or", "the", "to", "via", "with", NULL
};

static int
is_stopword(const char *w)
{
	size_t i;

	for (i = 0; stopwords[i] != NULL; i++)
		if (strcmp(stopwords[i], w) == 0)
			return 1;
	return 0;
}

static void
query_init(struct query *q, const char *text)
{
	const char *p;
	size_t n = 0, len, all = 0;
	char word[SEARCH_WORDLEN];
	char keep[SEARCH_WORDS][SEARCH_WORDLEN] = { { 0 } };

	memset(q, 0, sizeof(*q));
	/* The phrase: lower-case, runs of space made one. */
	for (p = text; *p != '\0' && n + 1 < sizeof(q->phrase); p++) {
		if (isspace((unsigned char)*p)) {
			if (n > 0 && q->phrase[n - 1] != ' ')
				q->phrase[n++] = ' ';
		} else
			q->phrase[n++] = (char)tolower((unsigned char)*p);
	}
	while (n > 0 && q->phrase[n - 1] == ' ')
		n--;
	q->phrase[n] = '\0';
	q->id_key = ATTACK_NONE;
	if (attack_parse_id(q->phrase, n, &q->id_key) != 0)
		q->id_key = ATTACK_NONE;
	/* The words; stopwords go unless they are all there is. */
	for (p = q->phrase; *p != '\0';) {
		while (*p != '\0' && !isalnum((unsigned char)*p))
			p++;
		for (len = 0; isalnum((unsigned char)p[len]); len++)
			;
		if (len == 0)
			break;
		if (len >= SEARCH_WORDLEN)
			len = SEARCH_WORDLEN - 1;
		memcpy(word, p, len);
		word[len] = '\0';
		while (isalnum((unsigned char)*p))
			p++;
		if (all < SEARCH_WORDS)
			memcpy(keep[all++], word, len + 1);
		if (!is_stopword(word) && q->n < SEARCH_WORDS)
			memcpy(q->word[q->n++], word, len + 1);
	}
	if (q->n == 0) {
		for (len = 0; len < all; len++)
			memcpy(q->word[len], keep[len], SEARCH_WORDLEN);
		q->n = all;
	}
}

/*
 * Finds needle (lower-case) in hay, ignoring case.  Returns the number of
 * places it occurs, up to cap; *at_word_start is set when one of them
 * starts a word.
 */
static int
ci_count(const char *hay, const char *needle, int cap, int *at_word_start)
{
	size_t n = strlen(needle), i;
	const char *h;
	int count = 0;
	int first = tolower((unsigned char)needle[0]);

	*at_word_start = 0;
	if (n == 0)
		return 0;
	for (h = hay; *h != '\0' && count < cap; h++) {
		if (tolower((unsigned char)*h) != first)
			continue;
		for (i = 1; i < n; i++)
			if (tolower((unsigned char)h[i]) != needle[i])
				break;
		if (i < n)
			continue;
		count++;
		if (h == hay || !isalnum((unsigned char)h[-1]))
			*at_word_start = 1;
	}
	return count;
}

static int
ci_eq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

static int
score_technique(const struct attack_index *ix, const struct query *q,
    const struct attack_technique *t)
{
	struct attack_technique parent;
	struct attack_tactic tc;
	const char *pname = "";
	char full[512], tactics[512];
	int score = 0, c, ws, wsp, wsd, wst;
	int in_name, in_parent, in_desc, in_tactic;
	size_t i, len = 0;
	uint32_t k;

	if (t->parent != ATTACK_NONE &&
	    attack_technique_at(ix, t->parent, &parent) == 0)
		pname = parent.name;
	snprintf(full, sizeof(full), "%s%s%s", pname, *pname ? ": " : "",
	    t->name);
	if (q->id_key != ATTACK_NONE) {
		if (t->key == q->id_key)
			return 10000;
		if (t->key / 1024 == q->id_key / 1024 && q->id_key % 1024 == 0)
			return 5000 - (int)(t->key % 1024);
	}
	/* The tactics' names count a little: "command and control". */
	tactics[0] = '\0';
	for (k = 0; k < t->tactics.count; k++) {
		if (attack_tactic_at(ix, attack_list_at(ix, &t->tactics, k),
		    &tc) == -1)
			continue;
		if (q->phrase[0] != '\0' && name_eq(tc.name, q->phrase))
			score += 150;
		if (len < sizeof(tactics))
			len += (size_t)snprintf(tactics + len,
			    sizeof(tactics) - len, "%s|", tc.name);
	}
	if (q->phrase[0] != '\0') {
		if (ci_eq(t->name, q->phrase) || ci_eq(full, q->phrase))
			score += 1000;
		else if (ci_count(t->name, q->phrase, 1, &ws) > 0)
			score += ws ? 400 : 250;
		else if (ci_count(full, q->phrase, 1, &ws) > 0)
			score += ws ? 200 : 120;
		if (q->n > 1 && ci_count(t->description, q->phrase, 1,
		    &ws) > 0)
			score += 40;
	}
	for (i = 0; i < q->n; i++) {
		in_name = ci_count(t->name, q->word[i], 1, &ws);
		in_parent = ci_count(pname, q->word[i], 1, &wsp);
		in_desc = ci_count(t->description, q->word[i], 5, &wsd);
		in_tactic = ci_count(tactics, q->word[i], 1, &wst);
		if (!in_name && !in_parent && !in_desc && !in_tactic)
			return 0;	/* every word must be somewhere */
		if (in_name)
			score += ws ? 60 : 30;
		if (in_parent)
			score += wsp ? 20 : 10;
		if (in_tactic)
			score += 10;
		c = in_desc;
		score += c * (wsd ? 4 : 2);
	}
	return score;
}

size_t
attack_search(const struct attack_index *ix, const char *query,
    struct attack_hit *hits, size_t max)
{
	struct attack_technique t;
	struct query q;
	size_t n = 0, j;
	uint32_t i;
	int score;

	if (max == 0)
		return 0;
	query_init(&q, query);
	if (q.n == 0 && q.id_key == ATTACK_NONE)
		return 0;
	for (i = 0; attack_technique_at(ix, i, &t) == 0; i++) {
		if (t.revoked || t.deprecated)
			continue;
		score = score_technique(ix, &q, &t);
		if (score <= 0)
			continue;
		/* Insertion into the sorted top max; rows come by ID, so
		 * an equal score keeps the lower ID first. */
		if (n == max && score <= hits[n - 1].score)
			continue;
		j = n < max ? n++ : n - 1;
		while (j > 0 && hits[j - 1].score < score) {
			hits[j] = hits[j - 1];
			j--;
		}
		hits[j].row = i;
		hits[j].score = score;
	}
	return n;
}
