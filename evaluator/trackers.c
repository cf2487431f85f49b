/*
 * trackers.c - the tracker catalogue: criteria data in git (trackers.json
 * beside framework.json), compiled with the criteria so it is versioned,
 * linted and tested like them, and read by the observers to name what an
 * artifact's classes and hosts are (docs/observers.md, "The catalogue").
 *
 * Matching is by prefix on whole components: a code signature
 * "com.facebook.appevents" covers "Lcom/facebook/appevents/AppEventsLogger;"
 * but not "com.facebook.appeventsx"; a host signature "facebook.com" covers
 * "graph.facebook.com" but not "notfacebook.com". The longest signature wins,
 * so a specific entry can sit beside a broad one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/observe.h"

const char *const emh_tracker_categories[] = {
	"advertising", "analytics", "crash_reporting", "identification", "location",
	"profiling", "tag_manager", "session_replay", "marketing", "social", NULL
};

typedef struct tctx {
	const emh_json *doc;
	const char *label;
	emh_trackers_problem problem;
	void *payload;
	int nproblems;
} tctx;

static void problem(tctx *c, const cJSON *at, const char *jptr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(tctx *c, const cJSON *at, const char *jptr, const char *fmt, ...)
{
	emh_error e;
	va_list ap;
	va_start(ap, fmt);
	emh_json_vproblem(&e, EMH_EINVALID, c->doc, at, c->label, jptr, fmt, ap);
	va_end(ap);
	c->nproblems++;
	if (c->problem)
		c->problem(&e, c->payload);
}

void emh_trackers_dispose(emh_trackers *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->count; i++) {
		emh_tracker *e = &t->items[i];
		free(e->id);
		free(e->name);
		free(e->company);
		free(e->category);
		free(e->source);
		for (size_t k = 0; k < e->ncode; k++)
			free(e->code_signatures[k]);
		for (size_t k = 0; k < e->nhost; k++)
			free(e->host_signatures[k]);
		for (size_t k = 0; k < e->nios; k++)
			free(e->ios_signatures[k]);
		for (size_t k = 0; k < e->nnames; k++)
			free(e->names[k]);
		free(e->code_signatures);
		free(e->host_signatures);
		free(e->ios_signatures);
		free(e->names);
	}
	free(t->items);
	t->items = NULL;
	t->count = 0;
}

/* A Java package prefix: dotted identifiers, at least two components. */
static int is_package(const char *s)
{
	int parts = 1, start = 1;
	if (!*s)
		return 0;
	for (; *s; s++) {
		char ch = *s;
		if (ch == '.') {
			if (start)
				return 0;
			parts++;
			start = 1;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$' ||
		      (!start && ch >= '0' && ch <= '9')))
			return 0;
		start = 0;
	}
	return !start && parts >= 2;
}

/* A lower-case DNS name with at least two labels (no wildcard, no port). */
static int is_host(const char *s)
{
	size_t label = 0, labels = 1, n = 0;
	if (!*s || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++, n++) {
		char ch = *s;
		if (ch == '.') {
			if (label == 0)
				return 0;
			labels++;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && labels >= 2 && n <= 253;
}

/* An iOS framework or module name: a letter, then letters, digits or _ (no ".framework"). */
static int is_framework(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Another name of the SDK: printable ASCII, 3 to 80 bytes, no leading or trailing space. */
static int is_other_name(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 80 || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

static char *string_member(tctx *c, const cJSON *o, const char *key, const char *jp, int url)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char p[96];
	snprintf(p, sizeof p, "%s/%s", jp, key);
	if (!cJSON_IsString(v) || !v->valuestring[0]) {
		problem(c, v ? v : o, p, "\"%s\" must be a non-empty string", key);
		return NULL;
	}
	if (url && strncmp(v->valuestring, "https://", 8) != 0 && strncmp(v->valuestring, "http://", 7) != 0) {
		problem(c, v, p, "\"%s\" must be the URL (http or https) of the public fact the entry is written from", key);
		return NULL;
	}
	return emh_strdup(v->valuestring);
}

static char **string_list(tctx *c, const cJSON *o, const char *key, const char *jp,
                          int (*valid)(const char *), const char *what, size_t *n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char p[128];
	*n = 0;
	snprintf(p, sizeof p, "%s/%s", jp, key);
	if (!v)
		return NULL;
	if (!cJSON_IsArray(v)) {
		problem(c, v, p, "\"%s\" must be an array of %s", key, what);
		return NULL;
	}
	char **out = emh_calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *out);
	size_t k = 0;
	for (const cJSON *s = v->child; out && s; s = s->next, k++) {
		snprintf(p, sizeof p, "%s/%s/%zu", jp, key, k);
		if (!cJSON_IsString(s) || !valid(s->valuestring)) {
			problem(c, s, p, "expected %s", what);
			continue;
		}
		out[(*n)++] = emh_strdup(s->valuestring);
	}
	return out;
}

static const char *const entry_keys[] = {
	"id", "name", "company", "category", "code_signatures", "host_signatures", "ios_signatures", "names",
	"source", "note", NULL
};

static int is_id(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void compile_entry(tctx *c, const cJSON *o, size_t i, emh_trackers *out)
{
	char jp[64];
	snprintf(jp, sizeof jp, "/trackers/%zu", i);
	if (!cJSON_IsObject(o)) {
		problem(c, o, jp, "a catalogue entry must be an object {id, name, company, category, "
		        "code_signatures, host_signatures, source}");
		return;
	}
	for (const cJSON *m = o->child; m; m = m->next) {
		int known = 0;
		for (size_t k = 0; entry_keys[k]; k++)
			known |= strcmp(entry_keys[k], m->string) == 0;
		if (!known)
			problem(c, m, jp, "unknown key \"%s\" in a catalogue entry (expected id, name, company, "
			        "category, code_signatures, host_signatures, ios_signatures, names, source, note)", m->string);
	}
	emh_tracker *e = &out->items[out->count];
	memset(e, 0, sizeof *e);
	size_t off = 0;
	emh_json_locate(c->doc, o, &e->line, &e->column, &off);
	int before = c->nproblems;
	e->id = string_member(c, o, "id", jp, 0);
	if (e->id && !is_id(e->id)) {
		char p[96];
		snprintf(p, sizeof p, "%s/id", jp);
		problem(c, cJSON_GetObjectItemCaseSensitive(o, "id"), p,
		        "\"id\" must be lower case letters, digits and _, starting with a letter");
	}
	e->name = string_member(c, o, "name", jp, 0);
	e->company = string_member(c, o, "company", jp, 0);
	e->category = string_member(c, o, "category", jp, 0);
	e->source = string_member(c, o, "source", jp, 1);
	if (e->category) {
		int ok = 0;
		for (size_t k = 0; emh_tracker_categories[k]; k++)
			ok |= strcmp(emh_tracker_categories[k], e->category) == 0;
		if (!ok) {
			char p[96];
			snprintf(p, sizeof p, "%s/category", jp);
			problem(c, cJSON_GetObjectItemCaseSensitive(o, "category"), p,
			        "unknown category \"%s\" (expected advertising, analytics, crash_reporting, "
			        "identification, location, profiling, tag_manager, session_replay, marketing or social)",
			        e->category);
		}
	}
	e->code_signatures = string_list(c, o, "code_signatures", jp, is_package,
	                                  "a Java package prefix such as \"com.facebook.appevents\"", &e->ncode);
	e->host_signatures = string_list(c, o, "host_signatures", jp, is_host,
	                                 "a lower-case host name such as \"graph.facebook.com\"", &e->nhost);
	e->ios_signatures = string_list(c, o, "ios_signatures", jp, is_framework,
	                                "an iOS framework name such as \"FBSDKCoreKit\" (without \".framework\")",
	                                &e->nios);
	e->names = string_list(c, o, "names", jp, is_other_name,
	                       "another name of the SDK, 3 to 80 printable ASCII characters", &e->nnames);
	if (!e->ncode && !e->nhost && !e->nios && c->nproblems == before)
		problem(c, o, jp, "a catalogue entry needs at least one code or host signature");
	out->count++;
}

/* Duplicate ids and signatures: each names the entry that has it first. */
static void check_unique(tctx *c, const emh_trackers *t, const cJSON *list)
{
	const cJSON *node = list->child;
	for (size_t i = 0; i < t->count && node; i++, node = node->next) {
		const emh_tracker *e = &t->items[i];
		char jp[64];
		snprintf(jp, sizeof jp, "/trackers/%zu", i);
		for (size_t j = 0; j < i; j++) {
			const emh_tracker *f = &t->items[j];
			if (e->id && f->id && strcmp(e->id, f->id) == 0)
				problem(c, node, jp, "duplicate catalogue id \"%s\" (also entry %zu)", e->id, j);
			for (size_t a = 0; a < e->ncode; a++)
				for (size_t b = 0; b < f->ncode; b++)
					if (strcmp(e->code_signatures[a], f->code_signatures[b]) == 0)
						problem(c, node, jp, "code signature \"%s\" is also entry %zu's (%s)",
						        e->code_signatures[a], j, f->id ? f->id : "?");
			for (size_t a = 0; a < e->nhost; a++)
				for (size_t b = 0; b < f->nhost; b++)
					if (strcmp(e->host_signatures[a], f->host_signatures[b]) == 0)
						problem(c, node, jp, "host signature \"%s\" is also entry %zu's (%s)",
						        e->host_signatures[a], j, f->id ? f->id : "?");
			for (size_t a = 0; a < e->nios; a++)
				for (size_t b = 0; b < f->nios; b++)
					if (strcmp(e->ios_signatures[a], f->ios_signatures[b]) == 0)
						problem(c, node, jp, "iOS signature \"%s\" is also entry %zu's (%s)",
						        e->ios_signatures[a], j, f->id ? f->id : "?");
			for (size_t a = 0; a < e->nnames; a++)
				for (size_t b = 0; b < f->nnames; b++)
					if (strcasecmp(e->names[a], f->names[b]) == 0)
						problem(c, node, jp, "other name \"%s\" is also entry %zu's (%s)",
						        e->names[a], j, f->id ? f->id : "?");
		}
	}
}

int emh_trackers_compile(emh_trackers *out, const char *text, size_t len, const char *label,
                         emh_trackers_problem cb, void *payload)
{
	memset(out, 0, sizeof *out);
	tctx c = { NULL, label, cb, payload, 0 };
	emh_json *doc = NULL;
	emh_error e = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.reject_nul = 1;
	if (emh_json_parse(&doc, text, len, label, &lim, &e)) {
		if (cb)
			cb(&e, payload);
		return EMH_EINVALID;
	}
	c.doc = doc;
	const cJSON *root = emh_json_root(doc);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "trackers");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(list)) {
		problem(&c, list ? list : root, "", "trackers.json must be an object {\"trackers\": [entries]}");
		emh_json_free(doc);
		return EMH_EINVALID;
	}
	for (const cJSON *m = root->child; m; m = m->next)
		if (strcmp(m->string, "trackers") != 0 && strcmp(m->string, "description") != 0)
			problem(&c, m, "", "unknown key \"%s\" in trackers.json (expected description, trackers)", m->string);
	out->items = emh_calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *out->items);
	if (!out->items) {
		emh_json_free(doc);
		return EMH_EGENERIC;
	}
	size_t i = 0;
	for (const cJSON *o = list->child; o; o = o->next, i++)
		compile_entry(&c, o, i, out);
	/* Only when every entry compiled do items line up with the file's entries. */
	if (out->count == i)
		check_unique(&c, out, list);
	emh_json_free(doc);
	return c.nproblems ? EMH_EINVALID : 0;
}

/* Lower-cases and normalises a code name into dst: descriptors lose their
 * "L" and ";", slashes become dots. */
static void code_name(char *dst, size_t size, const char *name)
{
	size_t n = strlen(name);
	if (n >= 2 && name[0] == 'L' && name[n - 1] == ';') {
		name++;
		n -= 2;
	}
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = name[i] == '/' ? '.' : name[i];
	dst[n] = '\0';
}

const emh_tracker *emh_trackers_match_code(const emh_trackers *t, const char *name,
                                           const char **signature)
{
	char buf[1024];
	const emh_tracker *best = NULL;
	size_t bestlen = 0;
	if (!t || !name)
		return NULL;
	code_name(buf, sizeof buf, name);
	for (size_t i = 0; i < t->count; i++)
		for (size_t k = 0; k < t->items[i].ncode; k++) {
			const char *sig = t->items[i].code_signatures[k];
			size_t n = strlen(sig);
			if (n > bestlen && strncmp(buf, sig, n) == 0 && (buf[n] == '\0' || buf[n] == '.')) {
				best = &t->items[i];
				bestlen = n;
				if (signature)
					*signature = sig;
			}
		}
	return best;
}

const emh_tracker *emh_trackers_match_framework(const emh_trackers *t, const char *name,
                                                const char **signature)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->count; i++)
		for (size_t k = 0; k < t->items[i].nios; k++)
			if (strcmp(name, t->items[i].ios_signatures[k]) == 0) {
				if (signature)
					*signature = t->items[i].ios_signatures[k];
				return &t->items[i];
			}
	return NULL;
}

static int is_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Does word occur in text as whole words (not inside a longer word), ASCII case ignored? */
static int has_words(const char *text, const char *word)
{
	size_t n = strlen(text), m = strlen(word);
	for (size_t i = 0; m && i + m <= n; i++)
		if (strncasecmp(text + i, word, m) == 0 && (i == 0 || !is_word_char(text[i - 1]) || !is_word_char(word[0])) &&
		    (i + m == n || !is_word_char(text[i + m]) || !is_word_char(word[m - 1])))
			return 1;
	return 0;
}

const emh_tracker *emh_trackers_match_name(const emh_trackers *t, const char *declared,
                                           const char **matched)
{
	const emh_tracker *best = NULL;
	size_t bestlen = 0;
	if (!t || !declared)
		return NULL;
	for (size_t i = 0; i < t->count; i++) {
		const emh_tracker *e = &t->items[i];
		for (size_t k = 0; k <= e->nnames; k++) {
			const char *w = k == e->nnames ? e->name : e->names[k];
			size_t n = w ? strlen(w) : 0;
			if (n > bestlen && has_words(declared, w)) {
				best = e;
				bestlen = n;
				if (matched)
					*matched = w;
			}
		}
	}
	return best;
}

/* host without a port and a trailing dot: its length. */
static size_t host_len(const char *host)
{
	size_t n = strcspn(host, ":/");
	if (n && host[n - 1] == '.')
		n--;
	return n;
}

int emh_host_within(const char *host, const char *sig)
{
	size_t n = host_len(host), s = strlen(sig);
	if (!s || s > n)
		return 0;
	if (strncasecmp(host + n - s, sig, s) != 0)
		return 0;
	return n == s || host[n - s - 1] == '.';
}

const emh_tracker *emh_trackers_match_host(const emh_trackers *t, const char *host,
                                           const char **signature)
{
	const emh_tracker *best = NULL;
	size_t bestlen = 0;
	if (!t || !host)
		return NULL;
	for (size_t i = 0; i < t->count; i++)
		for (size_t k = 0; k < t->items[i].nhost; k++) {
			const char *sig = t->items[i].host_signatures[k];
			size_t n = strlen(sig);
			if (n > bestlen && emh_host_within(host, sig)) {
				best = &t->items[i];
				bestlen = n;
				if (signature)
					*signature = sig;
			}
		}
	return best;
}
