/*
 * internal.h (private) - helpers shared by the evaluator and the renderers
 * that are not part of the public API.
 */
#ifndef EMH_EVALUATOR_INTERNAL_H
#define EMH_EVALUATOR_INTERNAL_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s[0..len), or 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are invalid).
 */
size_t emh_utf8_seqlen(const unsigned char *s, size_t len);
/* The same, also giving the code point in *out (the byte itself when invalid). */
size_t emh_utf8_decode(const unsigned char *s, size_t len, unsigned long *out);

/* ---- arena.c: one allocation pool per dossier or criteria set ---------- */
/*
 * Allocations live until the arena is freed. Built with -DEMH_ARENA_DEBUG,
 * every allocation is its own malloc, so ASan and valgrind see overruns.
 */
typedef struct emh_arena emh_arena;
emh_arena *emh_arena_new(void);
void emh_arena_free(emh_arena *a);
void *emh_arena_alloc(emh_arena *a, size_t size);       /* zeroed; NULL on OOM */
void *emh_arena_alloc_raw(emh_arena *a, size_t size);   /* not zeroed: for what is written whole */
char *emh_arena_strdup(emh_arena *a, const char *s);     /* NULL stays NULL */
/* 1 once an allocation from a has failed (sticky): callers check it once at the end. */
int emh_arena_failed(const emh_arena *a);
/* Records that something meant for a's objects could not be allocated elsewhere. */
void emh_arena_set_failed(emh_arena *a);
char *emh_arena_strndup(emh_arena *a, const char *s, size_t n);
char *emh_arena_printf(emh_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Allocation-failure injection (tests only). emh_alloc_fail_at(n) counts the
 * allocations made from then on through the arena, the cJSON hooks and the
 * growable buffer, and makes the nth fail (0 disarms). emh_alloc_injected
 * says whether that failure happened; each wrapper asks emh_alloc_should_fail.
 */
void emh_alloc_fail_at(unsigned long n);
unsigned long emh_alloc_injected(void);
int emh_alloc_should_fail(void);
/*
 * malloc, calloc, realloc, strdup and strndup that count as allocations for
 * the injection above (NULL when it fails the call, else libc's result; free
 * with free()). The library's criteria-loading, evaluation, dossier and
 * rendering files use only these (make lint checks).
 */
void *emh_malloc(size_t size);
void *emh_calloc(size_t n, size_t size);
void *emh_realloc(void *p, size_t size);
char *emh_strdup(const char *s);
char *emh_strndup(const char *s, size_t n);
/*
 * How many of those calls have returned NULL on this thread: like
 * emh_buf_alloc_failures, an entry point that builds many parts compares it
 * before and after and fails as a whole, rather than checking every part.
 */
unsigned long emh_alloc_failures(void);
/*
 * How many buffer growths have failed on this thread (buf.c): a caller that
 * builds parts in scratch buffers compares it before and after, and fails
 * when it grew, rather than checking every scratch buffer.
 */
unsigned long emh_buf_alloc_failures(void);

/* ---- pointer.c: RFC 6901 JSON pointers, split once ------------------- */
#include <cjson/cJSON.h>

typedef struct emh_ptr_token {
	char *key;    /* unescaped member name */
	long index;   /* array index, or -1 when the token is not one */
} emh_ptr_token;

typedef struct emh_ptr {
	char *text;             /* the pointer as written */
	emh_ptr_token *tokens;
	size_t ntokens;
} emh_ptr;

/* Splits text into tokens; returns 0 or EMH_EINVALID (message in err). */
struct emh_error;
int emh_ptr_compile(emh_ptr *out, const char *text, struct emh_error *err);
void emh_ptr_dispose(emh_ptr *p);
/*
 * Follows p from base. Returns the value, or NULL when absent; *deepest
 * (optional) gets the last value reached on the way, for locating absences.
 */
const cJSON *emh_ptr_resolve(const emh_ptr *p, const cJSON *base,
                             const cJSON **deepest);
/* Appends the escaped token to a pointer being built. */
struct emh_buf;
void emh_ptr_append_token(struct emh_buf *b, const char *token);

/* The "among" predicate (among.c): does `want` equal a value that ptr reaches
 * from root, a "*" token stepping into every array element? Calls visit once
 * per value compared; returns 1 found, 0 not, -1 when visit reported the
 * budget spent. */
int emh_among_find(const emh_ptr *ptr, const cJSON *root, const cJSON *want,
                   int (*equal)(const cJSON *a, const cJSON *b),
                   int (*visit)(void *ctx), void *ctx);

/* ---- io.c: writing files ---------------------------------------------- */
/* emh_io_write_new (emheval/io.h) with the file's mode (0600 for a private key). */
int emh_io_write_new_mode(const char *path, const void *data, size_t len, unsigned mode,
                          struct emh_error *err);

/* ---- date.c: ISO 8601 calendar dates as day numbers ------------------ */
/*
 * Parses exactly YYYY-MM-DD (a real proleptic Gregorian date) into days
 * since 1970-01-01. Returns 0, or -1 when s is not such a date.
 */
int emh_date_parse(long *days, const char *s);
/* Formats a day number as YYYY-MM-DD into dst (11 bytes). */
void emh_date_format(char dst[11], long days);
/*
 * SOURCE_DATE_EPOCH (reproducible-builds.org): when it is set to decimal
 * seconds since 1970 (digits only, as `date +%s` prints them), stores them
 * in *seconds and returns 0; returns -1 when it is unset, empty or anything
 * else, which every caller treats as unset. The one place it is read.
 */
int emh_source_date_epoch(long long *seconds);

/* ---- sha256.c: hashing through OpenSSL ------------------------------ */
/* Writes the lowercase hex SHA-256 of data into hex (65 bytes). Returns 0 or -1. */
int emh_sha256_hex(char hex[65], const void *data, size_t len);

/* ---- regex.c: PCRE2 patterns, compiled once, matched with limits ------ */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/*
 * Limits on one search (docs/security.md); a search that reaches one ends as
 * an error outcome naming it. Fuzzing builds lower them with -D.
 */
#ifndef EMH_REGEX_MATCH_LIMIT
#define EMH_REGEX_MATCH_LIMIT 10000000u   /* backtracking steps per start position */
#endif
#ifndef EMH_REGEX_DEPTH_LIMIT
#define EMH_REGEX_DEPTH_LIMIT 100000u     /* backtracking depth (interpreter) */
#endif
#ifndef EMH_REGEX_HEAP_LIMIT_KIB
#define EMH_REGEX_HEAP_LIMIT_KIB 65536u   /* memory for backtracking (interpreter) */
#endif
#ifndef EMH_REGEX_JIT_STACK_KIB
#define EMH_REGEX_JIT_STACK_KIB 1024u     /* stack of JIT-compiled matching */
#endif

/*
 * Steps (PCRE2 auto-callouts) a metered pattern may take over all start
 * positions, documents and calls of one criterion (emh_matcher_reset_budget).
 */
#ifndef EMH_REGEX_SEARCH_BUDGET
#define EMH_REGEX_SEARCH_BUDGET 50000000u
#endif
/* What emh_regex_search returns when the budget is spent. */
#define EMH_REGEX_BUDGET_SPENT PCRE2_ERROR_CALLOUT

typedef struct emh_regex {
	pcre2_code *code;
	char *source;   /* the pattern as written */
	char flags[8];  /* the flags as written, normalised ("imsxu" subset) */
	int jit;        /* 1 when JIT-compiled */
	int metered;    /* 1: a nested unbounded repeat; every step counts against the budget */
	size_t nested_at; /* where its repeated group opens in the pattern */
	struct emh_prefilter *prefilter; /* required literals, or NULL (evaluator/prefilter.h) */
	const char *prefilter_refused;   /* why there is none (static text), or NULL */
} emh_regex;

/*
 * 1 when pattern repeats without bound (*, +, {n,}) a group that itself holds
 * an unbounded repeat, as in "(a+)+" or "(\w+\s?)*": work that grows
 * exponentially with a run of text; *at gets the offset of that group's "(".
 * A text scan of the pattern, so it may miss what it cannot tell.
 */
int emh_regex_nested_quantifier(const char *pattern, size_t *at);

/*
 * Compiles pattern with flags (any of "imsxu"; NULL for none). Always UTF.
 * On failure returns EMH_EINVALID with PCRE2's message and the offset in
 * the pattern in the message.
 */
int emh_regex_compile(emh_regex *out, const char *pattern, const char *flags,
                      struct emh_error *err);
/* The same; on a PCRE2 compile error *erroffset (optional) gets the byte
 * offset in pattern where PCRE2 stopped. */
int emh_regex_compile_at(emh_regex *out, const char *pattern, const char *flags,
                         size_t *erroffset, struct emh_error *err);
void emh_regex_dispose(emh_regex *re);

/* Per-thread match state: match data, limits, JIT stack. */
typedef struct emh_matcher {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	unsigned long steps;    /* steps of metered patterns since the last reset */
	unsigned long budget;   /* EMH_REGEX_SEARCH_BUDGET */
} emh_matcher;

int emh_matcher_init(emh_matcher *m);
/* Starts a new whole-search budget (one per criterion evaluated). */
void emh_matcher_reset_budget(emh_matcher *m);
void emh_matcher_dispose(emh_matcher *m);

/*
 * Searches subject[0..len) (valid UTF-8, already checked) for re. Returns 1
 * with the match's [*start, *end), 0 for no match, or a negative PCRE2
 * error code (e.g. PCRE2_ERROR_MATCHLIMIT) that emh_regex_strerror
 * describes, naming the limit reached.
 */
int emh_regex_search(const emh_regex *re, emh_matcher *m, const char *subject,
                     size_t len, size_t *start, size_t *end);
/*
 * The same without the prefilter: PCRE2 always runs. emh_regex_search
 * answers 0 without PCRE2 when the subject lacks the pattern's required
 * literals, and otherwise returns what this returns.
 */
int emh_regex_search_unfiltered(const emh_regex *re, emh_matcher *m, const char *subject,
                                size_t len, size_t *start, size_t *end);
void emh_regex_strerror(int rc, char *dst, size_t size);

/* 1 when s[0..len) is valid UTF-8 (the same rules as PCRE2_UTF). */
int emh_utf8_valid(const char *s, size_t len);

#endif
