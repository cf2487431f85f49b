/*
 * pathlist.h (private) - the paths a batch's discovery found, held compactly.
 *
 * A portfolio of 20,000 files in one folder held as 20,000 whole paths cost
 * about 60 bytes each (plus malloc's own), a fifth of the batch's memory
 * (issue 18: memory flat within 10% from 1,000 to 20,000). Here each folder
 * is stored once and each path is its folder's number and a name, all in one
 * pool: about 30 bytes a path. A whole path (one given on the command line)
 * is a name without a folder.
 */
#ifndef EMH_EVALUATOR_PATHLIST_H
#define EMH_EVALUATOR_PATHLIST_H

#include <stddef.h>
#include <stdint.h>
#include "emheval/buf.h"

typedef struct emh_pathlist emh_pathlist;

#define EMH_PATHLIST_WHOLE UINT32_MAX /* the folder of a name that is a whole path */

emh_pathlist *emh_pathlist_new(void);
void emh_pathlist_free(emh_pathlist *l);

/* Adds a folder; *id names it in emh_pathlist_add. -1 for memory (or past 4 GiB of names). */
int emh_pathlist_add_folder(emh_pathlist *l, const char *folder, uint32_t *id);

/* Adds FOLDER/NAME (folder EMH_PATHLIST_WHOLE: NAME is the whole path) with a mark (0-255). -1 for memory. */
int emh_pathlist_add(emh_pathlist *l, uint32_t folder, const char *name, unsigned mark);

/*
 * Sorts byte-wise by whole path (FOLDER "/" NAME, no second slash when the
 * folder ends with one) and keeps one of equal paths: the one with the
 * lowest mark.
 */
void emh_pathlist_sort_unique(emh_pathlist *l);

size_t emh_pathlist_count(const emh_pathlist *l);

/* Path i written into b (cleared first); returns b's string, "" when out of memory (b's error set). */
const char *emh_pathlist_path(const emh_pathlist *l, size_t i, emh_buf *b);

/* Path i's name as added (its last component, or the whole path). */
const char *emh_pathlist_name(const emh_pathlist *l, size_t i);

unsigned emh_pathlist_mark(const emh_pathlist *l, size_t i);

#endif
