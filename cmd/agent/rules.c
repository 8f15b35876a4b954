/*
 * rules: the playbook's documented rules on command lines.  Each rule
 * names what it saw in words an analyst uses and, where one fits, the
 * ATT&CK technique.  The matching itself is incident_cmdline_match
 * (lib/incident_flags.c), shared with the incident's entity flags, so the
 * two can never drift apart; tests/unit/test_rules.c holds its table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent.h"
#include "buf.h"
#include "ioc.h"
#include "playbook.h"

const struct rule rules[] = {
	{ R_CRADLE, "download_cradle", "T1105", "Ingress Tool Transfer",
	  "Command and Control", "a download cradle" },
	{ R_CERTUTIL_DL, "certutil_download", "T1105",
	  "Ingress Tool Transfer", "Command and Control",
	  "certutil used to download a file" },
	{ R_CERTUTIL_DECODE, "certutil_decode", "T1140",
	  "Deobfuscate/Decode Files or Information", "Defense Evasion",
	  "certutil used to decode a file" },
	{ R_BITSADMIN, "bitsadmin_transfer", "T1197", "BITS Jobs",
	  "Defense Evasion", "bitsadmin used to transfer a file" },
	{ R_ENCODED, "encoded_command", "T1027",
	  "Obfuscated Files or Information", "Defense Evasion",
	  "an encoded PowerShell command" },
	{ R_BYPASS, "execution_policy_bypass", NULL, NULL, NULL,
	  "the PowerShell execution policy bypassed" },
	{ R_HIDDEN, "hidden_window", "T1564.003", "Hidden Window",
	  "Defense Evasion", "a hidden PowerShell window" },
	{ R_MSHTA, "mshta", "T1218.005", "Mshta", "Defense Evasion",
	  "mshta running remote or inline script" },
	{ R_REGSVR32, "regsvr32_scriptlet", "T1218.010", "Regsvr32",
	  "Defense Evasion", "regsvr32 loading a remote scriptlet" },
	{ R_RUNDLL32, "rundll32_script", "T1218.011", "Rundll32",
	  "Defense Evasion", "rundll32 running script" },
	{ R_RUNS_DOWNLOAD, "runs_download", NULL, NULL, NULL,
	  "the command runs the file it downloads" },
	{ 0, NULL, NULL, NULL, NULL, NULL }
};

unsigned
rules_eval(const char *image, const char *cmd)
{
	/* The incident's flags come from the same matcher, so the brief
	 * and the incident never disagree about a command line. */
	return incident_cmdline_match(cmd, image) &
	    ~(unsigned)INCIDENT_CMD_REMOTE_PROGRAM;
}

void
rules_describe(unsigned hits, struct buf *b)
{
	const struct rule *r;
	int first = 1;

	for (r = rules; r->bit != 0; r++) {
		if (!(hits & r->bit))
			continue;
		buf_printf(b, "%s%s", first ? "" : ", ", r->words);
		first = 0;
	}
}

/* The end of a URL in a command line. */
static int
url_char(int c)
{
	return c > ' ' && c != '"' && c != '\'' && c != ')' && c != ';' &&
	    c != ',' && c != '<' && c != '>' && c != '`' && c < 0x7f;
}

void
urls_in(const char *cmd, json_t *out)
{
	const char *p = cmd, *start, *q;
	char url[2048];
	size_t n, i;

	while (p != NULL && *p != '\0') {
		start = NULL;
		for (q = p; *q != '\0'; q++)
			if (strncasecmp(q, "http://", 7) == 0 ||
			    strncasecmp(q, "https://", 8) == 0) {
				start = q;
				break;
			}
		if (start == NULL)
			return;
		for (n = 0; url_char((unsigned char)start[n]); n++)
			;
		while (n > 0 && (start[n - 1] == '.' || start[n - 1] == ':'))
			n--;
		if (n < sizeof(url)) {
			memcpy(url, start, n);
			url[n] = '\0';
			if (ioc_classify(url) == IOC_URL) {
				for (i = 0; i < json_array_size(out); i++)
					if (strcmp(json_string_value(
					    json_array_get(out, i)), url) == 0)
						break;
				if (i == json_array_size(out))
					json_array_append_new(out,
					    json_string(url));
			}
		}
		p = start + (n > 0 ? n : 1);
	}
}
