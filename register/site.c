/*
 * site.c - `emheval register`: the public register as a static website
 * built from a ledger.
 *
 *   index.html                  every app: newest verdict per profile, date, criteria
 *   verdict-V.html, profile-P.html, domain-D.html, due.html
 *                               the same table filtered: one page per view, no script
 *   apps/SLUG.html              an app's history: filings, reviews, waivers, changes
 *   dossiers/N.html .json .dsse.json
 *                               ledger filing N: the HTML report (reports/html.c),
 *                               the dossier as filed and its envelope
 *   criteria/COMMIT.html        a criteria version: what changed, who was judged by it
 *   verify.html, regulator.pub  how to verify a download, and the key
 *
 * Every page says whether `ledger verify` held when the site was built and
 * how to verify a downloaded dossier. Pages carry their CSS inline and a
 * Content-Security-Policy that forbids every load and script, so they work
 * from file:// and any static host. Names: N is the ledger sequence number,
 * COMMIT a hex id; SLUG is the ledger's percent-encoding of the app id (no
 * '/', no leading '.'), written into links percent-encoded once more, so a
 * vendor's id can neither leave the folder nor become markup. Every text
 * goes through the reports' one HTML encoder (emh_report__markup). Nothing
 * depends on the clock: the same ledger and options give the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "evaluator/encode.h"
#include "reports/render.h"
#include "register/register_internal.h"

static const char css[] =
	":root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#0b57d0;"
	"--pass:#1e6b34;--fail:#b3261e;--warn:#8a5300;--info:#5b3e96}\n"
	"*{box-sizing:border-box}\n"
	"html{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;"
	"color:var(--ink);background:#fff}\n"
	"body{margin:0}\n"
	"a{color:var(--accent)}\n"
	"code,pre{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:.9em;"
	"overflow-wrap:anywhere}\n"
	"pre{background:var(--soft);border:1px solid var(--line);padding:.75rem;white-space:pre-wrap}\n"
	".skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:2}\n"
	".skip:focus{left:.5rem}\n"
	".wrap{max-width:72rem;margin:0 auto;padding:0 1.25rem}\n"
	"header.site{background:var(--ink);color:#fff;padding:.75rem 0}\n"
	"header.site a{color:#fff}\n"
	"header.site p{margin:0 0 .5rem;font-weight:700}\n"
	"nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}\n"
	"nav h2{font-size:.85rem;margin:.5rem 0 .2rem;border:0;padding:0;color:#fff}\n"
	"main{padding:1rem 0 2rem}\n"
	"h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0}\n"
	"h2{font-size:1.3rem;margin:2rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}\n"
	"h3{font-size:1.1rem;margin:1.5rem 0 .5rem}\n"
	".status{padding:.6rem .9rem;border-radius:.3rem;border:2px solid}\n"
	".status.ok{border-color:var(--pass);color:var(--pass)}\n"
	".status.bad{border-color:var(--fail);color:var(--fail);font-weight:700}\n"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}\n"
	"caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
	"th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}\n"
	"th{background:var(--soft)}\n"
	".v-approved{color:var(--pass)}.v-conditional{color:var(--warn)}.v-rejected,.v-returned{color:var(--fail)}"
	".v-incomplete,.v-awaiting_review{color:var(--info)}\n"
	".verdict{font-weight:700}\n"
	".muted{color:var(--muted)}\n"
	".date{white-space:nowrap}\n"
	"footer{border-top:1px solid var(--line);padding:1rem 1.25rem 2rem}\n"
	"@media print{\n"
	"  html{font-size:10pt}\n"
	"  header.site nav,.skip{display:none}\n"
	"  header.site,.status,.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"  .wrap{max-width:none;padding:0}\n"
	"  h1,h2,h3{break-after:avoid}\n"
	"  tr,.status{break-inside:avoid}\n"
	"  thead{display:table-header-group}\n"
	"}\n"
	/* Paper: A4 as the dossier report, "Page N of M" at the foot; the running header is the page's own
	 * (page_open), so a printed sheet says which register page it came from. */
	"@page{size:A4;margin:2.2cm 1.5cm 1.8cm;\n"
	"  @top-left{font:8pt/1.4 system-ui,\"Liberation Sans\",Arial,sans-serif;color:#57606a;white-space:pre-wrap;"
	"overflow-wrap:anywhere;vertical-align:bottom;padding-bottom:.25cm}\n"
	"  @bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);"
	"font:8pt system-ui,\"Liberation Sans\",Arial,sans-serif;color:#57606a;vertical-align:top;padding-top:.3cm}\n"
	"}\n";

typedef struct crit_version {
	const char *commit;      /* borrowed from a dossier */
	const reg_filing *first; /* the first filing judged by it */
	char slug[48];
} crit_version;

typedef struct site {
	reg_ledger *l;
	const char *out;
	emh_register_options o;
	emh_register_summary *sum;
	int verified;
	emh_verify_summary vs;
	char *pem;              /* the public key file's text, or NULL */
	char keyid[65];
	emh_due_list *due;
	due_run *due_run;       /* working out what is due, during the second walk */
	size_t due_failed_app;  /* the first app (in id order) for which it failed, else REG_NONE */
	emh_error due_err;      /* and why */
	char due_error[600];
	crit_version *cv;
	size_t ncv;
	const char **profiles, **domains; /* distinct, sorted */
	size_t nprofiles, ndomains;
	emh_error *err;
	int rc;
} site;

/* ---- text and links -------------------------------------------------------------------------- */

static void esc(emh_buf *b, const char *s)
{
	emh_report__markup(b, s);
}

/* A link target: prefix (fixed text) then name percent-encoded as a file name (encode.c, EMH_PCT_NAME). */
static void link_to(emh_buf *b, const char *up, const char *fixed, const char *name, const char *suffix)
{
	emh_buf_puts(b, " href=\"");
	emh_buf_puts(b, up);
	emh_buf_puts(b, fixed);
	emh_encode_pct(b, name, EMH_PCT_NAME);
	emh_buf_puts(b, suffix);
	emh_buf_putc(b, '"');
}

static void href(emh_buf *b, const char *prefix, const char *name, const char *suffix)
{
	link_to(b, prefix, "", name, suffix);
}

static char *slug_of(const char *s)
{
	emh_buf b = EMH_BUF_INIT;
	emh_audit__pct_encode(&b, s);
	char *r = emh_buf_ok(&b) ? emh_buf_detach(&b, NULL) : NULL;
	emh_buf_dispose(&b);
	return r;
}

static void put_verdict(emh_buf *b, emh_verdict v)
{
	emh_buf_appendf(b, "<span class=\"verdict v-%s\">%s</span>", emh_verdict_name(v), emh_report__verdict_label(v));
}

/* ---- files ----------------------------------------------------------------------------------- */

static int make_dir(site *s, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s%s%s", s->out, *rel ? "/" : "", rel);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return emh_error_set(s->err, EMH_EUNSAFE, "%s exists and is no folder (a symlink is not followed)", path);
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return emh_error_set(s->err, EMH_EIO, "cannot create %s: %s", path, strerror(errno));
	return 0;
}

/* 1 when path is a regular file (not a symlink) holding exactly data. */
static int holds(const char *path, const char *data, size_t len)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char buf[65536];
	size_t at = 0, n;
	int same = 1;
	while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		same = at + n <= len && memcmp(buf, data + at, n) == 0;
		at += n;
	}
	same = same && at == len && !ferror(f);
	fclose(f);
	return same;
}

/*
 * Writes one file atomically, unless it already holds these bytes: a build
 * over an earlier one rewrites only what changed (the pages of apps whose
 * history changed, the index and views), leaving the rest as they were.
 */
static void write_file(site *s, const char *rel, const char *data, size_t len)
{
	if (s->rc)
		return;
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", s->out, rel) >= sizeof path) {
		s->rc = emh_error_set(s->err, EMH_ELIMIT, "path too long: %s/%s", s->out, rel);
		return;
	}
	if (holds(path, data, len)) {
		s->sum->files++;
		s->sum->unchanged++;
		return;
	}
	s->rc = emh_io_write_atomic(path, data, len, s->err);
	if (s->rc == 0)
		s->sum->files++;
}

static void write_page(site *s, const char *rel, emh_buf *b)
{
	if (!emh_buf_ok(b)) {
		s->rc = emh_error_set(s->err, EMH_EGENERIC, "out of memory writing %s", rel);
		return;
	}
	write_file(s, rel, b->ptr, b->len);
	s->sum->pages++;
}

/* ---- the frame of every page --------------------------------------------------------------- */

static void page_open(site *s, emh_buf *b, const char *up, const char *title)
{
	emh_report__html_head(b, title, " - emheval register");
	emh_buf_puts(b, css);
	/* The running header: the page's title may hold a vendor's app id, so it is written as a CSS string
	 * escape by escape (emh_encode_css_string) and cannot end the string or the rule. */
	emh_buf_puts(b, "@page{@top-left{content:\"emheval register \\2014  ");
	emh_encode_css_string(b, title);
	emh_buf_puts(b, s->verified ? "\\A The ledger verified when this register was built\"}}\n" :
	                              "\\A The ledger did NOT verify when this register was built\"}}\n");
	emh_buf_puts(b, "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
	                "<header class=\"site\">\n<div class=\"wrap\">\n<p><a");
	href(b, up, "index.html", "");
	emh_buf_puts(b, ">emheval register</a></p>\n<nav aria-label=\"Views\">\n<h2 id=\"nav-v\">By verdict</h2>\n<ul aria-labelledby=\"nav-v\">\n<li><a");
	href(b, up, "index.html", "");
	emh_buf_puts(b, ">All apps</a></li>\n<li><a");
	href(b, up, "due.html", "");
	emh_buf_puts(b, ">Due for reassessment</a></li>\n");
	for (int v = 0; v < EMH_VERDICT__COUNT; v++) {
		emh_buf_puts(b, "<li><a");
		link_to(b, up, "verdict-", emh_verdict_name((emh_verdict)v), ".html");
		emh_buf_appendf(b, ">%s</a></li>\n", emh_report__verdict_label((emh_verdict)v));
	}
	emh_buf_puts(b, "</ul>\n<h2 id=\"nav-p\">By profile</h2>\n<ul aria-labelledby=\"nav-p\">\n");
	for (size_t i = 0; i < s->nprofiles; i++) {
		char *slug = slug_of(s->profiles[i]);
		emh_buf_puts(b, "<li><a");
		link_to(b, up, "profile-", slug ? slug : "", ".html");
		emh_buf_puts(b, ">");
		esc(b, s->profiles[i]);
		emh_buf_puts(b, "</a></li>\n");
		free(slug);
	}
	emh_buf_puts(b, "</ul>\n<h2 id=\"nav-d\">By domain</h2>\n<ul aria-labelledby=\"nav-d\">\n");
	for (size_t i = 0; i < s->ndomains; i++) {
		char *slug = slug_of(s->domains[i]);
		emh_buf_puts(b, "<li><a");
		link_to(b, up, "domain-", slug ? slug : "", ".html");
		emh_buf_puts(b, ">");
		esc(b, s->domains[i]);
		emh_buf_puts(b, "</a></li>\n");
		free(slug);
	}
	emh_buf_puts(b, "</ul>\n<h2 id=\"nav-c\">Criteria and verification</h2>\n<ul aria-labelledby=\"nav-c\">\n");
	for (size_t i = 0; i < s->ncv; i++) {
		emh_buf_puts(b, "<li><a");
		link_to(b, up, "criteria/", s->cv[i].slug, ".html");
		emh_buf_puts(b, ">Criteria ");
		esc(b, s->cv[i].first->d->framework_version ? s->cv[i].first->d->framework_version : "?");
		emh_buf_appendf(b, " (%.12s)</a></li>\n", s->cv[i].commit);
	}
	emh_buf_puts(b, "<li><a");
	href(b, up, "verify.html", "");
	emh_buf_puts(b, ">How to verify</a></li>\n</ul>\n</nav>\n</div>\n</header>\n<main id=\"main\" class=\"wrap\">\n<h1>");
	esc(b, title);
	emh_buf_puts(b, "</h1>\n");
	if (s->verified)
		/* No count here: a page changes only when what it shows changes (the count is on verify.html). */
		emh_buf_appendf(b, "<p class=\"status ok\">The ledger verified when this register was built "
		                "(<code>emheval ledger verify</code>: no commit failed; %s).</p>\n",
		                s->pem ? "every signature checked against the regulator's key" :
		                         "without the regulator's key, so signatures were not checked");
	else
		emh_buf_appendf(b, "<p class=\"status bad\">The ledger did NOT verify when this register was built: %u "
		                "of %u filings failed <code>emheval ledger verify</code>. Do not rely on this register.</p>\n",
		                s->vs.failed, s->vs.ok + s->vs.failed);
}

static void put_verify_howto(site *s, emh_buf *b, const char *up)
{
	emh_buf_puts(b, "<p>Each filed dossier is published as JSON with its signed envelope (DSSE, "
	                "<code>.dsse.json</code>). To check one you downloaded, with emheval:</p>\n"
	                "<pre><code>emheval verify N.dsse.json --pubkey regulator.pub --criteria CRITERIA "
	                "--reviewers REVIEWERS</code></pre>\n"
	                "<p>CRITERIA is a clone of the criteria repository the dossier names (its commit is checked); "
	                "REVIEWERS a clone of the repository holding the reviewers file its review decisions and "
	                "waivers name by commit and path (the criteria repository when that is where it is kept). "
	                "Without <code>--reviewers</code>, emheval looks for that file in the criteria repository, "
	                "and the signed decisions of a reviewed dossier cannot be checked if it is not there.</p>\n");
	if (s->pem) {
		emh_buf_puts(b, "<p>The regulator's public key (<a");
		href(b, up, "regulator.pub", "");
		emh_buf_appendf(b, ">regulator.pub</a>), key id <code>%s</code>:</p>\n<pre>", s->keyid);
		esc(b, s->pem);
		emh_buf_puts(b, "</pre>\n<p>Check the key id yourself: "
		                "<code>openssl pkey -pubin -in regulator.pub -outform DER | sha256sum</code>. "
		                "Obtain the key from the regulator by a second channel before trusting it.</p>\n");
	} else {
		emh_buf_puts(b, "<p>This register was built without the regulator's public key: obtain it from the "
		                "regulator, never from a copy of this site.</p>\n");
	}
}

static void page_close(site *s, emh_buf *b, const char *up)
{
	emh_buf_puts(b, "</main>\n<footer class=\"wrap\" aria-labelledby=\"verify-h\">\n"
	                "<h2 id=\"verify-h\">Verifying what you download</h2>\n");
	put_verify_howto(s, b, up);
	emh_buf_puts(b, "<p>More: <a");
	href(b, up, "verify.html", "");
	emh_buf_puts(b, ">how to verify</a>.</p>\n</footer>\n</body>\n</html>\n");
}

/* ---- the apps table and its views ------------------------------------------------------------ */

typedef enum { F_ALL, F_VERDICT, F_PROFILE, F_DOMAIN } filter_kind;

static int app_in_domain(const reg_filing *f, const char *domain)
{
	for (size_t i = 0; i < f->nresults; i++)
		if (f->results[i].domain && strcmp(f->results[i].domain, domain) == 0 &&
		    f->results[i].outcome != EMH_OUTCOME_NOT_APPLICABLE)
			return 1;
	return 0;
}

static int app_matches(const reg_filing *f, filter_kind k, int verdict, const char *name)
{
	const emh_dossier *d = f->d;
	switch (k) {
	case F_ALL: return 1;
	case F_VERDICT:
		if (d->nprofiles == 0)
			return (int)d->verdict == verdict;
		for (size_t i = 0; i < d->nprofiles; i++)
			if ((int)d->profiles[i].verdict == verdict)
				return 1;
		return 0;
	case F_PROFILE:
		for (size_t i = 0; i < d->nprofiles; i++)
			if (strcmp(d->profiles[i].id, name) == 0)
				return 1;
		return 0;
	case F_DOMAIN: return app_in_domain(f, name);
	}
	return 0;
}

static void put_crit_link(site *s, emh_buf *b, const char *up, const emh_dossier *d)
{
	for (size_t i = 0; i < s->ncv; i++)
		if (d->criteria_commit && strcmp(s->cv[i].commit, d->criteria_commit) == 0) {
			emh_buf_puts(b, "<a");
			link_to(b, up, "criteria/", s->cv[i].slug, ".html");
			emh_buf_puts(b, ">");
			esc(b, d->framework_version ? d->framework_version : "?");
			emh_buf_puts(b, "</a>");
			return;
		}
	esc(b, d->framework_version ? d->framework_version : "not recorded");
}

static void put_profiles(emh_buf *b, const emh_dossier *d)
{
	if (d->nprofiles == 0) {
		put_verdict(b, d->verdict);
		return;
	}
	emh_buf_puts(b, "<ul>");
	for (size_t i = 0; i < d->nprofiles; i++) {
		emh_buf_puts(b, "<li>");
		esc(b, d->profiles[i].id);
		emh_buf_puts(b, ": ");
		put_verdict(b, d->profiles[i].verdict);
		emh_buf_puts(b, "</li>");
	}
	emh_buf_puts(b, "</ul>");
}

static void apps_table(site *s, emh_buf *b, filter_kind k, int verdict, const char *name, const char *caption)
{
	size_t shown = 0;
	for (size_t a = 0; a < s->l->napps; a++)
		shown += (size_t)app_matches(reg_latest(s->l, a), k, verdict, name);
	emh_buf_appendf(b, "<p>%zu of %zu app%s.</p>\n", shown, s->l->napps, s->l->napps == 1 ? "" : "s");
	if (!shown)
		return;
	emh_buf_puts(b, "<table>\n<caption>");
	esc(b, caption);
	emh_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">App</th><th scope=\"col\">App id</th>"
	                "<th scope=\"col\">Version</th><th scope=\"col\">Verdict per profile</th>"
	                "<th scope=\"col\">Criteria</th><th scope=\"col\">Evaluated</th>"
	                "<th scope=\"col\">Filings</th></tr></thead>\n<tbody>\n");
	for (size_t a = 0; a < s->l->napps; a++) {
		const reg_filing *f = reg_latest(s->l, a);
		const emh_dossier *d = f->d;
		if (!app_matches(f, k, verdict, name))
			continue;
		emh_buf_puts(b, "<tr><th scope=\"row\"><a");
		href(b, "apps/", s->l->apps[a].slug, ".html");
		emh_buf_puts(b, ">");
		esc(b, emh_report__app_name(d));
		emh_buf_puts(b, "</a></th><td><code>");
		esc(b, d->submission_id);
		emh_buf_puts(b, "</code></td><td>");
		esc(b, d->app_version);
		emh_buf_puts(b, "</td><td>");
		put_profiles(b, d);
		emh_buf_puts(b, "</td><td>");
		put_crit_link(s, b, "", d);
		emh_buf_puts(b, "</td><td>");
		emh_report__date(b, d->as_of ? d->as_of : "not recorded");
		emh_buf_appendf(b, "</td><td>%zu</td></tr>\n", s->l->apps[a].n);
	}
	emh_buf_puts(b, "</tbody>\n</table>\n");
}

static void view_page(site *s, const char *file, const char *title, filter_kind k, int verdict, const char *name)
{
	emh_buf b = EMH_BUF_INIT;
	page_open(s, &b, "", title);
	apps_table(s, &b, k, verdict, name, title);
	page_close(s, &b, "");
	write_page(s, file, &b);
	emh_buf_dispose(&b);
}

/* ---- due ------------------------------------------------------------------------------------- */

static void due_table(site *s, emh_buf *b, const char *up, const char *app_id)
{
	if (!s->due) {
		emh_buf_puts(b, "<p class=\"status bad\">What is due could not be worked out: ");
		esc(b, s->due_error);
		emh_buf_puts(b, "</p>\n");
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < s->due->n; i++)
		n += !app_id || strcmp(s->due->items[i].app_id, app_id) == 0;
	emh_buf_appendf(b, "<p>As of %s, lapsed or lapsing within %ld days: %zu.</p>\n", s->due->as_of,
	                s->due->within_days, n);
	if (!n)
		return;
	emh_buf_puts(b, "<table>\n<caption>Approvals due for reassessment</caption>\n<thead><tr>"
	                "<th scope=\"col\">App</th><th scope=\"col\">Version</th><th scope=\"col\">Status</th>"
	                "<th scope=\"col\">Valid until</th><th scope=\"col\">What</th><th scope=\"col\">Approvals</th>"
	                "<th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < s->due->n; i++) {
		const emh_due_item *it = &s->due->items[i];
		if (app_id && strcmp(it->app_id, app_id) != 0)
			continue;
		size_t a = 0;
		while (a < s->l->napps && strcmp(s->l->apps[a].id, it->app_id) != 0)
			a++;
		emh_buf_puts(b, "<tr><th scope=\"row\"><a");
		link_to(b, up, "apps/", a < s->l->napps ? s->l->apps[a].slug : "", ".html");
		emh_buf_puts(b, "><code>");
		esc(b, it->app_id);
		emh_buf_puts(b, "</code></a></th><td>");
		esc(b, it->app_version);
		emh_buf_appendf(b, "</td><td>%s</td><td>", it->lapsed ? "Lapsed" : "Lapsing");
		if (it->date)
			emh_report__date(b, it->date);
		else
			emh_buf_puts(b, "now");
		emh_buf_appendf(b, "</td><td>%s", emh_due_kind_name(it->kind));
		if (it->criterion) {
			emh_buf_puts(b, " <code>");
			esc(b, it->criterion);
			emh_buf_puts(b, "</code>");
		}
		emh_buf_puts(b, "</td><td>");
		esc(b, it->profiles);
		emh_buf_puts(b, "</td><td>");
		esc(b, it->detail);
		emh_buf_puts(b, "</td></tr>\n");
	}
	emh_buf_puts(b, "</tbody>\n</table>\n");
}

/* ---- an app's page --------------------------------------------------------------------------- */

static const char *outcome_of(const reg_filing *d, const char *id)
{
	size_t lo = 0, hi = d->nresults;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(d->results[mid].id, id);
		if (r == 0)
			return emh_outcome_name(d->results[mid].outcome);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void put_changes(site *s, emh_buf *b, const reg_filing *f)
{
	if (f->prev == REG_NONE) {
		emh_buf_puts(b, "<p>The first filing for this app.</p>\n");
		return;
	}
	const emh_dossier *d = f->d, *p = s->l->f[f->prev].d;
	emh_buf_appendf(b, "<p>Changes since filing %lu:</p>\n<ul>\n", s->l->f[f->prev].seq);
	int any = 0;
	if ((d->app_version && p->app_version && strcmp(d->app_version, p->app_version) != 0)) {
		emh_buf_puts(b, "<li>App version ");
		esc(b, p->app_version);
		emh_buf_puts(b, " → ");
		esc(b, d->app_version);
		emh_buf_puts(b, "</li>\n");
		any = 1;
	}
	if (d->revision != p->revision) {
		emh_buf_appendf(b, "<li>Revision %d → %d%s</li>\n", p->revision, d->revision,
		                d->revision > p->revision ? " (a review round)" : " (a new evaluation)");
		any = 1;
	}
	if ((d->criteria_commit && p->criteria_commit && strcmp(d->criteria_commit, p->criteria_commit) != 0)) {
		emh_buf_puts(b, "<li>Criteria version ");
		put_crit_link(s, b, "../", p);
		emh_buf_puts(b, " → ");
		put_crit_link(s, b, "../", d);
		emh_buf_puts(b, "</li>\n");
		any = 1;
	}
	if (d->verdict != p->verdict) {
		emh_buf_puts(b, "<li>Verdict ");
		put_verdict(b, p->verdict);
		emh_buf_puts(b, " → ");
		put_verdict(b, d->verdict);
		emh_buf_puts(b, "</li>\n");
		any = 1;
	}
	for (size_t i = 0; i < d->nprofiles; i++)
		for (size_t j = 0; j < p->nprofiles; j++)
			if (strcmp(d->profiles[i].id, p->profiles[j].id) == 0 && d->profiles[i].verdict != p->profiles[j].verdict) {
				emh_buf_puts(b, "<li>Profile ");
				esc(b, d->profiles[i].id);
				emh_buf_puts(b, ": ");
				put_verdict(b, p->profiles[j].verdict);
				emh_buf_puts(b, " → ");
				put_verdict(b, d->profiles[i].verdict);
				emh_buf_puts(b, "</li>\n");
				any = 1;
			}
	if (d->nreviews > p->nreviews) {
		emh_buf_appendf(b, "<li>%zu new review decision%s</li>\n", d->nreviews - p->nreviews,
		                d->nreviews - p->nreviews == 1 ? "" : "s");
		any = 1;
	}
	size_t changed = 0;
	const reg_filing *pf = &s->l->f[f->prev];
	for (size_t i = 0; i < f->nresults; i++) {
		const char *was = outcome_of(pf, f->results[i].id), *now = emh_outcome_name(f->results[i].outcome);
		if (was && strcmp(was, now) == 0)
			continue;
		if (changed++ < 40) {
			emh_buf_puts(b, "<li><code>");
			esc(b, f->results[i].id);
			emh_buf_puts(b, "</code>: ");
			esc(b, was ? was : "(new criterion)");
			emh_buf_appendf(b, " → %s</li>\n", now);
		}
	}
	if (changed > 40)
		emh_buf_appendf(b, "<li>and %zu more results changed</li>\n", changed - 40);
	if (!any && !changed)
		emh_buf_puts(b, "<li>Nothing but the evaluation itself</li>\n");
	emh_buf_puts(b, "</ul>\n");
}

static void put_reviews_waivers(emh_buf *b, const emh_dossier *d, unsigned long seq)
{
	if (d->nreviews) {
		emh_buf_appendf(b, "<table>\n<caption>Review decisions recorded in filing %lu</caption>\n<thead><tr>"
		                "<th scope=\"col\">Criterion</th><th scope=\"col\">Decision</th><th scope=\"col\">Reviewer</th>"
		                "<th scope=\"col\">Role</th><th scope=\"col\">Date</th><th scope=\"col\">Rationale</th>"
		                "<th scope=\"col\">Signed</th></tr></thead>\n<tbody>\n", seq);
		for (size_t i = 0; i < d->nreviews; i++) {
			const emh_review *r = &d->reviews[i];
			emh_buf_puts(b, "<tr><th scope=\"row\"><code>");
			esc(b, r->criterion);
			emh_buf_puts(b, "</code></th><td>");
			esc(b, r->decision);
			emh_buf_puts(b, "</td><td>");
			esc(b, r->reviewer);
			emh_buf_puts(b, "</td><td>");
			esc(b, r->role);
			emh_buf_puts(b, "</td><td>");
			emh_report__date(b, r->date);
			emh_buf_puts(b, "</td><td>");
			esc(b, r->rationale);
			emh_buf_appendf(b, "</td><td>%s</td></tr>\n", r->signature ? "yes" : "no");
		}
		emh_buf_puts(b, "</tbody>\n</table>\n");
	}
	if (d->nwaivers) {
		emh_buf_appendf(b, "<table>\n<caption>Waivers recorded in filing %lu</caption>\n<thead><tr>"
		                "<th scope=\"col\">Waiver</th><th scope=\"col\">Criterion</th><th scope=\"col\">Status</th>"
		                "<th scope=\"col\">Expires</th><th scope=\"col\">Approver</th>"
		                "<th scope=\"col\">Justification</th></tr></thead>\n<tbody>\n", seq);
		for (size_t i = 0; i < d->nwaivers; i++) {
			const emh_waiver *w = &d->waivers[i];
			emh_buf_puts(b, "<tr><th scope=\"row\">");
			esc(b, w->id);
			emh_buf_puts(b, "</th><td><code>");
			esc(b, w->criterion);
			emh_buf_puts(b, "</code></td><td>");
			esc(b, w->status);
			emh_buf_puts(b, "</td><td>");
			emh_report__date(b, w->expires);
			emh_buf_puts(b, "</td><td>");
			esc(b, w->approver);
			emh_buf_puts(b, "</td><td>");
			esc(b, w->justification);
			emh_buf_puts(b, "</td></tr>\n");
		}
		emh_buf_puts(b, "</tbody>\n</table>\n");
	}
}

static void app_page(site *s, size_t a)
{
	const reg_app *app = &s->l->apps[a];
	const reg_filing *last = reg_latest(s->l, a);
	emh_buf b = EMH_BUF_INIT, title = EMH_BUF_INIT;
	emh_buf_puts(&title, emh_report__app_name(last->d));
	page_open(s, &b, "../", emh_buf_ok(&title) ? emh_buf_cstr(&title) : "app");
	emh_buf_puts(&b, "<p>App id <code>");
	esc(&b, app->id);
	emh_buf_puts(&b, "</code>; newest filing ");
	emh_buf_appendf(&b, "%lu, version ", last->seq);
	esc(&b, last->d->app_version);
	emh_buf_puts(&b, ", evaluated as of ");
	esc(&b, last->d->as_of ? last->d->as_of : "(not recorded)");
	emh_buf_puts(&b, ", criteria ");
	put_crit_link(s, &b, "../", last->d);
	emh_buf_puts(&b, ".</p>\n<h2>Verdict per profile</h2>\n");
	put_profiles(&b, last->d);
	emh_buf_puts(&b, "\n<h2>Due for reassessment</h2>\n");
	due_table(s, &b, "../", app->id);
	emh_buf_puts(&b, "<h2>History</h2>\n<table>\n<caption>Every filing, oldest first</caption>\n<thead><tr>"
	                 "<th scope=\"col\">Filing</th><th scope=\"col\">Version</th><th scope=\"col\">Revision</th>"
	                 "<th scope=\"col\">Evaluated</th><th scope=\"col\">Verdict per profile</th>"
	                 "<th scope=\"col\">Criteria</th><th scope=\"col\">Signed</th><th scope=\"col\">Dossier</th>"
	                 "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < app->n; i++) {
		const reg_filing *f = &s->l->f[app->filings[i]];
		emh_buf_appendf(&b, "<tr><th scope=\"row\">%lu</th><td>", f->seq);
		esc(&b, f->d->app_version);
		emh_buf_appendf(&b, "</td><td>%d</td><td>", f->d->revision);
		emh_report__date(&b, f->d->as_of ? f->d->as_of : "not recorded");
		emh_buf_puts(&b, "</td><td>");
		put_profiles(&b, f->d);
		emh_buf_puts(&b, "</td><td>");
		put_crit_link(s, &b, "../", f->d);
		emh_buf_appendf(&b, "</td><td>%s</td><td><a href=\"../dossiers/%lu.html\">report<span class=\"muted\"> of filing %lu</span></a>, "
		                "<a href=\"../dossiers/%lu.json\">JSON<span class=\"muted\"> of filing %lu</span></a>",
		                f->is_signed ? "yes" : "no", f->seq, f->seq, f->seq, f->seq);
		if (f->is_signed)
			emh_buf_appendf(&b, ", <a href=\"../dossiers/%lu.dsse.json\">envelope<span class=\"muted\"> of filing %lu</span></a>",
			                f->seq, f->seq);
		emh_buf_puts(&b, "</td></tr>\n");
	}
	emh_buf_puts(&b, "</tbody>\n</table>\n<h2>Each filing</h2>\n");
	for (size_t i = app->n; i-- > 0;) {
		const reg_filing *f = &s->l->f[app->filings[i]];
		emh_buf_appendf(&b, "<h3>Filing %lu: version ", f->seq);
		esc(&b, f->d->app_version);
		emh_buf_appendf(&b, ", revision %d, as of ", f->d->revision);
		esc(&b, f->d->as_of ? f->d->as_of : "(not recorded)");
		emh_buf_appendf(&b, "</h3>\n<p>Ledger commit <code>%s</code>, digest <code>", f->commit);
		esc(&b, f->d->digest);
		emh_buf_puts(&b, "</code>.</p>\n");
		put_changes(s, &b, f);
		put_reviews_waivers(&b, f->d, f->seq);
	}
	page_close(s, &b, "../");
	char rel[300];
	snprintf(rel, sizeof rel, "apps/%s.html", app->slug);
	write_page(s, rel, &b);
	emh_buf_dispose(&b);
	emh_buf_dispose(&title);
}

/* ---- a filing's files -------------------------------------------------------------------------- */

/* Filing f's files, from its dossier as filed (d, json) and envelope (env, NULL when unsigned). */
static void dossier_files(site *s, const reg_filing *f, const emh_dossier *d, const char *json, size_t json_len,
                          const char *env_bytes, size_t env_len)
{
	char rel[64];
	emh_buf b = EMH_BUF_INIT, sig = EMH_BUF_INIT;
	if (env_bytes) {
		const char *keyid = NULL;
		cJSON *env = cJSON_ParseWithLength(env_bytes, env_len);
		const cJSON *sigs = cJSON_GetObjectItemCaseSensitive(env, "signatures");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(sigs, 0), "keyid");
		if (cJSON_IsString(k))
			keyid = k->valuestring;
		emh_buf_appendf(&sig, "signed: the envelope %lu.dsse.json beside this page, key id ", f->seq);
		emh_buf_puts(&sig, keyid ? keyid : "(unreadable)");
		cJSON_Delete(env);
	} else {
		emh_buf_puts(&sig, "not signed: this filing has no envelope");
	}
	emh_buf_appendf(&sig, ". Ledger filing %lu, commit %s; the ledger %s when this register was built. "
	                "Verify a download with: emheval verify %lu.dsse.json --pubkey regulator.pub --criteria CRITERIA",
	                f->seq, f->commit, s->verified ? "verified" : "did NOT verify", f->seq);
	/* Reviews and waivers are checked against the reviewers file they name, in its own repository. */
	if (d->nreviews || d->nwaivers)
		emh_buf_puts(&sig, " --reviewers REVIEWERS (the repository of the reviewers file its decisions name)");
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	ro.signature = emh_buf_ok(&sig) ? emh_buf_cstr(&sig) : NULL;
	if (emh_report_render(&b, d, EMH_FORMAT_HTML, &ro, s->err)) {
		s->rc = s->err->code;
	} else {
		snprintf(rel, sizeof rel, "dossiers/%lu.html", f->seq);
		write_page(s, rel, &b);
	}
	snprintf(rel, sizeof rel, "dossiers/%lu.json", f->seq);
	write_file(s, rel, json, json_len);
	if (env_bytes) {
		snprintf(rel, sizeof rel, "dossiers/%lu.dsse.json", f->seq);
		write_file(s, rel, env_bytes, env_len);
	}
	emh_buf_dispose(&b);
	emh_buf_dispose(&sig);
}

/*
 * The second walk of the ledger: each filing's files as the log yields the whole dossier, and what is due
 * for each app's newest filing, so the model keeps only summaries. An error working out what is due is
 * shown on the due view (EMH_EINVALID fails the build, as a bad date or window does before the walk).
 */
static void second_walk(const emh_ledger_entry *e, void *payload)
{
	site *s = payload;
	const reg_filing *f = s->rc ? NULL : reg_filing_at(s->l, e->sequence);
	if (!f)
		return;
	dossier_files(s, f, e->dossier, e->json, e->json_len, e->envelope, e->envelope_len);
	/* The error shown is the first in app order, as if the apps were taken one by one in that order. */
	if (s->due_run && f == reg_latest(s->l, f->app) && f->app < s->due_failed_app) {
		emh_error derr = EMH_ERROR_INIT;
		if (reg_due_entry(s->due_run, s->l, e, &derr)) {
			s->due_failed_app = f->app;
			s->due_err = derr;
		}
	}
}

/* ---- criteria versions ------------------------------------------------------------------------- */

static int cv_cmp(const void *pa, const void *pb)
{
	const crit_version *a = pa, *b = pb;
	int r = reg_version_cmp(a->first->d->framework_version, b->first->d->framework_version);
	return r ? r : (a->first->seq > b->first->seq) - (a->first->seq < b->first->seq);
}

static void criteria_changes(site *s, emh_buf *b, size_t i)
{
	if (i == 0) {
		emh_buf_puts(b, "<p>The oldest criteria version in this ledger.</p>\n");
		return;
	}
	emh_criteria *now = reg_criteria_of(s->l, s->cv[i].first), *was = reg_criteria_of(s->l, s->cv[i - 1].first);
	emh_buf_puts(b, "<p>Compared with <a");
	href(b, "", s->cv[i - 1].slug, ".html");
	emh_buf_puts(b, ">criteria ");
	esc(b, s->cv[i - 1].first->d->framework_version);
	emh_buf_puts(b, "</a>:</p>\n");
	if (!now || !was) {
		emh_buf_puts(b, "<p>The criteria could not be read when this register was built (give "
		                "<code>--criteria REPO</code>), so what changed is not listed.</p>\n");
		return;
	}
	emh_buf_puts(b, "<ul>\n");
	size_t n = emh_criteria_count(now), m = emh_criteria_count(was), x = 0, y = 0, changes = 0;
	while (x < n || y < m) {
		emh_criterion_info ci, wi;
		if (x < n)
			emh_criteria_get(now, x, &ci);
		if (y < m)
			emh_criteria_get(was, y, &wi);
		int r = x >= n ? 1 : y >= m ? -1 : strcmp(ci.id, wi.id);
		emh_buf_puts(b, "");
		if (r < 0) {
			emh_buf_puts(b, "<li>Added <code>");
			esc(b, ci.id);
			emh_buf_puts(b, "</code>: ");
			esc(b, ci.title);
			emh_buf_puts(b, "</li>\n");
			x++, changes++;
		} else if (r > 0) {
			emh_buf_puts(b, "<li>Removed <code>");
			esc(b, wi.id);
			emh_buf_puts(b, "</code>: ");
			esc(b, wi.title);
			emh_buf_puts(b, "</li>\n");
			y++, changes++;
		} else {
			if (ci.version != wi.version || strcmp(ci.severity, wi.severity) != 0) {
				emh_buf_puts(b, "<li>Changed <code>");
				esc(b, ci.id);
				emh_buf_appendf(b, "</code>: version %d → %d, severity %s → %s</li>\n", wi.version, ci.version,
				                wi.severity, ci.severity);
				changes++;
			}
			x++, y++;
		}
	}
	if (!changes)
		emh_buf_puts(b, "<li>No criterion was added, removed or given a new version</li>\n");
	emh_buf_puts(b, "</ul>\n");
}

static void criteria_page(site *s, size_t i)
{
	const emh_dossier *d = s->cv[i].first->d;
	emh_buf b = EMH_BUF_INIT, title = EMH_BUF_INIT;
	emh_buf_appendf(&title, "Criteria %s (%.12s)", d->framework_version ? d->framework_version : "?", s->cv[i].commit);
	page_open(s, &b, "../", emh_buf_ok(&title) ? emh_buf_cstr(&title) : "criteria");
	emh_buf_puts(&b, "<p>");
	esc(&b, d->framework_name);
	emh_buf_puts(&b, ", version ");
	esc(&b, d->framework_version);
	emh_buf_puts(&b, "; commit <code>");
	esc(&b, s->cv[i].commit);
	emh_buf_puts(&b, "</code>, tree <code>");
	esc(&b, d->criteria_tree);
	emh_buf_puts(&b, "</code>, folder <code>");
	esc(&b, d->criteria_path);
	emh_buf_puts(&b, "</code> of the repository recorded as <code>");
	esc(&b, d->criteria_repository);
	emh_buf_puts(&b, "</code>.</p>\n");
	emh_criteria *set = reg_criteria_of(s->l, s->cv[i].first);
	if (set)
		emh_buf_appendf(&b, "<p>%zu criteria.</p>\n", emh_criteria_count(set));
	emh_buf_puts(&b, "<h2>What changed</h2>\n");
	criteria_changes(s, &b, i);
	emh_buf_puts(&b, "<h2>Filings judged against it</h2>\n<ul>\n");
	for (size_t k = 0; k < s->l->nf; k++) {
		const reg_filing *f = &s->l->f[k];
		if (!f->d->criteria_commit || strcmp(f->d->criteria_commit, s->cv[i].commit) != 0)
			continue;
		emh_buf_appendf(&b, "<li><a href=\"../dossiers/%lu.html\">Filing %lu</a>: <a", f->seq, f->seq);
		href(&b, "../apps/", s->l->apps[f->app].slug, ".html");
		emh_buf_puts(&b, "><code>");
		esc(&b, f->d->submission_id);
		emh_buf_puts(&b, "</code></a> ");
		esc(&b, f->d->app_version);
		emh_buf_puts(&b, ", ");
		put_verdict(&b, f->d->verdict);
		emh_buf_puts(&b, "</li>\n");
	}
	emh_buf_puts(&b, "</ul>\n");
	page_close(s, &b, "../");
	char rel[128];
	snprintf(rel, sizeof rel, "criteria/%s.html", s->cv[i].slug);
	write_page(s, rel, &b);
	emh_buf_dispose(&b);
	emh_buf_dispose(&title);
}

/* ---- the whole site -------------------------------------------------------------------------- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds s to the set list (kept unique; sorted later). */
static int add_name(const char ***list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], s) == 0)
			return 0;
	const char **p = realloc(*list, (*n + 1) * sizeof *p);
	if (!p)
		return -1;
	p[(*n)++] = s;
	*list = p;
	return 0;
}

static void count_verify(const char *name, emh_check_status st, const char *detail, void *payload)
{
	(void)name, (void)st, (void)detail, (void)payload;
}

int emh_register_build(emh_register_summary *sum, const char *path, const char *out,
                       const emh_register_options *o, emh_error *err)
{
	memset(sum, 0, sizeof *sum);
	reg_ledger l;
	site s;
	memset(&s, 0, sizeof s);
	s.l = &l;
	s.out = out;
	s.sum = sum;
	s.err = err;
	emh_register_options def = EMH_REGISTER_OPTIONS_INIT;
	s.o = o ? *o : def;
	int rc = reg_load(&l, path, err);
	if (rc)
		return rc;
	l.criteria_repo = s.o.criteria_repo;
	if (l.nf == 0) {
		reg_dispose(&l);
		return emh_error_set(err, EMH_EINVALID, "the ledger %s holds no dossier", path);
	}
	/* The ledger's own verification, as `ledger verify` runs it. */
	emh_ledger_verify_options vo = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	vo.pubkey = s.o.pubkey;
	vo.on_check = count_verify;
	rc = emh_ledger_verify(&s.vs, path, &vo, err);
	s.verified = rc == 0 && s.vs.failed == 0;
	if (rc == 0 && s.o.pubkey) {
		emh_key *key = NULL;
		size_t len;
		rc = emh_key_load(&key, s.o.pubkey, err);
		if (rc == 0)
			snprintf(s.keyid, sizeof s.keyid, "%s", emh_key_id(key));
		emh_key_free(key);
		if (rc == 0)
			rc = emh_io_read_file(&s.pem, &len, s.o.pubkey, 1u << 16, err);
	}
	/* What is due, once, for the due view and the app pages: begun here, worked out in the second walk. */
	if (rc == 0) {
		const char *max_as_of = NULL;
		const emh_dossier *nd = NULL;
		for (size_t i = 0; i < l.nf; i++) {
			const emh_dossier *d = l.f[i].d;
			if (d->as_of && (!max_as_of || strcmp(d->as_of, max_as_of) > 0))
				max_as_of = d->as_of;
			if (reg_version_cmp(d->framework_version, nd ? nd->framework_version : NULL) > 0)
				nd = d;
		}
		emh_error derr = EMH_ERROR_INIT;
		if (reg_due_begin(&s.due_run, &s.o, max_as_of, nd ? nd->framework_version : NULL,
		                  nd ? nd->criteria_commit : NULL, nd ? nd->criteria_repository : NULL,
		                  nd ? nd->criteria_path : NULL, &derr)) {
			if (derr.code == EMH_EINVALID) {
				*err = derr;
				rc = derr.code;
			}
			emh_error_format(&derr, s.due_error, sizeof s.due_error);
		}
	}
	/* Criteria versions, profiles and domains, each sorted so the pages are stable. */
	for (size_t i = 0; rc == 0 && i < l.nf; i++) {
		const emh_dossier *d = l.f[i].d;
		int seen = !d->criteria_commit;
		for (size_t k = 0; !seen && k < s.ncv; k++)
			seen = strcmp(s.cv[k].commit, d->criteria_commit) == 0;
		if (!seen) {
			crit_version *p = realloc(s.cv, (s.ncv + 1) * sizeof *p);
			if (!p) {
				rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
				break;
			}
			s.cv = p;
			s.cv[s.ncv].commit = d->criteria_commit;
			s.cv[s.ncv].first = &l.f[i];
			char *slug = slug_of(d->criteria_commit);
			snprintf(s.cv[s.ncv].slug, sizeof s.cv[s.ncv].slug, "%.47s", slug ? slug : "x");
			free(slug);
			s.ncv++;
		}
	}
	for (size_t a = 0; rc == 0 && a < l.napps; a++) {
		const reg_filing *nf = reg_latest(&l, a);
		const emh_dossier *d = nf->d;
		for (size_t i = 0; rc == 0 && i < d->nprofiles; i++)
			rc = add_name(&s.profiles, &s.nprofiles, d->profiles[i].id);
		for (size_t i = 0; rc == 0 && i < nf->nresults; i++)
			if (nf->results[i].domain && nf->results[i].outcome != EMH_OUTCOME_NOT_APPLICABLE)
				rc = add_name(&s.domains, &s.ndomains, nf->results[i].domain);
		if (rc)
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	if (rc == 0) {
		qsort(s.cv, s.ncv, sizeof *s.cv, cv_cmp);
		if (s.nprofiles)
			qsort(s.profiles, s.nprofiles, sizeof *s.profiles, str_cmp);
		if (s.ndomains)
			qsort(s.domains, s.ndomains, sizeof *s.domains, str_cmp);
		rc = make_dir(&s, "");
		if (rc == 0)
			rc = make_dir(&s, "apps");
		if (rc == 0)
			rc = make_dir(&s, "dossiers");
		if (rc == 0)
			rc = make_dir(&s, "criteria");
	}
	s.rc = rc;
	s.due_failed_app = REG_NONE;
	if (s.rc == 0) {
		emh_error lerr = EMH_ERROR_INIT;
		if (emh_ledger_log(path, NULL, second_walk, &s, &lerr) && s.rc == 0) {
			*err = lerr;
			s.rc = lerr.code;
		}
	}
	if (s.due_run) {
		emh_error derr = s.due_err;
		int failed = s.due_failed_app != REG_NONE ? s.due_err.code : 0;
		if (reg_due_end(s.due_run, s.rc ? NULL : &s.due, s.rc ? s.rc : failed, &derr))
			emh_error_format(&derr, s.due_error, sizeof s.due_error);
		if (failed == EMH_EINVALID && s.rc == 0) {
			*err = derr;
			s.rc = rc = failed;
		}
		s.due_run = NULL;
	}
	if (s.rc == 0) {
		view_page(&s, "index.html", "Every app in the register", F_ALL, 0, NULL);
		for (int v = 0; v < EMH_VERDICT__COUNT; v++) {
			char file[64], title[96];
			snprintf(file, sizeof file, "verdict-%s.html", emh_verdict_name((emh_verdict)v));
			snprintf(title, sizeof title, "Apps with a verdict of %s", emh_report__verdict_label((emh_verdict)v));
			view_page(&s, file, title, F_VERDICT, v, NULL);
		}
		for (size_t i = 0; i < s.nprofiles; i++) {
			char *slug = slug_of(s.profiles[i]);
			emh_buf file = EMH_BUF_INIT, title = EMH_BUF_INIT;
			emh_buf_appendf(&file, "profile-%s.html", slug ? slug : "");
			emh_buf_appendf(&title, "Apps assessed for the profile %s", s.profiles[i]);
			view_page(&s, emh_buf_cstr(&file), emh_buf_cstr(&title), F_PROFILE, 0, s.profiles[i]);
			emh_buf_dispose(&file);
			emh_buf_dispose(&title);
			free(slug);
		}
		for (size_t i = 0; i < s.ndomains; i++) {
			char *slug = slug_of(s.domains[i]);
			emh_buf file = EMH_BUF_INIT, title = EMH_BUF_INIT;
			emh_buf_appendf(&file, "domain-%s.html", slug ? slug : "");
			emh_buf_appendf(&title, "Apps to which the domain %s applies", s.domains[i]);
			view_page(&s, emh_buf_cstr(&file), emh_buf_cstr(&title), F_DOMAIN, 0, s.domains[i]);
			emh_buf_dispose(&file);
			emh_buf_dispose(&title);
			free(slug);
		}
		emh_buf b = EMH_BUF_INIT;
		page_open(&s, &b, "", "Due for reassessment");
		emh_buf_puts(&b, "<p>Approvals (approved or conditional, per profile) that no longer hold or lapse soon: "
		                 "evidence date windows (the latest day each can hold), conditions, waivers, and newer "
		                 "criteria releases. The same list as <code>emheval due</code>.</p>\n");
		due_table(&s, &b, "", NULL);
		page_close(&s, &b, "");
		write_page(&s, "due.html", &b);
		emh_buf_clear(&b);
		page_open(&s, &b, "", "How to verify");
		emh_buf_puts(&b, "<p>Every dossier in this register was filed in a git ledger, one commit per filing, "
		                 "hash-chained and (when signed) signed by the regulator. Anyone holding a copy of the "
		                 "ledger checks all of it with:</p>\n<pre><code>emheval ledger verify LEDGER --pubkey regulator.pub</code></pre>\n");
		emh_buf_appendf(&b, "<p>When this register was built, %u commit%s of the ledger verified and %u failed.</p>\n",
		                s.vs.ok, s.vs.ok == 1 ? "" : "s", s.vs.failed);
		put_verify_howto(&s, &b, "");
		emh_buf_puts(&b, "<p>Without emheval, the envelope's Ed25519 signature is checked with Python and "
		                 "openssl over DSSE's pre-authentication encoding (docs/audit.md in emheval):</p>\n<pre><code>"
		                 "python3 -c '\nimport base64, json, sys\ne = json.load(open(sys.argv[1])); "
		                 "p = base64.b64decode(e[\"payload\"]); t = e[\"payloadType\"].encode()\n"
		                 "open(\"pae.bin\", \"wb\").write(b\"DSSEv1 %d %s %d %s\" % (len(t), t, len(p), p))\n"
		                 "open(\"sig.bin\", \"wb\").write(base64.b64decode(e[\"signatures\"][0][\"sig\"]))' N.dsse.json\n"
		                 "openssl pkeyutl -verify -pubin -inkey regulator.pub -rawin -in pae.bin -sigfile sig.bin"
		                 "</code></pre>\n");
		page_close(&s, &b, "");
		write_page(&s, "verify.html", &b);
		emh_buf_dispose(&b);
		if (s.pem)
			write_file(&s, "regulator.pub", s.pem, strlen(s.pem));
		for (size_t a = 0; a < l.napps && s.rc == 0; a++)
			app_page(&s, a);
		for (size_t i = 0; i < s.ncv && s.rc == 0; i++)
			criteria_page(&s, i);
	}
	sum->apps = l.napps;
	sum->dossiers = l.nf;
	sum->verified = s.verified;
	sum->due = s.due ? s.due->n : 0;
	rc = s.rc;
	emh_due_free(s.due);
	free(s.pem);
	free(s.cv);
	free(s.profiles);
	free(s.domains);
	reg_dispose(&l);
	return rc;
}
