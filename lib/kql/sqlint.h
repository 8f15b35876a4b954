/*
 * sqlint: the SQL generator's shared state, between sql.c (tabular
 * operators) and sqlexpr.c (scalar expressions and the function table).
 * Not part of the library's interface.
 */
#ifndef TRIAGE_KQL_SQLINT_H
#define TRIAGE_KQL_SQLINT_H

#include <stdarg.h>

#include "buf.h"
#include "kql/ast.h"
#include "kql/sql.h"

/* A relation: what FROM names, and its columns. */
struct rel {
	const char	*from;		/* quoted SQL name: a table or a CTE */
	struct kql_col	*cols;
	size_t		 ncols;
	int		 open;		/* columns beyond these may exist */
	const char	*table;		/* the Kusto table name, if one */
	const char	*sorted_from;	/* made by sort: its input ... */
	const char	*sorted_by;	/* ... and ORDER BY, for take */
};

enum bind_kind { B_LET, B_FN, B_PARAM };

struct scope;

/* A name bound by let, or a function parameter bound to an argument. */
struct binding {
	const char		*name;
	enum bind_kind		 kind;
	const struct kql_let	*let;		/* B_LET, B_FN */
	struct scope		*defscope;	/* where it was defined */
	struct kql_expr		*arg;		/* B_PARAM: the argument */
	struct scope		*argscope;	/* ... and where it is read */
	enum kql_type		 ptype;		/* B_PARAM: declared type */
	struct rel		*memo;		/* a tabular value, compiled */
	int			 busy;		/* being compiled: a cycle */
};

struct scope {
	struct binding	*v;
	size_t		 n;
	size_t		 cap;
	struct scope	*parent;
};

/* A compiled scalar expression. */
struct sx {
	const char	*sql;
	enum kql_type	 type;
	int		 nonnull;	/* never NULL (strings, literals) */
	int		 is_const;	/* no column in it */
	int		 is_agg;	/* holds an aggregate */
	/* A dynamic value reached by a path: sql is (jbase -> jpath); the
	 * scalar form is (jbase ->> jpath). */
	const char	*jbase;
	const char	*jpath;
	const struct kql_expr *lit;	/* the literal it came from */
};

/* Names defined earlier in the same extend, visible to later items. */
struct pending {
	const char	*name;
	struct sx	 v;
};

/* Where an expression is compiled. */
struct ectx {
	struct rel	*rel;		/* row context; NULL: none */
	const char	*qual;		/* column qualifier ("l."), or NULL */
	struct scope	*scope;
	int		 agg;		/* aggregates allowed (summarize) */
	int		 in_agg;	/* inside an aggregate's arguments */
	struct pending	*pend;
	size_t		 npend;
	int		 window;	/* row_number() and prev() allowed */
};

struct gen {
	struct kql_arena		*a;
	const struct kql_catalog	*cat;
	const struct kql_options	*opt;
	struct buf			 ctes;
	int				 ncte;
	struct kql_param_value		*params;
	size_t				 nparams;
	size_t				 paramcap;
	char				*err;
	size_t				 errsz;
	int				 failed;
	int				 depth;
	int				 recursive;	/* WITH RECURSIVE */
	/* the operator at hand */
	struct kql_pos			 at;
};

/* sql.c */
int		 gen_fail(struct gen *g, struct kql_pos pos, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
const char	*gen_fmt(struct gen *g, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*gen_ident(struct gen *g, const char *name);
const char	*gen_param_text(struct gen *g, const char *s, size_t len);
const char	*gen_param_int(struct gen *g, int64_t v);
const char	*gen_param_real(struct gen *g, double v);
struct rel	*gen_tab(struct gen *g, struct kql_tab *tab,
		    struct scope *scope);
struct rel	*gen_tab_expr(struct gen *g, struct kql_expr *e,
		    struct scope *scope);
struct binding	*scope_find(struct scope *s, const char *name);
const struct kql_col *rel_find(const struct rel *r, const char *name);
int		 is_tabular_expr(struct gen *g, struct kql_expr *e,
		    struct scope *scope);

/* sqlexpr.c */
int		 gen_expr(struct gen *g, struct ectx *cx, struct kql_expr *e,
		    struct sx *out);
const char	*sx_text(struct gen *g, const struct sx *v);
const char	*sx_scalar(struct gen *g, const struct sx *v);
const char	*sx_json(struct gen *g, const struct sx *v);
const char	*sx_bool(struct gen *g, const struct sx *v);
/* The column name Kusto gives an unnamed expression, or NULL. */
const char	*expr_default_name(struct gen *g, const struct kql_expr *e);
int		 is_aggregate_call(const struct kql_expr *e);
int		 expr_to_long(struct gen *g, struct ectx *cx,
		    struct kql_expr *e, int64_t *v);
int		 wildcard_match(const char *pat, const char *s);

#endif
