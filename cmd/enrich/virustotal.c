/*
 * virustotal: answers from the VirusTotal API v3 object lookups
 * (intel-apis.md B): /files/{hash}, /ip_addresses/{ip}, /domains/{name}
 * and /urls/{id}.  The engines' last analysis decides: 3 or more say
 * malicious -> malicious; 1 or 2 malicious, or any suspicious ->
 * suspicious; otherwise clean when some engine looked (harmless or
 * undetected), unknown when none did.  The detection ratio is malicious
 * over the engines that gave an opinion (harmless, malicious, suspicious,
 * undetected); timeouts, failures and unsupported types are left out.
 * Pure functions of the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "enrich.h"
#include "jsonx.h"

#define VT_MALICIOUS	3	/* engines that say malicious */

char *
vt_url_id(const char *url)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = (const unsigned char *)url;
	size_t n = strlen(url), i, o = 0;
	uint32_t v;
	char *out;

	out = malloc(n / 3 * 4 + 5);
	if (out == NULL)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
	}
	out[o] = '\0';
	return out;
}

static void
vt_error(long status, const json_t *root, struct answer *a)
{
	static const char *const paths[] = { "error.message", NULL };
	const char *code = jx_path_str(root, "error.code");
	char detail[200];

	body_detail(root, paths, detail, sizeof(detail));
	if (detail[0] == '\0')
		snprintf(detail, sizeof(detail), "HTTP %ld", status);
	if (code == NULL)
		code = "";
	if (status == 404) {
		answer_set(a, V_NOT_FOUND, NULL, NULL);
		return;
	}
	if (status == 401 || status == 403)
		answer_set(a, V_ERROR, R_AUTH, "virustotal: the API key was "
		    "refused: %s", detail);
	else if (status == 429 && strcmp(code, "TooManyRequestsError") == 0)
		answer_set(a, V_ERROR, R_RATE_LIMITED, "virustotal: %s",
		    detail);
	else if (status == 429)
		/* QuotaExceededError: a minute, daily or monthly quota. */
		answer_set(a, V_ERROR, R_QUOTA, "virustotal: %s", detail);
	else if (status == 504)
		answer_set(a, V_ERROR, R_TIMEOUT, "virustotal: %s", detail);
	else
		answer_set(a, V_ERROR, R_UPSTREAM, "virustotal: %s", detail);
}

static json_int_t
stat_of(const json_t *stats, const char *key)
{
	json_t *v = json_object_get(stats, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return 0;
	return json_integer_value(v);
}

/* The verdict and the detection facts from last_analysis_stats. */
static void
vt_detection(const json_t *attrs, struct answer *a)
{
	const json_t *stats = json_object_get(attrs, "last_analysis_stats");
	json_int_t mal, sus, harm, und, engines;
	json_t *facts = answer_facts(a);
	char ratio[64];

	mal = stat_of(stats, "malicious");
	sus = stat_of(stats, "suspicious");
	harm = stat_of(stats, "harmless");
	und = stat_of(stats, "undetected");
	engines = mal + sus + harm + und;
	if (mal >= VT_MALICIOUS)
		answer_set(a, V_MALICIOUS, NULL, NULL);
	else if (mal > 0 || sus > 0)
		answer_set(a, V_SUSPICIOUS, NULL, NULL);
	else if (engines > 0)
		answer_set(a, V_CLEAN, NULL, NULL);
	else
		answer_set(a, V_UNKNOWN, NULL, NULL);
	a->score = json_integer(mal);
	json_object_set_new(facts, "detections", json_pack("{s:I, s:I, s:I, "
	    "s:I, s:I}", "malicious", mal, "suspicious", sus, "harmless", harm,
	    "undetected", und, "engines", engines));
	snprintf(ratio, sizeof(ratio), "%lld/%lld", (long long)mal,
	    (long long)engines);
	json_object_set_new(facts, "detection_ratio", json_string(ratio));
}

/* The values of an object of strings, such as the vendors' categories. */
static void
fact_values(json_t *facts, const char *key, const json_t *obj, size_t max)
{
	json_t *arr, *v, *seen;
	const char *k;
	size_t i;

	if (!json_is_object(obj))
		return;
	arr = json_array();
	json_object_foreach((json_t *)obj, k, v) {
		if (json_array_size(arr) == max)
			break;
		if (!json_is_string(v) || json_string_length(v) == 0)
			continue;
		json_array_foreach(arr, i, seen)
			if (strcasecmp(json_string_value(seen),
			    json_string_value(v)) == 0)
				break;
		if (i == json_array_size(arr))
			json_array_append(arr, v);
	}
	if (json_array_size(arr) > 0) {
		json_t *cut = json_object();

		fact_strings(cut, key, arr, max);
		json_object_update(facts, cut);
		json_decref(cut);
	}
	json_decref(arr);
}

/* The "value" of each {count, value} of a popular threat list. */
static void
fact_popular(json_t *facts, const char *key, const json_t *list)
{
	json_t *arr, *v;
	size_t i;

	if (!json_is_array(list))
		return;
	arr = json_array();
	json_array_foreach(list, i, v)
		if (json_is_string(json_object_get(v, "value")))
			json_array_append(arr, json_object_get(v, "value"));
	fact_strings(facts, key, arr, 5);
	json_decref(arr);
}

static void
vt_file(const json_t *at, json_t *facts)
{
	const json_t *ptc;

	ptc = json_object_get(at, "popular_threat_classification");

	fact_str(facts, "type", jx_str(at, "type_description"));
	fact_str(facts, "type_tag", jx_str(at, "type_tag"));
	fact_int(facts, "size", at, "size");
	fact_str(facts, "meaningful_name", jx_str(at, "meaningful_name"));
	fact_strings(facts, "names", json_object_get(at, "names"), 10);
	fact_str(facts, "md5", jx_str(at, "md5"));
	fact_str(facts, "sha1", jx_str(at, "sha1"));
	fact_str(facts, "sha256", jx_str(at, "sha256"));
	fact_unix_time(facts, "first_seen", at, "first_submission_date");
	fact_unix_time(facts, "last_seen", at, "last_submission_date");
	fact_int(facts, "times_submitted", at, "times_submitted");
	fact_str(facts, "threat_label", jx_str(ptc, "suggested_threat_label"));
	fact_popular(facts, "threat_categories",
	    json_object_get(ptc, "popular_threat_category"));
	fact_popular(facts, "threat_names",
	    json_object_get(ptc, "popular_threat_name"));
	fact_str(facts, "signer", jx_path_str(at, "signature_info.signers"));
	fact_str(facts, "product", jx_path_str(at, "signature_info.product"));
}

static void
vt_ip(const json_t *at, json_t *facts)
{
	fact_int(facts, "asn", at, "asn");
	fact_str(facts, "as_owner", jx_str(at, "as_owner"));
	fact_str(facts, "country", jx_str(at, "country"));
	fact_str(facts, "continent", jx_str(at, "continent"));
	fact_str(facts, "network", jx_str(at, "network"));
	fact_str(facts, "rir", jx_str(at, "regional_internet_registry"));
}

static void
vt_domain(const json_t *at, json_t *facts)
{
	json_t *recs, *r, *a;
	size_t i;

	fact_str(facts, "registrar", jx_str(at, "registrar"));
	fact_unix_time(facts, "created", at, "creation_date");
	fact_unix_time(facts, "expires", at, "expiration_date");
	fact_values(facts, "categories", json_object_get(at, "categories"), 5);
	recs = json_object_get(at, "last_dns_records");
	a = json_array();
	json_array_foreach(recs, i, r) {
		const char *t = jx_str(r, "type");

		if (t != NULL && (strcmp(t, "A") == 0 ||
		    strcmp(t, "AAAA") == 0) && jx_str(r, "value") != NULL)
			json_array_append(a, json_object_get(r, "value"));
	}
	fact_strings(facts, "resolves_to", a, 10);
	json_decref(a);
}

static void
vt_url(const json_t *at, json_t *facts)
{
	fact_str(facts, "url", jx_str(at, "url"));
	fact_str(facts, "final_url", jx_str(at, "last_final_url"));
	fact_str(facts, "title", jx_str(at, "title"));
	fact_int(facts, "http_status", at, "last_http_response_code");
	fact_strings(facts, "threat_names", json_object_get(at,
	    "threat_names"), 5);
	fact_values(facts, "categories", json_object_get(at, "categories"), 5);
	fact_unix_time(facts, "first_seen", at, "first_submission_date");
	fact_unix_time(facts, "last_seen", at, "last_submission_date");
	fact_int(facts, "times_submitted", at, "times_submitted");
}

void
virustotal_answer(enum ioc_kind kind, long status, const char *body,
    size_t len, struct answer *a)
{
	static const char *const types[] = {
		NULL, "ip_address", "ip_address", "file", "file", "file",
		"domain", "url", NULL
	};
	json_t *root, *data, *at, *facts;
	const char *want, *type;

	root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	if (status != 200) {
		vt_error(status, root, a);
		json_decref(root);
		return;
	}
	want = (size_t)kind < sizeof(types) / sizeof(types[0]) ? types[kind] :
	    NULL;
	data = json_object_get(root, "data");
	at = json_object_get(data, "attributes");
	type = jx_str(data, "type");
	if (want == NULL || !json_is_object(at) || type == NULL ||
	    strcmp(type, want) != 0) {
		answer_set(a, V_ERROR, R_UPSTREAM, "virustotal: malformed "
		    "answer (expected data.type \"%s\" with attributes)",
		    want != NULL ? want : "?");
		json_decref(root);
		return;
	}
	vt_detection(at, a);
	facts = answer_facts(a);
	fact_int(facts, "reputation", at, "reputation");
	fact_strings(facts, "tags", json_object_get(at, "tags"), 20);
	fact_unix_time(facts, "last_analysis", at, "last_analysis_date");
	if (json_is_object(json_object_get(at, "total_votes")))
		json_object_set_new(facts, "votes", json_pack("{s:I, s:I}",
		    "harmless", stat_of(json_object_get(at, "total_votes"),
		    "harmless"), "malicious", stat_of(json_object_get(at,
		    "total_votes"), "malicious")));
	switch (kind) {
	case IOC_MD5:
	case IOC_SHA1:
	case IOC_SHA256:
		vt_file(at, facts);
		break;
	case IOC_IPV4:
	case IOC_IPV6:
		vt_ip(at, facts);
		break;
	case IOC_DOMAIN:
		vt_domain(at, facts);
		break;
	default:
		vt_url(at, facts);
		break;
	}
	/* A URL's id, the SHA-256 of its canonical form, names its page. */
	if (kind == IOC_URL)
		fact_str(facts, "vt_id", jx_str(data, "id"));
	json_decref(root);
}
