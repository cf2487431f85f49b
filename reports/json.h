/*
 * json.h (private) - the dossier as a cJSON tree, and digests over it.
 */
#ifndef EMH_REPORTS_JSON_H
#define EMH_REPORTS_JSON_H

#include <cjson/cJSON.h>
#include "emheval/buf.h"
#include "emheval/dossier.h"
#include "emheval/error.h"

/* The dossier as a tree (caller frees with cJSON_Delete); NULL on OOM. */
cJSON *emh_dossier_to_json(const emh_dossier *d, int with_digest);

/*
 * Computes "sha256:HEX" over the canonical compact form of dossier without
 * its "digest" member (which is left in place). Returns 0 or an EMH_E* code.
 */
int emh_json_digest(char out[72], cJSON *dossier, emh_error *err);

int emh_report_render_json(emh_buf *out, const emh_dossier *d, emh_error *err);
int emh_report_render_text(emh_buf *out, const emh_dossier *d,
                           int color, unsigned width, emh_error *err);

#endif
