/*
 * error.c - filling and formatting emh_error.
 *
 * Errors carry their location so that the CLI can print them the way
 * compilers do ("file:line:col: error: ..."), which editors and CI logs
 * already know how to follow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "emheval/error.h"

void emh_error_clear(emh_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

int emh_error_set(emh_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return code;
}

void emh_error_locate(emh_error *err, const char *file, unsigned line,
                      unsigned column, const char *pointer)
{
	if (!err)
		return;
	if (file)
		snprintf(err->file, sizeof err->file, "%s", file);
	err->line = line;
	err->column = column;
	if (pointer)
		snprintf(err->pointer, sizeof err->pointer, "%s", pointer);
}

char *emh_error_format(const emh_error *err, char *dst, size_t size)
{
	if (!size)
		return dst;
	dst[0] = '\0';
	if (!err)
		return dst;
	size_t n = 0;
#define EMH_PUT(...) do { \
		int w_ = snprintf(dst + n, size - n, __VA_ARGS__); \
		if (w_ > 0) n += (size_t)w_ < size - n ? (size_t)w_ : size - n - 1; \
	} while (0)
	if (err->file[0]) {
		EMH_PUT("%s:", err->file);
		if (err->line)
			EMH_PUT("%u:%u:", err->line, err->column);
		EMH_PUT(" ");
	}
	EMH_PUT("%s", err->message[0] ? err->message : "unknown error");
	if (err->pointer[0])
		EMH_PUT(" (at %s)", err->pointer);
#undef EMH_PUT
	return dst;
}

void emh_error_offset_to_linecol(const char *text, size_t len, size_t offset,
                                 unsigned *line, unsigned *column)
{
	unsigned l = 1, c = 1;
	if (offset > len)
		offset = len;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	if (line)
		*line = l;
	if (column)
		*column = c;
}
