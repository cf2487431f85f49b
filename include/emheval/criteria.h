/*
 * criteria.h - loading and compiling a criteria set.
 *
 * A criteria set is read from a git repository at a revision (never the work
 * tree) and compiled once: pointers are split into tokens, regexes compiled
 * (with JIT where available), dependencies ordered. A compiled set is
 * read-only afterwards and may be shared by any number of threads that
 * evaluate submissions with it.
 *
 * Ownership: an emh_criteria returned through **out is the caller's and is
 * freed with emh_criteria_free (which accepts NULL). Strings returned by
 * getters are borrowed and live as long as the set.
 */
#ifndef EMHEVAL_CRITERIA_H
#define EMHEVAL_CRITERIA_H

#include <stddef.h>
#include "emheval/error.h"

typedef struct emh_criteria emh_criteria;

/* How grave a criterion's failure is; the framework's verdict policy says what each leads to. */
typedef enum emh_severity {
	EMH_SEVERITY_BLOCKER,
	EMH_SEVERITY_MAJOR,
	EMH_SEVERITY_MINOR,
	EMH_SEVERITY_ADVISORY,
	EMH_SEVERITY__COUNT
} emh_severity;

/* "blocker", "major", "minor", "advisory" ("?" out of range); parse returns 0 or EMH_EINVALID. */
const char *emh_severity_name(emh_severity s);
int emh_severity_parse(emh_severity *out, const char *name);

typedef struct emh_criteria_options {
	const char *repository;    /* a git repository, NULL: the one holding the cwd */
	const char *path;          /* criteria folder inside it, NULL: "criteria" */
	const char *rev;           /* any revspec, NULL: "HEAD" */
	emh_diagnostic_cb on_problem; /* optional: every compile problem */
	void *payload;             /* passed to on_problem */
} emh_criteria_options;

#define EMH_CRITERIA_OPTIONS_INIT { NULL, NULL, NULL, NULL, NULL }

/* One file of a criteria set, for compiling from memory (tests, fuzzing, lint). */
typedef struct emh_criteria_file {
	const char *path; /* "framework.json" or "DOMAIN/ID.json" */
	const char *data;
	size_t len;
} emh_criteria_file;

/*
 * Reads the set from git and compiles it. Returns 0; EMH_ENOTFOUND when the
 * repository, revision, folder or framework.json is missing; EMH_EINVALID when
 * a file is malformed (err holds the first problem, with file, line, column
 * and JSON pointer; on_problem sees every one).
 */
int emh_criteria_load(emh_criteria **out, const emh_criteria_options *opts,
                      emh_error *err);

/* Compiles a set from files in memory; label names it in errors. */
int emh_criteria_compile(emh_criteria **out, const emh_criteria_file *files,
                         size_t nfiles, const emh_criteria_options *opts,
                         emh_error *err);

void emh_criteria_free(emh_criteria *c);

size_t emh_criteria_count(const emh_criteria *c);
const char *emh_criteria_framework_name(const emh_criteria *c);
const char *emh_criteria_framework_version(const emh_criteria *c);
/* How submissions are validated before this set evaluates them: EMH_VALIDATE_FULL
 * (submission.h), or EMH_VALIDATE_OFF where framework.json says
 * "submission_schema": "none" (a set for another document format). */
int emh_criteria_submission_validation(const emh_criteria *c);
/* Commit and tree ids (hex); "" when compiled from memory. */
const char *emh_criteria_commit(const emh_criteria *c);
const char *emh_criteria_tree(const emh_criteria *c);
/* The name the repository gives itself (git config emheval.source, else its origin URL), NULL: none. */
const char *emh_criteria_source(const emh_criteria *c);

/* A read-only view of one compiled criterion; strings borrowed from the set. */
typedef struct emh_criterion_info {
	const char *id;
	int version;
	const char *title;
	const char *domain;
	const char *severity;          /* "blocker", "major", "minor", "advisory" */
	const char *const *references;
	size_t nreferences;
	int manual;
	const char *applies_when;      /* the condition as compact JSON, or NULL */
	const char *const *requires;   /* prerequisite ids */
	size_t nrequires;
	const char *guidance;          /* manual guidance or the SEMI review note, or NULL */
	const char *fail_message;
	const char *remediation;
	const char *file;              /* "DOMAIN/ID.json" */
} emh_criterion_info;

/* Fills *out for criterion i (0 <= i < count, in id order). Returns 0 or EMH_ENOTFOUND. */
int emh_criteria_get(const emh_criteria *c, size_t i, emh_criterion_info *out);

/* A date that must lie within days before the evaluation date ("within_days" anchored to as_of). */
typedef struct emh_date_window {
	const char *path;              /* JSON pointer into the submission */
	long days;
} emh_date_window;

/*
 * The date windows of criterion i's check, outside quantifiers: fills up to
 * max of them into out and returns how many there are (for `emheval due`).
 */
size_t emh_criteria_windows(const emh_criteria *c, size_t i, emh_date_window *out, size_t max);

/* Domains of the framework: id, title and label category, in framework order. */
size_t emh_criteria_domain_count(const emh_criteria *c);
int emh_criteria_domain(const emh_criteria *c, size_t i, const char **id,
                        const char **title, const char **category);

#endif
