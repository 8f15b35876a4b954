/*
 * fuzz_attack: the ATT&CK index builder and reader (lib/attack*.c).  The
 * input is tried both ways: as a STIX bundle (JSON or gzip) to build an
 * index from, whose result must open and read back; and as an index
 * itself, which the reader must refuse or read without a single access out
 * of bounds.  Either way every table, list and string is walked and a
 * search and a tactic lookup run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attack.h"
#include "attack_build.h"
#include "buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct attack_index *ix)
{
	struct attack_technique t;
	struct attack_tactic tc;
	struct attack_mitigation m;
	struct attack_dataset ds;
	struct attack_hit hits[4];
	size_t sum = 0;
	uint32_t i, j;

	attack_index_dataset(ix, &ds);
	sum += strlen(ds.version) + strlen(ds.domain) + strlen(ds.source);
	for (i = 0; attack_technique_at(ix, i, &t) == 0; i++) {
		sum += strlen(t.id) + strlen(t.name) + strlen(t.description);
		for (j = 0; j < t.subtechniques.count; j++)
			sum += attack_list_at(ix, &t.subtechniques, j);
		for (j = 0; j < t.tactics.count; j++)
			sum += attack_list_at(ix, &t.tactics, j);
		for (j = 0; j < t.platforms.count; j++)
			sum += strlen(attack_str(ix,
			    attack_list_at(ix, &t.platforms, j)));
		for (j = 0; j < t.mitigations.count; j++)
			sum += attack_list_at(ix, &t.mitigations, j);
		sum += attack_lookup(ix, t.key);
	}
	for (i = 0; attack_tactic_at(ix, i, &tc) == 0; i++)
		for (j = 0; j < tc.techniques.count; j++)
			sum += attack_list_at(ix, &tc.techniques, j);
	for (i = 0; attack_mitigation_at(ix, i, &m) == 0; i++)
		sum += strlen(m.id) + strlen(m.description);
	sum += attack_search(ix, "powershell execution", hits, 4);
	sum += attack_find_tactic(ix, "command and control");
	return sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attack_build_opts o;
	struct attack_index ix;
	struct buf out;
	char err[256];
	void *copy;

	memset(&o, 0, sizeof(o));
	o.source = "fuzz-enterprise-attack-1.0.json";
	o.max_json = (size_t)4 << 20;	/* no gzip bombs past 4 MiB */
	buf_init(&out);
	if (attack_build(data, size, &o, &out, err, sizeof(err)) == 0) {
		if (attack_index_open(&ix, out.data, out.len, err,
		    sizeof(err)) != 0)
			abort();	/* what we build must read back */
		walk(&ix);
	}
	buf_release(&out);
	/* The reader on the raw bytes, in an exact-size copy for ASan. */
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (attack_index_open(&ix, copy, size, err, sizeof(err)) == 0)
		walk(&ix);
	free(copy);
	return 0;
}
