/*
 * log: diagnostics for people, on stderr only.  Library code reports
 * problems to its caller; it uses this module only for warnings that must
 * not be lost (an insecure .env file) and for TRIAGE_DEBUG tracing.
 * Every line starts with the program's name, as err(3) does.
 */
#ifndef TRIAGE_LOG_H
#define TRIAGE_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* Records the program name (basename of argv0) and reads TRIAGE_DEBUG. */
void	 log_init(const char *argv0);
/* The program name given to log_init ("triage" before that). */
const char *log_progname(void);
/* Nonzero when TRIAGE_DEBUG is set to something other than "" or "0". */
int	 log_debugging(void);
/*
 * Formats a diagnostic into out: prefix, the message, "\n".  Messages quote
 * hostile data, so control characters (C0 but tab, DEL, C1) become '?' (an
 * escape sequence on the analyst's terminal could retitle it, hide text or
 * write the clipboard), and a newline in the message is followed by two
 * spaces (so quoted data cannot pass for a line of its own).  A message too
 * long for out loses its middle, not its end, which usually says what was
 * wrong.  outsz must be at least 64.  log_warn, log_debug and cli_die use it.
 */
void	 log_vformat(char *out, size_t outsz, const char *prefix,
	    const char *fmt, va_list ap);
/* "prog: warning: ..." on stderr. */
void	 log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: debug: ..." on stderr, only when debugging. */
void	 log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
