/*
 * agent: what the parts of triage-agent share.  main.c reads the options
 * and the stream; session.c runs one investigation (the model loop, or the
 * playbook when there is no model); exec.c runs tool calls for both;
 * brief.c builds the brief and usage records; client.c talks to the model
 * API; output.c writes records, progress and the transcript with secrets
 * scrubbed; prompt.c makes the prompts.
 */
#ifndef TRIAGE_AGENT_H
#define TRIAGE_AGENT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "model.h"
#include "tools.h"

#define AGENT_DEFAULT_MODEL		"claude-sonnet-4-6"
#define AGENT_DEFAULT_OPENAI_MODEL	"gpt-4.1"
#define AGENT_DEFAULT_MAX_TURNS		25
#define AGENT_DEFAULT_TOKEN_BUDGET	1000000LL
#define AGENT_DEFAULT_TIMEOUT		900	/* seconds */
#define AGENT_DEFAULT_MAX_TOKENS	8192
#define AGENT_MAX_TOKENS_CAP		32000
#define AGENT_MAX_PAUSES		3

/* How to reach the model. */
struct client {
	const struct model_ops *ops;
	char		*url;
	char		*auth_header;	/* "x-api-key: ...", or NULL */
	const char	*max_tokens_field;
	long		 timeout_ms;	/* per request */
};

/* Settings for every investigation in this run. */
struct agent {
	const char	*provider;	/* "anthropic", "openai", "none" */
	char		*model;
	long		 max_turns;
	long long	 token_budget;
	long		 timeout_s;
	long		 max_tokens;
	int		 has_temperature;
	double		 temperature;
	int		 quiet;
	struct toolset	 tools;		/* with submit_brief */
	json_t		*tool_defs;	/* what the model is given */
	json_t		*brief_schema;	/* borrowed from tools */
	char		*system_prompt;
	json_t		*prices;	/* the price table, or NULL */
	struct client	 client;
	int		 has_client;	/* client is usable */
	char		 client_error[512];	/* why not */
	FILE		*transcript;	/* or NULL */
};

/* One investigation. */
struct session {
	struct agent	*ag;
	json_t		*incident;	/* borrowed */
	json_t		*enrichments;	/* enrichment records */
	json_t		*techniques;	/* technique records */
	json_t		*per_turn;	/* usage per model turn */
	json_t		*errors;	/* error records to emit */
	struct model_usage usage;
	long		 turns;
	long		 tool_calls;
	int64_t		 started;	/* isotime ticks */
	long long	 started_ms;	/* monotonic */
	long long	 soft_deadline_ms;	/* ask for the brief */
	long long	 hard_deadline_ms;
	long long	 tool_deadline_ms;	/* no tool runs past it */
	long		 next_call;	/* for playbook call ids */
	long long	 request_bytes;	/* sent to the model */
};

/* One tool call to run. */
struct call {
	const char	*id;
	const char	*name;
	const json_t	*input;		/* NULL when input_error */
	const char	*input_error;
	const char	*reject;	/* answer this, run nothing */
	/* filled by exec_calls */
	char		*content;	/* what the model is shown */
	int		 is_error;
	char		*out;		/* the whole stdout */
	size_t		 out_len;
};

/* output.c */
void	 secrets_init(void);
/* Wipes and frees the copies secrets_init made. */
void	 secrets_release(void);
char	*secrets_scrub(const char *s);
int	 emit(const json_t *rec);
void	 say(const struct agent *ag, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 transcript_write(const struct agent *ag, const char *kind,
	    json_t *rec);
long long now_ms(void);

/* client.c */
int	 client_init(struct client *c, const char *provider, char *err,
	    size_t errsz);
void	 client_release(struct client *c);

/* exec.c */
void	 exec_calls(struct session *s, long turn, struct call *calls,
	    size_t n);
void	 call_release(struct call *c);
void	 collect_records(struct session *s, const char *out, size_t len);

/* brief.c */
json_t	*brief_schema(void);
json_t	*brief_from_submission(const json_t *input);
void	 brief_finish(struct session *s, json_t *brief, const char *path,
	    const char *fallback_reason);
json_t	*usage_object(const struct session *s);
void	 usage_add_turn(struct session *s, const struct model_usage *u,
	    const char *stop, long elapsed_ms);
json_t	*prices_load(char *err, size_t errsz);

/* prompt.c */
char	*prompt_system(char *err, size_t errsz);
char	*prompt_first_message(const struct session *s);
json_t	*incident_for_model(const json_t *incident);

/* model loop (session.c) and playbook (playbook.c) */
json_t	*session_run(struct session *s);
json_t	*playbook_run(struct session *s);

/* kql.c: quoting for the playbook's queries */
char	*kql_quote(const char *s);

#endif
