/*
 * azauth: the Azure credential chain (azure-apis.md A), with a token cache
 * shared by every process of the same user.
 *
 * Each credential is first asked whether its inputs are there at all
 * (variables set, az on PATH); one that is not configured costs nothing
 * and is reported as such.  A configured one looks in the cache, then,
 * holding a lock on its cache entry, looks again and fetches: so thirteen
 * queries started at once make one token request between them.  A fetch
 * that fails while the cached token is still valid keeps the old token.
 *
 * IMDS is the one link that cannot be known configured without asking
 * the network: it is probed with a short timeout, as the SDK does, and a
 * failed probe is remembered for ten minutes so a laptop does not pay
 * for it on every query.
 *
 * Secrets (client secret, federated assertion, IDENTITY_HEADER, tokens)
 * go only into request bodies marked HTTP_SECRET_BODY and secret headers,
 * and buffers that held them are wiped.  Messages are built from what
 * services say, with any secret we know scrubbed out.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "azauth.h"
#include "buf.h"
#include "cache.h"
#include "config.h"
#include "file.h"
#include "http.h"
#include "log.h"
#include "proc.h"

#define REFRESH_MARGIN_S	300	/* refresh with less than this left */
#define STILL_USABLE_S		30	/* an old token is kept this close */
#define IMDS_ABSENT_TTL_S	600	/* a failed IMDS probe is trusted */
#define IMDS_PROBE_CONNECT_MS	1000
#define IMDS_PROBE_TOTAL_MS	2000
#define CLI_TIMEOUT_S		10
#define MAX_TOKEN_FILE		(64u * 1024)
#define MAX_CACHE_FILE		(64u * 1024)

extern char **environ;

enum cred {
	C_ENV,
	C_WORKLOAD,
	C_MANAGED,
	C_CLI,
	C_COUNT
};

static const char *const cred_names[C_COUNT] = {
	"env", "workload", "managed", "cli"
};

/* What one credential would use, when it is configured. */
struct plan {
	enum cred	 cred;
	const char	*scope;
	char		*resource;	/* scope without "/.default" */
	char		 base[512];	/* authority, identity endpoint or
					   IMDS address */
	const char	*tenant;
	const char	*client;
	const char	*secret;	/* env: the client secret */
	const char	*token_file;	/* workload */
	const char	*identity_header;	/* managed: App Service */
	int		 app_service;
	char		 az[PATH_MAX];	/* cli: the az found on PATH */
	struct buf	 key;		/* the cache key */
};

/* A token fetched or read back. */
struct fetched {
	char	*token;
	int64_t	 expires_on;
};

static void
wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		explicit_bzero(p, n);
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		wipe(s, strlen(s));
		free(s);
	}
}

static uint64_t cli_profile(void);

static uint64_t
fnv1a64(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Replaces every occurrence of secret in b with "***". */
static void
scrub(struct buf *b, const char *secret)
{
	size_t n, i;
	char *hit;

	if (secret == NULL || (n = strlen(secret)) < 4 || b->data == NULL)
		return;
	while ((hit = strstr(b->data, secret)) != NULL) {
		i = (size_t)(hit - b->data);
		memcpy(hit, "***", 3);
		memmove(hit + 3, hit + n, b->len - i - n + 1);
		b->len -= n - 3;
	}
}

/*
 * Appends text from a service to a one-line note: control characters
 * become spaces and it is cut at max bytes, so a hostile or chatty answer
 * cannot fill a terminal or forge lines.
 */
static void
add_clean(struct buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i < max; i++)
		buf_addc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    ' ' : s[i]);
	if (s != NULL && s[i] != '\0')
		buf_adds(b, "...");
}

/* The first line of s, cleaned, into b. */
static void
add_first_line(struct buf *b, const char *s, size_t max)
{
	size_t n;
	char *line;

	if (s == NULL)
		return;
	n = strcspn(s, "\r\n");
	line = strndup(s, n < max ? n : max);
	if (line == NULL)
		return;
	add_clean(b, line, max);
	if (n > max)
		buf_adds(b, "...");
	free(line);
}

static int
valid_tenant(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0'; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '.' ||
		    t[i] == '-'))
			return 0;
	return i > 0 && i < 200;
}

/*
 * The authority as a URL without a trailing slash: AZURE_AUTHORITY_HOST
 * (a host or an https URL; plain http only on loopback, for tests), else
 * login.microsoftonline.com.  0, or -1 with a note.
 */
static int
authority_url(char *out, size_t outsz, struct buf *note)
{
	const char *h = config_get("AZURE_AUTHORITY_HOST");
	size_t n;

	if (h == NULL)
		h = "login.microsoftonline.com";
	while (*h == ' ')
		h++;
	if (strstr(h, "://") != NULL)
		snprintf(out, outsz, "%s", h);
	else
		snprintf(out, outsz, "https://%s", h);
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '/' || out[n - 1] == ' '))
		out[--n] = '\0';
	if (strncmp(out, "https://", 8) == 0 && n > 8)
		return 0;
	if (strncmp(out, "http://", 7) == 0 && http_url_is_loopback(out))
		return 0;
	buf_adds(note, "AZURE_AUTHORITY_HOST '");
	add_clean(note, h, 200);
	buf_adds(note, "' is not an https URL");
	return -1;
}

/* Looks for an executable name on PATH.  0 with out set, or -1. */
static int
find_on_path(const char *name, char *out, size_t outsz)
{
	const char *path = getenv("PATH"), *p, *colon;
	size_t n;

	if (path == NULL)
		path = "/usr/bin:/bin";
	for (p = path; ; p = colon + 1) {
		colon = strchr(p, ':');
		n = colon != NULL ? (size_t)(colon - p) : strlen(p);
		if (n == 0)
			snprintf(out, outsz, "./%s", name);
		else
			snprintf(out, outsz, "%.*s/%s", (int)n, p, name);
		if (access(out, X_OK) == 0)
			return 0;
		if (colon == NULL)
			return -1;
	}
}

static void
plan_release(struct plan *p)
{
	free(p->resource);
	buf_release(&p->key);
}

/*
 * Works out whether credential c is configured.  0 with p filled in, or
 * -1 with a note saying what is missing.
 */
static int
plan_make(enum cred c, const char *scope, struct plan *p, struct buf *note)
{
	const char *imds, *sfx = "/.default";
	size_t n;

	memset(p, 0, sizeof(*p));
	buf_init(&p->key);
	p->cred = c;
	p->scope = scope;
	n = strlen(scope);
	if (n > strlen(sfx) && strcmp(scope + n - strlen(sfx), sfx) == 0)
		n -= strlen(sfx);
	p->resource = strndup(scope, n);
	if (p->resource == NULL) {
		buf_adds(note, "out of memory");
		return -1;
	}
	p->tenant = config_get("AZURE_TENANT_ID");
	p->client = config_get("AZURE_CLIENT_ID");
	switch (c) {
	case C_ENV:
		p->secret = config_get("AZURE_CLIENT_SECRET");
		if (p->tenant == NULL || p->client == NULL ||
		    p->secret == NULL) {
			if (config_get("AZURE_CLIENT_CERTIFICATE_PATH") !=
			    NULL && p->secret == NULL)
				buf_adds(note, "certificate credentials "
				    "(AZURE_CLIENT_CERTIFICATE_PATH) are not "
				    "supported; use AZURE_CLIENT_SECRET");
			else
				buf_printf(note, "not configured (%s%s%sunset)",
				    p->tenant == NULL ? "AZURE_TENANT_ID " : "",
				    p->client == NULL ? "AZURE_CLIENT_ID " : "",
				    p->secret == NULL ?
				    "AZURE_CLIENT_SECRET " : "");
			return -1;
		}
		break;
	case C_WORKLOAD:
		p->token_file = config_get("AZURE_FEDERATED_TOKEN_FILE");
		if (p->token_file == NULL || p->tenant == NULL ||
		    p->client == NULL) {
			buf_printf(note, "not configured (%s%s%sunset)",
			    p->token_file == NULL ?
			    "AZURE_FEDERATED_TOKEN_FILE " : "",
			    p->tenant == NULL ? "AZURE_TENANT_ID " : "",
			    p->client == NULL ? "AZURE_CLIENT_ID " : "");
			return -1;
		}
		break;
	case C_MANAGED:
		p->tenant = NULL;
		if (config_get("IDENTITY_ENDPOINT") != NULL &&
		    config_get("IDENTITY_HEADER") != NULL) {
			p->app_service = 1;
			p->identity_header = config_get("IDENTITY_HEADER");
			snprintf(p->base, sizeof(p->base), "%s",
			    config_get("IDENTITY_ENDPOINT"));
		} else {
			imds = config_get("TRIAGE_IMDS_URL");
			if (imds == NULL)
				imds = config_get(
				    "AZURE_POD_IDENTITY_AUTHORITY_HOST");
			if (imds == NULL)
				imds = "http://169.254.169.254";
			snprintf(p->base, sizeof(p->base), "%s", imds);
			n = strlen(p->base);
			while (n > 0 && p->base[n - 1] == '/')
				p->base[--n] = '\0';
		}
		break;
	case C_CLI:
		p->client = NULL;
		if (find_on_path("az", p->az, sizeof(p->az)) == -1) {
			buf_adds(note, "the Azure CLI ('az') is not on PATH");
			return -1;
		}
		break;
	default:
		return -1;
	}
	if ((c == C_ENV || c == C_WORKLOAD) && !valid_tenant(p->tenant)) {
		buf_adds(note, "AZURE_TENANT_ID '");
		add_clean(note, p->tenant, 100);
		buf_adds(note, "' is not a tenant id or domain");
		return -1;
	}
	if ((c == C_ENV || c == C_WORKLOAD) &&
	    authority_url(p->base, sizeof(p->base), note) == -1)
		return -1;
	/* Everything that decides which token comes back. */
	buf_printf(&p->key, "v1\n%s\n%s\n%s\n%s\n%s\n%s", cred_names[c],
	    p->app_service ? "appservice" : "", p->base,
	    p->tenant != NULL ? p->tenant : "",
	    p->client != NULL ? p->client : "", scope);
	if (c == C_CLI)
		buf_printf(&p->key, "\n%016llx",
		    (unsigned long long)cli_profile());
	return buf_failed(&p->key) ? -1 : 0;
}

/*
 * Which account az is logged in as, for the cache key: a fingerprint of
 * its azureProfile.json (the accounts and the default subscription; no
 * tokens), so that "az login" as someone else, or "az account set", is a
 * new key rather than the last account's token.  0 when there is none.
 */
static uint64_t
cli_profile(void)
{
	const char *dir = getenv("AZURE_CONFIG_DIR");
	const char *home = getenv("HOME");
	char path[PATH_MAX], *data = NULL;
	size_t len = 0;
	uint64_t h = 0;
	int n;

	if (dir != NULL && *dir != '\0')
		n = snprintf(path, sizeof(path), "%s/azureProfile.json", dir);
	else if (home != NULL && *home != '\0')
		n = snprintf(path, sizeof(path), "%s/.azure/azureProfile.json",
		    home);
	else
		return 0;
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if (file_read(path, 4u << 20, &data, &len) == 0)
		h = fnv1a64(data, len);
	free(data);
	return h;
}

/* The cache file for a key, with suffix (".json", ".lock").  0 or -1. */
static int
cache_path(const char *key, const char *suffix, char *out, size_t outsz)
{
	char dir[PATH_MAX];
	struct stat st;
	int n;

	if (cache_dir("tokens", dir, sizeof(dir)) == -1)
		return -1;
	/* Tokens are secrets: the directory is ours alone. */
	if (stat(dir, &st) == 0 && (st.st_mode & 077) != 0)
		(void)chmod(dir, 0700);
	n = snprintf(out, outsz, "%s/az-%016llx%s", dir,
	    (unsigned long long)fnv1a64(key, strlen(key)), suffix);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* Reads the cached token for key.  0 with f set, or -1. */
static int
cache_read(const char *key, struct fetched *f, char *cred, size_t credsz)
{
	char path[PATH_MAX];
	struct stat st;
	json_t *root;
	char *data = NULL;
	size_t len = 0;
	const char *tok, *k, *c;
	int rc = -1;

	f->token = NULL;
	if (cache_path(key, ".json", path, sizeof(path)) == -1 ||
	    lstat(path, &st) == -1)
		return -1;
	/* Ours, a plain file, unreadable to others, or not trusted. */
	if (!S_ISREG(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077) != 0)
		return -1;
	if (file_read(path, MAX_CACHE_FILE, &data, &len) == -1)
		return -1;
	root = json_loadb(data, len, 0, NULL);
	wipe(data, len);
	free(data);
	k = json_string_value(json_object_get(root, "key"));
	tok = json_string_value(json_object_get(root, "access_token"));
	c = json_string_value(json_object_get(root, "credential"));
	if (k != NULL && strcmp(k, key) == 0 && tok != NULL && *tok != '\0' &&
	    json_is_integer(json_object_get(root, "expires_on"))) {
		f->token = strdup(tok);
		f->expires_on = json_integer_value(json_object_get(root,
		    "expires_on"));
		snprintf(cred, credsz, "%s", c != NULL ? c : "");
		rc = f->token != NULL ? 0 : -1;
	}
	if (tok != NULL)
		wipe((char *)tok, strlen(tok));
	json_decref(root);
	return rc;
}

static void
cache_write(const char *key, const char *cred, const struct fetched *f)
{
	char path[PATH_MAX];
	json_t *root;
	char *text;

	if (cache_path(key, ".json", path, sizeof(path)) == -1)
		return;
	root = json_pack("{s:s,s:s,s:s,s:I}", "key", key, "credential", cred,
	    "access_token", f->token, "expires_on", (json_int_t)f->expires_on);
	text = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
	if (text != NULL && file_write_atomic(path, text, strlen(text),
	    0600) == -1)
		log_debug("azauth: cannot write the token cache: %s",
		    strerror(errno));
	wipe_free(text);
	if (root != NULL)
		wipe((char *)json_string_value(json_object_get(root,
		    "access_token")), strlen(f->token));
	json_decref(root);
}

static void
cache_remove(const char *key)
{
	char path[PATH_MAX];

	if (cache_path(key, ".json", path, sizeof(path)) == 0)
		(void)unlink(path);
}

/* An integer given as a JSON number or a string of digits; -1 if not. */
static int64_t
number_field(const json_t *v)
{
	const char *s;
	char *end;
	long long n;

	if (json_is_integer(v))
		return json_integer_value(v);
	/* A real out of range cannot be converted (undefined behaviour). */
	if (json_is_real(v))
		return json_real_value(v) > -1e18 && json_real_value(v) < 1e18 ?
		    (int64_t)json_real_value(v) : -1;
	s = json_string_value(v);
	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		return -1;
	return n;
}

/*
 * Reads an OAuth token answer: access_token and expires_on (epoch
 * seconds) or expires_in (seconds from asked).  0, or -1 with a note.
 */
static int
token_answer(const char *body, size_t len, time_t asked, struct fetched *f,
    struct buf *note)
{
	json_t *root;
	const char *tok;
	int64_t on, in;
	int rc = -1;

	root = json_loadb(body, len, 0, NULL);
	tok = json_string_value(json_object_get(root, "access_token"));
	on = number_field(json_object_get(root, "expires_on"));
	in = number_field(json_object_get(root, "expires_in"));
	if (tok == NULL || *tok == '\0')
		buf_adds(note, "the answer holds no access_token");
	else if (on <= 0 && in <= 0)
		buf_adds(note, "the answer says nothing of when the token "
		    "expires");
	else {
		f->token = strdup(tok);
		/* A lifetime past the end of time is as good as forever. */
		f->expires_on = on > 0 ? on : in > INT64_MAX - (int64_t)asked ?
		    INT64_MAX : (int64_t)asked + in;
		rc = f->token != NULL ? 0 : -1;
	}
	if (tok != NULL)
		wipe((char *)tok, strlen(tok));
	json_decref(root);
	return rc;
}

/* "error: description" of an Entra or IMDS error answer, into note. */
static void
oauth_error(const struct http_response *res, struct buf *note)
{
	json_t *root;
	const char *e, *d;

	root = json_loadb(res->body, res->len, 0, NULL);
	e = json_string_value(json_object_get(root, "error"));
	d = json_string_value(json_object_get(root, "error_description"));
	if (e == NULL && json_is_object(json_object_get(root, "error"))) {
		/* Some services answer {"error":{"code","message"}}. */
		e = json_string_value(json_object_get(json_object_get(root,
		    "error"), "code"));
		d = json_string_value(json_object_get(json_object_get(root,
		    "error"), "message"));
	}
	buf_printf(note, "HTTP %ld", res->status);
	if (e != NULL) {
		buf_adds(note, ": ");
		add_clean(note, e, 100);
	}
	if (d != NULL) {
		buf_adds(note, e != NULL ? " (" : ": ");
		add_first_line(note, d, 300);
		if (e != NULL)
			buf_addc(note, ')');
	}
	json_decref(root);
}

/*
 * Sends a token request and reads the answer.  Maps a refusal (4xx) to
 * AZAUTH_REJECTED and a failure to answer to AZAUTH_UPSTREAM.
 */
static enum azauth_status
token_exchange(const struct http_request *req, const char *what,
    struct fetched *f, struct buf *note, long *status)
{
	struct http_response res;
	enum azauth_status st;
	time_t asked = time(NULL);

	memset(&res, 0, sizeof(res));
	if (http_send(req, &res) == -1) {
		buf_printf(note, "%s did not answer: ", what);
		add_clean(note, res.error, 300);
		st = res.refused ? AZAUTH_UNAVAILABLE : AZAUTH_UPSTREAM;
	} else if (res.status == 200) {
		st = AZAUTH_OK;
		if (token_answer(res.body, res.len, asked, f, note) == -1) {
			buf_printf(note, " (from %s)", what);
			st = AZAUTH_UPSTREAM;
		}
	} else {
		buf_printf(note, "%s refused: ", what);
		oauth_error(&res, note);
		st = res.status >= 400 && res.status < 500 &&
		    res.status != 429 ? AZAUTH_REJECTED : AZAUTH_UPSTREAM;
		if (res.error[0] != '\0' && res.attempts > 1)
			buf_printf(note, " after %d attempts", res.attempts);
	}
	if (status != NULL)
		*status = res.status;
	wipe(res.body, res.len);
	http_response_release(&res);
	return st;
}

/* Client credentials at the Entra token endpoint (A.2). */
static enum azauth_status
fetch_entra(const struct plan *p, const char *assertion, struct fetched *f,
    struct buf *note)
{
	static const char *const headers[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json",
		NULL
	};
	struct http_request req;
	struct buf url, body;
	char *id, *scope, *secret;
	enum azauth_status st;

	buf_init(&url);
	buf_init(&body);
	buf_printf(&url, "%s/%s/oauth2/v2.0/token", p->base, p->tenant);
	id = http_form_escape(p->client);
	scope = http_form_escape(p->scope);
	secret = http_form_escape(assertion != NULL ? assertion : p->secret);
	buf_printf(&body, "grant_type=client_credentials&client_id=%s&"
	    "scope=%s&", id != NULL ? id : "", scope != NULL ? scope : "");
	if (assertion != NULL)
		buf_printf(&body, "client_assertion_type=urn%%3Aietf%%3Aparams"
		    "%%3Aoauth%%3Aclient-assertion-type%%3Ajwt-bearer&"
		    "client_assertion=%s", secret != NULL ? secret : "");
	else
		buf_printf(&body, "client_secret=%s",
		    secret != NULL ? secret : "");
	free(id);
	free(scope);
	wipe_free(secret);
	if (buf_failed(&url) || buf_failed(&body)) {
		buf_adds(note, "out of memory");
		st = AZAUTH_UPSTREAM;
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.url = buf_str(&url);
	req.headers = headers;
	req.body = buf_str(&body);
	req.body_len = body.len;
	req.flags = HTTP_SECRET_BODY;
	st = token_exchange(&req, "the token endpoint", f, note, NULL);
out:
	wipe(body.data, body.len);
	buf_release(&body);
	buf_release(&url);
	return st;
}

/* Workload identity: the federated token file is the assertion (A.4). */
static enum azauth_status
fetch_workload(const struct plan *p, struct fetched *f, struct buf *note)
{
	enum azauth_status st;
	char *data = NULL;
	size_t len = 0;

	if (file_read(p->token_file, MAX_TOKEN_FILE, &data, &len) == -1) {
		buf_adds(note, "cannot read AZURE_FEDERATED_TOKEN_FILE '");
		add_clean(note, p->token_file, 200);
		buf_printf(note, "': %s", strerror(errno));
		return AZAUTH_UNAVAILABLE;
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
	    data[len - 1] == ' '))
		data[--len] = '\0';
	if (len == 0 || strlen(data) != len) {
		buf_adds(note, "AZURE_FEDERATED_TOKEN_FILE holds no token");
		st = AZAUTH_UNAVAILABLE;
	} else
		st = fetch_entra(p, data, f, note);
	wipe(data, len);
	free(data);
	return st;
}

/* The managed identity URL for resource at base, with the API version. */
static char *
managed_url(const struct plan *p, const char *api_version)
{
	struct buf url;
	char *res, *cid = NULL;

	buf_init(&url);
	res = http_form_escape(p->resource);
	if (p->client != NULL)
		cid = http_form_escape(p->client);
	if (p->app_service)
		buf_printf(&url, "%s%sapi-version=%s&resource=%s", p->base,
		    strchr(p->base, '?') != NULL ? "&" : "?", api_version,
		    res != NULL ? res : "");
	else
		buf_printf(&url, "%s/metadata/identity/oauth2/token?"
		    "api-version=%s&resource=%s", p->base, api_version,
		    res != NULL ? res : "");
	if (cid != NULL)
		buf_printf(&url, "&client_id=%s", cid);
	free(res);
	free(cid);
	return buf_steal(&url);
}

static int
imds_absent_path(const struct plan *p, char *out, size_t outsz)
{
	return cache_path(p->base, ".imds-absent", out, outsz);
}

/*
 * Whether IMDS answers at all: the SDK's probe, a GET without the
 * Metadata header and with a short timeout.  Any HTTP answer will do.
 */
static int
imds_probe(const struct plan *p, const char *url, struct buf *note)
{
	struct http_request req;
	struct http_response res;
	char path[PATH_MAX];
	struct stat st;
	int up;

	if (imds_absent_path(p, path, sizeof(path)) == 0 &&
	    stat(path, &st) == 0 &&
	    time(NULL) - st.st_mtime < IMDS_ABSENT_TTL_S &&
	    time(NULL) >= st.st_mtime) {
		buf_printf(note, "no managed identity endpoint at %s (a "
		    "probe found none in the last %d minutes)", p->base,
		    IMDS_ABSENT_TTL_S / 60);
		return 0;
	}
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.url = url;
	req.flags = HTTP_NO_RETRY;
	req.connect_timeout_ms = IMDS_PROBE_CONNECT_MS;
	req.timeout_ms = IMDS_PROBE_TOTAL_MS;
	req.max_response = 64 * 1024;
	up = http_send(&req, &res) == 0 && res.status > 0;
	if (!up) {
		buf_printf(note, "no managed identity endpoint at %s (%s)",
		    p->base, http_describe(&res));
		if (imds_absent_path(p, path, sizeof(path)) == 0)
			(void)file_write_atomic(path, "", 0, 0600);
	}
	wipe(res.body, res.len);
	http_response_release(&res);
	return up;
}

/* Managed identity: App Service's endpoint, else IMDS (A.5). */
static enum azauth_status
fetch_managed(const struct plan *p, int probe, struct fetched *f,
    struct buf *note)
{
	static const char *const imds_headers[] = {
		"Metadata: true", "Accept: application/json", NULL
	};
	const char *headers[3] = { NULL, "Accept: application/json", NULL };
	struct http_request req;
	struct buf hdr;
	enum azauth_status st;
	char *url;
	char path[PATH_MAX];
	long status = 0;

	url = managed_url(p, p->app_service ? "2019-08-01" : "2018-02-01");
	if (url == NULL) {
		buf_adds(note, "out of memory");
		return AZAUTH_UPSTREAM;
	}
	memset(&req, 0, sizeof(req));
	req.url = url;
	buf_init(&hdr);
	if (p->app_service) {
		buf_printf(&hdr, "X-IDENTITY-HEADER: %s", p->identity_header);
		headers[0] = buf_str(&hdr);
		req.headers = headers;
		st = token_exchange(&req, "the App Service identity endpoint",
		    f, note, NULL);
	} else if (probe && !imds_probe(p, url, note)) {
		st = AZAUTH_UNAVAILABLE;
	} else {
		if (imds_absent_path(p, path, sizeof(path)) == 0)
			(void)unlink(path);
		req.headers = imds_headers;
		st = token_exchange(&req, "IMDS", f, note, &status);
		/* IMDS answers 400 when no identity is assigned. */
		if (status == 400) {
			buf_adds(note, "; no managed identity is assigned to "
			    "this machine");
			st = AZAUTH_UNAVAILABLE;
		}
	}
	wipe(hdr.data, hdr.len);
	buf_release(&hdr);
	free(url);
	return st;
}

/* expiresOn from older CLIs: a local time "2023-10-31 21:59:10.000000". */
static int64_t
cli_local_time(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, sec;
	time_t t;

	if (s == NULL || sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi,
	    &sec) != 6)
		return -1;
	/* Nothing near INT_MIN or INT_MAX reaches the arithmetic below. */
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 61)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

/* The environment for az: ours plus AZURE_CORE_NO_COLOR=true. */
static char **
cli_env(void)
{
	size_t n = 0, i, j = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (env == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "AZURE_CORE_NO_COLOR=", 20) != 0)
			env[j++] = environ[i];
	env[j++] = (char *)"AZURE_CORE_NO_COLOR=true";
	env[j] = NULL;
	return env;
}

/* What az said on stderr, made safe: one line, no token in it. */
static void
cli_stderr(const struct proc_result *r, struct buf *note)
{
	const char *s = r->err, *line = NULL, *p;

	if (r->err_len == 0) {
		buf_printf(note, "az exited with status %d", r->status);
		return;
	}
	if (strstr(s, "ccessToken") != NULL || strstr(s, "eyJ") != NULL) {
		buf_printf(note, "az exited with status %d (its message is "
		    "withheld: it may hold a token)", r->status);
		return;
	}
	/* The "ERROR: ..." line says most; else the first line. */
	for (p = s; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, "ERROR:", 6) == 0) {
			line = p;
			break;
		}
	}
	buf_printf(note, "az exited with status %d: ", r->status);
	add_first_line(note, line != NULL ? line : s, 300);
}

/* The Azure CLI (A.6): az account get-access-token, no shell. */
static enum azauth_status
fetch_cli(const struct plan *p, struct fetched *f, struct buf *note)
{
	const char *argv[] = { p->az, "account", "get-access-token",
		"--output", "json", "--resource", p->resource, NULL, NULL,
		NULL };
	struct proc_spec spec;
	struct proc_result r;
	enum azauth_status st = AZAUTH_UNAVAILABLE;
	json_t *root = NULL;
	const char *tok;
	int64_t on;
	char **env;
	long timeout_s;

	/* AZURE_TENANT_ID names the tenant the token is for, as for the
	 * other credentials (and as the cache key says) */
	if (p->tenant != NULL && valid_tenant(p->tenant)) {
		argv[7] = "--tenant";
		argv[8] = p->tenant;
	}
	timeout_s = config_get_long("TRIAGE_AZ_TIMEOUT", CLI_TIMEOUT_S);
	if (timeout_s <= 0)
		timeout_s = CLI_TIMEOUT_S;
	env = cli_env();
	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.timeout_ms = timeout_s * 1000;
	spec.max_out = 1u << 20;
	spec.max_err = 64u * 1024;
	spec.envp = env;
	memset(&r, 0, sizeof(r));
	if (proc_run_spec(&spec, &r) == -1) {
		buf_adds(note, "cannot run az: ");
		add_clean(note, r.error, 200);
		goto out;
	}
	if (r.timed_out) {
		buf_printf(note, "az did not answer within %ld s", timeout_s);
		goto out;
	}
	if (r.status == 127) {
		buf_adds(note, "the Azure CLI could not be started (exit 127)");
		goto out;
	}
	if (r.status != 0) {
		if ((strstr(r.err, "az login") != NULL ||
		    strstr(r.err, "az account set") != NULL) &&
		    strstr(r.err, "AADSTS") == NULL)
			buf_adds(note, "not logged in (az says to run "
			    "'az login')");
		else {
			cli_stderr(&r, note);
			st = strstr(r.err, "AADSTS") != NULL ?
			    AZAUTH_REJECTED : AZAUTH_UNAVAILABLE;
		}
		goto out;
	}
	root = json_loadb(r.out, r.out_len, 0, NULL);
	tok = json_string_value(json_object_get(root, "accessToken"));
	on = number_field(json_object_get(root, "expires_on"));
	if (on <= 0)
		on = cli_local_time(json_string_value(json_object_get(root,
		    "expiresOn")));
	if (tok == NULL || *tok == '\0' || on <= 0) {
		buf_adds(note, "unexpected output from az account "
		    "get-access-token (no accessToken, or no expires_on or "
		    "expiresOn)");
		st = AZAUTH_UPSTREAM;
	} else {
		f->token = strdup(tok);
		f->expires_on = on;
		st = f->token != NULL ? AZAUTH_OK : AZAUTH_UPSTREAM;
	}
	if (tok != NULL)
		wipe((char *)tok, strlen(tok));
out:
	json_decref(root);
	wipe(r.out, r.out_len);
	proc_result_release(&r);
	free(env);
	return st;
}

static enum azauth_status
fetch(const struct plan *p, int probe, struct fetched *f, struct buf *note)
{
	switch (p->cred) {
	case C_ENV:
		return fetch_entra(p, NULL, f, note);
	case C_WORKLOAD:
		return fetch_workload(p, f, note);
	case C_MANAGED:
		return fetch_managed(p, probe, f, note);
	case C_CLI:
		return fetch_cli(p, f, note);
	default:
		return AZAUTH_UNAVAILABLE;
	}
}

/* Moves f into tok. */
static void
give(struct azauth_token *tok, struct fetched *f, const char *cred,
    int from_cache)
{
	tok->access_token = f->token;
	tok->expires_on = f->expires_on;
	snprintf(tok->credential, sizeof(tok->credential), "%s", cred);
	tok->from_cache = from_cache;
	f->token = NULL;
}

/*
 * One credential: the cache, else (under its lock) the cache again and
 * a fetch.  note receives why it gave no token.
 */
static enum azauth_status
try_cred(const struct plan *p, int probe, struct azauth_token *tok,
    struct buf *note)
{
	struct fetched f = { NULL, 0 }, old = { NULL, 0 };
	char lock[PATH_MAX], cred[16];
	enum azauth_status st;
	int64_t now = (int64_t)time(NULL);
	int fd = -1;

	if (cache_read(buf_str(&p->key), &f, cred, sizeof(cred)) == 0) {
		if (f.expires_on - now > REFRESH_MARGIN_S) {
			give(tok, &f, cred_names[p->cred], 1);
			return AZAUTH_OK;
		}
		old = f;
		f.token = NULL;
	}
	if (cache_path(buf_str(&p->key), ".lock", lock, sizeof(lock)) == 0)
		fd = file_lock(lock, 1);
	/* Another process may have fetched while we waited. */
	if (fd != -1 && cache_read(buf_str(&p->key), &f, cred,
	    sizeof(cred)) == 0) {
		if (f.expires_on - (int64_t)time(NULL) > REFRESH_MARGIN_S) {
			file_unlock(fd);
			wipe_free(old.token);
			give(tok, &f, cred_names[p->cred], 1);
			return AZAUTH_OK;
		}
		wipe_free(f.token);
		f.token = NULL;
	}
	st = fetch(p, probe, &f, note);
	if (st == AZAUTH_OK) {
		cache_write(buf_str(&p->key), cred_names[p->cred], &f);
		give(tok, &f, cred_names[p->cred], 0);
	} else if (old.token != NULL &&
	    old.expires_on - (int64_t)time(NULL) > STILL_USABLE_S) {
		/* A failed refresh keeps the token that still works. */
		log_debug("azauth: %s: refresh failed, keeping the cached "
		    "token", cred_names[p->cred]);
		give(tok, &old, cred_names[p->cred], 1);
		st = AZAUTH_OK;
	}
	file_unlock(fd);
	wipe_free(old.token);
	wipe_free(f.token);
	return st;
}

static int
pinned_cred(const char *name)
{
	int c;

	for (c = 0; c < C_COUNT; c++)
		if (strcmp(name, cred_names[c]) == 0)
			return c;
	return -1;
}

/* Scrubs every secret a credential could have touched out of b. */
static void
scrub_all(struct buf *b)
{
	scrub(b, config_get("AZURE_CLIENT_SECRET"));
	scrub(b, config_get("IDENTITY_HEADER"));
}

enum azauth_status
azauth_get_token(const char *scope, struct azauth_token *tok,
    struct buf *why)
{
	const char *pin_name;
	struct buf notes, note;
	struct plan p;
	enum azauth_status st, worst = AZAUTH_UNAVAILABLE;
	int c, pin = -1;

	memset(tok, 0, sizeof(*tok));
	if (scope == NULL || *scope == '\0') {
		if (why != NULL)
			buf_adds(why, "no token scope was given");
		return AZAUTH_UNAVAILABLE;
	}
	pin_name = config_get("TRIAGE_AZURE_CREDENTIAL");
	if (pin_name != NULL && (pin = pinned_cred(pin_name)) == -1) {
		if (why != NULL) {
			buf_adds(why, "TRIAGE_AZURE_CREDENTIAL '");
			add_clean(why, pin_name, 40);
			buf_adds(why, "' is not one of env, workload, managed, "
			    "cli");
		}
		return AZAUTH_UNAVAILABLE;
	}
	buf_init(&notes);
	buf_init(&note);
	for (c = 0; c < C_COUNT; c++) {
		if (pin != -1 && c != pin)
			continue;
		buf_reset(&note);
		if (plan_make((enum cred)c, scope, &p, &note) == -1)
			st = AZAUTH_UNAVAILABLE;
		else
			st = try_cred(&p, pin == -1, tok, &note);
		plan_release(&p);
		if (st == AZAUTH_OK) {
			log_debug("azauth: token for %s from %s%s", scope,
			    cred_names[c], tok->from_cache ? " (cached)" : "");
			goto out;
		}
		if (st == AZAUTH_REJECTED || (st == AZAUTH_UPSTREAM &&
		    worst == AZAUTH_UNAVAILABLE))
			worst = st;
		buf_printf(&notes, "\n  %s: %s", cred_names[c], buf_str(&note));
	}
	st = worst;
	if (why != NULL) {
		if (pin != -1)
			buf_printf(why, "the %s credential "
			    "(TRIAGE_AZURE_CREDENTIAL=%s) got no token for %s:",
			    cred_names[pin], cred_names[pin], scope);
		else
			buf_printf(why, "no Azure credential got a token for "
			    "%s:", scope);
		buf_add(why, buf_str(&notes), notes.len);
		buf_adds(why, "\nthe quickest fix: run 'az login' (or set "
		    "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "
		    "for a service principal)");
		scrub_all(why);
	}
out:
	buf_release(&note);
	buf_release(&notes);
	return st;
}

void
azauth_forget(const char *scope, const struct azauth_token *tok)
{
	struct buf note;
	struct plan p;
	int c;

	if (scope == NULL || tok == NULL || (c = pinned_cred(tok->credential))
	    == -1)
		return;
	buf_init(&note);
	if (plan_make((enum cred)c, scope, &p, &note) == 0)
		cache_remove(buf_str(&p.key));
	plan_release(&p);
	buf_release(&note);
}

void
azauth_token_release(struct azauth_token *tok)
{
	wipe_free(tok->access_token);
	tok->access_token = NULL;
	tok->expires_on = 0;
	tok->credential[0] = '\0';
	tok->from_cache = 0;
}
