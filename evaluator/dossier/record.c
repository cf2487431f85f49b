/*
 * record.c - the dossier of record as JSON.
 *
 * The dossier is built as a cJSON tree and printed by canonical.c: pretty
 * for the file, compact (without "digest") for the SHA-256 digest (seal.c).
 * Absent values (NULL strings) are left out rather than written as null, so
 * a field's presence means something.
 */
#include <string.h>
#include "emheval/report.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"

static cJSON *finding_json(const emh_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str(o, "pointer", f->pointer);
	emh_json_put_str(o, "file", f->file);
	emh_json_put_str(o, "expected", f->expected);
	emh_json_put_str(o, "found", f->found);
	emh_json_put_str(o, "excerpt", f->excerpt);
	emh_json_put_str(o, "pattern", f->pattern);
	if (f->line) {
		emh_json_put_num(o, "line", f->line);
		emh_json_put_num(o, "column", f->column);
		emh_json_put_num(o, "offset", (long long)f->offset);
	}
	return o;
}

static cJSON *result_json(const emh_result *r)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str(o, "id", r->id);
	emh_json_put_num(o, "version", r->version);
	emh_json_put_str(o, "title", r->title);
	emh_json_put_str(o, "domain", r->domain);
	emh_json_put_str(o, "severity", emh_severity_name(r->severity));
	cJSON *refs = cJSON_AddArrayToObject(o, "references");
	for (size_t i = 0; i < r->nreferences; i++)
		emh_json_push(refs, cJSON_CreateString(r->references[i]));
	emh_json_put_str(o, "kind", r->manual ? "manual" : "check");
	emh_json_put_str(o, "outcome", emh_outcome_name(r->outcome));
	emh_json_put_str(o, "provenance", r->provenance);
	emh_json_put_str(o, "message", r->message);
	emh_json_put_str(o, "reason", r->reason);
	emh_json_put_str(o, "remediation", r->remediation);
	emh_json_put_str(o, "guidance", r->guidance);
	if (r->nfindings) {
		cJSON *fs = cJSON_AddArrayToObject(o, "findings");
		for (size_t i = 0; i < r->nfindings; i++)
			emh_json_push(fs, finding_json(&r->findings[i]));
	}
	return o;
}

static void add_ids(cJSON *o, const char *key, const char *const *ids, size_t n, int always)
{
	if (!n && !always)
		return;
	cJSON *arr = cJSON_AddArrayToObject(o, key);
	for (size_t i = 0; i < n; i++)
		emh_json_push(arr, cJSON_CreateString(ids[i]));
}

/* One verdict per profile evaluated (docs/profiles.md); empty lists are left out. */
static void profiles_json(cJSON *root, const emh_dossier *d)
{
	cJSON *ps = cJSON_AddArrayToObject(root, "profiles");
	for (size_t k = 0; k < d->nprofiles; k++) {
		const emh_profile_verdict *p = &d->profiles[k];
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str(o, "id", p->id);
		emh_json_put_str(o, "title", p->title);
		emh_json_put_str(o, "verdict", emh_verdict_name(p->verdict));
		add_ids(o, "criteria", p->criteria, p->ncriteria, 1);
		add_ids(o, "returned", p->returned, p->nreturned, 0);
		add_ids(o, "rejected", p->rejected, p->nrejected, 0);
		add_ids(o, "incomplete", p->incomplete, p->nincomplete, 0);
		add_ids(o, "awaiting_review", p->awaiting_review, p->nawaiting_review, 0);
		if (p->nconditions) {
			cJSON *cs = cJSON_AddArrayToObject(o, "conditions");
			for (size_t i = 0; i < p->nconditions; i++) {
				const emh_condition *c = &p->conditions[i];
				cJSON *co = cJSON_CreateObject();
				emh_json_put_str(co, "criterion", c->criterion);
				emh_json_put_str(co, "severity", emh_severity_name(c->severity));
				emh_json_put_str(co, "fix", c->fix);
				emh_json_put_str(co, "due", c->due);
				emh_json_push(cs, co);
			}
		}
		emh_json_push(ps, o);
	}
}

/*
 * The audit trail (issue 4): reviews in the order given, waivers sorted by
 * id, and the revision chain. Each is left out when absent, and revision
 * only appears from 2 on, so a first evaluation reads as it always did.
 */
static void audit_json(cJSON *root, const emh_dossier *d)
{
	if (d->revision > 1)
		emh_json_put_num(root, "revision", d->revision);
	emh_json_put_str(root, "previous_digest", d->previous_digest);
	if (d->nreviews) {
		cJSON *rs = cJSON_AddArrayToObject(root, "reviews");
		for (size_t i = 0; i < d->nreviews; i++) {
			const emh_review *r = &d->reviews[i];
			cJSON *o = cJSON_CreateObject();
			emh_json_put_str(o, "criterion", r->criterion);
			emh_json_put_num(o, "version", r->version);
			emh_json_put_str(o, "reviewer", r->reviewer);
			emh_json_put_str(o, "role", r->role);
			emh_json_put_str(o, "decision", r->decision);
			emh_json_put_str(o, "rationale", r->rationale);
			emh_json_put_str(o, "date", r->date);
			emh_json_put_str(o, "key_id", r->key_id);
			emh_json_put_str(o, "signature", r->signature);
			emh_json_put_str(o, "reviewers_commit", r->reviewers_commit);
			emh_json_put_str(o, "reviewers_path", r->reviewers_path);
			emh_json_push(rs, o);
		}
	}
	if (d->nwaivers) {
		cJSON *ws = cJSON_AddArrayToObject(root, "waivers");
		for (size_t i = 0; i < d->nwaivers; i++) {
			const emh_waiver *w = &d->waivers[i];
			cJSON *o = cJSON_CreateObject();
			emh_json_put_str(o, "id", w->id);
			emh_json_put_str(o, "criterion", w->criterion);
			cJSON *scope = cJSON_AddObjectToObject(o, "scope");
			emh_json_put_str(scope, "app_id", w->app_id);
			emh_json_put_str(scope, "app_version", w->app_version);
			emh_json_put_str(o, "justification", w->justification);
			emh_json_put_str(o, "approver", w->approver);
			emh_json_put_str(o, "expires", w->expires);
			emh_json_put_str(o, "status", w->status);
			emh_json_put_str(o, "key_id", w->key_id);
			emh_json_put_str(o, "signature", w->signature);
			emh_json_put_str(o, "reviewers_commit", w->reviewers_commit);
			emh_json_put_str(o, "reviewers_path", w->reviewers_path);
			emh_json_push(ws, o);
		}
	}
}

void emh_dossier__put_counts(cJSON *parent, const emh_dossier *d)
{
	cJSON *counts = cJSON_AddObjectToObject(parent, "counts");
	for (int o = 0; o < EMH_OUTCOME__COUNT; o++)
		emh_json_put_num(counts, emh_outcome_name((emh_outcome)o), (long long)d->counts[o]);
}

static cJSON *dossier_tree(const emh_dossier *d, int with_digest);

cJSON *emh_dossier_to_json(const emh_dossier *d, int with_digest)
{
	unsigned long failures = emh_json_alloc_failures();
	cJSON *root = dossier_tree(d, with_digest);
	if (root && emh_json_alloc_failures() != failures) { /* a member left out: no dossier at all */
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static cJSON *dossier_tree(const emh_dossier *d, int with_digest)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NULL;
	emh_json_put_str(root, "format", d->format);
	cJSON *tool = cJSON_AddObjectToObject(root, "tool");
	emh_json_put_str(tool, "name", "emheval");
	emh_json_put_str(tool, "version", d->tool_version);
	cJSON *cr = cJSON_AddObjectToObject(root, "criteria");
	emh_json_put_str(cr, "repository", d->criteria_repository);
	emh_json_put_str(cr, "source", d->criteria_source);
	emh_json_put_str(cr, "path", d->criteria_path);
	emh_json_put_str(cr, "rev", d->criteria_rev);
	emh_json_put_str(cr, "commit", d->criteria_commit);
	emh_json_put_str(cr, "tree", d->criteria_tree);
	cJSON *fw = cJSON_AddObjectToObject(cr, "framework");
	emh_json_put_str(fw, "name", d->framework_name);
	emh_json_put_str(fw, "version", d->framework_version);
	cJSON *sub = cJSON_AddObjectToObject(root, "submission");
	emh_json_put_str(sub, "id", d->submission_id);
	emh_json_put_str(sub, "name", d->app_name);
	emh_json_put_str(sub, "version", d->app_version);
	emh_json_put_str(sub, "sha256", d->submission_sha256);
	emh_json_put_str(sub, "tier", d->tier);
	cJSON *ev = cJSON_AddArrayToObject(sub, "evidence");
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *f = &d->evidence[i];
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str(o, "kind", f->kind);
		emh_json_put_str(o, "path", f->path);
		emh_json_put_str(o, "declared_sha256", f->declared_sha256);
		emh_json_put_str(o, "sha256", f->sha256);
		emh_json_put_str(o, "status", f->status);
		emh_json_put_str(o, "problem", f->problem);
		emh_json_push(ev, o);
	}
	emh_json_put_str(root, "as_of", d->as_of);
	cJSON *results = cJSON_AddArrayToObject(root, "results");
	for (size_t i = 0; i < d->nresults; i++)
		emh_json_push(results, result_json(&d->results[i]));
	emh_dossier__put_counts(root, d);
	cJSON *scores = cJSON_AddArrayToObject(root, "scores");
	for (size_t i = 0; i < d->nscores; i++) {
		cJSON *o = cJSON_CreateObject();
		emh_json_put_str(o, "category", d->scores[i].category);
		emh_json_put_str(o, "title", d->scores[i].title);
		if (d->scores[i].score >= 0)
			emh_json_put_num(o, "score", d->scores[i].score);
		else
			cJSON_AddNullToObject(o, "score");
		emh_json_push(scores, o);
	}
	emh_json_put_str(root, "verdict", emh_verdict_name(d->verdict));
	profiles_json(root, d);
	audit_json(root, d);
	if (with_digest)
		emh_json_put_str(root, "digest", d->digest);
	return root;
}

int emh_report_render_json(emh_buf *out, const emh_dossier *d, emh_error *err)
{
	cJSON *tree = emh_dossier_to_json(d, 1);
	if (!tree)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	int rc = emh_canonical_print(out, tree, 1);
	cJSON_Delete(tree);
	if (rc)
		return emh_error_set(err, rc, "cannot render the dossier as JSON");
	return 0;
}
