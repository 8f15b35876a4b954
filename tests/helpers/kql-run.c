/*
 * kql-run: the local workspace's engine without triage-kql's front end,
 * for the tests in tests/kql-local.  It prints what the engine returns,
 * so the tests do not depend on the output formats of triage-kql.
 *
 *   kql-run [-n NOW] [-t TIMESPAN] [-m MAXROWS] WS QUERY  the response JSON
 *   kql-run -r [-n NOW] WS QUERY       rows as SQLite holds them
 *   kql-run -s WS SQL                  hand-written SQL, rows raw
 *   kql-run -x [-d TABLES] QUERY       the translation (no workspace)
 *
 * With -f, QUERY names a file holding the query (for queries longer than
 * a command-line argument may be).
 *
 * Errors go to stderr as "kql-run: message"; the exit status is 3 for a
 * query error, 6 for a missing workspace, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "file.h"
#include "kql/catalog.h"
#include "kql/exec.h"
#include "kql/sql.h"

static int
status_code(enum kql_exec_status st)
{
	switch (st) {
	case KQL_EXEC_OK:
		return 0;
	case KQL_EXEC_SYNTAX:
		return 3;
	case KQL_EXEC_NOTFOUND:
		return 6;
	default:
		return 1;
	}
}

static int
translate(const char *dir, const char *query)
{
	struct kql_arena a;
	struct kql_catalog cat;
	struct kql_sql out;
	char err[512];
	size_t i;
	int rc = 0;

	kql_dircat_init(&cat, dir, 1);
	kql_arena_init(&a, 512 * 1024 * 1024);
	if (kql_compile(&a, query, strlen(query), &cat, NULL, &out, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "kql-run: %s\n", err);
		rc = 3;
	} else {
		printf("%s\n", out.sql);
		for (i = 0; i < out.nparams; i++) {
			if (out.params[i].kind == KQL_P_TEXT)
				printf("?%zu: %zu bytes\n", i + 1,
				    out.params[i].len);
			else
				printf("?%zu: number\n", i + 1);
		}
	}
	kql_arena_release(&a);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct kql_exec_opts o;
	struct buf err;
	json_t *resp = NULL;
	enum kql_exec_status st;
	const char *dir = "data/tables";
	char *s, *text = NULL;
	size_t tlen;
	int c, raw = 0, hand = 0, xlate = 0, from_file = 0, rc;

	memset(&o, 0, sizeof(o));
	while ((c = getopt(argc, argv, "n:t:m:rsxd:f")) != -1) {
		switch (c) {
		case 'n':
			o.now = optarg;
			break;
		case 't':
			o.timespan = optarg;
			break;
		case 'm':
			o.max_rows = atol(optarg);
			break;
		case 'r':
			raw = 1;
			break;
		case 's':
			hand = 1;
			break;
		case 'x':
			xlate = 1;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'f':
			from_file = 1;
			break;
		default:
			fprintf(stderr, "usage: kql-run [-r|-s|-x] ...\n");
			return 2;
		}
	}
	if (from_file && optind < argc) {
		if (file_read(argv[argc - 1], 16 * 1024 * 1024, &text,
		    &tlen) == -1) {
			perror(argv[argc - 1]);
			return 1;
		}
		argv[argc - 1] = text;
	}
	if (xlate) {
		if (optind + 1 != argc)
			return 2;
		rc = translate(dir, argv[optind]);
		free(text);
		return rc;
	}
	if (optind + 2 != argc) {
		fprintf(stderr, "usage: kql-run [-r|-s] WS QUERY\n");
		return 2;
	}
	o.raw = raw;
	buf_init(&err);
	if (hand)
		st = kql_exec_sql(argv[optind], argv[optind + 1], &o, &resp,
		    &err);
	else
		st = kql_exec(argv[optind], argv[optind + 1],
		    strlen(argv[optind + 1]), &o, &resp, &err);
	free(text);
	if (st != KQL_EXEC_OK) {
		fprintf(stderr, "kql-run: %s\n", buf_str(&err));
		buf_release(&err);
		return status_code(st);
	}
	buf_release(&err);
	if (raw || hand)
		s = json_dumps(json_object_get(json_array_get(json_object_get(
		    resp, "tables"), 0), "rows"), JSON_COMPACT |
		    JSON_REAL_PRECISION(15));
	else
		s = json_dumps(resp, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (s != NULL)
		printf("%s\n", s);
	free(s);
	json_decref(resp);
	return 0;
}
