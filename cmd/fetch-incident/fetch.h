/*
 * fetch: how triage-fetch-incident's parts meet.  main.c reads the command
 * line and exports and writes the records; each live source fetches
 * incidents and hands back incident records (lib/incident normalises what
 * the service sent):
 *
 * kql.c   SecurityIncident and SecurityAlert through triage-kql (live Log
 *         Analytics or a local workspace, whichever triage-kql is set up
 *         for)
 * rest.c  Microsoft Graph security incidents and the Sentinel REST API
 */
#ifndef TRIAGE_FETCH_H
#define TRIAGE_FETCH_H

#include <stdint.h>

#include <jansson.h>

#include "incident.h"

struct fetch {
	const char	*ref;		/* NUMBER or GUID, validated; NULL
					   for a list */
	long long	 number;	/* when ref is a number */
	int		 ref_kind;	/* 1 number, 2 GUID */
	int64_t		 now;		/* ticks */
	int64_t		 lookback;	/* ticks */
	struct incident_filter filter;	/* for --list; since is absolute */
	json_t		*warnings;	/* strings, for stderr */
	json_t		*errors;	/* error records, for stdout after the
					   incidents */
	json_t		*keep;		/* what a fatal exit leaves behind: held
					   here, it is not reported as a leak */
};

/*
 * Each source returns the incident records it found (a new array; empty
 * for an incident that does not exist) and an exit status: EXIT_OK, or
 * EXIT_PARTIAL with error records added to f->errors.  Failures that
 * leave nothing to show end the program with their code and a message.
 */
json_t	*kql_fetch(struct fetch *f, int *status);
json_t	*kql_list(struct fetch *f, int *status);
json_t	*graph_fetch(struct fetch *f, int *status);
json_t	*graph_list(struct fetch *f, int *status);
json_t	*sentinel_fetch(struct fetch *f, int *status);
json_t	*sentinel_list(struct fetch *f, int *status);

/* Adds an error record {"type":"error","stage":"fetch-incident",...}. */
void	 fetch_error(struct fetch *f, const char *code, json_t *concerns,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Where a list starts (ticks): the incidents modified since then.  Created
 * within --since means modified since then too, so that is the tighter
 * bound when given; else the lookback.
 */
int64_t	 fetch_list_start(const struct fetch *f);

/* "the last 90 days", "the last 36 hours": the lookback, for messages. */
const char *fetch_window(const struct fetch *f);
/* The same for any span. */
const char *fetch_span(int64_t ticks);

#endif
