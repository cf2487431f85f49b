/*
 * framework.c - framework.json: the set's name and version, its domains and
 * label categories, the weights behind category scores, the verdict policy,
 * and for maintainers the catalogue of clauses criteria may cite and the ids
 * of retired criteria. Compiled once, with the same located errors as
 * criteria: every problem is reported, not only the first.
 */
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "emheval/submission.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/json.h"

typedef struct fctx {
	const emh_json *doc;
	const char *label;
	emh_diagnostic_cb on_problem; /* every problem, when set */
	void *payload;
	emh_error *err;               /* the first problem */
	int bad;                      /* problems so far */
} fctx;

static int fail_at(fctx *c, const cJSON *at, const char *jptr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_at(fctx *c, const cJSON *at, const char *jptr, const char *fmt, ...)
{
	emh_error e;
	va_list ap;
	va_start(ap, fmt);
	emh_json_vproblem(&e, EMH_EINVALID, c->doc, at, c->label, jptr, fmt, ap);
	va_end(ap);
	if (c->on_problem)
		c->on_problem(&e, c->payload);
	if (c->bad++ == 0 && c->err)
		*c->err = e;
	return -1;
}

static char *req_string(fctx *c, const cJSON *obj, const char *key, const char *jbase)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char jp[256];
	snprintf(jp, sizeof jp, "%s/%s", jbase, key);
	if (!cJSON_IsString(v) || !v->valuestring[0]) {
		fail_at(c, v ? v : obj, jp, "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	return emh_strdup(v->valuestring);
}

size_t emh_framework_domain(const emh_framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->ndomains; i++)
		if (fw->domains[i].id && strcmp(fw->domains[i].id, id) == 0)
			return i;
	return (size_t)-1;
}

int emh_framework_has_reference(const emh_framework *fw, const char *id)
{
	size_t lo = 0, hi = fw->nreferences;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(fw->references[mid], id);
		if (r == 0)
			return 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int parse_severity(void *out, const char *s) { emh_severity v; int rc = emh_severity_parse(&v, s); *(int *)out = (int)v; return rc; }

static emh_loc loc_of(fctx *c, const cJSON *at)
{
	emh_loc l = { 0, 0 };
	size_t off = 0;
	if (at)
		emh_json_locate(c->doc, at, &l.line, &l.column, &off);
	return l;
}

/* An optional array of non-empty strings at jp, kept with their places. */
static void compile_strlist(fctx *c, emh_strlist *out, const cJSON *arr, const char *jp, const char *what)
{
	if (!arr)
		return;
	if (!cJSON_IsArray(arr)) {
		fail_at(c, arr, jp, "expected an array of %s", what);
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	out->items = emh_calloc(n ? n : 1, sizeof *out->items);
	out->locs = emh_calloc(n ? n : 1, sizeof *out->locs);
	if (!out->items || !out->locs)
		return;
	for (const cJSON *e = arr->child; e; e = e->next, i++) {
		if (!cJSON_IsString(e) || !e->valuestring[0]) {
			char ep[256];
			snprintf(ep, sizeof ep, "%s/%zu", jp, i);
			fail_at(c, e, ep, "expected %s (a non-empty string)", what);
			continue;
		}
		out->locs[out->n] = loc_of(c, e);
		out->items[out->n++] = emh_strdup(e->valuestring);
	}
}

static void strlist_dispose(emh_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	free(l->locs);
	memset(l, 0, sizeof *l);
}

static void policy_defaults(emh_verdict_policy *p)
{
	memset(p, 0, sizeof *p);
	p->reject = 1u << EMH_SEVERITY_BLOCKER | 1u << EMH_SEVERITY_MAJOR;
	p->review = p->reject;
	p->condition_days[EMH_SEVERITY_MINOR] = 90;
}

static void policy_dispose(emh_verdict_policy *p)
{
	for (size_t i = 0; i < p->nintegrity; i++)
		free(p->integrity[i]);
	free(p->integrity);
	free(p->loc_integrity);
	memset(p, 0, sizeof *p);
}

static void policy_copy(emh_verdict_policy *dst, const emh_verdict_policy *src)
{
	*dst = *src;
	dst->integrity = emh_calloc(src->nintegrity ? src->nintegrity : 1, sizeof *dst->integrity);
	dst->loc_integrity = emh_calloc(src->nintegrity ? src->nintegrity : 1, sizeof *dst->loc_integrity);
	dst->nintegrity = 0;
	for (size_t i = 0; dst->integrity && dst->loc_integrity && i < src->nintegrity; i++) {
		dst->loc_integrity[i] = src->loc_integrity[i];
		dst->integrity[dst->nintegrity++] = emh_strdup(src->integrity[i]);
	}
}

/*
 * "verdict_policy": {"reject": [...], "review": [...], "condition_days":
 * {"minor": 90}, "integrity": ["INT-HASH-01"]}; a member left out keeps its
 * default (docs/profiles.md). Advisory never moves a verdict, so it may not
 * be named; a severity either rejects or gives a condition, not both.
 */
static void compile_policy(fctx *c, emh_verdict_policy *p, const cJSON *pol, const char *jp)
{
	policy_defaults(p);
	if (!pol)
		return;
	if (!cJSON_IsObject(pol)) {
		fail_at(c, pol, jp, "\"verdict_policy\" must be an object {reject, review, condition_days, integrity}");
		return;
	}
	char mp[256];
	for (const cJSON *m = pol->child; m; m = m->next)
		if (strcmp(m->string, "reject") && strcmp(m->string, "review") &&
		    strcmp(m->string, "condition_days") && strcmp(m->string, "integrity")) {
			snprintf(mp, sizeof mp, "%s/%s", jp, m->string);
			fail_at(c, m, mp, "unknown key \"%s\" in a verdict policy (expected reject, review, "
			        "condition_days, integrity)", m->string);
		}
	static const char *const sets[] = { "reject", "review" };
	for (int k = 0; k < 2; k++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(pol, sets[k]);
		if (!arr)
			continue;
		snprintf(mp, sizeof mp, "%s/%s", jp, sets[k]);
		unsigned v = 0;
		if (!cJSON_IsArray(arr)) {
			fail_at(c, arr, mp, "expected an array of severities");
			continue;
		}
		size_t i = 0;
		for (const cJSON *e = arr->child; e; e = e->next, i++) {
			int sv = 0;
			char ep[300];
			snprintf(ep, sizeof ep, "%s/%zu", mp, i);
			if (!cJSON_IsString(e) || parse_severity(&sv, e->valuestring))
				fail_at(c, e, ep, "unknown severity \"%s\" (expected blocker, major or minor)",
				        cJSON_IsString(e) ? e->valuestring : "?");
			else if (sv == EMH_SEVERITY_ADVISORY)
				fail_at(c, e, ep, "advisory results never move a verdict: \"advisory\" cannot be listed");
			else
				v |= 1u << sv;
		}
		if (k == 0)
			p->reject = v;
		else
			p->review = v;
	}
	const cJSON *cd = cJSON_GetObjectItemCaseSensitive(pol, "condition_days");
	if (cd) {
		memset(p->condition_days, 0, sizeof p->condition_days);
		snprintf(mp, sizeof mp, "%s/condition_days", jp);
		if (!cJSON_IsObject(cd))
			fail_at(c, cd, mp, "\"condition_days\" must be an object of severity: days");
		for (const cJSON *e = cJSON_IsObject(cd) ? cd->child : NULL; e; e = e->next) {
			int sv = 0;
			emh_buf ep = EMH_BUF_INIT;
			emh_buf_puts(&ep, mp);
			emh_ptr_append_token(&ep, e->string);
			if (parse_severity(&sv, e->string) || sv == EMH_SEVERITY_ADVISORY)
				fail_at(c, e, emh_buf_cstr(&ep), "\"%s\" is not blocker, major or minor (advisory "
				        "results never give conditions)", e->string);
			else if (!cJSON_IsNumber(e) || e->valuedouble != floor(e->valuedouble) ||
			         e->valuedouble < 1 || e->valuedouble > 3650)
				fail_at(c, e, emh_buf_cstr(&ep), "days must be a whole number from 1 to 3650");
			else
				p->condition_days[sv] = (int)e->valuedouble;
			emh_buf_dispose(&ep);
		}
	}
	for (int sv = 0; sv < EMH_SEVERITY__COUNT; sv++)
		if (p->condition_days[sv] && (p->reject & 1u << sv)) {
			snprintf(mp, sizeof mp, "%s/condition_days", jp);
			fail_at(c, cd ? cd : pol, mp, "severity \"%s\" both rejects and gives a condition",
			        emh_severity_name((emh_severity)sv));
		}
	for (int sv = 0; sv < EMH_SEVERITY_ADVISORY; sv++)
		if (!p->condition_days[sv] && !(p->reject & 1u << sv))
			fail_at(c, pol, jp, "severity \"%s\" neither rejects nor gives a condition (add it to "
			        "\"reject\" or \"condition_days\")", emh_severity_name((emh_severity)sv));
	unsigned must = 1u << EMH_SEVERITY_BLOCKER | 1u << EMH_SEVERITY_MAJOR;
	if ((p->review & must) != must)
		fail_at(c, cJSON_GetObjectItemCaseSensitive(pol, "review"), jp,
		        "\"review\" must hold blocker and major: they are never approved without a decision");
	emh_strlist integ = { 0 };
	snprintf(mp, sizeof mp, "%s/integrity", jp);
	compile_strlist(c, &integ, cJSON_GetObjectItemCaseSensitive(pol, "integrity"), mp, "a criterion id");
	p->integrity = integ.items;
	p->loc_integrity = integ.locs;
	p->nintegrity = integ.n;
}

size_t emh_framework_profile(const emh_framework *fw, const char *id)
{
	for (size_t i = 0; id && i < fw->nprofiles; i++)
		if (fw->profiles[i].id && strcmp(fw->profiles[i].id, id) == 0)
			return i;
	return (size_t)-1;
}

int emh_reference_in_family(const char *ref, const char *family)
{
	size_t n = strlen(family);
	return strncmp(ref, family, n) == 0 && (ref[n] == '\0' || ref[n] == ' ');
}

/*
 * "profiles": [{"id", "title", "markets", "families", "include", "exclude",
 * "domains", "verdict_policy"}]. Which criteria belong is decided once the
 * criteria are known (criteria.c); here the shape, ids and domains.
 * Without "profiles", one implicit profile "all" holds every criterion.
 */
static void compile_profiles(fctx *c, emh_framework *fw, const cJSON *arr)
{
	if (!arr) {
		fw->profiles = emh_calloc(1, sizeof *fw->profiles);
		if (!fw->profiles)
			return;
		emh_profile *p = &fw->profiles[fw->nprofiles++];
		p->id = emh_strdup("all");
		p->title = emh_strdup(fw->name ? fw->name : "all criteria");
		p->markets.items = emh_calloc(1, sizeof *p->markets.items);
		p->markets.locs = emh_calloc(1, sizeof *p->markets.locs);
		if (p->markets.items && p->markets.locs)
			p->markets.items[p->markets.n++] = emh_strdup("*");
		p->implicit = 1;
		policy_copy(&p->policy, &fw->policy);
		return;
	}
	if (!cJSON_IsArray(arr) || !arr->child) {
		fail_at(c, arr, "/profiles", "\"profiles\" must be a non-empty array of profiles");
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	fw->profiles = emh_calloc(n, sizeof *fw->profiles);
	for (const cJSON *e = arr->child; fw->profiles && e; e = e->next, i++) {
		char jb[64], jp[96];
		snprintf(jb, sizeof jb, "/profiles/%zu", i);
		if (!cJSON_IsObject(e)) {
			fail_at(c, e, jb, "a profile must be an object");
			continue;
		}
		static const char *const keys[] = { "id", "title", "markets", "families", "include",
		                                    "exclude", "domains", "verdict_policy", "description" };
		for (const cJSON *m = e->child; m; m = m->next) {
			int known = 0;
			for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
				known |= strcmp(m->string, keys[k]) == 0;
			if (!known) {
				emh_buf kp = EMH_BUF_INIT;
				emh_buf_puts(&kp, jb);
				emh_ptr_append_token(&kp, m->string);
				fail_at(c, m, emh_buf_cstr(&kp), "unknown key \"%s\" in a profile (expected id, title, "
				        "markets, families, include, exclude, domains, verdict_policy)", m->string);
				emh_buf_dispose(&kp);
			}
		}
		emh_profile *p = &fw->profiles[fw->nprofiles++];
		p->index = i;
		p->id = req_string(c, e, "id", jb);
		p->title = req_string(c, e, "title", jb);
		if (p->id) {
			int ok = p->id[0] != '\0';
			for (const char *s = p->id; *s; s++)
				ok &= (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-';
			snprintf(jp, sizeof jp, "%s/id", jb);
			if (!ok)
				fail_at(c, cJSON_GetObjectItemCaseSensitive(e, "id"), jp,
				        "a profile id is lower-case letters, digits and '-' (e.g. nhs-england)");
			for (size_t k = 0; ok && k + 1 < fw->nprofiles; k++)
				if (fw->profiles[k].id && strcmp(fw->profiles[k].id, p->id) == 0)
					fail_at(c, cJSON_GetObjectItemCaseSensitive(e, "id"), jp,
					        "duplicate profile id \"%s\"", p->id);
		}
		const cJSON *mk = cJSON_GetObjectItemCaseSensitive(e, "markets");
		snprintf(jp, sizeof jp, "%s/markets", jb);
		if (!cJSON_IsArray(mk) || !mk->child)
			fail_at(c, mk ? mk : e, jp, "a profile needs \"markets\": ISO 3166 codes such as \"GB\", or \"*\"");
		compile_strlist(c, &p->markets, mk, jp, "an ISO 3166 code or \"*\"");
		for (size_t k = 0; k < p->markets.n; k++) {
			const char *m = p->markets.items[k];
			int ok = strcmp(m, "*") == 0 ||
			         (strlen(m) == 2 && m[0] >= 'A' && m[0] <= 'Z' && m[1] >= 'A' && m[1] <= 'Z');
			if (!ok) {
				char ep[128];
				snprintf(ep, sizeof ep, "%s/%zu", jp, k);
				fail_at(c, cJSON_GetArrayItem(mk, (int)k), ep,
				        "\"%s\" is not an ISO 3166 alpha-2 code (e.g. \"GB\") or \"*\"", m);
			}
		}
		static const char *const lists[] = { "families", "include", "exclude", "domains" };
		emh_strlist *dst[] = { &p->families, &p->include, &p->exclude, &p->domains };
		static const char *const what[] = { "a reference family", "a criterion id", "a criterion id",
		                                    "a domain id" };
		for (int k = 0; k < 4; k++) {
			snprintf(jp, sizeof jp, "%s/%s", jb, lists[k]);
			compile_strlist(c, dst[k], cJSON_GetObjectItemCaseSensitive(e, lists[k]), jp, what[k]);
		}
		if (!p->families.n && !p->include.n && !p->domains.n)
			fail_at(c, e, jb, "a profile needs \"families\", \"include\" or \"domains\" to hold criteria");
		const cJSON *dl = cJSON_GetObjectItemCaseSensitive(e, "domains");
		for (size_t k = 0; k < p->domains.n; k++)
			if (emh_framework_domain(fw, p->domains.items[k]) == (size_t)-1) {
				char ep[128];
				snprintf(ep, sizeof ep, "%s/domains/%zu", jb, k);
				fail_at(c, cJSON_GetArrayItem(dl, (int)k), ep, "unknown domain \"%s\"", p->domains.items[k]);
			}
		const cJSON *pp = cJSON_GetObjectItemCaseSensitive(e, "verdict_policy");
		snprintf(jp, sizeof jp, "%s/verdict_policy", jb);
		if (pp)
			compile_policy(c, &p->policy, pp, jp);
		else
			policy_copy(&p->policy, &fw->policy);
	}
}

static void compile_weights(fctx *c, emh_framework *fw, const cJSON *w)
{
	if (!w)
		return;
	if (!cJSON_IsObject(w)) {
		fail_at(c, w, "/weights", "\"weights\" must be an object of tiers");
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(w);
	fw->weights = emh_calloc(n ? n : 1, sizeof *fw->weights);
	for (const cJSON *t = w->child; fw->weights && t; t = t->next) {
		emh_tier_weights *tw = &fw->weights[fw->nweights++];
		tw->tier = emh_strdup(t->string);
		tw->weight = emh_calloc(fw->ndomains ? fw->ndomains : 1, sizeof *tw->weight);
		if (!tw->weight)
			return;
		for (size_t i = 0; i < fw->ndomains; i++)
			tw->weight[i] = -1; /* not given: inherit */
		char jp[256];
		snprintf(jp, sizeof jp, "/weights/%s", t->string);
		if (!cJSON_IsObject(t)) {
			fail_at(c, t, jp, "a tier's weights must be an object of domain: number");
			continue;
		}
		for (const cJSON *d = t->child; d; d = d->next) {
			size_t di = emh_framework_domain(fw, d->string);
			emh_buf dp = EMH_BUF_INIT;
			emh_buf_puts(&dp, "/weights");
			emh_ptr_append_token(&dp, t->string);
			emh_ptr_append_token(&dp, d->string);
			if (di == (size_t)-1)
				fail_at(c, d, emh_buf_cstr(&dp), "unknown domain \"%s\" in weights", d->string);
			else if (!cJSON_IsNumber(d) || d->valuedouble < 0 || d->valuedouble > 1000)
				fail_at(c, d, emh_buf_cstr(&dp), "a weight must be a number from 0 to 1000");
			else
				tw->weight[di] = d->valuedouble;
			emh_buf_dispose(&dp);
		}
	}
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * One entry of the references catalogue: a title (a non-empty string), or an
 * object {"title", "checked", "note"} that records whether the clause was
 * checked against its source; "checked": false needs a "note" saying what
 * could not be checked (docs/criteria-format.md). Returns 0 when well formed.
 */
static int check_reference_entry(fctx *c, const cJSON *r, const char *jp)
{
	if (cJSON_IsString(r))
		return r->valuestring[0] ? 0 : fail_at(c, r, jp, "a reference's title must be a non-empty string");
	if (!cJSON_IsObject(r))
		return fail_at(c, r, jp, "a reference is a title (a non-empty string) or an object "
		               "{\"title\", \"checked\", \"note\"}");
	int bad = 0;
	for (const cJSON *m = r->child; m; m = m->next)
		if (strcmp(m->string, "title") && strcmp(m->string, "checked") && strcmp(m->string, "note")) {
			emh_buf mp = EMH_BUF_INIT;
			emh_buf_puts(&mp, jp);
			emh_ptr_append_token(&mp, m->string);
			bad |= fail_at(c, m, emh_buf_cstr(&mp), "unknown member \"%s\" of a reference "
			               "(expected \"title\", \"checked\" or \"note\")", m->string);
			emh_buf_dispose(&mp);
		}
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(r, "title");
	const cJSON *checked = cJSON_GetObjectItemCaseSensitive(r, "checked");
	const cJSON *note = cJSON_GetObjectItemCaseSensitive(r, "note");
	char sub[512];
	if (!cJSON_IsString(title) || !title->valuestring[0]) {
		snprintf(sub, sizeof sub, "%s/title", jp);
		bad |= fail_at(c, title ? title : r, sub, "\"title\" must be a non-empty string");
	}
	if (checked && !cJSON_IsBool(checked)) {
		snprintf(sub, sizeof sub, "%s/checked", jp);
		bad |= fail_at(c, checked, sub, "\"checked\" must be true or false");
	}
	if (note && (!cJSON_IsString(note) || !note->valuestring[0])) {
		snprintf(sub, sizeof sub, "%s/note", jp);
		bad |= fail_at(c, note, sub, "\"note\" must be a non-empty string");
	}
	if (cJSON_IsFalse(checked) && !note) {
		snprintf(sub, sizeof sub, "%s/note", jp);
		bad |= fail_at(c, r, sub, "a reference with \"checked\": false needs a \"note\" "
		               "saying what could not be checked");
	}
	return bad ? -1 : 0;
}

/*
 * "references": {"DTAC C1.1": "title" or {"title", "checked", "note"}, ...},
 * the catalogue of framework clauses that criteria may cite. The evaluator
 * does not need it; lint checks every criterion's references against it
 * (docs/gate.md).
 */
static void compile_references(fctx *c, emh_framework *fw, const cJSON *refs)
{
	if (!refs)
		return;
	if (!cJSON_IsObject(refs) || !refs->child) {
		fail_at(c, refs, "/references",
		        "\"references\" must be a non-empty object of clause id: title");
		return;
	}
	fw->has_references = 1;
	size_t n = (size_t)cJSON_GetArraySize(refs);
	fw->references = emh_calloc(n, sizeof *fw->references);
	for (const cJSON *r = refs->child; fw->references && r; r = r->next) {
		emh_buf rp = EMH_BUF_INIT;
		emh_buf_puts(&rp, "/references");
		emh_ptr_append_token(&rp, r->string);
		int bad = !r->string[0]
		        ? fail_at(c, r, emh_buf_cstr(&rp), "a reference needs a non-empty id")
		        : check_reference_entry(c, r, emh_buf_cstr(&rp));
		emh_buf_dispose(&rp);
		if (!bad)
			fw->references[fw->nreferences++] = emh_strdup(r->string);
	}
	if (fw->nreferences > 1)
		qsort(fw->references, fw->nreferences, sizeof *fw->references, by_string);
}

/*
 * "retired": [{"id": ..., "reason": ..., "since": "1.1.0"}], criteria that were
 * removed; their ids stay reserved (lint, docs/gate.md).
 */
static void compile_retired(fctx *c, emh_framework *fw, const cJSON *ret)
{
	if (!ret)
		return;
	if (!cJSON_IsArray(ret)) {
		fail_at(c, ret, "/retired", "\"retired\" must be an array of {\"id\", \"reason\", \"since\"}");
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(ret), i = 0;
	fw->retired = emh_calloc(n ? n : 1, sizeof *fw->retired);
	for (const cJSON *r = ret->child; fw->retired && r; r = r->next, i++) {
		char jb[64];
		snprintf(jb, sizeof jb, "/retired/%zu", i);
		if (!cJSON_IsObject(r)) {
			fail_at(c, r, jb, "a retired entry must be an object {\"id\", \"reason\", \"since\"}");
			continue;
		}
		for (const cJSON *m = r->child; m; m = m->next)
			if (strcmp(m->string, "id") && strcmp(m->string, "reason") && strcmp(m->string, "since")) {
				char mp[128];
				snprintf(mp, sizeof mp, "%s/%s", jb, m->string);
				fail_at(c, m, mp, "unknown key \"%s\" in a retired entry (expected id, reason, since)", m->string);
			}
		emh_retired *e = &fw->retired[fw->nretired++];
		e->id = req_string(c, r, "id", jb);
		e->reason = req_string(c, r, "reason", jb);
		if (cJSON_GetObjectItemCaseSensitive(r, "since"))
			e->since = req_string(c, r, "since", jb);
		e->index = i;
	}
}

static const char *const framework_keys[] = {
	"name", "version", "effective_date", "categories", "domains", "tier_pointer",
	"weights", "severity_weights", "verdict_policy", "description", "references",
	"retired", "profiles", "submission_schema",
};

int emh_framework_compile(emh_framework *fw, const char *data, size_t len,
                          const char *label, emh_diagnostic_cb on_problem,
                          void *payload, int keep_partial, emh_error *err)
{
	memset(fw, 0, sizeof *fw);
	emh_json *doc = NULL;
	int rc = emh_json_parse(&doc, data, len, label, NULL, err);
	if (rc) {
		if (on_problem && err)
			on_problem(err, payload);
		return rc;
	}
	fctx c = { doc, label, on_problem, payload, err, 0 };
	const cJSON *root = emh_json_root(doc);
	if (!cJSON_IsObject(root)) {
		fail_at(&c, root, "", "framework.json must be a JSON object");
		goto done;
	}
	for (const cJSON *m = root->child; m; m = m->next) {
		int known = 0;
		for (size_t i = 0; i < sizeof framework_keys / sizeof framework_keys[0]; i++)
			known |= strcmp(m->string, framework_keys[i]) == 0;
		if (!known) {
			emh_buf kp = EMH_BUF_INIT;
			emh_ptr_append_token(&kp, m->string);
			fail_at(&c, m, emh_buf_cstr(&kp), "unknown key \"%s\" in framework.json", m->string);
			emh_buf_dispose(&kp);
		}
	}
	fw->name = req_string(&c, root, "name", "");
	fw->version = req_string(&c, root, "version", "");
	fw->effective_date = req_string(&c, root, "effective_date", "");
	long day;
	if (fw->effective_date && emh_date_parse(&day, fw->effective_date))
		fail_at(&c, cJSON_GetObjectItemCaseSensitive(root, "effective_date"), "/effective_date",
		        "\"effective_date\" must be a date YYYY-MM-DD");
	const cJSON *cats = cJSON_GetObjectItemCaseSensitive(root, "categories");
	if (!cJSON_IsArray(cats) || !cats->child) {
		fail_at(&c, cats ? cats : root, "/categories", "\"categories\" must be a non-empty array");
		goto done;
	}
	fw->categories = emh_calloc((size_t)cJSON_GetArraySize(cats), sizeof *fw->categories);
	for (const cJSON *e = cats->child; fw->categories && e; e = e->next) {
		char jb[64];
		snprintf(jb, sizeof jb, "/categories/%zu", fw->ncategories);
		emh_category *cat = &fw->categories[fw->ncategories++];
		cat->id = req_string(&c, e, "id", jb);
		cat->title = req_string(&c, e, "title", jb);
	}
	const cJSON *doms = cJSON_GetObjectItemCaseSensitive(root, "domains");
	if (!cJSON_IsArray(doms) || !doms->child) {
		fail_at(&c, doms ? doms : root, "/domains", "\"domains\" must be a non-empty array");
		goto done;
	}
	fw->domains = emh_calloc((size_t)cJSON_GetArraySize(doms), sizeof *fw->domains);
	for (const cJSON *e = doms->child; fw->domains && e; e = e->next) {
		char jb[64], jc[80];
		snprintf(jb, sizeof jb, "/domains/%zu", fw->ndomains);
		snprintf(jc, sizeof jc, "%s/category", jb);
		emh_domain *d = &fw->domains[fw->ndomains++];
		d->id = req_string(&c, e, "id", jb);
		d->title = req_string(&c, e, "title", jb);
		d->category = req_string(&c, e, "category", jb);
		d->category_index = (size_t)-1;
		for (size_t i = 0; d->category && i < fw->ncategories; i++)
			if (fw->categories[i].id && strcmp(fw->categories[i].id, d->category) == 0)
				d->category_index = i;
		if (d->category && d->category_index == (size_t)-1)
			fail_at(&c, cJSON_GetObjectItemCaseSensitive(e, "category"), jc,
			        "domain \"%s\" names unknown category \"%s\"", d->id ? d->id : "?", d->category);
	}
	/*
	 * What the set evaluates: emheval submissions (validated against
	 * schemas/submission.schema.json first, the default) or, for a set written
	 * for another document format (the peer benchmark's manifests), any JSON
	 * object, with "none". The set decides, not a flag, so that a run cannot
	 * skip validation of what the set was written for.
	 */
	const cJSON *ss = cJSON_GetObjectItemCaseSensitive(root, "submission_schema");
	if (ss && !(cJSON_IsString(ss) && (strcmp(ss->valuestring, "emheval/submission/1") == 0 ||
	                                   strcmp(ss->valuestring, "none") == 0)))
		fail_at(&c, ss, "/submission_schema",
		        "\"submission_schema\" must be \"emheval/submission/1\" (the default) or \"none\"");
	else if (ss && strcmp(ss->valuestring, "none") == 0)
		fw->validation = EMH_VALIDATE_OFF;
	const cJSON *tp = cJSON_GetObjectItemCaseSensitive(root, "tier_pointer");
	if (tp) {
		emh_error pe = EMH_ERROR_INIT;
		if (!cJSON_IsString(tp) || emh_ptr_compile(&fw->tier_pointer, tp->valuestring, &pe))
			fail_at(&c, tp, "/tier_pointer", "\"tier_pointer\" must be a JSON pointer");
		else
			fw->has_tier_pointer = 1;
	}
	if (!c.bad)
		compile_weights(&c, fw, cJSON_GetObjectItemCaseSensitive(root, "weights"));
	for (int s = 0; s < EMH_SEVERITY__COUNT; s++)
		fw->severity_weight[s] = 1;
	const cJSON *sw = cJSON_GetObjectItemCaseSensitive(root, "severity_weights");
	for (const cJSON *e = sw ? sw->child : NULL; e; e = e->next) {
		emh_severity s;
		if (emh_severity_parse(&s, e->string) || !cJSON_IsNumber(e) || e->valuedouble < 0) {
			emh_buf sp = EMH_BUF_INIT;
			emh_buf_puts(&sp, "/severity_weights");
			emh_ptr_append_token(&sp, e->string);
			fail_at(&c, e, emh_buf_cstr(&sp), "expected severity: non-negative number");
			emh_buf_dispose(&sp);
		}
		else
			fw->severity_weight[s] = e->valuedouble;
	}
	compile_references(&c, fw, cJSON_GetObjectItemCaseSensitive(root, "references"));
	compile_retired(&c, fw, cJSON_GetObjectItemCaseSensitive(root, "retired"));
	compile_policy(&c, &fw->policy, cJSON_GetObjectItemCaseSensitive(root, "verdict_policy"),
	               "/verdict_policy");
	compile_profiles(&c, fw, cJSON_GetObjectItemCaseSensitive(root, "profiles"));
done:
	emh_json_free(doc);
	if (c.bad) {
		if (!keep_partial)
			emh_framework_dispose(fw);
		return EMH_EINVALID;
	}
	return 0;
}

void emh_framework_dispose(emh_framework *fw)
{
	if (!fw)
		return;
	free(fw->name);
	free(fw->version);
	free(fw->effective_date);
	for (size_t i = 0; i < fw->ncategories; i++) {
		free(fw->categories[i].id);
		free(fw->categories[i].title);
	}
	free(fw->categories);
	for (size_t i = 0; i < fw->ndomains; i++) {
		free(fw->domains[i].id);
		free(fw->domains[i].title);
		free(fw->domains[i].category);
	}
	free(fw->domains);
	emh_ptr_dispose(&fw->tier_pointer);
	for (size_t i = 0; i < fw->nweights; i++) {
		free(fw->weights[i].tier);
		free(fw->weights[i].weight);
	}
	free(fw->weights);
	policy_dispose(&fw->policy);
	for (size_t i = 0; i < fw->nprofiles; i++) {
		emh_profile *p = &fw->profiles[i];
		free(p->id);
		free(p->title);
		strlist_dispose(&p->markets);
		strlist_dispose(&p->families);
		strlist_dispose(&p->include);
		strlist_dispose(&p->exclude);
		strlist_dispose(&p->domains);
		policy_dispose(&p->policy);
		free(p->member);
	}
	free(fw->profiles);
	for (size_t i = 0; i < fw->nreferences; i++)
		free(fw->references[i]);
	free(fw->references);
	for (size_t i = 0; i < fw->nretired; i++) {
		free(fw->retired[i].id);
		free(fw->retired[i].reason);
		free(fw->retired[i].since);
	}
	free(fw->retired);
	memset(fw, 0, sizeof *fw);
}
