/*
 * util: small helpers shared by the mock: allocation that aborts on
 * failure, file reading, globbing, URL decoding and time formatting.
 */
#ifndef MOCK_UTIL_H
#define MOCK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

/* Allocate or die: the mock is a test tool, out of memory ends it. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated after len bytes. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_release(struct buf *b);

/* Read a whole file; NULL with errno set on failure. */
char *util_read_file(const char *path, size_t *lenp);

/* fnmatch(3) without FNM_PATHNAME: '*' also matches '/'. */
bool util_glob(const char *pattern, const char *s);

/* Case-insensitive prefix test. */
bool util_has_prefix_ci(const char *s, const char *prefix);

/* Percent-decode s in place; plus_is_space for form and query data. */
size_t util_url_decode(char *s, bool plus_is_space);

/*
 * Parse "a=1&b=x%20y&flag" into an object.  A name given twice becomes
 * an array of its values; a name without '=' has the value true.
 */
json_t *util_parse_params(const char *s, size_t len);

/* Whether the bytes are valid UTF-8 (no overlongs, no surrogates). */
bool util_is_utf8(const char *s, size_t len);

/* A JSON string of the bytes, invalid UTF-8 bytes become U+FFFD. */
json_t *util_json_bytes(const char *s, size_t len);

/* Base64 (RFC 4648 section 4) of the bytes; caller frees. */
char *util_base64(const unsigned char *s, size_t len);

/* Decode unpadded base64url; -1 on a character outside the alphabet. */
int util_base64url_decode(const char *s, struct buf *out);

/* "2024-05-25T09:14:02Z" for t. */
void util_iso_time(time_t t, char *out, size_t outsz);

/* "Sat, 25 May 2024 09:14:02 GMT" for t. */
void util_http_date(time_t t, char *out, size_t outsz);

/* Milliseconds since the epoch. */
long long util_now_ms(void);

/* The value of a header in a lower-cased header object, or NULL. */
const char *util_header(const json_t *headers, const char *name);

/* The compact serialisation with sorted keys; caller frees. */
char *util_dump(const json_t *v);

#endif
