/*
 * proc: run programs the safe way.  posix_spawn with an argv (never a
 * shell, so no incident text is ever interpreted), the request written to
 * stdin, stdout and stderr captured up to caps without deadlock (the rest
 * is drained and dropped), and a deadline after which the child's whole
 * process group is killed.  Several children can run at once.
 */
#ifndef TRIAGE_PROC_H
#define TRIAGE_PROC_H

#include <stdatomic.h>
#include <stddef.h>

#define PROC_DEFAULT_MAX_OUT	(16u << 20)	/* 16 MiB of stdout */
#define PROC_DEFAULT_MAX_ERR	(1u << 20)	/* 1 MiB of stderr */

struct proc_result;

struct proc_spec {
	const char *const *argv;	/* argv[0] is looked up on PATH unless
					   it has a slash */
	const char	*input;		/* written to stdin; NULL: empty stdin */
	size_t		 input_len;
	long		 timeout_ms;	/* 0: no deadline */
	size_t		 max_out;	/* 0: PROC_DEFAULT_MAX_OUT */
	size_t		 max_err;	/* 0: PROC_DEFAULT_MAX_ERR */
	char *const	*envp;		/* NULL: inherit the environment */
	const atomic_int *cancel;	/* nonzero (set by another thread) stops
					   the child as a deadline does; NULL:
					   never */
	/*
	 * Optional: called once per child, in the calling thread, as soon as
	 * it has ended and its output is all read (or it could not start),
	 * while the others may still run; res is complete.  It may take
	 * res->out and res->err (leaving NULL); the caller still releases
	 * res.  For callers that report each as it finishes.
	 */
	void		(*done)(struct proc_result *res, void *arg);
	void		*done_arg;
};

struct proc_result {
	int	 status;	/* exit code, 128 + signal, or -1 not started */
	int	 signal;	/* the signal that ended it, or 0 */
	int	 timed_out;	/* killed at the deadline */
	int	 cancelled;	/* killed because *cancel was set */
	char	*out;		/* stdout, NUL-terminated (may hold NULs) */
	size_t	 out_len;
	int	 out_truncated;	/* more than max_out was written */
	char	*err;		/* stderr, NUL-terminated */
	size_t	 err_len;
	int	 err_truncated;
	long	 elapsed_ms;
	char	 error[256];	/* why it could not start, when status -1 */
};

/*
 * Runs argv with input (a C string, or NULL) on stdin, waiting at most
 * timeout_ms.  Returns 0 when the child ran (whatever its status), -1 when
 * it could not be started (res->error says why).  Release res either way.
 */
int	 proc_run(const char *const argv[], const char *input, long timeout_ms,
	    struct proc_result *res);

/* The general form. */
int	 proc_run_spec(const struct proc_spec *spec, struct proc_result *res);

/*
 * Runs n children at once and waits for all of them.  res[i] belongs to
 * specs[i].  Returns 0, or -1 if any could not be started (see its error).
 */
int	 proc_run_many(const struct proc_spec *specs, size_t n,
	    struct proc_result *res);

/* Frees the captured output. */
void	 proc_result_release(struct proc_result *res);

#endif
