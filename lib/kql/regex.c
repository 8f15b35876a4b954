/*
 * regex: parse to a tree, compile the tree to a program for a Pike VM
 * (Thompson's construction with capture slots, after Russ Cox's "Regular
 * Expression Matching: the Virtual Machine Approach"), run the program
 * over the text once, keeping one thread per instruction in priority
 * order.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kql/regex.h"

enum node_kind {
	N_EMPTY, N_CHAR, N_ANY, N_CLASS, N_CAT, N_ALT, N_REPEAT, N_GROUP,
	N_ASSERT
};

enum assert_kind { AS_BOL, AS_EOL, AS_BOT, AS_EOT, AS_WORDB, AS_NWORDB };

struct range {
	uint32_t	lo;
	uint32_t	hi;
};

struct node {
	enum node_kind	 kind;
	uint32_t	 c;		/* N_CHAR */
	int		 icase;
	int		 dotnl;		/* N_ANY matches \n */
	int		 multiline;	/* N_ASSERT ^ $ */
	struct range	*ranges;	/* N_CLASS */
	size_t		 nranges;
	int		 neg;
	struct node	*a;
	struct node	*b;
	int		 min;		/* N_REPEAT */
	int		 max;		/* -1: no limit */
	int		 greedy;
	int		 cap;		/* N_GROUP: capture index or -1 */
	enum assert_kind as;
	struct node	*next;		/* allocation list */
};

enum op {
	I_CHAR, I_ANY, I_ANYNL, I_CLASS, I_MATCH, I_JMP, I_SPLIT, I_SAVE,
	I_ASSERT
};

struct inst {
	enum op		 op;
	uint32_t	 c;
	int		 icase;
	int		 x;		/* JMP/SPLIT target, SAVE slot, class */
	int		 y;		/* SPLIT second target */
	enum assert_kind as;
	int		 multiline;
};

struct cls {
	struct range	*ranges;
	size_t		 n;
	int		 neg;
	int		 icase;
};

struct kql_re {
	struct inst	*prog;
	int		 n;
	struct cls	*classes;
	int		 nclasses;
	int		 ngroups;
};

struct parser {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	int		 icase;
	int		 dotnl;
	int		 multiline;
	int		 ncap;
	int		 depth;
	struct node	*all;
	char		*err;
	size_t		 errsz;
	int		 failed;
};

static struct node *parse_alt(struct parser *);

static void
perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errsz, fmt, ap);
	va_end(ap);
}

static struct node *
new_node(struct parser *p, enum node_kind kind)
{
	struct node *n;

	n = calloc(1, sizeof(*n));
	if (n == NULL) {
		perr(p, "out of memory");
		return NULL;
	}
	n->kind = kind;
	n->next = p->all;
	p->all = n;
	return n;
}

static void
free_nodes(struct node *n)
{
	struct node *next;

	for (; n != NULL; n = next) {
		next = n->next;
		free(n->ranges);
		free(n);
	}
}

/* Decodes one UTF-8 character at s[*i]; a bad byte stands for itself. */
static uint32_t
utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	size_t left = len - *i;
	uint32_t c;

	if (u[0] < 0x80 || left < 2) {
		(*i)++;
		return u[0];
	}
	if ((u[0] & 0xe0) == 0xc0 && (u[1] & 0xc0) == 0x80) {
		c = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		if (c >= 0x80) {
			*i += 2;
			return c;
		}
	} else if ((u[0] & 0xf0) == 0xe0 && left >= 3 &&
	    (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80) {
		c = ((uint32_t)(u[0] & 0x0f) << 12) |
		    ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
		if (c >= 0x800) {
			*i += 3;
			return c;
		}
	} else if ((u[0] & 0xf8) == 0xf0 && left >= 4 &&
	    (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80 &&
	    (u[3] & 0xc0) == 0x80) {
		c = ((uint32_t)(u[0] & 0x07) << 18) |
		    ((uint32_t)(u[1] & 0x3f) << 12) |
		    ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
		if (c >= 0x10000 && c <= 0x10ffff) {
			*i += 4;
			return c;
		}
	}
	(*i)++;
	return 0x110000u + u[0];	/* outside Unicode: never a literal */
}

static int
more(struct parser *p)
{
	return p->pos < p->len;
}

static int
peekc(struct parser *p)
{
	return more(p) ? (unsigned char)p->s[p->pos] : -1;
}

static int
add_range(struct parser *p, struct node *n, uint32_t lo, uint32_t hi)
{
	struct range *r;

	if (n->nranges % 8 == 0) {
		r = realloc(n->ranges, (n->nranges + 8) * sizeof(*r));
		if (r == NULL) {
			perr(p, "out of memory");
			return -1;
		}
		n->ranges = r;
	}
	n->ranges[n->nranges].lo = lo;
	n->ranges[n->nranges].hi = hi;
	n->nranges++;
	return 0;
}

/* \d \w \s (or their negations) into a class node. */
static int
add_perl_class(struct parser *p, struct node *n, int c)
{
	int rc = 0;

	switch (tolower(c)) {
	case 'd':
		if (c == 'd')
			return add_range(p, n, '0', '9');
		rc |= add_range(p, n, 0, '0' - 1);
		rc |= add_range(p, n, '9' + 1, 0x10ffff + 0x100);
		return rc;
	case 'w':
		if (c == 'w') {
			rc |= add_range(p, n, '0', '9');
			rc |= add_range(p, n, 'A', 'Z');
			rc |= add_range(p, n, 'a', 'z');
			rc |= add_range(p, n, '_', '_');
			return rc;
		}
		rc |= add_range(p, n, 0, '0' - 1);
		rc |= add_range(p, n, '9' + 1, 'A' - 1);
		rc |= add_range(p, n, 'Z' + 1, '_' - 1);
		rc |= add_range(p, n, '_' + 1, 'a' - 1);
		rc |= add_range(p, n, 'z' + 1, 0x10ffff + 0x100);
		return rc;
	case 's':
		if (c == 's') {
			rc |= add_range(p, n, '\t', '\n');
			rc |= add_range(p, n, '\f', '\r');
			rc |= add_range(p, n, ' ', ' ');
			return rc;
		}
		rc |= add_range(p, n, 0, '\t' - 1);
		rc |= add_range(p, n, 0x0b, 0x0b);
		rc |= add_range(p, n, '\r' + 1, ' ' - 1);
		rc |= add_range(p, n, ' ' + 1, 0x10ffff + 0x100);
		return rc;
	}
	return -1;
}

static int
hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* An escaped character after the backslash: its code point, or -1. */
static long
parse_escape_char(struct parser *p, int c)
{
	uint32_t v = 0;
	int d, k;

	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	case 'f':
		return '\f';
	case 'v':
		return '\v';
	case 'a':
		return 7;
	case '0':
		return 0;
	case 'x':
		if (peekc(p) == '{') {
			p->pos++;
			for (k = 0; more(p) && peekc(p) != '}'; k++) {
				if ((d = hexdig(peekc(p))) < 0 || k >= 6)
					return -1;
				v = v * 16 + (uint32_t)d;
				p->pos++;
			}
			if (peekc(p) != '}' || k == 0 || v > 0x10ffff)
				return -1;
			p->pos++;
			return (long)v;
		}
		for (k = 0; k < 2; k++) {
			if ((d = hexdig(peekc(p))) < 0)
				return -1;
			v = v * 16 + (uint32_t)d;
			p->pos++;
		}
		return (long)v;
	default:
		if (c >= 0 && c < 0x80 && !isalnum(c))
			return c;	/* \. \\ \[ and other punctuation */
		return -1;
	}
}

static const struct {
	const char	*name;
	const char	*ranges;	/* pairs of bytes */
} posix_classes[] = {
	{ "alpha", "AZaz" }, { "digit", "09" }, { "alnum", "09AZaz" },
	{ "upper", "AZ" }, { "lower", "az" }, { "space", "\t\r  " },
	{ "xdigit", "09AFaf" }, { "punct", "!/:@[`{~" },
	{ "word", "09AZ__az" }, { "blank", "\t\t  " },
	{ "cntrl", "\x01\x1f\x7f\x7f" }, { "print", " ~" },
	{ "graph", "!~" }, { NULL, NULL }
};

static struct node *
parse_class(struct parser *p)
{
	struct node *n;
	uint32_t lo, hi;
	long e;
	int c, first = 1;

	n = new_node(p, N_CLASS);
	if (n == NULL)
		return NULL;
	n->icase = p->icase;
	p->pos++;			/* [ */
	if (peekc(p) == '^') {
		n->neg = 1;
		p->pos++;
	}
	for (;;) {
		if (!more(p)) {
			perr(p, "missing ']'");
			return NULL;
		}
		c = peekc(p);
		if (c == ']' && !first) {
			p->pos++;
			return n;
		}
		first = 0;
		if (c == '[' && p->pos + 1 < p->len &&
		    p->s[p->pos + 1] == ':') {
			size_t i, end;
			const char *name = p->s + p->pos + 2, *r;
			int neg = 0;

			for (end = p->pos + 2; end + 1 < p->len; end++)
				if (p->s[end] == ':' && p->s[end + 1] == ']')
					break;
			if (end + 1 >= p->len) {
				perr(p, "malformed [:class:]");
				return NULL;
			}
			if (*name == '^') {
				neg = 1;
				name++;
			}
			for (i = 0; posix_classes[i].name != NULL; i++)
				if (strlen(posix_classes[i].name) ==
				    (size_t)(p->s + end - name) &&
				    memcmp(posix_classes[i].name, name,
				    (size_t)(p->s + end - name)) == 0)
					break;
			if (posix_classes[i].name == NULL || neg) {
				perr(p, "unsupported [:class:]");
				return NULL;
			}
			for (r = posix_classes[i].ranges; *r != '\0'; r += 2)
				if (add_range(p, n, (unsigned char)r[0],
				    (unsigned char)r[1]) == -1)
					return NULL;
			p->pos = end + 2;
			continue;
		}
		if (c == '\\') {
			p->pos++;
			c = peekc(p);
			if (c == -1) {
				perr(p, "trailing '\\'");
				return NULL;
			}
			p->pos++;
			if (strchr("dDwWsS", c) != NULL) {
				if (add_perl_class(p, n, c) == -1)
					return NULL;
				continue;
			}
			if ((e = parse_escape_char(p, c)) < 0) {
				perr(p, "unsupported escape '\\%c'", c);
				return NULL;
			}
			lo = (uint32_t)e;
		} else {
			lo = utf8_next(p->s, p->len, &p->pos);
		}
		hi = lo;
		if (peekc(p) == '-' && p->pos + 1 < p->len &&
		    p->s[p->pos + 1] != ']') {
			p->pos++;
			c = peekc(p);
			if (c == '\\') {
				p->pos++;
				c = peekc(p);
				if (c == -1) {
					perr(p, "trailing '\\'");
					return NULL;
				}
				p->pos++;
				if ((e = parse_escape_char(p, c)) < 0) {
					perr(p, "bad range end '\\%c'", c);
					return NULL;
				}
				hi = (uint32_t)e;
			} else {
				hi = utf8_next(p->s, p->len, &p->pos);
			}
			if (hi < lo) {
				perr(p, "bad character range");
				return NULL;
			}
		}
		if (add_range(p, n, lo, hi) == -1)
			return NULL;
	}
}

static struct node *
parse_atom(struct parser *p)
{
	struct node *n;
	long e;
	int c = peekc(p);

	switch (c) {
	case '(': {
		int cap = -1, saved_i = p->icase, saved_s = p->dotnl;
		int saved_m = p->multiline;

		p->pos++;
		if (peekc(p) == '?') {
			p->pos++;
			c = peekc(p);
			if (c == ':') {
				p->pos++;
			} else if (c == 'P' || c == '<') {
				if (c == 'P')
					p->pos++;
				if (peekc(p) != '<') {
					perr(p, "malformed named group");
					return NULL;
				}
				if (p->pos + 1 < p->len &&
				    (p->s[p->pos + 1] == '=' ||
				    p->s[p->pos + 1] == '!')) {
					perr(p, "lookbehind is not supported");
					return NULL;
				}
				while (more(p) && peekc(p) != '>')
					p->pos++;
				if (!more(p)) {
					perr(p, "malformed named group");
					return NULL;
				}
				p->pos++;
				cap = ++p->ncap;
			} else if (c == '=' || c == '!') {
				perr(p, "lookahead is not supported");
				return NULL;
			} else {
				/* flags: (?i) (?s) (?m) (?-i) (?i:...) */
				int on = 1;

				for (;;) {
					c = peekc(p);
					if (c == 'i')
						p->icase = on;
					else if (c == 's')
						p->dotnl = on;
					else if (c == 'm')
						p->multiline = on;
					else if (c == '-')
						on = 0;
					else if (c == 'U')
						;	/* ungreedy: ignored */
					else
						break;
					p->pos++;
				}
				if (c == ')') {
					/* flags for the rest of the group */
					p->pos++;
					return new_node(p, N_EMPTY);
				}
				if (c != ':') {
					perr(p, "unsupported group syntax");
					return NULL;
				}
				p->pos++;
				n = new_node(p, N_GROUP);
				if (n == NULL)
					return NULL;
				n->cap = -1;
				n->a = parse_alt(p);
				p->icase = saved_i;
				p->dotnl = saved_s;
				p->multiline = saved_m;
				if (n->a == NULL)
					return NULL;
				if (peekc(p) != ')') {
					perr(p, "missing ')'");
					return NULL;
				}
				p->pos++;
				return n;
			}
		} else {
			cap = ++p->ncap;
		}
		n = new_node(p, N_GROUP);
		if (n == NULL)
			return NULL;
		n->cap = cap;
		n->a = parse_alt(p);
		p->icase = saved_i;
		p->dotnl = saved_s;
		p->multiline = saved_m;
		if (n->a == NULL)
			return NULL;
		if (peekc(p) != ')') {
			perr(p, "missing ')'");
			return NULL;
		}
		p->pos++;
		return n;
	}
	case '[':
		return parse_class(p);
	case '.':
		p->pos++;
		n = new_node(p, N_ANY);
		if (n != NULL)
			n->dotnl = p->dotnl;
		return n;
	case '^':
	case '$':
		p->pos++;
		n = new_node(p, N_ASSERT);
		if (n != NULL) {
			n->as = c == '^' ? AS_BOL : AS_EOL;
			n->multiline = p->multiline;
		}
		return n;
	case '\\':
		p->pos++;
		c = peekc(p);
		if (c == -1) {
			perr(p, "trailing '\\'");
			return NULL;
		}
		p->pos++;
		if (strchr("dDwWsS", c) != NULL) {
			n = new_node(p, N_CLASS);
			if (n == NULL || add_perl_class(p, n, c) == -1)
				return NULL;
			return n;
		}
		if (strchr("bBAz", c) != NULL) {
			n = new_node(p, N_ASSERT);
			if (n != NULL)
				n->as = c == 'b' ? AS_WORDB : c == 'B' ?
				    AS_NWORDB : c == 'A' ? AS_BOT : AS_EOT;
			return n;
		}
		if (c >= '1' && c <= '9') {
			perr(p, "backreferences are not supported");
			return NULL;
		}
		if ((e = parse_escape_char(p, c)) < 0) {
			perr(p, "unsupported escape '\\%c'", c);
			return NULL;
		}
		n = new_node(p, N_CHAR);
		if (n != NULL) {
			n->c = (uint32_t)e;
			n->icase = p->icase;
		}
		return n;
	case '*':
	case '+':
	case '?':
		perr(p, "missing argument to repetition operator '%c'", c);
		return NULL;
	default:
		n = new_node(p, N_CHAR);
		if (n != NULL) {
			n->c = utf8_next(p->s, p->len, &p->pos);
			n->icase = p->icase;
		}
		return n;
	}
}

static int
parse_count(struct parser *p, int *v)
{
	int n = 0, any = 0;

	while (isdigit(peekc(p))) {
		n = n * 10 + (peekc(p) - '0');
		if (n > 1000) {
			perr(p, "repetition count above 1000");
			return -1;
		}
		p->pos++;
		any = 1;
	}
	if (!any)
		return -1;
	*v = n;
	return 0;
}

/* {n}, {n,}, {n,m}: returns 1 when one was read, 0 when "{" is literal. */
static int
parse_braces(struct parser *p, int *min, int *max)
{
	size_t save = p->pos;

	p->pos++;
	if (parse_count(p, min) == -1)
		goto literal;
	*max = *min;
	if (peekc(p) == ',') {
		p->pos++;
		*max = -1;
		if (isdigit(peekc(p)) && parse_count(p, max) == -1)
			goto literal;
	}
	if (peekc(p) != '}')
		goto literal;
	p->pos++;
	if (*max != -1 && *max < *min) {
		perr(p, "bad repetition range");
		return -1;
	}
	return 1;
literal:
	if (p->failed)
		return -1;
	p->pos = save;
	return 0;
}

static struct node *
parse_repeat(struct parser *p)
{
	struct node *a, *r;
	int c, min, max, rc;

	a = parse_atom(p);
	while (a != NULL && more(p)) {
		c = peekc(p);
		if (c == '*') {
			min = 0;
			max = -1;
			p->pos++;
		} else if (c == '+') {
			min = 1;
			max = -1;
			p->pos++;
		} else if (c == '?') {
			min = 0;
			max = 1;
			p->pos++;
		} else if (c == '{') {
			rc = parse_braces(p, &min, &max);
			if (rc == -1)
				return NULL;
			if (rc == 0)
				break;
		} else {
			break;
		}
		if (a->kind == N_ASSERT || a->kind == N_EMPTY) {
			perr(p, "bad repetition operand");
			return NULL;
		}
		r = new_node(p, N_REPEAT);
		if (r == NULL)
			return NULL;
		r->a = a;
		r->min = min;
		r->max = max;
		r->greedy = 1;
		if (peekc(p) == '?') {
			r->greedy = 0;
			p->pos++;
		}
		if (a->kind == N_REPEAT) {
			perr(p, "bad repetition operator");
			return NULL;
		}
		a = r;
	}
	return a;
}

static struct node *
parse_cat(struct parser *p)
{
	struct node *n, *r, *c;

	n = new_node(p, N_EMPTY);
	while (n != NULL && more(p) && peekc(p) != '|' && peekc(p) != ')') {
		r = parse_repeat(p);
		if (r == NULL)
			return NULL;
		if (n->kind == N_EMPTY) {
			n = r;
			continue;
		}
		c = new_node(p, N_CAT);
		if (c == NULL)
			return NULL;
		c->a = n;
		c->b = r;
		n = c;
	}
	return n;
}

static struct node *
parse_alt(struct parser *p)
{
	struct node *n, *r, *alt;

	if (++p->depth > 200) {
		perr(p, "pattern nested too deeply");
		return NULL;
	}
	n = parse_cat(p);
	while (n != NULL && peekc(p) == '|') {
		p->pos++;
		r = parse_cat(p);
		if (r == NULL)
			return NULL;
		alt = new_node(p, N_ALT);
		if (alt == NULL)
			return NULL;
		alt->a = n;
		alt->b = r;
		n = alt;
	}
	p->depth--;
	return n;
}

/* ---- compile ---- */

struct compiler {
	struct kql_re	*re;
	int		 cap;
	int		 classcap;
	int		 failed;
	char		*err;
	size_t		 errsz;
	int		 depth;
};

static int
emit(struct compiler *c, enum op op)
{
	struct inst *v;

	if (c->failed)
		return -1;
	if (c->re->n >= KQL_RE_MAX_PROGRAM) {
		snprintf(c->err, c->errsz, "pattern too large");
		c->failed = 1;
		return -1;
	}
	if (c->re->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		v = realloc(c->re->prog, (size_t)c->cap * sizeof(*v));
		if (v == NULL) {
			snprintf(c->err, c->errsz, "out of memory");
			c->failed = 1;
			return -1;
		}
		c->re->prog = v;
	}
	memset(&c->re->prog[c->re->n], 0, sizeof(struct inst));
	c->re->prog[c->re->n].op = op;
	return c->re->n++;
}

static void
gen(struct compiler *c, struct node *n)
{
	struct inst *in;
	int pc, l1, i, *ends = NULL, nends = 0;

	if (c->failed)
		return;
	if (++c->depth > 2000) {
		snprintf(c->err, c->errsz, "pattern nested too deeply");
		c->failed = 1;
		return;
	}
	switch (n->kind) {
	case N_EMPTY:
		break;
	case N_CHAR:
		if ((pc = emit(c, I_CHAR)) < 0)
			break;
		c->re->prog[pc].c = n->c;
		c->re->prog[pc].icase = n->icase && n->c < 0x80 &&
		    isalpha((int)n->c);
		break;
	case N_ANY:
		emit(c, n->dotnl ? I_ANYNL : I_ANY);
		break;
	case N_CLASS: {
		struct cls *cl;

		if ((pc = emit(c, I_CLASS)) < 0)
			break;
		if (c->re->nclasses == c->classcap) {
			c->classcap = c->classcap ? c->classcap * 2 : 8;
			cl = realloc(c->re->classes, (size_t)c->classcap *
			    sizeof(*cl));
			if (cl == NULL) {
				snprintf(c->err, c->errsz, "out of memory");
				c->failed = 1;
				break;
			}
			c->re->classes = cl;
		}
		cl = &c->re->classes[c->re->nclasses];
		/* a copy each time: repetition emits a node more than once */
		cl->ranges = malloc((n->nranges + 1) * sizeof(*cl->ranges));
		if (cl->ranges == NULL) {
			snprintf(c->err, c->errsz, "out of memory");
			c->failed = 1;
			break;
		}
		memcpy(cl->ranges, n->ranges, n->nranges * sizeof(*n->ranges));
		cl->n = n->nranges;
		cl->neg = n->neg;
		cl->icase = n->icase;
		c->re->prog[pc].x = c->re->nclasses++;
		break;
	}
	case N_CAT:
		gen(c, n->a);
		gen(c, n->b);
		break;
	case N_ALT:
		if ((pc = emit(c, I_SPLIT)) < 0)
			break;
		c->re->prog[pc].x = c->re->n;
		gen(c, n->a);
		if ((l1 = emit(c, I_JMP)) < 0)
			break;
		c->re->prog[pc].y = c->re->n;
		gen(c, n->b);
		c->re->prog[l1].x = c->re->n;
		break;
	case N_GROUP:
		if (n->cap >= 0) {
			if ((pc = emit(c, I_SAVE)) < 0)
				break;
			c->re->prog[pc].x = 2 * n->cap;
		}
		gen(c, n->a);
		if (n->cap >= 0) {
			if ((pc = emit(c, I_SAVE)) < 0)
				break;
			c->re->prog[pc].x = 2 * n->cap + 1;
		}
		break;
	case N_ASSERT:
		if ((pc = emit(c, I_ASSERT)) < 0)
			break;
		c->re->prog[pc].as = n->as;
		c->re->prog[pc].multiline = n->multiline;
		break;
	case N_REPEAT:
		for (i = 0; i < n->min && !c->failed; i++)
			gen(c, n->a);
		if (n->max == -1) {
			/* L: split body, out; body; jmp L */
			if ((pc = emit(c, I_SPLIT)) < 0)
				break;
			gen(c, n->a);
			if ((l1 = emit(c, I_JMP)) < 0)
				break;
			c->re->prog[l1].x = pc;
			in = &c->re->prog[pc];
			if (n->greedy) {
				in->x = pc + 1;
				in->y = c->re->n;
			} else {
				in->x = c->re->n;
				in->y = pc + 1;
			}
			break;
		}
		if (n->max > n->min) {
			ends = calloc((size_t)(n->max - n->min), sizeof(*ends));
			if (ends == NULL) {
				snprintf(c->err, c->errsz, "out of memory");
				c->failed = 1;
				break;
			}
		}
		for (i = n->min; i < n->max && !c->failed; i++) {
			if ((pc = emit(c, I_SPLIT)) < 0)
				break;
			ends[nends++] = pc;
			c->re->prog[pc].x = pc + 1;
			gen(c, n->a);
		}
		for (i = 0; i < nends && !c->failed; i++) {
			in = &c->re->prog[ends[i]];
			if (n->greedy) {
				in->y = c->re->n;
			} else {
				in->y = in->x;
				in->x = c->re->n;
			}
		}
		free(ends);
		break;
	}
	c->depth--;
}

void
kql_re_free(struct kql_re *re)
{
	int i;

	if (re == NULL)
		return;
	for (i = 0; i < re->nclasses; i++)
		free(re->classes[i].ranges);
	free(re->classes);
	free(re->prog);
	free(re);
}

struct kql_re *
kql_re_compile(const char *pattern, size_t len, int icase, char *err,
    size_t errsz)
{
	struct parser p;
	struct compiler c;
	struct node *root;
	struct kql_re *re;
	int pc;

	if (len > KQL_RE_MAX_PATTERN) {
		snprintf(err, errsz, "pattern longer than %d bytes",
		    KQL_RE_MAX_PATTERN);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.s = pattern;
	p.len = len;
	p.icase = icase;
	p.err = err;
	p.errsz = errsz;
	root = parse_alt(&p);
	if (root != NULL && more(&p))
		perr(&p, "unmatched ')'");
	if (p.failed || root == NULL) {
		free_nodes(p.all);
		return NULL;
	}
	re = calloc(1, sizeof(*re));
	if (re == NULL) {
		free_nodes(p.all);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	re->ngroups = p.ncap;
	memset(&c, 0, sizeof(c));
	c.re = re;
	c.err = err;
	c.errsz = errsz;
	/* group 0 is the whole match */
	if ((pc = emit(&c, I_SAVE)) >= 0)
		re->prog[pc].x = 0;
	gen(&c, root);
	if ((pc = emit(&c, I_SAVE)) >= 0)
		re->prog[pc].x = 1;
	emit(&c, I_MATCH);
	free_nodes(p.all);
	if (c.failed) {
		kql_re_free(re);
		return NULL;
	}
	return re;
}

int
kql_re_ngroups(const struct kql_re *re)
{
	return re->ngroups;
}

/* ---- match ---- */

struct thread {
	int	pc;
	long	*caps;
};

struct tlist {
	struct thread	*t;
	int		 n;
};

static int
is_word_byte(int c)
{
	return c >= 0 && (isalnum(c) || c == '_');
}

static uint32_t
fold(uint32_t c)
{
	return c < 0x80 ? (uint32_t)tolower((int)c) : c;
}

static int
class_match(const struct cls *cl, uint32_t c)
{
	size_t i;
	int hit = 0;
	uint32_t lc = fold(c), uc = c < 0x80 ? (uint32_t)toupper((int)c) : c;

	for (i = 0; i < cl->n && !hit; i++) {
		if (c >= cl->ranges[i].lo && c <= cl->ranges[i].hi)
			hit = 1;
		else if (cl->icase && ((lc >= cl->ranges[i].lo &&
		    lc <= cl->ranges[i].hi) || (uc >= cl->ranges[i].lo &&
		    uc <= cl->ranges[i].hi)))
			hit = 1;
	}
	return cl->neg ? !hit : hit;
}

static int
assert_ok(const struct inst *in, const char *s, size_t len, size_t i)
{
	int before = i > 0 ? (unsigned char)s[i - 1] : -1;
	int after = i < len ? (unsigned char)s[i] : -1;

	switch (in->as) {
	case AS_BOT:
		return i == 0;
	case AS_EOT:
		return i == len;
	case AS_BOL:
		return i == 0 || (in->multiline && before == '\n');
	case AS_EOL:
		return i == len || (in->multiline && after == '\n');
	case AS_WORDB:
		return is_word_byte(before) != is_word_byte(after);
	case AS_NWORDB:
		return is_word_byte(before) == is_word_byte(after);
	}
	return 0;
}

/*
 * Adds the thread at pc (with captures caps) to l, following jumps,
 * splits, saves and assertions.  An explicit stack, so a long program
 * cannot overflow the C stack.  mark[pc] == gen: already on the list.
 */
struct frame {
	int	pc;
	int	slot;		/* >= 0: restore caps[slot] = old */
	long	old;
};

static int
add_thread(const struct kql_re *re, struct tlist *l, int *mark, int gen,
    int pc0, long *caps, int ncaps, const char *s, size_t len, size_t i,
    struct frame *stack, long *pool, int *npool)
{
	int sp = 0, pc;
	const struct inst *in;

	stack[sp].pc = pc0;
	stack[sp].slot = -1;
	sp++;
	while (sp > 0) {
		sp--;
		if (stack[sp].slot >= 0) {
			caps[stack[sp].slot] = stack[sp].old;
			continue;
		}
		pc = stack[sp].pc;
		for (;;) {
			if (mark[pc] == gen)
				break;
			mark[pc] = gen;
			in = &re->prog[pc];
			if (in->op == I_JMP) {
				pc = in->x;
				continue;
			}
			if (in->op == I_SPLIT) {
				stack[sp].pc = in->y;
				stack[sp].slot = -1;
				sp++;
				pc = in->x;
				continue;
			}
			if (in->op == I_SAVE) {
				stack[sp].slot = in->x;
				stack[sp].old = caps[in->x];
				sp++;
				caps[in->x] = (long)i;
				pc++;
				continue;
			}
			if (in->op == I_ASSERT) {
				if (!assert_ok(in, s, len, i))
					break;
				pc++;
				continue;
			}
			/* a consuming instruction or MATCH: a thread */
			l->t[l->n].pc = pc;
			l->t[l->n].caps = pool + (size_t)*npool * ncaps;
			memcpy(l->t[l->n].caps, caps, (size_t)ncaps *
			    sizeof(*caps));
			(*npool)++;
			l->n++;
			break;
		}
	}
	return 0;
}

int
kql_re_search(const struct kql_re *re, const char *s, size_t len,
    size_t start, long *caps)
{
	int ncaps = 2 * (re->ngroups + 1), n = re->n, gen = 0, matched = 0;
	int npool[2] = { 0, 0 }, cur = 0, k, j;
	struct tlist lists[2];
	struct frame *stack;
	long *pools[2], *tmp;
	int *mark;
	size_t i, next;
	uint32_t c;

	lists[0].t = malloc((size_t)n * sizeof(struct thread));
	lists[1].t = malloc((size_t)n * sizeof(struct thread));
	pools[0] = malloc((size_t)n * (size_t)ncaps * sizeof(long));
	pools[1] = malloc((size_t)n * (size_t)ncaps * sizeof(long));
	stack = malloc((size_t)(2 * n + 2) * sizeof(*stack));
	mark = calloc((size_t)n, sizeof(*mark));
	tmp = malloc((size_t)ncaps * sizeof(long));
	if (lists[0].t == NULL || lists[1].t == NULL || pools[0] == NULL ||
	    pools[1] == NULL || stack == NULL || mark == NULL || tmp == NULL) {
		matched = -1;
		goto out;
	}
	for (k = 0; k < ncaps; k++)
		caps[k] = -1;
	lists[0].n = 0;
	i = start;
	for (;;) {
		/* A new thread at this position, lowest priority, until a
		 * match is found (leftmost wins). */
		gen++;
		if (!matched) {
			for (k = 0; k < ncaps; k++)
				tmp[k] = -1;
			/* mark the current list's pcs as taken */
			for (j = 0; j < lists[cur].n; j++)
				mark[lists[cur].t[j].pc] = gen;
			add_thread(re, &lists[cur], mark, gen, 0, tmp, ncaps,
			    s, len, i, stack, pools[cur], &npool[cur]);
		}
		next = i;
		c = 0;
		if (i < len)
			c = utf8_next(s, len, &next);
		if (lists[cur].n == 0) {
			/* nothing alive here (an assertion failed): try the
			 * next position, unless done */
			if (matched || i >= len)
				break;
			i = next;
			continue;
		}
		lists[1 - cur].n = 0;
		npool[1 - cur] = 0;
		gen++;
		for (j = 0; j < lists[cur].n; j++) {
			struct thread *t = &lists[cur].t[j];
			const struct inst *in = &re->prog[t->pc];
			int ok = 0;

			switch (in->op) {
			case I_MATCH:
				memcpy(caps, t->caps, (size_t)ncaps *
				    sizeof(long));
				matched = 1;
				/* lower-priority threads are cut off */
				j = lists[cur].n;
				continue;
			case I_CHAR:
				ok = i < len && (c == in->c || (in->icase &&
				    fold(c) == fold(in->c)));
				break;
			case I_ANY:
				ok = i < len && c != '\n';
				break;
			case I_ANYNL:
				ok = i < len;
				break;
			case I_CLASS:
				ok = i < len && class_match(&re->classes[in->x],
				    c);
				break;
			default:
				break;
			}
			if (ok)
				add_thread(re, &lists[1 - cur], mark, gen,
				    t->pc + 1, t->caps, ncaps, s, len, next,
				    stack, pools[1 - cur], &npool[1 - cur]);
		}
		cur = 1 - cur;
		npool[1 - cur] = 0;
		if (i >= len) {
			/* one last step to let MATCH threads report */
			for (j = 0; j < lists[cur].n; j++) {
				if (re->prog[lists[cur].t[j].pc].op ==
				    I_MATCH) {
					memcpy(caps, lists[cur].t[j].caps,
					    (size_t)ncaps * sizeof(long));
					matched = 1;
					break;
				}
			}
			break;
		}
		i = next;
		if (matched && lists[cur].n == 0)
			break;
	}
out:
	free(lists[0].t);
	free(lists[1].t);
	free(pools[0]);
	free(pools[1]);
	free(stack);
	free(mark);
	free(tmp);
	return matched;
}
