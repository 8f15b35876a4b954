/*
 * kql-corpus: how much real-world KQL the local workspace understands.
 * Reads NDJSON lines {"source": ..., "query": ...}, parses and translates
 * each query against the bundled table schemas (tables the schemas do
 * not know are taken to have whatever columns the query uses), and
 * prints the share that parse, the share that translate, and the most
 * common reasons for failing.
 *
 * With -w WS, each query is also run on the workspace WS, and the queries
 * that fail while running (rather than for an unknown table or an
 * unsupported construct) are counted and listed: there should be none.
 *
 * usage: kql-corpus [-t TABLES_DIR] [-p MIN_PARSE%] [-x MIN_TRANSLATE%]
 *                   [-w WS] [-v] FILE
 * Exits 1 when a share is below its minimum or a query failed while
 * running, 2 on bad usage or input.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "kql/arena.h"
#include "buf.h"
#include "kql/catalog.h"
#include "kql/exec.h"
#include "kql/parse.h"
#include "kql/sql.h"

struct reason {
	char	*text;
	int	 n;
};

static struct reason *reasons;
static size_t nreasons;

/* Groups messages: position dropped, names of columns and the like
 * folded, so "unknown column 'X'" counts as one reason. */
static void
tally(const char *msg)
{
	char buf[256];
	const char *p = msg;
	size_t i;

	while (isdigit((unsigned char)*p) || *p == ':')
		p++;
	while (*p == ' ')
		p++;
	snprintf(buf, sizeof(buf), "%s", p);
	if (strncmp(buf, "unknown column", 14) == 0 ||
	    strncmp(buf, "unknown name", 12) == 0 ||
	    strncmp(buf, "unknown table", 13) == 0) {
		buf[strcspn(buf, "'")] = '\0';
		if (buf[0] != '\0' && buf[strlen(buf) - 1] == ' ')
			buf[strlen(buf) - 1] = '\0';
	}
	if (strstr(buf, "needs the columns of") != NULL) {
		char *q = strstr(buf, " of '");

		if (q != NULL)
			strcpy(q, " of a table whose columns are not known");
	}
	for (i = 0; i < nreasons; i++) {
		if (strcmp(reasons[i].text, buf) == 0) {
			reasons[i].n++;
			return;
		}
	}
	reasons = realloc(reasons, (nreasons + 1) * sizeof(*reasons));
	if (reasons == NULL) {
		perror("kql-corpus");
		exit(2);
	}
	reasons[nreasons].text = strdup(buf);
	reasons[nreasons].n = 1;
	nreasons++;
}

static int
by_count(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	if (x->n != y->n)
		return y->n - x->n;
	return strcmp(x->text, y->text);
}

int
main(int argc, char *argv[])
{
	const char *tables = "data/tables", *ws = NULL;
	int ran = 0, runfail = 0;
	double min_parse = 0, min_translate = 0;
	int c, verbose = 0, n = 0, parsed = 0, translated = 0;
	char *line = NULL, err[512];
	size_t cap = 0, i;
	ssize_t len;
	FILE *fp;
	struct kql_catalog cat;

	while ((c = getopt(argc, argv, "t:p:x:w:v")) != -1) {
		switch (c) {
		case 'w':
			ws = optarg;
			break;
		case 't':
			tables = optarg;
			break;
		case 'p':
			min_parse = atof(optarg);
			break;
		case 'x':
			min_translate = atof(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: kql-corpus [-t DIR] [-p PCT] "
			    "[-x PCT] [-v] FILE\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: kql-corpus [-t DIR] [-p PCT] [-x PCT] "
		    "[-v] FILE\n");
		return 2;
	}
	fp = fopen(argv[optind], "r");
	if (fp == NULL) {
		perror(argv[optind]);
		return 2;
	}
	kql_dircat_init(&cat, tables, 1);
	while ((len = getline(&line, &cap, fp)) > 0) {
		json_t *j = json_loadb(line, (size_t)len, 0, NULL);
		const char *q = json_string_value(json_object_get(j, "query"));
		const char *src = json_string_value(json_object_get(j,
		    "source"));
		struct kql_arena a;
		struct kql_ast ast;
		struct kql_sql out;

		if (q == NULL) {
			fprintf(stderr, "%s:%d: no \"query\"\n", argv[optind],
			    n + 1);
			json_decref(j);
			return 2;
		}
		n++;
		kql_arena_init(&a, 0);
		if (kql_parse(&a, q, strlen(q), &ast, err, sizeof(err)) == 0) {
			parsed++;
			if (kql_translate(&a, &ast, &cat, NULL, &out, err,
			    sizeof(err)) == 0)
				translated++;
			else
				tally(err);
		} else {
			tally(err);
		}
		if (verbose && err[0] != '\0')
			printf("%s\t%s\n", src ? src : "?", err);
		if (ws != NULL) {
			struct kql_exec_opts o;
			struct buf eb;
			json_t *resp = NULL;
			enum kql_exec_status st;

			memset(&o, 0, sizeof(o));
			o.timeout_s = 60;
			buf_init(&eb);
			st = kql_exec(ws, q, strlen(q), &o, &resp, &eb);
			if (st == KQL_EXEC_OK) {
				ran++;
			} else if (st != KQL_EXEC_SYNTAX) {
				runfail++;
				printf("run failed: %s: %s\n", src ? src : "?",
				    buf_str(&eb));
			}
			json_decref(resp);
			buf_release(&eb);
		}
		err[0] = '\0';
		kql_arena_release(&a);
		json_decref(j);
	}
	free(line);
	fclose(fp);
	if (n == 0) {
		fprintf(stderr, "%s: no queries\n", argv[optind]);
		return 2;
	}
	qsort(reasons, nreasons, sizeof(*reasons), by_count);
	printf("queries: %d\n", n);
	printf("parse: %d (%.1f%%)\n", parsed, 100.0 * parsed / n);
	printf("translate: %d (%.1f%%)\n", translated, 100.0 * translated / n);
	if (ws != NULL)
		printf("run: %d ran on the workspace, %d failed while "
		    "running\n", ran, runfail);
	printf("top reasons for failing:\n");
	for (i = 0; i < nreasons && i < 12; i++)
		printf("%5d  %s\n", reasons[i].n, reasons[i].text);
	for (i = 0; i < nreasons; i++)
		free(reasons[i].text);
	free(reasons);
	if (100.0 * parsed / n < min_parse ||
	    100.0 * translated / n < min_translate || runfail > 0)
		return 1;
	return 0;
}
