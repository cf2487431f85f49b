/*
 * check_prefilter.c - the required-literal prefilter of evaluator/prefilter.c:
 * the sets the analyser derives and the patterns it refuses; PCRE2's own
 * caseless matching of ASCII (only 'k' and 's' have non-ASCII partners, the
 * scan's assumption); the scan against PCRE2 on literal alternations at every
 * position; and a differential test: every pattern of the shipped and bench
 * criteria (and the statement patterns built from "states"/"not_states")
 * searched with and without the prefilter over the policy corpus, the
 * example submissions and near misses, with identical results and offsets.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "emheval/buf.h"
#include "emheval/io.h"
#include "evaluator/internal.h"
#include "evaluator/prefilter.h"
#include "evaluator/textnorm.h"
#include "helpers.h"

/* The prefilter of pattern as text, or "-" when refused. */
static const char *describe(const char *pattern, const char *flags, char *buf, size_t size)
{
	emh_prefilter *pf = emh_prefilter_build(pattern, flags, NULL);
	if (!pf)
		return "-";
	emh_prefilter_describe(pf, buf, size);
	emh_prefilter_free(pf);
	return buf;
}

START_TEST(analyser_derives_sets)
{
	static const char *const cases[][3] = {
		{ "\\b(?:sell|sold|advertis\\w*)", "i", "i:advertis|sell|sold" },
		{ "\\b(sell|sells|selling|sold)\\b[^.]{0,40}\\b(data|information)\\b", "i", "i:sell|sold & data|information" },
		{ "\\b(advertising|advertisers|targeted ads)\\b", "i", "i:advertisers|advertising|targeted ads" },
		{ "\\b(cure|cures|cured|guarantee|guarantees|guaranteed)\\b", "i", "i:cure|guarantee" },
		{ "\\b(retain|retains|retained|retention)\\b", "i", "i:retain|retention" },
		{ "(?i)Retain", NULL, "i:retain" },
		{ "Retain", NULL, "Retain" },
		{ "Retain", "msu", "Retain" },
		{ "^GMC[0-9]{7}$", NULL, "GMC" },
		{ "^https://[^\\s/?#]+\\.[^\\s/?#]+(?:[/?#]\\S*)?$", NULL, "https://" },
		{ "^10\\.[0-9]{4,9}/\\S+$", NULL, "10." },
		{ "chat ?bots?", "i", "i:chat bot|chatbot" },
		{ "colou?r", NULL, "color|colour" },
		{ "(?:abc)+", NULL, "abc" },
		{ "(?:abc){2,5}x", NULL, "abc" },
		{ "x(?:abc){1}y", NULL, "xabcy" },
		{ "(?:abc)*defg", NULL, "defg" },
		{ "(?:abc)?defg", NULL, "defg" },
		{ "ab(?=f)fgh", NULL, "abfgh" },
		{ "(?<!no )data", NULL, "data" },
		{ "(?<word>hello) world", NULL, "hello world" },
		{ "a\\.b\\-c", NULL, "a.b-c" },
		{ "tab\\there", NULL, "tab\there" },
		{ "gr\xc3\xbc\xc3\x9f", NULL, "gr\xc3\xbc\xc3\x9f" },
		{ "gr\xc3\xbc\xc3\x9f" "e", "i", "-" }, /* caseless: non-ASCII counts as any character */
		{ "stra\xc3\x9f" "enbahn", "i", "i:enbahn & stra" },
		{ "(?:foo|barbaz)qux", NULL, "barbazqux|fooqux" },
		{ "\\bmarketing\\b", "i", "i:marketing" },
		{ "\\b(?:self[- ]harm|suicid\\w*|deteriorat\\w*)\\b", "i", "i:deteriorat|self|suicid & deteriorat|harm|suicid" },
		{ "[abc]xyz[def]", NULL, "xyz" },
		{ "a.b.cde", NULL, "cde" },
	};
	char buf[1000];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = describe(cases[i][0], cases[i][1], buf, sizeof buf);
		ck_assert_msg(strcmp(got, cases[i][2]) == 0, "/%s/%s: got \"%s\", expected \"%s\"", cases[i][0],
		              cases[i][1] ? cases[i][1] : "", got, cases[i][2]);
	}
}
END_TEST

START_TEST(analyser_refuses)
{
	static const char *const cases[][2] = {
		{ "(?(DEFINE)(?<x>sell))(?&x)", "i" },  /* DEFINE, subroutine call */
		{ "(sell)\\1", NULL },                  /* backreference */
		{ "(?<x>sell)\\k<x>", NULL },
		{ "(sell)\\g1", NULL },
		{ "\\Qsell\\E", NULL },                 /* \Q..\E */
		{ "sell\\x{2010}data", NULL },          /* \x escapes */
		{ "sell\\x41", NULL },
		{ "\\p{L}sell", NULL },                 /* properties */
		{ "sell(?-i)data", "i" },               /* inline options other than a leading (?i) */
		{ "data(?i)sell", NULL },
		{ "(?i:sell)", NULL },
		{ "(?s)sell", NULL },
		{ "(*UCP)sell", NULL },                 /* verbs and start options */
		{ "sell(*SKIP)(*F)|data", NULL },
		{ "(?>sell)", NULL },                   /* atomic group */
		{ "(?|sell|sold)", NULL },              /* branch reset */
		{ "(?(1)sell|sold)", NULL },            /* conditional */
		{ "(?R)sell", NULL },                   /* recursion */
		{ "(?#note)sell", NULL },               /* comment */
		{ "sell{,3}", NULL },                   /* '{' that is not a quantifier in 10.42 */
		{ "sell{x}", NULL },
		{ "sell}", NULL },
		{ "sell]", NULL },
		{ "sel\\Kl", NULL },                    /* \K moves the start */
		{ "\\Gsell", NULL },
		{ "sell\\Rdata", NULL },
		{ "sell\\N", NULL },
		{ "[[:alpha:]]sell", NULL },            /* POSIX class */
		{ "[\\x{2010}]sell", NULL },
		{ "sell data", "x" },                   /* extended: spaces and # differ */
		{ "ab", NULL },                         /* too short */
		{ "ab|cde", NULL },                     /* one branch too short */
		{ "(?:sell)?", NULL },                  /* may be absent */
		{ "(?:sell)*x", NULL },
		{ "(?:sell){0,3}", NULL },
		{ "(?=sell)\\w+", NULL },               /* a lookahead's text is not required in the match */
		{ "sss", "i" },                         /* caseless: no character that is one byte everywhere */
		{ "\\w+@\\w+", NULL },
		{ "", NULL },
	};
	char buf[1000];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *why = NULL;
		emh_prefilter *pf = emh_prefilter_build(cases[i][0], cases[i][1], &why);
		if (pf)
			emh_prefilter_describe(pf, buf, sizeof buf);
		ck_assert_msg(pf == NULL, "/%s/ should be refused, got \"%s\"", cases[i][0], pf ? buf : "");
		ck_assert_ptr_nonnull(why);
	}
	/* A metered pattern (nested unbounded repeat) keeps PCRE2 and its budget. */
	emh_regex re;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_regex_compile(&re, "(?:sell\\w+)+data", "i", &err), 0);
	ck_assert_int_eq(re.metered, 1);
	ck_assert_ptr_null(re.prefilter);
	ck_assert_ptr_nonnull(re.prefilter_refused);
	emh_regex_dispose(&re);
}
END_TEST

static void put_utf8(char *d, size_t *n, unsigned cp)
{
	if (cp < 0x80) {
		d[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		d[(*n)++] = (char)(0xC0 | cp >> 6);
		d[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		d[(*n)++] = (char)(0xE0 | cp >> 12);
		d[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
		d[(*n)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		d[(*n)++] = (char)(0xF0 | cp >> 18);
		d[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3F));
		d[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
		d[(*n)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/*
 * The scan's assumption, asked of PCRE2 itself: caseless (UTF, with and
 * without UCP), an ASCII character matches only itself, its ASCII case
 * partner, and for k and s U+212A and U+017F; nothing else non-ASCII.
 */
START_TEST(caseless_ascii_partners_are_only_kelvin_and_long_s)
{
	static const char *const flags[] = { "i", "iu" };
	char *all = malloc(5 * 0x110000);
	ck_assert_ptr_nonnull(all);
	size_t n = 0;
	for (unsigned cp = 0x80; cp < 0x110000; cp++)
		if (cp < 0xD800 || cp > 0xDFFF)
			put_utf8(all, &n, cp);
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	for (size_t f = 0; f < 2; f++) {
		/* Every non-ASCII character that matches some ASCII one: exactly the two. */
		emh_regex re;
		emh_error err = EMH_ERROR_INIT;
		ck_assert_int_eq(emh_regex_compile(&re, "(?:[\\x01-\\x7f]|a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t|u|v|w|x|y|z)",
		                                   flags[f], &err), 0);
		unsigned found[4];
		size_t nfound = 0, at = 0;
		for (;;) {
			size_t s, e;
			int rc = emh_regex_search_unfiltered(&re, &m, all + at, n - at, &s, &e);
			ck_assert_int_ge(rc, 0);
			if (rc == 0)
				break;
			ck_assert_uint_lt(nfound, 4);
			const unsigned char *u = (const unsigned char *)all + at + s;
			found[nfound++] = e - s == 2 ? (unsigned)(u[0] & 0x1F) << 6 | (u[1] & 0x3F)
			                             : (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
			at += e;
		}
		ck_assert_uint_eq(nfound, 2);
		ck_assert_uint_eq(found[0], 0x17F);
		ck_assert_uint_eq(found[1], 0x212A);
		emh_regex_dispose(&re);
		/* Which ASCII letters they match, and ASCII against ASCII. */
		for (unsigned c = 1; c < 0x80; c++) {
			char pat[8], subj[8];
			snprintf(pat, sizeof pat, "\\x%02x", c);
			/* \x is refused by the analyser, so this compiles without a prefilter. */
			ck_assert_int_eq(emh_regex_compile(&re, pat, flags[f], &err), 0);
			ck_assert_ptr_null(re.prefilter);
			size_t s, e;
			ck_assert_int_eq(emh_regex_search_unfiltered(&re, &m, "\xc5\xbf", 2, &s, &e), c == 's' || c == 'S');
			ck_assert_int_eq(emh_regex_search_unfiltered(&re, &m, "\xe2\x84\xaa", 3, &s, &e), c == 'k' || c == 'K');
			for (unsigned d = 1; d < 0x80; d++) {
				subj[0] = (char)d;
				int same = c == d || ((c | 0x20) == (d | 0x20) && (c | 0x20) >= 'a' && (c | 0x20) <= 'z');
				ck_assert_int_eq(emh_regex_search_unfiltered(&re, &m, subj, 1, &s, &e), same);
			}
			emh_regex_dispose(&re);
		}
	}
	emh_matcher_dispose(&m);
	free(all);
}
END_TEST

/* A pattern's search with and without the prefilter: the same answer and offsets. */
static unsigned long compared, skipped;
static void same_search(const emh_regex *re, emh_matcher *m, const char *s, size_t len)
{
	size_t s1 = 7, e1 = 7, s2 = 7, e2 = 7;
	int a = emh_regex_search_unfiltered(re, m, s, len, &s1, &e1);
	int b = emh_regex_search(re, m, s, len, &s2, &e2);
	ck_assert_msg(a == b, "/%s/%s on \"%.*s\": %d without the prefilter, %d with", re->source, re->flags,
	              (int)(len < 200 ? len : 200), s, a, b);
	if (a == 1)
		ck_assert_msg(s1 == s2 && e1 == e2, "/%s/ offsets differ", re->source);
	if (re->prefilter && !emh_prefilter_may_match(re->prefilter, s, len)) {
		skipped++;
		ck_assert_int_eq(a, 0); /* the prefilter said no: PCRE2 agrees */
	}
	compared++;
}

/* The scan against PCRE2 for literal alternations (exact there): every position, both cases, k/s forms. */
START_TEST(scan_finds_literals_everywhere)
{
	emh_prefilter__portable(_i == 0); /* both scans: SSE2, then AVX2 where the processor has it */
	static const char *const pats[][2] = {
		{ "sell|sold", "i" }, { "advertis", "i" }, { "marketing|kiosk", "i" },
		{ "xyz", NULL }, { "Gr\xc3\xbc\xc3\x9f" "e", NULL }, { "retain|retention|keep", "i" },
		{ "ask|task|skas", "i" },
	};
	static const char *const forms[] = {
		"sell", "SELL", "\xc5\xbf" "ell", "sold", "S0ld", "advertis", "ADVERTI\xc5\xbf",
		"mar\xe2\x84\xaa" "eting", "MARKETING", "\xe2\x84\xaa" "io\xc5\xbf" "\xe2\x84\xaa", "xyz", "XYZ",
		"Gr\xc3\xbc\xc3\x9f" "e", "retain", "RETENTION", "kee", "ta\xc5\xbf" "\xe2\x84\xaa", "s\xe2\x84\xaa" "S",
		"sel", "\xc5" "ell", "ell",
	};
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	char buf[200];
	for (size_t p = 0; p < sizeof pats / sizeof *pats; p++) {
		emh_regex re;
		emh_error err = EMH_ERROR_INIT;
		ck_assert_int_eq(emh_regex_compile(&re, pats[p][0], pats[p][1], &err), 0);
		ck_assert_msg(re.prefilter != NULL, "/%s/ has no prefilter", pats[p][0]);
		for (size_t f = 0; f < sizeof forms / sizeof *forms; f++)
			for (size_t pad = 0; pad < 70; pad += pad < 40 ? 1 : 7)
				for (size_t tail = 0; tail < 20; tail += 3) {
					size_t n = 0, fl = strlen(forms[f]);
					memset(buf, '.', pad);
					n = pad;
					memcpy(buf + n, forms[f], fl);
					n += fl;
					memset(buf + n, '.', tail);
					n += tail;
					size_t s, e;
					int found = emh_regex_search_unfiltered(&re, &m, buf, n, &s, &e);
					/* Exact for a plain alternation: may_match is the match. */
					ck_assert_msg(emh_prefilter_may_match(re.prefilter, buf, n) == found,
					              "/%s/ on \"%.*s\": PCRE2 %d", pats[p][0], (int)n, buf, found);
					same_search(&re, &m, buf, n);
				}
		emh_regex_dispose(&re);
	}
	emh_matcher_dispose(&m);
}
END_TEST

START_TEST(kelvin_sign_and_long_s_still_match)
{
	emh_prefilter__portable(_i == 0); /* both scans: SSE2, then AVX2 where the processor has it */
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	emh_regex re;
	emh_error err = EMH_ERROR_INIT;
	/* u: with UCP the long s is a word character, so \\b holds before it. */
	ck_assert_int_eq(emh_regex_compile(&re, "\\b(sell|sells|selling|sold)\\b[^.]{0,40}\\b(data|information)\\b",
	                                   "iu", &err), 0);
	ck_assert_ptr_nonnull(re.prefilter);
	const char t[] = "We \xc5\xbf" "ell your DATA."; /* long s */
	size_t s, e;
	ck_assert_int_eq(emh_regex_search(&re, &m, t, sizeof t - 1, &s, &e), 1);
	ck_assert_uint_eq(s, 3);
	emh_regex_dispose(&re);
	ck_assert_int_eq(emh_regex_compile(&re, "\\bmarketing partners\\b", "i", &err), 0);
	ck_assert_ptr_nonnull(re.prefilter);
	const char k[] = "our MAR\xe2\x84\xaa" "ETING partners"; /* Kelvin sign */
	ck_assert_int_eq(emh_regex_search(&re, &m, k, sizeof k - 1, &s, &e), 1);
	ck_assert_uint_eq(s, 4);
	ck_assert_int_eq(emh_regex_search(&re, &m, "our MAR-ETING partners", 22, &s, &e), 0);
	emh_regex_dispose(&re);
	emh_matcher_dispose(&m);
}
END_TEST

/* ---- random patterns of the analysed subset against random texts ------------------------ */

static unsigned long rng_state;
static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng_state >> 33) % n;
}

/* Characters the texts are made of: ASCII letters of both cases, k/s and their non-ASCII partners, others. */
static const char *const alphabet[] = {
	"s", "e", "l", "o", "d", "a", "t", "k", "i", "n", "S", "E", "L", "K", "A", " ", "-", ".",
	"\xc5\xbf", "\xe2\x84\xaa", "\xc3\xa9", "\xc3\x89", "x", "\n",
};

static void gen_text(char *d, size_t *n, size_t max)
{
	size_t len = rnd((unsigned)max);
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		const char *c = alphabet[rnd(sizeof alphabet / sizeof *alphabet)];
		size_t cl = strlen(c);
		if (*n + cl + 1 > max)
			break;
		memcpy(d + *n, c, cl); /* whole characters: the text stays valid UTF-8 */
		*n += cl;
	}
	d[*n] = '\0';
}

/* A random pattern of the subset (and a few constructs outside it, which must be refused). */
static void gen_pattern(emh_buf *b, unsigned depth)
{
	unsigned parts = 1 + rnd(4);
	for (unsigned i = 0; i < parts; i++) {
		unsigned k = rnd(depth < 3 ? 16 : 12);
		static const char *const atoms[] = {
			"sel", "sold", "da", "tak", "ask", "kiosk", "Ss", "l", "e", "\\b", "\\w", "[ase]", ".", "\\.", "-",
			"\xc3\xa9", "\xc5\xbf", "\\s", "^", "$", "(?=s)", "(?<!a)", "\\B", "\\d", "x",
		};
		if (k < 12) {
			emh_buf_puts(b, atoms[rnd(sizeof atoms / sizeof *atoms)]);
		} else {
			static const char *const open[] = { "(", "(?:", "(?<g>", "(?=", "(?!" };
			emh_buf_puts(b, open[rnd(5)]);
			gen_pattern(b, depth + 1);
			while (rnd(3) == 0) {
				emh_buf_puts(b, "|");
				gen_pattern(b, depth + 1);
			}
			emh_buf_puts(b, ")");
		}
		static const char *const quant[] = { "", "", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,3}", "??", "+?" };
		emh_buf_puts(b, quant[rnd(sizeof quant / sizeof *quant)]);
	}
	if (depth == 0 && rnd(4) == 0) {
		emh_buf_puts(b, "|");
		gen_pattern(b, 1);
	}
}

START_TEST(random_patterns_agree_with_pcre2)
{
	emh_prefilter__portable(_i == 0); /* both scans: SSE2, then AVX2 where the processor has it */
	int light = getenv("EMH_TEST_LIGHT") != NULL;
	unsigned npat = light ? 300 : 4000, ntext = light ? 20 : 60;
	rng_state = 42;
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	unsigned with = 0;
	compared = skipped = 0;
	char text[200];
	for (unsigned i = 0; i < npat; i++) {
		emh_buf b = EMH_BUF_INIT;
		if (rnd(3) == 0)
			emh_buf_puts(&b, "(?i)");
		gen_pattern(&b, 0);
		ck_assert(emh_buf_ok(&b));
		static const char *const flags[] = { NULL, "i", "iu", "u", "m" };
		emh_regex re;
		emh_error err = EMH_ERROR_INIT;
		int rc = emh_regex_compile(&re, emh_buf_cstr(&b), flags[rnd(5)], &err);
		emh_buf_dispose(&b);
		if (rc)
			continue; /* e.g. a quantified lookbehind PCRE2 refuses */
		with += re.prefilter != NULL;
		for (unsigned k = 0; k < ntext; k++) {
			size_t n;
			gen_text(text, &n, sizeof text);
			same_search(&re, &m, text, n);
		}
		emh_regex_dispose(&re);
	}
	/* Enough patterns got a prefilter and enough texts were skipped to mean something. */
	ck_assert_uint_gt(with, npat / 10);
	ck_assert_uint_gt(skipped, compared / 20);
	emh_matcher_dispose(&m);
}
END_TEST

/* ---- the differential test over the shipped criteria ------------------------------- */

typedef struct pats {
	emh_regex *re;
	size_t n, cap;
} pats;

static void add_pattern(pats *p, const char *src, const char *flags)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->re = realloc(p->re, p->cap * sizeof *p->re);
		ck_assert_ptr_nonnull(p->re);
	}
	emh_error err = EMH_ERROR_INIT;
	if (emh_regex_compile(&p->re[p->n], src, flags, &err) == 0)
		p->n++; /* a fixture may hold a pattern that does not compile on purpose */
}

static void walk_json(pats *p, const cJSON *j)
{
	if (cJSON_IsObject(j)) {
		const cJSON *fl = cJSON_GetObjectItem(j, "flags");
		const char *flags = cJSON_IsString(fl) && fl->valuestring[strspn(fl->valuestring, "imsxu")] == '\0'
		                    ? fl->valuestring : NULL;
		for (const cJSON *c = j->child; c; c = c->next) {
			if ((strcmp(c->string, "matches") == 0 || strcmp(c->string, "not_matches") == 0) &&
			    cJSON_IsString(c)) {
				add_pattern(p, c->valuestring, flags);
			} else if ((strcmp(c->string, "states") == 0 || strcmp(c->string, "not_states") == 0) &&
			           cJSON_IsObject(c)) {
				/* As statement.c compiles them: caseless, the verb wrapped two ways. */
				static const char *const keys[] = { "verb", "object", "purpose", "unless" };
				for (size_t k = 0; k < 4; k++) {
					const cJSON *v = cJSON_GetObjectItem(c, keys[k]);
					if (!cJSON_IsString(v))
						continue;
					add_pattern(p, v->valuestring, "i");
					if (k == 0) {
						size_t len = strlen(v->valuestring) + 16;
						char *w = malloc(len);
						ck_assert_ptr_nonnull(w);
						snprintf(w, len, "^(?:%s)$", v->valuestring);
						add_pattern(p, w, "i");
						snprintf(w, len, "\\b(?:%s)\\b", v->valuestring);
						add_pattern(p, w, "i");
						free(w);
					}
				}
			} else {
				walk_json(p, c);
			}
		}
	} else if (cJSON_IsArray(j)) {
		for (const cJSON *c = j->child; c; c = c->next)
			walk_json(p, c);
	}
}

typedef struct texts {
	char **s;
	size_t *len;
	size_t n, cap;
} texts;

static void add_text(texts *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->s = realloc(t->s, t->cap * sizeof *t->s);
		t->len = realloc(t->len, t->cap * sizeof *t->len);
		ck_assert(t->s && t->len);
	}
	t->s[t->n] = malloc(len + 1);
	ck_assert_ptr_nonnull(t->s[t->n]);
	memcpy(t->s[t->n], s, len);
	t->s[t->n][len] = '\0';
	t->len[t->n++] = len;
}

/* Every *.json under dir (patterns) or every regular file (texts, raw and normalised). */
static void walk_dir(const char *dir, pats *p, texts *t)
{
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_dir(path, p, t);
			continue;
		}
		char *buf = NULL;
		size_t len = 0;
		emh_error err = EMH_ERROR_INIT;
		if (emh_io_read_file(&buf, &len, path, 1u << 22, &err) != 0)
			continue;
		if (p) {
			size_t nl = strlen(e->d_name);
			cJSON *j = nl > 5 && strcmp(e->d_name + nl - 5, ".json") == 0 ? cJSON_ParseWithLength(buf, len) : NULL;
			if (j)
				walk_json(p, j);
			cJSON_Delete(j);
		} else if (emh_utf8_valid(buf, len)) {
			add_text(t, buf, len);
			emh_textnorm n;
			if (emh_textnorm_run(&n, buf, len) == 0) {
				add_text(t, n.text, n.len);
				emh_textnorm_dispose(&n);
			}
		}
		free(buf);
	}
	closedir(d);
}

/* Near misses of a literal: changed, cut, cased, with k/s in their non-ASCII forms. */
static void add_near_misses(texts *t, const char *lit, size_t n)
{
	char b[200];
	if (n == 0 || n > 60)
		return;
	add_text(t, lit, n);
	snprintf(b, sizeof b, "We %.*s your data information.", (int)n, lit);
	add_text(t, b, strlen(b));
	add_text(t, lit, n - 1);
	add_text(t, lit + 1, n - 1);
	for (size_t k = 0; k < n; k++) {
		memcpy(b, lit, n);
		b[k] = (char)(b[k] == 'x' ? 'y' : 'x');
		add_text(t, b, n);
		memcpy(b, lit, n);
		b[k] = (char)(b[k] >= 'a' && b[k] <= 'z' ? b[k] - 32 : b[k]);
		add_text(t, b, n);
		/* k and s as U+212A and U+017F */
		size_t m = 0;
		for (size_t q = 0; q < n && m + 4 < sizeof b; q++) {
			if ((lit[q] | 0x20) == 's' && q == k) {
				b[m++] = (char)0xC5;
				b[m++] = (char)0xBF;
			} else if ((lit[q] | 0x20) == 'k') {
				b[m++] = (char)0xE2;
				b[m++] = (char)0x84;
				b[m++] = (char)0xAA;
			} else {
				b[m++] = lit[q];
			}
		}
		add_text(t, b, m);
	}
}

START_TEST(differential_over_shipped_criteria)
{
	emh_prefilter__portable(_i == 0); /* both scans: SSE2, then AVX2 where the processor has it */
	pats p = { NULL, 0, 0 };
	walk_dir("../criteria", &p, NULL);
	walk_dir("bench/criteria", &p, NULL);
	ck_assert_uint_gt(p.n, 100);
	texts t = { NULL, NULL, 0, 0 };
	int light = getenv("EMH_TEST_LIGHT") != NULL; /* make valgrind: interpreted, so fewer texts */
	if (!light)
		walk_dir("../submissions", NULL, &t);
	/* The policy corpus: each sentence. */
	char *tsv = NULL;
	size_t tlen = 0;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_io_read_file(&tsv, &tlen, "data/policy-corpus/sentences.tsv", 1u << 24, &err), 0);
	size_t lines = 0;
	for (char *line = tsv; line && *line; lines++) {
		char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		const char *tab = NULL;
		for (size_t k = 0; k < ll; k++)
			if (line[k] == '\t')
				tab = line + k;
		if (tab && lines > 0 && (!light || lines % 8 == 0))
			add_text(&t, tab + 1, ll - (size_t)(tab + 1 - line));
		line = nl ? nl + 1 : NULL;
	}
	free(tsv);
	ck_assert_uint_gt(lines, 1000);
	/* Near misses of every literal of every prefilter. */
	size_t with = 0;
	for (size_t i = 0; i < p.n; i++) {
		if (!p.re[i].prefilter)
			continue;
		with++;
		char d[4000];
		emh_prefilter_describe(p.re[i].prefilter, d, sizeof d);
		char *s = strncmp(d, "i:", 2) == 0 ? d + 2 : d;
		while (*s) {
			size_t n = strcspn(s, "|&");
			size_t m = n;
			while (m > 0 && s[m - 1] == ' ' && s[m] == '&')
				m--; /* " & " separates sets */
			add_near_misses(&t, s, m);
			s += n;
			s += strspn(s, "|& ");
		}
	}
	ck_assert_uint_gt(with, 20);
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	compared = skipped = 0;
	for (size_t i = 0; i < p.n; i++) {
		if (!p.re[i].prefilter)
			continue; /* the same code path either way */
		for (size_t k = 0; k < t.n; k++) {
			if (light && (k + i) % 7)
				continue;
			emh_matcher_reset_budget(&m);
			same_search(&p.re[i], &m, t.s[k], t.len[k]);
		}
	}
	/* Both outcomes were exercised: texts skipped and texts searched. */
	ck_assert_uint_gt(skipped, light ? 100 : 1000);
	ck_assert_uint_gt(compared - skipped, light ? 100 : 1000);
	emh_matcher_dispose(&m);
	for (size_t i = 0; i < p.n; i++)
		emh_regex_dispose(&p.re[i]);
	free(p.re);
	for (size_t k = 0; k < t.n; k++)
		free(t.s[k]);
	free(t.s);
	free(t.len);
}
END_TEST

Suite *emh_suite_prefilter(void);
Suite *emh_suite_prefilter(void)
{
	Suite *s = suite_create("prefilter");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, analyser_derives_sets);
	tcase_add_test(tc, analyser_refuses);
	tcase_add_test(tc, caseless_ascii_partners_are_only_kelvin_and_long_s);
	tcase_add_loop_test(tc, scan_finds_literals_everywhere, 0, 2);
	tcase_add_loop_test(tc, kelvin_sign_and_long_s_still_match, 0, 2);
	tcase_add_loop_test(tc, random_patterns_agree_with_pcre2, 0, 2);
	tcase_add_loop_test(tc, differential_over_shipped_criteria, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
