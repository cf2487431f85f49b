/*
 * check_criteria.c - unit tests for compiling a criteria set
 * (evaluator/criteria.c, compile.c, framework.c) from files in memory.
 *
 * A maintainer who breaks a criterion must be told where, the way a compiler
 * would: which file (labelled "PATH/DOMAIN/ID.json"), which line and column,
 * and which JSON pointer inside the file. So every defect here is checked for
 * its code, file label and pointer, and for its line and column, which the
 * tests compute from the text itself (the position of a marker), never from
 * a previous run. The set-level checks (duplicate ids, unknown domains,
 * requires) and framework.json's own checks are covered too, as is the
 * promise that on_problem sees every problem of a run, not just the first.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "emheval/buf.h"
#include "emheval/criteria.h"
#include "helpers.h"
#include "evaluator/criteria_internal.h"

/* ---- building sets ----------------------------------------------------------- */

static const char fw_ok[] =
	"{\n"
	"  \"name\": \"test framework\",\n"
	"  \"version\": \"2.0.0\",\n"
	"  \"effective_date\": \"2026-01-01\",\n"
	"  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}, {\"id\": \"secure\", \"title\": \"Secure\"}],\n"
	"  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
	"              {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"secure\"}],\n"
	"  \"verdict_policy\": {\"reject\": [\"blocker\", \"major\", \"minor\"], \"condition_days\": {}}\n"
	"}\n";

#define MAX_FILES 16
#define MAX_PROBLEMS 32

typedef struct fileset {
	emh_criteria_file files[MAX_FILES];
	char *owned[MAX_FILES];
	size_t n;
} fileset;

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

/* Adds a file; text is copied. */
static void add(fileset *fs, const char *path, const char *text)
{
	ck_assert_uint_lt(fs->n, MAX_FILES);
	char *copy = strdup(text);
	ck_assert_ptr_nonnull(copy);
	fs->owned[fs->n] = copy;
	fs->files[fs->n].path = path;
	fs->files[fs->n].data = copy;
	fs->files[fs->n].len = strlen(copy);
	fs->n++;
}

static void fileset_dispose(fileset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->owned[i]);
	fs->n = 0;
}

/*
 * The text of a criterion: the required keys on lines 2-9, then `body`
 * (members with a leading comma-free list, e.g. "\"check\": {...}").
 */
static char *crit(const char *id, const char *domain, const char *body)
{
	return fmt("{\n"
	           "  \"id\": \"%s\",\n"
	           "  \"version\": 1,\n"
	           "  \"title\": \"Title of %s\",\n"
	           "  \"domain\": \"%s\",\n"
	           "  \"severity\": \"major\",\n"
	           "  \"references\": [\"REF 1\"],\n"
	           "  \"fail_message\": \"It failed.\",\n"
	           "  \"remediation\": \"Fix it.\",\n"
	           "  %s\n"
	           "}\n", id, id, domain, body);
}

/* Adds DOMAIN/ID.json built by crit(). */
static void add_crit(fileset *fs, const char *path, const char *id, const char *domain,
                     const char *body)
{
	char *t = crit(id, domain, body);
	add(fs, path, t);
	free(t);
}

/* Problems seen by on_problem. */
typedef struct problems {
	emh_error e[MAX_PROBLEMS];
	size_t n;
} problems;

static void collect(const emh_error *p, void *payload)
{
	problems *ps = payload;
	if (ps->n < MAX_PROBLEMS)
		ps->e[ps->n] = *p;
	ps->n++;
}

/* Compiles fs; returns the code, fills err and ps (either may be NULL). */
static int compile_set(const fileset *fs, const char *path, emh_error *err, problems *ps)
{
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	o.path = path;
	if (ps) {
		o.on_problem = collect;
		o.payload = ps;
	}
	emh_criteria *c = (emh_criteria *)(uintptr_t)1; /* must be reset to NULL on failure */
	int rc = emh_criteria_compile(&c, fs->files, fs->n, &o, err);
	if (rc == 0) {
		ck_assert_ptr_nonnull(c);
		emh_criteria_free(c);
	} else {
		ck_assert_ptr_null(c);
	}
	return rc;
}

/* 1-based line and byte column where needle first occurs in text. */
static void pos_of(const char *text, const char *needle, unsigned *line, unsigned *col)
{
	const char *at = strstr(text, needle);
	ck_assert_msg(at != NULL, "marker %s not in the text", needle);
	unsigned l = 1, c = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/*
 * Compiles a set holding fw_ok and one criterion alpha/A-1.json with body,
 * and checks the one problem: code EMH_EINVALID (unless code != 0 is given),
 * file label, pointer, the position of marker (if not NULL), and that the
 * message contains `says`.
 */
static void expect_problem(const char *body, const char *pointer, const char *marker,
                           const char *says, int code)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", body);
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	int rc = compile_set(&fs, NULL, &err, &ps);
	ck_assert_msg(rc == (code ? code : EMH_EINVALID), "rc %d for %s", rc, body);
	ck_assert_int_eq(err.code, rc);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_msg(strcmp(err.pointer, pointer) == 0, "pointer \"%s\", expected \"%s\" (%s) for %s",
	              err.pointer, pointer, err.message, body);
	ck_assert_msg(strstr(err.message, says) != NULL, "message \"%s\" lacks \"%s\"", err.message, says);
	if (marker) {
		unsigned line, col;
		pos_of(fs.files[1].data, marker, &line, &col);
		ck_assert_msg(err.line == line && err.column == col, "at %u:%u, expected %u:%u for %s",
		              err.line, err.column, line, col, body);
	}
	ck_assert_uint_ge(ps.n, 1);
	ck_assert_str_eq(ps.e[0].message, err.message);
	ck_assert_str_eq(ps.e[0].pointer, err.pointer);
	fileset_dispose(&fs);
}

/* ---- a valid set ------------------------------------------------------------- */

START_TEST(criteria_valid_set_compiles)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"check\": {\"and\": [{\"path\": \"/a\", \"type\": \"integer\", \"ge\": 1, \"le\": 120},\n"
	         "  {\"path\": \"/items\", \"where\": {\"path\": \"/k\", \"eq\": \"x\"}, \"all\": {\"path\": \"\", \"exists\": true},"
	         "   \"min_count\": 1, \"unique\": \"/id\"},\n"
	         "  {\"not\": {\"path\": \"/s\", \"matches\": \"^a.c$\", \"flags\": \"imsxu\"}},\n"
	         "  {\"path\": \"/d\", \"within_days\": 365, \"of\": \"@as_of\", \"before\": \"/e\", \"after\": \"2000-02-29\"},\n"
	         "  {\"or\": [{\"evidence\": \"report\", \"present\": true, \"verified\": true}, {\"evidence\": \"*\", \"not_matches\": \"secret\"}]}]}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha",
	         "\"applies_when\": {\"path\": \"/p\", \"eq\": true},\n"
	         "  \"requires\": [\"A-1\"],\n"
	         "  \"review\": \"A human checks the wording.\",\n"
	         "  \"check\": {\"path\": \"/q\", \"absent\": true}");
	add_crit(&fs, "beta/B-1.json", "B-1", "beta",
	         "\"manual\": true, \"guidance\": \"Read the policy.\", \"requires\": [\"A-2\", \"A-1\"]");
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	problems ps = { 0 };
	o.on_problem = collect;
	o.payload = &ps;
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, fs.files, fs.n, &o, &err), &err);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_uint_eq(emh_criteria_count(c), 3);
	ck_assert_str_eq(emh_criteria_framework_name(c), "test framework");
	ck_assert_str_eq(emh_criteria_framework_version(c), "2.0.0");
	ck_assert_str_eq(emh_criteria_commit(c), ""); /* compiled from memory */
	ck_assert_str_eq(emh_criteria_tree(c), "");
	emh_criteria_free(c);
	emh_criteria_free(NULL);
	fileset_dispose(&fs);
}
END_TEST

/* `emheval due` reads a criterion's date windows: within_days anchored to the evaluation date, outside quantifiers. */
START_TEST(criteria_date_windows)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"check\": {\"and\": [{\"path\": \"/pentest/date\", \"type\": \"date\", \"within_days\": 365},\n"
	         "  {\"or\": [{\"not\": {\"path\": \"/x\", \"exists\": true}}, {\"path\": \"/dspt/date\", \"within_days\": 180, \"of\": \"@as_of\"}]},\n"
	         "  {\"path\": \"/rel\", \"within_days\": 30, \"of\": \"/other\"},\n"
	         "  {\"path\": \"/items\", \"all\": {\"path\": \"/d\", \"within_days\": 10}}]}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha", "\"check\": {\"path\": \"/q\", \"exists\": true}");
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, fs.files, fs.n, NULL, &err), &err);
	emh_date_window w[4];
	ck_assert_uint_eq(emh_criteria_windows(c, 0, w, 4), 2);
	ck_assert_str_eq(w[0].path, "/pentest/date");
	ck_assert_int_eq(w[0].days, 365);
	ck_assert_str_eq(w[1].path, "/dspt/date");
	ck_assert_int_eq(w[1].days, 180);
	ck_assert_uint_eq(emh_criteria_windows(c, 0, w, 1), 2); /* the count, even past max */
	ck_assert_uint_eq(emh_criteria_windows(c, 1, w, 4), 0);
	ck_assert_uint_eq(emh_criteria_windows(c, 9, w, 4), 0);
	emh_criteria_free(c);
	fileset_dispose(&fs);
}
END_TEST

/* The framework file may come anywhere in the list; options may be NULL. */
START_TEST(criteria_framework_anywhere_options_null)
{
	fileset fs = { 0 };
	add_crit(&fs, "beta/B-1.json", "B-1", "beta", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, fs.files, fs.n, NULL, &err), &err);
	ck_assert_uint_eq(emh_criteria_count(c), 2);
	emh_criteria_free(c);
	fileset_dispose(&fs);
}
END_TEST

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

/* ---- set-level defects -------------------------------------------------------- */

START_TEST(criteria_duplicate_id)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/X-1.json", "X-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/X-1.json", "X-1", "beta", "\"check\": {\"path\": \"/y\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate"));
	ck_assert_ptr_nonnull(strstr(err.message, "X-1"));
	/* Reported against one of the two files, naming the other. */
	int first = strcmp(err.file, "criteria/alpha/X-1.json") == 0;
	int second = strcmp(err.file, "criteria/beta/X-1.json") == 0;
	ck_assert_msg(first || second, "file %s", err.file);
	ck_assert_ptr_nonnull(strstr(err.message, first ? "beta/X-1.json" : "alpha/X-1.json"));
	ck_assert_uint_eq(ps.n, 1);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_unknown_domain)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "gamma/G-1.json", "G-1", "gamma", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/gamma/G-1.json");
	ck_assert_ptr_nonnull(strstr(err.message, "gamma"));
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_requires_unknown_and_self)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"requires\": [\"NOPE-9\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_ptr_nonnull(strstr(err.message, "NOPE-9"));
	ck_assert_uint_eq(ps.n, 1);
	fileset_dispose(&fs);

	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"requires\": [\"A-1\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_ptr_nonnull(strstr(err.message, "itself"));
	fileset_dispose(&fs);

	/* A requires entry that is not an id at all is located in the file. */
	expect_problem("\"requires\": [\"A-2\", 3], \"check\": {\"path\": \"/x\", \"exists\": true}", "/requires/1",
	               "3]", "id", 0);
}
END_TEST

START_TEST(criteria_requires_cycle)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/C-1.json", "C-1", "alpha",
	         "\"requires\": [\"C-2\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "alpha/C-2.json", "C-2", "alpha",
	         "\"requires\": [\"C-3\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/C-3.json", "C-3", "beta",
	         "\"requires\": [\"C-1\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/D-1.json", "D-1", "beta", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "cycle"));
	ck_assert_msg(strcmp(err.file, "criteria/alpha/C-1.json") == 0 ||
	              strcmp(err.file, "criteria/alpha/C-2.json") == 0 ||
	              strcmp(err.file, "criteria/beta/C-3.json") == 0, "file %s", err.file);
	fileset_dispose(&fs);

	/* A diamond (two paths to one prerequisite) is not a cycle. */
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/C-1.json", "C-1", "alpha",
	         "\"requires\": [\"C-2\", \"C-3\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "alpha/C-2.json", "C-2", "alpha",
	         "\"requires\": [\"C-3\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/C-3.json", "C-3", "beta", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	EMH_PASS(compile_set(&fs, NULL, &err, NULL), &err);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_several_problems_in_one_run)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"colour\": 1,\n  \"check\": {\"path\": \"/x\", \"matches\": \"(\"}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/B-1.json", "B-1", "beta",
	         "\"check\": {\"and\": [{\"path\": \"/x\", \"before\": \"2023-02-29\"},\n"
	         "    {\"path\": \"/y\", \"lt\": \"1\"}]}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_uint_eq(ps.n, 4);
	/* Which problem each file had, wherever it comes in the list. */
	int seen_colour = 0, seen_regex = 0, seen_date = 0, seen_lt = 0;
	for (size_t i = 0; i < ps.n; i++) {
		const emh_error *e = &ps.e[i];
		ck_assert_int_eq(e->code, EMH_EINVALID);
		ck_assert_uint_gt(e->line, 0);
		if (strcmp(e->pointer, "/colour") == 0) {
			seen_colour++;
			ck_assert_str_eq(e->file, "criteria/alpha/A-1.json");
		} else if (strcmp(e->pointer, "/check/matches") == 0) {
			seen_regex++;
			ck_assert_str_eq(e->file, "criteria/alpha/A-1.json");
		} else if (strcmp(e->pointer, "/check/and/0/before") == 0) {
			seen_date++;
			ck_assert_str_eq(e->file, "criteria/beta/B-1.json");
		} else if (strcmp(e->pointer, "/check/and/1/lt") == 0) {
			seen_lt++;
			ck_assert_str_eq(e->file, "criteria/beta/B-1.json");
			unsigned line, col;
			pos_of(fs.files[3].data, "\"1\"", &line, &col);
			ck_assert_uint_eq(e->line, line);
			ck_assert_uint_eq(e->column, col);
		} else {
			ck_abort_msg("unexpected problem %s at %s", e->message, e->pointer);
		}
	}
	ck_assert(seen_colour == 1 && seen_regex == 1 && seen_date == 1 && seen_lt == 1);
	/* err holds the first problem reported. */
	ck_assert_str_eq(err.message, ps.e[0].message);
	ck_assert_str_eq(err.file, ps.e[0].file);
	ck_assert_str_eq(err.pointer, ps.e[0].pointer);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_empty_set)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "no criteria"));
	fileset_dispose(&fs);
}
END_TEST

/* ---- framework.json ------------------------------------------------------------ */

/* Compiles a set of the given framework text and one valid criterion; checks the problem. */
static void expect_framework_problem(const char *fw, const char *pointer, const char *marker,
                                     const char *says)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/framework.json");
	if (pointer)
		ck_assert_msg(strcmp(err.pointer, pointer) == 0, "pointer %s, expected %s (%s)", err.pointer,
		              pointer, err.message);
	ck_assert_msg(strstr(err.message, says) != NULL, "message \"%s\" lacks \"%s\"", err.message, says);
	if (marker) {
		unsigned line, col;
		pos_of(fw, marker, &line, &col);
		ck_assert_msg(err.line == line && err.column == col, "at %u:%u, expected %u:%u (%s)",
		              err.line, err.column, line, col, err.message);
	}
	ck_assert_uint_ge(ps.n, 1);
	ck_assert_str_eq(ps.e[0].file, "criteria/framework.json");
	fileset_dispose(&fs);
}

/* fw_ok with its policy replaced. */
static char *fw_with_policy(const char *policy)
{
	return fmt("{\n"
	           "  \"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
	           "  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
	           "  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"}],\n"
	           "  \"verdict_policy\": %s\n"
	           "}\n", policy);
}

START_TEST(framework_policy_bad_severity)
{
	char *fw = fw_with_policy("{\"reject\": [\"blocker\", \"maybe\"]}");
	expect_framework_problem(fw, "/verdict_policy/reject/1", "\"maybe\"", "maybe");
	free(fw);
	/* Advisory never moves a verdict, so a policy cannot name it. */
	fw = fw_with_policy("{\"reject\": [\"advisory\", \"blocker\", \"major\"]}");
	expect_framework_problem(fw, "/verdict_policy/reject/0", "\"advisory\"", "advisory");
	free(fw);
	fw = fw_with_policy("{\"condition_days\": {\"advisory\": 30, \"minor\": 90}}");
	expect_framework_problem(fw, "/verdict_policy/condition_days/advisory", "30", "advisory");
	free(fw);
}
END_TEST

START_TEST(framework_policy_review_needs_blocker_and_major)
{
	char *fw = fw_with_policy("{\"review\": [\"major\"]}");
	expect_framework_problem(fw, "/verdict_policy", "[\"major\"]", "blocker and major");
	free(fw);
}
END_TEST

START_TEST(framework_policy_conditions)
{
	char *fw = fw_with_policy("{\"condition_days\": {\"minor\": 0}}");
	expect_framework_problem(fw, "/verdict_policy/condition_days/minor", "0}", "whole number");
	free(fw);
	fw = fw_with_policy("{\"condition_days\": {}}");
	expect_framework_problem(fw, "/verdict_policy", "{\"condition", "neither");
	free(fw);
	fw = fw_with_policy("{\"reject\": [\"blocker\", \"major\", \"minor\"], \"condition_days\": {\"minor\": 5}}");
	expect_framework_problem(fw, "/verdict_policy/condition_days", "{\"minor\": 5}", "both");
	free(fw);
	fw = fw_with_policy("[]");
	expect_framework_problem(fw, "/verdict_policy", "[]", "object");
	free(fw);
	fw = fw_with_policy("{\"integrity\": [\"NOPE-1\"]}");
	expect_framework_problem(fw, "/verdict_policy/integrity/0", "\"NOPE-1\"", "NOPE-1");
	free(fw);
}
END_TEST

/* fw_ok's shape with "profiles" PROFILES. */
static char *fw_with_profiles(const char *profiles)
{
	return fmt("{\n"
	           "  \"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
	           "  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
	           "  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"}],\n"
	           "  \"profiles\": %s\n"
	           "}\n", profiles);
}

START_TEST(framework_profiles_located_problems)
{
	/* A family that matches no criterion's references (A-1 cites "REF 1"). */
	char *fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"GB\"],\n"
	                            "    \"families\": [\"REF\", \"RE\"]}]");
	expect_framework_problem(fw, "/profiles/0/families/1", "\"RE\"", "matches no criterion");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"GB\"], \"families\": [\"REF\"],\n"
	                      "    \"exclude\": [\"B-9\"]}]");
	expect_framework_problem(fw, "/profiles/0/exclude/0", "\"B-9\"", "B-9");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"GBR\"], \"families\": [\"REF\"]}]");
	expect_framework_problem(fw, "/profiles/0/markets/0", "\"GBR\"", "ISO 3166");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"], \"domains\": [\"gamma\"]}]");
	expect_framework_problem(fw, "/profiles/0/domains/0", "\"gamma\"", "gamma");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"], \"families\": [\"REF\"]},\n"
	                      "    {\"id\": \"p\", \"title\": \"Q\", \"markets\": [\"*\"], \"families\": [\"REF\"]}]");
	expect_framework_problem(fw, "/profiles/1/id", "\"p\", \"title\": \"Q\"", "duplicate");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"]}]");
	expect_framework_problem(fw, "/profiles/0", "{\"id\": \"p\"", "families");
	free(fw);
	/* Everything excluded: the profile holds nothing. */
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"], \"families\": [\"REF\"],\n"
	                      "    \"exclude\": [\"A-1\"]}]");
	expect_framework_problem(fw, "/profiles/0", NULL, "holds no criterion");
	free(fw);
}
END_TEST

/* Membership: by family (whole words only), include, domain, minus exclude. */
START_TEST(framework_profiles_membership)
{
	const char *fw =
		"{\"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
		" \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
		" \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
		"             {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"safe\"}],\n"
		" \"references\": {\"REF 1\": \"one\", \"REFX 2\": \"two\"},\n"
		" \"profiles\": [\n"
		"  {\"id\": \"uk\", \"title\": \"UK\", \"markets\": [\"GB\"], \"families\": [\"REF\"], \"include\": [\"C-3\"]},\n"
		"  {\"id\": \"de\", \"title\": \"DE\", \"markets\": [\"DE\"], \"domains\": [\"beta\"], \"exclude\": [\"C-3\"]},\n"
		"  {\"id\": \"any\", \"title\": \"Any\", \"markets\": [\"*\"], \"families\": [\"REFX\"]}]}\n";
	fileset fs = { 0 };
	add(&fs, "framework.json", fw);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add(&fs, "beta/B-2.json",
	    "{\"id\": \"B-2\", \"version\": 1, \"title\": \"B\", \"domain\": \"beta\", \"severity\": \"major\",\n"
	    " \"references\": [\"REFX 2\"], \"fail_message\": \"f\", \"remediation\": \"r\",\n"
	    " \"check\": {\"path\": \"/x\", \"exists\": true}}");
	add(&fs, "beta/C-3.json",
	    "{\"id\": \"C-3\", \"version\": 1, \"title\": \"C\", \"domain\": \"beta\", \"severity\": \"major\",\n"
	    " \"references\": [\"REFX 2\"], \"fail_message\": \"f\", \"remediation\": \"r\",\n"
	    " \"check\": {\"path\": \"/x\", \"exists\": true}}");
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_criteria_compile(&c, fs.files, fs.n, NULL, &err), 0);
	const emh_framework *f = &c->framework;
	ck_assert_uint_eq(f->nprofiles, 3);
	/* items sorted: A-1, B-2, C-3 */
	ck_assert_str_eq(c->items[1].id, "B-2");
	/* uk: "REF" holds "REF 1" but not "REFX 2"; C-3 by include */
	ck_assert_int_eq(f->profiles[0].member[0], 1);
	ck_assert_int_eq(f->profiles[0].member[1], 0);
	ck_assert_int_eq(f->profiles[0].member[2], 1);
	/* de: domain beta minus C-3 */
	ck_assert_int_eq(f->profiles[1].member[0], 0);
	ck_assert_int_eq(f->profiles[1].member[1], 1);
	ck_assert_int_eq(f->profiles[1].member[2], 0);
	/* any: family REFX */
	ck_assert_int_eq(f->profiles[2].member[0], 0);
	ck_assert_int_eq(f->profiles[2].member[1], 1);
	/* The shared default policy: blocker and major reject, minor gives a 90-day condition. */
	ck_assert_uint_eq(f->profiles[0].policy.reject, 1u << EMH_SEVERITY_BLOCKER | 1u << EMH_SEVERITY_MAJOR);
	ck_assert_int_eq(f->profiles[0].policy.condition_days[EMH_SEVERITY_MINOR], 90);
	emh_criteria_free(c);
	fileset_dispose(&fs);
	/* Without "profiles": one implicit profile "all" holding every criterion. */
	fileset fs2 = { 0 };
	add(&fs2, "framework.json", fw_ok);
	add_crit(&fs2, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	ck_assert_int_eq(emh_criteria_compile(&c, fs2.files, fs2.n, NULL, &err), 0);
	ck_assert_uint_eq(c->framework.nprofiles, 1);
	ck_assert_str_eq(c->framework.profiles[0].id, "all");
	ck_assert_int_eq(c->framework.profiles[0].member[0], 1);
	emh_criteria_free(c);
	fileset_dispose(&fs2);
}
END_TEST

START_TEST(framework_unknown_category)
{
	const char *fw =
		"{\n"
		"  \"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
		"  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
		"  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
		"              {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"nosuch\"}],\n"
		"  \"verdict_policy\": [{\"verdict\": \"approved\"}]\n"
		"}\n";
	expect_framework_problem(fw, "/domains/1/category", "\"nosuch\"", "nosuch");
}
END_TEST

START_TEST(framework_other_defects)
{
	/* Invalid JSON, located (on the line of the broken number). */
	fileset fs = { 0 };
	add(&fs, "framework.json", "{\n  \"name\": \"f\",\n  \"version\": 1.x\n}");
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/framework.json");
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_ge(err.column, 14);
	fileset_dispose(&fs);
	/* Unknown top-level key. */
	char *fw = fmt("%.*s,\n  \"colour\": 1\n}\n", (int)(strrchr(fw_ok, '}') - fw_ok - 1), fw_ok);
	expect_framework_problem(fw, "/colour", "1\n}", "colour");
	free(fw);
	/* A weight for a domain that does not exist. */
	fw = fmt("%.*s,\n  \"weights\": {\"default\": {\"alpha\": 2, \"omega\": 1}}\n}\n",
	         (int)(strrchr(fw_ok, '}') - fw_ok - 1), fw_ok);
	expect_framework_problem(fw, NULL, NULL, "omega");
	free(fw);
	/* An effective date that is not a date. */
	fw = fmt("%s", fw_ok);
	memcpy(strstr(fw, "2026-01-01"), "2026-02-30", 10);
	expect_framework_problem(fw, "/effective_date", "\"2026-02-30\"", "effective_date");
	free(fw);
}
END_TEST

START_TEST(framework_missing)
{
	fileset fs = { 0 };
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "framework.json"));
	fileset_dispose(&fs);
}
END_TEST

Suite *emh_suite_criteria(void);
Suite *emh_suite_criteria(void)
{
	Suite *s = suite_create("criteria");
	TCase *tc = tcase_create("valid");
	tcase_add_test(tc, criteria_valid_set_compiles);
	tcase_add_test(tc, criteria_framework_anywhere_options_null);
	tcase_add_test(tc, criteria_date_windows);
	suite_add_tcase(s, tc);

	tc = tcase_create("criterion");
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

	tc = tcase_create("set");
	tcase_add_test(tc, criteria_duplicate_id);
	tcase_add_test(tc, criteria_unknown_domain);
	tcase_add_test(tc, criteria_requires_unknown_and_self);
	tcase_add_test(tc, criteria_requires_cycle);
	tcase_add_test(tc, criteria_several_problems_in_one_run);
	tcase_add_test(tc, criteria_empty_set);
	suite_add_tcase(s, tc);

	tc = tcase_create("framework");
	tcase_add_test(tc, framework_policy_bad_severity);
	tcase_add_test(tc, framework_policy_review_needs_blocker_and_major);
	tcase_add_test(tc, framework_policy_conditions);
	tcase_add_test(tc, framework_profiles_located_problems);
	tcase_add_test(tc, framework_profiles_membership);
	tcase_add_test(tc, framework_unknown_category);
	tcase_add_test(tc, framework_other_defects);
	tcase_add_test(tc, framework_missing);
	suite_add_tcase(s, tc);
	return s;
}
