/*
 * ast: the parsed form of a KQL query.  The parser builds it and knows
 * nothing of SQL; the generator (sql.c) reads it and knows nothing of KQL
 * text.  Every node lives in the query's arena and records where it
 * started, so the generator can name the construct it cannot translate.
 */
#ifndef TRIAGE_KQL_AST_H
#define TRIAGE_KQL_AST_H

#include <stddef.h>
#include <stdint.h>

#include "kql/arena.h"

/* Kusto's scalar types.  KQL_T_UNKNOWN: not known until run time. */
enum kql_type {
	KQL_T_UNKNOWN = 0,
	KQL_T_BOOL,
	KQL_T_INT,
	KQL_T_LONG,
	KQL_T_REAL,
	KQL_T_DECIMAL,
	KQL_T_STRING,
	KQL_T_DATETIME,
	KQL_T_TIMESPAN,
	KQL_T_DYNAMIC,
	KQL_T_GUID
};

/* "string", "long", ...; "dynamic" for UNKNOWN. */
const char *kql_type_name(enum kql_type t);
/* The type a name (or alias: "double", "date", "time", "boolean",
 * "uniqueid") spells; -1 when none. */
int	 kql_type_parse(const char *s);

struct kql_pos {
	int	line;
	int	col;
};

enum kql_exk {
	KX_LIT,		/* a literal of type lit_type */
	KX_NAME,	/* a column or let name */
	KX_MEMBER,	/* a.name */
	KX_INDEX,	/* a[b] */
	KX_CALL,	/* name(args) */
	KX_NEG,		/* -a */
	KX_BINARY,	/* a op b */
	/* a op (args) or a op (tab): in, !in, in~, has_any... */
	KX_IN,
	KX_BETWEEN,	/* a between (b .. c); op says negated */
	KX_STAR,	/* * as a function argument */
	KX_TAB		/* a tabular expression in a scalar position */
};

enum kql_binop {
	KB_OR, KB_AND,
	KB_EQ, KB_NE, KB_LT, KB_LE, KB_GT, KB_GE,
	KB_EQ_CI, KB_NE_CI,
	KB_ADD, KB_SUB, KB_MUL, KB_DIV, KB_MOD,
	/* string operators; each has a negation and a _cs form */
	KB_HAS, KB_NHAS, KB_HAS_CS, KB_NHAS_CS,
	KB_CONTAINS, KB_NCONTAINS, KB_CONTAINS_CS, KB_NCONTAINS_CS,
	KB_STARTSWITH, KB_NSTARTSWITH, KB_STARTSWITH_CS, KB_NSTARTSWITH_CS,
	KB_ENDSWITH, KB_NENDSWITH, KB_ENDSWITH_CS, KB_NENDSWITH_CS,
	KB_HASPREFIX, KB_NHASPREFIX, KB_HASPREFIX_CS, KB_NHASPREFIX_CS,
	KB_HASSUFFIX, KB_NHASSUFFIX, KB_HASSUFFIX_CS, KB_NHASSUFFIX_CS,
	KB_MATCHES,	/* matches regex */
	KB_LIKE,	/* unused placeholder for wildcard matching */
	/* list operators (KX_IN) */
	KB_IN, KB_NIN, KB_IN_CI, KB_NIN_CI, KB_HAS_ANY, KB_HAS_ALL,
	/* KX_BETWEEN */
	KB_BETWEEN, KB_NBETWEEN
};

/* The operator's spelling, for messages. */
const char *kql_binop_name(enum kql_binop op);

struct kql_tab;

struct kql_expr {
	enum kql_exk	 kind;
	struct kql_pos	 pos;
	/* KX_LIT */
	enum kql_type	 lit_type;
	int		 lit_null;
	/* long, int, bool, datetime/timespan ticks */
	int64_t		 ival;
	double		 rval;
	const char	*sval;		/* string, guid, dynamic (JSON text) */
	size_t		 slen;
	/* KX_NAME, KX_MEMBER, KX_CALL */
	const char	*name;
	/* operands */
	enum kql_binop	 op;
	struct kql_expr	*a;
	struct kql_expr	*b;
	struct kql_expr	*c;
	struct kql_expr	**args;		/* KX_CALL, KX_IN */
	size_t		 nargs;
	size_t		 argcap;
	struct kql_tab	*tab;		/* KX_TAB; KX_IN with a tabular list */
};

/* name = expr, or a bare expr (name NULL). */
struct kql_named {
	const char	*name;
	struct kql_pos	 pos;
	struct kql_expr	*e;
	enum kql_type	 to_type;	/* mv-expand ... to typeof(T); parse */
	const char	**names;	/* (a, b) = expr: several names */
	size_t		 nnames;
};

struct kql_sortkey {
	struct kql_expr	*e;
	int		 asc;		/* Kusto's default is descending */
	int		 nulls_first;	/* -1: the default for the direction */
};

enum kql_joinkind {
	KJ_INNERUNIQUE, KJ_INNER, KJ_LEFTOUTER, KJ_RIGHTOUTER, KJ_FULLOUTER,
	KJ_LEFTSEMI, KJ_LEFTANTI, KJ_RIGHTSEMI, KJ_RIGHTANTI
};

/* One equality in a join's "on": left == right (same name when both
 * sides use it bare). */
struct kql_joincond {
	struct kql_pos	 pos;
	const char	*left;
	const char	*right;
};

/* One piece of a parse pattern: literal text, a column to capture, or *. */
struct kql_parsepart {
	const char	*text;		/* literal; NULL for a capture or * */
	size_t		 len;
	const char	*name;		/* capture */
	enum kql_type	 type;		/* capture type (string by default) */
	struct kql_pos	 pos;
};

enum kql_opk {
	KO_WHERE, KO_PROJECT, KO_PROJECT_AWAY, KO_PROJECT_KEEP,
	KO_PROJECT_RENAME, KO_PROJECT_REORDER, KO_EXTEND, KO_SUMMARIZE,
	KO_SORT, KO_TAKE, KO_TOP, KO_COUNT, KO_DISTINCT, KO_JOIN, KO_LOOKUP,
	KO_UNION, KO_MV_EXPAND, KO_PARSE, KO_SERIALIZE, KO_AS, KO_RENDER,
	KO_GETSCHEMA, KO_SAMPLE,
	KO_UNSUPPORTED	/* parsed but outside the subset: name says which */
};

struct kql_op {
	enum kql_opk		 kind;
	struct kql_pos		 pos;
	const char		*name;		/* operator word as written */
	/* where; take/top count; parse src */
	struct kql_expr		*e;
	/* project, extend, summarize... */
	struct kql_named	*items;
	size_t			 nitems;
	size_t			 itemcap;
	struct kql_named	*by;		/* summarize by */
	size_t			 nby;
	size_t			 bycap;
	struct kql_sortkey	*keys;		/* sort, top */
	size_t			 nkeys;
	size_t			 keycap;
	/* join / lookup */
	enum kql_joinkind	 join_kind;
	struct kql_tab		*right;
	struct kql_joincond	*conds;
	size_t			 nconds;
	size_t			 condcap;
	/* union */
	struct kql_tab		**tabs;
	size_t			 ntabs;
	size_t			 tabcap;
	const char		*withsource;
	int			 union_inner;	/* kind=inner */
	int			 isfuzzy;
	/* parse */
	/* 0 simple, 1 regex, 2 relaxed */
	int			 parse_kind;
	/* parse-where: drop non-matches */
	int			 parse_where;
	struct kql_parsepart	*parts;
	size_t			 nparts;
	size_t			 partcap;
	/* mv-expand */
	const char		*itemindex;
	int64_t			 limit;		/* mv-expand limit; -1: none */
	int			 bag_array;	/* bagexpansion=array */
	/* as */
	const char		*alias;
};

enum kql_srck {
	KS_NAME,	/* table or tabular let */
	KS_CALL,	/* function call: table("x"), a user function */
	KS_PAREN,	/* ( tab ) */
	KS_UNION,	/* union ... as the source */
	KS_DATATABLE,
	KS_PRINT,
	KS_RANGE,
	KS_UNSUPPORTED	/* externaldata, find, search, evaluate ... */
};

struct kql_coldef {
	const char	*name;
	enum kql_type	 type;
};

struct kql_tab {
	struct kql_pos		 pos;
	enum kql_srck		 src;
	/* KS_NAME, KS_CALL, KS_UNSUPPORTED */
	const char		*name;
	int			 wildcard;	/* KS_NAME with a * */
	struct kql_expr		**args;		/* KS_CALL; datatable values */
	size_t			 nargs;
	size_t			 argcap;
	struct kql_tab		*inner;		/* KS_PAREN */
	struct kql_op		*union_op;	/* KS_UNION */
	struct kql_coldef	*cols;		/* KS_DATATABLE */
	size_t			 ncols;
	size_t			 colcap;
	struct kql_named	*items;		/* KS_PRINT */
	size_t			 nitems;
	size_t			 itemcap;
	/* KS_RANGE: range x from a to b step c */
	const char		*range_col;
	struct kql_expr		*range_from, *range_to, *range_step;
	struct kql_op		*ops;
	size_t			 nops;
	size_t			 opcap;
};

struct kql_param {
	const char	*name;
	enum kql_type	 type;
	int		 tabular;	/* (T:(*)) */
	struct kql_expr	*dflt;
};

struct kql_let;

/* A user-defined function: let f = (params) { lets; body }. */
struct kql_lambda {
	struct kql_param	*params;
	size_t			 nparams;
	size_t			 paramcap;
	struct kql_let		*lets;
	size_t			 nlets;
	size_t			 letcap;
	struct kql_expr		*body;		/* scalar or KX_TAB */
};

struct kql_let {
	const char		*name;
	struct kql_pos		 pos;
	struct kql_expr		*value;		/* scalar, KX_NAME or KX_TAB */
	struct kql_lambda	*fn;		/* a function instead */
};

struct kql_ast {
	struct kql_let		*lets;
	size_t			 nlets;
	size_t			 letcap;
	struct kql_tab		*body;		/* NULL: only lets */
};

#endif
