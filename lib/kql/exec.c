/*
 * exec: open read-only, load the catalog, lock the connection down,
 * translate, run, and shape the rows as a Log Analytics response.  The
 * workspace file is treated as hostile too: views and triggers are off,
 * the schema is not trusted, and only the tables the catalog names can
 * be read.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "isotime.h"
#include "jsonx.h"
#include "kql/catalog.h"
#include "kql/exec.h"
#include "kql/funcs.h"
#include "kql/parse.h"
#include "kql/sql.h"
#include "kql/time.h"

struct wstable {
	const char	*name;
	struct kql_col	*cols;
	size_t		 ncols;
	size_t		 cap;
};

struct kql_wscat {
	struct wstable	*v;
	size_t		 n;
	size_t		 cap;
};

static struct wstable *
ws_find(const struct kql_wscat *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}

static int
ws_table(void *ctx, const char *name, struct kql_arena *a,
    const char **sqltable, struct kql_col **cols, size_t *ncols)
{
	struct wstable *t = ws_find(ctx, name);

	(void)a;
	if (t == NULL)
		return 0;
	*sqltable = t->name;
	*cols = t->cols;
	*ncols = t->ncols;
	return 1;
}

static int
ws_list(void *ctx, struct kql_arena *a, const char ***names, size_t *n)
{
	struct kql_wscat *c = ctx;
	const char **v;
	size_t i;

	v = kql_arena_alloc(a, (c->n + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	for (i = 0; i < c->n; i++)
		v[i] = c->v[i].name;
	*names = v;
	*n = c->n;
	return 0;
}

int
kql_wscat_load(sqlite3 *db, struct kql_arena *a, struct kql_catalog *cat)
{
	struct kql_wscat *c;
	struct wstable *t = NULL;
	struct kql_col *col;
	sqlite3_stmt *st = NULL;
	const char *tbl;
	int rc, ty;

	c = kql_arena_alloc(a, sizeof(*c));
	if (c == NULL)
		return -1;
	rc = sqlite3_prepare_v2(db, "SELECT c.tbl, c.name, c.type, c.sqlname "
	    "FROM _kql_columns AS c JOIN sqlite_schema AS s ON s.name = c.tbl "
	    "AND s.type = 'table' ORDER BY c.tbl, c.ord", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tbl = (const char *)sqlite3_column_text(st, 0);
		if (tbl == NULL || !kql_table_name_ok(tbl) ||
		    sqlite3_column_text(st, 1) == NULL ||
		    sqlite3_column_text(st, 3) == NULL)
			continue;
		if (t == NULL || strcmp(t->name, tbl) != 0) {
			t = kql_arena_push(a, (void **)&c->v, &c->n, &c->cap,
			    sizeof(*t));
			if (t == NULL)
				goto fail;
			t->name = kql_arena_strdup(a, tbl);
			if (t->name == NULL)
				goto fail;
		}
		col = kql_arena_push(a, (void **)&t->cols, &t->ncols, &t->cap,
		    sizeof(*col));
		if (col == NULL)
			goto fail;
		col->name = kql_arena_strdup(a,
		    (const char *)sqlite3_column_text(st, 1));
		col->sqlname = kql_arena_strdup(a,
		    (const char *)sqlite3_column_text(st, 3));
		ty = sqlite3_column_text(st, 2) ? kql_type_parse(
		    (const char *)sqlite3_column_text(st, 2)) : -1;
		col->type = ty < 0 ? KQL_T_STRING : (enum kql_type)ty;
		if (col->name == NULL || col->sqlname == NULL)
			goto fail;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	memset(cat, 0, sizeof(*cat));
	cat->table = ws_table;
	cat->list = ws_list;
	cat->ctx = c;
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

static int
meta_get(sqlite3 *db, const char *key, char *out, size_t outsz)
{
	sqlite3_stmt *st;
	const char *v;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM _kql_meta WHERE key = ?",
	    -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (v = (const char *)sqlite3_column_text(st, 0)) != NULL) {
		snprintf(out, outsz, "%s", v);
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

int
kql_workspace_now(sqlite3 *db, const char *override, int64_t *now,
    struct buf *err)
{
	char v[64];

	if (override != NULL) {
		if (strcmp(override, "clock") == 0) {
			*now = iso_now();
			return 0;
		}
		if (kql_parse_datetime(override, now) == -1) {
			buf_printf(err, "bad --now time '%s'", override);
			return -1;
		}
		return 0;
	}
	if (db != NULL && meta_get(db, "now", v, sizeof(v)) &&
	    strcmp(v, "clock") != 0) {
		if (kql_parse_datetime(v, now) == -1) {
			buf_printf(err, "the workspace records a bad now '%s'",
			    v);
			return -1;
		}
		return 0;
	}
	*now = iso_now();
	return 0;
}

/* ---- the locked-down connection ---- */

struct guard {
	const struct kql_wscat	*cat;
	struct timespec		 deadline;
	int			 timed_out;
};

static int
authorize(void *ctx, int action, const char *a1, const char *a2,
    const char *a3, const char *a4)
{
	struct guard *g = ctx;

	(void)a3;
	(void)a4;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_READ:
		/* Only the workspace's own tables, and the translation's
		 * common table expressions ("_kql1" ...), which shadow any
		 * table of that name. */
		if (a1 == NULL)
			return SQLITE_DENY;
		if (ws_find(g->cat, a1) != NULL || strcmp(a1, "json_each") == 0)
			return SQLITE_OK;
		if (strncmp(a1, "_kql", 4) == 0 && a1[4] != '\0' &&
		    strspn(a1 + 4, "0123456789") == strlen(a1 + 4))
			return SQLITE_OK;
		return SQLITE_DENY;
	case SQLITE_FUNCTION:
		return a2 != NULL && kql_funcs_allowed(a2) ? SQLITE_OK :
		    SQLITE_DENY;
	default:
		/* No writes, no ATTACH, no PRAGMA, no transactions. */
		return SQLITE_DENY;
	}
}

static int
progress(void *ctx)
{
	struct guard *g = ctx;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > g->deadline.tv_sec ||
	    (now.tv_sec == g->deadline.tv_sec &&
	    now.tv_nsec >= g->deadline.tv_nsec)) {
		g->timed_out = 1;
		return 1;
	}
	return 0;
}

static sqlite3 *
open_ro(const char *path, struct buf *err, enum kql_exec_status *st)
{
	sqlite3 *db = NULL;
	struct stat sb;
	int rc, off = 0;

	if (stat(path, &sb) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		*st = errno == ENOENT ? KQL_EXEC_NOTFOUND : KQL_EXEC_FAIL;
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		buf_printf(err, "%s: not a regular file", path);
		*st = KQL_EXEC_FAIL;
		return NULL;
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "%s: %s", path, db ? sqlite3_errmsg(db) :
		    "cannot open");
		sqlite3_close(db);
		*st = KQL_EXEC_FAIL;
		return NULL;
	}
	/* The file is data, not code: no views, triggers or extensions
	 * from it, and nothing that could write. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &off);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 256 * 1024 * 1024);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 64 * 1024 * 1024);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int
bind_params(sqlite3_stmt *st, const struct kql_sql *sql)
{
	size_t i, max = (size_t)sqlite3_bind_parameter_count(st);
	int rc = SQLITE_OK;

	/* A literal the translation dropped (isnull("") is false) leaves
	 * its parameter unused; past the last one used there is no slot. */
	for (i = 0; i < sql->nparams && i < max && rc == SQLITE_OK; i++) {
		const struct kql_param_value *p = &sql->params[i];

		switch (p->kind) {
		case KQL_P_TEXT:
			rc = sqlite3_bind_text64(st, (int)i + 1, p->text ?
			    p->text : "", p->len, SQLITE_STATIC, SQLITE_UTF8);
			break;
		case KQL_P_INT:
			rc = sqlite3_bind_int64(st, (int)i + 1, p->ival);
			break;
		case KQL_P_REAL:
			rc = sqlite3_bind_double(st, (int)i + 1, p->rval);
			break;
		}
	}
	return rc;
}

/* One cell as Log Analytics sends it (azure-apis.md B.4). */
static json_t *
cell(sqlite3_stmt *st, int i, enum kql_type type, size_t *bytes, int raw)
{
	int t = sqlite3_column_type(st, i);
	const char *s;
	char buf[64];
	double d;

	*bytes += 8;
	if (raw) {
		switch (t) {
		case SQLITE_NULL:
			return json_null();
		case SQLITE_INTEGER:
			return json_integer(sqlite3_column_int64(st, i));
		case SQLITE_FLOAT:
			d = sqlite3_column_double(st, i);
			return isfinite(d) ? json_real(d) : json_string("NaN");
		default:
			s = (const char *)sqlite3_column_text(st, i);
			return jx_string_lossy(s ? s : "",
			    (size_t)sqlite3_column_bytes(st, i));
		}
	}
	if (t == SQLITE_NULL) {
		if (type == KQL_T_STRING || type == KQL_T_GUID)
			return json_string("");
		return json_null();
	}
	switch (type) {
	case KQL_T_LONG:
	case KQL_T_INT:
		if (t == SQLITE_INTEGER)
			return json_integer(sqlite3_column_int64(st, i));
		if (t == SQLITE_FLOAT) {
			d = sqlite3_column_double(st, i);
			return isfinite(d) && fabs(d) < 9.2e18 ?
			    json_integer((json_int_t)d) : json_null();
		}
		return json_null();
	case KQL_T_REAL:
	case KQL_T_DECIMAL:
		d = sqlite3_column_double(st, i);
		if (isnan(d))
			return json_string("NaN");
		if (isinf(d))
			return json_string(d > 0 ? "Infinity" : "-Infinity");
		return json_real(d);
	case KQL_T_BOOL:
		if (t == SQLITE_TEXT) {
			s = (const char *)sqlite3_column_text(st, i);
			return strcasecmp(s, "true") == 0 ? json_true() :
			    strcasecmp(s, "false") == 0 ? json_false() :
			    json_null();
		}
		return json_boolean(sqlite3_column_int64(st, i) != 0);
	case KQL_T_TIMESPAN:
		if (t != SQLITE_INTEGER)
			return json_null();
		kql_format_timespan(sqlite3_column_int64(st, i), buf,
		    sizeof(buf));
		*bytes += strlen(buf);
		return json_string(buf);
	case KQL_T_UNKNOWN:
		if (t == SQLITE_INTEGER)
			return json_integer(sqlite3_column_int64(st, i));
		if (t == SQLITE_FLOAT)
			return json_real(sqlite3_column_double(st, i));
		break;
	default:
		break;
	}
	/* string, guid, datetime, dynamic (serialised JSON, as Log
	 * Analytics sends it), and unknown text */
	s = (const char *)sqlite3_column_text(st, i);
	if (s == NULL)
		return json_null();
	*bytes += (size_t)sqlite3_column_bytes(st, i);
	return jx_string_lossy(s, (size_t)sqlite3_column_bytes(st, i));
}

static json_t *
partial_error(const char *inner)
{
	return json_pack("{s:s, s:s, s:[{s:s, s:s, s:{s:s, s:s, s:i, s:s}}]}",
	    "code", "PartialError",
	    "message", "There were some errors when processing your query.",
	    "details", "code", "EngineError",
	    "message", "Something went wrong processing your query on the "
	    "local workspace.",
	    "innererror", "code", "LocalLimit", "message", inner,
	    "severity", 2, "severityName", "Error");
}

/* A column whose type was unknown until now: what its values are. */
static const char *
infer_type(json_t *rows, size_t col)
{
	size_t i;
	json_t *row, *v;
	int ints = 0, reals = 0, strs = 0;

	json_array_foreach(rows, i, row) {
		v = json_array_get(row, col);
		if (json_is_integer(v))
			ints++;
		else if (json_is_real(v))
			reals++;
		else if (json_is_string(v))
			strs++;
	}
	if (strs > 0 || (ints == 0 && reals == 0))
		return "string";
	return reals > 0 ? "real" : "long";
}

/* Whether SQLite refused a statement for one of its size limits. */
static int
sqlite_limit(sqlite3 *db)
{
	const char *m = sqlite3_errmsg(db);

	return sqlite3_errcode(db) == SQLITE_TOOBIG ||
	    strstr(m, "stack overflow") != NULL ||
	    strstr(m, "too large") != NULL ||
	    strstr(m, "too many") != NULL ||
	    strstr(m, "too deep") != NULL;
}

/* Runs query (KQL), or hand-written SQL when handsql is set. */
static enum kql_exec_status
run(const char *path, const char *query, size_t len, const char *handsql,
    const struct kql_exec_opts *opts, json_t **response, struct buf *err)
{
	enum kql_exec_status status = KQL_EXEC_FAIL;
	struct kql_arena a;
	struct kql_catalog cat;
	struct kql_options topt;
	struct kql_sql sql;
	struct guard guard;
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	const char *tail;
	json_t *resp = NULL, *cols = NULL, *rows = NULL, *row, *table;
	int64_t now;
	size_t bytes = 0, nrows = 0, i;
	long max_rows;
	char msg[512];
	int rc, ncols;

	*response = NULL;
	kql_arena_init(&a, 256 * 1024 * 1024);
	db = open_ro(path, err, &status);
	if (db == NULL)
		goto out;
	if (kql_wscat_load(db, &a, &cat) == -1) {
		buf_printf(err, "%s: not a triage workspace (%s)", path,
		    sqlite3_errmsg(db));
		status = KQL_EXEC_FAIL;
		goto out;
	}
	if (kql_workspace_now(db, opts ? opts->now : NULL, &now, err) == -1) {
		status = KQL_EXEC_FAIL;
		goto out;
	}
	if (kql_funcs_register(db, now) != SQLITE_OK) {
		buf_printf(err, "cannot register functions: %s",
		    sqlite3_errmsg(db));
		goto out;
	}
	memset(&topt, 0, sizeof(topt));
	if (opts != NULL && opts->timespan != NULL) {
		/* like the API's timespan: TimeGenerated in the interval */
		if (iso_interval_parse(opts->timespan, now, &topt.range_start,
		    &topt.range_end) == -1) {
			buf_printf(err, "bad timespan '%s'", opts->timespan);
			status = KQL_EXEC_SYNTAX;
			goto out;
		}
		topt.has_range = 1;
	}
	if (handsql != NULL) {
		memset(&sql, 0, sizeof(sql));
		sql.sql = handsql;
	} else if (kql_compile(&a, query, len, &cat, &topt, &sql, msg,
	    sizeof(msg)) == -1) {
		buf_adds(err, msg);
		status = KQL_EXEC_SYNTAX;
		goto out;
	}
	memset(&guard, 0, sizeof(guard));
	guard.cat = cat.ctx;
	clock_gettime(CLOCK_MONOTONIC, &guard.deadline);
	guard.deadline.tv_sec += opts && opts->timeout_s > 0 ?
	    opts->timeout_s : KQL_EXEC_TIMEOUT_S;
	/* json_each declares its table on first use, which the authorizer
	 * would take for a schema change: let it do so now. */
	if (sqlite3_exec(db, "SELECT * FROM json_each('[]')", NULL, NULL,
	    NULL) != SQLITE_OK) {
		buf_printf(err, "json_each: %s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_set_authorizer(db, authorize, &guard);
	rc = sqlite3_prepare_v3(db, sql.sql, -1, 0, &st, &tail);
	if (rc != SQLITE_OK) {
		/*
		 * SQLite refused the translation: the query is beyond
		 * what the local engine can run (too long, too deep, or
		 * something the authorizer refuses), a query error.
		 */
		if (sqlite_limit(db))
			buf_printf(err, "the query is too large or complex "
			    "for the local workspace (SQLite: %s)",
			    sqlite3_errmsg(db));
		else
			buf_printf(err, "cannot prepare the query: %s",
			    sqlite3_errmsg(db));
		status = KQL_EXEC_SYNTAX;
		goto out;
	}
	/* One read-only statement, nothing after it. */
	while (tail != NULL && (*tail == ' ' || *tail == '\n' ||
	    *tail == '\t' || *tail == ';'))
		tail++;
	if (st == NULL || !sqlite3_stmt_readonly(st) ||
	    (tail != NULL && *tail != '\0')) {
		buf_adds(err, "the translated query is not one read-only "
		    "statement");
		goto out;
	}
	if (bind_params(st, &sql) != SQLITE_OK) {
		buf_printf(err, "cannot bind parameters: %s",
		    sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_progress_handler(db, 10000, progress, &guard);
	max_rows = opts && opts->max_rows > 0 && opts->max_rows <
	    KQL_EXEC_MAX_ROWS ? opts->max_rows : KQL_EXEC_MAX_ROWS;
	ncols = sqlite3_column_count(st);
	if (handsql != NULL) {
		/* hand-written: name the columns after SQLite's names */
		sql.cols = kql_arena_alloc(&a, ((size_t)ncols + 1) *
		    sizeof(*sql.cols));
		if (sql.cols == NULL)
			goto nomem;
		for (i = 0; i < (size_t)ncols; i++) {
			sql.cols[i].name = sqlite3_column_name(st, (int)i);
			sql.cols[i].type = KQL_T_UNKNOWN;
		}
		sql.ncols = (size_t)ncols;
	}
	if ((size_t)ncols != sql.ncols) {
		buf_printf(err, "the translated query has %d columns, not %zu",
		    ncols, sql.ncols);
		goto out;
	}
	rows = json_array();
	cols = json_array();
	resp = json_object();
	if (rows == NULL || cols == NULL || resp == NULL)
		goto nomem;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((long)nrows >= max_rows || bytes > KQL_EXEC_MAX_BYTES) {
			if ((long)nrows >= max_rows)
				snprintf(msg, sizeof(msg), "Query result set "
				    "has exceeded the limit of %ld rows; the "
				    "rows were cut short", max_rows);
			else
				snprintf(msg, sizeof(msg), "Query result set "
				    "has exceeded the limit of %ld bytes; the "
				    "rows were cut short", KQL_EXEC_MAX_BYTES);
			json_object_set_new(resp, "error", partial_error(msg));
			break;
		}
		row = json_array();
		if (row == NULL)
			goto nomem;
		for (i = 0; i < (size_t)ncols; i++)
			json_array_append_new(row, cell(st, (int)i,
			    sql.cols[i].type, &bytes, opts && opts->raw));
		if (json_array_append_new(rows, row) == -1)
			goto nomem;
		nrows++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		if (guard.timed_out)
			buf_printf(err, "the query ran out of time (%ld s)",
			    opts && opts->timeout_s > 0 ? opts->timeout_s :
			    (long)KQL_EXEC_TIMEOUT_S);
		else
			buf_printf(err, "query failed: %s",
			    sqlite3_errmsg(db));
		/* the query's own fault: a query error */
		status = strncmp(sqlite3_errmsg(db), "bad regular", 11) == 0 ||
		    strncmp(sqlite3_errmsg(db), "range: ", 7) == 0 ?
		    KQL_EXEC_SYNTAX : KQL_EXEC_FAIL;
		if (guard.timed_out)
			status = KQL_EXEC_TIMEOUT;
		json_decref(resp);
		resp = NULL;
		goto out;
	}
	for (i = 0; i < sql.ncols; i++)
		json_array_append_new(cols, json_pack("{s:s, s:s}", "name",
		    sql.cols[i].name, "type", sql.cols[i].type ==
		    KQL_T_UNKNOWN ? infer_type(rows, i) :
		    kql_type_name(sql.cols[i].type)));
	table = json_pack("{s:s, s:O, s:O}", "name", "PrimaryResult",
	    "columns", cols, "rows", rows);
	if (table == NULL)
		goto nomem;
	json_object_set_new(resp, "tables", json_pack("[o]", table));
	*response = resp;
	resp = NULL;
	status = KQL_EXEC_OK;
	goto out;
nomem:
	buf_adds(err, "out of memory");
	status = KQL_EXEC_FAIL;
out:
	json_decref(resp);
	json_decref(rows);
	json_decref(cols);
	sqlite3_finalize(st);
	sqlite3_close(db);
	kql_arena_release(&a);
	return status;
}

enum kql_exec_status
kql_exec(const char *path, const char *query, size_t len,
    const struct kql_exec_opts *opts, json_t **response, struct buf *err)
{
	return run(path, query, len, NULL, opts, response, err);
}

enum kql_exec_status
kql_exec_sql(const char *path, const char *sql,
    const struct kql_exec_opts *opts, json_t **response, struct buf *err)
{
	struct kql_exec_opts o;

	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	o.raw = 1;
	return run(path, "", 0, sql, &o, response, err);
}
