/*
 * submission.h - a vendor's submission: submission.json and its evidence files.
 *
 * A submission is a folder holding submission.json and the files its
 * "evidence" list names, or a single JSON file (its evidence then resolves
 * against the file's folder). Loading parses the JSON strictly, keeps the
 * position of every value (for line and column in reports), reads and hashes
 * every evidence file, and refuses evidence paths that leave the folder.
 * A refused or unreadable evidence file does not stop loading: it is
 * recorded, and checks that need it fail.
 *
 * Ownership: returned through **out, freed with emh_submission_free (NULL ok).
 * A loaded submission is read-only and may be evaluated from several threads.
 */
#ifndef EMHEVAL_SUBMISSION_H
#define EMHEVAL_SUBMISSION_H

#include <stddef.h>
#include "emheval/buf.h"
#include "emheval/error.h"

typedef struct emh_submission emh_submission;

/* Limits on untrusted input (docs/security.md); 0 takes the default. */
typedef struct emh_submission_options {
	size_t max_json_bytes;     /* submission.json, 0: 16 MiB (--max-submission-bytes) */
	size_t max_evidence_bytes; /* each evidence file, 0: 64 MiB (--max-evidence-bytes) */
	unsigned max_depth;        /* JSON nesting, 0: 256, at most 1000 (--max-depth) */
	size_t max_evidence_total; /* all evidence files together, 0: 256 MiB
	                              (--max-evidence-total) */
	int skip_hash;             /* 1: leave submission.json's SHA-256 empty, for runs that
	                              write no dossier (evidence files are hashed always:
	                              their hashes are checked) */
	int validation;            /* EMH_VALIDATE_FULL (0), _FRAGMENT or _OFF, below */
	emh_diagnostic_cb on_problem; /* optional: every validation error (the first is also in err) */
	emh_diagnostic_cb on_warning; /* optional: every warning (an unknown member, "did you mean") */
	void *payload;             /* passed to both */
} emh_submission_options;

/*
 * Validation against schemas/submission.schema.json (docs/submission.md), before
 * anything else is read. FULL is the contract. FRAGMENT, for criteria fixtures that
 * hold only the members one criterion reads, applies every rule except "required"
 * (at any level) and the "schema" marker. OFF is for tools and tests only.
 */
enum { EMH_VALIDATE_FULL = 0, EMH_VALIDATE_FRAGMENT = 1, EMH_VALIDATE_OFF = 2 };

#define EMH_SUBMISSION_OPTIONS_INIT { 0, 0, 0, 0, 0, 0, NULL, NULL, NULL }
#define EMH_DEFAULT_MAX_SUBMISSION_BYTES (16u * 1024u * 1024u)
#define EMH_DEFAULT_MAX_EVIDENCE_BYTES (64u * 1024u * 1024u)
#define EMH_DEFAULT_MAX_EVIDENCE_TOTAL (256u * 1024u * 1024u)
#define EMH_DEFAULT_MAX_DEPTH 256u

/*
 * Loads a submission folder or JSON file. Returns 0; EMH_ENOTFOUND if path
 * does not exist; EMH_EINVALID for malformed JSON (err has file, line and
 * column), a document that is not a submission, or one that breaks the schema
 * (err has the first problem and how many there are; opts->on_problem gets
 * each); EMH_ELIMIT when a limit is exceeded.
 */
int emh_submission_load(emh_submission **out, const char *path,
                        const emh_submission_options *opts, emh_error *err);

/* Loads submission.json from memory; it has no evidence files. */
int emh_submission_load_buffer(emh_submission **out, const char *json,
                               size_t len, const char *label,
                               const emh_submission_options *opts,
                               emh_error *err);

/* An evidence file held in memory (for fixtures and tests). */
typedef struct emh_submission_file {
	const char *path; /* as the submission's evidence list names it */
	const char *data;
	size_t len;
} emh_submission_file;

/*
 * Loads submission.json from memory with its evidence files in memory too:
 * each evidence entry's path is looked up among files (exact match, after
 * the same path checks as on disk); one not there is "missing". files are
 * copied. With files NULL this is emh_submission_load_buffer.
 */
int emh_submission_load_memory(emh_submission **out, const char *json, size_t len,
                               const char *label, const emh_submission_file *files,
                               size_t nfiles, const emh_submission_options *opts,
                               emh_error *err);

void emh_submission_free(emh_submission *s);

/* The submission schema's "$id": what a submission's "$schema" member names, for editors. */
#define EMH_SUBMISSION_SCHEMA_ID "https://emheval.example/schemas/submission.schema.json"

/*
 * `emheval init`: writes a new submission folder at dir (created if absent):
 * submission.json with every required field, "TODO: ..." placeholders (each a
 * warning when loaded) and one evidence entry, evidence/privacy-policy.md,
 * with its SHA-256; date is its submission_date. An existing submission.json
 * or evidence/privacy-policy.md is never overwritten (EMH_EINVALID); each file
 * is written atomically, submission.json last. Returns 0 or an EMH_E* code.
 */
int emh_submission_scaffold(const char *dir, const char *date, emh_error *err);

/* One "sha256" rewritten (declared NULL: none was, one is added); where: submission.json:LINE:COL. */
typedef void (*emh_rehash_cb)(const char *path, const char *declared, const char *actual,
                              const emh_error *where, void *payload);

/*
 * `emheval hash`: loads the submission folder dir (validated as `check` does,
 * with opts' limits and callbacks) and appends to out submission.json's text
 * with every supplied document's "sha256" set to the SHA-256 of its file (one
 * added after "path" where none is declared); every other byte is kept.
 * on_change (optional) hears of each value changed. A listed file that cannot
 * be read is an error at its "path" (EMH_ENOTFOUND) and nothing is appended.
 * Returns 0 or an EMH_E* code.
 */
int emh_submission_rehash(emh_buf *out, emh_rehash_cb on_change, void *payload, const char *dir,
                          const emh_submission_options *opts, emh_error *err);

/* SHA-256 (hex) of submission.json's bytes, "" when loaded with skip_hash; borrowed. */
const char *emh_submission_sha256(const emh_submission *s);
/* The label used in errors and dossiers: the path as given. */
const char *emh_submission_label(const emh_submission *s);

#endif
