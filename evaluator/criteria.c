/*
 * criteria.c - a whole criteria set: read from git (source.c), each file
 * compiled (framework.c, compile.c), then checked as a set: unique ids,
 * known domains, prerequisites that exist and form no cycle. The result is
 * sorted by id and carries an evaluation order with prerequisites first.
 * Every problem is reported with its file, line, column and JSON pointer;
 * lint (lint.c) compiles through the same path and keeps the partial set.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/source.h"
#include "evaluator/json.h"

typedef struct sctx {
	const emh_criteria_options *opts;
	emh_error *err;
	int nproblems;
} sctx;

static void set_problem(sctx *c, const char *file, emh_loc at, const char *jptr,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void set_problem(sctx *c, const char *file, emh_loc at, const char *jptr,
                        const char *fmt, ...)
{
	emh_error e;
	va_list ap;
	va_start(ap, fmt);
	emh_json_vproblem(&e, EMH_EINVALID, NULL, NULL, file, jptr, fmt, ap); /* at is located already */
	va_end(ap);
	e.line = at.line;
	e.column = at.column;
	if (c->opts && c->opts->on_problem)
		c->opts->on_problem(&e, c->opts->payload);
	if (c->nproblems++ == 0 && c->err)
		*c->err = e;
}

static void forward_problem(const emh_error *e, void *payload)
{
	sctx *c = payload;
	if (c->opts && c->opts->on_problem)
		c->opts->on_problem(e, c->opts->payload);
	if (c->nproblems++ == 0 && c->err)
		*c->err = *e;
}

void emh_criteria__retain(const emh_criteria *set)
{
	__atomic_add_fetch(set->refs, 1u, __ATOMIC_RELAXED);
}

void emh_criteria_free(emh_criteria *c)
{
	if (!c)
		return;
	if (c->refs && __atomic_sub_fetch(c->refs, 1u, __ATOMIC_ACQ_REL) != 0)
		return;
	free(c->refs);
	for (size_t i = 0; i < c->count; i++)
		emh_criterion_dispose(&c->items[i]);
	free(c->items);
	free(c->order);
	free(c->domain_of);
	emh_framework_dispose(&c->framework);
	emh_trackers_dispose(&c->trackers);
	free(c->repository);
	free(c->source);
	free(c->path);
	free(c->rev);
	free(c);
}

static int by_id(const void *a, const void *b)
{
	const emh_criterion *x = a, *y = b;
	int r = strcmp(x->id, y->id);
	return r ? r : strcmp(x->file, y->file);
}

size_t emh_criteria__find(const emh_criteria *c, const char *id)
{
	size_t lo = 0, hi = c->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(c->items[mid].id, id);
		if (r == 0)
			return mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

static const char *item_label(const emh_criteria *c, size_t i, char *dst, size_t size)
{
	snprintf(dst, size, "%s/%s", c->path ? c->path : "criteria", c->items[i].file);
	return dst;
}

/*
 * Depth-first topological order; state: 0 new, 1 on the stack, 2 done. A
 * "requires" that leads back onto the stack closes a cycle: it is reported at
 * that entry of the requiring criterion, naming the whole cycle. The walk is a
 * loop over an explicit stack (stack[d] the criterion at depth d, next[d] its
 * next "requires" entry), so a chain of any length never becomes C recursion.
 */
static int visit(emh_criteria *c, size_t root, unsigned char *state, size_t *stack, size_t *next,
                 size_t *n, sctx *sc)
{
	size_t depth = 0;
	state[root] = 1;
	stack[0] = root;
	next[0] = 0;
	for (;;) {
		size_t i = stack[depth];
		if (next[depth] == c->items[i].nrequires) {
			state[i] = 2;
			c->order[(*n)++] = i;
			if (depth == 0)
				return 0;
			depth--;
			continue;
		}
		size_t k = next[depth]++;
		size_t j = c->items[i].requires[k];
		if (j == (size_t)-1 || state[j] == 2)
			continue; /* a missing prerequisite is reported by link_set */
		if (state[j] == 1) {
			char l[600], jp[64];
			emh_buf cyc = EMH_BUF_INIT;
			size_t from = depth;
			while (from > 0 && stack[from] != j)
				from--;
			for (size_t d = from; d <= depth; d++)
				emh_buf_appendf(&cyc, "%s -> ", c->items[stack[d]].id);
			emh_buf_puts(&cyc, c->items[j].id);
			snprintf(jp, sizeof jp, "/requires/%zu", k);
			set_problem(sc, item_label(c, i, l, sizeof l), c->items[i].loc_requires[k], jp,
			            "a cycle of \"requires\": %s", emh_buf_cstr(&cyc));
			emh_buf_dispose(&cyc);
			return -1;
		}
		/* Each criterion is on the stack at most once, so depth stays below c->count. */
		depth++;
		state[j] = 1;
		stack[depth] = j;
		next[depth] = 0;
	}
}


/*
 * Which criteria count for each profile (docs/profiles.md): one of a
 * criterion's references is in a family, or its id is included or its domain
 * listed; and it is not excluded. Names that match nothing are mistakes,
 * reported at their place in framework.json.
 */
static void link_profiles(emh_criteria *c, sctx *sc)
{
	char label[1024];
	snprintf(label, sizeof label, "%s/framework.json", c->path);
	for (size_t p = 0; p < c->framework.nprofiles; p++) {
		emh_profile *pr = &c->framework.profiles[p];
		const char *pid = pr->id ? pr->id : "?";
		char jp[128];
		free(pr->member);
		pr->member = emh_calloc(c->count ? c->count : 1, 1);
		if (!pr->member)
			return;
		size_t members = 0;
		for (size_t i = 0; i < c->count; i++) {
			const emh_criterion *it = &c->items[i];
			int in = pr->implicit;
			for (size_t f = 0; !in && f < pr->families.n; f++)
				for (size_t r = 0; !in && r < it->nreferences; r++)
					in = emh_reference_in_family(it->references[r], pr->families.items[f]);
			for (size_t k = 0; !in && k < pr->include.n; k++)
				in = strcmp(pr->include.items[k], it->id) == 0;
			for (size_t k = 0; !in && k < pr->domains.n; k++)
				in = strcmp(pr->domains.items[k], it->domain) == 0;
			for (size_t k = 0; in && k < pr->exclude.n; k++)
				in = strcmp(pr->exclude.items[k], it->id) != 0;
			pr->member[i] = (unsigned char)in;
			members += (size_t)in;
		}
		for (size_t f = 0; f < pr->families.n; f++) {
			int used = 0;
			for (size_t i = 0; !used && i < c->count; i++)
				for (size_t r = 0; !used && r < c->items[i].nreferences; r++)
					used = emh_reference_in_family(c->items[i].references[r], pr->families.items[f]);
			snprintf(jp, sizeof jp, "/profiles/%zu/families/%zu", pr->index, f);
			if (!used)
				set_problem(sc, label, pr->families.locs[f], jp,
				            "profile %s: reference family \"%s\" matches no criterion's references",
				            pid, pr->families.items[f]);
		}
		static const char *const names[] = { "include", "exclude" };
		const emh_strlist *lists[] = { &pr->include, &pr->exclude };
		for (int l = 0; l < 2; l++)
			for (size_t k = 0; k < lists[l]->n; k++) {
				snprintf(jp, sizeof jp, "/profiles/%zu/%s/%zu", pr->index, names[l], k);
				if (emh_criteria__find(c, lists[l]->items[k]) == (size_t)-1)
					set_problem(sc, label, lists[l]->locs[k], jp, "profile %s %ss %s, which is no criterion",
					            pid, names[l], lists[l]->items[k]);
			}
		for (size_t k = 0; k < pr->policy.nintegrity; k++) {
			if (emh_criteria__find(c, pr->policy.integrity[k]) != (size_t)-1)
				continue;
			if (pr->implicit)
				snprintf(jp, sizeof jp, "/verdict_policy/integrity/%zu", k);
			else
				snprintf(jp, sizeof jp, "/profiles/%zu/verdict_policy/integrity/%zu", pr->index, k);
			set_problem(sc, label, pr->policy.loc_integrity[k], jp,
			            "verdict policy names integrity criterion %s, which is no criterion",
			            pr->policy.integrity[k]);
		}
		if (!members && c->count) {
			emh_loc none = { 0, 0 };
			snprintf(jp, sizeof jp, "/profiles/%zu", pr->index);
			set_problem(sc, label, pr->families.n ? pr->families.locs[0] : none, jp,
			            "profile %s holds no criterion", pid);
		}
	}
}

static int link_set(emh_criteria *c, sctx *sc)
{
	char l[600];
	int before = sc->nproblems;
	qsort(c->items, c->count, sizeof *c->items, by_id);
	c->domain_of = emh_calloc(c->count ? c->count : 1, sizeof *c->domain_of);
	c->order = emh_calloc(c->count ? c->count : 1, sizeof *c->order);
	if (!c->domain_of || !c->order)
		return emh_error_set(sc->err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; i < c->count; i++) {
		emh_criterion *it = &c->items[i];
		if (i && strcmp(c->items[i - 1].id, it->id) == 0)
			set_problem(sc, item_label(c, i, l, sizeof l), it->loc_id, "/id",
			            "duplicate criterion id %s (also in %s)", it->id, c->items[i - 1].file);
		c->domain_of[i] = emh_framework_domain(&c->framework, it->domain);
		if (c->domain_of[i] == (size_t)-1 && c->framework.ndomains)
			set_problem(sc, item_label(c, i, l, sizeof l), it->loc_domain, "/domain",
			            "criterion %s names domain \"%s\", which framework.json does not list",
			            it->id, it->domain);
		it->requires = it->nrequires ? emh_calloc(it->nrequires, sizeof *it->requires) : NULL;
		if (it->nrequires && !it->requires) /* visit() below walks it: stop here */
			return emh_error_set(sc->err, EMH_EGENERIC, "out of memory");
		for (size_t k = 0; k < it->nrequires; k++) {
			size_t j = emh_criteria__find(c, it->requires_ids[k]);
			char jp[64];
			snprintf(jp, sizeof jp, "/requires/%zu", k);
			if (j == (size_t)-1 || j == i)
				set_problem(sc, item_label(c, i, l, sizeof l), it->loc_requires[k], jp,
				            "criterion %s requires %s, %s", it->id, it->requires_ids[k],
				            j == i ? "itself" : "which does not exist");
			it->requires[k] = j == i ? (size_t)-1 : j;
		}
	}
	link_profiles(c, sc);
	unsigned char *state = emh_calloc(c->count ? c->count : 1, 1);
	size_t *stack = emh_calloc(c->count ? c->count : 1, sizeof *stack);
	size_t *next = emh_calloc(c->count ? c->count : 1, sizeof *next);
	size_t n = 0;
	int rc = state && stack && next ? 0 : emh_error_set(sc->err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; i < c->count && rc == 0; i++)
		if (state[i] == 0)
			rc = visit(c, i, state, stack, next, &n, sc);
	free(state);
	free(stack);
	free(next);
	return rc || sc->nproblems != before ? EMH_EINVALID : 0;
}

int emh_criteria__compile_partial(emh_criteria **out, const emh_criteria_file *files,
                                  size_t nfiles, const emh_criteria_options *opts,
                                  int keep_partial, size_t *nproblems, emh_error *err)
{
	*out = NULL;
	*nproblems = 0;
	sctx sc = { opts, err, 0 };
	/* Compiling copies hundreds of strings and trees; one lost copy fails the whole set (below). */
	unsigned long lost = emh_alloc_failures(), trees = emh_json_alloc_failures(), bufs = emh_buf_alloc_failures();
	emh_criteria *c = emh_calloc(1, sizeof *c);
	if (c && !(c->refs = emh_calloc(1, sizeof *c->refs))) {
		free(c);
		c = NULL;
	}
	if (!c)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	*c->refs = 1;
	c->path = emh_strdup(opts && opts->path ? opts->path : "criteria");
	if (!c->path) { /* every label and message below names it: a set without one is no set */
		emh_criteria_free(c);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	char label[1024];
	const emh_criteria_file *fwf = NULL;
	for (size_t i = 0; i < nfiles; i++)
		if (strcmp(files[i].path, "framework.json") == 0)
			fwf = &files[i];
	if (!fwf) {
		/* The message names c->path, so it is written before c is freed. */
		int rc = emh_error_set(err, EMH_ENOTFOUND, "no framework.json in the criteria folder %s",
		                       c->path ? c->path : "criteria");
		emh_criteria_free(c);
		return rc;
	}
	snprintf(label, sizeof label, "%s/framework.json", c->path);
	emh_error fe = EMH_ERROR_INIT;
	c->framework_ok = emh_framework_compile(&c->framework, fwf->data, fwf->len, label,
	                                        forward_problem, &sc, keep_partial, &fe) == 0;
	c->items = emh_calloc(nfiles ? nfiles : 1, sizeof *c->items);
	if (!c->items) {
		emh_criteria_free(c);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	/* Criteria compile even when framework.json does not, so every problem shows. */
	for (size_t i = 0; i < nfiles; i++) {
		if (&files[i] == fwf)
			continue;
		if (strcmp(files[i].path, "trackers.json") == 0) {
			snprintf(label, sizeof label, "%s/trackers.json", c->path);
			emh_trackers_compile(&c->trackers, files[i].data, files[i].len, label, forward_problem, &sc);
			continue;
		}
		snprintf(label, sizeof label, "%s/%s", c->path, files[i].path);
		emh_error ce = EMH_ERROR_INIT;
		emh_criterion *it = &c->items[c->count];
		if (emh_criterion_compile(it, files[i].data, files[i].len, files[i].path,
		                          label, forward_problem, &sc, keep_partial, &ce) == 0 ||
		    (keep_partial && it->id && it->domain && it->file))
			c->count++;
		else
			emh_criterion_dispose(it);
	}
	if (emh_alloc_failures() != lost || emh_json_alloc_failures() != trees || emh_buf_alloc_failures() != bufs) {
		/* Before linking: a criterion whose id could not be copied has none to sort by. */
		emh_criteria_free(c);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	if (sc.nproblems == 0 && c->count == 0) {
		emh_loc none = { 0, 0 };
		set_problem(&sc, c->path, none, NULL, "the criteria folder %s holds no criteria (DOMAIN/ID.json)",
		            c->path);
	}
	/* The set's own checks run on whatever compiled, so lint sees them all. */
	int before = sc.nproblems;
	if (c->count && link_set(c, &sc) == 0 && before == 0)
		c->linked = 1;
	if (emh_alloc_failures() != lost || emh_json_alloc_failures() != trees || emh_buf_alloc_failures() != bufs) {
		/* A criterion or framework field that could not be copied would be missing, not wrong. */
		emh_criteria_free(c);
		*nproblems = 0;
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	*nproblems = (size_t)sc.nproblems;
	*out = c;
	return 0;
}

int emh_criteria_compile(emh_criteria **out, const emh_criteria_file *files,
                         size_t nfiles, const emh_criteria_options *opts,
                         emh_error *err)
{
	size_t nproblems = 0;
	int rc = emh_criteria__compile_partial(out, files, nfiles, opts, 0, &nproblems, err);
	if (rc == 0 && (nproblems || !(*out)->linked)) {
		emh_criteria_free(*out);
		*out = NULL;
		return err && err->code ? err->code : EMH_EINVALID;
	}
	return rc;
}

int emh_criteria__compile_source(emh_criteria **out, const emh_source *src,
                                 const emh_criteria_options *opts, size_t *nproblems,
                                 emh_error *err)
{
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	if (opts)
		o = *opts;
	o.path = src->criteria_path;
	*out = NULL;
	emh_criteria_file *files = emh_calloc(src->nfiles ? src->nfiles : 1, sizeof *files);
	if (!files)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < src->nfiles; i++) {
		if (!emh_source_is_criteria_path(src->files[i].path))
			continue;
		files[n].path = src->files[i].path;
		files[n].data = src->files[i].data;
		files[n].len = src->files[i].len;
		n++;
	}
	size_t np = 0;
	int rc = emh_criteria__compile_partial(out, files, n, &o, nproblems != NULL, &np, err);
	free(files);
	if (rc)
		return rc;
	emh_criteria *c = *out;
	c->repository = emh_strdup(src->repository ? src->repository : ".");
	c->rev = emh_strdup(src->rev ? src->rev : "HEAD");
	c->source = src->name ? emh_strdup(src->name) : NULL;
	memcpy(c->commit, src->commit, sizeof c->commit);
	memcpy(c->tree, src->tree, sizeof c->tree);
	if (!c->repository || !c->rev || (src->name && !c->source)) {
		emh_criteria_free(c);
		*out = NULL;
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	if (nproblems) {
		*nproblems = np;
		return 0;
	}
	if (np || !c->linked) {
		emh_criteria_free(c);
		*out = NULL;
		return err && err->code ? err->code : EMH_EINVALID;
	}
	return 0;
}

int emh_criteria_load(emh_criteria **out, const emh_criteria_options *opts,
                      emh_error *err)
{
	*out = NULL;
	emh_source src = EMH_SOURCE_INIT;
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	if (opts)
		o = *opts;
	int rc = emh_source_read(&src, o.repository, o.path, o.rev, err);
	if (rc == 0)
		rc = emh_criteria__compile_source(out, &src, &o, NULL, err);
	emh_source_dispose(&src);
	return rc;
}

size_t emh_criteria_count(const emh_criteria *c) { return c->count; }
const char *emh_criteria_framework_name(const emh_criteria *c) { return c->framework.name; }
const char *emh_criteria_framework_version(const emh_criteria *c) { return c->framework.version; }
int emh_criteria_submission_validation(const emh_criteria *c) { return c ? c->framework.validation : 0; }
const char *emh_criteria_commit(const emh_criteria *c) { return c->commit; }
const char *emh_criteria_tree(const emh_criteria *c) { return c->tree; }
const char *emh_criteria_source(const emh_criteria *c) { return c->source; }

int emh_criteria_get(const emh_criteria *c, size_t i, emh_criterion_info *out)
{
	if (i >= c->count)
		return EMH_ENOTFOUND;
	const emh_criterion *it = &c->items[i];
	out->id = it->id;
	out->version = it->version;
	out->title = it->title;
	out->domain = it->domain;
	out->severity = emh_severity_name(it->severity);
	out->references = (const char *const *)it->references;
	out->nreferences = it->nreferences;
	out->manual = it->manual;
	out->applies_when = it->applies_when_text;
	out->requires = (const char *const *)it->requires_ids;
	out->nrequires = it->nrequires;
	out->guidance = it->guidance;
	out->fail_message = it->fail_message;
	out->remediation = it->remediation;
	out->file = it->file;
	return 0;
}

size_t emh_criteria_domain_count(const emh_criteria *c)
{
	return c->framework.ndomains;
}

int emh_criteria_domain(const emh_criteria *c, size_t i, const char **id,
                        const char **title, const char **category)
{
	if (i >= c->framework.ndomains)
		return EMH_ENOTFOUND;
	*id = c->framework.domains[i].id;
	*title = c->framework.domains[i].title;
	*category = c->framework.domains[i].category;
	return 0;
}

/* Collects the as_of-anchored within_days tests of n, outside quantifiers (whose paths are relative). */
static void collect_windows(const emh_node *n, emh_date_window *out, size_t max, size_t *count)
{
	if (!n)
		return;
	if (n->kind == EMH_NODE_TEST && (n->preds & EMH_P_WITHIN_DAYS) &&
	    (n->within_of.kind == EMH_ANCHOR_NONE || n->within_of.kind == EMH_ANCHOR_AS_OF)) {
		if (*count < max) {
			out[*count].path = n->path.text;
			out[*count].days = n->within_days;
		}
		(*count)++;
	}
	if (n->kind == EMH_NODE_AND || n->kind == EMH_NODE_OR || n->kind == EMH_NODE_NOT)
		for (size_t k = 0; k < n->nkids; k++)
			collect_windows(n->kids[k], out, max, count);
}

size_t emh_criteria_windows(const emh_criteria *c, size_t i, emh_date_window *out, size_t max)
{
	size_t count = 0;
	if (i < c->count)
		collect_windows(c->items[i].check, out, max, &count);
	return count;
}
