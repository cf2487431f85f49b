/*
 * waive.c - waivers applied during an evaluation (docs/audit.md): a waiver
 * is valid on its expiry date and expired from the next day, judged against
 * the evaluation date (as_of), never the wall clock, so a dossier
 * reproduces. The dossier lists each waiver that concerns the app once,
 * sorted by id, with what became of it: applied, expired or unused.
 */
#include <stdlib.h>
#include <string.h>
#include "evaluator/internal.h"
#include "evaluator/waive.h"

static int by_waiver_id(const void *a, const void *b)
{
	return strcmp(((const emh_waiver *)a)->id, ((const emh_waiver *)b)->id);
}

static const char *app_string(const cJSON *root, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "app"), key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int emh_waiver__begin(emh_waiver_run *run, const emh_eval_options *opts, const cJSON *root,
                      long as_of, int as_of_ok, emh_error *err)
{
	memset(run, 0, sizeof *run);
	if (!opts || !opts->nwaivers)
		return 0;
	run->items = opts->waivers;
	run->count = opts->nwaivers;
	run->as_of = as_of;
	run->as_of_ok = as_of_ok;
	run->in_scope = emh_calloc(run->count, 1);
	run->status = emh_calloc(run->count, sizeof *run->status);
	if (!run->in_scope || !run->status) {
		emh_waiver__dispose(run);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	const char *app_id = app_string(root, "id"), *app_version = app_string(root, "version");
	int any = 0;
	for (size_t i = 0; i < run->count; i++) {
		const emh_waiver *w = &run->items[i];
		long expires = 0;
		if (!w->id || !w->criterion || !w->app_id || !w->expires || emh_date_parse(&expires, w->expires)) {
			emh_waiver__dispose(run);
			return emh_error_set(err, EMH_EINVALID, "waiver %zu is incomplete or its expiry is not a date", i + 1);
		}
		run->in_scope[i] = app_id && strcmp(w->app_id, app_id) == 0 &&
		                   (!w->app_version || (app_version && strcmp(w->app_version, app_version) == 0));
		/* A waiver is temporary: one that runs for more than a year from the evaluation is refused. */
		if (run->in_scope[i] && as_of_ok && expires > as_of + EMH_WAIVE_DAYS_AHEAD) {
			char when[11];
			emh_date_format(when, as_of);
			emh_waiver__dispose(run);
			return emh_error_set(err, EMH_EINVALID, "waiver %s expires %s, more than a year after the "
			                     "evaluation date %s: a waiver is a temporary exception", w->id, w->expires, when);
		}
		any |= run->in_scope[i];
		/* Valid through its expiry date; expired from the next day. */
		run->status[i] = as_of_ok && as_of > expires ? "expired" : "unused";
	}
	if (any && !as_of_ok) {
		emh_waiver__dispose(run);
		return emh_error_set(err, EMH_EINVALID, "waivers need an evaluation date to judge expiry: "
		                     "give --as-of, or a submission_date in the submission");
	}
	return 0;
}

void emh_waiver__apply(emh_waiver_run *run, emh_result *r, emh_arena *arena)
{
	if (!run->count || r->outcome != EMH_OUTCOME_FAIL)
		return;
	for (size_t i = 0; i < run->count; i++) {
		const emh_waiver *w = &run->items[i];
		if (!run->in_scope[i] || strcmp(run->status[i], "unused") != 0 || strcmp(w->criterion, r->id) != 0)
			continue;
		r->outcome = EMH_OUTCOME_WAIVED;
		r->reason = emh_arena_printf(arena, "waived by %s (approved by %s, until %s)", w->id,
		                             w->approver ? w->approver : "?", w->expires);
		run->status[i] = "applied";
		return;
	}
}

int emh_waiver__finish(emh_waiver_run *run, emh_dossier *d)
{
	size_t n = 0;
	for (size_t i = 0; i < run->count; i++)
		n += run->in_scope[i];
	if (!n)
		return 0;
	emh_arena *a = d->arena;
	emh_waiver *out = emh_arena_alloc(a, n * sizeof *out);
	if (!out)
		return EMH_EGENERIC;
	size_t k = 0;
	for (size_t i = 0; i < run->count; i++) {
		if (!run->in_scope[i])
			continue;
		const emh_waiver *w = &run->items[i];
		emh_waiver *o = &out[k++];
		o->id = emh_arena_strdup(a, w->id);
		o->criterion = emh_arena_strdup(a, w->criterion);
		o->app_id = emh_arena_strdup(a, w->app_id);
		o->app_version = emh_arena_strdup(a, w->app_version);
		o->justification = emh_arena_strdup(a, w->justification);
		o->approver = emh_arena_strdup(a, w->approver);
		o->expires = emh_arena_strdup(a, w->expires);
		o->status = run->status[i];
		o->key_id = emh_arena_strdup(a, w->key_id);
		o->signature = emh_arena_strdup(a, w->signature);
		o->reviewers_commit = emh_arena_strdup(a, w->reviewers_commit);
		o->reviewers_path = emh_arena_strdup(a, w->reviewers_path);
		if (!o->id || !o->criterion || !o->app_id || !o->expires)
			return EMH_EGENERIC;
	}
	/* Once each: sorted, then adjacent repeats dropped (linear, where comparing with every earlier one was not). */
	qsort(out, k, sizeof *out, by_waiver_id);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (m == 0 || strcmp(out[m - 1].id, out[i].id) != 0)
			out[m++] = out[i];
	d->waivers = out;
	d->nwaivers = m;
	return 0;
}

void emh_waiver__dispose(emh_waiver_run *run)
{
	free(run->in_scope);
	free(run->status);
	memset(run, 0, sizeof *run);
}
