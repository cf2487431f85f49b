/*
 * io.c - atomic file output: temp file in the target's folder, fsync, rename
 * (or link, when an existing file must never be replaced).
 * rename() replaces a symlink planted at the target instead of following it.
 * A path the user names (-o) may be a device or a pipe (/dev/null,
 * /dev/stdout): that is written by opening it, never replaced by a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emheval/io.h"
#include "evaluator/internal.h"

/* Writes data to a new temporary file beside path, with mode; its name goes to *tmp_out (free()). */
static int write_temp(char **tmp_out, const char *path, const void *data, size_t len, unsigned mode,
                      emh_error *err);

int emh_io_write_atomic(const char *path, const void *data, size_t len, emh_error *err)
{
	char *tmp = NULL;
	int rc = write_temp(&tmp, path, data, len, 0644, err);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = emh_error_set(err, EMH_EIO, "cannot replace %s: %s", path, strerror(errno));
	if (rc && tmp)
		unlink(tmp);
	if (rc)
		emh_error_locate(err, path, 0, 0, NULL);
	free(tmp);
	return rc;
}

int emh_io_write_new(const char *path, const void *data, size_t len, emh_error *err)
{
	return emh_io_write_new_mode(path, data, len, 0644, err);
}

int emh_io_write_new_mode(const char *path, const void *data, size_t len, unsigned mode, emh_error *err)
{
	char *tmp = NULL;
	int rc = write_temp(&tmp, path, data, len, mode, err);
	/* link() fails with EEXIST instead of replacing: the complete file appears under path, or nothing. */
	if (rc == 0 && link(tmp, path) != 0)
		rc = errno == EEXIST ? emh_error_set(err, EMH_EIO, "%s already exists: it is not replaced", path)
		                     : emh_error_set(err, EMH_EIO, "cannot create %s: %s", path, strerror(errno));
	if (tmp)
		unlink(tmp);
	if (rc)
		emh_error_locate(err, path, 0, 0, NULL);
	free(tmp);
	return rc;
}

static int write_temp(char **tmp_out, const char *path, const void *data, size_t len, unsigned mode,
                      emh_error *err)
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
	if (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0) {
		rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
		goto done;
	}
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	if (rc && tmp) {
		unlink(tmp);
		free(tmp);
		tmp = NULL;
	}
	*tmp_out = tmp;
	return rc;
}

/* Writes all of data to fd; returns 0 or -1 with errno set. */
static int write_all(int fd, const char *p, size_t left)
{
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		left -= (size_t)w;
	}
	return 0;
}

int emh_io_write_named(const char *path, const void *data, size_t len, emh_error *err)
{
	struct stat st;
	/* stat, not lstat: what counts is what the name leads to (/dev/stdout is a symlink). */
	if (stat(path, &st) != 0 || S_ISREG(st.st_mode))
		return emh_io_write_atomic(path, data, len, err);
	if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		emh_error_set(err, EMH_EIO, "cannot write %s: it is not a regular file, a character "
		              "device or a pipe", path);
		emh_error_locate(err, path, 0, 0, NULL);
		return EMH_EIO;
	}
	/*
	 * Non-blocking, so a pipe nobody reads fails at once (ENXIO) instead of
	 * hanging; once open, writes block as usual. O_NOCTTY: a terminal named
	 * here never becomes the controlling one.
	 */
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		emh_error_set(err, EMH_EIO, "cannot open %s for writing: %s%s", path, strerror(errno),
		              errno == ENXIO ? " (a pipe with no reader)" : "");
		emh_error_locate(err, path, 0, 0, NULL);
		return EMH_EIO;
	}
	int rc = 0;
	struct stat fst;
	if (fstat(fd, &fst) != 0 || S_ISREG(fst.st_mode)) {
		/* Swapped for a regular file since the stat: that one is written atomically. */
		close(fd);
		return emh_io_write_atomic(path, data, len, err);
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || write_all(fd, data, len) != 0)
		rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
	if (close(fd) != 0 && !rc)
		rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", path, strerror(errno));
	if (rc)
		emh_error_locate(err, path, 0, 0, NULL);
	return rc;
}

const char *emh_io_file_kind(unsigned mode)
{
	if (S_ISDIR(mode))
		return "folder";
	if (S_ISFIFO(mode))
		return "FIFO";
	if (S_ISCHR(mode))
		return "character device";
	if (S_ISBLK(mode))
		return "block device";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISLNK(mode))
		return "symlink";
	return S_ISREG(mode) ? "regular file" : "special file";
}

int emh_io_read_file(char **out, size_t *len, const char *path, size_t max, emh_error *err)
{
	*out = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer; it is refused below. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		emh_error_set(err, e == ENOENT ? EMH_ENOTFOUND : EMH_EIO, "cannot open: %s", strerror(e));
		emh_error_locate(err, path, 0, 0, NULL);
		return err ? err->code : EMH_EIO;
	}
	struct stat st;
	int rc = 0;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = emh_error_set(err, EMH_EUNSAFE, "not a regular file (a %s); refused without reading",
		                   emh_io_file_kind(st.st_mode));
		goto done;
	}
	if ((unsigned long long)st.st_size > max) {
		rc = emh_error_set(err, EMH_ELIMIT, "the file is larger than %zu bytes", max);
		goto done;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap + 1);
	if (!buf) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max + 1) {
				rc = emh_error_set(err, EMH_ELIMIT, "the file is larger than %zu bytes", max);
				goto done;
			}
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *nb = realloc(buf, ncap + 1);
			if (!nb) {
				rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
				goto done;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = emh_error_set(err, EMH_EIO, "cannot read: %s", strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		rc = emh_error_set(err, EMH_ELIMIT, "the file is larger than %zu bytes", max);
		goto done;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
done:
	close(fd);
	free(buf);
	if (rc)
		emh_error_locate(err, path, 0, 0, NULL);
	return rc;
}
