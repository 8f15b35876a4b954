/*
 * term: terminal detection, colour and progress on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"

int
term_is_tty(int fd)
{
	return isatty(fd);
}

int
term_colour(int fd)
{
	const char *nc, *t;

	nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0')
		return 0;
	t = getenv("TERM");
	if (t != NULL && strcmp(t, "dumb") == 0)
		return 0;
	return isatty(fd);
}

int
term_progress(void)
{
	const char *t = getenv("TERM");

	return isatty(2) && !(t != NULL && strcmp(t, "dumb") == 0);
}

const char *
term_sgr(int fd, const char *sgr)
{
	static char buf[8][16];
	static int next;
	char *p;

	if (!term_colour(fd))
		return "";
	p = buf[next++ % 8];
	snprintf(p, sizeof(buf[0]), "\033[%sm", sgr);
	return p;
}

void
term_put_safe(FILE *fp, const char *s, int keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p == '\t' || (*p == '\n' && keep_newlines))
			putc(*p, fp);
		else if (*p < 0x20 || *p == 0x7f)
			putc('?', fp);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			putc('?', fp);		/* C1 control in UTF-8 */
			p++;
		} else
			putc(*p, fp);
	}
}

static int progress_shown;

void
progress_update(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!term_progress())
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fputs("\r\033[K", stderr);
	term_put_safe(stderr, line, 0);
	fflush(stderr);
	progress_shown = 1;
}

void
progress_done(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = 0;
}
