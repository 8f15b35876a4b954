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

void
exec_calls(struct session *s, long turn, struct call *calls, size_t n)
{
	struct agent *ag = s->ag;
	struct tool_run *runs;
	size_t *which, nrun = 0, i;
	const struct tool *t;
	char err[512], summary[160], args[96];
	long long left;
	json_t *rec;

	runs = calloc(n > 0 ? n : 1, sizeof(*runs));
	which = calloc(n > 0 ? n : 1, sizeof(*which));
	if (runs == NULL || which == NULL) {
		free(runs);
		free(which);
		for (i = 0; i < n; i++) {
			calls[i].content = strdup("out of memory");
			calls[i].is_error = 1;
		}
		return;
	}
	for (i = 0; i < n; i++) {
		struct call *c = &calls[i];

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
			/* No tool outlives the investigation's deadline. */
			left = s->hard_deadline_ms - now_ms();
			runs[nrun].timeout_ms = left < t->timeout_ms ?
			    (left > 1000 ? (long)left : 1000) : t->timeout_ms;
			which[nrun++] = i;
		}
	}
	if (nrun > 0 && tools_run_many(runs, nrun) == -1)
		say(ag, "warning: out of memory running tools");
	/* Each call's outcome, in the order the model asked. */
	for (i = 0; i < n; i++) {
		struct call *c = &calls[i];
		struct tool_run *r = NULL;
		size_t k;
		int truncated = 0;

		for (k = 0; k < nrun; k++)
			if (which[k] == i)
				r = &runs[k];
		t = toolset_find(&ag->tools, c->name);
		if (r != NULL && r->out != NULL) {
			if (r->is_error) {
				c->is_error = 1;
				c->content = strdup(r->message != NULL ?
				    r->message : "failed");
			} else {
				struct buf b;
				char *bounded = tools_bound_summary(r->out,
				    r->out_len, &t->bounds, &truncated,
				    summary, sizeof(summary));

				buf_init(&b);
				buf_adds(&b, bounded != NULL ? bounded :
				    "(output lost: out of memory)");
				if (r->message != NULL)
					buf_printf(&b, "\nnote: %s",
					    r->message);
				c->content = buf_failed(&b) ? NULL :
				    buf_steal(&b);
				buf_release(&b);
				free(bounded);
				collect_records(s, r->out, r->out_len);
			}
			if (r->is_error)
				tools_summarise(r, summary, sizeof(summary));
			c->out = r->out;
			c->out_len = r->out_len;
			r->out = NULL;
		} else {
			if (r != NULL) {
				c->is_error = 1;
				c->content = strdup("the tool could not be "
				    "run: out of memory");
			}
			snprintf(summary, sizeof(summary), "error: %s",
			    c->content != NULL ? c->content : "failed");
			summary[sizeof(summary) - 1] = '\0';
			if (strlen(summary) > 100)
				strcpy(summary + 97, "...");
		}
		if (c->content == NULL) {
			c->content = strdup("(no output)");
			c->is_error = 1;
		}
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
		json_object_set_new(rec, "duration_ms",
		    json_integer(r != NULL ? r->elapsed_ms : 0));
		json_object_set_new(rec, "summary", jx_string_lossy(summary,
		    strlen(summary)));
		json_object_set_new(rec, "output", jx_string_lossy(c->content,
		    strlen(c->content)));
		json_object_set_new(rec, "output_bytes",
		    json_integer(r != NULL ? (json_int_t)c->out_len : 0));
		json_object_set_new(rec, "truncated", json_boolean(truncated));
		emit(rec);
		json_decref(rec);
		short_args(c->input, args, sizeof(args));
		say(ag, "%-22s %s (%ld ms): %s", c->name, args,
		    r != NULL ? r->elapsed_ms : 0L, summary);
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
		transcript_write(ag, "tool_result", rec);
	}
	for (i = 0; i < nrun; i++)
		tool_run_release(&runs[i]);
	free(runs);
	free(which);
}

void
call_release(struct call *c)
{
	free(c->content);
	free(c->out);
	c->content = c->out = NULL;
}
