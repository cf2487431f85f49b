/*
 * validate.h (private) - a submission checked against
 * schemas/submission.schema.json, which is compiled into the library.
 *
 * The validator implements exactly the JSON Schema 2020-12 keywords that
 * schema uses (emh_validate_unsupported_keyword says when it uses another),
 * and reports every problem at its line and column with the JSON pointer,
 * what was expected and what was found.
 */
#ifndef EMH_EVALUATOR_VALIDATE_H
#define EMH_EVALUATOR_VALIDATE_H

#include <stddef.h>
#include "emheval/error.h"
#include "emheval/submission.h"
#include "evaluator/json.h"

/* The schema's text (generated from schemas/submission.schema.json at build time). */
extern const char emh_submission_schema_json[];
extern const size_t emh_submission_schema_len;

/* At most this many errors are reported one by one; the rest are counted. */
#define EMH_VALIDATE_MAX_ERRORS 50u

/*
 * Validates doc's root (mode: EMH_VALIDATE_FULL or EMH_VALIDATE_FRAGMENT).
 * Each error goes to on_problem, each warning (an unknown member, with a
 * "did you mean") to on_warning; either may be NULL. Returns 0 when there
 * is no error, else EMH_EINVALID with err set to the first error and the
 * count of the others. A document that is not a submission at all (no or a
 * foreign "schema" member) gives that one error only.
 */
int emh_validate_submission(const emh_json *doc, const char *file, int mode,
                            emh_diagnostic_cb on_problem, emh_diagnostic_cb on_warning,
                            void *payload, emh_error *err);

/*
 * The first keyword the embedded schema uses that the validator does not
 * implement, or NULL when there is none (a unit test keeps this NULL).
 * "(unparsable)" when the embedded schema does not parse.
 */
const char *emh_validate_unsupported_keyword(void);

#endif
