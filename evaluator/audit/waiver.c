/*
 * waiver.c - waivers: recorded, approved exceptions that turn one
 * criterion's fail into waived for one app (and optionally one version)
 * until an expiry date.
 *
 * A waiver is valid on its expiry date and expired from the next day,
 * judged against the evaluation date (as_of), never the wall clock, so a
 * dossier reproduces. The dossier lists each waiver that concerns the app
 * once, with what became of it: applied (it waived a fail), expired, or
 * unused (nothing of its criterion failed). Waivers of other apps are not
 * listed: a dossier goes to its vendor.
 *
 * The file is read strictly (docs/audit.md): a regulator's exception must
 * never be misread, so anything unexpected stops the run with the file,
 * line and column. Applying waivers during an evaluation is evaluation
 * (evaluator/waive.c); the strict record helpers are in common.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/audit/audit_internal.h"
#include "evaluator/criteria_internal.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"

struct emh_waivers {
	emh_waiver *items;
	emh_json_pos *pos; /* where each item's "id" is, for errors after reading */
	size_t count;
	char *label;
	emh_arena *arena;
};

/* ---- the waivers file --------------------------------------------------------- */

static int read_waiver(const emh_audit_reader *r, const cJSON *o, const char *jp,
                       emh_waiver *w, emh_arena *a)
{
	static const char *const allowed[] = { "id", "criterion", "scope", "justification", "approver",
	                                       "expires", "signature", NULL };
	static const char *const scope_allowed[] = { "app_id", "app_version", NULL };
	if (!cJSON_IsObject(o))
		return emh_audit__bad(r, o, jp, "a waiver must be an object");
	if (emh_audit__only_members(r, o, jp, allowed))
		return EMH_EINVALID;
	const char *id, *criterion, *justification, *approver, *expires, *app_id, *app_version;
	if (emh_audit__text(r, o, jp, "id", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &id) ||
	    emh_audit__text(r, o, jp, "criterion", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &criterion))
		return EMH_EINVALID;
	const cJSON *scope = cJSON_GetObjectItemCaseSensitive(o, "scope");
	char sp[300];
	snprintf(sp, sizeof sp, "%s/scope", jp);
	if (!scope)
		return emh_audit__bad(r, o, jp, "missing \"scope\" (the app it concerns: {\"app_id\": ...})");
	if (!cJSON_IsObject(scope))
		return emh_audit__bad(r, scope, sp, "\"scope\" must be an object {\"app_id\", \"app_version\"}");
	if (emh_audit__only_members(r, scope, sp, scope_allowed) ||
	    emh_audit__text(r, scope, sp, "app_id", 1, &app_id) ||
	    emh_audit__text(r, scope, sp, "app_version", 0, &app_version) ||
	    emh_audit__text(r, o, jp, "justification", 1, &justification) ||
	    emh_audit__text(r, o, jp, "approver", EMH_AUDIT_REQUIRED | EMH_AUDIT_NAME, &approver))
		return EMH_EINVALID;
	long day;
	if (emh_audit__date(r, o, jp, "expires", &expires, &day))
		return EMH_EINVALID;
	const char *keyid, *sig64;
	if (emh_audit__signature(r, o, jp, &keyid, &sig64))
		return EMH_EINVALID;
	w->key_id = emh_arena_strdup(a, keyid);
	w->signature = emh_arena_strdup(a, sig64);
	w->id = emh_arena_strdup(a, id);
	w->criterion = emh_arena_strdup(a, criterion);
	w->app_id = emh_arena_strdup(a, app_id);
	w->app_version = emh_arena_strdup(a, app_version);
	w->justification = emh_arena_strdup(a, justification);
	w->approver = emh_arena_strdup(a, approver);
	w->expires = emh_arena_strdup(a, expires);
	if (!w->id || !w->criterion || !w->app_id || !w->justification || !w->approver || !w->expires ||
	    (app_version && !w->app_version))
		return emh_error_set(r->err, EMH_EGENERIC, "out of memory");
	return 0;
}

int emh_waivers_parse(emh_waivers **out, const char *json, size_t len, const char *label,
                      emh_error *err)
{
	*out = NULL;
	emh_json *doc = NULL;
	int rc = emh_audit__parse(&doc, json, len, label, err);
	if (rc)
		return rc;
	emh_waivers *w = calloc(1, sizeof *w);
	emh_audit_reader r = { doc, label, err };
	const cJSON *list = NULL;
	if (!w || !(w->arena = emh_arena_new())) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	rc = emh_audit__records(&r, emh_json_root(doc), "waivers", &list);
	if (rc)
		goto done;
	size_t n = (size_t)cJSON_GetArraySize(list);
	w->items = emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *w->items);
	const cJSON **nodes = calloc(n ? n : 1, sizeof *nodes);
	emh_audit_key *keys = calloc(n ? n : 1, sizeof *keys);
	if (!w->items || !nodes || !keys) {
		free(nodes);
		free(keys);
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	size_t i = 0;
	for (const cJSON *e = list->child; e && rc == 0; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/waivers/%zu", i);
		nodes[i] = e;
		rc = read_waiver(&r, e, jp, &w->items[i], w->arena);
		keys[i] = (emh_audit_key){ w->items[i].id, i };
	}
	size_t repeat = 0, first = 0;
	if (rc == 0 && emh_audit__first_repeat(keys, n, &repeat, &first)) {
		char ip[80];
		unsigned line = 0, col = 0;
		size_t off = 0;
		emh_json_locate(doc, nodes[first], &line, &col, &off);
		snprintf(ip, sizeof ip, "/waivers/%zu/id", repeat);
		rc = emh_audit__bad(&r, cJSON_GetObjectItemCaseSensitive(nodes[repeat], "id"), ip,
		                    "waiver id \"%s\" is used twice (first at line %u)", w->items[repeat].id, line);
	}
	/* Sorted by id (keys now are), each with the position of its "id", found in one pass. */
	emh_waiver *sorted = rc == 0 ? emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *sorted) : NULL;
	w->pos = rc == 0 ? emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *w->pos) : NULL;
	for (size_t k = 0; rc == 0 && k < n; k++)
		nodes[k] = cJSON_GetObjectItemCaseSensitive(nodes[k], "id");
	if (rc == 0 && (!sorted || !w->pos || !(w->label = strdup(label ? label : "waivers")) ||
	                emh_json_locate_many(doc, nodes, n, w->pos, NULL)))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (rc == 0) {
		emh_json_pos *pos = emh_arena_alloc(w->arena, (n ? n : 1) * sizeof *pos);
		if (!pos)
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		for (size_t k = 0; rc == 0 && k < n; k++) {
			sorted[k] = w->items[keys[k].index];
			pos[k] = w->pos[keys[k].index];
		}
		w->items = sorted;
		w->pos = pos;
	}
	free(nodes);
	free(keys);
	if (rc)
		goto done;
	w->count = n;
	*out = w;
	w = NULL;
done:
	emh_waivers_free(w);
	emh_json_free(doc);
	return rc;
}

int emh_waivers_load(emh_waivers **out, const char *path, emh_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = emh_audit__read_file(&text, &len, path, EMH_AUDIT_MAX_FILE, err);
	if (rc == 0)
		rc = emh_waivers_parse(out, text, len, path, err);
	free(text);
	return rc;
}

int emh_waivers_authorize(emh_waivers *w, const emh_criteria *set, const emh_reviewers *who, emh_error *err)
{
	for (size_t i = 0; w && i < w->count; i++) {
		emh_waiver *x = &w->items[i];
		const char *severity = NULL;
		for (size_t k = 0; k < set->count && !severity; k++)
			if (strcmp(set->items[k].id, x->criterion) == 0)
				severity = emh_severity_name(set->items[k].severity);
		int rc = emh_reviewers_check_waiver(who, x, severity, err);
		if (rc) {
			emh_error_locate(err, w->label, w->pos[i].line, w->pos[i].column, NULL);
			return rc;
		}
		x->reviewers_commit = emh_reviewers_commit(who)[0] ? emh_arena_strdup(w->arena, emh_reviewers_commit(who)) : NULL;
		x->reviewers_path = x->reviewers_commit ? emh_arena_strdup(w->arena, emh_reviewers_path(who)) : NULL;
	}
	return 0;
}

const emh_waiver *emh_waivers_items(const emh_waivers *w, size_t *count)
{
	*count = w ? w->count : 0;
	return w ? w->items : NULL;
}

void emh_waivers_free(emh_waivers *w)
{
	if (!w)
		return;
	emh_arena_free(w->arena);
	free(w->label);
	free(w);
}

