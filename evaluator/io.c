/*
 * io.c - atomic file output: temp file in the target's folder, fsync, rename.
 * rename() replaces a symlink planted at the target instead of following it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emheval/io.h"

int emh_io_write_atomic(const char *path, const void *data, size_t len, emh_error *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	int fd = -1, rc = 0;
	if (!tmp)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = emh_error_set(err, EMH_EIO, "cannot create a temporary file beside %s: %s", path, strerror(errno));
		goto done;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
			goto done;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		rc = emh_error_set(err, EMH_EIO, "cannot replace %s: %s", path, strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	if (rc) {
		unlink(tmp);
		emh_error_locate(err, path, 0, 0, NULL);
	}
	free(tmp);
	return rc;
}
