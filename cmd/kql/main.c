/*
 * kql: placeholder until its issue (#3) lands.  It answers --help and
 * --version, dispatches "import" and runs queries on a local workspace
 * (issue #4), printing the raw response; the real front end (output
 * formats, the live backend) replaces this file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "buf.h"
#include "cli.h"

static const char synopsis[] =
"triage-kql [--sql] [--now TIME] [-w FILE] QUERY | import ...";

static const char help_text[] =
"usage: triage-kql [--sql] [--now TIME] [-w FILE] QUERY\n"
"       triage-kql import ...\n"
"\n"
"Interim front end: runs QUERY on a local workspace and prints the\n"
"response JSON (issue #3 brings the real one).\n";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",      no_argument,       NULL, 'h' },
		{ "version",   no_argument,       NULL, 'V' },
		{ "workspace", required_argument, NULL, 'w' },
		{ "now",       required_argument, NULL, 'n' },
		{ "sql",       no_argument,       NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *ws = getenv("TRIAGE_WORKSPACE"), *now = NULL;
	struct kql_query q;
	struct buf out, err;
	json_t *resp = NULL;
	enum kql_status st;
	int c, sql = 0;

	cli_init(argc, argv);
	if (argc > 1 && strcmp(argv[1], "import") == 0)
		return cli_exit(kql_import_main(argc - 1, argv + 1));
	while ((c = getopt_long(argc, argv, "hVw:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'w':
			ws = optarg;
			break;
		case 'n':
			now = optarg;
			break;
		case 's':
			sql = 1;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	if (optind + 1 != argc || (!sql && (ws == NULL || *ws == '\0')))
		cli_usage(synopsis);
	memset(&q, 0, sizeof(q));
	q.query = argv[optind];
	buf_init(&out);
	buf_init(&err);
	st = sql ? local_translate(&q, &out, &err) :
	    local_query(ws, &q, now, &resp, &err);
	if (st != KQL_OK) {
		cli_warn("%s", buf_str(&err));
		buf_release(&out);
		buf_release(&err);
		return cli_exit(st == KQL_SYNTAX ? EXIT_DATA :
		    st == KQL_NOTFOUND ? EXIT_NOTFOUND : EXIT_FAIL);
	}
	if (sql)
		fputs(buf_str(&out), stdout);
	else {
		char *s = json_dumps(resp, JSON_COMPACT);

		if (s != NULL)
			puts(s);
		free(s);
		json_decref(resp);
	}
	buf_release(&out);
	buf_release(&err);
	return cli_exit(EXIT_OK);
}
