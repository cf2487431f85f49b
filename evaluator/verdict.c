/*
 * verdict.c - from outcomes to a decision: the framework's verdict policy
 * (first matching rule wins), a guard against silent approval, and the
 * ISO/TS 82304-2-style category scores with tier-dependent domain weights.
 */
#include <math.h>
#include <string.h>
#include "evaluator/verdict.h"

static int rule_matches(const emh_policy_rule *rule, const emh_dossier *d)
{
	if (!rule->has_when)
		return 1;
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		unsigned kind = r->manual ? 2u : 1u;
		if ((rule->outcomes & (1u << r->outcome)) &&
		    (!rule->severities || (rule->severities & (1u << r->severity))) &&
		    (!rule->kinds || (rule->kinds & kind)))
			return 1;
	}
	return 0;
}

static double domain_weight(const emh_framework *fw, size_t di, const char *tier)
{
	double w = -1;
	for (size_t i = 0; tier && i < fw->nweights; i++)
		if (strcmp(fw->weights[i].tier, tier) == 0)
			w = fw->weights[i].weight[di];
	for (size_t i = 0; w < 0 && i < fw->nweights; i++)
		if (strcmp(fw->weights[i].tier, "default") == 0)
			w = fw->weights[i].weight[di];
	return w < 0 ? 1 : w;
}

static void score(emh_dossier *d, const emh_criteria *set)
{
	const emh_framework *fw = &set->framework;
	d->nscores = fw->ncategories;
	d->scores = emh_arena_alloc(d->arena, (fw->ncategories ? fw->ncategories : 1) * sizeof *d->scores);
	if (!d->scores) {
		d->nscores = 0;
		return;
	}
	for (size_t k = 0; k < fw->ncategories; k++) {
		double num = 0, den = 0;
		for (size_t i = 0; i < d->nresults; i++) {
			const emh_result *r = &d->results[i];
			size_t di = set->domain_of[i];
			if (r->manual || di == (size_t)-1 || fw->domains[di].category_index != k)
				continue;
			if (r->outcome != EMH_OUTCOME_PASS && r->outcome != EMH_OUTCOME_FAIL &&
			    r->outcome != EMH_OUTCOME_ERROR && r->outcome != EMH_OUTCOME_NOT_EVALUATED)
				continue;
			double w = domain_weight(fw, di, d->tier) * fw->severity_weight[r->severity];
			den += w;
			if (r->outcome == EMH_OUTCOME_PASS)
				num += w;
		}
		d->scores[k].category = emh_arena_strdup(d->arena, fw->categories[k].id);
		d->scores[k].title = emh_arena_strdup(d->arena, fw->categories[k].title);
		d->scores[k].score = den > 0 ? (int)floor(100.0 * num / den + 0.5) : -1;
	}
}

void emh_decide(emh_dossier *d, const emh_criteria *set)
{
	memset(d->counts, 0, sizeof d->counts);
	for (size_t i = 0; i < d->nresults; i++)
		d->counts[d->results[i].outcome]++;
	d->verdict = EMH_VERDICT_INCOMPLETE;
	for (size_t i = 0; i < set->framework.npolicy; i++) {
		if (rule_matches(&set->framework.policy[i], d)) {
			d->verdict = set->framework.policy[i].verdict;
			break;
		}
	}
	/*
	 * No silent pass: nothing applied, or everything that applied errored,
	 * is incomplete whatever the policy says; and nothing is approved
	 * without at least one criterion that passed (or was waived).
	 */
	size_t applied = d->nresults - d->counts[EMH_OUTCOME_NOT_APPLICABLE];
	if ((d->verdict == EMH_VERDICT_APPROVED || d->verdict == EMH_VERDICT_CONDITIONAL) &&
	    (applied == 0 || d->counts[EMH_OUTCOME_ERROR] == applied))
		d->verdict = EMH_VERDICT_INCOMPLETE;
	if (d->verdict == EMH_VERDICT_APPROVED &&
	    d->counts[EMH_OUTCOME_PASS] + d->counts[EMH_OUTCOME_WAIVED] == 0)
		d->verdict = EMH_VERDICT_INCOMPLETE;
	score(d, set);
}
