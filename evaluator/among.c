/*
 * among.c: the "among" predicate, a cross-reference inside one submission.
 *
 * {"path": "", "among": POINTER} holds when the value equals one of the
 * values POINTER reaches from the submission's root, where a "*" token steps
 * into every element of an array (the tokens clinical_evidence, studies, *,
 * id reach every study's id). The expression
 * language otherwise cannot say "this id names a listed study" or "this path
 * is a listed evidence file" (issue 12: invented references passed).
 *
 * Why a module of its own: the walk fans out over arrays, so it counts every
 * value it visits against the criterion's array-visit budget, like the
 * quantifiers do; the equality test is the evaluator's own, passed in.
 */
#include "internal.h"

#include <string.h>

typedef struct among_walk {
	const emh_ptr *ptr;
	const cJSON *want;
	int (*equal)(const cJSON *a, const cJSON *b);
	int (*visit)(void *ctx); /* returns nonzero once the budget is spent */
	void *ctx;
} among_walk;

/* 1 found, 0 not found, -1 budget spent. */
static int walk(const among_walk *w, const cJSON *v, size_t i)
{
	if (!v)
		return 0;
	if (i == w->ptr->ntokens) {
		if (w->visit(w->ctx))
			return -1;
		return w->equal(v, w->want);
	}
	const emh_ptr_token *t = &w->ptr->tokens[i];
	if (cJSON_IsArray(v) && strcmp(t->key, "*") == 0) {
		for (const cJSON *e = v->child; e; e = e->next) {
			int r = walk(w, e, i + 1);
			if (r)
				return r;
		}
		return 0;
	}
	if (cJSON_IsObject(v))
		return walk(w, cJSON_GetObjectItemCaseSensitive(v, t->key), i + 1);
	if (cJSON_IsArray(v) && t->index >= 0) {
		const cJSON *e = v->child;
		for (long k = 0; e && k < t->index; k++)
			e = e->next;
		return walk(w, e, i + 1);
	}
	return 0;
}

int emh_among_find(const emh_ptr *ptr, const cJSON *root, const cJSON *want,
                   int (*equal)(const cJSON *a, const cJSON *b),
                   int (*visit)(void *ctx), void *ctx)
{
	among_walk w = { ptr, want, equal, visit, ctx };
	return walk(&w, root, 0);
}
