/*
 * buf: a growable byte buffer, always NUL-terminated, for building
 * strings (SQL, markdown, HTTP bodies) without fixed-size arrays.
 * A failed allocation latches: later appends do nothing and buf_failed()
 * says so, so a builder can append freely and check once at the end.
 */
#ifndef TRIAGE_BUF_H
#define TRIAGE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated; NULL until the first append */
	size_t	 len;
	size_t	 cap;
	int	 failed;	/* an allocation failed; contents are incomplete */
};

/* Sets up an empty buffer; no allocation happens yet. */
void	 buf_init(struct buf *b);
/* Frees the contents and leaves an empty buffer. */
void	 buf_release(struct buf *b);
/* Empties the buffer, keeping its memory. */
void	 buf_reset(struct buf *b);
/* Makes room for n more bytes.  Returns 0, or -1 when memory runs out. */
int	 buf_reserve(struct buf *b, size_t n);
/* Appends n bytes.  Returns 0 or -1. */
int	 buf_add(struct buf *b, const void *p, size_t n);
/* Appends a C string.  Returns 0 or -1. */
int	 buf_adds(struct buf *b, const char *s);
/* Appends one byte.  Returns 0 or -1. */
int	 buf_addc(struct buf *b, int c);
/* Appends printf-formatted text.  Returns 0 or -1. */
int	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Appends n bytes of s as a JSON string, quotes included (control
 * characters and DEL escaped; other bytes as they are).  0 or -1. */
int	 buf_add_json_string(struct buf *b, const char *s, size_t n);
/* The contents as a C string: "" when empty, never NULL. */
const char *buf_str(const struct buf *b);
/* Hands the contents to the caller (free() them) and empties the buffer.
 * Returns NULL if an allocation failed along the way. */
char	*buf_steal(struct buf *b);
/* Nonzero when an allocation failed since buf_init or buf_reset. */
int	 buf_failed(const struct buf *b);

#endif
