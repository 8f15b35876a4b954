/*
 * attack_build: turns an ATT&CK STIX bundle into the compact index that
 * attack.h reads.
 *
 * The input is the bundle's bytes, JSON or gzip-compressed JSON, STIX 2.0
 * (mitre/cti) or 2.1 (attack-stix-data); objects may come in any order and
 * the x-mitre-collection object may be missing.  What is kept: every
 * attack-pattern with an ATT&CK ID (revoked and deprecated ones too, so an
 * old ID can say what replaced it), the current tactics in the matrix's
 * column order, the current mitigations, and the subtechnique-of,
 * mitigates and revoked-by relationships between them.  Descriptions are
 * stored with their "(Citation: ...)" markers removed and <code> tags
 * turned into Markdown backticks.
 *
 * Library code: no I/O, no exits; everything comes in as arguments, so a
 * fuzzer can drive it directly.
 */
#ifndef TRIAGE_ATTACK_BUILD_H
#define TRIAGE_ATTACK_BUILD_H

#include <stddef.h>

struct buf;

struct attack_build_opts {
	const char	*source;	/* recorded: the URL or file name; a
					   name such as "enterprise-attack-
					   18.1.json" also gives the version */
	const char	*version;	/* the release, when the caller knows
					   it better than the bundle; NULL */
	const char	*built_at;	/* recorded; NULL for "" */
	const char	*stamp;		/* recorded; NULL for "" */
	size_t		 max_json;	/* cap on the (inflated) JSON; 0 for
					   1 GiB */
};

/*
 * Builds the index for the bundle in data[0..len) and appends it to out.
 * Returns 0, or -1 with a one-line reason in err ("not JSON: ...", "not an
 * ATT&CK bundle: no tactics", ...); out is then left as it was.
 */
int	 attack_build(const void *data, size_t len,
	    const struct attack_build_opts *opts, struct buf *out, char *err,
	    size_t errsz);

/*
 * Appends a description fit to show: "(Citation: ...)" markers removed with
 * the space before them, "<code>" and "</code>" made backticks.
 * Returns 0 or -1 (out of memory).
 */
int	 attack_clean_description(const char *s, struct buf *out);

/*
 * The ATT&CK release named in a file name or URL ("enterprise-attack-18.1
 * .json", "...-18.1-min.json.gz"): writes "18.1" into out and returns 0,
 * or returns -1 when the name gives none.
 */
int	 attack_version_from_name(const char *name, char *out, size_t outsz);

/*
 * Inflates gzip data into out, refusing more than max bytes.  Returns 0,
 * or -1 with a reason in err.
 */
int	 attack_gunzip(const void *data, size_t len, size_t max,
	    struct buf *out, char *err, size_t errsz);

#endif
