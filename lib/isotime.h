/*
 * isotime: ISO-8601 times and durations.  A time is a count of 100 ns
 * ticks since 1970-01-01T00:00:00Z, the resolution of Kusto's datetime,
 * so the seven fractional digits Log Analytics sends survive a round trip.
 */
#ifndef TRIAGE_ISOTIME_H
#define TRIAGE_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#define TICKS_PER_SEC	10000000LL
#define TICKS_PER_MS	10000LL
#define TICKS_PER_DAY	(86400LL * TICKS_PER_SEC)

/*
 * Parses "2024-05-01", "2024-05-01T10:00", "2024-05-01T10:00:00.1234567Z",
 * "2024-05-01 10:00:00+02:00" and the like (a missing zone means UTC).
 * Returns 0, or -1 when s is not such a time (trailing junk included).
 */
int	 iso_parse(const char *s, int64_t *ticks);
/* Like iso_parse but stops at the end of the time; *end is set. */
int	 iso_parse_prefix(const char *s, int64_t *ticks, const char **end);

/*
 * Writes "YYYY-MM-DDTHH:MM:SS[.f]Z" into out (at least 40 bytes).
 * digits: 0-7 fractional digits, or -1 for as few as needed (none when
 * the time is a whole second).  Returns out.
 */
char	*iso_format(int64_t ticks, char *out, size_t outsz, int digits);

/* Now, in ticks. */
int64_t	 iso_now(void);

/* Days since the epoch for a civil date, and back. */
int64_t	 iso_days_from_civil(int64_t y, unsigned m, unsigned d);
void	 iso_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/*
 * Parses an ISO-8601 duration ("P7D", "PT1H30M", "P1DT2H", "PT0.5S";
 * a year counts 365 days, a month 30, a week 7).  0 or -1.
 */
int	 iso_duration_parse(const char *s, int64_t *ticks);
/* Formats ticks as an ISO-8601 duration ("P7D", "PT1H30M"). */
char	*iso_duration_format(int64_t ticks, char *out, size_t outsz);

/*
 * Parses a timespan as the Log Analytics API takes it: a duration ending
 * now, "start/end", "start/duration" or "duration/end".  now anchors a bare
 * duration.  0 or -1.
 */
int	 iso_interval_parse(const char *s, int64_t now, int64_t *start,
	    int64_t *end);

#endif
