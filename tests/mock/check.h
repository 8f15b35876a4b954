/*
 * check: the named spec validators ("check" in a route) and the generic
 * "expect" assertions.  A validator looks at one request and records
 * violations; the first violation that a real service would refuse
 * also sets the status and error body that service would send.
 */
#ifndef MOCK_CHECK_H
#define MOCK_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

/* One received request, as the validators and the log see it. */
struct mock_request {
	unsigned long seq;
	time_t now;
	const char *method;
	const char *path;		/* percent-decoded, no query */
	const char *query;		/* raw, "" when none */
	json_t *args;			/* decoded query parameters */
	json_t *headers;		/* lower-case name -> value */
	const char *body;		/* raw bytes, NUL-terminated */
	size_t body_len;		/* bytes stored */
	size_t body_size;		/* bytes received (may exceed stored) */
	json_t *json;			/* parsed body, or NULL */
	json_t *form;			/* parsed form body, or NULL */
};

/* What the validators decided about one request. */
struct verdict {
	json_t *violations;		/* array of strings */
	int status;			/* 0 until a refusing violation */
	json_t *body;			/* its error body; a string is raw */
	json_t *headers;		/* extra response headers, or NULL */
	const char *content_type;	/* of body; NULL: application/json */
};

struct check {
	const char *name;
	/* Validate; opts is the route's "check_options" object. */
	void (*run)(const struct mock_request *req, const json_t *opts,
	    struct verdict *v);
	/* The error body this service sends for status and message. */
	json_t *(*error)(const struct mock_request *req, const json_t *opts,
	    int status, const char *message);
	/*
	 * "auto": fill in what the real server generates; may replace
	 * *body (a new reference) and add headers.  NULL: not supported.
	 */
	void (*autofill)(const struct mock_request *req, const json_t *opts,
	    int status, json_t **body, json_t *headers);
	/* Note what a response body issued (thinking blocks); or NULL. */
	void (*issued)(const json_t *body);
	/* Free any state kept between requests; or NULL. */
	void (*cleanup)(void);
};

/* The validator called name, or NULL. */
const struct check *check_find(const char *name);

/* Free the state every validator keeps; at exit. */
void check_cleanup(void);

void verdict_init(struct verdict *v);
void verdict_release(struct verdict *v);

/*
 * Record a violation that a real service refuses with status and body
 * (stolen; NULL for an empty body).  Only the first
 * refusal decides the answer; later ones are recorded only.
 */
void check_fail(struct verdict *v, int status, json_t *body,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Record a violation that does not change the answer. */
void check_note(struct verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Check the syntax of a route's "expect"; -1 with a message. */
int check_expect_valid(const json_t *expect, char *err, size_t errsz);

/* Apply "expect" to the request; violations refuse with 400. */
void check_expect(const json_t *expect, const struct mock_request *req,
    const struct check *c, const json_t *opts, struct verdict *v);

/* Helpers for validators. */
const char *check_opt_str(const json_t *opts, const char *name);
bool check_opt_bool(const json_t *opts, const char *name, bool dflt);
/* The token of "Authorization: Bearer TOKEN", or NULL. */
const char *check_bearer(const struct mock_request *req);
/* The value of a query parameter as a string, or NULL. */
const char *check_arg(const struct mock_request *req, const char *name);
/* Whether the content type starts with (case-insensitively) type. */
bool check_content_type(const struct mock_request *req, const char *type);
/* Whether s is a textual IPv4 or IPv6 address. */
bool check_is_ip(const char *s);
/* Whether s is a GUID 8-4-4-4-12 of hex digits. */
bool check_is_guid(const char *s);
/* The request id the mock reports for the request, written to out. */
const char *check_request_id(const struct mock_request *req,
    const char *prefix, char *out, size_t outsz);

/* The validators; each lives in check_<name>.c. */
extern const struct check check_token;
extern const struct check check_imds;
extern const struct check check_appservice;
extern const struct check check_loganalytics;
extern const struct check check_sentinel;
extern const struct check check_graph;
extern const struct check check_abuseipdb;
extern const struct check check_virustotal;
extern const struct check check_teams;
extern const struct check check_slack;
extern const struct check check_anthropic;
extern const struct check check_openai;

#endif
