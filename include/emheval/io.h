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

/*
 * Writes data to a path the user named (-o): a regular file or a new name is
 * written atomically as above; an existing character device or pipe (also
 * through a symlink, as /dev/stdout) is opened and written, never replaced,
 * so -o /dev/null stays a device. A pipe without a reader is an error at once,
 * never a hang. Anything else (a folder, a block device, a socket) is refused.
 * Returns 0 or EMH_EIO with the reason in err.
 */
int emh_io_write_named(const char *path, const void *data, size_t len,
                       emh_error *err);

#endif
