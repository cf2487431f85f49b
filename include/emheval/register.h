/*
 * register.h - what a regulator publishes from its ledger: a static website
 * of every app's decisions (emh_register_build), and which approvals no
 * longer hold or lapse soon (emh_due_compute). Both only read the ledger; the
 * layer sits above audit (docs/register.md).
 */
#ifndef EMHEVAL_REGISTER_H
#define EMHEVAL_REGISTER_H

#include <stddef.h>
#include "emheval/buf.h"
#include "emheval/error.h"
#include "emheval/gate.h"

typedef struct emh_register_options {
	const char *as_of;         /* YYYY-MM-DD for what is due; NULL: the newest evaluation date in the ledger */
	long within_days;          /* what lapses within this many days after as_of counts as due (default 90) */
	const char *pubkey;        /* ledger verify --pubkey, and the key published on the site; NULL: none */
	const char *criteria_repo; /* where criteria commits are read; NULL: as each dossier records it */
	const char *criteria_rev;  /* a newer criteria release to compare with; NULL: the newest in the ledger */
} emh_register_options;

#define EMH_REGISTER_OPTIONS_INIT { NULL, 90, NULL, NULL, NULL }

/* ---- due ------------------------------------------------------------------ */

typedef enum emh_due_kind {
	EMH_DUE_EVIDENCE,  /* an evidence date window (within_days) runs out */
	EMH_DUE_CONDITION, /* a condition of a conditional approval falls due */
	EMH_DUE_WAIVER,    /* an applied waiver expires */
	EMH_DUE_CRITERIA   /* a newer criteria release; the submission cannot be re-evaluated */
} emh_due_kind;

typedef struct emh_due_item {
	const char *app_id, *app_version;
	const char *profiles;     /* the approvals it concerns: "id (verdict)", comma-separated */
	emh_due_kind kind;
	const char *criterion;    /* the criterion concerned, or NULL */
	const char *date;         /* YYYY-MM-DD when it lapses (at the latest), or NULL */
	int lapsed;               /* 1: no longer true on as_of */
	const char *detail;       /* one sentence for people */
	unsigned long sequence;   /* the ledger filing of the dossier */
} emh_due_item;

typedef struct emh_due_list {
	const char *as_of;
	long within_days;
	emh_due_item *items;      /* by app id, version, date, kind, criterion */
	size_t n;
	struct emh_arena *arena;  /* owns everything */
} emh_due_list;

/*
 * Reads the ledger at path and lists, for each app's newest filing, what
 * makes an approval (approved or conditional, per profile) no longer true on
 * o->as_of or lapse within o->within_days. Returns 0; EMH_ENOTFOUND when path
 * is no ledger or criteria cannot be read; EMH_EINVALID for a bad option.
 */
int emh_due_compute(emh_due_list **out, const char *path, const emh_register_options *o, emh_error *err);
void emh_due_free(emh_due_list *l);

/* "evidence", "condition", "waiver", "criteria". */
const char *emh_due_kind_name(emh_due_kind k);

/* Appends l as "text", "json" or "markdown". Returns 0, EMH_EINVALID (format) or the buffer's error. */
int emh_due_render(emh_buf *out, const emh_due_list *l, const char *format, emh_error *err);

/* ---- impact --ledger ------------------------------------------------------ */

/*
 * emh_impact over a ledger instead of a portfolio: each app's newest filing
 * in the ledger at path is evaluated again from the submission stored beside
 * it (ledger add --submission), with the criteria at opts->from and opts->to
 * (as of the filing's evaluation date unless opts->as_of, for its profiles
 * unless opts->profiles, with the recorded reviews that still apply). A
 * filing without a stored submission, or with documents withheld, is listed
 * with not_reevaluable set. Paths in the report are "APP VERSION (ledger
 * filing N)". Returns 0, EMH_ENOTFOUND (no ledger, criteria not found),
 * EMH_EINVALID (criteria do not compile, a stored submission does not match
 * its hashes).
 */
int emh_impact_ledger(emh_impact_report **out, const emh_impact_options *opts, const char *path,
                      emh_error *err);

/* ---- the website -------------------------------------------------------- */

typedef struct emh_register_summary {
	size_t apps, dossiers, pages, files;
	int verified;             /* 1: the ledger verified when the site was built */
	size_t due;               /* items of the due view */
	size_t unchanged;         /* of files, those that already held their bytes and were left as they were */
} emh_register_summary;

/*
 * Writes the site for the ledger at path into the folder out (created when
 * missing): index.html, views, one page per app, per filing (the HTML
 * report beside its JSON and envelope) and per criteria version. Every file
 * is written atomically; names never come from a vendor's text unencoded.
 * The same ledger and options give the same bytes.
 */
int emh_register_build(emh_register_summary *sum, const char *path, const char *out,
                       const emh_register_options *o, emh_error *err);

#endif
