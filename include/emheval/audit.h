/*
 * audit.h - what makes a dossier auditable years later: Ed25519 keys,
 * signed statements (in-toto Statement v1 in a DSSE envelope), waivers,
 * reviews that write the next revision of a dossier, verification that
 * re-runs the evaluation, and a git ledger of filed dossiers.
 * docs/audit.md describes the formats and the guarantees.
 *
 * Ownership: objects returned through **out are the caller's and are freed
 * with their emh_*_free (which accept NULL). Getters return borrowed
 * pointers that live as long as their parent. Nothing here keeps global
 * state; distinct objects may be used from distinct threads.
 */
#ifndef EMHEVAL_AUDIT_H
#define EMHEVAL_AUDIT_H

#include <stddef.h>
#include "emheval/buf.h"
#include "emheval/criteria.h"
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "emheval/submission.h"

/* ---- keys --------------------------------------------------------------- */

typedef struct emh_key emh_key;

/*
 * Makes an Ed25519 key pair: PREFIX.key (PKCS#8 PEM, mode 0600) and
 * PREFIX.pub (SubjectPublicKeyInfo PEM, mode 0644). Each file is written
 * to a temporary file and linked into place, so it appears whole or not at
 * all, and an existing file is never overwritten (EMH_EINVALID, nothing
 * written). keyid (65 bytes, may be NULL) receives the key id.
 * Returns 0, EMH_EINVALID, EMH_EIO or EMH_EGENERIC.
 */
int emh_key_generate(const char *prefix, char *keyid, emh_error *err);

/*
 * Loads a PEM key: a public key, or an unencrypted private key (which can
 * also verify). Only Ed25519 is accepted. Returns 0; EMH_ENOTFOUND or
 * EMH_EIO when the file cannot be read; EMH_EINVALID when it holds no
 * Ed25519 key.
 */
int emh_key_load(emh_key **out, const char *path, emh_error *err);
void emh_key_free(emh_key *key);
/* 1 when the key can sign. */
int emh_key_is_private(const emh_key *key);
/* Lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo; borrowed. */
const char *emh_key_id(const emh_key *key);

/* ---- signed statements -------------------------------------------------- */

#define EMH_DSSE_PAYLOAD_TYPE "application/vnd.in-toto+json"
#define EMH_STATEMENT_TYPE "https://in-toto.io/Statement/v1"
#define EMH_PREDICATE_TYPE "https://slsa.dev/verification_summary/v1"
/* The predicate member that carries the whole dossier. */
#define EMH_PREDICATE_DOSSIER_KEY EMH_DOSSIER_FORMAT

/*
 * Appends the in-toto Statement for a sealed dossier (canonical compact
 * JSON): subject the submission by SHA-256, predicate a SLSA verification
 * summary whose policy is the criteria commit and tree, with the dossier
 * under EMH_PREDICATE_DOSSIER_KEY. timeVerified comes from
 * SOURCE_DATE_EPOCH when it is set, and is left out otherwise, so the
 * statement is as deterministic as the dossier. Returns 0 or an EMH_E* code.
 */
int emh_statement_render(emh_buf *out, const emh_dossier *d, emh_error *err);

/*
 * Appends the DSSE envelope (canonical pretty JSON, final newline) that
 * signs the statement of d with key (a private key). Ed25519 signatures are
 * deterministic: the same dossier and key give the same bytes.
 */
int emh_sign_dossier(emh_buf *out, const emh_dossier *d, const emh_key *key,
                     emh_error *err);

/*
 * The envelope's file name for a dossier file: "X.json" -> "X.dsse.json",
 * anything else gets ".dsse.json" appended. Returns 0, or EMH_ELIMIT when
 * dst (size bytes) is too small.
 */
int emh_envelope_path(char *dst, size_t size, const char *dossier_path);

/* ---- waivers ------------------------------------------------------------ */

/*
 * A waivers file: {"waivers": [{"id", "criterion", "scope": {"app_id",
 * "app_version"?}, "justification", "approver", "expires"}, ...]}. Parsed
 * strictly: unknown members, a missing or empty field, a bad date or a
 * repeated id are errors with file, line and column.
 */
typedef struct emh_waivers emh_waivers;

int emh_waivers_parse(emh_waivers **out, const char *json, size_t len,
                      const char *label, emh_error *err);
int emh_waivers_load(emh_waivers **out, const char *path, emh_error *err);
/* The waivers sorted by id (status NULL); borrowed. */
const emh_waiver *emh_waivers_items(const emh_waivers *w, size_t *count);
void emh_waivers_free(emh_waivers *w);

/* ---- reviews ------------------------------------------------------------ */

/*
 * A reviews file: {"reviews": [{"reviewer", "role", "criterion", "version",
 * "decision": "pass"|"fail", "rationale", "date", "signature"?: {"keyid",
 * "sig"}}, ...]}. Parsed strictly;
 * two decisions on one criterion in one file are an error. Each decision
 * keeps its position so that emh_review_apply can point at it.
 */
typedef struct emh_reviews emh_reviews;

int emh_reviews_parse(emh_reviews **out, const char *json, size_t len,
                      const char *label, emh_error *err);
int emh_reviews_load(emh_reviews **out, const char *path, emh_error *err);
const emh_review *emh_reviews_items(const emh_reviews *r, size_t *count);
void emh_reviews_free(emh_reviews *r);

/* ---- reviewers: who may decide (docs/audit.md) ------------------------ */

/*
 * A reviewers file: {"roles": [{"name", "decides": [SELECTOR...],
 * "waives": [SEVERITY...]}], "reviewers": [{"name", "role", "public_key"}]}.
 * A selector is "*", "domain:NAME", "PREFIX*" or a criterion id; a public
 * key is the base64 DER of an Ed25519 key (the body of keygen's .pub).
 * Parsed strictly (file, line and column).
 */
typedef struct emh_reviewers emh_reviewers;

int emh_reviewers_parse(emh_reviewers **out, const char *json, size_t len,
                        const char *label, emh_error *err);
/*
 * Reads PATH (NULL: "reviewers.json") from git repository repo (NULL: the
 * one holding the current directory) at rev (NULL: HEAD), through libgit2,
 * and records the commit.
 */
int emh_reviewers_load_git(emh_reviewers **out, const char *repo, const char *path,
                           const char *rev, emh_error *err);
const char *emh_reviewers_commit(const emh_reviewers *rs); /* "" when parsed from bytes */
const char *emh_reviewers_path(const emh_reviewers *rs);
void emh_reviewers_free(emh_reviewers *rs);

/*
 * Checks that decision v counts: signed (key_id, signature) by the key of a
 * reviewer listed with v's reviewer name and role, a role that may decide
 * v's criterion (of domain), and the signature holds over v's canonical
 * form. Returns 0 or EMH_EINVALID naming the criterion, the role and the key.
 */
int emh_reviewers_check(const emh_reviewers *rs, const emh_review *v, const char *domain,
                        emh_error *err);
/*
 * The same for a waiver: signed by the key of the reviewer named approver,
 * whose role waives severity (the waived criterion's). EMH_EINVALID names
 * the waiver, the criterion, the role and the key.
 */
int emh_reviewers_check_waiver(const emh_reviewers *rs, const emh_waiver *w, const char *severity,
                               emh_error *err);
/* Appends the base64 Ed25519 signature of w's canonical form by key (private). */
int emh_waiver_sign(emh_buf *sig64, const emh_waiver *w, const emh_key *key, emh_error *err);
/*
 * Checks every waiver of w against who (emh_reviewers_check_waiver, the
 * severity from set) with the waiver's file, line and column, and records
 * the reviewers file's commit and path in each. Returns 0 or EMH_EINVALID.
 */
int emh_waivers_authorize(emh_waivers *w, const emh_criteria *set, const emh_reviewers *who,
                          emh_error *err);
/* Appends the base64 Ed25519 signature of v's canonical form by key (private). */
int emh_review_sign(emh_buf *sig64, const emh_review *v, const emh_key *key, emh_error *err);

/*
 * The signing step: reads the reviews file at path strictly and appends it (canonical
 * pretty JSON) with each decision by reviewer (NULL: every decision)
 * signed by key: "signature": {"keyid", "sig"} (replacing an earlier one).
 * *nsigned counts them; a reviewer with no decision is EMH_EINVALID.
 */
int emh_reviews_sign(emh_buf *out, const char *path, const emh_key *key,
                     const char *reviewer, size_t *nsigned, emh_error *err);

/* Where to look for the criteria a dossier records (docs/dossier.md, "Finding the criteria"). */
typedef struct emh_criteria_finder {
	const char *repository; /* the only repository to try (--criteria), NULL: search */
	const char *sources;    /* a sources file: "NAME PATH" lines mapping a criteria source to a local
	                           repository, NULL: none (a missing file maps nothing) */
	const char *installed;  /* the installed criteria repository, NULL: none */
} emh_criteria_finder;

/*
 * Loads the criteria a dossier was evaluated with, at its recorded commit
 * and folder. With f->repository, from that one only. Otherwise the first
 * of these that holds the commit: the recorded source when it is a local
 * path (or file:// URL), the recorded repository ("." meaning the one
 * holding the current directory), the repository f->sources maps the source
 * to (the recorded repository for a dossier without a source), f->installed.
 * found (may be NULL) receives the repository used. Returns 0; EMH_ENOTFOUND
 * when none holds the commit (the message names each one tried);
 * EMH_EINVALID when the folder's tree id differs from the recorded one, the
 * set does not compile (problems go to on_problem when given) or the
 * sources file is malformed; the first such error stops the search.
 */
int emh_dossier_find_criteria(emh_criteria **out, char *found, size_t found_size,
                              const emh_dossier *d, const emh_criteria_finder *f,
                              emh_diagnostic_cb on_problem, void *payload,
                              emh_error *err);

/* emh_dossier_find_criteria with only repository (NULL: the recorded one, or the cwd's for "."). */
int emh_dossier_load_criteria(emh_criteria **out, const emh_dossier *d,
                              const char *repository,
                              emh_diagnostic_cb on_problem, void *payload,
                              emh_error *err);

/*
 * Writes the next revision of prev into *out: each decision sets its
 * criterion's outcome (provenance "reviewer"), the reviews are appended to
 * those already recorded, revision is prev's + 1, previous_digest is prev's
 * digest, and counts, scores and verdict are decided again with set's
 * policy (set must be the criteria prev records). Only results that await a
 * review (needs_review), manual results, and results an earlier review
 * decided can be decided. A decision on a criterion or version not in the
 * dossier, or on a result that awaits no review, is EMH_EINVALID with the
 * decision's file, line and column. prev must be sealed with a digest that
 * matches its content. *out is sealed.
 * who: the reviewers file; every decision must then count by
 * emh_reviewers_check (located error otherwise), and each recorded review
 * keeps its key id, signature and the file's commit and path. NULL skips
 * that check: only for callers that establish authority themselves (the
 * CLI always passes one).
 */
int emh_review_apply(emh_dossier **out, const emh_dossier *prev,
                     const emh_criteria *set, const emh_reviews *decisions,
                     const emh_reviewers *who, emh_error *err);

/* ---- verification ------------------------------------------------------- */

typedef enum emh_check_status {
	EMH_CHECK_OK,
	EMH_CHECK_FAILED,
	EMH_CHECK_SKIPPED
} emh_check_status;

/* Called once per check: its name ("digest", "signature", ...) and detail. */
typedef void (*emh_check_cb)(const char *name, emh_check_status status,
                             const char *detail, void *payload);

typedef struct emh_verify_options {
	const char *pubkey;     /* PEM file of the key that must have signed, or NULL */
	const char *submission; /* the submission to hash and re-evaluate, or NULL */
	const char *criteria;   /* criteria repository, the only one tried; NULL: search (emh_dossier_find_criteria) */
	const char *sources;    /* sources file for the search, NULL: none */
	const char *installed;  /* installed criteria repository for the search, NULL: none */
	emh_check_cb on_check;  /* every check, in order; may be NULL */
	void *payload;          /* passed to on_check */
	const char *reviewers;  /* repository of the reviewers file the reviews record, NULL: the
	                           criteria repository */
} emh_verify_options;

#define EMH_VERIFY_OPTIONS_INIT { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

typedef struct emh_verify_summary {
	unsigned ok, failed, skipped;
	int criteria_missing;   /* 1: no repository tried holds the recorded criteria commit */
} emh_verify_summary;

/*
 * Verifies a dossier file (or its DSSE envelope, recognised by content):
 * canonical form, digest, envelope and signature (an envelope beside the
 * dossier is found by emh_envelope_path), that the recorded criteria commit
 * and tree exist, each evidence hash against the submission's files, and
 * that evaluating again at the recorded commit reproduces the dossier byte
 * for byte. Returns 0 when the checks ran (their results are in *out);
 * EMH_ENOTFOUND or EMH_EIO when path or a named input cannot be read;
 * EMH_EINVALID when the public key file holds no Ed25519 key.
 */
int emh_verify(emh_verify_summary *out, const char *path,
               const emh_verify_options *opts, emh_error *err);

/* ---- ledger ------------------------------------------------------------- */

/*
 * A ledger is a git repository with one commit per filed dossier, written
 * through libgit2 without a work tree: dossiers/APP/VERSION/dossier.json
 * and, when signed, dossier.dsse.json beside it (APP and VERSION
 * percent-encoded). Each commit message records the dossier's digest, the
 * previous ledger commit and a SHA-256 chain over every filed dossier.
 * Writers never lose a commit: the branch moves by compare-and-swap and a
 * writer that loses the race builds again on the new head.
 */
typedef struct emh_ledger emh_ledger;

/* Opens the ledger at path, creating a bare repository when create is 1 and none exists. */
int emh_ledger_open(emh_ledger **out, const char *path, int create, emh_error *err);
void emh_ledger_free(emh_ledger *l);

/*
 * With key (a private key; NULL: none), every later filing through l signs
 * its place in the ledger: a Ledger-Signature trailer over its sequence
 * number, the chain value it follows, its own chain value and the dossier's
 * digest (docs/audit.md). Returns 0, or EMH_EINVALID for a public key.
 */
int emh_ledger_set_signer(emh_ledger *l, const emh_key *key, emh_error *err);

/*
 * Commits d (sealed) and its envelope (NULL when unsigned; a stale envelope
 * of an earlier revision is removed; an envelope must carry exactly d). A revision > 1 must follow the
 * dossier the ledger holds for the app and version (its digest is
 * d->previous_digest), and a revision older than the one the ledger holds is
 * refused (revisions only move forward), else EMH_EINVALID and nothing is committed.
 * commit (41 bytes, may be NULL) receives the new commit id, or "" when
 * the ledger already holds exactly these files (nothing is committed).
 */
int emh_ledger_file(emh_ledger *l, char *commit, const emh_dossier *d,
                    const char *envelope, size_t envelope_len, emh_error *err);

/*
 * Storing the submission beside its dossier (opt-in, `ledger add --submission`):
 * submission.json and every evidence file the dossier hashed, each stored once
 * by SHA-256 under objects/sha256/AB/CDEF..., and a manifest
 * dossiers/APP/VERSION/submission.manifest.json listing them (docs/audit.md,
 * "Stored submissions"). Files named in withhold stay out; the manifest marks
 * them withheld and the dossier's hashes still verify a later copy.
 */
typedef struct emh_ledger_store {
	const char *submission; /* the submission folder (or its submission.json) the dossier was made from */
	const char *withhold;   /* comma-separated evidence paths or kinds kept out, or NULL */
} emh_ledger_store;

/*
 * emh_ledger_file, and with store (NULL: as emh_ledger_file) the submission:
 * its submission.json must hash to the dossier's submission.sha256 and each
 * evidence file to the sha256 the dossier records, else EMH_EINVALID and
 * nothing is committed. Filing a dossier the ledger holds with its
 * submission adds only the submission.
 */
int emh_ledger_file_stored(emh_ledger *l, char *commit, const emh_dossier *d, const char *envelope,
                           size_t envelope_len, const emh_ledger_store *store, emh_error *err);

/* A submission read back from a ledger: ready for emh_submission_load_memory. */
typedef struct emh_stored_submission {
	char *submission_sha256;    /* hex, as the manifest and the dossier record it */
	char *json;                 /* submission.json's bytes */
	size_t json_len;
	emh_submission_file *files; /* the stored evidence files (hash-checked) */
	size_t nfiles;
	char **withheld;            /* paths of evidence files kept out of the ledger */
	size_t nwithheld;
} emh_stored_submission;

/*
 * Reads the submission stored beside the dossier dossier_path
 * ("dossiers/APP/VERSION/dossier.json") as of ledger commit commit (hex;
 * NULL: the head).
 * Every file's bytes are checked against its hash. Returns 0; EMH_ENOTFOUND
 * when none is stored; EMH_EINVALID when a stored file does not match its
 * hash or the manifest is malformed.
 */
int emh_ledger_read_submission(emh_stored_submission **out, const char *ledger, const char *commit,
                               const char *dossier_path, emh_error *err);
void emh_stored_submission_free(emh_stored_submission *s);

/* The folder a dossier is filed under: "dossiers/APP/VERSION". Returns 0 or EMH_EINVALID / EMH_ELIMIT. */
int emh_ledger_path(char *dst, size_t size, const char *app_id, const char *app_version,
                    emh_error *err);

/* ---- publishing a dossier ------------------------------------------------ */

typedef struct emh_publish_options {
	const char *output;      /* the dossier file to write (atomically), or NULL */
	const emh_key *sign_key; /* a private key: sign, and write the envelope beside
	                            output (emh_envelope_path) and into the ledger */
	emh_ledger *ledger;      /* file the dossier (and envelope) here, or NULL */
	int exclusive;           /* 1: never replace an existing output or envelope (emh_io_write_new) */
} emh_publish_options;

#define EMH_PUBLISH_OPTIONS_INIT { NULL, NULL, NULL, 0 }

/*
 * Renders a sealed dossier, signs it, files it into the ledger and then
 * writes the files, in that order, so that nothing is written when signing
 * or filing fails. commit (41 bytes, may be NULL) gets the ledger commit,
 * "" when there is no ledger or it already held these bytes.
 */
int emh_dossier_publish(char *commit, const emh_dossier *d, const emh_publish_options *opts,
                        emh_error *err);

typedef struct emh_ledger_verify_options {
	const char *pubkey;    /* every dossier must be signed by this key, or NULL */
	const char *anchor;    /* a commit id that must be in the history, or NULL */
	emh_check_cb on_check; /* each problem (and each commit when verbose) */
	void *payload;
	int verbose;           /* 1: report every commit, not only problems */
} emh_ledger_verify_options;

#define EMH_LEDGER_VERIFY_OPTIONS_INIT { NULL, NULL, NULL, NULL, 0 }

/*
 * Walks the branch from the first commit to the head and checks each
 * commit: one parent (linear history); only one dossier (and its envelope)
 * added or changed; its recorded previous ledger commit and chain digest;
 * the dossier's canonical form and digest, and that it sits at its app's
 * path; its envelope (and signature, with a pubkey); a revision > 1
 * follows the dossier it replaces. Returns 0 when the walk ran (counts in
 * *out: ok and failed commits); EMH_ENOTFOUND when path is no ledger.
 */
int emh_ledger_verify(emh_verify_summary *out, const char *path,
                      const emh_ledger_verify_options *opts, emh_error *err);

/* One filed dossier, oldest first. Strings are borrowed for the callback's duration. */
typedef struct emh_ledger_entry {
	const char *commit;          /* ledger commit id (hex) */
	long long time;              /* commit time, seconds since the epoch */
	const char *path;            /* dossiers/APP/VERSION/dossier.json */
	const char *app_id, *app_version;
	int revision;
	const char *verdict;
	const char *digest;
	const char *as_of;
	const char *criteria_commit;
	const char *framework_version;
	int is_signed;               /* an envelope was filed with it */
	const emh_dossier *dossier;  /* the filed dossier, parsed */
	const char *json;            /* its bytes as filed, and their length */
	size_t json_len;
	const char *envelope;        /* the envelope's bytes, or NULL when unsigned */
	size_t envelope_len;
	unsigned long sequence;      /* 1-based place of the commit in the ledger's history */
} emh_ledger_entry;

typedef void (*emh_ledger_entry_cb)(const emh_ledger_entry *e, void *payload);

/* Calls cb for each filed dossier of app_id (NULL: every app), oldest first. */
int emh_ledger_log(const char *path, const char *app_id, emh_ledger_entry_cb cb,
                   void *payload, emh_error *err);

#endif
