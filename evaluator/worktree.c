/*
 * worktree.c - the criteria folder as it is on disk, for the gate.
 *
 * lint, test and impact read criteria from git at a commit, never from the
 * work tree, so a maintainer who edits a criterion and runs them sees results
 * for the committed text. This file tells them so (the folder's uncommitted
 * changes, from git status) and, on request (--worktree), makes the files on
 * disk readable the usual way: a snapshot commit of HEAD with the criteria
 * folder replaced by the work tree's, written to the object database but to
 * no branch and not to the index file, so everything downstream still reads
 * (repository, commit) and names what it judged.
 */
#include <git2.h>
#include <string.h>
#include "emheval/gate.h"

static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

/* Opens the repository (searching upward, as git does) and copies the folder without trailing slashes. */
static int open_repo(git_repository **repo, char *cpath, size_t size, const emh_gate_source *src,
                     emh_error *err)
{
	const char *name = src->repository ? src->repository : ".";
	const char *path = src->path ? src->path : "criteria";
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n >= size)
		return emh_error_set(err, EMH_ELIMIT, "criteria path too long: %s", path);
	memcpy(cpath, path, n);
	cpath[n] = '\0';
	int rc = git_repository_open_ext(repo, name, 0, NULL);
	if (rc == GIT_ENOTFOUND)
		return emh_error_set(err, EMH_ENOTFOUND, "not a git repository: %s (%s)", name, git_message());
	if (rc < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot open git repository %s: %s", name, git_message());
	return 0;
}

static const char *change_name(unsigned status)
{
	if (status & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW))
		return "new";
	if (status & (GIT_STATUS_WT_DELETED | GIT_STATUS_INDEX_DELETED))
		return "deleted";
	if (status & (GIT_STATUS_WT_RENAMED | GIT_STATUS_INDEX_RENAMED))
		return "renamed";
	return "modified";
}

int emh_gate_worktree_changes(emh_buf *files, size_t *count, const emh_gate_source *src, emh_error *err)
{
	*count = 0;
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	char cpath[4096];
	int ret = 0;
	if (git_libgit2_init() < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot initialise libgit2: %s", git_message());
	if ((ret = open_repo(&repo, cpath, sizeof cpath, src, err)) != 0)
		goto done;
	if (git_repository_is_bare(repo))
		goto done; /* no work tree: nothing can be uncommitted */
	char *spec[] = { cpath };
	git_status_options so;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	so.pathspec.strings = spec;
	so.pathspec.count = 1;
	if (git_status_list_new(&list, repo, &so) < 0) {
		ret = emh_error_set(err, EMH_EGENERIC, "cannot read the status of %s: %s", cpath, git_message());
		goto done;
	}
	size_t n = git_status_list_entrycount(list);
	for (size_t i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		if (!d || e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED))
			continue;
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
		emh_buf_appendf(files, "%s%s (%s)", *count ? ", " : "", path, change_name(e->status));
		(*count)++;
	}
done:
	git_status_list_free(list);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

int emh_gate_worktree_snapshot(char commit[41], const emh_gate_source *src, emh_error *err)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_commit *head = NULL;
	git_tree *head_tree = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, commit_id;
	char cpath[4096];
	int ret = 0;
	commit[0] = '\0';
	if (git_libgit2_init() < 0)
		return emh_error_set(err, EMH_EGENERIC, "cannot initialise libgit2: %s", git_message());
	if ((ret = open_repo(&repo, cpath, sizeof cpath, src, err)) != 0)
		goto done;
	if (git_repository_is_bare(repo)) {
		ret = emh_error_set(err, EMH_EINVALID, "--worktree: %s is a bare repository (it has no work tree)",
		                    src->repository ? src->repository : ".");
		goto done;
	}
	if (git_revparse_single((git_object **)&head, repo, "HEAD^{commit}") < 0 ||
	    git_commit_tree(&head_tree, head) < 0) {
		ret = emh_error_set(err, EMH_ENOTFOUND, "--worktree: no HEAD commit in %s (%s)",
		                    src->repository ? src->repository : ".", git_message());
		goto done;
	}
	/*
	 * The repository's index object, reset in memory to HEAD's tree and given the folder's files as on disk
	 * (new, changed and deleted; ignored files stay out); it is never written back to .git/index.
	 */
	char *spec[] = { cpath };
	git_strarray paths = { spec, 1 };
	if (git_repository_index(&index, repo) < 0 || git_index_read_tree(index, head_tree) < 0 ||
	    git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_update_all(index, &paths, NULL, NULL) < 0 ||
	    git_index_write_tree(&tree_id, index) < 0 || git_tree_lookup(&tree, repo, &tree_id) < 0) {
		ret = emh_error_set(err, EMH_EGENERIC, "--worktree: cannot read the files of %s on disk: %s", cpath,
		                    git_message());
		goto done;
	}
	/* A fixed author and date: the same files on disk give the same snapshot commit. */
	const git_commit *parents[] = { head };
	if (git_signature_new(&sig, "emheval", "emheval@localhost", 0, 0) < 0 ||
	    git_commit_create(&commit_id, repo, NULL, sig, sig, NULL, "emheval --worktree: the work tree as is\n",
	                      tree, 1, parents) < 0) {
		ret = emh_error_set(err, EMH_EGENERIC, "--worktree: cannot record the work tree's files: %s",
		                    git_message());
		goto done;
	}
	git_oid_tostr(commit, 41, &commit_id);
done:
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(head_tree);
	git_commit_free(head);
	git_index_free(index);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
