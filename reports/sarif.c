/*
 * sarif.c - SARIF 2.1.0, for code-scanning tools and editors.
 *
 * One run: the driver lists every criterion of the dossier as a rule (title,
 * remediation, severity as the default level, domain and references as
 * properties); artifacts are submission.json and the evidence files with
 * their SHA-256; results are the findings of each fail and error (kind
 * "fail"), each waived criterion (with an external suppression), and each
 * check whose data is declared unknown (kind "review"). Every finding that
 * points into a file becomes one result located there: line, column and
 * byte offset. Passing, not-applicable and manual criteria are counted in
 * the run's properties rather than listed, so code scanning shows only what
 * needs work. Columns are bytes, as everywhere in emheval (the same as code
 * points on ASCII lines; docs/reports.md).
 *
 * The document is built as a cJSON tree and printed in canonical form
 * (keys sorted), so the same dossier gives the same bytes.
 */
#include <stdio.h>
#include <string.h>
#include "evaluator/encode.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"
#include "reports/gate/gate_render.h"
#include "reports/render.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static cJSON *text_obj(const char *text)
{
	cJSON *m = cJSON_CreateObject();
	emh_json_put_str(m, "text", text ? text : "");
	return m;
}

/*
 * A URI for a path: everything but unreserved characters and '/'
 * percent-encoded; a relative reference for a relative path, a file: URI for
 * an absolute one (a relative reference must not start with '/': SARIF1004).
 */
static void uri_of(emh_buf *b, const char *path)
{
	if (path[0] == '/')
		emh_buf_puts(b, "file://");
	emh_encode_pct(b, path, EMH_PCT_PATH);
}

static const char *level_of(const emh_result *r)
{
	if (r->outcome == EMH_OUTCOME_ERROR)
		return "error";
	return r->severity == EMH_SEVERITY_BLOCKER || r->severity == EMH_SEVERITY_MAJOR ? "error"
	       : r->severity == EMH_SEVERITY_MINOR                                     ? "warning"
	                                                                                : "note";
}

static cJSON *rule(const emh_result *r)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str(o, "id", r->id ? r->id : "?");
	emh_json_put(o, "shortDescription", text_obj(r->title));
	emh_buf help = EMH_BUF_INIT;
	if (r->remediation)
		emh_buf_puts(&help, r->remediation);
	if (r->guidance) {
		if (help.len)
			emh_buf_puts(&help, "\n");
		emh_buf_appendf(&help, "Reviewer guidance: %s", r->guidance);
	}
	if (help.len)
		emh_json_put(o, "help", text_obj(emh_buf_cstr(&help)));
	emh_buf_dispose(&help);
	cJSON *cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
	emh_json_put_str(cfg, "level", level_of(&(emh_result){ .severity = r->severity, .outcome = EMH_OUTCOME_FAIL }));
	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	emh_json_put_str(props, "domain", r->domain);
	emh_json_put_str(props, "severity", emh_severity_name(r->severity));
	emh_json_put_str(props, "kind", r->manual ? "manual" : "check");
	emh_json_put_num(props, "version", r->version);
	cJSON *refs = cJSON_AddArrayToObject(props, "references");
	for (size_t i = 0; i < r->nreferences; i++)
		emh_json_push(refs, cJSON_CreateString(r->references[i]));
	cJSON *tags = cJSON_AddArrayToObject(props, "tags");
	if (r->domain)
		emh_json_push(tags, cJSON_CreateString(r->domain));
	emh_json_push(tags, cJSON_CreateString(emh_severity_name(r->severity)));
	return o;
}

typedef struct sctx {
	const emh_dossier *d;
	const emh_render_options *o;
	cJSON *artifacts;
	emh_buf path, uri;
} sctx;

/* The index of the artifact with this uri, adding it when new. */
static int artifact_index(sctx *c, const char *uri)
{
	int i = 0;
	if (!c->artifacts) /* out of memory: the rendering fails (render.c) */
		return 0;
	for (const cJSON *a = c->artifacts->child; a; a = a->next, i++) {
		const cJSON *loc = cJSON_GetObjectItemCaseSensitive(a, "location");
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(loc, "uri");
		if (cJSON_IsString(u) && strcmp(u->valuestring, uri) == 0)
			return i;
	}
	cJSON *a = cJSON_CreateObject();
	cJSON *loc = cJSON_AddObjectToObject(a, "location");
	emh_json_put_str(loc, "uri", uri);
	emh_json_push(c->artifacts, a);
	return i;
}

static cJSON *location(sctx *c, const emh_finding *f)
{
	emh_buf_clear(&c->path);
	emh_buf_clear(&c->uri);
	if (!emh_report__finding_path(&c->path, c->o, f))
		return NULL;
	uri_of(&c->uri, emh_buf_cstr(&c->path));
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
	emh_json_put_str(art, "uri", emh_buf_cstr(&c->uri));
	emh_json_put_num(art, "index", artifact_index(c, emh_buf_cstr(&c->uri)));
	if (f->line) {
		cJSON *region = cJSON_AddObjectToObject(phys, "region");
		emh_json_put_num(region, "startLine", f->line);
		if (f->column)
			emh_json_put_num(region, "startColumn", f->column);
		emh_json_put_num(region, "byteOffset", (long long)f->offset);
		if (f->excerpt && f->column > 1) {
			/*
			 * The excerpt is the match with some of its line around it.
			 * A match at column 1 (or without a column) runs to the end
			 * of the line like the whole line does, so the line is no
			 * proper superset of the region: no contextRegion then
			 * (sarif-multitool's SARIF1008).
			 */
			cJSON *ctx = cJSON_AddObjectToObject(phys, "contextRegion");
			emh_json_put_num(ctx, "startLine", f->line);
			emh_json_put(ctx, "snippet", text_obj(f->excerpt));
		}
	}
	if (f->pointer) {
		cJSON *logical = cJSON_AddArrayToObject(loc, "logicalLocations");
		cJSON *l = cJSON_CreateObject();
		emh_json_put_str(l, "fullyQualifiedName", f->pointer);
		emh_json_put_str(l, "kind", "member");
		emh_json_push(logical, l);
	}
	return loc;
}

static cJSON *result(sctx *c, const emh_result *r, size_t rule_index, const emh_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	emh_json_put_str(o, "ruleId", r->id ? r->id : "?");
	emh_json_put_num(o, "ruleIndex", (long long)rule_index);
	int failing = r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR ||
	              r->outcome == EMH_OUTCOME_WAIVED;
	emh_json_put_str(o, "kind", failing ? "fail" : "review");
	emh_json_put_str(o, "level", failing ? level_of(r) : "none");
	emh_buf m = EMH_BUF_INIT;
	emh_buf_puts(&m, r->message ? r->message : r->reason ? r->reason : emh_report__outcome_label(r->outcome));
	if (f)
		emh_buf_appendf(&m, " Expected %s, found %s.", f->expected ? f->expected : "?",
		                f->found ? f->found : "?");
	emh_json_put(o, "message", text_obj(emh_buf_cstr(&m)));
	emh_buf_dispose(&m);
	cJSON *loc = f ? location(c, f) : NULL;
	if (loc)
		emh_json_push(cJSON_AddArrayToObject(o, "locations"), loc);
	if (r->outcome == EMH_OUTCOME_WAIVED) {
		cJSON *sup = cJSON_CreateObject();
		emh_json_put_str(sup, "kind", "external");
		for (size_t k = 0; k < c->d->nwaivers; k++) {
			const emh_waiver *w = &c->d->waivers[k];
			if (w->criterion && r->id && strcmp(w->criterion, r->id) == 0 &&
			    (!w->status || strcmp(w->status, "applied") == 0)) {
				emh_json_put_str(sup, "justification", w->justification);
				break;
			}
		}
		emh_json_push(cJSON_AddArrayToObject(o, "suppressions"), sup);
	}
	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	emh_json_put_str(props, "outcome", emh_outcome_name(r->outcome));
	emh_json_put_str(props, "severity", emh_severity_name(r->severity));
	emh_json_put_str(props, "provenance", r->provenance);
	if (r->remediation && failing)
		emh_json_put_str(props, "remediation", r->remediation);
	return o;
}

/*
 * Copies the printed document to out with C1 controls, noncharacters and
 * bidi controls written as \u escapes: valid JSON either way (outside
 * strings the text is ASCII), but a SARIF file is also read in terminals,
 * logs and diffs, where a raw U+009B can start an escape sequence and a raw
 * U+202E reorders what is shown.
 */
static void ascii_controls(emh_buf *out, const emh_buf *doc)
{
	const unsigned char *u = (const unsigned char *)emh_buf_cstr(doc);
	for (size_t i = 0; i < doc->len;) {
		unsigned long cp;
		size_t n = emh_report__utf8(u + i, doc->len - i, &cp);
		if (n == 0)
			n = 1; /* cannot happen: the printer writes valid UTF-8 */
		if (emh_report__unwanted(cp)) {
			if (cp > 0xFFFF) /* as a surrogate pair */
				emh_buf_appendf(out, "\\u%04lx\\u%04lx", 0xD800 + ((cp - 0x10000) >> 10),
				                0xDC00 + ((cp - 0x10000) & 0x3FF));
			else
				emh_buf_appendf(out, "\\u%04lx", cp);
		} else {
			emh_buf_append(out, u + i, n);
		}
		i += n;
	}
}

int emh_report_render_sarif(emh_buf *out, const emh_dossier *d, const emh_render_options *o, emh_error *err)
{
	sctx c = { d, o, NULL, EMH_BUF_INIT, EMH_BUF_INIT };
	cJSON *root = cJSON_CreateObject();
	emh_json_put_str(root, "$schema", SARIF_SCHEMA);
	emh_json_put_str(root, "version", "2.1.0");
	cJSON *run = cJSON_CreateObject();
	if (!run || !cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run)) {
		cJSON_Delete(run);
		cJSON_Delete(root);
		return emh_error_set(err, EMH_EGENERIC, "cannot render the report (out of memory)");
	}
	cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
	emh_json_put_str(driver, "name", "emheval");
	emh_json_put_str(driver, "version", d->tool_version);
	emh_json_put_str(driver, "semanticVersion", d->tool_version);
	emh_json_put_str(driver, "informationUri", EMH_SARIF_INFORMATION_URI);
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; i < d->nresults; i++)
		emh_json_push(rules, rule(&d->results[i]));
	emh_json_put_str(run, "columnKind", "unicodeCodePoints");

	/* Artifacts: submission.json first, then each evidence file, with hashes. */
	c.artifacts = cJSON_AddArrayToObject(run, "artifacts");
	emh_finding sub = { .pointer = "" };
	emh_report__finding_path(&c.path, o, &sub);
	uri_of(&c.uri, emh_buf_cstr(&c.path));
	artifact_index(&c, emh_buf_cstr(&c.uri));
	cJSON *a0 = c.artifacts ? c.artifacts->child : NULL;
	emh_json_push(cJSON_AddArrayToObject(a0, "roles"), cJSON_CreateString("analysisTarget"));
	if (d->submission_sha256)
		emh_json_put_str(cJSON_AddObjectToObject(a0, "hashes"), "sha-256", d->submission_sha256);
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *e = &d->evidence[i];
		if (!e->path || !e->path[0]) /* declared not supplied: no file */
			continue;
		emh_finding ef = { .file = e->path };
		emh_buf_clear(&c.path);
		emh_buf_clear(&c.uri);
		emh_report__finding_path(&c.path, o, &ef);
		uri_of(&c.uri, emh_buf_cstr(&c.path));
		int idx = artifact_index(&c, emh_buf_cstr(&c.uri));
		cJSON *a = cJSON_GetArrayItem(c.artifacts, idx);
		if (e->sha256 && !cJSON_GetObjectItemCaseSensitive(a, "hashes"))
			emh_json_put_str(cJSON_AddObjectToObject(a, "hashes"), "sha-256", e->sha256);
		if (!cJSON_GetObjectItemCaseSensitive(a, "properties")) {
			cJSON *p = cJSON_AddObjectToObject(a, "properties");
			emh_json_put_str(p, "kind", e->kind);
			emh_json_put_str(p, "status", e->status);
			emh_json_put_str(p, "declared_sha256", e->declared_sha256);
		}
	}

	cJSON *results = cJSON_AddArrayToObject(run, "results");
	for (size_t i = 0; i < d->nresults; i++) {
		const emh_result *r = &d->results[i];
		int wanted = r->outcome == EMH_OUTCOME_FAIL || r->outcome == EMH_OUTCOME_ERROR ||
		             r->outcome == EMH_OUTCOME_WAIVED || (r->outcome == EMH_OUTCOME_NEEDS_REVIEW && !r->manual);
		if (!wanted)
			continue;
		size_t shown = 0;
		for (size_t k = 0; k < r->nfindings; k++) {
			if (r->findings[k].file || r->findings[k].pointer) {
				emh_json_push(results, result(&c, r, i, &r->findings[k]));
				shown++;
			}
		}
		if (!shown)
			emh_json_push(results, result(&c, r, i, r->nfindings ? &r->findings[0] : NULL));
	}

	/*
	 * What the dossier decided, and exactly which criteria decided it: a summary in SARIF's own shape since
	 * it began (framework as two keys, no criteria source or tier, an uncounted score left out rather than
	 * null), so not the dossier's objects from record.c; only the counts are the dossier's own.
	 */
	cJSON *props = cJSON_AddObjectToObject(run, "properties");
	emh_json_put_str(props, "verdict", emh_verdict_name(d->verdict));
	cJSON *profs = cJSON_AddArrayToObject(props, "profiles");
	for (size_t k = 0; k < d->nprofiles; k++) {
		const emh_profile_verdict *p = &d->profiles[k];
		cJSON *po = cJSON_CreateObject();
		emh_json_put_str(po, "id", p->id);
		emh_json_put_str(po, "verdict", emh_verdict_name(p->verdict));
		static const char *const keys[] = { "returned", "rejected", "incomplete", "awaiting_review" };
		const char *const *lists[] = { p->returned, p->rejected, p->incomplete, p->awaiting_review };
		size_t ns[] = { p->nreturned, p->nrejected, p->nincomplete, p->nawaiting_review };
		for (int l = 0; l < 4; l++) {
			if (!ns[l])
				continue;
			cJSON *arr = cJSON_AddArrayToObject(po, keys[l]);
			for (size_t i = 0; i < ns[l]; i++)
				emh_json_push(arr, cJSON_CreateString(lists[l][i]));
		}
		if (p->nconditions) {
			cJSON *cs = cJSON_AddArrayToObject(po, "conditions");
			for (size_t i = 0; i < p->nconditions; i++) {
				cJSON *co = cJSON_CreateObject();
				emh_json_put_str(co, "criterion", p->conditions[i].criterion);
				emh_json_put_str(co, "fix", p->conditions[i].fix);
				emh_json_put_str(co, "due", p->conditions[i].due);
				emh_json_push(cs, co);
			}
		}
		emh_json_push(profs, po);
	}
	emh_json_put_str(props, "digest", d->digest);
	emh_json_put_str(props, "as_of", d->as_of);
	cJSON *cr = cJSON_AddObjectToObject(props, "criteria");
	emh_json_put_str(cr, "repository", d->criteria_repository);
	emh_json_put_str(cr, "path", d->criteria_path);
	emh_json_put_str(cr, "rev", d->criteria_rev);
	emh_json_put_str(cr, "commit", d->criteria_commit);
	emh_json_put_str(cr, "tree", d->criteria_tree);
	emh_json_put_str(cr, "framework", d->framework_name);
	emh_json_put_str(cr, "framework_version", d->framework_version);
	cJSON *sp = cJSON_AddObjectToObject(props, "submission");
	emh_json_put_str(sp, "id", d->submission_id);
	emh_json_put_str(sp, "name", d->app_name);
	emh_json_put_str(sp, "version", d->app_version);
	emh_json_put_str(sp, "sha256", d->submission_sha256);
	emh_dossier__put_counts(props, d);
	cJSON *scores = cJSON_AddArrayToObject(props, "scores");
	for (size_t i = 0; i < d->nscores; i++) {
		cJSON *s = cJSON_CreateObject();
		emh_json_put_str(s, "category", d->scores[i].category);
		emh_json_put_str(s, "title", d->scores[i].title);
		if (d->scores[i].score >= 0)
			emh_json_put_num(s, "score", d->scores[i].score);
		emh_json_push(scores, s);
	}

	emh_buf doc = EMH_BUF_INIT;
	int rc = emh_buf_ok(&c.path) && emh_buf_ok(&c.uri) ? emh_canonical_print(&doc, root, 1) : EMH_EGENERIC;
	cJSON_Delete(root);
	if (rc == 0)
		ascii_controls(out, &doc);
	emh_buf_dispose(&doc);
	emh_buf_dispose(&c.path);
	emh_buf_dispose(&c.uri);
	if (rc)
		return emh_error_set(err, rc, "cannot render the report as SARIF");
	return emh_report__finish(out, err);
}
