/*
 * waive.h (private) - waivers applied during an evaluation: evaluate.c
 * turns a fail into waived when an unexpired waiver in scope names it.
 * Reading and authorising a waivers file is audit (evaluator/audit/waiver.c);
 * applying the waivers given in the options is evaluation, so it sits here,
 * below the audit.
 */
#ifndef EMH_EVALUATOR_WAIVE_H
#define EMH_EVALUATOR_WAIVE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "emheval/eval.h"

struct emh_arena;

/* Days after the evaluation date a waiver's expiry (or a review's date) may be. */
#define EMH_WAIVE_DAYS_AHEAD 366

typedef struct emh_waiver_run {
	const emh_waiver *items; /* the caller's waivers (opts) */
	size_t count;
	unsigned char *in_scope; /* per waiver: 1 when it concerns this app (and version) */
	const char **status;     /* per waiver: "applied", "expired", "unused" */
	long as_of;
	int as_of_ok;
} emh_waiver_run;

/*
 * Prepares the waivers of opts for one submission (root) evaluated as of
 * as_of. Returns 0 (nothing to do when there are no waivers) or
 * EMH_EINVALID when waivers are given but the evaluation has no date.
 */
int emh_waiver__begin(emh_waiver_run *run, const emh_eval_options *opts,
                      const cJSON *root, long as_of, int as_of_ok, emh_error *err);
/* Turns r's fail into waived when an unexpired waiver in scope names it. */
void emh_waiver__apply(emh_waiver_run *run, emh_result *r, struct emh_arena *arena);
/* Records every waiver in scope, once, sorted by id, with its status, in d. */
int emh_waiver__finish(emh_waiver_run *run, emh_dossier *d);
void emh_waiver__dispose(emh_waiver_run *run);

#endif
