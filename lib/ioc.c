/*
 * ioc: indicator classification.  inet_pton does the address parsing, so
 * "1.2.3" or "01.2.3.4" are not taken for addresses.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ioc.h"

struct range4 {
	uint32_t	 net;
	int		 bits;
	const char	*name;
};

/* IANA IPv4 special-purpose registry, the parts that are not global. */
static const struct range4 ranges4[] = {
	{ 0x00000000, 8,  "this network (RFC 791)" },
	{ 0x0a000000, 8,  "private (RFC 1918)" },
	{ 0x64400000, 10, "shared address space, CGNAT (RFC 6598)" },
	{ 0x7f000000, 8,  "loopback" },
	{ 0xa9fe0000, 16, "link-local" },
	{ 0xac100000, 12, "private (RFC 1918)" },
	{ 0xc0000000, 24, "IETF protocol assignments" },
	{ 0xc0000200, 24, "documentation (TEST-NET-1)" },
	{ 0xc0586300, 24, "6to4 relay anycast" },
	{ 0xc0a80000, 16, "private (RFC 1918)" },
	{ 0xc6120000, 15, "benchmarking (RFC 2544)" },
	{ 0xc6336400, 24, "documentation (TEST-NET-2)" },
	{ 0xcb007100, 24, "documentation (TEST-NET-3)" },
	{ 0xe0000000, 4,  "multicast" },
	{ 0xf0000000, 4,  "reserved" },
};

static int
v4_public(uint32_t a, const char **range)
{
	size_t i;
	uint32_t mask;

	if (a == 0xffffffffu) {
		*range = "broadcast";
		return 0;
	}
	for (i = 0; i < sizeof(ranges4) / sizeof(ranges4[0]); i++) {
		mask = 0xffffffffu << (32 - ranges4[i].bits);
		if ((a & mask) == ranges4[i].net) {
			*range = ranges4[i].name;
			return 0;
		}
	}
	return 1;
}

struct range6 {
	uint8_t		 prefix[16];
	int		 bits;
	const char	*name;
};

static const struct range6 ranges6[] = {
	{ { 0 }, 128, "unspecified" },
	{ { [15] = 1 }, 128, "loopback" },
	{ { 0x01, 0x00 }, 64, "discard-only (RFC 6666)" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, "documentation" },
	{ { 0x3f, 0xff }, 20, "documentation" },
	{ { 0x20, 0x01, 0x00, 0x00 }, 32, "Teredo" },
	{ { 0x20, 0x01, 0x00, 0x10 }, 28, "ORCHID" },
	{ { 0x20, 0x01, 0x00, 0x20 }, 28, "ORCHIDv2" },
	{ { 0x20, 0x01, 0x00, 0x02 }, 48, "benchmarking" },
	{ { 0xfc }, 7, "unique local" },
	{ { 0xfe, 0x80 }, 10, "link-local" },
	{ { 0xfe, 0xc0 }, 10, "site-local (deprecated)" },
	{ { 0xff }, 8, "multicast" },
};

static int
prefix_match(const uint8_t *a, const uint8_t *p, int bits)
{
	int i, full = bits / 8, rest = bits % 8;
	uint8_t mask;

	for (i = 0; i < full; i++)
		if (a[i] != p[i])
			return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (p[full] & mask);
}

static int
v6_public(const uint8_t *a, const char **range)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	uint32_t v4;
	size_t i;

	/* Addresses that embed an IPv4 address are judged by it. */
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0) {
		v4 = (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 |
		    (uint32_t)a[14] << 8 | a[15];
		return v4_public(v4, range);
	}
	if (a[0] == 0x20 && a[1] == 0x02) {
		v4 = (uint32_t)a[2] << 24 | (uint32_t)a[3] << 16 |
		    (uint32_t)a[4] << 8 | a[5];
		return v4_public(v4, range);
	}
	for (i = 0; i < sizeof(ranges6) / sizeof(ranges6[0]); i++)
		if (prefix_match(a, ranges6[i].prefix, ranges6[i].bits)) {
			*range = ranges6[i].name;
			return 0;
		}
	/* Only 2000::/3 is global unicast today. */
	if ((a[0] & 0xe0) != 0x20) {
		*range = "reserved (outside 2000::/3)";
		return 0;
	}
	return 1;
}

int
ioc_ip_is_public(const char *addr, const char **range)
{
	struct in_addr in4;
	struct in6_addr in6;
	const char *dummy;
	uint32_t a;

	if (range == NULL)
		range = &dummy;
	*range = NULL;
	if (inet_pton(AF_INET, addr, &in4) == 1) {
		a = ntohl(in4.s_addr);
		return v4_public(a, range);
	}
	if (inet_pton(AF_INET6, addr, &in6) == 1)
		return v6_public(in6.s6_addr, range);
	return -1;
}

static int
all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
ioc_is_domain(const char *s)
{
	size_t n, label = 0, labels = 0, i;
	const char *tld;

	n = strlen(s);
	if (n > 0 && s[n - 1] == '.')
		n--;			/* a fully qualified name */
	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			labels++;
			label = 0;
			continue;
		}
		if (!(isalnum(c) || c == '-' || c == '_'))
			return 0;
		if (label == 0 && c == '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	if (label == 0 || s[n - 1] == '-')
		return 0;
	labels++;
	if (labels < 2)
		return 0;
	/* The top-level label is letters, or an IDN "xn--" label. */
	tld = s + n - label;
	if (strncasecmp(tld, "xn--", 4) == 0)
		return label > 4;
	for (i = 0; i < label; i++)
		if (!isalpha((unsigned char)tld[i]))
			return 0;
	return label >= 2;
}

int
ioc_url_host(const char *s, char *out, size_t outsz)
{
	const char *p, *host, *end, *port = NULL;
	size_t n;
	long pn;

	if (strncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else if (strncasecmp(s, "ftp://", 6) == 0)
		p = s + 6;
	else
		return -1;
	for (end = p; *end != '\0' && *end != '/' && *end != '?' &&
	    *end != '#'; end++)
		if (isspace((unsigned char)*end) || iscntrl((unsigned char)*end))
			return -1;
	/* Drop user info. */
	for (host = end; host > p && host[-1] != '@'; host--)
		;
	if (*host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));

		if (close == NULL)
			return -1;
		host++;
		n = (size_t)(close - host);
		port = close + 1;
		if (port < end && *port != ':')
			return -1;
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));

		n = (size_t)((colon != NULL ? colon : end) - host);
		port = colon;
	}
	if (n == 0 || n >= outsz)
		return -1;
	/* A port is digits up to 65535 (or empty, as RFC 3986 allows). */
	if (port != NULL && port < end) {
		for (port++; port < end && *port == '0'; port++)
			;
		for (pn = 0; port < end; port++) {
			if (!isdigit((unsigned char)*port))
				return -1;
			pn = pn * 10 + (*port - '0');
			if (pn > 65535)
				return -1;
		}
	}
	memcpy(out, host, n);
	out[n] = '\0';
	return 0;
}

/*
 * A host name inside a URL may be one label ("http://intranet/",
 * "http://localhost:8080/"): such URLs are real indicators, if internal
 * ones.  A label of digits (or 0x and hex digits) is refused: resolvers
 * read "http://2130706433/" as an IPv4 address.
 */
static int
is_single_label(const char *s)
{
	size_t i, n = strlen(s);
	int digits = 1;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
		if (!isdigit((unsigned char)s[i]))
			digits = 0;
	}
	if (digits)
		return 0;
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) &&
	    all_hex(s + 2, n - 2))
		return 0;
	return 1;
}

/*
 * "powershell.exe" and "invoice.pdf" are files, not domains: names whose
 * last label is a common file extension that is no top-level domain.
 * (zip, mov, py, sh, app and com are real top-level domains and stay.)
 */
static int
is_file_name(const char *s)
{
	static const char *const exts[] = {
		"exe", "dll", "sys", "bat", "cmd", "vbs", "vbe", "js", "jse",
		"wsf", "wsh", "hta", "lnk", "scr", "cpl", "msi", "msp", "ocx",
		"pdf", "doc", "docx", "docm", "dotm", "xls", "xlsx", "xlsm",
		"xlsb", "ppt", "pptx", "pptm", "rtf", "txt", "log", "tmp",
		"dat", "iso", "img", "vhd", "vhdx", "jar", "csv", "json",
		"xml", "htm", "html", "php", "asp", "aspx", "jsp", "png",
		"jpg", "jpeg", "gif", "bmp", "svg", "wav", "avi", "rar", "gz",
		"tgz", "tar", "dmp", "evtx", "etl", "reg", "inf", "ini", "cfg",
		"yaml", "yml", "eml", "msg", "pst", "ost", "chm", "dmg", "deb",
		"rpm", "apk", "elf", "psm", "psd", NULL
	};
	const char *dot = strrchr(s, '.');
	size_t i;

	if (dot == NULL)
		return 0;
	for (i = 0; exts[i] != NULL; i++)
		if (strcasecmp(dot + 1, exts[i]) == 0)
			return 1;
	return 0;
}

enum ioc_kind
ioc_classify(const char *s)
{
	struct in_addr in4;
	struct in6_addr in6;
	char host[256];
	const char *at;
	size_t n;

	n = strlen(s);
	if (n == 0 || n > 8192)
		return IOC_NONE;
	if (inet_pton(AF_INET, s, &in4) == 1)
		return IOC_IPV4;
	if (inet_pton(AF_INET6, s, &in6) == 1)
		return IOC_IPV6;
	if (all_hex(s, n)) {
		if (n == 32)
			return IOC_MD5;
		if (n == 40)
			return IOC_SHA1;
		if (n == 64)
			return IOC_SHA256;
		return IOC_NONE;
	}
	if (ioc_url_host(s, host, sizeof(host)) == 0) {
		if (ioc_is_domain(host) || is_single_label(host) ||
		    inet_pton(AF_INET, host, &in4) == 1 ||
		    inet_pton(AF_INET6, host, &in6) == 1)
			return IOC_URL;
		return IOC_NONE;
	}
	at = strchr(s, '@');
	if (at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    ioc_is_domain(at + 1) && strcspn(s, " \t<>\"") == n)
		return IOC_EMAIL;
	if (ioc_is_domain(s) && !is_file_name(s))
		return IOC_DOMAIN;
	return IOC_NONE;
}

const char *
ioc_kind_family(enum ioc_kind k)
{
	switch (k) {
	case IOC_IPV4:
	case IOC_IPV6:
		return "ip";
	case IOC_MD5:
	case IOC_SHA1:
	case IOC_SHA256:
		return "hash";
	case IOC_DOMAIN:
		return "domain";
	case IOC_URL:
		return "url";
	case IOC_EMAIL:
		return "email";
	default:
		return NULL;
	}
}

const char *
ioc_kind_name(enum ioc_kind k)
{
	static const char *names[] = {
		NULL, "ipv4", "ipv6", "md5", "sha1", "sha256", "domain",
		"url", "email"
	};

	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : NULL;
}

enum ioc_kind
ioc_normalise(const char *s, char *out, size_t outsz)
{
	struct in6_addr in6;
	enum ioc_kind k;
	size_t n, i, h, end;

	k = ioc_classify(s);
	if (k == IOC_NONE || outsz == 0)
		return IOC_NONE;
	n = strlen(s);
	if (n >= outsz)
		return IOC_NONE;
	switch (k) {
	case IOC_IPV6:
		if (inet_pton(AF_INET6, s, &in6) != 1 ||
		    inet_ntop(AF_INET6, &in6, out, (socklen_t)outsz) == NULL)
			return IOC_NONE;
		return k;
	case IOC_MD5:
	case IOC_SHA1:
	case IOC_SHA256:
	case IOC_DOMAIN:
	case IOC_EMAIL:
		for (i = 0; i < n; i++)
			out[i] = (char)tolower((unsigned char)s[i]);
		if (k == IOC_DOMAIN && n > 1 && out[n - 1] == '.')
			n--;
		out[n] = '\0';
		return k;
	case IOC_URL:
		/* Scheme and host are case-blind: one form for the cache. */
		memcpy(out, s, n + 1);
		for (i = 0; out[i] != ':'; i++)
			out[i] = (char)tolower((unsigned char)out[i]);
		i += 3;				/* "://" */
		end = i + strcspn(out + i, "/?#");
		for (h = i; i < end; i++)
			if (out[i] == '@')
				h = i + 1;	/* after the user info */
		for (; h < end; h++)
			out[h] = (char)tolower((unsigned char)out[h]);
		return k;
	default:
		memcpy(out, s, n + 1);
		return k;
	}
}
