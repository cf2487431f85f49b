/*
 * seal.c - sealing: the digest of a dossier's canonical compact form
 * (without "digest") stored in the dossier, and the one entry point that
 * evaluates and seals, so no caller can write, sign or compare a dossier
 * whose digest was never set.
 */
#include <stdio.h>
#include "emheval/eval.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"

int emh_json_digest(char out[72], cJSON *dossier, emh_error *err)
{
	cJSON *digest = cJSON_DetachItemFromObjectCaseSensitive(dossier, "digest");
	emh_buf b = EMH_BUF_INIT;
	int rc = emh_canonical_print(&b, dossier, 0);
	if (digest)
		emh_json_put(dossier, "digest", digest);
	if (rc == 0) {
		char hex[65];
		if (emh_sha256_hex(hex, b.ptr ? b.ptr : "", b.len))
			rc = emh_error_set(err, EMH_EGENERIC, "SHA-256 failed");
		else
			snprintf(out, 72, "sha256:%s", hex);
	} else {
		emh_error_set(err, rc, "the dossier has no canonical JSON form");
	}
	emh_buf_dispose(&b);
	return rc;
}

int emh_dossier_seal(emh_dossier *d, emh_error *err)
{
	cJSON *tree = emh_dossier_to_json(d, 0);
	if (!tree)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	char digest[72];
	int rc = emh_json_digest(digest, tree, err);
	cJSON_Delete(tree);
	if (rc == 0 && !(d->digest = emh_arena_strdup(d->arena, digest)))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	return rc;
}

int emh_dossier__sealed(emh_dossier **out, int rc, emh_error *err)
{
	if (rc == 0 && (rc = emh_dossier_seal(*out, err)) != 0) {
		emh_dossier_free(*out);
		*out = NULL;
	}
	return rc;
}

int emh_evaluate_sealed(emh_dossier **out, const emh_criteria *criteria,
                        const emh_submission *submission,
                        const emh_eval_options *opts, emh_error *err)
{
	*out = NULL;
	return emh_dossier__sealed(out, emh_evaluate(out, criteria, submission, opts, err), err);
}

int emh_evaluator_run_sealed(emh_evaluator *ev, emh_dossier **out,
                             const emh_submission *submission, emh_error *err)
{
	*out = NULL;
	return emh_dossier__sealed(out, emh_evaluator_run(ev, out, submission, err), err);
}
