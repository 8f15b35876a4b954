/*
 * tools: the tool manifest that triage-agent (and triage-mcp) offer a
 * model.  A tool is a name, a description, a JSON Schema for its input and
 * an argv: the program is run without a shell, the input object is written
 * to its stdin as one JSON line, its stdout is the result and a non-zero
 * exit with its stderr is an error result.  Neither the argv nor the
 * environment ever carries model or incident text.
 *
 * The built-in manifest runs triage-kql, triage-enrich and triage-mitre; a
 * manifest file (JSON) replaces or extends it, so a user adds a script of
 * their own without recompiling.  Input is validated against the tool's
 * schema before anything runs, with the subset of JSON Schema that
 * manifests may use (type, properties, required, enum, items, minimum,
 * maximum, minLength, maxLength, minItems, maxItems, additionalProperties;
 * description, title, default and examples are ignored).  A schema that
 * uses anything else is refused when the manifest loads, so validation is
 * never silently weaker than the schema says.
 *
 * What a tool printed is kept whole for the audit transcript; what the
 * model sees is bounded: at most so many rows or records, so many bytes,
 * and string values cut at so many bytes, each cut marked.
 */
#ifndef TRIAGE_TOOLS_H
#define TRIAGE_TOOLS_H

#include <stdatomic.h>
#include <stddef.h>

#include <jansson.h>

/* How much of a tool's output the model sees. */
struct tool_bounds {
	size_t	 max_rows;	/* KQL rows, or records (lines) */
	size_t	 max_bytes;	/* of the whole bounded output */
	size_t	 max_cell;	/* of one string value or text line */
};

#define TOOL_DEFAULT_TIMEOUT_MS	(60L * 1000)
#define TOOL_DEFAULT_MAX_ROWS	50
#define TOOL_DEFAULT_MAX_BYTES	(16u << 10)
#define TOOL_DEFAULT_MAX_CELL	2000
#define TOOL_NAME_MAX		64

struct tool {
	char		*name;
	char		*description;
	json_t		*input_schema;	/* an object schema */
	char		**argv;		/* NULL-ended, [0] resolved;
					   NULL for a tool the caller
					   handles (submit_brief) */
	long		 timeout_ms;
	struct tool_bounds bounds;
	int		 is_builtin;	/* from the built-in manifest */
};

struct toolset {
	struct tool	*tools;
	size_t		 n;
};

void	 toolset_init(struct toolset *ts);
void	 toolset_release(struct toolset *ts);

/*
 * Adds the built-in tools (run_kql_query, enrich_*, lookup_mitre_technique),
 * their programs found with paths_program.  0, or -1 with err set.
 */
int	 toolset_add_builtin(struct toolset *ts, char *err, size_t errsz);

/*
 * Loads a manifest file.  It is either an array of tool objects or an
 * object {"builtins": bool, "tools": [...]}; "builtins": false removes the
 * built-in tools loaded so far.  A tool named like one already in the set
 * replaces it; others are added.  A tool object has name, description,
 * input_schema, argv (argv[0] without a slash is found beside the running
 * program or on PATH; a relative path with a slash is taken relative to the
 * manifest's directory), and optionally timeout (seconds) and output
 * {max_rows, max_bytes, max_cell}.  0, or -1 with err set to
 * "FILE: tools[2].argv: expected a non-empty array of strings".
 */
int	 toolset_load_file(struct toolset *ts, const char *path, char *err,
	    size_t errsz);

/* The same from a parsed manifest; source names it in messages and base_dir
 * anchors relative argv[0] paths (NULL: the current directory). */
int	 toolset_load_json(struct toolset *ts, const json_t *manifest,
	    const char *source, const char *base_dir, char *err, size_t errsz);

/*
 * Adds (or replaces) a tool the caller handles in-process: no argv.
 * schema is stolen.  0 or -1.
 */
int	 toolset_add_internal(struct toolset *ts, const char *name,
	    const char *description, json_t *schema);

/* The tool called name, or NULL.  Borrowed. */
const struct tool *toolset_find(const struct toolset *ts, const char *name);

/*
 * The definitions a model is given: [{name, description, input_schema}],
 * in the set's order.  A new reference.
 */
json_t	*toolset_definitions(const struct toolset *ts);

/*
 * Checks that schema is an object schema using only the supported subset.
 * 0, or -1 with err naming the place ("properties.query: unsupported
 * keyword 'pattern'").
 */
int	 tools_schema_check(const json_t *schema, char *err, size_t errsz);

/*
 * Validates value against schema.  0 when valid; -1 with err naming the
 * first problem and where it is ("input.max_rows: expected an integer").
 */
int	 tools_validate(const json_t *schema, const json_t *value, char *err,
	    size_t errsz);

/* One call of a tool and what came of it. */
struct tool_run {
	const struct tool *tool;	/* borrowed; must have an argv */
	const json_t	*input;		/* borrowed; validated */
	long		 timeout_ms;	/* 0: the tool's own */
	const atomic_int *cancel;	/* nonzero stops it; NULL: never */
	/* Optional: called as soon as this run has ended and its fields
	 * below are filled, while others may still run (progress as it
	 * happens).  In the calling thread. */
	void		(*done)(struct tool_run *r, void *arg);
	void		*done_arg;

	int		 status;	/* exit status, 128 + signal, -1 */
	int		 timed_out;
	int		 cancelled;	/* stopped through *cancel */
	long		 elapsed_ms;
	char		*out;		/* stdout, whole (to a cap) */
	size_t		 out_len;
	int		 out_truncated;
	char		*err;		/* stderr */
	size_t		 err_len;
	int		 is_error;	/* the model is told it failed */
	char		*message;	/* why, when is_error */
};

/*
 * Runs every call at once (proc_run_many) and waits for all.  Each run gets
 * its result fields filled, is_error and message included; a program that
 * cannot be started is an error result, not a failure.  Returns 0, or -1
 * when memory ran out.
 */
int	 tools_run_many(struct tool_run *runs, size_t n);

/* Frees what a run captured. */
void	 tool_run_release(struct tool_run *r);

/*
 * What the model is shown of a tool's output: a new NUL-terminated string
 * within the bounds (plus a short marker), or NULL when memory ran out.
 * JSON output keeps its shape: a KQL result keeps its first rows and says
 * how many were left out, NDJSON keeps its first records, long strings are
 * cut with "…[N more bytes]".  *truncated says whether anything was cut.
 * The result is valid UTF-8 without NULs: a NUL or an invalid byte in text
 * output becomes U+FFFD.
 */
char	*tools_bound(const char *out, size_t len,
	    const struct tool_bounds *b, int *truncated);

/* tools_bound, and in summary what tools_summarise would say, from one
 * parse of the output. */
char	*tools_bound_summary(const char *out, size_t len,
	    const struct tool_bounds *b, int *truncated, char *summary,
	    size_t summarysz);

/*
 * Cuts, in place, every string inside the object or array v that is longer
 * than max bytes, marking each cut.  Returns how many were cut.
 */
size_t	 tools_cut_strings(json_t *v, size_t max);

/*
 * A short description of an output for people: "12 rows", "3 records",
 * "1.2 KiB".  Writes out.
 */
void	 tools_summarise(const struct tool_run *r, char *out, size_t outsz);

#endif
