/*
 * parse: recursive descent, one function per grammar rule.  Errors stop
 * the parse at the first problem: the message names what was expected and
 * what was found, with the found token's line and column.  Every node
 * comes from the arena, so giving up needs no cleanup.
 *
 * Expression precedence, loosest first: or; and; comparisons and string
 * operators; + -; * / %; unary -; postfix (.name, [index], call).
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "kql/lex.h"
#include "kql/parse.h"
#include "kql/time.h"

struct parser {
	struct kql_arena	*a;
	struct kql_token	*t;
	size_t			 n;
	size_t			 i;
	int			 failed;
	int			 depth;
	char			*err;
	size_t			 errsz;
};

static struct kql_expr	*parse_expr(struct parser *);
static struct kql_expr	*parse_value(struct parser *);
static struct kql_tab	*parse_tab(struct parser *);
static int		 parse_ops(struct parser *, struct kql_tab *);
static struct kql_tab	*parse_tab_after(struct parser *, struct kql_expr *);
static int		 parse_operator(struct parser *, struct kql_tab *);
static int		 at_name_list_assign(struct parser *);

static const char *const type_names[] = {
	[KQL_T_UNKNOWN] = "dynamic", [KQL_T_BOOL] = "bool",
	[KQL_T_INT] = "int", [KQL_T_LONG] = "long", [KQL_T_REAL] = "real",
	[KQL_T_DECIMAL] = "decimal", [KQL_T_STRING] = "string",
	[KQL_T_DATETIME] = "datetime", [KQL_T_TIMESPAN] = "timespan",
	[KQL_T_DYNAMIC] = "dynamic", [KQL_T_GUID] = "guid"
};

const char *
kql_type_name(enum kql_type t)
{
	if ((size_t)t >= sizeof(type_names) / sizeof(type_names[0]))
		return "dynamic";
	return type_names[t];
}

int
kql_type_parse(const char *s)
{
	static const struct {
		const char	*name;
		enum kql_type	 type;
	} names[] = {
		{ "bool", KQL_T_BOOL }, { "boolean", KQL_T_BOOL },
		{ "int", KQL_T_INT }, { "long", KQL_T_LONG },
		{ "real", KQL_T_REAL }, { "double", KQL_T_REAL },
		{ "decimal", KQL_T_DECIMAL }, { "string", KQL_T_STRING },
		{ "datetime", KQL_T_DATETIME }, { "date", KQL_T_DATETIME },
		{ "timespan", KQL_T_TIMESPAN }, { "time", KQL_T_TIMESPAN },
		{ "dynamic", KQL_T_DYNAMIC }, { "guid", KQL_T_GUID },
		{ "uniqueid", KQL_T_GUID }, { NULL, 0 }
	};
	size_t i;

	for (i = 0; names[i].name != NULL; i++)
		if (strcmp(names[i].name, s) == 0)
			return (int)names[i].type;
	return -1;
}

const char *
kql_binop_name(enum kql_binop op)
{
	static const char *const names[] = {
		[KB_OR] = "or", [KB_AND] = "and", [KB_EQ] = "==",
		[KB_NE] = "!=", [KB_LT] = "<", [KB_LE] = "<=", [KB_GT] = ">",
		[KB_GE] = ">=", [KB_EQ_CI] = "=~", [KB_NE_CI] = "!~",
		[KB_ADD] = "+", [KB_SUB] = "-", [KB_MUL] = "*", [KB_DIV] = "/",
		[KB_MOD] = "%", [KB_HAS] = "has", [KB_NHAS] = "!has",
		[KB_HAS_CS] = "has_cs", [KB_NHAS_CS] = "!has_cs",
		[KB_CONTAINS] = "contains", [KB_NCONTAINS] = "!contains",
		[KB_CONTAINS_CS] = "contains_cs",
		[KB_NCONTAINS_CS] = "!contains_cs",
		[KB_STARTSWITH] = "startswith",
		[KB_NSTARTSWITH] = "!startswith",
		[KB_STARTSWITH_CS] = "startswith_cs",
		[KB_NSTARTSWITH_CS] = "!startswith_cs",
		[KB_ENDSWITH] = "endswith", [KB_NENDSWITH] = "!endswith",
		[KB_ENDSWITH_CS] = "endswith_cs",
		[KB_NENDSWITH_CS] = "!endswith_cs",
		[KB_HASPREFIX] = "hasprefix", [KB_NHASPREFIX] = "!hasprefix",
		[KB_HASPREFIX_CS] = "hasprefix_cs",
		[KB_NHASPREFIX_CS] = "!hasprefix_cs",
		[KB_HASSUFFIX] = "hassuffix", [KB_NHASSUFFIX] = "!hassuffix",
		[KB_HASSUFFIX_CS] = "hassuffix_cs",
		[KB_NHASSUFFIX_CS] = "!hassuffix_cs",
		[KB_MATCHES] = "matches regex", [KB_LIKE] = "like",
		[KB_IN] = "in", [KB_NIN] = "!in", [KB_IN_CI] = "in~",
		[KB_NIN_CI] = "!in~", [KB_HAS_ANY] = "has_any",
		[KB_HAS_ALL] = "has_all", [KB_BETWEEN] = "between",
		[KB_NBETWEEN] = "!between"
	};

	if ((size_t)op >= sizeof(names) / sizeof(names[0]) || !names[op])
		return "?";
	return names[op];
}

/* Word operators that compare two values. */
static const struct {
	const char	*word;
	enum kql_binop	 op;
} word_ops[] = {
	{ "has", KB_HAS }, { "!has", KB_NHAS }, { "has_cs", KB_HAS_CS },
	{ "!has_cs", KB_NHAS_CS }, { "contains", KB_CONTAINS },
	{ "!contains", KB_NCONTAINS }, { "contains_cs", KB_CONTAINS_CS },
	{ "!contains_cs", KB_NCONTAINS_CS },
	{ "startswith", KB_STARTSWITH }, { "!startswith", KB_NSTARTSWITH },
	{ "startswith_cs", KB_STARTSWITH_CS },
	{ "!startswith_cs", KB_NSTARTSWITH_CS },
	{ "endswith", KB_ENDSWITH }, { "!endswith", KB_NENDSWITH },
	{ "endswith_cs", KB_ENDSWITH_CS }, { "!endswith_cs", KB_NENDSWITH_CS },
	{ "hasprefix", KB_HASPREFIX }, { "!hasprefix", KB_NHASPREFIX },
	{ "hasprefix_cs", KB_HASPREFIX_CS },
	{ "!hasprefix_cs", KB_NHASPREFIX_CS },
	{ "hassuffix", KB_HASSUFFIX }, { "!hassuffix", KB_NHASSUFFIX },
	{ "hassuffix_cs", KB_HASSUFFIX_CS },
	{ "!hassuffix_cs", KB_NHASSUFFIX_CS },
	{ "notcontains", KB_NCONTAINS }, { "notcontains_cs", KB_NCONTAINS_CS },
	{ "nothas", KB_NHAS }, { "containscs", KB_CONTAINS_CS },
	{ "!containscs", KB_NCONTAINS_CS },
	{ NULL, 0 }
};

static const struct {
	const char	*word;
	enum kql_binop	 op;
} list_ops[] = {
	{ "in", KB_IN }, { "!in", KB_NIN }, { "in~", KB_IN_CI },
	{ "!in~", KB_NIN_CI }, { "has_any", KB_HAS_ANY },
	{ "has_all", KB_HAS_ALL }, { NULL, 0 }
};

/* ---- tokens ---- */

static struct kql_token *
cur(struct parser *p)
{
	return &p->t[p->i];
}

static struct kql_token *
peek(struct parser *p, size_t k)
{
	size_t j = p->i + k;

	return &p->t[j < p->n ? j : p->n - 1];
}

static void
next(struct parser *p)
{
	if (p->i < p->n - 1)
		p->i++;
}

static int
is_word(const struct kql_token *t, const char *w)
{
	return t->kind == KT_WORD && strcmp(t->text, w) == 0;
}

static int
fail_at(struct parser *p, const struct kql_token *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return -1;
	p->failed = 1;
	n = snprintf(p->err, p->errsz, "%d:%d: ", t->line, t->col);
	if (n < 0 || (size_t)n >= p->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int
expected(struct parser *p, const char *what)
{
	char d[64];

	return fail_at(p, cur(p), "expected %s, found %s", what,
	    kql_tok_describe(cur(p), d, sizeof(d)));
}

static int
accept(struct parser *p, enum kql_tok kind)
{
	if (cur(p)->kind == kind) {
		next(p);
		return 1;
	}
	return 0;
}

static int
accept_word(struct parser *p, const char *w)
{
	if (is_word(cur(p), w)) {
		next(p);
		return 1;
	}
	return 0;
}

static int
expect(struct parser *p, enum kql_tok kind, const char *what)
{
	if (accept(p, kind))
		return 0;
	return expected(p, what);
}

static struct kql_pos
pos_of(const struct kql_token *t)
{
	struct kql_pos pos;

	pos.line = t->line;
	pos.col = t->col;
	return pos;
}

static void *
alloc(struct parser *p, size_t n)
{
	void *v;

	v = kql_arena_alloc(p->a, n);
	if (v == NULL)
		fail_at(p, cur(p), "out of memory");
	return v;
}

static void *
push(struct parser *p, void *vp, size_t *n, size_t *cap, size_t sz)
{
	void *slot;

	slot = kql_arena_push(p->a, (void **)vp, n, cap, sz);
	if (slot == NULL)
		fail_at(p, cur(p), "out of memory");
	return slot;
}

static int
enter(struct parser *p)
{
	if (++p->depth > KQL_MAX_DEPTH)
		return fail_at(p, cur(p), "query nested too deeply");
	return 0;
}

static void
leave(struct parser *p)
{
	p->depth--;
}

static struct kql_expr *
new_expr(struct parser *p, enum kql_exk kind, const struct kql_token *at)
{
	struct kql_expr *e;

	e = alloc(p, sizeof(*e));
	if (e == NULL)
		return NULL;
	e->kind = kind;
	e->pos = pos_of(at);
	return e;
}

static int
add_arg(struct parser *p, struct kql_expr *call, struct kql_expr *arg)
{
	struct kql_expr **slot;

	slot = push(p, &call->args, &call->nargs, &call->argcap,
	    sizeof(*slot));
	if (slot == NULL)
		return -1;
	*slot = arg;
	return 0;
}

/* A name: a word (keywords included, as Kusto allows in most places) or
 * ['quoted name']. */
static const char *
parse_name(struct parser *p, const char *what)
{
	struct kql_token *t = cur(p);
	const char *name;

	if (t->kind == KT_WORD && t->text[0] != '!') {
		next(p);
		return t->text;
	}
	if (t->kind == KT_LBRACK && peek(p, 1)->kind == KT_STRING &&
	    peek(p, 2)->kind == KT_RBRACK) {
		name = peek(p, 1)->text;
		if (peek(p, 1)->len == 0 || strlen(name) != peek(p, 1)->len) {
			fail_at(p, t, "malformed name");
			return NULL;
		}
		p->i += 3;
		return name;
	}
	expected(p, what);
	return NULL;
}

static int
at_name(struct parser *p)
{
	struct kql_token *t = cur(p);

	return (t->kind == KT_WORD && t->text[0] != '!') ||
	    (t->kind == KT_LBRACK && peek(p, 1)->kind == KT_STRING &&
	    peek(p, 2)->kind == KT_RBRACK);
}

/* Tokens that end a tabular operator. */
static int
at_op_end(struct parser *p)
{
	enum kql_tok k = cur(p)->kind;

	return k == KT_PIPE || k == KT_EOF || k == KT_SEMI || k == KT_RPAREN ||
	    k == KT_RBRACE;
}

/* ---- literals ---- */

static struct kql_expr *
lit(struct parser *p, const struct kql_token *at, enum kql_type type)
{
	struct kql_expr *e;

	e = new_expr(p, KX_LIT, at);
	if (e != NULL)
		e->lit_type = type;
	return e;
}

static struct kql_expr *
parse_rawlit(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct kql_expr *e;
	int64_t ticks;

	next(p);
	if (strcmp(t->word, "guid") == 0) {
		e = lit(p, t, KQL_T_GUID);
		if (e == NULL)
			return NULL;
		if (strcmp(t->text, "null") == 0)
			e->lit_null = 1;
		e->sval = t->text;
		e->slen = t->len;
		return e;
	}
	if (strcmp(t->word, "datetime") == 0) {
		e = lit(p, t, KQL_T_DATETIME);
		if (e == NULL)
			return NULL;
		if (strcmp(t->text, "null") == 0)
			e->lit_null = 1;
		else if (kql_parse_datetime(t->text, &ticks) == -1) {
			fail_at(p, t, "malformed datetime literal '%.40s'",
			    t->text);
			return NULL;
		} else {
			e->ival = ticks;
		}
		return e;
	}
	e = lit(p, t, KQL_T_TIMESPAN);
	if (e == NULL)
		return NULL;
	if (strcmp(t->text, "null") == 0) {
		e->lit_null = 1;
	} else if (kql_parse_timespan(t->text, &ticks) == -1) {
		/* timespan(2) means two days */
		char *end;
		double d = strtod(t->text, &end);

		if (end == t->text || *end != '\0' || !(fabs(d) < 1e6)) {
			fail_at(p, t, "malformed timespan literal '%.40s'",
			    t->text);
			return NULL;
		}
		e->ival = (int64_t)llround(d * 864000000000.0);
	} else {
		e->ival = ticks;
	}
	return e;
}

/* JSON text for a dynamic(...) literal, built from KQL tokens. */
static int
parse_json_value(struct parser *p, struct buf *b)
{
	struct kql_token *t = cur(p);
	size_t i;
	char tmp[64];
	int first;

	if (enter(p) == -1)
		return -1;
	switch (t->kind) {
	case KT_LBRACK:
		next(p);
		buf_addc(b, '[');
		first = 1;
		while (cur(p)->kind != KT_RBRACK) {
			if (!first && expect(p, KT_COMMA, "',' or ']'") == -1)
				return -1;
			if (cur(p)->kind == KT_RBRACK)
				break;	/* a trailing comma */
			if (!first)
				buf_addc(b, ',');
			first = 0;
			if (parse_json_value(p, b) == -1)
				return -1;
		}
		next(p);
		buf_addc(b, ']');
		break;
	case KT_LBRACE:
		next(p);
		buf_addc(b, '{');
		first = 1;
		while (cur(p)->kind != KT_RBRACE) {
			if (!first && expect(p, KT_COMMA, "',' or '}'") == -1)
				return -1;
			if (cur(p)->kind == KT_RBRACE)
				break;
			if (!first)
				buf_addc(b, ',');
			first = 0;
			t = cur(p);
			if (t->kind != KT_STRING && t->kind != KT_WORD)
				return expected(p, "a property name");
			next(p);
			if (expect(p, KT_COLON, "':'") == -1)
				return -1;
			buf_addc(b, '"');
			for (i = 0; i < t->len; i++) {
				unsigned char c = (unsigned char)t->text[i];

				if (c == '"' || c == '\\')
					buf_printf(b, "\\%c", c);
				else if (c < 0x20)
					buf_printf(b, "\\u%04x", c);
				else
					buf_addc(b, c);
			}
			buf_adds(b, "\":");
			if (parse_json_value(p, b) == -1)
				return -1;
		}
		next(p);
		buf_addc(b, '}');
		break;
	case KT_STRING:
		next(p);
		buf_addc(b, '"');
		for (i = 0; i < t->len; i++) {
			unsigned char c = (unsigned char)t->text[i];

			if (c == '"' || c == '\\')
				buf_printf(b, "\\%c", c);
			else if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_addc(b, c);
		}
		buf_addc(b, '"');
		break;
	case KT_LONG:
		next(p);
		buf_printf(b, "%lld", (long long)t->ival);
		break;
	case KT_REAL:
		next(p);
		buf_printf(b, "%.17g", t->rval);
		break;
	case KT_MINUS:
		next(p);
		if (cur(p)->kind != KT_LONG && cur(p)->kind != KT_REAL)
			return expected(p, "a number");
		buf_addc(b, '-');
		leave(p);
		return parse_json_value(p, b);
	case KT_RAWLIT:
		if (strcmp(t->word, "datetime") == 0) {
			int64_t ticks;

			if (kql_parse_datetime(t->text, &ticks) == -1 ||
			    kql_format_datetime(ticks, tmp, sizeof(tmp)) == -1)
				return fail_at(p, t, "malformed datetime");
			buf_printf(b, "\"%s\"", tmp);
			next(p);
			break;
		}
		return fail_at(p, t, "%s() is not supported inside dynamic()",
		    t->word);
	case KT_WORD:
		if (strcmp(t->text, "true") == 0 ||
		    strcmp(t->text, "false") == 0 ||
		    strcmp(t->text, "null") == 0) {
			next(p);
			buf_adds(b, t->text);
			break;
		}
		/* fall through */
	default:
		return expected(p, "a constant inside dynamic()");
	}
	leave(p);
	return 0;
}

static struct kql_expr *
parse_dynamic(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct kql_expr *e;
	struct buf b;

	next(p);			/* dynamic */
	if (expect(p, KT_LPAREN, "'(' after dynamic") == -1)
		return NULL;
	e = lit(p, t, KQL_T_DYNAMIC);
	if (e == NULL)
		return NULL;
	if (accept_word(p, "null")) {
		e->lit_null = 1;
	} else {
		buf_init(&b);
		if (parse_json_value(p, &b) == -1) {
			buf_release(&b);
			return NULL;
		}
		if (buf_failed(&b)) {
			buf_release(&b);
			fail_at(p, t, "out of memory");
			return NULL;
		}
		e->sval = kql_arena_strndup(p->a, buf_str(&b), b.len);
		e->slen = b.len;
		buf_release(&b);
		if (e->sval == NULL) {
			fail_at(p, t, "out of memory");
			return NULL;
		}
	}
	if (expect(p, KT_RPAREN, "')'") == -1)
		return NULL;
	return e;
}

/* long(null), real(1.5), bool(true), int(-1), real(nan) ... */
static struct kql_expr *
parse_typed_lit(struct parser *p, enum kql_type type)
{
	struct kql_token *t = cur(p), *v;
	struct kql_expr *e;
	int neg = 0;

	next(p);
	next(p);			/* ( */
	e = lit(p, t, type);
	if (e == NULL)
		return NULL;
	if (accept(p, KT_MINUS))
		neg = 1;
	else
		accept(p, KT_PLUS);
	v = cur(p);
	if (is_word(v, "null")) {
		e->lit_null = 1;
	} else if (type == KQL_T_BOOL && (is_word(v, "true") ||
	    is_word(v, "false"))) {
		e->ival = is_word(v, "true");
	} else if (v->kind == KT_LONG) {
		if (type == KQL_T_REAL || type == KQL_T_DECIMAL)
			e->rval = (double)v->ival;
		else
			e->ival = v->ival;
		if (type == KQL_T_BOOL)
			e->ival = v->ival != 0;
	} else if (v->kind == KT_REAL && (type == KQL_T_REAL ||
	    type == KQL_T_DECIMAL)) {
		e->rval = v->rval;
	} else if (type == KQL_T_REAL && (is_word(v, "nan") ||
	    is_word(v, "inf"))) {
		e->rval = is_word(v, "nan") ? NAN : INFINITY;
	} else {
		fail_at(p, v, "malformed %s literal", kql_type_name(type));
		return NULL;
	}
	next(p);
	if (neg) {
		e->ival = -e->ival;
		e->rval = -e->rval;
	}
	if (type == KQL_T_INT && (e->ival > 2147483647LL ||
	    e->ival < -2147483648LL)) {
		fail_at(p, v, "int literal out of range");
		return NULL;
	}
	if (expect(p, KT_RPAREN, "')'") == -1)
		return NULL;
	return e;
}

/* long(...) holds a literal: a number, null, true/false, nan or inf.
 * Anything else is a call (a function may be named double). */
static int
at_typed_lit(struct parser *p)
{
	struct kql_token *t = peek(p, 2);
	size_t k = 2;

	if (t->kind == KT_MINUS || t->kind == KT_PLUS)
		t = peek(p, ++k);
	if (peek(p, k + 1)->kind != KT_RPAREN)
		return 0;
	return t->kind == KT_LONG || t->kind == KT_REAL ||
	    is_word(t, "null") || is_word(t, "true") || is_word(t, "false") ||
	    is_word(t, "nan") || is_word(t, "inf");
}

/* ---- expressions ---- */

static struct kql_expr *
parse_call_args(struct parser *p, struct kql_expr *call)
{
	struct kql_expr *arg;
	struct kql_token *t;

	next(p);			/* ( */
	if (accept(p, KT_RPAREN))
		return call;
	for (;;) {
		t = cur(p);
		if (t->kind == KT_STAR && (peek(p, 1)->kind == KT_COMMA ||
		    peek(p, 1)->kind == KT_RPAREN)) {
			next(p);
			arg = new_expr(p, KX_STAR, t);
		} else if (t->kind == KT_WORD && peek(p, 1)->kind ==
		    KT_ASSIGN) {
			/* a named argument: f(name = value) */
			next(p);
			next(p);
			arg = new_expr(p, KX_NAME, t);
			if (arg != NULL) {
				arg->name = t->text;
				arg->op = KB_EQ;	/* marks "named" */
				arg->a = parse_value(p);
				if (arg->a == NULL)
					return NULL;
			}
		} else {
			arg = parse_value(p);
		}
		if (arg == NULL || add_arg(p, call, arg) == -1)
			return NULL;
		if (accept(p, KT_RPAREN))
			return call;
		if (expect(p, KT_COMMA, "',' or ')'") == -1)
			return NULL;
	}
}

static struct kql_expr *
parse_primary(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct kql_expr *e;
	int type;

	switch (t->kind) {
	case KT_LONG:
		next(p);
		e = lit(p, t, KQL_T_LONG);
		if (e != NULL)
			e->ival = t->ival;
		return e;
	case KT_REAL:
		next(p);
		e = lit(p, t, KQL_T_REAL);
		if (e != NULL)
			e->rval = t->rval;
		return e;
	case KT_TIMESPAN:
		next(p);
		e = lit(p, t, KQL_T_TIMESPAN);
		if (e != NULL)
			e->ival = t->ival;
		return e;
	case KT_STRING:
		next(p);
		e = lit(p, t, KQL_T_STRING);
		if (e != NULL) {
			e->sval = t->text;
			e->slen = t->len;
		}
		return e;
	case KT_RAWLIT:
		return parse_rawlit(p);
	case KT_LPAREN:
		next(p);
		e = parse_value(p);
		if (e == NULL)
			return NULL;
		if (cur(p)->kind == KT_COMMA)
			fail_at(p, cur(p), "tuples are not supported");
		if (expect(p, KT_RPAREN, "')'") == -1)
			return NULL;
		return e;
	case KT_LBRACK:
		if (at_name(p)) {
			e = new_expr(p, KX_NAME, t);
			if (e != NULL)
				e->name = parse_name(p, "a name");
			return e;
		}
		expected(p, "an expression");
		return NULL;
	case KT_WORD:
		break;
	default:
		expected(p, "an expression");
		return NULL;
	}
	if (t->text[0] == '!') {
		expected(p, "an expression");
		return NULL;
	}
	if ((strcasecmp(t->text, "true") == 0 ||
	    strcasecmp(t->text, "false") == 0) &&
	    peek(p, 1)->kind != KT_LPAREN) {
		next(p);
		e = lit(p, t, KQL_T_BOOL);
		if (e != NULL)
			e->ival = tolower((unsigned char)t->text[0]) == 't';
		return e;
	}
	if (strcmp(t->text, "null") == 0) {
		next(p);
		e = lit(p, t, KQL_T_UNKNOWN);
		if (e != NULL)
			e->lit_null = 1;
		return e;
	}
	if (peek(p, 1)->kind == KT_LPAREN) {
		if (strcmp(t->text, "dynamic") == 0)
			return parse_dynamic(p);
		type = kql_type_parse(t->text);
		if (type > 0 && type != KQL_T_STRING &&
		    type != KQL_T_DYNAMIC && strcmp(t->text, "date") != 0 &&
		    at_typed_lit(p))
			return parse_typed_lit(p, (enum kql_type)type);
		next(p);
		e = new_expr(p, KX_CALL, t);
		if (e == NULL)
			return NULL;
		e->name = t->text;
		return parse_call_args(p, e);
	}
	next(p);
	e = new_expr(p, KX_NAME, t);
	if (e != NULL)
		e->name = t->text;
	return e;
}

static struct kql_expr *
parse_postfix(struct parser *p)
{
	struct kql_expr *e, *m;
	struct kql_token *t;

	e = parse_primary(p);
	while (e != NULL) {
		t = cur(p);
		if (t->kind == KT_DOT) {
			next(p);
			if (cur(p)->kind == KT_LBRACK && !at_name(p))
				continue;	/* x.[0] is x[0] */
			if (cur(p)->kind == KT_LBRACK) {
				/* x.['name'] is x['name'] */
				m = new_expr(p, KX_MEMBER, t);
				if (m == NULL)
					return NULL;
				m->a = e;
				m->name = parse_name(p, "a property name");
				if (m->name == NULL)
					return NULL;
				e = m;
				continue;
			}
			m = new_expr(p, KX_MEMBER, t);
			if (m == NULL)
				return NULL;
			m->a = e;
			if (cur(p)->kind == KT_RAWLIT) {
				/* x.datetime(...) never happens; a name */
				expected(p, "a property name");
				return NULL;
			}
			m->name = parse_name(p, "a property name");
			if (m->name == NULL)
				return NULL;
			if (cur(p)->kind == KT_LPAREN) {
				fail_at(p, cur(p), "method calls are not "
				    "supported");
				return NULL;
			}
			e = m;
		} else if (t->kind == KT_LBRACK) {
			next(p);
			m = new_expr(p, KX_INDEX, t);
			if (m == NULL)
				return NULL;
			m->a = e;
			m->b = parse_expr(p);
			if (m->b == NULL ||
			    expect(p, KT_RBRACK, "']'") == -1)
				return NULL;
			e = m;
		} else {
			break;
		}
	}
	return e;
}

static struct kql_expr *
parse_unary(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct kql_expr *e, *a;

	if (enter(p) == -1)
		return NULL;
	if (t->kind == KT_MINUS || t->kind == KT_PLUS) {
		next(p);
		a = parse_unary(p);
		leave(p);
		if (a == NULL || t->kind == KT_PLUS)
			return a;
		/* Fold negative literals, so -1 is a literal. */
		if (a->kind == KX_LIT && !a->lit_null &&
		    (a->lit_type == KQL_T_LONG || a->lit_type == KQL_T_REAL ||
		    a->lit_type == KQL_T_TIMESPAN)) {
			a->ival = -a->ival;
			a->rval = -a->rval;
			a->pos = pos_of(t);
			return a;
		}
		e = new_expr(p, KX_NEG, t);
		if (e != NULL)
			e->a = a;
		return e;
	}
	e = parse_postfix(p);
	leave(p);
	return e;
}

static struct kql_expr *
binary(struct parser *p, const struct kql_token *at, enum kql_binop op,
    struct kql_expr *a, struct kql_expr *b)
{
	struct kql_expr *e;

	if (a == NULL || b == NULL)
		return NULL;
	e = new_expr(p, KX_BINARY, at);
	if (e == NULL)
		return NULL;
	e->op = op;
	e->a = a;
	e->b = b;
	e->pos = a->pos;
	return e;
}

static struct kql_expr *
parse_mul(struct parser *p)
{
	struct kql_expr *e;
	struct kql_token *t;
	enum kql_binop op;

	e = parse_unary(p);
	while (e != NULL) {
		t = cur(p);
		if (t->kind == KT_STAR)
			op = KB_MUL;
		else if (t->kind == KT_SLASH)
			op = KB_DIV;
		else if (t->kind == KT_PERCENT)
			op = KB_MOD;
		else
			break;
		next(p);
		e = binary(p, t, op, e, parse_unary(p));
	}
	return e;
}

static struct kql_expr *
parse_add(struct parser *p)
{
	struct kql_expr *e;
	struct kql_token *t;
	enum kql_binop op;

	e = parse_mul(p);
	while (e != NULL) {
		t = cur(p);
		if (t->kind == KT_PLUS)
			op = KB_ADD;
		else if (t->kind == KT_MINUS)
			op = KB_SUB;
		else
			break;
		next(p);
		e = binary(p, t, op, e, parse_mul(p));
	}
	return e;
}

/* The list of in (...), has_any (...): values or one tabular expression. */
static struct kql_expr *
parse_list(struct parser *p, struct kql_expr *e)
{
	struct kql_expr *v;

	if (expect(p, KT_LPAREN, "'(' and a list") == -1)
		return NULL;
	if (accept(p, KT_RPAREN))
		return e;
	for (;;) {
		v = parse_value(p);
		if (v == NULL)
			return NULL;
		if (add_arg(p, e, v) == -1)
			return NULL;
		if (accept(p, KT_RPAREN))
			return e;
		if (expect(p, KT_COMMA, "',' or ')'") == -1)
			return NULL;
	}
}

static struct kql_expr *
parse_cmp(struct parser *p)
{
	struct kql_expr *e, *r;
	struct kql_token *t;
	enum kql_binop op;
	size_t i;

	e = parse_add(p);
	if (e == NULL)
		return NULL;
	t = cur(p);
	switch (t->kind) {
	case KT_EQ:
		op = KB_EQ;
		break;
	case KT_NE:
		op = KB_NE;
		break;
	case KT_LT:
		op = KB_LT;
		break;
	case KT_LE:
		op = KB_LE;
		break;
	case KT_GT:
		op = KB_GT;
		break;
	case KT_GE:
		op = KB_GE;
		break;
	case KT_EQ_CI:
		op = KB_EQ_CI;
		break;
	case KT_NE_CI:
		op = KB_NE_CI;
		break;
	case KT_WORD:
		for (i = 0; word_ops[i].word != NULL; i++)
			if (strcmp(word_ops[i].word, t->text) == 0)
				break;
		if (word_ops[i].word != NULL) {
			op = word_ops[i].op;
			break;
		}
		if (strcmp(t->text, "matches") == 0) {
			next(p);
			if (!is_word(cur(p), "regex")) {
				expected(p, "'regex' after 'matches'");
				return NULL;
			}
			next(p);
			return binary(p, t, KB_MATCHES, e, parse_add(p));
		}
		if (strcmp(t->text, "between") == 0 ||
		    strcmp(t->text, "!between") == 0) {
			next(p);
			r = new_expr(p, KX_BETWEEN, t);
			if (r == NULL)
				return NULL;
			r->op = t->text[0] == '!' ? KB_NBETWEEN : KB_BETWEEN;
			r->pos = e->pos;
			r->a = e;
			if (expect(p, KT_LPAREN, "'('") == -1)
				return NULL;
			r->b = parse_expr(p);
			if (r->b == NULL ||
			    expect(p, KT_DOTDOT, "'..'") == -1)
				return NULL;
			r->c = parse_expr(p);
			if (r->c == NULL || expect(p, KT_RPAREN, "')'") == -1)
				return NULL;
			return r;
		}
		for (i = 0; list_ops[i].word != NULL; i++)
			if (strcmp(list_ops[i].word, t->text) == 0)
				break;
		if (list_ops[i].word != NULL) {
			next(p);
			r = new_expr(p, KX_IN, t);
			if (r == NULL)
				return NULL;
			r->op = list_ops[i].op;
			r->pos = e->pos;
			r->a = e;
			return parse_list(p, r);
		}
		return e;
	default:
		return e;
	}
	next(p);
	return binary(p, t, op, e, parse_add(p));
}

static struct kql_expr *
parse_and(struct parser *p)
{
	struct kql_expr *e;
	struct kql_token *t;

	e = parse_cmp(p);
	while (e != NULL && is_word(cur(p), "and")) {
		t = cur(p);
		next(p);
		e = binary(p, t, KB_AND, e, parse_cmp(p));
	}
	return e;
}

static struct kql_expr *
parse_expr(struct parser *p)
{
	struct kql_expr *e;
	struct kql_token *t;

	if (enter(p) == -1)
		return NULL;
	e = parse_and(p);
	while (e != NULL && is_word(cur(p), "or")) {
		t = cur(p);
		next(p);
		e = binary(p, t, KB_OR, e, parse_and(p));
	}
	leave(p);
	return e;
}

/* Words that start a tabular expression on their own. */
static int
at_tab_keyword(struct parser *p)
{
	struct kql_token *t = cur(p);

	if (t->kind != KT_WORD)
		return 0;
	if (strcmp(t->text, "union") == 0 || strcmp(t->text, "print") == 0 ||
	    strcmp(t->text, "find") == 0 || strcmp(t->text, "search") == 0)
		return 1;
	if ((strcmp(t->text, "datatable") == 0 ||
	    strcmp(t->text, "externaldata") == 0) &&
	    peek(p, 1)->kind == KT_LPAREN)
		return 1;
	if (strcmp(t->text, "range") == 0 && peek(p, 1)->kind == KT_WORD &&
	    is_word(peek(p, 2), "from"))
		return 1;
	if (strcmp(t->text, "evaluate") == 0 && peek(p, 1)->kind == KT_WORD)
		return 1;
	return 0;
}

/*
 * An expression that may be tabular: a scalar, or a table-like thing
 * followed by "| operators".  Tabular results are wrapped in KX_TAB.
 */
static struct kql_expr *
parse_value(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct kql_expr *e, *w;
	struct kql_tab *tab;

	if (enter(p) == -1)
		return NULL;
	if (at_tab_keyword(p)) {
		tab = parse_tab(p);
		e = NULL;
		if (tab != NULL && (e = new_expr(p, KX_TAB, t)) != NULL)
			e->tab = tab;
		leave(p);
		return e;
	}
	e = parse_expr(p);
	if (e != NULL && cur(p)->kind == KT_PIPE) {
		tab = parse_tab_after(p, e);
		if (tab == NULL) {
			leave(p);
			return NULL;
		}
		w = new_expr(p, KX_TAB, t);
		if (w != NULL)
			w->tab = tab;
		e = w;
	}
	leave(p);
	return e;
}

/* ---- tabular operators ---- */

static struct kql_named *
add_item(struct parser *p, struct kql_named **v, size_t *n, size_t *cap)
{
	return push(p, v, n, cap, sizeof(**v));
}

/* [name =] expr */
static int
parse_named(struct parser *p, struct kql_named *it)
{
	struct kql_token *t = cur(p);

	it->pos = pos_of(t);
	if (at_name(p)) {
		size_t save = p->i;
		const char *name = parse_name(p, "a name");

		if (name != NULL && cur(p)->kind == KT_ASSIGN) {
			next(p);
			it->name = name;
		} else {
			p->i = save;
		}
	} else if (t->kind == KT_LPAREN && at_name_list_assign(p)) {
		/* (a, b) = arg_max(...) names several columns */
		const char **slot;
		size_t cap = 0;

		next(p);
		for (;;) {
			slot = push(p, &it->names, &it->nnames, &cap,
			    sizeof(*slot));
			if (slot == NULL)
				return -1;
			*slot = parse_name(p, "a column name");
			if (*slot == NULL)
				return -1;
			if (accept(p, KT_RPAREN))
				break;
			if (expect(p, KT_COMMA, "',' or ')'") == -1)
				return -1;
		}
		if (expect(p, KT_ASSIGN, "'='") == -1)
			return -1;
	}
	it->e = parse_expr(p);
	return it->e == NULL ? -1 : 0;
}

static int
parse_named_list(struct parser *p, struct kql_named **v, size_t *n,
    size_t *cap, int stop_at_by)
{
	struct kql_named *it;

	for (;;) {
		if (stop_at_by && is_word(cur(p), "by"))
			return 0;
		it = add_item(p, v, n, cap);
		if (it == NULL || parse_named(p, it) == -1)
			return -1;
		if (!accept(p, KT_COMMA))
			return 0;
	}
}

/* A column name or wildcard pattern (Account*, *Id): written without
 * spaces, it comes as words and stars; joined back here. */
static const char *
parse_pattern(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct buf b;
	const char *s;

	if (t->kind == KT_LBRACK)
		return parse_name(p, "a column name");
	buf_init(&b);
	while (cur(p)->kind == KT_STAR || (cur(p)->kind == KT_WORD &&
	    cur(p)->text[0] != '!')) {
		if (b.len > 0 && cur(p)->space_before)
			break;
		if (cur(p)->kind == KT_STAR)
			buf_addc(&b, '*');
		else
			buf_adds(&b, cur(p)->text);
		next(p);
	}
	if (b.len == 0) {
		buf_release(&b);
		expected(p, "a column name");
		return NULL;
	}
	s = kql_arena_strndup(p->a, buf_str(&b), b.len);
	buf_release(&b);
	if (s == NULL)
		fail_at(p, t, "out of memory");
	return s;
}

static struct kql_op *
new_op(struct parser *p, struct kql_tab *tab, enum kql_opk kind,
    const struct kql_token *at)
{
	struct kql_op *op;

	op = push(p, &tab->ops, &tab->nops, &tab->opcap, sizeof(*op));
	if (op == NULL)
		return NULL;
	op->kind = kind;
	op->pos = pos_of(at);
	op->name = at->text;
	op->limit = -1;
	return op;
}

/* name=value parameters of join, union, mv-expand ...: returns 1 when
 * one was read, with *name and *value pointing at their tokens. */
static int
parse_param(struct parser *p, const char **name, struct kql_token **value)
{
	struct kql_token *t = cur(p);

	if (t->kind != KT_WORD)
		return 0;
	if (strcmp(t->text, "hint") == 0 && peek(p, 1)->kind == KT_DOT &&
	    peek(p, 2)->kind == KT_WORD && peek(p, 3)->kind == KT_ASSIGN) {
		*name = "hint.";
		*value = peek(p, 4);
		p->i += 5;
		return 1;
	}
	if (peek(p, 1)->kind != KT_ASSIGN)
		return 0;
	if (strcmp(t->text, "kind") != 0 && strcmp(t->text, "withsource") != 0
	    && strcmp(t->text, "isfuzzy") != 0 &&
	    strcmp(t->text, "with_itemindex") != 0 &&
	    strcmp(t->text, "bagexpansion") != 0 &&
	    strcmp(t->text, "flags") != 0 &&
	    strcmp(t->text, "with_source") != 0)
		return 0;
	*name = t->text;
	*value = peek(p, 2);
	p->i += 3;
	return 1;
}

static int
value_is(const struct kql_token *v, const char *w)
{
	return (v->kind == KT_WORD || v->kind == KT_STRING) &&
	    strcmp(v->text, w) == 0;
}

static int
parse_sortkeys(struct parser *p, struct kql_op *op, int one)
{
	struct kql_sortkey *k;

	for (;;) {
		k = push(p, &op->keys, &op->nkeys, &op->keycap, sizeof(*k));
		if (k == NULL)
			return -1;
		k->e = parse_expr(p);
		if (k->e == NULL)
			return -1;
		k->nulls_first = -1;
		if (accept_word(p, "asc"))
			k->asc = 1;
		else
			accept_word(p, "desc");
		if (accept_word(p, "nulls")) {
			if (accept_word(p, "first"))
				k->nulls_first = 1;
			else if (accept_word(p, "last"))
				k->nulls_first = 0;
			else
				return expected(p, "'first' or 'last'");
		}
		if (one || !accept(p, KT_COMMA))
			return 0;
	}
}

/* The right side of join or lookup, or a union member: a name, a call,
 * or a parenthesised tabular expression. */
static struct kql_tab *
parse_tab_operand(struct parser *p, int allow_wildcard)
{
	struct kql_token *t = cur(p);
	struct kql_tab *tab;
	struct kql_expr *e;

	if (t->kind == KT_LPAREN) {
		next(p);
		e = parse_value(p);
		if (e == NULL || expect(p, KT_RPAREN, "')'") == -1)
			return NULL;
		tab = alloc(p, sizeof(*tab));
		if (tab == NULL)
			return NULL;
		tab->pos = pos_of(t);
		if (e->kind == KX_TAB) {
			tab->src = KS_PAREN;
			tab->inner = e->tab;
		} else if (e->kind == KX_NAME) {
			tab->src = KS_NAME;
			tab->name = e->name;
		} else if (e->kind == KX_CALL) {
			tab->src = KS_CALL;
			tab->name = e->name;
			tab->args = e->args;
			tab->nargs = e->nargs;
		} else {
			fail_at(p, t, "expected a tabular expression");
			return NULL;
		}
		return tab;
	}
	if (!at_name(p)) {
		expected(p, "a table");
		return NULL;
	}
	tab = alloc(p, sizeof(*tab));
	if (tab == NULL)
		return NULL;
	tab->pos = pos_of(t);
	if (allow_wildcard && t->kind == KT_WORD &&
	    peek(p, 1)->kind != KT_LPAREN) {
		tab->name = parse_pattern(p);
		tab->src = KS_NAME;
		tab->wildcard = tab->name != NULL &&
		    strchr(tab->name, '*') != NULL;
		return tab->name == NULL ? NULL : tab;
	}
	if (t->kind == KT_WORD && peek(p, 1)->kind == KT_LPAREN) {
		e = parse_primary(p);
		if (e == NULL)
			return NULL;
		tab->src = KS_CALL;
		tab->name = e->name;
		tab->args = e->args;
		tab->nargs = e->nargs;
		return tab;
	}
	tab->src = KS_NAME;
	tab->name = parse_name(p, "a table");
	return tab->name == NULL ? NULL : tab;
}

static int
parse_join(struct parser *p, struct kql_op *op, int lookup)
{
	struct kql_token *v;
	struct kql_joincond *c;
	const char *name, *l, *r;
	static const struct {
		const char		*name;
		enum kql_joinkind	 kind;
	} kinds[] = {
		{ "innerunique", KJ_INNERUNIQUE }, { "inner", KJ_INNER },
		{ "leftouter", KJ_LEFTOUTER }, { "rightouter", KJ_RIGHTOUTER },
		{ "fullouter", KJ_FULLOUTER }, { "leftsemi", KJ_LEFTSEMI },
		{ "leftanti", KJ_LEFTANTI }, { "rightsemi", KJ_RIGHTSEMI },
		{ "rightanti", KJ_RIGHTANTI }, { "anti", KJ_LEFTANTI },
		{ "leftantisemi", KJ_LEFTANTI },
		{ "rightantisemi", KJ_RIGHTANTI }, { NULL, 0 }
	};
	size_t i;

	op->join_kind = lookup ? KJ_LEFTOUTER : KJ_INNERUNIQUE;
	while (parse_param(p, &name, &v)) {
		if (strcmp(name, "kind") == 0) {
			for (i = 0; kinds[i].name != NULL; i++)
				if (value_is(v, kinds[i].name))
					break;
			if (kinds[i].name == NULL)
				return fail_at(p, v, "unknown join kind");
			op->join_kind = kinds[i].kind;
		} else if (strncmp(name, "hint.", 5) != 0) {
			return fail_at(p, v, "unknown %s parameter '%s'",
			    lookup ? "lookup" : "join", name);
		}
	}
	op->right = parse_tab_operand(p, 0);
	if (op->right == NULL)
		return -1;
	if (!accept_word(p, "on"))
		return expected(p, "'on'");
	for (;;) {
		c = push(p, &op->conds, &op->nconds, &op->condcap,
		    sizeof(*c));
		if (c == NULL)
			return -1;
		c->pos = pos_of(cur(p));
		if (is_word(cur(p), "$left") || is_word(cur(p), "$right")) {
			int left_first = is_word(cur(p), "$left");

			next(p);
			if (expect(p, KT_DOT, "'.'") == -1 ||
			    (l = parse_name(p, "a column")) == NULL)
				return -1;
			if (expect(p, KT_EQ, "'=='") == -1)
				return -1;
			if (!accept_word(p, left_first ? "$right" : "$left"))
				return expected(p, left_first ? "'$right'" :
				    "'$left'");
			if (expect(p, KT_DOT, "'.'") == -1 ||
			    (r = parse_name(p, "a column")) == NULL)
				return -1;
			c->left = left_first ? l : r;
			c->right = left_first ? r : l;
		} else {
			l = parse_name(p, "a column or $left.column");
			if (l == NULL)
				return -1;
			c->left = c->right = l;
		}
		if (!accept(p, KT_COMMA) && !accept_word(p, "and"))
			return 0;
	}
}

static int
parse_union_args(struct parser *p, struct kql_op *op)
{
	struct kql_token *v;
	struct kql_tab **slot;
	const char *name;

	while (parse_param(p, &name, &v)) {
		if (strcmp(name, "withsource") == 0 ||
		    strcmp(name, "with_source") == 0) {
			if (v->kind != KT_WORD && v->kind != KT_STRING)
				return fail_at(p, v, "expected a column name");
			op->withsource = v->text;
		} else if (strcmp(name, "kind") == 0) {
			if (value_is(v, "inner"))
				op->union_inner = 1;
			else if (!value_is(v, "outer"))
				return fail_at(p, v, "unknown union kind");
		} else if (strcmp(name, "isfuzzy") == 0) {
			op->isfuzzy = value_is(v, "true");
		} else if (strncmp(name, "hint.", 5) != 0) {
			return fail_at(p, v, "unknown union parameter '%s'",
			    name);
		}
	}
	for (;;) {
		slot = push(p, &op->tabs, &op->ntabs, &op->tabcap,
		    sizeof(*slot));
		if (slot == NULL)
			return -1;
		*slot = parse_tab_operand(p, 1);
		if (*slot == NULL)
			return -1;
		if (!accept(p, KT_COMMA))
			return 0;
	}
}

static int
parse_type_word(struct parser *p, enum kql_type *type)
{
	struct kql_token *t = cur(p);
	int ty;

	if (t->kind != KT_WORD || (ty = kql_type_parse(t->text)) < 0)
		return expected(p, "a type name");
	next(p);
	*type = (enum kql_type)ty;
	return 0;
}

static int
parse_mv_expand(struct parser *p, struct kql_op *op)
{
	struct kql_token *v;
	struct kql_named *it;
	const char *name;

	while (parse_param(p, &name, &v)) {
		if (strcmp(name, "with_itemindex") == 0) {
			if (v->kind != KT_WORD)
				return fail_at(p, v, "expected a column name");
			op->itemindex = v->text;
		} else if (strcmp(name, "bagexpansion") == 0 ||
		    strcmp(name, "kind") == 0) {
			if (value_is(v, "array"))
				op->bag_array = 1;
			else if (!value_is(v, "bag"))
				return fail_at(p, v, "unknown mv-expand %s",
				    name);
		} else if (strncmp(name, "hint.", 5) != 0) {
			return fail_at(p, v, "unknown mv-expand parameter "
			    "'%s'", name);
		}
	}
	for (;;) {
		it = add_item(p, &op->items, &op->nitems, &op->itemcap);
		if (it == NULL || parse_named(p, it) == -1)
			return -1;
		if (accept_word(p, "to")) {
			if (!accept_word(p, "typeof"))
				return expected(p, "'typeof'");
			if (expect(p, KT_LPAREN, "'('") == -1 ||
			    parse_type_word(p, &it->to_type) == -1 ||
			    expect(p, KT_RPAREN, "')'") == -1)
				return -1;
		}
		if (!accept(p, KT_COMMA))
			break;
	}
	if (accept_word(p, "limit")) {
		if (cur(p)->kind != KT_LONG)
			return expected(p, "a number");
		op->limit = cur(p)->ival;
		next(p);
	}
	return 0;
}

static int
parse_parse(struct parser *p, struct kql_op *op)
{
	struct kql_token *v, *t;
	struct kql_parsepart *part;
	const char *name;

	while (parse_param(p, &name, &v)) {
		if (strcmp(name, "kind") == 0) {
			if (value_is(v, "simple"))
				op->parse_kind = 0;
			else if (value_is(v, "regex"))
				op->parse_kind = 1;
			else if (value_is(v, "relaxed"))
				op->parse_kind = 2;
			else
				return fail_at(p, v, "unknown parse kind");
		} else if (strcmp(name, "flags") != 0) {
			return fail_at(p, v, "unknown parse parameter '%s'",
			    name);
		}
	}
	op->e = parse_expr(p);
	if (op->e == NULL)
		return -1;
	if (!accept_word(p, "with"))
		return expected(p, "'with'");
	while (!at_op_end(p)) {
		t = cur(p);
		part = push(p, &op->parts, &op->nparts, &op->partcap,
		    sizeof(*part));
		if (part == NULL)
			return -1;
		part->pos = pos_of(t);
		part->type = KQL_T_STRING;
		if (t->kind == KT_STRING) {
			part->text = t->text;
			part->len = t->len;
			next(p);
		} else if (t->kind == KT_STAR) {
			next(p);
		} else if (at_name(p)) {
			part->name = parse_name(p, "a column name");
			if (part->name == NULL)
				return -1;
			if (accept(p, KT_COLON) &&
			    parse_type_word(p, &part->type) == -1)
				return -1;
		} else {
			return expected(p, "a string, a column or '*'");
		}
		accept(p, KT_COMMA);
	}
	if (op->nparts == 0)
		return expected(p, "a pattern");
	return 0;
}

/* Operators parsed only to report them: skip their arguments, which may
 * hold nested parentheses and braces, up to the next top-level pipe. */
static int
skip_operator(struct parser *p)
{
	int depth = 0;

	for (;;) {
		switch (cur(p)->kind) {
		case KT_EOF:
			return depth == 0 ? 0 : expected(p, "')'");
		case KT_LPAREN:
		case KT_LBRACK:
		case KT_LBRACE:
			depth++;
			break;
		case KT_RPAREN:
		case KT_RBRACK:
		case KT_RBRACE:
			if (depth == 0)
				return 0;
			depth--;
			break;
		case KT_PIPE:
		case KT_SEMI:
			if (depth == 0)
				return 0;
			break;
		default:
			break;
		}
		next(p);
	}
}

/* make-series, mv-apply, evaluate ...: checked for shape, then
 * recorded as unsupported. */
static int
parse_unsupported(struct parser *p, struct kql_op *op)
{
	struct kql_token *t = cur(p);
	struct kql_expr *e;

	op->kind = KO_UNSUPPORTED;
	if (strcmp(op->name, "evaluate") == 0) {
		const char *name;
		struct kql_token *v;

		while (parse_param(p, &name, &v))
			;
		t = cur(p);
		if (t->kind != KT_WORD || peek(p, 1)->kind != KT_LPAREN)
			return expected(p, "a plugin call");
		e = parse_primary(p);
		if (e == NULL)
			return -1;
		{
			size_t n = strlen(e->name);
			char *s = kql_arena_alloc(p->a, n + 10);

			if (s == NULL)
				return fail_at(p, t, "out of memory");
			memcpy(s, "evaluate ", 9);
			memcpy(s + 9, e->name, n + 1);
			op->name = s;
		}
		return 0;
	}
	if (strcmp(op->name, "mv-apply") == 0) {
		struct kql_named *it;
		struct kql_tab *sub;

		while (!is_word(cur(p), "on")) {
			it = add_item(p, &op->items, &op->nitems,
			    &op->itemcap);
			if (it == NULL || parse_named(p, it) == -1)
				return -1;
			if (accept_word(p, "to")) {
				if (!accept_word(p, "typeof") ||
				    expect(p, KT_LPAREN, "'('") == -1 ||
				    parse_type_word(p, &it->to_type) == -1 ||
				    expect(p, KT_RPAREN, "')'") == -1)
					return -1;
			}
			if (accept_word(p, "limit") && !accept(p, KT_LONG))
				return expected(p, "a number");
			if (!accept(p, KT_COMMA) && !is_word(cur(p), "on"))
				return expected(p, "'on'");
		}
		next(p);
		if (expect(p, KT_LPAREN, "'('") == -1)
			return -1;
		sub = alloc(p, sizeof(*sub));
		if (sub == NULL)
			return -1;
		sub->src = KS_PAREN;
		/* A pipeline without a source: "on (summarize ...)". */
		if (cur(p)->kind != KT_PIPE && parse_operator(p, sub) == -1)
			return -1;
		if (parse_ops(p, sub) == -1)
			return -1;
		return expect(p, KT_RPAREN, "')'");
	}
	return skip_operator(p);
}

static int
parse_operator(struct parser *p, struct kql_tab *tab)
{
	struct kql_token *t = cur(p);
	struct kql_op *op;
	const char *w, *name;
	struct kql_named *it;
	struct kql_token *v;

	if (t->kind != KT_WORD)
		return expected(p, "an operator after '|'");
	w = t->text;
	next(p);
	if (strcmp(w, "where") == 0 || strcmp(w, "filter") == 0) {
		if ((op = new_op(p, tab, KO_WHERE, t)) == NULL)
			return -1;
		op->e = parse_expr(p);
		return op->e == NULL ? -1 : 0;
	}
	if (strcmp(w, "project") == 0 || strcmp(w, "extend") == 0) {
		op = new_op(p, tab, w[0] == 'p' ? KO_PROJECT : KO_EXTEND, t);
		if (op == NULL)
			return -1;
		return parse_named_list(p, &op->items, &op->nitems,
		    &op->itemcap, 0);
	}
	if (strcmp(w, "project-away") == 0 || strcmp(w, "project-keep") == 0 ||
	    strcmp(w, "project-reorder") == 0) {
		op = new_op(p, tab, strcmp(w, "project-away") == 0 ?
		    KO_PROJECT_AWAY : strcmp(w, "project-keep") == 0 ?
		    KO_PROJECT_KEEP : KO_PROJECT_REORDER, t);
		if (op == NULL)
			return -1;
		for (;;) {
			it = add_item(p, &op->items, &op->nitems,
			    &op->itemcap);
			if (it == NULL)
				return -1;
			it->pos = pos_of(cur(p));
			it->name = parse_pattern(p);
			if (it->name == NULL)
				return -1;
			if (op->kind == KO_PROJECT_REORDER) {
				if (accept_word(p, "asc") ||
				    accept_word(p, "desc") ||
				    accept_word(p, "granny-asc") ||
				    accept_word(p, "granny-desc"))
					return fail_at(p, t, "project-reorder "
					    "with a sort order is not "
					    "supported");
			}
			if (!accept(p, KT_COMMA))
				return 0;
		}
	}
	if (strcmp(w, "project-rename") == 0) {
		if ((op = new_op(p, tab, KO_PROJECT_RENAME, t)) == NULL)
			return -1;
		for (;;) {
			it = add_item(p, &op->items, &op->nitems,
			    &op->itemcap);
			if (it == NULL)
				return -1;
			it->pos = pos_of(cur(p));
			it->name = parse_name(p, "a new column name");
			if (it->name == NULL ||
			    expect(p, KT_ASSIGN, "'='") == -1)
				return -1;
			it->e = new_expr(p, KX_NAME, cur(p));
			if (it->e == NULL)
				return -1;
			it->e->name = parse_name(p, "a column name");
			if (it->e->name == NULL)
				return -1;
			if (!accept(p, KT_COMMA))
				return 0;
		}
	}
	if (strcmp(w, "summarize") == 0) {
		if ((op = new_op(p, tab, KO_SUMMARIZE, t)) == NULL)
			return -1;
		while (parse_param(p, &name, &v))
			if (strncmp(name, "hint.", 5) != 0)
				return fail_at(p, v, "unknown summarize "
				    "parameter '%s'", name);
		if (!is_word(cur(p), "by") && !at_op_end(p) &&
		    parse_named_list(p, &op->items, &op->nitems,
		    &op->itemcap, 1) == -1)
			return -1;
		if (accept_word(p, "by"))
			return parse_named_list(p, &op->by, &op->nby,
			    &op->bycap, 0);
		if (op->nitems == 0)
			return expected(p, "an aggregation or 'by'");
		return 0;
	}
	if (strcmp(w, "sort") == 0 || strcmp(w, "order") == 0) {
		if ((op = new_op(p, tab, KO_SORT, t)) == NULL)
			return -1;
		if (!accept_word(p, "by"))
			return expected(p, "'by'");
		return parse_sortkeys(p, op, 0);
	}
	if (strcmp(w, "take") == 0 || strcmp(w, "limit") == 0 ||
	    strcmp(w, "sample") == 0) {
		op = new_op(p, tab, w[0] == 's' ? KO_SAMPLE : KO_TAKE, t);
		if (op == NULL)
			return -1;
		op->e = parse_expr(p);
		return op->e == NULL ? -1 : 0;
	}
	if (strcmp(w, "top") == 0) {
		if ((op = new_op(p, tab, KO_TOP, t)) == NULL)
			return -1;
		op->e = parse_expr(p);
		if (op->e == NULL)
			return -1;
		if (!accept_word(p, "by"))
			return expected(p, "'by'");
		return parse_sortkeys(p, op, 1);
	}
	if (strcmp(w, "count") == 0) {
		op = new_op(p, tab, KO_COUNT, t);
		return op == NULL ? -1 : 0;
	}
	if (strcmp(w, "getschema") == 0) {
		op = new_op(p, tab, KO_GETSCHEMA, t);
		return op == NULL ? -1 : 0;
	}
	if (strcmp(w, "distinct") == 0) {
		if ((op = new_op(p, tab, KO_DISTINCT, t)) == NULL)
			return -1;
		if (cur(p)->kind == KT_STAR) {
			next(p);
			return 0;
		}
		return parse_named_list(p, &op->items, &op->nitems,
		    &op->itemcap, 0);
	}
	if (strcmp(w, "join") == 0 || strcmp(w, "lookup") == 0) {
		op = new_op(p, tab, w[0] == 'j' ? KO_JOIN : KO_LOOKUP, t);
		if (op == NULL)
			return -1;
		return parse_join(p, op, w[0] == 'l');
	}
	if (strcmp(w, "union") == 0) {
		if ((op = new_op(p, tab, KO_UNION, t)) == NULL)
			return -1;
		return parse_union_args(p, op);
	}
	if (strcmp(w, "mv-expand") == 0 || strcmp(w, "mvexpand") == 0) {
		if ((op = new_op(p, tab, KO_MV_EXPAND, t)) == NULL)
			return -1;
		return parse_mv_expand(p, op);
	}
	if (strcmp(w, "parse") == 0 || strcmp(w, "parse-where") == 0) {
		if ((op = new_op(p, tab, KO_PARSE, t)) == NULL)
			return -1;
		op->parse_where = w[5] == '-';
		return parse_parse(p, op);
	}
	if (strcmp(w, "serialize") == 0) {
		if ((op = new_op(p, tab, KO_SERIALIZE, t)) == NULL)
			return -1;
		if (at_op_end(p))
			return 0;
		return parse_named_list(p, &op->items, &op->nitems,
		    &op->itemcap, 0);
	}
	if (strcmp(w, "as") == 0) {
		if ((op = new_op(p, tab, KO_AS, t)) == NULL)
			return -1;
		while (parse_param(p, &name, &v))
			;
		op->alias = parse_name(p, "a name");
		return op->alias == NULL ? -1 : 0;
	}
	if (strcmp(w, "render") == 0) {
		if ((op = new_op(p, tab, KO_RENDER, t)) == NULL)
			return -1;
		if (!at_name(p))
			return expected(p, "a visualization");
		next(p);
		if (accept_word(p, "with")) {
			if (cur(p)->kind != KT_LPAREN)
				return expected(p, "'('");
			return skip_operator(p);
		}
		return 0;
	}
	if (strcmp(w, "make-series") == 0 || strcmp(w, "mv-apply") == 0 ||
	    strcmp(w, "evaluate") == 0 || strcmp(w, "top-nested") == 0 ||
	    strcmp(w, "top-hitters") == 0 || strcmp(w, "invoke") == 0 ||
	    strcmp(w, "parse-kv") == 0 || strcmp(w, "sample-distinct") == 0 ||
	    strcmp(w, "fork") == 0 || strcmp(w, "facet") == 0 ||
	    strcmp(w, "partition") == 0 || strcmp(w, "scan") == 0 ||
	    strcmp(w, "reduce") == 0 || strcmp(w, "make-graph") == 0 ||
	    strcmp(w, "graph-match") == 0 || strcmp(w, "project-smart") == 0 ||
	    strcmp(w, "search") == 0 || strcmp(w, "find") == 0) {
		if ((op = new_op(p, tab, KO_UNSUPPORTED, t)) == NULL)
			return -1;
		return parse_unsupported(p, op);
	}
	return fail_at(p, t, "unknown operator '%s'", w);
}

static int
parse_ops(struct parser *p, struct kql_tab *tab)
{
	while (accept(p, KT_PIPE))
		if (parse_operator(p, tab) == -1)
			return -1;
	return 0;
}

static int
parse_datatable(struct parser *p, struct kql_tab *tab)
{
	struct kql_coldef *c;
	struct kql_expr *v, *holder;

	next(p);			/* datatable */
	if (expect(p, KT_LPAREN, "'('") == -1)
		return -1;
	for (;;) {
		c = push(p, &tab->cols, &tab->ncols, &tab->colcap,
		    sizeof(*c));
		if (c == NULL)
			return -1;
		c->name = parse_name(p, "a column name");
		if (c->name == NULL || expect(p, KT_COLON, "':'") == -1 ||
		    parse_type_word(p, &c->type) == -1)
			return -1;
		if (accept(p, KT_RPAREN))
			break;
		if (expect(p, KT_COMMA, "',' or ')'") == -1)
			return -1;
	}
	if (expect(p, KT_LBRACK, "'['") == -1)
		return -1;
	holder = new_expr(p, KX_CALL, cur(p));
	if (holder == NULL)
		return -1;
	while (!accept(p, KT_RBRACK)) {
		v = parse_expr(p);
		if (v == NULL || add_arg(p, holder, v) == -1)
			return -1;
		if (!accept(p, KT_COMMA) && cur(p)->kind != KT_RBRACK)
			return expected(p, "',' or ']'");
	}
	tab->args = holder->args;
	tab->nargs = holder->nargs;
	return 0;
}

/* The source of a tabular expression, then its operators. */
static struct kql_tab *
parse_tab(struct parser *p)
{
	struct kql_token *t = cur(p);
	struct kql_tab *tab;
	struct kql_op *op;
	struct kql_expr *e;

	if (enter(p) == -1)
		return NULL;
	tab = alloc(p, sizeof(*tab));
	if (tab == NULL)
		return NULL;
	tab->pos = pos_of(t);
	if (is_word(t, "union")) {
		next(p);
		tab->src = KS_UNION;
		op = alloc(p, sizeof(*op));
		if (op == NULL)
			return NULL;
		op->kind = KO_UNION;
		op->pos = pos_of(t);
		op->name = "union";
		tab->union_op = op;
		if (parse_union_args(p, op) == -1)
			return NULL;
	} else if (is_word(t, "datatable")) {
		tab->src = KS_DATATABLE;
		if (parse_datatable(p, tab) == -1)
			return NULL;
	} else if (is_word(t, "print")) {
		next(p);
		tab->src = KS_PRINT;
		if (parse_named_list(p, &tab->items, &tab->nitems,
		    &tab->itemcap, 0) == -1)
			return NULL;
	} else if (is_word(t, "range")) {
		next(p);
		tab->src = KS_RANGE;
		tab->range_col = parse_name(p, "a column name");
		if (tab->range_col == NULL || !accept_word(p, "from") ||
		    (tab->range_from = parse_expr(p)) == NULL ||
		    !accept_word(p, "to") ||
		    (tab->range_to = parse_expr(p)) == NULL ||
		    !accept_word(p, "step") ||
		    (tab->range_step = parse_expr(p)) == NULL) {
			if (!p->failed)
				expected(p, "range NAME from A to B step C");
			return NULL;
		}
	} else if (is_word(t, "externaldata") || is_word(t, "find") ||
	    is_word(t, "search") || is_word(t, "evaluate")) {
		next(p);
		tab->src = KS_UNSUPPORTED;
		tab->name = t->text;
		if (skip_operator(p) == -1)
			return NULL;
	} else {
		e = parse_expr(p);
		if (e == NULL)
			return NULL;
		leave(p);
		return parse_tab_after(p, e);
	}
	if (parse_ops(p, tab) == -1)
		return NULL;
	leave(p);
	return tab;
}

/* A tabular expression whose source was parsed as expression e. */
static struct kql_tab *
parse_tab_after(struct parser *p, struct kql_expr *e)
{
	struct kql_tab *tab;

	if (e->kind == KX_TAB) {
		tab = e->tab;
		if (tab->nops > 0 || tab->src == KS_UNION) {
			/* (T | where x) | take 1: wrap, keep order */
			struct kql_tab *outer = alloc(p, sizeof(*outer));

			if (outer == NULL)
				return NULL;
			outer->pos = e->pos;
			outer->src = KS_PAREN;
			outer->inner = tab;
			tab = outer;
		}
	} else {
		tab = alloc(p, sizeof(*tab));
		if (tab == NULL)
			return NULL;
		tab->pos = e->pos;
		if (e->kind == KX_NAME) {
			tab->src = KS_NAME;
			tab->name = e->name;
		} else if (e->kind == KX_CALL) {
			tab->src = KS_CALL;
			tab->name = e->name;
			tab->args = e->args;
			tab->nargs = e->nargs;
		} else {
			fail_at(p, &(struct kql_token){ .line = e->pos.line,
			    .col = e->pos.col }, "expected a table before '|'");
			return NULL;
		}
	}
	if (parse_ops(p, tab) == -1)
		return NULL;
	return tab;
}

/* ---- statements ---- */

static int
parse_params(struct parser *p, struct kql_lambda *fn)
{
	struct kql_param *pa;

	if (accept(p, KT_RPAREN))
		return 0;
	for (;;) {
		pa = push(p, &fn->params, &fn->nparams, &fn->paramcap,
		    sizeof(*pa));
		if (pa == NULL)
			return -1;
		pa->name = parse_name(p, "a parameter name");
		if (pa->name == NULL || expect(p, KT_COLON, "':'") == -1)
			return -1;
		if (cur(p)->kind == KT_LPAREN) {
			/* T:(*) or T:(a:string, ...): skip to the ")" */
			int depth = 0;

			pa->tabular = 1;
			do {
				if (cur(p)->kind == KT_EOF)
					return expected(p, "')'");
				if (cur(p)->kind == KT_LPAREN)
					depth++;
				else if (cur(p)->kind == KT_RPAREN)
					depth--;
				next(p);
			} while (depth > 0);
		} else {
			if (parse_type_word(p, &pa->type) == -1)
				return -1;
		}
		if (accept(p, KT_ASSIGN)) {
			pa->dflt = parse_expr(p);
			if (pa->dflt == NULL)
				return -1;
		}
		if (accept(p, KT_RPAREN))
			return 0;
		if (expect(p, KT_COMMA, "',' or ')'") == -1)
			return -1;
	}
}

static int	 parse_let(struct parser *, struct kql_let *);

static struct kql_lambda *
parse_lambda(struct parser *p)
{
	struct kql_lambda *fn;
	struct kql_let *l;

	fn = alloc(p, sizeof(*fn));
	if (fn == NULL)
		return NULL;
	next(p);			/* ( */
	if (parse_params(p, fn) == -1)
		return NULL;
	if (expect(p, KT_LBRACE, "'{'") == -1)
		return NULL;
	while (is_word(cur(p), "let")) {
		l = push(p, &fn->lets, &fn->nlets, &fn->letcap, sizeof(*l));
		if (l == NULL || parse_let(p, l) == -1)
			return NULL;
	}
	fn->body = parse_value(p);
	if (fn->body == NULL)
		return NULL;
	accept(p, KT_SEMI);
	if (expect(p, KT_RBRACE, "'}'") == -1)
		return NULL;
	return fn;
}

/* Is "(" the start of a function's parameter list? */
static int
at_lambda(struct parser *p)
{
	if (cur(p)->kind != KT_LPAREN)
		return 0;
	if (peek(p, 1)->kind == KT_RPAREN && peek(p, 2)->kind == KT_LBRACE)
		return 1;
	return peek(p, 1)->kind == KT_WORD && peek(p, 2)->kind == KT_COLON;
}

static int
parse_let(struct parser *p, struct kql_let *l)
{
	next(p);			/* let */
	l->pos = pos_of(cur(p));
	l->name = parse_name(p, "a name after 'let'");
	if (l->name == NULL || expect(p, KT_ASSIGN, "'='") == -1)
		return -1;
	if (is_word(cur(p), "view") && peek(p, 1)->kind == KT_LPAREN)
		next(p);
	if (at_lambda(p)) {
		l->fn = parse_lambda(p);
		if (l->fn == NULL)
			return -1;
	} else {
		l->value = parse_value(p);
		if (l->value == NULL)
			return -1;
	}
	if (!accept(p, KT_SEMI))
		return expected(p, "';' after the let statement");
	return 0;
}

/* Is "(" after a name list followed by "="?  (a, b) = ... */
static int
at_name_list_assign(struct parser *p)
{
	size_t k = 1;

	while (peek(p, k)->kind == KT_WORD &&
	    (peek(p, k + 1)->kind == KT_COMMA ||
	    peek(p, k + 1)->kind == KT_RPAREN)) {
		if (peek(p, k + 1)->kind == KT_RPAREN)
			return peek(p, k + 2)->kind == KT_ASSIGN;
		k += 2;
	}
	return 0;
}

static int
parse_declare(struct parser *p, struct kql_ast *q)
{
	struct kql_lambda fn;
	struct kql_let *l;
	size_t i;

	next(p);			/* declare */
	if (!accept_word(p, "query_parameters"))
		return expected(p, "'query_parameters'");
	if (expect(p, KT_LPAREN, "'('") == -1)
		return -1;
	memset(&fn, 0, sizeof(fn));
	if (parse_params(p, &fn) == -1)
		return -1;
	for (i = 0; i < fn.nparams; i++) {
		if (fn.params[i].dflt == NULL)
			return fail_at(p, cur(p), "query parameter '%s' has "
			    "no default value", fn.params[i].name);
		l = push(p, &q->lets, &q->nlets, &q->letcap, sizeof(*l));
		if (l == NULL)
			return -1;
		l->name = fn.params[i].name;
		l->pos = fn.params[i].dflt->pos;
		l->value = fn.params[i].dflt;
	}
	if (!accept(p, KT_SEMI))
		return expected(p, "';'");
	return 0;
}

int
kql_parse(struct kql_arena *a, const char *text, size_t len,
    struct kql_ast *q, char *err, size_t errsz)
{
	struct parser p;
	struct kql_tokens toks;
	struct kql_let *l;
	struct kql_expr *e;

	memset(q, 0, sizeof(*q));
	if (kql_lex(a, text, len, &toks, err, errsz) == -1)
		return -1;
	memset(&p, 0, sizeof(p));
	p.a = a;
	p.t = toks.v;
	p.n = toks.n;
	p.err = err;
	p.errsz = errsz;
	for (;;) {
		while (accept(&p, KT_SEMI))
			;
		if (cur(&p)->kind == KT_EOF)
			break;
		if (is_word(cur(&p), "let")) {
			l = push(&p, &q->lets, &q->nlets, &q->letcap,
			    sizeof(*l));
			if (l == NULL || parse_let(&p, l) == -1)
				return -1;
			continue;
		}
		if (is_word(cur(&p), "declare")) {
			if (parse_declare(&p, q) == -1)
				return -1;
			continue;
		}
		if (is_word(cur(&p), "set") && peek(&p, 1)->kind == KT_WORD) {
			fail_at(&p, cur(&p), "'set' statements are not "
			    "supported");
			return -1;
		}
		if (q->body != NULL) {
			fail_at(&p, cur(&p), "only one tabular statement is "
			    "supported");
			return -1;
		}
		e = parse_value(&p);
		if (e == NULL)
			return -1;
		if (e->kind == KX_TAB) {
			q->body = e->tab;
		} else {
			q->body = parse_tab_after(&p, e);
			if (q->body == NULL)
				return -1;
		}
		if (cur(&p)->kind != KT_SEMI && cur(&p)->kind != KT_EOF) {
			expected(&p, "'|', ';' or the end of the query");
			return -1;
		}
	}
	if (q->body == NULL) {
		fail_at(&p, cur(&p), "the query has no tabular expression");
		return -1;
	}
	return 0;
}
