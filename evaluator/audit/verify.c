/*
 * verify.c - `emheval verify`: is this dossier what emheval wrote, signed
 * by whom it claims, about these files, and does it reproduce?
 *
 * Each check is reported on its own (ok, FAILED with the detail, or
 * skipped when its input was not given), in an order where a later check
 * relies on what the earlier ones established:
 *   dossier    the file is exactly emheval's canonical form of a dossier
 *              (so any changed byte, even white space, is seen)
 *   digest     the recorded digest is the SHA-256 of the canonical form
 *   signature  the DSSE envelope beside it carries this very dossier and a
 *              valid Ed25519 signature by the given public key
 *   criteria   the recorded commit exists and its criteria folder is the
 *              recorded tree
 *   submission / evidence   the hashes of submission.json and each
 *              evidence file match the files given
 *   reviews    each recorded review is signed by a key the reviewers file
 *              (at its recorded commit) allows for that criterion
 *   reproduce  evaluating again at the recorded commit, as of the recorded
 *              date, with the recorded waivers and reviews, gives the same
 *              bytes
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "emheval/report.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/submission_internal.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"

/* ---- the verify command's checks ----------------------------------------------------- */

typedef struct vctx {
	emh_verify_summary *sum;
	const emh_verify_options *o;
	char criteria_found[1024]; /* the repository the criteria were found in, "" when not */
} vctx;

static void report(vctx *v, const char *name, emh_check_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(vctx *v, const char *name, emh_check_status st, const char *fmt, ...)
{
	char detail[1600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (st == EMH_CHECK_OK)
		v->sum->ok++;
	else if (st == EMH_CHECK_FAILED)
		v->sum->failed++;
	else
		v->sum->skipped++;
	if (v->o->on_check)
		v->o->on_check(name, st, detail, v->o->payload);
}

static int is_envelope(const cJSON *root)
{
	return cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "payloadType") != NULL;
}

/* The signature check: the envelope found beside the dossier, or the one given. */
static void check_signature(vctx *v, const char *env_path, const char *env, size_t env_len,
                            const emh_key *key, const cJSON *dossier)
{
	if (!env) {
		if (key)
			report(v, "signature", EMH_CHECK_FAILED, "not signed: no envelope %s", env_path);
		else
			report(v, "signature", EMH_CHECK_SKIPPED, "not signed (no %s)", env_path);
		return;
	}
	emh_envelope_info info;
	int rc = emh_audit__open_envelope(&info, env, env_len, env_path, key);
	char why[600];
	if (rc)
		report(v, "signature", EMH_CHECK_FAILED, "%s: %s", env_path, info.why);
	else if (emh_audit__statement_matches(info.statement, dossier, why, sizeof why))
		report(v, "signature", EMH_CHECK_FAILED, "%s: %s", env_path, why);
	else
		report(v, "signature", (emh_check_status)info.signature, "%s: %s", env_path, info.why);
	emh_audit__envelope_dispose(&info);
}

static const emh_evidence_entry *find_entry(const emh_submission *s, const char *path)
{
	for (size_t i = 0; i < s->nevidence; i++)
		if (strcmp(s->evidence[i].path, path) == 0)
			return &s->evidence[i];
	return NULL;
}

static void check_files(vctx *v, const emh_dossier *d, const emh_submission *s)
{
	const char *sha = emh_submission_sha256(s);
	if (d->submission_sha256 && strcmp(sha, d->submission_sha256) == 0)
		report(v, "submission", EMH_CHECK_OK, "%s sha256:%s", s->json_label, sha);
	else
		report(v, "submission", EMH_CHECK_FAILED, "%s: recorded sha256:%s, on disk sha256:%s", s->json_label,
		       d->submission_sha256 ? d->submission_sha256 : "(none)", sha);
	for (size_t i = 0; i < d->nevidence; i++) {
		const emh_evidence_file *f = &d->evidence[i];
		const emh_evidence_entry *e = find_entry(s, f->path);
		const char *now = e && e->sha256[0] ? e->sha256 : NULL;
		if (!e)
			report(v, "evidence", EMH_CHECK_FAILED, "%s: recorded, but submission.json no longer lists it",
			       f->path);
		else if (!f->sha256 && !now)
			report(v, "evidence", EMH_CHECK_OK, "%s: %s, as recorded", f->path, f->status ? f->status : "unreadable");
		else if (!f->sha256 || !now)
			report(v, "evidence", EMH_CHECK_FAILED, "%s: recorded %s%s, on disk %s%s", f->path,
			       f->sha256 ? "sha256:" : "", f->sha256 ? f->sha256 : "unreadable", now ? "sha256:" : "",
			       now ? now : (e->problem ? e->problem : "unreadable"));
		else if (strcmp(f->sha256, now) != 0)
			report(v, "evidence", EMH_CHECK_FAILED, "%s: recorded sha256:%s, on disk sha256:%s", f->path,
			       f->sha256, now);
		else
			report(v, "evidence", EMH_CHECK_OK, "%s sha256:%s", f->path, now);
	}
}

/*
 * Every recorded review must count: signed by the key of a reviewer whose
 * role may decide it, in the reviewers file at the commit the review
 * records, over the decision exactly as recorded.
 */
static void check_reviews(vctx *v, const emh_dossier *d)
{
	if (!d->nreviews)
		return; /* nothing to check: no line, so a first evaluation verifies as it always did */
	const char *repo = v->o->reviewers ? v->o->reviewers : v->o->criteria ? v->o->criteria
	                   : v->criteria_found[0] ? (strcmp(v->criteria_found, ".") ? v->criteria_found : NULL)
	                   : d->criteria_repository && d->criteria_repository[0] && strcmp(d->criteria_repository, ".")
	                   ? d->criteria_repository : NULL;
	unsigned bad = 0;
	for (size_t i = 0; i < d->nreviews; i++) {
		const emh_review *r = &d->reviews[i];
		const char *domain = NULL;
		for (size_t k = 0; k < d->nresults && !domain; k++)
			if (strcmp(d->results[k].id, r->criterion) == 0)
				domain = d->results[k].domain;
		emh_error err = EMH_ERROR_INIT;
		emh_reviewers *who = NULL;
		char msg[1400];
		if (!r->key_id || !r->signature || !r->reviewers_commit) {
			report(v, "reviews", EMH_CHECK_FAILED, "review %zu on %s (role %s) is not signed", i + 1, r->criterion,
			       r->role);
			bad++;
			continue;
		}
		if (emh_reviewers_load_git(&who, repo, r->reviewers_path, r->reviewers_commit, &err) ||
		    emh_reviewers_check(who, r, domain, &err)) {
			report(v, "reviews", EMH_CHECK_FAILED, "review %zu: %s", i + 1, emh_error_format(&err, msg, sizeof msg));
			bad++;
		}
		emh_reviewers_free(who);
	}
	if (!bad)
		report(v, "reviews", EMH_CHECK_OK, "%zu review%s signed by allowed reviewers' keys", d->nreviews,
		       d->nreviews == 1 ? "" : "s");
}

/* Every recorded waiver must count too: signed by its approver in a role that may waive its criterion. */
static void check_waivers(vctx *v, const emh_dossier *d)
{
	if (!d->nwaivers)
		return;
	const char *repo = v->o->reviewers ? v->o->reviewers : v->o->criteria ? v->o->criteria
	                   : v->criteria_found[0] ? (strcmp(v->criteria_found, ".") ? v->criteria_found : NULL)
	                   : d->criteria_repository && d->criteria_repository[0] && strcmp(d->criteria_repository, ".")
	                   ? d->criteria_repository : NULL;
	unsigned bad = 0;
	for (size_t i = 0; i < d->nwaivers; i++) {
		const emh_waiver *w = &d->waivers[i];
		const char *severity = NULL;
		for (size_t k = 0; k < d->nresults && !severity; k++)
			if (strcmp(d->results[k].id, w->criterion) == 0)
				severity = emh_severity_name(d->results[k].severity);
		emh_error err = EMH_ERROR_INIT;
		emh_reviewers *who = NULL;
		char msg[1400];
		if (!w->key_id || !w->signature || !w->reviewers_commit) {
			report(v, "waivers", EMH_CHECK_FAILED, "waiver %s of %s is not signed", w->id, w->criterion);
			bad++;
			continue;
		}
		if (emh_reviewers_load_git(&who, repo, w->reviewers_path, w->reviewers_commit, &err) ||
		    emh_reviewers_check_waiver(who, w, severity, &err)) {
			report(v, "waivers", EMH_CHECK_FAILED, "%s", emh_error_format(&err, msg, sizeof msg));
			bad++;
		}
		emh_reviewers_free(who);
	}
	if (!bad)
		report(v, "waivers", EMH_CHECK_OK, "%zu waiver%s signed by allowed approvers' keys", d->nwaivers,
		       d->nwaivers == 1 ? "" : "s");
}

/* Evaluates again exactly as recorded and compares the bytes. */
static void check_reproduce(vctx *v, const emh_dossier *d, const emh_criteria *set, const emh_submission *s,
                            const char *want, size_t want_len)
{
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = d->as_of;
	eo.waivers = d->waivers;
	eo.nwaivers = d->nwaivers;
	emh_dossier *fresh = NULL, *rev = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_buf got = EMH_BUF_INIT, profiles = EMH_BUF_INIT;
	/* The profiles as recorded (they may have come from --profile). */
	for (size_t k = 0; k < d->nprofiles; k++)
		emh_buf_appendf(&profiles, "%s%s", k ? "," : "", d->profiles[k].id ? d->profiles[k].id : "");
	eo.profiles = d->nprofiles ? emh_buf_cstr(&profiles) : NULL;
	char msg[1400];
	if (emh_evaluate_sealed(&fresh, set, s, &eo, &err)) {
		report(v, "reproduce", EMH_CHECK_FAILED, "cannot evaluate again: %s",
		       emh_error_format(&err, msg, sizeof msg));
		goto done;
	}
	emh_dossier *r = fresh;
	if (d->nreviews) {
		if (emh_review__apply_records(&rev, fresh, set, d->reviews, d->nreviews, &err)) {
			report(v, "reproduce", EMH_CHECK_FAILED, "the recorded reviews do not apply to a fresh evaluation: %s",
			       emh_error_format(&err, msg, sizeof msg));
			goto done;
		}
		r = rev;
	}
	/* Labels, not content: the criteria are named by commit and tree, the chain by the record. */
	r->criteria_repository = d->criteria_repository;
	r->criteria_source = d->criteria_source;
	r->criteria_rev = d->criteria_rev;
	r->revision = d->revision;
	r->previous_digest = d->previous_digest;
	if (emh_dossier_seal(r, &err) || emh_report_render(&got, r, EMH_FORMAT_JSON, NULL, &err)) {
		report(v, "reproduce", EMH_CHECK_FAILED, "cannot render: %s", emh_error_format(&err, msg, sizeof msg));
		goto done;
	}
	if (got.len == want_len && memcmp(got.ptr, want, want_len) == 0) {
		report(v, "reproduce", EMH_CHECK_OK, "evaluated again at %.12s as of %s%s: byte-identical (%zu bytes)",
		       d->criteria_commit, d->as_of ? d->as_of : "(no date)",
		       d->nreviews ? ", recorded reviews applied" : "", want_len);
	} else {
		char diff[400];
		emh_audit__first_difference(diff, sizeof diff, want, want_len, got.ptr, got.len);
		int other_tool = d->tool_version && strcmp(d->tool_version, r->tool_version) != 0;
		report(v, "reproduce", EMH_CHECK_FAILED, "evaluating again gives a different dossier: %s%s%s%s", diff,
		       other_tool ? " (written by emheval " : "", other_tool ? d->tool_version : "", other_tool ? ")" : "");
	}
done:
	emh_buf_dispose(&profiles);
	emh_buf_dispose(&got);
	emh_dossier_free(rev);
	emh_dossier_free(fresh);
}

int emh_verify(emh_verify_summary *out, const char *path, const emh_verify_options *opts, emh_error *err)
{
	emh_verify_options o = EMH_VERIFY_OPTIONS_INIT;
	if (opts)
		o = *opts;
	memset(out, 0, sizeof *out);
	vctx v = { out, &o, "" };
	emh_key *key = NULL;
	char *text = NULL, *env = NULL;
	size_t len = 0, env_len = 0;
	emh_json *doc = NULL;
	emh_dossier *d = NULL;
	emh_criteria *set = NULL;
	emh_submission *sub = NULL;
	emh_buf pretty = EMH_BUF_INIT;
	char env_path[4096] = "";
	char why[1600];
	int rc = 0;
	if (o.pubkey && (rc = emh_key_load(&key, o.pubkey, err)) != 0)
		goto done;
	if ((rc = emh_audit__read_file(&text, &len, path, EMH_AUDIT_MAX_FILE, err)) != 0)
		goto done;
	emh_error perr = EMH_ERROR_INIT;
	if (emh_json_parse(&doc, text, len, path, NULL, &perr)) {
		char msg[1400];
		report(&v, "dossier", EMH_CHECK_FAILED, "not valid JSON: %s", emh_error_format(&perr, msg, sizeof msg));
		goto done;
	}
	const cJSON *root = emh_json_root(doc);
	const cJSON *tree = root;
	emh_envelope_info info;
	memset(&info, 0, sizeof info);
	if (is_envelope(root)) {
		/* Given the envelope itself: the dossier is the one it carries. */
		snprintf(env_path, sizeof env_path, "%s", path);
		if (emh_audit__open_envelope(&info, text, len, path, key) || !info.dossier) {
			report(&v, "dossier", EMH_CHECK_FAILED, "%s", info.why);
			emh_audit__envelope_dispose(&info);
			goto done;
		}
		tree = info.dossier;
		emh_canonical_print(&pretty, tree, 1);
		/* Checked before the report: its arguments are evaluated in no set order (valgrind). */
		int bad_model = emh_audit__check_model(&d, tree, path, why, sizeof why) != 0;
		report(&v, "dossier", bad_model ? EMH_CHECK_FAILED : EMH_CHECK_OK,
		       "%s", d ? "the dossier carried by the envelope is in emheval's form" : why);
	} else {
		if (emh_envelope_path(env_path, sizeof env_path, path)) {
			rc = emh_error_set(err, EMH_ELIMIT, "path too long: %s", path);
			goto done;
		}
		emh_error eerr = EMH_ERROR_INIT;
		int erc = emh_audit__read_file(&env, &env_len, env_path, EMH_AUDIT_MAX_FILE, &eerr);
		if (erc && erc != EMH_ENOTFOUND) {
			*err = eerr;
			rc = erc;
			goto done;
		}
		emh_buf_append(&pretty, text, len);
		int canon_bad = emh_audit__check_canonical(tree, text, len, 1, why, sizeof why);
		if (canon_bad)
			report(&v, "dossier", EMH_CHECK_FAILED, "not in canonical form: %s", why);
		else if (emh_audit__check_model(&d, tree, path, why, sizeof why))
			report(&v, "dossier", EMH_CHECK_FAILED, "%s", why);
		else
			report(&v, "dossier", EMH_CHECK_OK, "canonical %s, revision %d, %s for %s %s", EMH_DOSSIER_FORMAT,
			       d->revision, emh_verdict_name(d->verdict), d->submission_id ? d->submission_id : "?",
			       d->app_version ? d->app_version : "?");
	}
	report(&v, "digest", emh_audit__check_digest(tree, why, sizeof why) ? EMH_CHECK_FAILED : EMH_CHECK_OK, "%s", why);
	if (info.statement) {
		if (emh_audit__statement_matches(info.statement, tree, why, sizeof why))
			report(&v, "signature", EMH_CHECK_FAILED, "%s", why);
		else
			report(&v, "signature", (emh_check_status)info.signature, "%s", info.why);
		emh_audit__envelope_dispose(&info);
	} else {
		check_signature(&v, env_path, env, env_len, key, tree);
	}
	if (!d) {
		report(&v, "criteria", EMH_CHECK_SKIPPED, "the dossier could not be read");
		report(&v, "reproduce", EMH_CHECK_SKIPPED, "the dossier could not be read");
		goto done;
	}
	emh_error cerr = EMH_ERROR_INIT;
	emh_criteria_finder finder = { o.criteria, o.sources, o.installed };
	int crc = emh_dossier_find_criteria(&set, v.criteria_found, sizeof v.criteria_found, d, &finder, NULL, NULL,
	                                    &cerr);
	if (crc) {
		char msg[1400];
		out->criteria_missing = crc == EMH_ENOTFOUND;
		report(&v, "criteria", EMH_CHECK_FAILED, "%s", emh_error_format(&cerr, msg, sizeof msg));
	} else {
		report(&v, "criteria", EMH_CHECK_OK, "commit %.12s with tree %.12s found in %s", d->criteria_commit,
		       d->criteria_tree, v.criteria_found);
	}
	check_reviews(&v, d);
	check_waivers(&v, d);
	if (!o.submission) {
		report(&v, "evidence", EMH_CHECK_SKIPPED, "give --submission PATH to check the evidence hashes");
		report(&v, "reproduce", EMH_CHECK_SKIPPED, "give --submission PATH to evaluate again");
		goto done;
	}
	emh_error serr = EMH_ERROR_INIT;
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	so.validation = set ? emh_criteria_submission_validation(set) : EMH_VALIDATE_FULL;
	int src = emh_submission_load(&sub, o.submission, &so, &serr);
	if (src == EMH_ENOTFOUND || src == EMH_EIO) {
		*err = serr;
		rc = src;
		goto done;
	}
	if (src) {
		char msg[1400];
		report(&v, "submission", EMH_CHECK_FAILED, "%s", emh_error_format(&serr, msg, sizeof msg));
		report(&v, "reproduce", EMH_CHECK_SKIPPED, "the submission could not be loaded");
		goto done;
	}
	check_files(&v, d, sub);
	if (!set)
		report(&v, "reproduce", EMH_CHECK_SKIPPED, "the recorded criteria could not be loaded");
	else
		check_reproduce(&v, d, set, sub, pretty.ptr ? pretty.ptr : "", pretty.len);
done:
	emh_buf_dispose(&pretty);
	emh_submission_free(sub);
	emh_criteria_free(set);
	emh_dossier_free(d);
	emh_json_free(doc);
	free(text);
	free(env);
	emh_key_free(key);
	return rc;
}
