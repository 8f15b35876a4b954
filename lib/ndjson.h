/*
 * ndjson: newline-delimited JSON in and out.  The reader takes lines of any
 * length, strips a trailing \r and a leading byte-order mark, skips blank
 * lines and counts lines so that an error can say "source:line: what".
 * Programs that also accept plain text (an IP per line) read raw lines and
 * parse the ones that look like JSON with ndjson_parse.
 */
#ifndef TRIAGE_NDJSON_H
#define TRIAGE_NDJSON_H

#include <stdio.h>

#include <jansson.h>

struct ndjson_reader {
	FILE		*fp;
	const char	*source;	/* for messages: a file name or "<stdin>" */
	size_t		 line;		/* number of the line last read */
	char		*buf;
	size_t		 cap;
	int		 failed;	/* the last call stopped on an error */
	char		 error[512];	/* "source:line: what" when failed */
};

/* Reads from fp; source names it in messages.  No allocation yet. */
void	 ndjson_init(struct ndjson_reader *r, FILE *fp, const char *source);
/* Frees the line buffer (does not close fp). */
void	 ndjson_release(struct ndjson_reader *r);

/*
 * The next non-blank line, without its line ending, borrowed until the next
 * call; *len is its length (it may hold NUL bytes).  NULL at end of input or
 * on a read error (then r->failed is set and r->error says why).
 */
char	*ndjson_getline(struct ndjson_reader *r, size_t *len);

/*
 * Parses one line read by ndjson_getline as a JSON value.  Returns a new
 * reference, or NULL with r->error set to "source:line: what".
 */
json_t	*ndjson_parse(struct ndjson_reader *r, const char *line, size_t len);

/*
 * The next record: a JSON object.  Returns a new reference; the caller
 * decrefs.  NULL at end of input or on error (r->failed says which).
 * A line that is valid JSON but not an object is an error.
 */
json_t	*ndjson_next(struct ndjson_reader *r);

/*
 * Writes rec as one compact line.  Flushes after each record unless fp is
 * a regular file, so a pipeline sees records as they are made.
 * Returns 0, or -1 on a write error.
 */
int	 ndjson_write(FILE *fp, const json_t *rec);

/* Nonzero when a line looks like a JSON object or array (first non-space). */
int	 ndjson_is_json_line(const char *line, size_t len);

#endif
