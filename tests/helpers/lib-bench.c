/*
 * lib-bench: micro-measurements of the foundation for bench/foundation.sh:
 *   lib-bench ndjson FILE   read and re-write every record, print MB/s
 *   lib-bench spawn N       run `true` N times through lib/proc, print ms each
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ndjson.h"
#include "proc.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench_ndjson(const char *path)
{
	struct ndjson_reader r;
	struct stat st;
	FILE *in, *out;
	json_t *v;
	double t0, t1;
	long n = 0;

	in = fopen(path, "r");
	out = fopen("/dev/null", "w");
	if (in == NULL || out == NULL || stat(path, &st) == -1)
		return 1;
	ndjson_init(&r, in, path);
	t0 = now_s();
	while ((v = ndjson_next(&r)) != NULL) {
		ndjson_write(out, v);
		json_decref(v);
		n++;
	}
	t1 = now_s();
	ndjson_release(&r);
	printf("%ld records, %.1f MB in %.3f s: %.1f MB/s\n", n,
	    (double)st.st_size / 1e6, t1 - t0,
	    (double)st.st_size / 1e6 / (t1 - t0));
	fclose(in);
	fclose(out);
	return 0;
}

static int
bench_spawn(int n)
{
	const char *argv[] = { "true", NULL };
	struct proc_result r;
	double t0, t1;
	int i;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		proc_run(argv, "{}\n", 5000, &r);
		proc_result_release(&r);
	}
	t1 = now_s();
	printf("%d spawns in %.3f s: %.2f ms each\n", n, t1 - t0,
	    (t1 - t0) * 1000 / n);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "ndjson") == 0)
		return bench_ndjson(argv[2]);
	if (argc == 3 && strcmp(argv[1], "spawn") == 0)
		return bench_spawn(atoi(argv[2]));
	fprintf(stderr, "usage: lib-bench ndjson FILE | spawn N\n");
	return 2;
}
