/*
 * cmd_ledger_show.c - browsing a ledger without git (issue 15): `emheval
 * ledger show REPO REF` prints one filed dossier (by commit, digest or app)
 * as a report or as filed; `emheval ledger log REPO --format json` lists
 * the filings as a JSON array built with cJSON, for scripts. Both read the
 * ledger through emh_ledger_log, which parses every filed dossier.
 *
 * Exit status: 0 shown (or listed); 2 usage error, no ledger at REPO, REF
 * not found or ambiguous, or a filed dossier that does not verify.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/commands.h"

/* ---- ledger log --format json ---------------------------------------------------------------------------- */

static void iso_time(char when[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	when[0] = '\0';
	if (gmtime_r(&tt, &tm))
		strftime(when, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A string member, or null when the dossier has none. */
static void put_string(cJSON *o, const char *key, const char *value)
{
	cJSON_AddItemToObject(o, key, value ? cJSON_CreateString(value) : cJSON_CreateNull());
}

static void add_entry(const emh_ledger_entry *e, void *payload)
{
	cJSON *list = payload, *o = cJSON_CreateObject();
	char when[32];
	if (!o)
		return;
	iso_time(when, e->time);
	cJSON_AddNumberToObject(o, "sequence", (double)e->sequence);
	put_string(o, "commit", e->commit);
	put_string(o, "time", when);
	put_string(o, "path", e->path);
	put_string(o, "app_id", e->app_id);
	put_string(o, "app_version", e->app_version);
	cJSON_AddNumberToObject(o, "revision", e->revision);
	put_string(o, "as_of", e->as_of);
	put_string(o, "verdict", e->verdict);
	put_string(o, "digest", e->digest);
	put_string(o, "criteria_commit", e->criteria_commit);
	put_string(o, "framework_version", e->framework_version);
	cJSON_AddBoolToObject(o, "signed", e->is_signed);
	/* Who decided the reviews recorded in it: each reviewer and role once, in the order given. */
	cJSON *reviewers = cJSON_AddArrayToObject(o, "reviewers");
	for (size_t i = 0; reviewers && e->dossier && i < e->dossier->nreviews; i++) {
		const emh_review *r = &e->dossier->reviews[i];
		if (!r->reviewer || emh_cli_reviewer_seen(e->dossier, i))
			continue;
		cJSON *who = cJSON_CreateObject();
		put_string(who, "reviewer", r->reviewer);
		put_string(who, "role", r->role);
		cJSON_AddItemToArray(reviewers, who);
	}
	cJSON_AddNumberToObject(o, "reviews", (double)(e->dossier ? e->dossier->nreviews : 0));
	cJSON_AddItemToArray(list, o);
}

int emh_cli_ledger_log_json(const char *repo, const char *app)
{
	cJSON *list = cJSON_CreateArray();
	emh_error err = EMH_ERROR_INIT;
	if (!list) {
		emh_cli_error("out of memory");
		return EMH_EXIT_USAGE;
	}
	if (emh_ledger_log(repo, app, add_entry, list, &err)) {
		emh_cli_print_error(&err);
		cJSON_Delete(list);
		return EMH_EXIT_USAGE;
	}
	char *text = cJSON_Print(list);
	cJSON_Delete(list);
	if (!text) {
		emh_cli_error("out of memory");
		return EMH_EXIT_USAGE;
	}
	emh_buf out = EMH_BUF_INIT;
	emh_buf_puts(&out, text);
	emh_buf_putc(&out, '\n');
	free(text);
	int rc = out.err ? (emh_cli_error("out of memory"), -1) : emh_cli_write_output(NULL, &out);
	emh_buf_dispose(&out);
	return rc ? EMH_EXIT_USAGE : 0;
}

/* ---- ledger show ------------------------------------------------------------------------------------------ */

typedef struct show_ctx {
	const char *ref;
	enum { BY_COMMIT, BY_DIGEST, BY_APP } by;
	size_t matches;
	char commit[41];
	emh_buf json;           /* the matching dossier's bytes as filed */
} show_ctx;

static void find_entry(const emh_ledger_entry *e, void *payload)
{
	show_ctx *s = payload;
	int hit = s->by == BY_COMMIT ? strncmp(e->commit, s->ref, strlen(s->ref)) == 0
	        : s->by == BY_DIGEST ? e->digest && strcmp(e->digest, s->ref) == 0
	                             : e->app_id && strcmp(e->app_id, s->ref) == 0;
	if (!hit)
		return;
	/* By app the latest filing wins (entries come oldest first); by commit or digest one must match. */
	s->matches++;
	snprintf(s->commit, sizeof s->commit, "%s", e->commit);
	emh_buf_clear(&s->json);
	emh_buf_append(&s->json, e->json, e->json_len);
}

static const emh_cli_opt show_opts[] = {
	{ "format", 0, "FORMAT", "text, json (the dossier exactly as filed), html, markdown, junit, sarif or github",
	  "text", EMH_CLI_REPORT_FORMATS },
	EMH_CLI_OUTPUT_OPT,
	EMH_CLI_COLOR_OPT,
};
static const emh_cli_group show_group = EMH_CLI_GROUP("ledger show options", show_opts, 0);
static const emh_cli_group *const show_groups[] = { &show_group, NULL };
const emh_cli_command emh_cli_ledger_show = {
	"ledger show", "REPO REF",
	"print one filed dossier",
	"Prints one dossier filed in a ledger, found by REF: a ledger commit id or a unique prefix of one (at least "
	"4 hex digits, as ledger log prints them), the dossier's digest (sha256:HEX), or an app id (its latest "
	"filing). The dossier's digest is checked first. --format json writes the dossier's bytes as filed; the "
	"other formats render it as report does.",
	"Exit status: 0 shown, 2 usage error, no ledger at REPO, REF not found or ambiguous, or a dossier that does "
	"not verify.",
	show_groups, emh_cmd_ledger_show,
};

static int all_hex(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n >= 4 && s[n] == '\0';
}

int emh_cmd_ledger_show(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_ledger_show, argc, argv, 3))
		return a.status;
	if (a.npos != 2)
		return a.npos > 2 ? emh_cli_usage_error("unexpected argument %s", a.pos[2])
		                  : emh_cli_usage_error("ledger show needs REPO and REF (a commit, a digest or an app id)");
	const char *output = emh_cli_output(&a, "output");
	emh_format format;
	int color;
	if (emh_cli_render_format(&a, output, NULL, &format, &color))
		return EMH_EXIT_USAGE;
	show_ctx s = { a.pos[1], BY_APP, 0, "", EMH_BUF_INIT };
	if (strncmp(s.ref, "sha256:", 7) == 0)
		s.by = BY_DIGEST;
	else if (all_hex(s.ref))
		s.by = BY_COMMIT;
	emh_error err = EMH_ERROR_INIT;
	emh_dossier *d = NULL;
	emh_buf out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	if (emh_ledger_log(a.pos[0], NULL, find_entry, &s, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (s.matches == 0) {
		emh_cli_print_line(stderr, "emheval: error: no dossier in ledger %s has %s %s", a.pos[0],
		                   s.by == BY_COMMIT ? "a commit starting" : s.by == BY_DIGEST ? "the digest" : "the app id",
		                   s.ref);
		goto done;
	}
	if (s.matches > 1 && s.by != BY_APP) {
		emh_cli_print_line(stderr, "emheval: error: %s is ambiguous in ledger %s: %zu dossiers match (give more "
		                   "of the commit id)", s.ref, a.pos[0], s.matches);
		goto done;
	}
	char label[128];
	snprintf(label, sizeof label, "ledger commit %.12s", s.commit);
	emh_error derr = EMH_ERROR_INIT;
	if (emh_dossier_parse(&d, emh_buf_cstr(&s.json), s.json.len, label, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_dossier_check_digest(d, &derr)) {
		char msg[700];
		emh_cli_error("%s does not verify: %s (emheval ledger verify shows more)", label,
		              emh_error_format(&derr, msg, sizeof msg));
		goto done;
	}
	if (format == EMH_FORMAT_JSON) {
		emh_buf_append(&out, s.json.ptr, s.json.len);
	} else {
		emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
		ro.color = color;
		ro.width = emh_cli_text_width();
		if (emh_report_render(&out, d, format, &ro, &err)) {
			emh_cli_print_error(&err);
			goto done;
		}
	}
	if (emh_cli_write_output(output, &out) == 0)
		status = 0;
done:
	emh_buf_dispose(&out);
	emh_buf_dispose(&s.json);
	emh_dossier_free(d);
	return status;
}
