/*
 * playbook: the investigation without a model, and the command-line rules
 * it (and only it) uses.
 */
#ifndef TRIAGE_AGENT_PLAYBOOK_H
#define TRIAGE_AGENT_PLAYBOOK_H

#include <jansson.h>

#include "incident.h"

struct buf;

/* The bits are lib/incident_flags.c's, the one command-line matcher. */
enum rule_bit {
	R_CRADLE		= INCIDENT_CMD_CRADLE,
	R_CERTUTIL_DL		= INCIDENT_CMD_CERTUTIL_DL,
	R_CERTUTIL_DECODE	= INCIDENT_CMD_CERTUTIL_DECODE,
	R_BITSADMIN		= INCIDENT_CMD_BITSADMIN,
	R_ENCODED		= INCIDENT_CMD_ENCODED,
	R_BYPASS		= INCIDENT_CMD_BYPASS,
	R_HIDDEN		= INCIDENT_CMD_HIDDEN,
	R_MSHTA			= INCIDENT_CMD_MSHTA,
	R_REGSVR32		= INCIDENT_CMD_REGSVR32,
	R_RUNDLL32		= INCIDENT_CMD_RUNDLL32,
	R_RUNS_DOWNLOAD		= INCIDENT_CMD_RUNS_DOWNLOAD
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
