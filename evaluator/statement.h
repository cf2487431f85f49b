/*
 * statement.h (private) - "not_states" and its mirror "states": text checks
 * that parse candidate sentences with link-grammar and judge, per clause, a
 * verb, what it acts on and for what, and whether a negation governs that verb
 * (statement.c).
 */
#ifndef EMH_EVALUATOR_STATEMENT_H
#define EMH_EVALUATOR_STATEMENT_H

#include <stddef.h>
#include "evaluator/internal.h"

/*
 * Limits that make a parse bounded and its result deterministic: a sentence of
 * more tokens (words and punctuation, as link-grammar splits it, with its two
 * walls) is judged in pieces cut at commas, colons and brackets of at most
 * EMH_STATEMENT_CHUNK_WORDS words (a piece still too long is not parsed and is
 * left to the other checks of the criterion); links
 * are at most EMH_STATEMENT_SHORT_LINKS words long (link-grammar's short_length,
 * except for its connectors without that limit), which keeps the worst sentence
 * measured under half a second (docs/performance.md); link-grammar samples at most EMH_STATEMENT_LINKAGES linkages with its
 * repeatable random generator and the best (lowest cost) one is judged;
 * at most EMH_STATEMENT_NULLS words may be left out of a parse. There is no
 * wall-clock limit (link-grammar's max_parse_time is off): every bound is on
 * the sentence, so the same sentence gets the same answer on a loaded machine
 * as on an idle one (a time limit made the verdict depend on load).
 */
#define EMH_STATEMENT_MAX_WORDS 46
#define EMH_STATEMENT_SHORT_LINKS 10
#define EMH_STATEMENT_CHUNK_WORDS 24
#define EMH_STATEMENT_LINKAGES 100
#define EMH_STATEMENT_NULLS 4
/*
 * Parses per document: a document with more candidate sentences (or pieces)
 * than this is not judged further and reported as EMH_STATEMENT_TOO_MANY, so a
 * hostile document of thousands of candidate sentences ends in bounded time.
 */
#define EMH_STATEMENT_MAX_PARSES 400
#define EMH_STATEMENT_TOO_MANY (-10001)
/* A sentence needed a parse and the English dictionary could not be loaded. */
#define EMH_STATEMENT_NO_DICTIONARY (-10002)
/*
 * "states" only: no clause states it, and a candidate sentence could not be
 * judged (more than EMH_STATEMENT_MAX_WORDS tokens, no linkage, or a negating
 * word the parse left out), so "not stated" is not known (its span in *start, *end).
 */
#define EMH_STATEMENT_UNJUDGED (-10003)

typedef struct emh_statement {
	emh_regex verb_word;   /* "^(?:verb)$": one parsed word */
	emh_regex verb_any;    /* "\b(?:verb)\b": a sentence worth parsing */
	emh_regex object, purpose, unless;
	int has_unless;
	int affirm;            /* 1: "states" (a clause must state it); 0: "not_states" */
	char settings[65];     /* SHA-256 of the four patterns: the cache's name for them */
	int counted;           /* one of the dictionary's users (statement.c) */
} emh_statement;

/*
 * Compiles the "verb", "object", "purpose" and "unless" patterns (caseless,
 * purpose and unless may be NULL: no condition; affirm: for "states")
 * UTF) and counts itself a user of the shared English dictionary, which is
 * loaded only when a sentence first needs a parse and is shared by every
 * criterion and thread (link-grammar dictionaries are read-only once made); it
 * is freed when the last user is disposed. On failure returns EMH_EINVALID
 * with a message naming the field (in *field).
 */
int emh_statement_compile(emh_statement *st, const char *verb, const char *object,
                          const char *purpose, const char *unless, int affirm, const char **field,
                          struct emh_error *err);
void emh_statement_dispose(emh_statement *st);
/* 1 when the sentence s[0..len) would be parsed (a word of "verb" and a match of "purpose"), 0 when not, or a
 * negative PCRE2 error code; the search parses only these, and lint measures how many ordinary sentences are. */
int emh_statement_candidate(const emh_statement *st, emh_matcher *m, const char *s, size_t len);

/*
 * Searches text[0..len) sentence by sentence. Returns 1 with the sentence's
 * [*start, *end) when a clause states it (an unnegated verb matching "verb"
 * whose clause holds "object" and "purpose" and not "unless"), 0 when none
 * does, EMH_STATEMENT_TOO_MANY when more than
 * EMH_STATEMENT_MAX_PARSES parses were needed (the first unjudged sentence's
 * span in *start, *end), EMH_STATEMENT_NO_DICTIONARY when a sentence needed a
 * parse and the dictionary could not be loaded, or a negative PCRE2 error code.
 * For "states" (affirm), a sentence that cannot be judged is never "not stated":
 * when no clause states it and such a sentence was met, EMH_STATEMENT_UNJUDGED
 * with the first one's span; a sentence too long is not cut in pieces (a piece
 * can lose the negation of its sentence: "we do not, in any case, encrypt").
 * Answers are cached per process by sentence and settings (statement.c).
 */
int emh_statement_search(const emh_statement *st, emh_matcher *m, const char *text, size_t len,
                         size_t *start, size_t *end);

/* For tests: whether the dictionary is loaded now; the cache's hits and misses so far. */
int emh_statement__dictionary_loaded(void);
void emh_statement__cache_stats(size_t *hits, size_t *misses);
/* For tests: the wall-clock limit the parse options are made with (-1: none). */
int emh_statement__time_limit(void);

#endif
