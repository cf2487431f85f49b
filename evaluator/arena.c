/*
 * arena.c - a bump allocator for objects that die together (a dossier, a
 * compiled criteria set), so that freeing is one call and no result string
 * can be leaked on its own.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/internal.h"

#define EMH_ARENA_CHUNK 16384u

typedef struct emh_chunk {
	struct emh_chunk *next;
	size_t used, size;
	max_align_t data[]; /* aligned storage */
} emh_chunk;

struct emh_arena {
	emh_chunk *head;
};

emh_arena *emh_arena_new(void)
{
	return calloc(1, sizeof(emh_arena));
}

void emh_arena_free(emh_arena *a)
{
	if (!a)
		return;
	emh_chunk *c = a->head;
	while (c) {
		emh_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *emh_arena_alloc(emh_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
#ifndef EMH_ARENA_DEBUG
	emh_chunk *c = a->head;
	if (c && c->size - c->used >= size) {
		void *p = (char *)c->data + c->used;
		c->used += size;
		return memset(p, 0, size);
	}
	size_t chunk = size > EMH_ARENA_CHUNK / 4 ? size : EMH_ARENA_CHUNK;
#else
	size_t chunk = size;
#endif
	/* Zeroed as handed out, not per chunk: a dossier uses a fraction of its first chunk. */
	emh_chunk *n = malloc(sizeof(emh_chunk) + chunk);
	if (!n)
		return NULL;
	memset(n->data, 0, size);
	n->size = chunk;
	n->used = size;
	/* A big one-off allocation goes behind the current chunk, which keeps its free space. */
	if (a->head && chunk == size && a->head->size - a->head->used > 0) {
		n->next = a->head->next;
		a->head->next = n;
	} else {
		n->next = a->head;
		a->head = n;
	}
	return n->data;
}

char *emh_arena_strndup(emh_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = emh_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *emh_arena_strdup(emh_arena *a, const char *s)
{
	return s ? emh_arena_strndup(a, s, strlen(s)) : NULL;
}

char *emh_arena_printf(emh_arena *a, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	char *p = n < 0 ? NULL : emh_arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
