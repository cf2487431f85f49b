/*
 * check_verify.c - unit tests for evaluator/audit/verify.c: the envelope
 * beside a dossier and a clean verification, and tamper detection at every
 * byte of a dossier, a signed envelope and an evidence file.
 *
 * Criteria come from a real git repository made from tests/data/mini at test
 * time, so dossiers carry real commit and tree ids and can be re-evaluated
 * (the audit fixtures are in helpers.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "emheval/emheval.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/record.h"
#define EMH_TEST_AUDIT_FIXTURES
#include "helpers.h"

/* ---- tamper detection ------------------------------------------------------------------ */

START_TEST(envelope_path_and_a_clean_verification)
{
	char p[64];
	ck_assert_int_eq(emh_envelope_path(p, sizeof p, "a/b.json"), 0);
	ck_assert_str_eq(p, "a/b.dsse.json");
	ck_assert_int_eq(emh_envelope_path(p, sizeof p, "dossier"), 0);
	ck_assert_str_eq(p, "dossier.dsse.json");
	ck_assert_int_eq(emh_envelope_path(p, 8, "dossier.json"), EMH_ELIMIT);
	signed_case c;
	signed_setup(&c);
	tally t;
	emh_verify_summary s = verify(c.dossier, c.pubpath, "data/mini/sub-ok", c.repo, &t);
	ck_assert_msg(s.failed == 0, "%s: %s", t.first_failed, t.detail);
	ck_assert_uint_eq(s.skipped, 0);
	ck_assert_uint_eq(s.ok, 7); /* dossier, digest, signature, criteria, submission, 1 evidence, reproduce */
	/* The envelope given directly verifies too, and so does the dossier without a key (signature skipped). */
	s = verify(c.envelope, c.pubpath, NULL, c.repo, &t);
	ck_assert_msg(s.failed == 0, "%s: %s", t.first_failed, t.detail);
	s = verify(c.dossier, NULL, NULL, c.repo, &t);
	ck_assert_uint_eq(s.failed, 0);
	ck_assert_uint_eq(s.skipped, 3); /* signature, evidence, reproduce */
	/* A key that did not sign it fails the signature, and so does a missing envelope. */
	char other[600], otherpub[640];
	snprintf(other, sizeof other, "%s/other", c.tmp);
	snprintf(otherpub, sizeof otherpub, "%s.pub", other);
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_key_generate(other, NULL, &err), &err);
	s = verify(c.dossier, otherpub, NULL, c.repo, &t);
	ck_assert_uint_eq(s.failed, 1);
	ck_assert_str_eq(t.first_failed, "signature");
	unlink(c.envelope);
	s = verify(c.dossier, c.pubpath, NULL, c.repo, &t);
	ck_assert_uint_eq(s.failed, 1);
	ck_assert_str_eq(t.first_failed, "signature");
	/* Unreadable inputs are errors of the call, not failed checks. */
	emh_verify_summary s2;
	emh_verify_options vo = EMH_VERIFY_OPTIONS_INIT;
	ck_assert_int_eq(emh_verify(&s2, "no/such/dossier.json", &vo, &err), EMH_ENOTFOUND);
	vo.pubkey = "no/such.pub";
	ck_assert_int_eq(emh_verify(&s2, c.dossier, &vo, &err), EMH_ENOTFOUND);
	signed_teardown(&c);
}
END_TEST

/* 1 when the dossier bytes fail one of the integrity checks verify makes. */
static int dossier_bytes_rejected(const char *bytes, size_t len)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	if (emh_json_parse(&doc, bytes, len, "d", NULL, &err))
		return 1;
	char why[1600];
	const cJSON *tree = emh_json_root(doc);
	int bad = emh_audit__check_canonical(tree, bytes, len, 1, why, sizeof why) ||
	          emh_audit__check_model(NULL, tree, "d", why, sizeof why) ||
	          emh_audit__check_digest(tree, why, sizeof why);
	emh_json_free(doc);
	return bad;
}

START_TEST(every_flipped_dossier_byte_is_detected)
{
	signed_case c;
	signed_setup(&c);
	size_t len = 0;
	char *orig = read_all(c.dossier, &len);
	ck_assert(!dossier_bytes_rejected(orig, len));
	static const unsigned char masks[] = { 0x01, 0x20, 0x80 };
	char *copy = malloc(len);
	for (size_t i = 0; i < len; i++) {
		for (size_t m = 0; m < 3; m++) {
			memcpy(copy, orig, len);
			copy[i] = (char)(copy[i] ^ masks[m]);
			ck_assert_msg(dossier_bytes_rejected(copy, len), "flip 0x%02x at byte %zu (%c) not detected",
			              masks[m], i, orig[i]);
		}
		/* The whole verification, end to end, at every 97th byte. */
		if (i % 97 == 0) {
			memcpy(copy, orig, len);
			copy[i] = (char)(copy[i] ^ 0x01);
			write_bytes(c.dossier, copy, len);
			tally t;
			emh_verify_summary s = verify(c.dossier, c.pubpath, NULL, c.repo, &t);
			ck_assert_msg(s.failed > 0, "emh_verify missed a flip at byte %zu", i);
		}
	}
	write_bytes(c.dossier, orig, len);
	free(copy);
	free(orig);
	signed_teardown(&c);
}
END_TEST

START_TEST(every_flipped_envelope_byte_is_detected)
{
	signed_case c;
	signed_setup(&c);
	size_t len = 0;
	char *env = read_all(c.envelope, &len);
	emh_key *pub = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_key_load(&pub, c.pubpath, &err), &err);
	cJSON *dossier = emh_dossier_to_json(c.d, 1);
	emh_envelope_info info;
	char why[600];
	ck_assert_int_eq(emh_audit__open_envelope(&info, env, len, "e", pub), 0);
	ck_assert_int_eq(info.signature, EMH_CHECK_OK);
	ck_assert_int_eq(emh_audit__statement_matches(info.statement, dossier, why, sizeof why), 0);
	emh_audit__envelope_dispose(&info);
	const char *sig = strstr(env, "\"sig\": \"");
	ck_assert_ptr_nonnull(sig);
	size_t sig_at = (size_t)(sig - env) + 8;
	static const unsigned char masks[] = { 0x01, 0x02, 0x20, 0x80 };
	char *copy = malloc(len);
	size_t nsig = 0;
	for (size_t i = 0; i < len; i++) {
		for (size_t m = 0; m < 4; m++) {
			memcpy(copy, env, len);
			copy[i] = (char)(copy[i] ^ masks[m]);
			int rc = emh_audit__open_envelope(&info, copy, len, "e", pub);
			int detected = rc != 0 || info.signature != EMH_CHECK_OK ||
			               emh_audit__statement_matches(info.statement, dossier, why, sizeof why) != 0;
			emh_audit__envelope_dispose(&info);
			ck_assert_msg(detected, "flip 0x%02x at envelope byte %zu not detected", masks[m], i);
		}
		nsig += i >= sig_at && i < sig_at + 88;
	}
	ck_assert_uint_eq(nsig, 88); /* every byte of the base64 signature was among them */
	free(copy);
	cJSON_Delete(dossier);
	emh_key_free(pub);
	free(env);
	signed_teardown(&c);
}
END_TEST

START_TEST(every_flipped_evidence_byte_is_detected)
{
	signed_case c;
	signed_setup(&c);
	char sub[640], file[700];
	snprintf(sub, sizeof sub, "%s/sub", c.tmp);
	snprintf(file, sizeof file, "%s/privacy.md", sub);
	ck_assert_int_eq(emh_test_sh("cp -R data/mini/sub-ok '%s'", sub), 0);
	size_t len = 0;
	char *orig = read_all(file, &len);
	char *copy = malloc(len);
	tally t;
	for (size_t i = 0; i < len; i += 3) {
		memcpy(copy, orig, len);
		copy[i] = (char)(copy[i] ^ 0x01);
		write_bytes(file, copy, len);
		emh_verify_summary s = verify(c.dossier, c.pubpath, sub, c.repo, &t);
		ck_assert_msg(s.failed > 0, "flip at evidence byte %zu not detected", i);
		ck_assert_str_eq(t.first_failed, "evidence");
	}
	/* A file that grew or shrank by one byte, and submission.json itself. */
	write_bytes(file, orig, len - 1);
	ck_assert_uint_gt(verify(c.dossier, c.pubpath, sub, c.repo, &t).failed, 0);
	write_bytes(file, orig, len);
	ck_assert_uint_eq(verify(c.dossier, c.pubpath, sub, c.repo, &t).failed, 0);
	ck_assert_int_eq(emh_test_sh("sed -i 's/\"retention_months\": 24/\"retention_months\": 25/' '%s/submission.json'", sub), 0);
	emh_verify_summary s = verify(c.dossier, c.pubpath, sub, c.repo, &t);
	ck_assert_uint_gt(s.failed, 0);
	ck_assert_str_eq(t.first_failed, "submission");
	free(copy);
	free(orig);
	signed_teardown(&c);
}
END_TEST

Suite *emh_suite_verify(void);
Suite *emh_suite_verify(void)
{
	Suite *s = suite_create("verify");
	TCase *t = tcase_create("verify");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, envelope_path_and_a_clean_verification);
	tcase_add_test(t, every_flipped_dossier_byte_is_detected);
	tcase_add_test(t, every_flipped_envelope_byte_is_detected);
	tcase_add_test(t, every_flipped_evidence_byte_is_detected);
	suite_add_tcase(s, t);
	return s;
}
