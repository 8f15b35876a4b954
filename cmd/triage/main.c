/*
 * triage: the front door.  "triage STAGE ARGS" runs triage-STAGE, found
 * beside this program first and then on PATH, as git runs git-*.  The
 * whole-pipeline commands (run, queue, batch, post, eval) are programs of
 * the same kind, so a user can add "triage-foo" and type "triage foo".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "paths.h"

static const char synopsis[] = "triage [--help | --version] COMMAND [ARG ...]";

static const char help_text[] =
"usage: triage [--help | --version] COMMAND [ARG ...]\n"
"\n"
"AI-driven triage of Microsoft Sentinel incidents.  Runs triage-COMMAND,\n"
"found beside this program first, then on PATH.\n"
"\n"
"Whole-pipeline commands:\n"
"  run N          fetch, investigate and write the brief for incident N\n"
"  queue          the incident queue as a table\n"
"  batch          triage every incident in the queue, several at once\n"
"  post FILE      post a brief to Teams or Slack\n"
"  eval           score verdicts against a labelled set\n"
"\n"
"Stages (each also usable alone in a pipeline):\n"
"  fetch-incident get an incident and emit an incident record\n"
"  kql            run a KQL query against a workspace\n"
"  enrich         look up IPs, hashes, domains and URLs\n"
"  mitre          look up ATT&CK techniques\n"
"  agent          investigate with a model and emit a brief\n"
"  render         turn records into markdown, JSON, HTML or chat cards\n"
"  mcp            serve the tools to an MCP client\n"
"\n"
"Options:\n"
"  -h, --help     show this help and exit\n"
"  -V, --version  show the version and exit\n"
"\n"
"'triage COMMAND --help' describes a command.  See triage(1).\n";

int
main(int argc, char *argv[])
{
	char name[256], path[PATH_MAX];
	const char *cmd;

	cli_init(argc, argv);
	if (argc < 2)
		cli_usage(synopsis);
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0)
		cli_help(help_text);
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
		cli_version();
	if (cmd[0] == '-')
		cli_usage(synopsis);
	/* A command is a plain word: no paths, nothing a shell would read. */
	if (strlen(cmd) > 64 || strspn(cmd, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-") != strlen(cmd))
		cli_die(EXIT_USAGE, "'%s' is not a triage command", cmd);
	/* The .env files now, so a warning about their modes comes once,
	 * here, and not from each program the command runs. */
	config_load();
	snprintf(name, sizeof(name), "triage-%s", cmd);
	paths_program(name, path, sizeof(path));
	argv[1] = name;
	if (strchr(path, '/') != NULL)
		execv(path, argv + 1);
	else
		execvp(path, argv + 1);
	if (errno == ENOENT)
		cli_die(EXIT_USAGE, "'%s' is not a triage command "
		    "(no %s beside triage or on PATH)", cmd, name);
	cli_die(EXIT_FAIL, "cannot run '%s': %s", name, strerror(errno));
}
