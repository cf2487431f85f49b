/*
 * impact_weakened.c - what `impact --fail-on weakened` fails on (issue 15):
 * a blocker or major criterion removed, lowered in severity, relaxed for a
 * submission (it failed or awaited a decision, it now passes) or no longer
 * applying to a submission it applied to. Read from an impact report, so
 * the gate needs no second evaluation.
 */
#include <stdio.h>
#include "emheval/gate.h"

static int guards(emh_severity s)
{
	return s == EMH_SEVERITY_BLOCKER || s == EMH_SEVERITY_MAJOR;
}

static int unresolved(emh_outcome o)
{
	return o == EMH_OUTCOME_FAIL || o == EMH_OUTCOME_ERROR || o == EMH_OUTCOME_NEEDS_REVIEW ||
	       o == EMH_OUTCOME_NOT_EVALUATED;
}

size_t emh_impact_weakened(const emh_impact_report *r, emh_weakened_cb cb, void *payload)
{
	size_t n = 0;
	char how[96];
	for (size_t i = 0; r && i < r->ncriteria; i++) {
		const emh_criterion_change *c = &r->criteria[i];
		if (c->kind == EMH_CHANGE_ADDED || !guards(c->severity_from))
			continue;
		if (c->kind == EMH_CHANGE_REMOVED)
			snprintf(how, sizeof how, "removed");
		else if (c->severity > c->severity_from) /* the enum runs from blocker down to advisory */
			snprintf(how, sizeof how, "severity lowered to %s", emh_severity_name(c->severity));
		else
			continue;
		n++;
		if (cb)
			cb(c->id, c->severity_from, NULL, how, payload);
	}
	for (size_t i = 0; r && i < r->nsubmissions; i++) {
		const emh_submission_impact *s = &r->submissions[i];
		for (size_t j = 0; j < s->nchanges; j++) {
			const emh_outcome_change *c = &s->changes[j];
			/* A removed criterion is reported once, above; an added one weakens nothing. */
			if (!c->has_from || !c->has_to || !guards(c->severity_from))
				continue;
			if (c->from != EMH_OUTCOME_NOT_APPLICABLE && c->to == EMH_OUTCOME_NOT_APPLICABLE)
				snprintf(how, sizeof how, "no longer applies (was %s)", emh_outcome_name(c->from));
			else if (unresolved(c->from) && c->to == EMH_OUTCOME_PASS)
				snprintf(how, sizeof how, "relaxed: %s -> pass", emh_outcome_name(c->from));
			else
				continue;
			n++;
			if (cb)
				cb(c->criterion, c->severity_from, s->path, how, payload);
		}
	}
	return n;
}
