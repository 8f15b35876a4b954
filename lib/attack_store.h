/*
 * attack_store: where the ATT&CK index lives on disk, and how a program
 * gets one to read.
 *
 * Two indexes may sit in the cache directory (cache_dir("attack")):
 *
 *   enterprise-attack.idx	written by "triage-mitre update"; when it is
 *				there and sound, it answers every lookup
 *   bundled-STAMP.idx		built from the ATT&CK copy shipped in
 *				data/attack/ on first use; STAMP comes from
 *				the gzip trailer (CRC-32 and length of the
 *				JSON) and the file size, so a new bundled
 *				copy gets a new index and installs sharing
 *				one cache never fight over it
 *
 * Both are written atomically (lib/file), so a reader sees the old index
 * or the new one, never half of one.  When the cache cannot be written,
 * the bundled index is built in memory for this run (slower, still right).
 */
#ifndef TRIAGE_ATTACK_STORE_H
#define TRIAGE_ATTACK_STORE_H

#include <stddef.h>

#include "attack.h"

struct buf;
struct attack_build_opts;

/* The bundled copy, relative to the data root (lib/paths). */
#define ATTACK_BUNDLED_DATA	"data/attack/enterprise-attack-18.1-min.json.gz"
#define ATTACK_INDEX_FILE	"enterprise-attack.idx"
/* Bundles larger than this are refused (the full one is about 51 MB). */
#define ATTACK_MAX_BUNDLE	((size_t)1 << 30)

enum attack_origin {
	ATTACK_FROM_UPDATE,	/* the index "update" wrote */
	ATTACK_FROM_BUNDLED	/* the index of the bundled copy */
};

struct attack_store {
	struct attack_index	 ix;
	void			*data;		/* mapped or allocated */
	size_t			 len;
	int			 mapped;
	enum attack_origin	 origin;
	char			 path[4096];	/* the index file, or "" when
						   built in memory */
};

/*
 * Opens the index that lookups read, as described above.  Problems that
 * leave a way forward (a damaged updated index, a cache that cannot be
 * written) are warned about on stderr.  Returns 0, or -1 with a reason in
 * err (no usable index and no bundled copy).
 */
int	 attack_store_open(struct attack_store *st, char *err, size_t errsz);
void	 attack_store_close(struct attack_store *st);

/* The path of the updated index (creating the cache directory).  0, -1. */
int	 attack_store_index_path(char *out, size_t outsz);

/*
 * Builds an index from the bundle in data (JSON or gzip), recording
 * built_at as now when opts leaves it NULL, and checks the result opens.
 * Appends it to out.  Returns 0, or -1 with a reason in err.
 */
int	 attack_store_build(const void *data, size_t len,
	    const struct attack_build_opts *opts, struct buf *out, char *err,
	    size_t errsz);

/* Writes index bytes atomically to path (mode 0600).  0, or -1 (errno). */
int	 attack_store_install(const char *path, const void *idx, size_t len);

#endif
