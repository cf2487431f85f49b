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

#endif
