/*
 * language.h (private) - the language an evidence text is written in, detected
 * from the text itself (libexttextcat's n-gram classifier), so that a text
 * check whose patterns are written for one language gives no verdict on a
 * document in another: a German policy is neither passed nor failed by English
 * patterns, and a vendor cannot steer it by declaring a language.
 */
#ifndef EMH_EVALUATOR_LANGUAGE_H
#define EMH_EVALUATOR_LANGUAGE_H

#include <stddef.h>
#include "emheval/buf.h"

/* Texts shorter than this (bytes) are too short to tell; a paragraph shorter is not classified. */
#define EMH_LANG_MIN_TEXT 200u

/* A classified stretch of text: the whole document (index 0) or a long paragraph. */
typedef struct emh_lang_span {
	size_t at, len;   /* bytes of the text classified */
	char langs[48];   /* ISO 639 codes of the candidates, best first, space-separated; "" undetermined */
} emh_lang_span;

typedef struct emh_language {
	emh_lang_span *spans; /* spans[0] is the whole text; then each long paragraph with a determined language */
	size_t nspans;
	int unavailable;      /* the classifier or its data could not be loaded */
} emh_language;

/*
 * Classifies text (one paragraph a line, as textnorm.h writes it), every
 * paragraph of it. Thread-safe: concurrent callers use their own classifier
 * handles. Returns 0, or -1 out of memory.
 */
int emh_language_detect(emh_language *out, const char *text, size_t len);
/* How many times emh_language_detect ran in this process (tests: detection is lazy). */
unsigned long emh_language_detections(void);
void emh_language_dispose(emh_language *l);

/*
 * Whether a span's candidates are written in one of the declared languages:
 * an undetermined span (too short, or no language close enough) is, as is any
 * span when declared holds "*"; otherwise some candidate must be declared.
 * declared: language codes, space-separated ("en", "en de", "*").
 */
int emh_language_covered(const emh_lang_span *s, const char *declared);

/* The first span not covered by the declared languages (codes, space-separated), or NULL. */
const emh_lang_span *emh_language_uncovered(const emh_language *l, const char *declared);

/* Whether list (language codes, space-separated) holds the code [code, code + len). */
int emh_language_listed(const char *list, const char *code, size_t len);

/* Appends to into (codes, space-separated) each code of list it does not hold yet, in list's order. */
void emh_language_merge(emh_buf *into, const char *list);

#endif
