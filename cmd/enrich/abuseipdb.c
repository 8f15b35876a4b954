/*
 * abuseipdb: the answer to GET /api/v2/check?ipAddress=...&verbose
 * (intel-apis.md A).  The abuse confidence score decides: 75 or more is
 * malicious, 25 to 74 suspicious, below 25 clean, because AbuseIPDB
 * answers for every public address and a low score is its opinion that
 * nobody has much against it.  A pure function of status and body.
 */
#include <stdio.h>
#include <string.h>

#include "enrich.h"
#include "jsonx.h"

#define ABUSEIPDB_MALICIOUS	75
#define ABUSEIPDB_SUSPICIOUS	25

/* The report categories (intel-apis.md A.2), by id. */
static const char *const category_names[] = {
	NULL, "DNS Compromise", "DNS Poisoning", "Fraud Orders", "DDoS Attack",
	"FTP Brute-Force", "Ping of Death", "Phishing", "Fraud VoIP",
	"Open Proxy", "Web Spam", "Email Spam", "Blog Spam", "VPN IP",
	"Port Scan", "Hacking", "SQL Injection", "Spoofing", "Brute-Force",
	"Bad Web Bot", "Exploited Host", "Web App Attack", "SSH",
	"IoT Targeted"
};
#define NCATEGORIES	(sizeof(category_names) / sizeof(category_names[0]))

/* The categories the reports name, most reported first (at most 5). */
static void
fact_categories(json_t *facts, const json_t *reports)
{
	size_t counts[NCATEGORIES] = { 0 };
	size_t i, j, best, picked = 0;
	json_t *r, *c, *out;
	json_int_t id;

	json_array_foreach(reports, i, r) {
		json_array_foreach(json_object_get(r, "categories"), j, c) {
			if (!json_is_integer(c))
				continue;
			id = json_integer_value(c);
			if (id > 0 && (size_t)id < NCATEGORIES)
				counts[id]++;
		}
	}
	out = json_array();
	while (picked < 5) {
		best = 0;
		for (i = 1; i < NCATEGORIES; i++)
			if (counts[i] > counts[best])
				best = i;
		if (best == 0)
			break;
		json_array_append_new(out, json_string(category_names[best]));
		counts[best] = 0;
		picked++;
	}
	if (json_array_size(out) > 0)
		json_object_set_new(facts, "categories", out);
	else
		json_decref(out);
}

static void
abuseipdb_error(long status, const json_t *root, struct answer *a)
{
	static const char *const paths[] = { "errors[0].detail", NULL };
	char detail[200];

	body_detail(root, paths, detail, sizeof(detail));
	if (detail[0] == '\0')
		snprintf(detail, sizeof(detail), "HTTP %ld", status);
	if (status == 401 || status == 403)
		answer_set(a, V_ERROR, R_AUTH, "abuseipdb: the API key was "
		    "refused: %s", detail);
	else if (status == 429)
		/* AbuseIPDB's 429 is its daily quota per endpoint. */
		answer_set(a, V_ERROR, R_QUOTA, "abuseipdb: %s", detail);
	else
		answer_set(a, V_ERROR, R_UPSTREAM, "abuseipdb: %s", detail);
}

void
abuseipdb_answer(long status, const char *body, size_t len, struct answer *a)
{
	json_t *root, *data, *facts, *score, *reports;
	json_int_t n;

	root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	if (status != 200) {
		abuseipdb_error(status, root, a);
		json_decref(root);
		return;
	}
	data = json_object_get(root, "data");
	score = json_object_get(data, "abuseConfidenceScore");
	if (!json_is_object(data) || !json_is_integer(score)) {
		answer_set(a, V_ERROR, R_UPSTREAM, "abuseipdb: malformed "
		    "answer (no data.abuseConfidenceScore)");
		json_decref(root);
		return;
	}
	n = json_integer_value(score);
	if (n < 0 || n > 100) {
		answer_set(a, V_ERROR, R_UPSTREAM, "abuseipdb: malformed "
		    "answer (score %lld out of 0-100)", (long long)n);
		json_decref(root);
		return;
	}
	/*
	 * A low score is only "clean" when AbuseIPDB knows something: the
	 * address is whitelisted, or it was reported and the confidence
	 * stayed low.  Never reported is absence of evidence: not_found.
	 */
	reports = json_object_get(data, "totalReports");
	if (n >= ABUSEIPDB_MALICIOUS)
		answer_set(a, V_MALICIOUS, NULL, NULL);
	else if (n >= ABUSEIPDB_SUSPICIOUS)
		answer_set(a, V_SUSPICIOUS, NULL, NULL);
	else if (json_is_true(json_object_get(data, "isWhitelisted")) ||
	    (json_is_integer(reports) && json_integer_value(reports) > 0))
		answer_set(a, V_CLEAN, NULL, NULL);
	else
		answer_set(a, V_NOT_FOUND, NULL, "abuseipdb: never reported "
		    "for abuse");
	a->score = json_integer(n);
	facts = answer_facts(a);
	json_object_set_new(facts, "abuse_confidence_score", json_integer(n));
	fact_int(facts, "total_reports", data, "totalReports");
	fact_int(facts, "distinct_reporters", data, "numDistinctUsers");
	fact_time_str(facts, "last_reported", jx_str(data, "lastReportedAt"));
	fact_str(facts, "country", jx_str(data, "countryCode"));
	fact_str(facts, "country_name", jx_str(data, "countryName"));
	fact_str(facts, "isp", jx_str(data, "isp"));
	fact_str(facts, "usage_type", jx_str(data, "usageType"));
	fact_str(facts, "domain", jx_str(data, "domain"));
	fact_strings(facts, "hostnames", json_object_get(data, "hostnames"),
	    10);
	fact_bool(facts, "is_tor", data, "isTor");
	fact_bool(facts, "is_whitelisted", data, "isWhitelisted");
	fact_categories(facts, json_object_get(data, "reports"));
	json_decref(root);
}
