/*
 * http-probe: drives lib/http from the command line so command cases can
 * test retries, timeouts, caps and redaction against the mock server.
 *
 *   http-probe [-H 'Name: value']... [-d BODY] [-X METHOD] [-m MAXBYTES]
 *              [-a ATTEMPTS] [-t TIMEOUT_MS] [-S secret-body] [-U secret-url]
 *              [-n COUNT] URL
 *
 * Prints "status N attempts N" then the body on stdout; with -n, sends the
 * same request COUNT times in parallel and prints one status line each.
 * Exit 0 on a 2xx, 4 (upstream) on anything else, 1 when no response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "log.h"

int
main(int argc, char *argv[])
{
	const char *headers[32];
	struct http_request req;
	struct http_response *res;
	struct http_request *reqs;
	size_t nh = 0, i, count = 1;
	int c, rc = 0;

	log_init(argv[0]);
	memset(&req, 0, sizeof(req));
	while ((c = getopt(argc, argv, "H:d:X:m:a:t:D:SUn:")) != -1) {
		switch (c) {
		case 'H':
			if (nh < 31)
				headers[nh++] = optarg;
			break;
		case 'd':
			req.body = optarg;
			req.body_len = strlen(optarg);
			break;
		case 'X':
			req.method = optarg;
			break;
		case 'm':
			req.max_response = strtoul(optarg, NULL, 10);
			break;
		case 'a':
			req.max_attempts = atoi(optarg);
			break;
		case 't':
			req.timeout_ms = atol(optarg);
			break;
		case 'D':
			/* A deadline so many ms from now. */
			req.deadline_ms = http_now_ms() + atol(optarg);
			break;
		case 'S':
			req.flags |= HTTP_SECRET_BODY;
			break;
		case 'U':
			req.flags |= HTTP_SECRET_URL;
			break;
		case 'n':
			count = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: http-probe [options] URL\n");
			return 2;
		}
	}
	if (optind != argc - 1 || count == 0)
		return 2;
	headers[nh] = NULL;
	req.headers = headers;
	req.url = argv[optind];
	http_global_init();
	reqs = calloc(count, sizeof(*reqs));
	res = calloc(count, sizeof(*res));
	for (i = 0; i < count; i++)
		reqs[i] = req;
	http_send_many(reqs, res, count, 0);
	for (i = 0; i < count; i++) {
		printf("status %ld attempts %d\n", res[i].status,
		    res[i].attempts);
		if (res[i].error[0] != '\0')
			fprintf(stderr, "http-probe: %s\n", res[i].error);
		if (res[i].status == 0)
			rc = 1;
		else if ((res[i].status < 200 || res[i].status > 299) && rc == 0)
			rc = 4;
		if (count == 1)
			fwrite(res[i].body, 1, res[i].len, stdout);
		http_response_release(&res[i]);
	}
	free(reqs);
	free(res);
	http_global_cleanup();
	return rc;
}
