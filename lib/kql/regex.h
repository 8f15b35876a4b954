/*
 * regex: the regular expressions of KQL (matches regex, extract, parse,
 * trim, replace_regex).  Kusto uses RE2 syntax; this is a Pike VM over
 * that syntax, so matching takes time linear in the text whatever the
 * pattern (no backtracking: a hostile pattern cannot hang a query), and
 * alternation prefers the left branch as RE2 does.  Supported: literals,
 * ., classes ([a-z], [^...], [[:alpha:]], \d \w \s and negations), groups
 * (capturing, (?:...), (?P<name>...), (?<name>...)), * + ? {n,m} and their
 * lazy forms, | ^ $ \A \z \b \B, and the flags (?i) (?s) (?m).  Input is
 * UTF-8; case folding is ASCII.  Backreferences and lookaround are not
 * RE2 either and are errors.
 */
#ifndef TRIAGE_KQL_REGEX_H
#define TRIAGE_KQL_REGEX_H

#include <stddef.h>

#define KQL_RE_MAX_PATTERN	4096	/* bytes */
#define KQL_RE_MAX_PROGRAM	20000	/* instructions */

struct kql_re;

/*
 * Compiles pattern (len bytes).  Returns a new matcher, or NULL with a
 * message in err (errsz bytes).  icase: case-insensitive.
 */
struct kql_re	*kql_re_compile(const char *pattern, size_t len, int icase,
		    char *err, size_t errsz);
void		 kql_re_free(struct kql_re *re);
/* Capturing groups in the pattern (group 0, the match, not counted). */
int		 kql_re_ngroups(const struct kql_re *re);
/*
 * Searches s[start, len) for the leftmost match.  caps holds
 * 2 * (ngroups + 1) byte offsets into s: start and end of the match and
 * of each group, -1 when a group did not take part.  Returns 1 on a
 * match, 0 on none, -1 when memory runs out.
 */
int		 kql_re_search(const struct kql_re *re, const char *s,
		    size_t len, size_t start, long *caps);

#endif
