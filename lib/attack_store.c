/*
 * attack_store: the file side of the ATT&CK index: finding it, mapping it,
 * building the bundled one on first use and installing new ones (see
 * attack_store.h).  A lookup costs a stat or two, one open and one mmap;
 * the bundle itself is only read when an index has to be built.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attack.h"
#include "attack_build.h"
#include "attack_store.h"
#include "buf.h"
#include "cache.h"
#include "file.h"
#include "isotime.h"
#include "log.h"
#include "paths.h"

/* Maps an index file and checks it.  0; -1 when absent; -2 when it is
 * there but unusable (err says why). */
static int
map_index(struct attack_store *st, const char *path, char *err, size_t errsz)
{
	struct stat sb;
	void *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return -1;
		snprintf(err, errsz, "%s", strerror(errno));
		return -2;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    (uint64_t)sb.st_size > UINT32_MAX) {
		close(fd);
		snprintf(err, errsz, "not a regular file of a sane size");
		return -2;
	}
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		snprintf(err, errsz, "%s", strerror(errno));
		return -2;
	}
	if (attack_index_open(&st->ix, p, (size_t)sb.st_size, err,
	    errsz) == -1) {
		munmap(p, (size_t)sb.st_size);
		return -2;
	}
	st->data = p;
	st->len = (size_t)sb.st_size;
	st->mapped = 1;
	snprintf(st->path, sizeof(st->path), "%s", path);
	return 0;
}

/*
 * Names the bundled copy by content, cheaply: a gzip file ends with the
 * CRC-32 and length of what it holds, so 8 bytes and a stat identify it.
 */
static int
bundle_stamp(const char *path, char *out, size_t outsz)
{
	unsigned char tail[8], head[2];
	struct stat sb;
	uint32_t crc, isize;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == -1)
		goto out;
	if (sb.st_size >= 20 && pread(fd, head, 2, 0) == 2 &&
	    head[0] == 0x1f && head[1] == 0x8b &&
	    pread(fd, tail, 8, sb.st_size - 8) == 8) {
		crc = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 |
		    (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
		isize = (uint32_t)tail[4] | (uint32_t)tail[5] << 8 |
		    (uint32_t)tail[6] << 16 | (uint32_t)tail[7] << 24;
		snprintf(out, outsz, "gz-%08x-%u-%lld", crc, isize,
		    (long long)sb.st_size);
	} else
		snprintf(out, outsz, "raw-%lld-%lld", (long long)sb.st_size,
		    (long long)sb.st_mtime);
	rc = 0;
out:
	close(fd);
	return rc;
}

int
attack_store_index_path(char *out, size_t outsz)
{
	char dir[4096];

	if (cache_dir("attack", dir, sizeof(dir)) == -1)
		return -1;
	if ((size_t)snprintf(out, outsz, "%s/%s", dir, ATTACK_INDEX_FILE) >=
	    outsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
attack_store_build(const void *data, size_t len,
    const struct attack_build_opts *opts, struct buf *out, char *err,
    size_t errsz)
{
	struct attack_build_opts o;
	struct attack_index ix;
	char now[48];
	size_t start = out->len;

	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	if (o.built_at == NULL)
		o.built_at = iso_format(iso_now() / 10000000 * 10000000, now,
		    sizeof(now), 0);
	if (o.max_json == 0)
		o.max_json = ATTACK_MAX_BUNDLE;
	if (attack_build(data, len, &o, out, err, errsz) == -1)
		return -1;
	/* What we are about to trust must read back. */
	if (attack_index_open(&ix, out->data + start, out->len - start, err,
	    errsz) == -1) {
		out->len = start;
		return -1;
	}
	return 0;
}

int
attack_store_install(const char *path, const void *idx, size_t len)
{
	return file_write_atomic(path, idx, len, 0600);
}

/* Builds the bundled copy's index; caches it when the cache allows. */
static int
build_bundled(struct attack_store *st, const char *bundle, const char *stamp,
    const char *cache_path, char *err, size_t errsz)
{
	struct attack_build_opts o;
	struct buf idx;
	char why[256], real[PATH_MAX];
	char *data = NULL;
	size_t len;

	if (file_read(bundle, ATTACK_MAX_BUNDLE, &data, &len) == -1) {
		snprintf(err, errsz, "cannot read '%s': %s", bundle,
		    strerror(errno));
		return -1;
	}
	memset(&o, 0, sizeof(o));
	o.source = realpath(bundle, real) != NULL ? real : bundle;
	o.stamp = stamp;
	buf_init(&idx);
	if (attack_store_build(data, len, &o, &idx, why, sizeof(why)) == -1) {
		free(data);
		buf_release(&idx);
		snprintf(err, errsz, "bundled ATT&CK data '%s': %s", bundle,
		    why);
		return -1;
	}
	free(data);
	if (cache_path != NULL) {
		if (attack_store_install(cache_path, idx.data, idx.len) == -1)
			log_warn("cannot cache the ATT&CK index as '%s': %s "
			    "(building it on every run)", cache_path,
			    strerror(errno));
		else if (map_index(st, cache_path, why, sizeof(why)) == 0) {
			buf_release(&idx);
			st->origin = ATTACK_FROM_BUNDLED;
			return 0;
		}
	}
	st->len = idx.len;
	st->data = buf_steal(&idx);
	st->mapped = 0;
	st->path[0] = '\0';
	st->origin = ATTACK_FROM_BUNDLED;
	if (attack_index_open(&st->ix, st->data, st->len, err, errsz) == -1) {
		free(st->data);
		st->data = NULL;
		return -1;
	}
	return 0;
}

int
attack_store_open(struct attack_store *st, char *err, size_t errsz)
{
	char dir[4096], path[4096 + 64], bundle[4096], stamp[96], why[256];
	struct attack_dataset ds;
	int have_dir, r;

	memset(st, 0, sizeof(*st));
	have_dir = cache_dir("attack", dir, sizeof(dir)) == 0;
	if (have_dir) {
		snprintf(path, sizeof(path), "%s/%s", dir, ATTACK_INDEX_FILE);
		r = map_index(st, path, why, sizeof(why));
		if (r == 0) {
			st->origin = ATTACK_FROM_UPDATE;
			return 0;
		}
		if (r == -2)
			log_warn("ignoring the ATT&CK index '%s': %s (run "
			    "'triage-mitre update' to rebuild it)", path, why);
	} else
		log_warn("no cache directory for the ATT&CK index: %s",
		    strerror(errno));

	if (paths_data_file(ATTACK_BUNDLED_DATA, bundle, sizeof(bundle)) ==
	    -1) {
		snprintf(err, errsz, "no ATT&CK data: the bundled copy (%s) is "
		    "missing and no index was downloaded (run 'triage-mitre "
		    "update')", ATTACK_BUNDLED_DATA);
		return -1;
	}
	if (bundle_stamp(bundle, stamp, sizeof(stamp)) == -1) {
		snprintf(err, errsz, "cannot read '%s': %s", bundle,
		    strerror(errno));
		return -1;
	}
	if (have_dir) {
		snprintf(path, sizeof(path), "%s/bundled-%s.idx", dir, stamp);
		r = map_index(st, path, why, sizeof(why));
		if (r == 0) {
			attack_index_dataset(&st->ix, &ds);
			if (strcmp(ds.stamp, stamp) == 0) {
				st->origin = ATTACK_FROM_BUNDLED;
				return 0;
			}
			attack_store_close(st);
		}
	}
	return build_bundled(st, bundle, stamp, have_dir ? path : NULL, err,
	    errsz);
}

void
attack_store_close(struct attack_store *st)
{
	if (st->data != NULL) {
		if (st->mapped)
			munmap(st->data, st->len);
		else
			free(st->data);
	}
	memset(st, 0, sizeof(*st));
}
