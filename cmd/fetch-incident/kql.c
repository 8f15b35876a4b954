/*
 * kql: incidents from the SecurityIncident and SecurityAlert tables, asked
 * of triage-kql so that the same code works on a live workspace and on a
 * local one.  The query goes to triage-kql as a JSON request on its stdin,
 * never in argv, and nothing from outside goes into the query text
 * unchecked: the incident reference was validated strictly by main, the
 * filter words come from fixed lists, and alert ids (data from the
 * incident row) must look like ids before they are quoted.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "fetch.h"
#include "incident.h"
#include "isotime.h"
#include "jsonx.h"
#include "log.h"
#include "paths.h"
#include "proc.h"
#include "term.h"

#ifndef PATH_MAX
#define PATH_MAX	4096
#endif

/* triage-kql waits up to 180 s for the service and retries; beyond this
 * something is wrong. */
#define KQL_DEADLINE_MS	(600L * 1000)

static const char *
kql_program(char *buf, size_t bufsz)
{
	const char *p = config_get("TRIAGE_KQL");

	if (p != NULL)
		return p;
	paths_program("triage-kql", buf, bufsz);
	return buf;
}

/* s (may be NULL) with control characters made '?', at most outsz-1
 * bytes: service text for a terminal. */
static void
safe_text(const char *s, char *out, size_t outsz)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < outsz; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	out[i] = '\0';
}

/* Relays the child's stderr as it is (its messages are already for
 * people), but with no control characters that could drive a terminal. */
static void
relay(const char *err)
{
	size_t n;

	if (err == NULL || *err == '\0')
		return;
	term_put_safe(stderr, err, 1);
	n = strlen(err);
	if (err[n - 1] != '\n')
		fputc('\n', stderr);
}

/*
 * Runs one query; returns triage-kql's --format json answer ({columns,
 * rows, truncated, partial_error}).  A failure ends the program with
 * triage-kql's own code.
 */
static json_t *
run_query(struct fetch *f, const char *query, int *status)
{
	char prog[PATH_MAX];
	const char *argv[] = { NULL, "--format", "json", NULL };
	struct proc_result res;
	json_t *req, *resp;
	json_error_t je;
	char *line, msg[512];
	int code;

	argv[0] = kql_program(prog, sizeof(prog));
	req = json_pack("{s:s}", "query", query);
	line = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (line == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	log_debug("kql: %s", query);
	{
		struct buf b;

		buf_init(&b);
		buf_adds(&b, line);
		buf_addc(&b, '\n');
		free(line);
		if (buf_failed(&b))
			cli_die(EXIT_FAIL, "out of memory");
		if (proc_run(argv, buf_str(&b), KQL_DEADLINE_MS, &res) != 0) {
			buf_release(&b);
			cli_die(EXIT_FAIL, "%s", res.error);
		}
		buf_release(&b);
	}
	if (res.status != 0) {
		relay(res.err);
		code = res.timed_out ? EXIT_UPSTREAM : res.status;
		/* Its "not found" is the workspace: configuration, and not
		 * to be taken for the incident's. */
		if (code == EXIT_NOTFOUND)
			code = EXIT_USAGE;
		if (res.timed_out)
			cli_warn("%s did not answer within %ld s", argv[0],
			    KQL_DEADLINE_MS / 1000);
		proc_result_release(&res);
		exit(code >= 1 && code <= EXIT_PARTIAL ? code : EXIT_FAIL);
	}
	if (res.err_len > 0)
		relay(res.err);
	resp = res.out_truncated ? NULL : json_loadb(res.out, res.out_len,
	    JSON_DISABLE_EOF_CHECK, &je);
	proc_result_release(&res);
	if (json_is_object(json_object_get(resp, "error"))) {
		/* A failed request answered in JSON: its code says why. */
		static const struct {
			const char *code;
			int exit;
		} codes[] = {
			{ "bad_query", EXIT_DATA },
			{ "bad_request", EXIT_DATA },
			{ "auth", EXIT_AUTH },
			{ "not_found", EXIT_USAGE },
			{ "upstream", EXIT_UPSTREAM },
		};
		const char *c = jx_path_str(resp, "error.code");
		size_t i;

		code = EXIT_FAIL;
		for (i = 0; c != NULL && i < sizeof(codes) / sizeof(codes[0]);
		    i++)
			if (strcmp(c, codes[i].code) == 0)
				code = codes[i].exit;
		safe_text(jx_path_str(resp, "error.message"), msg,
		    sizeof(msg));
		cli_warn("%s: %s", argv[0], msg[0] != '\0' ? msg :
		    "the query failed");
		json_decref(resp);
		exit(code);
	}
	if (!json_is_object(resp) ||
	    !json_is_array(json_object_get(resp, "rows")) ||
	    !json_is_array(json_object_get(resp, "columns"))) {
		json_decref(resp);
		cli_die(EXIT_FAIL, "%s: unexpected output (expected the "
		    "--format json object)", argv[0]);
	}
	if (jx_bool(resp, "truncated", 0)) {
		fetch_error(f, "data", NULL, "the KQL result was truncated; "
		    "some incidents or alerts may be missing");
		*status = EXIT_PARTIAL;
	}
	if (jx_str(resp, "partial_error") != NULL ||
	    json_is_object(json_object_get(resp, "partial_error"))) {
		fetch_error(f, "upstream", NULL, "the workspace answered in "
		    "part; some rows may be missing");
		*status = EXIT_PARTIAL;
	}
	return resp;
}

/* Only ids that look like ids are quoted into a query. */
static int
safe_id(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.' && s[i] != ':')
			return 0;
	return i > 0 && i <= 200;
}

static json_t *
normalise(struct fetch *f, json_t *parts)
{
	const char *source = config_get("TRIAGE_WORKSPACE") != NULL ?
	    "local" : "kql";
	json_t *out;
	char err[256];

	out = incident_normalise(parts, source, f->warnings, err, sizeof(err));
	if (out == NULL)
		cli_die(EXIT_FAIL, "triage-kql's rows: %s", err);
	return out;
}

/*
 * How far back to look for an incident's alerts.  An incident's newest row
 * may be recent while its alerts are as old as the incident: the window
 * reaches back to its creation or first activity, whichever is earlier,
 * with a day to spare, and never less than the lookback and a week (the
 * margin the spec's example query gives alerts that predate the update).
 * Whole days, so the query reads plainly.
 */
static int64_t
alert_span(const struct fetch *f, const json_t *inc)
{
	static const char *const keys[] = { "created", "first_activity",
	    NULL };
	int64_t span = f->lookback + 7 * TICKS_PER_DAY, t, back;
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		if (jx_str(inc, keys[i]) == NULL ||
		    incident_time_parse(jx_str(inc, keys[i]), &t) != 0 ||
		    t >= f->now)
			continue;
		back = ((f->now - t) / TICKS_PER_DAY + 2) * TICKS_PER_DAY;
		if (back > span)
			span = back;
	}
	return span;
}

json_t *
kql_fetch(struct fetch *f, int *status)
{
	json_t *parts, *inc, *out, *ids, *alerts;
	struct buf q;
	char window[32];
	const char *id;
	size_t i, j, n = 0;
	int64_t span;

	incident_duration_kql(f->lookback, window, sizeof(window));
	buf_init(&q);
	buf_printf(&q, "SecurityIncident\n| where TimeGenerated > ago(%s)\n",
	    window);
	if (f->ref_kind == 1)
		buf_printf(&q, "| where IncidentNumber == %lld\n"
		    "| summarize arg_max(TimeGenerated, *) by IncidentNumber",
		    f->number);
	else
		buf_printf(&q, "| where IncidentName =~ \"%s\"\n"
		    "| summarize arg_max(TimeGenerated, *) by IncidentName",
		    f->ref);
	if (buf_failed(&q))
		cli_die(EXIT_FAIL, "out of memory");
	parts = json_array();
	json_array_append(f->keep, parts);
	inc = run_query(f, buf_str(&q), status);
	json_array_append_new(parts, inc);
	buf_release(&q);
	if (json_array_size(json_object_get(inc, "rows")) == 0)
		cli_die(EXIT_NOTFOUND, "incident %s not found in "
		    "SecurityIncident over %s", f->ref, fetch_window(f));

	/* The incident's alerts, by the ids its newest row lists. */
	out = normalise(f, parts);
	json_array_append(f->keep, out);
	ids = json_object_get(json_array_get(out, 0), "alert_ids");
	span = alert_span(f, json_array_get(out, 0));
	incident_duration_kql(span, window, sizeof(window));
	buf_init(&q);
	buf_printf(&q, "SecurityAlert\n| where TimeGenerated > ago(%s)\n"
	    "| where SystemAlertId in (", window);
	for (i = 0; i < json_array_size(ids); i++) {
		id = json_string_value(json_array_get(ids, i));
		if (!safe_id(id)) {
			char snip[64];

			for (j = 0; id[j] != '\0' && j < sizeof(snip) - 1; j++)
				snip[j] = isprint((unsigned char)id[j]) ?
				    id[j] : '?';
			snip[j] = '\0';
			fetch_error(f, "data", json_pack("{s:s}", "alert_id",
			    id), "alert id '%s' of incident %s has unexpected "
			    "characters; not queried", snip, f->ref);
			*status = EXIT_PARTIAL;
			continue;
		}
		buf_printf(&q, "%s\"%s\"", n++ > 0 ? ", " : "", id);
	}
	buf_adds(&q, ")\n| summarize arg_max(TimeGenerated, *) by "
	    "SystemAlertId");
	if (buf_failed(&q))
		cli_die(EXIT_FAIL, "out of memory");
	if (n > 0) {
		json_array_clear(f->warnings);
		json_array_append_new(parts, run_query(f, buf_str(&q),
		    status));
		json_decref(out);
		out = normalise(f, parts);
	}
	buf_release(&q);
	json_decref(parts);

	/* Say which alerts the tables did not have. */
	inc = json_array_get(out, 0);
	alerts = json_object_get(inc, "alerts");
	ids = json_object_get(inc, "alert_ids");
	for (i = 0; i < json_array_size(ids); i++) {
		id = json_string_value(json_array_get(ids, i));
		for (j = 0; j < json_array_size(alerts); j++)
			if (jx_str(json_array_get(alerts, j), "id") != NULL &&
			    strcmp(jx_str(json_array_get(alerts, j), "id"),
			    id) == 0)
				break;
		if (j < json_array_size(alerts) || !safe_id(id))
			continue;
		fetch_error(f, "not_found", json_pack("{s:O,s:s}", "incident",
		    json_object_get(inc, "number"), "alert_id", id),
		    "alert %s of incident %s not found in SecurityAlert over "
		    "%s", id, f->ref, fetch_span(span));
		*status = EXIT_PARTIAL;
	}
	return out;
}

json_t *
kql_list(struct fetch *f, int *status)
{
	static const char *const statuses[] = { "New", "Active", "Closed",
	    NULL };
	static const char *const severities[] = { "Informational", "Low",
	    "Medium", "High", "Critical", NULL };
	json_t *resp;
	struct buf q;
	char window[32], since[32];
	const char *const *words;
	const char *list;
	size_t i, n;
	int pass;

	incident_duration_kql(f->now - fetch_list_start(f), window,
	    sizeof(window));
	buf_init(&q);
	buf_printf(&q, "SecurityIncident\n| where TimeGenerated > ago(%s)\n"
	    "| summarize arg_max(TimeGenerated, *) by IncidentNumber", window);
	/* The filters again in KQL, so less comes back; the words are
	 * ours (from the fixed lists), never the user's text. */
	for (pass = 0; pass < 2; pass++) {
		list = pass == 0 ? f->filter.status : f->filter.severity;
		words = pass == 0 ? statuses : severities;
		if (list == NULL)
			continue;
		buf_printf(&q, "\n| where %s in (", pass == 0 ? "Status" :
		    "Severity");
		for (i = 0, n = 0; words[i] != NULL; i++)
			if (incident_in_list(list, words[i]))
				buf_printf(&q, "%s\"%s\"", n++ > 0 ? ", " : "",
				    words[i]);
		buf_addc(&q, ')');
	}
	if (f->filter.since != 0) {
		incident_duration_kql(f->now - f->filter.since, since,
		    sizeof(since));
		buf_printf(&q, "\n| where CreatedTime > ago(%s)", since);
	}
	if (buf_failed(&q))
		cli_die(EXIT_FAIL, "out of memory");
	resp = run_query(f, buf_str(&q), status);
	json_array_append_new(f->keep, resp);
	buf_release(&q);
	return normalise(f, resp);
}
