/*
 * runstat: runs a command N times as a whole process (no shell; stdin and
 * stdout on /dev/null) and prints what each run cost: the median, 90th
 * percentile and smallest wall time in milliseconds and the largest peak
 * resident set in KiB, from wait4's rusage.  For the benchmarks.
 *
 *   runstat N COMMAND [ARG ...]
 *   -> "median_ms p90_ms min_ms max_rss_kib"
 */
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double *ms, t0;
	long max_rss = 0;
	int n, i, status;
	pid_t pid;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: runstat N COMMAND [ARG ...]\n");
		return 2;
	}
	ms = calloc((size_t)n, sizeof(*ms));
	if (ms == NULL)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < n; i++) {
		t0 = now_ms();
		if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2,
		    environ) != 0) {
			perror(argv[2]);
			return 1;
		}
		if (wait4(pid, &status, 0, &ru) == -1) {
			perror("wait4");
			return 1;
		}
		ms[i] = now_ms() - t0;
		if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 &&
		    WEXITSTATUS(status) != 6)) {
			fprintf(stderr, "runstat: %s failed (status %d)\n",
			    argv[2], status);
			return 1;
		}
		if (ru.ru_maxrss > max_rss)
			max_rss = ru.ru_maxrss;
	}
	posix_spawn_file_actions_destroy(&fa);
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("%.2f %.2f %.2f %ld\n", ms[n / 2], ms[(n * 9) / 10 < n ?
	    (n * 9) / 10 : n - 1], ms[0], max_rss);
	free(ms);
	return 0;
}
