/*
 * ioc: what kind of indicator a string is, judged strictly: IP addresses by
 * real parsing, hashes by length and hex digits, domains and URLs by their
 * grammar.  Also whether an address is public: private, loopback,
 * link-local, CGNAT, documentation, multicast and other special ranges (v4
 * and v6) never leave the building.
 */
#ifndef TRIAGE_IOC_H
#define TRIAGE_IOC_H

#include <stddef.h>

enum ioc_kind {
	IOC_NONE = 0,
	IOC_IPV4,
	IOC_IPV6,
	IOC_MD5,
	IOC_SHA1,
	IOC_SHA256,
	IOC_DOMAIN,
	IOC_URL,
	IOC_EMAIL
};

/* Classifies s (already refanged and trimmed). */
enum ioc_kind ioc_classify(const char *s);
/* "ip", "hash", "domain", "url", "email" or NULL for IOC_NONE. */
const char *ioc_kind_family(enum ioc_kind k);
/* "ipv4", "ipv6", "md5", "sha1", "sha256", "domain", "url", "email". */
const char *ioc_kind_name(enum ioc_kind k);

/*
 * 1 when addr is a public (globally routable) IP address, 0 when it is not
 * (and *range names the special range, e.g. "private (RFC 1918)"), -1 when
 * addr is not an IP address at all.  range may be NULL.
 */
int	 ioc_ip_is_public(const char *addr, const char **range);

/* Nonzero for a syntactically valid DNS name with at least two labels. */
int	 ioc_is_domain(const char *s);

/*
 * The host part of an http(s)/ftp URL, copied into out.  0, or -1 when s is
 * not such a URL.
 */
int	 ioc_url_host(const char *s, char *out, size_t outsz);

/*
 * Canonical form for lookups and cache keys: hashes lower-cased, domains
 * lower-cased without a trailing dot, IPv6 compressed.  Writes into out;
 * returns the kind (IOC_NONE when s is not an indicator).
 */
enum ioc_kind ioc_normalise(const char *s, char *out, size_t outsz);

#endif
