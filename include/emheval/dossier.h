/*
 * dossier.h - the one result model: what an evaluation decided and why.
 *
 * A dossier is produced by emh_evaluate() or read back from a saved dossier
 * file (emh_dossier_parse, below); every renderer reads only this. The
 * structs are public and read-only for callers; all strings and arrays live
 * until emh_dossier_free() (a dossier keeps the criteria set it borrows texts
 * from alive, so it may outlive the caller's emh_criteria_free). Strings that
 * do not apply are NULL.
 */
#ifndef EMHEVAL_DOSSIER_H
#define EMHEVAL_DOSSIER_H

#include <stddef.h>
#include "emheval/criteria.h"
#include "emheval/error.h"

#define EMH_DOSSIER_FORMAT "emheval/dossier/2"

typedef enum emh_outcome {
	EMH_OUTCOME_PASS,
	EMH_OUTCOME_FAIL,
	EMH_OUTCOME_NOT_APPLICABLE,
	EMH_OUTCOME_NEEDS_REVIEW,
	EMH_OUTCOME_WAIVED,
	EMH_OUTCOME_ERROR,
	EMH_OUTCOME_NOT_EVALUATED,
	EMH_OUTCOME__COUNT
} emh_outcome;

typedef enum emh_verdict {
	EMH_VERDICT_APPROVED,
	EMH_VERDICT_CONDITIONAL,
	EMH_VERDICT_REJECTED,
	EMH_VERDICT_INCOMPLETE,
	EMH_VERDICT_AWAITING_REVIEW, /* blocker/major criteria still need a review decision */
	EMH_VERDICT_RETURNED,        /* integrity or paperwork problem: resubmit */
	EMH_VERDICT__COUNT
} emh_verdict;

/* One piece of evidence behind a result: a value in submission.json or text in a file. */
typedef struct emh_finding {
	const char *pointer;  /* JSON pointer into submission.json, or NULL */
	const char *file;     /* evidence file (relative path), NULL for submission.json */
	const char *expected; /* the condition, e.g. "in [\"1.2\", \"1.3\"]" */
	const char *found;    /* what was seen: JSON text, "absent", "no match" */
	const char *excerpt;  /* for text: the matched text with some context */
	const char *pattern;  /* text checks: the pattern(s) in full, "/SOURCE/FLAGS", or NULL;
	                         reports show it only when asked (verbose): expected says it in words */
	unsigned line;        /* 1-based line of the value or match, 0 if unknown */
	unsigned column;      /* 1-based column (bytes), 0 if unknown */
	size_t offset;        /* byte offset in the file */
} emh_finding;

typedef struct emh_result {
	const char *id;
	int version;
	const char *title;
	const char *domain;
	emh_severity severity;
	const char **references;
	size_t nreferences;
	int manual;             /* 1: a human judges it */
	emh_outcome outcome;
	const char *provenance; /* "verified", "declared" or "reviewer" */
	const char *message;    /* the criterion's fail_message, when it failed */
	const char *reason;     /* why it is error / needs_review / not_evaluated */
	const char *remediation;
	const char *guidance;   /* what a reviewer judges (manual and SEMI criteria) */
	emh_finding *findings;
	size_t nfindings;
} emh_result;

typedef struct emh_evidence_file {
	const char *kind;
	const char *path;            /* relative to the submission folder; "" for a document
	                                declared not supplied / not applicable without one */
	const char *declared_sha256; /* as the vendor declared it, or NULL */
	const char *sha256;          /* computed, or NULL when unreadable */
	const char *status;          /* "verified", "mismatch", "undeclared", "missing", "refused",
	                                or as declared: "not_supplied", "not_applicable" */
	const char *problem;         /* why missing/refused, the vendor's reason (and note) for a
	                                declared status, or NULL */
} emh_evidence_file;

/* A reviewer's decision on a manual or needs_review criterion (issue 4). */
typedef struct emh_review {
	const char *criterion;  /* criterion id */
	int version;            /* the criterion version decided on */
	const char *reviewer;
	const char *role;
	const char *decision;   /* "pass" or "fail" */
	const char *rationale;
	const char *date;       /* YYYY-MM-DD */
	/* The signature (docs/audit.md "Reviewer roles and signed decisions"); NULL when unsigned. */
	const char *key_id;           /* hex SHA-256 of the signer's public key */
	const char *signature;        /* base64 Ed25519 over the decision's canonical form */
	const char *reviewers_commit; /* the reviewers file's commit that allowed it (dossier only) */
	const char *reviewers_path;   /* and its path in that commit (dossier only) */
} emh_review;

/* A recorded exception that turns one criterion's fail into waived (issue 4). */
typedef struct emh_waiver {
	const char *id;
	const char *criterion;
	const char *app_id;
	const char *app_version;   /* NULL: every version of the app */
	const char *justification;
	const char *approver;
	const char *expires;       /* YYYY-MM-DD */
	const char *status;        /* "applied", "expired" or "unused" */
	/* The approver's signature (docs/audit.md), as for emh_review; NULL when unsigned. */
	const char *key_id;
	const char *signature;
	const char *reviewers_commit;
	const char *reviewers_path;
} emh_waiver;

typedef struct emh_score {
	const char *category; /* e.g. "healthy_and_safe" */
	const char *title;    /* e.g. "Healthy and safe" */
	int score;            /* 0..100, or -1 when nothing was counted */
} emh_score;

/* One condition of a conditional verdict (docs/profiles.md). */
typedef struct emh_condition {
	const char *criterion;
	emh_severity severity;
	const char *fix;      /* the criterion's remediation (or why it was not evaluated) */
	const char *due;      /* YYYY-MM-DD: as_of + the policy's days for the severity; NULL without as_of */
} emh_condition;

/* The verdict of one assessment profile (framework.json "profiles"). */
typedef struct emh_profile_verdict {
	const char *id;              /* e.g. "nhs-england" */
	const char *title;
	emh_verdict verdict;
	const char **criteria;       /* ids of the criteria that count for it, sorted */
	size_t ncriteria;
	const char **returned;       /* integrity criteria that failed, evidence files mismatched/refused */
	size_t nreturned;
	const char **rejected;       /* criteria whose fail rejects */
	size_t nrejected;
	const char **incomplete;     /* blocker/major criteria with error or not_evaluated */
	size_t nincomplete;
	const char **awaiting_review;/* blocker/major criteria without a review decision */
	size_t nawaiting_review;
	emh_condition *conditions;
	size_t nconditions;
} emh_profile_verdict;

typedef struct emh_dossier {
	const char *format;              /* EMH_DOSSIER_FORMAT */
	const char *tool_version;
	const char *criteria_repository; /* local: as given, "." when discovered */
	const char *criteria_source;     /* the repository's own name (emh_criteria_source), NULL: none */
	const char *criteria_path;
	const char *criteria_rev;
	const char *criteria_commit;
	const char *criteria_tree;
	const char *framework_name;
	const char *framework_version;
	const char *submission_id;       /* app.id */
	const char *app_name;
	const char *app_version;
	const char *submission_sha256;   /* of submission.json's bytes */
	const char *tier;                /* the submission's risk tier, or NULL */
	const char *as_of;               /* evaluation date YYYY-MM-DD, or NULL */
	emh_evidence_file *evidence;
	size_t nevidence;
	emh_result *results;             /* sorted by id */
	size_t nresults;
	size_t counts[EMH_OUTCOME__COUNT];
	emh_score *scores;
	size_t nscores;
	emh_verdict verdict;             /* the least favourable of profiles[] (docs/profiles.md) */
	emh_profile_verdict *profiles;   /* one per profile evaluated, in framework order */
	size_t nprofiles;
	emh_review *reviews;             /* decisions applied, in the order given */
	size_t nreviews;
	emh_waiver *waivers;             /* every waiver considered, each once */
	size_t nwaivers;
	int revision;                    /* 1 for an evaluation, +1 per review round */
	const char *previous_digest;     /* digest of the revision this one follows, or NULL */
	const char *digest;              /* "sha256:HEX" of the canonical form, or NULL */
	struct emh_arena *arena;         /* owns everything above... */
	struct emh_criteria *criteria_owner; /* ...except the criteria's own texts (titles,
	                                    messages), which a dossier from evaluation
	                                    borrows: it holds a reference to the set */
} emh_dossier;

void emh_dossier_free(emh_dossier *d);

/* Names as written in dossiers ("pass", "not_applicable", "approved"; severities: criteria.h). */
const char *emh_outcome_name(emh_outcome o);
const char *emh_verdict_name(emh_verdict v);
/* Parse those names; return 0, or EMH_EINVALID for an unknown name. */
int emh_outcome_parse(emh_outcome *out, const char *name);
int emh_verdict_parse(emh_verdict *out, const char *name);
/* How unfavourable a verdict is: approved 0 ... rejected 5 (docs/profiles.md). */
int emh_verdict_rank(emh_verdict v);

/*
 * Reads a dossier written by emh_report_render (EMH_FORMAT_JSON) back into
 * the model. label names the file in errors. Returns 0, or EMH_EINVALID with
 * file, line, column and pointer of the first bad member. The digest is read,
 * not checked (verification is its own step).
 */
int emh_dossier_parse(emh_dossier **out, const char *json, size_t len,
                      const char *label, emh_error *err);

/*
 * Computes and stores d->digest ("sha256:HEX") from its canonical form
 * (evaluator/dossier/, docs/dossier.md). emh_evaluate_sealed (eval.h)
 * evaluates and seals in one call.
 */
int emh_dossier_seal(emh_dossier *d, emh_error *err);

/*
 * Reads a dossier file and checks that its recorded digest matches its
 * content. Returns 0; EMH_ENOTFOUND or EMH_EIO when it cannot be read;
 * EMH_EINVALID when it is not a dossier (file, line, column) or its digest
 * does not match (it was changed after it was written).
 */
int emh_dossier_load(emh_dossier **out, const char *path, emh_error *err);

/* 0 when a parsed dossier's recorded digest matches its content; EMH_EINVALID (and why) otherwise. */
int emh_dossier_check_digest(const emh_dossier *d, emh_error *err);

#endif
