/*
 * csv: a byte-at-a-time state machine over getc_unlocked, which is fast
 * enough for a million rows and never needs to look ahead more than one
 * byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kql/csv.h"

void
kql_csv_init(struct kql_csv *c, FILE *fp)
{
	memset(c, 0, sizeof(*c));
	c->fp = fp;
	c->line = 1;
	c->first = 1;
}

void
kql_csv_release(struct kql_csv *c)
{
	free(c->buf);
	free(c->offs);
	free(c->lens);
	c->buf = NULL;
	c->offs = c->lens = NULL;
}

static int
putb(struct kql_csv *c, int ch)
{
	char *nb;

	if (c->len + 1 >= c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;

		nb = realloc(c->buf, ncap);
		if (nb == NULL)
			return -1;
		c->buf = nb;
		c->cap = ncap;
	}
	c->buf[c->len++] = (char)ch;
	return 0;
}

static int
start_field(struct kql_csv *c)
{
	size_t *no, *nl;

	if (c->nfields == c->fcap) {
		size_t ncap = c->fcap ? c->fcap * 2 : 64;

		no = realloc(c->offs, ncap * sizeof(*no));
		if (no == NULL)
			return -1;
		c->offs = no;
		nl = realloc(c->lens, ncap * sizeof(*nl));
		if (nl == NULL)
			return -1;
		c->lens = nl;
		c->fcap = ncap;
	}
	c->offs[c->nfields] = c->len;
	c->lens[c->nfields] = 0;
	c->nfields++;
	return 0;
}

static void
end_field(struct kql_csv *c)
{
	c->lens[c->nfields - 1] = c->len - c->offs[c->nfields - 1];
	putb(c, '\0');
}

/* Skips the rest of a malformed record, up to an unquoted line end. */
static void
skip_record(struct kql_csv *c, int inq)
{
	int ch;

	while ((ch = getc_unlocked(c->fp)) != EOF) {
		if (ch == '"')
			inq = !inq;
		if (ch == '\n') {
			c->line++;
			if (!inq)
				return;
		}
	}
}

int
kql_csv_next(struct kql_csv *c)
{
	int ch, inq = 0, quoted = 0, after_quote = 0, any = 0;

	c->len = 0;
	c->nfields = 0;
	c->error[0] = '\0';
	if (c->first) {
		c->first = 0;
		ch = getc_unlocked(c->fp);
		if (ch == 0xef) {
			if (getc_unlocked(c->fp) != 0xbb ||
			    getc_unlocked(c->fp) != 0xbf) {
				snprintf(c->error, sizeof(c->error),
				    "malformed byte-order mark");
				return -2;
			}
		} else if (ch != EOF) {
			ungetc(ch, c->fp);
		}
	}
	/* skip blank lines */
	for (;;) {
		ch = getc_unlocked(c->fp);
		if (ch == '\r')
			continue;
		if (ch == '\n') {
			c->line++;
			continue;
		}
		break;
	}
	if (ch == EOF)
		return ferror(c->fp) ? -2 : 0;
	c->rec_line = c->line;
	if (start_field(c) == -1)
		return -2;
	for (;; ch = getc_unlocked(c->fp)) {
		if (ch == EOF) {
			if (ferror(c->fp))
				return -2;
			if (inq) {
				snprintf(c->error, sizeof(c->error),
				    "unterminated quoted field");
				return -1;
			}
			end_field(c);
			return 1;
		}
		any = 1;
		if (inq) {
			if (ch == '"') {
				int nx = getc_unlocked(c->fp);

				if (nx == '"') {
					if (putb(c, '"') == -1)
						return -2;
					continue;
				}
				if (nx != EOF)
					ungetc(nx, c->fp);
				inq = 0;
				after_quote = 1;
				continue;
			}
			if (ch == '\n')
				c->line++;
			if (putb(c, ch) == -1)
				return -2;
			continue;
		}
		if (ch == ',') {
			end_field(c);
			if (start_field(c) == -1)
				return -2;
			quoted = after_quote = 0;
			continue;
		}
		if (ch == '\r') {
			int nx = getc_unlocked(c->fp);

			if (nx == '\n')
				ch = '\n';
			else if (nx != EOF)
				ungetc(nx, c->fp);
			if (ch == '\r') {
				/* a lone CR inside an unquoted field */
				if (after_quote)
					goto bad;
				if (putb(c, ch) == -1)
					return -2;
				continue;
			}
		}
		if (ch == '\n') {
			c->line++;
			end_field(c);
			return 1;
		}
		if (after_quote)
			goto bad;
		if (ch == '"' && !quoted && c->len == c->offs[c->nfields - 1]) {
			inq = quoted = 1;
			continue;
		}
		if (putb(c, ch) == -1)
			return -2;
	}
bad:
	(void)any;
	snprintf(c->error, sizeof(c->error), "text after a closing quote");
	skip_record(c, 0);
	return -1;
}

const char *
kql_csv_field(const struct kql_csv *c, size_t i, size_t *len)
{
	if (i >= c->nfields) {
		*len = 0;
		return "";
	}
	*len = c->lens[i];
	return c->buf + c->offs[i];
}
