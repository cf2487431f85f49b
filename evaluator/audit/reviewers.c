/*
 * reviewers.c - who may decide: a reviewers file kept in git lists roles
 * (which criteria or domains each may decide, which severities of failure
 * each may waive) and reviewers (name, role, Ed25519 public key). A review
 * decision counts only when it is signed by the key of a reviewer whose
 * role may decide that criterion; anything else is an error naming the
 * criterion, the role and the key.
 *
 * A decision is signed over its canonical JSON form (the seven members
 * reviewer, role, criterion, version, decision, rationale, date; the
 * canonical printer of the dossier), so a signature survives any
 * re-formatting of the file and breaks at any change of meaning.
 *
 * The file is read strictly like the waivers and reviews files: unknown
 * members, unknown roles, repeated names or keys and malformed keys stop
 * with file, line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"

typedef struct emh_role {
	const char *name;
	const char **decides; /* selectors: "*", "domain:NAME", "PREFIX*", or an id */
	size_t ndecides;
	const char **waives;  /* severities */
	size_t nwaives;
} emh_role;

typedef struct emh_reviewer {
	const char *name;
	const emh_role *role;
	emh_key *key;
} emh_reviewer;

struct emh_reviewers {
	emh_role *roles;
	size_t nroles;
	emh_reviewer *people;
	size_t npeople;
	char *label;      /* "REPO:PATH@COMMIT" or the file name, for messages */
	char *path;       /* the path inside the repository */
	char commit[41];  /* "" when read from bytes */
	emh_arena *arena;
};

#define EMH_REVIEWERS_DEFAULT_PATH "reviewers.json"

static const char *const severities[] = { "blocker", "major", "minor", "advisory", NULL };

/* ---- reading the file ---------------------------------------------------------------- */

static int read_strings(const emh_audit_reader *r, const cJSON *o, const char *jp, const char *key,
                        const char ***out, size_t *n, emh_arena *a, const char *const *allowed)
{
	char sp[300];
	snprintf(sp, sizeof sp, "%s/%s", jp, key);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key);
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return emh_audit__bad(r, arr, sp, "\"%s\" must be an array of strings", key);
	size_t count = (size_t)cJSON_GetArraySize(arr);
	*out = emh_arena_alloc(a, (count ? count : 1) * sizeof **out);
	if (!*out)
		return emh_error_set(r->err, EMH_EGENERIC, "out of memory");
	size_t i = 0;
	for (const cJSON *e = arr->child; e; e = e->next, i++) {
		char ep[320];
		snprintf(ep, sizeof ep, "%s/%zu", sp, i);
		if (!cJSON_IsString(e) || !e->valuestring[0] || strpbrk(e->valuestring, " \t\n\r"))
			return emh_audit__bad(r, e, ep, "each entry of \"%s\" must be a non-empty string without spaces", key);
		int known = !allowed;
		for (size_t k = 0; allowed && allowed[k] && !known; k++)
			known = strcmp(allowed[k], e->valuestring) == 0;
		if (!known)
			return emh_audit__bad(r, e, ep, "\"%s\" is not a severity (blocker, major, minor, advisory)",
			                      e->valuestring);
		(*out)[i] = emh_arena_strdup(a, e->valuestring);
	}
	*n = count;
	return 0;
}

static int read_role(const emh_audit_reader *r, const cJSON *o, const char *jp, emh_role *role, emh_arena *a)
{
	static const char *const allowed[] = { "name", "decides", "waives", NULL };
	if (!cJSON_IsObject(o))
		return emh_audit__bad(r, o, jp, "a role must be an object {\"name\", \"decides\", \"waives\"}");
	const char *name;
	if (emh_audit__only_members(r, o, jp, allowed) ||
	    emh_audit__text(r, o, jp, "name", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &name) ||
	    read_strings(r, o, jp, "decides", &role->decides, &role->ndecides, a, NULL) ||
	    read_strings(r, o, jp, "waives", &role->waives, &role->nwaives, a, severities))
		return EMH_EINVALID;
	role->name = emh_arena_strdup(a, name);
	return 0;
}

static int read_reviewer(const emh_audit_reader *r, const cJSON *o, const char *jp, emh_reviewer *p,
                         const emh_reviewers *rs)
{
	static const char *const allowed[] = { "name", "role", "public_key", NULL };
	if (!cJSON_IsObject(o))
		return emh_audit__bad(r, o, jp, "a reviewer must be an object {\"name\", \"role\", \"public_key\"}");
	const char *name, *role, *key;
	if (emh_audit__only_members(r, o, jp, allowed) ||
	    emh_audit__text(r, o, jp, "name", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &name) ||
	    emh_audit__text(r, o, jp, "role", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &role) ||
	    emh_audit__text(r, o, jp, "public_key", EMH_AUDIT_REQUIRED, &key))
		return EMH_EINVALID;
	char sp[300];
	for (size_t i = 0; i < rs->nroles; i++)
		if (strcmp(rs->roles[i].name, role) == 0)
			p->role = &rs->roles[i];
	if (!p->role) {
		snprintf(sp, sizeof sp, "%s/role", jp);
		return emh_audit__bad(r, cJSON_GetObjectItemCaseSensitive(o, "role"), sp,
		                      "role \"%s\" is not one of the file's \"roles\"", role);
	}
	int rc = emh_audit__key_from_spki(&p->key, key);
	if (rc) {
		snprintf(sp, sizeof sp, "%s/public_key", jp);
		return rc == EMH_EGENERIC ? emh_error_set(r->err, rc, "out of memory")
		       : emh_audit__bad(r, cJSON_GetObjectItemCaseSensitive(o, "public_key"), sp,
		                        "\"public_key\" must be an Ed25519 public key: the base64 line of a .pub file "
		                        "that emheval keygen makes (DER SubjectPublicKeyInfo)");
	}
	p->name = emh_arena_strdup(rs->arena, name);
	return 0;
}

int emh_reviewers_parse(emh_reviewers **out, const char *json, size_t len, const char *label,
                        emh_error *err)
{
	*out = NULL;
	emh_json *doc = NULL;
	int rc = emh_audit__parse(&doc, json, len, label, err);
	if (rc)
		return rc;
	emh_reviewers *rs = calloc(1, sizeof *rs);
	emh_audit_reader r = { doc, label, err };
	emh_audit_key *keys = NULL;
	if (!rs || !(rs->arena = emh_arena_new()) || !(rs->label = strdup(label ? label : "reviewers")) ||
	    !(rs->path = strdup(EMH_REVIEWERS_DEFAULT_PATH))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	const cJSON *root = emh_json_root(doc);
	static const char *const allowed[] = { "roles", "reviewers", NULL };
	if (!cJSON_IsObject(root)) {
		rc = emh_audit__bad(&r, root, "", "expected an object {\"roles\": [...], \"reviewers\": [...]}");
		goto done;
	}
	if ((rc = emh_audit__only_members(&r, root, "", allowed)) != 0)
		goto done;
	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(root, "roles");
	const cJSON *people = cJSON_GetObjectItemCaseSensitive(root, "reviewers");
	if (!cJSON_IsArray(roles) || !cJSON_GetArraySize(roles)) {
		rc = emh_audit__bad(&r, roles ? roles : root, roles ? "/roles" : "",
		                    roles ? "\"roles\" must be a non-empty array" : "missing \"roles\"");
		goto done;
	}
	if (!cJSON_IsArray(people) || !cJSON_GetArraySize(people)) {
		rc = emh_audit__bad(&r, people ? people : root, people ? "/reviewers" : "",
		                    people ? "\"reviewers\" must be a non-empty array" : "missing \"reviewers\"");
		goto done;
	}
	size_t nr = (size_t)cJSON_GetArraySize(roles), np = (size_t)cJSON_GetArraySize(people);
	rs->roles = emh_arena_alloc(rs->arena, nr * sizeof *rs->roles);
	rs->people = calloc(np, sizeof *rs->people);
	keys = calloc(nr > np ? nr : np, sizeof *keys);
	if (!rs->roles || !rs->people || !keys) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	memset(rs->roles, 0, nr * sizeof *rs->roles);
	size_t i = 0;
	for (const cJSON *e = roles->child; e && rc == 0; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/roles/%zu", i);
		rc = read_role(&r, e, jp, &rs->roles[i], rs->arena);
		keys[i] = (emh_audit_key){ rc ? "" : rs->roles[i].name, i };
		rs->nroles = i + 1;
	}
	size_t repeat = 0, first = 0;
	if (rc == 0 && emh_audit__first_repeat(keys, nr, &repeat, &first)) {
		char jp[64];
		snprintf(jp, sizeof jp, "/roles/%zu/name", repeat);
		rc = emh_audit__bad(&r, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(roles, (int)repeat), "name"),
		                    jp, "role \"%s\" is defined twice", rs->roles[repeat].name);
	}
	i = 0;
	for (const cJSON *e = people->child; e && rc == 0; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/reviewers/%zu", i);
		rc = read_reviewer(&r, e, jp, &rs->people[i], rs);
		rs->npeople = i + 1;
		keys[i] = (emh_audit_key){ rc ? "" : emh_key_id(rs->people[i].key), i };
	}
	if (rc == 0 && emh_audit__first_repeat(keys, np, &repeat, &first)) {
		char jp[64];
		snprintf(jp, sizeof jp, "/reviewers/%zu/public_key", repeat);
		rc = emh_audit__bad(&r, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(people, (int)repeat),
		                    "public_key"), jp, "key %.16s is listed twice (also for reviewer %zu): a key "
		                    "belongs to one reviewer in one role", emh_key_id(rs->people[repeat].key), first);
	}
	if (rc)
		goto done;
	*out = rs;
	rs = NULL;
done:
	free(keys);
	emh_reviewers_free(rs);
	emh_json_free(doc);
	return rc;
}

static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int emh_reviewers_load_git(emh_reviewers **out, const char *repo, const char *path, const char *rev,
                           emh_error *err)
{
	*out = NULL;
	const char *where = repo ? repo : ".";
	const char *file = path && *path ? path : EMH_REVIEWERS_DEFAULT_PATH;
	git_repository *g = NULL;
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char id[41] = "";
	int rc = 0;
	if (git_libgit2_init() < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot initialise libgit2: %s", git_message());
	if (git_repository_open_ext(&g, where, 0, NULL) < 0) {
		rc = emh_error_set(err, EMH_ENOTFOUND, "the reviewers repository %s is not a git repository (%s)", where,
		                   git_message());
		goto done;
	}
	if (!rev)
		rev = "HEAD";
	if (git_revparse_single(&obj, g, rev) < 0 || git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		rc = emh_error_set(err, EMH_ENOTFOUND, "the reviewers repository %s has no commit %s (%s)", where,
		                   rev, git_message());
		goto done;
	}
	git_oid_tostr(id, sizeof id, git_commit_id(commit));
	if (git_tree_entry_bypath(&entry, tree, file) < 0) {
		rc = emh_error_set(err, EMH_ENOTFOUND, "no reviewers file %s in %s at %.12s: the file that says who may "
		                   "decide (give --reviewers REPO[:PATH])", file, where, id);
		goto done;
	}
	if (git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB ||
	    git_blob_lookup(&blob, g, git_tree_entry_id(entry)) < 0) {
		rc = emh_error_set(err, EMH_EINVALID, "%s in %s at %.12s is not a regular file", file, where, id);
		goto done;
	}
	if ((size_t)git_blob_rawsize(blob) > 16u * 1024u * 1024u) {
		rc = emh_error_set(err, EMH_ELIMIT, "%s in %s is larger than 16 MiB", file, where);
		goto done;
	}
	char label[4200];
	snprintf(label, sizeof label, "%s:%s@%.12s", where, file, id);
	rc = emh_reviewers_parse(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), label, err);
	if (rc == 0) {
		memcpy((*out)->commit, id, sizeof id);
		free((*out)->path);
		if (!((*out)->path = strdup(file))) {
			emh_reviewers_free(*out);
			*out = NULL;
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		}
	}
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	git_repository_free(g);
	git_libgit2_shutdown();
	return rc;
}

const char *emh_reviewers_commit(const emh_reviewers *rs) { return rs->commit; }
const char *emh_reviewers_path(const emh_reviewers *rs) { return rs->path; }

void emh_reviewers_free(emh_reviewers *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->npeople; i++)
		emh_key_free(rs->people[i].key);
	free(rs->people);
	emh_arena_free(rs->arena);
	free(rs->label);
	free(rs->path);
	free(rs);
}

/* ---- deciding who may decide ----------------------------------------------------------- */

static int selects(const char *sel, const char *id, const char *domain)
{
	size_t n = strlen(sel);
	if (strcmp(sel, "*") == 0)
		return 1;
	if (strncmp(sel, "domain:", 7) == 0)
		return domain && strcmp(sel + 7, domain) == 0;
	if (n > 1 && sel[n - 1] == '*')
		return strncmp(sel, id, n - 1) == 0;
	return strcmp(sel, id) == 0;
}

static int review_canonical(emh_buf *out, const emh_review *v)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return EMH_EGENERIC;
	cJSON_AddItemToObject(o, "criterion", cJSON_CreateString(v->criterion));
	cJSON_AddItemToObject(o, "date", cJSON_CreateString(v->date));
	cJSON_AddItemToObject(o, "decision", cJSON_CreateString(v->decision));
	cJSON_AddItemToObject(o, "rationale", cJSON_CreateString(v->rationale));
	cJSON_AddItemToObject(o, "reviewer", cJSON_CreateString(v->reviewer));
	cJSON_AddItemToObject(o, "role", cJSON_CreateString(v->role));
	cJSON_AddItemToObject(o, "version", cJSON_CreateNumber(v->version));
	int rc = emh_canonical_print(out, o, 0);
	cJSON_Delete(o);
	return rc ? rc : emh_buf_ok(out) ? 0 : EMH_EGENERIC;
}

int emh_review_sign(emh_buf *sig64, const emh_review *v, const emh_key *key, emh_error *err)
{
	emh_buf msg = EMH_BUF_INIT;
	int rc = review_canonical(&msg, v);
	if (rc)
		rc = emh_error_set(err, rc, "the decision on %s has no canonical form", v->criterion);
	else
		rc = emh_audit__sign_bytes(sig64, key, msg.ptr, msg.len, err);
	emh_buf_dispose(&msg);
	return rc;
}

int emh_reviewers_check(const emh_reviewers *rs, const emh_review *v, const char *domain, emh_error *err)
{
	if (!v->key_id || !v->signature)
		return emh_error_set(err, EMH_EINVALID, "the decision on %s by %s (role %s) is not signed: only a decision "
		                     "signed by a reviewer's key counts (emheval sign-decisions)", v->criterion,
		                     v->reviewer, v->role);
	const emh_reviewer *p = NULL;
	for (size_t i = 0; i < rs->npeople && !p; i++)
		if (strcmp(emh_key_id(rs->people[i].key), v->key_id) == 0)
			p = &rs->people[i];
	if (!p)
		return emh_error_set(err, EMH_EINVALID, "the decision on %s (role %s) is signed by key %s, which is no "
		                     "reviewer's key in %s", v->criterion, v->role, v->key_id, rs->label);
	if (strcmp(p->name, v->reviewer) || strcmp(p->role->name, v->role))
		return emh_error_set(err, EMH_EINVALID, "the decision on %s names %s as %s, but key %s is %s's as %s in %s",
		                     v->criterion, v->reviewer, v->role, v->key_id, p->name, p->role->name, rs->label);
	int may = 0;
	for (size_t i = 0; i < p->role->ndecides && !may; i++)
		may = selects(p->role->decides[i], v->criterion, domain);
	if (!may)
		return emh_error_set(err, EMH_EINVALID, "role %s may not decide %s (domain %s); the decision is signed by "
		                     "key %s (%s) and %s lists what each role decides", v->role, v->criterion,
		                     domain ? domain : "?", v->key_id, p->name, rs->label);
	emh_buf msg = EMH_BUF_INIT;
	int rc = review_canonical(&msg, v);
	int ok = rc == 0 && emh_audit__verify_bytes(p->key, v->signature, msg.ptr, msg.len);
	emh_buf_dispose(&msg);
	if (rc)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (!ok)
		return emh_error_set(err, EMH_EINVALID, "the signature on the decision on %s (role %s) by key %s does not "
		                     "hold: the decision was changed after it was signed, or signed by another key",
		                     v->criterion, v->role, v->key_id);
	return 0;
}

/* ---- the signing step ------------------------------------------------------------------------ */

int emh_reviews_sign(emh_buf *out, const char *label, const emh_key *key, const char *reviewer,
                     size_t *nsigned, emh_error *err)
{
	*nsigned = 0;
	char *json = NULL;
	size_t len = 0;
	emh_reviews *rv = NULL;
	emh_waivers *wv = NULL;
	emh_json *doc = NULL;
	cJSON *tree = NULL;
	emh_buf sig = EMH_BUF_INIT;
	int rc = emh_audit__read_file(&json, &len, label, EMH_AUDIT_MAX_FILE, err);
	if (rc == 0)
		rc = emh_json_parse(&doc, json, len, label, NULL, err);
	if (rc)
		goto done;
	/* A reviews file or a waivers file, read strictly first: only well-formed records are signed. */
	int waivers = cJSON_GetObjectItemCaseSensitive(emh_json_root(doc), "waivers") != NULL;
	rc = waivers ? emh_waivers_parse(&wv, json, len, label, err) : emh_reviews_parse(&rv, json, len, label, err);
	if (rc)
		goto done;
	if (!emh_key_is_private(key)) {
		rc = emh_error_set(err, EMH_EINVALID, "signing needs the reviewer's private key (.key), not a public one");
		goto done;
	}
	tree = cJSON_Duplicate(emh_json_root(doc), 1);
	if (!tree) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	size_t n = 0, nw = 0;
	const emh_review *items = rv ? emh_reviews_items(rv, &n) : NULL;
	const emh_waiver *ws = wv ? emh_waivers_items(wv, &nw) : NULL; /* sorted by id */
	cJSON *e = cJSON_GetObjectItemCaseSensitive(tree, waivers ? "waivers" : "reviews")->child;
	for (size_t i = 0; e && rc == 0; i++, e = e->next) {
		const emh_review *v = NULL;
		const emh_waiver *w = NULL;
		if (waivers) {
			const char *id = cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring;
			for (size_t k = 0; k < nw && !w; k++)
				if (strcmp(ws[k].id, id) == 0)
					w = &ws[k];
		} else {
			v = i < n ? &items[i] : NULL;
		}
		if ((!v && !w) || (reviewer && strcmp(v ? v->reviewer : w->approver, reviewer) != 0))
			continue;
		emh_buf_clear(&sig);
		if ((rc = v ? emh_review_sign(&sig, v, key, err) : emh_waiver_sign(&sig, w, key, err)) != 0)
			break;
		cJSON *s = cJSON_CreateObject();
		if (!s || !cJSON_AddStringToObject(s, "keyid", emh_key_id(key)) ||
		    !cJSON_AddStringToObject(s, "sig", emh_buf_cstr(&sig))) {
			cJSON_Delete(s);
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
			break;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(e, "signature");
		cJSON_AddItemToObject(e, "signature", s);
		++*nsigned;
	}
	if (rc == 0 && reviewer && *nsigned == 0)
		rc = emh_error_set(err, EMH_EINVALID, "%s holds nothing by \"%s\" to sign", label, reviewer);
	if (rc == 0 && (rc = emh_canonical_print(out, tree, 1)) != 0)
		emh_error_set(err, rc, "the file has no canonical form");
done:
	free(json);
	emh_buf_dispose(&sig);
	cJSON_Delete(tree);
	emh_json_free(doc);
	emh_reviews_free(rv);
	emh_waivers_free(wv);
	return rc;
}

/* ---- waivers: who may approve an exception ---------------------------------------------------- */

static int waiver_canonical(emh_buf *out, const emh_waiver *w)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *scope = o ? cJSON_AddObjectToObject(o, "scope") : NULL;
	if (!scope) {
		cJSON_Delete(o);
		return EMH_EGENERIC;
	}
	cJSON_AddItemToObject(o, "approver", cJSON_CreateString(w->approver));
	cJSON_AddItemToObject(o, "criterion", cJSON_CreateString(w->criterion));
	cJSON_AddItemToObject(o, "expires", cJSON_CreateString(w->expires));
	cJSON_AddItemToObject(o, "id", cJSON_CreateString(w->id));
	cJSON_AddItemToObject(o, "justification", cJSON_CreateString(w->justification));
	cJSON_AddItemToObject(scope, "app_id", cJSON_CreateString(w->app_id));
	if (w->app_version)
		cJSON_AddItemToObject(scope, "app_version", cJSON_CreateString(w->app_version));
	int rc = emh_canonical_print(out, o, 0);
	cJSON_Delete(o);
	return rc ? rc : emh_buf_ok(out) ? 0 : EMH_EGENERIC;
}

int emh_waiver_sign(emh_buf *sig64, const emh_waiver *w, const emh_key *key, emh_error *err)
{
	emh_buf msg = EMH_BUF_INIT;
	int rc = waiver_canonical(&msg, w);
	if (rc)
		rc = emh_error_set(err, rc, "waiver %s has no canonical form", w->id);
	else
		rc = emh_audit__sign_bytes(sig64, key, msg.ptr, msg.len, err);
	emh_buf_dispose(&msg);
	return rc;
}

int emh_reviewers_check_waiver(const emh_reviewers *rs, const emh_waiver *w, const char *severity,
                               emh_error *err)
{
	if (!w->key_id || !w->signature)
		return emh_error_set(err, EMH_EINVALID, "waiver %s of %s, approved by %s, is not signed: only a waiver "
		                     "signed by an allowed reviewer's key counts (emheval sign-decisions)", w->id,
		                     w->criterion, w->approver);
	const emh_reviewer *p = NULL;
	for (size_t i = 0; i < rs->npeople && !p; i++)
		if (strcmp(emh_key_id(rs->people[i].key), w->key_id) == 0)
			p = &rs->people[i];
	if (!p)
		return emh_error_set(err, EMH_EINVALID, "waiver %s of %s is signed by key %s, which is no reviewer's key "
		                     "in %s", w->id, w->criterion, w->key_id, rs->label);
	if (strcmp(p->name, w->approver))
		return emh_error_set(err, EMH_EINVALID, "waiver %s of %s names %s as approver, but key %s is %s's (role %s) "
		                     "in %s", w->id, w->criterion, w->approver, w->key_id, p->name, p->role->name, rs->label);
	int may = 0;
	for (size_t i = 0; severity && i < p->role->nwaives && !may; i++)
		may = strcmp(p->role->waives[i], severity) == 0;
	if (!may)
		return emh_error_set(err, EMH_EINVALID, "role %s may not waive %s (a %s criterion); waiver %s is signed by "
		                     "key %s (%s) and %s lists what each role waives", p->role->name, w->criterion,
		                     severity ? severity : "unknown", w->id, w->key_id, p->name, rs->label);
	emh_buf msg = EMH_BUF_INIT;
	int rc = waiver_canonical(&msg, w);
	int ok = rc == 0 && emh_audit__verify_bytes(p->key, w->signature, msg.ptr, msg.len);
	emh_buf_dispose(&msg);
	if (rc)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (!ok)
		return emh_error_set(err, EMH_EINVALID, "the signature on waiver %s of %s (role %s) by key %s does not "
		                     "hold: the waiver was changed after it was signed", w->id, w->criterion,
		                     p->role->name, w->key_id);
	return 0;
}
