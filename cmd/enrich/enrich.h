/*
 * enrich: what the parts of triage-enrich share.  The providers' answer
 * parsers (abuseipdb.c, virustotal.c, internetdb.c, workspace_ti.c) are
 * pure functions from a status and a body to an answer, with no I/O, so
 * the fuzzers can link them alone; answer.c holds their common helpers
 * and builds the enrichment record.  The I/O lives in lookup.c (HTTP,
 * rate limits, the workspace query), store.c (the cache) and main.c.
 */
#ifndef TRIAGE_ENRICH_H
#define TRIAGE_ENRICH_H

#include <stddef.h>

#include <jansson.h>

#include "ioc.h"

struct buf;

enum verdict {
	V_MALICIOUS,
	V_SUSPICIOUS,
	V_CLEAN,
	V_UNKNOWN,
	V_NOT_FOUND,
	V_SKIPPED,
	V_NOT_CONFIGURED,
	V_ERROR
};

/* Reasons, as the record spells them. */
#define R_NON_PUBLIC	 "non_public"
#define R_NOT_APPLICABLE "not_applicable"
#define R_QUOTA		 "quota"
#define R_RATE_LIMITED	 "rate_limited"
#define R_AUTH		 "auth"
#define R_TIMEOUT	 "timeout"
#define R_UPSTREAM	 "upstream"

/* One indicator, classified and in canonical form. */
struct indicator {
	enum ioc_kind	 kind;
	char		*value;
	const char	*range;		/* why not public, or NULL */
};

/* A provider's answer about one indicator. */
struct answer {
	enum verdict	 verdict;
	const char	*reason;	/* static: R_*, or NULL */
	json_t		*score;		/* a number, or NULL */
	json_t		*facts;		/* an object, or NULL */
	char		 message[256];	/* for people: why */
};

/* answer.c */
const char *verdict_name(enum verdict v);
/* The verdict a record names, or -1. */
int	 verdict_parse(const char *s);
/* Nonzero when an answer may be kept in the cache. */
int	 verdict_is_cacheable(enum verdict v);
void	 answer_init(struct answer *a);
void	 answer_release(struct answer *a);
/* Sets verdict, reason and a message (printf-style, cut to fit). */
void	 answer_set(struct answer *a, enum verdict v, const char *reason,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The facts object, made on first use. */
json_t	*answer_facts(struct answer *a);

/* Copies at most n bytes of s into out (outsz > n), cut on a UTF-8
 * character boundary. */
void	 utf8_cut(const char *s, size_t n, char *out, size_t outsz);
/* Sets facts[key] to s cut to a sensible length; skips NULL and "". */
void	 fact_str(json_t *facts, const char *key, const char *s);
/* Sets facts[key] to the integer at src[from] when there is one. */
void	 fact_int(json_t *facts, const char *key, const json_t *src,
	    const char *from);
/* Sets facts[key] to the boolean at src[from] when there is one. */
void	 fact_bool(json_t *facts, const char *key, const json_t *src,
	    const char *from);
/* Sets facts[key] to the strings of array arr (at most max of them). */
void	 fact_strings(json_t *facts, const char *key, const json_t *arr,
	    size_t max);
/* Sets facts[key] to an ISO-8601 time from Unix seconds at src[from]. */
void	 fact_unix_time(json_t *facts, const char *key, const json_t *src,
	    const char *from);
/* Sets facts[key] to an ISO-8601 time from a time string. */
void	 fact_time_str(json_t *facts, const char *key, const char *s);
/* The error message of a service's body (first string found at one of
 * the paths), cut for a record; "" when none. */
void	 body_detail(const json_t *root, const char *const *paths,
	    char *out,
	    size_t outsz);

/*
 * The enrichment record (docs/records.md).  fetched_at may be NULL (not
 * looked up now), link may be NULL.  A new reference.
 */
json_t	*enrichment_record(const struct indicator *ind,
	    const char *provider,
	    const struct answer *a, int cached, const char *fetched_at,
	    const char *link);

/* abuseipdb.c: the /api/v2/check answer; thresholds in the man page. */
void	 abuseipdb_answer(long status, const char *body, size_t len,
	    struct answer *a);

/* virustotal.c */
/* The URL identifier VirusTotal takes: unpadded base64url.  New string. */
char	*vt_url_id(const char *url);
/* The /files, /ip_addresses, /domains or /urls answer. */
void	 virustotal_answer(enum ioc_kind kind, long status,
	    const char *body,
	    size_t len, struct answer *a);

/* internetdb.c: the Shodan InternetDB answer. */
void	 internetdb_answer(long status, const char *body, size_t len,
	    struct answer *a);

/* workspace_ti.c: the workspace's own threat intelligence. */
enum ti_table {
	TI_INDICATORS,		/* ThreatIntelIndicators (STIX) */
	TI_LEGACY		/* ThreatIntelligenceIndicator */
};
#define TI_NTABLES	2
const char *ti_table_name(enum ti_table t);
/* Appends s as a KQL string literal.  0, or -1 when s holds a byte that
 * has no place in an indicator (control characters). */
int	 ti_kql_quote(struct buf *b, const char *s);
/*
 * The query that finds any of inds[0..n) in table t, or NULL when s
 * cannot be quoted.  A new string.
 */
char	*ti_query(enum ti_table t, const struct indicator *const *inds,
	    size_t n);
/*
 * The rows of a "triage-kql --format json" result as an array of objects
 * (column name to value).  A new reference, or NULL with err set.
 */
json_t	*ti_rows(const char *out, size_t len, char *err, size_t errsz);
/*
 * The answer for ind from the rows each table gave (rows[t] NULL: that
 * table failed, and failed[t] is the error answer saying why).  Expiry is
 * the TriageExpired column the query computes with the workspace's clock.
 */
void	 ti_answer(const struct indicator *ind,
	    json_t *const rows[TI_NTABLES],
	    const struct answer *const failed[TI_NTABLES], struct answer *a);

#endif
