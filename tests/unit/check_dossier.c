/*
 * check_dossier.c - the dossier module's JSON form (evaluator/dossier/): the
 * canonical printer (sorted keys, escapes, no fractions, indented or not),
 * the one-line form in the tree's order for the batch index and the gate's
 * JSON, and the digest, which ignores the "digest" member and key order.
 */
#include <string.h>
#include "evaluator/internal.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"
#include "helpers.h"

static char *canon(const char *json, int pretty)
{
	cJSON *v = cJSON_Parse(json);
	ck_assert_ptr_nonnull(v);
	emh_buf b = EMH_BUF_INIT;
	int rc = emh_canonical_print(&b, v, pretty);
	cJSON_Delete(v);
	if (rc) {
		emh_buf_dispose(&b);
		return NULL;
	}
	return emh_buf_detach(&b, NULL);
}

START_TEST(canonical_sorts_keys_and_escapes)
{
	char *s = canon("{\"b\": 1, \"a\": [true, null, \"x\\u0001\\\"\"], \"\\u00e9\": {}}", 0);
	ck_assert_str_eq(s, "{\"a\":[true,null,\"x\\u0001\\\"\"],\"b\":1,\"\xc3\xa9\":{}}");
	free(s);
	s = canon("{\"b\": [1, 2], \"a\": {}}", 1);
	ck_assert_str_eq(s, "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2\n  ]\n}\n");
	free(s);
	ck_assert_ptr_null(canon("{\"a\": 1.5}", 0));
	ck_assert_ptr_null(canon("{\"a\": 1, \"a\": 2}", 0));
}
END_TEST

/* The one-line form of the batch index and the gate's JSON: the tree's order, the canonical strings. */
START_TEST(line_form_keeps_order_and_escapes)
{
	cJSON *v = cJSON_Parse("{\"b\": 1, \"a\": [true, null, \"x\\u0001\\\"\u00e9\"], \"c\": {\"z\": false, \"y\": -3}}");
	ck_assert_ptr_nonnull(v);
	emh_buf b = EMH_BUF_INIT;
	ck_assert_int_eq(emh_json_print_line(&b, v, 1), 0);
	ck_assert_str_eq(emh_buf_cstr(&b),
	                 "{\"b\": 1, \"a\": [true, null, \"x\\u0001\\\"\xc3\xa9\"], \"c\": {\"z\": false, \"y\": -3}}");
	emh_buf_clear(&b);
	ck_assert_int_eq(emh_json_print_line(&b, v, 0), 0);
	ck_assert_str_eq(emh_buf_cstr(&b), "{\"b\":1,\"a\":[true,null,\"x\\u0001\\\"\xc3\xa9\"],\"c\":{\"z\":false,\"y\":-3}}");
	emh_buf_clear(&b);
	/* Members only: after what the caller wrote, with a separator unless first. */
	emh_buf_puts(&b, "{\"k\": 0");
	ck_assert_int_eq(emh_json_print_members(&b, cJSON_GetObjectItem(v, "c"), 1, 0), 0);
	ck_assert_str_eq(emh_buf_cstr(&b), "{\"k\": 0, \"z\": false, \"y\": -3");
	emh_buf_clear(&b);
	ck_assert_int_eq(emh_json_print_members(&b, cJSON_GetObjectItem(v, "a"), 1, 1), EMH_EINVALID);
	cJSON_Delete(v);
	/* No fraction, as in the canonical form. */
	v = cJSON_Parse("[1.5]");
	ck_assert_int_eq(emh_json_print_line(&b, v, 1), EMH_EINVALID);
	cJSON_Delete(v);
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(digest_ignores_digest_field_and_key_order)
{
	cJSON *a = cJSON_Parse("{\"verdict\": \"approved\", \"x\": 1}");
	cJSON *b = cJSON_Parse("{\"x\": 1, \"digest\": \"sha256:0\", \"verdict\": \"approved\"}");
	cJSON *c = cJSON_Parse("{\"x\": 2, \"verdict\": \"approved\"}");
	char da[72], db[72], dc[72];
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_json_digest(da, a, &err), &err);
	EMH_PASS(emh_json_digest(db, b, &err), &err);
	EMH_PASS(emh_json_digest(dc, c, &err), &err);
	ck_assert_str_eq(da, db);
	ck_assert_str_ne(da, dc);
	ck_assert_int_eq(strncmp(da, "sha256:", 7), 0);
	ck_assert_int_eq(strlen(da), 71);
	/* The digest member is still there afterwards. */
	ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(b, "digest"));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}
END_TEST

Suite *emh_suite_dossier(void)
{
	Suite *s = suite_create("dossier");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, canonical_sorts_keys_and_escapes);
	tcase_add_test(tc, line_form_keeps_order_and_escapes);
	tcase_add_test(tc, digest_ignores_digest_field_and_key_order);
	suite_add_tcase(s, tc);
	return s;
}
