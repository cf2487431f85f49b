/*
 * gate_lint.c - the lint report as text (compiler-style lines with the
 * source line and a caret), JSON, SARIF 2.1.0 (code-scanning annotations on
 * the criteria files of a pull request) and JUnit XML (one testcase per file).
 * JSON and SARIF are cJSON trees printed by the canonical printer, as the
 * dossier's SARIF (reports/sarif.c): never text pasted together.
 */
#include <stdio.h>
#include <string.h>
#include "emheval/emheval.h"
#include "emheval/gate.h"
#include "evaluator/encode.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "reports/gate/gate_render.h"

/* Every rule lint reports, with the one-line description SARIF carries. */
static const struct { const char *id, *text; } lint_rules[] = {
	{ "json", "The file is not valid JSON (RFC 8259, UTF-8, no duplicate keys)." },
	{ "schema", "A key is unknown, missing, or has the wrong type." },
	{ "framework", "framework.json is malformed." },
	{ "catalogue", "trackers.json, the tracker catalogue, is malformed." },
	{ "duplicate-id", "Two criteria have the same id." },
	{ "requires", "A prerequisite does not exist, or prerequisites form a cycle." },
	{ "expression", "An expression is malformed." },
	{ "regex", "A regular expression does not compile (PCRE2)." },
	{ "regex-backtracking", "A pattern has a nested unbounded repeat whose work can grow exponentially." },
	{ "broad-statement", "A states or not_states check would parse nearly every sentence of a document." },
	{ "pointer", "A JSON pointer is malformed (RFC 6901)." },
	{ "reference", "A reference is not in the framework's catalogue of clauses." },
	{ "type", "An expression can never pass: its predicates need different types, or a range is empty." },
	{ "semver", "The framework version is not MAJOR.MINOR.PATCH." },
	{ "retired", "A removed criterion is not listed as retired, or a retired id is in use." },
	{ "version-bump", "A criterion's meaning changed without a version bump." },
	{ "version-down", "A criterion's version went down." },
	{ "stale-number", "A title, fail_message or remediation states a number the check no longer uses." },
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

/* Prints a built tree in the canonical indented form (as the dossier's SARIF); out of memory sets b's error. */
static void print_tree(emh_buf *b, cJSON *root, unsigned long failures)
{
	if (!root || emh_json_alloc_failures() != failures || emh_canonical_print(b, root, 1))
		b->err = b->err ? b->err : EMH_EGENERIC;
	cJSON_Delete(root);
}

static void render_json(emh_buf *b, const emh_lint_report *r)
{
	unsigned long failures = emh_json_alloc_failures();
	cJSON *root = cJSON_CreateObject();
	emh_json_put_str_or_null(root, "format", "emheval/lint/1");
	emh_gate__put_source(root, r->repository, r->criteria_path, r->rev, r->commit);
	emh_json_put_str_or_null(root, "against", r->against);
	emh_json_put_str_or_null(root, "against_commit", r->against_commit);
	emh_json_put_str_or_null(root, "framework_version", r->framework_version);
	emh_json_put_num(root, "files", (long long)r->nfiles);
	emh_json_put_num(root, "criteria", (long long)r->ncriteria);
	cJSON *findings = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; i < r->nfindings; i++) {
		const emh_lint_finding *f = &r->findings[i];
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str_or_null(o, "file", f->file);
		emh_json_put_num(o, "line", f->line);
		emh_json_put_num(o, "column", f->column);
		emh_json_put_str_or_null(o, "pointer", f->pointer);
		emh_json_put_str_or_null(o, "rule", f->rule);
		emh_json_put_str_or_null(o, "criterion", f->criterion);
		emh_json_put_str_or_null(o, "message", f->message);
		emh_json_push(findings, o);
	}
	print_tree(b, root, failures);
}

static void render_sarif(emh_buf *b, const emh_lint_report *r)
{
	unsigned long failures = emh_json_alloc_failures();
	cJSON *root = cJSON_CreateObject();
	emh_json_put_str_or_null(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	emh_json_put_str_or_null(root, "version", "2.1.0");
	cJSON *run = cJSON_CreateObject();
	emh_json_push(cJSON_AddArrayToObject(root, "runs"), run);
	cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
	emh_json_put_str_or_null(driver, "name", "emheval lint");
	emh_json_put_str_or_null(driver, "version", EMHEVAL_VERSION);
	emh_json_put_str_or_null(driver, "informationUri", EMH_SARIF_INFORMATION_URI);
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; i < sizeof lint_rules / sizeof lint_rules[0]; i++) {
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str_or_null(o, "id", lint_rules[i].id);
		emh_json_put_str_or_null(cJSON_AddObjectToObject(o, "shortDescription"), "text", lint_rules[i].text);
		emh_json_push(rules, o);
	}
	/* The repository is a local path, not a URI, so it goes in properties. */
	cJSON *props = cJSON_AddObjectToObject(run, "properties");
	emh_gate__put_source(props, r->repository, r->criteria_path, r->rev, r->commit);
	emh_json_put_str_or_null(props, "against", r->against);
	emh_json_put_str_or_null(props, "against_commit", r->against_commit);
	cJSON *results = cJSON_AddArrayToObject(run, "results");
	for (size_t i = 0; i < r->nfindings; i++) {
		const emh_lint_finding *f = &r->findings[i];
		size_t rule = 0;
		for (size_t k = 0; k < sizeof lint_rules / sizeof lint_rules[0]; k++)
			if (strcmp(lint_rules[k].id, f->rule) == 0)
				rule = k;
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str_or_null(o, "ruleId", f->rule);
		emh_json_put_num(o, "ruleIndex", (long long)rule);
		emh_json_put_str_or_null(o, "level", "error");
		emh_json_put_str_or_null(cJSON_AddObjectToObject(o, "message"), "text", f->message);
		cJSON *loc = cJSON_CreateObject();
		cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
		/* A URI reference: a criteria file named "a b.json" is "a%20b.json". */
		emh_buf uri = EMH_BUF_INIT;
		emh_encode_pct(&uri, f->file, EMH_PCT_PATH);
		if (!emh_buf_ok(&uri))
			b->err = uri.err;
		emh_json_put_str_or_null(cJSON_AddObjectToObject(phys, "artifactLocation"), "uri", emh_buf_cstr(&uri));
		emh_buf_dispose(&uri);
		if (f->line) {
			cJSON *region = cJSON_AddObjectToObject(phys, "region");
			emh_json_put_num(region, "startLine", f->line);
			if (f->column)
				emh_json_put_num(region, "startColumn", f->column);
		}
		if (f->pointer && f->pointer[0]) {
			cJSON *logical = cJSON_CreateObject();
			emh_json_put_str_or_null(logical, "fullyQualifiedName", f->pointer);
			emh_json_put_str_or_null(logical, "kind", "member");
			emh_json_push(cJSON_AddArrayToObject(loc, "logicalLocations"), logical);
		}
		emh_json_push(cJSON_AddArrayToObject(o, "locations"), loc);
		emh_json_push(results, o);
	}
	print_tree(b, root, failures);
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
