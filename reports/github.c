/*
 * github.c - GitHub Actions workflow commands: one annotation per finding
 * of each failure (::error file=F,line=L,col=C,title=T::message), so a
 * pull request that changes a submission shows each problem on its line.
 *
 * The level follows the severity (blocker and major: error, minor: warning,
 * advisory: notice); an `error` outcome is an error, and a check whose data
 * is declared unknown is a notice. A last annotation carries the verdict.
 * Untrusted text is escaped as the Actions toolkit does (data: % CR LF;
 * properties also : and ,); other control characters become spaces, so a
 * submission cannot end the line and smuggle in a command of its own.
 */
#include <stdio.h>
#include <string.h>
#include "reports/render.h"

/* Escapes s for a workflow command: its message (prop = 0) or a property value (prop = 1). */
static void esc(emh_buf *b, const char *s, int prop)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = emh_report__utf8(u + i, len - i, &cp);
		if (n == 0) {
			emh_buf_puts(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		switch (cp) {
		case '%': emh_buf_puts(b, "%25"); break;
		case '\r': emh_buf_puts(b, "%0D"); break;
		case '\n': emh_buf_puts(b, "%0A"); break;
		case ':': emh_buf_puts(b, prop ? "%3A" : ":"); break;
		case ',': emh_buf_puts(b, prop ? "%2C" : ","); break;
		default:
			if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
				emh_buf_putc(b, ' ');
			else if (emh_report__unwanted(cp))
				emh_buf_puts(b, "\xEF\xBF\xBD");
			else
				emh_buf_append(b, u + i, n);
		}
		i += n;
	}
}

static const char *level(const emh_result *r)
{
	if (r->outcome == EMH_OUTCOME_ERROR)
		return "error";
	if (r->outcome != EMH_OUTCOME_FAIL)
		return "notice";
	switch (r->severity) {
	case EMH_SEVERITY_BLOCKER:
	case EMH_SEVERITY_MAJOR: return "error";
	case EMH_SEVERITY_MINOR: return "warning";
	default: return "notice";
	}
}

/* Builds the message of one annotation (before escaping) in m. */
static void message(emh_buf *m, const emh_result *r, const emh_finding *f)
{
	if (r->message)
		emh_buf_puts(m, r->message);
	else if (r->reason)
		emh_buf_puts(m, r->reason);
	else
		emh_buf_puts(m, emh_report__outcome_label(r->outcome));
	if (f) {
		emh_buf_puts(m, "\nExpected ");
		emh_buf_puts(m, f->expected ? f->expected : "?");
		emh_buf_puts(m, ", found ");
		emh_buf_puts(m, f->found ? f->found : "?");
		if (f->pointer) {
			emh_buf_puts(m, " at ");
			emh_buf_puts(m, f->pointer);
		}
		emh_buf_putc(m, '.');
		if (f->excerpt) {
			emh_buf_puts(m, "\n> ");
			emh_buf_puts(m, f->excerpt);
		}
	}
	if (r->remediation && (r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR)) {
		emh_buf_puts(m, "\nFix: ");
		emh_buf_puts(m, r->remediation);
	}
}

static void annotation(emh_buf *out, const emh_render_options *o, const emh_result *r, const emh_finding *f)
{
	emh_buf tmp = EMH_BUF_INIT;
	emh_buf_appendf(out, "::%s ", level(r));
	if (f && emh_report__finding_path(&tmp, o, f)) {
		emh_buf_puts(out, "file=");
		esc(out, emh_buf_cstr(&tmp), 1);
		if (f->line) {
			emh_buf_appendf(out, ",line=%u", f->line);
			if (f->column)
				emh_buf_appendf(out, ",col=%u", f->column);
		}
		emh_buf_putc(out, ',');
	}
	emh_buf_clear(&tmp);
	emh_buf_appendf(&tmp, "%s [%s] %s", r->id ? r->id : "?", emh_severity_name(r->severity),
	                r->title ? r->title : "");
	emh_buf_puts(out, "title=");
	esc(out, emh_buf_cstr(&tmp), 1);
	emh_buf_puts(out, "::");
	emh_buf_clear(&tmp);
	message(&tmp, r, f);
	esc(out, emh_buf_cstr(&tmp), 0);
	emh_buf_putc(out, '\n');
	if (!emh_buf_ok(&tmp))
		out->err = tmp.err;
	emh_buf_dispose(&tmp);
}

int emh_report_render_github(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err)
{
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		int wanted = r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR ||
		             (r->outcome == EMH_OUTCOME_NEEDS_REVIEW && !r->manual);
		if (!wanted)
			continue;
		size_t shown = 0;
		for (size_t k = 0; k < r->nfindings; k++) {
			const emh_finding *f = &r->findings[k];
			if (f->file || f->pointer) {
				annotation(out, o, r, f);
				shown++;
			}
		}
		if (!shown)
			annotation(out, o, r, r->nfindings ? &r->findings[0] : NULL);
	}
	emh_buf summary = EMH_BUF_INIT, title = EMH_BUF_INIT;
	emh_buf_appendf(&title, "emheval: %s %s%s%s", emh_verdict_name(d->verdict), emh_report__app_name(d),
	                d->app_version ? " " : "", d->app_version ? d->app_version : "");
	emh_buf_appendf(&summary, "%zu passed, %zu failed, %zu errors, %zu need review, %zu not evaluated, "
	                "%zu not applicable, %zu waived; criteria %s %s at %.12s",
	                d->counts[EMH_OUTCOME_PASS], d->counts[EMH_OUTCOME_FAIL], d->counts[EMH_OUTCOME_ERROR],
	                d->counts[EMH_OUTCOME_NEEDS_REVIEW], d->counts[EMH_OUTCOME_NOT_EVALUATED],
	                d->counts[EMH_OUTCOME_NOT_APPLICABLE], d->counts[EMH_OUTCOME_WAIVED],
	                d->framework_name ? d->framework_name : "?", d->framework_version ? d->framework_version : "?",
	                d->criteria_commit ? d->criteria_commit : "?");
	/* One line per profile, then the dossier's (least favourable) verdict. */
	for (size_t k = 0; k < d->nprofiles; k++) {
		const emh_profile_verdict *p = &d->profiles[k];
		emh_buf pt = EMH_BUF_INIT, ps = EMH_BUF_INIT;
		emh_buf_appendf(&pt, "emheval profile %s: %s", p->id ? p->id : "?", emh_verdict_name(p->verdict));
		emh_buf_appendf(&ps, "%zu criteria; %zu returned, %zu rejected by, %zu incomplete, "
		                "%zu awaiting review, %zu conditions", p->ncriteria, p->nreturned, p->nrejected,
		                p->nincomplete, p->nawaiting_review, p->nconditions);
		for (size_t i = 0; i < p->nconditions; i++)
			emh_buf_appendf(&ps, "; %s due %s", p->conditions[i].criterion ? p->conditions[i].criterion : "?",
			                p->conditions[i].due ? p->conditions[i].due : "(no date)");
		emh_buf_puts(out, p->verdict == EMH_VERDICT_APPROVED ? "::notice title=" : "::error title=");
		esc(out, emh_buf_cstr(&pt), 1);
		emh_buf_puts(out, "::");
		esc(out, emh_buf_cstr(&ps), 0);
		emh_buf_putc(out, '\n');
		if (!emh_buf_ok(&pt) || !emh_buf_ok(&ps))
			out->err = EMH_EGENERIC;
		emh_buf_dispose(&pt);
		emh_buf_dispose(&ps);
	}
	emh_buf_puts(out, d->verdict == EMH_VERDICT_APPROVED ? "::notice title=" : "::error title=");
	esc(out, emh_buf_cstr(&title), 1);
	emh_buf_puts(out, "::");
	esc(out, emh_buf_cstr(&summary), 0);
	emh_buf_putc(out, '\n');
	if (!emh_buf_ok(&summary) || !emh_buf_ok(&title))
		out->err = EMH_EGENERIC;
	emh_buf_dispose(&summary);
	emh_buf_dispose(&title);
	return emh_report__finish(out, err);
}
