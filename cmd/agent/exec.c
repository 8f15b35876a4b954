/*
 * exec: one turn's tool calls, for the model loop and the playbook alike.
 * Each call is checked (a known tool, arguments that are an object, input
 * valid against the schema) before anything runs; the valid ones run at
 * once as subprocesses; every call ends as a tool_call record, a progress
 * line and a transcript entry with the whole output, in the order the
 * calls were made.  Enrichment and technique records in the output are
 * collected for the brief: real data, never the model's paraphrase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "buf.h"
#include "jsonx.h"

/* A short form of a call's input for a progress line. */
static void
short_args(const json_t *input, char *out, size_t outsz)
{
	const char *key, *s = NULL;
	json_t *v;
	size_t i, j = 0;
	int space = 0;

	json_object_foreach((json_t *)input, key, v) {
		if (json_is_string(v)) {
			s = json_string_value(v);
			break;
		}
	}
	if (s == NULL) {
		snprintf(out, outsz, "-");
		return;
	}
	/* Whitespace collapsed: a query spread over lines reads on one. */
	for (i = 0; s[i] != '\0' && j + 4 < outsz && j < 72; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
		    s[i] == '\r') {
			space = j > 0;
			continue;
		}
		if (space)
			out[j++] = ' ';
		space = 0;
		out[j++] = s[i];
	}
	/* Never end inside a UTF-8 sequence. */
	while (j > 0 && ((unsigned char)out[j - 1] & 0xc0) == 0x80)
		j--;
	if (j > 0 && ((unsigned char)out[j - 1] & 0xc0) == 0xc0)
		j--;
	if (s[i] != '\0' && j + 3 < outsz) {
		memcpy(out + j, "...", 3);
		j += 3;
	}
	out[j] = '\0';
}

/* Keeps one record per enrichment (indicator and provider) and per
 * technique id; a later answer replaces an earlier one. */
static void
keep_record(json_t *list, json_t *rec, const char *type)
{
	size_t i;
	json_t *old;

	for (i = 0; i < json_array_size(list); i++) {
		old = json_array_get(list, i);
		if (strcmp(type, "technique") == 0 ?
		    json_equal(json_object_get(old, "id"),
		    json_object_get(rec, "id")) :
		    json_equal(json_object_get(old, "indicator"),
		    json_object_get(rec, "indicator")) &&
		    json_equal(json_object_get(old, "provider"),
		    json_object_get(rec, "provider"))) {
			json_array_set(list, i, rec);
			return;
		}
	}
	json_array_append(list, rec);
}

/* Whether needle occurs in the n bytes at p. */
static int
contains(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *q, *end = p + n;

	for (q = p; k <= (size_t)(end - q); q++) {
		q = memchr(q, needle[0], (size_t)(end - q));
		if (q == NULL || k > (size_t)(end - q))
			return 0;
		if (memcmp(q, needle, k) == 0)
			return 1;
	}
	return 0;
}

void
collect_records(struct session *s, const char *out, size_t len)
{
	size_t pos = 0, nl;
	const char *p, *type;
	json_t *rec;

	while (pos < len) {
		p = memchr(out + pos, '\n', len - pos);
		nl = p != NULL ? (size_t)(p - out) : len;
		/* Only lines that can be such records are parsed: a KQL
		 * result can be large. */
		if (nl > pos && out[pos] == '{' &&
		    (contains(out + pos, nl - pos, "\"enrichment\"") ||
		    contains(out + pos, nl - pos, "\"technique\""))) {
			rec = json_loadb(out + pos, nl - pos, 0, NULL);
			type = jx_type(rec);
			if (type != NULL && strcmp(type, "enrichment") == 0 &&
			    json_is_object(json_object_get(rec, "indicator")))
				keep_record(s->enrichments, rec, type);
			else if (type != NULL && strcmp(type, "technique") ==
			    0 && jx_nstr(rec, "id") != NULL)
				keep_record(s->techniques, rec, type);
			json_decref(rec);
		}
		pos = nl + 1;
	}
}

static char *
message(const char *fmt, const char *a, const char *b)
{
	struct buf buf;

	buf_init(&buf);
	buf_printf(&buf, fmt, a, b != NULL ? b : "");
	if (buf_failed(&buf)) {
		buf_release(&buf);
		return strdup("out of memory");
	}
	return buf_steal(&buf);
}

static char *
tool_names(const struct toolset *ts)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < ts->n; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", ts->tools[i].name);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* One call's outcome, made as soon as it is known (progress as it
 * happens); the records follow later, in the order of the calls. */
struct outcome {
	struct session	*s;
	struct call	*c;
	struct tool_run	*r;		/* NULL: nothing ran */
	char		 summary[160];
	int		 truncated;
	int		 told;		/* the progress line was written */
	long long	 start_ms;	/* monotonic */
	long long	 end_ms;
};

/* A call that ran: what the model is shown, from its output. */
static void
judge_run(struct outcome *o)
{
	struct call *c = o->c;
	struct tool_run *r = o->r;
	const struct tool *t = r->tool;

	if (r->is_error) {
		c->is_error = 1;
		c->content = strdup(r->message != NULL ? r->message :
		    "failed");
		tools_summarise(r, o->summary, sizeof(o->summary));
	} else {
		struct buf b;
		char *bounded = tools_bound_summary(r->out, r->out_len,
		    &t->bounds, &o->truncated, o->summary,
		    sizeof(o->summary));

		buf_init(&b);
		buf_adds(&b, bounded != NULL ? bounded :
		    "(output lost: out of memory)");
		if (r->message != NULL)
			buf_printf(&b, "\nnote: %s", r->message);
		c->content = buf_failed(&b) ? NULL : buf_steal(&b);
		buf_release(&b);
		free(bounded);
		collect_records(o->s, r->out, r->out_len);
	}
	c->out = r->out;
	c->out_len = r->out_len;
	r->out = NULL;
}

/* The progress line of a finished call. */
static void
tell(struct outcome *o)
{
	char args[96];

	if (o->told)
		return;
	o->told = 1;
	if (o->c->content == NULL) {
		o->c->content = strdup("(no output)");
		o->c->is_error = 1;
	}
	if (o->summary[0] == '\0') {
		snprintf(o->summary, sizeof(o->summary), "error: %s",
		    o->c->content != NULL ? o->c->content : "failed");
		o->summary[sizeof(o->summary) - 1] = '\0';
		if (strlen(o->summary) > 100)
			strcpy(o->summary + 97, "...");
	}
	short_args(o->c->input, args, sizeof(args));
	say(o->s->ag, "%-22s %s (%ld ms): %s", o->c->name, args,
	    o->r != NULL ? o->r->elapsed_ms : 0L, o->summary);
}

/* tools_run_many's hook: a call has just ended. */
static void
run_done(struct tool_run *r, void *arg)
{
	struct outcome *o = arg;

	o->end_ms = now_ms();
	o->start_ms = o->end_ms - r->elapsed_ms;
	if (r->out != NULL)
		judge_run(o);
	tell(o);
}

/* The tool_call record and the transcript entry of a call. */
static void
record(struct session *s, long turn, struct outcome *o)
{
	struct call *c = o->c;
	struct tool_run *r = o->r;
	json_t *rec;

	s->tool_calls++;
	rec = json_pack("{s:s,s:I,s:s,s:s}", "type", "tool_call",
	    "turn", (json_int_t)turn, "call_id", c->id, "tool",
	    c->name);
	json_object_set(rec, "input", c->input != NULL ?
	    (json_t *)c->input : json_null());
	json_object_set_new(rec, "is_error",
	    json_boolean(c->is_error));
	json_object_set_new(rec, "exit_status", r != NULL &&
	    r->status >= 0 ? json_integer(r->status) : json_null());
	json_object_set_new(rec, "started_ms", json_integer(
	    o->start_ms - s->started_ms));
	json_object_set_new(rec, "duration_ms",
	    json_integer(r != NULL ? r->elapsed_ms : 0));
	json_object_set_new(rec, "summary", jx_string_lossy(o->summary,
	    strlen(o->summary)));
	json_object_set_new(rec, "output", jx_string_lossy(c->content,
	    strlen(c->content)));
	json_object_set_new(rec, "output_bytes",
	    json_integer(r != NULL ? (json_int_t)c->out_len : 0));
	json_object_set_new(rec, "truncated", json_boolean(o->truncated));
	emit(rec);
	json_decref(rec);
	/* The transcript keeps everything, whole. */
	rec = json_pack("{s:I,s:s,s:s}", "turn", (json_int_t)turn,
	    "call_id", c->id, "tool", c->name);
	json_object_set(rec, "input", c->input != NULL ?
	    (json_t *)c->input : json_null());
	json_object_set_new(rec, "is_error",
	    json_boolean(c->is_error));
	if (r != NULL) {
		json_object_set_new(rec, "exit_status",
		    json_integer(r->status));
		json_object_set_new(rec, "duration_ms",
		    json_integer(r->elapsed_ms));
		json_object_set_new(rec, "stdout", jx_string_lossy(
		    c->out != NULL ? c->out : "", c->out_len));
		json_object_set_new(rec, "stderr", jx_string_lossy(
		    r->err != NULL ? r->err : "", r->err_len));
	}
	json_object_set_new(rec, "result", jx_string_lossy(c->content,
	    strlen(c->content)));
	transcript_write(s->ag, "tool_result", rec);
}

void
exec_calls(struct session *s, long turn, struct call *calls, size_t n)
{
	struct agent *ag = s->ag;
	struct tool_run *runs;
	struct outcome *outs;
	size_t nrun = 0, i;
	const struct tool *t;
	char err[512];
	long long left;

	runs = calloc(n > 0 ? n : 1, sizeof(*runs));
	outs = calloc(n > 0 ? n : 1, sizeof(*outs));
	if (runs == NULL || outs == NULL) {
		free(runs);
		free(outs);
		for (i = 0; i < n; i++) {
			calls[i].content = strdup("out of memory");
			calls[i].is_error = 1;
		}
		return;
	}
	for (i = 0; i < n; i++) {
		struct call *c = &calls[i];

		outs[i].s = s;
		outs[i].c = c;
		outs[i].start_ms = outs[i].end_ms = now_ms();
		t = toolset_find(&ag->tools, c->name);
		c->is_error = 1;
		if (c->reject != NULL) {
			c->content = strdup(c->reject);
		} else if (t == NULL) {
			char *names = tool_names(&ag->tools);

			c->content = message("unknown tool '%s'; the tools "
			    "are: %s", c->name, names);
			free(names);
		} else if (c->input == NULL) {
			c->content = message("invalid arguments: %s; send a "
			    "JSON object that matches the tool's input_schema",
			    c->input_error != NULL ? c->input_error :
			    "missing", NULL);
		} else if (t->argv == NULL) {
			c->content = message("'%s' cannot be called together "
			    "with other tools%s", c->name, NULL);
		} else if (tools_validate(t->input_schema, c->input, err,
		    sizeof(err)) == -1) {
			c->content = message("invalid input: %s; nothing was "
			    "run. Fix the input and call the tool again", err,
			    NULL);
		} else {
			c->is_error = 0;
			runs[nrun].tool = t;
			runs[nrun].input = c->input;
			/* No tool outlives its share of the time. */
			left = s->tool_deadline_ms - now_ms();
			runs[nrun].timeout_ms = left < t->timeout_ms ?
			    (left > 1000 ? (long)left : 1000) : t->timeout_ms;
			runs[nrun].done = run_done;
			runs[nrun].done_arg = &outs[i];
			outs[i].r = &runs[nrun++];
		}
		/* A call refused before it ran has ended already. */
		if (outs[i].r == NULL)
			tell(&outs[i]);
	}
	/* Progress lines come from run_done as each call ends. */
	if (nrun > 0 && tools_run_many(runs, nrun) == -1)
		say(ag, "warning: out of memory running tools");
	for (i = 0; i < n; i++) {
		struct outcome *o = &outs[i];

		if (o->r != NULL && !o->told) {
			/* Never told: it could not be run at all. */
			o->c->is_error = 1;
			if (o->r->out != NULL)
				judge_run(o);
			else
				o->c->content = strdup("the tool could not be "
				    "run: out of memory");
			tell(o);
		}
	}
	/* The records, in the order the model asked: a transcript and a
	 * record stream that read the same on every run. */
	for (i = 0; i < n; i++)
		record(s, turn, &outs[i]);
	for (i = 0; i < nrun; i++)
		tool_run_release(&runs[i]);
	free(runs);
	free(outs);
}

void
call_release(struct call *c)
{
	free(c->content);
	free(c->out);
	c->content = c->out = NULL;
}
