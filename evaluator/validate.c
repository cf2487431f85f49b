/*
 * validate.c - a submission checked against schemas/submission.schema.json.
 *
 * No Debian C library validates JSON Schema 2020-12, so this implements
 * exactly the keywords that one schema uses (docs/decisions.md); the schema
 * is compiled into the library, so the contract and the engine cannot drift,
 * and a unit test fails when the schema starts using a keyword not listed
 * here. Problems are reported where they are: file:line:col, the pointer,
 * what was expected and what was found. anyOf is reported once, through the
 * alternative the value was evidently meant for (a value, or a declared
 * {"$unknown": ...}), so a wrong field is one error, not a cascade.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/internal.h"
#include "evaluator/validate.h"

#define SUBMISSION_SCHEMA_ID "emheval/submission/1"

/* ---- the embedded schema, parsed once --------------------------------- */

typedef struct pattern {
	const cJSON *node; /* the "pattern" string in the schema */
	emh_regex re;
} pattern;

static struct {
	emh_json *doc;
	const cJSON *root;
	pattern *patterns;
	size_t npatterns;
	int ok;
} schema;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;

/* Keywords that hold one subschema, a map of them, a list of them, or plain values. */
static const char *const one_schema[] = { "items", "not", "additionalProperties", NULL };
static const char *const map_schema[] = { "properties", "$defs", NULL };
static const char *const list_schema[] = { "anyOf", NULL };
static const char *const value_keywords[] = {
	"type", "enum", "const", "required", "pattern", "format", "minLength", "minimum",
	"maximum", "minItems", "maxItems", "$ref", NULL
};
/* Annotations: no effect on validity. */
static const char *const annotations[] = {
	"$schema", "$id", "title", "description", "$comment", "examples", "default", NULL
};

static int listed(const char *const *list, const char *k)
{
	for (; *list; list++)
		if (strcmp(*list, k) == 0)
			return 1;
	return 0;
}

/* Walks the schema: compiles patterns (when collect) and finds unsupported keywords. */
static const char *walk_schema(const cJSON *s, int collect)
{
	if (!cJSON_IsObject(s))
		return NULL;
	int ref = cJSON_GetObjectItemCaseSensitive(s, "$ref") != NULL;
	for (const cJSON *k = s->child; k; k = k->next) {
		const char *bad = NULL;
		if (ref && !listed(annotations, k->string) && strcmp(k->string, "$ref") != 0)
			return "a keyword beside $ref";
		if (listed(one_schema, k->string)) {
			bad = walk_schema(k, collect);
		} else if (listed(map_schema, k->string) || listed(list_schema, k->string)) {
			for (const cJSON *c = k->child; c && !bad; c = c->next)
				bad = walk_schema(c, collect);
		} else if (!listed(value_keywords, k->string) && !listed(annotations, k->string)) {
			return k->string;
		} else if (collect && strcmp(k->string, "pattern") == 0 && cJSON_IsString(k)) {
			pattern *p = realloc(schema.patterns, (schema.npatterns + 1) * sizeof *p);
			if (!p)
				return "(out of memory)";
			schema.patterns = p;
			emh_error e = EMH_ERROR_INIT;
			p[schema.npatterns].node = k;
			if (emh_regex_compile(&p[schema.npatterns].re, k->valuestring, NULL, &e))
				return "pattern (does not compile)";
			schema.npatterns++;
		}
		if (bad)
			return bad;
	}
	return NULL;
}

static void load_schema(void)
{
	emh_error e = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.read_only = 1;
	if (emh_json_parse(&schema.doc, emh_submission_schema_json, emh_submission_schema_len,
	                   "submission.schema.json", &lim, &e))
		return;
	schema.root = emh_json_root(schema.doc);
	schema.ok = walk_schema(schema.root, 1) == NULL;
}

static int schema_ready(void)
{
	pthread_once(&schema_once, load_schema);
	return schema.ok;
}

const char *emh_validate_unsupported_keyword(void)
{
	pthread_once(&schema_once, load_schema);
	if (!schema.root)
		return "(unparsable)";
	return walk_schema(schema.root, 0);
}

static const emh_regex *pattern_for(const cJSON *node)
{
	for (size_t i = 0; i < schema.npatterns; i++)
		if (schema.patterns[i].node == node)
			return &schema.patterns[i].re;
	return NULL;
}

/* "#/$defs/NAME" (the only references the schema makes); NULL otherwise. */
static const cJSON *resolve_ref(const char *ref)
{
	if (strncmp(ref, "#/$defs/", 8) != 0)
		return NULL;
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(schema.root, "$defs");
	return cJSON_GetObjectItemCaseSensitive(defs, ref + 8);
}

/* ---- validating --------------------------------------------------------- */

typedef struct vctx {
	const emh_json *doc;
	const char *file;
	emh_diagnostic_cb on_problem, on_warning;
	void *payload;
	emh_buf ptr;       /* the pointer of the value being checked */
	int quiet;         /* > 0: only whether it validates (inside anyOf and not) */
	int fragment;      /* EMH_VALIDATE_FRAGMENT: no "required" applies */
	int nowarn;        /* > 0: problems only, no unknown-member warnings (inside an
	                      anyOf beside properties, whose alternatives list few members) */
	size_t errors;
	size_t warnings;   /* reported ones, then counted past the cap */
	emh_error first;
	emh_matcher m;
} vctx;

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* What was found: its type and, for a scalar, its value (shortened). */
static void describe(char *dst, size_t size, const cJSON *v)
{
	if (cJSON_IsString(v))
		snprintf(dst, size, "the string \"%.60s%s\"", v->valuestring,
		         strlen(v->valuestring) > 60 ? "..." : "");
	else if (cJSON_IsNumber(v))
		snprintf(dst, size, "the number %.17g", v->valuedouble);
	else if (cJSON_IsBool(v))
		snprintf(dst, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
	else
		snprintf(dst, size, "%s", type_name(v));
}

static void report(vctx *c, int warning, const cJSON *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(vctx *c, int warning, const cJSON *at, const char *fmt, ...)
{
	if (c->quiet || (warning && c->nowarn))
		return;
	/* Past the cap nothing is located (each location walks the tree): only counted. */
	if (warning ? c->warnings++ >= EMH_VALIDATE_MAX_ERRORS : c->errors >= EMH_VALIDATE_MAX_ERRORS)
		return;
	emh_error e;
	va_list ap;
	va_start(ap, fmt);
	emh_json_vproblem(&e, EMH_EINVALID, c->doc, at, c->file, c->ptr.len ? emh_buf_cstr(&c->ptr) : "", fmt, ap);
	va_end(ap);
	if (warning) {
		if (c->on_warning)
			c->on_warning(&e, c->payload);
		return;
	}
	if (c->errors == 0)
		c->first = e;
	if (c->errors < EMH_VALIDATE_MAX_ERRORS && c->on_problem)
		c->on_problem(&e, c->payload);
}

/* A failure: counted always, reported unless quiet. Returns 1 for `return fail(...)`. */
#define FAIL(c, at, ...) (report((c), 0, (at), __VA_ARGS__), (c)->errors++, 1)

static int type_ok(const cJSON *v, const char *t)
{
	if (strcmp(t, "object") == 0)
		return cJSON_IsObject(v);
	if (strcmp(t, "array") == 0)
		return cJSON_IsArray(v);
	if (strcmp(t, "string") == 0)
		return cJSON_IsString(v);
	if (strcmp(t, "number") == 0)
		return cJSON_IsNumber(v);
	if (strcmp(t, "integer") == 0)
		return cJSON_IsNumber(v) && isfinite(v->valuedouble) && floor(v->valuedouble) == v->valuedouble;
	if (strcmp(t, "boolean") == 0)
		return cJSON_IsBool(v);
	if (strcmp(t, "null") == 0)
		return cJSON_IsNull(v);
	return 0;
}

static const char *article(const char *t)
{
	return strcmp(t, "null") == 0 ? "" : (t[0] == 'a' || t[0] == 'i' || t[0] == 'o') ? "an " : "a ";
}

/* JSON equality as JSON Schema defines it (1 and 1.0 are equal). */
static int json_equal(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	return cJSON_Compare(a, b, 1);
}

/* The allowed values of an enum, for messages: "one of a, b, c". */
static void enum_text(char *dst, size_t size, const cJSON *list)
{
	size_t n = 0;
	dst[0] = '\0';
	for (const cJSON *x = list->child; x && n + 1 < size; x = x->next) {
		char *s = cJSON_PrintUnformatted(x);
		int w = snprintf(dst + n, size - n, "%s%s", n ? ", " : "", s ? s : "?");
		cJSON_free(s);
		if (w < 0 || (size_t)w >= size - n) {
			snprintf(dst + (size > 5 ? size - 5 : 0), size > 5 ? 5 : size, "...");
			break;
		}
		n += (size_t)w;
	}
}

/* Damerau-Levenshtein (optimal string alignment) distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* The closest name in props to key, when close enough to be a typo; else NULL. */
static const char *suggest(const cJSON *props, const char *key)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, len = strlen(key);
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	for (const cJSON *p = props ? props->child : NULL; p; p = p->next) {
		size_t d = edit_distance(key, p->string);
		if (d < bestd) {
			bestd = d;
			best = p->string;
		}
	}
	return bestd <= limit ? best : NULL;
}

static int check(vctx *c, const cJSON *v, const cJSON *s);

static void push(vctx *c, const char *token)
{
	emh_ptr_append_token(&c->ptr, token);
}

static void pop(vctx *c, size_t len)
{
	c->ptr.len = len;
	if (c->ptr.ptr)
		c->ptr.ptr[len] = '\0';
}

/* Runs check quietly: 1 when v validates against s. */
static int validates(vctx *c, const cJSON *v, const cJSON *s)
{
	size_t errors = c->errors;
	c->quiet++;
	check(c, v, s);
	c->quiet--;
	int ok = c->errors == errors;
	c->errors = errors;
	return ok;
}

/* Whether s (after its $ref) could be meant for v's JSON type. */
static int meant_for(const cJSON *v, const cJSON *s)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(s, "$ref");
	if (cJSON_IsString(ref) && resolve_ref(ref->valuestring))
		s = resolve_ref(ref->valuestring);
	/* A member with a const tells the alternatives apart ("status": "not_supplied"). */
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
	for (const cJSON *p = props && cJSON_IsObject(v) ? props->child : NULL; p; p = p->next) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(p, "const");
		if (!k)
			continue;
		const cJSON *have = cJSON_GetObjectItemCaseSensitive(v, p->string);
		if (have)
			return json_equal(have, k);
		for (const cJSON *r = req ? req->child : NULL; r; r = r->next)
			if (cJSON_IsString(r) && strcmp(r->valuestring, p->string) == 0)
				return 0;
	}
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
	if (cJSON_IsString(t) && !type_ok(v, t->valuestring) &&
	    !(strcmp(t->valuestring, "number") == 0 && cJSON_IsNumber(v)))
		return 0;
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
	if (cJSON_IsArray(en)) {
		for (const cJSON *x = en->child; x; x = x->next)
			if ((x->type & 0xFF) == (v->type & 0xFF) || (cJSON_IsBool(x) && cJSON_IsBool(v)))
				return 1;
		return 0;
	}
	/* A declared unknown is meant only by an object holding "$unknown". */
	if (cJSON_IsArray(req) && req->child && cJSON_IsString(req->child) &&
	    strcmp(req->child->valuestring, "$unknown") == 0)
		return cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "$unknown");
	return 1;
}

/* A short account of what an alternative accepts, for anyOf messages. */
static void expects(char *dst, size_t size, const cJSON *s)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(s, "$ref");
	if (cJSON_IsString(ref) && strcmp(ref->valuestring, "#/$defs/unknown") == 0) {
		snprintf(dst, size, "a declared unknown {\"$unknown\": \"why\"}");
		return;
	}
	if (cJSON_IsString(ref) && strcmp(ref->valuestring, "#/$defs/date") == 0) {
		snprintf(dst, size, "a date YYYY-MM-DD");
		return;
	}
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
	if (cJSON_IsString(t)) {
		snprintf(dst, size, "%s%s", article(t->valuestring), t->valuestring);
	} else if (cJSON_IsArray(en)) {
		char list[300];
		enum_text(list, sizeof list, en);
		snprintf(dst, size, "one of %s", list);
	} else {
		snprintf(dst, size, "a value of another form");
	}
}

static int check_any_of(vctx *c, const cJSON *v, const cJSON *alts, int warn)
{
	const cJSON *meant = NULL;
	for (const cJSON *a = alts->child; a; a = a->next)
		if (validates(c, v, a)) {
			if (!c->quiet && warn)
				check(c, v, a); /* only for its warnings */
			return 0;
		}
	if (c->quiet)
		return FAIL(c, v, "no alternative matches");
	for (const cJSON *a = alts->child; a && !meant; a = a->next)
		if (meant_for(v, a))
			meant = a;
	if (meant) {
		c->nowarn += !warn;
		int bad = check(c, v, meant);
		c->nowarn -= !warn;
		return bad ? 1 : FAIL(c, v, "no alternative matches");
	}
	char want[700] = "", one[340], found[100];
	size_t n = 0;
	for (const cJSON *a = alts->child; a; a = a->next) {
		expects(one, sizeof one, a);
		int w = snprintf(want + n, sizeof want - n, "%s%s", n ? " or " : "", one);
		if (w < 0 || (size_t)w >= sizeof want - n)
			break;
		n += (size_t)w;
	}
	describe(found, sizeof found, v);
	return FAIL(c, v, "expected %s, found %s", want, found);
}

static int check_object(vctx *c, const cJSON *v, const cJSON *s)
{
	int bad = 0;
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
	const cJSON *extra = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
	size_t here = c->ptr.len;
	for (const cJSON *r = req ? req->child : NULL; r; r = r->next) {
		if (!cJSON_IsString(r) || cJSON_GetObjectItemCaseSensitive(v, r->valuestring))
			continue;
		if (c->fragment) /* a fixture's fragment: members its criterion does not read may be absent */
			continue;
		bad |= FAIL(c, v, "missing required member \"%s\"", r->valuestring);
		if (c->quiet)
			return 1;
	}
	for (const cJSON *m = v->child; m; m = m->next) {
		const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, m->string) : NULL;
		push(c, m->string);
		if (ps) {
			bad |= check(c, m, ps);
		} else if (cJSON_IsFalse(extra)) {
			pop(c, here); /* reported at the object, as JSON Schema does */
			bad |= FAIL(c, v, "member \"%.80s\" is not allowed here", m->string);
		} else if (cJSON_IsObject(extra)) {
			bad |= check(c, m, extra);
		} else {
			const char *near = suggest(props, m->string);
			if (near)
				report(c, 1, m, "unknown member \"%.80s\": did you mean \"%s\"?", m->string, near);
			else
				report(c, 1, m, "unknown member \"%.80s\" (not in the schema; no check reads it "
				       "unless a criterion names it)", m->string);
		}
		pop(c, here);
		if (bad && c->quiet)
			return 1;
	}
	return bad;
}

static int check_array(vctx *c, const cJSON *v, const cJSON *s)
{
	int bad = 0;
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0, here = c->ptr.len;
	const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minItems");
	const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maxItems");
	if (cJSON_IsNumber(mn) && (double)n < mn->valuedouble)
		bad |= FAIL(c, v, "expected at least %.0f items, found %zu", mn->valuedouble, n);
	if (cJSON_IsNumber(mx) && (double)n > mx->valuedouble)
		bad |= FAIL(c, v, "expected at most %.0f items, found %zu", mx->valuedouble, n);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
	if (!items || (bad && c->quiet))
		return bad;
	for (const cJSON *x = v->child; x; x = x->next, i++) {
		char tok[32];
		snprintf(tok, sizeof tok, "%zu", i);
		push(c, tok);
		bad |= check(c, x, items);
		pop(c, here);
		if (bad && c->quiet)
			return 1;
	}
	return bad;
}

static int check_string(vctx *c, const cJSON *v, const cJSON *s)
{
	int bad = 0;
	const char *str = v->valuestring;
	size_t len = strlen(str);
	char found[100];
	const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minLength");
	if (cJSON_IsNumber(mn)) {
		size_t chars = 0;
		for (size_t i = 0; i < len; i++)
			chars += ((unsigned char)str[i] & 0xC0) != 0x80;
		if ((double)chars < mn->valuedouble)
			bad |= FAIL(c, v, "expected a string of at least %.0f character%s, found \"%.60s\"",
			            mn->valuedouble, mn->valuedouble == 1 ? "" : "s", str);
	}
	const cJSON *pat = cJSON_GetObjectItemCaseSensitive(s, "pattern");
	const emh_regex *re = cJSON_IsString(pat) ? pattern_for(pat) : NULL;
	if (re) {
		size_t a, b;
		int rc = emh_regex_search(re, &c->m, str, len, &a, &b);
		describe(found, sizeof found, v);
		if (rc != 1)
			bad |= FAIL(c, v, "expected a string matching %s, found %s", pat->valuestring, found);
	}
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(s, "format");
	long days;
	if (!bad && cJSON_IsString(fmt) && strcmp(fmt->valuestring, "date") == 0 && emh_date_parse(&days, str)) {
		describe(found, sizeof found, v);
		bad |= FAIL(c, v, "expected a real calendar date YYYY-MM-DD, found %s", found);
	}
	return bad;
}

/*
 * Checks v against s. root: 1 at a full submission's root, 2 at a
 * fragment's. Returns 1 when v does not validate.
 */
static int check(vctx *c, const cJSON *v, const cJSON *s)
{
	int bad = 0;
	char found[100], want[400];
	if (cJSON_IsFalse(s))
		return FAIL(c, v, "no value is allowed here");
	if (!cJSON_IsObject(s))
		return 0;
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(s, "$ref");
	if (cJSON_IsString(ref)) {
		/* The siblings of a $ref are annotations (walk_schema makes sure). */
		const cJSON *target = resolve_ref(ref->valuestring);
		return target ? check(c, v, target) : FAIL(c, v, "the schema's $ref %s does not resolve", ref->valuestring);
	}
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "type");
	if (cJSON_IsString(t) && !type_ok(v, t->valuestring)) {
		describe(found, sizeof found, v);
		return FAIL(c, v, "expected %s%s, found %s", article(t->valuestring), t->valuestring, found);
	}
	const cJSON *cst = cJSON_GetObjectItemCaseSensitive(s, "const");
	if (cst && !json_equal(v, cst)) {
		char *w = cJSON_PrintUnformatted(cst);
		describe(found, sizeof found, v);
		bad = FAIL(c, v, "expected %s, found %s", w ? w : "a constant", found);
		cJSON_free(w);
		return bad;
	}
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
	if (cJSON_IsArray(en)) {
		const cJSON *x = en->child;
		while (x && !json_equal(v, x))
			x = x->next;
		if (!x) {
			enum_text(want, sizeof want, en);
			describe(found, sizeof found, v);
			return FAIL(c, v, "expected one of %s, found %s", want, found);
		}
	}
	const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minimum");
	const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maximum");
	if (cJSON_IsNumber(v) && cJSON_IsNumber(mn) && v->valuedouble < mn->valuedouble)
		return FAIL(c, v, "expected a number of at least %g, found %.17g", mn->valuedouble, v->valuedouble);
	if (cJSON_IsNumber(v) && cJSON_IsNumber(mx) && v->valuedouble > mx->valuedouble)
		return FAIL(c, v, "expected a number of at most %g, found %.17g", mx->valuedouble, v->valuedouble);
	if (cJSON_IsString(v))
		bad |= check_string(c, v, s);
	const cJSON *no = cJSON_GetObjectItemCaseSensitive(s, "not");
	if (no && validates(c, v, no)) {
		const cJSON *np = cJSON_GetObjectItemCaseSensitive(no, "pattern");
		describe(found, sizeof found, v);
		bad |= cJSON_IsString(np) ? FAIL(c, v, "%s refused: it must not match %s", found, np->valuestring)
		                          : FAIL(c, v, "found %s, which this place does not allow", found);
	}
	if (bad && c->quiet)
		return 1;
	const cJSON *any = cJSON_GetObjectItemCaseSensitive(s, "anyOf");
	/* anyOf beside properties: its alternatives are further rules on this same object. */
	int own = cJSON_GetObjectItemCaseSensitive(s, "properties") || cJSON_GetObjectItemCaseSensitive(s, "items");
	if (cJSON_IsArray(any)) {
		bad |= check_any_of(c, v, any, !own);
		if (!own || (bad && c->quiet))
			return bad;
	}
	if (cJSON_IsObject(v))
		bad |= check_object(c, v, s);
	else if (cJSON_IsArray(v))
		bad |= check_array(c, v, s);
	return bad;
}

int emh_validate_submission(const emh_json *doc, const char *file, int mode,
                            emh_diagnostic_cb on_problem, emh_diagnostic_cb on_warning,
                            void *payload, emh_error *err)
{
	const cJSON *root = emh_json_root(doc);
	unsigned line = 0, col = 0;
	emh_json_locate(doc, root, &line, &col, NULL);
	if (!schema_ready()) {
		emh_error_set(err, EMH_EGENERIC, "the embedded submission schema does not load (a build problem)");
		return EMH_EGENERIC;
	}
	const cJSON *marker = cJSON_GetObjectItemCaseSensitive(root, "schema");
	const char *why = NULL;
	char found[100];
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format"); /* a dossier's marker */
	if (!cJSON_IsObject(root))
		why = "a submission must be a JSON object";
	else if (!marker && cJSON_IsString(format) && strncmp(format->valuestring, "emheval/", 8) == 0)
		marker = format, why = "not a submission";
	else if (!marker && mode != EMH_VALIDATE_FRAGMENT)
		why = "not a submission: it has no \"schema\" member (expected \"schema\": \"" SUBMISSION_SCHEMA_ID "\")";
	else if (marker && (!cJSON_IsString(marker) || strcmp(marker->valuestring, SUBMISSION_SCHEMA_ID) != 0))
		why = "not a submission";
	if (why) {
		const cJSON *at = marker && cJSON_IsObject(root) ? marker : root;
		emh_json_locate(doc, at, &line, &col, NULL);
		if (at == marker) {
			describe(found, sizeof found, marker);
			emh_error_set(err, EMH_EINVALID, "%s: its \"%s\" is %s, expected \"schema\": \"%s\"", why,
			              marker->string, found, SUBMISSION_SCHEMA_ID);
		} else {
			emh_error_set(err, EMH_EINVALID, "%s", why);
		}
		emh_error_locate(err, file, line, col, at == marker ? (at == format ? "/format" : "/schema") : "");
		if (on_problem)
			on_problem(err, payload);
		return EMH_EINVALID;
	}
	vctx c;
	memset(&c, 0, sizeof c);
	c.doc = doc;
	c.file = file;
	c.on_problem = on_problem;
	c.on_warning = on_warning;
	c.payload = payload;
	c.fragment = mode == EMH_VALIDATE_FRAGMENT;
	emh_buf_init(&c.ptr, 0);
	if (emh_matcher_init(&c.m)) {
		emh_buf_dispose(&c.ptr);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	check(&c, root, schema.root);
	emh_matcher_dispose(&c.m);
	emh_buf_dispose(&c.ptr);
	if (c.errors && err) {
		*err = c.first;
		if (c.errors > 1) {
			size_t n = strlen(err->message);
			snprintf(err->message + n, sizeof err->message - n, " (and %zu more problem%s%s)",
			         c.errors - 1, c.errors == 2 ? "" : "s",
			         c.errors > EMH_VALIDATE_MAX_ERRORS ? "; the first 50 are listed" : "");
		}
	}
	if (c.warnings > EMH_VALIDATE_MAX_ERRORS && on_warning) {
		emh_error more = EMH_ERROR_INIT;
		emh_error_set(&more, EMH_EINVALID, "%zu more unknown members not listed",
		              c.warnings - EMH_VALIDATE_MAX_ERRORS);
		emh_error_locate(&more, file, 0, 0, NULL);
		on_warning(&more, payload);
	}
	if (!c.errors)
		return 0;
	if (c.errors > EMH_VALIDATE_MAX_ERRORS && on_problem) {
		emh_error more = EMH_ERROR_INIT;
		emh_error_set(&more, EMH_EINVALID, "%zu more problems not listed", c.errors - EMH_VALIDATE_MAX_ERRORS);
		emh_error_locate(&more, file, 0, 0, NULL);
		on_problem(&more, payload);
	}
	return EMH_EINVALID;
}
