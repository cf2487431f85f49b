/*
 * textnorm.c - evidence text normalised before the text checks (issue 17
 * item 7): a disqualifying sentence must not escape a regex because a vendor
 * put soft hyphens or zero-width spaces in it, spelled a word with a Cyrillic
 * "а", wrapped it over two lines, or hid the required crisis wording in an
 * HTML comment no user sees.
 *
 * Unicode data comes from libunistring (NFKC, general categories, scripts,
 * combining classes). One pass over the original bytes writes the normalised
 * text and an edit for every place where it differs, so that a match is
 * located in the original file and its finding says what was changed. Text
 * that needs no change is copied in runs and costs no edit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include "emheval/buf.h"
#include "emheval/error.h"
#include "evaluator/internal.h"
#include "evaluator/textnorm.h"

#define NONE ((size_t)-1)

typedef struct nctx {
	emh_textnorm *n;
	emh_buf out;
	const char *s;
	size_t len;
	int oom;
	int in_fence;        /* inside a ``` or ~~~ block: no joining, no comment removal */
	int line_text;       /* the output line holds something other than blanks */
	char line_first;     /* its first non-blank byte */
	size_t ws;           /* start of pending blanks (spaces, tabs, CR), or NONE */
	size_t line_orig;    /* where the current original line began */
	size_t word_start;   /* where the current word began in the original */
	size_t word_end;     /* end of the last word scanned for scripts */
	int word_latin;      /* that word maps look-alikes to Latin */
} nctx;

static void add_edit(nctx *c, size_t out_len, size_t from, size_t to, unsigned kind)
{
	emh_textnorm *n = c->n;
	if (n->nedits == n->capedits) {
		size_t cap = n->capedits ? 2 * n->capedits : 64;
		emh_textnorm_edit *e = emh_realloc(n->edits, cap * sizeof *e);
		if (!e) {
			c->oom = 1;
			return;
		}
		n->edits = e;
		n->capedits = cap;
	}
	n->edits[n->nedits++] = (emh_textnorm_edit){ c->out.len - out_len, out_len, from, to, kind };
}

static ucs4_t cp_at(const nctx *c, size_t i, size_t *nbytes)
{
	unsigned long cp = 0;
	size_t k = emh_utf8_decode((const unsigned char *)c->s + i, c->len - i, &cp);
	*nbytes = k ? k : 1;
	return (ucs4_t)cp;
}

/* Invisible characters that change nothing a reader sees (variation selectors do). */
static int is_format(ucs4_t cp)
{
	return uc_is_property_default_ignorable_code_point(cp) && !uc_is_property_variation_selector(cp);
}

static int is_mark(ucs4_t cp)
{
	return uc_is_general_category(cp, UC_CATEGORY_M);
}

static int is_letter(ucs4_t cp)
{
	return uc_is_general_category(cp, UC_CATEGORY_L);
}

/*
 * The Latin letter a Cyrillic or Greek letter is drawn like (the subset of
 * Unicode's confusables.txt from one letter of those scripts to one Latin
 * letter), or 0. ICU's skeletons cannot be used here: they rewrite ordinary
 * Latin text too (l and I, rn and m), which regexes must still see as written.
 */
static char latin_lookalike(ucs4_t cp)
{
	static const struct { ucs4_t cp; char latin; } map[] = {
		{ 0x0391, 'A' }, { 0x0392, 'B' }, { 0x0395, 'E' }, { 0x0396, 'Z' }, { 0x0397, 'H' },
		{ 0x0399, 'I' }, { 0x039A, 'K' }, { 0x039C, 'M' }, { 0x039D, 'N' }, { 0x039F, 'O' },
		{ 0x03A1, 'P' }, { 0x03A4, 'T' }, { 0x03A5, 'Y' }, { 0x03A7, 'X' }, { 0x03B1, 'a' },
		{ 0x03B9, 'i' }, { 0x03BA, 'k' }, { 0x03BD, 'v' }, { 0x03BF, 'o' }, { 0x03C1, 'p' },
		{ 0x03C5, 'u' }, { 0x0405, 'S' }, { 0x0406, 'I' }, { 0x0408, 'J' }, { 0x0410, 'A' },
		{ 0x0412, 'B' }, { 0x0415, 'E' }, { 0x041A, 'K' }, { 0x041C, 'M' }, { 0x041D, 'H' },
		{ 0x041E, 'O' }, { 0x0420, 'P' }, { 0x0421, 'C' }, { 0x0422, 'T' }, { 0x0423, 'Y' },
		{ 0x0425, 'X' }, { 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043E, 'o' }, { 0x0440, 'p' },
		{ 0x0441, 'c' }, { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0455, 's' }, { 0x0456, 'i' },
		{ 0x0458, 'j' }, { 0x04BB, 'h' }, { 0x04CF, 'l' }, { 0x0501, 'd' }, { 0x051A, 'Q' },
		{ 0x051B, 'q' }, { 0x051C, 'W' }, { 0x051D, 'w' },
	};
	size_t lo = 0, hi = sizeof map / sizeof map[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (map[mid].cp == cp)
			return map[mid].latin;
		if (map[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

enum { SC_OTHER, SC_LATIN, SC_GREEK, SC_CYRILLIC };

static int script_of(ucs4_t cp)
{
	if (cp < 0x80)
		return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? SC_LATIN : SC_OTHER;
	const uc_script_t *sc = uc_script(cp);
	if (!sc)
		return SC_OTHER;
	if (strcmp(sc->name, "Latin") == 0)
		return SC_LATIN;
	if (strcmp(sc->name, "Greek") == 0)
		return SC_GREEK;
	if (strcmp(sc->name, "Cyrillic") == 0)
		return SC_CYRILLIC;
	return SC_OTHER;
}

/*
 * Scans the word starting at c->word_start (letters, marks and format
 * characters) once: a word mostly Latin with a Cyrillic letter, or a Greek
 * letter drawn like a Latin one, has its look-alikes mapped to Latin; a word
 * mostly Cyrillic or Greek with a Latin letter is only flagged. Greek letters
 * used as symbols ("μg") are not flagged.
 */
static void scan_word(nctx *c)
{
	size_t i = c->word_start, nb;
	size_t count[4] = { 0, 0, 0, 0 }, greek_alike = 0;
	while (i < c->len) {
		ucs4_t cp = cp_at(c, i, &nb);
		if (!(is_letter(cp) || is_mark(cp) || (cp >= 0x80 && is_format(cp))))
			break;
		if (is_letter(cp)) {
			int sc = script_of(cp);
			count[sc]++;
			greek_alike += sc == SC_GREEK && latin_lookalike(cp);
		}
		i += nb;
	}
	c->word_end = i;
	c->word_latin = 0;
	size_t lat = count[SC_LATIN], grk = count[SC_GREEK], cyr = count[SC_CYRILLIC];
	int flagged = 0;
	if (lat && lat >= grk && lat >= cyr) {
		flagged = cyr > 0 || greek_alike > 0;
		c->word_latin = flagged;
	} else if ((grk || cyr) && (lat || (grk && cyr))) {
		flagged = 1;
	}
	if (flagged && c->n->nmixed++ == 0) {
		c->n->mixed_from = c->word_start;
		c->n->mixed_to = i;
	}
}

/* The end of an HTML comment whose "-->" is searched from i, or len. */
static size_t comment_end(const char *s, size_t len, size_t i)
{
	while (i + 3 <= len) {
		const char *d = memchr(s + i, '-', len - i - 2);
		if (!d)
			break;
		i = (size_t)(d - s);
		if (s[i + 1] == '-' && s[i + 2] == '>')
			return i + 3;
		i++;
	}
	return len;
}

/* Copies the pending blanks as they are. */
static void flush_ws(nctx *c, size_t upto)
{
	if (c->ws == NONE)
		return;
	emh_buf_append(&c->out, c->s + c->ws, upto - c->ws);
	c->ws = NONE;
}

/* 1 when the line at p is a rule or a setext underline: ---, ===, ***, ___ (blanks allowed). */
static int is_rule(const char *p, const char *end)
{
	char ch = p < end ? *p : 0;
	if (ch != '-' && ch != '=' && ch != '*' && ch != '_')
		return 0;
	size_t n = 0;
	for (const char *q = p; q < end && *q != '\n'; q++) {
		if (*q == ch)
			n++;
		else if (*q != ' ' && *q != '\t' && *q != '\r')
			return 0;
	}
	return n >= 3 || (ch == '=' && n >= 1);
}

/* 1 when the line at p (its blanks skipped) starts a Markdown block of its own. */
static int starts_block(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	char ch = *p;
	if (ch == '#' || ch == '>' || ch == '|')
		return 1;
	if (end - p >= 3 && (strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0))
		return 1;
	if ((ch == '-' || ch == '*' || ch == '+') && (p + 1 == end || p[1] == ' ' || p[1] == '\t' ||
	                                             p[1] == '\r' || p[1] == '\n'))
		return 1;
	if (ch >= '0' && ch <= '9') {
		const char *q = p;
		while (q < end && q - p < 9 && *q >= '0' && *q <= '9')
			q++;
		if (q < end && (*q == '.' || *q == ')') && (q + 1 == end || q[1] == ' ' || q[1] == '\t'))
			return 1;
	}
	return is_rule(p, end);
}

static int fence_at(const char *p, const char *end)
{
	return end - p >= 3 && (strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0);
}

/* The first non-blank byte of the line starting at i. */
static size_t skip_blanks(const nctx *c, size_t i)
{
	while (i < c->len && (c->s[i] == ' ' || c->s[i] == '\t'))
		i++;
	return i;
}

static void start_line(nctx *c, size_t i)
{
	size_t j = skip_blanks(c, i);
	if (fence_at(c->s + j, c->s + c->len))
		c->in_fence = !c->in_fence;
}

static void newline(nctx *c, size_t *ip)
{
	size_t i = *ip, j = skip_blanks(c, i + 1);
	const char *end = c->s + c->len;
	/* Quoted lines of one quoted paragraph: the next line's "> " goes too. */
	int quoted = c->line_first == '>' && j < c->len && c->s[j] == '>';
	if (quoted)
		j = skip_blanks(c, j + 1);
	size_t line = c->line_orig;
	c->line_orig = j;
	int blank = j >= c->len || c->s[j] == '\n' || (c->s[j] == '\r' && (j + 1 >= c->len || c->s[j + 1] == '\n'));
	int join = !c->in_fence && c->line_text && !strchr("#|`~", c->line_first) && !blank &&
	           !starts_block(c->s + j, end) && !is_rule(c->s + skip_blanks(c, line), end);
	c->word_start = j;
	if (join) {
		size_t from = c->ws != NONE ? c->ws : i;
		c->ws = NONE;
		int space = c->out.len == 0 || (c->out.ptr[c->out.len - 1] != ' ' && c->out.ptr[c->out.len - 1] != '\t');
		if (space)
			emh_buf_putc(&c->out, ' ');
		add_edit(c, (size_t)space, from, j, EMH_NORM_JOIN);
		*ip = j;
		return;
	}
	flush_ws(c, i);
	emh_buf_putc(&c->out, '\n');
	c->line_text = 0;
	c->line_first = 0;
	*ip = i + 1;
	c->line_orig = i + 1;
	start_line(c, i + 1);
}

static void mark_text(nctx *c, char first)
{
	if (!c->line_text) {
		c->line_text = 1;
		c->line_first = first;
	}
}

/*
 * One base character and the combining marks after it, through NFKC. A base
 * without any decomposition followed by no mark is already normalised.
 */
static size_t chunk(nctx *c, size_t i)
{
	size_t nb, j;
	ucs4_t cp = cp_at(c, i, &nb);
	j = i + nb;
	/* At most 30 marks, as in Unicode's stream-safe format: a hostile run of marks stays linear. */
	for (int marks = 0; j < c->len && (unsigned char)c->s[j] >= 0x80 && marks < 30; marks++) {
		size_t mb;
		ucs4_t m = cp_at(c, j, &mb);
		if (uc_combining_class(m) == 0 && !(m >= 0x1160 && m <= 0x11FF)) /* Hangul V and T compose too */
			break;
		j += mb;
	}
	int tag;
	ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];
	if (j == i + nb && (cp < 0x80 || uc_decomposition(cp, &tag, dec) < 0)) {
		emh_buf_append(&c->out, c->s + i, nb);
		return j;
	}
	uint8_t stack[256];
	size_t olen = sizeof stack;
	uint8_t *r = u8_normalize(UNINORM_NFKC, (const uint8_t *)c->s + i, j - i, stack, &olen);
	if (!r) {
		c->oom = 1;
		return c->len;
	}
	emh_buf_append(&c->out, r, olen);
	if (olen != j - i || memcmp(r, c->s + i, olen) != 0)
		add_edit(c, olen, i, j, EMH_NORM_NFKC);
	if (r != stack)
		free(r);
	return j;
}

int emh_textnorm_run(emh_textnorm *out, const char *orig, size_t len)
{
	memset(out, 0, sizeof *out);
	nctx c = { .n = out, .out = EMH_BUF_INIT, .s = orig, .len = len, .ws = NONE };
	emh_buf_init(&c.out, 0);
	start_line(&c, 0);
	size_t i = 0;
	while (i < len && !c.oom) {
		unsigned char ch = (unsigned char)orig[i];
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			if (c.ws == NONE)
				c.ws = i;
			c.word_start = ++i;
			continue;
		}
		if (ch == '\n') {
			newline(&c, &i);
			continue;
		}
		flush_ws(&c, i);
		if (ch == '<' && !c.in_fence && len - i >= 4 && memcmp(orig + i, "<!--", 4) == 0) {
			/* "<!-->" and "<!--->" end at once, as in HTML; unclosed runs to the end. */
			size_t to = comment_end(orig, len, i + 2);
			/* Blanks on both sides of it collapse to the one already written, as rendered. */
			if (c.out.len && (c.out.ptr[c.out.len - 1] == ' ' || c.out.ptr[c.out.len - 1] == '\t'))
				while (to < len && (orig[to] == ' ' || orig[to] == '\t'))
					to++;
			add_edit(&c, 0, i, to, EMH_NORM_COMMENT);
			i = c.word_start = to;
			continue;
		}
		if (ch < 0x80) {
			/* A run of plain ASCII, copied at once; the byte before non-ASCII may take marks. */
			size_t j = i;
			mark_text(&c, (char)ch);
			while (j < len) {
				unsigned char b = (unsigned char)orig[j];
				if (b >= 0x80 || b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '<')
					break;
				if (!((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))
					c.word_start = j + 1;
				j++;
			}
			if (j < len && (unsigned char)orig[j] >= 0x80 && j > i)
				j--;
			if (j > i) {
				emh_buf_append(&c.out, orig + i, j - i);
				i = j;
				continue;
			}
			if (ch == '<') {
				emh_buf_putc(&c.out, '<');
				c.word_start = ++i;
				continue;
			}
			i = chunk(&c, i); /* an ASCII base with marks after it */
			continue;
		}
		size_t nb;
		ucs4_t cp = cp_at(&c, i, &nb);
		if (is_format(cp)) {
			add_edit(&c, 0, i, i + nb, EMH_NORM_FORMAT);
			i += nb;
			continue;
		}
		mark_text(&c, (char)ch);
		if (is_letter(cp) || is_mark(cp)) {
			if (i >= c.word_end)
				scan_word(&c);
			char latin = c.word_latin ? latin_lookalike(cp) : 0;
			if (latin) {
				emh_buf_putc(&c.out, latin);
				add_edit(&c, 1, i, i + nb, EMH_NORM_LOOKALIKE);
				i += nb;
				continue;
			}
		} else {
			c.word_start = i + nb;
		}
		i = chunk(&c, i);
	}
	if (!c.oom)
		flush_ws(&c, len);
	if (c.oom || !emh_buf_ok(&c.out)) {
		emh_buf_dispose(&c.out);
		emh_textnorm_dispose(out);
		return -1;
	}
	out->text = c.out.ptr ? emh_buf_detach(&c.out, &out->len) : emh_calloc(1, 1);
	return out->text ? 0 : -1;
}

void emh_textnorm_dispose(emh_textnorm *n)
{
	if (!n)
		return;
	free(n->text);
	free(n->edits);
	memset(n, 0, sizeof *n);
}

/* The last edit whose output starts at or before x, or NONE. */
static size_t edit_before(const emh_textnorm *n, size_t x)
{
	size_t lo = 0, hi = n->nedits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (n->edits[mid].out <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : NONE;
}

void emh_textnorm_map(const emh_textnorm *n, size_t start, size_t end, size_t *from, size_t *to)
{
	size_t k = edit_before(n, start);
	if (k == NONE) {
		*from = start;
	} else {
		const emh_textnorm_edit *e = &n->edits[k];
		*from = start < e->out + e->out_len ? e->from : e->to + (start - e->out - e->out_len);
	}
	if (end <= start) {
		*to = *from;
		return;
	}
	k = edit_before(n, end - 1);
	if (k == NONE) {
		*to = end;
	} else {
		const emh_textnorm_edit *e = &n->edits[k];
		*to = end - 1 < e->out + e->out_len ? e->to : e->to + (end - e->out - e->out_len);
	}
}

static unsigned line_of(const char *orig, size_t olen, size_t off)
{
	unsigned line = 0, col = 0;
	emh_error_offset_to_linecol(orig, olen, off, &line, &col);
	return line;
}

void emh_textnorm_describe(const emh_textnorm *n, const char *orig, size_t olen,
                           size_t start, size_t end, int whole, char *dst, size_t size)
{
	size_t count[5] = { 0, 0, 0, 0, 0 };
	unsigned join_first = 0, join_last = 0, comment_first = 0, comment_last = 0;
	size_t k = whole ? 0 : edit_before(n, start);
	if (k == NONE)
		k = 0;
	for (; k < n->nedits; k++) {
		const emh_textnorm_edit *e = &n->edits[k];
		if (!whole && e->out >= end)
			break;
		int inside = whole || (e->out_len ? e->out < end && e->out + e->out_len > start
		                                  : e->out > start && e->out < end);
		if (!inside)
			continue;
		for (int b = 0; b < 5; b++) {
			if (!(e->kind & (1u << b)))
				continue;
			count[b]++;
			if (e->kind == EMH_NORM_JOIN) {
				unsigned l = line_of(orig, olen, e->from);
				if (!join_first)
					join_first = l;
				join_last = line_of(orig, olen, e->to);
			} else if (e->kind == EMH_NORM_COMMENT) {
				if (!comment_first)
					comment_first = line_of(orig, olen, e->from);
				comment_last = line_of(orig, olen, e->to > e->from ? e->to - 1 : e->to);
			}
		}
	}
	emh_buf b = EMH_BUF_INIT;
	const char *sep = "";
	if (count[0] && whole) {
		emh_buf_appendf(&b, "%sjoining %zu wrapped line%s", sep, count[0], count[0] == 1 ? "" : "s");
		sep = ", ";
	} else if (count[0]) {
		emh_buf_appendf(&b, "%sjoining lines %u-%u", sep, join_first, join_last);
		sep = ", ";
	}
	if (count[2]) {
		emh_buf_appendf(&b, "%sremoving %zu HTML comment%s (line%s %u", sep, count[2], count[2] == 1 ? "" : "s",
		                comment_first == comment_last ? "" : "s", comment_first);
		if (comment_last != comment_first)
			emh_buf_appendf(&b, "-%u", comment_last);
		emh_buf_puts(&b, ")");
		sep = ", ";
	}
	if (count[1]) {
		emh_buf_appendf(&b, "%sremoving %zu invisible format character%s (soft hyphen, zero-width or bidi control)",
		                sep, count[1], count[1] == 1 ? "" : "s");
		sep = ", ";
	}
	if (count[4]) {
		emh_buf_appendf(&b, "%sreplacing %zu Cyrillic or Greek look-alike letter%s by Latin", sep, count[4],
		                count[4] == 1 ? "" : "s");
		sep = ", ";
	}
	if (count[3])
		emh_buf_appendf(&b, "%sUnicode NFKC normalisation of %zu character%s", sep, count[3],
		                count[3] == 1 ? "" : "s");
	snprintf(dst, size, "%s", b.ptr && emh_buf_ok(&b) ? b.ptr : "");
	emh_buf_dispose(&b);
}
