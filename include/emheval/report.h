/*
 * report.h - rendering a dossier, and reading a saved one back.
 *
 * Renderers read only the dossier (dossier.h); none evaluates anything. The
 * JSON form is the dossier of record: keys sorted, integers only, UTF-8, LF
 * and a final newline; its digest is SHA-256 over the canonical (compact)
 * form of the same document without its "digest" field (docs/dossier.md).
 */
#ifndef EMHEVAL_REPORT_H
#define EMHEVAL_REPORT_H

#include "emheval/buf.h"
#include "emheval/dossier.h"
#include "emheval/error.h"

typedef enum emh_format {
	EMH_FORMAT_JSON,
	EMH_FORMAT_TEXT
} emh_format;

typedef struct emh_render_options {
	int color;      /* 1: ANSI colours (text) */
	unsigned width; /* wrap text at this many columns, 0: 80 */
} emh_render_options;

#define EMH_RENDER_OPTIONS_INIT { 0, 80 }

/* Parses "json", "text", ... ; returns 0 or EMH_EINVALID. */
int emh_format_parse(emh_format *out, const char *name);

/*
 * Appends the dossier in format f to out. The JSON form carries d->digest
 * when it is set (emh_dossier_seal sets it). Returns 0, or the buffer's
 * error (EMH_ELIMIT, EMH_EGENERIC).
 */
int emh_report_render(emh_buf *out, const emh_dossier *d, emh_format f,
                      const emh_render_options *opts, emh_error *err);

/*
 * Reads a dossier written by emh_report_render (EMH_FORMAT_JSON) back into
 * the model. label names the file in errors. Returns 0, or EMH_EINVALID with
 * file, line, column and pointer of the first bad member. The digest is read,
 * not checked (verification is its own step).
 */
int emh_dossier_parse(emh_dossier **out, const char *json, size_t len,
                      const char *label, emh_error *err);

/* Computes and stores d->digest ("sha256:HEX") from its canonical form. */
int emh_dossier_seal(emh_dossier *d, emh_error *err);

#endif
