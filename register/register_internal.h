/*
 * register_internal.h (private) - the ledger read once, for the register
 * site, `due` and `impact --ledger`: a summary of every filing, grouped by
 * app, and criteria sets loaded once per commit.
 */
#ifndef EMH_REGISTER_INTERNAL_H
#define EMH_REGISTER_INTERNAL_H

#include "emheval/emheval.h"
#include "emheval/register.h"

#define REG_NONE ((size_t)-1)

/* A criterion's outcome in a filing, as its summary keeps it (texts shared between filings). */
typedef struct reg_result {
	const char *id, *domain;
	emh_outcome outcome;
} reg_result;

typedef struct reg_filing {
	unsigned long seq;   /* 1-based place in the ledger's history */
	char commit[41];
	emh_dossier *d;      /* a summary (model.c): ids, verdicts, outcomes, reviews, waivers; no evidence,
	                        findings or texts (d->results is empty: see results), owned by the ledger */
	reg_result *results; /* the dossier's results, by id */
	size_t nresults;
	int is_signed;       /* an envelope was filed with it */
	size_t app;          /* index into apps */
	size_t prev;         /* the app's filing before this one, or REG_NONE */
} reg_filing;

typedef struct reg_app {
	const char *id;
	char *slug;          /* file name stem: the ledger's percent-encoding (shortened when long) */
	size_t *filings;     /* indexes into filings, oldest first */
	size_t n, cap;
} reg_app;

typedef struct reg_criteria {
	char commit[41];
	emh_criteria *set;   /* NULL when it could not be read */
} reg_criteria;

typedef struct reg_ledger {
	reg_filing *f;
	size_t nf, cap;
	reg_app *apps;       /* sorted by id (bytes) */
	size_t napps;
	reg_criteria *crit;  /* cache by commit */
	size_t ncrit, critcap;
	const char *criteria_repo; /* the option, or NULL */
	const char *path;          /* the ledger's path (borrowed), to read stored submissions */
	struct emh_arena *summaries; /* owns the filings' summaries */
} reg_ledger;

/* Reads the ledger, keeping a summary of each filing; on failure nothing is left to dispose. */
int reg_load(reg_ledger *l, const char *path, emh_error *err);
/* The filing with place seq in the ledger's history, or NULL. */
const reg_filing *reg_filing_at(const reg_ledger *l, unsigned long seq);
void reg_dispose(reg_ledger *l);
/* A filing standing for the ledger entry e while it is walked: its place, commit and its whole dossier,
 * borrowed for the call and only read (reg_filing's dossier is mutable for the model); no previous filing. */
void reg_filing_of_entry(reg_filing *f, const emh_ledger_entry *e);
/* The app's newest filing. */
const reg_filing *reg_latest(const reg_ledger *l, size_t app);
/* The criteria set a filing was evaluated against (cached), or NULL when it cannot be read. */
emh_criteria *reg_criteria_of(reg_ledger *l, const reg_filing *f);
/* The criteria set at commit, in repo (NULL or ".": the current repository; l->criteria_repo overrides) and
 * path (cached), or NULL when it cannot be read. */
emh_criteria *reg_criteria_at(reg_ledger *l, const char *commit, const char *repo, const char *path);
/* <0, 0, >0 comparing dotted version numbers ("2.10.0" > "2.9.1"); NULL lowest. */
int reg_version_cmp(const char *a, const char *b);
/* A filing's submission as the ledger stores it (ledger add --submission), ready to evaluate again. */
typedef struct reg_stored {
	emh_stored_submission *raw; /* NULL: none stored (or stored for another submission) */
	emh_submission *sub;
	char *profiles;             /* the filing's profile ids, comma-separated, or NULL */
} reg_stored;

/* Loads f's stored submission: 0 with s->sub NULL when none is stored; an error when it does not verify. */
int reg_stored_load(reg_stored *s, reg_ledger *l, const reg_filing *f, emh_error *err);
void reg_stored_dispose(reg_stored *s);
/* Evaluates the stored submission with set as of as_of, for the filing's profiles; recorded reviews
 * that still apply (same criterion and version, awaiting a decision) are applied again when reviews. */
int reg_reevaluate(emh_dossier **out, const reg_stored *s, const emh_criteria *set, const char *as_of,
                   const emh_dossier *reviews, emh_error *err);

/*
 * A first walk of the ledger that keeps no dossier and builds no dossier model (it reads six members of
 * each filing's JSON): which filing is each app's newest (its rank, 1-based, in app id order), the newest
 * evaluation date and the newest framework version with where its criteria are. For commands that then
 * read each app's newest filing as a second walk yields it.
 */
typedef struct reg_scan {
	size_t *rank;          /* by filing place: the app's rank for its newest filing, else 0 */
	unsigned long nseq;    /* places 0 .. nseq - 1 */
	size_t napps;
	char *max_as_of, *newest, *commit, *repo, *path;
} reg_scan;

int reg_scan_ledger(reg_scan *s, const char *path, emh_error *err);
/* The app rank of filing seq when it is its app's newest, else 0. */
size_t reg_scan_rank(const reg_scan *s, unsigned long seq);
void reg_scan_dispose(reg_scan *s);

/*
 * What is due, as a walk of the ledger yields each app's newest filing: begin with the newest evaluation
 * date and the newest release a first walk found (all NULL for an empty ledger), hand each app's newest
 * filing to reg_due_entry as it passes (l gives the criteria cache and stored submissions), then end
 * (which frees the run, and sorts the list into *out when rc is 0).
 */
typedef struct due_run due_run;
int reg_due_begin(due_run **r, const emh_register_options *o, const char *max_as_of, const char *newest,
                  const char *commit, const char *repo, const char *path, emh_error *err);
int reg_due_entry(due_run *r, reg_ledger *l, const emh_ledger_entry *e, emh_error *err);
int reg_due_end(due_run *r, emh_due_list **out, int rc, emh_error *err);

#endif
