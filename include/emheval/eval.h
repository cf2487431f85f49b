/*
 * eval.h - evaluating a submission against a compiled criteria set.
 *
 * Thread safety: emh_evaluate only reads the criteria set and the submission,
 * so threads may evaluate concurrently with one shared set.
 */
#ifndef EMHEVAL_EVAL_H
#define EMHEVAL_EVAL_H

#include "emheval/criteria.h"
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "emheval/submission.h"

typedef struct emh_eval_options {
	const char *as_of; /* evaluation date YYYY-MM-DD, NULL: the submission's submission_date */
	int explain;       /* 1 (default): record findings for results that do not pass */
	/* Waivers to consider (audit.h, emh_waivers_items); borrowed, they must
	 * outlive the evaluation (and an emh_evaluator made with these options).
	 * A waiver applies to its app while as_of <= its expiry date. */
	const emh_waiver *waivers;
	size_t nwaivers;
	size_t max_array_visit; /* array elements one criterion may visit before it is an
	                           error naming the limit; 0: 1,000,000 (docs/security.md) */
	const char *profiles;   /* comma-separated profile ids (--profile); NULL: the submission's
	                           "profiles", else its markets (docs/profiles.md) */
} emh_eval_options;

#define EMH_EVAL_OPTIONS_INIT { NULL, 1, NULL, 0, 0, NULL }

/*
 * Evaluates every criterion and decides the verdict. Returns 0 and a dossier
 * in *out (the caller's; emh_dossier_free). Problems with the submission's
 * data are results (error outcomes), not failures of this call; it fails
 * only for a bad option (EMH_EINVALID, e.g. a malformed as_of) or memory.
 */
int emh_evaluate(emh_dossier **out, const emh_criteria *criteria,
                 const emh_submission *submission,
                 const emh_eval_options *opts, emh_error *err);

/*
 * A reusable evaluator: the per-thread state (regex match data and JIT
 * stack) made once, for a worker that evaluates many submissions. One
 * evaluator must not be used by two threads at once; make one per thread.
 * emh_evaluator_new copies opts; criteria must outlive the evaluator.
 */
typedef struct emh_evaluator emh_evaluator;

int emh_evaluator_new(emh_evaluator **out, const emh_criteria *criteria,
                      const emh_eval_options *opts, emh_error *err);
int emh_evaluator_run(emh_evaluator *ev, emh_dossier **out,
                      const emh_submission *submission, emh_error *err);
void emh_evaluator_free(emh_evaluator *ev);

/*
 * The dossier of record in one call: emh_evaluate (or emh_evaluator_run)
 * then emh_dossier_seal, so d->digest is set. On failure *out is NULL and
 * nothing is left to free. Every caller that writes, signs or compares a
 * dossier evaluates through these (evaluator/dossier/seal.c).
 */
int emh_evaluate_sealed(emh_dossier **out, const emh_criteria *criteria,
                        const emh_submission *submission,
                        const emh_eval_options *opts, emh_error *err);
int emh_evaluator_run_sealed(emh_evaluator *ev, emh_dossier **out,
                             const emh_submission *submission, emh_error *err);

#endif
