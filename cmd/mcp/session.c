/*
 * session: the MCP conversation on standard input, one JSON-RPC message a
 * line.  Everything quick is answered here, in order: initialize (the
 * protocol version agreed), ping, tools/list, and a tools/call that is
 * refused before it runs.  A call that runs goes to the pool and is
 * answered when it is done, by id, in whatever order calls finish.
 * Notifications are never answered, not even when they are wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jsonx.h"
#include "log.h"
#include "mcp.h"
#include "version.h"

/* Newest first: the answer to a version we do not know is the newest. */
static const char *const versions[] = {
	"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"
};

/* The only revision with JSON-RPC batches (2025-06-18 removed them). */
#define BATCH_VERSION		"2025-03-26"
/* The first revision with tool annotations. */
#define ANNOTATIONS_VERSION	"2025-03-26"

static const char instructions[] =
"Tools for triaging Microsoft Sentinel incidents: run KQL against the "
"workspace, enrich IP addresses, file hashes, domains and URLs with threat "
"intelligence, look up MITRE ATT&CK techniques and fetch an incident with "
"its alerts and entities.  Every tool only reads.  Results are cut to each "
"tool's bounds and say so when they are: narrow a KQL query (filter on "
"time and host first, project the columns you need, summarize, take) "
"rather than asking for everything.";

/* Standard input read in blocks and cut into lines of bounded length. */
struct reader {
	int	 fd;
	char	 block[64 * 1024];
	size_t	 pos, len;
	int	 eof;
};

/*
 * The next line into line (without its newline).  *too_long is set when
 * it was longer than MCP_MAX_MESSAGE: the rest of it was read and dropped.
 * 1: a line; 0: end of input; -1: a read error (errno).
 */
static int
read_line(struct reader *rd, struct buf *line, int *too_long)
{
	char *nl;
	size_t n;
	ssize_t got;

	buf_reset(line);
	*too_long = 0;
	for (;;) {
		if (rd->pos < rd->len) {
			nl = memchr(rd->block + rd->pos, '\n',
			    rd->len - rd->pos);
			n = nl != NULL ? (size_t)(nl - (rd->block + rd->pos)) :
			    rd->len - rd->pos;
			if (!*too_long && line->len + n > MCP_MAX_MESSAGE) {
				*too_long = 1;
				buf_reset(line);
			}
			if (!*too_long)
				buf_add(line, rd->block + rd->pos, n);
			rd->pos += n;
			if (nl != NULL) {
				rd->pos++;
				return 1;
			}
		}
		if (rd->eof)
			return line->len > 0 || *too_long ? 1 : 0;
		do
			got = read(rd->fd, rd->block, sizeof(rd->block));
		while (got == -1 && errno == EINTR);
		if (got == -1)
			return -1;
		rd->pos = 0;
		rd->len = (size_t)got;
		if (got == 0)
			rd->eof = 1;
	}
}

static void
reply(struct server *s, struct batch *b, json_t *msg)
{
	out_send(s, b, msg);
}

/* The tools as tools/list gives them. */
static json_t *
tool_list(const struct server *s)
{
	const struct tool *t;
	json_t *list, *o;
	size_t i;

	list = json_array();
	for (i = 0; list != NULL && i < s->tools.n; i++) {
		t = &s->tools.tools[i];
		o = json_pack("{s:s,s:s,s:O}", "name", t->name,
		    "description", t->description, "inputSchema",
		    t->input_schema);
		/* Only the built-in tools are known to read and nothing
		 * else; a manifest's own tools make no such claim. */
		if (o != NULL && t->is_builtin && s->version != NULL &&
		    strcmp(s->version, ANNOTATIONS_VERSION) >= 0)
			json_object_set_new(o, "annotations", json_pack(
			    "{s:b}", "readOnlyHint", 1));
		if (o == NULL || json_array_append_new(list, o) == -1) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

static void
do_initialize(struct server *s, struct batch *b, const json_t *id,
    const json_t *params)
{
	const char *want;
	size_t i;

	if (b != NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_REQUEST, "Invalid "
		    "Request: initialize must not be part of a batch"));
		return;
	}
	if (s->version != NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_REQUEST, "Invalid "
		    "Request: the session is already initialized"));
		return;
	}
	want = jx_str(params, "protocolVersion");
	if (want == NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "protocolVersion: expected a string"));
		return;
	}
	s->version = versions[0];
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (strcmp(want, versions[i]) == 0)
			s->version = versions[i];
	log_debug("protocol version %s (the client asked for %s)",
	    s->version, want);
	reply(s, b, rpc_result(id, json_pack("{s:s,s:{s:{}},s:{s:s,s:s},"
	    "s:s}", "protocolVersion", s->version, "capabilities", "tools",
	    "serverInfo", "name", MCP_NAME, "version", TRIAGE_VERSION,
	    "instructions", instructions)));
}

static void
do_tools_list(struct server *s, struct batch *b, const json_t *id,
    const json_t *params)
{
	json_t *list;

	/* One page holds every tool, so no cursor was ever handed out. */
	if (json_object_get(params, "cursor") != NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "cursor: unknown cursor (the list has one page)"));
		return;
	}
	list = tool_list(s);
	reply(s, b, list == NULL ? rpc_error(id, RPC_INTERNAL_ERROR,
	    "Internal error: out of memory") : rpc_result(id,
	    json_pack("{s:o}", "tools", list)));
}

static void
do_tools_call(struct server *s, struct batch *b, const json_t *id,
    const json_t *params)
{
	const struct tool *t;
	const json_t *args;
	const char *name;
	struct job *j;
	json_t *refused;

	name = jx_str(params, "name");
	if (name == NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "name: expected a string"));
		return;
	}
	args = json_object_get(params, "arguments");
	if (args != NULL && !json_is_object(args)) {
		reply(s, b, rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "arguments: expected an object"));
		return;
	}
	t = toolset_find(&s->tools, name);
	if (t == NULL || t->argv == NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_PARAMS, "Unknown tool: "
		    "%s", name));
		return;
	}
	/* Arguments are optional in a call; the schema decides. */
	j = calloc(1, sizeof(*j));
	if (j != NULL) {
		j->args = args != NULL ? json_deep_copy(args) : json_object();
		j->id = json_deep_copy(id);
	}
	if (j == NULL || j->args == NULL || j->id == NULL) {
		if (j != NULL) {
			json_decref(j->args);
			json_decref(j->id);
			free(j);
		}
		reply(s, b, rpc_error(id, RPC_INTERNAL_ERROR, "Internal "
		    "error: out of memory"));
		return;
	}
	refused = call_check(s, t, j->args);
	if (refused != NULL) {
		reply(s, b, rpc_result(id, refused));
		json_decref(j->args);
		json_decref(j->id);
		free(j);
		return;
	}
	j->tool = t;
	j->batch = b;
	atomic_init(&j->cancelled, 0);
	if (b != NULL) {
		pthread_mutex_lock(&s->out_lock);
		b->pending++;
		pthread_mutex_unlock(&s->out_lock);
	}
	if (pool_submit(s, j) == -1) {
		reply(s, b, rpc_error(id, RPC_INTERNAL_ERROR, "Internal "
		    "error: no thread could be started to run the tool"));
		if (b != NULL)
			batch_put(s, b);
		json_decref(j->args);
		json_decref(j->id);
		free(j);
	}
}

static void
do_request(struct server *s, struct batch *b, const json_t *id,
    const char *method, const json_t *params)
{
	int known;

	/* MCP: an id is not used twice in a session.  One still in flight
	 * would make two answers with the same id, and the client could
	 * not tell them apart; the second request is refused instead (ids
	 * already answered are not remembered). */
	if (pool_in_flight(s, id)) {
		reply(s, b, rpc_error(id, RPC_INVALID_REQUEST, "Invalid "
		    "Request: id already in use by a request in flight"));
		return;
	}
	if (strcmp(method, "initialize") == 0) {
		do_initialize(s, b, id, params);
		return;
	}
	if (strcmp(method, "ping") == 0) {
		reply(s, b, rpc_result(id, json_object()));
		return;
	}
	known = strcmp(method, "tools/list") == 0 ||
	    strcmp(method, "tools/call") == 0;
	if (!known) {
		reply(s, b, rpc_error(id, RPC_METHOD_NOT_FOUND, "Method not "
		    "found: %s", method));
		return;
	}
	/* The lifecycle: nothing but ping before initialize. */
	if (s->version == NULL) {
		reply(s, b, rpc_error(id, RPC_INVALID_REQUEST, "Invalid "
		    "Request: the session is not initialized; send "
		    "initialize first"));
		return;
	}
	if (strcmp(method, "tools/list") == 0)
		do_tools_list(s, b, id, params);
	else
		do_tools_call(s, b, id, params);
}

static void
do_notification(struct server *s, const char *method, const json_t *params)
{
	const json_t *rid;

	if (strcmp(method, "notifications/initialized") == 0) {
		s->initialized = 1;
	} else if (strcmp(method, "notifications/cancelled") == 0) {
		rid = json_object_get(params, "requestId");
		if (rpc_id_ok(rid) && pool_cancel(s, rid))
			log_debug("a call was cancelled");
	} else {
		log_debug("notification %s ignored", method);
	}
}

/* One message, alone or from a batch. */
static void
do_message(struct server *s, struct batch *b, const json_t *msg)
{
	const json_t *id, *method, *params;
	const char *v;

	if (!json_is_object(msg)) {
		reply(s, b, rpc_error(NULL, RPC_INVALID_REQUEST, "Invalid "
		    "Request: expected a JSON-RPC message object"));
		return;
	}
	id = json_object_get(msg, "id");
	method = json_object_get(msg, "method");
	params = json_object_get(msg, "params");
	v = jx_str(msg, "jsonrpc");
	/* A response: we never send requests, so there is nothing it
	 * could answer, and a response is never answered. */
	if (method == NULL && id != NULL && (json_object_get(msg, "result")
	    != NULL || json_object_get(msg, "error") != NULL)) {
		log_debug("a response from the client was ignored");
		return;
	}
	if (v == NULL || strcmp(v, "2.0") != 0 || !json_is_string(method) ||
	    (id != NULL && !rpc_id_ok(id)) || (params != NULL &&
	    !json_is_object(params) && !json_is_array(params))) {
		/* A notification gets no reply, even when it is wrong. */
		if (id == NULL && json_is_string(method) && v != NULL &&
		    strcmp(v, "2.0") == 0)
			return;
		reply(s, b, rpc_error(rpc_id_ok(id) ? id : NULL,
		    RPC_INVALID_REQUEST, "Invalid Request: %s",
		    v == NULL || strcmp(v, "2.0") != 0 ?
		    "jsonrpc must be \"2.0\"" : !json_is_string(method) ?
		    "method must be a string" : id != NULL && !rpc_id_ok(id) ?
		    "id must be a string or an integer" :
		    "params must be an object"));
		return;
	}
	if (id == NULL) {
		if (params == NULL || json_is_object(params))
			do_notification(s, json_string_value(method), params);
		return;
	}
	/* MCP's params are always named. */
	if (json_is_array(params)) {
		reply(s, b, rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "params must be an object"));
		return;
	}
	do_request(s, b, id, json_string_value(method), params);
}

static void
do_batch(struct server *s, const json_t *list)
{
	struct batch *b;
	size_t i;

	if (json_array_size(list) == 0) {
		reply(s, NULL, rpc_error(NULL, RPC_INVALID_REQUEST, "Invalid "
		    "Request: an empty batch"));
		return;
	}
	if (s->version == NULL || strcmp(s->version, BATCH_VERSION) != 0) {
		reply(s, NULL, rpc_error(NULL, RPC_INVALID_REQUEST, "Invalid "
		    "Request: batches are not part of protocol version %s",
		    s->version != NULL ? s->version : "negotiation (send "
		    "initialize alone first)"));
		return;
	}
	b = batch_new();
	if (b == NULL) {
		reply(s, NULL, rpc_error(NULL, RPC_INTERNAL_ERROR, "Internal "
		    "error: out of memory"));
		return;
	}
	for (i = 0; i < json_array_size(list); i++)
		do_message(s, b, json_array_get(list, i));
	batch_put(s, b);
}

/* One line of input. */
static void
do_line(struct server *s, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *msg;
	size_t i;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
	    line[len - 1] == '\t'))
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	if (i == len)
		return;		/* a blank line is no message */
	msg = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    &jerr);
	if (msg == NULL) {
		reply(s, NULL, rpc_error(NULL, RPC_PARSE_ERROR, "Parse error: "
		    "%s at column %d", jerr.text, jerr.column));
		return;
	}
	if (json_is_array(msg))
		do_batch(s, msg);
	else
		do_message(s, NULL, msg);
	json_decref(msg);
}

int
session_run(struct server *s, int fd)
{
	struct reader *rd;
	struct buf line;
	int too_long, rc;

	rd = calloc(1, sizeof(*rd));
	if (rd == NULL)
		return -1;
	rd->fd = fd;
	buf_init(&line);
	while ((rc = read_line(rd, &line, &too_long)) == 1) {
		if (too_long)
			reply(s, NULL, rpc_error(NULL, RPC_INVALID_REQUEST,
			    "Invalid Request: a message longer than %u bytes",
			    MCP_MAX_MESSAGE));
		else if (buf_failed(&line))
			reply(s, NULL, rpc_error(NULL, RPC_INTERNAL_ERROR,
			    "Internal error: out of memory reading a "
			    "message"));
		else
			do_line(s, buf_str(&line), line.len);
		/* The client has stopped reading: nobody is listening. */
		if (atomic_load(&s->out_failed))
			break;
	}
	if (rc == -1)
		log_warn("standard input: %s", strerror(errno));
	buf_release(&line);
	free(rd);
	return rc == -1 ? -1 : 0;
}
