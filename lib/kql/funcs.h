/*
 * funcs: the SQLite functions the translated SQL calls (kql_has,
 * kql_dt_add, kql_make_set ...), which give the statement Kusto's
 * semantics: whole-term has, case-insensitive contains, datetimes as
 * fixed-width text, timespans as ticks, dynamic values as JSON text.
 */
#ifndef TRIAGE_KQL_FUNCS_H
#define TRIAGE_KQL_FUNCS_H

#include <stdint.h>

#include <sqlite3.h>

/*
 * Registers every kql_* function on db; now (ticks) is what now() and
 * ago() measure from.  Returns SQLITE_OK or an SQLite error code.
 */
int	 kql_funcs_register(sqlite3 *db, int64_t now);

/* Is name one of the SQL functions translated queries may call?  The
 * read-only connection's authorizer allows no others. */
int	 kql_funcs_allowed(const char *name);

/* Kusto's has: does needle occur in hay as whole terms, ignoring ASCII
 * case (cs: matching case)?  Exposed for the unit tests. */
int	 kql_has_term(const char *hay, size_t hlen, const char *needle,
	    size_t nlen, int cs);

#endif
