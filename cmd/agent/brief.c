/*
 * brief: the brief's schema (submit_brief's input schema, so the model's
 * answer arrives as structured JSON), the brief record built from it, and
 * the usage record with its cost from the price table.  What the agent
 * knows for certain (enrichment and technique records from real tool
 * output, usage, timing, which path made the brief) is added here, never
 * taken from the model.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent.h"
#include "buf.h"
#include "config.h"
#include "isotime.h"
#include "jsonx.h"
#include "paths.h"

/*
 * The schema in pieces (a C11 string literal need not hold more than 4095
 * bytes); the descriptions tell the model what each field is for.
 */
static const char *const schema_parts[] = {
"{\"type\":\"object\",\"properties\":{"
"\"summary\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4000,"
"\"description\":\"Three to six sentences for the analyst: what happened, "
"on which host and account, what the evidence shows, and what is still "
"unknown.\"},"
"\"classification\":{\"type\":\"string\",\"enum\":[\"true_positive\","
"\"benign_positive\",\"false_positive\",\"undetermined\"],\"description\":"
"\"Preliminary classification.\"},"
"\"classification_confidence\":{\"type\":\"string\",\"enum\":[\"low\","
"\"medium\",\"high\"]},"
"\"entities\":{\"type\":\"array\",\"maxItems\":50,\"items\":{\"type\":"
"\"object\",\"properties\":{"
"\"kind\":{\"type\":\"string\",\"enum\":[\"host\",\"account\",\"ip\","
"\"file\",\"filehash\",\"process\",\"url\",\"domain\",\"mailbox\","
"\"mailmessage\",\"cloud_application\",\"registry_key\",\"registry_value\","
"\"other\"]},"
"\"value\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000},"
"\"notes\":{\"type\":\"string\",\"maxLength\":2000,\"description\":\"What "
"the investigation learned about it (privileges, reputation, role).\"}},"
"\"required\":[\"kind\",\"value\",\"notes\"]}},",

"\"attack\":{\"type\":\"array\",\"maxItems\":40,\"description\":\"ATT&CK "
"techniques, each with the evidence for it.\",\"items\":{\"type\":"
"\"object\",\"properties\":{"
"\"technique_id\":{\"type\":\"string\",\"minLength\":5,\"maxLength\":16},"
"\"name\":{\"type\":\"string\",\"maxLength\":200},"
"\"tactic\":{\"type\":\"string\",\"maxLength\":100},"
"\"evidence\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000},"
"\"source\":{\"type\":\"string\",\"enum\":[\"sentinel\",\"observed\"],"
"\"description\":\"sentinel: tagged on the incident or an alert; "
"observed: the investigation found it.\"}},"
"\"required\":[\"technique_id\",\"name\",\"evidence\",\"source\"]}},"
"\"process_chain\":{\"type\":\"array\",\"maxItems\":60,\"description\":"
"\"The process tree from the root to the suspicious process, parents "
"first; depth 0 is the root.\",\"items\":{\"type\":\"object\","
"\"properties\":{"
"\"depth\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":64},"
"\"process\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":500},"
"\"pid\":{\"type\":[\"integer\",\"null\"]},"
"\"command_line\":{\"type\":[\"string\",\"null\"],\"maxLength\":8000},"
"\"time\":{\"type\":[\"string\",\"null\"],\"maxLength\":40},"
"\"host\":{\"type\":[\"string\",\"null\"],\"maxLength\":300},"
"\"note\":{\"type\":[\"string\",\"null\"],\"maxLength\":1000}},"
"\"required\":[\"depth\",\"process\"]}},",

"\"timeline\":{\"type\":\"array\",\"maxItems\":100,\"items\":{\"type\":"
"\"object\",\"properties\":{"
"\"time\":{\"type\":\"string\",\"maxLength\":40,\"description\":"
"\"ISO-8601 UTC.\"},"
"\"event\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":2000},"
"\"assessment\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000,"
"\"description\":\"What this event means: malicious, suspicious, benign "
"or context, and why.\"}},"
"\"required\":[\"time\",\"event\",\"assessment\"]}},"
"\"anomalies\":{\"type\":\"array\",\"maxItems\":40,\"items\":{\"type\":"
"\"string\",\"minLength\":1,\"maxLength\":1000}},"
"\"actions\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":20,"
"\"description\":\"Prioritised next steps, most urgent first.\","
"\"items\":{\"type\":\"object\",\"properties\":{"
"\"priority\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100},"
"\"action\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000},"
"\"rationale\":{\"type\":\"string\",\"maxLength\":1000},"
"\"urgency\":{\"type\":\"string\",\"enum\":[\"immediate\",\"soon\","
"\"follow_up\"]}},"
"\"required\":[\"priority\",\"action\",\"urgency\"]}},",

"\"verdict\":{\"type\":\"object\",\"properties\":{"
"\"severity\":{\"type\":\"string\",\"enum\":[\"Informational\",\"Low\","
"\"Medium\",\"High\",\"Critical\"]},"
"\"classification\":{\"type\":\"string\",\"enum\":[\"true_positive\","
"\"benign_positive\",\"false_positive\",\"undetermined\"]},"
"\"rationale\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":600,"
"\"description\":\"One sentence.\"}},"
"\"required\":[\"severity\",\"classification\",\"rationale\"],"
"\"additionalProperties\":false},"
"\"visibility_gaps\":{\"type\":\"array\",\"maxItems\":40,\"description\":"
"\"What could not be seen or checked (missing tables, failed lookups, "
"time not covered), so the reader knows the limits of the brief.\","
"\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1000}}},"
"\"required\":[\"summary\",\"classification\",\"classification_confidence\","
"\"entities\",\"attack\",\"process_chain\",\"timeline\",\"anomalies\","
"\"actions\",\"verdict\",\"visibility_gaps\"]}",
};

json_t *
brief_schema(void)
{
	struct buf b;
	json_t *s;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sizeof(schema_parts) / sizeof(schema_parts[0]); i++)
		buf_adds(&b, schema_parts[i]);
	s = buf_failed(&b) ? NULL : json_loads(buf_str(&b), 0, NULL);
	buf_release(&b);
	return s;
}

/* The fields of a brief that come from the model (or the playbook), in
 * the order docs/records.md gives them. */
static const char *const brief_fields[] = {
	"summary", "classification", "classification_confidence", "entities",
	"attack", "process_chain", "timeline", "anomalies", "actions",
	"verdict", "visibility_gaps", NULL
};

static int
priority_cmp(const void *a, const void *b)
{
	long long pa = jx_int(*(json_t *const *)a, "priority", 0);
	long long pb = jx_int(*(json_t *const *)b, "priority", 0);

	return pa < pb ? -1 : pa > pb;
}

json_t *
brief_from_submission(const json_t *input)
{
	json_t *brief, *v, *actions;
	const char *const *f;
	json_t **items;
	size_t i, n;

	brief = json_pack("{s:s}", "type", "brief");
	if (brief == NULL)
		return NULL;
	/* The incident and made_by go first; brief_finish fills them. */
	json_object_set_new(brief, "incident", json_null());
	json_object_set_new(brief, "made_by", json_null());
	for (f = brief_fields; *f != NULL; f++) {
		v = json_object_get(input, *f);
		json_object_set_new(brief, *f, v != NULL ? json_deep_copy(v) :
		    json_null());
	}
	/* The list is sorted by priority, whatever order it came in. */
	actions = json_object_get(brief, "actions");
	n = json_array_size(actions);
	items = n > 0 ? calloc(n, sizeof(*items)) : NULL;
	if (items != NULL) {
		for (i = 0; i < n; i++)
			items[i] = json_incref(json_array_get(actions, i));
		qsort(items, n, sizeof(*items), priority_cmp);
		json_array_clear(actions);
		for (i = 0; i < n; i++)
			json_array_append_new(actions, items[i]);
		free(items);
	}
	return brief;
}

static double
price(const json_t *p, const char *key)
{
	return jx_num(p, key, 0.0);
}

/* The price entry for a model: exact, else the longest key that is a
 * prefix of it ("claude-sonnet-4-5-20250929" -> "claude-sonnet-4-5"). */
static const json_t *
price_entry(const json_t *prices, const char *model)
{
	const json_t *models = json_object_get(prices, "models"), *best = NULL;
	const char *key;
	json_t *v;
	size_t best_len = 0;

	if (model == NULL)
		return NULL;
	v = json_object_get(models, model);
	if (v != NULL)
		return v;
	json_object_foreach((json_t *)models, key, v) {
		size_t n = strlen(key);

		if (n > best_len && strncmp(model, key, n) == 0 &&
		    (model[n] == '-' || model[n] == '@' || model[n] == ':')) {
			best = v;
			best_len = n;
		}
	}
	return best;
}

json_t *
usage_object(const struct session *s)
{
	const struct agent *ag = s->ag;
	const json_t *p;
	json_t *u;
	int model = strcmp(ag->provider, "none") != 0;

	u = json_object();
	if (u == NULL)
		return NULL;
	jx_set_str(u, "provider", ag->provider);
	jx_set_str(u, "model", model ? ag->model : NULL);
	json_object_set_new(u, "turns", json_integer(s->turns));
	json_object_set_new(u, "tool_calls", json_integer(s->tool_calls));
	json_object_set_new(u, "input_tokens",
	    json_integer(s->usage.input_tokens));
	json_object_set_new(u, "output_tokens",
	    json_integer(s->usage.output_tokens));
	json_object_set_new(u, "cache_creation_input_tokens",
	    json_integer(s->usage.cache_write_tokens));
	json_object_set_new(u, "cache_read_input_tokens",
	    json_integer(s->usage.cache_read_tokens));
	p = model ? price_entry(ag->prices, ag->model) : NULL;
	if (!model || s->turns == 0) {
		json_object_set_new(u, "cost_usd", json_real(0.0));
	} else if (p != NULL) {
		double cost = (s->usage.input_tokens * price(p, "input") +
		    s->usage.output_tokens * price(p, "output") +
		    s->usage.cache_write_tokens * price(p, "cache_write") +
		    s->usage.cache_read_tokens * price(p, "cache_read")) / 1e6;

		json_object_set_new(u, "cost_usd",
		    json_real(round(cost * 1e6) / 1e6));
	} else {
		/* An unknown model's cost is unknown, not zero. */
		json_object_set_new(u, "cost_usd", json_null());
	}
	json_object_set_new(u, "request_bytes", json_integer(s->request_bytes));
	json_object_set_new(u, "per_turn", json_deep_copy(s->per_turn));
	return u;
}

void
usage_add_turn(struct session *s, const struct model_usage *u,
    const char *stop, long elapsed_ms)
{
	json_t *t;

	s->usage.input_tokens += u->input_tokens;
	s->usage.output_tokens += u->output_tokens;
	s->usage.cache_write_tokens += u->cache_write_tokens;
	s->usage.cache_read_tokens += u->cache_read_tokens;
	t = json_pack("{s:I,s:I,s:I,s:I,s:I,s:s,s:I}", "turn",
	    (json_int_t)s->turns, "input_tokens", (json_int_t)u->input_tokens,
	    "output_tokens", (json_int_t)u->output_tokens,
	    "cache_creation_input_tokens", (json_int_t)u->cache_write_tokens,
	    "cache_read_input_tokens", (json_int_t)u->cache_read_tokens,
	    "stop_reason", stop, "duration_ms", (json_int_t)elapsed_ms);
	json_array_append_new(s->per_turn, t);
}

/* Whether the incident or one of its alerts is tagged with technique id. */
static int
tagged(const json_t *inc, const char *id)
{
	const json_t *alerts = json_object_get(inc, "alerts"), *list;
	size_t i, k;

	for (k = 0; k <= json_array_size(alerts); k++) {
		list = json_object_get(k == 0 ? inc :
		    json_array_get(alerts, k - 1), "techniques");
		for (i = 0; i < json_array_size(list); i++)
			if (json_is_string(json_array_get(list, i)) &&
			    strcasecmp(json_string_value(json_array_get(list,
			    i)), id) == 0)
				return 1;
	}
	return 0;
}

/* attack[].source says who tagged a technique: that is a fact about the
 * incident, so it is read from the incident, never taken from the model. */
static void
set_sources(json_t *brief, const json_t *inc)
{
	json_t *attack = json_object_get(brief, "attack"), *a;
	const char *id;
	size_t i;

	for (i = 0; i < json_array_size(attack); i++) {
		a = json_array_get(attack, i);
		id = jx_str(a, "technique_id");
		if (!json_is_object(a) || id == NULL)
			continue;
		json_object_set_new(a, "source", json_string(tagged(inc, id) ?
		    "sentinel" : "observed"));
	}
}

void
brief_finish(struct session *s, json_t *brief, const char *path,
    const char *fallback_reason)
{
	const json_t *inc = s->incident;
	json_t *made_by;
	char ts[48];
	int model = strcmp(path, "model") == 0;

	json_object_set_new(brief, "incident", json_pack("{s:O?,s:O?,s:O?}",
	    "number", json_object_get(inc, "number"), "id",
	    json_object_get(inc, "id"), "title",
	    json_object_get(inc, "title")));
	made_by = json_object();
	jx_set_str(made_by, "path", path);
	jx_set_str(made_by, "provider", model ? s->ag->provider : "none");
	jx_set_str(made_by, "model", model ? s->ag->model : NULL);
	jx_set_str(made_by, "fallback_reason", fallback_reason);
	if (!model)
		jx_set_str(made_by, "note", "made without a model, by the "
		    "deterministic playbook: its verdict comes from fixed "
		    "rules and cannot weigh intent");
	json_object_set_new(brief, "made_by", made_by);
	set_sources(brief, inc);
	json_object_set(brief, "enrichments", s->enrichments);
	json_object_set(brief, "techniques", s->techniques);
	json_object_set_new(brief, "usage", usage_object(s));
	json_object_set_new(brief, "started_at", json_string(iso_format(
	    s->started, ts, sizeof(ts), 3)));
	json_object_set_new(brief, "finished_at", json_string(iso_format(
	    iso_now(), ts, sizeof(ts), 3)));
	json_object_set_new(brief, "duration_ms",
	    json_integer(now_ms() - s->started_ms));
}

json_t *
prices_load(char *err, size_t errsz)
{
	json_error_t jerr;
	const char *path = config_get("TRIAGE_PRICES");
	char found[4096];
	json_t *p;

	if (path == NULL) {
		if (paths_data_file("data/prices.json", found,
		    sizeof(found)) == -1)
			return NULL;	/* no table: costs are unknown */
		path = found;
	}
	p = json_load_file(path, 0, &jerr);
	if (p == NULL || !json_is_object(json_object_get(p, "models"))) {
		snprintf(err, errsz, "%s: %s", path, p == NULL ? jerr.text :
		    "expected an object with \"models\"");
		json_decref(p);
		return NULL;
	}
	return p;
}
