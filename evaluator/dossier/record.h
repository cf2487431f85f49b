/*
 * record.h (private) - the dossier of record as a cJSON tree, its digest,
 * and its JSON file form: what sealing, rendering, signing, verifying and
 * the ledger share (docs/dossier.md).
 */
#ifndef EMH_DOSSIER_RECORD_H
#define EMH_DOSSIER_RECORD_H

#include <cjson/cJSON.h>
#include "emheval/buf.h"
#include "emheval/dossier.h"
#include "emheval/error.h"

/* The dossier as a tree (caller frees with cJSON_Delete); NULL on OOM. */
cJSON *emh_dossier_to_json(const emh_dossier *d, int with_digest);

/* Adds the dossier's "counts" object to parent: one integer per outcome, by its name (the SARIF run's too). */
void emh_dossier__put_counts(cJSON *parent, const emh_dossier *d);

/*
 * Computes "sha256:HEX" over the canonical compact form of dossier without
 * its "digest" member (which is left in place). Returns 0 or an EMH_E* code.
 */
int emh_json_digest(char out[72], cJSON *dossier, emh_error *err);

/* Appends the dossier's file form: canonical, indented, with its digest when set. */
int emh_report_render_json(emh_buf *out, const emh_dossier *d, emh_error *err);

/*
 * Seals *out when rc is 0 (the result of the call that made it); on any
 * failure frees *out and sets it to NULL. Returns the first failure or 0.
 */
int emh_dossier__sealed(emh_dossier **out, int rc, emh_error *err);

/* A deep copy in a fresh arena, through the dossier's own JSON form. */
int emh_dossier__copy(emh_dossier **out, const emh_dossier *d, emh_error *err);

/* Largest dossier file read (bytes), as for every audit file. */
#define EMH_DOSSIER_MAX_FILE (64u * 1024u * 1024u)

#endif
