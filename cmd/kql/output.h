/*
 * output: a Log Analytics query response (azure-apis.md B.3), from either
 * backend, written as NDJSON rows, one JSON result object, an aligned
 * table for a person, or RFC 4180 CSV.  Values are typed by their
 * column: numbers stay numbers (64-bit longs exactly), bools become
 * true/false, datetimes ISO-8601 UTC, dynamic values parsed JSON.
 *
 * One table is written: the one named PrimaryResult, else the first.
 * Log Analytics sends only PrimaryResult for ordinary queries; any other
 * table is reported in the summary (other_tables) for the caller to warn
 * about, never silently mixed into the rows.
 */
#ifndef TRIAGE_KQL_OUTPUT_H
#define TRIAGE_KQL_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct buf;
struct raw_response;

enum output_format {
	OUTPUT_NDJSON,
	OUTPUT_JSON,
	OUTPUT_TABLE,
	OUTPUT_CSV
};

/* What output_result wrote. */
struct output_summary {
	size_t		 row_count;	/* rows in the result */
	size_t		 returned_rows;	/* rows written */
	int		 truncated;	/* max_rows cut some */
	size_t		 other_tables;	/* tables left out */
	const json_t	*partial_error;	/* borrowed from the response,
					   or NULL */
};

/* "ndjson", "json", "table", "csv": 0, or -1 for another name. */
int	 output_parse_format(const char *name, enum output_format *f);

/*
 * Checks that response has the shape of a query response, so that a
 * result is written whole or not at all.  0, or -1 with err saying what
 * is wrong ("tables[0].rows[12] is not an array").
 */
int	 output_check(const json_t *response, struct buf *err);

/*
 * Writes response (already checked) to fp in format f, at most max_rows
 * rows (0: all).  Returns 0, or -1 on a write error.
 */
int	 output_result(FILE *fp, const json_t *response, enum output_format f,
	    long max_rows, struct output_summary *sum);

/*
 * output_result for a response read in place (rawresp.h): NDJSON and
 * JSON are written straight from its bytes.  0, -1 on a write error, or
 * -2 when the response cannot be read as a whole (err says why).
 */
int	 output_raw(FILE *fp, const struct raw_response *r,
	    enum output_format f, long max_rows, struct output_summary *sum,
	    struct buf *err);

/*
 * Writes {"error":{"code","message","details"}} as one line; details may
 * be NULL (written as null).  0 or -1.
 */
int	 output_error(FILE *fp, const char *code, const char *message,
	    const json_t *details);

/*
 * Appends a value typed by its column type (a Log Analytics type name)
 * as JSON.  Exposed for the unit tests.
 */
void	 output_json_value(struct buf *b, const char *type, const json_t *v);

/*
 * Appends a person-readable account of an API error object (B.6): its
 * "code: message", then each innererror and detail on its own line,
 * indented by depth, so the whole chain the model needs is kept.
 */
void	 output_describe_error(struct buf *b, const json_t *error);

#endif
