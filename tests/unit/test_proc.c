/*
 * test_proc: the subprocess runner: input and output, caps, deadlines that
 * kill the whole process group, signals, many children at once.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "tap.h"

static void
test_echo(void)
{
	const char *argv[] = { "cat", NULL };
	struct proc_result r;

	ok(proc_run(argv, "{\"ip\":\"8.8.8.8\"}\n", 5000, &r) == 0, "cat runs");
	is_str(r.out, "{\"ip\":\"8.8.8.8\"}\n", "stdin reaches the child");
	is_int(r.status, 0, "exit 0");
	proc_result_release(&r);
}

static void
test_status_and_stderr(void)
{
	const char *argv[] = { "sh", "-c", "echo oops >&2; exit 3", NULL };
	struct proc_result r;

	proc_run(argv, NULL, 5000, &r);
	is_int(r.status, 3, "exit status reported");
	is_str(r.err, "oops\n", "stderr captured");
	proc_result_release(&r);
}

static void
test_no_shell(void)
{
	/* An argument full of shell syntax stays one argument. */
	const char *argv[] = { "printf", "%s", "$(touch pwned); `id`", NULL };
	struct proc_result r;

	proc_run(argv, NULL, 5000, &r);
	is_str(r.out, "$(touch pwned); `id`", "no shell sees arguments");
	ok(access("pwned", F_OK) == -1, "nothing was executed");
	proc_result_release(&r);
}

static void
test_signal(void)
{
	const char *argv[] = { "sh", "-c", "kill -SEGV $$", NULL };
	struct proc_result r;

	proc_run(argv, NULL, 5000, &r);
	is_int(r.signal, SIGSEGV, "signal reported");
	is_int(r.status, 128 + SIGSEGV, "status is 128+signal");
	proc_result_release(&r);
}

/*
 * Whether pid has ended: no such process, or a zombie waiting for a parent
 * that is not us (orphans are reaped by init, eventually).  Waits up to 2 s
 * for the kernel to deliver the kill; the test fails only if it never does.
 */
static int
gone(int pid)
{
	char path[64], stat[256];
	FILE *fp;
	char *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 200; i++) {
		fp = fopen(path, "r");
		if (fp == NULL)
			return 1;
		p = fgets(stat, sizeof(stat), fp);
		fclose(fp);
		if (p != NULL && (p = strrchr(stat, ')')) != NULL &&
		    (p[2] == 'Z' || p[2] == 'X'))
			return 1;
		usleep(10 * 1000);
	}
	return 0;
}

static void
test_deadline_kills_group(void)
{
	char script[512], pidfile[256];
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc_result r;
	FILE *fp;
	int pid = 0;

	snprintf(pidfile, sizeof(pidfile), "%s/grandchild.pid", tap_tmpdir());
	/* The child starts a grandchild that ignores TERM, then hangs. */
	snprintf(script, sizeof(script),
	    "sh -c 'trap \"\" TERM; echo $$ > %s; exec sleep 60' & "
	    "sleep 60", pidfile);
	proc_run(argv, NULL, 500, &r);
	ok(r.timed_out, "deadline reached");
	ok(r.signal != 0, "the child was killed by a signal");
	proc_result_release(&r);
	fp = fopen(pidfile, "r");
	if (fp != NULL) {
		if (fscanf(fp, "%d", &pid) != 1)
			pid = 0;
		fclose(fp);
	}
	ok(pid > 0, "grandchild had started");
	ok(pid > 0 && gone(pid), "grandchild killed with the group");
}

static void
test_huge_output(void)
{
	const char *argv[] = { "head", "-c", "104857600", "/dev/zero", NULL };
	struct proc_spec s;
	struct proc_result r;

	memset(&s, 0, sizeof(s));
	s.argv = argv;
	s.timeout_ms = 60000;
	s.max_out = 1 << 20;
	proc_run_spec(&s, &r);
	is_int(r.status, 0, "a 100 MB writer finishes (drained, not blocked)");
	is_int((long long)r.out_len, 1 << 20, "output capped at 1 MiB");
	ok(r.out_truncated, "truncation reported");
	proc_result_release(&r);
}

static void
test_child_ignores_input(void)
{
	char *big;
	const char *argv[] = { "true", NULL };
	struct proc_result r;

	big = malloc(8 << 20);
	memset(big, 'x', 8 << 20);
	big[(8 << 20) - 1] = '\0';
	ok(proc_run(argv, big, 5000, &r) == 0 && r.status == 0,
	    "a child that never reads stdin does not hang or kill us");
	proc_result_release(&r);
	free(big);
}

static void
test_many(void)
{
	/* Each child waits for the other's mark: run one after the other,
	 * they would both time out. */
	char sa[512], sb[512];
	const char *a1[] = { "sh", "-c", sa, NULL };
	const char *a2[] = { "sh", "-c", sb, NULL };
	const char *a3[] = { "/nonexistent/tool", NULL };
	struct proc_spec s[3];
	struct proc_result r[3];

	snprintf(sa, sizeof(sa), "touch %s/a; while [ ! -e %s/b ]; do "
	    "sleep 0.05; done; echo one", tap_tmpdir(), tap_tmpdir());
	snprintf(sb, sizeof(sb), "touch %s/b; while [ ! -e %s/a ]; do "
	    "sleep 0.05; done; echo two", tap_tmpdir(), tap_tmpdir());
	memset(s, 0, sizeof(s));
	s[0].argv = a1;
	s[1].argv = a2;
	s[2].argv = a3;
	s[0].timeout_ms = s[1].timeout_ms = s[2].timeout_ms = 5000;
	ok(proc_run_many(s, 3, r) == -1, "one could not start");
	is_str(r[0].out, "one\n", "first output");
	is_str(r[1].out, "two\n", "second output");
	is_int(r[2].status, -1, "missing program not started");
	ok(strstr(r[2].error, "/nonexistent/tool") != NULL, "error names it: %s",
	    r[2].error);
	ok(!r[0].timed_out && !r[1].timed_out, "children ran concurrently");
	proc_result_release(&r[0]);
	proc_result_release(&r[1]);
	proc_result_release(&r[2]);
}

int
main(void)
{
	test_echo();
	test_status_and_stderr();
	test_no_shell();
	test_signal();
	test_deadline_kills_group();
	test_huge_output();
	test_child_ignores_input();
	test_many();
	return tap_done();
}
