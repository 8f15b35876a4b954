/*
 * pool: tool calls run on worker threads, so a long KQL query does not
 * hold up a ping or a second call, and standard output, where every reply
 * must be one whole line.  Workers start as calls arrive, up to
 * MCP_MAX_WORKERS; past that, calls wait in arrival order.  At the end of
 * input every queued call is still run and answered before the program
 * exits.
 *
 * Two locks: the job lock guards the queue and the workers, the output
 * lock guards standard output and the batches.  Nothing holds both.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonx.h"
#include "log.h"
#include "mcp.h"

static void
job_free(struct job *j)
{
	json_decref(j->id);
	json_decref(j->args);
	free(j);
}

/* Writes one line; a failed write means the client has gone. */
static void
write_line(struct server *s, const json_t *msg)
{
	struct buf b;

	if (atomic_load(&s->out_failed))
		return;
	buf_init(&b);
	/* Compact JSON holds no raw newline: control characters in strings
	 * are escaped, so the message stays one line. */
	if (jx_dump_buf(msg, &b, JSON_COMPACT) == -1 || buf_addc(&b, '\n')
	    == -1) {
		log_warn("out of memory writing a reply");
		buf_release(&b);
		return;
	}
	if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
		if (!atomic_exchange(&s->out_failed, 1))
			log_warn("standard output: %s", strerror(errno));
	}
	buf_release(&b);
}

void
out_send(struct server *s, struct batch *b, json_t *msg)
{
	if (msg == NULL) {
		log_warn("out of memory building a reply");
		return;
	}
	pthread_mutex_lock(&s->out_lock);
	if (b != NULL)
		json_array_append(b->replies, msg);
	else
		write_line(s, msg);
	pthread_mutex_unlock(&s->out_lock);
	json_decref(msg);
}

struct batch *
batch_new(void)
{
	struct batch *b;

	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	b->replies = json_array();
	if (b->replies == NULL) {
		free(b);
		return NULL;
	}
	b->pending = 1;
	return b;
}

void
batch_put(struct server *s, struct batch *b)
{
	int last;

	pthread_mutex_lock(&s->out_lock);
	last = --b->pending == 0;
	/* JSON-RPC: a batch of notifications only gets nothing back. */
	if (last && json_array_size(b->replies) > 0)
		write_line(s, b->replies);
	pthread_mutex_unlock(&s->out_lock);
	if (last) {
		json_decref(b->replies);
		free(b);
	}
}

/* Takes the oldest queued job, or NULL when closing with none left. */
static struct job *
take(struct server *s)
{
	struct job *j;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (j = s->head; j != NULL; j = j->next)
			if (!j->running)
				break;
		if (j != NULL || s->closing)
			break;
		s->idle++;
		pthread_cond_wait(&s->wake, &s->lock);
		s->idle--;
	}
	if (j != NULL) {
		j->running = 1;
		s->queued--;
	}
	pthread_mutex_unlock(&s->lock);
	return j;
}

/* Takes j off the list of calls in flight. */
static void
unlink_job(struct server *s, struct job *j)
{
	struct job **pp, *prev = NULL;

	pthread_mutex_lock(&s->lock);
	for (pp = &s->head; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			if (s->tail == j)
				s->tail = prev;
			break;
		}
		prev = *pp;
	}
	pthread_mutex_unlock(&s->lock);
}

static void *
worker(void *arg)
{
	struct server *s = arg;
	struct job *j;
	json_t *result;

	while ((j = take(s)) != NULL) {
		/* Not started when cancelled, or when nobody is left to
		 * read the answer. */
		if (!atomic_load(&j->cancelled) &&
		    !atomic_load(&s->out_failed)) {
			result = call_run(s, j->tool, j->args, &j->cancelled);
			/* Off the list before the answer goes: a client may
			 * use the id again as soon as it has read it. */
			unlink_job(s, j);
			/* The spec: no reply to a cancelled request. */
			if (atomic_load(&j->cancelled))
				json_decref(result);
			else
				out_send(s, j->batch, rpc_result(j->id,
				    result));
		} else
			unlink_job(s, j);
		if (j->batch != NULL)
			batch_put(s, j->batch);
		job_free(j);
	}
	return NULL;
}

int
pool_init(struct server *s)
{
	s->head = s->tail = NULL;
	s->nworkers = s->idle = s->queued = 0;
	s->closing = 0;
	atomic_init(&s->out_failed, 0);
	if (pthread_mutex_init(&s->lock, NULL) != 0)
		return -1;
	if (pthread_mutex_init(&s->out_lock, NULL) != 0) {
		pthread_mutex_destroy(&s->lock);
		return -1;
	}
	if (pthread_cond_init(&s->wake, NULL) != 0) {
		pthread_mutex_destroy(&s->lock);
		pthread_mutex_destroy(&s->out_lock);
		return -1;
	}
	return 0;
}

int
pool_submit(struct server *s, struct job *j)
{
	int rc = 0;

	j->next = NULL;
	j->running = 0;
	pthread_mutex_lock(&s->lock);
	/* Another worker only when the idle ones cannot take every queued
	 * call: an idle worker that was woken but has not yet taken its
	 * call still counts as idle until it does. */
	if (s->queued + 1 > s->idle && s->nworkers < MCP_MAX_WORKERS) {
		if (pthread_create(&s->workers[s->nworkers], NULL, worker,
		    s) == 0)
			s->nworkers++;
		else if (s->nworkers == 0)
			rc = -1;	/* nobody could ever run it */
	}
	if (rc == 0) {
		if (s->tail != NULL)
			s->tail->next = j;
		else
			s->head = j;
		s->tail = j;
		s->queued++;
		pthread_cond_signal(&s->wake);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
pool_cancel(struct server *s, const json_t *id)
{
	struct job *j;
	int found = 0;

	pthread_mutex_lock(&s->lock);
	for (j = s->head; j != NULL; j = j->next) {
		if (id == NULL || json_equal(j->id, (json_t *)id)) {
			atomic_store(&j->cancelled, 1);
			found = 1;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}

int
pool_in_flight(struct server *s, const json_t *id)
{
	struct job *j;
	int found = 0;

	pthread_mutex_lock(&s->lock);
	for (j = s->head; j != NULL && !found; j = j->next)
		found = json_equal(j->id, (json_t *)id);
	pthread_mutex_unlock(&s->lock);
	return found;
}

void
pool_finish(struct server *s)
{
	size_t i;

	pthread_mutex_lock(&s->lock);
	s->closing = 1;
	pthread_cond_broadcast(&s->wake);
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	s->nworkers = 0;
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->out_lock);
}
