/*
 * check_find_criteria.c - unit tests for the criteria source a dossier
 * records and for evaluator/audit/find_criteria.c (issue 15): the name a
 * repository gives itself (git config emheval.source, else its origin URL
 * without credentials), its round trip through the dossier, and the search
 * order of emh_dossier_find_criteria: the recorded repository, the sources
 * file, the installed set; --criteria alone when given; the first real error
 * stops the search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "helpers.h"

static void make_repo(const char *repo)
{
	ck_assert_int_eq(emh_test_sh("git init -q '%s' && cp -R data/mini/criteria '%s/criteria' && "
	                             "git -C '%s' add -A && git -C '%s' -c user.name=t -c user.email=t@x "
	                             "commit -qm criteria", repo, repo, repo, repo), 0);
}

static emh_criteria *load_set(const char *repo)
{
	emh_criteria *set = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.repository = repo;
	EMH_PASS(emh_criteria_load(&set, &co, &err), &err);
	return set;
}

static emh_dossier *evaluate_with(const char *repo)
{
	emh_criteria *set = load_set(repo);
	emh_submission *sub = NULL;
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load(&sub, "data/mini/sub-ok", emh_test_unvalidated(), &err), &err);
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = "2026-10-01";
	EMH_PASS(emh_evaluate(&d, set, sub, &eo, &err), &err);
	EMH_PASS(emh_dossier_seal(d, &err), &err);
	emh_submission_free(sub);
	emh_criteria_free(set);
	return d;
}

static const char *source_of(const char *repo)
{
	static char name[256];
	emh_criteria *set = load_set(repo);
	const char *s = emh_criteria_source(set);
	snprintf(name, sizeof name, "%s", s ? s : "(none)");
	emh_criteria_free(set);
	return name;
}

START_TEST(a_repository_names_itself_by_config_or_origin)
{
	char *tmp = emh_test_tmpdir();
	char repo[600];
	snprintf(repo, sizeof repo, "%s/r", tmp);
	make_repo(repo);
	ck_assert_str_eq(source_of(repo), "(none)");
	ck_assert_int_eq(emh_test_sh("git -C '%s' remote add origin https://u:secret@example.org/c.git", repo), 0);
	ck_assert_str_eq(source_of(repo), "https://example.org/c.git");
	ck_assert_int_eq(emh_test_sh("git -C '%s' remote set-url origin git@example.org:reg/c.git", repo), 0);
	ck_assert_str_eq(source_of(repo), "git@example.org:reg/c.git");
	ck_assert_int_eq(emh_test_sh("git -C '%s' config emheval.source uk-regulator/criteria", repo), 0);
	ck_assert_str_eq(source_of(repo), "uk-regulator/criteria");

	/* Recorded in the dossier and read back; absent when there is none. */
	emh_dossier *d = evaluate_with(repo), *back = NULL;
	ck_assert_str_eq(d->criteria_source, "uk-regulator/criteria");
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_JSON, NULL, &err), &err);
	ck_assert_ptr_nonnull(strstr(emh_buf_cstr(&b), "\"source\": \"uk-regulator/criteria\""));
	EMH_PASS(emh_dossier_parse(&back, b.ptr, b.len, "d.json", &err), &err);
	ck_assert_str_eq(back->criteria_source, "uk-regulator/criteria");
	emh_dossier_free(back);
	emh_buf_dispose(&b);
	emh_dossier_free(d);
	emh_test_rmtree(tmp);
	free(tmp);
}
END_TEST

START_TEST(the_search_order_and_no_fallback_from_a_named_repository)
{
	char *tmp = emh_test_tmpdir();
	char repo[600], moved[600], clone[600], other[600], sources[600], found[1024];
	snprintf(repo, sizeof repo, "%s/r", tmp);
	snprintf(moved, sizeof moved, "%s/moved", tmp);
	snprintf(clone, sizeof clone, "%s/installed.git", tmp);
	snprintf(other, sizeof other, "%s/other", tmp);
	snprintf(sources, sizeof sources, "%s/sources", tmp);
	make_repo(repo);
	/* The same files in another commit (a commit of the same files, message and second is the same commit). */
	ck_assert_int_eq(emh_test_sh("git init -q '%s' && cp -R data/mini/criteria '%s/criteria' && "
	                             "git -C '%s' add -A && git -C '%s' -c user.name=t -c user.email=t@x "
	                             "commit -qm other", other, other, other, other), 0);
	emh_dossier *d = evaluate_with(repo);
	ck_assert_ptr_null(d->criteria_source);
	ck_assert_int_eq(emh_test_sh("git clone -q --bare '%s' '%s' && mv '%s' '%s'", repo, clone, repo, moved), 0);
	emh_criteria *set = NULL;
	emh_error err = EMH_ERROR_INIT;

	/* Nothing configured and the recorded repository gone: not found, naming what was tried. */
	emh_criteria_finder f = { NULL, NULL, NULL };
	ck_assert_int_eq(emh_dossier_find_criteria(&set, found, sizeof found, d, &f, NULL, NULL, &err), EMH_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "the dossier names no source"));
	ck_assert_ptr_nonnull(strstr(err.message, "the recorded repository: not a git repository"));
	ck_assert_ptr_nonnull(strstr(err.message, "no installed criteria set"));
	ck_assert_ptr_null(set);

	/* The installed set holds the commit. */
	f.installed = clone;
	emh_error_clear(&err);
	EMH_PASS(emh_dossier_find_criteria(&set, found, sizeof found, d, &f, NULL, NULL, &err), &err);
	ck_assert_str_eq(found, clone);
	emh_criteria_free(set);

	/* A sources file maps the recorded path (no source recorded) and comes before the installed set. */
	char line[1400];
	snprintf(line, sizeof line, "# regulator clones\n\n%s   %s\n", repo, moved);
	emh_test_write(tmp, "sources", line);
	f.sources = sources;
	EMH_PASS(emh_dossier_find_criteria(&set, found, sizeof found, d, &f, NULL, NULL, &err), &err);
	ck_assert_str_eq(found, moved);
	emh_criteria_free(set);

	/* A named repository is the only one tried, even though the others hold the commit. */
	f.repository = other;
	ck_assert_int_eq(emh_dossier_find_criteria(&set, found, sizeof found, d, &f, NULL, NULL, &err), EMH_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, other));
	ck_assert_str_eq(found, "");
	ck_assert_ptr_null(set);
	f.repository = NULL;

	/* A malformed sources file stops the search with its line and column. */
	emh_test_write(tmp, "sources", "name-only\n");
	emh_error_clear(&err);
	ck_assert_int_eq(emh_dossier_find_criteria(&set, found, sizeof found, d, &f, NULL, NULL, &err), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "sources:1:10: expected NAME PATH"));
	ck_assert_ptr_null(set);

	emh_dossier_free(d);
	emh_test_rmtree(tmp);
	free(tmp);
}
END_TEST

Suite *emh_suite_find_criteria(void);
Suite *emh_suite_find_criteria(void)
{
	Suite *s = suite_create("find_criteria");
	TCase *t = tcase_create("core");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, a_repository_names_itself_by_config_or_origin);
	tcase_add_test(t, the_search_order_and_no_fallback_from_a_named_repository);
	suite_add_tcase(s, t);
	return s;
}
