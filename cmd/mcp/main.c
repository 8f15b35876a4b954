/*
 * mcp: an MCP server on standard input and output that offers any MCP
 * client (Claude Desktop, Claude Code, VS Code) the tools triage-agent
 * gives its model: KQL, enrichment, ATT&CK lookups, the incident itself,
 * and a manifest's own tools, each run as the same subprocess with the
 * same bounds.  Logs go to standard error; standard output carries
 * nothing but JSON-RPC messages.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "jsonx.h"
#include "mcp.h"
#include "ndjson.h"

static const char synopsis[] =
    "triage-mcp [-q] [--tools file]\n"
    "       triage-mcp --list [--tools file]";

static const char help_text[] =
"usage: triage-mcp [-q] [--tools file]\n"
"       triage-mcp --list [--tools file]\n"
"\n"
"Serve the triage tools to an MCP client (Claude Desktop, Claude Code,\n"
"VS Code) over standard input and output: the Model Context Protocol,\n"
"JSON-RPC 2.0, one message a line.  Each tool call runs the program\n"
"triage-agent would run, with the same bounds on time and output.\n"
"\n"
"      --tools FILE      a tool manifest that replaces or extends the\n"
"                        built-in tools (repeatable); also TRIAGE_TOOLS\n"
"      --list            print the tools (one JSON object a line) and exit\n"
"  -q, --quiet           no line on stderr for each tool call\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"The server ends when its input does, once the calls in flight are\n"
"answered.  Register it with a client as described in docs/mcp.md.\n";

#define MAX_MANIFESTS	16

enum { OPT_TOOLS = 256, OPT_LIST };

/*
 * The incident tool triage-agent does not need (it is given the incident)
 * but an MCP client does.  A manifest may replace it.
 */
static const char fetch_tool[] =
"[{\"name\":\"fetch_incident\","
"\"description\":\"Fetch a Microsoft Sentinel incident by its number or "
"GUID, with its alerts and entities. Returns one incident record: number, "
"title, severity, status, owner, created/first/last activity, tactics, "
"techniques, url, description, alerts[] and entities[] (host, account with "
"SID, ip, file with hashes, process with command line, url, domain, "
"mailbox), with flags a person should not miss (a built-in Administrator "
"account, a public IP). Long values are cut. An incident that does not "
"exist is an error that names the lookback searched.\","
"\"input_schema\":{\"type\":\"object\",\"properties\":{"
"\"incident\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":36,"
"\"description\":\"The incident number (such as 357335) or the "
"incident's GUID.\"}},"
"\"required\":[\"incident\"],\"additionalProperties\":false},"
"\"argv\":[\"triage-fetch-incident\"],\"timeout\":180,"
"\"output\":{\"max_rows\":5,\"max_bytes\":32768,\"max_cell\":2000}}]";

static void
setup_tools(struct toolset *ts, const char *const *manifests, size_t n)
{
	char err[1024];
	json_error_t jerr;
	json_t *fetch;
	size_t i;

	toolset_init(ts);
	if (toolset_add_builtin(ts, err, sizeof(err)) == -1)
		cli_die(EXIT_FAIL, "%s", err);
	fetch = json_loads(fetch_tool, 0, &jerr);
	if (fetch == NULL || toolset_load_json(ts, fetch, "fetch_incident",
	    NULL, err, sizeof(err)) == -1)
		cli_die(EXIT_FAIL, "the fetch_incident tool: %s",
		    fetch == NULL ? jerr.text : err);
	json_decref(fetch);
	/* Built in as much as the others: "builtins": false drops it. */
	for (i = 0; i < ts->n; i++)
		if (strcmp(ts->tools[i].name, "fetch_incident") == 0)
			ts->tools[i].is_builtin = 1;
	for (i = 0; i < n; i++)
		if (toolset_load_file(ts, manifests[i], err, sizeof(err)) == -1)
			cli_die(EXIT_USAGE, "%s", err);
	if (ts->n == 0)
		cli_die(EXIT_USAGE, "no tools to serve: the manifest removed "
		    "the built-in tools and added none");
}

/* What tools/list gives a client, with the program each tool runs. */
static void
list_tools(const struct toolset *ts)
{
	const struct tool *t;
	json_t *o, *argv;
	char **a;
	size_t i;

	for (i = 0; i < ts->n; i++) {
		t = &ts->tools[i];
		argv = json_array();
		for (a = t->argv; a != NULL && *a != NULL; a++)
			json_array_append_new(argv, json_string(*a));
		o = json_pack("{s:s,s:s,s:O,s:o,s:I}", "name", t->name,
		    "description", t->description, "inputSchema",
		    t->input_schema, "argv", argv, "timeout",
		    (json_int_t)(t->timeout_ms / 1000));
		if (o == NULL)
			cli_die(EXIT_FAIL, "out of memory");
		if (ndjson_write(stdout, o) == -1)
			cli_die(EXIT_FAIL, "standard output: write error");
		json_decref(o);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",    no_argument,       NULL, 'h' },
		{ "version", no_argument,       NULL, 'V' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "tools",   required_argument, NULL, OPT_TOOLS },
		{ "list",    no_argument,       NULL, OPT_LIST },
		{ NULL, 0, NULL, 0 }
	};
	const char *manifests[MAX_MANIFESTS];
	struct server s;
	size_t nmanifests = 0;
	int c, list = 0, rc = EXIT_OK;

	cli_init(argc, argv);
	memset(&s, 0, sizeof(s));
	while ((c = getopt_long(argc, argv, "hVq", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'q':
			s.quiet = 1;
			break;
		case OPT_TOOLS:
			if (nmanifests == MAX_MANIFESTS)
				cli_die(EXIT_USAGE, "--tools: at most %d "
				    "manifests", MAX_MANIFESTS);
			manifests[nmanifests++] = optarg;
			break;
		case OPT_LIST:
			list = 1;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	if (optind != argc)
		cli_usage(synopsis);
	if (nmanifests == 0 && config_get("TRIAGE_TOOLS") != NULL)
		manifests[nmanifests++] = config_get("TRIAGE_TOOLS");
	setup_tools(&s.tools, manifests, nmanifests);
	if (list) {
		list_tools(&s.tools);
		toolset_release(&s.tools);
		return cli_exit(EXIT_OK);
	}

	/* A client that goes away is a write error to handle, not a
	 * signal; and with SIGPIPE ignored for good, the children's
	 * runs on other threads never race to restore it. */
	signal(SIGPIPE, SIG_IGN);
	if (isatty(STDIN_FILENO))
		cli_warn("reading MCP messages (JSON-RPC, one a line) on "
		    "standard input; end with ^D");
	if (pool_init(&s) == -1)
		cli_die(EXIT_FAIL, "cannot set up the worker pool");
	if (session_run(&s, STDIN_FILENO) == -1)
		rc = EXIT_FAIL;
	/* With the client gone, no call in flight can be answered. */
	if (atomic_load(&s.out_failed))
		pool_cancel(&s, NULL);
	pool_finish(&s);
	if (atomic_load(&s.out_failed))
		rc = EXIT_FAIL;
	toolset_release(&s.tools);
	return cli_exit(rc);
}
