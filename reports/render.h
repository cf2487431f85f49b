/*
 * render.h (private) - the renderers behind emh_report_render, and the few
 * helpers they share: labels, domain grouping, locations and escaping of
 * untrusted text. Names with a double underscore are internal to reports/.
 */
#ifndef EMH_REPORTS_RENDER_H
#define EMH_REPORTS_RENDER_H

#include "emheval/report.h"

/* Each renderer appends one document to out and returns 0 or the buffer's error (set in err). */
int emh_report_render_html(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err);
int emh_report_render_markdown(emh_buf *out, const emh_dossier *d, const emh_render_options *o,
                               emh_error *err);
int emh_report_render_junit(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err);
int emh_report_render_sarif(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err);
int emh_report_render_github(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err);
int emh_report_render_text(emh_buf *out, const emh_dossier *d, int color, unsigned width, int verbose,
                           emh_error *err);

/* Sets err from a failed buffer and returns the code; 0 when out is fine. */
int emh_report__finish(const emh_buf *out, emh_error *err);

/* "Passed", "Failed", "Not applicable", ... for people. */
const char *emh_report__outcome_label(emh_outcome o);
/* "Approved", "Rejected", ... for people. */
const char *emh_report__verdict_label(emh_verdict v);
/* "Blocker", "Major", ... for people. */
const char *emh_report__severity_label(emh_severity s);

/*
 * The distinct domains of d's results, in order of first appearance (results
 * are sorted by id), and each result's index into them. Caller frees both
 * with emh_report__domains_dispose. Returns 0 or EMH_EGENERIC (out of memory).
 */
typedef struct emh_report__domains {
	const char **names;   /* ndomains names, borrowed from d */
	size_t ndomains;
	size_t *of_result;    /* nresults indexes into names */
} emh_report__domains;
int emh_report__domains_init(emh_report__domains *out, const emh_dossier *d);
void emh_report__domains_dispose(emh_report__domains *g);

/* A short display name: app name, else submission id, else "(unnamed submission)". */
const char *emh_report__app_name(const emh_dossier *d);

/*
 * Appends the path a finding points into, as a location for CI: the
 * evidence file under o->base, or submission.json (o->submission_file, else
 * under o->base). Appends nothing and returns 0 when f names no file and no
 * pointer; returns 1 otherwise.
 */
int emh_report__finding_path(emh_buf *b, const emh_render_options *o, const emh_finding *f);

/*
 * Text for XML and HTML, in content and in quoted attribute values: markup
 * characters become references; control characters (C0 but tab and line
 * feed, DEL), what emh_report__unwanted names and invalid UTF-8 become
 * U+FFFD, so the result is well-formed XML 1.0 and conforming HTML whatever
 * s holds.
 * NULL appends nothing.
 */
void emh_report__markup(emh_buf *b, const char *s);
void emh_report__markup_n(emh_buf *b, const char *s, size_t len);
/* A date as HTML that never breaks across lines (<span class="date">, styled white-space:nowrap by the
 * page): 2027-03-31 stays whole on paper and in a narrow table column. */
void emh_report__date(emh_buf *b, const char *date);
/*
 * An HTML page's head up to its open <style> (the dossier's page and the register's): doctype, charset,
 * viewport, the Content-Security-Policy (no script, no fetch: the inline style only), no referrer, and
 * <title> with title escaped and then suffix (ours, may be NULL) as it is.
 */
void emh_report__html_head(emh_buf *b, const char *title, const char *suffix);

/*
 * The file a finding is in, as a reader names it: its evidence file, or
 * "submission.json" for a located point in the submission document (a
 * pointer with a line); NULL when neither. Renderers print FILE:LINE:COL and
 * then the pointer, so a location reads the same in every format.
 */
const char *emh_report__finding_file(const emh_finding *f);

/* Untrusted text, escaped for Markdown (inline, in paragraphs, lists and table cells); NULL appends nothing. */
void emh_report__markdown(emh_buf *b, const char *s);

/*
 * Plain text with no control characters: C0, DEL and C1 become a space,
 * invalid UTF-8 and the rest of emh_report__unwanted U+FFFD. For the terminal and single-line
 * formats; NULL appends nothing.
 */
void emh_report__plain(emh_buf *b, const char *s);

/*
 * 1 for code points no output carries as they are: C1 controls, Unicode
 * noncharacters, and the bidirectional embedding, override and isolate
 * controls (U+202A-U+202E, U+2066-U+2069), which could make a submission's
 * text display other than it reads. The escapers write U+FFFD instead.
 */
int emh_report__unwanted(unsigned long cp);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid; sets *cp. */
size_t emh_report__utf8(const unsigned char *s, size_t len, unsigned long *cp);

/*
 * When f's "found" is a quoted JSON string that occurs in f->excerpt, sets
 * [*start, *end) to its byte range there and returns 1 (for highlighting the
 * match); returns 0 otherwise.
 */
int emh_report__match_in_excerpt(const emh_finding *f, size_t *start, size_t *end);

/* ---- the sentences the people-facing renderers share (sentence.c) ---------- */

/*
 * Where a shared sentence is written: own appends our own words as they are,
 * text a submission's (untrusted) text escaped for the format (NULL appends
 * nothing); to is the renderer's state, passed to both.
 */
typedef struct emh_report__sink {
	void (*own)(void *to, const char *s);
	void (*text)(void *to, const char *s);
	void *to;
} emh_report__sink;

/* "FILE:LINE:COL POINTER" (FILE as emh_report__finding_file, else the pointer alone); 0 and nothing when
 * f names neither a file nor a pointer, else 1. */
int emh_report__where(const emh_report__sink *k, const emh_finding *f);
/* "expected X, found Y" ("?" for either absent). */
void emh_report__expected_found(const emh_report__sink *k, const emh_finding *f);
/* A decision after its criterion: "DECISION by REVIEWER (ROLE) on DATE: RATIONALE", each absent part left out. */
void emh_report__review_sentence(const emh_report__sink *k, const emh_review *r);
/* A waiver's approval after its name: ", approved by APPROVER, expires DATE: JUSTIFICATION". */
void emh_report__waiver_approval(const emh_report__sink *k, const emh_waiver *w);
/* 1 when e's status is "verified"; anything else (a mismatch, a missing file) is an integrity problem. */
int emh_report__evidence_verified(const emh_evidence_file *e);
/* How many of d's evidence files are not verified. */
size_t emh_report__unverified(const emh_dossier *d);
/* An unverified evidence file's "STATUS" ("unknown" when absent), then ", PROBLEM" when there is one. */
void emh_report__evidence_status(const emh_report__sink *k, const emh_evidence_file *e);
/* "N review(s) open: ID, ID" for the results that await a review (the verdict is not final); nothing when none. */
void emh_report__open_reviews(const emh_report__sink *k, const emh_dossier *d);

/* What a renderer does with a section's results: each domain's heading, then each result. */
typedef struct emh_report__group_visit {
	void (*domain)(void *to, const char *name);
	void (*result)(void *to, const emh_result *r);
	void *to;
} emh_report__group_visit;
/* d's results of outcome want, domain by domain in order of first appearance, severest first in each. */
void emh_report__grouped(const emh_dossier *d, const emh_report__domains *g, emh_outcome want,
                         const emh_report__group_visit *v);

#endif
