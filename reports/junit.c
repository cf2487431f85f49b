/*
 * junit.c - JUnit XML, the format every CI understands: one testsuite per
 * dossier, one testcase per criterion. fail is a <failure>, error an
 * <error>, and not_applicable, waived, needs_review and not_evaluated are
 * <skipped> with the reason; pass is a bare testcase. The failure's text
 * holds the evidence (location, expected, found, excerpt) and the fix.
 *
 * Only what Jenkins' junit-10.xsd allows (tests/data/junit/): no file or
 * line on a testcase and no skipped count on testsuites. The locations live
 * in the failure's text as FILE:LINE:COL, which is what GitLab shows of a
 * failing test (docs/reports.md).
 *
 * No timestamps and time="0", so the same dossier gives the same bytes.
 * Everything from the dossier goes through emh_report__markup, which keeps
 * the document well-formed XML 1.0 whatever a submission holds.
 */
#include <stdio.h>
#include <string.h>
#include "reports/render.h"

static void attr(emh_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	emh_buf_appendf(b, " %s=\"", name);
	emh_report__markup(b, value);
	emh_buf_putc(b, '"');
}

static void property(emh_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	emh_buf_puts(b, "      <property");
	attr(b, "name", name);
	attr(b, "value", value);
	emh_buf_puts(b, "/>\n");
}

/* The evidence and the fix as plain text lines (unescaped, in t). */
static void details(emh_buf *t, const emh_render_options *o, const emh_result *r)
{
	if (r->message)
		emh_buf_appendf(t, "%s\n", r->message);
	if (r->reason)
		emh_buf_appendf(t, "Why: %s\n", r->reason);
	for (size_t i = 0; i < r->nfindings; i++) {
		const emh_finding *f = &r->findings[i];
		if (emh_report__finding_path(t, o, f)) {
			if (f->line)
				emh_buf_appendf(t, ":%u:%u", f->line, f->column);
			emh_buf_puts(t, ": ");
		}
		if (f->pointer)
			emh_buf_appendf(t, "%s: ", f->pointer);
		emh_buf_appendf(t, "expected %s, found %s\n", f->expected ? f->expected : "?", f->found ? f->found : "?");
		if (f->excerpt)
			emh_buf_appendf(t, "  | %s\n", f->excerpt);
	}
	if (r->remediation)
		emh_buf_appendf(t, "Fix: %s\n", r->remediation);
	if (r->nreferences) {
		emh_buf_puts(t, "References:");
		for (size_t i = 0; i < r->nreferences; i++)
			emh_buf_appendf(t, "%s %s", i ? "," : "", r->references[i]);
		emh_buf_putc(t, '\n');
	}
}

static void testcase(emh_buf *b, const emh_render_options *o, const emh_result *r)
{
	emh_buf t = EMH_BUF_INIT;
	emh_buf_puts(b, "    <testcase");
	attr(b, "classname", r->domain);
	emh_buf_appendf(&t, "%s: %s", r->id ? r->id : "?", r->title ? r->title : "");
	attr(b, "name", emh_buf_cstr(&t));
	emh_buf_puts(b, " time=\"0\"");
	emh_buf_clear(&t);
	const char *tag = NULL, *msg = NULL;
	switch (r->outcome) {
	case EMH_OUTCOME_PASS:
		break;
	case EMH_OUTCOME_FAIL:
		tag = "failure";
		msg = r->message ? r->message : "failed";
		break;
	case EMH_OUTCOME_ERROR:
		tag = "error";
		msg = r->reason ? r->reason : "error";
		break;
	default:
		tag = "skipped";
		break;
	}
	if (!tag) {
		emh_buf_puts(b, "/>\n");
	} else if (strcmp(tag, "skipped") == 0) {
		emh_buf_appendf(&t, "%s", emh_report__outcome_label(r->outcome));
		if (r->reason)
			emh_buf_appendf(&t, ": %s", r->reason);
		emh_buf_puts(b, ">\n      <skipped");
		attr(b, "message", emh_buf_cstr(&t));
		emh_buf_puts(b, "/>\n    </testcase>\n");
	} else {
		emh_buf_puts(b, ">\n      <");
		emh_buf_puts(b, tag);
		attr(b, "message", msg);
		attr(b, "type", emh_severity_name(r->severity));
		emh_buf_putc(b, '>');
		details(&t, o, r);
		emh_report__markup(b, emh_buf_cstr(&t));
		emh_buf_appendf(b, "</%s>\n    </testcase>\n", tag);
	}
	if (!emh_buf_ok(&t))
		b->err = t.err;
	emh_buf_dispose(&t);
}

int emh_report_render_junit(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err)
{
	size_t n = d->nresults, failures = d->counts[EMH_OUTCOME_FAIL], errors = d->counts[EMH_OUTCOME_ERROR];
	size_t skipped = n - failures - errors - d->counts[EMH_OUTCOME_PASS];
	emh_buf name = EMH_BUF_INIT;
	emh_buf_puts(&name, emh_report__app_name(d));
	if (d->app_version)
		emh_buf_appendf(&name, " %s", d->app_version);
	int unverified = o && o->unverified;
	emh_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (unverified)
		emh_buf_puts(out, "<!-- " EMH_REPORT_UNVERIFIED_TEXT " -->\n");
	/* The totals count every testsuite below, the UNVERIFIED one too (one test, failed). */
	emh_buf_appendf(out, "<testsuites name=\"emheval\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	                "time=\"0\">\n", n + (size_t)unverified, failures + (size_t)unverified, errors);
	if (unverified)
		emh_buf_puts(out, "  <testsuite name=\"UNVERIFIED\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" "
		                  "time=\"0\">\n    <properties><property name=\"unverified\" value=\"true\"/></properties>\n"
		                  "    <testcase classname=\"emheval\" name=\"dossier digest\">"
		                  "<failure message=\"" EMH_REPORT_UNVERIFIED_TEXT "\"/></testcase>\n  </testsuite>\n");
	emh_buf_puts(out, "  <testsuite");
	attr(out, "name", emh_buf_cstr(&name));
	emh_buf_appendf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"0\">\n", n,
	                failures, errors, skipped);
	emh_buf_puts(out, "    <properties>\n");
	property(out, "verdict", emh_verdict_name(d->verdict));
	for (size_t k = 0; k < d->nprofiles; k++) {
		emh_buf pn = EMH_BUF_INIT;
		emh_buf_appendf(&pn, "profile.%s.verdict", d->profiles[k].id ? d->profiles[k].id : "?");
		property(out, emh_buf_cstr(&pn), emh_verdict_name(d->profiles[k].verdict));
		emh_buf_dispose(&pn);
	}
	property(out, "submission.id", d->submission_id);
	property(out, "submission.version", d->app_version);
	property(out, "submission.sha256", d->submission_sha256);
	property(out, "criteria.repository", d->criteria_repository);
	property(out, "criteria.commit", d->criteria_commit);
	property(out, "criteria.tree", d->criteria_tree);
	property(out, "framework.name", d->framework_name);
	property(out, "framework.version", d->framework_version);
	property(out, "as_of", d->as_of);
	property(out, "digest", d->digest);
	property(out, "tool.version", d->tool_version);
	emh_buf_puts(out, "    </properties>\n");
	for (size_t i = 0; i < n; i++)
		testcase(out, o, &d->results[i]);
	emh_buf_puts(out, "  </testsuite>\n</testsuites>\n");
	if (!emh_buf_ok(&name))
		out->err = name.err;
	emh_buf_dispose(&name);
	return emh_report__finish(out, err);
}
