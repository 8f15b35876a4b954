/*
 * jsonfix: lets a JSON text that Jansson would refuse for one string escape
 * through.  Windows strings are UTF-16 and may hold a lone surrogate, which
 * an exporter writes as "\ud800"; hostile data may hold "\u0000".  Both are
 * valid JSON syntax but Jansson rejects them, which would cost a whole
 * record.  Record strings are UTF-8 with bad input as U+FFFD
 * (docs/records.md), so that is what they become here.
 */
#ifndef TRIAGE_JSONFIX_H
#define TRIAGE_JSONFIX_H

#include <stddef.h>

/*
 * Rewrites, in place, every "\u0000" and every \uD800-\uDFFF escape that is
 * not part of a high-low pair inside a JSON string to "\uFFFD" (the same
 * length).  Anything else, escapes outside strings included, is left for
 * the parser to judge.  Returns the number of escapes rewritten.
 */
size_t	 jsonfix_escapes(char *s, size_t n);

#endif
