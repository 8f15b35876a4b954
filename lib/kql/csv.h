/*
 * csv: an RFC 4180 reader: fields separated by commas, quoted fields
 * with "" for a quote and line breaks inside, CRLF or LF between
 * records, a UTF-8 byte-order mark skipped.  Each record reports the
 * line it starts on, for error messages.
 */
#ifndef TRIAGE_KQL_CSV_H
#define TRIAGE_KQL_CSV_H

#include <stdio.h>

struct kql_csv {
	FILE	*fp;
	size_t	 line;		/* the line the next record starts on */
	size_t	 rec_line;	/* the line the last record started on */
	char	*buf;		/* field text, NUL-separated */
	size_t	 len;
	size_t	 cap;
	size_t	*offs;		/* field start offsets into buf */
	size_t	*lens;
	size_t	 nfields;
	size_t	 fcap;
	int	 first;
	char	 error[128];	/* why the last record was malformed */
};

/* Reads from fp (not closed).  No allocation yet. */
void	 kql_csv_init(struct kql_csv *c, FILE *fp);
void	 kql_csv_release(struct kql_csv *c);

/*
 * Reads the next record.  Returns 1 with c->nfields fields (field i is
 * kql_csv_field(c, i)), 0 at the end, -1 on a malformed record (c->error
 * says why; reading can go on with the next record) or -2 on a read
 * error or when memory runs out.  Blank lines are skipped.
 */
int	 kql_csv_next(struct kql_csv *c);
const char *kql_csv_field(const struct kql_csv *c, size_t i, size_t *len);

#endif
