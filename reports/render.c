/*
 * render.c - one entry point for every output format, and the helpers the
 * renderers share: labels for people, domain grouping in a fixed order, CI
 * locations, and the escaping that keeps a submission's text inert in every
 * output language.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/report.h"
#include "evaluator/dossier/record.h"
#include "reports/render.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/encode.h"

static const struct {
	const char *name;
	const char *ext;
} formats[EMH_FORMAT__COUNT] = {
	[EMH_FORMAT_JSON] = { "json", "json" },
	[EMH_FORMAT_TEXT] = { "text", "txt" },
	[EMH_FORMAT_HTML] = { "html", "html" },
	[EMH_FORMAT_MARKDOWN] = { "markdown", "md" },
	[EMH_FORMAT_JUNIT] = { "junit", "junit.xml" },
	[EMH_FORMAT_SARIF] = { "sarif", "sarif" },
	[EMH_FORMAT_GITHUB] = { "github", "github.txt" },
};

int emh_format_parse(emh_format *out, const char *name)
{
	if (!name)
		return EMH_EINVALID;
	for (int f = 0; f < EMH_FORMAT__COUNT; f++) {
		if (strcmp(name, formats[f].name) == 0) {
			*out = (emh_format)f;
			return 0;
		}
	}
	if (strcmp(name, "md") == 0) {
		*out = EMH_FORMAT_MARKDOWN;
		return 0;
	}
	return EMH_EINVALID;
}

const char *emh_format_name(emh_format f)
{
	return (unsigned)f < EMH_FORMAT__COUNT ? formats[f].name : "unknown";
}

const char *emh_format_extension(emh_format f)
{
	return (unsigned)f < EMH_FORMAT__COUNT ? formats[f].ext : "out";
}

static int render_format(emh_buf *out, const emh_dossier *d, emh_format f,
                         const emh_render_options *opts, emh_error *err);

/*
 * Renderers build parts in scratch buffers and cJSON trees whose failed
 * allocations they do not all check; a rendering during which any
 * allocation failed is an error as a whole, never a document with a part
 * left out (tests/unit/check_alloc.c).
 */
/* Inserts text at offset at of out. */
static void insert_at(emh_buf *out, size_t at, const char *text)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append(&b, out->ptr ? out->ptr : "", at);
	emh_buf_puts(&b, text);
	emh_buf_append(&b, out->ptr ? out->ptr + at : "", out->len - at);
	emh_buf_dispose(out);
	*out = b;
}

/* The offset just after the first occurrence of needle (or 0). */
static size_t after(const emh_buf *out, const char *needle)
{
	const char *p = out->ptr ? strstr(out->ptr, needle) : NULL;
	return p ? (size_t)(p - out->ptr) + strlen(needle) : 0;
}

/*
 * A report of a dossier that does not verify, marked where each format's reader looks first: the JSON's
 * and SARIF's first member, the HTML page's title and the top of its body, Markdown's and text's first
 * lines (and text's last), GitHub's first annotation. JUnit marks itself (junit.c: its totals count the
 * UNVERIFIED testsuite). The renderers' own output is known here, so the places are found by its first
 * bytes ("{\n", "<body", "<title>"), which no vendor text precedes.
 */
static void mark_unverified(emh_buf *out, emh_format format)
{
	switch (format) {
	case EMH_FORMAT_JSON:
		insert_at(out, after(out, "{\n"), "  \"UNVERIFIED\": \"" EMH_REPORT_UNVERIFIED_TEXT "\",\n");
		break;
	case EMH_FORMAT_SARIF:
		insert_at(out, after(out, "{\n"), "  \"properties\": {\"UNVERIFIED\": \"" EMH_REPORT_UNVERIFIED_TEXT "\"},\n");
		break;
	case EMH_FORMAT_HTML: {
		size_t body = after(out, "<body");
		const char *close = out->ptr && body ? strchr(out->ptr + body, '>') : NULL;
		insert_at(out, close ? (size_t)(close - out->ptr) + 1 : 0,
		          "\n<p role=\"alert\" style=\"background:#b00020;color:#fff;padding:1em;font-weight:bold;"
		          "font-size:1.3em\">" EMH_REPORT_UNVERIFIED_TEXT "</p>\n");
		insert_at(out, after(out, "<title>"), "UNVERIFIED \xe2\x80\x94 ");
		break;
	}
	case EMH_FORMAT_GITHUB:
		insert_at(out, 0, "::error title=emheval%3A UNVERIFIED dossier::" EMH_REPORT_UNVERIFIED_TEXT "\n");
		break;
	case EMH_FORMAT_MARKDOWN:
		insert_at(out, 0, "> [!CAUTION]\n> **" EMH_REPORT_UNVERIFIED_TEXT "**\n\n");
		break;
	case EMH_FORMAT_TEXT:
		insert_at(out, 0, EMH_REPORT_UNVERIFIED_TEXT "\n\n");
		emh_buf_puts(out, "\n" EMH_REPORT_UNVERIFIED_TEXT "\n");
		break;
	case EMH_FORMAT_JUNIT:
	case EMH_FORMAT__COUNT:
		break;
	}
}

int emh_report_render(emh_buf *out, const emh_dossier *d, emh_format f,
                      const emh_render_options *opts, emh_error *err)
{
	unsigned long bufs = emh_buf_alloc_failures(), trees = emh_json_alloc_failures();
	int rc = render_format(out, d, f, opts, err);
	if (!rc && opts && opts->unverified)
		mark_unverified(out, f);
	if (!rc && (emh_buf_alloc_failures() != bufs || emh_json_alloc_failures() != trees))
		rc = emh_error_set(err, EMH_EGENERIC, "cannot render the report (out of memory)");
	return rc;
}

static int render_format(emh_buf *out, const emh_dossier *d, emh_format f,
                         const emh_render_options *opts, emh_error *err)
{
	emh_render_options o = EMH_RENDER_OPTIONS_INIT;
	if (opts)
		o = *opts;
	switch (f) {
	case EMH_FORMAT_JSON:
		return emh_report_render_json(out, d, err);
	case EMH_FORMAT_TEXT:
		return emh_report_render_text(out, d, o.color, o.width, o.verbose, err);
	case EMH_FORMAT_HTML:
		return emh_report_render_html(out, d, &o, err);
	case EMH_FORMAT_MARKDOWN:
		return emh_report_render_markdown(out, d, &o, err);
	case EMH_FORMAT_JUNIT:
		return emh_report_render_junit(out, d, &o, err);
	case EMH_FORMAT_SARIF:
		return emh_report_render_sarif(out, d, &o, err);
	case EMH_FORMAT_GITHUB:
		return emh_report_render_github(out, d, &o, err);
	case EMH_FORMAT__COUNT:
		break;
	}
	return emh_error_set(err, EMH_EINVALID, "unknown format");
}

int emh_report__finish(const emh_buf *out, emh_error *err)
{
	if (emh_buf_ok(out))
		return 0;
	return emh_error_set(err, out->err ? out->err : EMH_EGENERIC,
	                     out->err == EMH_ELIMIT ? "cannot render the report (output too large)"
	                                            : "cannot render the report (out of memory)");
}

const char *emh_report__outcome_label(emh_outcome o)
{
	switch (o) {
	case EMH_OUTCOME_PASS: return "Passed";
	case EMH_OUTCOME_FAIL: return "Failed";
	case EMH_OUTCOME_NOT_APPLICABLE: return "Not applicable";
	case EMH_OUTCOME_NEEDS_REVIEW: return "Needs review";
	case EMH_OUTCOME_WAIVED: return "Waived";
	case EMH_OUTCOME_ERROR: return "Error";
	case EMH_OUTCOME_NOT_EVALUATED: return "Not evaluated";
	case EMH_OUTCOME__COUNT: break;
	}
	return "Unknown";
}

const char *emh_report__verdict_label(emh_verdict v)
{
	switch (v) {
	case EMH_VERDICT_APPROVED: return "Approved";
	case EMH_VERDICT_CONDITIONAL: return "Conditional";
	case EMH_VERDICT_REJECTED: return "Rejected";
	case EMH_VERDICT_INCOMPLETE: return "Incomplete";
	case EMH_VERDICT_AWAITING_REVIEW: return "Awaiting review";
	case EMH_VERDICT_RETURNED: return "Returned for resubmission";
	case EMH_VERDICT__COUNT: break;
	}
	return "Unknown";
}

const char *emh_report__severity_label(emh_severity s)
{
	switch (s) {
	case EMH_SEVERITY_BLOCKER: return "Blocker";
	case EMH_SEVERITY_MAJOR: return "Major";
	case EMH_SEVERITY_MINOR: return "Minor";
	case EMH_SEVERITY_ADVISORY: return "Advisory";
	case EMH_SEVERITY__COUNT: break;
	}
	return "Unknown";
}

int emh_report__domains_init(emh_report__domains *out, const emh_dossier *d)
{
	memset(out, 0, sizeof *out);
	if (!d->nresults)
		return 0;
	out->names = emh_calloc(d->nresults, sizeof *out->names);
	out->of_result = emh_calloc(d->nresults, sizeof *out->of_result);
	if (!out->names || !out->of_result) {
		emh_report__domains_dispose(out);
		return EMH_EGENERIC;
	}
	for (size_t i = 0; i < d->nresults; i++) {
		const char *dom = d->results[i].domain ? d->results[i].domain : "";
		size_t k = 0;
		while (k < out->ndomains && strcmp(out->names[k], dom) != 0)
			k++;
		if (k == out->ndomains)
			out->names[out->ndomains++] = dom;
		out->of_result[i] = k;
	}
	return 0;
}

void emh_report__domains_dispose(emh_report__domains *g)
{
	free(g->names);
	free(g->of_result);
	memset(g, 0, sizeof *g);
}

const char *emh_report__app_name(const emh_dossier *d)
{
	if (d->app_name && d->app_name[0])
		return d->app_name;
	if (d->submission_id && d->submission_id[0])
		return d->submission_id;
	return "(unnamed submission)";
}

/* Appends base and a slash, unless base is empty or ".". */
static void put_base(emh_buf *b, const char *base)
{
	if (!base || !base[0] || strcmp(base, ".") == 0)
		return;
	size_t n = strlen(base);
	while (n > 1 && base[n - 1] == '/')
		n--;
	emh_buf_append(b, base, n);
	if (base[n - 1] != '/')
		emh_buf_putc(b, '/');
}

int emh_report__finding_path(emh_buf *b, const emh_render_options *o, const emh_finding *f)
{
	if (f->file) {
		put_base(b, o->base);
		emh_buf_puts(b, f->file);
		return 1;
	}
	if (!f->pointer)
		return 0;
	if (o->submission_file) {
		emh_buf_puts(b, o->submission_file);
	} else {
		put_base(b, o->base);
		emh_buf_puts(b, "submission.json");
	}
	return 1;
}

size_t emh_report__utf8(const unsigned char *s, size_t len, unsigned long *cp)
{
	return emh_utf8_decode(s, len, cp);
}

/* The escapers are evaluator/encode.c's, one per output language; these names stay for the renderers. */
int emh_report__unwanted(unsigned long cp)
{
	return emh_encode_unwanted(cp);
}

void emh_report__markup_n(emh_buf *b, const char *s, size_t len)
{
	emh_encode_markup(b, s, len);
}

void emh_report__markup(emh_buf *b, const char *s)
{
	if (s)
		emh_encode_markup(b, s, strlen(s));
}

void emh_report__date(emh_buf *b, const char *date)
{
	emh_buf_puts(b, "<span class=\"date\">");
	emh_report__markup(b, date);
	emh_buf_puts(b, "</span>");
}

void emh_report__html_head(emh_buf *b, const char *title, const char *suffix)
{
	emh_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
	                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
	                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	                "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\" />\n"
	                "<meta name=\"referrer\" content=\"no-referrer\" />\n<meta name=\"generator\" content=\"emheval\" />\n"
	                "<title>");
	emh_report__markup(b, title);
	if (suffix)
		emh_buf_puts(b, suffix);
	emh_buf_puts(b, "</title>\n<style>\n");
}

const char *emh_report__finding_file(const emh_finding *f)
{
	if (f->file)
		return f->file;
	return f->pointer && f->line ? "submission.json" : NULL;
}

void emh_report__plain(emh_buf *b, const char *s)
{
	emh_encode_plain(b, s);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void put_utf8(emh_buf *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		emh_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		emh_buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		emh_buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		emh_buf_append(b, u, 4);
	}
}

/*
 * Decodes the JSON string literal s (quotes included) into b. Returns 0, or
 * -1 when s is not exactly one string literal. Written here rather than with
 * cJSON, whose parser records errors in a global.
 */
static int unquote(emh_buf *b, const char *s)
{
	if (*s++ != '"')
		return -1;
	while (*s && *s != '"') {
		if (*s != '\\') {
			emh_buf_putc(b, *s++);
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': emh_buf_putc(b, *s); break;
		case 'b': emh_buf_putc(b, '\b'); break;
		case 'f': emh_buf_putc(b, '\f'); break;
		case 'n': emh_buf_putc(b, '\n'); break;
		case 'r': emh_buf_putc(b, '\r'); break;
		case 't': emh_buf_putc(b, '\t'); break;
		case 'u': {
			long cp = hex4(s + 1);
			if (cp < 0)
				return -1;
			s += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && s[1] == '\\' && s[2] == 'u') {
				long lo = hex4(s + 3);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					s += 6;
				}
			}
			if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
				return -1;
			put_utf8(b, (unsigned long)cp);
			break;
		}
		default:
			return -1;
		}
		s++;
	}
	return *s == '"' && s[1] == '\0' ? 0 : -1;
}

int emh_report__match_in_excerpt(const emh_finding *f, size_t *start, size_t *end)
{
	if (!f->excerpt || !f->found || f->found[0] != '"')
		return 0;
	emh_buf b = EMH_BUF_INIT;
	int found = 0;
	if (unquote(&b, f->found) == 0 && emh_buf_ok(&b) && b.len) {
		/* A long match is quoted cut after a word, with "…": highlight the part shown. */
		if (b.len > 3 && memcmp(b.ptr + b.len - 3, "\xE2\x80\xA6", 3) == 0)
			b.ptr[b.len -= 3] = '\0';
		const char *at = strstr(f->excerpt, b.ptr);
		if (at) {
			*start = (size_t)(at - f->excerpt);
			*end = *start + b.len;
			found = 1;
		}
	}
	emh_buf_dispose(&b);
	return found;
}
