/*
 * model.c - reads a ledger into memory for the register: a small summary of
 * each filing's dossier (what the index, views, app histories and criteria
 * pages show; never its evidence, findings or bytes), grouped by app id,
 * and the criteria each filing was evaluated against, loaded once per
 * commit. The ledger is read through emh_ledger_log, never a second way;
 * what needs a whole dossier (its page, what is due) takes it from a second
 * walk, so memory does not grow with dossier size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "register/register_internal.h"

typedef struct load_ctx {
	reg_ledger *l;
	int failed;
	emh_error err;
} load_ctx;

/* a's copy of s, or prev when it holds the same text (criteria ids and domains repeat from filing to filing). */
static const char *keep(emh_arena *a, const char *s, const char *prev)
{
	return s && prev && strcmp(s, prev) == 0 ? prev : emh_arena_strdup(a, s);
}

/*
 * The part of a filing's dossier the site shows outside its own page: the
 * index and views (newest verdicts, domains, criteria), the app history
 * (each filing's results by outcome only, reviews, waivers) and the criteria
 * pages. Nothing of evidence, findings or texts: about a kilobyte per filing.
 * like borrows the texts of the summary before it where they are equal.
 */
static emh_dossier *summarize(reg_filing *f, emh_arena *a, const emh_dossier *d, const reg_filing *lf)
{
	const emh_dossier *like = lf ? lf->d : NULL;
	f->results = d->nresults ? emh_arena_alloc(a, d->nresults * sizeof *f->results) : NULL;
	f->nresults = f->results ? d->nresults : 0; /* never a count without its items */
	for (size_t i = 0; f->results && i < d->nresults; i++) {
		const reg_result *was = lf && i < lf->nresults ? &lf->results[i] : NULL;
		f->results[i].id = keep(a, d->results[i].id, was ? was->id : NULL);
		f->results[i].domain = keep(a, d->results[i].domain, was ? was->domain : NULL);
		f->results[i].outcome = d->results[i].outcome;
	}
	emh_dossier *s = emh_arena_alloc(a, sizeof *s);
	if (!s)
		return NULL;
	s->criteria_repository = keep(a, d->criteria_repository, like ? like->criteria_repository : NULL);
	s->criteria_path = keep(a, d->criteria_path, like ? like->criteria_path : NULL);
	s->criteria_commit = keep(a, d->criteria_commit, like ? like->criteria_commit : NULL);
	s->criteria_tree = keep(a, d->criteria_tree, like ? like->criteria_tree : NULL);
	s->framework_name = keep(a, d->framework_name, like ? like->framework_name : NULL);
	s->framework_version = keep(a, d->framework_version, like ? like->framework_version : NULL);
	s->submission_id = emh_arena_strdup(a, d->submission_id);
	s->app_name = emh_arena_strdup(a, d->app_name);
	s->app_version = emh_arena_strdup(a, d->app_version);
	s->as_of = keep(a, d->as_of, like ? like->as_of : NULL);
	s->digest = emh_arena_strdup(a, d->digest);
	s->verdict = d->verdict;
	s->revision = d->revision;
	s->profiles = d->nprofiles ? emh_arena_alloc(a, d->nprofiles * sizeof *s->profiles) : NULL;
	s->nprofiles = s->profiles ? d->nprofiles : 0; /* never a count without its items */
	for (size_t i = 0; s->profiles && i < d->nprofiles; i++) {
		const emh_profile_verdict *was = like && i < like->nprofiles ? &like->profiles[i] : NULL;
		s->profiles[i].id = keep(a, d->profiles[i].id, was ? was->id : NULL);
		s->profiles[i].verdict = d->profiles[i].verdict;
	}
	/*
	 * Reviews and waivers are copied field by field, the texts the app's history shows (put_reviews_waivers
	 * in site.c). The two loops have the same shape on purpose: a shared copier would have to walk fields by
	 * offset through untyped memory and lose the compiler's type checks for six lines saved.
	 */
	s->reviews = d->nreviews ? emh_arena_alloc(a, d->nreviews * sizeof *s->reviews) : NULL;
	s->nreviews = s->reviews ? d->nreviews : 0; /* never a count without its items */
	for (size_t i = 0; s->reviews && i < d->nreviews; i++) {
		const emh_review *r = &d->reviews[i];
		emh_review *c = &s->reviews[i];
		c->criterion = emh_arena_strdup(a, r->criterion);
		c->decision = emh_arena_strdup(a, r->decision);
		c->reviewer = emh_arena_strdup(a, r->reviewer);
		c->role = emh_arena_strdup(a, r->role);
		c->date = emh_arena_strdup(a, r->date);
		c->rationale = emh_arena_strdup(a, r->rationale);
		c->signature = r->signature ? "" : NULL; /* the page says only whether it is signed */
	}
	s->waivers = d->nwaivers ? emh_arena_alloc(a, d->nwaivers * sizeof *s->waivers) : NULL;
	s->nwaivers = s->waivers ? d->nwaivers : 0; /* never a count without its items */
	for (size_t i = 0; s->waivers && i < d->nwaivers; i++) {
		const emh_waiver *w = &d->waivers[i];
		emh_waiver *c = &s->waivers[i];
		c->id = emh_arena_strdup(a, w->id);
		c->criterion = emh_arena_strdup(a, w->criterion);
		c->status = emh_arena_strdup(a, w->status);
		c->expires = emh_arena_strdup(a, w->expires);
		c->approver = emh_arena_strdup(a, w->approver);
		c->justification = emh_arena_strdup(a, w->justification);
	}
	return emh_arena_failed(a) ? NULL : s;
}

static void on_entry(const emh_ledger_entry *e, void *payload)
{
	load_ctx *c = payload;
	reg_ledger *l = c->l;
	if (c->failed)
		return;
	if (l->nf == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		reg_filing *f = realloc(l->f, cap * sizeof *f);
		if (!f) {
			c->failed = emh_error_set(&c->err, EMH_EGENERIC, "out of memory reading the ledger");
			return;
		}
		l->f = f;
		l->cap = cap;
	}
	reg_filing *f = &l->f[l->nf];
	memset(f, 0, sizeof *f);
	f->seq = e->sequence;
	snprintf(f->commit, sizeof f->commit, "%s", e->commit);
	f->is_signed = e->envelope != NULL;
	f->prev = REG_NONE;
	if (!(f->d = summarize(f, l->summaries, e->dossier, l->nf ? &l->f[l->nf - 1] : NULL))) {
		c->failed = emh_error_set(&c->err, EMH_EGENERIC, "out of memory reading the ledger");
		return;
	}
	l->nf++;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const reg_app *)a)->id, ((const reg_app *)b)->id);
}

/* A file name stem for an app: its ledger encoding, shortened with a hash when long. */
static char *make_slug(const char *id)
{
	emh_buf b = EMH_BUF_INIT;
	emh_audit__pct_encode(&b, id);
	if (emh_buf_ok(&b) && b.len > 120) {
		char hex[65];
		emh_sha256_hex(hex, id, strlen(id));
		b.len = 100;
		emh_buf_appendf(&b, "~%.16s", hex);
	}
	char *s = emh_buf_ok(&b) ? emh_buf_detach(&b, NULL) : NULL;
	emh_buf_dispose(&b);
	return s;
}

static int load(reg_ledger *l, const char *path, emh_error *err)
{
	l->path = path;
	if (!(l->summaries = emh_arena_new()))
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	load_ctx c = { l, 0, EMH_ERROR_INIT };
	int rc = emh_ledger_log(path, NULL, on_entry, &c, err);
	if (rc)
		return rc;
	if (c.failed) {
		*err = c.err;
		return c.failed;
	}
	/* Group by app id: filings are oldest first, so each app's list is too. */
	l->apps = calloc(l->nf ? l->nf : 1, sizeof *l->apps);
	if (!l->apps)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; i < l->nf; i++) {
		const char *id = l->f[i].d->submission_id ? l->f[i].d->submission_id : "";
		size_t a = 0;
		while (a < l->napps && strcmp(l->apps[a].id, id) != 0)
			a++;
		if (a == l->napps) {
			l->apps[a].id = id;
			l->napps++;
		}
		(void)a;
	}
	qsort(l->apps, l->napps, sizeof *l->apps, by_id);
	for (size_t i = 0; i < l->nf; i++) {
		const char *id = l->f[i].d->submission_id ? l->f[i].d->submission_id : "";
		reg_app key = { id, NULL, NULL, 0, 0 };
		reg_app *a = bsearch(&key, l->apps, l->napps, sizeof *l->apps, by_id);
		if (a->n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 4;
			size_t *p = realloc(a->filings, cap * sizeof *p);
			if (!p)
				return emh_error_set(err, EMH_EGENERIC, "out of memory");
			a->filings = p;
			a->cap = cap;
		}
		l->f[i].app = (size_t)(a - l->apps);
		l->f[i].prev = a->n ? a->filings[a->n - 1] : REG_NONE;
		a->filings[a->n++] = i;
	}
	for (size_t a = 0; a < l->napps; a++)
		if (!(l->apps[a].slug = make_slug(l->apps[a].id)))
			return emh_error_set(err, EMH_EGENERIC, "out of memory");
	return 0;
}

int reg_load(reg_ledger *l, const char *path, emh_error *err)
{
	memset(l, 0, sizeof *l);
	int rc = load(l, path, err);
	if (rc)
		reg_dispose(l); /* what was read before the failure: nothing is left to the caller */
	return rc;
}

void reg_dispose(reg_ledger *l)
{
	emh_arena_free(l->summaries);
	for (size_t a = 0; a < l->napps; a++) {
		free(l->apps[a].slug);
		free(l->apps[a].filings);
	}
	for (size_t i = 0; i < l->ncrit; i++)
		emh_criteria_free(l->crit[i].set);
	free(l->crit);
	free(l->apps);
	free(l->f);
	memset(l, 0, sizeof *l);
}

void reg_filing_of_entry(reg_filing *f, const emh_ledger_entry *e)
{
	memset(f, 0, sizeof *f);
	f->seq = e->sequence;
	snprintf(f->commit, sizeof f->commit, "%s", e->commit);
	union { const emh_dossier *in; emh_dossier *out; } borrowed = { e->dossier };
	f->d = borrowed.out;
	f->prev = REG_NONE;
}

const reg_filing *reg_filing_at(const reg_ledger *l, unsigned long seq)
{
	/* Filings are in the order of the ledger's history, so by seq. */
	size_t lo = 0, hi = l->nf;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->f[mid].seq == seq)
			return &l->f[mid];
		if (l->f[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const reg_filing *reg_latest(const reg_ledger *l, size_t app)
{
	const reg_app *a = &l->apps[app];
	return &l->f[a->filings[a->n - 1]];
}

emh_criteria *reg_criteria_of(reg_ledger *l, const reg_filing *f)
{
	return reg_criteria_at(l, f->d->criteria_commit, f->d->criteria_repository, f->d->criteria_path);
}

emh_criteria *reg_criteria_at(reg_ledger *l, const char *commit, const char *repository, const char *path)
{
	if (!commit)
		return NULL;
	for (size_t i = 0; i < l->ncrit; i++)
		if (strcmp(l->crit[i].commit, commit) == 0)
			return l->crit[i].set;
	if (l->ncrit == l->critcap) {
		size_t cap = l->critcap ? l->critcap * 2 : 8;
		reg_criteria *p = realloc(l->crit, cap * sizeof *p);
		if (!p)
			return NULL;
		l->crit = p;
		l->critcap = cap;
	}
	reg_criteria *c = &l->crit[l->ncrit++];
	snprintf(c->commit, sizeof c->commit, "%s", commit);
	c->set = NULL;
	/* By commit, never by name; "." (or nothing recorded) is the repository holding the current folder. */
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	const char *repo = l->criteria_repo ? l->criteria_repo : repository;
	co.repository = repo && strcmp(repo, ".") != 0 ? repo : NULL;
	co.path = path;
	co.rev = commit;
	emh_error e = EMH_ERROR_INIT;
	if (emh_criteria_load(&c->set, &co, &e))
		c->set = NULL;
	return c->set;
}

int reg_version_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	while (*a || *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
		if (ea == a || eb == b)
			return strcmp(a, b);
		if (x != y)
			return x < y ? -1 : 1;
		a = ea + (*ea == '.');
		b = eb + (*eb == '.');
		if (!*a || !*b)
			return (*a != '\0') - (*b != '\0');
	}
	return 0;
}

/* ---- the first walk: each app's newest filing, without keeping the dossiers ---------------------- */

typedef struct scan_row {
	char *id;
	unsigned long seq;
} scan_row;

typedef struct scan_ctx {
	reg_scan *s;
	scan_row *rows;
	size_t n, cap;
	int oom;
} scan_ctx;

static char *dup_or_null(const char *s, int *oom)
{
	char *p = s ? strdup(s) : NULL;
	*oom |= s && !p;
	return p;
}

/* The string member name of obj, or NULL (as the dossier parser reads an absent optional member). */
static const char *member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * One filing of the first walk, from its bytes: the members it needs are read from the JSON tree
 * alone (the dossier model is built once, in the second walk). A filing that is not JSON is passed
 * over, as emh_ledger_log passes over one that is not a dossier.
 */
static void scan_entry(const emh_ledger_entry *e, void *payload)
{
	scan_ctx *c = payload;
	reg_scan *s = c->s;
	if (c->oom)
		return;
	cJSON *root = cJSON_ParseWithLength(e->json, e->json_len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return;
	}
	const cJSON *cr = cJSON_GetObjectItemCaseSensitive(root, "criteria");
	const cJSON *fw = cJSON_GetObjectItemCaseSensitive(cr, "framework");
	const char *id = member(cJSON_GetObjectItemCaseSensitive(root, "submission"), "id");
	const char *as_of = member(root, "as_of"), *version = member(fw, "version");
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		scan_row *p = realloc(c->rows, cap * sizeof *p);
		if (!p) {
			c->oom = 1;
			cJSON_Delete(root);
			return;
		}
		c->rows = p;
		c->cap = cap;
	}
	c->rows[c->n].seq = e->sequence;
	if (!(c->rows[c->n].id = strdup(id ? id : ""))) {
		c->oom = 1;
		cJSON_Delete(root);
		return;
	}
	c->n++;
	if (as_of && (!s->max_as_of || strcmp(as_of, s->max_as_of) > 0)) {
		free(s->max_as_of);
		s->max_as_of = dup_or_null(as_of, &c->oom);
	}
	if (reg_version_cmp(version, s->newest) > 0) {
		free(s->newest);
		free(s->commit);
		free(s->repo);
		free(s->path);
		s->newest = dup_or_null(version, &c->oom);
		s->commit = dup_or_null(member(cr, "commit"), &c->oom);
		s->repo = dup_or_null(member(cr, "repository"), &c->oom);
		s->path = dup_or_null(member(cr, "path"), &c->oom);
	}
	cJSON_Delete(root);
}

static int row_cmp(const void *pa, const void *pb)
{
	const scan_row *a = pa, *b = pb;
	int r = strcmp(a->id, b->id);
	return r ? r : (a->seq > b->seq) - (a->seq < b->seq);
}

int reg_scan_ledger(reg_scan *s, const char *path, emh_error *err)
{
	memset(s, 0, sizeof *s);
	scan_ctx c = { s, NULL, 0, 0, 0 };
	int rc = emh_audit__ledger_bytes(path, scan_entry, &c, err);
	if (rc == 0 && c.oom)
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory reading the ledger");
	if (rc == 0 && c.n)
		qsort(c.rows, c.n, sizeof *c.rows, row_cmp);
	s->nseq = 1;
	for (size_t i = 0; rc == 0 && i < c.n; i++)
		if (c.rows[i].seq + 1 > s->nseq)
			s->nseq = c.rows[i].seq + 1;
	if (rc == 0 && !(s->rank = calloc(s->nseq, sizeof *s->rank)))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	/* Apps in id order (bytes); an app's rows by place, so its newest is its last. */
	for (size_t i = 0; rc == 0 && i < c.n; i++)
		if (i + 1 == c.n || strcmp(c.rows[i].id, c.rows[i + 1].id) != 0)
			s->rank[c.rows[i].seq] = ++s->napps;
	for (size_t i = 0; i < c.n; i++)
		free(c.rows[i].id);
	free(c.rows);
	if (rc)
		reg_scan_dispose(s);
	return rc;
}

size_t reg_scan_rank(const reg_scan *s, unsigned long seq)
{
	return seq < s->nseq ? s->rank[seq] : 0;
}

void reg_scan_dispose(reg_scan *s)
{
	free(s->rank);
	free(s->max_as_of);
	free(s->newest);
	free(s->commit);
	free(s->repo);
	free(s->path);
	memset(s, 0, sizeof *s);
}
