/*
 * buf.h - a growable, NUL-terminated byte buffer with a sticky error and a cap.
 *
 * Renderers append freely and check emh_buf_ok() once at the end: after the
 * first failure (out of memory, or the cap reached) every append does nothing.
 * The cap exists because much of what we append comes from untrusted input.
 * A buffer is caller-owned: initialise with EMH_BUF_INIT (no cap) or
 * emh_buf_init(), release with emh_buf_dispose(), or take the bytes with
 * emh_buf_detach() (then they are the caller's, freed with free()).
 */
#ifndef EMHEVAL_BUF_H
#define EMHEVAL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct emh_buf {
	char *ptr;  /* the bytes, always NUL-terminated once anything is appended */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed, 0 for no cap */
	int err;    /* 0, or the EMH_E* code of the first failure */
} emh_buf;

#define EMH_BUF_INIT { NULL, 0, 0, 0, 0 }

void emh_buf_init(emh_buf *b, size_t max);
void emh_buf_dispose(emh_buf *b);
void emh_buf_clear(emh_buf *b); /* len = 0, keeps the memory, resets err */
int emh_buf_ok(const emh_buf *b); /* 1 when no append has failed */
/* Returns ptr, or "" when nothing was appended; borrowed from b. */
const char *emh_buf_cstr(const emh_buf *b);
/* Hands the bytes to the caller (free() them); b is reset. NULL on error. */
char *emh_buf_detach(emh_buf *b, size_t *len_out);

void emh_buf_append(emh_buf *b, const void *data, size_t len);
void emh_buf_puts(emh_buf *b, const char *s);
void emh_buf_putc(emh_buf *b, char c);
void emh_buf_appendf(emh_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void emh_buf_vappendf(emh_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Escapes for the given output language; invalid UTF-8 becomes U+FFFD. */
void emh_buf_append_json_string(emh_buf *b, const char *s, size_t len); /* with quotes */
void emh_buf_append_html_escaped(emh_buf *b, const char *s, size_t len);
void emh_buf_append_xml_escaped(emh_buf *b, const char *s, size_t len);

#endif
