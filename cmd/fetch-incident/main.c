/*
 * fetch-incident: get a Microsoft Sentinel incident with its alerts and
 * entities and write it as one "incident" record, the first stage of every
 * triage.  From KQL (live or a local workspace, through triage-kql), from
 * Microsoft Graph or the Sentinel REST API, or from an export in any form
 * people have.  With --list, write the queue: one "incident_summary" per
 * incident, most severe and newest first.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "config.h"
#include "fetch.h"
#include "file.h"
#include "incident.h"
#include "isotime.h"
#include "jsonx.h"
#include "log.h"
#include "ndjson.h"

/* An export larger than this is refused rather than read. */
#define MAX_EXPORT	((size_t)512 << 20)

static const char synopsis[] =
"triage-fetch-incident [-s kql | graph | sentinel]\n"
"           [--lookback DURATION] NUMBER | GUID\n"
"       triage-fetch-incident -j FILE | --stdin [NUMBER | GUID]\n"
"       triage-fetch-incident -l [-s SOURCE | -j FILE | --stdin]\n"
"           [--status LIST] [--severity LIST] [--owner WHO]\n"
"           [--since DURATION] [--lookback DURATION]";

static const char help_text[] =
"usage: triage-fetch-incident [-s kql | graph | sentinel]\n"
"           [--lookback DURATION] NUMBER | GUID\n"
"       triage-fetch-incident -j FILE | --stdin [NUMBER | GUID]\n"
"       triage-fetch-incident -l [-s SOURCE | -j FILE | --stdin]\n"
"           [--status LIST] [--severity LIST] [--owner WHO]\n"
"           [--since DURATION] [--lookback DURATION]\n"
"\n"
"Fetch a Microsoft Sentinel incident with its alerts and entities and write\n"
"it as one \"incident\" record (a line of JSON) on stdout.  Entities are\n"
"resolved, merged across alerts and flagged (RID-500 accounts, public IPs,\n"
"encoded PowerShell, ...).  With --list, write one \"incident_summary\" per\n"
"incident instead, most severe first, then newest.\n"
"\n"
"  -s, --source SOURCE     where to fetch from: kql (the default: the\n"
"                          SecurityIncident and SecurityAlert tables through\n"
"                          triage-kql, live or a local workspace), graph\n"
"                          (Microsoft Graph security incidents) or sentinel\n"
"                          (the Sentinel REST API)\n"
"  -j, --json FILE         read an exported incident instead: Sentinel REST\n"
"                          or Graph JSON, Log Analytics rows as JSON, NDJSON\n"
"                          or CSV, or an incident record (- is stdin); every\n"
"                          incident in it is written unless one is named\n"
"      --stdin             read the export from stdin (as does a lone -)\n"
"  -l, --list              write the queue instead of one incident\n"
"      --status LIST       only these statuses: New, Active, Closed\n"
"                          (comma-separated)\n"
"      --severity LIST     only these severities: Informational, Low,\n"
"                          Medium, High (comma-separated)\n"
"      --owner WHO         only incidents owned by WHO (part of a name or\n"
"                          address), or by nobody: unassigned\n"
"      --since DURATION    only incidents created in the last DURATION\n"
"      --lookback DURATION how far back to search (default 90d)\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"A DURATION is a number with s, m, h, d or w (36h, 7d) or ISO-8601 (P7D).\n"
"\n"
"Environment: TRIAGE_KQL (the KQL program, default triage-kql beside this\n"
"one), TRIAGE_GRAPH_URL, TRIAGE_ARM_URL, AZURE_SUBSCRIPTION_ID,\n"
"SENTINEL_RESOURCE_GROUP, SENTINEL_WORKSPACE_NAME,\n"
"TRIAGE_SENTINEL_API_VERSION, TRIAGE_NOW, and the Azure credentials as for\n"
"triage-kql.\n"
"\n"
"Exit status: 0 done, 2 usage, 3 malformed export, 4 service failure,\n"
"5 credentials, 6 no such incident, 7 written with gaps (see the error\n"
"records).\n";

enum source {
	SOURCE_KQL,
	SOURCE_GRAPH,
	SOURCE_SENTINEL
};

void
fetch_error(struct fetch *f, const char *code, json_t *concerns,
    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(f->errors, jx_error_record("fetch-incident",
	    code, msg, concerns));
}

int64_t
fetch_list_start(const struct fetch *f)
{
	if (f->filter.since != 0)
		return f->filter.since;
	return f->now - f->lookback;
}

const char *
fetch_window(const struct fetch *f)
{
	return fetch_span(f->lookback);
}

const char *
fetch_span(int64_t ticks)
{
	static const struct {
		long long secs;
		const char *unit;
	} units[] = {
		{ 86400, "day" }, { 3600, "hour" }, { 60, "minute" },
		{ 1, "second" }
	};
	static char text[64];
	long long s = (long long)(ticks / TICKS_PER_SEC), n;
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1; i++)
		if (s % units[i].secs == 0)
			break;
	n = s / units[i].secs;
	snprintf(text, sizeof(text), "the last %lld %s%s", n, units[i].unit,
	    n == 1 ? "" : "s");
	return text;
}

/* Hostile text made fit for a message: at most 60 bytes, no controls. */
static const char *
snip(const char *s)
{
	static char out[64];
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < sizeof(out); i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	out[i] = '\0';
	return out;
}

/* Every comma-separated word of list must be one of allowed. */
static void
check_list(const char *opt, const char *list, const char *const allowed[])
{
	const char *p = list, *c;
	size_t n, i;

	for (;;) {
		while (*p == ' ')
			p++;
		c = strchr(p, ',');
		n = c != NULL ? (size_t)(c - p) : strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		for (i = 0; allowed[i] != NULL; i++)
			if (strlen(allowed[i]) == n &&
			    strncasecmp(p, allowed[i], n) == 0)
				break;
		if (allowed[i] == NULL)
			cli_die(EXIT_USAGE, "%s: '%s' is not one of %s", opt,
			    snip(list), strcmp(opt, "--status") == 0 ?
			    "New, Active, Closed" :
			    "Informational, Low, Medium, High");
		if (c == NULL)
			return;
		p = c + 1;
	}
}

static void
print_warnings(const json_t *warnings, const char *where)
{
	size_t i;

	for (i = 0; i < json_array_size(warnings); i++) {
		if (where != NULL)
			log_warn("%s: %s", where, json_string_value(
			    json_array_get(warnings, i)));
		else
			log_warn("%s", json_string_value(
			    json_array_get(warnings, i)));
	}
}

/* The incidents of an export file (or stdin). */
static json_t *
read_export(const char *path, struct fetch *f)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct stat sb;
	json_t *v, *incidents;
	char err[512], *data;
	size_t len;

	/* Reading a directory fails with EIO on some systems: say what. */
	if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
	    S_ISDIR(sb.st_mode))
		cli_die(EXIT_FAIL, "%s: %s", snip(name), strerror(EISDIR));
	if (file_read(path, MAX_EXPORT, &data, &len) != 0) {
		if (errno == EFBIG)
			cli_die(EXIT_DATA, "%s: larger than %zu MiB",
			    snip(name), MAX_EXPORT >> 20);
		cli_die(EXIT_FAIL, "%s: %s", snip(name), strerror(errno));
	}
	v = incident_parse_text(data, len, name, err, sizeof(err));
	free(data);
	if (v == NULL)
		cli_die(EXIT_DATA, "%s", err);
	incidents = incident_normalise(v, "json", f->warnings, err,
	    sizeof(err));
	json_decref(v);
	if (incidents == NULL)
		cli_die(EXIT_DATA, "%s: %s", snip(name), err);
	print_warnings(f->warnings, name);
	json_array_clear(f->warnings);
	return incidents;
}

static int
write_list(json_t *incidents, const struct fetch *f)
{
	json_t *sums = json_array(), *s;
	size_t i;
	int rc = EXIT_OK;

	for (i = 0; i < json_array_size(incidents); i++) {
		s = incident_summary(json_array_get(incidents, i));
		if (incident_filter_match(s, &f->filter))
			json_array_append(sums, s);
		json_decref(s);
	}
	incident_sort_summaries(sums);
	for (i = 0; i < json_array_size(sums) && rc == EXIT_OK; i++)
		if (ndjson_write(stdout, json_array_get(sums, i)) != 0)
			rc = EXIT_FAIL;
	json_decref(sums);
	return rc;
}

static int
write_records(const json_t *recs)
{
	size_t i;

	for (i = 0; i < json_array_size(recs); i++)
		if (ndjson_write(stdout, json_array_get(recs, i)) != 0)
			return EXIT_FAIL;
	return EXIT_OK;
}

static int64_t
duration_opt(const char *opt, const char *s)
{
	int64_t t;

	if (incident_duration_parse(s, &t) != 0)
		cli_die(EXIT_USAGE, "%s: '%s' is not a duration (36h, 7d, "
		    "P7D)", opt, snip(s));
	return t;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",     no_argument,       NULL, 'h' },
		{ "version",  no_argument,       NULL, 'V' },
		{ "source",   required_argument, NULL, 's' },
		{ "json",     required_argument, NULL, 'j' },
		{ "stdin",    no_argument,       NULL, 'I' },
		{ "list",     no_argument,       NULL, 'l' },
		{ "status",   required_argument, NULL, 'S' },
		{ "severity", required_argument, NULL, 'E' },
		{ "owner",    required_argument, NULL, 'O' },
		{ "since",    required_argument, NULL, 'N' },
		{ "lookback", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const statuses[] = { "New", "Active", "Closed",
	    NULL };
	static const char *const severities[] = { "Informational", "Low",
	    "Medium", "High", "Critical", NULL };
	enum source source = SOURCE_KQL;
	const char *export = NULL, *now;
	int c, list = 0, have_source = 0, status = EXIT_OK, rc;
	int64_t since = 0;
	struct fetch f;
	json_t *incidents, *one;
	size_t i;

	cli_init(argc, argv);
	memset(&f, 0, sizeof(f));
	f.lookback = 90 * TICKS_PER_DAY;
	while ((c = getopt_long(argc, argv, "hVs:j:l", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 's':
			if (strcmp(optarg, "kql") == 0)
				source = SOURCE_KQL;
			else if (strcmp(optarg, "graph") == 0)
				source = SOURCE_GRAPH;
			else if (strcmp(optarg, "sentinel") == 0)
				source = SOURCE_SENTINEL;
			else
				cli_die(EXIT_USAGE, "--source: '%s' is not "
				    "kql, graph or sentinel", snip(optarg));
			have_source = 1;
			break;
		case 'j':
			export = optarg;
			break;
		case 'I':
			export = "-";
			break;
		case 'l':
			list = 1;
			break;
		case 'S':
			check_list("--status", optarg, statuses);
			f.filter.status = optarg;
			break;
		case 'E':
			check_list("--severity", optarg, severities);
			f.filter.severity = optarg;
			break;
		case 'O':
			if (*optarg == '\0')
				cli_die(EXIT_USAGE, "--owner: empty");
			f.filter.owner = optarg;
			break;
		case 'N':
			since = duration_opt("--since", optarg);
			break;
		case 'L':
			f.lookback = duration_opt("--lookback", optarg);
			break;
		default:
			cli_usage(synopsis);
		}
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "-") == 0 && export == NULL)
			export = "-";
		else if (f.ref == NULL)
			f.ref = argv[i];
		else {
			char first[64];

			snprintf(first, sizeof(first), "%s", snip(f.ref));
			cli_warn("'%s' and '%s': one incident at a time",
			    first, snip(argv[i]));
			cli_usage(synopsis);
		}
	}
	if (export != NULL && have_source)
		cli_die(EXIT_USAGE, "--source and an export (--json, --stdin) "
		    "exclude each other");
	if (list && f.ref != NULL)
		cli_die(EXIT_USAGE, "--list takes no incident");
	if (!list && export == NULL && f.ref == NULL) {
		cli_warn("no incident named (a NUMBER or GUID, --json FILE, "
		    "--stdin or --list)");
		cli_usage(synopsis);
	}
	if (!list && (f.filter.status != NULL || f.filter.severity != NULL ||
	    f.filter.owner != NULL || since != 0))
		cli_die(EXIT_USAGE, "--status, --severity, --owner and --since "
		    "go with --list");
	if (f.ref != NULL) {
		/* Nothing else may reach a query or a URL. */
		f.ref_kind = incident_ref_parse(f.ref, &f.number);
		if (f.ref_kind == 0)
			cli_die(EXIT_USAGE, "'%s' is not an incident number or "
			    "GUID", snip(f.ref));
	}
	now = config_get("TRIAGE_NOW");
	if (now != NULL) {
		if (incident_time_parse(now, &f.now) != 0)
			cli_die(EXIT_USAGE, "TRIAGE_NOW: '%s' is not a time",
			    snip(now));
	} else
		f.now = iso_now();
	if (since != 0)
		f.filter.since = f.now - since;
	f.warnings = json_array();
	f.errors = json_array();
	f.keep = json_array();

	if (export != NULL)
		incidents = read_export(export, &f);
	else if (list)
		incidents = source == SOURCE_GRAPH ? graph_list(&f, &status) :
		    source == SOURCE_SENTINEL ? sentinel_list(&f, &status) :
		    kql_list(&f, &status);
	else
		incidents = source == SOURCE_GRAPH ? graph_fetch(&f, &status) :
		    source == SOURCE_SENTINEL ? sentinel_fetch(&f, &status) :
		    kql_fetch(&f, &status);
	json_array_append(f.keep, incidents);
	print_warnings(f.warnings, NULL);

	if (list) {
		rc = write_list(incidents, &f);
	} else if (export != NULL && f.ref != NULL) {
		one = incident_find(incidents, f.ref);
		if (one == NULL)
			cli_die(EXIT_NOTFOUND, "incident %s is not in %s",
			    f.ref, strcmp(export, "-") == 0 ? "<stdin>" :
			    snip(export));
		rc = ndjson_write(stdout, one) == 0 ? EXIT_OK : EXIT_FAIL;
	} else if (json_array_size(incidents) == 0) {
		if (export != NULL)
			cli_die(EXIT_NOTFOUND, "%s: no incident in it",
			    strcmp(export, "-") == 0 ? "<stdin>" :
			    snip(export));
		cli_die(EXIT_NOTFOUND, "incident %s not found in %s", f.ref,
		    fetch_window(&f));
	} else
		rc = write_records(incidents);
	if (rc == EXIT_OK)
		rc = write_records(f.errors);
	if (rc == EXIT_OK)
		rc = status;
	json_decref(incidents);
	json_decref(f.errors);
	json_decref(f.warnings);
	json_decref(f.keep);
	return cli_exit(rc);
}
