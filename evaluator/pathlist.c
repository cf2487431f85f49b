/*
 * pathlist.c - the paths a batch's discovery found, each folder stored once
 * (pathlist.h says why).
 */
#define _GNU_SOURCE /* qsort_r: the comparison needs the list's pool */
#include <stdlib.h>
#include <string.h>
#include "evaluator/internal.h"
#include "evaluator/pathlist.h"

typedef struct entry {
	uint32_t folder; /* index into folders, or EMH_PATHLIST_WHOLE */
	uint32_t name;   /* offset of the name in pool */
	unsigned char mark;
} entry;

struct emh_pathlist {
	emh_buf pool;      /* folders and names, each NUL-terminated */
	uint32_t *folders; /* offsets of the folders in pool */
	size_t nfolders, folder_cap;
	entry *e;
	size_t n, cap;
};

emh_pathlist *emh_pathlist_new(void)
{
	return emh_calloc(1, sizeof(emh_pathlist));
}

void emh_pathlist_free(emh_pathlist *l)
{
	if (!l)
		return;
	emh_buf_dispose(&l->pool);
	free(l->folders);
	free(l->e);
	free(l);
}

/* Copies s into the pool; its offset in *off. -1 for memory or past 4 GiB. */
static int pool_add(emh_pathlist *l, const char *s, uint32_t *off)
{
	size_t n = strlen(s);
	if (l->pool.len + n + 1 > UINT32_MAX)
		return -1;
	*off = (uint32_t)l->pool.len;
	emh_buf_append(&l->pool, s, n + 1); /* with its NUL */
	return emh_buf_ok(&l->pool) ? 0 : -1;
}

/* Room for one more of an array's elements. */
static int reserve(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *p = emh_realloc(*v, ncap * size);
	if (!p)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

int emh_pathlist_add_folder(emh_pathlist *l, const char *folder, uint32_t *id)
{
	if (l->nfolders >= EMH_PATHLIST_WHOLE ||
	    reserve((void **)&l->folders, &l->folder_cap, l->nfolders, sizeof *l->folders) ||
	    pool_add(l, folder, &l->folders[l->nfolders]))
		return -1;
	*id = (uint32_t)l->nfolders++;
	return 0;
}

int emh_pathlist_add(emh_pathlist *l, uint32_t folder, const char *name, unsigned mark)
{
	if (reserve((void **)&l->e, &l->cap, l->n, sizeof *l->e))
		return -1;
	entry *x = &l->e[l->n];
	x->folder = folder;
	x->mark = (unsigned char)mark;
	if (pool_add(l, name, &x->name))
		return -1;
	l->n++;
	return 0;
}

/* A path's bytes in order, read from its parts without writing it out. */
typedef struct cursor {
	const char *part[3];
	int k;
} cursor;

static void cursor_init(cursor *c, const emh_pathlist *l, const entry *x)
{
	const char *name = l->pool.ptr + x->name;
	if (x->folder == EMH_PATHLIST_WHOLE) {
		c->part[0] = name;
		c->part[1] = c->part[2] = "";
	} else {
		const char *folder = l->pool.ptr + l->folders[x->folder];
		size_t n = strlen(folder);
		c->part[0] = folder;
		c->part[1] = n && folder[n - 1] == '/' ? "" : "/";
		c->part[2] = name;
	}
	c->k = 0;
}

/* The next byte, or -1 at the end (so a path sorts before every longer one it begins). */
static int cursor_next(cursor *c)
{
	while (c->k < 3) {
		if (*c->part[c->k])
			return (unsigned char)*c->part[c->k]++;
		c->k++;
	}
	return -1;
}

static int compare_paths(const emh_pathlist *l, const entry *x, const entry *y)
{
	if (x->folder == y->folder && x->folder != EMH_PATHLIST_WHOLE)
		return strcmp(l->pool.ptr + x->name, l->pool.ptr + y->name);
	cursor a, b;
	cursor_init(&a, l, x);
	cursor_init(&b, l, y);
	for (;;) {
		int p = cursor_next(&a), q = cursor_next(&b);
		if (p != q)
			return p < q ? -1 : 1;
		if (p < 0)
			return 0;
	}
}

static int by_path_then_mark(const void *a, const void *b, void *payload)
{
	const entry *x = a, *y = b;
	int c = compare_paths(payload, x, y);
	return c ? c : (x->mark > y->mark) - (x->mark < y->mark);
}

void emh_pathlist_sort_unique(emh_pathlist *l)
{
	if (l->n > 1)
		qsort_r(l->e, l->n, sizeof *l->e, by_path_then_mark, l);
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!k || compare_paths(l, &l->e[k - 1], &l->e[i]) != 0)
			l->e[k++] = l->e[i];
	l->n = k;
}

size_t emh_pathlist_count(const emh_pathlist *l)
{
	return l ? l->n : 0;
}

const char *emh_pathlist_path(const emh_pathlist *l, size_t i, emh_buf *b)
{
	emh_buf_clear(b);
	const entry *x = &l->e[i];
	if (x->folder != EMH_PATHLIST_WHOLE) {
		const char *folder = l->pool.ptr + l->folders[x->folder];
		size_t n = strlen(folder);
		emh_buf_append(b, folder, n);
		if (!n || folder[n - 1] != '/')
			emh_buf_putc(b, '/');
	}
	emh_buf_puts(b, l->pool.ptr + x->name);
	return emh_buf_ok(b) ? emh_buf_cstr(b) : "";
}

const char *emh_pathlist_name(const emh_pathlist *l, size_t i)
{
	return l->pool.ptr + l->e[i].name;
}

unsigned emh_pathlist_mark(const emh_pathlist *l, size_t i)
{
	return l->e[i].mark;
}
