/*
 * ratelimit: request budgets shared by every process of one user, so that
 * forty workers enriching at once still make four VirusTotal requests a
 * minute.  Each named budget is a small state file under the cache
 * directory (ratelimit/NAME), read and rewritten under flock(2): the times
 * of the recent requests (sliding windows such as "4/min"), the count for
 * the current UTC day ("500/day"), and any pause the service itself asked
 * for (a 429 with Retry-After, a spent daily quota).
 *
 * A caller books a slot before each request.  Slots are handed out in
 * order, so waiting processes do not stampede when a window opens; a
 * booked slot counts whether or not the request is finally sent, which
 * errs on the side of the quota.
 *
 * The budget for NAME comes from the setting TRIAGE_RATE_<NAME> (upper
 * case), else the caller's default: a comma-separated list of LIMIT/PERIOD
 * where PERIOD is s, sec, min, hour (optionally with a count: 10s, 5min)
 * or day (the UTC calendar day); "none" means no limit.  For example
 * TRIAGE_RATE_VIRUSTOTAL="4/min,500/day".
 */
#ifndef TRIAGE_RATELIMIT_H
#define TRIAGE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_MAX_WINDOWS	4
#define RATELIMIT_MAX_SLIDING	10000	/* most in a sliding window */
#define RATELIMIT_DAY_MS	(86400LL * 1000)

struct ratelimit_window {
	long	 limit;		/* requests per period */
	int64_t	 period_ms;	/* a sliding period; 0: the UTC day */
};

struct ratelimit {
	char			*path;		/* the state file */
	int			 local;		/* no file: the state is kept
						   in mem, for this process */
	char			*mem;
	struct ratelimit_window	 w[RATELIMIT_MAX_WINDOWS];
	size_t			 nw;		/* 0: unlimited */
};

enum ratelimit_outcome {
	RATELIMIT_FAIL = -1,	/* the state file cannot be used (errno) */
	RATELIMIT_GO = 0,	/* a slot is booked for *at_ms */
	RATELIMIT_LATER,	/* the first free slot, *at_ms, is further
				   away than the caller would wait; nothing
				   is booked */
	RATELIMIT_SPENT		/* the day's quota is spent; *at_ms is
				   when it comes back */
};

/*
 * Parses a budget such as "4/min,500/day" into w (room for
 * RATELIMIT_MAX_WINDOWS) and *n.  0, or -1 with a message in err.
 */
int	 ratelimit_parse(const char *spec, struct ratelimit_window *w,
	    size_t *n, char *err, size_t errsz);

/*
 * Sets up the budget called name (letters, digits, '_' and '-'): its state
 * file and its windows, from TRIAGE_RATE_<NAME> or else dflt (NULL: none).
 * 0, or -1 with a message in err (a bad setting names the variable), or
 * -2 when the state directory cannot be made (err says why): the budget
 * then holds within this process only, and the calls below still work.
 */
int	 ratelimit_open(struct ratelimit *rl, const char *name,
	    const char *dflt, char *err, size_t errsz);
void	 ratelimit_release(struct ratelimit *rl);

/* The wall clock in ms since the epoch: the time base of the state files. */
int64_t	 ratelimit_now_ms(void);

/*
 * Books the first free slot at or after now for one request, unless it is
 * more than max_wait_ms away.  See enum ratelimit_outcome.
 */
enum ratelimit_outcome ratelimit_reserve(struct ratelimit *rl, int64_t now_ms,
	    int64_t max_wait_ms, int64_t *at_ms);

/*
 * The blocking form: books a slot and sleeps until it comes.  Returns
 * RATELIMIT_GO when the caller may send now, or the other outcomes as
 * ratelimit_reserve does (without sleeping).
 */
enum ratelimit_outcome ratelimit_acquire(struct ratelimit *rl,
	    int64_t max_wait_ms);

/* The service asked everyone to wait: no slot before until_ms.  0 or -1. */
int	 ratelimit_pause(struct ratelimit *rl, int64_t until_ms);

/*
 * The service said the daily quota is spent: no slot before until_ms
 * (0: the next UTC midnight).  0 or -1.
 */
int	 ratelimit_spend(struct ratelimit *rl, int64_t until_ms);

#endif
