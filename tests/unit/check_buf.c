/*
 * check_buf.c - unit tests for evaluator/buf.c, the byte buffer every
 * renderer writes into.
 *
 * What matters about the buffer is its contract more than its growth
 * strategy: the bytes are always NUL-terminated, the first failure (the cap,
 * or memory) is sticky so that a renderer can append blindly and check once,
 * detach hands over exactly what was appended, and the three escapers never
 * let through a byte that would break the output language: no raw quote or
 * control character in JSON, no markup character in HTML or XML, and no
 * invalid UTF-8 anywhere (it becomes U+FFFD). The escapers' output is checked
 * with a UTF-8 validator written here, independent of the one in buf.c.
 */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "emheval/buf.h"
#include "helpers.h"

#define FFFD "\xEF\xBF\xBD"

/*
 * 1 when s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF). Written from the RFC's table, not
 * shared with the code under test.
 */
static int valid_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = u[i];
		size_t n;
		unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
		if (c <= 0x7F) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
		} else if (c == 0xE0) {
			n = 3, lo = 0xA0;
		} else if (c == 0xED) {
			n = 3, hi = 0x9F;
		} else if (c >= 0xE1 && c <= 0xEF) {
			n = 3;
		} else if (c == 0xF0) {
			n = 4, lo = 0x90;
		} else if (c == 0xF4) {
			n = 4, hi = 0x8F;
		} else if (c >= 0xF1 && c <= 0xF3) {
			n = 4;
		} else {
			return 0;
		}
		if (len - i < n || u[i + 1] < lo || u[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < n; k++)
			if (u[i + k] < 0x80 || u[i + k] > 0xBF)
				return 0;
		i += n;
	}
	return 1;
}

/* Counts non-overlapping occurrences of needle in hay. */
static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + nl, needle))
		n++;
	return n;
}

/* Escapes s[0..len) as a JSON string into a fresh buffer; the caller frees. */
static char *json_of(const char *s, size_t len)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append_json_string(&b, s, len);
	ck_assert(emh_buf_ok(&b));
	char *out = emh_buf_detach(&b, NULL);
	ck_assert_ptr_nonnull(out);
	return out;
}

static char *html_of(const char *s, size_t len)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append_html_escaped(&b, s, len);
	ck_assert(emh_buf_ok(&b));
	char *out = emh_buf_detach(&b, NULL);
	ck_assert_ptr_nonnull(out);
	return out;
}

static char *xml_of(const char *s, size_t len)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append_xml_escaped(&b, s, len);
	ck_assert(emh_buf_ok(&b));
	char *out = emh_buf_detach(&b, NULL);
	ck_assert_ptr_nonnull(out);
	return out;
}

/* ---- appending ------------------------------------------------------------ */

START_TEST(buf_empty_is_empty_string)
{
	emh_buf b = EMH_BUF_INIT;
	ck_assert(emh_buf_ok(&b));
	ck_assert_str_eq(emh_buf_cstr(&b), "");
	ck_assert_uint_eq(b.len, 0);
	emh_buf_dispose(&b);
	emh_buf_dispose(NULL); /* accepted, does nothing */
}
END_TEST

START_TEST(buf_append_puts_putc_appendf)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append(&b, "abcXYZ", 3);
	emh_buf_puts(&b, "-de");
	emh_buf_putc(&b, '!');
	emh_buf_appendf(&b, "[%d|%s|%05.1f]", -42, "x", 3.5);
	emh_buf_append(&b, "ignored", 0);
	ck_assert(emh_buf_ok(&b));
	ck_assert_str_eq(emh_buf_cstr(&b), "abc-de![-42|x|003.5]");
	ck_assert_uint_eq(b.len, strlen("abc-de![-42|x|003.5]"));
	ck_assert_int_eq(b.ptr[b.len], '\0');
	emh_buf_dispose(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(buf_append_embedded_nul_counts_bytes)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append(&b, "a\0b", 3);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(b.ptr, "a\0b\0", 4);
	emh_buf_dispose(&b);
}
END_TEST

/* Many small appends and one long appendf: growth keeps every byte. */
START_TEST(buf_grows_and_keeps_content)
{
	emh_buf b = EMH_BUF_INIT;
	for (int i = 0; i < 5000; i++)
		emh_buf_putc(&b, (char)('a' + i % 26));
	emh_buf_appendf(&b, "%0700d", 7);
	ck_assert(emh_buf_ok(&b));
	ck_assert_uint_eq(b.len, 5700);
	ck_assert_uint_ge(b.cap, b.len + 1);
	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(b.ptr[i], 'a' + i % 26);
	for (int i = 5000; i < 5699; i++)
		ck_assert_int_eq(b.ptr[i], '0');
	ck_assert_int_eq(b.ptr[5699], '7');
	ck_assert_int_eq(b.ptr[5700], '\0');
	ck_assert_uint_eq(strlen(emh_buf_cstr(&b)), 5700);
	emh_buf_dispose(&b);
}
END_TEST

/* An appendf far larger than the memory held so far is formatted whole. */
START_TEST(buf_appendf_large_after_small)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, "head:");
	char big[3000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	emh_buf_appendf(&b, "%s:%s", big, "tail");
	ck_assert(emh_buf_ok(&b));
	ck_assert_uint_eq(b.len, 5 + 2999 + 5);
	ck_assert_str_eq(b.ptr + b.len - 5, ":tail");
	ck_assert_int_eq(strncmp(b.ptr, "head:qqq", 8), 0);
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(buf_clear_keeps_memory_and_resets_error)
{
	emh_buf b;
	emh_buf_init(&b, 4);
	emh_buf_puts(&b, "abc");
	char *mem = b.ptr;
	emh_buf_puts(&b, "de"); /* over the cap */
	ck_assert(!emh_buf_ok(&b));
	emh_buf_clear(&b);
	ck_assert(emh_buf_ok(&b));
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(emh_buf_cstr(&b), "");
	ck_assert_ptr_eq(b.ptr, mem);
	ck_assert_uint_eq(b.max, 4); /* the cap survives a clear */
	emh_buf_puts(&b, "wxyz");
	ck_assert(emh_buf_ok(&b));
	ck_assert_str_eq(emh_buf_cstr(&b), "wxyz");
	emh_buf_dispose(&b);
}
END_TEST

/* ---- the cap and the sticky error ------------------------------------------ */

START_TEST(buf_cap_exactly_reached_is_ok)
{
	emh_buf b;
	emh_buf_init(&b, 10);
	emh_buf_puts(&b, "0123456789");
	ck_assert(emh_buf_ok(&b));
	ck_assert_int_eq(b.err, 0);
	ck_assert_str_eq(emh_buf_cstr(&b), "0123456789");
	emh_buf_append(&b, "", 0); /* still within the cap */
	ck_assert(emh_buf_ok(&b));
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(buf_cap_exceeded_is_elimit_and_sticky)
{
	emh_buf b;
	emh_buf_init(&b, 10);
	emh_buf_puts(&b, "01234567");
	emh_buf_puts(&b, "89A"); /* 11 bytes: refused whole */
	ck_assert(!emh_buf_ok(&b));
	ck_assert_int_eq(b.err, EMH_ELIMIT);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(emh_buf_cstr(&b), "01234567"); /* still NUL-terminated, intact */
	/* Sticky: a byte that would fit is not appended either. */
	emh_buf_putc(&b, 'x');
	emh_buf_appendf(&b, "%d", 1);
	emh_buf_append_json_string(&b, "", 0);
	emh_buf_append_html_escaped(&b, "a", 1);
	emh_buf_append_xml_escaped(&b, "a", 1);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_int_eq(b.err, EMH_ELIMIT);
	ck_assert_str_eq(emh_buf_cstr(&b), "01234567");
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(buf_cap_exceeded_by_appendf)
{
	emh_buf b;
	emh_buf_init(&b, 16);
	emh_buf_appendf(&b, "%s", "short");
	ck_assert(emh_buf_ok(&b));
	emh_buf_appendf(&b, "%020d", 5);
	ck_assert_int_eq(b.err, EMH_ELIMIT);
	ck_assert_str_eq(emh_buf_cstr(&b), "short");
	emh_buf_dispose(&b);
}
END_TEST

/* The cap also bounds what the escapers produce (they expand their input). */
START_TEST(buf_cap_bounds_escaped_output)
{
	emh_buf b;
	emh_buf_init(&b, 64);
	char in[40];
	memset(in, '<', sizeof in); /* 40 bytes in, 160 bytes of &lt; out */
	emh_buf_append_html_escaped(&b, in, sizeof in);
	ck_assert_int_eq(b.err, EMH_ELIMIT);
	ck_assert_uint_le(b.len, 64);
	ck_assert_uint_eq(strlen(emh_buf_cstr(&b)), b.len);
	emh_buf_dispose(&b);
}
END_TEST

/* ---- detach ---------------------------------------------------------------- */

START_TEST(buf_detach_hands_over_bytes)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, "hello");
	emh_buf_appendf(&b, " %s", "world");
	size_t len = 0;
	char *s = emh_buf_detach(&b, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "hello world");
	ck_assert_uint_eq(len, 11);
	/* The buffer is reset and reusable. */
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.cap, 0);
	emh_buf_puts(&b, "again");
	ck_assert_str_eq(emh_buf_cstr(&b), "again");
	emh_buf_dispose(&b);
	free(s);
}
END_TEST

START_TEST(buf_detach_empty_gives_empty_string)
{
	emh_buf b = EMH_BUF_INIT;
	size_t len = 99;
	char *s = emh_buf_detach(&b, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);
	/* len_out is optional. */
	emh_buf_puts(&b, "x");
	s = emh_buf_detach(&b, NULL);
	ck_assert_str_eq(s, "x");
	free(s);
}
END_TEST

START_TEST(buf_detach_after_error_is_null_and_frees)
{
	emh_buf b;
	emh_buf_init(&b, 3);
	emh_buf_puts(&b, "ab");
	emh_buf_puts(&b, "cd");
	size_t len = 77;
	char *s = emh_buf_detach(&b, &len);
	ck_assert_ptr_null(s);
	ck_assert_uint_eq(len, 77); /* untouched on failure */
	ck_assert_ptr_null(b.ptr);  /* memory released (ASan's leak check sees it) */
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

/* ---- JSON strings ---------------------------------------------------------- */

START_TEST(buf_json_escapes_specials)
{
	const char *in = "a\"b\\c/d\n\r\t\b\f";
	char *s = json_of(in, strlen(in));
	ck_assert_str_eq(s, "\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\"");
	free(s);
	s = json_of("", 0);
	ck_assert_str_eq(s, "\"\"");
	free(s);
}
END_TEST

START_TEST(buf_json_escapes_control_chars)
{
	char *s = json_of("\x01\x1f\x7f x\0y", 7);
	ck_assert_str_eq(s, "\"\\u0001\\u001f\\u007f x\\u0000y\"");
	free(s);
}
END_TEST

START_TEST(buf_json_keeps_valid_utf8)
{
	const char *in = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
	char *s = json_of(in, strlen(in));
	char want[64];
	snprintf(want, sizeof want, "\"%s\"", in);
	ck_assert_str_eq(s, want);
	free(s);
}
END_TEST

START_TEST(buf_json_invalid_utf8_becomes_fffd)
{
	struct { const char *in; size_t len; const char *want; } cases[] = {
		{ "a\xFF" "b", 3, "\"a" FFFD "b\"" },          /* never valid */
		{ "a\x80" "b", 3, "\"a" FFFD "b\"" },          /* lone continuation */
		{ "ab\xC3", 3, "\"ab" FFFD "\"" },             /* truncated at the end */
		{ "\xC3(", 2, "\"" FFFD "(\"" },               /* lead byte, then ASCII */
		{ "\xC0\xAF", 2, "\"" FFFD FFFD "\"" },        /* overlong '/' */
		{ "\xFE", 1, "\"" FFFD "\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = json_of(cases[i].in, cases[i].len);
		ck_assert_msg(strcmp(s, cases[i].want) == 0, "case %zu: got %s", i, s);
		free(s);
	}
}
END_TEST

/*
 * Sequences that look like UTF-8 but are not (overlongs, surrogates, code
 * points above U+10FFFF) must not pass through: the output is valid UTF-8,
 * carries a U+FFFD and keeps the ASCII around it.
 */
START_TEST(buf_json_rejects_overlong_surrogate_and_too_big)
{
	const char *bad[] = {
		"\xE0\x80\xAF",     /* overlong 3-byte '/' */
		"\xED\xA0\x80",     /* U+D800, a surrogate */
		"\xED\xBF\xBF",     /* U+DFFF */
		"\xF0\x80\x80\xAF", /* overlong 4-byte */
		"\xF4\x90\x80\x80", /* U+110000 */
		"\xF5\x80\x80\x80",
		"\xE2\x82",         /* truncated */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char in[16];
		int n = snprintf(in, sizeof in, "<%s>", bad[i]);
		char *s = json_of(in, (size_t)n);
		ck_assert_msg(valid_utf8(s, strlen(s)), "case %zu: invalid UTF-8 out", i);
		ck_assert_msg(strstr(s, FFFD) != NULL, "case %zu: no U+FFFD in %s", i, s);
		ck_assert_msg(s[0] == '"' && s[1] == '<' && strcmp(s + strlen(s) - 2, ">\"") == 0,
		              "case %zu: %s", i, s);
		free(s);
	}
}
END_TEST

/* Every single byte round-trips through a JSON parser (or becomes U+FFFD). */
START_TEST(buf_json_every_byte_round_trips)
{
	for (int c = 0; c < 256; c++) {
		char in[3] = { 'x', (char)c, 'y' };
		char *s = json_of(in, 3);
		ck_assert_msg(valid_utf8(s, strlen(s)), "byte 0x%02X", c);
		for (const char *p = s; *p; p++)
			ck_assert_msg((unsigned char)*p >= 0x20, "raw control byte for 0x%02X", c);
		cJSON *j = cJSON_Parse(s);
		ck_assert_msg(cJSON_IsString(j), "byte 0x%02X: %s does not parse", c, s);
		if (c >= 0x01 && c < 0x80) {
			ck_assert_uint_eq(strlen(j->valuestring), 3);
			ck_assert_mem_eq(j->valuestring, in, 3);
		} else if (c >= 0x80) {
			ck_assert_str_eq(j->valuestring, "x" FFFD "y");
		}
		cJSON_Delete(j);
		free(s);
	}
}
END_TEST

/* Pseudo-random bytes: the output is always one valid JSON string. */
START_TEST(buf_json_random_bytes_stay_valid)
{
	unsigned long x = 12345;
	for (int round = 0; round < 300; round++) {
		char in[64];
		size_t n = (size_t)(round % 64);
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005ul + 1442695040888963407ul;
			in[i] = (char)(x >> 56);
		}
		char *s = json_of(in, n);
		ck_assert(valid_utf8(s, strlen(s)));
		cJSON *j = cJSON_Parse(s);
		ck_assert_msg(cJSON_IsString(j), "round %d: %s", round, s);
		cJSON_Delete(j);
		free(s);
	}
}
END_TEST

/* ---- HTML and XML ------------------------------------------------------------ */

START_TEST(buf_html_escapes_markup)
{
	const char *in = "<a href=\"x\" title='y'>Tom & Jerry</a>";
	char *s = html_of(in, strlen(in));
	ck_assert_str_eq(s, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
	free(s);
	/* Already-escaped text is escaped again (no double-decoding). */
	s = html_of("&amp;", 5);
	ck_assert_str_eq(s, "&amp;amp;");
	free(s);
}
END_TEST

START_TEST(buf_html_controls_and_invalid_utf8)
{
	const char in[] = "a\x01" "b\x7f" "c\n\t\rd\xFF" "e\xC3\xA9";
	char *s = html_of(in, sizeof in - 1);
	ck_assert_str_eq(s, "a" FFFD "b" FFFD "c\n\t d" FFFD "e\xC3\xA9"); /* CR: a space (encode.c) */
	free(s);
	s = html_of("x\0y", 3);
	ck_assert_str_eq(s, "x" FFFD "y");
	free(s);
}
END_TEST

START_TEST(buf_xml_escapes_markup_and_controls)
{
	const char in[] = "<r a=\"1\" b='2'>&\x02\x1f\x0b\x0c</r>\n";
	char *s = xml_of(in, sizeof in - 1);
	ck_assert_str_eq(s, "&lt;r a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;" FFFD FFFD FFFD FFFD "&lt;/r&gt;\n");
	free(s);
}
END_TEST

/*
 * XML 1.0 Char excludes U+FFFE and U+FFFF even though they are valid UTF-8;
 * letting them through makes the whole report not well-formed.
 */
START_TEST(buf_xml_replaces_noncharacters_fffe_ffff)
{
	const char in[] = "a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c\xEF\xBF\xBD" "d\xEE\x80\x80";
	char *s = xml_of(in, sizeof in - 1);
	ck_assert_str_eq(s, "a" FFFD "b" FFFD "c" FFFD "d\xEE\x80\x80");
	free(s);
}
END_TEST

/* Every byte value: no markup character and no XML-forbidden character survives. */
START_TEST(buf_markup_every_byte)
{
	for (int c = 0; c < 256; c++) {
		char in[1] = { (char)c };
		char *h = html_of(in, 1);
		char *x = xml_of(in, 1);
		const char *outs[2] = { h, x };
		for (int k = 0; k < 2; k++) {
			const char *s = outs[k];
			ck_assert_msg(valid_utf8(s, strlen(s)), "byte 0x%02X", c);
			ck_assert_msg(strpbrk(s, "<>\"'") == NULL, "byte 0x%02X -> %s", c, s);
			ck_assert_msg(strchr("&<>\"'", c) != NULL || c == 0 || strchr(s, '&') == NULL,
			              "byte 0x%02X -> %s", c, s);
			for (const char *p = s; *p; p++) {
				unsigned char u = (unsigned char)*p;
				ck_assert_msg(u >= 0x20 || u == '\n' || u == '\t' || u == '\r',
				              "byte 0x%02X -> control 0x%02X", c, u);
				ck_assert_msg(u != 0x7F, "byte 0x7F kept");
			}
		}
		if (c == 0 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c >= 0x7F) {
			ck_assert_str_eq(h, FFFD);
			ck_assert_str_eq(x, FFFD);
		}
		free(h);
		free(x);
	}
}
END_TEST

START_TEST(buf_markup_invalid_sequences)
{
	const char *bad[] = { "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\xE2\x82" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char in[16];
		int n = snprintf(in, sizeof in, "[%s]", bad[i]);
		char *h = html_of(in, (size_t)n);
		char *x = xml_of(in, (size_t)n);
		ck_assert(valid_utf8(h, strlen(h)) && valid_utf8(x, strlen(x)));
		ck_assert_uint_ge(count_of(h, FFFD), 1);
		ck_assert_uint_ge(count_of(x, FFFD), 1);
		ck_assert(h[0] == '[' && h[strlen(h) - 1] == ']');
		free(h);
		free(x);
	}
}
END_TEST

Suite *emh_suite_buf(void);
Suite *emh_suite_buf(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("append");
	tcase_add_test(tc, buf_empty_is_empty_string);
	tcase_add_test(tc, buf_append_puts_putc_appendf);
	tcase_add_test(tc, buf_append_embedded_nul_counts_bytes);
	tcase_add_test(tc, buf_grows_and_keeps_content);
	tcase_add_test(tc, buf_appendf_large_after_small);
	tcase_add_test(tc, buf_clear_keeps_memory_and_resets_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("cap");
	tcase_add_test(tc, buf_cap_exactly_reached_is_ok);
	tcase_add_test(tc, buf_cap_exceeded_is_elimit_and_sticky);
	tcase_add_test(tc, buf_cap_exceeded_by_appendf);
	tcase_add_test(tc, buf_cap_bounds_escaped_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("detach");
	tcase_add_test(tc, buf_detach_hands_over_bytes);
	tcase_add_test(tc, buf_detach_empty_gives_empty_string);
	tcase_add_test(tc, buf_detach_after_error_is_null_and_frees);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, buf_json_escapes_specials);
	tcase_add_test(tc, buf_json_escapes_control_chars);
	tcase_add_test(tc, buf_json_keeps_valid_utf8);
	tcase_add_test(tc, buf_json_invalid_utf8_becomes_fffd);
	tcase_add_test(tc, buf_json_rejects_overlong_surrogate_and_too_big);
	tcase_add_test(tc, buf_json_every_byte_round_trips);
	tcase_add_test(tc, buf_json_random_bytes_stay_valid);
	suite_add_tcase(s, tc);

	tc = tcase_create("markup");
	tcase_add_test(tc, buf_html_escapes_markup);
	tcase_add_test(tc, buf_html_controls_and_invalid_utf8);
	tcase_add_test(tc, buf_xml_escapes_markup_and_controls);
	tcase_add_test(tc, buf_xml_replaces_noncharacters_fffe_ffff);
	tcase_add_test(tc, buf_markup_every_byte);
	tcase_add_test(tc, buf_markup_invalid_sequences);
	suite_add_tcase(s, tc);
	return s;
}
