/*
 * model: the wire formats of the language-model APIs the agent talks to,
 * behind one small interface: build a request body, parse a reply into a
 * provider-neutral form, and add user text or tool results to the
 * conversation.  Two providers: the Anthropic Messages API and
 * OpenAI-compatible chat completions (OpenAI, Azure OpenAI, Ollama, vLLM,
 * llama.cpp).  Everything here is a pure function of its arguments (no
 * I/O), so the parsers can be fuzzed; sending is the caller's business
 * (lib/http).
 *
 * The conversation is kept in the provider's own shape (a JSON array of
 * messages, without the system prompt), because what the model said must
 * go back to it unchanged: thinking blocks byte for byte, tool call
 * arguments as the original string.
 */
#ifndef TRIAGE_MODEL_H
#define TRIAGE_MODEL_H

#include <stddef.h>

#include <jansson.h>

/* Why the model stopped, in provider-neutral terms. */
enum model_stop {
	MODEL_STOP_END,		/* end_turn; stop */
	MODEL_STOP_TOOL_USE,	/* tool_use; tool_calls present */
	MODEL_STOP_MAX_TOKENS,	/* max_tokens; length */
	MODEL_STOP_PAUSE,	/* pause_turn */
	MODEL_STOP_REFUSAL,	/* refusal; content_filter; .refusal */
	MODEL_STOP_CONTEXT,	/* model_context_window_exceeded */
	MODEL_STOP_SEQUENCE,	/* stop_sequence */
	MODEL_STOP_UNKNOWN	/* anything else: stop and report */
};

/* A tool call the model asked for. */
struct model_call {
	char	*id;
	char	*name;
	json_t	*input;		/* an object, or NULL when the
				   arguments were not one (input_error) */
	char	*input_error;
};

struct model_usage {
	long long input_tokens;		/* uncached input */
	long long output_tokens;
	long long cache_write_tokens;
	long long cache_read_tokens;
};

struct model_reply {
	enum model_stop	 stop;
	char		*stop_reason;	/* the provider's word */
	char		*text;		/* the text blocks */
	struct model_call *calls;
	size_t		 ncalls;
	struct model_usage usage;
	char		*refusal;	/* what it said, or NULL */
	char		*id;		/* the response id, or NULL */
	json_t		*message;	/* the assistant message to add
					   to the conversation; NULL
					   when it would be empty */
	int		 ignores_tool_choice;	/* Ollama, which ignores
						   tool_choice */
};

/* What one request carries. */
struct model_request {
	const char	*model;
	long		 max_tokens;
	const char	*max_tokens_field;	/* OpenAI: "max_tokens" or
						   "max_completion_tokens" */
	const char	*system;
	const json_t	*tools;		/* toolset_definitions() */
	const json_t	*messages;	/* the conversation */
	const char	*force_tool;	/* forced; NULL: auto */
	int		 has_temperature;
	double		 temperature;
	int		 no_cache;	/* Anthropic: no cache markers */
};

/* One tool result to give back. */
struct model_result {
	const char	*call_id;
	const char	*content;	/* non-empty text */
	int		 is_error;
};

/* A provider's wire format. */
struct model_ops {
	const char *name;
	/* The request body as a compact JSON string (free it), or NULL. */
	char	*(*request_body)(const struct model_request *req);
	/* Parses a 200 response.  0, or -1 with err set (not JSON, or not
	 * the expected shape); r is released either way by the caller. */
	int	 (*parse_reply)(const char *body, size_t len,
		    struct model_reply *r, char *err, size_t errsz);
	/* Adds user text (the first message, a nudge).  0 or -1. */
	int	 (*add_user_text)(json_t *messages, const char *text);
	/* Adds the results of one turn's calls, in order, then optional
	 * text.  0 or -1. */
	int	 (*add_tool_results)(json_t *messages,
		    const struct model_result *res, size_t n,
		    const char *text);
};

extern const struct model_ops model_anthropic;
extern const struct model_ops model_openai;

/* "anthropic" or "openai" to its ops, or NULL. */
const struct model_ops *model_ops_find(const char *name);

void	 model_reply_init(struct model_reply *r);
void	 model_reply_release(struct model_reply *r);

/* The neutral word for a stop ("end", "tool_use", "max_tokens", ...). */
const char *model_stop_name(enum model_stop s);

/* An API error, read tolerantly from any of the shapes servers send. */
struct model_error {
	long	 status;
	char	 type[64];	/* error.type, or error.code, or "" */
	char	 message[512];	/* the message, or the body's start */
};

/*
 * Reads an error response: {"error":{"message","type","code"}} (OpenAI,
 * Anthropic inside {"type":"error"}, Ollama, vLLM, llama.cpp, Azure with a
 * string code), {"error":"text"} (Ollama native), a flat {"message"}
 * (old vLLM), or anything else (the first bytes of the body, control
 * characters removed).
 */
void	 model_parse_error(long status, const char *body, size_t len,
	    struct model_error *e);

#endif
