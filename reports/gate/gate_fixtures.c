/*
 * gate_fixtures.c - the report of `emheval test` as text (each fixture that
 * does not hold, with the evaluator's findings located in the fixture file,
 * then coverage), JSON, and JUnit XML (one testcase per fixture and one per
 * check that lacks a fixture).
 */
#include <stdio.h>
#include <string.h>
#include "emheval/gate.h"
#include "evaluator/json.h"
#include "reports/gate/gate_render.h"

static void text_finding(emh_buf *b, const emh_finding *f)
{
	emh_buf_puts(b, "      - ");
	if (f->file) {
		emh_buf_puts(b, "evidence ");
		emh_gate__plain(b, f->file);
		if (f->line)
			emh_buf_appendf(b, " line %u", f->line);
	} else {
		emh_gate__plain(b, f->pointer && f->pointer[0] ? f->pointer : "(the submission)");
		if (f->line)
			emh_buf_appendf(b, " (%u:%u)", f->line, f->column);
	}
	if (f->expected) {
		emh_buf_puts(b, ": expected ");
		emh_gate__plain(b, f->expected);
	}
	if (f->found) {
		emh_buf_puts(b, ", found ");
		emh_gate__plain(b, f->found);
	}
	emh_buf_putc(b, '\n');
}

static void list_missing(emh_buf *b, const emh_fixture_report *r, int pass)
{
	size_t n = pass ? r->nmissing_pass : r->nmissing_fail;
	if (!n)
		return;
	emh_buf_appendf(b, "no %s fixture (%zu):", pass ? "pass" : "fail", n);
	for (size_t i = 0; i < r->ncoverage; i++) {
		const emh_fixture_coverage *c = &r->coverage[i];
		if (!c->manual && (pass ? c->npass : c->nfail) == 0) {
			emh_buf_putc(b, ' ');
			emh_gate__plain(b, c->criterion);
		}
	}
	emh_buf_putc(b, '\n');
}

static void render_text(emh_buf *b, const emh_fixture_report *r)
{
	char sc[8];
	for (size_t i = 0; i < r->nfixtures; i++) {
		const emh_fixture_result *f = &r->fixtures[i];
		if (f->ok)
			continue;
		emh_gate__plain(b, f->file);
		if (f->line)
			emh_buf_appendf(b, ":%u:%u", f->line, f->column);
		emh_buf_puts(b, ": FAIL: ");
		emh_gate__plain(b, f->problem ? f->problem : "did not hold");
		emh_buf_putc(b, '\n');
		if (f->description) {
			emh_buf_puts(b, "    fixture: ");
			emh_gate__plain(b, f->description);
			emh_buf_putc(b, '\n');
		}
		if (f->reason) {
			emh_buf_puts(b, "    reason: ");
			emh_gate__plain(b, f->reason);
			emh_buf_putc(b, '\n');
		}
		for (size_t k = 0; k < f->nfindings; k++)
			text_finding(b, &f->findings[k]);
	}
	size_t nmanual = r->ncoverage - r->nchecks;
	emh_buf_appendf(b, "coverage: %zu of %zu checks have a pass fixture, %zu a fail fixture "
	                "(%zu manual criteria need none)\n",
	                r->nchecks - r->nmissing_pass, r->nchecks, r->nchecks - r->nmissing_fail, nmanual);
	list_missing(b, r, 1);
	list_missing(b, r, 0);
	emh_buf_appendf(b, "test: %zu fixture%s, %zu as expected, %zu not; ", r->nfixtures,
	                r->nfixtures == 1 ? "" : "s", r->nfixtures - r->nbad, r->nbad);
	emh_gate__plain(b, r->criteria_path);
	emh_buf_puts(b, " at ");
	emh_gate__plain(b, r->rev);
	emh_buf_appendf(b, " (%s), framework ", emh_gate__short(r->commit, sc));
	emh_gate__plain(b, r->framework_version);
	emh_buf_puts(b, emh_fixture_report_ok(r) ? ": ok\n" : ": FAILED\n");
}

static cJSON *fixture_json(const emh_fixture_result *f)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str_or_null(o, "file", f->file);
	emh_json_put_str_or_null(o, "criterion", f->criterion);
	emh_json_put_str_or_null(o, "label", f->label);
	emh_json_put_str_or_null(o, "expected", f->criterion ? emh_outcome_name(f->expected) : NULL);
	emh_json_put_str_or_null(o, "got", f->evaluated ? emh_outcome_name(f->got) : NULL);
	emh_gate__put_bool(o, "ok", f->ok);
	emh_json_put_str_or_null(o, "problem", f->problem);
	if (f->line) {
		emh_json_put_num(o, "line", f->line);
		emh_json_put_num(o, "column", f->column);
	}
	emh_json_put_str_or_null(o, "reason", f->reason);
	if (f->nfindings) {
		cJSON *fs = cJSON_AddArrayToObject(o, "findings");
		for (size_t k = 0; k < f->nfindings; k++) {
			const emh_finding *x = &f->findings[k];
			cJSON *fo = cJSON_CreateObject();
			emh_json_put_str_or_null(fo, "pointer", x->pointer);
			emh_json_put_str_or_null(fo, "file", x->file);
			emh_json_put_str_or_null(fo, "expected", x->expected);
			emh_json_put_str_or_null(fo, "found", x->found);
			emh_json_put_num(fo, "line", x->line);
			emh_json_put_num(fo, "column", x->column);
			emh_json_push(fs, fo);
		}
	}
	return o;
}

/* One fixture and one coverage entry a line, each built as a cJSON tree (gate_render.h). */
static void render_json(emh_buf *b, const emh_fixture_report *r)
{
	unsigned long failures = emh_json_alloc_failures();
	cJSON *head = cJSON_CreateObject();
	emh_json_put_str_or_null(head, "format", "emheval/test/1");
	emh_gate__put_source(head, r->repository, r->criteria_path, r->rev, r->commit);
	emh_json_put_str_or_null(head, "framework_version", r->framework_version);
	emh_gate__put_bool(head, "ok", emh_fixture_report_ok(r));
	emh_json_put_num(head, "checks", (long long)r->nchecks);
	emh_json_put_num(head, "missing_pass", (long long)r->nmissing_pass);
	emh_json_put_num(head, "missing_fail", (long long)r->nmissing_fail);
	emh_json_put_num(head, "failed", (long long)r->nbad);
	emh_buf_putc(b, '{');
	emh_gate__json_members(b, head, 1, failures);
	cJSON_Delete(head);
	emh_buf_puts(b, ",\n \"fixtures\": [");
	for (size_t i = 0; i < r->nfixtures; i++) {
		emh_buf_puts(b, i ? ",\n  " : "\n  ");
		cJSON *o = fixture_json(&r->fixtures[i]);
		emh_gate__json_line(b, o, failures);
		cJSON_Delete(o);
	}
	emh_buf_puts(b, r->nfixtures ? "\n ],\n \"coverage\": [" : "],\n \"coverage\": [");
	for (size_t i = 0; i < r->ncoverage; i++) {
		const emh_fixture_coverage *c = &r->coverage[i];
		emh_buf_puts(b, i ? ",\n  " : "\n  ");
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str_or_null(o, "criterion", c->criterion);
		emh_json_put_str_or_null(o, "file", c->file);
		emh_gate__put_bool(o, "manual", c->manual);
		emh_json_put_num(o, "pass", (long long)c->npass);
		emh_json_put_num(o, "fail", (long long)c->nfail);
		emh_json_put_num(o, "other", (long long)c->nother);
		emh_gate__json_line(b, o, failures);
		cJSON_Delete(o);
	}
	emh_buf_puts(b, r->ncoverage ? "\n ]\n}\n" : "]\n}\n");
}

static void xml(emh_buf *b, const char *s)
{
	emh_buf_append_xml_escaped(b, s ? s : "", s ? strlen(s) : 0);
}

static void render_junit(emh_buf *b, const emh_fixture_report *r)
{
	size_t ngaps = r->nmissing_pass + r->nmissing_fail;
	emh_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	emh_buf_appendf(b, "<testsuite name=\"emheval test\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
	                r->nfixtures + ngaps, r->nbad + ngaps);
	for (size_t i = 0; i < r->nfixtures; i++) {
		const emh_fixture_result *f = &r->fixtures[i];
		emh_buf_puts(b, "<testcase classname=\"");
		xml(b, f->criterion ? f->criterion : "fixtures");
		emh_buf_puts(b, "\" name=\"");
		xml(b, f->file);
		emh_buf_puts(b, "\"");
		if (f->ok) {
			emh_buf_puts(b, "/>\n");
			continue;
		}
		emh_buf_puts(b, ">\n<failure message=\"");
		xml(b, f->problem);
		emh_buf_puts(b, "\">");
		if (f->reason) {
			xml(b, f->reason);
			emh_buf_putc(b, '\n');
		}
		for (size_t k = 0; k < f->nfindings; k++) {
			const emh_finding *x = &f->findings[k];
			xml(b, x->file ? x->file : x->pointer);
			if (x->line)
				emh_buf_appendf(b, ":%u:%u", x->line, x->column);
			emh_buf_puts(b, ": expected ");
			xml(b, x->expected);
			emh_buf_puts(b, ", found ");
			xml(b, x->found);
			emh_buf_putc(b, '\n');
		}
		emh_buf_puts(b, "</failure>\n</testcase>\n");
	}
	for (size_t i = 0; i < r->ncoverage; i++) {
		const emh_fixture_coverage *c = &r->coverage[i];
		for (int pass = 1; !c->manual && pass >= 0; pass--) {
			if ((pass ? c->npass : c->nfail) != 0)
				continue;
			emh_buf_puts(b, "<testcase classname=\"");
			xml(b, c->criterion);
			emh_buf_appendf(b, "\" name=\"coverage: a %s fixture\">\n<failure message=\"no %s fixture\">",
			                pass ? "pass" : "fail", pass ? "pass" : "fail");
			xml(b, c->criterion);
			emh_buf_appendf(b, " has no %s fixture</failure>\n</testcase>\n", pass ? "pass" : "fail");
		}
	}
	emh_buf_puts(b, "</testsuite>\n</testsuites>\n");
}

int emh_fixtures_render(emh_buf *out, const emh_fixture_report *r, emh_gate_format f, emh_error *err)
{
	switch (f) {
	case EMH_GATE_TEXT: render_text(out, r); break;
	case EMH_GATE_JSON: render_json(out, r); break;
	case EMH_GATE_JUNIT: render_junit(out, r); break;
	default:
		return emh_error_set(err, EMH_EINVALID, "test reports are text, json or junit");
	}
	return emh_gate__finish(out, err);
}
