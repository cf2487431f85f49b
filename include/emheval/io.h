/*
 * io.h - writing output files safely.
 */
#ifndef EMHEVAL_IO_H
#define EMHEVAL_IO_H

#include <stddef.h>
#include "emheval/error.h"

/*
 * Writes data to path atomically: a temporary file in the same folder,
 * fsync'd, then renamed over path, so a reader (or a crash) never sees a
 * half-written file. A symlink already at path is replaced, never followed.
 * Returns 0 or EMH_EIO with the reason in err.
 */
int emh_io_write_atomic(const char *path, const void *data, size_t len,
                        emh_error *err);

#endif
