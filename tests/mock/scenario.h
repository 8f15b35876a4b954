/*
 * scenario: the routes and scripted responses a test gives the mock,
 * loaded from a JSON file and checked strictly, so that a typo in a key
 * fails the test at once instead of silently changing what is served.
 */
#ifndef MOCK_SCENARIO_H
#define MOCK_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct check;

enum scenario_fault {
	FAULT_NONE,
	FAULT_DROP,
	FAULT_TRUNCATE,
	FAULT_RESET,
	FAULT_INVALID_JSON
};

enum scenario_after {
	AFTER_REPEAT_LAST,
	AFTER_CYCLE,
	AFTER_FAIL
};

enum scenario_body {
	BODY_NONE,
	BODY_TEXT,		/* body: a string, or a value serialised */
	BODY_FILE,		/* body_file: sent as is, never templated */
	BODY_PAD		/* size: {"pad":"xx...x"}, exactly size bytes */
};

struct response {
	int status;			/* 0 when the scenario left it out */
	json_t *headers;		/* object of strings, or NULL */
	enum scenario_body body_kind;
	char *body;			/* BODY_TEXT; NUL-terminated */
	bool body_is_value;		/* body was not a JSON string */
	char *body_file;		/* BODY_FILE: resolved path */
	uint64_t size;			/* BODY_PAD */
	long delay_ms;
	long stall_ms;
	enum scenario_fault fault;
	unsigned long repeat;
	const struct check *autofill;	/* "auto": NULL or a check */
};

struct route {
	char *method;			/* NULL: any */
	char *path;			/* NULL: any */
	char *query;			/* NULL: any */
	json_t *header;			/* lower-cased names to globs */
	const struct check *check;
	json_t *check_options;		/* object, never NULL */
	json_t *expect;			/* object or NULL */
	bool record_only;		/* on_violation: "record" */
	struct response *responses;
	size_t nresponses;
	enum scenario_after after;
	/* Where the route is in its list; guarded by the server lock. */
	size_t cur;
	unsigned long served;		/* times responses[cur] was served */
	bool exhausted;
};

struct scenario {
	char *path;
	char *dir;
	struct route *routes;
	size_t nroutes;
	struct response *dflt;		/* NULL: 404 "no route" */
};

/*
 * Load path into s.  On failure returns -1 with a one-line message in
 * err naming the problem (the caller prefixes the file name).
 */
int scenario_load(const char *path, struct scenario *s, char *err,
    size_t errsz);
void scenario_release(struct scenario *s);

/* The first route matching the request, or NULL. */
struct route *scenario_match(struct scenario *s, const char *method,
    const char *path, const char *query, const json_t *headers,
    size_t *index);

/*
 * The response the route serves next and advance its cursor.  NULL
 * when the list is used up and the route says "after": "fail".
 */
const struct response *scenario_next(struct route *r);

#endif
