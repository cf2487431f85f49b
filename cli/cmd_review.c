/*
 * cmd_review.c - `emheval review DOSSIER --decisions FILE`: applies a
 * reviewer's decisions and writes the next revision of the dossier,
 * optionally signed and filed in a ledger. Everything is checked (the
 * dossier, the decisions, the criteria it records) before anything is
 * written. The revision goes beside the dossier (NAME.rN.json) unless
 * -o says otherwise, and that default file is never replaced.
 *
 * Exit status as for check: 0 the new revision is approved, 1 it is not,
 * 2 a usage or input error (nothing written).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "cli/commands.h"

static const emh_cli_opt review_opts[] = {
	{ "decisions", 0, "FILE", "the reviewers' signed decisions (a reviews file)", NULL, NULL },
	{ "reviewers", 0, "REPO[:PATH]", "who may decide: roles and keys, read from git at HEAD",
	  "reviewers.json beside framework.json, in the repository the criteria were found in", NULL },
	{ "output", 'o', "FILE", "write the revision to FILE (atomically, replacing it); - is standard output",
	  "NAME.rN.json beside the dossier, N the new revision; never replaces a file", NULL },
	{ "sign-key", 0, "KEY", "sign the new revision (the envelope goes beside its file, and into --ledger)", NULL, NULL },
	{ "ledger", 0, "REPO", "file the new revision in a git ledger, created if absent", NULL, NULL },
	{ "criteria", 0, "REPO", "criteria repository, the only one tried", "found as verify finds it: the recorded "
	  "one, the sources file's, the installed set (docs/dossier.md)", NULL },
};
static const emh_cli_group review_group = EMH_CLI_GROUP("review options", review_opts, 0);
static const emh_cli_group *const review_groups[] = { &review_group, NULL };
const emh_cli_command emh_cli_review = {
	"review", "DOSSIER",
	"apply signed decisions: the next revision",
	"Applies reviewers' decisions and writes the next revision of the dossier, linked by digest, "
	"to NAME.rN.json beside the dossier NAME.json or NAME.rK.json (N the new revision) unless -o names another "
	"file; that default file is never replaced (a second run stops with an error). Each "
	"decision must be signed by the key of a reviewer whose role may decide its criterion, as the reviewers "
	"file says. Everything is checked before anything is written.",
	"Exit status: as for check: 0 the new revision is approved, 1 it is not, 2 usage or input error (nothing "
	"written).",
	review_groups, emh_cmd_review,
};

/* NAME.rN.json beside the dossier NAME.json or NAME.rK.json (a NAME without .json keeps its whole name). */
static const char *revision_path(emh_buf *b, const char *dossier, int revision)
{
	size_t n = strlen(dossier);
	if (n > 5 && strcmp(dossier + n - 5, ".json") == 0)
		n -= 5;
	size_t d = n;
	while (d > 0 && dossier[d - 1] >= '0' && dossier[d - 1] <= '9')
		d--;
	if (d < n && d >= 2 && dossier[d - 1] == 'r' && dossier[d - 2] == '.' && (d == 2 || dossier[d - 3] != '/'))
		n = d - 2;
	emh_buf_append(b, dossier, n);
	emh_buf_appendf(b, ".r%d.json", revision);
	return emh_buf_cstr(b);
}

static int refuse_existing(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return 0;
	emh_cli_error("%s already exists: review does not replace it; name the revision with -o FILE "
	              "(or -o - for standard output)", path);
	return 1;
}

static int refuse_existing_envelope(const char *path)
{
	char env[4096];
	return emh_envelope_path(env, sizeof env, path) == 0 && refuse_existing(env);
}

int emh_cmd_review(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_review, argc, argv, 2))
		return a.status;
	const char *decisions = emh_cli_get(&a, "decisions"), *sign_key = emh_cli_get(&a, "sign-key");
	const char *criteria = emh_cli_get(&a, "criteria"), *output = emh_cli_output(&a, "output");
	const char *output_opt = emh_cli_get(&a, "output"); /* "-": standard output */
	const char *ledger = emh_cli_get(&a, "ledger"), *reviewers = emh_cli_get(&a, "reviewers");
	const char **pos = a.pos;
	size_t npos = a.npos;
	if (npos != 1)
		return emh_cli_usage_error("review needs one DOSSIER (the dossier .json to review)");
	if (!decisions)
		return emh_cli_usage_error("review needs --decisions FILE (the reviewers' decisions)");
	if (sign_key && output_opt && !output && !ledger)
		return emh_cli_usage_error("--sign-key needs a file or --ledger REPO: the signature is written "
		                           "beside the dossier, not to standard output");

	emh_error err = EMH_ERROR_INIT;
	emh_key *key = NULL;
	emh_reviews *rv = NULL;
	emh_dossier *prev = NULL, *next = NULL;
	emh_criteria *set = NULL;
	emh_ledger *lg = NULL;
	emh_reviewers *who = NULL;
	emh_buf out = EMH_BUF_INIT, rpath = EMH_BUF_INIT, beside = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	if (sign_key && emh_key_load(&key, sign_key, &err))
		goto fail;
	if (key && !emh_key_is_private(key)) {
		emh_cli_error("%s: a public key cannot sign; give the private key (.key)", sign_key);
		goto done;
	}
	emh_criteria_finder finder;
	char found[1024];
	emh_cli_criteria_finder(&finder, criteria);
	if (emh_dossier_load(&prev, pos[0], &err) || emh_reviews_load(&rv, decisions, &err))
		goto fail;
	int frc = emh_dossier_find_criteria(&set, found, sizeof found, prev, &finder, emh_cli_print_problem, NULL, &err);
	if (frc) {
		emh_cli_print_error(&err);
		if (frc == EMH_ENOTFOUND)
			emh_cli_criteria_hint();
		goto done;
	}
	/* Who may decide: --reviewers REPO[:PATH], else reviewers.json beside framework.json (of the criteria
	 * repository found), at HEAD. */
	const char *rrepo = strcmp(found, ".") ? found : NULL;
	if (reviewers) {
		const char *colon = strrchr(reviewers, ':');
		emh_buf_append(&rpath, reviewers, colon ? (size_t)(colon - reviewers) : strlen(reviewers));
		rrepo = emh_buf_cstr(&rpath);
		if (emh_reviewers_load_git(&who, rrepo, colon ? colon + 1 : NULL, NULL, &err))
			goto fail;
	} else {
		emh_buf_appendf(&rpath, "%s/reviewers.json", prev->criteria_path ? prev->criteria_path : "criteria");
		if (emh_reviewers_load_git(&who, rrepo, emh_buf_cstr(&rpath), NULL, &err))
			goto fail;
	}
	if (emh_review_apply(&next, prev, set, rv, who, &err))
		goto fail;
	int exclusive = !output_opt;
	if (exclusive) {
		/* Checked before the ledger is touched; the exclusive write closes the race. */
		output = revision_path(&beside, pos[0], next->revision);
		if (refuse_existing(output) || (key && refuse_existing_envelope(output)))
			goto done;
	}
	if (ledger && emh_ledger_open(&lg, ledger, 1, &err))
		goto fail;
	emh_publish_options po = EMH_PUBLISH_OPTIONS_INIT;
	po.output = output;
	po.exclusive = exclusive;
	po.sign_key = key;
	po.ledger = lg;
	char commit[41];
	if (emh_dossier_publish(commit, next, &po, &err))
		goto fail;
	if (!output) {
		if (emh_report_render(&out, next, EMH_FORMAT_JSON, NULL, &err))
			goto fail;
		if (emh_cli_write_output(NULL, &out))
			goto done;
	}
	emh_cli_print_line(stderr, "emheval: revision %d of %s %s: %s (%s)", next->revision,
	        next->submission_id ? next->submission_id : "?", next->app_version ? next->app_version : "?",
	        emh_verdict_name(next->verdict), next->digest);
	if (exclusive)
		emh_cli_print_line(stderr, "emheval: wrote %s", output);
	if (lg)
		fprintf(stderr, "emheval: %s in ledger %s%s%.12s\n", commit[0] ? "filed" : "already filed", ledger,
		        commit[0] ? " as " : "", commit);
	status = next->verdict == EMH_VERDICT_APPROVED ? EMH_EXIT_APPROVED : EMH_EXIT_NOT_APPROVED;
	goto done;
fail:
	emh_cli_print_error(&err);
done:
	emh_buf_dispose(&out);
	emh_buf_dispose(&rpath);
	emh_buf_dispose(&beside);
	emh_reviewers_free(who);
	emh_ledger_free(lg);
	emh_criteria_free(set);
	emh_dossier_free(next);
	emh_dossier_free(prev);
	emh_reviews_free(rv);
	emh_key_free(key);
	return status;
}

/*
 * `emheval sign-decisions --key KEY [--reviewer NAME] FILE [-o OUT]`: a
 * reviewer signs their decisions (each decision's canonical form, with
 * Ed25519) before review applies them. Exit 0 signed, 2 an error.
 */
static const emh_cli_opt sign_decisions_opts[] = {
	{ "key", 0, "KEY", "the reviewer's private key", NULL, NULL },
	{ "reviewer", 0, "NAME", "the reviewer's name, recorded in each decision", NULL, NULL },
	EMH_CLI_OUTPUT_OPT,
};
static const emh_cli_group sign_decisions_group = EMH_CLI_GROUP("sign-decisions options", sign_decisions_opts, 0);
static const emh_cli_group *const sign_decisions_groups[] = { &sign_decisions_group, NULL };
const emh_cli_command emh_cli_sign_decisions = {
	"sign-decisions", "FILE",
	"a reviewer signs their decisions",
	"A reviewer signs their decisions in a reviews file ({\"reviews\": [...]}): each decision's canonical "
	"form, with Ed25519; the signature is added to the decision.",
	"Exit status: 0 signed, 2 an error.",
	sign_decisions_groups, emh_cmd_sign_decisions,
};

int emh_cmd_sign_decisions(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_sign_decisions, argc, argv, 2))
		return a.status;
	const char *keypath = emh_cli_get(&a, "key"), *reviewer = emh_cli_get(&a, "reviewer");
	const char *output = emh_cli_output(&a, "output");
	const char **pos = a.pos;
	size_t npos = a.npos;
	if (npos != 1)
		return emh_cli_usage_error("sign-decisions needs one FILE (a reviews file {\"reviews\": [...]})");
	if (!keypath)
		return emh_cli_usage_error("sign-decisions needs --key KEY (the reviewer's private key)");
	emh_error err = EMH_ERROR_INIT;
	emh_key *key = NULL;
	emh_buf out = EMH_BUF_INIT;
	size_t n = 0;
	int status = EMH_EXIT_USAGE;
	if (emh_key_load(&key, keypath, &err) || emh_reviews_sign(&out, pos[0], key, reviewer, &n, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_write_output(output, &out))
		goto done;
	fprintf(stderr, "emheval: signed %zu decision%s with key %.16s\n", n, n == 1 ? "" : "s", emh_key_id(key));
	status = 0;
done:
	emh_buf_dispose(&out);
	emh_key_free(key);
	return status;
}
