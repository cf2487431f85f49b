/*
 * prefilter.h (private) - the literals a PCRE2 pattern cannot match without,
 * found in a text before PCRE2 runs (evaluator/prefilter.c, docs/performance.md).
 *
 * A prefilter is a conjunction of sets of literals: every match of the
 * pattern holds, for each set, at least one of its literals. A text that
 * lacks every literal of some set cannot match, so PCRE2 need not run.
 */
#ifndef EMH_EVALUATOR_PREFILTER_H
#define EMH_EVALUATOR_PREFILTER_H

#include <stddef.h>

typedef struct emh_prefilter emh_prefilter;

/*
 * The prefilter of pattern compiled with flags (any of "imsxu", NULL for
 * none; always UTF), or NULL when there is none: the pattern uses a
 * construct outside the analysed subset, requires no literal of 3 bytes or
 * more, or memory ran out. *why (optional) then gets a static reason.
 * Only call it for a pattern PCRE2 compiled.
 */
emh_prefilter *emh_prefilter_build(const char *pattern, const char *flags, const char **why);
void emh_prefilter_free(emh_prefilter *pf);

/* 0 when s[0..len) lacks every literal of one of the sets: no match possible. */
int emh_prefilter_may_match(const emh_prefilter *pf, const char *s, size_t len);

/*
 * The sets as text, for tests and diagnostics: "i:" when caseless, then the
 * sets in the order they are tried joined by " & ", each set's literals
 * sorted and joined by "|" ("i:sell|sold & data|information"). Returns the
 * length it needed (as snprintf).
 */
size_t emh_prefilter_describe(const emh_prefilter *pf, char *dst, size_t size);

/* Tests only: 1 makes the scan use its portable loops even where AVX2 is there, so both are tested. */
void emh_prefilter__portable(int on);

#endif
