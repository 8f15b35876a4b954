/*
 * sql: a parsed KQL query (kql/ast.h) to one SQLite statement.  Each pipe
 * stage becomes a common table expression selecting from the one before,
 * so the statement reads in the order the query does; SQLite flattens the
 * chain when it plans the query.  Every literal from the query is a bound
 * parameter (?N), and every identifier is quoted, so no query text can
 * change the statement's shape.  Types are tracked statically from the
 * workspace's schema, which is how "==" knows it compares datetimes and
 * "+" knows it adds a timespan.  No I/O: the catalog callbacks supply the
 * schema.
 */
#ifndef TRIAGE_KQL_SQL_H
#define TRIAGE_KQL_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "kql/arena.h"
#include "kql/ast.h"

/* A column of a relation: its Kusto name and type, and the name SQL uses
 * for it (the same unless two names differ only in case, which SQLite
 * would confuse). */
/* Common table expressions one statement may hold. */
#define KQL_MAX_STAGES	1000

struct kql_col {
	const char	*name;
	enum kql_type	 type;
	const char	*sqlname;
};

/* What the translator knows of the workspace. */
struct kql_catalog {
	/*
	 * Fills *cols and *ncols (allocated from a) with the columns of
	 * table name, and *sqltable with its SQL name.  1 when found, 0
	 * when not, -1 on error (out of memory).
	 */
	int	(*table)(void *ctx, const char *name, struct kql_arena *a,
		    const char **sqltable, struct kql_col **cols,
		    size_t *ncols);
	/*
	 * Lists every table name (for "union Security*"); NULL when the
	 * catalog cannot list.  0 or -1.
	 */
	int	(*list)(void *ctx, struct kql_arena *a, const char ***names,
		    size_t *n);
	void	*ctx;
	/*
	 * Unknown tables and functions become relations whose columns are
	 * found as they are used, so a query over an ASIM parser or a table
	 * the workspace lacks still translates (for --sql); the SQL cannot
	 * run.  Off: an unknown table is an error.
	 */
	int	 open_unknown;
};

struct kql_options {
	int	 has_range;	/* limit every table's TimeGenerated */
	int64_t	 range_start;	/* ticks, inclusive */
	int64_t	 range_end;	/* ticks, exclusive */
};

enum kql_param_kind { KQL_P_TEXT, KQL_P_INT, KQL_P_REAL };

struct kql_param_value {
	enum kql_param_kind	 kind;
	const char		*text;
	size_t			 len;
	int64_t			 ival;
	double			 rval;
};

struct kql_sql {
	const char		*sql;		/* one statement */
	struct kql_param_value	*params;	/* ?1 is params[0] */
	size_t			 nparams;
	struct kql_col		*cols;		/* the result's columns */
	size_t			 ncols;
	int			 open;		/* more columns than known */
};

/*
 * Translates q into out (allocated from a).  Returns 0, or -1 with
 * "LINE:COL: what" in err: a construct outside the supported subset, an
 * unknown table or column, or a type error.
 */
int	 kql_translate(struct kql_arena *a, const struct kql_ast *q,
	    const struct kql_catalog *cat, const struct kql_options *opt,
	    struct kql_sql *out, char *err, size_t errsz);

/* Parses and translates text in one step (kql_parse, kql_translate). */
int	 kql_compile(struct kql_arena *a, const char *text, size_t len,
	    const struct kql_catalog *cat, const struct kql_options *opt,
	    struct kql_sql *out, char *err, size_t errsz);

/* Appends s as a quoted SQL identifier ("a""b") to b. */
struct buf;
void	 kql_sql_quote_ident(struct buf *b, const char *s);

#endif
