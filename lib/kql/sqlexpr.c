/*
 * sqlexpr: scalar expressions to SQL, with their Kusto types.  The type
 * decides the SQL: "==" on strings is a case-sensitive comparison, "+" on
 * a datetime is kql_dt_add(), "x.y" on a dynamic value is a JSON path.
 * Functions are one table (fn_table below): a name, its argument counts
 * and a generator, so adding a function touches one place.  The kql_*
 * SQL functions the output calls are in kql/funcs.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "kql/casefold.h"
#include "kql/regex.h"
#include "kql/sqlint.h"
#include "kql/time.h"

/* ---- small helpers ---- */

static int
fail_oom(struct gen *g)
{
	struct kql_pos pos = { 0, 0 };

	return gen_fail(g, pos, "out of memory");
}

static void
sx_init(struct sx *v, const char *sql, enum kql_type type)
{
	memset(v, 0, sizeof(*v));
	v->sql = sql;
	v->type = type;
}

static int
is_num(enum kql_type t)
{
	return t == KQL_T_LONG || t == KQL_T_INT || t == KQL_T_REAL ||
	    t == KQL_T_DECIMAL;
}

static int
is_int(enum kql_type t)
{
	return t == KQL_T_LONG || t == KQL_T_INT;
}

static int
is_stringish(enum kql_type t)
{
	return t == KQL_T_STRING || t == KQL_T_GUID;
}

static int
is_null_lit(const struct sx *v)
{
	return v->lit != NULL && v->lit->lit_null;
}

/* The string form of a value, as tostring() gives it: never NULL. */
const char *
sx_text(struct gen *g, const struct sx *v)
{
	switch (v->type) {
	case KQL_T_STRING:
	case KQL_T_GUID:
		return v->nonnull ? v->sql : gen_fmt(g, "coalesce(%s, '')",
		    v->sql);
	case KQL_T_LONG:
	case KQL_T_INT:
		return gen_fmt(g, "coalesce(CAST(%s AS TEXT), '')", v->sql);
	case KQL_T_BOOL:
		return gen_fmt(g, "(CASE %s WHEN 1 THEN 'true' WHEN 0 THEN "
		    "'false' ELSE '' END)", v->sql);
	case KQL_T_DATETIME:
		return gen_fmt(g, "kql_dt_tostring(%s)", v->sql);
	case KQL_T_TIMESPAN:
		return gen_fmt(g, "kql_ts_tostring(%s)", v->sql);
	case KQL_T_DYNAMIC:
		if (v->jbase != NULL)
			return gen_fmt(g, "kql_dyn_tostring(%s -> %s)",
			    v->jbase, v->jpath);
		return gen_fmt(g, "kql_dyn_tostring(%s)", v->sql);
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
	case KQL_T_UNKNOWN:
		break;
	}
	return gen_fmt(g, "kql_tostring(%s)", v->sql);
}

/* A plain SQL value: a dynamic's JSON becomes its scalar. */
const char *
sx_scalar(struct gen *g, const struct sx *v)
{
	if (v->type != KQL_T_DYNAMIC)
		return v->sql;
	if (v->jbase != NULL)
		return gen_fmt(g, "(%s ->> %s)", v->jbase, v->jpath);
	if (is_null_lit(v))
		return "NULL";
	return gen_fmt(g, "kql_dyn_scalar(%s)", v->sql);
}

/* JSON text for a value (for make_set, pack, mv-expand). */
const char *
sx_json(struct gen *g, const struct sx *v)
{
	switch (v->type) {
	case KQL_T_DYNAMIC:
		return v->sql;
	case KQL_T_STRING:
	case KQL_T_GUID:
		return gen_fmt(g, "kql_parse_json(%s)", v->sql);
	case KQL_T_BOOL:
		return gen_fmt(g, "(CASE %s WHEN 1 THEN 'true' WHEN 0 THEN "
		    "'false' END)", v->sql);
	case KQL_T_DATETIME:
		return gen_fmt(g, "json_quote(%s)", v->sql);
	case KQL_T_TIMESPAN:
		return gen_fmt(g, "json_quote(kql_ts_tostring(%s))", v->sql);
	case KQL_T_LONG:
	case KQL_T_INT:
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		return gen_fmt(g, "json_quote(%s)", v->sql);
	case KQL_T_UNKNOWN:
		break;
	}
	return gen_fmt(g, "kql_to_json(%s)", v->sql);
}

/* JSON text of a value as an element inside pack() or make_set(): a
 * string is a JSON string, not parsed. */
static const char *
sx_json_elem(struct gen *g, const struct sx *v)
{
	if (is_stringish(v->type))
		return gen_fmt(g, "json_quote(%s)", v->sql);
	return sx_json(g, v);
}

const char *
sx_bool(struct gen *g, const struct sx *v)
{
	if (v->type == KQL_T_DYNAMIC)
		return sx_scalar(g, v);
	return v->sql;
}

static const char *
arena_buf(struct gen *g, struct buf *b, size_t *len)
{
	const char *s;

	s = buf_failed(b) ? NULL : kql_arena_strndup(g->a, buf_str(b),
	    b->len);
	if (len != NULL)
		*len = b->len;
	buf_release(b);
	if (s == NULL)
		fail_oom(g);
	return s;
}

/* ---- literals ---- */

static int
gen_lit(struct gen *g, struct kql_expr *e, struct sx *out)
{
	char dt[40];

	sx_init(out, NULL, e->lit_type);
	out->is_const = 1;
	out->lit = e;
	out->nonnull = !e->lit_null;
	if (e->lit_null) {
		out->sql = "NULL";
		if (e->lit_type == KQL_T_STRING) {
			out->sql = "''";
			out->nonnull = 1;
		}
		return 0;
	}
	switch (e->lit_type) {
	case KQL_T_STRING:
	case KQL_T_GUID:
	case KQL_T_DYNAMIC:
		out->sql = gen_param_text(g, e->sval, e->slen);
		break;
	case KQL_T_LONG:
	case KQL_T_INT:
	case KQL_T_TIMESPAN:
		if (e->ival == INT64_MIN)
			out->sql = gen_param_int(g, e->ival);
		else
			out->sql = gen_fmt(g, e->ival < 0 ? "(%lld)" : "%lld",
			    (long long)e->ival);
		break;
	case KQL_T_BOOL:
		out->sql = e->ival ? "1" : "0";
		break;
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		out->type = KQL_T_REAL;
		if (isfinite(e->rval))
			out->sql = gen_fmt(g, e->rval < 0 ? "(%.17g)" : "%.17g",
			    e->rval);
		else
			out->sql = gen_param_real(g, e->rval);
		if (out->sql != NULL && isfinite(e->rval) &&
		    strpbrk(out->sql, ".eEn") == NULL)
			out->sql = gen_fmt(g, e->rval < 0 ? "(%.1f)" : "%.1f",
			    e->rval);
		break;
	case KQL_T_DATETIME:
		if (kql_format_datetime(e->ival, dt, sizeof(dt)) == -1)
			return gen_fail(g, e->pos, "datetime out of range");
		out->sql = gen_param_text(g, kql_arena_strdup(g->a, dt),
		    strlen(dt));
		break;
	case KQL_T_UNKNOWN:
		out->sql = "NULL";
		break;
	}
	return out->sql == NULL ? -1 : 0;
}

/* ---- names ---- */

static int
gen_name(struct gen *g, struct ectx *cx, struct kql_expr *e, struct sx *out)
{
	const struct kql_col *c;
	struct binding *b;
	struct ectx c2;
	size_t i;

	for (i = cx->npend; i-- > 0; ) {
		if (strcmp(cx->pend[i].name, e->name) == 0) {
			*out = cx->pend[i].v;
			out->sql = gen_fmt(g, "(%s)", out->sql);
			return out->sql == NULL ? -1 : 0;
		}
	}
	if (cx->rel != NULL && (c = rel_find(cx->rel, e->name)) != NULL) {
		struct buf bb;

		buf_init(&bb);
		if (cx->qual != NULL)
			buf_adds(&bb, cx->qual);
		kql_sql_quote_ident(&bb, c->sqlname);
		sx_init(out, arena_buf(g, &bb, NULL), c->type);
		out->nonnull = is_stringish(c->type);
		return out->sql == NULL ? -1 : 0;
	}
	b = scope_find(cx->scope, e->name);
	if (b != NULL) {
		if (b->kind == B_FN)
			return gen_fail(g, e->pos, "'%s' is a function; call "
			    "it with ()", e->name);
		if (b->busy)
			return gen_fail(g, e->pos, "'%s' refers to itself",
			    e->name);
		c2 = *cx;
		if (b->kind == B_LET) {
			if (b->let->value == NULL ||
			    is_tabular_expr(g, b->let->value, b->defscope))
				return gen_fail(g, e->pos, "'%s' is a table; "
				    "use toscalar() for a value", e->name);
			memset(&c2, 0, sizeof(c2));
			c2.scope = b->defscope;
			b->busy = 1;
			i = (size_t)gen_expr(g, &c2, b->let->value, out);
			b->busy = 0;
			return (int)i;
		}
		/* A function parameter: its argument, in the caller's row. */
		c2.scope = b->argscope;
		c2.npend = 0;
		b->busy = 1;
		i = (size_t)gen_expr(g, &c2, b->arg, out);
		b->busy = 0;
		return (int)i;
	}
	if (cx->rel != NULL && cx->rel->open) {
		struct buf bb;

		buf_init(&bb);
		if (cx->qual != NULL)
			buf_adds(&bb, cx->qual);
		kql_sql_quote_ident(&bb, e->name);
		sx_init(out, arena_buf(g, &bb, NULL), KQL_T_UNKNOWN);
		return out->sql == NULL ? -1 : 0;
	}
	if (cx->rel == NULL)
		return gen_fail(g, e->pos, "unknown name '%s'", e->name);
	return gen_fail(g, e->pos, "unknown column '%s'", e->name);
}

/* ---- dynamic access: x.y, x["y"], x[0] ---- */

static int
path_key(struct buf *p, const char *k)
{
	const char *s;
	int plain = isalpha((unsigned char)k[0]) || k[0] == '_';

	for (s = k; *s != '\0'; s++) {
		if (*s == '"')
			return -1;
		if (!isalnum((unsigned char)*s) && *s != '_')
			plain = 0;
	}
	if (plain)
		buf_printf(p, ".%s", k);
	else
		buf_printf(p, ".\"%s\"", k);
	return 0;
}

static int
gen_access(struct gen *g, struct ectx *cx, struct kql_expr *e, struct sx *out)
{
	struct kql_expr *chain[64], *base = e;
	struct sx bx, ix;
	struct buf p;
	const char *bsql, *path;
	size_t n = 0, i, plen;

	/* Walk down to the base, stopping at a non-constant index. */
	while ((base->kind == KX_MEMBER || (base->kind == KX_INDEX &&
	    base->b->kind == KX_LIT && !base->b->lit_null &&
	    (base->b->lit_type == KQL_T_LONG ||
	    base->b->lit_type == KQL_T_STRING))) && n < 64) {
		chain[n++] = base;
		base = base->a;
	}
	if (base->kind == KX_INDEX) {
		/* x[expr]: kql_json_index(), then the rest of the path */
		struct sx arr;

		if (gen_expr(g, cx, base->a, &arr) == -1 ||
		    gen_expr(g, cx, base->b, &ix) == -1)
			return -1;
		if (arr.type != KQL_T_DYNAMIC)
			arr.sql = gen_fmt(g, "kql_parse_json(%s)",
			    sx_text(g, &arr));
		sx_init(&bx, gen_fmt(g, "kql_json_index(%s, %s)", arr.sql,
		    sx_scalar(g, &ix)), KQL_T_DYNAMIC);
	} else if (gen_expr(g, cx, base, &bx) == -1) {
		return -1;
	}
	if (n == 0) {
		*out = bx;
		return bx.sql == NULL ? -1 : 0;
	}
	buf_init(&p);
	if (bx.type == KQL_T_DYNAMIC && bx.jbase != NULL) {
		/* extend the path of the base */
		const struct kql_param_value *pv;

		bsql = bx.jbase;
		pv = &g->params[atoi(bx.jpath + 1) - 1];
		buf_add(&p, pv->text, pv->len);
	} else {
		if (bx.type == KQL_T_DYNAMIC)
			bsql = bx.sql;
		else
			bsql = gen_fmt(g, "kql_parse_json(%s)",
			    sx_text(g, &bx));
		buf_addc(&p, '$');
	}
	for (i = n; i-- > 0; ) {
		struct kql_expr *c = chain[i];
		const char *key = NULL;

		if (c->kind == KX_MEMBER)
			key = c->name;
		else if (c->b->lit_type == KQL_T_STRING)
			key = c->b->sval;
		if (key != NULL) {
			if (path_key(&p, key) == -1) {
				buf_release(&p);
				return gen_fail(g, c->pos, "a property name "
				    "with '\"' is not supported");
			}
		} else if (c->b->ival < 0) {
			buf_printf(&p, "[#%lld]", (long long)c->b->ival);
		} else {
			buf_printf(&p, "[%lld]", (long long)c->b->ival);
		}
	}
	path = arena_buf(g, &p, &plen);
	if (path == NULL || bsql == NULL)
		return -1;
	sx_init(out, NULL, KQL_T_DYNAMIC);
	out->jbase = bsql;
	out->jpath = gen_param_text(g, path, plen);
	out->is_const = bx.is_const;
	out->sql = gen_fmt(g, "(%s -> %s)", bsql, out->jpath);
	return out->sql == NULL ? -1 : 0;
}

/* A constant pattern is compiled now, so a bad one is reported with its
 * position rather than when the query runs. */
static int
check_regex(struct gen *g, const struct sx *v, struct kql_pos pos)
{
	struct kql_re *re;
	char err[200];

	if (v->lit == NULL || v->lit->lit_null ||
	    v->lit->lit_type != KQL_T_STRING)
		return 0;
	re = kql_re_compile(v->lit->sval, v->lit->slen, 0, err, sizeof(err));
	if (re == NULL)
		return gen_fail(g, v->lit->pos.line ? v->lit->pos : pos,
		    "bad regular expression: %s", err);
	kql_re_free(re);
	return 0;
}

/* ---- operators ---- */

/* Makes two operands comparable: dynamics become scalars, and a string
 * literal against a datetime becomes a datetime. */
static int
coerce_pair(struct gen *g, struct sx *a, struct sx *b)
{
	struct sx *v[2] = { a, b };
	int i;

	for (i = 0; i < 2; i++) {
		if (v[i]->type == KQL_T_DYNAMIC) {
			v[i]->sql = sx_scalar(g, v[i]);
			v[i]->type = KQL_T_UNKNOWN;
			v[i]->jbase = NULL;
		}
	}
	for (i = 0; i < 2; i++) {
		struct sx *d = v[i], *o = v[1 - i];

		if (d->type == KQL_T_DATETIME && is_stringish(o->type)) {
			if (o->lit != NULL && !o->lit->lit_null) {
				int64_t t;
				char buf[40];

				if (kql_parse_datetime(o->lit->sval, &t) ==
				    -1 || kql_format_datetime(t, buf,
				    sizeof(buf)) == -1)
					return gen_fail(g, o->lit->pos,
					    "'%s' is not a datetime",
					    o->lit->sval);
				o->sql = gen_param_text(g,
				    kql_arena_strdup(g->a, buf), strlen(buf));
			} else {
				o->sql = gen_fmt(g, "kql_todatetime(%s)",
				    o->sql);
			}
			o->type = KQL_T_DATETIME;
		}
	}
	return a->sql == NULL || b->sql == NULL ? -1 : 0;
}

static const char *
string_op_sql(struct gen *g, enum kql_binop op, const char *a, const char *b)
{
	switch (op) {
	case KB_HAS:
		return gen_fmt(g, "kql_has(%s, %s)", a, b);
	case KB_NHAS:
		return gen_fmt(g, "(NOT kql_has(%s, %s))", a, b);
	case KB_HAS_CS:
		return gen_fmt(g, "kql_has_cs(%s, %s)", a, b);
	case KB_NHAS_CS:
		return gen_fmt(g, "(NOT kql_has_cs(%s, %s))", a, b);
	case KB_CONTAINS:
		return gen_fmt(g, "kql_contains(%s, %s)", a, b);
	case KB_NCONTAINS:
		return gen_fmt(g, "(NOT kql_contains(%s, %s))", a, b);
	case KB_CONTAINS_CS:
		return gen_fmt(g, "(instr(%s, %s) > 0)", a, b);
	case KB_NCONTAINS_CS:
		return gen_fmt(g, "(instr(%s, %s) = 0)", a, b);
	case KB_STARTSWITH:
		return gen_fmt(g, "kql_startswith(%s, %s)", a, b);
	case KB_NSTARTSWITH:
		return gen_fmt(g, "(NOT kql_startswith(%s, %s))", a, b);
	case KB_STARTSWITH_CS:
		return gen_fmt(g, "kql_startswith_cs(%s, %s)", a, b);
	case KB_NSTARTSWITH_CS:
		return gen_fmt(g, "(NOT kql_startswith_cs(%s, %s))", a, b);
	case KB_ENDSWITH:
		return gen_fmt(g, "kql_endswith(%s, %s)", a, b);
	case KB_NENDSWITH:
		return gen_fmt(g, "(NOT kql_endswith(%s, %s))", a, b);
	case KB_ENDSWITH_CS:
		return gen_fmt(g, "kql_endswith_cs(%s, %s)", a, b);
	case KB_NENDSWITH_CS:
		return gen_fmt(g, "(NOT kql_endswith_cs(%s, %s))", a, b);
	case KB_HASPREFIX:
		return gen_fmt(g, "kql_hasprefix(%s, %s, 0)", a, b);
	case KB_NHASPREFIX:
		return gen_fmt(g, "(NOT kql_hasprefix(%s, %s, 0))", a, b);
	case KB_HASPREFIX_CS:
		return gen_fmt(g, "kql_hasprefix(%s, %s, 1)", a, b);
	case KB_NHASPREFIX_CS:
		return gen_fmt(g, "(NOT kql_hasprefix(%s, %s, 1))", a, b);
	case KB_HASSUFFIX:
		return gen_fmt(g, "kql_hassuffix(%s, %s, 0)", a, b);
	case KB_NHASSUFFIX:
		return gen_fmt(g, "(NOT kql_hassuffix(%s, %s, 0))", a, b);
	case KB_HASSUFFIX_CS:
		return gen_fmt(g, "kql_hassuffix(%s, %s, 1)", a, b);
	case KB_NHASSUFFIX_CS:
		return gen_fmt(g, "(NOT kql_hassuffix(%s, %s, 1))", a, b);
	case KB_MATCHES:
		return gen_fmt(g, "kql_regex_match(%s, %s)", a, b);
	default:
		return NULL;
	}
}

static int
gen_arith(struct gen *g, struct kql_expr *e, struct sx *a, struct sx *b,
    struct sx *out)
{
	enum kql_type ta = a->type, tb = b->type;
	const char *op = e->op == KB_ADD ? "+" : e->op == KB_SUB ? "-" :
	    e->op == KB_MUL ? "*" : e->op == KB_DIV ? "/" : "%";

	sx_init(out, NULL, KQL_T_UNKNOWN);
	out->is_const = a->is_const && b->is_const;
	out->is_agg = a->is_agg || b->is_agg;
	if (ta == KQL_T_DYNAMIC) {
		a->sql = sx_scalar(g, a);
		ta = KQL_T_UNKNOWN;
	}
	if (tb == KQL_T_DYNAMIC) {
		b->sql = sx_scalar(g, b);
		tb = KQL_T_UNKNOWN;
	}
	if (ta == KQL_T_DATETIME && tb == KQL_T_TIMESPAN &&
	    (e->op == KB_ADD || e->op == KB_SUB)) {
		out->type = KQL_T_DATETIME;
		out->sql = e->op == KB_ADD ?
		    gen_fmt(g, "kql_dt_add(%s, %s)", a->sql, b->sql) :
		    gen_fmt(g, "kql_dt_add(%s, -(%s))", a->sql, b->sql);
	} else if (ta == KQL_T_TIMESPAN && tb == KQL_T_DATETIME &&
	    e->op == KB_ADD) {
		out->type = KQL_T_DATETIME;
		out->sql = gen_fmt(g, "kql_dt_add(%s, %s)", b->sql, a->sql);
	} else if (ta == KQL_T_DATETIME && tb == KQL_T_DATETIME &&
	    e->op == KB_SUB) {
		out->type = KQL_T_TIMESPAN;
		out->sql = gen_fmt(g, "kql_dt_diff(%s, %s)", a->sql, b->sql);
	} else if (ta == KQL_T_TIMESPAN && tb == KQL_T_TIMESPAN) {
		if (e->op == KB_DIV) {
			out->type = KQL_T_REAL;
			out->sql = gen_fmt(g, "(CAST(%s AS REAL) / %s)",
			    a->sql, b->sql);
		} else if (e->op == KB_ADD || e->op == KB_SUB ||
		    e->op == KB_MOD) {
			out->type = KQL_T_TIMESPAN;
			out->sql = gen_fmt(g, "(%s %s %s)", a->sql, op, b->sql);
		}
	} else if (ta == KQL_T_TIMESPAN && is_num(tb) &&
	    (e->op == KB_MUL || e->op == KB_DIV)) {
		out->type = KQL_T_TIMESPAN;
		out->sql = gen_fmt(g, "CAST(round(CAST(%s AS REAL) %s %s) AS "
		    "INTEGER)", a->sql, op, b->sql);
	} else if (is_num(ta) && tb == KQL_T_TIMESPAN && e->op == KB_MUL) {
		out->type = KQL_T_TIMESPAN;
		out->sql = gen_fmt(g, "CAST(round(CAST(%s AS REAL) * %s) AS "
		    "INTEGER)", a->sql, b->sql);
	} else if (is_num(ta) && is_num(tb)) {
		out->type = ta == KQL_T_INT && tb == KQL_T_INT ? KQL_T_INT :
		    is_int(ta) && is_int(tb) ? KQL_T_LONG : KQL_T_REAL;
		out->sql = gen_fmt(g, "(%s %s %s)", a->sql, op, b->sql);
	} else if (ta == KQL_T_UNKNOWN || tb == KQL_T_UNKNOWN) {
		/* Types known only at run time. */
		out->type = KQL_T_UNKNOWN;
		out->sql = gen_fmt(g, "kql_arith('%s', %s, %s)", op, a->sql,
		    b->sql);
	}
	if (out->sql == NULL && !g->failed)
		return gen_fail(g, e->pos, "cannot apply '%s' to %s and %s",
		    op, kql_type_name(a->type), kql_type_name(b->type));
	return out->sql == NULL ? -1 : 0;
}

/*
 * An and/or chain, "a or b or c ...", parsed as a left-deep tree.  Made
 * flat: compiled one level deep and written as "(a OR b OR c)", so that
 * neither our depth limit nor SQLite's parser stack grows with its
 * length.  Long chains are grouped by LOGIC_GROUP terms, a balanced tree
 * whose height SQLite's expression-depth limit (1000) never reaches.
 */
#define LOGIC_GROUP	32

static int
gen_logic(struct gen *g, struct ectx *cx, struct kql_expr *e,
    struct sx *out)
{
	struct kql_expr **stack = NULL, *n;
	const char **terms = NULL, *op = e->op == KB_AND ? " AND " : " OR ";
	size_t nstack = 0, nterms = 0, cap = 0, tcap = 0, i, j, k;
	struct buf b;
	struct sx v;
	int rc = -1, is_const = 1, is_agg = 0;

	buf_init(&b);
	stack = malloc(sizeof(*stack) * (cap = 16));
	if (stack == NULL)
		goto oom;
	stack[nstack++] = e;
	while (nstack > 0) {
		n = stack[--nstack];
		if (n->kind == KX_BINARY && n->op == e->op) {
			if (nstack + 2 > cap) {
				struct kql_expr **ns = realloc(stack,
				    sizeof(*stack) * (cap *= 2));

				if (ns == NULL)
					goto oom;
				stack = ns;
			}
			/* b first: a comes off the stack first */
			stack[nstack++] = n->b;
			stack[nstack++] = n->a;
			continue;
		}
		if (gen_expr(g, cx, n, &v) == -1)
			goto out;
		if (nterms == tcap) {
			const char **nt = realloc(terms, sizeof(*terms) *
			    (tcap = tcap ? tcap * 2 : 16));

			if (nt == NULL)
				goto oom;
			terms = nt;
		}
		if ((terms[nterms++] = sx_bool(g, &v)) == NULL)
			goto out;
		is_const = is_const && v.is_const;
		is_agg = is_agg || v.is_agg;
	}
	/* Join by groups until one term is left. */
	while (nterms > 1) {
		for (i = j = 0; i < nterms; i += LOGIC_GROUP, j++) {
			buf_reset(&b);
			buf_addc(&b, '(');
			for (k = i; k < nterms && k < i + LOGIC_GROUP; k++) {
				if (k > i)
					buf_adds(&b, op);
				buf_adds(&b, terms[k]);
			}
			buf_addc(&b, ')');
			if (buf_failed(&b))
				goto oom;
			terms[j] = kql_arena_strndup(g->a, buf_str(&b), b.len);
			if (terms[j] == NULL)
				goto oom;
		}
		nterms = j;
	}
	sx_init(out, terms[0], KQL_T_BOOL);
	out->is_const = is_const;
	out->is_agg = is_agg;
	rc = 0;
	goto out;
oom:
	fail_oom(g);
out:
	buf_release(&b);
	free(stack);
	free(terms);
	return rc;
}

static int
gen_binary(struct gen *g, struct ectx *cx, struct kql_expr *e,
    struct sx *out)
{
	struct sx a, b;
	const char *as, *bs;

	if (e->op == KB_AND || e->op == KB_OR)
		return gen_logic(g, cx, e, out);
	if (gen_expr(g, cx, e->a, &a) == -1 || gen_expr(g, cx, e->b, &b) == -1)
		return -1;
	switch (e->op) {
	case KB_ADD:
	case KB_SUB:
	case KB_MUL:
	case KB_DIV:
	case KB_MOD:
		return gen_arith(g, e, &a, &b, out);
	default:
		break;
	}
	sx_init(out, NULL, KQL_T_BOOL);
	out->is_const = a.is_const && b.is_const;
	out->is_agg = a.is_agg || b.is_agg;
	switch (e->op) {
	case KB_EQ:
	case KB_NE:
		if (coerce_pair(g, &a, &b) == -1)
			return -1;
		/* Kusto: null == x is false, null != x is true, and
		 * null == null is null. */
		if (a.nonnull || b.nonnull)
			out->sql = gen_fmt(g, "(%s %s %s)", a.sql,
			    e->op == KB_EQ ? "IS" : "IS NOT", b.sql);
		else
			out->sql = gen_fmt(g, "(CASE WHEN %s IS NULL AND %s IS "
			    "NULL THEN NULL ELSE %s %s %s END)", a.sql, b.sql,
			    a.sql, e->op == KB_EQ ? "IS" : "IS NOT", b.sql);
		break;
	case KB_LT:
	case KB_LE:
	case KB_GT:
	case KB_GE:
		if (coerce_pair(g, &a, &b) == -1)
			return -1;
		out->sql = gen_fmt(g, "(%s %s %s)", a.sql, e->op == KB_LT ?
		    "<" : e->op == KB_LE ? "<=" : e->op == KB_GT ? ">" : ">=",
		    b.sql);
		break;
	case KB_EQ_CI:
	case KB_NE_CI:
		as = sx_text(g, &a);
		bs = sx_text(g, &b);
		out->sql = gen_fmt(g, "(%s %s %s COLLATE KQLCI)", as,
		    e->op == KB_EQ_CI ? "=" : "<>", bs);
		break;
	default:
		if (e->op == KB_MATCHES && check_regex(g, &b, e->pos) == -1)
			return -1;
		as = sx_text(g, &a);
		bs = sx_text(g, &b);
		if (as == NULL || bs == NULL)
			return -1;
		out->sql = string_op_sql(g, e->op, as, bs);
		if (out->sql == NULL && !g->failed)
			return gen_fail(g, e->pos, "operator '%s' is not "
			    "supported", kql_binop_name(e->op));
		break;
	}
	return out->sql == NULL ? -1 : 0;
}

static int
gen_between(struct gen *g, struct ectx *cx, struct kql_expr *e,
    struct sx *out)
{
	struct sx a, lo, hi, lo2;

	if (gen_expr(g, cx, e->a, &a) == -1 ||
	    gen_expr(g, cx, e->b, &lo) == -1 ||
	    gen_expr(g, cx, e->c, &hi) == -1)
		return -1;
	lo2 = lo;
	if (coerce_pair(g, &a, &lo) == -1)
		return -1;
	if (a.type == KQL_T_DATETIME && hi.type == KQL_T_TIMESPAN) {
		/* datetime between (start .. 1d) */
		hi.sql = gen_fmt(g, "kql_dt_add(%s, %s)", lo.sql, hi.sql);
		hi.type = KQL_T_DATETIME;
	} else if (coerce_pair(g, &a, &hi) == -1) {
		return -1;
	}
	(void)lo2;
	sx_init(out, gen_fmt(g, "(%s %sBETWEEN %s AND %s)", a.sql,
	    e->op == KB_NBETWEEN ? "NOT " : "", lo.sql, hi.sql), KQL_T_BOOL);
	out->is_const = a.is_const && lo.is_const && hi.is_const;
	out->is_agg = a.is_agg;
	return out->sql == NULL ? -1 : 0;
}

/* The first column of a tabular expression, as a subquery. */
static const char *
tab_column(struct gen *g, struct kql_expr *e, struct scope *scope,
    enum kql_type *type)
{
	struct rel *r;

	r = gen_tab_expr(g, e, scope);
	if (r == NULL)
		return NULL;
	if (r->ncols == 0) {
		if (r->open) {
			gen_fail(g, e->pos, "the columns of '%s' are not "
			    "known", r->table ? r->table : "the table");
			return NULL;
		}
		gen_fail(g, e->pos, "the table has no columns");
		return NULL;
	}
	*type = r->cols[0].type;
	return gen_fmt(g, "SELECT %s AS \"_kqlv\" FROM %s",
	    gen_ident(g, r->cols[0].sqlname), r->from);
}

/* String literals in an in() list past which they go in as one JSON array. */
#define IN_JSON_MIN	64

static int
gen_in(struct gen *g, struct ectx *cx, struct kql_expr *e, struct sx *out)
{
	struct sx a, v;
	struct buf pieces, lits, json;
	const char *lhs, *sub;
	enum kql_type st;
	size_t i, nlits = 0, njson = 0, npieces = 0, nstrs = 0, strcap = 0;
	struct kql_param_value *strs = NULL;
	int ci = e->op == KB_IN_CI || e->op == KB_NIN_CI;
	int neg = e->op == KB_NIN || e->op == KB_NIN_CI;
	int has = e->op == KB_HAS_ANY || e->op == KB_HAS_ALL;

	if (gen_expr(g, cx, e->a, &a) == -1)
		return -1;
	if (has || ci) {
		lhs = sx_text(g, &a);
		if (ci)
			lhs = gen_fmt(g, "kql_fold(%s)", lhs);
	} else {
		lhs = sx_scalar(g, &a);
	}
	if (lhs == NULL)
		return -1;
	buf_init(&pieces);
	buf_init(&lits);
	buf_init(&json);
	buf_addc(&json, '[');
	for (i = 0; i < e->nargs; i++) {
		struct kql_expr *x = e->args[i];

		if (is_tabular_expr(g, x, cx->scope)) {
			sub = tab_column(g, x, cx->scope, &st);
			if (sub == NULL)
				goto fail;
			if (has) {
				if (e->op == KB_HAS_ALL) {
					gen_fail(g, x->pos, "has_all with a "
					    "table is not supported");
					goto fail;
				}
				buf_printf(&pieces, "%sEXISTS (SELECT 1 FROM "
				    "(%s) AS s WHERE kql_has(%s, "
				    "kql_tostring(s.\"_kqlv\")))",
				    npieces++ > 0 ? " OR " : "", sub, lhs);
			} else {
				buf_printf(&pieces, "%s%s IN (SELECT %s FROM "
				    "(%s))", npieces++ > 0 ? " OR " : "", lhs,
				    ci ? "kql_fold(\"_kqlv\")" : "\"_kqlv\"",
				    sub);
			}
			continue;
		}
		if (gen_expr(g, cx, x, &v) == -1)
			goto fail;
		if (v.is_agg != a.is_agg && v.is_agg) {
			gen_fail(g, x->pos, "aggregates are not allowed here");
			goto fail;
		}
		if (v.type == KQL_T_DYNAMIC) {
			/* an array: every element is in the list */
			if (has) {
				buf_printf(&pieces, "%skql_%s(%s, %s)",
				    npieces++ > 0 ? (e->op == KB_HAS_ALL ?
				    " AND " : " OR ") : "", e->op ==
				    KB_HAS_ANY ? "has_any" : "has_all", lhs,
				    v.sql);
			} else {
				buf_printf(&pieces, "%s%s IN (SELECT %s FROM "
				    "json_each(%s))", npieces++ > 0 ? " OR " :
				    "", lhs, ci ? "kql_fold(value)" : "value",
				    v.sql);
			}
			continue;
		}
		if (has) {
			if (v.lit != NULL && !v.lit->lit_null &&
			    is_stringish(v.type)) {
				if (njson++ > 0)
					buf_addc(&json, ',');
				buf_add_json_string(&json, v.lit->sval,
				    v.lit->slen);
			} else {
				const char *t = sx_text(g, &v);

				buf_printf(&pieces, "%skql_%s(%s, json_array("
				    "%s))", npieces++ > 0 ? (e->op ==
				    KB_HAS_ALL ? " AND " : " OR ") : "",
				    e->op == KB_HAS_ANY ? "has_any" :
				    "has_all", lhs, t ? t : "NULL");
			}
			continue;
		}
		if (coerce_pair(g, &a, &v) == -1)
			goto fail;
		if (v.lit != NULL && !v.lit->lit_null && is_stringish(v.type) &&
		    (ci || is_stringish(a.type))) {
			/* a string literal: kept aside, see below */
			struct kql_param_value *p = kql_arena_push(g->a,
			    (void **)&strs, &nstrs, &strcap, sizeof(*p));
			char *s = kql_arena_strndup(g->a, v.lit->sval,
			    v.lit->slen);

			if (p == NULL || s == NULL) {
				fail_oom(g);
				goto fail;
			}
			/* fold the literal now, as kql_fold() folds the rest */
			if (ci)
				kql_case_map(v.lit->sval, v.lit->slen, s,
				    KQL_CASE_FOLD);
			p->kind = KQL_P_TEXT;
			p->text = s;
			p->len = v.lit->slen;
			continue;
		}
		if (nlits++ > 0)
			buf_adds(&lits, ", ");
		if (ci) {
			buf_printf(&lits, "kql_fold(%s)", sx_text(g, &v));
		} else {
			buf_adds(&lits, v.sql);
		}
	}
	/*
	 * Many string literals (a list of indicators) go in as one JSON
	 * array: a bound parameter each costs SQLite time quadratic in
	 * their number.  A few stay plain parameters in the IN list.
	 */
	if (nstrs >= IN_JSON_MIN) {
		struct buf sj;
		const char *js;
		size_t jl;

		buf_init(&sj);
		buf_addc(&sj, '[');
		for (i = 0; i < nstrs; i++) {
			if (i > 0)
				buf_addc(&sj, ',');
			buf_add_json_string(&sj, strs[i].text, strs[i].len);
		}
		buf_addc(&sj, ']');
		if ((js = arena_buf(g, &sj, &jl)) == NULL)
			goto fail;
		buf_printf(&pieces, "%s%s IN (SELECT value FROM json_each(%s))",
		    npieces++ > 0 ? " OR " : "", lhs, gen_param_text(g, js,
		    jl));
	} else {
		for (i = 0; i < nstrs; i++) {
			if (nlits++ > 0)
				buf_adds(&lits, ", ");
			buf_adds(&lits, gen_param_text(g, strs[i].text,
			    strs[i].len));
		}
	}
	buf_addc(&json, ']');
	if (njson > 0) {
		size_t jl;
		const char *js = arena_buf(g, &json, &jl);

		if (js == NULL)
			goto fail;
		buf_printf(&pieces, "%skql_%s(%s, %s)", npieces++ > 0 ?
		    (e->op == KB_HAS_ALL ? " AND " : " OR ") : "",
		    e->op == KB_HAS_ANY ? "has_any" : "has_all", lhs,
		    gen_param_text(g, js, jl));
	} else {
		buf_release(&json);
	}
	if (nlits > 0)
		buf_printf(&pieces, "%s%s IN (%s)", npieces++ > 0 ? " OR " :
		    "", lhs, buf_str(&lits));
	buf_release(&lits);
	if (npieces == 0) {
		/* in () is false; has_all () is true */
		buf_adds(&pieces, e->op == KB_HAS_ALL ? "1" : "0");
		npieces = 1;
	}
	sx_init(out, NULL, KQL_T_BOOL);
	out->is_agg = a.is_agg;
	out->is_const = a.is_const;
	/* coalesce: a null left side is simply not in the list */
	if (a.nonnull && npieces == 1 && nlits > 0)
		out->sql = gen_fmt(g, "(%s(%s))", neg ? "NOT " : "",
		    buf_str(&pieces));
	else
		out->sql = gen_fmt(g, "(%scoalesce((%s), 0))", neg ? "NOT " :
		    "", buf_str(&pieces));
	buf_release(&pieces);
	return out->sql == NULL ? -1 : 0;
fail:
	buf_release(&pieces);
	buf_release(&lits);
	buf_release(&json);
	return -1;
}

/* ---- functions ---- */

enum fn_flags {
	F_AGG = 1 << 0,		/* an aggregate: summarize only */
	F_RAW = 1 << 1,		/* arguments are not compiled first */
	F_WINDOW = 1 << 2	/* a window function */
};

struct fnctx {
	struct gen		*g;
	struct ectx		*cx;
	struct kql_expr		*call;
	struct sx		*args;
	size_t			 n;
	const struct fn		*fn;
};

struct fn {
	const char	*name;
	int		 min;
	int		 max;		/* -1: any number */
	int		 (*gen)(struct fnctx *, struct sx *);
	int		 flags;
	const char	*sqlname;	/* for the generic generators */
	enum kql_type	 ret;
};

#define G	(f->g)
#define A(i)	(&f->args[(i)])

static int
fn_fail(struct fnctx *f, const char *fmt, const char *what)
{
	return gen_fail(G, f->call->pos, fmt, what);
}

static int
done(struct fnctx *f, struct sx *out, const char *sql, enum kql_type t)
{
	size_t i;
	int c = 1;

	sx_init(out, sql, t);
	for (i = 0; i < f->n; i++) {
		if (!f->args[i].is_const)
			c = 0;
		if (f->args[i].is_agg)
			out->is_agg = 1;
	}
	out->is_const = c && !(f->fn->flags & F_AGG);
	if (f->fn->flags & F_AGG)
		out->is_agg = 1;
	out->nonnull = is_stringish(t);
	return sql == NULL ? -1 : 0;
}

/* name(text args...) returning ret: string functions. */
static int
fn_text(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_printf(&b, "%s(", f->fn->sqlname);
	for (i = 0; i < f->n; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", sx_text(G, A(i)));
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), f->fn->ret);
}

/* name(scalar args...) returning ret. */
static int
fn_plain(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_printf(&b, "%s(", f->fn->sqlname);
	for (i = 0; i < f->n; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", sx_scalar(G, A(i)));
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), f->fn->ret);
}

/* Like fn_plain, returning the first argument's type (min_of, abs). */
static int
fn_same(struct fnctx *f, struct sx *out)
{
	if (fn_plain(f, out) == -1)
		return -1;
	out->type = A(0)->type == KQL_T_DYNAMIC ? KQL_T_UNKNOWN :
	    A(0)->type;
	return 0;
}

static int
need_type(struct fnctx *f, size_t i, enum kql_type t, const char *what)
{
	if (A(i)->type == t || A(i)->type == KQL_T_UNKNOWN ||
	    (t == KQL_T_LONG && is_int(A(i)->type)) ||
	    (t == KQL_T_REAL && is_num(A(i)->type)) ||
	    is_null_lit(A(i)))
		return 0;
	if (A(i)->type == KQL_T_DYNAMIC) {
		A(i)->sql = sx_scalar(G, A(i));
		A(i)->type = KQL_T_UNKNOWN;
		A(i)->jbase = NULL;
		if (t == KQL_T_DATETIME)
			A(i)->sql = gen_fmt(G, "kql_todatetime(%s)", A(i)->sql);
		return 0;
	}
	if (t == KQL_T_DATETIME && is_stringish(A(i)->type)) {
		A(i)->sql = gen_fmt(G, "kql_todatetime(%s)", A(i)->sql);
		return 0;
	}
	return gen_fail(G, f->call->pos, "%s() needs %s, not %s",
	    f->fn->name, what, kql_type_name(A(i)->type));
}

static int
fn_ago(struct fnctx *f, struct sx *out)
{
	if (need_type(f, 0, KQL_T_TIMESPAN, "a timespan") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_ago(%s)", A(0)->sql),
	    KQL_T_DATETIME);
}

static int
fn_now(struct fnctx *f, struct sx *out)
{
	if (f->n == 0)
		return done(f, out, "kql_now()", KQL_T_DATETIME);
	if (need_type(f, 0, KQL_T_TIMESPAN, "a timespan") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_dt_add(kql_now(), %s)",
	    A(0)->sql), KQL_T_DATETIME);
}

static int
fn_bin(struct fnctx *f, struct sx *out)
{
	struct sx *x = A(0), *s = A(1);

	if (x->type == KQL_T_DYNAMIC)
		need_type(f, 0, KQL_T_REAL, "");
	if (x->type == KQL_T_DATETIME) {
		if (need_type(f, 1, KQL_T_TIMESPAN, "a timespan") == -1)
			return -1;
		if (f->n == 2 && s->lit != NULL && !s->lit->lit_null) {
			/* 1d, 1h, 1m, 1s: cut the stored text, no arithmetic */
			static const struct {
				int64_t		 ticks;
				int		 keep;
				const char	*rest;
			} cuts[] = {
				{ 864000000000LL, 10, "T00:00:00.0000000Z" },
				{ 36000000000LL, 13, ":00:00.0000000Z" },
				{ 600000000LL, 16, ":00.0000000Z" },
				{ 10000000LL, 19, ".0000000Z" },
				{ 0, 0, NULL }
			};
			size_t k;

			for (k = 0; cuts[k].rest != NULL; k++)
				if (s->lit->ival == cuts[k].ticks)
					return done(f, out, gen_fmt(G,
					    "(substr(%s, 1, %d) || '%s')",
					    x->sql, cuts[k].keep,
					    cuts[k].rest), KQL_T_DATETIME);
		}
		if (f->n == 3)
			return done(f, out, gen_fmt(G, "kql_bin_dt_at(%s, %s, "
			    "%s)", x->sql, s->sql, A(2)->sql),
			    KQL_T_DATETIME);
		return done(f, out, gen_fmt(G, "kql_bin_dt(%s, %s)", x->sql,
		    s->sql), KQL_T_DATETIME);
	}
	if (x->type == KQL_T_TIMESPAN || is_num(x->type) ||
	    x->type == KQL_T_UNKNOWN) {
		enum kql_type t = x->type;

		if (t == KQL_T_INT)
			t = KQL_T_LONG;
		if (t == KQL_T_UNKNOWN)
			t = KQL_T_REAL;
		if (s->type == KQL_T_REAL && t != KQL_T_TIMESPAN)
			t = KQL_T_REAL;
		if (f->n == 3)
			return done(f, out, gen_fmt(G, "kql_bin_at(%s, %s, %s)",
			    x->sql, s->sql, A(2)->sql), t);
		return done(f, out, gen_fmt(G, "kql_bin(%s, %s)", x->sql,
		    s->sql), t);
	}
	return fn_fail(f, "bin() cannot round %s", kql_type_name(x->type));
}

static int
fn_floor(struct fnctx *f, struct sx *out)
{
	if (f->n == 2)
		return fn_bin(f, out);
	return done(f, out, gen_fmt(G, "floor(%s)", sx_scalar(G, A(0))),
	    KQL_T_REAL);
}

static int
fn_strlen(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "length(%s)", sx_text(G, A(0))),
	    KQL_T_LONG);
}

static int
fn_substring(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "kql_substring(%s, %s, %s)",
	    sx_text(G, A(0)), sx_scalar(G, A(1)), f->n > 2 ?
	    sx_scalar(G, A(2)) : "NULL"), KQL_T_STRING);
}

static int
fn_strcat(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_addc(&b, '(');
	for (i = 0; i < f->n; i++)
		buf_printf(&b, "%s%s", i > 0 ? " || " : "", sx_text(G, A(i)));
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), KQL_T_STRING);
}

static int
fn_strcat_delim(struct fnctx *f, struct sx *out)
{
	struct buf b;
	const char *d = sx_text(G, A(0));
	size_t i;

	buf_init(&b);
	buf_addc(&b, '(');
	for (i = 1; i < f->n; i++)
		buf_printf(&b, "%s%s", i > 1 ? gen_fmt(G, " || %s || ", d) :
		    "", sx_text(G, A(i)));
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), KQL_T_STRING);
}

static int
fn_split(struct fnctx *f, struct sx *out)
{
	if (f->n == 3)
		return done(f, out, gen_fmt(G, "kql_split(%s, %s, %s)",
		    sx_text(G, A(0)), sx_text(G, A(1)), sx_scalar(G, A(2))),
		    KQL_T_DYNAMIC);
	return done(f, out, gen_fmt(G, "kql_split(%s, %s)", sx_text(G, A(0)),
	    sx_text(G, A(1))), KQL_T_DYNAMIC);
}

static int
fn_trim(struct fnctx *f, struct sx *out)
{
	int mode = strcmp(f->fn->name, "trim") == 0 ? 3 :
	    strcmp(f->fn->name, "trim_start") == 0 ? 1 : 2;

	if (check_regex(G, A(0), f->call->pos) == -1)
		return -1;

	return done(f, out, gen_fmt(G, "kql_trim(%s, %s, %d)",
	    sx_text(G, A(0)), sx_text(G, A(1)), mode), KQL_T_STRING);
}

static int
fn_replace_string(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "replace(%s, %s, %s)",
	    sx_text(G, A(0)), sx_text(G, A(1)), sx_text(G, A(2))),
	    KQL_T_STRING);
}

/* replace(regex, rewrite, text) and replace_regex(text, regex, rewrite) */
static int
fn_replace_regex(struct fnctx *f, struct sx *out)
{
	if (check_regex(G, A(strcmp(f->fn->name, "replace_regex") == 0 ? 1 :
	    0), f->call->pos) == -1)
		return -1;
	if (strcmp(f->fn->name, "replace_regex") == 0)
		return done(f, out, gen_fmt(G, "kql_replace_regex(%s, %s, %s)",
		    sx_text(G, A(0)), sx_text(G, A(1)), sx_text(G, A(2))),
		    KQL_T_STRING);
	return done(f, out, gen_fmt(G, "kql_replace_regex(%s, %s, %s)",
	    sx_text(G, A(2)), sx_text(G, A(0)), sx_text(G, A(1))),
	    KQL_T_STRING);
}

static int	 convert(struct gen *, struct sx *, enum kql_type, struct sx *);

/* typeof(T) as the last argument of extract() */
static int
typeof_arg(struct fnctx *f, size_t i, enum kql_type *t)
{
	struct kql_expr *e = f->call->args[i];
	int ty;

	if (e->kind != KX_CALL || strcmp(e->name, "typeof") != 0 ||
	    e->nargs != 1 || e->args[0]->kind != KX_NAME ||
	    (ty = kql_type_parse(e->args[0]->name)) < 0)
		return gen_fail(G, e->pos, "expected typeof(type)");
	*t = (enum kql_type)ty;
	return 0;
}

static int
fn_extract(struct fnctx *f, struct sx *out)
{
	struct sx s;
	enum kql_type t;

	if (check_regex(G, A(0), f->call->pos) == -1)
		return -1;
	if (done(f, &s, gen_fmt(G, "kql_extract(%s, %s, %s)",
	    sx_text(G, A(0)), sx_scalar(G, A(1)), sx_text(G, A(2))),
	    KQL_T_STRING) == -1)
		return -1;
	if (f->n < 4) {
		*out = s;
		return 0;
	}
	if (typeof_arg(f, 3, &t) == -1)
		return -1;
	return convert(G, &s, t, out);
}

static int
fn_extract_all(struct fnctx *f, struct sx *out)
{
	if (check_regex(G, A(0), f->call->pos) == -1)
		return -1;
	if (f->n == 3) {
		/* extract_all(regex, dynamic([1,2]), text) */
		return done(f, out, gen_fmt(G, "kql_extract_all(%s, %s, %s)",
		    sx_text(G, A(0)), sx_text(G, A(2)), sx_json(G, A(1))),
		    KQL_T_DYNAMIC);
	}
	return done(f, out, gen_fmt(G, "kql_extract_all(%s, %s)",
	    sx_text(G, A(0)), sx_text(G, A(1))), KQL_T_DYNAMIC);
}

static int
fn_iff(struct fnctx *f, struct sx *out)
{
	enum kql_type t = A(1)->type;
	const char *a = A(1)->sql, *b = A(2)->sql;

	if (is_null_lit(A(1)))
		t = A(2)->type;
	if (t != A(2)->type && !is_null_lit(A(2)) && !is_null_lit(A(1))) {
		if (is_num(t) && is_num(A(2)->type))
			t = is_int(t) && is_int(A(2)->type) ? KQL_T_LONG :
			    KQL_T_REAL;
		else if (t == KQL_T_DYNAMIC || A(2)->type == KQL_T_DYNAMIC) {
			a = sx_json(G, A(1));
			b = sx_json(G, A(2));
			t = KQL_T_DYNAMIC;
		} else if (t == KQL_T_UNKNOWN || A(2)->type == KQL_T_UNKNOWN) {
			t = KQL_T_UNKNOWN;
		} else {
			return gen_fail(G, f->call->pos, "iff() branches are "
			    "%s and %s", kql_type_name(t),
			    kql_type_name(A(2)->type));
		}
	}
	if (done(f, out, gen_fmt(G, "(CASE WHEN %s THEN %s ELSE %s END)",
	    sx_bool(G, A(0)), a, b), t) == -1)
		return -1;
	out->nonnull = A(1)->nonnull && A(2)->nonnull;
	return 0;
}

static int
fn_case(struct fnctx *f, struct sx *out)
{
	struct buf b;
	enum kql_type t = KQL_T_UNKNOWN;
	size_t i;
	int nonnull = 1, dyn = 0;

	if (f->n % 2 == 0)
		return fn_fail(f, "%s() needs an odd number of arguments",
		    "case");
	for (i = 1; i < f->n; i += (i + 1 < f->n ? 2 : 1)) {
		if (A(i)->type == KQL_T_DYNAMIC)
			dyn = 1;
		if (!is_null_lit(A(i)) && t == KQL_T_UNKNOWN)
			t = A(i)->type;
		else if (!is_null_lit(A(i)) && t != A(i)->type) {
			if (is_num(t) && is_num(A(i)->type))
				t = KQL_T_REAL;
			else if (A(i)->type != KQL_T_UNKNOWN)
				dyn = 1;
		}
		if (!A(i)->nonnull)
			nonnull = 0;
		if (i + 1 == f->n)
			break;
	}
	if (dyn)
		t = KQL_T_DYNAMIC;
	buf_init(&b);
	buf_adds(&b, "(CASE");
	for (i = 0; i + 1 < f->n; i += 2)
		buf_printf(&b, " WHEN %s THEN %s", sx_bool(G, A(i)),
		    dyn ? sx_json(G, A(i + 1)) : A(i + 1)->sql);
	buf_printf(&b, " ELSE %s END)", dyn ? sx_json(G, A(f->n - 1)) :
	    A(f->n - 1)->sql);
	if (done(f, out, arena_buf(G, &b, NULL), t) == -1)
		return -1;
	out->nonnull = nonnull;
	return 0;
}

static const char *
empty_test(struct gen *g, const struct sx *v)
{
	if (is_stringish(v->type))
		return v->nonnull ? gen_fmt(g, "(%s = '')", v->sql) :
		    gen_fmt(g, "(coalesce(%s, '') = '')", v->sql);
	if (v->type == KQL_T_DYNAMIC || v->type == KQL_T_UNKNOWN)
		return gen_fmt(g, "(coalesce(%s, '') = '')", sx_scalar(g, v));
	return gen_fmt(g, "(%s IS NULL)", v->sql);
}

static int
fn_isempty(struct fnctx *f, struct sx *out)
{
	const char *t = empty_test(G, A(0));

	if (strcmp(f->fn->name, "isempty") == 0)
		return done(f, out, t, KQL_T_BOOL);
	return done(f, out, gen_fmt(G, "(NOT %s)", t), KQL_T_BOOL);
}

static int
fn_isnull(struct fnctx *f, struct sx *out)
{
	const char *t;

	if (A(0)->type == KQL_T_DYNAMIC)
		t = gen_fmt(G, "(%s IS NULL)", sx_scalar(G, A(0)));
	else if (is_stringish(A(0)->type) && A(0)->nonnull)
		t = "0";
	else
		t = gen_fmt(G, "(%s IS NULL)", A(0)->sql);
	if (strcmp(f->fn->name, "isnull") == 0)
		return done(f, out, t, KQL_T_BOOL);
	return done(f, out, gen_fmt(G, "(NOT %s)", t), KQL_T_BOOL);
}

/* Converts v to type t, as tostring(), tolong() ... do. */
static int
convert(struct gen *g, struct sx *v, enum kql_type t, struct sx *out)
{
	const char *s = NULL;

	sx_init(out, NULL, t);
	out->is_const = v->is_const;
	out->is_agg = v->is_agg;
	switch (t) {
	case KQL_T_STRING:
	case KQL_T_GUID:
		s = sx_text(g, v);
		out->nonnull = 1;
		break;
	case KQL_T_LONG:
	case KQL_T_INT:
		if (is_int(v->type))
			s = v->sql;
		else if (v->type == KQL_T_REAL)
			s = gen_fmt(g, "CAST(%s AS INTEGER)", v->sql);
		else if (v->type == KQL_T_BOOL || v->type == KQL_T_TIMESPAN)
			s = v->sql;
		else if (v->type == KQL_T_DATETIME)
			s = gen_fmt(g, "kql_dt_ticks(%s)", v->sql);
		else
			s = gen_fmt(g, "kql_tolong(%s)", sx_scalar(g, v));
		break;
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		out->type = KQL_T_REAL;
		if (is_num(v->type) || v->type == KQL_T_BOOL)
			s = gen_fmt(g, "CAST(%s AS REAL)", v->sql);
		else
			s = gen_fmt(g, "kql_toreal(%s)", sx_scalar(g, v));
		break;
	case KQL_T_BOOL:
		if (v->type == KQL_T_BOOL)
			s = v->sql;
		else if (is_num(v->type))
			s = gen_fmt(g, "(%s <> 0)", v->sql);
		else
			s = gen_fmt(g, "kql_tobool(%s)", sx_scalar(g, v));
		break;
	case KQL_T_DATETIME:
		if (v->type == KQL_T_DATETIME)
			s = v->sql;
		else
			s = gen_fmt(g, "kql_todatetime(%s)", sx_scalar(g, v));
		break;
	case KQL_T_TIMESPAN:
		if (v->type == KQL_T_TIMESPAN)
			s = v->sql;
		else
			s = gen_fmt(g, "kql_totimespan(%s)", sx_scalar(g, v));
		break;
	case KQL_T_DYNAMIC:
		if (v->type == KQL_T_DYNAMIC) {
			*out = *v;
			return 0;
		}
		s = sx_json(g, v);
		break;
	case KQL_T_UNKNOWN:
		*out = *v;
		return 0;
	}
	out->sql = s;
	return s == NULL ? -1 : 0;
}

static int
fn_convert(struct fnctx *f, struct sx *out)
{
	return convert(G, A(0), f->fn->ret, out);
}

static int
fn_parse_json(struct fnctx *f, struct sx *out)
{
	if (A(0)->type == KQL_T_DYNAMIC) {
		*out = *A(0);
		return 0;
	}
	return done(f, out, gen_fmt(G, "kql_parse_json(%s)",
	    sx_text(G, A(0))), KQL_T_DYNAMIC);
}

static int
fn_dynamic_arg(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_printf(&b, "%s(", f->fn->sqlname);
	for (i = 0; i < f->n; i++) {
		const char *s;

		if (i == 0 || A(i)->type == KQL_T_DYNAMIC)
			s = A(i)->type == KQL_T_DYNAMIC ? A(i)->sql :
			    gen_fmt(G, "kql_parse_json(%s)", sx_text(G, A(i)));
		else if (strcmp(f->fn->sqlname, "kql_array_index_of") == 0 ||
		    strcmp(f->fn->sqlname, "kql_set_has_element") == 0)
			/* a value to look for */
			s = sx_json_elem(G, A(i));
		else
			s = sx_scalar(G, A(i));
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", s);
	}
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), f->fn->ret);
}

static int
fn_coalesce(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;
	enum kql_type t = A(0)->type;

	buf_init(&b);
	if (is_stringish(t)) {
		/* Kusto skips empty strings as well as nulls. */
		buf_adds(&b, "coalesce(");
		for (i = 0; i < f->n; i++)
			buf_printf(&b, "nullif(%s, ''), ", sx_text(G, A(i)));
		buf_adds(&b, "'')");
	} else {
		buf_adds(&b, "coalesce(");
		for (i = 0; i < f->n; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "", A(i)->sql);
		buf_addc(&b, ')');
	}
	return done(f, out, arena_buf(G, &b, NULL), t);
}

/*
 * json_object() of pairs (each "key, json(value)"), PACK_CHUNK pairs at a
 * time merged by kql_bag_concat: SQLite takes at most 127 arguments.
 */
#define PACK_CHUNK	60

static const char *
pack_pairs(struct gen *g, const char **pairs, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	if (n > PACK_CHUNK)
		buf_adds(&b, "kql_bag_concat(");
	buf_adds(&b, "json_object(");
	for (i = 0; i < n; i++) {
		if (i > 0 && i % PACK_CHUNK == 0)
			buf_adds(&b, "), json_object(");
		else if (i > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, pairs[i] != NULL ? pairs[i] : "NULL, NULL");
	}
	buf_addc(&b, ')');
	if (n > PACK_CHUNK)
		buf_addc(&b, ')');
	if (n > PACK_CHUNK * 120) {
		buf_release(&b);
		gen_fail(g, g->at, "more than %d keys to pack",
		    PACK_CHUNK * 120);
		return NULL;
	}
	return arena_buf(g, &b, NULL);
}

static int
fn_pack(struct fnctx *f, struct sx *out)
{
	size_t i;

	const char **pairs;

	if (f->n % 2 != 0)
		return fn_fail(f, "%s() needs key, value pairs", f->fn->name);
	pairs = kql_arena_alloc(G->a, (f->n / 2 + 1) * sizeof(*pairs));
	if (pairs == NULL)
		return fail_oom(G);
	for (i = 0; i < f->n; i += 2)
		pairs[i / 2] = gen_fmt(G, "%s, json(%s)", sx_text(G, A(i)),
		    sx_json_elem(G, A(i + 1)));
	return done(f, out, pack_pairs(G, pairs, f->n / 2), KQL_T_DYNAMIC);
}

static int
fn_pack_array(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, "json_array(");
	for (i = 0; i < f->n; i++)
		buf_printf(&b, "%sjson(%s)", i > 0 ? ", " : "",
		    sx_json_elem(G, A(i)));
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), KQL_T_DYNAMIC);
}

static int
fn_pack_all(struct fnctx *f, struct sx *out)
{
	struct rel *r = f->cx->rel;
	const char **pairs;
	struct sx c;
	size_t i;

	if (r == NULL || r->open)
		return fn_fail(f, "%s() needs a table whose columns are known",
		    "pack_all");
	pairs = kql_arena_alloc(G->a, (r->ncols + 1) * sizeof(*pairs));
	if (pairs == NULL)
		return fail_oom(G);
	for (i = 0; i < r->ncols; i++) {
		struct buf q;

		buf_init(&q);
		if (f->cx->qual)
			buf_adds(&q, f->cx->qual);
		kql_sql_quote_ident(&q, r->cols[i].sqlname);
		sx_init(&c, arena_buf(G, &q, NULL), r->cols[i].type);
		pairs[i] = gen_fmt(G, "%s, json(%s)", gen_param_text(G,
		    r->cols[i].name, strlen(r->cols[i].name)),
		    sx_json_elem(G, &c));
	}
	sx_init(out, pack_pairs(G, pairs, r->ncols), KQL_T_DYNAMIC);
	return out->sql == NULL ? -1 : 0;
}

static int
fn_not(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "(NOT %s)", sx_bool(G, A(0))),
	    KQL_T_BOOL);
}

static int
fn_datetime_fn(struct fnctx *f, struct sx *out)
{
	/* kql_startof/endof('day', dt, offset) and friends */
	size_t i;
	struct buf b;

	if (need_type(f, 0, KQL_T_DATETIME, "a datetime") == -1)
		return -1;
	buf_init(&b);
	buf_printf(&b, "%s(%s", f->fn->sqlname, A(0)->sql);
	for (i = 1; i < f->n; i++)
		buf_printf(&b, ", %s", sx_scalar(G, A(i)));
	buf_addc(&b, ')');
	return done(f, out, arena_buf(G, &b, NULL), f->fn->ret);
}

static int
fn_datetime_part(struct fnctx *f, struct sx *out)
{
	/* getyear(dt) and the like: kql_datetime_part('year', dt) */
	if (need_type(f, 0, KQL_T_DATETIME, "a datetime") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_datetime_part('%s', %s)",
	    f->fn->sqlname, A(0)->sql), f->fn->ret);
}

static int
fn_datetime_diff(struct fnctx *f, struct sx *out)
{
	if (need_type(f, 1, KQL_T_DATETIME, "a datetime") == -1 ||
	    need_type(f, 2, KQL_T_DATETIME, "a datetime") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_datetime_diff(%s, %s, %s)",
	    sx_text(G, A(0)), A(1)->sql, A(2)->sql), KQL_T_LONG);
}

static int
fn_datetime_add(struct fnctx *f, struct sx *out)
{
	if (need_type(f, 2, KQL_T_DATETIME, "a datetime") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_datetime_add(%s, %s, %s)",
	    sx_text(G, A(0)), sx_scalar(G, A(1)), A(2)->sql),
	    KQL_T_DATETIME);
}

static int
fn_datetime_part2(struct fnctx *f, struct sx *out)
{
	if (need_type(f, 1, KQL_T_DATETIME, "a datetime") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_datetime_part(%s, %s)",
	    sx_text(G, A(0)), A(1)->sql), KQL_T_INT);
}

static int
fn_format_datetime(struct fnctx *f, struct sx *out)
{
	if (need_type(f, 0, KQL_T_DATETIME, "a datetime") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_format_datetime(%s, %s)",
	    A(0)->sql, sx_text(G, A(1))), KQL_T_STRING);
}

static int
fn_format_timespan(struct fnctx *f, struct sx *out)
{
	if (need_type(f, 0, KQL_T_TIMESPAN, "a timespan") == -1)
		return -1;
	return done(f, out, gen_fmt(G, "kql_format_timespan(%s, %s)",
	    A(0)->sql, sx_text(G, A(1))), KQL_T_STRING);
}

static int
fn_column_ifexists(struct fnctx *f, struct sx *out)
{
	struct kql_expr *name = f->call->args[0];
	struct kql_expr tmp;

	if (name->kind != KX_LIT || name->lit_type != KQL_T_STRING)
		return fn_fail(f, "%s() needs a column name string",
		    f->fn->name);
	if (f->cx->rel != NULL && rel_find(f->cx->rel, name->sval) != NULL) {
		memset(&tmp, 0, sizeof(tmp));
		tmp.kind = KX_NAME;
		tmp.name = name->sval;
		tmp.pos = name->pos;
		return gen_expr(G, f->cx, &tmp, out);
	}
	return gen_expr(G, f->cx, f->call->args[1], out);
}

static int
fn_toscalar(struct fnctx *f, struct sx *out)
{
	enum kql_type t;
	const char *sub;

	sub = tab_column(G, f->call->args[0], f->cx->scope, &t);
	if (sub == NULL)
		return -1;
	sx_init(out, gen_fmt(G, "(%s LIMIT 1)", sub), t);
	out->is_const = 1;
	return out->sql == NULL ? -1 : 0;
}

static int
fn_window(struct fnctx *f, struct sx *out)
{
	const char *name = f->fn->name;

	if (strcmp(name, "row_number") == 0) {
		if (f->n > 0)
			return fn_fail(f, "%s() with arguments is not "
			    "supported", name);
		sx_init(out, "(row_number() OVER ())", KQL_T_LONG);
		return 0;
	}
	/* prev(x, n, default) and next(x, n, default) */
	sx_init(out, gen_fmt(G, "%s(%s, %s%s%s) OVER ()", name[0] == 'p' ?
	    "lag" : "lead", A(0)->sql, f->n > 1 ? sx_scalar(G, A(1)) : "1",
	    f->n > 2 ? ", " : "", f->n > 2 ? A(2)->sql : ""), A(0)->type);
	return out->sql == NULL ? -1 : 0;
}

static int
fn_round(struct fnctx *f, struct sx *out)
{
	if (f->n == 1)
		return done(f, out, gen_fmt(G, "round(%s)",
		    sx_scalar(G, A(0))), KQL_T_REAL);
	return done(f, out, gen_fmt(G, "round(%s, %s)", sx_scalar(G, A(0)),
	    sx_scalar(G, A(1))), KQL_T_REAL);
}

static int
fn_bag_has_key(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "kql_bag_has_key(%s, %s)",
	    A(0)->type == KQL_T_DYNAMIC ? A(0)->sql :
	    gen_fmt(G, "kql_parse_json(%s)", sx_text(G, A(0))),
	    sx_text(G, A(1))), KQL_T_BOOL);
}

static int
fn_extractjson(struct fnctx *f, struct sx *out)
{
	struct sx s;
	enum kql_type t;

	if (done(f, &s, gen_fmt(G, "kql_extractjson(%s, %s)",
	    sx_text(G, A(0)), A(1)->type == KQL_T_DYNAMIC ?
	    gen_fmt(G, "kql_dyn_tostring(%s)", A(1)->sql) :
	    sx_text(G, A(1))), KQL_T_STRING) == -1)
		return -1;
	if (f->n < 3) {
		*out = s;
		return 0;
	}
	if (typeof_arg(f, 2, &t) == -1)
		return -1;
	return convert(G, &s, t, out);
}

static int
fn_minmax_of(struct fnctx *f, struct sx *out)
{
	struct buf b;
	size_t i;

	/* Kusto ignores nulls; SQLite's multi-argument max() would not. */
	buf_init(&b);
	buf_printf(&b, "(SELECT %s(v) FROM (", f->fn->sqlname);
	for (i = 0; i < f->n; i++)
		buf_printf(&b, "%sSELECT %s AS v", i > 0 ? " UNION ALL " : "",
		    sx_scalar(G, A(i)));
	buf_adds(&b, "))");
	if (done(f, out, arena_buf(G, &b, NULL), A(0)->type ==
	    KQL_T_DYNAMIC ? KQL_T_UNKNOWN : A(0)->type) == -1)
		return -1;
	return 0;
}

/* ---- aggregates ---- */

static const char *
agg_filter(struct fnctx *f, size_t i)
{
	return gen_fmt(G, " FILTER (WHERE %s)", sx_bool(G, A(i)));
}

static int
fn_count(struct fnctx *f, struct sx *out)
{
	if (f->n == 0)
		return done(f, out, "count(*)", KQL_T_LONG);
	return done(f, out, gen_fmt(G, "count(%s)", sx_scalar(G, A(0))),
	    KQL_T_LONG);
}

static int
fn_countif(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "count(*)%s", agg_filter(f, 0)),
	    KQL_T_LONG);
}

static int
fn_dcount(struct fnctx *f, struct sx *out)
{
	int cond = strcmp(f->fn->name, "dcountif") == 0;

	return done(f, out, gen_fmt(G, "count(DISTINCT %s)%s",
	    sx_scalar(G, A(0)), cond ? agg_filter(f, 1) : ""), KQL_T_LONG);
}

static int
fn_sum_like(struct fnctx *f, struct sx *out)
{
	/* sum, avg, min, max and their -if forms */
	const char *name = f->fn->sqlname;
	int cond = strchr(f->fn->name, 'f') != NULL &&
	    strcmp(f->fn->name + strlen(f->fn->name) - 2, "if") == 0;
	enum kql_type t = A(0)->type;

	if (t == KQL_T_DYNAMIC)
		t = KQL_T_UNKNOWN;
	if (strcmp(name, "avg") == 0 && t != KQL_T_TIMESPAN)
		t = KQL_T_REAL;
	if (strcmp(name, "sum") == 0 && t == KQL_T_INT)
		t = KQL_T_LONG;
	if (strcmp(name, "sum") == 0 && t == KQL_T_BOOL)
		t = KQL_T_LONG;
	if (strcmp(name, "sum") == 0)
		/* Kusto's sum of nothing is 0, not null */
		return done(f, out, gen_fmt(G, "coalesce(sum(%s)%s, %s)",
		    sx_scalar(G, A(0)), cond ? agg_filter(f, 1) : "",
		    t == KQL_T_REAL ? "0.0" : "0"), t);
	if (strcmp(name, "avg") == 0 && t == KQL_T_TIMESPAN)
		return done(f, out, gen_fmt(G, "CAST(round(avg(%s)%s) AS "
		    "INTEGER)", A(0)->sql, cond ? agg_filter(f, 1) : ""), t);
	return done(f, out, gen_fmt(G, "%s(%s)%s", name, sx_scalar(G, A(0)),
	    cond ? agg_filter(f, 1) : ""), t);
}

static int
fn_make_set(struct fnctx *f, struct sx *out)
{
	/* make_set(x [, max]), make_set_if(x, pred [, max]) */
	int cond = strstr(f->fn->name, "_if") != NULL;
	size_t maxi = cond ? 2 : 1;

	return done(f, out, gen_fmt(G, "%s(%s, %s)%s", f->fn->sqlname,
	    sx_json_elem(G, A(0)), f->n > maxi ? sx_scalar(G, A(maxi)) :
	    "1048576", cond ? agg_filter(f, 1) : ""), KQL_T_DYNAMIC);
}

static int
fn_make_bag(struct fnctx *f, struct sx *out)
{
	int cond = strstr(f->fn->name, "_if") != NULL;

	return done(f, out, gen_fmt(G, "kql_make_bag(%s)%s",
	    sx_json(G, A(0)), cond ? agg_filter(f, 1) : ""), KQL_T_DYNAMIC);
}

static int
fn_take_any(struct fnctx *f, struct sx *out)
{
	int cond = strcmp(f->fn->name, "take_anyif") == 0 ||
	    strcmp(f->fn->name, "anyif") == 0;

	if (!cond && f->n > 1)
		return fn_fail(f, "%s() with several arguments is not "
		    "supported", f->fn->name);
	if (done(f, out, gen_fmt(G, "kql_take_any(%s)%s", A(0)->sql,
	    cond ? agg_filter(f, 1) : ""), A(0)->type) == -1)
		return -1;
	return 0;
}

static int
fn_stat(struct fnctx *f, struct sx *out)
{
	return done(f, out, gen_fmt(G, "%s(%s)", f->fn->sqlname,
	    sx_scalar(G, A(0))), KQL_T_REAL);
}

static int
fn_percentile(struct fnctx *f, struct sx *out)
{
	enum kql_type t = A(0)->type;

	if (t == KQL_T_DYNAMIC)
		t = KQL_T_UNKNOWN;
	return done(f, out, gen_fmt(G, "kql_percentile(%s, %s)",
	    sx_scalar(G, A(0)), sx_scalar(G, A(1))), t);
}

static int
fn_arg_misuse(struct fnctx *f, struct sx *out)
{
	(void)out;
	return fn_fail(f, "%s() must stand alone in summarize",
	    f->fn->name);
}

static const struct fn fn_table[] = {
	/* time */
	{ "ago", 1, 1, fn_ago, 0, NULL, 0 },
	{ "now", 0, 1, fn_now, 0, NULL, 0 },
	{ "bin", 2, 2, fn_bin, 0, NULL, 0 },
	{ "bin_at", 3, 3, fn_bin, 0, NULL, 0 },
	{ "floor", 1, 2, fn_floor, 0, NULL, 0 },
	{ "startofday", 1, 2, fn_datetime_fn, 0, "kql_startofday",
	    KQL_T_DATETIME },
	{ "startofweek", 1, 2, fn_datetime_fn, 0, "kql_startofweek",
	    KQL_T_DATETIME },
	{ "startofmonth", 1, 2, fn_datetime_fn, 0, "kql_startofmonth",
	    KQL_T_DATETIME },
	{ "startofyear", 1, 2, fn_datetime_fn, 0, "kql_startofyear",
	    KQL_T_DATETIME },
	{ "endofday", 1, 2, fn_datetime_fn, 0, "kql_endofday",
	    KQL_T_DATETIME },
	{ "endofweek", 1, 2, fn_datetime_fn, 0, "kql_endofweek",
	    KQL_T_DATETIME },
	{ "endofmonth", 1, 2, fn_datetime_fn, 0, "kql_endofmonth",
	    KQL_T_DATETIME },
	{ "endofyear", 1, 2, fn_datetime_fn, 0, "kql_endofyear",
	    KQL_T_DATETIME },
	{ "dayofweek", 1, 1, fn_datetime_fn, 0, "kql_dayofweek",
	    KQL_T_TIMESPAN },
	{ "dayofmonth", 1, 1, fn_datetime_part, 0, "day", KQL_T_INT },
	{ "dayofyear", 1, 1, fn_datetime_part, 0, "dayofyear", KQL_T_INT },
	{ "hourofday", 1, 1, fn_datetime_part, 0, "hour", KQL_T_INT },
	{ "getmonth", 1, 1, fn_datetime_part, 0, "month", KQL_T_INT },
	{ "monthofyear", 1, 1, fn_datetime_part, 0, "month", KQL_T_INT },
	{ "getyear", 1, 1, fn_datetime_part, 0, "year", KQL_T_INT },
	{ "week_of_year", 1, 1, fn_datetime_part, 0, "week_of_year",
	    KQL_T_INT },
	{ "weekofyear", 1, 1, fn_datetime_part, 0, "week_of_year",
	    KQL_T_INT },
	{ "datetime_part", 2, 2, fn_datetime_part2, 0, NULL, 0 },
	{ "datetime_diff", 3, 3, fn_datetime_diff, 0, NULL, 0 },
	{ "datetime_add", 3, 3, fn_datetime_add, 0, NULL, 0 },
	{ "format_datetime", 2, 2, fn_format_datetime, 0, NULL, 0 },
	{ "format_timespan", 2, 2, fn_format_timespan, 0, NULL, 0 },
	{ "unixtime_seconds_todatetime", 1, 1, fn_plain, 0,
	    "kql_unixtime_s", KQL_T_DATETIME },
	{ "unixtime_milliseconds_todatetime", 1, 1, fn_plain, 0,
	    "kql_unixtime_ms", KQL_T_DATETIME },
	{ "make_datetime", 3, 7, fn_plain, 0, "kql_make_datetime",
	    KQL_T_DATETIME },
	{ "make_timespan", 2, 5, fn_plain, 0, "kql_make_timespan",
	    KQL_T_TIMESPAN },
	/* strings */
	{ "tolower", 1, 1, fn_text, 0, "kql_tolower", KQL_T_STRING },
	{ "toupper", 1, 1, fn_text, 0, "kql_toupper", KQL_T_STRING },
	{ "strlen", 1, 1, fn_strlen, 0, NULL, 0 },
	{ "string_size", 1, 1, fn_text, 0, "kql_string_size", KQL_T_LONG },
	{ "substring", 2, 3, fn_substring, 0, NULL, 0 },
	{ "strcat", 1, 64, fn_strcat, 0, NULL, 0 },
	{ "strcat_delim", 3, 64, fn_strcat_delim, 0, NULL, 0 },
	{ "strcat_array", 2, 2, fn_dynamic_arg, 0, "kql_strcat_array",
	    KQL_T_STRING },
	{ "split", 2, 3, fn_split, 0, NULL, 0 },
	{ "trim", 2, 2, fn_trim, 0, NULL, 0 },
	{ "trim_start", 2, 2, fn_trim, 0, NULL, 0 },
	{ "trim_end", 2, 2, fn_trim, 0, NULL, 0 },
	{ "replace_string", 3, 3, fn_replace_string, 0, NULL, 0 },
	{ "replace", 3, 3, fn_replace_regex, 0, NULL, 0 },
	{ "replace_regex", 3, 3, fn_replace_regex, 0, NULL, 0 },
	{ "extract", 3, 4, fn_extract, 0, NULL, 0 },
	{ "extract_all", 2, 3, fn_extract_all, 0, NULL, 0 },
	{ "countof", 2, 3, fn_text, 0, "kql_countof", KQL_T_LONG },
	{ "indexof", 2, 2, fn_text, 0, "kql_indexof", KQL_T_LONG },
	{ "reverse", 1, 1, fn_text, 0, "kql_reverse", KQL_T_STRING },
	{ "strrep", 2, 3, fn_plain, 0, "kql_strrep", KQL_T_STRING },
	{ "base64_decode_tostring", 1, 1, fn_text, 0, "kql_base64_decode",
	    KQL_T_STRING },
	{ "base64_decodestring", 1, 1, fn_text, 0, "kql_base64_decode",
	    KQL_T_STRING },
	{ "base64_encode_tostring", 1, 1, fn_text, 0, "kql_base64_encode",
	    KQL_T_STRING },
	{ "base64_encodestring", 1, 1, fn_text, 0, "kql_base64_encode",
	    KQL_T_STRING },
	{ "url_decode", 1, 1, fn_text, 0, "kql_url_decode", KQL_T_STRING },
	{ "url_encode", 1, 1, fn_text, 0, "kql_url_encode", KQL_T_STRING },
	{ "url_encode_component", 1, 1, fn_text, 0, "kql_url_encode",
	    KQL_T_STRING },
	{ "parse_urlquery", 1, 1, fn_text, 0, "kql_parse_urlquery",
	    KQL_T_DYNAMIC },
	{ "tohex", 1, 2, fn_plain, 0, "kql_tohex", KQL_T_STRING },
	{ "parse_url", 1, 1, fn_text, 0, "kql_parse_url", KQL_T_DYNAMIC },
	{ "parseurl", 1, 1, fn_text, 0, "kql_parse_url", KQL_T_DYNAMIC },
	{ "ipv4_is_private", 1, 1, fn_text, 0, "kql_ipv4_is_private",
	    KQL_T_BOOL },
	{ "ipv4_is_in_range", 2, 2, fn_text, 0, "kql_ipv4_is_in_range",
	    KQL_T_BOOL },
	{ "ipv4_is_match", 2, 3, fn_plain, 0, "kql_ipv4_is_in_range",
	    KQL_T_BOOL },
	{ "has_ipv4", 2, 2, fn_text, 0, "kql_has_ipv4", KQL_T_BOOL },
	/* logic and types */
	{ "iff", 3, 3, fn_iff, 0, NULL, 0 },
	{ "iif", 3, 3, fn_iff, 0, NULL, 0 },
	{ "case", 3, 255, fn_case, 0, NULL, 0 },
	{ "not", 1, 1, fn_not, 0, NULL, 0 },
	{ "isempty", 1, 1, fn_isempty, 0, NULL, 0 },
	{ "isnotempty", 1, 1, fn_isempty, 0, NULL, 0 },
	{ "notempty", 1, 1, fn_isempty, 0, NULL, 0 },
	{ "isnull", 1, 1, fn_isnull, 0, NULL, 0 },
	{ "isnotnull", 1, 1, fn_isnull, 0, NULL, 0 },
	{ "notnull", 1, 1, fn_isnull, 0, NULL, 0 },
	{ "tostring", 1, 1, fn_convert, 0, NULL, KQL_T_STRING },
	{ "toint", 1, 1, fn_convert, 0, NULL, KQL_T_INT },
	{ "tolong", 1, 1, fn_convert, 0, NULL, KQL_T_LONG },
	{ "toreal", 1, 1, fn_convert, 0, NULL, KQL_T_REAL },
	{ "todouble", 1, 1, fn_convert, 0, NULL, KQL_T_REAL },
	{ "todecimal", 1, 1, fn_convert, 0, NULL, KQL_T_REAL },
	{ "tobool", 1, 1, fn_convert, 0, NULL, KQL_T_BOOL },
	{ "toboolean", 1, 1, fn_convert, 0, NULL, KQL_T_BOOL },
	{ "todatetime", 1, 1, fn_convert, 0, NULL, KQL_T_DATETIME },
	{ "totimespan", 1, 1, fn_convert, 0, NULL, KQL_T_TIMESPAN },
	{ "toguid", 1, 1, fn_convert, 0, NULL, KQL_T_GUID },
	{ "parse_json", 1, 1, fn_parse_json, 0, NULL, 0 },
	{ "parsejson", 1, 1, fn_parse_json, 0, NULL, 0 },
	{ "todynamic", 1, 1, fn_parse_json, 0, NULL, 0 },
	{ "toobject", 1, 1, fn_parse_json, 0, NULL, 0 },
	{ "coalesce", 2, 64, fn_coalesce, 0, NULL, 0 },
	{ "max_of", 1, 64, fn_minmax_of, 0, "max", 0 },
	{ "min_of", 1, 64, fn_minmax_of, 0, "min", 0 },
	{ "column_ifexists", 2, 2, fn_column_ifexists, F_RAW, NULL, 0 },
	{ "columnifexists", 2, 2, fn_column_ifexists, F_RAW, NULL, 0 },
	{ "toscalar", 1, 1, fn_toscalar, F_RAW, NULL, 0 },
	/* dynamic */
	{ "array_length", 1, 1, fn_dynamic_arg, 0, "kql_array_length",
	    KQL_T_LONG },
	{ "arraylength", 1, 1, fn_dynamic_arg, 0, "kql_array_length",
	    KQL_T_LONG },
	{ "array_concat", 1, 64, fn_dynamic_arg, 0, "kql_array_concat",
	    KQL_T_DYNAMIC },
	{ "array_index_of", 2, 2, fn_dynamic_arg, 0, "kql_array_index_of",
	    KQL_T_LONG },
	{ "array_slice", 3, 3, fn_dynamic_arg, 0, "kql_array_slice",
	    KQL_T_DYNAMIC },
	{ "set_difference", 2, 64, fn_dynamic_arg, 0, "kql_set_difference",
	    KQL_T_DYNAMIC },
	{ "set_union", 2, 64, fn_dynamic_arg, 0, "kql_set_union",
	    KQL_T_DYNAMIC },
	{ "set_intersect", 2, 64, fn_dynamic_arg, 0, "kql_set_intersect",
	    KQL_T_DYNAMIC },
	{ "set_has_element", 2, 2, fn_dynamic_arg, 0,
	    "kql_set_has_element", KQL_T_BOOL },
	{ "bag_keys", 1, 1, fn_dynamic_arg, 0, "kql_bag_keys",
	    KQL_T_DYNAMIC },
	{ "bag_has_key", 2, 2, fn_bag_has_key, 0, NULL, 0 },
	{ "pack", 0, 14400, fn_pack, 0, NULL, 0 },
	{ "bag_pack", 0, 14400, fn_pack, 0, NULL, 0 },
	{ "pack_dictionary", 0, 128, fn_pack, 0, NULL, 0 },
	{ "pack_array", 0, 128, fn_pack_array, 0, NULL, 0 },
	{ "pack_all", 0, 0, fn_pack_all, 0, NULL, 0 },
	{ "extractjson", 2, 3, fn_extractjson, 0, NULL, 0 },
	{ "extract_json", 2, 3, fn_extractjson, 0, NULL, 0 },
	/* math */
	{ "abs", 1, 1, fn_same, 0, "abs", 0 },
	{ "round", 1, 2, fn_round, 0, NULL, 0 },
	{ "ceiling", 1, 1, fn_plain, 0, "ceil", KQL_T_REAL },
	{ "sqrt", 1, 1, fn_plain, 0, "sqrt", KQL_T_REAL },
	{ "exp", 1, 1, fn_plain, 0, "exp", KQL_T_REAL },
	{ "log", 1, 1, fn_plain, 0, "ln", KQL_T_REAL },
	{ "log10", 1, 1, fn_plain, 0, "log10", KQL_T_REAL },
	{ "log2", 1, 1, fn_plain, 0, "log2", KQL_T_REAL },
	{ "pow", 2, 2, fn_plain, 0, "pow", KQL_T_REAL },
	{ "sign", 1, 1, fn_same, 0, "sign", 0 },
	{ "isnan", 1, 1, fn_plain, 0, "kql_isnan", KQL_T_BOOL },
	/* window */
	{ "row_number", 0, 2, fn_window, F_WINDOW, NULL, 0 },
	{ "prev", 1, 3, fn_window, F_WINDOW, NULL, 0 },
	{ "next", 1, 3, fn_window, F_WINDOW, NULL, 0 },
	/* aggregates */
	{ "count", 0, 1, fn_count, F_AGG, NULL, 0 },
	{ "countif", 1, 1, fn_countif, F_AGG, NULL, 0 },
	{ "dcount", 1, 2, fn_dcount, F_AGG, NULL, 0 },
	{ "dcountif", 2, 3, fn_dcount, F_AGG, NULL, 0 },
	{ "count_distinct", 1, 1, fn_dcount, F_AGG, NULL, 0 },
	{ "sum", 1, 1, fn_sum_like, F_AGG, "sum", 0 },
	{ "sumif", 2, 2, fn_sum_like, F_AGG, "sum", 0 },
	{ "avg", 1, 1, fn_sum_like, F_AGG, "avg", 0 },
	{ "avgif", 2, 2, fn_sum_like, F_AGG, "avg", 0 },
	{ "min", 1, 1, fn_sum_like, F_AGG, "min", 0 },
	{ "max", 1, 1, fn_sum_like, F_AGG, "max", 0 },
	{ "minif", 2, 2, fn_sum_like, F_AGG, "min", 0 },
	{ "maxif", 2, 2, fn_sum_like, F_AGG, "max", 0 },
	{ "make_set", 1, 2, fn_make_set, F_AGG, "kql_make_set", 0 },
	{ "makeset", 1, 2, fn_make_set, F_AGG, "kql_make_set", 0 },
	{ "make_set_if", 2, 3, fn_make_set, F_AGG, "kql_make_set", 0 },
	{ "make_list", 1, 2, fn_make_set, F_AGG, "kql_make_list", 0 },
	{ "makelist", 1, 2, fn_make_set, F_AGG, "kql_make_list", 0 },
	{ "make_list_if", 2, 3, fn_make_set, F_AGG, "kql_make_list", 0 },
	{ "make_bag", 1, 2, fn_make_bag, F_AGG, NULL, 0 },
	{ "make_bag_if", 2, 3, fn_make_bag, F_AGG, NULL, 0 },
	{ "take_any", 1, 8, fn_take_any, F_AGG, NULL, 0 },
	{ "any", 1, 8, fn_take_any, F_AGG, NULL, 0 },
	{ "take_anyif", 2, 2, fn_take_any, F_AGG, NULL, 0 },
	{ "anyif", 2, 2, fn_take_any, F_AGG, NULL, 0 },
	{ "stdev", 1, 1, fn_stat, F_AGG, "kql_stdev", 0 },
	{ "stdevp", 1, 1, fn_stat, F_AGG, "kql_stdevp", 0 },
	{ "variance", 1, 1, fn_stat, F_AGG, "kql_variance", 0 },
	{ "variancep", 1, 1, fn_stat, F_AGG, "kql_variancep", 0 },
	{ "percentile", 2, 2, fn_percentile, F_AGG, NULL, 0 },
	{ "arg_max", 2, 64, fn_arg_misuse, F_AGG | F_RAW, NULL, 0 },
	{ "arg_min", 2, 64, fn_arg_misuse, F_AGG | F_RAW, NULL, 0 },
	{ "argmax", 2, 64, fn_arg_misuse, F_AGG | F_RAW, NULL, 0 },
	{ "argmin", 2, 64, fn_arg_misuse, F_AGG | F_RAW, NULL, 0 },
	{ NULL, 0, 0, NULL, 0, NULL, 0 }
};

static const struct fn *
fn_find(const char *name)
{
	size_t i;

	for (i = 0; fn_table[i].name != NULL; i++)
		if (strcmp(fn_table[i].name, name) == 0)
			return &fn_table[i];
	return NULL;
}

int
is_aggregate_call(const struct kql_expr *e)
{
	const struct fn *fn;

	if (e->kind != KX_CALL)
		return 0;
	fn = fn_find(e->name);
	return fn != NULL && (fn->flags & F_AGG);
}

static int
gen_call(struct gen *g, struct ectx *cx, struct kql_expr *e, struct sx *out)
{
	const struct fn *fn;
	struct binding *b;
	struct fnctx f;
	struct sx *args = NULL;
	size_t i;
	int saved_agg, rc;

	b = scope_find(cx->scope, e->name);
	if (b != NULL && b->kind == B_FN) {
		/* A user function in a scalar position: its body with the
		 * parameters bound to these arguments. */
		struct scope *s;
		struct ectx c2;
		const struct kql_lambda *fn2 = b->let->fn;
		size_t k;

		if (b->busy)
			return gen_fail(g, e->pos, "function '%s' calls "
			    "itself", e->name);
		if (e->nargs > fn2->nparams)
			return gen_fail(g, e->pos, "function '%s' takes %zu "
			    "arguments", e->name, fn2->nparams);
		s = kql_arena_alloc(g->a, sizeof(*s));
		if (s == NULL)
			return fail_oom(g);
		s->parent = b->defscope;
		s->cap = fn2->nparams + fn2->nlets + 1;
		s->v = kql_arena_alloc(g->a, s->cap * sizeof(*s->v));
		if (s->v == NULL)
			return fail_oom(g);
		for (k = 0; k < fn2->nparams; k++) {
			struct binding *pb = &s->v[s->n++];

			pb->name = fn2->params[k].name;
			pb->kind = B_PARAM;
			pb->ptype = fn2->params[k].type;
			if (k < e->nargs) {
				pb->arg = e->args[k];
				pb->argscope = cx->scope;
			} else if (fn2->params[k].dflt != NULL) {
				pb->arg = fn2->params[k].dflt;
				pb->argscope = b->defscope;
			} else {
				return gen_fail(g, e->pos, "function '%s': no "
				    "value for '%s'", e->name,
				    fn2->params[k].name);
			}
		}
		for (k = 0; k < fn2->nlets; k++) {
			struct binding *lb = &s->v[s->n++];

			lb->name = fn2->lets[k].name;
			lb->kind = fn2->lets[k].fn ? B_FN : B_LET;
			lb->let = &fn2->lets[k];
			lb->defscope = s;
		}
		c2 = *cx;
		c2.scope = s;
		c2.npend = 0;
		b->busy = 1;
		rc = gen_expr(g, &c2, fn2->body, out);
		b->busy = 0;
		return rc;
	}
	fn = fn_find(e->name);
	if (fn == NULL) {
		if (strcmp(e->name, "typeof") == 0)
			return gen_fail(g, e->pos, "typeof() is only "
			    "supported as a conversion target");
		return gen_fail(g, e->pos, "function '%s' is not supported by "
		    "the local workspace", e->name);
	}
	if ((int)e->nargs < fn->min || (fn->max >= 0 &&
	    (int)e->nargs > fn->max)) {
		if (fn->min == fn->max)
			return gen_fail(g, e->pos, "%s() takes %d argument%s",
			    e->name, fn->min, fn->min == 1 ? "" : "s");
		return gen_fail(g, e->pos, "%s() takes %d to %d arguments",
		    e->name, fn->min, fn->max);
	}
	if (fn->flags & F_AGG) {
		if (!cx->agg)
			return gen_fail(g, e->pos, "%s() is an aggregation; "
			    "use it in summarize", e->name);
	}
	saved_agg = cx->agg;
	if (!(fn->flags & F_RAW) && e->nargs > 0) {
		args = kql_arena_alloc(g->a, e->nargs * sizeof(*args));
		if (args == NULL)
			return fail_oom(g);
		if (fn->flags & F_AGG) {
			cx->agg = 0;
			cx->in_agg = 1;
		}
		for (i = 0; i < e->nargs; i++) {
			if (e->args[i]->kind == KX_CALL &&
			    strcmp(e->args[i]->name, "typeof") == 0) {
				/* a conversion target, read by the function */
				sx_init(&args[i], "NULL", KQL_T_UNKNOWN);
				args[i].is_const = 1;
				continue;
			}
			if (e->args[i]->kind == KX_STAR) {
				cx->agg = saved_agg;
				cx->in_agg = 0;
				return gen_fail(g, e->args[i]->pos, "'*' is "
				    "not allowed in %s()", e->name);
			}
			if (gen_expr(g, cx, e->args[i], &args[i]) == -1) {
				cx->agg = saved_agg;
				cx->in_agg = 0;
				return -1;
			}
		}
		if (fn->flags & F_AGG) {
			cx->agg = saved_agg;
			cx->in_agg = 0;
		}
	}
	f.g = g;
	f.cx = cx;
	f.call = e;
	f.args = args;
	f.n = e->nargs;
	f.fn = fn;
	return fn->gen(&f, out);
}

/* ---- entry ---- */

int
gen_expr(struct gen *g, struct ectx *cx, struct kql_expr *e, struct sx *out)
{
	int rc;

	if (g->failed)
		return -1;
	if (++g->depth > 400)
		return gen_fail(g, e->pos, "expression nested too deeply");
	switch (e->kind) {
	case KX_LIT:
		rc = gen_lit(g, e, out);
		break;
	case KX_NAME:
		if (e->op == KB_EQ && e->a != NULL)
			rc = gen_fail(g, e->pos, "a named argument is only "
			    "allowed in a function call");
		else
			rc = gen_name(g, cx, e, out);
		break;
	case KX_MEMBER:
	case KX_INDEX:
		rc = gen_access(g, cx, e, out);
		break;
	case KX_CALL:
		rc = gen_call(g, cx, e, out);
		break;
	case KX_NEG: {
		struct sx a;

		rc = gen_expr(g, cx, e->a, &a);
		if (rc == 0) {
			if (a.type == KQL_T_DYNAMIC) {
				a.sql = sx_scalar(g, &a);
				a.type = KQL_T_UNKNOWN;
			}
			if (!is_num(a.type) && a.type != KQL_T_TIMESPAN &&
			    a.type != KQL_T_UNKNOWN) {
				rc = gen_fail(g, e->pos, "cannot negate %s",
				    kql_type_name(a.type));
				break;
			}
			*out = a;
			out->jbase = NULL;
			out->lit = NULL;
			out->sql = gen_fmt(g, "(- %s)", a.sql);
			rc = out->sql == NULL ? -1 : 0;
		}
		break;
	}
	case KX_BINARY:
		rc = gen_binary(g, cx, e, out);
		break;
	case KX_IN:
		rc = gen_in(g, cx, e, out);
		break;
	case KX_BETWEEN:
		rc = gen_between(g, cx, e, out);
		break;
	case KX_STAR:
		rc = gen_fail(g, e->pos, "'*' is not allowed here");
		break;
	case KX_TAB:
	default:
		rc = gen_fail(g, e->pos, "a table cannot be used as a value; "
		    "use toscalar()");
		break;
	}
	g->depth--;
	return rc;
}

/* ---- names Kusto gives unnamed columns ---- */

static const char *
path_name(struct gen *g, const struct kql_expr *e)
{
	const char *base;

	switch (e->kind) {
	case KX_NAME:
		return e->name;
	case KX_MEMBER:
		base = path_name(g, e->a);
		return base ? gen_fmt(g, "%s_%s", base, e->name) : NULL;
	case KX_INDEX:
		base = path_name(g, e->a);
		if (base == NULL || e->b->kind != KX_LIT)
			return NULL;
		if (e->b->lit_type == KQL_T_STRING)
			return gen_fmt(g, "%s_%s", base, e->b->sval);
		return gen_fmt(g, "%s_%lld", base, (long long)e->b->ival);
	default:
		return NULL;
	}
}

const char *
expr_default_name(struct gen *g, const struct kql_expr *e)
{
	static const char *const keep_arg[] = {
		"bin", "floor", "bin_at", "tostring", "toint", "tolong",
		"todouble", "toreal", "todatetime", "totimespan", "tobool",
		"todynamic", "parse_json", "toguid", "todecimal", NULL
	};
	static const struct {
		const char	*fn;
		const char	*prefix;
	} agg[] = {
		{ "count", "count" }, { "countif", "countif" },
		{ "dcount", "dcount" }, { "dcountif", "dcountif" },
		{ "sum", "sum" }, { "sumif", "sumif" }, { "avg", "avg" },
		{ "avgif", "avgif" }, { "min", "min" }, { "max", "max" },
		{ "minif", "minif" }, { "maxif", "maxif" },
		{ "make_set", "set" }, { "makeset", "set" },
		{ "make_set_if", "set" }, { "make_list", "list" },
		{ "makelist", "list" }, { "make_list_if", "list" },
		{ "make_bag", "bag" }, { "make_bag_if", "bag" },
		{ "take_any", "any" }, { "any", "any" },
		{ "take_anyif", "anyif" }, { "anyif", "anyif" },
		{ "stdev", "stdev" }, { "stdevp", "stdevp" },
		{ "variance", "variance" }, { "variancep", "variancep" },
		{ "percentile", "percentile" },
		{ "count_distinct", "count_distinct" }, { NULL, NULL }
	};
	const char *p;
	size_t i;

	p = path_name(g, e);
	if (p != NULL || e->kind != KX_CALL)
		return p;
	for (i = 0; keep_arg[i] != NULL; i++)
		if (strcmp(keep_arg[i], e->name) == 0 && e->nargs > 0)
			return path_name(g, e->args[0]);
	for (i = 0; agg[i].fn != NULL; i++) {
		if (strcmp(agg[i].fn, e->name) != 0)
			continue;
		if (e->nargs == 0 || strcmp(e->name, "countif") == 0)
			return gen_fmt(g, "%s_", agg[i].prefix);
		p = path_name(g, e->args[0]);
		if (strcmp(e->name, "percentile") == 0 && p != NULL &&
		    e->nargs == 2 && e->args[1]->kind == KX_LIT)
			return gen_fmt(g, "percentile_%s_%lld", p,
			    (long long)(e->args[1]->lit_type == KQL_T_REAL ?
			    (long long)e->args[1]->rval : e->args[1]->ival));
		return gen_fmt(g, "%s_%s", agg[i].prefix, p ? p : "");
	}
	return NULL;
}

/* A constant whole number (take 10, top n by): literals and lets. */
int
expr_to_long(struct gen *g, struct ectx *cx, struct kql_expr *e, int64_t *v)
{
	struct binding *b;
	int64_t x, y;

	switch (e->kind) {
	case KX_LIT:
		if (!e->lit_null && (e->lit_type == KQL_T_LONG ||
		    e->lit_type == KQL_T_INT)) {
			*v = e->ival;
			return 0;
		}
		if (!e->lit_null && e->lit_type == KQL_T_REAL) {
			*v = (int64_t)e->rval;
			return 0;
		}
		break;
	case KX_NAME:
		b = scope_find(cx->scope, e->name);
		if (b != NULL && b->kind == B_LET && b->let->value != NULL &&
		    !b->busy) {
			struct ectx c2;
			int rc;

			memset(&c2, 0, sizeof(c2));
			c2.scope = b->defscope;
			b->busy = 1;
			rc = expr_to_long(g, &c2, b->let->value, v);
			b->busy = 0;
			return rc;
		}
		if (b != NULL && b->kind == B_PARAM) {
			struct ectx c2 = *cx;

			c2.scope = b->argscope;
			return expr_to_long(g, &c2, b->arg, v);
		}
		break;
	case KX_NEG:
		if (expr_to_long(g, cx, e->a, &x) == -1)
			return -1;
		*v = -x;
		return 0;
	case KX_BINARY:
		if (e->op != KB_ADD && e->op != KB_SUB && e->op != KB_MUL)
			break;
		if (expr_to_long(g, cx, e->a, &x) == -1 ||
		    expr_to_long(g, cx, e->b, &y) == -1)
			return -1;
		if (__builtin_mul_overflow(x, y, v) && e->op == KB_MUL)
			return gen_fail(g, e->pos, "number out of range");
		*v = e->op == KB_ADD ? x + y : e->op == KB_SUB ? x - y : *v;
		return 0;
	default:
		break;
	}
	return gen_fail(g, e->pos, "expected a constant number");
}
