/*
 * test_log: log_vformat, which every diagnostic goes through: controls in
 * quoted data defused, newlines indented, long messages cut in the middle
 * at character boundaries.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tap.h"

static void
fmt(char *out, size_t outsz, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	log_vformat(out, outsz, "prog: ", f, ap);
	va_end(ap);
}

int
main(void)
{
	char out[64], big[4096], *s;
	size_t i;

	fmt(out, sizeof(out), "'%s' is bad", "x\033]0;t\007y");
	is_str(out, "prog: 'x?]0;t?y' is bad\n", "ESC and BEL defused");
	fmt(out, sizeof(out), "%s", "a\tb\177c\302\233d\303\251");
	is_str(out, "prog: a\tb?c?d\303\251\n", "tab kept, DEL and C1 defused");
	fmt(out, sizeof(out), "'%s'", "a\nprog: forged");
	is_str(out, "prog: 'a\n  prog: forged'\n", "a newline indents");

	s = malloc(3001);
	for (i = 0; i < 1500; i++)
		memcpy(s + 2 * i, "\303\251", 2);	/* é */
	s[3000] = '\0';
	fmt(big, 200, "'%s' is not an ID", s);
	ok(strlen(big) < 200, "cut to fit");
	ok(strstr(big, " ... ") != NULL, "the cut is marked");
	is_str(big + strlen(big) - 15, "' is not an ID\n", "the end survives");
	ok(strncmp(big, "prog: '\303\251", 9) == 0, "the start survives");
	for (i = 0; big[i] != '\0'; i++)
		if (big[i] == ' ' && big[i + 1] == '.')
			break;
	ok((unsigned char)big[i - 1] == 0xa9 &&
	    (unsigned char)big[i + 5] == 0xc3, "cut at character boundaries");
	free(s);

	fmt(out, 10, "%s", "0123456789");
	ok(strlen(out) < 10 && out[strlen(out) - 1] == '\n',
	    "a tiny buffer still ends the line");
	return tap_done();
}
