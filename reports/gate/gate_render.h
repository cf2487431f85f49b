/*
 * gate_render.h (private) - helpers shared by the gate's renderers
 * (gate_lint.c, gate_fixtures.c, gate_impact.c). Names with a double
 * underscore are internal to reports/.
 */
#ifndef EMH_REPORTS_GATE_RENDER_H
#define EMH_REPORTS_GATE_RENDER_H

#include <cjson/cJSON.h>
#include "emheval/buf.h"
#include "emheval/error.h"

/*
 * Where a SARIF reader learns about the tool (tool.driver.informationUri,
 * which sarif-multitool asks for): the project's address, the same base as
 * the schemas' $id (docs/decisions.md).
 */
#define EMH_SARIF_INFORMATION_URI "https://emheval.example/"

/* Sets err from a failed buffer and returns its code; 0 when out is fine. */
int emh_gate__finish(const emh_buf *out, emh_error *err);

/*
 * JSON reports are built as cJSON trees: a string member (value NULL: null,
 * emh_json_put_str_or_null), an integer (emh_json_put_num; both in
 * evaluator/json.h), a boolean. Then printed on one line by the dossier module's
 * printer (members in the order added, ": " and ", "): the whole value, or
 * only its members (preceded by ", " unless first). failures is
 * emh_json_alloc_failures() before building: a tree that lost a member to
 * memory fails b instead of being printed without it.
 */
void emh_gate__put_bool(cJSON *o, const char *key, int value);
/* The criteria a report read: repository, criteria_path, rev, commit (each a string or null). */
void emh_gate__put_source(cJSON *o, const char *repository, const char *criteria_path, const char *rev,
                          const char *commit);
void emh_gate__json_line(emh_buf *b, const cJSON *v, unsigned long failures);
void emh_gate__json_members(emh_buf *b, const cJSON *o, int first, unsigned long failures);

/*
 * Text that may come from a submission or a criteria file, for Markdown:
 * characters that Markdown or HTML would interpret are backslash-escaped or
 * written as entities, control characters become spaces, invalid UTF-8
 * U+FFFD, and line breaks spaces, so it stays one inline span (also inside a
 * table cell). NULL appends nothing.
 */
void emh_gate__md(emh_buf *b, const char *s);

/*
 * The same as a code span when s has no backtick, pipe, backslash or control
 * character (a path, a revision), else as emh_gate__md escapes it.
 */
void emh_gate__md_code(emh_buf *b, const char *s);

/* Text for a terminal: control characters (and ESC) become spaces. */
void emh_gate__plain(emh_buf *b, const char *s);

/* The first 7 characters of a commit id, or "" for NULL. */
const char *emh_gate__short(const char *commit, char buf[8]);

#endif
