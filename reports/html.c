/*
 * html.c - the dossier as one self-contained web page, and the index page of
 * a batch of dossiers.
 *
 * The page is for a regulator or vendor to read, file and print: a verdict
 * banner, a label-style summary by category (after the ISO/TS 82304-2 health
 * app quality label), the provenance (criteria repository, commit and tree,
 * framework, digest, signature status), the evidence files, every result
 * grouped by domain with its evidence (text excerpts with the match
 * highlighted) and fix, and the reviews and waivers applied.
 *
 * It carries its own CSS, loads nothing and runs no script: a Content
 * Security Policy says so to the browser (default-src 'none'). Results are
 * filtered by outcome and domain with checkboxes and CSS alone (:checked
 * inside :has()); a browser without :has() shows everything. Print CSS
 * drops the filters and prints every result on A4, with "Page N of M" and a
 * running header (app, criteria revision, digest) on every page. The page is written to meet
 * WCAG 2.1 AA (landmarks, headings in order, labelled controls, contrast of
 * at least 4.5:1), which tests/browser checks with axe-core.
 *
 * The markup is also well-formed XML (void elements closed with "/>",
 * attributes quoted, only XML's own entities), so xmllint can check any
 * page strictly. Every string from the dossier goes through emh_report__markup: markup
 * characters become references and control characters, noncharacters and
 * invalid UTF-8 become U+FFFD, so nothing a submission holds can add an
 * element or an attribute. Class names and ids are made from indexes, never
 * from a submission's text.
 */
#include <stdio.h>
#include <string.h>
#include "evaluator/encode.h"
#include "reports/render.h"

static const char *const css[] = {
	":root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#0b57d0;"
	"--pass:#1e6b34;--fail:#b3261e;--warn:#8a5300;--info:#5b3e96}\n",
	"*{box-sizing:border-box}\n",
	"html{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Liberation Sans\",Arial,"
	"sans-serif;color:var(--ink);background:#fff}\n",
	"body{margin:0}\n",
	"a{color:var(--accent)}\n",
	"code,.mono{font-family:ui-monospace,\"SFMono-Regular\",\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
	"font-size:.9em;overflow-wrap:anywhere}\n",
	".skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:2}\n",
	".skip:focus{left:.5rem}\n",
	".wrap{max-width:64rem;margin:0 auto;padding:0 1.25rem}\n",
	".banner{color:#fff;padding:1.5rem 0 1.25rem;border-bottom:6px solid rgba(0,0,0,.25)}\n",
	".v-approved{background:var(--pass)}.v-conditional{background:var(--warn)}"
	".v-rejected{background:var(--fail)}.v-incomplete{background:var(--info)}"
	".v-awaiting_review{background:var(--info)}.v-returned{background:var(--fail)}\n",
	".banner p{margin:.25rem 0}\n",
	".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;font-weight:600}\n",
	".banner h1{margin:.25rem 0 .5rem;font-size:2rem;line-height:1.2}\n",
	".verdict{display:inline-block;background:#fff;color:var(--ink);border-radius:.3rem;"
	"padding:.05em .45em;margin-right:.4em;font-size:.8em;vertical-align:.1em}\n",
	".v-approved .verdict{color:var(--pass)}.v-conditional .verdict{color:var(--warn)}"
	".v-rejected .verdict{color:var(--fail)}.v-incomplete .verdict{color:var(--info)}"
	".v-awaiting_review .verdict{color:var(--info)}.v-returned .verdict{color:var(--fail)}\n",
	".banner code{background:rgba(0,0,0,.25);padding:0 .3em;border-radius:.2rem}\n",
	".counts{font-weight:600}\n",
	"main{padding:1.5rem 0 2rem}\n",
	"h2{font-size:1.35rem;margin:2rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}\n",
	"h3{font-size:1.1rem;margin:1.5rem 0 .5rem}\n",
	"h4{font-size:1rem;margin:0 0 .25rem;line-height:1.4}\n",
	".top h2{margin-top:0}\n",
	".top{display:grid;grid-template-columns:minmax(16rem,1fr) minmax(16rem,1.4fr);gap:1.5rem;align-items:start}\n",
	"@media (max-width:44rem){.top{grid-template-columns:1fr}}\n",
	".label{border:3px solid var(--ink);border-radius:.6rem;overflow:hidden;background:#fff}\n",
	".label h2{margin:0;border:0;background:var(--ink);color:#fff;font-size:1rem;padding:.6rem .9rem;"
	"letter-spacing:.02em}\n",
	".label ul{list-style:none;margin:0;padding:.4rem .9rem .8rem}\n",
	".label li{display:grid;grid-template-columns:1fr 3.2rem;gap:.2rem .75rem;align-items:center;"
	"padding:.45rem 0;border-bottom:1px solid var(--line)}\n",
	".label li:last-child{border-bottom:0}\n",
	".cat{font-weight:600}\n",
	".bar{grid-column:1;height:.55rem;background:#e6e9ed;border-radius:1rem;overflow:hidden}\n",
	".bar span{display:block;height:100%;border-radius:1rem}\n",
	".score{grid-column:2;grid-row:1/span 2;text-align:center;color:#fff;font-weight:700;font-size:1.15rem;"
	"border-radius:.35rem;padding:.3rem 0;line-height:1.1}\n",
	".score small{display:block;font-size:.65rem;font-weight:600}\n",
	".s-hi{background:var(--pass)}.s-mid{background:var(--warn)}.s-lo{background:var(--fail)}"
	".s-none{background:#57606a}\n",
	".label .note{margin:0;padding:.5rem .9rem;background:var(--soft);font-size:.85rem;color:var(--muted)}\n",
	"dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}\n",
	"dl.prov dt{font-weight:600;color:var(--muted)}\n",
	"dl.prov dd{margin:0;min-width:0}\n",
	"table{border-collapse:collapse;width:100%;font-size:.95rem}\n",
	"caption{text-align:left;color:var(--muted);padding-bottom:.3rem}\n",
	"th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}\n",
	"th{background:var(--soft)}\n",
	".filters{display:flex;flex-wrap:wrap;gap:.75rem 2rem;background:var(--soft);border:1px solid var(--line);"
	"border-radius:.5rem;padding:.6rem 1rem;margin:0 0 1rem}\n",
	".filters fieldset{border:0;margin:0;padding:0;min-width:0}\n",
	".filters legend{font-weight:600;padding:0;margin-bottom:.2rem}\n",
	".filters label{display:inline-flex;align-items:center;gap:.3rem;margin:.1rem .9rem .1rem 0;"
	"cursor:pointer;white-space:nowrap}\n",
	".filters input{width:1.05rem;height:1.05rem;margin:0;accent-color:var(--accent)}\n",
	".result{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:.4rem;"
	"padding:.7rem .9rem;margin:.6rem 0;background:#fff;break-inside:avoid}\n",
	".result p{margin:.3rem 0}\n",
	".result.o-fail{border-left-color:var(--fail)}.result.o-error{border-left-color:#880e4f}"
	".result.o-pass{border-left-color:var(--pass)}.result.o-needs_review{border-left-color:var(--warn)}"
	".result.o-waived{border-left-color:#3949ab}.result.o-not_evaluated{border-left-color:#57606a}\n",
	".badge{display:inline-block;font-size:.78rem;font-weight:700;border-radius:1rem;padding:.05rem .55rem;"
	"margin-right:.35rem;vertical-align:.1em;white-space:nowrap}\n",
	".b-pass{background:#e6f4ea;color:#1e5b2e}.b-fail{background:#fde7e6;color:#8c1d18}"
	".b-error{background:#fce4ec;color:#880e4f}.b-needs_review{background:#fff4e0;color:#6d4100}"
	".b-waived{background:#e8eaf6;color:#303f9f}.b-not_evaluated{background:#eceff1;color:#3c4a52}"
	".b-not_applicable{background:#f1f3f4;color:#4d5156}\n",
	".rid{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;margin-right:.35rem}\n",
	".meta{color:var(--muted);font-size:.88rem}\n",
	".sev-blocker,.sev-major{font-weight:700;color:#8c1d18}\n",
	".findings{margin:.4rem 0;padding-left:1.2rem}\n",
	".findings li{margin:.3rem 0}\n",
	".excerpt{margin:.35rem 0 .2rem;padding:.45rem .7rem;background:var(--soft);border-left:3px solid "
	"var(--line);border-radius:.25rem;white-space:pre-wrap;overflow-wrap:anywhere}\n",
	"mark{background:#ffe08a;color:var(--ink);border-radius:.15rem;padding:0 .1em;"
	"box-shadow:0 0 0 1px #d4a72c}\n",
	".fix{border-top:1px dashed var(--line);padding-top:.35rem}\n",
	".note-w{background:#eef0fb;border-radius:.3rem;padding:.3rem .6rem}\n",
	".hint{color:var(--muted);font-size:.88rem;margin:-.5rem 0 1rem}\n",
	".empty{color:var(--muted)}\n",
	"footer{border-top:1px solid var(--line);color:var(--muted);font-size:.85rem;padding:1rem 0 2rem}\n",
	"footer p{margin:.2rem 0}\n",
	".date{white-space:nowrap}\n",
	"@media print{\n",
	"  html{font-size:10pt}\n",
	"  .skip,.filters,.hint{display:none}\n",
	"  .banner,.score,.badge,.bar span,mark,.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n",
	"  .wrap{max-width:none;padding:0}\n",
	"  .top{grid-template-columns:15rem 1fr;gap:1rem}\n",
	"  dl.prov{grid-template-columns:11rem 1fr}\n",
	"  .banner{padding:.8rem 1rem}\n",
	"  h2,h3,h4{break-after:avoid}\n",
	"  .label,.result,tr{break-inside:avoid}\n",
	"  a{color:inherit;text-decoration:none}\n",
	"}\n",
	/* Paper: A4, "Page N of M" at the foot; the running header is the page's own (print_header). */
	"@page{size:A4;margin:2.2cm 1.5cm 1.8cm;\n",
	"  @top-left{font:8pt/1.4 system-ui,\"Liberation Sans\",Arial,sans-serif;color:#57606a;white-space:pre-wrap;"
	"overflow-wrap:anywhere;vertical-align:bottom;padding-bottom:.25cm}\n",
	"  @bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);"
	"font:8pt system-ui,\"Liberation Sans\",Arial,sans-serif;color:#57606a;vertical-align:top;padding-top:.3cm}\n",
	"}\n",
};

static void esc(emh_buf *b, const char *s)
{
	emh_report__markup(b, s);
}

/* The shared sentences (sentence.c), written into b: our words as they are, the submission's escaped. */
static void sink_own(void *b, const char *s)
{
	emh_buf_puts(b, s);
}

static void sink_text(void *b, const char *s)
{
	esc(b, s);
}


/*
 * The running header of every printed page, as the content of the @page
 * margin box, in three lines: the app and its version, the criteria
 * revision (the revision asked and the commit), the dossier's digest. Its text comes
 * from the dossier, so it is written as a CSS string escape by escape
 * (emh_encode_css_string): nothing in it can end the string or the rule.
 */
static void print_header(emh_buf *b, const emh_dossier *d)
{
	emh_buf_puts(b, "@page{@top-left{content:\"");
	emh_encode_css_string(b, emh_report__app_name(d));
	if (d->app_version) {
		emh_buf_putc(b, ' ');
		emh_encode_css_string(b, d->app_version);
	}
	emh_buf_puts(b, " \\2014  emheval dossier\\A Criteria ");
	emh_encode_css_string(b, d->criteria_rev);
	if (d->criteria_commit) {
		char c12[16];
		snprintf(c12, sizeof c12, "%.12s", d->criteria_commit);
		emh_buf_puts(b, d->criteria_rev ? ", commit " : "commit ");
		emh_encode_css_string(b, c12);
	} else if (!d->criteria_rev) {
		emh_buf_puts(b, "not recorded");
	}
	emh_buf_puts(b, "\\A Dossier digest ");
	emh_encode_css_string(b, d->digest ? d->digest : "not recorded");
	emh_buf_puts(b, "\"}}\n");
}

static const char *verdict_class(emh_verdict v)
{
	return emh_verdict_name(v);
}

/* The page's head and opening body, up to the banner. title is plain (escaped here). */
static void open_page(emh_buf *b, const char *title, const char *extra_css)
{
	emh_report__html_head(b, title, NULL);
	for (size_t i = 0; i < sizeof css / sizeof css[0]; i++)
		emh_buf_puts(b, css[i]);
	if (extra_css)
		emh_buf_puts(b, extra_css);
	emh_buf_puts(b, "</style>\n</head>\n<body>\n");
}

/* "3 failed · 1 needs review · ..." of the outcomes that occur, most urgent first. */
static void put_counts(emh_buf *b, const size_t counts[EMH_OUTCOME__COUNT])
{
	static const emh_outcome order[] = {
		EMH_OUTCOME_FAIL, EMH_OUTCOME_ERROR, EMH_OUTCOME_NEEDS_REVIEW, EMH_OUTCOME_NOT_EVALUATED,
		EMH_OUTCOME_WAIVED, EMH_OUTCOME_PASS, EMH_OUTCOME_NOT_APPLICABLE,
	};
	int first = 1;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		size_t n = counts[order[i]];
		if (!n && order[i] != EMH_OUTCOME_FAIL && order[i] != EMH_OUTCOME_PASS)
			continue;
		emh_buf_appendf(b, "%s%zu %s", first ? "" : " · ", n, emh_report__outcome_label(order[i]));
		first = 0;
	}
}

static void put_banner(emh_buf *b, const emh_dossier *d)
{
	emh_buf_puts(b, "<a class=\"skip\" href=\"#results\">Skip to the results</a>\n");
	emh_buf_appendf(b, "<header class=\"banner v-%s\">\n<div class=\"wrap\">\n", verdict_class(d->verdict));
	emh_buf_puts(b, "<p class=\"kicker\">emheval dossier</p>\n<h1><span class=\"verdict\">");
	emh_buf_puts(b, emh_report__verdict_label(d->verdict));
	emh_buf_puts(b, "</span> ");
	esc(b, emh_report__app_name(d));
	if (d->app_version) {
		emh_buf_putc(b, ' ');
		esc(b, d->app_version);
	}
	emh_buf_puts(b, "</h1>\n<p>");
	if (d->submission_id) {
		emh_buf_puts(b, "Submission <code>");
		esc(b, d->submission_id);
		emh_buf_puts(b, "</code>");
	}
	if (d->tier) {
		emh_buf_puts(b, " · risk tier ");
		esc(b, d->tier);
	}
	emh_buf_puts(b, " · checked against ");
	esc(b, d->framework_name ? d->framework_name : "criteria");
	if (d->framework_version) {
		emh_buf_putc(b, ' ');
		esc(b, d->framework_version);
	}
	if (d->as_of) {
		emh_buf_puts(b, " as of ");
		emh_report__date(b, d->as_of);
	}
	emh_buf_puts(b, "</p>\n<p class=\"counts\">");
	put_counts(b, d->counts);
	emh_buf_puts(b, "</p>\n</div>\n</header>\n");
}

static void put_idlist(emh_buf *b, const char *label, const char *const *ids, size_t n)
{
	if (!n)
		return;
	emh_buf_appendf(b, "<p>%s", label);
	for (size_t i = 0; i < n; i++) {
		emh_buf_puts(b, i ? ", <code>" : " <code>");
		esc(b, ids[i]);
		emh_buf_puts(b, "</code>");
	}
	emh_buf_puts(b, "</p>\n");
}

/* One verdict per profile, with what decides it (docs/profiles.md). */
static void put_profiles(emh_buf *b, const emh_dossier *d)
{
	emh_buf_puts(b, "<section aria-labelledby=\"prof-h\">\n<h2 id=\"prof-h\">Verdict per assessment profile</h2>\n");
	for (size_t k = 0; k < d->nprofiles; k++) {
		const emh_profile_verdict *p = &d->profiles[k];
		emh_buf_appendf(b, "<h3><span class=\"badge b-%s\">%s</span> <code>",
		                p->verdict == EMH_VERDICT_APPROVED ? "pass"
		                : p->verdict == EMH_VERDICT_CONDITIONAL || p->verdict == EMH_VERDICT_AWAITING_REVIEW
		                ? "needs_review" : "fail", emh_report__verdict_label(p->verdict));
		esc(b, p->id ? p->id : "?");
		emh_buf_puts(b, "</code> ");
		esc(b, p->title ? p->title : "");
		emh_buf_appendf(b, " (%zu criteria)</h3>\n", p->ncriteria);
		put_idlist(b, "Returned for resubmission:", p->returned, p->nreturned);
		put_idlist(b, "Rejected by:", p->rejected, p->nrejected);
		put_idlist(b, "Incomplete:", p->incomplete, p->nincomplete);
		put_idlist(b, "Awaiting a review decision:", p->awaiting_review, p->nawaiting_review);
		if (p->nconditions) {
			emh_buf_puts(b, "<ul>\n");
			for (size_t i = 0; i < p->nconditions; i++) {
				emh_buf_puts(b, "<li>Condition <code>");
				esc(b, p->conditions[i].criterion ? p->conditions[i].criterion : "?");
				emh_buf_puts(b, "</code>, due ");
				if (p->conditions[i].due)
					emh_report__date(b, p->conditions[i].due);
				else
					esc(b, "(no evaluation date)");
				emh_buf_puts(b, ": ");
				esc(b, p->conditions[i].fix ? p->conditions[i].fix : "see the criterion");
				emh_buf_puts(b, "</li>\n");
			}
			emh_buf_puts(b, "</ul>\n");
		}
	}
	emh_buf_puts(b, "</section>\n");
}

static void put_label(emh_buf *b, const emh_dossier *d)
{
	emh_buf_puts(b, "<section class=\"label\" aria-labelledby=\"label-h\">\n"
	                "<h2 id=\"label-h\">Quality label by category</h2>\n");
	if (!d->nscores) {
		emh_buf_puts(b, "<p class=\"note\">The criteria define no categories.</p>\n</section>\n");
		return;
	}
	emh_buf_puts(b, "<ul>\n");
	for (size_t i = 0; i < d->nscores; i++) {
		const emh_score *s = &d->scores[i];
		const char *cls = s->score < 0 ? "s-none" : s->score >= 70 ? "s-hi" : s->score >= 40 ? "s-mid" : "s-lo";
		emh_buf_puts(b, "<li><span class=\"cat\">");
		esc(b, s->title ? s->title : s->category);
		emh_buf_puts(b, "</span>");
		if (s->score >= 0) {
			emh_buf_appendf(b, "<span class=\"score %s\">%d<small>of 100</small></span>", cls, s->score);
			emh_buf_appendf(b, "<span class=\"bar\" aria-hidden=\"true\"><span class=\"%s\" style=\"width:%d%%\">"
			                "</span></span>", cls, s->score > 100 ? 100 : s->score);
		} else {
			emh_buf_puts(b, "<span class=\"score s-none\">–<small>none counted</small></span>"
			                "<span class=\"bar\" aria-hidden=\"true\"></span>");
		}
		emh_buf_puts(b, "</li>\n");
	}
	emh_buf_puts(b, "</ul>\n<p class=\"note\">Each score is the share of automatic checks passed in the category, "
	                "weighted by domain (for the risk tier) and severity. The verdict follows the framework's "
	                "policy.</p>\n</section>\n");
}

static void dd_code(emh_buf *b, const char *term, const char *value)
{
	emh_buf_appendf(b, "<dt>%s</dt><dd>", term);
	if (value) {
		emh_buf_puts(b, "<code>");
		esc(b, value);
		emh_buf_puts(b, "</code>");
	} else {
		emh_buf_puts(b, "<span class=\"empty\">not recorded</span>");
	}
	emh_buf_puts(b, "</dd>\n");
}

static void put_provenance(emh_buf *b, const emh_dossier *d, const char *signature)
{
	emh_buf_puts(b, "<section aria-labelledby=\"prov-h\">\n<h2 id=\"prov-h\">Provenance</h2>\n<dl class=\"prov\">\n");
	emh_buf_puts(b, "<dt>Framework</dt><dd>");
	esc(b, d->framework_name ? d->framework_name : "?");
	if (d->framework_version) {
		emh_buf_puts(b, " version ");
		esc(b, d->framework_version);
	}
	emh_buf_puts(b, "</dd>\n");
	if (d->criteria_source) /* the repository's own name; the path below is where it was on the evaluating machine */
		dd_code(b, "Criteria source", d->criteria_source);
	dd_code(b, "Criteria repository", d->criteria_repository);
	dd_code(b, "Criteria folder", d->criteria_path);
	dd_code(b, "Revision asked", d->criteria_rev);
	dd_code(b, "Commit", d->criteria_commit);
	dd_code(b, "Tree", d->criteria_tree);
	emh_buf_puts(b, "<dt>Evaluated as of</dt><dd>");
	if (d->as_of)
		emh_report__date(b, d->as_of);
	else
		emh_buf_puts(b, "<span class=\"empty\">not recorded</span>");
	emh_buf_puts(b, "</dd>\n");
	dd_code(b, "submission.json SHA-256", d->submission_sha256);
	dd_code(b, "Dossier digest", d->digest);
	emh_buf_puts(b, "<dt>Signature</dt><dd>");
	esc(b, signature ? signature
	                 : "not part of the dossier: a signed dossier has a DSSE envelope beside it (NAME.dsse.json), "
	                   "which emheval verify checks");
	emh_buf_puts(b, "</dd>\n");
	if (d->revision > 1) {
		emh_buf_appendf(b, "<dt>Revision</dt><dd>%d</dd>\n", d->revision);
		dd_code(b, "Follows dossier", d->previous_digest);
	}
	emh_buf_puts(b, "<dt>Tool</dt><dd>emheval ");
	esc(b, d->tool_version ? d->tool_version : "(version not recorded)");
	emh_buf_puts(b, "</dd>\n");
	emh_buf_puts(b, "</dl>\n</section>\n");
}

static void put_evidence(emh_buf *b, const emh_dossier *d)
{
	emh_buf_puts(b, "<section aria-labelledby=\"ev-h\">\n<h2 id=\"ev-h\">Evidence files</h2>\n");
	if (!d->nevidence) {
		emh_buf_puts(b, "<p class=\"empty\">The submission lists no evidence files.</p>\n</section>\n");
		return;
	}
	emh_buf_puts(b, "<table>\n<caption>Each file's SHA-256 as computed; a declared hash that differs is an "
	                "integrity failure.</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Kind</th>"
	                "<th scope=\"col\">Status</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *e = &d->evidence[i];
		int ok = emh_report__evidence_verified(e);
		emh_buf_puts(b, "<tr><td><code>");
		esc(b, e->path);
		emh_buf_puts(b, "</code></td><td>");
		esc(b, e->kind);
		emh_buf_appendf(b, "</td><td><span class=\"badge %s\">", ok ? "b-pass" : "b-fail");
		esc(b, e->status ? e->status : "unknown");
		emh_buf_puts(b, "</span>");
		if (e->problem) {
			emh_buf_putc(b, ' ');
			esc(b, e->problem);
		}
		emh_buf_puts(b, "</td><td><code>");
		esc(b, e->sha256 ? e->sha256 : "–");
		emh_buf_puts(b, "</code></td></tr>\n");
	}
	emh_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

static void put_finding(emh_buf *b, const emh_finding *f)
{
	emh_buf_puts(b, "<li>");
	if (emh_report__finding_file(f) || f->pointer) {
		emh_buf_puts(b, "<code>");
		emh_report__where(&(emh_report__sink){ sink_own, sink_text, b }, f);
		emh_buf_puts(b, "</code>: ");
	}
	emh_buf_puts(b, "expected <code>");
	esc(b, f->expected ? f->expected : "?");
	emh_buf_puts(b, "</code>, found <code>");
	esc(b, f->found ? f->found : "?");
	emh_buf_puts(b, "</code>");
	if (f->excerpt) {
		size_t s, e;
		emh_buf_puts(b, "<div class=\"excerpt mono\">");
		if (emh_report__match_in_excerpt(f, &s, &e)) {
			emh_report__markup_n(b, f->excerpt, s);
			emh_buf_puts(b, "<mark>");
			emh_report__markup_n(b, f->excerpt + s, e - s);
			emh_buf_puts(b, "</mark>");
			esc(b, f->excerpt + e);
		} else {
			esc(b, f->excerpt);
		}
		emh_buf_puts(b, "</div>");
	}
	emh_buf_puts(b, "</li>\n");
}

static void put_result(emh_buf *b, const emh_dossier *d, size_t i, size_t dom)
{
	const emh_result *r = &d->results[i];
	const char *on = emh_outcome_name(r->outcome);
	emh_buf_appendf(b, "<article class=\"result o-%s\" id=\"r%zu\" aria-labelledby=\"r%zu-h\">\n", on, i, i);
	emh_buf_appendf(b, "<h4 id=\"r%zu-h\"><span class=\"badge b-%s\">%s</span><span class=\"rid\">", i, on,
	                emh_report__outcome_label(r->outcome));
	esc(b, r->id);
	emh_buf_puts(b, "</span>");
	esc(b, r->title);
	emh_buf_puts(b, "</h4>\n");
	emh_buf_appendf(b, "<p class=\"meta\"><span class=\"sev-%s\">%s</span> · ", emh_severity_name(r->severity),
	                emh_report__severity_label(r->severity));
	esc(b, d->results[i].domain);
	emh_buf_appendf(b, " · version %d · %s", r->version, r->manual ? "manual" : "automatic check");
	if (r->provenance) {
		emh_buf_puts(b, " · ");
		esc(b, r->provenance);
	}
	for (size_t k = 0; k < r->nreferences; k++) {
		emh_buf_puts(b, k ? ", " : " · ");
		esc(b, r->references[k]);
	}
	emh_buf_puts(b, "</p>\n");
	(void)dom;
	if (r->message) {
		emh_buf_puts(b, "<p>");
		esc(b, r->message);
		emh_buf_puts(b, "</p>\n");
	}
	if (r->reason) {
		emh_buf_puts(b, "<p><strong>Why:</strong> ");
		esc(b, r->reason);
		emh_buf_puts(b, "</p>\n");
	}
	if (r->nfindings) {
		emh_buf_puts(b, "<ul class=\"findings\">\n");
		for (size_t k = 0; k < r->nfindings; k++)
			put_finding(b, &r->findings[k]);
		emh_buf_puts(b, "</ul>\n");
	}
	if (r->remediation && (r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR ||
	                       r->outcome == EMH_OUTCOME_WAIVED)) {
		emh_buf_puts(b, "<p class=\"fix\"><strong>Fix:</strong> ");
		esc(b, r->remediation);
		emh_buf_puts(b, "</p>\n");
	}
	for (size_t k = 0; k < d->nwaivers; k++) {
		const emh_waiver *w = &d->waivers[k];
		if (r->outcome != EMH_OUTCOME_WAIVED || !w->criterion || !r->id || strcmp(w->criterion, r->id) != 0 ||
		    (w->status && strcmp(w->status, "applied") != 0))
			continue;
		emh_buf_puts(b, "<p class=\"note-w\"><strong>Waived</strong> by <code>");
		esc(b, w->id);
		emh_buf_puts(b, "</code>, approved by ");
		esc(b, w->approver);
		emh_buf_puts(b, ", until ");
		emh_report__date(b, w->expires);
		emh_buf_puts(b, ": ");
		esc(b, w->justification);
		emh_buf_puts(b, "</p>\n");
	}
	for (size_t k = 0; k < d->nreviews; k++) {
		const emh_review *v = &d->reviews[k];
		if (!v->criterion || !r->id || strcmp(v->criterion, r->id) != 0)
			continue;
		/* emh_report__review_sentence's words, but the date is markup here (a span that never breaks). */
		emh_buf_puts(b, "<p class=\"note-w\"><strong>Reviewed:</strong> ");
		esc(b, v->decision);
		emh_buf_puts(b, " by ");
		esc(b, v->reviewer);
		if (v->role) {
			emh_buf_puts(b, " (");
			esc(b, v->role);
			emh_buf_puts(b, ")");
		}
		if (v->date) {
			emh_buf_puts(b, " on ");
			emh_report__date(b, v->date);
		}
		if (v->rationale) {
			emh_buf_puts(b, ": ");
			esc(b, v->rationale);
		}
		emh_buf_puts(b, "</p>\n");
	}
	if (r->guidance && r->outcome == EMH_OUTCOME_NEEDS_REVIEW) {
		emh_buf_puts(b, "<p class=\"fix\"><strong>For the reviewer:</strong> ");
		esc(b, r->guidance);
		emh_buf_puts(b, "</p>\n");
	}
	emh_buf_puts(b, "</article>\n");
}

/* Outcomes in the order the filters list them. */
static const emh_outcome filter_order[] = {
	EMH_OUTCOME_FAIL, EMH_OUTCOME_ERROR, EMH_OUTCOME_NEEDS_REVIEW, EMH_OUTCOME_NOT_EVALUATED,
	EMH_OUTCOME_WAIVED, EMH_OUTCOME_PASS, EMH_OUTCOME_NOT_APPLICABLE,
};

/*
 * The CSS that makes the checkboxes filter (only on screen; print shows
 * everything): an unticked outcome or domain hides its results, and a
 * domain whose outcomes are all unticked hides its heading too.
 */
static void filter_css(emh_buf *b, const emh_dossier *d, const emh_report__domains *g)
{
	emh_buf_puts(b, "@media screen{\n");
	for (size_t i = 0; i < sizeof filter_order / sizeof filter_order[0]; i++) {
		const char *on = emh_outcome_name(filter_order[i]);
		if (d->counts[filter_order[i]])
			emh_buf_appendf(b, "body:has(#fo-%s:not(:checked)) .o-%s{display:none}\n", on, on);
	}
	for (size_t k = 0; k < g->ndomains; k++) {
		emh_buf_appendf(b, "body:has(#fd%zu:not(:checked)) .d%zu{display:none}\n", k, k);
		emh_buf_puts(b, "body");
		for (int o = 0; o < EMH_OUTCOME__COUNT; o++) {
			int present = 0;
			for (size_t i = 0; i < d->nresults && !present; i++)
				present = g->of_result[i] == k && (int)d->results[i].outcome == o;
			if (present)
				emh_buf_appendf(b, ":has(#fo-%s:not(:checked))", emh_outcome_name((emh_outcome)o));
		}
		emh_buf_appendf(b, " .d%zu{display:none}\n", k);
	}
	emh_buf_puts(b, "}\n");
}

static void put_results(emh_buf *b, const emh_dossier *d, const emh_report__domains *g)
{
	emh_buf_puts(b, "<section id=\"results\" aria-labelledby=\"res-h\">\n<h2 id=\"res-h\">Results</h2>\n");
	if (!d->nresults) {
		emh_buf_puts(b, "<p class=\"empty\">No criterion was evaluated.</p>\n</section>\n");
		return;
	}
	emh_buf_puts(b, "<form class=\"filters\" aria-label=\"Filter the results\">\n"
	                "<fieldset><legend>Outcome</legend>\n");
	for (size_t i = 0; i < sizeof filter_order / sizeof filter_order[0]; i++) {
		emh_outcome o = filter_order[i];
		if (!d->counts[o])
			continue;
		const char *on = emh_outcome_name(o);
		/* What passed or did not apply is there, but not in the way. */
		int checked = o != EMH_OUTCOME_PASS && o != EMH_OUTCOME_NOT_APPLICABLE;
		emh_buf_appendf(b, "<label><input type=\"checkbox\" id=\"fo-%s\"%s /> %s (%zu)</label>\n", on,
		                checked ? " checked=\"checked\"" : "", emh_report__outcome_label(o), d->counts[o]);
	}
	emh_buf_puts(b, "</fieldset>\n<fieldset><legend>Domain</legend>\n");
	for (size_t k = 0; k < g->ndomains; k++) {
		size_t n = 0;
		for (size_t i = 0; i < d->nresults; i++)
			n += g->of_result[i] == k;
		emh_buf_appendf(b, "<label><input type=\"checkbox\" id=\"fd%zu\" checked=\"checked\" /> ", k);
		esc(b, g->names[k]);
		emh_buf_appendf(b, " (%zu)</label>\n", n);
	}
	emh_buf_puts(b, "</fieldset>\n</form>\n<p class=\"hint\">Untick a box to hide those results; passed and "
	                "not applicable ones start hidden. Printing shows every result.</p>\n");
	for (size_t k = 0; k < g->ndomains; k++) {
		emh_buf_appendf(b, "<section class=\"domain d%zu\" aria-labelledby=\"d%zu-h\">\n<h3 id=\"d%zu-h\">", k, k, k);
		esc(b, g->names[k]);
		emh_buf_puts(b, "</h3>\n");
		/* Most urgent outcome first, then severest first, then by id. */
		for (size_t oi = 0; oi < sizeof filter_order / sizeof filter_order[0]; oi++)
			for (int s = 0; s < EMH_SEVERITY__COUNT; s++)
				for (size_t i = 0; i < d->nresults; i++)
					if (g->of_result[i] == k && d->results[i].outcome == filter_order[oi] &&
					    (int)d->results[i].severity == s)
						put_result(b, d, i, k);
		emh_buf_puts(b, "</section>\n");
	}
	emh_buf_puts(b, "</section>\n");
}

static void put_reviews(emh_buf *b, const emh_dossier *d)
{
	emh_buf_puts(b, "<section aria-labelledby=\"rw-h\">\n<h2 id=\"rw-h\">Reviews and waivers</h2>\n");
	if (!d->nreviews) {
		emh_buf_puts(b, "<p class=\"empty\">No reviewer's decision is recorded in this dossier.</p>\n");
	} else {
		emh_buf_puts(b, "<table>\n<caption>Reviewers' decisions applied, in the order given</caption>\n<thead><tr>"
		                "<th scope=\"col\">Criterion</th><th scope=\"col\">Decision</th><th scope=\"col\">Reviewer</th>"
		                "<th scope=\"col\">Date</th><th scope=\"col\">Rationale</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < d->nreviews; i++) {
			const emh_review *r = &d->reviews[i];
			int pass = r->decision && strcmp(r->decision, "pass") == 0;
			emh_buf_puts(b, "<tr><td><code>");
			esc(b, r->criterion);
			emh_buf_appendf(b, "</code> v%d</td><td><span class=\"badge %s\">", r->version, pass ? "b-pass" : "b-fail");
			esc(b, r->decision ? r->decision : "?");
			emh_buf_puts(b, "</span></td><td>");
			esc(b, r->reviewer);
			if (r->role) {
				emh_buf_puts(b, " (");
				esc(b, r->role);
				emh_buf_puts(b, ")");
			}
			emh_buf_puts(b, "</td><td>");
			emh_report__date(b, r->date);
			emh_buf_puts(b, "</td><td>");
			esc(b, r->rationale);
			emh_buf_puts(b, "</td></tr>\n");
		}
		emh_buf_puts(b, "</tbody>\n</table>\n");
	}
	if (!d->nwaivers) {
		emh_buf_puts(b, "<p class=\"empty\">No waiver applies to this submission.</p>\n");
	} else {
		emh_buf_puts(b, "<table>\n<caption>Waivers considered</caption>\n<thead><tr>"
		                "<th scope=\"col\">Waiver</th><th scope=\"col\">Criterion</th><th scope=\"col\">Status</th>"
		                "<th scope=\"col\">Approver</th><th scope=\"col\">Expires</th>"
		                "<th scope=\"col\">Justification</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < d->nwaivers; i++) {
			const emh_waiver *w = &d->waivers[i];
			int applied = w->status && strcmp(w->status, "applied") == 0;
			emh_buf_puts(b, "<tr><td><code>");
			esc(b, w->id);
			emh_buf_puts(b, "</code></td><td><code>");
			esc(b, w->criterion);
			emh_buf_puts(b, "</code>");
			if (w->app_version) {
				emh_buf_puts(b, " for version ");
				esc(b, w->app_version);
			}
			emh_buf_appendf(b, "</td><td><span class=\"badge %s\">", applied ? "b-waived" : "b-not_applicable");
			esc(b, w->status ? w->status : "?");
			emh_buf_puts(b, "</span></td><td>");
			esc(b, w->approver);
			emh_buf_puts(b, "</td><td>");
			emh_report__date(b, w->expires);
			emh_buf_puts(b, "</td><td>");
			esc(b, w->justification);
			emh_buf_puts(b, "</td></tr>\n");
		}
		emh_buf_puts(b, "</tbody>\n</table>\n");
	}
	emh_buf_puts(b, "</section>\n");
}

int emh_report_render_html(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err)
{
	emh_report__domains g;
	if (emh_report__domains_init(&g, d))
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_buf title = EMH_BUF_INIT, fcss = EMH_BUF_INIT;
	emh_buf_appendf(&title, "%s: %s", emh_report__verdict_label(d->verdict), emh_report__app_name(d));
	if (d->app_version)
		emh_buf_appendf(&title, " %s", d->app_version);
	emh_buf_puts(&title, " (emheval dossier)");
	filter_css(&fcss, d, &g);
	print_header(&fcss, d);
	open_page(out, emh_buf_cstr(&title), emh_buf_cstr(&fcss));
	put_banner(out, d);
	emh_buf_puts(out, "<main>\n<div class=\"wrap\">\n<div class=\"top\">\n");
	put_label(out, d);
	put_provenance(out, d, o ? o->signature : NULL);
	emh_buf_puts(out, "</div>\n");
	put_profiles(out, d);
	put_results(out, d, &g);
	put_evidence(out, d);
	put_reviews(out, d);
	emh_buf_puts(out, "</div>\n</main>\n<footer>\n<div class=\"wrap\">\n<p>Rendered by emheval");
	if (d->tool_version) {
		emh_buf_putc(out, ' ');
		esc(out, d->tool_version);
	}
	emh_buf_puts(out, " from the dossier of record (JSON)");
	if (d->digest) {
		emh_buf_puts(out, " <code>");
		esc(out, d->digest);
		emh_buf_puts(out, "</code>");
	}
	emh_buf_puts(out, ". This page is a view of it; the JSON is what is signed and verified.</p>\n"
	                  "</div>\n</footer>\n</body>\n</html>\n");
	if (!emh_buf_ok(&title) || !emh_buf_ok(&fcss))
		out->err = EMH_EGENERIC;
	emh_buf_dispose(&title);
	emh_buf_dispose(&fcss);
	emh_report__domains_dispose(&g);
	return emh_report__finish(out, err);
}

/* Percent-encodes a relative path for an href: unreserved characters and '/' stay, so no scheme or query can appear. */
static void put_href(emh_buf *b, const char *path)
{
	emh_encode_pct(b, path, EMH_PCT_PATH);
}

int emh_report_render_index(emh_buf *out, const emh_index_row *rows, size_t n,
                            const emh_render_options *opts, emh_error *err)
{
	(void)opts;
	size_t verdicts[EMH_VERDICT__COUNT] = { 0 }, unreadable = 0;
	const char *tool = NULL;
	for (size_t i = 0; i < n; i++) {
		const emh_dossier *d = rows[i].dossier;
		if (!d) {
			unreadable++;
			continue;
		}
		if ((unsigned)d->verdict < EMH_VERDICT__COUNT)
			verdicts[d->verdict]++;
		if (!tool)
			tool = d->tool_version;
	}
	emh_verdict worst = EMH_VERDICT_APPROVED;
	for (int v = 0; v < EMH_VERDICT__COUNT; v++)
		if (verdicts[v] && emh_verdict_rank((emh_verdict)v) > emh_verdict_rank(worst))
			worst = (emh_verdict)v;
	if (unreadable)
		worst = EMH_VERDICT_REJECTED;
	char title[96];
	snprintf(title, sizeof title, "%zu dossier%s: %zu approved (emheval)", n, n == 1 ? "" : "s",
	         verdicts[EMH_VERDICT_APPROVED]);
	char header[128];
	snprintf(header, sizeof header, "@page{@top-left{content:\"emheval batch \\2014  %zu dossier%s\"}}\n", n,
	         n == 1 ? "" : "s");
	open_page(out, title, header);
	emh_buf_puts(out, "<a class=\"skip\" href=\"#results\">Skip to the dossiers</a>\n");
	emh_buf_appendf(out, "<header class=\"banner v-%s\">\n<div class=\"wrap\">\n<p class=\"kicker\">emheval batch"
	                "</p>\n<h1>%zu dossier%s</h1>\n<p class=\"counts\">", n ? emh_verdict_name(worst) : "incomplete", n,
	                n == 1 ? "" : "s");
	for (int v = 0; v < EMH_VERDICT__COUNT; v++)
		emh_buf_appendf(out, "%s%zu %s", v ? " · " : "", verdicts[v], emh_verdict_name((emh_verdict)v));
	if (unreadable)
		emh_buf_appendf(out, " · %zu not evaluated (input error)", unreadable);
	emh_buf_puts(out, "</p>\n</div>\n</header>\n<main>\n<div class=\"wrap\">\n");
	emh_buf_puts(out, "<section id=\"results\" aria-labelledby=\"res-h\">\n<h2 id=\"res-h\">Dossiers</h2>\n");
	if (!n) {
		emh_buf_puts(out, "<p class=\"empty\">No submission was evaluated.</p>\n");
	} else {
		emh_buf_puts(out, "<table>\n<thead><tr><th scope=\"col\">Submission</th><th scope=\"col\">Folder</th>"
		                  "<th scope=\"col\">Verdict</th><th scope=\"col\">Failed</th><th scope=\"col\">Errors</th>"
		                  "<th scope=\"col\">Needs review</th><th scope=\"col\">Passed</th>"
		                  "<th scope=\"col\">Criteria</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) {
			const emh_dossier *d = rows[i].dossier;
			const char *href = rows[i].href;
			emh_buf_puts(out, "<tr><th scope=\"row\">");
			if (href) {
				emh_buf_puts(out, "<a href=\"");
				put_href(out, href);
				emh_buf_puts(out, "\">");
			}
			if (d) {
				esc(out, emh_report__app_name(d));
				if (d->app_version) {
					emh_buf_putc(out, ' ');
					esc(out, d->app_version);
				}
			} else {
				esc(out, rows[i].name ? rows[i].name : href ? href : "(unnamed)");
			}
			if (href)
				emh_buf_puts(out, "</a>");
			if (d && d->submission_id) {
				emh_buf_puts(out, " <code>");
				esc(out, d->submission_id);
				emh_buf_puts(out, "</code>");
			}
			emh_buf_puts(out, "</th><td>");
			if (rows[i].folder) {
				emh_buf_puts(out, "<code>");
				esc(out, rows[i].folder);
				emh_buf_puts(out, "</code>");
			}
			emh_buf_puts(out, "</td>");
			if (!d) {
				emh_buf_puts(out, "<td><span class=\"badge b-error\">input error</span></td><td colspan=\"5\">");
				esc(out, rows[i].error ? rows[i].error : "not evaluated; no page was written");
				emh_buf_puts(out, "</td></tr>\n");
				continue;
			}
			static const char *const vbadge[EMH_VERDICT__COUNT] = { "b-pass", "b-needs_review", "b-fail",
			                                                        "b-waived", "b-needs_review", "b-fail" };
			emh_buf_appendf(out, "<td><span class=\"badge %s\">%s</span></td><td>%zu</td><td>%zu</td>"
			                "<td>%zu</td><td>%zu</td><td>",
			                (unsigned)d->verdict < EMH_VERDICT__COUNT ? vbadge[d->verdict] : "b-error",
			                emh_report__verdict_label(d->verdict), d->counts[EMH_OUTCOME_FAIL],
			                d->counts[EMH_OUTCOME_ERROR], d->counts[EMH_OUTCOME_NEEDS_REVIEW],
			                d->counts[EMH_OUTCOME_PASS]);
			esc(out, d->framework_version ? d->framework_version : "");
			if (d->criteria_commit) {
				char c12[16];
				snprintf(c12, sizeof c12, "%.12s", d->criteria_commit);
				emh_buf_puts(out, " <code>");
				esc(out, c12);
				emh_buf_puts(out, "</code>");
			}
			emh_buf_puts(out, "</td></tr>\n");
		}
		emh_buf_puts(out, "</tbody>\n</table>\n");
	}
	emh_buf_puts(out, "</section>\n</div>\n</main>\n<footer>\n<div class=\"wrap\">\n<p>Rendered by emheval");
	if (tool) {
		emh_buf_putc(out, ' ');
		esc(out, tool);
	}
	emh_buf_puts(out, ". Each dossier's JSON is the record; these pages are views of it.</p>\n</div>\n</footer>\n"
	                  "</body>\n</html>\n");
	return emh_report__finish(out, err);
}
