/*
 * tools: the manifest (built-in and from files) and running tool calls as
 * subprocesses.  Schema validation is in tools_schema.c and output bounds
 * in tools_bound.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonx.h"
#include "paths.h"
#include "proc.h"
#include "tools.h"
#include "utf8.h"

/*
 * The built-in manifest, one tool per string (each under the 4095 bytes
 * a C11 string literal is guaranteed to hold).  The descriptions are what
 * the model reads to choose a tool: they say what comes back and how to
 * keep it small.
 */
static const char *const builtin_tools[] = {
"{\"name\":\"run_kql_query\","
"\"description\":\"Run one KQL (Kusto Query Language) query against the "
"Microsoft Sentinel / Log Analytics workspace. Returns JSON {columns:[{name,"
"type}], rows:[[...]], row_count, returned_rows, truncated, partial_error}. "
"Useful tables: SecurityIncident, SecurityAlert, DeviceProcessEvents, "
"DeviceNetworkEvents, DeviceFileEvents, DeviceLogonEvents, "
"DeviceRegistryEvents, SigninLogs, AuditLogs, ThreatIntelIndicators. The "
"time column is TimeGenerated; DeviceName holds the host's FQDN (match it "
"with =~ or startswith). Filter on time and host first, project only the "
"columns you need, and use summarize, order by and take: at most 50 rows "
"are shown to you and long values are cut. On a syntax or semantic error "
"the result is the workspace's error text: fix the query and retry.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":20000,"
"\"description\":\"The KQL query.\"},"
"\"timespan\":{\"type\":\"string\",\"maxLength\":100,\"description\":"
"\"Optional ISO-8601 time range: a duration ending now (P1D, PT6H) or "
"an interval start/end (2026-11-28T07:00:00Z/2026-11-28T09:00:00Z).\"},"
"\"max_rows\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,"
"\"description\":\"Optional cap on the rows returned.\"}},"
"\"required\":[\"query\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-kql\",\"--format\",\"json\"],\"timeout\":120,"
"\"output\":{\"max_rows\":50,\"max_bytes\":16384,\"max_cell\":1000}}",

"{\"name\":\"enrich_ip\","
"\"description\":\"Look up an IP address in threat intelligence "
"(AbuseIPDB, VirusTotal, Shodan InternetDB, the workspace's own "
"indicators). Returns one enrichment record per provider: verdict "
"(malicious, suspicious, clean, unknown, not_found, skipped, "
"not_configured, error), score and key facts (owner, country, reports). "
"Private and other non-public addresses are never sent out: their verdict "
"is skipped.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"ip\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":64,"
"\"description\":\"An IPv4 or IPv6 address.\"}},"
"\"required\":[\"ip\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-enrich\"],\"timeout\":120,"
"\"output\":{\"max_rows\":10,\"max_bytes\":8192,\"max_cell\":500}}",

"{\"name\":\"enrich_hash\","
"\"description\":\"Look up a file hash (MD5, SHA-1 or SHA-256) in threat "
"intelligence (VirusTotal, the workspace's own indicators). Returns one "
"enrichment record per provider: verdict, detection counts, names, first "
"and last seen. not_found means the provider has never seen the file, "
"which is not the same as clean.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"hash\":{\"type\":\"string\",\"minLength\":32,\"maxLength\":64,"
"\"description\":\"The hash in hex.\"}},"
"\"required\":[\"hash\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-enrich\"],\"timeout\":120,"
"\"output\":{\"max_rows\":10,\"max_bytes\":8192,\"max_cell\":500}}",

"{\"name\":\"enrich_domain\","
"\"description\":\"Look up a domain name in threat intelligence "
"(VirusTotal, the workspace's own indicators). Returns one enrichment "
"record per provider with a verdict and key facts.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"domain\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":253,"
"\"description\":\"A DNS name such as example.com.\"}},"
"\"required\":[\"domain\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-enrich\"],\"timeout\":120,"
"\"output\":{\"max_rows\":10,\"max_bytes\":8192,\"max_cell\":500}}",

"{\"name\":\"enrich_url\","
"\"description\":\"Look up a URL in threat intelligence (VirusTotal, the "
"workspace's own indicators). Returns one enrichment record per provider "
"with a verdict and key facts. Look up the URL's domain too when it "
"matters.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"url\":{\"type\":\"string\",\"minLength\":4,\"maxLength\":4096,"
"\"description\":\"An http, https or ftp URL (defanged forms such as "
"hxxps:// are accepted).\"}},"
"\"required\":[\"url\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-enrich\"],\"timeout\":120,"
"\"output\":{\"max_rows\":10,\"max_bytes\":8192,\"max_cell\":500}}",

"{\"name\":\"lookup_mitre_technique\","
"\"description\":\"Look up a MITRE ATT&CK Enterprise technique or "
"sub-technique by id. Returns a technique record: name, full name, "
"tactics, platforms, description, mitigations, url; found is false for "
"an unknown id. Use it to confirm a mapping before you cite it.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"technique_id\":{\"type\":\"string\",\"minLength\":5,\"maxLength\":16,"
"\"description\":\"A technique id such as T1059 or T1059.001.\"}},"
"\"required\":[\"technique_id\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-mitre\"],\"timeout\":30,"
"\"output\":{\"max_rows\":3,\"max_bytes\":6144,\"max_cell\":1500}}",
};

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

void
toolset_init(struct toolset *ts)
{
	ts->tools = NULL;
	ts->n = 0;
}

static void
tool_release(struct tool *t)
{
	char **a;

	free(t->name);
	free(t->description);
	json_decref(t->input_schema);
	if (t->argv != NULL) {
		for (a = t->argv; *a != NULL; a++)
			free(*a);
		free(t->argv);
	}
	memset(t, 0, sizeof(*t));
}

void
toolset_release(struct toolset *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		tool_release(&ts->tools[i]);
	free(ts->tools);
	toolset_init(ts);
}

/* Puts t (whose contents the set takes over) in place of a tool of the
 * same name, or at the end.  Internal tools (submit_brief) stay last. */
static int
toolset_put(struct toolset *ts, struct tool *t)
{
	struct tool *p;
	size_t i, at;

	for (i = 0; i < ts->n; i++) {
		if (strcmp(ts->tools[i].name, t->name) == 0) {
			tool_release(&ts->tools[i]);
			ts->tools[i] = *t;
			return 0;
		}
	}
	p = realloc(ts->tools, (ts->n + 1) * sizeof(*p));
	if (p == NULL)
		return -1;
	ts->tools = p;
	at = ts->n;
	if (t->argv != NULL)
		while (at > 0 && ts->tools[at - 1].argv == NULL)
			at--;
	memmove(&ts->tools[at + 1], &ts->tools[at],
	    (ts->n - at) * sizeof(*p));
	ts->tools[at] = *t;
	ts->n++;
	return 0;
}

static int
name_ok(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
		    s[n] == '-'))
			return 0;
	return n >= 1 && n <= TOOL_NAME_MAX;
}

/* A positive whole number from a manifest field, or fallback when absent;
 * -1 when present but not such a number. */
static long long
positive(const json_t *obj, const char *key, long long fallback)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return fallback;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return -1;
	return json_integer_value(v);
}

static char *
resolve_argv0(const char *a0, const char *base_dir)
{
	char path[PATH_MAX];

	if (strchr(a0, '/') == NULL) {
		paths_program(a0, path, sizeof(path));
	} else if (a0[0] == '/' || base_dir == NULL) {
		snprintf(path, sizeof(path), "%s", a0);
	} else if ((size_t)snprintf(path, sizeof(path), "%s/%s", base_dir,
	    a0) >= sizeof(path)) {
		return NULL;
	}
	return strdup(path);
}

static int
load_tool(struct toolset *ts, const json_t *o, const char *where,
    const char *base_dir, int builtin, char *err, size_t errsz)
{
	struct tool t;
	const struct tool *prev;
	const json_t *argv, *out, *v;
	const char *name, *desc;
	char serr[256];
	size_t i, n;
	long long secs, rows, bytes, cell;
	int inherit;

	memset(&t, 0, sizeof(t));
	if (!json_is_object(o)) {
		seterr(err, errsz, "%s: expected an object", where);
		return -1;
	}
	name = jx_str(o, "name");
	if (name == NULL || !name_ok(name)) {
		seterr(err, errsz, "%s.name: expected 1-%d letters, digits, "
		    "'_' or '-'", where, TOOL_NAME_MAX);
		return -1;
	}
	/* A tool named like one already in the set takes what it does not
	 * say from it, so swapping a stage's program needs only argv. */
	prev = toolset_find(ts, name);
	if (prev != NULL && prev->argv == NULL)
		prev = NULL;
	desc = jx_nstr(o, "description");
	if (desc == NULL && prev != NULL && json_object_get(o, "description")
	    == NULL)
		desc = prev->description;
	if (desc == NULL) {
		seterr(err, errsz, "%s.description: expected a non-empty "
		    "string", where);
		return -1;
	}
	v = json_object_get(o, "input_schema");
	if (v == NULL && prev != NULL)
		v = prev->input_schema;
	if (tools_schema_check(v, serr, sizeof(serr)) == -1) {
		seterr(err, errsz, "%s.input_schema: %s", where, serr);
		return -1;
	}
	argv = json_object_get(o, "argv");
	/* Without argv, an override keeps the program (to change only its
	 * timeout or bounds). */
	inherit = argv == NULL && prev != NULL;
	n = json_is_array(argv) ? json_array_size(argv) : 0;
	for (i = 0; i < n; i++)
		if (!json_is_string(json_array_get(argv, i)))
			break;
	if (inherit)
		for (n = 0; prev->argv[n] != NULL; n++)
			;
	else if (n == 0 || i < n ||
	    json_string_value(json_array_get(argv, 0))[0] == '\0') {
		seterr(err, errsz, "%s.argv: expected a non-empty array of "
		    "strings", where);
		return -1;
	}
	secs = positive(o, "timeout", prev != NULL ? prev->timeout_ms / 1000 :
	    TOOL_DEFAULT_TIMEOUT_MS / 1000);
	if (secs < 0 || secs > 24 * 3600) {
		seterr(err, errsz, "%s.timeout: expected seconds (1-86400)",
		    where);
		return -1;
	}
	out = json_object_get(o, "output");
	if (out != NULL && !json_is_object(out)) {
		seterr(err, errsz, "%s.output: expected an object", where);
		return -1;
	}
	rows = positive(out, "max_rows", prev != NULL ?
	    (long long)prev->bounds.max_rows : TOOL_DEFAULT_MAX_ROWS);
	bytes = positive(out, "max_bytes", prev != NULL ?
	    (long long)prev->bounds.max_bytes : TOOL_DEFAULT_MAX_BYTES);
	cell = positive(out, "max_cell", prev != NULL ?
	    (long long)prev->bounds.max_cell : TOOL_DEFAULT_MAX_CELL);
	if (rows < 0 || bytes < 256 || cell < 16 || bytes > (64 << 20)) {
		seterr(err, errsz, "%s.output: max_rows must be at least 1, "
		    "max_bytes 256 to 67108864, max_cell at least 16", where);
		return -1;
	}
	t.name = strdup(name);
	t.description = strdup(desc);
	t.input_schema = json_deep_copy(v);
	t.argv = calloc(n + 1, sizeof(*t.argv));
	t.timeout_ms = (long)secs * 1000;
	t.bounds.max_rows = (size_t)rows;
	t.bounds.max_bytes = (size_t)bytes;
	t.bounds.max_cell = (size_t)cell;
	t.is_builtin = builtin;
	if (t.name == NULL || t.description == NULL || t.input_schema == NULL ||
	    t.argv == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		const char *a = inherit ? prev->argv[i] :
		    json_string_value(json_array_get(argv, i));

		t.argv[i] = i == 0 && !inherit ? resolve_argv0(a, base_dir) :
		    strdup(a);
		if (t.argv[i] == NULL)
			goto nomem;
	}
	if (toolset_put(ts, &t) == -1)
		goto nomem;
	return 0;
nomem:
	tool_release(&t);
	seterr(err, errsz, "%s: out of memory", where);
	return -1;
}

int
toolset_add_builtin(struct toolset *ts, char *err, size_t errsz)
{
	json_error_t jerr;
	json_t *o;
	size_t i;
	char where[64];
	int rc;

	for (i = 0; i < sizeof(builtin_tools) / sizeof(builtin_tools[0]);
	    i++) {
		o = json_loads(builtin_tools[i], 0, &jerr);
		if (o == NULL) {
			/* A programming error, caught by the unit tests. */
			seterr(err, errsz, "built-in tool %zu: %s", i,
			    jerr.text);
			return -1;
		}
		snprintf(where, sizeof(where), "built-in tools[%zu]", i);
		rc = load_tool(ts, o, where, NULL, 1, err, errsz);
		json_decref(o);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Drops the built-in tools loaded so far. */
static void
drop_builtins(struct toolset *ts)
{
	size_t i, j;

	for (i = j = 0; i < ts->n; i++) {
		if (ts->tools[i].is_builtin)
			tool_release(&ts->tools[i]);
		else
			ts->tools[j++] = ts->tools[i];
	}
	ts->n = j;
}

int
toolset_load_json(struct toolset *ts, const json_t *manifest,
    const char *source, const char *base_dir, char *err, size_t errsz)
{
	const json_t *list, *b;
	char where[PATH_MAX + 32];
	size_t i;

	if (json_is_array(manifest)) {
		list = manifest;
	} else if (json_is_object(manifest)) {
		b = json_object_get(manifest, "builtins");
		if (b != NULL && !json_is_boolean(b)) {
			seterr(err, errsz, "%s: builtins: expected true or "
			    "false", source);
			return -1;
		}
		list = json_object_get(manifest, "tools");
		if (!json_is_array(list)) {
			seterr(err, errsz, "%s: tools: expected an array",
			    source);
			return -1;
		}
		if (json_is_false(b))
			drop_builtins(ts);
	} else {
		seterr(err, errsz, "%s: expected an array of tools or an "
		    "object with \"tools\"", source);
		return -1;
	}
	for (i = 0; i < json_array_size(list); i++) {
		snprintf(where, sizeof(where), "%s: tools[%zu]", source, i);
		if (load_tool(ts, json_array_get(list, i), where, base_dir, 0,
		    err, errsz) == -1)
			return -1;
	}
	return 0;
}

int
toolset_load_file(struct toolset *ts, const char *path, char *err,
    size_t errsz)
{
	json_error_t jerr;
	json_t *m;
	char dir[PATH_MAX], *slash;
	int rc;

	m = json_load_file(path, 0, &jerr);
	if (m == NULL) {
		if (jerr.line > 0)
			seterr(err, errsz, "%s:%d: %s", path, jerr.line,
			    jerr.text);
		else
			seterr(err, errsz, "%s: %s", path, jerr.text);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	rc = toolset_load_json(ts, m, path, dir, err, errsz);
	json_decref(m);
	return rc;
}

int
toolset_add_internal(struct toolset *ts, const char *name,
    const char *description, json_t *schema)
{
	struct tool t;

	memset(&t, 0, sizeof(t));
	t.name = strdup(name);
	t.description = strdup(description);
	t.input_schema = schema;
	t.timeout_ms = TOOL_DEFAULT_TIMEOUT_MS;
	t.bounds.max_rows = TOOL_DEFAULT_MAX_ROWS;
	t.bounds.max_bytes = TOOL_DEFAULT_MAX_BYTES;
	t.bounds.max_cell = TOOL_DEFAULT_MAX_CELL;
	t.is_builtin = 1;
	if (t.name == NULL || t.description == NULL || schema == NULL ||
	    toolset_put(ts, &t) == -1) {
		tool_release(&t);
		return -1;
	}
	return 0;
}

const struct tool *
toolset_find(const struct toolset *ts, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < ts->n; i++)
		if (strcmp(ts->tools[i].name, name) == 0)
			return &ts->tools[i];
	return NULL;
}

json_t *
toolset_definitions(const struct toolset *ts)
{
	json_t *a, *o;
	size_t i;

	a = json_array();
	for (i = 0; a != NULL && i < ts->n; i++) {
		o = json_object();
		if (o == NULL) {
			json_decref(a);
			return NULL;
		}
		json_object_set_new(o, "name", json_string(ts->tools[i].name));
		json_object_set_new(o, "description",
		    json_string(ts->tools[i].description));
		json_object_set(o, "input_schema", ts->tools[i].input_schema);
		json_array_append_new(a, o);
	}
	return a;
}

/* The last non-empty lines of stderr, at most max bytes, trimmed. */
static void
tail_text(const char *s, size_t len, size_t max, struct buf *b)
{
	size_t start;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	start = len > max ? len - max : 0;
	/* Start on a line when we cut, so the message reads whole. */
	if (start > 0) {
		while (start < len && s[start - 1] != '\n')
			start++;
		if (start == len)
			start = len - max;
	}
	/* stderr may hold anything; the message must be text. */
	utf8_add_clean(b, s + start, len - start);
}

/* The message of a {"error": ...} object on stdout, if that is what the
 * program printed (triage-kql does, for the model to fix its query). */
static const char *
stdout_error(const char *out, size_t len, json_t **hold)
{
	json_t *o, *e;
	const char *msg = NULL;

	*hold = NULL;
	o = json_loadb(out, len, JSON_DISABLE_EOF_CHECK, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	e = json_object_get(o, "error");
	if (json_is_string(e))
		msg = json_string_value(e);
	else if (json_is_object(e))
		msg = jx_nstr(e, "message");
	if (msg != NULL)
		*hold = o;
	else
		json_decref(o);
	return msg;
}

static void
interpret(struct tool_run *r, const struct proc_result *res, long timeout_ms)
{
	struct buf b;
	const char *prog = r->tool->argv[0], *slash, *msg;
	json_t *hold = NULL;

	slash = strrchr(prog, '/');
	if (slash != NULL)
		prog = slash + 1;
	buf_init(&b);
	r->is_error = 0;
	if (res->status == -1) {
		r->is_error = 1;
		buf_printf(&b, "cannot run '%s': %s", prog, res->error);
	} else if (res->cancelled) {
		r->is_error = 1;
		buf_printf(&b, "'%s' was cancelled and stopped", prog);
	} else if (res->timed_out) {
		r->is_error = 1;
		buf_printf(&b, "'%s' timed out after %ld s and was stopped",
		    prog, timeout_ms / 1000);
	} else if (res->status == 7 && r->out_len > 0) {
		/* EXIT_PARTIAL: a result with gaps; the gaps are a note. */
		if (r->err_len > 0)
			tail_text(r->err, r->err_len, 1000, &b);
	} else if (res->status != 0) {
		r->is_error = 1;
		buf_printf(&b, "'%s' failed (exit status %d", prog,
		    res->status);
		if (res->signal != 0)
			buf_printf(&b, ", signal %d", res->signal);
		buf_adds(&b, ")");
		msg = stdout_error(r->out, r->out_len, &hold);
		if (msg != NULL) {
			buf_adds(&b, ": ");
			buf_adds(&b, msg);
		} else if (r->err_len > 0) {
			buf_adds(&b, ": ");
			tail_text(r->err, r->err_len, 2000, &b);
		}
		json_decref(hold);
	}
	if (!r->is_error && r->out_truncated) {
		if (b.len > 0)
			buf_adds(&b, "; ");
		buf_printf(&b, "the output was longer than %u MiB and was "
		    "cut", PROC_DEFAULT_MAX_OUT >> 20);
	}
	r->message = b.len > 0 ? buf_steal(&b) : NULL;
	buf_release(&b);
}

/* What one run's child left, moved into the run and judged. */
struct take {
	struct tool_run	*run;
	long		 timeout_ms;
	int		 taken;
	int		 failed;	/* out of memory */
};

static void
take(struct proc_result *res, void *arg)
{
	struct take *t = arg;
	struct tool_run *r = t->run;

	if (t->taken)
		return;
	t->taken = 1;
	r->status = res->status;
	r->timed_out = res->timed_out;
	r->cancelled = res->cancelled;
	r->elapsed_ms = res->elapsed_ms;
	r->out = res->out;
	r->out_len = res->out_len;
	r->out_truncated = res->out_truncated;
	r->err = res->err;
	r->err_len = res->err_len;
	res->out = res->err = NULL;
	if (r->out == NULL) {
		r->out = calloc(1, 1);
		r->out_len = 0;
	}
	if (r->err == NULL) {
		r->err = calloc(1, 1);
		r->err_len = 0;
	}
	if (r->out == NULL || r->err == NULL) {
		t->failed = 1;
		return;
	}
	interpret(r, res, t->timeout_ms);
	if (r->done != NULL)
		r->done(r, r->done_arg);
}

int
tools_run_many(struct tool_run *runs, size_t n)
{
	struct proc_spec *specs;
	struct proc_result *res;
	char **inputs;
	struct take *takes;
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	specs = calloc(n, sizeof(*specs));
	res = calloc(n, sizeof(*res));
	inputs = calloc(n, sizeof(*inputs));
	takes = calloc(n, sizeof(*takes));
	if (specs == NULL || res == NULL || inputs == NULL || takes == NULL) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct buf line;

		buf_init(&line);
		if (jx_dump_buf(runs[i].input, &line, JSON_COMPACT) == -1 ||
		    buf_addc(&line, '\n') == -1) {
			buf_release(&line);
			rc = -1;
			goto out;
		}
		specs[i].input_len = line.len;
		inputs[i] = buf_steal(&line);
		specs[i].argv = (const char *const *)runs[i].tool->argv;
		specs[i].input = inputs[i];
		specs[i].timeout_ms = runs[i].timeout_ms > 0 ?
		    runs[i].timeout_ms : runs[i].tool->timeout_ms;
		specs[i].cancel = runs[i].cancel;
		takes[i].run = &runs[i];
		takes[i].timeout_ms = specs[i].timeout_ms;
		specs[i].done = take;
		specs[i].done_arg = &takes[i];
	}
	/* A child that cannot start is reported in its own result; each
	 * is taken (and the caller told) as soon as it ends. */
	(void)proc_run_many(specs, n, res);
	for (i = 0; i < n; i++) {
		take(&res[i], &takes[i]);
		if (takes[i].failed)
			rc = -1;
		proc_result_release(&res[i]);
	}
out:
	if (inputs != NULL)
		for (i = 0; i < n; i++)
			free(inputs[i]);
	free(inputs);
	free(specs);
	free(takes);
	free(res);
	return rc;
}

void
tool_run_release(struct tool_run *r)
{
	free(r->out);
	free(r->err);
	free(r->message);
	r->out = r->err = r->message = NULL;
	r->out_len = r->err_len = 0;
}
