/*
 * argscan: watches the argv of every process descended from ROOT, while a
 * test runs, for secrets.  Secrets belong in the environment or in files
 * of mode 0600, never in argv: any user on the host can read
 * /proc/PID/cmdline.
 *
 *   argscan ROOT STOPFILE < NEEDLES
 *
 * NEEDLES are read from stdin, one a line, so they never sit in argscan's
 * own argv.  It rescans /proc every 2 ms until STOPFILE exists, scans once
 * more, and prints:
 *
 *   hit PID NAME        a process whose argv held a needle (once a pid)
 *   seen NAME           each program it saw below ROOT (basename of argv[0],
 *                       or of the script a shell runs: "sh ./fake-az")
 *   scans N
 *
 * Exit status: 0 no needle seen, 1 a needle seen, 2 usage or I/O error.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_NEEDLES	64
#define MAX_NAMES	256
#define MAX_HITS	256

static char	*needles[MAX_NEEDLES];
static size_t	 nneedles;
static char	*names[MAX_NAMES];
static size_t	 nnames;
static pid_t	 hits[MAX_HITS];
static size_t	 nhits;

/* The parent of pid from /proc/PID/stat, or -1. */
static pid_t
parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY);
	if (fd == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and ')'. */
	p = strrchr(buf, ')');
	if (p == NULL || p[1] == '\0' || p[2] == '\0')
		return -1;
	return (pid_t)strtol(p + 3, NULL, 10);
}

static int
descends_from(pid_t pid, pid_t root)
{
	int depth;

	for (depth = 0; pid > 1 && depth < 64; depth++) {
		if (pid == root)
			return 1;
		pid = parent_of(pid);
	}
	return 0;
}

static void
note_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	size_t i;

	base = base != NULL ? base + 1 : argv0;
	if (*base == '\0')
		return;
	for (i = 0; i < nnames; i++)
		if (strcmp(names[i], base) == 0)
			return;
	if (nnames < MAX_NAMES)
		names[nnames++] = strdup(base);
}

/* argv[0], or argv[1] when argv[0] is a shell running a script. */
static const char *
script_or_program(const char *args, size_t n)
{
	const char *base = strrchr(args, '/'), *next;

	base = base != NULL ? base + 1 : args;
	next = args + strlen(args) + 1;
	if ((strcmp(base, "sh") == 0 || strcmp(base, "dash") == 0 ||
	    strcmp(base, "bash") == 0) && next < args + n && *next != '-' &&
	    *next != '\0')
		return next;
	return args;
}

static void
note_hit(pid_t pid, const char *argv0)
{
	size_t i;

	for (i = 0; i < nhits; i++)
		if (hits[i] == pid)
			return;
	if (nhits < MAX_HITS)
		hits[nhits++] = pid;
	printf("hit %ld %s\n", (long)pid, argv0);
	fflush(stdout);
}

/* Whether hay (n bytes, NULs between arguments) holds needle. */
static int
holds(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; m > 0 && i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

static void
scan(pid_t root, pid_t self)
{
	static char buf[1 << 20];
	struct dirent *e;
	char path[64];
	ssize_t n, got;
	size_t i;
	pid_t pid;
	DIR *d;
	int fd;

	d = opendir("/proc");
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid == self || !descends_from(pid, root))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
		fd = open(path, O_RDONLY);
		if (fd == -1)
			continue;
		got = 0;
		while (got < (ssize_t)sizeof(buf) - 1 &&
		    (n = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
			got += n;
		close(fd);
		if (got <= 0)
			continue;	/* a zombie or a kernel thread */
		buf[got] = '\0';
		note_name(script_or_program(buf, (size_t)got));
		for (i = 0; i < nneedles; i++)
			if (holds(buf, (size_t)got, needles[i]))
				note_hit(pid, buf);
	}
	closedir(d);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char *argv[])
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t n;
	long scans = 0;
	pid_t root, self = getpid();
	struct stat st;

	if (argc != 3 || (root = (pid_t)strtol(argv[1], NULL, 10)) <= 1) {
		fprintf(stderr, "usage: argscan ROOT STOPFILE < NEEDLES\n");
		return 2;
	}
	while ((n = getline(&line, &cap, stdin)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n >= 4 && nneedles < MAX_NEEDLES)
			needles[nneedles++] = strdup(line);
	}
	free(line);
	if (nneedles == 0) {
		fprintf(stderr, "argscan: no needles (of 4 bytes or more) "
		    "on stdin\n");
		return 2;
	}
	for (;;) {
		int stop = stat(argv[2], &st) == 0;

		scan(root, self);
		scans++;
		if (stop)
			break;
		nanosleep(&pause, NULL);
	}
	qsort(names, nnames, sizeof(names[0]), cmp_names);
	for (i = 0; i < nnames; i++) {
		printf("seen %s\n", names[i]);
		free(names[i]);
	}
	printf("scans %ld\n", scans);
	for (i = 0; i < nneedles; i++)
		free(needles[i]);
	return nhits > 0 ? 1 : 0;
}
