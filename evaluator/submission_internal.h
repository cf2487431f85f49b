/*
 * submission_internal.h (private) - a loaded submission as the evaluator sees it.
 */
#ifndef EMH_EVALUATOR_SUBMISSION_INTERNAL_H
#define EMH_EVALUATOR_SUBMISSION_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "emheval/submission.h"
#include "evaluator/json.h"
#include "evaluator/language.h"
#include "evaluator/textnorm.h"

typedef struct emh_evidence_entry {
	char *kind;
	char *path;            /* relative, as declared */
	char *declared_sha256; /* lowercase hex as declared, or NULL */
	char sha256[65];       /* computed; "" when the file could not be read */
	char *text;            /* the file's bytes, NUL-terminated, or NULL */
	size_t len;
	int utf8_ok;           /* text is valid UTF-8 (regexes may run on it) */
	size_t nul_at;         /* offset of its first NUL byte, or (size_t)-1: not text */
	emh_textnorm norm;     /* the text the text checks read (textnorm.h), when
	                          utf8_ok, no NUL byte and normalising changed it;
	                          norm.text NULL otherwise (the checks read text) */
	emh_language lang;     /* the detected language of the text the checks read (language.h) */
	const char *status;    /* "verified", "mismatch", "undeclared", "missing", or as declared:
	                          "not_supplied", "not_applicable" */
	char *problem;         /* why it is missing, or the vendor's reason (and note), or NULL */
	int declared;          /* 1: declared not supplied / not applicable (no file, path may be "") */
} emh_evidence_entry;

struct emh_submission {
	char *label;           /* the path as given */
	char *json_label;      /* submission.json's path, for errors and findings */
	emh_json *doc;
	const cJSON *root;
	char sha256[65];
	emh_evidence_entry *evidence;
	size_t nevidence;
};

#endif
