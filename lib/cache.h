/*
 * cache: where triage keeps what it may throw away: tokens, enrichment
 * answers, the ATT&CK index.  $XDG_CACHE_HOME/triage, or ~/.cache/triage,
 * created 0700 because tokens live there.  Without HOME it is
 * /tmp/triage-cache-UID; a directory there (or anywhere) that is a symlink
 * or another user's is refused, not used.
 */
#ifndef TRIAGE_CACHE_H
#define TRIAGE_CACHE_H

#include <stddef.h>

/*
 * Writes the cache directory path for sub (NULL or "" for the top) into
 * out, creating it.  Returns 0, or -1 (errno) when it cannot be made or is
 * not safely ours (EPERM: a symlink, not a directory, or another user's;
 * warned about once).
 */
int	 cache_dir(const char *sub, char *out, size_t outsz);

/*
 * A file name safe for any key: the key's characters that are not
 * [A-Za-z0-9._-] are hex-escaped, and long keys are cut and suffixed with a
 * hash, so distinct keys give distinct names.
 */
void	 cache_key_name(const char *key, char *out, size_t outsz);

/*
 * Takes the lock for one cache key: an empty file SUB/NAME.lock in the
 * cache directory.  Processes that would fill the same entry take turns:
 * the first looks it up and fills it while holding the lock, the next,
 * once it has the lock, finds the answer in the cache.  With wait 0 it
 * does not wait (-1, errno EWOULDBLOCK, when another holds the lock).
 * Returns the descriptor for cache_unlock_key, or -1 (errno).  The lock
 * files stay: removing one another process is waiting on would let two
 * in at once.
 */
int	 cache_lock_key(const char *sub, const char *key, int wait);
void	 cache_unlock_key(int fd);

#endif
