/*
 * observe.c - the observer framework: every evidence entry of an artifact
 * kind is handed, as the bytes already loaded and hashed, to its kind's
 * reader, which appends facts; the facts become the /observed part of the
 * evaluated document that criteria read like any data (provenance
 * "observed"). A fact keeps its artifact and location so a finding about it
 * points into the artifact, and the artifact's hash is in the dossier's
 * evidence list, so `verify` re-runs the readers and reproduces the facts.
 *
 * After the readers, each host and flow is joined with what the submission
 * declares (first-party hosts, third parties and their hosts, the privacy
 * policy's text), since a criterion cannot join two lists by domain; the
 * members this adds are listed in docs/observers.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "evaluator/internal.h"
#include "evaluator/observe.h"
#include "evaluator/submission_internal.h"

/* The readers, one per artifact kind; NULL: listed under /observed/artifacts only
 * (its reader lives on another branch or is still to be written). */
static const struct {
	const char *kind;
	int (*read)(emh_observation *o, const emh_artifact *a, emh_error *err);
} observers[] = {
	{ "network_capture", emh_observe_har },
	{ "android_package", emh_observe_apk },
	{ "ios_package", emh_observe_ipa },
	{ "web_page", emh_observe_page },
};

enum { F_ARTIFACTS, F_HOSTS, F_SDKS, F_FLOWS, F_PERMISSIONS, F_DECLARED, F_COUNT };
static const char *const list_names[F_COUNT] = { "artifacts", "hosts", "sdks", "flows", "permissions",
	                                         "declared" };

typedef struct fact_meta {
	char *artifact;
	char *location;
	char *summary;   /* for findings: the location and what was seen (join) */
	unsigned line, column;
	size_t offset;
} fact_meta;

typedef struct fact_list {
	cJSON *arr;      /* owned by the root */
	fact_meta *meta; /* one per element */
	size_t n, cap;
} fact_list;

struct emh_observation {
	const emh_trackers *cat;
	const emh_submission *sub;
	cJSON *root;
	fact_list lists[F_COUNT];
	emh_canary *canaries;
	size_t ncanaries;
	char email_sha[65];
};

int emh_observe_is_artifact_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof observers / sizeof observers[0]; i++)
		if (strcmp(observers[i].kind, kind) == 0)
			return 1;
	return 0;
}

void emh_observation_free(emh_observation *o)
{
	if (!o)
		return;
	for (int l = 0; l < F_COUNT; l++) {
		for (size_t i = 0; i < o->lists[l].n; i++) {
			free(o->lists[l].meta[i].artifact);
			free(o->lists[l].meta[i].location);
			free(o->lists[l].meta[i].summary);
		}
		free(o->lists[l].meta);
	}
	for (size_t i = 0; i < o->ncanaries; i++) {
		free(o->canaries[i].which);
		free(o->canaries[i].value);
	}
	free(o->canaries);
	cJSON_Delete(o->root);
	free(o);
}

const cJSON *emh_observation_root(const emh_observation *o) { return o ? o->root : NULL; }

const emh_canary *emh_observe_canaries(const emh_observation *o, size_t *n)
{
	*n = o->ncanaries;
	return o->canaries;
}

const char *emh_observe_email_sha256(const emh_observation *o)
{
	return o->email_sha[0] ? o->email_sha : NULL;
}

/* Appends obj (taking it) to list l with its provenance; -1 out of memory. */
static int append(emh_observation *o, int l, cJSON *obj, const emh_artifact *a, const emh_fact_pos *at)
{
	fact_list *fl = &o->lists[l];
	if (!obj)
		return -1;
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 16;
		fact_meta *m = emh_realloc(fl->meta, cap * sizeof *m);
		if (!m) {
			cJSON_Delete(obj);
			return -1;
		}
		fl->meta = m;
		fl->cap = cap;
	}
	fact_meta *m = &fl->meta[fl->n];
	memset(m, 0, sizeof *m);
	m->artifact = emh_strdup(a->path);
	m->location = emh_strdup(at && at->location ? at->location : a->path);
	if (at) {
		m->line = at->line;
		m->column = at->column;
		m->offset = at->offset;
	}
	if (!m->artifact || !m->location) {
		free(m->artifact);
		free(m->location);
		cJSON_Delete(obj);
		return -1;
	}
	fl->n++;
	cJSON_AddItemToArray(fl->arr, obj);
	return 0;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Is there already a fact in list l from artifact a with these member values? */
static int seen(const emh_observation *o, int l, const emh_artifact *a, const char *k1, const char *v1,
                const char *k2, const char *v2, const char *k3, const char *v3)
{
	const fact_list *fl = &o->lists[l];
	size_t i = 0;
	for (const cJSON *f = fl->arr->child; f; f = f->next, i++) {
		if (strcmp(fl->meta[i].artifact, a->path) != 0)
			continue;
		const char *x1 = str_of(f, k1);
		if (!x1 || strcmp(x1, v1) != 0)
			continue;
		const char *x2 = k2 ? str_of(f, k2) : NULL;
		if (k2 && (!x2 || strcmp(x2, v2) != 0))
			continue;
		const char *x3 = k3 ? str_of(f, k3) : NULL;
		if (k3 && (!x3 || strcmp(x3, v3) != 0))
			continue;
		return 1;
	}
	return 0;
}

static const char *loc_text(const emh_artifact *a, const emh_fact_pos *at)
{
	return at && at->location ? at->location : a->path;
}

static int add_sdk(emh_observation *o, const emh_artifact *a, const emh_tracker *t, const char *sig,
                   const emh_fact_pos *at)
{
	if (!t)
		return 0;
	if (seen(o, F_SDKS, a, "tracker", t->id, NULL, NULL, NULL, NULL))
		return 1;
	cJSON *f = cJSON_CreateObject();
	if (!f)
		return -1;
	cJSON_AddStringToObject(f, "tracker", t->id);
	cJSON_AddStringToObject(f, "name", t->name);
	cJSON_AddStringToObject(f, "company", t->company);
	cJSON_AddStringToObject(f, "category", t->category);
	cJSON_AddStringToObject(f, "artifact", a->path);
	cJSON_AddStringToObject(f, "location", loc_text(a, at));
	cJSON_AddStringToObject(f, "signature", sig);
	return append(o, F_SDKS, f, a, at) ? -1 : 1;
}

int emh_observe_add_sdk(emh_observation *o, const emh_artifact *a, const char *name,
                        const emh_fact_pos *at)
{
	const char *sig = NULL;
	const emh_tracker *t = emh_trackers_match_code(o->cat, name, &sig);
	return add_sdk(o, a, t, sig, at);
}

int emh_observe_add_framework(emh_observation *o, const emh_artifact *a, const char *name,
                              const emh_fact_pos *at)
{
	const char *sig = NULL;
	const emh_tracker *t = emh_trackers_match_framework(o->cat, name, &sig);
	return add_sdk(o, a, t, sig, at);
}

int emh_observe_artifact_count(emh_observation *o, const emh_artifact *a, const char *member, size_t n)
{
	const fact_list *fl = &o->lists[F_ARTIFACTS];
	cJSON *f = fl->n ? cJSON_GetArrayItem(fl->arr, (int)fl->n - 1) : NULL;
	if (!f || strcmp(fl->meta[fl->n - 1].artifact, a->path) != 0)
		return 0;
	cJSON_DeleteItemFromObjectCaseSensitive(f, member);
	return cJSON_AddNumberToObject(f, member, (double)n) ? 0 : -1;
}

/* host lower-cased, without port or trailing dot, into dst. */
static void norm_host(char *dst, size_t size, const char *host)
{
	size_t n = strcspn(host, ":/");
	if (n && host[n - 1] == '.')
		n--;
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)(host[i] >= 'A' && host[i] <= 'Z' ? host[i] - 'A' + 'a' : host[i]);
	dst[n] = '\0';
}

/* The tracker (catalogue id, company, category; null for none) whose domain host is, as members of f. */
static void put_tracker(const emh_observation *o, cJSON *f, const char *host)
{
	const emh_tracker *t = emh_trackers_match_host(o->cat, host, NULL);
	emh_json_put_str_or_null(f, "tracker", t ? t->id : NULL);
	emh_json_put_str_or_null(f, "company", t ? t->company : NULL);
	emh_json_put_str_or_null(f, "category", t ? t->category : NULL);
}

int emh_observe_add_host(emh_observation *o, const emh_artifact *a, const char *host,
                         const emh_fact_pos *at)
{
	char h[256];
	norm_host(h, sizeof h, host);
	if (!h[0] || seen(o, F_HOSTS, a, "host", h, NULL, NULL, NULL, NULL))
		return 0;
	cJSON *f = cJSON_CreateObject();
	if (!f)
		return -1;
	cJSON_AddStringToObject(f, "host", h);
	cJSON_AddStringToObject(f, "artifact", a->path);
	cJSON_AddStringToObject(f, "location", loc_text(a, at));
	put_tracker(o, f, h);
	return append(o, F_HOSTS, f, a, at);
}

int emh_observe_add_permission(emh_observation *o, const emh_artifact *a, const char *name,
                               const emh_fact_pos *at)
{
	if (!name[0] || seen(o, F_PERMISSIONS, a, "name", name, NULL, NULL, NULL, NULL))
		return 0;
	cJSON *f = cJSON_CreateObject();
	if (!f)
		return -1;
	cJSON_AddStringToObject(f, "name", name);
	cJSON_AddStringToObject(f, "artifact", a->path);
	cJSON_AddStringToObject(f, "location", loc_text(a, at));
	return append(o, F_PERMISSIONS, f, a, at);
}

int emh_observe_add_flow(emh_observation *o, const emh_artifact *a, const char *host,
                         const char *canary, const char *encoding, const emh_fact_pos *at)
{
	char h[256];
	norm_host(h, sizeof h, host);
	if (!h[0] || seen(o, F_FLOWS, a, "host", h, "canary", canary, "encoding", encoding))
		return 0;
	cJSON *f = cJSON_CreateObject();
	if (!f)
		return -1;
	cJSON_AddStringToObject(f, "host", h);
	put_tracker(o, f, h);
	cJSON_AddStringToObject(f, "canary", canary);
	cJSON_AddStringToObject(f, "encoding", encoding);
	cJSON_AddStringToObject(f, "artifact", a->path);
	cJSON_AddStringToObject(f, "location", loc_text(a, at));
	return append(o, F_FLOWS, f, a, at);
}

/* ---- the persona -------------------------------------------------------- */

static int add_canary(emh_observation *o, const char *which, const char *value, int bounded)
{
	emh_canary *c = emh_realloc(o->canaries, (o->ncanaries + 1) * sizeof *c);
	if (!c)
		return -1;
	o->canaries = c;
	c = &o->canaries[o->ncanaries];
	c->which = emh_strdup(which);
	c->value = emh_strdup(value);
	c->bounded = bounded;
	if (!c->which || !c->value) {
		free(c->which);
		free(c->value);
		return -1;
	}
	o->ncanaries++;
	return 0;
}

/* Short values (fewer than 6 bytes) would match by chance: whole values only. */
#define EMH_CANARY_MIN_FREE 6u

static int read_persona(emh_observation *o, const cJSON *root)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "observation"),
	                                                  "persona");
	if (!cJSON_IsObject(p))
		return 0;
	const cJSON *email = cJSON_GetObjectItemCaseSensitive(p, "email");
	if (cJSON_IsString(email) && email->valuestring[0]) {
		/* Looked for trimmed and without regard to case; advertising platforms take the
		 * SHA-256 of the trimmed, lower-cased address. */
		const char *s = email->valuestring;
		size_t n = strlen(s);
		while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
		char *low = emh_malloc(n + 1);
		if (!low)
			return -1;
		for (size_t i = 0; i < n; i++)
			low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
		low[n] = '\0';
		emh_sha256_hex(o->email_sha, low, n);
		int rc = n ? add_canary(o, "email", low, 0) : 0;
		free(low);
		if (rc)
			return -1;
	}
	const cJSON *mood = cJSON_GetObjectItemCaseSensitive(p, "mood_score");
	if (cJSON_IsNumber(mood)) {
		char num[64];
		if (mood->valuedouble == (double)(long long)mood->valuedouble)
			snprintf(num, sizeof num, "%lld", (long long)mood->valuedouble);
		else
			snprintf(num, sizeof num, "%.17g", mood->valuedouble);
		if (add_canary(o, "mood_score", num, 1))
			return -1;
	} else if (cJSON_IsString(mood) && mood->valuestring[0]) {
		if (add_canary(o, "mood_score", mood->valuestring, strlen(mood->valuestring) < EMH_CANARY_MIN_FREE))
			return -1;
	}
	const cJSON *answers = cJSON_GetObjectItemCaseSensitive(p, "answers");
	size_t i = 0;
	for (const cJSON *a = cJSON_IsArray(answers) ? answers->child : NULL; a; a = a->next, i++) {
		char which[32];
		snprintf(which, sizeof which, "answers/%zu", i);
		if (cJSON_IsString(a) && a->valuestring[0]) {
			if (add_canary(o, which, a->valuestring, strlen(a->valuestring) < EMH_CANARY_MIN_FREE))
				return -1;
		} else if (cJSON_IsNumber(a)) {
			char num[64];
			snprintf(num, sizeof num, "%.17g", a->valuedouble);
			if (add_canary(o, which, num, 1))
				return -1;
		}
	}
	return 0;
}

/* ---- joining facts with the declarations ------------------------------ */

static int host_in_list(const char *host, const cJSON *list)
{
	for (const cJSON *h = cJSON_IsArray(list) ? list->child : NULL; h; h = h->next)
		if (cJSON_IsString(h) && emh_host_within(host, h->valuestring))
			return 1;
	return 0;
}

/* The declared third party whose hosts cover host, or NULL. */
static const cJSON *recipient_of(const cJSON *root, const char *host)
{
	const cJSON *tps = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data_protection"),
	                                                    "third_parties");
	for (const cJSON *t = cJSON_IsArray(tps) ? tps->child : NULL; t; t = t->next)
		if (host_in_list(host, cJSON_GetObjectItemCaseSensitive(t, "hosts")))
			return t;
	return NULL;
}

/* The purpose a tracker category is declared under (docs/observers.md). */
static const char *purpose_of(const char *category)
{
	static const char *const map[][2] = {
		{ "advertising", "advertising" }, { "analytics", "analytics" },
		{ "crash_reporting", "crash_reporting" }, { "identification", "identity" },
		{ "marketing", "marketing" }, { "profiling", "advertising" }, { "location", "advertising" },
		{ "tag_manager", "analytics" }, { "session_replay", "analytics" }, { "social", "marketing" },
	};
	for (size_t i = 0; category && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], category) == 0)
			return map[i][1];
	return NULL;
}

/* Does the third party t, declared a processor, have purpose (any purpose when NULL)? */
static int processor_for(const cJSON *t, const char *purpose)
{
	if (!t || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "processor")))
		return 0;
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(t, "purposes");
	for (const cJSON *p = cJSON_IsArray(ps) ? ps->child : NULL; p; p = p->next)
		if (cJSON_IsString(p) && (!purpose || strcmp(p->valuestring, purpose) == 0))
			return 1;
	return 0;
}

/* Case-insensitive search of needle (ASCII folding) in hay[0..n). */
static int contains_ci(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (!m || m > n)
		return 0;
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

/* The privacy policy read as evidence (the first readable one), or NULL. */
static const emh_evidence_entry *privacy_policy(const emh_submission *s)
{
	for (size_t i = 0; i < s->nevidence; i++)
		if (strcmp(s->evidence[i].kind, "privacy_policy") == 0 && s->evidence[i].text)
			return &s->evidence[i];
	return NULL;
}

/* Does the policy name the recipient of host: the tracker's name, company or a
 * host signature, the declared third party's name, or the host itself? */
static int disclosed(const emh_observation *o, const emh_evidence_entry *pol, const char *host,
                     const cJSON *recipient)
{
	if (!pol)
		return 0;
	const emh_tracker *t = emh_trackers_match_host(o->cat, host, NULL);
	if (contains_ci(pol->text, pol->len, host))
		return 1;
	if (t) {
		if (contains_ci(pol->text, pol->len, t->name) || contains_ci(pol->text, pol->len, t->company))
			return 1;
		for (size_t k = 0; k < t->nhost; k++)
			if (contains_ci(pol->text, pol->len, t->host_signatures[k]))
				return 1;
	}
	const char *rn = str_of(recipient, "name");
	return rn && contains_ci(pol->text, pol->len, rn);
}

/* What a finding about fact f (list l) shows: where, what, to whom, and for a
 * flow the policy does not disclose, that policy. */
static char *summarise(const cJSON *f, int flow, const char *location, const char *policy)
{
	char buf[1024];
	const char *host = str_of(f, "host"), *tracker = str_of(f, "tracker");
	const char *rec = str_of(f, "recipient");
	int n;
	if (flow)
		n = snprintf(buf, sizeof buf, "%s: persona %s (%s) sent to %s", location, str_of(f, "canary"),
		             str_of(f, "encoding"), host);
	else
		n = snprintf(buf, sizeof buf, "%s: request to %s", location, host);
	if (n > 0 && (size_t)n < sizeof buf && tracker)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " (catalogue: %s, %s, %s)", tracker,
		              str_of(f, "company") ? str_of(f, "company") : "?",
		              str_of(f, "category") ? str_of(f, "category") : "?");
	if (n > 0 && (size_t)n < sizeof buf)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "; declared recipient: %s", rec ? rec : "none");
	if (flow && n > 0 && (size_t)n < sizeof buf && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "disclosed")))
		snprintf(buf + n, sizeof buf - (size_t)n, "; not named in the privacy policy %s",
		         policy ? policy : "(none supplied)");
	return emh_strdup(buf);
}

/*
 * Declared SDKs and third parties named in the catalogue: each becomes a fact
 * of /observed/declared with the catalogue's category, so that a check
 * believes the catalogue, not the purpose the vendor wrote ("Meta SDK (App
 * Events)" declared for "analytics" is still an advertising SDK). A third
 * party is matched by its name, then by its hosts.
 */
static int declared_fact(emh_observation *o, const cJSON *item, const char *pointer, const char *name,
                         const emh_tracker *t, const char *matched)
{
	/* Named like evidence, relative to the submission's folder: the same wherever the folder is. */
	const char *label = o->sub->json_label ? o->sub->json_label : "submission.json";
	const char *slash = strrchr(label, '/');
	emh_artifact sj = { slash ? slash + 1 : label, "submission", NULL, NULL, 0 };
	emh_fact_pos pos = { NULL, 0, 0, 0 };
	char where[512];
	if (o->sub->doc)
		emh_json_locate(o->sub->doc, item, &pos.line, &pos.column, &pos.offset);
	snprintf(where, sizeof where, "%s: \"%s\" is %s (%s, %s) in the tracker catalogue", pointer, name, t->id,
	         t->company, t->category);
	pos.location = where;
	cJSON *f = cJSON_CreateObject();
	if (!f)
		return -1;
	cJSON_AddStringToObject(f, "declared", pointer);
	cJSON_AddStringToObject(f, "name", name);
	const cJSON *purposes = cJSON_GetObjectItemCaseSensitive(item, "purposes");
	const cJSON *purpose = cJSON_GetObjectItemCaseSensitive(item, "purpose");
	cJSON *ps = cJSON_AddArrayToObject(f, "purposes");
	if (!ps) {
		cJSON_Delete(f);
		return -1;
	}
	if (cJSON_IsString(purpose))
		cJSON_AddItemToArray(ps, cJSON_CreateString(purpose->valuestring));
	for (const cJSON *p = cJSON_IsArray(purposes) ? purposes->child : NULL; p; p = p->next)
		if (cJSON_IsString(p))
			cJSON_AddItemToArray(ps, cJSON_CreateString(p->valuestring));
	cJSON_AddStringToObject(f, "tracker", t->id);
	cJSON_AddStringToObject(f, "company", t->company);
	cJSON_AddStringToObject(f, "category", t->category);
	cJSON_AddStringToObject(f, "matched", matched);
	if (append(o, F_DECLARED, f, &sj, &pos))
		return -1;
	fact_meta *m = &o->lists[F_DECLARED].meta[o->lists[F_DECLARED].n - 1];
	return (m->summary = emh_strdup(where)) ? 0 : -1;
}

static int join_declared(emh_observation *o)
{
	static const char *const lists[] = { "tracking_sdks", "third_parties" };
	const cJSON *dp = cJSON_GetObjectItemCaseSensitive(o->sub->root, "data_protection");
	for (size_t l = 0; l < 2; l++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(dp, lists[l]);
		size_t i = 0;
		for (const cJSON *it = cJSON_IsArray(arr) ? arr->child : NULL; it; it = it->next, i++) {
			const char *name = str_of(it, "name");
			const char *matched = NULL;
			const emh_tracker *t = name ? emh_trackers_match_name(o->cat, name, &matched) : NULL;
			const cJSON *hosts = cJSON_GetObjectItemCaseSensitive(it, "hosts");
			for (const cJSON *h = cJSON_IsArray(hosts) ? hosts->child : NULL; !t && h; h = h->next)
				if (cJSON_IsString(h) && (t = emh_trackers_match_host(o->cat, h->valuestring, NULL)))
					matched = h->valuestring;
			if (!t)
				continue;
			char pointer[96];
			snprintf(pointer, sizeof pointer, "/data_protection/%s/%zu", lists[l], i);
			if (declared_fact(o, it, pointer, name ? name : matched, t, matched))
				return -1;
		}
	}
	return 0;
}

static void join(emh_observation *o)
{
	const cJSON *root = o->sub->root;
	const cJSON *first = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "observation"),
	                                                      "first_party_hosts");
	const emh_evidence_entry *pol = privacy_policy(o->sub);
	int lists[] = { F_HOSTS, F_FLOWS };
	for (size_t l = 0; l < 2; l++) {
		size_t k = 0;
		for (cJSON *f = o->lists[lists[l]].arr->child; f; f = f->next, k++) {
			const char *host = str_of(f, "host");
			int third = !host_in_list(host, first);
			const cJSON *rec = third ? recipient_of(root, host) : NULL;
			cJSON_AddBoolToObject(f, "third_party", third);
			emh_json_put_str_or_null(f, "recipient", str_of(rec, "name"));
			if (lists[l] != F_FLOWS)
				goto summary;
			const cJSON *cat = cJSON_GetObjectItemCaseSensitive(f, "category");
			const char *purpose = cJSON_IsString(cat) ? purpose_of(cat->valuestring) : NULL;
			cJSON_AddBoolToObject(f, "declared_processor", !third || processor_for(rec, purpose));
			cJSON_AddBoolToObject(f, "disclosed", !third || disclosed(o, pol, host, rec));
			emh_json_put_str_or_null(f, "policy", pol ? pol->path : NULL);
		summary:;
			fact_meta *m = &o->lists[lists[l]].meta[k];
			m->summary = summarise(f, lists[l] == F_FLOWS, m->location, pol ? pol->path : NULL);
		}
	}
}

/* ---- running the readers ---------------------------------------------- */

int emh_observe_run(emh_observation **out, const emh_submission *sub,
                    const emh_trackers *catalogue, emh_error *err)
{
	*out = NULL;
	emh_observation *o = emh_calloc(1, sizeof *o);
	if (!o || !(o->root = cJSON_CreateObject())) {
		free(o);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	o->cat = catalogue;
	o->sub = sub;
	int rc = 0;
	for (int l = 0; l < F_COUNT; l++)
		if (!(o->lists[l].arr = cJSON_AddArrayToObject(o->root, list_names[l])))
			goto oom;
	if (read_persona(o, sub->root))
		goto oom;
	for (size_t i = 0; i < sub->nevidence; i++) {
		const emh_evidence_entry *e = &sub->evidence[i];
		size_t k = 0;
		while (k < sizeof observers / sizeof observers[0] && strcmp(observers[k].kind, e->kind) != 0)
			k++;
		if (k == sizeof observers / sizeof observers[0] || !e->text)
			continue;
		emh_artifact a = { e->path, e->kind, e->sha256, e->text, e->len };
		cJSON *f = cJSON_CreateObject();
		if (!f)
			goto oom;
		cJSON_AddStringToObject(f, "path", e->path);
		cJSON_AddStringToObject(f, "kind", e->kind);
		cJSON_AddStringToObject(f, "sha256", e->sha256);
		if (append(o, F_ARTIFACTS, f, &a, NULL))
			goto oom;
		if (observers[k].read && (rc = observers[k].read(o, &a, err)) != 0) {
			if (!err || !err->file[0])
				emh_error_locate(err, e->path, 0, 0, NULL);
			emh_observation_free(o);
			return rc;
		}
	}
	join(o);
	if (join_declared(o))
		goto oom;
	*out = o;
	return 0;
oom:
	emh_observation_free(o);
	return emh_error_set(err, EMH_EGENERIC, "out of memory");
}

int emh_observation_locate(const emh_observation *o, const char *pointer, const char **artifact,
                           emh_fact_pos *pos)
{
	if (!o || strncmp(pointer, "/observed/", 10) != 0)
		return 0;
	const char *p = pointer + 10;
	for (int l = 0; l < F_COUNT; l++) {
		size_t n = strlen(list_names[l]);
		if (strncmp(p, list_names[l], n) != 0 || p[n] != '/')
			continue;
		char *end = NULL;
		unsigned long idx = strtoul(p + n + 1, &end, 10);
		if (end == p + n + 1 || (*end && *end != '/') || idx >= o->lists[l].n)
			return 0;
		const fact_meta *m = &o->lists[l].meta[idx];
		*artifact = m->artifact;
		pos->location = m->summary ? m->summary : m->location;
		pos->line = m->line;
		pos->column = m->column;
		pos->offset = m->offset;
		return 1;
	}
	return 0;
}
