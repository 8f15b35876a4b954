/*
 * tmpl: the few templates a scenario may use in header values and in
 * "body" text: {{now}}, {{now+N}}, {{now-N}} (epoch seconds), {{iso}},
 * {{iso+N}} (ISO-8601 UTC), {{httpdate+N}} (RFC 7231) and {{seq}}.
 */
#ifndef MOCK_TMPL_H
#define MOCK_TMPL_H

#include <stddef.h>
#include <time.h>

/* Expand templates in s; unknown ones are left as they are. */
char *tmpl_expand(const char *s, size_t len, unsigned long seq, time_t now,
    size_t *outlen);

#endif
