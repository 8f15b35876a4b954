/*
 * test_proc_threads: runs on several threads at once, as triage-mcp makes
 * them, and runs stopped from another thread through a cancel flag.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "tap.h"
#include "tools.h"

struct pair {
	char		 script[1024];
	struct proc_result res;
	int		 rc;
};

static void *
run_one(void *arg)
{
	struct pair *p = arg;
	const char *argv[] = { "sh", "-c", p->script, NULL };

	p->rc = proc_run(argv, "request\n", 30000, &p->res);
	return NULL;
}

/*
 * Two children that each read their input to the end, leave a marker and
 * wait for the other's: they finish only when both run at once, each on
 * its own thread, and each sees the end of its own input.
 */
static void
test_two_threads(void)
{
	struct pair p[2];
	pthread_t t[2];
	const char *d = tap_tmpdir();
	int i;

	snprintf(p[0].script, sizeof(p[0].script), "cat >/dev/null; "
	    "touch %s/one; i=0; while [ ! -e %s/two ]; do i=$((i+1)); "
	    "[ $i -gt 400 ] && exit 9; sleep 0.05; done; echo one", d, d);
	snprintf(p[1].script, sizeof(p[1].script), "cat >/dev/null; "
	    "touch %s/two; i=0; while [ ! -e %s/one ]; do i=$((i+1)); "
	    "[ $i -gt 400 ] && exit 9; sleep 0.05; done; echo two", d, d);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, run_one, &p[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	is_int(p[0].rc, 0, "first ran");
	is_int(p[0].res.status, 0, "first saw the second");
	is_str(p[0].res.out, "one\n", "first output");
	is_int(p[1].res.status, 0, "second saw the first");
	is_str(p[1].res.out, "two\n", "second output");
	for (i = 0; i < 2; i++)
		proc_result_release(&p[i].res);
}

static void
test_cancel_before(void)
{
	const char *argv[] = { "sleep", "30", NULL };
	struct proc_spec s;
	struct proc_result r;
	atomic_int cancel;

	atomic_init(&cancel, 1);
	memset(&s, 0, sizeof(s));
	s.argv = argv;
	s.timeout_ms = 60000;
	s.cancel = &cancel;
	ok(proc_run_spec(&s, &r) == 0, "started");
	is_int(r.cancelled, 1, "cancelled");
	is_int(r.timed_out, 0, "not a timeout");
	is_int(r.signal, SIGTERM, "stopped with SIGTERM");
	proc_result_release(&r);
}

struct canceller {
	char		 marker[1024];
	atomic_int	*flag;
};

static void *
cancel_when_started(void *arg)
{
	struct canceller *c = arg;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 1500 && access(c->marker, F_OK) == -1; i++)
		nanosleep(&ts, NULL);
	atomic_store(c->flag, 1);
	return NULL;
}

/* A tool run stopped from another thread while it runs, and what the
 * model would be told (the caller drops it; triage-mcp does). */
static void
test_cancel_tool(void)
{
	struct tool t;
	struct tool_run r;
	struct canceller c;
	pthread_t th;
	atomic_int flag;
	char script[1200], sh[] = "sh", dash_c[] = "-c", *argv[4];
	json_t *in;

	atomic_init(&flag, 0);
	snprintf(c.marker, sizeof(c.marker), "%s/started", tap_tmpdir());
	c.flag = &flag;
	snprintf(script, sizeof(script), "cat >/dev/null; touch %s; "
	    "exec sleep 30", c.marker);
	argv[0] = sh;
	argv[1] = dash_c;
	argv[2] = script;
	argv[3] = NULL;
	memset(&t, 0, sizeof(t));
	t.argv = argv;
	t.timeout_ms = 60000;
	in = json_pack("{s:s}", "q", "x");
	memset(&r, 0, sizeof(r));
	r.tool = &t;
	r.input = in;
	r.cancel = &flag;
	pthread_create(&th, NULL, cancel_when_started, &c);
	ok(tools_run_many(&r, 1) == 0, "ran");
	pthread_join(th, NULL);
	is_int(r.cancelled, 1, "the run was cancelled");
	is_int(r.is_error, 1, "an error result");
	is_str(r.message, "'sh' was cancelled and stopped", "and it says so");
	tool_run_release(&r);
	json_decref(in);
}

int
main(void)
{
	/* As triage-mcp does: SIGPIPE ignored once for the whole process. */
	signal(SIGPIPE, SIG_IGN);
	test_two_threads();
	test_cancel_before();
	test_cancel_tool();
	return tap_done();
}
