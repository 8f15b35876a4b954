/*
 * sql: tabular operators to SQL.  A relation (struct rel) is a FROM-able
 * name and its typed columns; each operator takes one relation and makes
 * a new common table expression from it.  The statement is the chain of
 * CTEs followed by a SELECT of the last one.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "kql/parse.h"
#include "kql/regex.h"
#include "kql/sqlint.h"
#include "kql/time.h"

static struct rel	*gen_op(struct gen *, struct rel *, struct kql_op *,
			    struct scope *);
static struct rel	*gen_union(struct gen *, struct rel *, struct kql_op *,
			    struct scope *);

/* ---- utilities ---- */

int
gen_fail(struct gen *g, struct kql_pos pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (g->failed)
		return -1;
	g->failed = 1;
	n = snprintf(g->err, g->errsz, "%d:%d: ", pos.line, pos.col);
	if (n < 0 || (size_t)n >= g->errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(g->err + n, g->errsz - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int
oom(struct gen *g)
{
	struct kql_pos pos = { 0, 0 };

	return gen_fail(g, pos, "out of memory");
}

const char *
gen_fmt(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	struct buf b;
	const char *s;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (buf_failed(&b)) {
		buf_release(&b);
		oom(g);
		return NULL;
	}
	s = kql_arena_strndup(g->a, buf_str(&b), b.len);
	buf_release(&b);
	if (s == NULL)
		oom(g);
	return s;
}

void
kql_sql_quote_ident(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

const char *
gen_ident(struct gen *g, const char *name)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	kql_sql_quote_ident(&b, name);
	if (buf_failed(&b)) {
		buf_release(&b);
		oom(g);
		return NULL;
	}
	s = kql_arena_strndup(g->a, buf_str(&b), b.len);
	buf_release(&b);
	if (s == NULL)
		oom(g);
	return s;
}

static struct kql_param_value *
new_param(struct gen *g)
{
	struct kql_param_value *p;

	p = kql_arena_push(g->a, (void **)&g->params, &g->nparams,
	    &g->paramcap, sizeof(*p));
	if (p == NULL)
		oom(g);
	return p;
}

const char *
gen_param_text(struct gen *g, const char *s, size_t len)
{
	struct kql_param_value *p;

	if ((p = new_param(g)) == NULL)
		return NULL;
	p->kind = KQL_P_TEXT;
	p->text = s;
	p->len = len;
	return gen_fmt(g, "?%zu", g->nparams);
}

const char *
gen_param_int(struct gen *g, int64_t v)
{
	struct kql_param_value *p;

	if ((p = new_param(g)) == NULL)
		return NULL;
	p->kind = KQL_P_INT;
	p->ival = v;
	return gen_fmt(g, "?%zu", g->nparams);
}

const char *
gen_param_real(struct gen *g, double v)
{
	struct kql_param_value *p;

	if ((p = new_param(g)) == NULL)
		return NULL;
	p->kind = KQL_P_REAL;
	p->rval = v;
	return gen_fmt(g, "?%zu", g->nparams);
}

/* Adds "name AS (select)" to the WITH list; returns the quoted name. */
static const char *
new_cte(struct gen *g, const char *select)
{
	const char *name;

	if (select == NULL)
		return NULL;
	if (g->ncte >= KQL_MAX_STAGES) {
		/* SQLite's planner grows faster than linearly with the chain */
		gen_fail(g, g->at, "the query has more than %d stages",
		    KQL_MAX_STAGES);
		return NULL;
	}
	name = gen_fmt(g, "\"_kql%d\"", ++g->ncte);
	if (name == NULL)
		return NULL;
	if (g->ctes.len > 0)
		buf_adds(&g->ctes, ",\n");
	buf_printf(&g->ctes, "%s AS (%s)", name, select);
	if (buf_failed(&g->ctes)) {
		oom(g);
		return NULL;
	}
	return name;
}

struct binding *
scope_find(struct scope *s, const char *name)
{
	size_t i;

	for (; s != NULL; s = s->parent)
		for (i = s->n; i-- > 0; )
			if (strcmp(s->v[i].name, name) == 0)
				return &s->v[i];
	return NULL;
}

static struct binding *
scope_add(struct gen *g, struct scope *s, const char *name)
{
	struct binding *b;

	b = kql_arena_push(g->a, (void **)&s->v, &s->n, &s->cap, sizeof(*b));
	if (b == NULL) {
		oom(g);
		return NULL;
	}
	b->name = name;
	return b;
}

const struct kql_col *
rel_find(const struct rel *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].name, name) == 0)
			return &r->cols[i];
	return NULL;
}

static ssize_t
rel_index(const struct rel *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

/* A growing list of output columns. */
struct colset {
	struct kql_col	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * Adds a column; its SQL name is its Kusto name unless an earlier column
 * differs from it only in case.
 */
static struct kql_col *
colset_add(struct gen *g, struct colset *cs, const char *name,
    enum kql_type type)
{
	struct kql_col *c;
	const char *sqlname = name;
	size_t i;
	int k = 1;

again:
	for (i = 0; i < cs->n; i++) {
		if (strcasecmp(cs->v[i].sqlname, sqlname) == 0) {
			sqlname = gen_fmt(g, "%s~%d", name, ++k);
			if (sqlname == NULL)
				return NULL;
			goto again;
		}
	}
	c = kql_arena_push(g->a, (void **)&cs->v, &cs->n, &cs->cap,
	    sizeof(*c));
	if (c == NULL) {
		oom(g);
		return NULL;
	}
	c->name = name;
	c->type = type;
	c->sqlname = sqlname;
	return c;
}

static ssize_t
colset_index(const struct colset *cs, const char *name)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].name, name) == 0)
			return (ssize_t)i;
	return -1;
}

/* A name not yet in cs: name, name1, name2 ... (as Kusto's join does). */
static const char *
colset_fresh(struct gen *g, const struct colset *cs, const char *name)
{
	const char *s = name;
	int k = 0;

	while (colset_index(cs, s) >= 0) {
		s = gen_fmt(g, "%s%d", name, ++k);
		if (s == NULL)
			return NULL;
	}
	return s;
}

static struct rel *
new_rel(struct gen *g, const char *from, struct colset *cs, int open)
{
	struct rel *r;

	if (from == NULL || g->failed)
		return NULL;
	r = kql_arena_alloc(g->a, sizeof(*r));
	if (r == NULL) {
		oom(g);
		return NULL;
	}
	r->from = from;
	r->cols = cs->v;
	r->ncols = cs->n;
	r->open = open;
	return r;
}

/* "a" AS "b" (or just "a" when the names agree). */
static void
select_item(struct buf *b, const char *sql, const char *sqlname,
    int *first)
{
	if (!*first)
		buf_adds(b, ", ");
	*first = 0;
	buf_adds(b, sql);
	buf_adds(b, " AS ");
	kql_sql_quote_ident(b, sqlname);
}

static const char *
col_ref(struct gen *g, const char *qual, const struct kql_col *c)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	if (qual != NULL)
		buf_adds(&b, qual);
	kql_sql_quote_ident(&b, c->sqlname);
	s = buf_failed(&b) ? NULL : kql_arena_strndup(g->a, buf_str(&b),
	    b.len);
	buf_release(&b);
	if (s == NULL)
		oom(g);
	return s;
}

static const char *
buf_done(struct gen *g, struct buf *b)
{
	const char *s;

	s = buf_failed(b) ? NULL : kql_arena_strndup(g->a, buf_str(b),
	    b->len);
	buf_release(b);
	if (s == NULL)
		oom(g);
	return s;
}

/* ---- sources ---- */

static struct rel *
open_rel(struct gen *g, const char *name)
{
	struct colset cs = { NULL, 0, 0 };
	struct rel *r;

	r = new_rel(g, gen_ident(g, name), &cs, 1);
	if (r != NULL)
		r->table = name;
	return r;
}

static struct rel *
table_rel(struct gen *g, struct kql_pos pos, const char *name, int *found)
{
	struct kql_col *cols = NULL;
	const char *sqltable = NULL;
	struct colset cs;
	const struct kql_col *tg;
	struct rel *r;
	int rc;

	*found = 0;
	if (g->cat == NULL || g->cat->table == NULL)
		return NULL;
	cs.v = NULL;
	cs.n = cs.cap = 0;
	rc = g->cat->table(g->cat->ctx, name, g->a, &sqltable, &cols, &cs.n);
	if (rc == -1) {
		oom(g);
		return NULL;
	}
	if (rc == 0)
		return NULL;
	*found = 1;
	cs.v = cols;
	cs.cap = cs.n;
	r = new_rel(g, gen_ident(g, sqltable), &cs, 0);
	if (r == NULL)
		return NULL;
	r->table = name;
	tg = rel_find(r, "TimeGenerated");
	if (g->opt != NULL && g->opt->has_range && tg != NULL &&
	    tg->type == KQL_T_DATETIME) {
		char a[40], b[40];
		const char *pa, *pb, *from;

		if (kql_format_datetime(g->opt->range_start, a, sizeof(a)) ==
		    -1 || kql_format_datetime(g->opt->range_end, b,
		    sizeof(b)) == -1) {
			gen_fail(g, pos, "time range out of bounds");
			return NULL;
		}
		pa = gen_param_text(g, kql_arena_strdup(g->a, a), KQL_DT_LEN);
		pb = gen_param_text(g, kql_arena_strdup(g->a, b), KQL_DT_LEN);
		from = new_cte(g, gen_fmt(g, "SELECT * FROM %s WHERE "
		    "\"%s\" >= %s AND \"%s\" < %s", r->from, tg->sqlname, pa,
		    tg->sqlname, pb));
		if (from == NULL)
			return NULL;
		r->from = from;
	}
	return r;
}

static struct rel *
gen_let_tab(struct gen *g, struct binding *b, struct kql_pos pos)
{
	struct rel *r;

	if (b->memo != NULL)
		return b->memo;
	if (b->busy) {
		gen_fail(g, pos, "'%s' refers to itself", b->name);
		return NULL;
	}
	b->busy = 1;
	r = gen_tab_expr(g, b->let->value, b->defscope);
	b->busy = 0;
	b->memo = r;
	return r;
}

static struct rel	*call_function(struct gen *, struct binding *,
			    struct kql_expr **, size_t, struct kql_pos,
			    struct scope *);

static struct rel *
gen_named_source(struct gen *g, const char *name, struct kql_pos pos,
    struct scope *scope)
{
	struct binding *b;
	struct rel *r;
	int found;

	b = scope_find(scope, name);
	if (b != NULL) {
		switch (b->kind) {
		case B_LET:
			return gen_let_tab(g, b, pos);
		case B_FN:
			if (b->let->fn->nparams == 0 ||
			    b->let->fn->params[0].dflt != NULL)
				return call_function(g, b, NULL, 0, pos,
				    scope);
			gen_fail(g, pos, "function '%s' needs arguments",
			    name);
			return NULL;
		case B_PARAM:
			if (b->memo != NULL)
				return b->memo;
			b->memo = gen_tab_expr(g, b->arg, b->argscope);
			return b->memo;
		}
	}
	r = table_rel(g, pos, name, &found);
	if (found || g->failed)
		return r;
	if (g->cat != NULL && g->cat->open_unknown)
		return open_rel(g, name);
	gen_fail(g, pos, "unknown table '%s'", name);
	return NULL;
}

/* Binds a function's parameters and lets in a fresh scope. */
static struct scope *
function_scope(struct gen *g, struct binding *fb, struct kql_expr **args,
    size_t nargs, struct kql_pos pos, struct scope *caller)
{
	const struct kql_lambda *fn = fb->let->fn;
	struct scope *s;
	struct binding *b;
	size_t i, k;

	if (nargs > fn->nparams) {
		gen_fail(g, pos, "function '%s' takes %zu arguments, not %zu",
		    fb->name, fn->nparams, nargs);
		return NULL;
	}
	s = kql_arena_alloc(g->a, sizeof(*s));
	if (s == NULL) {
		oom(g);
		return NULL;
	}
	s->parent = fb->defscope;
	s->cap = fn->nparams + fn->nlets + 1;
	s->v = kql_arena_alloc(g->a, s->cap * sizeof(*s->v));
	if (s->v == NULL) {
		oom(g);
		return NULL;
	}
	for (i = 0; i < fn->nparams; i++) {
		struct kql_expr *arg = NULL;
		struct scope *as = caller;

		/* named arguments: f(x = 1) */
		for (k = 0; k < nargs; k++)
			if (args[k]->kind == KX_NAME && args[k]->op == KB_EQ &&
			    args[k]->a != NULL &&
			    strcmp(args[k]->name, fn->params[i].name) == 0)
				arg = args[k]->a;
		if (arg == NULL && i < nargs && !(args[i]->kind == KX_NAME &&
		    args[i]->op == KB_EQ && args[i]->a != NULL))
			arg = args[i];
		if (arg == NULL) {
			arg = fn->params[i].dflt;
			as = fb->defscope;
		}
		if (arg == NULL) {
			gen_fail(g, pos, "function '%s': no value for "
			    "parameter '%s'", fb->name, fn->params[i].name);
			return NULL;
		}
		b = scope_add(g, s, fn->params[i].name);
		if (b == NULL)
			return NULL;
		b->kind = B_PARAM;
		b->arg = arg;
		b->argscope = as;
		b->ptype = fn->params[i].type;
	}
	for (i = 0; i < fn->nlets; i++) {
		b = scope_add(g, s, fn->lets[i].name);
		if (b == NULL)
			return NULL;
		b->kind = fn->lets[i].fn != NULL ? B_FN : B_LET;
		b->let = &fn->lets[i];
		b->defscope = s;
	}
	return s;
}

static struct rel *
call_function(struct gen *g, struct binding *fb, struct kql_expr **args,
    size_t nargs, struct kql_pos pos, struct scope *caller)
{
	struct scope *s;
	struct rel *r;

	if (fb->busy) {
		gen_fail(g, pos, "function '%s' calls itself", fb->name);
		return NULL;
	}
	if (++g->depth > 50) {
		gen_fail(g, pos, "functions nested too deeply");
		return NULL;
	}
	s = function_scope(g, fb, args, nargs, pos, caller);
	if (s == NULL)
		return NULL;
	fb->busy = 1;
	r = gen_tab_expr(g, fb->let->fn->body, s);
	fb->busy = 0;
	g->depth--;
	return r;
}

static struct rel *
gen_call_source(struct gen *g, const char *name, struct kql_expr **args,
    size_t nargs, struct kql_pos pos, struct scope *scope)
{
	struct binding *b;

	if (strcmp(name, "table") == 0) {
		struct kql_expr *a0 = nargs > 0 ? args[0] : NULL;
		struct scope *s = scope;

		/* a name bound by let or a parameter to a string */
		while (a0 != NULL && a0->kind == KX_NAME &&
		    (b = scope_find(s, a0->name)) != NULL) {
			if (b->kind == B_LET && b->let->value != NULL) {
				s = b->defscope;
				a0 = b->let->value;
			} else if (b->kind == B_PARAM) {
				s = b->argscope;
				a0 = b->arg;
			} else {
				break;
			}
		}
		if (a0 == NULL || a0->kind != KX_LIT ||
		    a0->lit_type != KQL_T_STRING) {
			gen_fail(g, pos, "table() needs a constant table name");
			return NULL;
		}
		return gen_named_source(g, a0->sval, pos, s);
	}
	if (strcmp(name, "materialize") == 0 || strcmp(name, "view") == 0) {
		if (nargs != 1) {
			gen_fail(g, pos, "%s() takes one argument", name);
			return NULL;
		}
		return gen_tab_expr(g, args[0], scope);
	}
	b = scope_find(scope, name);
	if (b != NULL && b->kind == B_FN)
		return call_function(g, b, args, nargs, pos, scope);
	if (b != NULL) {
		gen_fail(g, pos, "'%s' is not a function", name);
		return NULL;
	}
	if (g->cat != NULL && g->cat->open_unknown)
		return open_rel(g, name);
	gen_fail(g, pos, "unknown function '%s'", name);
	return NULL;
}

struct rel *
gen_tab_expr(struct gen *g, struct kql_expr *e, struct scope *scope)
{
	if (g->failed)
		return NULL;
	switch (e->kind) {
	case KX_TAB:
		return gen_tab(g, e->tab, scope);
	case KX_NAME:
		return gen_named_source(g, e->name, e->pos, scope);
	case KX_CALL:
		return gen_call_source(g, e->name, e->args, e->nargs, e->pos,
		    scope);
	default:
		gen_fail(g, e->pos, "expected a tabular expression");
		return NULL;
	}
}

/* Would e, read as a table, be one?  For "x in (T)" and toscalar. */
int
is_tabular_expr(struct gen *g, struct kql_expr *e, struct scope *scope)
{
	struct binding *b;
	const char *sqltable;
	struct kql_col *cols;
	size_t n;

	switch (e->kind) {
	case KX_TAB:
		return 1;
	case KX_NAME:
		b = scope_find(scope, e->name);
		if (b != NULL && b->kind == B_LET)
			return b->let->value != NULL &&
			    is_tabular_expr(g, b->let->value, b->defscope);
		if (b != NULL && b->kind == B_PARAM)
			return is_tabular_expr(g, b->arg, b->argscope);
		if (b != NULL)
			return 0;
		return g->cat != NULL && g->cat->table != NULL &&
		    g->cat->table(g->cat->ctx, e->name, g->a, &sqltable,
		    &cols, &n) == 1;
	case KX_CALL:
		if (strcmp(e->name, "materialize") == 0 ||
		    strcmp(e->name, "table") == 0 ||
		    strcmp(e->name, "view") == 0)
			return 1;
		b = scope_find(scope, e->name);
		return b != NULL && b->kind == B_FN &&
		    b->let->fn->body->kind == KX_TAB;
	default:
		return 0;
	}
}

static struct rel *
gen_datatable(struct gen *g, struct kql_tab *tab, struct scope *scope)
{
	struct colset cs = { NULL, 0, 0 };
	struct ectx cx;
	struct sx v;
	struct buf b;
	size_t i, j, nrows;
	int first = 1;

	memset(&cx, 0, sizeof(cx));
	cx.scope = scope;
	for (i = 0; i < tab->ncols; i++) {
		if (colset_index(&cs, tab->cols[i].name) >= 0) {
			gen_fail(g, tab->pos, "duplicate column '%s'",
			    tab->cols[i].name);
			return NULL;
		}
		if (colset_add(g, &cs, tab->cols[i].name,
		    tab->cols[i].type) == NULL)
			return NULL;
	}
	if (tab->ncols == 0 || tab->nargs % tab->ncols != 0) {
		gen_fail(g, tab->pos, "datatable has %zu values for %zu "
		    "columns", tab->nargs, tab->ncols);
		return NULL;
	}
	nrows = tab->nargs / tab->ncols;
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	for (j = 0; j < tab->ncols; j++)
		select_item(&b, gen_fmt(g, "column%zu", j + 1),
		    cs.v[j].sqlname, &first);
	if (nrows == 0) {
		/* An empty table with these columns. */
		buf_release(&b);
		buf_init(&b);
		buf_adds(&b, "SELECT ");
		first = 1;
		for (j = 0; j < tab->ncols; j++)
			select_item(&b, "NULL", cs.v[j].sqlname, &first);
		buf_adds(&b, " WHERE 0");
		return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
	}
	buf_adds(&b, " FROM (VALUES ");
	for (i = 0; i < nrows; i++) {
		buf_adds(&b, i > 0 ? ", (" : "(");
		for (j = 0; j < tab->ncols; j++) {
			struct kql_expr *e = tab->args[i * tab->ncols + j];

			if (gen_expr(g, &cx, e, &v) == -1) {
				buf_release(&b);
				return NULL;
			}
			if (!v.is_const) {
				buf_release(&b);
				gen_fail(g, e->pos, "datatable values must be "
				    "constants");
				return NULL;
			}
			if (j > 0)
				buf_adds(&b, ", ");
			if (v.type != cs.v[j].type && !(v.lit != NULL &&
			    v.lit->lit_null) && !(cs.v[j].type == KQL_T_REAL &&
			    (v.type == KQL_T_LONG || v.type == KQL_T_INT)) &&
			    !((cs.v[j].type == KQL_T_LONG ||
			    cs.v[j].type == KQL_T_INT) && (v.type ==
			    KQL_T_LONG || v.type == KQL_T_INT)) &&
			    !(cs.v[j].type == KQL_T_GUID &&
			    v.type == KQL_T_STRING) &&
			    !(cs.v[j].type == KQL_T_DYNAMIC)) {
				buf_release(&b);
				gen_fail(g, e->pos, "datatable column '%s' is "
				    "%s, the value is %s", cs.v[j].name,
				    kql_type_name(cs.v[j].type),
				    kql_type_name(v.type));
				return NULL;
			}
			if (cs.v[j].type == KQL_T_DYNAMIC &&
			    v.type != KQL_T_DYNAMIC)
				buf_adds(&b, sx_json(g, &v));
			else if (cs.v[j].type == KQL_T_REAL)
				buf_printf(&b, "CAST(%s AS REAL)", v.sql);
			else
				buf_adds(&b, v.sql);
		}
		buf_addc(&b, ')');
	}
	buf_addc(&b, ')');
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

static struct rel *
gen_print(struct gen *g, struct kql_tab *tab, struct scope *scope)
{
	struct colset cs = { NULL, 0, 0 };
	struct ectx cx;
	struct sx v;
	struct buf b;
	const char *name;
	struct kql_col *c;
	size_t i;
	int first = 1;

	memset(&cx, 0, sizeof(cx));
	cx.scope = scope;
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	for (i = 0; i < tab->nitems; i++) {
		if (gen_expr(g, &cx, tab->items[i].e, &v) == -1) {
			buf_release(&b);
			return NULL;
		}
		name = tab->items[i].name;
		if (name == NULL)
			name = gen_fmt(g, "print_%zu", i);
		if (name == NULL || (c = colset_add(g, &cs, name, v.type)) ==
		    NULL) {
			buf_release(&b);
			return NULL;
		}
		select_item(&b, v.sql, c->sqlname, &first);
	}
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

static struct rel *
gen_range(struct gen *g, struct kql_tab *tab, struct scope *scope)
{
	struct colset cs = { NULL, 0, 0 };
	struct ectx cx;
	struct sx from, to, step;
	struct kql_col *c;
	const char *cte, *body;

	memset(&cx, 0, sizeof(cx));
	cx.scope = scope;
	if (gen_expr(g, &cx, tab->range_from, &from) == -1 ||
	    gen_expr(g, &cx, tab->range_to, &to) == -1 ||
	    gen_expr(g, &cx, tab->range_step, &step) == -1)
		return NULL;
	if (!from.is_const || !to.is_const || !step.is_const) {
		gen_fail(g, tab->pos, "range needs constant bounds");
		return NULL;
	}
	c = colset_add(g, &cs, tab->range_col, from.type);
	if (c == NULL)
		return NULL;
	g->recursive = 1;
	if (from.type == KQL_T_DATETIME && step.type == KQL_T_TIMESPAN)
		body = gen_fmt(g, "SELECT %s AS v, 1 AS n UNION ALL SELECT "
		    "kql_dt_add(v, %s), n + 1 FROM %%s WHERE kql_dt_add(v, %s) "
		    "<= %s AND kql_range_check(n)", from.sql, step.sql,
		    step.sql, to.sql);
	else if ((from.type == KQL_T_LONG || from.type == KQL_T_INT ||
	    from.type == KQL_T_REAL || from.type == KQL_T_TIMESPAN) &&
	    step.type == from.type)
		body = gen_fmt(g, "SELECT %s AS v, 1 AS n UNION ALL SELECT "
		    "v + %s, n + 1 FROM %%s WHERE v + %s <= %s AND "
		    "kql_range_check(n)", from.sql, step.sql, step.sql,
		    to.sql);
	else {
		gen_fail(g, tab->pos, "range of %s by %s is not supported",
		    kql_type_name(from.type), kql_type_name(step.type));
		return NULL;
	}
	if (body == NULL)
		return NULL;
	/* A recursive CTE refers to itself: name it first. */
	cte = gen_fmt(g, "\"_kql%d\"", g->ncte + 1);
	if (cte == NULL)
		return NULL;
	cte = new_cte(g, gen_fmt(g, body, cte));
	if (cte == NULL)
		return NULL;
	return new_rel(g, new_cte(g, gen_fmt(g, "SELECT v AS %s FROM %s",
	    gen_ident(g, c->sqlname), cte)), &cs, 0);
}

static struct rel *
gen_source(struct gen *g, struct kql_tab *tab, struct scope *scope)
{
	switch (tab->src) {
	case KS_NAME:
		if (tab->wildcard) {
			gen_fail(g, tab->pos, "a wildcard table name is only "
			    "supported in union");
			return NULL;
		}
		return gen_named_source(g, tab->name, tab->pos, scope);
	case KS_CALL:
		return gen_call_source(g, tab->name, tab->args, tab->nargs,
		    tab->pos, scope);
	case KS_PAREN:
		return gen_tab(g, tab->inner, scope);
	case KS_UNION:
		return gen_union(g, NULL, tab->union_op, scope);
	case KS_DATATABLE:
		return gen_datatable(g, tab, scope);
	case KS_PRINT:
		return gen_print(g, tab, scope);
	case KS_RANGE:
		return gen_range(g, tab, scope);
	case KS_UNSUPPORTED:
		break;
	}
	gen_fail(g, tab->pos, "'%s' is not supported by the local workspace",
	    tab->name);
	return NULL;
}

struct rel *
gen_tab(struct gen *g, struct kql_tab *tab, struct scope *scope)
{
	struct rel *r;
	size_t i;

	if (g->failed)
		return NULL;
	if (++g->depth > 100) {
		gen_fail(g, tab->pos, "query nested too deeply");
		return NULL;
	}
	r = gen_source(g, tab, scope);
	for (i = 0; r != NULL && i < tab->nops; i++)
		r = gen_op(g, r, &tab->ops[i], scope);
	g->depth--;
	return r;
}

/* ---- operators ---- */

static void
row_ctx(struct ectx *cx, struct rel *in, struct scope *scope)
{
	memset(cx, 0, sizeof(*cx));
	cx->rel = in;
	cx->scope = scope;
}

static struct rel *
gen_where(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct sx v;
	struct colset cs;

	row_ctx(&cx, in, scope);
	if (gen_expr(g, &cx, op->e, &v) == -1)
		return NULL;
	if (v.type != KQL_T_BOOL && v.type != KQL_T_UNKNOWN &&
	    v.type != KQL_T_DYNAMIC) {
		gen_fail(g, op->e->pos, "where needs a bool, not %s",
		    kql_type_name(v.type));
		return NULL;
	}
	cs.v = in->cols;
	cs.n = cs.cap = in->ncols;
	return new_rel(g, new_cte(g, gen_fmt(g, "SELECT * FROM %s WHERE %s",
	    in->from, sx_bool(g, &v))), &cs, in->open);
}

static struct rel *
gen_extend(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs = { NULL, 0, 0 };
	struct pending *pend;
	const char **exprs;
	struct buf b;
	const char *name;
	size_t i, n;
	ssize_t k;
	int first = 1;

	row_ctx(&cx, in, scope);
	pend = kql_arena_alloc(g->a, (op->nitems + 1) * sizeof(*pend));
	exprs = kql_arena_alloc(g->a, (in->ncols + op->nitems + 1) *
	    sizeof(*exprs));
	if (pend == NULL || exprs == NULL) {
		oom(g);
		return NULL;
	}
	cx.pend = pend;
	/* Start with the input's columns, then replace or add. */
	for (i = 0; i < in->ncols; i++) {
		if (colset_add(g, &cs, in->cols[i].name,
		    in->cols[i].type) == NULL)
			return NULL;
		exprs[i] = col_ref(g, NULL, &in->cols[i]);
	}
	for (i = 0; i < op->nitems; i++) {
		struct kql_named *it = &op->items[i];
		struct sx v;

		if (it->nnames > 0) {
			gen_fail(g, it->pos, "naming several columns is only "
			    "supported in summarize");
			return NULL;
		}
		if (gen_expr(g, &cx, it->e, &v) == -1)
			return NULL;
		if (v.is_agg) {
			gen_fail(g, it->pos, "aggregates are only allowed in "
			    "summarize");
			return NULL;
		}
		name = it->name;
		if (name == NULL)
			name = expr_default_name(g, it->e);
		if (name == NULL)
			name = gen_fmt(g, "Column%zu", i + 1);
		if (name == NULL)
			return NULL;
		k = colset_index(&cs, name);
		if (k >= 0) {
			cs.v[k].type = v.type;
			exprs[k] = v.sql;
		} else {
			if (colset_add(g, &cs, name, v.type) == NULL)
				return NULL;
			exprs[cs.n - 1] = v.sql;
		}
		/* Later items see this one. */
		pend[cx.npend].name = name;
		pend[cx.npend].v = v;
		cx.npend++;
	}
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	if (in->open) {
		buf_adds(&b, "*");
		first = 0;
	}
	n = cs.n;
	for (i = 0; i < n; i++) {
		if (in->open && i < in->ncols && exprs[i] != NULL &&
		    strcmp(exprs[i], col_ref(g, NULL, &in->cols[i])) == 0)
			continue;
		select_item(&b, exprs[i], cs.v[i].sqlname, &first);
	}
	buf_printf(&b, " FROM %s", in->from);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, in->open);
}

static struct rel *
gen_project(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs = { NULL, 0, 0 };
	struct buf b;
	const char *name;
	struct kql_col *c;
	size_t i;
	int first = 1;

	row_ctx(&cx, in, scope);
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	for (i = 0; i < op->nitems; i++) {
		struct kql_named *it = &op->items[i];
		struct sx v;

		if (it->nnames > 0) {
			buf_release(&b);
			gen_fail(g, it->pos, "naming several columns is only "
			    "supported in summarize");
			return NULL;
		}
		if (gen_expr(g, &cx, it->e, &v) == -1) {
			buf_release(&b);
			return NULL;
		}
		if (v.is_agg) {
			buf_release(&b);
			gen_fail(g, it->pos, "aggregates are only allowed in "
			    "summarize");
			return NULL;
		}
		name = it->name;
		if (name == NULL)
			name = expr_default_name(g, it->e);
		if (name == NULL)
			name = gen_fmt(g, "Column%zu", i + 1);
		if (name == NULL) {
			buf_release(&b);
			return NULL;
		}
		if (colset_index(&cs, name) >= 0) {
			buf_release(&b);
			gen_fail(g, it->pos, "column '%s' is projected twice",
			    name);
			return NULL;
		}
		if ((c = colset_add(g, &cs, name, v.type)) == NULL) {
			buf_release(&b);
			return NULL;
		}
		select_item(&b, v.sql, c->sqlname, &first);
	}
	buf_printf(&b, " FROM %s", in->from);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

int
wildcard_match(const char *pat, const char *s)
{
	if (*pat == '\0')
		return *s == '\0';
	if (*pat == '*') {
		for (;; s++) {
			if (wildcard_match(pat + 1, s))
				return 1;
			if (*s == '\0')
				return 0;
		}
	}
	return *pat == *s && *s != '\0' && wildcard_match(pat + 1, s + 1);
}

static int
needs_closed(struct gen *g, struct rel *in, struct kql_op *op)
{
	if (!in->open)
		return 0;
	return gen_fail(g, op->pos, "'%s' needs the columns of '%s', which "
	    "are not known", op->name, in->table ? in->table : "its input");
}

/* project-away, project-keep, project-reorder, project-rename */
static struct rel *
gen_project_names(struct gen *g, struct rel *in, struct kql_op *op)
{
	struct colset cs = { NULL, 0, 0 };
	struct buf b;
	char *keep;
	size_t i, j;
	int first = 1, hit;
	struct kql_col *c;

	if (needs_closed(g, in, op) == -1)
		return NULL;
	keep = kql_arena_alloc(g->a, in->ncols + 1);
	if (keep == NULL) {
		oom(g);
		return NULL;
	}
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	if (op->kind == KO_PROJECT_RENAME) {
		const char **newname = kql_arena_alloc(g->a,
		    (in->ncols + 1) * sizeof(*newname));

		if (newname == NULL) {
			buf_release(&b);
			oom(g);
			return NULL;
		}
		for (i = 0; i < op->nitems; i++) {
			ssize_t k = rel_index(in, op->items[i].e->name);

			if (k < 0) {
				buf_release(&b);
				gen_fail(g, op->items[i].pos, "unknown column "
				    "'%s'", op->items[i].e->name);
				return NULL;
			}
			newname[k] = op->items[i].name;
		}
		for (i = 0; i < in->ncols; i++) {
			const char *name = newname[i] ? newname[i] :
			    in->cols[i].name;

			if (colset_index(&cs, name) >= 0 || (newname[i] ==
			    NULL && 0)) {
				buf_release(&b);
				gen_fail(g, op->pos, "project-rename makes two "
				    "columns named '%s'", name);
				return NULL;
			}
			c = colset_add(g, &cs, name, in->cols[i].type);
			if (c == NULL) {
				buf_release(&b);
				return NULL;
			}
			select_item(&b, col_ref(g, NULL, &in->cols[i]),
			    c->sqlname, &first);
		}
		buf_printf(&b, " FROM %s", in->from);
		return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
	}
	for (j = 0; j < op->nitems; j++) {
		hit = 0;
		for (i = 0; i < in->ncols; i++) {
			if (wildcard_match(op->items[j].name,
			    in->cols[i].name)) {
				hit = 1;
				if (op->kind == KO_PROJECT_REORDER &&
				    !keep[i]) {
					c = colset_add(g, &cs,
					    in->cols[i].name,
					    in->cols[i].type);
					if (c == NULL) {
						buf_release(&b);
						return NULL;
					}
					select_item(&b, col_ref(g, NULL,
					    &in->cols[i]), c->sqlname,
					    &first);
				}
				keep[i] = 1;
			}
		}
		if (!hit && strchr(op->items[j].name, '*') == NULL) {
			buf_release(&b);
			gen_fail(g, op->items[j].pos, "unknown column '%s'",
			    op->items[j].name);
			return NULL;
		}
	}
	for (i = 0; i < in->ncols; i++) {
		int want;

		if (op->kind == KO_PROJECT_AWAY)
			want = !keep[i];
		else if (op->kind == KO_PROJECT_KEEP)
			want = keep[i];
		else
			want = !keep[i];	/* reorder: the rest */
		if (!want)
			continue;
		c = colset_add(g, &cs, in->cols[i].name, in->cols[i].type);
		if (c == NULL) {
			buf_release(&b);
			return NULL;
		}
		select_item(&b, col_ref(g, NULL, &in->cols[i]), c->sqlname,
		    &first);
	}
	if (cs.n == 0) {
		buf_release(&b);
		gen_fail(g, op->pos, "%s leaves no columns", op->name);
		return NULL;
	}
	buf_printf(&b, " FROM %s", in->from);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

static const char *
order_by(struct gen *g, struct ectx *cx, struct kql_sortkey *keys,
    size_t n)
{
	struct buf b;
	struct sx v;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (gen_expr(g, cx, keys[i].e, &v) == -1) {
			buf_release(&b);
			return NULL;
		}
		if (v.is_agg) {
			buf_release(&b);
			gen_fail(g, keys[i].e->pos, "aggregates are only "
			    "allowed in summarize");
			return NULL;
		}
		if (i > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, v.type == KQL_T_DYNAMIC ? sx_scalar(g, &v) :
		    v.sql);
		buf_adds(&b, keys[i].asc ? " ASC" : " DESC");
		if (keys[i].nulls_first == 1 && !keys[i].asc)
			buf_adds(&b, " NULLS FIRST");
		else if (keys[i].nulls_first == 0 && keys[i].asc)
			buf_adds(&b, " NULLS LAST");
	}
	return buf_done(g, &b);
}

static struct rel *
gen_sort(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs;
	struct rel *r;
	const char *ob, *limit = NULL;
	int64_t n;

	row_ctx(&cx, in, scope);
	if (op->kind == KO_TOP) {
		if (expr_to_long(g, &cx, op->e, &n) == -1)
			return NULL;
		limit = gen_fmt(g, " LIMIT %lld", (long long)(n < 0 ? 0 : n));
	}
	ob = order_by(g, &cx, op->keys, op->nkeys);
	if (ob == NULL)
		return NULL;
	cs.v = in->cols;
	cs.n = cs.cap = in->ncols;
	r = new_rel(g, new_cte(g, gen_fmt(g, "SELECT * FROM %s ORDER BY "
	    "%s%s", in->from, ob, limit ? limit : "")), &cs, in->open);
	if (r != NULL && limit == NULL) {
		r->sorted_from = in->from;
		r->sorted_by = ob;
	}
	return r;
}

static struct rel *
gen_take(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs;
	int64_t n;

	row_ctx(&cx, in, scope);
	if (expr_to_long(g, &cx, op->e, &n) == -1)
		return NULL;
	cs.v = in->cols;
	cs.n = cs.cap = in->ncols;
	if (in->sorted_by != NULL && op->kind == KO_TAKE)
		/* sort | take: one SELECT, so SQLite keeps only the top n */
		return new_rel(g, new_cte(g, gen_fmt(g, "SELECT * FROM %s "
		    "ORDER BY %s LIMIT %lld", in->sorted_from, in->sorted_by,
		    (long long)(n < 0 ? 0 : n))), &cs, in->open);
	return new_rel(g, new_cte(g, gen_fmt(g, "SELECT * FROM %s%s "
	    "LIMIT %lld", in->from, op->kind == KO_SAMPLE ?
	    " ORDER BY random()" : "", (long long)(n < 0 ? 0 : n))), &cs,
	    in->open);
}

static struct rel *
gen_count(struct gen *g, struct rel *in)
{
	struct colset cs = { NULL, 0, 0 };

	if (colset_add(g, &cs, "Count", KQL_T_LONG) == NULL)
		return NULL;
	return new_rel(g, new_cte(g, gen_fmt(g, "SELECT count(*) AS "
	    "\"Count\" FROM %s", in->from)), &cs, 0);
}

static struct rel *
gen_distinct(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs = { NULL, 0, 0 };
	struct buf b;
	struct sx v;
	const char *name;
	struct kql_col *c;
	size_t i;
	int first = 1;

	if (op->nitems == 0) {
		cs.v = in->cols;
		cs.n = cs.cap = in->ncols;
		return new_rel(g, new_cte(g, gen_fmt(g, "SELECT DISTINCT * "
		    "FROM %s", in->from)), &cs, in->open);
	}
	row_ctx(&cx, in, scope);
	buf_init(&b);
	buf_adds(&b, "SELECT DISTINCT ");
	for (i = 0; i < op->nitems; i++) {
		if (gen_expr(g, &cx, op->items[i].e, &v) == -1) {
			buf_release(&b);
			return NULL;
		}
		name = op->items[i].name;
		if (name == NULL)
			name = expr_default_name(g, op->items[i].e);
		if (name == NULL)
			name = gen_fmt(g, "Column%zu", i + 1);
		if (name == NULL || colset_index(&cs, name) >= 0 ||
		    (c = colset_add(g, &cs, name, v.type)) == NULL) {
			buf_release(&b);
			if (!g->failed)
				gen_fail(g, op->items[i].pos, "column '%s' "
				    "appears twice", name);
			return NULL;
		}
		select_item(&b, v.sql, c->sqlname, &first);
	}
	buf_printf(&b, " FROM %s", in->from);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

/* ---- summarize ---- */

/* arg_max(T, cols...) or arg_min: expands into several columns. */
static int
is_arg_ext(const struct kql_expr *e, int *is_max)
{
	if (e->kind != KX_CALL)
		return 0;
	if (strcmp(e->name, "arg_max") == 0 || strcmp(e->name, "argmax") == 0)
		*is_max = 1;
	else if (strcmp(e->name, "arg_min") == 0 ||
	    strcmp(e->name, "argmin") == 0)
		*is_max = 0;
	else
		return 0;
	return 1;
}

static int
is_minmax_call(const struct kql_expr *e)
{
	return e->kind == KX_CALL && (strcmp(e->name, "min") == 0 ||
	    strcmp(e->name, "max") == 0);
}

static struct rel *
gen_summarize(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs = { NULL, 0, 0 };
	struct buf b, gb;
	struct sx v, key;
	struct kql_col *c;
	const char *name;
	size_t i, j, nargmax = 0, nminmax = 0;
	int first = 1, is_max, bare;

	row_ctx(&cx, in, scope);
	for (i = 0; i < op->nitems; i++) {
		if (is_arg_ext(op->items[i].e, &is_max))
			nargmax++;
		else if (is_minmax_call(op->items[i].e))
			nminmax++;
	}
	/* One arg_max and no other min/max: SQLite's bare columns take
	 * their values from the row holding the max, natively. */
	bare = nargmax == 1 && nminmax == 0;
	buf_init(&b);
	buf_init(&gb);
	buf_adds(&b, "SELECT ");
	for (i = 0; i < op->nby; i++) {
		struct kql_named *it = &op->by[i];

		if (gen_expr(g, &cx, it->e, &key) == -1)
			goto fail;
		if (key.is_agg) {
			gen_fail(g, it->pos, "an aggregate cannot be a "
			    "summarize key");
			goto fail;
		}
		name = it->name;
		if (name == NULL)
			name = expr_default_name(g, it->e);
		if (name == NULL)
			name = gen_fmt(g, "Column%zu", i + 1);
		if (name == NULL)
			goto fail;
		if (colset_index(&cs, name) >= 0) {
			gen_fail(g, it->pos, "column '%s' appears twice",
			    name);
			goto fail;
		}
		if ((c = colset_add(g, &cs, name, key.type)) == NULL)
			goto fail;
		select_item(&b, key.sql, c->sqlname, &first);
		buf_printf(&gb, "%s%zu", i > 0 ? ", " : "", i + 1);
	}
	cx.agg = 1;
	for (i = 0; i < op->nitems; i++) {
		struct kql_named *it = &op->items[i];
		struct kql_expr *e = it->e;

		if (is_arg_ext(e, &is_max)) {
			struct sx t;
			const char *tname;
			size_t nret = 0;

			if (e->nargs < 2) {
				gen_fail(g, e->pos, "%s needs two or more "
				    "arguments", e->name);
				goto fail;
			}
			cx.agg = 0;
			cx.in_agg = 1;
			if (gen_expr(g, &cx, e->args[0], &t) == -1)
				goto fail;
			cx.agg = 1;
			cx.in_agg = 0;
			tname = it->nnames > 0 ? it->names[nret++] :
			    it->name != NULL ? it->name :
			    expr_default_name(g, e->args[0]);
			if (tname == NULL)
				tname = gen_fmt(g, "%s_%zu", is_max ?
				    "max" : "min", i);
			if (tname == NULL)
				goto fail;
			tname = colset_fresh(g, &cs, tname);
			if (tname == NULL ||
			    (c = colset_add(g, &cs, tname, t.type)) == NULL)
				goto fail;
			select_item(&b, gen_fmt(g, "%s(%s)", is_max ? "max" :
			    "min", sx_scalar(g, &t)), c->sqlname, &first);
			for (j = 1; j < e->nargs; j++) {
				struct kql_expr *a = e->args[j];
				size_t k;

				if (a->kind == KX_STAR) {
					if (needs_closed(g, in, op) == -1)
						goto fail;
					for (k = 0; k < in->ncols; k++) {
						const char *cn;

						cn = in->cols[k].name;
						if (colset_index(&cs, cn) >= 0)
							continue;
						c = colset_add(g, &cs, cn,
						    in->cols[k].type);
						if (c == NULL)
							goto fail;
						name = col_ref(g, NULL,
						    &in->cols[k]);
						select_item(&b, bare ? name :
						    gen_fmt(g, "kql_arg_%s(%s, "
						    "%s)", is_max ? "max" :
						    "min", sx_scalar(g, &t),
						    name), c->sqlname, &first);
					}
					continue;
				}
				cx.agg = 0;
				cx.in_agg = 1;
				if (gen_expr(g, &cx, a, &v) == -1)
					goto fail;
				cx.agg = 1;
				cx.in_agg = 0;
				name = nret < it->nnames ?
				    it->names[nret++] :
				    expr_default_name(g, a);
				if (name == NULL)
					name = gen_fmt(g, "%s_%zu_%zu",
					    is_max ? "max" : "min", i, j);
				if (name == NULL)
					goto fail;
				if (colset_index(&cs, name) >= 0 &&
				    a->kind == KX_NAME &&
				    strcmp(a->name, name) == 0 &&
				    it->nnames == 0)
					continue;	/* already a key */
				name = colset_fresh(g, &cs, name);
				if (name == NULL || (c = colset_add(g, &cs,
				    name, v.type)) == NULL)
					goto fail;
				select_item(&b, bare ? v.sql : gen_fmt(g,
				    "kql_arg_%s(%s, %s)", is_max ? "max" :
				    "min", sx_scalar(g, &t), v.sql),
				    c->sqlname, &first);
			}
			continue;
		}
		if (it->nnames > 0) {
			gen_fail(g, it->pos, "naming several columns needs "
			    "arg_max or arg_min");
			goto fail;
		}
		if (e->kind == KX_NAME && strcmp(e->name, "count") == 0 &&
		    rel_find(in, "count") == NULL) {
			/* "summarize count by x" means count() */
			struct kql_expr *call = kql_arena_alloc(g->a,
			    sizeof(*call));

			if (call == NULL) {
				oom(g);
				goto fail;
			}
			*call = *e;
			call->kind = KX_CALL;
			e = call;
		}
		if (gen_expr(g, &cx, e, &v) == -1)
			goto fail;
		if (!v.is_agg) {
			gen_fail(g, e->pos, "summarize needs an aggregation "
			    "such as count() or sum()");
			goto fail;
		}
		name = it->name;
		if (name == NULL)
			name = expr_default_name(g, e);
		if (name == NULL)
			name = gen_fmt(g, "Column%zu", i + 1);
		if (name == NULL)
			goto fail;
		name = colset_fresh(g, &cs, name);
		if (name == NULL || (c = colset_add(g, &cs, name, v.type)) ==
		    NULL)
			goto fail;
		select_item(&b, v.sql, c->sqlname, &first);
	}
	buf_printf(&b, " FROM %s", in->from);
	if (op->nby > 0)
		buf_printf(&b, " GROUP BY %s", buf_str(&gb));
	buf_release(&gb);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
fail:
	buf_release(&b);
	buf_release(&gb);
	return NULL;
}

/* ---- join and lookup ---- */

/* A column of in named name, or an error at pos. */
static const struct kql_col *
join_col(struct gen *g, struct rel *in, const char *name,
    struct kql_pos pos, const char *side)
{
	const struct kql_col *c;

	c = rel_find(in, name);
	if (c == NULL && !in->open) {
		gen_fail(g, pos, "unknown column '%s' on the %s side of the "
		    "join", name, side);
		return NULL;
	}
	if (c == NULL) {
		struct kql_col *nc = kql_arena_alloc(g->a, sizeof(*nc));

		if (nc == NULL) {
			oom(g);
			return NULL;
		}
		nc->name = nc->sqlname = name;
		nc->type = KQL_T_UNKNOWN;
		c = nc;
	}
	return c;
}

/* Outer joins fill the missing side with nulls; Kusto's strings are
 * never null, so a missing string is "". */
static const char *
outer_ref(struct gen *g, const char *qual, const struct kql_col *c,
    int nullable)
{
	const char *r = col_ref(g, qual, c);

	if (nullable && r != NULL && (c->type == KQL_T_STRING ||
	    c->type == KQL_T_GUID))
		return gen_fmt(g, "coalesce(%s, '')", r);
	return r;
}

static struct rel *
gen_join(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct rel *right;
	struct colset cs = { NULL, 0, 0 };
	struct buf b, on;
	const struct kql_col *lc, *rc;
	struct kql_col *c;
	const char *name, *left_from, *jk;
	enum kql_joinkind kind = op->join_kind;
	int first = 1, lnull, rnull, lookup = op->kind == KO_LOOKUP;
	char *rkey;
	size_t i, k;

	right = gen_tab(g, op->right, scope);
	if (right == NULL)
		return NULL;
	rkey = kql_arena_alloc(g->a, right->ncols + 1);
	if (rkey == NULL) {
		oom(g);
		return NULL;
	}
	buf_init(&on);
	for (i = 0; i < op->nconds; i++) {
		lc = join_col(g, in, op->conds[i].left, op->conds[i].pos,
		    "left");
		rc = join_col(g, right, op->conds[i].right, op->conds[i].pos,
		    "right");
		if (lc == NULL || rc == NULL) {
			buf_release(&on);
			return NULL;
		}
		if (lc->type != rc->type && lc->type != KQL_T_UNKNOWN &&
		    rc->type != KQL_T_UNKNOWN && !((lc->type == KQL_T_INT ||
		    lc->type == KQL_T_LONG) && (rc->type == KQL_T_INT ||
		    rc->type == KQL_T_LONG))) {
			buf_release(&on);
			gen_fail(g, op->conds[i].pos, "join keys '%s' (%s) and "
			    "'%s' (%s) have different types", lc->name,
			    kql_type_name(lc->type), rc->name,
			    kql_type_name(rc->type));
			return NULL;
		}
		for (k = 0; k < right->ncols; k++)
			if (&right->cols[k] == rc)
				rkey[k] = 1;
		buf_printf(&on, "%sl.%s = r.%s", i > 0 ? " AND " : "",
		    gen_ident(g, lc->sqlname), gen_ident(g, rc->sqlname));
	}
	buf_init(&b);
	left_from = in->from;
	if (kind == KJ_INNERUNIQUE) {
		/* Kusto keeps one left row per key. */
		struct buf gk;

		buf_init(&gk);
		for (i = 0; i < op->nconds; i++) {
			lc = rel_find(in, op->conds[i].left);
			buf_printf(&gk, "%s%s", i > 0 ? ", " : "",
			    lc ? gen_ident(g, lc->sqlname) :
			    gen_ident(g, op->conds[i].left));
		}
		left_from = new_cte(g, gen_fmt(g, "SELECT * FROM %s GROUP BY "
		    "%s", in->from, buf_str(&gk)));
		buf_release(&gk);
		if (left_from == NULL)
			goto fail;
		kind = KJ_INNER;
	}
	if (kind == KJ_LEFTSEMI || kind == KJ_LEFTANTI ||
	    kind == KJ_RIGHTSEMI || kind == KJ_RIGHTANTI) {
		int left = kind == KJ_LEFTSEMI || kind == KJ_LEFTANTI;
		int anti = kind == KJ_LEFTANTI || kind == KJ_RIGHTANTI;
		struct rel *keep = left ? in : right;

		for (i = 0; i < keep->ncols; i++)
			if (colset_add(g, &cs, keep->cols[i].name,
			    keep->cols[i].type) == NULL)
				goto fail;
		buf_printf(&b, "SELECT %s.* FROM %s AS %s WHERE %sEXISTS "
		    "(SELECT 1 FROM %s AS %s WHERE %s)", left ? "l" : "r",
		    left ? in->from : right->from, left ? "l" : "r",
		    anti ? "NOT " : "", left ? right->from : in->from,
		    left ? "r" : "l", buf_str(&on));
		buf_release(&on);
		return new_rel(g, new_cte(g, buf_done(g, &b)), &cs,
		    keep->open);
	}
	if (in->open || right->open) {
		gen_fail(g, op->pos, "'%s' needs the columns of both sides, "
		    "which are not known", op->name);
		goto fail;
	}
	lnull = kind == KJ_RIGHTOUTER || kind == KJ_FULLOUTER;
	rnull = kind == KJ_LEFTOUTER || kind == KJ_FULLOUTER;
	buf_adds(&b, "SELECT ");
	for (i = 0; i < in->ncols; i++) {
		const char *ref = outer_ref(g, "l.", &in->cols[i], lnull);

		c = colset_add(g, &cs, in->cols[i].name, in->cols[i].type);
		if (c == NULL)
			goto fail;
		select_item(&b, ref, c->sqlname, &first);
	}
	for (i = 0; i < right->ncols; i++) {
		if (lookup && rkey[i])
			continue;	/* lookup keeps the keys once */
		name = colset_fresh(g, &cs, right->cols[i].name);
		if (name == NULL)
			goto fail;
		c = colset_add(g, &cs, name, right->cols[i].type);
		if (c == NULL)
			goto fail;
		select_item(&b, outer_ref(g, "r.", &right->cols[i], rnull),
		    c->sqlname, &first);
	}
	jk = kind == KJ_INNER ? "JOIN" : kind == KJ_LEFTOUTER ? "LEFT JOIN" :
	    kind == KJ_RIGHTOUTER ? "RIGHT JOIN" : "FULL JOIN";
	buf_printf(&b, " FROM %s AS l %s %s AS r ON %s", left_from, jk,
	    right->from, buf_str(&on));
	buf_release(&on);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
fail:
	buf_release(&b);
	buf_release(&on);
	return NULL;
}

/* ---- union ---- */

static int
add_union_member(struct gen *g, struct rel ***v, const char ***names,
    size_t *n, size_t *cap, struct rel *r, const char *name)
{
	size_t c1 = *cap, c2 = *cap, n1 = *n, n2 = *n;
	struct rel **slot;
	const char **nslot;

	slot = kql_arena_push(g->a, (void **)v, &n1, &c1, sizeof(*slot));
	nslot = kql_arena_push(g->a, (void **)names, &n2, &c2,
	    sizeof(*nslot));
	if (slot == NULL || nslot == NULL)
		return oom(g);
	*slot = r;
	*nslot = name;
	*n = n1;
	*cap = c1;
	return 0;
}

static struct rel *
gen_union(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct rel **mem = NULL, *r;
	const char **mname = NULL, **list = NULL;
	struct colset cs = { NULL, 0, 0 };
	struct kql_col *c;
	struct buf b;
	size_t n = 0, cap = 0, nlist = 0, i, j, k;
	int first;

	if (in != NULL && add_union_member(g, &mem, &mname, &n, &cap, in,
	    in->table ? in->table : "") == -1)
		return NULL;
	for (i = 0; i < op->ntabs; i++) {
		struct kql_tab *t = op->tabs[i];

		if (t->src == KS_NAME && t->wildcard) {
			if (g->cat == NULL || g->cat->list == NULL) {
				if (g->cat != NULL && g->cat->open_unknown) {
					r = open_rel(g, t->name);
					if (r == NULL ||
					    add_union_member(g, &mem, &mname,
					    &n, &cap, r, t->name) == -1)
						return NULL;
					continue;
				}
				gen_fail(g, t->pos, "cannot list the tables "
				    "for '%s'", t->name);
				return NULL;
			}
			if (list == NULL && g->cat->list(g->cat->ctx, g->a,
			    &list, &nlist) == -1) {
				oom(g);
				return NULL;
			}
			for (j = 0; j < nlist; j++) {
				if (!wildcard_match(t->name, list[j]))
					continue;
				r = gen_named_source(g, list[j], t->pos,
				    scope);
				if (r == NULL || add_union_member(g, &mem,
				    &mname, &n, &cap, r, list[j]) == -1)
					return NULL;
			}
			continue;
		}
		if (op->isfuzzy && t->src == KS_NAME &&
		    scope_find(scope, t->name) == NULL) {
			int found;

			r = table_rel(g, t->pos, t->name, &found);
			if (g->failed)
				return NULL;
			if (!found)
				continue;	/* isfuzzy: skip the missing */
		} else {
			r = gen_tab(g, t, scope);
		}
		if (r == NULL || add_union_member(g, &mem, &mname, &n, &cap, r,
		    t->src == KS_NAME ? t->name : "") == -1)
			return NULL;
	}
	if (n == 0) {
		gen_fail(g, op->pos, "union has no tables");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (mem[i]->open) {
			gen_fail(g, op->pos, "union needs the columns of '%s', "
			    "which are not known", mem[i]->table ?
			    mem[i]->table : "a member");
			return NULL;
		}
	}
	/*
	 * Columns in order of first appearance.  A name that comes with two
	 * types becomes one column per type, "name_type", as in Kusto.
	 */
	if (op->withsource != NULL && colset_add(g, &cs, op->withsource,
	    KQL_T_STRING) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; j < mem[i]->ncols; j++) {
			struct kql_col *mc = &mem[i]->cols[j];
			int everywhere = 1, split = 0;
			const char *nm = mc->name;

			for (k = 0; k < n; k++) {
				const struct kql_col *o = rel_find(mem[k],
				    mc->name);

				if (o == NULL)
					everywhere = 0;
				else if (o->type != mc->type)
					split = 1;
			}
			if (op->union_inner && !everywhere)
				continue;
			if (split && (nm = gen_fmt(g, "%s_%s", mc->name,
			    kql_type_name(mc->type))) == NULL)
				return NULL;
			if (colset_index(&cs, nm) >= 0)
				continue;
			c = colset_add(g, &cs, nm, mc->type);
			if (c == NULL)
				return NULL;
		}
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		first = 1;
		if (i > 0)
			buf_adds(&b, " UNION ALL ");
		buf_adds(&b, "SELECT ");
		for (k = 0; k < cs.n; k++) {
			const struct kql_col *oc = &cs.v[k], *mc = NULL;
			const char *ref;

			if (op->withsource != NULL && k == 0) {
				select_item(&b, gen_param_text(g, mname[i],
				    strlen(mname[i])), oc->sqlname, &first);
				continue;
			}
			for (j = 0; j < mem[i]->ncols; j++) {
				const struct kql_col *x = &mem[i]->cols[j];

				if (x->type != oc->type)
					continue;
				if (strcmp(x->name, oc->name) == 0 ||
				    (strncmp(oc->name, x->name,
				    strlen(x->name)) == 0 &&
				    oc->name[strlen(x->name)] == '_' &&
				    strcmp(oc->name + strlen(x->name) + 1,
				    kql_type_name(x->type)) == 0 &&
				    rel_find(mem[i], oc->name) == NULL)) {
					mc = x;
					break;
				}
			}
			if (mc != NULL)
				ref = col_ref(g, NULL, mc);
			else if (oc->type == KQL_T_STRING ||
			    oc->type == KQL_T_GUID)
				ref = "''";
			else
				ref = "NULL";
			select_item(&b, ref, oc->sqlname, &first);
		}
		buf_printf(&b, " FROM %s", mem[i]->from);
	}
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

/* ---- mv-expand ---- */

static const char *
mv_convert(struct gen *g, const char *elem, const char *value,
    enum kql_type to)
{
	switch (to) {
	case KQL_T_UNKNOWN:
	case KQL_T_DYNAMIC:
		return elem;
	case KQL_T_STRING:
	case KQL_T_GUID:
		return gen_fmt(g, "kql_dyn_tostring(%s)", elem);
	case KQL_T_LONG:
	case KQL_T_INT:
		return gen_fmt(g, "kql_tolong(%s)", value);
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		return gen_fmt(g, "kql_toreal(%s)", value);
	case KQL_T_BOOL:
		return gen_fmt(g, "kql_tobool(%s)", value);
	case KQL_T_DATETIME:
		return gen_fmt(g, "kql_todatetime(%s)", value);
	case KQL_T_TIMESPAN:
		return gen_fmt(g, "kql_totimespan(%s)", value);
	}
	return elem;
}

static struct rel *
gen_mv_expand(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs = { NULL, 0, 0 };
	struct buf b, from;
	struct sx *vals;
	const char **names, **exprs;
	enum kql_type ty;
	size_t i, k;
	ssize_t at;
	int first = 1;
	const char *src = NULL, *index = NULL;

	if (needs_closed(g, in, op) == -1)
		return NULL;
	row_ctx(&cx, in, scope);
	cx.qual = "t.";
	vals = kql_arena_alloc(g->a, op->nitems * sizeof(*vals));
	names = kql_arena_alloc(g->a, op->nitems * sizeof(*names));
	exprs = kql_arena_alloc(g->a, (in->ncols + op->nitems + 2) *
	    sizeof(*exprs));
	if (vals == NULL || names == NULL || exprs == NULL) {
		oom(g);
		return NULL;
	}
	for (i = 0; i < op->nitems; i++) {
		struct kql_named *it = &op->items[i];

		if (gen_expr(g, &cx, it->e, &vals[i]) == -1)
			return NULL;
		names[i] = it->name ? it->name : expr_default_name(g, it->e);
		if (names[i] == NULL) {
			gen_fail(g, it->pos, "name the expanded column: "
			    "mv-expand Name = ...");
			return NULL;
		}
	}
	for (i = 0; i < in->ncols; i++) {
		if (colset_add(g, &cs, in->cols[i].name, in->cols[i].type) ==
		    NULL)
			return NULL;
		exprs[i] = col_ref(g, "t.", &in->cols[i]);
	}
	buf_init(&from);
	if (op->nitems == 1) {
		/*
		 * Kusto expands null (a missing property too) to one row
		 * holding null, an empty array or bag to none: json_each
		 * gives no row for SQL NULL, one of type 'null' for JSON
		 * null.  The index of a bag's element is its position,
		 * which json_each does not give (j.id counts JSON nodes).
		 */
		src = gen_fmt(g, "coalesce(%s, 'null')", sx_json(g, &vals[0]));
		index = gen_fmt(g, "(CASE WHEN typeof(j.key) = 'integer' THEN "
		    "j.key ELSE (SELECT count(*) FROM json_each(%s) AS j2 "
		    "WHERE j2.id < j.id) END)", src);
		if (src == NULL || index == NULL) {
			buf_release(&from);
			return NULL;
		}
		buf_printf(&from, "%s AS t, json_each(%s) AS j", in->from,
		    src);
	} else {
		/* Parallel expansion: row i takes element i of each. */
		buf_printf(&from, "%s AS t, json_each(kql_mv_indexes(",
		    in->from);
		for (i = 0; i < op->nitems; i++)
			buf_printf(&from, "%s%s", i > 0 ? ", " : "",
			    sx_json(g, &vals[i]));
		buf_adds(&from, ")) AS j");
	}
	for (i = 0; i < op->nitems; i++) {
		const char *elem, *value;

		if (op->nitems == 1) {
			elem = op->bag_array ? "kql_mv_elem_array(j.key, "
			    "j.value, j.type)" :
			    "kql_mv_elem(j.key, j.value, j.type)";
			value = "j.value";
		} else {
			elem = gen_fmt(g, "kql_json_index(%s, j.value)",
			    sx_json(g, &vals[i]));
			value = gen_fmt(g, "(%s ->> '$')", elem);
		}
		elem = mv_convert(g, elem, value, op->items[i].to_type);
		if (elem == NULL) {
			buf_release(&from);
			return NULL;
		}
		ty = op->items[i].to_type == KQL_T_UNKNOWN ? KQL_T_DYNAMIC :
		    op->items[i].to_type;
		at = colset_index(&cs, names[i]);
		if (at >= 0) {
			cs.v[at].type = ty;
			exprs[at] = elem;
		} else {
			if (colset_add(g, &cs, names[i], ty) == NULL) {
				buf_release(&from);
				return NULL;
			}
			exprs[cs.n - 1] = elem;
		}
	}
	if (op->itemindex != NULL) {
		at = colset_index(&cs, op->itemindex);
		if (at >= 0) {
			buf_release(&from);
			gen_fail(g, op->pos, "with_itemindex: column '%s' "
			    "exists", op->itemindex);
			return NULL;
		}
		if (colset_add(g, &cs, op->itemindex, KQL_T_LONG) == NULL) {
			buf_release(&from);
			return NULL;
		}
		exprs[cs.n - 1] = op->nitems == 1 ? index : "j.value";
	}
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	for (k = 0; k < cs.n; k++)
		select_item(&b, exprs[k], cs.v[k].sqlname, &first);
	buf_printf(&b, " FROM %s", buf_str(&from));
	if (op->limit >= 0)
		buf_printf(&b, " WHERE %s < %lld", op->nitems == 1 ?
		    index : "j.value", (long long)op->limit);
	buf_release(&from);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

/* ---- parse ---- */

static void
re_escape(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strchr("\\.+*?()|[]{}^$", s[i]) != NULL)
			buf_addc(b, '\\');
		buf_addc(b, s[i]);
	}
}

static struct rel *
gen_parse(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct ectx cx;
	struct colset cs = { NULL, 0, 0 };
	struct buf re, b;
	struct sx src;
	const char **exprs, *pat, *text;
	size_t i, ncap = 0;
	ssize_t at;
	int first = 1;

	row_ctx(&cx, in, scope);
	if (gen_expr(g, &cx, op->e, &src) == -1)
		return NULL;
	text = sx_text(g, &src);
	/* The pattern as a regular expression: literals escaped, a column
	 * lazily matched (greedily when last), * skipping lazily.  Kusto's
	 * simple and relaxed kinds match from the start of the text. */
	buf_init(&re);
	if (op->parse_kind != 1)
		buf_adds(&re, "^");
	for (i = 0; i < op->nparts; i++) {
		struct kql_parsepart *pp = &op->parts[i];
		int last = i + 1 == op->nparts;

		if (pp->text != NULL) {
			/* kind=regex: the strings are regular expressions */
			if (op->parse_kind == 1)
				buf_printf(&re, "(?:%.*s)", (int)pp->len,
				    pp->text);
			else
				re_escape(&re, pp->text, pp->len);
		} else if (pp->name == NULL) {
			buf_adds(&re, last ? ".*" : ".*?");
		} else {
			/* kind=relaxed: any text, converted or null */
			switch (op->parse_kind == 2 ? KQL_T_STRING : pp->type) {
			case KQL_T_LONG:
			case KQL_T_INT:
				buf_adds(&re, "(-?\\d+)");
				break;
			case KQL_T_REAL:
			case KQL_T_DECIMAL:
				buf_adds(&re, "(-?\\d+(?:\\.\\d+)?(?:[eE]"
				    "[-+]?\\d+)?)");
				break;
			case KQL_T_BOOL:
				buf_adds(&re, "((?i:true|false))");
				break;
			default:
				buf_adds(&re, last ? "(.*)" : "(.*?)");
				break;
			}
			ncap++;
		}
	}
	if (op->parse_kind != 1)
		buf_adds(&re, "$");
	if (buf_failed(&re)) {
		buf_release(&re);
		oom(g);
		return NULL;
	}
	{
		char rerr[200];
		struct kql_re *cre = kql_re_compile(buf_str(&re), re.len, 0,
		    rerr, sizeof(rerr));

		if (cre == NULL) {
			buf_release(&re);
			gen_fail(g, op->pos, "bad parse pattern: %s", rerr);
			return NULL;
		}
		kql_re_free(cre);
	}
	pat = gen_param_text(g, kql_arena_strndup(g->a, buf_str(&re),
	    re.len), re.len);
	buf_release(&re);
	if (pat == NULL)
		return NULL;
	exprs = kql_arena_alloc(g->a, (in->ncols + op->nparts + 1) *
	    sizeof(*exprs));
	if (exprs == NULL) {
		oom(g);
		return NULL;
	}
	for (i = 0; i < in->ncols; i++) {
		if (colset_add(g, &cs, in->cols[i].name, in->cols[i].type) ==
		    NULL)
			return NULL;
		exprs[i] = col_ref(g, NULL, &in->cols[i]);
	}
	ncap = 0;
	for (i = 0; i < op->nparts; i++) {
		struct kql_parsepart *pp = &op->parts[i];
		const char *get, *conv;

		if (pp->name == NULL)
			continue;
		get = gen_fmt(g, "kql_extract(%s, %zu, %s)", pat, ++ncap, text);
		switch (pp->type) {
		case KQL_T_LONG:
		case KQL_T_INT:
			conv = gen_fmt(g, "kql_tolong(%s)", get);
			break;
		case KQL_T_REAL:
		case KQL_T_DECIMAL:
			conv = gen_fmt(g, "kql_toreal(%s)", get);
			break;
		case KQL_T_BOOL:
			conv = gen_fmt(g, "kql_tobool(%s)", get);
			break;
		case KQL_T_DATETIME:
			conv = gen_fmt(g, "kql_todatetime(%s)", get);
			break;
		case KQL_T_TIMESPAN:
			conv = gen_fmt(g, "kql_totimespan(%s)", get);
			break;
		case KQL_T_DYNAMIC:
			conv = gen_fmt(g, "kql_parse_json(%s)", get);
			break;
		default:
			conv = get;
			break;
		}
		if (conv == NULL)
			return NULL;
		at = colset_index(&cs, pp->name);
		if (at >= 0) {
			cs.v[at].type = pp->type;
			exprs[at] = conv;
		} else {
			if (colset_add(g, &cs, pp->name, pp->type) == NULL)
				return NULL;
			exprs[cs.n - 1] = conv;
		}
	}
	buf_init(&b);
	buf_adds(&b, "SELECT ");
	if (in->open) {
		buf_adds(&b, "*");
		first = 0;
	}
	for (i = in->open ? in->ncols : 0; i < cs.n; i++)
		select_item(&b, exprs[i], cs.v[i].sqlname, &first);
	buf_printf(&b, " FROM %s", in->from);
	if (op->parse_where)
		/* parse-where keeps only the rows that match */
		buf_printf(&b, " WHERE kql_regex_match(%s, %s)", text, pat);
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, in->open);
}

static struct rel *
gen_getschema(struct gen *g, struct rel *in, struct kql_op *op)
{
	struct colset cs = { NULL, 0, 0 };
	struct buf b;
	size_t i;

	if (needs_closed(g, in, op) == -1)
		return NULL;
	if (colset_add(g, &cs, "ColumnName", KQL_T_STRING) == NULL ||
	    colset_add(g, &cs, "ColumnOrdinal", KQL_T_INT) == NULL ||
	    colset_add(g, &cs, "DataType", KQL_T_STRING) == NULL ||
	    colset_add(g, &cs, "ColumnType", KQL_T_STRING) == NULL)
		return NULL;
	buf_init(&b);
	buf_adds(&b, "SELECT column1 AS \"ColumnName\", column2 AS "
	    "\"ColumnOrdinal\", column3 AS \"DataType\", column4 AS "
	    "\"ColumnType\" FROM (VALUES ");
	for (i = 0; i < in->ncols; i++) {
		static const char *const net[] = {
			[KQL_T_UNKNOWN] = "System.Object",
			[KQL_T_BOOL] = "System.SByte",
			[KQL_T_INT] = "System.Int32",
			[KQL_T_LONG] = "System.Int64",
			[KQL_T_REAL] = "System.Double",
			[KQL_T_DECIMAL] = "System.Data.SqlTypes.SqlDecimal",
			[KQL_T_STRING] = "System.String",
			[KQL_T_DATETIME] = "System.DateTime",
			[KQL_T_TIMESPAN] = "System.TimeSpan",
			[KQL_T_DYNAMIC] = "System.Object",
			[KQL_T_GUID] = "System.Guid"
		};
		const char *tn = kql_type_name(in->cols[i].type);

		buf_printf(&b, "%s(%s, %zu, %s, %s)", i > 0 ? ", " : "",
		    gen_param_text(g, in->cols[i].name,
		    strlen(in->cols[i].name)), i,
		    gen_param_text(g, net[in->cols[i].type],
		    strlen(net[in->cols[i].type])),
		    gen_param_text(g, tn, strlen(tn)));
	}
	buf_adds(&b, ")");
	if (in->ncols == 0) {
		gen_fail(g, op->pos, "getschema of a table without columns");
		buf_release(&b);
		return NULL;
	}
	return new_rel(g, new_cte(g, buf_done(g, &b)), &cs, 0);
}

static struct rel *
gen_serialize(struct gen *g, struct rel *in, struct kql_op *op,
    struct scope *scope)
{
	struct kql_op ext = *op;

	if (op->nitems == 0)
		return in;
	/* serialize x = row_number(): an extend where window functions
	 * are allowed; the row order is the input's. */
	ext.kind = KO_EXTEND;
	(void)scope;
	return gen_extend(g, in, &ext, scope);
}

static struct rel *
gen_op(struct gen *g, struct rel *in, struct kql_op *op, struct scope *scope)
{
	if (g->failed)
		return NULL;
	g->at = op->pos;
	switch (op->kind) {
	case KO_WHERE:
		return gen_where(g, in, op, scope);
	case KO_PROJECT:
		return gen_project(g, in, op, scope);
	case KO_EXTEND:
		return gen_extend(g, in, op, scope);
	case KO_PROJECT_AWAY:
	case KO_PROJECT_KEEP:
	case KO_PROJECT_REORDER:
	case KO_PROJECT_RENAME:
		return gen_project_names(g, in, op);
	case KO_SUMMARIZE:
		return gen_summarize(g, in, op, scope);
	case KO_SORT:
	case KO_TOP:
		return gen_sort(g, in, op, scope);
	case KO_TAKE:
	case KO_SAMPLE:
		return gen_take(g, in, op, scope);
	case KO_COUNT:
		return gen_count(g, in);
	case KO_DISTINCT:
		return gen_distinct(g, in, op, scope);
	case KO_JOIN:
	case KO_LOOKUP:
		return gen_join(g, in, op, scope);
	case KO_UNION:
		return gen_union(g, in, op, scope);
	case KO_MV_EXPAND:
		return gen_mv_expand(g, in, op, scope);
	case KO_PARSE:
		return gen_parse(g, in, op, scope);
	case KO_SERIALIZE:
		return gen_serialize(g, in, op, scope);
	case KO_AS:
	case KO_RENDER:
		return in;	/* names and charts do not change rows */
	case KO_GETSCHEMA:
		return gen_getschema(g, in, op);
	case KO_UNSUPPORTED:
		break;
	}
	gen_fail(g, op->pos, "'%s' is not supported by the local workspace",
	    op->name);
	return NULL;
}

/* ---- the statement ---- */

int
kql_translate(struct kql_arena *a, const struct kql_ast *q,
    const struct kql_catalog *cat, const struct kql_options *opt,
    struct kql_sql *out, char *err, size_t errsz)
{
	struct gen g;
	struct scope top;
	struct binding *b;
	struct rel *r;
	struct buf sql;
	size_t i;
	int first = 1;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	memset(&top, 0, sizeof(top));
	g.a = a;
	g.cat = cat;
	g.opt = opt;
	g.err = err;
	g.errsz = errsz;
	buf_init(&g.ctes);
	/* Room for every let up front: scopes share the array. */
	top.v = kql_arena_alloc(a, (q->nlets + 1) * sizeof(*top.v));
	top.cap = q->nlets + 1;
	if (top.v == NULL) {
		oom(&g);
		goto fail;
	}
	for (i = 0; i < q->nlets; i++) {
		b = scope_add(&g, &top, q->lets[i].name);
		if (b == NULL)
			goto fail;
		b->kind = q->lets[i].fn != NULL ? B_FN : B_LET;
		b->let = &q->lets[i];
		b->defscope = &top;
		/* Each let sees only those before it: a scope per let. */
		if (i + 1 < q->nlets) {
			struct scope *s = kql_arena_alloc(a, sizeof(*s));

			if (s == NULL) {
				oom(&g);
				goto fail;
			}
			*s = top;
			b->defscope = s;
			s->n = top.n - 1;
		}
	}
	r = gen_tab(&g, q->body, &top);
	if (r == NULL)
		goto fail;
	buf_init(&sql);
	if (g.ctes.len > 0)
		buf_printf(&sql, "WITH %s%s\n", g.recursive ? "RECURSIVE " :
		    "", buf_str(&g.ctes));
	buf_adds(&sql, "SELECT ");
	if (r->open) {
		buf_adds(&sql, "*");
	} else {
		for (i = 0; i < r->ncols; i++) {
			if (!first)
				buf_adds(&sql, ", ");
			first = 0;
			kql_sql_quote_ident(&sql, r->cols[i].sqlname);
		}
		if (r->ncols == 0)
			buf_adds(&sql, "*");
	}
	buf_printf(&sql, " FROM %s", r->from);
	out->sql = buf_done(&g, &sql);
	if (out->sql == NULL)
		goto fail;
	out->params = g.params;
	out->nparams = g.nparams;
	out->cols = r->cols;
	out->ncols = r->ncols;
	out->open = r->open;
	buf_release(&g.ctes);
	return 0;
fail:
	if (!g.failed)
		oom(&g);
	buf_release(&g.ctes);
	return -1;
}

int
kql_compile(struct kql_arena *a, const char *text, size_t len,
    const struct kql_catalog *cat, const struct kql_options *opt,
    struct kql_sql *out, char *err, size_t errsz)
{
	struct kql_ast q;

	if (kql_parse(a, text, len, &q, err, errsz) == -1)
		return -1;
	return kql_translate(a, &q, cat, opt, out, err, errsz);
}
