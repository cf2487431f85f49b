/*
 * gate_lint.c - the lint report as text (compiler-style lines with the
 * source line and a caret), JSON, SARIF 2.1.0 (code-scanning annotations on
 * the criteria files of a pull request) and JUnit XML (one testcase per file).
 */
#include <stdio.h>
#include <string.h>
#include "emheval/emheval.h"
#include "emheval/gate.h"
#include "reports/gate_render.h"

/* Every rule lint reports, with the one-line description SARIF carries. */
static const struct { const char *id, *text; } lint_rules[] = {
	{ "json", "The file is not valid JSON (RFC 8259, UTF-8, no duplicate keys)." },
	{ "schema", "A key is unknown, missing, or has the wrong type." },
	{ "framework", "framework.json is malformed." },
	{ "duplicate-id", "Two criteria have the same id." },
	{ "requires", "A prerequisite does not exist, or prerequisites form a cycle." },
	{ "expression", "An expression is malformed." },
	{ "regex", "A regular expression does not compile (PCRE2)." },
	{ "pointer", "A JSON pointer is malformed (RFC 6901)." },
	{ "reference", "A reference is not in the framework's catalogue of clauses." },
	{ "type", "An expression can never pass: its predicates need different types, or a range is empty." },
	{ "semver", "The framework version is not MAJOR.MINOR.PATCH." },
	{ "retired", "A removed criterion is not listed as retired, or a retired id is in use." },
	{ "version-bump", "A criterion's meaning changed without a version bump." },
	{ "version-down", "A criterion's version went down." },
	{ "framework-version", "The criteria changed without a framework version bump." },
};

static void render_text(emh_buf *b, const emh_lint_report *r)
{
	char c1[8], c2[8];
	for (size_t i = 0; i < r->nfindings; i++) {
		const emh_lint_finding *f = &r->findings[i];
		emh_gate__plain(b, f->file);
		emh_buf_appendf(b, ":%u:%u: error: ", f->line, f->column);
		emh_gate__plain(b, f->message);
		emh_buf_appendf(b, " [%s]", f->rule);
		if (f->pointer && f->pointer[0]) {
			emh_buf_puts(b, " (at ");
			emh_gate__plain(b, f->pointer);
			emh_buf_putc(b, ')');
		}
		emh_buf_putc(b, '\n');
		if (f->source_line && f->column) {
			emh_buf_puts(b, "    ");
			emh_gate__plain(b, f->source_line);
			emh_buf_puts(b, "\n    ");
			/* Tabs stay tabs so that the caret lines up in any terminal. */
			size_t n = strlen(f->source_line);
			for (size_t k = 0; k + 1 < f->column && k < n; k++)
				emh_buf_putc(b, f->source_line[k] == '\t' ? '\t' : ' ');
			emh_buf_puts(b, "^\n");
		}
	}
	emh_buf_appendf(b, "lint: %zu finding%s in %zu files (%zu criteria) of ", r->nfindings,
	                r->nfindings == 1 ? "" : "s", r->nfiles, r->ncriteria);
	emh_gate__plain(b, r->criteria_path);
	emh_buf_puts(b, " at ");
	emh_gate__plain(b, r->rev);
	emh_buf_appendf(b, " (%s)", emh_gate__short(r->commit, c1));
	if (r->against) {
		emh_buf_puts(b, ", against ");
		emh_gate__plain(b, r->against);
		emh_buf_appendf(b, " (%s)", emh_gate__short(r->against_commit, c2));
	}
	emh_buf_putc(b, '\n');
}

static void render_json(emh_buf *b, const emh_lint_report *r)
{
	emh_buf_puts(b, "{");
	emh_gate__json_str(b, "format", "emheval/lint/1", 1);
	emh_gate__json_str(b, "repository", r->repository, 0);
	emh_gate__json_str(b, "criteria_path", r->criteria_path, 0);
	emh_gate__json_str(b, "rev", r->rev, 0);
	emh_gate__json_str(b, "commit", r->commit, 0);
	emh_gate__json_str(b, "against", r->against, 0);
	emh_gate__json_str(b, "against_commit", r->against_commit, 0);
	emh_gate__json_str(b, "framework_version", r->framework_version, 0);
	emh_gate__json_num(b, "files", (long long)r->nfiles, 0);
	emh_gate__json_num(b, "criteria", (long long)r->ncriteria, 0);
	emh_buf_puts(b, ",\n \"findings\": [");
	for (size_t i = 0; i < r->nfindings; i++) {
		const emh_lint_finding *f = &r->findings[i];
		emh_buf_puts(b, i ? ",\n  {" : "\n  {");
		emh_gate__json_str(b, "file", f->file, 1);
		emh_gate__json_num(b, "line", f->line, 0);
		emh_gate__json_num(b, "column", f->column, 0);
		emh_gate__json_str(b, "pointer", f->pointer, 0);
		emh_gate__json_str(b, "rule", f->rule, 0);
		emh_gate__json_str(b, "criterion", f->criterion, 0);
		emh_gate__json_str(b, "message", f->message, 0);
		emh_buf_putc(b, '}');
	}
	emh_buf_puts(b, r->nfindings ? "\n ]\n}\n" : "]\n}\n");
}

static void render_sarif(emh_buf *b, const emh_lint_report *r)
{
	emh_buf_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	                "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": {");
	emh_gate__json_str(b, "name", "emheval lint", 1);
	emh_gate__json_str(b, "version", EMHEVAL_VERSION, 0);
	emh_buf_puts(b, ", \"rules\": [");
	for (size_t i = 0; i < sizeof lint_rules / sizeof lint_rules[0]; i++) {
		emh_buf_puts(b, i ? ",\n      {" : "\n      {");
		emh_gate__json_str(b, "id", lint_rules[i].id, 1);
		emh_buf_puts(b, ", \"shortDescription\": {");
		emh_gate__json_str(b, "text", lint_rules[i].text, 1);
		emh_buf_puts(b, "}}");
	}
	emh_buf_puts(b, "]}},\n");
	/* The repository is a local path, not a URI, so it goes in properties. */
	emh_buf_puts(b, "    \"properties\": {");
	emh_gate__json_str(b, "repository", r->repository, 1);
	emh_gate__json_str(b, "criteria_path", r->criteria_path, 0);
	emh_gate__json_str(b, "rev", r->rev, 0);
	emh_gate__json_str(b, "commit", r->commit, 0);
	emh_gate__json_str(b, "against", r->against, 0);
	emh_gate__json_str(b, "against_commit", r->against_commit, 0);
	emh_buf_puts(b, "},\n    \"results\": [");
	for (size_t i = 0; i < r->nfindings; i++) {
		const emh_lint_finding *f = &r->findings[i];
		size_t rule = 0;
		for (size_t k = 0; k < sizeof lint_rules / sizeof lint_rules[0]; k++)
			if (strcmp(lint_rules[k].id, f->rule) == 0)
				rule = k;
		emh_buf_puts(b, i ? ",\n      {" : "\n      {");
		emh_gate__json_str(b, "ruleId", f->rule, 1);
		emh_gate__json_num(b, "ruleIndex", (long long)rule, 0);
		emh_gate__json_str(b, "level", "error", 0);
		emh_buf_puts(b, ", \"message\": {");
		emh_gate__json_str(b, "text", f->message, 1);
		emh_buf_puts(b, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {");
		emh_gate__json_str(b, "uri", f->file, 1);
		emh_buf_puts(b, "}");
		if (f->line) {
			emh_buf_puts(b, ", \"region\": {");
			emh_gate__json_num(b, "startLine", f->line, 1);
			if (f->column)
				emh_gate__json_num(b, "startColumn", f->column, 0);
			emh_buf_puts(b, "}");
		}
		emh_buf_puts(b, "}");
		if (f->pointer && f->pointer[0]) {
			emh_buf_puts(b, ", \"logicalLocations\": [{");
			emh_gate__json_str(b, "fullyQualifiedName", f->pointer, 1);
			emh_gate__json_str(b, "kind", "member", 0);
			emh_buf_puts(b, "}]");
		}
		emh_buf_puts(b, "}]}");
	}
	emh_buf_puts(b, r->nfindings ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n");
}

static void xml_attr(emh_buf *b, const char *name, const char *value)
{
	emh_buf_appendf(b, " %s=\"", name);
	emh_buf_append_xml_escaped(b, value ? value : "", value ? strlen(value) : 0);
	emh_buf_putc(b, '"');
}

/* One testcase per file read (framework.json and each criterion), failing with its findings. */
static void render_junit(emh_buf *b, const emh_lint_report *r)
{
	/* Files come from the findings (every file with a finding) plus a count of clean ones. */
	size_t nfailing = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (!i || strcmp(r->findings[i].file, r->findings[i - 1].file) != 0)
			nfailing++;
	emh_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite");
	xml_attr(b, "name", "emheval lint");
	emh_buf_appendf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
	                nfailing + (r->nfiles > nfailing ? 1 : 0), nfailing);
	for (size_t i = 0; i < r->nfindings;) {
		size_t j = i;
		while (j < r->nfindings && strcmp(r->findings[j].file, r->findings[i].file) == 0)
			j++;
		emh_buf_puts(b, "<testcase");
		xml_attr(b, "classname", "lint");
		xml_attr(b, "name", r->findings[i].file);
		emh_buf_puts(b, ">\n<failure");
		char msg[64];
		snprintf(msg, sizeof msg, "%zu finding%s", j - i, j - i == 1 ? "" : "s");
		xml_attr(b, "message", msg);
		xml_attr(b, "type", r->findings[i].rule);
		emh_buf_puts(b, ">");
		for (size_t k = i; k < j; k++) {
			const emh_lint_finding *f = &r->findings[k];
			emh_buf_append_xml_escaped(b, f->file, strlen(f->file));
			emh_buf_appendf(b, ":%u:%u: ", f->line, f->column);
			emh_buf_append_xml_escaped(b, f->message, strlen(f->message));
			emh_buf_appendf(b, " [%s]\n", f->rule);
		}
		emh_buf_puts(b, "</failure>\n</testcase>\n");
		i = j;
	}
	if (r->nfiles > nfailing) {
		char name[96];
		snprintf(name, sizeof name, "%zu other files", r->nfiles - nfailing);
		emh_buf_puts(b, "<testcase");
		xml_attr(b, "classname", "lint");
		xml_attr(b, "name", name);
		emh_buf_puts(b, "/>\n");
	}
	emh_buf_puts(b, "</testsuite>\n</testsuites>\n");
}

int emh_lint_render(emh_buf *out, const emh_lint_report *r, emh_gate_format f, emh_error *err)
{
	switch (f) {
	case EMH_GATE_TEXT: render_text(out, r); break;
	case EMH_GATE_JSON: render_json(out, r); break;
	case EMH_GATE_SARIF: render_sarif(out, r); break;
	case EMH_GATE_JUNIT: render_junit(out, r); break;
	default:
		return emh_error_set(err, EMH_EINVALID, "lint reports are text, json, sarif or junit");
	}
	return emh_gate__finish(out, err);
}
