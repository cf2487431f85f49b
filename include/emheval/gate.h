/*
 * gate.h - the CI gate for criteria changes: lint, fixtures and impact.
 *
 * A criteria maintainer changes rules through pull requests. Before merging
 * they must know that the change is well-formed (emh_lint), that each
 * criterion still does what its author meant (emh_fixtures_run: the small
 * submissions kept beside the criteria that must pass and must fail each
 * one), and which submissions' verdicts the change flips (emh_impact). Each
 * reads criteria from git at a revision, like every other command, and
 * returns a report that the renderers (emh_*_render) turn into text, JSON,
 * Markdown, SARIF or JUnit. docs/gate.md describes the rules and formats.
 *
 * Ownership: a report returned through **out is the caller's and is freed
 * with its _free function (NULL is fine); every string and array in it
 * belongs to the report. Reports are read-only once returned.
 * Thread safety: the calls share no state; each may run in its own thread.
 */
#ifndef EMHEVAL_GATE_H
#define EMHEVAL_GATE_H

#include <stddef.h>
#include "emheval/buf.h"
#include "emheval/criteria.h"
#include "emheval/dossier.h"
#include "emheval/error.h"

/* Output formats of the gate's reports (not every report has every one). */
typedef enum emh_gate_format {
	EMH_GATE_TEXT,     /* a terminal: compiler-style lines */
	EMH_GATE_JSON,     /* machine-readable, deterministic, keys in a fixed order */
	EMH_GATE_MARKDOWN, /* a pull-request comment (impact) */
	EMH_GATE_SARIF,    /* SARIF 2.1.0 (lint), for code-scanning annotations */
	EMH_GATE_JUNIT     /* JUnit XML (lint, test), for any CI's test tab */
} emh_gate_format;

/* Parses "text", "json", "markdown" (or "md"), "sarif", "junit"; 0 or EMH_EINVALID. */
int emh_gate_format_parse(emh_gate_format *out, const char *name);

/* Where criteria are read from (as in emh_criteria_options). */
typedef struct emh_gate_source {
	const char *repository;    /* NULL: the repository holding the cwd */
	const char *path;          /* criteria folder inside it, NULL: "criteria" */
	const char *rev;           /* NULL: "HEAD" */
} emh_gate_source;

/*
 * The criteria folder's uncommitted changes (staged, unstaged, untracked; not
 * ignored) in the work tree of src's repository: appends "PATH (modified)",
 * "PATH (new)", "PATH (deleted)" to files, separated by ", ", and sets *count.
 * A bare repository has none. Returns 0 or EMH_ENOTFOUND / EMH_EGENERIC.
 */
int emh_gate_worktree_changes(emh_buf *files, size_t *count, const emh_gate_source *src,
                              emh_error *err);

/*
 * Records the criteria folder as it is on disk (--worktree): a commit whose
 * tree is HEAD's with that folder taken from the work tree, written to the
 * object database but to no branch, the index file untouched. commit (41
 * bytes) gets its id, to read as any revision. Returns 0, EMH_EINVALID (a bare
 * repository), EMH_ENOTFOUND (no repository or HEAD) or EMH_EGENERIC.
 */
int emh_gate_worktree_snapshot(char commit[41], const emh_gate_source *src, emh_error *err);

/* ---- lint ---------------------------------------------------------------- */

typedef struct emh_lint_options {
	emh_gate_source source;
	const char *against;       /* base revision to compare with, NULL: none */
} emh_lint_options;

#define EMH_LINT_OPTIONS_INIT { { NULL, NULL, NULL }, NULL }

/* One defect, located like a compiler error. */
typedef struct emh_lint_finding {
	const char *file;        /* path in the repository, e.g. "criteria/privacy/DP-1.json" */
	unsigned line, column;   /* 1-based; column in bytes */
	const char *pointer;     /* JSON pointer of the offending value in file ("" = the root) */
	const char *rule;        /* "schema", "regex", "type", "version-bump", ... (docs/gate.md) */
	const char *message;
	const char *criterion;   /* the criterion's id, or NULL (framework.json) */
	const char *source_line; /* the text of that line, without its newline, or NULL */
} emh_lint_finding;

typedef struct emh_lint_report {
	const char *repository;      /* as given, "." when discovered */
	const char *criteria_path;
	const char *rev, *commit;    /* the revision linted and its commit id */
	const char *against, *against_commit; /* NULL without a base */
	const char *framework_version;        /* NULL when framework.json is unusable */
	size_t nfiles;               /* framework.json and criterion files read */
	size_t ncriteria;            /* criterion files */
	emh_lint_finding *findings;  /* sorted by file, line, column, rule, message */
	size_t nfindings;
	struct emh_arena *arena;     /* owns everything above */
} emh_lint_report;

/*
 * Lints the criteria set at opts->source.rev (and compares it with
 * opts->against when given). Defects are findings, not failures: returns 0
 * with the report even when the set does not compile. Fails with
 * EMH_ENOTFOUND (no repository, revision, folder or framework.json) or
 * EMH_EGENERIC / EMH_ELIMIT when the criteria cannot be read.
 */
int emh_lint(emh_lint_report **out, const emh_lint_options *opts, emh_error *err);
void emh_lint_report_free(emh_lint_report *r);

/* text, json, sarif or junit; EMH_EINVALID for another format. */
int emh_lint_render(emh_buf *out, const emh_lint_report *r, emh_gate_format f,
                    emh_error *err);

/* ---- fixtures (emheval test) -------------------------------------------- */

typedef struct emh_fixture_options {
	emh_gate_source source;
	emh_diagnostic_cb on_problem; /* optional: criteria compile problems */
	void *payload;
} emh_fixture_options;

#define EMH_FIXTURE_OPTIONS_INIT { { NULL, NULL, NULL }, NULL, NULL }

/* One fixture file and what became of it. */
typedef struct emh_fixture_result {
	const char *file;        /* path in the repository: "criteria/D/fixtures/ID.fail.json" */
	const char *criterion;   /* the id its name gives, or NULL when the name is malformed */
	const char *label;       /* the part after "-" in ID.KIND-LABEL.json, or NULL */
	emh_outcome expected;    /* from KIND: pass, fail, not_applicable, needs_review, error */
	int evaluated;           /* 1: it ran, got holds the outcome */
	emh_outcome got;
	int ok;                  /* evaluated and got == expected */
	const char *problem;     /* why not ok, or NULL */
	unsigned line, column;   /* where in file the problem is, 0 when not located */
	const char *reason;      /* the result's reason (error, needs_review, not_applicable) */
	const char *description; /* the fixture's own "description", or NULL */
	emh_finding *findings;   /* for an outcome that differs: the evaluator's findings, with
	                            line and column in the fixture file */
	size_t nfindings;
} emh_fixture_result;

/* Fixtures per criterion. */
typedef struct emh_fixture_coverage {
	const char *criterion;
	const char *file;        /* the criterion's file in the repository */
	int manual;              /* manual criteria need no pass or fail fixture */
	size_t npass, nfail, nother; /* fixtures of each kind (whatever their result) */
} emh_fixture_coverage;

typedef struct emh_fixture_report {
	const char *repository, *criteria_path, *rev, *commit, *framework_version;
	emh_fixture_result *fixtures; /* sorted by file */
	size_t nfixtures;
	emh_fixture_coverage *coverage; /* one per criterion, in id order */
	size_t ncoverage;
	size_t nchecks;          /* criteria with a check (the ones coverage counts) */
	size_t nmissing_pass;    /* checks without a pass fixture */
	size_t nmissing_fail;    /* checks without a fail fixture */
	size_t nbad;             /* fixtures that are not ok */
	struct emh_arena *arena;
} emh_fixture_report;

/*
 * Runs every fixture of the set at opts->source.rev (read from git at the
 * same commit as the criteria): each against its criterion alone, with its
 * prerequisites taken as passed. Returns 0 with the report (fixtures that do
 * not hold are in it); EMH_EINVALID when the criteria do not compile
 * (problems go to on_problem); EMH_ENOTFOUND etc. when they cannot be read.
 */
int emh_fixtures_run(emh_fixture_report **out, const emh_fixture_options *opts,
                     emh_error *err);
void emh_fixture_report_free(emh_fixture_report *r);
/* 1 when every fixture holds and every check has a pass and a fail fixture. */
int emh_fixture_report_ok(const emh_fixture_report *r);

/* text, json or junit. */
int emh_fixtures_render(emh_buf *out, const emh_fixture_report *r, emh_gate_format f,
                        emh_error *err);

/* ---- impact ------------------------------------------------------------- */

typedef struct emh_impact_options {
	const char *repository;    /* NULL: the repository holding the cwd */
	const char *path;          /* criteria folder, NULL: "criteria" */
	const char *from, *to;     /* the two revisions (required) */
	const char *as_of;         /* evaluation date for every submission, NULL: each one's own */
	const char *profiles;      /* profile ids for every submission (--profile), NULL: each one's own */
	unsigned jobs;             /* worker threads, 0: one per core */
	emh_diagnostic_cb on_problem; /* optional: criteria compile problems */
	void *payload;
} emh_impact_options;

#define EMH_IMPACT_OPTIONS_INIT { NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }

typedef enum emh_change_kind {
	EMH_CHANGE_ADDED,
	EMH_CHANGE_REMOVED,
	EMH_CHANGE_CHANGED
} emh_change_kind;

/* A criterion that differs between the two revisions. */
typedef struct emh_criterion_change {
	const char *id;
	emh_change_kind kind;
	int version_from, version_to; /* 0 where the criterion does not exist */
	const char *title;            /* at "to", or at "from" when removed */
	emh_severity severity;        /* at "to", or at "from" when removed */
	int manual;
	const char *keys;             /* changed keys, comma-separated ("check, version") */
	int wording_only;             /* only title, fail_message, remediation, guidance, review */
	const char *references;       /* when "references" changed: "-OLD, +NEW" clause ids, else NULL */
	emh_severity severity_from;   /* at "from" (at "to" when added) */
} emh_criterion_change;

/* One criterion whose outcome differs for a submission. */
typedef struct emh_outcome_change {
	const char *criterion;
	emh_severity severity;        /* at "to" (at "from" when removed) */
	int has_from, has_to;         /* 0 where the criterion does not exist */
	emh_outcome from, to;
	const char *detail;           /* at "to": the fail message or reason; NULL when it passes */
	emh_severity severity_from;   /* at "from" (at "to" when added) */
} emh_outcome_change;

typedef struct emh_submission_impact {
	const char *path;             /* as found under the PATHs given */
	const char *name;             /* app name, else app id, else NULL */
	const char *error;            /* could not be read (file:line:col: message), or NULL */
	emh_verdict from, to;
	int changed;                  /* the verdict or an outcome differs */
	emh_outcome_change *changes;  /* in criterion id order */
	size_t nchanges;
	const char *not_reevaluable;  /* impact --ledger: why a filing was not evaluated again
	                                 ("submission not stored"), or NULL */
} emh_submission_impact;

typedef struct emh_impact_report {
	const char *repository, *criteria_path;
	const char *from, *to;                 /* as given */
	const char *from_commit, *to_commit;
	const char *from_version, *to_version; /* framework versions */
	const char *framework_keys;            /* framework.json keys that changed, or NULL */
	const char *framework_references;      /* "N added, N removed, N retitled" clauses of the
	                                          references catalogue, or NULL when it is unchanged */
	const char *catalogue_changes;         /* tracker catalogue entries added, removed or changed
	                                          ("added a, b; changed c"), or NULL */
	emh_criterion_change *criteria;        /* in id order */
	size_t ncriteria;
	emh_submission_impact *submissions;    /* every submission, in path order */
	size_t nsubmissions;
	size_t nchanged;                       /* submissions with any change */
	size_t nverdict_changed;               /* ... whose verdict changed */
	size_t nnewly_rejected;                /* rejected at "to", not at "from" */
	size_t nerrors;                        /* submissions that could not be read */
	struct emh_arena *arena;
	const char *ledger;                    /* impact --ledger: the ledger's path, else NULL */
	size_t nnot_reevaluable;               /* filings of the ledger not evaluated again */
} emh_impact_report;

/*
 * A weakening between the two revisions (`impact --fail-on weakened`): a
 * criterion that was blocker or major at "from" and is removed, or whose
 * severity is lowered (submission NULL); or, for one
 * submission, no longer applies (applicable at "from", not_applicable at
 * "to") or is relaxed (fail, error, needs_review or not_evaluated at "from",
 * pass at "to"). how is "removed", "severity lowered to minor", "no longer
 * applies" or "relaxed: fail -> pass".
 */
typedef void (*emh_weakened_cb)(const char *criterion, emh_severity severity_from, const char *submission,
                                const char *how, void *payload);
/* Calls cb (optional) for each weakening of r, criteria first, then submissions in path order; returns how many. */
size_t emh_impact_weakened(const emh_impact_report *r, emh_weakened_cb cb, void *payload);

/*
 * Compiles the criteria at opts->from and opts->to once each, loads every
 * submission found under paths once (a submission folder, a JSON file, or a
 * folder searched recursively) and evaluates it with both sets. A
 * submission that cannot be read is recorded with its error. Returns 0, or
 * EMH_EINVALID / EMH_ENOTFOUND when either set cannot be compiled or read,
 * or a path does not exist.
 */
int emh_impact(emh_impact_report **out, const emh_impact_options *opts,
               const char *const *paths, size_t npaths, emh_error *err);
void emh_impact_report_free(emh_impact_report *r);

/* text, markdown or json. */
int emh_impact_render(emh_buf *out, const emh_impact_report *r, emh_gate_format f,
                      emh_error *err);

#endif
