/*
 * azauth_stub: TEMPORARY.  lib/azauth.c lands with triage-kql's live
 * backend (issue #3); until then this says no credential is available, so
 * the Graph and Sentinel sources fail cleanly with EXIT_AUTH.  Delete this
 * file when lib/azauth.c is on main.
 */
#include <string.h>

#include "azauth.h"
#include "buf.h"

enum azauth_status
azauth_get_token(const char *scope, struct azauth_token *tok, struct buf *why)
{
	(void)scope;
	memset(tok, 0, sizeof(*tok));
	buf_adds(why, "Azure credentials are not implemented in this build\n");
	return AZAUTH_UNAVAILABLE;
}

void
azauth_token_release(struct azauth_token *tok)
{
	memset(tok, 0, sizeof(*tok));
}
