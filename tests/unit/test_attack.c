/*
 * test_attack: the ATT&CK index builder and reader (lib/attack*.c): ID
 * parsing and finding, description cleaning, release names, gzip, a build
 * of the hand-made fixture and of the bundled v18.1 cut, and the reader
 * and builder on damaged input (every truncation and many byte flips must
 * give an error or a harmless answer, never a bad read: run under ASan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "attack.h"
#include "attack_build.h"
#include "buf.h"
#include "file.h"
#include "tap.h"

static char *
slurp(const char *rel, size_t *len)
{
	char path[4096];
	const char *top = getenv("TOP");
	char *data;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	if (file_read(path, (size_t)1 << 30, &data, len) == -1)
		return NULL;
	return data;
}

static void
test_ids(void)
{
	uint32_t key, k2;
	char out[16];
	const char *text, *at;
	size_t n;

	ok(attack_parse_id("T1059", 5, &key) == 0, "T1059 parses");
	attack_format_id(key, out, sizeof(out));
	is_str(out, "T1059", "T1059 formats back");
	ok(attack_parse_id("t1059.001", 9, &k2) == 0, "t1059.001 parses");
	attack_format_id(k2, out, sizeof(out));
	is_str(out, "T1059.001", "lower case formats upper");
	ok(k2 > key, "a sub-technique sorts after its parent");
	ok(attack_parse_id("T1059.000", 9, &k2) == 0 && k2 != key,
	    ".000 is not the parent");
	ok(attack_parse_id("T1060", 5, &k2) == 0 && k2 > key + 1000,
	    "T1060 sorts after T1059.999");
	ok(attack_parse_id("T105", 4, &key) == -1, "T105 is not an ID");
	ok(attack_parse_id("T10590", 6, &key) == -1, "T10590 is not an ID");
	ok(attack_parse_id("T1059.01", 8, &key) == -1, "T1059.01 is not");
	ok(attack_parse_id("X1059", 5, &key) == -1, "X1059 is not");
	ok(attack_parse_id("T1059x001", 9, &key) == -1, "T1059x001 is not");

	text = "ran T1059.001, then AT1234 T1003. T10590 T1059.0011 t1105";
	at = attack_find_id(text, text + strlen(text), &n, &key);
	ok(at != NULL && n == 9 && strncmp(at, "T1059.001", 9) == 0,
	    "finds T1059.001 in text");
	at = attack_find_id(at + n, text + strlen(text), &n, &key);
	ok(at != NULL && n == 5 && strncmp(at, "T1003", 5) == 0,
	    "skips AT1234, finds T1003 before a full stop");
	at = attack_find_id(at + n, text + strlen(text), &n, &key);
	ok(at != NULL && n == 5 && strncmp(at, "t1105", 5) == 0,
	    "skips T10590 and T1059.0011, finds t1105");
	ok(attack_find_id(at + n, text + strlen(text), &n, &key) == NULL,
	    "then nothing");
	text = "T1059";
	ok(attack_find_id(text, text + 4, &n, &key) == NULL,
	    "respects the end of the text");
}

static void
test_clean(void)
{
	struct buf b;

	buf_init(&b);
	attack_clean_description("Abuse it.(Citation: A) Then <code>x.exe"
	    "</code> (Citation: B (2020))(Citation: C) runs.", &b);
	is_str(buf_str(&b), "Abuse it. Then `x.exe` runs.", "citations go");
	buf_reset(&b);
	attack_clean_description("Unclosed (Citation: oops", &b);
	is_str(buf_str(&b), "Unclosed (Citation: oops",
	    "an unclosed marker stays");
	buf_reset(&b);
	attack_clean_description("", &b);
	is_str(buf_str(&b), "", "empty stays empty");
	buf_release(&b);
}

static void
test_version_names(void)
{
	char v[32];

	ok(attack_version_from_name("https://x/enterprise-attack/"
	    "enterprise-attack-18.1.json", v, sizeof(v)) == 0 &&
	    strcmp(v, "18.1") == 0, "pinned URL gives 18.1");
	ok(attack_version_from_name("/usr/share/triage/data/attack/"
	    "enterprise-attack-18.1-min.json.gz", v, sizeof(v)) == 0 &&
	    strcmp(v, "18.1") == 0, "bundled name gives 18.1");
	ok(attack_version_from_name("ics-attack-v17.0.json", v,
	    sizeof(v)) == 0 && strcmp(v, "17.0") == 0, "v17.0 gives 17.0");
	ok(attack_version_from_name("https://x/enterprise-attack/"
	    "enterprise-attack.json", v, sizeof(v)) == -1,
	    "the latest URL names no release");
	ok(attack_version_from_name("enterprise-attack-18.1.2.json", v,
	    sizeof(v)) == -1, "18.1.2 is not a release");
}

static int
gzip_buf(const char *data, size_t len, struct buf *out)
{
	unsigned char chunk[16384];
	z_stream z;
	int zr;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = deflate(&z, Z_FINISH);
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (zr == Z_OK);
	deflateEnd(&z);
	return zr == Z_STREAM_END ? 0 : -1;
}

/* Walks everything an index offers, as a program would. */
static unsigned
walk(const struct attack_index *ix)
{
	struct attack_technique t;
	struct attack_tactic tc;
	struct attack_mitigation m;
	struct attack_dataset ds;
	struct attack_hit hits[8];
	unsigned sum = 0;
	uint32_t i, j;

	attack_index_dataset(ix, &ds);
	sum += (unsigned)strlen(ds.version) + (unsigned)strlen(ds.source);
	for (i = 0; attack_technique_at(ix, i, &t) == 0; i++) {
		sum += (unsigned)strlen(t.id) + (unsigned)strlen(t.name) +
		    (unsigned)strlen(t.description);
		for (j = 0; j < t.subtechniques.count && j < 100; j++)
			sum += attack_list_at(ix, &t.subtechniques, j);
		for (j = 0; j < t.tactics.count && j < 100; j++)
			sum += attack_list_at(ix, &t.tactics, j);
		for (j = 0; j < t.platforms.count && j < 100; j++)
			sum += (unsigned)strlen(attack_str(ix,
			    attack_list_at(ix, &t.platforms, j)));
		for (j = 0; j < t.mitigations.count && j < 100; j++)
			sum += attack_list_at(ix, &t.mitigations, j);
		sum += attack_lookup(ix, t.key);
	}
	for (i = 0; attack_tactic_at(ix, i, &tc) == 0; i++)
		sum += (unsigned)strlen(tc.name) + tc.techniques.count;
	for (i = 0; attack_mitigation_at(ix, i, &m) == 0; i++)
		sum += (unsigned)strlen(m.name);
	sum += (unsigned)attack_search(ix, "powershell", hits, 8);
	sum += attack_find_tactic(ix, "execution");
	return sum;
}

static void
test_fixture(void)
{
	struct attack_build_opts o;
	struct attack_index ix;
	struct attack_technique t, r;
	struct attack_tactic tc;
	struct attack_mitigation m;
	struct attack_dataset ds;
	struct attack_hit hits[4];
	struct buf idx, gz, idx2;
	char err[256] = "", *data;
	size_t len, n;
	uint32_t key, row;

	data = slurp("tests/mitre/fixtures/attack-small.json", &len);
	ok(data != NULL, "fixture read");
	if (data == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.source = "attack-small.json";
	o.built_at = "2026-01-01T00:00:00Z";
	buf_init(&idx);
	ok(attack_build(data, len, &o, &idx, err, sizeof(err)) == 0,
	    "fixture builds");
	ok(attack_index_open(&ix, idx.data, idx.len, err, sizeof(err)) == 0,
	    "and opens");
	attack_index_dataset(&ix, &ds);
	is_str(ds.version, "99.1", "version from the collection");
	is_str(ds.domain, "enterprise-attack", "domain from the matrix");
	is_str(ds.spec_version, "2.1", "spec version from the objects");
	is_int(ds.techniques, 3, "3 current techniques");
	is_int(ds.subtechniques, 3, "3 current sub-techniques");
	is_int(ds.revoked, 2, "2 revoked");
	is_int(ds.deprecated, 1, "1 deprecated");
	is_int(ds.tactics, 3, "3 tactics");
	is_int(ds.mitigations, 2, "2 current mitigations");

	attack_parse_id("T1086", 5, &key);
	row = attack_lookup(&ix, key);
	ok(row != ATTACK_NONE && attack_technique_at(&ix, row, &t) == 0 &&
	    t.revoked, "T1086 is there, revoked");
	ok(t.replaced_by != ATTACK_NONE &&
	    attack_technique_at(&ix, t.replaced_by, &r) == 0 &&
	    strcmp(r.id, "T1059.001") == 0, "revoked by T1059.001");
	attack_parse_id("T1059", 5, &key);
	attack_technique_at(&ix, attack_lookup(&ix, key), &t);
	is_int(t.subtechniques.count, 2, "T1059 has two sub-techniques");
	attack_technique_at(&ix, attack_list_at(&ix, &t.subtechniques, 1), &r);
	is_str(r.id, "T1059.002", "one found by its ID's prefix alone");
	attack_parse_id("T1078", 5, &key);
	attack_technique_at(&ix, attack_lookup(&ix, key), &t);
	is_int(t.tactics.count, 3, "T1078: three tactics, unknown one gone");
	attack_tactic_at(&ix, attack_list_at(&ix, &t.tactics, 0), &tc);
	is_str(tc.short_name, "initial-access", "matrix order first");
	attack_tactic_at(&ix, attack_list_at(&ix, &t.tactics, 2), &tc);
	is_str(tc.short_name, "defense-evasion", "off-matrix tactic last");
	attack_parse_id("T1059.001", 9, &key);
	attack_technique_at(&ix, attack_lookup(&ix, key), &t);
	is_str(t.description, "Adversaries may abuse PowerShell. It runs "
	    "`powershell.exe` and more.", "description cleaned");
	is_int(t.mitigations.count, 2, "two mitigations (a revoked relation "
	    "and a deprecated one ignored)");
	attack_mitigation_at(&ix, attack_list_at(&ix, &t.mitigations, 0), &m);
	is_str(m.id, "M1038", "sorted by ID");
	ok(attack_technique_at(&ix, t.parent, &r) == 0 &&
	    strcmp(r.id, "T1059") == 0, "the revoked subtechnique-of is "
	    "ignored");
	ok(attack_lookup(&ix, 1234 * 1024) == ATTACK_NONE, "T1234 is absent");
	is_int(attack_find_tactic(&ix, "Command and Control"), ATTACK_NONE,
	    "no such tactic here");
	is_int(attack_find_tactic(&ix, "initial_access"), 0,
	    "initial_access is the first column");
	is_int(attack_find_tactic(&ix, "ta0005"), 2, "ta0005 found");
	n = attack_search(&ix, "powershell", hits, 4);
	ok(n == 1, "search: one current PowerShell (not the revoked one)");
	attack_technique_at(&ix, hits[0].row, &t);
	is_str(t.id, "T1059.001", "and it is T1059.001");

	/* The same bundle gzipped builds the same index. */
	buf_init(&gz);
	buf_init(&idx2);
	ok(gzip_buf(data, len, &gz) == 0, "gzip the fixture");
	ok(attack_build(gz.data, gz.len, &o, &idx2, err, sizeof(err)) == 0,
	    "gzip builds");
	ok(idx2.len == idx.len && memcmp(idx2.data, idx.data, idx.len) == 0,
	    "to the same bytes");
	buf_reset(&idx2);
	ok(attack_build(gz.data, gz.len - 9, &o, &idx2, err,
	    sizeof(err)) == -1 && strstr(err, "truncated") != NULL,
	    "truncated gzip: %s", err);
	buf_release(&gz);
	buf_release(&idx2);

	/* Every truncation of the index is refused or harmless. */
	for (n = 0; n < idx.len; n += (n < 200 ? 1 : 97)) {
		if (attack_index_open(&ix, idx.data, n, err, sizeof(err)) == 0)
			walk(&ix);
	}
	ok(1, "every truncation of the index survived");
	buf_release(&idx);
	free(data);
}

#define EMPTY_BUNDLE "{\"type\":\"bundle\",\"objects\":[]}"
#define CUT_BUNDLE "{\"type\":\"bundle\",\"objects\":["

static uint32_t rng = 2463534242u;

static uint32_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void
test_damage(void)
{
	struct attack_index ix;
	struct buf idx, out;
	char err[256] = "", *data, *copy;
	size_t len, i, opened = 0, built = 0;
	int round, k;

	data = slurp("tests/mitre/fixtures/attack-small.json", &len);
	if (data == NULL)
		return;
	buf_init(&idx);
	buf_init(&out);
	attack_build(data, len, NULL, &idx, err, sizeof(err));
	copy = malloc(idx.len > len ? idx.len : len);
	/* Byte flips in the index: open may succeed; reads must be safe. */
	for (round = 0; round < 3000; round++) {
		memcpy(copy, idx.data, idx.len);
		for (k = 0; k < 1 + round % 4; k++) {
			i = xorshift() % idx.len;
			copy[i] = (char)(round % 3 == 0 ? 0xff :
			    (int)(xorshift() & 0xff));
		}
		if (attack_index_open(&ix, copy, idx.len, err,
		    sizeof(err)) == 0) {
			walk(&ix);
			opened++;
		}
	}
	ok(opened > 0, "damaged indexes read safely (%zu opened)", opened);
	/* Byte flips in the bundle: a clean error or a sound index. */
	for (round = 0; round < 400; round++) {
		memcpy(copy, data, len);
		for (k = 0; k < 1 + round % 3; k++)
			copy[xorshift() % len] = (char)(xorshift() & 0x7f);
		buf_reset(&out);
		if (attack_build(copy, len, NULL, &out, err,
		    sizeof(err)) == 0) {
			if (attack_index_open(&ix, out.data, out.len, err,
			    sizeof(err)) == -1)
				ok(0, "round %d: built index opens: %s",
				    round, err);
			else
				walk(&ix);
			built++;
		} else if (err[0] == '\0')
			ok(0, "round %d: an error without a reason", round);
	}
	ok(built > 0, "damaged bundles built or failed cleanly (%zu built)",
	    built);
	ok(attack_build(EMPTY_BUNDLE, strlen(EMPTY_BUNDLE), NULL,
	    &out, err, sizeof(err)) == -1 && strstr(err, "no tactics"),
	    "an empty bundle is refused: %s", err);
	ok(attack_build("[1,2]", strlen("[1,2]"), NULL, &out, err,
	    sizeof(err)) == -1 &&
	    strstr(err, "not a STIX bundle"), "an array is refused: %s", err);
	ok(attack_build(CUT_BUNDLE, strlen(CUT_BUNDLE), NULL,
	    &out, err, sizeof(err)) == -1 && strstr(err, "not JSON"),
	    "truncated JSON is refused: %s", err);
	free(copy);
	buf_release(&idx);
	buf_release(&out);
	free(data);
}

static void
test_bundled(void)
{
	struct attack_build_opts o;
	struct attack_index ix;
	struct attack_dataset ds;
	struct attack_technique t;
	struct attack_hit hits[3];
	struct buf idx;
	char err[256] = "", *data;
	size_t len;
	uint32_t key;

	data = slurp("data/attack/enterprise-attack-18.1-min.json.gz", &len);
	ok(data != NULL, "bundled data read");
	if (data == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.source = "enterprise-attack-18.1-min.json.gz";
	buf_init(&idx);
	ok(attack_build(data, len, &o, &idx, err, sizeof(err)) == 0,
	    "bundled data builds: %s", err);
	free(data);
	ok(attack_index_open(&ix, idx.data, idx.len, err, sizeof(err)) == 0,
	    "and opens");
	attack_index_dataset(&ix, &ds);
	is_str(ds.version, "18.1", "version 18.1 from the file name");
	is_int(ds.techniques, 216, "216 techniques");
	is_int(ds.subtechniques, 475, "475 sub-techniques");
	is_int(ds.tactics, 14, "14 tactics");
	is_int(ds.mitigations, 44, "44 mitigations");
	attack_parse_id("T1105", 5, &key);
	ok(attack_technique_at(&ix, attack_lookup(&ix, key), &t) == 0 &&
	    strcmp(t.name, "Ingress Tool Transfer") == 0,
	    "T1105 is Ingress Tool Transfer");
	ok(attack_search(&ix, "PowerShell", hits, 3) > 0 &&
	    attack_technique_at(&ix, hits[0].row, &t) == 0 &&
	    strcmp(t.id, "T1059.001") == 0, "search: PowerShell first");
	buf_release(&idx);
}

int
main(void)
{
	test_ids();
	test_clean();
	test_version_names();
	test_fixture();
	test_damage();
	test_bundled();
	return tap_done();
}
