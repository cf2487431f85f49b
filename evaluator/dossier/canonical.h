/*
 * canonical.h (private) - canonical JSON printing shared by the dossier
 * writer, everything that verifies a dossier's digest or a signature, and
 * the JSON outputs above (SARIF, the gate's reports).
 */
#ifndef EMH_DOSSIER_CANONICAL_H
#define EMH_DOSSIER_CANONICAL_H

#include <cjson/cJSON.h>
#include "emheval/buf.h"
#include "emheval/error.h"

/*
 * Appends v in canonical form: compact (pretty = 0, the form that is hashed)
 * or indented with a final newline (pretty = 1, the form that is written).
 * Returns 0, or EMH_EINVALID for a value with no canonical form (a non-integer
 * number, a duplicate key, nesting deeper than 200).
 */
int emh_canonical_print(emh_buf *out, const cJSON *v, int pretty);

/*
 * Appends v on one line with members in the tree's order (not sorted):
 * compact (spaced = 0, a JSON Lines record) or with ": " after keys and ", "
 * between items (spaced = 1). Strings and integers as in the canonical form.
 * Returns 0, EMH_EINVALID (a non-integer number, nesting deeper than 200) or
 * the buffer's error.
 */
int emh_json_print_line(emh_buf *out, const cJSON *v, int spaced);
/* The members of object in that form, without braces; preceded by a separator unless first. */
int emh_json_print_members(emh_buf *out, const cJSON *object, int spaced, int first);

#endif
