/*
 * gen_corpus.c - deterministic generator of synthetic app-submission corpora for
 * the benchmark (tests/bench/run.sh) and its self-check.
 *
 *   gen_corpus --n N --seed S --out DIR [--bad-rate R] [--edge-cases]
 *              [--pathological K] [--deep-depth D] [--huge-mb M]
 *
 * Writes DIR/sub_000000.json ... DIR/sub_{N-1}.json in the format of the shared
 * bench (shared/bench/gen_corpus.py): one submission manifest per file, printed
 * like Python's json.dump(indent=1, ensure_ascii=True) plus a final newline, with
 * the same fields, the same kinds of values and the same kinds of defects, so that
 * the 30 rules of shared/bench/RULES.md give every outcome. It is not a port: the
 * random stream, the word lists and the exact mix differ, so the files are not
 * byte-identical to the Python generator's.
 *
 *   --bad-rate R      base probability that one field is replaced by a defective
 *                     value (wrong enum, wrong type, missing key, stale date...).
 *                     Default 0.15.
 *   --edge-cases      also write edge_NNN.json: hand-made corner cases, one or two
 *                     mutations of a compliant document each (dates, types,
 *                     boundaries, word boundaries, non-object documents).
 *   --pathological K  append K files sub_{N}..sub_{N+K-1}, printed compactly:
 *                     even ones carry D levels of nested arrays/objects in an
 *                     ignored field (default 160: jq 1.6 refuses ~170), odd ones
 *                     a privacy_policy_text of M MiB (default 4).
 *
 * Determinism: one xoshiro256** stream seeded through splitmix64 from S; no
 * rand(), no clock, no locale, no hash order. The same arguments always give
 * byte-identical files.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>

/* ------------------------------------------------------------------------ */
/* Random numbers: splitmix64 to seed, xoshiro256** to draw.                 */

typedef struct rng {
	uint64_t s[4]; /* xoshiro256** state, never all zero */
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int k = 0; k < 4; k++)
		r->s[k] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t v, int k)
{
	return (v << k) | (v >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return out;
}

/* Uniform in [0, n), n >= 1, without modulo bias. */
static uint64_t rng_below(rng *r, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

/* Uniform integer in [lo, hi]. */
static long rng_int(rng *r, long lo, long hi)
{
	return lo + (long)rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* Uniform double in [0, 1). */
static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rng_below((r), COUNT(a))])

/*
 * Chooses k distinct indexes of [0, n) in random order (partial Fisher-Yates).
 * idx must hold n entries; the first k are the sample.
 */
static void rng_sample(rng *r, size_t *idx, size_t n, size_t k)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	for (size_t i = 0; i < k && i < n; i++) {
		size_t j = i + (size_t)rng_below(r, n - i);
		size_t t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

/* ------------------------------------------------------------------------ */
/* Small helpers.                                                            */

static void die(const char *msg)
{
	fprintf(stderr, "gen_corpus: %s\n", msg);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

/* A growable byte buffer, always NUL-terminated; dies on OOM. */
typedef struct buf {
	char *ptr;
	size_t len, cap;
} buf;

static void buf_grow(buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

static void buf_put(buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void buf_putc(buf *b, char c)
{
	buf_put(b, &c, 1);
}

static void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("formatting failed");
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ------------------------------------------------------------------------ */
/* Building documents with cJSON trees. Non-integral numbers are cJSON raw    */
/* items so that their text is exactly what we chose ("2555.0", "365.5").    */

static cJSON *chk(cJSON *item)
{
	if (!item)
		die("out of memory");
	return item;
}

static cJSON *j_obj(void) { return chk(cJSON_CreateObject()); }
static cJSON *j_arr(void) { return chk(cJSON_CreateArray()); }
static cJSON *j_null(void) { return chk(cJSON_CreateNull()); }
static cJSON *j_bool(int v) { return chk(cJSON_CreateBool(v)); }
static cJSON *j_int(long v) { return chk(cJSON_CreateNumber((double)v)); }
static cJSON *j_raw(const char *text) { return chk(cJSON_CreateRaw(text)); }
static cJSON *j_str(const char *s) { return chk(cJSON_CreateString(s)); }

static cJSON *j_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static cJSON *j_strf(const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return j_str(tmp);
}

/* A string of n copies of c. */
static cJSON *j_rep(char c, size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	cJSON *item = j_str(s);
	free(s);
	return item;
}

static void j_push(cJSON *arr, cJSON *item)
{
	if (!cJSON_AddItemToArray(arr, item))
		die("out of memory");
}

/* Sets obj[key] = item: replaces in place when present, else appends (Python dict order). */
static void j_set(cJSON *obj, const char *key, cJSON *item)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
		if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item))
			die("out of memory");
	} else if (!cJSON_AddItemToObject(obj, key, item)) {
		die("out of memory");
	}
}

static cJSON *j_get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static void j_del(cJSON *obj, const char *key)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

static cJSON *j_dup(const cJSON *item)
{
	return chk(cJSON_Duplicate(item, 1));
}

/* A JSON literal as a tree (for edge cases). Dies on a bad literal. */
static cJSON *j_parse(const char *text)
{
	cJSON *item = cJSON_Parse(text);
	if (!item) {
		fprintf(stderr, "gen_corpus: bad built-in JSON literal: %s\n", text);
		exit(2);
	}
	return item;
}

/* ------------------------------------------------------------------------ */
/* Printing like Python's json.dump(ensure_ascii=True): indent=1 ("pretty")   */
/* or the default compact form with ", " and ": " separators.                */

static void put_json_string(buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			buf_put(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		unsigned char c = *p++;
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		default: {
			/* Control characters and DEL; the generator writes no other bytes. */
			char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0'};
			buf_puts(b, esc);
		}
		}
	}
	buf_putc(b, '"');
}

static void put_indent(buf *b, int pretty, int level)
{
	if (!pretty)
		return;
	buf_putc(b, '\n');
	for (int k = 0; k < level; k++)
		buf_putc(b, ' ');
}

static void put_json(buf *b, const cJSON *v, int pretty, int level)
{
	if (cJSON_IsRaw(v)) {
		buf_puts(b, v->valuestring);
	} else if (cJSON_IsNull(v)) {
		buf_puts(b, "null");
	} else if (cJSON_IsTrue(v)) {
		buf_puts(b, "true");
	} else if (cJSON_IsFalse(v)) {
		buf_puts(b, "false");
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && (double)(long long)d == d)
			buf_printf(b, "%lld", (long long)d);
		else
			buf_printf(b, "%.17g", d);
	} else if (cJSON_IsString(v)) {
		put_json_string(b, v->valuestring);
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int is_obj = cJSON_IsObject(v);
		const cJSON *c = v->child;
		if (!c) {
			buf_puts(b, is_obj ? "{}" : "[]");
			return;
		}
		buf_putc(b, is_obj ? '{' : '[');
		for (; c; c = c->next) {
			put_indent(b, pretty, level + 1);
			if (is_obj) {
				put_json_string(b, c->string);
				buf_puts(b, ": ");
			}
			put_json(b, c, pretty, level + 1);
			if (c->next)
				buf_puts(b, pretty ? "," : ", ");
		}
		put_indent(b, pretty, level);
		buf_putc(b, is_obj ? '}' : ']');
	} else {
		die("unknown cJSON node type");
	}
}

static void write_doc(const char *dir, const char *name, const cJSON *doc, int pretty)
{
	buf b = {NULL, 0, 0};
	put_json(&b, doc, pretty, 0);
	buf_putc(&b, '\n');
	buf path = {NULL, 0, 0};
	buf_printf(&path, "%s/%s", dir, name);
	FILE *f = fopen(path.ptr, "wb");
	if (!f) {
		fprintf(stderr, "gen_corpus: %s: %s\n", path.ptr, strerror(errno));
		exit(2);
	}
	if (fwrite(b.ptr, 1, b.len, f) != b.len || fclose(f) != 0) {
		fprintf(stderr, "gen_corpus: writing %s failed\n", path.ptr);
		exit(2);
	}
	free(path.ptr);
	free(b.ptr);
}

/* ------------------------------------------------------------------------ */
/* Calendar: proleptic Gregorian day numbers (days since 1970-01-01).         */

static long days_from_ymd(long y, long m, long d)
{
	/* Count years from March so that the leap day is the last day of a year. */
	if (m <= 2)
		y -= 1;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;                          /* 0..399 */
	long mp = (m + 9) % 12;                            /* March = 0 */
	long doy = (153 * mp + 2) / 5 + d - 1;             /* 0..365 */
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
	return era * 146097 + doe - 719468;
}

static void ymd_from_days(long z, long *y, long *m, long *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static cJSON *j_date(long day)
{
	long y, m, d;
	ymd_from_days(day, &y, &m, &d);
	return j_strf("%04ld-%02ld-%02ld", y, m, d);
}

/* ------------------------------------------------------------------------ */
/* Vocabulary. The sets named in RULES.md (ages, designs, purposes, countries) */
/* are fixed by the rules; the rest is our own.                               */

static const char *const AGE[] = {"children", "adolescents", "adults", "older_adults"};
static const char *const DESIGN[] = {"RCT", "observational", "cohort", "case_control",
                                     "qualitative", "service_evaluation"};
static const char *const DSP_BAD[] = {"approaching_standards", "standards_not_met",
                                      "not_submitted", "Standards Met", "STANDARDS_MET"};
static const char *const COUNTRY_OK[] = {"GB", "IE", "DE", "FR", "NL", "SE", "DK", "FI",
                                         "BE", "ES", "NO", "AT", "PL", "IS"};
static const char *const COUNTRY_BAD[] = {"US", "IN", "CN", "SG", "BR", "CA", "CH", "UK"};
static const char *const PURPOSE_OK[] = {"analytics", "hosting", "clinical_care",
                                         "support", "research"};
static const char *const PURPOSE_BAD[] = {"advertising", "sale", "marketing", "Advertising"};
static const char *const PLATFORMS[] = {"ios", "android", "web"};
static const char *const CONDITIONS[] = {
	"anxiety", "low mood", "depression", "sleep problems", "stress", "panic attacks",
	"intrusive thoughts", "social anxiety", "burnout", "perinatal low mood",
	"disordered eating", "loneliness", "grief", "work-related stress"};
static const char *const CLAIM_VERB[] = {
	"reduces symptoms of", "supports self-management of", "helps people living with",
	"offers structured exercises for", "teaches coping skills for", "monitors changes in",
	"improves access to support for"};
static const char *const CLAIM_VERB_BAD[] = {
	"cures", "guarantees relief from", "is a proven cure for", "has cured thousands of users of",
	"GUARANTEED results for"};
static const char *const APP_A[] = {"Calm", "Mind", "Mood", "Bright", "Still", "Kind", "Clear",
                                    "Open", "Steady", "Gentle", "Brave", "Hope", "Tide",
                                    "Fern", "Lumen", "Anchor"};
static const char *const APP_B[] = {"Path", "Space", "Harbour", "Compass", "Garden", "Steps",
                                    "Light", "Circle", "Haven", "Bridge", "Notes", "Wave",
                                    "Room", "Trail", "Nest"};
static const char *const VENDOR_A[] = {"Thames", "Pennine", "Cedar", "Orchard", "Meridian",
                                       "Lantern", "Beacon", "Heather", "Willow", "Granite",
                                       "Riverside", "Summit", "Kestrel", "Moorland"};
static const char *const VENDOR_B[] = {"Digital Health", "Wellbeing", "Health Tech",
                                       "Therapeutics", "Labs", "Care Systems", "Minds Ltd",
                                       "Solutions", "Health CIC"};
static const char *const RECIPIENTS[] = {
	"CloudHost Ltd", "Metrics Inc", "SupportDesk Ltd", "University of York",
	"AdReach Media", "CRM Partners", "TeleCare Services", "Insight Analytics",
	"Secure Mail plc", "Northern Data Centre"};
static const char *const FIRST[] = {"Alex", "Sam", "Priya", "Tom", "Aisha", "Gareth", "Mei",
                                    "Olu", "Fiona", "Rhys", "Hannah", "Kofi", "Zara", "Ian",
                                    "Niamh", "Tariq"};
static const char *const LAST[] = {"Patel", "Jones", "Smith", "Okafor", "Evans", "Chen",
                                   "Murphy", "Khan", "Williams", "Davies", "Hughes",
                                   "Ahmed", "Brennan", "Nowak"};
static const char *const REG_BODY[] = {"GMC", "NMC", "HCPC"};
static const char *const DOI_JOURNAL[] = {"jmir", "bmj", "lancet", "npj", "bjpsych", "plos"};
static const char *const DOC_NAMES[] = {
	"dpia.pdf", "dcb0129_hazard_log.xlsx", "pen_test_report.pdf",
	"cyber_essentials_plus.pdf", "clinical_safety_case.pdf",
	"accessibility_statement.html", "evidence_summary.pdf", "privacy_notice.pdf",
	"dsp_toolkit_summary.pdf", "rct_protocol.pdf", "usability_study.pdf",
	"ukca_marking.pdf", "data_flow_diagram.png"};
static const char *const HELPLINES[] = {"116 123", "111", "999", "0800 068 4141",
                                        "+44 300 123 3393", "85258", "0300 5000 927"};

/* Privacy-policy prose. */
static const char *const P_SUBJ[] = {"We", "The service", "Our team", "The app",
                                     "This organisation", "Our clinicians", "The provider",
                                     "Our support staff"};
static const char *const P_VERB[] = {"collect", "process", "use", "store", "protect",
                                     "review", "handle", "record", "secure", "look after",
                                     "pseudonymise"};
static const char *const P_OBJ[] = {
	"your personal information", "mood entries", "contact details", "usage statistics",
	"health information you enter", "messages you send to the service",
	"account details", "journal notes", "questionnaire scores", "device identifiers",
	"appointment history"};
static const char *const P_TAIL[] = {
	"to provide the service", "in line with UK GDPR", "only where we have a lawful basis",
	"so that clinicians can support you", "to improve the quality of care",
	"under a written contract", "with appropriate safeguards",
	"to meet our legal obligations", "when you give consent",
	"for the purposes described in this notice", "within the United Kingdom"};
static const char *const P_NEUTRAL[] = {
	"You can ask for a copy of the information we hold about you.",
	"You have the right to ask us to correct information that is wrong.",
	"You can withdraw consent at any time from the settings screen.",
	"Our data protection officer can be contacted by e-mail or by post.",
	"You can complain to the Information Commissioner's Office.",
	"Only staff who need it for their role can see your records.",
	"We audit access to records every quarter.",
	"Information is encrypted while it travels between your device and our servers.",
	"We do not make decisions about you by automated means alone.",
	"This notice is reviewed at least once a year.",
	"If we change this notice we will tell you in the app.",
	"Children's information is handled with extra care."};
/* Sentences that state a retention period (R28 passes); %d is the period. */
static const char *const P_RETAIN[] = {
	"We retain your records for %d days after your account is closed.",
	"Our retention period for journal notes is %d days.",
	"Data is retained only as long as necessary and for at most %d days.",
	"After %d days the information is deleted under our Retention schedule.",
	"The provider RETAINS backups for %d days."};
/* Near misses for R28: no whole word retain/retains/retained/retention. */
static const char *const P_RETAIN_DECOY[] = {
	"Our retentionist working group meets monthly.",
	"We aim for high user retainment through helpful reminders.",
	"Retaining wall repairs at our office are complete."};
/* Sentences that fail R29. */
static const char *const P_SALE[] = {
	"We may sell your personal data to selected partners.",
	"Information about how you use the app may be sold to carefully chosen brokers of data.",
	"Selling anonymised information helps fund the service.",
	"We share information with advertisers to show you relevant offers.",
	"The app shows targeted ads based on your mood entries.",
	"Some features are funded by Advertising partners.",
	"We will never sell your personal data."}; /* naive rule: still a match */
/* Near misses for R29 that must not match. */
static const char *const P_SALE_DECOY[] = {
	"Our wholesale pricing is agreed with NHS commissioners.",
	"Sellers of devices are not given any of your details.",
	"We do not run adverts in the app.",
	"We sell nothing. Data stays with us.",
	"Our resellers receive no personal information."};

/* Joins the chosen names of list with sep. */
static void join_sample(buf *b, const char *const *list, const size_t *idx, size_t k,
                        const char *sep)
{
	for (size_t i = 0; i < k; i++) {
		if (i)
			buf_puts(b, sep);
		buf_puts(b, list[idx[i]]);
	}
}

/*
 * English-like prose of about target bytes: sentences in paragraphs of 3 to 7,
 * paragraphs separated by a blank line, with each of the nextra sentences in
 * extra inserted at a random position. Returns a malloc'd string.
 */
static char *prose(rng *r, size_t target, const char *const *extra, size_t nextra)
{
	size_t n = 0, cap = 64;
	char **sent = xmalloc(cap * sizeof *sent);
	size_t size = 0;
	buf s = {NULL, 0, 0};
	while (size < target) {
		s.len = 0;
		if (rng_unit(r) < 0.35)
			buf_puts(&s, PICK(r, P_NEUTRAL));
		else
			buf_printf(&s, "%s %s %s %s.", PICK(r, P_SUBJ), PICK(r, P_VERB),
			           PICK(r, P_OBJ), PICK(r, P_TAIL));
		if (n == cap)
			sent = xrealloc(sent, (cap *= 2) * sizeof *sent);
		sent[n++] = strdup(s.ptr);
		if (!sent[n - 1])
			die("out of memory");
		size += s.len + 1;
	}
	free(s.ptr);
	for (size_t e = 0; e < nextra; e++) {
		size_t at = (size_t)rng_below(r, n + 1);
		if (n == cap)
			sent = xrealloc(sent, (cap *= 2) * sizeof *sent);
		memmove(sent + at + 1, sent + at, (n - at) * sizeof *sent);
		sent[at] = strdup(extra[e]);
		if (!sent[at])
			die("out of memory");
		n++;
	}
	buf out = {NULL, 0, 0};
	buf_grow(&out, size + 64);
	size_t i = 0;
	while (i < n) {
		size_t k = (size_t)rng_int(r, 3, 7);
		if (i)
			buf_puts(&out, "\n\n");
		for (size_t j = 0; j < k && i < n; j++, i++) {
			if (j)
				buf_putc(&out, ' ');
			buf_puts(&out, sent[i]);
			free(sent[i]);
		}
	}
	free(sent);
	return out.ptr;
}

/* ------------------------------------------------------------------------ */
/* One submission.                                                           */

typedef struct gen {
	rng r;
	double bad_rate;
} gen;

static int bad(gen *g, double scale)
{
	return rng_unit(&g->r) < g->bad_rate * scale;
}

static cJSON *hex64(rng *r)
{
	static const char hex[] = "0123456789abcdef";
	char s[65];
	for (int k = 0; k < 64; k += 16) {
		uint64_t v = rng_next(r);
		for (int j = 0; j < 16; j++, v >>= 4)
			s[k + j] = hex[v & 15];
	}
	s[64] = '\0';
	return j_str(s);
}

static cJSON *study(rng *r, const char *design, int published, long n)
{
	cJSON *st = j_obj();
	j_set(st, "design", j_str(design));
	j_set(st, "n", j_int(n));
	j_set(st, "published", j_bool(published));
	if (published)
		j_set(st, "doi", j_strf("10.%ld/%s.%ld", rng_int(r, 1000, 99999), PICK(r, DOI_JOURNAL),
		                        rng_int(r, 0, 999999)));
	else
		j_set(st, "doi", j_null());
	return st;
}

/* Replaces a controlled fraction of fields by defective values. */
static void inject(gen *g, cJSON *doc, long subday)
{
	rng *r = &g->r;
	cJSON *app = j_get(doc, "app");
	if (bad(g, 0.2)) {
		switch (rng_below(r, 4)) {
		case 0: j_set(app, "name", j_str("")); break;
		case 1: j_set(app, "name", j_null()); break;
		case 2: j_set(app, "name", j_rep('X', (size_t)rng_int(r, 101, 140))); break;
		default: j_set(app, "name", j_int(42)); break;
		}
	}
	if (bad(g, 0.2)) {
		if (rng_below(r, 4))
			j_del(j_get(doc, "vendor"), "name");
		else
			j_set(j_get(doc, "vendor"), "name", j_str(""));
	}
	if (bad(g, 0.3)) {
		static const char *const v[] = {"2.1", "v1.0.0", "1.0.0-beta", "1.0", "1..2", "3"};
		if (rng_below(r, 5))
			j_set(app, "version", j_str(PICK(r, v)));
		else
			j_set(app, "version", j_int(3));
	}
	if (bad(g, 0.2)) {
		static const char *const v[] = {"2023-02-30", "14/05/2024", "2019-12-31", "2024-13-01",
		                                "2018-06-01", "2023-6-1", "2023-04-31"};
		if (rng_below(r, 5))
			j_set(doc, "submission_date", j_str(PICK(r, v)));
		else
			j_set(doc, "submission_date", j_null());
	}
	if (bad(g, 0.2)) {
		switch (rng_below(r, 3)) {
		case 0: j_set(doc, "intended_purpose", j_str("Mood app.")); break;
		case 1: j_set(doc, "intended_purpose", j_null()); break;
		default: j_set(doc, "intended_purpose", j_str("")); break;
		}
	}
	if (bad(g, 0.3)) {
		switch (rng_below(r, 5)) {
		case 0: j_set(doc, "risk_tier", j_str("D")); break;
		case 1: j_set(doc, "risk_tier", j_str("c")); break;
		case 2: j_set(doc, "risk_tier", j_null()); break;
		case 3: j_set(doc, "risk_tier", j_int(2)); break;
		default: j_set(doc, "risk_tier", j_str("B ")); break;
		}
	}
	cJSON *tu = j_get(doc, "target_users");
	if (bad(g, 0.3)) {
		static const char *const v[] = {"[]", "[\"teens\"]", "[\"adults\", \"infants\"]",
		                                "\"adults\"", "[\"children\", \"toddlers\"]",
		                                "[\"Adolescents\"]"};
		j_set(tu, "age_groups", j_parse(PICK(r, v)));
	}
	if (bad(g, 0.6)) {
		switch (rng_below(r, 4)) {
		case 0: j_set(tu, "parental_consent_required", j_bool(0)); break;
		case 1: j_set(tu, "parental_consent_required", j_str("yes")); break;
		case 2: j_set(tu, "parental_consent_required", j_null()); break;
		default: j_set(tu, "parental_consent_required", j_int(1)); break;
		}
	}
	cJSON *claims = j_get(doc, "clinical_claims");
	if (bad(g, 0.3))
		j_push(claims, j_strf("%s %s", PICK(r, CLAIM_VERB_BAD), PICK(r, CONDITIONS)));
	if (bad(g, 0.1)) {
		cJSON *many = j_arr();
		long n = rng_int(r, 11, 14);
		for (long k = 0; k < n; k++)
			j_push(many, j_strf("claim %ld", k));
		j_set(doc, "clinical_claims", many);
	} else if (bad(g, 0.05)) {
		j_push(claims, j_int(7));
	}
	cJSON *ev = j_get(doc, "clinical_evidence");
	int nev = cJSON_GetArraySize(ev);
	if (bad(g, 0.5) && nev > 0) {
		cJSON *st = cJSON_GetArrayItem(ev, (int)rng_below(r, (uint64_t)nev));
		switch (rng_below(r, 5)) {
		case 0: {
			static const char *const v[] = {"anecdotal", "rct", "meta-analysis", "Cohort"};
			j_set(st, "design", j_str(PICK(r, v)));
			break;
		}
		case 1: {
			char num[32];
			snprintf(num, sizeof num, "%d", j_get(st, "n")->valueint);
			j_set(st, "n", j_str(num));
			break;
		}
		case 2: {
			static const char *const v[] = {"doi:10.1000/xyz", "https://doi.org/10.1000/1",
			                                "10.100/short", "10.1000/has space"};
			j_set(st, "published", j_bool(1));
			if (rng_below(r, 5))
				j_set(st, "doi", j_str(PICK(r, v)));
			else
				j_set(st, "doi", j_null());
			break;
		}
		case 3: j_set(st, "n", j_int(rng_int(r, 5, 99))); break;
		default: j_set(st, "published", j_str("yes")); break;
		}
	}
	if (bad(g, 0.4)) {
		if (rng_below(r, 2)) {
			j_set(doc, "clinical_evidence", j_arr());
		} else {
			cJSON *kept = j_arr();
			cJSON *st;
			cJSON_ArrayForEach(st, ev) {
				cJSON *d = j_get(st, "design");
				if (!cJSON_IsString(d) || strcmp(d->valuestring, "RCT") != 0)
					j_push(kept, j_dup(st));
			}
			j_set(doc, "clinical_evidence", kept);
		}
	} else if (bad(g, 0.03)) {
		j_set(doc, "clinical_evidence", rng_below(r, 2) ? j_null() : j_parse("{\"design\": \"RCT\"}"));
	}
	cJSON *dp = j_get(doc, "data_protection");
	if (bad(g, 0.5)) {
		switch (rng_below(r, 3)) {
		case 0: j_set(dp, "dpia_completed", j_bool(0)); break;
		case 1: j_set(dp, "dpia_completed", j_str("yes")); break;
		default: j_set(dp, "dpia_completed", j_null()); break;
		}
	}
	if (bad(g, 0.5))
		j_set(dp, "dsp_toolkit_status", j_str(PICK(r, DSP_BAD)));
	if (bad(g, 0.4))
		j_push(j_get(dp, "data_stored_in"), j_str(PICK(r, COUNTRY_BAD)));
	if (bad(g, 0.1))
		j_set(dp, "data_stored_in", rng_below(r, 3) ? j_arr() : j_str("GB"));
	if (bad(g, 0.5)) {
		static const char *const v[] = {"0", "7", "3650", "365.5", "\"365\"", "null", "-1",
		                                "29", "2556", "true"};
		j_set(dp, "retention_days", j_raw(PICK(r, v)));
	}
	cJSON *share = j_get(dp, "third_party_sharing");
	if (bad(g, 0.5)) {
		cJSON *e = j_obj();
		j_set(e, "recipient", j_str(PICK(r, RECIPIENTS)));
		j_set(e, "purpose", j_str(PICK(r, PURPOSE_BAD)));
		j_push(share, e);
	}
	if (bad(g, 0.2)) {
		cJSON *e = j_obj();
		j_set(e, "recipient", j_str(""));
		j_set(e, "purpose", j_str("analytics"));
		j_push(share, e);
	}
	if (bad(g, 0.2)) {
		long n = rng_int(r, 2, 6);
		for (long k = 0; k < n; k++) {
			cJSON *e = j_obj();
			j_set(e, "recipient", j_strf("Partner %ld", k + 1));
			j_set(e, "purpose", j_str(PICK(r, PURPOSE_OK)));
			j_push(share, e);
		}
	}
	if (bad(g, 0.03))
		j_push(share, j_null());
	cJSON *sec = j_get(doc, "security");
	if (bad(g, 0.6)) {
		switch (rng_below(r, 6)) {
		case 0: j_set(sec, "pen_test_date", j_date(subday - rng_int(r, 366, 900))); break;
		case 1: j_set(sec, "pen_test_date", j_date(subday - 365)); break;
		case 2: j_set(sec, "pen_test_date", j_date(subday - 366)); break;
		case 3: j_set(sec, "pen_test_date", j_date(subday + rng_int(r, 1, 30))); break;
		case 4: j_set(sec, "pen_test_date", j_str("2024-13-01")); break;
		default: j_set(sec, "pen_test_date", j_null()); break;
		}
	}
	if (bad(g, 0.5))
		j_set(sec, "cyber_essentials_plus", rng_below(r, 2) ? j_bool(0) : j_str("in progress"));
	if (bad(g, 0.5))
		j_set(sec, "encryption_at_rest", rng_below(r, 2) ? j_bool(0) : j_null());
	if (bad(g, 0.5)) {
		static const char *const v[] = {"\"1.1\"", "\"1.0\"", "1.2", "\"TLS1.2\"", "1.3"};
		j_set(sec, "encryption_in_transit_tls_version", j_raw(PICK(r, v)));
	}
	cJSON *cs = j_get(doc, "clinical_safety");
	if (bad(g, 0.5))
		j_set(cs, "dcb0129_hazard_log", j_bool(0));
	if (bad(g, 0.4)) {
		static const char *const v[] = {
			"null", "{\"name\": \"Dr A N Other\", \"registration\": \"GMC12\"}",
			"{\"name\": \"Jo Bloggs\"}", "{\"name\": \"Dr B Roe\", \"registration\": \"gmc1234567\"}",
			"{\"name\": \"Dr C Doe\", \"registration\": 1234567}"};
		j_set(cs, "clinical_safety_officer", j_parse(PICK(r, v)));
	}
	if (bad(g, 0.5)) {
		static const char *const v[] = {"\"A\"", "\"none\"", "\"aa\"", "null", "\"AA \""};
		j_set(j_get(doc, "accessibility"), "wcag_level", j_parse(PICK(r, v)));
	}
	if (bad(g, 0.4)) {
		static const char *const v[] = {
			"{\"signposting\": false, \"helpline_numbers\": [\"111\"]}",
			"{\"signposting\": true, \"helpline_numbers\": []}",
			"{\"signposting\": true, \"helpline_numbers\": [\"call 111\"]}",
			"{\"signposting\": true, \"helpline_numbers\": [\"116 123\", 999]}",
			"{\"signposting\": \"yes\", \"helpline_numbers\": [\"111\"]}",
			"{\"signposting\": true}"};
		j_set(doc, "crisis_support", j_parse(PICK(r, v)));
	}
	if (bad(g, 0.3)) {
		switch (rng_below(r, 3)) {
		case 0: j_set(doc, "privacy_policy_text", j_null()); break;
		case 1: j_set(doc, "privacy_policy_text", j_str("We respect your privacy.")); break;
		default: j_del(doc, "privacy_policy_text"); break;
		}
	}
	cJSON *files = j_get(doc, "evidence_files");
	if (bad(g, 0.3)) {
		int n = cJSON_GetArraySize(files);
		cJSON *first = cJSON_GetArrayItem(files, 0);
		cJSON *last = cJSON_GetArrayItem(files, n - 1);
		switch (rng_below(r, 4)) {
		case 0: {
			char *up = strdup(j_get(first, "sha256")->valuestring);
			if (!up)
				die("out of memory");
			for (char *p = up; *p; p++)
				if (*p >= 'a' && *p <= 'f')
					*p = (char)(*p - 'a' + 'A');
			j_set(first, "sha256", j_str(up));
			free(up);
			break;
		}
		case 1: j_push(files, j_dup(first)); break;
		case 2: {
			char cut[41];
			memcpy(cut, j_get(last, "sha256")->valuestring, 40);
			cut[40] = '\0';
			j_set(last, "sha256", j_str(cut));
			break;
		}
		default: j_del(last, "name"); break;
		}
	}
	if (bad(g, 0.05))
		j_set(doc, "evidence_files", j_arr());
	if (bad(g, 0.05)) {
		static const char *const sections[] = {"data_protection", "security", "clinical_safety",
		                                       "crisis_support", "accessibility", "app",
		                                       "target_users"};
		j_del(doc, PICK(r, sections));
	}
}

/*
 * Builds submission number i. With bad_rate 0 every field is compliant (though
 * tier, ages and policy wording still vary, so conditional rules vary too).
 */
static cJSON *submission(gen *g, long i, long *subday_out)
{
	rng *r = &g->r;
	long subday = days_from_ymd(2023, 1, 1) + rng_int(r, 0, 729);
	long tw = rng_int(r, 1, 10);
	const char *tier = tw <= 3 ? "A" : tw <= 7 ? "B" : "C";

	size_t idx[16];
	size_t nages = (size_t)rng_int(r, 1, 3);
	rng_sample(r, idx, COUNT(AGE), nages);
	int has_age[COUNT(AGE)] = {0};
	for (size_t k = 0; k < nages; k++)
		has_age[idx[k]] = 1;
	int minors = has_age[0] || has_age[1];

	char name[64];
	snprintf(name, sizeof name, "%s%s", PICK(r, APP_A), PICK(r, APP_B));
	size_t ncond = (size_t)rng_int(r, 1, 3);
	size_t cond[COUNT(CONDITIONS)];
	rng_sample(r, cond, COUNT(CONDITIONS), ncond);

	cJSON *doc = j_obj();
	j_set(doc, "submission_id", j_strf("SUB-%06ld", i));

	cJSON *app = j_obj();
	j_set(app, "name", j_str(name));
	j_set(app, "version", j_strf("%ld.%ld.%ld", rng_int(r, 0, 9), rng_int(r, 0, 30), rng_int(r, 0, 99)));
	cJSON *plat = j_arr();
	size_t npl = (size_t)rng_int(r, 1, 3);
	rng_sample(r, idx, COUNT(PLATFORMS), npl);
	for (size_t k = 0; k < npl; k++)
		j_push(plat, j_str(PLATFORMS[idx[k]]));
	j_set(app, "platforms", plat);
	j_set(doc, "app", app);

	cJSON *vendor = j_obj();
	j_set(vendor, "name", j_strf("%s %s", PICK(r, VENDOR_A), PICK(r, VENDOR_B)));
	j_set(vendor, "company_number", j_strf("%08ld", rng_int(r, 0, 99999999)));
	{
		char lower[64];
		size_t k = 0;
		for (; name[k] && k + 1 < sizeof lower; k++)
			lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] - 'A' + 'a' : name[k]);
		lower[k] = '\0';
		const char *first = PICK(r, FIRST);
		char flower[32];
		for (k = 0; first[k] && k + 1 < sizeof flower; k++)
			flower[k] = (char)(first[k] >= 'A' && first[k] <= 'Z' ? first[k] - 'A' + 'a' : first[k]);
		flower[k] = '\0';
		j_set(vendor, "contact_email", j_strf("%s@%s.example", flower, lower));
	}
	j_set(doc, "vendor", vendor);
	j_set(doc, "submission_date", j_date(subday));

	buf purpose = {NULL, 0, 0};
	buf_printf(&purpose, "%s is a digital mental health app intended to help ", name);
	int firstage = 1;
	for (size_t a = 0; a < COUNT(AGE); a++) {
		if (!has_age[a])
			continue;
		if (!firstage)
			buf_puts(&purpose, " and ");
		firstage = 0;
		buf_puts(&purpose, a == 3 ? "older adults" : AGE[a]);
	}
	buf_puts(&purpose, " manage ");
	join_sample(&purpose, CONDITIONS, cond, ncond, ", ");
	buf_puts(&purpose, " through guided self-help, mood tracking and signposting to services.");
	j_set(doc, "intended_purpose", j_str(purpose.ptr));
	free(purpose.ptr);

	cJSON *tu = j_obj();
	cJSON *ages = j_arr();
	for (size_t a = 0; a < COUNT(AGE); a++)
		if (has_age[a])
			j_push(ages, j_str(AGE[a]));
	j_set(tu, "age_groups", ages);
	j_set(tu, "parental_consent_required", j_bool(minors || rng_unit(r) < 0.2));
	j_set(doc, "target_users", tu);
	j_set(doc, "risk_tier", j_str(tier));

	cJSON *claims = j_arr();
	for (size_t k = 0; k < ncond; k++)
		j_push(claims, j_strf("%s %s", PICK(r, CLAIM_VERB), CONDITIONS[cond[k]]));
	j_set(doc, "clinical_claims", claims);

	cJSON *ev = j_arr();
	long nst = rng_int(r, tier[0] == 'A' ? 0 : 1, 4);
	int strong_rct = 0;
	for (long k = 0; k < nst; k++) {
		const char *design = PICK(r, DESIGN);
		int is_rct = strcmp(design, "RCT") == 0;
		long n = is_rct ? rng_int(r, 20, 2000) : rng_int(r, 10, 5000);
		int published = rng_unit(r) < 0.7;
		if (is_rct && n >= 100)
			strong_rct = 1;
		j_push(ev, study(r, design, published, n));
	}
	if (tier[0] == 'C' && !strong_rct && rng_unit(r) < 0.8)
		j_push(ev, study(r, "RCT", 1, rng_int(r, 100, 900)));
	j_set(doc, "clinical_evidence", ev);

	static const long RETENTION[] = {90, 180, 365, 730, 1095, 2190, 30, 2555};
	long retention = PICK(r, RETENTION);
	cJSON *dp = j_obj();
	j_set(dp, "dpia_completed", j_bool(1));
	j_set(dp, "dsp_toolkit_status", j_str(rng_below(r, 2) ? "standards_met" : "standards_exceeded"));
	cJSON *stored = j_arr();
	size_t nst_in = (size_t)rng_int(r, 1, 3);
	rng_sample(r, idx, COUNT(COUNTRY_OK), nst_in);
	for (size_t k = 0; k < nst_in; k++)
		j_push(stored, j_str(COUNTRY_OK[idx[k]]));
	j_set(dp, "data_stored_in", stored);
	cJSON *share = j_arr();
	size_t nsh = (size_t)rng_int(r, 0, 4);
	size_t ridx[COUNT(RECIPIENTS)];
	rng_sample(r, ridx, COUNT(RECIPIENTS), nsh);
	for (size_t k = 0; k < nsh; k++) {
		cJSON *e = j_obj();
		j_set(e, "recipient", j_str(RECIPIENTS[ridx[k]]));
		j_set(e, "purpose", j_str(PICK(r, PURPOSE_OK)));
		j_push(share, e);
	}
	j_set(dp, "third_party_sharing", share);
	j_set(dp, "retention_days", j_int(retention));
	j_set(doc, "data_protection", dp);

	cJSON *sec = j_obj();
	j_set(sec, "pen_test_date", j_date(subday - rng_int(r, 0, 360)));
	j_set(sec, "cyber_essentials_plus", j_bool(1));
	j_set(sec, "encryption_at_rest", j_bool(1));
	j_set(sec, "encryption_in_transit_tls_version", j_str(rng_below(r, 2) ? "1.2" : "1.3"));
	j_set(doc, "security", sec);

	cJSON *cs = j_obj();
	j_set(cs, "dcb0129_hazard_log", j_bool(tier[0] != 'A' || rng_unit(r) < 0.5));
	cJSON *cso = j_obj();
	j_set(cso, "name", j_strf("Dr %s %s", PICK(r, FIRST), PICK(r, LAST)));
	j_set(cso, "registration", j_strf("%s%07ld", PICK(r, REG_BODY), rng_int(r, 0, 9999999)));
	j_set(cs, "clinical_safety_officer", cso);
	j_set(doc, "clinical_safety", cs);

	cJSON *acc = j_obj();
	j_set(acc, "wcag_level", j_str(rng_below(r, 3) ? "AA" : "AAA"));
	j_set(doc, "accessibility", acc);

	cJSON *crisis = j_obj();
	j_set(crisis, "signposting", j_bool(1));
	cJSON *lines = j_arr();
	size_t nhl = (size_t)rng_int(r, 1, 3);
	rng_sample(r, idx, COUNT(HELPLINES), nhl);
	for (size_t k = 0; k < nhl; k++)
		j_push(lines, j_str(HELPLINES[idx[k]]));
	j_set(crisis, "helpline_numbers", lines);
	j_set(doc, "crisis_support", crisis);

	char retain_sentence[160];
	const char *extra[4];
	size_t nextra = 0;
	if (rng_unit(r) < 0.8) {
		snprintf(retain_sentence, sizeof retain_sentence, PICK(r, P_RETAIN), (int)retention);
		extra[nextra++] = retain_sentence;
	}
	if (rng_unit(r) < 0.05)
		extra[nextra++] = PICK(r, P_RETAIN_DECOY);
	if (rng_unit(r) < 0.12)
		extra[nextra++] = PICK(r, P_SALE);
	if (rng_unit(r) < 0.08)
		extra[nextra++] = PICK(r, P_SALE_DECOY);
	char *text = prose(r, (size_t)rng_int(r, 2048, 12288), extra, nextra);
	j_set(doc, "privacy_policy_text", j_str(text));
	free(text);

	cJSON *files = j_arr();
	size_t ndoc = (size_t)rng_int(r, 2, 8);
	size_t didx[COUNT(DOC_NAMES)];
	rng_sample(r, didx, COUNT(DOC_NAMES), ndoc);
	for (size_t k = 0; k < ndoc; k++) {
		cJSON *f = j_obj();
		j_set(f, "name", j_str(DOC_NAMES[didx[k]]));
		j_set(f, "sha256", hex64(r));
		j_push(files, f);
	}
	j_set(doc, "evidence_files", files);

	inject(g, doc, subday);
	if (subday_out)
		*subday_out = subday;
	return doc;
}

/* Exactly depth levels of alternating arrays and objects around a string. */
static cJSON *deep(long depth)
{
	cJSON *node = j_str("bottom");
	for (long k = 0; k < depth; k++) {
		cJSON *outer;
		if (k % 2) {
			outer = j_obj();
			j_set(outer, "n", node);
		} else {
			outer = j_arr();
			j_push(outer, node);
		}
		node = outer;
	}
	return node;
}

/* ------------------------------------------------------------------------ */
/* Edge cases: each is a compliant document with up to three assignments.     */
/* A path is "a/b/c" (missing or non-object steps become objects), "" is the  */
/* whole document. A value is a JSON literal, or one of these generators:     */
/*   @rep:C:N   a string of N copies of C                                     */
/*   @day:K     the date K days after the document's submission_date          */
/*   @files:N   N evidence entries with distinct names and valid hashes       */
/*   @claims:N  N harmless claim strings                                      */
/*   @share:N   N compliant sharing entries                                   */
/* Keep only cases on which the three peers of shared/bench agree (selfcheck.sh */
/* checks it): e.g. json-rules-engine's length operator accepts an array as   */
/* app.name (R01 pass where RULES.md says fail), so that case uses an object. */

typedef struct edge {
	const char *path[3];
	const char *value[3];
} edge;

static const edge EDGES[] = {
	/* documents that are not objects: every path is absent */
	{{"", NULL, NULL}, {"[]", NULL, NULL}},
	{{"", NULL, NULL}, {"\"just a string\"", NULL, NULL}},
	{{"", NULL, NULL}, {"{}", NULL, NULL}},
	{{"", NULL, NULL}, {"null", NULL, NULL}},
	{{"", NULL, NULL}, {"42", NULL, NULL}},
	{{"", NULL, NULL}, {"[{\"app\": {\"name\": \"Inside an array\"}}]", NULL, NULL}},
	/* R01-R03 */
	{{"app", NULL, NULL}, {"\"not an object\"", NULL, NULL}},
	{{"app", NULL, NULL}, {"[{\"name\": \"A\", \"version\": \"1.2.3\"}]", NULL, NULL}},
	{{"app/name", NULL, NULL}, {"@rep:Y:100", NULL, NULL}},
	{{"app/name", NULL, NULL}, {"@rep:Y:101", NULL, NULL}},
	{{"app/name", "vendor/name", NULL}, {"\"Z\"", "\" \"", NULL}},
	{{"app/name", "vendor", NULL}, {"{\"en\": \"CalmPath\"}", "{\"name\": null}", NULL}},
	{{"app/version", NULL, NULL}, {"\"10.20.300\"", NULL, NULL}},
	{{"app/version", NULL, NULL}, {"\"1.2.3.4\"", NULL, NULL}},
	{{"app/version", NULL, NULL}, {"\"1.2.x\"", NULL, NULL}},
	{{"app/version", NULL, NULL}, {"\" 1.2.3\"", NULL, NULL}},
	{{"app/version", NULL, NULL}, {"1.5", NULL, NULL}},
	/* R04, R22: dates */
	{{"submission_date", NULL, NULL}, {"\"2024-02-29\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"2023-02-29\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"2000-02-29\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"2100-02-29\"", NULL, NULL}},
	{{"submission_date", "security/pen_test_date", NULL}, {"\"2020-01-01\"", "\"2019-01-01\"", NULL}},
	{{"submission_date", "security/pen_test_date", NULL}, {"\"2020-01-01\"", "\"2019-01-02\"", NULL}},
	{{"submission_date", "security/pen_test_date", NULL}, {"\"2019-12-31\"", "\"2019-12-31\"", NULL}},
	{{"submission_date", "security/pen_test_date", NULL}, {"\"2021-03-01\"", "\"2020-03-01\"", NULL}},
	{{"submission_date", "security/pen_test_date", NULL}, {"\"2021-02-28\"", "\"2020-02-29\"", NULL}},
	{{"submission_date", NULL, NULL}, {"\"2024-04-31\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"2024-00-10\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"2024-06-00\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\" 2024-01-01\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"2024-01-01T00:00:00Z\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"20240101\"", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"20240101", NULL, NULL}},
	{{"submission_date", NULL, NULL}, {"\"9999-12-31\"", NULL, NULL}},
	{{"security/pen_test_date", NULL, NULL}, {"\"0000-01-01\"", NULL, NULL}},
	{{"security/pen_test_date", NULL, NULL}, {"@day:0", NULL, NULL}},
	{{"security/pen_test_date", NULL, NULL}, {"@day:-365", NULL, NULL}},
	{{"security/pen_test_date", NULL, NULL}, {"@day:-366", NULL, NULL}},
	{{"security/pen_test_date", NULL, NULL}, {"@day:1", NULL, NULL}},
	{{"security/pen_test_date", NULL, NULL}, {"\"2024-02-30\"", NULL, NULL}},
	{{"security", NULL, NULL}, {"\"none\"", NULL, NULL}},
	/* R05, R06 */
	{{"intended_purpose", NULL, NULL}, {"@rep:p:49", NULL, NULL}},
	{{"intended_purpose", NULL, NULL}, {"@rep:p:50", NULL, NULL}},
	{{"risk_tier", NULL, NULL}, {"[\"C\"]", NULL, NULL}},
	{{"risk_tier", NULL, NULL}, {"\"C\"", NULL, NULL}},
	{{"risk_tier", NULL, NULL}, {"\"b\"", NULL, NULL}},
	{{"risk_tier", NULL, NULL}, {"\"\"", NULL, NULL}},
	/* R07-R09 */
	{{"target_users", NULL, NULL}, {"[\"children\"]", NULL, NULL}},
	{{"target_users/age_groups", NULL, NULL}, {"{\"0\": \"children\"}", NULL, NULL}},
	{{"target_users/age_groups", NULL, NULL}, {"[null, \"children\", 7]", NULL, NULL}},
	{{"target_users/age_groups", NULL, NULL}, {"[]", NULL, NULL}},
	{{"target_users/age_groups", NULL, NULL}, {"\"children\"", NULL, NULL}},
	{{"target_users/age_groups", "target_users/parental_consent_required", NULL},
	 {"[\"adolescents\"]", "1", NULL}},
	{{"target_users/age_groups", "target_users/parental_consent_required", NULL},
	 {"[\"adolescents\"]", "\"true\"", NULL}},
	{{"target_users/age_groups", "target_users/parental_consent_required", NULL},
	 {"[\"older_adults\", \"children\"]", "true", NULL}},
	{{"target_users/age_groups", "data_protection/third_party_sharing", NULL},
	 {"[\"children\"]", "{\"x\": {\"recipient\": \"A\", \"purpose\": \"advertising\"}}", NULL}},
	{{"target_users/age_groups", "data_protection/third_party_sharing", NULL},
	 {"[\"children\"]", "[null, {\"recipient\": \"A\", \"purpose\": \"advertising\"}]", NULL}},
	{{"target_users/age_groups", "data_protection/third_party_sharing", NULL},
	 {"[\"children\"]", "[{\"recipient\": \"A\", \"purpose\": \"Advertising\"}]", NULL}},
	{{"target_users/age_groups", "data_protection", NULL}, {"[\"children\"]", "null", NULL}},
	/* R10-R15: claims and evidence */
	{{"clinical_claims", NULL, NULL}, {"[1, 2]", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"[\"CURED in 3 days\"]", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"[\"incurable? no\", \"guaranteed_results\"]", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"[\"no cure-all\"]", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"[]", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"[null]", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"\"cures anxiety\"", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"@claims:10", NULL, NULL}},
	{{"clinical_claims", NULL, NULL}, {"@claims:11", NULL, NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"C\"", "[null, 5, \"RCT\", {\"design\": \"RCT\", \"n\": 100, \"published\": true}]", NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"C\"", "{\"a\": {\"design\": \"RCT\", \"n\": 500, \"published\": true, \"doi\": \"10.1234/x\"}}", NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"C\"", "[{\"design\": \"RCT\", \"n\": 100.5, \"published\": true, \"doi\": \"10.1234/x y\"}]", NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"C\"", "[{\"design\": \"RCT\", \"n\": \"100\", \"published\": \"true\"}]", NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"C\"", "[{\"design\": \"RCT\", \"n\": 99.99, \"published\": false, \"doi\": null}]", NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"C\"", "[{\"design\": \"RCT\", \"n\": 1e2, \"published\": true, \"doi\": \"10.12345/a.b\"}]", NULL}},
	{{"risk_tier", "clinical_evidence", NULL},
	 {"\"B\"", "[{\"design\": \"rct\", \"n\": 300, \"published\": false}, {\"design\": \"cohort\", \"n\": 40, \"published\": true, \"doi\": \"10.123/x\"}]", NULL}},
	{{"clinical_evidence", NULL, NULL},
	 {"[{\"design\": \"cohort\", \"n\": 40, \"published\": true, \"doi\": \"10.1234567890/x\"}]", NULL, NULL}},
	{{"clinical_evidence", NULL, NULL},
	 {"[{\"design\": \"cohort\", \"n\": 40, \"published\": true, \"doi\": \"10.123456789/x\"}]", NULL, NULL}},
	{{"clinical_evidence", NULL, NULL},
	 {"[{\"design\": \"cohort\", \"n\": 40, \"published\": true, \"doi\": \"10.1234/\"}]", NULL, NULL}},
	{{"clinical_evidence", NULL, NULL},
	 {"[{\"design\": \"qualitative\", \"published\": true, \"doi\": 101234}]", NULL, NULL}},
	{{"clinical_evidence", NULL, NULL},
	 {"[{\"design\": \"service_evaluation\", \"published\": false, \"doi\": \"not a doi\"}]", NULL, NULL}},
	{{"clinical_evidence", NULL, NULL}, {"[[]]", NULL, NULL}},
	/* R16-R21 */
	{{"data_protection/dpia_completed", NULL, NULL}, {"\"true\"", NULL, NULL}},
	{{"data_protection/dsp_toolkit_status", NULL, NULL}, {"[\"standards_met\"]", NULL, NULL}},
	{{"data_protection/data_stored_in", NULL, NULL}, {"[\"gb\"]", NULL, NULL}},
	{{"data_protection/data_stored_in", NULL, NULL}, {"[\"GB\", \"NO\", \"LI\", \"IS\", \"HR\", \"CY\"]", NULL, NULL}},
	{{"data_protection/data_stored_in", NULL, NULL}, {"[\"GB\", null]", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"2555", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"2555.0", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"30", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"29.999", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"2555.5", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"1e3", NULL, NULL}},
	{{"data_protection/retention_days", NULL, NULL}, {"true", NULL, NULL}},
	{{"data_protection/third_party_sharing", NULL, NULL},
	 {"[{\"recipient\": [\"A\"], \"purpose\": \"hosting\"}]", NULL, NULL}},
	{{"data_protection/third_party_sharing", NULL, NULL},
	 {"[{\"recipient\": \"A\", \"purpose\": \"advertising\"}]", NULL, NULL}},
	{{"data_protection/third_party_sharing", NULL, NULL}, {"@share:5", NULL, NULL}},
	{{"data_protection/third_party_sharing", NULL, NULL}, {"@share:6", NULL, NULL}},
	{{"data_protection/third_party_sharing", NULL, NULL}, {"[{\"recipient\": \"A\"}]", NULL, NULL}},
	{{"data_protection/third_party_sharing", NULL, NULL}, {"null", NULL, NULL}},
	/* R23-R27 */
	{{"security/cyber_essentials_plus", NULL, NULL}, {"1", NULL, NULL}},
	{{"security/encryption_in_transit_tls_version", NULL, NULL}, {"1.3", NULL, NULL}},
	{{"security/encryption_in_transit_tls_version", NULL, NULL}, {"\"1.3 \"", NULL, NULL}},
	{{"risk_tier", "clinical_safety/clinical_safety_officer/registration", NULL},
	 {"\"B\"", "\"HCPC1234567\"", NULL}},
	{{"risk_tier", "clinical_safety/clinical_safety_officer/registration", NULL},
	 {"\"B\"", "\"HCPC12345678\"", NULL}},
	{{"risk_tier", "clinical_safety/clinical_safety_officer/registration", NULL},
	 {"\"C\"", "\"XGMC1234567\"", NULL}},
	{{"risk_tier", "clinical_safety/dcb0129_hazard_log", NULL}, {"\"C\"", "\"true\"", NULL}},
	{{"risk_tier", "clinical_safety", NULL}, {"\"B\"", "[]", NULL}},
	{{"accessibility/wcag_level", NULL, NULL}, {"\"AAA\"", NULL, NULL}},
	{{"accessibility", NULL, NULL}, {"\"AA\"", NULL, NULL}},
	{{"crisis_support/helpline_numbers", NULL, NULL}, {"[\"+\", \"+4\", \"0123456789012345\", \"01234567890123 \"]", NULL, NULL}},
	{{"crisis_support/helpline_numbers", NULL, NULL}, {"[\"+4 4\", \"123456789012345\", \"11 \"]", NULL, NULL}},
	{{"crisis_support/helpline_numbers", NULL, NULL}, {"[\"1234567890123456\"]", NULL, NULL}},
	{{"crisis_support/helpline_numbers", NULL, NULL}, {"[\"++44 1\"]", NULL, NULL}},
	{{"crisis_support/helpline_numbers", NULL, NULL}, {"\"111\"", NULL, NULL}},
	{{"crisis_support/signposting", NULL, NULL}, {"1", NULL, NULL}},
	/* R28, R29: policy text */
	{{"privacy_policy_text", NULL, NULL}, {"\"We RETAIN data. We may SELL-your personal data\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"selling. data\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"advertisingx; retention_policy\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"[\"retention\"]", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"Retained: yes. TARGETED ADS: none\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"Targeted  ads are off. retains\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"We sold\\n\\nyour data, retention 5 days\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"We sold it. Data is kept\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL},
	 {"\"We sell 0123456789012345678901234567890123456789 data\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL},
	 {"\"We sell 01234567890123456789012345678901234567890 data\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"sold-information retention\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"resold information; retention\"", NULL, NULL}},
	{{"privacy_policy_text", NULL, NULL}, {"\"Retention\\tperiod: 30 days.\"", NULL, NULL}},
	/* R30 */
	{{"evidence_files", NULL, NULL},
	 {"[{\"name\": \"a\", \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}, "
	  "{\"name\": \"a\", \"sha256\": \"1111111111111111111111111111111111111111111111111111111111111111\"}]", NULL, NULL}},
	{{"evidence_files", NULL, NULL},
	 {"[{\"name\": \"a\", \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}, "
	  "{\"sha256\": \"1111111111111111111111111111111111111111111111111111111111111111\"}]", NULL, NULL}},
	{{"evidence_files", NULL, NULL},
	 {"[{\"name\": \"a\", \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}, "
	  "{\"name\": \"A\", \"sha256\": \"abcdef0000000000000000000000000000000000000000000000000000000000\"}]", NULL, NULL}},
	{{"evidence_files", NULL, NULL},
	 {"[{\"name\": 1, \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}]", NULL, NULL}},
	{{"evidence_files", NULL, NULL},
	 {"[{\"name\": \"x\", \"sha256\": \"000000000000000000000000000000000000000000000000000000000000000g\"}]", NULL, NULL}},
	{{"evidence_files", NULL, NULL}, {"@files:20", NULL, NULL}},
	{{"evidence_files", NULL, NULL}, {"@files:21", NULL, NULL}},
	{{"evidence_files", NULL, NULL}, {"[null]", NULL, NULL}},
	{{"evidence_files", NULL, NULL}, {"[]", NULL, NULL}},
	{{"evidence_files", NULL, NULL}, {"{\"name\": \"a\"}", NULL, NULL}},
};

static cJSON *edge_value(const char *spec, long subday)
{
	if (strncmp(spec, "@rep:", 5) == 0) {
		char c = spec[5];
		long n = strtol(spec + 7, NULL, 10);
		return j_rep(c, (size_t)n);
	}
	if (strncmp(spec, "@day:", 5) == 0)
		return j_date(subday + strtol(spec + 5, NULL, 10));
	long n = 0;
	const char *colon = strchr(spec, ':');
	if (colon)
		n = strtol(colon + 1, NULL, 10);
	if (strncmp(spec, "@files:", 7) == 0) {
		cJSON *a = j_arr();
		for (long k = 0; k < n; k++) {
			cJSON *f = j_obj();
			j_set(f, "name", j_strf("file_%02ld.pdf", k));
			j_set(f, "sha256", j_strf("%064lx", (unsigned long)(k * 7919 + 1)));
			j_push(a, f);
		}
		return a;
	}
	if (strncmp(spec, "@claims:", 8) == 0) {
		cJSON *a = j_arr();
		for (long k = 0; k < n; k++)
			j_push(a, j_strf("supports self-management, point %ld", k + 1));
		return a;
	}
	if (strncmp(spec, "@share:", 7) == 0) {
		cJSON *a = j_arr();
		for (long k = 0; k < n; k++) {
			cJSON *e = j_obj();
			j_set(e, "recipient", j_strf("Partner %ld", k + 1));
			j_set(e, "purpose", j_str(PURPOSE_OK[k % (long)COUNT(PURPOSE_OK)]));
			j_push(a, e);
		}
		return a;
	}
	return j_parse(spec);
}

/* Assigns value at path ("a/b/c") in *doc; "" replaces the document. */
static void edge_assign(cJSON **doc, const char *path, cJSON *value)
{
	if (!*path) {
		cJSON_Delete(*doc);
		*doc = value;
		return;
	}
	cJSON *node = *doc;
	char key[128];
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		if (n >= sizeof key)
			die("edge-case path step too long");
		memcpy(key, path, n);
		key[n] = '\0';
		if (!slash) {
			j_set(node, key, value);
			return;
		}
		cJSON *next = j_get(node, key);
		if (!cJSON_IsObject(next)) {
			next = j_obj();
			j_set(node, key, next);
		}
		node = next;
		path = slash + 1;
	}
}

static void write_edge_cases(uint64_t seed, const char *dir)
{
	gen g;
	rng_seed(&g.r, seed ^ 0x6564676563617365ULL); /* a stream of its own */
	g.bad_rate = 0.0;
	for (size_t k = 0; k < COUNT(EDGES); k++) {
		long subday = 0;
		cJSON *doc = submission(&g, 900000 + (long)k, &subday);
		for (int a = 0; a < 3 && EDGES[k].path[a]; a++)
			edge_assign(&doc, EDGES[k].path[a], edge_value(EDGES[k].value[a], subday));
		char name[32];
		snprintf(name, sizeof name, "edge_%03zu.json", k);
		write_doc(dir, name, doc, 1);
		cJSON_Delete(doc);
	}
}

/* ------------------------------------------------------------------------ */

static void mkdir_p(const char *path)
{
	char *p = strdup(path);
	if (!p)
		die("out of memory");
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "gen_corpus: mkdir %s: %s\n", p, strerror(errno));
			exit(2);
		}
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen_corpus: mkdir %s: %s\n", p, strerror(errno));
		exit(2);
	}
	free(p);
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: gen_corpus --n N --seed S --out DIR [--bad-rate R] [--edge-cases]\n"
	        "                  [--pathological K] [--deep-depth D] [--huge-mb M]\n");
	exit(2);
}

static long long parse_ll(const char *s, long long lo, long long hi)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		usage();
	return v;
}

static double parse_d(const char *s, double lo, double hi)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		usage();
	return v;
}

int main(int argc, char **argv)
{
	long long n = -1, pathological = 0, deep_depth = 160;
	unsigned long long seed = 0;
	int have_seed = 0, edge_cases = 0;
	double bad_rate = 0.15, huge_mb = 4.0;
	const char *out = NULL;
	for (int a = 1; a < argc; a++) {
		const char *o = argv[a];
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;
		if (strcmp(o, "--edge-cases") == 0) {
			edge_cases = 1;
			continue;
		}
		if (!v)
			usage();
		a++;
		if (strcmp(o, "--n") == 0) {
			n = parse_ll(v, 0, 9999999);
		} else if (strcmp(o, "--seed") == 0) {
			char *end;
			errno = 0;
			seed = strtoull(v, &end, 10);
			if (errno || end == v || *end || *v == '-')
				usage();
			have_seed = 1;
		} else if (strcmp(o, "--out") == 0) {
			out = v;
		} else if (strcmp(o, "--bad-rate") == 0) {
			bad_rate = parse_d(v, 0.0, 1.0);
		} else if (strcmp(o, "--pathological") == 0) {
			pathological = parse_ll(v, 0, 1000);
		} else if (strcmp(o, "--deep-depth") == 0) {
			deep_depth = parse_ll(v, 0, 100000);
		} else if (strcmp(o, "--huge-mb") == 0) {
			huge_mb = parse_d(v, 0.0, 1024.0);
		} else {
			usage();
		}
	}
	if (n < 0 || !have_seed || !out)
		usage();
	mkdir_p(out);

	gen g;
	rng_seed(&g.r, seed);
	g.bad_rate = bad_rate;
	char name[32];
	for (long long i = 0; i < n; i++) {
		cJSON *doc = submission(&g, (long)i, NULL);
		snprintf(name, sizeof name, "sub_%06lld.json", i);
		write_doc(out, name, doc, 1);
		cJSON_Delete(doc);
	}
	if (edge_cases)
		write_edge_cases(seed, out);
	for (long long j = 0; j < pathological; j++) {
		long long i = n + j;
		cJSON *doc = submission(&g, (long)i, NULL);
		if (j % 2 == 0) {
			j_set(doc, "extensions", deep((long)deep_depth));
		} else {
			const char *sale = "We will sell your data.";
			size_t target = (size_t)(huge_mb * 1024.0 * 1024.0);
			char *text = prose(&g.r, target, &sale, j % 4 == 1 ? 1 : 0);
			j_set(doc, "privacy_policy_text", j_str(text));
			free(text);
			cJSON *app = j_get(doc, "app");
			if (cJSON_IsObject(app))
				j_set(app, "name", j_rep('Y', 100));
		}
		snprintf(name, sizeof name, "sub_%06lld.json", i);
		write_doc(out, name, doc, 0);
		cJSON_Delete(doc);
	}
	return 0;
}
