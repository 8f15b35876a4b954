/*
 * attack: the compact ATT&CK index and its reader.
 *
 * A lookup must cost a few milliseconds for the whole process, so the STIX
 * bundle (5 to 50 MB of JSON) is read once, by attack_build, into an index
 * that a program maps and reads in place: a header, three fixed-size tables
 * (techniques sorted by ID, tactics in the matrix's column order,
 * mitigations sorted by ID), a pool of 32-bit list items and a pool of
 * NUL-terminated strings.  All numbers are little-endian 32-bit words, so
 * the file means the same everywhere.
 *
 * The reader trusts nothing in the file: attack_index_open checks the
 * header, that every table lies inside the file and that the string pool
 * ends with a NUL; every accessor then checks the one offset or index it
 * follows, so a damaged or hostile index gives empty strings and short
 * lists, never a read out of bounds.  Nothing here does I/O.
 */
#ifndef TRIAGE_ATTACK_H
#define TRIAGE_ATTACK_H

#include <stddef.h>
#include <stdint.h>

#define ATTACK_INDEX_MAGIC	"TRATTIDX"	/* 8 bytes, no NUL */
#define ATTACK_INDEX_FORMAT	1		/* bump on any layout change */
#define ATTACK_NONE		UINT32_MAX	/* "no such entry" */
#define ATTACK_MAX_PLATFORMS	64		/* more are not kept */

/*
 * The layout, in 32-bit words.  The header is the magic followed by
 * ATTACK_HDR_WORDS words; the builder and the reader share these names.
 */
enum attack_hdr {
	AH_FORMAT, AH_LENGTH,
	AH_NTECH, AH_TECH, AH_NTACTIC, AH_TACTIC, AH_NMITIG, AH_MITIG,
	AH_NWORDS, AH_WORDS, AH_STRLEN, AH_STR,
	AH_DOMAIN, AH_VERSION, AH_MODIFIED, AH_SPEC, AH_SOURCE, AH_BUILT,
	AH_STAMP,
	AH_CTECH, AH_CSUB, AH_CREVOKED, AH_CDEPRECATED,
	ATTACK_HDR_WORDS = 32
};
#define ATTACK_HDR_SIZE	(8 + 4 * ATTACK_HDR_WORDS)

/* A technique row: strings are pool offsets, lists are (offset, count). */
enum attack_tech_word {
	AT_KEY, AT_ID, AT_NAME, AT_DESC, AT_URL, AT_FLAGS, AT_PARENT,
	AT_REPLACED, AT_SUBS, AT_NSUBS, AT_TACTICS, AT_NTACTICS,
	AT_PLATFORMS, AT_NPLATFORMS, AT_MITIGS, AT_NMITIGS,
	ATTACK_TECH_WORDS
};
enum attack_tactic_word {
	AC_ID, AC_SHORT, AC_NAME, AC_DESC, AC_URL, AC_TECHS, AC_NTECHS,
	ATTACK_TACTIC_WORDS
};
enum attack_mitig_word {
	AM_ID, AM_NAME, AM_URL, AM_DESC,
	ATTACK_MITIG_WORDS
};

enum attack_tech_flags {
	ATF_SUB		= 1 << 0,
	ATF_REVOKED	= 1 << 1,
	ATF_DEPRECATED	= 1 << 2
};

struct attack_index {
	const unsigned char	*base;
	size_t			 len;
	uint32_t		 n_tech, n_tactic, n_mitig, n_words, str_len;
	const unsigned char	*tech, *tactic, *mitig, *words;
	const char		*str;
};

/* A list inside the index; read its items with attack_list_at. */
struct attack_list {
	uint32_t	 off;
	uint32_t	 count;
};

struct attack_technique {
	uint32_t		 key;		/* see attack_parse_id */
	const char		*id;		/* "T1059.001" */
	const char		*name;
	const char		*description;	/* citations removed */
	const char		*url;
	int			 is_subtechnique;
	int			 revoked;
	int			 deprecated;
	uint32_t		 parent;	/* row, or ATTACK_NONE */
	uint32_t		 replaced_by;	/* row, or ATTACK_NONE */
	struct attack_list	 subtechniques;	/* technique rows, by ID */
	struct attack_list	 tactics;	/* tactic rows, matrix order */
	struct attack_list	 platforms;	/* string offsets */
	struct attack_list	 mitigations;	/* mitigation rows, by ID */
};

struct attack_tactic {
	const char		*id;		/* "TA0002" */
	const char		*short_name;	/* "execution" */
	const char		*name;		/* "Execution" */
	const char		*description;
	const char		*url;
	struct attack_list	 techniques;	/* current rows, by ID */
};

struct attack_mitigation {
	const char	*id;			/* "M1038" */
	const char	*name;
	const char	*url;
	const char	*description;
};

/* What the index was built from, and its counts (current objects only). */
struct attack_dataset {
	const char	*domain;	/* "enterprise-attack" */
	const char	*version;	/* "18.1", or "" when unknown */
	const char	*modified;	/* the newest object's "modified" */
	const char	*spec_version;	/* "2.0" or "2.1" */
	const char	*source;	/* the URL or file it was built from */
	const char	*built_at;	/* ISO-8601 UTC */
	const char	*stamp;		/* opaque; identifies the source file */
	uint32_t	 techniques;
	uint32_t	 subtechniques;
	uint32_t	 tactics;
	uint32_t	 mitigations;
	uint32_t	 revoked;
	uint32_t	 deprecated;
};

/*
 * Checks the index in data (len bytes, which must stay valid and unchanged
 * while ix is used) and fills ix.  Returns 0, or -1 with a reason in err.
 */
int	 attack_index_open(struct attack_index *ix, const void *data,
	    size_t len, char *err, size_t errsz);

void	 attack_index_dataset(const struct attack_index *ix,
	    struct attack_dataset *ds);

/* Row i of a table.  0, or -1 when i is out of range. */
int	 attack_technique_at(const struct attack_index *ix, uint32_t i,
	    struct attack_technique *t);
int	 attack_tactic_at(const struct attack_index *ix, uint32_t i,
	    struct attack_tactic *t);
int	 attack_mitigation_at(const struct attack_index *ix, uint32_t i,
	    struct attack_mitigation *m);

/* Item i of a list, or ATTACK_NONE when out of range. */
uint32_t attack_list_at(const struct attack_index *ix,
	    const struct attack_list *l, uint32_t i);
/* A string in the pool; "" for an offset outside it.  Borrowed. */
const char *attack_str(const struct attack_index *ix, uint32_t off);

/*
 * Parses a technique ID, "T1059" or "T1059.001" (a lower-case t too), of
 * exactly len bytes, into a key that sorts as the IDs do: number * 1024,
 * plus sub-technique + 1.  Returns 0, or -1 when it is not an ID.
 */
int	 attack_parse_id(const char *s, size_t len, uint32_t *key);
/* Writes the ID for a key ("T1059.001"); out holds at least 10 bytes. */
void	 attack_format_id(uint32_t key, char *out, size_t outsz);

/*
 * Finds the next technique ID in free text between p and end, standing as
 * a word of its own ("T1059", "t1059.001"; not "AT1059" nor "T10590").
 * Returns where it starts and sets *len and *key, or NULL when there is
 * none.
 */
const char *attack_find_id(const char *p, const char *end, size_t *len,
	    uint32_t *key);

/* The technique row with this key, or ATTACK_NONE (binary search). */
uint32_t attack_lookup(const struct attack_index *ix, uint32_t key);

/*
 * The tactic row named by an ID ("TA0002"), a short name ("execution",
 * "command-and-control") or a display name ("Command and Control"), any
 * case, spaces or underscores for hyphens; or ATTACK_NONE.
 */
uint32_t attack_find_tactic(const struct attack_index *ix, const char *name);

struct attack_hit {
	uint32_t	 row;
	int		 score;
};

/*
 * Ranks current techniques against a free-text query: every word must
 * occur in the name, the parent's name or the description; names weigh
 * far more than descriptions, and an exact name or ID wins outright.
 * Writes the best max hits, best first (ties by ID), and returns how many.
 */
size_t	 attack_search(const struct attack_index *ix, const char *query,
	    struct attack_hit *hits, size_t max);

#endif
