/*
 * lex: a single forward pass over the query text.  The lexer knows a few
 * things a plain tokenizer would not: Kusto's hyphenated and negated
 * operator words, timespan literals (30m, 1.5h), the four string literal
 * forms (quoted, verbatim @"...", multi-line ```...```, obfuscated h"..."),
 * and the literals whose contents are raw text (datetime(2024-05-01)).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "kql/lex.h"
#include "kql/time.h"

struct lexer {
	struct kql_arena	*a;
	const char		*s;
	size_t			 len;
	size_t			 pos;
	int			 line;
	int			 col;
	char			*err;
	size_t			 errsz;
	struct kql_tokens	*out;
};

/* Words spelled with a hyphen, recognised only when written without
 * spaces, so "a-b" stays a subtraction. */
static const char *const hyphen_words[] = {
	"project-away", "project-rename", "project-reorder", "project-keep",
	"mv-expand", "mv-apply", "make-series", "top-nested", "top-hitters",
	"parse-where", "parse-kv", "make-graph", "graph-match", "project-smart",
	NULL
};

/* Operators that take a leading "!". */
static const char *const bang_words[] = {
	"has", "has_cs", "contains", "contains_cs", "startswith",
	"startswith_cs", "endswith", "endswith_cs", "hasprefix",
	"hasprefix_cs", "hassuffix", "hassuffix_cs", "in", "between",
	"has_any", "has_all", "matches", NULL
};

static int
lex_error(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(lx->err, lx->errsz, "%d:%d: ", line, col);
	if (n < 0 || (size_t)n >= lx->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(lx->err + n, lx->errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int
peekc(const struct lexer *lx, size_t off)
{
	if (lx->pos + off >= lx->len)
		return -1;
	return (unsigned char)lx->s[lx->pos + off];
}

/* Moves one byte forward, keeping line and column (in characters). */
static void
advance(struct lexer *lx)
{
	unsigned char c = (unsigned char)lx->s[lx->pos++];

	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		lx->col++;
	}
}

static void
advance_n(struct lexer *lx, size_t n)
{
	while (n-- > 0 && lx->pos < lx->len)
		advance(lx);
}

static int
is_word_start(int c)
{
	return c >= 0 && (isalpha(c) || c == '_' || c == '$' || c >= 0x80);
}

static int
is_word_char(int c)
{
	return c >= 0 && (isalnum(c) || c == '_' || c >= 0x80);
}

static int
in_list(const char *const *list, const char *s, size_t n)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

static struct kql_token *
new_token(struct lexer *lx, enum kql_tok kind, int line, int col, int space)
{
	struct kql_token *t;

	t = kql_arena_push(lx->a, (void **)&lx->out->v, &lx->out->n,
	    &lx->out->cap, sizeof(*t));
	if (t == NULL) {
		lex_error(lx, line, col, "out of memory");
		return NULL;
	}
	t->kind = kind;
	t->line = line;
	t->col = col;
	t->space_before = space;
	return t;
}

/* Skips spaces and // comments.  Returns whether anything was skipped. */
static int
skip_space(struct lexer *lx)
{
	int c, skipped = 0;

	for (;;) {
		c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			advance(lx);
			skipped = 1;
		} else if (c == '/' && peekc(lx, 1) == '/') {
			while ((c = peekc(lx, 0)) != -1 && c != '\n')
				advance(lx);
			skipped = 1;
		} else {
			return skipped;
		}
	}
}

static int
lex_number(struct lexer *lx, int line, int col, int space)
{
	struct kql_token *t;
	size_t start = lx->pos, ustart, ulen;
	int is_real = 0, c;
	char buf[64];
	int64_t unit;
	double d;

	if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X')
	    && isxdigit(peekc(lx, 2))) {
		unsigned long long v;

		advance_n(lx, 2);
		while (isxdigit(peekc(lx, 0)))
			advance(lx);
		if (lx->pos - start >= sizeof(buf) ||
		    is_word_char(peekc(lx, 0)))
			return lex_error(lx, line, col, "malformed number");
		memcpy(buf, lx->s + start, lx->pos - start);
		buf[lx->pos - start] = '\0';
		errno = 0;
		v = strtoull(buf, NULL, 16);
		if (errno != 0 || v > INT64_MAX)
			return lex_error(lx, line, col, "number out of range");
		if ((t = new_token(lx, KT_LONG, line, col, space)) == NULL)
			return -1;
		t->ival = (int64_t)v;
		return 0;
	}
	while (isdigit(peekc(lx, 0)))
		advance(lx);
	if (peekc(lx, 0) == '.' && isdigit(peekc(lx, 1))) {
		is_real = 1;
		advance(lx);
		while (isdigit(peekc(lx, 0)))
			advance(lx);
	}
	c = peekc(lx, 0);
	if ((c == 'e' || c == 'E') && (isdigit(peekc(lx, 1)) ||
	    ((peekc(lx, 1) == '+' || peekc(lx, 1) == '-') &&
	    isdigit(peekc(lx, 2))))) {
		is_real = 1;
		advance_n(lx, 2);
		while (isdigit(peekc(lx, 0)))
			advance(lx);
	}
	if (lx->pos - start >= sizeof(buf))
		return lex_error(lx, line, col, "number too long");
	memcpy(buf, lx->s + start, lx->pos - start);
	buf[lx->pos - start] = '\0';
	ustart = lx->pos;
	while (is_word_char(peekc(lx, 0)))
		advance(lx);
	ulen = lx->pos - ustart;
	errno = 0;
	d = strtod(buf, NULL);
	if (ulen > 0) {
		unit = kql_timespan_unit(lx->s + ustart, ulen);
		if (unit == 0)
			return lex_error(lx, line, col,
			    "malformed number '%.*s'", (int)(lx->pos - start),
			    lx->s + start);
		d *= (double)unit;
		if (!(d < 9.2e18 && d > -9.2e18))
			return lex_error(lx, line, col,
			    "timespan out of range");
		if ((t = new_token(lx, KT_TIMESPAN, line, col, space)) == NULL)
			return -1;
		t->ival = (int64_t)llround(d);
		return 0;
	}
	if (is_real) {
		if (errno != 0 || !isfinite(d))
			return lex_error(lx, line, col, "number out of range");
		if ((t = new_token(lx, KT_REAL, line, col, space)) == NULL)
			return -1;
		t->rval = d;
		return 0;
	}
	{
		unsigned long long v;

		errno = 0;
		v = strtoull(buf, NULL, 10);
		if (errno != 0 || v > INT64_MAX)
			return lex_error(lx, line, col,
			    "number out of range");
		if ((t = new_token(lx, KT_LONG, line, col, space)) == NULL)
			return -1;
		t->ival = (int64_t)v;
	}
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
put_utf8(char *out, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | (cp >> 18));
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/*
 * A quoted string starting at the quote; verbatim strings double the
 * quote to escape it and know no backslash escapes.  The decoded text is
 * never longer than the source, so one allocation of that size does.
 */
static int
lex_string(struct lexer *lx, int line, int col, int verbatim,
    const char **text, size_t *len)
{
	int q = peekc(lx, 0), c, i, h;
	size_t start = lx->pos, n = 0, end;
	char *out;
	unsigned cp;

	/* Find the end first to size the buffer. */
	advance(lx);
	for (;;) {
		c = peekc(lx, 0);
		if (c == -1 || (c == '\n' && !verbatim))
			return lex_error(lx, line, col,
			    "unterminated string literal");
		if (c == q) {
			if (verbatim && peekc(lx, 1) == q) {
				advance_n(lx, 2);
				continue;
			}
			break;
		}
		if (c == '\\' && !verbatim) {
			advance(lx);
			if (peekc(lx, 0) == -1)
				return lex_error(lx, line, col,
				    "unterminated string literal");
		}
		advance(lx);
	}
	end = lx->pos;
	advance(lx);		/* the closing quote */
	out = kql_arena_alloc(lx->a, end - start + 1);
	if (out == NULL)
		return lex_error(lx, line, col, "out of memory");
	for (size_t p = start + 1; p < end; p++) {
		c = (unsigned char)lx->s[p];
		if (verbatim) {
			if (c == q)
				p++;
			out[n++] = (char)c;
			continue;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			continue;
		}
		c = (unsigned char)lx->s[++p];
		switch (c) {
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case '\\':
		case '"':
		case '\'':
			out[n++] = (char)c;
			break;
		case 'u':
			cp = 0;
			for (i = 1; i <= 4; i++) {
				if (p + (size_t)i >= end || (h = hexval(
				    (unsigned char)lx->s[p + i])) < 0)
					return lex_error(lx, line, col,
					    "malformed \\u escape in string");
				cp = cp * 16 + (unsigned)h;
			}
			if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				return lex_error(lx, line, col,
				    "unsupported \\u escape in string");
			put_utf8(out, &n, cp);
			p += 4;
			break;
		default:
			return lex_error(lx, line, col,
			    "unknown escape sequence '\\%c' in string "
			    "(use a verbatim string, @\"...\")",
			    isprint(c) ? c : '?');
		}
	}
	out[n] = '\0';
	if (memchr(out, '\0', n) != NULL)
		return lex_error(lx, line, col, "NUL byte in string literal");
	*text = out;
	*len = n;
	return 0;
}

/* A ```multi-line``` string: raw text up to the next ```. */
static int
lex_multiline(struct lexer *lx, int line, int col, const char **text,
    size_t *len)
{
	size_t start;

	advance_n(lx, 3);
	start = lx->pos;
	for (;;) {
		if (peekc(lx, 0) == -1)
			return lex_error(lx, line, col,
			    "unterminated ``` string literal");
		if (peekc(lx, 0) == '`' && peekc(lx, 1) == '`' &&
		    peekc(lx, 2) == '`')
			break;
		advance(lx);
	}
	*len = lx->pos - start;
	*text = kql_arena_strndup(lx->a, lx->s + start, *len);
	advance_n(lx, 3);
	if (*text == NULL)
		return lex_error(lx, line, col, "out of memory");
	return 0;
}

/* Adjacent string literals are one literal in KQL ("a" "b" is "ab"). */
static int
add_string(struct lexer *lx, int line, int col, int space, const char *text,
    size_t len)
{
	struct kql_token *t, *prev;
	char *joined;

	prev = lx->out->n > 0 ? &lx->out->v[lx->out->n - 1] : NULL;
	if (prev != NULL && prev->kind == KT_STRING) {
		joined = kql_arena_alloc(lx->a, prev->len + len + 1);
		if (joined == NULL)
			return lex_error(lx, line, col, "out of memory");
		memcpy(joined, prev->text, prev->len);
		memcpy(joined + prev->len, text, len);
		prev->text = joined;
		prev->len += len;
		return 0;
	}
	if ((t = new_token(lx, KT_STRING, line, col, space)) == NULL)
		return -1;
	t->text = text;
	t->len = len;
	return 0;
}

/* datetime(...), timespan(...), time(...), guid(...): raw contents. */
static int
lex_raw(struct lexer *lx, const char *word, int line, int col, int space)
{
	struct kql_token *t;
	size_t start, end;
	int c, q = 0;

	skip_space(lx);
	advance(lx);		/* ( */
	start = lx->pos;
	for (;;) {
		c = peekc(lx, 0);
		if (c == -1)
			return lex_error(lx, line, col,
			    "unterminated %s(...) literal", word);
		if (q != 0) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == ')') {
			break;
		}
		advance(lx);
	}
	end = lx->pos;
	advance(lx);
	while (start < end && isspace((unsigned char)lx->s[start]))
		start++;
	while (end > start && isspace((unsigned char)lx->s[end - 1]))
		end--;
	if (end - start >= 2 && (lx->s[start] == '"' || lx->s[start] == '\'')
	    && lx->s[end - 1] == lx->s[start]) {
		start++;
		end--;
	}
	if ((t = new_token(lx, KT_RAWLIT, line, col, space)) == NULL)
		return -1;
	t->word = word;
	t->text = kql_arena_strndup(lx->a, lx->s + start, end - start);
	t->len = end - start;
	return t->text == NULL ? lex_error(lx, line, col, "out of memory") : 0;
}

static int
lex_word(struct lexer *lx, int line, int col, int space, int bang)
{
	struct kql_token *t;
	size_t start = lx->pos, save, n;
	int sline, scol;
	char *w;

	if (bang)
		advance(lx);
	advance(lx);
	while (is_word_char(peekc(lx, 0)))
		advance(lx);
	n = lx->pos - start;
	if (bang && !in_list(bang_words, lx->s + start + 1, n - 1))
		return lex_error(lx, line, col, "unexpected '!'");
	/* project-away and friends */
	if (!bang && peekc(lx, 0) == '-' && isalpha(peekc(lx, 1))) {
		save = lx->pos;
		sline = lx->line;
		scol = lx->col;
		advance(lx);
		while (is_word_char(peekc(lx, 0)))
			advance(lx);
		if (!in_list(hyphen_words, lx->s + start, lx->pos - start)) {
			lx->pos = save;
			lx->line = sline;
			lx->col = scol;
		}
		n = lx->pos - start;
	}
	/* in~ and !in~ */
	if (peekc(lx, 0) == '~' && ((n == 2 && memcmp(lx->s + start, "in", 2)
	    == 0) || (n == 3 && memcmp(lx->s + start, "!in", 3) == 0))) {
		advance(lx);
		n++;
	}
	w = kql_arena_strndup(lx->a, lx->s + start, n);
	if (w == NULL)
		return lex_error(lx, line, col, "out of memory");
	if (!bang && (strcmp(w, "datetime") == 0 ||
	    strcmp(w, "timespan") == 0 || strcmp(w, "time") == 0 ||
	    strcmp(w, "guid") == 0)) {
		size_t p = lx->pos;

		while (p < lx->len && (lx->s[p] == ' ' || lx->s[p] == '\t'))
			p++;
		if (p < lx->len && lx->s[p] == '(' &&
		    !(lx->out->n > 0 && lx->out->v[lx->out->n - 1].kind ==
		    KT_DOT))
			return lex_raw(lx, strcmp(w, "time") == 0 ?
			    "timespan" : w, line, col, space);
	}
	if ((t = new_token(lx, KT_WORD, line, col, space)) == NULL)
		return -1;
	t->text = w;
	t->len = n;
	return 0;
}

static int
lex_one(struct lexer *lx)
{
	int space, line, col, c, c1;
	enum kql_tok kind;
	const char *text;
	size_t len;

	space = skip_space(lx);
	line = lx->line;
	col = lx->col;
	c = peekc(lx, 0);
	if (c == -1)
		return new_token(lx, KT_EOF, line, col, space) ? 1 : -1;
	c1 = peekc(lx, 1);
	if (c == '\0')
		return lex_error(lx, line, col, "NUL byte in query");
	if (isdigit(c))
		return lex_number(lx, line, col, space);
	if ((c == 'h' || c == 'H') && (c1 == '"' || c1 == '\'' ||
	    (c1 == '@' && (peekc(lx, 2) == '"' || peekc(lx, 2) == '\'')))) {
		/* Obfuscated string: the same value, hidden from logs. */
		advance(lx);
		c = peekc(lx, 0);
		c1 = peekc(lx, 1);
	}
	if (c == '@' && (c1 == '"' || c1 == '\'')) {
		advance(lx);
		if (lex_string(lx, line, col, 1, &text, &len) == -1)
			return -1;
		return add_string(lx, line, col, space, text, len);
	}
	if (c == '"' || c == '\'') {
		if (lex_string(lx, line, col, 0, &text, &len) == -1)
			return -1;
		return add_string(lx, line, col, space, text, len);
	}
	if (c == '`' && c1 == '`' && peekc(lx, 2) == '`') {
		if (lex_multiline(lx, line, col, &text, &len) == -1)
			return -1;
		return add_string(lx, line, col, space, text, len);
	}
	if (is_word_start(c))
		return lex_word(lx, line, col, space, 0);
	if (c == '!' && is_word_start(c1))
		return lex_word(lx, line, col, space, 1);
	len = 1;
	switch (c) {
	case '|':
		kind = KT_PIPE;
		break;
	case '(':
		kind = KT_LPAREN;
		break;
	case ')':
		kind = KT_RPAREN;
		break;
	case '[':
		kind = KT_LBRACK;
		break;
	case ']':
		kind = KT_RBRACK;
		break;
	case '{':
		kind = KT_LBRACE;
		break;
	case '}':
		kind = KT_RBRACE;
		break;
	case ',':
		kind = KT_COMMA;
		break;
	case ';':
		kind = KT_SEMI;
		break;
	case ':':
		kind = KT_COLON;
		break;
	case '?':
		kind = KT_QUESTION;
		break;
	case '.':
		kind = c1 == '.' ? KT_DOTDOT : KT_DOT;
		len = c1 == '.' ? 2 : 1;
		break;
	case '=':
		if (c1 == '=') {
			kind = KT_EQ;
			len = 2;
		} else if (c1 == '~') {
			kind = KT_EQ_CI;
			len = 2;
		} else if (c1 == '>') {
			kind = KT_ARROW;
			len = 2;
		} else {
			kind = KT_ASSIGN;
		}
		break;
	case '!':
		if (c1 == '=') {
			kind = KT_NE;
			len = 2;
		} else if (c1 == '~') {
			kind = KT_NE_CI;
			len = 2;
		} else {
			return lex_error(lx, line, col, "unexpected '!'");
		}
		break;
	case '<':
		if (c1 == '=') {
			kind = KT_LE;
			len = 2;
		} else if (c1 == '>') {
			kind = KT_NE;
			len = 2;
		} else {
			kind = KT_LT;
		}
		break;
	case '>':
		kind = c1 == '=' ? KT_GE : KT_GT;
		len = c1 == '=' ? 2 : 1;
		break;
	case '+':
		kind = KT_PLUS;
		break;
	case '-':
		kind = KT_MINUS;
		break;
	case '*':
		kind = KT_STAR;
		break;
	case '/':
		kind = KT_SLASH;
		break;
	case '%':
		kind = KT_PERCENT;
		break;
	default:
		if (c >= 0x20 && c < 0x7f)
			return lex_error(lx, line, col, "unexpected '%c'", c);
		return lex_error(lx, line, col,
		    "unexpected character (byte 0x%02x)", c);
	}
	advance_n(lx, len);
	return new_token(lx, kind, line, col, space) ? 0 : -1;
}

int
kql_lex(struct kql_arena *a, const char *text, size_t len,
    struct kql_tokens *out, char *err, size_t errsz)
{
	struct lexer lx;
	int rc;

	memset(&lx, 0, sizeof(lx));
	lx.a = a;
	lx.s = text;
	lx.len = len;
	lx.line = 1;
	lx.col = 1;
	lx.err = err;
	lx.errsz = errsz;
	lx.out = out;
	out->v = NULL;
	out->n = 0;
	out->cap = 0;
	/* A byte-order mark is not part of the query. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		lx.pos = 3;
	while ((rc = lex_one(&lx)) == 0)
		;
	return rc == 1 ? 0 : -1;
}

const char *
kql_tok_describe(const struct kql_token *t, char *out, size_t outsz)
{
	static const char *const punct[] = {
		[KT_PIPE] = "|", [KT_LPAREN] = "(", [KT_RPAREN] = ")",
		[KT_LBRACK] = "[", [KT_RBRACK] = "]", [KT_LBRACE] = "{",
		[KT_RBRACE] = "}", [KT_COMMA] = ",", [KT_SEMI] = ";",
		[KT_COLON] = ":", [KT_DOT] = ".", [KT_DOTDOT] = "..",
		[KT_ASSIGN] = "=", [KT_EQ] = "==", [KT_NE] = "!=",
		[KT_LT] = "<", [KT_LE] = "<=", [KT_GT] = ">", [KT_GE] = ">=",
		[KT_EQ_CI] = "=~", [KT_NE_CI] = "!~", [KT_PLUS] = "+",
		[KT_MINUS] = "-", [KT_STAR] = "*", [KT_SLASH] = "/",
		[KT_PERCENT] = "%", [KT_ARROW] = "=>", [KT_QUESTION] = "?"
	};

	switch (t->kind) {
	case KT_EOF:
		snprintf(out, outsz, "end of query");
		break;
	case KT_WORD:
		snprintf(out, outsz, "'%.40s'", t->text);
		break;
	case KT_STRING:
		snprintf(out, outsz, "a string");
		break;
	case KT_LONG:
	case KT_REAL:
		snprintf(out, outsz, "a number");
		break;
	case KT_TIMESPAN:
		snprintf(out, outsz, "a timespan");
		break;
	case KT_RAWLIT:
		snprintf(out, outsz, "%s(...)", t->word);
		break;
	default:
		snprintf(out, outsz, "'%s'", punct[t->kind]);
		break;
	}
	return out;
}
