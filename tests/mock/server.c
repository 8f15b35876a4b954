/*
 * server: the libmicrohttpd glue.  One thread per connection; every
 * request is decided under one lock (sequence number, route cursor,
 * validators' state, log line), so the log order is the order in which
 * routes served their responses.  Sleeping and sending happen outside
 * the lock, so a slow response never holds up the others.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "check.h"
#include "scenario.h"
#include "server.h"
#include "tmpl.h"
#include "util.h"

/* Bodies are stored (and logged) up to this size; the rest is counted. */
#define SERVER_BODY_CAP		((size_t)64 * 1024 * 1024)
#define SERVER_BLOCK		(64 * 1024)

/* The scripted body of the answer to an invalid_json fault. */
static const char server_invalid_json[] = "{\"id\":";

/* One request in progress, created by the URI log callback. */
struct exchange {
	char *target;			/* raw request target */
	struct buf body;
	size_t body_size;
	bool started;
};

enum source_kind {
	SOURCE_MEM,
	SOURCE_FILE,
	SOURCE_PAD
};

/* Where a response body comes from, read by server_reader. */
struct source {
	enum source_kind kind;
	char *mem;
	int fd;
	uint64_t total;
	uint64_t cut_at;		/* truncate: end with an error here */
	uint64_t stall_at;		/* stall: sleep once here */
	long stall_ms;
	bool stalled;
};

/* What to do once the lock is released. */
struct plan {
	int status;
	enum scenario_fault fault;
	long delay_ms;
	long stall_ms;
	json_t *headers;		/* name -> string */
	enum source_kind kind;
	char *mem;
	size_t mem_len;
	char *file;
	uint64_t total;
};

static struct MHD_Daemon *server_daemon;
static struct scenario *server_scn;
static FILE *server_log;
static unsigned long server_seq;
static pthread_mutex_t server_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t server_sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t server_wake = PTHREAD_COND_INITIALIZER;
static bool server_stopping;

/* Sleep ms milliseconds, or less when the server is stopping. */
static void
server_sleep(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&server_sleep_lock);
	while (!server_stopping) {
		if (pthread_cond_timedwait(&server_wake, &server_sleep_lock,
		    &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&server_sleep_lock);
}

static bool
server_is_stopping(void)
{
	bool stopping;

	pthread_mutex_lock(&server_sleep_lock);
	stopping = server_stopping;
	pthread_mutex_unlock(&server_sleep_lock);
	return stopping;
}

/*
 * libmicrohttpd's own messages, less the ones every drop, reset and
 * truncate fault causes on purpose.
 */
static void
server_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (strstr(fmt, "pplication reported") != NULL ||
	    strstr(fmt, "application reported") != NULL)
		return;
	fputs("triage-mock: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void *
server_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct exchange *ex = xcalloc(1, sizeof(*ex));

	(void)cls;
	(void)conn;
	ex->target = xstrdup(uri != NULL ? uri : "");
	return ex;
}

static void
server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct exchange *ex = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (ex == NULL)
		return;
	free(ex->target);
	buf_release(&ex->body);
	free(ex);
	*con_cls = NULL;
}

static enum MHD_Result
server_header_cb(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	json_t *headers = cls;
	json_t *old;
	char *name;
	size_t i;

	(void)kind;
	name = xstrdup(key);
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	old = json_object_get(headers, name);
	if (value == NULL)
		value = "";
	if (old == NULL) {
		json_object_set_new(headers, name, json_string(value));
	} else {
		/* A repeated header reads as one comma-joined list. */
		char *joined = xasprintf("%s, %s", json_string_value(old),
		    value);

		json_object_set_new(headers, name, json_string(joined));
		free(joined);
	}
	free(name);
	return MHD_YES;
}

/* Fill the request the validators and the log see. */
static void
server_request(struct MHD_Connection *conn, struct exchange *ex,
    const char *url, const char *method, struct mock_request *req)
{
	const char *q = strchr(ex->target, '?');
	size_t flags = 0;

	memset(req, 0, sizeof(*req));
	req->method = method;
	req->path = url;
	req->query = q != NULL ? q + 1 : "";
	req->args = util_parse_params(req->query, strlen(req->query));
	req->headers = json_object();
	MHD_get_connection_values(conn, MHD_HEADER_KIND, server_header_cb,
	    req->headers);
	buf_add(&ex->body, "", 0);
	req->body = ex->body.data;
	req->body_len = ex->body.len;
	req->body_size = ex->body_size;
	if (req->body_len == 0 || req->body_len < req->body_size)
		return;
	if (check_content_type(req, "application/x-www-form-urlencoded"))
		req->form = util_parse_params(req->body, req->body_len);
	else {
		const char *ct = util_header(req->headers, "content-type");

		if (ct != NULL && strstr(ct, "json") != NULL)
			flags = JSON_DECODE_ANY;
		req->json = json_loadb(req->body, req->body_len, flags, NULL);
	}
}

static void
server_request_release(struct mock_request *req)
{
	json_decref(req->args);
	json_decref(req->headers);
	json_decref(req->json);
	json_decref(req->form);
}

static bool
server_has_header(const json_t *headers, const char *name)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)headers, key, v)
		if (strcasecmp(key, name) == 0)
			return true;
	return false;
}

static void
server_plan_release(struct plan *p)
{
	json_decref(p->headers);
	free(p->mem);
	free(p->file);
	memset(p, 0, sizeof(*p));
}

static void
server_plan_json(struct plan *p, const json_t *body)
{
	if (json_is_string(body)) {
		p->mem = xstrndup(json_string_value(body),
		    json_string_length(body));
		p->mem_len = json_string_length(body);
	} else if (body != NULL) {
		p->mem = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
		p->mem_len = strlen(p->mem);
	}
	p->kind = SOURCE_MEM;
	p->total = p->mem_len;
}

/* The answer a refusing verdict sends instead of the script. */
static void
server_plan_verdict(struct plan *p, struct verdict *v)
{
	const char *ct;

	p->status = v->status;
	p->headers = v->headers != NULL ? json_deep_copy(v->headers) :
	    json_object();
	server_plan_json(p, v->body);
	ct = v->content_type;
	if (ct == NULL)
		ct = json_is_string(v->body) ? "text/plain; charset=utf-8" :
		    "application/json";
	if (v->body != NULL && !server_has_header(p->headers, "Content-Type"))
		json_object_set_new(p->headers, "Content-Type",
		    json_string(ct));
}

/* A plain JSON answer the mock makes itself (no route, extra request). */
static void
server_plan_mock(struct plan *p, int status, json_t *body)
{
	p->status = status;
	p->headers = json_pack("{s:s}", "Content-Type", "application/json");
	server_plan_json(p, body);
	json_decref(body);
}

static const char *
server_default_type(const struct response *r)
{
	const char *dot;

	switch (r->body_kind) {
	case BODY_TEXT:
		return r->body_is_value ? "application/json" :
		    "text/plain; charset=utf-8";
	case BODY_PAD:
		return "application/json";
	case BODY_FILE:
		dot = strrchr(r->body_file, '.');
		return dot != NULL && strcmp(dot, ".json") == 0 ?
		    "application/json" : "application/octet-stream";
	default:
		return NULL;
	}
}

/* Turn the scripted response into a plan; runs under the lock. */
static void
server_plan_script(struct plan *p, const struct response *r,
    const struct route *route, const struct mock_request *req)
{
	const struct check *issuer = NULL;
	const char *name, *ct = NULL;
	json_t *v, *body = NULL;
	bool have_json = false;

	p->status = r->status != 0 ? r->status : 200;
	p->fault = r->fault;
	p->delay_ms = r->delay_ms;
	p->stall_ms = r->stall_ms;
	p->headers = json_object();
	json_object_foreach(r->headers, name, v) {
		char *t = tmpl_expand(json_string_value(v),
		    json_string_length(v), req->seq, req->now, NULL);

		json_object_set_new(p->headers, name, json_string(t));
		free(t);
	}
	if (r->fault == FAULT_INVALID_JSON) {
		p->kind = SOURCE_MEM;
		p->mem = xstrdup(server_invalid_json);
		p->mem_len = p->total = strlen(p->mem);
		ct = "application/json";
	} else if (r->body_kind == BODY_FILE) {
		struct stat st;

		p->kind = SOURCE_FILE;
		p->file = xstrdup(r->body_file);
		p->total = stat(p->file, &st) == 0 ? (uint64_t)st.st_size : 0;
	} else if (r->body_kind == BODY_PAD) {
		p->kind = SOURCE_PAD;
		p->total = r->size;
	} else {
		p->kind = SOURCE_MEM;
		if (r->body_kind == BODY_TEXT)
			p->mem = tmpl_expand(r->body, strlen(r->body),
			    req->seq, req->now, &p->mem_len);
		if (r->autofill != NULL) {
			if (p->mem != NULL)
				body = json_loadb(p->mem, p->mem_len,
				    JSON_DECODE_ANY, NULL);
			r->autofill->autofill(req, route != NULL ?
			    route->check_options : NULL, p->status, &body,
			    p->headers);
			if (body != NULL) {
				free(p->mem);
				p->mem = NULL;
				server_plan_json(p, body);
				have_json = true;
				ct = "application/json";
			}
		}
		p->total = p->mem_len;
	}
	if (ct == NULL)
		ct = server_default_type(r);
	if (ct != NULL && !server_has_header(p->headers, "Content-Type"))
		json_object_set_new(p->headers, "Content-Type",
		    json_string(ct));
	/* Validators that remember what was issued (thinking blocks). */
	if (r->autofill != NULL && r->autofill->issued != NULL)
		issuer = r->autofill;
	else if (route != NULL && route->check != NULL &&
	    route->check->issued != NULL)
		issuer = route->check;
	if (issuer != NULL && p->kind == SOURCE_MEM && p->mem != NULL) {
		if (!have_json)
			body = json_loadb(p->mem, p->mem_len, 0, NULL);
		if (body != NULL)
			issuer->issued(body);
	}
	json_decref(body);
}

static void
server_log_write(const struct mock_request *req, json_t *route,
    const struct plan *p, json_t *violations)
{
	char when[40], iso[32];
	long long ms = util_now_ms();
	json_t *rec;
	char *line;

	if (server_log == NULL) {
		json_decref(route);		/* stolen either way */
		return;
	}
	util_iso_time((time_t)(ms / 1000), iso, sizeof(iso));
	/* Milliseconds help to read timing tests (delays, retries). */
	snprintf(when, sizeof(when), "%.19s.%03dZ", iso, (int)(ms % 1000));
	rec = json_object();
	json_object_set_new(rec, "seq", json_integer((json_int_t)req->seq));
	json_object_set_new(rec, "time", json_string(when));
	json_object_set_new(rec, "method", json_string(req->method));
	json_object_set_new(rec, "path", util_json_bytes(req->path,
	    strlen(req->path)));
	json_object_set_new(rec, "query", util_json_bytes(req->query,
	    strlen(req->query)));
	json_object_set(rec, "args", req->args);
	json_object_set(rec, "headers", req->headers);
	json_object_set_new(rec, "body", util_json_bytes(req->body,
	    req->body_len));
	if (!util_is_utf8(req->body, req->body_len)) {
		char *b64 = util_base64((const unsigned char *)req->body,
		    req->body_len);

		json_object_set_new(rec, "body_base64", json_string(b64));
		free(b64);
	}
	json_object_set_new(rec, "body_size",
	    json_integer((json_int_t)req->body_size));
	if (req->body_len < req->body_size)
		json_object_set_new(rec, "body_truncated", json_true());
	json_object_set(rec, "json", req->json != NULL ? req->json :
	    json_null());
	json_object_set(rec, "form", req->form != NULL ? req->form :
	    json_null());
	json_object_set_new(rec, "route", route);
	switch (p->fault) {
	case FAULT_DROP:
		json_object_set_new(rec, "response", json_string("drop"));
		break;
	case FAULT_RESET:
		json_object_set_new(rec, "response", json_string("reset"));
		break;
	case FAULT_TRUNCATE:
		json_object_set_new(rec, "response", json_string("truncate"));
		break;
	case FAULT_INVALID_JSON:
		json_object_set_new(rec, "response",
		    json_string("invalid_json"));
		break;
	default:
		json_object_set_new(rec, "response", json_integer(p->status));
		break;
	}
	if (p->fault != FAULT_NONE)
		json_object_set_new(rec, "status", json_integer(p->status));
	json_object_set(rec, "violations", violations);
	line = json_dumps(rec, JSON_COMPACT);
	if (line != NULL) {
		fputs(line, server_log);
		fputc('\n', server_log);
		fflush(server_log);
	}
	free(line);
	json_decref(rec);
}

/* Decide the answer, under the lock; the caller carries it out. */
static void
server_decide(struct mock_request *req, struct plan *p)
{
	const struct response *r = NULL;
	struct route *route;
	struct verdict v;
	size_t idx = 0;

	memset(p, 0, sizeof(*p));
	verdict_init(&v);
	pthread_mutex_lock(&server_lock);
	req->seq = ++server_seq;
	req->now = time(NULL);
	route = scenario_match(server_scn, req->method, req->path, req->query,
	    req->headers, &idx);
	if (route != NULL) {
		if (route->check != NULL)
			route->check->run(req, route->check_options, &v);
		if (route->expect != NULL)
			check_expect(route->expect, req, route->check,
			    route->check_options, &v);
		if (v.status != 0 && !route->record_only) {
			/* The refusal replaces the script, which waits. */
			server_plan_verdict(p, &v);
		} else if ((r = scenario_next(route)) == NULL) {
			check_note(&v, "unexpected extra request");
			server_plan_mock(p, 599, json_pack("{s:s,s:s,s:s}",
			    "error", "unexpected extra request", "method",
			    req->method, "path", req->path));
		} else {
			server_plan_script(p, r, route, req);
		}
	} else if (server_scn->dflt != NULL) {
		server_plan_script(p, server_scn->dflt, NULL, req);
	} else {
		check_note(&v, "no route");
		server_plan_mock(p, 404, json_pack("{s:s,s:s,s:s}", "error",
		    "no route", "method", req->method, "path", req->path));
	}
	server_log_write(req, route != NULL ?
	    json_integer((json_int_t)idx) : json_null(), p, v.violations);
	pthread_mutex_unlock(&server_lock);
	verdict_release(&v);
}

static ssize_t
server_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	struct source *s = cls;
	uint64_t end = s->total;
	size_t n, i;

	if (s->stall_ms > 0 && !s->stalled && pos >= s->stall_at) {
		s->stalled = true;
		server_sleep(s->stall_ms);
	}
	if (server_is_stopping())
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (pos >= s->cut_at)
		return s->cut_at < s->total ?
		    MHD_CONTENT_READER_END_WITH_ERROR :
		    MHD_CONTENT_READER_END_OF_STREAM;
	if (s->cut_at < end)
		end = s->cut_at;
	if (s->stall_ms > 0 && !s->stalled && s->stall_at < end)
		end = s->stall_at;
	n = end - pos < max ? (size_t)(end - pos) : max;
	switch (s->kind) {
	case SOURCE_MEM:
		memcpy(out, s->mem + pos, n);
		break;
	case SOURCE_FILE: {
		ssize_t got = pread(s->fd, out, n, (off_t)pos);

		if (got <= 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		n = (size_t)got;
		break;
	}
	case SOURCE_PAD:
		/* {"pad":"xxx...x"} without ever holding it in memory. */
		for (i = 0; i < n; i++) {
			uint64_t at = pos + i;

			if (at < 8)
				out[i] = "{\"pad\":\""[at];
			else if (at >= s->total - 2)
				out[i] = "\"}"[at - (s->total - 2)];
			else
				out[i] = 'x';
		}
		break;
	}
	return (ssize_t)n;
}

static void
server_source_free(void *cls)
{
	struct source *s = cls;

	if (s->kind == SOURCE_FILE && s->fd >= 0)
		close(s->fd);
	free(s->mem);
	free(s);
}

/*
 * Close the socket with a TCP reset.  SO_LINGER of zero makes the close
 * send RST; dup2 closes the socket atomically and leaves /dev/null on
 * the descriptor, so libmicrohttpd's own later close is harmless.
 */
static void
server_reset(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	struct linger lg = { 1, 0 };
	int fd, null;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return;
	fd = ci->connect_fd;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, fd);
		close(null);
	}
}

static enum MHD_Result
server_send(struct MHD_Connection *conn, struct plan *p)
{
	struct MHD_Response *resp;
	struct source *src;
	enum MHD_Result rc;
	const char *name;
	json_t *v;

	if (p->delay_ms > 0)
		server_sleep(p->delay_ms);
	if (p->fault == FAULT_DROP)
		return MHD_NO;
	if (p->fault == FAULT_RESET) {
		server_reset(conn);
		return MHD_NO;
	}
	src = xcalloc(1, sizeof(*src));
	src->kind = p->kind;
	src->fd = -1;
	src->total = p->total;
	src->cut_at = p->fault == FAULT_TRUNCATE ? p->total / 2 : p->total;
	src->stall_ms = p->stall_ms;
	src->stall_at = p->total / 2;
	if (p->kind == SOURCE_MEM) {
		src->mem = p->mem;
		p->mem = NULL;
	} else if (p->kind == SOURCE_FILE) {
		src->fd = open(p->file, O_RDONLY | O_CLOEXEC);
		if (src->fd < 0) {
			server_source_free(src);
			return MHD_NO;
		}
	}
	resp = MHD_create_response_from_callback(p->total, SERVER_BLOCK,
	    server_reader, src, server_source_free);
	if (resp == NULL) {
		server_source_free(src);
		return MHD_NO;
	}
	json_object_foreach(p->headers, name, v) {
		/* libmicrohttpd owns the framing headers. */
		if (strcasecmp(name, "Content-Length") == 0 ||
		    strcasecmp(name, "Transfer-Encoding") == 0)
			continue;
		MHD_add_response_header(resp, name, json_string_value(v));
	}
	rc = MHD_queue_response(conn, (unsigned int)p->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
server_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct exchange *ex = *con_cls;
	struct mock_request req;
	struct plan p;
	enum MHD_Result rc;

	(void)cls;
	(void)version;
	if (ex == NULL)
		return MHD_NO;
	if (!ex->started) {
		ex->started = true;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		if (ex->body.len < SERVER_BODY_CAP)
			buf_add(&ex->body, upload_data,
			    n < SERVER_BODY_CAP - ex->body.len ? n :
			    SERVER_BODY_CAP - ex->body.len);
		ex->body_size += n;
		*upload_data_size = 0;
		return MHD_YES;
	}
	server_request(conn, ex, url, method, &req);
	server_decide(&req, &p);
	server_request_release(&req);
	rc = server_send(conn, &p);
	server_plan_release(&p);
	return rc;
}

int
server_start(struct scenario *s, const struct server_opts *o,
    unsigned short *port, char *err, size_t errsz)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	const union MHD_DaemonInfo *di;
	unsigned int flags;

	server_scn = s;
	if (o->log_path != NULL) {
		server_log = fopen(o->log_path, "a");
		if (server_log == NULL) {
			snprintf(err, errsz, "%s: %s", o->log_path,
			    strerror(errno));
			return -1;
		}
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(o->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD |
	    MHD_USE_ERROR_LOG;
	if (o->tls_cert != NULL)
		flags |= MHD_USE_TLS;
	if (o->tls_cert != NULL)
		server_daemon = MHD_start_daemon(flags, 0, NULL, NULL,
		    server_access, NULL,
		    MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log, NULL,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
		    MHD_OPTION_URI_LOG_CALLBACK, server_uri_log, NULL,
		    MHD_OPTION_NOTIFY_COMPLETED, server_completed, NULL,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)1024 * 1024,
		    MHD_OPTION_HTTPS_MEM_CERT, o->tls_cert,
		    MHD_OPTION_HTTPS_MEM_KEY, o->tls_key,
		    MHD_OPTION_END);
	else
		server_daemon = MHD_start_daemon(flags, 0, NULL, NULL,
		    server_access, NULL,
		    MHD_OPTION_EXTERNAL_LOGGER, server_mhd_log, NULL,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
		    MHD_OPTION_URI_LOG_CALLBACK, server_uri_log, NULL,
		    MHD_OPTION_NOTIFY_COMPLETED, server_completed, NULL,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)1024 * 1024,
		    MHD_OPTION_END);
	if (server_daemon == NULL) {
		snprintf(err, errsz, "cannot listen on 127.0.0.1:%u",
		    (unsigned)o->port);
		goto fail;
	}
	di = MHD_get_daemon_info(server_daemon, MHD_DAEMON_INFO_LISTEN_FD);
	if (di == NULL || getsockname(di->listen_fd, (struct sockaddr *)&sin,
	    &len) == -1) {
		snprintf(err, errsz, "cannot read the bound port");
		goto fail;
	}
	*port = ntohs(sin.sin_port);
	return 0;
fail:
	server_stop();
	return -1;
}

void
server_stop(void)
{
	pthread_mutex_lock(&server_sleep_lock);
	server_stopping = true;
	pthread_cond_broadcast(&server_wake);
	pthread_mutex_unlock(&server_sleep_lock);
	if (server_daemon != NULL)
		MHD_stop_daemon(server_daemon);
	server_daemon = NULL;
	if (server_log != NULL)
		fclose(server_log);
	server_log = NULL;
}
