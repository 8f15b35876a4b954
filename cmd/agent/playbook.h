/*
 * playbook: the investigation without a model, and the command-line rules
 * it (and only it) uses.
 */
#ifndef TRIAGE_AGENT_PLAYBOOK_H
#define TRIAGE_AGENT_PLAYBOOK_H

#include <jansson.h>

struct buf;

enum rule_bit {
	R_CRADLE		= 1 << 0,
	R_CERTUTIL_DL		= 1 << 1,
	R_CERTUTIL_DECODE	= 1 << 2,
	R_BITSADMIN		= 1 << 3,
	R_ENCODED		= 1 << 4,
	R_BYPASS		= 1 << 5,
	R_HIDDEN		= 1 << 6,
	R_MSHTA			= 1 << 7,
	R_REGSVR32		= 1 << 8,
	R_RUNDLL32		= 1 << 9,
	R_RUNS_DOWNLOAD		= 1 << 10
};

struct rule {
	unsigned	 bit;
	const char	*key;		/* as in the incident's flags */
	const char	*technique;	/* ATT&CK id, or NULL */
	const char	*technique_name;
	const char	*tactic;
	const char	*words;		/* what it saw, for people */
};

/* The rules, ended by a zero bit. */
extern const struct rule rules[];

/* The rules a process (image name, command line) fires, as bits. */
unsigned rules_eval(const char *image, const char *cmd);
/* "a download cradle, the PowerShell execution policy bypassed". */
void	 rules_describe(unsigned hits, struct buf *b);
/* Appends the distinct http(s) URLs in a command line to out. */
void	 urls_in(const char *cmd, json_t *out);

#endif
