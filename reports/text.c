/*
 * text.c - the dossier for a person at a terminal: the verdict first, then
 * the category scores, then each failure grouped by domain (most severe
 * first) with what was found, where, and how to fix it, then what awaits a
 * reviewer, and a one-line summary. Colour only when asked (the CLI asks on
 * a TTY without NO_COLOR).
 */
#include <stdio.h>
#include <string.h>
#include "emheval/report.h"
#include "reports/json.h"

typedef struct tctx {
	emh_buf *out;
	int color;
} tctx;

static void paint(tctx *t, const char *sgr, const char *s)
{
	if (t->color)
		emh_buf_appendf(t->out, "\033[%sm%s\033[0m", sgr, s);
	else
		emh_buf_puts(t->out, s);
}

/* Untrusted text (from submissions) loses control characters: no escape sequences reach the terminal. */
static void put_safe(emh_buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		emh_buf_putc(out, c < 0x20 || c == 0x7F ? ' ' : (char)c);
	}
}

static const char *verdict_sgr(emh_verdict v)
{
	switch (v) {
	case EMH_VERDICT_APPROVED: return "1;32";
	case EMH_VERDICT_CONDITIONAL: return "1;33";
	case EMH_VERDICT_REJECTED: return "1;31";
	default: return "1;35";
	}
}

static void put_finding(tctx *t, const emh_finding *f)
{
	emh_buf *o = t->out;
	emh_buf_puts(o, "      ");
	if (f->file)
		put_safe(o, f->file);
	else if (f->pointer)
		put_safe(o, f->pointer);
	if (f->line)
		emh_buf_appendf(o, ":%u:%u", f->line, f->column);
	if (f->file && f->pointer) {
		emh_buf_puts(o, " ");
		put_safe(o, f->pointer);
	}
	emh_buf_puts(o, ": expected ");
	put_safe(o, f->expected);
	emh_buf_puts(o, ", found ");
	put_safe(o, f->found);
	emh_buf_putc(o, '\n');
	if (f->excerpt) {
		emh_buf_puts(o, "        | ");
		put_safe(o, f->excerpt);
		emh_buf_putc(o, '\n');
	}
}

static void put_result(tctx *t, const emh_result *r, const char *mark, const char *sgr)
{
	emh_buf *o = t->out;
	emh_buf_puts(o, "    ");
	paint(t, sgr, mark);
	emh_buf_appendf(o, " %s [%s] ", r->id, emh_severity_name(r->severity));
	put_safe(o, r->title);
	emh_buf_putc(o, '\n');
	if (r->message) {
		emh_buf_puts(o, "      ");
		put_safe(o, r->message);
		emh_buf_putc(o, '\n');
	}
	if (r->reason) {
		emh_buf_puts(o, "      why: ");
		put_safe(o, r->reason);
		emh_buf_putc(o, '\n');
	}
	for (size_t i = 0; i < r->nfindings; i++)
		put_finding(t, &r->findings[i]);
	if (r->remediation && (r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR)) {
		emh_buf_puts(o, "      fix: ");
		put_safe(o, r->remediation);
		emh_buf_putc(o, '\n');
	}
}

/* Failures (or errors), grouped by domain in order of first appearance, severest first. */
static void put_group(tctx *t, const emh_dossier *d, emh_outcome want, const char *heading,
                      const char *mark, const char *sgr)
{
	emh_buf *o = t->out;
	size_t n = d->counts[want];
	if (!n)
		return;
	emh_buf_putc(o, '\n');
	paint(t, "1", heading);
	emh_buf_appendf(o, " (%zu)\n", n);
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		if (r->outcome != want)
			continue;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = d->results[k].outcome == want && strcmp(d->results[k].domain, r->domain) == 0;
		if (seen)
			continue;
		emh_buf_puts(o, "  ");
		put_safe(o, r->domain);
		emh_buf_putc(o, '\n');
		for (int s = 0; s < EMH_SEVERITY__COUNT; s++)
			for (size_t k = i; k < d->nresults; k++)
				if (d->results[k].outcome == want && (int)d->results[k].severity == s &&
				    strcmp(d->results[k].domain, r->domain) == 0)
					put_result(t, &d->results[k], mark, sgr);
	}
}

int emh_report_render_text(emh_buf *out, const emh_dossier *d, int color,
                           unsigned width, emh_error *err)
{
	(void)width;
	tctx t = { out, color };
	char verdict[32];
	snprintf(verdict, sizeof verdict, " %s ", emh_verdict_name(d->verdict));
	for (char *p = verdict; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	paint(&t, verdict_sgr(d->verdict), verdict);
	emh_buf_puts(out, "  ");
	put_safe(out, d->app_name ? d->app_name : d->submission_id ? d->submission_id : "(unnamed submission)");
	if (d->app_version) {
		emh_buf_putc(out, ' ');
		put_safe(out, d->app_version);
	}
	if (d->tier) {
		emh_buf_puts(out, " (tier ");
		put_safe(out, d->tier);
		emh_buf_putc(out, ')');
	}
	emh_buf_putc(out, '\n');
	emh_buf_appendf(out, "  criteria: %s %s at %.12s", d->framework_name ? d->framework_name : "?",
	                d->framework_version ? d->framework_version : "?",
	                d->criteria_commit && d->criteria_commit[0] ? d->criteria_commit : "(memory)");
	if (d->as_of)
		emh_buf_appendf(out, ", as of %s", d->as_of);
	emh_buf_putc(out, '\n');
	if (d->nscores) {
		emh_buf_puts(out, "  scores:");
		for (size_t i = 0; i < d->nscores; i++) {
			emh_buf_appendf(out, "%s %s ", i ? " ·" : "", d->scores[i].title);
			if (d->scores[i].score >= 0)
				emh_buf_appendf(out, "%d", d->scores[i].score);
			else
				emh_buf_puts(out, "–");
		}
		emh_buf_putc(out, '\n');
	}
	put_group(&t, d, EMH_OUTCOME_FAIL, "Failures", "✗", "31");
	put_group(&t, d, EMH_OUTCOME_ERROR, "Errors", "!", "35");
	put_group(&t, d, EMH_OUTCOME_NOT_EVALUATED, "Not evaluated", "-", "33");
	size_t auto_review = 0;
	for (size_t i = 0; i < d->nresults; i++)
		auto_review += d->results[i].outcome == EMH_OUTCOME_NEEDS_REVIEW && !d->results[i].manual;
	if (auto_review) {
		emh_buf_putc(out, '\n');
		paint(&t, "1", "Declared unknown, needs review");
		emh_buf_appendf(out, " (%zu)\n", auto_review);
		for (size_t i = 0; i < d->nresults; i++)
			if (d->results[i].outcome == EMH_OUTCOME_NEEDS_REVIEW && !d->results[i].manual)
				put_result(&t, &d->results[i], "?", "33");
	}
	size_t manual = d->counts[EMH_OUTCOME_NEEDS_REVIEW] - auto_review;
	if (manual) {
		emh_buf_putc(out, '\n');
		paint(&t, "1", "For the reviewer");
		emh_buf_appendf(out, " (%zu manual criteria):", manual);
		size_t col = 80;
		for (size_t i = 0; i < d->nresults; i++) {
			const emh_result *r = &d->results[i];
			if (r->outcome != EMH_OUTCOME_NEEDS_REVIEW || !r->manual)
				continue;
			if (col + strlen(r->id) > 76) {
				emh_buf_puts(out, "\n    ");
				col = 4;
			} else {
				emh_buf_putc(out, ' ');
				col++;
			}
			emh_buf_puts(out, r->id);
			col += strlen(r->id);
		}
		emh_buf_putc(out, '\n');
	}
	emh_buf_appendf(out, "\n%s: %zu passed, %zu failed, %zu errors, %zu need review, "
	                "%zu not evaluated, %zu not applicable\n",
	                emh_verdict_name(d->verdict), d->counts[EMH_OUTCOME_PASS], d->counts[EMH_OUTCOME_FAIL],
	                d->counts[EMH_OUTCOME_ERROR], d->counts[EMH_OUTCOME_NEEDS_REVIEW],
	                d->counts[EMH_OUTCOME_NOT_EVALUATED], d->counts[EMH_OUTCOME_NOT_APPLICABLE]);
	if (!emh_buf_ok(out))
		return emh_error_set(err, out->err, "cannot render the report (output too large)");
	return 0;
}
