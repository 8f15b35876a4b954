/*
 * jsonx: small conveniences over Jansson for reading records whose fields
 * may be missing or of the wrong type (all input is hostile).  Getters
 * borrow; they never fail loudly, they return the fallback.
 */
#ifndef TRIAGE_JSONX_H
#define TRIAGE_JSONX_H

#include <stddef.h>

#include <jansson.h>

struct buf;

/* obj[key] as a string, or NULL when absent, null or not a string. */
const char *jx_str(const json_t *obj, const char *key);
/* obj[key] as a non-empty string, or NULL. */
const char *jx_nstr(const json_t *obj, const char *key);
/* obj[key] as an integer (a JSON integer, a whole real, or a decimal
 * string), or fallback. */
long long jx_int(const json_t *obj, const char *key, long long fallback);
/* obj[key] as a number, or fallback. */
double	 jx_num(const json_t *obj, const char *key, double fallback);
/* obj[key] as a boolean (true/false, or "true"/"false"), or fallback. */
int	 jx_bool(const json_t *obj, const char *key, int fallback);

/*
 * Walks a path such as "properties.additionalData.tactics[0]" (dots for
 * keys, [n] for array items).  Returns a borrowed value or NULL.
 */
json_t	*jx_path(const json_t *root, const char *path);
/* The string at a path, or NULL. */
const char *jx_path_str(const json_t *root, const char *path);

/* Sets obj[key] to a string copy of s, or to null when s is NULL. */
int	 jx_set_str(json_t *obj, const char *key, const char *s);
/* Sets obj[key] only when s is a non-empty string. */
int	 jx_set_nstr(json_t *obj, const char *key, const char *s);

/* The record's "type", or NULL for a request (an object without one). */
const char *jx_type(const json_t *rec);

/* Appends the compact serialisation of v to b.  Returns 0 or -1. */
int	 jx_dump_buf(const json_t *v, struct buf *b, size_t flags);

/*
 * A JSON string made from bytes that may not be valid UTF-8: invalid
 * sequences become U+FFFD, so hostile bytes can still travel in a record.
 * Returns a new reference, or NULL when memory runs out.
 */
json_t	*jx_string_lossy(const char *s, size_t len);

/* Builds {"type":"error","stage":stage,"message":msg}; concerns may be
 * NULL (stolen otherwise).  Returns a new reference. */
json_t	*jx_error_record(const char *stage, const char *code,
	    const char *message, json_t *concerns);

#endif
