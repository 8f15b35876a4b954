/*
 * lookup: the I/O of triage-enrich.  A batch of jobs (indicator x
 * provider) is settled in three passes: what needs no asking (not public,
 * no key, in the cache), the workspace's threat intelligence (one
 * triage-kql query per table for the whole batch), then every HTTP
 * lookup at once through http_send_many.  Each HTTP attempt first books a
 * slot in the provider's shared budget (lib/ratelimit) from the admit
 * hook, so waiting for a slot holds no connection and retries count too;
 * a 429 pauses the budget for everyone, and a spent daily quota ends the
 * lookup as error/quota without a request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "cache.h"
#include "cli.h"
#include "config.h"
#include "http.h"
#include "isotime.h"
#include "jsonx.h"
#include "log.h"
#include "lookup.h"
#include "paths.h"
#include "proc.h"
#include "term.h"

#define TI_BATCH		200	/* indicators per workspace query */
#define TI_TIMEOUT_MS		(120 * 1000)
#define TI_DEFAULT_TIMESPAN	"P90D"
#define MAX_RESPONSE		(8u << 20)

enum { F_IP = 1, F_HASH = 2, F_DOMAIN = 4, F_URL = 8 };

static const struct provider {
	const char	*name;
	const char	*key_var;	/* NULL: needs no key */
	const char	*url_var;
	const char	*url_default;
	const char	*rate_default;
	unsigned	 able;		/* F_* it can look up */
	unsigned	 dflt;		/* F_* it looks up by default */
} providers[P_COUNT] = {
	{ "abuseipdb", "ABUSEIPDB_API_KEY", "TRIAGE_ABUSEIPDB_URL",
	    "https://api.abuseipdb.com/api/v2", "1000/day", F_IP, F_IP },
	{ "virustotal", "VIRUSTOTAL_API_KEY", "TRIAGE_VIRUSTOTAL_URL",
	    "https://www.virustotal.com/api/v3", "4/min,500/day",
	    F_IP | F_HASH | F_DOMAIN | F_URL,
	    F_IP | F_HASH | F_DOMAIN | F_URL },
	{ "internetdb", NULL, "TRIAGE_INTERNETDB_URL",
	    "https://internetdb.shodan.io", "60/min", F_IP, F_IP },
	{ "workspace_ti", NULL, NULL, NULL, NULL,
	    F_IP | F_HASH | F_DOMAIN | F_URL,
	    F_IP | F_HASH | F_DOMAIN | F_URL }
};

const char *
provider_name(enum provider_id p)
{
	return providers[p].name;
}

int
provider_parse(const char *name)
{
	int i;

	for (i = 0; i < P_COUNT; i++)
		if (strcmp(providers[i].name, name) == 0)
			return i;
	return -1;
}

static unsigned
family_bit(enum ioc_kind k)
{
	switch (k) {
	case IOC_IPV4:
	case IOC_IPV6:
		return F_IP;
	case IOC_MD5:
	case IOC_SHA1:
	case IOC_SHA256:
		return F_HASH;
	case IOC_DOMAIN:
		return F_DOMAIN;
	case IOC_URL:
		return F_URL;
	default:
		return 0;
	}
}

unsigned
provider_defaults(enum ioc_kind k)
{
	unsigned bits = 0, f = family_bit(k);
	int i;

	for (i = 0; i < P_COUNT; i++)
		if (providers[i].dflt & f)
			bits |= 1u << i;
	return bits;
}

unsigned
provider_able(enum ioc_kind k)
{
	unsigned bits = 0, f = family_bit(k);
	int i;

	for (i = 0; i < P_COUNT; i++)
		if (providers[i].able & f)
			bits |= 1u << i;
	return bits;
}

/* An API key goes into a header: printable ASCII only, no spaces. */
static int
key_is_sane(const char *k)
{
	for (; *k != '\0'; k++)
		if (*k < 0x21 || *k > 0x7e)
			return 0;
	return 1;
}

static int
setup_http(struct provider_state *ps, const struct provider *p, char *err,
    size_t errsz)
{
	const char *key = NULL, *base;
	size_t n;

	if (p->key_var != NULL) {
		key = config_get(p->key_var);
		if (key == NULL) {
			snprintf(ps->why, sizeof(ps->why), "%s: no API key "
			    "(set %s)", p->name, p->key_var);
			return 0;
		}
		if (!key_is_sane(key)) {
			snprintf(ps->why, sizeof(ps->why), "%s: %s holds "
			    "characters an API key cannot have", p->name,
			    p->key_var);
			return 0;
		}
	}
	base = config_get_or(p->url_var, p->url_default);
	ps->base = xstrdup(base);
	n = strlen(ps->base);
	while (n > 0 && ps->base[n - 1] == '/')
		ps->base[--n] = '\0';
	if (strncmp(ps->base, "https://", 8) != 0 &&
	    strncmp(ps->base, "http://", 7) != 0) {
		snprintf(err, errsz, "%s: '%s' is not an http(s) URL",
		    p->url_var, base);
		return -1;
	}
	n = 0;
	if (p == &providers[P_ABUSEIPDB])
		ps->headers[n++] = xasprintf("Key: %s", key);
	else if (p == &providers[P_VIRUSTOTAL])
		ps->headers[n++] = xasprintf("x-apikey: %s", key);
	ps->headers[n++] = xstrdup("Accept: application/json");
	ps->headers[n] = NULL;
	switch (ratelimit_open(&ps->rl, p->name, p->rate_default, err,
	    errsz)) {
	case 0:
		ps->rl_open = 1;
		break;
	case -2:
		/* No shared budget: this process keeps the limit alone. */
		log_warn("%s: %s; the rate limit holds for this process only",
		    p->name, err);
		ps->rl_open = 1;
		break;
	default:
		return -1;
	}
	ps->configured = 1;
	return 0;
}

int
lookup_init(struct lookup *lk, unsigned chosen, int use_cache,
    int64_t max_age_s, size_t parallel, int64_t max_wait_ms, char *err,
    size_t errsz)
{
	char path[4096];
	const char *kql;
	int i;

	memset(lk, 0, sizeof(*lk));
	lk->chosen = chosen;
	lk->parallel = parallel;
	lk->max_wait_ms = max_wait_ms;
	lk->use_cache = use_cache;
	if (use_cache && store_open(&lk->store, max_age_s, err,
	    errsz) == -1) {
		log_warn("%s; going on without the cache", err);
		lk->use_cache = 0;
	}
	for (i = 0; i < P_COUNT; i++) {
		if (!(chosen & (1u << i)))
			continue;
		if (i == P_WORKSPACE_TI) {
			if (config_get("TRIAGE_WORKSPACE") == NULL &&
			    config_get("LOG_ANALYTICS_WORKSPACE_ID") == NULL) {
				snprintf(lk->ps[i].why, sizeof(lk->ps[i].why),
				    "workspace_ti: no workspace (set "
				    "TRIAGE_WORKSPACE or "
				    "LOG_ANALYTICS_WORKSPACE_ID)");
				continue;
			}
			lk->ps[i].configured = 1;
			continue;
		}
		if (setup_http(&lk->ps[i], &providers[i], err, errsz) == -1)
			return -1;
	}
	kql = config_get("TRIAGE_KQL");
	if (kql == NULL) {
		paths_program("triage-kql", path, sizeof(path));
		kql = path;
	}
	lk->kql = xstrdup(kql);
	lk->ti_timespan = config_get_or("TRIAGE_TI_TIMESPAN",
	    TI_DEFAULT_TIMESPAN);
	return 0;
}

void
lookup_release(struct lookup *lk)
{
	size_t i, j;

	for (i = 0; i < P_COUNT; i++) {
		free(lk->ps[i].base);
		for (j = 0; lk->ps[i].headers[j] != NULL; j++)
			free(lk->ps[i].headers[j]);
		if (lk->ps[i].rl_open)
			ratelimit_release(&lk->ps[i].rl);
	}
	if (lk->use_cache)
		store_release(&lk->store);
	free(lk->kql);
}

/* The provider's page about the indicator, for people; NULL if none. */
static char *
link_for(const struct job *j)
{
	const struct indicator *ind = j->ind;
	const char *id;

	switch (j->provider) {
	case P_ABUSEIPDB:
		return xasprintf("https://www.abuseipdb.com/check/%s",
		    ind->value);
	case P_INTERNETDB:
		return xasprintf("https://internetdb.shodan.io/%s", ind->value);
	case P_VIRUSTOTAL:
		switch (ind->kind) {
		case IOC_IPV4:
		case IOC_IPV6:
			return xasprintf("https://www.virustotal.com/gui/"
			    "ip-address/%s", ind->value);
		case IOC_DOMAIN:
			return xasprintf("https://www.virustotal.com/gui/"
			    "domain/%s", ind->value);
		case IOC_URL:
			id = jx_str(j->ans.facts, "vt_id");
			return id == NULL ? NULL : xasprintf("https://www."
			    "virustotal.com/gui/url/%s", id);
		default:
			id = jx_str(j->ans.facts, "sha256");
			return xasprintf("https://www.virustotal.com/gui/file/%s",
			    id != NULL ? id : ind->value);
		}
	default:
		return NULL;
	}
}

/* Makes the job's record from its answer; keeps it when it may. */
static void
finish_job(struct lookup *lk, struct job *j, int fetched)
{
	char when[48], *link = NULL;
	enum verdict v = j->ans.verdict;

	if (fetched)
		iso_format(iso_now() - iso_now() % TICKS_PER_SEC, when,
		    sizeof(when), 0);
	if (v != V_SKIPPED)
		link = link_for(j);
	j->record = enrichment_record(j->ind, j->no_provider ? NULL :
	    providers[j->provider].name, &j->ans, 0, fetched ? when : NULL,
	    link);
	free(link);
	if (fetched && lk->use_cache && verdict_is_cacheable(v) &&
	    j->provider != P_WORKSPACE_TI)
		store_put(&lk->store, providers[j->provider].name, j->ind,
		    j->record);
	if (v == V_ERROR || v == V_NOT_CONFIGURED) {
		if (lk->trouble[j->provider][v]++ == 0)
			snprintf(lk->trouble_msg[j->provider][v],
			    sizeof(lk->trouble_msg[0][0]), "%s",
			    j->ans.message);
	}
}

/* The first pass: jobs that need no asking. */
static int
settle_locally(struct lookup *lk, struct job *j, int64_t now)
{
	struct provider_state *ps = &lk->ps[j->provider];
	json_t *rec;

	if (j->ind->range != NULL) {
		answer_set(&j->ans, V_SKIPPED, R_NON_PUBLIC, "not sent "
		    "anywhere: %s", j->ind->range);
		json_object_set_new(answer_facts(&j->ans), "range",
		    json_string(j->ind->range));
		finish_job(lk, j, 0);
		return 1;
	}
	if (j->no_provider) {
		answer_set(&j->ans, V_SKIPPED, R_NOT_APPLICABLE, "no provider "
		    "looks up %s indicators", ioc_kind_name(j->ind->kind));
		finish_job(lk, j, 0);
		return 1;
	}
	if (!(provider_able(j->ind->kind) & (1u << j->provider))) {
		answer_set(&j->ans, V_SKIPPED, R_NOT_APPLICABLE, "%s does not "
		    "look up %s indicators", providers[j->provider].name,
		    ioc_kind_name(j->ind->kind));
		finish_job(lk, j, 0);
		return 1;
	}
	if (!ps->configured) {
		answer_set(&j->ans, V_NOT_CONFIGURED, NULL, "%s", ps->why);
		finish_job(lk, j, 0);
		return 1;
	}
	/* The workspace is our own, has no quota, and changes as analysts
	 * add indicators: it is asked afresh every time. */
	if (lk->use_cache && j->provider != P_WORKSPACE_TI &&
	    (rec = store_get(&lk->store,
	    providers[j->provider].name, j->ind, now)) != NULL) {
		j->record = rec;
		answer_set(&j->ans, (enum verdict)verdict_parse(jx_str(rec,
		    "verdict")), NULL, NULL);
		return 1;
	}
	return 0;
}

/* The first line of a child's stderr, made safe to carry in a record. */
static void
first_line(const char *s, char *out, size_t outsz)
{
	char tmp[256];
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && s[i] != '\n' &&
	    i + 1 < sizeof(tmp); i++)
		tmp[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	tmp[i] = '\0';
	utf8_cut(tmp, 200, out, outsz);
	if (out[0] == '\0')
		snprintf(out, outsz, "no message");
}

/* One query's outcome: rows, or an error answer. */
static json_t *
ti_outcome(const struct lookup *lk, enum ti_table t,
    const struct proc_result *res, int started, struct answer *err)
{
	char line[256], why[256];
	json_t *rows;

	answer_init(err);
	if (!started) {
		answer_set(err, V_ERROR, R_UPSTREAM, "workspace_ti: cannot "
		    "run %s: %s", lk->kql, res->error);
		return NULL;
	}
	if (res->timed_out) {
		answer_set(err, V_ERROR, R_TIMEOUT, "workspace_ti: %s: the "
		    "query took longer than %d s", ti_table_name(t),
		    TI_TIMEOUT_MS / 1000);
		return NULL;
	}
	if (res->status != 0) {
		first_line(res->err, line, sizeof(line));
		answer_set(err, V_ERROR, res->status == EXIT_AUTH ? R_AUTH :
		    R_UPSTREAM, "workspace_ti: %s: %s", ti_table_name(t),
		    line);
		return NULL;
	}
	rows = ti_rows(res->out, res->out_len, why, sizeof(why));
	if (rows == NULL)
		answer_set(err, V_ERROR, R_UPSTREAM, "workspace_ti: %s: %s",
		    ti_table_name(t), why);
	return rows;
}

/* The second pass: the workspace, TI_BATCH indicators per query. */
static void
run_workspace(struct lookup *lk, struct job **jobs, size_t n)
{
	const struct indicator *inds[TI_BATCH];
	const char *argv[] = { lk->kql, "--format", "json", NULL };
	struct proc_spec specs[TI_NTABLES];
	struct proc_result res[TI_NTABLES];
	struct answer errs[TI_NTABLES];
	const struct answer *failed[TI_NTABLES];
	json_t *rows[TI_NTABLES], *req;
	char *query[TI_NTABLES], *input[TI_NTABLES];
	size_t from, k, i, t;
	int all_started;

	for (from = 0; from < n; from += k) {
		k = n - from < TI_BATCH ? n - from : TI_BATCH;
		for (i = 0; i < k; i++)
			inds[i] = jobs[from + i]->ind;
		memset(specs, 0, sizeof(specs));
		for (t = 0; t < TI_NTABLES; t++) {
			query[t] = ti_query((enum ti_table)t, inds, k);
			req = json_pack("{s:s?, s:s, s:i}", "query", query[t],
			    "timespan", lk->ti_timespan, "max_rows", 1000);
			input[t] = req != NULL ? json_dumps(req,
			    JSON_COMPACT) : NULL;
			json_decref(req);
			specs[t].argv = argv;
			specs[t].input = input[t] != NULL ? input[t] : "";
			specs[t].input_len = strlen(specs[t].input);
			specs[t].timeout_ms = TI_TIMEOUT_MS;
			log_debug("workspace_ti: %s", query[t] != NULL ?
			    query[t] : "(no query)");
		}
		all_started = proc_run_many(specs, TI_NTABLES, res) == 0;
		for (t = 0; t < TI_NTABLES; t++) {
			rows[t] = ti_outcome(lk, (enum ti_table)t, &res[t],
			    all_started || res[t].status != -1, &errs[t]);
			failed[t] = rows[t] == NULL ? &errs[t] : NULL;
		}
		for (i = 0; i < k; i++) {
			ti_answer(jobs[from + i]->ind, rows, failed,
			    &jobs[from + i]->ans);
			finish_job(lk, jobs[from + i], 1);
		}
		for (t = 0; t < TI_NTABLES; t++) {
			json_decref(rows[t]);
			answer_release(&errs[t]);
			proc_result_release(&res[t]);
			free(query[t]);
			free(input[t]);
		}
	}
}

static char *
request_url(const struct lookup *lk, const struct job *j)
{
	const char *base = lk->ps[j->provider].base;
	const struct indicator *ind = j->ind;
	char *esc, *id, *url;

	switch (j->provider) {
	case P_ABUSEIPDB:
		esc = http_form_escape(ind->value);
		url = xasprintf("%s/check?ipAddress=%s&maxAgeInDays=90&verbose",
		    base, esc != NULL ? esc : "");
		free(esc);
		return url;
	case P_INTERNETDB:
		return xasprintf("%s/%s", base, ind->value);
	default:
		break;
	}
	switch (ind->kind) {
	case IOC_IPV4:
	case IOC_IPV6:
		return xasprintf("%s/ip_addresses/%s", base, ind->value);
	case IOC_DOMAIN:
		return xasprintf("%s/domains/%s", base, ind->value);
	case IOC_URL:
		id = vt_url_id(ind->value);
		if (id == NULL)
			cli_die(EXIT_FAIL, "out of memory");
		url = xasprintf("%s/urls/%s", base, id);
		free(id);
		return url;
	default:
		return xasprintf("%s/files/%s", base, ind->value);
	}
}

/* "3m05s", for a wait. */
static void
say_wait(int64_t ms, char *out, size_t outsz)
{
	int64_t s = (ms + 999) / 1000;

	if (s >= 3600)
		snprintf(out, outsz, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, outsz, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(out, outsz, "%llds", (long long)s);
}

static long
job_admit(void *arg, const struct http_response *last)
{
	struct job *j = arg;
	struct provider_state *ps = &j->lk->ps[j->provider];
	int64_t now = ratelimit_now_ms(), at, budget;

	(void)last;
	if (ps->key_refused) {
		j->held = R_AUTH;
		return -1;
	}
	if (j->slot_at > 0) {
		if (now >= j->slot_at) {
			j->slot_at = 0;
			return 0;
		}
		return (long)(j->slot_at - now);
	}
	if (!ps->rl_open)
		return 0;
	if (j->first_ask == 0)
		j->first_ask = now;
	budget = j->lk->max_wait_ms - (now - j->first_ask);
	switch (ratelimit_reserve(&ps->rl, now, budget > 0 ? budget : 0,
	    &at)) {
	case RATELIMIT_GO:
		if (at <= now)
			return 0;
		j->slot_at = at;
		return (long)(at - now);
	case RATELIMIT_LATER:
		j->held = R_RATE_LIMITED;
		j->held_until = at;
		return -1;
	case RATELIMIT_SPENT:
		j->held = R_QUOTA;
		j->held_until = at;
		return -1;
	default:
		/* Better a lookup over the budget than none at all. */
		if (!ps->rl_warned++)
			log_warn("%s: cannot use the rate limit file %s; going "
			    "on without it", providers[j->provider].name,
			    ps->rl.path);
		return 0;
	}
}

/* Seconds in a Retry-After header (or an HTTP date), else -1. */
static int64_t
retry_after_ms(const struct http_response *res, int64_t now)
{
	const char *v = http_response_header(res, "retry-after");
	char *end;
	double d;
	time_t when;

	if (v == NULL)
		return -1;
	d = strtod(v, &end);
	if (end != v && *end == '\0' && d >= 0 && d < 1e7)
		return (int64_t)(d * 1000);
	when = curl_getdate(v, NULL);
	if (when == -1)
		return -1;
	return (int64_t)when * 1000 > now ? (int64_t)when * 1000 - now : 0;
}

/* Every answer: 429s pause the budget for all; a spent quota ends it. */
static int
job_observe(void *arg, const struct http_response *res)
{
	struct job *j = arg;
	struct provider_state *ps = &j->lk->ps[j->provider];
	const char *left, *reset;
	int64_t now = ratelimit_now_ms(), wait, until = 0;

	if (res->status == 401)
		ps->key_refused = 1;
	left = http_response_header(res, "x-ratelimit-remaining");
	if (j->provider == P_ABUSEIPDB && left != NULL &&
	    strcmp(left, "0") == 0) {
		/* The day's quota is used up: no more calls today. */
		reset = http_response_header(res, "x-ratelimit-reset");
		if (reset != NULL)
			until = strtoll(reset, NULL, 10) * 1000;
		ratelimit_spend(&ps->rl, until > now ? until : 0);
		return res->status == 429 ? -1 : 0;
	}
	if (res->status != 429)
		return 0;
	wait = retry_after_ms(res, now);
	ratelimit_pause(&ps->rl, now + (wait >= 0 ? wait : 60 * 1000));
	return 0;
}

/* The third pass: every HTTP lookup at once. */
static void
run_http(struct lookup *lk, struct job **jobs, size_t n)
{
	struct http_request *reqs;
	struct http_response *res;
	struct job *j;
	char when[48], wait[32];
	size_t i;

	if (n == 0)
		return;
	reqs = xcalloc(n, sizeof(*reqs));
	res = xcalloc(n, sizeof(*res));
	for (i = 0; i < n; i++) {
		j = jobs[i];
		j->lk = lk;
		j->url = request_url(lk, j);
		reqs[i].url = j->url;
		reqs[i].headers = (const char *const *)
		    lk->ps[j->provider].headers;
		reqs[i].max_response = MAX_RESPONSE;
		reqs[i].max_wait_ms = lk->max_wait_ms > 0 ? lk->max_wait_ms :
		    1;
		reqs[i].admit = job_admit;
		reqs[i].observe = job_observe;
		reqs[i].hook_arg = j;
	}
	http_send_many(reqs, res, n, lk->parallel);
	for (i = 0; i < n; i++) {
		j = jobs[i];
		if (j->held != NULL && res[i].attempts == 0 &&
		    strcmp(j->held, R_AUTH) == 0)
			answer_set(&j->ans, V_ERROR, R_AUTH, "%s: the API key "
			    "was refused on another lookup; not sent",
			    providers[j->provider].name);
		else if (j->held != NULL && res[i].attempts == 0) {
			if (strcmp(j->held, R_QUOTA) == 0) {
				iso_format(j->held_until * TICKS_PER_MS, when,
				    sizeof(when), 0);
				answer_set(&j->ans, V_ERROR, R_QUOTA, "%s: the "
				    "daily quota is spent until %s; not sent",
				    providers[j->provider].name, when);
			} else {
				say_wait(j->held_until - ratelimit_now_ms(),
				    wait, sizeof(wait));
				answer_set(&j->ans, V_ERROR, R_RATE_LIMITED,
				    "%s: the next free slot is in %s, later "
				    "than the %lld s we wait; not sent",
				    providers[j->provider].name, wait,
				    (long long)(lk->max_wait_ms / 1000));
			}
		} else if (res[i].status == 0 && res[i].timed_out)
			answer_set(&j->ans, V_ERROR, R_TIMEOUT, "%s: %s",
			    providers[j->provider].name, res[i].error);
		else if (res[i].status == 0)
			answer_set(&j->ans, V_ERROR, R_UPSTREAM, "%s: %s",
			    providers[j->provider].name, res[i].error);
		else if (j->provider == P_ABUSEIPDB)
			abuseipdb_answer(res[i].status, res[i].body,
			    res[i].len, &j->ans);
		else if (j->provider == P_VIRUSTOTAL)
			virustotal_answer(j->ind->kind, res[i].status,
			    res[i].body, res[i].len, &j->ans);
		else
			internetdb_answer(res[i].status, res[i].body,
			    res[i].len, &j->ans);
		finish_job(lk, j, 1);
		http_response_release(&res[i]);
		free(j->url);
		j->url = NULL;
	}
	free(reqs);
	free(res);
}

/*
 * Takes the job's cache-key lock (lib/cache), waiting for it or not, so
 * that runs side by side (triage batch -j) ask about an indicator once:
 * whoever holds the lock asks and fills the cache; the others wait, then
 * find the answer there.  Returns the descriptor, -1 when another holds
 * the lock and we would not wait, or -2 when there is no lock to be had
 * (the lookup goes ahead without one).
 */
static int
lock_job(const struct job *j, int wait)
{
	char key[8192 + 64];
	int fd, n;

	n = snprintf(key, sizeof(key), "lookup:%s/%s:%s",
	    providers[j->provider].name, ioc_kind_name(j->ind->kind),
	    j->ind->value);
	if (n < 0 || (size_t)n >= sizeof(key))
		return -2;
	/* Beside the cache, not in it: a lock file is no answer. */
	fd = cache_lock_key("locks", key, wait);
	if (fd == -1 && !wait && errno == EWOULDBLOCK)
		return -1;
	return fd >= 0 ? fd : -2;
}

/*
 * The one order every run takes waited-for locks in (that of their keys),
 * so two runs can never each hold the lock the other waits for.
 */
static int
job_key_cmp(const void *a, const void *b)
{
	const struct job *x = *(struct job *const *)a;
	const struct job *y = *(struct job *const *)b;
	int c;

	if ((c = strcmp(providers[x->provider].name,
	    providers[y->provider].name)) != 0)
		return c;
	if ((c = strcmp(ioc_kind_name(x->ind->kind),
	    ioc_kind_name(y->ind->kind))) != 0)
		return c;
	return strcmp(x->ind->value, y->ind->value);
}

/* With the job's lock held: whether its answer came meanwhile. */
static int
settle_cached(struct lookup *lk, struct job *j)
{
	json_t *rec;

	rec = store_get(&lk->store, providers[j->provider].name, j->ind,
	    iso_now());
	if (rec == NULL)
		return 0;
	j->record = rec;
	answer_set(&j->ans, (enum verdict)verdict_parse(jx_str(rec,
	    "verdict")), NULL, NULL);
	return 1;
}

void
lookup_run(struct lookup *lk, struct job *jobs, size_t n)
{
	struct job **ti, **web, **later;
	size_t i, nti = 0, nweb = 0, nlater = 0, nlocked = 0;
	int64_t now = iso_now();
	int *locks, fd;

	ti = xcalloc(n + 1, sizeof(*ti));
	web = xcalloc(n + 1, sizeof(*web));
	later = xcalloc(n + 1, sizeof(*later));
	locks = xcalloc(n + 1, sizeof(*locks));
	for (i = 0; i < n; i++) {
		answer_init(&jobs[i].ans);
		if (settle_locally(lk, &jobs[i], now))
			continue;
		if (jobs[i].provider == P_WORKSPACE_TI)
			ti[nti++] = &jobs[i];
		else if (!lk->use_cache)
			web[nweb++] = &jobs[i];
		/* Locks are only tried here, never waited for: a run that
		 * waited while holding some could deadlock with another. */
		else if ((fd = lock_job(&jobs[i], 0)) == -1)
			later[nlater++] = &jobs[i];
		else {
			if (fd >= 0)
				locks[nlocked++] = fd;
			if (!settle_cached(lk, &jobs[i]))
				web[nweb++] = &jobs[i];
		}
	}
	if (term_progress() && nti + nweb + nlater > 0)
		progress_update("looking up %zu indicator%s",
		    nti + nweb + nlater, nti + nweb + nlater == 1 ? "" : "s");
	run_workspace(lk, ti, nti);
	run_http(lk, web, nweb);
	while (nlocked > 0)
		cache_unlock_key(locks[--nlocked]);
	/* Those another run was asking about: wait for it (holding no lock
	 * now), then take its answer, or ask when it got none.  The locks
	 * waited for are taken in key order, the same in every run, so runs
	 * waiting on each other cannot go round in a circle. */
	qsort(later, nlater, sizeof(*later), job_key_cmp);
	nweb = 0;
	for (i = 0; i < nlater; i++) {
		/* The same key twice: its lock is held already (a second
		 * flock of it would wait on ourselves). */
		if (i > 0 && job_key_cmp(&later[i - 1], &later[i]) == 0)
			;
		else if ((fd = lock_job(later[i], 1)) >= 0)
			locks[nlocked++] = fd;
		if (!settle_cached(lk, later[i]))
			web[nweb++] = later[i];
	}
	run_http(lk, web, nweb);
	while (nlocked > 0)
		cache_unlock_key(locks[--nlocked]);
	progress_done();
	free(ti);
	free(web);
	free(later);
	free(locks);
}

void
lookup_report(const struct lookup *lk)
{
	size_t p, n;

	for (p = 0; p < P_COUNT; p++) {
		n = lk->trouble[p][V_NOT_CONFIGURED];
		if (n > 0)
			log_warn("%s; %zu lookup%s not made", lk->ps[p].why, n,
			    n == 1 ? "" : "s");
		n = lk->trouble[p][V_ERROR];
		if (n > 0)
			log_warn("%s: %zu lookup%s failed, the first with: %s",
			    providers[p].name, n, n == 1 ? "" : "s",
			    lk->trouble_msg[p][V_ERROR]);
	}
}
