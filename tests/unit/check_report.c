/*
 * check_report.c - the renderers (reports/): text that keeps untrusted
 * control characters away from the terminal and wraps to the width asked
 * for, and the escaping and structure of every other format (HTML, Markdown,
 * JUnit, SARIF, GitHub annotations, the batch index). The dossier's own JSON
 * form (canonical printing, the digest) is check_dossier.c's.
 */
#include <string.h>
#include "emheval/report.h"
#include "evaluator/internal.h"
#include "reports/render.h"
#include "helpers.h"

START_TEST(text_strips_control_characters)
{
	emh_arena *arena = emh_arena_new();
	emh_dossier *d = emh_arena_alloc(arena, sizeof *d);
	d->arena = arena;
	d->app_name = "Evil\033[31m\x07App";
	d->verdict = EMH_VERDICT_REJECTED;
	emh_result r;
	memset(&r, 0, sizeof r);
	r.id = "X-1";
	r.title = "title\033]0;pwned\x07";
	r.domain = "d";
	r.outcome = EMH_OUTCOME_FAIL;
	r.message = "line1\nline2";
	d->results = &r;
	d->nresults = 1;
	d->counts[EMH_OUTCOME_FAIL] = 1;
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_TEXT, NULL, &err), &err);
	ck_assert_ptr_null(strchr(b.ptr, '\033'));
	ck_assert_ptr_null(strchr(b.ptr, '\x07'));
	ck_assert_ptr_nonnull(strstr(b.ptr, "REJECTED"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "X-1"));
	emh_buf_dispose(&b);
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	ro.color = 1;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_TEXT, &ro, &err), &err);
	ck_assert_ptr_nonnull(strstr(b.ptr, "\033[1;31m"));
	emh_buf_dispose(&b);
	emh_dossier_free(d);
}
END_TEST

/* Text from a hostile submission: markup, quotes, controls, C1, a noncharacter and invalid UTF-8. */
#define HOSTILE "<script>x</script>\"'&\033[31m\x07\r\n%,:\xc2\x9b\xef\xbf\xbe\xe2\x80\xae\xff@all"

/* A small dossier in an arena: one failure of each kind of finding, and one of every other outcome. */
static emh_dossier *sample(const char *text)
{
	emh_arena *a = emh_arena_new();
	emh_dossier *d = emh_arena_alloc(a, sizeof *d);
	d->arena = a;
	d->format = EMH_DOSSIER_FORMAT;
	d->tool_version = "0.1.0";
	d->criteria_commit = "0123456789abcdef0123456789abcdef01234567";
	d->framework_name = text;
	d->framework_version = "1.0.0";
	d->submission_id = text;
	d->app_name = text;
	d->app_version = text;
	d->verdict = EMH_VERDICT_REJECTED;
	d->nresults = EMH_OUTCOME__COUNT + 1;
	d->results = emh_arena_alloc(a, d->nresults * sizeof *d->results);
	for (size_t i = 0; i < d->nresults; i++) {
		emh_result *r = &d->results[i];
		r->id = emh_arena_printf(a, "C-%zu", i);
		r->title = text;
		r->domain = i % 2 ? "privacy" : text;
		r->severity = (emh_severity)(i % EMH_SEVERITY__COUNT);
		r->outcome = i < EMH_OUTCOME__COUNT ? (emh_outcome)i : EMH_OUTCOME_FAIL;
		r->message = text;
		r->reason = text;
		r->remediation = text;
		d->counts[r->outcome]++;
	}
	emh_result *f = &d->results[EMH_OUTCOME_FAIL];
	f->nfindings = 2;
	f->findings = emh_arena_alloc(a, 2 * sizeof *f->findings);
	f->findings[0] = (emh_finding){ .pointer = "/app/name", .expected = text, .found = "\"x\"", .line = 3,
	                                .column = 14, .offset = 40 };
	f->findings[1] = (emh_finding){ .file = "docs/privacy policy.md", .expected = text,
	                                .found = "\"share data\"", .excerpt = "We share data with <b>ads</b>.",
	                                .line = 7, .column = 4, .offset = 99 };
	d->nscores = 1;
	d->scores = emh_arena_alloc(a, sizeof *d->scores);
	d->scores[0] = (emh_score){ "c", text, 40 };
	return d;
}

static char *render(const emh_dossier *d, emh_format f, const emh_render_options *o)
{
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_report_render(&b, d, f, o, &err), &err);
	return emh_buf_detach(&b, NULL);
}

/*
 * No byte a terminal, an XML parser or a log would act on: C0 (but tab and
 * LF), DEL, C1, invalid UTF-8; no noncharacter or bidi control either.
 */
static void assert_clean(const char *s, int allow_cr, const char *what)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = emh_report__utf8(u + i, len - i, &cp);
		ck_assert_msg(n > 0, "%s: invalid UTF-8 at byte %zu", what, i);
		ck_assert_msg(!(cp < 0x20 && cp != '\n' && cp != '\t' && !(allow_cr && cp == '\r')) && cp != 0x7F &&
		              !emh_report__unwanted(cp),
		              "%s: control or noncharacter U+%04lX at byte %zu", what, cp, i);
		i += n;
	}
}

START_TEST(format_names_round_trip)
{
	for (int f = 0; f < EMH_FORMAT__COUNT; f++) {
		emh_format back;
		ck_assert_int_eq(emh_format_parse(&back, emh_format_name((emh_format)f)), 0);
		ck_assert_int_eq(back, f);
		for (int g = 0; g < f; g++)
			ck_assert_str_ne(emh_format_extension((emh_format)f), emh_format_extension((emh_format)g));
	}
	emh_format md;
	ck_assert_int_eq(emh_format_parse(&md, "md"), 0);
	ck_assert_int_eq(md, EMH_FORMAT_MARKDOWN);
	ck_assert_int_eq(emh_format_parse(&md, "pdf"), EMH_EINVALID);
	ck_assert_str_eq(emh_format_name(EMH_FORMAT__COUNT), "unknown");
}
END_TEST

START_TEST(markup_escapes_and_replaces)
{
	emh_buf b = EMH_BUF_INIT;
	emh_report__markup(&b, "<a href=\"x\">&'</a>\t\n\r\x01\x7f\xc2\x85\xef\xbf\xbf\xef\xb7\x90\xf0\x9f\x98\x80\xc3\xa9\xff");
	ck_assert_str_eq(b.ptr, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;\t\n "
	                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xf0\x9f\x98\x80\xc3\xa9"
	                        "\xef\xbf\xbd");
	emh_buf_clear(&b);
	emh_report__markup(&b, NULL);
	emh_report__plain(&b, "a\033[1mb\xc2\x9b\xfe");
	ck_assert_str_eq(b.ptr, "a [1mb \xef\xbf\xbd");
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(excerpt_match_is_found)
{
	emh_finding f = { .excerpt = "We may share \"data\" with ads.", .found = "\"share \\\"data\\\"\"" };
	size_t s, e;
	ck_assert_int_eq(emh_report__match_in_excerpt(&f, &s, &e), 1);
	ck_assert_uint_eq(s, 7);
	ck_assert_uint_eq(e, 19);
	f.found = "\"\\u00e9t\\u00e9\"";
	f.excerpt = "un \xc3\xa9t\xc3\xa9 chaud";
	ck_assert_int_eq(emh_report__match_in_excerpt(&f, &s, &e), 1);
	ck_assert_uint_eq(s, 3);
	f.found = "no match";
	ck_assert_int_eq(emh_report__match_in_excerpt(&f, &s, &e), 0);
	f.found = "\"unterminated";
	ck_assert_int_eq(emh_report__match_in_excerpt(&f, &s, &e), 0);
	f.found = "\"absent\"";
	ck_assert_int_eq(emh_report__match_in_excerpt(&f, &s, &e), 0);
}
END_TEST

START_TEST(text_wraps_to_width)
{
	emh_dossier *d = sample("a long title that goes on and on well past the right margin of any narrow terminal");
	d->results[EMH_OUTCOME_FAIL].remediation = "averyveryveryveryveryveryveryveryveryveryverylongwordwithoutspaces";
	emh_render_options o = EMH_RENDER_OPTIONS_INIT;
	o.width = 40;
	char *s = render(d, EMH_FORMAT_TEXT, &o);
	size_t lines = 0;
	for (char *line = s, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		unsigned long cols = 0;
		for (char *p = line; p < nl; p++)
			cols += ((unsigned char)*p & 0xC0) != 0x80;
		/* The closing summary is kept on one line for scripts. */
		if (strncmp(line, "rejected:", 9) != 0)
			ck_assert_msg(cols <= 40, "line wider than 40: %.*s", (int)(nl - line), line);
		lines++;
	}
	ck_assert_uint_gt(lines, 10);
	ck_assert_ptr_nonnull(strstr(s, "\n      margin of any narrow terminal\n"));
	ck_assert_ptr_nonnull(strstr(s, "\n      fix: averyveryveryveryveryveryvery\n"
	                                "           veryveryveryverylongwordwitho\n           utspaces\n"));
	free(s);
	o.width = 0; /* 80 */
	s = render(d, EMH_FORMAT_TEXT, &o);
	ck_assert_ptr_nonnull(strstr(s, "C-1 [major] a long title that goes on and on well past the right margin of\n"));
	free(s);
	emh_dossier_free(d);
}
END_TEST

START_TEST(every_format_keeps_hostile_text_inert)
{
	emh_dossier *d = sample(HOSTILE);
	for (int f = 0; f < EMH_FORMAT__COUNT; f++) {
		if (f == EMH_FORMAT_JSON)
			continue; /* the record keeps the text, escaped as JSON */
		char *s = render(d, (emh_format)f, NULL);
		assert_clean(s, 0, emh_format_name((emh_format)f));
		/* Text, SARIF (JSON) and annotations are plain text; the markup languages escape it. */
		if (f == EMH_FORMAT_HTML || f == EMH_FORMAT_MARKDOWN || f == EMH_FORMAT_JUNIT)
			ck_assert_msg(!strstr(s, "<script>"), "%s: raw markup", emh_format_name((emh_format)f));
		free(s);
	}
	emh_dossier_free(d);
}
END_TEST

START_TEST(github_escapes_data_and_properties)
{
	emh_dossier *d = sample("50% done,\r\nnext: ::error::x");
	emh_render_options o = EMH_RENDER_OPTIONS_INIT;
	o.base = "subs/app 1/";
	char *s = render(d, EMH_FORMAT_GITHUB, &o);
	/* Every line is a command of ours: nothing the input holds starts a line. */
	for (char *line = s, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_msg(strncmp(line, "::error ", 8) == 0 || strncmp(line, "::warning ", 10) == 0 ||
		              strncmp(line, "::notice ", 9) == 0, "line: %.*s", (int)(nl - line), line);
	}
	ck_assert_ptr_nonnull(strstr(s, "::error file=subs/app 1/submission.json,line=3,col=14,title=C-1 [major] "
	                                "50%25 done%2C%0D%0Anext%3A %3A%3Aerror%3A%3Ax::50%25 done,%0D%0Anext: ::error::x%0A"));
	ck_assert_ptr_nonnull(strstr(s, "file=subs/app 1/docs/privacy policy.md,line=7,col=4,"));
	free(s);
	emh_dossier_free(d);
}
END_TEST

START_TEST(junit_maps_outcomes)
{
	emh_dossier *d = sample("t");
	char *s = render(d, EMH_FORMAT_JUNIT, NULL);
	/* Only what junit-10.xsd allows: skipped counted on the testsuite, no file or line on a testcase. */
	ck_assert_ptr_nonnull(strstr(s, "<testsuites name=\"emheval\" tests=\"8\" failures=\"2\" errors=\"1\" time=\"0\">"));
	ck_assert_ptr_nonnull(strstr(s, " tests=\"8\" failures=\"2\" errors=\"1\" skipped=\"4\" time=\"0\">\n    <properties>"));
	ck_assert_ptr_nonnull(strstr(s, "<testcase classname=\"privacy\" name=\"C-1: t\" time=\"0\">\n"
	                                "      <failure message=\"t\" type=\"major\">"));
	ck_assert_ptr_null(strstr(s, " line=\""));
	ck_assert_ptr_null(strstr(s, " file=\""));
	/* The location stays in the failure's text, which GitLab shows. */
	ck_assert_ptr_nonnull(strstr(s, "\nsubmission.json:3:14: /app/name: expected t, found &quot;x&quot;\n"));
	ck_assert_ptr_nonnull(strstr(s, "<error message=\"t\" type=\"major\">"));
	ck_assert_ptr_nonnull(strstr(s, "<skipped message=\"Waived: t\"/>"));
	ck_assert_ptr_nonnull(strstr(s, "<skipped message=\"Not applicable: t\"/>"));
	ck_assert_ptr_nonnull(strstr(s, "<testcase classname=\"t\" name=\"C-0: t\" time=\"0\"/>"));
	free(s);
	emh_dossier_free(d);
}
END_TEST

START_TEST(sarif_locates_findings)
{
	emh_dossier *d = sample("t");
	emh_render_options o = EMH_RENDER_OPTIONS_INIT;
	o.base = "sub";
	char *s = render(d, EMH_FORMAT_SARIF, &o);
	cJSON *v = cJSON_Parse(s);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(cJSON_GetObjectItem(v, "version")->valuestring, "2.1.0");
	cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(v, "runs"), 0);
	cJSON *results = cJSON_GetObjectItem(run, "results");
	/* fail: 2 findings, the second fail: 1 result, error, waived; not needs_review (manual is 0 here: 1) */
	ck_assert_int_eq(cJSON_GetArraySize(results), 6);
	cJSON *r0 = cJSON_GetArrayItem(results, 0);
	cJSON *phys = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "locations"), 0), "physicalLocation");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(phys, "artifactLocation"), "uri")->valuestring,
	                 "sub/submission.json");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(phys, "region"), "startLine")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(phys, "region"), "startColumn")->valueint, 14);
	ck_assert_ptr_nonnull(strstr(s, "\"uri\": \"sub/docs/privacy%20policy.md\""));
	ck_assert_ptr_nonnull(strstr(s, "\"suppressions\""));
	cJSON *driver = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"), "driver");
	ck_assert_str_eq(cJSON_GetObjectItem(driver, "informationUri")->valuestring, "https://emheval.example/");
	/* The excerpt is context around a match at column 4 */
	cJSON *r1 = cJSON_GetArrayItem(results, 1);
	phys = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r1, "locations"), 0), "physicalLocation");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(phys, "contextRegion"));
	cJSON_Delete(v);
	free(s);

	/* A match at column 1 covers what its line does: no contextRegion (SARIF1008). Absolute paths are file: URIs. */
	d->results[EMH_OUTCOME_FAIL].findings[1].column = 1;
	o.base = "/srv/sub";
	s = render(d, EMH_FORMAT_SARIF, &o);
	ck_assert_ptr_null(strstr(s, "contextRegion"));
	ck_assert_ptr_nonnull(strstr(s, "\"uri\": \"file:///srv/sub/docs/privacy%20policy.md\""));
	ck_assert_ptr_null(strstr(s, "\"uri\": \"/"));
	free(s);
	emh_dossier_free(d);
}
END_TEST

START_TEST(markdown_escapes_inline_syntax)
{
	emh_dossier *d = sample("*x* _y_ `z` [l](javascript:1) | <b> @team ~s~ $m$");
	char *s = render(d, EMH_FORMAT_MARKDOWN, NULL);
	ck_assert_ptr_nonnull(strstr(s, "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](javascript:1) \\| &lt;b&gt; @\xe2\x80\x8bteam \\~s\\~ \\$m\\$"));
	ck_assert_ptr_nonnull(strstr(s, "> We <b>share data</b> with &lt;b&gt;ads&lt;/b&gt;."));
	free(s);
	emh_dossier_free(d);
}
END_TEST

START_TEST(html_highlights_and_escapes)
{
	emh_dossier *d = sample(HOSTILE);
	char *s = render(d, EMH_FORMAT_HTML, NULL);
	ck_assert_ptr_nonnull(strstr(s, "We <mark>share data</mark> with &lt;b&gt;ads&lt;/b&gt;."));
	ck_assert_ptr_nonnull(strstr(s, "&lt;script&gt;x&lt;/script&gt;&quot;&#39;&amp;"));
	ck_assert_ptr_nonnull(strstr(s, "Content-Security-Policy\" content=\"default-src 'none';"));
	ck_assert_ptr_null(strstr(s, "<script"));
	free(s);
	emh_dossier_free(d);
}
END_TEST

/* How many times needle occurs in s. */
static size_t occurrences(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

START_TEST(index_counts_and_links)
{
	emh_dossier *a = sample("A"), *b = sample("B");
	b->verdict = EMH_VERDICT_APPROVED;
	const emh_index_row rows[] = {
		{ a, "javascript:alert(1).html", "a", "in/a", NULL },
		{ NULL, NULL, "broken \"<x>", "in/broken \"<x>", "in/broken: not JSON <here>" },
		{ b, "b/ok.html", "ok", "other/ok", NULL },
	};
	emh_buf out = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_report_render_index(&out, rows, 3, NULL, &err), &err);
	ck_assert_ptr_nonnull(strstr(out.ptr, "<h1>3 dossiers</h1>"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "1 approved · 0 conditional · 1 rejected · 0 incomplete · 0 awaiting_review · 0 returned · 1 not evaluated"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "href=\"javascript%3Aalert%281%29.html\""));
	ck_assert_ptr_nonnull(strstr(out.ptr, "href=\"b/ok.html\">B B</a>"));
	/* The folder tells two submissions apart; an input error links nowhere and says why. */
	ck_assert_ptr_nonnull(strstr(out.ptr, "<td><code>other/ok</code></td>"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "<th scope=\"row\">broken &quot;&lt;x&gt;</th><td><code>in/broken &quot;&lt;x&gt;</code></td>"
	                                      "<td><span class=\"badge b-error\">input error</span></td>"
	                                      "<td colspan=\"5\">in/broken: not JSON &lt;here&gt;</td>"));
	ck_assert_int_eq(occurrences(out.ptr, "href="), 3); /* the skip link and the two evaluated rows */
	emh_buf_dispose(&out);
	EMH_PASS(emh_report_render_index(&out, NULL, 0, NULL, &err), &err);
	ck_assert_ptr_nonnull(strstr(out.ptr, "No submission was evaluated."));
	emh_buf_dispose(&out);
	emh_dossier_free(a);
	emh_dossier_free(b);
}
END_TEST

START_TEST(render_reports_a_full_buffer)
{
	emh_dossier *d = sample("t");
	for (int f = 0; f < EMH_FORMAT__COUNT; f++) {
		emh_buf b;
		emh_buf_init(&b, 64);
		emh_error err = EMH_ERROR_INIT;
		ck_assert_int_eq(emh_report_render(&b, d, (emh_format)f, NULL, &err), EMH_ELIMIT);
		ck_assert_int_eq(err.code, EMH_ELIMIT);
		emh_buf_dispose(&b);
	}
	emh_dossier_free(d);
}
END_TEST

Suite *emh_suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, text_strips_control_characters);
	tcase_add_test(tc, format_names_round_trip);
	tcase_add_test(tc, markup_escapes_and_replaces);
	tcase_add_test(tc, excerpt_match_is_found);
	tcase_add_test(tc, text_wraps_to_width);
	tcase_add_test(tc, every_format_keeps_hostile_text_inert);
	tcase_add_test(tc, github_escapes_data_and_properties);
	tcase_add_test(tc, junit_maps_outcomes);
	tcase_add_test(tc, sarif_locates_findings);
	tcase_add_test(tc, markdown_escapes_inline_syntax);
	tcase_add_test(tc, html_highlights_and_escapes);
	tcase_add_test(tc, index_counts_and_links);
	tcase_add_test(tc, render_reports_a_full_buffer);
	suite_add_tcase(s, tc);
	return s;
}
