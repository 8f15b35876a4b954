/*
 * live: the Azure Log Analytics backend of triage-kql (issue #3).  It sits
 * beside the declarations in backend.h, which belong to both backends.
 */
#ifndef TRIAGE_KQL_LIVE_H
#define TRIAGE_KQL_LIVE_H

#include <jansson.h>

#include "backend.h"

struct buf;
struct raw_response;

/*
 * Runs q on the workspace whose id (the GUID, customerId) is workspace,
 * through the query API at TRIAGE_LOGANALYTICS_URL (default
 * https://api.loganalytics.io) with a token from azauth.  On success
 * response holds the answer, read in place (rawresp.h; a 204 gives no
 * tables): release it with raw_response_release.  On failure err holds
 * the whole message, the API's error chain included, and *detail (when
 * not NULL) the API's error object as a new reference, or NULL.
 */
enum kql_status live_query(const char *workspace, const struct kql_query *q,
	    struct raw_response *response, struct buf *err, json_t **detail);

/* Frees what the backend keeps between queries. */
void	 live_release(void);

/* Nonzero when id has the form of a workspace id (a GUID). */
int	 live_valid_workspace(const char *id);

#endif
