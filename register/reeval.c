/*
 * reeval.c - evaluating a filed submission again from what the ledger
 * stores beside its dossier (ledger add --submission), for `due`: under a
 * newer criteria release, or on other dates to find the exact day an
 * evidence date (a certificate's expiry, the end of a provisional listing,
 * a penetration test's window) stops holding. The submission is read from
 * memory (emh_submission_load_memory), never written to disk, so a hostile
 * file name in the ledger cannot reach the file system.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "register/register_internal.h"

int reg_stored_load(reg_stored *s, reg_ledger *l, const reg_filing *f, emh_error *err)
{
	memset(s, 0, sizeof *s);
	const emh_dossier *d = f->d;
	char folder[1024], file[1100];
	emh_error ignore = EMH_ERROR_INIT;
	if (!l->path || emh_ledger_path(folder, sizeof folder, d->submission_id, d->app_version, &ignore))
		return 0;
	snprintf(file, sizeof file, "%s/dossier.json", folder);
	/* The head holds the newest filing of this app version, and what is stored beside it. */
	int rc = emh_ledger_read_submission(&s->raw, l->path, NULL, file, err);
	if (rc == EMH_ENOTFOUND) {
		emh_error_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	if (!d->submission_sha256 || strcmp(s->raw->submission_sha256, d->submission_sha256) != 0) {
		reg_stored_dispose(s); /* stored for another evaluation of this version */
		return 0;
	}
	emh_buf p = EMH_BUF_INIT;
	for (size_t i = 0; i < d->nprofiles; i++)
		emh_buf_appendf(&p, "%s%s", i ? "," : "", d->profiles[i].id);
	if (p.len && (!emh_buf_ok(&p) || !(s->profiles = strdup(emh_buf_cstr(&p)))))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_buf_dispose(&p);
	if (rc == 0)
		rc = emh_submission_load_memory(&s->sub, s->raw->json, s->raw->json_len, file, s->raw->files,
		                                s->raw->nfiles, NULL, err);
	if (rc)
		reg_stored_dispose(s);
	return rc;
}

void reg_stored_dispose(reg_stored *s)
{
	emh_submission_free(s->sub);
	emh_stored_submission_free(s->raw);
	free(s->profiles);
	memset(s, 0, sizeof *s);
}

static const emh_result *result_of(const emh_dossier *d, const char *id)
{
	for (size_t i = 0; i < d->nresults; i++)
		if (strcmp(d->results[i].id, id) == 0)
			return &d->results[i];
	return NULL;
}

int reg_reevaluate(emh_dossier **out, const reg_stored *s, const emh_criteria *set, const char *as_of,
                   const emh_dossier *reviews, emh_error *err)
{
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = as_of;
	eo.profiles = s->profiles;
	emh_dossier *fresh = NULL;
	int rc = emh_evaluate(&fresh, set, s->sub, &eo, err);
	if (rc || !reviews || !reviews->nreviews) {
		*out = fresh;
		return rc;
	}
	/* A reviewer's decision still stands where the criterion and its version did not change. */
	emh_review *keep = calloc(reviews->nreviews, sizeof *keep);
	size_t n = 0;
	if (!keep) {
		emh_dossier_free(fresh);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	for (size_t i = 0; i < reviews->nreviews; i++) {
		const emh_review *v = &reviews->reviews[i];
		const emh_result *r = result_of(fresh, v->criterion);
		if (r && r->version == v->version && (r->outcome == EMH_OUTCOME_NEEDS_REVIEW || r->manual))
			keep[n++] = *v;
	}
	emh_dossier *rev = NULL;
	if (n && emh_review__apply_records(&rev, fresh, set, keep, n, err) == 0) {
		emh_dossier_free(fresh);
		fresh = rev;
	}
	emh_error_clear(err);
	free(keep);
	*out = fresh;
	return 0;
}
