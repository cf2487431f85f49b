/*
 * fuzz_criteria.c - bytes as criteria: the first byte picks what they are.
 *   even: one criterion file (d/X.json) beside the fixed framework.json
 *   odd:  framework.json beside one fixed criterion
 * A set that compiles is listed (emh_criteria_get, the catalogue) and
 * evaluated against a small fixed submission, then rendered every way.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "emheval/catalogue.h"

/*
 * Loaded without schema validation: the evaluator must hold for any document
 * the library is given, and validation has its own target (fuzz_submission).
 */
static const emh_submission_options unvalidated = { 0, 0, 0, 0, 0, EMH_VALIDATE_OFF, NULL, NULL, NULL };

static const char fixed_criterion[] =
	"{\"id\": \"F-1\", \"version\": 1, \"title\": \"t\", \"domain\": \"d\", \"severity\": \"major\","
	" \"references\": [\"FUZZ 1\"], \"check\": {\"path\": \"/app/id\", \"type\": \"string\"},"
	" \"fail_message\": \"f\", \"remediation\": \"r\"}";

static const char fixed_submission[] =
	"{\"schema\": \"emheval/submission/1\", \"submission_date\": \"2026-10-01\", \"risk_tier\": \"B\","
	" \"app\": {\"id\": \"org.example\", \"name\": \"Ex\", \"version\": \"1.0\", \"functions\": [\"a\", \"b\"],"
	" \"cost\": {\"price\": 0}}, \"claims\": [{\"type\": \"x\", \"evidence_paths\": [\"s.md\"]}],"
	" \"evidence\": [{\"kind\": \"privacy_policy\", \"path\": \"p.md\"}],"
	" \"data_protection\": {\"retention_months\": 24, \"x\": {\"$unknown\": \"later\"}}}";

/* Problems are expected; the callback only checks that each has a message. */
static void on_problem(const emh_error *problem, void *payload)
{
	(void)payload;
	if (!problem->message[0])
		emh_fuzz_fail("a criteria problem without a message", problem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int framework = data[0] & 1;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	emh_criteria_file files[2] = {
		{ "framework.json", framework ? body : emh_fuzz_framework,
		  framework ? len : strlen(emh_fuzz_framework) },
		{ framework ? "d/F-1.json" : "d/X.json", framework ? fixed_criterion : body,
		  framework ? strlen(fixed_criterion) : len },
	};
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.on_problem = on_problem;
	emh_criteria *set = NULL;
	emh_error err = EMH_ERROR_INIT;
	if (emh_criteria_compile(&set, files, 2, &co, &err)) {
		if (!err.message[0])
			emh_fuzz_fail("compile failed without a message", &err);
		return 0;
	}
	for (size_t i = 0; i < emh_criteria_count(set); i++) {
		emh_criterion_info info;
		if (emh_criteria_get(set, i, &info))
			emh_fuzz_fail("emh_criteria_get failed for an index below the count", NULL);
	}
	for (int md = 0; md < 2; md++) {
		emh_buf b = EMH_BUF_INIT;
		if (emh_catalogue_render(&b, set, md, &err) && err.code != EMH_ELIMIT)
			emh_fuzz_fail("the catalogue failed", &err);
		emh_buf_dispose(&b);
	}
	emh_submission *sub = NULL;
	if (emh_submission_load_buffer(&sub, fixed_submission, strlen(fixed_submission), "s.json", &unvalidated, &err))
		emh_fuzz_fail("the fixed submission does not load", &err);
	emh_dossier *d = NULL;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	if (emh_evaluate(&d, set, sub, &eo, &err) || emh_dossier_seal(d, &err))
		emh_fuzz_fail("evaluating with a compiled set failed", &err);
	emh_fuzz_render_all(d);
	emh_dossier_free(d);
	emh_submission_free(sub);
	emh_criteria_free(set);
	return 0;
}
