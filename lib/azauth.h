/*
 * azauth: Azure access tokens, found the way DefaultAzureCredential finds
 * them (azure-apis.md section A): environment service principal with a
 * client secret, workload identity (federated token file), managed
 * identity (App Service IDENTITY_ENDPOINT + IDENTITY_HEADER, else IMDS),
 * then the Azure CLI.  TRIAGE_AZURE_CREDENTIAL=env|workload|managed|cli
 * pins one.  Tokens are cached across processes under the cache directory
 * (mode 0600, keyed by tenant, client and scope) and refreshed when fewer
 * than five minutes remain.
 */
#ifndef TRIAGE_AZAUTH_H
#define TRIAGE_AZAUTH_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum azauth_status {
	AZAUTH_OK = 0,
	AZAUTH_UNAVAILABLE = -1,	/* no credential could be tried */
	AZAUTH_REJECTED = -2,		/* a credential was refused (401/400) */
	AZAUTH_UPSTREAM = -3		/* a token service failed or timed out */
};

struct azauth_token {
	char	*access_token;		/* a secret: never log it */
	int64_t	 expires_on;		/* epoch seconds */
	char	 credential[16];	/* "env", "workload", "managed", "cli" */
	int	 from_cache;
};

/*
 * A token for scope (e.g. "https://api.loganalytics.io/.default").
 * On failure, why receives a person-readable account of every credential
 * tried and why it was unavailable or failed (several lines), ending with
 * the quickest fix ("run 'az login'").
 */
enum azauth_status azauth_get_token(const char *scope, struct azauth_token *tok,
	    struct buf *why);

/*
 * Forgets the cached token that tok came from, after the service it was
 * sent to refused it (HTTP 401), so the next call fetches a fresh one.
 */
void	 azauth_forget(const char *scope, const struct azauth_token *tok);

/* Frees the token's contents (and wipes the secret). */
void	 azauth_token_release(struct azauth_token *tok);

#endif
