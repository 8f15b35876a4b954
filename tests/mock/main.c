/*
 * triage-mock: a scriptable loopback HTTP server that stands in for
 * every outside service in the tests.  It answers from a scenario file,
 * checks requests against the API contracts and logs each one as a
 * JSON line for the tests to read with jq.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "scenario.h"
#include "server.h"
#include "util.h"

#define EXIT_USAGE	2

static const char synopsis[] =
    "usage: triage-mock --scenario FILE [--log FILE] [--port-file FILE] "
    "[--port N]\n"
    "                   [--tls-cert PEM --tls-key PEM]\n";

static _Noreturn void
usage(void)
{
	fputs(synopsis, stderr);
	exit(EXIT_USAGE);
}

static _Noreturn void
help(void)
{
	fputs(synopsis, stdout);
	fputs("\nServe the scenario on 127.0.0.1 until SIGTERM or SIGINT.\n"
	    "The bound port is printed on stdout and written to the port "
	    "file.\nSee tests/mock/README.md.\n", stdout);
	exit(0);
}

static _Noreturn void
die(const char *fmt, const char *a, const char *b)
{
	fputs("triage-mock: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

/* Write "PORT\n" to path through a temporary file and rename(2). */
static int
write_port_file(const char *path, unsigned short port)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *fp;
	int rc = -1;

	fp = fopen(tmp, "w");
	if (fp == NULL)
		goto out;
	fprintf(fp, "%u\n", (unsigned)port);
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

static char *
read_pem(const char *path)
{
	char *text = util_read_file(path, NULL);

	if (text == NULL)
		die("%s: %s", path, strerror(errno));
	return text;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",      no_argument,       NULL, 'h' },
		{ "scenario",  required_argument, NULL, 's' },
		{ "log",       required_argument, NULL, 'l' },
		{ "port-file", required_argument, NULL, 'f' },
		{ "port",      required_argument, NULL, 'p' },
		{ "tls-cert",  required_argument, NULL, 'c' },
		{ "tls-key",   required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *scenario_path = NULL, *port_file = NULL;
	const char *cert_path = NULL, *key_path = NULL;
	struct server_opts o = { 0 };
	struct scenario s;
	unsigned short port;
	char err[600];
	sigset_t set;
	char *end;
	long n;
	int c, sig;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help();
		case 's':
			scenario_path = optarg;
			break;
		case 'l':
			o.log_path = optarg;
			break;
		case 'f':
			port_file = optarg;
			break;
		case 'p':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 0 || n > 65535)
				die("--port: '%s'%s", optarg,
				    " is not a port number");
			o.port = (unsigned short)n;
			break;
		case 'c':
			cert_path = optarg;
			break;
		case 'k':
			key_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || scenario_path == NULL ||
	    (cert_path == NULL) != (key_path == NULL))
		usage();
	if (scenario_load(scenario_path, &s, err, sizeof(err)) == -1)
		die("%s: %s", scenario_path, err);
	if (cert_path != NULL) {
		o.tls_cert = read_pem(cert_path);
		o.tls_key = read_pem(key_path);
	}

	/*
	 * Block the stop signals before any thread exists, so that every
	 * connection thread inherits the mask and only sigwait sees them.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (server_start(&s, &o, &port, err, sizeof(err)) == -1)
		die("%s%s", err, "");
	if (port_file != NULL && write_port_file(port_file, port) == -1)
		die("%s: %s", port_file, strerror(errno));
	printf("%u\n", (unsigned)port);
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		continue;
	server_stop();
	check_cleanup();
	scenario_release(&s);
	free((char *)o.tls_cert);
	free((char *)o.tls_key);
	return 0;
}
