/*
 * language.c - detects the language of an evidence text (issue 12: a German
 * DiGA policy read by English patterns was passed or failed unread).
 *
 * libexttextcat (LibreOffice's language guesser) compares the text's
 * character n-grams with its fingerprints of about 150 languages and returns
 * the candidates within a margin of the best. The whole text is classified,
 * and so is every paragraph of at least EMH_LANG_MIN_TEXT bytes, so that a
 * German paragraph inside an English policy is seen too. Work is bounded:
 * the whole text is sampled from its first LANG_SAMPLE bytes, and a paragraph
 * longer than PARA_SAMPLE bytes is classified in pieces of about that size.
 * Every paragraph is classified, however many there are: a cap would let a
 * policy padded with English paragraphs hide a foreign one after them (the
 * cost stays linear in the text's size, which --max-evidence-bytes bounds).
 *
 * A classifier handle's result buffer is its own, so a handle serves one
 * caller at a time. Handles are kept in a pool: a caller takes a free one (or
 * loads one more) and gives it back, so batch workers classify in parallel
 * and the fingerprints are loaded once per concurrent caller, not per call.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <textcat.h>
#include "evaluator/language.h"
#include "evaluator/internal.h"

#ifndef EMH_TEXTCAT_DIR
#define EMH_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

enum { LANG_SAMPLE = 256 * 1024, PARA_SAMPLE = 4096, MAX_CANDIDATES = 3, POOL_MAX = 64 };

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static void *pool[POOL_MAX]; /* free handles */
static size_t pool_free;
static int load_failed;      /* the data could not be loaded: no use trying again */
static atomic_ulong detections;

/* A free handle, loaded if none is (loading under the lock: it is rare, and libexttextcat's is not known to be thread-safe). */
static void *take_handle(void)
{
	void *h = NULL;
	pthread_mutex_lock(&pool_lock);
	if (pool_free)
		h = pool[--pool_free];
	else if (!load_failed) {
		h = special_textcat_Init(EMH_TEXTCAT_DIR "/fpdb.conf", EMH_TEXTCAT_DIR "/");
		load_failed = !h;
	}
	pthread_mutex_unlock(&pool_lock);
	return h;
}

static void give_handle(void *h)
{
	pthread_mutex_lock(&pool_lock);
	if (pool_free < POOL_MAX) {
		pool[pool_free++] = h;
		h = NULL;
	}
	pthread_mutex_unlock(&pool_lock);
	if (h)
		textcat_Done(h);
}

unsigned long emh_language_detections(void)
{
	return atomic_load(&detections);
}

/* "[de--utf8][lb--utf8]" -> "de lb"; "UNKNOWN" and "SHORT" -> "". */
static void candidates(const char *res, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (const char *p = res; (p = strchr(p, '[')) != NULL; p++) {
		size_t k = strcspn(p + 1, "-]");
		if (k == 0 || n + k + 2 > cap)
			break;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, p + 1, k);
		n += k;
		out[n] = '\0';
	}
}

static void classify(void *h, const char *text, size_t len, char *out, size_t cap)
{
	out[0] = '\0';
	if (len < EMH_LANG_MIN_TEXT)
		return;
	const char *res = textcat_Classify(h, text, len);
	candidates(res ? res : "", out, cap);
	/* Three or more close candidates: the classifier cannot tell (a run of "aaaa", a table). */
	size_t words = out[0] != '\0';
	for (const char *p = out; *p; p++)
		words += *p == ' ';
	if (words >= MAX_CANDIDATES)
		out[0] = '\0';
}

/*
 * The length of the next piece of a paragraph of len bytes: all of it up to
 * PARA_SAMPLE (plus a tail too short to classify on its own), else up to the
 * last space of the first PARA_SAMPLE bytes, else a UTF-8 character boundary.
 */
static size_t piece(const char *p, size_t len)
{
	if (len <= PARA_SAMPLE + EMH_LANG_MIN_TEXT)
		return len;
	size_t k = PARA_SAMPLE;
	while (k > PARA_SAMPLE / 2 && p[k - 1] != ' ')
		k--;
	if (p[k - 1] != ' ')
		for (k = PARA_SAMPLE; k > 1 && ((unsigned char)p[k] & 0xC0) == 0x80; k--)
			;
	return k;
}

static int add_span(emh_language *out, size_t at, size_t len, const char *langs)
{
	emh_lang_span *grown = emh_realloc(out->spans, (out->nspans + 1) * sizeof *grown);
	if (!grown)
		return -1;
	out->spans = grown;
	emh_lang_span *s = &out->spans[out->nspans++];
	s->at = at;
	s->len = len;
	snprintf(s->langs, sizeof s->langs, "%s", langs);
	return 0;
}

int emh_language_detect(emh_language *out, const char *text, size_t len)
{
	memset(out, 0, sizeof *out);
	atomic_fetch_add(&detections, 1);
	void *h = take_handle();
	if (!h) {
		out->unavailable = 1;
		return 0;
	}
	int rc = -1;
	out->spans = emh_calloc(1, sizeof *out->spans);
	if (!out->spans)
		goto done;
	out->nspans = 1;
	out->spans[0].len = len;
	classify(h, text, len < LANG_SAMPLE ? len : LANG_SAMPLE, out->spans[0].langs, sizeof out->spans[0].langs);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		for (size_t k; end - at >= EMH_LANG_MIN_TEXT; at += k) {
			char langs[sizeof out->spans[0].langs];
			k = piece(text + at, end - at);
			classify(h, text + at, k, langs, sizeof langs);
			if (langs[0] && add_span(out, at, k, langs))
				goto done;
		}
		at = end + 1;
	}
	rc = 0;
done:
	give_handle(h);
	return rc;
}

void emh_language_dispose(emh_language *l)
{
	free(l->spans);
	memset(l, 0, sizeof *l);
}

int emh_language_listed(const char *list, const char *code, size_t len)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n == len && strncmp(p, code, len) == 0)
			return 1;
		p += n;
		p += *p == ' ';
	}
	return 0;
}

void emh_language_merge(emh_buf *into, const char *list)
{
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (!emh_language_listed(emh_buf_cstr(into), p, k))
			emh_buf_appendf(into, "%s%.*s", into->len ? " " : "", (int)k, p);
		p += k;
		p += *p == ' ';
	}
}

int emh_language_covered(const emh_lang_span *s, const char *declared)
{
	if (!s->langs[0] || emh_language_listed(declared, "*", 1))
		return 1;
	for (const char *p = s->langs; *p;) {
		size_t k = strcspn(p, " ");
		if (emh_language_listed(declared, p, k))
			return 1;
		p += k;
		p += *p == ' ';
	}
	return 0;
}

const emh_lang_span *emh_language_uncovered(const emh_language *l, const char *declared)
{
	for (size_t i = 0; i < l->nspans; i++)
		if (!emh_language_covered(&l->spans[i], declared))
			return &l->spans[i];
	return NULL;
}
