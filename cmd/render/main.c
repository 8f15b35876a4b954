/*
 * render: turn the record stream into what people read: a markdown brief
 * (the default), one JSON document for SOAR and ticket systems, an HTML
 * page, a Teams or Slack card, or with --queue a table of incidents.
 *
 * The whole stream is read before anything is written, so a malformed
 * line ends the run with EXIT_DATA and no output at all; a line that is
 * JSON but for raw invalid UTF-8 or an integer beyond 64 bits is taken,
 * with a warning (lenient.c).  Each incident
 * record starts a new document (records before the first belong to it);
 * with -o each document becomes its own file, written atomically (never
 * replacing anything), the brief first and its JSON sidecar last, so a
 * sidecar (what marks an incident triaged) never lacks its brief.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "escape.h"
#include "file.h"
#include "isotime.h"
#include "jsonfix.h"
#include "jsonx.h"
#include "ndjson.h"
#include "render.h"

static const char synopsis[] =
    "triage-render [-O] [-f format] [-o dir] [--no-defang] [--now time] "
    "[--queue]";

static const char help_text[] =
"usage: triage-render [-O] [-f format] [-o dir] [--no-defang] [--now time]\n"
"                     [--queue]\n"
"\n"
"Read triage records (NDJSON) on stdin and write the brief: one document\n"
"per incident, on stdout or as files.\n"
"\n"
"  -f, --format format  markdown (default), json, html, teams or slack\n"
"  -o, --output-dir dir write each document to\n"
"                       dir/YYYYMMDD-HHMMSS-incident-N.EXT, with a .json\n"
"                       sidecar; the path goes to stderr\n"
"  -O, --save           the same, in $TRIAGE_OUTPUT_DIR (default: output)\n"
"      --no-defang      leave indicators as they are (default: hxxps, [.])\n"
"      --now time       the time to use as now (ISO-8601; default\n"
"                       $TRIAGE_NOW, else the clock)\n"
"      --queue          print incident_summary records as a table\n"
"                       (-f markdown for a markdown table)\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"Exit status: 0 done, 1 failure, 2 usage, 3 bad input.\n";

/* What has been rendered, waiting for the end of the stream. */
struct output {
	struct buf	 main;		/* the document in the chosen format */
	struct buf	 side;		/* the JSON sidecar (with -o) */
	struct doc	*doc;		/* kept for HTML on stdout */
	char		*stem;		/* "incident-357335" */
};

struct run {
	struct render_opts	 o;
	const char		*dir;		/* NULL: stdout */
	int			 queue;
	int			 queue_md;
	struct output		*outs;
	size_t			 nouts;
	size_t			 cap;
	struct bundle		 cur;
	int			 open;		/* cur holds records */
	json_t			*summaries;	/* --queue */
};

static const char *
format_ext(enum format f)
{
	switch (f) {
	case FMT_MARKDOWN:
		return ".md";
	case FMT_JSON:
		return ".json";
	case FMT_HTML:
		return ".html";
	case FMT_TEAMS:
		return ".teams.json";
	case FMT_SLACK:
		return ".slack.json";
	}
	return ".txt";
}

static void
dump_json(struct buf *b, json_t *v, size_t flags)
{
	if (jx_dump_buf(v, b, flags) == -1)
		cli_die(EXIT_FAIL, "out of memory");
	buf_addc(b, '\n');
}

/* Renders the bundle being gathered, if any, and starts a new one. */
static void
flush_bundle(struct run *r)
{
	struct output *out;
	json_t *jd;

	if (!r->open)
		return;
	bundle_finish(&r->cur);
	if (r->nouts == r->cap) {
		r->cap = r->cap == 0 ? 4 : r->cap * 2;
		r->outs = xrealloc(r->outs, r->cap * sizeof(*r->outs));
	}
	out = &r->outs[r->nouts++];
	memset(out, 0, sizeof(*out));
	buf_init(&out->main);
	buf_init(&out->side);
	out->doc = build_doc(&r->cur, &r->o);
	out->stem = xstrdup(out->doc->stem);
	if (r->o.format == FMT_JSON || r->dir != NULL) {
		jd = json_document(&r->cur, &r->o);
		dump_json(r->o.format == FMT_JSON ? &out->main : &out->side,
		    jd, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		json_decref(jd);
	}
	switch (r->o.format) {
	case FMT_MARKDOWN:
		md_render(&out->main, out->doc);
		break;
	case FMT_HTML:
		if (r->dir != NULL)
			html_render(&out->main, &out->doc, 1);
		break;
	case FMT_TEAMS:
		teams_render(&out->main, out->doc);
		break;
	case FMT_SLACK:
		slack_render(&out->main, out->doc);
		break;
	case FMT_JSON:
		break;
	}
	if (buf_failed(&out->main) || buf_failed(&out->side))
		cli_die(EXIT_FAIL, "out of memory");
	if (r->o.format != FMT_HTML || r->dir != NULL) {
		doc_free(out->doc);
		out->doc = NULL;
	}
	bundle_release(&r->cur);
	bundle_init(&r->cur);
	r->open = 0;
}

static int
incident_key_differs(const json_t *inc, const json_t *brief)
{
	const json_t *bi = json_object_get(brief, "incident");
	long long a = jx_int(inc, "number", -1), b = jx_int(bi, "number", -1);
	const char *ia = jx_nstr(inc, "id"), *ib = jx_nstr(bi, "id");

	if (a >= 0 && b >= 0)
		return a != b;
	if (ia != NULL && ib != NULL)
		return strcmp(ia, ib) != 0;
	return 0;
}

static void
take(struct run *r, json_t *rec)
{
	const char *type = jx_type(rec);

	if (r->queue) {
		if (type != NULL && strcmp(type, "incident_summary") == 0)
			json_array_append(r->summaries, rec);
		return;
	}
	if (type == NULL)
		return;
	/* A new incident, or a brief about another one, starts a new
	 * document. */
	if (r->open && r->cur.incident != NULL && ((strcmp(type,
	    "incident") == 0) || (strcmp(type, "brief") == 0 &&
	    incident_key_differs(r->cur.incident, rec))))
		flush_bundle(r);
	else if (r->open && r->cur.brief != NULL &&
	    strcmp(type, "incident") == 0 &&
	    incident_key_differs(rec, r->cur.brief))
		flush_bundle(r);
	if (bundle_add(&r->cur, rec))
		r->open = 1;
}

/* Reads the stream; dies with EXIT_DATA at the first bad line. */
static void
read_stream(struct run *r)
{
	struct ndjson_reader rd;
	struct buf msg, fixed;
	unsigned nbad, nbig;
	size_t len;
	char *line;
	json_t *rec;

	ndjson_init(&rd, stdin, "<stdin>");
	buf_init(&fixed);
	while ((line = ndjson_getline(&rd, &len)) != NULL) {
		jsonfix_escapes(line, len);
		rec = ndjson_parse(&rd, line, len);
		/* One bad value should not cost the brief: a second try
		 * with bad bytes and huge integers made harmless. */
		if (rec == NULL && lenient_fix(line, len, &fixed, &nbad,
		    &nbig) == 0 && nbad + nbig > 0 &&
		    (rec = json_loadb(fixed.data, fixed.len, JSON_DECODE_ANY,
		    NULL)) != NULL) {
			rd.failed = 0;
			if (nbad > 0)
				cli_warn("%s:%zu: %u byte%s of invalid UTF-8 or "
				    "raw control characters shown as U+FFFD", rd.source, rd.line,
				    nbad, nbad == 1 ? "" : "s");
			if (nbig > 0)
				cli_warn("%s:%zu: %u integer%s beyond 64 bits "
				    "kept as text", rd.source, rd.line, nbig,
				    nbig == 1 ? "" : "s");
		}
		if (rec != NULL && !json_is_object(rec)) {
			json_decref(rec);
			rec = NULL;
			snprintf(rd.error, sizeof(rd.error),
			    "%s:%zu: expected a JSON object", rd.source,
			    rd.line);
		}
		if (rec == NULL) {
			/* Jansson quotes the input: keep it off the tty. */
			buf_init(&msg);
			esc_term(&msg, rd.error, strlen(rd.error), 0);
			cli_die(EXIT_DATA, "%s", buf_str(&msg));
		}
		take(r, rec);
		json_decref(rec);
	}
	if (rd.failed)
		cli_die(EXIT_FAIL, "%s", rd.error);
	ndjson_release(&rd);
	buf_release(&fixed);
	flush_bundle(r);
}

/* Writes data to path, never replacing a file.  0, or -1 (errno). */
static int
write_new(const char *path, const struct buf *data)
{
	struct afile af;
	int saved;

	if (afile_open(&af, path, 0600, AFILE_NO_REPLACE) == -1)
		return -1;
	errno = 0;
	if (data->len > 0 && fwrite(data->data, 1, data->len, af.fp) !=
	    data->len) {
		saved = errno != 0 ? errno : EIO;
		afile_abort(&af);
		errno = saved;
		return -1;
	}
	return afile_commit(&af);
}

/*
 * A run killed mid-write leaves its hidden temporary file behind
 * (".20261128-091500-incident-5.md.tmp.Ab12Cd"); those of our own naming
 * that are older than STALE_SECS go, so a directory a timer writes into
 * for months does not fill with them.  A younger one may belong to a run
 * still writing.
 */
#define STALE_SECS	3600
#define STALE_PATTERN	".[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-" \
			"[0-9][0-9][0-9][0-9][0-9][0-9]-*.tmp.??????"

static void
sweep_stale(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	time_t now;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	now = time(NULL);
	while ((de = readdir(d)) != NULL) {
		if (fnmatch(STALE_PATTERN, de->d_name, FNM_PERIOD) != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    now - st.st_mtime > STALE_SECS)
			unlink(path);
	}
	closedir(d);
}

static void
write_files(struct run *r)
{
	char ts[32], base[PATH_MAX], mainp[PATH_MAX],
	    sidep[PATH_MAX];
	const char *ext = format_ext(r->o.format);
	struct output *out;
	int64_t y, z;
	unsigned mo, d;
	long secs;
	size_t i;
	int n, saved;

	if (file_mkdirs(r->dir, 0700) == -1 && errno != EEXIST)
		cli_die(EXIT_FAIL, "cannot create '%s': %s", r->dir,
		    strerror(errno));
	sweep_stale(r->dir);
	z = r->o.now / TICKS_PER_SEC;
	y = z / 86400 - (z % 86400 < 0);
	secs = (long)(z - y * 86400);
	iso_civil_from_days(y, &y, &mo, &d);
	snprintf(ts, sizeof(ts), "%04lld%02u%02u-%02ld%02ld%02ld",
	    (long long)y, mo, d, secs / 3600, secs / 60 % 60, secs % 60);
	for (i = 0; i < r->nouts; i++) {
		out = &r->outs[i];
		for (n = 1; n < 1000; n++) {
			if (n == 1)
				snprintf(base, sizeof(base), "%s/%s-%s", r->dir,
				    ts, out->stem);
			else
				snprintf(base, sizeof(base), "%s/%s-%s-%d",
				    r->dir, ts, out->stem, n);
			if (snprintf(mainp, sizeof(mainp), "%s%s", base, ext) >=
			    (int)sizeof(mainp) - 8)
				cli_die(EXIT_FAIL, "%s: the path is too long",
				    r->dir);
			snprintf(sidep, sizeof(sidep), "%s.json", base);
			if (write_new(mainp, &out->main) == -1) {
				if (errno == EEXIST)
					continue;
				cli_die(EXIT_FAIL, "cannot write '%s': %s",
				    mainp, strerror(errno));
			}
			if (r->o.format == FMT_JSON ||
			    write_new(sidep, &out->side) == 0)
				break;
			/* The sidecar marks the incident triaged, so it comes
			 * last, and a brief whose sidecar cannot be written
			 * goes too: taken (a stray sidecar), try the next
			 * name. */
			saved = errno;
			unlink(mainp);
			if (saved != EEXIST)
				cli_die(EXIT_FAIL, "cannot write '%s': %s",
				    sidep, strerror(saved));
		}
		if (n == 1000)
			cli_die(EXIT_FAIL, "cannot find a free name for '%s'",
			    base);
		fprintf(stderr, "%s\n", mainp);
	}
}

static void
write_stdout(struct run *r)
{
	struct doc **docs;
	struct buf page;
	size_t i;

	if (r->o.format == FMT_HTML) {
		docs = xcalloc(r->nouts, sizeof(*docs));
		for (i = 0; i < r->nouts; i++)
			docs[i] = r->outs[i].doc;
		buf_init(&page);
		html_render(&page, docs, r->nouts);
		if (buf_failed(&page))
			cli_die(EXIT_FAIL, "out of memory");
		fwrite(page.data, 1, page.len, stdout);
		buf_release(&page);
		free(docs);
		return;
	}
	for (i = 0; i < r->nouts; i++) {
		if (i > 0 && r->o.format == FMT_MARKDOWN)
			fputc('\n', stdout);
		fwrite(buf_str(&r->outs[i].main), 1, r->outs[i].main.len,
		    stdout);
	}
}

static int
parse_format(const char *s, enum format *f)
{
	static const struct {
		const char *name;
		enum format f;
	} names[] = {
		{ "markdown", FMT_MARKDOWN }, { "md", FMT_MARKDOWN },
		{ "json", FMT_JSON }, { "html", FMT_HTML },
		{ "teams", FMT_TEAMS }, { "slack", FMT_SLACK },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*f = names[i].f;
			return 0;
		}
	return -1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "format",     required_argument, NULL, 'f' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "save",       no_argument,       NULL, 'O' },
		{ "no-defang",  no_argument,       NULL, 'D' },
		{ "now",        required_argument, NULL, 'N' },
		{ "queue",      no_argument,       NULL, 'Q' },
		{ "help",       no_argument,       NULL, 'h' },
		{ "version",    no_argument,       NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *now = NULL;
	int c, format_given = 0, save = 0;
	struct run r;
	size_t i;

	cli_init(argc, argv);
	memset(&r, 0, sizeof(r));
	r.o.format = FMT_MARKDOWN;
	r.o.defang = 1;
	while ((c = getopt_long(argc, argv, "f:o:OhV", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'f':
			if (parse_format(optarg, &r.o.format) == -1) {
				cli_warn("unknown format '%s'", optarg);
				cli_usage(synopsis);
			}
			format_given = 1;
			break;
		case 'o':
			if (*optarg == '\0')
				cli_usage(synopsis);
			r.dir = optarg;
			break;
		case 'O':
			save = 1;
			break;
		case 'D':
			r.o.defang = 0;
			break;
		case 'N':
			now = optarg;
			break;
		case 'Q':
			r.queue = 1;
			break;
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		default:
			cli_usage(synopsis);
		}
	}
	if (optind != argc)
		cli_usage(synopsis);
	if (save && r.dir == NULL)
		r.dir = config_get_or("TRIAGE_OUTPUT_DIR", "output");
	if (now == NULL)
		now = config_get("TRIAGE_NOW");
	if (now == NULL)
		r.o.now = iso_now();
	else if (iso_parse(now, &r.o.now) == -1) {
		cli_warn("invalid time '%s' (want ISO-8601)", now);
		cli_usage(synopsis);
	}
	if (r.queue) {
		if (r.dir != NULL || (format_given &&
		    r.o.format != FMT_MARKDOWN)) {
			cli_warn("--queue writes a table on stdout: text, or "
			    "markdown with -f markdown");
			cli_usage(synopsis);
		}
		r.queue_md = format_given;
		r.summaries = json_array();
	}
	bundle_init(&r.cur);
	read_stream(&r);
	if (r.queue) {
		queue_render(stdout, r.summaries, &r.o, r.queue_md);
		json_decref(r.summaries);
	} else if (r.nouts == 0)
		cli_die(EXIT_DATA, "<stdin>: no records to render (an "
		    "incident, brief, enrichment, technique or error record)");
	else if (r.dir != NULL)
		write_files(&r);
	else
		write_stdout(&r);
	for (i = 0; i < r.nouts; i++) {
		buf_release(&r.outs[i].main);
		buf_release(&r.outs[i].side);
		doc_free(r.outs[i].doc);
		free(r.outs[i].stem);
	}
	free(r.outs);
	bundle_release(&r.cur);
	return cli_exit(EXIT_OK);
}
