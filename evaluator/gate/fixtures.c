/*
 * fixtures.c - `emheval test`: criteria carry their own fixtures, small
 * submissions that must pass and must fail each criterion, and this runs them.
 *
 * Fixtures live beside the criteria, in DOMAIN/fixtures/ID.KIND[-LABEL].json
 * (KIND: pass, fail, na, review or error), out of the evaluation path (the
 * criteria reader keeps only DOMAIN/ID.json). They are read from git at the
 * same commit as the criteria, so a fixture always tests the criterion of its
 * own revision. A fixture file is
 *
 *   {"description": "...", "as_of": "YYYY-MM-DD",
 *    "submission": { ...submission.json... },
 *    "evidence": {"privacy-policy.md": "the file's text", ...}}
 *
 * where the submission's evidence list names the files by path and "evidence"
 * gives their text. Each fixture runs against its criterion alone, with the
 * criterion's prerequisites taken as passed (they have fixtures of their own),
 * so a fixture stays small. Coverage counts, for every automatic check, the
 * pass and fail fixtures; manual criteria are needs_review by nature and need
 * none. docs/criteria-authoring.md describes the format for authors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/gate.h"
#include "emheval/eval.h"
#include "evaluator/eval_internal.h"
#include "evaluator/json.h"
#include "evaluator/source.h"

/* "DOMAIN/fixtures/NAME.json", exactly three levels down. */
static int is_fixture_path(const char *path)
{
	const char *a = strchr(path, '/');
	if (!a || a == path || strncmp(a, "/fixtures/", 10) != 0)
		return 0;
	const char *name = a + 10;
	size_t n = strlen(name);
	return n > 5 && !strchr(name, '/') && strcmp(name + n - 5, ".json") == 0;
}

static int want(const char *path, void *payload)
{
	(void)payload;
	return emh_source_is_criteria_path(path) || is_fixture_path(path);
}

static const struct { const char *name; emh_outcome outcome; } kinds[] = {
	{ "pass", EMH_OUTCOME_PASS }, { "fail", EMH_OUTCOME_FAIL },
	{ "na", EMH_OUTCOME_NOT_APPLICABLE }, { "review", EMH_OUTCOME_NEEDS_REVIEW },
	{ "error", EMH_OUTCOME_ERROR },
};

/*
 * Splits "ID.KIND[-LABEL]" (the file name without .json). Ids are upper case
 * ([A-Z0-9][A-Z0-9.-]*), so the first '.' followed by a lower-case letter
 * starts the kind. Returns 0, or -1 when the name does not have that form.
 */
static int parse_name(emh_arena *a, const char *stem, const char **id, emh_outcome *kind,
                      const char **label)
{
	const char *dot = stem;
	while ((dot = strchr(dot, '.')) && !(dot[1] >= 'a' && dot[1] <= 'z'))
		dot++;
	if (!dot || dot == stem)
		return -1;
	const char *k = dot + 1;
	size_t kn = strcspn(k, "-");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strlen(kinds[i].name) != kn || strncmp(k, kinds[i].name, kn) != 0)
			continue;
		if (k[kn] == '-' && !k[kn + 1])
			return -1;
		*id = emh_arena_strndup(a, stem, (size_t)(dot - stem));
		*kind = kinds[i].outcome;
		*label = k[kn] == '-' ? emh_arena_strdup(a, k + kn + 1) : NULL;
		return 0;
	}
	return -1;
}

typedef struct fctx {
	emh_arena *a;
	emh_fixture_result *res; /* the one being run */
	const emh_json *doc;     /* its file */
} fctx;

static void fixture_problem(fctx *c, const cJSON *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fixture_problem(fctx *c, const cJSON *at, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->res->problem = emh_arena_strdup(c->a, msg);
	c->res->ok = 0;
	size_t off = 0;
	if (at && c->doc)
		emh_json_locate(c->doc, at, &c->res->line, &c->res->column, &off);
}

/* The fixture's findings, with line and column in the fixture file itself. */
static void keep_findings(fctx *c, const emh_result *r)
{
	if (!r->nfindings)
		return;
	emh_finding *f = emh_arena_alloc(c->a, r->nfindings * sizeof *f);
	if (!f)
		return;
	for (size_t i = 0; i < r->nfindings; i++) {
		f[i] = r->findings[i];
		if (f[i].file || !f[i].pointer)
			continue;
		emh_buf p = EMH_BUF_INIT;
		emh_buf_puts(&p, "/submission");
		emh_buf_puts(&p, f[i].pointer);
		const char *ptr = emh_buf_cstr(&p);
		/* A missing value is located at the nearest value that exists. */
		char *q = strdup(ptr);
		f[i].line = f[i].column = 0;
		while (q) {
			const cJSON *n = emh_json_resolve(c->doc, q);
			size_t off = 0;
			if (n && emh_json_locate(c->doc, n, &f[i].line, &f[i].column, &off) == 0) {
				f[i].offset = off;
				break;
			}
			char *slash = strrchr(q, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
		free(q);
		emh_buf_dispose(&p);
	}
	c->res->findings = f;
	c->res->nfindings = r->nfindings;
}

static const char *const fixture_keys[] = { "description", "as_of", "submission", "evidence" };

/* Runs one fixture file against its criterion (index ci of set). */
static void run_fixture(fctx *c, const emh_criteria *set, size_t ci, emh_evaluator *dflt,
                        const emh_source_file *file)
{
	emh_fixture_result *res = c->res;
	emh_json *doc = NULL;
	emh_submission *sub = NULL;
	emh_evaluator *own = NULL;
	emh_submission_file *files = NULL;
	char *json = NULL;
	emh_error e = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.reject_nul = 1;
	if (emh_json_parse(&doc, file->data, file->len, res->file, &lim, &e)) {
		res->problem = emh_arena_printf(c->a, "not valid JSON: %s", e.message);
		res->line = e.line;
		res->column = e.column;
		goto done;
	}
	c->doc = doc;
	const cJSON *root = emh_json_root(doc);
	if (!cJSON_IsObject(root)) {
		fixture_problem(c, root, "a fixture is an object {\"submission\", \"evidence\", \"as_of\", \"description\"}");
		goto done;
	}
	for (const cJSON *m = root->child; m; m = m->next) {
		int known = 0;
		for (size_t i = 0; i < sizeof fixture_keys / sizeof fixture_keys[0]; i++)
			known |= strcmp(m->string, fixture_keys[i]) == 0;
		if (!known) {
			fixture_problem(c, m, "unknown key \"%s\" in a fixture (expected submission, evidence, "
			                "as_of, description)", m->string);
			goto done;
		}
	}
	const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
	const cJSON *as_of = cJSON_GetObjectItemCaseSensitive(root, "as_of");
	const cJSON *subj = cJSON_GetObjectItemCaseSensitive(root, "submission");
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(root, "evidence");
	long day;
	if (desc && !cJSON_IsString(desc)) {
		fixture_problem(c, desc, "\"description\" must be a string");
		goto done;
	}
	res->description = desc ? emh_arena_strdup(c->a, desc->valuestring) : NULL;
	if (as_of && (!cJSON_IsString(as_of) || emh_date_parse(&day, as_of->valuestring))) {
		fixture_problem(c, as_of, "\"as_of\" must be a date YYYY-MM-DD");
		goto done;
	}
	if (!cJSON_IsObject(subj)) {
		fixture_problem(c, subj ? subj : root, "a fixture needs \"submission\": the submission.json object");
		goto done;
	}
	size_t nfiles = 0;
	if (ev && !cJSON_IsObject(ev)) {
		fixture_problem(c, ev, "\"evidence\" must be an object of path: text");
		goto done;
	}
	files = calloc((size_t)(ev ? cJSON_GetArraySize(ev) : 0) + 1, sizeof *files);
	for (const cJSON *m = ev ? ev->child : NULL; files && m; m = m->next) {
		if (!cJSON_IsString(m)) {
			fixture_problem(c, m, "evidence \"%s\" must be the file's text (a string)", m->string);
			goto done;
		}
		files[nfiles].path = m->string;
		files[nfiles].data = m->valuestring;
		files[nfiles].len = strlen(m->valuestring);
		nfiles++;
	}
	json = cJSON_PrintUnformatted(subj);
	if (!files || !json) {
		res->problem = "out of memory";
		goto done;
	}
	char label[1100];
	snprintf(label, sizeof label, "%s#/submission", res->file);
	/* A fixture holds the members its criterion reads: every schema rule but the root's required. */
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	so.validation = EMH_VALIDATE_FRAGMENT;
	if (emh_submission_load_memory(&sub, json, strlen(json), label, files, nfiles, &so, &e)) {
		/* Located in the fixture file: the pointer is into its "submission" member. */
		const cJSON *at = subj, *deepest = NULL;
		emh_ptr p;
		emh_error pe = EMH_ERROR_INIT;
		if (e.pointer[0] && emh_ptr_compile(&p, e.pointer, &pe) == 0) {
			at = emh_ptr_resolve(&p, subj, &deepest);
			if (!at)
				at = deepest ? deepest : subj;
			emh_ptr_dispose(&p);
		}
		fixture_problem(c, at, "the submission is invalid: %s%s%s", e.message,
		                e.pointer[0] ? " at /submission" : "", e.pointer);
		goto done;
	}
	emh_evaluator *ev_use = dflt;
	if (as_of) {
		emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
		eo.as_of = as_of->valuestring;
		if (emh_evaluator_new(&own, set, &eo, &e)) {
			fixture_problem(c, as_of, "%s", e.message);
			goto done;
		}
		ev_use = own;
	}
	emh_result r;
	if (emh_evaluator__run_alone(ev_use, ci, sub, c->a, &r, &e)) {
		res->problem = emh_arena_strdup(c->a, e.message);
		goto done;
	}
	res->evaluated = 1;
	res->got = r.outcome;
	res->reason = r.reason ? emh_arena_strdup(c->a, r.reason) : NULL;
	res->ok = r.outcome == res->expected;
	if (!res->ok) {
		const char *why = "";
		if (r.outcome == EMH_OUTCOME_NOT_APPLICABLE)
			why = ": its applies_when does not hold for this submission";
		else if (r.outcome == EMH_OUTCOME_ERROR)
			why = ": the submission's data has the wrong type for the check";
		res->problem = emh_arena_printf(c->a, "expected %s, got %s%s", emh_outcome_name(res->expected),
		                                emh_outcome_name(r.outcome), why);
		keep_findings(c, &r);
	}
done:
	emh_evaluator_free(own);
	emh_submission_free(sub);
	cJSON_free(json);
	free(files);
	emh_json_free(doc);
	c->doc = NULL;
}

static size_t find_criterion(const emh_criteria *set, const char *id)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->items[i].id, id) == 0)
			return i;
	return (size_t)-1;
}

void emh_fixture_report_free(emh_fixture_report *r)
{
	if (r)
		emh_arena_free(r->arena);
}

int emh_fixture_report_ok(const emh_fixture_report *r)
{
	return r->nbad == 0 && r->nmissing_pass == 0 && r->nmissing_fail == 0;
}

int emh_fixtures_run(emh_fixture_report **out, const emh_fixture_options *opts, emh_error *err)
{
	*out = NULL;
	emh_fixture_options o = EMH_FIXTURE_OPTIONS_INIT;
	if (opts)
		o = *opts;
	emh_source src = EMH_SOURCE_INIT;
	emh_criteria *set = NULL;
	emh_evaluator *dflt = NULL;
	emh_arena *a = NULL;
	int rc = emh_source_read_files(&src, o.source.repository, o.source.path, o.source.rev, want, NULL, 3, err);
	if (rc)
		goto done;
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.on_problem = o.on_problem;
	co.payload = o.payload;
	if ((rc = emh_criteria__compile_source(&set, &src, &co, NULL, err)))
		goto done;
	if ((rc = emh_evaluator_new(&dflt, set, NULL, err)))
		goto done;
	a = emh_arena_new();
	emh_fixture_report *r = a ? emh_arena_alloc(a, sizeof *r) : NULL;
	size_t nfix = 0;
	for (size_t i = 0; i < src.nfiles; i++)
		nfix += is_fixture_path(src.files[i].path);
	if (r) {
		r->arena = a;
		r->fixtures = emh_arena_alloc(a, (nfix ? nfix : 1) * sizeof *r->fixtures);
		r->coverage = emh_arena_alloc(a, (set->count ? set->count : 1) * sizeof *r->coverage);
	}
	if (!r || !r->fixtures || !r->coverage) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	r->repository = emh_arena_strdup(a, src.repository);
	r->criteria_path = emh_arena_strdup(a, src.criteria_path);
	r->rev = emh_arena_strdup(a, src.rev);
	r->commit = emh_arena_strdup(a, src.commit);
	r->framework_version = emh_arena_strdup(a, set->framework.version);
	r->ncoverage = set->count;
	for (size_t i = 0; i < set->count; i++) {
		r->coverage[i].criterion = set->items[i].id;
		r->coverage[i].file = emh_arena_printf(a, "%s/%s", src.criteria_path, set->items[i].file);
		r->coverage[i].manual = set->items[i].manual;
		r->nchecks += !set->items[i].manual;
	}
	/* Criterion strings are borrowed from the set: copy them before it goes. */
	for (size_t i = 0; i < set->count; i++)
		r->coverage[i].criterion = emh_arena_strdup(a, r->coverage[i].criterion);
	for (size_t i = 0; i < src.nfiles; i++) {
		const emh_source_file *f = &src.files[i];
		if (!is_fixture_path(f->path))
			continue;
		emh_fixture_result *res = &r->fixtures[r->nfixtures++];
		fctx c = { a, res, NULL };
		res->file = emh_arena_printf(a, "%s/%s", src.criteria_path, f->path);
		const char *name = strrchr(f->path, '/') + 1;
		char *stem = emh_arena_strndup(a, name, strlen(name) - 5);
		const char *id = NULL, *label = NULL;
		emh_outcome kind = EMH_OUTCOME_PASS;
		if (!stem || parse_name(a, stem, &id, &kind, &label)) {
			res->problem = "a fixture's name is ID.KIND.json or ID.KIND-LABEL.json, KIND one of "
			               "pass, fail, na, review, error";
			continue;
		}
		res->criterion = id;
		res->label = label;
		res->expected = kind;
		size_t ci = find_criterion(set, id);
		if (ci == (size_t)-1) {
			res->problem = emh_arena_printf(a, "no criterion %s in the set (a fixture of a removed "
			                                "or renamed criterion?)", id);
			continue;
		}
		const emh_criterion *cr = &set->items[ci];
		size_t dlen = strlen(cr->domain);
		if (strncmp(f->path, cr->domain, dlen) != 0 || f->path[dlen] != '/') {
			res->problem = emh_arena_printf(a, "%s is in the domain %s: its fixtures go in %s/fixtures/",
			                                id, cr->domain, cr->domain);
			continue;
		}
		emh_fixture_coverage *cov = &r->coverage[ci];
		if (kind == EMH_OUTCOME_PASS)
			cov->npass++;
		else if (kind == EMH_OUTCOME_FAIL)
			cov->nfail++;
		else
			cov->nother++;
		if (cr->manual && (kind == EMH_OUTCOME_PASS || kind == EMH_OUTCOME_FAIL || kind == EMH_OUTCOME_ERROR)) {
			res->problem = emh_arena_printf(a, "%s is a manual criterion: it is needs_review until a "
			                                "reviewer decides (only .na and .review fixtures apply)", id);
			continue;
		}
		run_fixture(&c, set, ci, dflt, f);
	}
	for (size_t i = 0; i < r->nfixtures; i++)
		r->nbad += !r->fixtures[i].ok;
	for (size_t i = 0; i < r->ncoverage; i++) {
		if (r->coverage[i].manual)
			continue;
		r->nmissing_pass += r->coverage[i].npass == 0;
		r->nmissing_fail += r->coverage[i].nfail == 0;
	}
	/* Outcome reasons and findings may point into the set: make them the report's. */
	for (size_t i = 0; i < r->nfixtures; i++) {
		emh_fixture_result *res = &r->fixtures[i];
		for (size_t k = 0; k < res->nfindings; k++) {
			emh_finding *fd = &res->findings[k];
			fd->pointer = emh_arena_strdup(a, fd->pointer);
			fd->file = emh_arena_strdup(a, fd->file);
			fd->expected = emh_arena_strdup(a, fd->expected);
			fd->found = emh_arena_strdup(a, fd->found);
			fd->excerpt = emh_arena_strdup(a, fd->excerpt);
			fd->pattern = emh_arena_strdup(a, fd->pattern);
		}
	}
	*out = r;
	a = NULL;
done:
	emh_arena_free(a);
	emh_evaluator_free(dflt);
	emh_criteria_free(set);
	emh_source_dispose(&src);
	return rc;
}
