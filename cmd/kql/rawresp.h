/*
 * rawresp: a Log Analytics query response read in place.  A large result
 * is mostly rows of scalars; building a Jansson value for each of them
 * costs more than everything else triage-kql does with them.  So the
 * response is checked once, strictly, as JSON (what Jansson accepts, we
 * accept) and as a response (tables of columns and rows), and the rows
 * are left where they are, for output.c to convert straight from the
 * bytes.  The small parts (column lists, the error) are Jansson values.
 */
#ifndef TRIAGE_KQL_RAWRESP_H
#define TRIAGE_KQL_RAWRESP_H

#include <stddef.h>

#include <jansson.h>

struct buf;

struct raw_table {
	char		*name;		/* NULL when it has none */
	json_t		*columns;	/* [{"name","type"}, ...] */
	const char	*rows;		/* its '[' in the body; NULL: none */
	size_t		 nrows;
};

struct raw_response {
	char		*body;		/* owned, NUL-terminated */
	size_t		 len;
	struct raw_table *tables;
	size_t		 ntables;
	json_t		*error;		/* a partial result's "error", or NULL */
};

/*
 * Takes body (len bytes, NUL-terminated, from malloc) and checks it.
 * 0, or -1 with err saying what is wrong and where; r owns body either
 * way and must be released.
 */
int	 raw_response_read(struct raw_response *r, char *body, size_t len,
	    struct buf *err);
void	 raw_response_release(struct raw_response *r);

/* The whole response as a Jansson value (for the table and CSV), or
 * NULL with err set. */
json_t	*raw_response_json(const struct raw_response *r, struct buf *err);

/* Scanning a value known to be valid, for the writers. */
enum raw_kind {
	RAW_NULL,
	RAW_TRUE,
	RAW_FALSE,
	RAW_NUMBER,
	RAW_STRING,
	RAW_OBJECT,
	RAW_ARRAY
};

struct raw_value {
	enum raw_kind	 kind;
	const char	*p;		/* the token, quotes and all */
	size_t		 len;
	int		 escaped;	/* a string with backslash escapes */
	int		 integral;	/* a number without . or e */
};

/* Past JSON whitespace. */
const char *raw_ws(const char *p, const char *end);

/*
 * Scans (and checks) the value at p, which must not be whitespace.
 * Returns the first byte after it, or NULL when it is not valid JSON
 * (then *bad, unless bad is NULL, is where it went wrong).
 */
const char *raw_scan(const char *p, const char *end, struct raw_value *v,
	    const char **bad);

/* Appends the contents of a string token, unescaped. */
void	 raw_unescape(struct buf *b, const char *tok, size_t len);

/* Appends a valid JSON text without its insignificant whitespace. */
void	 raw_minify(struct buf *b, const char *p, size_t len);

/* Whether p..len is exactly one JSON value (whitespace around allowed);
 * *v describes it. */
int	 raw_is_json(const char *p, size_t len, struct raw_value *v);

#endif
