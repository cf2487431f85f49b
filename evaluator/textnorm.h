/*
 * textnorm.h (private) - evidence text as a reader sees it, for the text
 * checks: what a vendor could hide from a regex (format characters, look-alike
 * letters, compatibility forms, hard-wrapped lines, HTML comments) is undone
 * before matching, and every change is kept as an edit so that a match in the
 * normalised text is located in the original bytes and says what was done.
 */
#ifndef EMH_EVALUATOR_TEXTNORM_H
#define EMH_EVALUATOR_TEXTNORM_H

#include <stddef.h>

/* What an edit did. */
enum {
	EMH_NORM_JOIN = 1,      /* a line break inside a paragraph became one space */
	EMH_NORM_FORMAT = 2,    /* an invisible format character was removed */
	EMH_NORM_COMMENT = 4,   /* an HTML comment was removed */
	EMH_NORM_NFKC = 8,      /* Unicode NFKC changed a character (sequence) */
	EMH_NORM_LOOKALIKE = 16 /* a Cyrillic or Greek look-alike became its Latin letter */
};

/* Original bytes [from, to) became the normalised bytes [out, out + out_len). */
typedef struct emh_textnorm_edit {
	size_t out, out_len;
	size_t from, to;
	unsigned kind;
} emh_textnorm_edit;

typedef struct emh_textnorm {
	char *text;             /* the normalised text, NUL-terminated */
	size_t len;
	emh_textnorm_edit *edits; /* in order of out (and of from) */
	size_t nedits, capedits;
	size_t nmixed;          /* words mixing Latin with Cyrillic or Greek letters */
	size_t mixed_from, mixed_to; /* the first one, in the original */
} emh_textnorm;

/*
 * Normalises orig[0..len) (valid UTF-8 without NUL bytes, which the caller
 * refuses): HTML comments outside fenced code removed; format characters
 * (Default_Ignorable_Code_Point except variation selectors: soft hyphen,
 * zero-width characters, bidi controls, BOM) removed; NFKC; look-alike letters
 * inside a Latin word that mixes scripts mapped to Latin; lines of one
 * paragraph joined with one space (a blank line, a heading, a list item, a
 * quote, a table row or a code fence starts a new block). Returns 0, or -1 when
 * out of memory.
 */
int emh_textnorm_run(emh_textnorm *out, const char *orig, size_t len);
void emh_textnorm_dispose(emh_textnorm *n);

/* The original bytes [*from, *to) of the normalised bytes [start, end). */
void emh_textnorm_map(const emh_textnorm *n, size_t start, size_t end, size_t *from, size_t *to);

/*
 * Writes into dst what normalisation changed inside the normalised bytes
 * [start, end) ("joining lines 3-4, removing 2 format characters"), or over
 * the whole text when whole is 1; "" when nothing. orig locates line numbers.
 */
void emh_textnorm_describe(const emh_textnorm *n, const char *orig, size_t olen,
                           size_t start, size_t end, int whole, char *dst, size_t size);

#endif
