/*
 * eval.c - evaluating one compiled expression against a submission.
 *
 * The fast path (explain off) only answers pass, fail, needs_review or
 * error. When a criterion does not pass, evaluate.c runs it again with
 * explain on, and then each test that decides the outcome records a finding:
 * the pointer, the condition, the value seen and where it is. Keeping the
 * explanation out of the first pass keeps the common case cheap.
 */
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "evaluator/eval_internal.h"
#include "evaluator/json.h"

/* ---- findings ----------------------------------------------------------- */

static int recording(const emh_ectx *c)
{
	return c->explain && !c->quiet;
}

/* A short, JSON-like description of a value for "found". */
static char *describe_json(emh_ectx *c, const cJSON *v, size_t max);

static char *describe_value(emh_ectx *c, const cJSON *v)
{
	if (!v)
		return emh_arena_strdup(c->arena, "absent");
	if (cJSON_IsObject(v)) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(v, "$unknown");
		if (u)
			return emh_arena_printf(c->arena, "declared unknown%s%.200s",
			                        cJSON_IsString(u) ? ": " : "", cJSON_IsString(u) ? u->valuestring : "");
		return emh_arena_printf(c->arena, "an object of %d members", cJSON_GetArraySize(v));
	}
	if (cJSON_IsArray(v))
		return emh_arena_printf(c->arena, "an array of %d elements", cJSON_GetArraySize(v));
	if (cJSON_IsString(v)) {
		emh_buf b = EMH_BUF_INIT;
		size_t len = strlen(v->valuestring), cut = len;
		if (len > 120) {
			cut = 120;
			while (cut > 0 && ((unsigned char)v->valuestring[cut] & 0xC0) == 0x80)
				cut--;
		}
		emh_buf_append_json_string(&b, v->valuestring, cut);
		if (cut < len)
			emh_buf_puts(&b, "…");
		char *s = emh_buf_ok(&b) ? emh_arena_strdup(c->arena, emh_buf_cstr(&b)) : NULL;
		emh_buf_dispose(&b);
		if (!s) /* out of memory: the evaluation fails (evaluate.c) */
			emh_arena_set_failed(c->arena);
		return s;
	}
	return describe_json(c, v, (size_t)-1);
}

/* v as compact JSON, at most max bytes; NULL (and the arena marked failed) when out of memory. */
static char *describe_json(emh_ectx *c, const cJSON *v, size_t max)
{
	char *p = cJSON_PrintUnformatted(v);
	char *s = p ? emh_arena_strndup(c->arena, p, strlen(p) > max ? max : strlen(p)) : NULL;
	cJSON_free(p);
	if (!s)
		emh_arena_set_failed(c->arena);
	return s;
}

/* prefix then v as JSON (at most 300 bytes), or NULL when out of memory. */
static char *prefixed_json(emh_ectx *c, const char *prefix, const cJSON *v)
{
	char *j = describe_json(c, v, 300);
	return j ? emh_arena_printf(c->arena, "%s%s", prefix, j) : NULL;
}

static const char *type_name(emh_type t)
{
	static const char *const names[] = { "?", "string", "number", "integer", "boolean",
	                                     "null", "array", "object", "date (YYYY-MM-DD)" };
	return names[t];
}

/*
 * A pattern in words. A long one (MH-NOADS-01's is over 3,000 characters) would
 * bury the finding's excerpt under the pattern: show its start and its length;
 * the criterion file has the rest.
 */
enum { PATTERN_SHOWN = 160, PATTERN_HEAD = 100 };
static char *describe_pattern(emh_ectx *c, const char *verb, const emh_regex *re)
{
	size_t n = strlen(re->source);
	if (n <= PATTERN_SHOWN)
		return emh_arena_printf(c->arena, "%s /%s/%s", verb, re->source, re->flags);
	size_t k = PATTERN_HEAD;
	while (k > 0 && ((unsigned char)re->source[k] & 0xC0) == 0x80)
		k--; /* not inside a UTF-8 sequence */
	return emh_arena_printf(c->arena, "%s /%.*s.../%s (a pattern of %zu characters; see the criterion)",
	                        verb, (int)k, re->source, re->flags, n);
}

/* What predicate `bit` of n demands, in words. */
static char *describe_pred(emh_ectx *c, const emh_node *n, unsigned bit)
{
	emh_arena *a = c->arena;
	switch (bit) {
	case EMH_P_EXISTS: return emh_arena_strdup(a, "present");
	case EMH_P_ABSENT: return emh_arena_strdup(a, "absent");
	case EMH_P_TYPE: return emh_arena_printf(a, "of type %s", type_name(n->type));
	case EMH_P_EQ: return prefixed_json(c, "equal to ", n->eq);
	case EMH_P_NE: return prefixed_json(c, "not equal to ", n->ne);
	case EMH_P_IN: return prefixed_json(c, "one of ", n->in);
	case EMH_P_AMONG: return emh_arena_printf(a, "one of the values at %s", n->among.text);
	case EMH_P_LT: return emh_arena_printf(a, "a number < %s", n->lt.text ? n->lt.text : "?");
	case EMH_P_LE: return emh_arena_printf(a, "a number <= %s", n->le.text ? n->le.text : "?");
	case EMH_P_GT: return emh_arena_printf(a, "a number > %s", n->gt.text ? n->gt.text : "?");
	case EMH_P_GE: return emh_arena_printf(a, "a number >= %s", n->ge.text ? n->ge.text : "?");
	case EMH_P_MIN_LENGTH: return emh_arena_printf(a, "length >= %zu", n->min_length);
	case EMH_P_MAX_LENGTH: return emh_arena_printf(a, "length <= %zu", n->max_length);
	case EMH_P_MATCHES: return describe_pattern(c, "matching", &n->matches);
	case EMH_P_NOT_MATCHES: return describe_pattern(c, "not matching", &n->not_matches);
	case EMH_P_NOT_STATES:
		return emh_arena_printf(c->arena, "no clause (parsed) whose unnegated verb matches /%.80s/ with an object "
		                        "matching /%.80s/ and a purpose matching /%.80s/", n->not_states.verb_any.source,
		                        n->not_states.object.source, n->not_states.purpose.source);
	case EMH_P_STATES:
		return emh_arena_printf(c->arena, "a clause (parsed) whose unnegated verb matches /%.80s/ with an object "
		                        "matching /%.80s/%s%.80s%s", n->states.verb_any.source, n->states.object.source,
		                        n->states.purpose.source[0] ? " and a purpose matching /" : "",
		                        n->states.purpose.source, n->states.purpose.source[0] ? "/" : "");
	case EMH_P_BEFORE: return emh_arena_printf(a, "a date before %s", n->before.text);
	case EMH_P_AFTER: return emh_arena_printf(a, "a date after %s", n->after.text);
	case EMH_P_WITHIN_DAYS: return emh_arena_printf(a, "a date at most %ld days before %s", n->within_days, n->within_of.text);
	case EMH_P_WHERE: return emh_arena_strdup(a, "an array");
	case EMH_P_ALL: return emh_arena_strdup(a, "every element to satisfy the condition");
	case EMH_P_ANY: return emh_arena_strdup(a, "some element to satisfy the condition");
	case EMH_P_NONE: return emh_arena_strdup(a, "no element to satisfy the condition");
	case EMH_P_MIN_COUNT: return emh_arena_printf(a, "at least %zu %s", n->min_count, n->where ? "matching elements" : "elements");
	case EMH_P_MAX_COUNT: return emh_arena_printf(a, "at most %zu %s", n->max_count, n->where ? "matching elements" : "elements");
	case EMH_P_UNIQUE:
		return n->unique.text[0] ? emh_arena_printf(a, "no two elements with equal %s", n->unique.text)
		                         : emh_arena_strdup(a, "no two equal elements");
	case EMH_P_PRESENT: return emh_arena_printf(a, "a readable evidence file of kind \"%s\"", n->evidence_kind);
	case EMH_P_VERIFIED: return emh_arena_printf(a, "evidence of kind \"%s\" whose SHA-256 matches the declared one", n->evidence_kind);
	}
	return emh_arena_strdup(a, "?");
}

/*
 * What a finding expected, negation included. A text check says it in the
 * criterion's words ("looks_for"), or for evidence without them, plainly;
 * its pattern goes to the finding's pattern member (text_pattern), shown
 * only when asked. Other tests say it with describe_pred.
 */
static char *expected_for(emh_ectx *c, const emh_node *n, unsigned bit)
{
	int text = bit == EMH_P_MATCHES || bit == EMH_P_NOT_MATCHES || bit == EMH_P_NOT_STATES || bit == EMH_P_STATES;
	if (text && (n->looks_for || n->kind == EMH_NODE_EVIDENCE)) {
		int find = (bit == EMH_P_MATCHES || bit == EMH_P_STATES) != (c->negated != 0);
		if (n->looks_for)
			return emh_arena_printf(c->arena, "%s %s", find ? "to find" : "not to find", n->looks_for);
		return emh_arena_printf(c->arena, "%s", find ? "to find a match of the criterion's pattern"
		                                             : "to find no match of the criterion's pattern");
	}
	char *want = describe_pred(c, n, bit);
	return c->negated && want ? emh_arena_printf(c->arena, "not %s", want) : want;
}

/*
 * A text check's pattern(s) in full, for the finding's pattern member; NULL
 * for other tests and for a value test's short pattern, which expected shows.
 */
static char *text_pattern(emh_ectx *c, const emh_node *n, unsigned bit)
{
	const emh_regex *re = bit == EMH_P_MATCHES ? &n->matches : bit == EMH_P_NOT_MATCHES ? &n->not_matches : NULL;
	if (re && n->kind == EMH_NODE_TEST && !n->looks_for && strlen(re->source) <= PATTERN_SHOWN)
		return NULL; /* expected shows it whole */
	if (re)
		return emh_arena_printf(c->arena, "/%s/%s", re->source, re->flags);
	if (bit != EMH_P_NOT_STATES && bit != EMH_P_STATES)
		return NULL;
	const emh_statement *st = bit == EMH_P_STATES ? &n->states : &n->not_states;
	return emh_arena_printf(c->arena, "verb /%s/, object /%s/, purpose /%s/%s%s%s", st->verb_any.source,
	                        st->object.source, st->purpose.source, st->has_unless ? ", unless /" : "",
	                        st->has_unless ? st->unless.source : "", st->has_unless ? "/" : "");
}

const cJSON *emh_eval_resolve(const emh_ectx *c, const emh_ptr *p, const cJSON *base,
                              const cJSON **deepest)
{
	/* The first byte first: this runs for every pointer of every criterion. */
	if (base == c->root && c->obs && p->ntokens && p->tokens[0].key[0] == 'o' &&
	    strcmp(p->tokens[0].key, "observed") == 0) {
		emh_ptr rest = { p->text, p->tokens + 1, p->ntokens - 1 };
		return emh_ptr_resolve(&rest, emh_observation_root(c->obs), deepest);
	}
	if (base == c->root && c->markets && p->ntokens >= 2 && p->tokens[0].key[0] == 'a' &&
	    strcmp(p->tokens[0].key, "app") == 0 &&
	    strcmp(p->tokens[1].key, "markets") == 0) {
		emh_ptr rest = { p->text, p->tokens + 2, p->ntokens - 2 };
		return emh_ptr_resolve(&rest, c->markets, deepest);
	}
	return emh_ptr_resolve(p, base, deepest);
}

static emh_finding *new_finding(emh_ectx *c)
{
	if (c->nfindings == EMH_MAX_FINDINGS) {
		c->dropped++;
		return NULL;
	}
	emh_finding *f = &c->findings[c->nfindings++];
	memset(f, 0, sizeof *f);
	return f;
}

/* Records a finding about value v (or its absence, located at deepest). */
static void note_value(emh_ectx *c, const emh_node *n, unsigned bit, const cJSON *v,
                       const cJSON *deepest, const char *found)
{
	emh_finding *f = new_finding(c);
	if (!f)
		return;
	f->pointer = emh_arena_printf(c->arena, "%s%s", emh_buf_cstr(&c->prefix), n->path.text);
	if (!f->pointer) { /* out of memory: emh_evaluator_run fails the whole evaluation */
		c->nfindings--;
		return;
	}
	f->expected = expected_for(c, n, bit);
	f->pattern = text_pattern(c, n, bit);
	f->found = found ? emh_arena_strdup(c->arena, found) : describe_value(c, v);
	const cJSON *at = v ? v : deepest;
	size_t off = 0;
	const char *artifact = NULL;
	emh_fact_pos pos;
	if (emh_observation_locate(c->obs, f->pointer, &artifact, &pos)) {
		/* An observed fact: the finding points into its artifact. */
		f->file = emh_arena_strdup(c->arena, artifact);
		f->excerpt = emh_arena_strdup(c->arena, pos.location);
		f->line = pos.line;
		f->column = pos.column;
		f->offset = pos.offset;
		return;
	}
	if (at)
		emh_json_locate(c->sub->doc, at, &f->line, &f->column, &off);
	/*
	 * A fact no artifact gave (nothing observed): located at submission.json's
	 * evidence list, where the artifact would be declared, so every finding
	 * has a file:line:col (issue 15).
	 */
	if (!f->line && strncmp(f->pointer, "/observed", 9) == 0) {
		const cJSON *ev = cJSON_GetObjectItemCaseSensitive(c->sub->root, "evidence");
		emh_json_locate(c->sub->doc, ev ? ev : c->sub->root, &f->line, &f->column, &off);
	}
	f->offset = off;
	/* The same test reached twice (an "or" of alternatives) says the same thing once. */
	for (size_t i = 0; i + 1 < c->nfindings; i++) {
		const emh_finding *o = &c->findings[i];
		if (o->pointer && !o->file && !f->file && strcmp(o->pointer, f->pointer) == 0 && o->expected &&
		    f->expected && strcmp(o->expected, f->expected) == 0 && o->found && f->found &&
		    strcmp(o->found, f->found) == 0 && o->line == f->line) {
			c->nfindings--;
			return;
		}
	}
}

static void set_reason(emh_ectx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_reason(emh_ectx *c, const char *fmt, ...)
{
	if (c->reason[0] || c->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof c->reason, fmt, ap);
	va_end(ap);
}

/*
 * Counts one array element visited (or one pair compared); returns 1 once
 * past the limit, after recording the reason. The reason is kept even
 * inside "where" (quiet), since nothing else explains the error.
 */
static int over_visit_limit(emh_ectx *c)
{
	if (++c->visits <= c->max_visits)
		return 0;
	if (!c->reason[0])
		snprintf(c->reason, sizeof c->reason,
		         "array visit limit (%zu elements per criterion) reached", c->max_visits);
	return 1;
}

static int among_visit(void *ctx)
{
	return over_visit_limit(ctx);
}

/* ---- combining outcomes ------------------------------------------------- */

/* "and": fail beats error beats review beats pass. */
static emh_tri and_merge(emh_tri acc, emh_tri r)
{
	static const int rank[] = { [EMH_T_PASS] = 0, [EMH_T_REVIEW] = 1, [EMH_T_ABSENT] = 2, [EMH_T_ERROR] = 3,
	                            [EMH_T_FAIL] = 4 };
	return rank[r] > rank[acc] ? r : acc;
}

/* "or": pass beats error beats review beats fail. */
static emh_tri or_merge(emh_tri acc, emh_tri r)
{
	static const int rank[] = { [EMH_T_FAIL] = 0, [EMH_T_REVIEW] = 1, [EMH_T_ABSENT] = 2, [EMH_T_ERROR] = 3,
	                            [EMH_T_PASS] = 4 };
	return rank[r] > rank[acc] ? r : acc;
}

static emh_tri flip(emh_tri t)
{
	return t == EMH_T_PASS ? EMH_T_FAIL : t == EMH_T_FAIL ? EMH_T_PASS : t;
}

/* ---- value predicates --------------------------------------------------- */

static int is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble);
}

static int has_type(const cJSON *v, emh_type t)
{
	long day;
	switch (t) {
	case EMH_TYPE_STRING: return cJSON_IsString(v);
	case EMH_TYPE_NUMBER: return cJSON_IsNumber(v);
	case EMH_TYPE_INTEGER: return is_integer(v);
	case EMH_TYPE_BOOLEAN: return cJSON_IsBool(v);
	case EMH_TYPE_NULL: return cJSON_IsNull(v);
	case EMH_TYPE_ARRAY: return cJSON_IsArray(v);
	case EMH_TYPE_OBJECT: return cJSON_IsObject(v);
	case EMH_TYPE_DATE: return cJSON_IsString(v) && emh_date_parse(&day, v->valuestring) == 0;
	case EMH_TYPE_NONE: return 1;
	}
	return 0;
}

/* Strict JSON equality: same type, same value (objects: same members). */
static int json_equal(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xFF) != (b->type & 0xFF))
		return 0;
	if (cJSON_IsNumber(a))
		return a->valuedouble == b->valuedouble;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsArray(a) || cJSON_IsObject(a))
		return cJSON_Compare(a, b, 1);
	return 1; /* true, false, null */
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int is_unknown(const cJSON *v)
{
	return cJSON_IsObject(v) && emh_json_find_member(v, "$unknown") != NULL;
}

/* Resolves a date operand; returns 0, or -1 after setting the reason. */
static int anchor_day(emh_ectx *c, const emh_anchor *a, long *day)
{
	switch (a->kind) {
	case EMH_ANCHOR_LITERAL:
		*day = a->day;
		return 0;
	case EMH_ANCHOR_AS_OF:
		if (c->as_of_ok) {
			*day = c->as_of;
			return 0;
		}
		set_reason(c, "no evaluation date: the submission has no valid submission_date and --as-of was not given");
		return -1;
	case EMH_ANCHOR_POINTER: {
		const cJSON *v = emh_eval_resolve(c, &a->ptr, c->root, NULL);
		if (cJSON_IsString(v) && emh_date_parse(day, v->valuestring) == 0)
			return 0;
		set_reason(c, "the date %s is not a valid YYYY-MM-DD date", a->text);
		return -1;
	}
	case EMH_ANCHOR_NONE:
		break;
	}
	return -1;
}

/*
 * The value of a numeric operand of lt/le/gt/ge: a literal, the number at a
 * pointer from the submission's root, or arithmetic over operands. A missing
 * operand fails (the data the comparison needs is not there), a declared
 * unknown goes to review, anything else that gives no finite number (a string,
 * a division by zero) is an error with its reason.
 */
static emh_tri eval_num(emh_ectx *c, const emh_num *n, double *out)
{
	if (n->kind == EMH_NUM_LITERAL) {
		*out = n->value;
		return EMH_T_PASS;
	}
	if (n->kind == EMH_NUM_POINTER) {
		const cJSON *deepest = NULL;
		const cJSON *v = emh_eval_resolve(c, &n->ptr, c->root, &deepest);
		if ((v && is_unknown(v)) || (!v && deepest && is_unknown(deepest))) {
			set_reason(c, "%s, which the comparison reads, is declared unknown by the vendor", n->ptr.text);
			return EMH_T_REVIEW;
		}
		if (!v) {
			set_reason(c, "%s, which the comparison reads, is missing", n->ptr.text);
			return EMH_T_FAIL;
		}
		if (!cJSON_IsNumber(v)) {
			set_reason(c, "%s, which the comparison reads, is not a number", n->ptr.text);
			return EMH_T_ERROR;
		}
		*out = v->valuedouble;
		return EMH_T_PASS;
	}
	double acc = 0;
	for (size_t i = 0; i < n->nargs; i++) {
		double x;
		emh_tri t = eval_num(c, &n->args[i], &x);
		if (t != EMH_T_PASS)
			return t;
		if (i == 0)
			acc = x;
		else if (n->kind == EMH_NUM_ADD)
			acc += x;
		else if (n->kind == EMH_NUM_SUB)
			acc -= x;
		else if (n->kind == EMH_NUM_MUL)
			acc *= x;
		else
			acc = x == 0 ? NAN : acc / x;
	}
	if (!isfinite(acc)) {
		set_reason(c, "%s has no finite value (a division by zero or an overflow)", n->text);
		return EMH_T_ERROR;
	}
	*out = acc;
	return EMH_T_PASS;
}

/* A regex that could not finish (match or heap limit) is an error, never a pass. */
static emh_tri regex_failed(emh_ectx *c, const emh_regex *re, int rc, const char *where)
{
	char msg[240];
	emh_regex_strerror(rc, msg, sizeof msg);
	set_reason(c, "%s (pattern /%.100s/ on %s)", msg, re->source, where);
	return EMH_T_ERROR;
}

static emh_tri eval_regex(emh_ectx *c, const emh_regex *re, const char *s, size_t len, int *found)
{
	size_t start, end;
	int rc = emh_regex_search(re, &c->matcher, s, len, &start, &end);
	if (rc < 0)
		return regex_failed(c, re, rc, "a submission value");
	*found = rc;
	return EMH_T_PASS;
}

/*
 * The evidence entry at index idx when arr is the submission's own /evidence
 * and that entry is declared not supplied or not applicable; else NULL.
 */
static const emh_evidence_entry *declared_element(const emh_ectx *c, const cJSON *arr, size_t idx)
{
	const emh_submission *s = c->sub;
	if (idx >= s->nevidence || arr != emh_json_find_member(s->root, "evidence"))
		return NULL;
	return s->evidence[idx].declared ? &s->evidence[idx] : NULL;
}

/*
 * Array predicates: where, all/any/none, min/max_count, unique. Returns the
 * outcome, the predicate that decided it and how many elements were kept.
 */
static emh_tri eval_array(emh_ectx *c, const emh_node *n, const cJSON *arr,
                          unsigned *decided, size_t *kept_out)
{
	/* Each quantifier present is its own pass over the elements; all must hold. */
	static const unsigned qbits[] = { EMH_P_ALL, EMH_P_ANY, EMH_P_NONE };
	const emh_node *qs[] = { n->all, n->any, n->none };
	size_t kept = (size_t)cJSON_GetArraySize(arr);
	size_t mark = c->prefix.len;
	int limited = 0;
	*decided = 0;
	*kept_out = kept;
	for (size_t qi = 0; qi < 3; qi++) {
		const emh_node *q = qs[qi];
		/* With "where" but no quantifier, the last round only counts. */
		if (!q && !(n->where && qi == 2 && !n->all && !n->any && !n->none))
			continue;
		emh_tri acc = qi == 1 ? EMH_T_FAIL : EMH_T_PASS;
		size_t idx = 0;
		kept = 0;
		for (const cJSON *e = arr->child; e; e = e->next, idx++) {
			if (over_visit_limit(c)) {
				acc = EMH_T_ERROR;
				limited = 1; /* the reason says it all: no finding */
				break;
			}
			if (recording(c)) {
				c->prefix.len = mark;
				emh_buf_appendf(&c->prefix, "%s/%zu", n->path.text, idx);
			}
			if (n->where) {
				c->quiet++;
				emh_tri w = emh_eval_node(c, n->where, e);
				c->quiet--;
				if (w == EMH_T_ERROR || w == EMH_T_REVIEW || w == EMH_T_ABSENT) {
					acc = w;
					break;
				}
				if (w == EMH_T_FAIL)
					continue;
			}
			const emh_evidence_entry *decl = declared_element(c, arr, idx);
			if (decl) {
				/* Not supplied / not applicable: "all" and "none" speak of the documents
				 * supplied; "any" might be met by this one, so a person decides. */
				if (qi == 1 && q) {
					acc = or_merge(acc, EMH_T_REVIEW);
					set_reason(c, "%s is declared %s by the vendor (%s)", decl->kind,
					           strcmp(decl->status, "not_supplied") == 0 ? "not supplied" : "not applicable",
					           decl->problem ? decl->problem : "no reason given");
				}
				continue;
			}
			kept++;
			if (!q)
				continue;
			if (qi == 0) {
				acc = and_merge(acc, emh_eval_node(c, q, e));
			} else if (qi == 1) {
				acc = or_merge(acc, emh_eval_node(c, q, e));
			} else {
				c->negated = !c->negated;
				acc = and_merge(acc, flip(emh_eval_node(c, q, e)));
				c->negated = !c->negated;
			}
			if (!recording(c) && !(n->preds & (EMH_P_MIN_COUNT | EMH_P_MAX_COUNT)) &&
			    ((qi == 1 && acc == EMH_T_PASS) || (qi != 1 && acc == EMH_T_FAIL)))
				break;
		}
		c->prefix.len = mark;
		if (c->prefix.ptr)
			c->prefix.ptr[mark] = '\0';
		*kept_out = kept;
		if (acc != EMH_T_PASS) {
			*decided = limited ? 0 : q ? qbits[qi] : EMH_P_WHERE;
			return acc;
		}
	}
	if ((n->preds & EMH_P_MIN_COUNT) && kept < n->min_count) {
		*decided = EMH_P_MIN_COUNT;
		return EMH_T_FAIL;
	}
	if ((n->preds & EMH_P_MAX_COUNT) && kept > n->max_count) {
		*decided = EMH_P_MAX_COUNT;
		return EMH_T_FAIL;
	}
	if (n->preds & EMH_P_UNIQUE) {
		for (const cJSON *a = arr->child; a; a = a->next) {
			const cJSON *va = emh_ptr_resolve(&n->unique, a, NULL);
			if (over_visit_limit(c))
				return EMH_T_ERROR;
			for (const cJSON *b = a->next; va && b; b = b->next) {
				if (over_visit_limit(c))
					return EMH_T_ERROR;
				const cJSON *vb = emh_ptr_resolve(&n->unique, b, NULL);
				if (vb && json_equal(va, vb)) {
					*decided = EMH_P_UNIQUE;
					return EMH_T_FAIL;
				}
			}
		}
	}
	return EMH_T_PASS;
}

/* The predicates of a {"path": ...} test, in the documented order. */
static emh_tri eval_test(emh_ectx *c, const emh_node *n, const cJSON *base)
{
	const cJSON *deepest = NULL;
	const cJSON *v = emh_eval_resolve(c, &n->path, base, &deepest);
	unsigned p = n->preds, bit = 0;
	emh_tri r = EMH_T_PASS;
	const char *found = NULL;
	char foundbuf[160];

	if (n->preds & EMH_P_ABSENT) {
		r = v ? EMH_T_FAIL : EMH_T_PASS;
		bit = EMH_P_ABSENT;
		/* A declared unknown, or a path through one: whether it is absent is unknown too. */
		if ((v && is_unknown(v)) || (!v && deepest && is_unknown(deepest))) {
			r = EMH_T_REVIEW;
			set_reason(c, "%s%s is declared unknown by the vendor", emh_buf_cstr(&c->prefix), n->path.text);
		}
		goto out;
	}
	if (!v) {
		if (deepest && is_unknown(deepest) && deepest != base) {
			v = NULL;
			r = EMH_T_REVIEW;
			bit = p & -p;
			set_reason(c, "%s%s is declared unknown by the vendor", emh_buf_cstr(&c->prefix), n->path.text);
			goto out;
		}
		r = EMH_T_FAIL;
		bit = p & -p; /* the first predicate asked for a value */
		goto out;
	}
	if (is_unknown(v)) {
		/* Even "exists": the vendor declared the value cannot be given yet. */
		r = EMH_T_REVIEW;
		bit = p & ~(unsigned)EMH_P_EXISTS;
		bit = bit ? bit & -bit : EMH_P_EXISTS;
		set_reason(c, "%s%s is declared unknown by the vendor", emh_buf_cstr(&c->prefix), n->path.text);
		goto out;
	}
	if ((p & EMH_P_TYPE) && !has_type(v, n->type)) {
		r = EMH_T_FAIL;
		bit = EMH_P_TYPE;
		goto out;
	}
	if ((p & EMH_P_EQ) && !json_equal(v, n->eq)) {
		r = EMH_T_FAIL;
		bit = EMH_P_EQ;
		goto out;
	}
	if ((p & EMH_P_NE) && json_equal(v, n->ne)) {
		r = EMH_T_FAIL;
		bit = EMH_P_NE;
		goto out;
	}
	if (p & EMH_P_IN) {
		int hit = 0;
		for (const cJSON *e = n->in->child; e && !hit; e = e->next)
			hit = json_equal(v, e);
		if (!hit) {
			r = EMH_T_FAIL;
			bit = EMH_P_IN;
			goto out;
		}
	}
	if (p & EMH_P_AMONG) {
		const emh_ptr *ap = &n->among;
		const cJSON *from = c->root;
		emh_ptr rest;
		if (c->obs && ap->ntokens && strcmp(ap->tokens[0].key, "observed") == 0) {
			rest = (emh_ptr){ ap->text, ap->tokens + 1, ap->ntokens - 1 };
			ap = &rest;
			from = emh_observation_root(c->obs);
		}
		int hit = emh_among_find(ap, from, v, json_equal, among_visit, c);
		if (hit <= 0) {
			r = hit < 0 ? EMH_T_ERROR : EMH_T_FAIL;
			bit = EMH_P_AMONG;
			goto out;
		}
	}
	if (p & (EMH_P_LT | EMH_P_LE | EMH_P_GT | EMH_P_GE)) {
		if (!cJSON_IsNumber(v)) {
			r = EMH_T_ERROR;
			bit = p & (EMH_P_LT | EMH_P_LE | EMH_P_GT | EMH_P_GE);
			bit &= -bit;
			set_reason(c, "%s%s must be a number to compare it", emh_buf_cstr(&c->prefix), n->path.text);
			goto out;
		}
		static const unsigned cmp[] = { EMH_P_LT, EMH_P_LE, EMH_P_GT, EMH_P_GE };
		const emh_num *bound[] = { &n->lt, &n->le, &n->gt, &n->ge };
		double x = v->valuedouble;
		for (size_t i = 0; i < 4; i++) {
			double b = 0;
			if (!(p & cmp[i]))
				continue;
			bit = cmp[i];
			r = eval_num(c, bound[i], &b);
			if (r != EMH_T_PASS)
				goto out;
			int holds = i == 0 ? x < b : i == 1 ? x <= b : i == 2 ? x > b : x >= b;
			if (!holds) {
				r = EMH_T_FAIL;
				if (bound[i]->kind != EMH_NUM_LITERAL) {
					snprintf(foundbuf, sizeof foundbuf, "%g, against a bound that computes to %g", x, b);
					found = foundbuf;
				}
				goto out;
			}
		}
		bit = 0;
	}
	if (p & (EMH_P_MIN_LENGTH | EMH_P_MAX_LENGTH)) {
		size_t len;
		if (cJSON_IsString(v)) {
			len = utf8_length(v->valuestring);
		} else if (cJSON_IsArray(v)) {
			len = (size_t)cJSON_GetArraySize(v);
		} else {
			r = EMH_T_ERROR;
			bit = p & EMH_P_MIN_LENGTH ? EMH_P_MIN_LENGTH : EMH_P_MAX_LENGTH;
			set_reason(c, "%s%s must be a string or an array to have a length", emh_buf_cstr(&c->prefix), n->path.text);
			goto out;
		}
		bit = (p & EMH_P_MIN_LENGTH) && len < n->min_length ? EMH_P_MIN_LENGTH
		      : (p & EMH_P_MAX_LENGTH) && len > n->max_length ? EMH_P_MAX_LENGTH : 0;
		if (bit) {
			r = EMH_T_FAIL;
			snprintf(foundbuf, sizeof foundbuf, "length %zu", len);
			found = foundbuf;
			goto out;
		}
	}
	if (p & (EMH_P_MATCHES | EMH_P_NOT_MATCHES)) {
		if (!cJSON_IsString(v)) {
			r = EMH_T_ERROR;
			bit = p & EMH_P_MATCHES ? EMH_P_MATCHES : EMH_P_NOT_MATCHES;
			set_reason(c, "%s%s must be a string to match a pattern", emh_buf_cstr(&c->prefix), n->path.text);
			goto out;
		}
		size_t len = strlen(v->valuestring);
		int hit = 0;
		if (p & EMH_P_MATCHES) {
			r = eval_regex(c, &n->matches, v->valuestring, len, &hit);
			bit = EMH_P_MATCHES;
			if (r != EMH_T_PASS || !hit) {
				r = r == EMH_T_PASS ? EMH_T_FAIL : r;
				goto out;
			}
		}
		if (p & EMH_P_NOT_MATCHES) {
			r = eval_regex(c, &n->not_matches, v->valuestring, len, &hit);
			bit = EMH_P_NOT_MATCHES;
			if (r != EMH_T_PASS || hit) {
				r = r == EMH_T_PASS ? EMH_T_FAIL : r;
				goto out;
			}
		}
	}
	if (p & (EMH_P_BEFORE | EMH_P_AFTER | EMH_P_WITHIN_DAYS)) {
		long day, ref;
		bit = p & EMH_P_BEFORE ? EMH_P_BEFORE : p & EMH_P_AFTER ? EMH_P_AFTER : EMH_P_WITHIN_DAYS;
		if (!cJSON_IsString(v) || emh_date_parse(&day, v->valuestring)) {
			r = EMH_T_ERROR;
			set_reason(c, "%s%s must be a date YYYY-MM-DD", emh_buf_cstr(&c->prefix), n->path.text);
			goto out;
		}
		if (p & EMH_P_BEFORE) {
			bit = EMH_P_BEFORE;
			if (anchor_day(c, &n->before, &ref)) { r = EMH_T_ERROR; goto out; }
			if (!(day < ref)) { r = EMH_T_FAIL; goto out; }
		}
		if (p & EMH_P_AFTER) {
			bit = EMH_P_AFTER;
			if (anchor_day(c, &n->after, &ref)) { r = EMH_T_ERROR; goto out; }
			if (!(day > ref)) { r = EMH_T_FAIL; goto out; }
		}
		if (p & EMH_P_WITHIN_DAYS) {
			bit = EMH_P_WITHIN_DAYS;
			if (anchor_day(c, &n->within_of, &ref)) { r = EMH_T_ERROR; goto out; }
			long diff = ref - day;
			if (diff < 0 || diff > n->within_days) {
				r = EMH_T_FAIL;
				snprintf(foundbuf, sizeof foundbuf, "%s (%ld days %s)", v->valuestring,
				         diff < 0 ? -diff : diff, diff < 0 ? "after it" : "before it");
				found = foundbuf;
				goto out;
			}
		}
	}
	if (p & (EMH_P_WHERE | EMH_P_ALL | EMH_P_ANY | EMH_P_NONE | EMH_P_MIN_COUNT | EMH_P_MAX_COUNT | EMH_P_UNIQUE)) {
		if (!cJSON_IsArray(v)) {
			r = EMH_T_ERROR;
			bit = EMH_P_WHERE;
			set_reason(c, "%s%s must be an array", emh_buf_cstr(&c->prefix), n->path.text);
			goto out;
		}
		size_t kept = 0;
		r = eval_array(c, n, v, &bit, &kept);
		if (r == EMH_T_PASS)
			return r;
		/* Elements that were evaluated recorded their own findings. */
		if ((bit == EMH_P_ALL || bit == EMH_P_NONE || bit == EMH_P_ANY) && kept > 0)
			return r;
		if (r == EMH_T_FAIL) {
			snprintf(foundbuf, sizeof foundbuf, "%zu %s", kept,
			         n->where ? "matching elements" : "elements");
			found = foundbuf;
		}
		goto out;
	}
	bit = 0;
	for (unsigned b = 1; b; b <<= 1)
		if (p & b)
			bit = b; /* the last predicate, for a finding under negation */
out:
	/* Record when this test decides a non-pass (or, negated, a pass). */
	if (recording(c) && (c->negated ? r != EMH_T_FAIL : r != EMH_T_PASS) && bit)
		note_value(c, n, bit, v, deepest, found);
	return r;
}

#define ELLIPSIS "\u2026"

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int line_end(char ch)
{
	return ch == '\n' || ch == '\r';
}

/*
 * How much of s[0, len) to quote within max bytes: all of it when it fits,
 * else up to the last space that keeps at least half (a quote never ends
 * inside a word: "advertisin"), else on a character boundary (one long word).
 */
static size_t word_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t k = max;
	while (k > max / 2 && !is_space(s[k]))
		k--;
	if (k > max / 2) {
		while (k > 0 && is_space(s[k - 1]))
			k--;
		return k;
	}
	k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

/* The text the text checks read: the normalised text (textnorm.h). */
static const char *checked_text(const emh_evidence_entry *e, size_t *len)
{
	*len = e->norm.text ? e->norm.len : e->len;
	return e->norm.text ? e->norm.text : e->text;
}

/*
 * A finding on evidence e. [start, end) is in the checked (normalised) text;
 * line, column, offset and the excerpt (up to 60 bytes each side, on the same
 * lines) are of the original bytes, and the finding says what normalisation
 * the match needed. found replaces the matched text when given.
 */
static void note_text(emh_ectx *c, const emh_node *n, unsigned bit, const emh_evidence_entry *e,
                      size_t start, size_t end, const char *found)
{
	emh_finding *f = new_finding(c);
	if (!f)
		return;
	f->file = emh_arena_strdup(c->arena, e->path);
	f->expected = expected_for(c, n, bit);
	f->pattern = text_pattern(c, n, bit);
	int text_check = bit == EMH_P_MATCHES || bit == EMH_P_NOT_MATCHES || bit == EMH_P_NOT_STATES ||
	                 bit == EMH_P_STATES;
	size_t ostart = start, oend = end, tlen = 0;
	const char *t = e->text ? checked_text(e, &tlen) : NULL;
	char how[400] = "";
	if (e->norm.text && text_check) {
		emh_textnorm_map(&e->norm, start, end, &ostart, &oend);
		emh_textnorm_describe(&e->norm, e->text, e->len, start, end, found != NULL, how, sizeof how);
	}
	if (found) {
		f->found = how[0] ? emh_arena_printf(c->arena, "%s (the text checked was normalised: %s)", found, how)
		                  : emh_arena_strdup(c->arena, found);
	} else {
		/* The matched text itself, quoted, and cut after a whole word (with "…") past 80 bytes. */
		size_t cut = word_cut(t + start, end - start, 80);
		emh_buf b = EMH_BUF_INIT;
		emh_buf bounded = EMH_BUF_INIT;
		emh_buf_append(&bounded, t + start, cut);
		if (cut < end - start)
			emh_buf_puts(&bounded, ELLIPSIS);
		emh_buf_append_json_string(&b, emh_buf_cstr(&bounded), bounded.len);
		emh_buf_dispose(&bounded);
		if (how[0])
			emh_buf_appendf(&b, " (matched after %s)", how);
		f->found = emh_arena_strdup(c->arena, emh_buf_cstr(&b));
		emh_buf_dispose(&b);
	}
	if (!e->text)
		return;
	/* A match that spans lines or hidden text: its excerpt shows at most 200 bytes of it. */
	size_t from = ostart, to = oend - ostart > 200 ? ostart + 200 : oend;
	while (from > 0 && ostart - from < 60 && e->text[from - 1] != '\n')
		from--;
	while (to < e->len && to - oend < 60 && e->text[to] != '\n')
		to++;
	/* Cut by the 60-byte limit rather than at the line's end: cut between words, and say so with "…". */
	int lead = from > 0 && !line_end(e->text[from - 1]), trail = to < e->len && !line_end(e->text[to]);
	/* The match stays whole when it fits; a match cut at 200 bytes keeps at least half of them. */
	size_t keep_to = oend <= to ? oend : ostart + (to - ostart) / 2;
	if (lead) {
		size_t k = from;
		while (k < ostart && !is_space(e->text[k - 1]))
			k++;
		if (is_space(e->text[k - 1]))
			from = k;
	}
	if (trail) {
		size_t k = to;
		while (k > keep_to && !is_space(e->text[k]))
			k--;
		if (is_space(e->text[k]))
			to = k;
	}
	while (from < ostart && ((unsigned char)e->text[from] & 0xC0) == 0x80)
		from++;
	while (to > from && to < e->len && ((unsigned char)e->text[to] & 0xC0) == 0x80)
		to--;
	emh_error_offset_to_linecol(e->text, e->len, ostart, &f->line, &f->column);
	f->offset = ostart;
	char *ex = emh_arena_printf(c->arena, "%s%.*s%s", lead ? ELLIPSIS : "", (int)(to - from), e->text + from,
	                            trail ? ELLIPSIS : "");
	for (char *q = ex; q && *q; q++)
		if (*q == '\r' || *q == '\t' || *q == '\n')
			*q = ' ';
	f->excerpt = ex;
	/*
	 * Two text tests of one criterion (an "and" of patterns) that flag the same
	 * place with the same text make one finding, not two that read the same.
	 */
	for (size_t i = 0; i + 1 < c->nfindings; i++) {
		const emh_finding *o = &c->findings[i];
		if (o->file && o->offset == f->offset && strcmp(o->file, f->file ? f->file : "") == 0 && o->found &&
		    f->found && strcmp(o->found, f->found) == 0) {
			c->nfindings--;
			return;
		}
	}
}

/*
 * A declared SHA-256 that does not match the file: the finding points at the
 * "sha256" line in submission.json, where the fix goes (emheval hash, or the
 * actual hash pasted), and names the document in what was found.
 */
static void note_hash(emh_ectx *c, const emh_node *n, size_t i, const emh_evidence_entry *e, const char *found)
{
	emh_finding *f = new_finding(c);
	if (!f)
		return;
	f->pointer = emh_arena_printf(c->arena, "/evidence/%zu/sha256", i);
	f->expected = describe_pred(c, n, EMH_P_VERIFIED);
	f->found = emh_arena_printf(c->arena, "%s: %s", e->path, found);
	if (!f->pointer || !f->expected || !f->found) { /* out of memory: the evaluation fails */
		c->nfindings--;
		return;
	}
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(c->sub->root, "evidence");
	const cJSON *sha = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(list, (int)i), "sha256");
	size_t off = 0;
	if (sha)
		emh_json_locate(c->sub->doc, sha, &f->line, &f->column, &off);
	f->offset = off;
}

/* ---- the languages a criterion reads ------------------------------------ */

/*
 * Whether another text test of the check being evaluated reads span of a
 * file of n's kind: it declares the span's language and reads the file at
 * all (a member that skips the whole file does not read its paragraphs).
 * The others' languages are n's others_read (compile.c).
 */
static int other_member_reads(const emh_node *n, const emh_language *lang, const emh_lang_span *span)
{
	for (size_t i = 0; i < n->nothers_read; i++) {
		const char *l = n->others_read[i];
		if (emh_language_covered(span, l) && emh_language_uncovered(lang, l) != lang->spans)
			return 1;
	}
	return 0;
}

/* Appends to b the languages the criterion's text tests on kind read, each once. */
static void criterion_languages(const emh_node *m, const char *kind, emh_buf *b)
{
	if (!m)
		return;
	if (emh_node_reads_text(m, kind))
		emh_language_merge(b, m->languages ? m->languages : "en");
	for (size_t i = 0; i < m->nkids; i++)
		criterion_languages(m->kids[i], kind, b);
}

static emh_tri eval_evidence(emh_ectx *c, const emh_node *n)
{
	const emh_submission *s = c->sub;
	int all = strcmp(n->evidence_kind, "*") == 0;
	size_t listed = 0, readable = 0;
	const emh_evidence_entry *declared = NULL;
	emh_tri r = EMH_T_PASS;
	for (size_t i = 0; i < s->nevidence; i++) {
		const emh_evidence_entry *e = &s->evidence[i];
		if (!all && strcmp(e->kind, n->evidence_kind) != 0)
			continue;
		if (e->declared) { /* not supplied / not applicable: no file to test */
			if (!declared)
				declared = e;
			continue;
		}
		listed++;
		readable += e->text != NULL;
		if ((n->preds & EMH_P_VERIFIED) && strcmp(e->status, "verified") != 0) {
			r = EMH_T_FAIL;
			if (recording(c) && !c->negated) {
				char found[200];
				if (!e->text)
					snprintf(found, sizeof found, "the file is missing");
				else if (!e->declared_sha256)
					snprintf(found, sizeof found, "no sha256 declared (actual %s)", e->sha256);
				else /* whole hashes: the vendor pastes the actual one into submission.json */
					snprintf(found, sizeof found, "declared %s, actual %s", e->declared_sha256, e->sha256);
				if (e->text && e->declared_sha256)
					note_hash(c, n, i, e, found);
				else
					note_text(c, n, EMH_P_VERIFIED, e, 0, 0, found);
			}
		}
	}
	/*
	 * Declared not supplied or not applicable, and nothing of the kind to read:
	 * a person decides, with the vendor's reason (never a pass, never a fail).
	 */
	if (declared && listed == 0) {
		r = EMH_T_REVIEW;
		set_reason(c, "%s is declared %s by the vendor (%s)", declared->kind,
		           strcmp(declared->status, "not_supplied") == 0 ? "not supplied" : "not applicable",
		           declared->problem ? declared->problem : "no reason given");
		return r;
	}
	/*
	 * A text check on a document that is not there says nothing about its text:
	 * not evaluated, with the cause; the document's absence is a failure once, in
	 * the checks of its presence. (A file whose hash mismatches is still read: the
	 * bytes are there; the integrity check fails on its own.)
	 */
	if (readable == 0 && (n->preds & (EMH_P_MATCHES | EMH_P_NOT_MATCHES | EMH_P_NOT_STATES | EMH_P_STATES)) &&
	    !(n->preds & (EMH_P_PRESENT | EMH_P_VERIFIED))) {
		if (listed)
			set_reason(c, "%s is missing (the file is not in the submission)", n->evidence_kind);
		else
			set_reason(c, "%s is not supplied (no evidence of that kind is listed)", n->evidence_kind);
		return EMH_T_ABSENT;
	}
	if (listed == 0 || ((n->preds & EMH_P_PRESENT) && readable == 0)) {
		if (recording(c) && !c->negated) {
			emh_finding *f = new_finding(c);
			if (f) {
				f->expected = describe_pred(c, n, EMH_P_PRESENT);
				f->found = emh_arena_strdup(c->arena, listed ? "listed, but the file is missing" : "none listed in /evidence");
				f->pointer = emh_arena_strdup(c->arena, "/evidence");
			}
		}
		return EMH_T_FAIL;
	}
	if (r != EMH_T_PASS || !(n->preds & (EMH_P_MATCHES | EMH_P_NOT_MATCHES | EMH_P_NOT_STATES | EMH_P_STATES)))
		return r;
	int any_match = 0, any_stated = 0;
	const emh_evidence_entry *unjudged = NULL; /* "states": a file with a sentence that could not be judged */
	size_t unjudged_at = 0;
	int unjudged_many = 0;                    /* ... because of the bound on parses */
	const emh_evidence_entry *mixed = NULL; /* a file with a mixed-script word that matched nothing */
	const emh_evidence_entry *foreign = NULL; /* a file in a language the patterns do not read */
	const emh_lang_span *foreign_span = NULL;
	int foreign_whole = 0;                    /* ... the whole of it, not one paragraph */
	size_t read = 0, skipped = 0;             /* files read; files only other tests read */
	const char *languages = n->languages ? n->languages : "en";
	for (size_t i = 0; i < s->nevidence; i++) {
		const emh_evidence_entry *e = &s->evidence[i];
		if ((!all && strcmp(e->kind, n->evidence_kind) != 0) || !e->text)
			continue;
		if (!e->utf8_ok) {
			set_reason(c, "evidence file %s is not valid UTF-8, so its text cannot be checked", e->path);
			return EMH_T_ERROR;
		}
		if (e->nul_at != (size_t)-1) {
			unsigned line = 0, col = 0;
			emh_error_offset_to_linecol(e->text, e->len, e->nul_at, &line, &col);
			set_reason(c, "evidence file %s:%u:%u has a NUL byte (offset %zu): it is not text (UTF-16 or "
			           "binary?), so its text cannot be checked; supply it as UTF-8", e->path, line, col, e->nul_at);
			return EMH_T_ERROR;
		}
		const emh_language *lang = emh_evidence_language(s, i);
		if (!lang) {
			set_reason(c, "out of memory detecting the language of evidence file %s", e->path);
			return EMH_T_ERROR;
		}
		if (lang->unavailable) {
			set_reason(c, "the language of evidence file %s cannot be detected (libexttextcat or its data under %s "
			           "is missing), so its text cannot be checked", e->path, EMH_TEXTCAT_DIR);
			return EMH_T_ERROR;
		}
		/*
		 * Patterns written for another language say nothing about that text: a
		 * file in another language is not searched; a file with a paragraph in
		 * one is, and its readable part can still decide (below).
		 */
		const emh_lang_span *u = emh_language_uncovered(lang, languages);
		/*
		 * Text in a language another test of the same criterion reads (the
		 * German member of an English criterion) is that test's to judge:
		 * not unread, so not a reason for review here.
		 */
		int others = u && c->check && other_member_reads(n, lang, u);
		if (u && !others && !foreign) {
			foreign = e;
			foreign_span = u;
			foreign_whole = u == lang->spans;
		}
		if (u == lang->spans) {
			skipped += others;
			continue;
		}
		read++;
		size_t tlen, start = 0, end = 0;
		const char *t = checked_text(e, &tlen);
		int hit = 0;
		if (n->preds & EMH_P_MATCHES) {
			int rc = emh_regex_search(&n->matches, &c->matcher, t, tlen, &start, &end);
			if (rc < 0)
				return regex_failed(c, &n->matches, rc, e->path);
			if (rc == 1) {
				any_match = hit = 1;
				if (c->negated && recording(c))
					note_text(c, n, EMH_P_MATCHES, e, start, end, NULL);
			}
		}
		if (n->preds & EMH_P_NOT_MATCHES) {
			int rc = emh_regex_search(&n->not_matches, &c->matcher, t, tlen, &start, &end);
			if (rc < 0)
				return regex_failed(c, &n->not_matches, rc, e->path);
			if (rc == 1) {
				r = EMH_T_FAIL;
				hit = 1;
				if (recording(c) && !c->negated)
					note_text(c, n, EMH_P_NOT_MATCHES, e, start, end, NULL);
			}
		}
		/* The parse is the costlier judgement: only when the pattern found nothing. */
		if ((n->preds & EMH_P_NOT_STATES) && !hit) {
			int rc = emh_statement_search(&n->not_states, &c->matcher, t, tlen, &start, &end);
			if (rc == EMH_STATEMENT_TOO_MANY) {
				/* Offsets are in the checked (normalised) text. */
				set_reason(c, "evidence file %s has more than %d candidate sentences to parse; from offset %zu "
				           "of its checked text on it was not judged, so a reviewer must read it", e->path,
				           EMH_STATEMENT_MAX_PARSES, start);
				return EMH_T_REVIEW;
			}
			if (rc == EMH_STATEMENT_NO_DICTIONARY) {
				set_reason(c, "evidence file %s: the sentence at offset %zu of its checked text needs a parse and "
				           "the link-grammar English dictionary could not be loaded (is "
				           "link-grammar-dictionaries-en installed?)", e->path, start);
				return EMH_T_ERROR;
			}
			if (rc < 0)
				return regex_failed(c, &n->not_states.object, rc, e->path);
			if (rc == 1) {
				r = EMH_T_FAIL;
				hit = 1;
				if (recording(c) && !c->negated)
					note_text(c, n, EMH_P_NOT_STATES, e, start, end, NULL);
			}
		}
		/* "states": some clause, in some file of the kind, states it (the mirror of matches). */
		if ((n->preds & EMH_P_STATES) && !any_stated) {
			int rc = emh_statement_search(&n->states, &c->matcher, t, tlen, &start, &end);
			if (rc == EMH_STATEMENT_NO_DICTIONARY) {
				set_reason(c, "evidence file %s: the sentence at offset %zu of its checked text needs a parse and "
				           "the link-grammar English dictionary could not be loaded (is "
				           "link-grammar-dictionaries-en installed?)", e->path, start);
				return EMH_T_ERROR;
			}
			if (rc == EMH_STATEMENT_TOO_MANY || rc == EMH_STATEMENT_UNJUDGED) {
				if (!unjudged) {
					unjudged = e;
					unjudged_at = start;
					unjudged_many = rc == EMH_STATEMENT_TOO_MANY;
				}
			} else if (rc < 0) {
				return regex_failed(c, &n->states.object, rc, e->path);
			} else if (rc == 1) {
				any_stated = hit = 1;
				if (c->negated && recording(c))
					note_text(c, n, EMH_P_STATES, e, start, end, NULL);
			}
		}
		if (!hit && e->norm.nmixed && !mixed)
			mixed = e;
	}
	/*
	 * Every file is another test's to read: this one has nothing to say, and
	 * gives the "and" or "or" around it the value that leaves it to the others.
	 */
	if (!read && skipped && !foreign)
		return c->negated ? flip(c->neutral) : c->neutral;
	/*
	 * A file the patterns cannot read leaves the test to a reviewer, unless the
	 * files they can read decide it: a forbidden match (fail), or the match a
	 * "matches" test needs.
	 */
	if (foreign && r != EMH_T_FAIL && !((n->preds & EMH_P_MATCHES) && any_match && !(n->preds & EMH_P_NOT_MATCHES)) &&
	    !((n->preds & EMH_P_STATES) && any_stated)) {
		size_t at = foreign_span->at, oat = at, oend = at;
		unsigned line = 0, col = 0;
		if (foreign->norm.text)
			emh_textnorm_map(&foreign->norm, at, at, &oat, &oend);
		emh_error_offset_to_linecol(foreign->text, foreign->len, oat, &line, &col);
		emh_buf all_langs = EMH_BUF_INIT;
		criterion_languages(c->check ? c->check : n, n->evidence_kind, &all_langs);
		set_reason(c, "evidence file %s%s%s is written in a language detected as \"%s\" (libexttextcat, from the "
		           "text itself), and this criterion's patterns read \"%s\" only: a reviewer must read it",
		           foreign->path, foreign_whole ? "" : emh_arena_printf(c->arena, ":%u", line),
		           foreign_whole ? "" : " (a paragraph of it)", foreign_span->langs,
		           all_langs.len ? emh_buf_cstr(&all_langs) : languages);
		emh_buf_dispose(&all_langs);
		return EMH_T_REVIEW;
	}
	if ((n->preds & EMH_P_MATCHES) && !any_match) {
		r = EMH_T_FAIL;
		if (recording(c) && !c->negated)
			for (size_t i = 0; i < s->nevidence; i++)
				if ((all || strcmp(s->evidence[i].kind, n->evidence_kind) == 0) && s->evidence[i].text)
					note_text(c, n, EMH_P_MATCHES, &s->evidence[i], 0, 0, "no match in the file");
	}
	/*
	 * "states" with no clause stating it: a fail, unless a sentence could not
	 * be judged (too long, no parse, a negation the parse left out, or past the
	 * bound on parses); then "not stated" is not known and a reviewer reads it.
	 */
	if ((n->preds & EMH_P_STATES) && !any_stated && r != EMH_T_FAIL) {
		if (unjudged) {
			if (unjudged_many)
				set_reason(c, "evidence file %s has more than %d candidate sentences to parse; from offset %zu "
				           "of its checked text on it was not judged and no clause before states what the check "
				           "needs, so a reviewer must read it", unjudged->path, EMH_STATEMENT_MAX_PARSES, unjudged_at);
			else
				set_reason(c, "evidence file %s: no clause states what the check needs, and the sentence at offset "
				           "%zu of its checked text could not be judged (more than %d words, no parse, or a "
				           "negation the parse left out), so a reviewer must read it", unjudged->path, unjudged_at,
				           EMH_STATEMENT_MAX_WORDS);
			return EMH_T_REVIEW;
		}
		r = EMH_T_FAIL;
		if (recording(c) && !c->negated)
			for (size_t i = 0; i < s->nevidence; i++)
				if ((all || strcmp(s->evidence[i].kind, n->evidence_kind) == 0) && s->evidence[i].text)
					note_text(c, n, EMH_P_STATES, &s->evidence[i], 0, 0, "no clause in the file states it");
	}
	/*
	 * "Nothing matched" is what a disguise produces: when that is what lets this
	 * test pass (not_matches, or matches under not) and a file that matched
	 * nothing spells a word with letters of two scripts, a reviewer reads it.
	 */
	if (mixed && (c->negated ? r == EMH_T_FAIL : r == EMH_T_PASS)) {
		unsigned line = 0, col = 0;
		const emh_textnorm *m = &mixed->norm;
		emh_error_offset_to_linecol(mixed->text, mixed->len, m->mixed_from, &line, &col);
		size_t wl = m->mixed_to - m->mixed_from;
		set_reason(c, "evidence file %s:%u:%u: the word \"%.*s\" mixes Latin with Cyrillic or Greek letters (%zu such "
		           "word%s in the file); look-alike letters can hide text from this check, so a reviewer must read it",
		           mixed->path, line, col, (int)(wl > 60 ? 60 : wl), mixed->text + m->mixed_from, m->nmixed,
		           m->nmixed == 1 ? "" : "s");
		return EMH_T_REVIEW;
	}
	return r;
}

static emh_tri eval_node_kind(emh_ectx *c, const emh_node *n, const cJSON *base);

emh_tri emh_eval_node(emh_ectx *c, const emh_node *n, const cJSON *base)
{
	size_t mark = c->nfindings;
	emh_tri r = eval_node_kind(c, n, base);
	/*
	 * A part that ends the way its context wants (pass, or fail under not)
	 * explains nothing: drop what its failing pieces recorded, e.g. the
	 * elements that did not match an "any" that another element satisfied.
	 */
	if (recording(c) && (c->negated ? r == EMH_T_FAIL : r == EMH_T_PASS))
		c->nfindings = mark;
	return r;
}

static emh_tri eval_node_kind(emh_ectx *c, const emh_node *n, const cJSON *base)
{
	switch (n->kind) {
	case EMH_NODE_AND: {
		emh_tri acc = EMH_T_PASS, outer = c->neutral;
		c->neutral = c->negated ? EMH_T_FAIL : EMH_T_PASS; /* as the node sees it, before any "not" flips it */
		for (size_t i = 0; i < n->nkids; i++) {
			acc = and_merge(acc, emh_eval_node(c, n->kids[i], base));
			if (acc == EMH_T_FAIL && !recording(c))
				break;
		}
		c->neutral = outer;
		return acc;
	}
	case EMH_NODE_OR: {
		emh_tri acc = EMH_T_FAIL, outer = c->neutral;
		c->neutral = c->negated ? EMH_T_PASS : EMH_T_FAIL;
		for (size_t i = 0; i < n->nkids; i++) {
			acc = or_merge(acc, emh_eval_node(c, n->kids[i], base));
			if (acc == EMH_T_PASS)
				break;
		}
		c->neutral = outer;
		return acc;
	}
	case EMH_NODE_NOT: {
		c->negated = !c->negated;
		emh_tri r = flip(emh_eval_node(c, n->kids[0], base));
		c->negated = !c->negated;
		return r;
	}
	case EMH_NODE_TEST:
		return eval_test(c, n, base);
	case EMH_NODE_EVIDENCE:
		return eval_evidence(c, n);
	}
	return EMH_T_ERROR;
}
