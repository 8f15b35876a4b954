/*
 * workspace_ti: the workspace's own threat intelligence, in the STIX
 * table ThreatIntelIndicators and the older ThreatIntelligenceIndicator
 * (retired in 2026 but still full of history).  One query per table asks
 * for every indicator of a batch at once; the rows are matched back to
 * the indicators here.  An active indicator (not deleted, not expired,
 * not revoked) is malicious when its confidence is 50 or more or not
 * given, suspicious below 50; an indicator the workspace only knew in the
 * past gives unknown; no row gives not_found.  Pure functions: the query
 * text is built here and run by lookup.c through triage-kql.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "enrich.h"
#include "isotime.h"
#include "jsonx.h"

/* The confidence from which an active match is malicious. */
#define TI_MALICIOUS	50
#define TI_MAX_ROWS	1000

static const char *const table_names[TI_NTABLES] = {
	"ThreatIntelIndicators", "ThreatIntelligenceIndicator"
};

/* The legacy table's columns that may hold each kind of indicator. */
static const char *const legacy_ip[] = { "NetworkIP", "NetworkSourceIP",
    "NetworkDestinationIP", "EmailSourceIpAddress", NULL };
static const char *const legacy_domain[] = { "DomainName", NULL };
static const char *const legacy_url[] = { "Url", NULL };
static const char *const legacy_hash[] = { "FileHashValue", NULL };

const char *
ti_table_name(enum ti_table t)
{
	return table_names[t];
}

static const char *const *
legacy_columns(enum ioc_kind k)
{
	switch (k) {
	case IOC_IPV4:
	case IOC_IPV6:
		return legacy_ip;
	case IOC_DOMAIN:
		return legacy_domain;
	case IOC_URL:
		return legacy_url;
	case IOC_MD5:
	case IOC_SHA1:
	case IOC_SHA256:
		return legacy_hash;
	default:
		return NULL;
	}
}

int
ti_kql_quote(struct buf *b, const char *s)
{
	const unsigned char *p;

	/* A KQL string literal: backslash escapes, in single quotes. */
	buf_addc(b, '\'');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return -1;
		if (*p == '\\' || *p == '\'')
			buf_addc(b, '\\');
		buf_addc(b, *p);
	}
	buf_addc(b, '\'');
	return 0;
}

/* Appends "(v1, v2, ...)" of the indicators whose columns are cols. */
static int
value_list(struct buf *b, const struct indicator *const *inds, size_t n,
    const char *const *cols, int *any)
{
	size_t i;

	*any = 0;
	buf_adds(b, "(");
	for (i = 0; i < n; i++) {
		if (cols != NULL && legacy_columns(inds[i]->kind) != cols)
			continue;
		if (*any)
			buf_adds(b, ", ");
		if (ti_kql_quote(b, inds[i]->value) == -1)
			return -1;
		*any = 1;
	}
	buf_adds(b, ")");
	return 0;
}

char *
ti_query(enum ti_table t, const struct indicator *const *inds, size_t n)
{
	static const char *const *const groups[] = { legacy_ip,
	    legacy_domain, legacy_url, legacy_hash };
	const char *const *col;
	struct buf b, list;
	size_t g;
	int any, first = 1;

	buf_init(&b);
	buf_init(&list);
	if (t == TI_INDICATORS) {
		buf_printf(&b, "%s\n| where ObservableValue in~ ",
		    table_names[t]);
		if (value_list(&b, inds, n, NULL, &any) == -1 || !any)
			goto fail;
		buf_adds(&b, "\n| extend TriageExpired = isnotnull(ValidUntil)"
		    " and ValidUntil < now()");
	} else {
		buf_printf(&b, "%s\n| where ", table_names[t]);
		for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			buf_reset(&list);
			if (value_list(&list, inds, n, groups[g], &any) == -1)
				goto fail;
			if (!any)
				continue;
			for (col = groups[g]; *col != NULL; col++) {
				buf_printf(&b, "%s%s in~ %s", first ? "" :
				    "\n    or ", *col, buf_str(&list));
				first = 0;
			}
		}
		if (first)
			goto fail;
		buf_adds(&b, "\n| extend TriageExpired = "
		    "isnotnull(ExpirationDateTime) and "
		    "ExpirationDateTime < now()");
	}
	buf_printf(&b, "\n| order by TimeGenerated desc\n| take %d",
	    TI_MAX_ROWS);
	buf_release(&list);
	return buf_steal(&b);
fail:
	buf_release(&list);
	buf_release(&b);
	return NULL;
}

json_t *
ti_rows(const char *out, size_t len, char *err, size_t errsz)
{
	json_t *root, *table, *cols, *rows, *row, *obj, *result, *c;
	json_error_t jerr;
	const char *name;
	size_t i, j;

	root = json_loadb(out, len, 0, &jerr);
	if (!json_is_object(root)) {
		snprintf(err, errsz, "triage-kql gave no JSON object: %s",
		    root == NULL ? jerr.text : "another value");
		json_decref(root);
		return NULL;
	}
	/* "--format json" flattens the first table; a raw query response
	 * (azure-apis.md B.3) holds it in "tables". */
	table = json_object_get(root, "columns") != NULL ? root :
	    jx_path(root, "tables[0]");
	cols = json_object_get(table, "columns");
	rows = json_object_get(table, "rows");
	if (!json_is_array(cols) || !json_is_array(rows)) {
		snprintf(err, errsz, "triage-kql gave no columns and rows");
		json_decref(root);
		return NULL;
	}
	result = json_array();
	json_array_foreach(rows, i, row) {
		if (!json_is_array(row))
			continue;
		obj = json_object();
		json_array_foreach(cols, j, c) {
			name = jx_str(c, "name");
			if (name != NULL && j < json_array_size(row))
				json_object_set(obj, name,
				    json_array_get(row, j));
		}
		json_array_append_new(result, obj);
	}
	json_decref(root);
	return result;
}

/* A dynamic column may arrive parsed or as JSON text. */
static json_t *
dynamic(const json_t *row, const char *col)
{
	json_t *v = json_object_get(row, col);

	if (json_is_string(v))
		return json_loads(json_string_value(v), 0, NULL);
	return json_incref(v);
}

static int
matches(const struct indicator *ind, enum ti_table t, const json_t *row)
{
	const char *const *col;
	const char *v;

	if (t == TI_INDICATORS) {
		v = jx_str(row, "ObservableValue");
		return v != NULL && strcasecmp(v, ind->value) == 0;
	}
	for (col = legacy_columns(ind->kind); col != NULL && *col != NULL;
	    col++) {
		v = jx_str(row, *col);
		if (v != NULL && strcasecmp(v, ind->value) == 0)
			return 1;
	}
	return 0;
}

/* Adds s to the array arr unless it is there already (at most max). */
static void
add_unique(json_t *arr, const char *s, size_t max)
{
	json_t *v;
	size_t i;

	if (s == NULL || *s == '\0' || json_array_size(arr) >= max)
		return;
	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return;
	json_array_append_new(arr, jx_string_lossy(s, strlen(s)));
}

static void
add_tags(json_t *arr, const json_t *row)
{
	json_t *tags, *v;
	char *copy, *tok, *save;
	size_t i;

	tags = dynamic(row, "Tags");
	if (json_is_array(tags)) {
		json_array_foreach(tags, i, v)
			if (json_is_string(v))
				add_unique(arr, json_string_value(v), 20);
	} else if (json_is_string(json_object_get(row, "Tags"))) {
		/* Not JSON: a comma-separated list. */
		copy = strdup(json_string_value(json_object_get(row, "Tags")));
		for (tok = copy != NULL ? strtok_r(copy, ",", &save) : NULL;
		    tok != NULL; tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			add_unique(arr, tok, 20);
		}
		free(copy);
	}
	json_decref(tags);
}

/* What one distinct indicator row says. */
struct ti_match {
	int	 active;
	int	 has_confidence;
	double	 confidence;
};

static struct ti_match
read_row(enum ti_table t, const json_t *row, json_t *types, json_t *descs,
    json_t *sources, json_t *tags, json_t *ids)
{
	struct ti_match m;
	json_t *data, *v;
	const char *s;
	size_t i;

	m.active = jx_bool(row, t == TI_INDICATORS ? "IsActive" : "Active",
	    1) && !jx_bool(row, "IsDeleted", 0) &&
	    !jx_bool(row, "TriageExpired", 0);
	v = json_object_get(row, t == TI_INDICATORS ? "Confidence" :
	    "ConfidenceScore");
	m.has_confidence = json_is_number(v);
	m.confidence = m.has_confidence ? json_number_value(v) : 0;
	add_unique(ids, jx_str(row, t == TI_INDICATORS ? "Id" : "IndicatorId"),
	    5);
	add_unique(sources, jx_str(row, "SourceSystem"), 10);
	add_tags(tags, row);
	if (t == TI_INDICATORS) {
		data = dynamic(row, "Data");
		json_array_foreach(json_object_get(data, "indicator_types"), i,
		    v)
			if (json_is_string(v))
				add_unique(types, json_string_value(v), 10);
		s = jx_str(data, "description");
		add_unique(descs, s != NULL ? s : jx_str(data, "name"), 3);
		json_decref(data);
	} else {
		add_unique(types, jx_str(row, "ThreatType"), 10);
		add_unique(descs, jx_str(row, "Description"), 3);
	}
	return m;
}

/* The latest of two ISO-8601 times, as strings. */
static void
later_time(json_t *facts, const char *key, const char *s)
{
	const char *have = jx_str(facts, key);
	int64_t a, b;

	if (s == NULL || iso_parse(s, &b) == -1)
		return;
	if (have != NULL && iso_parse(have, &a) == 0 && a >= b)
		return;
	fact_time_str(facts, key, s);
}

void
ti_answer(const struct indicator *ind, json_t *const rows[TI_NTABLES],
    const struct answer *const failed[TI_NTABLES], struct answer *a)
{
	json_t *types, *descs, *sources, *tags, *ids, *tables, *errors, *row;
	json_t *facts, *seen;
	struct ti_match m;
	const char *id;
	size_t i, n = 0, active = 0, t;
	double best = -1, best_any = -1;
	int unrated = 0, answered = 0;

	types = json_array();
	descs = json_array();
	sources = json_array();
	tags = json_array();
	ids = json_array();
	tables = json_array();
	errors = json_object();
	facts = json_object();
	for (t = 0; t < TI_NTABLES; t++) {
		if (rows[t] == NULL) {
			if (failed[t] != NULL)
				json_object_set_new(errors, table_names[t],
				    jx_string_lossy(failed[t]->message,
				    strlen(failed[t]->message)));
			continue;
		}
		answered++;
		json_array_append_new(tables, json_string(table_names[t]));
		seen = json_object();
		json_array_foreach(rows[t], i, row) {
			if (!matches(ind, (enum ti_table)t, row))
				continue;
			/* Rows come newest first; an indicator republished
			 * every week counts once, as its latest row. */
			id = jx_nstr(row, t == TI_INDICATORS ? "Id" :
			    "IndicatorId");
			if (id != NULL) {
				if (json_object_get(seen, id) != NULL)
					continue;
				json_object_set_new(seen, id, json_true());
			}
			m = read_row((enum ti_table)t, row, types, descs,
			    sources, tags, ids);
			n++;
			later_time(facts, "last_seen", jx_str(row,
			    "TimeGenerated"));
			later_time(facts, "valid_until", jx_str(row,
			    t == TI_INDICATORS ? "ValidUntil" :
			    "ExpirationDateTime"));
			if (m.has_confidence && m.confidence > best_any)
				best_any = m.confidence;
			if (!m.active)
				continue;
			active++;
			if (!m.has_confidence)
				unrated = 1;
			else if (m.confidence > best)
				best = m.confidence;
		}
		json_decref(seen);
	}
	if (answered == 0) {
		const struct answer *f = failed[0] != NULL ? failed[0] :
		    failed[1];

		if (f != NULL)
			answer_set(a, f->verdict, f->reason, "%s", f->message);
		else
			answer_set(a, V_ERROR, R_UPSTREAM, "workspace_ti: no "
			    "table answered");
	} else if (n == 0)
		answer_set(a, V_NOT_FOUND, NULL, NULL);
	else if (active == 0)
		answer_set(a, V_UNKNOWN, NULL, NULL);
	else if (unrated || best >= TI_MALICIOUS)
		answer_set(a, V_MALICIOUS, NULL, NULL);
	else
		answer_set(a, V_SUSPICIOUS, NULL, NULL);
	if (answered > 0) {
		json_object_set_new(facts, "matches",
		    json_integer((json_int_t)n));
		json_object_set_new(facts, "active", json_integer(
		    (json_int_t)active));
		if (best_any >= 0) {
			a->score = json_integer((json_int_t)(active > 0 &&
			    best >= 0 ? best : best_any));
			json_object_set(facts, "confidence", a->score);
		}
		if (json_array_size(types) > 0)
			json_object_set(facts, "threat_types", types);
		if (json_array_size(descs) > 0)
			fact_str(facts, "description",
			    json_string_value(json_array_get(descs, 0)));
		if (json_array_size(sources) > 0)
			json_object_set(facts, "sources", sources);
		if (json_array_size(tags) > 0)
			json_object_set(facts, "tags", tags);
		if (json_array_size(ids) > 0)
			json_object_set(facts, "indicator_ids", ids);
		json_object_set(facts, "tables", tables);
	}
	if (json_object_size(errors) > 0)
		json_object_set(facts, "table_errors", errors);
	json_decref(a->facts);
	a->facts = facts;
	json_decref(types);
	json_decref(descs);
	json_decref(sources);
	json_decref(tags);
	json_decref(ids);
	json_decref(tables);
	json_decref(errors);
}
