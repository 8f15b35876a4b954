/*
 * rules: the playbook's documented rules on command lines.  Each rule
 * names what it saw in words an analyst uses and, where one fits, the
 * ATT&CK technique.  Matching is on the lower-cased command line: plain
 * substrings for tool names and cradles, tokens for PowerShell's
 * abbreviable switches (-enc, -ep bypass, -w hidden), so "-e" alone or a
 * path that happens to contain "bypass" does not fire.
 */
#include <ctype.h>
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

static const char *const cradles[] = {
	"invoke-webrequest", "iwr ", "invoke-restmethod", "irm ",
	"downloadstring", "downloadfile", "downloaddata", "net.webclient",
	"start-bitstransfer", "wget http", "wget.exe http", "curl http",
	"curl.exe http", "msxml2.xmlhttp", "winhttp.winhttprequest", NULL
};

static char *
lower(const char *s)
{
	char *l = strdup(s != NULL ? s : "");
	char *p;

	if (l != NULL)
		for (p = l; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	return l;
}

static int
has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Whether tok (no leading dash or slash) abbreviates word, with at
 * least min characters, as PowerShell accepts. */
static int
abbrev(const char *tok, size_t len, const char *word, size_t min)
{
	return len >= min && len <= strlen(word) &&
	    strncmp(tok, word, len) == 0;
}

/* Splits a lower-cased command line into tokens (quotes dropped). */
static size_t
tokens(char *s, char **tok, size_t max)
{
	size_t n = 0;
	char *p = s;

	while (*p != '\0' && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
			p++;
		if (*p == '\0')
			break;
		tok[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '"' &&
		    *p != '\'')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

static int
is_powershell(const char *image_l, const char *cmd_l)
{
	return has(image_l, "powershell") || has(image_l, "pwsh") ||
	    (image_l[0] == '\0' && (has(cmd_l, "powershell") ||
	    has(cmd_l, "pwsh")));
}

unsigned
rules_eval(const char *image, const char *cmd)
{
	char *img = lower(image), *c = lower(cmd), *copy, *tok[256];
	unsigned hits = 0;
	size_t i, n;
	const char *const *cr;

	if (img == NULL || c == NULL) {
		free(img);
		free(c);
		return 0;
	}
	for (cr = cradles; *cr != NULL; cr++)
		if (has(c, *cr))
			hits |= R_CRADLE;
	if (has(c, "certutil") && (has(c, "urlcache") || has(c, "verifyctl")))
		hits |= R_CERTUTIL_DL;
	if (has(c, "certutil") && (has(c, "-decode") || has(c, "/decode")))
		hits |= R_CERTUTIL_DECODE;
	if (has(c, "bitsadmin") && (has(c, "/transfer") || has(c,
	    "/addfile") || has(c, "/download")))
		hits |= R_BITSADMIN;
	if (has(c, "mshta") && (has(c, "http") || has(c, "javascript:") ||
	    has(c, "vbscript:")))
		hits |= R_MSHTA;
	if (has(c, "regsvr32") && (has(c, "/i:http") || has(c, "-i:http") ||
	    has(c, "scrobj")))
		hits |= R_REGSVR32;
	if (has(c, "rundll32") && (has(c, "javascript:") || has(c,
	    "mshtml,runhtmlapplication")))
		hits |= R_RUNDLL32;
	if (is_powershell(img, c)) {
		copy = strdup(c);
		n = copy != NULL ? tokens(copy, tok, 256) : 0;
		for (i = 0; i < n; i++) {
			const char *t = tok[i];
			size_t len;

			if (t[0] != '-' && t[0] != '/')
				continue;
			t++;
			len = strlen(t);
			if (((len == 2 && strcmp(t, "ec") == 0) ||
			    abbrev(t, len, "encodedcommand", 1)) &&
			    i + 1 < n && strlen(tok[i + 1]) >= 16)
				hits |= R_ENCODED;
			if ((abbrev(t, len, "executionpolicy", 2) ||
			    strcmp(t, "ep") == 0) && i + 1 < n &&
			    (strcmp(tok[i + 1], "bypass") == 0 ||
			    strcmp(tok[i + 1], "unrestricted") == 0))
				hits |= R_BYPASS;
			if (abbrev(t, len, "windowstyle", 1) && i + 1 < n &&
			    strncmp(tok[i + 1], "hid", 3) == 0)
				hits |= R_HIDDEN;
		}
		free(copy);
	}
	if ((hits & (R_CRADLE | R_CERTUTIL_DL | R_BITSADMIN)) &&
	    (has(c, "start-process") || has(c, "invoke-item") ||
	    has(c, "& ") || has(c, "saps ")) && has(c, ".exe"))
		hits |= R_RUNS_DOWNLOAD;
	free(img);
	free(c);
	return hits;
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
