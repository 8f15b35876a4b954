/*
 * time: how the local workspace writes datetimes and timespans.  A
 * datetime is stored as fixed-width ISO-8601 UTC text with seven
 * fractional digits ("2024-05-01T10:00:00.0000000Z", 28 bytes), which
 * sorts as text and is what Log Analytics sends; a timespan is an integer
 * count of 100 ns ticks.
 */
#ifndef TRIAGE_KQL_TIME_H
#define TRIAGE_KQL_TIME_H

#include <stddef.h>
#include <stdint.h>

#define KQL_DT_LEN	28	/* strlen("2024-05-01T10:00:00.0000000Z") */

/*
 * Parses a datetime as people and exports write it: ISO-8601 in its
 * common forms ("2024-05-01", "2024-05-01 10:00:00.123+02:00"), and the
 * Log Analytics portal's "4/19/2021, 12:13:19.483 PM".  0 or -1.
 */
int	 kql_parse_datetime(const char *s, int64_t *ticks);

/*
 * Parses a timespan written as text: "1d", "2.5h", "30m", "100ms",
 * "00:05:00", "1.02:03:04.5", "-00:00:01".  0 or -1.
 */
int	 kql_parse_timespan(const char *s, int64_t *ticks);

/* Ticks in one unit of a timespan suffix ("d", "hours", "ms"); 0 when
 * s (n bytes) is not a unit. */
int64_t	 kql_timespan_unit(const char *s, size_t n);

/* Writes the stored form of a datetime into out (at least 29 bytes);
 * -1 when the year is outside 0001-9999. */
int	 kql_format_datetime(int64_t ticks, char *out, size_t outsz);

/* Is s (len bytes) a datetime in the stored form?  Checks the shape
 * only, cheaply: the run-time functions use it to tell datetimes from
 * other text. */
int	 kql_is_stored_datetime(const char *s, size_t len);

/* Parses the stored form quickly; 0 or -1. */
int	 kql_stored_datetime(const char *s, size_t len, int64_t *ticks);

/* Writes a timespan as Kusto does: "[-][d.]hh:mm:ss[.fffffff]". */
char	*kql_format_timespan(int64_t ticks, char *out, size_t outsz);

#endif
