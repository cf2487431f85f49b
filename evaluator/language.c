/*
 * language.c - detects the language of an evidence text (issue 12: a German
 * DiGA policy read by English patterns was passed or failed unread).
 *
 * libexttextcat (LibreOffice's language guesser) compares the text's
 * character n-grams with its fingerprints of about 150 languages and returns
 * the candidates within a margin of the best. The whole text is classified,
 * and so is every paragraph of at least EMH_LANG_MIN_TEXT bytes, so that a
 * German paragraph inside an English policy is seen too. Work is bounded:
 * the whole text is sampled from its first LANG_SAMPLE bytes, each paragraph
 * from its first PARA_SAMPLE bytes, and at most MAX_PARAS paragraphs are
 * classified. The classifier is loaded once per process and used under a
 * lock (its result buffer belongs to the handle).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <textcat.h>
#include "evaluator/language.h"

#ifndef EMH_TEXTCAT_DIR
#define EMH_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

enum { LANG_SAMPLE = 256 * 1024, PARA_SAMPLE = 4096, MAX_PARAS = 1024, MAX_CANDIDATES = 3 };

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *classifier;

static void load(void)
{
	classifier = special_textcat_Init(EMH_TEXTCAT_DIR "/fpdb.conf", EMH_TEXTCAT_DIR "/");
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

static void classify(const char *text, size_t len, char *out, size_t cap)
{
	out[0] = '\0';
	if (len < EMH_LANG_MIN_TEXT)
		return;
	pthread_mutex_lock(&lock);
	const char *res = textcat_Classify(classifier, text, len);
	candidates(res ? res : "", out, cap);
	pthread_mutex_unlock(&lock);
	/* Three or more close candidates: the classifier cannot tell (a run of "aaaa", a table). */
	size_t words = out[0] != '\0';
	for (const char *p = out; *p; p++)
		words += *p == ' ';
	if (words >= MAX_CANDIDATES)
		out[0] = '\0';
}

int emh_language_detect(emh_language *out, const char *text, size_t len)
{
	memset(out, 0, sizeof *out);
	pthread_once(&once, load);
	if (!classifier) {
		out->unavailable = 1;
		return 0;
	}
	out->spans = calloc(1, sizeof *out->spans);
	if (!out->spans)
		return -1;
	out->nspans = 1;
	out->spans[0].len = len;
	classify(text, len < LANG_SAMPLE ? len : LANG_SAMPLE, out->spans[0].langs, sizeof out->spans[0].langs);
	size_t paras = 0;
	for (size_t at = 0; at < len && paras < MAX_PARAS;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end - at >= EMH_LANG_MIN_TEXT) {
			emh_lang_span s = { at, end - at, "" };
			paras++;
			classify(text + at, s.len < PARA_SAMPLE ? s.len : PARA_SAMPLE, s.langs, sizeof s.langs);
			if (s.langs[0]) {
				emh_lang_span *grown = realloc(out->spans, (out->nspans + 1) * sizeof *grown);
				if (!grown)
					return -1;
				out->spans = grown;
				out->spans[out->nspans++] = s;
			}
		}
		at = end + 1;
	}
	return 0;
}

void emh_language_dispose(emh_language *l)
{
	free(l->spans);
	memset(l, 0, sizeof *l);
}

/* Whether the space-separated list has the word [w, w + k). */
static int has_word(const char *list, const char *w, size_t k)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n == k && strncmp(p, w, k) == 0)
			return 1;
		p += n;
		p += *p == ' ';
	}
	return 0;
}

int emh_language_covered(const emh_lang_span *s, const char *declared)
{
	if (!s->langs[0] || has_word(declared, "*", 1))
		return 1;
	for (const char *p = s->langs; *p;) {
		size_t k = strcspn(p, " ");
		if (has_word(declared, p, k))
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
