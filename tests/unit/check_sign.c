/*
 * check_sign.c - unit tests for evaluator/audit/sign.c: strict base64 and
 * DSSE's PAE, key files written 0600 and never overwritten, and keys of other
 * algorithms, garbage and encrypted keys refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emheval/emheval.h"
#include "evaluator/audit/audit_internal.h"
#define EMH_TEST_AUDIT_FIXTURES
#include "helpers.h"

/* ---- base64, PAE, keys ------------------------------------------------------------------ */

START_TEST(base64_is_strict_and_pae_matches_dsse)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (size_t i = 0; i < 7; i++) {
		emh_buf b = EMH_BUF_INIT;
		emh_audit__base64_encode(&b, (const unsigned char *)plain[i], strlen(plain[i]));
		ck_assert_str_eq(emh_buf_cstr(&b), coded[i]);
		emh_buf_dispose(&b);
		unsigned char *out = NULL;
		size_t n = 0;
		ck_assert_int_eq(emh_audit__base64_decode(&out, &n, coded[i], strlen(coded[i])), 0);
		ck_assert_uint_eq(n, strlen(plain[i]));
		ck_assert_int_eq(memcmp(out, plain[i], n), 0);
		free(out);
	}
	/* One text, one byte string: stray padding bits, bad lengths, misplaced '=' are refused. */
	static const char *const bad[] = { "Zh==", "Zm9=", "Zg=", "Zg", "Z===", "Zg==Zg==", "Zm9v\n", "Zm 9", "=Zm9" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		unsigned char *out = NULL;
		size_t n = 0;
		ck_assert_msg(emh_audit__base64_decode(&out, &n, bad[i], strlen(bad[i])) != 0, "accepted %s", bad[i]);
	}
	/* The DSSE specification's example. */
	emh_buf pae = EMH_BUF_INIT;
	emh_audit__pae(&pae, "http://example.com/HelloWorld", (const unsigned char *)"hello world", 11);
	ck_assert_str_eq(emh_buf_cstr(&pae), "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
	emh_buf_dispose(&pae);
}
END_TEST

START_TEST(keygen_writes_0600_and_never_overwrites)
{
	char *tmp = emh_test_tmpdir();
	char prefix[600], keypath[640], pubpath[640], id[65];
	snprintf(prefix, sizeof prefix, "%s/reg", tmp);
	snprintf(keypath, sizeof keypath, "%s.key", prefix);
	snprintf(pubpath, sizeof pubpath, "%s.pub", prefix);
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_key_generate(prefix, id, &err), &err);
	struct stat st;
	ck_assert_int_eq(stat(keypath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(pubpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	size_t len0 = 0;
	char *before = read_all(keypath, &len0);
	/* A second run refuses and changes nothing, also when only the public half exists. */
	ck_assert_int_eq(emh_key_generate(prefix, NULL, &err), EMH_EINVALID);
	size_t len1 = 0;
	char *after = read_all(keypath, &len1);
	ck_assert_uint_eq(len0, len1);
	ck_assert_int_eq(memcmp(before, after, len0), 0);
	free(before);
	free(after);
	unlink(keypath);
	ck_assert_int_eq(emh_key_generate(prefix, NULL, &err), EMH_EINVALID);
	ck_assert_int_eq(access(keypath, F_OK), -1);
	/* No temporary files left behind. */
	ck_assert_int_eq(emh_test_sh("test -z \"$(ls '%s' | grep tmp)\"", tmp), 0);
	/* The key id is SHA-256 of the DER public key, as openssl computes it. */
	unlink(pubpath);
	EMH_PASS(emh_key_generate(prefix, id, &err), &err);
	ck_assert_int_eq(emh_test_sh("test \"$(openssl pkey -pubin -in '%s' -outform DER | sha256sum | cut -c1-64)\" = %s",
	                             pubpath, id), 0);
	emh_key *priv = NULL, *pub = NULL;
	EMH_PASS(emh_key_load(&priv, keypath, &err), &err);
	EMH_PASS(emh_key_load(&pub, pubpath, &err), &err);
	ck_assert(emh_key_is_private(priv));
	ck_assert(!emh_key_is_private(pub));
	ck_assert_str_eq(emh_key_id(priv), id);
	ck_assert_str_eq(emh_key_id(pub), id);
	emh_key_free(priv);
	emh_key_free(pub);
	emh_test_rmtree(tmp);
	free(tmp);
}
END_TEST

START_TEST(keys_refuse_other_algorithms_and_garbage)
{
	char *tmp = emh_test_tmpdir();
	char path[600];
	emh_error err = EMH_ERROR_INIT;
	emh_key *k = NULL;
	snprintf(path, sizeof path, "%s/rsa.pem", tmp);
	ck_assert_int_eq(emh_test_sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out '%s' 2>/dev/null", path), 0);
	ck_assert_int_eq(emh_key_load(&k, path, &err), EMH_EINVALID);
	ck_assert_ptr_null(strstr(err.message, "Ed25519") ? NULL : "no mention of Ed25519");
	emh_test_write(tmp, "junk.pem", "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n");
	snprintf(path, sizeof path, "%s/junk.pem", tmp);
	ck_assert_int_eq(emh_key_load(&k, path, &err), EMH_EINVALID);
	snprintf(path, sizeof path, "%s/none.pem", tmp);
	ck_assert_int_eq(emh_key_load(&k, path, &err), EMH_ENOTFOUND);
	/* An encrypted key is refused, never prompted for. */
	snprintf(path, sizeof path, "%s/enc.pem", tmp);
	ck_assert_int_eq(emh_test_sh("openssl genpkey -algorithm ED25519 -aes256 -pass pass:x -out '%s'", path), 0);
	ck_assert_int_eq(emh_key_load(&k, path, &err), EMH_EINVALID);
	ck_assert_ptr_null(k);
	emh_test_rmtree(tmp);
	free(tmp);
}
END_TEST

Suite *emh_suite_sign(void);
Suite *emh_suite_sign(void)
{
	Suite *s = suite_create("sign");
	TCase *t = tcase_create("sign");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, base64_is_strict_and_pae_matches_dsse);
	tcase_add_test(t, keygen_writes_0600_and_never_overwrites);
	tcase_add_test(t, keys_refuse_other_algorithms_and_garbage);
	suite_add_tcase(s, t);
	return s;
}
