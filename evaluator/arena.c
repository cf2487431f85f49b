/*
 * arena.c - a bump allocator for objects that die together (a dossier, a
 * compiled criteria set), so that freeing is one call and no result string
 * can be leaked on its own.
 */
#include <stdarg.h>
#include <stdatomic.h>
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
	int failed; /* an allocation failed: what was built may be missing parts */
};

/*
 * Allocation-failure injection, for the unit tests (tests/unit/check_alloc.c):
 * while armed, every allocation through a wrapper (arena, cJSON hooks, the
 * growable buffer) is counted, and the one numbered fail_at fails. Unarmed,
 * the cost is one relaxed load per allocation.
 */
static atomic_ulong emh_alloc_armed, emh_alloc_counted, emh_alloc_failed;

void emh_alloc_fail_at(unsigned long n)
{
	atomic_store(&emh_alloc_counted, 0);
	atomic_store(&emh_alloc_failed, 0);
	atomic_store(&emh_alloc_armed, n);
}

unsigned long emh_alloc_injected(void)
{
	return atomic_load(&emh_alloc_failed);
}

int emh_alloc_should_fail(void)
{
	unsigned long at = atomic_load_explicit(&emh_alloc_armed, memory_order_relaxed);
	if (!at)
		return 0;
	if (atomic_fetch_add(&emh_alloc_counted, 1) + 1 != at)
		return 0;
	atomic_fetch_add(&emh_alloc_failed, 1);
	return 1;
}

/*
 * The library's plain allocations go through these, so that the sweep in
 * check_alloc.c reaches them too (make lint keeps raw calls out of the files
 * that use them). Each fails when emh_alloc_should_fail says so, else is libc's.
 */
static _Thread_local unsigned long emh_alloc_lost; /* wrapper calls that returned NULL, this thread */

unsigned long emh_alloc_failures(void)
{
	return emh_alloc_lost;
}

static void *emh_alloc_count(void *p)
{
	if (!p)
		emh_alloc_lost++;
	return p;
}

/*
 * A zero size asks libc for one byte: malloc(0) and realloc(p, 0) may return
 * NULL without failing, which would count as a lost allocation.
 */
void *emh_malloc(size_t size)
{
	return emh_alloc_count(emh_alloc_should_fail() ? NULL : malloc(size ? size : 1));
}

void *emh_calloc(size_t n, size_t size)
{
	return emh_alloc_count(emh_alloc_should_fail() ? NULL : calloc(n && size ? n : 1, n && size ? size : 1));
}

void *emh_realloc(void *p, size_t size)
{
	/* On failure p stays valid and owned by the caller, as with realloc. */
	return emh_alloc_count(emh_alloc_should_fail() ? NULL : realloc(p, size ? size : 1));
}

char *emh_strdup(const char *s)
{
	return emh_alloc_count(emh_alloc_should_fail() ? NULL : strdup(s));
}

char *emh_strndup(const char *s, size_t n)
{
	return emh_alloc_count(emh_alloc_should_fail() ? NULL : strndup(s, n));
}

emh_arena *emh_arena_new(void)
{
	if (emh_alloc_should_fail())
		return NULL;
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

int emh_arena_failed(const emh_arena *a)
{
	return a && a->failed;
}

void emh_arena_set_failed(emh_arena *a)
{
	if (a)
		a->failed = 1;
}

static void *take(emh_arena *a, size_t size, int zero)
{
	if (emh_alloc_should_fail()) {
		a->failed = 1;
		return NULL;
	}
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
#ifndef EMH_ARENA_DEBUG
	emh_chunk *c = a->head;
	if (c && c->size - c->used >= size) {
		void *p = (char *)c->data + c->used;
		c->used += size;
		return zero ? memset(p, 0, size) : p;
	}
	size_t chunk = size > EMH_ARENA_CHUNK / 4 ? size : EMH_ARENA_CHUNK;
#else
	size_t chunk = size;
#endif
	/* Zeroed as handed out, not per chunk: a dossier uses a fraction of its first chunk. */
	emh_chunk *n = malloc(sizeof(emh_chunk) + chunk);
	if (!n) {
		a->failed = 1;
		return NULL;
	}
	if (zero)
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

void *emh_arena_alloc(emh_arena *a, size_t size)
{
	return take(a, size, 1);
}

void *emh_arena_alloc_raw(emh_arena *a, size_t size)
{
	return take(a, size, 0);
}

char *emh_arena_strndup(emh_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = emh_arena_alloc_raw(a, n + 1);
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
