/*
 * lint.c - `emheval lint`: every defect of a criteria set, located like a
 * compiler error, and with a base revision the versioning mistakes of a change.
 *
 * The compiler (framework.c, compile.c, criteria.c) already checks the schema,
 * ids, regexes, pointers, domains and dependencies, and reports each problem
 * with file, line, column and JSON pointer; lint collects those through the
 * same on_problem callback rather than checking again. What compiling does not
 * decide, lint adds on the compiled (possibly partial) set:
 *  - references that the framework's catalogue does not list;
 *  - expressions that can never pass: predicates needing different types in one
 *    test ("type": "string" with "ge"), empty ranges (ge 5, le 3), and the same
 *    path needing different types in two tests of a criterion, or in the checks
 *    of two criteria (a path matched as a string here and typed integer there);
 *  - retired ids that are still (or again) in use, and framework versions that
 *    are not MAJOR.MINOR.PATCH;
 *  - with a base: a criterion whose meaning changed without a version bump, a
 *    removed criterion not listed as retired, a framework version not bumped.
 * The rules are listed in docs/gate.md.
 */
#include <ctype.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/gate.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/gate/gate_internal.h"
#include "evaluator/json.h"
#include "evaluator/source.h"

/* A file of the linted set: its bytes and (when it parses) its JSON. */
typedef struct lint_file {
	const char *path;      /* relative to the criteria folder */
	char *label;           /* path in the repository: CPATH/path */
	char *id;              /* criterion id from the file name, NULL for framework.json */
	const char *data;
	size_t len;
	emh_json *doc;         /* NULL when the file is not valid JSON */
} lint_file;

typedef struct lint_ctx {
	emh_lint_report *r;
	emh_arena *a;
	lint_file *files;
	size_t nfiles;
	const char *cpath;
	emh_lint_finding *found; /* grows, copied into the arena at the end */
	size_t nfound, capfound;
	int oom;
} lint_ctx;

/* ---- findings ----------------------------------------------------------- */

static lint_file *file_by_label(lint_ctx *c, const char *label)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].label, label) == 0)
			return &c->files[i];
	return NULL;
}

static lint_file *file_by_path(lint_ctx *c, const char *path)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return &c->files[i];
	return NULL;
}

/* The text of line `line` of f (1-based), for a caret under the column. */
static const char *line_text(lint_ctx *c, const lint_file *f, unsigned line)
{
	if (!f || !line)
		return NULL;
	const char *p = f->data, *end = f->data + f->len;
	for (unsigned l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (n && p[n - 1] == '\r')
		n--;
	return emh_arena_strndup(c->a, p, n > 400 ? 400 : n);
}

static void add_finding(lint_ctx *c, const lint_file *f, const char *label, unsigned line,
                        unsigned col, const char *pointer, const char *rule, const char *msg)
{
	if (c->nfound == c->capfound) {
		size_t ncap = c->capfound ? c->capfound * 2 : 32;
		emh_lint_finding *n = realloc(c->found, ncap * sizeof *n);
		if (!n) {
			c->oom = 1;
			return;
		}
		c->found = n;
		c->capfound = ncap;
	}
	emh_lint_finding *x = &c->found[c->nfound++];
	memset(x, 0, sizeof *x);
	x->file = emh_arena_strdup(c->a, f ? f->label : label);
	x->line = line;
	x->column = col;
	x->pointer = emh_arena_strdup(c->a, pointer ? pointer : "");
	x->rule = rule;
	x->message = emh_arena_strdup(c->a, msg);
	x->criterion = f && f->id ? emh_arena_strdup(c->a, f->id) : NULL;
	x->source_line = line_text(c, f, line);
}

/*
 * Finds where pointer is in f: the value itself, or else the nearest
 * enclosing value that exists (1:1 for a file that does not parse).
 */
static void locate_pointer(const lint_file *f, const char *pointer, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	if (!f || !f->doc)
		return;
	char *p = strdup(pointer ? pointer : "");
	while (p) {
		const cJSON *n = emh_json_resolve(f->doc, p);
		size_t off = 0;
		if (n && emh_json_locate(f->doc, n, line, col, &off) == 0)
			break;
		char *slash = strrchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	free(p);
}

static void finding_at(lint_ctx *c, const lint_file *f, const char *pointer, const char *rule,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void finding_at(lint_ctx *c, const lint_file *f, const char *pointer, const char *rule,
                       const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	unsigned line, col;
	locate_pointer(f, pointer, &line, &col);
	add_finding(c, f, NULL, line, col, pointer, rule, msg);
}

/*
 * The rule of a problem the compiler reported, from what it is about: the
 * compiler does not name rules, but the file and the JSON pointer say which
 * part of the format was broken.
 */
static const char *compile_rule(const lint_file *f, const emh_error *e)
{
	const char *p = e->pointer;
	if (f && !f->doc)
		return "json";
	if (f && strcmp(f->path, "trackers.json") == 0)
		return "catalogue";
	if (f && !f->id)
		return "framework";
	if (strncmp(p, "/requires", 9) == 0)
		return "requires";
	if (strcmp(p, "/id") == 0 && strstr(e->message, "duplicate"))
		return "duplicate-id";
	if (strncmp(p, "/check", 6) == 0 || strncmp(p, "/applies_when", 13) == 0) {
		const char *last = strrchr(p, '/');
		if (strcmp(last, "/matches") == 0 || strcmp(last, "/not_matches") == 0 ||
		    strcmp(last, "/flags") == 0 || strstr(p, "/not_states") || strstr(p, "/states"))
			return "regex";
		if (strcmp(last, "/path") == 0 || strcmp(last, "/unique") == 0 || strstr(e->message, "JSON pointer"))
			return "pointer";
		return "expression";
	}
	return "schema";
}

static void on_compile_problem(const emh_error *e, void *payload)
{
	lint_ctx *c = payload;
	lint_file *f = file_by_label(c, e->file);
	unsigned line = e->line, col = e->column;
	/* A problem of the whole folder (no criteria in it) belongs to framework.json. */
	if (!f) {
		f = file_by_path(c, "framework.json");
		line = col = 0;
	}
	if (!line && f)
		locate_pointer(f, e->pointer, &line, &col);
	add_finding(c, f, e->file, line, col, e->pointer, compile_rule(f, e), e->message);
}

/* ---- types of values ---------------------------------------------------- */

enum { T_STR = 1, T_NUM = 2, T_BOOL = 4, T_NULL = 8, T_ARR = 16, T_OBJ = 32, T_ANY = 63 };

static unsigned json_mask(const cJSON *v)
{
	if (cJSON_IsString(v))
		return T_STR;
	if (cJSON_IsNumber(v))
		return T_NUM;
	if (cJSON_IsBool(v))
		return T_BOOL;
	if (cJSON_IsNull(v))
		return T_NULL;
	if (cJSON_IsArray(v))
		return T_ARR;
	return T_OBJ;
}

static unsigned type_mask(emh_type t)
{
	switch (t) {
	case EMH_TYPE_STRING: case EMH_TYPE_DATE: return T_STR;
	case EMH_TYPE_NUMBER: case EMH_TYPE_INTEGER: return T_NUM;
	case EMH_TYPE_BOOLEAN: return T_BOOL;
	case EMH_TYPE_NULL: return T_NULL;
	case EMH_TYPE_ARRAY: return T_ARR;
	case EMH_TYPE_OBJECT: return T_OBJ;
	case EMH_TYPE_NONE: break;
	}
	return T_ANY;
}

/* "a string", "a number or a boolean", ... */
static void mask_words(unsigned m, char *dst, size_t size)
{
	static const char *const names[] = { "a string", "a number", "a boolean", "null",
	                                     "an array", "an object" };
	size_t n = 0;
	dst[0] = '\0';
	for (unsigned b = 0; b < 6; b++) {
		if (!(m & (1u << b)))
			continue;
		n += (size_t)snprintf(dst + n, n < size ? size - n : 0, "%s%s", n ? " or " : "", names[b]);
	}
}

/* A predicate of a test with the types it can hold on. */
typedef struct pred_need {
	const char *name;
	unsigned mask;
} pred_need;

static size_t test_needs(const emh_node *n, pred_need *out)
{
	size_t k = 0;
	unsigned p = n->preds;
	if (p & EMH_P_TYPE) out[k++] = (pred_need){ "type", type_mask(n->type) };
	if (p & EMH_P_EQ) out[k++] = (pred_need){ "eq", json_mask(n->eq) };
	if (p & EMH_P_IN) {
		unsigned m = 0;
		for (const cJSON *v = n->in->child; v; v = v->next)
			m |= json_mask(v);
		out[k++] = (pred_need){ "in", m };
	}
	static const struct { unsigned bit; const char *name; unsigned mask; } simple[] = {
		{ EMH_P_LT, "lt", T_NUM }, { EMH_P_LE, "le", T_NUM }, { EMH_P_GT, "gt", T_NUM },
		{ EMH_P_GE, "ge", T_NUM }, { EMH_P_MIN_LENGTH, "min_length", T_STR | T_ARR },
		{ EMH_P_MAX_LENGTH, "max_length", T_STR | T_ARR }, { EMH_P_MATCHES, "matches", T_STR },
		{ EMH_P_NOT_MATCHES, "not_matches", T_STR }, { EMH_P_BEFORE, "before", T_STR },
		{ EMH_P_AFTER, "after", T_STR }, { EMH_P_WITHIN_DAYS, "within_days", T_STR },
		{ EMH_P_WHERE, "where", T_ARR }, { EMH_P_ALL, "all", T_ARR }, { EMH_P_ANY, "any", T_ARR },
		{ EMH_P_NONE, "none", T_ARR }, { EMH_P_MIN_COUNT, "min_count", T_ARR },
		{ EMH_P_MAX_COUNT, "max_count", T_ARR }, { EMH_P_UNIQUE, "unique", T_ARR },
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
		if (p & simple[i].bit)
			out[k++] = (pred_need){ simple[i].name, simple[i].mask };
	return k;
}

static char *pred_ptr(const emh_node *n, const char *pred)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, n->where_in_file ? n->where_in_file : "");
	emh_buf_appendf(&b, "/%s", pred);
	return emh_buf_detach(&b, NULL);
}

/* ---- expressions that can never pass --------------------------------------- */

/* A test asserted on a path (outside or, not, none and where), for the checks across tests. */
typedef struct path_claim {
	char *path;            /* absolute; each array element adds the token "*" */
	unsigned mask;         /* the types the test allows */
	const char *pred;      /* the predicate that narrowed it most */
	char *pointer;         /* where in the criterion file */
	size_t item;           /* criterion index in the set */
	int in_check;          /* from "check" (not "applies_when") */
} path_claim;

typedef struct claims {
	path_claim *v;
	size_t n, cap;
} claims;

static void claim_add(lint_ctx *c, claims *cl, const char *path, unsigned mask, const char *pred,
                      const char *pointer, size_t item, int in_check)
{
	if (cl->n == cl->cap) {
		size_t ncap = cl->cap ? cl->cap * 2 : 64;
		path_claim *n = realloc(cl->v, ncap * sizeof *n);
		if (!n) {
			c->oom = 1;
			return;
		}
		cl->v = n;
		cl->cap = ncap;
	}
	path_claim *x = &cl->v[cl->n++];
	x->path = strdup(path);
	x->mask = mask;
	x->pred = pred;
	x->pointer = strdup(pointer);
	x->item = item;
	x->in_check = in_check;
}

/* Checks one test's predicates against each other; returns the types it allows. */
static unsigned lint_test(lint_ctx *c, const lint_file *f, const emh_node *n, const char **narrowest)
{
	pred_need needs[32];
	size_t k = test_needs(n, needs);
	unsigned acc = T_ANY;
	const char *by = NULL;
	char w1[96], w2[96];
	for (size_t i = 0; i < k; i++) {
		if (needs[i].mask == T_ANY)
			continue;
		if (!(acc & needs[i].mask)) {
			char *p = pred_ptr(n, needs[i].name);
			mask_words(needs[i].mask, w1, sizeof w1);
			mask_words(acc, w2, sizeof w2);
			finding_at(c, f, p ? p : n->where_in_file, "type",
			           "\"%s\" holds only on %s, but \"%s\" needs %s at %s: this test can never pass",
			           needs[i].name, w1, by, w2, n->path.text ? n->path.text : "");
			free(p);
			continue;
		}
		if ((acc & needs[i].mask) != acc)
			by = needs[i].name;
		acc &= needs[i].mask;
	}
	/* Empty ranges. */
	struct { unsigned lo_bit, hi_bit; const char *lo, *hi; double lov, hiv; int strict; } r[] = {
		{ EMH_P_GE, EMH_P_LE, "ge", "le", n->ge.value, n->le.value, 0 },
		{ EMH_P_GT, EMH_P_LE, "gt", "le", n->gt.value, n->le.value, 1 },
		{ EMH_P_GE, EMH_P_LT, "ge", "lt", n->ge.value, n->lt.value, 1 },
		{ EMH_P_GT, EMH_P_LT, "gt", "lt", n->gt.value, n->lt.value, 1 },
		{ EMH_P_MIN_LENGTH, EMH_P_MAX_LENGTH, "min_length", "max_length", (double)n->min_length,
		  (double)n->max_length, 0 },
		{ EMH_P_MIN_COUNT, EMH_P_MAX_COUNT, "min_count", "max_count", (double)n->min_count,
		  (double)n->max_count, 0 },
	};
	const emh_num *bounds[] = { &n->lt, &n->le, &n->gt, &n->ge };
	unsigned computed = 0; /* comparisons whose bound is known only at evaluation */
	for (size_t i = 0; i < 4; i++)
		if (bounds[i]->kind != EMH_NUM_LITERAL)
			computed |= EMH_P_LT << i;
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		if ((n->preds & r[i].lo_bit) && (n->preds & r[i].hi_bit) && !(computed & (r[i].lo_bit | r[i].hi_bit)) &&
		    (r[i].lov > r[i].hiv || (r[i].strict && r[i].lov >= r[i].hiv))) {
			char *p = pred_ptr(n, r[i].hi);
			finding_at(c, f, p ? p : n->where_in_file, "type",
			           "\"%s\": %g and \"%s\": %g leave no value: this test can never pass",
			           r[i].lo, r[i].lov, r[i].hi, r[i].hiv);
			free(p);
		}
	}
	if ((n->preds & EMH_P_EQ) && (n->preds & EMH_P_IN)) {
		int found = 0;
		for (const cJSON *v = n->in->child; v && !found; v = v->next)
			found = cJSON_Compare(v, n->eq, 1);
		if (!found) {
			char *p = pred_ptr(n, "eq");
			finding_at(c, f, p ? p : n->where_in_file, "type",
			           "the value of \"eq\" is not one of \"in\": this test can never pass");
			free(p);
		}
	}
	if ((n->preds & EMH_P_TYPE) && n->type == EMH_TYPE_INTEGER && (n->preds & EMH_P_EQ) &&
	    cJSON_IsNumber(n->eq) && n->eq->valuedouble != floor(n->eq->valuedouble)) {
		char *p = pred_ptr(n, "eq");
		finding_at(c, f, p ? p : n->where_in_file, "type",
		           "\"eq\": %g is not an integer but \"type\" is \"integer\": this test can never pass",
		           n->eq->valuedouble);
		free(p);
	}
	if (narrowest)
		*narrowest = by;
	return acc;
}

/* A pattern with a nested unbounded repeat: it runs metered, and may end as an error. */
static void lint_regex(lint_ctx *c, const lint_file *f, const emh_node *n)
{
	static const struct { unsigned bit; const char *name; } preds[] = {
		{ EMH_P_MATCHES, "matches" }, { EMH_P_NOT_MATCHES, "not_matches" } };
	for (size_t i = 0; i < 2; i++) {
		const emh_regex *re = preds[i].bit == EMH_P_MATCHES ? &n->matches : &n->not_matches;
		if (!(n->preds & preds[i].bit) || !re->metered)
			continue;
		char *p = pred_ptr(n, preds[i].name);
		finding_at(c, f, p ? p : n->where_in_file, "regex-backtracking",
		           "the group at offset %zu of /%.200s/ repeats without bound and holds an unbounded repeat "
		           "(a nested quantifier): its work can grow exponentially with a run of text, so it runs "
		           "under a whole-search budget of %u steps and may end as an error; write it without the "
		           "nesting (e.g. \"(a+)+\" as \"a+\")", re->nested_at, re->source, EMH_REGEX_SEARCH_BUDGET);
		free(p);
	}
}

/*
 * Ordinary policy sentences about nothing a criterion looks for. A statement whose "verb" and "purpose" make
 * most of them candidates parses nearly every sentence of a document: slow, and past EMH_STATEMENT_MAX_PARSES
 * a document goes to review unread (a broad "verb" such as "use|is|have" with no "purpose").
 */
static const char *const ordinary_sentences[] = {
	"This policy explains how we handle information when you use the app.",
	"You can contact our support team at any time by email.",
	"The app is available in English and German.",
	"We may update this policy from time to time and will tell you when we do.",
	"Please read these terms carefully before you start.",
	"Our offices are located in London.",
	"You must be at least 18 years old to create an account.",
	"The service is provided as it is, without any warranty.",
	"If you have questions, please get in touch with us.",
	"We are committed to making the app accessible to everyone.",
	"Some features require an internet connection to work.",
	"This version of the policy took effect on 1 March 2026.",
};
#define ORDINARY_N (sizeof ordinary_sentences / sizeof *ordinary_sentences)
#define ORDINARY_BROAD 4 /* candidates among them from which a statement is too broad */

static void lint_statement(lint_ctx *c, const lint_file *f, const emh_node *n)
{
	static const struct { unsigned bit; const char *name; } preds[] = {
		{ EMH_P_STATES, "states" }, { EMH_P_NOT_STATES, "not_states" } };
	for (size_t i = 0; i < 2; i++) {
		const emh_statement *st = preds[i].bit == EMH_P_STATES ? &n->states : &n->not_states;
		if (!(n->preds & preds[i].bit))
			continue;
		emh_matcher m;
		if (emh_matcher_init(&m))
			return;
		size_t hits = 0;
		const char *example = NULL;
		for (size_t k = 0; k < ORDINARY_N; k++)
			if (emh_statement_candidate(st, &m, ordinary_sentences[k], strlen(ordinary_sentences[k])) == 1) {
				hits++;
				if (!example)
					example = ordinary_sentences[k];
			}
		emh_matcher_dispose(&m);
		if (hits < ORDINARY_BROAD)
			continue;
		char *p = pred_ptr(n, preds[i].name);
		finding_at(c, f, p ? p : n->where_in_file, "broad-statement",
		           "\"%s\" would parse %zu of %zu ordinary policy sentences (such as \"%s\"): its \"verb\" and "
		           "\"purpose\" pick nearly every sentence, so a long document is slow to read and past %d parses "
		           "goes to review unread; name the verbs that say it (\"delete|erase\", not \"is|have|use\") or "
		           "add a \"purpose\"", preds[i].name, hits, ORDINARY_N, example, EMH_STATEMENT_MAX_PARSES);
		free(p);
	}
}

/*
 * Walks an expression: checks each test, and records the tests that must hold
 * for it to pass (asserted: reached through and, all and any only) with their
 * absolute paths, for the checks across tests.
 */
static void lint_expr(lint_ctx *c, const lint_file *f, const emh_node *n, const char *base,
                      int asserted, size_t item, int in_check, claims *cl)
{
	if (!n)
		return;
	switch (n->kind) {
	case EMH_NODE_AND:
		for (size_t i = 0; i < n->nkids; i++)
			lint_expr(c, f, n->kids[i], base, asserted, item, in_check, cl);
		return;
	case EMH_NODE_OR:
	case EMH_NODE_NOT:
		for (size_t i = 0; i < n->nkids; i++)
			lint_expr(c, f, n->kids[i], base, 0, item, in_check, cl);
		return;
	case EMH_NODE_EVIDENCE:
		lint_regex(c, f, n);
		lint_statement(c, f, n);
		return;
	case EMH_NODE_TEST:
		break;
	}
	lint_regex(c, f, n);
	const char *narrowest = NULL;
	unsigned mask = lint_test(c, f, n, &narrowest);
	emh_buf abs = EMH_BUF_INIT;
	emh_buf_puts(&abs, base);
	if (base[0] || n->path.text[0]) {
		if (base[0])
			emh_buf_puts(&abs, "/*");
		emh_buf_puts(&abs, n->path.text);
	}
	const char *ap = emh_buf_cstr(&abs);
	if (asserted && mask != T_ANY && !(n->preds & EMH_P_ABSENT))
		claim_add(c, cl, ap[0] ? ap : "", mask, narrowest ? narrowest : "type", n->where_in_file,
		          item, in_check);
	/* Inside a quantifier paths are relative to the element: base grows by a "*" token. */
	const char *elem = ap[0] ? ap : "/";
	lint_expr(c, f, n->where, elem, 0, item, in_check, cl);
	lint_expr(c, f, n->all, elem, asserted, item, in_check, cl);
	lint_expr(c, f, n->any, elem, asserted, item, in_check, cl);
	lint_expr(c, f, n->none, elem, 0, item, in_check, cl);
	emh_buf_dispose(&abs);
}

static int claim_cmp(const void *a, const void *b)
{
	const path_claim *x = a, *y = b;
	int r = strcmp(x->path, y->path);
	if (r)
		return r;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return strcmp(x->pointer, y->pointer);
}

/*
 * Two asserted tests on one path that allow no common type: within a
 * criterion (its applies_when and check, or two parts of its check), or in
 * the checks of two criteria. Each conflicting test is reported once, at the
 * later one, naming the earlier.
 */
static void lint_claims(lint_ctx *c, const emh_criteria *set, claims *cl)
{
	if (cl->n > 1)
		qsort(cl->v, cl->n, sizeof *cl->v, claim_cmp);
	char w1[96], w2[96];
	for (size_t i = 0; i < cl->n; i++) {
		const path_claim *y = &cl->v[i];
		for (size_t j = i; j-- > 0 && strcmp(cl->v[j].path, y->path) == 0;) {
			const path_claim *x = &cl->v[j];
			if (x->mask & y->mask)
				continue;
			if (x->item != y->item && !(x->in_check && y->in_check))
				continue;
			const emh_criterion *cx = &set->items[x->item], *cy = &set->items[y->item];
			lint_file *fy = file_by_path(c, cy->file);
			mask_words(y->mask, w1, sizeof w1);
			mask_words(x->mask, w2, sizeof w2);
			char *yp = pred_ptr(&(emh_node){ .where_in_file = y->pointer }, y->pred);
			if (x->item == y->item)
				finding_at(c, fy, yp ? yp : y->pointer, "type",
				           "%s needs %s (\"%s\") where %s needs %s (\"%s\"): it can never pass",
				           y->path[0] ? y->path : "the submission", w1, y->pred, x->pointer, w2, x->pred);
			else
				finding_at(c, fy, yp ? yp : y->pointer, "type",
				           "%s needs %s (\"%s\") here but %s (\"%s\") in %s at %s: no submission "
				           "passes both", y->path[0] ? y->path : "the submission", w1, y->pred, w2,
				           x->pred, cx->id, x->pointer);
			free(yp);
			break;
		}
	}
	for (size_t i = 0; i < cl->n; i++) {
		free(cl->v[i].path);
		free(cl->v[i].pointer);
	}
	free(cl->v);
}

/* ---- semantic versions -------------------------------------------------- */

typedef struct semver {
	unsigned long part[3];
	const char *pre; /* after '-', or NULL */
} semver;

static int semver_parse(semver *out, const char *s)
{
	memset(out, 0, sizeof *out);
	const char *p = s;
	for (int i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
			return -1;
		char *end;
		out->part[i] = strtoul(p, &end, 10);
		p = end;
		if (i < 2 && *p++ != '.')
			return -1;
	}
	if (*p == '-' && p[1])
		out->pre = p + 1;
	else if (*p && *p != '+')
		return -1;
	if (out->pre) {
		const char *plus = strchr(out->pre, '+');
		if (plus == out->pre)
			return -1;
	}
	return 0;
}

/* <0, 0, >0 as a is lower, equal or higher than b (build metadata ignored). */
static int semver_cmp(const semver *a, const semver *b)
{
	for (int i = 0; i < 3; i++)
		if (a->part[i] != b->part[i])
			return a->part[i] < b->part[i] ? -1 : 1;
	if (!a->pre || !b->pre)
		return a->pre ? -1 : b->pre ? 1 : 0;
	size_t la = strcspn(a->pre, "+"), lb = strcspn(b->pre, "+");
	int r = strncmp(a->pre, b->pre, la < lb ? la : lb);
	return r ? r : (la > lb) - (la < lb);
}

/* ---- the set's own checks ------------------------------------------------- */

static void lint_set(lint_ctx *c, const emh_criteria *set)
{
	const emh_framework *fw = &set->framework;
	lint_file *fwf = file_by_path(c, "framework.json");
	/* What compiled of framework.json is checked even when some of it did not. */
	{
		semver v;
		if (fw->version && semver_parse(&v, fw->version))
			finding_at(c, fwf, "/version", "semver",
			           "framework version \"%s\" is not a semantic version MAJOR.MINOR.PATCH", fw->version);
		for (size_t i = 0; i < fw->nretired; i++) {
			const emh_retired *rt = &fw->retired[i];
			char jp[64];
			snprintf(jp, sizeof jp, "/retired/%zu/id", rt->index);
			for (size_t j = 0; j < i; j++)
				if (rt->id && fw->retired[j].id && strcmp(rt->id, fw->retired[j].id) == 0)
					finding_at(c, fwf, jp, "retired", "%s is listed as retired twice", rt->id);
			for (size_t k = 0; rt->id && k < set->count; k++)
				if (strcmp(set->items[k].id, rt->id) == 0)
					finding_at(c, file_by_path(c, set->items[k].file), "/id", "retired",
					           "id %s is retired (framework.json \"retired\"); a retired id is never "
					           "reused: choose a new one", rt->id);
		}
	}
	claims cl = { NULL, 0, 0 };
	for (size_t i = 0; i < set->count; i++) {
		const emh_criterion *it = &set->items[i];
		lint_file *f = file_by_path(c, it->file);
		if (fw->has_references)
			for (size_t k = 0; k < it->nreferences; k++)
				if (!emh_framework_has_reference(fw, it->references[k])) {
					char jp[64];
					snprintf(jp, sizeof jp, "/references/%zu", k);
					finding_at(c, f, jp, "reference",
					           "reference \"%s\" is not in the catalogue of framework.json "
					           "\"references\"", it->references[k]);
				}
		lint_expr(c, f, it->applies_when, "", 1, i, 0, &cl);
		lint_expr(c, f, it->check, "", 1, i, 1, &cl);
	}
	lint_claims(c, set, &cl);
}

/* ---- against a base revision ---------------------------------------------- */

/* Keys whose change does not change a criterion's meaning (no version bump). */
int emh_gate__wording_key(const char *k)
{
	return strcmp(k, "title") == 0 || strcmp(k, "fail_message") == 0 ||
	       strcmp(k, "remediation") == 0 || strcmp(k, "guidance") == 0 || strcmp(k, "review") == 0 ||
	       strcmp(k, "looks_for") == 0;
}

/* a and b equal but for "looks_for" members at any depth (a text test's wording, inside the check). */
static int same_but_looks_for(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		size_t na = 0, nb = 0;
		for (const cJSON *m = a->child; m; m = m->next) {
			if (strcmp(m->string, "looks_for") == 0)
				continue;
			na++;
			if (!same_but_looks_for(m, cJSON_GetObjectItemCaseSensitive(b, m->string)))
				return 0;
		}
		for (const cJSON *m = b->child; m; m = m->next)
			nb += strcmp(m->string, "looks_for") != 0;
		return na == nb;
	}
	if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
		const cJSON *x = a->child, *y = b->child;
		for (; x && y; x = x->next, y = y->next)
			if (!same_but_looks_for(x, y))
				return 0;
		return !x && !y;
	}
	return a && b && cJSON_Compare(a, b, 1);
}

/* A criterion file of either revision, keyed by its id. */
typedef struct side {
	const char *id;
	const char *path;
	const cJSON *root;
} side;

static const char *root_id(const cJSON *root, const char *path, char *buf, size_t size)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
	if (cJSON_IsString(id))
		return id->valuestring;
	const char *slash = strrchr(path, '/');
	snprintf(buf, size, "%s", slash ? slash + 1 : path);
	char *dot = strrchr(buf, '.');
	if (dot)
		*dot = '\0';
	return buf;
}

/*
 * Appends to keys the members of a and b that differ (skip: keys to leave
 * out); returns how many.
 */
size_t emh_gate__diff_keys(const cJSON *a, const cJSON *b, emh_buf *keys, int (*skip)(const char *))
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		const cJSON *x = pass ? b : a, *y = pass ? a : b;
		for (const cJSON *m = x ? x->child : NULL; m; m = m->next) {
			if (skip && skip(m->string))
				continue;
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(y, m->string);
			if (pass && o)
				continue; /* seen in the first pass */
			if (o && cJSON_Compare(m, o, 1))
				continue;
			if (o && skip && skip("looks_for") && same_but_looks_for(m, o))
				continue; /* only a text test's plain words changed */
			emh_buf_appendf(keys, "%s%s", n++ ? ", " : "", m->string);
		}
	}
	return n;
}

static int skip_version_and_wording(const char *k)
{
	return strcmp(k, "version") == 0 || emh_gate__wording_key(k);
}

static int skip_framework_version(const char *k)
{
	return strcmp(k, "version") == 0 || strcmp(k, "effective_date") == 0;
}

static int version_of(const cJSON *root, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
	/* In range before the cast (a 1e30 version is undefined behaviour as an int); compile reports it. */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= INT_MAX))
		return -1;
	*out = (int)v->valuedouble;
	return 0;
}

/*
 * Numbers in a check, as text ("30", "0.5"), for the stale-number rule: a
 * threshold that changed while the fail_message or remediation still states
 * the old one misleads the vendor who reads it (issue 15).
 */
static void check_numbers(const cJSON *v, emh_buf *out)
{
	for (; v; v = v->next) {
		if (cJSON_IsNumber(v))
			emh_buf_appendf(out, " %.15g ", v->valuedouble);
		else if (v->child)
			check_numbers(v->child, out);
	}
}

/* 1 when text states the number num ("30") as a whole token, not inside "130" or "3.0" or "v30". */
static int states_number(const char *text, const char *num)
{
	size_t n = strlen(num);
	for (const char *p = text; (p = strstr(p, num)) != NULL; p++) {
		int before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ',');
		const char *e = p + n;
		int after = isalnum((unsigned char)*e) || ((*e == '.' || *e == ',') && isdigit((unsigned char)e[1]));
		if (!before && !after)
			return 1;
	}
	return 0;
}

/*
 * A number the base's check used, that the current check no longer uses,
 * still stated in the current title, fail_message or remediation: a finding at that
 * text, naming the old number and the check's numbers now.
 */
static void lint_stale_numbers(lint_ctx *c, lint_file *cur, const char *id, const cJSON *broot,
                               const cJSON *croot, const char *against)
{
	const cJSON *bcheck = cJSON_GetObjectItemCaseSensitive(broot, "check");
	const cJSON *ccheck = cJSON_GetObjectItemCaseSensitive(croot, "check");
	if (!bcheck || !ccheck || cJSON_Compare(bcheck, ccheck, 1))
		return;
	emh_buf was = EMH_BUF_INIT, now = EMH_BUF_INIT;
	check_numbers(bcheck->child, &was);
	check_numbers(ccheck->child, &now);
	const char *keys[] = { "title", "fail_message", "remediation" };
	const char *w = emh_buf_cstr(&was), *nw = emh_buf_cstr(&now);
	char list[256] = "";
	for (const char *q = nw; *q; q++)
		if (*q != ' ' || (q[1] && q[1] != ' ' && list[0])) {
			size_t l = strlen(list);
			if (l + 3 < sizeof list) {
				if (*q == ' ')
					list[l++] = ',';
				list[l] = *q;
				list[l + 1] = '\0';
			}
		}
	for (const char *p = w; *p; ) {
		const char *tok = p + 1, *end = strchr(tok, ' ');
		if (!end)
			break;
		char num[40];
		snprintf(num, sizeof num, "%.*s", (int)(end - tok), tok);
		char spaced[48];
		snprintf(spaced, sizeof spaced, " %s ", num);
		p = end + 1;
		if (strstr(nw, spaced) || strstr(w, spaced) < tok - 1)
			continue; /* still used, or already looked at */
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(croot, keys[k]);
			if (cJSON_IsString(t) && states_number(t->valuestring, num)) {
				char jp[32];
				snprintf(jp, sizeof jp, "/%s", keys[k]);
				finding_at(c, cur, jp, "stale-number",
				           "%s's %s states %s, which its check used at %s but no longer does (the check's "
				           "numbers now: %s): state the new threshold", id, keys[k], num, against,
				           list[0] ? list : "none");
			}
		}
	}
	emh_buf_dispose(&was);
	emh_buf_dispose(&now);
}

static int lint_against(lint_ctx *c, const emh_lint_options *o, const emh_criteria *set,
                        emh_error *err)
{
	emh_source base = EMH_SOURCE_INIT;
	emh_json **bdocs = NULL;
	int rc = emh_source_read(&base, o->source.repository, o->source.path, o->against, err);
	if (rc)
		goto done;
	c->r->against_commit = emh_arena_strdup(c->a, base.commit);
	bdocs = calloc(base.nfiles ? base.nfiles : 1, sizeof *bdocs);
	if (!bdocs) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	const cJSON *bfw = NULL;
	for (size_t i = 0; i < base.nfiles; i++) {
		emh_error ignored = EMH_ERROR_INIT;
		if (emh_json_parse(&bdocs[i], base.files[i].data, base.files[i].len, base.files[i].path, NULL,
		                   &ignored) == 0 && strcmp(base.files[i].path, "framework.json") == 0)
			bfw = emh_json_root(bdocs[i]);
	}
	int changed = 0;
	char b1[256], b2[256];
	/* Criteria of the base: still there (compare), or gone (retired?). */
	for (size_t i = 0; i < base.nfiles; i++) {
		if (!bdocs[i] || strcmp(base.files[i].path, "framework.json") == 0 ||
		    strcmp(base.files[i].path, "trackers.json") == 0)
			continue;
		const cJSON *broot = emh_json_root(bdocs[i]);
		const char *bid = root_id(broot, base.files[i].path, b1, sizeof b1);
		/* A file that does not parse is matched by its name (its JSON problem is reported already). */
		lint_file *cur = NULL;
		for (size_t k = 0; k < c->nfiles && !cur; k++)
			if (c->files[k].id &&
			    strcmp(c->files[k].doc ? root_id(emh_json_root(c->files[k].doc), c->files[k].path, b2, sizeof b2)
			                           : c->files[k].id, bid) == 0)
				cur = &c->files[k];
		if (!cur) {
			changed = 1;
			int retired = 0;
			for (size_t k = 0; k < set->framework.nretired; k++)
				retired |= set->framework.retired[k].id && strcmp(set->framework.retired[k].id, bid) == 0;
			if (!retired)
				finding_at(c, file_by_path(c, "framework.json"), set->framework.nretired ? "/retired" : "",
				           "retired", "criterion %s (%s/%s at %s) was removed but is not listed in "
				           "framework.json \"retired\" (its id must stay reserved)", bid, c->cpath,
				           base.files[i].path, o->against);
			continue;
		}
		if (!cur->doc) {
			changed = 1;
			continue;
		}
		const cJSON *croot = emh_json_root(cur->doc);
		if (!cJSON_Compare(broot, croot, 1))
			changed = 1;
		emh_buf keys = EMH_BUF_INIT;
		size_t nk = emh_gate__diff_keys(broot, croot, &keys, skip_version_and_wording);
		int bv = 0, cv = 0;
		if (version_of(broot, &bv) == 0 && version_of(croot, &cv) == 0) {
			if (cv < bv)
				finding_at(c, cur, "/version", "version-down",
				           "%s's version went down from %d (at %s) to %d", bid, bv, o->against, cv);
			else if (nk && cv == bv)
				finding_at(c, cur, "/version", "version-bump",
				           "%s changed since %s (%s) but its version is still %d: bump it to %d",
				           bid, o->against, emh_buf_cstr(&keys), cv, bv + 1);
		}
		emh_buf_dispose(&keys);
		lint_stale_numbers(c, cur, bid, broot, croot, o->against);
	}
	/* New criteria change the set too. */
	for (size_t k = 0; k < c->nfiles && !changed; k++) {
		if (!c->files[k].id)
			continue;
		const char *cid = c->files[k].doc
		                  ? root_id(emh_json_root(c->files[k].doc), c->files[k].path, b2, sizeof b2)
		                  : c->files[k].id;
		int found = 0;
		for (size_t i = 0; i < base.nfiles && !found; i++)
			found = bdocs[i] && strcmp(base.files[i].path, "framework.json") != 0 &&
			        strcmp(base.files[i].path, "trackers.json") != 0 &&
			        strcmp(root_id(emh_json_root(bdocs[i]), base.files[i].path, b1, sizeof b1), cid) == 0;
		changed |= !found;
	}
	/* The tracker catalogue is criteria data: a change to it changes the set. */
	{
		const emh_source_file *bt = NULL;
		for (size_t i = 0; i < base.nfiles; i++)
			if (strcmp(base.files[i].path, "trackers.json") == 0)
				bt = &base.files[i];
		lint_file *ct = file_by_path(c, "trackers.json");
		if ((bt == NULL) != (ct == NULL) ||
		    (bt && ct && (bt->len != ct->len || memcmp(bt->data, ct->data, bt->len) != 0)))
			changed = 1;
	}
	lint_file *fwf = file_by_path(c, "framework.json");
	const cJSON *cfw = fwf && fwf->doc ? emh_json_root(fwf->doc) : NULL;
	if (cfw && bfw) {
		emh_buf keys = EMH_BUF_INIT;
		if (emh_gate__diff_keys(bfw, cfw, &keys, skip_framework_version))
			changed = 1;
		emh_buf_dispose(&keys);
		const cJSON *bv = cJSON_GetObjectItemCaseSensitive(bfw, "version");
		const cJSON *cv = cJSON_GetObjectItemCaseSensitive(cfw, "version");
		semver sb, sc;
		if (changed && cJSON_IsString(bv) && cJSON_IsString(cv) && semver_parse(&sb, bv->valuestring) == 0 &&
		    semver_parse(&sc, cv->valuestring) == 0 && semver_cmp(&sc, &sb) <= 0)
			finding_at(c, fwf, "/version", "framework-version",
			           "the criteria changed since %s but the framework version is %s (was %s): "
			           "bump it (docs/criteria-authoring.md, Versioning)", o->against,
			           cv->valuestring, bv->valuestring);
	}
done:
	for (size_t i = 0; bdocs && i < base.nfiles; i++)
		emh_json_free(bdocs[i]);
	free(bdocs);
	emh_source_dispose(&base);
	return rc;
}

/* ---- the whole run -------------------------------------------------------- */

static int finding_cmp(const void *a, const void *b)
{
	const emh_lint_finding *x = a, *y = b;
	int r = strcmp(x->file, y->file);
	if (r)
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if ((r = strcmp(x->rule, y->rule)))
		return r;
	return strcmp(x->message, y->message);
}

void emh_lint_report_free(emh_lint_report *r)
{
	if (r)
		emh_arena_free(r->arena);
}

int emh_lint(emh_lint_report **out, const emh_lint_options *opts, emh_error *err)
{
	*out = NULL;
	emh_lint_options o = EMH_LINT_OPTIONS_INIT;
	if (opts)
		o = *opts;
	emh_source src = EMH_SOURCE_INIT;
	emh_criteria *set = NULL;
	lint_ctx c;
	memset(&c, 0, sizeof c);
	int rc = emh_source_read(&src, o.source.repository, o.source.path, o.source.rev, err);
	if (rc)
		goto done;
	c.a = emh_arena_new();
	c.r = c.a ? emh_arena_alloc(c.a, sizeof *c.r) : NULL;
	c.files = calloc(src.nfiles ? src.nfiles : 1, sizeof *c.files);
	if (!c.r || !c.files) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	c.r->arena = c.a;
	c.cpath = src.criteria_path;
	c.nfiles = src.nfiles;
	for (size_t i = 0; i < src.nfiles; i++) {
		lint_file *f = &c.files[i];
		f->path = src.files[i].path;
		f->data = src.files[i].data;
		f->len = src.files[i].len;
		f->label = emh_arena_printf(c.a, "%s/%s", src.criteria_path, f->path);
		if (strcmp(f->path, "framework.json") != 0 && strcmp(f->path, "trackers.json") != 0) {
			const char *slash = strrchr(f->path, '/');
			f->id = emh_arena_strdup(c.a, slash ? slash + 1 : f->path);
			char *dot = strrchr(f->id, '.');
			if (dot)
				*dot = '\0';
		}
		emh_error ignored = EMH_ERROR_INIT;
		emh_json_limits lim = EMH_JSON_LIMITS_INIT;
		lim.reject_nul = 1;
		if (emh_json_parse(&f->doc, f->data, f->len, f->label, &lim, &ignored))
			f->doc = NULL;
	}
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.on_problem = on_compile_problem;
	co.payload = &c;
	size_t nproblems = 0;
	rc = emh_criteria__compile_source(&set, &src, &co, &nproblems, err);
	if (rc)
		goto done;
	lint_set(&c, set);
	if (o.against && (rc = lint_against(&c, &o, set, err)))
		goto done;
	emh_lint_report *r = c.r;
	r->repository = emh_arena_strdup(c.a, src.repository);
	r->criteria_path = emh_arena_strdup(c.a, src.criteria_path);
	r->rev = emh_arena_strdup(c.a, src.rev);
	r->commit = emh_arena_strdup(c.a, src.commit);
	r->against = emh_arena_strdup(c.a, o.against);
	r->framework_version = emh_arena_strdup(c.a, set->framework.version);
	r->nfiles = src.nfiles;
	r->ncriteria = 0;
	for (size_t i = 0; i < src.nfiles; i++) /* not framework.json, not trackers.json */
		r->ncriteria += strcmp(src.files[i].path, "framework.json") != 0 &&
		                strcmp(src.files[i].path, "trackers.json") != 0;
	if (c.nfound > 1)
		qsort(c.found, c.nfound, sizeof *c.found, finding_cmp);
	r->findings = emh_arena_alloc(c.a, (c.nfound ? c.nfound : 1) * sizeof *r->findings);
	if (c.oom || !r->findings) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	/* The same defect can be seen twice (e.g. by two checks); keep one. */
	for (size_t i = 0; i < c.nfound; i++)
		if (!r->nfindings || finding_cmp(&r->findings[r->nfindings - 1], &c.found[i]) != 0)
			r->findings[r->nfindings++] = c.found[i];
	*out = r;
	c.a = NULL;
done:
	emh_criteria_free(set);
	for (size_t i = 0; c.files && i < c.nfiles; i++)
		emh_json_free(c.files[i].doc);
	free(c.files);
	free(c.found);
	emh_arena_free(c.a);
	emh_source_dispose(&src);
	return rc;
}

int emh_gate_format_parse(emh_gate_format *out, const char *name)
{
	static const struct { const char *name; emh_gate_format f; } names[] = {
		{ "text", EMH_GATE_TEXT }, { "json", EMH_GATE_JSON }, { "markdown", EMH_GATE_MARKDOWN },
		{ "md", EMH_GATE_MARKDOWN }, { "sarif", EMH_GATE_SARIF }, { "junit", EMH_GATE_JUNIT },
	};
	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].f;
			return 0;
		}
	return EMH_EINVALID;
}
