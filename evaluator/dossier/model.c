/*
 * dossier.c - the result model's names and lifetime. Every string a dossier
 * holds lives in its arena, so one call frees it all.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/criteria.h"
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "evaluator/internal.h"

static const char *const outcome_names[EMH_OUTCOME__COUNT] = {
	"pass", "fail", "not_applicable", "needs_review", "waived", "error", "not_evaluated",
};
static const char *const verdict_names[EMH_VERDICT__COUNT] = {
	"approved", "conditional", "rejected", "incomplete", "awaiting_review", "returned",
};
/* Least favourable last: rejected > returned > incomplete > awaiting_review > conditional > approved. */
static const int verdict_ranks[EMH_VERDICT__COUNT] = { 0, 1, 5, 3, 2, 4 };

static int lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *emh_outcome_name(emh_outcome o)
{
	return (unsigned)o < EMH_OUTCOME__COUNT ? outcome_names[o] : "?";
}
const char *emh_verdict_name(emh_verdict v)
{
	return (unsigned)v < EMH_VERDICT__COUNT ? verdict_names[v] : "?";
}

int emh_outcome_parse(emh_outcome *out, const char *name)
{
	int i = lookup(outcome_names, EMH_OUTCOME__COUNT, name);
	if (i < 0)
		return EMH_EINVALID;
	*out = (emh_outcome)i;
	return 0;
}
int emh_verdict_parse(emh_verdict *out, const char *name)
{
	int i = lookup(verdict_names, EMH_VERDICT__COUNT, name);
	if (i < 0)
		return EMH_EINVALID;
	*out = (emh_verdict)i;
	return 0;
}

int emh_verdict_rank(emh_verdict v)
{
	return (unsigned)v < EMH_VERDICT__COUNT ? verdict_ranks[v] : 5;
}

void emh_dossier_free(emh_dossier *d)
{
	if (!d)
		return;
	emh_arena *a = d->arena;
	struct emh_criteria *owner = d->criteria_owner;
	emh_arena_free(a); /* the dossier itself lives in its arena */
	emh_criteria_free(owner);
}
