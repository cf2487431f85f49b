/*
 * markdown.c - the dossier as GitHub-flavoured Markdown, for pull-request
 * comments and vendor tickets: the verdict as a heading, the counts and the
 * category scores, each failure (grouped by domain, severest first) with its
 * evidence and fix, what awaits a reviewer, then every result in a folded
 * table and the provenance in small print.
 *
 * A submission's text must stay text: every untrusted string has the
 * punctuation of inline Markdown backslash-escapes (\ ` * _ [ ] | ~ $),
 * markup characters written as entities, line breaks folded to spaces, and
 * an @ followed by a zero-width space. Untrusted text never starts a line,
 * so it cannot open a block either. It cannot add emphasis, code, links,
 * images, table cells, math, HTML or @-mentions to a comment.
 */
#include <stdio.h>
#include <string.h>
#include "evaluator/encode.h"
#include "reports/render.h"

void emh_report__markdown(emh_buf *b, const char *s)
{
	emh_encode_markdown(b, s, EMH_MD_INLINE);
}

static void md(emh_buf *b, const char *s)
{
	emh_report__markdown(b, s);
}

/* The shared sentences (sentence.c), written into b: our words as they are, the submission's escaped. */
static void sink_own(void *b, const char *s)
{
	emh_buf_puts(b, s);
}

static void sink_text(void *b, const char *s)
{
	md(b, s);
}

static emh_report__sink sink(emh_buf *b)
{
	return (emh_report__sink){ sink_own, sink_text, b };
}

static const char *verdict_icon(emh_verdict v)
{
	switch (v) {
	case EMH_VERDICT_APPROVED: return "✅";
	case EMH_VERDICT_CONDITIONAL: return "⚠️";
	case EMH_VERDICT_REJECTED: return "❌";
	case EMH_VERDICT_RETURNED: return "↩️";
	default: return "⏸️";
	}
}

static const char *outcome_icon(emh_outcome o)
{
	switch (o) {
	case EMH_OUTCOME_PASS: return "✅";
	case EMH_OUTCOME_FAIL: return "❌";
	case EMH_OUTCOME_ERROR: return "⛔";
	case EMH_OUTCOME_NEEDS_REVIEW: return "👀";
	case EMH_OUTCOME_WAIVED: return "🔕";
	case EMH_OUTCOME_NOT_EVALUATED: return "⏭️";
	default: return "➖";
	}
}

static void put_finding(emh_buf *b, const emh_finding *f)
{
	emh_report__sink sk = sink(b);
	emh_buf_puts(b, "  - ");
	if (emh_report__finding_file(f) || f->pointer) {
		emh_buf_puts(b, "<code>");
		emh_report__where(&sk, f);
		emh_buf_puts(b, "</code>: ");
	}
	emh_report__expected_found(&sk, f);
	emh_buf_putc(b, '\n');
	if (f->excerpt) {
		size_t s, e;
		emh_buf_puts(b, "    > ");
		if (emh_report__match_in_excerpt(f, &s, &e)) {
			emh_buf t = EMH_BUF_INIT;
			emh_buf_append(&t, f->excerpt, s);
			md(b, emh_buf_cstr(&t));
			emh_buf_clear(&t);
			emh_buf_append(&t, f->excerpt + s, e - s);
			emh_buf_puts(b, "<b>");
			md(b, emh_buf_cstr(&t));
			emh_buf_puts(b, "</b>");
			md(b, f->excerpt + e);
			emh_buf_dispose(&t);
		} else {
			md(b, f->excerpt);
		}
		emh_buf_putc(b, '\n');
	}
}

static void put_result(emh_buf *b, const emh_result *r)
{
	emh_buf_appendf(b, "- %s **", outcome_icon(r->outcome));
	md(b, r->id);
	emh_buf_appendf(b, "** · %s · ", emh_severity_name(r->severity));
	md(b, r->title);
	emh_buf_putc(b, '\n');
	if (r->message) {
		emh_buf_puts(b, "  ");
		md(b, r->message);
		emh_buf_putc(b, '\n');
	}
	if (r->reason) {
		emh_buf_puts(b, "  *Why:* ");
		md(b, r->reason);
		emh_buf_putc(b, '\n');
	}
	for (size_t i = 0; i < r->nfindings; i++)
		put_finding(b, &r->findings[i]);
	if (r->remediation && (r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR)) {
		emh_buf_puts(b, "  - **Fix:** ");
		md(b, r->remediation);
		emh_buf_putc(b, '\n');
	}
}

static void put_domain(void *b, const char *name)
{
	emh_buf_puts(b, "\n#### ");
	md(b, name);
	emh_buf_puts(b, "\n\n");
}

static void put_result_to(void *b, const emh_result *r)
{
	put_result(b, r);
}

static void put_section(emh_buf *b, const emh_dossier *d, const emh_report__domains *g, emh_outcome want,
                        const char *title)
{
	if (!d->counts[want])
		return;
	emh_buf_appendf(b, "\n### %s (%zu)\n", title, d->counts[want]);
	emh_report__grouped(d, g, want, &(emh_report__group_visit){ put_domain, put_result_to, b });
}

int emh_report_render_markdown(emh_buf *out, const emh_dossier *d, const emh_render_options *o,
                               emh_error *err)
{
	(void)o;
	emh_report__domains g;
	if (emh_report__domains_init(&g, d))
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_buf *b = out;
	emh_report__sink sk = sink(b);
	emh_buf_appendf(b, "## %s %s: ", verdict_icon(d->verdict), emh_report__verdict_label(d->verdict));
	md(b, emh_report__app_name(d));
	if (d->app_version) {
		emh_buf_putc(b, ' ');
		md(b, d->app_version);
	}
	/* Reviews still open: the verdict is not final, whatever it says (issue 15). */
	if (d->counts[EMH_OUTCOME_NEEDS_REVIEW])
		emh_buf_puts(b, " · ");
	emh_report__open_reviews(&sk, d);
	emh_buf_puts(b, "\n\n");
	emh_buf_appendf(b, "**%zu failed** · %zu errors · %zu need review · %zu not evaluated · %zu passed · "
	                "%zu not applicable",
	                d->counts[EMH_OUTCOME_FAIL], d->counts[EMH_OUTCOME_ERROR], d->counts[EMH_OUTCOME_NEEDS_REVIEW],
	                d->counts[EMH_OUTCOME_NOT_EVALUATED], d->counts[EMH_OUTCOME_PASS],
	                d->counts[EMH_OUTCOME_NOT_APPLICABLE]);
	if (d->counts[EMH_OUTCOME_WAIVED])
		emh_buf_appendf(b, " · %zu waived", d->counts[EMH_OUTCOME_WAIVED]);
	emh_buf_puts(b, "\n");
	if (d->nscores) {
		emh_buf_puts(b, "\n| Category | Score |\n| --- | ---: |\n");
		for (size_t i = 0; i < d->nscores; i++) {
			emh_buf_puts(b, "| ");
			md(b, d->scores[i].title ? d->scores[i].title : d->scores[i].category);
			if (d->scores[i].score >= 0)
				emh_buf_appendf(b, " | %d / 100 |\n", d->scores[i].score);
			else
				emh_buf_puts(b, " | – |\n");
		}
	}
	/* One verdict per profile, with what decides it (docs/profiles.md). */
	emh_buf_puts(b, "\n| Profile | Verdict | Why |\n| --- | --- | --- |\n");
	for (size_t k = 0; k < d->nprofiles; k++) {
		const emh_profile_verdict *p = &d->profiles[k];
		emh_buf_puts(b, "| ");
		md(b, p->id ? p->id : "?");
		emh_buf_appendf(b, " | %s **%s** | ", verdict_icon(p->verdict), emh_verdict_name(p->verdict));
		static const char *const labels[] = { "returned:", "rejected by:", "incomplete:", "awaiting review:" };
		const char *const *lists[] = { p->returned, p->rejected, p->incomplete, p->awaiting_review };
		size_t ns[] = { p->nreturned, p->nrejected, p->nincomplete, p->nawaiting_review };
		int any = 0;
		for (int l = 0; l < 4; l++) {
			if (!ns[l])
				continue;
			emh_buf_appendf(b, "%s%s", any++ ? "; " : "", labels[l]);
			for (size_t i = 0; i < ns[l]; i++) {
				emh_buf_puts(b, i ? ", " : " ");
				md(b, lists[l][i]);
			}
		}
		/* Not text.c's condition line: this cell's words ("due" without a comma, "(no date)") are pinned by its goldens. */
		for (size_t i = 0; i < p->nconditions; i++) {
			emh_buf_appendf(b, "%scondition ", any++ ? "; " : "");
			md(b, p->conditions[i].criterion ? p->conditions[i].criterion : "?");
			emh_buf_puts(b, " due ");
			md(b, p->conditions[i].due ? p->conditions[i].due : "(no date)");
			emh_buf_puts(b, ": ");
			md(b, p->conditions[i].fix ? p->conditions[i].fix : "see the criterion");
		}
		emh_buf_puts(b, any ? " |\n" : "– |\n");
	}
	size_t bad_evidence = emh_report__unverified(d);
	if (bad_evidence) {
		emh_buf_appendf(b, "\n### Evidence files not verified (%zu)\n\n", bad_evidence);
		for (size_t i = 0; i < d->nevidence; i++) {
			const emh_evidence_file *e = &d->evidence[i];
			if (emh_report__evidence_verified(e))
				continue;
			emh_buf_puts(b, "- <code>");
			md(b, e->path);
			emh_buf_puts(b, "</code> (");
			md(b, e->kind);
			emh_buf_puts(b, "): ");
			emh_report__evidence_status(&sk, e);
			emh_buf_putc(b, '\n');
		}
	}
	put_section(b, d, &g, EMH_OUTCOME_FAIL, "Failures");
	put_section(b, d, &g, EMH_OUTCOME_ERROR, "Errors");
	put_section(b, d, &g, EMH_OUTCOME_NEEDS_REVIEW, "Needs review");
	put_section(b, d, &g, EMH_OUTCOME_NOT_EVALUATED, "Not evaluated");
	if (d->counts[EMH_OUTCOME_WAIVED] || d->nwaivers) {
		emh_buf_appendf(b, "\n### Waivers (%zu)\n\n", d->nwaivers);
		for (size_t i = 0; i < d->nwaivers; i++) {
			const emh_waiver *w = &d->waivers[i];
			emh_buf_puts(b, "- **");
			md(b, w->id);
			emh_buf_puts(b, "** for ");
			md(b, w->criterion);
			emh_buf_puts(b, " (");
			md(b, w->status ? w->status : "?");
			emh_buf_puts(b, ")");
			emh_report__waiver_approval(&sk, w);
			emh_buf_putc(b, '\n');
		}
	}
	if (d->nreviews) {
		emh_buf_appendf(b, "\n### Reviews (%zu)\n\n", d->nreviews);
		for (size_t i = 0; i < d->nreviews; i++) {
			const emh_review *r = &d->reviews[i];
			emh_buf_puts(b, "- **");
			md(b, r->criterion);
			emh_buf_puts(b, "**: ");
			emh_report__review_sentence(&sk, r);
			emh_buf_putc(b, '\n');
		}
	}
	emh_buf_appendf(b, "\n<details><summary>All %zu results</summary>\n\n", d->nresults);
	emh_buf_puts(b, "| Criterion | Title | Domain | Severity | Outcome |\n| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		emh_buf_puts(b, "| ");
		md(b, r->id);
		emh_buf_puts(b, " | ");
		md(b, r->title);
		emh_buf_puts(b, " | ");
		md(b, r->domain);
		emh_buf_appendf(b, " | %s | %s %s |\n", emh_severity_name(r->severity), outcome_icon(r->outcome),
		                emh_report__outcome_label(r->outcome));
	}
	emh_buf_puts(b, "\n</details>\n\n<sub>Criteria: ");
	md(b, d->framework_name ? d->framework_name : "?");
	emh_buf_putc(b, ' ');
	md(b, d->framework_version ? d->framework_version : "?");
	emh_buf_puts(b, " at commit <code>");
	md(b, d->criteria_commit ? d->criteria_commit : "?");
	emh_buf_puts(b, "</code>");
	if (d->as_of) {
		emh_buf_puts(b, " · as of ");
		md(b, d->as_of);
	}
	if (d->digest) {
		emh_buf_puts(b, " · dossier <code>");
		md(b, d->digest);
		emh_buf_puts(b, "</code>");
	}
	emh_buf_puts(b, " · emheval ");
	md(b, d->tool_version ? d->tool_version : "?");
	emh_buf_puts(b, "</sub>\n");
	emh_report__domains_dispose(&g);
	return emh_report__finish(out, err);
}
