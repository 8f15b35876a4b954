/*
 * tap: see tap.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static int	tap_n;
static int	tap_failed;

int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

int
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *name)
{
	int same;

	same = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);
	tap_ok(same, file, line, "%s", name);
	if (!same)
		printf("#   got:  '%s'\n#   want: '%s'\n",
		    got != NULL ? got : "(null)", want != NULL ? want : "(null)");
	return same;
}

int
tap_is_int(long long got, long long want, const char *file, int line,
    const char *name)
{
	tap_ok(got == want, file, line, "%s", name);
	if (got != want)
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return got == want;
}

int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed > 0 ? 1 : 0;
}

const char *
tap_tmpdir(void)
{
	static char dir[256];
	const char *base;

	if (dir[0] != '\0')
		return dir;
	base = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/tap.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	return dir;
}
