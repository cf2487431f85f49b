/*
 * error.h - the one error type of libemheval.
 *
 * Every library function that can fail returns an int (0 on success, a negative
 * EMH_E* code on failure) and fills a caller-owned emh_error with the message and
 * where the problem is: the file (for criteria, "REPO@COMMIT:PATH"), line and
 * column (1-based, 0 when unknown) and a JSON pointer into that file. There is no
 * global "last error" slot, so errors are safe across threads and nested calls.
 */
#ifndef EMHEVAL_ERROR_H
#define EMHEVAL_ERROR_H

#include <stddef.h>

enum {
	EMH_OK = 0,
	EMH_EGENERIC = -1,  /* anything not listed below */
	EMH_ENOTFOUND = -3, /* repository, revision, file or criterion not found */
	EMH_EINVALID = -4,  /* malformed input: JSON, criterion, submission, option */
	EMH_ELIMIT = -5,    /* a resource limit was reached (size, depth, regex work) */
	EMH_EIO = -6,       /* reading or writing a file failed */
	EMH_EUNSAFE = -7    /* a path leaves its folder, or is a symlink or special file */
};

typedef struct emh_error {
	int code;           /* one of EMH_E*, EMH_OK when unset */
	char message[512];  /* what went wrong and what was expected */
	char file[512];     /* file it concerns, "" when none */
	unsigned line;      /* 1-based line in file, 0 when unknown */
	unsigned column;    /* 1-based column (bytes), 0 when unknown */
	char pointer[256];  /* JSON pointer of the offending node, "" when none */
} emh_error;

#define EMH_ERROR_INIT { 0, "", "", 0, 0, "" }

/* Called for each problem found (compiling criteria, validating a submission), so all
 * can be reported. */
typedef void (*emh_diagnostic_cb)(const emh_error *problem, void *payload);

/* Clears err (NULL is allowed). */
void emh_error_clear(emh_error *err);

/*
 * Sets err's code and message (printf-style) and returns code, so callers can
 * write `return emh_error_set(err, EMH_EINVALID, "...")`. Location fields are
 * left as they are. err may be NULL.
 */
int emh_error_set(emh_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets the location fields (file may be NULL to keep it, pointer may be NULL). */
void emh_error_locate(emh_error *err, const char *file, unsigned line,
                      unsigned column, const char *pointer);

/*
 * Formats err the way compilers do: "file:line:col: message (at pointer)"; the
 * CLI prints it with "error: " (or "warning: ") before the message.
 * Writes at most size bytes into dst (always NUL-terminated) and returns dst.
 */
char *emh_error_format(const emh_error *err, char *dst, size_t size);

/* Turns a byte offset into 1-based line and column of text[0..len). */
void emh_error_offset_to_linecol(const char *text, size_t len, size_t offset,
                                 unsigned *line, unsigned *column);

#endif
