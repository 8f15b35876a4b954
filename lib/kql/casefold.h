/*
 * casefold: Unicode simple case mapping for the case-insensitive KQL
 * operators (=~, in~, has, contains, startswith, ...) and tolower() /
 * toupper().  ASCII, Latin-1 Supplement, Latin Extended-A, basic Greek
 * and Cyrillic are mapped; every mapping keeps the UTF-8 length of the
 * character, so a folded string has the same byte offsets as the
 * original and matches found in one are matches in the other.  Other
 * characters (and malformed UTF-8) are left as they are.
 */
#ifndef TRIAGE_KQL_CASEFOLD_H
#define TRIAGE_KQL_CASEFOLD_H

#include <stddef.h>

enum kql_case { KQL_CASE_FOLD, KQL_CASE_LOWER, KQL_CASE_UPPER };

/* Maps n bytes of s into out (n bytes, not terminated). */
void	 kql_case_map(const char *s, size_t n, char *out, enum kql_case how);

/* Whether a and b (n bytes each) are equal ignoring case. */
int	 kql_case_eq(const char *a, const char *b, size_t n);

/* Compares a and b ignoring case, for a collation: <0, 0, >0. */
int	 kql_case_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
