/*
 * enrich: look indicators up in threat intelligence and write one
 * enrichment record per indicator and provider.  Indicators come as
 * arguments, or on stdin as plain lines (defanged forms accepted), JSON
 * requests ({"ip": ...}, {"hash": ...}, {"domain": ...}, {"url": ...},
 * {"indicator": ...}), or records: those pass through unchanged, and an
 * incident's entities are enriched after it.  Input is read in batches
 * (up to EOF, or BATCH_INDICATORS new indicators, or one line at a time
 * from a terminal) so that a batch's lookups all run at once.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "defang.h"
#include "http.h"
#include "ioc.h"
#include "isotime.h"
#include "jsonx.h"
#include "lookup.h"
#include "ndjson.h"

#define BATCH_INDICATORS	256
#define BATCH_ITEMS		1024
#define MAX_INDICATOR		8192
#define DEFAULT_MAX_AGE		(24 * 3600)
#define DEFAULT_MAX_WAIT	60
#define DEFAULT_PARALLEL	16

static const char synopsis[] =
"triage-enrich [--no-cache] [--max-age AGE] [--max-wait SEC]\n"
"                     [--parallel N] [--providers LIST] [INDICATOR ...]";

static const char help_text[] =
"usage: triage-enrich [--no-cache] [--max-age AGE] [--max-wait SEC]\n"
"                     [--parallel N] [--providers LIST] [INDICATOR ...]\n"
"\n"
"Look up IP addresses, file hashes, domains and URLs in threat\n"
"intelligence and write one enrichment record per indicator and provider.\n"
"Without INDICATOR arguments, read stdin: plain lines (defanged forms such\n"
"as 1.2.3[.]4 or hxxps:// accepted), JSON requests such as {\"ip\":...},\n"
"or records, which pass through (an incident's entities are enriched).\n"
"\n"
"  --max-age AGE     use cached answers younger than AGE (24h; 90m, 2d,\n"
"                    P1D or seconds)\n"
"  --max-wait SEC    wait at most SEC seconds for a rate-limit slot (60)\n"
"  --no-cache        neither read nor write the cache\n"
"  --parallel N      lookups in flight at once (16)\n"
"  --providers LIST  comma-separated: abuseipdb, virustotal, internetdb,\n"
"                    workspace_ti (default: each that fits the indicator)\n"
"  --help            show this help\n"
"  --version         show the version\n"
"\n"
"Keys: ABUSEIPDB_API_KEY, VIRUSTOTAL_API_KEY.  Rate limits:\n"
"TRIAGE_RATE_VIRUSTOTAL (4/min,500/day), TRIAGE_RATE_ABUSEIPDB (1000/day),\n"
"TRIAGE_RATE_INTERNETDB (60/min).  See triage-enrich(1).\n";

/* One input line: a record to pass on (or none), and the indicators it
 * brought that this run had not seen, inds[first..first+count). */
struct item {
	json_t	*rec;
	size_t	 first;
	size_t	 count;
};

struct batch {
	struct item		*items;
	size_t			 nitems;
	size_t			 capitems;
	struct indicator	*inds;
	size_t			 ninds;
	size_t			 capinds;
};

/* The indicators seen so far in this run, "subkind:value". */
struct seen {
	char	**slots;
	size_t	  cap;
	size_t	  n;
};

struct run {
	struct lookup	 lk;
	unsigned	 chosen;
	int		 explicit_providers;
	struct seen	 seen;
	struct batch	 batch;
	int		 rc;
	int		 dry;		/* classify only */
	int		 bad;		/* some input was skipped */
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

/* Adds key; returns 1 when it was new, 0 when seen before. */
static int
seen_add(struct seen *s, const char *key)
{
	char **old;
	size_t i, cap;

	if (s->n * 2 >= s->cap) {
		old = s->slots;
		cap = s->cap;
		s->cap = cap == 0 ? 256 : cap * 2;
		s->slots = xcalloc(s->cap, sizeof(*s->slots));
		s->n = 0;
		for (i = 0; i < cap; i++)
			if (old[i] != NULL) {
				seen_add(s, old[i]);
				free(old[i]);
			}
		free(old);
	}
	for (i = hash_str(key) & (s->cap - 1); s->slots[i] != NULL;
	    i = (i + 1) & (s->cap - 1))
		if (strcmp(s->slots[i], key) == 0)
			return 0;
	s->slots[i] = xstrdup(key);
	s->n++;
	return 1;
}

static void
seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->slots[i]);
	free(s->slots);
}

/* Text from the input, made safe and short for a message. */
static const char *
shown(const char *s, char *out, size_t outsz)
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o + 4 < outsz && o < 60; i++)
		out[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	if (s[i] != '\0' && o + 4 <= outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Top-level domains that name hosts inside a network, never outside. */
static const char *
internal_name(const char *host)
{
	static const char *const tlds[] = { "local", "localhost",
	    "internal", "intranet", "lan", "home.arpa", "corp", "invalid",
	    "test", NULL };
	const char *const *t;
	size_t n = strlen(host), m;

	while (n > 0 && host[n - 1] == '.')
		n--;
	for (t = tlds; *t != NULL; t++) {
		m = strlen(*t);
		if (n > m && host[n - m - 1] == '.' &&
		    strncasecmp(host + n - m, *t, m) == 0)
			return *t;
	}
	return NULL;
}

/* Why ind must not leave the building, or NULL. */
static const char *
private_range(enum ioc_kind k, const char *value)
{
	static char why[64];
	const char *range = NULL, *tld;
	char host[256];

	switch (k) {
	case IOC_IPV4:
	case IOC_IPV6:
		return ioc_ip_is_public(value, &range) == 0 ?
		    (range != NULL ? range : "not public") : NULL;
	case IOC_URL:
		if (ioc_url_host(value, host, sizeof(host)) == -1)
			return NULL;
		if (ioc_ip_is_public(host, &range) == 0)
			return range != NULL ? range : "not public";
		if (ioc_ip_is_public(host, NULL) == -1 &&
		    strchr(host, '.') == NULL)
			return "internal name (a single label)";
		value = host;
		/* FALLTHROUGH */
	case IOC_DOMAIN:
		tld = internal_name(value);
		if (tld == NULL)
			return NULL;
		snprintf(why, sizeof(why), "internal name (.%s)", tld);
		return why;
	default:
		return NULL;
	}
}

/* A URL is one token of printable text. */
static int
url_is_clean(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/*
 * Classifies text as an indicator of the wanted family ("ip", "hash",
 * "domain", "url"; NULL: any) and adds it to the batch when this run has
 * not seen it.  0, or -1 with a message in err.
 */
static int
add_indicator(struct run *run, const char *text, const char *want, char *err,
    size_t errsz)
{
	struct batch *b = &run->batch;
	char norm[MAX_INDICATOR + 1], key[MAX_INDICATOR + 16], show[80];
	struct indicator *ind;
	enum ioc_kind k = IOC_NONE;
	const char *s, *family;
	char *plain;
	size_t n;
	json_t *check;

	/* Refanging shortens text by at most 5 to 1 ("[dot]" to "."), so
	 * longer text cannot be an indicator; and refanging a 100 MB line
	 * would take seconds. */
	n = strlen(text);
	plain = refang(n <= 5 * (MAX_INDICATOR + 64) ? text : "");
	if (plain == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	for (s = plain; *s == ' ' || *s == '\t'; s++)
		;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	/* A list pasted from a spreadsheet or code: "1.1.1.1" or '1.1.1.1'. */
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s++;
		n -= 2;
	}
	if (n > 0 && n <= MAX_INDICATOR) {
		memcpy(key, s, n);
		key[n] = '\0';
		k = ioc_normalise(key, norm, sizeof(norm));
		/* Text in a record must be UTF-8; a URL one token. */
		check = k != IOC_NONE ? json_string(norm) : NULL;
		if (check == NULL || (k == IOC_URL && !url_is_clean(norm)))
			k = IOC_NONE;
		json_decref(check);
	}
	family = ioc_kind_family(k);
	if (k == IOC_NONE || (want != NULL && (family == NULL ||
	    strcmp(family, want) != 0))) {
		if (want == NULL)
			snprintf(err, errsz, "'%s' is not an indicator (an IP "
			    "address, hash, domain or URL)", shown(text, show,
			    sizeof(show)));
		else
			snprintf(err, errsz, "'%s' is not %s %s",
			    shown(text, show, sizeof(show)),
			    strcmp(want, "ip") == 0 ||
			    strcmp(want, "hash") == 0 ? "an" : "a",
			    strcmp(want, "ip") == 0 ? "IP address" :
			    strcmp(want, "hash") == 0 ?
			    "MD5, SHA-1 or SHA-256 hash" :
			    strcmp(want, "url") == 0 ? "URL" : want);
		free(plain);
		return -1;
	}
	free(plain);
	if (run->dry)
		return 0;
	snprintf(key, sizeof(key), "%s:%s", ioc_kind_name(k), norm);
	if (!seen_add(&run->seen, key))
		return 0;
	if (b->ninds == b->capinds) {
		b->capinds = b->capinds == 0 ? 64 : b->capinds * 2;
		b->inds = xrealloc(b->inds, b->capinds * sizeof(*b->inds));
	}
	ind = &b->inds[b->ninds++];
	ind->kind = k;
	ind->value = xstrdup(norm);
	ind->range = private_range(k, norm);
	if (ind->range != NULL)
		ind->range = xstrdup(ind->range);
	b->items[b->nitems - 1].count++;
	return 0;
}

/* Starts the item for the next input line; rec is stolen. */
static void
add_item(struct batch *b, json_t *rec)
{
	if (b->nitems == b->capitems) {
		b->capitems = b->capitems == 0 ? 64 : b->capitems * 2;
		b->items = xrealloc(b->items, b->capitems * sizeof(*b->items));
	}
	b->items[b->nitems].rec = rec;
	b->items[b->nitems].first = b->ninds;
	b->items[b->nitems].count = 0;
	b->nitems++;
}

/* Looks up everything in the batch and writes the records in order. */
static void
flush(struct run *run)
{
	struct batch *b = &run->batch;
	struct job *jobs;
	size_t i, j, n = 0, cap = 0, at = 0, end;
	unsigned bits;
	int p;

	for (i = 0; i < b->ninds; i++)
		cap += P_COUNT;
	jobs = xcalloc(cap + 1, sizeof(*jobs));
	for (i = 0; i < b->ninds; i++) {
		/* What goes nowhere (a private address, a mail address no
		 * provider knows) gets one record, not one per provider. */
		if (b->inds[i].range != NULL ||
		    provider_able(b->inds[i].kind) == 0) {
			jobs[n].ind = &b->inds[i];
			jobs[n].no_provider = 1;
			n++;
			continue;
		}
		bits = run->explicit_providers ?
		    run->chosen & provider_able(b->inds[i].kind) :
		    provider_defaults(b->inds[i].kind);
		/* Nothing fits: say so, once per provider asked for. */
		if (bits == 0)
			bits = run->chosen;
		for (p = 0; p < P_COUNT; p++)
			if (bits & (1u << p)) {
				jobs[n].ind = &b->inds[i];
				jobs[n].provider = (enum provider_id)p;
				n++;
			}
	}
	lookup_run(&run->lk, jobs, n);
	for (i = 0; i < b->nitems; i++) {
		if (b->items[i].rec != NULL && run->rc == 0 &&
		    ndjson_write(stdout, b->items[i].rec) == -1)
			run->rc = EXIT_FAIL;
		json_decref(b->items[i].rec);
		end = b->items[i].first + b->items[i].count;
		for (; at < n && jobs[at].ind < &b->inds[end]; at++)
			if (run->rc == 0 && ndjson_write(stdout,
			    jobs[at].record) == -1)
				run->rc = EXIT_FAIL;
	}
	for (j = 0; j < n; j++) {
		json_decref(jobs[j].record);
		answer_release(&jobs[j].ans);
	}
	free(jobs);
	for (i = 0; i < b->ninds; i++) {
		free(b->inds[i].value);
		free((char *)b->inds[i].range);
	}
	b->nitems = 0;
	b->ninds = 0;
	if (run->rc != 0)
		cli_die(run->rc, "cannot write the records to stdout");
}

/* Every indicator an incident's entities name (docs/records.md).  Host
 * names and mail addresses are not looked up: a host's name is internal,
 * and no provider knows mail addresses. */
static const struct entity_field {
	const char	*kind;
	const char	*path;
	const char	*want;
} entity_fields[] = {
	{ "ip", "address", "ip" },
	{ "file", "md5", "hash" },
	{ "file", "sha1", "hash" },
	{ "file", "sha256", "hash" },
	{ "filehash", "value", "hash" },
	{ "process", "image.md5", "hash" },
	{ "process", "image.sha1", "hash" },
	{ "process", "image.sha256", "hash" },
	{ "process", "parent.image.md5", "hash" },
	{ "process", "parent.image.sha1", "hash" },
	{ "process", "parent.image.sha256", "hash" },
	{ "url", "url", "url" },
	{ "domain", "domain", "domain" },
	{ "mailmessage", "sender_ip", "ip" },
	{ NULL, NULL, NULL }
};

static void
add_entity_value(struct run *run, const json_t *e, const char *v,
    const char *want, const char *where)
{
	char err[256];

	if (v != NULL && *v != '\0' && add_indicator(run, v, want, err,
	    sizeof(err)) == -1)
		cli_warn("%s: entity %s: %s; not looked up", where,
		    jx_str(e, "id") != NULL ? jx_str(e, "id") : "?", err);
}

static void
add_incident(struct run *run, const json_t *inc, const char *where)
{
	const struct entity_field *f;
	const char *kind;
	json_t *e, *u;
	size_t i, j;

	json_array_foreach(json_object_get(inc, "entities"), i, e) {
		kind = jx_str(e, "kind");
		if (kind == NULL)
			continue;
		for (f = entity_fields; f->kind != NULL; f++)
			if (strcmp(kind, f->kind) == 0)
				add_entity_value(run, e, jx_path_str(e,
				    f->path), f->want, where);
		if (strcmp(kind, "mailmessage") == 0)
			json_array_foreach(json_object_get(e, "urls"), j, u)
				add_entity_value(run, e, json_string_value(u),
				    "url", where);
	}
}

/* One pass over a request: {"ip"|"hash"|"domain"|"url"|"indicator": string
 * or list}. */
static int
request_pass(struct run *run, const json_t *req, char *err, size_t errsz)
{
	static const char *const keys[] = { "ip", "hash", "domain", "url",
	    "indicator", "indicators", NULL };
	const char *const *k;
	const char *want;
	json_t *v, *x;
	size_t i;
	int any = 0;

	for (k = keys; *k != NULL; k++) {
		v = json_object_get(req, *k);
		if (v == NULL)
			continue;
		want = strncmp(*k, "indicator", 9) == 0 ? NULL : *k;
		if (json_is_string(v)) {
			if (add_indicator(run, json_string_value(v), want, err,
			    errsz) == -1)
				return -1;
			any = 1;
			continue;
		}
		if (!json_is_array(v)) {
			snprintf(err, errsz, "\"%s\": expected a string or a "
			    "list of strings", *k);
			return -1;
		}
		json_array_foreach(v, i, x) {
			if (!json_is_string(x)) {
				snprintf(err, errsz, "\"%s\": expected a "
				    "string or a list of strings", *k);
				return -1;
			}
			if (add_indicator(run, json_string_value(x), want, err,
			    errsz) == -1)
				return -1;
			any = 1;
		}
	}
	if (!any) {
		snprintf(err, errsz, "a request needs \"ip\", \"hash\", "
		    "\"domain\", \"url\" or \"indicator\"");
		return -1;
	}
	return 0;
}

/* A request is answered whole or not at all: it is checked first. */
static int
add_request(struct run *run, const json_t *req, char *err, size_t errsz)
{
	int rc;

	run->dry = 1;
	rc = request_pass(run, req, err, errsz);
	run->dry = 0;
	return rc == -1 ? -1 : request_pass(run, req, err, errsz);
}

/*
 * A line (or argument) that cannot be answered is named on stderr and
 * skipped; the rest of the input is still answered, and the exit status
 * says some was not.
 */
static void
bad_input(struct run *run, const char *where, const char *what)
{
	cli_warn("%s: %s; skipped", where, what);
	run->bad = 1;
}

static void
read_stdin(struct run *run)
{
	struct ndjson_reader r;
	char where[64], err[512], *line;
	int interactive = isatty(0);
	json_t *rec;
	size_t len;

	ndjson_init(&r, stdin, "<stdin>");
	while ((line = ndjson_getline(&r, &len)) != NULL) {
		snprintf(where, sizeof(where), "<stdin>:%zu", r.line);
		if (memchr(line, '\0', len) != NULL) {
			bad_input(run, where, "a NUL byte in the line");
			continue;
		}
		if (ndjson_is_json_line(line, len)) {
			rec = ndjson_parse(&r, line, len);
			if (rec == NULL) {
				cli_warn("%s; skipped", r.error);
				run->bad = 1;
				r.failed = 0;
				continue;
			}
			if (!json_is_object(rec)) {
				json_decref(rec);
				bad_input(run, where, "expected an object");
				continue;
			}
			if (jx_type(rec) == NULL) {
				add_item(&run->batch, NULL);
				if (add_request(run, rec, err,
				    sizeof(err)) == -1)
					bad_input(run, where, err);
				json_decref(rec);
			} else {
				add_item(&run->batch, rec);
				if (strcmp(jx_type(rec), "incident") == 0)
					add_incident(run, rec, where);
			}
		} else {
			line += strspn(line, " \t");
			if (*line == '#' || *line == '\0')
				continue;	/* a comment in a list */
			add_item(&run->batch, NULL);
			if (add_indicator(run, line, NULL, err,
			    sizeof(err)) == -1)
				bad_input(run, where, err);
		}
		if (interactive || run->batch.ninds >= BATCH_INDICATORS ||
		    run->batch.nitems >= BATCH_ITEMS)
			flush(run);
	}
	if (r.failed) {
		snprintf(err, sizeof(err), "%s", r.error);
		flush(run);
		ndjson_release(&r);
		cli_die(EXIT_FAIL, "%s", err);
	}
	ndjson_release(&r);
	flush(run);
}

static int64_t
parse_age(const char *s)
{
	char *end;
	long long n;
	int64_t ticks;

	if (*s == 'P' || *s == 'p') {
		if (iso_duration_parse(s, &ticks) == -1 || ticks < 0)
			return -1;
		return ticks / TICKS_PER_SEC;
	}
	n = strtoll(s, &end, 10);
	if (end == s || n < 0 || n > 100LL * 365 * 86400)
		return -1;
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		return n;
	if (strcmp(end, "m") == 0)
		return n * 60;
	if (strcmp(end, "h") == 0)
		return n * 3600;
	if (strcmp(end, "d") == 0)
		return n * 86400;
	return -1;
}

static long
parse_number(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (end == s || *end != '\0' || n < lo || n > hi) {
		cli_warn("%s: '%s' is not a number from %ld to %ld", what, s,
		    lo, hi);
		cli_usage(synopsis);
	}
	return n;
}

static unsigned
parse_providers(const char *list, const char *what)
{
	char *copy, *tok, *save;
	unsigned bits = 0;
	int p;

	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " ");
		tok[strcspn(tok, " ")] = '\0';
		p = provider_parse(tok);
		if (p < 0) {
			cli_warn("%s: unknown provider '%s' "
			    "(abuseipdb, virustotal, internetdb, "
			    "workspace_ti)", what, tok);
			free(copy);
			cli_usage(synopsis);
		}
		bits |= 1u << p;
	}
	free(copy);
	if (bits == 0) {
		cli_warn("%s: no provider named", what);
		cli_usage(synopsis);
	}
	return bits;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",      no_argument,       NULL, 'h' },
		{ "version",   no_argument,       NULL, 'V' },
		{ "no-cache",  no_argument,       NULL, 'n' },
		{ "max-age",   required_argument, NULL, 'a' },
		{ "max-wait",  required_argument, NULL, 'w' },
		{ "parallel",  required_argument, NULL, 'p' },
		{ "providers", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	struct run run;
	int64_t max_age = DEFAULT_MAX_AGE;
	long max_wait = DEFAULT_MAX_WAIT, parallel = DEFAULT_PARALLEL;
	int c, i, use_cache = 1;
	char err[512], where[32];

	cli_init(argc, argv);
	memset(&run, 0, sizeof(run));
	run.chosen = P_ALL;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'n':
			use_cache = 0;
			break;
		case 'a':
			max_age = parse_age(optarg);
			if (max_age < 0) {
				cli_warn("--max-age: '%s' is not an age such "
				    "as 24h, 90m, 2d, P1D or 3600", optarg);
				cli_usage(synopsis);
			}
			break;
		case 'w':
			max_wait = parse_number(optarg, 0, 86400, "--max-wait");
			break;
		case 'p':
			parallel = parse_number(optarg, 1, 256, "--parallel");
			break;
		case 'P':
			run.chosen = parse_providers(optarg, "--providers");
			run.explicit_providers = 1;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	/* The setting stands in for --providers, so a pipeline or the agent's
	 * tool calls can leave a provider out without new arguments. */
	if (!run.explicit_providers &&
	    config_get("TRIAGE_ENRICH_PROVIDERS") != NULL) {
		run.chosen = parse_providers(config_get(
		    "TRIAGE_ENRICH_PROVIDERS"), "TRIAGE_ENRICH_PROVIDERS");
		run.explicit_providers = 1;
	}
	if (http_global_init() == -1)
		cli_die(EXIT_FAIL, "cannot start libcurl");
	if (lookup_init(&run.lk, run.chosen, use_cache, max_age,
	    (size_t)parallel, (int64_t)max_wait * 1000, err,
	    sizeof(err)) == -1)
		cli_die(EXIT_USAGE, "%s", err);
	if (argc > 0) {
		for (i = 0; i < argc; i++) {
			snprintf(where, sizeof(where), "argument %d", i + 1);
			add_item(&run.batch, NULL);
			if (add_indicator(&run, argv[i], NULL, err,
			    sizeof(err)) == -1)
				bad_input(&run, where, err);
		}
		flush(&run);
	} else
		read_stdin(&run);
	lookup_report(&run.lk);
	if (run.bad)
		cli_warn("some input was not an indicator, a request or a "
		    "record (named above); the rest was answered");
	lookup_release(&run.lk);
	seen_release(&run.seen);
	free(run.batch.items);
	free(run.batch.inds);
	http_global_cleanup();
	return cli_exit(run.bad ? EXIT_DATA : EXIT_OK);
}
