/*
 * ledger.c - a git repository as an append-only, hash-chained record of
 * every dossier filed, written and read through libgit2.
 *
 * Layout: dossiers/APP/VERSION/dossier.json and, when signed,
 * dossier.dsse.json beside it, with APP and VERSION percent-encoded so that
 * any app id names exactly one safe folder. Each filing is one commit on the
 * branch HEAD names, made without a work tree, whose message ends in
 * trailers:
 *
 *   Dossier: dossiers/calm/1.0.0/dossier.json
 *   Digest: sha256:...                 the dossier's own digest
 *   Criteria: <commit>
 *   Ledger-Parent: <commit>|none       the ledger commit this one follows
 *   Ledger-Chain: sha256:<hex>         SHA-256 over the previous chain value,
 *                                      the path, the digest and the envelope
 *   Ledger-Sequence: N                 the commit's place, from 1
 *   Ledger-Signature: KEYID SIG        with a key: Ed25519 over the sequence,
 *                                      previous and own chain values, digest
 *
 * The branch moves by compare-and-swap (git_reference_create_matching): a
 * writer that finds it moved since it read it builds its commit again on
 * the new head, so two writers at once never lose a commit. `ledger verify`
 * walks the history from the first commit, checking that it is linear, that
 * every commit changes exactly one dossier, that Ledger-Parent names the
 * real parent (a rebased or amended history keeps old messages and fails
 * here), that the chain continues, and every dossier's digest and
 * signature.
 */
#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "emheval/io.h"
#include "emheval/report.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "evaluator/encode.h"
#include "evaluator/json.h"
#include "evaluator/audit/ledger_internal.h"
#include "evaluator/dossier/record.h"

#define LEDGER_DOSSIER "dossier.json"
#define LEDGER_ENVELOPE "dossier.dsse.json"
#define LEDGER_TRIES 2000          /* compare-and-swap attempts before giving up */
#define LEDGER_MAX_WAIT_MS 30000   /* and the time they may take */

struct emh_ledger {
	git_repository *repo;
	char *path;
	const emh_key *signer; /* signs each link of the chain, or NULL */
};

static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

/* ---- paths ----------------------------------------------------------------------- */

int emh_ledger_path(char *dst, size_t size, const char *app_id, const char *app_version, emh_error *err)
{
	if (!app_id || !*app_id || !app_version || !*app_version)
		return emh_error_set(err, EMH_EINVALID, "the dossier names no app id and version "
		                     "(app.id, app.version): it cannot be filed in a ledger");
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, "dossiers/");
	emh_audit__pct_encode(&b, app_id);
	emh_buf_putc(&b, '/');
	emh_audit__pct_encode(&b, app_version);
	int rc = 0;
	if (!emh_buf_ok(&b) || b.len >= size)
		rc = emh_error_set(err, EMH_ELIMIT, "the app id and version are too long for a ledger path");
	else
		memcpy(dst, b.ptr, b.len + 1);
	emh_buf_dispose(&b);
	return rc;
}

/* ---- trailers and the chain -------------------------------------------------------- */

/* The value of the last "Key: value" line of msg, copied into dst; "" when absent. */
static void trailer(char *dst, size_t size, const char *msg, const char *key)
{
	size_t klen = strlen(key);
	dst[0] = '\0';
	for (const char *line = msg; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (n > klen + 1 && strncmp(line, key, klen) == 0 && line[klen] == ':' && line[klen + 1] == ' ')
			snprintf(dst, size, "%.*s", (int)(n - klen - 2), line + klen + 2);
		line = end ? end + 1 : NULL;
	}
}

/* With a stored submission beside the dossier, the chain covers its manifest too (one more line). */
static int chain_next(char out[72], const char *prev, const char *path, const char *digest,
                      const char *env_sha, const char *manifest_sha)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_appendf(&b, "%s\n%s\n%s\n%s\n", prev, path, digest, env_sha && *env_sha ? env_sha : "-");
	if (manifest_sha && *manifest_sha)
		emh_buf_appendf(&b, "%s\n", manifest_sha);
	char hex[65];
	int rc = emh_buf_ok(&b) ? emh_sha256_hex(hex, b.ptr, b.len) : -1;
	emh_buf_dispose(&b);
	if (rc == 0)
		snprintf(out, 72, "sha256:%s", hex);
	return rc;
}

/*
 * The text a filing's Ledger-Signature signs: its place in the ledger
 * (sequence number, the chain value it follows) and what it files (its own
 * chain value, which covers the path, digest and envelope, and the digest
 * again for a reader). Removing, reordering or inserting a commit changes
 * the sequence or the previous chain value of a later one, which only the
 * key's holder can sign again.
 */
static int link_text(emh_buf *b, unsigned long seq, const char *prev_chain, const char *chain, const char *digest)
{
	emh_buf_appendf(b, "emheval ledger link v1\nsequence %lu\nprevious %s\nchain %s\ndigest %s\n", seq,
	                prev_chain[0] ? prev_chain : "none", chain, digest);
	return emh_buf_ok(b) ? 0 : -1;
}

/* ---- opening ------------------------------------------------------------------------- */

static mode_t current_umask(void)
{
	mode_t m = umask(022); /* there is no way to read it without setting it */
	umask(m);
	return m;
}

/* Removes a folder we made (a failed or lost creation), without following symlinks. */
static void rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(path);
		struct dirent *e;
		while (dir && (e = readdir(dir)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *child = malloc(n);
			if (child) {
				snprintf(child, n, "%s/%s", path, e->d_name);
				rm_tree(child);
				free(child);
			}
		}
		if (dir)
			closedir(dir);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/*
 * Creates a bare repository at path atomically: it is made in a temporary
 * folder beside path and renamed into place, so a ledger is either absent
 * or whole. When another writer creates it first, the rename fails and
 * theirs is used. Parent folders are created as needed.
 */
static int create_ledger(const char *path, emh_error *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16), *parent = strdup(path);
	git_repository *repo = NULL;
	int rc = 0;
	if (!tmp || !parent) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	while (n > 1 && parent[n - 1] == '/')
		parent[--n] = '\0';
	for (char *p = parent + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(parent, 0777) != 0 && errno != EEXIST) {
			rc = emh_error_set(err, EMH_EIO, "cannot create %s: %s", parent, strerror(errno));
			goto done;
		}
		*p = '/';
	}
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", parent);
	if (!mkdtemp(tmp)) {
		rc = emh_error_set(err, EMH_EIO, "cannot create a folder beside %s: %s", path, strerror(errno));
		goto done;
	}
	git_repository_init_options io;
	git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_BARE;
	io.initial_head = "main";
	io.description = "emheval ledger: one commit per filed dossier";
	if (git_repository_init_ext(&repo, tmp, &io) < 0) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot create the ledger %s: %s", path, git_message());
	} else {
		git_repository_free(repo);
		/* mkdtemp made it 0700; a ledger is shared like any repository. */
		if (chmod(tmp, 0777 & ~current_umask()) != 0)
			rc = emh_error_set(err, EMH_EIO, "cannot create the ledger %s: %s", path, strerror(errno));
		else if (rename(tmp, parent) == 0)
			goto done;
		else if (errno != EEXIST && errno != ENOTEMPTY) /* else another writer made it first: use theirs */
			rc = emh_error_set(err, EMH_EIO, "cannot create the ledger %s: %s", path, strerror(errno));
	}
	rm_tree(tmp);
done:
	free(tmp);
	free(parent);
	return rc;
}

int emh_ledger_open(emh_ledger **out, const char *path, int create, emh_error *err)
{
	*out = NULL;
	if (git_libgit2_init() < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot initialise libgit2: %s", git_message());
	emh_ledger *l = calloc(1, sizeof *l);
	int rc = 0;
	if (!l || !(l->path = strdup(path))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	/* No upward search: a ledger folder inside some work tree must not file into that repository. */
	int grc = git_repository_open_ext(&l->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (grc == GIT_ENOTFOUND && create) {
		rc = create_ledger(path, err);
		if (rc)
			goto done;
		grc = git_repository_open_ext(&l->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	}
	if (grc == GIT_ENOTFOUND && create) {
		rc = emh_error_set(err, EMH_EINVALID, "%s exists and is not a git repository: give a new or "
		                   "empty folder, or an existing ledger", path);
	} else if (grc == GIT_ENOTFOUND) {
		rc = emh_error_set(err, EMH_ENOTFOUND, "no ledger (git repository) at %s", path);
	} else if (grc < 0) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot open the ledger %s: %s", path, git_message());
	}
done:
	if (rc) {
		if (l)
			emh_ledger_free(l); /* shuts libgit2 down once */
		else
			git_libgit2_shutdown();
		return rc;
	}
	*out = l;
	return 0;
}

int emh_ledger_set_signer(emh_ledger *l, const emh_key *key, emh_error *err)
{
	if (key && !emh_key_is_private(key))
		return emh_error_set(err, EMH_EINVALID, "signing the ledger needs a private key, not a public one");
	l->signer = key;
	return 0;
}

void emh_ledger_free(emh_ledger *l)
{
	if (!l)
		return;
	git_repository_free(l->repo);
	free(l->path);
	free(l);
	git_libgit2_shutdown();
}

/* The branch HEAD names ("refs/heads/main"), into dst. */
static int head_branch(emh_ledger *l, char *dst, size_t size, emh_error *err)
{
	git_reference *head = NULL;
	if (git_reference_lookup(&head, l->repo, "HEAD") < 0)
		return emh_error_set(err, EMH_EGENERIC, "the ledger %s has no HEAD: %s", l->path, git_message());
	const char *target = git_reference_type(head) == GIT_REFERENCE_SYMBOLIC ? git_reference_symbolic_target(head) : NULL;
	int rc = 0;
	if (!target || strncmp(target, "refs/heads/", 11) != 0)
		rc = emh_error_set(err, EMH_EINVALID, "the ledger %s has a detached HEAD: it must name a branch", l->path);
	else
		snprintf(dst, size, "%s", target);
	git_reference_free(head);
	return rc;
}

/* The sequence number of the commit at id: its Ledger-Sequence, or (ledgers made before it) its place. */
static unsigned long sequence_of(git_repository *repo, const git_oid *id)
{
	git_oid at = *id;
	unsigned long back = 0;
	for (;;) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo, &at) < 0)
			return back + 1;
		char t[32];
		trailer(t, sizeof t, git_commit_message(c), "Ledger-Sequence");
		char *end = NULL;
		unsigned long seq = t[0] ? strtoul(t, &end, 10) : 0;
		unsigned np = git_commit_parentcount(c);
		if (np)
			git_oid_cpy(&at, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (seq && end && !*end)
			return seq + back;
		back++;
		if (!np)
			return back;
	}
}

/* ---- filing ---------------------------------------------------------------------------- */

static int blob_at(git_blob **out, git_repository *repo, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	*out = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0)
		return GIT_ENOTFOUND;
	int rc = git_tree_entry_type(e) == GIT_OBJECT_BLOB ? git_blob_lookup(out, repo, git_tree_entry_id(e)) : GIT_ENOTFOUND;
	git_tree_entry_free(e);
	return rc;
}

/* The "digest" member of a dossier blob, copied into dst ("" when unreadable). */
static void blob_digest(char *dst, size_t size, const git_blob *blob, int *revision)
{
	dst[0] = '\0';
	*revision = 0;
	cJSON *j = cJSON_ParseWithLength(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	const cJSON *dg = cJSON_GetObjectItemCaseSensitive(j, "digest");
	const cJSON *rv = cJSON_GetObjectItemCaseSensitive(j, "revision");
	if (cJSON_IsString(dg))
		snprintf(dst, size, "%s", dg->valuestring);
	/* In range before the cast: converting 1e30 to an int is undefined behaviour. */
	*revision = !cJSON_IsNumber(rv) ? 1 : rv->valuedouble >= 1 && rv->valuedouble <= INT_MAX
	                                     ? (int)rv->valuedouble : 0;
	cJSON_Delete(j);
}

static int same_blob(git_repository *repo, git_tree *tree, const char *path, const git_oid *id)
{
	git_tree_entry *e = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0)
		return id == NULL;
	int same = id && git_oid_equal(git_tree_entry_id(e), id);
	git_tree_entry_free(e);
	(void)repo;
	return same;
}

static int make_signature(git_signature **out, git_repository *repo)
{
	git_signature *def = NULL;
	const char *name = "emheval", *email = "emheval@localhost";
	if (git_signature_default(&def, repo) == 0) {
		name = def->name;
		email = def->email;
	}
	long long t;
	int rc = emh_source_date_epoch(&t) == 0 ? git_signature_new(out, name, email, (git_time_t)t, 0)
	                                        : git_signature_now(out, name, email);
	git_signature_free(def);
	return rc;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct filing {
	const char *folder, *file, *envfile, *manifest;
	const emh_dossier *d;
	git_oid dossier_blob, env_blob;
	int has_env;
	char env_sha[65];
	const emh_store__set *store; /* the submission to store beside the dossier, or NULL */
} filing;

/* The SHA-256 (hex) of the blob at path in tree, into out ("" when there is none). */
static void blob_sha(char out[65], git_repository *repo, git_tree *tree, const char *path)
{
	git_blob *b = NULL;
	out[0] = '\0';
	if (blob_at(&b, repo, tree, path) == 0 && emh_sha256_hex(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b)))
		out[0] = '\0';
	git_blob_free(b);
}

/*
 * One attempt: reads the branch, builds the commit on it and moves the
 * branch if nobody else did meanwhile. Returns 0 (committed, or nothing to
 * commit when *unchanged), 1 to try again, or an EMH_E* code.
 */
static int file_once(emh_ledger *l, const char *branch, const filing *f, git_oid *out, int *unchanged,
                     emh_error *err)
{
	git_repository *repo = l->repo;
	git_oid parent_id, tree_id, empty_id;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_blob *prev = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	emh_buf msg = EMH_BUF_INIT;
	int rc = 0, has_parent = 0;
	*unchanged = 0;
	int grc = git_reference_name_to_id(&parent_id, repo, branch);
	if (grc == 0) {
		has_parent = 1;
		if (git_commit_lookup(&parent, repo, &parent_id) < 0 || git_commit_tree(&base, parent) < 0) {
			rc = emh_error_set(err, EMH_EGENERIC, "cannot read the ledger's head: %s", git_message());
			goto done;
		}
	} else if (grc == GIT_ENOTFOUND) {
		if (git_treebuilder_new(&tb, repo, NULL) < 0 || git_treebuilder_write(&empty_id, tb) < 0 ||
		    git_tree_lookup(&base, repo, &empty_id) < 0) {
			rc = emh_error_set(err, EMH_EGENERIC, "cannot write to the ledger: %s", git_message());
			goto done;
		}
	} else {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot read %s in the ledger: %s", branch, git_message());
		goto done;
	}
	char prev_chain[80] = "";
	if (has_parent) {
		trailer(prev_chain, sizeof prev_chain, git_commit_message(parent), "Ledger-Chain");
		if (!prev_chain[0]) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof hex, &parent_id);
			rc = emh_error_set(err, EMH_EINVALID, "the ledger %s ends in commit %.12s, which is not a ledger "
			                   "commit (no Ledger-Chain trailer): file only into ledgers emheval made", l->path, hex);
			goto done;
		}
	}
	/* A later revision must follow the dossier the ledger holds now, and none goes back. */
	int have_prev = blob_at(&prev, repo, base, f->file) == 0;
	char held[80] = "";
	int held_rev = 0;
	if (have_prev)
		blob_digest(held, sizeof held, prev, &held_rev);
	int rev = f->d->revision > 1 ? f->d->revision : 1;
	/* The dossier the ledger holds already, with its submission now: no revision to check. */
	int same_dossier = same_blob(repo, base, f->file, &f->dossier_blob);
	if (have_prev && rev < held_rev) {
		rc = emh_error_set(err, EMH_EINVALID, "revision %d of %s cannot be filed: the ledger holds revision %d "
		                   "(%s), and revisions only move forward", rev, f->folder, held_rev, held);
		goto done;
	}
	if (f->d->revision > 1 && !same_dossier) {
		if (!have_prev || !f->d->previous_digest || strcmp(held, f->d->previous_digest) != 0) {
			rc = emh_error_set(err, EMH_EINVALID, "revision %d follows %s, but the ledger holds %s for %s: "
			                   "file the revision it follows first", f->d->revision,
			                   f->d->previous_digest ? f->d->previous_digest : "nothing",
			                   have_prev ? held : "no dossier", f->folder);
			goto done;
		}
	}
	if (same_dossier && same_blob(repo, base, f->envfile, f->has_env ? &f->env_blob : NULL) &&
	    (!f->store || same_blob(repo, base, f->manifest, &f->store->manifest))) {
		*unchanged = 1;
		if (has_parent)
			git_oid_cpy(out, &parent_id);
		goto done;
	}
	size_t nobj = f->store ? f->store->n : 0;
	git_tree_update *up = calloc(nobj + 3, sizeof *up);
	if (!up) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	size_t nup = 0;
	for (size_t i = 0; i < nobj; i++) {
		up[nup].action = GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up[nup].id, &f->store->objects[i].id);
		up[nup].filemode = GIT_FILEMODE_BLOB;
		up[nup++].path = f->store->objects[i].path;
	}
	if (f->store) {
		up[nup].action = GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up[nup].id, &f->store->manifest);
		up[nup].filemode = GIT_FILEMODE_BLOB;
		up[nup++].path = f->manifest;
	} else if (!same_dossier && !same_blob(repo, base, f->manifest, NULL)) {
		/* A stored submission stays with later revisions of its dossier, not with another submission's. */
		git_blob *mb = NULL;
		char held_sub[65] = "";
		if (blob_at(&mb, repo, base, f->manifest) == 0)
			emh_store__manifest_submission(held_sub, mb);
		git_blob_free(mb);
		if (!f->d->submission_sha256 || strcmp(held_sub, f->d->submission_sha256) != 0) {
			up[nup].action = GIT_TREE_UPDATE_REMOVE;
			up[nup++].path = f->manifest;
		}
	}
	up[nup].action = GIT_TREE_UPDATE_UPSERT;
	git_oid_cpy(&up[nup].id, &f->dossier_blob);
	up[nup].filemode = GIT_FILEMODE_BLOB;
	up[nup++].path = f->file;
	if (f->has_env) {
		up[nup].action = GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up[nup].id, &f->env_blob);
		up[nup].filemode = GIT_FILEMODE_BLOB;
		up[nup++].path = f->envfile;
	} else if (!same_blob(repo, base, f->envfile, NULL)) {
		up[nup].action = GIT_TREE_UPDATE_REMOVE; /* an earlier revision's signature no longer applies */
		up[nup++].path = f->envfile;
	}
	int trc = git_tree_create_updated(&tree_id, repo, base, nup, up);
	free(up);
	if (trc < 0 || git_tree_lookup(&tree, repo, &tree_id) < 0) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot write the ledger's tree: %s", git_message());
		goto done;
	}
	char manifest_sha[65];
	blob_sha(manifest_sha, repo, tree, f->manifest);
	char parent_hex[GIT_OID_HEXSZ + 1] = "none", chain[72];
	if (has_parent)
		git_oid_tostr(parent_hex, sizeof parent_hex, &parent_id);
	if (chain_next(chain, prev_chain, f->file, f->d->digest, f->has_env ? f->env_sha : NULL, manifest_sha)) {
		rc = emh_error_set(err, EMH_EGENERIC, "SHA-256 failed");
		goto done;
	}
	unsigned long seq = has_parent ? sequence_of(repo, &parent_id) + 1 : 1;
	emh_buf link = EMH_BUF_INIT, sigb64 = EMH_BUF_INIT;
	if (l->signer && (link_text(&link, seq, prev_chain, chain, f->d->digest) ||
	                  emh_audit__sign_text(&sigb64, l->signer, link.ptr, link.len))) {
		emh_buf_dispose(&link);
		emh_buf_dispose(&sigb64);
		rc = emh_error_set(err, EMH_EGENERIC, "cannot sign the ledger's chain");
		goto done;
	}
	const emh_dossier *d = f->d;
	emh_buf_appendf(&msg, "%s: %s (revision %d)\n\n", f->folder + strlen("dossiers/"),
	                emh_verdict_name(d->verdict), d->revision > 1 ? d->revision : 1);
	emh_buf_appendf(&msg, "Dossier: %s\nDigest: %s\n", f->file, d->digest);
	if (d->previous_digest)
		emh_buf_appendf(&msg, "Previous-Digest: %s\n", d->previous_digest);
	emh_buf_appendf(&msg, "Criteria: %s\n", d->criteria_commit ? d->criteria_commit : "");
	if (f->has_env)
		emh_buf_appendf(&msg, "Envelope: sha256:%s\n", f->env_sha);
	if (manifest_sha[0])
		emh_buf_appendf(&msg, "Submission: sha256:%s\n", manifest_sha);
	emh_buf_appendf(&msg, "Ledger-Parent: %s\nLedger-Chain: %s\nLedger-Sequence: %lu\n", parent_hex, chain, seq);
	if (l->signer)
		emh_buf_appendf(&msg, "Ledger-Signature: %s %s\n", emh_key_id(l->signer), emh_buf_cstr(&sigb64));
	emh_buf_dispose(&link);
	emh_buf_dispose(&sigb64);
	if (!emh_buf_ok(&msg) || make_signature(&sig, repo) < 0) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot make the commit: %s", git_message());
		goto done;
	}
	const git_commit *parents[1] = { parent };
	if (git_commit_create(out, repo, NULL, sig, sig, NULL, msg.ptr, tree, has_parent ? 1 : 0, parents) < 0) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot write the ledger commit: %s", git_message());
		goto done;
	}
	/* Compare-and-swap: move the branch only from the commit we built on. The first commit expects the zero
	   id ("no branch yet"), checked under the branch's lock: a non-forced git_reference_create checks for an
	   existing branch before taking the lock, and a writer racing through that gap replaced the other's
	   first commits (found by the two-writer test under load). */
	git_oid expected;
	memset(&expected, 0, sizeof expected);
	if (has_parent)
		git_oid_cpy(&expected, &parent_id);
	grc = git_reference_create_matching(&ref, repo, branch, out, 1, &expected,
	                                    has_parent ? "emheval: file dossier" : "emheval: first dossier");
	if (grc == GIT_EMODIFIED || grc == GIT_ELOCKED || grc == GIT_EEXISTS)
		rc = 1;
	else if (grc < 0)
		rc = emh_error_set(err, EMH_EGENERIC, "cannot move %s in the ledger: %s", branch, git_message());
done:
	emh_buf_dispose(&msg);
	git_reference_free(ref);
	git_signature_free(sig);
	git_treebuilder_free(tb);
	git_blob_free(prev);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return rc;
}

/*
 * A branch lock left by a writer that was killed (SIGKILL, power loss) stays until someone removes it, and
 * every later filing then waits LEDGER_MAX_WAIT_MS and fails ("remove a stale ... .lock"); a batch rerun after
 * a crash could not complete on its own (found by test_crash under CI timing). A writer holds the lock for
 * milliseconds, so the same lock file (device, inode, size, modification time) present for the whole wait is a
 * dead writer's: it is removed once, and the filing tries again. A lock that changes, or comes back, is a live
 * writer's and still ends in the error.
 */
typedef struct stale_lock {
	char path[PATH_MAX];
	struct stat first;
	int seen, broken; /* seen: first holds the lock's identity; broken: removed once already */
} stale_lock;

static void stale_lock_init(stale_lock *k, emh_ledger *l, const char *branch)
{
	memset(k, 0, sizeof *k);
	const char *gitdir = git_repository_path(l->repo);
	if (!gitdir || (size_t)snprintf(k->path, sizeof k->path, "%s%s.lock", gitdir, branch) >= sizeof k->path)
		k->path[0] = '\0';
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Notes the lock file as first seen; forgets it when it has gone or changed (a live writer came and went). */
static void stale_lock_seen(stale_lock *k)
{
	struct stat now;
	if (!k->path[0] || lstat(k->path, &now) != 0) {
		k->seen = 0;
		return;
	}
	if (!k->seen || !same_file(&now, &k->first)) {
		k->first = now;
		k->seen = 1;
	}
}

/* 1 when the lock seen throughout the wait is still the same file and has been removed. */
static int stale_lock_break(stale_lock *k)
{
	struct stat now;
	if (k->broken || !k->seen || lstat(k->path, &now) != 0 || !same_file(&now, &k->first))
		return 0;
	if (unlink(k->path) != 0)
		return 0;
	k->broken = 1;
	k->seen = 0;
	return 1;
}

int emh_ledger_file(emh_ledger *l, char *commit, const emh_dossier *d, const char *envelope,
                    size_t envelope_len, emh_error *err)
{
	return emh_ledger_file_stored(l, commit, d, envelope, envelope_len, NULL, err);
}

int emh_ledger_file_stored(emh_ledger *l, char *commit, const emh_dossier *d, const char *envelope,
                           size_t envelope_len, const emh_ledger_store *store, emh_error *err)
{
	if (commit)
		commit[0] = '\0';
	if (!d->digest)
		return emh_error_set(err, EMH_EINVALID, "only a sealed dossier (with a digest) can be filed");
	char folder[1024], file[1100], envfile[1100], manifest[1100], branch[512];
	emh_store__set set;
	memset(&set, 0, sizeof set);
	int rc = emh_ledger_path(folder, sizeof folder, d->submission_id, d->app_version, err);
	if (rc)
		return rc;
	snprintf(file, sizeof file, "%s/" LEDGER_DOSSIER, folder);
	snprintf(manifest, sizeof manifest, "%s/" LEDGER_MANIFEST, folder);
	snprintf(envfile, sizeof envfile, "%s/" LEDGER_ENVELOPE, folder);
	if ((rc = head_branch(l, branch, sizeof branch, err)) != 0)
		return rc;
	emh_buf text = EMH_BUF_INIT;
	filing f;
	memset(&f, 0, sizeof f);
	f.folder = folder;
	f.file = file;
	f.envfile = envfile;
	f.manifest = manifest;
	f.d = d;
	f.has_env = envelope != NULL;
	if ((rc = emh_report_render(&text, d, EMH_FORMAT_JSON, NULL, err)) != 0)
		goto done;
	if (git_blob_create_from_buffer(&f.dossier_blob, l->repo, text.ptr, text.len) < 0 ||
	    (envelope && git_blob_create_from_buffer(&f.env_blob, l->repo, envelope, envelope_len) < 0)) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot write to the ledger %s: %s", l->path, git_message());
		goto done;
	}
	if (envelope) {
		/* A signature filed beside a dossier must be about that dossier. */
		cJSON *tree = emh_dossier_to_json(d, 1);
		emh_envelope_info info;
		char why[600];
		int bad = !tree ? EMH_EGENERIC : emh_audit__open_envelope(&info, envelope, envelope_len, "envelope", NULL);
		if (bad == 0 && emh_audit__statement_matches(info.statement, tree, why, sizeof why))
			bad = 1;
		else if (bad == 1)
			snprintf(why, sizeof why, "%s", info.why);
		if (tree)
			emh_audit__envelope_dispose(&info);
		cJSON_Delete(tree);
		if (bad) {
			rc = bad < 0 ? emh_error_set(err, EMH_EGENERIC, "out of memory")
			             : emh_error_set(err, EMH_EINVALID, "the envelope does not sign this dossier: %s", why);
			goto done;
		}
	}
	if (envelope && emh_sha256_hex(f.env_sha, envelope, envelope_len)) {
		rc = emh_error_set(err, EMH_EGENERIC, "SHA-256 failed");
		goto done;
	}
	if (store && store->submission) {
		if ((rc = emh_store__prepare(&set, l->repo, d, store, err)) != 0)
			goto done;
		f.store = &set;
	}
	long long start = now_ms();
	/* Threads of one process share the pid: mix in the stack address and the clock so that writers
	   back off differently. */
	unsigned wait = 1, seed = ((unsigned)getpid() ^ (unsigned)(uintptr_t)&start ^ (unsigned)start) * 2654435761u;
	stale_lock lock;
	stale_lock_init(&lock, l, branch);
	for (int attempt = 0;; attempt++) {
		git_oid id;
		int unchanged = 0;
		rc = file_once(l, branch, &f, &id, &unchanged, err);
		if (rc == 0) {
			if (commit && !unchanged)
				git_oid_tostr(commit, GIT_OID_HEXSZ + 1, &id);
			break;
		}
		if (rc < 0)
			break;
		stale_lock_seen(&lock);
		if ((attempt >= LEDGER_TRIES || now_ms() - start > LEDGER_MAX_WAIT_MS) && stale_lock_break(&lock)) {
			start = now_ms(); /* one more round once a dead writer's lock is gone */
			attempt = 0;
			continue;
		}
		if (attempt >= LEDGER_TRIES || now_ms() - start > LEDGER_MAX_WAIT_MS) {
			rc = emh_error_set(err, EMH_EGENERIC, "the ledger %s kept changing or stayed locked for %d s "
			                   "(if no emheval or git is writing to it, remove a stale %s.lock)", l->path,
			                   LEDGER_MAX_WAIT_MS / 1000, branch);
			break;
		}
		/* Back off with jitter so competing writers do not retry in lock-step. */
		seed = seed * 1103515245u + 12345u;
		sleep_ms(wait + (seed >> 16) % (wait + 1));
		if (wait < 64)
			wait *= 2;
	}
done:
	emh_store__dispose(&set);
	emh_buf_dispose(&text);
	return rc;
}

/* ---- reading the history ------------------------------------------------------------------- */

typedef struct history {
	git_oid *ids;    /* oldest first */
	size_t n, cap;
} history;

/*
 * Collects the first-parent history of the branch, oldest first. Merge
 * commits are kept (verify reports them). Returns 0, or EMH_E* codes.
 */
static int read_history(emh_ledger *l, history *h, emh_error *err)
{
	char branch[512];
	memset(h, 0, sizeof *h);
	int rc = head_branch(l, branch, sizeof branch, err);
	if (rc)
		return rc;
	git_oid id;
	int grc = git_reference_name_to_id(&id, l->repo, branch);
	if (grc == GIT_ENOTFOUND)
		return 0; /* an empty ledger */
	if (grc < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot read %s in %s: %s", branch, l->path, git_message());
	for (;;) {
		if (h->n == h->cap) {
			size_t ncap = h->cap ? h->cap * 2 : 256;
			git_oid *ids = realloc(h->ids, ncap * sizeof *ids);
			if (!ids)
				return emh_error_set(err, EMH_EGENERIC, "out of memory");
			h->ids = ids;
			h->cap = ncap;
		}
		git_oid_cpy(&h->ids[h->n++], &id);
		git_commit *c = NULL;
		if (git_commit_lookup(&c, l->repo, &id) < 0)
			return emh_error_set(err, EMH_EGENERIC, "cannot read commit in %s: %s", l->path, git_message());
		int np = (int)git_commit_parentcount(c);
		if (np > 0)
			git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (np == 0)
			break;
	}
	for (size_t i = 0; i < h->n / 2; i++) {
		git_oid t = h->ids[i];
		h->ids[i] = h->ids[h->n - 1 - i];
		h->ids[h->n - 1 - i] = t;
	}
	return 0;
}

/* What one commit changed: the dossier path, and problems with the change's shape. */
typedef struct change {
	char file[1100];     /* the dossier.json changed (or whose stored submission changed), "" when none */
	int env_changed;
	int dossier_changed; /* the dossier itself changed, not only what is stored beside it */
	int manifest_removed;
	emh_buf problems;
	emh_buf note;        /* what is stored and withheld beside the dossier */
} change;

static void problem(change *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(change *c, const char *fmt, ...)
{
	va_list ap;
	if (c->problems.len)
		emh_buf_puts(&c->problems, "; ");
	va_start(ap, fmt);
	emh_buf_vappendf(&c->problems, fmt, ap);
	va_end(ap);
}

/* "dossiers/A/V/NAME" with A and V single components: 1 and NAME's offset. */
static int ledger_file_path(const char *p, size_t *name_at)
{
	if (strncmp(p, "dossiers/", 9) != 0)
		return 0;
	const char *a = p + 9, *s1 = strchr(a, '/');
	if (!s1 || s1 == a)
		return 0;
	const char *s2 = strchr(s1 + 1, '/');
	if (!s2 || s2 == s1 + 1)
		return 0;
	const char *name = s2 + 1;
	if (strchr(name, '/') || (strcmp(name, LEDGER_DOSSIER) && strcmp(name, LEDGER_ENVELOPE) &&
	                          strcmp(name, LEDGER_MANIFEST)))
		return 0;
	*name_at = (size_t)(name - p);
	return 1;
}

static int classify(git_repository *repo, git_tree *old, git_tree *cur, change *c)
{
	git_diff *diff = NULL;
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(&diff, repo, old, cur, &opts) < 0)
		return -1;
	char folder[1100] = "";
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, i);
		const char *p = dl->status == GIT_DELTA_DELETED ? dl->old_file.path : dl->new_file.path;
		size_t at = 0;
		if (emh_store__is_object_path(p)) {
			/* Stored files are only ever added, and hold the bytes their name hashes. */
			if (dl->status != GIT_DELTA_ADDED)
				problem(c, "%s stored object %s: a ledger only adds", dl->status == GIT_DELTA_DELETED ?
				        "deletes" : "changes", p);
			if (dl->status != GIT_DELTA_DELETED) {
				emh_buf why = EMH_BUF_INIT;
				emh_store__check_object(repo, p, &dl->new_file.id, &why);
				if (why.len)
					problem(c, "%s", emh_buf_cstr(&why));
				emh_buf_dispose(&why);
			}
			continue;
		}
		if (!ledger_file_path(p, &at)) {
			problem(c, "changes %s, which is not a dossier", p);
			continue;
		}
		if (folder[0] && (strncmp(folder, p, at) != 0 || strlen(folder) != at)) {
			problem(c, "changes more than one dossier (%s)", p);
			continue;
		}
		snprintf(folder, sizeof folder, "%.*s", (int)at, p);
		if (strcmp(p + at, LEDGER_DOSSIER) == 0) {
			if (dl->status == GIT_DELTA_DELETED)
				problem(c, "deletes %s: a ledger only adds", p);
			else
				snprintf(c->file, sizeof c->file, "%s", p);
			c->dossier_changed = 1;
		} else if (strcmp(p + at, LEDGER_MANIFEST) == 0) {
			/* A submission stored beside a dossier the ledger holds: the commit is about that dossier. */
			if (dl->status == GIT_DELTA_DELETED)
				c->manifest_removed = 1;
			if (!c->file[0])
				snprintf(c->file, sizeof c->file, "%.*s" LEDGER_DOSSIER, (int)at, p);
		} else {
			c->env_changed = 1;
		}
	}
	if (!c->file[0] && !c->problems.len)
		problem(c, n ? "changes only a signature or stored files, not a dossier" : "changes nothing");
	else if (c->file[0] && !c->dossier_changed && c->env_changed)
		problem(c, "changes a signature, not a dossier");
	else if (c->manifest_removed && !c->dossier_changed)
		problem(c, "removes the submission stored beside %s: a ledger only adds", c->file);
	if (c->file[0] && !c->dossier_changed && !c->problems.len) {
		/* Only a stored submission was added or removed: the dossier must be one the ledger held. */
		git_tree_entry *was = NULL;
		if (!old || git_tree_entry_bypath(&was, old, c->file) < 0)
			problem(c, "stores a submission beside %s, which the ledger does not hold", c->file);
		git_tree_entry_free(was);
	}
	git_diff_free(diff);
	return 0;
}

/* ---- verify -------------------------------------------------------------------------------- */

typedef struct lverify {
	emh_ledger *l;
	const emh_ledger_verify_options *o;
	emh_key *key;
	emh_verify_summary *sum;
	char chain[256];     /* the chain value the next commit must continue */
	int anchor_found;
} lverify;

/* Checks the dossier (and envelope) a commit filed; problems go to c. */
static void check_filed(lverify *v, git_tree *tree, git_tree *old, const char *file, const char *msg, change *c,
                        char digest_out[80], char env_sha_out[65])
{
	git_repository *repo = v->l->repo;
	git_blob *blob = NULL, *env = NULL, *prevb = NULL;
	emh_json *doc = NULL;
	emh_dossier *d = NULL;
	char why[1600];
	digest_out[0] = '\0';
	env_sha_out[0] = '\0';
	if (blob_at(&blob, repo, tree, file) != 0) {
		problem(c, "cannot read %s", file);
		goto done;
	}
	const char *bytes = git_blob_rawcontent(blob);
	size_t len = (size_t)git_blob_rawsize(blob);
	emh_error perr = EMH_ERROR_INIT;
	if (emh_json_parse(&doc, bytes, len, file, NULL, &perr)) {
		char m[1400];
		problem(c, "%s is not valid JSON: %s", file, emh_error_format(&perr, m, sizeof m));
		goto done;
	}
	const cJSON *tree_json = emh_json_root(doc);
	const cJSON *dg = cJSON_GetObjectItemCaseSensitive(tree_json, "digest");
	if (cJSON_IsString(dg))
		snprintf(digest_out, 80, "%s", dg->valuestring);
	if (emh_audit__check_canonical(tree_json, bytes, len, 1, why, sizeof why))
		problem(c, "%s is not in canonical form: %s", file, why);
	else if (emh_audit__check_model(&d, tree_json, file, why, sizeof why))
		problem(c, "%s: %s", file, why);
	if (emh_audit__check_digest(tree_json, why, sizeof why))
		problem(c, "%s: digest %s", file, why);
	char t[256];
	trailer(t, sizeof t, msg, "Digest");
	if (strcmp(t, digest_out) != 0)
		problem(c, "the commit message records digest %s, the dossier %s", t[0] ? t : "(none)", digest_out);
	trailer(t, sizeof t, msg, "Dossier");
	if (strcmp(t, file) != 0)
		problem(c, "the commit message names %s, the commit changes %s", t[0] ? t : "(none)", file);
	if (d) {
		char folder[1024];
		emh_error e = EMH_ERROR_INIT;
		if (emh_ledger_path(folder, sizeof folder, d->submission_id, d->app_version, &e) ||
		    strncmp(folder, file, strlen(folder)) != 0 || file[strlen(folder)] != '/')
			problem(c, "%s is filed under the wrong app or version (it is for %s %s)", file,
			        d->submission_id ? d->submission_id : "?", d->app_version ? d->app_version : "?");
		char held[80] = "";
		int held_rev = 0;
		if (blob_at(&prevb, repo, old, file) == 0)
			blob_digest(held, sizeof held, prevb, &held_rev);
		if (!c->dossier_changed)
			held[0] = '\0'; /* the same dossier, with its submission stored: no revision to follow */
		if (held[0] && (d->revision > 1 ? d->revision : 1) < held_rev)
			problem(c, "revision %d replaces revision %d: revisions only move forward",
			        d->revision > 1 ? d->revision : 1, held_rev);
		if (d->revision > 1 && c->dossier_changed) {
			if (!held[0] || !d->previous_digest || strcmp(held, d->previous_digest) != 0 || held_rev != d->revision - 1)
				problem(c, "revision %d follows %s, but the ledger held %s (revision %d) before", d->revision,
				        d->previous_digest ? d->previous_digest : "nothing", held[0] ? held : "nothing", held_rev);
		}
	}
	char envfile[1200];
	snprintf(envfile, sizeof envfile, "%.*s" LEDGER_ENVELOPE, (int)(strlen(file) - strlen(LEDGER_DOSSIER)), file);
	if (blob_at(&env, repo, tree, envfile) == 0) {
		const char *eb = git_blob_rawcontent(env);
		size_t elen = (size_t)git_blob_rawsize(env);
		emh_sha256_hex(env_sha_out, eb, elen);
		emh_envelope_info info;
		int rc = emh_audit__open_envelope(&info, eb, elen, envfile, v->key);
		if (rc)
			problem(c, "%s: %s", envfile, info.why);
		else if (emh_audit__statement_matches(info.statement, tree_json, why, sizeof why))
			problem(c, "%s: %s", envfile, why);
		else if (info.signature == EMH_CHECK_FAILED)
			problem(c, "%s: %s", envfile, info.why);
		emh_audit__envelope_dispose(&info);
	} else if (v->key) {
		problem(c, "%s is not signed", file);
	}
	char manifest[1200];
	snprintf(manifest, sizeof manifest, "%.*s" LEDGER_MANIFEST, (int)(strlen(file) - strlen(LEDGER_DOSSIER)), file);
	git_tree_entry *me = NULL;
	if (d && git_tree_entry_bypath(&me, tree, manifest) == 0)
		emh_store__check(repo, tree, manifest, d, &c->problems, &c->note);
	git_tree_entry_free(me);
done:
	emh_dossier_free(d);
	emh_json_free(doc);
	git_blob_free(blob);
	git_blob_free(env);
	git_blob_free(prevb);
}

/* Checks a commit's sequence number and, with a key, its signature of its link in the chain. */
static void check_link(lverify *v, const char *msg, unsigned long position, const char *prev_chain,
                       const char *chain, const char *digest, change *c)
{
	char t[1024];
	trailer(t, sizeof t, msg, "Ledger-Sequence");
	char *end = NULL;
	unsigned long seq = t[0] ? strtoul(t, &end, 10) : 0;
	if (t[0] && (!end || *end || seq != position))
		problem(c, "the commit records sequence number %s but is commit %lu of the ledger: commits were "
		        "removed, reordered or inserted", t, position);
	if (!v->key)
		return;
	if (!t[0]) {
		problem(c, "the commit has no Ledger-Sequence and no Ledger-Signature: its place in the ledger is not signed");
		return;
	}
	trailer(t, sizeof t, msg, "Ledger-Signature");
	char *space = strchr(t, ' ');
	if (!t[0] || !space) {
		problem(c, "the commit's place in the ledger is not signed (no Ledger-Signature): it was filed "
		        "without the key, or its signature was removed");
		return;
	}
	*space = '\0';
	if (strcmp(t, emh_key_id(v->key)) != 0) {
		problem(c, "the commit's place in the ledger is signed by key %.16s..., not by the key given", t);
		return;
	}
	emh_buf link = EMH_BUF_INIT;
	if (link_text(&link, position, prev_chain, chain, digest) ||
	    emh_audit__verify_text(v->key, space + 1, link.ptr, link.len))
		problem(c, "the signature of the commit's place in the ledger (sequence %lu after chain value %s) does "
		        "not hold: commits were removed, reordered or rewritten", position, prev_chain[0] ? prev_chain : "none");
	emh_buf_dispose(&link);
}

static void verify_commit(lverify *v, const git_oid *id, const git_oid *expected_parent, unsigned long position)
{
	git_repository *repo = v->l->repo;
	git_commit *commit = NULL;
	git_tree *tree = NULL, *old = NULL;
	git_commit *parent = NULL;
	change c;
	memset(&c, 0, sizeof c);
	char hex[GIT_OID_HEXSZ + 1], t[256], digest[80] = "", env_sha[65] = "";
	git_oid_tostr(hex, sizeof hex, id);
	if (v->o->anchor && strncmp(hex, v->o->anchor, strlen(v->o->anchor)) == 0 && strlen(v->o->anchor) >= 7)
		v->anchor_found = 1;
	if (git_commit_lookup(&commit, repo, id) < 0 || git_commit_tree(&tree, commit) < 0) {
		problem(&c, "cannot read the commit: %s", git_message());
		goto report;
	}
	const char *msg = git_commit_message(commit);
	unsigned np = git_commit_parentcount(commit);
	if (np > 1)
		problem(&c, "a merge commit: a ledger's history must be linear");
	if (np >= 1 && (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&old, parent) < 0)) {
		problem(&c, "cannot read its parent: %s", git_message());
		goto report;
	}
	char want_parent[GIT_OID_HEXSZ + 1] = "none";
	if (expected_parent)
		git_oid_tostr(want_parent, sizeof want_parent, expected_parent);
	trailer(t, sizeof t, msg, "Ledger-Parent");
	if (strcmp(t, want_parent) != 0)
		problem(&c, "the commit records parent %s but follows %s: the history was rewritten", t[0] ? t : "(none)",
		        want_parent);
	if (classify(repo, old, tree, &c) < 0) {
		problem(&c, "cannot compare with its parent: %s", git_message());
		goto report;
	}
	if (c.file[0])
		check_filed(v, tree, old, c.file, msg, &c, digest, env_sha);
	char chain[72], recorded[256], manifest[1200], manifest_sha[65] = "";
	if (c.file[0]) {
		snprintf(manifest, sizeof manifest, "%.*s" LEDGER_MANIFEST, (int)(strlen(c.file) - strlen(LEDGER_DOSSIER)),
		         c.file);
		blob_sha(manifest_sha, repo, tree, manifest);
	}
	trailer(t, sizeof t, msg, "Submission");
	if ((t[0] || manifest_sha[0]) && (strncmp(t, "sha256:", 7) != 0 || strcmp(t + 7, manifest_sha) != 0))
		problem(&c, "the commit message records the stored submission's manifest as %s, the ledger holds %s%s",
		        t[0] ? t : "(none)", manifest_sha[0] ? "sha256:" : "", manifest_sha[0] ? manifest_sha : "none");
	trailer(recorded, sizeof recorded, msg, "Ledger-Chain");
	if (chain_next(chain, v->chain, c.file, digest, env_sha[0] ? env_sha : NULL, manifest_sha) == 0 &&
	    strcmp(chain, recorded) != 0)
		problem(&c, "the chain digest is %s, expected %s: a dossier, a signature or an earlier commit changed",
		        recorded[0] ? recorded : "(none)", chain);
	check_link(v, msg, position, v->chain, recorded, digest, &c);
	/* Continue from what this commit recorded, so one bad commit does not condemn the rest. */
	snprintf(v->chain, sizeof v->chain, "%s", recorded[0] ? recorded : chain);
report:
	if (c.problems.len || !emh_buf_ok(&c.problems)) {
		v->sum->failed++;
		if (v->o->on_check)
			v->o->on_check(hex, EMH_CHECK_FAILED, emh_buf_cstr(&c.problems), v->o->payload);
	} else {
		v->sum->ok++;
		/* Withheld files are said every time: not tampered, kept out on purpose. */
		if (v->o->on_check && (v->o->verbose || strstr(emh_buf_cstr(&c.note), "withheld"))) {
			char detail[2400];
			snprintf(detail, sizeof detail, "%s %s%s%s", c.file, digest, c.note.len ? "; " : "",
			         emh_buf_cstr(&c.note));
			v->o->on_check(hex, EMH_CHECK_OK, detail, v->o->payload);
		}
	}
	emh_buf_dispose(&c.problems);
	emh_buf_dispose(&c.note);
	git_tree_free(old);
	git_commit_free(parent);
	git_tree_free(tree);
	git_commit_free(commit);
}

int emh_ledger_verify(emh_verify_summary *out, const char *path, const emh_ledger_verify_options *opts,
                      emh_error *err)
{
	emh_ledger_verify_options o = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	if (opts)
		o = *opts;
	memset(out, 0, sizeof *out);
	emh_ledger *l = NULL;
	history h;
	memset(&h, 0, sizeof h);
	lverify v;
	memset(&v, 0, sizeof v);
	v.o = &o;
	v.sum = out;
	int rc = 0;
	if (o.pubkey && (rc = emh_key_load(&v.key, o.pubkey, err)) != 0)
		goto done;
	if ((rc = emh_ledger_open(&l, path, 0, err)) != 0 || (rc = read_history(l, &h, err)) != 0)
		goto done;
	v.l = l;
	for (size_t i = 0; i < h.n; i++)
		verify_commit(&v, &h.ids[i], i ? &h.ids[i - 1] : NULL, (unsigned long)i + 1);
	if (o.anchor && !v.anchor_found) {
		out->failed++;
		if (o.on_check)
			o.on_check("anchor", EMH_CHECK_FAILED, "the anchor commit is not in the ledger's history: "
			           "commits were removed or the history was replaced", o.payload);
	}
done:
	free(h.ids);
	emh_key_free(v.key);
	emh_ledger_free(l);
	return rc;
}

/* ---- log ------------------------------------------------------------------------------------ */

/* emh_ledger_log, and with parse 0 emh_audit__ledger_bytes: the same walk without the dossier model. */
static int ledger_walk(const char *path, const char *app_id, int parse, emh_ledger_entry_cb cb, void *payload,
                       emh_error *err)
{
	emh_ledger *l = NULL;
	history h;
	memset(&h, 0, sizeof h);
	int rc = emh_ledger_open(&l, path, 0, err);
	if (rc == 0)
		rc = read_history(l, &h, err);
	for (size_t i = 0; rc == 0 && i < h.n; i++) {
		git_commit *commit = NULL, *parent = NULL;
		git_tree *tree = NULL, *old = NULL;
		git_blob *blob = NULL, *env = NULL;
		emh_dossier *d = NULL;
		change c;
		memset(&c, 0, sizeof c);
		emh_error e = EMH_ERROR_INIT;
		if (git_commit_lookup(&commit, l->repo, &h.ids[i]) < 0 || git_commit_tree(&tree, commit) < 0 ||
		    (git_commit_parentcount(commit) &&
		     (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&old, parent) < 0))) {
			rc = emh_error_set(err, EMH_EGENERIC, "cannot read the ledger %s: %s", path, git_message());
		} else if (classify(l->repo, old, tree, &c) == 0 && c.file[0] && c.dossier_changed &&
		           blob_at(&blob, l->repo, tree, c.file) == 0 && parse &&
		           emh_dossier_parse(&d, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), c.file, &e) != 0) {
			/* Never skip a filing that cannot be read: a register or log without it would show the app's
			   previous verdict as its newest (a damaged or doctored dossier, or no memory to read it). */
			char hex[GIT_OID_HEXSZ + 1], why[1200];
			git_oid_tostr(hex, sizeof hex, &h.ids[i]);
			rc = emh_error_set(err, e.code ? e.code : EMH_EINVALID,
			                   "the ledger %s: the dossier filed in commit %.12s cannot be read (%s); run "
			                   "`emheval ledger verify %s`", path, hex, emh_error_format(&e, why, sizeof why), path);
		} else if (c.file[0] && c.dossier_changed && blob && (!app_id || (d && d->submission_id &&
		                                                                  strcmp(d->submission_id, app_id) == 0))) {
			char hex[GIT_OID_HEXSZ + 1], envfile[1200];
			git_oid_tostr(hex, sizeof hex, &h.ids[i]);
			snprintf(envfile, sizeof envfile, "%.*s" LEDGER_ENVELOPE,
			         (int)(strlen(c.file) - strlen(LEDGER_DOSSIER)), c.file);
			int is_signed = blob_at(&env, l->repo, tree, envfile) == 0;
			emh_ledger_entry en = {
				hex, (long long)git_commit_time(commit), c.file, d ? d->submission_id : NULL,
				d ? d->app_version : NULL, d ? d->revision : 0, d ? emh_verdict_name(d->verdict) : NULL,
				d ? d->digest : NULL, d ? d->as_of : NULL, d ? d->criteria_commit : NULL,
				d ? d->framework_version : NULL, is_signed,
				d, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
				env ? git_blob_rawcontent(env) : NULL, env ? (size_t)git_blob_rawsize(env) : 0,
				(unsigned long)(i + 1),
			};
			cb(&en, payload);
		}
		emh_dossier_free(d);
		emh_buf_dispose(&c.problems);
		emh_buf_dispose(&c.note);
		git_blob_free(blob);
		git_blob_free(env);
		git_tree_free(old);
		git_tree_free(tree);
		git_commit_free(parent);
		git_commit_free(commit);
	}
	free(h.ids);
	emh_ledger_free(l);
	return rc;
}

int emh_ledger_log(const char *path, const char *app_id, emh_ledger_entry_cb cb, void *payload, emh_error *err)
{
	return ledger_walk(path, app_id, 1, cb, payload, err);
}

int emh_audit__ledger_bytes(const char *path, emh_ledger_entry_cb cb, void *payload, emh_error *err)
{
	return ledger_walk(path, NULL, 0, cb, payload, err);
}

/* ---- publishing ----------------------------------------------------------------------------- */

int emh_dossier_publish(char *commit, const emh_dossier *d, const emh_publish_options *opts, emh_error *err)
{
	emh_publish_options o = EMH_PUBLISH_OPTIONS_INIT;
	if (opts)
		o = *opts;
	if (commit)
		commit[0] = '\0';
	emh_buf text = EMH_BUF_INIT, env = EMH_BUF_INIT;
	char env_path[4096];
	int rc = emh_report_render(&text, d, EMH_FORMAT_JSON, NULL, err);
	if (rc == 0 && o.sign_key)
		rc = emh_sign_dossier(&env, d, o.sign_key, err);
	if (rc == 0 && o.output && o.sign_key && emh_envelope_path(env_path, sizeof env_path, o.output))
		rc = emh_error_set(err, EMH_ELIMIT, "path too long: %s", o.output);
	if (rc == 0 && o.ledger && o.sign_key)
		rc = emh_ledger_set_signer(o.ledger, o.sign_key, err);
	if (rc == 0 && o.ledger)
		rc = emh_ledger_file(o.ledger, commit, d, o.sign_key ? env.ptr : NULL, env.len, err);
	if (rc == 0 && o.output && o.sign_key)
		rc = o.exclusive ? emh_io_write_new(env_path, env.ptr, env.len, err)
		                 : emh_io_write_atomic(env_path, env.ptr, env.len, err);
	if (rc == 0 && o.output)
		rc = o.exclusive ? emh_io_write_new(o.output, text.ptr, text.len, err)
		                 : emh_io_write_named(o.output, text.ptr, text.len, err);
	emh_buf_dispose(&text);
	emh_buf_dispose(&env);
	return rc;
}
