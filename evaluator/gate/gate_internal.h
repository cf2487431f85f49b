/*
 * gate_internal.h (private) - what lint.c and impact.c share: how two
 * versions of a criteria file are compared.
 */
#ifndef EMH_EVALUATOR_GATE_INTERNAL_H
#define EMH_EVALUATOR_GATE_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "emheval/buf.h"

/*
 * 1 for the keys of a criterion whose change does not change its meaning, so
 * needs no version bump: title, fail_message, remediation, guidance, review.
 */
int emh_gate__wording_key(const char *key);

/*
 * Appends to keys ("a, b") the members of objects a and b that differ (one
 * side missing counts), skipping those skip() accepts (skip may be NULL).
 * Values compare as JSON (member order does not matter). Returns the count.
 */
size_t emh_gate__diff_keys(const cJSON *a, const cJSON *b, emh_buf *keys,
                           int (*skip)(const char *));

/*
 * impact over filings evaluated elsewhere (impact --ledger, register/): reads
 * and compiles both revisions as emh_impact does and fills the report's
 * criteria part, with room for capacity submissions; *A and *B are then the
 * caller's to evaluate with and free.
 */
struct emh_impact_report;
struct emh_criteria;
struct emh_dossier;
struct emh_impact_options;
struct emh_error;
int emh_impact__begin(struct emh_impact_report **out, struct emh_criteria **A, struct emh_criteria **B,
                      const struct emh_impact_options *opts, size_t capacity, struct emh_error *err);
/* Adds one filing: compared (da at "from", db at "to"); with da or db NULL, recorded as
 * unreadable with error when given, else as not re-evaluable for the reason given; name is
 * the app's. Returns 0, or -1 out of memory. */
int emh_impact__add(struct emh_impact_report *r, const char *path, const struct emh_dossier *da,
                    const struct emh_dossier *db, const char *not_reevaluable, const char *error,
                    const char *name);

#endif
