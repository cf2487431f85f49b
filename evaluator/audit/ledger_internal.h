/*
 * ledger_internal.h (private) - what ledger.c needs from ledger_store.c to
 * keep submissions beside their dossiers: preparing the objects and manifest
 * of one filing, and checking them in `ledger verify`.
 */
#ifndef EMH_EVALUATOR_LEDGER_INTERNAL_H
#define EMH_EVALUATOR_LEDGER_INTERNAL_H

#include <git2.h>
#include "emheval/audit.h"
#include "emheval/buf.h"

#define LEDGER_MANIFEST "submission.manifest.json"
#define LEDGER_OBJECTS "objects/sha256/"

typedef struct emh_store__object {
	char path[96];  /* objects/sha256/AB/CDEF... */
	git_oid id;
} emh_store__object;

/* The blobs one filing adds: its manifest and the objects it names. */
typedef struct emh_store__set {
	git_oid manifest;
	char manifest_sha[65];
	emh_store__object *objects;
	size_t n;
} emh_store__set;

/* Reads the submission o names, checks it against d and writes its blobs into repo. */
int emh_store__prepare(emh_store__set *s, git_repository *repo, const emh_dossier *d,
                       const emh_ledger_store *o, emh_error *err);
void emh_store__dispose(emh_store__set *s);

/* The submission_sha256 a manifest blob records, into out ("" when unreadable). */
void emh_store__manifest_submission(char out[65], const git_blob *manifest);

/* 1 when p is objects/sha256/AB/ + 62 lowercase hex digits. */
int emh_store__is_object_path(const char *p);

/* Checks that the blob added at an object path holds bytes with that SHA-256; problems to problems. */
void emh_store__check_object(git_repository *repo, const char *path, const git_oid *id, emh_buf *problems);

/*
 * Checks the manifest at path in tree against d: the submission and each
 * stored file is there with the hash the dossier records. Problems (tampered,
 * missing, not the dossier's) go to problems; what is stored and withheld to note.
 */
void emh_store__check(git_repository *repo, git_tree *tree, const char *path, const emh_dossier *d,
                      emh_buf *problems, emh_buf *note);

#endif
