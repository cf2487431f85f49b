/*
 * evaluate.c - runs every criterion of a set on one submission and builds
 * the dossier: outcomes in dependency order (a criterion whose prerequisite
 * did not pass is not evaluated), findings for whatever did not pass, the
 * evidence files' hashes, then the verdict and scores (verdict.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h" /* EMHEVAL_VERSION, the one place the version is written */
#include "emheval/eval.h"
#include "evaluator/eval_internal.h"
#include "evaluator/verdict.h"
#include "evaluator/waive.h"

static emh_outcome tri_outcome(emh_tri t)
{
	switch (t) {
	case EMH_T_PASS: return EMH_OUTCOME_PASS;
	case EMH_T_FAIL: return EMH_OUTCOME_FAIL;
	case EMH_T_REVIEW: return EMH_OUTCOME_NEEDS_REVIEW;
	case EMH_T_ERROR: return EMH_OUTCOME_ERROR;
	case EMH_T_ABSENT: return EMH_OUTCOME_NOT_EVALUATED;
	}
	return EMH_OUTCOME_ERROR;
}

static void reset_explain(emh_ectx *c, int explain)
{
	c->explain = explain;
	c->negated = 0;
	c->quiet = 0;
	c->nfindings = 0;
	c->dropped = 0;
	c->reason[0] = '\0';
	c->visits = 0;
	emh_matcher_reset_budget(&c->matcher);
	emh_buf_clear(&c->prefix);
}

/* Copies the findings gathered in c into r (allocated in the dossier's arena). */
static void keep_findings(emh_ectx *c, emh_result *r)
{
	if (!c->nfindings)
		return;
	r->findings = emh_arena_alloc(c->arena, c->nfindings * sizeof *r->findings);
	if (!r->findings)
		return;
	memcpy(r->findings, c->findings, c->nfindings * sizeof *r->findings);
	r->nfindings = c->nfindings;
}

static void run_one(emh_ectx *c, const emh_criteria *set, size_t i, emh_result *results)
{
	const emh_criterion *cr = &set->items[i];
	emh_result *r = &results[i];
	emh_arena *a = c->arena;

	c->check = NULL;
	if (cr->applies_when) {
		reset_explain(c, 0);
		c->quiet = 1;
		emh_tri t = emh_eval_node(c, cr->applies_when, c->root);
		c->quiet = 0;
		if (t == EMH_T_FAIL) {
			r->outcome = EMH_OUTCOME_NOT_APPLICABLE;
			return;
		}
		if (t != EMH_T_PASS) {
			reset_explain(c, 1);
			c->quiet = 0;
			emh_eval_node(c, cr->applies_when, c->root);
			r->outcome = tri_outcome(t);
			r->reason = emh_arena_printf(a, "cannot tell whether it applies: %s",
			                             c->reason[0] ? c->reason : "the data is incomplete");
			return;
		}
	}
	for (size_t k = 0; k < cr->nrequires; k++) {
		const emh_result *pre = &results[cr->requires[k]];
		if (pre->outcome == EMH_OUTCOME_FAIL || pre->outcome == EMH_OUTCOME_ERROR ||
		    pre->outcome == EMH_OUTCOME_NOT_EVALUATED) {
			r->outcome = EMH_OUTCOME_NOT_EVALUATED;
			r->reason = emh_arena_printf(a, "requires %s, which is %s", pre->id,
			                             emh_outcome_name(pre->outcome));
			return;
		}
	}
	if (cr->manual) {
		r->outcome = EMH_OUTCOME_NEEDS_REVIEW;
		r->reason = emh_arena_strdup(a, "awaits a reviewer's decision");
		return;
	}
	reset_explain(c, 0);
	c->check = cr->check;
	c->neutral = EMH_T_REVIEW;
	emh_tri t = emh_eval_node(c, cr->check, c->root);
	r->outcome = tri_outcome(t);
	if (t == EMH_T_PASS)
		return;
	if (c->explain_enabled) {
		reset_explain(c, 1);
		emh_eval_node(c, cr->check, c->root);
		keep_findings(c, r);
	}
	if (t == EMH_T_FAIL)
		r->message = cr->fail_message;
	if (c->reason[0] && t != EMH_T_FAIL)
		r->reason = emh_arena_strdup(a, c->reason);
	else if (t == EMH_T_ERROR)
		r->reason = emh_arena_strdup(a, "the submission's data has the wrong type for this check");
}

/* Fills the static parts of each result from its criterion. */
static void describe_results(const emh_criteria *set, emh_result *results, emh_arena *a)
{
	for (size_t i = 0; i < set->count; i++) {
		const emh_criterion *cr = &set->items[i];
		emh_result *r = &results[i];
		r->id = cr->id;
		r->version = cr->version;
		r->title = cr->title;
		r->domain = cr->domain;
		r->severity = cr->severity;
		const char **refs = cr->nreferences ? emh_arena_alloc(a, cr->nreferences * sizeof *refs) : NULL;
		for (size_t k = 0; refs && k < cr->nreferences; k++)
			refs[k] = cr->references[k];
		r->references = refs;
		r->nreferences = refs ? cr->nreferences : 0;
		r->manual = cr->manual;
		r->provenance = cr->manual ? "reviewer" : cr->observed ? "observed" : cr->verified ? "verified" : "declared";
		r->remediation = cr->remediation;
		r->guidance = cr->guidance;
	}
}

static const char *string_at(emh_dossier *d, const cJSON *root, const char *key, const char *sub)
{
	const cJSON *o = sub ? cJSON_GetObjectItemCaseSensitive(root, sub) : root;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? emh_arena_strdup(d->arena, v->valuestring) : NULL;
}

static void describe_submission(emh_dossier *d, const emh_criteria *set, const emh_submission *s)
{
	emh_arena *a = d->arena;
	d->format = EMH_DOSSIER_FORMAT;
	d->tool_version = EMHEVAL_VERSION;
	d->criteria_repository = emh_arena_strdup(a, set->repository ? set->repository : "");
	d->criteria_source = set->source ? emh_arena_strdup(a, set->source) : NULL;
	d->criteria_path = emh_arena_strdup(a, set->path);
	d->criteria_rev = emh_arena_strdup(a, set->rev ? set->rev : "");
	d->criteria_commit = emh_arena_strdup(a, set->commit);
	d->criteria_tree = emh_arena_strdup(a, set->tree);
	d->framework_name = emh_arena_strdup(a, set->framework.name);
	d->framework_version = emh_arena_strdup(a, set->framework.version);
	d->submission_id = string_at(d, s->root, "id", "app");
	d->app_name = string_at(d, s->root, "name", "app");
	d->app_version = string_at(d, s->root, "version", "app");
	d->submission_sha256 = s->sha256[0] ? emh_arena_strdup(a, s->sha256) : NULL;
	if (set->framework.has_tier_pointer) {
		const cJSON *t = emh_ptr_resolve(&set->framework.tier_pointer, s->root, NULL);
		if (cJSON_IsString(t))
			d->tier = emh_arena_strdup(a, t->valuestring);
	}
	d->nevidence = s->nevidence;
	d->evidence = s->nevidence ? emh_arena_alloc(a, s->nevidence * sizeof *d->evidence) : NULL;
	for (size_t i = 0; d->evidence && i < s->nevidence; i++) {
		const emh_evidence_entry *e = &s->evidence[i];
		emh_evidence_file *f = &d->evidence[i];
		f->kind = emh_arena_strdup(a, e->kind);
		f->path = emh_arena_strdup(a, e->path);
		f->declared_sha256 = emh_arena_strdup(a, e->declared_sha256);
		f->sha256 = e->sha256[0] ? emh_arena_strdup(a, e->sha256) : NULL;
		f->status = e->status;
		f->problem = emh_arena_strdup(a, e->problem);
	}
}

struct emh_evaluator {
	const emh_criteria *set;
	emh_eval_options opts;
	long as_of;            /* from opts.as_of, when given */
	emh_ectx ctx;          /* matcher and prefix buffer kept between runs */
};

int emh_evaluator_new(emh_evaluator **out, const emh_criteria *set,
                      const emh_eval_options *opts, emh_error *err)
{
	*out = NULL;
	emh_evaluator *ev = emh_calloc(1, sizeof *ev);
	if (!ev)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	ev->set = set;
	emh_eval_options dflt = EMH_EVAL_OPTIONS_INIT;
	ev->opts = opts ? *opts : dflt;
	if (ev->opts.as_of && emh_date_parse(&ev->as_of, ev->opts.as_of)) {
		emh_error_set(err, EMH_EINVALID, "--as-of \"%s\" is not a date YYYY-MM-DD", ev->opts.as_of);
		free(ev);
		return EMH_EINVALID;
	}
	ev->ctx.max_visits = ev->opts.max_array_visit ? ev->opts.max_array_visit : EMH_MAX_ARRAY_VISIT;
	if (emh_matcher_init(&ev->ctx.matcher)) {
		free(ev);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	*out = ev;
	return 0;
}

void emh_evaluator_free(emh_evaluator *ev)
{
	if (!ev)
		return;
	emh_matcher_dispose(&ev->ctx.matcher);
	emh_buf_dispose(&ev->ctx.prefix);
	free(ev);
}

/* Points the evaluator's context at sub, runs the observers over its artifacts
 * and finds the evaluation date. Returns 0 or an artifact's located error. */
static int bind_submission(emh_evaluator *ev, const emh_submission *sub, emh_error *err)
{
	emh_ectx *c = &ev->ctx;
	c->sub = sub;
	c->root = sub->root;
	int rc = emh_observe_run(&c->obs, sub, ev->set->trackers.count ? &ev->set->trackers : NULL, err);
	if (rc)
		return rc;
	c->explain_enabled = ev->opts.explain;
	if (ev->opts.as_of) {
		c->as_of = ev->as_of;
		c->as_of_ok = 1;
	} else {
		const cJSON *sd = cJSON_GetObjectItemCaseSensitive(sub->root, "submission_date");
		c->as_of_ok = cJSON_IsString(sd) && emh_date_parse(&c->as_of, sd->valuestring) == 0;
	}
	return 0;
}

static int declared(const cJSON *markets, const char *m)
{
	for (const cJSON *e = cJSON_IsArray(markets) ? markets->child : NULL; e; e = e->next)
		if (cJSON_IsString(e) && strcmp(e->valuestring, m) == 0)
			return 1;
	return 0;
}

/*
 * The markets the criteria read at /app/markets: the declared ones, plus the
 * markets of every chosen profile that shares none of them. A profile shares
 * none only when it was named (--profile or /profiles), and the profile an
 * assessment is made against decides whose rules apply: a vendor declaring
 * "markets": ["US"] must not take an NHS England assessment past the criteria
 * that apply on the GB market (docs/decisions.md). *out stays NULL when
 * nothing is added. Returns 0 or -1 (out of memory).
 */
static int assessed_markets(cJSON **out, const emh_dossier *d, const emh_criteria *set, const cJSON *root)
{
	*out = NULL;
	const cJSON *own = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "app"), "markets");
	for (size_t k = 0; k < d->nprofiles; k++) {
		size_t p = emh_framework_profile(&set->framework, d->profiles[k].id);
		if (p == (size_t)-1)
			continue;
		const emh_strlist *ms = &set->framework.profiles[p].markets;
		int shared = 0;
		for (size_t m = 0; m < ms->n && !shared; m++)
			shared = strcmp(ms->items[m], "*") == 0 || declared(own, ms->items[m]);
		for (size_t m = 0; m < ms->n && !shared; m++) {
			if (!*out) {
				*out = cJSON_IsArray(own) ? cJSON_Duplicate(own, 1) : cJSON_CreateArray();
				if (!*out)
					return -1;
			}
			if (declared(*out, ms->items[m]))
				continue;
			cJSON *v = cJSON_CreateString(ms->items[m]);
			if (!v)
				return -1;
			cJSON_AddItemToArray(*out, v);
		}
	}
	return 0;
}

static void unbind_submission(emh_ectx *c)
{
	cJSON_Delete((cJSON *)(uintptr_t)c->markets);
	c->markets = NULL;
	emh_observation_free(c->obs);
	c->obs = NULL;
	c->sub = NULL;
	c->root = NULL;
	c->arena = NULL;
}

int emh_evaluator_run(emh_evaluator *ev, emh_dossier **out,
                      const emh_submission *sub, emh_error *err)
{
	const emh_criteria *set = ev->set;
	emh_ectx *c = &ev->ctx;
	*out = NULL;
	/* A scratch allocation lost while judging (a language detection, a text's spans) would change a
	   result without saying so: the run fails as a whole instead (checked with the arena below). */
	unsigned long lost = emh_alloc_failures(), bufs = emh_buf_alloc_failures();
	int rc = bind_submission(ev, sub, err);
	if (rc) {
		unbind_submission(c);
		return rc;
	}
	emh_arena *a = emh_arena_new();
	emh_dossier *d = a ? emh_arena_alloc(a, sizeof *d) : NULL;
	if (!d) {
		emh_arena_free(a);
		unbind_submission(c);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	d->arena = a;
	c->arena = a;
	d->nresults = set->count;
	d->results = emh_arena_alloc(a, (set->count ? set->count : 1) * sizeof *d->results);
	emh_waiver_run waivers; /* waiver.c: a fail waived here no longer blocks what requires it */
	rc = emh_waiver__begin(&waivers, &ev->opts, sub->root, c->as_of, c->as_of_ok, err);
	if (rc)
		goto done;
	if (!d->results) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	/* The profiles first: they decide the markets the criteria read (assessed_markets). */
	rc = emh_select_profiles(d, set, sub->root, ev->opts.profiles, err);
	if (rc)
		goto done;
	cJSON *markets = NULL;
	if (assessed_markets(&markets, d, set, sub->root)) {
		cJSON_Delete(markets);
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	c->markets = markets;
	describe_results(set, d->results, a);
	for (size_t k = 0; k < set->count; k++) {
		run_one(c, set, set->order[k], d->results);
		emh_waiver__apply(&waivers, &d->results[set->order[k]], a);
	}
	describe_submission(d, set, sub);
	if (emh_waiver__finish(&waivers, d) || emh_arena_failed(a) || emh_alloc_failures() != lost ||
	    emh_buf_alloc_failures() != bufs) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	d->revision = 1;
	if (c->as_of_ok) {
		char day[11];
		emh_date_format(day, c->as_of);
		d->as_of = emh_arena_strdup(a, day);
	}
	/* Titles, messages and ids stay in the set: the dossier holds a reference instead of copies. */
	emh_criteria__retain(set);
	d->criteria_owner = (emh_criteria *)(uintptr_t)set;
	emh_decide(d, set);
	if (emh_arena_failed(a) || emh_alloc_failures() != lost || emh_buf_alloc_failures() != bufs) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		d->criteria_owner = NULL;
		emh_criteria_free((emh_criteria *)(uintptr_t)set); /* the reference taken above */
	}
done:
	emh_waiver__dispose(&waivers);
	unbind_submission(c);
	if (rc) {
		emh_arena_free(a);
		return rc;
	}
	*out = d;
	return 0;
}

int emh_evaluate(emh_dossier **out, const emh_criteria *set,
                 const emh_submission *sub, const emh_eval_options *opts,
                 emh_error *err)
{
	emh_evaluator *ev = NULL;
	*out = NULL;
	int rc = emh_evaluator_new(&ev, set, opts, err);
	if (rc == 0)
		rc = emh_evaluator_run(ev, out, sub, err);
	emh_evaluator_free(ev);
	return rc;
}

int emh_evaluator__run_alone(emh_evaluator *ev, size_t i, const emh_submission *sub,
                             emh_arena *a, emh_result *out, emh_error *err)
{
	const emh_criteria *set = ev->set;
	memset(out, 0, sizeof *out);
	if (i >= set->count)
		return emh_error_set(err, EMH_ENOTFOUND, "no criterion %zu in the set", i);
	/* Zeroed results read as pass, so no prerequisite blocks criterion i. */
	emh_result *results = emh_calloc(set->count, sizeof *results);
	if (!results)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_ectx *c = &ev->ctx;
	int rc = bind_submission(ev, sub, err);
	if (rc) {
		unbind_submission(c);
		free(results);
		return rc;
	}
	c->arena = a;
	run_one(c, set, i, results);
	*out = results[i];
	const emh_criterion *cr = &set->items[i];
	out->id = cr->id;
	out->version = cr->version;
	out->title = cr->title;
	out->domain = cr->domain;
	out->severity = cr->severity;
	out->manual = cr->manual;
	free(results);
	unbind_submission(c);
	return 0;
}
