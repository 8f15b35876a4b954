/*
 * internetdb: the answer of Shodan InternetDB, GET /{ip} (intel-apis.md
 * C.4): open ports, software (CPEs), known vulnerabilities, host names
 * and tags.  It describes exposure, not reputation, so its verdict is
 * unknown, except that the tags "c2", "compromised" or "malware" make it
 * suspicious.  A 404 is "no information", so not_found.  A pure function.
 */
#include <stdio.h>
#include <string.h>

#include "enrich.h"
#include "jsonx.h"

static int
has_bad_tag(const json_t *tags)
{
	static const char *const bad[] = { "c2", "compromised", "malware",
	    NULL };
	const char *const *b;
	json_t *t;
	size_t i;

	json_array_foreach(tags, i, t) {
		if (!json_is_string(t))
			continue;
		for (b = bad; *b != NULL; b++)
			if (strcmp(json_string_value(t), *b) == 0)
				return 1;
	}
	return 0;
}

void
internetdb_answer(long status, const char *body, size_t len, struct answer *a)
{
	static const char *const paths[] = { "detail", NULL };
	json_t *root, *facts, *ports, *p, *out;
	char detail[200];
	size_t i;

	root = json_loadb(body != NULL ? body : "", len, 0, NULL);
	if (status != 200) {
		body_detail(root, paths, detail, sizeof(detail));
		if (detail[0] == '\0')
			snprintf(detail, sizeof(detail), "HTTP %ld", status);
		if (status == 404)
			answer_set(a, V_NOT_FOUND, NULL, NULL);
		else if (status == 429)
			answer_set(a, V_ERROR, R_RATE_LIMITED,
			    "internetdb: %s", detail);
		else if (status == 401 || status == 403)
			answer_set(a, V_ERROR, R_AUTH, "internetdb: %s",
			    detail);
		else
			answer_set(a, V_ERROR, R_UPSTREAM, "internetdb: %s",
			    detail);
		json_decref(root);
		return;
	}
	if (!json_is_object(root) || (json_object_get(root, "ports") != NULL &&
	    !json_is_array(json_object_get(root, "ports")))) {
		answer_set(a, V_ERROR, R_UPSTREAM, "internetdb: malformed "
		    "answer (expected an object with ports)");
		json_decref(root);
		return;
	}
	if (has_bad_tag(json_object_get(root, "tags")))
		answer_set(a, V_SUSPICIOUS, NULL, NULL);
	else
		answer_set(a, V_UNKNOWN, NULL, NULL);
	facts = answer_facts(a);
	ports = json_object_get(root, "ports");
	out = json_array();
	json_array_foreach(ports, i, p) {
		if (json_array_size(out) == 50)
			break;
		if (json_is_integer(p) && json_integer_value(p) > 0 &&
		    json_integer_value(p) < 65536)
			json_array_append(out, p);
	}
	json_object_set_new(facts, "ports", out);
	fact_strings(facts, "hostnames", json_object_get(root, "hostnames"),
	    10);
	fact_strings(facts, "tags", json_object_get(root, "tags"), 20);
	fact_strings(facts, "vulns", json_object_get(root, "vulns"), 30);
	fact_strings(facts, "cpes", json_object_get(root, "cpes"), 20);
	json_decref(root);
}
