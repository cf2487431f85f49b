/*
 * parse.c - reading a saved dossier back into the result model, so that
 * every renderer can render a dossier written earlier (emheval report) and
 * audit commands can work on it. The reader is strict: a dossier is a
 * record, and a malformed one is reported with file, line, column and the
 * pointer of the bad member rather than rendered half-right.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "emheval/report.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"

typedef struct pctx {
	const emh_json *doc;
	const char *label;
	emh_arena *arena;
	emh_error *err;
	int bad;
} pctx;

static void bad_at(pctx *c, const cJSON *at, const char *jptr, const char *what)
{
	if (c->bad++)
		return;
	unsigned line = 0, col = 0;
	size_t off = 0;
	if (at)
		emh_json_locate(c->doc, at, &line, &col, &off);
	emh_error_set(c->err, EMH_EINVALID, "not a valid dossier: %s", what);
	emh_error_locate(c->err, c->label, line, col, jptr);
}

/* An optional string member; a present member of another type is an error. */
static const char *str(pctx *c, const cJSON *obj, const char *key, int required, const char *jbase)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char jp[256], what[300];
	snprintf(jp, sizeof jp, "%s/%s", jbase, key);
	if (!v) {
		if (required) {
			snprintf(what, sizeof what, "missing \"%s\"", key);
			bad_at(c, obj, jbase, what);
		}
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		snprintf(what, sizeof what, "\"%s\" must be a string", key);
		bad_at(c, v, jp, what);
		return NULL;
	}
	return emh_arena_strdup(c->arena, v->valuestring);
}

static long integer(pctx *c, const cJSON *obj, const char *key, long dflt, const char *jbase)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		return dflt;
	/* Range and integrality checked before the cast: converting 1e30 to an integer is undefined. */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= INT_MAX) ||
	    v->valuedouble != floor(v->valuedouble)) {
		char jp[256];
		snprintf(jp, sizeof jp, "%s/%s", jbase, key);
		bad_at(c, v, jp, "expected a non-negative integer (at most 2147483647)");
		return dflt;
	}
	return (long)v->valuedouble;
}

static const cJSON *array(pctx *c, const cJSON *obj, const char *key, const char *jbase)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v && !cJSON_IsArray(v)) {
		char jp[256], what[300];
		snprintf(jp, sizeof jp, "%s/%s", jbase, key);
		snprintf(what, sizeof what, "\"%s\" must be an array", key);
		bad_at(c, v, jp, what);
		return NULL;
	}
	return v;
}

static void parse_result(pctx *c, const cJSON *o, emh_result *r, const char *jp)
{
	if (!cJSON_IsObject(o)) {
		bad_at(c, o, jp, "a result must be an object");
		return;
	}
	r->id = str(c, o, "id", 1, jp);
	r->version = (int)integer(c, o, "version", 0, jp);
	r->title = str(c, o, "title", 1, jp);
	r->domain = str(c, o, "domain", 1, jp);
	const char *sev = str(c, o, "severity", 1, jp);
	if (sev && emh_severity_parse(&r->severity, sev))
		bad_at(c, cJSON_GetObjectItemCaseSensitive(o, "severity"), jp, "unknown severity");
	const char *outcome = str(c, o, "outcome", 1, jp);
	if (outcome && emh_outcome_parse(&r->outcome, outcome))
		bad_at(c, cJSON_GetObjectItemCaseSensitive(o, "outcome"), jp, "unknown outcome");
	const char *kind = str(c, o, "kind", 1, jp);
	r->manual = kind && strcmp(kind, "manual") == 0;
	r->provenance = str(c, o, "provenance", 0, jp);
	r->message = str(c, o, "message", 0, jp);
	r->reason = str(c, o, "reason", 0, jp);
	r->remediation = str(c, o, "remediation", 0, jp);
	r->guidance = str(c, o, "guidance", 0, jp);
	const cJSON *refs = array(c, o, "references", jp);
	r->nreferences = refs ? (size_t)cJSON_GetArraySize(refs) : 0;
	r->references = r->nreferences ? emh_arena_alloc(c->arena, r->nreferences * sizeof *r->references) : NULL;
	size_t i = 0;
	for (const cJSON *e = refs ? refs->child : NULL; r->references && e; e = e->next, i++)
		r->references[i] = cJSON_IsString(e) ? emh_arena_strdup(c->arena, e->valuestring) : "";
	const cJSON *fs = array(c, o, "findings", jp);
	r->nfindings = fs ? (size_t)cJSON_GetArraySize(fs) : 0;
	r->findings = r->nfindings ? emh_arena_alloc(c->arena, r->nfindings * sizeof *r->findings) : NULL;
	i = 0;
	for (const cJSON *e = fs ? fs->child : NULL; r->findings && e; e = e->next, i++) {
		char fp[300];
		snprintf(fp, sizeof fp, "%s/findings/%zu", jp, i);
		emh_finding *f = &r->findings[i];
		f->pointer = str(c, e, "pointer", 0, fp);
		f->file = str(c, e, "file", 0, fp);
		f->expected = str(c, e, "expected", 0, fp);
		f->found = str(c, e, "found", 0, fp);
		f->excerpt = str(c, e, "excerpt", 0, fp);
		f->pattern = str(c, e, "pattern", 0, fp);
		f->line = (unsigned)integer(c, e, "line", 0, fp);
		f->column = (unsigned)integer(c, e, "column", 0, fp);
		f->offset = (size_t)integer(c, e, "offset", 0, fp);
	}
}

/* The audit trail: revision (absent means 1), previous_digest, reviews, waivers. */
static void parse_audit(pctx *c, const cJSON *root, emh_dossier *d)
{
	const cJSON *rev = cJSON_GetObjectItemCaseSensitive(root, "revision");
	d->revision = (int)integer(c, root, "revision", 1, "");
	if (rev && d->revision < 1)
		bad_at(c, rev, "/revision", "\"revision\" must be at least 1");
	d->previous_digest = str(c, root, "previous_digest", 0, "");
	const cJSON *rs = array(c, root, "reviews", "");
	d->nreviews = rs ? (size_t)cJSON_GetArraySize(rs) : 0;
	d->reviews = d->nreviews ? emh_arena_alloc(c->arena, d->nreviews * sizeof *d->reviews) : NULL;
	size_t i = 0;
	for (const cJSON *e = rs ? rs->child : NULL; d->reviews && e; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/reviews/%zu", i);
		emh_review *r = &d->reviews[i];
		if (!cJSON_IsObject(e)) {
			bad_at(c, e, jp, "a review must be an object");
			continue;
		}
		r->criterion = str(c, e, "criterion", 1, jp);
		r->version = (int)integer(c, e, "version", 0, jp);
		r->reviewer = str(c, e, "reviewer", 1, jp);
		r->role = str(c, e, "role", 1, jp);
		r->decision = str(c, e, "decision", 1, jp);
		r->rationale = str(c, e, "rationale", 1, jp);
		r->date = str(c, e, "date", 1, jp);
		r->key_id = str(c, e, "key_id", 0, jp);
		r->signature = str(c, e, "signature", 0, jp);
		r->reviewers_commit = str(c, e, "reviewers_commit", 0, jp);
		r->reviewers_path = str(c, e, "reviewers_path", 0, jp);
		if (r->decision && strcmp(r->decision, "pass") && strcmp(r->decision, "fail"))
			bad_at(c, cJSON_GetObjectItemCaseSensitive(e, "decision"), jp, "a decision is \"pass\" or \"fail\"");
	}
	const cJSON *ws = array(c, root, "waivers", "");
	d->nwaivers = ws ? (size_t)cJSON_GetArraySize(ws) : 0;
	d->waivers = d->nwaivers ? emh_arena_alloc(c->arena, d->nwaivers * sizeof *d->waivers) : NULL;
	i = 0;
	for (const cJSON *e = ws ? ws->child : NULL; d->waivers && e; e = e->next, i++) {
		char jp[64], sp[80];
		snprintf(jp, sizeof jp, "/waivers/%zu", i);
		snprintf(sp, sizeof sp, "%s/scope", jp);
		emh_waiver *w = &d->waivers[i];
		if (!cJSON_IsObject(e)) {
			bad_at(c, e, jp, "a waiver must be an object");
			continue;
		}
		const cJSON *scope = cJSON_GetObjectItemCaseSensitive(e, "scope");
		if (!cJSON_IsObject(scope)) {
			bad_at(c, scope ? scope : e, sp, "missing \"scope\" object");
			continue;
		}
		w->id = str(c, e, "id", 1, jp);
		w->criterion = str(c, e, "criterion", 1, jp);
		w->app_id = str(c, scope, "app_id", 1, sp);
		w->app_version = str(c, scope, "app_version", 0, sp);
		w->justification = str(c, e, "justification", 1, jp);
		w->approver = str(c, e, "approver", 1, jp);
		w->expires = str(c, e, "expires", 1, jp);
		w->status = str(c, e, "status", 1, jp);
		w->key_id = str(c, e, "key_id", 0, jp);
		w->signature = str(c, e, "signature", 0, jp);
		w->reviewers_commit = str(c, e, "reviewers_commit", 0, jp);
		w->reviewers_path = str(c, e, "reviewers_path", 0, jp);
		if (w->status && strcmp(w->status, "applied") && strcmp(w->status, "expired") &&
		    strcmp(w->status, "unused"))
			bad_at(c, cJSON_GetObjectItemCaseSensitive(e, "status"), jp,
			       "a waiver's status is \"applied\", \"expired\" or \"unused\"");
	}
}

/* An optional array of strings; missing is an empty list. */
static const char **ids(pctx *c, const cJSON *obj, const char *key, size_t *n, const char *jbase)
{
	*n = 0;
	const cJSON *arr = array(c, obj, key, jbase);
	size_t cap = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	const char **v = cap ? emh_arena_alloc(c->arena, cap * sizeof *v) : NULL;
	size_t i = 0;
	for (const cJSON *e = arr ? arr->child : NULL; v && e; e = e->next, i++) {
		if (!cJSON_IsString(e)) {
			char jp[300];
			snprintf(jp, sizeof jp, "%s/%s/%zu", jbase, key, i);
			bad_at(c, e, jp, "expected a string");
			continue;
		}
		v[(*n)++] = emh_arena_strdup(c->arena, e->valuestring);
	}
	return v;
}

/* "profiles": one verdict per profile evaluated (docs/profiles.md); required, non-empty. */
static void parse_profiles(pctx *c, const cJSON *root, emh_dossier *d)
{
	const cJSON *ps = array(c, root, "profiles", "");
	if (!ps || !ps->child) {
		bad_at(c, ps ? ps : root, "/profiles", "\"profiles\" must be a non-empty array");
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(ps), i = 0;
	d->profiles = emh_arena_alloc(c->arena, n * sizeof *d->profiles);
	for (const cJSON *e = ps->child; d->profiles && e; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/profiles/%zu", i);
		emh_profile_verdict *p = &d->profiles[d->nprofiles++];
		p->id = str(c, e, "id", 1, jp);
		p->title = str(c, e, "title", 0, jp);
		const char *v = str(c, e, "verdict", 1, jp);
		if (v && emh_verdict_parse(&p->verdict, v))
			bad_at(c, cJSON_GetObjectItemCaseSensitive(e, "verdict"), jp, "unknown verdict");
		p->criteria = ids(c, e, "criteria", &p->ncriteria, jp);
		p->returned = ids(c, e, "returned", &p->nreturned, jp);
		p->rejected = ids(c, e, "rejected", &p->nrejected, jp);
		p->incomplete = ids(c, e, "incomplete", &p->nincomplete, jp);
		p->awaiting_review = ids(c, e, "awaiting_review", &p->nawaiting_review, jp);
		const cJSON *cs = array(c, e, "conditions", jp);
		size_t nc = cs ? (size_t)cJSON_GetArraySize(cs) : 0, k = 0;
		p->conditions = nc ? emh_arena_alloc(c->arena, nc * sizeof *p->conditions) : NULL;
		for (const cJSON *ce = cs ? cs->child : NULL; p->conditions && ce; ce = ce->next, k++) {
			char cp[128];
			snprintf(cp, sizeof cp, "%s/conditions/%zu", jp, k);
			emh_condition *cond = &p->conditions[p->nconditions++];
			cond->criterion = str(c, ce, "criterion", 1, cp);
			const char *sv = str(c, ce, "severity", 1, cp);
			if (sv && emh_severity_parse(&cond->severity, sv))
				bad_at(c, cJSON_GetObjectItemCaseSensitive(ce, "severity"), cp, "unknown severity");
			cond->fix = str(c, ce, "fix", 0, cp);
			cond->due = str(c, ce, "due", 0, cp);
		}
	}
}

int emh_dossier_parse(emh_dossier **out, const char *json, size_t len,
                      const char *label, emh_error *err)
{
	*out = NULL;
	emh_json *doc = NULL;
	int rc = emh_json_parse(&doc, json, len, label, NULL, err);
	if (rc)
		return rc;
	emh_arena *a = emh_arena_new();
	emh_dossier *d = a ? emh_arena_alloc(a, sizeof *d) : NULL;
	if (!d) {
		emh_arena_free(a);
		emh_json_free(doc);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	d->arena = a;
	pctx c = { doc, label, a, err, 0 };
	const cJSON *root = emh_json_root(doc);
	if (!cJSON_IsObject(root)) {
		bad_at(&c, root, "", "a dossier must be a JSON object");
		goto done;
	}
	d->format = str(&c, root, "format", 1, "");
	if (d->format && strcmp(d->format, EMH_DOSSIER_FORMAT) != 0)
		bad_at(&c, cJSON_GetObjectItemCaseSensitive(root, "format"), "/format",
		       "unknown format (expected \"" EMH_DOSSIER_FORMAT "\")");
	const cJSON *tool = cJSON_GetObjectItemCaseSensitive(root, "tool");
	d->tool_version = str(&c, tool, "version", 0, "/tool");
	const cJSON *cr = cJSON_GetObjectItemCaseSensitive(root, "criteria");
	if (!cJSON_IsObject(cr)) {
		bad_at(&c, cr ? cr : root, "/criteria", "missing \"criteria\" object");
		goto done;
	}
	d->criteria_repository = str(&c, cr, "repository", 0, "/criteria");
	d->criteria_source = str(&c, cr, "source", 0, "/criteria");
	d->criteria_path = str(&c, cr, "path", 0, "/criteria");
	d->criteria_rev = str(&c, cr, "rev", 0, "/criteria");
	d->criteria_commit = str(&c, cr, "commit", 1, "/criteria");
	d->criteria_tree = str(&c, cr, "tree", 1, "/criteria");
	const cJSON *fw = cJSON_GetObjectItemCaseSensitive(cr, "framework");
	d->framework_name = str(&c, fw, "name", 0, "/criteria/framework");
	d->framework_version = str(&c, fw, "version", 0, "/criteria/framework");
	const cJSON *sub = cJSON_GetObjectItemCaseSensitive(root, "submission");
	if (!cJSON_IsObject(sub)) {
		bad_at(&c, sub ? sub : root, "/submission", "missing \"submission\" object");
		goto done;
	}
	d->submission_id = str(&c, sub, "id", 0, "/submission");
	d->app_name = str(&c, sub, "name", 0, "/submission");
	d->app_version = str(&c, sub, "version", 0, "/submission");
	d->submission_sha256 = str(&c, sub, "sha256", 1, "/submission");
	d->tier = str(&c, sub, "tier", 0, "/submission");
	const cJSON *ev = array(&c, sub, "evidence", "/submission");
	d->nevidence = ev ? (size_t)cJSON_GetArraySize(ev) : 0;
	d->evidence = d->nevidence ? emh_arena_alloc(a, d->nevidence * sizeof *d->evidence) : NULL;
	size_t i = 0;
	for (const cJSON *e = ev ? ev->child : NULL; d->evidence && e; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/submission/evidence/%zu", i);
		emh_evidence_file *f = &d->evidence[i];
		f->kind = str(&c, e, "kind", 1, jp);
		f->path = str(&c, e, "path", 1, jp);
		f->declared_sha256 = str(&c, e, "declared_sha256", 0, jp);
		f->sha256 = str(&c, e, "sha256", 0, jp);
		f->status = str(&c, e, "status", 1, jp);
		f->problem = str(&c, e, "problem", 0, jp);
	}
	d->as_of = str(&c, root, "as_of", 0, "");
	const cJSON *results = array(&c, root, "results", "");
	if (!results) {
		bad_at(&c, root, "", "missing \"results\" array");
		goto done;
	}
	d->nresults = (size_t)cJSON_GetArraySize(results);
	d->results = d->nresults ? emh_arena_alloc(a, d->nresults * sizeof *d->results) : NULL;
	i = 0;
	for (const cJSON *e = results->child; d->results && e; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/results/%zu", i);
		parse_result(&c, e, &d->results[i], jp);
		if (!c.bad)
			d->counts[d->results[i].outcome]++;
	}
	const cJSON *scores = array(&c, root, "scores", "");
	d->nscores = scores ? (size_t)cJSON_GetArraySize(scores) : 0;
	d->scores = d->nscores ? emh_arena_alloc(a, d->nscores * sizeof *d->scores) : NULL;
	i = 0;
	for (const cJSON *e = scores ? scores->child : NULL; d->scores && e; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/scores/%zu", i);
		d->scores[i].category = str(&c, e, "category", 1, jp);
		d->scores[i].title = str(&c, e, "title", 1, jp);
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "score");
		if (s && !cJSON_IsNull(s) && (!cJSON_IsNumber(s) || !(s->valuedouble >= 0 && s->valuedouble <= 100) ||
		                              s->valuedouble != floor(s->valuedouble))) {
			char sp[80];
			snprintf(sp, sizeof sp, "%s/score", jp);
			bad_at(&c, s, sp, "expected an integer from 0 to 100, or null");
		}
		d->scores[i].score = cJSON_IsNumber(s) && s->valuedouble >= 0 && s->valuedouble <= 100
		                             ? (int)s->valuedouble : -1;
	}
	const char *verdict = str(&c, root, "verdict", 1, "");
	if (verdict && emh_verdict_parse(&d->verdict, verdict))
		bad_at(&c, cJSON_GetObjectItemCaseSensitive(root, "verdict"), "/verdict", "unknown verdict");
	parse_profiles(&c, root, d);
	parse_audit(&c, root, d);
	d->digest = str(&c, root, "digest", 0, "");
done:
	emh_json_free(doc);
	/* A failed allocation leaves counts without items and strings missing: never a dossier. */
	if (emh_arena_failed(a)) {
		emh_arena_free(a);
		return emh_error_set(err, EMH_EGENERIC, "out of memory reading the dossier %s", label ? label : "");
	}
	if (c.bad) {
		emh_arena_free(a);
		return EMH_EINVALID;
	}
	*out = d;
	return 0;
}
