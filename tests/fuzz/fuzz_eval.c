/*
 * fuzz_eval.c - bytes as a submission evaluated against the fixed criteria
 * set (fuzz_common.c), then rendered in every format and read back.
 *
 * Input: submission.json, optionally followed by "\n#EVIDENCE#\n" and the
 * text of the evidence files. The text is split at form feeds into up to
 * three files of kinds privacy_policy, app_text and hazard_log, so that the
 * text checks, their excerpts and the hash statuses are fuzzed too (a
 * submission loaded from memory has no files of its own).
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "evaluator/internal.h"
#include "evaluator/submission_internal.h"

/*
 * Loaded without schema validation: the evaluator must hold for any document
 * the library is given, and validation has its own target (fuzz_submission).
 */
static const emh_submission_options unvalidated = { 0, 0, 0, 0, 0, EMH_VALIDATE_OFF, NULL, NULL, NULL };

static const char sep[] = "\n#EVIDENCE#\n";

static char *dup_bytes(const char *p, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

/* Adds the evidence texts in text[0..len) to s (see the file comment). */
static void add_evidence(emh_submission *s, const char *text, size_t len, unsigned char flags)
{
	static const char *const kinds[] = { "privacy_policy", "app_text", "hazard_log" };
	s->evidence = calloc(3, sizeof *s->evidence);
	if (!s->evidence)
		abort();
	for (size_t i = 0; i < 3; i++) {
		const char *ff = memchr(text, '\f', len);
		size_t n = ff && i < 2 ? (size_t)(ff - text) : len;
		emh_evidence_entry *e = &s->evidence[s->nevidence++];
		e->kind = dup_bytes(kinds[i], strlen(kinds[i]));
		e->path = dup_bytes(kinds[i], strlen(kinds[i]));
		if (flags & (1u << i)) {
			e->status = "missing";
			e->problem = dup_bytes("gone", 4);
		} else {
			e->text = dup_bytes(text, n);
			e->len = n;
			emh_sha256_hex(e->sha256, e->text, e->len);
			e->utf8_ok = emh_utf8_valid(e->text, e->len);
			if (flags & (8u << i)) {
				e->declared_sha256 = dup_bytes(e->sha256, 64);
				e->status = "verified";
			} else {
				e->status = "undeclared";
			}
		}
		if (n < len) {
			text += n + 1;
			len -= n + 1;
		} else {
			text += len;
			len = 0;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data, *evidence = NULL;
	size_t jlen = size, elen = 0;
	for (size_t i = 0; i + sizeof sep - 1 <= size; i++) {
		if (memcmp(data + i, sep, sizeof sep - 1) == 0) {
			jlen = i;
			evidence = json + i + sizeof sep - 1;
			elen = size - i - (sizeof sep - 1);
			break;
		}
	}
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	if (emh_submission_load_buffer(&s, json, jlen, "submission.json", &unvalidated, &err))
		return 0;
	if (evidence)
		add_evidence(s, evidence, elen, jlen ? (unsigned char)json[jlen - 1] : 0);
	const emh_criteria *set = emh_fuzz_criteria();
	emh_dossier *d = NULL;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = size > 2 && data[size - 1] == '!' ? "2026-10-01" : NULL;
	if (emh_evaluate(&d, set, s, &eo, &err) || emh_dossier_seal(d, &err))
		emh_fuzz_fail("evaluation failed", &err);
	if (d->nresults != emh_criteria_count(set))
		emh_fuzz_fail("a dossier without every criterion", NULL);
	emh_fuzz_render_all(d);
	/* Deterministic: the same inputs give byte-identical dossiers. */
	emh_dossier *again = NULL;
	if (emh_evaluate(&again, set, s, &eo, &err) || emh_dossier_seal(again, &err))
		emh_fuzz_fail("evaluation failed the second time", &err);
	if (strcmp(d->digest, again->digest) != 0)
		emh_fuzz_fail("two evaluations of the same input differ", NULL);
	emh_dossier_free(again);
	emh_dossier_free(d);
	emh_submission_free(s);
	return 0;
}
