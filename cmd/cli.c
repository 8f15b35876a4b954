/*
 * cli: shared program plumbing.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "log.h"
#include "version.h"

void
cli_init(int argc, char *argv[])
{
	int fd;

	(void)argc;
	/* A program started with a closed fd 0-2 would otherwise write its
	 * records into whatever file it opens next. */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(EXIT_FAIL);
	signal(SIGPIPE, SIG_DFL);
	log_init(argv != NULL ? argv[0] : NULL);
}

_Noreturn void
cli_help(const char *text)
{
	fputs(text, stdout);
	exit(cli_exit(EXIT_OK));
}

_Noreturn void
cli_version(void)
{
	printf("%s %s\n", log_progname(), TRIAGE_VERSION);
	exit(cli_exit(EXIT_OK));
}

_Noreturn void
cli_usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s\n", synopsis);
	fprintf(stderr, "Try '%s --help' for more.\n", log_progname());
	exit(EXIT_USAGE);
}

static void
vsay(const char *fmt, va_list ap)
{
	char line[2048], prefix[80];

	snprintf(prefix, sizeof(prefix), "%s: ", log_progname());
	log_vformat(line, sizeof(line), prefix, fmt, ap);
	fflush(stdout);
	fputs(line, stderr);
}

_Noreturn void
cli_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(code);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

long long
cli_number(const char *opt, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		cli_die(EXIT_USAGE, "invalid %s '%s': expected a whole number "
		    "from %lld to %lld", opt, s, min, max);
	return v;
}

int
cli_exit(int code)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "%s: writing output: %s\n",
			    log_progname(), strerror(errno));
		return code == EXIT_OK ? EXIT_FAIL : code;
	}
	return code;
}

static _Noreturn void
out_of_memory(size_t n)
{
	fprintf(stderr, "%s: out of memory (%zu bytes)\n", log_progname(), n);
	exit(EXIT_FAIL);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n > 0 ? n : 1, size > 0 ? size : 1);

	if (p == NULL)
		out_of_memory(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n > 0 ? n : 1);
	if (p == NULL)
		out_of_memory(n);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *s;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s = buf_steal(&b);
	if (s == NULL)
		out_of_memory(b.cap);
	return s;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		out_of_memory(strlen(s) + 1);
	return p;
}
