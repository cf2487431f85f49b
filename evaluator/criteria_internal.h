/*
 * criteria_internal.h (private) - the compiled form of a criteria set.
 *
 * The compiler (compile.c, framework.c) turns JSON into these structs once;
 * the evaluator (eval.c, evaluate.c, verdict.c) only reads them. Nothing here
 * refers back to cJSON text except literal values for eq/ne/in.
 */
#ifndef EMH_EVALUATOR_CRITERIA_INTERNAL_H
#define EMH_EVALUATOR_CRITERIA_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "emheval/criteria.h"
#include "evaluator/internal.h"
#include "evaluator/observe.h"
#include "evaluator/statement.h"

typedef enum emh_node_kind {
	EMH_NODE_AND,
	EMH_NODE_OR,
	EMH_NODE_NOT,
	EMH_NODE_TEST,     /* {"path": ..., predicates} */
	EMH_NODE_EVIDENCE  /* {"evidence": ..., predicates} */
} emh_node_kind;

/* Value types for the "type" predicate. */
typedef enum emh_type {
	EMH_TYPE_NONE, EMH_TYPE_STRING, EMH_TYPE_NUMBER, EMH_TYPE_INTEGER,
	EMH_TYPE_BOOLEAN, EMH_TYPE_NULL, EMH_TYPE_ARRAY, EMH_TYPE_OBJECT, EMH_TYPE_DATE
} emh_type;

/* A date operand: a literal day, a pointer into the submission, or @as_of. */
typedef enum emh_anchor_kind { EMH_ANCHOR_NONE, EMH_ANCHOR_LITERAL, EMH_ANCHOR_POINTER, EMH_ANCHOR_AS_OF } emh_anchor_kind;
typedef struct emh_anchor {
	emh_anchor_kind kind;
	long day;       /* for literals */
	emh_ptr ptr;    /* for pointers (from the submission's root) */
	char *text;     /* as written */
} emh_anchor;

/*
 * A numeric operand of lt/le/gt/ge: a literal, a pointer into the submission
 * (from its root), or arithmetic over operands ({"add"|"sub"|"mul"|"div": [...]}),
 * so that a check can compare a value with one computed from others.
 */
typedef enum emh_num_kind {
	EMH_NUM_LITERAL, EMH_NUM_POINTER, EMH_NUM_ADD, EMH_NUM_SUB, EMH_NUM_MUL, EMH_NUM_DIV
} emh_num_kind;
typedef struct emh_num emh_num;
struct emh_num {
	emh_num_kind kind;
	double value;   /* for literals */
	emh_ptr ptr;    /* for pointers */
	emh_num *args;  /* for arithmetic: nargs operands */
	size_t nargs;
	char *text;     /* as written (compact JSON), for findings */
};

/* Which predicates a test node carries (bit set). */
enum {
	EMH_P_EXISTS = 1u << 0, EMH_P_ABSENT = 1u << 1, EMH_P_TYPE = 1u << 2,
	EMH_P_EQ = 1u << 3, EMH_P_NE = 1u << 4, EMH_P_IN = 1u << 5,
	EMH_P_LT = 1u << 6, EMH_P_LE = 1u << 7, EMH_P_GT = 1u << 8, EMH_P_GE = 1u << 9,
	EMH_P_MIN_LENGTH = 1u << 10, EMH_P_MAX_LENGTH = 1u << 11,
	EMH_P_MATCHES = 1u << 12, EMH_P_NOT_MATCHES = 1u << 13,
	EMH_P_BEFORE = 1u << 14, EMH_P_AFTER = 1u << 15, EMH_P_WITHIN_DAYS = 1u << 16,
	EMH_P_WHERE = 1u << 17, EMH_P_ALL = 1u << 18, EMH_P_ANY = 1u << 19, EMH_P_NONE = 1u << 20,
	EMH_P_MIN_COUNT = 1u << 21, EMH_P_MAX_COUNT = 1u << 22, EMH_P_UNIQUE = 1u << 23,
	EMH_P_PRESENT = 1u << 24, EMH_P_VERIFIED = 1u << 25,
	EMH_P_AMONG = 1u << 26, EMH_P_NOT_STATES = 1u << 27, EMH_P_STATES = 1u << 28
};

typedef struct emh_node emh_node;
struct emh_node {
	emh_node_kind kind;
	char *where_in_file;   /* JSON pointer of this node inside the criterion file */
	/* logic */
	emh_node **kids;
	size_t nkids;
	/* tests */
	emh_ptr path;          /* TEST: relative to the element inside quantifiers */
	char *evidence_kind;   /* EVIDENCE: a kind or "*" */
	unsigned preds;        /* EMH_P_* present */
	emh_type type;
	cJSON *eq, *ne, *in;   /* literal values (owned) */
	emh_num lt, le, gt, ge;  /* numeric comparisons */
	size_t min_length, max_length, min_count, max_count;
	emh_regex matches, not_matches;
	emh_statement not_states; /* a parse-based text check (statement.c) */
	emh_statement states;     /* its affirmative mirror: some clause states it */
	emh_anchor before, after, within_of;
	long within_days;
	emh_node *where, *all, *any, *none;
	emh_ptr unique;
	emh_ptr among;          /* "among": from the root, "*" = every element */
	char *languages;        /* EVIDENCE text tests: languages the patterns cover, space-separated
	                           ("en de", "*"); NULL: English only */
	char *looks_for;        /* text tests: what the patterns find, in plain words, or NULL */
	/* Text tests of a check: the "languages" ("en" when not given) of each other text test of the check on
	   the same kind, each list once, borrowed from them (compile.c); text one of them reads is theirs. */
	const char **others_read;
	size_t nothers_read;
};

/* A position in a criterion file, kept for problems found after compiling. */
typedef struct emh_loc {
	unsigned line, column; /* 1-based; 0 when unknown */
} emh_loc;

typedef struct emh_criterion {
	char *id;
	int version;
	char *title;
	char *domain;
	emh_severity severity;
	char **references;
	size_t nreferences;
	int manual;
	char *guidance;        /* manual guidance or SEMI review text */
	char *fail_message;
	char *remediation;
	emh_node *applies_when;
	char *applies_when_text; /* applies_when as compact JSON, for documentation */
	emh_node *check;
	size_t *requires;      /* indexes into the set's criteria */
	size_t nrequires;
	char **requires_ids;
	emh_loc *loc_requires; /* where each requires_ids[k] is written */
	emh_loc loc_id, loc_domain;
	int verified;          /* its check reads evidence files or computes dates */
	int observed;          /* its check reads the observers' facts (/observed) */
	char *file;            /* "DOMAIN/ID.json" */
} emh_criterion;

/*
 * A verdict policy (docs/profiles.md): which severities reject on a fail,
 * which need a decision before approval, which give conditions and in how
 * many days they are due, and which criteria guard the evidence's integrity.
 */
typedef struct emh_verdict_policy {
	unsigned reject;       /* bit set of 1u << emh_severity */
	unsigned review;       /* bit set of 1u << emh_severity */
	int condition_days[EMH_SEVERITY__COUNT]; /* 0: that severity gives no condition */
	char **integrity;      /* criterion ids */
	emh_loc *loc_integrity;
	size_t nintegrity;
} emh_verdict_policy;

/* A list of strings from framework.json with where each is written. */
typedef struct emh_strlist {
	char **items;
	emh_loc *locs;
	size_t n;
} emh_strlist;

/* An assessment profile: a named set of criteria with its own policy. */
typedef struct emh_profile {
	char *id, *title;
	emh_strlist markets;   /* ISO 3166 codes, or "*" for any market */
	emh_strlist families;  /* reference families ("DTAC", "ISO/TS 82304-2") */
	emh_strlist include, exclude, domains;
	emh_verdict_policy policy;
	int implicit;          /* no "profiles" in framework.json: every criterion */
	unsigned char *member; /* member[i]: criterion i counts (set by criteria.c) */
	size_t index;          /* position in "profiles" */
} emh_profile;

typedef struct emh_domain {
	char *id, *title, *category;
	size_t category_index;
} emh_domain;

typedef struct emh_category {
	char *id, *title;
} emh_category;

/* Weights of one tier: weight[i] for domain i. */
typedef struct emh_tier_weights {
	char *tier;            /* "default" or a tier name */
	double *weight;
} emh_tier_weights;

/* A removed criterion, listed in framework.json "retired" so its id stays reserved. */
typedef struct emh_retired {
	char *id, *reason;
	char *since;           /* framework version that retired it, or NULL */
	size_t index;          /* its position in the "retired" array */
} emh_retired;

typedef struct emh_framework {
	char *name, *version, *effective_date;
	emh_category *categories;
	size_t ncategories;
	emh_domain *domains;
	size_t ndomains;
	emh_ptr tier_pointer;
	int has_tier_pointer;
	emh_tier_weights *weights;
	size_t nweights;
	double severity_weight[EMH_SEVERITY__COUNT];
	emh_verdict_policy policy; /* the shared default */
	emh_profile *profiles;     /* never empty once compiled: an implicit "all" without "profiles" */
	size_t nprofiles;
	char **references;     /* the clause ids of "references", sorted */
	size_t nreferences;
	int has_references;    /* framework.json has a references catalogue */
	emh_retired *retired;  /* in file order */
	size_t nretired;
	int validation;        /* EMH_VALIDATE_FULL, or _OFF for "submission_schema": "none" */
} emh_framework;

struct emh_criteria {
	unsigned *refs;        /* owners: the caller, plus each dossier that borrows its texts */
	char *repository, *path, *rev;
	char *source;          /* the repository's own name (emh_source.name), NULL: none */
	char commit[41], tree[41];
	emh_framework framework;
	emh_criterion *items;  /* sorted by id */
	size_t count;
	size_t *order;         /* evaluation order: prerequisites first */
	size_t *domain_of;     /* items[i]'s domain index */
	int framework_ok;      /* framework.json compiled (with keep_partial, framework may
	                          hold what compiled of it even when this is 0) */
	int linked;            /* checked as a set: order and domain_of are valid */
	emh_trackers trackers; /* trackers.json, the observers' catalogue (empty without one) */
};

/*
 * Takes one more reference to set (for a dossier that points at its texts);
 * emh_criteria_free drops one, and the last one frees the set. Thread-safe.
 */
void emh_criteria__retain(const emh_criteria *set);

/* The index of the criterion id in set (its items are sorted by id), or (size_t)-1. */
size_t emh_criteria__find(const emh_criteria *set, const char *id);

/* criteria.c, for lint and the gate (the ones that want a partial set) */
struct emh_source;
/*
 * Compiles files like emh_criteria_compile, but returns the set even when
 * some files have problems (*nproblems of them, each sent to on_problem):
 * the criteria that compiled (with keep_partial, also what compiled of those
 * with problems, when they have an id and a domain: never to be evaluated),
 * framework_ok and linked say what is usable.
 * Fails only for a missing framework.json (EMH_ENOTFOUND) or memory.
 */
int emh_criteria__compile_partial(emh_criteria **out, const emh_criteria_file *files,
                                  size_t nfiles, const emh_criteria_options *opts,
                                  int keep_partial, size_t *nproblems, emh_error *err);
/*
 * Compiles the criteria files of src (framework.json and DOMAIN/ID.json; any
 * other file of src is skipped) and records its repository, revision, commit
 * and tree. With nproblems NULL it fails like emh_criteria_load on any
 * problem; otherwise it returns the partial set and the count.
 */
int emh_criteria__compile_source(emh_criteria **out, const struct emh_source *src,
                                 const emh_criteria_options *opts, size_t *nproblems,
                                 emh_error *err);

/*
 * framework.c: every problem goes to on_problem (optional), the first to err.
 * On problems *out is disposed, unless keep_partial (lint): then it keeps what
 * compiled (any string may be NULL) for the caller to dispose.
 */
int emh_framework_compile(emh_framework *out, const char *data, size_t len,
                          const char *label, emh_diagnostic_cb on_problem,
                          void *payload, int keep_partial, emh_error *err);
void emh_framework_dispose(emh_framework *fw);
/* Index of a domain id, or (size_t)-1. */
size_t emh_framework_domain(const emh_framework *fw, const char *id);
/* 1 when criterion reference ref is in family ("DTAC" holds "DTAC C1.1"). */
int emh_reference_in_family(const char *ref, const char *family);
/* Index of a profile id, or (size_t)-1. */
size_t emh_framework_profile(const emh_framework *fw, const char *id);
/* 1 when id is in the references catalogue. */
int emh_framework_has_reference(const emh_framework *fw, const char *id);

/* compile.c */
/*
 * Compiles one criterion file. On problems returns their code and disposes
 * *out, unless keep_partial (lint): then *out keeps whatever compiled (any
 * field may be NULL, and bad tests are left out of and/or) for the caller to
 * dispose.
 */
int emh_criterion_compile(emh_criterion *out, const char *data, size_t len,
                          const char *path, const char *label,
                          emh_diagnostic_cb on_problem, void *payload,
                          int keep_partial, emh_error *err);
void emh_criterion_dispose(emh_criterion *c);
void emh_node_free(emh_node *n);
/* Whether m is a text test (matches, not_matches, states, not_states) on evidence of kind (either may be "*"). */
int emh_node_reads_text(const emh_node *m, const char *kind);

/* eval.c: expression outcomes */
/* ABSENT: an input the expression needs is missing (a text check on a document that is not
 * there); the criterion is not_evaluated, and the presence checks say why once. */
typedef enum emh_tri { EMH_T_PASS, EMH_T_FAIL, EMH_T_REVIEW, EMH_T_ERROR, EMH_T_ABSENT } emh_tri;

#endif
