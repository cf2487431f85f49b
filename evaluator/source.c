/*
 * source.c - reads a criteria set out of a git repository through libgit2.
 *
 * A report must name exactly what produced it, so the criteria are taken from
 * the object database at a commit and never from the working tree: an edited or
 * untracked file cannot change a result that claims a commit id. This file is
 * the only one that talks to libgit2. It resolves (repository, revision,
 * folder) to a commit and a tree, keeps framework.json and DOMAIN/NAME.json
 * blobs (or, for the gate, whichever files a filter wants, e.g. fixtures),
 * and hands the rest of the evaluator a flat list of (path, bytes) sorted by
 * path, so that nothing later depends on git or on tree order.
 */
#include "source.h"
#include "evaluator/internal.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A criteria file is a small hand-written JSON document; anything bigger is a
 * mistake (a committed data dump) or hostile, and is refused before its bytes
 * are loaded.
 */
#define EMH_SOURCE_MAX_FILE (1024u * 1024u)

#define EMH_SOURCE_FRAMEWORK "framework.json"
#define EMH_SOURCE_TRACKERS "trackers.json" /* the tracker catalogue (observe.h) */

/* More files than this in a criteria folder is a mistake (or hostile). */
#define EMH_SOURCE_MAX_FILES 100000u

/* What one read shares between its helpers; the names are only for messages. */
typedef struct emh_source_ctx {
	git_repository *repo;  /* the opened repository */
	git_odb *odb;          /* its object database, to size blobs before loading */
	const char *repo_name; /* repository as the caller named it, "." when discovered */
	const char *cpath;     /* criteria folder, trailing slashes removed */
	const char *rev;       /* revspec as given */
	char short_id[8];      /* abbreviated commit id, once the revision is resolved */
	emh_source *out;       /* where files are appended */
	size_t cap;            /* slots allocated in out->files */
	emh_source_filter want; /* which files to keep */
	void *payload;         /* for want */
	unsigned max_depth;    /* folders deeper than this are not read */
	emh_error *err;
} emh_source_ctx;

/*
 * libgit2 keeps its last error per thread and may have none (or a stale one
 * after a success), so this is read only right after a failing call.
 */
static const char *emh_source_git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

static char *emh_source_strndup(const char *s, size_t n)
{
	char *p = emh_malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/*
 * The name a repository gives itself, the same on every machine that
 * clones it: its own (local) git config emheval.source (a maintainer's declared name or
 * URL), else the URL of its origin remote with any user and password cut
 * out. NULL when it has neither (or on memory failure: the name is a label).
 */
static char *emh_source_own_name(git_repository *repo)
{
	git_config *all = NULL, *cfg = NULL;
	git_buf value = GIT_BUF_INIT;
	char *name = NULL;
	/* The repository's own config only: a user's global settings must not rename every repository. */
	if (git_repository_config_snapshot(&all, repo) < 0)
		return NULL;
	int rc = git_config_open_level(&cfg, all, GIT_CONFIG_LEVEL_LOCAL);
	git_config_free(all);
	if (rc < 0)
		return NULL;
	if (git_config_get_string_buf(&value, cfg, "emheval.source") < 0 || !value.size) {
		git_buf_dispose(&value);
		if (git_config_get_string_buf(&value, cfg, "remote.origin.url") < 0)
			value.size = 0;
	}
	if (value.size) {
		const char *url = value.ptr, *scheme = strstr(url, "://");
		const char *host = scheme ? scheme + 3 : url;
		const char *at = strchr(host, '@'), *slash = strchr(host, '/');
		/* "https://user:token@host/x" names the host; "git@host:x" (scp form) keeps its user. */
		if (scheme && at && (!slash || at < slash)) {
			size_t head = (size_t)(host - url), tail = strlen(at + 1);
			name = emh_malloc(head + tail + 1);
			if (name) {
				memcpy(name, url, head);
				memcpy(name + head, at + 1, tail + 1);
			}
		} else {
			name = emh_source_strndup(url, strlen(url));
		}
	}
	git_buf_dispose(&value);
	git_config_free(cfg);
	return name;
}

/*
 * Opens the repository at path, searching upward as git does, so that a folder
 * inside a work tree names its repository and a bare repository opens as is.
 * Returns 0, EMH_ENOTFOUND when no repository holds path, or EMH_EGENERIC
 * (unreadable, not owned by the user, ...).
 */
static int emh_source_open(emh_source_ctx *ctx, const char *path)
{
	int rc = git_repository_open_ext(&ctx->repo, path, 0, NULL);
	if (rc == GIT_ENOTFOUND)
		return emh_error_set(ctx->err, EMH_ENOTFOUND, "not a git repository: %s (%s)",
		                     ctx->repo_name, emh_source_git_message());
	if (rc < 0)
		return emh_error_set(ctx->err, EMH_EGENERIC, "cannot open git repository %s: %s",
		                     ctx->repo_name, emh_source_git_message());
	if (git_repository_odb(&ctx->odb, ctx->repo) < 0)
		return emh_error_set(ctx->err, EMH_EGENERIC,
		                     "cannot open the object database of %s: %s",
		                     ctx->repo_name, emh_source_git_message());
	return 0;
}

/*
 * Resolves ctx->rev to a commit, peeling annotated tags, and records its id.
 * A revspec that names nothing, does not parse, or names a tree or blob is
 * EMH_ENOTFOUND: in every case no commit of that name exists. An ambiguous
 * short id is EMH_EGENERIC since a longer id would find it.
 */
static int emh_source_resolve(emh_source_ctx *ctx, git_commit **out)
{
	git_object *obj = NULL;
	git_object *peeled = NULL;
	int ret = 0;
	int rc = git_revparse_single(&obj, ctx->repo, ctx->rev);
	if (rc == GIT_EAMBIGUOUS) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "revision '%s' is ambiguous in %s (%s)",
		                    ctx->rev, ctx->repo_name, emh_source_git_message());
		goto done;
	}
	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EUNBORNBRANCH) {
		/* Name the repository searched, not ".": never to be taken for another one (issue 15). */
		const char *why = emh_source_git_message();
		const char *at = git_repository_workdir(ctx->repo);
		if (!at)
			at = git_repository_path(ctx->repo);
		int discovered = strcmp(ctx->repo_name, ".") == 0 && at;
		ret = emh_error_set(ctx->err, EMH_ENOTFOUND, "revision '%s' not found in %s%s%s (%s)", ctx->rev,
		                    discovered ? "the repository at " : ctx->repo_name, discovered ? at : "",
		                    discovered ? ", the one holding the current directory" : "", why);
		goto done;
	}
	if (rc < 0) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot resolve revision '%s' in %s: %s",
		                    ctx->rev, ctx->repo_name, emh_source_git_message());
		goto done;
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (rc < 0) {
		ret = emh_error_set(ctx->err, rc == GIT_EINVALIDSPEC || rc == GIT_ENOTFOUND
		                    ? EMH_ENOTFOUND : EMH_EGENERIC,
		                    "revision '%s' in %s is not a commit (%s)",
		                    ctx->rev, ctx->repo_name, emh_source_git_message());
		goto done;
	}
	git_oid_tostr(ctx->out->commit, sizeof ctx->out->commit, git_object_id(peeled));
	memcpy(ctx->short_id, ctx->out->commit, 7);
	ctx->short_id[7] = '\0';
	*out = (git_commit *)peeled;
	peeled = NULL;
done:
	git_object_free(peeled);
	git_object_free(obj);
	return ret;
}

/*
 * Finds the criteria folder in the commit's tree and records its id.
 * Returns 0 with *out set, EMH_ENOTFOUND when the path is missing or is not a
 * folder (a file, symlink or submodule), or EMH_EGENERIC.
 */
static int emh_source_find_folder(emh_source_ctx *ctx, git_commit *commit, git_tree **out)
{
	git_tree *root = NULL;
	git_tree_entry *entry = NULL;
	int ret = 0;
	int rc;

	if (git_commit_tree(&root, commit) < 0) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot read the tree of commit %s in %s: %s",
		                    ctx->out->commit, ctx->repo_name, emh_source_git_message());
		goto done;
	}
	rc = git_tree_entry_bypath(&entry, root, ctx->cpath);
	if (rc == GIT_ENOTFOUND) {
		ret = emh_error_set(ctx->err, EMH_ENOTFOUND, "no folder '%s' in %s at %s (commit %s)",
		                    ctx->cpath, ctx->repo_name, ctx->rev, ctx->short_id);
		goto done;
	}
	if (rc < 0) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot look up '%s' in %s at %s (commit %s): %s",
		                    ctx->cpath, ctx->repo_name, ctx->rev, ctx->short_id,
		                    emh_source_git_message());
		goto done;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
		ret = emh_error_set(ctx->err, EMH_ENOTFOUND,
		                    "no folder '%s' in %s at %s (commit %s): it is a file, "
		                    "symlink or submodule", ctx->cpath, ctx->repo_name, ctx->rev,
		                    ctx->short_id);
		goto done;
	}
	if (git_tree_lookup(out, ctx->repo, git_tree_entry_id(entry)) < 0) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot read folder '%s' in %s at %s: %s",
		                    ctx->cpath, ctx->repo_name, ctx->rev, emh_source_git_message());
		goto done;
	}
	git_oid_tostr(ctx->out->tree, sizeof ctx->out->tree, git_tree_entry_id(entry));
done:
	git_tree_entry_free(entry);
	git_tree_free(root);
	return ret;
}

/*
 * Only regular files are criteria (executable or not: the mode bit changes
 * nothing in the bytes). A symlink's blob is its target path, and a submodule
 * is another repository's commit: neither has criteria bytes of this commit,
 * so emh_source_collect_tree refuses both wherever it meets them.
 */
static int emh_source_is_file(const git_tree_entry *e)
{
	git_filemode_t mode = git_tree_entry_filemode(e);
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/*
 * Exactly the rule in docs/criteria-format.md (the name ends in ".json"); an odd
 * name is left for the criteria compiler to reject rather than silently dropped.
 */
static int emh_source_is_json_name(const char *name)
{
	size_t n = strlen(name);
	return n >= 5 && memcmp(name + n - 5, ".json", 5) == 0;
}

/*
 * Appends the blob of e as file path (relative to the criteria folder; taken:
 * freed here on failure, owned by ctx->out on success). The size is read from the object header first so that an oversized blob is
 * refused (EMH_ELIMIT) without being inflated into memory.
 */
static int emh_source_add(emh_source_ctx *ctx, const git_tree_entry *e, char *path)
{
	git_blob *blob = NULL;
	char *data = NULL;
	size_t size;
	size_t hdr_size = 0;
	git_object_t hdr_type = GIT_OBJECT_INVALID;
	int ret = 0;

	if (ctx->out->nfiles >= EMH_SOURCE_MAX_FILES) {
		ret = emh_error_set(ctx->err, EMH_ELIMIT, "%s in %s at %s (commit %s) holds more than %u files",
		                    ctx->cpath, ctx->repo_name, ctx->rev, ctx->short_id, EMH_SOURCE_MAX_FILES);
		goto done;
	}

	if (git_odb_read_header(&hdr_size, &hdr_type, ctx->odb, git_tree_entry_id(e)) < 0 ||
	    hdr_type != GIT_OBJECT_BLOB) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot read %s/%s in %s at %s (commit %s): %s",
		                    ctx->cpath, path, ctx->repo_name, ctx->rev, ctx->short_id,
		                    hdr_type == GIT_OBJECT_INVALID || hdr_type == GIT_OBJECT_BLOB
		                    ? emh_source_git_message() : "not a blob");
		goto done;
	}
	if (hdr_size > EMH_SOURCE_MAX_FILE) {
		char label[600];
		emh_source_file_label(ctx->out, path, label, sizeof label);
		emh_error_locate(ctx->err, label, 0, 0, NULL);
		ret = emh_error_set(ctx->err, EMH_ELIMIT,
		                    "%s/%s in %s at %s (commit %s) is %zu bytes, more than the "
		                    "%u-byte limit for a criteria file", ctx->cpath, path,
		                    ctx->repo_name, ctx->rev, ctx->short_id, hdr_size,
		                    EMH_SOURCE_MAX_FILE);
		goto done;
	}
	if (git_blob_lookup(&blob, ctx->repo, git_tree_entry_id(e)) < 0) {
		ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot read %s/%s in %s at %s (commit %s): %s",
		                    ctx->cpath, path, ctx->repo_name, ctx->rev, ctx->short_id,
		                    emh_source_git_message());
		goto done;
	}
	/* Re-checked: the header is what the odb claims, the blob is what we copy. */
	if (git_blob_rawsize(blob) > EMH_SOURCE_MAX_FILE) {
		ret = emh_error_set(ctx->err, EMH_ELIMIT, "%s/%s in %s at %s (commit %s) is larger than "
		                    "the %u-byte limit for a criteria file", ctx->cpath, path,
		                    ctx->repo_name, ctx->rev, ctx->short_id, EMH_SOURCE_MAX_FILE);
		goto done;
	}
	size = (size_t)git_blob_rawsize(blob);
	data = emh_source_strndup(git_blob_rawcontent(blob), size);
	if (!data)
		goto oom;

	if (ctx->out->nfiles == ctx->cap) {
		size_t ncap = ctx->cap ? ctx->cap * 2 : 16;
		emh_source_file *files = emh_realloc(ctx->out->files, ncap * sizeof *files);
		if (!files)
			goto oom;
		ctx->out->files = files;
		ctx->cap = ncap;
	}
	ctx->out->files[ctx->out->nfiles].path = path;
	ctx->out->files[ctx->out->nfiles].data = data;
	ctx->out->files[ctx->out->nfiles].len = size;
	ctx->out->nfiles++;
	path = NULL;
	data = NULL;
	goto done;
oom:
	ret = emh_error_set(ctx->err, EMH_EGENERIC, "out of memory reading criteria from %s",
	                    ctx->repo_name);
done:
	free(data);
	free(path);
	git_blob_free(blob);
	return ret;
}

/* "DIR/NAME", or "NAME" at the top; NULL when out of memory. */
static char *emh_source_join(const char *dir, const char *name)
{
	size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
	char *p = emh_malloc(n);
	if (p)
		snprintf(p, n, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
	return p;
}

/*
 * Collects the wanted files of one folder (dir: its path relative to the
 * criteria folder, NULL for the criteria folder itself) and of its folders,
 * down to ctx->max_depth levels.
 */
static int emh_source_collect_tree(emh_source_ctx *ctx, const git_tree *tree, const char *dir,
                                   unsigned depth)
{
	int ret = 0;
	for (size_t i = 0, n = git_tree_entrycount(tree); i < n && ret == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		char *path = emh_source_join(dir, git_tree_entry_name(e));
		if (!path)
			return emh_error_set(ctx->err, EMH_EGENERIC, "out of memory reading criteria from %s",
			                     ctx->repo_name);
		git_filemode_t mode = git_tree_entry_filemode(e);
		if (mode == GIT_FILEMODE_LINK || mode == GIT_FILEMODE_COMMIT) {
			/*
			 * Not skipped: a criterion committed as a symlink (or inside a
			 * submodule) would silently drop out of the set.
			 */
			char label[600];
			emh_source_file_label(ctx->out, path, label, sizeof label);
			ret = emh_error_set(ctx->err, EMH_EUNSAFE,
			                    "a %s, not a regular file or folder: every entry of a criteria "
			                    "tree must be one, so that nothing in it is skipped or read from "
			                    "elsewhere", mode == GIT_FILEMODE_LINK ? "symlink" : "submodule (gitlink)");
			emh_error_locate(ctx->err, label, 0, 0, NULL);
			free(path);
			return ret;
		}
		if (mode == GIT_FILEMODE_TREE && depth < ctx->max_depth) {
			git_tree *sub = NULL;
			if (git_tree_lookup(&sub, ctx->repo, git_tree_entry_id(e)) < 0)
				ret = emh_error_set(ctx->err, EMH_EGENERIC, "cannot read folder %s/%s in %s at %s: %s",
				                    ctx->cpath, path, ctx->repo_name, ctx->rev,
				                    emh_source_git_message());
			else
				ret = emh_source_collect_tree(ctx, sub, path, depth + 1);
			git_tree_free(sub);
		} else if (emh_source_is_file(e) && ctx->want(path, ctx->payload)) {
			ret = emh_source_add(ctx, e, path);
			path = NULL; /* emh_source_add took it */
		}
		free(path);
	}
	return ret;
}

/* Collects the wanted files of the criteria tree; framework.json must be there. */
static int emh_source_collect(emh_source_ctx *ctx, const git_tree *tree)
{
	const git_tree_entry *fw = git_tree_entry_byname(tree, EMH_SOURCE_FRAMEWORK);
	if (!fw || !emh_source_is_file(fw))
		return emh_error_set(ctx->err, EMH_ENOTFOUND,
		                     "no file '%s/" EMH_SOURCE_FRAMEWORK "' in %s at %s (commit %s)",
		                     ctx->cpath, ctx->repo_name, ctx->rev, ctx->short_id);
	return emh_source_collect_tree(ctx, tree, NULL, 1);
}

int emh_source_is_criteria_path(const char *path)
{
	if (strcmp(path, EMH_SOURCE_FRAMEWORK) == 0 || strcmp(path, EMH_SOURCE_TRACKERS) == 0)
		return 1;
	const char *slash = strchr(path, '/');
	return slash && slash != path && !strchr(slash + 1, '/') && emh_source_is_json_name(slash + 1);
}

static int emh_source_want_criteria(const char *path, void *payload)
{
	(void)payload;
	return emh_source_is_criteria_path(path);
}

static int emh_source_cmp(const void *a, const void *b)
{
	const emh_source_file *fa = a;
	const emh_source_file *fb = b;
	return strcmp(fa->path, fb->path);
}

int emh_source_read(emh_source *out, const char *repo, const char *criteria_path,
                    const char *rev, emh_error *err)
{
	return emh_source_read_files(out, repo, criteria_path, rev, emh_source_want_criteria, NULL, 2, err);
}

int emh_source_read_files(emh_source *out, const char *repo, const char *criteria_path,
                          const char *rev, emh_source_filter want, void *payload,
                          unsigned max_depth, emh_error *err)
{
	emh_source_ctx ctx;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	char *cpath = NULL;
	size_t cplen;
	int ret = 0;
	int inited;

	*out = (emh_source)EMH_SOURCE_INIT;
	memset(&ctx, 0, sizeof ctx);
	ctx.repo_name = repo ? repo : ".";
	ctx.rev = rev ? rev : "HEAD";
	ctx.out = out;
	ctx.err = err;
	ctx.want = want;
	ctx.payload = payload;
	ctx.max_depth = max_depth ? max_depth : 1;

	/* "criteria/" and "criteria" name the same folder, and labels join with '/'. */
	if (!criteria_path)
		criteria_path = "criteria";
	cplen = strlen(criteria_path);
	while (cplen > 1 && criteria_path[cplen - 1] == '/')
		cplen--;
	cpath = emh_source_strndup(criteria_path, cplen);
	out->repository = emh_source_strndup(ctx.repo_name, strlen(ctx.repo_name));
	out->rev = emh_source_strndup(ctx.rev, strlen(ctx.rev));
	out->criteria_path = cpath ? emh_source_strndup(cpath, cplen) : NULL;
	ctx.cpath = cpath;

	/* Refcounted by libgit2, so pairing it here is safe beside other users. */
	inited = git_libgit2_init();
	if (inited < 0) {
		ret = emh_error_set(err, EMH_EGENERIC, "cannot initialise libgit2: %s",
		                    emh_source_git_message());
		goto done;
	}
	if (!cpath || !out->repository || !out->rev || !out->criteria_path) {
		ret = emh_error_set(err, EMH_EGENERIC, "out of memory reading criteria from %s",
		                    ctx.repo_name);
		goto done;
	}
	if ((ret = emh_source_open(&ctx, ctx.repo_name)) < 0 ||
	    (ret = emh_source_resolve(&ctx, &commit)) < 0 ||
	    (ret = emh_source_find_folder(&ctx, commit, &tree)) < 0 ||
	    (ret = emh_source_collect(&ctx, tree)) < 0)
		goto done;
	out->name = emh_source_own_name(ctx.repo);

	/* Byte-wise order by full path, so no consumer depends on git's tree order. */
	if (out->nfiles > 1)
		qsort(out->files, out->nfiles, sizeof *out->files, emh_source_cmp);
done:
	git_tree_free(tree);
	git_commit_free(commit);
	git_odb_free(ctx.odb);
	git_repository_free(ctx.repo);
	if (inited >= 0)
		git_libgit2_shutdown();
	free(cpath);
	if (ret < 0)
		emh_source_dispose(out);
	return ret;
}

void emh_source_dispose(emh_source *src)
{
	if (!src)
		return;
	for (size_t i = 0; i < src->nfiles; i++) {
		free(src->files[i].path);
		free(src->files[i].data);
	}
	free(src->files);
	free(src->repository);
	free(src->name);
	free(src->criteria_path);
	free(src->rev);
	*src = (emh_source)EMH_SOURCE_INIT;
}

void emh_source_file_label(const emh_source *src, const char *path, char *dst,
                           size_t size)
{
	const char *folder = src && src->criteria_path ? src->criteria_path : "criteria";
	if (!dst || size == 0)
		return;
	if (src && src->commit[0])
		snprintf(dst, size, "%s/%s@%.7s", folder, path ? path : "", src->commit);
	else
		snprintf(dst, size, "%s/%s", folder, path ? path : "");
}
