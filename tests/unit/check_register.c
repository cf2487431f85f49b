/*
 * check_register.c - unit tests for the register module (register/): the
 * version order that decides which criteria release is newer, and the due
 * list's renderers, which must keep a vendor's app id text in every format
 * (no control characters in text, valid JSON, no table cell broken open in
 * Markdown).
 */
#include <string.h>
#include <cjson/cJSON.h>
#include "emheval/register.h"
#include "helpers.h"
#include "register/register_internal.h"

START_TEST(register_version_order)
{
	ck_assert_int_lt(reg_version_cmp("2.9.1", "2.10.0"), 0);
	ck_assert_int_gt(reg_version_cmp("3.0.0", "2.10.0"), 0);
	ck_assert_int_eq(reg_version_cmp("2.1.0", "2.1.0"), 0);
	ck_assert_int_lt(reg_version_cmp("2.1", "2.1.1"), 0);
	ck_assert_int_lt(reg_version_cmp(NULL, "1.0.0"), 0);
	ck_assert_int_eq(reg_version_cmp(NULL, NULL), 0);
}
END_TEST

static emh_due_list *hostile_list(emh_due_item *it)
{
	static emh_due_list l;
	memset(&l, 0, sizeof l);
	memset(it, 0, sizeof *it);
	it->app_id = "evil|\x1b[2J\"</td><script>x</script>\nforged line";
	it->app_version = "1.0";
	it->profiles = "nhs-england (approved)";
	it->kind = EMH_DUE_EVIDENCE;
	it->criterion = "DTAC-C3-PENTEST";
	it->date = "2027-09-14";
	it->lapsed = 1;
	it->detail = "a | b";
	it->sequence = 7;
	l.as_of = "2027-09-20";
	l.within_days = 90;
	l.items = it;
	l.n = 1;
	return &l;
}

START_TEST(register_due_render_escapes)
{
	emh_due_item it;
	emh_due_list *l = hostile_list(&it);
	emh_error err = EMH_ERROR_INIT;
	emh_buf b = EMH_BUF_INIT;
	EMH_PASS(emh_due_render(&b, l, "text", &err), &err);
	const char *t = emh_buf_cstr(&b);
	ck_assert_ptr_null(strchr(t, '\x1b'));
	ck_assert_int_eq((int)(strchr(t, '\n') - t), (int)strcspn(t, "\n")); /* first line ends at the header */
	ck_assert_ptr_null(strstr(t, "\nforged line"));
	ck_assert_ptr_nonnull(strstr(t, "lapsed (valid until 2027-09-14) evidence DTAC-C3-PENTEST"));
	emh_buf_clear(&b);
	EMH_PASS(emh_due_render(&b, l, "json", &err), &err);
	cJSON *j = cJSON_Parse(emh_buf_cstr(&b));
	ck_assert_ptr_nonnull(j);
	const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "due"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(item, "app_id")->valuestring, it.app_id);
	ck_assert_str_eq(cJSON_GetObjectItem(item, "status")->valuestring, "lapsed");
	ck_assert_str_eq(cJSON_GetObjectItem(item, "valid_until")->valuestring, "2027-09-14");
	cJSON_Delete(j);
	emh_buf_clear(&b);
	EMH_PASS(emh_due_render(&b, l, "markdown", &err), &err);
	const char *row = strstr(emh_buf_cstr(&b), "| evil");
	ck_assert_ptr_nonnull(row);
	ck_assert_ptr_nonnull(strstr(row, "evil\\|"));       /* the pipe cannot open a cell */
	ck_assert_ptr_null(strstr(row, "<script>"));
	ck_assert_ptr_nonnull(strstr(row, "a \\| b |\n"));
	emh_buf_clear(&b);
	ck_assert_int_eq(emh_due_render(&b, l, "pdf", &err), EMH_EINVALID);
	emh_buf_dispose(&b);
}
END_TEST

Suite *emh_suite_register(void);
Suite *emh_suite_register(void)
{
	Suite *s = suite_create("register");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, register_version_order);
	tcase_add_test(tc, register_due_render_escapes);
	suite_add_tcase(s, tc);
	return s;
}
