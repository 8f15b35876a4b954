/*
 * log: diagnostics for people, on stderr only.  Library code reports
 * problems to its caller; it uses this module only for warnings that must
 * not be lost (an insecure .env file) and for TRIAGE_DEBUG tracing.
 * Every line starts with the program's name, as err(3) does.
 */
#ifndef TRIAGE_LOG_H
#define TRIAGE_LOG_H

/* Records the program name (basename of argv0) and reads TRIAGE_DEBUG. */
void	 log_init(const char *argv0);
/* The program name given to log_init ("triage" before that). */
const char *log_progname(void);
/* Nonzero when TRIAGE_DEBUG is set to something other than "" or "0". */
int	 log_debugging(void);
/*
 * Replaces, in place, the control characters in s (C0 except tab and
 * newline, DEL, and C1 in UTF-8) with '?': messages quote hostile data,
 * and an escape sequence on the analyst's terminal could retitle it, hide
 * text or write the clipboard.  log_warn, log_debug and cli_die do this.
 */
void	 log_defuse(char *s);
/* "prog: warning: ..." on stderr. */
void	 log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: debug: ..." on stderr, only when debugging. */
void	 log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
