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

#endif
