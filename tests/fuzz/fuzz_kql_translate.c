/*
 * fuzz_kql_translate: the local workspace's front half over arbitrary
 * text: lexer, parser and SQL translator (against a catalog with one
 * known table and open unknown ones), the regular expression compiler
 * and matcher, Kusto's has, and the time parsers.  No I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kql/arena.h"
#include "kql/funcs.h"
#include "kql/parse.h"
#include "kql/regex.h"
#include "kql/sql.h"
#include "kql/time.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kql_col cols[] = {
	{ "TimeGenerated", KQL_T_DATETIME, "TimeGenerated" },
	{ "Name", KQL_T_STRING, "Name" },
	{ "N", KQL_T_LONG, "N" },
	{ "D", KQL_T_DYNAMIC, "D" },
	{ "B", KQL_T_BOOL, "B" },
};

static int
table(void *ctx, const char *name, struct kql_arena *a,
    const char **sqltable, struct kql_col **c, size_t *n)
{
	(void)ctx;
	(void)a;
	if (strcmp(name, "T") != 0)
		return 0;
	*sqltable = "T";
	*c = cols;
	*n = sizeof(cols) / sizeof(cols[0]);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kql_arena a;
	struct kql_catalog cat;
	struct kql_sql out;
	struct kql_re *re;
	char err[512], *s;
	long caps[64];
	int64_t t;

	memset(&cat, 0, sizeof(cat));
	cat.table = table;
	cat.open_unknown = 1;
	kql_arena_init(&a, 64 * 1024 * 1024);
	kql_compile(&a, (const char *)data, size, &cat, NULL, &out, err,
	    sizeof(err));
	kql_arena_release(&a);

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	re = kql_re_compile(s, strlen(s), 0, err, sizeof(err));
	if (re != NULL && kql_re_ngroups(re) < 31)
		kql_re_search(re, s, size, 0, caps);
	kql_re_free(re);
	if (size > 1)
		kql_has_term(s, size / 2, s + size / 2, size - size / 2, 0);
	kql_parse_datetime(s, &t);
	kql_parse_timespan(s, &t);
	free(s);
	return 0;
}
