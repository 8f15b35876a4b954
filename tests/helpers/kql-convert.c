/*
 * kql-convert: the benchmark's view of triage-kql's conversion.  It reads
 * a saved Log Analytics response as live.c does (rawresp.c, in place) and
 * writes it with cmd/kql/output.c (both built in, not copied), timing
 * each step; with -j it takes the general path instead (Jansson values,
 * as for a local workspace).
 *
 *   kql-convert [-j] [-f ndjson|json|table|csv] RESPONSE.json > OUT
 *
 * Prints on stderr: "bytes N parse_ms N convert_ms N maxrss_kb N".
 * Also a runner for whole programs, for their peak memory:
 *
 *   kql-convert -r PROGRAM [ARG...]
 *
 * runs PROGRAM (stdout and stderr inherited) and prints on stderr
 * "wall_ms N maxrss_kb N status N".  Exit 0, or 1 on failure.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "file.h"

#include "kql/output.c"
#include "kql/rawresp.c"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int
run(char *argv[])
{
	struct rusage ru;
	double t0;
	pid_t pid;
	int st;

	t0 = now_ms();
	pid = fork();
	if (pid == -1)
		return 1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) == -1)
		return 1;
	fprintf(stderr, "wall_ms %.0f maxrss_kb %ld status %d\n",
	    now_ms() - t0, ru.ru_maxrss, WIFEXITED(st) ? WEXITSTATUS(st) :
	    128 + WTERMSIG(st));
	return 0;
}

int
main(int argc, char *argv[])
{
	struct output_summary sum;
	struct raw_response raw;
	struct buf err;
	enum output_format f = OUTPUT_NDJSON;
	struct rusage ru;
	json_error_t jerr;
	json_t *root;
	char *data;
	size_t len;
	double t0, t1, t2;
	int c, dom = 0, rc;

	while ((c = getopt(argc, argv, "+f:jr")) != -1) {
		switch (c) {
		case 'j':
			dom = 1;
			break;
		case 'f':
			if (output_parse_format(optarg, &f) == -1)
				return 1;
			break;
		case 'r':
			if (optind >= argc)
				return 1;
			return run(argv + optind);
		default:
			return 1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: kql-convert [-f format] FILE | "
		    "-r PROGRAM [ARG...]\n");
		return 1;
	}
	if (file_read(argv[optind], (size_t)1 << 31, &data, &len) == -1) {
		fprintf(stderr, "kql-convert: %s: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	buf_init(&err);
	t0 = now_ms();
	if (dom) {
		root = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);
		free(data);
		t1 = now_ms();
		if (root == NULL) {
			fprintf(stderr, "kql-convert: %s\n", jerr.text);
			return 1;
		}
		rc = output_result(stdout, root, f, 0, &sum);
		json_decref(root);
	} else {
		if (raw_response_read(&raw, data, len, &err) == -1) {
			fprintf(stderr, "kql-convert: %s\n", buf_str(&err));
			return 1;
		}
		t1 = now_ms();
		rc = output_raw(stdout, &raw, f, 0, &sum, &err);
		raw_response_release(&raw);
	}
	t2 = now_ms();
	buf_release(&err);
	if (rc != 0)
		return 1;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "bytes %zu parse_ms %.0f convert_ms %.0f maxrss_kb "
	    "%ld\n", len, t1 - t0, t2 - t1, ru.ru_maxrss);
	return 0;
}
