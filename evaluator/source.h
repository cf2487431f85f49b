/*
 * source.h (private) - reads a criteria set out of a git repository.
 *
 * The files come from the object database at a revision, through libgit2, never
 * from the working tree, so (repository, commit) names the set exactly. The
 * result is a flat, sorted list of (path, bytes) that the criteria compiler reads
 * without knowing about git.
 */
#ifndef EMH_EVALUATOR_SOURCE_H
#define EMH_EVALUATOR_SOURCE_H

#include <stddef.h>
#include "emheval/error.h"

typedef struct emh_source_file {
	char *path; /* relative to the criteria folder: "framework.json", "DOMAIN/ID.json" */
	char *data; /* the blob's bytes, NUL-terminated */
	size_t len; /* bytes, not counting the NUL */
} emh_source_file;

typedef struct emh_source {
	char *repository;    /* the repository as given (or "." when discovered) */
	char *name;          /* the name the repository gives itself (git config
	                        emheval.source, else remote.origin.url without
	                        credentials), NULL when it gives none */
	char *criteria_path; /* folder inside it, e.g. "criteria" */
	char *rev;           /* the revspec as given, e.g. "HEAD", "v1.0.0" */
	char commit[41];     /* hex id of the commit the revision resolved to */
	char tree[41];       /* hex id of the criteria folder's tree in that commit */
	emh_source_file *files; /* the files read (by default framework.json and
	                           DOMAIN/ID.json), sorted by path */
	size_t nfiles;
} emh_source;

#define EMH_SOURCE_INIT { NULL, NULL, NULL, NULL, "", "", NULL, 0 }

/*
 * Reads the criteria set. repo: a path to a repository (bare or not, or any
 * folder inside a work tree), or NULL to discover the repository that holds
 * the current directory. criteria_path: NULL for "criteria". rev: any revspec,
 * NULL for "HEAD". Only framework.json and files DOMAIN/NAME.json exactly two
 * levels down are kept; anything deeper (fixtures) or not ending in .json is
 * skipped. On failure returns EMH_ENOTFOUND (no repository, revision or
 * folder) or EMH_EGENERIC, with a message naming what was looked for;
 * *out is then left empty.
 * Caller disposes *out with emh_source_dispose (also on failure).
 */
int emh_source_read(emh_source *out, const char *repo, const char *criteria_path,
                    const char *rev, emh_error *err);

/* Which files emh_source_read_files keeps: 1 for a path relative to the
 * criteria folder ("privacy/fixtures/DP-1.pass.json") that is wanted. */
typedef int (*emh_source_filter)(const char *path, void *payload);

/*
 * Reads every regular file of the criteria folder at rev that want keeps,
 * descending at most max_depth levels (1: the folder itself; 2: also
 * DOMAIN/NAME; the gate uses more for DOMAIN/fixtures/...). framework.json
 * must exist (it is kept only if want keeps it). Errors as emh_source_read;
 * EMH_ELIMIT past 1 MiB per file or 100000 files.
 */
int emh_source_read_files(emh_source *out, const char *repo, const char *criteria_path,
                          const char *rev, emh_source_filter want, void *payload,
                          unsigned max_depth, emh_error *err);

/* 1 for "framework.json", "trackers.json" and "DOMAIN/NAME.json": the files of a criteria set. */
int emh_source_is_criteria_path(const char *path);

void emh_source_dispose(emh_source *src);

/*
 * Builds the location string used in errors for a file of src:
 * "criteria/privacy/DP-1.json@1a2b3c4" (folder/path@short commit).
 */
void emh_source_file_label(const emh_source *src, const char *path, char *dst,
                           size_t size);

#endif
