/*
 * test_http: the parts of lib/http that need no server: which hosts count
 * as loopback (credentials may go there over plain http), and that retry
 * jitter differs between processes.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "tap.h"

static void
test_loopback(void)
{
	ok(http_url_is_loopback("http://127.0.0.1:8080/x"), "127.0.0.1");
	ok(http_url_is_loopback("http://127.45.6.7/"), "all of 127/8");
	ok(http_url_is_loopback("http://[::1]:9/"), "::1");
	ok(http_url_is_loopback("http://localhost/"), "localhost");
	ok(http_url_is_loopback("http://LocalHost:1/"), "any case");
	ok(!http_url_is_loopback("http://127.evil.example/"),
	    "127.evil.example is a name, not an address");
	ok(!http_url_is_loopback("http://127.0.0.1.evil.example/"),
	    "127.0.0.1.evil.example");
	ok(!http_url_is_loopback("http://localhost.evil/"), "localhost.evil");
	ok(!http_url_is_loopback("http://evil.localhost.example/"),
	    "a name holding localhost");
	ok(!http_url_is_loopback("http://128.0.0.1/"), "128.0.0.1");
	ok(!http_url_is_loopback("http://[::2]/"), "::2");
	ok(!http_url_is_loopback("http://user@evil.example/127.0.0.1"),
	    "loopback in the path only");
	ok(!http_url_is_loopback("not a url"), "not a URL");
}

/* The backoff a fresh child process draws for attempts 1 to 4. */
static int
child_delays(long out[4])
{
	int fd[2], status;
	pid_t pid;
	ssize_t n;
	long d[4];
	int i;

	if (pipe(fd) == -1)
		return -1;
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		for (i = 0; i < 4; i++)
			d[i] = http_backoff_ms(i + 1);
		n = write(fd[1], d, sizeof(d));
		_exit(n == (ssize_t)sizeof(d) ? 0 : 1);
	}
	close(fd[1]);
	n = read(fd[0], out, 4 * sizeof(long));
	close(fd[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || n != (ssize_t)(4 * sizeof(long)))
		return -1;
	return 0;
}

static void
test_jitter(void)
{
	long a[4], b[4];
	int i, in_range = 1;

	ok(child_delays(a) == 0 && child_delays(b) == 0, "two children ran");
	/* Four draws of about a thousand values each agree by chance with
	 * odds far below one in a billion; unseeded, they always agree. */
	ok(memcmp(a, b, sizeof(a)) != 0,
	    "two processes draw different jitter (%ld %ld %ld %ld / "
	    "%ld %ld %ld %ld)", a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]);
	for (i = 0; i < 4; i++)
		if (a[i] > 500L << i || a[i] < (500L << i) * 3 / 4)
			in_range = 0;
	ok(in_range, "delays within 0.5 s, 1 s, 2 s, 4 s less a quarter");
	ok(http_backoff_ms(30) <= 8000 && http_backoff_ms(30) >= 6000,
	    "capped at 8 s");
}

int
main(void)
{
	test_loopback();
	test_jitter();
	return tap_done();
}
