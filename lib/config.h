/*
 * config: settings by name.  The environment wins; then ./.env; then
 * $XDG_CONFIG_HOME/triage/env (default ~/.config/triage/env).  A variable
 * that is set is never overridden by a file.  Files hold KEY=VALUE lines,
 * optionally prefixed by "export ", with '#' comments and single or double
 * quotes around values.  A file readable by group or others gets a warning,
 * since it usually holds API keys.  The names are fixed (README).
 */
#ifndef TRIAGE_CONFIG_H
#define TRIAGE_CONFIG_H

/*
 * The value of a setting, or NULL when it is unset or empty.  Borrowed:
 * valid until the process ends (or config_reset).
 */
const char *config_get(const char *name);
/* The value, or fallback when unset. */
const char *config_get_or(const char *name, const char *fallback);
/* An integer setting; fallback when unset or not a number. */
long	 config_get_long(const char *name, long fallback);
/* Forgets the files read so far (tests change the environment). */
void	 config_reset(void);

#endif
