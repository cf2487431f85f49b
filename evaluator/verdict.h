/*
 * verdict.h (private) - counts, category scores and the verdict of a dossier.
 */
#ifndef EMH_EVALUATOR_VERDICT_H
#define EMH_EVALUATOR_VERDICT_H

#include "emheval/dossier.h"
#include "evaluator/criteria_internal.h"

/* Fills d->counts, d->scores and d->verdict from d->results and set's policy. */
void emh_decide(emh_dossier *d, const emh_criteria *set);

#endif
