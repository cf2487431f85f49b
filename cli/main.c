/*
 * main.c - the emheval command line: parses options, calls libemheval, and
 * maps the result to the documented exit status. No evaluation logic lives
 * here, so the tests exercise the same API that users of the library call.
 *
 * Exit status: 0 approved, 1 evaluated and not approved, 2 usage or input error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "emheval/emheval.h"

enum { EXIT_APPROVED = 0, EXIT_NOT_APPROVED = 1, EXIT_USAGE = 2 };

static const char usage[] =
"usage: emheval check SUBMISSION [options]\n"
"       emheval --help | --version\n"
"\n"
"Checks an e-mental-health app submission against versioned criteria kept in\n"
"git and reports every result with its evidence, and the verdict.\n"
"\n"
"SUBMISSION is a folder holding submission.json and its evidence files, or a\n"
"single JSON file.\n"
"\n"
"Options:\n"
"  --criteria REPO       git repository holding the criteria (bare or not);\n"
"                        default: the repository holding the current directory\n"
"  --criteria-path DIR   criteria folder inside it (default: criteria)\n"
"  --rev REV             revision to read the criteria from: tag, branch or\n"
"                        commit (default: HEAD); never the working tree\n"
"  --as-of DATE          evaluation date YYYY-MM-DD for date windows\n"
"                        (default: the submission's submission_date)\n"
"  --format FORMAT       text (default) or json (the dossier)\n"
"  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
"  -h, --help            show this help\n"
"  --version             show the version\n"
"\n"
"Exit status:\n"
"  0  approved\n"
"  1  evaluated, not approved (conditional, rejected or incomplete)\n"
"  2  usage error, or input that could not be read (criteria, submission)\n"
"\n"
"Environment: NO_COLOR disables colour; colour is used only on a terminal.\n";

typedef struct options {
	const char *submission;
	const char *criteria;
	const char *criteria_path;
	const char *rev;
	const char *as_of;
	const char *format;
	const char *output;
} options;

static int fail_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "emheval: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'emheval --help'.\n");
	va_end(ap);
	return EXIT_USAGE;
}

static void print_error(const emh_error *err)
{
	char msg[1400];
	emh_error_format(err, msg, sizeof msg);
	fprintf(stderr, "emheval: %s\n", msg);
}

static void print_problem(const emh_error *problem, void *payload)
{
	(void)payload;
	print_error(problem);
}

/* Takes the value of an option given as "--opt VALUE" or "--opt=VALUE". */
static int option_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*out = argv[++*i];
	return 1;
}

static int parse_options(int argc, char **argv, int first, options *o)
{
	static const struct { const char *name; size_t off; } valued[] = {
		{ "--criteria-path", offsetof(options, criteria_path) },
		{ "--criteria", offsetof(options, criteria) },
		{ "--rev", offsetof(options, rev) },
		{ "--as-of", offsetof(options, as_of) },
		{ "--format", offsetof(options, format) },
		{ "--output", offsetof(options, output) },
		{ "-o", offsetof(options, output) },
	};
	for (int i = first; i < argc; i++) {
		int matched = 0;
		for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !matched; k++) {
			const char **slot = (const char **)(void *)((char *)o + valued[k].off);
			int r = option_value(argc, argv, &i, valued[k].name, slot);
			if (r < 0)
				return fail_usage("option %s needs a value", valued[k].name);
			matched = r;
		}
		if (matched)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return fail_usage("unknown option %s", argv[i]);
		if (o->submission)
			return fail_usage("only one SUBMISSION is checked at a time (extra: %s)", argv[i]);
		o->submission = argv[i];
	}
	return 0;
}

static int write_output(const char *path, const emh_buf *b)
{
	emh_error err = EMH_ERROR_INIT;
	if (path) {
		if (emh_io_write_atomic(path, b->ptr ? b->ptr : "", b->len, &err)) {
			print_error(&err);
			return -1;
		}
		return 0;
	}
	if (b->len && fwrite(b->ptr, 1, b->len, stdout) != b->len) {
		fprintf(stderr, "emheval: cannot write to standard output\n");
		return -1;
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

static int cmd_check(int argc, char **argv)
{
	options o = { 0 };
	int rc = parse_options(argc, argv, 2, &o);
	if (rc)
		return rc;
	if (!o.submission)
		return fail_usage("%s", "check needs a SUBMISSION (a folder or a JSON file)");
	emh_format format = EMH_FORMAT_TEXT;
	if (o.format && emh_format_parse(&format, o.format))
		return fail_usage("unknown format '%s' (expected text or json)", o.format);

	emh_error err = EMH_ERROR_INIT;
	emh_criteria *criteria = NULL;
	emh_submission *sub = NULL;
	emh_dossier *dossier = NULL;
	emh_buf out = EMH_BUF_INIT;
	int status = EXIT_USAGE;

	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.repository = o.criteria;
	co.path = o.criteria_path;
	co.rev = o.rev;
	co.on_problem = print_problem;
	if (emh_criteria_load(&criteria, &co, &err)) {
		if (err.code != EMH_EINVALID)
			print_error(&err); /* compile problems were printed one by one */
		goto done;
	}
	if (emh_submission_load(&sub, o.submission, NULL, &err)) {
		print_error(&err);
		goto done;
	}
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = o.as_of;
	if (emh_evaluate(&dossier, criteria, sub, &eo, &err) || emh_dossier_seal(dossier, &err)) {
		print_error(&err);
		goto done;
	}
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	const char *no_color = getenv("NO_COLOR");
	ro.color = !o.output && isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
	if (emh_report_render(&out, dossier, format, &ro, &err)) {
		print_error(&err);
		goto done;
	}
	if (write_output(o.output, &out))
		goto done;
	status = dossier->verdict == EMH_VERDICT_APPROVED ? EXIT_APPROVED : EXIT_NOT_APPROVED;
done:
	emh_buf_dispose(&out);
	emh_dossier_free(dossier);
	emh_submission_free(sub);
	emh_criteria_free(criteria);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return fail_usage("%s", "a command is needed");
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("emheval %s\n", EMHEVAL_VERSION);
		return 0;
	}
	if (strcmp(cmd, "check") == 0) {
		for (int i = 2; i < argc; i++)
			if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
				fputs(usage, stdout);
				return 0;
			}
		return cmd_check(argc, argv);
	}
	return fail_usage("unknown command '%s'", cmd);
}
