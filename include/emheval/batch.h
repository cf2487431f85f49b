/*
 * batch.h - evaluating a portfolio: many submissions, one compiled criteria
 * set shared read-only by a pool of worker threads. Each worker reads,
 * parses, evaluates, renders and writes its own submission, so memory is
 * bounded by the number of workers, not the size of the portfolio. One bad
 * submission is recorded in the index with its error and never stops the
 * others. The files written do not depend on the number of workers.
 */
#ifndef EMHEVAL_BATCH_H
#define EMHEVAL_BATCH_H

#include <stddef.h>
#include "emheval/audit.h"
#include "emheval/buf.h"
#include "emheval/criteria.h"
#include "emheval/dossier.h"
#include "emheval/error.h"
#include "emheval/report.h"
#include "emheval/submission.h"

/*
 * Finds the submissions under paths: a folder holding submission.json is one
 * submission; another folder is searched recursively (hidden entries and
 * symlinks skipped), each *.json file in it being a bare submission; a file
 * given by name is a submission. Returns the paths sorted byte-wise without
 * duplicates in *out (free each and the array with free()).
 * EMH_ENOTFOUND when a given path does not exist.
 */
int emh_batch_discover(char ***out, size_t *count, const char *const *paths,
                       size_t npaths, emh_error *err);

/*
 * What discovery found and what it passed over. emheval's own outputs are
 * never submissions: the folder out_dir names, any folder holding an
 * emheval batch index (index.json whose format is emheval/index/...), and
 * any JSON file whose "format" names an emheval record (a dossier, an
 * index) or that is a DSSE envelope are skipped, as are folders deeper
 * than EMH_DISCOVER_MAX_DEPTH and symlinks; each skip is listed as
 * "PATH: reason" (sorted). Hidden entries are passed over silently.
 *
 * emh_batch_find reads no file: a JSON file found in a folder is marked
 * unread (emh_discovery_unread), and emh_batch_run_found passes it over when
 * a worker reads it and finds emheval's output, listing it with discovery's
 * skips; so each file is read once. emh_batch_discover reads the marked
 * files itself and leaves out emheval's outputs. What was found is held
 * compactly (each folder once), so that a portfolio of 20,000 costs little
 * more memory than one of 1,000: read a path with emh_discovery_path.
 */
#define EMH_DISCOVER_MAX_DEPTH 64

struct emh_pathlist;

typedef struct emh_discovery {
	struct emh_pathlist *found; /* the submissions, sorted byte-wise, without duplicates */
	size_t count;
	char **skipped;   /* "PATH: reason", sorted */
	size_t nskipped;
} emh_discovery;

/* As emh_batch_discover, with out_dir (may be NULL) and the skips. */
int emh_batch_find(emh_discovery *out, const char *const *paths, size_t npaths,
                   const char *out_dir, emh_error *err);
void emh_discovery_dispose(emh_discovery *d);
/* Submission i (< count) of d, written into b (cleared first); "" when out of memory (b's error set). */
const char *emh_discovery_path(const emh_discovery *d, size_t i, emh_buf *b);
/* 1 when submission i is a JSON file found in a folder and not yet read. */
int emh_discovery_unread(const emh_discovery *d, size_t i);

/* Called after each submission, in order, from one thread at a time. */
typedef void (*emh_batch_progress_cb)(size_t done, size_t total, void *payload);

typedef struct emh_batch_options {
	const emh_criteria *criteria;
	const char *out_dir;          /* created if missing */
	const emh_format *formats;    /* one file per submission and format */
	size_t nformats;
	int outcomes;                 /* also write outcomes.jsonl (one line per submission) */
	unsigned jobs;                /* worker threads, 0: one per core */
	unsigned shard_index;         /* with shard_count > 1: keep only shard K (0-based) of N */
	unsigned shard_count;
	const char *as_of;            /* evaluation date, NULL: each submission's own */
	emh_batch_progress_cb progress;
	void *payload;
	const emh_waiver *waivers;    /* applied in every evaluation (eval.h); borrowed */
	size_t nwaivers;
	const emh_submission_options *limits; /* size and depth limits for every submission
	                                         (submission.h), NULL: the defaults */
	size_t max_array_visit;       /* as in emh_eval_options, 0: the default */
	/* Publishing (docs/audit.md), needs the json format: each dossier is signed
	 * and filed as it was evaluated, from memory, never read back from out_dir. */
	const emh_key *sign_key;      /* sign each dossier: NAME.dsse.json beside it, or NULL */
	emh_ledger *ledger;           /* file each dossier, in index order, or NULL */
	const char *const *skipped;   /* discovery's skips (emh_discovery), listed in
	                                 index.json and summary.txt; borrowed */
	size_t nskipped;
	const char *profiles;         /* as in emh_eval_options (--profile), NULL: each submission's own */
	emh_diagnostic_cb on_warning; /* each submission's warnings (an unknown member, "did you mean"),
	                                 in batch order, from one thread at a time; payload as above */
} emh_batch_options;

#define EMH_BATCH_OPTIONS_INIT { NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, 0, \
                                 NULL, NULL, NULL, 0, NULL, NULL }

typedef struct emh_batch_summary {
	size_t total;                      /* submissions in this shard */
	size_t skipped;                    /* files passed over when read (emheval's own outputs) */
	size_t evaluated;                  /* dossiers written */
	size_t failed;                     /* submissions that could not be read or evaluated */
	size_t published;                  /* dossiers signed and/or filed */
	size_t unpublished;                /* evaluated, but not signed or filed (error in the index) */
	size_t verdicts[EMH_VERDICT__COUNT];
} emh_batch_summary;

/*
 * Evaluates the submissions (already discovered, sorted) and writes into
 * out_dir: NAME.EXT per submission and format, index.json (every submission
 * in order, with its verdict and digest or its error), summary.txt (a table),
 * and outcomes.jsonl when asked. NAME is the submission's folder or file name
 * (without .json) with '.', '~', '/' and control bytes written ~XX, the
 * reserved names index, summary and outcomes written ~69ndex and so on, and
 * ~~2, ~~3... added to the second and later of equal names: names are unique
 * and never collide with the batch's own files or each other's
 * (NAME.dsse.json, NAME.github.txt). With sign_key or ledger, each dossier
 * is signed and filed from memory; a submission that cannot be (no
 * app.version, an app id too long for the ledger, another submission of the
 * batch that declares the same app and version, a rollback the ledger
 * refuses) gets a "publish_error" in index.json and never stops the others. Every file is written atomically. Returns 0
 * when the batch ran (see summary->failed for bad submissions), or an EMH_E*
 * code when it could not (output folder, options, memory).
 */
int emh_batch_run(emh_batch_summary *summary, const char *const *paths,
                  size_t npaths, const emh_batch_options *opts, emh_error *err);

/*
 * As emh_batch_run, over what emh_batch_find found: a file it marked unread
 * that turns out to be emheval's own output (a dossier, an index, an
 * envelope) is passed over, counted in summary->skipped and listed with
 * found->skipped in index.json and summary.txt.
 */
int emh_batch_run_found(emh_batch_summary *summary, const emh_discovery *found,
                        const emh_batch_options *opts, emh_error *err);

/* The shard (0-based) of a path for shard_count shards: stable across runs and machines. */
unsigned emh_batch_shard_of(const char *path, unsigned shard_count);

#endif
