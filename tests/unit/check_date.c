/*
 * check_date.c - unit tests for evaluator/date.c: SOURCE_DATE_EPOCH is
 * digits or unset.
 */
#include <stdlib.h>
#include "emheval/emheval.h"
#include "evaluator/internal.h"
#include "helpers.h"

/* SOURCE_DATE_EPOCH is read in one place, one way: digits only, as `date +%s` prints them. */
START_TEST(source_date_epoch_is_digits_or_unset)
{
	static const struct { const char *value; int ok; long long seconds; } cases[] = {
		{ "0", 1, 0 }, { "1767225600", 1, 1767225600LL }, { "", 0, 0 }, { "-1", 0, 0 }, { "+5", 0, 0 },
		{ " 5", 0, 0 }, { "5 ", 0, 0 }, { "12abc", 0, 0 }, { "1.5", 0, 0 },
		{ "99999999999999999999999", 0, 0 },
	};
	long long v;
	unsetenv("SOURCE_DATE_EPOCH");
	ck_assert_int_eq(emh_source_date_epoch(&v), -1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		setenv("SOURCE_DATE_EPOCH", cases[i].value, 1);
		v = -7;
		int rc = emh_source_date_epoch(&v);
		ck_assert_msg(rc == (cases[i].ok ? 0 : -1), "'%s'", cases[i].value);
		if (cases[i].ok)
			ck_assert_int_eq(v, cases[i].seconds);
		else
			ck_assert_int_eq(v, -7);
	}
	unsetenv("SOURCE_DATE_EPOCH");
}
END_TEST

Suite *emh_suite_date(void);
Suite *emh_suite_date(void)
{
	Suite *s = suite_create("date");
	TCase *t = tcase_create("date");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, source_date_epoch_is_digits_or_unset);
	suite_add_tcase(s, t);
	return s;
}
