/*
 * submission_internal.h (private) - a loaded submission as the evaluator sees it.
 */
#ifndef EMH_EVALUATOR_SUBMISSION_INTERNAL_H
#define EMH_EVALUATOR_SUBMISSION_INTERNAL_H

#include <pthread.h>
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
	emh_language lang;     /* the detected language of the text the checks read (language.h),
	                          once lang_done: detected on first need (emh_evidence_language) */
	int lang_done;
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
	pthread_mutex_t lang_lock; /* guards lang and lang_done of every evidence entry */
};

/*
 * The detected language of evidence entry i, detected now if no check needed
 * it before: only text checks do, so a submission evaluated without them is
 * never classified. A submission may be evaluated from several threads at
 * once, hence the lock. NULL: out of memory. Call only for an entry whose
 * text is valid UTF-8 without NUL bytes.
 */
const emh_language *emh_evidence_language(const emh_submission *s, size_t i);

/*
 * A screen of a bare JSON file's parsed document, before it is validated or
 * anything else is read: a reason (a static string) why the file is not a
 * submission, or NULL to load it.
 */
typedef const char *(*emh_submission_screen)(const cJSON *root);

/*
 * emh_submission_load, with screen applied to a JSON file given by path (a
 * folder's submission.json is never screened): when it gives a reason, the
 * load returns 0 with *out NULL and *screened the reason. The file is read
 * and parsed once, for the screen and the load (the batch's discovery used to
 * read every file a second time, in one thread, before any worker started).
 */
int emh_submission__load_screened(emh_submission **out, const char *path,
                                  const emh_submission_options *opts, emh_submission_screen screen,
                                  const char **screened, emh_error *err);

#endif
