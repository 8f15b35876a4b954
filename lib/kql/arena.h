/*
 * arena: one owner for every node of a parsed query.  The parser and the
 * SQL generator allocate many small objects whose lifetimes all end
 * together; an arena frees them at once, so an error half-way through a
 * parse leaks nothing and needs no unwinding.
 */
#ifndef TRIAGE_KQL_ARENA_H
#define TRIAGE_KQL_ARENA_H

#include <stddef.h>

struct kql_arena_chunk;

struct kql_arena {
	struct kql_arena_chunk	*head;
	size_t			 total;		/* bytes handed out */
	size_t			 limit;		/* 0: none; else fail past it */
	int			 failed;	/* an allocation failed */
};

/* Sets up an empty arena; limit caps its total size (0: no cap). */
void	 kql_arena_init(struct kql_arena *a, size_t limit);
/* Frees everything the arena handed out. */
void	 kql_arena_release(struct kql_arena *a);
/* n zeroed bytes, aligned for any type; NULL when memory runs out. */
void	*kql_arena_alloc(struct kql_arena *a, size_t n);
/* A copy of n bytes of s plus a NUL; NULL when memory runs out. */
char	*kql_arena_strndup(struct kql_arena *a, const char *s, size_t n);
char	*kql_arena_strdup(struct kql_arena *a, const char *s);
/* Grows an array of elements of size sz by one: *v gets room for *n + 1
 * elements (copying the old ones) and *n is incremented; returns the new
 * zeroed slot, or NULL. */
void	*kql_arena_push(struct kql_arena *a, void **v, size_t *n, size_t *cap,
	    size_t sz);

#endif
