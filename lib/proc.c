/*
 * proc: child processes under a deadline.  Each child gets its own process
 * group so that killing it at the deadline also kills whatever it started.
 * One poll(2) loop serves every child's three pipes; a child that has exited
 * while a grandchild still holds its pipes open is not waited on forever:
 * its group is killed and what is buffered is drained.
 */
#define _GNU_SOURCE	/* pipe2: no spawn on another thread inherits a pipe */

#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"

extern char **environ;

struct child {
	const struct proc_spec	*spec;
	struct proc_result	*res;
	pid_t	 pid;
	int	 in, out, err;		/* our ends; -1 when closed */
	int	 pidfd;			/* readable when the child exits; -1 */
	size_t	 written;
	size_t	 out_cap, err_cap;
	int	 exited;
	int	 killed;
	long	 kill_at;		/* when SIGKILL follows SIGTERM */
	long	 start_ms;		/* when it was started */
	int	 told;			/* spec->done was called */
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
result_init(struct proc_result *res)
{
	memset(res, 0, sizeof(*res));
	res->status = -1;
}

void
proc_result_release(struct proc_result *res)
{
	free(res->out);
	free(res->err);
	res->out = NULL;
	res->err = NULL;
	res->out_len = 0;
	res->err_len = 0;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/*
 * Close-on-exec from the start: set afterwards, a child spawned by another
 * thread in between would inherit the pipe and hold it open.
 */
static int
cloexec_pipe(int fd[2])
{
	return pipe2(fd, O_CLOEXEC);
}

static int
start(struct child *c)
{
	const struct proc_spec *s = c->spec;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	sigset_t def, none;
	int rc;

	if (s->argv == NULL || s->argv[0] == NULL) {
		snprintf(c->res->error, sizeof(c->res->error), "empty argv");
		return -1;
	}
	if (cloexec_pipe(pin) == -1 || cloexec_pipe(pout) == -1 ||
	    cloexec_pipe(perr) == -1) {
		snprintf(c->res->error, sizeof(c->res->error),
		    "pipe: %s", strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawnattr_init(&attr);
	/* Signals we ignore (SIGPIPE while writing) are default again in the
	 * child, and nothing is blocked there. */
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	if (strchr(s->argv[0], '/') != NULL)
		rc = posix_spawn(&c->pid, s->argv[0], &fa, &attr,
		    (char *const *)s->argv, s->envp != NULL ? s->envp : environ);
	else
		rc = posix_spawnp(&c->pid, s->argv[0], &fa, &attr,
		    (char *const *)s->argv, s->envp != NULL ? s->envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		snprintf(c->res->error, sizeof(c->res->error),
		    "cannot run '%s': %s", s->argv[0], strerror(rc));
		goto fail;
	}
	c->start_ms = now_ms();
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
#ifdef SYS_pidfd_open
	/* Poll on the child's exit too, so a child that closes its pipes
	 * and exits is reaped at once rather than at the next poll tick. */
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
#endif
	c->in = pin[1];
	c->out = pout[0];
	c->err = perr[0];
	fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	fcntl(c->out, F_SETFL, fcntl(c->out, F_GETFL) | O_NONBLOCK);
	fcntl(c->err, F_SETFL, fcntl(c->err, F_GETFL) | O_NONBLOCK);
	if (s->input == NULL || s->input_len == 0)
		close_fd(&c->in);
	return 0;
fail:
	close_fd(&pin[0]);
	close_fd(&pin[1]);
	close_fd(&pout[0]);
	close_fd(&pout[1]);
	close_fd(&perr[0]);
	close_fd(&perr[1]);
	c->pid = -1;
	return -1;
}

/* Reads what is available from fd into *data, up to max; drops the rest. */
static void
drain(int *fd, char **data, size_t *len, size_t *cap, size_t max,
    int *truncated)
{
	char chunk[65536];
	size_t keep, want;
	ssize_t n;
	char *p;

	for (;;) {
		n = read(*fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close_fd(fd);
			return;
		}
		keep = (size_t)n;
		if (*len + keep > max) {
			keep = max - *len;
			*truncated = 1;
		}
		if (keep == 0)
			continue;
		if (*len + keep + 1 > *cap) {
			want = *cap == 0 ? 65536 : *cap;
			while (want < *len + keep + 1)
				want *= 2;
			if (want > max + 1)
				want = max + 1;
			p = realloc(*data, want);
			if (p == NULL) {
				*truncated = 1;
				continue;
			}
			*data = p;
			*cap = want;
		}
		memcpy(*data + *len, chunk, keep);
		*len += keep;
		(*data)[*len] = '\0';
	}
}

static void
feed(struct child *c)
{
	const struct proc_spec *s = c->spec;
	ssize_t n;

	while (c->in >= 0 && c->written < s->input_len) {
		n = write(c->in, s->input + c->written,
		    s->input_len - c->written);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* The child stopped reading: that is its business. */
			close_fd(&c->in);
			return;
		}
		c->written += (size_t)n;
	}
	close_fd(&c->in);
}

static void
reap(struct child *c, int block)
{
	int st;
	pid_t p;

	if (c->exited || c->pid <= 0)
		return;
	do
		p = waitpid(c->pid, &st, block ? 0 : WNOHANG);
	while (p == -1 && errno == EINTR);
	if (p != c->pid)
		return;
	c->exited = 1;
	c->res->elapsed_ms = now_ms() - c->start_ms;
	if (WIFEXITED(st))
		c->res->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st)) {
		c->res->signal = WTERMSIG(st);
		c->res->status = 128 + WTERMSIG(st);
	}
	/* Whatever it left running in its group goes with it. */
	kill(-c->pid, SIGKILL);
}

static int
done(const struct child *c)
{
	return c->pid <= 0 ||
	    (c->exited && c->in < 0 && c->out < 0 && c->err < 0);
}

/* The first time a child is seen done: its result made whole (output a
 * C string) and handed to the caller's hook. */
static void
tell(struct child *c)
{
	if (c->told)
		return;
	c->told = 1;
	if (c->res->out == NULL)
		c->res->out = calloc(1, 1);
	if (c->res->err == NULL)
		c->res->err = calloc(1, 1);
	if (c->spec->done != NULL)
		c->spec->done(c->res, c->spec->done_arg);
}

int
proc_run_many(const struct proc_spec *specs, size_t n,
    struct proc_result *res)
{
	struct sigaction ign, old;
	struct child *kids;
	struct pollfd *pfd;
	struct child **owner;
	long start_ms, now, wait_ms, deadline;
	size_t i, np, busy;
	int rc = 0;

	kids = calloc(n > 0 ? n : 1, sizeof(*kids));
	pfd = calloc(4 * n + 1, sizeof(*pfd));
	owner = calloc(4 * n + 1, sizeof(*owner));
	if (kids == NULL || pfd == NULL || owner == NULL) {
		free(kids);
		free(pfd);
		free(owner);
		for (i = 0; i < n; i++) {
			result_init(&res[i]);
			snprintf(res[i].error, sizeof(res[i].error),
			    "out of memory");
		}
		return -1;
	}
	/* A child that exits before reading its input must not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);

	start_ms = now_ms();
	for (i = 0; i < n; i++) {
		kids[i].spec = &specs[i];
		kids[i].res = &res[i];
		kids[i].in = kids[i].out = kids[i].err = kids[i].pidfd = -1;
		result_init(&res[i]);
		if (start(&kids[i]) == -1)
			rc = -1;
	}
	for (;;) {
		now = now_ms();
		busy = 0;
		np = 0;
		wait_ms = 100;
		for (i = 0; i < n; i++) {
			struct child *c = &kids[i];

			if (done(c)) {
				tell(c);
				continue;
			}
			busy++;
			reap(c, 0);
			if (c->exited && (c->out >= 0 || c->err >= 0)) {
				/* Exited, but a grandchild may hold the pipes:
				 * take what is there and stop listening. */
				drain(&c->out, &c->res->out, &c->res->out_len,
				    &c->out_cap, c->spec->max_out > 0 ?
				    c->spec->max_out : PROC_DEFAULT_MAX_OUT,
				    &c->res->out_truncated);
				drain(&c->err, &c->res->err, &c->res->err_len,
				    &c->err_cap, c->spec->max_err > 0 ?
				    c->spec->max_err : PROC_DEFAULT_MAX_ERR,
				    &c->res->err_truncated);
				close_fd(&c->out);
				close_fd(&c->err);
				close_fd(&c->in);
				busy--;		/* done now: nothing to wait for */
				continue;
			}
			deadline = c->spec->timeout_ms > 0 ?
			    start_ms + c->spec->timeout_ms : -1;
			if (!c->killed && deadline >= 0 && now >= deadline) {
				c->killed = 1;
				c->res->timed_out = 1;
				kill(-c->pid, SIGTERM);
				c->kill_at = now + 500;
			}
			/* A cancelled run is seen within one poll tick (at most
			 * 100 ms), as the loop never sleeps longer. */
			if (!c->killed && c->spec->cancel != NULL &&
			    atomic_load(c->spec->cancel)) {
				c->killed = 1;
				c->res->cancelled = 1;
				kill(-c->pid, SIGTERM);
				c->kill_at = now + 500;
			}
			if (c->killed && c->kill_at > 0 && now >= c->kill_at) {
				kill(-c->pid, SIGKILL);
				c->kill_at = 0;
			}
			if (c->in >= 0) {
				pfd[np].fd = c->in;
				pfd[np].events = POLLOUT;
				owner[np++] = c;
			}
			if (c->out >= 0) {
				pfd[np].fd = c->out;
				pfd[np].events = POLLIN;
				owner[np++] = c;
			}
			if (c->err >= 0) {
				pfd[np].fd = c->err;
				pfd[np].events = POLLIN;
				owner[np++] = c;
			}
			if (c->pidfd >= 0 && !c->exited) {
				pfd[np].fd = c->pidfd;
				pfd[np].events = POLLIN;
				owner[np++] = c;
			} else if (c->out < 0 && c->err < 0 && c->in < 0 &&
			    wait_ms > 5)
				wait_ms = 5;	/* no pidfd: look again soon */
			if (deadline >= 0 && !c->killed && deadline - now < wait_ms)
				wait_ms = deadline - now;
			if (c->kill_at > 0 && c->kill_at - now < wait_ms)
				wait_ms = c->kill_at - now;
		}
		if (busy == 0)
			break;
		if (wait_ms < 0)
			wait_ms = 0;
		if (poll(pfd, np, (int)wait_ms) == -1 && errno != EINTR)
			break;
		for (i = 0; i < np; i++) {
			struct child *c = owner[i];

			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == c->pidfd)
				reap(c, 0);
			else if (pfd[i].fd == c->in)
				feed(c);
			else if (pfd[i].fd == c->out)
				drain(&c->out, &c->res->out, &c->res->out_len,
				    &c->out_cap, c->spec->max_out > 0 ?
				    c->spec->max_out : PROC_DEFAULT_MAX_OUT,
				    &c->res->out_truncated);
			else if (pfd[i].fd == c->err)
				drain(&c->err, &c->res->err, &c->res->err_len,
				    &c->err_cap, c->spec->max_err > 0 ?
				    c->spec->max_err : PROC_DEFAULT_MAX_ERR,
				    &c->res->err_truncated);
		}
	}
	now = now_ms();
	for (i = 0; i < n; i++) {
		struct child *c = &kids[i];

		if (c->pid > 0)
			reap(c, 1);
		close_fd(&c->pidfd);
		/* Callers may treat the output as a C string. */
		tell(c);
	}
	sigaction(SIGPIPE, &old, NULL);
	free(kids);
	free(pfd);
	free(owner);
	return rc;
}

int
proc_run_spec(const struct proc_spec *spec, struct proc_result *res)
{
	return proc_run_many(spec, 1, res);
}

int
proc_run(const char *const argv[], const char *input, long timeout_ms,
    struct proc_result *res)
{
	struct proc_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.input = input;
	spec.input_len = input != NULL ? strlen(input) : 0;
	spec.timeout_ms = timeout_ms;
	return proc_run_many(&spec, 1, res);
}
