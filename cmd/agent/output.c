/*
 * output: everything triage-agent writes goes through here, so that no
 * secret can leave: records on stdout, lines for people on stderr and the
 * audit transcript are scrubbed of every configured credential (a tool
 * could echo one, an error body could quote one).  Headers are never
 * written anywhere.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "buf.h"
#include "config.h"
#include "isotime.h"
#include "log.h"
#include "term.h"

/* Every setting that holds a credential. */
static const char *const secret_names[] = {
	"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY",
	"AZURE_OPENAI_API_KEY", "ABUSEIPDB_API_KEY", "VIRUSTOTAL_API_KEY",
	"AZURE_CLIENT_SECRET", "IDENTITY_HEADER", "TEAMS_WEBHOOK_URL",
	"SLACK_WEBHOOK_URL", "TRIAGE_WEBHOOK_URL", "SHODAN_API_KEY", NULL
};

#define MAX_SECRETS	32
#define REDACTED	"[REDACTED]"

static char	*secrets[MAX_SECRETS];
static size_t	 nsecrets;

static void
add_secret(const char *v)
{
	size_t i;

	/* Short values would scrub ordinary words. */
	if (v == NULL || strlen(v) < 8 || nsecrets == MAX_SECRETS)
		return;
	for (i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], v) == 0)
			return;
	secrets[nsecrets] = strdup(v);
	if (secrets[nsecrets] != NULL)
		nsecrets++;
}

void
secrets_init(void)
{
	const char *const *n;
	json_t *s;
	char *esc;

	for (n = secret_names; *n != NULL; n++) {
		add_secret(config_get(*n));
		/* Inside JSON text a secret may appear escaped. */
		s = json_string(config_get(*n) != NULL ? config_get(*n) : "");
		esc = s != NULL ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
		if (esc != NULL && strlen(esc) > 2) {
			esc[strlen(esc) - 1] = '\0';
			add_secret(esc + 1);
		}
		free(esc);
		json_decref(s);
	}
}

void
secrets_release(void)
{
	size_t i;

	for (i = 0; i < nsecrets; i++) {
		memset(secrets[i], 0, strlen(secrets[i]));
		free(secrets[i]);
		secrets[i] = NULL;
	}
	nsecrets = 0;
}

char *
secrets_scrub(const char *s)
{
	struct buf b;
	const char *p, *hit, *first;
	size_t i, which = 0;

	buf_init(&b);
	p = s;
	for (;;) {
		first = NULL;
		for (i = 0; i < nsecrets; i++) {
			hit = strstr(p, secrets[i]);
			if (hit != NULL && (first == NULL || hit < first)) {
				first = hit;
				which = i;
			}
		}
		if (first == NULL)
			break;
		buf_add(&b, p, (size_t)(first - p));
		buf_adds(&b, REDACTED);
		p = first + strlen(secrets[which]);
	}
	buf_adds(&b, p);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	if (b.data == NULL)
		return strdup("");
	return buf_steal(&b);
}

/* Writes one scrubbed line; flushes so a pipeline sees it at once. */
static int
put_line(FILE *fp, const char *text)
{
	char *clean = secrets_scrub(text);

	if (clean == NULL)
		return -1;
	fputs(clean, fp);
	fputc('\n', fp);
	free(clean);
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}

int
emit(const json_t *rec)
{
	char *s;
	int rc;

	s = json_dumps(rec, JSON_COMPACT);
	if (s == NULL)
		return -1;
	rc = put_line(stdout, s);
	free(s);
	return rc;
}

void
say(const struct agent *ag, const char *fmt, ...)
{
	char line[2048], *clean;
	va_list ap;

	if (ag != NULL && ag->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	clean = secrets_scrub(line);
	if (clean == NULL)
		return;
	progress_done();
	fprintf(stderr, "%s: ", log_progname());
	/* Tool arguments come from the model and the incident. */
	term_put_safe(stderr, clean, 0);
	fputc('\n', stderr);
	free(clean);
}

void
transcript_write(const struct agent *ag, const char *kind, json_t *rec)
{
	char *s, ts[48];

	if (ag->transcript == NULL || rec == NULL) {
		json_decref(rec);
		return;
	}
	json_object_set_new(rec, "kind", json_string(kind));
	json_object_set_new(rec, "time", json_string(iso_format(iso_now(),
	    ts, sizeof(ts), 3)));
	s = json_dumps(rec, JSON_COMPACT);
	if (s != NULL)
		put_line(ag->transcript, s);
	free(s);
	json_decref(rec);
}

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
