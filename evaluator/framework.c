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
	emh_error e = EMH_ERROR_INIT;
	va_list ap;
	va_start(ap, fmt);
	e.code = EMH_EINVALID;
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	unsigned line = 0, col = 0;
	size_t off = 0;
	if (at)
		emh_json_locate(c->doc, at, &line, &col, &off);
	emh_error_locate(&e, c->label, line, col, jptr);
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
	return strdup(v->valuestring);
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

static unsigned name_set(fctx *c, const cJSON *arr, const char *jp,
                         int (*parse)(void *out, const char *name), const char *what)
{
	unsigned set = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr) || !arr->child) {
		fail_at(c, arr, jp, "expected a non-empty array of %s", what);
		return 0;
	}
	size_t i = 0;
	for (const cJSON *e = arr->child; e; e = e->next, i++) {
		int v = 0;
		if (!cJSON_IsString(e) || parse(&v, e->valuestring)) {
			char ep[128];
			snprintf(ep, sizeof ep, "%s/%zu", jp, i);
			fail_at(c, e, ep, "unknown %s \"%s\"", what, cJSON_IsString(e) ? e->valuestring : "?");
			return 0;
		}
		set |= 1u << v;
	}
	return set;
}

static int parse_outcome(void *out, const char *s) { emh_outcome o; int rc = emh_outcome_parse(&o, s); *(int *)out = (int)o; return rc; }
static int parse_severity(void *out, const char *s) { emh_severity v; int rc = emh_severity_parse(&v, s); *(int *)out = (int)v; return rc; }
static int parse_kind(void *out, const char *s)
{
	*(int *)out = strcmp(s, "check") == 0 ? 0 : strcmp(s, "manual") == 0 ? 1 : -1;
	return *(int *)out < 0 ? -1 : 0;
}

static void compile_policy(fctx *c, emh_framework *fw, const cJSON *pol)
{
	if (!cJSON_IsArray(pol) || !pol->child) {
		fail_at(c, pol, "/verdict_policy", "\"verdict_policy\" must be a non-empty array of rules");
		return;
	}
	size_t n = (size_t)cJSON_GetArraySize(pol), i = 0;
	fw->policy = calloc(n, sizeof *fw->policy);
	for (const cJSON *r = pol->child; fw->policy && r; r = r->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/verdict_policy/%zu", i);
		emh_policy_rule *rule = &fw->policy[fw->npolicy++];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "verdict");
		const cJSON *when = cJSON_GetObjectItemCaseSensitive(r, "when");
		if (!cJSON_IsObject(r) || !cJSON_IsString(v) || emh_verdict_parse(&rule->verdict, v->valuestring)) {
			fail_at(c, r, jp, "a policy rule needs \"verdict\": approved, conditional, rejected or incomplete");
			return;
		}
		for (const cJSON *m = r->child; m; m = m->next)
			if (strcmp(m->string, "verdict") && strcmp(m->string, "when")) {
				char mp[256];
				snprintf(mp, sizeof mp, "%s/%s", jp, m->string);
				fail_at(c, m, mp, "unknown key \"%s\" in a policy rule", m->string);
			}
		if (when) {
			rule->has_when = 1;
			for (const cJSON *m = when->child; m; m = m->next)
				if (strcmp(m->string, "outcomes") && strcmp(m->string, "severities") && strcmp(m->string, "kinds")) {
					char mp[256];
					snprintf(mp, sizeof mp, "%s/when/%s", jp, m->string);
					fail_at(c, m, mp, "unknown key \"%s\" in \"when\" (expected outcomes, severities, kinds)", m->string);
				}
			char op[96], sp[96], kp[96];
			snprintf(op, sizeof op, "%s/when/outcomes", jp);
			snprintf(sp, sizeof sp, "%s/when/severities", jp);
			snprintf(kp, sizeof kp, "%s/when/kinds", jp);
			rule->outcomes = name_set(c, cJSON_GetObjectItemCaseSensitive(when, "outcomes"), op, parse_outcome, "outcome");
			rule->severities = name_set(c, cJSON_GetObjectItemCaseSensitive(when, "severities"), sp, parse_severity, "severity");
			unsigned kinds = name_set(c, cJSON_GetObjectItemCaseSensitive(when, "kinds"), kp, parse_kind, "kind");
			rule->kinds = kinds;
			if (!rule->outcomes)
				fail_at(c, when, jp, "\"when\" needs \"outcomes\"");
		} else if (r->next) {
			fail_at(c, r, jp, "only the last policy rule may have no \"when\"");
		}
		if (!r->next && when)
			fail_at(c, r, jp, "the last policy rule must have no \"when\" (the default verdict)");
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
	fw->weights = calloc(n ? n : 1, sizeof *fw->weights);
	for (const cJSON *t = w->child; fw->weights && t; t = t->next) {
		emh_tier_weights *tw = &fw->weights[fw->nweights++];
		tw->tier = strdup(t->string);
		tw->weight = calloc(fw->ndomains ? fw->ndomains : 1, sizeof *tw->weight);
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
 * "references": {"DTAC C1.1": "title", ...}, the catalogue of framework
 * clauses that criteria may cite. The evaluator does not need it; lint checks
 * every criterion's references against it (docs/gate.md).
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
	fw->references = calloc(n, sizeof *fw->references);
	for (const cJSON *r = refs->child; fw->references && r; r = r->next) {
		if (!r->string[0] || !cJSON_IsString(r) || !r->valuestring[0]) {
			emh_buf rp = EMH_BUF_INIT;
			emh_buf_puts(&rp, "/references");
			emh_ptr_append_token(&rp, r->string);
			fail_at(c, r, emh_buf_cstr(&rp), "a reference needs a non-empty id and a title (a non-empty string)");
			emh_buf_dispose(&rp);
			continue;
		}
		fw->references[fw->nreferences++] = strdup(r->string);
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
	fw->retired = calloc(n ? n : 1, sizeof *fw->retired);
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
	"retired",
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
	fw->categories = calloc((size_t)cJSON_GetArraySize(cats), sizeof *fw->categories);
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
	fw->domains = calloc((size_t)cJSON_GetArraySize(doms), sizeof *fw->domains);
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
	const cJSON *pol = cJSON_GetObjectItemCaseSensitive(root, "verdict_policy");
	if (!pol)
		fail_at(&c, root, "", "missing required key \"verdict_policy\"");
	else
		compile_policy(&c, fw, pol);
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
	free(fw->policy);
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
