/*
 * catalog: table schemas from a directory of JSON files, one per table
 * (data/tables/SecurityIncident.json: {"table": "...", "columns":
 * [{"name": "...", "type": "..."}]}).  The import uses them to type known
 * Sentinel tables; "--sql" translates against them when no workspace is
 * open.
 */
#ifndef TRIAGE_KQL_CATALOG_H
#define TRIAGE_KQL_CATALOG_H

#include <jansson.h>

#include "kql/arena.h"
#include "kql/sql.h"

/*
 * A catalog over dir (kept, not copied).  Tables without a file are
 * open (their columns are found as used) when open_unknown is set.
 */
void	 kql_dircat_init(struct kql_catalog *cat, const char *dir,
	    int open_unknown);

/*
 * Loads dir/table.json.  Returns a new reference to its "columns"
 * array, or NULL when there is no such file (or it is malformed: err,
 * when not NULL, then says why).
 */
json_t	*kql_dircat_columns(const char *dir, const char *table, char *err,
	    size_t errsz);

/* Is s a table name a workspace may hold ([A-Za-z_][A-Za-z0-9_]*, not
 * starting with "sqlite_" or "_kql")? */
int	 kql_table_name_ok(const char *s);

#endif
