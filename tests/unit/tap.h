/*
 * tap: the smallest Test Anything Protocol producer, for the C unit tests
 * of lib/.  Each check prints "ok N - name" or "not ok N - name" with the
 * file and line; tap_done prints the plan and gives the exit status.
 */
#ifndef TRIAGE_TAP_H
#define TRIAGE_TAP_H

#include <stddef.h>

int	 tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
int	 tap_is_str(const char *got, const char *want, const char *file,
	    int line, const char *name);
int	 tap_is_int(long long got, long long want, const char *file, int line,
	    const char *name);
int	 tap_done(void);
/* A scratch directory for this test binary (created on first use). */
const char *tap_tmpdir(void);

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(g, w, n)	tap_is_str((g), (w), __FILE__, __LINE__, (n))
#define is_int(g, w, n)	tap_is_int((g), (w), __FILE__, __LINE__, (n))

#endif
