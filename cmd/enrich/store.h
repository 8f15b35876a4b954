/*
 * store: the enrichment cache (store.c says how it is kept).
 */
#ifndef TRIAGE_ENRICH_STORE_H
#define TRIAGE_ENRICH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct indicator;

/* At most how long (seconds) a not_found answer is used. */
#define STORE_NOT_FOUND_MAX_AGE	3600

struct store {
	char	*dir;		/* .../triage/enrich */
	int64_t	 max_age;	/* ticks */
	int64_t	 not_found_age;	/* ticks */
};

/* Opens the cache; answers older than max_age_s seconds are stale. */
int	 store_open(struct store *s, int64_t max_age_s, char *err,
	    size_t errsz);
void	 store_release(struct store *s);
/* The cached record, marked "cached": true, or NULL.  A new reference. */
json_t	*store_get(const struct store *s, const char *provider,
	    const struct indicator *ind, int64_t now_ticks);
/* Keeps rec for provider and ind.  0 or -1. */
int	 store_put(const struct store *s, const char *provider,
	    const struct indicator *ind, const json_t *rec);

#endif
