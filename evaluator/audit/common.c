/*
 * common.c - the helpers the audit files share, in one place: reading a
 * file whole, percent-encoding ledger paths, strict reading of small record
 * files (waivers, reviews, reviewers), and the checks on a dossier's bytes
 * that verify.c and ledger.c both make. Each audit file includes only
 * audit_internal.h for them, so no audit file depends on another's helpers.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/io.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/encode.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"

/* ---- files ----------------------------------------------------------------- */

int emh_audit__read_file(char **out, size_t *len, const char *path, size_t max,
                         emh_error *err)
{
	return emh_io_read_file(out, len, path, max, err);
}

/* ---- ledger paths (ledger.c, register/) ------------------------------------------ */

void emh_audit__pct_encode(emh_buf *out, const char *s)
{
	emh_encode_pct(out, s, EMH_PCT_NAME);
}

/* ---- strict reading of small record files (waiver.c, review.c, reviewers.c) ----- */

int emh_audit__bad(const emh_audit_reader *r, const cJSON *node, const char *pointer,
                   const char *fmt, ...)
{
	if (r->err) {
		va_list ap;
		va_start(ap, fmt);
		emh_json_vproblem(r->err, EMH_EINVALID, r->doc, node, r->label, pointer, fmt, ap);
		va_end(ap);
	}
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

int emh_audit__parse(struct emh_json **doc, const char *json, size_t len, const char *label, emh_error *err)
{
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.reject_nul = 1; /* a NUL would cut a name short for every check */
	return emh_json_parse(doc, json, len, label, &lim, err);
}

int emh_audit__signature(const emh_audit_reader *r, const cJSON *obj, const char *pointer, const char **keyid,
                         const char **sig64)
{
	static const char *const allowed[] = { "keyid", "sig", NULL };
	const cJSON *sig = cJSON_GetObjectItemCaseSensitive(obj, "signature");
	*keyid = *sig64 = NULL;
	if (!sig)
		return 0;
	char sub[300];
	snprintf(sub, sizeof sub, "%s/signature", pointer);
	if (!cJSON_IsObject(sig))
		return emh_audit__bad(r, sig, sub, "\"signature\" must be an object {\"keyid\", \"sig\"}");
	if (emh_audit__only_members(r, sig, sub, allowed) ||
	    emh_audit__text(r, sig, sub, "keyid", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, keyid) ||
	    emh_audit__text(r, sig, sub, "sig", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, sig64))
		return EMH_EINVALID;
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

/* ---- checks on a dossier's bytes (verify.c, ledger.c) ------------------------------- */

/* Copies s for a terminal line: control bytes become '?', at most max bytes. */
static void printable(char *dst, size_t size, const char *s, size_t len, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < len && i < max && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (len > max && n + 4 < size) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

void emh_audit__first_difference(char *why, size_t whysize, const char *a, size_t alen,
                                 const char *b, size_t blen)
{
	size_t i = 0, line = 1, start = 0;
	while (i < alen && i < blen && a[i] == b[i]) {
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	size_t ae = start, be = start;
	while (ae < alen && a[ae] != '\n')
		ae++;
	while (be < blen && b[be] != '\n')
		be++;
	char x[128], y[128];
	printable(x, sizeof x, a + start, start < alen ? ae - start : 0, 100);
	printable(y, sizeof y, b + start, start < blen ? be - start : 0, 100);
	snprintf(why, whysize, "first difference at line %zu: recorded \"%s\", expected \"%s\"", line, x, y);
}

int emh_audit__check_canonical(const cJSON *tree, const char *bytes, size_t len, int pretty,
                               char *why, size_t whysize)
{
	emh_buf b = EMH_BUF_INIT;
	int rc = emh_canonical_print(&b, tree, pretty);
	int same = rc == 0 && b.len == len && memcmp(b.ptr, bytes, len) == 0;
	if (rc)
		snprintf(why, whysize, "the dossier has no canonical form (a fraction, a duplicate key, or "
		         "nesting too deep)");
	else if (!same)
		emh_audit__first_difference(why, whysize, bytes, len, b.ptr, b.len);
	emh_buf_dispose(&b);
	return same ? 0 : 1;
}

int emh_audit__check_model(emh_dossier **model, const cJSON *tree, const char *label,
                           char *why, size_t whysize)
{
	if (model)
		*model = NULL;
	emh_buf text = EMH_BUF_INIT, again = EMH_BUF_INIT, orig = EMH_BUF_INIT;
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	int bad = 1;
	if (emh_canonical_print(&text, tree, 1)) {
		snprintf(why, whysize, "the dossier has no canonical form");
		goto done;
	}
	if (emh_dossier_parse(&d, text.ptr, text.len, label, &err)) {
		char msg[1400];
		emh_error_format(&err, msg, sizeof msg);
		snprintf(why, whysize, "%s", msg);
		goto done;
	}
	cJSON *back = emh_dossier_to_json(d, 1);
	int same = back && emh_canonical_print(&again, back, 0) == 0 && emh_canonical_print(&orig, tree, 0) == 0 &&
	           again.len == orig.len && memcmp(again.ptr, orig.ptr, orig.len) == 0;
	cJSON_Delete(back);
	if (!same) {
		char diff[400];
		emh_buf_clear(&again);
		cJSON *b2 = emh_dossier_to_json(d, 1);
		if (b2)
			emh_canonical_print(&again, b2, 1);
		cJSON_Delete(b2);
		emh_audit__first_difference(diff, sizeof diff, text.ptr, text.len, again.ptr ? again.ptr : "",
		                            again.len);
		snprintf(why, whysize, "the dossier holds something emheval does not write (%s)", diff);
		goto done;
	}
	bad = 0;
	if (model) {
		*model = d;
		d = NULL;
	}
done:
	emh_dossier_free(d);
	emh_buf_dispose(&text);
	emh_buf_dispose(&again);
	emh_buf_dispose(&orig);
	return bad;
}

int emh_audit__check_digest(const cJSON *tree, char *why, size_t whysize)
{
	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(tree, "digest");
	if (!cJSON_IsString(rec)) {
		snprintf(why, whysize, "the dossier records no digest");
		return 1;
	}
	cJSON *copy = cJSON_Duplicate(tree, 1);
	char digest[72];
	emh_error err = EMH_ERROR_INIT;
	int rc = copy ? emh_json_digest(digest, copy, &err) : EMH_EGENERIC;
	cJSON_Delete(copy);
	if (rc) {
		snprintf(why, whysize, "cannot compute the digest: %s", err.message);
		return 1;
	}
	if (strcmp(digest, rec->valuestring) != 0) {
		char shown[80];
		printable(shown, sizeof shown, rec->valuestring, strlen(rec->valuestring), 71);
		snprintf(why, whysize, "recorded %s, computed %s", shown, digest);
		return 1;
	}
	snprintf(why, whysize, "%s", digest);
	return 0;
}
