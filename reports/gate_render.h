/*
 * gate_render.h (private) - helpers shared by the gate's renderers
 * (gate_lint.c, gate_fixtures.c, gate_impact.c). Names with a double
 * underscore are internal to reports/.
 */
#ifndef EMH_REPORTS_GATE_RENDER_H
#define EMH_REPORTS_GATE_RENDER_H

#include "emheval/buf.h"
#include "emheval/error.h"

/* Sets err from a failed buffer and returns its code; 0 when out is fine. */
int emh_gate__finish(const emh_buf *out, emh_error *err);

/* "key": "value" (value NULL: null), JSON-escaped; comma before unless first. */
void emh_gate__json_str(emh_buf *b, const char *key, const char *value, int first);
void emh_gate__json_num(emh_buf *b, const char *key, long long value, int first);

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
