/*
 * rpc: the JSON-RPC 2.0 envelopes triage-mcp sends.  A reply carries the
 * request's id unchanged; an error about a message whose id could not be
 * read carries null, as JSON-RPC 2.0 says.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonx.h"
#include "mcp.h"

int
rpc_id_ok(const json_t *v)
{
	return json_is_string(v) || json_is_integer(v);
}

json_t *
rpc_result(const json_t *id, json_t *result)
{
	if (result == NULL)
		return NULL;
	return json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id",
	    (json_t *)id, "result", result);
}

json_t *
rpc_error(const json_t *id, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Cut at the buffer's end, a message may stop inside a UTF-8
	 * sequence, which jansson would refuse as a string. */
	return json_pack("{s:s,s:O,s:{s:i,s:o}}", "jsonrpc", "2.0", "id",
	    id != NULL ? (json_t *)id : json_null(), "error", "code", code,
	    "message", jx_string_lossy(msg, strlen(msg)));
}
