/*
 * agent: investigate an incident with a language model whose tools are
 * the other triage programs, and write the brief.  Reads the stream (an
 * incident record; every other record is passed through unchanged) or
 * fetches the incident itself; writes a tool_call record per tool call,
 * then a usage record and a brief record for each incident.  With
 * provider "none", or when the model cannot be reached, the deterministic
 * playbook investigates instead: a brief is always written.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "cli.h"
#include "config.h"
#include "file.h"
#include "http.h"
#include "isotime.h"
#include "jsonx.h"
#include "ndjson.h"
#include "paths.h"
#include "proc.h"

static const char synopsis[] =
    "triage-agent [-q] [-p provider] [-m model] [--tools file]\n"
    "                    [--max-turns n] [--token-budget n] [--timeout sec]\n"
    "                    [--max-tokens n] [--transcript file]\n"
    "                    [--incident number | --json file]\n"
    "       triage-agent --list-tools [--tools file]";

static const char help_text[] =
"usage: triage-agent [-q] [-p provider] [-m model] [--tools file]\n"
"                    [--max-turns n] [--token-budget n] [--timeout sec]\n"
"                    [--max-tokens n] [--transcript file]\n"
"                    [--incident number | --json file]\n"
"       triage-agent --list-tools [--tools file]\n"
"\n"
"Investigate a Sentinel incident with a language model that uses the other\n"
"triage programs as tools, and write a brief record.  The incident comes\n"
"from the stream on stdin (other records pass through unchanged) or from\n"
"triage-fetch-incident.\n"
"\n"
"  -p, --provider NAME   anthropic (default), openai or none (the playbook,\n"
"                        no model); also TRIAGE_PROVIDER\n"
"  -m, --model NAME      the model (default claude-sonnet-4-6; gpt-4.1 for\n"
"                        openai); also TRIAGE_MODEL\n"
"      --tools FILE      a tool manifest that replaces or extends the\n"
"                        built-in tools (repeatable); also TRIAGE_TOOLS\n"
"      --list-tools      print the tools (one JSON object a line) and exit\n"
"      --max-turns N     model requests at most (default 25)\n"
"      --token-budget N  input and output tokens at most (default 1000000)\n"
"      --timeout SEC     wall time for one investigation (default 900)\n"
"      --max-tokens N    output tokens per model answer (default 8192)\n"
"      --transcript FILE every request, response and whole tool output as\n"
"                        NDJSON, secrets removed\n"
"      --incident N      fetch incident N with triage-fetch-incident\n"
"      --json FILE       read an exported incident with triage-fetch-incident\n"
"  -q, --quiet           no progress lines on stderr\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"When a budget runs out the model is asked to submit what it has.  When the\n"
"model cannot be used, the playbook writes the brief and says why.\n";

#define MAX_MANIFESTS	16

enum {
	OPT_TOOLS = 256, OPT_LIST_TOOLS, OPT_MAX_TURNS, OPT_TOKEN_BUDGET,
	OPT_TIMEOUT, OPT_MAX_TOKENS, OPT_TRANSCRIPT, OPT_INCIDENT, OPT_JSON
};

/* An incident to investigate and the records that came with it. */
struct job {
	json_t	*incident;
	json_t	*enrichments;
	json_t	*techniques;
	size_t	 at;		/* the incident's index in the records */
};

struct jobs {
	struct job	*v;
	size_t		 n;
};

static void
add_job(struct jobs *j, json_t *incident, size_t at)
{
	j->v = xrealloc(j->v, (j->n + 1) * sizeof(*j->v));
	j->v[j->n].at = at;
	j->v[j->n].incident = json_incref(incident);
	j->v[j->n].enrichments = json_array();
	j->v[j->n].techniques = json_array();
	j->n++;
}

/*
 * Reads the whole stream first: a malformed line stops us before anything
 * is written, and enrichment or technique records that follow an incident
 * (triage-enrich, triage-mitre upstream) belong to it.
 */
static void
read_stream(FILE *fp, const char *source, json_t *records, struct jobs *j)
{
	struct ndjson_reader r;
	const char *type;
	json_t *rec;

	ndjson_init(&r, fp, source);
	while ((rec = ndjson_next(&r)) != NULL) {
		type = jx_type(rec);
		json_array_append(records, rec);
		if (type == NULL) {
			/* A request has no place in this stream. */
			ndjson_release(&r);
			cli_die(EXIT_DATA, "%s:%zu: expected a record with a "
			    "\"type\"", source, r.line);
		}
		if (strcmp(type, "incident") == 0)
			add_job(j, rec, json_array_size(records) - 1);
		else if (j->n > 0 && strcmp(type, "enrichment") == 0)
			json_array_append(j->v[j->n - 1].enrichments, rec);
		else if (j->n > 0 && strcmp(type, "technique") == 0)
			json_array_append(j->v[j->n - 1].techniques, rec);
		json_decref(rec);
	}
	if (r.failed) {
		char msg[sizeof(r.error)];

		snprintf(msg, sizeof(msg), "%s", r.error);
		ndjson_release(&r);
		cli_die(EXIT_DATA, "%s", msg);
	}
	ndjson_release(&r);
}

/* Runs triage-fetch-incident and reads its stream. */
static void
fetch(const char *number, const char *file, json_t *records, struct jobs *j)
{
	char prog[PATH_MAX];
	const char *argv[4];
	struct proc_result res;
	FILE *fp;

	paths_program("triage-fetch-incident", prog, sizeof(prog));
	argv[0] = prog;
	if (number != NULL) {
		argv[1] = number;
		argv[2] = NULL;
	} else {
		argv[1] = "--json";
		argv[2] = file;
		argv[3] = NULL;
	}
	if (proc_run(argv, NULL, 300 * 1000, &res) == -1)
		cli_die(EXIT_FAIL, "cannot run triage-fetch-incident: %s",
		    res.error);
	if (res.err_len > 0)
		fputs(res.err, stderr);
	if (res.status != 0) {
		int st = res.status;

		proc_result_release(&res);
		cli_die(st > 0 && st < 128 ? st : EXIT_FAIL,
		    "triage-fetch-incident failed (exit status %d)", st);
	}
	fp = fmemopen(res.out, res.out_len > 0 ? res.out_len : 1, "r");
	if (fp == NULL)
		cli_die(EXIT_FAIL, "fmemopen: %s", strerror(errno));
	if (res.out_len > 0)
		read_stream(fp, "triage-fetch-incident", records, j);
	fclose(fp);
	proc_result_release(&res);
}

static void
list_tools(const struct toolset *ts)
{
	const struct tool *t;
	json_t *o, *argv;
	size_t i;
	char **a;

	for (i = 0; i < ts->n; i++) {
		t = &ts->tools[i];
		o = json_pack("{s:s,s:s,s:O}", "name", t->name, "description",
		    t->description, "input_schema", t->input_schema);
		if (t->argv != NULL) {
			argv = json_array();
			for (a = t->argv; *a != NULL; a++)
				json_array_append_new(argv, json_string(*a));
			json_object_set_new(o, "argv", argv);
			json_object_set_new(o, "timeout",
			    json_integer(t->timeout_ms / 1000));
			json_object_set_new(o, "output", json_pack(
			    "{s:I,s:I,s:I}", "max_rows",
			    (json_int_t)t->bounds.max_rows, "max_bytes",
			    (json_int_t)t->bounds.max_bytes, "max_cell",
			    (json_int_t)t->bounds.max_cell));
		} else
			json_object_set_new(o, "internal", json_true());
		ndjson_write(stdout, o);
		json_decref(o);
	}
}

static void
setup_tools(struct agent *ag, const char *const *manifests, size_t n)
{
	char err[1024];
	size_t i;

	toolset_init(&ag->tools);
	if (toolset_add_builtin(&ag->tools, err, sizeof(err)) == -1)
		cli_die(EXIT_FAIL, "%s", err);
	for (i = 0; i < n; i++)
		if (toolset_load_file(&ag->tools, manifests[i], err,
		    sizeof(err)) == -1)
			cli_die(EXIT_USAGE, "%s", err);
	if (toolset_add_internal(&ag->tools, "submit_brief",
	    "Submit the finished brief: call it once, when the investigation "
	    "is done (or when told to finish). Its input is the whole brief. "
	    "Cite only evidence you saw in the incident or in tool results, "
	    "and say under visibility_gaps what you could not see.",
	    brief_schema()) == -1)
		cli_die(EXIT_FAIL, "out of memory");
	ag->brief_schema = toolset_find(&ag->tools, "submit_brief")->
	    input_schema;
	ag->tool_defs = toolset_definitions(&ag->tools);
	if (ag->tool_defs == NULL)
		cli_die(EXIT_FAIL, "out of memory");
}

static int
investigate(struct agent *ag, struct job *job)
{
	struct session s;
	char err[512];
	json_t *brief, *usage;
	size_t i;
	long long t = (long long)ag->timeout_s * 1000;
	int rc = EXIT_OK;

	memset(&s, 0, sizeof(s));
	s.ag = ag;
	s.incident = job->incident;
	s.enrichments = json_incref(job->enrichments);
	s.techniques = json_incref(job->techniques);
	s.per_turn = json_array();
	s.errors = json_array();
	s.started = iso_now();
	s.started_ms = now_ms();
	s.hard_deadline_ms = s.started_ms + t;
	s.soft_deadline_ms = s.hard_deadline_ms - (t / 4 < 120000 ? t / 4 :
	    120000);
	/* With a model, tools stop where the brief is asked for: the
	 * rest of the time is the model's, to write it. */
	s.tool_deadline_ms = strcmp(ag->provider, "none") == 0 ?
	    s.hard_deadline_ms : s.soft_deadline_ms;
	if (strcmp(ag->provider, "none") == 0) {
		brief = playbook_run(&s);
		if (brief != NULL)
			brief_finish(&s, brief, "playbook", NULL);
	} else
		brief = session_run(&s);
	/* The playbook holds itself to the schema the model is held to. */
	if (brief != NULL && tools_validate(ag->brief_schema, brief, err,
	    sizeof(err)) == -1)
		cli_warn("internal error: the brief does not match its schema: "
		    "%s", err);
	for (i = 0; i < json_array_size(s.errors); i++)
		if (emit(json_array_get(s.errors, i)) == -1)
			rc = EXIT_FAIL;
	usage = usage_object(&s);
	if (usage != NULL) {
		/* The usage record leads with its type, as records do. */
		json_t *rec = json_pack("{s:s}", "type", "usage");

		json_object_update(rec, usage);
		if (emit(rec) == -1)
			rc = EXIT_FAIL;
		json_decref(rec);
		json_decref(usage);
	}
	if (brief == NULL)
		cli_die(EXIT_FAIL, "out of memory making the brief");
	if (emit(brief) == -1)
		rc = EXIT_FAIL;
	json_decref(brief);
	json_decref(s.enrichments);
	json_decref(s.techniques);
	json_decref(s.per_turn);
	json_decref(s.errors);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",         no_argument,       NULL, 'h' },
		{ "version",      no_argument,       NULL, 'V' },
		{ "quiet",        no_argument,       NULL, 'q' },
		{ "provider",     required_argument, NULL, 'p' },
		{ "model",        required_argument, NULL, 'm' },
		{ "tools",        required_argument, NULL, OPT_TOOLS },
		{ "list-tools",   no_argument,       NULL, OPT_LIST_TOOLS },
		{ "max-turns",    required_argument, NULL, OPT_MAX_TURNS },
		{ "token-budget", required_argument, NULL, OPT_TOKEN_BUDGET },
		{ "timeout",      required_argument, NULL, OPT_TIMEOUT },
		{ "max-tokens",   required_argument, NULL, OPT_MAX_TOKENS },
		{ "transcript",   required_argument, NULL, OPT_TRANSCRIPT },
		{ "incident",     required_argument, NULL, OPT_INCIDENT },
		{ "json",         required_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 }
	};
	struct agent ag;
	struct jobs jobs = { NULL, 0 };
	struct afile tr;
	const char *provider = NULL, *model = NULL;
	const char *manifests[MAX_MANIFESTS];
	size_t nmanifests = 0, next, upto;
	const char *transcript = NULL, *number = NULL, *file = NULL, *v;
	char err[1024];
	json_t *records;
	size_t i;
	int c, list = 0, rc = EXIT_OK;

	cli_init(argc, argv);
	memset(&ag, 0, sizeof(ag));
	ag.max_turns = AGENT_DEFAULT_MAX_TURNS;
	ag.token_budget = AGENT_DEFAULT_TOKEN_BUDGET;
	ag.timeout_s = AGENT_DEFAULT_TIMEOUT;
	ag.max_tokens = AGENT_DEFAULT_MAX_TOKENS;
	while ((c = getopt_long(argc, argv, "hVqp:m:", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'q':
			ag.quiet = 1;
			break;
		case 'p':
			provider = optarg;
			break;
		case 'm':
			/* An empty name would only earn a 400 and a quiet
			 * fall back to the playbook. */
			if (optarg[0] == '\0')
				cli_die(EXIT_USAGE, "-m: expected a model name");
			model = optarg;
			break;
		case OPT_TOOLS:
			if (nmanifests == MAX_MANIFESTS)
				cli_die(EXIT_USAGE, "--tools: at most %d "
				    "files", MAX_MANIFESTS);
			manifests[nmanifests++] = optarg;
			break;
		case OPT_LIST_TOOLS:
			list = 1;
			break;
		case OPT_MAX_TURNS:
			ag.max_turns = (long)cli_number("--max-turns", optarg,
			    1, 1000);
			break;
		case OPT_TOKEN_BUDGET:
			ag.token_budget = cli_number("--token-budget", optarg,
			    1000, 1000000000LL);
			break;
		case OPT_TIMEOUT:
			ag.timeout_s = (long)cli_number("--timeout", optarg,
			    1, 86400);
			break;
		case OPT_MAX_TOKENS:
			ag.max_tokens = (long)cli_number("--max-tokens",
			    optarg, 256, AGENT_MAX_TOKENS_CAP);
			break;
		case OPT_TRANSCRIPT:
			transcript = optarg;
			break;
		case OPT_INCIDENT:
			number = optarg;
			break;
		case OPT_JSON:
			file = optarg;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	if (optind != argc || (number != NULL && file != NULL))
		cli_usage(synopsis);
	if (number != NULL && (number[0] == '-' || number[0] == '\0'))
		cli_die(EXIT_USAGE, "--incident: expected an incident number "
		    "or id, not '%s'", number);

	if (nmanifests == 0 && config_get("TRIAGE_TOOLS") != NULL)
		manifests[nmanifests++] = config_get("TRIAGE_TOOLS");
	setup_tools(&ag, manifests, nmanifests);
	if (list) {
		list_tools(&ag.tools);
		toolset_release(&ag.tools);
		json_decref(ag.tool_defs);
		return cli_exit(EXIT_OK);
	}

	ag.provider = provider != NULL ? provider :
	    config_get_or("TRIAGE_PROVIDER", "anthropic");
	if (strcmp(ag.provider, "anthropic") != 0 &&
	    strcmp(ag.provider, "openai") != 0 &&
	    strcmp(ag.provider, "none") != 0)
		cli_die(EXIT_USAGE, "unknown provider '%s' (anthropic, openai "
		    "or none)", ag.provider);
	if (model == NULL)
		model = config_get("TRIAGE_MODEL");
	if (model == NULL)
		model = strcmp(ag.provider, "openai") == 0 ?
		    AGENT_DEFAULT_OPENAI_MODEL : AGENT_DEFAULT_MODEL;
	ag.model = xstrdup(model);
	if ((v = config_get("TRIAGE_TEMPERATURE")) != NULL) {
		char *end;

		ag.temperature = strtod(v, &end);
		if (end == v || *end != '\0' || ag.temperature < 0 ||
		    ag.temperature > 2)
			cli_die(EXIT_USAGE, "TRIAGE_TEMPERATURE: expected a "
			    "number from 0 to 2, not '%s'", v);
		ag.has_temperature = 1;
	}
	secrets_init();
	err[0] = '\0';
	ag.prices = prices_load(err, sizeof(err));
	if (ag.prices == NULL && err[0] != '\0')
		cli_warn("warning: %s: costs will be unknown", err);
	if (strcmp(ag.provider, "none") != 0) {
		ag.system_prompt = prompt_system(err, sizeof(err));
		if (ag.system_prompt == NULL)
			cli_die(EXIT_USAGE, "%s", err);
		if (client_init(&ag.client, ag.provider, ag.client_error,
		    sizeof(ag.client_error)) == 0)
			ag.has_client = 1;
		if (http_global_init() == -1)
			cli_die(EXIT_FAIL, "cannot initialise libcurl");
	}

	records = json_array();
	if (number != NULL || file != NULL)
		fetch(number, file, records, &jobs);
	else
		read_stream(stdin, "<stdin>", records, &jobs);
	if (jobs.n == 0) {
		/* What came (an upstream error record, say) still goes on. */
		for (i = 0; i < json_array_size(records); i++)
			emit(json_array_get(records, i));
		cli_exit(EXIT_OK);
		cli_die(EXIT_DATA, "no incident record in the input");
	}

	if (transcript != NULL) {
		if (afile_open(&tr, transcript, 0600, 0) == -1)
			cli_die(EXIT_USAGE, "%s: %s", transcript,
			    strerror(errno));
		ag.transcript = tr.fp;
	}
	/*
	 * Everything passes through unchanged, in order, and each incident's
	 * brief follows the records that came with it, before the next
	 * incident: a stream of several incidents stays grouped downstream.
	 */
	next = 0;
	for (i = 0; i < jobs.n; i++) {
		upto = i + 1 < jobs.n ? jobs.v[i + 1].at :
		    json_array_size(records);
		for (; next < upto && rc == EXIT_OK; next++)
			if (emit(json_array_get(records, next)) == -1)
				rc = EXIT_FAIL;
		if (rc == EXIT_OK)
			rc = investigate(&ag, &jobs.v[i]);
		json_decref(jobs.v[i].incident);
		json_decref(jobs.v[i].enrichments);
		json_decref(jobs.v[i].techniques);
	}
	if (ag.transcript != NULL && afile_commit(&tr) == -1) {
		cli_warn("%s: %s", transcript, strerror(errno));
		rc = EXIT_FAIL;
	}
	free(jobs.v);
	json_decref(records);
	json_decref(ag.tool_defs);
	json_decref(ag.prices);
	toolset_release(&ag.tools);
	client_release(&ag.client);
	free(ag.system_prompt);
	free(ag.model);
	if (ag.has_client)
		http_global_cleanup();
	secrets_release();
	return cli_exit(rc);
}
