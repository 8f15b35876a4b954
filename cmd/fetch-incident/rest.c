/*
 * rest: incidents from Microsoft Graph (Defender XDR security incidents,
 * alerts and their evidence expanded) and from the Sentinel REST API (the
 * incident, then its alerts and entities, asked for at once).  Both page
 * with a next link, which is followed only while it stays on the host the
 * token was meant for.  What the services send is normalised by
 * lib/incident like any export.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azauth.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "fetch.h"
#include "http.h"
#include "incident.h"
#include "isotime.h"
#include "jsonx.h"
#include "term.h"

/* A service that keeps handing out next links is stopped here. */
#define MAX_PAGES	500
#define SENTINEL_API_VERSION	"2025-09-01"

struct api {
	const char	*name;		/* for messages: "graph", "sentinel" */
	char		*base;		/* no trailing slash */
	char		 origin[512];	/* scheme://host[:port] of base */
	char		*auth;		/* "Authorization: Bearer ..." */
	const char	*prefer;	/* a Prefer header, or NULL */
	const char	*scope;		/* the token's */
	char		 credential[16]; /* which credential gave it */
};

/* One request being built: its headers live here. */
struct call {
	const char	*headers[6];
	struct http_request req;
};

static void
api_init(struct api *a, const char *name, const char *env, const char *def,
    const char *scope)
{
	struct azauth_token tok;
	struct buf why, b;
	const char *base = config_get_or(env, def), *p;
	size_t n;
	enum azauth_status st;

	memset(a, 0, sizeof(*a));
	a->name = name;
	if (http_global_init() != 0)
		cli_die(EXIT_FAIL, "cannot start libcurl");
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	a->base = strndup(base, n);
	if (a->base == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	p = strstr(a->base, "://");
	if (p == NULL || (strncmp(a->base, "https://", 8) != 0 &&
	    strncmp(a->base, "http://", 7) != 0))
		cli_die(EXIT_USAGE, "%s: '%s' is not an http(s) URL", env,
		    a->base);
	p = strchr(p + 3, '/');
	snprintf(a->origin, sizeof(a->origin), "%.*s", p != NULL ?
	    (int)(p - a->base) : (int)strlen(a->base), a->base);

	buf_init(&why);
	memset(&tok, 0, sizeof(tok));
	st = azauth_get_token(scope, &tok, &why);
	if (st != AZAUTH_OK) {
		cli_warn("%s: no Azure token for %s", name, scope);
		if (why.len > 0) {
			/* The token services' own words may be in it. */
			term_put_safe(stderr, buf_str(&why), 1);
			if (why.data[why.len - 1] != '\n')
				fputc('\n', stderr);
		}
		buf_release(&why);
		azauth_token_release(&tok);
		exit(st == AZAUTH_UPSTREAM ? EXIT_UPSTREAM : EXIT_AUTH);
	}
	buf_release(&why);
	a->scope = scope;
	snprintf(a->credential, sizeof(a->credential), "%s", tok.credential);
	buf_init(&b);
	buf_printf(&b, "Authorization: Bearer %s", tok.access_token);
	azauth_token_release(&tok);
	a->auth = buf_steal(&b);
	if (a->auth == NULL)
		cli_die(EXIT_FAIL, "out of memory");
}

static void
api_release(struct api *a)
{
	if (a->auth != NULL) {
		/* The header holds the token. */
		volatile char *p = a->auth;

		while (*p != '\0')
			*p++ = '\0';
		free(a->auth);
	}
	free(a->base);
	a->auth = NULL;
	a->base = NULL;
}

/*
 * The URL of a next page: an absolute link only on the host the token is
 * for (the token goes with it), a path relative to that host.  A new
 * string, or NULL when the link goes elsewhere.
 */
static char *
next_url(const struct api *a, const char *link)
{
	size_t n = strlen(a->origin);
	struct buf b;

	if (link[0] == '/' && link[1] != '/') {
		buf_init(&b);
		buf_adds(&b, a->origin);
		buf_adds(&b, link);
		return buf_steal(&b);
	}
	if (strncmp(link, a->origin, n) == 0 && (link[n] == '/' ||
	    link[n] == '?' || link[n] == '\0'))
		return strdup(link);
	return NULL;
}

static void
call_init(struct call *c, const struct api *a, const char *method,
    const char *url)
{
	size_t h = 0;

	memset(c, 0, sizeof(*c));
	c->headers[h++] = a->auth;
	c->headers[h++] = "Accept: application/json";
	if (a->prefer != NULL)
		c->headers[h++] = a->prefer;
	if (strcmp(method, "POST") == 0) {
		c->headers[h++] = "Content-Type: application/json";
		c->req.body = "";	/* the API takes an empty body */
		c->req.body_len = 0;
	}
	c->headers[h] = NULL;
	c->req.method = method;
	c->req.url = url;
	c->req.headers = c->headers;
}

/* The service's own words for a refusal ({"error": {"message"}}), made
 * safe for a terminal. */
static void
refusal(const struct http_response *res, char *out, size_t outsz)
{
	json_t *body = json_loadb(res->body, res->len, 0, NULL);
	const char *msg = jx_path_str(body, "error.message");
	size_t i, n;

	/* The status says it; the URL is in TRIAGE_DEBUG's trace. */
	if (res->attempts > 1)
		n = (size_t)snprintf(out, outsz, "HTTP %ld (after %d attempts)",
		    res->status, res->attempts);
	else
		n = (size_t)snprintf(out, outsz, "HTTP %ld", res->status);
	if (n >= outsz)
		n = outsz - 1;
	if (msg != NULL && n + 3 < outsz) {
		out[n++] = ':';
		out[n++] = ' ';
		for (i = 0; msg[i] != '\0' && n + 1 < outsz && i < 300; i++)
			out[n++] = (unsigned char)msg[i] < 0x20 ? ' ' : msg[i];
		out[n] = '\0';
	}
	json_decref(body);
}

/*
 * The JSON object a response holds, or NULL with why set and *code the
 * exit code it deserves (EXIT_NOTFOUND for 404).
 */
static json_t *
answer(const struct http_response *res, int rc, char *why, size_t whysz,
    int *code)
{
	json_t *v;

	*code = EXIT_UPSTREAM;
	if (rc != 0) {
		snprintf(why, whysz, "%s", res->error[0] != '\0' ? res->error :
		    http_describe(res));
		return NULL;
	}
	if (res->status < 200 || res->status > 299) {
		refusal(res, why, whysz);
		if (res->status == 401 || res->status == 403)
			*code = EXIT_AUTH;
		else if (res->status == 404)
			*code = EXIT_NOTFOUND;
		return NULL;
	}
	v = json_loadb(res->body, res->len, 0, NULL);
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(why, whysz, "HTTP %ld with an answer that is not a "
		    "JSON object", res->status);
		return NULL;
	}
	return v;
}

/* A token the service refused (401) is not to be used again: the next
 * run asks for a new one rather than take it from the cache. */
static void
api_check_token(const struct api *a, const struct http_response *res)
{
	struct azauth_token used;

	if (res->status != 401)
		return;
	memset(&used, 0, sizeof(used));
	snprintf(used.credential, sizeof(used.credential), "%s",
	    a->credential);
	azauth_forget(a->scope, &used);
}

static json_t *
api_call(struct api *a, const char *method, const char *url, char *why,
    size_t whysz, int *code)
{
	struct http_response res;
	struct call c;
	json_t *v;
	int rc;

	call_init(&c, a, method, url);
	rc = http_send(&c.req, &res);
	api_check_token(a, &res);
	v = answer(&res, rc, why, whysz, code);
	http_response_release(&res);
	return v;
}

static _Noreturn void
api_die(struct api *a, int code, const char *what, const char *why)
{
	char name[16];

	snprintf(name, sizeof(name), "%s", a->name);
	api_release(a);
	cli_die(code == EXIT_NOTFOUND ? EXIT_UPSTREAM : code, "%s: %s: %s",
	    name, what, why);
}

/*
 * Every item of a paged list: follows next links (nextkey names the
 * member) from url, appending each page's "value" to items.
 */
static void
api_pages(struct api *a, const char *what, char *url, const char *nextkey,
    json_t *items, int (*stop)(const json_t *items, void *ctx), void *ctx)
{
	char why[512];
	json_t *page;
	const char *next;
	int code, n;

	for (n = 0; url != NULL; n++) {
		if (n == MAX_PAGES) {
			free(url);
			api_die(a, EXIT_UPSTREAM, what, "too many pages");
		}
		page = api_call(a, "GET", url, why, sizeof(why), &code);
		free(url);
		url = NULL;
		if (page == NULL)
			api_die(a, code, what, why);
		json_array_extend(items, json_is_array(json_object_get(page,
		    "value")) ? json_object_get(page, "value") : NULL);
		next = jx_nstr(page, nextkey);
		if (next != NULL && (stop == NULL || !stop(items, ctx))) {
			url = next_url(a, next);
			if (url == NULL) {
				json_decref(page);
				api_die(a, EXIT_UPSTREAM, what,
				    "the next page is on another host; not "
				    "followed");
			}
		}
		json_decref(page);
	}
}

static json_t *
normalise(json_t *v, const char *source, struct fetch *f)
{
	char err[256];
	json_t *out = incident_normalise(v, source, f->warnings, err,
	    sizeof(err));

	/* v is the caller's, but a failure here ends the program. */

	if (out == NULL) {
		json_decref(v);
		cli_die(EXIT_UPSTREAM, "%s: unexpected answer: %s", source,
		    err);
	}
	return out;
}

/* The start of the window as an OData datetime. */
static const char *
window_start(const struct fetch *f)
{
	static char t[48];

	return iso_format(fetch_list_start(f), t, sizeof(t), 0);
}

/* --- Microsoft Graph ---------------------------------------------------- */

static void
graph_init(struct api *a)
{
	api_init(a, "graph", "TRIAGE_GRAPH_URL", "https://graph.microsoft.com",
	    "https://graph.microsoft.com/.default");
	/* Newer statuses (awaitingAction) rather than unknownFutureValue. */
	a->prefer = "Prefer: include-unknown-enum-members";
}

json_t *
graph_fetch(struct fetch *f, int *status)
{
	struct api a;
	json_t *inc, *alerts, *list, *out;
	char *url, why[512];
	int code;

	(void)status;
	if (f->ref_kind != 1)
		cli_die(EXIT_USAGE, "Microsoft Graph incident ids are numbers, "
		    "not GUIDs: '%s'", f->ref);
	graph_init(&a);
	url = xasprintf("%s/v1.0/security/incidents/%lld?$expand=alerts",
	    a.base, f->number);
	inc = api_call(&a, "GET", url, why, sizeof(why), &code);
	free(url);
	if (inc != NULL)
		json_array_append(f->keep, inc);
	if (inc == NULL && code == EXIT_NOTFOUND) {
		api_release(&a);
		cli_die(EXIT_NOTFOUND, "incident %s not found in Microsoft "
		    "Graph", f->ref);
	}
	if (inc == NULL)
		api_die(&a, code, "getting the incident", why);
	/* A long alert list is paged inside the incident. */
	alerts = json_object_get(inc, "alerts");
	if (jx_nstr(inc, "alerts@odata.nextLink") != NULL &&
	    json_is_array(alerts)) {
		char *next = next_url(&a, jx_str(inc,
		    "alerts@odata.nextLink"));

		if (next == NULL)
			api_die(&a, EXIT_UPSTREAM, "getting the alerts",
			    "the next page is on another host; not followed");
		api_pages(&a, "getting the alerts", next, "@odata.nextLink",
		    alerts, NULL, NULL);
	}
	api_release(&a);
	list = json_array();
	json_array_append_new(list, inc);
	out = normalise(list, "graph", f);
	json_decref(list);
	return out;
}

json_t *
graph_list(struct fetch *f, int *status)
{
	struct api a;
	json_t *items = json_array(), *out;

	(void)status;
	json_array_append(f->keep, items);
	graph_init(&a);
	api_pages(&a, "listing incidents", xasprintf("%s/v1.0/security/"
	    "incidents?$expand=alerts&$top=50&$filter=lastUpdateDateTime"
	    "%%20ge%%20%s", a.base, window_start(f)), "@odata.nextLink", items,
	    NULL, NULL);
	api_release(&a);
	out = normalise(items, "graph", f);
	json_decref(items);
	return out;
}

/* --- Sentinel REST ------------------------------------------------------ */

static const char *
need(const char *name)
{
	const char *v = config_get(name);

	if (v == NULL)
		cli_die(EXIT_USAGE, "--source sentinel needs %s: the workspace "
		    "is AZURE_SUBSCRIPTION_ID, SENTINEL_RESOURCE_GROUP and "
		    "SENTINEL_WORKSPACE_NAME", name);
	return v;
}

/*
 * An ARM name into the path, checked against Azure's naming rules first:
 * nothing from the environment can add a path segment or a query.
 */
static void
segment(struct buf *b, const char *name, const char *s, const char *extra,
    size_t max)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) &&
		    strchr(extra, s[i]) == NULL)
			break;
	if (n == 0 || n > max || i < n || s[n - 1] == '.')
		cli_die(EXIT_USAGE, "%s: '%.80s' is not a valid name", name, s);
	buf_adds(b, s);
}

static void
sentinel_init(struct api *a, const char **version)
{
	const char *sub = need("AZURE_SUBSCRIPTION_ID");
	const char *rg = need("SENTINEL_RESOURCE_GROUP");
	const char *ws = need("SENTINEL_WORKSPACE_NAME");
	const char *v = config_get_or("TRIAGE_SENTINEL_API_VERSION",
	    SENTINEL_API_VERSION);
	struct buf b;
	size_t i;

	if (incident_ref_parse(sub, NULL) != 2)
		cli_die(EXIT_USAGE, "AZURE_SUBSCRIPTION_ID: not a subscription "
		    "id (a GUID)");
	for (i = 0; v[i] != '\0'; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '-')
			cli_die(EXIT_USAGE, "TRIAGE_SENTINEL_API_VERSION: not "
			    "an api-version");
	*version = v;
	api_init(a, "sentinel", "TRIAGE_ARM_URL",
	    "https://management.azure.com",
	    "https://management.azure.com/.default");
	buf_init(&b);
	buf_printf(&b, "%s/subscriptions/%s/resourceGroups/", a->base, sub);
	segment(&b, "SENTINEL_RESOURCE_GROUP", rg, "-_.()", 90);
	buf_adds(&b, "/providers/Microsoft.OperationalInsights/workspaces/");
	segment(&b, "SENTINEL_WORKSPACE_NAME", ws, "-", 63);
	buf_adds(&b, "/providers/Microsoft.SecurityInsights");
	free(a->base);
	a->base = buf_steal(&b);
	if (a->base == NULL)
		cli_die(EXIT_FAIL, "out of memory");
}

struct find {
	long long	 number;
	json_t		*found;		/* borrowed from the items */
};

static int
find_number(const json_t *items, void *ctx)
{
	struct find *fd = ctx;
	size_t i;

	for (i = 0; i < json_array_size(items); i++)
		if (jx_path(json_array_get(items, i),
		    "properties.incidentNumber") != NULL &&
		    jx_int(jx_path(json_array_get(items, i), "properties"),
		    "incidentNumber", -1) == fd->number) {
			fd->found = json_array_get(items, i);
			return 1;
		}
	return 0;
}

/* POSTs the incident's alerts and entities at once; attaches them. */
static void
sentinel_related(struct api *a, struct fetch *f, const char *version,
    json_t *inc, int *status)
{
	static const char *const what[] = { "alerts", "entities" };
	struct http_request reqs[2];
	struct http_response res[2];
	struct call calls[2];
	char *urls[2], why[512];
	const char *name = jx_str(inc, "name");
	json_t *v;
	size_t i;
	int code;

	for (i = 0; i < 2; i++) {
		urls[i] = xasprintf("%s/incidents/%s/%s?api-version=%s", a->base,
		    name, what[i], version);
		call_init(&calls[i], a, "POST", urls[i]);
		reqs[i] = calls[i].req;
	}
	http_send_many(reqs, res, 2, 2);
	for (i = 0; i < 2; i++) {
		api_check_token(a, &res[i]);
		v = answer(&res[i], res[i].status == 0 ? -1 : 0, why,
		    sizeof(why), &code);
		if (v == NULL) {
			fetch_error(f, code == EXIT_AUTH ? "auth" : "upstream",
			    json_pack("{s:s,s:s}", "incident", f->ref, "part",
			    what[i]), "sentinel: the incident's %s are "
			    "missing: %s", what[i], why);
			*status = EXIT_PARTIAL;
		} else {
			json_object_set(inc, what[i], json_object_get(v,
			    i == 0 ? "value" : "entities"));
			json_decref(v);
		}
		http_response_release(&res[i]);
		free(urls[i]);
	}
}

json_t *
sentinel_fetch(struct fetch *f, int *status)
{
	const char *version;
	struct find fd;
	struct api a;
	json_t *inc = NULL, *items, *list, *out;
	char *url, why[512];
	int code;

	sentinel_init(&a, &version);
	if (f->ref_kind == 2) {
		url = xasprintf("%s/incidents/%s?api-version=%s", a.base, f->ref,
		    version);
		inc = api_call(&a, "GET", url, why, sizeof(why), &code);
		free(url);
		if (inc == NULL && code != EXIT_NOTFOUND)
			api_die(&a, code, "getting the incident", why);
	} else {
		/* The API knows incidents by GUID: find the number. */
		fd.number = f->number;
		fd.found = NULL;
		items = json_array();
		json_array_append(f->keep, items);
		api_pages(&a, "finding the incident", xasprintf("%s/incidents?"
		    "api-version=%s&$filter=properties/incidentNumber%%20eq"
		    "%%20%lld", a.base, version, f->number), "nextLink", items,
		    find_number, &fd);
		find_number(items, &fd);
		if (fd.found != NULL)
			inc = json_incref(fd.found);
		json_decref(items);
	}
	if (inc != NULL)
		json_array_append(f->keep, inc);
	if (inc == NULL) {
		api_release(&a);
		cli_die(EXIT_NOTFOUND, "incident %s not found in the Sentinel "
		    "workspace %s", f->ref,
		    config_get("SENTINEL_WORKSPACE_NAME"));
	}
	if (jx_nstr(inc, "name") == NULL) {
		api_die(&a, EXIT_UPSTREAM, "getting the incident",
		    "the incident has no name (GUID)");
	}
	sentinel_related(&a, f, version, inc, status);
	api_release(&a);
	list = json_array();
	json_array_append_new(list, inc);
	out = normalise(list, "sentinel", f);
	json_decref(list);
	return out;
}

json_t *
sentinel_list(struct fetch *f, int *status)
{
	const char *version;
	struct api a;
	json_t *items = json_array(), *out;

	(void)status;
	json_array_append(f->keep, items);
	sentinel_init(&a, &version);
	api_pages(&a, "listing incidents", xasprintf("%s/incidents?"
	    "api-version=%s&$filter=properties/lastModifiedTimeUtc%%20ge%%20%s"
	    "&$orderby=properties/createdTimeUtc%%20desc&$top=1000", a.base,
	    version, window_start(f)), "nextLink", items, NULL, NULL);
	api_release(&a);
	out = normalise(items, "sentinel", f);
	json_decref(items);
	return out;
}
