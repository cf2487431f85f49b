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

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		emh_json_put(o, key, cJSON_CreateString(v));
}

static void add_int(cJSON *o, const char *key, long long v)
{
	emh_json_put(o, key, cJSON_CreateNumber((double)v));
}

static cJSON *finding_json(const emh_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "pointer", f->pointer);
	add_str(o, "file", f->file);
	add_str(o, "expected", f->expected);
	add_str(o, "found", f->found);
	add_str(o, "excerpt", f->excerpt);
	add_str(o, "pattern", f->pattern);
	if (f->line) {
		add_int(o, "line", f->line);
		add_int(o, "column", f->column);
		add_int(o, "offset", (long long)f->offset);
	}
	return o;
}

static cJSON *result_json(const emh_result *r)
{
	cJSON *o = cJSON_CreateObject();
	add_str(o, "id", r->id);
	add_int(o, "version", r->version);
	add_str(o, "title", r->title);
	add_str(o, "domain", r->domain);
	add_str(o, "severity", emh_severity_name(r->severity));
	cJSON *refs = cJSON_AddArrayToObject(o, "references");
	for (size_t i = 0; i < r->nreferences; i++)
		emh_json_push(refs, cJSON_CreateString(r->references[i]));
	add_str(o, "kind", r->manual ? "manual" : "check");
	add_str(o, "outcome", emh_outcome_name(r->outcome));
	add_str(o, "provenance", r->provenance);
	add_str(o, "message", r->message);
	add_str(o, "reason", r->reason);
	add_str(o, "remediation", r->remediation);
	add_str(o, "guidance", r->guidance);
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
		add_str(o, "id", p->id);
		add_str(o, "title", p->title);
		add_str(o, "verdict", emh_verdict_name(p->verdict));
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
				add_str(co, "criterion", c->criterion);
				add_str(co, "severity", emh_severity_name(c->severity));
				add_str(co, "fix", c->fix);
				add_str(co, "due", c->due);
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
		add_int(root, "revision", d->revision);
	add_str(root, "previous_digest", d->previous_digest);
	if (d->nreviews) {
		cJSON *rs = cJSON_AddArrayToObject(root, "reviews");
		for (size_t i = 0; i < d->nreviews; i++) {
			const emh_review *r = &d->reviews[i];
			cJSON *o = cJSON_CreateObject();
			add_str(o, "criterion", r->criterion);
			add_int(o, "version", r->version);
			add_str(o, "reviewer", r->reviewer);
			add_str(o, "role", r->role);
			add_str(o, "decision", r->decision);
			add_str(o, "rationale", r->rationale);
			add_str(o, "date", r->date);
			add_str(o, "key_id", r->key_id);
			add_str(o, "signature", r->signature);
			add_str(o, "reviewers_commit", r->reviewers_commit);
			add_str(o, "reviewers_path", r->reviewers_path);
			emh_json_push(rs, o);
		}
	}
	if (d->nwaivers) {
		cJSON *ws = cJSON_AddArrayToObject(root, "waivers");
		for (size_t i = 0; i < d->nwaivers; i++) {
			const emh_waiver *w = &d->waivers[i];
			cJSON *o = cJSON_CreateObject();
			add_str(o, "id", w->id);
			add_str(o, "criterion", w->criterion);
			cJSON *scope = cJSON_AddObjectToObject(o, "scope");
			add_str(scope, "app_id", w->app_id);
			add_str(scope, "app_version", w->app_version);
			add_str(o, "justification", w->justification);
			add_str(o, "approver", w->approver);
			add_str(o, "expires", w->expires);
			add_str(o, "status", w->status);
			add_str(o, "key_id", w->key_id);
			add_str(o, "signature", w->signature);
			add_str(o, "reviewers_commit", w->reviewers_commit);
			add_str(o, "reviewers_path", w->reviewers_path);
			emh_json_push(ws, o);
		}
	}
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
	add_str(root, "format", d->format);
	cJSON *tool = cJSON_AddObjectToObject(root, "tool");
	add_str(tool, "name", "emheval");
	add_str(tool, "version", d->tool_version);
	cJSON *cr = cJSON_AddObjectToObject(root, "criteria");
	add_str(cr, "repository", d->criteria_repository);
	add_str(cr, "source", d->criteria_source);
	add_str(cr, "path", d->criteria_path);
	add_str(cr, "rev", d->criteria_rev);
	add_str(cr, "commit", d->criteria_commit);
	add_str(cr, "tree", d->criteria_tree);
	cJSON *fw = cJSON_AddObjectToObject(cr, "framework");
	add_str(fw, "name", d->framework_name);
	add_str(fw, "version", d->framework_version);
	cJSON *sub = cJSON_AddObjectToObject(root, "submission");
	add_str(sub, "id", d->submission_id);
	add_str(sub, "name", d->app_name);
	add_str(sub, "version", d->app_version);
	add_str(sub, "sha256", d->submission_sha256);
	add_str(sub, "tier", d->tier);
	cJSON *ev = cJSON_AddArrayToObject(sub, "evidence");
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *f = &d->evidence[i];
		cJSON *o = cJSON_CreateObject();
		add_str(o, "kind", f->kind);
		add_str(o, "path", f->path);
		add_str(o, "declared_sha256", f->declared_sha256);
		add_str(o, "sha256", f->sha256);
		add_str(o, "status", f->status);
		add_str(o, "problem", f->problem);
		emh_json_push(ev, o);
	}
	add_str(root, "as_of", d->as_of);
	cJSON *results = cJSON_AddArrayToObject(root, "results");
	for (size_t i = 0; i < d->nresults; i++)
		emh_json_push(results, result_json(&d->results[i]));
	cJSON *counts = cJSON_AddObjectToObject(root, "counts");
	for (int o = 0; o < EMH_OUTCOME__COUNT; o++)
		add_int(counts, emh_outcome_name((emh_outcome)o), (long long)d->counts[o]);
	cJSON *scores = cJSON_AddArrayToObject(root, "scores");
	for (size_t i = 0; i < d->nscores; i++) {
		cJSON *o = cJSON_CreateObject();
		add_str(o, "category", d->scores[i].category);
		add_str(o, "title", d->scores[i].title);
		if (d->scores[i].score >= 0)
			add_int(o, "score", d->scores[i].score);
		else
			cJSON_AddNullToObject(o, "score");
		emh_json_push(scores, o);
	}
	add_str(root, "verdict", emh_verdict_name(d->verdict));
	profiles_json(root, d);
	audit_json(root, d);
	if (with_digest)
		add_str(root, "digest", d->digest);
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
