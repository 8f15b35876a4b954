/*
 * fuzz_azauth: what lib/azauth reads from token services: the OAuth token
 * answer of Entra ID, IMDS and App Service (access_token with expires_on
 * or expires_in as numbers or strings), their error answers, and the Azure
 * CLI's local expiresOn time.  The parsers are static, so this target
 * includes lib/azauth.c whole (tests/fuzz/run leaves it out of the link).
 * FUZZ_INCLUDES: lib/azauth.c
 */
#include "../../lib/azauth.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response res;
	struct fetched f;
	struct buf note;
	char *s;

	buf_init(&note);
	memset(&f, 0, sizeof(f));
	if (token_answer((const char *)data, size, (time_t)1700000000, &f,
	    &note) == 0) {
		if (f.token == NULL || f.expires_on <= 0)
			abort();	/* a token must expire some time */
		wipe_free(f.token);
	}
	buf_reset(&note);

	memset(&res, 0, sizeof(res));
	res.status = 400;
	res.body = (char *)(uintptr_t)data;
	res.len = size;
	oauth_error(&res, &note);
	buf_release(&note);

	s = malloc(size + 1);
	if (s != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		(void)cli_local_time(s);
		free(s);
	}
	return 0;
}
