/*
 * check_report.c - renderers: the canonical JSON form and digest, and text
 * that keeps untrusted control characters away from the terminal.
 */
#include <string.h>
#include "emheval/report.h"
#include "evaluator/internal.h"
#include "reports/canonical.h"
#include "reports/json.h"
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

START_TEST(text_strips_control_characters)
{
	emh_arena *arena = emh_arena_new();
	emh_dossier *d = emh_arena_alloc(arena, sizeof *d);
	d->arena = arena;
	d->app_name = "Evil\033[31m\x07App";
	d->verdict = EMH_VERDICT_REJECTED;
	emh_result r;
	memset(&r, 0, sizeof r);
	r.id = "X-1";
	r.title = "title\033]0;pwned\x07";
	r.domain = "d";
	r.outcome = EMH_OUTCOME_FAIL;
	r.message = "line1\nline2";
	d->results = &r;
	d->nresults = 1;
	d->counts[EMH_OUTCOME_FAIL] = 1;
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_TEXT, NULL, &err), &err);
	ck_assert_ptr_null(strchr(b.ptr, '\033'));
	ck_assert_ptr_null(strchr(b.ptr, '\x07'));
	ck_assert_ptr_nonnull(strstr(b.ptr, "REJECTED"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "X-1"));
	emh_buf_dispose(&b);
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	ro.color = 1;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_TEXT, &ro, &err), &err);
	ck_assert_ptr_nonnull(strstr(b.ptr, "\033[1;31m"));
	emh_buf_dispose(&b);
	emh_dossier_free(d);
}
END_TEST

Suite *emh_suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, canonical_sorts_keys_and_escapes);
	tcase_add_test(tc, digest_ignores_digest_field_and_key_order);
	tcase_add_test(tc, text_strips_control_characters);
	suite_add_tcase(s, tc);
	return s;
}
