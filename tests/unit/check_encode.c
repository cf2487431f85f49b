/*
 * check_encode.c - the encoders of evaluator/encode.c, one per output
 * language, and the renderers' entry points into them (the public buffer
 * escapers used by JUnit, the gate's Markdown and terminal text), fed hostile
 * text: a bidi override (U+202E), a C1 control (U+0085), NUL, invalid UTF-8,
 * a lone surrogate in CESU-8 bytes, "]]>", "--" and quotes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/encode.h"
#include "reports/gate/gate_render.h"

#define FFFD "\xEF\xBF\xBD"
#define RLO "\xE2\x80\xAE"      /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define NEL "\xC2\x85"          /* U+0085 NEXT LINE, a C1 control */
#define SURROGATE "\xED\xA0\x80" /* U+D800 as CESU-8 writes it */

/* Hostile text without NUL, for the encoders that take C strings. */
static const char hostile[] = "a" RLO "b" NEL "c\xFF" "d" SURROGATE "e]]>f--g\"h'i\xC0\xAFj";

static char *take(emh_buf *b)
{
	ck_assert(emh_buf_ok(b));
	char *s = emh_buf_detach(b, NULL);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* None of the bytes of U+202E, U+0085, U+D800 or an invalid lead survives. */
static void assert_clean(const char *s)
{
	ck_assert_ptr_null(strstr(s, RLO));
	ck_assert_ptr_null(strstr(s, NEL));
	ck_assert_ptr_null(strstr(s, "\xED\xA0"));
	ck_assert_ptr_null(strchr(s, '\xFF'));
	ck_assert_ptr_null(strchr(s, '\xC0'));
}

START_TEST(encode_markup_hostile)
{
	emh_buf b = EMH_BUF_INIT;
	const char in[] = "x\0y" RLO NEL "]]>--\"'" SURROGATE "\xFF";
	emh_encode_markup(&b, in, sizeof in - 1);
	char *s = take(&b);
	ck_assert_str_eq(s, "x" FFFD "y" FFFD FFFD "]]&gt;--&quot;&#39;" FFFD FFFD FFFD FFFD);
	free(s);
}
END_TEST

/* JUnit of lint and test write through the public escaper: the same policy as the reports. */
START_TEST(encode_xml_escaper_replaces_bidi_and_c1)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_append_xml_escaped(&b, hostile, strlen(hostile));
	char *s = take(&b);
	assert_clean(s);
	ck_assert_str_eq(s, "a" FFFD "b" FFFD "c" FFFD "d" FFFD FFFD FFFD "e]]&gt;f--g&quot;h&#39;i" FFFD FFFD "j");
	free(s);
	emh_buf_append_html_escaped(&b, "\xEF\xBF\xBE\xEF\xB7\x90", 6); /* U+FFFE, U+FDD0 */
	s = take(&b);
	ck_assert_str_eq(s, FFFD FFFD);
	free(s);
}
END_TEST

START_TEST(encode_markdown_hostile)
{
	emh_buf b = EMH_BUF_INIT;
	emh_encode_markdown(&b, hostile, EMH_MD_INLINE);
	char *s = take(&b);
	assert_clean(s);
	ck_assert_str_eq(s, "a" FFFD "b c" FFFD "d" FFFD FFFD FFFD "e\\]\\]&gt;f--g\"h'i" FFFD FFFD "j");
	free(s);
	emh_encode_markdown(&b, "@x [l](u) *", EMH_MD_INLINE);
	s = take(&b);
	ck_assert_str_eq(s, "@\xE2\x80\x8Bx \\[l\\](u) \\*");
	free(s);
	emh_encode_markdown(&b, NULL, EMH_MD_INLINE);
	ck_assert_str_eq(emh_buf_cstr(&b), "");
	emh_buf_dispose(&b);
}
END_TEST

/* The gate's Markdown used to let bidi controls and noncharacters through. */
START_TEST(encode_gate_markdown_hostile)
{
	emh_buf b = EMH_BUF_INIT;
	emh_gate__md(&b, hostile);
	char *s = take(&b);
	assert_clean(s);
	ck_assert_str_eq(s, "a" FFFD "b c" FFFD "d" FFFD FFFD FFFD "e\\]\\]&gt;f\\-\\-g\\\"h\\'i" FFFD FFFD "j");
	free(s);
	emh_gate__md(&b, "@x: #1.");
	s = take(&b);
	ck_assert_str_eq(s, "\\@x\\: \\#1\\.");
	free(s);
}
END_TEST

/* Terminal text: the gate's used to pass escape bytes, C1, bidi and invalid UTF-8 through. */
START_TEST(encode_plain_hostile)
{
	emh_buf b = EMH_BUF_INIT;
	emh_encode_plain(&b, hostile);
	char *s = take(&b);
	assert_clean(s);
	ck_assert_str_eq(s, "a" FFFD "b c" FFFD "d" FFFD FFFD FFFD "e]]>f--g\"h'i" FFFD FFFD "j");
	free(s);
	emh_gate__plain(&b, "\x1b[31mred\t" "\xC2\x9B" "2J" RLO);
	s = take(&b);
	ck_assert_str_eq(s, " [31mred  2J" FFFD);
	free(s);
}
END_TEST

/* CSS strings (the print header of the HTML report): nothing ends the string, the rule or the style element. */
START_TEST(encode_css_string_hostile)
{
	emh_buf b = EMH_BUF_INIT;
	emh_encode_css_string(&b, "A\"b\\c'd</style>\n\re" RLO "f\xE2\x80\xA8g\xC3\xA9;{}\xFFh 1.2");
	char *s = take(&b);
	ck_assert_str_eq(s, "A\\000022b\\00005Cc\\000027d\\00003C/style\\00003E  e" FFFD "f g\\0000E9\\00003B\\00007B"
	                    "\\00007D" FFFD "h 1.2");
	free(s);
	emh_encode_css_string(&b, NULL);
	s = take(&b);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(encode_pct_modes)
{
	emh_buf b = EMH_BUF_INIT;
	emh_encode_pct(&b, ".hidden/a b~c" RLO, EMH_PCT_NAME);
	char *s = take(&b);
	ck_assert_str_eq(s, "%2Ehidden%2Fa%20b%7Ec%E2%80%AE");
	free(s);
	emh_encode_pct(&b, ".hidden/a b~c?x#y", EMH_PCT_PATH);
	s = take(&b);
	ck_assert_str_eq(s, ".hidden/a%20b~c%3Fx%23y");
	free(s);
	emh_encode_pct(&b, "1.0", EMH_PCT_NAME);
	s = take(&b);
	ck_assert_str_eq(s, "1.0");
	free(s);
}
END_TEST

START_TEST(encode_unwanted_ranges)
{
	unsigned long yes[] = { 0x80, 0x85, 0x9F, 0x202A, 0x202E, 0x2066, 0x2069, 0xFDD0, 0xFFFE, 0x1FFFF };
	unsigned long no[] = { 0x7E, 0xA0, 0x2029, 0x202F, 0x2065, 0x206A, 0xFFFD, 0x10000 };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		ck_assert_msg(emh_encode_unwanted(yes[i]), "U+%04lX", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		ck_assert_msg(!emh_encode_unwanted(no[i]), "U+%04lX", no[i]);
}
END_TEST

Suite *emh_suite_encode(void);
Suite *emh_suite_encode(void)
{
	Suite *s = suite_create("encode");
	TCase *tc = tcase_create("encoders");
	tcase_add_test(tc, encode_markup_hostile);
	tcase_add_test(tc, encode_xml_escaper_replaces_bidi_and_c1);
	tcase_add_test(tc, encode_markdown_hostile);
	tcase_add_test(tc, encode_gate_markdown_hostile);
	tcase_add_test(tc, encode_plain_hostile);
	tcase_add_test(tc, encode_css_string_hostile);
	tcase_add_test(tc, encode_pct_modes);
	tcase_add_test(tc, encode_unwanted_ranges);
	suite_add_tcase(s, tc);
	return s;
}
