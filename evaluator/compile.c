/*
 * compile.c - one criterion file (JSON) to its compiled form.
 *
 * Everything that can be decided once is decided here: pointers are split,
 * regexes compiled, literal dates turned into day numbers, and every key is
 * checked, so that a malformed criterion is reported with its file, line,
 * column and JSON pointer before any submission is evaluated. Problems are
 * collected (each goes to the on_problem callback) rather than stopping at
 * the first, so a maintainer sees them all in one run.
 */
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/json.h"

typedef struct cctx {
	const emh_json *doc;
	const char *label;      /* file label for errors */
	emh_diagnostic_cb on_problem;
	void *payload;
	emh_error *err;         /* receives the first problem */
	int nproblems;
	int partial;            /* keep what compiles of a criterion with problems (lint) */
} cctx;

/* Passes one problem on: to on_problem, and the first to err. */
static void deliver(cctx *c, const emh_error *e)
{
	if (c->on_problem)
		c->on_problem(e, c->payload);
	if (c->nproblems++ == 0 && c->err)
		*c->err = *e;
}

/* Reports one problem at line:col. */
static void report(cctx *c, unsigned line, unsigned col, const char *jptr, int code,
                   const char *msg)
{
	emh_error e = EMH_ERROR_INIT;
	snprintf(e.message, sizeof e.message, "%s", msg);
	e.code = code;
	emh_error_locate(&e, c->label, line, col, jptr);
	deliver(c, &e);
}

static void problem(cctx *c, const cJSON *at, const char *jptr, int code,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem(cctx *c, const cJSON *at, const char *jptr, int code,
                    const char *fmt, ...)
{
	emh_error e;
	va_list ap;
	va_start(ap, fmt);
	emh_json_vproblem(&e, code, c->doc, at, c->label, jptr, fmt, ap);
	va_end(ap);
	deliver(c, &e);
}

/* An allocation failed: the criterion cannot be compiled (never half-compiled). */
static void out_of_memory(cctx *c, const char *jptr)
{
	report(c, 0, 0, jptr ? jptr : "", EMH_EGENERIC, "out of memory while compiling the criterion");
}

/* Builds "base/key" (key escaped) into an allocated string. */
static char *child_ptr(const char *base, const char *key)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, base);
	emh_ptr_append_token(&b, key);
	return emh_buf_detach(&b, NULL);
}

static char *child_idx(const char *base, size_t i)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_appendf(&b, "%s/%zu", base, i);
	return emh_buf_detach(&b, NULL);
}

static void num_dispose(emh_num *n);

void emh_node_free(emh_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		emh_node_free(n->kids[i]);
	free(n->kids);
	free(n->where_in_file);
	emh_ptr_dispose(&n->path);
	free(n->evidence_kind);
	cJSON_Delete(n->eq);
	cJSON_Delete(n->ne);
	cJSON_Delete(n->in);
	emh_regex_dispose(&n->matches);
	emh_regex_dispose(&n->not_matches);
	emh_statement_dispose(&n->not_states);
	emh_statement_dispose(&n->states);
	emh_anchor *anchors[] = { &n->before, &n->after, &n->within_of };
	for (size_t i = 0; i < 3; i++) {
		emh_ptr_dispose(&anchors[i]->ptr);
		free(anchors[i]->text);
	}
	emh_node_free(n->where);
	emh_node_free(n->all);
	emh_node_free(n->any);
	emh_node_free(n->none);
	emh_ptr_dispose(&n->unique);
	emh_ptr_dispose(&n->among);
	free(n->languages);
	free(n->looks_for);
	free(n->others_read);
	emh_num *nums[] = { &n->lt, &n->le, &n->gt, &n->ge };
	for (size_t i = 0; i < 4; i++)
		num_dispose(nums[i]);
	free(n);
}

static emh_node *compile_node(cctx *c, const cJSON *j, const char *jptr, int depth);

static int compile_pointer(cctx *c, emh_ptr *out, const cJSON *j, const char *jptr)
{
	if (!cJSON_IsString(j)) {
		problem(c, j, jptr, EMH_EINVALID, "expected a JSON pointer string");
		return -1;
	}
	emh_error e = EMH_ERROR_INIT;
	if (emh_ptr_compile(out, j->valuestring, &e)) {
		problem(c, j, jptr, EMH_EINVALID, "%s", e.message);
		return -1;
	}
	return 0;
}

static int compile_anchor(cctx *c, emh_anchor *out, const cJSON *j, const char *jptr)
{
	if (!cJSON_IsString(j)) {
		problem(c, j, jptr, EMH_EINVALID,
		        "expected a date: \"YYYY-MM-DD\", a JSON pointer, or \"@as_of\"");
		return -1;
	}
	const char *s = j->valuestring;
	out->text = emh_strdup(s);
	if (strcmp(s, "@as_of") == 0) {
		out->kind = EMH_ANCHOR_AS_OF;
	} else if (s[0] == '/') {
		out->kind = EMH_ANCHOR_POINTER;
		return compile_pointer(c, &out->ptr, j, jptr);
	} else if (emh_date_parse(&out->day, s) == 0) {
		out->kind = EMH_ANCHOR_LITERAL;
	} else {
		problem(c, j, jptr, EMH_EINVALID,
		        "\"%s\" is not a date: expected \"YYYY-MM-DD\", a JSON pointer, or \"@as_of\"", s);
		return -1;
	}
	return 0;
}

static int compile_count(cctx *c, size_t *out, const cJSON *j, const char *jptr)
{
	if (!cJSON_IsNumber(j) || j->valuedouble < 0 || j->valuedouble > 1e9 ||
	    j->valuedouble != floor(j->valuedouble)) {
		problem(c, j, jptr, EMH_EINVALID, "expected a non-negative integer");
		return -1;
	}
	*out = (size_t)j->valuedouble;
	return 0;
}

/* Arithmetic operators of a numeric operand, and how many operands each takes. */
static const struct { const char *name; emh_num_kind kind; size_t min_args, max_args; } arith_ops[] = {
	{ "add", EMH_NUM_ADD, 2, 16 }, { "sub", EMH_NUM_SUB, 2, 2 },
	{ "mul", EMH_NUM_MUL, 2, 16 }, { "div", EMH_NUM_DIV, 2, 2 },
};
enum { ARITH_MAX_DEPTH = 8 };

static void num_dispose(emh_num *n)
{
	for (size_t i = 0; i < n->nargs; i++)
		num_dispose(&n->args[i]);
	free(n->args);
	emh_ptr_dispose(&n->ptr);
	free(n->text);
}

/*
 * A numeric operand (docs/criteria-format.md, "Computed operands"): a number,
 * a JSON pointer from the submission's root, or {"add"|"sub"|"mul"|"div": [...]}.
 */
static int compile_num(cctx *c, emh_num *out, const cJSON *j, const char *jptr, int depth)
{
	out->text = cJSON_PrintUnformatted(j); /* how a finding describes the bound */
	if (!out->text) {
		out_of_memory(c, jptr);
		return -1;
	}
	if (cJSON_IsNumber(j)) {
		out->kind = EMH_NUM_LITERAL;
		out->value = j->valuedouble;
		return 0;
	}
	if (cJSON_IsString(j) && j->valuestring[0] == '/') {
		out->kind = EMH_NUM_POINTER;
		return compile_pointer(c, &out->ptr, j, jptr);
	}
	const char *what = "expected a number, a pointer into the submission (\"/...\"), or "
	                   "{\"add\"|\"sub\"|\"mul\"|\"div\": [operands]}";
	if (!cJSON_IsObject(j) || !j->child || j->child->next) {
		problem(c, j, jptr, EMH_EINVALID, "%s", what);
		return -1;
	}
	const cJSON *op = j->child;
	size_t k = 0;
	while (k < sizeof arith_ops / sizeof arith_ops[0] && strcmp(op->string, arith_ops[k].name) != 0)
		k++;
	char *at = child_ptr(jptr, op->string);
	int rc = -1;
	size_t nargs = (size_t)cJSON_GetArraySize(op);
	if (k == sizeof arith_ops / sizeof arith_ops[0]) {
		problem(c, op, at ? at : jptr, EMH_EINVALID, "unknown arithmetic operator \"%s\": %s",
		        op->string, what);
	} else if (depth >= ARITH_MAX_DEPTH) {
		problem(c, op, at ? at : jptr, EMH_EINVALID, "arithmetic nested deeper than %d levels",
		        ARITH_MAX_DEPTH);
	} else if (!cJSON_IsArray(op) || nargs < arith_ops[k].min_args || nargs > arith_ops[k].max_args) {
		if (arith_ops[k].min_args == arith_ops[k].max_args)
			problem(c, op, at ? at : jptr, EMH_EINVALID, "\"%s\" takes an array of %zu operands",
			        op->string, arith_ops[k].min_args);
		else
			problem(c, op, at ? at : jptr, EMH_EINVALID, "\"%s\" takes an array of %zu to %zu operands",
			        op->string, arith_ops[k].min_args, arith_ops[k].max_args);
	} else if ((out->args = emh_calloc(nargs, sizeof *out->args))) {
		out->kind = arith_ops[k].kind;
		out->nargs = nargs;
		rc = 0;
		size_t i = 0;
		for (const cJSON *a = op->child; a; a = a->next, i++) {
			char *ap = child_idx(at ? at : jptr, i);
			rc |= compile_num(c, &out->args[i], a, ap ? ap : jptr, depth + 1);
			free(ap);
		}
	}
	free(at);
	return rc ? -1 : 0;
}

static int compile_true(cctx *c, const cJSON *j, const char *jptr)
{
	if (!cJSON_IsTrue(j)) {
		problem(c, j, jptr, EMH_EINVALID, "expected true");
		return -1;
	}
	return 0;
}

static const struct { const char *name; emh_type type; } type_names[] = {
	{ "string", EMH_TYPE_STRING }, { "number", EMH_TYPE_NUMBER },
	{ "integer", EMH_TYPE_INTEGER }, { "boolean", EMH_TYPE_BOOLEAN },
	{ "null", EMH_TYPE_NULL }, { "array", EMH_TYPE_ARRAY },
	{ "object", EMH_TYPE_OBJECT }, { "date", EMH_TYPE_DATE },
};

/*
 * Where byte `target` of a JSON string's decoded value is in the file: walks
 * the string's source from its opening quote at `at`, counting escapes
 * (\\n is one byte, \\uXXXX one to three, a surrogate pair four). Returns
 * the byte offset in the file.
 */
static size_t string_source_offset(const char *text, size_t len, size_t at, size_t target)
{
	size_t i = at + 1, decoded = 0;
	while (i < len && text[i] != '"' && decoded < target) {
		if (text[i] != '\\') {
			i++;
			decoded++;
			continue;
		}
		if (i + 1 < len && text[i + 1] == 'u' && i + 6 <= len) {
			unsigned long cp = strtoul((char[5]){ text[i + 2], text[i + 3], text[i + 4], text[i + 5], 0 },
			                           NULL, 16);
			if (cp >= 0xD800 && cp < 0xDC00 && i + 12 <= len && text[i + 6] == '\\') {
				i += 12;
				decoded += 4;
			} else {
				i += 6;
				decoded += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
			}
		} else {
			i += 2;
			decoded++;
		}
	}
	return i;
}

static int compile_regex(cctx *c, emh_regex *out, const cJSON *j,
                         const cJSON *flags, const char *jptr)
{
	if (!cJSON_IsString(j)) {
		problem(c, j, jptr, EMH_EINVALID, "expected a regular expression string");
		return -1;
	}
	emh_error e = EMH_ERROR_INIT;
	size_t eo = 0;
	/* Bad flags are reported at "flags" by compile_test, not again here. */
	const char *fl = cJSON_IsString(flags) && flags->valuestring[strspn(flags->valuestring, "imsxu")] == '\0'
	                 ? flags->valuestring : NULL;
	if (emh_regex_compile_at(out, j->valuestring, fl, &eo, &e)) {
		/* Point the column at the character PCRE2 stopped at, not at the quote. */
		size_t len = 0, off = 0;
		unsigned line = 0, col = 0;
		const char *text = c->doc ? emh_json_text(c->doc, &len) : NULL;
		if (text && emh_json_locate(c->doc, j, &line, &col, &off) == 0)
			emh_error_offset_to_linecol(text, len, string_source_offset(text, len, off, eo),
			                            &line, &col);
		report(c, line, col, jptr, EMH_EINVALID, e.message);
		return -1;
	}
	return 0;
}

/* Predicates of a {"path"} or {"evidence"} test, in one table. */
typedef struct pred_def {
	const char *name;
	unsigned bit;
	int on_test, on_evidence;
} pred_def;

static const pred_def preds[] = {
	{ "exists", EMH_P_EXISTS, 1, 0 }, { "absent", EMH_P_ABSENT, 1, 0 },
	{ "type", EMH_P_TYPE, 1, 0 }, { "eq", EMH_P_EQ, 1, 0 }, { "ne", EMH_P_NE, 1, 0 },
	{ "in", EMH_P_IN, 1, 0 }, { "among", EMH_P_AMONG, 1, 0 }, { "lt", EMH_P_LT, 1, 0 }, { "le", EMH_P_LE, 1, 0 },
	{ "gt", EMH_P_GT, 1, 0 }, { "ge", EMH_P_GE, 1, 0 },
	{ "min_length", EMH_P_MIN_LENGTH, 1, 0 }, { "max_length", EMH_P_MAX_LENGTH, 1, 0 },
	{ "matches", EMH_P_MATCHES, 1, 1 }, { "not_matches", EMH_P_NOT_MATCHES, 1, 1 },
	{ "before", EMH_P_BEFORE, 1, 0 }, { "after", EMH_P_AFTER, 1, 0 },
	{ "within_days", EMH_P_WITHIN_DAYS, 1, 0 },
	{ "where", EMH_P_WHERE, 1, 0 }, { "all", EMH_P_ALL, 1, 0 }, { "any", EMH_P_ANY, 1, 0 },
	{ "none", EMH_P_NONE, 1, 0 }, { "min_count", EMH_P_MIN_COUNT, 1, 0 },
	{ "max_count", EMH_P_MAX_COUNT, 1, 0 }, { "unique", EMH_P_UNIQUE, 1, 0 },
	{ "present", EMH_P_PRESENT, 0, 1 }, { "verified", EMH_P_VERIFIED, 0, 1 },
	{ "not_states", EMH_P_NOT_STATES, 0, 1 }, { "states", EMH_P_STATES, 0, 1 },
};

/*
 * {"verb": RE, "object": RE, "purpose": RE, "unless": RE (optional)}: the
 * parse-based check of statement.c; each pattern is caseless. "not_states"
 * needs verb, object and purpose; "states" (affirm) verb and object.
 */
static int compile_statement(cctx *c, emh_statement *st, const cJSON *v, const char *jptr, int affirm)
{
	const char *name = affirm ? "states" : "not_states";
	static const char *const keys[] = { "verb", "object", "purpose", "unless" };
	const char *src[4] = { NULL, NULL, NULL, NULL };
	if (!cJSON_IsObject(v)) {
		problem(c, v, jptr, EMH_EINVALID, "expected an object {\"verb\", \"object\", \"purpose\", \"unless\"}");
		return -1;
	}
	int bad = 0;
	for (const cJSON *m = v->child; m; m = m->next) {
		size_t k = 0;
		while (k < 4 && strcmp(m->string, keys[k]) != 0)
			k++;
		char *mp = child_ptr(jptr, m->string);
		if (k == 4) {
			problem(c, m, mp ? mp : jptr, EMH_EINVALID, "unknown key \"%s\" in \"%s\" (expected verb, "
			        "object, purpose, unless)", m->string, name);
			bad = 1;
		} else if (!cJSON_IsString(m) || !m->valuestring[0]) {
			problem(c, m, mp ? mp : jptr, EMH_EINVALID, "expected a non-empty regular expression string");
			bad = 1;
		} else {
			src[k] = m->valuestring;
		}
		free(mp);
	}
	for (size_t k = 0; k < (affirm ? 2u : 3u) && !bad; k++)
		if (!src[k]) {
			problem(c, v, jptr, EMH_EINVALID, "\"%s\" needs \"%s\"", name, keys[k]);
			bad = 1;
		}
	if (bad)
		return -1;
	emh_error e = EMH_ERROR_INIT;
	const char *field = "verb";
	if (emh_statement_compile(st, src[0], src[1], src[2], src[3], affirm, &field, &e)) {
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(v, field);
		char *mp = child_ptr(jptr, field);
		problem(c, at ? at : v, mp ? mp : jptr, EMH_EINVALID, "%s", e.message);
		free(mp);
		return -1;
	}
	return 0;
}

static int compile_pred(cctx *c, emh_node *n, const pred_def *d, const cJSON *v,
                        const cJSON *obj, const char *jptr, int depth)
{
	const cJSON *flags = cJSON_GetObjectItemCaseSensitive(obj, "flags");
	switch (d->bit) {
	case EMH_P_EXISTS: case EMH_P_ABSENT: case EMH_P_PRESENT: case EMH_P_VERIFIED:
		return compile_true(c, v, jptr);
	case EMH_P_TYPE:
		if (cJSON_IsString(v))
			for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
				if (strcmp(v->valuestring, type_names[i].name) == 0) {
					n->type = type_names[i].type;
					return 0;
				}
		problem(c, v, jptr, EMH_EINVALID, "expected a type: string, number, integer, "
		        "boolean, null, array, object or date");
		return -1;
	case EMH_P_EQ:
		return (n->eq = cJSON_Duplicate(v, 1)) ? 0 : -1;
	case EMH_P_NE:
		return (n->ne = cJSON_Duplicate(v, 1)) ? 0 : -1;
	case EMH_P_IN:
		if (!cJSON_IsArray(v) || !v->child) {
			problem(c, v, jptr, EMH_EINVALID, "expected a non-empty array of values");
			return -1;
		}
		return (n->in = cJSON_Duplicate(v, 1)) ? 0 : -1;
	case EMH_P_LT: return compile_num(c, &n->lt, v, jptr, 0);
	case EMH_P_LE: return compile_num(c, &n->le, v, jptr, 0);
	case EMH_P_GT: return compile_num(c, &n->gt, v, jptr, 0);
	case EMH_P_GE: return compile_num(c, &n->ge, v, jptr, 0);
	case EMH_P_MIN_LENGTH: return compile_count(c, &n->min_length, v, jptr);
	case EMH_P_MAX_LENGTH: return compile_count(c, &n->max_length, v, jptr);
	case EMH_P_MIN_COUNT: return compile_count(c, &n->min_count, v, jptr);
	case EMH_P_MAX_COUNT: return compile_count(c, &n->max_count, v, jptr);
	case EMH_P_MATCHES: return compile_regex(c, &n->matches, v, flags, jptr);
	case EMH_P_NOT_MATCHES: return compile_regex(c, &n->not_matches, v, flags, jptr);
	case EMH_P_NOT_STATES: return compile_statement(c, &n->not_states, v, jptr, 0);
	case EMH_P_STATES: return compile_statement(c, &n->states, v, jptr, 1);
	case EMH_P_BEFORE: return compile_anchor(c, &n->before, v, jptr);
	case EMH_P_AFTER: return compile_anchor(c, &n->after, v, jptr);
	case EMH_P_WITHIN_DAYS: {
		const cJSON *of = cJSON_GetObjectItemCaseSensitive(obj, "of");
		size_t days = 0;
		if (compile_count(c, &days, v, jptr))
			return -1;
		n->within_days = (long)days;
		if (!of) {
			n->within_of.kind = EMH_ANCHOR_AS_OF;
			n->within_of.text = emh_strdup("@as_of");
			return 0;
		}
		/* "of" is a sibling of "within_days": its pointer hangs off the test's. */
		char *p = child_ptr(n->where_in_file ? n->where_in_file : "", "of");
		int rc = compile_anchor(c, &n->within_of, of, p ? p : jptr);
		free(p);
		return rc;
	}
	case EMH_P_UNIQUE: return compile_pointer(c, &n->unique, v, jptr);
	case EMH_P_AMONG: return compile_pointer(c, &n->among, v, jptr);
	case EMH_P_WHERE: case EMH_P_ALL: case EMH_P_ANY: case EMH_P_NONE: {
		emh_node *k = compile_node(c, v, jptr, depth + 1);
		if (!k)
			return -1;
		emh_node **slot = d->bit == EMH_P_WHERE ? &n->where : d->bit == EMH_P_ALL ? &n->all
		                  : d->bit == EMH_P_ANY ? &n->any : &n->none;
		*slot = k;
		return 0;
	}
	}
	return -1;
}

/*
 * "languages" beside an evidence text test: the ISO 639-1/-3 codes of the
 * languages its patterns are written for ("*": any, for patterns that read no
 * words, such as dates or certificate numbers). Default: English only.
 */
static int compile_languages(cctx *c, emh_node *n, const cJSON *j, const char *jptr)
{
	int size = cJSON_GetArraySize(j);
	if (!cJSON_IsArray(j) || size == 0 || size > 32) {
		problem(c, j, jptr, EMH_EINVALID, "expected an array of 1 to 32 language codes (\"en\", \"de\", or \"*\")");
		return -1;
	}
	emh_buf b = EMH_BUF_INIT;
	size_t i = 0;
	for (const cJSON *l = j->child; l; l = l->next, i++) {
		const char *v = cJSON_IsString(l) ? l->valuestring : NULL;
		size_t len = v ? strlen(v) : 0;
		int ok = v && (strcmp(v, "*") == 0 ||
		               ((len == 2 || len == 3) && strspn(v, "abcdefghijklmnopqrstuvwxyz") == len));
		if (!ok) {
			char *lp = child_idx(jptr, i);
			problem(c, l, lp ? lp : jptr, EMH_EINVALID,
			        "expected an ISO 639 language code in lower case (\"en\", \"de\") or \"*\"");
			free(lp);
			emh_buf_dispose(&b);
			return -1;
		}
		emh_buf_appendf(&b, "%s%s", i ? " " : "", v);
	}
	n->languages = emh_buf_detach(&b, NULL);
	return n->languages ? 0 : -1;
}

static emh_node *compile_test(cctx *c, const cJSON *j, const char *jptr, int depth,
                              emh_node_kind kind)
{
	emh_node *n = emh_calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->kind = kind;
	if (!(n->where_in_file = emh_strdup(jptr))) {
		free(n);
		out_of_memory(c, jptr);
		return NULL;
	}
	int bad = 0;
	const cJSON *flags = NULL, *of = NULL, *languages = NULL, *looks_for = NULL;
	for (const cJSON *m = j->child; m; m = m->next) {
		char *mp = child_ptr(jptr, m->string);
		const char *at = mp ? mp : jptr;
		const cJSON *first = cJSON_GetObjectItemCaseSensitive(j, m->string);
		if (first != m && (strcmp(m->string, "path") == 0 || strcmp(m->string, "evidence") == 0 ||
		                   strcmp(m->string, "flags") == 0 || strcmp(m->string, "of") == 0 ||
		                   strcmp(m->string, "languages") == 0 || strcmp(m->string, "looks_for") == 0)) {
			/* Found by fuzzing: a second "path" leaked the first pointer. */
			problem(c, m, at, EMH_EINVALID, "\"%s\" given twice", m->string);
			bad = 1;
		} else if (strcmp(m->string, "path") == 0 && kind == EMH_NODE_TEST) {
			bad |= compile_pointer(c, &n->path, m, at) != 0;
		} else if (strcmp(m->string, "evidence") == 0 && kind == EMH_NODE_EVIDENCE) {
			if (!cJSON_IsString(m) || !m->valuestring[0]) {
				problem(c, m, at, EMH_EINVALID, "expected an evidence kind (a string, or \"*\")");
				bad = 1;
			} else {
				n->evidence_kind = emh_strdup(m->valuestring);
			}
		} else if (strcmp(m->string, "flags") == 0) {
			flags = m;
			if (!cJSON_IsString(m) || m->valuestring[strspn(m->valuestring, "imsxu")] != '\0') {
				problem(c, m, at, EMH_EINVALID, "expected a string of regex flags (any of \"imsxu\")");
				bad = 1;
			}
		} else if (strcmp(m->string, "looks_for") == 0) {
			looks_for = m;
			if (!cJSON_IsString(m) || !m->valuestring[strspn(m->valuestring, " ")]) {
				problem(c, m, at, EMH_EINVALID, "expected what the patterns find, in plain words (a string)");
				bad = 1;
			} else if (!(n->looks_for = emh_strdup(m->valuestring))) {
				out_of_memory(c, at);
				bad = 1;
			}
		} else if (strcmp(m->string, "of") == 0 && kind == EMH_NODE_TEST) {
			of = m;
		} else if (strcmp(m->string, "languages") == 0 && kind == EMH_NODE_EVIDENCE) {
			languages = m;
			bad |= compile_languages(c, n, m, at) != 0;
		} else {
			const pred_def *d = NULL;
			for (size_t i = 0; i < sizeof preds / sizeof preds[0]; i++)
				if (strcmp(m->string, preds[i].name) == 0 &&
				    (kind == EMH_NODE_TEST ? preds[i].on_test : preds[i].on_evidence))
					d = &preds[i];
			if (!d) {
				problem(c, m, at, EMH_EINVALID, "unknown operator \"%s\" in a %s test",
				        m->string, kind == EMH_NODE_TEST ? "path" : "evidence");
				bad = 1;
			} else if (n->preds & d->bit) {
				problem(c, m, at, EMH_EINVALID, "operator \"%s\" given twice", m->string);
				bad = 1;
			} else {
				n->preds |= d->bit;
				bad |= compile_pred(c, n, d, m, j, at, depth) != 0;
			}
		}
		free(mp);
	}
	if (!bad) {
		if (!n->preds) {
			problem(c, j, jptr, EMH_EINVALID, "a test needs at least one operator besides \"%s\"",
			        kind == EMH_NODE_TEST ? "path" : "evidence");
			bad = 1;
		} else if (flags && !(n->preds & (EMH_P_MATCHES | EMH_P_NOT_MATCHES))) {
			problem(c, flags, jptr, EMH_EINVALID, "\"flags\" needs \"matches\" or \"not_matches\"");
			bad = 1;
		} else if (languages && !(n->preds & (EMH_P_MATCHES | EMH_P_NOT_MATCHES))) {
			problem(c, languages, jptr, EMH_EINVALID, "\"languages\" needs \"matches\" or \"not_matches\"");
			bad = 1;
		} else if (looks_for && !(n->preds & (EMH_P_MATCHES | EMH_P_NOT_MATCHES | EMH_P_NOT_STATES | EMH_P_STATES))) {
			problem(c, looks_for, jptr, EMH_EINVALID,
			        "\"looks_for\" needs \"matches\", \"not_matches\", \"states\" or \"not_states\"");
			bad = 1;
		} else if (of && !(n->preds & EMH_P_WITHIN_DAYS)) {
			problem(c, of, jptr, EMH_EINVALID, "\"of\" needs \"within_days\"");
			bad = 1;
		} else if ((n->preds & EMH_P_WHERE) &&
		           !(n->preds & (EMH_P_ALL | EMH_P_ANY | EMH_P_NONE | EMH_P_MIN_COUNT | EMH_P_MAX_COUNT))) {
			problem(c, j, jptr, EMH_EINVALID, "\"where\" needs all, any, none, min_count or max_count");
			bad = 1;
		} else if ((n->preds & EMH_P_ABSENT) && n->preds != EMH_P_ABSENT) {
			problem(c, j, jptr, EMH_EINVALID, "\"absent\" cannot be combined with other operators");
			bad = 1;
		}
	}
	if (kind == EMH_NODE_TEST && !n->path.text && !bad) {
		problem(c, j, jptr, EMH_EINVALID, "a test needs \"path\"");
		bad = 1;
	}
	if (bad) {
		emh_node_free(n);
		return NULL;
	}
	return n;
}

static emh_node *compile_logic(cctx *c, const cJSON *j, const char *jptr, int depth)
{
	const cJSON *m = j->child;
	if (m->next) {
		problem(c, m->next, jptr, EMH_EINVALID, "\"%s\" must be the only key of its object", m->string);
		return NULL;
	}
	emh_node *n = emh_calloc(1, sizeof *n);
	if (!n || !(n->where_in_file = emh_strdup(jptr))) {
		free(n);
		out_of_memory(c, jptr);
		return NULL;
	}
	char *mp = child_ptr(jptr, m->string);
	int bad = 0;
	if (strcmp(m->string, "not") == 0) {
		n->kind = EMH_NODE_NOT;
		n->kids = emh_calloc(1, sizeof *n->kids);
		if (n->kids && (n->kids[0] = compile_node(c, m, mp, depth + 1)))
			n->nkids = 1;
		else
			bad = 1;
	} else {
		n->kind = strcmp(m->string, "and") == 0 ? EMH_NODE_AND : EMH_NODE_OR;
		int count = cJSON_GetArraySize(m);
		if (!cJSON_IsArray(m) || count == 0) {
			problem(c, m, mp, EMH_EINVALID, "\"%s\" expects a non-empty array of expressions", m->string);
			bad = 1;
		} else {
			n->kids = emh_calloc((size_t)count, sizeof *n->kids);
			size_t i = 0;
			for (const cJSON *k = m->child; n->kids && k; k = k->next, i++) {
				char *kp = child_idx(mp, i);
				emh_node *kid = compile_node(c, k, kp, depth + 1);
				free(kp);
				if (kid)
					n->kids[n->nkids++] = kid;
				else
					bad = 1;
			}
			bad |= n->kids == NULL;
		}
	}
	free(mp);
	/* For lint, an and/or keeps the parts that compiled, so they are linted too. */
	if (bad && !(c->partial && n->nkids && n->kind != EMH_NODE_NOT)) {
		emh_node_free(n);
		return NULL;
	}
	return n;
}

static emh_node *compile_node(cctx *c, const cJSON *j, const char *jptr, int depth)
{
	if (!jptr) { /* the caller could not build the pointer */
		out_of_memory(c, NULL);
		return NULL;
	}
	if (depth > 64) {
		problem(c, j, jptr, EMH_ELIMIT, "expression nested deeper than 64 levels");
		return NULL;
	}
	if (!cJSON_IsObject(j) || !j->child) {
		problem(c, j, jptr, EMH_EINVALID,
		        "expected an expression: an object with \"and\", \"or\", \"not\", \"path\" or \"evidence\"");
		return NULL;
	}
	for (const cJSON *m = j->child; m; m = m->next) {
		if (strcmp(m->string, "and") == 0 || strcmp(m->string, "or") == 0 ||
		    strcmp(m->string, "not") == 0)
			return m == j->child ? compile_logic(c, j, jptr, depth)
			       : (problem(c, m, jptr, EMH_EINVALID, "\"%s\" must be the only key of its object",
			                  m->string), NULL);
	}
	if (cJSON_GetObjectItemCaseSensitive(j, "path"))
		return compile_test(c, j, jptr, depth, EMH_NODE_TEST);
	if (cJSON_GetObjectItemCaseSensitive(j, "evidence"))
		return compile_test(c, j, jptr, depth, EMH_NODE_EVIDENCE);
	problem(c, j, jptr, EMH_EINVALID,
	        "expected an expression: an object with \"and\", \"or\", \"not\", \"path\" or \"evidence\"");
	return NULL;
}

/* Does this expression read evidence files or compute dates (verified evidence)? */
static int reads_verified(const emh_node *n)
{
	if (!n)
		return 0;
	if (n->kind == EMH_NODE_EVIDENCE ||
	    (n->preds & (EMH_P_BEFORE | EMH_P_AFTER | EMH_P_WITHIN_DAYS)) || n->type == EMH_TYPE_DATE)
		return 1;
	for (size_t i = 0; i < n->nkids; i++)
		if (reads_verified(n->kids[i]))
			return 1;
	return reads_verified(n->where) || reads_verified(n->all) ||
	       reads_verified(n->any) || reads_verified(n->none);
}

int emh_node_reads_text(const emh_node *m, const char *kind)
{
	return m->kind == EMH_NODE_EVIDENCE &&
	       (m->preds & (EMH_P_MATCHES | EMH_P_NOT_MATCHES | EMH_P_NOT_STATES | EMH_P_STATES)) && m->evidence_kind &&
	       (strcmp(m->evidence_kind, "*") == 0 || strcmp(kind, "*") == 0 || strcmp(m->evidence_kind, kind) == 0);
}

/* Adds to self's others_read the languages of each text test on self's kind in m and its members (logic kids,
   not what quantifiers hold), self aside. Returns 0, or -1 out of memory. */
static int collect_others(emh_node *self, const emh_node *m)
{
	if (!m)
		return 0;
	if (m != self && emh_node_reads_text(m, self->evidence_kind)) {
		const char *l = m->languages ? m->languages : "en";
		size_t i = 0;
		while (i < self->nothers_read && strcmp(self->others_read[i], l) != 0)
			i++;
		if (i == self->nothers_read) {
			const char **more = emh_realloc(self->others_read, (i + 1) * sizeof *more);
			if (!more)
				return -1;
			more[i] = l;
			self->others_read = more;
			self->nothers_read = i + 1;
		}
	}
	for (size_t i = 0; i < m->nkids; i++)
		if (collect_others(self, m->kids[i]))
			return -1;
	return 0;
}

/*
 * Sets others_read of every text test under n, wherever it is evaluated, from the check it belongs to: the
 * evaluation (eval.c) asks for each file in a language the test does not read whether another test reads it.
 * Returns 0, or -1 out of memory.
 */
static int link_others(const emh_node *check, emh_node *n)
{
	if (!n)
		return 0;
	if (n->kind == EMH_NODE_EVIDENCE && n->evidence_kind && emh_node_reads_text(n, n->evidence_kind) &&
	    collect_others(n, check))
		return -1;
	for (size_t i = 0; i < n->nkids; i++)
		if (link_others(check, n->kids[i]))
			return -1;
	return link_others(check, n->where) || link_others(check, n->all) || link_others(check, n->any) ||
	       link_others(check, n->none) ? -1 : 0;
}

/* Is this pointer into facts an observer found in an artifact? /observed/declared is the
 * catalogue's reading of the vendor's declarations: still declared, not observed. */
static int observed_pointer(const emh_ptr *p)
{
	return p->ntokens && strcmp(p->tokens[0].key, "observed") == 0 &&
	       !(p->ntokens > 1 && strcmp(p->tokens[1].key, "declared") == 0);
}

/* Does this expression read the observers' facts (a path or among into /observed)? */
static int reads_observed(const emh_node *n, int at_root)
{
	if (!n)
		return 0;
	if (n->kind == EMH_NODE_TEST) {
		if (at_root && observed_pointer(&n->path))
			return 1;
		if ((n->preds & EMH_P_AMONG) && observed_pointer(&n->among))
			return 1;
	}
	for (size_t i = 0; i < n->nkids; i++)
		if (reads_observed(n->kids[i], at_root))
			return 1;
	/* Inside a quantifier, paths are relative to the element. */
	return reads_observed(n->where, 0) || reads_observed(n->all, 0) ||
	       reads_observed(n->any, 0) || reads_observed(n->none, 0);
}

void emh_criterion_dispose(emh_criterion *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->title);
	free(c->domain);
	for (size_t i = 0; i < c->nreferences; i++)
		free(c->references[i]);
	free(c->references);
	free(c->guidance);
	free(c->fail_message);
	free(c->remediation);
	emh_node_free(c->applies_when);
	free(c->applies_when_text);
	emh_node_free(c->check);
	free(c->requires);
	for (size_t i = 0; i < c->nrequires; i++)
		free(c->requires_ids[i]);
	free(c->requires_ids);
	free(c->loc_requires);
	free(c->file);
	memset(c, 0, sizeof *c);
}

static void locate(cctx *c, const cJSON *node, emh_loc *out)
{
	size_t off = 0;
	if (node)
		emh_json_locate(c->doc, node, &out->line, &out->column, &off);
}

static int valid_id(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

/* A required non-empty string member; returns a copy or NULL after a problem. */
static char *take_string(cctx *c, const cJSON *obj, const char *key, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char jp[128];
	snprintf(jp, sizeof jp, "/%s", key);
	if (!v) {
		if (required)
			problem(c, obj, "", EMH_EINVALID, "missing required key \"%s\"", key);
		return NULL;
	}
	if (!cJSON_IsString(v) || !v->valuestring[0]) {
		problem(c, v, jp, EMH_EINVALID, "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	return emh_strdup(v->valuestring);
}

static const char *const criterion_keys[] = {
	"id", "version", "title", "domain", "severity", "references", "applies_when",
	"requires", "check", "manual", "guidance", "review", "fail_message", "remediation",
};

int emh_criterion_compile(emh_criterion *out, const char *data, size_t len,
                          const char *path, const char *label,
                          emh_diagnostic_cb on_problem, void *payload,
                          int keep_partial, emh_error *err)
{
	memset(out, 0, sizeof *out);
	emh_json *doc = NULL;
	cctx c = { NULL, label, on_problem, payload, err, 0, keep_partial };
	emh_error perr = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.reject_nul = 1;
	if (emh_json_parse(&doc, data, len, label, &lim, &perr)) {
		if (on_problem)
			on_problem(&perr, payload);
		if (err)
			*err = perr;
		return perr.code ? perr.code : EMH_EINVALID;
	}
	c.doc = doc;
	const cJSON *root = emh_json_root(doc);
	out->file = emh_strdup(path);
	if (!cJSON_IsObject(root)) {
		problem(&c, root, "", EMH_EINVALID, "a criterion must be a JSON object");
		goto done;
	}
	for (const cJSON *m = root->child; m; m = m->next) {
		int known = 0;
		for (size_t i = 0; i < sizeof criterion_keys / sizeof criterion_keys[0]; i++)
			known |= strcmp(m->string, criterion_keys[i]) == 0;
		if (!known) {
			char *jp = child_ptr("", m->string);
			problem(&c, m, jp, EMH_EINVALID, "unknown key \"%s\" in a criterion", m->string);
			free(jp);
		}
	}
	locate(&c, cJSON_GetObjectItemCaseSensitive(root, "id"), &out->loc_id);
	locate(&c, cJSON_GetObjectItemCaseSensitive(root, "domain"), &out->loc_domain);
	out->id = take_string(&c, root, "id", 1);
	out->title = take_string(&c, root, "title", 1);
	out->domain = take_string(&c, root, "domain", 1);
	out->fail_message = take_string(&c, root, "fail_message", 1);
	out->remediation = take_string(&c, root, "remediation", 1);
	if (out->id && !valid_id(out->id))
		problem(&c, cJSON_GetObjectItemCaseSensitive(root, "id"), "/id", EMH_EINVALID,
		        "id \"%s\" must match [A-Z0-9][A-Z0-9.-]*", out->id);
	if (out->id && out->domain) {
		char expect[1024];
		snprintf(expect, sizeof expect, "%s/%s.json", out->domain, out->id);
		if (strcmp(expect, path) != 0)
			problem(&c, cJSON_GetObjectItemCaseSensitive(root, "id"), "/id", EMH_EINVALID,
			        "criterion %s of domain %s must be in the file %s", out->id, out->domain, expect);
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!v)
		problem(&c, root, "", EMH_EINVALID, "missing required key \"version\"");
	else if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 1e6 ||
	         v->valuedouble != floor(v->valuedouble))
		problem(&c, v, "/version", EMH_EINVALID, "\"version\" must be an integer >= 1");
	else
		out->version = (int)v->valuedouble;
	const cJSON *sev = cJSON_GetObjectItemCaseSensitive(root, "severity");
	emh_severity s;
	if (!sev)
		problem(&c, root, "", EMH_EINVALID, "missing required key \"severity\"");
	else if (!cJSON_IsString(sev) || emh_severity_parse(&s, sev->valuestring))
		problem(&c, sev, "/severity", EMH_EINVALID,
		        "\"severity\" must be \"blocker\", \"major\", \"minor\" or \"advisory\"");
	else
		out->severity = s;
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(root, "references");
	if (!refs) {
		problem(&c, root, "", EMH_EINVALID, "missing required key \"references\"");
	} else if (!cJSON_IsArray(refs) || !refs->child) {
		problem(&c, refs, "/references", EMH_EINVALID,
		        "\"references\" must be a non-empty array of framework clause ids");
	} else {
		size_t n = (size_t)cJSON_GetArraySize(refs), i = 0;
		out->references = emh_calloc(n, sizeof *out->references);
		for (const cJSON *r = refs->child; out->references && r; r = r->next, i++) {
			if (!cJSON_IsString(r) || !r->valuestring[0]) {
				char jp[64];
				snprintf(jp, sizeof jp, "/references/%zu", i);
				problem(&c, r, jp, EMH_EINVALID, "a reference must be a non-empty string");
				continue;
			}
			if (!(out->references[out->nreferences] = emh_strdup(r->valuestring)))
				out_of_memory(&c, "/references");
			else
				out->nreferences++;
		}
	}
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(root, "requires");
	if (req) {
		if (!cJSON_IsArray(req)) {
			problem(&c, req, "/requires", EMH_EINVALID, "\"requires\" must be an array of criterion ids");
		} else {
			size_t n = (size_t)cJSON_GetArraySize(req), i = 0;
			out->requires_ids = n ? emh_calloc(n, sizeof *out->requires_ids) : NULL;
			out->loc_requires = n ? emh_calloc(n, sizeof *out->loc_requires) : NULL;
			for (const cJSON *r = req->child; out->requires_ids && out->loc_requires && r;
			     r = r->next, i++) {
				if (!cJSON_IsString(r) || !valid_id(r->valuestring)) {
					char jp[64];
					snprintf(jp, sizeof jp, "/requires/%zu", i);
					problem(&c, r, jp, EMH_EINVALID, "expected a criterion id");
					continue;
				}
				locate(&c, r, &out->loc_requires[out->nrequires]);
				if (!(out->requires_ids[out->nrequires] = emh_strdup(r->valuestring)))
					out_of_memory(&c, "/requires");
				else
					out->nrequires++;
			}
		}
	}
	const cJSON *manual = cJSON_GetObjectItemCaseSensitive(root, "manual");
	const cJSON *check = cJSON_GetObjectItemCaseSensitive(root, "check");
	char *guidance = take_string(&c, root, "guidance", 0);
	char *review = take_string(&c, root, "review", 0);
	if (manual && !cJSON_IsTrue(manual))
		problem(&c, manual, "/manual", EMH_EINVALID, "\"manual\" must be true when present");
	if (manual && check)
		problem(&c, check, "/check", EMH_EINVALID, "a criterion has either \"check\" or \"manual\", not both");
	else if (!manual && !check)
		problem(&c, root, "", EMH_EINVALID, "a criterion needs \"check\" or \"manual\": true");
	if (manual && !guidance)
		problem(&c, manual, "/manual", EMH_EINVALID, "a manual criterion needs \"guidance\" for the reviewer");
	if (!manual && guidance)
		problem(&c, cJSON_GetObjectItemCaseSensitive(root, "guidance"), "/guidance", EMH_EINVALID,
		        "\"guidance\" is for manual criteria; a check's reviewer note is \"review\"");
	if (manual && review)
		problem(&c, cJSON_GetObjectItemCaseSensitive(root, "review"), "/review", EMH_EINVALID,
		        "\"review\" is for checks; a manual criterion has \"guidance\"");
	out->manual = manual != NULL;
	out->guidance = guidance ? guidance : review;
	if (guidance && review)
		free(review);
	const cJSON *aw = cJSON_GetObjectItemCaseSensitive(root, "applies_when");
	if (aw) {
		out->applies_when = compile_node(&c, aw, "/applies_when", 0);
		char *text = cJSON_PrintUnformatted(aw);
		out->applies_when_text = text ? emh_strdup(text) : NULL;
		cJSON_free(text);
	}
	if (check && !manual)
		out->check = compile_node(&c, check, "/check", 0);
	if (out->check && link_others(out->check, out->check))
		out_of_memory(&c, "/check");
	out->verified = reads_verified(out->check);
	out->observed = reads_observed(out->check, 1);
	/* Every failure above reports a problem but a failed allocation may not: a
	 * criterion without its check would reach evaluate.c as if it had none. */
	if (!c.nproblems && (!out->file || (check && !manual && !out->check) || (aw && !out->applies_when) ||
	                     (aw && !out->applies_when_text) || (refs && !out->references)))
		out_of_memory(&c, "");
done:
	emh_json_free(doc);
	if (c.nproblems) {
		if (!keep_partial)
			emh_criterion_dispose(out);
		return err && err->code ? err->code : EMH_EINVALID;
	}
	return 0;
}
