/*
 * kql: run a KQL query against a workspace and write the rows.
 *
 * The query comes from the command line or from stdin: the whole input
 * as one query, or, when the first non-blank line is a JSON object, one
 * request per line ({"query", "timespan", "max_rows"}) answered in order,
 * which is how the agent calls us.  The workspace is Azure Log Analytics
 * (live.c) or, when one is named, a local SQLite workspace (local.c);
 * either answers in the Log Analytics response shape and output.c writes
 * it.  "triage-kql import ..." belongs to the local workspace (import.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "file.h"
#include "http.h"
#include "isotime.h"
#include "jsonx.h"
#include "live.h"
#include "log.h"
#include "ndjson.h"
#include "output.h"
#include "rawresp.h"
#include "term.h"

#define MAX_QUERY	(1u << 20)	/* bytes of KQL we accept */

static const char synopsis[] =
    "triage-kql [-f format] [-n rows] [-t timespan] [--timeout sec]\n"
    "           [--workspace-id id | -w file] [--now time] [--sql] "
    "[query]\n"
    "       triage-kql import ...";

static const char help_text[] =
"usage: triage-kql [options] [QUERY]\n"
"       triage-kql import ...\n"
"\n"
"Run a KQL query against Azure Log Analytics, or a local workspace, and\n"
"write the rows.  Without QUERY the query is read from stdin: the whole\n"
"input is one query, unless the first line is a JSON object; then each\n"
"line is a request, {\"query\": \"...\", \"timespan\": \"P7D\", "
"\"max_rows\": 50},\n"
"answered in order.\n"
"\n"
"Options:\n"
"  -f, --format FORMAT    ndjson (one object per row; the default), json,\n"
"                         table or csv\n"
"  -n, --max-rows N       write at most N rows (0: all); the result says\n"
"                         how many there were\n"
"  -t, --timespan SPAN    limit the query to an ISO-8601 duration (P7D)\n"
"                         or interval (START/END, START/DURATION)\n"
"      --timeout SEC      let a query run at most SEC seconds (default\n"
"                         180, local or live)\n"
"      --workspace-id ID  the Log Analytics workspace id (a GUID; default\n"
"                         $LOG_ANALYTICS_WORKSPACE_ID)\n"
"  -w, --workspace FILE   query a local workspace instead (default\n"
"                         $TRIAGE_WORKSPACE)\n"
"      --now TIME         the local workspace's idea of now (ISO-8601)\n"
"      --sql              print the SQL a query translates to; run nothing\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage, 3 bad query or request,\n"
"4 service failed, 5 credentials, 6 workspace not found, 7 partial "
"result.\n"
"See triage-kql(1) for the environment and the output formats.\n";

enum {
	OPT_TIMEOUT = 256,
	OPT_WORKSPACE_ID,
	OPT_NOW,
	OPT_SQL
};

/* What every query of this run shares. */
struct run {
	enum output_format	 format;
	long			 max_rows;
	const char		*timespan;
	long			 timeout_s;
	const char		*workspace_id;	/* live */
	const char		*db;		/* local */
	const char		*now;
	int			 sql;
	int			 status;	/* the exit status so far */
};

static void
note_status(struct run *r, int code)
{
	/* The first real failure decides; a partial result only when
	 * nothing failed outright. */
	if (code == EXIT_OK)
		return;
	if (r->status == EXIT_OK || (r->status == EXIT_PARTIAL &&
	    code != EXIT_PARTIAL))
		r->status = code;
}

static int
exit_code(enum kql_status st)
{
	switch (st) {
	case KQL_OK:
		return EXIT_OK;
	case KQL_SYNTAX:
		return EXIT_DATA;
	case KQL_AUTH:
		return EXIT_AUTH;
	case KQL_NOTFOUND:
		return EXIT_NOTFOUND;
	case KQL_UPSTREAM:
		return EXIT_UPSTREAM;
	default:
		return EXIT_FAIL;
	}
}

static const char *
error_code(enum kql_status st)
{
	switch (st) {
	case KQL_SYNTAX:
		return "bad_query";
	case KQL_AUTH:
		return "auth";
	case KQL_NOTFOUND:
		return "not_found";
	case KQL_UPSTREAM:
		return "upstream";
	default:
		return "failed";
	}
}

/*
 * "triage-kql: " and a message that may span lines and quote hostile
 * text (the API echoes the query), made safe for a terminal.
 */
static void
say(const char *prefix, const char *text)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", log_progname(), prefix);
	term_put_safe(stderr, text, 1);
	putc('\n', stderr);
}

/* Reports a failed query on stderr and, in JSON, on stdout too. */
static int
fail(struct run *r, const char *where, const char *code, int status,
    const char *message, const json_t *detail)
{
	struct buf b;

	buf_init(&b);
	if (where != NULL)
		buf_printf(&b, "%s: ", where);
	buf_adds(&b, message);
	say("", buf_str(&b));
	buf_release(&b);
	if (r->format == OUTPUT_JSON &&
	    output_error(stdout, code, message, detail) == -1)
		cli_die(EXIT_FAIL, "cannot write the result: %s",
		    strerror(errno));
	note_status(r, status);
	return status;
}

static int
print_sql(struct run *r, const struct kql_query *q, const char *where)
{
	struct buf sql, err;
	enum kql_status st;
	int rc;

	buf_init(&sql);
	buf_init(&err);
	st = local_translate(q, &sql, &err);
	if (st == KQL_OK) {
		fwrite(buf_str(&sql), 1, sql.len, stdout);
		if (sql.len == 0 || sql.data[sql.len - 1] != '\n')
			putc('\n', stdout);
		rc = EXIT_OK;
	} else
		rc = fail(r, where, error_code(st), exit_code(st),
		    buf_str(&err), NULL);
	buf_release(&sql);
	buf_release(&err);
	return rc;
}

/* Runs one query and writes its result.  Returns its exit status. */
static int
answer(struct run *r, const struct kql_query *q, const char *where)
{
	struct output_summary sum;
	struct raw_response raw;
	json_t *response = NULL, *detail = NULL;
	struct buf err, desc;
	enum kql_status st;
	int rc, wrote;
	char pre[80];

	/* Neither backend can take a query that is not UTF-8 (a JSON body
	 * cannot carry it): say so, not "out of memory". */
	response = json_string(q->query);
	if (response == NULL)
		return fail(r, where, error_code(KQL_SYNTAX),
		    exit_code(KQL_SYNTAX), "the query is not valid UTF-8", NULL);
	json_decref(response);
	response = NULL;
	if (r->sql)
		return print_sql(r, q, where);
	snprintf(pre, sizeof(pre), "%s%s", where != NULL ? where : "",
	    where != NULL ? ": " : "");
	buf_init(&err);
	memset(&raw, 0, sizeof(raw));
	if (r->db != NULL) {
		st = local_query(r->db, q, r->now, &response, &err);
		if (st == KQL_OK && output_check(response, &err) == -1)
			st = KQL_FAIL;
	} else
		st = live_query(r->workspace_id, q, &raw, &err, &detail);
	if (st == KQL_OK) {
		wrote = response != NULL ? output_result(stdout, response,
		    r->format, q->max_rows, &sum) : output_raw(stdout, &raw,
		    r->format, q->max_rows, &sum, &err);
		if (wrote == -1)
			cli_die(EXIT_FAIL, "cannot write the result: %s",
			    strerror(errno));
		if (wrote == -2)
			st = KQL_UPSTREAM;
	}
	if (st != KQL_OK) {
		rc = fail(r, where, error_code(st), exit_code(st),
		    err.len > 0 ? buf_str(&err) : "the query failed", detail);
		goto out;
	}
	rc = EXIT_OK;
	if (sum.truncated && r->format != OUTPUT_JSON &&
	    r->format != OUTPUT_TABLE)
		cli_warn("%swrote %zu of %zu rows (max rows %ld)", pre,
		    sum.returned_rows, sum.row_count, q->max_rows);
	if (sum.other_tables > 0)
		cli_warn("%sthe response held %zu more table%s, left out", pre,
		    sum.other_tables, sum.other_tables == 1 ? "" : "s");
	if (sum.partial_error != NULL) {
		buf_init(&desc);
		output_describe_error(&desc, sum.partial_error);
		say("warning: partial result; the service reported:\n",
		    buf_str(&desc));
		buf_release(&desc);
		rc = EXIT_PARTIAL;
	}
	note_status(r, rc);
out:
	json_decref(detail);
	json_decref(response);
	raw_response_release(&raw);
	buf_release(&err);
	return rc;
}

/* Checks a timespan; 0 or -1. */
static int
valid_timespan(const char *s)
{
	int64_t a, b;

	return iso_interval_parse(s, iso_now(), &a, &b);
}

static int
is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* One JSON request line: its fields checked, then answered. */
static void
request(struct run *r, struct ndjson_reader *rd, const char *line,
    size_t len)
{
	struct kql_query q;
	json_t *req, *v;
	char where[64];

	req = ndjson_parse(rd, line, len);
	if (req == NULL)
		cli_die(EXIT_DATA, "%s", rd->error);
	snprintf(where, sizeof(where), "%s:%zu", rd->source, rd->line);
	if (!json_is_object(req)) {
		json_decref(req);
		cli_die(EXIT_DATA, "%s: expected an object", where);
	}
	memset(&q, 0, sizeof(q));
	q.query = jx_str(req, "query");
	q.timespan = r->timespan;
	q.max_rows = r->max_rows;
	q.timeout_s = r->timeout_s;
	if (q.query == NULL || is_blank(q.query) ||
	    strlen(q.query) != json_string_length(json_object_get(req,
	    "query"))) {
		fail(r, where, "bad_request", EXIT_DATA,
		    "expected a \"query\" string holding KQL", NULL);
		goto out;
	}
	v = json_object_get(req, "timespan");
	if (v != NULL && !json_is_null(v)) {
		q.timespan = json_string_value(v);
		if (q.timespan == NULL || valid_timespan(q.timespan) == -1) {
			fail(r, where, "bad_request", EXIT_DATA,
			    "\"timespan\" must be an ISO-8601 duration (P7D) "
			    "or interval (START/END)", NULL);
			goto out;
		}
	}
	v = json_object_get(req, "max_rows");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			fail(r, where, "bad_request", EXIT_DATA,
			    "\"max_rows\" must be a whole number, 0 or more",
			    NULL);
			goto out;
		}
		q.max_rows = json_integer_value(v) > 1000000000 ?
		    1000000000 : (long)json_integer_value(v);
	}
	answer(r, &q, where);
out:
	json_decref(req);
}

/* The query or requests on stdin. */
static void
from_stdin(struct run *r)
{
	struct ndjson_reader rd;
	struct kql_query q;
	struct buf text;
	char *line, *rest = NULL;
	size_t len, rest_len = 0, i;

	ndjson_init(&rd, stdin, "<stdin>");
	line = ndjson_getline(&rd, &len);
	if (line == NULL) {
		if (rd.failed)
			cli_die(EXIT_FAIL, "%s", rd.error);
		cli_warn("no query: give one as an argument or on stdin");
		cli_usage(synopsis);
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (line[i] == '{') {
		do
			request(r, &rd, line, len);
		while ((line = ndjson_getline(&rd, &len)) != NULL);
		if (rd.failed)
			cli_die(EXIT_FAIL, "%s", rd.error);
		ndjson_release(&rd);
		return;
	}
	/* Raw KQL: this line and everything after it, as it is. */
	buf_init(&text);
	buf_add(&text, line, len);
	buf_addc(&text, '\n');
	ndjson_release(&rd);
	if (file_read_fp(stdin, MAX_QUERY, &rest, &rest_len) == -1)
		cli_die(errno == EFBIG ? EXIT_DATA : EXIT_FAIL,
		    "<stdin>: %s", errno == EFBIG ? "the query is longer "
		    "than 1 MiB" : strerror(errno));
	buf_add(&text, rest, rest_len);
	free(rest);
	if (buf_failed(&text))
		cli_die(EXIT_FAIL, "out of memory");
	if (text.len > MAX_QUERY)
		cli_die(EXIT_DATA, "<stdin>: the query is longer than 1 MiB");
	if (strlen(buf_str(&text)) != text.len)
		cli_die(EXIT_DATA, "<stdin>: the query holds a NUL byte");
	memset(&q, 0, sizeof(q));
	q.query = buf_str(&text);
	q.timespan = r->timespan;
	q.max_rows = r->max_rows;
	q.timeout_s = r->timeout_s;
	answer(r, &q, NULL);
	buf_release(&text);
}

/* Picks the backend: the command line, then the environment. */
static void
choose_workspace(struct run *r, const char *opt_db, const char *opt_id)
{
	const char *from = "--workspace-id";
	const char *cred;

	if (opt_db != NULL && opt_id != NULL) {
		cli_warn("give --workspace or --workspace-id, not both");
		cli_usage(synopsis);
	}
	r->db = opt_db;
	r->workspace_id = opt_id;
	if (r->db == NULL && r->workspace_id == NULL) {
		r->db = config_get("TRIAGE_WORKSPACE");
		if (r->db == NULL) {
			r->workspace_id = config_get(
			    "LOG_ANALYTICS_WORKSPACE_ID");
			from = "LOG_ANALYTICS_WORKSPACE_ID";
		}
	}
	if (r->sql)
		return;		/* translation needs no workspace */
	if (r->db == NULL && r->workspace_id == NULL)
		cli_die(EXIT_USAGE, "no workspace: set "
		    "LOG_ANALYTICS_WORKSPACE_ID (or give --workspace-id) for "
		    "Azure Log Analytics, or TRIAGE_WORKSPACE (or give "
		    "--workspace FILE) for a local workspace");
	if (r->workspace_id != NULL && !live_valid_workspace(r->workspace_id))
		cli_die(EXIT_USAGE, "%s '%.80s' is not a workspace id: "
		    "expected the workspace's GUID (its customerId, as in "
		    "00000000-0000-0000-0000-000000000000), not its name",
		    from, r->workspace_id);
	if (r->db == NULL && r->now != NULL)
		cli_die(EXIT_USAGE, "--now applies to a local workspace only");
	cred = config_get("TRIAGE_AZURE_CREDENTIAL");
	if (r->db == NULL && cred != NULL && strcmp(cred, "env") != 0 &&
	    strcmp(cred, "workload") != 0 && strcmp(cred, "managed") != 0 &&
	    strcmp(cred, "cli") != 0)
		cli_die(EXIT_USAGE, "TRIAGE_AZURE_CREDENTIAL '%.40s' is not "
		    "one of env, workload, managed, cli", cred);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",         no_argument,       NULL, 'h' },
		{ "version",      no_argument,       NULL, 'V' },
		{ "format",       required_argument, NULL, 'f' },
		{ "max-rows",     required_argument, NULL, 'n' },
		{ "timespan",     required_argument, NULL, 't' },
		{ "timeout",      required_argument, NULL, OPT_TIMEOUT },
		{ "workspace-id", required_argument, NULL, OPT_WORKSPACE_ID },
		{ "workspace",    required_argument, NULL, 'w' },
		{ "now",          required_argument, NULL, OPT_NOW },
		{ "sql",          no_argument,       NULL, OPT_SQL },
		{ NULL, 0, NULL, 0 }
	};
	struct run r;
	struct kql_query q;
	const char *opt_db = NULL, *opt_id = NULL;
	int64_t ticks;
	int c;

	cli_init(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return cli_exit(kql_import_main(argc - 1, argv + 1));
	memset(&r, 0, sizeof(r));
	r.format = OUTPUT_NDJSON;
	while ((c = getopt_long(argc, argv, "hVf:n:t:w:", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'f':
			if (output_parse_format(optarg, &r.format) == -1) {
				cli_warn("invalid --format '%s': expected "
				    "ndjson, json, table or csv", optarg);
				cli_usage(synopsis);
			}
			break;
		case 'n':
			r.max_rows = cli_number("--max-rows", optarg, 0,
			    1000000000);
			break;
		case 't':
			if (valid_timespan(optarg) == -1) {
				cli_warn("invalid --timespan '%s': expected an "
				    "ISO-8601 duration (P7D) or interval "
				    "(START/END)", optarg);
				cli_usage(synopsis);
			}
			r.timespan = optarg;
			break;
		case OPT_TIMEOUT:
			r.timeout_s = cli_number("--timeout", optarg, 1, 86400);
			break;
		case OPT_WORKSPACE_ID:
			opt_id = optarg;
			break;
		case 'w':
			opt_db = optarg;
			break;
		case OPT_NOW:
			if (iso_parse(optarg, &ticks) == -1) {
				cli_warn("invalid --now '%s': expected an "
				    "ISO-8601 time", optarg);
				cli_usage(synopsis);
			}
			r.now = optarg;
			break;
		case OPT_SQL:
			r.sql = 1;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1) {
		cli_warn("one query at a time (quote it: triage-kql "
		    "'SecurityAlert | take 5')");
		cli_usage(synopsis);
	}
	if (argc == 1 && is_blank(argv[0]))
		cli_die(EXIT_USAGE, "the query is empty");
	choose_workspace(&r, opt_db, opt_id);
	if (!r.sql && r.db == NULL && http_global_init() == -1)
		cli_die(EXIT_FAIL, "cannot initialise libcurl");
	if (argc == 1) {
		memset(&q, 0, sizeof(q));
		q.query = argv[0];
		q.timespan = r.timespan;
		q.max_rows = r.max_rows;
		q.timeout_s = r.timeout_s;
		answer(&r, &q, NULL);
	} else
		from_stdin(&r);
	if (!r.sql && r.db == NULL) {
		live_release();
		http_global_cleanup();
	}
	return cli_exit(r.status);
}
