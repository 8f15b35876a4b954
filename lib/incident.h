/*
 * incident: the incident record (docs/records.md) from any form an incident
 * arrives in.  A Sentinel REST incident (with "properties", or with them
 * flattened to "properties.x" keys), a Microsoft Graph security incident
 * with its alerts and their evidence, Log Analytics rows of the
 * SecurityIncident and SecurityAlert tables (a query response, a portal
 * export in JSON or CSV, triage-kql output), or an incident record of our
 * own: the form is detected and normalised into one shape, with the
 * alerts' entities resolved ($id/$ref), merged across alerts, normalised
 * and flagged.  Everything here is a pure function over memory (no I/O, no
 * clock), so fuzz targets and unit tests link it directly; all input is
 * treated as hostile.
 */
#ifndef TRIAGE_INCIDENT_H
#define TRIAGE_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * Parses exported text: one JSON object or array, several JSON values one
 * after another (NDJSON), or CSV with a header row (a Log Analytics portal
 * export).  Invalid UTF-8 becomes U+FFFD; a UTF-8 byte order mark is
 * skipped.  Returns a new reference: the value itself when there is one,
 * an array of the values when there are several, an array of row objects
 * for CSV.  NULL on error, with err set to "name:line:column: what".
 */
json_t	*incident_parse_text(const char *text, size_t len, const char *name,
	    char *err, size_t errsz);

/*
 * Parses CSV (RFC 4180: quoted cells may hold commas, doubled quotes and
 * line breaks) whose first record names the columns.  Returns an array of
 * objects, column name to string, or NULL with err set to
 * "name:line: what".
 */
json_t	*incident_csv_parse(const char *text, size_t len, const char *name,
	    char *err, size_t errsz);

/*
 * Detects the form of input and returns a new array of incident records,
 * one per incident found (an empty array when it holds none), each with
 * "source" set to source (may be NULL).  Problems that lose nothing (a
 * dangling $ref, an alert that belongs to no incident) are appended to
 * warnings as strings when warnings is not NULL.  NULL when input is not
 * any known form, with err saying what was expected.
 */
json_t	*incident_normalise(const json_t *input, const char *source,
	    json_t *warnings, char *err, size_t errsz);

/*
 * Resolves a SecurityAlert.Entities value (the JSON text, or the parsed
 * array): every {"$ref": N} is replaced by a copy of the object with
 * "$id": N, however deeply either is nested, and the top-level list is
 * de-duplicated by $id.  Dangling, malformed and cyclic references stay
 * as they are and are reported in warnings; the work done is bounded, so
 * hostile nesting cannot blow up.  Returns a new array, or NULL when
 * entities is not a JSON array (or its text).
 */
json_t	*incident_entities_resolve(const json_t *entities, json_t *warnings);

/*
 * The normalised, de-duplicated entities of one SecurityAlert.Entities
 * value, as they appear in an incident record (ids e1, e2, ...; alert_ids
 * holds alert_id when it is not NULL).  Returns a new array, or NULL when
 * entities is not an entity list.
 */
json_t	*incident_entities(const json_t *entities, const char *alert_id,
	    json_t *warnings);

/*
 * What a process command line gives away, as bits: the one matcher behind
 * incident_cmdline_flags and the playbook's rules (triage-agent).
 * Lower-cased, Unicode dashes taken for '-', PowerShell parameters by any
 * unambiguous prefix after '-' or '/', with the value after a space or ':'.
 * image (the program's path) may be NULL.
 */
enum incident_cmd {
	INCIDENT_CMD_CRADLE		= 1 << 0,	/* web client in a script,
							   wget/curl/iwr/irm with
							   a URL */
	INCIDENT_CMD_CERTUTIL_DL	= 1 << 1,	/* certutil -urlcache */
	INCIDENT_CMD_CERTUTIL_DECODE	= 1 << 2,	/* certutil -decode */
	INCIDENT_CMD_BITSADMIN		= 1 << 3,	/* bitsadmin /transfer */
	INCIDENT_CMD_ENCODED		= 1 << 4,	/* PowerShell -enc */
	INCIDENT_CMD_BYPASS		= 1 << 5,	/* -ep bypass */
	INCIDENT_CMD_HIDDEN		= 1 << 6,	/* -w hidden */
	INCIDENT_CMD_MSHTA		= 1 << 7,	/* URL or inline script */
	INCIDENT_CMD_REGSVR32		= 1 << 8,	/* /i:http, scrobj */
	INCIDENT_CMD_RUNDLL32		= 1 << 9,	/* javascript:, mshtml */
	INCIDENT_CMD_RUNS_DOWNLOAD	= 1 << 10,	/* downloads, then starts
							   an .exe */
	INCIDENT_CMD_REMOTE_PROGRAM	= 1 << 11	/* mshta, regsvr32 or
							   msiexec with a URL */
};
unsigned incident_cmdline_match(const char *cmdline, const char *image);

/*
 * Appends to flags (an array) what a process command line shows:
 * "encoded_command", "execution_policy_bypass", "hidden_window" (for
 * PowerShell: the command line or image names powershell or pwsh) and
 * "download_cradle".  image may be NULL.
 */
void	 incident_cmdline_flags(const char *cmdline, const char *image,
	    json_t *flags);

/*
 * The text of a PowerShell -EncodedCommand argument in cmdline (base64 of
 * UTF-16LE), decoded to UTF-8.  Returns a new string (free it), or NULL
 * when there is none or it does not decode.
 */
char	*incident_decode_command(const char *cmdline);

/*
 * The flag a well-known SID deserves ("rid500", "domain_admins",
 * "local_system", ...; docs/records.md), or NULL.
 */
const char *incident_sid_flag(const char *sid);

/*
 * Sentinel's severities, case-blind: the rank (1 Informational, 2 Low,
 * 3 Medium, 4 High, 5 Critical; 0 for anything else), and the name in
 * Sentinel's spelling (NULL for anything else).
 */
int	 incident_severity_rank(const char *s);
const char *incident_severity_name(const char *s);

/*
 * Parses an incident reference strictly: all digits (at most 18) is a
 * number (*number set), the 8-4-4-4-12 hex form is a GUID.  Returns 1 for
 * a number, 2 for a GUID, 0 for anything else.  Nothing else may go near
 * a query.
 */
int	 incident_ref_parse(const char *s, long long *number);

/* The incident in an array of records whose number or id (GUID, any case)
 * is ref, or NULL.  Borrowed. */
json_t	*incident_find(const json_t *incidents, const char *ref);

/*
 * Drops the originals ("raw") of an incident record, its alerts and its
 * entities, which repeat what the normalised fields say: what a model is
 * shown.  Changes rec in place.
 */
void	 incident_drop_raw(json_t *rec);

/* The incident_summary record of an incident record.  New reference. */
json_t	*incident_summary(const json_t *incident);

/* Whether s is one of the comma-separated words of list (any case). */
int	 incident_in_list(const char *list, const char *s);

/* What --list keeps: NULL or 0 members match everything. */
struct incident_filter {
	const char	*status;	/* comma-separated, any case */
	const char	*severity;	/* comma-separated, any case */
	const char	*owner;		/* "unassigned", or part of a name */
	int64_t		 since;		/* created at or after (ticks) */
};

/* Nonzero when a summary passes the filter. */
int	 incident_filter_match(const json_t *summary,
	    const struct incident_filter *f);

/* Sorts summaries: most severe first, then newest first. */
void	 incident_sort_summaries(json_t *summaries);

/*
 * Parses a time as exports write it: ISO-8601 (with or without zone,
 * with a space for the T) or the Log Analytics portal's
 * "4/19/2021, 12:13:19.483 PM" (UTC).  0, or -1.
 */
int	 incident_time_parse(const char *s, int64_t *ticks);

/*
 * Parses a duration as a person writes it: "90d", "12h", "30m", "45s",
 * "2w", or ISO-8601 ("P7D", "PT1H").  0, or -1 (zero and negative
 * durations are refused).
 */
int	 incident_duration_parse(const char *s, int64_t *ticks);

/* Writes a duration as a KQL timespan literal ("90d", "36h", "90s"). */
void	 incident_duration_kql(int64_t ticks, char *out, size_t outsz);

#endif
