/*
 * client: where the model API is and how to authenticate to it, from the
 * SDKs' own environment variables.  Anthropic: ANTHROPIC_BASE_URL and
 * ANTHROPIC_API_KEY (x-api-key).  OpenAI-compatible: OPENAI_BASE_URL and
 * OPENAI_API_KEY (Bearer); an Azure deployment URL
 * (.../openai/deployments/NAME) gets the api-key header and an api-version
 * (OPENAI_API_VERSION); a loopback server (Ollama, vLLM, llama.cpp) needs
 * no key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "buf.h"
#include "config.h"
#include "http.h"

#define ANTHROPIC_URL		"https://api.anthropic.com"
#define OPENAI_URL		"https://api.openai.com/v1"
#define AZURE_API_VERSION	"2024-10-21"

static char *
join(const char *base, const char *path)
{
	struct buf b;
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_init(&b);
	buf_add(&b, base, n);
	buf_adds(&b, path);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static char *
header(const char *name, const char *prefix, const char *value)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s: %s%s", name, prefix, value);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* The Azure form: {base}/chat/completions?api-version=..., keeping an
 * api-version already in the base URL's query. */
static char *
azure_url(const char *base)
{
	const char *q = strchr(base, '?'), *v;
	struct buf b;
	size_t n = q != NULL ? (size_t)(q - base) : strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_init(&b);
	buf_add(&b, base, n);
	buf_adds(&b, "/chat/completions");
	if (q != NULL && strstr(q, "api-version=") != NULL) {
		buf_adds(&b, q);
	} else {
		v = config_get_or("OPENAI_API_VERSION", AZURE_API_VERSION);
		buf_printf(&b, "%s%sapi-version=%s", q != NULL ? q : "",
		    q != NULL ? "&" : "?", v);
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_steal(&b);
}

int
client_init(struct client *c, const char *provider, char *err, size_t errsz)
{
	const char *base, *key;
	long secs;

	memset(c, 0, sizeof(*c));
	c->ops = model_ops_find(provider);
	if (c->ops == NULL) {
		snprintf(err, errsz, "unknown provider '%s'", provider);
		return -1;
	}
	/* A model can take minutes to write a long answer. */
	secs = config_get_long("TRIAGE_HTTP_TIMEOUT", 600);
	c->timeout_ms = (secs > 0 ? secs : 600) * 1000;
	if (c->ops == &model_anthropic) {
		base = config_get_or("ANTHROPIC_BASE_URL", ANTHROPIC_URL);
		c->url = join(base, "/v1/messages");
		if ((key = config_get("ANTHROPIC_API_KEY")) != NULL)
			c->auth_header = header("x-api-key", "", key);
		else if ((key = config_get("ANTHROPIC_AUTH_TOKEN")) != NULL)
			c->auth_header = header("Authorization", "Bearer ",
			    key);
		else {
			snprintf(err, errsz, "ANTHROPIC_API_KEY is not set");
			client_release(c);
			return -1;
		}
	} else {
		base = config_get_or("OPENAI_BASE_URL", OPENAI_URL);
		if (strstr(base, "/openai/deployments/") != NULL) {
			c->url = azure_url(base);
			key = config_get("AZURE_OPENAI_API_KEY");
			if (key == NULL)
				key = config_get("OPENAI_API_KEY");
			if (key != NULL)
				c->auth_header = header("api-key", "", key);
		} else {
			c->url = join(base, "/chat/completions");
			key = config_get("OPENAI_API_KEY");
			if (key != NULL)
				c->auth_header = header("Authorization",
				    "Bearer ", key);
		}
		if (key == NULL && !http_url_is_loopback(base)) {
			snprintf(err, errsz, "OPENAI_API_KEY is not set (only "
			    "a loopback server may go without one)");
			client_release(c);
			return -1;
		}
		/* OpenAI's own reasoning models refuse max_tokens. */
		c->max_tokens_field = config_get_or("TRIAGE_MAX_TOKENS_FIELD",
		    strstr(base, "api.openai.com") != NULL ?
		    "max_completion_tokens" : "max_tokens");
	}
	if (c->url == NULL || (key != NULL && c->auth_header == NULL)) {
		snprintf(err, errsz, "out of memory");
		client_release(c);
		return -1;
	}
	return 0;
}

void
client_release(struct client *c)
{
	free(c->url);
	free(c->auth_header);
	c->url = c->auth_header = NULL;
}
