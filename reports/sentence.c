/*
 * sentence.c - the sentences the text and Markdown reports (and the HTML
 * report's finding locations) say alike: where a finding is, what it
 * expected and found, a review decision, a waiver's approval, an evidence
 * file's status, the reviews still open, and the order of a section's
 * results. Each renderer passes a sink that writes our own words as they
 * are and a submission's text escaped for its format, so the words and
 * their order live here once and the escaping stays the renderer's.
 */
#include <stdio.h>
#include <string.h>
#include "reports/render.h"

static void own(const emh_report__sink *k, const char *s)
{
	k->own(k->to, s);
}

static void text(const emh_report__sink *k, const char *s)
{
	k->text(k->to, s);
}

int emh_report__where(const emh_report__sink *k, const emh_finding *f)
{
	const char *file = emh_report__finding_file(f);
	if (!file && !f->pointer)
		return 0;
	text(k, file ? file : f->pointer);
	if (f->line) {
		char pos[48];
		snprintf(pos, sizeof pos, ":%u:%u", f->line, f->column);
		own(k, pos);
	}
	if (file && f->pointer) {
		own(k, " ");
		text(k, f->pointer);
	}
	return 1;
}

void emh_report__expected_found(const emh_report__sink *k, const emh_finding *f)
{
	own(k, "expected ");
	text(k, f->expected ? f->expected : "?");
	own(k, ", found ");
	text(k, f->found ? f->found : "?");
}

void emh_report__review_sentence(const emh_report__sink *k, const emh_review *r)
{
	text(k, r->decision);
	own(k, " by ");
	text(k, r->reviewer);
	if (r->role) {
		own(k, " (");
		text(k, r->role);
		own(k, ")");
	}
	if (r->date) {
		own(k, " on ");
		text(k, r->date);
	}
	if (r->rationale) {
		own(k, ": ");
		text(k, r->rationale);
	}
}

void emh_report__waiver_approval(const emh_report__sink *k, const emh_waiver *w)
{
	own(k, ", approved by ");
	text(k, w->approver);
	own(k, ", expires ");
	text(k, w->expires);
	own(k, ": ");
	text(k, w->justification);
}

int emh_report__evidence_verified(const emh_evidence_file *e)
{
	return e->status && strcmp(e->status, "verified") == 0;
}

size_t emh_report__unverified(const emh_dossier *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->nevidence; i++)
		n += !emh_report__evidence_verified(&d->evidence[i]);
	return n;
}

void emh_report__evidence_status(const emh_report__sink *k, const emh_evidence_file *e)
{
	text(k, e->status ? e->status : "unknown");
	if (e->problem) {
		own(k, ", ");
		text(k, e->problem);
	}
}

void emh_report__open_reviews(const emh_report__sink *k, const emh_dossier *d)
{
	size_t open = d->counts[EMH_OUTCOME_NEEDS_REVIEW], listed = 0;
	if (!open)
		return;
	char n[64];
	snprintf(n, sizeof n, "%zu review%s open: ", open, open == 1 ? "" : "s");
	own(k, n);
	for (size_t i = 0; i < d->nresults; i++)
		if (d->results[i].outcome == EMH_OUTCOME_NEEDS_REVIEW) {
			own(k, listed++ ? ", " : "");
			text(k, d->results[i].id);
		}
}

void emh_report__grouped(const emh_dossier *d, const emh_report__domains *g, emh_outcome want,
                         const emh_report__group_visit *v)
{
	for (size_t dom = 0; dom < g->ndomains; dom++) {
		int any = 0;
		for (size_t i = 0; i < d->nresults && !any; i++)
			any = d->results[i].outcome == want && g->of_result[i] == dom;
		if (!any)
			continue;
		v->domain(v->to, g->names[dom]);
		for (int s = 0; s < EMH_SEVERITY__COUNT; s++)
			for (size_t i = 0; i < d->nresults; i++)
				if (d->results[i].outcome == want && g->of_result[i] == dom && (int)d->results[i].severity == s)
					v->result(v->to, &d->results[i]);
	}
}
