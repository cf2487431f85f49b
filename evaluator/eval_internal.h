/*
 * eval_internal.h (private) - the expression evaluator's context, shared by
 * eval.c (expressions) and evaluate.c (criteria, dossier).
 */
#ifndef EMH_EVALUATOR_EVAL_INTERNAL_H
#define EMH_EVALUATOR_EVAL_INTERNAL_H

#include "emheval/buf.h"
#include "emheval/dossier.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/submission_internal.h"

#define EMH_MAX_FINDINGS 16

/*
 * Array elements a criterion may visit (each element a quantifier or "where"
 * looks at, each pair "unique" compares) before it ends as an error naming
 * this limit: a hostile submission's 10-million-element array, or nested
 * quantifiers over large arrays, stay bounded. emh_eval_options can change it.
 */
#ifndef EMH_MAX_ARRAY_VISIT
#define EMH_MAX_ARRAY_VISIT 1000000u
#endif

typedef struct emh_ectx {
	const emh_submission *sub;
	const cJSON *root;
	const cJSON *markets;  /* what /app/markets reads when a named profile widened it, else NULL (evaluate.c) */
	struct emh_observation *obs; /* the observers' facts (observe.c), read at /observed */
	long as_of;            /* evaluation date as a day number */
	int as_of_ok;          /* 0: no evaluation date could be found */
	emh_matcher matcher;
	/* Explain mode: findings for tests that decide a non-pass. */
	int explain_enabled;   /* the caller wants findings */
	int explain;           /* this pass records findings */
	int negated;           /* inside an odd number of not / none */
	int quiet;             /* inside "where" or "applies_when": record nothing */
	emh_arena *arena;      /* where findings are allocated */
	emh_finding findings[EMH_MAX_FINDINGS];
	size_t nfindings;
	size_t dropped;        /* findings beyond the cap */
	emh_buf prefix;        /* pointer of the current array element */
	char reason[400];      /* first reason for an error or needs_review */
	size_t visits;         /* array elements visited in this pass */
	size_t max_visits;     /* EMH_MAX_ARRAY_VISIT or the option */
	/*
	 * The criterion's check, whose text tests together read its languages
	 * (eval.c), and what a test that has nothing of its own to read gives
	 * the "and" or "or" around it: pass under "and", fail under "or".
	 */
	const emh_node *check;
	emh_tri neutral;
} emh_ectx;

/*
 * Follows p from base; from the root, a pointer into /observed goes to the
 * observers' facts instead of submission.json (which may not hold /observed),
 * and one into /app/markets to c->markets when it is set.
 */
const cJSON *emh_eval_resolve(const emh_ectx *c, const emh_ptr *p, const cJSON *base,
                              const cJSON **deepest);

/* Evaluates an expression node against base (the root, or an array element). */
emh_tri emh_eval_node(emh_ectx *c, const emh_node *n, const cJSON *base);

/*
 * evaluate.c, for criteria fixtures: criterion i of the evaluator's set on
 * sub, alone: its applies_when and check (or manual), with every prerequisite
 * taken as passed. The result's strings and findings live in a (or in the
 * set). Returns 0, EMH_ENOTFOUND for a bad i, or EMH_EGENERIC.
 */
struct emh_evaluator;
int emh_evaluator__run_alone(struct emh_evaluator *ev, size_t i, const emh_submission *sub,
                             emh_arena *a, emh_result *out, emh_error *err);

#endif
