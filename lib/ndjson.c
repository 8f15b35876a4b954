/*
 * ndjson: line-oriented JSON.  getline(3) grows the buffer as needed, so a
 * 10 MB line costs 10 MB and no more; Jansson's own depth limit keeps deep
 * nesting from exhausting the stack.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"

void
ndjson_init(struct ndjson_reader *r, FILE *fp, const char *source)
{
	r->fp = fp;
	r->source = source != NULL ? source : "<stdin>";
	r->line = 0;
	r->buf = NULL;
	r->cap = 0;
	r->failed = 0;
	r->error[0] = '\0';
}

void
ndjson_release(struct ndjson_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n' && s[i] != '\f' && s[i] != '\v')
			return 0;
	return 1;
}

char *
ndjson_getline(struct ndjson_reader *r, size_t *len)
{
	ssize_t n;

	r->failed = 0;
	for (;;) {
		errno = 0;
		n = getline(&r->buf, &r->cap, r->fp);
		if (n == -1) {
			if (ferror(r->fp) || errno == ENOMEM) {
				r->failed = 1;
				snprintf(r->error, sizeof(r->error),
				    "%s:%zu: %s", r->source, r->line + 1,
				    strerror(errno != 0 ? errno : EIO));
			}
			return NULL;
		}
		r->line++;
		/* A byte-order mark (PowerShell, Notepad) would hide the first
		   record: as JSON it does not parse, as text it hides the "{". */
		if (r->line == 1 && n >= 3 &&
		    memcmp(r->buf, "\357\273\277", 3) == 0) {
			memmove(r->buf, r->buf + 3, (size_t)n - 2);
			n -= 3;
		}
		if (n > 0 && r->buf[n - 1] == '\n')
			r->buf[--n] = '\0';
		if (n > 0 && r->buf[n - 1] == '\r')
			r->buf[--n] = '\0';
		if (is_blank(r->buf, (size_t)n))
			continue;
		*len = (size_t)n;
		return r->buf;
	}
}

json_t *
ndjson_parse(struct ndjson_reader *r, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *v;

	v = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
	if (v == NULL) {
		r->failed = 1;
		snprintf(r->error, sizeof(r->error), "%s:%zu: %s (column %d)",
		    r->source, r->line, jerr.text, jerr.column);
	}
	return v;
}

json_t *
ndjson_next(struct ndjson_reader *r)
{
	json_t *v;
	size_t len;
	char *line;

	line = ndjson_getline(r, &len);
	if (line == NULL)
		return NULL;
	v = ndjson_parse(r, line, len);
	if (v != NULL && !json_is_object(v)) {
		json_decref(v);
		r->failed = 1;
		snprintf(r->error, sizeof(r->error),
		    "%s:%zu: expected a JSON object", r->source, r->line);
		return NULL;
	}
	return v;
}

int
ndjson_write(FILE *fp, const json_t *rec)
{
	static FILE *known_fp;
	static int known_regular;
	struct stat st;

	if (fp != known_fp) {
		known_fp = fp;
		known_regular = fstat(fileno(fp), &st) == 0 &&
		    S_ISREG(st.st_mode);
	}
	if (json_dumpf(rec, fp, JSON_COMPACT) == -1 || putc('\n', fp) == EOF)
		return -1;
	if (!known_regular && fflush(fp) == EOF)
		return -1;
	return ferror(fp) ? -1 : 0;
}

int
ndjson_is_json_line(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] == ' ' || line[i] == '\t')
			continue;
		return line[i] == '{' || line[i] == '[';
	}
	return 0;
}
