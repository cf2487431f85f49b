/*
 * text.c - the dossier for a person at a terminal: the verdict first, then
 * the category scores, then each failure grouped by domain (most severe
 * first) with what was found, where, and how to fix it, then what awaits a
 * reviewer, and a one-line summary. Colour only when asked (the CLI asks on
 * a TTY without NO_COLOR). Every line is wrapped to the width asked for,
 * with a hanging indent, so long evidence stays readable in a narrow
 * terminal; untrusted text loses its control characters on the way, so no
 * escape sequence of a submitter's reaches the terminal.
 */
#include <stdio.h>
#include <string.h>
#include "emheval/report.h"
#include "reports/render.h"

typedef struct tctx {
	emh_buf *out;
	int color;
	unsigned width;
	emh_buf line; /* the logical line being built, wrapped by flush() */
	int verbose;  /* show text checks' patterns */
} tctx;

/* Appends s to the current line in colour sgr (when colour is on). s is our own text. */
static void paint(tctx *t, const char *sgr, const char *s)
{
	if (t->color)
		emh_buf_appendf(&t->line, "\033[%sm%s\033[0m", sgr, s);
	else
		emh_buf_puts(&t->line, s);
}

static void put(tctx *t, const char *s)
{
	emh_buf_puts(&t->line, s);
}

/* Untrusted text: control characters become spaces, invalid UTF-8 U+FFFD. */
static void put_safe(tctx *t, const char *s)
{
	emh_report__plain(&t->line, s);
}

/* The shared sentences (sentence.c), written into the current line. */
static void sink_own(void *t, const char *s)
{
	put(t, s);
}

static void sink_text(void *t, const char *s)
{
	put_safe(t, s);
}

static emh_report__sink sink(tctx *t)
{
	return (emh_report__sink){ sink_own, sink_text, t };
}

/* Columns a code point takes in a terminal: 0 for combining marks, 2 for wide (CJK, emoji). */
static unsigned cp_width(unsigned long cp)
{
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/*
 * Length in bytes of the unit at s: one of our SGR sequences (width 0) or
 * one code point; its width goes to *w.
 */
static size_t unit(const char *s, size_t len, unsigned *w)
{
	if (s[0] == '\033') {
		size_t n = 1;
		while (n < len && s[n] != 'm')
			n++;
		*w = 0;
		return n < len ? n + 1 : n;
	}
	unsigned long cp;
	size_t n = emh_report__utf8((const unsigned char *)s, len, &cp);
	if (n == 0) {
		*w = 1;
		return 1;
	}
	*w = cp_width(cp);
	return n;
}

static unsigned text_width(const char *s, size_t len)
{
	unsigned total = 0, w;
	for (size_t i = 0; i < len; i += unit(s + i, len - i, &w), total += w)
		;
	return total;
}

/*
 * Where to cut a word (s[0, len)) starting at column col so that the line
 * ends after a comma: the offset after the last comma that fits, when the
 * word does not fit whole and that keeps over half the line's room; else 0.
 */
static size_t cut_after_comma(const char *s, size_t len, unsigned col, unsigned width)
{
	size_t best = 0, k = 0;
	unsigned c = col, w;
	while (k < len) {
		size_t n = unit(s + k, len - k, &w);
		if (c + w > width)
			break;
		c += w;
		k += n;
		if (s[k - 1] == ',' && (c - col) * 2 > width - col)
			best = k;
	}
	return k < len ? best : 0;
}

/*
 * Writes the current line to the output, wrapped at t->width: breaks fall
 * between words, and each continuation line starts with cont (plain text).
 * Runs of spaces between words that stay on one line are kept; a word wider
 * than the line is cut at the width.
 */
static void flush(tctx *t, const char *cont)
{
	const char *s = emh_buf_cstr(&t->line);
	size_t len = t->line.len, i = 0;
	emh_buf *o = t->out;
	unsigned col = 0, cont_w = text_width(cont, strlen(cont)), w;
	int at_start = 1; /* nothing but indentation on this output line yet */
	while (i < len && s[i] == ' ') {
		emh_buf_putc(o, ' ');
		col++;
		i++;
	}
	while (i < len) {
		size_t gap = 0;
		while (i + gap < len && s[i + gap] == ' ')
			gap++;
		size_t wstart = i + gap, wend = wstart;
		while (wend < len && s[wend] != ' ')
			wend++;
		if (wstart == len)
			break; /* trailing spaces */
		unsigned ww = text_width(s + wstart, wend - wstart);
		/* A word too wide for any line is cut where it stands rather than moved down. */
		int too_wide = ww > t->width - cont_w;
		if (!at_start && col + gap + ww > t->width && !(too_wide && col + gap < t->width)) {
			emh_buf_putc(o, '\n');
			emh_buf_puts(o, cont);
			col = cont_w;
			at_start = 1;
		} else if (!at_start) {
			emh_buf_append(o, s + i, gap);
			col += (unsigned)gap;
		}
		/*
		 * The word, cut where it would pass the width: after the last comma
		 * that fits (a JSON list breaks between its values, not inside one,
		 * issue 15), else at the width.
		 */
		size_t brk = cut_after_comma(s + i, wend - i, col, t->width);
		for (size_t k = wstart; k < wend;) {
			size_t n = unit(s + k, wend - k, &w);
			if ((w && col + w > t->width && col > cont_w) || (brk && k == i + brk && col > cont_w)) {
				emh_buf_putc(o, '\n');
				emh_buf_puts(o, cont);
				col = cont_w;
				brk = cut_after_comma(s + k, wend - k, col, t->width);
				if (brk)
					brk += k - i;
			}
			emh_buf_append(o, s + k, n);
			col += w;
			k += n;
		}
		at_start = 0;
		i = wend;
	}
	emh_buf_putc(o, '\n');
	/* Checked before clearing, which forgets the error (found by tests/unit/check_alloc.c). */
	if (!emh_buf_ok(&t->line) && emh_buf_ok(t->out))
		t->out->err = t->line.err ? t->line.err : EMH_EGENERIC;
	emh_buf_clear(&t->line);
}

static const char *verdict_sgr(emh_verdict v)
{
	switch (v) {
	case EMH_VERDICT_APPROVED: return "1;32";
	case EMH_VERDICT_CONDITIONAL: return "1;33";
	case EMH_VERDICT_REJECTED: return "1;31";
	case EMH_VERDICT_RETURNED: return "1;31";
	default: return "1;35";
	}
}

/*
 * A finding on one line ("where: expected X, found Y") when that fits the
 * width; otherwise where, expected and found on lines of their own, so a
 * long pattern is not broken in the middle of a sentence.
 */
static void put_finding(tctx *t, const emh_finding *f)
{
	emh_report__sink sk = sink(t);
	put(t, "      ");
	if (!emh_report__where(&sk, f) && f->line) { /* a line but no place: the position alone, as it always was */
		char pos[48];
		snprintf(pos, sizeof pos, ":%u:%u", f->line, f->column);
		put(t, pos);
	}
	size_t where = t->line.len;
	if (f->file || f->pointer)
		put(t, ": ");
	emh_report__expected_found(&sk, f);
	if (text_width(t->line.ptr, t->line.len) > t->width && (f->file || f->pointer)) {
		t->line.len = where;
		t->line.ptr[where] = '\0';
		flush(t, "        ");
		put(t, "        expected ");
		put_safe(t, f->expected ? f->expected : "?");
		flush(t, "          ");
		put(t, "        found ");
		put_safe(t, f->found ? f->found : "?");
	}
	flush(t, "          ");
	if (t->verbose && f->pattern) { /* the plain words above suffice unless asked */
		put(t, "        pattern ");
		put_safe(t, f->pattern);
		flush(t, "          ");
	}
	if (f->excerpt) {
		put(t, "        | ");
		put_safe(t, f->excerpt);
		flush(t, "        | ");
	}
}

static void put_result(tctx *t, const emh_result *r, const char *mark, const char *sgr)
{
	put(t, "    ");
	paint(t, sgr, mark);
	put(t, " ");
	put_safe(t, r->id);
	put(t, " [");
	put(t, emh_severity_name(r->severity));
	put(t, "] ");
	put_safe(t, r->title);
	flush(t, "      ");
	if (r->message) {
		put(t, "      ");
		put_safe(t, r->message);
		flush(t, "      ");
	}
	if (r->reason) {
		put(t, "      why: ");
		put_safe(t, r->reason);
		flush(t, "           ");
	}
	for (size_t i = 0; i < r->nfindings; i++)
		put_finding(t, &r->findings[i]);
	if (r->remediation && (r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR)) {
		put(t, "      fix: ");
		put_safe(t, r->remediation);
		flush(t, "           ");
	}
}

static void heading(tctx *t, const char *title, size_t n)
{
	char count[32];
	emh_buf_putc(t->out, '\n');
	paint(t, "1", title);
	snprintf(count, sizeof count, " (%zu)", n);
	put(t, count);
	flush(t, "  ");
}

/* Results with outcome want, grouped by domain in order of first appearance, severest first. */
typedef struct group_ctx {
	tctx *t;
	const char *mark, *sgr;
} group_ctx;

static void put_domain(void *to, const char *name)
{
	group_ctx *c = to;
	put(c->t, "  ");
	put_safe(c->t, name);
	flush(c->t, "  ");
}

static void put_group_result(void *to, const emh_result *r)
{
	group_ctx *c = to;
	put_result(c->t, r, c->mark, c->sgr);
}

static void put_group(tctx *t, const emh_dossier *d, const emh_report__domains *g, emh_outcome want,
                      const char *title, const char *mark, const char *sgr)
{
	if (!d->counts[want])
		return;
	heading(t, title, d->counts[want]);
	group_ctx c = { t, mark, sgr };
	emh_report__grouped(d, g, want, &(emh_report__group_visit){ put_domain, put_group_result, &c });
}

static void put_idlist(tctx *t, const char *label, const char *const *ids, size_t n)
{
	if (!n)
		return;
	put(t, "      ");
	put(t, label);
	for (size_t i = 0; i < n; i++) {
		put(t, i ? ", " : " ");
		put_safe(t, ids[i]);
	}
	flush(t, "        ");
}

/* Each profile's verdict with what decides it (docs/profiles.md). */
static void put_profiles(tctx *t, const emh_dossier *d)
{
	for (size_t k = 0; k < d->nprofiles; k++) {
		const emh_profile_verdict *p = &d->profiles[k];
		put(t, "  profile ");
		put_safe(t, p->id ? p->id : "?");
		put(t, ": ");
		paint(t, verdict_sgr(p->verdict), emh_verdict_name(p->verdict));
		char n[64];
		snprintf(n, sizeof n, " (%zu criteria)", p->ncriteria);
		put(t, n);
		flush(t, "    ");
		put_idlist(t, "returned (resubmit):", p->returned, p->nreturned);
		put_idlist(t, "rejected by:", p->rejected, p->nrejected);
		put_idlist(t, "incomplete:", p->incomplete, p->nincomplete);
		put_idlist(t, "awaiting review:", p->awaiting_review, p->nawaiting_review);
		for (size_t i = 0; i < p->nconditions; i++) {
			const emh_condition *c = &p->conditions[i];
			put(t, "      condition ");
			put_safe(t, c->criterion ? c->criterion : "?");
			put(t, ", due ");
			put_safe(t, c->due ? c->due : "(no evaluation date)");
			put(t, ": ");
			put_safe(t, c->fix ? c->fix : "see the criterion");
			flush(t, "        ");
		}
	}
}

static void put_header(tctx *t, const emh_dossier *d)
{
	char verdict[32];
	snprintf(verdict, sizeof verdict, " %s ", emh_verdict_name(d->verdict));
	for (char *p = verdict; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	paint(t, verdict_sgr(d->verdict), verdict);
	put(t, "  ");
	put_safe(t, emh_report__app_name(d));
	if (d->app_version) {
		put(t, " ");
		put_safe(t, d->app_version);
	}
	if (d->tier) {
		put(t, " (tier ");
		put_safe(t, d->tier);
		put(t, ")");
	}
	/* Reviews still open: the verdict is not final, whatever it says (issue 15). */
	if (d->counts[EMH_OUTCOME_NEEDS_REVIEW])
		put(t, "; ");
	emh_report__sink sk = sink(t);
	emh_report__open_reviews(&sk, d);
	flush(t, "  ");
	put(t, "  criteria: ");
	put_safe(t, d->framework_name ? d->framework_name : "?");
	put(t, " ");
	put_safe(t, d->framework_version ? d->framework_version : "?");
	char commit[16];
	snprintf(commit, sizeof commit, "%.12s", d->criteria_commit && d->criteria_commit[0] ? d->criteria_commit
	                                                                                     : "(memory)");
	put(t, " at ");
	put_safe(t, commit);
	if (d->as_of) {
		put(t, ", as of ");
		put_safe(t, d->as_of);
	}
	flush(t, "            ");
	if (d->revision > 1) {
		char rev[48];
		snprintf(rev, sizeof rev, "  revision %d", d->revision);
		put(t, rev);
		flush(t, "  ");
	}
	/* Scores as a small label: a ten-cell bar per category. */
	size_t tw = 0;
	for (size_t i = 0; i < d->nscores; i++) {
		size_t n = d->scores[i].title ? text_width(d->scores[i].title, strlen(d->scores[i].title)) : 0;
		tw = n > tw ? n : tw;
	}
	if (tw > 30)
		tw = 30;
	for (size_t i = 0; i < d->nscores; i++) {
		const emh_score *s = &d->scores[i];
		put(t, "  ");
		size_t at = t->line.len;
		put_safe(t, s->title ? s->title : s->category);
		for (size_t n = text_width(t->line.ptr + at, t->line.len - at); n < tw; n++)
			put(t, " ");
		put(t, "  ");
		if (s->score >= 0) {
			int cells = (s->score + 5) / 10;
			char bar[10 * 3 + 1] = ""; /* ten cells of three bytes each: no allocation to fail */
			for (int c = 0; c < 10; c++)
				memcpy(bar + 3 * c, c < cells ? "█" : "░", 4);
			paint(t, s->score >= 70 ? "32" : s->score >= 40 ? "33" : "31", bar);
			char num[16];
			snprintf(num, sizeof num, " %3d", s->score);
			put(t, num);
		} else {
			put(t, "(nothing counted)");
		}
		flush(t, "    ");
	}
}

/* Evidence files that are not verified: a mismatch is an integrity problem. */
static void put_evidence(tctx *t, const emh_dossier *d)
{
	size_t n = emh_report__unverified(d);
	if (!n)
		return;
	emh_report__sink sk = sink(t);
	heading(t, "Evidence files not verified", n);
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *e = &d->evidence[i];
		if (emh_report__evidence_verified(e))
			continue;
		put(t, "    ");
		if (e->path && e->path[0]) { /* a document declared not supplied may have no path */
			put_safe(t, e->path);
			put(t, " (");
			put_safe(t, e->kind);
			put(t, "): ");
		} else {
			put_safe(t, e->kind);
			put(t, ": ");
		}
		emh_report__evidence_status(&sk, e);
		flush(t, "      ");
	}
}

static void put_waived(tctx *t, const emh_dossier *d)
{
	if (!d->counts[EMH_OUTCOME_WAIVED])
		return;
	emh_report__sink sk = sink(t);
	heading(t, "Waived", d->counts[EMH_OUTCOME_WAIVED]);
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		if (r->outcome != EMH_OUTCOME_WAIVED)
			continue;
		put_result(t, r, "~", "36");
		for (size_t k = 0; k < d->nwaivers; k++) {
			const emh_waiver *w = &d->waivers[k];
			if (!w->criterion || !r->id || strcmp(w->criterion, r->id) != 0 ||
			    (w->status && strcmp(w->status, "applied") != 0))
				continue;
			put(t, "      waiver ");
			put_safe(t, w->id);
			emh_report__waiver_approval(&sk, w);
			flush(t, "        ");
		}
	}
}

static void put_reviews(tctx *t, const emh_dossier *d)
{
	if (!d->nreviews)
		return;
	emh_report__sink sk = sink(t);
	heading(t, "Reviews", d->nreviews);
	for (size_t i = 0; i < d->nreviews; i++) {
		const emh_review *r = &d->reviews[i];
		put(t, "    ");
		put_safe(t, r->criterion);
		put(t, ": ");
		emh_report__review_sentence(&sk, r);
		flush(t, "      ");
	}
}

int emh_report_render_text(emh_buf *out, const emh_dossier *d, int color,
                           unsigned width, int verbose, emh_error *err)
{
	tctx t = { out, color, width ? (width < 40 ? 40 : width) : 80, EMH_BUF_INIT, verbose };
	emh_report__domains g;
	if (emh_report__domains_init(&g, d))
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	put_header(&t, d);
	put_profiles(&t, d);
	put_evidence(&t, d);
	put_group(&t, d, &g, EMH_OUTCOME_FAIL, "Failures", "✗", "31");
	put_group(&t, d, &g, EMH_OUTCOME_ERROR, "Errors", "!", "35");
	put_group(&t, d, &g, EMH_OUTCOME_NOT_EVALUATED, "Not evaluated", "-", "33");
	put_waived(&t, d);
	size_t auto_review = 0;
	for (size_t i = 0; i < d->nresults; i++)
		auto_review += d->results[i].outcome == EMH_OUTCOME_NEEDS_REVIEW && !d->results[i].manual;
	if (auto_review) {
		heading(&t, "Declared unknown, needs review", auto_review);
		for (size_t i = 0; i < d->nresults; i++)
			if (d->results[i].outcome == EMH_OUTCOME_NEEDS_REVIEW && !d->results[i].manual)
				put_result(&t, &d->results[i], "?", "33");
	}
	size_t manual = d->counts[EMH_OUTCOME_NEEDS_REVIEW] - auto_review;
	if (manual) {
		char title[64];
		snprintf(title, sizeof title, "For the reviewer (%zu manual criteria):", manual);
		emh_buf_putc(out, '\n');
		paint(&t, "1", title);
		for (size_t i = 0; i < d->nresults; i++) {
			const emh_result *r = &d->results[i];
			if (r->outcome != EMH_OUTCOME_NEEDS_REVIEW || !r->manual)
				continue;
			put(&t, " ");
			put_safe(&t, r->id);
		}
		flush(&t, "    ");
	}
	put_reviews(&t, d);
	/*
	 * The summary: the verdict and the counts, wrapped at the width between
	 * counts (issue 15: it was 91 columns in an 80-column terminal); the first
	 * line always holds the verdict and the passed and failed counts, which
	 * is what scripts grep.
	 */
	static const struct { emh_outcome o; const char *what; } items[] = {
		{ EMH_OUTCOME_PASS, "passed" }, { EMH_OUTCOME_FAIL, "failed" }, { EMH_OUTCOME_ERROR, "errors" },
		{ EMH_OUTCOME_NEEDS_REVIEW, "need review" }, { EMH_OUTCOME_NOT_EVALUATED, "not evaluated" },
		{ EMH_OUTCOME_NOT_APPLICABLE, "not applicable" }, { EMH_OUTCOME_WAIVED, "waived" },
	};
	emh_buf_putc(out, '\n');
	emh_buf_puts(out, emh_verdict_name(d->verdict));
	emh_buf_putc(out, ':');
	size_t col = strlen(emh_verdict_name(d->verdict)) + 1;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		if (items[i].o == EMH_OUTCOME_WAIVED && !d->counts[EMH_OUTCOME_WAIVED])
			continue;
		char item[64];
		int n = snprintf(item, sizeof item, "%zu %s%s", d->counts[items[i].o], items[i].what,
		                 i + 1 < sizeof items / sizeof items[0] && (items[i + 1].o != EMH_OUTCOME_WAIVED ||
		                                                           d->counts[EMH_OUTCOME_WAIVED]) ? "," : "");
		if (i >= 2 && col + 1 + (size_t)n > t.width) {
			emh_buf_puts(out, "\n ");
			col = 1;
		}
		emh_buf_putc(out, ' ');
		emh_buf_puts(out, item);
		col += 1 + (size_t)n;
	}
	emh_buf_putc(out, '\n');
	emh_buf_dispose(&t.line);
	emh_report__domains_dispose(&g);
	return emh_report__finish(out, err);
}
