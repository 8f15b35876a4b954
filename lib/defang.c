/*
 * defang: indicator defanging and refanging.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "defang.h"
#include "ioc.h"

/* Appends host with its last dot as "[.]". */
static void
add_host(struct buf *b, const char *host, size_t n)
{
	const char *dot = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (host[i] == '.')
			dot = host + i;
	if (dot == NULL) {
		buf_add(b, host, n);
		return;
	}
	buf_add(b, host, (size_t)(dot - host));
	buf_adds(b, "[.]");
	buf_add(b, dot + 1, n - (size_t)(dot - host) - 1);
}

static void
defang_into(struct buf *b, const char *s, size_t n)
{
	char tmp[8192];
	const char *p, *host, *end;
	enum ioc_kind k;
	size_t skip;

	if (n >= sizeof(tmp)) {
		buf_add(b, s, n);
		return;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	k = ioc_classify(tmp);
	switch (k) {
	case IOC_IPV4:
	case IOC_DOMAIN:
		add_host(b, s, n);
		return;
	case IOC_EMAIL:
		p = memchr(s, '@', n);
		buf_add(b, s, (size_t)(p - s));
		buf_adds(b, "[@]");
		add_host(b, p + 1, n - (size_t)(p - s) - 1);
		return;
	case IOC_URL:
		if (strncasecmp(s, "https://", 8) == 0) {
			buf_adds(b, "hxxps://");
			skip = 8;
		} else if (strncasecmp(s, "http://", 7) == 0) {
			buf_adds(b, "hxxp://");
			skip = 7;
		} else {
			buf_adds(b, "fxp://");
			skip = 6;
		}
		p = s + skip;
		for (end = p; end < s + n && *end != '/' && *end != '?' &&
		    *end != '#'; end++)
			;
		for (host = end; host > p && host[-1] != '@'; host--)
			;
		buf_add(b, p, (size_t)(host - p));
		if (*host == '[')		/* IPv6 literal: leave it */
			buf_add(b, host, (size_t)(end - host));
		else {
			const char *colon = memchr(host, ':',
			    (size_t)(end - host));
			const char *hend = colon != NULL ? colon : end;

			add_host(b, host, (size_t)(hend - host));
			buf_add(b, hend, (size_t)(end - hend));
		}
		buf_add(b, end, n - (size_t)(end - s));
		return;
	default:
		buf_add(b, s, n);
	}
}

char *
defang(const char *s)
{
	struct buf b;

	buf_init(&b);
	defang_into(&b, s, strlen(s));
	return buf_steal(&b);
}

struct form {
	const char	*from;
	const char	*to;
};

static const struct form forms[] = {
	{ "hxxps://", "https://" }, { "hxxp://", "http://" },
	{ "hXXps://", "https://" }, { "hXXp://", "http://" },
	{ "fxp://", "ftp://" }, { "[://]", "://" }, { "[:]", ":" },
	{ "[.]", "." }, { "(.)", "." }, { "{.}", "." }, { "[dot]", "." },
	{ "(dot)", "." }, { "[@]", "@" }, { "[at]", "@" },
};

static char *
refang_once(const char *s)
{
	struct buf b;
	size_t i, n;

	buf_init(&b);
	while (*s != '\0') {
		for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
			n = strlen(forms[i].from);
			if (strncasecmp(s, forms[i].from, n) == 0)
				break;
		}
		if (i < sizeof(forms) / sizeof(forms[0])) {
			buf_adds(&b, forms[i].to);
			s += strlen(forms[i].from);
		} else
			buf_addc(&b, *s++);
	}
	return buf_steal(&b);
}

char *
refang(const char *s)
{
	char *out, *again;
	int pass, stable;

	/* Forms nest ("hxxp[:]//" is "hxxp://" after one pass): again
	 * until nothing changes; each pass only shortens, and three are as
	 * deep as people nest. */
	out = refang_once(s);
	for (pass = 1, stable = 0; out != NULL && !stable && pass < 3;
	    pass++) {
		again = refang_once(out);
		stable = again != NULL && strcmp(again, out) == 0;
		free(out);
		out = again;
	}
	return out;
}

/* Characters that may belong to an indicator token in free text. */
static int
token_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' ||
	    c == '/' || c == '@' || c == '%' || c == '?' || c == '=' ||
	    c == '&' || c == '#' || c == '+' || c == '~' || c == '[' ||
	    c == ']' || c >= 0x80;
}

/*
 * In prose, "powershell.exe" is a file, not a domain.  What a name's last
 * label says: FILE_ONLY for common file extensions that are no top-level
 * domain, FILE_OR_TLD for those that are both (.zip, .sh, .py, .so, .cab,
 * .mov), NOT_FILE otherwise.
 */
enum { NOT_FILE, FILE_ONLY, FILE_OR_TLD };

static int
file_extension(const char *s, size_t n)
{
	static const char *exts[] = {
		"exe", "dll", "sys", "ps1", "psm1", "bat", "cmd", "vbs",
		"js", "hta", "msi", "lnk", "scr", "txt", "log", "ini", "cfg",
		"xml", "json", "csv", "doc", "docx", "docm", "xls", "xlsx",
		"xlsm", "ppt", "pptx", "pdf", "rtf", "iso", "img", "vhd",
		"dat", "tmp", "bin", "db", "jar", "rar", "7z", "gz", "tar",
		"evtx", "etl", NULL
	};
	static const char *tlds[] = {
		"py", "sh", "so", "zip", "cab", "mov", NULL
	};
	const char *dot = NULL;
	size_t i, elen;

	for (i = 0; i < n; i++)
		if (s[i] == '.')
			dot = s + i;
	if (dot == NULL)
		return NOT_FILE;
	elen = n - (size_t)(dot - s) - 1;
	for (i = 0; exts[i] != NULL; i++)
		if (strlen(exts[i]) == elen &&
		    strncasecmp(dot + 1, exts[i], elen) == 0)
			return FILE_ONLY;
	for (i = 0; tlds[i] != NULL; i++)
		if (strlen(tlds[i]) == elen &&
		    strncasecmp(dot + 1, tlds[i], elen) == 0)
			return FILE_OR_TLD;
	return NOT_FILE;
}

/*
 * The length of a trailing ":port" (one to five digits) in s, or 0.  Out of
 * range or not, the name before it is what matters.
 */
static size_t
port_suffix(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && n - i < 6 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == 0 || i == n || n - i > 5 || s[i - 1] != ':')
		return 0;
	return n - i + 1;
}

static enum ioc_kind
classify_n(const char *s, size_t n)
{
	char tmp[8192];

	if (n >= sizeof(tmp))
		return IOC_NONE;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return ioc_classify(tmp);
}

/*
 * A token of free text: URLs and mail addresses as defang() does them;
 * otherwise host[:port][/path] with a domain or IPv4 host gets its host
 * defanged and the rest kept.  A name ending in a file extension is taken
 * for a file, unless the extension is also a top-level domain and something
 * else says host: three or more labels, a port, or a path.
 */
static void
defang_token(struct buf *b, const char *s, size_t n)
{
	size_t hlen, plen, dots = 0, i;
	enum ioc_kind k;
	int ext;

	k = classify_n(s, n);
	if (k == IOC_URL || k == IOC_EMAIL) {
		defang_into(b, s, n);
		return;
	}
	for (hlen = 0; hlen < n && s[hlen] != '/' && s[hlen] != '?' &&
	    s[hlen] != '#'; hlen++)
		;
	plen = port_suffix(s, hlen);
	k = classify_n(s, hlen - plen);
	if (k != IOC_IPV4 && k != IOC_DOMAIN) {
		buf_add(b, s, n);
		return;
	}
	for (i = 0; i < hlen - plen; i++)
		dots += s[i] == '.';
	ext = k == IOC_DOMAIN ? file_extension(s, hlen - plen) : NOT_FILE;
	if (ext == FILE_ONLY || (ext == FILE_OR_TLD && dots < 2 &&
	    plen == 0 && hlen == n)) {
		buf_add(b, s, n);
		return;
	}
	add_host(b, s, hlen - plen);
	buf_add(b, s + hlen - plen, n - (hlen - plen));
}

char *
defang_text(const char *s)
{
	const char *start;
	struct buf b;
	size_t n;

	buf_init(&b);
	while (*s != '\0') {
		if (!token_char((unsigned char)*s)) {
			buf_addc(&b, *s++);
			continue;
		}
		start = s;
		while (*s != '\0' && token_char((unsigned char)*s))
			s++;
		n = (size_t)(s - start);
		/* Sentence punctuation is not part of the indicator. */
		while (n > 0 && (start[n - 1] == '.' || start[n - 1] == ':' ||
		    start[n - 1] == '?' || start[n - 1] == ']'))
			n--;
		defang_token(&b, start, n);
		buf_add(&b, start + n, (size_t)(s - start) - n);
	}
	return buf_steal(&b);
}
