/*
 * verdict.c - from outcomes to decisions: one verdict per assessment profile
 * under that profile's policy (docs/profiles.md), the dossier's verdict as
 * the least favourable of them, guards against silent approval, and the
 * ISO/TS 82304-2-style category scores with tier-dependent domain weights.
 */
#include <math.h>
#include <string.h>
#include "evaluator/internal.h"
#include "evaluator/verdict.h"

static double domain_weight(const emh_framework *fw, size_t di, const char *tier)
{
	double w = -1;
	for (size_t i = 0; tier && i < fw->nweights; i++)
		if (strcmp(fw->weights[i].tier, tier) == 0)
			w = fw->weights[i].weight[di];
	for (size_t i = 0; w < 0 && i < fw->nweights; i++)
		if (strcmp(fw->weights[i].tier, "default") == 0)
			w = fw->weights[i].weight[di];
	return w < 0 ? 1 : w;
}

static void score(emh_dossier *d, const emh_criteria *set)
{
	const emh_framework *fw = &set->framework;
	d->nscores = fw->ncategories;
	d->scores = emh_arena_alloc(d->arena, (fw->ncategories ? fw->ncategories : 1) * sizeof *d->scores);
	if (!d->scores) {
		d->nscores = 0;
		return;
	}
	for (size_t k = 0; k < fw->ncategories; k++) {
		double num = 0, den = 0;
		for (size_t i = 0; i < d->nresults; i++) {
			const emh_result *r = &d->results[i];
			size_t di = set->domain_of[i];
			if (r->manual || di == (size_t)-1 || fw->domains[di].category_index != k)
				continue;
			if (r->outcome != EMH_OUTCOME_PASS && r->outcome != EMH_OUTCOME_FAIL &&
			    r->outcome != EMH_OUTCOME_ERROR && r->outcome != EMH_OUTCOME_NOT_EVALUATED)
				continue;
			double w = domain_weight(fw, di, d->tier) * fw->severity_weight[r->severity];
			den += w;
			if (r->outcome == EMH_OUTCOME_PASS)
				num += w;
		}
		d->scores[k].category = emh_arena_strdup(d->arena, fw->categories[k].id);
		d->scores[k].title = emh_arena_strdup(d->arena, fw->categories[k].title);
		d->scores[k].score = den > 0 ? (int)floor(100.0 * num / den + 0.5) : -1;
	}
}

/* The lists of one profile's verdict, built in the dossier's arena. */
typedef struct plists {
	const char **returned, **rejected, **incomplete, **awaiting;
	size_t nreturned, nrejected, nincomplete, nawaiting;
	emh_condition *conditions;
	size_t nconditions;
} plists;

static int is_integrity(const emh_verdict_policy *pol, const char *id)
{
	for (size_t i = 0; i < pol->nintegrity; i++)
		if (strcmp(pol->integrity[i], id) == 0)
			return 1;
	return 0;
}

/*
 * One profile's verdict. Precedence (docs/profiles.md): returned (the
 * evidence cannot be trusted, so nothing else is decided on it), rejected,
 * incomplete, awaiting_review, conditional, approved. Advisory results are
 * skipped; criteria outside the profile never count.
 */
static void decide_profile(emh_dossier *d, const emh_criteria *set, const emh_profile *pr,
                           emh_profile_verdict *pv)
{
	const emh_verdict_policy *pol = &pr->policy;
	emh_arena *a = d->arena;
	size_t cap = d->nresults + d->nevidence + 1;
	plists l = { 0 };
	l.returned = emh_arena_alloc(a, cap * sizeof *l.returned);
	l.rejected = emh_arena_alloc(a, cap * sizeof *l.rejected);
	l.incomplete = emh_arena_alloc(a, cap * sizeof *l.incomplete);
	l.awaiting = emh_arena_alloc(a, cap * sizeof *l.awaiting);
	l.conditions = emh_arena_alloc(a, cap * sizeof *l.conditions);
	pv->criteria = emh_arena_alloc(a, cap * sizeof *pv->criteria);
	if (!l.returned || !l.rejected || !l.incomplete || !l.awaiting || !l.conditions || !pv->criteria) {
		pv->verdict = EMH_VERDICT_INCOMPLETE;
		return;
	}
	long as_of = 0;
	int has_date = d->as_of && emh_date_parse(&as_of, d->as_of) == 0;
	size_t applied = 0, passed = 0, errored = 0;
	for (size_t i = 0; i < d->nresults && i < set->count; i++) {
		if (!pr->member || !pr->member[i])
			continue;
		const emh_result *r = &d->results[i];
		unsigned sev = 1u << r->severity;
		pv->criteria[pv->ncriteria++] = r->id;
		if (r->outcome != EMH_OUTCOME_NOT_APPLICABLE)
			applied++;
		passed += r->outcome == EMH_OUTCOME_PASS || r->outcome == EMH_OUTCOME_WAIVED;
		errored += r->outcome == EMH_OUTCOME_ERROR;
		if (r->severity == EMH_SEVERITY_ADVISORY)
			continue;
		int bad = r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR ||
		          r->outcome == EMH_OUTCOME_NOT_EVALUATED;
		int gating = (pol->reject | pol->review) & sev;
		if (bad && is_integrity(pol, r->id)) {
			l.returned[l.nreturned++] = r->id;
		} else if (r->outcome == EMH_OUTCOME_FAIL && (pol->reject & sev)) {
			l.rejected[l.nrejected++] = r->id;
		} else if (bad && r->outcome != EMH_OUTCOME_FAIL && gating) {
			l.incomplete[l.nincomplete++] = r->id;
		} else if (r->outcome == EMH_OUTCOME_NEEDS_REVIEW && (pol->review & sev)) {
			l.awaiting[l.nawaiting++] = r->id;
		} else if (bad && pol->condition_days[r->severity]) {
			emh_condition *c = &l.conditions[l.nconditions++];
			c->criterion = r->id;
			c->severity = r->severity;
			c->fix = r->outcome == EMH_OUTCOME_FAIL || !r->reason ? r->remediation : r->reason;
			if (has_date) {
				char day[11];
				emh_date_format(day, as_of + pol->condition_days[r->severity]);
				c->due = emh_arena_strdup(a, day);
			}
		}
	}
	/* Evidence that is not what was declared, or that could not be read safely. */
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *f = &d->evidence[i];
		if (f->status && (strcmp(f->status, "mismatch") == 0 || strcmp(f->status, "refused") == 0))
			l.returned[l.nreturned++] = emh_arena_printf(a, "evidence %s: %s", f->path ? f->path : "?",
			                                             f->status);
	}
	emh_verdict v = l.nreturned ? EMH_VERDICT_RETURNED
	              : l.nrejected ? EMH_VERDICT_REJECTED
	              : l.nincomplete ? EMH_VERDICT_INCOMPLETE
	              : l.nawaiting ? EMH_VERDICT_AWAITING_REVIEW
	              : l.nconditions ? EMH_VERDICT_CONDITIONAL
	              : EMH_VERDICT_APPROVED;
	/*
	 * No silent pass: nothing of the profile applied, or everything that
	 * applied errored, is incomplete; and nothing is approved without at
	 * least one of its criteria that passed (or was waived).
	 */
	if ((v == EMH_VERDICT_APPROVED || v == EMH_VERDICT_CONDITIONAL || v == EMH_VERDICT_AWAITING_REVIEW) &&
	    (applied == 0 || errored == applied))
		v = EMH_VERDICT_INCOMPLETE;
	if (v == EMH_VERDICT_APPROVED && passed == 0)
		v = EMH_VERDICT_INCOMPLETE;
	pv->verdict = v;
	pv->returned = l.returned;
	pv->nreturned = l.nreturned;
	pv->rejected = l.rejected;
	pv->nrejected = l.nrejected;
	pv->incomplete = l.incomplete;
	pv->nincomplete = l.nincomplete;
	pv->awaiting_review = l.awaiting;
	pv->nawaiting_review = l.nawaiting;
	pv->conditions = l.conditions;
	pv->nconditions = l.nconditions;
}

void emh_decide(emh_dossier *d, const emh_criteria *set)
{
	memset(d->counts, 0, sizeof d->counts);
	for (size_t i = 0; i < d->nresults; i++)
		d->counts[d->results[i].outcome]++;
	d->verdict = d->nprofiles ? EMH_VERDICT_APPROVED : EMH_VERDICT_INCOMPLETE;
	for (size_t k = 0; k < d->nprofiles; k++) {
		emh_profile_verdict *pv = &d->profiles[k];
		size_t p = emh_framework_profile(&set->framework, pv->id);
		pv->ncriteria = pv->nreturned = pv->nrejected = pv->nincomplete = 0;
		pv->nawaiting_review = pv->nconditions = 0;
		if (p == (size_t)-1)
			pv->verdict = EMH_VERDICT_INCOMPLETE;
		else {
			pv->title = emh_arena_strdup(d->arena, set->framework.profiles[p].title);
			decide_profile(d, set, &set->framework.profiles[p], pv);
		}
		if (emh_verdict_rank(pv->verdict) > emh_verdict_rank(d->verdict))
			d->verdict = pv->verdict;
	}
	score(d, set);
}

static int add_profile(emh_dossier *d, const emh_criteria *set, size_t p)
{
	for (size_t k = 0; k < d->nprofiles; k++)
		if (strcmp(d->profiles[k].id, set->framework.profiles[p].id) == 0)
			return 0;
	emh_profile_verdict *pv = &d->profiles[d->nprofiles++];
	pv->id = emh_arena_strdup(d->arena, set->framework.profiles[p].id);
	pv->title = emh_arena_strdup(d->arena, set->framework.profiles[p].title);
	return 0;
}

static int market_in(const emh_profile *pr, const char *market, int any)
{
	for (size_t m = 0; m < pr->markets.n; m++)
		if (any ? strcmp(pr->markets.items[m], "*") == 0 : strcmp(pr->markets.items[m], market) == 0)
			return 1;
	return 0;
}

int emh_select_profiles(emh_dossier *d, const emh_criteria *set, const cJSON *root,
                        const char *override, emh_error *err)
{
	const emh_framework *fw = &set->framework;
	d->nprofiles = 0;
	d->profiles = emh_arena_alloc(d->arena, (fw->nprofiles ? fw->nprofiles : 1) * sizeof *d->profiles);
	if (!d->profiles)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (override) {
		const char *s = override;
		while (*s) {
			size_t n = strcspn(s, ",");
			char id[128];
			if (n == 0 || n >= sizeof id)
				return emh_error_set(err, EMH_EINVALID, "--profile \"%s\": expected ID[,ID...]", override);
			memcpy(id, s, n);
			id[n] = '\0';
			size_t p = emh_framework_profile(fw, id);
			if (p == (size_t)-1)
				return emh_error_set(err, EMH_EINVALID, "--profile: no profile \"%s\" in framework.json",
				                     id);
			add_profile(d, set, p);
			s += n;
			if (*s == ',' && !*++s)
				return emh_error_set(err, EMH_EINVALID, "--profile \"%s\": expected ID[,ID...]", override);
		}
		return d->nprofiles ? 0 : emh_error_set(err, EMH_EINVALID, "--profile names no profile");
	}
	const cJSON *named = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (named) {
		size_t i = 0;
		if (!cJSON_IsArray(named) || !named->child)
			return emh_error_set(err, EMH_EINVALID, "submission.json /profiles: expected a non-empty "
			                     "array of profile ids");
		for (const cJSON *e = named->child; e; e = e->next, i++) {
			size_t p = cJSON_IsString(e) ? emh_framework_profile(fw, e->valuestring) : (size_t)-1;
			if (p == (size_t)-1)
				return emh_error_set(err, EMH_EINVALID, "submission.json /profiles/%zu: %s%s%s is no "
				                     "profile of framework.json", i, cJSON_IsString(e) ? "\"" : "",
				                     cJSON_IsString(e) ? e->valuestring : "the value",
				                     cJSON_IsString(e) ? "\"" : "");
			add_profile(d, set, p);
		}
		return 0;
	}
	/* From app.markets; when no profile is for one of them, the profiles for any market. */
	const cJSON *markets = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "app"),
	                                                         "markets");
	for (size_t p = 0; p < fw->nprofiles; p++)
		for (const cJSON *m = cJSON_IsArray(markets) ? markets->child : NULL; m; m = m->next)
			if (cJSON_IsString(m) && market_in(&fw->profiles[p], m->valuestring, 0)) {
				add_profile(d, set, p);
				break;
			}
	for (size_t p = 0; d->nprofiles == 0 && p < fw->nprofiles; p++)
		if (market_in(&fw->profiles[p], NULL, 1))
			add_profile(d, set, p);
	if (d->nprofiles == 0)
		return emh_error_set(err, EMH_EINVALID, "no profile of framework.json is for the submission's "
		                     "markets, and none is for any market (\"*\"): name one in \"profiles\" "
		                     "or with --profile");
	return 0;
}
