/*
 * config: settings by name.  The environment wins; then ./.env; then
 * $XDG_CONFIG_HOME/triage/env (default ~/.config/triage/env).  A variable
 * that is set is never overridden by a file.  Files hold KEY=VALUE lines,
 * optionally prefixed by "export ", with '#' comments and single or double
 * quotes around values.  A file readable or writable by group or others
 * gets a warning, since it usually holds API keys: once a run, as the
 * process that reads the files first sets TRIAGE_ENV_CHECKED for its
 * children.  The names are fixed (README).
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
/* The variable that says a parent has read the files (and warned). */
#define CONFIG_CHECKED	"TRIAGE_ENV_CHECKED"

/* Reads the files now: a front door warns once, before its children. */
void	 config_load(void);
/* Forgets the files read so far (tests change the environment). */
void	 config_reset(void);

#endif
