/*
 * http: the one way triage talks to the outside world, over libcurl.
 *
 * Every request has a connect timeout and a total timeout.  Connection
 * errors, 408, 409, 429 and 5xx are retried with exponential backoff and
 * jitter, honouring retry-after-ms and Retry-After (seconds or HTTP date)
 * and x-should-retry, up to a maximum number of attempts; a server that asks
 * for a longer wait than max_wait_ms gets no retry (its answer is returned),
 * and a 429 that names no wait at all is retried once only (it is usually a
 * spent quota, which hammering will not refill).
 * Other 4xx are never retried (409 is retried because the Anthropic and
 * OpenAI SDKs retry a conflict_error, and we follow them).  Responses are capped in size.  TLS is always
 * verified; libcurl's proxy variables (https_proxy, no_proxy, ...) apply.
 * A request that carries credentials is refused over plain http unless the
 * host is loopback (which is how tests reach their mocks).
 * With TRIAGE_DEBUG=1 requests and answers are traced on stderr with every
 * secret header, secret body and secret URL redacted.
 *
 * Defaults, overridable in the environment: TRIAGE_HTTP_CONNECT_TIMEOUT
 * (seconds, 10), TRIAGE_HTTP_TIMEOUT (seconds, 60), TRIAGE_HTTP_MAX_ATTEMPTS
 * (4), TRIAGE_HTTP_MAX_WAIT (seconds, 60).  A timeout under one second
 * (0 would mean none) is raised to one second with a warning.
 */
#ifndef TRIAGE_HTTP_H
#define TRIAGE_HTTP_H

#include <stddef.h>

enum http_flags {
	HTTP_SECRET_URL	 = 1 << 0,	/* the URL is itself a credential
					   (webhooks): never shown, never sent
					   over plain http off loopback */
	HTTP_SECRET_BODY = 1 << 1,	/* the body carries a credential */
	HTTP_FOLLOW	 = 1 << 2,	/* follow redirects (only for requests
					   without credentials) */
	HTTP_NO_RETRY	 = 1 << 3	/* one attempt only */
};

struct http_response;

struct http_request {
	const char		*method;	/* NULL: POST with a body, else GET */
	const char		*url;
	const char *const	*headers;	/* "Name: value", NULL-terminated;
						   may be NULL */
	const char		*body;		/* may be NULL */
	size_t			 body_len;
	unsigned		 flags;		/* enum http_flags */
	long			 connect_timeout_ms;	/* 0: default */
	long			 timeout_ms;		/* 0: default */
	int			 max_attempts;		/* 0: default */
	long			 max_wait_ms;		/* 0: default */
	size_t			 max_response;		/* 0: 64 MiB */
	/*
	 * Optional, for callers that pace themselves (rate limits shared
	 * between processes).  admit is asked before every attempt: it
	 * returns 0 to go ahead, N > 0 to be asked again in N ms, or -1 to
	 * give up (the response keeps the last attempt's answer; when there
	 * was none, refused is set).  observe sees each attempt's status and
	 * headers, not yet its body, as soon as the attempt ends, and returns
	 * -1 to end there with that answer (no retry), else 0.  Both get
	 * hook_arg; either may be NULL.
	 */
	long			(*admit)(void *arg,
				    const struct http_response *last);
	int			(*observe)(void *arg,
				    const struct http_response *res);
	void			*hook_arg;
};

struct http_response {
	long	 status;	/* HTTP status of the last attempt; 0: none */
	char	*body;		/* NUL-terminated; never NULL after a send */
	size_t	 len;
	char	*headers;	/* "name\0value\0..." of the last response,
				   names lower-cased */
	size_t	 headers_len;
	int	 attempts;	/* how many were made */
	long	 elapsed_ms;	/* over all attempts and waits */
	int	 curl_code;	/* libcurl's code for the last attempt */
	int	 timed_out;	/* the last attempt hit a timeout */
	int	 too_large;	/* the response exceeded max_response */
	int	 refused;	/* refused before sending (bad URL, plain
				   http with credentials) */
	char	 error[512];	/* why there is no usable response, or why
				   retries stopped; "" otherwise */
};

/* Once per process, before any request (curl_global_init).  0 or -1. */
int	 http_global_init(void);
void	 http_global_cleanup(void);

/*
 * Sends req, retrying as described above.  Returns 0 when an HTTP response
 * arrived (look at res->status: it may be an error status), -1 when none
 * did (res->error says why).  Release res either way.
 */
int	 http_send(const struct http_request *req, struct http_response *res);

/*
 * Sends n requests with up to parallel in flight at once (0: all), each
 * retried on its own schedule.  res[i] answers reqs[i].  Returns the number
 * of requests that got no response at all.
 */
size_t	 http_send_many(const struct http_request *reqs,
	    struct http_response *res, size_t n, size_t parallel);

void	 http_response_release(struct http_response *res);

/* A response header's value (case-insensitive name), or NULL.  Borrowed. */
const char *http_response_header(const struct http_response *res,
	    const char *name);

/* Nonzero when a header name carries a credential (Authorization,
 * x-api-key, api-key, Key, x-apikey, X-IDENTITY-HEADER, Cookie, ...). */
int	 http_header_is_secret(const char *name, size_t len);

/* Nonzero when the URL's host is loopback: a numeric 127.0.0.0/8 address,
 * [::1] or localhost (not a name such as 127.example.com). */
int	 http_url_is_loopback(const char *url);

/*
 * A short description of the outcome for messages: "HTTP 429",
 * "timed out after 60 s", "connection refused", ...  Borrowed from res or
 * static storage.
 */
const char *http_describe(const struct http_response *res);

/*
 * The wait before the retry that follows attempt (1, 2, ...) when the server
 * named none: 0.5 s doubling to 8 s, less up to a quarter of random jitter
 * drawn from a per-process seed.
 */
long	 http_backoff_ms(int attempt);

/* The value x-www-form-urlencoded: a new string (free it), or NULL. */
char	*http_form_escape(const char *s);

/* The URL without its path and query when it is secret: "https://host/...". */
void	 http_safe_url(const char *url, unsigned flags, char *out,
	    size_t outsz);

#endif
