/*
 * fuzz_audit.c - bytes as a reviews or a waivers file (evaluator/review.c,
 * waiver.c); the first byte picks which:
 *   even: a waivers file, applied while evaluating a fixed submission
 *   odd:  a reviews file, applied to the fixed submission's sealed dossier
 * Whatever is accepted must give a dossier that seals, renders every way
 * and reads back to the same bytes (fuzz_common.c).
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "emheval/audit.h"

/*
 * Loaded without schema validation: the evaluator must hold for any document
 * the library is given, and validation has its own target (fuzz_submission).
 */
static const emh_submission_options unvalidated = { 0, 0, 0, 0, 0, EMH_VALIDATE_OFF, NULL, NULL, NULL };

static const char fixed_submission[] =
	"{\"schema\": \"emheval/submission/1\", \"submission_date\": \"2026-10-01\", \"risk_tier\": \"B\","
	" \"app\": {\"id\": \"org.example\", \"name\": \"Ex\", \"version\": \"1.0\", \"functions\": [\"a\"],"
	" \"cost\": {\"price\": 0}, \"business_model\": \"advertising\"},"
	" \"clinical_safety\": {\"dcb0129_compliant\": {\"$unknown\": \"in progress\"}},"
	" \"evidence\": [{\"kind\": \"privacy_policy\", \"path\": \"p.md\"}]}";

/*
 * The fixed submission evaluated with the given waivers, sealed; NULL when the
 * evaluation refused a waiver that parsed (one expiring too late, say: a rule
 * that needs the evaluation date), which must come with a message.
 */
static emh_dossier *evaluate(const emh_waiver *w, size_t nw)
{
	emh_submission *sub = NULL;
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	if (emh_submission_load_buffer(&sub, fixed_submission, strlen(fixed_submission), "s.json", &unvalidated, &err))
		emh_fuzz_fail("the fixed submission does not load", &err);
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.waivers = w;
	eo.nwaivers = nw;
	if (emh_evaluate(&d, emh_fuzz_criteria(), sub, &eo, &err)) {
		if (nw == 0 || !err.message[0])
			emh_fuzz_fail("evaluating the fixed submission failed", &err);
		emh_submission_free(sub);
		return NULL;
	}
	if (emh_dossier_seal(d, &err))
		emh_fuzz_fail("sealing the fixed submission's dossier failed", &err);
	emh_submission_free(sub);
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	emh_error err = EMH_ERROR_INIT;
	if ((data[0] & 1) == 0) {
		emh_waivers *w = NULL;
		if (emh_waivers_parse(&w, body, len, "waivers.json", &err)) {
			if (!err.message[0])
				emh_fuzz_fail("a rejected waivers file without a message", &err);
			return 0;
		}
		size_t n = 0;
		const emh_waiver *items = emh_waivers_items(w, &n);
		emh_dossier *d = evaluate(items, n);
		if (d)
			emh_fuzz_render_all(d);
		emh_dossier_free(d);
		emh_waivers_free(w);
		return 0;
	}
	emh_reviews *r = NULL;
	if (emh_reviews_parse(&r, body, len, "reviews.json", &err)) {
		if (!err.message[0])
			emh_fuzz_fail("a rejected reviews file without a message", &err);
		return 0;
	}
	emh_dossier *prev = evaluate(NULL, 0), *next = NULL;
	if (emh_review_apply(&next, prev, emh_fuzz_criteria(), r, NULL, &err) == 0) {
		if (next->revision != prev->revision + 1)
			emh_fuzz_fail("a review did not make the next revision", NULL);
		emh_fuzz_render_all(next);
	} else if (!err.message[0]) {
		emh_fuzz_fail("a refused review without a message", &err);
	}
	emh_dossier_free(next);
	emh_dossier_free(prev);
	emh_reviews_free(r);
	return 0;
}
