/*
 * ledger_store.c - the submission kept beside its dossier in a ledger, so
 * that it can be evaluated again later (`due`) without the vendor sending it
 * again. Opt-in per filing (`ledger add --submission DIR`).
 *
 * Every file is stored once, by the SHA-256 of its bytes, at
 * objects/sha256/AB/CDEF... (the name comes from the hash, never from the
 * submission, so no file name can climb out); the manifest
 * dossiers/APP/VERSION/submission.manifest.json says which evidence path
 * has which hash and which were withheld (confidential documents kept out:
 * the dossier's hashes still verify a copy shown later). Files are read
 * through the submission loader, which refuses absolute paths, `..` and
 * symlinks leaving the folder, and each must hash to what the dossier
 * records, so only the evaluated bytes are stored.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/io.h"
#include "evaluator/internal.h"
#include "evaluator/audit/ledger_internal.h"
#include "evaluator/submission_internal.h"
#include "evaluator/dossier/canonical.h"

#define MANIFEST_FORMAT "emheval/stored-submission/1"

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

static void object_path(char out[96], const char *sha)
{
	snprintf(out, 96, LEDGER_OBJECTS "%.2s/%s", sha, sha + 2);
}

static int is_hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 64;
}

int emh_store__is_object_path(const char *p)
{
	size_t k = strlen(LEDGER_OBJECTS);
	if (strncmp(p, LEDGER_OBJECTS, k) != 0 || strlen(p) != k + 2 + 1 + 62 || p[k + 2] != '/')
		return 0;
	char hex[65];
	memcpy(hex, p + k, 2);
	memcpy(hex + 2, p + k + 3, 62);
	hex[64] = '\0';
	return is_hex64(hex);
}

/* "ab/cdef..." of an object path, as 64 hex digits. */
static void object_sha(char out[65], const char *p)
{
	size_t k = strlen(LEDGER_OBJECTS);
	memcpy(out, p + k, 2);
	memcpy(out + 2, p + k + 3, 62);
	out[64] = '\0';
}

static void add_problem(emh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_problem(emh_buf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->len)
		emh_buf_puts(b, "; ");
	va_start(ap, fmt);
	emh_buf_vappendf(b, fmt, ap);
	va_end(ap);
}

/* Frees what a const pointer of an emh_submission_file owns. */
static void free_owned(const void *p)
{
	void *q;
	memcpy(&q, &p, sizeof q);
	free(q);
}

void emh_store__check_object(git_repository *repo, const char *path, const git_oid *id, emh_buf *problems)
{
	git_blob *blob = NULL;
	char want[65], got[65] = "";
	object_sha(want, path);
	if (git_blob_lookup(&blob, repo, id) < 0 ||
	    emh_sha256_hex(got, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)))
		add_problem(problems, "cannot read the stored object %s%s%s", path, "", "");
	else if (strcmp(want, got) != 0)
		add_problem(problems, "the stored object %s was tampered with: expected sha256 %s, it holds %s", path,
		            want, got);
	git_blob_free(blob);
}

/* 1 when token is one of the comma-separated items of list. */
static int listed(const char *list, const char *token)
{
	if (!list || !token || !*token)
		return 0;
	size_t n = strlen(token);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, token, n) == 0)
			return 1;
		p = end ? end + 1 : p + len;
	}
	return 0;
}

static int add_object(emh_store__set *s, git_repository *repo, const char *sha, const void *data, size_t len,
                      emh_error *err)
{
	char path[96];
	object_path(path, sha);
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->objects[i].path, path) == 0)
			return 0; /* the same bytes twice are stored once */
	emh_store__object *p = realloc(s->objects, (s->n + 1) * sizeof *p);
	if (!p)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	s->objects = p;
	memcpy(p[s->n].path, path, sizeof path);
	if (git_blob_create_from_buffer(&p[s->n].id, repo, data, len) < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot write to the ledger: %s", git_msg());
	s->n++;
	return 0;
}

int emh_store__prepare(emh_store__set *s, git_repository *repo, const emh_dossier *d,
                       const emh_ledger_store *o, emh_error *err)
{
	memset(s, 0, sizeof *s);
	emh_submission *sub = NULL;
	char *json = NULL, sha[65];
	size_t len = 0;
	cJSON *man = NULL, *files = NULL;
	emh_buf text = EMH_BUF_INIT;
	int rc = emh_submission_load(&sub, o->submission, NULL, err);
	if (rc)
		goto done;
	if (!d->submission_sha256 || strcmp(sub->sha256, d->submission_sha256) != 0) {
		rc = emh_error_set(err, EMH_EINVALID, "%s is not the submission the dossier was made from: its "
		                   "submission.json has sha256 %s, the dossier records %s", o->submission, sub->sha256,
		                   d->submission_sha256 ? d->submission_sha256 : "none");
		goto done;
	}
	/* The bytes stored are read once more and must be the ones hashed. */
	if ((rc = emh_io_read_file(&json, &len, sub->json_label, EMH_DEFAULT_MAX_SUBMISSION_BYTES, err)) != 0)
		goto done;
	if (emh_sha256_hex(sha, json, len) || strcmp(sha, d->submission_sha256) != 0) {
		rc = emh_error_set(err, EMH_EINVALID, "%s changed while it was read: file it again", sub->json_label);
		goto done;
	}
	if ((rc = add_object(s, repo, sha, json, len, err)) != 0)
		goto done;
	man = cJSON_CreateObject();
	if (!man || !cJSON_AddStringToObject(man, "format", MANIFEST_FORMAT) ||
	    !cJSON_AddStringToObject(man, "submission_sha256", sha) || !(files = cJSON_AddArrayToObject(man, "files"))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *ev = &d->evidence[i];
		if (!ev->sha256 || !*ev->sha256 || !ev->path || !*ev->path)
			continue; /* nothing was read: missing, refused, declared not supplied */
		const emh_evidence_entry *e = NULL;
		for (size_t k = 0; k < sub->nevidence && !e; k++)
			if (strcmp(sub->evidence[k].path, ev->path) == 0 && sub->evidence[k].text &&
			    strcmp(sub->evidence[k].sha256, ev->sha256) == 0)
				e = &sub->evidence[k];
		if (!e) {
			rc = emh_error_set(err, EMH_EINVALID, "%s in %s no longer has the sha256 the dossier records (%s): "
			                   "store only the submission the dossier was made from", ev->path, o->submission,
			                   ev->sha256);
			goto done;
		}
		int withheld = listed(o->withhold, ev->path) || listed(o->withhold, ev->kind);
		cJSON *f = cJSON_CreateObject();
		if (!f || !cJSON_AddItemToArray(files, f) || !cJSON_AddStringToObject(f, "path", ev->path) ||
		    !cJSON_AddStringToObject(f, "sha256", ev->sha256) ||
		    !cJSON_AddStringToObject(f, "stored", withheld ? "withheld" : "stored")) {
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
			goto done;
		}
		if (!withheld && (rc = add_object(s, repo, ev->sha256, e->text, e->len, err)) != 0)
			goto done;
	}
	/* The same canonical JSON as a dossier: sorted keys, two-space indentation, a final newline. */
	if (emh_canonical_print(&text, man, 1) || !emh_buf_ok(&text) ||
	    emh_sha256_hex(s->manifest_sha, text.ptr, text.len) ||
	    git_blob_create_from_buffer(&s->manifest, repo, text.ptr, text.len) < 0)
		rc = emh_error_set(err, EMH_EGENERIC, "cannot write the manifest to the ledger: %s", git_msg());
done:
	emh_buf_dispose(&text);
	cJSON_Delete(man);
	free(json);
	emh_submission_free(sub);
	if (rc)
		emh_store__dispose(s);
	return rc;
}

void emh_store__dispose(emh_store__set *s)
{
	free(s->objects);
	memset(s, 0, sizeof *s);
}

void emh_store__manifest_submission(char out[65], const git_blob *manifest)
{
	out[0] = '\0';
	cJSON *j = cJSON_ParseWithLength(git_blob_rawcontent(manifest), (size_t)git_blob_rawsize(manifest));
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "submission_sha256");
	if (cJSON_IsString(s) && is_hex64(s->valuestring))
		memcpy(out, s->valuestring, 65);
	cJSON_Delete(j);
}

/* Reads the object for sha from tree: 0 and the blob (its bytes hash to sha), 1 absent, -1 tampered (got set). */
static int read_object(git_blob **out, git_repository *repo, git_tree *tree, const char *sha, char got[65])
{
	char path[96];
	git_tree_entry *e = NULL;
	*out = NULL;
	got[0] = '\0';
	object_path(path, sha);
	if (git_tree_entry_bypath(&e, tree, path) < 0)
		return 1;
	int rc = git_tree_entry_type(e) == GIT_OBJECT_BLOB ? git_blob_lookup(out, repo, git_tree_entry_id(e)) : -1;
	git_tree_entry_free(e);
	if (rc < 0)
		return 1;
	if (emh_sha256_hex(got, git_blob_rawcontent(*out), (size_t)git_blob_rawsize(*out)) || strcmp(got, sha) != 0)
		return -1;
	return 0;
}

/* The manifest at path, parsed: its files array (borrowed from *root) or NULL with why set. */
static const cJSON *parse_manifest(cJSON **root, git_repository *repo, git_tree *tree, const char *path,
                                   const char **sub_sha, const char **why)
{
	git_blob *blob = NULL;
	git_tree_entry *e = NULL;
	*root = NULL;
	*why = "cannot be read";
	if (git_tree_entry_bypath(&e, tree, path) < 0)
		return NULL;
	if (git_tree_entry_type(e) == GIT_OBJECT_BLOB && git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0)
		*root = cJSON_ParseWithLength(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_tree_entry_free(e);
	git_blob_free(blob);
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(*root, "format");
	const cJSON *ss = cJSON_GetObjectItemCaseSensitive(*root, "submission_sha256");
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(*root, "files");
	*why = "is not a stored-submission manifest (" MANIFEST_FORMAT " with submission_sha256 and files)";
	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, MANIFEST_FORMAT) != 0 || !cJSON_IsString(ss) ||
	    !is_hex64(ss->valuestring) || !cJSON_IsArray(files))
		return NULL;
	const cJSON *f;
	cJSON_ArrayForEach(f, files) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(f, "path");
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(f, "sha256");
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(f, "stored");
		if (!cJSON_IsString(p) || !*p->valuestring || !cJSON_IsString(h) || !is_hex64(h->valuestring) ||
		    !cJSON_IsString(st) || (strcmp(st->valuestring, "stored") && strcmp(st->valuestring, "withheld"))) {
			*why = "lists a file without a path, a sha256 or \"stored\": \"stored\" or \"withheld\"";
			return NULL;
		}
	}
	*sub_sha = ss->valuestring;
	return files;
}

void emh_store__check(git_repository *repo, git_tree *tree, const char *path, const emh_dossier *d,
                      emh_buf *problems, emh_buf *note)
{
	cJSON *root = NULL;
	const char *sub_sha = NULL, *why = NULL;
	const cJSON *files = parse_manifest(&root, repo, tree, path, &sub_sha, &why);
	if (!files) {
		add_problem(problems, "%s %s%s", path, why, "");
		cJSON_Delete(root);
		return;
	}
	char got[65];
	git_blob *blob = NULL;
	if (!d->submission_sha256 || strcmp(sub_sha, d->submission_sha256) != 0)
		add_problem(problems, "%s stores the submission %s, but the dossier records %s", path, sub_sha,
		            d->submission_sha256 ? d->submission_sha256 : "none");
	int r = read_object(&blob, repo, tree, sub_sha, got);
	git_blob_free(blob);
	if (r == 1)
		add_problem(problems, "the stored submission.json is missing: expected sha256 %s at %s%s", sub_sha,
		            LEDGER_OBJECTS "..", "");
	else if (r < 0)
		add_problem(problems, "the stored submission.json was tampered with: expected sha256 %s, the ledger "
		            "holds %s%s", sub_sha, got, "");
	size_t stored = 0;
	emh_buf withheld = EMH_BUF_INIT;
	const cJSON *f;
	cJSON_ArrayForEach(f, files) {
		const char *p = cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring;
		const char *h = cJSON_GetObjectItemCaseSensitive(f, "sha256")->valuestring;
		int keep = strcmp(cJSON_GetObjectItemCaseSensitive(f, "stored")->valuestring, "stored") == 0;
		int known = 0;
		for (size_t i = 0; i < d->nevidence && !known; i++)
			known = d->evidence[i].path && d->evidence[i].sha256 && strcmp(d->evidence[i].path, p) == 0 &&
			        strcmp(d->evidence[i].sha256, h) == 0;
		if (!known)
			add_problem(problems, "%s lists %s with sha256 %s, which the dossier does not record", path, p, h);
		if (!keep) {
			emh_buf_appendf(&withheld, "%s%s", withheld.len ? ", " : "", p);
			continue;
		}
		r = read_object(&blob, repo, tree, h, got);
		git_blob_free(blob);
		if (r == 1)
			add_problem(problems, "the stored file %s is missing from the ledger (sha256 %s)%s", p, h, "");
		else if (r < 0)
			add_problem(problems, "the stored file %s was tampered with: expected sha256 %s, the ledger holds %s",
			            p, h, got);
		else
			stored++;
	}
	emh_buf_appendf(note, "submission stored: %zu file%s", stored, stored == 1 ? "" : "s");
	if (withheld.len)
		emh_buf_appendf(note, ", withheld: %s", emh_buf_cstr(&withheld));
	emh_buf_dispose(&withheld);
	cJSON_Delete(root);
}

/* ---- reading back ------------------------------------------------------------------------ */

void emh_stored_submission_free(emh_stored_submission *s)
{
	if (!s)
		return;
	free(s->json);
	free(s->submission_sha256);
	for (size_t i = 0; i < s->nfiles; i++) {
		free_owned(s->files[i].path);
		free_owned(s->files[i].data);
	}
	free(s->files);
	for (size_t i = 0; i < s->nwithheld; i++)
		free(s->withheld[i]);
	free(s->withheld);
	free(s);
}

static char *copy_blob(const git_blob *b)
{
	size_t n = (size_t)git_blob_rawsize(b);
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, git_blob_rawcontent(b), n);
		p[n] = '\0';
	}
	return p;
}

int emh_ledger_read_submission(emh_stored_submission **out, const char *ledger, const char *commit,
                               const char *dossier_path, emh_error *err)
{
	*out = NULL;
	emh_ledger *l = NULL;
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid id;
	cJSON *root = NULL;
	emh_stored_submission *s = NULL;
	char path[1200], got[65];
	const char *slash = strrchr(dossier_path, '/');
	snprintf(path, sizeof path, "%.*s/" LEDGER_MANIFEST, slash ? (int)(slash - dossier_path) : 0, dossier_path);
	int rc = emh_ledger_open(&l, ledger, 0, err);
	if (rc)
		return rc;
	if (git_repository_open_ext(&repo, ledger, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    (commit ? git_oid_fromstr(&id, commit) : git_reference_name_to_id(&id, repo, "HEAD")) < 0 ||
	    git_commit_lookup(&c, repo, &id) < 0 || git_commit_tree(&tree, c) < 0) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot read commit %s of the ledger %s: %s", commit ? commit : "HEAD",
		                   ledger, git_msg());
		goto done;
	}
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, tree, path) < 0) {
		rc = emh_error_set(err, EMH_ENOTFOUND, "the ledger stores no submission for %s", dossier_path);
		goto done;
	}
	git_tree_entry_free(e);
	const char *sub_sha = NULL, *why = NULL;
	const cJSON *files = parse_manifest(&root, repo, tree, path, &sub_sha, &why);
	if (!files) {
		rc = emh_error_set(err, EMH_EINVALID, "%s in the ledger %s %s", path, ledger, why);
		goto done;
	}
	s = calloc(1, sizeof *s);
	if (s && !(s->submission_sha256 = strdup(sub_sha))) {
		free(s);
		s = NULL;
	}
	size_t n = (size_t)cJSON_GetArraySize(files);
	if (!s || !(s->files = calloc(n + 1, sizeof *s->files)) || !(s->withheld = calloc(n + 1, sizeof *s->withheld))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	git_blob *blob = NULL;
	int r = read_object(&blob, repo, tree, sub_sha, got);
	if (r == 0 && !(s->json = copy_blob(blob)))
		r = 2;
	if (r == 0)
		s->json_len = (size_t)git_blob_rawsize(blob);
	git_blob_free(blob);
	if (r) {
		rc = emh_error_set(err, EMH_EINVALID, "the stored submission.json (sha256 %s) in %s is %s", sub_sha, ledger,
		                   r == 1 ? "missing" : "not what its hash says");
		goto done;
	}
	const cJSON *f;
	cJSON_ArrayForEach(f, files) {
		const char *p = cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring;
		const char *h = cJSON_GetObjectItemCaseSensitive(f, "sha256")->valuestring;
		if (strcmp(cJSON_GetObjectItemCaseSensitive(f, "stored")->valuestring, "stored") != 0) {
			if (!(s->withheld[s->nwithheld++] = strdup(p))) {
				rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
				goto done;
			}
			continue;
		}
		r = read_object(&blob, repo, tree, h, got);
		emh_submission_file *sf = &s->files[s->nfiles];
		if (r == 0) {
			sf->path = strdup(p);
			sf->data = copy_blob(blob);
			sf->len = (size_t)git_blob_rawsize(blob);
			s->nfiles++;
			if (!sf->path || !sf->data)
				r = 2;
		}
		git_blob_free(blob);
		if (r) {
			rc = emh_error_set(err, EMH_EINVALID, "the stored file %s (sha256 %s) in %s is %s", p, h, ledger,
			                   r == 1 ? "missing" : r == 2 ? "too large for memory" : "not what its hash says");
			goto done;
		}
	}
done:
	cJSON_Delete(root);
	git_tree_free(tree);
	git_commit_free(c);
	git_repository_free(repo);
	emh_ledger_free(l);
	if (rc) {
		emh_stored_submission_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
