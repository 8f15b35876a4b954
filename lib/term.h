/*
 * term: manners toward the person at the terminal.  Colour only on a
 * terminal and never with NO_COLOR (or TERM=dumb); progress lines only when
 * stderr is a terminal; control sequences stripped from hostile text before
 * it reaches a terminal.
 */
#ifndef TRIAGE_TERM_H
#define TRIAGE_TERM_H

#include <stdio.h>

/* Nonzero when fd is a terminal. */
int	 term_is_tty(int fd);
/* Nonzero when colour may be written to fd. */
int	 term_colour(int fd);
/* Nonzero when progress may be written to stderr. */
int	 term_progress(void);

/* SGR sequences, or "" when colour is off for that stream. */
const char *term_sgr(int fd, const char *sgr);
#define SGR_RESET	"0"
#define SGR_BOLD	"1"
#define SGR_DIM		"2"
#define SGR_RED		"31"
#define SGR_GREEN	"32"
#define SGR_YELLOW	"33"
#define SGR_BLUE	"34"
#define SGR_MAGENTA	"35"
#define SGR_CYAN	"36"

/*
 * Writes s to fp with control characters (C0 except tab/newline as asked,
 * DEL, C1, ESC sequences) replaced by '?', so hostile text cannot move the
 * cursor, retitle the window or hide itself.  keep_newlines keeps \n.
 */
void	 term_put_safe(FILE *fp, const char *s, int keep_newlines);

/*
 * A progress line on stderr when it is a terminal: "\r" + text, cleared
 * with progress_done.  Does nothing when stderr is not a terminal.
 */
void	 progress_update(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	 progress_done(void);

#endif
