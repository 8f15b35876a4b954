/*
 * http: libcurl's multi interface driving many transfers, each with its own
 * retry schedule.  A single request is the n == 1 case, so there is one
 * retry policy for the whole program suite.
 */
#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <curl/curl.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "term.h"
#include "version.h"

#define DEFAULT_MAX_RESPONSE	(64u << 20)
#define BACKOFF_BASE_MS		500
#define BACKOFF_MAX_MS		8000

enum xfer_state { X_WAITING, X_RUNNING, X_DONE };

struct xfer {
	const struct http_request *req;
	struct http_response	*res;
	CURL			*easy;
	struct curl_slist	*hdrs;
	struct buf		 body;
	struct buf		 head;
	enum xfer_state		 state;
	int			 attempt;
	int			 max_attempts;
	long			 next_ms;	/* when the next attempt may start */
	long			 begun_ms;
	size_t			 max;
	int			 too_large;
	char			 errbuf[CURL_ERROR_SIZE];
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}

void
http_response_release(struct http_response *res)
{
	free(res->body);
	free(res->headers);
	res->body = NULL;
	res->headers = NULL;
	res->len = 0;
	res->headers_len = 0;
}

int
http_header_is_secret(const char *name, size_t len)
{
	static const char *secret[] = {
		"authorization", "proxy-authorization", "x-api-key",
		"api-key", "key", "x-apikey", "x-identity-header", "cookie",
		"set-cookie", "ocp-apim-subscription-key", "x-functions-key",
		NULL
	};
	size_t i;

	for (i = 0; secret[i] != NULL; i++)
		if (strlen(secret[i]) == len &&
		    strncasecmp(secret[i], name, len) == 0)
			return 1;
	return 0;
}

/*
 * Only a numeric 127/8 address, ::1 or localhost: a name such as
 * 127.attacker.example merely starts like one and resolves anywhere.
 */
static int
host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char v6[INET6_ADDRSTRLEN];
	size_t n = strlen(host);

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && n - 2 < sizeof(v6) && host[0] == '[' &&
	    host[n - 1] == ']') {
		memcpy(v6, host + 1, n - 2);
		v6[n - 2] = '\0';
		return inet_pton(AF_INET6, v6, &a6) == 1 &&
		    IN6_IS_ADDR_LOOPBACK(&a6);
	}
	return strcasecmp(host, "localhost") == 0;
}

int
http_url_is_loopback(const char *url)
{
	CURLU *u;
	char *host = NULL;
	int yes = 0;

	u = curl_url();
	if (u == NULL)
		return 0;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		yes = host_is_loopback(host);
		curl_free(host);
	}
	curl_url_cleanup(u);
	return yes;
}

void
http_safe_url(const char *url, unsigned flags, char *out, size_t outsz)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *port = NULL;

	if (!(flags & HTTP_SECRET_URL)) {
		snprintf(out, outsz, "%s", url);
		return;
	}
	snprintf(out, outsz, "[a secret URL]");
	u = curl_url();
	if (u == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			snprintf(out, outsz, "%s://%s:%s/[redacted]", scheme,
			    host, port);
		else
			snprintf(out, outsz, "%s://%s/[redacted]", scheme,
			    host);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

static int
has_credentials(const struct http_request *req)
{
	const char *const *h;
	const char *colon;

	if (req->flags & (HTTP_SECRET_URL | HTTP_SECRET_BODY))
		return 1;
	for (h = req->headers; h != NULL && *h != NULL; h++) {
		colon = strchr(*h, ':');
		if (colon != NULL && http_header_is_secret(*h,
		    (size_t)(colon - *h)))
			return 1;
	}
	return 0;
}

/* Refuses what must never be sent.  0, or -1 with res->error set. */
static int
vet(const struct http_request *req, struct http_response *res)
{
	char safe[256];
	CURLU *u;
	char *scheme = NULL;
	int rc = 0;

	http_safe_url(req->url != NULL ? req->url : "", req->flags, safe,
	    sizeof(safe));
	u = curl_url();
	if (u == NULL)
		return -1;
	if (req->url == NULL ||
	    curl_url_set(u, CURLUPART_URL, req->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		snprintf(res->error, sizeof(res->error), "invalid URL '%s'",
		    safe);
		rc = -1;
	} else if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		snprintf(res->error, sizeof(res->error),
		    "unsupported URL scheme '%s' in '%s'", scheme, safe);
		rc = -1;
	} else if (strcmp(scheme, "http") == 0 && has_credentials(req) &&
	    !http_url_is_loopback(req->url)) {
		snprintf(res->error, sizeof(res->error),
		    "refusing to send credentials over plain http to '%s'; "
		    "use https", safe);
		rc = -1;
	}
	curl_free(scheme);
	curl_url_cleanup(u);
	if (rc == -1)
		res->refused = 1;
	return rc;
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *data)
{
	struct xfer *x = data;
	size_t n = size * nmemb;

	if (x->body.len + n > x->max) {
		x->too_large = 1;
		return 0;		/* aborts the transfer */
	}
	if (buf_add(&x->body, p, n) == -1)
		return 0;
	return n;
}

static size_t
on_header(char *p, size_t size, size_t nmemb, void *data)
{
	struct xfer *x = data;
	size_t n = size * nmemb, name, i;
	const char *v;
	size_t vlen;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		buf_reset(&x->head);	/* a new response (after 100 or 3xx) */
		return n;
	}
	for (name = 0; name < n && p[name] != ':'; name++)
		;
	if (name == 0 || name == n)
		return n;
	v = p + name + 1;
	vlen = n - name - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' ||
	    v[vlen - 1] == ' '))
		vlen--;
	for (i = 0; i < name; i++)
		buf_addc(&x->head, tolower((unsigned char)p[i]));
	buf_addc(&x->head, '\0');
	buf_add(&x->head, v, vlen);
	buf_addc(&x->head, '\0');
	return n;
}

static long
setting_ms(long given, const char *name, long fallback_s)
{
	if (given > 0)
		return given;
	return config_get_long(name, fallback_s) * 1000;
}

/*
 * A timeout setting: to libcurl 0 means none at all and a negative value is
 * refused (leaving none), so anything under a second becomes one second,
 * with a warning once per process.
 */
static long
timeout_setting_ms(long given, const char *name, long fallback_s,
    _Atomic int *warned)
{
	long ms = setting_ms(given, name, fallback_s);

	if (ms >= 1000 || given > 0)
		return ms;
	if (atomic_exchange(warned, 1) == 0)
		log_warn("%s=%ld is below 1 second; using 1", name, ms / 1000);
	return 1000;
}

static void
trace_request(const struct xfer *x)
{
	const struct http_request *req = x->req;
	const char *const *h;
	const char *colon;
	char safe[512];

	if (!log_debugging())
		return;
	http_safe_url(req->url, req->flags, safe, sizeof(safe));
	log_debug("> %s %s (attempt %d of %d)", req->method != NULL ?
	    req->method : req->body != NULL ? "POST" : "GET", safe,
	    x->attempt, x->max_attempts);
	for (h = req->headers; h != NULL && *h != NULL; h++) {
		colon = strchr(*h, ':');
		if (colon != NULL && http_header_is_secret(*h,
		    (size_t)(colon - *h)))
			log_debug(">   %.*s: [redacted]", (int)(colon - *h), *h);
		else
			log_debug(">   %s", *h);
	}
	if (req->body != NULL) {
		if (req->flags & HTTP_SECRET_BODY)
			log_debug(">   [%zu-byte body redacted]", req->body_len);
		else
			log_debug(">   %.*s%s", (int)(req->body_len > 300 ?
			    300 : req->body_len), req->body,
			    req->body_len > 300 ? "..." : "");
	}
}

static int
start_attempt(CURLM *multi, struct xfer *x)
{
	static _Atomic int warned_connect, warned_total;
	const struct http_request *req = x->req;
	const char *const *h;
	const char *ca;
	char ua[64];
	CURL *e;

	x->attempt++;
	x->res->attempts = x->attempt;
	x->too_large = 0;
	x->errbuf[0] = '\0';
	buf_reset(&x->body);
	buf_reset(&x->head);
	e = x->easy;
	if (e == NULL) {
		e = x->easy = curl_easy_init();
		if (e == NULL)
			return -1;
		for (h = req->headers; h != NULL && *h != NULL; h++)
			x->hdrs = curl_slist_append(x->hdrs, *h);
		/* We send small bodies at once; no 100-continue round trip. */
		x->hdrs = curl_slist_append(x->hdrs, "Expect:");
	} else
		curl_easy_reset(e);
	snprintf(ua, sizeof(ua), "triage/%s", TRIAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	ca = config_get("CURL_CA_BUNDLE");
	if (ca != NULL && *ca != '\0')
		curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_setting_ms(
	    req->connect_timeout_ms, "TRIAGE_HTTP_CONNECT_TIMEOUT", 10,
	    &warned_connect));
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_setting_ms(
	    req->timeout_ms, "TRIAGE_HTTP_TIMEOUT", 60, &warned_total));
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	if ((req->flags & HTTP_FOLLOW) && !has_credentials(req)) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	}
	if (req->body != NULL) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
	}
	if (req->method != NULL) {
		if (strcmp(req->method, "HEAD") == 0)
			curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		else if (strcmp(req->method, "GET") != 0 &&
		    !(strcmp(req->method, "POST") == 0 && req->body != NULL))
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	}
	trace_request(x);
	if (curl_multi_add_handle(multi, e) != CURLM_OK)
		return -1;
	x->state = X_RUNNING;
	return 0;
}

static int
retryable_code(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static int
retryable_status(long s)
{
	return s == 408 || s == 409 || s == 429 || s >= 500;
}

/*
 * The wait the server asked for, in ms: retry-after-ms first, then
 * Retry-After as seconds or as an HTTP date.  -1 when it did not ask.
 */
static long
server_wait_ms(const struct http_response *res)
{
	const char *v;
	char *end;
	double d;
	time_t when, now;

	v = http_response_header(res, "retry-after-ms");
	if (v != NULL) {
		d = strtod(v, &end);
		if (end != v && d >= 0 && d < 1e12)
			return (long)d;
	}
	v = http_response_header(res, "retry-after");
	if (v == NULL)
		return -1;
	d = strtod(v, &end);
	if (end != v && *end == '\0' && d >= 0 && d < 1e9)
		return (long)(d * 1000);
	when = curl_getdate(v, NULL);
	if (when == -1)
		return -1;
	now = time(NULL);
	return when > now ? (long)(when - now) * 1000 : 0;
}

/*
 * rand() seeded once per process (and again in a forked child): unseeded,
 * every process draws the same jitter, and clients that failed together
 * would retry together.
 */
static int
jitter_rand(void)
{
	static _Atomic pid_t seeded_for;
	struct timespec ts;
	unsigned seed;
	pid_t me = getpid();

	if (atomic_load(&seeded_for) != me) {
		atomic_store(&seeded_for, me);
		if (getentropy(&seed, sizeof(seed)) == -1) {
			clock_gettime(CLOCK_REALTIME, &ts);
			seed = (unsigned)me ^ (unsigned)ts.tv_sec ^
			    (unsigned)ts.tv_nsec;
		}
		srand(seed);
	}
	return rand();
}

long
http_backoff_ms(int attempt)
{
	long ms = BACKOFF_BASE_MS;
	int i;

	for (i = 1; i < attempt && ms < BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	/* Jitter: up to a quarter less, so clients spread out. */
	return ms - (long)((double)ms * 0.25 *
	    ((double)jitter_rand() / RAND_MAX));
}

static void
finish(struct xfer *x)
{
	struct http_response *res = x->res;

	free(res->body);
	free(res->headers);
	res->len = x->body.len;
	res->body = buf_steal(&x->body);
	if (res->body == NULL) {
		res->body = calloc(1, 1);
		res->len = 0;
	}
	res->headers_len = x->head.len;
	res->headers = buf_steal(&x->head);
	res->elapsed_ms = now_ms() - x->begun_ms;
	x->state = X_DONE;
}

/* The caller's admit hook said no: end with what the last attempt got. */
static void
hold_back(struct xfer *x)
{
	struct http_response *res = x->res;

	if (x->attempt == 0) {
		res->refused = 1;
		snprintf(res->error, sizeof(res->error),
		    "not sent: held back by the caller");
	}
	finish(x);
}

/* An attempt ended: decide between done and another try. */
static void
settle(struct xfer *x, CURLcode code)
{
	struct http_response *res = x->res;
	const char *should;
	long wait = -1, server, max_wait;
	int retry = 0, stop = 0;
	char safe[256];

	res->curl_code = code;
	res->timed_out = code == CURLE_OPERATION_TIMEDOUT;
	res->too_large = x->too_large || code == CURLE_FILESIZE_EXCEEDED;
	res->status = 0;
	if (code == CURLE_OK)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
		    &res->status);
	/* Headers are needed for the decision; keep them in res now. */
	free(res->headers);
	res->headers = malloc(x->head.len + 1);
	if (res->headers != NULL) {
		memcpy(res->headers, buf_str(&x->head), x->head.len + 1);
		res->headers_len = x->head.len;
	} else
		res->headers_len = 0;
	if (x->req->observe != NULL)
		stop = x->req->observe(x->req->hook_arg, res) == -1;
	http_safe_url(x->req->url, x->req->flags, safe, sizeof(safe));
	res->error[0] = '\0';
	if (res->too_large) {
		snprintf(res->error, sizeof(res->error),
		    "response from '%s' is larger than %zu bytes", safe, x->max);
		res->status = 0;
	} else if (code != CURLE_OK) {
		snprintf(res->error, sizeof(res->error), "%s: %s", safe,
		    x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(code));
		retry = retryable_code(code);
	} else if (retryable_status(res->status)) {
		retry = 1;
		snprintf(res->error, sizeof(res->error), "%s: HTTP %ld", safe,
		    res->status);
	}
	should = http_response_header(res, "x-should-retry");
	if (code == CURLE_OK && should != NULL) {
		if (strcmp(should, "true") == 0)
			retry = 1;
		else if (strcmp(should, "false") == 0)
			retry = 0;
	}
	if ((x->req->flags & HTTP_NO_RETRY) || stop)
		retry = 0;
	if (retry && x->attempt >= x->max_attempts) {
		retry = 0;
		if (x->max_attempts > 1) {
			size_t n = strlen(res->error);

			snprintf(res->error + n, sizeof(res->error) - n,
			    " (gave up after %d attempts)", x->attempt);
		}
	}
	if (retry && code == CURLE_OK) {
		server = server_wait_ms(res);
		/* A 429 that names no wait is usually a spent quota or spend
		 * cap, not a burst: one more try, then report it. */
		if (res->status == 429 && server < 0 && x->attempt >= 2) {
			retry = 0;
			snprintf(res->error, sizeof(res->error), "%s: HTTP 429 "
			    "without Retry-After, twice: a quota or spend "
			    "limit", safe);
		}
		max_wait = setting_ms(x->req->max_wait_ms,
		    "TRIAGE_HTTP_MAX_WAIT", 60);
		if (server > max_wait) {
			retry = 0;
			snprintf(res->error, sizeof(res->error),
			    "%s: HTTP %ld, asked to retry after %ld s, longer "
			    "than the %ld s we wait", safe, res->status,
			    server / 1000, max_wait / 1000);
		} else if (server >= 0)
			wait = server;
	}
	if (!retry) {
		if (code == CURLE_OK && !res->too_large &&
		    !retryable_status(res->status))
			res->error[0] = '\0';
		log_debug("< %s after %d attempt%s", res->status > 0 ?
		    "answer" : "no answer", x->attempt,
		    x->attempt == 1 ? "" : "s");
		finish(x);
		return;
	}
	if (wait < 0)
		wait = http_backoff_ms(x->attempt);
	log_debug("< %s; retrying in %ld ms", res->error, wait);
	if (term_progress())
		progress_update("%s; retrying in %.1f s", res->error,
		    (double)wait / 1000);
	x->next_ms = now_ms() + wait;
	x->state = X_WAITING;
}

size_t
http_send_many(const struct http_request *reqs, struct http_response *res,
    size_t n, size_t parallel)
{
	struct xfer *xs;
	CURLM *multi;
	CURLMsg *msg;
	size_t i, running, left, failed = 0;
	long now, wait;
	int still, q, ended;
	struct xfer *x;
	void *priv;

	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].body = calloc(1, 1);
	}
	xs = calloc(n > 0 ? n : 1, sizeof(*xs));
	multi = curl_multi_init();
	if (xs == NULL || multi == NULL) {
		for (i = 0; i < n; i++)
			snprintf(res[i].error, sizeof(res[i].error),
			    "out of memory");
		free(xs);
		if (multi != NULL)
			curl_multi_cleanup(multi);
		return n;
	}
	if (parallel == 0)
		parallel = n;
	left = 0;
	for (i = 0; i < n; i++) {
		x = &xs[i];
		x->req = &reqs[i];
		x->res = &res[i];
		buf_init(&x->body);
		buf_init(&x->head);
		x->begun_ms = now_ms();
		x->max = reqs[i].max_response > 0 ? reqs[i].max_response :
		    DEFAULT_MAX_RESPONSE;
		x->max_attempts = reqs[i].max_attempts > 0 ?
		    reqs[i].max_attempts :
		    (int)config_get_long("TRIAGE_HTTP_MAX_ATTEMPTS", 4);
		if (x->max_attempts < 1)
			x->max_attempts = 1;
		if (vet(&reqs[i], &res[i]) == -1) {
			x->state = X_DONE;
			continue;
		}
		x->state = X_WAITING;
		left++;
	}
	while (left > 0) {
		now = now_ms();
		running = 0;
		wait = 1000;
		for (i = 0; i < n; i++)
			running += xs[i].state == X_RUNNING;
		for (i = 0; i < n && running < parallel; i++) {
			x = &xs[i];
			if (x->state != X_WAITING)
				continue;
			if (x->next_ms > now) {
				if (x->next_ms - now < wait)
					wait = x->next_ms - now;
				continue;
			}
			if (x->req->admit != NULL) {
				long later = x->req->admit(x->req->hook_arg,
				    x->res);

				if (later > 0) {
					x->next_ms = now + later;
					continue;
				}
				if (later < 0) {
					hold_back(x);
					left--;
					continue;
				}
			}
			if (start_attempt(multi, x) == -1) {
				snprintf(x->res->error, sizeof(x->res->error),
				    "cannot start a transfer");
				finish(x);
				left--;
				continue;
			}
			running++;
		}
		for (i = 0; i < n; i++)
			if (xs[i].state == X_WAITING && xs[i].next_ms > now &&
			    xs[i].next_ms - now < wait)
				wait = xs[i].next_ms - now;
		ended = 0;
		curl_multi_perform(multi, &still);
		while ((msg = curl_multi_info_read(multi, &q)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			priv = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    &priv);
			x = priv;
			curl_multi_remove_handle(multi, msg->easy_handle);
			settle(x, msg->data.result);
			ended = 1;
			if (x->state == X_DONE)
				left--;
		}
		if (left == 0)
			break;
		/* A transfer ended: its slot may start the next one now. */
		if (ended)
			continue;
		if (wait < 0)
			wait = 0;
		curl_multi_poll(multi, NULL, 0, (int)(still > 0 ? (wait > 100 ?
		    100 : wait) : wait), NULL);
	}
	progress_done();
	for (i = 0; i < n; i++) {
		x = &xs[i];
		if (x->easy != NULL)
			curl_easy_cleanup(x->easy);
		curl_slist_free_all(x->hdrs);
		buf_release(&x->body);
		buf_release(&x->head);
		if (res[i].status == 0)
			failed++;
	}
	curl_multi_cleanup(multi);
	free(xs);
	return failed;
}

int
http_send(const struct http_request *req, struct http_response *res)
{
	return http_send_many(req, res, 1, 1) == 0 ? 0 : -1;
}

const char *
http_response_header(const struct http_response *res, const char *name)
{
	const char *p, *end;
	size_t n;

	if (res->headers == NULL)
		return NULL;
	p = res->headers;
	end = p + res->headers_len;
	while (p < end) {
		n = strlen(p);
		if (strcasecmp(p, name) == 0)
			return p + n + 1 < end ? p + n + 1 : NULL;
		p += n + 1;
		if (p < end)
			p += strlen(p) + 1;
	}
	return NULL;
}

const char *
http_describe(const struct http_response *res)
{
	static char buf[128];

	if (res->error[0] != '\0')
		return res->error;
	snprintf(buf, sizeof(buf), "HTTP %ld", res->status);
	return buf;
}

char *
http_form_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	struct buf b;

	buf_init(&b);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			buf_addc(&b, *p);
		else if (*p == ' ')
			buf_addc(&b, '+');
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*p >> 4]);
			buf_addc(&b, hex[*p & 15]);
		}
	}
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_steal(&b);
}
