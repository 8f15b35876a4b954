/*
 * lex: KQL text to tokens, each with its line and column (1-based, columns
 * counted in characters) so every later error can point at the construct.
 * Words that Kusto spells with punctuation ("project-away", "!has",
 * "in~", "!between") come out as single words; string literals come out
 * decoded; datetime(...), timespan(...)/time(...) and guid(...) come out
 * as one token holding the raw text between the parentheses, since their
 * contents ("2024-05-01 10:00") are not made of KQL tokens.
 */
#ifndef TRIAGE_KQL_LEX_H
#define TRIAGE_KQL_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "kql/arena.h"

enum kql_tok {
	KT_EOF,
	KT_WORD,	/* identifier, keyword or spelled operator */
	KT_STRING,
	KT_LONG,
	KT_REAL,
	KT_TIMESPAN,	/* ival: ticks */
	KT_RAWLIT,	/* text: raw contents; word: datetime, timespan, guid */
	KT_PIPE,	/* | */
	KT_LPAREN, KT_RPAREN, KT_LBRACK, KT_RBRACK, KT_LBRACE, KT_RBRACE,
	KT_COMMA, KT_SEMI, KT_COLON, KT_DOT, KT_DOTDOT,
	KT_ASSIGN,	/* = */
	KT_EQ,		/* == */
	KT_NE,		/* != or <> */
	KT_LT, KT_LE, KT_GT, KT_GE,
	KT_EQ_CI,	/* =~ */
	KT_NE_CI,	/* !~ */
	KT_PLUS, KT_MINUS, KT_STAR, KT_SLASH, KT_PERCENT,
	KT_ARROW,	/* => */
	KT_QUESTION	/* ? */
};

struct kql_token {
	enum kql_tok	 kind;
	int		 line;
	int		 col;
	const char	*text;	/* WORD, STRING (decoded), RAWLIT */
	size_t		 len;	/* length of text (strings may hold NUL) */
	const char	*word;	/* RAWLIT: which literal */
	int64_t		 ival;	/* LONG, TIMESPAN */
	double		 rval;	/* REAL */
	int		 space_before;	/* whitespace or a comment came first */
};

struct kql_tokens {
	struct kql_token	*v;
	size_t			 n;
	size_t			 cap;
};

/*
 * Splits text (len bytes) into tokens allocated from a, ending with
 * KT_EOF.  Returns 0, or -1 with a message "LINE:COL: what" in err
 * (errsz bytes).
 */
int	 kql_lex(struct kql_arena *a, const char *text, size_t len,
	    struct kql_tokens *out, char *err, size_t errsz);

/* A short description of a token for messages ("'where'", "end of
 * query"), written into out. */
const char *kql_tok_describe(const struct kql_token *t, char *out,
	    size_t outsz);

#endif
