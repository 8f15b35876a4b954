/*
 * local: the local-workspace backend of triage-kql.  Queries run through
 * lib/kql (translation to SQL over a read-only SQLite connection); --sql
 * translates against the bundled table schemas (data/tables), treating
 * tables it does not know as having whatever columns the query uses.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "buf.h"
#include "kql/catalog.h"
#include "kql/exec.h"
#include "kql/sql.h"
#include "paths.h"

enum kql_status
local_query(const char *db, const struct kql_query *q,
    const char *now_override, json_t **response, struct buf *err)
{
	struct kql_exec_opts o;

	memset(&o, 0, sizeof(o));
	o.now = now_override;
	o.timespan = q->timespan;
	/*
	 * q->max_rows is not the engine's cap: the output caps the rows it
	 * writes and reports the true total, as for the live backend.  The
	 * engine keeps its own safety cap (a PartialError past it).
	 */
	o.timeout_s = q->timeout_s;
	switch (kql_exec(db, q->query, strlen(q->query), &o, response, err)) {
	case KQL_EXEC_OK:
		return KQL_OK;
	case KQL_EXEC_SYNTAX:
		return KQL_SYNTAX;
	case KQL_EXEC_NOTFOUND:
		return KQL_NOTFOUND;
	case KQL_EXEC_TIMEOUT:
		/* as the service's 504: the query engine gave up (exit 4) */
		return KQL_UPSTREAM;
	default:
		return KQL_FAIL;
	}
}

enum kql_status
local_translate(const struct kql_query *q, struct buf *sql, struct buf *err)
{
	struct kql_arena a;
	struct kql_catalog cat;
	struct kql_sql out;
	char dir[4096], msg[512], *slash;
	size_t i;
	enum kql_status st = KQL_OK;

	dir[0] = '\0';
	if (paths_data_file("data/tables/SecurityIncident.json", dir,
	    sizeof(dir)) == 0 && (slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	kql_dircat_init(&cat, dir[0] != '\0' ? dir : NULL, 1);
	kql_arena_init(&a, 256 * 1024 * 1024);
	if (kql_compile(&a, q->query, strlen(q->query), &cat, NULL, &out, msg,
	    sizeof(msg)) == -1) {
		buf_adds(err, msg);
		st = KQL_SYNTAX;
		goto out;
	}
	buf_adds(sql, out.sql);
	buf_adds(sql, ";\n");
	/* The bound values, one comment line each. */
	for (i = 0; i < out.nparams; i++) {
		const struct kql_param_value *p = &out.params[i];

		buf_printf(sql, "-- ?%zu = ", i + 1);
		if (p->kind == KQL_P_TEXT)
			buf_add_json_string(sql, p->text, p->len);
		else if (p->kind == KQL_P_INT)
			buf_printf(sql, "%lld", (long long)p->ival);
		else
			buf_printf(sql, "%.17g", p->rval);
		buf_addc(sql, '\n');
	}
	if (buf_failed(sql)) {
		buf_adds(err, "out of memory");
		st = KQL_FAIL;
	}
out:
	kql_arena_release(&a);
	return st;
}
