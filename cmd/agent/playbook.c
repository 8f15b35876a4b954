/*
 * playbook: the standard investigation without a model, with the same
 * tools the model has.  In two rounds of concurrent tool calls:
 *
 *   1. for each host in the incident, the process, network and file
 *      events in the incident's window (an hour either side);
 *   2. every indicator enriched (the incident's public IPs, hashes, URLs
 *      and domains, the public addresses the hosts talked to, the files
 *      the suspicious processes wrote, the URLs in their command lines),
 *      and every technique looked up.
 *
 * Then the brief by documented rules (triage-agent(1)): parent-to-child
 * process chains rebuilt from the events, techniques from the alerts plus
 * the command-line rules, a verdict that says true_positive only when
 * threat intelligence calls something malicious and otherwise leaves the
 * judgment of intent to a person, and templated actions.  The queries are
 * plain KQL (where, project, order by, take) so the local workspace's
 * translator runs them as Log Analytics does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent.h"
#include "buf.h"
#include "escape.h"
#include "incident.h"
#include "ioc.h"
#include "isotime.h"
#include "jsonx.h"
#include "playbook.h"

#define MAX_HOSTS	4
#define MAX_INDICATORS	25
#define MAX_TECHNIQUES	15
#define MAX_TIMELINE	40
#define WINDOW_PAD	(3600LL * TICKS_PER_SEC)

/* A KQL result: {columns:[{name,type}], rows:[[...]]}. */
struct table {
	json_t	*root;		/* NULL when the query failed */
	json_t	*cols;
	json_t	*rows;
};

struct host {
	char		*name;		/* as the entity names it */
	struct table	 proc, net, file;
};

struct pb {
	struct session	*s;
	const json_t	*inc;
	char		 start[48], end[48];
	struct host	 hosts[MAX_HOSTS];
	size_t		 nhosts;
	json_t		*gaps;		/* strings */
	json_t		*indicators;	/* [{kind, value, source}] */
	json_t		*urls;		/* from command lines */
	json_t		*observed;	/* {technique: evidence} */
	unsigned	 hits;		/* every rule that fired */
	json_t		*chain;
	json_t		*timeline;
	json_t		*anomalies;
	json_t		*downloads;	/* [{path, sha256, host}] */
	int		 privileged;	/* a flagged account */
	const char	*priv_account;
};

char *
kql_quote(const char *s)
{
	struct buf b;

	buf_init(&b);
	buf_addc(&b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '\'')
			buf_addc(&b, '\\');
		if ((unsigned char)*s < 0x20)
			buf_printf(&b, "\\u%04x", (unsigned char)*s);
		else
			buf_addc(&b, *s);
	}
	buf_addc(&b, '\'');
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* --- tables ---------------------------------------------------------- */

static void
table_load(struct table *t, const char *out, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->root = json_loadb(out, len, JSON_DISABLE_EOF_CHECK, NULL);
	t->cols = json_object_get(t->root, "columns");
	t->rows = json_object_get(t->root, "rows");
	if (!json_is_array(t->cols) || !json_is_array(t->rows)) {
		json_decref(t->root);
		memset(t, 0, sizeof(*t));
	}
}

static int
col(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < json_array_size(t->cols); i++)
		if (jx_str(json_array_get(t->cols, i), "name") != NULL &&
		    strcasecmp(jx_str(json_array_get(t->cols, i), "name"),
		    name) == 0)
			return (int)i;
	return -1;
}

static const char *
cstr(const struct table *t, size_t row, const char *name)
{
	int c = col(t, name);
	const json_t *v;

	if (c < 0)
		return NULL;
	v = json_array_get(json_array_get(t->rows, row), (size_t)c);
	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

static long long
cint(const struct table *t, size_t row, const char *name)
{
	int c = col(t, name);
	const json_t *v;

	if (c < 0)
		return -1;
	v = json_array_get(json_array_get(t->rows, row), (size_t)c);
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	return -1;
}

static size_t
nrows(const struct table *t)
{
	return json_array_size(t->rows);
}

/* --- small helpers ---------------------------------------------------- */

static void
gap(struct pb *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
gap(struct pb *p, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (i = 0; i < json_array_size(p->gaps); i++)
		if (strcmp(json_string_value(json_array_get(p->gaps, i)),
		    line) == 0)
			return;
	json_array_append_new(p->gaps, jx_string_lossy(line, strlen(line)));
}

static void
add_indicator(struct pb *p, const char *kind, const char *value,
    const char *source)
{
	char norm[2048];
	enum ioc_kind k;
	size_t i;

	if (value == NULL || value[0] == '\0')
		return;
	k = ioc_normalise(value, norm, sizeof(norm));
	if (k == IOC_NONE)
		return;
	if (strcmp(kind, "ip") == 0 && ioc_ip_is_public(norm, NULL) != 1)
		return;
	if (strcmp(kind, "hash") == 0 && k != IOC_MD5 && k != IOC_SHA1 &&
	    k != IOC_SHA256)
		return;
	if (strcmp(kind, "domain") == 0 && k != IOC_DOMAIN)
		return;
	if (strcmp(kind, "url") == 0 && k != IOC_URL)
		return;
	for (i = 0; i < json_array_size(p->indicators); i++)
		if (strcasecmp(jx_str(json_array_get(p->indicators, i),
		    "value"), norm) == 0)
			return;
	if (json_array_size(p->indicators) >= MAX_INDICATORS) {
		gap(p, "more than %d indicators: the rest were not enriched",
		    MAX_INDICATORS);
		return;
	}
	json_array_append_new(p->indicators, json_pack("{s:s,s:s,s:s}",
	    "kind", kind, "value", norm, "source", source));
}

/* The worst verdict any provider gave an indicator, and a summary. */
static const char *
ti_verdict(const struct pb *p, const char *value, struct buf *summary)
{
	static const char *const order[] = {
		"malicious", "suspicious", "clean", "unknown", "not_found",
		"error", "not_configured", "skipped", NULL
	};
	const json_t *e;
	const char *v, *best = NULL;
	size_t i, k, rank = 99;

	for (i = 0; i < json_array_size(p->s->enrichments); i++) {
		e = json_array_get(p->s->enrichments, i);
		if (jx_path_str(e, "indicator.value") == NULL ||
		    strcasecmp(jx_path_str(e, "indicator.value"), value) != 0)
			continue;
		v = jx_str(e, "verdict");
		if (v == NULL)
			continue;
		if (summary != NULL)
			buf_printf(summary, "%s%s: %s", summary->len > 0 ?
			    "; " : "", jx_str(e, "provider") != NULL ?
			    jx_str(e, "provider") : "?", v);
		for (k = 0; order[k] != NULL; k++)
			if (strcmp(order[k], v) == 0 && k < rank) {
				rank = k;
				best = order[k];
			}
	}
	return best;
}

static const char *
short_time(const char *iso, char *out, size_t outsz)
{
	int64_t t;

	if (iso == NULL || iso_parse(iso, &t) == -1)
		return iso;
	return iso_format(t, out, outsz, -1);
}

/* --- round 1: the events ---------------------------------------------- */

static void
window(struct pb *p)
{
	const json_t *a, *alerts = json_object_get(p->inc, "alerts");
	int64_t lo = 0, hi = 0, t;
	const char *keys[] = { "first_activity", "last_activity", "start",
	    "end", "created" };
	size_t i, k;

	for (k = 0; k < 2; k++) {
		if (iso_parse(jx_str(p->inc, keys[k]) != NULL ?
		    jx_str(p->inc, keys[k]) : "", &t) == 0) {
			lo = lo == 0 || t < lo ? t : lo;
			hi = t > hi ? t : hi;
		}
	}
	for (i = 0; i < json_array_size(alerts); i++) {
		a = json_array_get(alerts, i);
		for (k = 2; k < 4; k++)
			if (jx_str(a, keys[k]) != NULL &&
			    iso_parse(jx_str(a, keys[k]), &t) == 0) {
				lo = lo == 0 || t < lo ? t : lo;
				hi = t > hi ? t : hi;
			}
	}
	if (lo == 0 && jx_str(p->inc, "created") != NULL &&
	    iso_parse(jx_str(p->inc, "created"), &t) == 0) {
		lo = t - 24 * 3600LL * TICKS_PER_SEC;
		hi = t;
	}
	if (lo == 0) {
		hi = iso_now();
		lo = hi - 7 * TICKS_PER_DAY;
		gap(p, "the incident carries no times: the last 7 days were "
		    "searched");
	}
	iso_format(lo - WINDOW_PAD, p->start, sizeof(p->start), 0);
	iso_format(hi + WINDOW_PAD, p->end, sizeof(p->end), 0);
}

static void
find_hosts(struct pb *p)
{
	const json_t *ents = json_object_get(p->inc, "entities"), *e;
	const char *name;
	size_t i, k;

	for (i = 0; i < json_array_size(ents); i++) {
		e = json_array_get(ents, i);
		if (jx_str(e, "kind") == NULL ||
		    strcmp(jx_str(e, "kind"), "host") != 0)
			continue;
		name = jx_nstr(e, "hostname");
		if (name == NULL)
			name = jx_nstr(e, "netbios_name");
		if (name == NULL)
			name = jx_nstr(e, "fqdn");
		if (name == NULL)
			continue;
		for (k = 0; k < p->nhosts; k++)
			if (strcasecmp(p->hosts[k].name, name) == 0)
				break;
		if (k < p->nhosts)
			continue;
		if (p->nhosts == MAX_HOSTS) {
			gap(p, "more than %d hosts: only the first %d were "
			    "examined", MAX_HOSTS, MAX_HOSTS);
			break;
		}
		p->hosts[p->nhosts++].name = strdup(name);
	}
	if (p->nhosts == 0)
		gap(p, "the incident names no host: process, network and "
		    "file events were not examined");
}

static const char *const proc_cols =
    "TimeGenerated, DeviceName, AccountName, AccountDomain, FileName, "
    "FolderPath, ProcessId, ProcessCommandLine, SHA256, "
    "InitiatingProcessFileName, InitiatingProcessId, "
    "InitiatingProcessCommandLine, InitiatingProcessParentFileName, "
    "InitiatingProcessParentId";
static const char *const net_cols =
    "TimeGenerated, DeviceName, ActionType, RemoteIP, RemotePort, "
    "RemoteUrl, Protocol, InitiatingProcessFileName, "
    "InitiatingProcessId, InitiatingProcessCommandLine";
static const char *const file_cols =
    "TimeGenerated, DeviceName, ActionType, FileName, FolderPath, SHA256, "
    "InitiatingProcessFileName, InitiatingProcessId, "
    "InitiatingProcessCommandLine";

static json_t *
query(const struct pb *p, const char *table, const char *host,
    const char *cols)
{
	char *h, *hdot, dotted[600];
	struct buf q;
	json_t *in;

	h = kql_quote(host);
	snprintf(dotted, sizeof(dotted), "%s.", host);
	hdot = kql_quote(dotted);
	buf_init(&q);
	buf_printf(&q, "%s\n| where TimeGenerated between (datetime(%s) .. "
	    "datetime(%s))\n| where DeviceName =~ %s or DeviceName startswith "
	    "%s\n| project %s\n| order by TimeGenerated asc\n| take 500",
	    table, p->start, p->end, h != NULL ? h : "''",
	    hdot != NULL ? hdot : "''", cols);
	in = json_pack("{s:s,s:s,s:i}", "query", buf_str(&q), "timespan",
	    "", "max_rows", 500);
	if (in != NULL) {
		char span[100];

		snprintf(span, sizeof(span), "%s/%s", p->start, p->end);
		json_object_set_new(in, "timespan", json_string(span));
	}
	buf_release(&q);
	free(h);
	free(hdot);
	return in;
}

static void
next_id(struct session *s, char *out, size_t outsz)
{
	snprintf(out, outsz, "playbook_%ld", ++s->next_call);
}

static void
round_events(struct pb *p)
{
	static const char *const tables[] = { "DeviceProcessEvents",
	    "DeviceNetworkEvents", "DeviceFileEvents" };
	const char *const cols[] = { proc_cols, net_cols, file_cols };
	struct call calls[MAX_HOSTS * 3];
	json_t *inputs[MAX_HOSTS * 3];
	char ids[MAX_HOSTS * 3][32];
	size_t i, k, n = 0;

	if (p->nhosts == 0)
		return;
	memset(calls, 0, sizeof(calls));
	for (i = 0; i < p->nhosts; i++)
		for (k = 0; k < 3; k++) {
			next_id(p->s, ids[n], sizeof(ids[n]));
			inputs[n] = query(p, tables[k], p->hosts[i].name,
			    cols[k]);
			calls[n].id = ids[n];
			calls[n].name = "run_kql_query";
			calls[n].input = inputs[n];
			calls[n].input_error = "out of memory";
			n++;
		}
	exec_calls(p->s, 1, calls, n);
	for (n = 0, i = 0; i < p->nhosts; i++)
		for (k = 0; k < 3; k++, n++) {
			struct host *h = &p->hosts[i];
			struct table *t = k == 0 ? &h->proc : k == 1 ?
			    &h->net : &h->file;

			if (calls[n].is_error || calls[n].out == NULL) {
				gap(p, "%s on %s could not be queried: %s",
				    tables[k], h->name, calls[n].content);
			} else {
				table_load(t, calls[n].out, calls[n].out_len);
				if (t->root == NULL)
					gap(p, "%s on %s: the result could not "
					    "be read", tables[k], h->name);
				else if (nrows(t) == 0)
					gap(p, "no %s rows for %s between %s "
					    "and %s", tables[k], h->name,
					    p->start, p->end);
			}
			call_release(&calls[n]);
			json_decref(inputs[n]);
		}
}

/* --- analysis ---------------------------------------------------------- */

static void
observe(struct pb *p, const char *technique, const char *evidence)
{
	if (technique == NULL || json_object_get(p->observed, technique))
		return;
	json_object_set_new(p->observed, technique,
	    jx_string_lossy(evidence, strlen(evidence)));
}

/* The row that started a process: same host, its pid, created before. */
static long
parent_row(const struct table *t, size_t child)
{
	long long ppid = cint(t, child, "InitiatingProcessId");
	const char *pimg = cstr(t, child, "InitiatingProcessFileName");
	const char *ctime = cstr(t, child, "TimeGenerated");
	long best = -1;
	size_t i;

	if (ppid < 0)
		return -1;
	for (i = 0; i < nrows(t); i++) {
		if (i == child || cint(t, i, "ProcessId") != ppid)
			continue;
		if (pimg != NULL && cstr(t, i, "FileName") != NULL &&
		    strcasecmp(pimg, cstr(t, i, "FileName")) != 0)
			continue;
		if (ctime != NULL && cstr(t, i, "TimeGenerated") != NULL &&
		    strcmp(cstr(t, i, "TimeGenerated"), ctime) > 0)
			continue;
		best = (long)i;	/* rows are in time order: the latest */
	}
	return best;
}

static json_t *
chain_node(int depth, const char *process, long long pid, const char *cmd,
    const char *time, const char *host, const char *note)
{
	json_t *n = json_pack("{s:i,s:s}", "depth", depth, "process",
	    process != NULL ? process : "(unknown)");

	json_object_set_new(n, "pid", pid >= 0 ? json_integer(pid) :
	    json_null());
	json_object_set_new(n, "command_line", cmd != NULL ?
	    jx_string_lossy(cmd, strlen(cmd)) : json_null());
	jx_set_str(n, "time", time);
	jx_set_str(n, "host", host);
	jx_set_str(n, "note", note);
	return n;
}

static void
note_of(unsigned hits, char *out, size_t outsz)
{
	struct buf b;

	buf_init(&b);
	rules_describe(hits, &b);
	snprintf(out, outsz, "%s", buf_str(&b));
	buf_release(&b);
}

/* The chain from the root to a suspicious process, then its children. */
static void
build_chain(struct pb *p, struct host *h, size_t leaf, unsigned hits)
{
	const struct table *t = &h->proc;
	long up[16];
	size_t n = 0, i;
	long r;
	int depth = 0;
	char note[512];
	const char *img;

	for (r = (long)leaf; r >= 0 && n < 16; r = parent_row(t, (size_t)r)) {
		for (i = 0; i < n; i++)
			if (up[i] == r)
				break;
		if (i < n)
			break;	/* a pid reused in a loop */
		up[n++] = r;
	}
	/* Above the oldest row: what the row itself says of its parents. */
	r = up[n - 1];
	if (cstr(t, (size_t)r, "InitiatingProcessParentFileName") != NULL)
		json_array_append_new(p->chain, chain_node(depth++,
		    cstr(t, (size_t)r, "InitiatingProcessParentFileName"),
		    cint(t, (size_t)r, "InitiatingProcessParentId"), NULL,
		    NULL, h->name, NULL));
	if (cstr(t, (size_t)r, "InitiatingProcessFileName") != NULL)
		json_array_append_new(p->chain, chain_node(depth++,
		    cstr(t, (size_t)r, "InitiatingProcessFileName"),
		    cint(t, (size_t)r, "InitiatingProcessId"),
		    cstr(t, (size_t)r, "InitiatingProcessCommandLine"), NULL,
		    h->name, NULL));
	while (n > 0) {
		r = up[--n];
		img = cstr(t, (size_t)r, "FileName");
		note[0] = '\0';
		if ((size_t)r == leaf)
			note_of(hits, note, sizeof(note));
		else if (img != NULL && strcasecmp(img, "cmd.exe") == 0)
			observe(p, "T1059.003", "cmd.exe started the process "
			    "that ran the suspicious command line");
		json_array_append_new(p->chain, chain_node(depth++, img,
		    cint(t, (size_t)r, "ProcessId"),
		    cstr(t, (size_t)r, "ProcessCommandLine"),
		    cstr(t, (size_t)r, "TimeGenerated"), h->name,
		    note[0] != '\0' ? note : NULL));
	}
	/* What the suspicious process started in turn. */
	for (i = 0; i < nrows(t); i++)
		if ((long)i != (long)leaf && parent_row(t, i) == (long)leaf)
			json_array_append_new(p->chain, chain_node(depth,
			    cstr(t, i, "FileName"), cint(t, i, "ProcessId"),
			    cstr(t, i, "ProcessCommandLine"),
			    cstr(t, i, "TimeGenerated"), h->name,
			    "started by the suspicious process"));
}

static void
timeline_add(struct pb *p, const char *time, const char *event,
    const char *assessment)
{
	char ev[2048];

	if (time == NULL)
		return;
	snprintf(ev, sizeof(ev), "%s", event);
	json_array_append_new(p->timeline, json_pack("{s:s,s:o,s:s}", "time",
	    time, "event", jx_string_lossy(ev, strlen(ev)), "assessment",
	    assessment));
}

static const char *
cut(const char *s, char *out, size_t outsz)
{
	size_t n;

	if (s == NULL)
		return "";
	n = strlen(s);
	if (n < outsz)
		return s;
	n = outsz - 4;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, s, n);
	memcpy(out + n, "...", 4);
	return out;
}

static void
analyse_host(struct pb *p, struct host *h)
{
	const struct table *t = &h->proc;
	size_t i, k, chains = 0;
	unsigned hits;
	long long pid;
	char ev[2048], c1[400], note[512], tbuf[48];
	const char *img, *cmd;
	json_t *pids = json_array();

	for (i = 0; i < nrows(t); i++) {
		img = cstr(t, i, "FileName");
		cmd = cstr(t, i, "ProcessCommandLine");
		hits = rules_eval(img, cmd);
		if (hits == 0)
			continue;
		p->hits |= hits;
		pid = cint(t, i, "ProcessId");
		json_array_append_new(pids, json_integer(pid));
		note_of(hits, note, sizeof(note));
		snprintf(ev, sizeof(ev), "%s on %s ran %s (pid %lld): %s",
		    cstr(t, i, "AccountName") != NULL ?
		    cstr(t, i, "AccountName") : "an account", h->name,
		    img != NULL ? img : "a process", pid,
		    cut(cmd, c1, sizeof(c1)));
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
		    "%s", "");
		{
			char a[600];

			snprintf(a, sizeof(a), "suspicious: %s", note);
			timeline_add(p, cstr(t, i, "TimeGenerated"), ev, a);
		}
		for (k = 0; rules[k].bit != 0; k++) {
			if (!(hits & rules[k].bit) || rules[k].technique ==
			    NULL)
				continue;
			snprintf(ev, sizeof(ev), "%s (pid %lld on %s, %s): %s",
			    img != NULL ? img : "a process", pid, h->name,
			    short_time(cstr(t, i, "TimeGenerated"), tbuf,
			    sizeof(tbuf)), cut(cmd, c1, sizeof(c1)));
			observe(p, rules[k].technique, ev);
		}
		if (img != NULL && (strcasecmp(img, "powershell.exe") == 0 ||
		    strcasecmp(img, "pwsh.exe") == 0)) {
			snprintf(ev, sizeof(ev), "%s (pid %lld on %s) ran a "
			    "command line with %s", img, pid, h->name, note);
			observe(p, "T1059.001", ev);
		}
		if (cmd != NULL)
			urls_in(cmd, p->urls);
		if (chains++ < 3)
			build_chain(p, h, i, hits);
	}
	/* Children of the suspicious processes: what they started. */
	for (i = 0; i < nrows(t); i++) {
		pid = cint(t, i, "InitiatingProcessId");
		for (k = 0; k < json_array_size(pids); k++)
			if (json_integer_value(json_array_get(pids, k)) == pid
			    && rules_eval(cstr(t, i, "FileName"),
			    cstr(t, i, "ProcessCommandLine")) == 0) {
				snprintf(ev, sizeof(ev), "%s (pid %lld) "
				    "started %s (pid %lld): %s",
				    cstr(t, i, "InitiatingProcessFileName") ?
				    cstr(t, i, "InitiatingProcessFileName") :
				    "a process", pid, cstr(t, i, "FileName") ?
				    cstr(t, i, "FileName") : "a process",
				    cint(t, i, "ProcessId"),
				    cut(cstr(t, i, "ProcessCommandLine"), c1,
				    sizeof(c1)));
				timeline_add(p, cstr(t, i, "TimeGenerated"), ev,
				    "suspicious: started by a suspicious "
				    "process");
				add_indicator(p, "hash", cstr(t, i, "SHA256"),
				    "DeviceProcessEvents");
				break;
			}
	}
	/* Network: every public address; those of suspicious processes
	 * go on the timeline. */
	t = &h->net;
	for (i = 0; i < nrows(t); i++) {
		const char *ip = cstr(t, i, "RemoteIP");
		const char *url = cstr(t, i, "RemoteUrl");
		int mine = 0;

		if (ip == NULL || ioc_ip_is_public(ip, NULL) != 1)
			continue;
		add_indicator(p, "ip", ip, "DeviceNetworkEvents");
		pid = cint(t, i, "InitiatingProcessId");
		for (k = 0; k < json_array_size(pids); k++)
			if (json_integer_value(json_array_get(pids, k)) == pid)
				mine = 1;
		if (!mine)
			continue;
		if (url != NULL)
			add_indicator(p, ioc_classify(url) == IOC_URL ? "url" :
			    "domain", url, "DeviceNetworkEvents");
		snprintf(ev, sizeof(ev), "%s (pid %lld) on %s connected to "
		    "%s:%lld%s%s%s", cstr(t, i, "InitiatingProcessFileName") ?
		    cstr(t, i, "InitiatingProcessFileName") : "a process", pid,
		    h->name, ip, cint(t, i, "RemotePort"), url ? " (" : "",
		    url ? url : "", url ? ")" : "");
		timeline_add(p, cstr(t, i, "TimeGenerated"), ev, "TI:");
	}
	/* Files the suspicious processes wrote. */
	t = &h->file;
	for (i = 0; i < nrows(t); i++) {
		const char *path = cstr(t, i, "FolderPath");
		const char *sha = cstr(t, i, "SHA256");

		pid = cint(t, i, "InitiatingProcessId");
		for (k = 0; k < json_array_size(pids); k++)
			if (json_integer_value(json_array_get(pids, k)) == pid)
				break;
		if (k == json_array_size(pids))
			continue;
		add_indicator(p, "hash", sha, "DeviceFileEvents");
		json_array_append_new(p->downloads, json_pack("{s:s?,s:s?,"
		    "s:s}", "path", path, "sha256", sha, "host", h->name));
		snprintf(ev, sizeof(ev), "%s (pid %lld) on %s wrote %s%s%s",
		    cstr(t, i, "InitiatingProcessFileName") ?
		    cstr(t, i, "InitiatingProcessFileName") : "a process", pid,
		    h->name, path != NULL ? path : cstr(t, i, "FileName") ?
		    cstr(t, i, "FileName") : "a file", sha ? ", SHA256 " : "",
		    sha ? sha : "");
		timeline_add(p, cstr(t, i, "TimeGenerated"), ev, "TI:");
	}
	json_decref(pids);
}

/* The incident's own entities: indicators, privileged accounts, and the
 * command lines of process entities (for incidents without events). */
static void
analyse_entities(struct pb *p)
{
	const json_t *ents = json_object_get(p->inc, "entities"), *e, *f;
	const char *kind, *cmd, *flag;
	unsigned hits;
	size_t i, k;
	char ev[2048], c1[400];

	for (i = 0; i < json_array_size(ents); i++) {
		e = json_array_get(ents, i);
		kind = jx_str(e, "kind");
		if (kind == NULL)
			continue;
		if (strcmp(kind, "ip") == 0)
			add_indicator(p, "ip", jx_str(e, "address"),
			    "incident");
		else if (strcmp(kind, "url") == 0) {
			add_indicator(p, "url", jx_str(e, "url"), "incident");
		} else if (strcmp(kind, "domain") == 0)
			add_indicator(p, "domain", jx_str(e, "domain"),
			    "incident");
		else if (strcmp(kind, "file") == 0) {
			add_indicator(p, "hash", jx_str(e, "sha256"),
			    "incident");
			add_indicator(p, "hash", jx_str(e, "sha1"), "incident");
			add_indicator(p, "hash", jx_str(e, "md5"), "incident");
		} else if (strcmp(kind, "filehash") == 0)
			add_indicator(p, "hash", jx_str(e, "value"),
			    "incident");
		else if (strcmp(kind, "account") == 0) {
			f = json_object_get(e, "flags");
			for (k = 0; k < json_array_size(f); k++) {
				flag = json_string_value(json_array_get(f, k));
				if (flag != NULL && (strcmp(flag, "rid500") ==
				    0 || strcmp(flag, "domain_admins") == 0 ||
				    strcmp(flag, "enterprise_admins") == 0)) {
					p->privileged = 1;
					p->priv_account = jx_str(e, "name");
				}
			}
		} else if (strcmp(kind, "process") == 0) {
			cmd = jx_str(e, "command_line");
			hits = rules_eval(jx_path_str(e, "image.name"), cmd);
			if (cmd != NULL)
				urls_in(cmd, p->urls);
			if (hits == 0)
				continue;
			p->hits |= hits;
			for (k = 0; rules[k].bit != 0; k++)
				if ((hits & rules[k].bit) &&
				    rules[k].technique != NULL) {
					snprintf(ev, sizeof(ev), "the alert's "
					    "process entity: %s",
					    cut(cmd, c1, sizeof(c1)));
					observe(p, rules[k].technique, ev);
				}
		}
	}
}

/* The URLs in suspicious command lines, and their hosts. */
static void
add_urls(struct pb *p)
{
	const char *u;
	char host[512];
	size_t i;

	for (i = 0; i < json_array_size(p->urls); i++) {
		u = json_string_value(json_array_get(p->urls, i));
		add_indicator(p, "url", u, "command line");
		if (ioc_url_host(u, host, sizeof(host)) == 0)
			add_indicator(p, "domain", host, "command line");
	}
}

/* --- round 2: enrichment and techniques -------------------------------- */

/*
 * Whether s is an ATT&CK technique ID (T1059, T1059.001).  Technique lists
 * come with the incident, which anyone can write: anything else would
 * land in the brief's technique_id, whose schema allows 16 characters.
 */
static int
is_technique_id(const char *s)
{
	size_t i;

	if (s == NULL || s[0] != 'T')
		return 0;
	for (i = 1; i <= 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[5] == '\0')
		return 1;
	return s[5] == '.' && s[6] >= '0' && s[6] <= '9' && s[7] >= '0' &&
	    s[7] <= '9' && s[8] >= '0' && s[8] <= '9' && s[9] == '\0';
}

static void
techniques_wanted(const struct pb *p, json_t *ids)
{
	const json_t *alerts = json_object_get(p->inc, "alerts"), *list;
	const char *key;
	json_t *v;
	size_t i, k;

	list = json_object_get(p->inc, "techniques");
	for (i = 0; i < json_array_size(list); i++)
		if (is_technique_id(json_string_value(json_array_get(list,
		    i))))
			json_object_set_new(ids, json_string_value(
			    json_array_get(list, i)), json_true());
	for (k = 0; k < json_array_size(alerts); k++) {
		list = json_object_get(json_array_get(alerts, k),
		    "techniques");
		for (i = 0; i < json_array_size(list); i++)
			if (is_technique_id(json_string_value(
			    json_array_get(list, i))))
				json_object_set_new(ids, json_string_value(
				    json_array_get(list, i)), json_true());
	}
	json_object_foreach(p->observed, key, v)
		json_object_set_new(ids, key, json_true());
}

static void
round_lookups(struct pb *p)
{
	json_t *ids = json_object(), *v, **inputs;
	struct call *calls;
	char (*cids)[32];
	const char *key, *kind;
	size_t n = 0, max, i, nind;

	techniques_wanted(p, ids);
	max = json_array_size(p->indicators) + json_object_size(ids);
	if (max == 0) {
		json_decref(ids);
		return;
	}
	calls = calloc(max, sizeof(*calls));
	inputs = calloc(max, sizeof(*inputs));
	cids = calloc(max, sizeof(*cids));
	if (calls == NULL || inputs == NULL || cids == NULL)
		goto out;
	for (i = 0; i < json_array_size(p->indicators); i++) {
		v = json_array_get(p->indicators, i);
		kind = jx_str(v, "kind");
		/* Answered upstream (triage-enrich): not asked again. */
		if (strcmp(jx_str(v, "source"), "upstream") == 0)
			continue;
		inputs[n] = json_pack("{s:s}", kind, jx_str(v, "value"));
		calls[n].name = strcmp(kind, "ip") == 0 ? "enrich_ip" :
		    strcmp(kind, "hash") == 0 ? "enrich_hash" :
		    strcmp(kind, "domain") == 0 ? "enrich_domain" :
		    "enrich_url";
		n++;
	}
	nind = n;
	json_object_foreach(ids, key, v) {
		if (n - nind >= MAX_TECHNIQUES)
			break;
		inputs[n] = json_pack("{s:s}", "technique_id", key);
		calls[n].name = "lookup_mitre_technique";
		n++;
	}
	for (i = 0; i < n; i++) {
		next_id(p->s, cids[i], sizeof(cids[i]));
		calls[i].id = cids[i];
		calls[i].input = inputs[i];
		calls[i].input_error = "out of memory";
	}
	exec_calls(p->s, 2, calls, n);
	for (i = 0; i < n; i++) {
		if (calls[i].is_error)
			gap(p, "%s %s failed: %s", calls[i].name,
			    json_string_value(json_object_iter_value(
			    json_object_iter(inputs[i]))), calls[i].content);
		call_release(&calls[i]);
		json_decref(inputs[i]);
	}
out:
	free(calls);
	free(inputs);
	free(cids);
	json_decref(ids);
}

/* --- the brief -------------------------------------------------------- */

static const json_t *
technique_record(const struct pb *p, const char *id)
{
	const json_t *t;
	size_t i;

	for (i = 0; i < json_array_size(p->s->techniques); i++) {
		t = json_array_get(p->s->techniques, i);
		if (jx_str(t, "id") != NULL && strcmp(jx_str(t, "id"), id) ==
		    0 && jx_bool(t, "found", 0))
			return t;
	}
	return NULL;
}

static json_t *
attack_entry(const struct pb *p, const char *id, const char *evidence,
    const char *source)
{
	const json_t *t = technique_record(p, id);
	const char *name = jx_str(t, "name"), *tactic;
	size_t k;

	tactic = jx_path_str(t, "tactics[0].name");
	for (k = 0; (name == NULL || tactic == NULL) && rules[k].bit != 0;
	    k++)
		if (rules[k].technique != NULL &&
		    strcmp(rules[k].technique, id) == 0) {
			if (name == NULL)
				name = rules[k].technique_name;
			if (tactic == NULL)
				tactic = rules[k].tactic;
		}
	if (name == NULL)
		name = strcmp(id, "T1059.001") == 0 ? "PowerShell" :
		    strcmp(id, "T1059.003") == 0 ? "Windows Command Shell" :
		    strcmp(id, "T1059") == 0 ?
		    "Command and Scripting Interpreter" : id;
	if (tactic == NULL && strncmp(id, "T1059", 5) == 0)
		tactic = "Execution";
	return json_pack("{s:s,s:s,s:s?,s:o,s:s}", "technique_id", id, "name",
	    name, "tactic", tactic, "evidence", jx_string_lossy(evidence,
	    strlen(evidence)), "source", source);
}

static json_t *
attack_list(const struct pb *p)
{
	const json_t *alerts = json_object_get(p->inc, "alerts"), *a, *list;
	json_t *out = json_array(), *seen = json_object(), *v;
	const char *key;
	char ev[512];
	size_t i, k;

	list = json_object_get(p->inc, "techniques");
	for (i = 0; i < json_array_size(list); i++) {
		key = json_string_value(json_array_get(list, i));
		if (!is_technique_id(key) || json_object_get(seen, key) !=
		    NULL)
			continue;
		json_object_set_new(seen, key, json_true());
		json_array_append_new(out, attack_entry(p, key, "tagged on the "
		    "incident by Sentinel", "sentinel"));
	}
	for (k = 0; k < json_array_size(alerts); k++) {
		a = json_array_get(alerts, k);
		list = json_object_get(a, "techniques");
		for (i = 0; i < json_array_size(list); i++) {
			key = json_string_value(json_array_get(list, i));
			if (!is_technique_id(key) ||
			    json_object_get(seen, key) != NULL)
				continue;
			json_object_set_new(seen, key, json_true());
			snprintf(ev, sizeof(ev), "tagged on the alert '%s'",
			    jx_str(a, "name") != NULL ? jx_str(a, "name") :
			    "?");
			json_array_append_new(out, attack_entry(p, key, ev,
			    "sentinel"));
		}
	}
	json_object_foreach(p->observed, key, v) {
		if (json_object_get(seen, key) != NULL)
			continue;
		json_array_append_new(out, attack_entry(p, key,
		    json_string_value(v), "observed"));
	}
	json_decref(seen);
	return out;
}

static void
entity_value(const json_t *e, const char *kind, char *out, size_t outsz)
{
	const char *v = NULL;

	if (strcmp(kind, "host") == 0)
		v = jx_nstr(e, "fqdn") ? jx_str(e, "fqdn") :
		    jx_str(e, "hostname");
	else if (strcmp(kind, "account") == 0) {
		if (jx_nstr(e, "upn") != NULL)
			v = jx_str(e, "upn");
		else if (jx_nstr(e, "nt_domain") != NULL &&
		    jx_nstr(e, "name") != NULL) {
			snprintf(out, outsz, "%s\\%s", jx_str(e, "nt_domain"),
			    jx_str(e, "name"));
			return;
		} else
			v = jx_str(e, "name");
	} else if (strcmp(kind, "ip") == 0)
		v = jx_str(e, "address");
	else if (strcmp(kind, "url") == 0)
		v = jx_str(e, "url");
	else if (strcmp(kind, "domain") == 0)
		v = jx_str(e, "domain");
	else if (strcmp(kind, "file") == 0)
		v = jx_nstr(e, "path") ? jx_str(e, "path") : jx_str(e, "name");
	else if (strcmp(kind, "filehash") == 0)
		v = jx_str(e, "value");
	else if (strcmp(kind, "process") == 0) {
		snprintf(out, outsz, "%s (pid %lld)",
		    jx_path_str(e, "image.name") != NULL ?
		    jx_path_str(e, "image.name") : "process",
		    jx_int(e, "process_id", -1));
		return;
	} else if (strcmp(kind, "mailbox") == 0)
		v = jx_str(e, "address");
	else if (strcmp(kind, "mailmessage") == 0)
		v = jx_str(e, "subject");
	else if (strcmp(kind, "cloud_application") == 0)
		v = jx_str(e, "name");
	else if (strcmp(kind, "registry_key") == 0)
		v = jx_str(e, "key");
	else if (strcmp(kind, "registry_value") == 0)
		v = jx_str(e, "name");
	snprintf(out, outsz, "%s", v != NULL && v[0] != '\0' ? v :
	    jx_str(e, "id") != NULL ? jx_str(e, "id") : "?");
}

static const char *
flag_words(const char *flag)
{
	static const struct {
		const char *flag, *words;
	} map[] = {
		{ "rid500", "SID ends in -500: the built-in Administrator "
		  "account" },
		{ "domain_admins", "member of Domain Admins (RID 512)" },
		{ "enterprise_admins", "Enterprise Admins (RID 519)" },
		{ "local_system", "the local SYSTEM account" },
		{ "builtin_administrators", "the Administrators group" },
		{ "public_ip", "public address" },
		{ "private_ip", "private address" },
		{ "encoded_command", "encoded PowerShell command" },
		{ "execution_policy_bypass", "execution policy bypassed" },
		{ "download_cradle", "download cradle" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].flag, flag) == 0)
			return map[i].words;
	return NULL;
}

static json_t *
entity_list(const struct pb *p)
{
	const json_t *ents = json_object_get(p->inc, "entities"), *e, *f;
	json_t *out = json_array();
	const char *kind, *w, *best;
	char value[2048];
	struct buf notes, ti;
	size_t i, k;

	for (i = 0; i < json_array_size(ents) && i < 50; i++) {
		e = json_array_get(ents, i);
		kind = jx_str(e, "kind");
		if (kind == NULL)
			continue;
		entity_value(e, kind, value, sizeof(value));
		buf_init(&notes);
		f = json_object_get(e, "flags");
		for (k = 0; k < json_array_size(f); k++) {
			w = json_string_value(json_array_get(f, k));
			w = w != NULL ? flag_words(w) : NULL;
			if (w != NULL)
				buf_printf(&notes, "%s%s", notes.len ? "; " :
				    "", w);
		}
		if (strcmp(kind, "ip") == 0 && jx_nstr(e, "range") != NULL)
			buf_printf(&notes, "%s%s", notes.len ? "; " : "",
			    jx_str(e, "range"));
		buf_init(&ti);
		if (strcmp(kind, "file") == 0) {
			/* Threat intelligence knows a file by its hashes. */
			const char *hashes[] = { "sha256", "sha1", "md5" };

			best = NULL;
			for (k = 0; k < 3 && best == NULL; k++)
				if (jx_nstr(e, hashes[k]) != NULL)
					best = ti_verdict(p, jx_str(e,
					    hashes[k]), &ti);
		} else
			best = ti_verdict(p, strcmp(kind, "process") == 0 ? "" :
			    value, &ti);
		if (best != NULL)
			buf_printf(&notes, "%sthreat intelligence: %s",
			    notes.len ? "; " : "", buf_str(&ti));
		if (strcmp(kind, "process") == 0) {
			unsigned hits = rules_eval(jx_path_str(e,
			    "image.name"), jx_str(e, "command_line"));

			if (hits != 0) {
				buf_printf(&notes, "%scommand line shows ",
				    notes.len ? "; " : "");
				rules_describe(hits, &notes);
			}
		}
		if (notes.len == 0)
			buf_adds(&notes, "named in the incident");
		json_array_append_new(out, json_pack("{s:s,s:o,s:o}", "kind",
		    kind, "value", jx_string_lossy(value, strlen(value)),
		    "notes", jx_string_lossy(buf_str(&notes), notes.len)));
		buf_release(&notes);
		buf_release(&ti);
	}
	/* Indicators the events revealed that the incident did not name. */
	for (i = 0; i < json_array_size(p->indicators); i++) {
		const json_t *ind = json_array_get(p->indicators, i);

		if (strcmp(jx_str(ind, "source"), "incident") == 0 ||
		    json_array_size(out) >= 50)
			continue;
		buf_init(&ti);
		best = ti_verdict(p, jx_str(ind, "value"), &ti);
		buf_init(&notes);
		buf_printf(&notes, "%s", strcmp(jx_str(ind, "source"),
		    "upstream") == 0 ? "enriched before the agent ran" :
		    "seen in ");
		if (strcmp(jx_str(ind, "source"), "upstream") != 0)
			buf_adds(&notes, jx_str(ind, "source"));
		if (best != NULL)
			buf_printf(&notes, "; threat intelligence: %s",
			    buf_str(&ti));
		kind = jx_str(ind, "kind");
		json_array_append_new(out, json_pack("{s:s,s:s,s:o}", "kind",
		    strcmp(kind, "hash") == 0 ? "filehash" : kind, "value",
		    jx_str(ind, "value"), "notes",
		    jx_string_lossy(buf_str(&notes), notes.len)));
		buf_release(&notes);
		buf_release(&ti);
	}
	return out;
}

/* Fills the TI assessments left as "TI:" on the timeline, sorts it. */
static int
time_cmp(const void *a, const void *b)
{
	const char *ta = jx_str(*(json_t *const *)a, "time");
	const char *tb = jx_str(*(json_t *const *)b, "time");
	int64_t x = 0, y = 0;

	iso_parse(ta != NULL ? ta : "", &x);
	iso_parse(tb != NULL ? tb : "", &y);
	return x < y ? -1 : x > y;
}

static void
finish_timeline(struct pb *p)
{
	const json_t *alerts = json_object_get(p->inc, "alerts"), *a;
	json_t **items, *e;
	size_t i, n;
	char ev[1024];

	for (i = 0; i < json_array_size(alerts); i++) {
		a = json_array_get(alerts, i);
		snprintf(ev, sizeof(ev), "Sentinel raised the alert '%s' "
		    "(%s)", jx_str(a, "name") ? jx_str(a, "name") : "?",
		    jx_str(a, "severity") ? jx_str(a, "severity") : "?");
		timeline_add(p, jx_nstr(a, "time_generated") ?
		    jx_str(a, "time_generated") : jx_str(a, "start"), ev,
		    "context: the detection");
	}
	n = json_array_size(p->timeline);
	for (i = 0; i < n; i++) {
		const char *ip = NULL, *best;
		struct buf ti, as;
		size_t k;

		e = json_array_get(p->timeline, i);
		if (strcmp(jx_str(e, "assessment"), "TI:") != 0)
			continue;
		/* The indicator in the event: the first one it mentions. */
		for (k = 0; k < json_array_size(p->indicators); k++)
			if (strstr(jx_str(e, "event"), jx_str(json_array_get(
			    p->indicators, k), "value")) != NULL) {
				ip = jx_str(json_array_get(p->indicators, k),
				    "value");
				break;
			}
		buf_init(&ti);
		best = ip != NULL ? ti_verdict(p, ip, &ti) : NULL;
		buf_init(&as);
		if (best != NULL && strcmp(best, "malicious") == 0)
			buf_printf(&as, "malicious: threat intelligence says "
			    "so (%s)", buf_str(&ti));
		else if (best != NULL && strcmp(best, "suspicious") == 0)
			buf_printf(&as, "suspicious: %s", buf_str(&ti));
		else if (best != NULL)
			buf_printf(&as, "suspicious activity by a flagged "
			    "process; threat intelligence has nothing "
			    "against it (%s)", buf_str(&ti));
		else
			buf_adds(&as, "suspicious activity by a flagged "
			    "process; not enriched");
		json_object_set_new(e, "assessment", jx_string_lossy(
		    buf_str(&as), as.len));
		buf_release(&ti);
		buf_release(&as);
	}
	items = n > 0 ? calloc(n, sizeof(*items)) : NULL;
	if (items == NULL)
		return;
	for (i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(p->timeline, i));
	qsort(items, n, sizeof(*items), time_cmp);
	json_array_clear(p->timeline);
	for (i = 0; i < n && i < MAX_TIMELINE; i++)
		json_array_append(p->timeline, items[i]);
	for (i = 0; i < n; i++)
		json_decref(items[i]);
	free(items);
	if (n > MAX_TIMELINE)
		gap(p, "the timeline shows the first %d of %zu events",
		    MAX_TIMELINE, n);
}

static void
add_action(json_t *actions, const char *urgency, const char *action,
    const char *rationale)
{
	json_array_append_new(actions, json_pack("{s:I,s:o,s:o,s:s}",
	    "priority", (json_int_t)json_array_size(actions) + 1, "action",
	    jx_string_lossy(action, strlen(action)), "rationale",
	    jx_string_lossy(rationale, strlen(rationale)), "urgency",
	    urgency));
}

static const char *
severity_max(const char *a, const char *b)
{
	int ra = incident_severity_rank(a), rb = incident_severity_rank(b);

	if (ra == 0 && rb == 0)
		return "Medium";
	return incident_severity_name(ra > rb ? a : b);
}

/*
 * Cuts what would overflow the brief's schema: strings past maxLength (at
 * a character boundary, ending in an ellipsis) and arrays past maxItems.
 * The playbook quotes the incident, which anyone can write, so a quoted
 * field can be any length; the brief must still be valid.
 */
static void
fit_schema(json_t *v, const json_t *schema)
{
	const json_t *lim, *props;
	const char *key, *str;
	json_t *child;
	struct buf b;
	size_t max, n, i;

	if (v == NULL || !json_is_object(schema))
		return;
	if (json_is_string(v)) {
		lim = json_object_get(schema, "maxLength");
		str = json_string_value(v);
		n = json_string_length(v);
		if (!json_is_integer(lim) || json_integer_value(lim) < 1 ||
		    esc_chars(str, n) <= (size_t)json_integer_value(lim))
			return;
		max = (size_t)json_integer_value(lim);
		buf_init(&b);
		buf_add(&b, str, esc_cut(str, n, max - 1, NULL));
		buf_adds(&b, "\xe2\x80\xa6");
		if (!buf_failed(&b))
			json_string_setn(v, b.data, b.len);
		buf_release(&b);
	} else if (json_is_array(v)) {
		lim = json_object_get(schema, "maxItems");
		while (json_is_integer(lim) && json_array_size(v) >
		    (size_t)json_integer_value(lim))
			json_array_remove(v, json_array_size(v) - 1);
		for (i = 0; i < json_array_size(v); i++)
			fit_schema(json_array_get(v, i),
			    json_object_get(schema, "items"));
	} else if (json_is_object(v)) {
		props = json_object_get(schema, "properties");
		json_object_foreach(v, key, child)
			fit_schema(child, json_object_get(props, key));
	}
}

json_t *
playbook_run(struct session *s)
{
	struct pb p;
	json_t *brief, *verdict, *actions, *entities, *attack;
	struct buf sum, rat, tmp, words;
	const char *sev, *cls, *conf, *host, *domain = NULL, *best;
	char act[2048], num[32];
	size_t i, nmal = 0, nsus = 0, nchecked = 0, nsilent = 0;
	const json_t *e;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.inc = s->incident;
	p.gaps = json_array();
	p.indicators = json_array();
	p.urls = json_array();
	p.observed = json_object();
	p.chain = json_array();
	p.timeline = json_array();
	p.anomalies = json_array();
	p.downloads = json_array();
	say(s->ag, "playbook: investigating without a model");

	window(&p);
	find_hosts(&p);
	/* The incident's own indicators first: they matter most. */
	analyse_entities(&p);
	for (i = 0; i < json_array_size(s->enrichments); i++) {
		e = json_array_get(s->enrichments, i);
		add_indicator(&p, jx_path_str(e, "indicator.kind") != NULL ?
		    jx_path_str(e, "indicator.kind") : "", jx_path_str(e,
		    "indicator.value"), "upstream");
	}
	round_events(&p);
	for (i = 0; i < p.nhosts; i++)
		analyse_host(&p, &p.hosts[i]);
	add_urls(&p);
	round_lookups(&p);

	/* What threat intelligence said, indicator by indicator. */
	for (i = 0; i < json_array_size(p.indicators); i++) {
		best = ti_verdict(&p, jx_str(json_array_get(p.indicators, i),
		    "value"), NULL);
		nchecked++;
		if (best == NULL || strcmp(best, "error") == 0 ||
		    strcmp(best, "not_configured") == 0 ||
		    strcmp(best, "skipped") == 0)
			nsilent++;
		else if (strcmp(best, "malicious") == 0)
			nmal++;
		else if (strcmp(best, "suspicious") == 0)
			nsus++;
	}
	for (i = 0; i < json_array_size(s->enrichments); i++) {
		e = json_array_get(s->enrichments, i);
		if (jx_str(e, "verdict") != NULL && (strcmp(jx_str(e,
		    "verdict"), "not_configured") == 0 || strcmp(jx_str(e,
		    "verdict"), "error") == 0))
			gap(&p, "%s: %s%s%s", jx_str(e, "provider") ?
			    jx_str(e, "provider") : "a provider",
			    strcmp(jx_str(e, "verdict"), "error") == 0 ?
			    "lookups failed" : "not configured (no key)",
			    jx_nstr(e, "reason") ? ": " : "",
			    jx_nstr(e, "reason") ? jx_str(e, "reason") : "");
	}

	/* Anomalies, in words. */
	buf_init(&words);
	rules_describe(p.hits, &words);
	if (p.hits != 0) {
		buf_init(&tmp);
		buf_printf(&tmp, "Command lines show %s.", buf_str(&words));
		json_array_append_new(p.anomalies, jx_string_lossy(
		    buf_str(&tmp), tmp.len));
		buf_release(&tmp);
	}
	if (p.privileged) {
		buf_init(&tmp);
		buf_printf(&tmp, "A privileged account (%s) was involved; the "
		    "built-in Administrator or an admin group is flagged on "
		    "it.", p.priv_account != NULL ? p.priv_account : "?");
		json_array_append_new(p.anomalies, jx_string_lossy(
		    buf_str(&tmp), tmp.len));
		buf_release(&tmp);
	}
	if (nmal > 0) {
		buf_init(&tmp);
		buf_printf(&tmp, "%zu indicator%s rated malicious by threat "
		    "intelligence.", nmal, nmal == 1 ? " is" : "s are");
		json_array_append_new(p.anomalies, json_string(buf_str(&tmp)));
		buf_release(&tmp);
	}

	/* The verdict, by the documented rules. */
	sev = jx_str(p.inc, "severity");
	if (nmal > 0) {
		cls = "true_positive";
		conf = "high";
		sev = severity_max(sev, "High");
	} else if (nsus > 0) {
		cls = "undetermined";
		conf = "medium";
		sev = severity_max(sev, "Medium");
	} else {
		cls = "undetermined";
		conf = "low";
		sev = severity_max(sev, NULL);
	}
	buf_init(&rat);
	if (nmal > 0)
		buf_printf(&rat, "Threat intelligence rates %zu of the %zu "
		    "indicators malicious, so the activity is treated as "
		    "malicious until a person shows otherwise.", nmal,
		    nchecked);
	else if (p.hits != 0)
		buf_printf(&rat, "No threat-intelligence provider flagged the "
		    "%zu indicators checked, but the command lines show %s, "
		    "so a person must decide whether the activity was "
		    "authorised.", nchecked, buf_str(&words));
	else
		buf_printf(&rat, "The playbook found no malicious indicator "
		    "and no suspicious command line, which does not prove "
		    "the activity benign, so a person must review it.");
	verdict = json_pack("{s:s,s:s,s:o}", "severity", sev,
	    "classification", cls, "rationale", jx_string_lossy(
	    buf_str(&rat), rat.len));

	/* Actions, most urgent first. */
	actions = json_array();
	host = p.nhosts > 0 ? p.hosts[0].name : NULL;
	for (i = 0; i < json_array_size(p.indicators); i++)
		if (strcmp(jx_str(json_array_get(p.indicators, i), "kind"),
		    "domain") == 0) {
			domain = jx_str(json_array_get(p.indicators, i),
			    "value");
			break;
		}
	if (nmal > 0) {
		if (host != NULL) {
			snprintf(act, sizeof(act), "Isolate %s from the "
			    "network (Defender for Endpoint device isolation) "
			    "while it is investigated.", host);
			add_action(actions, "immediate", act, "Threat "
			    "intelligence rates an indicator in this "
			    "incident malicious.");
		}
		for (i = 0; i < json_array_size(p.indicators); i++) {
			const char *v = jx_str(json_array_get(p.indicators,
			    i), "value");

			best = ti_verdict(&p, v, NULL);
			if (best == NULL || strcmp(best, "malicious") != 0)
				continue;
			snprintf(act, sizeof(act), "Block %s at the firewall, "
			    "proxy and EDR, and search for it on other hosts.",
			    v);
			add_action(actions, "immediate", act, "Rated "
			    "malicious by threat intelligence.");
		}
		if (p.priv_account != NULL) {
			snprintf(act, sizeof(act), "Reset the credentials of "
			    "%s and review its recent sign-ins.",
			    p.priv_account);
			add_action(actions, "immediate", act, "A privileged "
			    "account ran the malicious activity.");
		}
	} else if (p.hits != 0) {
		snprintf(act, sizeof(act), "Confirm with the owner of %s%s%s "
		    "whether the activity was authorised (%s).",
		    host != NULL ? host : "the host",
		    p.priv_account != NULL ? " and the user of " : "",
		    p.priv_account != NULL ? p.priv_account : "",
		    buf_str(&words));
		add_action(actions, "immediate", act, "The command lines "
		    "match attacker tradecraft; only intent separates an "
		    "administrator from an intruder.");
	}
	for (i = 0; i < json_array_size(p.downloads) && i < 3; i++) {
		e = json_array_get(p.downloads, i);
		snprintf(act, sizeof(act), "Retrieve %s from %s and check it "
		    "(signature, vendor's published hash%s%s).",
		    jx_str(e, "path") ? jx_str(e, "path") : "the file",
		    jx_str(e, "host"), jx_str(e, "sha256") ? ", SHA256 " : "",
		    jx_str(e, "sha256") ? jx_str(e, "sha256") : "");
		add_action(actions, "soon", act, "A suspicious process wrote "
		    "this file.");
	}
	if (domain != NULL) {
		snprintf(act, sizeof(act), "Search every host for the same "
		    "activity: DeviceNetworkEvents | where RemoteUrl has '%s' "
		    "and DeviceProcessEvents | where ProcessCommandLine has "
		    "'%s'.", domain, domain);
		add_action(actions, "soon", act, "Shows whether this is one "
		    "host or a campaign.");
	}
	if (p.privileged) {
		snprintf(act, sizeof(act), "Review interactive use of %s on "
		    "%s; use named accounts with least privilege instead.",
		    p.priv_account != NULL ? p.priv_account : "the privileged "
		    "account", host != NULL ? host : "the host");
		add_action(actions, "follow_up", act, "The built-in "
		    "Administrator and admin groups make any compromise "
		    "worse.");
	}
	if (p.hits & (R_BYPASS | R_ENCODED | R_HIDDEN | R_CRADLE))
		add_action(actions, "follow_up", "Restrict PowerShell: "
		    "constrained language mode or application control "
		    "(AppLocker, WDAC), and script block logging on every "
		    "host.", "Makes this tradecraft harder and visible.");
	if (json_array_size(p.gaps) > 0)
		add_action(actions, "follow_up", "Close the visibility gaps "
		    "listed in this brief (missing tables, providers without "
		    "keys) and re-run the triage.", "The verdict is only as "
		    "good as the evidence it could see.");
	if (json_array_size(actions) == 0)
		add_action(actions, "soon", "Review the incident in Sentinel "
		    "and record its classification.", "The playbook found "
		    "nothing that settles it.");

	/* The summary. */
	buf_init(&sum);
	buf_printf(&sum, "Incident");
	if (json_is_integer(json_object_get(p.inc, "number"))) {
		snprintf(num, sizeof(num), " %lld", (long long)
		    json_integer_value(json_object_get(p.inc, "number")));
		buf_adds(&sum, num);
	}
	buf_printf(&sum, " \"%s\" (%s)", jx_str(p.inc, "title") ?
	    jx_str(p.inc, "title") : "untitled", jx_str(p.inc, "severity") ?
	    jx_str(p.inc, "severity") : "severity unknown");
	if (host != NULL)
		buf_printf(&sum, " on %s", host);
	if (p.priv_account != NULL)
		buf_printf(&sum, ", account %s (privileged)", p.priv_account);
	buf_adds(&sum, ".");
	if (json_array_size(p.chain) > 1) {
		buf_adds(&sum, " Process chain: ");
		for (i = 0; i < json_array_size(p.chain); i++) {
			e = json_array_get(p.chain, i);
			if (i > 0 && jx_int(e, "depth", 0) <= jx_int(
			    json_array_get(p.chain, i - 1), "depth", 0))
				break;
			buf_printf(&sum, "%s%s", i > 0 ? " -> " : "",
			    jx_str(e, "process"));
		}
		buf_adds(&sum, ".");
	}
	if (p.hits != 0)
		buf_printf(&sum, " The command lines show %s.",
		    buf_str(&words));
	if (json_array_size(p.urls) > 0)
		buf_printf(&sum, " URL%s in them: %s%s.",
		    json_array_size(p.urls) > 1 ? "s" : "",
		    json_string_value(json_array_get(p.urls, 0)),
		    json_array_size(p.urls) > 1 ? " and more" : "");
	if (nchecked > 0)
		buf_printf(&sum, " Threat intelligence: %zu of %zu indicators "
		    "malicious, %zu suspicious, %zu without an answer.", nmal,
		    nchecked, nsus, nsilent);
	else
		buf_adds(&sum, " No indicator could be checked against threat "
		    "intelligence.");
	buf_adds(&sum, " Made by the playbook without a model: it applies "
	    "fixed rules and cannot judge intent.");

	gap(&p, "made without a model: the verdict comes from fixed rules, "
	    "not from weighing the evidence");
	finish_timeline(&p);
	entities = entity_list(&p);
	attack = attack_list(&p);

	brief = json_pack("{s:s,s:n,s:n}", "type", "brief", "incident",
	    "made_by");
	json_object_set_new(brief, "summary", jx_string_lossy(buf_str(&sum),
	    sum.len));
	jx_set_str(brief, "classification", cls);
	jx_set_str(brief, "classification_confidence", conf);
	json_object_set_new(brief, "entities", entities);
	json_object_set_new(brief, "attack", attack);
	json_object_set(brief, "process_chain", p.chain);
	json_object_set(brief, "timeline", p.timeline);
	json_object_set(brief, "anomalies", p.anomalies);
	json_object_set_new(brief, "actions", actions);
	json_object_set_new(brief, "verdict", verdict);
	json_object_set(brief, "visibility_gaps", p.gaps);

	buf_release(&sum);
	buf_release(&rat);
	buf_release(&words);
	for (i = 0; i < p.nhosts; i++) {
		free(p.hosts[i].name);
		json_decref(p.hosts[i].proc.root);
		json_decref(p.hosts[i].net.root);
		json_decref(p.hosts[i].file.root);
	}
	json_decref(p.gaps);
	json_decref(p.indicators);
	json_decref(p.urls);
	json_decref(p.observed);
	json_decref(p.chain);
	json_decref(p.timeline);
	json_decref(p.anomalies);
	json_decref(p.downloads);
	fit_schema(brief, s->ag->brief_schema);
	return brief;
}
