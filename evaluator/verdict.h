/*
 * verdict.h (private) - counts, category scores and the verdict of a dossier.
 */
#ifndef EMH_EVALUATOR_VERDICT_H
#define EMH_EVALUATOR_VERDICT_H

#include "emheval/dossier.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/json.h"

/*
 * Fills d->counts, d->scores, each of d->profiles' verdict and lists, and
 * d->verdict (the least favourable) from d->results and the profiles' policies.
 */
void emh_decide(emh_dossier *d, const emh_criteria *set);

/*
 * Chooses the profiles to evaluate into d->profiles (docs/profiles.md): the
 * comma-separated ids of override (--profile), else the submission's
 * "profiles", else those whose markets hold one of app.markets, else those
 * for any market ("*"). An unknown id, or nothing chosen, is EMH_EINVALID.
 */
int emh_select_profiles(emh_dossier *d, const emh_criteria *set, const cJSON *root,
                        const char *override, emh_error *err);

#endif
