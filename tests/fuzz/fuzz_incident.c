/*
 * fuzz_incident: lib/incident over arbitrary bytes: the export reader
 * (JSON, NDJSON, CSV), the form detection and normalisation with the
 * Entities resolver, the summary and queue helpers; and the same bytes as
 * an Entities value, a command line, a SID, a time, a duration and an
 * incident reference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct incident_filter f = { "New,Active", "High", "unassigned", 1 };
	json_t *v, *out, *w, *s, *sums, *e, *flags;
	char err[512], buf[64], *text, *d;
	int64_t t;
	size_t i;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	w = json_array();
	v = incident_parse_text(text, size, "fuzz", err, sizeof(err));
	if (v != NULL) {
		out = incident_normalise(v, "fuzz", w, err, sizeof(err));
		sums = json_array();
		for (i = 0; i < json_array_size(out); i++) {
			s = incident_summary(json_array_get(out, i));
			incident_filter_match(s, &f);
			json_array_append_new(sums, s);
		}
		incident_sort_summaries(sums);
		if (size > 0)
			incident_find(out, text);
		json_decref(sums);
		json_decref(out);
		json_decref(v);
	}
	v = json_stringn(text, strlen(text));
	e = incident_entities(v, "a", w);
	json_decref(e);
	json_decref(v);
	flags = json_array();
	incident_cmdline_flags(text, text, flags);
	json_decref(flags);
	d = incident_decode_command(text);
	free(d);
	incident_sid_flag(text);
	incident_time_parse(text, &t);
	if (incident_duration_parse(text, &t) == 0)
		incident_duration_kql(t, buf, sizeof(buf));
	incident_ref_parse(text, NULL);
	json_decref(w);
	free(text);
	return 0;
}
