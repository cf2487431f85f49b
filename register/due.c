/*
 * due.c - `emheval due`: which approvals recorded in a ledger are no longer
 * true on a date, or lapse within a window after it. For each app's newest
 * filing and each profile it approved (approved or conditional):
 *   - an evidence date window: a criterion that passed with "within_days N"
 *     (anchored to the evaluation date E) held a date no older than E - N, so
 *     it holds until E + N at the latest. The dossier does not record the
 *     date itself (a pass keeps no findings), so the bound is the latest
 *     possible day: the evidence may lapse earlier, never later;
 *   - a condition of a conditional verdict whose due date comes;
 *   - an applied waiver whose expiry comes (valid on its expiry date);
 *   - a newer criteria release than the one the filing was judged against.
 * When the ledger stores the filing's submission (ledger add --submission),
 * it is evaluated again (reeval.c): under the newer release, listing only
 * approvals that no longer hold; and on later dates, finding the exact last
 * day each passed criterion still passes (an `after` date such as a
 * certificate's expiry, or a window's real end). Without it, a newer
 * release is listed as "cannot re-evaluate", never guessed.
 * Rendering in text, JSON and Markdown goes through the reports' encoders.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/criteria_internal.h"
#include "evaluator/internal.h"
#include "reports/render.h"
#include "register/register_internal.h"

const char *emh_due_kind_name(emh_due_kind k)
{
	switch (k) {
	case EMH_DUE_EVIDENCE: return "evidence";
	case EMH_DUE_CONDITION: return "condition";
	case EMH_DUE_WAIVER: return "waiver";
	case EMH_DUE_CRITERIA: return "criteria";
	}
	return "unknown";
}

typedef struct due_ctx {
	emh_due_list *l;
	size_t cap;
	long as_of, horizon;
	int oom;
} due_ctx;

static int is_approval(emh_verdict v)
{
	return v == EMH_VERDICT_APPROVED || v == EMH_VERDICT_CONDITIONAL;
}

static int profile_counts(const emh_profile_verdict *p, const char *criterion)
{
	if (!criterion)
		return 1;
	for (size_t i = 0; i < p->ncriteria; i++)
		if (strcmp(p->criteria[i], criterion) == 0)
			return 1;
	return 0;
}

/* "nhs-england (approved), diga (conditional)": the approvals criterion counts for; NULL when none. */
static char *approvals_for(emh_arena *a, const emh_dossier *d, const char *criterion)
{
	emh_buf b = EMH_BUF_INIT;
	if (d->nprofiles == 0 && is_approval(d->verdict))
		emh_buf_appendf(&b, "overall (%s)", emh_verdict_name(d->verdict));
	for (size_t i = 0; i < d->nprofiles; i++) {
		const emh_profile_verdict *p = &d->profiles[i];
		if (!is_approval(p->verdict) || !profile_counts(p, criterion))
			continue;
		emh_buf_appendf(&b, "%s%s (%s)", b.len ? ", " : "", p->id, emh_verdict_name(p->verdict));
	}
	char *s = b.len && emh_buf_ok(&b) ? emh_arena_strdup(a, emh_buf_cstr(&b)) : NULL;
	emh_buf_dispose(&b);
	return s;
}

static void add_for(due_ctx *c, const reg_filing *f, emh_due_kind kind, const char *criterion, long day,
                    const char *detail, char *profiles)
{
	emh_due_list *l = c->l;
	const emh_dossier *d = f->d;
	if (!profiles)
		return;
	if (day != LONG_MIN && day > c->horizon)
		return;
	if (!profiles || !detail) {
		c->oom = 1;
		return;
	}
	if (l->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		emh_due_item *p = realloc(l->items, cap * sizeof *p);
		if (!p) {
			c->oom = 1;
			return;
		}
		l->items = p;
		c->cap = cap;
	}
	emh_due_item *it = &l->items[l->n++];
	memset(it, 0, sizeof *it);
	/* The list outlives the ledger it was read from: copy what it shows. */
	it->app_id = emh_arena_strdup(l->arena, d->submission_id ? d->submission_id : "");
	it->app_version = emh_arena_strdup(l->arena, d->app_version ? d->app_version : "");
	it->profiles = profiles;
	it->kind = kind;
	it->criterion = emh_arena_strdup(l->arena, criterion);
	if (day != LONG_MIN) {
		char ymd[11];
		emh_date_format(ymd, day);
		it->date = emh_arena_strdup(l->arena, ymd);
	}
	it->lapsed = day == LONG_MIN || day < c->as_of;
	it->detail = detail;
	it->sequence = f->seq;
}

static void add(due_ctx *c, const reg_filing *f, emh_due_kind kind, const char *criterion, long day,
                const char *detail)
{
	add_for(c, f, kind, criterion, day, detail,
	        approvals_for(c->l->arena, f->d, kind == EMH_DUE_CRITERIA ? NULL : criterion));
}

/* 1 when id is among the criteria placed exactly from the stored submission. */
static int placed(const char **exact, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(exact[i], id) == 0)
			return 1;
	return 0;
}

static int evidence_windows(due_ctx *c, reg_ledger *l, const reg_filing *f, const char **exact, size_t nexact,
                            emh_error *err)
{
	const emh_dossier *d = f->d;
	long evaluated;
	if (!d->as_of || emh_date_parse(&evaluated, d->as_of))
		return 0; /* no evaluation date: no window can be placed */
	int any = 0;
	for (size_t i = 0; i < d->nresults && !any; i++)
		any = d->results[i].outcome == EMH_OUTCOME_PASS;
	if (!any)
		return 0;
	emh_criteria *set = reg_criteria_of(l, f);
	if (!set)
		return emh_error_set(err, EMH_ENOTFOUND,
		                     "cannot read the criteria at commit %s (recorded by ledger filing %lu) from %s; "
		                     "give --criteria REPO", d->criteria_commit ? d->criteria_commit : "(none)", f->seq,
		                     l->criteria_repo ? l->criteria_repo : d->criteria_repository ? d->criteria_repository : ".");
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		if (r->outcome != EMH_OUTCOME_PASS || placed(exact, nexact, r->id))
			continue;
		size_t k = emh_criteria__find(set, r->id);
		if (k == REG_NONE)
			continue;
		emh_date_window w[8];
		size_t n = emh_criteria_windows(set, k, w, 8);
		if (n > 8)
			n = 8;
		for (size_t j = 0; j < n; j++) {
			long until = evaluated + w[j].days;
			char ymd[11];
			emh_date_format(ymd, until);
			const char *detail = emh_arena_printf(c->l->arena,
				"%s passed on %s with the date at %s at most %ld days old: it holds until %s at the latest "
				"(the dossier does not record the date itself)", r->id, d->as_of, w[j].path, w[j].days, ymd);
			add(c, f, EMH_DUE_EVIDENCE, r->id, until, detail);
		}
	}
	return 0;
}

/* Evaluations of one stored submission on several dates, each made once. */
typedef struct day_cache {
	long day[40];
	emh_dossier *d[40];
	size_t n;
} day_cache;

static const emh_dossier *on_day(day_cache *dc, const reg_stored *st, const emh_criteria *set, long day,
                                 emh_error *err)
{
	for (size_t i = 0; i < dc->n; i++)
		if (dc->day[i] == day)
			return dc->d[i];
	if (dc->n == sizeof dc->day / sizeof dc->day[0])
		return NULL;
	char ymd[11];
	emh_date_format(ymd, day);
	emh_dossier *d = NULL;
	if (reg_reevaluate(&d, st, set, ymd, NULL, err))
		return NULL;
	dc->day[dc->n] = day;
	dc->d[dc->n++] = d;
	return d;
}

static int passes(const emh_dossier *d, const char *id)
{
	for (size_t i = 0; d && i < d->nresults; i++)
		if (strcmp(d->results[i].id, id) == 0)
			return d->results[i].outcome == EMH_OUTCOME_PASS;
	return 0;
}

/*
 * The exact evidence dates, from the stored submission: every criterion that
 * passed on the evaluation date E and passes again when the stored
 * submission is evaluated on E (a withheld document can make it fail: then
 * it is left to the bound of evidence_windows), but fails on the horizon,
 * stops holding in between; bisection finds its last day. Dates only move
 * a pass to a fail one way (a window runs out, an expiry passes), so the
 * search is exact. The ids placed go to exact.
 */
static int exact_dates(due_ctx *c, reg_ledger *l, const reg_filing *f, const reg_stored *st, const char ***exact,
                       size_t *nexact, emh_error *err)
{
	const emh_dossier *d = f->d;
	long evaluated;
	*exact = NULL;
	*nexact = 0;
	if (!d->as_of || emh_date_parse(&evaluated, d->as_of) || c->horizon <= evaluated)
		return 0;
	emh_criteria *set = reg_criteria_of(l, f);
	if (!set)
		return emh_error_set(err, EMH_ENOTFOUND, "cannot read the criteria at commit %s (recorded by ledger "
		                     "filing %lu); give --criteria REPO", d->criteria_commit ? d->criteria_commit : "(none)",
		                     f->seq);
	day_cache dc;
	memset(&dc, 0, sizeof dc);
	int rc = 0;
	const emh_dossier *at_e = on_day(&dc, st, set, evaluated, err);
	const emh_dossier *at_h = at_e ? on_day(&dc, st, set, c->horizon, err) : NULL;
	const char **ids = calloc(d->nresults + 1, sizeof *ids);
	if (!at_e || !at_h || !ids) {
		rc = err->code ? err->code : emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		if (r->outcome != EMH_OUTCOME_PASS || !passes(at_e, r->id))
			continue;
		ids[(*nexact)++] = r->id;
		if (passes(at_h, r->id))
			continue;
		long lo = evaluated, hi = c->horizon;
		while (hi - lo > 1) {
			long mid = lo + (hi - lo) / 2;
			const emh_dossier *m = on_day(&dc, st, set, mid, err);
			if (!m) {
				rc = err->code ? err->code : emh_error_set(err, EMH_ELIMIT, "too many evaluations");
				goto done;
			}
			if (passes(m, r->id))
				lo = mid;
			else
				hi = mid;
		}
		char last[11], first[11];
		emh_date_format(last, lo);
		emh_date_format(first, hi);
		add(c, f, EMH_DUE_EVIDENCE, r->id, lo,
		    emh_arena_printf(c->l->arena, "%s passed on %s; evaluated again from the submission stored in the "
		                     "ledger, it holds until %s and fails from %s", r->id, d->as_of, last, first));
	}
	*exact = ids;
	ids = NULL;
done:
	free(ids);
	for (size_t i = 0; i < dc.n; i++)
		emh_dossier_free(dc.d[i]);
	return rc;
}

/* "diga (approved -> rejected: A, B)" for each approval of f that the fresh evaluation no longer gives. */
static char *lost_approvals(emh_arena *a, const emh_dossier *d, const emh_dossier *fresh)
{
	emh_buf b = EMH_BUF_INIT;
	for (size_t i = 0; i < d->nprofiles; i++) {
		const emh_profile_verdict *p = &d->profiles[i], *q = NULL;
		if (!is_approval(p->verdict))
			continue;
		for (size_t k = 0; k < fresh->nprofiles && !q; k++)
			if (strcmp(fresh->profiles[k].id, p->id) == 0)
				q = &fresh->profiles[k];
		if (q && is_approval(q->verdict))
			continue;
		emh_buf_appendf(&b, "%s%s (%s -> %s", b.len ? "; " : "", p->id, emh_verdict_name(p->verdict),
		                q ? emh_verdict_name(q->verdict) : "not assessed");
		const char **lists[4] = { q ? q->returned : NULL, q ? q->rejected : NULL, q ? q->incomplete : NULL,
		                          q ? q->awaiting_review : NULL };
		size_t counts[4] = { q ? q->nreturned : 0, q ? q->nrejected : 0, q ? q->nincomplete : 0,
		                     q ? q->nawaiting_review : 0 };
		const char *sep = ": ";
		for (size_t k = 0; k < 4; k++)
			for (size_t j = 0; j < counts[k]; j++) {
				emh_buf_appendf(&b, "%s%s", sep, lists[k][j]);
				sep = ", ";
			}
		emh_buf_putc(&b, ')');
	}
	if (d->nprofiles == 0 && is_approval(d->verdict) && !is_approval(fresh->verdict))
		emh_buf_appendf(&b, "overall (%s -> %s)", emh_verdict_name(d->verdict), emh_verdict_name(fresh->verdict));
	char *s = b.len && emh_buf_ok(&b) ? emh_arena_strdup(a, emh_buf_cstr(&b)) : NULL;
	emh_buf_dispose(&b);
	return s;
}

/* The newer release, for the "criteria" kind: evaluate the stored submission under it. */
static int newer_release(due_ctx *c, const reg_filing *f, const reg_stored *st, emh_criteria *release,
                         const char *newest, emh_error *err)
{
	const emh_dossier *d = f->d;
	const char *judged = d->framework_version ? d->framework_version : "?";
	if (!st->sub || st->raw->nwithheld || !release) {
		const char *why = !st->sub ? "the ledger keeps no submission for it (store it with ledger add "
		                             "--submission)"
		                  : st->raw->nwithheld ? "documents were withheld from the ledger"
		                                       : "the newer criteria cannot be read";
		add(c, f, EMH_DUE_CRITERIA, NULL, LONG_MIN,
		    emh_arena_printf(c->l->arena, "judged against criteria %s; %s is newer: cannot re-evaluate, %s "
		                     "(reassess)", judged, newest, why));
		return 0;
	}
	emh_dossier *fresh = NULL;
	int rc = reg_reevaluate(&fresh, st, release, d->as_of, d, err);
	if (rc)
		return rc;
	char *lost = lost_approvals(c->l->arena, d, fresh);
	if (lost)
		add_for(c, f, EMH_DUE_CRITERIA, NULL, LONG_MIN,
		        emh_arena_printf(c->l->arena, "judged against criteria %s; evaluated again under %s from the "
		                         "submission stored in the ledger (as of %s, with the reviews that still apply), "
		                         "it no longer passes: %s", judged, newest, d->as_of ? d->as_of : "?", lost),
		        approvals_for(c->l->arena, d, NULL));
	emh_dossier_free(fresh);
	return 0;
}

static int item_cmp(const void *pa, const void *pb)
{
	const emh_due_item *a = pa, *b = pb;
	int r = strcmp(a->app_id ? a->app_id : "", b->app_id ? b->app_id : "");
	if (!r)
		r = strcmp(a->app_version ? a->app_version : "", b->app_version ? b->app_version : "");
	if (!r)
		r = strcmp(a->date ? a->date : "", b->date ? b->date : "");
	if (!r)
		r = (int)a->kind - (int)b->kind;
	if (!r)
		r = strcmp(a->criterion ? a->criterion : "", b->criterion ? b->criterion : "");
	if (!r)
		r = strcmp(a->detail, b->detail);
	return r;
}

/* One run of `due`: the options, the date, the newest release; then each app's newest filing in turn. */
typedef struct due_run {
	due_ctx c;
	emh_register_options opt;
	const char *newest;          /* the newest criteria release's framework version, or NULL */
	emh_criteria *release;       /* --rev, owned */
	emh_criteria *newest_set;    /* release, or the newest filing's set (from the cache), once needed */
	const char *newest_commit, *newest_repo, *newest_path; /* where the newest filing's criteria are */
} due_run;

/*
 * max_as_of: the newest evaluation date in the ledger; newest: the newest framework version a filing
 * records, with where its criteria are (commit, repository, path); all NULL when the ledger is empty.
 */
static int due_begin(due_run *r, const emh_register_options *o, const char *max_as_of, const char *newest,
                     const char *commit, const char *repo, const char *path, emh_error *err)
{
	memset(r, 0, sizeof *r);
	r->opt = (emh_register_options)EMH_REGISTER_OPTIONS_INIT;
	if (o)
		r->opt = *o;
	emh_due_list *dl = calloc(1, sizeof *dl);
	if (!dl || !(dl->arena = emh_arena_new())) {
		free(dl);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	r->c.l = dl;
	int rc = 0;
	/* The date: given, else the newest evaluation date in the ledger (never the wall clock). */
	dl->as_of = emh_arena_strdup(dl->arena, r->opt.as_of ? r->opt.as_of : max_as_of ? max_as_of : "1970-01-01");
	if (!dl->as_of || emh_date_parse(&r->c.as_of, dl->as_of))
		rc = emh_error_set(err, EMH_EINVALID, "the date '%s' is not YYYY-MM-DD",
		                   dl->as_of ? dl->as_of : "?");
	if (r->opt.within_days < 0 || r->opt.within_days > 36600)
		rc = emh_error_set(err, EMH_EINVALID, "the window must be 0 to 36600 days");
	dl->within_days = r->opt.within_days;
	r->c.horizon = r->c.as_of + r->opt.within_days;

	/* The newest criteria release: --rev, else the newest framework version the ledger holds. */
	if (rc == 0 && r->opt.criteria_rev) {
		emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
		co.repository = r->opt.criteria_repo;
		co.rev = r->opt.criteria_rev;
		rc = emh_criteria_load(&r->release, &co, err);
		if (rc == 0)
			r->newest = emh_criteria_framework_version(r->release);
	} else if (rc == 0 && newest) {
		r->newest = emh_arena_strdup(dl->arena, newest);
		r->newest_commit = commit ? emh_arena_strdup(dl->arena, commit) : NULL;
		r->newest_repo = repo ? emh_arena_strdup(dl->arena, repo) : NULL;
		r->newest_path = path ? emh_arena_strdup(dl->arena, path) : NULL;
	}
	r->newest_set = r->release;
	return rc;
}

/* What is due for one app's newest filing f. */
static int due_filing(due_run *r, reg_ledger *l, const reg_filing *f, emh_error *err)
{
	due_ctx *c = &r->c;
	emh_due_list *dl = c->l;
	const emh_dossier *d = f->d;
	if (!approvals_for(dl->arena, d, NULL))
		return 0;
	reg_stored st;
	const char **exact = NULL;
	size_t nexact = 0;
	int rc = reg_stored_load(&st, l, f, err);
	if (rc == 0 && st.sub)
		rc = exact_dates(c, l, f, &st, &exact, &nexact, err);
	if (rc == 0)
		rc = evidence_windows(c, l, f, exact, nexact, err);
	free(exact);
	for (size_t p = 0; p < d->nprofiles; p++) {
		const emh_profile_verdict *pv = &d->profiles[p];
		if (pv->verdict != EMH_VERDICT_CONDITIONAL)
			continue;
		for (size_t k = 0; k < pv->nconditions; k++) {
			long day;
			const emh_condition *cd = &pv->conditions[k];
			if (!cd->due || emh_date_parse(&day, cd->due))
				continue;
			add(c, f, EMH_DUE_CONDITION, cd->criterion, day,
			    emh_arena_printf(dl->arena, "a condition of the %s approval: %s is to be met by %s",
			                     pv->id, cd->criterion, cd->due));
		}
	}
	for (size_t w = 0; w < d->nwaivers; w++) {
		const emh_waiver *wv = &d->waivers[w];
		long day;
		if (!wv->status || strcmp(wv->status, "applied") != 0 || !wv->expires ||
		    emh_date_parse(&day, wv->expires))
			continue;
		add(c, f, EMH_DUE_WAIVER, wv->criterion, day,
		    emh_arena_printf(dl->arena, "waiver %s of %s (approved by %s) is valid until %s", wv->id,
		                     wv->criterion, wv->approver, wv->expires));
	}
	if (rc == 0 && r->newest && reg_version_cmp(d->framework_version, r->newest) < 0) {
		if (!r->newest_set && r->newest_commit && st.sub)
			r->newest_set = reg_criteria_at(l, r->newest_commit, r->newest_repo, r->newest_path);
		rc = newer_release(c, f, &st, r->newest_set, r->newest, err);
	}
	reg_stored_dispose(&st);
	return rc;
}

static int due_end(due_run *r, emh_due_list **out, int rc, emh_error *err)
{
	emh_due_list *dl = r->c.l;
	emh_criteria_free(r->release);
	if (rc == 0 && r->c.oom)
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (rc) {
		emh_due_free(dl);
		return rc;
	}
	if (dl->n)
		qsort(dl->items, dl->n, sizeof *dl->items, item_cmp);
	*out = dl;
	return 0;
}

int reg_due_begin(due_run **out, const emh_register_options *o, const char *max_as_of, const char *newest,
                  const char *commit, const char *repo, const char *path, emh_error *err)
{
	due_run *r = malloc(sizeof *r);
	*out = r;
	if (!r)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	int rc = due_begin(r, o, max_as_of, newest, commit, repo, path, err);
	if (rc) {
		reg_due_end(r, NULL, rc, err);
		*out = NULL;
	}
	return rc;
}

int reg_due_entry(due_run *r, reg_ledger *l, const emh_ledger_entry *e, emh_error *err)
{
	reg_filing f;
	reg_filing_of_entry(&f, e);
	return due_filing(r, l, &f, err);
}

int reg_due_end(due_run *r, emh_due_list **out, int rc, emh_error *err)
{
	emh_due_list *none = NULL;
	if (r && r->c.l)
		rc = due_end(r, out ? out : &none, rc, err);
	emh_due_free(none);
	free(r);
	return rc;
}

/*
 * `due` without the ledger in memory: a first walk of the log (reg_scan)
 * finds each app's newest filing, the newest evaluation date and the newest
 * release; a second walk works out what is due for each app's newest filing
 * as it is read, and lets it go.
 */
typedef struct due_walk {
	due_run *r;
	reg_ledger *l;
	const reg_scan *scan;
	int rc;
	emh_error err;
} due_walk;

static void walk_entry(const emh_ledger_entry *e, void *payload)
{
	due_walk *w = payload;
	if (w->rc || !reg_scan_rank(w->scan, e->sequence))
		return;
	w->rc = reg_due_entry(w->r, w->l, e, &w->err);
}

int emh_due_compute(emh_due_list **out, const char *path, const emh_register_options *o, emh_error *err)
{
	*out = NULL;
	reg_scan sc;
	int rc = reg_scan_ledger(&sc, path, err);
	reg_ledger l;
	memset(&l, 0, sizeof l);
	l.path = path;
	l.criteria_repo = o ? o->criteria_repo : NULL;
	due_run *r = NULL;
	if (rc == 0)
		rc = reg_due_begin(&r, o, sc.max_as_of, sc.newest, sc.commit, sc.repo, sc.path, err);
	if (rc == 0) {
		due_walk w = { r, &l, &sc, 0, EMH_ERROR_INIT };
		rc = emh_ledger_log(path, NULL, walk_entry, &w, err);
		if (rc == 0 && w.rc) {
			*err = w.err;
			rc = w.rc;
		}
	}
	if (r)
		rc = reg_due_end(r, out, rc, err);
	reg_dispose(&l);
	reg_scan_dispose(&sc);
	return rc;
}

void emh_due_free(emh_due_list *l)
{
	if (!l)
		return;
	free(l->items);
	emh_arena_free(l->arena);
	free(l);
}

/* ---- rendering ---------------------------------------------------------------------------- */

static const char *status_word(const emh_due_item *it)
{
	return it->lapsed ? "lapsed" : "lapsing";
}

static void json_str(emh_buf *b, const char *s)
{
	if (s)
		emh_buf_append_json_string(b, s, strlen(s));
	else
		emh_buf_puts(b, "null");
}

int emh_due_render(emh_buf *out, const emh_due_list *l, const char *format, emh_error *err)
{
	if (strcmp(format, "text") == 0) {
		emh_buf_appendf(out, "due as of %s (lapsing within %ld days): %zu\n", l->as_of, l->within_days, l->n);
		for (size_t i = 0; i < l->n; i++) {
			const emh_due_item *it = &l->items[i];
			emh_report__plain(out, it->app_id);
			emh_buf_putc(out, ' ');
			emh_report__plain(out, it->app_version);
			emh_buf_appendf(out, ": %s (%s%s) %s", status_word(it), it->date ? "valid until " : "now",
			                it->date ? it->date : "", emh_due_kind_name(it->kind));
			if (it->criterion) {
				emh_buf_putc(out, ' ');
				emh_report__plain(out, it->criterion);
			}
			emh_buf_puts(out, " [");
			emh_report__plain(out, it->profiles);
			emh_buf_puts(out, "]: ");
			emh_report__plain(out, it->detail);
			emh_buf_appendf(out, " (ledger filing %lu)\n", it->sequence);
		}
	} else if (strcmp(format, "json") == 0) {
		emh_buf_puts(out, "{\n  \"as_of\": ");
		json_str(out, l->as_of);
		emh_buf_puts(out, ",\n  \"due\": [");
		for (size_t i = 0; i < l->n; i++) {
			const emh_due_item *it = &l->items[i];
			emh_buf_puts(out, i ? ",\n    {" : "\n    {");
			emh_buf_puts(out, "\"app_id\": ");
			json_str(out, it->app_id);
			emh_buf_puts(out, ", \"app_version\": ");
			json_str(out, it->app_version);
			emh_buf_puts(out, ", \"criterion\": ");
			json_str(out, it->criterion);
			emh_buf_puts(out, ", \"detail\": ");
			json_str(out, it->detail);
			emh_buf_appendf(out, ", \"kind\": \"%s\", \"ledger_sequence\": %lu, \"profiles\": ",
			                emh_due_kind_name(it->kind), it->sequence);
			json_str(out, it->profiles);
			emh_buf_appendf(out, ", \"status\": \"%s\", \"valid_until\": ", status_word(it));
			json_str(out, it->date);
			emh_buf_putc(out, '}');
		}
		emh_buf_appendf(out, "%s],\n  \"within_days\": %ld\n}\n", l->n ? "\n  " : "", l->within_days);
	} else if (strcmp(format, "markdown") == 0) {
		emh_buf_appendf(out, "# Due for reassessment as of %s\n\n", l->as_of);
		emh_buf_appendf(out, "%zu item%s lapsed or lapsing within %ld days.\n", l->n, l->n == 1 ? "" : "s",
		                l->within_days);
		if (l->n)
			emh_buf_puts(out, "\n| App | Version | Status | Valid until | Kind | Criterion | Approvals | Detail |\n"
			                  "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (size_t i = 0; i < l->n; i++) {
			const emh_due_item *it = &l->items[i];
			emh_buf_puts(out, "| ");
			emh_report__markdown(out, it->app_id);
			emh_buf_puts(out, " | ");
			emh_report__markdown(out, it->app_version);
			emh_buf_appendf(out, " | %s | %s | %s | ", status_word(it), it->date ? it->date : "now",
			                emh_due_kind_name(it->kind));
			emh_report__markdown(out, it->criterion ? it->criterion : "");
			emh_buf_puts(out, " | ");
			emh_report__markdown(out, it->profiles);
			emh_buf_puts(out, " | ");
			emh_report__markdown(out, it->detail);
			emh_buf_puts(out, " |\n");
		}
	} else {
		return emh_error_set(err, EMH_EINVALID, "unknown format '%s' (text, json or markdown)", format);
	}
	return emh_report__finish(out, err);
}
