/*
 * report.h - rendering a dossier, and reading a saved one back.
 *
 * Renderers read only the dossier (dossier.h); none evaluates anything. The
 * JSON form is the dossier of record: keys sorted, integers only, UTF-8, LF
 * and a final newline; its digest is SHA-256 over the canonical (compact)
 * form of the same document without its "digest" field (docs/dossier.md).
 * The other formats are views of it for people and CI (docs/reports.md).
 * Every string in a dossier may come from an untrusted submission: each
 * renderer escapes it for its output language, so no output can be made to
 * carry markup, escape sequences or workflow commands of the submitter's.
 * Rendering is thread-safe: renderers keep no state between calls.
 */
#ifndef EMHEVAL_REPORT_H
#define EMHEVAL_REPORT_H

#include "emheval/buf.h"
#include "emheval/dossier.h"
#include "emheval/error.h"

typedef enum emh_format {
	EMH_FORMAT_JSON,     /* the dossier of record */
	EMH_FORMAT_TEXT,     /* a terminal: verdict first, failures with evidence, wrapped */
	EMH_FORMAT_HTML,     /* one self-contained, printable, accessible page */
	EMH_FORMAT_MARKDOWN, /* pull-request comments and tickets (GitHub-flavoured) */
	EMH_FORMAT_JUNIT,    /* JUnit XML: one testcase per criterion */
	EMH_FORMAT_SARIF,    /* SARIF 2.1.0 */
	EMH_FORMAT_GITHUB,   /* GitHub Actions workflow commands (::error file=...::) */
	EMH_FORMAT__COUNT
} emh_format;

/* The format names emh_format_parse accepts, for help and error messages. */
#define EMH_FORMAT_NAMES "text, json, html, markdown, junit, sarif, github"

typedef struct emh_render_options {
	int color;                   /* 1: ANSI colours (text) */
	unsigned width;              /* text: wrap at this many columns (at least 40), 0: 80 */
	const char *base;            /* sarif, github, junit: folder that evidence paths are
	                                relative to, prefixed to every file location (the
	                                submission folder as given); NULL: none */
	const char *submission_file; /* sarif, github, junit: how locations name
	                                submission.json (e.g. a bare JSON file as given);
	                                NULL: "submission.json" under base */
	const char *signature;       /* html: the signature status to show (a signature is an
	                                envelope beside the dossier, not part of it, so only the
	                                caller knows); NULL: says where to look */
	int verbose;                 /* text: also each text check's pattern (a finding's
	                                "pattern"); otherwise its plain words alone */
	int unverified;              /* 1: the dossier's digest does not match its content;
	                                every format says so where its reader looks first
	                                (EMH_REPORT_UNVERIFIED_TEXT, docs/reports.md) */
} emh_render_options;

#define EMH_RENDER_OPTIONS_INIT { 0, 80, NULL, NULL, NULL, 0, 0 }

/* What a report of a dossier that does not verify says (render option "unverified"). */
#define EMH_REPORT_UNVERIFIED_TEXT "UNVERIFIED: this dossier's digest does not match its content. It was " \
	"changed after it was written; its verdict and results cannot be trusted."

/*
 * Parses a format name (see EMH_FORMAT_NAMES; "md" is taken for
 * "markdown"); returns 0 or EMH_EINVALID.
 */
int emh_format_parse(emh_format *out, const char *name);

/* The name of a format ("sarif"); "unknown" for a value out of range. */
const char *emh_format_name(emh_format f);

/*
 * The file extension of a format, without the leading dot: json, txt, html,
 * md, junit.xml, sarif, github.txt. They differ, so a batch can write every
 * format of a dossier side by side.
 */
const char *emh_format_extension(emh_format f);

/*
 * Appends the dossier in format f to out. The JSON form carries d->digest
 * when it is set (emh_dossier_seal sets it). Returns 0, or the buffer's
 * error (EMH_ELIMIT, EMH_EGENERIC).
 */
int emh_report_render(emh_buf *out, const emh_dossier *d, emh_format f,
                      const emh_render_options *opts, emh_error *err);

/* One row of a batch's index page. */
typedef struct emh_index_row {
	const emh_dossier *dossier; /* NULL: a submission that could not be evaluated (an input error) */
	const char *href;           /* the relative path of its own page, NULL: no page, so no link */
	const char *name;           /* the batch's name for it (its output files' stem), or NULL */
	const char *folder;         /* the submission as given (folder or file), shown so that two
	                               submissions of one app in different folders are told apart; or NULL */
	const char *error;          /* for an input error: why, or NULL */
} emh_index_row;

/*
 * Appends an HTML index of n rows (a batch): verdict counts, then one row
 * per submission, in the order given: its app and version (linked to href,
 * percent-encoded here so a name can never become a scheme or a query),
 * submission id, folder, verdict and counts; an input error shows its name,
 * folder and message, linked to nothing. The page is self-contained like the
 * HTML report. opts may be NULL. Returns 0, or the buffer's error.
 */
int emh_report_render_index(emh_buf *out, const emh_index_row *rows, size_t n,
                            const emh_render_options *opts, emh_error *err);

#endif
