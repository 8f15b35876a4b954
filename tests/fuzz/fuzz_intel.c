/*
 * fuzz_intel: triage-enrich's readers of threat-intelligence answers:
 * AbuseIPDB, VirusTotal (every object kind), Shodan InternetDB and the
 * workspace's own indicator tables (a "triage-kql --format json" result),
 * each at a status the first bytes choose, then the enrichment record
 * made from the answer.  Oracles besides the sanitizers: every answer has
 * a verdict and a message, an error answer has a reason, and the record
 * is an object that Jansson can write.
 * FUZZ_SOURCES: cmd/enrich/abuseipdb.c cmd/enrich/virustotal.c cmd/enrich/internetdb.c cmd/enrich/workspace_ti.c cmd/enrich/answer.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
settle(struct answer *a, enum ioc_kind kind, const char *value)
{
	struct indicator ind;
	json_t *rec;
	char *text;

	if ((int)a->verdict < V_MALICIOUS || a->verdict > V_ERROR)
		abort();
	if (a->verdict == V_ERROR && a->reason == NULL)
		abort();		/* an error says why */
	if (verdict_name(a->verdict) == NULL)
		abort();
	ind.kind = kind;
	ind.value = (char *)(uintptr_t)value;
	ind.range = NULL;
	rec = enrichment_record(&ind, "fuzz", a, 0, "2026-01-01T00:00:00Z",
	    NULL);
	if (!json_is_object(rec))
		abort();
	text = json_dumps(rec, JSON_COMPACT);
	if (text == NULL)
		abort();		/* not UTF-8, or not serialisable */
	free(text);
	json_decref(rec);
	answer_release(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 404, 401, 429, 500, 422, 204 };
	static const enum ioc_kind kinds[] = {
		IOC_IPV4, IOC_MD5, IOC_DOMAIN, IOC_URL, IOC_SHA256, IOC_IPV6
	};
	const struct answer *const nofail[TI_NTABLES] = { NULL, NULL };
	const struct indicator *inds[1];
	struct indicator ind;
	json_t *rows[TI_NTABLES];
	const char *body;
	struct answer a;
	char err[256], addr[] = "118.25.6.39", *q;
	long status;
	size_t len, i;

	if (size < 1)
		return 0;
	status = statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))];
	body = (const char *)data + 1;
	len = size - 1;

	answer_init(&a);
	abuseipdb_answer(status, body, len, &a);
	settle(&a, IOC_IPV4, "118.25.6.39");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		answer_init(&a);
		virustotal_answer(kinds[i], status, body, len, &a);
		settle(&a, kinds[i], "x");
	}
	answer_init(&a);
	internetdb_answer(status, body, len, &a);
	settle(&a, IOC_IPV4, "118.25.6.39");

	/* The bytes as the workspace's rows, for one indicator. */
	rows[0] = ti_rows(body, len, err, sizeof(err));
	rows[1] = NULL;
	ind.kind = IOC_IPV4;
	ind.value = addr;
	ind.range = NULL;
	if (rows[0] != NULL) {
		answer_init(&a);
		rows[1] = json_array();
		ti_answer(&ind, rows, nofail, &a);
		settle(&a, IOC_IPV4, "118.25.6.39");
	}
	json_decref(rows[0]);
	json_decref(rows[1]);

	/* And as an indicator to quote into KQL. */
	q = malloc(len + 1);
	if (q != NULL) {
		memcpy(q, body, len);
		q[len] = '\0';
		ind.value = q;
		ind.kind = IOC_DOMAIN;
		inds[0] = &ind;
		free(ti_query(TI_INDICATORS, inds, 1));
		free(vt_url_id(q));
		free(q);
	}
	return 0;
}
