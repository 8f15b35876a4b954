/*
 * call: one tools/call, the way triage-agent makes it.  The arguments are
 * checked against the tool's schema before anything runs; the tool's
 * program gets them on its standard input as one JSON line (never through
 * a shell); what it printed comes back within the tool's bounds, and a
 * failure comes back as a result with isError and the tool's own words,
 * so the model can correct itself.
 *
 * One program takes its input on the command line instead:
 * triage-fetch-incident is given the incident as its last argument, after
 * "--", and only once it has been checked to be an incident number or a
 * GUID, so nothing but digits, hex digits and dashes ever reaches argv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "incident.h"
#include "jsonx.h"
#include "log.h"
#include "mcp.h"

#define FETCH_PROGRAM	"triage-fetch-incident"
#define FETCH_ARG	"incident"

static char end_of_options[] = "--";

json_t *
call_result(const char *text, int is_error)
{
	json_t *r;

	r = json_pack("{s:[{s:s,s:o}],s:b}", "content", "type", "text",
	    "text", jx_string_lossy(text, strlen(text)), "isError", is_error);
	return r;
}

/* The tool runs triage-fetch-incident, which takes the incident in argv. */
static int
takes_incident_arg(const struct tool *t)
{
	const char *base;

	if (t->argv == NULL)
		return 0;
	base = strrchr(t->argv[0], '/');
	base = base != NULL ? base + 1 : t->argv[0];
	return strcmp(base, FETCH_PROGRAM) == 0;
}

/* One line on stderr for the person running the server; elapsed_ms < 0
 * when nothing ran. */
static void
log_call(const struct server *s, const struct tool *t, const char *prefix,
    const char *outcome, long elapsed_ms)
{
	struct buf b;
	size_t keep;

	if (s->quiet)
		return;
	buf_init(&b);
	/* The outcome may quote a tool's stderr, which may quote incident
	 * data: nothing in it may drive the terminal. */
	esc_term(&b, outcome, strlen(outcome), ESC_NL_SPACE);
	keep = esc_cut(buf_str(&b), b.len, 300, NULL);
	if (elapsed_ms >= 0)
		fprintf(stderr, "%s: %s: %s%.*s%s (%ld.%01ld s)\n",
		    log_progname(), t->name, prefix, (int)keep, buf_str(&b),
		    keep < b.len ? "..." : "", elapsed_ms / 1000,
		    elapsed_ms % 1000 / 100);
	else
		fprintf(stderr, "%s: %s: %s%.*s%s\n", log_progname(),
		    t->name, prefix, (int)keep, buf_str(&b),
		    keep < b.len ? "..." : "");
	buf_release(&b);
}

json_t *
call_check(const struct server *s, const struct tool *t,
    const json_t *args)
{
	char err[512], msg[768];
	const char *ref;

	if (tools_validate(t->input_schema, args, err, sizeof(err)) == -1) {
		snprintf(msg, sizeof(msg), "Invalid arguments for %s: %s. "
		    "Nothing was run; fix the arguments and call the tool "
		    "again.", t->name, err);
		log_call(s, t, "refused: ", msg, -1);
		return call_result(msg, 1);
	}
	if (takes_incident_arg(t)) {
		ref = jx_str(args, FETCH_ARG);
		if (ref == NULL || !incident_ref_parse(ref, NULL)) {
			snprintf(msg, sizeof(msg), "Invalid arguments for %s: "
			    "input.%s: expected an incident number such as "
			    "357335 or an incident GUID. Nothing was run.",
			    t->name, FETCH_ARG);
			log_call(s, t, "refused: ", msg, -1);
			return call_result(msg, 1);
		}
	}
	return NULL;
}

/*
 * What the model sees of an incident record, as triage-agent shows it to
 * its own model: without the originals ("raw") of the incident, its
 * alerts and its entities, which repeat what the normalised fields say and
 * would crowd the rest out of the bounds.  Other lines are kept as they
 * are.  Replaces r->out; leaves it alone when memory runs out.
 */
static void
incident_view(struct tool_run *r)
{
	const char *line = r->out, *end = r->out + r->out_len, *nl;
	struct buf b;
	json_t *rec;
	size_t n;
	char *view;

	buf_init(&b);
	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		n = nl != NULL ? (size_t)(nl - line) : (size_t)(end - line);
		rec = json_loadb(line, n, 0, NULL);
		if (json_is_object(rec) && jx_str(rec, "type") != NULL &&
		    strcmp(jx_str(rec, "type"), "incident") == 0) {
			incident_drop_raw(rec);
			jx_dump_buf(rec, &b, JSON_COMPACT);
		} else {
			buf_add(&b, line, n);
		}
		json_decref(rec);
		buf_addc(&b, '\n');
		line += n + 1;
	}
	n = b.len;
	view = buf_steal(&b);
	if (view != NULL) {
		free(r->out);
		r->out = view;
		r->out_len = n;
	}
}

json_t *
call_run(struct server *s, const struct tool *t, const json_t *args,
    atomic_int *cancelled)
{
	struct tool_run r;
	struct tool adapted;
	struct buf text;
	char summary[160], *bounded;
	char **argv = NULL;
	size_t n;
	int truncated = 0;
	json_t *result;

	memset(&r, 0, sizeof(r));
	r.tool = t;
	if (takes_incident_arg(t)) {
		/* call_check made sure of the reference. */
		for (n = 0; t->argv[n] != NULL; n++)
			continue;
		argv = calloc(n + 3, sizeof(*argv));
		if (argv == NULL)
			return call_result("out of memory", 1);
		memcpy(argv, t->argv, n * sizeof(*argv));
		argv[n] = end_of_options;
		argv[n + 1] = (char *)jx_str(args, FETCH_ARG);
		adapted = *t;
		adapted.argv = argv;
		r.tool = &adapted;
	}
	r.input = args;
	r.cancel = cancelled;
	if (tools_run_many(&r, 1) == -1 || r.out == NULL) {
		tool_run_release(&r);
		free(argv);
		return call_result("the tool could not be run: out of memory",
		    1);
	}
	free(argv);
	buf_init(&text);
	if (r.is_error) {
		buf_adds(&text, r.message != NULL ? r.message : "failed");
		log_call(s, t, "error: ", buf_str(&text), r.elapsed_ms);
	} else {
		if (takes_incident_arg(t))
			incident_view(&r);
		bounded = tools_bound_summary(r.out, r.out_len, &t->bounds,
		    &truncated, summary, sizeof(summary));
		if (bounded == NULL)
			buf_adds(&text, "(output lost: out of memory)");
		else if (bounded[0] == '\0')
			buf_adds(&text, "(no output)");
		else
			buf_adds(&text, bounded);
		free(bounded);
		/* A partial result (exit status 7) says what is missing. */
		if (r.message != NULL)
			buf_printf(&text, "\nnote: %s", r.message);
		if (truncated)
			strncat(summary, ", cut to the tool's bounds",
			    sizeof(summary) - strlen(summary) - 1);
		log_call(s, t, "", summary, r.elapsed_ms);
	}
	result = buf_failed(&text) ? call_result("out of memory", 1) :
	    call_result(buf_str(&text), r.is_error);
	buf_release(&text);
	tool_run_release(&r);
	return result;
}
