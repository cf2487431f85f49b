/*
 * audit_internal.h (private) - what the audit files (evaluator/audit/)
 * share: reading files whole, percent-encoding, strict record reading and
 * checking a dossier's bytes (common.c); strict base64, DSSE envelopes and
 * raw signatures (sign.c); recorded reviews applied again (review.c).
 */
#ifndef EMH_AUDIT_INTERNAL_H
#define EMH_AUDIT_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "emheval/audit.h"
#include "emheval/buf.h"
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "emheval/eval.h"
#include "evaluator/waive.h"

struct emh_arena;

/* Largest dossier, envelope, waivers or reviews file read (bytes). */
#define EMH_AUDIT_MAX_FILE (64u * 1024u * 1024u)

/*
 * Reads a regular file whole (NUL-terminated, free()), at most max bytes.
 * Returns 0, EMH_ENOTFOUND, EMH_EIO, EMH_ELIMIT or EMH_EUNSAFE, with the
 * file named in err.
 */
int emh_audit__read_file(char **out, size_t *len, const char *path, size_t max,
                         emh_error *err);

/* Base64 (RFC 4648, with padding). Decoding is strict: no whitespace, no
 * stray bits in the last character, so one text decodes to one byte string. */
void emh_audit__base64_encode(emh_buf *out, const unsigned char *data, size_t len);
/* Returns 0 and a malloc'd buffer (NUL-terminated), or -1 for invalid input. */
int emh_audit__base64_decode(unsigned char **out, size_t *outlen, const char *s, size_t len);

/* An Ed25519 signature of msg by a private key, appended to b64 in base64: 0, or -1. */
int emh_audit__sign_text(emh_buf *sig64, const emh_key *key, const char *msg, size_t len);
/* 0 when b64 is key's valid signature of msg, 1 otherwise. */
int emh_audit__verify_text(const emh_key *key, const char *sig64, const char *msg, size_t len);

/* DSSE pre-authentication encoding of (type, body), appended to out. */
void emh_audit__pae(emh_buf *out, const char *type, const unsigned char *body, size_t len);

/*
 * Checks on a dossier tree as parsed from disk, each returning 0 when it
 * holds and 1 (with why) when it does not:
 * - canonical: bytes are exactly the tree's canonical form (pretty = 1 for
 *   a dossier file, 0 for the compact form);
 * - model: emh_dossier_parse reads it and renders it back unchanged, so it
 *   holds no member emheval does not write (*model, if not NULL, gets it);
 * - digest: the recorded digest is that of the canonical form without it.
 */
int emh_audit__check_canonical(const cJSON *tree, const char *bytes, size_t len, int pretty,
                               char *why, size_t whysize);
int emh_audit__check_model(emh_dossier **model, const cJSON *tree, const char *label,
                           char *why, size_t whysize);
int emh_audit__check_digest(const cJSON *tree, char *why, size_t whysize);
/* The first line where a and b differ, described for a terminal. */
void emh_audit__first_difference(char *why, size_t whysize, const char *a, size_t alen,
                                 const char *b, size_t blen);

/* What opening an envelope found. */
typedef struct emh_envelope_info {
	cJSON *statement;        /* the parsed statement (caller frees), or NULL */
	const cJSON *dossier;    /* the dossier inside the statement (borrowed from statement) */
	int signature;           /* EMH_CHECK_OK (verified), _FAILED, or _SKIPPED (no key) */
	char keyid[65];          /* keyid of the first signature, "" when none */
	char why[600];           /* the first problem, or the signature's detail */
} emh_envelope_info;

/*
 * Opens a DSSE envelope: strict JSON in canonical form, payloadType, a
 * statement of our types whose payload is canonical, and (with key) a
 * valid Ed25519 signature by key over the PAE. Returns 0 when the envelope
 * is well formed (signature status in info->signature), 1 when it is not
 * (info->why), or a negative EMH_E* code for out of memory.
 */
int emh_audit__open_envelope(emh_envelope_info *info, const char *bytes, size_t len,
                             const char *label, const emh_key *key);
void emh_audit__envelope_dispose(emh_envelope_info *info);

/*
 * Cross-checks a statement against the dossier tree it claims to be about:
 * the dossier inside is the same document, the subject is the submission's
 * SHA-256, the policy is the criteria commit and tree, the result matches
 * the verdict. Returns 0 or 1 with why.
 */
int emh_audit__statement_matches(const cJSON *statement, const cJSON *dossier,
                                 char *why, size_t whysize);

/* ---- strict reading of small record files (waiver.c, review.c, reviewers.c) ---- */

struct emh_json;
typedef struct emh_audit_reader {
	const struct emh_json *doc; /* the parsed file, for positions */
	const char *label;          /* the file's name in errors */
	emh_error *err;
} emh_audit_reader;

/* Sets err to "label:line:col: message (at pointer)" for node; returns EMH_EINVALID. */
int emh_audit__bad(const emh_audit_reader *r, const cJSON *node, const char *pointer,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Fails on any member of obj not in allowed (NULL-terminated). */
int emh_audit__only_members(const emh_audit_reader *r, const cJSON *obj, const char *pointer,
                            const char *const *allowed);
/* Flags of emh_audit__text. */
#define EMH_AUDIT_REQUIRED 1 /* the member must be present */
#define EMH_AUDIT_NAME 2     /* a name: one line, no control, separator or bidi character */

/*
 * A string member that must hold something visible: not only white space,
 * format characters (zero-width spaces) or controls, in Unicode's sense;
 * no control character but tab and line breaks (none at all in a name).
 * *out = NULL and 0 when optional and absent. Returns 0 or EMH_EINVALID.
 */
int emh_audit__text(const emh_audit_reader *r, const cJSON *obj, const char *pointer,
                    const char *key, int flags, const char **out);

/* The plausible window for a decision's or waiver's date (docs/audit.md). */
#define EMH_AUDIT_FIRST_DATE "2000-01-01"
#define EMH_AUDIT_LAST_DATE "2099-12-31"
/* Days after the evaluation date a review date or a waiver's expiry may be (evaluator/waive.h). */
#define EMH_AUDIT_DAYS_AHEAD EMH_WAIVE_DAYS_AHEAD

/* A required date member: a real YYYY-MM-DD within the window above; *day its day number. */
int emh_audit__date(const emh_audit_reader *r, const cJSON *obj, const char *pointer,
                    const char *key, const char **out, long *day);
/* The array under key of a top-level object, e.g. {"waivers": [...]}. */
int emh_audit__records(const emh_audit_reader *r, const cJSON *root, const char *key,
                       const cJSON **out);
/* Parses a record file strictly (a NUL anywhere refused): emh_json_parse with the audit's limits. */
int emh_audit__parse(struct emh_json **doc, const char *json, size_t len, const char *label, emh_error *err);
/*
 * A record's optional "signature": {"keyid", "sig"}, both names, nothing else. *keyid and *sig64
 * are NULL when it is absent. Returns 0 or EMH_EINVALID.
 */
int emh_audit__signature(const emh_audit_reader *r, const cJSON *obj, const char *pointer, const char **keyid,
                         const char **sig64);

/* A string and where it came from in its file (the n-th record), for finding repeats. */
typedef struct emh_audit_key {
	const char *text;
	size_t index;
} emh_audit_key;

/*
 * Sorts keys[0..n) and finds the first record (lowest index) whose text an
 * earlier record already has: 1 with *repeat its index and *first the
 * earlier record's, or 0 when every text is unique. O(n log n), where
 * comparing each record with those before it was quadratic.
 */
int emh_audit__first_repeat(emh_audit_key *keys, size_t n, size_t *repeat, size_t *first);

/* ---- review (review.c), for verify.c ---------------------------------- */

/* Applies recorded reviews (no positions) as emh_review_apply does, without sealing. */
int emh_review__apply_records(emh_dossier **out, const emh_dossier *prev, const emh_criteria *set,
                              const emh_review *items, size_t count, emh_error *err);

/* ---- raw Ed25519 signatures (sign.c), for signed decisions ----------- */

/* An Ed25519 public key from base64 DER SubjectPublicKeyInfo (the body of a .pub file). */
int emh_audit__key_from_spki(emh_key **out, const char *b64);
/* Appends the base64 Ed25519 signature of msg by key (a private key). */
int emh_audit__sign_bytes(emh_buf *sig64, const emh_key *key, const void *msg, size_t len, emh_error *err);
/* 1 when sig64 is canonical base64 of a valid signature of msg by key. */
int emh_audit__verify_bytes(const emh_key *key, const char *sig64, const void *msg, size_t len);

/* ---- ledger path encoding (ledger.c) ---------------------------------- */

/* Appends s percent-encoded: bytes outside [A-Za-z0-9._-] and a leading '.' become %XX. */
void emh_audit__pct_encode(emh_buf *out, const char *s);
/*
 * emh_ledger_log over every app without building the dossier model: each entry has its commit, path,
 * sequence and bytes (json, envelope), and NULL for dossier and the fields read from it. For a first
 * walk that needs only a few members of each filing (register/model.c, reg_scan_ledger).
 */
int emh_audit__ledger_bytes(const char *path, emh_ledger_entry_cb cb, void *payload, emh_error *err);

#endif
