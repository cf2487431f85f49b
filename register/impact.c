/*
 * impact.c - `emheval impact --ledger LEDGER`: which filed apps' verdicts a
 * criteria change would flip. Each app's newest filing is evaluated again
 * from the submission the ledger stores beside it (reeval.c, the same code
 * `due` uses), with the criteria at both revisions, and compared by the
 * impact report of evaluator/impact.c, so the report, its formats and
 * --fail-on are impact's own. A filing without a stored submission (or with
 * documents withheld) is listed as not re-evaluable, never skipped. The
 * ledger is read in two walks (reg_scan, then each app's newest filing as the
 * log yields it), so one filing is in memory at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/gate/gate_internal.h"
#include "evaluator/internal.h"
#include "register/register_internal.h"

/* Evaluates f's stored submission with both sets and adds it to r; why it cannot be, else. */
static int impact_filing(emh_impact_report *r, reg_ledger *l, const reg_filing *f, const emh_criteria *A,
                         const emh_criteria *B, const emh_impact_options *o, emh_error *err)
{
	const emh_dossier *d = f->d;
	emh_buf label = EMH_BUF_INIT;
	emh_buf_appendf(&label, "%s %s (ledger filing %lu)", d->submission_id ? d->submission_id : "?",
	                d->app_version ? d->app_version : "?", f->seq);
	if (!emh_buf_ok(&label)) {
		emh_buf_dispose(&label);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	const char *name = d->app_name ? d->app_name : d->submission_id;
	reg_stored st;
	int rc = reg_stored_load(&st, l, f, err);
	if (rc) {
		emh_buf_dispose(&label);
		return rc; /* a stored submission that does not match its hashes: the ledger is not what it says */
	}
	emh_dossier *da = NULL, *db = NULL;
	const char *why = !st.sub ? "submission not stored"
	                  : st.raw->nwithheld ? "documents withheld from the ledger" : NULL;
	char msg[1400] = "";
	if (!why && o->profiles) {
		free(st.profiles);
		if (!(st.profiles = strdup(o->profiles)))
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	if (!why && rc == 0) {
		const char *as_of = o->as_of ? o->as_of : d->as_of;
		emh_error e = EMH_ERROR_INIT;
		if (reg_reevaluate(&da, &st, A, as_of, d, &e) || reg_reevaluate(&db, &st, B, as_of, d, &e))
			emh_error_format(&e, msg, sizeof msg);
	}
	if (rc == 0 && emh_impact__add(r, emh_buf_cstr(&label), msg[0] ? NULL : da, msg[0] ? NULL : db, why,
	                               msg[0] ? msg : NULL, name))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_dossier_free(da);
	emh_dossier_free(db);
	reg_stored_dispose(&st);
	emh_buf_dispose(&label);
	return rc;
}

typedef struct impact_walk {
	emh_impact_report *r;
	reg_ledger *l;
	const reg_scan *scan;
	const emh_criteria *A, *B;
	const emh_impact_options *o;
	size_t *rank_of;     /* the app rank of each submission added, in the order added */
	int rc;
	emh_error err;
} impact_walk;

/* Each app's newest filing as the log yields it: evaluated, compared, and let go. */
static void walk_entry(const emh_ledger_entry *e, void *payload)
{
	impact_walk *w = payload;
	size_t rank = w->rc ? 0 : reg_scan_rank(w->scan, e->sequence);
	if (!rank)
		return;
	reg_filing f;
	reg_filing_of_entry(&f, e);
	w->rank_of[w->r->nsubmissions] = rank;
	w->rc = impact_filing(w->r, w->l, &f, w->A, w->B, w->o, &w->err);
}

int emh_impact_ledger(emh_impact_report **out, const emh_impact_options *opts, const char *ledger,
                      emh_error *err)
{
	*out = NULL;
	reg_scan sc;
	int rc = reg_scan_ledger(&sc, ledger, err);
	reg_ledger l;
	memset(&l, 0, sizeof l);
	l.path = ledger;
	emh_impact_report *r = NULL;
	emh_criteria *A = NULL, *B = NULL;
	size_t *rank_of = NULL;
	emh_submission_impact *sorted = NULL;
	if (rc == 0)
		rc = emh_impact__begin(&r, &A, &B, opts, sc.napps, err);
	if (rc == 0 && (!(r->ledger = emh_arena_strdup(r->arena, ledger)) ||
	                !(rank_of = calloc(sc.napps + 1, sizeof *rank_of)) ||
	                !(sorted = calloc(sc.napps + 1, sizeof *sorted))))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (rc == 0) {
		impact_walk w = { r, &l, &sc, A, B, opts, rank_of, 0, EMH_ERROR_INIT };
		rc = emh_ledger_log(ledger, NULL, walk_entry, &w, err);
		if (rc == 0 && w.rc) {
			*err = w.err;
			rc = w.rc;
		}
	}
	/* Apps in id order, each by its newest filing: the approval that stands today. */
	if (rc == 0) {
		for (size_t i = 0; i < r->nsubmissions; i++)
			sorted[rank_of[i] - 1] = r->submissions[i];
		size_t n = 0;
		for (size_t k = 0; k < sc.napps; k++)
			if (sorted[k].path)
				r->submissions[n++] = sorted[k];
		*out = r;
		r = NULL;
	}
	free(sorted);
	free(rank_of);
	emh_impact_report_free(r);
	emh_criteria_free(A);
	emh_criteria_free(B);
	reg_dispose(&l);
	reg_scan_dispose(&sc);
	return rc;
}
