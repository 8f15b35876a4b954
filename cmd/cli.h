/*
 * cli: what every program does the same way: start-up hygiene, --help and
 * --version, usage errors, fatal errors with a code from lib/exit.h, and
 * allocation that cannot fail quietly.  Only cmd/ code uses this: it exits.
 */
#ifndef TRIAGE_CLI_H
#define TRIAGE_CLI_H

#include <stddef.h>

#include "exit.h"

/*
 * Makes sure fds 0-2 are open, sets SIGPIPE to its default (a closed pipe
 * ends a stage quietly, as in any Unix filter) and records the name.
 */
void	 cli_init(int argc, char *argv[]);

/* Prints text (the full help) on stdout and exits 0. */
_Noreturn void cli_help(const char *text);
/* Prints "NAME VERSION" on stdout and exits 0. */
_Noreturn void cli_version(void);
/* Prints "usage: SYNOPSIS" on stderr and exits EXIT_USAGE. */
_Noreturn void cli_usage(const char *synopsis);
/* Prints "prog: message" on stderr and exits with code. */
_Noreturn void cli_die(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Prints "prog: message" on stderr. */
void	 cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The value of a numeric option: a whole number from min to max, or
 * "prog: invalid --opt 'S': expected a whole number from MIN to MAX" and
 * EXIT_USAGE.
 */
long long cli_number(const char *opt, const char *s, long long min,
	    long long max);

/* Flushes stdout and turns a write error into EXIT_FAIL; returns code. */
int	 cli_exit(int code);

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
/* A new printf-formatted string (free it); aborts when memory runs out. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
