/*
 * fuzz_common.c - the fixed criteria set of the evaluation fuzzers and the
 * render-everything check (see fuzz.h).
 *
 * The set reads paths that the example submissions (the seeds) have, so that
 * mutations start from data the checks really look at, and between its
 * criteria it uses every predicate, quantifier and connective of
 * docs/criteria-format.md, applies_when, requires, manual criteria, SEMI
 * review notes, every date anchor and every evidence predicate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

const char emh_fuzz_framework[] =
	"{\"name\": \"fuzz\", \"version\": \"1.0.0\", \"effective_date\": \"2026-01-01\","
	" \"categories\": [{\"id\": \"a\", \"title\": \"A\"}, {\"id\": \"b\", \"title\": \"B\"}],"
	" \"domains\": [{\"id\": \"d\", \"title\": \"D\", \"category\": \"a\"},"
	"              {\"id\": \"e\", \"title\": \"E\", \"category\": \"b\"}],"
	" \"tier_pointer\": \"/risk_tier\","
	" \"weights\": {\"default\": {\"d\": 2, \"e\": 1}, \"C\": {\"d\": 5}},"
	" \"severity_weights\": {\"blocker\": 4, \"major\": 3, \"minor\": 2, \"advisory\": 1},"
	" \"verdict_policy\": {\"reject\": [\"blocker\", \"major\"], \"condition_days\": {\"minor\": 90}}}";

/* Criterion bodies: id, domain, severity and the members after them. */
static const struct {
	const char *id, *domain, *severity, *members;
} specs[] = {
	{ "A-EXISTS", "d", "blocker",
	  "\"check\": {\"and\": [{\"path\": \"/app/id\", \"exists\": true, \"type\": \"string\", \"min_length\": 1,"
	  " \"max_length\": 200}, {\"path\": \"/app/nothing\", \"absent\": true}]}" },
	{ "A-TYPES", "d", "minor",
	  "\"check\": {\"or\": [{\"path\": \"/app/offline_use\", \"type\": \"boolean\"},"
	  " {\"path\": \"/app/cost\", \"type\": \"object\"}, {\"path\": \"/app/functions\", \"type\": \"array\"},"
	  " {\"path\": \"/app/cost/price\", \"type\": \"integer\"}, {\"path\": \"/x\", \"type\": \"null\"},"
	  " {\"path\": \"/app/cost/price\", \"type\": \"number\"}, {\"path\": \"/submission_date\", \"type\": \"date\"}]}" },
	{ "A-EQ", "d", "major",
	  "\"check\": {\"and\": [{\"path\": \"/schema\", \"eq\": \"emheval/submission/1\"},"
	  " {\"path\": \"/risk_tier\", \"in\": [\"A\", \"B\", \"C\"]}, {\"path\": \"/app/cost\", \"ne\": {\"model\": \"ads\"}},"
	  " {\"path\": \"/app/languages\", \"ne\": [\"xx\"]}, {\"path\": \"/app/offline_use\", \"in\": [true, null, 1.5]}]}" },
	{ "A-NUM", "e", "minor",
	  "\"applies_when\": {\"path\": \"/app/cost\", \"exists\": true},"
	  " \"check\": {\"path\": \"/app/cost/price\", \"ge\": 0, \"le\": 1000, \"gt\": -1, \"lt\": 1e9}" },
	{ "A-TEXT", "e", "major",
	  "\"check\": {\"and\": [{\"path\": \"/vendor/contact/email\", \"matches\": \"^[^@\\\\s]+@[^@\\\\s]+\\\\.[A-Za-z]{2,}$\"},"
	  " {\"path\": \"/app/name\", \"not_matches\": \"(?:cure|guarantee)\", \"flags\": \"iu\"},"
	  " {\"path\": \"/app/intended_purpose\", \"matches\": \"^.+$\", \"flags\": \"msx\"}]}" },
	{ "A-DATES", "d", "major",
	  "\"check\": {\"and\": [{\"path\": \"/submission_date\", \"after\": \"2000-01-01\", \"before\": \"@as_of\"},"
	  " {\"path\": \"/clinical_safety/hazard_log_last_reviewed\", \"within_days\": 730},"
	  " {\"path\": \"/app/last_updated\", \"within_days\": 365, \"of\": \"/submission_date\"},"
	  " {\"path\": \"/clinical_safety/clinical_safety_officer/crm_training_date\", \"before\": \"/submission_date\"}]}" },
	{ "A-ALL", "e", "blocker",
	  "\"check\": {\"path\": \"/evidence\", \"type\": \"array\", \"min_count\": 1, \"max_count\": 100,"
	  " \"all\": {\"and\": [{\"path\": \"/kind\", \"type\": \"string\"}, {\"path\": \"/path\", \"matches\": \"^[^/]\"}]},"
	  " \"unique\": \"/path\"}" },
	{ "A-ANY", "e", "minor",
	  "\"check\": {\"path\": \"/claims\", \"where\": {\"path\": \"/type\", \"exists\": true},"
	  " \"any\": {\"path\": \"/evidence_paths\", \"min_count\": 1}, \"none\": {\"path\": \"\", \"type\": \"null\"}}" },
	{ "A-NOT", "d", "advisory",
	  "\"requires\": [\"A-EXISTS\"],"
	  " \"check\": {\"not\": {\"or\": [{\"path\": \"/app/business_model\", \"eq\": \"advertising\"},"
	  " {\"path\": \"/data_protection/sells_data\", \"eq\": true}]}}" },
	{ "A-NESTED", "d", "minor",
	  "\"check\": {\"path\": \"/nice_esf/standards\", \"all\": {\"path\": \"/evidence_paths\","
	  " \"none\": {\"path\": \"\", \"not_matches\": \"\\\\.md$\"}}, \"where\": {\"not\": {\"path\": \"/n\", \"absent\": true}}}" },
	{ "A-EVID", "e", "blocker",
	  "\"check\": {\"and\": [{\"evidence\": \"privacy_policy\", \"present\": true, \"verified\": true},"
	  " {\"evidence\": \"privacy_policy\", \"matches\": \"\\\\b(?:retain|retention)\\\\b\", \"flags\": \"i\"},"
	  " {\"evidence\": \"*\", \"not_matches\": \"\\\\b(share|sell)\\\\b[^.]{0,60}\\\\badvertis(ers|ing)\\\\b\", \"flags\": \"im\"},"
	  " {\"not\": {\"evidence\": \"app_text\", \"matches\": \"guarantee\"}}]}" },
	{ "A-REVIEW", "d", "major",
	  "\"check\": {\"path\": \"/clinical_safety/dcb0129_compliant\", \"eq\": true},"
	  " \"review\": \"A human reads the safety case.\"" },
	{ "A-MANUAL", "e", "minor",
	  "\"manual\": true, \"guidance\": \"Judge the crisis screens.\"" },
};

static emh_criteria *fixed;

static void build(void)
{
	size_t n = sizeof specs / sizeof specs[0];
	emh_criteria_file files[sizeof specs / sizeof specs[0] + 1];
	char *texts[sizeof specs / sizeof specs[0]];
	char paths[sizeof specs / sizeof specs[0]][64];
	files[0].path = "framework.json";
	files[0].data = emh_fuzz_framework;
	files[0].len = strlen(emh_fuzz_framework);
	for (size_t i = 0; i < n; i++) {
		size_t size = strlen(specs[i].members) + 512;
		texts[i] = malloc(size);
		if (!texts[i])
			abort();
		snprintf(texts[i], size,
		         "{\"id\": \"%s\", \"version\": 1, \"title\": \"%s\", \"domain\": \"%s\","
		         " \"severity\": \"%s\", \"references\": [\"FUZZ %zu\"], %s,"
		         " \"fail_message\": \"It fails.\", \"remediation\": \"Fix it.\"}",
		         specs[i].id, specs[i].id, specs[i].domain, specs[i].severity, i, specs[i].members);
		snprintf(paths[i], sizeof paths[i], "%s/%s.json", specs[i].domain, specs[i].id);
		files[i + 1].path = paths[i];
		files[i + 1].data = texts[i];
		files[i + 1].len = strlen(texts[i]);
	}
	emh_error err = EMH_ERROR_INIT;
	if (emh_criteria_compile(&fixed, files, n + 1, NULL, &err))
		emh_fuzz_fail("the fixed criteria set does not compile", &err);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
}

const emh_criteria *emh_fuzz_criteria(void)
{
	if (!fixed)
		build(); /* kept for the life of the process */
	return fixed;
}

void emh_fuzz_fail(const char *what, const emh_error *err)
{
	char msg[1400] = "";
	if (err)
		emh_error_format(err, msg, sizeof msg);
	fprintf(stderr, "FUZZ FINDING: %s%s%s\n", what, err ? ": " : "", msg);
	abort();
}

/* Renders d as JSON into a fresh buffer; aborts unless it works. */
static void render_json(emh_buf *b, const emh_dossier *d)
{
	emh_error err = EMH_ERROR_INIT;
	if (emh_report_render(b, d, EMH_FORMAT_JSON, NULL, &err))
		emh_fuzz_fail("rendering JSON failed", &err);
}

void emh_fuzz_render_all(const emh_dossier *d)
{
	for (int f = 0; f < EMH_FUZZ_FORMATS; f++) {
		for (int color = 0; color < 2; color++) {
			emh_buf b = EMH_BUF_INIT;
			emh_error err = EMH_ERROR_INIT;
			emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
			ro.color = color;
			ro.width = color ? 40 : 0;
			int rc = emh_report_render(&b, d, (emh_format)f, &ro, &err);
			if (rc && rc != EMH_ELIMIT)
				emh_fuzz_fail("a renderer failed", &err);
			emh_buf_dispose(&b);
		}
	}
	/* The dossier of record reads back to the same bytes. */
	emh_buf one = EMH_BUF_INIT, two = EMH_BUF_INIT;
	emh_dossier *back = NULL;
	emh_error err = EMH_ERROR_INIT;
	render_json(&one, d);
	if (emh_dossier_parse(&back, one.ptr, one.len, "rendered.json", &err))
		emh_fuzz_fail("a rendered dossier does not parse back", &err);
	render_json(&two, back);
	if (one.len != two.len || memcmp(one.ptr, two.ptr, one.len) != 0) {
		fprintf(stderr, "first:\n%s\nsecond:\n%s\n", one.ptr, two.ptr);
		emh_fuzz_fail("a dossier read back renders different bytes", NULL);
	}
	emh_dossier_free(back);
	emh_buf_dispose(&one);
	emh_buf_dispose(&two);
}
