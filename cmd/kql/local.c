/*
 * local: placeholder until the local workspace (issue #4) lands.
 */
#include "backend.h"
#include "buf.h"

enum kql_status
local_query(const char *db, const struct kql_query *q,
    const char *now_override, json_t **response, struct buf *err)
{
	(void)db;
	(void)q;
	(void)now_override;
	*response = NULL;
	buf_adds(err, "local workspaces are not implemented yet (issue #4)");
	return KQL_FAIL;
}

enum kql_status
local_translate(const struct kql_query *q, struct buf *sql, struct buf *err)
{
	(void)q;
	(void)sql;
	buf_adds(err, "KQL translation is not implemented yet (issue #4)");
	return KQL_FAIL;
}
