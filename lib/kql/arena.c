/*
 * arena: bump allocation in chunks; large requests get a chunk of their
 * own.  Nothing is freed until the arena is released.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kql/arena.h"

#define ARENA_CHUNK	(64 * 1024)

struct kql_arena_chunk {
	struct kql_arena_chunk	*next;
	size_t			 used;
	size_t			 cap;
	max_align_t		 data[];
};

void
kql_arena_init(struct kql_arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
	a->failed = 0;
}

void
kql_arena_release(struct kql_arena *a)
{
	struct kql_arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->total = 0;
}

void *
kql_arena_alloc(struct kql_arena *a, size_t n)
{
	struct kql_arena_chunk *c;
	size_t align = sizeof(max_align_t), cap;
	char *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2) {
		a->failed = 1;
		return NULL;
	}
	n = (n + align - 1) / align * align;
	if (a->limit != 0 && a->total + n > a->limit) {
		a->failed = 1;
		return NULL;
	}
	c = a->head;
	if (c == NULL || c->cap - c->used < n) {
		cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (c == NULL) {
			a->failed = 1;
			return NULL;
		}
		c->used = 0;
		c->cap = cap;
		if (n > ARENA_CHUNK / 4 && a->head != NULL) {
			/* A big block: keep filling the current chunk. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *
kql_arena_strndup(struct kql_arena *a, const char *s, size_t n)
{
	char *p;

	p = kql_arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
kql_arena_strdup(struct kql_arena *a, const char *s)
{
	return kql_arena_strndup(a, s, strlen(s));
}

void *
kql_arena_push(struct kql_arena *a, void **v, size_t *n, size_t *cap,
    size_t sz)
{
	void *nv;
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap == 0 ? 4 : *cap * 2;
		nv = kql_arena_alloc(a, ncap * sz);
		if (nv == NULL)
			return NULL;
		if (*n > 0)
			memcpy(nv, *v, *n * sz);
		*v = nv;
		*cap = ncap;
	}
	return (char *)*v + (*n)++ * sz;
}
