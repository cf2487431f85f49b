/*
 * check_json.c - unit tests for evaluator/json.c, the strict JSON reader.
 *
 * The reader guards every submission, so it is tested against the whole
 * JSONTestSuite (tests/data/JSONTestSuite/test_parsing: y_ must be accepted,
 * n_ rejected with a located message, i_ either way without crashing) and
 * then on the points the suite does not pin down: the exact line and column
 * of errors, the positions emh_json_locate gives for values, the limits and
 * RFC 6901 pointers. For every accepted document the position of every node
 * is checked against the byte found there, which catches any drift between
 * the strict pass's offsets and cJSON's tree.
 */
#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/json.h"
#include "helpers.h"

#define EMH_SUITE_DIR "data/JSONTestSuite/test_parsing"

/* Reads a whole file; aborts the test on failure. Caller frees. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s (tests run from tests/)", path);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	for (;;) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
		ck_assert_ptr_nonnull(buf);
	}
	ck_assert_int_eq(ferror(f), 0);
	fclose(f);
	*len = n;
	return buf;
}

/* Parses a C string with the default limits. */
static int parse_str(emh_json **out, const char *text, emh_error *err)
{
	return emh_json_parse(out, text, strlen(text), "t.json", NULL, err);
}

/* 1 when c is the byte a value of node's type must start with. */
static int starts_like(const cJSON *node, char c)
{
	if (cJSON_IsObject(node))
		return c == '{';
	if (cJSON_IsArray(node))
		return c == '[';
	if (cJSON_IsString(node))
		return c == '"';
	if (cJSON_IsNumber(node))
		return c == '-' || (c >= '0' && c <= '9');
	if (cJSON_IsTrue(node))
		return c == 't';
	if (cJSON_IsFalse(node))
		return c == 'f';
	if (cJSON_IsNull(node))
		return c == 'n';
	return 0;
}

/*
 * Locates every node of doc in pre-order and checks that each offset holds
 * the byte its type starts with and that offsets strictly increase. Returns
 * the number of nodes. Iterative, like the code under test, so deep
 * documents are fine.
 */
static size_t check_all_positions(const emh_json *doc, const char *name)
{
	const cJSON *stack[1100];
	size_t top = 0, count = 0, prev = 0, len;
	const char *text = emh_json_text(doc, &len);
	const cJSON *cur = emh_json_root(doc);

	ck_assert_ptr_nonnull(cur);
	while (cur) {
		unsigned line = 0, col = 0;
		size_t off = (size_t)-1;
		int rc = emh_json_locate(doc, cur, &line, &col, &off);
		ck_assert_msg(rc == 0, "%s: node %zu not located (%d)", name, count, rc);
		ck_assert_msg(off < len, "%s: node %zu offset %zu out of range", name, count, off);
		ck_assert_msg(starts_like(cur, text[off]),
		              "%s: node %zu (type %d) located at byte '%c' (offset %zu)",
		              name, count, cur->type, text[off], off);
		ck_assert_msg(count == 0 || off > prev, "%s: offsets not increasing at node %zu",
		              name, count);
		ck_assert_uint_ge(line, 1);
		ck_assert_uint_ge(col, 1);
		prev = off;
		count++;
		if (cur->child) {
			ck_assert_uint_lt(top, sizeof stack / sizeof stack[0]);
			stack[top++] = cur;
			cur = cur->child;
			continue;
		}
		while (top > 0 && !cur->next)
			cur = stack[--top];
		cur = top > 0 ? cur->next : NULL;
	}
	return count;
}

/*
 * Runs fn over every file of the suite whose name starts with prefix and
 * returns how many there were.
 */
static size_t for_each_case(const char *prefix,
                            void (*fn)(const char *name, const char *text, size_t len))
{
	DIR *dir = opendir(EMH_SUITE_DIR);
	struct dirent *de;
	size_t n = 0;

	ck_assert_msg(dir != NULL, "cannot open %s (tests run from tests/)", EMH_SUITE_DIR);
	while ((de = readdir(dir)) != NULL) {
		char path[1024];
		size_t len;
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", EMH_SUITE_DIR, de->d_name);
		char *text = read_all(path, &len);
		fn(de->d_name, text, len);
		free(text);
		n++;
	}
	closedir(dir);
	return n;
}

static void accept_case(const char *name, const char *text, size_t len)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	char msg[1400];
	int rc = emh_json_parse(&doc, text, len, name, NULL, &err);
	if (strncmp(name, "y_object_duplicated_key", 23) == 0) {
		/* Valid JSON that emheval refuses on purpose (test_duplicate_keys). */
		ck_assert_msg(rc == EMH_EINVALID && strstr(err.message, "duplicate key"),
		              "%s: a duplicate key must be refused", name);
		return;
	}
	ck_assert_msg(rc == 0, "%s rejected: %s", name, emh_error_format(&err, msg, sizeof msg));
	ck_assert_ptr_nonnull(doc);
	check_all_positions(doc, name);
	emh_json_free(doc);
}

static void reject_case(const char *name, const char *text, size_t len)
{
	emh_json *doc = (emh_json *)&doc; /* must be reset to NULL on failure */
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_json_parse(&doc, text, len, name, NULL, &err);
	ck_assert_msg(rc == EMH_EINVALID || rc == EMH_ELIMIT, "%s: got %d, want rejection",
	              name, rc);
	ck_assert_msg(doc == NULL, "%s: *out not cleared on failure", name);
	ck_assert_int_eq(err.code, rc);
	ck_assert_msg(err.line >= 1 && err.column >= 1, "%s: no position (%u:%u)", name,
	              err.line, err.column);
	ck_assert_msg(err.message[0] != '\0', "%s: empty message", name);
	ck_assert_str_eq(err.file, name);
	/* The position is inside the text (or just past its end). */
	unsigned lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	ck_assert_msg(err.line <= lines, "%s: line %u past the end", name, err.line);
}

static void either_case(const char *name, const char *text, size_t len)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_json_parse(&doc, text, len, name, NULL, &err);
	if (rc == 0) {
		check_all_positions(doc, name);
	} else {
		ck_assert_ptr_null(doc);
		ck_assert_msg(err.line >= 1 && err.message[0], "%s: unlocated error", name);
	}
	emh_json_free(doc);
}

START_TEST(test_suite_y_accepted)
{
	ck_assert_uint_eq(for_each_case("y_", accept_case), 95);
}
END_TEST

START_TEST(test_suite_n_rejected)
{
	ck_assert_uint_eq(for_each_case("n_", reject_case), 188);
}
END_TEST

START_TEST(test_suite_i_no_crash)
{
	ck_assert_uint_eq(for_each_case("i_", either_case), 35);
}
END_TEST

/* Parses text, expects EMH_EINVALID at line:col with needle in the message. */
static void expect_error_at(const char *text, size_t len, unsigned line, unsigned col,
                            const char *needle)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_json_parse(&doc, text, len, "sub/answer.json", NULL, &err);
	ck_assert_msg(rc == EMH_EINVALID, "'%s': rc %d, want EMH_EINVALID", text, rc);
	ck_assert_ptr_null(doc);
	ck_assert_msg(err.line == line && err.column == col,
	              "'%s': error at %u:%u, want %u:%u (%s)", text, err.line, err.column,
	              line, col, err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "'%s': message '%s' lacks '%s'",
	              text, err.message, needle);
	ck_assert_str_eq(err.file, "sub/answer.json");
}

#define EXPECT_ERROR_AT(text, line, col, needle) \
	expect_error_at((text), sizeof(text) - 1, (line), (col), (needle))

START_TEST(test_error_positions)
{
	EXPECT_ERROR_AT("[1,\n 2,\n    ]", 3, 5, "trailing commas");
	EXPECT_ERROR_AT("{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "expected ':' after object key");
	EXPECT_ERROR_AT("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}' after object member");
	EXPECT_ERROR_AT("[1\n 2]", 2, 2, "expected ',' or ']' after array element");
	EXPECT_ERROR_AT("{\"n\":\n  -01}", 2, 4, "leading zero in number");
	EXPECT_ERROR_AT("[\"ok\",\n \"\xC0\xAF\"]", 2, 3, "invalid UTF-8 byte 0xC0 in string");
	EXPECT_ERROR_AT("[\"a\tb\"]", 1, 4, "control character 0x09");
	EXPECT_ERROR_AT("[\"a\x1F\"]", 1, 4, "control character 0x1F");
	EXPECT_ERROR_AT("[\"a\x7F\x01\"]", 1, 5, "control character 0x01");
	EXPECT_ERROR_AT("[\"a\\qb\"]", 1, 5, "invalid escape");
	EXPECT_ERROR_AT("{\"k\":\n  \"never closed}", 2, 3, "unterminated string");
	EXPECT_ERROR_AT("[1] x", 1, 5, "expected end of input");
	EXPECT_ERROR_AT("[1, tru]", 1, 8, "expected 'true'");
	EXPECT_ERROR_AT("[nul", 1, 5, "end of input");
	EXPECT_ERROR_AT("{\"a\":1,}", 1, 8, "trailing commas");
	EXPECT_ERROR_AT("[1}", 1, 3, "expected ',' or ']'");
	EXPECT_ERROR_AT("{'a':1}", 1, 2, "expected a string key");
	EXPECT_ERROR_AT("[0x10]", 1, 3, "invalid character 'x' in number");
	/* Columns count bytes, not characters: "é" is two. */
	EXPECT_ERROR_AT("[\"\xC3\xA9\", @]", 1, 8, "found '@'");
}
END_TEST

START_TEST(test_bom_and_empty)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;

	EXPECT_ERROR_AT("\xEF\xBB\xBF{}", 1, 1, "byte order mark");
	EXPECT_ERROR_AT("", 1, 1, "empty document");
	EXPECT_ERROR_AT(" \n\t ", 2, 3, "empty document");
	/* NULL text with length 0 is the empty document, not a crash. */
	ck_assert_int_eq(emh_json_parse(&doc, NULL, 0, "e.json", NULL, &err), EMH_EINVALID);
	ck_assert_ptr_null(doc);
}
END_TEST

START_TEST(test_whitespace)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;

	EMH_PASS(parse_str(&doc, " \t\r\n[ 1 ,\t2\r\n] \r\n\t", &err), &err);
	emh_json_free(doc);
	EXPECT_ERROR_AT("\f[1]", 1, 1, "byte 0x0C");
	EXPECT_ERROR_AT("[1,\v2]", 1, 4, "byte 0x0B");
	EXPECT_ERROR_AT("[1]\xC2\xA0", 1, 4, "expected end of input");
	/* An embedded NUL is not an end of text: it is a byte the grammar rejects. */
	expect_error_at("[1]\0", 4, 1, 4, "byte 0x00");
	expect_error_at("[\"a\0b\"]", 7, 1, 4, "control character 0x00");
}
END_TEST

/*
 * Runs of spaces are skipped a word at a time: every run length, at every
 * distance from the end of an exactly-sized buffer (so ASan sees any read
 * past it), must land on the right byte.
 */
START_TEST(test_whitespace_runs)
{
	for (size_t k = 0; k < 20; k++) {
		size_t len = 3 * k + 3;
		char *buf = malloc(len);
		emh_json *doc = NULL;
		emh_error err = EMH_ERROR_INIT;
		unsigned l = 0, c = 0;

		ck_assert_ptr_nonnull(buf);
		memset(buf, ' ', len);
		buf[0] = '[';
		buf[k + 1] = '7';
		buf[2 * k + 2] = ']';
		EMH_PASS(emh_json_parse(&doc, buf, len, "w.json", NULL, &err), &err);
		ck_assert_int_eq(emh_json_locate(doc, emh_json_root(doc)->child, &l, &c, NULL), 0);
		ck_assert_uint_eq(c, k + 2);
		emh_json_free(doc);

		/* An error right after a run is placed on its first byte. */
		buf[k + 1] = 'x';
		ck_assert_int_eq(emh_json_parse(&doc, buf, len, "w.json", NULL, &err), EMH_EINVALID);
		ck_assert_uint_eq(err.column, k + 2);
		buf[k + 1] = '7';
		buf[len - 1] = 'x';
		ck_assert_int_eq(emh_json_parse(&doc, buf, len, "w.json", NULL, &err), EMH_EINVALID);
		ck_assert_uint_eq(err.column, len);
		/* A tab or newline inside a run is whitespace too; a form feed is not. */
		if (k > 2) {
			buf[len - 1] = ' ';
			buf[k - 1] = '\t';
			buf[2 * k] = '\n';
			EMH_PASS(emh_json_parse(&doc, buf, len, "w.json", NULL, &err), &err);
			emh_json_free(doc);
			buf[k] = '\f';
			ck_assert_int_eq(emh_json_parse(&doc, buf, len, "w.json", NULL, &err),
			                 EMH_EINVALID);
			ck_assert_uint_eq(err.column, k + 1);
		}
		free(buf);
	}
}
END_TEST

START_TEST(test_not_nul_terminated)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	const char buf[] = { '[', '4', '2', ']', 'x', 'y', 'z' };
	size_t len = 0;

	/* Only len bytes are read; what follows them must not count as garbage. */
	EMH_PASS(emh_json_parse(&doc, buf, 4, "b.json", NULL, &err), &err);
	ck_assert_int_eq(cJSON_GetArrayItem(emh_json_root(doc), 0)->valueint, 42);
	const char *text = emh_json_text(doc, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(text, "[42]");
	emh_json_free(doc);
	/* The same bytes with the garbage included are rejected. */
	ck_assert_int_eq(emh_json_parse(&doc, buf, sizeof buf, "b.json", NULL, &err),
	                 EMH_EINVALID);
	ck_assert_uint_eq(err.column, 5);
}
END_TEST

START_TEST(test_numbers)
{
	static const char *good[] = {
		"0", "-0", "1", "-1", "10", "1.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5",
		"1.5E-10", "0e0", "123456789012345678901234567890",
		"[1e999]", "[-1e-999]", "{\"n\":0.000001}",
	};
	static const char *bad[] = {
		"-01", "01", "00", "1.", ".1", "+1", "0x10", "Infinity", "-Infinity", "NaN",
		"1e", "1e+", "1E-", "--1", "-", "1.2.3", "1e5e5", "1.e5", "0.-1", "[1.]",
		"[-]", "[01]", "[+1]", "[.5]", "{\"a\":-01}", "nan", "1_000",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		emh_json *doc = NULL;
		emh_error err = EMH_ERROR_INIT;
		ck_assert_msg(parse_str(&doc, good[i], &err) == 0, "'%s' rejected: %s", good[i],
		              err.message);
		emh_json_free(doc);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		emh_json *doc = NULL;
		emh_error err = EMH_ERROR_INIT;
		ck_assert_msg(parse_str(&doc, bad[i], &err) == EMH_EINVALID, "'%s' accepted", bad[i]);
		ck_assert_ptr_null(doc);
		ck_assert_uint_ge(err.column, 1);
	}
	/* Messages say what was expected. */
	EXPECT_ERROR_AT("[1.]", 1, 4, "expected a digit after the decimal point");
	EXPECT_ERROR_AT("[1e+]", 1, 5, "expected a digit in the exponent");
	EXPECT_ERROR_AT("[-x]", 1, 3, "expected a digit after '-'");
	EXPECT_ERROR_AT("[+1]", 1, 2, "a number starts with '-' or a digit");
}
END_TEST

START_TEST(test_strings)
{
	static const char *good[] = {
		"\"\"", "\"\\u00e9\"", "\"\\uD83D\\uDE00\"", "\"\\ud83d\\ude00\"",
		"\"\xF0\x9F\x98\x80\"", "\"\xF4\x8F\xBF\xBF\"", "\"\xEF\xBF\xBF\"",
		"\"\xE0\xA0\x80\"", "\"\xED\x9F\xBF\"", "\"\xEE\x80\x80\"", "\"\xC2\x80\"",
		"\"\\/\\\\\\\"\\b\\f\\n\\r\\t\"", "\"\x7F\"", "\"\\u0000\"",
	};
	static const char *bad[] = {
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800\\ud800\"",
		"\"\\ud800x\"", "\"\\udc00\\ud800\"",
		"\"\xED\xA0\x80\"",         /* an encoded surrogate */
		"\"\xF4\x90\x80\x80\"",     /* above U+10FFFF */
		"\"\xF5\x80\x80\x80\"", "\"\xFF\"", "\"\xFE\"",
		"\"\xE0\x80\xAF\"",         /* overlong '/' */
		"\"\xF0\x80\x80\xAF\"",     /* overlong '/' */
		"\"\xC0\xAF\"", "\"\xC1\xBF\"",
		"\"\x80\"", "\"\xC3\"", "\"\xC3x\"", "\"\xE2\x82\"", "\"\xF0\x9F\x98\"",
		"\"\\x41\"", "\"\\u12G4\"", "\"\\u12\"", "\"\\U0041\"", "\"\\'\"",
		"\"a\nb\"", "\"\x1F\"", "\"abc", "\"abc\\\"", "'abc'",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		emh_json *doc = NULL;
		emh_error err = EMH_ERROR_INIT;
		ck_assert_msg(parse_str(&doc, good[i], &err) == 0, "good[%zu] rejected: %s", i,
		              err.message);
		ck_assert(cJSON_IsString(emh_json_root(doc)));
		emh_json_free(doc);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		emh_json *doc = NULL;
		emh_error err = EMH_ERROR_INIT;
		ck_assert_msg(parse_str(&doc, bad[i], &err) == EMH_EINVALID, "bad[%zu] accepted", i);
		ck_assert_ptr_null(doc);
	}
	/* The decoded value is cJSON's, so escapes must reach it intact. */
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(parse_str(&doc, "[\"\\u00e9\\ud83d\\ude00\\n\"]", &err), &err);
	ck_assert_str_eq(cJSON_GetArrayItem(emh_json_root(doc), 0)->valuestring,
	                 "\xC3\xA9\xF0\x9F\x98\x80\n");
	emh_json_free(doc);

	EXPECT_ERROR_AT("[\"ab\\ud800\"]", 1, 5, "unpaired high surrogate \\uD800");
	EXPECT_ERROR_AT("[\"ab\\uDC00\"]", 1, 5, "unpaired low surrogate \\uDC00");
	EXPECT_ERROR_AT("[\"ab\xED\xA0\x80\"]", 1, 5, "surrogate");
	EXPECT_ERROR_AT("[\"ab\xF4\x90\x80\x80\"]", 1, 5, "above U+10FFFF");
	EXPECT_ERROR_AT("[\"ab\xE0\x80\xAF\"]", 1, 5, "overlong");
	EXPECT_ERROR_AT("[\"ab\\u12G4\"]", 1, 9, "expected 4 hex digits");
}
END_TEST

/*
 * The strict pass skips plain string bytes 32 (AVX2), 16 (SSE2) and 8 at a time:
 * each kind of byte that needs a look must be caught at every offset within
 * and across blocks.
 */
#define EMH_AS "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 */
START_TEST(test_string_bytes_at_every_offset)
{
	emh_json__portable(_i == 0); /* both loops: SSE2, then AVX2 where the processor has it */
	for (size_t k = 0; k < 50; k++) {
		char text[160], want[160];
		/* ["aaa...X...aaa"] with X at string offset k, 64 bytes of a's in all. */
		const char *cases[][2] = {
			{ "\x01", NULL }, { "\x1F", NULL }, { "\xFF", NULL }, { "\xC3", NULL },
			{ "\xC3\xA9", "\xC3\xA9" }, { "\\n", "\n" }, { "\x7F", "\x7F" }, { "\\u0041", "A" },
			{ " ", " " }, { "~", "~" },
		};
		for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
			const char *x = cases[c][0], *decoded = cases[c][1];
			int n = snprintf(text, sizeof text, "[\"%.*s%s%.*s\"]", (int)k, EMH_AS, x, (int)(64 - k), EMH_AS);
			emh_json *doc = NULL;
			emh_error err = EMH_ERROR_INIT;
			int rc = emh_json_parse(&doc, text, (size_t)n, "t.json", NULL, &err);
			if (!decoded) {
				ck_assert_msg(rc == EMH_EINVALID, "case %zu at offset %zu accepted", c, k);
				ck_assert_msg(err.line == 1 && err.column == k + 3,
				              "case %zu at offset %zu: error at %u:%u (%s)", c, k, err.line,
				              err.column, err.message);
				continue;
			}
			ck_assert_msg(rc == 0, "case %zu at offset %zu rejected: %s", c, k, err.message);
			snprintf(want, sizeof want, "%.*s%s%.*s", (int)k, EMH_AS, decoded, (int)(64 - k), EMH_AS);
			ck_assert_str_eq(cJSON_GetArrayItem(emh_json_root(doc), 0)->valuestring, want);
			emh_json_free(doc);
		}
		/* A quote at offset k ends the string there. */
		int n = snprintf(text, sizeof text, "[\"%.*s\"]", (int)k, EMH_AS);
		emh_json *doc = NULL;
		emh_error err = EMH_ERROR_INIT;
		EMH_PASS(emh_json_parse(&doc, text, (size_t)n, "t.json", NULL, &err), &err);
		ck_assert_uint_eq(strlen(cJSON_GetArrayItem(emh_json_root(doc), 0)->valuestring), k);
		emh_json_free(doc);
	}
}
END_TEST
#undef EMH_AS

/* A read-only tree (in an arena) is the same tree; a rejected document leaves nothing behind. */
START_TEST(test_read_only_tree)
{
	const char *text = "{\"app\": {\"id\": \"x\", \"tags\": [\"a\", 1.5, true, null, {}]},"
	                   " \"text\": \"\\u00e9t\\u00e9\", \"n\": [[[]]]}";
	emh_json_limits ro = EMH_JSON_LIMITS_INIT;
	ro.read_only = 1;
	emh_json *a = NULL, *b = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_json_parse(&a, text, strlen(text), "t.json", NULL, &err), &err);
	EMH_PASS(emh_json_parse(&b, text, strlen(text), "t.json", &ro, &err), &err);
	char *pa = cJSON_PrintUnformatted(emh_json_root(a)), *pb = cJSON_PrintUnformatted(emh_json_root(b));
	ck_assert_str_eq(pa, pb);
	cJSON_free(pa);
	cJSON_free(pb);
	check_all_positions(b, "read-only");
	emh_json_free(a);
	emh_json_free(b);
	/* A long string takes a block of its own beside the small ones. */
	size_t big = 100000;
	char *t = malloc(big + 16);
	ck_assert_ptr_nonnull(t);
	memcpy(t, "[1, \"", 5);
	memset(t + 5, 'z', big);
	memcpy(t + 5 + big, "\", 2]", 5);
	EMH_PASS(emh_json_parse(&b, t, big + 10, "t.json", &ro, &err), &err);
	ck_assert_uint_eq(strlen(cJSON_GetArrayItem(emh_json_root(b), 1)->valuestring), big);
	ck_assert_int_eq(cJSON_GetArrayItem(emh_json_root(b), 2)->valueint, 2);
	emh_json_free(b);
	free(t);
	ck_assert_int_eq(emh_json_parse(&b, "[1, }", 5, "t.json", &ro, &err), EMH_EINVALID);
	ck_assert_ptr_null(b);
}
END_TEST

START_TEST(test_literals)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;

	EMH_PASS(parse_str(&doc, "[true,false,null]", &err), &err);
	emh_json_free(doc);
	EXPECT_ERROR_AT("[True]", 1, 2, "found 'T'");
	EXPECT_ERROR_AT("[truex]", 1, 6, "after 'true'");
	EXPECT_ERROR_AT("[nulL]", 1, 5, "expected 'null'");
	EXPECT_ERROR_AT("[fals]", 1, 6, "expected 'false'");
	EXPECT_ERROR_AT("undefined", 1, 1, "expected a JSON value");
}
END_TEST

/* Asserts where the value at pointer starts (and that offset holds first). */
static void expect_at(const emh_json *doc, const char *pointer, unsigned line,
                      unsigned col, char first)
{
	const cJSON *node = emh_json_resolve(doc, pointer);
	unsigned l = 0, c = 0;
	size_t off = 0;
	ck_assert_msg(node != NULL, "%s did not resolve", pointer);
	ck_assert_int_eq(emh_json_locate(doc, node, &l, &c, &off), 0);
	ck_assert_msg(l == line && c == col, "%s at %u:%u, want %u:%u", pointer, l, c, line, col);
	ck_assert_msg(emh_json_text(doc, NULL)[off] == first, "%s: offset %zu holds '%c'",
	              pointer, off, emh_json_text(doc, NULL)[off]);
}

START_TEST(test_locate_nested)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	const char *text =
		"{\n"
		"  \"a\": {\n"
		"    \"b\": [10, 20,\n"
		"      {\"c\": true}],\n"
		"    \"e\": {}\n"
		"  },\n"
		"  \"d\":null\n"
		"}\n";

	EMH_PASS(parse_str(&doc, text, &err), &err);
	expect_at(doc, "", 1, 1, '{');
	expect_at(doc, "/a", 2, 8, '{');
	expect_at(doc, "/a/b", 3, 10, '[');
	expect_at(doc, "/a/b/0", 3, 11, '1');
	expect_at(doc, "/a/b/1", 3, 15, '2');
	expect_at(doc, "/a/b/2", 4, 7, '{');
	expect_at(doc, "/a/b/2/c", 4, 13, 't');
	expect_at(doc, "/a/e", 5, 10, '{');
	expect_at(doc, "/d", 7, 7, 'n');
	emh_json_free(doc);
}
END_TEST

START_TEST(test_locate_arrays_and_tricky_strings)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;

	/* Brackets, quotes and colons inside strings must not shift the count. */
	EMH_PASS(parse_str(&doc,
	                   "[[], [[]], {}, \"a\\\"]{:,\", {\"[\": {\"{\": -3}}, \"\xC3\xA9\", false]",
	                   &err), &err);
	expect_at(doc, "/0", 1, 2, '[');
	expect_at(doc, "/1", 1, 6, '[');
	expect_at(doc, "/1/0", 1, 7, '[');
	expect_at(doc, "/2", 1, 12, '{');
	expect_at(doc, "/3", 1, 16, '"');
	expect_at(doc, "/4", 1, 27, '{');
	expect_at(doc, "/4/[", 1, 33, '{');
	expect_at(doc, "/4/[/{", 1, 39, '-');
	expect_at(doc, "/5", 1, 45, '"');
	expect_at(doc, "/6", 1, 51, 'f'); /* columns count bytes: "é" is two */
	emh_json_free(doc);
}
END_TEST

START_TEST(test_duplicate_keys)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;

	/* The second key is located; the message says where the first was. */
	ck_assert_int_eq(parse_str(&doc, "{\"k\": 1,\n \"k\": [2],\n \"k\": 3}", &err), EMH_EINVALID);
	ck_assert_ptr_null(doc);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_uint_eq(err.column, 2);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate key \"k\""));
	ck_assert_ptr_nonnull(strstr(err.message, "first seen at line 1, column 2"));
	/* Nested, escaped (\"\\u006b\" is "k"), and after a key holding an escaped quote. */
	emh_error_clear(&err);
	ck_assert_int_eq(parse_str(&doc, "[{\"a\\\"\": 1, \"b\": {\"k\": 1, \"\\u006b\": 2}}]", &err),
	                 EMH_EINVALID);
	ck_assert_uint_eq(err.column, 27);
	ck_assert_ptr_nonnull(strstr(err.message, "first seen at line 1, column 19"));
	/* Small objects are compared pair by pair, larger ones sorted: a name twice is refused at every
	 * size around the switch (8 members), the empty name too, and distinct names sharing a first
	 * byte pass. */
	for (int n = 2; n <= 10; n++) {
		emh_buf t = EMH_BUF_INIT;
		emh_buf_puts(&t, "{\"k\": 0");
		for (int i = 1; i < n - 1; i++)
			emh_buf_appendf(&t, ", \"k%d\": %d", i, i);
		emh_buf_puts(&t, ", \"k\": 9}");
		emh_error_clear(&err);
		ck_assert_int_eq(emh_json_parse(&doc, t.ptr, t.len, "t.json", NULL, &err), EMH_EINVALID);
		ck_assert_msg(strstr(err.message, "duplicate key \"k\"") != NULL, "%d members: %s", n, err.message);
		t.len = t.len - strlen("\"k\": 9}");
		emh_buf_puts(&t, "\"kk\": 9}");
		emh_error_clear(&err);
		EMH_PASS(emh_json_parse(&doc, t.ptr, t.len, "t.json", NULL, &err), &err);
		emh_json_free(doc);
		doc = NULL;
		emh_buf_dispose(&t);
	}
	emh_error_clear(&err);
	ck_assert_int_eq(parse_str(&doc, "{\"\": 1, \"a\": 2, \"\": 3}", &err), EMH_EINVALID);
	/* The same name in different objects is fine. */
	emh_error_clear(&err);
	EMH_PASS(parse_str(&doc, "{\"k\": {\"k\": 1}, \"j\": [{\"k\": 1}, {\"k\": 2}]}", &err), &err);
	emh_json_free(doc);
	doc = NULL;

	/*
	 * 200,000 members: the check sorts names per object, so this is fast; a
	 * pairwise check would make 2e10 comparisons. The duplicate is the last.
	 */
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, "{");
	for (int i = 0; i < 200000; i++)
		emh_buf_appendf(&b, "\"m%d\": %d, ", i, i);
	emh_buf_puts(&b, "\"m17\": 0}");
	emh_error_clear(&err);
	ck_assert_int_eq(emh_json_parse(&doc, b.ptr, b.len, "big.json", NULL, &err), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate key \"m17\""));
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(test_locate_not_found)
{
	emh_json *a = NULL, *b = NULL;
	emh_error err = EMH_ERROR_INIT;
	unsigned l = 7, c = 7;

	EMH_PASS(parse_str(&a, "[1, 2]", &err), &err);
	EMH_PASS(parse_str(&b, "[1, 2]", &err), &err);
	ck_assert_int_eq(emh_json_locate(a, emh_json_resolve(b, "/1"), &l, &c, NULL),
	                 EMH_ENOTFOUND);
	ck_assert_int_eq(emh_json_locate(a, NULL, &l, &c, NULL), EMH_ENOTFOUND);
	ck_assert_int_eq(emh_json_locate(NULL, emh_json_root(a), &l, &c, NULL), EMH_ENOTFOUND);
	/* NULL outputs are allowed. */
	ck_assert_int_eq(emh_json_locate(a, emh_json_resolve(a, "/1"), NULL, NULL, NULL), 0);
	emh_json_free(a);
	emh_json_free(b);
	emh_json_free(NULL);
}
END_TEST

/*
 * 25,000 decisions shaped like a reviews file: every criterion value
 * located in one call that walks each tree node exactly once (a locate per
 * decision walked the document 25,000 times, issue 17 item 12), in any
 * order, with the same positions as emh_json_locate.
 */
START_TEST(test_locate_many_visits_each_node_once)
{
	size_t n = 25000, cap = n * 64 + 32, len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text, cap, "{\"reviews\": [");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s\n {\"criterion\": \"C-%zu\", \"version\": 1}",
		                        i ? "," : "", i);
	len += (size_t)snprintf(text + len, cap - len, "]}");
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_json_parse(&doc, text, len, "many.json", NULL, &err), &err);
	const cJSON **nodes = malloc(n * sizeof *nodes);
	emh_json_pos *pos = malloc(n * sizeof *pos);
	ck_assert_ptr_nonnull(nodes);
	ck_assert_ptr_nonnull(pos);
	size_t i = 0;
	/* Backwards, so the answer cannot rely on the queries being in document order. */
	for (const cJSON *e = emh_json_root(doc)->child->child; e; e = e->next, i++)
		nodes[n - 1 - i] = e->child;
	ck_assert_uint_eq(i, n);
	size_t visited = 0;
	ck_assert_int_eq(emh_json_locate_many(doc, nodes, n, pos, &visited), 0);
	/* root + the array + per decision an object and two members */
	ck_assert_uint_eq(visited, 2 + 3 * n);
	for (i = 0; i < n; i += 997) {
		unsigned l = 0, c = 0;
		size_t off = 0;
		ck_assert_int_eq(emh_json_locate(doc, nodes[i], &l, &c, &off), 0);
		ck_assert_uint_eq(pos[i].line, l);
		ck_assert_uint_eq(pos[i].column, c);
		ck_assert_uint_eq(pos[i].offset, off);
	}
	ck_assert_uint_eq(pos[n - 1].line, 2); /* the first decision, queried last */
	ck_assert_uint_eq(pos[n - 1].column, 16);
	ck_assert_uint_eq(pos[0].line, n + 1);
	/* Absent nodes and nodes of another document get line 0; the same node twice, both. */
	const cJSON *odd[3] = { NULL, nodes[5], nodes[5] };
	emh_json_pos op[3];
	ck_assert_int_eq(emh_json_locate_many(doc, odd, 3, op, NULL), 0);
	ck_assert_uint_eq(op[0].line, 0);
	ck_assert_uint_eq(op[1].line, pos[5].line);
	ck_assert_uint_eq(op[2].line, pos[5].line);
	free(nodes);
	free(pos);
	emh_json_free(doc);
	free(text);
}
END_TEST

/* "[[[...[7]...]]]" with depth brackets; caller frees. */
static char *nested(unsigned depth, size_t *len)
{
	char *s = malloc(2 * (size_t)depth + 2);
	ck_assert_ptr_nonnull(s);
	memset(s, '[', depth);
	s[depth] = '7';
	memset(s + depth + 1, ']', depth);
	s[2 * (size_t)depth + 1] = '\0';
	*len = 2 * (size_t)depth + 1;
	return s;
}

START_TEST(test_locate_deep)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	size_t len, off = 0;
	unsigned l = 0, c = 0;
	char *text = nested(900, &len);

	/* Deeper than locate's on-stack array, so its heap stack is used. */
	lim.max_depth = 1000;
	EMH_PASS(emh_json_parse(&doc, text, len, "deep.json", &lim, &err), &err);
	const cJSON *node = emh_json_root(doc);
	while (node->child)
		node = node->child;
	ck_assert(cJSON_IsNumber(node));
	ck_assert_int_eq(emh_json_locate(doc, node, &l, &c, &off), 0);
	ck_assert_uint_eq(off, 900);
	ck_assert_uint_eq(c, 901);
	ck_assert_uint_eq(check_all_positions(doc, "deep"), 901);
	emh_json_free(doc);
	free(text);
}
END_TEST

START_TEST(test_locate_large)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	size_t n = 200000, cap = n * 8 + 16, len = 0, off = 0;
	char *text = malloc(cap);
	unsigned l = 0, c = 0;

	/* 200,000 values over 200,000 lines: counts must stay aligned to the end. */
	ck_assert_ptr_nonnull(text);
	text[len++] = '[';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s%zu", i ? ",\n" : "", i % 1000);
	text[len++] = ']';
	EMH_PASS(emh_json_parse(&doc, text, len, "big.json", NULL, &err), &err);
	const cJSON *last = emh_json_root(doc)->child;
	while (last->next)
		last = last->next;
	ck_assert_int_eq(last->valueint, 999);
	ck_assert_int_eq(emh_json_locate(doc, last, &l, &c, &off), 0);
	ck_assert_uint_eq(l, 200000);
	ck_assert_uint_eq(c, 1);
	ck_assert_uint_eq(off, len - 4);
	emh_json_free(doc);
	free(text);
}
END_TEST

START_TEST(test_limit_depth)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	size_t len;
	char *text = nested(300, &len);

	lim.max_depth = 256;
	ck_assert_int_eq(emh_json_parse(&doc, text, len, "d.json", &lim, &err), EMH_ELIMIT);
	ck_assert_ptr_null(doc);
	ck_assert_ptr_nonnull(strstr(err.message, "max_depth=256"));
	ck_assert_str_eq(err.file, "d.json");
	ck_assert_uint_eq(err.line, 1);
	ck_assert_uint_eq(err.column, 257); /* the bracket that opens level 257 */
	/* The default is the same 256. */
	ck_assert_int_eq(emh_json_parse(&doc, text, len, "d.json", NULL, &err), EMH_ELIMIT);
	free(text);

	text = nested(256, &len);
	EMH_PASS(emh_json_parse(&doc, text, len, "d.json", NULL, &err), &err);
	emh_json_free(doc);
	free(text);

	/* Objects count as levels too. */
	lim.max_depth = 3;
	EMH_PASS(emh_json_parse(&doc, "{\"a\":[{}]}", 10, "d.json", &lim, &err), &err);
	emh_json_free(doc);
	ck_assert_int_eq(emh_json_parse(&doc, "{\"a\":[{\"b\":{}}]}", 16, "d.json", &lim, &err),
	                 EMH_ELIMIT);
	ck_assert_uint_eq(err.column, 12);
	ck_assert_ptr_nonnull(strstr(err.message, "max_depth=3"));

	/* Above cJSON's own limit the limit is cJSON's, reported the same way. */
	lim.max_depth = 5000;
	text = nested(CJSON_NESTING_LIMIT, &len);
	EMH_PASS(emh_json_parse(&doc, text, len, "d.json", &lim, &err), &err);
	emh_json_free(doc);
	free(text);
	text = nested(CJSON_NESTING_LIMIT + 1, &len);
	ck_assert_int_eq(emh_json_parse(&doc, text, len, "d.json", &lim, &err), EMH_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.message, "max_depth="));
	free(text);

	/* Hostile depth far beyond any limit is refused without recursion. */
	text = nested(1000000, &len);
	ck_assert_int_eq(emh_json_parse(&doc, text, len, "d.json", NULL, &err), EMH_ELIMIT);
	free(text);
}
END_TEST

START_TEST(test_limit_size)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;

	lim.max_bytes = 10;
	EMH_PASS(emh_json_parse(&doc, "[1,2,3,44]", 10, "s.json", &lim, &err), &err);
	emh_json_free(doc);
	ck_assert_int_eq(emh_json_parse(&doc, "[1,2,3,444]", 11, "s.json", &lim, &err),
	                 EMH_ELIMIT);
	ck_assert_ptr_null(doc);
	ck_assert_ptr_nonnull(strstr(err.message, "max_bytes=10"));
	ck_assert_str_eq(err.file, "s.json");
	/* The size is checked before the grammar. */
	ck_assert_int_eq(emh_json_parse(&doc, "not json!!!", 11, "s.json", &lim, &err),
	                 EMH_ELIMIT);
}
END_TEST

START_TEST(test_resolve)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;

	EMH_PASS(parse_str(&doc,
	                   "{\"a/b\": 1, \"m~n\": 2, \"\": 3, \"x\": {\"\": 4}, \"arr\": [10, 20],"
	                   " \" \": 5, \"~1\": 6, \"/\": 7, \"0\": 8}", &err), &err);
	ck_assert_ptr_eq(emh_json_resolve(doc, ""), emh_json_root(doc));
	ck_assert_int_eq(emh_json_resolve(doc, "/a~1b")->valueint, 1);
	ck_assert_int_eq(emh_json_resolve(doc, "/m~0n")->valueint, 2);
	ck_assert_int_eq(emh_json_resolve(doc, "/")->valueint, 3);
	ck_assert_int_eq(emh_json_resolve(doc, "/x/")->valueint, 4);
	ck_assert_int_eq(emh_json_resolve(doc, "/arr/0")->valueint, 10);
	ck_assert_int_eq(emh_json_resolve(doc, "/arr/1")->valueint, 20);
	ck_assert_int_eq(emh_json_resolve(doc, "/ ")->valueint, 5);
	/* ~01 is "~1", not "/": ~0 is undone after ~1, per RFC 6901 section 4. */
	ck_assert_int_eq(emh_json_resolve(doc, "/~01")->valueint, 6);
	ck_assert_int_eq(emh_json_resolve(doc, "/~1")->valueint, 7);
	/* An object key that looks like an index is just a key. */
	ck_assert_int_eq(emh_json_resolve(doc, "/0")->valueint, 8);

	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/01"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/-"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/2"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/1x"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/+1"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/99999999999999999999999999"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/a~2b"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/m~"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/a/b"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/a~1b/c"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/nope"));
	ck_assert_ptr_null(emh_json_resolve(doc, "x"));
	ck_assert_ptr_null(emh_json_resolve(doc, "/arr/0/0"));
	ck_assert_ptr_null(emh_json_resolve(doc, NULL));
	ck_assert_ptr_null(emh_json_resolve(NULL, ""));
	emh_json_free(doc);

	/* A scalar root resolves only the empty pointer. */
	EMH_PASS(parse_str(&doc, "\"s\"", &err), &err);
	ck_assert_ptr_nonnull(emh_json_resolve(doc, ""));
	ck_assert_ptr_null(emh_json_resolve(doc, "/"));
	emh_json_free(doc);
}
END_TEST

START_TEST(test_null_err_and_accessors)
{
	emh_json *doc = NULL;
	size_t len = 99;

	/* err may be NULL: the code still comes back. */
	ck_assert_int_eq(emh_json_parse(&doc, "[1,]", 4, "x.json", NULL, NULL), EMH_EINVALID);
	ck_assert_int_eq(emh_json_parse(&doc, "[1]", 3, NULL, NULL, NULL), 0);
	ck_assert_ptr_nonnull(emh_json_root(doc));
	ck_assert_str_eq(emh_json_text(doc, &len), "[1]");
	ck_assert_uint_eq(len, 3);
	emh_json_free(doc);
	ck_assert_ptr_null(emh_json_root(NULL));
	ck_assert_ptr_null(emh_json_text(NULL, &len));
	ck_assert_uint_eq(len, 0);
}
END_TEST


/* One emh_json_peek_members case: the text, the result, and format's value ("" absent, NULL not a string). */
static void expect_peek(const char *text, int rc_want, const char *format_want, int envelope_want)
{
	static const char *const names[] = { "format", "schema", "payloadType" };
	emh_json_peeked m[3];
	int rc = emh_json_peek_members(text, strlen(text), names, 3, m);
	ck_assert_msg(rc == rc_want, "'%s': rc %d, want %d", text, rc, rc_want);
	if (rc)
		return;
	if (format_want && !*format_want) {
		ck_assert_msg(!m[0].present, "'%s': format present", text);
	} else if (!format_want) {
		ck_assert_msg(m[0].present && !m[0].value, "'%s': format should be a non-string", text);
	} else {
		ck_assert_msg(m[0].value && m[0].len == strlen(format_want) &&
		              memcmp(m[0].value, format_want, m[0].len) == 0,
		              "'%s': format '%.*s', want '%s'", text, (int)m[0].len, m[0].value ? m[0].value : "",
		              format_want);
	}
	ck_assert_msg(m[2].present == envelope_want, "'%s': payloadType present %d", text, m[2].present);
}

START_TEST(test_peek_members)
{
	expect_peek("{\"format\": \"emheval/dossier/2\", \"x\": 1}", 0, "emheval/dossier/2", 0);
	expect_peek(" { \"a\" : {\"format\": \"no\"}, \"format\" : \"yes\" } \n", 0, "yes", 0);
	/* The first of two members wins, as cJSON_GetObjectItemCaseSensitive sees it. */
	expect_peek("{\"format\": \"first\", \"format\": \"second\"}", 0, "first", 0);
	expect_peek("{\"s\": \"a \\\" } { [ \\\\\", \"format\": \"f\", \"payloadType\": 3}", 0, "f", 1);
	expect_peek("{\"list\": [1, {\"x\": \"]}\"}, [[]]], \"format\": 7}", 0, NULL, 0);
	expect_peek("{\"format\": null, \"payload\": \"abc\"}", 0, NULL, 0);
	expect_peek("{}", 0, "", 0);
	expect_peek("{\"payloadType\": \"application/vnd.in-toto+json\"}", 0, "", 1);
	/* What it cannot tell cheaply, the caller parses. */
	expect_peek("[{\"format\": \"f\"}]", -1, "", 0);
	expect_peek("{\"form\\u0061t\": \"f\"}", -1, "", 0);
	expect_peek("{\"format\": \"emheval\\/dossier/2\"}", -1, "", 0);
	expect_peek("{\"format\": \"f\"", -1, "", 0);
	expect_peek("{\"format\": \"f\"} trailing", -1, "", 0);
	expect_peek("{\"a\": [1, 2}", -1, "", 0);
	expect_peek("{\"a\" 1}", -1, "", 0);
	expect_peek("", -1, "", 0);
}
END_TEST

/* Whatever peek reads, cJSON reads the same: every suite document as the value before and after "format". */
static void peek_agrees(const char *name, const char *text, size_t len)
{
	static const char *const names[] = { "format", "schema", "payloadType" };
	/* Each shape: before, the document, between, the document again, after. */
	static const char *const shapes[][3] = {
		{ "{\"a\": ", ", \"format\": \"f\", \"payloadType\": ", "}" },
		{ "{\"format\": ", ", \"schema\": \"s\", \"z\": ", "}" },
	};
	for (size_t k = 0; k < 2; k++) {
		size_t a = strlen(shapes[k][0]), b = strlen(shapes[k][1]), c = strlen(shapes[k][2]);
		size_t n = a + len + b + len + c;
		char *doc = malloc(n + 1);
		ck_assert_ptr_nonnull(doc);
		memcpy(doc, shapes[k][0], a);
		memcpy(doc + a, text, len);
		memcpy(doc + a + len, shapes[k][1], b);
		memcpy(doc + a + len + b, text, len);
		memcpy(doc + a + len + b + len, shapes[k][2], c);
		doc[n] = '\0';
		emh_json_peeked m[3];
		int rc = emh_json_peek_members(doc, n, names, 3, m);
		cJSON *j = cJSON_ParseWithLength(doc, n);
		if (rc == 0 && j && memchr(text, '\0', len) == NULL) {
			for (size_t i = 0; i < 3; i++) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, names[i]);
				ck_assert_msg(m[i].present == (v != NULL), "%s shape %zu: %s presence differs", name, k, names[i]);
				if (m[i].value) {
					ck_assert_msg(cJSON_IsString(v) && strlen(v->valuestring) == m[i].len &&
					              memcmp(v->valuestring, m[i].value, m[i].len) == 0,
					              "%s shape %zu: %s differs from cJSON's", name, k, names[i]);
				} else if (v) {
					ck_assert_msg(!cJSON_IsString(v), "%s shape %zu: %s is a string to cJSON", name, k, names[i]);
				}
			}
		}
		cJSON_Delete(j);
		free(doc);
	}
}

START_TEST(test_peek_agrees_with_cjson)
{
	ck_assert_uint_eq(for_each_case("y_", peek_agrees), 95);
	for_each_case("i_", peek_agrees);
	for_each_case("n_", peek_agrees);
}
END_TEST


/* Asserts that two trees are the same as cJSON sees them: types, names, values, order and prev links. */
static void same_tree(const char *name, const cJSON *a, const cJSON *b)
{
	ck_assert_msg((a->type & 0xFF) == (b->type & 0xFF), "%s: type %d, cJSON's %d", name, a->type, b->type);
	ck_assert_msg((a->string == NULL) == (b->string == NULL) && (!a->string || strcmp(a->string, b->string) == 0),
	              "%s: member name '%s', cJSON's '%s'", name, a->string ? a->string : "(none)",
	              b->string ? b->string : "(none)");
	ck_assert_msg((a->valuestring == NULL) == (b->valuestring == NULL) &&
	              (!a->valuestring || strcmp(a->valuestring, b->valuestring) == 0),
	              "%s: string '%s', cJSON's '%s'", name, a->valuestring ? a->valuestring : "(none)",
	              b->valuestring ? b->valuestring : "(none)");
	ck_assert_msg(memcmp(&a->valuedouble, &b->valuedouble, sizeof a->valuedouble) == 0,
	              "%s: number %.17g, cJSON's %.17g", name, a->valuedouble, b->valuedouble);
	ck_assert_msg(a->valueint == b->valueint, "%s: valueint %d, cJSON's %d", name, a->valueint, b->valueint);
	const cJSON *x = a->child, *y = b->child;
	ck_assert_msg((x == NULL) == (y == NULL), "%s: children differ", name);
	if (x) {
		const cJSON *xl = x, *yl = y;
		while (xl->next)
			xl = xl->next;
		while (yl->next)
			yl = yl->next;
		ck_assert_msg(x->prev == xl && y->prev == yl, "%s: the first child's prev is not the last", name);
	}
	for (const cJSON *px = NULL; x && y; px = x, x = x->next, y = y->next) {
		if (px)
			ck_assert_msg(x->prev == px, "%s: prev link broken", name);
		same_tree(name, x, y);
	}
	ck_assert_msg(x == NULL && y == NULL, "%s: a different number of children", name);
}

static void tree_like_cjson(const char *name, const char *text, size_t len)
{
	emh_json *doc = NULL;
	emh_error err = EMH_ERROR_INIT;
	/* malloc'd nodes, nodes in an arena, and (with a value limit the text could exceed) a check first */
	for (int mode = 0; mode < 3; mode++) {
		emh_json_limits lim = EMH_JSON_LIMITS_INIT;
		lim.read_only = mode > 0;
		lim.max_values = mode == 2 ? len / 2 : 0;
		if (emh_json_parse(&doc, text, len, name, &lim, &err) != 0)
			return; /* refused on purpose (duplicate keys, limits): other tests cover it */
		cJSON *ref = cJSON_ParseWithLength(text, len);
		/* cJSON fails on numbers of over 63 characters, which are valid JSON. */
		if (ref)
			same_tree(name, emh_json_root(doc), ref);
		cJSON_Delete(ref);
		emh_json_free(doc);
		doc = NULL;
	}
}

START_TEST(test_tree_like_cjson)
{
	ck_assert_uint_eq(for_each_case("y_", tree_like_cjson), 95);
	for_each_case("i_", tree_like_cjson);
	static const char *const docs[] = {
		"{\"a\": [1, -0, 0.5, 1e400, -1e400, 2147483647, 2147483648, -2147483649, 1.5e-320, 12345678901234567890],"
		" \"b\": {\"c\": true, \"d\": false, \"e\": null, \"\": \"\"}, \"f\": [[], {}, [[{}]]]}",
		"[\"\\u00e9\\u4e2d\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"x\\u0000y\", \"plain\", \"\\u0041BC\"]",
		"{\"k\\u00e9y\": 1, \"k\\\"q\": 2, \"dup\": {\"dup\": {\"dup\": 3}}}",
		"  42  ", "\"s\"", "true", "null", "-0.0e+0",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		tree_like_cjson(docs[i], docs[i], strlen(docs[i]));
	/* Every example submission and shipped criterion file. */
	static const char *const globs[] = { "../submissions/*/submission.json", "../criteria/*/*.json",
	                                     "../criteria/framework.json" };
	size_t files = 0;
	for (size_t g = 0; g < sizeof globs / sizeof globs[0]; g++) {
		glob_t gl;
		if (glob(globs[g], 0, NULL, &gl) != 0)
			continue;
		for (size_t i = 0; i < gl.gl_pathc; i++) {
			size_t len;
			char *text = read_all(gl.gl_pathv[i], &len);
			tree_like_cjson(gl.gl_pathv[i], text, len);
			free(text);
			files++;
		}
		globfree(&gl);
	}
	ck_assert_msg(files > 100, "only %zu shipped files found (tests run from tests/)", files);
}
END_TEST

Suite *emh_suite_json(void);

Suite *emh_suite_json(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("conformance");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_suite_y_accepted);
	tcase_add_test(tc, test_suite_n_rejected);
	tcase_add_test(tc, test_suite_i_no_crash);
	tcase_add_test(tc, test_tree_like_cjson);
	suite_add_tcase(s, tc);

	tc = tcase_create("grammar");
	tcase_add_test(tc, test_error_positions);
	tcase_add_test(tc, test_bom_and_empty);
	tcase_add_test(tc, test_whitespace);
	tcase_add_test(tc, test_whitespace_runs);
	tcase_add_test(tc, test_not_nul_terminated);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_strings);
	tcase_add_loop_test(tc, test_string_bytes_at_every_offset, 0, 2);
	tcase_add_test(tc, test_read_only_tree);
	tcase_add_test(tc, test_literals);
	suite_add_tcase(s, tc);

	tc = tcase_create("locate");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_locate_nested);
	tcase_add_test(tc, test_locate_arrays_and_tricky_strings);
	tcase_add_test(tc, test_duplicate_keys);
	tcase_add_test(tc, test_locate_not_found);
	tcase_add_test(tc, test_locate_deep);
	tcase_add_test(tc, test_locate_many_visits_each_node_once);
	tcase_add_test(tc, test_locate_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("peek");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_peek_members);
	tcase_add_test(tc, test_peek_agrees_with_cjson);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_limit_depth);
	tcase_add_test(tc, test_limit_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolve");
	tcase_add_test(tc, test_resolve);
	tcase_add_test(tc, test_null_err_and_accessors);
	suite_add_tcase(s, tc);
	return s;
}
