/*
 * store: the enrichment cache.  One file per provider and indicator,
 * $XDG_CACHE_HOME/triage/enrich/PROVIDER/KIND:VALUE.json, holding the
 * enrichment record as it was made.  Files are replaced by rename(2), so
 * a reader in another process sees the old answer or the new one, never
 * half of one; two processes that look up the same indicator at once
 * both write, and either answer is right.  Only verdicts are kept
 * (errors, skipped and not_configured are decided afresh every time, and
 * the workspace's own threat intelligence is always asked);
 * not_found is kept for at most an hour, since a new indicator is news.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "enrich.h"
#include "file.h"
#include "isotime.h"
#include "jsonx.h"
#include "store.h"

#define STORE_MAX_FILE	(1u << 20)

int
store_open(struct store *s, int64_t max_age_s, char *err, size_t errsz)
{
	char dir[4096];

	memset(s, 0, sizeof(*s));
	s->max_age = max_age_s * TICKS_PER_SEC;
	s->not_found_age = STORE_NOT_FOUND_MAX_AGE * TICKS_PER_SEC;
	if (s->not_found_age > s->max_age)
		s->not_found_age = s->max_age;
	if (cache_dir("enrich", dir, sizeof(dir)) == -1) {
		snprintf(err, errsz, "cannot make the cache directory: %s",
		    strerror(errno));
		return -1;
	}
	s->dir = strdup(dir);
	if (s->dir == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void
store_release(struct store *s)
{
	free(s->dir);
	s->dir = NULL;
}

/* The file for provider and indicator; 0, or -1 when it cannot be named. */
static int
store_path(const struct store *s, const char *provider,
    const struct indicator *ind, char *out, size_t outsz)
{
	char key[8192 + 16], name[200];
	int n;

	n = snprintf(key, sizeof(key), "%s:%s", ioc_kind_name(ind->kind),
	    ind->value);
	if (n < 0 || (size_t)n >= sizeof(key))
		return -1;
	cache_key_name(key, name, sizeof(name));
	n = snprintf(out, outsz, "%s/%s/%s.json", s->dir, provider, name);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

json_t *
store_get(const struct store *s, const char *provider,
    const struct indicator *ind, int64_t now)
{
	char path[4096 + 256];
	const char *at;
	json_t *rec;
	char *data;
	size_t len;
	int64_t t, age;
	int v;

	if (s->dir == NULL || store_path(s, provider, ind, path,
	    sizeof(path)) == -1)
		return NULL;
	if (file_read(path, STORE_MAX_FILE, &data, &len) == -1)
		return NULL;
	rec = json_loadb(data, len, 0, NULL);
	free(data);
	/* Anything that is not exactly our answer is a miss. */
	v = verdict_parse(jx_str(rec, "verdict"));
	at = jx_str(rec, "fetched_at");
	if (!json_is_object(rec) || v < 0 ||
	    !verdict_is_cacheable((enum verdict)v) ||
	    jx_str(rec, "provider") == NULL ||
	    strcmp(jx_str(rec, "provider"), provider) != 0 ||
	    jx_path_str(rec, "indicator.value") == NULL ||
	    strcmp(jx_path_str(rec, "indicator.value"), ind->value) != 0 ||
	    at == NULL || iso_parse(at, &t) == -1)
		goto miss;
	age = now - t;
	if (age < -300 * TICKS_PER_SEC ||
	    age > (v == V_NOT_FOUND ? s->not_found_age : s->max_age))
		goto miss;
	json_object_set_new(rec, "cached", json_true());
	return rec;
miss:
	json_decref(rec);
	return NULL;
}

/*
 * Writes a temporary file in dir and renames it over path: readers see
 * the old file or the new one.  Not synced, unlike file_write_atomic: a
 * cache may lose an answer in a crash, and a file left empty or torn by
 * one is only a miss, while a sync per answer costs milliseconds each.
 */
static int
write_replace(const char *dir, const char *path, const char *data,
    size_t len)
{
	char tmp[4096 + 64];
	ssize_t n;
	size_t off = 0;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.tmp.XXXXXX", dir);
	fd = mkstemp(tmp);		/* 0600 */
	if (fd == -1)
		return -1;
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)n;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
store_put(const struct store *s, const char *provider,
    const struct indicator *ind, const json_t *rec)
{
	char path[4096 + 256], dir[4096 + 64];
	char *text;
	int rc;

	if (s->dir == NULL || store_path(s, provider, ind, path,
	    sizeof(path)) == -1)
		return -1;
	snprintf(dir, sizeof(dir), "%s/%s", s->dir, provider);
	if (file_mkdirs(dir, 0700) == -1)
		return -1;
	text = json_dumps(rec, JSON_COMPACT);
	if (text == NULL)
		return -1;
	rc = write_replace(dir, path, text, strlen(text));
	free(text);
	return rc;
}
