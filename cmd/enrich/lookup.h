/*
 * lookup: asking the providers about a batch of indicators, all at once,
 * within each provider's limits, through the cache.
 */
#ifndef TRIAGE_ENRICH_LOOKUP_H
#define TRIAGE_ENRICH_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "enrich.h"
#include "ratelimit.h"
#include "store.h"

enum provider_id {
	P_ABUSEIPDB,
	P_VIRUSTOTAL,
	P_INTERNETDB,
	P_WORKSPACE_TI,
	P_COUNT
};

#define P_ALL	((1u << P_COUNT) - 1)

struct lookup;

/* One indicator asked of one provider. */
struct job {
	const struct indicator	*ind;
	enum provider_id	 provider;
	int			 no_provider;	/* one record for all: the
						   indicator goes nowhere */
	struct answer		 ans;
	json_t			*record;	/* the result */
	/* While an HTTP lookup is under way. */
	struct lookup		*lk;
	char			*url;
	int64_t			 first_ask;	/* ms, wall clock */
	int64_t			 slot_at;	/* booked, or 0 */
	const char		*held;		/* not sent: R_QUOTA,
						   R_RATE_LIMITED or R_AUTH */
	int64_t			 held_until;
};

struct provider_state {
	int		 configured;
	char		 why[200];	/* when not configured */
	char		*base;		/* no trailing slash */
	char		*headers[3];	/* NULL-terminated */
	struct ratelimit rl;
	int		 rl_open;
	int		 rl_warned;
	int		 key_refused;	/* a 401: ask no more */
};

struct lookup {
	unsigned		 chosen;	/* bit per provider */
	int			 use_cache;
	struct store		 store;
	size_t			 parallel;	/* transfers at once */
	int64_t			 max_wait_ms;	/* for a slot */
	struct provider_state	 ps[P_COUNT];
	char			*kql;		/* triage-kql */
	const char		*ti_timespan;
	/* What went wrong, per provider and verdict, for one line each on
	 * stderr at the end. */
	size_t			 trouble[P_COUNT][V_ERROR + 1];
	char			 trouble_msg[P_COUNT][V_ERROR + 1][256];
};

const char *provider_name(enum provider_id p);
/* The provider called name, or -1. */
int	 provider_parse(const char *name);
/* The providers (bits) that look up an indicator of kind k by default,
 * and those that can at all. */
unsigned provider_defaults(enum ioc_kind k);
unsigned provider_able(enum ioc_kind k);

/*
 * Sets up the chosen providers: keys, base URLs, rate limits, the cache
 * (max_age_s; none when use_cache is 0).  0, or -1 with a message in err
 * (a bad setting).
 */
int	 lookup_init(struct lookup *lk, unsigned chosen, int use_cache,
	    int64_t max_age_s, size_t parallel, int64_t max_wait_ms,
	    char *err, size_t errsz);
void	 lookup_release(struct lookup *lk);

/* Answers every job; each ends with its record. */
void	 lookup_run(struct lookup *lk, struct job *jobs, size_t n);

/* Tells stderr, one line per provider and problem, what went wrong. */
void	 lookup_report(const struct lookup *lk);

#endif
