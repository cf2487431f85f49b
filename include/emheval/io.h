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
 * As emh_io_write_atomic, but never replaces anything: the temporary file is
 * linked to path, which fails when path exists (a file, a symlink, anything).
 * Returns 0 or EMH_EIO ("PATH already exists: it is not replaced").
 */
int emh_io_write_new(const char *path, const void *data, size_t len,
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

/*
 * Reads the regular file at path whole (NUL-terminated, free()), at most max
 * bytes. It is opened non-blocking and checked with fstat before any read, so
 * a FIFO, device or socket in its place is refused at once, never waited on.
 * Returns 0, EMH_ENOTFOUND, EMH_EIO, EMH_ELIMIT or EMH_EUNSAFE, with the file
 * named in err.
 */
int emh_io_read_file(char **out, size_t *len, const char *path, size_t max,
                     emh_error *err);

/* "FIFO", "character device", "folder"...: a file type (st_mode) for messages. */
const char *emh_io_file_kind(unsigned mode);

#endif
