/*
 * incident_flags: what an analyst must not miss about an entity, computed
 * here rather than left to a model: well-known SIDs and RIDs, and what a
 * process command line gives away (an encoded PowerShell command, a
 * bypassed execution policy, a hidden window, a download cradle, the
 * living-off-the-land programs that fetch or run script).  This is the one
 * matcher: the incident's flags and the playbook's rules both use it.
 * Command lines are attacker-written, so matching is deliberately loose
 * where PowerShell is loose: parameters may be any unambiguous prefix, in
 * any case, introduced by '-', '/' or a Unicode dash.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "incident.h"

/* The longest command line examined (Windows allows 32767 characters). */
#define MAX_CMDLINE	65536

const char *
incident_sid_flag(const char *sid)
{
	static const struct {
		const char *sid, *flag;
	} fixed[] = {
		{ "S-1-5-18", "local_system" },
		{ "S-1-5-19", "local_service" },
		{ "S-1-5-20", "network_service" },
		{ "S-1-5-32-544", "builtin_administrators" },
	};
	static const struct {
		const char *rid, *flag;
	} rids[] = {
		{ "500", "rid500" },
		{ "502", "krbtgt" },
		{ "512", "domain_admins" },
		{ "518", "schema_admins" },
		{ "519", "enterprise_admins" },
	};
	const char *dash;
	size_t i, n;

	while (*sid == ' ')
		sid++;
	n = strlen(sid);
	while (n > 0 && sid[n - 1] == ' ')
		n--;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strlen(fixed[i].sid) == n &&
		    strncasecmp(sid, fixed[i].sid, n) == 0)
			return fixed[i].flag;
	/* Domain and machine accounts: S-1-5-21-a-b-c-RID. */
	if (n < 12 || strncasecmp(sid, "S-1-5-21-", 9) != 0)
		return NULL;
	dash = NULL;
	for (i = 0; i < n; i++)
		if (sid[i] == '-')
			dash = sid + i;
		else if (!isdigit((unsigned char)sid[i]) && i > 1)
			return NULL;
	for (i = 0; i < sizeof(rids) / sizeof(rids[0]); i++)
		if ((size_t)(sid + n - dash - 1) == strlen(rids[i].rid) &&
		    strncmp(dash + 1, rids[i].rid, strlen(rids[i].rid)) == 0)
			return rids[i].flag;
	return NULL;
}

/*
 * A lower-case ASCII copy of the command line with Unicode dashes (U+2013,
 * U+2014, U+2015, which PowerShell takes for '-') made '-'.
 */
static char *
fold(const char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *p;

	if (n > MAX_CMDLINE)
		n = MAX_CMDLINE;
	p = malloc(n + 1);
	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] == 0xe2 && i + 2 < n &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] >= 0x93 &&
		    (unsigned char)s[i + 2] <= 0x95) {
			p[o++] = '-';
			i += 2;
			continue;
		}
		p[o++] = (char)tolower((unsigned char)s[i]);
	}
	p[o] = '\0';
	return p;
}

static int
is_sep(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' ||
	    c == '\'' || c == ';' || c == '|' || c == '(' || c == '&' ||
	    c == '{' || c == '`';
}

/* Whether word (at least min characters of it) is a prefix of param. */
static int
is_param(const char *word, size_t len, const char *param, size_t min)
{
	return len >= min && len <= strlen(param) &&
	    strncmp(word, param, len) == 0;
}

/* The argument after a parameter ending at p: its first word, unquoted. */
static size_t
next_arg(const char *p, char *out, size_t outsz)
{
	size_t n = 0;

	while (*p == ' ' || *p == '\t' || *p == ':')
		p++;
	while (*p == '"' || *p == '\'')
		p++;
	while (*p != '\0' && !is_sep((unsigned char)*p) && n + 1 < outsz)
		out[n++] = *p++;
	out[n] = '\0';
	return n;
}

/*
 * Walks the parameters (-word or /word after a separator) and calls back
 * with each name and where its argument starts.  Returns the first value
 * the callback returns that is not 0.
 */
static int
each_param(const char *lc, int (*fn)(const char *, size_t, const char *,
    void *), void *ctx)
{
	const char *p, *w;
	int r;

	for (p = lc; *p != '\0'; p++) {
		if ((*p != '-' && *p != '/') || (p > lc && !is_sep(
		    (unsigned char)p[-1])))
			continue;
		w = p + 1;
		while (islower((unsigned char)*w))
			w++;
		if (w == p + 1)
			continue;
		if ((r = fn(p + 1, (size_t)(w - p - 1), w, ctx)) != 0)
			return r;
	}
	return 0;
}

static int
param_encoded(const char *name, size_t len, const char *rest, void *ctx)
{
	char arg[16];

	(void)ctx;
	if (!is_param(name, len, "encodedcommand", 1) &&
	    !(len == 2 && strncmp(name, "ec", 2) == 0))
		return 0;
	return next_arg(rest, arg, sizeof(arg)) > 0;
}

static int
param_policy(const char *name, size_t len, const char *rest, void *ctx)
{
	char arg[32];

	(void)ctx;
	if (!is_param(name, len, "executionpolicy", 2) &&
	    !(len == 2 && strncmp(name, "ep", 2) == 0))
		return 0;
	next_arg(rest, arg, sizeof(arg));
	return strcmp(arg, "bypass") == 0 || strcmp(arg, "unrestricted") == 0;
}

static int
param_hidden(const char *name, size_t len, const char *rest, void *ctx)
{
	char arg[16];

	(void)ctx;
	if (!is_param(name, len, "windowstyle", 1))
		return 0;
	next_arg(rest, arg, sizeof(arg));
	/* "hidden", or a prefix of it, or its number. */
	return strncmp(arg, "hid", 3) == 0 || strcmp(arg, "1") == 0;
}

/* word occurs as a whole word (between separators) in lc. */
static int
has_word(const char *lc, const char *word)
{
	size_t n = strlen(word);
	const char *p = lc;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == lc || is_sep((unsigned char)p[-1]) || p[-1] == '\\' ||
		    p[-1] == '/') && (p[n] == '\0' ||
		    is_sep((unsigned char)p[n]) || p[n] == '.'))
			return 1;
		p += n;
	}
	return 0;
}

static int
has(const char *lc, const char *s)
{
	return strstr(lc, s) != NULL;
}

/* A download cradle proper: PowerShell's and COM's web clients, and the
 * download programs when the line carries a URL. */
static int
is_cradle(const char *lc, int url)
{
	static const char *const always[] = {
		"invoke-webrequest", "invoke-restmethod", "downloadstring",
		"downloadfile", "downloaddata", "net.webclient",
		"start-bitstransfer", "msxml2.xmlhttp",
		"winhttp.winhttprequest",
		"system.net.http.httpclient", NULL
	};
	static const char *const with_url[] = {
		"iwr", "irm", "wget", "curl", NULL
	};
	size_t i;

	for (i = 0; always[i] != NULL; i++)
		if (has(lc, always[i]))
			return 1;
	for (i = 0; url && with_url[i] != NULL; i++)
		if (has_word(lc, with_url[i]))
			return 1;
	return 0;
}

unsigned
incident_cmdline_match(const char *cmdline, const char *image)
{
	char *lc, *li;
	unsigned hits = 0;
	int ps, url;

	if (cmdline == NULL)
		return 0;
	lc = fold(cmdline);
	li = image != NULL ? fold(image) : NULL;
	if (lc == NULL) {
		free(li);
		return 0;
	}
	url = has(lc, "http://") || has(lc, "https://") || has(lc, "ftp://");
	if (is_cradle(lc, url))
		hits |= INCIDENT_CMD_CRADLE;
	if (has_word(lc, "certutil") && (has(lc, "urlcache") ||
	    has(lc, "verifyctl")))
		hits |= INCIDENT_CMD_CERTUTIL_DL;
	if (has_word(lc, "certutil") && (has(lc, "-decode") ||
	    has(lc, "/decode")))
		hits |= INCIDENT_CMD_CERTUTIL_DECODE;
	if (has_word(lc, "bitsadmin") && (has(lc, "transfer") ||
	    has(lc, "/addfile") || has(lc, "/download")))
		hits |= INCIDENT_CMD_BITSADMIN;
	if (has_word(lc, "mshta") && (url || has(lc, "javascript:") ||
	    has(lc, "vbscript:")))
		hits |= INCIDENT_CMD_MSHTA;
	if (has_word(lc, "regsvr32") && (has(lc, "/i:http") ||
	    has(lc, "-i:http") || has(lc, "scrobj")))
		hits |= INCIDENT_CMD_REGSVR32;
	if (has_word(lc, "rundll32") && (has(lc, "javascript:") ||
	    has(lc, "mshtml,runhtmlapplication")))
		hits |= INCIDENT_CMD_RUNDLL32;
	if (url && (has_word(lc, "mshta") || has_word(lc, "regsvr32") ||
	    has_word(lc, "msiexec")))
		hits |= INCIDENT_CMD_REMOTE_PROGRAM;
	ps = has(lc, "powershell") || has(lc, "pwsh") ||
	    (li != NULL && (has(li, "powershell") || has(li, "pwsh")));
	if (ps && each_param(lc, param_encoded, NULL))
		hits |= INCIDENT_CMD_ENCODED;
	if (ps && (each_param(lc, param_policy, NULL) ||
	    (has(lc, "set-executionpolicy") && (has(lc, "bypass") ||
	    has(lc, "unrestricted")))))
		hits |= INCIDENT_CMD_BYPASS;
	if (ps && each_param(lc, param_hidden, NULL))
		hits |= INCIDENT_CMD_HIDDEN;
	if ((hits & (INCIDENT_CMD_CRADLE | INCIDENT_CMD_CERTUTIL_DL |
	    INCIDENT_CMD_BITSADMIN)) && (has(lc, "start-process") ||
	    has(lc, "invoke-item") || has(lc, "& ") || has(lc, "saps ")) &&
	    has(lc, ".exe"))
		hits |= INCIDENT_CMD_RUNS_DOWNLOAD;
	free(li);
	free(lc);
	return hits;
}

void
incident_cmdline_flags(const char *cmdline, const char *image, json_t *flags)
{
	unsigned hits = incident_cmdline_match(cmdline, image);

	if (hits & INCIDENT_CMD_ENCODED)
		json_array_append_new(flags, json_string("encoded_command"));
	if (hits & INCIDENT_CMD_BYPASS)
		json_array_append_new(flags,
		    json_string("execution_policy_bypass"));
	if (hits & INCIDENT_CMD_HIDDEN)
		json_array_append_new(flags, json_string("hidden_window"));
	/* Anything that fetches a file from the network. */
	if (hits & (INCIDENT_CMD_CRADLE | INCIDENT_CMD_CERTUTIL_DL |
	    INCIDENT_CMD_BITSADMIN | INCIDENT_CMD_REMOTE_PROGRAM))
		json_array_append_new(flags, json_string("download_cradle"));
}


/* --- decoding -EncodedCommand ------------------------------------------- */

static int
b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

static void
put_utf8(struct buf *b, uint32_t c)
{
	if (c < 0x80) {
		buf_addc(b, (int)c);
	} else if (c < 0x800) {
		buf_addc(b, (int)(0xc0 | (c >> 6)));
		buf_addc(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (int)(0xe0 | (c >> 12)));
		buf_addc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (int)(0xf0 | (c >> 18)));
		buf_addc(b, (int)(0x80 | ((c >> 12) & 0x3f)));
		buf_addc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_addc(b, (int)(0x80 | (c & 0x3f)));
	}
}

/* base64 text of UTF-16LE to UTF-8; NULL when it is not that. */
static char *
decode_utf16_b64(const char *s, size_t n)
{
	unsigned char *bytes;
	size_t nb = 0, i, zeros = 0;
	uint32_t acc = 0, c, lo;
	int bits = 0, v;
	struct buf b;

	bytes = malloc(n * 3 / 4 + 4);
	if (bytes == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		if ((v = b64((unsigned char)s[i])) < 0) {
			free(bytes);
			return NULL;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes[nb++] = (unsigned char)(acc >> bits);
		}
	}
	buf_init(&b);
	for (i = 0; i + 1 < nb; i += 2) {
		c = (uint32_t)bytes[i] | ((uint32_t)bytes[i + 1] << 8);
		if (bytes[i + 1] == 0)
			zeros++;
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < nb) {
			lo = (uint32_t)bytes[i + 2] |
			    ((uint32_t)bytes[i + 3] << 8);
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			} else
				c = 0xfffd;
		} else if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		else if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' &&
		    c != '\n'))
			c = 0xfffd;
		put_utf8(&b, c);
	}
	free(bytes);
	/* Text that is not mostly ASCII as UTF-16 is not a PowerShell
	 * command, only something that happens to be base64. */
	if (nb < 2 || zeros * 4 < (nb / 2) * 3 || buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Where the argument of -EncodedCommand is: set by param_encoded_at. */
struct encoded {
	const char	*arg;
	size_t		 len;
};

static int
param_encoded_at(const char *name, size_t len, const char *rest, void *ctx)
{
	struct encoded *e = ctx;
	const char *p = rest;

	if (!param_encoded(name, len, rest, NULL))
		return 0;
	while (*p == ' ' || *p == '\t' || *p == ':' || *p == '"' || *p == '\'')
		p++;
	e->arg = p;
	e->len = 0;
	while (p[e->len] != '\0' && b64((unsigned char)p[e->len]) >= 0)
		e->len++;
	while (p[e->len] == '=')
		e->len++;
	return e->len > 0;
}

/* The offset in s of offset off of fold(s): each Unicode dash folded
 * into '-' took three bytes. */
static size_t
unfold_offset(const char *s, size_t off)
{
	size_t i = 0, o = 0;

	while (o < off && s[i] != '\0') {
		if ((unsigned char)s[i] == 0xe2 && s[i + 1] != '\0' &&
		    s[i + 2] != '\0' && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] >= 0x93 &&
		    (unsigned char)s[i + 2] <= 0x95)
			i += 3;
		else
			i++;
		o++;
	}
	return i;
}

char *
incident_decode_command(const char *cmdline)
{
	char *lc = fold(cmdline), *out = NULL;
	struct encoded e = { NULL, 0 };
	size_t off;

	if (lc == NULL)
		return NULL;
	if ((strstr(lc, "powershell") != NULL || strstr(lc, "pwsh") != NULL) &&
	    each_param(lc, param_encoded_at, &e)) {
		/* Base64 is case-sensitive: decode the original bytes. */
		off = unfold_offset(cmdline, (size_t)(e.arg - lc));
		if (off + e.len <= strlen(cmdline))
			out = decode_utf16_b64(cmdline + off, e.len);
	}
	free(lc);
	return out;
}
