/*
 * cli.h - what the emheval subcommands share: option parsing, error
 * printing, output writing and the documented exit status. Each command
 * lives in its own cli/cmd_NAME.c and is listed in main.c's table.
 */
#ifndef EMH_CLI_H
#define EMH_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "emheval/emheval.h"

enum { EMH_EXIT_APPROVED = 0, EMH_EXIT_NOT_APPROVED = 1, EMH_EXIT_USAGE = 2 };

/*
 * One source per option (cli/options.c): each command's table carries the
 * option's name, its argument, its help and its default. The same tables
 * parse the command line (getopt_long), print `emheval CMD --help` and
 * write the man page (`emheval --man`, docs/emheval.1).
 */
typedef struct emh_cli_opt {
	const char *name;  /* long name without dashes: "criteria-path" */
	char short_name;   /* 'o', or 0 for none */
	const char *arg;   /* the value's name ("FILE"), or NULL for a flag */
	const char *help;  /* what it does, one paragraph (wrapped when printed) */
	const char *def;   /* the default as shown ("HEAD"), or NULL */
	const char *values; /* the only values it takes, space-separated ("text json"), or NULL: bash completion
	                     * offers these (and file names otherwise); test_install checks each is accepted */
} emh_cli_opt;

/* The report formats of check, report and ledger show (EMH_FORMAT_NAMES, as completion words). */
#define EMH_CLI_REPORT_FORMATS "text json html markdown junit sarif github"

/* Options shown together under a title; shared groups are described once in the man page. */
typedef struct emh_cli_group {
	const char *title;
	const emh_cli_opt *opts;
	size_t n;
	int shared;        /* 1: listed once under OPTIONS in the man page */
} emh_cli_group;

#define EMH_CLI_GROUP(title, opts, shared) { title, opts, sizeof opts / sizeof opts[0], shared }

typedef struct emh_cli_command {
	const char *name;        /* "check", "ledger verify" */
	const char *args;        /* positional arguments: "SUBMISSION", "PATH..." */
	const char *summary;     /* one line for `emheval --help` */
	const char *description; /* paragraphs separated by a blank line ("\n\n") */
	const char *exit_status; /* one line, or NULL */
	const emh_cli_group *const *groups; /* NULL-terminated */
	int (*run)(int argc, char **argv);
} emh_cli_command;

/* The -o/--output option of every command that writes one file. */
#define EMH_CLI_OUTPUT_OPT { "output", 'o', "FILE", "write to FILE (atomically) instead of standard output; " \
	"- is standard output", NULL, NULL }
#define EMH_CLI_COLOR_OPT { "color", 0, "WHEN", "colour in the text report: auto (on a terminal, unless NO_COLOR " \
	"is set or TERM is dumb), always or never", "auto", "auto always never" }
#define EMH_CLI_VERBOSE_OPT { "verbose", 'v', NULL, "text report: also show each text check's pattern in full " \
	"(a text check is otherwise said in the criterion's words)", NULL, NULL }

enum { EMH_CLI_MAX_OPTS = 48 };

/* A parsed command line: the value of each option (by table order) and the operands. */
typedef struct emh_cli_args {
	const emh_cli_command *cmd;
	const char *values[EMH_CLI_MAX_OPTS]; /* NULL: not given; flags: "1" */
	const char **pos;                     /* the operands, in order (inside argv) */
	size_t npos;
	int status;                           /* the exit status when parsing ended the command */
} emh_cli_args;

/*
 * Parses argv[first..argc) against cmd's tables with getopt_long: "-ofile",
 * "-o file", "--opt=value", "--opt value", clustered flags, "--" ending the
 * options; operands may come before, between and after options. "-h" and
 * "--help" print cmd's help. Returns 0 to go on, or 1 when the command is
 * done (help printed, or a usage error printed with a suggestion) with its
 * exit status in a->status. Reorders argv.
 */
int emh_cli_parse(emh_cli_args *a, const emh_cli_command *cmd, int argc, char **argv, int first);

/* The value of the option named (long name), or NULL when it was not given. */
const char *emh_cli_get(const emh_cli_args *a, const char *name);
/* 1 when the flag named was given. */
int emh_cli_flag(const emh_cli_args *a, const char *name);
/* An output option's value, with "-" (standard output) given as NULL, which means the same. */
const char *emh_cli_output(const emh_cli_args *a, const char *name);

/* Prints cmd's help page from its tables to f. */
void emh_cli_print_help(FILE *f, const emh_cli_command *cmd);

/*
 * The nearest of candidates[0..n) to word by edit distance, when it is
 * close (at most 2 edits and under half the word), else NULL.
 */
const char *emh_cli_suggest(const char *word, const char *const *candidates, size_t n);

/* Every command, in the order `emheval --help` lists them (main.c), NULL-terminated. */
extern const emh_cli_command *const emh_cli_commands[];

/* The groups every command shares (common.c). */
extern const emh_cli_group emh_cli_criteria_group, emh_cli_limits_group, emh_cli_publish_group;

/*
 * A file in the data folder of an installed emheval, share/emheval/LEAF
 * beside the bin folder holding the running binary (/proc/self/exe, links
 * resolved; PREFIX/bin/emheval gives PREFIX/share/emheval/LEAF), so one build
 * runs under any PREFIX or DESTDIR (common.c). 0, or -1 when it cannot be told.
 */
int emh_cli_installed_path(char *out, size_t size, const char *leaf);

/* Writes the bash completion script from the tables (completion.c). */
void emh_cli_write_completion(FILE *f);

/* Writes the man page, roff, from the tables (manual.c). */
void emh_cli_write_man(FILE *f);
/* Prints `emheval --help`: one line per command (manual.c). */
void emh_cli_print_overview(FILE *f);

/*
 * Prints "emheval: error: MESSAGE" and a hint to --help (the command's, once
 * a command is known); returns EMH_EXIT_USAGE.
 */
int emh_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "emheval: error: MESSAGE" to stderr, neutralising control characters. */
void emh_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 when review i of d names a reviewer and role an earlier review of d named already (ledger log lists each once). */
int emh_cli_reviewer_seen(const emh_dossier *d, size_t i);

/* Prints "emheval: file:line:col: error: message (at pointer)" to stderr. */
void emh_cli_print_error(const emh_error *err);

/*
 * Prints one line (printf-style, the newline added) with every control
 * character, escape sequence and bidirectional control neutralised the way
 * the text report does (emh_report__plain): for any line that carries text
 * from a submission, a dossier or a file name, so that text cannot move the
 * cursor, hide the lines after it or forge a line of its own.
 */
void emh_cli_print_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An emh_diagnostic_cb that prints each criteria problem. */
void emh_cli_print_problem(const emh_error *problem, void *payload);
/* The same, counting into *(size_t *)payload (NULL: no count). */
void emh_cli_print_counted(const emh_error *problem, void *payload);
/* Prints a warning (a submission's unknown member) to stderr; payload unused. */
void emh_cli_print_warning(const emh_error *warning, void *payload);

/* Writes b to path atomically, or to stdout when path is NULL. Returns 0 or -1 (printed). */
int emh_cli_write_output(const char *path, const emh_buf *b);

/* Loads the criteria set named by the common options, printing problems. Returns 0 or -1. */
int emh_cli_load_criteria(emh_criteria **out, const char *repo, const char *path, const char *rev);

/*
 * Where verify and review look for a dossier's criteria besides the recorded
 * ones: the sources file ($EMHEVAL_CRITERIA_SOURCES, else
 * $XDG_CONFIG_HOME/emheval/criteria-sources, else
 * ~/.config/emheval/criteria-sources) and the installed set, when they
 * exist. repository (--criteria) makes it the only one tried.
 */
void emh_cli_criteria_finder(emh_criteria_finder *f, const char *repository);
/* The hint printed when no repository holds a dossier's criteria commit. */
void emh_cli_criteria_hint(void);

/* The --worktree option of lint and test (impact words its own: it replaces --to). */
#define EMH_CLI_WORKTREE_OPT { "worktree", 0, NULL, "read the criteria folder as it is on disk, uncommitted " \
	"edits included (a snapshot commit on no branch; not with --rev)", NULL, NULL }

/*
 * Before a gate command reads src: with worktree, points src->rev at a
 * snapshot of the criteria folder as on disk (snapshot: 41 bytes) and says so;
 * without, warns on stderr when the folder has uncommitted changes that
 * reading HEAD ignores, naming the files. what: "lint", "test", "impact". Returns 0, or
 * EMH_EXIT_USAGE after printing the error.
 */
int emh_cli_gate_worktree(emh_gate_source *src, int worktree, char *snapshot, const char *what);

/*
 * Checks that every waiver of w is signed by a role allowed to waive it, per
 * the reviewers file: --reviewers REPO[:PATH], else CRITERIA_PATH/reviewers.json
 * in the criteria repository, at HEAD. Prints the error; returns 0 or -1.
 */
int emh_cli_authorize_waivers(emh_waivers *w, const emh_criteria *set, const char *reviewers,
                              const char *criteria, const char *criteria_path);

/*
 * --color WHEN (auto, always, never; NULL is auto) into *color. auto colours only standard output that is a
 * terminal (to_file 0), with NO_COLOR unset or empty and TERM not "dumb". Returns -1 for another word.
 */
int emh_cli_color(const char *when, int to_file, int *color);

/*
 * The options of a command that renders a dossier: --format (text when not given; *format_name gets the
 * word given, or NULL) into *format, and --color into *color (output is -o's path, NULL for standard output).
 * Returns 0, or EMH_EXIT_USAGE after printing the problem.
 */
int emh_cli_render_format(const emh_cli_args *a, const char *output, const char **format_name,
                          emh_format *format, int *color);

/*
 * Applies the limits on untrusted input (emh_cli_limits_group, given in a)
 * to so and eo (either may be NULL). Sizes take a K, M or G suffix (KiB,
 * MiB, GiB). Returns 0, or EMH_EXIT_USAGE after printing the problem.
 */
int emh_cli_limits_apply(const emh_cli_args *a, emh_submission_options *so, emh_eval_options *eo);

#endif
