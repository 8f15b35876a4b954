/*
 * log: stderr diagnostics with the program's name in front.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

/*
 * The message fmt makes, defused: controls become '?' and a newline is
 * followed by two spaces.  NULL when memory runs out.
 */
static char *
defused(const char *fmt, va_list ap)
{
	const unsigned char *p;
	struct buf raw, b;
	char *s;

	buf_init(&raw);
	buf_init(&b);
	buf_vprintf(&raw, fmt, ap);
	for (p = (const unsigned char *)buf_str(&raw); *p != '\0'; p++) {
		if (*p == '\n')
			buf_adds(&b, "\n  ");
		else if (*p == '\t')
			buf_addc(&b, '\t');
		else if (*p < 0x20 || *p == 0x7f)
			buf_addc(&b, '?');
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			buf_addc(&b, '?');	/* C1 control in UTF-8 */
			p++;
		} else
			buf_addc(&b, *p);
	}
	buf_release(&raw);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	s = buf_steal(&b);
	return s != NULL ? s : calloc(1, 1);
}

void
log_vformat(char *out, size_t outsz, const char *prefix, const char *fmt,
    va_list ap)
{
	size_t len, room, head, tail;
	char *msg;

	snprintf(out, outsz, "%s", prefix);
	len = strlen(out);
	if (len + 2 > outsz)
		return;
	room = outsz - len - 2;		/* for "\n" and NUL */
	msg = defused(fmt, ap);
	if (msg == NULL) {
		snprintf(out + len, outsz - len, "(out of memory)\n");
		return;
	}
	if (strlen(msg) <= room || room < 16)
		snprintf(out + len, outsz - len, "%.*s\n", (int)room, msg);
	else {
		/* Keep both ends, cut at UTF-8 character boundaries. */
		head = (room - 5) / 2;
		tail = strlen(msg) - (room - 5 - head);
		while (head > 0 && ((unsigned char)msg[head] & 0xc0) == 0x80)
			head--;
		while (((unsigned char)msg[tail] & 0xc0) == 0x80)
			tail++;
		snprintf(out + len, outsz - len, "%.*s ... %s\n", (int)head,
		    msg, msg + tail);
	}
	free(msg);
}

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char line[4096], prefix[128];

	/* One write per line keeps lines whole when processes share stderr. */
	snprintf(prefix, sizeof(prefix), "%s: %s", progname, level);
	log_vformat(line, sizeof(line), prefix, fmt, ap);
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
