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

/* An option that takes a value: "--name VALUE" or "--name=VALUE". */
typedef struct emh_cli_option {
	const char *name;   /* "--rev", "-o" */
	const char **value; /* where the value goes */
} emh_cli_option;

/* A flag without a value, e.g. "--quiet". */
typedef struct emh_cli_flag {
	const char *name;
	int *set;           /* set to 1 when given */
} emh_cli_flag;

/*
 * Parses argv[first..argc) against the tables (either may be NULL with
 * count 0). Arguments that are not options are collected into positional
 * (capacity max_positional; *npositional gets the count). Returns 0, or
 * EMH_EXIT_USAGE after printing the problem. "-h"/"--help" sets *help.
 */
int emh_cli_parse(int argc, char **argv, int first,
                  const emh_cli_option *opts, size_t nopts,
                  const emh_cli_flag *flags, size_t nflags,
                  const char **positional, size_t max_positional,
                  size_t *npositional, int *help);

/* Prints "emheval: MESSAGE" and a hint to --help; returns EMH_EXIT_USAGE. */
int emh_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "emheval: file:line:col: message (at pointer)" to stderr. */
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
 * Checks that every waiver of w is signed by a role allowed to waive it, per
 * the reviewers file: --reviewers REPO[:PATH], else CRITERIA_PATH/reviewers.json
 * in the criteria repository, at HEAD. Prints the error; returns 0 or -1.
 */
int emh_cli_authorize_waivers(emh_waivers *w, const emh_criteria *set, const char *reviewers,
                              const char *criteria, const char *criteria_path);

/* 1 when colour may be written to stdout: a terminal, and NO_COLOR unset or empty. */
int emh_cli_color_ok(void);

/*
 * The limits on untrusted input that every evaluating command takes
 * (docs/security.md), as given on the command line; NULL: the default.
 * Add EMH_CLI_LIMIT_OPTIONS(l) to a command's option table, then call
 * emh_cli_limits_apply.
 */
typedef struct emh_cli_limits {
	const char *submission_bytes; /* --max-submission-bytes */
	const char *evidence_bytes;   /* --max-evidence-bytes */
	const char *evidence_total;   /* --max-evidence-total */
	const char *depth;            /* --max-depth */
	const char *array_visit;      /* --max-array-visit */
} emh_cli_limits;

#define EMH_CLI_LIMIT_OPTIONS(l) \
	{ "--max-submission-bytes", &(l).submission_bytes }, \
	{ "--max-evidence-bytes", &(l).evidence_bytes }, \
	{ "--max-evidence-total", &(l).evidence_total }, \
	{ "--max-depth", &(l).depth }, \
	{ "--max-array-visit", &(l).array_visit }

/*
 * Parses the limits into so and eo (either may be NULL). Sizes take a K, M
 * or G suffix (KiB, MiB, GiB). Returns 0, or EMH_EXIT_USAGE after printing
 * the problem.
 */
int emh_cli_limits_apply(const emh_cli_limits *l, emh_submission_options *so,
                         emh_eval_options *eo);

/* The limit options' part of --help (common.c). */
extern const char emh_cli_limits_usage[];

/* The text printed by `emheval --help` and by each command's help. */
extern const char emh_cli_usage[];
/* Prints the whole usage page (emh_cli_usage and the exit status and formats after it). */
void emh_cli_print_usage(void);

#endif
