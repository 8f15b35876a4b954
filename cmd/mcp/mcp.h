/*
 * mcp: what the parts of triage-mcp share.  session.c reads JSON-RPC
 * messages and answers every request that is quick (initialize, ping,
 * tools/list, a tools/call that is refused); pool.c runs the tool calls on
 * worker threads and owns standard output; call.c checks a call and turns
 * a finished run into a CallToolResult; rpc.c builds the JSON-RPC
 * messages.
 */
#ifndef TRIAGE_MCP_H
#define TRIAGE_MCP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include <jansson.h>

#include "tools.h"

#define MCP_NAME		"triage-mcp"
#define MCP_MAX_WORKERS		8		/* tool calls run at once */
#define MCP_MAX_MESSAGE		(4u << 20)	/* bytes in one message */

/* JSON-RPC 2.0 error codes. */
#define RPC_PARSE_ERROR		(-32700)
#define RPC_INVALID_REQUEST	(-32600)
#define RPC_METHOD_NOT_FOUND	(-32601)
#define RPC_INVALID_PARAMS	(-32602)
#define RPC_INTERNAL_ERROR	(-32603)

/*
 * The replies to one JSON-RPC batch: written together as one array when
 * the last of its calls is answered (an array with nothing in it is not
 * written at all).
 */
struct batch {
	json_t	*replies;
	size_t	 pending;	/* the reader's hold plus unanswered calls */
};

/* One tools/call on its way from the reader to a worker and back. */
struct job {
	json_t		*id;		/* the request's id */
	const struct tool *tool;	/* borrowed from the server's set */
	json_t		*args;		/* validated against the schema */
	struct batch	*batch;		/* NULL for a lone request */
	int		 running;	/* a worker has taken it */
	atomic_int	 cancelled;	/* notifications/cancelled named it */
	struct job	*next;
};

struct server {
	struct toolset	 tools;
	const char	*version;	/* the protocol version agreed; NULL
					   before initialize */
	int		 initialized;	/* notifications/initialized seen */
	int		 quiet;		/* no line per call on stderr */

	pthread_mutex_t	 lock;		/* the jobs and the workers */
	pthread_cond_t	 wake;		/* a job was queued, or closing */
	struct job	*head, *tail;	/* queued and running, oldest first */
	pthread_t	 workers[MCP_MAX_WORKERS];
	size_t		 nworkers;
	size_t		 idle;		/* workers waiting for a job */
	size_t		 queued;	/* jobs no worker has taken yet */
	int		 closing;	/* end of input: finish and stop */

	pthread_mutex_t	 out_lock;	/* standard output and batches */
	atomic_int	 out_failed;	/* standard output is gone */
};

/* session.c */
int	 session_run(struct server *s, int fd);

/* pool.c */
int	 pool_init(struct server *s);
/* Queues a call: the job is the pool's from now on.  -1 (the job still
 * the caller's) when no worker could be started to run it. */
int	 pool_submit(struct server *s, struct job *j);
/* Marks the call with this id cancelled (every call, for NULL): it is
 * not run if it has not started, else its program is stopped, and it
 * gets no reply.  1 when found, else 0. */
int	 pool_cancel(struct server *s, const json_t *id);
/* Whether a call with this id is queued or running. */
int	 pool_in_flight(struct server *s, const json_t *id);
/* Runs what is queued, waits for every worker and frees the pool. */
void	 pool_finish(struct server *s);
/* Sends msg (stolen) as a line of its own, or into batch b. */
void	 out_send(struct server *s, struct batch *b, json_t *msg);
/* A batch held by the reader; NULL when memory ran out. */
struct batch *batch_new(void);
/* Lets go of one hold on b; the last one writes its replies. */
void	 batch_put(struct server *s, struct batch *b);

/* call.c */
/*
 * Checks a call's arguments against the tool.  NULL when they are good,
 * else a CallToolResult with isError saying what is wrong.
 */
json_t	*call_check(const struct server *s, const struct tool *t,
	    const json_t *args);
/* Runs a checked call and returns its CallToolResult (never NULL). */
json_t	*call_run(struct server *s, const struct tool *t,
	    const json_t *args, atomic_int *cancelled);
/* A CallToolResult holding one text item. */
json_t	*call_result(const char *text, int is_error);

/* rpc.c */
/* {"jsonrpc":"2.0","id":id,"result":result}; result is stolen. */
json_t	*rpc_result(const json_t *id, json_t *result);
/* {"jsonrpc":"2.0","id":id,"error":{code,message}}; id NULL: null. */
json_t	*rpc_error(const json_t *id, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Nonzero when v may be a request id: a string or an integer. */
int	 rpc_id_ok(const json_t *v);

#endif
