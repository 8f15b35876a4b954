/*
 * incident_int: what the incident modules (incident.c, incident_entity.c,
 * incident_text.c, incident_flags.c) share with each other.  Not for other
 * users: the public interface is incident.h.
 */
#ifndef TRIAGE_INCIDENT_INT_H
#define TRIAGE_INCIDENT_INT_H

#include <stddef.h>

#include <jansson.h>

/*
 * The first member of obj whose name matches one of names (ASCII case
 * ignored), in the order of names, skipping nulls and empty strings.
 * names ends with NULL.  Borrowed, or NULL.
 */
json_t	*inc_get(const json_t *obj, const char *const names[]);
/* The same, as a non-empty string, or NULL. */
const char *inc_str(const json_t *obj, const char *const names[]);
/* A string or an integer (a whole real too) as text in out; 0 or -1. */
int	 inc_text(const json_t *v, char *out, size_t outsz);
/*
 * v itself when it is an object or array; the parsed value when it is a
 * string holding JSON text of one (Log Analytics "dynamic" columns).  A
 * new reference, or NULL.
 */
json_t	*inc_dyn(const json_t *v);
/* A time string in our form (ISO-8601 UTC, as few digits as needed); when
 * v does not parse, a copy of the string.  New reference, or NULL. */
json_t	*inc_time(const json_t *v);
/* Appends a formatted message to warnings (an array; NULL is fine). */
void	 inc_warn(json_t *warnings, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Copies at most outsz-1 bytes of s, control characters made '?', for
 * quoting hostile text in a message. */
void	 inc_snip(const char *s, char *out, size_t outsz);

/*
 * An entity set: the entities of one incident, merged across alerts and
 * dialects.  Entities are known by internal indices until entset_finish
 * numbers them e1, e2, ...
 */
struct entset;

struct entset *entset_new(json_t *warnings);
void	 entset_free(struct entset *s);
/*
 * Adds the entities of a SecurityAlert.Entities value (text or array),
 * a Sentinel REST entity list ({"entities": [...]} or the array) or a
 * Graph alert's evidence array; alert_id (may be NULL) is recorded on
 * each.  Returns a new array of the internal indices mentioned (JSON
 * integers), or NULL when the value is not such a list.
 */
json_t	*entset_add_sa(struct entset *s, const json_t *entities,
	    const char *alert_id);
json_t	*entset_add_rest(struct entset *s, const json_t *entities,
	    const char *alert_id);
json_t	*entset_add_graph(struct entset *s, const json_t *evidence,
	    const char *alert_id);
/*
 * Numbers the entities, computes their flags and returns them as a new
 * array; rewrites each alert's "entity_ids" (internal indices) into
 * entity ids.  alerts may be NULL.
 */
json_t	*entset_finish(struct entset *s, json_t *alerts);

#endif
