/*
 * test_enrich: the pure parts of triage-enrich (its answer parsers, the
 * VirusTotal URL id, KQL quoting and the workspace TI matching), linked
 * in from cmd/enrich so they are tested exactly as the program uses them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "jsonx.h"
#include "tap.h"

#include "enrich/enrich.h"
#include "enrich/abuseipdb.c"
#include "enrich/answer.c"
#include "enrich/internetdb.c"
#include "enrich/virustotal.c"
#include "enrich/workspace_ti.c"

static struct answer a;

static void
parse_abuse(long status, const char *body)
{
	answer_release(&a);
	answer_init(&a);
	abuseipdb_answer(status, body, strlen(body), &a);
}

static void
parse_vt(enum ioc_kind k, long status, const char *body)
{
	answer_release(&a);
	answer_init(&a);
	virustotal_answer(k, status, body, strlen(body), &a);
}

static void
parse_idb(long status, const char *body)
{
	answer_release(&a);
	answer_init(&a);
	internetdb_answer(status, body, strlen(body), &a);
}

static const char *
fact(const char *path)
{
	static char out[512];
	json_t *v = jx_path(a.facts, path);
	char *s;

	if (v == NULL)
		return "(none)";
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(out, sizeof(out), "%s", s != NULL ? s : "?");
	free(s);
	return out;
}

static void
test_url_id(void)
{
	static const char *const vec[][2] = {
		{ "http://www.google.com/", "aHR0cDovL3d3dy5nb29nbGUuY29tLw" },
		{ "https://example.com/login.php?user=a&b=1",
		  "aHR0cHM6Ly9leGFtcGxlLmNvbS9sb2dpbi5waHA_dXNlcj1hJmI9MQ" },
		{ "http://malicious.example.net/payload.exe",
		  "aHR0cDovL21hbGljaW91cy5leGFtcGxlLm5ldC9wYXlsb2FkLmV4ZQ" },
		{ "a", "YQ" }, { "ab", "YWI" }, { "abc", "YWJj" },
		{ "\xff\xfe", "__4" }
	};
	size_t i;
	char *id;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		id = vt_url_id(vec[i][0]);
		is_str(id, vec[i][1], "url id");
		free(id);
	}
}

static void
test_abuseipdb(void)
{
	parse_abuse(200, "{\"data\":{\"ipAddress\":\"118.25.6.39\","
	    "\"isPublic\":true,\"ipVersion\":4,\"isWhitelisted\":false,"
	    "\"abuseConfidenceScore\":100,\"countryCode\":\"CN\","
	    "\"countryName\":\"China\",\"usageType\":\"Data Center/Web "
	    "Hosting/Transit\",\"isp\":\"Tencent Cloud\",\"domain\":"
	    "\"tencent.com\",\"hostnames\":[],\"isTor\":false,\"totalReports\":"
	    "47,\"numDistinctUsers\":22,\"lastReportedAt\":"
	    "\"2024-05-25T09:14:02+00:00\",\"reports\":[{\"categories\":"
	    "[18,22]},{\"categories\":[22,99,-1,\"x\"]}]}}");
	is_str(verdict_name(a.verdict), "malicious", "score 100 is malicious");
	is_int(json_integer_value(a.score), 100, "score");
	is_str(fact("total_reports"), "47", "reports");
	is_str(fact("distinct_reporters"), "22", "reporters");
	is_str(fact("last_reported"), "\"2024-05-25T09:14:02Z\"",
	    "last reported, in UTC");
	is_str(fact("country"), "\"CN\"", "country");
	is_str(fact("usage_type"), "\"Data Center/Web Hosting/Transit\"",
	    "usage type");
	is_str(fact("is_tor"), "false", "tor");
	is_str(fact("is_whitelisted"), "false", "whitelisted");
	is_str(fact("categories"), "[\"SSH\",\"Brute-Force\"]",
	    "categories, most reported first");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":74,"
	    "\"isWhitelisted\":null}}");
	is_str(verdict_name(a.verdict), "suspicious", "74 is suspicious");
	is_str(fact("is_whitelisted"), "(none)", "null whitelisted left out");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":25}}");
	is_str(verdict_name(a.verdict), "suspicious", "25 is suspicious");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":24,"
	    "\"totalReports\":3}}");
	is_str(verdict_name(a.verdict), "clean", "24, reported, is clean");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":0,"
	    "\"totalReports\":0,\"isWhitelisted\":true}}");
	is_str(verdict_name(a.verdict), "clean", "whitelisted is clean");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":0,"
	    "\"totalReports\":0,\"isWhitelisted\":false,"
	    "\"isp\":\"Quad9\"}}");
	is_str(verdict_name(a.verdict), "not_found",
	    "never reported is not_found, not clean");
	is_str(fact("isp"), "\"Quad9\"", "not_found keeps the facts");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":24}}");
	is_str(verdict_name(a.verdict), "not_found",
	    "no report count is not_found");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":101}}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_UPSTREAM) == 0,
	    "out of range score is an upstream error");
	parse_abuse(200, "{\"data\":{\"abuseConfidenceScore\":\"9\"}}");
	ok(a.verdict == V_ERROR, "string score refused");
	parse_abuse(200, "<html>");
	ok(a.verdict == V_ERROR && strstr(a.message, "malformed") != NULL,
	    "HTML body: %s", a.message);
	parse_abuse(401, "{\"errors\":[{\"detail\":\"Authentication failed."
	    "\",\"status\":401}]}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_AUTH) == 0 &&
	    strstr(a.message, "Authentication failed.") != NULL,
	    "401 is auth: %s", a.message);
	parse_abuse(429, "{\"errors\":[{\"detail\":\"Daily rate limit of "
	    "1000 requests exceeded\",\"status\":429}]}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_QUOTA) == 0,
	    "429 is quota");
	parse_abuse(503, "<h1>down</h1>");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_UPSTREAM) == 0 &&
	    strstr(a.message, "HTTP 503") != NULL, "503: %s", a.message);
}

static void
test_virustotal(void)
{
	parse_vt(IOC_MD5, 200, "{\"data\":{\"type\":\"file\",\"id\":\"a6d2\","
	    "\"attributes\":{\"md5\":\"b56e\",\"sha256\":\"a6d2\",\"size\":"
	    "44032,\"type_description\":\"Win32 EXE\",\"meaningful_name\":"
	    "\"invoice_0423.exe\",\"names\":[\"invoice_0423.exe\",\"svc.exe\"],"
	    "\"first_submission_date\":1714032000,\"last_submission_date\":"
	    "1716629510,\"reputation\":-43,\"tags\":[\"peexe\"],"
	    "\"popular_threat_classification\":{\"suggested_threat_label\":"
	    "\"trojan.agenttesla/msil\",\"popular_threat_category\":[{\"count\":"
	    "31,\"value\":\"trojan\"}]},\"last_analysis_stats\":{\"harmless\":0,"
	    "\"type-unsupported\":4,\"suspicious\":0,\"confirmed-timeout\":0,"
	    "\"timeout\":0,\"failure\":1,\"malicious\":58,\"undetected\":13}}}}");
	is_str(verdict_name(a.verdict), "malicious", "58 engines: malicious");
	is_int(json_integer_value(a.score), 58, "score is the engine count");
	is_str(fact("detection_ratio"), "\"58/71\"",
	    "ratio leaves out failures and unsupported");
	is_str(fact("type"), "\"Win32 EXE\"", "type");
	is_str(fact("names"), "[\"invoice_0423.exe\",\"svc.exe\"]", "names");
	is_str(fact("first_seen"), "\"2024-04-25T08:00:00Z\"", "first seen");
	is_str(fact("threat_label"), "\"trojan.agenttesla/msil\"", "label");
	is_str(fact("threat_categories"), "[\"trojan\"]", "categories");
	is_str(fact("reputation"), "-43", "reputation");
	is_str(fact("tags"), "[\"peexe\"]", "tags");
	parse_vt(IOC_IPV4, 200, "{\"data\":{\"type\":\"ip_address\",\"id\":"
	    "\"185.220.101.34\",\"attributes\":{\"as_owner\":\"Stiftung\","
	    "\"asn\":60729,\"country\":\"DE\",\"last_analysis_stats\":"
	    "{\"harmless\":55,\"malicious\":2,\"suspicious\":0,\"undetected\":"
	    "27,\"timeout\":0}}}}");
	is_str(verdict_name(a.verdict), "suspicious", "2 engines: suspicious");
	is_str(fact("asn"), "60729", "asn");
	is_str(fact("as_owner"), "\"Stiftung\"", "owner");
	is_str(fact("country"), "\"DE\"", "country");
	parse_vt(IOC_DOMAIN, 200, "{\"data\":{\"type\":\"domain\",\"id\":"
	    "\"x.com\",\"attributes\":{\"categories\":{\"a\":\"phishing\","
	    "\"b\":\"Phishing\",\"c\":\"fraud\"},\"last_dns_records\":[{\"type\":"
	    "\"A\",\"value\":\"203.0.113.45\"},{\"type\":\"NS\",\"value\":"
	    "\"ns1\"}],\"last_analysis_stats\":{\"harmless\":60,\"malicious\":0,"
	    "\"suspicious\":0,\"undetected\":20}}}}");
	is_str(verdict_name(a.verdict), "clean", "no detections: clean");
	is_str(fact("categories"), "[\"phishing\",\"fraud\"]",
	    "categories without repeats");
	is_str(fact("resolves_to"), "[\"203.0.113.45\"]", "A records");
	parse_vt(IOC_URL, 200, "{\"data\":{\"type\":\"url\",\"id\":\"56d1\","
	    "\"attributes\":{\"url\":\"http://m.example.net/p.exe\","
	    "\"threat_names\":[\"AgentTesla\"],\"last_analysis_stats\":{}}}}");
	is_str(verdict_name(a.verdict), "unknown", "no engines: unknown");
	is_str(fact("vt_id"), "\"56d1\"", "the URL's id for the link");
	parse_vt(IOC_URL, 200, "{\"data\":{\"type\":\"url\",\"attributes\":"
	    "{\"last_analysis_stats\":{\"suspicious\":1,\"harmless\":3}}}}");
	is_str(verdict_name(a.verdict), "suspicious", "one suspicious engine");
	parse_vt(IOC_URL, 200, "{\"data\":{\"type\":\"file\",\"attributes\":"
	    "{}}}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_UPSTREAM) == 0,
	    "a file answer for a URL is malformed");
	parse_vt(IOC_SHA256, 200, "{\"data\":{\"type\":\"file\",\"attributes\":"
	    "{\"last_analysis_stats\":{\"malicious\":-5,\"harmless\":\"x\"}}}}");
	is_str(verdict_name(a.verdict), "unknown", "nonsense stats count zero");
	parse_vt(IOC_MD5, 404, "{\"error\":{\"code\":\"NotFoundError\","
	    "\"message\":\"File not found\"}}");
	is_str(verdict_name(a.verdict), "not_found", "404: not_found");
	parse_vt(IOC_MD5, 401, "{\"error\":{\"code\":\"WrongCredentialsError\","
	    "\"message\":\"Wrong API key\"}}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_AUTH) == 0 &&
	    strstr(a.message, "Wrong API key") != NULL, "401: %s", a.message);
	parse_vt(IOC_MD5, 429, "{\"error\":{\"code\":\"QuotaExceededError\","
	    "\"message\":\"Quota exceeded\"}}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_QUOTA) == 0,
	    "QuotaExceededError: quota");
	parse_vt(IOC_MD5, 429, "{\"error\":{\"code\":\"TooManyRequestsError\","
	    "\"message\":\"slow down\"}}");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_RATE_LIMITED) == 0,
	    "TooManyRequestsError: rate_limited");
	parse_vt(IOC_MD5, 502, "");
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_UPSTREAM) == 0,
	    "502 with no body: upstream");
}

static void
test_internetdb(void)
{
	parse_idb(200, "{\"cpes\":[\"cpe:/a:nginx:nginx\"],\"hostnames\":"
	    "[\"vps.example-host.net\"],\"ip\":\"203.0.113.45\",\"ports\":"
	    "[22,80,443,70000],\"tags\":[\"cloud\"],\"vulns\":"
	    "[\"CVE-2023-38408\"]}");
	is_str(verdict_name(a.verdict), "unknown", "exposure is no verdict");
	is_str(fact("ports"), "[22,80,443]", "ports (bad ones dropped)");
	is_str(fact("vulns"), "[\"CVE-2023-38408\"]", "vulns");
	parse_idb(200, "{\"ports\":[],\"tags\":[\"c2\"]}");
	is_str(verdict_name(a.verdict), "suspicious", "c2 tag: suspicious");
	parse_idb(404, "{\"detail\":\"No information available\"}");
	is_str(verdict_name(a.verdict), "not_found", "404: not_found");
	parse_idb(200, "[1,2]");
	ok(a.verdict == V_ERROR, "an array is malformed");
	parse_idb(200, "{\"ports\":\"22\"}");
	ok(a.verdict == V_ERROR, "ports not a list is malformed");
}

static void
test_kql(void)
{
	char v1[] = "198.51.100.7", v2[] = "http://x.com/a'b\\c", v3[] = "ab";
	struct indicator i1 = { IOC_IPV4, v1, NULL };
	struct indicator i2 = { IOC_URL, v2, NULL };
	struct indicator i3 = { IOC_SHA256, v3, NULL };
	const struct indicator *inds[] = { &i1, &i2, &i3 };
	struct buf b;
	char *q;

	buf_init(&b);
	ok(ti_kql_quote(&b, "it's a \\ test") == 0, "quote");
	is_str(buf_str(&b), "'it\\'s a \\\\ test'", "escaped");
	buf_reset(&b);
	ok(ti_kql_quote(&b, "a\nb") == -1, "a newline is refused");
	buf_release(&b);
	q = ti_query(TI_INDICATORS, inds, 3);
	ok(q != NULL && strstr(q, "ObservableValue in~ ('198.51.100.7', "
	    "'http://x.com/a\\'b\\\\c', 'ab')") != NULL, "new table");
	free(q);
	q = ti_query(TI_LEGACY, inds, 3);
	ok(q != NULL && strstr(q, "NetworkIP in~ ('198.51.100.7')") != NULL &&
	    strstr(q, "or Url in~ ('http://x.com/a\\'b\\\\c')") != NULL &&
	    strstr(q, "or FileHashValue in~ ('ab')") != NULL &&
	    strstr(q, "DomainName") == NULL, "legacy table");
	free(q);
	q = ti_query(TI_LEGACY, inds, 0);
	ok(q == NULL, "no indicators, no query");
}

static json_t *
rows_of(const char *out)
{
	char err[256];
	json_t *rows = ti_rows(out, strlen(out), err, sizeof(err));

	ok(rows != NULL, "rows parse");
	return rows;
}

static void
test_ti(void)
{
	char v1[] = "198.51.100.7", v2[] = "44d88612fea8a8f36de82e1278abb02f";
	char v3[] = "quiet.example.org";
	struct indicator ip = { IOC_IPV4, v1, NULL };
	struct indicator h = { IOC_MD5, v2, NULL };
	struct indicator d = { IOC_DOMAIN, v3, NULL };
	json_t *rows[TI_NTABLES];
	const struct answer *failed[TI_NTABLES] = { NULL, NULL };
	struct answer err;
	char e[128];

	rows[0] = rows_of("{\"columns\":[{\"name\":\"Id\",\"type\":\"string\"},"
	    "{\"name\":\"ObservableValue\"},{\"name\":\"IsActive\"},"
	    "{\"name\":\"Confidence\"},{\"name\":\"Data\"},{\"name\":"
	    "\"TriageExpired\"},{\"name\":\"TimeGenerated\"},{\"name\":"
	    "\"Tags\"}],\"rows\":["
	    "[\"i1\",\"198.51.100.7\",true,80,\"{\\\"indicator_types\\\":"
	    "[\\\"malicious-activity\\\"],\\\"description\\\":\\\"C2\\\"}\","
	    "false,\"2026-11-20T00:00:00Z\",\"[\\\"apt\\\"]\"],"
	    "[\"i1\",\"198.51.100.7\",true,10,null,false,"
	    "\"2026-11-13T00:00:00Z\",null],"
	    "[\"i2\",\"QUIET.example.org\",true,10,{},true,null,\"a, b\"]]}");
	rows[1] = rows_of("{\"columns\":[{\"name\":\"IndicatorId\"},{\"name\":"
	    "\"FileHashValue\"},{\"name\":\"Active\"},{\"name\":"
	    "\"ConfidenceScore\"},{\"name\":\"ThreatType\"}],\"rows\":["
	    "[\"L1\",\"44D88612FEA8A8F36DE82E1278ABB02F\",true,30,\"Malware\"]]}");
	answer_release(&a);
	answer_init(&a);
	ti_answer(&ip, rows, failed, &a);
	is_str(verdict_name(a.verdict), "malicious", "active, confidence 80");
	is_str(fact("matches"), "1", "a republished row counts once");
	is_str(fact("threat_types"), "[\"malicious-activity\"]", "types");
	is_str(fact("description"), "\"C2\"", "description from Data");
	is_str(fact("tags"), "[\"apt\"]", "tags from JSON text");
	is_str(fact("last_seen"), "\"2026-11-20T00:00:00Z\"", "last seen");
	is_str(fact("tables"), "[\"ThreatIntelIndicators\","
	    "\"ThreatIntelligenceIndicator\"]", "both tables answered");
	answer_release(&a);
	answer_init(&a);
	ti_answer(&h, rows, failed, &a);
	is_str(verdict_name(a.verdict), "suspicious",
	    "legacy row, confidence 30, hash in upper case");
	is_int(json_integer_value(a.score), 30, "score is the confidence");
	answer_release(&a);
	answer_init(&a);
	ti_answer(&d, rows, failed, &a);
	is_str(verdict_name(a.verdict), "unknown", "expired only: unknown");
	is_str(fact("active"), "0", "none active");
	is_str(fact("tags"), "[\"a\",\"b\"]", "comma-separated tags");
	answer_init(&err);
	answer_set(&err, V_ERROR, R_UPSTREAM, "workspace_ti: %s: %s",
	    "ThreatIntelligenceIndicator", "no such table");
	json_decref(rows[1]);
	rows[1] = NULL;
	failed[1] = &err;
	answer_release(&a);
	answer_init(&a);
	ti_answer(&h, rows, failed, &a);
	is_str(verdict_name(a.verdict), "not_found",
	    "one table failed, the other has nothing");
	ok(strstr(fact("table_errors"), "no such table") != NULL,
	    "the failure is in the facts");
	json_decref(rows[0]);
	rows[0] = NULL;
	failed[0] = &err;
	answer_release(&a);
	answer_init(&a);
	ti_answer(&h, rows, failed, &a);
	ok(a.verdict == V_ERROR && strcmp(a.reason, R_UPSTREAM) == 0 &&
	    strstr(a.message, "no such table") != NULL,
	    "both failed: error: %s", a.message);
	ok(ti_rows("[]", 2, e, sizeof(e)) == NULL, "an array is no result");
	rows[0] = rows_of("{\"tables\":[{\"columns\":[{\"name\":\"a\"}],"
	    "\"rows\":[[1],[2]]}]}");
	ok(json_array_size(rows[0]) == 2, "a raw query response is read too");
	json_decref(rows[0]);
	ok(ti_rows("{\"rows\":[]}", 11, e, sizeof(e)) == NULL,
	    "no columns is no result");
	answer_release(&a);
}

static void
test_cut(void)
{
	char out[16];

	utf8_cut("h\xc3\xa9llo", 2, out, sizeof(out));
	is_str(out, "h", "a two-byte character is not split");
	utf8_cut("h\xc3\xa9llo", 3, out, sizeof(out));
	is_str(out, "h\xc3\xa9", "and kept when it fits");
	utf8_cut("abcdefghijklmnopqrstuvwxyz", 100, out, sizeof(out));
	is_str(out, "abcdefghijklmno", "cut to the buffer");
}

int
main(void)
{
	answer_init(&a);
	test_url_id();
	test_abuseipdb();
	test_virustotal();
	test_internetdb();
	test_kql();
	test_ti();
	test_cut();
	answer_release(&a);
	return tap_done();
}
