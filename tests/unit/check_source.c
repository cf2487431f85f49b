/*
 * check_source.c - unit tests for evaluator/source.c (criteria read from git).
 *
 * The fixture is a real repository built with the git CLI in a temporary folder,
 * once per test case: three commits, an annotated tag, a branch, a symlink and a
 * submodule entry, fixture files deeper than DOMAIN/, a bare clone, and finally
 * a dirty working tree (edited, staged, deleted and untracked files). Using git
 * itself rather than libgit2 to build it means the ids we compare against are
 * the ones a user would see from `git rev-parse`. The host's git configuration
 * is kept out (HOME, GIT_CONFIG_NOSYSTEM) so that hooks, signing or templates
 * there cannot change the fixture.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define EMH_TEST_GATE_FIXTURES
#include "helpers.h"
#include "evaluator/source.h"

#define FW_TEXT "{\"name\":\"fixture\",\"version\":\"1\"}\n"
#define DP1_TEXT(n) "{\"id\":\"DP-1\",\"rev\":" #n "}\n"
#define MIB 1048576u

static char *g_tmp;        /* temporary folder holding everything below */
static char g_home[4200];  /* empty HOME for git */
static char g_work[4200];  /* the work tree */
static char g_bare[4200];  /* bare clone of it */
static char g_c1[41], g_c2[41], g_c3[41]; /* commits one, two, three */

/* Runs a shell command in dir with a clean git environment; `g` is git with an identity. */
__attribute__((format(printf, 2, 3)))
static int emh_git(const char *dir, const char *fmt, ...)
{
	char cmd[6000];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return emh_test_sh("export HOME='%s' GIT_CONFIG_NOSYSTEM=1; "
	                   "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY "
	                   "GIT_CEILING_DIRECTORIES; "
	                   "g() { git -c user.name=emheval-test -c user.email=test@emheval.invalid "
	                   "-c commit.gpgsign=false -c tag.gpgsign=false -c init.defaultBranch=main "
	                   "-c core.autocrlf=false -c core.symlinks=true \"$@\"; }; "
	                   "cd '%s' && %s", g_home, dir, cmd);
}

/* Runs a git command like emh_git and returns the first line it printed. */
__attribute__((format(printf, 4, 5)))
static void emh_git_out(char *dst, size_t size, const char *dir, const char *fmt, ...)
{
	char cmd[5000], path[4300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	snprintf(path, sizeof path, "%s/out.txt", g_tmp);
	ck_assert_int_eq(emh_git(dir, "%s > '%s'", cmd, path), 0);
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	dst[0] = '\0';
	if (fgets(dst, (int)size, f))
		dst[strcspn(dst, "\r\n")] = '\0';
	fclose(f);
}

/* Writes n bytes of 'x' to dir/rel (a blob of an exact size). */
static void emh_write_size(const char *dir, const char *rel, unsigned n)
{
	ck_assert_int_eq(emh_git(dir, "head -c %u /dev/zero | tr '\\000' x > '%s'", n, rel), 0);
}

static void setup_repo(void)
{
	g_tmp = emh_test_tmpdir();
	snprintf(g_home, sizeof g_home, "%s/home", g_tmp);
	snprintf(g_work, sizeof g_work, "%s/work", g_tmp);
	snprintf(g_bare, sizeof g_bare, "%s/bare.git", g_tmp);
	ck_assert_int_eq(emh_git(g_tmp, "mkdir home && g init -q work"), 0);

	/* One: the first criteria set, with things that are not criteria around it. */
	emh_test_write(g_work, "README.md", "# fixture\n");
	emh_test_write(g_work, "criteria/framework.json", FW_TEXT);
	emh_test_write(g_work, "criteria/README.md", "not a criterion\n");
	emh_test_write(g_work, "criteria/top.json", "{\"top\":true}\n");
	emh_test_write(g_work, "criteria/privacy/DP-1.json", DP1_TEXT(1));
	emh_test_write(g_work, "criteria/privacy/notes.txt", "notes\n");
	emh_test_write(g_work, "criteria/privacy/fixtures/deep.json", "{\"deep\":true}\n");
	emh_test_write(g_work, "config/rules/framework.json", "{\"rules\":true}\n");
	emh_test_write(g_work, "config/rules/x/R-1.json", "{\"id\":\"R-1\"}\n");
	emh_test_write(g_work, "config/rules/x/more/R-2.json", "{\"id\":\"R-2\"}\n");
	emh_test_write(g_work, "nofw/privacy/DP-1.json", DP1_TEXT(1));
	ck_assert_int_eq(emh_git(g_work, "g add -A && g commit -qm one && "
	                         "g tag -a v1.0.0 -m 'version one'"), 0);

	/*
	 * Two: new domains and an executable file. Its branch "links" adds a symlink
	 * and a submodule whose names end in .json (refused), off the main line;
	 * branch "sub" after it removes the symlink.
	 */
	emh_test_write(g_work, "criteria/privacy/DP-1.json", DP1_TEXT(2));
	emh_test_write(g_work, "criteria/clinical/CS-1.json", "{\"id\":\"CS-1\"}\n");
	emh_test_write(g_work, "criteria/zeta/Z-1.json", "{\"id\":\"Z-1\"}\n");
	/* The submodule is index-only, so it goes in after `add -A` (which would drop it). */
	ck_assert_int_eq(emh_git(g_work, "chmod +x criteria/zeta/Z-1.json && g add -A && "
	                         "g commit -qm two && g branch release && g checkout -q -b links && "
	                         "ln -s DP-1.json criteria/privacy/LINK.json && g add -A && "
	                         "g update-index --add --cacheinfo "
	                         "160000,$(g rev-parse HEAD),criteria/privacy/SUB.json && "
	                         "g commit -qm links && g checkout -q -b sub && "
	                         "g rm -q criteria/privacy/LINK.json && g commit -qm nolink && "
	                         "g checkout -q main"), 0);

	/* Three: names whose byte order differs from a naive guess, and size limits. */
	emh_test_write(g_work, "criteria/privacy/DP-1.json", DP1_TEXT(3));
	emh_test_write(g_work, "criteria/privacy/DP-10.json", "{\"id\":\"DP-10\"}\n");
	emh_test_write(g_work, "criteria/Alpha/A-1.json", "{\"id\":\"A-1\"}\n");
	emh_test_write(g_work, "bigset/framework.json", FW_TEXT);
	ck_assert_int_eq(emh_git(g_work, "mkdir -p okset bigset/big"), 0);
	emh_write_size(g_work, "okset/framework.json", MIB);
	emh_write_size(g_work, "bigset/big/B.json", MIB + 1);
	ck_assert_int_eq(emh_git(g_work, "g add -A && g commit -qm three && "
	                         "g clone -q --bare . '%s'", g_bare), 0);

	emh_git_out(g_c1, sizeof g_c1, g_work, "g rev-parse 'v1.0.0^{commit}'");
	emh_git_out(g_c2, sizeof g_c2, g_work, "g rev-parse release");
	emh_git_out(g_c3, sizeof g_c3, g_work, "g rev-parse HEAD");

	/* A dirty working tree: none of this may reach a read. */
	emh_test_write(g_work, "criteria/framework.json", "{\"staged\":true}\n");
	ck_assert_int_eq(emh_git(g_work, "g add criteria/framework.json && "
	                         "rm criteria/zeta/Z-1.json"), 0);
	emh_test_write(g_work, "criteria/framework.json", "{\"edited\":true}\n");
	emh_test_write(g_work, "criteria/privacy/DP-1.json", DP1_TEXT(999));
	emh_test_write(g_work, "criteria/privacy/NEW.json", "{\"id\":\"NEW\"}\n");
}

static void teardown_repo(void)
{
	emh_test_rmtree(g_tmp);
	free(g_tmp);
	g_tmp = NULL;
}

static const emh_source_file *find_file(const emh_source *src, const char *path)
{
	for (size_t i = 0; i < src->nfiles; i++)
		if (strcmp(src->files[i].path, path) == 0)
			return &src->files[i];
	return NULL;
}

static void assert_content(const emh_source *src, const char *path, const char *text)
{
	const emh_source_file *f = find_file(src, path);
	ck_assert_msg(f != NULL, "%s missing", path);
	ck_assert_uint_eq(f->len, strlen(text));
	ck_assert_int_eq(f->data[f->len], '\0');
	ck_assert_str_eq(f->data, text);
}

/* Asserts the file list is exactly paths[0..n), in that order. */
static void assert_paths(const emh_source *src, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < src->nfiles && i < n; i++)
		ck_assert_str_eq(src->files[i].path, paths[i]);
	ck_assert_uint_eq(src->nfiles, n);
	for (size_t i = 1; i < src->nfiles; i++)
		ck_assert_int_lt(strcmp(src->files[i - 1].path, src->files[i].path), 0);
}

/* A failed read leaves *out empty. */
static void assert_empty(const emh_source *src)
{
	ck_assert_ptr_null(src->files);
	ck_assert_uint_eq(src->nfiles, 0);
	ck_assert_ptr_null(src->repository);
	ck_assert_ptr_null(src->criteria_path);
	ck_assert_ptr_null(src->rev);
	ck_assert_str_eq(src->commit, "");
}

START_TEST(test_source_head_defaults)
{
	static const char *const want[] = {
		"Alpha/A-1.json", "clinical/CS-1.json", "framework.json",
		"privacy/DP-1.json", "privacy/DP-10.json", "zeta/Z-1.json",
	};
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char tree[64];

	EMH_PASS(emh_source_read(&src, g_work, NULL, NULL, &err), &err);
	ck_assert_str_eq(src.repository, g_work);
	ck_assert_str_eq(src.criteria_path, "criteria");
	ck_assert_str_eq(src.rev, "HEAD");
	ck_assert_str_eq(src.commit, g_c3);
	emh_git_out(tree, sizeof tree, g_work, "g rev-parse HEAD:criteria");
	ck_assert_str_eq(src.tree, tree);
	assert_paths(&src, want, sizeof want / sizeof want[0]);
	assert_content(&src, "framework.json", FW_TEXT);
	assert_content(&src, "privacy/DP-1.json", DP1_TEXT(3));
	emh_source_dispose(&src);
}
END_TEST

/* Edited, staged, deleted and untracked files in the work tree change nothing. */
START_TEST(test_source_ignores_working_tree)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char status[256];

	/* The fixture really is dirty, or this test proves nothing. */
	emh_git_out(status, sizeof status, g_work, "g status --porcelain | wc -l | tr -d ' '");
	ck_assert_str_eq(status, "4");

	EMH_PASS(emh_source_read(&src, g_work, NULL, "HEAD", &err), &err);
	assert_content(&src, "framework.json", FW_TEXT);
	assert_content(&src, "privacy/DP-1.json", DP1_TEXT(3));
	ck_assert_ptr_nonnull(find_file(&src, "zeta/Z-1.json"));
	ck_assert_ptr_null(find_file(&src, "privacy/NEW.json"));
	emh_source_dispose(&src);
}
END_TEST

/* Tag, branch, full and short ids, and relative revspecs pick the right commit. */
START_TEST(test_source_rev_selects_commit)
{
	struct { const char *rev; const char *commit; const char *dp1; size_t nfiles; } cases[] = {
		{ "v1.0.0", g_c1, DP1_TEXT(1), 2 },  /* annotated tag, peeled */
		{ "release", g_c2, DP1_TEXT(2), 4 }, /* branch */
		{ g_c1, g_c1, DP1_TEXT(1), 2 },      /* full id */
		{ NULL, g_c2, DP1_TEXT(2), 4 },      /* short id, filled in below */
		{ "HEAD~1", g_c2, DP1_TEXT(2), 4 },
		{ "main", g_c3, DP1_TEXT(3), 6 },
	};
	char short2[8];
	memcpy(short2, g_c2, 7);
	short2[7] = '\0';
	cases[3].rev = short2;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		emh_source src = EMH_SOURCE_INIT;
		emh_error err = EMH_ERROR_INIT;
		char commit[64], tree[64];

		EMH_PASS(emh_source_read(&src, g_work, "criteria", cases[i].rev, &err), &err);
		emh_git_out(commit, sizeof commit, g_work, "g rev-parse '%s^{commit}'", cases[i].rev);
		emh_git_out(tree, sizeof tree, g_work, "g rev-parse '%s:criteria'", cases[i].rev);
		ck_assert_str_eq(commit, cases[i].commit);
		ck_assert_str_eq(src.commit, commit);
		ck_assert_str_eq(src.tree, tree);
		ck_assert_str_eq(src.rev, cases[i].rev);
		ck_assert_uint_eq(src.nfiles, cases[i].nfiles);
		assert_content(&src, "privacy/DP-1.json", cases[i].dp1);
		emh_source_dispose(&src);
	}
}
END_TEST

/* Deeper fixtures, non-.json files and top-level .json are skipped; an executable file is read. */
START_TEST(test_source_skips_non_criteria)
{
	static const char *const want[] = {
		"clinical/CS-1.json", "framework.json", "privacy/DP-1.json", "zeta/Z-1.json",
	};
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char modes[256];

	emh_git_out(modes, sizeof modes, g_work,
	            "g ls-tree -r release criteria | cut -c1-6 | sort -u | tr '\\n' ' '");
	ck_assert_str_eq(modes, "100644 100755 ");

	EMH_PASS(emh_source_read(&src, g_work, NULL, "release", &err), &err);
	assert_paths(&src, want, sizeof want / sizeof want[0]);
	emh_source_dispose(&src);
}
END_TEST

/* A symlink or a submodule in the criteria tree is an error naming it, never skipped. */
START_TEST(test_source_refuses_links)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char modes[256];

	/* The symlink and submodule entries really are in branch links. */
	emh_git_out(modes, sizeof modes, g_work,
	            "g ls-tree -r links criteria | cut -c1-6 | sort -u | tr '\\n' ' '");
	ck_assert_str_eq(modes, "100644 100755 120000 160000 ");

	ck_assert_int_eq(emh_source_read(&src, g_work, NULL, "links", &err), EMH_EUNSAFE);
	ck_assert_ptr_nonnull(strstr(err.file, "criteria/privacy/LINK.json@"));
	ck_assert_ptr_nonnull(strstr(err.message, "a symlink, not a regular file or folder"));
	emh_source_dispose(&src);
	/* Without the symlink, the submodule is found. */
	emh_error_clear(&err);
	ck_assert_int_eq(emh_source_read(&src, g_work, NULL, "sub", &err), EMH_EUNSAFE);
	ck_assert_ptr_nonnull(strstr(err.file, "criteria/privacy/SUB.json@"));
	ck_assert_ptr_nonnull(strstr(err.message, "a submodule (gitlink)"));
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_bare_clone)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;

	EMH_PASS(emh_source_read(&src, g_bare, NULL, "v1.0.0", &err), &err);
	ck_assert_str_eq(src.commit, g_c1);
	assert_content(&src, "privacy/DP-1.json", DP1_TEXT(1));
	emh_source_dispose(&src);

	EMH_PASS(emh_source_read(&src, g_bare, NULL, NULL, &err), &err);
	ck_assert_str_eq(src.commit, g_c3);
	ck_assert_uint_eq(src.nfiles, 6);
	emh_source_dispose(&src);
}
END_TEST

/* repo NULL finds the repository from the current directory; a subfolder path works too. */
START_TEST(test_source_discovery)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char cwd[4096], sub[4300];
	int rc;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	snprintf(sub, sizeof sub, "%s/criteria/privacy", g_work);
	ck_assert_int_eq(chdir(sub), 0);
	rc = emh_source_read(&src, NULL, NULL, "release", &err);
	/* Back before asserting, so a failure cannot strand later suites (CK_FORK=no). */
	ck_assert_int_eq(chdir(cwd), 0);
	EMH_PASS(rc, &err);
	ck_assert_str_eq(src.repository, ".");
	ck_assert_str_eq(src.commit, g_c2);
	emh_source_dispose(&src);

	snprintf(sub, sizeof sub, "%s/criteria", g_work);
	EMH_PASS(emh_source_read(&src, sub, NULL, NULL, &err), &err);
	ck_assert_str_eq(src.repository, sub);
	ck_assert_str_eq(src.commit, g_c3);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_other_criteria_path)
{
	static const char *const want[] = { "framework.json", "x/R-1.json" };
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char tree[64], label[256], expect[256];

	EMH_PASS(emh_source_read(&src, g_work, "config/rules", "v1.0.0", &err), &err);
	ck_assert_str_eq(src.criteria_path, "config/rules");
	assert_paths(&src, want, 2);
	assert_content(&src, "framework.json", "{\"rules\":true}\n");
	emh_git_out(tree, sizeof tree, g_work, "g rev-parse 'v1.0.0:config/rules'");
	ck_assert_str_eq(src.tree, tree);
	emh_source_file_label(&src, "x/R-1.json", label, sizeof label);
	snprintf(expect, sizeof expect, "config/rules/x/R-1.json@%.7s", g_c1);
	ck_assert_str_eq(label, expect);
	emh_source_dispose(&src);

	/* A trailing slash names the same folder and does not double up in labels. */
	EMH_PASS(emh_source_read(&src, g_work, "config/rules/", "v1.0.0", &err), &err);
	ck_assert_str_eq(src.criteria_path, "config/rules");
	ck_assert_str_eq(src.tree, tree);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_not_a_repository)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char path[4300], expect[4400];

	snprintf(path, sizeof path, "%s/plain", g_tmp);
	ck_assert_int_eq(emh_git(g_tmp, "mkdir -p plain"), 0);
	/* Discovery searches upward; only meaningful when TMPDIR is outside any repository. */
	if (emh_git(path, "g rev-parse --git-dir >/dev/null 2>&1") != 0) {
		ck_assert_int_eq(emh_source_read(&src, path, NULL, NULL, &err), EMH_ENOTFOUND);
		ck_assert_int_eq(err.code, EMH_ENOTFOUND);
		snprintf(expect, sizeof expect, "not a git repository: %s (", path);
		ck_assert_msg(strncmp(err.message, expect, strlen(expect)) == 0, "%s", err.message);
		assert_empty(&src);
		emh_source_dispose(&src);
	}

	snprintf(path, sizeof path, "%s/does-not-exist", g_tmp);
	ck_assert_int_eq(emh_source_read(&src, path, NULL, NULL, &err), EMH_ENOTFOUND);
	snprintf(expect, sizeof expect, "not a git repository: %s (", path);
	ck_assert_msg(strncmp(err.message, expect, strlen(expect)) == 0, "%s", err.message);
	assert_empty(&src);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_unknown_revision)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char expect[4400];

	ck_assert_int_eq(emh_source_read(&src, g_work, NULL, "no-such-rev", &err), EMH_ENOTFOUND);
	ck_assert_int_eq(err.code, EMH_ENOTFOUND);
	snprintf(expect, sizeof expect, "revision 'no-such-rev' not found in %s (", g_work);
	ck_assert_msg(strncmp(err.message, expect, strlen(expect)) == 0, "%s", err.message);
	assert_empty(&src);
	emh_source_dispose(&src);

	/* A revspec that parses but names a tree is no commit either. */
	ck_assert_int_eq(emh_source_read(&src, g_work, NULL, "HEAD^{tree}", &err), EMH_ENOTFOUND);
	ck_assert_msg(strstr(err.message, "is not a commit") != NULL, "%s", err.message);
	assert_empty(&src);
	emh_source_dispose(&src);

	ck_assert_int_eq(emh_source_read(&src, g_work, NULL, "HEAD~10", &err), EMH_ENOTFOUND);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_missing_folder)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char expect[4400];

	ck_assert_int_eq(emh_source_read(&src, g_work, "nope", "v1.0.0", &err), EMH_ENOTFOUND);
	ck_assert_int_eq(err.code, EMH_ENOTFOUND);
	snprintf(expect, sizeof expect, "no folder 'nope' in %s at v1.0.0 (commit %.7s)",
	         g_work, g_c1);
	ck_assert_str_eq(err.message, expect);
	assert_empty(&src);
	emh_source_dispose(&src);

	/* Present at HEAD but not at the older revision. */
	ck_assert_int_eq(emh_source_read(&src, g_work, "okset", "v1.0.0", &err), EMH_ENOTFOUND);
	emh_source_dispose(&src);

	/* A file where a folder is expected. */
	ck_assert_int_eq(emh_source_read(&src, g_work, "README.md", NULL, &err), EMH_ENOTFOUND);
	snprintf(expect, sizeof expect, "no folder 'README.md' in %s at HEAD (commit %.7s)",
	         g_work, g_c3);
	ck_assert_msg(strncmp(err.message, expect, strlen(expect)) == 0, "%s", err.message);
	assert_empty(&src);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_missing_framework)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char expect[4400];

	ck_assert_int_eq(emh_source_read(&src, g_work, "nofw", NULL, &err), EMH_ENOTFOUND);
	ck_assert_int_eq(err.code, EMH_ENOTFOUND);
	snprintf(expect, sizeof expect, "no file 'nofw/framework.json' in %s at HEAD (commit %.7s)",
	         g_work, g_c3);
	ck_assert_str_eq(err.message, expect);
	assert_empty(&src);
	emh_source_dispose(&src);
}
END_TEST

/* Exactly 1 MiB is read; one byte more is refused and the error names the file. */
START_TEST(test_source_size_limit)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char expect[64];

	EMH_PASS(emh_source_read(&src, g_work, "okset", NULL, &err), &err);
	ck_assert_uint_eq(src.nfiles, 1);
	ck_assert_uint_eq(src.files[0].len, MIB);
	ck_assert_int_eq(src.files[0].data[MIB], '\0');
	emh_source_dispose(&src);

	ck_assert_int_eq(emh_source_read(&src, g_work, "bigset", NULL, &err), EMH_ELIMIT);
	ck_assert_int_eq(err.code, EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "bigset/big/B.json") != NULL, "%s", err.message);
	snprintf(expect, sizeof expect, "bigset/big/B.json@%.7s", g_c3);
	ck_assert_str_eq(err.file, expect);
	assert_empty(&src);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_empty_repository)
{
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	char path[4300];

	snprintf(path, sizeof path, "%s/empty", g_tmp);
	ck_assert_int_eq(emh_git(g_tmp, "rm -rf empty && g init -q empty"), 0);
	ck_assert_int_eq(emh_source_read(&src, path, NULL, NULL, &err), EMH_ENOTFOUND);
	ck_assert_msg(strstr(err.message, "revision 'HEAD' not found") != NULL, "%s", err.message);
	assert_empty(&src);
	emh_source_dispose(&src);
}
END_TEST

START_TEST(test_source_label)
{
	emh_source src = EMH_SOURCE_INIT;
	char label[64];

	/* No commit yet: no "@". */
	emh_source_file_label(&src, "privacy/DP-1.json", label, sizeof label);
	ck_assert_str_eq(label, "criteria/privacy/DP-1.json");

	snprintf(src.commit, sizeof src.commit, "%s", "1a2b3c4d5e6f77889900aabbccddeeff00112233");
	emh_source_file_label(&src, "privacy/DP-1.json", label, sizeof label);
	ck_assert_str_eq(label, "criteria/privacy/DP-1.json@1a2b3c4");

	/* Truncated, still terminated. */
	emh_source_file_label(&src, "privacy/DP-1.json", label, 9);
	ck_assert_str_eq(label, "criteria");

	/* Disposing an empty source, twice, is harmless. */
	emh_source_dispose(&src);
	emh_source_dispose(&src);
	emh_source_dispose(NULL);
}
END_TEST

/* ---- a filtered read, on the gate's repository (gate fixtures, helpers.h) ----- */

static int want_all(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return 1;
}

START_TEST(gate_source_reads_fixtures_only_when_asked)
{
	base_set();
	put("criteria/alpha/fixtures/A-1.pass.json", "{\"submission\": {\"n\": 3}}\n");
	put("criteria/alpha/fixtures/deeper/x.json", "{}\n");
	commit("c");
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_source_read(&src, g_repo, NULL, NULL, &err), &err);
	for (size_t i = 0; i < src.nfiles; i++)
		ck_assert_msg(emh_source_is_criteria_path(src.files[i].path), "%s read", src.files[i].path);
	ck_assert_uint_eq(src.nfiles, 4);
	emh_source_dispose(&src);
	EMH_PASS(emh_source_read_files(&src, g_repo, NULL, NULL, want_all, NULL, 3, &err), &err);
	ck_assert_uint_eq(src.nfiles, 5); /* the fixture, but nothing four levels down */
	ck_assert_str_eq(src.files[2].path, "alpha/fixtures/A-1.pass.json");
	emh_source_dispose(&src);
	ck_assert(emh_source_is_criteria_path("alpha/A-1.json"));
	ck_assert(!emh_source_is_criteria_path("alpha/fixtures/A-1.pass.json"));
	ck_assert(!emh_source_is_criteria_path("top.json"));
}
END_TEST

Suite *emh_suite_source(void);

Suite *emh_suite_source(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("git");
	TCase *tl = tcase_create("label");

	/* One fixture repository for the case: the tests only read it. */
	tcase_add_unchecked_fixture(tc, setup_repo, teardown_repo);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_source_head_defaults);
	tcase_add_test(tc, test_source_ignores_working_tree);
	tcase_add_test(tc, test_source_rev_selects_commit);
	tcase_add_test(tc, test_source_skips_non_criteria);
	tcase_add_test(tc, test_source_refuses_links);
	tcase_add_test(tc, test_source_bare_clone);
	tcase_add_test(tc, test_source_discovery);
	tcase_add_test(tc, test_source_other_criteria_path);
	tcase_add_test(tc, test_source_not_a_repository);
	tcase_add_test(tc, test_source_unknown_revision);
	tcase_add_test(tc, test_source_missing_folder);
	tcase_add_test(tc, test_source_missing_framework);
	tcase_add_test(tc, test_source_size_limit);
	tcase_add_test(tc, test_source_empty_repository);
	suite_add_tcase(s, tc);

	tcase_add_test(tl, test_source_label);
	suite_add_tcase(s, tl);

	/* A fresh repository per test (the gate fixtures in helpers.h). */
	TCase *tg = tcase_create("gate");
	tcase_set_timeout(tg, 60);
	tcase_add_checked_fixture(tg, setup, teardown);
	tcase_add_test(tg, gate_source_reads_fixtures_only_when_asked);
	suite_add_tcase(s, tg);
	return s;
}
