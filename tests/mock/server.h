/*
 * server: the loopback HTTP(S) server: receives each request whole,
 * matches it to the scenario, validates it, logs it and answers with
 * the scripted response or fault.
 */
#ifndef MOCK_SERVER_H
#define MOCK_SERVER_H

#include <stddef.h>

struct scenario;

struct server_opts {
	const char *log_path;		/* NULL: no request log */
	unsigned short port;		/* 0: any free port */
	const char *tls_cert;		/* PEM text, or NULL for HTTP */
	const char *tls_key;
};

/*
 * Start serving s on 127.0.0.1; *port gets the bound port.  -1 with a
 * message in err on failure.
 */
int server_start(struct scenario *s, const struct server_opts *o,
    unsigned short *port, char *err, size_t errsz);

/* Stop serving: wakes sleeping responses, joins every thread. */
void server_stop(void);

#endif
