/*
 * parse: KQL text to an AST (kql/ast.h) by recursive descent over the
 * token stream of kql/lex.h.  The parser accepts more of KQL than the
 * SQL generator translates (make-series, evaluate, mv-apply ...), so that
 * an unsupported construct is reported by name and position rather than
 * as a syntax error.  No I/O; nothing outlives the arena.
 */
#ifndef TRIAGE_KQL_PARSE_H
#define TRIAGE_KQL_PARSE_H

#include <stddef.h>

#include "kql/arena.h"
#include "kql/ast.h"

/* Deepest nesting of parentheses and operators the parser follows. */
#define KQL_MAX_DEPTH	200

/*
 * Parses len bytes of text into q, allocating from a.  Returns 0, or -1
 * with "LINE:COL: what" in err (errsz bytes).
 */
int	 kql_parse(struct kql_arena *a, const char *text, size_t len,
	    struct kql_ast *q, char *err, size_t errsz);

#endif
