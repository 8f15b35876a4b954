/*
 * cache: the XDG cache directory and file names for cache keys.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "file.h"
#include "log.h"

/*
 * Tokens live in the cache, and without HOME it is in /tmp, where anyone
 * may have made the directory first: it must be a real directory (not a
 * symlink to one) of ours, and it is made 0700.  -1 (EPERM, with a warning
 * once) when it is not.
 */
static int
private_dir(const char *path)
{
	static _Atomic int warned;
	struct stat st;
	const char *why = NULL;

	if (lstat(path, &st) == -1)
		return -1;
	if (S_ISLNK(st.st_mode))
		why = "is a symbolic link";
	else if (!S_ISDIR(st.st_mode))
		why = "is not a directory";
	else if (st.st_uid != geteuid())
		why = "belongs to another user";
	else if ((st.st_mode & 077) != 0 && chmod(path, 0700) == -1)
		why = "cannot be made private (mode 0700)";
	if (why == NULL)
		return 0;
	if (atomic_exchange(&warned, 1) == 0)
		log_warn("cache directory '%s' %s; not using it", path, why);
	errno = EPERM;
	return -1;
}

int
cache_dir(const char *sub, char *out, size_t outsz)
{
	const char *xdg, *home;
	int n;

	xdg = getenv("XDG_CACHE_HOME");
	home = getenv("HOME");
	if (xdg != NULL && *xdg == '/')
		n = snprintf(out, outsz, "%s/triage", xdg);
	else if (home != NULL && *home != '\0')
		n = snprintf(out, outsz, "%s/.cache/triage", home);
	else
		n = snprintf(out, outsz, "/tmp/triage-cache-%lu",
		    (unsigned long)getuid());
	if (n < 0 || (size_t)n >= outsz)
		goto toolong;
	if (file_mkdirs(out, 0700) == -1 || private_dir(out) == -1)
		return -1;
	if (sub != NULL && *sub != '\0') {
		n = snprintf(out + n, outsz - (size_t)n, "/%s", sub) + n;
		if (n < 0 || (size_t)n >= outsz)
			goto toolong;
		if (file_mkdirs(out, 0700) == -1 || private_dir(out) == -1)
			return -1;
	}
	return 0;
toolong:
	errno = ENAMETOOLONG;
	return -1;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return h;
}

void
cache_key_name(const char *key, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t n = 0, limit;

	if (outsz < 24) {
		if (outsz > 0)
			out[0] = '\0';
		return;
	}
	limit = outsz - 18;		/* room for "~" + 16 hex + NUL */
	if (limit > 120)
		limit = 120;
	for (p = (const unsigned char *)key; *p != '\0' && n + 3 < limit;
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    (*p == '.' && n > 0))
			out[n++] = (char)*p;
		else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	if (*p != '\0')
		n += (size_t)snprintf(out + n, outsz - n, "~%016llx",
		    (unsigned long long)fnv1a(key));
	out[n] = '\0';
}

int
cache_lock_key(const char *sub, const char *key, int wait)
{
	char dir[4096], name[200], path[4096 + 210];
	int fd, saved;

	if (cache_dir(sub, dir, sizeof(dir)) == -1)
		return -1;
	cache_key_name(key, name, sizeof(name));
	if (snprintf(path, sizeof(path), "%s/%s.lock", dir, name) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		return -1;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void
cache_unlock_key(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the lock */
}
