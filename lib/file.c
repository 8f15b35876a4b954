/*
 * file: atomic writes and the other file chores programs share.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

static void
afile_release(struct afile *af)
{
	free(af->path);
	free(af->tmp);
	af->path = NULL;
	af->tmp = NULL;
	af->fp = NULL;
}

int
afile_open(struct afile *af, const char *path, mode_t mode, int flags)
{
	const char *slash, *base;
	size_t dirlen, n;
	int fd, saved;

	af->fp = NULL;
	af->flags = flags;
	af->path = strdup(path);
	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : path;
	dirlen = (size_t)(base - path);
	n = dirlen + strlen(base) + 16;
	af->tmp = malloc(n);
	if (af->path == NULL || af->tmp == NULL) {
		afile_release(af);
		errno = ENOMEM;
		return -1;
	}
	snprintf(af->tmp, n, "%.*s.%s.tmp.XXXXXX", (int)dirlen, path, base);
	fd = mkstemp(af->tmp);
	if (fd == -1)
		goto fail;
	if (fchmod(fd, mode) == -1 || (af->fp = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(af->tmp);
		errno = saved;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	afile_release(af);
	errno = saved;
	return -1;
}

int
afile_commit(struct afile *af)
{
	int rc = 0, saved = 0;

	if (fflush(af->fp) == EOF || ferror(af->fp) ||
	    fsync(fileno(af->fp)) == -1) {
		rc = -1;
		saved = errno != 0 ? errno : EIO;
	}
	if (fclose(af->fp) == EOF && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0) {
		if (af->flags & AFILE_NO_REPLACE) {
			/* link(2) refuses to replace, unlike rename(2). */
			if (link(af->tmp, af->path) == -1) {
				rc = -1;
				saved = errno;
			}
			unlink(af->tmp);
		} else if (rename(af->tmp, af->path) == -1) {
			rc = -1;
			saved = errno;
		}
	}
	if (rc == -1)
		unlink(af->tmp);
	afile_release(af);
	if (rc == -1)
		errno = saved;
	return rc;
}

void
afile_abort(struct afile *af)
{
	if (af->fp != NULL)
		fclose(af->fp);
	if (af->tmp != NULL)
		unlink(af->tmp);
	afile_release(af);
}

int
file_write_atomic(const char *path, const void *data, size_t len,
    mode_t mode)
{
	struct afile af;

	if (afile_open(&af, path, mode, 0) == -1)
		return -1;
	if (len > 0 && fwrite(data, 1, len, af.fp) != len) {
		afile_abort(&af);
		errno = EIO;
		return -1;
	}
	return afile_commit(&af);
}

int
file_read_fp(FILE *fp, size_t max, char **data, size_t *len)
{
	size_t cap = 0, n = 0, got;
	char *p = NULL, *q;

	for (;;) {
		if (n + 1 >= cap) {
			cap = cap == 0 ? 8192 : cap * 2;
			if (cap > max + 2)
				cap = max + 2;
			q = realloc(p, cap);
			if (q == NULL) {
				free(p);
				errno = ENOMEM;
				return -1;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n - 1, fp);
		n += got;
		if (n > max) {
			free(p);
			errno = EFBIG;
			return -1;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(p);
		errno = EIO;
		return -1;
	}
	p[n] = '\0';
	*data = p;
	*len = n;
	return 0;
}

int
file_read(const char *path, size_t max, char **data, size_t *len)
{
	FILE *fp;
	int rc, saved;

	if (strcmp(path, "-") == 0)
		return file_read_fp(stdin, max, data, len);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	rc = file_read_fp(fp, max, data, len);
	saved = errno;
	fclose(fp);
	errno = saved;
	return rc;
}

int
file_mkdirs(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t n;
	char *p;

	n = strlen(path);
	if (n == 0 || n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, path, n + 1);
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

int
file_lock(const char *path, int exclusive)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) == -1) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void
file_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
