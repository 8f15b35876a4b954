/*
 * post: post a brief to a Microsoft Teams Workflows webhook or a Slack
 * incoming webhook.  The input is whatever a person has at hand: a card
 * payload that triage-render wrote (.teams.json, .slack.json), a brief's
 * JSON sidecar, a markdown or HTML brief (its sidecar is found beside it),
 * or the records themselves; anything but a ready card is rendered again
 * with triage-render, so the card is exactly the one render makes.
 *
 * The webhook URL is a credential (whoever holds it can post to the
 * channel), so it is read only from the settings (TEAMS_WEBHOOK_URL,
 * SLACK_WEBHOOK_URL; environment, .env or the config file), never from the
 * command line, and it is never printed: messages name the service, and
 * from the service's answer only its short error code is repeated, since a
 * 404 page may quote the URL it was given.  Each payload is checked against
 * the service's limits before anything is sent (Teams: a message envelope
 * with Adaptive Cards, at most 28 KB; Slack: a "text", at most 50 blocks,
 * our 40,000-byte ceiling), because Teams accepts an oversize post with 202
 * and drops it later.  Posts keep to each service's rate, shared with
 * every other triage-post through lib/ratelimit, and lib/http retries
 * throttling and server errors.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "file.h"
#include "http.h"
#include "paths.h"
#include "proc.h"
#include "ratelimit.h"

#define INPUT_MAX	((size_t)64 << 20)
#define TEAMS_MAX	(28 * 1024)	/* E.1: the whole envelope */
#define SLACK_MAX	40000		/* E.3: cut above 40,000 */
#define SLACK_BLOCKS	50
#define RENDER_TIMEOUT	(120 * 1000)
#define RATE_WAIT_MS	(120 * 1000)	/* a posting slot, at most */

static const char synopsis[] =
"triage-post [-nq] [--teams] [--slack] file ...";

static const char help_text[] =
"usage: triage-post [-nq] [--teams] [--slack] file ...\n"
"\n"
"Post briefs to a Microsoft Teams channel (a Workflows webhook) or a Slack\n"
"channel (an incoming webhook).  A file is a card that triage-render made\n"
"(-f teams or -f slack), a brief's .json sidecar, a markdown or HTML brief\n"
"with its sidecar beside it, or triage records (NDJSON); - is stdin.  Any\n"
"but a ready card is rendered again with triage-render.\n"
"\n"
"  -t, --teams     post to $TEAMS_WEBHOOK_URL\n"
"  -s, --slack     post to $SLACK_WEBHOOK_URL\n"
"  -n, --dry-run   write each payload to stdout instead of posting\n"
"  -q, --quiet     say nothing when a post succeeds\n"
"  -h, --help      show this help\n"
"  -V, --version   show the version\n"
"\n"
"Without --teams or --slack: a card goes where it was made for, anything\n"
"else to the one webhook that is configured.  The webhook URLs are secrets:\n"
"they are read from the environment, ./.env or ~/.config/triage/env, never\n"
"from the command line, and never printed.  Payloads over the services'\n"
"limits (Teams 28 KB; Slack 50 blocks, 40,000 bytes) are refused before\n"
"sending.  Posts keep to each service's rate (TRIAGE_RATE_TEAMS, 4/s;\n"
"TRIAGE_RATE_SLACK, 1/s), shared by every triage-post running at once;\n"
"throttling and server errors are retried.\n"
"\n"
"Exit status: 0 posted, 1 failure, 2 usage or no webhook configured,\n"
"3 not a brief or card, or over a limit, 4 the service failed, 5 the\n"
"webhook was refused, 6 the webhook does not exist.\n";

enum service {
	SVC_TEAMS = 1 << 0,
	SVC_SLACK = 1 << 1
};

enum kind {
	KIND_NONE,
	KIND_TEAMS,		/* Teams card payloads */
	KIND_SLACK,		/* Slack card payloads */
	KIND_SIDECAR,		/* a triage.brief document */
	KIND_RECORDS		/* triage records */
};

struct input {
	char		*given;		/* the file named, safe */
	char		*name;		/* the file read, made safe */
	enum kind	 kind;
	json_t		*values;	/* its JSON values, in order */
	char		 now[64];	/* a sidecar's generated_at */
};

struct opts {
	unsigned	 services;
	int		 dry_run;
	int		 quiet;
};

static const char *
svc_name(unsigned svc)
{
	return svc == SVC_TEAMS ? "Teams" : "Slack";
}

static const char *
svc_setting(unsigned svc)
{
	return svc == SVC_TEAMS ? "TEAMS_WEBHOOK_URL" : "SLACK_WEBHOOK_URL";
}

/* A name as given on the command line, fit for a message. */
static char *
safe_name(const char *s)
{
	char *out = xstrdup(s);
	size_t i;

	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	return out;
}

/* Whether v.key is the string want. */
static int
str_is(const json_t *v, const char *key, const char *want)
{
	const char *s = json_string_value(json_object_get(v, key));

	return s != NULL && strcmp(s, want) == 0;
}

static enum kind
classify(const json_t *v)
{
	const char *type;

	if (!json_is_object(v))
		return KIND_NONE;
	if (str_is(v, "format", "triage.brief"))
		return KIND_SIDECAR;
	type = json_string_value(json_object_get(v, "type"));
	if (type != NULL && strcmp(type, "message") == 0 &&
	    json_object_get(v, "attachments") != NULL)
		return KIND_TEAMS;
	if (type != NULL)
		return KIND_RECORDS;
	if (json_object_get(v, "blocks") != NULL ||
	    json_object_get(v, "text") != NULL)
		return KIND_SLACK;
	return KIND_NONE;
}

/*
 * The JSON values of text: one document (a sidecar is indented over many
 * lines) or one value per line.  NULL when it is not JSON; *bad_line is
 * then the first line that is not (0: the first value is not).
 */
static json_t *
parse_values(const char *text, size_t len, size_t *bad_line)
{
	const char *p = text, *end = text + len, *nl;
	json_t *values, *v;
	size_t line = 0;

	*bad_line = 0;
	v = json_loadb(text, len, 0, NULL);
	values = json_array();
	if (v != NULL) {
		json_array_append_new(values, v);
		return values;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line++;
		if (strspn(p, " \t\r") < (size_t)(nl - p)) {
			v = json_loadb(p, (size_t)(nl - p), 0, NULL);
			if (v == NULL) {
				*bad_line = json_array_size(values) == 0 ?
				    0 : line;
				json_decref(values);
				return NULL;
			}
			json_array_append_new(values, v);
		}
		p = nl + 1;
	}
	if (json_array_size(values) == 0) {
		json_decref(values);
		return NULL;
	}
	return values;
}

/*
 * Reads path into in.  0; -1 when the file is not JSON at all (nothing is
 * said: it may be a markdown brief); or an exit code after saying why.
 */
static int
read_json_file(const char *path, struct input *in)
{
	size_t len, bad, i;
	char *text;
	json_t *v;

	if (file_read(path, INPUT_MAX, &text, &len) == -1) {
		if (errno == EFBIG) {
			cli_warn("%s: larger than %zu MiB", in->name,
			    INPUT_MAX >> 20);
			return EXIT_DATA;
		}
		cli_warn("%s: %s", in->name, strerror(errno));
		return errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAIL;
	}
	in->values = parse_values(text, len, &bad);
	free(text);
	if (in->values == NULL) {
		if (bad == 0)
			return -1;
		cli_warn("%s:%zu: not JSON", in->name, bad);
		return EXIT_DATA;
	}
	in->kind = classify(json_array_get(in->values, 0));
	json_array_foreach(in->values, i, v) {
		if (in->kind == KIND_NONE || classify(v) != in->kind ||
		    (in->kind == KIND_SIDECAR && i > 0)) {
			cli_warn("%s: %s is not a brief, a card or a record",
			    in->name, i == 0 ? "the first value" :
			    "a later value");
			return EXIT_DATA;
		}
	}
	return 0;
}

/*
 * Loads a file: JSON of its own, or (a markdown or HTML brief) the sidecar
 * beside it, the same name ending in .json.  0 or an exit code.
 */
static int
load_input(const char *path, struct input *in)
{
	char side[PATH_MAX];
	const char *dot, *slash;
	int rc;

	in->given = safe_name(strcmp(path, "-") == 0 ? "<stdin>" : path);
	in->name = xstrdup(in->given);
	rc = read_json_file(path, in);
	if (rc != -1)
		return rc;
	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (strcmp(path, "-") == 0 || dot == NULL ||
	    (slash != NULL && dot < slash) || strcmp(dot, ".json") == 0 ||
	    (size_t)(dot - path) + 6 > sizeof(side)) {
		cli_warn("%s: not a brief, a card or records", in->name);
		return EXIT_DATA;
	}
	snprintf(side, sizeof(side), "%.*s.json", (int)(dot - path), path);
	if (access(side, F_OK) == -1) {
		cli_warn("%s: not JSON, and no sidecar ending in .json beside "
		    "it", in->name);
		return EXIT_DATA;
	}
	free(in->name);
	in->name = safe_name(side);
	rc = read_json_file(side, in);
	if (rc == -1 || (rc == 0 && in->kind != KIND_SIDECAR)) {
		cli_warn("%s: not a brief's sidecar", in->name);
		return EXIT_DATA;
	}
	return rc;
}

static void
input_release(struct input *in)
{
	free(in->given);
	free(in->name);
	json_decref(in->values);
}

/* Appends v as one compact line. */
static void
add_line(struct buf *b, const json_t *v)
{
	char *s;

	if (v == NULL || json_is_null(v))
		return;
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (s == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	buf_adds(b, s);
	buf_addc(b, '\n');
	free(s);
}

static void
add_each(struct buf *b, const json_t *arr)
{
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		add_line(b, v);
}

/* The records a sidecar was made from, in the order render reads them. */
static void
sidecar_records(const json_t *doc, struct buf *b)
{
	add_line(b, json_object_get(doc, "incident"));
	add_line(b, json_object_get(doc, "brief"));
	add_each(b, json_object_get(doc, "enrichments"));
	add_each(b, json_object_get(doc, "techniques"));
	add_each(b, json_object_get(doc, "tool_calls"));
	add_line(b, json_object_get(doc, "usage"));
	add_each(b, json_object_get(doc, "errors"));
}

/*
 * The card payloads for svc: the file's own, or triage-render's.  Returns
 * a new array of payloads, or NULL after saying why (*rc the exit code).
 */
static json_t *
payloads(struct input *in, unsigned svc, int *rc)
{
	const char *argv[6], *gen;
	char prog[PATH_MAX];
	struct proc_result res;
	struct buf recs;
	json_t *out;
	size_t bad;
	int n = 0;

	if (in->kind == KIND_TEAMS || in->kind == KIND_SLACK) {
		if ((in->kind == KIND_TEAMS) != (svc == SVC_TEAMS)) {
			cli_warn("%s: a %s card cannot go to %s; give the "
			    "brief or its sidecar instead", in->name,
			    svc_name(in->kind == KIND_TEAMS ? SVC_TEAMS :
			    SVC_SLACK), svc_name(svc));
			*rc = EXIT_USAGE;
			return NULL;
		}
		return json_incref(in->values);
	}
	buf_init(&recs);
	if (in->kind == KIND_SIDECAR) {
		sidecar_records(json_array_get(in->values, 0), &recs);
		gen = json_string_value(json_object_get(
		    json_array_get(in->values, 0), "generated_at"));
	} else {
		add_each(&recs, in->values);
		gen = NULL;
	}
	if (buf_failed(&recs))
		cli_die(EXIT_FAIL, "out of memory");
	paths_program("triage-render", prog, sizeof(prog));
	argv[n++] = prog;
	argv[n++] = svc == SVC_TEAMS ? "--format=teams" : "--format=slack";
	if (gen != NULL && strlen(gen) < 40) {
		snprintf(in->now, sizeof(in->now), "--now=%s", gen);
		argv[n++] = in->now;
	}
	argv[n] = NULL;
	memset(&res, 0, sizeof(res));
	if (proc_run(argv, buf_str(&recs), RENDER_TIMEOUT, &res) == -1) {
		cli_warn("cannot run triage-render: %s", res.error);
		proc_result_release(&res);
		buf_release(&recs);
		*rc = EXIT_FAIL;
		return NULL;
	}
	buf_release(&recs);
	if (res.status != 0) {
		/* render has said why on its own stderr, which we hold. */
		if (res.err_len > 0)
			fputs(res.err, stderr);
		cli_warn("%s: triage-render failed (exit status %d)",
		    in->name, res.status);
		*rc = res.status > 0 && res.status < 128 ? res.status :
		    EXIT_FAIL;
		proc_result_release(&res);
		return NULL;
	}
	out = parse_values(res.out, res.out_len, &bad);
	proc_result_release(&res);
	if (out == NULL) {
		cli_warn("%s: triage-render wrote no card", in->name);
		*rc = EXIT_FAIL;
		return NULL;
	}
	return out;
}

/* Checks one payload against the service's rules.  0, or -1 saying why. */
static int
check_payload(const json_t *p, unsigned svc, size_t size, char *why,
    size_t whysz)
{
	const json_t *att, *a, *text, *blocks;
	size_t i;

	if (svc == SVC_TEAMS) {
		att = json_object_get(p, "attachments");
		if (!str_is(p, "type", "message") || !json_is_array(att) ||
		    json_array_size(att) == 0) {
			snprintf(why, whysz, "not a Teams message (\"type\": "
			    "\"message\" with attachments)");
			return -1;
		}
		json_array_foreach(att, i, a) {
			if (!str_is(a, "contentType",
			    "application/vnd.microsoft.card.adaptive") ||
			    !json_is_object(json_object_get(a, "content"))) {
				snprintf(why, whysz, "attachment %zu is not an "
				    "Adaptive Card", i + 1);
				return -1;
			}
		}
		if (size > TEAMS_MAX) {
			snprintf(why, whysz, "%zu bytes, over Teams' limit of "
			    "28 KB (%d bytes)", size, TEAMS_MAX);
			return -1;
		}
		return 0;
	}
	text = json_object_get(p, "text");
	blocks = json_object_get(p, "blocks");
	if (!json_is_string(text) || json_string_length(text) == 0) {
		snprintf(why, whysz, "a Slack message needs a \"text\"");
		return -1;
	}
	if (blocks != NULL && (!json_is_array(blocks) ||
	    json_array_size(blocks) > SLACK_BLOCKS)) {
		snprintf(why, whysz, "\"blocks\" must be a list of at most %d",
		    SLACK_BLOCKS);
		return -1;
	}
	if (size > SLACK_MAX) {
		snprintf(why, whysz, "%zu bytes, over the limit of %d for a "
		    "Slack message", size, SLACK_MAX);
		return -1;
	}
	return 0;
}

/*
 * A short error code from the service's answer: Slack's plain-text code,
 * or the "code" of a JSON error.  Only a plain word is repeated: anything
 * longer could quote the secret URL back.
 */
static void
answer_code(const struct http_response *res, char *out, size_t outsz)
{
	const char *s = NULL;
	json_t *v;
	size_t n;

	out[0] = '\0';
	v = json_loadb(res->body, res->len, 0, NULL);
	if (v != NULL) {
		s = json_string_value(json_object_get(json_object_get(v,
		    "error"), "code"));
		if (s == NULL)
			s = json_string_value(json_object_get(v, "error"));
	} else
		s = res->body;
	if (s != NULL) {
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
		if (n > 0 && n < 64 && n < outsz && (s[n] == '\0' ||
		    (v == NULL && strspn(s + n, " \r\n") == strlen(s + n))))
			snprintf(out, outsz, " (%.*s)", (int)n, s);
	}
	json_decref(v);
}

/*
 * Waits for a slot in the service's budget (Teams 4 a second, Slack 1 a
 * second; TRIAGE_RATE_TEAMS, TRIAGE_RATE_SLACK), shared through a locked
 * file with every other triage-post of this user, so a batch posting from
 * many runs at once keeps to it.  0, or an exit code after saying why.
 */
static struct ratelimit rl[2];		/* Teams, Slack */
static int rl_state[2];			/* 0 not yet, 1 open, -1 none */

static int
pace(unsigned svc, const char *name)
{
	int i = svc == SVC_TEAMS ? 0 : 1;
	char err[256];

	if (rl_state[i] == 0) {
		switch (ratelimit_open(&rl[i], svc == SVC_TEAMS ? "teams" :
		    "slack", svc == SVC_TEAMS ? "4/s" : "1/s", err,
		    sizeof(err))) {
		case 0:
			rl_state[i] = 1;
			break;
		case -2:
			/* The budget still holds within this run. */
			cli_warn("%s; keeping the rate limit for this run only",
			    err);
			rl_state[i] = 1;
			break;
		default:
			cli_warn("%s", err);
			return EXIT_USAGE;
		}
	}
	if (rl_state[i] != 1)
		return 0;
	switch (ratelimit_acquire(&rl[i], RATE_WAIT_MS)) {
	case RATELIMIT_GO:
		return 0;
	case RATELIMIT_FAIL:
		cli_warn("the %s rate limit: %s; posting anyway",
		    svc_name(svc), strerror(errno));
		return 0;
	default:
		cli_warn("%s: no %s rate-limit slot within %d s", name,
		    svc_name(svc), RATE_WAIT_MS / 1000);
		return EXIT_UPSTREAM;
	}
}

static void
pace_release(void)
{
	int i;

	for (i = 0; i < 2; i++)
		if (rl_state[i] == 1)
			ratelimit_release(&rl[i]);
}

/* Posts one payload.  0 or an exit code after saying why. */
static int
send_payload(const char *url, unsigned svc, const char *body, size_t len,
    const char *name)
{
	static const char *const headers[] = {
		"Content-Type: application/json", NULL
	};
	struct http_request req;
	struct http_response res;
	char code[80];
	int rc = 0;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = len;
	req.flags = HTTP_SECRET_URL;
	req.max_response = 1 << 20;
	if ((rc = pace(svc, name)) != 0)
		return rc;
	if (http_send(&req, &res) == -1) {
		cli_warn("%s: cannot post to %s: %s", name, svc_name(svc),
		    res.error[0] != '\0' ? res.error : http_describe(&res));
		rc = res.refused ? EXIT_USAGE : EXIT_UPSTREAM;
		http_response_release(&res);
		return rc;
	}
	answer_code(&res, code, sizeof(code));
	if (res.status >= 200 && res.status < 300) {
		/* The retired Office 365 connectors answer 200 and put the
		 * failure in the body (azure-apis.md E.2). */
		if (svc == SVC_TEAMS && strstr(res.body, "HTTP error 4") !=
		    NULL) {
			cli_warn("%s: Teams refused the post: %s", name,
			    strstr(res.body, "HTTP error 413") != NULL ?
			    "too large (HTTP error 413)" :
			    strstr(res.body, "HTTP error 429") != NULL ?
			    "throttled (HTTP error 429)" : "HTTP error 4xx");
			rc = EXIT_UPSTREAM;
		}
	} else {
		cli_warn("%s: %s answered HTTP %ld%s%s", name, svc_name(svc),
		    res.status, code, res.attempts > 1 ? " after retries" :
		    "");
		rc = res.status == 401 || res.status == 403 ? EXIT_AUTH :
		    res.status == 404 || res.status == 410 ? EXIT_NOTFOUND :
		    res.status == 400 || res.status == 413 ? EXIT_DATA :
		    EXIT_UPSTREAM;
	}
	http_response_release(&res);
	return rc;
}

/* Posts (or prints) every payload of one input to svc.  0 or a code. */
static int
post_one(struct input *in, unsigned svc, const struct opts *o)
{
	const char *url = NULL;
	char why[256], *text;
	json_t *ps, *p;
	size_t i, len, sent = 0;
	int rc = 0;

	if (!o->dry_run) {
		url = config_get(svc_setting(svc));
		if (url == NULL) {
			cli_warn("%s is not set (in the environment, ./.env "
			    "or ~/.config/triage/env)", svc_setting(svc));
			return EXIT_USAGE;
		}
	}
	ps = payloads(in, svc, &rc);
	if (ps == NULL)
		return rc;
	/* Check them all before sending any: all or nothing for a file. */
	json_array_foreach(ps, i, p) {
		text = json_dumps(p, JSON_COMPACT);
		if (text == NULL)
			cli_die(EXIT_FAIL, "out of memory");
		len = strlen(text);
		free(text);
		if (check_payload(p, svc, len, why, sizeof(why)) == -1) {
			if (json_array_size(ps) > 1)
				cli_warn("%s: card %zu: %s", in->name, i + 1,
				    why);
			else
				cli_warn("%s: %s", in->name, why);
			json_decref(ps);
			return EXIT_DATA;
		}
	}
	json_array_foreach(ps, i, p) {
		text = json_dumps(p, JSON_COMPACT);
		if (text == NULL)
			cli_die(EXIT_FAIL, "out of memory");
		if (o->dry_run) {
			puts(text);
			free(text);
			continue;
		}
		rc = send_payload(url, svc, text, strlen(text), in->name);
		free(text);
		if (rc != 0)
			break;
		sent++;
	}
	if (!o->dry_run && !o->quiet && sent > 0) {
		if (sent == 1)
			fprintf(stderr, "triage-post: %s: posted to %s\n",
			    in->given, svc_name(svc));
		else
			fprintf(stderr, "triage-post: %s: posted %zu cards "
			    "to %s\n", in->given, sent, svc_name(svc));
	}
	json_decref(ps);
	return rc;
}

/* The services for an input when none was named.  0 after saying why. */
static unsigned
default_services(const struct input *in)
{
	int teams, slack;

	if (in->kind == KIND_TEAMS)
		return SVC_TEAMS;
	if (in->kind == KIND_SLACK)
		return SVC_SLACK;
	teams = config_get("TEAMS_WEBHOOK_URL") != NULL;
	slack = config_get("SLACK_WEBHOOK_URL") != NULL;
	if (teams && !slack)
		return SVC_TEAMS;
	if (slack && !teams)
		return SVC_SLACK;
	cli_warn("%s: say --teams or --slack (%s)", in->given, teams ?
	    "both webhooks are configured" : "no webhook is configured");
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "teams",   no_argument, NULL, 't' },
		{ "slack",   no_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet",   no_argument, NULL, 'q' },
		{ "help",    no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o;
	struct input in;
	unsigned svcs;
	int c, i, rc, status = EXIT_OK, stdin_used = 0;

	cli_init(argc, argv);
	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "tsnqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o.services |= SVC_TEAMS;
			break;
		case 's':
			o.services |= SVC_SLACK;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		default:
			cli_usage(synopsis);
		}
	}
	if (optind == argc)
		cli_usage(synopsis);
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0)
			continue;
		if (stdin_used++)
			cli_die(EXIT_USAGE, "stdin (-) can be read only once");
	}
	if (!o.dry_run && http_global_init() == -1)
		cli_die(EXIT_FAIL, "cannot initialise libcurl");
	for (i = optind; i < argc; i++) {
		memset(&in, 0, sizeof(in));
		rc = load_input(argv[i], &in);
		svcs = o.services;
		if (rc == 0 && svcs == 0 && (svcs = default_services(&in)) ==
		    0)
			rc = EXIT_USAGE;
		if (rc == 0 && (svcs & SVC_TEAMS))
			rc = post_one(&in, SVC_TEAMS, &o);
		if (rc == 0 && (svcs & SVC_SLACK))
			rc = post_one(&in, SVC_SLACK, &o);
		input_release(&in);
		if (rc != 0 && status == EXIT_OK)
			status = rc;
		/* A configuration problem is the same for every file. */
		if (rc == EXIT_USAGE)
			break;
	}
	pace_release();
	if (!o.dry_run)
		http_global_cleanup();
	return cli_exit(status);
}
