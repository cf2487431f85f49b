/*
 * cmd_hash.c - `emheval hash DIR`: records the SHA-256 of every supplied
 * document in DIR/submission.json (emh_submission_rehash), keeping the
 * rest of the file as it is, so a vendor never computes a hash by hand.
 *
 * Exit status: 0 every hash is (now) right; 1 with --check, a hash is out of
 * date (nothing written); 2 usage or input error (nothing written).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "cli/commands.h"

static const emh_cli_opt hash_opts[] = {
	{ "check", 0, NULL, "write nothing: list the hashes that are out of date and exit 1 when there is one "
	  "(for CI)", NULL, NULL },
};
static const emh_cli_group hash_group = EMH_CLI_GROUP("hash options", hash_opts, 0);
static const emh_cli_group *const hash_groups[] = { &hash_group, &emh_cli_limits_group, NULL };
const emh_cli_command emh_cli_hash = {
	"hash", "DIR",
	"write the SHA-256 of each document listed",
	"Computes the SHA-256 of every document DIR/submission.json lists as supplied and writes it into its "
	"\"sha256\" member (added after \"path\" where there is none), atomically; every other byte of the file "
	"stays as it was. Prints each value changed at its submission.json:LINE:COL. The files are read as check "
	"reads them (the same limits and refusals); a listed file that is missing is an error at its \"path\" and "
	"nothing is written.",
	"Exit status: 0 every hash is right (or was rewritten), 1 with --check a hash is out of date, 2 usage or "
	"input error.",
	hash_groups, emh_cmd_hash,
};

static void print_change(const char *path, const char *declared, const char *actual, const emh_error *where,
                         void *payload)
{
	size_t *n = payload;
	(*n)++;
	emh_cli_print_line(stdout, "%s:%u:%u: %s: %s -> %s", where->file, where->line, where->column, path,
	                   declared ? declared : "(none)", actual);
}

int emh_cmd_hash(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_hash, argc, argv, 2))
		return a.status;
	if (a.npos != 1)
		return a.npos ? emh_cli_usage_error("unexpected argument %s", a.pos[1])
		              : emh_cli_usage_error("hash needs the submission folder DIR");
	const char *dir = a.pos[0];
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	if (emh_cli_limits_apply(&a, &so, NULL))
		return EMH_EXIT_USAGE;
	size_t nproblems = 0, nchanged = 0;
	so.on_problem = emh_cli_print_counted;
	so.payload = &nproblems;
	so.skip_hash = 1;
	/* Every rule but "required": a manifest being written may lack a "sha256" this adds, or other members. */
	so.validation = EMH_VALIDATE_FRAGMENT;
	emh_buf out = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	int status = EMH_EXIT_USAGE;
	if (emh_submission_rehash(&out, print_change, &nchanged, dir, &so, &err)) {
		fflush(stdout);
		if (!nproblems)
			emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_flag(&a, "check")) {
		printf("%zu hash%s out of date\n", nchanged, nchanged == 1 ? "" : "es");
		status = nchanged ? EMH_EXIT_NOT_APPROVED : 0;
		goto done;
	}
	if (nchanged) {
		/* DIR, or DIR/submission.json named directly. */
		char path[4096];
		struct stat st;
		int is_file = stat(dir, &st) == 0 && S_ISREG(st.st_mode);
		if ((size_t)snprintf(path, sizeof path, is_file ? "%s" : "%s/submission.json", dir) >= sizeof path) {
			emh_cli_error("folder name too long: %s", dir);
			goto done;
		}
		if (emh_cli_write_output(path, &out))
			goto done;
	}
	printf("%zu hash%s updated\n", nchanged, nchanged == 1 ? "" : "es");
	status = fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
done:
	emh_buf_dispose(&out);
	return status;
}
