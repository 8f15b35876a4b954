/*
 * catalog: the bundled table schemas.  Table names are checked before
 * they become file names, so a query cannot read outside the directory.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kql/catalog.h"

int
kql_table_name_ok(const char *s)
{
	const char *p;

	if (*s == '\0' || (*s >= '0' && *s <= '9') ||
	    strncasecmp(s, "sqlite_", 7) == 0 || strncasecmp(s, "_kql", 4) == 0)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return p - s <= 128;
}

json_t *
kql_dircat_columns(const char *dir, const char *table, char *err,
    size_t errsz)
{
	char path[4096];
	json_error_t je;
	json_t *root, *cols, *c;
	size_t i;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (dir == NULL || !kql_table_name_ok(table))
		return NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.json", dir, table) >=
	    sizeof(path))
		return NULL;
	root = json_load_file(path, 0, &je);
	if (root == NULL) {
		if (err != NULL && je.line > 0)
			snprintf(err, errsz, "%s:%d: %s", path, je.line,
			    je.text);
		return NULL;
	}
	cols = json_object_get(root, "columns");
	if (!json_is_array(cols)) {
		if (err != NULL)
			snprintf(err, errsz, "%s: no \"columns\" array", path);
		json_decref(root);
		return NULL;
	}
	json_array_foreach(cols, i, c) {
		if (!json_is_string(json_object_get(c, "name")) ||
		    !json_is_string(json_object_get(c, "type")) ||
		    kql_type_parse(json_string_value(json_object_get(c,
		    "type"))) < 0) {
			if (err != NULL)
				snprintf(err, errsz, "%s: column %zu needs a "
				    "name and a known type", path, i + 1);
			json_decref(root);
			return NULL;
		}
	}
	json_incref(cols);
	json_decref(root);
	return cols;
}

static int
dir_table(void *ctx, const char *name, struct kql_arena *a,
    const char **sqltable, struct kql_col **cols, size_t *ncols)
{
	json_t *jc, *c;
	struct kql_col *v;
	size_t i, j, n;

	jc = kql_dircat_columns(ctx, name, NULL, 0);
	if (jc == NULL)
		return 0;
	n = json_array_size(jc);
	v = kql_arena_alloc(a, (n + 1) * sizeof(*v));
	*sqltable = kql_arena_strdup(a, name);
	if (v == NULL || *sqltable == NULL) {
		json_decref(jc);
		return -1;
	}
	json_array_foreach(jc, i, c) {
		v[i].name = kql_arena_strdup(a, json_string_value(
		    json_object_get(c, "name")));
		v[i].type = (enum kql_type)kql_type_parse(json_string_value(
		    json_object_get(c, "type")));
		v[i].sqlname = v[i].name;
		if (v[i].name == NULL) {
			json_decref(jc);
			return -1;
		}
		/* the import renames a name differing only in case */
		for (j = 0; j < i; j++)
			if (strcasecmp(v[j].sqlname, v[i].name) == 0)
				v[i].sqlname = NULL;
		if (v[i].sqlname == NULL) {
			char buf[300];

			snprintf(buf, sizeof(buf), "%s~%zu", v[i].name, i + 1);
			v[i].sqlname = kql_arena_strdup(a, buf);
			if (v[i].sqlname == NULL) {
				json_decref(jc);
				return -1;
			}
		}
	}
	json_decref(jc);
	*cols = v;
	*ncols = n;
	return 1;
}

void
kql_dircat_init(struct kql_catalog *cat, const char *dir, int open_unknown)
{
	memset(cat, 0, sizeof(*cat));
	cat->table = dir_table;
	cat->ctx = (void *)(uintptr_t)dir;
	cat->open_unknown = open_unknown;
}
