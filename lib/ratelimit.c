/*
 * ratelimit: the budget files.  A state file is a few text lines,
 *
 *	triage-ratelimit 1
 *	day 20420 17		UTC day number and requests booked on it
 *	paused 1732800060000	no slot before this (ms since the epoch)
 *	spent 1732838400000	the daily quota is spent until this
 *	t 1732800000123		one line per recent slot, oldest first
 *
 * rewritten in place while an exclusive flock(2) is held, so every
 * process sees every booking.  The file is small (a line per slot of the
 * largest sliding window) and is not synced: after a crash the worst case
 * is a forgotten minute, not a corrupt budget, because unreadable lines
 * are ignored.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "config.h"
#include "ratelimit.h"

#define STATE_MAGIC	"triage-ratelimit 1"
#define STATE_MAX	(1u << 20)

struct rl_state {
	int64_t	 day;		/* the UTC day count is for */
	long	 count;
	int64_t	 paused;	/* no slot before this */
	int64_t	 spent;		/* the quota is out until this */
	int64_t	*t;		/* slot times, ascending */
	size_t	 nt;
	size_t	 cap;
};

static int
period_of(const char *unit, size_t len, int64_t *ms)
{
	static const struct {
		const char	*name;
		int64_t		 ms;
	} units[] = {
		{ "s", 1000 }, { "sec", 1000 }, { "second", 1000 },
		{ "seconds", 1000 },
		{ "m", 60000 }, { "min", 60000 }, { "minute", 60000 },
		{ "minutes", 60000 },
		{ "h", 3600000 }, { "hour", 3600000 }, { "hours", 3600000 },
		{ "d", 0 }, { "day", 0 }, { "days", 0 }
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len &&
		    strncasecmp(units[i].name, unit, len) == 0) {
			*ms = units[i].ms;
			return 0;
		}
	return -1;
}

/* One item, "LIMIT/[COUNT]UNIT", of len bytes at s. */
static int
parse_item(const char *s, size_t len, struct ratelimit_window *w, char *err,
    size_t errsz)
{
	const char *p = s, *end = s + len, *unit;
	long limit = 0, count = 1;
	int64_t ms;

	if (p == end || !isdigit((unsigned char)*p))
		goto bad;
	while (p < end && isdigit((unsigned char)*p)) {
		if (limit > 100000000)
			goto bad;
		limit = limit * 10 + (*p++ - '0');
	}
	while (p < end && *p == ' ')
		p++;
	if (p == end || *p++ != '/')
		goto bad;
	while (p < end && *p == ' ')
		p++;
	if (p < end && isdigit((unsigned char)*p)) {
		count = 0;
		while (p < end && isdigit((unsigned char)*p)) {
			if (count > 1000000)
				goto bad;
			count = count * 10 + (*p++ - '0');
		}
	}
	unit = p;
	if (limit <= 0 || count <= 0 || period_of(unit, (size_t)(end - unit),
	    &ms) == -1)
		goto bad;
	if (ms == 0 && count != 1) {
		snprintf(err, errsz, "'%.*s': a daily budget is per one UTC "
		    "day", (int)len, s);
		return -1;
	}
	if (ms != 0 && limit > RATELIMIT_MAX_SLIDING) {
		snprintf(err, errsz, "'%.*s': at most %d per sliding period; "
		    "use a daily budget for more", (int)len, s,
		    RATELIMIT_MAX_SLIDING);
		return -1;
	}
	w->limit = limit;
	w->period_ms = ms * count;
	return 0;
bad:
	snprintf(err, errsz, "'%.*s': expected LIMIT/PERIOD such as 4/min, "
	    "10/30s, 1000/hour or 500/day", (int)len, s);
	return -1;
}

int
ratelimit_parse(const char *spec, struct ratelimit_window *w, size_t *n,
    char *err, size_t errsz)
{
	const char *p = spec, *q, *e;

	*n = 0;
	while (*p == ' ')
		p++;
	if (*p == '\0' || strcasecmp(p, "none") == 0)
		return 0;
	for (;;) {
		while (*p == ' ')
			p++;
		q = strchr(p, ',');
		e = q != NULL ? q : p + strlen(p);
		while (e > p && e[-1] == ' ')
			e--;
		if (*n == RATELIMIT_MAX_WINDOWS) {
			snprintf(err, errsz, "more than %d limits",
			    RATELIMIT_MAX_WINDOWS);
			return -1;
		}
		if (parse_item(p, (size_t)(e - p), &w[*n], err, errsz) == -1)
			return -1;
		(*n)++;
		if (q == NULL)
			break;
		p = q + 1;
	}
	return 0;
}

int
ratelimit_open(struct ratelimit *rl, const char *name, const char *dflt,
    char *err, size_t errsz)
{
	char var[96], dir[4096], msg[256];
	const char *spec, *p;
	size_t i;
	int n;

	memset(rl, 0, sizeof(*rl));
	if (*name == '\0' || strlen(name) > 64) {
		snprintf(err, errsz, "bad budget name '%s'", name);
		return -1;
	}
	n = snprintf(var, sizeof(var), "TRIAGE_RATE_");
	for (p = name, i = (size_t)n; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') {
			snprintf(err, errsz, "bad budget name '%s'", name);
			return -1;
		}
		var[i++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	}
	var[i] = '\0';
	spec = config_get(var);
	if (spec == NULL)
		spec = dflt != NULL ? dflt : "none";
	if (ratelimit_parse(spec, rl->w, &rl->nw, msg, sizeof(msg)) == -1) {
		if (config_get(var) != NULL)
			snprintf(err, errsz, "%s: %s", var, msg);
		else
			snprintf(err, errsz, "%s", msg);
		return -1;
	}
	if (cache_dir("ratelimit", dir, sizeof(dir)) == -1) {
		snprintf(err, errsz, "cannot make the cache directory for "
		    "rate limits: %s", strerror(errno));
		/* Better a limit this process keeps than none at all. */
		rl->local = 1;
		return -2;
	}
	rl->path = malloc(strlen(dir) + strlen(name) + 2);
	if (rl->path != NULL)
		sprintf(rl->path, "%s/%s", dir, name);
	else {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void
ratelimit_release(struct ratelimit *rl)
{
	free(rl->path);
	rl->path = NULL;
	free(rl->mem);
	rl->mem = NULL;
}

int64_t
ratelimit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
state_push(struct rl_state *st, int64_t t)
{
	int64_t *nt;
	size_t cap;

	if (st->nt == st->cap) {
		cap = st->cap == 0 ? 16 : st->cap * 2;
		nt = realloc(st->t, cap * sizeof(*nt));
		if (nt == NULL)
			return -1;
		st->t = nt;
		st->cap = cap;
	}
	st->t[st->nt++] = t;
	return 0;
}

/* Parses the state text (and frees it); anything unreadable is left
 * out. */
static int
state_parse(char *data, struct rl_state *st)
{
	char *line, *next;
	long long a, b;

	if (strncmp(data, STATE_MAGIC "\n", sizeof(STATE_MAGIC)) != 0) {
		free(data);
		return 0;
	}
	for (line = data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (sscanf(line, "t %lld", &a) == 1) {
			/* Slots must come in order; a torn file may not. */
			if (a > 0 && (st->nt == 0 || a >= st->t[st->nt - 1]) &&
			    state_push(st, a) == -1) {
				free(data);
				return -1;
			}
		} else if (sscanf(line, "day %lld %lld", &a, &b) == 2 &&
		    a >= 0 && b >= 0) {
			st->day = a;
			st->count = (long)b;
		} else if (sscanf(line, "paused %lld", &a) == 1)
			st->paused = a;
		else if (sscanf(line, "spent %lld", &a) == 1)
			st->spent = a;
	}
	free(data);
	return 0;
}

/* Reads the state from the file. */
static int
state_load(int fd, struct rl_state *st)
{
	struct stat sb;
	ssize_t got;
	size_t len;
	char *data;

	memset(st, 0, sizeof(*st));
	if (fstat(fd, &sb) == -1)
		return -1;
	if (sb.st_size <= 0)
		return 0;
	len = (size_t)sb.st_size > STATE_MAX ? STATE_MAX : (size_t)sb.st_size;
	data = malloc(len + 1);
	if (data == NULL)
		return -1;
	got = pread(fd, data, len, 0);
	if (got < 0) {
		free(data);
		return -1;
	}
	data[got] = '\0';
	return state_parse(data, st);
}

static int
state_save(struct ratelimit *rl, int fd, const struct rl_state *st)
{
	struct buf b;
	size_t i;
	int rc = -1;

	buf_init(&b);
	buf_printf(&b, STATE_MAGIC "\nday %lld %ld\npaused %lld\nspent %lld\n",
	    (long long)st->day, st->count, (long long)st->paused,
	    (long long)st->spent);
	for (i = 0; i < st->nt; i++)
		buf_printf(&b, "t %lld\n", (long long)st->t[i]);
	if (buf_failed(&b))
		rc = -1;
	else if (rl->local) {
		free(rl->mem);
		rl->mem = buf_steal(&b);
		rc = rl->mem != NULL ? 0 : -1;
	} else if (pwrite(fd, buf_str(&b), b.len, 0) == (ssize_t)b.len &&
	    ftruncate(fd, (off_t)b.len) == 0)
		rc = 0;
	buf_release(&b);
	return rc;
}

#define STATE_LOCAL	(-2)		/* "descriptor" of a local state */

/*
 * Opens and locks the state file.  The descriptor, STATE_LOCAL for a
 * state kept in memory, or -1 (errno).
 */
static int
state_open(const struct ratelimit *rl)
{
	int fd;

	if (rl->local)
		return STATE_LOCAL;
	if (rl->path == NULL) {
		errno = EINVAL;
		return -1;
	}
	fd = open(rl->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Reads the state, from the file or memory. */
static int
state_read(const struct ratelimit *rl, int fd, struct rl_state *st)
{
	char *copy;

	if (fd != STATE_LOCAL)
		return state_load(fd, st);
	memset(st, 0, sizeof(*st));
	if (rl->mem == NULL)
		return 0;
	copy = strdup(rl->mem);
	return copy != NULL ? state_parse(copy, st) : -1;
}

static void
state_close(int fd, struct rl_state *st)
{
	free(st->t);
	st->t = NULL;
	if (fd >= 0)
		close(fd);		/* drops the lock */
}

/*
 * Forgets slots that no window can see any more, and times from a clock
 * that has since gone back (more than a day ahead of now).
 */
static void
state_prune(const struct ratelimit *rl, struct rl_state *st, int64_t now)
{
	int64_t horizon = 0;
	size_t i, keep, from = 0;
	long most = 0;

	for (i = 0; i < rl->nw; i++)
		if (rl->w[i].period_ms > 0) {
			if (rl->w[i].period_ms > horizon)
				horizon = rl->w[i].period_ms;
			if (rl->w[i].limit > most)
				most = rl->w[i].limit;
		}
	while (st->nt > 0 && st->t[st->nt - 1] > now + RATELIMIT_DAY_MS)
		st->nt--;
	while (from < st->nt && st->t[from] <= now - horizon)
		from++;
	keep = st->nt - from;
	if (keep > (size_t)most) {
		from += keep - (size_t)most;
		keep = (size_t)most;
	}
	if (keep > 0 && from > 0)
		memmove(st->t, st->t + from, keep * sizeof(*st->t));
	st->nt = keep;
	if (st->paused > now + 2 * RATELIMIT_DAY_MS)
		st->paused = 0;
	if (st->spent > now + 2 * RATELIMIT_DAY_MS)
		st->spent = 0;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The earliest slot at or after from that the windows allow. */
static int64_t
first_slot(const struct ratelimit *rl, const struct rl_state *st,
    int64_t from, long *day_limit)
{
	int64_t t = from;
	size_t i, n;

	*day_limit = -1;
	if (st->nt > 0)
		t = max64(t, st->t[st->nt - 1]);
	for (i = 0; i < rl->nw; i++) {
		if (rl->w[i].period_ms == 0) {
			if (*day_limit < 0 || rl->w[i].limit < *day_limit)
				*day_limit = rl->w[i].limit;
			continue;
		}
		n = (size_t)rl->w[i].limit;
		if (st->nt >= n)
			t = max64(t, st->t[st->nt - n] + rl->w[i].period_ms);
	}
	return t;
}

enum ratelimit_outcome
ratelimit_reserve(struct ratelimit *rl, int64_t now, int64_t max_wait,
    int64_t *at)
{
	struct rl_state st;
	int64_t t, day, midnight;
	long day_limit, used;
	enum ratelimit_outcome rc;
	int fd;

	*at = now;
	fd = state_open(rl);
	if (fd == -1)
		return RATELIMIT_FAIL;
	if (state_read(rl, fd, &st) == -1) {
		state_close(fd, &st);
		return RATELIMIT_FAIL;
	}
	state_prune(rl, &st, now);
	t = first_slot(rl, &st, max64(now, max64(st.paused, st.spent)),
	    &day_limit);
	if (st.spent > now && t - now > max_wait) {
		*at = st.spent;
		rc = RATELIMIT_SPENT;
		goto out;
	}
	if (day_limit >= 0) {
		day = t / RATELIMIT_DAY_MS;
		used = st.day == day ? st.count : 0;
		if (st.day > day)
			used = st.count;	/* the clock went back */
		if (used >= day_limit) {
			midnight = (day + 1) * RATELIMIT_DAY_MS;
			if (midnight - now > max_wait) {
				*at = midnight;
				rc = RATELIMIT_SPENT;
				goto out;
			}
			t = first_slot(rl, &st, midnight, &day_limit);
		}
	}
	*at = t;
	if (t - now > max_wait) {
		rc = RATELIMIT_LATER;
		goto out;
	}
	if (state_push(&st, t) == -1) {
		rc = RATELIMIT_FAIL;
		goto out;
	}
	day = t / RATELIMIT_DAY_MS;
	if (st.day < day) {
		st.day = day;
		st.count = 0;
	}
	st.count++;
	rc = state_save(rl, fd, &st) == 0 ? RATELIMIT_GO : RATELIMIT_FAIL;
out:
	state_close(fd, &st);
	return rc;
}

enum ratelimit_outcome
ratelimit_acquire(struct ratelimit *rl, int64_t max_wait)
{
	struct timespec ts;
	enum ratelimit_outcome rc;
	int64_t at, now, left;

	rc = ratelimit_reserve(rl, ratelimit_now_ms(), max_wait, &at);
	if (rc != RATELIMIT_GO)
		return rc;
	while ((now = ratelimit_now_ms()) < at) {
		left = at - now;
		ts.tv_sec = (time_t)(left / 1000);
		ts.tv_nsec = (long)(left % 1000) * 1000000;
		nanosleep(&ts, NULL);	/* EINTR: just look again */
	}
	return RATELIMIT_GO;
}

/* Moves the paused (which == 0) or spent (which == 1) time later. */
static int
hold_until(struct ratelimit *rl, int which, int64_t until)
{
	struct rl_state st;
	int fd, rc = -1;

	fd = state_open(rl);
	if (fd == -1)
		return -1;
	if (state_read(rl, fd, &st) == 0) {
		if (which == 0 && until > st.paused)
			st.paused = until;
		if (which == 1 && until > st.spent)
			st.spent = until;
		rc = state_save(rl, fd, &st);
	}
	state_close(fd, &st);
	return rc;
}

int
ratelimit_pause(struct ratelimit *rl, int64_t until)
{
	return hold_until(rl, 0, until);
}

int
ratelimit_spend(struct ratelimit *rl, int64_t until)
{
	if (until <= 0)
		until = (ratelimit_now_ms() / RATELIMIT_DAY_MS + 1) *
		    RATELIMIT_DAY_MS;
	return hold_until(rl, 1, until);
}
