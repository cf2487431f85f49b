/*
 * json.h (private) - strict JSON reading with positions, on top of cJSON.
 *
 * cJSON builds the tree but is lenient (it takes "-01", lone surrogates, invalid
 * UTF-8) and keeps no positions. emh_json_parse therefore makes one extra pass
 * over the bytes that checks the RFC 8259 grammar strictly, enforces limits,
 * and records the byte offset where each value starts, in document order. The
 * same order is cJSON's pre-order, so a node's position is found by counting
 * (emh_json_locate), which is only needed when a failure is reported.
 */
#ifndef EMH_EVALUATOR_JSON_H
#define EMH_EVALUATOR_JSON_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "emheval/error.h"

typedef struct emh_json emh_json;

typedef struct emh_json_limits {
	size_t max_bytes;   /* largest document accepted, 0 = EMH_JSON_DEFAULT_MAX_BYTES */
	unsigned max_depth; /* deepest nesting accepted, 0 = EMH_JSON_DEFAULT_MAX_DEPTH */
	int reject_nul;     /* 1: refuse \u0000 in strings; cJSON would cut the string there,
	                       hiding what follows from every check */
	int read_only;      /* 1: the tree is never changed or taken apart, so its nodes may
	                       live in blocks freed with the document (submissions) */
	size_t max_values;  /* most values (scalars and containers) accepted, 0 = no limit:
	                       the tree costs about 64 bytes per value whatever the text's size */
	const char *max_values_why; /* how max_values was set, for the message (may be NULL) */
} emh_json_limits;

#define EMH_JSON_DEFAULT_MAX_BYTES (16u * 1024u * 1024u)
#define EMH_JSON_DEFAULT_MAX_DEPTH 256u
#define EMH_JSON_LIMITS_INIT { 0, 0, 0, 0, 0, NULL }

/*
 * Parses text[0..len) (need not be NUL-terminated; it is copied) strictly.
 * filename is recorded in errors. limits may be NULL for the defaults.
 * On failure returns EMH_EINVALID (or EMH_ELIMIT) and fills err with
 * filename, line, column and what was expected there.
 */
int emh_json_parse(emh_json **out, const char *text, size_t len,
                   const char *filename, const emh_json_limits *limits,
                   emh_error *err);

void emh_json_free(emh_json *doc);

/*
 * How many allocations through cJSON's hooks have failed on this thread (it
 * installs the hooks first). cJSON's Add and Create functions leave out what
 * they could not allocate without saying so: a builder compares the count
 * before and after, and fails when it grew.
 */
unsigned long emh_json_alloc_failures(void);

/*
 * cJSON_AddItemToArray and cJSON_AddItemToObject that free item when it
 * cannot be added (a NULL parent, or out of memory), so that a tree whose
 * building failed half-way leaks nothing. item may be NULL.
 */
void emh_json_push(cJSON *array, cJSON *item);
void emh_json_put(cJSON *object, const char *key, cJSON *item);

/*
 * Members built through emh_json_put, for every tree the library writes: a
 * string (put_str: left out when value is NULL, so a member's presence
 * means something; put_str_or_null: null instead), and an integer.
 */
void emh_json_put_str(cJSON *object, const char *key, const char *value);
void emh_json_put_str_or_null(cJSON *object, const char *key, const char *value);
void emh_json_put_num(cJSON *object, const char *key, long long value);

/* The root value; borrowed, lives as long as doc. */
const cJSON *emh_json_root(const emh_json *doc);

/* The document's bytes (a NUL-terminated copy) and length; borrowed. */
const char *emh_json_text(const emh_json *doc, size_t *len_out);

/*
 * Finds where node (a value inside doc's tree) starts: 1-based line and column
 * and the byte offset. Returns 0, or EMH_ENOTFOUND if node is not in doc.
 */
int emh_json_locate(const emh_json *doc, const cJSON *node, unsigned *line,
                    unsigned *column, size_t *offset);

/*
 * A reader's problem, for it to pass on: fills *e afresh with code and the
 * message (fmt, ap), in file (may be NULL) at the line and column where at
 * starts in doc (0, 0 when at is NULL or not in doc) and at jptr (may be NULL).
 */
void emh_json_vproblem(emh_error *e, int code, const emh_json *doc, const cJSON *at, const char *file,
                       const char *jptr, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

/* Where a value starts: 1-based line and column (in bytes), byte offset. */
typedef struct emh_json_pos {
	unsigned line, column; /* 0, 0 when the node is not in the document */
	size_t offset;
} emh_json_pos;

/*
 * Finds where each of nodes[0..n) starts (NULL entries and nodes not in doc
 * get line 0), in any order, with one walk of the tree and one pass over
 * the text: O(N log n + bytes) for a tree of N nodes, where n calls of
 * emh_json_locate would cost O(n * N). *visited (may be NULL) receives the
 * number of tree nodes walked, each once. Returns 0 or EMH_EGENERIC (out of
 * memory).
 */
int emh_json_locate_many(const emh_json *doc, const cJSON *const *nodes, size_t n,
                         emh_json_pos *out, size_t *visited);

/*
 * Resolves an RFC 6901 pointer string against doc's root; NULL when absent.
 * (The evaluator uses precompiled pointers; this is for tools and tests.)
 */
const cJSON *emh_json_resolve(const emh_json *doc, const char *pointer);

/* A top-level member found by emh_json_peek_members. */
typedef struct emh_json_peeked {
	int present;       /* 1 when the object has the member */
	const char *value; /* its string value (not NUL-terminated, no escapes), or NULL if not a string */
	size_t len;
} emh_json_peeked;

/*
 * Reads only the top level of the object in text[0..len), without building a
 * tree or validating what lies below it, and reports for each of names[0..n)
 * its first member's string value, as cJSON_GetObjectItemCaseSensitive would
 * see it. Returns 0, or -1 when it cannot tell cheaply (not an object,
 * unbalanced, or an escape in a key or in a wanted value): then parse.
 * For telling emheval's own outputs from submissions at discovery, which
 * must not parse every file twice.
 */
int emh_json_peek_members(const char *text, size_t len, const char *const *names, size_t n,
                          emh_json_peeked *out);

/* Tests only: 1 makes the reader skip string bytes with its portable loops even where AVX2 is there. */
void emh_json__portable(int on);

/*
 * cJSON_GetObjectItemCaseSensitive, inline and comparing the first byte
 * before strcmp: a criterion's pointers and the "$unknown" tests look up
 * members of every submission's objects, and most keys differ at once.
 */
static inline const cJSON *emh_json_find_member(const cJSON *object, const char *key)
{
	if (!object || !key)
		return NULL;
	for (const cJSON *e = object->child; e && e->string; e = e->next)
		if (e->string[0] == key[0] && strcmp(e->string, key) == 0)
			return e;
	return NULL;
}

#endif
