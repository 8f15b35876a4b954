/*
 * exec: run KQL on a local workspace, a SQLite file written by
 * "triage-kql import".  The file is opened read-only, an authorizer
 * refuses anything but reading the workspace's tables and calling the
 * functions the translator uses, and the answer comes back shaped like a
 * Log Analytics query response, so the rest of triage cannot tell the
 * backends apart.
 *
 * A workspace holds, besides its tables:
 *   _kql_columns(tbl, ord, name, type, sqlname)  each table's columns
 *   _kql_meta(key, value)                        "now", "now_mode", ...
 */
#ifndef TRIAGE_KQL_EXEC_H
#define TRIAGE_KQL_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "kql/arena.h"
#include "kql/sql.h"

struct buf;

/* Result rows and bytes past which the answer is cut short with a
 * partial-result error, as Log Analytics does. */
#define KQL_EXEC_MAX_ROWS	500000
#define KQL_EXEC_MAX_BYTES	(64L * 1000 * 1000)

/* Seconds a query may run when the caller does not say (the Log
 * Analytics service's own default). */
#define KQL_EXEC_TIMEOUT_S	180

enum kql_exec_status {
	KQL_EXEC_OK = 0,
	KQL_EXEC_SYNTAX = -1,	/* the query is wrong or unsupported */
	KQL_EXEC_NOTFOUND = -3,	/* no such workspace file */
	KQL_EXEC_TIMEOUT = -4,	/* the query ran out of time */
	KQL_EXEC_FAIL = -5	/* anything else */
};

struct kql_exec_opts {
	/* the workspace's now; NULL: recorded */
	const char	*now;
	const char	*timespan;	/* ISO-8601 interval or duration */
	long		 max_rows;	/* 0: KQL_EXEC_MAX_ROWS */
	long		 timeout_s;	/* 0: KQL_EXEC_TIMEOUT_S */
	int		 raw;		/* cells as SQLite holds them (tests) */
};

/*
 * Runs query (len bytes) on the workspace at path.  On success
 * *response is a new reference to {"tables": [{"name": "PrimaryResult",
 * "columns": [...], "rows": [...]}]}, with "error" added when the rows
 * were cut short.  On failure err holds the message.
 */
enum kql_exec_status kql_exec(const char *path, const char *query,
	    size_t len, const struct kql_exec_opts *opts, json_t **response,
	    struct buf *err);

/*
 * Runs sql, a hand-written SELECT, on the same locked-down connection
 * (for tests that check translations against SQL written by hand, and
 * that prove the connection cannot write).  Rows come back raw.
 */
enum kql_exec_status kql_exec_sql(const char *path, const char *sql,
	    const struct kql_exec_opts *opts, json_t **response,
	    struct buf *err);

/*
 * The workspace's now, in ticks: override when given ("2024-05-01T10:00Z"
 * or "clock"), else what import recorded (a fixed time, or "clock" for
 * the real time), else the real time.  0 or -1 with err set.
 */
int	 kql_workspace_now(sqlite3 *db, const char *override, int64_t *now,
	    struct buf *err);

/* A catalog of the workspace's tables (for kql_translate), read from db
 * into a.  0 or -1. */
struct kql_wscat;
int	 kql_wscat_load(sqlite3 *db, struct kql_arena *a,
	    struct kql_catalog *cat);

#endif
