/*
 * exit: the exit codes every triage program uses.  A pipeline stage that
 * fails tells the shell why, so scripts can retry an upstream failure and
 * stop on bad input.  The table is also in the README and every man page.
 */
#ifndef TRIAGE_EXIT_H
#define TRIAGE_EXIT_H

#include <stdlib.h>

#define EXIT_OK		0	/* success */
#define EXIT_FAIL	1	/* internal or I/O failure */
#define EXIT_USAGE	2	/* bad command line or configuration */
#define EXIT_DATA	3	/* bad input data (malformed JSON, bad KQL, ...) */
#define EXIT_UPSTREAM	4	/* an outside service failed or was unreachable */
#define EXIT_AUTH	5	/* credentials missing, rejected or forbidden */
#define EXIT_NOTFOUND	6	/* the thing asked for does not exist */
#define EXIT_PARTIAL	7	/* a result was written but has gaps */
/* A child killed by signal N is reported as 128 + N. */

#endif
