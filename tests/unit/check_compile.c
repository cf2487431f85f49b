/*
 * check_compile.c - unit tests for compiling one criterion file
 * (evaluator/compile.c) within a set in memory: invalid JSON, unknown keys
 * and operators, operand types, regexes (with PCRE2's message), pointers,
 * date literals, operator combinations, nesting, required keys and values,
 * manual and check criteria, and the id against the file's name.
 *
 * A maintainer who breaks a criterion must be told where, the way a compiler
 * would: which file (labelled "PATH/DOMAIN/ID.json"), which line and column,
 * and which JSON pointer inside the file. So every defect here is checked for
 * its code, file label and pointer, and for its line and column, which the
 * tests compute from the text itself (the position of a marker), never from
 * a previous run.
 */
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "emheval/buf.h"
#include "emheval/criteria.h"
#define EMH_TEST_CRITERIA_FIXTURES
#include "helpers.h"
#include "evaluator/criteria_internal.h"

/* ---- defects in one criterion file ---------------------------------------------- */

START_TEST(criteria_invalid_json_located)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	const char *bad = "{\n  \"id\": \"A-1\",\n  \"title\": oops\n}\n";
	add(&fs, "alpha/A-1.json", bad);
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	unsigned line, col;
	pos_of(bad, "oops", &line, &col);
	ck_assert_uint_eq(err.line, line);
	ck_assert_uint_eq(err.column, col);
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_str_eq(ps.e[0].file, err.file);

	/* The folder name given in the options is part of the label. */
	emh_error err2 = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, "rules/v2", &err2, NULL), EMH_EINVALID);
	ck_assert_str_eq(err2.file, "rules/v2/alpha/A-1.json");
	ck_assert_uint_eq(err2.line, line);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_not_an_object)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add(&fs, "alpha/A-1.json", "[1, 2]");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_uint_eq(err.line, 1);
	ck_assert_uint_eq(err.column, 1);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_unknown_key)
{
	/* The pointer names the member; line and column are those of its value. */
	expect_problem("\"check\": {\"path\": \"/x\", \"exists\": true},\n  \"colour\": \"RED\"",
	               "/colour", "\"RED\"", "colour", 0);
	/* Member names are escaped in the pointer (RFC 6901). */
	expect_problem("\"check\": {\"path\": \"/x\", \"exists\": true}, \"a/b~c\": 7",
	               "/a~1b~0c", "7\n", "a/b~c", 0);
}
END_TEST

/* Computed operands of lt/le/gt/ge and "languages" are checked where they are written. */
START_TEST(criteria_computed_operands_and_languages)
{
	expect_problem("\"check\": {\"path\": \"/x\", \"ge\": \"3\"}", "/check/ge", "\"3\"}",
	               "expected a number, a pointer into the submission", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"le\": {\"pow\": [2, 3]}}", "/check/le/pow", "[2, 3]",
	               "unknown arithmetic operator \"pow\"", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"le\": {\"div\": [1, 2, 3]}}", "/check/le/div", "[1, 2, 3]",
	               "\"div\" takes an array of 2 operands", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"le\": {\"add\": [1]}}", "/check/le/add", "[1]",
	               "takes an array of 2 to 16 operands", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"le\": {\"add\": [1, \"/a~2\"]}}", "/check/le/add/1",
	               "\"/a~2\"", "~", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"lt\": {\"add\": [1, 2], \"sub\": [1, 2]}}", "/check/lt",
	               "{\"add\"", "expected a number", 0);
	/* Nested deeper than 8 levels. */
	expect_problem("\"check\": {\"path\": \"/x\", \"lt\": {\"add\": [1, {\"add\": [1, {\"add\": [1, {\"add\": [1, "
	               "{\"add\": [1, {\"add\": [1, {\"add\": [1, {\"add\": [1, {\"add\": [1, 2]}]}]}]}]}]}]}]}]}}",
	               "/check/lt/add/1/add/1/add/1/add/1/add/1/add/1/add/1/add/1/add", NULL, "nested deeper than 8", 0);
	expect_problem("\"check\": {\"evidence\": \"policy\", \"matches\": \"x\", \"languages\": [\"EN\"]}",
	               "/check/languages/0", "\"EN\"", "ISO 639 language code", 0);
	expect_problem("\"check\": {\"evidence\": \"policy\", \"matches\": \"x\", \"languages\": []}",
	               "/check/languages", "[]", "1 to 32 language codes", 0);
	expect_problem("\"check\": {\"evidence\": \"policy\", \"present\": true, \"languages\": [\"en\"]}",
	               "/check", NULL, "\"languages\" needs \"matches\" or \"not_matches\"", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"matches\": \"x\", \"languages\": [\"en\"]}",
	               "/check/languages", NULL, "unknown operator \"languages\" in a path test", 0);
	/* "looks_for": the plain words of a text test (issue 15). */
	expect_problem("\"check\": {\"evidence\": \"policy\", \"present\": true, \"looks_for\": \"a lead\"}",
	               "/check", NULL, "\"looks_for\" needs \"matches\", \"not_matches\", \"states\" or \"not_states\"", 0);
	expect_problem("\"check\": {\"evidence\": \"policy\", \"matches\": \"x\", \"looks_for\": \" \"}",
	               "/check/looks_for", "\" \"", "in plain words", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"matches\": \"x\", \"looks_for\": [\"x\"]}",
	               "/check/looks_for", "[\"x\"]", "in plain words", 0);
}
END_TEST

START_TEST(criteria_unknown_operator)
{
	expect_problem("\"check\": {\"path\": \"/x\", \"greater\": 3}", "/check/greater", "3}",
	               "greater", 0);
	expect_problem("\"check\": {\"and\": [{\"path\": \"/x\", \"exists\": true},\n"
	               "    {\"path\": \"/y\", \"eq\": 1, \"regex\": \"Z\"}]}",
	               "/check/and/1/regex", "\"Z\"", "regex", 0);
	/* Value predicates are unknown on evidence tests, and the reverse. */
	expect_problem("\"check\": {\"evidence\": \"report\", \"exists\": true}", "/check/exists", "true}",
	               "exists", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"present\": true}", "/check/present", "true}",
	               "present", 0);
	/* A logic key must be alone in its object. */
	expect_problem("\"check\": {\"path\": \"/x\", \"and\": [{\"path\": \"/y\", \"exists\": true}]}",
	               "/check", NULL, "and", 0);
	/* An object with neither a logic key, path nor evidence. */
	expect_problem("\"check\": {\"eq\": 1}", "/check", NULL, "expression", 0);
}
END_TEST

START_TEST(criteria_wrong_operand_types)
{
	static const struct { const char *check, *pointer, *marker; } cases[] = {
		{ "{\"path\": \"/x\", \"ge\": \"x1\"}", "/check/ge", "\"x1\"" },
		{ "{\"path\": \"/x\", \"lt\": true}", "/check/lt", "true}" },
		{ "{\"path\": \"/x\", \"min_length\": 1.5}", "/check/min_length", "1.5" },
		{ "{\"path\": \"/x\", \"max_length\": -1}", "/check/max_length", "-1}" },
		{ "{\"path\": \"/x\", \"min_count\": \"2\"}", "/check/min_count", "\"2\"" },
		{ "{\"path\": \"/x\", \"type\": \"float\"}", "/check/type", "\"float\"" },
		{ "{\"path\": \"/x\", \"in\": []}", "/check/in", "[]" },
		{ "{\"path\": \"/x\", \"in\": 3}", "/check/in", "3}" },
		{ "{\"path\": \"/x\", \"exists\": false}", "/check/exists", "false" },
		{ "{\"path\": \"/x\", \"within_days\": \"30\"}", "/check/within_days", "\"30\"" },
		{ "{\"path\": 5, \"exists\": true}", "/check/path", "5," },
		{ "{\"path\": \"/x\", \"unique\": 1}", "/check/unique", "1}" },
		{ "{\"path\": \"/x\", \"matches\": 1}", "/check/matches", "1}" },
		{ "{\"path\": \"/x\", \"flags\": 2, \"matches\": \"a\"}", "/check/flags", "2," },
		{ "{\"and\": []}", "/check/and", "[]" },
		{ "{\"or\": {\"path\": \"/x\", \"exists\": true}}", "/check/or", "{\"path\"" },
		{ "{\"not\": [1]}", "/check/not", "[1]" },
		{ "{\"and\": [{\"path\": \"/x\", \"exists\": true},\n {\"path\": \"/b\", \"ge\": \"y\"}]}",
		  "/check/and/1/ge", "\"y\"" },
		{ "{\"path\": \"/items\", \"all\": {\"path\": \"/n\", \"lt\": \"big\"}}", "/check/all/lt", "\"big\"" },
		{ "{\"or\": [{\"path\": \"/a\", \"exists\": true}, {\"not\": {\"path\": \"/b\", \"gt\": null}}]}",
		  "/check/or/1/not/gt", "null" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *body = fmt("\"check\": %s", cases[i].check);
		expect_problem(body, cases[i].pointer, cases[i].marker, "", 0);
		free(body);
	}
	/* applies_when is compiled with the same rules. */
	expect_problem("\"applies_when\": {\"path\": \"/x\", \"le\": \"z\"},\n"
	               "  \"check\": {\"path\": \"/x\", \"exists\": true}",
	               "/applies_when/le", "\"z\"", "number", 0);
}
END_TEST

START_TEST(criteria_bad_regex_has_pcre2_message)
{
	/* What PCRE2 itself says about the pattern, asked here independently. */
	int ec = 0;
	PCRE2_SIZE eo = 0;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR) "a(b", PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &eo, NULL);
	ck_assert_ptr_null(code);
	PCRE2_UCHAR msg[256];
	ck_assert_int_gt(pcre2_get_error_message(ec, msg, sizeof msg), 0);
	/* The column is that of the character PCRE2 stopped at (here the end). */
	expect_problem("\"check\": {\"path\": \"/x\", \"matches\": \"a(b\"}", "/check/matches", "\"}",
	               (const char *)msg, 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"not_matches\": \"a(b\"}", "/check/not_matches",
	               "\"}", (const char *)msg, 0);
	/* ... counted in the file, through JSON escapes: \\d is two bytes there. */
	expect_problem("\"check\": {\"path\": \"/x\", \"matches\": \"\\\\d\\u00e9)x\"}", "/check/matches",
	               ")x\"", "unmatched closing parenthesis", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"matches\": \"ab)c\"}", "/check/matches",
	               ")c\"", "offset 2", 0);
	/* An unknown flag is reported at "flags". */
	expect_problem("\"check\": {\"path\": \"/x\", \"matches\": \"a\", \"flags\": \"iq\"}",
	               "/check/flags", "\"iq\"", "imsxu", 0);
	/* Evidence tests compile their patterns the same way. */
	expect_problem("\"check\": {\"evidence\": \"doc\", \"matches\": \"[z-a]\"}", "/check/matches",
	               "a]\"", "range", 0);
}
END_TEST

START_TEST(criteria_bad_pointer)
{
	expect_problem("\"check\": {\"path\": \"x/y\", \"exists\": true}", "/check/path", "\"x/y\"", "x/y", 0);
	expect_problem("\"check\": {\"path\": \"/x~2\", \"exists\": true}", "/check/path", "\"/x~2\"", "~", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"unique\": \"id\"}", "/check/unique", "\"id\"}", "id", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"before\": \"/d~\"}", "/check/before", "\"/d~\"", "~", 0);
}
END_TEST

START_TEST(criteria_bad_date_literal)
{
	expect_problem("\"check\": {\"path\": \"/x\", \"before\": \"2023-02-29\"}", "/check/before",
	               "\"2023-02-29\"", "2023-02-29", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"after\": \"2024-13-01\"}", "/check/after",
	               "\"2024-13-01\"", "2024-13-01", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"after\": \"yesterday\"}", "/check/after",
	               "\"yesterday\"", "yesterday", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"before\": \"2024-1-01\"}", "/check/before",
	               "\"2024-1-01\"", "2024-1-01", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"after\": 20240101}", "/check/after", "20240101", "date", 0);
	/* "of" sits beside within_days, so its pointer is /check/of. */
	expect_problem("\"check\": {\"path\": \"/x\", \"within_days\": 30, \"of\": \"2024-02-30\"}", "/check/of",
	               "\"2024-02-30\"", "2024-02-30", 0);
	/* A leap day is a real date. */
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"check\": {\"path\": \"/x\", \"before\": \"2024-02-29\", \"after\": \"2000-02-29\"}");
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(compile_set(&fs, NULL, &err, NULL), &err);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_operator_combinations)
{
	expect_problem("\"check\": {\"path\": \"/x\"}", "/check", NULL, "operator", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"eq\": 1, \"flags\": \"i\"}", "/check", NULL, "flags", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"of\": \"2024-01-01\", \"before\": \"2025-01-01\"}",
	               "/check", NULL, "within_days", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"where\": {\"path\": \"/k\", \"exists\": true}}",
	               "/check", NULL, "where", 0);
	expect_problem("\"check\": {\"path\": \"/x\", \"absent\": true, \"type\": \"string\"}", "/check", NULL,
	               "absent", 0);
	expect_problem("\"check\": {\"evidence\": \"\", \"present\": true}", "/check/evidence", NULL, "evidence", 0);
}
END_TEST

START_TEST(criteria_nesting_limit)
{
	/* 70 nested "not"s: past the 64 levels an expression may have. */
	emh_buf body = EMH_BUF_INIT;
	emh_buf_puts(&body, "\"check\": ");
	for (int i = 0; i < 70; i++)
		emh_buf_puts(&body, "{\"not\": ");
	emh_buf_puts(&body, "{\"path\": \"/x\", \"exists\": true}");
	for (int i = 0; i < 70; i++)
		emh_buf_putc(&body, '}');
	ck_assert(emh_buf_ok(&body));
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", emh_buf_cstr(&body));
	emh_buf_dispose(&body);
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_ELIMIT);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert(strncmp(err.pointer, "/check/not/not/not", 18) == 0);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_required_keys_and_values)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add(&fs, "alpha/A-1.json",
	    "{\"id\": \"A-1\", \"version\": 1, \"domain\": \"alpha\", \"severity\": \"major\",\n"
	    " \"references\": [\"R\"], \"fail_message\": \"f\", \"remediation\": \"r\",\n"
	    " \"check\": {\"path\": \"/x\", \"exists\": true}}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "title"));
	fileset_dispose(&fs);

	static const struct { const char *from, *to, *pointer, *mark; } edits[] = {
		{ "\"version\": 1", "\"version\": 0", "/version", "0," },
		{ "\"version\": 1", "\"version\": 1.5", "/version", "1.5" },
		{ "\"major\"", "\"critical\"", "/severity", "\"critical\"" },
		{ "[\"REF 1\"]", "[]", "/references", "[]" },
		{ "[\"REF 1\"]", "[\"\"]", "/references/0", "\"\"]" },
		{ "\"Fix it.\"", "\"\"", "/remediation", "\"\"" },
		{ "\"Title of A-1\"", "42", "/title", "42" },
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char *t = crit("A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
		char *at = strstr(t, edits[i].from);
		ck_assert_ptr_nonnull(at);
		char *edited = fmt("%.*s%s%s", (int)(at - t), t, edits[i].to, at + strlen(edits[i].from));
		add(&fs, "framework.json", fw_ok);
		add(&fs, "alpha/A-1.json", edited);
		ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
		ck_assert_msg(strcmp(err.pointer, edits[i].pointer) == 0, "edit %zu: pointer %s (%s)", i,
		              err.pointer, err.message);
		unsigned line, col;
		pos_of(edited, edits[i].mark, &line, &col);
		ck_assert_msg(err.line == line && err.column == col, "edit %zu: at %u:%u, expected %u:%u", i,
		              err.line, err.column, line, col);
		fileset_dispose(&fs);
		free(edited);
		free(t);
	}
}
END_TEST

START_TEST(criteria_manual_and_check)
{
	/* manual without guidance */
	expect_problem("\"manual\": true", "/manual", "true\n", "guidance", 0);
	/* check and manual both */
	expect_problem("\"manual\": true, \"guidance\": \"Look.\",\n  \"check\": {\"path\": \"/x\", \"exists\": true}",
	               "/check", "{\"path\"", "manual", 0);
	/* neither */
	expect_problem("\"review\": \"Look.\"", "", NULL, "check", 0);
	/* manual must be true */
	expect_problem("\"manual\": false, \"guidance\": \"Look.\"", "/manual", "false", "manual", 0);
	/* guidance belongs to manual criteria, review to checks */
	expect_problem("\"guidance\": \"Look.\", \"check\": {\"path\": \"/x\", \"exists\": true}", "/guidance",
	               "\"Look.\"", "guidance", 0);
	expect_problem("\"manual\": true, \"guidance\": \"Look.\", \"review\": \"Again.\"", "/review",
	               "\"Again.\"", "review", 0);
}
END_TEST

START_TEST(criteria_id_and_file_name)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-2", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_str_eq(err.pointer, "/id");
	ck_assert_ptr_nonnull(strstr(err.message, "alpha/A-2.json"));
	unsigned line, col;
	pos_of(fs.files[1].data, "\"A-2\"", &line, &col);
	ck_assert_uint_eq(err.line, line);
	ck_assert_uint_eq(err.column, col);
	fileset_dispose(&fs);

	/* The folder must be the domain. */
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "beta/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/beta/A-1.json");
	ck_assert_str_eq(err.pointer, "/id");
	fileset_dispose(&fs);

	/* Ids are [A-Z0-9][A-Z0-9.-]*. */
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/a-1.json", "a-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.pointer, "/id");
	fileset_dispose(&fs);
}
END_TEST

Suite *emh_suite_compile(void)
{
	Suite *s = suite_create("compile");
	TCase *tc = tcase_create("criterion");
	tcase_add_test(tc, criteria_invalid_json_located);
	tcase_add_test(tc, criteria_not_an_object);
	tcase_add_test(tc, criteria_unknown_key);
	tcase_add_test(tc, criteria_unknown_operator);
	tcase_add_test(tc, criteria_computed_operands_and_languages);
	tcase_add_test(tc, criteria_wrong_operand_types);
	tcase_add_test(tc, criteria_bad_regex_has_pcre2_message);
	tcase_add_test(tc, criteria_bad_pointer);
	tcase_add_test(tc, criteria_bad_date_literal);
	tcase_add_test(tc, criteria_operator_combinations);
	tcase_add_test(tc, criteria_nesting_limit);
	tcase_add_test(tc, criteria_required_keys_and_values);
	tcase_add_test(tc, criteria_manual_and_check);
	tcase_add_test(tc, criteria_id_and_file_name);
	suite_add_tcase(s, tc);
	return s;
}
