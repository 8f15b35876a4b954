/*
 * log: stderr diagnostics with the program's name in front.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static char	progname[64] = "triage";
static int	debugging = -1;

void
log_init(const char *argv0)
{
	const char *base, *env;

	if (argv0 != NULL && *argv0 != '\0') {
		base = strrchr(argv0, '/');
		base = base != NULL ? base + 1 : argv0;
		snprintf(progname, sizeof(progname), "%s", base);
	}
	env = getenv("TRIAGE_DEBUG");
	debugging = env != NULL && *env != '\0' && strcmp(env, "0") != 0;
}

const char *
log_progname(void)
{
	return progname;
}

int
log_debugging(void)
{
	const char *env;

	if (debugging == -1) {
		env = getenv("TRIAGE_DEBUG");
		debugging = env != NULL && *env != '\0' &&
		    strcmp(env, "0") != 0;
	}
	return debugging;
}

void
log_defuse(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\t' || *p == '\n')
			continue;
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			p[0] = '?';
			p[1] = '?';
			p++;
		}
	}
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char line[4096];
	int n;

	/* One write per line keeps lines whole when processes share stderr. */
	n = snprintf(line, sizeof(line), "%s: %s", progname, level);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	log_defuse(line + n);
	strcat(line, "\n");
	fputs(line, stderr);
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debugging())
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}
