/*
 * review.c - human decisions on the criteria a machine cannot judge.
 *
 * A reviews file holds decisions (reviewer, role, criterion id and version,
 * pass or fail, rationale, date). Applying it to a dossier writes the next
 * revision: the decided results change outcome (provenance "reviewer"),
 * the decisions are appended to the dossier's list of reviews, the
 * revision number goes up by one and previous_digest links back to the
 * dossier reviewed, so a chain of revisions can be followed and checked.
 * The verdict is decided again with the policy of the criteria commit the
 * dossier records. Nothing else is re-evaluated: a review decides exactly
 * the criteria it names.
 *
 * Every decision is checked against the dossier before anything changes:
 * an unknown criterion, another version, or a result that awaits no review
 * is an error that points at the decision in the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/report.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/json.h"
#include "evaluator/verdict.h"
#include "evaluator/dossier/record.h"

/* Where a decision sits in its file, to point errors at it. */
typedef struct emh_review_pos {
	unsigned criterion_line, criterion_col;
	unsigned version_line, version_col;
	unsigned date_line, date_col;
} emh_review_pos;

/* The nodes of one decision whose positions are kept (located together, in one pass). */
enum { EMH_REVIEW_AT_CRITERION, EMH_REVIEW_AT_VERSION, EMH_REVIEW_AT_DATE, EMH_REVIEW_NODES };

struct emh_reviews {
	emh_review *items;
	emh_review_pos *pos;
	size_t count;
	char *label;
	emh_arena *arena;
};

/* ---- the reviews file ----------------------------------------------------------- */

/* Points err at decision i's criterion, version or date (EMH_REVIEW_AT_*); returns code. */
static int located(emh_error *err, const emh_reviews *rv, size_t i, int which, int code)
{
	static const char *const member[] = { "criterion", "version", "date" };
	if (rv) {
		const emh_review_pos *p = &rv->pos[i];
		unsigned line = which == EMH_REVIEW_AT_VERSION ? p->version_line
		                : which == EMH_REVIEW_AT_DATE  ? p->date_line : p->criterion_line;
		unsigned col = which == EMH_REVIEW_AT_VERSION ? p->version_col
		               : which == EMH_REVIEW_AT_DATE  ? p->date_col : p->criterion_col;
		emh_error_locate(err, rv->label, line, col, NULL);
	}
	if (err)
		snprintf(err->pointer, sizeof err->pointer, "/reviews/%zu/%s", i, member[which]);
	return code;
}

static int read_review(const emh_audit_reader *r, const cJSON *o, const char *jp, emh_review *out,
                       const cJSON **at, emh_arena *a)
{
	static const char *const allowed[] = { "reviewer", "role", "criterion", "version", "decision",
	                                       "rationale", "date", "signature", NULL };
	if (!cJSON_IsObject(o))
		return emh_audit__bad(r, o, jp, "a review must be an object");
	if (emh_audit__only_members(r, o, jp, allowed))
		return EMH_EINVALID;
	const char *reviewer, *role, *criterion, *decision, *rationale, *date;
	if (emh_audit__text(r, o, jp, "reviewer", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &reviewer) ||
	    emh_audit__text(r, o, jp, "role", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &role) ||
	    emh_audit__text(r, o, jp, "criterion", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &criterion))
		return EMH_EINVALID;
	char sub[300];
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(o, "version");
	snprintf(sub, sizeof sub, "%s/version", jp);
	if (!version)
		return emh_audit__bad(r, o, jp, "missing \"version\" (the criterion version decided on)");
	if (!cJSON_IsNumber(version) || version->valuedouble < 1 || version->valuedouble > 1e9 ||
	    version->valuedouble != (double)(int)version->valuedouble)
		return emh_audit__bad(r, version, sub, "\"version\" must be an integer of at least 1");
	if (emh_audit__text(r, o, jp, "decision", 1, &decision))
		return EMH_EINVALID;
	if (strcmp(decision, "pass") && strcmp(decision, "fail")) {
		snprintf(sub, sizeof sub, "%s/decision", jp);
		return emh_audit__bad(r, cJSON_GetObjectItemCaseSensitive(o, "decision"), sub,
		                      "\"decision\" must be \"pass\" or \"fail\", not \"%s\"", decision);
	}
	long day;
	if (emh_audit__text(r, o, jp, "rationale", EMH_AUDIT_REQUIRED, &rationale) ||
	    emh_audit__date(r, o, jp, "date", &date, &day))
		return EMH_EINVALID;
	const char *keyid, *sig64;
	if (emh_audit__signature(r, o, jp, &keyid, &sig64))
		return EMH_EINVALID;
	at[EMH_REVIEW_AT_CRITERION] = cJSON_GetObjectItemCaseSensitive(o, "criterion");
	at[EMH_REVIEW_AT_VERSION] = version;
	at[EMH_REVIEW_AT_DATE] = cJSON_GetObjectItemCaseSensitive(o, "date");
	out->reviewer = emh_arena_strdup(a, reviewer);
	out->role = emh_arena_strdup(a, role);
	out->criterion = emh_arena_strdup(a, criterion);
	out->version = (int)version->valuedouble;
	out->decision = strcmp(decision, "pass") == 0 ? "pass" : "fail";
	out->rationale = emh_arena_strdup(a, rationale);
	out->date = emh_arena_strdup(a, date);
	out->key_id = emh_arena_strdup(a, keyid);
	out->signature = emh_arena_strdup(a, sig64);
	if (!out->reviewer || !out->role || !out->criterion || !out->rationale || !out->date)
		return emh_error_set(r->err, EMH_EGENERIC, "out of memory");
	return 0;
}

int emh_reviews_parse(emh_reviews **out, const char *json, size_t len, const char *label,
                      emh_error *err)
{
	*out = NULL;
	emh_json *doc = NULL;
	int rc = emh_audit__parse(&doc, json, len, label, err);
	if (rc)
		return rc;
	emh_reviews *rv = calloc(1, sizeof *rv);
	emh_audit_reader r = { doc, label, err };
	const cJSON **at = NULL;
	emh_json_pos *where = NULL;
	emh_audit_key *order = NULL;
	size_t repeat = 0, first = 0;
	const cJSON *list = NULL;
	if (!rv || !(rv->arena = emh_arena_new()) || !(rv->label = strdup(label ? label : "reviews"))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	rc = emh_audit__records(&r, emh_json_root(doc), "reviews", &list);
	if (rc)
		goto done;
	size_t n = (size_t)cJSON_GetArraySize(list);
	if (n == 0) {
		rc = emh_audit__bad(&r, list, "/reviews", "no decisions: \"reviews\" is empty");
		goto done;
	}
	rv->items = emh_arena_alloc(rv->arena, n * sizeof *rv->items);
	rv->pos = emh_arena_alloc(rv->arena, n * sizeof *rv->pos);
	at = calloc(n * EMH_REVIEW_NODES, sizeof *at);
	where = calloc(n * EMH_REVIEW_NODES, sizeof *where);
	order = calloc(n, sizeof *order);
	if (!rv->items || !rv->pos || !at || !where || !order) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	size_t i = 0;
	for (const cJSON *e = list->child; e && rc == 0; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/reviews/%zu", i);
		rc = read_review(&r, e, jp, &rv->items[i], at + i * EMH_REVIEW_NODES, rv->arena);
	}
	/* Every position in one pass (linear; locating each alone walked the document per decision). */
	if (rc == 0 && emh_json_locate_many(doc, at, n * EMH_REVIEW_NODES, where, NULL))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	for (i = 0; rc == 0 && i < n; i++) {
		const emh_json_pos *w = where + i * EMH_REVIEW_NODES;
		rv->pos[i] = (emh_review_pos){ w[EMH_REVIEW_AT_CRITERION].line, w[EMH_REVIEW_AT_CRITERION].column,
		                               w[EMH_REVIEW_AT_VERSION].line, w[EMH_REVIEW_AT_VERSION].column,
		                               w[EMH_REVIEW_AT_DATE].line, w[EMH_REVIEW_AT_DATE].column };
	}
	/* Two decisions on one criterion: sorted by criterion (then position), the earliest repeat is reported. */
	for (i = 0; rc == 0 && i < n; i++)
		order[i] = (emh_audit_key){ rv->items[i].criterion, i };
	if (rc == 0 && emh_audit__first_repeat(order, n, &repeat, &first))
		rc = located(err, rv, repeat, EMH_REVIEW_AT_CRITERION,
		             emh_error_set(err, EMH_EINVALID, "a second decision on %s in one file (the first is at line %u)",
		                           rv->items[repeat].criterion, rv->pos[first].criterion_line));
	if (rc)
		goto done;
	rv->count = n;
	*out = rv;
	rv = NULL;
done:
	free(at);
	free(where);
	free(order);
	emh_reviews_free(rv);
	emh_json_free(doc);
	return rc;
}

/* Shaped like emh_waivers_load and emh_dossier_load, kept apart: each parses into its own handle type. */
int emh_reviews_load(emh_reviews **out, const char *path, emh_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = emh_audit__read_file(&text, &len, path, EMH_AUDIT_MAX_FILE, err);
	if (rc == 0)
		rc = emh_reviews_parse(out, text, len, path, err);
	free(text);
	return rc;
}

const emh_review *emh_reviews_items(const emh_reviews *r, size_t *count)
{
	*count = r ? r->count : 0;
	return r ? r->items : NULL;
}

void emh_reviews_free(emh_reviews *r)
{
	if (!r)
		return;
	emh_arena_free(r->arena);
	free(r->label);
	free(r);
}

/* ---- applying decisions ------------------------------------------------------------ */

static emh_result *find_result(emh_dossier *d, const char *id)
{
	for (size_t i = 0; i < d->nresults; i++)
		if (strcmp(d->results[i].id, id) == 0)
			return &d->results[i];
	return NULL;
}

static int decided_before(const emh_review *list, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].criterion, id) == 0)
			return 1;
	return 0;
}

/*
 * The shared core: checks every decision against prev, then writes the
 * next revision (unsealed). rv (may be NULL) gives positions for errors.
 */
static int apply_core(emh_dossier **out, const emh_dossier *prev, const emh_criteria *set,
                      const emh_review *items, size_t n, const emh_reviews *rv, const emh_reviewers *who,
                      emh_error *err)
{
	*out = NULL;
	if (set->count != prev->nresults)
		return emh_error_set(err, EMH_EINVALID, "the dossier has %zu results but the criteria at %.12s "
		                     "have %zu criteria: they are not the criteria it was evaluated with",
		                     prev->nresults, prev->criteria_commit ? prev->criteria_commit : "?", set->count);
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->items[i].id, prev->results[i].id) || set->items[i].version != prev->results[i].version)
			return emh_error_set(err, EMH_EINVALID, "the dossier's result %s (version %d) is not criterion "
			                     "%s version %d of the criteria it records", prev->results[i].id,
			                     prev->results[i].version, set->items[i].id, set->items[i].version);
	emh_dossier *d = NULL;
	int rc = emh_dossier__copy(&d, prev, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const emh_review *v = &items[i];
		emh_result *r = find_result(d, v->criterion);
		if (!r) {
			rc = located(err, rv, i, 0, emh_error_set(err, EMH_EINVALID,
			             "criterion %s is not in this dossier (criteria commit %.12s)", v->criterion,
			             d->criteria_commit ? d->criteria_commit : "?"));
			break;
		}
		if (r->version != v->version) {
			rc = located(err, rv, i, 1, emh_error_set(err, EMH_EINVALID,
			             "the decision is on %s version %d, but the dossier has version %d", v->criterion,
			             v->version, r->version));
			break;
		}
		if (r->outcome != EMH_OUTCOME_NEEDS_REVIEW && !decided_before(prev->reviews, prev->nreviews, r->id) &&
		    !decided_before(items, i, r->id)) {
			rc = located(err, rv, i, 0, emh_error_set(err, EMH_EINVALID,
			             "%s is %s: it awaits no review (only needs_review results, and results a "
			             "review decided, can be decided)", r->id, emh_outcome_name(r->outcome)));
			break;
		}
		long day = 0, as_of = 0;
		if (prev->as_of && emh_date_parse(&day, v->date) == 0 && emh_date_parse(&as_of, prev->as_of) == 0 &&
		    day > as_of + EMH_AUDIT_DAYS_AHEAD) {
			rc = located(err, rv, i, EMH_REVIEW_AT_DATE, emh_error_set(err, EMH_EINVALID,
			             "the decision on %s is dated %s, more than a year after the evaluation date %s",
			             v->criterion, v->date, prev->as_of));
			break;
		}
		const emh_criterion *cr = &set->items[r - d->results];
		if (who && emh_reviewers_check(who, v, cr->domain, err)) {
			rc = located(err, rv, i, EMH_REVIEW_AT_CRITERION, EMH_EINVALID);
			break;
		}
		int pass = strcmp(v->decision, "pass") == 0;
		r->outcome = pass ? EMH_OUTCOME_PASS : EMH_OUTCOME_FAIL;
		r->provenance = "reviewer";
		r->message = pass ? NULL : emh_arena_strdup(d->arena, cr->fail_message);
		r->reason = NULL;
	}
	size_t total = prev->nreviews + n;
	emh_review *all = rc == 0 ? emh_arena_alloc(d->arena, (total ? total : 1) * sizeof *all) : NULL;
	if (rc == 0 && !all)
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (rc) {
		emh_dossier_free(d);
		return rc;
	}
	for (size_t i = 0; i < total; i++) {
		const emh_review *src = i < prev->nreviews ? &prev->reviews[i] : &items[i - prev->nreviews];
		emh_review *dst = &all[i];
		dst->criterion = emh_arena_strdup(d->arena, src->criterion);
		dst->version = src->version;
		dst->reviewer = emh_arena_strdup(d->arena, src->reviewer);
		dst->role = emh_arena_strdup(d->arena, src->role);
		dst->decision = strcmp(src->decision, "pass") == 0 ? "pass" : "fail";
		dst->rationale = emh_arena_strdup(d->arena, src->rationale);
		dst->date = emh_arena_strdup(d->arena, src->date);
		dst->key_id = emh_arena_strdup(d->arena, src->key_id);
		dst->signature = emh_arena_strdup(d->arena, src->signature);
		int fresh = i >= prev->nreviews;
		dst->reviewers_commit = emh_arena_strdup(d->arena, fresh && who ? emh_reviewers_commit(who)
		                                                             : src->reviewers_commit);
		dst->reviewers_path = emh_arena_strdup(d->arena, fresh && who ? emh_reviewers_path(who)
		                                                           : src->reviewers_path);
		if (dst->reviewers_commit && !dst->reviewers_commit[0])
			dst->reviewers_commit = dst->reviewers_path = NULL; /* read from bytes, not git: nothing to record */
		if (!dst->key_id)
			dst->reviewers_commit = dst->reviewers_path = NULL;
	}
	d->reviews = all;
	d->nreviews = total;
	d->revision = (prev->revision > 1 ? prev->revision : 1) + 1;
	d->previous_digest = emh_arena_strdup(d->arena, prev->digest);
	d->digest = NULL;
	emh_decide(d, set);
	*out = d;
	return 0;
}

int emh_review__apply_records(emh_dossier **out, const emh_dossier *prev, const emh_criteria *set,
                              const emh_review *items, size_t count, emh_error *err)
{
	return apply_core(out, prev, set, items, count, NULL, NULL, err);
}

int emh_review_apply(emh_dossier **out, const emh_dossier *prev, const emh_criteria *set,
                     const emh_reviews *decisions, const emh_reviewers *who, emh_error *err)
{
	*out = NULL;
	int rc = emh_dossier_check_digest(prev, err);
	if (rc)
		return rc;
	rc = apply_core(out, prev, set, decisions->items, decisions->count, decisions, who, err);
	return emh_dossier__sealed(out, rc, err);
}
