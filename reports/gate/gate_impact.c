/*
 * gate_impact.c - the impact of a criteria change as text, as Markdown for a
 * pull-request comment (a summary line, the criteria that changed, the
 * submissions whose verdict or outcomes change with the criteria responsible,
 * details folded), and as JSON. Submission names and paths come from vendors
 * and are escaped for each output.
 */
#include <stdio.h>
#include <string.h>
#include "emheval/gate.h"
#include "evaluator/json.h"
#include "reports/gate/gate_render.h"

static const char *kind_name(emh_change_kind k)
{
	return k == EMH_CHANGE_ADDED ? "added" : k == EMH_CHANGE_REMOVED ? "removed" : "changed";
}

static const char *outcome_or_none(int has, emh_outcome o)
{
	return has ? emh_outcome_name(o) : "(none)";
}

static void count_kinds(const emh_impact_report *r, size_t n[3], size_t *wording)
{
	n[0] = n[1] = n[2] = 0;
	*wording = 0;
	for (size_t i = 0; i < r->ncriteria; i++) {
		n[r->criteria[i].kind]++;
		*wording += r->criteria[i].wording_only;
	}
}

/* ---- text ----------------------------------------------------------------- */

static void text_version(emh_buf *b, const emh_criterion_change *c)
{
	if (c->kind == EMH_CHANGE_ADDED)
		emh_buf_appendf(b, "v%d", c->version_to);
	else if (c->kind == EMH_CHANGE_REMOVED)
		emh_buf_appendf(b, "v%d", c->version_from);
	else if (c->version_from != c->version_to)
		emh_buf_appendf(b, "v%d -> v%d", c->version_from, c->version_to);
	else
		emh_buf_appendf(b, "v%d", c->version_to);
}

static void render_text(emh_buf *b, const emh_impact_report *r)
{
	char c1[8], c2[8];
	size_t n[3], wording;
	count_kinds(r, n, &wording);
	emh_buf_puts(b, "impact: ");
	emh_gate__plain(b, r->criteria_path);
	emh_buf_puts(b, " from ");
	emh_gate__plain(b, r->from);
	emh_buf_appendf(b, " (`%s`, framework ", emh_gate__short(r->from_commit, c1));
	emh_gate__plain(b, r->from_version);
	emh_buf_puts(b, ") to ");
	emh_gate__plain(b, r->to);
	emh_buf_appendf(b, " (`%s`, framework ", emh_gate__short(r->to_commit, c2));
	emh_gate__plain(b, r->to_version);
	emh_buf_puts(b, ")\n");
	emh_buf_appendf(b, "criteria: %zu changed (%zu in wording only), %zu added, %zu removed\n",
	                n[EMH_CHANGE_CHANGED], wording, n[EMH_CHANGE_ADDED], n[EMH_CHANGE_REMOVED]);
	if (r->framework_keys) {
		emh_buf_puts(b, "  framework.json: ");
		emh_gate__plain(b, r->framework_keys);
		emh_buf_putc(b, '\n');
	}
	if (r->framework_references) {
		emh_buf_puts(b, "  references catalogue: ");
		emh_gate__plain(b, r->framework_references);
		emh_buf_putc(b, '\n');
	}
	if (r->catalogue_changes) {
		emh_buf_puts(b, "  trackers.json: ");
		emh_gate__plain(b, r->catalogue_changes);
		emh_buf_putc(b, '\n');
	}
	for (size_t i = 0; i < r->ncriteria; i++) {
		const emh_criterion_change *c = &r->criteria[i];
		emh_buf_appendf(b, "  %-8s %s ", kind_name(c->kind), c->id);
		text_version(b, c);
		emh_buf_appendf(b, " [%s]", emh_severity_name(c->severity));
		if (c->keys) {
			emh_buf_puts(b, " (");
			emh_gate__plain(b, c->keys);
			emh_buf_puts(b, c->wording_only ? "; wording only)" : ")");
		} else {
			emh_buf_puts(b, " ");
			emh_gate__plain(b, c->title);
		}
		emh_buf_putc(b, '\n');
		if (c->references) {
			emh_buf_puts(b, "           references: ");
			emh_gate__plain(b, c->references);
			emh_buf_putc(b, '\n');
		}
	}
	if (r->ledger) {
		emh_buf_puts(b, "ledger: ");
		emh_gate__plain(b, r->ledger);
		emh_buf_puts(b, " (each app's newest filing, evaluated again from its stored submission)\n");
	}
	emh_buf_appendf(b, "%s: %zu evaluated, %zu changed (%zu verdicts, %zu newly rejected)",
	                r->ledger ? "filings" : "submissions", r->nsubmissions - r->nerrors - r->nnot_reevaluable,
	                r->nchanged, r->nverdict_changed, r->nnewly_rejected);
	if (r->nerrors)
		emh_buf_appendf(b, ", %zu could not be read", r->nerrors);
	if (r->nnot_reevaluable)
		emh_buf_appendf(b, ", %zu not re-evaluable", r->nnot_reevaluable);
	if (!r->nsubmissions)
		emh_buf_puts(b, r->ledger ? " (the ledger holds no filing)" : " (none found under the paths given)");
	emh_buf_putc(b, '\n');
	for (size_t i = 0; i < r->nsubmissions; i++) {
		const emh_submission_impact *s = &r->submissions[i];
		if (s->not_reevaluable) {
			emh_buf_puts(b, "  ");
			emh_gate__plain(b, s->path);
			emh_buf_puts(b, ": not re-evaluable (");
			emh_gate__plain(b, s->not_reevaluable);
			emh_buf_puts(b, ")\n");
			continue;
		}
		if (s->error) {
			emh_buf_puts(b, "  ");
			emh_gate__plain(b, s->path);
			emh_buf_puts(b, ": cannot be read: ");
			emh_gate__plain(b, s->error);
			emh_buf_putc(b, '\n');
			continue;
		}
		if (!s->changed)
			continue;
		emh_buf_puts(b, "  ");
		emh_gate__plain(b, s->path);
		if (s->from != s->to)
			emh_buf_appendf(b, ": %s -> %s\n", emh_verdict_name(s->from), emh_verdict_name(s->to));
		else
			emh_buf_appendf(b, ": %s (unchanged verdict)\n", emh_verdict_name(s->to));
		for (size_t k = 0; k < s->nchanges; k++) {
			const emh_outcome_change *x = &s->changes[k];
			emh_buf_appendf(b, "      %s [%s] %s -> %s", x->criterion, emh_severity_name(x->severity),
			                outcome_or_none(x->has_from, x->from), outcome_or_none(x->has_to, x->to));
			if (x->detail) {
				emh_buf_puts(b, ": ");
				emh_gate__plain(b, x->detail);
			}
			emh_buf_putc(b, '\n');
		}
	}
}

/* ---- Markdown ------------------------------------------------------------- */

static void md_version(emh_buf *b, const emh_criterion_change *c)
{
	if (c->kind == EMH_CHANGE_ADDED)
		emh_buf_appendf(b, "new, %d", c->version_to);
	else if (c->kind == EMH_CHANGE_REMOVED)
		emh_buf_appendf(b, "%d, removed", c->version_from);
	else if (c->version_from != c->version_to)
		emh_buf_appendf(b, "%d → %d", c->version_from, c->version_to);
	else
		emh_buf_appendf(b, "%d", c->version_to);
}

static void md_verdict(emh_buf *b, emh_verdict v, int strong)
{
	emh_buf_appendf(b, strong ? "**%s**" : "%s", emh_verdict_name(v));
}

/* "`ID` pass → fail" for each criterion responsible, comma-separated. */
static void md_responsible(emh_buf *b, const emh_submission_impact *s)
{
	for (size_t k = 0; k < s->nchanges; k++) {
		const emh_outcome_change *x = &s->changes[k];
		/* Ids are [A-Z0-9.-]: safe in a code span as they are. */
		emh_buf_appendf(b, "%s`%s` %s → %s", k ? ", " : "", x->criterion,
		                outcome_or_none(x->has_from, x->from), outcome_or_none(x->has_to, x->to));
	}
	if (!s->nchanges)
		emh_buf_puts(b, "—");
}

static void render_markdown(emh_buf *b, const emh_impact_report *r)
{
	char c1[8], c2[8];
	size_t n[3], wording;
	count_kinds(r, n, &wording);
	emh_buf_puts(b, "### emheval impact\n\nThe criteria in ");
	emh_gate__md_code(b, r->criteria_path);
	emh_buf_puts(b, " at ");
	emh_gate__md_code(b, r->to);
	emh_buf_appendf(b, " (`%s`, framework ", emh_gate__short(r->to_commit, c2));
	emh_gate__md_code(b, r->to_version);
	emh_buf_puts(b, ") compared with ");
	emh_gate__md_code(b, r->from);
	emh_buf_appendf(b, " (`%s`, framework ", emh_gate__short(r->from_commit, c1));
	emh_gate__md_code(b, r->from_version);
	emh_buf_puts(b, ").\n\n");
	if (r->ledger) {
		emh_buf_puts(b, "Each app's newest filing in the ledger ");
		emh_gate__md_code(b, r->ledger);
		emh_buf_puts(b, ", evaluated again from its stored submission.\n\n");
	}
	size_t evaluated = r->nsubmissions - r->nerrors - r->nnot_reevaluable;
	if (!r->nsubmissions && r->ledger)
		emh_buf_puts(b, "**The ledger holds no filing: nothing was evaluated.**");
	else if (!r->nsubmissions)
		emh_buf_puts(b, "**No submission was found under the paths given: nothing was evaluated.**");
	else if (r->nchanged)
		emh_buf_appendf(b, "**%zu of %zu submissions change: %zu verdict%s, %zu newly rejected.**",
		                r->nchanged, evaluated, r->nverdict_changed, r->nverdict_changed == 1 ? "" : "s",
		                r->nnewly_rejected);
	else
		emh_buf_appendf(b, "**No submission changes verdict or outcome** (%zu evaluated).", evaluated);
	if (r->nerrors)
		emh_buf_appendf(b, " %zu could not be read.", r->nerrors);
	if (r->nnot_reevaluable)
		emh_buf_appendf(b, " %zu not re-evaluable.", r->nnot_reevaluable);
	emh_buf_puts(b, "\n\n");

	emh_buf_appendf(b, "#### Criteria: %zu changed (%zu in wording only), %zu added, %zu removed\n\n",
	                n[EMH_CHANGE_CHANGED], wording, n[EMH_CHANGE_ADDED], n[EMH_CHANGE_REMOVED]);
	if (r->ncriteria) {
		emh_buf_puts(b, "| criterion | change | version | severity | what changed |\n"
		                "| --- | --- | --- | --- | --- |\n");
		for (size_t i = 0; i < r->ncriteria; i++) {
			const emh_criterion_change *c = &r->criteria[i];
			emh_buf_appendf(b, "| `%s` | %s%s | ", c->id, kind_name(c->kind),
			                c->wording_only ? " (wording)" : "");
			md_version(b, c);
			emh_buf_appendf(b, " | %s | ", emh_severity_name(c->severity));
			if (c->keys)
				emh_gate__md(b, c->keys);
			else
				emh_gate__md(b, c->title);
			if (c->references) {
				emh_buf_puts(b, " (references: ");
				emh_gate__md(b, c->references);
				emh_buf_putc(b, ')');
			}
			emh_buf_puts(b, " |\n");
		}
		emh_buf_putc(b, '\n');
	}
	if (r->framework_keys) {
		emh_buf_puts(b, "framework.json changed: ");
		emh_gate__md(b, r->framework_keys);
		if (r->framework_references) {
			emh_buf_puts(b, " (references catalogue: ");
			emh_gate__md(b, r->framework_references);
			emh_buf_putc(b, ')');
		}
		emh_buf_puts(b, "\n\n");
	}
	if (r->catalogue_changes) {
		emh_buf_puts(b, "Tracker catalogue (trackers.json): ");
		emh_gate__md(b, r->catalogue_changes);
		emh_buf_puts(b, "\n\n");
	}
	if (r->nchanged) {
		emh_buf_puts(b, "#### Submissions whose verdict or outcomes change\n\n"
		                "| submission | verdict | criteria responsible |\n| --- | --- | --- |\n");
		for (size_t i = 0; i < r->nsubmissions; i++) {
			const emh_submission_impact *s = &r->submissions[i];
			if (s->error || !s->changed)
				continue;
			emh_buf_puts(b, "| ");
			emh_gate__md_code(b, s->path);
			emh_buf_puts(b, " | ");
			if (s->from != s->to) {
				md_verdict(b, s->from, 0);
				emh_buf_puts(b, " → ");
				md_verdict(b, s->to, 1);
			} else {
				md_verdict(b, s->to, 0);
				emh_buf_puts(b, " (unchanged)");
			}
			emh_buf_puts(b, " | ");
			md_responsible(b, s);
			emh_buf_puts(b, " |\n");
		}
		emh_buf_puts(b, "\n<details><summary>What each change means for the submission</summary>\n\n");
		for (size_t i = 0; i < r->nsubmissions; i++) {
			const emh_submission_impact *s = &r->submissions[i];
			if (s->error || !s->changed)
				continue;
			emh_buf_puts(b, "- ");
			emh_gate__md_code(b, s->path);
			if (s->name) {
				emh_buf_puts(b, " (");
				emh_gate__md(b, s->name);
				emh_buf_puts(b, ")");
			}
			emh_buf_putc(b, '\n');
			for (size_t k = 0; k < s->nchanges; k++) {
				const emh_outcome_change *x = &s->changes[k];
				emh_buf_appendf(b, "  - `%s` (%s): %s → %s", x->criterion, emh_severity_name(x->severity),
				                outcome_or_none(x->has_from, x->from), outcome_or_none(x->has_to, x->to));
				if (x->detail) {
					emh_buf_puts(b, ": ");
					emh_gate__md(b, x->detail);
				}
				emh_buf_putc(b, '\n');
			}
		}
		emh_buf_puts(b, "\n</details>\n\n");
	}
	if (r->nerrors) {
		emh_buf_puts(b, "#### Submissions that could not be read\n\n");
		for (size_t i = 0; i < r->nsubmissions; i++) {
			const emh_submission_impact *s = &r->submissions[i];
			if (!s->error)
				continue;
			emh_buf_puts(b, "- ");
			emh_gate__md_code(b, s->path);
			emh_buf_puts(b, ": ");
			emh_gate__md(b, s->error);
			emh_buf_putc(b, '\n');
		}
		emh_buf_putc(b, '\n');
	}
	if (r->nnot_reevaluable) {
		emh_buf_puts(b, "#### Filings that could not be evaluated again\n\n");
		for (size_t i = 0; i < r->nsubmissions; i++) {
			const emh_submission_impact *s = &r->submissions[i];
			if (!s->not_reevaluable)
				continue;
			emh_buf_puts(b, "- ");
			emh_gate__md_code(b, s->path);
			emh_buf_puts(b, ": not re-evaluable (");
			emh_gate__md(b, s->not_reevaluable);
			emh_buf_puts(b, ")\n");
		}
		emh_buf_putc(b, '\n');
	}
}

/* ---- JSON ----------------------------------------------------------------- */

static cJSON *side_json(const char *rev, const char *commit, const char *version)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str_or_null(o, "rev", rev);
	emh_json_put_str_or_null(o, "commit", commit);
	emh_json_put_str_or_null(o, "framework_version", version);
	return o;
}

static cJSON *criterion_json(const emh_criterion_change *c)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str_or_null(o, "id", c->id);
	emh_json_put_str_or_null(o, "change", kind_name(c->kind));
	emh_json_put_num(o, "version_from", c->version_from);
	emh_json_put_num(o, "version_to", c->version_to);
	emh_json_put_str_or_null(o, "severity", emh_severity_name(c->severity));
	emh_json_put_str_or_null(o, "title", c->title);
	emh_json_put_str_or_null(o, "keys", c->keys);
	emh_gate__put_bool(o, "wording_only", c->wording_only);
	emh_json_put_str_or_null(o, "references_change", c->references);
	return o;
}

static cJSON *submission_json(const emh_submission_impact *s)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str_or_null(o, "path", s->path);
	emh_json_put_str_or_null(o, "name", s->name);
	if (s->error) {
		emh_json_put_str_or_null(o, "error", s->error);
		return o;
	}
	if (s->not_reevaluable) {
		emh_json_put_str_or_null(o, "not_reevaluable", s->not_reevaluable);
		return o;
	}
	emh_json_put_str_or_null(o, "verdict_from", emh_verdict_name(s->from));
	emh_json_put_str_or_null(o, "verdict_to", emh_verdict_name(s->to));
	emh_gate__put_bool(o, "changed", s->changed);
	cJSON *changes = cJSON_AddArrayToObject(o, "changes");
	for (size_t k = 0; k < s->nchanges; k++) {
		const emh_outcome_change *x = &s->changes[k];
		cJSON *co = cJSON_CreateObject();
		emh_json_put_str_or_null(co, "criterion", x->criterion);
		emh_json_put_str_or_null(co, "severity", emh_severity_name(x->severity));
		emh_json_put_str_or_null(co, "from", x->has_from ? emh_outcome_name(x->from) : NULL);
		emh_json_put_str_or_null(co, "to", x->has_to ? emh_outcome_name(x->to) : NULL);
		emh_json_put_str_or_null(co, "detail", x->detail);
		emh_json_push(changes, co);
	}
	return o;
}

/* A member "key": v on a line of its own after the previous one; v is freed. */
static void member_line(emh_buf *b, const char *key, cJSON *v, unsigned long failures)
{
	emh_buf_puts(b, ",\n ");
	emh_buf_append_json_string(b, key, strlen(key));
	emh_buf_puts(b, ": ");
	emh_gate__json_line(b, v, failures);
	cJSON_Delete(v);
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Each part a line, each criterion and submission a line, built as cJSON trees (gate_render.h). */
static void render_json(emh_buf *b, const emh_impact_report *r)
{
	unsigned long failures = emh_json_alloc_failures();
	cJSON *head = cJSON_CreateObject();
	emh_json_put_str_or_null(head, "format", "emheval/impact/1");
	emh_json_put_str_or_null(head, "repository", r->repository);
	emh_json_put_str_or_null(head, "criteria_path", r->criteria_path);
	if (r->ledger)
		emh_json_put_str_or_null(head, "ledger", r->ledger);
	emh_buf_putc(b, '{');
	emh_gate__json_members(b, head, 1, failures);
	cJSON_Delete(head);
	member_line(b, "from", side_json(r->from, r->from_commit, r->from_version), failures);
	member_line(b, "to", side_json(r->to, r->to_commit, r->to_version), failures);
	cJSON *sum = cJSON_CreateObject();
	emh_json_put_num(sum, "submissions", (long long)r->nsubmissions);
	emh_json_put_num(sum, "changed", (long long)r->nchanged);
	emh_json_put_num(sum, "verdict_changed", (long long)r->nverdict_changed);
	emh_json_put_num(sum, "newly_rejected", (long long)r->nnewly_rejected);
	emh_json_put_num(sum, "unreadable", (long long)r->nerrors);
	if (r->ledger)
		emh_json_put_num(sum, "not_reevaluable", (long long)r->nnot_reevaluable);
	member_line(b, "summary", sum, failures);
	member_line(b, "framework_changed_keys", str_or_null(r->framework_keys), failures);
	member_line(b, "framework_references", str_or_null(r->framework_references), failures);
	member_line(b, "catalogue_changes", str_or_null(r->catalogue_changes), failures);
	emh_buf_puts(b, ",\n \"criteria\": [");
	for (size_t i = 0; i < r->ncriteria; i++) {
		emh_buf_puts(b, i ? ",\n  " : "\n  ");
		cJSON *o = criterion_json(&r->criteria[i]);
		emh_gate__json_line(b, o, failures);
		cJSON_Delete(o);
	}
	emh_buf_puts(b, r->ncriteria ? "\n ],\n \"submissions\": [" : "],\n \"submissions\": [");
	for (size_t i = 0; i < r->nsubmissions; i++) {
		emh_buf_puts(b, i ? ",\n  " : "\n  ");
		cJSON *o = submission_json(&r->submissions[i]);
		emh_gate__json_line(b, o, failures);
		cJSON_Delete(o);
	}
	emh_buf_puts(b, r->nsubmissions ? "\n ]\n}\n" : "]\n}\n");
}

int emh_impact_render(emh_buf *out, const emh_impact_report *r, emh_gate_format f, emh_error *err)
{
	switch (f) {
	case EMH_GATE_TEXT: render_text(out, r); break;
	case EMH_GATE_MARKDOWN: render_markdown(out, r); break;
	case EMH_GATE_JSON: render_json(out, r); break;
	default:
		return emh_error_set(err, EMH_EINVALID, "impact reports are text, markdown or json");
	}
	return emh_gate__finish(out, err);
}
