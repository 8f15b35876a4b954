/*
 * backend: how triage-kql's parts meet.  Both backends answer a query with
 * a Log Analytics query response (azure-apis.md B.3): an object holding
 * "tables": [{"name", "columns": [{"name","type"}], "rows": [[...]]}] and,
 * for a partial success, "error".  The output module turns that into
 * NDJSON, JSON, a table or CSV, whichever backend produced it.
 *
 * live.c   the Azure Log Analytics query API (issue #3)
 * local.c  KQL translated to SQL over a local SQLite workspace (issue #4)
 * import.c "triage-kql import" (issue #4)
 */
#ifndef TRIAGE_KQL_BACKEND_H
#define TRIAGE_KQL_BACKEND_H

#include <jansson.h>

struct buf;

struct kql_query {
	const char	*query;		/* KQL text */
	const char	*timespan;	/* ISO-8601 duration or interval; NULL */
	long		 max_rows;	/* 0: no limit */
	long		 timeout_s;	/* 0: default */
};

/* Outcomes shared by both backends; each maps to an exit code. */
enum kql_status {
	KQL_OK = 0,
	KQL_SYNTAX = -1,	/* the query is wrong (EXIT_DATA) */
	KQL_AUTH = -2,		/* credentials (EXIT_AUTH) */
	KQL_NOTFOUND = -3,	/* workspace not found (EXIT_NOTFOUND) */
	KQL_UPSTREAM = -4,	/* service failed (EXIT_UPSTREAM) */
	KQL_FAIL = -5		/* anything else (EXIT_FAIL) */
};

/*
 * Runs q on the local workspace db (a SQLite file).  now_override, when not
 * NULL, is the workspace's "now" (ISO-8601).  On success *response is a new
 * reference in the shape above.  On failure err holds the whole message
 * (for a syntax error: what and where, line:column).
 */
enum kql_status local_query(const char *db, const struct kql_query *q,
	    const char *now_override, json_t **response, struct buf *err);

/* Writes the SQL that q translates to (for --sql).  KQL_OK or KQL_SYNTAX. */
enum kql_status local_translate(const struct kql_query *q, struct buf *sql,
	    struct buf *err);

/* "triage-kql import ...": argv[0] is "import".  Returns an exit code. */
int	 kql_import_main(int argc, char *argv[]);

#endif
