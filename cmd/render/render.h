/*
 * render: the pieces of triage-render.  The record stream is gathered into
 * one bundle per incident (bundle.c); a bundle becomes a document model
 * (build.c): sections of paragraphs, lists, tables and code blocks whose
 * text is cleaned, and defanged where asked, but not yet escaped.  Each
 * output format walks the same model (md.c, html.c, card.c), so every
 * format has the same sections in the same order, and escaping happens in
 * one place per format.  The JSON document (jsondoc.c) is built from the
 * bundle itself: it is evidence for machines, not a layout.
 */
#ifndef TRIAGE_RENDER_H
#define TRIAGE_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct buf;

enum format {
	FMT_MARKDOWN,
	FMT_JSON,
	FMT_HTML,
	FMT_TEAMS,
	FMT_SLACK
};

struct render_opts {
	enum format	 format;
	int		 defang;	/* defang indicators (the default) */
	int64_t		 now;		/* ticks: file names, footer, ages */
};

/* All the records about one incident. */
struct bundle {
	json_t	*incident;	/* the incident record, or NULL */
	json_t	*brief;		/* the brief record, or NULL */
	json_t	*usage;		/* the usage record (or brief.usage), or NULL */
	json_t	*enrichments;	/* array: enrichment records, de-duplicated */
	json_t	*techniques;	/* array: technique records, de-duplicated */
	json_t	*tool_calls;	/* array: tool_call records, in order */
	json_t	*errors;	/* array: error records, in order */
	json_t	*datasets;	/* array: {name, version} of the ATT&CK data seen */
	size_t	 records;	/* how many records went in */
};

void	 bundle_init(struct bundle *b);
void	 bundle_release(struct bundle *b);
/* Files one record; borrows rec (takes its own references).  Returns
 * 1 when it was used, 0 when the record is not for documents. */
int	 bundle_add(struct bundle *b, json_t *rec);
/* Folds the brief's own enrichments, techniques and usage in. */
void	 bundle_finish(struct bundle *b);

/* The document model. */

enum span_kind {
	SPAN_TEXT,
	SPAN_STRONG,
	SPAN_EM,
	SPAN_CODE,	/* an indicator or a literal value */
	SPAN_LINK,	/* text with a vetted https URL */
	SPAN_SEV	/* a severity word, coloured where the format can */
};

struct span {
	enum span_kind	 kind;
	char		*text;		/* cleaned UTF-8, line breaks kept */
	char		*url;		/* SPAN_LINK */
};

struct inl {
	struct span	*v;
	size_t		 n;
	size_t		 cap;
};

enum block_kind {
	BLOCK_PARA,
	BLOCK_LIST,
	BLOCK_OLIST,
	BLOCK_TABLE,
	BLOCK_CODE
};

#define BLOCK_DOC_ONLY	1		/* not on chat cards */

struct column {
	const char	*name;
	size_t		 max;		/* cells cut after this many chars */
};

struct block {
	enum block_kind	 kind;
	int		 flags;
	struct inl	**items;	/* PARA: 1; lists: items; TABLE cells */
	size_t		 n;
	size_t		 cap;
	const struct column *cols;	/* TABLE */
	size_t		 ncols;
	char		*code;		/* CODE: cleaned, whole */
	const char	*info;		/* CODE: the fence's info string */
};

enum section_flags {
	SEC_DOC_ONLY	= 1 << 0,	/* not on chat cards */
	SEC_FOOTER	= 1 << 1	/* how it was made: set apart */
};

struct section {
	const char	*title;		/* ours, static */
	int		 level;		/* 2, or 3 for a subsection */
	int		 rank;		/* cards: cut highest first; 0 never */
	int		 flags;
	struct block	**blocks;
	size_t		 n;
	size_t		 cap;
};

struct fact {
	const char	*name;
	struct inl	 value;
};

struct doc {
	struct inl	 title;
	char		*plain_title;	/* cleaned title text, unescaped */
	char		*severity;	/* canonical severity, or NULL */
	char		*link;		/* vetted portal URL, or NULL */
	char		*stem;		/* "incident-357335" for file names */
	struct fact	 facts[8];	/* the card's headline facts */
	size_t		 nfacts;
	struct section	**secs;
	size_t		 n;
	size_t		 cap;
};

/* doc.c */
struct doc *doc_new(void);
void	 doc_free(struct doc *d);
struct section *doc_section(struct doc *d, const char *title, int level,
	    int rank, int flags);
struct inl *doc_fact(struct doc *d, const char *name);
struct block *sec_block(struct section *s, enum block_kind kind);
struct inl *sec_para(struct section *s);
struct inl *block_item(struct block *b);
struct block *sec_table(struct section *s, const struct column *cols,
	    size_t ncols);
/* Adds a row and returns its cells (an array of ncols pointers). */
struct inl **table_row(struct block *t);
void	 sec_code(struct section *s, const char *text, const char *info,
	    int flags);
/* Appends a span; text is cleaned here (NULL or "" adds nothing). */
/* Whether inl_add defangs indicators in text (not code) spans. */
void	 doc_set_defang(int on);
void	 inl_add(struct inl *in, enum span_kind kind, const char *text);
void	 inl_addf(struct inl *in, enum span_kind kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 inl_link(struct inl *in, const char *text, const char *url);
int	 inl_empty(const struct inl *in);
void	 inl_release(struct inl *in);

/*
 * How to show an inline within max code points (0: no limit): spans before
 * *span go whole, span *span goes up to *bytes bytes, and *rest code points
 * are left out (a marker follows).  *span == in->n when all of it fits.
 */
void	 inl_plan(const struct inl *in, size_t max, size_t *span,
	    size_t *bytes, size_t *rest);
/* The text of the cut marker for rest code points left out. */
void	 cut_marker(struct buf *b, size_t rest);

/* build.c */
struct doc *build_doc(const struct bundle *b, const struct render_opts *o);
/* "YYYY-MM-DD HH:MM:SS" from an ISO time, or NULL when it is not one. */
const char *fmt_time(const char *iso, char *out, size_t outsz);

/* md.c, html.c, card.c */
void	 md_render(struct buf *out, const struct doc *d);
void	 html_render(struct buf *out, struct doc *const *docs, size_t n);
void	 teams_render(struct buf *out, const struct doc *d);
void	 slack_render(struct buf *out, const struct doc *d);

/* Card size limits (bytes of the compact JSON payload). */
#define TEAMS_MAX_BYTES	28000
#define SLACK_MAX_BYTES	40000
#define SLACK_MAX_BLOCKS 50

/* jsondoc.c */
json_t	*json_document(const struct bundle *b, const struct render_opts *o);

/* lenient.c */
/*
 * Copies line into out with raw bytes that are not UTF-8 (and raw control
 * characters in strings) as U+FFFD and integers beyond 64 bits as strings
 * of their digits, counting each in
 * *nbad and *nbig.  0, or -1 when memory runs out.
 */
int	 lenient_fix(const char *line, size_t len, struct buf *out,
	    unsigned *nbad, unsigned *nbig);

/* queue.c */
int	 queue_render(FILE *fp, const json_t *summaries,
	    const struct render_opts *o, int markdown);

#endif
