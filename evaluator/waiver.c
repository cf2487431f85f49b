/*
 * waiver.c - waivers: recorded, approved exceptions that turn one
 * criterion's fail into waived for one app (and optionally one version)
 * until an expiry date.
 *
 * A waiver is valid on its expiry date and expired from the next day,
 * judged against the evaluation date (as_of), never the wall clock, so a
 * dossier reproduces. The dossier lists each waiver that concerns the app
 * once, with what became of it: applied (it waived a fail), expired, or
 * unused (nothing of its criterion failed). Waivers of other apps are not
 * listed: a dossier goes to its vendor.
 *
 * The file is read strictly (docs/audit.md): a regulator's exception must
 * never be misread, so anything unexpected stops the run with the file,
 * line and column.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/audit_internal.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"

struct emh_waivers {
	emh_waiver *items;
	emh_json_pos *pos; /* where each item's "id" is, for errors after reading */
	size_t count;
	char *label;
	emh_arena *arena;
};

/* ---- strict record reading, shared with review.c ---------------------------- */

int emh_audit__bad(const emh_audit_reader *r, const cJSON *node, const char *pointer,
                   const char *fmt, ...)
{
	unsigned line = 0, col = 0;
	size_t off = 0;
	if (node)
		emh_json_locate(r->doc, node, &line, &col, &off);
	if (r->err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
		va_end(ap);
		r->err->code = EMH_EINVALID;
	}
	emh_error_locate(r->err, r->label, line, col, pointer);
	return EMH_EINVALID;
}

int emh_audit__only_members(const emh_audit_reader *r, const cJSON *obj, const char *pointer,
                            const char *const *allowed)
{
	for (const cJSON *m = obj->child; m; m = m->next) {
		int known = 0;
		for (size_t i = 0; allowed[i] && !known; i++)
			known = strcmp(m->string, allowed[i]) == 0;
		if (!known) {
			emh_buf jp = EMH_BUF_INIT;
			emh_buf_puts(&jp, pointer);
			emh_ptr_append_token(&jp, m->string); /* puts the '/' itself */
			emh_audit__bad(r, m, emh_buf_cstr(&jp), "unknown member \"%s\"", m->string);
			emh_buf_dispose(&jp);
			return EMH_EINVALID;
		}
	}
	return 0;
}

/*
 * What a person's text may hold, with PCRE2's Unicode properties (compiled
 * once): blank means only white space (\s, \p{Z}), format characters such as
 * zero-width spaces (\p{Cf}), controls (\p{Cc}) and the invisible fillers
 * that Unicode classes as letters or symbols; a control other than tab and
 * line breaks is refused in any text; a name also refuses tabs and line
 * breaks, line and paragraph separators and bidirectional overrides and
 * isolates, which reorder what a reader sees.
 */
enum { EMH_AUDIT_RE_BLANK, EMH_AUDIT_RE_CONTROL, EMH_AUDIT_RE_NAME, EMH_AUDIT_RE_COUNT };
static pcre2_code *emh_audit_re[EMH_AUDIT_RE_COUNT];
static pthread_once_t emh_audit_re_once = PTHREAD_ONCE_INIT;

static void emh_audit_re_compile(void)
{
	static const char *const src[EMH_AUDIT_RE_COUNT] = {
		"\\A[\\s\\p{Z}\\p{Cf}\\p{Cc}\\x{115F}\\x{1160}\\x{3164}\\x{FFA0}\\x{2800}]*\\z",
		"(?![\\t\\n\\r])\\p{Cc}",
		"[\\p{Cc}\\p{Zl}\\p{Zp}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]",
	};
	for (int i = 0; i < EMH_AUDIT_RE_COUNT; i++) {
		int code;
		PCRE2_SIZE off;
		emh_audit_re[i] = pcre2_compile((PCRE2_SPTR)src[i], PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
		                                &code, &off, NULL);
	}
}

/* 1 with *at the byte offset of the first match of pattern which in s, 0 for none, -1 when it cannot tell. */
static int emh_audit_find(int which, const char *s, size_t *at)
{
	pthread_once(&emh_audit_re_once, emh_audit_re_compile);
	if (!emh_audit_re[which])
		return -1;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(emh_audit_re[which], NULL);
	if (!md)
		return -1;
	int rc = pcre2_match(emh_audit_re[which], (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	if (rc > 0)
		*at = pcre2_get_ovector_pointer(md)[0];
	pcre2_match_data_free(md);
	return rc > 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* The code point at s (valid UTF-8, as the strict reader guarantees). */
static unsigned long emh_audit_codepoint(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80)
		return u[0];
	if (u[0] < 0xE0)
		return (u[0] & 0x1Ful) << 6 | (u[1] & 0x3Ful);
	if (u[0] < 0xF0)
		return (u[0] & 0x0Ful) << 12 | (u[1] & 0x3Ful) << 6 | (u[2] & 0x3Ful);
	return (u[0] & 0x07ul) << 18 | (u[1] & 0x3Ful) << 12 | (u[2] & 0x3Ful) << 6 | (u[3] & 0x3Ful);
}

int emh_audit__text(const emh_audit_reader *r, const cJSON *obj, const char *pointer,
                    const char *key, int flags, const char **out)
{
	char jp[300];
	snprintf(jp, sizeof jp, "%s/%s", pointer, key);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = NULL;
	if (!v) {
		if (!(flags & EMH_AUDIT_REQUIRED))
			return 0;
		return emh_audit__bad(r, obj, pointer, "missing \"%s\"", key);
	}
	if (!cJSON_IsString(v))
		return emh_audit__bad(r, v, jp, "\"%s\" must be a string", key);
	const char *s = v->valuestring;
	size_t at = 0;
	int found = emh_audit_find(EMH_AUDIT_RE_BLANK, s, &at);
	if (found < 0)
		return emh_audit__bad(r, v, jp, "\"%s\" cannot be checked (PCRE2 without Unicode support?)", key);
	if (found)
		return emh_audit__bad(r, v, jp, "\"%s\" must not be empty%s", key,
		                      *s ? " (it holds only white space or invisible characters)" : "");
	found = emh_audit_find((flags & EMH_AUDIT_NAME) ? EMH_AUDIT_RE_NAME : EMH_AUDIT_RE_CONTROL, s, &at);
	if (found)
		return emh_audit__bad(r, v, jp, "\"%s\" holds %s U+%04lX at byte %zu; %s", key,
		                      found < 0 ? "a character that cannot be checked," : "the control character",
		                      found < 0 ? 0ul : emh_audit_codepoint(s + at), at,
		                      (flags & EMH_AUDIT_NAME) ? "a name is one line of visible text"
		                                               : "only tabs and line breaks are allowed");
	*out = v->valuestring;
	return 0;
}

int emh_audit__date(const emh_audit_reader *r, const cJSON *obj, const char *pointer,
                    const char *key, const char **out, long *day)
{
	if (emh_audit__text(r, obj, pointer, key, EMH_AUDIT_REQUIRED, out))
		return EMH_EINVALID;
	char jp[300];
	snprintf(jp, sizeof jp, "%s/%s", pointer, key);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (emh_date_parse(day, *out))
		return emh_audit__bad(r, v, jp, "\"%s\" must be a date YYYY-MM-DD, not \"%s\"", key, *out);
	long lo = 0, hi = 0;
	emh_date_parse(&lo, EMH_AUDIT_FIRST_DATE);
	emh_date_parse(&hi, EMH_AUDIT_LAST_DATE);
	if (*day < lo || *day > hi)
		return emh_audit__bad(r, v, jp, "\"%s\" %s is not a plausible date (from " EMH_AUDIT_FIRST_DATE
		                      " to " EMH_AUDIT_LAST_DATE ")", key, *out);
	return 0;
}

int emh_audit__records(const emh_audit_reader *r, const cJSON *root, const char *key,
                       const cJSON **out)
{
	*out = NULL;
	if (!cJSON_IsObject(root))
		return emh_audit__bad(r, root, "", "expected an object {\"%s\": [...]}", key);
	const char *const allowed[] = { key, NULL };
	if (emh_audit__only_members(r, root, "", allowed))
		return EMH_EINVALID;
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
	if (!a)
		return emh_audit__bad(r, root, "", "missing \"%s\"", key);
	if (!cJSON_IsArray(a)) {
		char jp[64];
		snprintf(jp, sizeof jp, "/%s", key);
		return emh_audit__bad(r, a, jp, "\"%s\" must be an array", key);
	}
	*out = a;
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const emh_audit_key *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

int emh_audit__first_repeat(emh_audit_key *keys, size_t n, size_t *repeat, size_t *first)
{
	if (n > 1)
		qsort(keys, n, sizeof *keys, by_key);
	int found = 0;
	size_t group = 0; /* the first key of the run of equal texts being scanned */
	for (size_t i = 1; i < n; i++) {
		if (strcmp(keys[i].text, keys[group].text) != 0) {
			group = i;
			continue;
		}
		if (!found || keys[i].index < *repeat) {
			*repeat = keys[i].index;
			*first = keys[group].index;
			found = 1;
		}
	}
	return found;
}

/* ---- the waivers file --------------------------------------------------------- */

static int by_waiver_id(const void *a, const void *b)
{
	return strcmp(((const emh_waiver *)a)->id, ((const emh_waiver *)b)->id);
}

static int read_waiver(const emh_audit_reader *r, const cJSON *o, const char *jp,
                       emh_waiver *w, emh_arena *a)
{
	static const char *const allowed[] = { "id", "criterion", "scope", "justification", "approver",
	                                       "expires", "signature", NULL };
	static const char *const sig_allowed[] = { "keyid", "sig", NULL };
	static const char *const scope_allowed[] = { "app_id", "app_version", NULL };
	if (!cJSON_IsObject(o))
		return emh_audit__bad(r, o, jp, "a waiver must be an object");
	if (emh_audit__only_members(r, o, jp, allowed))
		return EMH_EINVALID;
	const char *id, *criterion, *justification, *approver, *expires, *app_id, *app_version;
	if (emh_audit__text(r, o, jp, "id", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &id) ||
	    emh_audit__text(r, o, jp, "criterion", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &criterion))
		return EMH_EINVALID;
	const cJSON *scope = cJSON_GetObjectItemCaseSensitive(o, "scope");
	char sp[300];
	snprintf(sp, sizeof sp, "%s/scope", jp);
	if (!scope)
		return emh_audit__bad(r, o, jp, "missing \"scope\" (the app it concerns: {\"app_id\": ...})");
	if (!cJSON_IsObject(scope))
		return emh_audit__bad(r, scope, sp, "\"scope\" must be an object {\"app_id\", \"app_version\"}");
	if (emh_audit__only_members(r, scope, sp, scope_allowed) ||
	    emh_audit__text(r, scope, sp, "app_id", 1, &app_id) ||
	    emh_audit__text(r, scope, sp, "app_version", 0, &app_version) ||
	    emh_audit__text(r, o, jp, "justification", 1, &justification) ||
	    emh_audit__text(r, o, jp, "approver", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &approver))
		return EMH_EINVALID;
	long day;
	if (emh_audit__date(r, o, jp, "expires", &expires, &day))
		return EMH_EINVALID;
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(o, "signature");
	const char *keyid = NULL, *sig64 = NULL;
	if (sig) {
		char gp[300];
		snprintf(gp, sizeof gp, "%s/signature", jp);
		if (!cJSON_IsObject(sig))
			return emh_audit__bad(r, sig, gp, "\"signature\" must be an object {\"keyid\", \"sig\"}");
		if (emh_audit__only_members(r, sig, gp, sig_allowed) ||
		    emh_audit__text(r, sig, gp, "keyid", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &keyid) ||
		    emh_audit__text(r, sig, gp, "sig", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &sig64))
			return EMH_EINVALID;
	}
	w->key_id = emh_arena_strdup(a, keyid);
	w->signature = emh_arena_strdup(a, sig64);
	w->id = emh_arena_strdup(a, id);
	w->criterion = emh_arena_strdup(a, criterion);
	w->app_id = emh_arena_strdup(a, app_id);
	w->app_version = emh_arena_strdup(a, app_version);
	w->justification = emh_arena_strdup(a, justification);
	w->approver = emh_arena_strdup(a, approver);
	w->expires = emh_arena_strdup(a, expires);
	if (!w->id || !w->criterion || !w->app_id || !w->justification || !w->approver || !w->expires ||
	    (app_version && !w->app_version))
		return emh_error_set(r->err, EMH_EGENERIC, "out of memory");
	return 0;
}

int emh_waivers_parse(emh_waivers **out, const char *json, size_t len, const char *label,
                      emh_error *err)
{
	*out = NULL;
	emh_json *doc = NULL;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.reject_nul = 1; /* a NUL would cut a name short for every check */
	int rc = emh_json_parse(&doc, json, len, label, &lim, err);
	if (rc)
		return rc;
	emh_waivers *w = calloc(1, sizeof *w);
	emh_audit_reader r = { doc, label, err };
	const cJSON *list = NULL;
	if (!w || !(w->arena = emh_arena_new())) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	rc = emh_audit__records(&r, emh_json_root(doc), "waivers", &list);
	if (rc)
		goto done;
	size_t n = (size_t)cJSON_GetArraySize(list);
	w->items = emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *w->items);
	const cJSON **nodes = calloc(n ? n : 1, sizeof *nodes);
	emh_audit_key *keys = calloc(n ? n : 1, sizeof *keys);
	if (!w->items || !nodes || !keys) {
		free(nodes);
		free(keys);
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	size_t i = 0;
	for (const cJSON *e = list->child; e && rc == 0; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/waivers/%zu", i);
		nodes[i] = e;
		rc = read_waiver(&r, e, jp, &w->items[i], w->arena);
		keys[i] = (emh_audit_key){ w->items[i].id, i };
	}
	size_t repeat = 0, first = 0;
	if (rc == 0 && emh_audit__first_repeat(keys, n, &repeat, &first)) {
		char ip[80];
		unsigned line = 0, col = 0;
		size_t off = 0;
		emh_json_locate(doc, nodes[first], &line, &col, &off);
		snprintf(ip, sizeof ip, "/waivers/%zu/id", repeat);
		rc = emh_audit__bad(&r, cJSON_GetObjectItemCaseSensitive(nodes[repeat], "id"), ip,
		                    "waiver id \"%s\" is used twice (first at line %u)", w->items[repeat].id, line);
	}
	/* Sorted by id (keys now are), each with the position of its "id", found in one pass. */
	emh_waiver *sorted = rc == 0 ? emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *sorted) : NULL;
	w->pos = rc == 0 ? emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *w->pos) : NULL;
	for (size_t k = 0; rc == 0 && k < n; k++)
		nodes[k] = cJSON_GetObjectItemCaseSensitive(nodes[k], "id");
	if (rc == 0 && (!sorted || !w->pos || !(w->label = strdup(label ? label : "waivers")) ||
	                emh_json_locate_many(doc, nodes, n, w->pos, NULL)))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (rc == 0) {
		emh_json_pos *pos = emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *pos);
		if (!pos)
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		for (size_t k = 0; rc == 0 && k < n; k++) {
			sorted[k] = w->items[keys[k].index];
			pos[k] = w->pos[keys[k].index];
		}
		w->items = sorted;
		w->pos = pos;
	}
	free(nodes);
	free(keys);
	if (rc)
		goto done;
	w->count = n;
	*out = w;
	w = NULL;
done:
	emh_waivers_free(w);
	emh_json_free(doc);
	return rc;
}

int emh_waivers_load(emh_waivers **out, const char *path, emh_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = emh_audit__read_file(&text, &len, path, EMH_AUDIT_MAX_FILE, err);
	if (rc == 0)
		rc = emh_waivers_parse(out, text, len, path, err);
	free(text);
	return rc;
}

int emh_waivers_authorize(emh_waivers *w, const emh_criteria *set, const emh_reviewers *who, emh_error *err)
{
	for (size_t i = 0; w && i < w->count; i++) {
		emh_waiver *x = &w->items[i];
		const char *severity = NULL;
		for (size_t k = 0; k < set->count && !severity; k++)
			if (strcmp(set->items[k].id, x->criterion) == 0)
				severity = emh_severity_name(set->items[k].severity);
		int rc = emh_reviewers_check_waiver(who, x, severity, err);
		if (rc) {
			emh_error_locate(err, w->label, w->pos[i].line, w->pos[i].column, NULL);
			return rc;
		}
		x->reviewers_commit = emh_reviewers_commit(who)[0] ? emh_arena_strdup(w->arena, emh_reviewers_commit(who)) : NULL;
		x->reviewers_path = x->reviewers_commit ? emh_arena_strdup(w->arena, emh_reviewers_path(who)) : NULL;
	}
	return 0;
}

const emh_waiver *emh_waivers_items(const emh_waivers *w, size_t *count)
{
	*count = w ? w->count : 0;
	return w ? w->items : NULL;
}

void emh_waivers_free(emh_waivers *w)
{
	if (!w)
		return;
	emh_arena_free(w->arena);
	free(w->label);
	free(w);
}

/* ---- applying waivers during an evaluation ---------------------------------------- */

static const char *app_string(const cJSON *root, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "app"), key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int emh_waiver__begin(emh_waiver_run *run, const emh_eval_options *opts, const cJSON *root,
                      long as_of, int as_of_ok, emh_error *err)
{
	memset(run, 0, sizeof *run);
	if (!opts || !opts->nwaivers)
		return 0;
	run->items = opts->waivers;
	run->count = opts->nwaivers;
	run->as_of = as_of;
	run->as_of_ok = as_of_ok;
	run->in_scope = calloc(run->count, 1);
	run->status = calloc(run->count, sizeof *run->status);
	if (!run->in_scope || !run->status) {
		emh_waiver__dispose(run);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	const char *app_id = app_string(root, "id"), *app_version = app_string(root, "version");
	int any = 0;
	for (size_t i = 0; i < run->count; i++) {
		const emh_waiver *w = &run->items[i];
		long expires = 0;
		if (!w->id || !w->criterion || !w->app_id || !w->expires || emh_date_parse(&expires, w->expires)) {
			emh_waiver__dispose(run);
			return emh_error_set(err, EMH_EINVALID, "waiver %zu is incomplete or its expiry is not a date", i + 1);
		}
		run->in_scope[i] = app_id && strcmp(w->app_id, app_id) == 0 &&
		                   (!w->app_version || (app_version && strcmp(w->app_version, app_version) == 0));
		/* A waiver is temporary: one that runs for more than a year from the evaluation is refused. */
		if (run->in_scope[i] && as_of_ok && expires > as_of + EMH_AUDIT_DAYS_AHEAD) {
			char when[11];
			emh_date_format(when, as_of);
			emh_waiver__dispose(run);
			return emh_error_set(err, EMH_EINVALID, "waiver %s expires %s, more than a year after the "
			                     "evaluation date %s: a waiver is a temporary exception", w->id, w->expires, when);
		}
		any |= run->in_scope[i];
		/* Valid through its expiry date; expired from the next day. */
		run->status[i] = as_of_ok && as_of > expires ? "expired" : "unused";
	}
	if (any && !as_of_ok) {
		emh_waiver__dispose(run);
		return emh_error_set(err, EMH_EINVALID, "waivers need an evaluation date to judge expiry: "
		                     "give --as-of, or a submission_date in the submission");
	}
	return 0;
}

void emh_waiver__apply(emh_waiver_run *run, emh_result *r, emh_arena *arena)
{
	if (!run->count || r->outcome != EMH_OUTCOME_FAIL)
		return;
	for (size_t i = 0; i < run->count; i++) {
		const emh_waiver *w = &run->items[i];
		if (!run->in_scope[i] || strcmp(run->status[i], "unused") != 0 || strcmp(w->criterion, r->id) != 0)
			continue;
		r->outcome = EMH_OUTCOME_WAIVED;
		r->reason = emh_arena_printf(arena, "waived by %s (approved by %s, until %s)", w->id,
		                             w->approver ? w->approver : "?", w->expires);
		run->status[i] = "applied";
		return;
	}
}

int emh_waiver__finish(emh_waiver_run *run, emh_dossier *d)
{
	size_t n = 0;
	for (size_t i = 0; i < run->count; i++)
		n += run->in_scope[i];
	if (!n)
		return 0;
	emh_arena *a = d->arena;
	emh_waiver *out = emh_arena_alloc(a, n * sizeof *out);
	if (!out)
		return EMH_EGENERIC;
	size_t k = 0;
	for (size_t i = 0; i < run->count; i++) {
		if (!run->in_scope[i])
			continue;
		const emh_waiver *w = &run->items[i];
		emh_waiver *o = &out[k++];
		o->id = emh_arena_strdup(a, w->id);
		o->criterion = emh_arena_strdup(a, w->criterion);
		o->app_id = emh_arena_strdup(a, w->app_id);
		o->app_version = emh_arena_strdup(a, w->app_version);
		o->justification = emh_arena_strdup(a, w->justification);
		o->approver = emh_arena_strdup(a, w->approver);
		o->expires = emh_arena_strdup(a, w->expires);
		o->status = run->status[i];
		o->key_id = emh_arena_strdup(a, w->key_id);
		o->signature = emh_arena_strdup(a, w->signature);
		o->reviewers_commit = emh_arena_strdup(a, w->reviewers_commit);
		o->reviewers_path = emh_arena_strdup(a, w->reviewers_path);
		if (!o->id || !o->criterion || !o->app_id || !o->expires)
			return EMH_EGENERIC;
	}
	/* Once each: sorted, then adjacent repeats dropped (linear, where comparing with every earlier one was not). */
	qsort(out, k, sizeof *out, by_waiver_id);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (m == 0 || strcmp(out[m - 1].id, out[i].id) != 0)
			out[m++] = out[i];
	d->waivers = out;
	d->nwaivers = m;
	return 0;
}

void emh_waiver__dispose(emh_waiver_run *run)
{
	free(run->in_scope);
	free(run->status);
	memset(run, 0, sizeof *run);
}
