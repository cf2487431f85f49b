/*
 * json.c - strict JSON reading with positions, on top of cJSON.
 *
 * The tree we evaluate is cJSON's node type, but cJSON's parser accepts more
 * than RFC 8259 allows ("-01", lone \u surrogates, invalid UTF-8, form feeds
 * as whitespace) and it forgets where each value was. Submissions are
 * untrusted and every failure report must point at a line and column, so we
 * read the bytes ourselves, in one pass that checks the grammar strictly,
 * enforces the size and depth limits, records where each value starts and
 * builds the tree as cJSON would (one pass: reading every submission twice
 * cost as much as evaluating it). The pass is a loop with an explicit stack
 * (never recursion on input depth, so hostile nesting cannot overflow the C
 * stack) and it stops at the first error, which it can describe precisely:
 * what was found and what was expected there.
 *
 * The offsets are stored in document order, which is also the pre-order of
 * cJSON's tree (a container before its members, members in the order
 * written). So the position of a node is found by counting nodes until it is
 * reached (emh_json_locate); that walk is only done when a failure is
 * reported, which keeps parsing lean on the hot path.
 */
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define EMH_JSON_AVX2 1
#endif
#include "evaluator/internal.h"
#include "evaluator/json.h"

/*
 * A read-only tree lives in an arena. cJSON allocates every node and string
 * on its own, which made malloc and free a tenth of a batch's time; a
 * read-only document's tree instead goes into a few blocks freed together.
 * cJSON has only global hooks, so they route to the arena of the document
 * this thread is parsing, and to malloc and free otherwise. (With
 * -DEMH_ARENA_DEBUG each node is still its own allocation, for valgrind.)
 */
static _Thread_local emh_arena *emh_json_parsing;
/* Failed allocations through the hooks on this thread: cJSON's builders drop
 * what they could not allocate without saying so (emh_json_alloc_failures). */
static _Thread_local unsigned long emh_json_failures;

static void *emh_json_hook_malloc(size_t size)
{
	void *p = emh_alloc_should_fail() ? NULL
	          : emh_json_parsing ? emh_arena_alloc_raw(emh_json_parsing, size) : malloc(size);
	if (!p)
		emh_json_failures++;
	return p;
}

static void emh_json_hook_free(void *p)
{
	if (!emh_json_parsing) /* inside a parse only a failed parse frees: its arena goes with it */
		free(p);
}

static pthread_once_t emh_json_hooks_once = PTHREAD_ONCE_INIT;

static void emh_json_install_hooks(void)
{
	cJSON_Hooks h = { emh_json_hook_malloc, emh_json_hook_free };
	cJSON_InitHooks(&h);
}

unsigned long emh_json_alloc_failures(void)
{
	pthread_once(&emh_json_hooks_once, emh_json_install_hooks);
	return emh_json_failures;
}

void emh_json_push(cJSON *array, cJSON *item)
{
	if (item && !cJSON_AddItemToArray(array, item))
		cJSON_Delete(item);
}

void emh_json_put(cJSON *object, const char *key, cJSON *item)
{
	if (item && !cJSON_AddItemToObject(object, key, item))
		cJSON_Delete(item);
}

void emh_json_put_str(cJSON *object, const char *key, const char *value)
{
	if (value)
		emh_json_put(object, key, cJSON_CreateString(value));
}

void emh_json_put_str_or_null(cJSON *object, const char *key, const char *value)
{
	emh_json_put(object, key, value ? cJSON_CreateString(value) : cJSON_CreateNull());
}

void emh_json_put_num(cJSON *object, const char *key, long long value)
{
	emh_json_put(object, key, cJSON_CreateNumber((double)value));
}

struct emh_json {
	cJSON *root;       /* the tree built from text */
	emh_arena *nodes;  /* root's nodes when read-only; else cJSON_Delete frees them */
	char *text;        /* NUL-terminated copy of the document */
	size_t len;        /* bytes in text, not counting the NUL */
	uint32_t *offsets; /* byte offset where each value starts, in pre-order */
	size_t noffsets;   /* values recorded, one per node of root's tree */
	unsigned depth;    /* deepest nesting seen, sizes emh_json_locate's stack */
};

/* Container kinds on the scanner's stack. */
enum { EMH_JSON_ARRAY = 0, EMH_JSON_OBJECT = 1 };

/* State of the strict pass; the first error ends it. */
typedef struct emh_json_scan {
	const unsigned char *base; /* first byte of the document */
	const unsigned char *end;  /* one past the last byte */
	uint32_t *offs;            /* value offsets, handed to the emh_json on success */
	size_t noffs;              /* offsets used */
	size_t cap;                /* offsets allocated */
	unsigned depth;            /* deepest nesting seen */
	int code;                  /* EMH_E* of the error, 0 while none */
	size_t err_off;            /* byte offset the error points at */
	char msg[400];             /* what was found and what was expected */
	int reject_nul;            /* refuse \u0000 (see emh_json_limits) */
	size_t max_values;         /* most values recorded, 0 = no limit */
	const char *max_values_why; /* how that limit was set, for the message */
	int build;                 /* 1: build the tree as the bytes are checked */
	cJSON *root;               /* the tree built so far */
	char *key;                 /* the member name read, until its value is attached */
} emh_json_scan;

/*
 * 1 for bytes that may stand for themselves inside a string and need no
 * further look: printable ASCII except '"' and '\\'. Control characters,
 * quotes, backslashes and every byte >= 0x80 (UTF-8 to validate) are 0. A
 * table keeps the inner loop at one load and one test per byte.
 */
static const unsigned char emh_json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xA0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xB0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xC0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xD0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xE0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xF0 */
};

static void emh_json_fail(emh_json_scan *s, const unsigned char *at, int code,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records the first error (later ones are consequences, so they are dropped). */
static void emh_json_fail(emh_json_scan *s, const unsigned char *at, int code,
                          const char *fmt, ...)
{
	va_list ap;
	if (s->code)
		return;
	s->code = code;
	s->err_off = (size_t)(at - s->base);
	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof s->msg, fmt, ap);
	va_end(ap);
}

/*
 * Describes the byte at p for a message: "'x'", "byte 0xC3" or "end of input".
 * buf must hold 16 bytes; returns buf or a literal.
 */
static const char *emh_json_found(const emh_json_scan *s, const unsigned char *p,
                                  char *buf)
{
	if (p >= s->end)
		return "end of input";
	if (*p == '\'')
		return "\"'\"";
	if (*p > 0x20 && *p < 0x7F)
		snprintf(buf, 16, "'%c'", *p);
	else if (*p == ' ')
		return "a space";
	else
		snprintf(buf, 16, "byte 0x%02X", *p);
	return buf;
}

static inline int emh_json_is_ws(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline int emh_json_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Value of a hex digit, or -1. */
static inline int emh_json_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Reads the 4 hex digits of a \u escape at p (just after the 'u').
 * Returns the code unit, or -1 after recording an error at the bad digit.
 */
static long emh_json_hex4(emh_json_scan *s, const unsigned char *p)
{
	long v = 0;
	char fb[16];
	for (int i = 0; i < 4; i++) {
		int d = p + i < s->end ? emh_json_hex(p[i]) : -1;
		if (d < 0) {
			emh_json_fail(s, p + i, EMH_EINVALID,
			              "expected 4 hex digits after \\u in string, found %s",
			              emh_json_found(s, p + i, fb));
			return -1;
		}
		v = v * 16 + d;
	}
	return v;
}

/*
 * Checks the UTF-8 sequence whose lead byte (>= 0x80) is at p, inside a
 * string. The ranges are those of RFC 3629 section 4, which exclude overlong
 * forms, encoded surrogates and anything above U+10FFFF. Errors point at the
 * lead byte: that is where the bad character starts.
 * Returns the byte after the sequence, or NULL after recording an error.
 */
static const unsigned char *emh_json_utf8(emh_json_scan *s, const unsigned char *p)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t n, avail = (size_t)(s->end - p);
	const char *why = NULL;

	if (c < 0xC0) {
		why = "a continuation byte without a lead byte";
		goto bad;
	} else if (c < 0xC2) {
		why = "overlong encoding";
		goto bad;
	} else if (c < 0xE0) {
		n = 2;
	} else if (c < 0xF0) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		why = "never valid in UTF-8";
		goto bad;
	}
	if (avail < 2 || p[1] < 0x80 || p[1] > 0xBF) {
		why = "not followed by enough continuation bytes";
		goto bad;
	}
	if (p[1] < lo) {
		why = "overlong encoding";
		goto bad;
	}
	if (p[1] > hi) {
		why = c == 0xED ? "encodes a UTF-16 surrogate"
		                : "encodes a code point above U+10FFFF";
		goto bad;
	}
	for (size_t i = 2; i < n; i++) {
		if (i >= avail || p[i] < 0x80 || p[i] > 0xBF) {
			why = "not followed by enough continuation bytes";
			goto bad;
		}
	}
	return p + n;
bad:
	emh_json_fail(s, p, EMH_EINVALID, "invalid UTF-8 byte 0x%02X in string (%s)", c, why);
	return NULL;
}

/* How a control character must be written inside a string, for the message. */
static const char *emh_json_ctl_escape(unsigned char c, char *buf)
{
	switch (c) {
	case '\b': return "\\b";
	case '\t': return "\\t";
	case '\n': return "\\n";
	case '\f': return "\\f";
	case '\r': return "\\r";
	default:
		snprintf(buf, 16, "\\u%04X", c);
		return buf;
	}
}

/*
 * 1 when none of the 8 bytes at p needs a look: no control character, quote,
 * backslash or byte >= 0x80 (the bit tricks of "Bit Twiddling Hacks": a byte
 * below n, a byte equal to n). Long texts are mostly such words.
 */
static inline int emh_json_plain8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t w;
	memcpy(&w, p, sizeof w);
	uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
	uint64_t special = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
	                   ((bslash - ones) & ~bslash) | w;
	return (special & highs) == 0;
}

#if defined(EMH_JSON_AVX2)
/* emh_json_skip_plain16 32 bytes at a time, for processors with AVX2 (chosen at run time). */
__attribute__((target("avx2")))
static const unsigned char *emh_json_skip_plain32(const unsigned char *p, const unsigned char *end)
{
	const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'), space = _mm256_set1_epi8(0x20);
	while (end - p >= 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
		__m256i special = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bslash)),
		                                  _mm256_cmpgt_epi8(space, v));
		unsigned mask = (unsigned)_mm256_movemask_epi8(special);
		if (mask)
			return p + __builtin_ctz(mask);
		p += 32;
	}
	return p;
}

static int emh_json_portable; /* emh_json__portable */

void emh_json__portable(int on)
{
	emh_json_portable = on;
}
#else
void emh_json__portable(int on)
{
	(void)on;
}
#endif

/*
 * The first byte at or after p that is not plain (emh_json_plain), 32 bytes at
 * a time where the processor has AVX2, then 16 with SSE2 (every x86-64), else
 * p: a policy's text is most of a submission's bytes, and this loop is most of
 * reading it.
 */
static inline const unsigned char *emh_json_skip_plain16(const unsigned char *p, const unsigned char *end)
{
#if defined(EMH_JSON_AVX2)
	if (!emh_json_portable && __builtin_cpu_supports("avx2"))
		p = emh_json_skip_plain32(p, end);
#endif
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Compared as signed bytes, controls (< 0x20) and non-ASCII (0x80-0xFF, negative) are both
		 * less than a space. */
		__m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
		                               _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(special);
		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#else
	(void)end;
#endif
	return p;
}

/*
 * Scans a string whose opening quote is at p. Checks escapes (a \u high
 * surrogate must be followed by a \u low surrogate, a low one must not stand
 * alone), rejects raw control characters and validates UTF-8.
 * Returns the byte after the closing quote, or NULL after recording an error.
 */
static const unsigned char *emh_json_string(emh_json_scan *s, const unsigned char *p)
{
	const unsigned char *open = p, *end = s->end;
	char fb[16];

	p++;
	for (;;) {
		p = emh_json_skip_plain16(p, end);
		while (end - p >= 8 && emh_json_plain8(p))
			p += 8;
		while (p < end && emh_json_plain[*p])
			p++;
		if (p == end)
			goto unterminated;
		unsigned char c = *p;
		if (c == '"')
			return p + 1;
		if (c >= 0x80) {
			p = emh_json_utf8(s, p);
			if (!p)
				return NULL;
			continue;
		}
		if (c < 0x20) {
			emh_json_fail(s, p, EMH_EINVALID,
			              "control character 0x%02X in string must be escaped (as %s)",
			              c, emh_json_ctl_escape(c, fb));
			return NULL;
		}
		/* A backslash. */
		const unsigned char *esc = p;
		p++;
		if (p == end)
			goto unterminated;
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			p++;
			break;
		case 'u': {
			long u = emh_json_hex4(s, p + 1);
			if (u < 0)
				return NULL;
			if (u == 0 && s->reject_nul) {
				emh_json_fail(s, esc, EMH_EINVALID,
				              "\\u0000 in a string is not accepted: the text after it "
				              "would be invisible to every check");
				return NULL;
			}
			p += 5;
			if (u >= 0xDC00 && u <= 0xDFFF) {
				emh_json_fail(s, esc, EMH_EINVALID,
				              "unpaired low surrogate \\u%04lX in string "
				              "(it must follow a \\uD800-\\uDBFF escape)", u);
				return NULL;
			}
			if (u >= 0xD800 && u <= 0xDBFF) {
				long lo = -1;
				if (end - p >= 2 && p[0] == '\\' && p[1] == 'u') {
					lo = emh_json_hex4(s, p + 2);
					if (lo < 0)
						return NULL;
				}
				if (lo < 0xDC00 || lo > 0xDFFF) {
					emh_json_fail(s, esc, EMH_EINVALID,
					              "unpaired high surrogate \\u%04lX in string "
					              "(expected a \\uDC00-\\uDFFF escape after it)", u);
					return NULL;
				}
				p += 6;
			}
			break;
		}
		default:
			emh_json_fail(s, p, EMH_EINVALID,
			              "invalid escape in string: expected one of "
			              "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\', found %s",
			              emh_json_found(s, p, fb));
			return NULL;
		}
	}
unterminated:
	emh_json_fail(s, open, EMH_EINVALID,
	              "unterminated string: end of input before its closing '\"'");
	return NULL;
}

/*
 * Scans a number at p (a '-' or a digit) against RFC 8259's grammar
 * -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
 * and rejects letters or dots glued to it ("0x1", "1.5.3", "1e5e5"), which
 * would otherwise be reported later as a confusing structural error.
 * Returns the byte after the number, or NULL after recording an error.
 */
static const unsigned char *emh_json_number(emh_json_scan *s, const unsigned char *p)
{
	const unsigned char *end = s->end;
	char fb[16];

	if (*p == '-') {
		p++;
		if (p == end || !emh_json_is_digit(*p)) {
			emh_json_fail(s, p, EMH_EINVALID, "expected a digit after '-' in number, found %s",
			              emh_json_found(s, p, fb));
			return NULL;
		}
	}
	if (*p == '0') {
		p++;
		if (p < end && emh_json_is_digit(*p)) {
			emh_json_fail(s, p - 1, EMH_EINVALID,
			              "leading zero in number (only 0 itself may start with 0)");
			return NULL;
		}
	} else {
		while (p < end && emh_json_is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		p++;
		if (p == end || !emh_json_is_digit(*p)) {
			emh_json_fail(s, p, EMH_EINVALID,
			              "expected a digit after the decimal point in number, found %s",
			              emh_json_found(s, p, fb));
			return NULL;
		}
		while (p < end && emh_json_is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !emh_json_is_digit(*p)) {
			emh_json_fail(s, p, EMH_EINVALID,
			              "expected a digit in the exponent of number, found %s",
			              emh_json_found(s, p, fb));
			return NULL;
		}
		while (p < end && emh_json_is_digit(*p))
			p++;
	}
	if (p < end && (*p == '.' || *p == '+' || *p == '-' || *p == '_' ||
	                emh_json_is_digit(*p) || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) {
		emh_json_fail(s, p, EMH_EINVALID, "invalid character %s in number",
		              emh_json_found(s, p, fb));
		return NULL;
	}
	return p;
}

/*
 * Scans the literal lit (true, false or null) at p.
 * Returns the byte after it, or NULL after recording an error.
 */
static const unsigned char *emh_json_literal(emh_json_scan *s, const unsigned char *p,
                                             const char *lit)
{
	char fb[16];
	size_t i;

	for (i = 0; lit[i]; i++) {
		if (p + i == s->end || p[i] != (unsigned char)lit[i]) {
			emh_json_fail(s, p + i, EMH_EINVALID, "invalid literal: expected '%s', found %s",
			              lit, emh_json_found(s, p + i, fb));
			return NULL;
		}
	}
	p += i;
	if (p < s->end && (emh_json_is_digit(*p) || *p == '_' ||
	                   ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) {
		emh_json_fail(s, p, EMH_EINVALID, "invalid literal: unexpected %s after '%s'",
		              emh_json_found(s, p, fb), lit);
		return NULL;
	}
	return p;
}

/*
 * The tree is built in the same pass that checks the bytes, with cJSON's own
 * node type and the same allocation hooks, so that everything that reads or
 * frees a cJSON tree works on it unchanged. Each value is what
 * cJSON_ParseWithLength would make of it (types, strings, valuedouble and
 * valueint, member order, and the first child's prev pointing at the last),
 * which a unit test checks over the JSON test suite.
 */
static cJSON *emh_json_new_node(emh_json_scan *s, const unsigned char *at, int type)
{
	cJSON *n = emh_json_hook_malloc(sizeof *n);
	if (!n) {
		emh_json_fail(s, at, EMH_EGENERIC, "out of memory while reading JSON");
		return NULL;
	}
	memset(n, 0, sizeof *n);
	n->type = type;
	return n;
}

/* Appends item to parent (NULL: item is the root), named by the pending key if any. */
static void emh_json_attach(emh_json_scan *s, cJSON *parent, cJSON *item)
{
	item->string = s->key;
	s->key = NULL;
	if (!parent) {
		s->root = item;
	} else if (!parent->child) {
		parent->child = item;
		item->prev = item;
	} else {
		cJSON *last = parent->child->prev;
		last->next = item;
		item->prev = last;
		parent->child->prev = item;
	}
}

/* Writes code point u as UTF-8 at o; returns the byte after it. */
static char *emh_json_put_utf8(char *o, unsigned long u)
{
	if (u < 0x80) {
		*o++ = (char)u; /* \u0000 too: like cJSON, the C string ends there */
	} else if (u < 0x800) {
		*o++ = (char)(0xC0 | (u >> 6));
		*o++ = (char)(0x80 | (u & 0x3F));
	} else if (u < 0x10000) {
		*o++ = (char)(0xE0 | (u >> 12));
		*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
		*o++ = (char)(0x80 | (u & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (u >> 18));
		*o++ = (char)(0x80 | ((u >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
		*o++ = (char)(0x80 | (u & 0x3F));
	}
	return o;
}

/* The value of four hex digits the strict pass has already checked. */
static unsigned long emh_json_hex4_checked(const unsigned char *p)
{
	unsigned long u = 0;
	for (int i = 0; i < 4; i++)
		u = u << 4 | (unsigned long)emh_json_hex(p[i]);
	return u;
}

/*
 * Decodes the string between the quotes at open and close (already checked)
 * into a new allocation: escapes undone, surrogate pairs joined. The result is
 * never longer than the source. Returns NULL when out of memory (recorded).
 */
static char *emh_json_decode(emh_json_scan *s, const unsigned char *open, const unsigned char *close)
{
	const unsigned char *p = open + 1;
	size_t n = (size_t)(close - p);
	char *out = emh_json_hook_malloc(n + 1);
	if (!out) {
		emh_json_fail(s, open, EMH_EGENERIC, "out of memory while reading JSON");
		return NULL;
	}
	const unsigned char *bs = n ? memchr(p, '\\', n) : NULL;
	if (!bs) {
		memcpy(out, p, n);
		out[n] = '\0';
		return out;
	}
	char *o = out;
	while (p < close) {
		bs = memchr(p, '\\', (size_t)(close - p));
		if (!bs) {
			memcpy(o, p, (size_t)(close - p));
			o += close - p;
			break;
		}
		memcpy(o, p, (size_t)(bs - p));
		o += bs - p;
		p = bs + 1;
		switch (*p++) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned long u = emh_json_hex4_checked(p);
			p += 4;
			if (u >= 0xD800 && u <= 0xDBFF) { /* the strict pass made sure a low half follows */
				unsigned long lo = emh_json_hex4_checked(p + 2);
				p += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			}
			o = emh_json_put_utf8(o, u);
			break;
		}
		default: *o++ = (char)p[-1]; break; /* " \ / */
		}
	}
	*o = '\0';
	return out;
}

/*
 * A number's value as cJSON computes it: strtod with '.' as the locale's
 * decimal point, and valueint saturated to the int range.
 */
static int emh_json_set_number(emh_json_scan *s, cJSON *n, const unsigned char *p, const unsigned char *end)
{
	char small[64], *buf = small;
	size_t len = (size_t)(end - p);
	if (len >= sizeof small && !(buf = emh_malloc(len + 1))) {
		emh_json_fail(s, p, EMH_EGENERIC, "out of memory while reading JSON");
		return -1;
	}
	char point = localeconv()->decimal_point[0];
	for (size_t i = 0; i < len; i++)
		buf[i] = p[i] == '.' ? point : (char)p[i];
	buf[len] = '\0';
	double d = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	n->valuedouble = d;
	if (d >= INT_MAX)
		n->valueint = INT_MAX;
	else if (d <= (double)INT_MIN)
		n->valueint = INT_MIN;
	else
		n->valueint = (int)d;
	return 0;
}

/*
 * Grows the offset array; kept out of line so that emh_json_record, called
 * for every value, stays small enough to inline. The first size is a guess
 * from the length (pretty-printed JSON has a value every 10-20 bytes) that
 * saves most reallocations. Returns 0, or -1 after recording the error.
 */
static __attribute__((noinline)) int emh_json_grow(emh_json_scan *s, const unsigned char *p)
{
	size_t len = (size_t)(s->end - s->base);
	size_t cap = s->cap ? s->cap * 2 : len / 16 + 64;
	if (s->max_values) {
		/* The value limit is checked here, off the hot path: the array never outgrows it. */
		if (s->cap >= s->max_values) {
			emh_json_fail(s, p, EMH_ELIMIT, "more than %zu JSON values, the limit max_values=%zu%s%s%s",
			              s->max_values, s->max_values, s->max_values_why ? " (" : "",
			              s->max_values_why ? s->max_values_why : "", s->max_values_why ? ")" : "");
			return -1;
		}
		if (cap > s->max_values)
			cap = s->max_values;
	}
	uint32_t *n = cap < SIZE_MAX / sizeof *n ? emh_realloc(s->offs, cap * sizeof *n) : NULL;
	if (!n) {
		emh_json_fail(s, p, EMH_EGENERIC, "out of memory while reading JSON");
		return -1;
	}
	s->offs = n;
	s->cap = cap;
	return 0;
}

/*
 * Appends the offset of the value starting at p (documents are at most
 * UINT32_MAX bytes, so it fits). Returns 0, or -1 after recording an error.
 */
static inline int emh_json_record(emh_json_scan *s, const unsigned char *p)
{
	if (s->noffs == s->cap && emh_json_grow(s, p))
		return -1;
	s->offs[s->noffs++] = (uint32_t)(p - s->base);
	return 0;
}

/*
 * The strict pass over base[0..len). Fills s->offs with the offset of every
 * value in document order and s->depth with the deepest nesting.
 * Returns 0, or the EMH_E* code of the first error (details in s).
 *
 * It is a state machine: `state` says what may come next and `stack` holds
 * the kind of each open container, so input depth never becomes C stack
 * depth. `want` names what was expected where, for messages.
 */
static int emh_json_scan_all(emh_json_scan *s, unsigned max_depth)
{
	enum {
		ST_VALUE,        /* a value (want says after what) */
		ST_FIRST_ELEM,   /* after '[': a value or ']' */
		ST_FIRST_KEY,    /* after '{': a key or '}' */
		ST_KEY,          /* a key (want says after what) */
		ST_COLON,        /* after a key: ':' */
		ST_AFTER         /* after a value: ',' or the closer, or the end */
	} state = ST_VALUE;
	unsigned char stack[CJSON_NESTING_LIMIT]; /* max_depth is clamped to this */
	cJSON *open[CJSON_NESTING_LIMIT];        /* the node of each open container */
	unsigned depth = 0;
	const unsigned char *p = s->base, *end = s->end, *q;
	static const char after_comma[] = "a value after ','";
	static const char key_after_comma[] = "a string key after ','";
	const char *want = "a JSON value";
	char fb[16];

	if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		emh_json_fail(s, p, EMH_EINVALID,
		              "UTF-8 byte order mark (BOM) at the start of the document; "
		              "JSON text must begin with a value");
		goto done;
	}
	for (;;) {
		while (p < end && emh_json_is_ws(*p)) {
			p++;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/*
			 * Indentation is most of the whitespace in pretty-printed
			 * submissions (half the time of this pass, measured), so a run
			 * of spaces is skipped a word at a time: the lowest byte that
			 * is not a space ends it.
			 */
			while (end - p >= 8) {
				uint64_t w;
				memcpy(&w, p, 8);
				w ^= 0x2020202020202020u;
				if (w) {
					p += __builtin_ctzll(w) / 8;
					break;
				}
				p += 8;
			}
#endif
		}
		switch (state) {
		case ST_FIRST_ELEM:
			if (p < end && *p == ']') {
				p++;
				depth--;
				state = ST_AFTER;
				break;
			}
			want = "a value or ']' after '['";
			state = ST_VALUE;
			continue;
		case ST_VALUE:
			if (p == end && depth == 0 && s->noffs == 0) {
				emh_json_fail(s, p, EMH_EINVALID,
				              "empty document: expected a JSON value");
				goto done;
			}
			if (p < end && (*p == '{' || *p == '[')) {
				if (depth >= max_depth) {
					emh_json_fail(s, p, EMH_ELIMIT,
					              "nesting deeper than the limit max_depth=%u", max_depth);
					goto done;
				}
				if (emh_json_record(s, p))
					goto done;
				if (s->build) {
					cJSON *node = emh_json_new_node(s, p, *p == '{' ? cJSON_Object : cJSON_Array);
					if (!node)
						goto done;
					emh_json_attach(s, depth ? open[depth - 1] : NULL, node);
					open[depth] = node;
				}
				stack[depth++] = *p == '{' ? EMH_JSON_OBJECT : EMH_JSON_ARRAY;
				if (depth > s->depth)
					s->depth = depth;
				state = *p == '{' ? ST_FIRST_KEY : ST_FIRST_ELEM;
				p++;
				break;
			}
			if (p < end && emh_json_record(s, p))
				goto done;
			q = NULL;
			if (p < end) {
				switch (*p) {
				case '"':
					q = emh_json_string(s, p);
					break;
				case '-': case '0': case '1': case '2': case '3': case '4':
				case '5': case '6': case '7': case '8': case '9':
					q = emh_json_number(s, p);
					break;
				case 't':
					q = emh_json_literal(s, p, "true");
					break;
				case 'f':
					q = emh_json_literal(s, p, "false");
					break;
				case 'n':
					q = emh_json_literal(s, p, "null");
					break;
				default:
					break;
				}
			}
			if (!q) {
				const char *hint = "";
				if (p < end && (*p == '+' || *p == '.'))
					hint = " (a number starts with '-' or a digit)";
				else if (p < end && *p == ']' && want == after_comma)
					hint = " (trailing commas are not allowed)";
				emh_json_fail(s, p, EMH_EINVALID, "expected %s, found %s%s", want,
				              emh_json_found(s, p, fb), hint);
				goto done;
			}
			if (s->build) {
				int type = *p == '"' ? cJSON_String : *p == 't' ? cJSON_True : *p == 'f' ? cJSON_False
				         : *p == 'n' ? cJSON_NULL : cJSON_Number;
				cJSON *node = emh_json_new_node(s, p, type);
				if (!node)
					goto done;
				emh_json_attach(s, depth ? open[depth - 1] : NULL, node);
				if (type == cJSON_String) {
					if (!(node->valuestring = emh_json_decode(s, p, q - 1)))
						goto done;
				} else if (type == cJSON_Number) {
					if (emh_json_set_number(s, node, p, q))
						goto done;
				} else if (type == cJSON_True) {
					node->valueint = 1;
				}
			}
			p = q;
			state = ST_AFTER;
			break;
		case ST_FIRST_KEY:
			if (p < end && *p == '}') {
				p++;
				depth--;
				state = ST_AFTER;
				break;
			}
			want = "a string key or '}' after '{'";
			state = ST_KEY;
			continue;
		case ST_KEY:
			if (p == end || *p != '"') {
				emh_json_fail(s, p, EMH_EINVALID, "expected %s, found %s%s", want,
				              emh_json_found(s, p, fb),
				              want == key_after_comma && p < end && *p == '}'
				                      ? " (trailing commas are not allowed)" : "");
				goto done;
			}
			q = emh_json_string(s, p);
			if (!q || (s->build && !(s->key = emh_json_decode(s, p, q - 1))))
				goto done;
			p = q;
			state = ST_COLON;
			break;
		case ST_COLON:
			if (p == end || *p != ':') {
				emh_json_fail(s, p, EMH_EINVALID, "expected ':' after object key, found %s",
				              emh_json_found(s, p, fb));
				goto done;
			}
			p++;
			want = "a value after ':'";
			state = ST_VALUE;
			break;
		case ST_AFTER:
			if (depth == 0) {
				if (p == end)
					goto done;
				emh_json_fail(s, p, EMH_EINVALID,
				              "expected end of input after the JSON value, found %s",
				              emh_json_found(s, p, fb));
				goto done;
			}
			if (stack[depth - 1] == EMH_JSON_ARRAY) {
				if (p < end && *p == ',') {
					p++;
					want = after_comma;
					state = ST_VALUE;
				} else if (p < end && *p == ']') {
					p++;
					depth--;
				} else {
					emh_json_fail(s, p, EMH_EINVALID,
					              "expected ',' or ']' after array element, found %s",
					              emh_json_found(s, p, fb));
					goto done;
				}
			} else {
				if (p < end && *p == ',') {
					p++;
					want = key_after_comma;
					state = ST_KEY;
				} else if (p < end && *p == '}') {
					p++;
					depth--;
				} else {
					emh_json_fail(s, p, EMH_EINVALID,
					              "expected ',' or '}' after object member, found %s",
					              emh_json_found(s, p, fb));
					goto done;
				}
			}
			break;
		}
	}
done:
	return s->code;
}

/* Copies the scanner's error into err, with the file and the 1-based position. */
static int emh_json_report(const emh_json_scan *s, const char *text, size_t len,
                           const char *filename, emh_error *err)
{
	unsigned line, column;
	emh_error_offset_to_linecol(text, len, s->err_off, &line, &column);
	emh_error_set(err, s->code, "%s", s->msg);
	emh_error_locate(err, filename ? filename : "", line, column, "");
	return s->code;
}

/* One member of an object, for the duplicate check: its name and its place. */
typedef struct emh_json_member {
	const char *name;
	size_t index; /* position among the object's members */
	const cJSON *node;
} emh_json_member;

static int emh_json_member_cmp(const void *a, const void *b)
{
	const emh_json_member *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Where the key of the member whose value starts at value_off begins: back
 * over whitespace and ':' to the key's closing quote, then to the first quote
 * before it that no backslash escapes (a key holds no raw quote).
 */
static size_t emh_json_key_offset(const char *text, size_t value_off)
{
	size_t i = value_off;
	while (i > 0 && (emh_json_is_ws((unsigned char)text[i - 1]) || text[i - 1] == ':'))
		i--;
	if (i == 0 || text[i - 1] != '"')
		return value_off;
	for (size_t q = i - 1; q > 0; q--) {
		if (text[q - 1] != '"')
			continue;
		size_t bs = 0;
		while (q - 1 > bs && text[q - 2 - bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return q - 1;
	}
	return value_off;
}

/*
 * 1 when object has at most 8 members and no name twice, compared pair by
 * pair (first bytes first): most objects are small, and sorting them cost a
 * tenth of reading a submission. 0: the sorting check decides (and reports).
 */
static int emh_json_few_distinct(const cJSON *object)
{
	const cJSON *m[8];
	size_t n = 0;
	for (const cJSON *e = object->child; e; e = e->next) {
		if (n == 8)
			return 0;
		m[n++] = e;
	}
	for (size_t i = 0; i < n; i++) {
		const char *x = m[i]->string ? m[i]->string : "";
		for (size_t j = i + 1; j < n; j++) {
			const char *y = m[j]->string ? m[j]->string : "";
			if (x[0] == y[0] && strcmp(x, y) == 0)
				return 0;
		}
	}
	return 1;
}

/*
 * Refuses an object that names a member twice. cJSON keeps both and every
 * lookup takes the first, while jq, Python and schema validators take the
 * last: the same file would mean two things. Each object's names are sorted
 * (ties in document order), so the check is O(n log n) in the members, never
 * quadratic. The walk is iterative, as deep as the document.
 * Returns 0, or the error code after filling err.
 */
static int emh_json_check_duplicates(const emh_json *doc, const char *filename, emh_error *err)
{
	const cJSON **stack = NULL;
	emh_json_member *members = NULL;
	size_t cap = 0, top = 0;
	const cJSON *cur = doc->root;
	int rc = 0;

	stack = emh_malloc((doc->depth + 1) * sizeof *stack);
	if (!stack) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory while reading JSON");
		goto done;
	}
	while (cur) {
		if (cJSON_IsObject(cur) && cur->child && cur->child->next && !emh_json_few_distinct(cur)) {
			size_t n = 0;
			for (const cJSON *m = cur->child; m; m = m->next) {
				if (n == cap) {
					size_t ncap = cap ? cap * 2 : 64;
					emh_json_member *nm = emh_realloc(members, ncap * sizeof *nm);
					if (!nm) {
						rc = emh_error_set(err, EMH_EGENERIC, "out of memory while reading JSON");
						goto done;
					}
					members = nm;
					cap = ncap;
				}
				members[n].name = m->string ? m->string : "";
				members[n].index = n;
				members[n].node = m;
				n++;
			}
			qsort(members, n, sizeof *members, emh_json_member_cmp);
			/* Of the duplicated names, report the one repeated earliest in the file. */
			const emh_json_member *first = NULL, *again = NULL;
			for (size_t i = 1; i < n; i++) {
				if (strcmp(members[i - 1].name, members[i].name) != 0)
					continue;
				if (!again || members[i].index < again->index) {
					size_t j = i - 1;
					while (j > 0 && strcmp(members[j - 1].name, members[i].name) == 0)
						j--;
					first = &members[j];
					again = &members[i];
				}
			}
			if (again) {
				size_t off1 = 0, off2 = 0;
				unsigned l1 = 0, c1 = 0, l2 = 0, c2 = 0;
				emh_json_locate(doc, first->node, &l1, &c1, &off1);
				emh_json_locate(doc, again->node, &l2, &c2, &off2);
				off1 = emh_json_key_offset(doc->text, off1);
				off2 = emh_json_key_offset(doc->text, off2);
				emh_error_offset_to_linecol(doc->text, doc->len, off1, &l1, &c1);
				emh_error_offset_to_linecol(doc->text, doc->len, off2, &l2, &c2);
				rc = emh_error_set(err, EMH_EINVALID,
				                   "duplicate key \"%.200s\" in object (first seen at line %u, "
				                   "column %u): every key may appear once, since tools disagree "
				                   "on which value counts", again->name, l1, c1);
				emh_error_locate(err, filename ? filename : "", l2, c2, "");
				goto done;
			}
		}
		if (cur->child && top <= doc->depth) {
			stack[top++] = cur;
			cur = cur->child;
			continue;
		}
		while (top > 0 && !cur->next)
			cur = stack[--top];
		cur = top > 0 ? cur->next : NULL;
	}
done:
	free(stack);
	free(members);
	return rc;
}

int emh_json_parse(emh_json **out, const char *text, size_t len,
                   const char *filename, const emh_json_limits *limits,
                   emh_error *err)
{
	emh_json_scan s;
	emh_json *doc = NULL;
	size_t max_bytes = limits && limits->max_bytes ? limits->max_bytes
	                                               : EMH_JSON_DEFAULT_MAX_BYTES;
	unsigned max_depth = limits && limits->max_depth ? limits->max_depth
	                                                 : EMH_JSON_DEFAULT_MAX_DEPTH;
	int rc = 0;

	memset(&s, 0, sizeof s);
	if (!out) {
		rc = emh_error_set(err, EMH_EGENERIC, "emh_json_parse: out is NULL");
		goto done;
	}
	*out = NULL;
	if (!text && len) {
		rc = emh_error_set(err, EMH_EGENERIC, "emh_json_parse: text is NULL");
		goto done;
	}
	if (!text)
		text = "";
	if (len > max_bytes) {
		rc = emh_error_set(err, EMH_ELIMIT,
		                   "document is %zu bytes, larger than the limit max_bytes=%zu",
		                   len, max_bytes);
		emh_error_locate(err, filename ? filename : "", 0, 0, "");
		goto done;
	}
	if (len > UINT32_MAX) {
		/* Offsets are stored in 32 bits; cJSON could not hold such a tree anyway. */
		rc = emh_error_set(err, EMH_ELIMIT,
		                   "document is %zu bytes; documents over 4 GiB are not supported",
		                   len);
		emh_error_locate(err, filename ? filename : "", 0, 0, "");
		goto done;
	}
	/* cJSON refuses deeper nesting anyway; saying so here gives a clear message. */
	if (max_depth > CJSON_NESTING_LIMIT)
		max_depth = CJSON_NESTING_LIMIT;

	doc = emh_calloc(1, sizeof *doc);
	if (!doc || !(doc->text = emh_malloc(len + 1))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory while reading JSON");
		emh_error_locate(err, filename ? filename : "", 0, 0, "");
		goto done;
	}
	memcpy(doc->text, text, len);
	doc->text[len] = '\0';
	doc->len = len;
	/* Installed at the first parse of any kind (criteria load first, before any worker
	 * starts), so the hooks do not change under another thread's cJSON calls; the
	 * tree built here is freed through them. */
	pthread_once(&emh_json_hooks_once, emh_json_install_hooks);
	if (limits && limits->read_only) {
		if (!(doc->nodes = emh_arena_new())) {
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory while reading JSON");
			emh_error_locate(err, filename ? filename : "", 0, 0, "");
			goto done;
		}
		emh_json_parsing = doc->nodes;
	}
	s.base = (const unsigned char *)doc->text;
	s.end = s.base + len;
	s.reject_nul = limits && limits->reject_nul;
	s.max_values = limits ? limits->max_values : 0;
	s.max_values_why = limits ? limits->max_values_why : NULL;
	/*
	 * A value takes at least two bytes with its separator. Where the document
	 * could hold more values than max_values allows, a first pass checks
	 * without building, so that such a document is refused before its tree
	 * (about 64 bytes a value) takes memory.
	 */
	rc = 0;
	if (s.max_values && len / 2 + 1 > s.max_values) {
		rc = emh_json_scan_all(&s, max_depth);
		s.noffs = 0;
		s.depth = 0;
	}
	s.build = 1;
	if (rc == 0)
		rc = emh_json_scan_all(&s, max_depth);
	emh_json_parsing = NULL;
	/* What was built so far goes with doc; a name read without its value, alone. */
	doc->root = s.root;
	if (s.key && !doc->nodes)
		free(s.key);
	s.key = NULL;
	if (rc) {
		emh_json_report(&s, doc->text, len, filename, err);
		goto done;
	}
	doc->offsets = s.offs;
	doc->noffsets = s.noffs;
	doc->depth = s.depth;
	s.offs = NULL;
	rc = emh_json_check_duplicates(doc, filename, err);
	if (rc)
		goto done;
	*out = doc;
	doc = NULL;
done:
	free(s.offs);
	emh_json_free(doc);
	return rc;
}

void emh_json_free(emh_json *doc)
{
	if (!doc)
		return;
	/*
	 * The large blocks go first, while the tree's many small chunks are still
	 * in use: freed the other way round, glibc merges the tree into the top of
	 * the heap and returns it to the kernel, and the next parse page-faults
	 * all of it back in (measured 3x slower parsing a 100 KB submission in a
	 * loop).
	 */
	free(doc->offsets);
	free(doc->text);
	if (doc->nodes)
		emh_arena_free(doc->nodes);
	else
		cJSON_Delete(doc->root);
	free(doc);
}

const cJSON *emh_json_root(const emh_json *doc)
{
	return doc ? doc->root : NULL;
}

const char *emh_json_text(const emh_json *doc, size_t *len_out)
{
	if (len_out)
		*len_out = doc ? doc->len : 0;
	return doc ? doc->text : NULL;
}

/*
 * Visits doc's tree in pre-order without recursion (cJSON nodes have no
 * parent pointer, so the open containers are kept on an explicit stack no
 * deeper than the document), passing each node and its pre-order index: the
 * index of its offset in what the strict pass recorded. Stops early when
 * visit returns nonzero. Returns the number of nodes visited, or SIZE_MAX
 * when out of memory.
 */
static size_t emh_json_walk(const emh_json *doc, int (*visit)(void *ctx, const cJSON *node, size_t idx),
                            void *ctx)
{
	const cJSON *small[64];
	const cJSON **stack = small;
	if (doc->depth > sizeof small / sizeof small[0]) {
		stack = emh_malloc(doc->depth * sizeof *stack);
		if (!stack)
			return SIZE_MAX;
	}
	const cJSON *cur = doc->root;
	size_t top = 0, idx = 0;
	for (;;) {
		if (visit(ctx, cur, idx++))
			break;
		if (cur->child && top < doc->depth) {
			stack[top++] = cur;
			cur = cur->child;
			continue;
		}
		/* Climb to the nearest open container with a next member; stop at the root. */
		while (top > 0 && !cur->next)
			cur = stack[--top];
		if (top == 0)
			break;
		cur = cur->next;
	}
	if (stack != small)
		free(stack);
	return idx;
}

/* emh_json_locate's visitor: the index of the one node sought. */
typedef struct emh_json_seek {
	const cJSON *node;
	size_t idx;
} emh_json_seek;

static int emh_json_seek_one(void *ctx, const cJSON *node, size_t idx)
{
	emh_json_seek *s = ctx;
	if (node != s->node)
		return 0;
	s->idx = idx;
	return 1;
}

int emh_json_locate(const emh_json *doc, const cJSON *node, unsigned *line,
                    unsigned *column, size_t *offset)
{
	if (!doc || !doc->root || !node)
		return EMH_ENOTFOUND;
	emh_json_seek s = { node, SIZE_MAX };
	if (emh_json_walk(doc, emh_json_seek_one, &s) == SIZE_MAX)
		return EMH_EGENERIC;
	if (s.idx >= doc->noffsets)
		return EMH_ENOTFOUND; /* not in doc (or, impossibly, past the recorded offsets) */
	if (offset)
		*offset = doc->offsets[s.idx];
	emh_error_offset_to_linecol(doc->text, doc->len, doc->offsets[s.idx], line, column);
	return 0;
}

void emh_json_vproblem(emh_error *e, int code, const emh_json *doc, const cJSON *at, const char *file,
                       const char *jptr, const char *fmt, va_list ap)
{
	emh_error_clear(e);
	e->code = code;
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	unsigned line = 0, col = 0;
	if (at)
		emh_json_locate(doc, at, &line, &col, NULL);
	emh_error_locate(e, file, line, col, jptr);
}

/* One query of emh_json_locate_many: which node, and where its answer goes. */
typedef struct emh_json_query {
	const cJSON *node;
	size_t slot;
	size_t offset;
} emh_json_query;

static int emh_json_by_node(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const emh_json_query *)a)->node, y = (uintptr_t)((const emh_json_query *)b)->node;
	return x < y ? -1 : x > y;
}

static int emh_json_by_offset(const void *a, const void *b)
{
	size_t x = ((const emh_json_query *)a)->offset, y = ((const emh_json_query *)b)->offset;
	return x < y ? -1 : x > y;
}

/* emh_json_locate_many's visitor: records the offset of every query on node. */
typedef struct emh_json_seek_many {
	const emh_json *doc;
	emh_json_query *q;
	size_t n;
} emh_json_seek_many;

static int emh_json_seek_each(void *ctx, const cJSON *node, size_t idx)
{
	emh_json_seek_many *s = ctx;
	emh_json_query key = { node, 0, 0 };
	emh_json_query *hit = bsearch(&key, s->q, s->n, sizeof *s->q, emh_json_by_node);
	if (!hit || idx >= s->doc->noffsets)
		return 0;
	while (hit > s->q && hit[-1].node == node)
		hit--;
	for (; hit < s->q + s->n && hit->node == node; hit++)
		hit->offset = s->doc->offsets[idx];
	return 0;
}

/*
 * The queries are sorted by node address so that each node met on the one
 * pre-order walk is looked up by binary search; then by offset, so that
 * lines and columns come from one pass over the text.
 */
int emh_json_locate_many(const emh_json *doc, const cJSON *const *nodes, size_t n,
                         emh_json_pos *out, size_t *visited)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (emh_json_pos){ 0, 0, 0 };
	if (visited)
		*visited = 0;
	if (!doc || !doc->root || n == 0)
		return 0;
	emh_json_query *q = emh_malloc(n * sizeof *q);
	if (!q)
		return EMH_EGENERIC;
	for (size_t i = 0; i < n; i++)
		q[i] = (emh_json_query){ nodes[i], i, SIZE_MAX };
	qsort(q, n, sizeof *q, emh_json_by_node);
	emh_json_seek_many s = { doc, q, n };
	size_t walked = emh_json_walk(doc, emh_json_seek_each, &s);
	if (walked == SIZE_MAX) {
		free(q);
		return EMH_EGENERIC;
	}
	qsort(q, n, sizeof *q, emh_json_by_offset);
	unsigned line = 1, col = 1;
	size_t at = 0;
	for (size_t i = 0; i < n && q[i].offset != SIZE_MAX; i++) {
		size_t target = q[i].offset > doc->len ? doc->len : q[i].offset;
		for (; at < target; at++) {
			if (doc->text[at] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		out[q[i].slot] = (emh_json_pos){ line, col, q[i].offset };
	}
	free(q);
	if (visited)
		*visited = walked;
	return 0;
}

/*
 * Checks one reference token of a pointer (tok[0..n)): every '~' must be
 * followed by '0' or '1'. Returns 1 when well formed.
 */
static int emh_json_token_ok(const char *tok, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (tok[i] == '~' && (i + 1 == n || (tok[i + 1] != '0' && tok[i + 1] != '1')))
			return 0;
	}
	return 1;
}

/* 1 when the well-formed token tok[0..n), unescaped, equals key. */
static int emh_json_token_eq(const char *tok, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++, key++) {
		char c = tok[i];
		if (c == '~')
			c = tok[++i] == '0' ? '~' : '/';
		if (*key != c)
			return 0;
	}
	return *key == '\0';
}

/*
 * RFC 6901. For an object the first member with the name is taken, as
 * cJSON_GetObjectItemCaseSensitive does. Array indexes are decimal without
 * leading zeros; "-" (one past the end) never names an existing value.
 */
const cJSON *emh_json_resolve(const emh_json *doc, const char *pointer)
{
	const cJSON *cur = doc && pointer ? doc->root : NULL;
	const char *p = pointer;

	while (cur && *p) {
		const char *tok = p + 1;
		size_t n = strcspn(tok, "/");
		if (*p != '/') {
			cur = NULL; /* a pointer is "" or starts with '/' */
			break;
		}
		p = tok + n;
		if (cJSON_IsArray(cur)) {
			size_t index = 0;
			if (n == 0 || (tok[0] == '0' && n > 1)) {
				cur = NULL;
				break;
			}
			for (size_t i = 0; cur && i < n; i++) {
				if (tok[i] < '0' || tok[i] > '9' || index > (SIZE_MAX - 9) / 10)
					cur = NULL; /* also "-": it names the element after the last */
				else
					index = index * 10 + (size_t)(tok[i] - '0');
			}
			for (cur = cur ? cur->child : NULL; cur && index > 0; index--)
				cur = cur->next;
		} else if (cJSON_IsObject(cur) && emh_json_token_ok(tok, n)) {
			for (cur = cur->child; cur; cur = cur->next) {
				if (cur->string && emh_json_token_eq(tok, n, cur->string))
					break;
			}
		} else {
			cur = NULL; /* a scalar has no members, or the token is malformed */
		}
	}
	return cur;
}

/*
 * Skips the string whose opening quote is at p; returns the byte after its
 * closing quote, or NULL. *escaped (may be NULL) is set when it holds a '\\'.
 */
static const char *emh_json_skip_string(const char *p, const char *end, int *escaped)
{
	const char *from = p + 1;
	while (from < end) {
		const char *q = memchr(from, '"', (size_t)(end - from));
		if (!q)
			return NULL;
		size_t bs = 0;
		while (q - bs > from && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (escaped && q > from && memchr(from, '\\', (size_t)(q - from)))
			*escaped = 1;
		if (bs % 2 == 0)
			return q + 1;
		from = q + 1; /* an escaped quote: the string goes on */
	}
	return NULL;
}

/* Skips the array or object opening at p, strings and nesting included; returns the byte after it or NULL. */
static const char *emh_json_skip_container(const char *p, const char *end)
{
	size_t depth = 0;
	while (p < end) {
		char c = *p;
		if (c == '"') {
			p = emh_json_skip_string(p, end, NULL);
			if (!p)
				return NULL;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return p + 1;
		}
		p++;
	}
	return NULL;
}

static const char *emh_json_skip_ws(const char *p, const char *end)
{
	while (p < end && emh_json_is_ws((unsigned char)*p))
		p++;
	return p;
}

int emh_json_peek_members(const char *text, size_t len, const char *const *names, size_t n,
                          emh_json_peeked *out)
{
	const char *p = text, *end = text + len;
	for (size_t i = 0; i < n; i++)
		out[i] = (emh_json_peeked){ 0, NULL, 0 };
	p = emh_json_skip_ws(p, end);
	if (p == end || *p != '{')
		return -1;
	p = emh_json_skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return emh_json_skip_ws(p + 1, end) == end ? 0 : -1;
	for (;;) {
		if (p == end || *p != '"')
			return -1;
		int key_escaped = 0;
		const char *key = p + 1, *after = emh_json_skip_string(p, end, &key_escaped);
		if (!after || key_escaped)
			return -1; /* an escaped key might spell a wanted name */
		size_t klen = (size_t)(after - 1 - key);
		p = emh_json_skip_ws(after, end);
		if (p == end || *p != ':')
			return -1;
		p = emh_json_skip_ws(p + 1, end);
		if (p == end)
			return -1;
		emh_json_peeked *want = NULL;
		for (size_t i = 0; i < n; i++)
			if (!out[i].present && strlen(names[i]) == klen && memcmp(names[i], key, klen) == 0)
				want = &out[i];
		const char *value = p;
		if (*p == '"') {
			int escaped = 0;
			p = emh_json_skip_string(p, end, &escaped);
			if (!p || (want && escaped))
				return -1;
			if (want)
				*want = (emh_json_peeked){ 1, value + 1, (size_t)(p - 1 - (value + 1)) };
		} else {
			if (*p == '{' || *p == '[')
				p = emh_json_skip_container(p, end);
			else
				while (p < end && *p != ',' && *p != '}' && !emh_json_is_ws((unsigned char)*p))
					p++;
			if (!p || p == value)
				return -1;
			if (want)
				want->present = 1;
		}
		p = emh_json_skip_ws(p, end);
		if (p < end && *p == ',') {
			p = emh_json_skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return emh_json_skip_ws(p + 1, end) == end ? 0 : -1;
		return -1;
	}
}
