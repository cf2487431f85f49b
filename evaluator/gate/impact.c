/*
 * impact.c - `emheval impact`: which submissions' verdicts a criteria change
 * flips, before it is merged.
 *
 * The criteria at the two revisions are read from git and compiled once each;
 * every submission of the portfolio is loaded (parsed, its evidence read and
 * hashed) once and evaluated with both sets by the same worker, so the cost is
 * two evaluations per submission and nothing more. Workers take submissions in
 * turn; each keeps what it found in its own arena, and the report is put
 * together in path order afterwards, so it does not depend on the number of
 * workers. Alongside, the criteria files of the two revisions are compared:
 * added, removed and changed criteria, with the keys that changed and whether
 * only their wording did.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "emheval/batch.h"
#include "emheval/eval.h"
#include "emheval/gate.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/gate/gate_internal.h"
#include "evaluator/json.h"
#include "evaluator/source.h"

/* ---- the criteria that changed ------------------------------------------ */

/* The parsed criterion files of one revision, by id. */
typedef struct side {
	emh_json **docs;     /* per source file; NULL when it does not parse */
	const emh_source *src;
} side;

static const cJSON *side_find(const side *s, const char *id)
{
	for (size_t i = 0; i < s->src->nfiles; i++) {
		if (!s->docs[i] || strcmp(s->src->files[i].path, "framework.json") == 0)
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(emh_json_root(s->docs[i]), "id");
		if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
			return emh_json_root(s->docs[i]);
	}
	return NULL;
}

static const cJSON *side_framework(const side *s)
{
	for (size_t i = 0; i < s->src->nfiles; i++)
		if (s->docs[i] && strcmp(s->src->files[i].path, "framework.json") == 0)
			return emh_json_root(s->docs[i]);
	return NULL;
}

static int side_parse(side *s, const emh_source *src)
{
	s->src = src;
	s->docs = calloc(src->nfiles ? src->nfiles : 1, sizeof *s->docs);
	if (!s->docs)
		return -1;
	for (size_t i = 0; i < src->nfiles; i++) {
		emh_error ignored = EMH_ERROR_INIT;
		if (emh_json_parse(&s->docs[i], src->files[i].data, src->files[i].len, src->files[i].path, NULL,
		                   &ignored))
			s->docs[i] = NULL;
	}
	return 0;
}

static void side_dispose(side *s)
{
	for (size_t i = 0; s->docs && i < s->src->nfiles; i++)
		emh_json_free(s->docs[i]);
	free(s->docs);
}

/*
 * "-A, +B": the clause ids of a criterion's "references" that one revision
 * has and the other has not, so that a renumbered reference reads as one.
 */
static void diff_reference_ids(const cJSON *a, const cJSON *b, emh_buf *out)
{
	const cJSON *sides[2] = {a, b};
	for (int s = 0; s < 2; s++)
		for (const cJSON *r = sides[s] ? sides[s]->child : NULL; r; r = r->next) {
			int found = 0;
			for (const cJSON *o = sides[!s] ? sides[!s]->child : NULL; o && !found; o = o->next)
				found = cJSON_IsString(r) && cJSON_IsString(o) && strcmp(r->valuestring, o->valuestring) == 0;
			if (found || !cJSON_IsString(r))
				continue;
			emh_buf_puts(out, out->len ? ", " : "");
			emh_buf_putc(out, s ? '+' : '-');
			emh_buf_puts(out, r->valuestring);
		}
}

/* "N added, N removed, N retitled": how the references catalogue changed. */
static void diff_references(const cJSON *a, const cJSON *b, emh_buf *out)
{
	size_t added = 0, removed = 0, retitled = 0;
	for (const cJSON *r = a ? a->child : NULL; r; r = r->next) {
		const cJSON *o = b ? cJSON_GetObjectItemCaseSensitive(b, r->string) : NULL;
		if (!o)
			removed++;
		else if (!cJSON_Compare(r, o, 1))
			retitled++;
	}
	for (const cJSON *r = b ? b->child : NULL; r; r = r->next)
		added += !(a && cJSON_GetObjectItemCaseSensitive(a, r->string));
	if (added || removed || retitled)
		emh_buf_appendf(out, "%zu added, %zu removed, %zu retitled", added, removed, retitled);
}

/* Keys left out when asking whether the meaning changed. */
static int wording_or_version(const char *k)
{
	return emh_gate__wording_key(k) || strcmp(k, "version") == 0;
}

static const emh_tracker *tracker_by_id(const emh_trackers *t, const char *id)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->items[i].id && strcmp(t->items[i].id, id) == 0)
			return &t->items[i];
	return NULL;
}

static int same_list(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The tracker catalogue's entries added, removed and changed between A and B (in file order), or NULL. */
static const char *diff_catalogue(emh_arena *a, const emh_trackers *A, const emh_trackers *B)
{
	emh_buf out = EMH_BUF_INIT;
	static const char *const what[] = { "added", "removed", "changed" };
	for (int k = 0; k < 3; k++) {
		const emh_trackers *list = k == 1 ? A : B;
		size_t n = 0;
		for (size_t i = 0; i < list->count; i++) {
			const emh_tracker *t = &list->items[i];
			const emh_tracker *o = t->id ? tracker_by_id(k == 1 ? B : A, t->id) : NULL;
			int hit = k == 2 ? o && !(same_str(t->name, o->name) && same_str(t->company, o->company) &&
			                          same_str(t->category, o->category) && same_str(t->source, o->source) &&
			                          same_list(t->code_signatures, t->ncode, o->code_signatures, o->ncode) &&
			                          same_list(t->host_signatures, t->nhost, o->host_signatures, o->nhost) &&
			                          same_list(t->ios_signatures, t->nios, o->ios_signatures, o->nios) &&
			                          same_list(t->names, t->nnames, o->names, o->nnames))
			          : t->id && !o;
			if (!hit)
				continue;
			emh_buf_appendf(&out, "%s%s%s", n ? ", " : out.len ? "; " : "", n ? "" : what[k], n ? "" : " ");
			emh_buf_puts(&out, t->id);
			n++;
		}
	}
	const char *r = out.len ? emh_arena_strdup(a, emh_buf_cstr(&out)) : NULL;
	emh_buf_dispose(&out);
	return r;
}

/* Fills r->criteria: every id of either set, in id order, that differs. */
static int diff_criteria(emh_impact_report *r, emh_arena *a, const emh_criteria *A, const emh_criteria *B,
                         const side *sa, const side *sb)
{
	r->criteria = emh_arena_alloc(a, (A->count + B->count + 1) * sizeof *r->criteria);
	if (!r->criteria)
		return -1;
	size_t i = 0, j = 0;
	while (i < A->count || j < B->count) {
		int c = i >= A->count ? 1 : j >= B->count ? -1 : strcmp(A->items[i].id, B->items[j].id);
		const emh_criterion *ca = c <= 0 ? &A->items[i] : NULL;
		const emh_criterion *cb = c >= 0 ? &B->items[j] : NULL;
		i += c <= 0;
		j += c >= 0;
		const emh_criterion *now = cb ? cb : ca;
		emh_criterion_change x;
		memset(&x, 0, sizeof x);
		x.id = emh_arena_strdup(a, now->id);
		x.title = emh_arena_strdup(a, now->title);
		x.severity = now->severity;
		x.severity_from = (ca ? ca : cb)->severity;
		x.manual = now->manual;
		x.version_from = ca ? ca->version : 0;
		x.version_to = cb ? cb->version : 0;
		if (!ca) {
			x.kind = EMH_CHANGE_ADDED;
		} else if (!cb) {
			x.kind = EMH_CHANGE_REMOVED;
		} else {
			const cJSON *ja = side_find(sa, ca->id), *jb = side_find(sb, cb->id);
			emh_buf keys = EMH_BUF_INIT;
			size_t n = emh_gate__diff_keys(ja, jb, &keys, NULL);
			if (!n) {
				emh_buf_dispose(&keys);
				continue;
			}
			emh_buf dummy = EMH_BUF_INIT;
			x.kind = EMH_CHANGE_CHANGED;
			x.wording_only = emh_gate__diff_keys(ja, jb, &dummy, wording_or_version) == 0;
			x.keys = emh_arena_strdup(a, emh_buf_cstr(&keys));
			emh_buf_dispose(&keys);
			emh_buf_dispose(&dummy);
			emh_buf refs = EMH_BUF_INIT;
			diff_reference_ids(cJSON_GetObjectItemCaseSensitive(ja, "references"),
			                   cJSON_GetObjectItemCaseSensitive(jb, "references"), &refs);
			if (refs.len)
				x.references = emh_arena_strdup(a, emh_buf_cstr(&refs));
			emh_buf_dispose(&refs);
		}
		r->criteria[r->ncriteria++] = x;
	}
	r->catalogue_changes = diff_catalogue(a, &A->trackers, &B->trackers);
	const cJSON *fa = side_framework(sa), *fb = side_framework(sb);
	emh_buf keys = EMH_BUF_INIT;
	if (fa && fb && emh_gate__diff_keys(fa, fb, &keys, NULL))
		r->framework_keys = emh_arena_strdup(a, emh_buf_cstr(&keys));
	emh_buf_dispose(&keys);
	emh_buf cat = EMH_BUF_INIT;
	if (fa && fb)
		diff_references(cJSON_GetObjectItemCaseSensitive(fa, "references"),
		               cJSON_GetObjectItemCaseSensitive(fb, "references"), &cat);
	if (cat.len)
		r->framework_references = emh_arena_strdup(a, emh_buf_cstr(&cat));
	emh_buf_dispose(&cat);
	return 0;
}

/* ---- the portfolio -------------------------------------------------------- */

typedef struct item {
	const char *path;
	emh_submission_impact res;   /* strings in the worker's arena */
} item;

typedef struct pool {
	const emh_criteria *A, *B;
	const emh_impact_options *o;
	item *items;
	size_t n;
	size_t next;                  /* the next item to take (under lock) */
	pthread_mutex_t lock;
	int failed;                   /* a worker ran out of memory */
	emh_error err;
} pool;

/* What a changed outcome means for the vendor at "to": the message, or why. */
static const char *detail_of(emh_arena *a, const emh_result *r)
{
	if (!r || r->outcome == EMH_OUTCOME_PASS || r->outcome == EMH_OUTCOME_NOT_APPLICABLE)
		return NULL;
	const char *what = r->message ? r->message : r->reason;
	if (r->nfindings && r->findings[0].found) {
		const emh_finding *f = &r->findings[0];
		return emh_arena_printf(a, "%s (%s%s%s: found %s)", what ? what : "", f->file ? f->file : "",
		                        f->file && f->pointer ? " " : "", f->pointer ? f->pointer : "", f->found);
	}
	return what ? emh_arena_strdup(a, what) : NULL;
}

static void compare(emh_arena *a, emh_submission_impact *s, const emh_dossier *da, const emh_dossier *db)
{
	s->from = da->verdict;
	s->to = db->verdict;
	s->name = emh_arena_strdup(a, db->app_name ? db->app_name : db->submission_id);
	s->changes = emh_arena_alloc(a, (da->nresults + db->nresults + 1) * sizeof *s->changes);
	if (!s->changes)
		return;
	size_t i = 0, j = 0;
	while (i < da->nresults || j < db->nresults) {
		int c = i >= da->nresults ? 1 : j >= db->nresults ? -1
		        : strcmp(da->results[i].id, db->results[j].id);
		const emh_result *ra = c <= 0 ? &da->results[i] : NULL;
		const emh_result *rb = c >= 0 ? &db->results[j] : NULL;
		i += c <= 0;
		j += c >= 0;
		/* A criterion added or removed where it does not apply changes nothing. */
		if (!ra && rb->outcome == EMH_OUTCOME_NOT_APPLICABLE)
			continue;
		if (!rb && ra->outcome == EMH_OUTCOME_NOT_APPLICABLE)
			continue;
		if (ra && rb && ra->outcome == rb->outcome)
			continue;
		emh_outcome_change *x = &s->changes[s->nchanges++];
		memset(x, 0, sizeof *x);
		x->criterion = emh_arena_strdup(a, (rb ? rb : ra)->id);
		x->severity = (rb ? rb : ra)->severity;
		x->severity_from = (ra ? ra : rb)->severity;
		x->has_from = ra != NULL;
		x->has_to = rb != NULL;
		x->from = ra ? ra->outcome : EMH_OUTCOME_NOT_APPLICABLE;
		x->to = rb ? rb->outcome : EMH_OUTCOME_NOT_APPLICABLE;
		x->detail = detail_of(a, rb);
	}
	s->changed = s->from != s->to || s->nchanges > 0;
}

typedef struct worker {
	pool *p;
	emh_arena *arena;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	pool *p = w->p;
	emh_evaluator *ea = NULL, *eb = NULL;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = p->o->as_of;
	/* Validated as the proposed set would (both sets, for a set of another format). */
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	so.validation = emh_criteria_submission_validation(p->B);
	eo.profiles = p->o->profiles;
	emh_error err = EMH_ERROR_INIT;
	if (emh_evaluator_new(&ea, p->A, &eo, &err) || emh_evaluator_new(&eb, p->B, &eo, &err)) {
		pthread_mutex_lock(&p->lock);
		p->failed = 1;
		p->err = err;
		pthread_mutex_unlock(&p->lock);
		goto done;
	}
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t k = p->next < p->n && !p->failed ? p->next++ : p->n;
		pthread_mutex_unlock(&p->lock);
		if (k >= p->n)
			break;
		item *it = &p->items[k];
		emh_submission *sub = NULL;
		emh_dossier *da = NULL, *db = NULL;
		emh_error e = EMH_ERROR_INIT;
		if (emh_submission_load(&sub, it->path, &so, &e) || emh_evaluator_run(ea, &da, sub, &e) ||
		    emh_evaluator_run(eb, &db, sub, &e)) {
			char msg[1400];
			it->res.error = emh_arena_strdup(w->arena, emh_error_format(&e, msg, sizeof msg));
		} else {
			compare(w->arena, &it->res, da, db);
		}
		emh_dossier_free(da);
		emh_dossier_free(db);
		emh_submission_free(sub);
	}
done:
	emh_evaluator_free(ea);
	emh_evaluator_free(eb);
	return NULL;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}

/* Copies a worker's result into the report's arena. */
static void adopt(emh_arena *a, emh_submission_impact *dst, const item *it)
{
	const emh_submission_impact *s = &it->res;
	*dst = *s;
	dst->path = emh_arena_strdup(a, it->path);
	dst->name = emh_arena_strdup(a, s->name);
	dst->error = emh_arena_strdup(a, s->error);
	dst->changes = s->nchanges ? emh_arena_alloc(a, s->nchanges * sizeof *dst->changes) : NULL;
	dst->nchanges = dst->changes ? s->nchanges : 0;
	for (size_t i = 0; i < dst->nchanges; i++) {
		dst->changes[i] = s->changes[i];
		dst->changes[i].criterion = emh_arena_strdup(a, s->changes[i].criterion);
		dst->changes[i].detail = emh_arena_strdup(a, s->changes[i].detail);
	}
}

static int run_pool(emh_impact_report *r, emh_arena *a, const emh_criteria *A, const emh_criteria *B,
                    const emh_impact_options *o, char **paths, size_t n, emh_error *err)
{
	pool p;
	memset(&p, 0, sizeof p);
	p.A = A;
	p.B = B;
	p.o = o;
	p.n = n;
	p.items = calloc(n ? n : 1, sizeof *p.items);
	unsigned nw = o->jobs ? o->jobs : default_jobs();
	if (nw > n)
		nw = n ? (unsigned)n : 1;
	worker *ws = calloc(nw, sizeof *ws);
	pthread_t *tids = calloc(nw, sizeof *tids);
	int rc = 0;
	if (!p.items || !ws || !tids || pthread_mutex_init(&p.lock, NULL)) {
		free(p.items);
		free(ws);
		free(tids);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		p.items[i].path = paths[i];
	unsigned started = 0;
	for (unsigned k = 0; k < nw; k++) {
		ws[k].p = &p;
		ws[k].arena = emh_arena_new();
		if (!ws[k].arena)
			break;
		/* The first worker runs here if no thread can be made. */
		if (k == 0 || pthread_create(&tids[k], NULL, work, &ws[k]) == 0)
			started = k + 1;
		else
			break;
	}
	if (started)
		work(&ws[0]);
	for (unsigned k = 1; k < started; k++)
		pthread_join(tids[k], NULL);
	if (!started || p.failed) {
		rc = p.failed ? emh_error_set(err, p.err.code ? p.err.code : EMH_EGENERIC, "%s", p.err.message)
		              : emh_error_set(err, EMH_EGENERIC, "out of memory");
	} else {
		r->submissions = emh_arena_alloc(a, (n ? n : 1) * sizeof *r->submissions);
		if (!r->submissions)
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		for (size_t i = 0; r->submissions && i < n; i++) {
			emh_submission_impact *s = &r->submissions[r->nsubmissions++];
			adopt(a, s, &p.items[i]);
			r->nerrors += s->error != NULL;
			r->nchanged += s->changed;
			r->nverdict_changed += !s->error && s->from != s->to;
			r->nnewly_rejected += !s->error && s->to == EMH_VERDICT_REJECTED && s->from != EMH_VERDICT_REJECTED;
		}
	}
	for (unsigned k = 0; k < nw; k++)
		emh_arena_free(ws[k].arena);
	pthread_mutex_destroy(&p.lock);
	free(p.items);
	free(ws);
	free(tids);
	return rc;
}

/* ---- the whole run -------------------------------------------------------- */

void emh_impact_report_free(emh_impact_report *r)
{
	if (r)
		emh_arena_free(r->arena);
}

/* Compile problems of one revision, named "REV:FILE" as git names a file at a revision. */
typedef struct side_problems {
	const emh_impact_options *o;
	const char *rev;
} side_problems;

static void name_revision(emh_error *e, const char *rev)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_appendf(&b, "%s:%s", rev, e->file);
	if (emh_buf_ok(&b) && b.len < sizeof e->file)
		memcpy(e->file, b.ptr, b.len + 1);
	emh_buf_dispose(&b);
}

static void side_problem(const emh_error *e, void *payload)
{
	side_problems *sp = payload;
	emh_error named = *e;
	name_revision(&named, sp->rev);
	sp->o->on_problem(&named, sp->o->payload);
}

static int load_side(emh_source *src, emh_criteria **set, const emh_impact_options *o, const char *rev,
                     emh_error *err)
{
	int rc = emh_source_read(src, o->repository, o->path, rev, err);
	if (rc)
		return rc;
	side_problems sp = { o, rev };
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.on_problem = o->on_problem ? side_problem : NULL;
	co.payload = &sp;
	rc = emh_criteria__compile_source(set, src, &co, NULL, err);
	if (rc && err && err->file[0])
		name_revision(err, rev);
	return rc;
}

/* Reads and compiles both revisions and fills the report's criteria part; *A and *B are the caller's. */
static int begin(emh_impact_report **out, emh_criteria **A, emh_criteria **B, const emh_impact_options *opts,
                 emh_error *err)
{
	*out = NULL;
	*A = *B = NULL;
	if (!opts || !opts->from || !opts->to)
		return emh_error_set(err, EMH_EINVALID, "impact needs two revisions (--from and --to)");
	emh_source sa = EMH_SOURCE_INIT, sb = EMH_SOURCE_INIT;
	side ja = { NULL, NULL }, jb = { NULL, NULL };
	emh_arena *a = NULL;
	int rc;
	if ((rc = load_side(&sa, A, opts, opts->from, err)) || (rc = load_side(&sb, B, opts, opts->to, err)))
		goto done;
	a = emh_arena_new();
	emh_impact_report *r = a ? emh_arena_alloc(a, sizeof *r) : NULL;
	if (!r || side_parse(&ja, &sa) || side_parse(&jb, &sb)) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	r->arena = a;
	r->repository = emh_arena_strdup(a, sa.repository);
	r->criteria_path = emh_arena_strdup(a, sa.criteria_path);
	r->from = emh_arena_strdup(a, opts->from);
	r->to = emh_arena_strdup(a, opts->to);
	r->from_commit = emh_arena_strdup(a, sa.commit);
	r->to_commit = emh_arena_strdup(a, sb.commit);
	r->from_version = emh_arena_strdup(a, (*A)->framework.version);
	r->to_version = emh_arena_strdup(a, (*B)->framework.version);
	if (diff_criteria(r, a, *A, *B, &ja, &jb)) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	*out = r;
	a = NULL;
done:
	emh_arena_free(a);
	side_dispose(&ja);
	side_dispose(&jb);
	emh_source_dispose(&sa);
	emh_source_dispose(&sb);
	if (rc) {
		emh_criteria_free(*A);
		emh_criteria_free(*B);
		*A = *B = NULL;
	}
	return rc;
}

int emh_impact(emh_impact_report **out, const emh_impact_options *opts,
               const char *const *paths, size_t npaths, emh_error *err)
{
	emh_impact_report *r = NULL;
	emh_criteria *A = NULL, *B = NULL;
	char **found = NULL;
	size_t nfound = 0;
	*out = NULL;
	int rc = begin(&r, &A, &B, opts, err);
	if (rc == 0)
		rc = emh_batch_discover(&found, &nfound, paths, npaths, err);
	if (rc == 0)
		rc = run_pool(r, r->arena, A, B, opts, found, nfound, err);
	if (rc == 0) {
		*out = r;
		r = NULL;
	}
	emh_impact_report_free(r);
	for (size_t i = 0; found && i < nfound; i++)
		free(found[i]);
	free(found);
	emh_criteria_free(A);
	emh_criteria_free(B);
	return rc;
}

/* ---- filings evaluated elsewhere (impact --ledger) ------------------------ */

int emh_impact__begin(emh_impact_report **out, emh_criteria **A, emh_criteria **B,
                      const emh_impact_options *opts, size_t capacity, emh_error *err)
{
	int rc = begin(out, A, B, opts, err);
	if (rc)
		return rc;
	(*out)->submissions = emh_arena_alloc((*out)->arena, (capacity ? capacity : 1) * sizeof *(*out)->submissions);
	if (!(*out)->submissions) {
		emh_impact_report_free(*out);
		*out = NULL;
		emh_criteria_free(*A);
		emh_criteria_free(*B);
		*A = *B = NULL;
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	return 0;
}

int emh_impact__add(emh_impact_report *r, const char *path, const emh_dossier *da, const emh_dossier *db,
                    const char *not_reevaluable, const char *error, const char *name)
{
	emh_submission_impact *s = &r->submissions[r->nsubmissions];
	memset(s, 0, sizeof *s);
	s->path = emh_arena_strdup(r->arena, path);
	if (!s->path)
		return -1;
	if (da && db) {
		compare(r->arena, s, da, db);
		if (!s->name || (s->nchanges && !s->changes))
			return -1;
		r->nchanged += s->changed;
		r->nverdict_changed += s->from != s->to;
		r->nnewly_rejected += s->to == EMH_VERDICT_REJECTED && s->from != EMH_VERDICT_REJECTED;
	} else if (error) {
		s->name = name ? emh_arena_strdup(r->arena, name) : NULL;
		if (!(s->error = emh_arena_strdup(r->arena, error)))
			return -1;
		r->nerrors++;
	} else {
		s->name = name ? emh_arena_strdup(r->arena, name) : NULL;
		s->not_reevaluable = emh_arena_strdup(r->arena, not_reevaluable ? not_reevaluable : "");
		if (!s->not_reevaluable)
			return -1;
		r->nnot_reevaluable++;
	}
	r->nsubmissions++;
	return 0;
}
