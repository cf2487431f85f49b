/*
 * buf.c - the growable byte buffer every renderer writes into.
 *
 * The error is sticky so that renderers can append without checking each
 * call, and the cap turns "untrusted input made the output huge" into a
 * reported EMH_ELIMIT rather than an out-of-memory.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "emheval/error.h"
#include "evaluator/internal.h"

void emh_buf_init(emh_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void emh_buf_dispose(emh_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	memset(b, 0, sizeof *b);
}

void emh_buf_clear(emh_buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

int emh_buf_ok(const emh_buf *b)
{
	return b->err == 0;
}

const char *emh_buf_cstr(const emh_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *emh_buf_detach(emh_buf *b, size_t *len_out)
{
	char *p = NULL;
	if (!b->err) {
		if (!b->ptr)
			emh_buf_append(b, "", 0);
		if (!b->err) {
			p = b->ptr;
			if (len_out)
				*len_out = b->len;
			b->ptr = NULL;
		}
	}
	emh_buf_dispose(b);
	return p;
}

/* Makes room for extra more bytes plus the NUL; sets the sticky error. */
/* Failed growths on this thread, for callers with scratch buffers (emh_buf_alloc_failures). */
static _Thread_local unsigned long emh_buf_failures;

unsigned long emh_buf_alloc_failures(void)
{
	return emh_buf_failures;
}

static int grow(emh_buf *b, size_t extra)
{
	if (b->err)
		return -1;
	if (extra > SIZE_MAX / 2 - b->len || (b->max && b->len + extra > b->max)) {
		b->err = EMH_ELIMIT;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = emh_alloc_should_fail() ? NULL : realloc(b->ptr, cap);
	if (!p) {
		emh_buf_failures++;
		b->err = EMH_EGENERIC;
		return -1;
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
}

void emh_buf_append(emh_buf *b, const void *data, size_t len)
{
	if (grow(b, len))
		return;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void emh_buf_puts(emh_buf *b, const char *s)
{
	emh_buf_append(b, s, strlen(s));
}

void emh_buf_putc(emh_buf *b, char c)
{
	emh_buf_append(b, &c, 1);
}

void emh_buf_vappendf(emh_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		if (!b->err)
			b->err = EMH_EGENERIC;
		return;
	}
	if (grow(b, (size_t)n))
		return;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void emh_buf_appendf(emh_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emh_buf_vappendf(b, fmt, ap);
	va_end(ap);
}

size_t emh_utf8_seqlen(const unsigned char *s, size_t len)
{
	unsigned long cp;
	return emh_utf8_decode(s, len, &cp);
}

size_t emh_utf8_decode(const unsigned char *s, size_t len, unsigned long *out)
{
	unsigned char c = s[0];
	*out = c;
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned long cp;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0Fu;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07u;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*out = cp;
	return n;
}

static const char replacement[] = "\xEF\xBF\xBD";

/* 1 for a byte that goes into a JSON string as it is: printable ASCII other than '"' and '\\'. */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

void emh_buf_append_json_string(emh_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t plain = 0;
	while (plain < len && json_plain(u[plain]))
		plain++;
	if (plain == len) { /* most keys and values: one growth, one copy */
		if (grow(b, len + 2))
			return;
		b->ptr[b->len] = '"';
		memcpy(b->ptr + b->len + 1, s, len);
		b->len += len + 2;
		b->ptr[b->len - 1] = '"';
		b->ptr[b->len] = '\0';
		return;
	}
	emh_buf_putc(b, '"');
	for (size_t i = 0; i < len;) {
		/* A run of printable ASCII that needs no escape goes in at once. */
		size_t run = i;
		while (run < len && json_plain(u[run]))
			run++;
		if (run > i) {
			emh_buf_append(b, u + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = u[i];
		size_t n = emh_utf8_seqlen(u + i, len - i);
		if (n == 0) {
			emh_buf_append(b, replacement, 3);
			i++;
			continue;
		}
		if (n > 1) {
			emh_buf_append(b, u + i, n);
			i += n;
			continue;
		}
		switch (c) {
		case '"': emh_buf_puts(b, "\\\""); break;
		case '\\': emh_buf_puts(b, "\\\\"); break;
		case '\n': emh_buf_puts(b, "\\n"); break;
		case '\r': emh_buf_puts(b, "\\r"); break;
		case '\t': emh_buf_puts(b, "\\t"); break;
		case '\b': emh_buf_puts(b, "\\b"); break;
		case '\f': emh_buf_puts(b, "\\f"); break;
		default:
			if (c < 0x20 || c == 0x7F)
				emh_buf_appendf(b, "\\u%04x", c);
			else
				emh_buf_putc(b, (char)c);
		}
		i++;
	}
	emh_buf_putc(b, '"');
}
