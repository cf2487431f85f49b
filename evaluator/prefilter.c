/*
 * prefilter.c - required literals of a PCRE2 pattern, looked for in a text
 * before PCRE2 runs, so that a text that cannot match is not searched.
 *
 * The analyser reads the pattern text and understands only a small subset:
 * literal characters, escaped punctuation, \t \n \r \f, the zero-width \b \B
 * \A \z \Z ^ $, capturing, named and non-capturing groups, alternation,
 * quantifiers (* + ? {n} {n,} {n,m}, lazy or possessive), and as "any one
 * character" (contributing nothing) . \w \W \s \S \d \D \h \H \v \V and
 * character classes. Lookarounds are parsed and then count as zero-width:
 * they consume nothing, so nothing they hold is required in the match. A
 * leading (?i) makes the pattern caseless. Everything else - backreferences,
 * subroutine calls, (?(DEFINE)...), conditionals, atomic groups, other inline
 * options, \Q..\E, \x \p \N \g \k \K and any other lettered escape, POSIX
 * classes, a '{' that is not a quantifier, (*VERB)s, the x flag - refuses:
 * no prefilter, PCRE2 runs as before. Being conservative is the point: a
 * literal that a match could lack would turn a match into "no match".
 *
 * For each node the analyser knows either the finite set of strings it can
 * consume ("exact", e.g. sells? -> {sell, sells}) or not, and a few sets of
 * which every match of the node holds one string ("required"). A sequence's
 * required sets are those of its parts and the products of runs of exact
 * parts; an alternation's is the union of one set from each branch; a part
 * that may repeat zero times requires nothing. The sets whose literals all
 * have 3 bytes or more, the rarest first (English letter frequencies), are
 * kept, at most PF_MAXREQ of them.
 *
 * Caseless: PCRE2 (UTF mode, with or without UCP) matches an ASCII letter
 * caselessly to its ASCII partner, and 'k' and 's' also to U+212A KELVIN SIGN
 * and U+017F LATIN SMALL LETTER LONG S; no other non-ASCII character matches
 * an ASCII one (tests/unit/check_prefilter.c asks PCRE2 for every code point).
 * Caseless literals are therefore made of ASCII only (a non-ASCII character
 * counts as "any one character"), stored in lower case, and the scan accepts
 * "k"/"K"/U+212A for 'k' and "s"/"S"/U+017F for 's'. Case-sensitive literals
 * are plain bytes (UTF-8 is matched byte for byte).
 *
 * The scan looks for two anchor bytes of each literal at once (16 bytes at a
 * time with SSE2, where the compiler has it) and compares the whole literal
 * where both are found; anchors are never 'k' or 's' in caseless literals, so
 * the bytes between them are one per character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define EMH_PREFILTER_AVX2 1
#endif
#include "emheval/buf.h"
#include "evaluator/internal.h"
#include "evaluator/prefilter.h"

#define PF_MAXSTR 16   /* literals in one set */
#define PF_MAXLEN 32   /* bytes in one literal */
#define PF_MAXREQ 3    /* sets kept */
#define PF_MINLEN 3    /* the shortest literal worth looking for */
#define PF_MAXDEPTH 24 /* nested groups */

typedef struct pf_set {
	unsigned n;
	unsigned char len[PF_MAXSTR];
	char s[PF_MAXSTR][PF_MAXLEN];
} pf_set;

typedef struct pf_info {
	int exact_ok;          /* exact: every string the node can consume */
	pf_set exact;
	unsigned nreq;         /* required sets, best (lowest score) first */
	pf_set req[PF_MAXREQ];
	double score[PF_MAXREQ];
} pf_info;

typedef struct pf_parser {
	const char *p;
	size_t i;
	int caseless;
	unsigned depth;
	const char *why;
} pf_parser;

/* One literal as the scan uses it. */
typedef struct pf_lit {
	unsigned char len;
	unsigned char a1; /* where its group's anchor starts in it */
	char s[PF_MAXLEN];
} pf_lit;

/*
 * Literals that share an anchor: a byte (d == 0) or two adjacent bytes
 * (d == 1), each compared folded (the text's byte OR 0x20: a letter, caseless)
 * or as it is.
 */
typedef struct pf_group {
	unsigned char v1, v2, f1, f2, d;
	unsigned char first, count; /* its literals: lit[first .. first + count) */
} pf_group;

typedef struct pf_scanset {
	unsigned n, ngroups;
	pf_group group[PF_MAXSTR];
	pf_lit lit[PF_MAXSTR];
} pf_scanset;

struct emh_prefilter {
	int caseless;
	unsigned nsets;
	pf_scanset set[PF_MAXREQ];
};

/* ---- sets ------------------------------------------------------------------- */

static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(unsigned char c) { return is_lower((unsigned char)(c | 0x20)); }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alnum(unsigned char c) { return is_alpha(c) || is_digit(c); }
/* In a caseless literal: a character a non-ASCII one also matches (so never an anchor). */
static int multi(int caseless, unsigned char c) { return caseless && (c == 'k' || c == 's'); }

/* How often a byte starts a position in English prose (lower is rarer). */
static double freq(unsigned char c)
{
	static const double letters[26] = {
		.082, .015, .028, .043, .127, .022, .020, .061, .070, .0015, .0077, .040, .024,
		.067, .075, .019, .00095, .060, .063, .091, .028, .0098, .024, .0015, .020, .00074};
	if (is_lower(c))
		return letters[c - 'a'];
	if (c >= 'A' && c <= 'Z')
		return letters[c - 'A'] / 10;
	if (c == ' ')
		return .15;
	if (is_digit(c))
		return .005;
	return c < 0x80 ? .01 : .003;
}

static double set_score(const pf_set *s)
{
	double sum = 0;
	for (unsigned j = 0; j < s->n; j++) {
		double p = 1;
		for (unsigned k = 0; k < s->len[j]; k++)
			p *= freq((unsigned char)s->s[j][k]);
		sum += p;
	}
	return sum;
}

static void set_empty_string(pf_set *s)
{
	s->n = 1;
	s->len[0] = 0;
}

static int contains(const char *h, size_t hn, const char *n, size_t nn)
{
	if (nn > hn)
		return 0;
	for (size_t i = 0; i + nn <= hn; i++)
		if (memcmp(h + i, n, nn) == 0)
			return 1;
	return 0;
}

static int str_cmp(const pf_set *s, unsigned a, unsigned b)
{
	size_t n = s->len[a] < s->len[b] ? s->len[a] : s->len[b];
	int c = memcmp(s->s[a], s->s[b], n);
	return c ? c : (int)s->len[a] - (int)s->len[b];
}

/*
 * Keeps, of n strings s[0..n) with lengths len[], one copy of each and none
 * that contains another (a text holding the longer one holds the shorter),
 * sorted; 0 when more than PF_MAXSTR are left.
 */
static int reduce(pf_set *out, char (*s)[PF_MAXLEN], const unsigned char *len, unsigned n)
{
	unsigned char drop[PF_MAXSTR * 2];
	for (unsigned a = 0; a < n; a++) {
		drop[a] = 0;
		for (unsigned b = 0; b < n && !drop[a]; b++) {
			if (a == b)
				continue;
			if (len[a] == len[b] && memcmp(s[a], s[b], len[a]) == 0)
				drop[a] = b < a; /* keep the first copy */
			else if (contains(s[a], len[a], s[b], len[b]))
				drop[a] = 1;
		}
	}
	pf_set r;
	r.n = 0;
	for (unsigned a = 0; a < n; a++) {
		if (drop[a])
			continue;
		if (r.n >= PF_MAXSTR)
			return 0;
		r.len[r.n] = len[a];
		memcpy(r.s[r.n++], s[a], len[a]);
	}
	for (unsigned a = 1; a < r.n; a++) /* insertion sort */
		for (unsigned b = a; b > 0 && str_cmp(&r, b - 1, b) > 0; b--) {
			char t[PF_MAXLEN];
			unsigned char tl = r.len[b];
			memcpy(t, r.s[b], tl);
			r.len[b] = r.len[b - 1];
			memcpy(r.s[b], r.s[b - 1], r.len[b - 1]);
			r.len[b - 1] = tl;
			memcpy(r.s[b - 1], t, tl);
		}
	*out = r;
	return 1;
}

static void set_minimise(pf_set *s)
{
	pf_set in = *s;
	reduce(s, in.s, in.len, in.n); /* cannot grow */
}

/* a := a x b (every string of a followed by every string of b); 0 when too big. */
static int set_cross(pf_set *a, const pf_set *b)
{
	if (a->n * b->n > PF_MAXSTR)
		return 0;
	pf_set r;
	r.n = 0;
	for (unsigned i = 0; i < a->n; i++)
		for (unsigned j = 0; j < b->n; j++) {
			size_t l = (size_t)a->len[i] + b->len[j];
			if (l > PF_MAXLEN)
				return 0;
			memcpy(r.s[r.n], a->s[i], a->len[i]);
			memcpy(r.s[r.n] + a->len[i], b->s[j], b->len[j]);
			r.len[r.n++] = (unsigned char)l;
		}
	*a = r;
	return 1;
}

/* out := a u b, minimised; 0 when too big. */
static int set_union(pf_set *out, const pf_set *a, const pf_set *b)
{
	char s[PF_MAXSTR * 2][PF_MAXLEN];
	unsigned char len[PF_MAXSTR * 2];
	unsigned n = 0;
	for (unsigned i = 0; i < a->n; i++, n++) {
		memcpy(s[n], a->s[i], a->len[i]);
		len[n] = a->len[i];
	}
	for (unsigned i = 0; i < b->n; i++, n++) {
		memcpy(s[n], b->s[i], b->len[i]);
		len[n] = b->len[i];
	}
	return reduce(out, s, len, n);
}

static int set_equal(const pf_set *a, const pf_set *b)
{
	if (a->n != b->n)
		return 0;
	for (unsigned i = 0; i < a->n; i++)
		if (a->len[i] != b->len[i] || memcmp(a->s[i], b->s[i], a->len[i]) != 0)
			return 0;
	return 1;
}

/* Usable as a requirement: every literal long enough and (caseless) with an anchor. */
static int set_usable(const pf_set *s, int caseless)
{
	if (s->n == 0)
		return 0;
	for (unsigned i = 0; i < s->n; i++) {
		if (s->len[i] < PF_MINLEN)
			return 0;
		int anchor = 0;
		for (unsigned k = 0; k < s->len[i] && !anchor; k++)
			anchor = !multi(caseless, (unsigned char)s->s[i][k]);
		if (!anchor)
			return 0;
	}
	return 1;
}

/* Adds set (minimised) to info's required sets if usable, keeping the best PF_MAXREQ. */
static void add_req(pf_info *in, const pf_set *set, int caseless)
{
	pf_set s = *set;
	set_minimise(&s);
	if (!set_usable(&s, caseless))
		return;
	for (unsigned i = 0; i < in->nreq; i++)
		if (set_equal(&in->req[i], &s))
			return;
	double sc = set_score(&s);
	unsigned at = in->nreq;
	while (at > 0 && in->score[at - 1] > sc)
		at--;
	if (at >= PF_MAXREQ)
		return;
	unsigned last = in->nreq < PF_MAXREQ ? in->nreq : PF_MAXREQ - 1;
	for (unsigned i = last; i > at; i--) {
		in->req[i] = in->req[i - 1];
		in->score[i] = in->score[i - 1];
	}
	in->req[at] = s;
	in->score[at] = sc;
	if (in->nreq < PF_MAXREQ)
		in->nreq++;
}

/* ---- the analyser ------------------------------------------------------------ */

static int refuse(pf_parser *ps, const char *why)
{
	if (!ps->why)
		ps->why = why;
	return -1;
}

static void info_unknown(pf_info *a)
{
	a->exact_ok = 0;
	a->nreq = 0;
}

static void info_literal(pf_info *a, const char *bytes, size_t n)
{
	a->exact_ok = 1;
	a->exact.n = 1;
	a->exact.len[0] = (unsigned char)n;
	memcpy(a->exact.s[0], bytes, n);
	a->nreq = 0;
}

static void info_zero_width(pf_info *a)
{
	a->exact_ok = 1;
	set_empty_string(&a->exact);
	a->nreq = 0;
}

static int parse_alt(pf_parser *ps, pf_info *out);

/* [...]: any one character; only its extent matters. */
static int parse_class(pf_parser *ps)
{
	const char *p = ps->p;
	size_t i = ps->i + 1;
	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++; /* a literal ']' first */
	for (;;) {
		unsigned char c = (unsigned char)p[i];
		if (!c)
			return refuse(ps, "unterminated character class");
		if (c == ']')
			break;
		if (c == '\\') {
			unsigned char e = (unsigned char)p[i + 1];
			if (!e || e >= 0x80 || (is_alnum(e) && !strchr("wWsSdDhHvVtnrfb", e)))
				return refuse(ps, "an escape in a class other than \\w \\s \\d \\h \\v (and negations), \\t \\n \\r \\f \\b or punctuation");
			i += 2;
			continue;
		}
		if (c == '[' && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '='))
			return refuse(ps, "a POSIX class");
		i++;
	}
	ps->i = i + 1;
	return 0;
}

static int parse_escape(pf_parser *ps, pf_info *a)
{
	unsigned char e = (unsigned char)ps->p[ps->i + 1];
	if (!e || e >= 0x80)
		return refuse(ps, "an escaped non-ASCII character");
	ps->i += 2;
	if (strchr("bBAzZ", e)) {
		info_zero_width(a);
		return 0;
	}
	if (strchr("wWsSdDhHvV", e)) {
		info_unknown(a);
		return 0;
	}
	char lit = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == 'f' ? '\f' : (char)e;
	if (is_alnum(e) && !strchr("tnrf", e))
		return refuse(ps, "an escape other than \\b \\B \\A \\z \\Z \\w \\W \\s \\S \\d \\D \\h \\H \\v \\V \\t \\n \\r \\f or punctuation");
	info_literal(a, &lit, 1);
	return 0;
}

static int parse_group(pf_parser *ps, pf_info *a)
{
	const char *p = ps->p;
	size_t i = ps->i + 1;
	int look = 0;
	if (p[i] == '*')
		return refuse(ps, "a (*VERB) or start-of-pattern option");
	if (p[i] == '?') {
		char q = p[i + 1];
		if (q == ':') {
			i += 2;
		} else if (q == '=' || q == '!') {
			i += 2;
			look = 1;
		} else if (q == '<' && (p[i + 2] == '=' || p[i + 2] == '!')) {
			i += 3;
			look = 1;
		} else if (q == '<' && (is_alpha((unsigned char)p[i + 2]) || p[i + 2] == '_')) {
			size_t j = i + 2;
			while (is_alnum((unsigned char)p[j]) || p[j] == '_')
				j++;
			if (p[j] != '>')
				return refuse(ps, "a group name");
			i = j + 1;
		} else {
			return refuse(ps, "a group other than (...), (?:...), (?<name>...) or a lookaround, or an inline option after the start");
		}
	}
	if (ps->depth >= PF_MAXDEPTH)
		return refuse(ps, "groups nested too deep");
	ps->i = i;
	ps->depth++;
	int rc = parse_alt(ps, a);
	ps->depth--;
	if (rc)
		return rc;
	if (p[ps->i] != ')')
		return refuse(ps, "an unclosed group");
	ps->i++;
	if (look)
		info_zero_width(a);
	return 0;
}

static int parse_atom(pf_parser *ps, pf_info *a)
{
	const char *p = ps->p;
	unsigned char c = (unsigned char)p[ps->i];
	switch (c) {
	case '(':
		return parse_group(ps, a);
	case '[':
		info_unknown(a);
		return parse_class(ps);
	case '.':
		ps->i++;
		info_unknown(a);
		return 0;
	case '^':
	case '$':
		ps->i++;
		info_zero_width(a);
		return 0;
	case '\\':
		return parse_escape(ps, a);
	case '*': case '+': case '?': case '{': case '}': case ']':
		return refuse(ps, "a quantifier, brace or bracket where a character was expected");
	default:
		break;
	}
	if (c < 0x80) {
		char lit = (char)(ps->caseless && c >= 'A' && c <= 'Z' ? c | 0x20 : c);
		ps->i++;
		info_literal(a, &lit, 1);
		return 0;
	}
	/* A multi-byte character (PCRE2 compiled the pattern as valid UTF-8). */
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	for (size_t k = 1; k < n; k++)
		if (((unsigned char)p[ps->i + k] & 0xC0) != 0x80)
			n = 0;
	if (!n)
		return refuse(ps, "invalid UTF-8 in the pattern");
	if (ps->caseless)
		info_unknown(a); /* its case partners are not ASCII: no caseless literal holds it */
	else
		info_literal(a, p + ps->i, n);
	ps->i += n;
	return 0;
}

#define PF_INF ((unsigned long)-1)

/* A quantifier at ps->i: 1 with its bounds, 0 none, -1 refused. */
static int parse_quantifier(pf_parser *ps, unsigned long *min, unsigned long *max)
{
	const char *p = ps->p;
	size_t i = ps->i;
	switch (p[i]) {
	case '*': *min = 0; *max = PF_INF; i++; break;
	case '+': *min = 1; *max = PF_INF; i++; break;
	case '?': *min = 0; *max = 1; i++; break;
	case '{': {
		/* Only {n}, {n,} and {n,m}: PCRE2 10.42 reads anything else as literal text. */
		size_t j = i + 1;
		unsigned long n = 0, m;
		if (!is_digit((unsigned char)p[j]))
			return refuse(ps, "a '{' that is not a quantifier {n}, {n,} or {n,m}");
		while (is_digit((unsigned char)p[j]) && n < 100000)
			n = n * 10 + (unsigned long)(p[j++] - '0');
		if (p[j] == '}') {
			m = n;
		} else if (p[j] == ',' && p[j + 1] == '}') {
			m = PF_INF;
			j++;
		} else if (p[j] == ',' && is_digit((unsigned char)p[j + 1])) {
			j++;
			m = 0;
			while (is_digit((unsigned char)p[j]) && m < 100000)
				m = m * 10 + (unsigned long)(p[j++] - '0');
			if (p[j] != '}')
				return refuse(ps, "a '{' that is not a quantifier {n}, {n,} or {n,m}");
		} else {
			return refuse(ps, "a '{' that is not a quantifier {n}, {n,} or {n,m}");
		}
		*min = n;
		*max = m;
		i = j + 1;
		break;
	}
	default:
		return 0;
	}
	if (p[i] == '?' || p[i] == '+')
		i++; /* lazy or possessive: the same strings */
	if (p[i] == '*' || p[i] == '+' || p[i] == '?' || p[i] == '{')
		return refuse(ps, "a quantifier after a quantifier");
	ps->i = i;
	return 1;
}

static void apply_quantifier(pf_info *a, unsigned long min, unsigned long max, int caseless)
{
	if (min == 0) {
		if (max == 1 && a->exact_ok && a->exact.n < PF_MAXSTR) {
			int has_empty = 0;
			for (unsigned k = 0; k < a->exact.n; k++)
				has_empty |= a->exact.len[k] == 0;
			if (!has_empty)
				a->exact.len[a->exact.n++] = 0;
			a->nreq = 0;
		} else {
			info_unknown(a); /* may be absent from the match */
		}
		return;
	}
	if (max == 1)
		return; /* exactly once */
	if (a->exact_ok) {
		add_req(a, &a->exact, caseless); /* once at least */
		a->exact_ok = 0;
	}
}

/* A sequence up to '|', ')' or the end. */
static int parse_seq(pf_parser *ps, pf_info *out)
{
	pf_info *atom = emh_malloc(sizeof *atom);
	if (!atom)
		return refuse(ps, "out of memory");
	pf_set run; /* the strings the exact parts since the last inexact one consume */
	set_empty_string(&run);
	int all_exact = 1;
	out->nreq = 0;
	while (ps->p[ps->i] && ps->p[ps->i] != '|' && ps->p[ps->i] != ')') {
		if (parse_atom(ps, atom))
			goto refused;
		unsigned long min, max;
		int q = parse_quantifier(ps, &min, &max);
		if (q < 0)
			goto refused;
		if (q)
			apply_quantifier(atom, min, max, ps->caseless);
		if (atom->exact_ok) {
			if (!set_cross(&run, &atom->exact)) {
				add_req(out, &run, ps->caseless);
				all_exact = 0;
				run = atom->exact;
			}
		} else {
			add_req(out, &run, ps->caseless);
			set_empty_string(&run);
			all_exact = 0;
			for (unsigned k = 0; k < atom->nreq; k++)
				add_req(out, &atom->req[k], ps->caseless);
		}
	}
	add_req(out, &run, ps->caseless);
	out->exact_ok = all_exact;
	if (all_exact)
		out->exact = run;
	free(atom);
	return 0;
refused:
	free(atom);
	return -1;
}

/* Branches up to ')' or the end. */
static int parse_alt(pf_parser *ps, pf_info *out)
{
	if (parse_seq(ps, out))
		return -1;
	if (ps->p[ps->i] != '|')
		return 0;
	pf_info *br = emh_malloc(sizeof *br * 2);
	if (!br)
		return refuse(ps, "out of memory");
	pf_info *acc = br + 1;
	while (ps->p[ps->i] == '|') {
		ps->i++;
		if (parse_seq(ps, br)) {
			free(br);
			return -1;
		}
		/* Exact: the union, when both are exact and it fits. */
		if (out->exact_ok && br->exact_ok) {
			pf_set u;
			u.n = 0;
			if (out->exact.n + br->exact.n <= PF_MAXSTR) {
				for (unsigned k = 0; k < out->exact.n; k++) {
					u.len[u.n] = out->exact.len[k];
					memcpy(u.s[u.n++], out->exact.s[k], out->exact.len[k]);
				}
				for (unsigned k = 0; k < br->exact.n; k++) {
					int dup = 0;
					for (unsigned m = 0; m < u.n && !dup; m++)
						dup = u.len[m] == br->exact.len[k] && memcmp(u.s[m], br->exact.s[k], u.len[m]) == 0;
					if (!dup) {
						u.len[u.n] = br->exact.len[k];
						memcpy(u.s[u.n++], br->exact.s[k], br->exact.len[k]);
					}
				}
				out->exact = u;
			} else {
				out->exact_ok = 0;
			}
		} else {
			out->exact_ok = 0;
		}
		/* Required: a match takes one branch, so it holds a string of one set of each. */
		acc->nreq = 0;
		for (unsigned x = 0; x < out->nreq; x++)
			for (unsigned y = 0; y < br->nreq; y++) {
				pf_set u;
				if (set_union(&u, &out->req[x], &br->req[y]))
					add_req(acc, &u, ps->caseless);
			}
		out->nreq = acc->nreq;
		for (unsigned k = 0; k < acc->nreq; k++) {
			out->req[k] = acc->req[k];
			out->score[k] = acc->score[k];
		}
	}
	free(br);
	return 0;
}

/* ---- building the scan -------------------------------------------------------- */

/* In literal l, character k can anchor: one byte in every text that holds the literal. */
static int can_anchor(const pf_set *set, unsigned l, size_t k, int caseless)
{
	return k < set->len[l] && !multi(caseless, (unsigned char)set->s[l][k]);
}

/* The first place in literal l where the anchor (c1, c2, d) is; -1 when none. */
static int anchor_at(const pf_set *set, unsigned l, int caseless, unsigned char c1, unsigned char c2,
                     unsigned d)
{
	for (size_t k = 0; k < set->len[l]; k++)
		if (can_anchor(set, l, k, caseless) && (unsigned char)set->s[l][k] == c1 &&
		    (d == 0 || (can_anchor(set, l, k + 1, caseless) && (unsigned char)set->s[l][k + 1] == c2)))
			return (int)k;
	return -1;
}

/* 1 when literal l has two adjacent characters that can anchor. */
static int has_pair(const pf_set *set, unsigned l, int caseless)
{
	for (size_t k = 0; k + 1 < set->len[l]; k++)
		if (can_anchor(set, l, k, caseless) && can_anchor(set, l, k + 1, caseless))
			return 1;
	return 0;
}

/*
 * Groups the set's literals by shared anchors, greedily: each round takes
 * the anchor (a pair of adjacent characters, or one character for a literal
 * without such a pair) that costs least per literal it covers - one pass
 * over the text, plus a comparison of each covered literal wherever the
 * anchor occurs (English frequencies).
 */
static void make_scanset(pf_scanset *ss, const pf_set *set, int caseless)
{
	unsigned char done[PF_MAXSTR] = {0};
	ss->n = 0;
	ss->ngroups = 0;
	while (ss->n < set->n) {
		double best = 0;
		unsigned char b1 = 0, b2 = 0;
		unsigned bd = 0;
		int found = 0;
		for (unsigned l = 0; l < set->n; l++) {
			if (done[l])
				continue;
			unsigned d = has_pair(set, l, caseless) ? 1 : 0;
			for (size_t k = 0; k + d < set->len[l]; k++) {
				if (!can_anchor(set, l, k, caseless) || (d && !can_anchor(set, l, k + 1, caseless)))
					continue;
				unsigned char c1 = (unsigned char)set->s[l][k], c2 = d ? (unsigned char)set->s[l][k + 1] : c1;
				unsigned covered = 0;
				for (unsigned o = 0; o < set->n; o++)
					covered += !done[o] && anchor_at(set, o, caseless, c1, c2, d) >= 0;
				double rate = d ? freq(c1) * freq(c2) * 4 : freq(c1);
				double cost = (0.5 + rate * 20 * covered) / covered;
				if (!found || cost < best) {
					found = 1;
					best = cost;
					b1 = c1;
					b2 = c2;
					bd = d;
				}
			}
		}
		/* Every literal has a character that can anchor (set_usable), so one was found. */
		pf_group *g = &ss->group[ss->ngroups++];
		g->v1 = b1;
		g->v2 = b2;
		g->d = (unsigned char)bd;
		g->f1 = caseless && is_lower(b1);
		g->f2 = caseless && is_lower(b2);
		g->first = (unsigned char)ss->n;
		g->count = 0;
		for (unsigned l = 0; l < set->n; l++) {
			int at = done[l] ? -1 : anchor_at(set, l, caseless, b1, b2, bd);
			if (at < 0)
				continue;
			pf_lit *lit = &ss->lit[ss->n++];
			lit->len = set->len[l];
			lit->a1 = (unsigned char)at;
			memcpy(lit->s, set->s[l], set->len[l]);
			done[l] = 1;
			g->count++;
		}
	}
}

emh_prefilter *emh_prefilter_build(const char *pattern, const char *flags, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = NULL;
	if (flags && strchr(flags, 'x')) {
		*why = "the x flag";
		return NULL;
	}
	pf_parser ps = { pattern, 0, flags && strchr(flags, 'i') != NULL, 0, NULL };
	if (strncmp(pattern, "(?i)", 4) == 0) {
		ps.caseless = 1;
		ps.i = 4;
	}
	pf_info *top = emh_malloc(sizeof *top);
	if (!top) {
		*why = "out of memory";
		return NULL;
	}
	int rc = parse_alt(&ps, top);
	if (!rc && pattern[ps.i] != '\0')
		rc = refuse(&ps, "an unbalanced ')'");
	if (!rc && top->nreq == 0)
		rc = refuse(&ps, "no set of at most 16 literals of 3 bytes or more is required");
	emh_prefilter *pf = NULL;
	if (!rc) {
		pf = emh_calloc(1, sizeof *pf);
		if (!pf) {
			refuse(&ps, "out of memory");
		} else {
			pf->caseless = ps.caseless;
			pf->nsets = top->nreq;
			for (unsigned k = 0; k < top->nreq; k++) {
				make_scanset(&pf->set[k], &top->req[k], ps.caseless);
			}
		}
	}
	*why = ps.why;
	free(top);
	return pf;
}

void emh_prefilter_free(emh_prefilter *pf)
{
	free(pf);
}

static int lit_cmp(const void *a, const void *b)
{
	const pf_lit *x = *(const pf_lit *const *)a, *y = *(const pf_lit *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (int)x->len - (int)y->len;
}

size_t emh_prefilter_describe(const emh_prefilter *pf, char *dst, size_t size)
{
	emh_buf b = EMH_BUF_INIT;
	if (pf->caseless)
		emh_buf_puts(&b, "i:");
	for (unsigned k = 0; k < pf->nsets; k++) {
		const pf_lit *sorted[PF_MAXSTR];
		for (unsigned j = 0; j < pf->set[k].n; j++)
			sorted[j] = &pf->set[k].lit[j];
		qsort(sorted, pf->set[k].n, sizeof *sorted, lit_cmp);
		if (k)
			emh_buf_puts(&b, " & ");
		for (unsigned j = 0; j < pf->set[k].n; j++) {
			if (j)
				emh_buf_puts(&b, "|");
			emh_buf_append(&b, sorted[j]->s, sorted[j]->len);
		}
	}
	size_t n = b.len;
	if (size)
		snprintf(dst, size, "%s", emh_buf_ok(&b) ? emh_buf_cstr(&b) : "");
	emh_buf_dispose(&b);
	return n;
}

/* ---- the scan ------------------------------------------------------------------- */

/* Caseless: byte b matches literal character c (lower case, not 'k' or 's'). */
static int fold_eq(unsigned char b, unsigned char c)
{
	return b == c || (is_lower(c) && (b | 0x20) == c);
}

/* The literal, caseless, with its anchor a1 at t[p]: the text around p holds it. */
static int verify_caseless(const pf_lit *l, const unsigned char *t, size_t n, size_t p)
{
	size_t q = p;
	for (size_t k = l->a1; k < l->len; k++) {
		unsigned char c = (unsigned char)l->s[k];
		if (q >= n)
			return 0;
		unsigned char b = t[q];
		if (c == 's') {
			if ((b | 0x20) == 's')
				q++;
			else if (b == 0xC5 && q + 1 < n && t[q + 1] == 0xBF)
				q += 2; /* U+017F */
			else
				return 0;
		} else if (c == 'k') {
			if ((b | 0x20) == 'k')
				q++;
			else if (b == 0xE2 && q + 2 < n && t[q + 1] == 0x84 && t[q + 2] == 0xAA)
				q += 3; /* U+212A */
			else
				return 0;
		} else if (fold_eq(b, c)) {
			q++;
		} else {
			return 0;
		}
	}
	q = p;
	for (size_t k = l->a1; k-- > 0;) {
		unsigned char c = (unsigned char)l->s[k];
		if (q == 0)
			return 0;
		unsigned char b = t[q - 1];
		if (c == 's') {
			if ((b | 0x20) == 's')
				q--;
			else if (b == 0xBF && q >= 2 && t[q - 2] == 0xC5)
				q -= 2;
			else
				return 0;
		} else if (c == 'k') {
			if ((b | 0x20) == 'k')
				q--;
			else if (b == 0xAA && q >= 3 && t[q - 3] == 0xE2 && t[q - 2] == 0x84)
				q -= 3;
			else
				return 0;
		} else if (fold_eq(b, c)) {
			q--;
		} else {
			return 0;
		}
	}
	return 1;
}

static int verify(const pf_lit *l, int caseless, const unsigned char *t, size_t n, size_t p)
{
	if (caseless)
		return verify_caseless(l, t, n, p);
	return p >= l->a1 && n - (p - l->a1) >= l->len && memcmp(t + p - l->a1, l->s, l->len) == 0;
}

/* At text position p, group g's anchor begins (p + g->d < n). */
static int group_at(const pf_group *g, const unsigned char *t, size_t p)
{
	unsigned b1 = t[p] | (g->f1 ? 0x20u : 0u), b2 = t[p + g->d] | (g->f2 ? 0x20u : 0u);
	return b1 == g->v1 && b2 == g->v2;
}

static int group_verify(const pf_scanset *ss, const pf_group *g, int caseless, const unsigned char *t,
                        size_t n, size_t p)
{
	for (unsigned j = g->first; j < (unsigned)g->first + g->count; j++)
		if (verify(&ss->lit[j], caseless, t, n, p))
			return 1;
	return 0;
}

static int portable_only; /* emh_prefilter__portable */

void emh_prefilter__portable(int on)
{
	portable_only = on;
}

#if defined(EMH_PREFILTER_AVX2)
/*
 * scan_group's loop 32 bytes at a time in one AVX2 register, for processors
 * that have it (chosen at run time): half the instructions of the SSE2 loop.
 * Returns where it stopped (the caller finishes the tail), or n + 1 on a match.
 */
__attribute__((target("avx2")))
static size_t scan_group_avx2(const pf_scanset *ss, const pf_group *g, int caseless, const unsigned char *t,
                              size_t n)
{
	const __m256i v1 = _mm256_set1_epi8((char)g->v1), v2 = _mm256_set1_epi8((char)g->v2);
	const __m256i f1 = _mm256_set1_epi8(g->f1 ? 0x20 : 0), f2 = _mm256_set1_epi8(g->f2 ? 0x20 : 0);
	size_t i = 0;
	for (; i + 32 + g->d <= n; i += 32) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(t + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(t + i + g->d));
		__m256i hit = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_or_si256(a, f1), v1),
		                               _mm256_cmpeq_epi8(_mm256_or_si256(b, f2), v2));
		unsigned mask = (unsigned)_mm256_movemask_epi8(hit);
		while (mask) {
			if (group_verify(ss, g, caseless, t, n, i + (unsigned)__builtin_ctz(mask)))
				return n + 1;
			mask &= mask - 1;
		}
	}
	return i;
}
#endif

/* 1 when t[0..n) holds one of group g's literals (one pass over the text per group). */
static int scan_group(const pf_scanset *ss, const pf_group *g, int caseless, const unsigned char *t, size_t n)
{
	size_t i = 0;
#if defined(EMH_PREFILTER_AVX2)
	if (!portable_only && __builtin_cpu_supports("avx2")) {
		if ((i = scan_group_avx2(ss, g, caseless, t, n)) > n)
			return 1;
		goto tail;
	}
#endif
#if defined(__SSE2__)
	const __m128i v1 = _mm_set1_epi8((char)g->v1), v2 = _mm_set1_epi8((char)g->v2);
	const __m128i f1 = _mm_set1_epi8(g->f1 ? 0x20 : 0), f2 = _mm_set1_epi8(g->f2 ? 0x20 : 0);
	for (; i + 32 + g->d <= n; i += 32) {
		const __m128i *p = (const __m128i *)(const void *)(t + i);
		const __m128i *q = (const __m128i *)(const void *)(t + i + g->d);
		__m128i a = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(p), f1), v1),
		                          _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(q), f2), v2));
		__m128i b = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(p + 1), f1), v1),
		                          _mm_cmpeq_epi8(_mm_or_si128(_mm_loadu_si128(q + 1), f2), v2));
		unsigned mask = (unsigned)_mm_movemask_epi8(a) | (unsigned)_mm_movemask_epi8(b) << 16;
		while (mask) {
			if (group_verify(ss, g, caseless, t, n, i + (unsigned)__builtin_ctz(mask)))
				return 1;
			mask &= mask - 1;
		}
	}
#endif
#if defined(EMH_PREFILTER_AVX2)
tail:
#endif
	for (; i + g->d < n; i++)
		if (group_at(g, t, i) && group_verify(ss, g, caseless, t, n, i))
			return 1;
	return 0;
}

/* 1 when t[0..n) holds one of the set's literals. */
static int scan_set(const pf_scanset *ss, int caseless, const unsigned char *t, size_t n)
{
	for (unsigned j = 0; j < ss->ngroups; j++)
		if (scan_group(ss, &ss->group[j], caseless, t, n))
			return 1;
	return 0;
}

int emh_prefilter_may_match(const emh_prefilter *pf, const char *s, size_t len)
{
	for (unsigned k = 0; k < pf->nsets; k++)
		if (!scan_set(&pf->set[k], pf->caseless, (const unsigned char *)s, len))
			return 0;
	return 1;
}
