/*
 * file: whole-file reads, atomic writes, directories and advisory locks.
 * An output file is either absent or complete: it is written to a
 * temporary name in the same directory, synced, then renamed (or linked,
 * when it must not replace an existing file).  A process killed mid-write
 * leaves at most a hidden ".name.tmp.XXXXXX" behind, never a half file.
 */
#ifndef TRIAGE_FILE_H
#define TRIAGE_FILE_H

#include <sys/types.h>

#include <stdio.h>

enum afile_flags {
	AFILE_NO_REPLACE = 1 << 0	/* fail with EEXIST rather than replace */
};

struct afile {
	FILE	*fp;		/* write here */
	char	*path;		/* the final name */
	char	*tmp;		/* the temporary name */
	int	 flags;
};

/* Opens a temporary file beside path with the given mode.  0 or -1 (errno). */
int	 afile_open(struct afile *af, const char *path, mode_t mode, int flags);
/* Flushes, syncs and moves the file into place.  0 or -1 (errno); on
 * failure the temporary file is removed.  Releases af either way. */
int	 afile_commit(struct afile *af);
/* Removes the temporary file and releases af. */
void	 afile_abort(struct afile *af);

/* Writes data to path atomically.  0 or -1 (errno). */
int	 file_write_atomic(const char *path, const void *data, size_t len,
	    mode_t mode);

/*
 * Reads a whole file (or stdin when path is "-") into *data, NUL-terminated,
 * refusing more than max bytes (errno EFBIG).  0 or -1 (errno).
 */
int	 file_read(const char *path, size_t max, char **data, size_t *len);
/* Reads all of fp the same way. */
int	 file_read_fp(FILE *fp, size_t max, char **data, size_t *len);

/* mkdir -p with the given mode for the directories it creates.  0 or -1. */
int	 file_mkdirs(const char *path, mode_t mode);

/*
 * Takes an advisory lock on a lock file (created 0600 if missing), waiting
 * for it.  Returns the descriptor to pass to file_unlock, or -1 (errno).
 */
int	 file_lock(const char *path, int exclusive);
void	 file_unlock(int fd);

#endif
