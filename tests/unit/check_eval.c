/*
 * check_eval.c - unit tests for evaluator/eval.c, evaluating one compiled
 * expression against a submission, on small criteria sets compiled in memory.
 *
 * Every operator of docs/criteria-format.md is driven to its edges: the
 * strictness of eq/ne/in, numeric and length comparisons on the wrong type
 * (error, never a pass), code points rather than bytes, regex flags on UTF-8
 * text, date windows exactly on their boundary, quantifiers over empty
 * arrays and non-arrays, and how and/or/not and the quantifiers combine
 * error and needs_review; evidence tests on a submission without files, and
 * language detection only for a text test. Then what the findings say about
 * a failure (pointer, with array indexes; expected; found; line and column
 * in submission.json). What a criterion's outcome is (applies_when, requires,
 * manual) is in check_evaluate.c, the verdict and the scores in
 * check_verdict.c.
 *
 * For readability the JSON in this file is written with single quotes, which
 * dq() turns into double quotes; no test text needs a literal apostrophe.
 * Expected values come from the spec, worked out by hand where they are
 * numbers (day counts, scores) - never copied from a run.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/language.h"
#define EMH_TEST_EVAL_FIXTURES
#include "helpers.h"

/* ---- helpers --------------------------------------------------------------------- */

/* The outcome of one criterion with this check (and extra members) on sub. */
static emh_outcome outcome_with(const char *check, const char *extra, const char *sub, const char *as_of)
{
	char members[4096];
	snprintf(members, sizeof members, "'check': %s%s%s", check, extra ? ", " : "", extra ? extra : "");
	spec sp = { "T-1", "minor", members, NULL };
	emh_criteria *c = build(fw_default, &sp, 1, 0);
	emh_dossier *d = run_opts(c, sub, as_of, 1);
	emh_outcome o = d->results[0].outcome;
	emh_dossier_free(d);
	emh_criteria_free(c);
	return o;
}

static void expect_at(int line, const char *check, const char *sub, const char *as_of, emh_outcome want)
{
	emh_outcome got = outcome_with(check, NULL, sub, as_of);
	ck_assert_msg(got == want, "line %d: %s gave %s, expected %s", line, check,
	              emh_outcome_name(got), emh_outcome_name(want));
}

/* On the shared submission S. */
#define EXPECT(check, want) expect_at(__LINE__, check, S, NULL, EMH_OUTCOME_##want)
/* On a given submission, optionally with an as_of option. */
#define EXPECT_ON(sub, as_of, check, want) expect_at(__LINE__, check, sub, as_of, EMH_OUTCOME_##want)

/* 1-based line and byte column where needle first occurs in text (single-quoted allowed). */
static void pos_of(const char *text, const char *needle, unsigned *line, unsigned *col)
{
	char *t = dq(text), *n = dq(needle);
	const char *at = strstr(t, n);
	ck_assert_msg(at != NULL, "marker %s not in the text", needle);
	unsigned l = 1, c = 1;
	for (const char *p = t; p < at; p++) {
		if (*p == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
	free(t);
	free(n);
}

/* The shared submission for operator tests. */
static const char S[] =
	"{'submission_date': '2024-03-01',\n"
	" 'int': 3, 'half': 1.5, 'one': 1, 'neg': -7, 'str1': '1', 't': true, 'f': false, 'nul': null,\n"
	" 's': 'h\xC3\xA9llo', 'emoji': '\xF0\x9F\x98\x80', 'esc': '\\u00e9\\u20ac\\ud83d\\ude00',\n"
	" 'u': '\xC3\xBC', 'U': '\xC3\x9C', 'up': 'ABC', 'ml': 'a\\nb', 'spaced': 'abc', 'digit': '\xD9\xA3',\n"
	" 'arr': [1, 2, 3], 'empty': [], 'obj': {'a': {'b': 1}}, 'eobj': {},\n"
	" 'leap': '2024-02-29', 'notleap': '2023-02-29', 'later': '2024-06-01', 'century': '2100-02-29',\n"
	" 'y2k': '2000-02-29', 'short': '2024-2-29', 'stamp': '2024-02-29T00:00:00Z', 'numdate': 20240229,\n"
	" 'unk': {'$unknown': 'not measured yet'},\n"
	" 'a/b': 1, 'm~n': 2}\n";

/* ---- exists / absent ------------------------------------------------------------- */

START_TEST(eval_exists)
{
	EXPECT("{'path': '/nul', 'exists': true}", PASS); /* null is present */
	EXPECT("{'path': '/f', 'exists': true}", PASS);
	EXPECT("{'path': '/eobj', 'exists': true}", PASS);
	EXPECT("{'path': '', 'exists': true}", PASS);
	EXPECT("{'path': '/obj/a/b', 'exists': true}", PASS);
	EXPECT("{'path': '/arr/0', 'exists': true}", PASS);
	EXPECT("{'path': '/arr/2', 'exists': true}", PASS);
	EXPECT("{'path': '/a~1b', 'exists': true}", PASS);
	EXPECT("{'path': '/m~0n', 'exists': true}", PASS);
	EXPECT("{'path': '/missing', 'exists': true}", FAIL);
	EXPECT("{'path': '/obj/a/c', 'exists': true}", FAIL);
	EXPECT("{'path': '/arr/3', 'exists': true}", FAIL);
	EXPECT("{'path': '/arr/01', 'exists': true}", FAIL); /* not an index (leading zero) */
	EXPECT("{'path': '/arr/-', 'exists': true}", FAIL);
	EXPECT("{'path': '/eobj/', 'exists': true}", FAIL); /* member "" */
	/* Through something that is not an object or array: missing. */
	EXPECT("{'path': '/s/0', 'exists': true}", FAIL);
	EXPECT("{'path': '/one/x', 'exists': true}", FAIL);
	EXPECT("{'path': '/nul/x', 'exists': true}", FAIL);
	EXPECT("{'path': '/arr/x', 'exists': true}", FAIL);
	EXPECT("{'path': '/obj/a/b/c', 'exists': true}", FAIL);
}
END_TEST

START_TEST(eval_absent)
{
	EXPECT("{'path': '/missing', 'absent': true}", PASS);
	EXPECT("{'path': '/obj/a/c', 'absent': true}", PASS);
	EXPECT("{'path': '/arr/9', 'absent': true}", PASS);
	EXPECT("{'path': '/s/x', 'absent': true}", PASS); /* through a string */
	EXPECT("{'path': '/one/x', 'absent': true}", PASS);
	EXPECT("{'path': '/nul', 'absent': true}", FAIL);
	EXPECT("{'path': '/f', 'absent': true}", FAIL);
	EXPECT("{'path': '/empty', 'absent': true}", FAIL);
	EXPECT("{'not': {'path': '/missing', 'absent': true}}", FAIL);
}
END_TEST

/* ---- type --------------------------------------------------------------------------- */

START_TEST(eval_type)
{
	static const struct { const char *path, *type; emh_outcome want; } cases[] = {
		{ "/s", "string", EMH_OUTCOME_PASS }, { "/str1", "string", EMH_OUTCOME_PASS },
		{ "/one", "string", EMH_OUTCOME_FAIL }, { "/nul", "string", EMH_OUTCOME_FAIL },
		{ "/one", "number", EMH_OUTCOME_PASS }, { "/half", "number", EMH_OUTCOME_PASS },
		{ "/neg", "number", EMH_OUTCOME_PASS }, { "/str1", "number", EMH_OUTCOME_FAIL },
		{ "/t", "number", EMH_OUTCOME_FAIL },
		{ "/int", "integer", EMH_OUTCOME_PASS }, { "/neg", "integer", EMH_OUTCOME_PASS },
		{ "/half", "integer", EMH_OUTCOME_FAIL }, { "/str1", "integer", EMH_OUTCOME_FAIL },
		{ "/t", "boolean", EMH_OUTCOME_PASS }, { "/f", "boolean", EMH_OUTCOME_PASS },
		{ "/one", "boolean", EMH_OUTCOME_FAIL }, { "/nul", "boolean", EMH_OUTCOME_FAIL },
		{ "/nul", "null", EMH_OUTCOME_PASS }, { "/eobj", "null", EMH_OUTCOME_FAIL },
		{ "/f", "null", EMH_OUTCOME_FAIL },
		{ "/arr", "array", EMH_OUTCOME_PASS }, { "/empty", "array", EMH_OUTCOME_PASS },
		{ "/obj", "array", EMH_OUTCOME_FAIL }, { "/s", "array", EMH_OUTCOME_FAIL },
		{ "/obj", "object", EMH_OUTCOME_PASS }, { "/eobj", "object", EMH_OUTCOME_PASS },
		{ "/arr", "object", EMH_OUTCOME_FAIL }, { "/nul", "object", EMH_OUTCOME_FAIL },
		{ "/leap", "date", EMH_OUTCOME_PASS },     /* 2024-02-29: 2024 is a leap year */
		{ "/y2k", "date", EMH_OUTCOME_PASS },      /* 2000-02-29: divisible by 400 */
		{ "/notleap", "date", EMH_OUTCOME_FAIL },  /* 2023-02-29 does not exist */
		{ "/century", "date", EMH_OUTCOME_FAIL },  /* 2100-02-29: divisible by 100 only */
		{ "/short", "date", EMH_OUTCOME_FAIL },    /* 2024-2-29 is not YYYY-MM-DD */
		{ "/stamp", "date", EMH_OUTCOME_FAIL },    /* a timestamp is not a date */
		{ "/numdate", "date", EMH_OUTCOME_FAIL },  /* a number is not a date */
		{ "/s", "date", EMH_OUTCOME_FAIL },
		{ "/missing", "string", EMH_OUTCOME_FAIL }, { "/missing", "null", EMH_OUTCOME_FAIL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char check[256];
		snprintf(check, sizeof check, "{'path': '%s', 'type': '%s'}", cases[i].path, cases[i].type);
		expect_at(__LINE__, check, S, NULL, cases[i].want);
	}
	/* 1.5 is a number but not an integer; a document's only value can be the tested one. */
	EXPECT_ON("{'x': 1.5}", NULL, "{'path': '/x', 'type': 'integer'}", FAIL);
	EXPECT_ON("{'x': -0.5}", NULL, "{'path': '/x', 'type': 'integer'}", FAIL);
	EXPECT_ON("{'x': 120}", NULL, "{'path': '/x', 'type': 'integer'}", PASS);
	EXPECT_ON("{'x': '2023-12-31'}", NULL, "{'path': '/x', 'type': 'date'}", PASS);
	EXPECT_ON("{'x': '2023-04-31'}", NULL, "{'path': '/x', 'type': 'date'}", FAIL);
	EXPECT_ON("{'x': '2023-00-10'}", NULL, "{'path': '/x', 'type': 'date'}", FAIL);
	EXPECT_ON("{'x': '2023-01-00'}", NULL, "{'path': '/x', 'type': 'date'}", FAIL);
	EXPECT_ON("{'x': ' 2023-01-01'}", NULL, "{'path': '/x', 'type': 'date'}", FAIL);
}
END_TEST

/* ---- eq / ne / in ---------------------------------------------------------------------- */

START_TEST(eval_eq_ne_in_strict)
{
	EXPECT("{'path': '/one', 'eq': 1}", PASS);
	EXPECT("{'path': '/one', 'eq': 1.0}", PASS); /* the same number */
	EXPECT("{'path': '/one', 'eq': '1'}", FAIL); /* no coercion */
	EXPECT("{'path': '/str1', 'eq': 1}", FAIL);
	EXPECT("{'path': '/str1', 'eq': '1'}", PASS);
	EXPECT("{'path': '/t', 'eq': true}", PASS);
	EXPECT("{'path': '/t', 'eq': 1}", FAIL);
	EXPECT("{'path': '/one', 'eq': true}", FAIL);
	EXPECT("{'path': '/t', 'eq': false}", FAIL);
	EXPECT("{'path': '/f', 'eq': false}", PASS);
	EXPECT("{'path': '/f', 'eq': null}", FAIL);
	EXPECT("{'path': '/nul', 'eq': null}", PASS);
	EXPECT("{'path': '/nul', 'eq': false}", FAIL);
	EXPECT("{'path': '/missing', 'eq': null}", FAIL); /* missing is not null */
	EXPECT("{'path': '/s', 'eq': 'h\xC3\xA9llo'}", PASS);
	EXPECT("{'path': '/s', 'eq': 'H\xC3\xA9llo'}", FAIL); /* no case folding */
	EXPECT("{'path': '/s', 'eq': 'h\\u00e9llo'}", PASS);  /* escapes are the same text */
	EXPECT("{'path': '/arr', 'eq': [1, 2, 3]}", PASS);
	EXPECT("{'path': '/arr', 'eq': [3, 2, 1]}", FAIL);
	EXPECT("{'path': '/arr', 'eq': [1, 2]}", FAIL);
	EXPECT("{'path': '/arr', 'eq': 1}", FAIL);
	EXPECT("{'path': '/obj', 'eq': {'a': {'b': 1}}}", PASS);
	EXPECT("{'path': '/obj', 'eq': {'a': {'b': '1'}}}", FAIL);
	EXPECT("{'path': '/obj', 'eq': {'a': {'b': 1, 'c': 2}}}", FAIL);
	EXPECT("{'path': '/eobj', 'eq': {}}", PASS);
	EXPECT("{'path': '/empty', 'eq': {}}", FAIL);

	EXPECT("{'path': '/one', 'ne': '1'}", PASS); /* another type: ne holds */
	EXPECT("{'path': '/t', 'ne': 1}", PASS);
	EXPECT("{'path': '/one', 'ne': 1}", FAIL);
	EXPECT("{'path': '/nul', 'ne': null}", FAIL);
	EXPECT("{'path': '/nul', 'ne': false}", PASS);
	EXPECT("{'path': '/missing', 'ne': 1}", FAIL); /* a missing value fails every predicate */

	EXPECT("{'path': '/one', 'in': [1, 2]}", PASS);
	EXPECT("{'path': '/one', 'in': ['1', true]}", FAIL);
	EXPECT("{'path': '/str1', 'in': [1, 2]}", FAIL);
	EXPECT("{'path': '/t', 'in': [1, 'true']}", FAIL);
	EXPECT("{'path': '/t', 'in': [false, true]}", PASS);
	EXPECT("{'path': '/nul', 'in': [0, null]}", PASS);
	EXPECT("{'path': '/missing', 'in': [null]}", FAIL);
	EXPECT("{'path': '/arr', 'in': [[1, 2, 3]]}", PASS);
	EXPECT("{'path': '/up', 'in': ['abc']}", FAIL);
	/* eq before in: both must hold. */
	EXPECT("{'path': '/one', 'eq': 1, 'in': [2, 3]}", FAIL);
	EXPECT("{'path': '/one', 'ne': 2, 'in': [1, 3]}", PASS);
}
END_TEST

/* ---- numeric comparisons ------------------------------------------------------------------ */

START_TEST(eval_numeric)
{
	EXPECT("{'path': '/one', 'lt': 2}", PASS);
	EXPECT("{'path': '/one', 'lt': 1}", FAIL);
	EXPECT("{'path': '/one', 'le': 1}", PASS);
	EXPECT("{'path': '/one', 'le': 0.5}", FAIL);
	EXPECT("{'path': '/one', 'gt': 0}", PASS);
	EXPECT("{'path': '/one', 'gt': 1}", FAIL);
	EXPECT("{'path': '/one', 'ge': 1}", PASS);
	EXPECT("{'path': '/one', 'ge': 1.0001}", FAIL);
	EXPECT("{'path': '/half', 'ge': 1.5, 'le': 1.5}", PASS);
	EXPECT("{'path': '/neg', 'lt': 0, 'gt': -8}", PASS);
	EXPECT("{'path': '/int', 'ge': 1, 'le': 2}", FAIL);
	EXPECT("{'path': '/int', 'ge': 4, 'le': 120}", FAIL);
	/* On another type: error, never pass and never a plain fail. */
	EXPECT("{'path': '/str1', 'gt': 0}", ERROR);
	EXPECT("{'path': '/str1', 'lt': 100}", ERROR);
	EXPECT("{'path': '/str1', 'le': 1}", ERROR);
	EXPECT("{'path': '/str1', 'ge': 1}", ERROR);
	EXPECT("{'path': '/t', 'ge': 0}", ERROR);
	EXPECT("{'path': '/nul', 'le': 0}", ERROR);
	EXPECT("{'path': '/arr', 'lt': 10}", ERROR);
	EXPECT("{'path': '/obj', 'gt': 0}", ERROR);
	/* Negating an error keeps it an error. */
	EXPECT("{'not': {'path': '/str1', 'gt': 0}}", ERROR);
	/* A missing value fails. */
	EXPECT("{'path': '/missing', 'gt': 0}", FAIL);
	/* The type predicate comes first and decides. */
	EXPECT("{'path': '/str1', 'type': 'number', 'gt': 0}", FAIL);
	EXPECT("{'path': '/str1', 'eq': 2, 'gt': 0}", FAIL);
}
END_TEST

/* ---- computed operands of lt/le/gt/ge -------------------------------------------------------- */

/* A model's validation figures (example 17's) and ones that cannot be right. */
static const char B[] = "{'se': 0.58, 'sp': 0.86, 'p': 0.025, 'ppv': 0.096, 'npv': 0.988, 'ci': [0.085, 0.108],"
                        " 'zero': 0, 'str': 'x', 'unk': {'$unknown': 'next audit'}, 'big': 1e308}";
#define EXPECT_B(check, want) expect_at(__LINE__, check, B, NULL, EMH_OUTCOME_##want)
/* Bayes: PPV = se*p / (se*p + (1-sp)*(1-p)) = 0.0145 / 0.151 = 0.09603 (worked out by hand). */
#define PPV "{'div': [{'mul': ['/se', '/p']}, {'add': [{'mul': ['/se', '/p']}, {'mul': [{'sub': [1, '/sp']}, {'sub': [1, '/p']}]}]}]}"

START_TEST(eval_computed_operands)
{
	EXPECT_B("{'path': '/ppv', 'ge': '/ci/0', 'le': '/ci/1'}", PASS);
	EXPECT_B("{'path': '/npv', 'ge': '/ci/0'}", PASS);
	EXPECT_B("{'path': '/ppv', 'gt': '/ci/1'}", FAIL);
	EXPECT_B("{'path': '/ppv', 'ge': {'sub': [" PPV ", 0.01]}, 'le': {'add': [" PPV ", 0.01]}}", PASS);
	/* Within 0.0001 it is still 0.096 against 0.09603; within 0.00001 it is not. */
	EXPECT_B("{'path': '/ppv', 'ge': {'sub': [" PPV ", 0.0001]}, 'le': {'add': [" PPV ", 0.0001]}}", PASS);
	EXPECT_B("{'path': '/ppv', 'ge': {'sub': [" PPV ", 0.00001]}}", FAIL);
	/* An inflated PPV (0.3) is far above what se, sp and p give. */
	EXPECT_ON("{'se': 0.58, 'sp': 0.86, 'p': 0.025, 'ppv': 0.3}", NULL,
	          "{'path': '/ppv', 'le': {'add': [" PPV ", 0.01]}}", FAIL);
	/* add and mul take many operands; sub and div two, left to right. */
	EXPECT_B("{'path': '/p', 'eq': 0.025, 'le': {'add': [0.005, 0.01, 0.01]}}", PASS);
	EXPECT_B("{'path': '/se', 'lt': {'mul': [2, 0.5, 0.58]}}", FAIL);
	EXPECT_B("{'path': '/se', 'le': {'mul': [2, 0.5, 0.58]}}", PASS);
	EXPECT_B("{'path': '/zero', 'lt': {'sub': [1, 0.5]}, 'gt': {'div': [-1, 2]}}", PASS);
	/* An operand that is missing fails; declared unknown goes to review; not a number, or no finite value: error. */
	EXPECT_B("{'path': '/ppv', 'le': '/missing'}", FAIL);
	EXPECT_B("{'path': '/ppv', 'le': {'add': ['/missing', 1]}}", FAIL);
	EXPECT_B("{'path': '/ppv', 'le': '/unk'}", NEEDS_REVIEW);
	EXPECT_B("{'path': '/ppv', 'le': '/str'}", ERROR);
	EXPECT_B("{'path': '/ppv', 'le': {'div': [1, '/zero']}}", ERROR);
	EXPECT_B("{'path': '/ppv', 'le': {'mul': ['/big', 10]}}", ERROR);
	/* Negation keeps an operand's error and review. */
	EXPECT_B("{'not': {'path': '/ppv', 'le': {'div': [1, '/zero']}}}", ERROR);
	EXPECT_B("{'not': {'path': '/ppv', 'le': '/unk'}}", NEEDS_REVIEW);
	/* The value itself is checked first: a string value errs before any operand is read. */
	EXPECT_B("{'path': '/str', 'le': '/missing'}", ERROR);
}
END_TEST

/* ---- lengths -------------------------------------------------------------------------------- */

START_TEST(eval_lengths)
{
	/* "héllo" is 6 bytes but 5 code points. */
	EXPECT("{'path': '/s', 'max_length': 5}", PASS);
	EXPECT("{'path': '/s', 'min_length': 5}", PASS);
	EXPECT("{'path': '/s', 'min_length': 6}", FAIL);
	EXPECT("{'path': '/s', 'max_length': 4}", FAIL);
	/* One 4-byte code point. */
	EXPECT("{'path': '/emoji', 'min_length': 1, 'max_length': 1}", PASS);
	/* Escapes count as what they stand for: é, €, and one surrogate pair = 3. */
	EXPECT("{'path': '/esc', 'min_length': 3, 'max_length': 3}", PASS);
	EXPECT("{'path': '/esc', 'max_length': 2}", FAIL);
	EXPECT_ON("{'x': ''}", NULL, "{'path': '/x', 'max_length': 0}", PASS);
	EXPECT_ON("{'x': ''}", NULL, "{'path': '/x', 'min_length': 1}", FAIL);
	/* Arrays: elements. */
	EXPECT("{'path': '/arr', 'min_length': 3, 'max_length': 3}", PASS);
	EXPECT("{'path': '/arr', 'max_length': 2}", FAIL);
	EXPECT("{'path': '/arr', 'min_length': 4}", FAIL);
	EXPECT("{'path': '/empty', 'max_length': 0}", PASS);
	EXPECT("{'path': '/empty', 'min_length': 1}", FAIL);
	/* Other types: error. */
	EXPECT("{'path': '/one', 'min_length': 1}", ERROR);
	EXPECT("{'path': '/obj', 'max_length': 9}", ERROR);
	EXPECT("{'path': '/nul', 'max_length': 9}", ERROR);
	EXPECT("{'path': '/t', 'min_length': 0}", ERROR);
	EXPECT("{'path': '/missing', 'min_length': 0}", FAIL);
}
END_TEST

/* ---- regular expressions -------------------------------------------------------------------- */

START_TEST(eval_matches)
{
	/* UTF-8: "ü" is one character for "." */
	EXPECT("{'path': '/u', 'matches': '^.$'}", PASS);
	EXPECT("{'path': '/u', 'matches': '^..$'}", FAIL);
	EXPECT("{'path': '/s', 'matches': '^h.llo$'}", PASS);
	EXPECT("{'path': '/emoji', 'matches': '^.$'}", PASS);
	/* Anywhere in the string. */
	EXPECT("{'path': '/s', 'matches': 'll'}", PASS);
	EXPECT("{'path': '/s', 'matches': 'xyz'}", FAIL);
	/* i: caseless, also beyond ASCII. */
	EXPECT("{'path': '/up', 'matches': '^abc$'}", FAIL);
	EXPECT("{'path': '/up', 'matches': '^abc$', 'flags': 'i'}", PASS);
	EXPECT("{'path': '/U', 'matches': '\xC3\xBC', 'flags': 'i'}", PASS);
	EXPECT("{'path': '/U', 'matches': '\xC3\xBC'}", FAIL);
	/* m: ^ and $ at line breaks. */
	EXPECT("{'path': '/ml', 'matches': '^b$'}", FAIL);
	EXPECT("{'path': '/ml', 'matches': '^b$', 'flags': 'm'}", PASS);
	/* s: dot matches a newline. */
	EXPECT("{'path': '/ml', 'matches': 'a.b'}", FAIL);
	EXPECT("{'path': '/ml', 'matches': 'a.b', 'flags': 's'}", PASS);
	/* x: whitespace in the pattern is ignored. */
	EXPECT("{'path': '/spaced', 'matches': '^a b c$'}", FAIL);
	EXPECT("{'path': '/spaced', 'matches': '^a b c$', 'flags': 'x'}", PASS);
	/* u: Unicode properties for \\w and \\d. */
	EXPECT("{'path': '/s', 'matches': '^\\\\w+$'}", FAIL);
	EXPECT("{'path': '/s', 'matches': '^\\\\w+$', 'flags': 'u'}", PASS);
	EXPECT("{'path': '/digit', 'matches': '^\\\\d$'}", FAIL);
	EXPECT("{'path': '/digit', 'matches': '^\\\\d$', 'flags': 'u'}", PASS);
	/* Several flags at once. */
	EXPECT("{'path': '/ml', 'matches': '^B$', 'flags': 'mi'}", PASS);
	/* not_matches. */
	EXPECT("{'path': '/s', 'not_matches': 'xyz'}", PASS);
	EXPECT("{'path': '/s', 'not_matches': 'll'}", FAIL);
	EXPECT("{'path': '/up', 'not_matches': 'abc', 'flags': 'i'}", FAIL);
	EXPECT("{'path': '/s', 'matches': '^h', 'not_matches': 'o$'}", FAIL);
	EXPECT("{'path': '/s', 'matches': '^h', 'not_matches': 'z'}", PASS);
	/* Other types: error; missing: fail. */
	EXPECT("{'path': '/one', 'matches': '1'}", ERROR);
	EXPECT("{'path': '/arr', 'not_matches': 'x'}", ERROR);
	EXPECT("{'path': '/nul', 'matches': 'null'}", ERROR);
	EXPECT("{'path': '/missing', 'matches': ''}", FAIL);
	EXPECT("{'path': '/missing', 'not_matches': 'x'}", FAIL);
}
END_TEST

/* ---- dates --------------------------------------------------------------------------------- */

START_TEST(eval_before_after)
{
	EXPECT("{'path': '/leap', 'before': '2024-03-01'}", PASS);
	EXPECT("{'path': '/leap', 'before': '2024-02-29'}", FAIL); /* strictly before */
	EXPECT("{'path': '/leap', 'after': '2024-02-28'}", PASS);
	EXPECT("{'path': '/leap', 'after': '2024-02-29'}", FAIL);  /* strictly after */
	EXPECT("{'path': '/leap', 'after': '2023-02-28', 'before': '2025-01-01'}", PASS);
	/* Against @as_of, the submission_date 2024-03-01. */
	EXPECT("{'path': '/leap', 'before': '@as_of'}", PASS);
	EXPECT("{'path': '/leap', 'after': '@as_of'}", FAIL);
	EXPECT("{'path': '/submission_date', 'before': '@as_of'}", FAIL);
	/* Against a pointer into the submission. */
	EXPECT("{'path': '/leap', 'before': '/later'}", PASS);
	EXPECT("{'path': '/leap', 'after': '/later'}", FAIL);
	EXPECT("{'path': '/later', 'after': '/leap'}", PASS);
	EXPECT("{'path': '/leap', 'before': '/s'}", ERROR);        /* anchor is not a date */
	EXPECT("{'path': '/leap', 'before': '/notleap'}", ERROR);  /* anchor is no real date */
	EXPECT("{'path': '/leap', 'after': '/missing'}", ERROR);   /* no anchor */
	/* The value must be a date. */
	EXPECT("{'path': '/s', 'before': '2030-01-01'}", ERROR);
	EXPECT("{'path': '/notleap', 'before': '2030-01-01'}", ERROR);
	EXPECT("{'path': '/stamp', 'before': '2030-01-01'}", ERROR);
	EXPECT("{'path': '/numdate', 'after': '2000-01-01'}", ERROR);
	EXPECT("{'path': '/missing', 'before': '2030-01-01'}", FAIL);
	/* ... unless a type predicate says so first. */
	EXPECT("{'path': '/notleap', 'type': 'date', 'before': '2030-01-01'}", FAIL);
}
END_TEST

START_TEST(eval_within_days)
{
	/* 2022-12-31 to 2023-12-31 is 365 days (2023 is not a leap year). */
	static const char sub[] =
		"{'submission_date': '2023-12-31', 'd365': '2022-12-31', 'd366': '2022-12-30',"
		" 'today': '2023-12-31', 'future': '2024-01-01', 'yr': '2023-01-01', 'nodate': 'soon',"
		" 'review': '2023-01-30', 'badref': '2023-02-30'}";
	EXPECT_ON(sub, NULL, "{'path': '/d365', 'within_days': 365}", PASS);
	EXPECT_ON(sub, NULL, "{'path': '/d366', 'within_days': 365}", FAIL);
	EXPECT_ON(sub, NULL, "{'path': '/d366', 'within_days': 366}", PASS);
	EXPECT_ON(sub, NULL, "{'path': '/future', 'within_days': 365}", FAIL); /* anchor - date < 0 */
	EXPECT_ON(sub, NULL, "{'path': '/future', 'within_days': 100000}", FAIL);
	EXPECT_ON(sub, NULL, "{'path': '/today', 'within_days': 0}", PASS);
	EXPECT_ON(sub, NULL, "{'path': '/d365', 'within_days': 0}", FAIL);
	EXPECT_ON(sub, NULL, "{'path': '/d365', 'within_days': 365, 'of': '@as_of'}", PASS);
	/* "of": a literal, or a pointer. 2023-01-01 to 2023-01-30 is 29 days. */
	EXPECT_ON(sub, NULL, "{'path': '/yr', 'within_days': 29, 'of': '2023-01-30'}", PASS);
	EXPECT_ON(sub, NULL, "{'path': '/yr', 'within_days': 28, 'of': '2023-01-30'}", FAIL);
	EXPECT_ON(sub, NULL, "{'path': '/yr', 'within_days': 29, 'of': '/review'}", PASS);
	EXPECT_ON(sub, NULL, "{'path': '/yr', 'within_days': 28, 'of': '/review'}", FAIL);
	EXPECT_ON(sub, NULL, "{'path': '/yr', 'within_days': 29, 'of': '/badref'}", ERROR);
	EXPECT_ON(sub, NULL, "{'path': '/yr', 'within_days': 29, 'of': '/nothing'}", ERROR);
	/* The value must be a date. */
	EXPECT_ON(sub, NULL, "{'path': '/nodate', 'within_days': 29}", ERROR);
	EXPECT_ON(sub, NULL, "{'path': '/nothing', 'within_days': 29}", FAIL);
	/* Across a leap day: 2023-12-31 to 2024-12-31 is 366 days. */
	EXPECT_ON("{'submission_date': '2024-12-31', 'x': '2023-12-31'}", NULL,
	          "{'path': '/x', 'within_days': 365}", FAIL);
	EXPECT_ON("{'submission_date': '2024-12-31', 'x': '2023-12-31'}", NULL,
	          "{'path': '/x', 'within_days': 366}", PASS);
}
END_TEST

START_TEST(eval_as_of_sources)
{
	static const char sub[] = "{'submission_date': '2023-12-31', 'd365': '2022-12-31', 'future': '2024-01-01'}";
	/* The as_of option overrides submission_date: 2022-12-31 is now 366 days back... */
	EXPECT_ON(sub, "2024-01-01", "{'path': '/d365', 'within_days': 365}", FAIL);
	/* ...and 2024-01-01 is no longer in the future. */
	EXPECT_ON(sub, "2024-01-01", "{'path': '/future', 'within_days': 0}", PASS);
	EXPECT_ON(sub, "2024-01-01", "{'path': '/future', 'before': '@as_of'}", FAIL);
	EXPECT_ON(sub, "2024-01-02", "{'path': '/future', 'before': '@as_of'}", PASS);
	/* No submission_date and no option: no anchor, so error. */
	static const char nodate[] = "{'x': '2023-01-01'}";
	EXPECT_ON(nodate, NULL, "{'path': '/x', 'within_days': 365}", ERROR);
	EXPECT_ON(nodate, NULL, "{'path': '/x', 'before': '@as_of'}", ERROR);
	EXPECT_ON(nodate, NULL, "{'path': '/x', 'before': '2030-01-01'}", PASS); /* a literal needs none */
	EXPECT_ON(nodate, "2023-06-01", "{'path': '/x', 'within_days': 365}", PASS);
	/* A submission_date that is not a real date is no anchor either. */
	EXPECT_ON("{'submission_date': '2023-02-29', 'x': '2023-01-01'}", NULL,
	          "{'path': '/x', 'within_days': 365}", ERROR);
	EXPECT_ON("{'submission_date': 20230301, 'x': '2023-01-01'}", NULL,
	          "{'path': '/x', 'within_days': 365}", ERROR);

	/* The dossier records the evaluation date used. */
	spec sp = { "T-1", NULL, "'check': {'path': '/x', 'within_days': 365}", NULL };
	emh_criteria *c = build(fw_default, &sp, 1, 0);
	emh_dossier *d = run_opts(c, "{'submission_date': '2023-12-31', 'x': '2023-01-01'}", NULL, 1);
	ck_assert_str_eq(d->as_of, "2023-12-31");
	emh_dossier_free(d);
	d = run_opts(c, "{'submission_date': '2023-12-31', 'x': '2023-01-01'}", "2024-02-29", 1);
	ck_assert_str_eq(d->as_of, "2024-02-29");
	emh_dossier_free(d);
	d = run_opts(c, nodate, NULL, 1);
	ck_assert_ptr_null(d->as_of);
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_ERROR);
	ck_assert_ptr_nonnull(d->results[0].reason);
	ck_assert_ptr_nonnull(strstr(d->results[0].reason, "date"));
	emh_dossier_free(d);
	/* A malformed as_of option is the caller's error, not a result. */
	char *json = dq(nodate);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_buffer(&s, json, strlen(json), NULL, emh_test_unvalidated(), &err), &err);
	emh_eval_options o = EMH_EVAL_OPTIONS_INIT;
	o.as_of = "2024-02-30";
	emh_dossier sentinel;
	d = &sentinel; /* must be reset to NULL */
	ck_assert_int_eq(emh_evaluate(&d, c, s, &o, &err), EMH_EINVALID);
	ck_assert_ptr_null(d);
	ck_assert_ptr_nonnull(strstr(err.message, "2024-02-30"));
	emh_submission_free(s);
	free(json);
	emh_criteria_free(c);
}
END_TEST

/* ---- quantifiers -------------------------------------------------------------------------- */

static const char Q[] =
	"{'empty': [], 'obj': {'a': 1}, 's': 'text', 'nums': [1, 2, 1], 'mixed': [1, '1'],\n"
	" 'objs': [{'a': 1}, {'a': 1}],\n"
	" 'items': [{'k': 'a', 'v': 1, 'id': 1}, {'k': 'b', 'v': 5, 'id': 2}, {'k': 'a', 'v': 7, 'id': 3}],\n"
	" 'groups': [{'members': [{'role': 'lead'}, {'role': 'dev'}]}, {'members': [{'role': 'dev'}]}]}\n";

#define EXPECT_Q(check, want) expect_at(__LINE__, check, Q, NULL, EMH_OUTCOME_##want)

START_TEST(eval_quantifiers_empty_and_non_arrays)
{
	EXPECT_Q("{'path': '/empty', 'all': {'path': '', 'eq': 0}}", PASS); /* all of none holds */
	EXPECT_Q("{'path': '/empty', 'any': {'path': '', 'eq': 0}}", FAIL); /* any of none fails */
	EXPECT_Q("{'path': '/empty', 'none': {'path': '', 'eq': 0}}", PASS);
	EXPECT_Q("{'path': '/empty', 'min_count': 0, 'max_count': 0}", PASS);
	EXPECT_Q("{'path': '/empty', 'unique': ''}", PASS);
	/* Not an array: error. */
	EXPECT_Q("{'path': '/obj', 'all': {'path': '', 'eq': 0}}", ERROR);
	EXPECT_Q("{'path': '/obj', 'any': {'path': '', 'eq': 0}}", ERROR);
	EXPECT_Q("{'path': '/s', 'none': {'path': '', 'eq': 0}}", ERROR);
	EXPECT_Q("{'path': '/obj', 'min_count': 0}", ERROR);
	EXPECT_Q("{'path': '/s', 'max_count': 5}", ERROR);
	EXPECT_Q("{'path': '/obj', 'unique': '/a'}", ERROR);
	EXPECT_Q("{'path': '/obj', 'where': {'path': '', 'eq': 0}, 'min_count': 0}", ERROR);
	/* Missing: fail. */
	EXPECT_Q("{'path': '/missing', 'all': {'path': '', 'eq': 0}}", FAIL);
	EXPECT_Q("{'path': '/missing', 'none': {'path': '', 'eq': 0}}", FAIL);
	EXPECT_Q("{'path': '/missing', 'max_count': 5}", FAIL);
}
END_TEST

START_TEST(eval_quantifiers_all_any_none)
{
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'type': 'integer'}}", PASS);
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'lt': 5}}", FAIL);
	EXPECT_Q("{'path': '/items', 'any': {'path': '/v', 'gt': 6}}", PASS);
	EXPECT_Q("{'path': '/items', 'any': {'path': '/v', 'gt': 7}}", FAIL);
	EXPECT_Q("{'path': '/items', 'none': {'path': '/v', 'gt': 7}}", PASS);
	EXPECT_Q("{'path': '/items', 'none': {'path': '/k', 'eq': 'b'}}", FAIL);
	EXPECT_Q("{'path': '/nums', 'all': {'path': '', 'in': [1, 2]}}", PASS);
	/* Nested quantifiers: some member of every group is a lead? No: group 1 has none. */
	EXPECT_Q("{'path': '/groups', 'all': {'path': '/members', 'any': {'path': '/role', 'eq': 'lead'}}}", FAIL);
	EXPECT_Q("{'path': '/groups', 'any': {'path': '/members', 'any': {'path': '/role', 'eq': 'lead'}}}", PASS);
	EXPECT_Q("{'path': '/groups', 'all': {'path': '/members', 'any': {'path': '/role', 'eq': 'dev'}}}", PASS);
}
END_TEST

START_TEST(eval_quantifiers_where_counts)
{
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'all': {'path': '/v', 'lt': 10}}", PASS);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'all': {'path': '/v', 'lt': 5}}", FAIL);
	/* The b element (v 5) is filtered out. */
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'none': {'path': '/v', 'eq': 5}}", PASS);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'any': {'path': '/v', 'eq': 5}}", FAIL);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'b'}, 'any': {'path': '/v', 'eq': 5}}", PASS);
	/* Nothing kept: all holds, any fails. */
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'c'}, 'all': {'path': '/v', 'eq': 0}}", PASS);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'c'}, 'any': {'path': '/v', 'gt': 0}}", FAIL);
	/* Counting what where keeps. */
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'min_count': 2}", PASS);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'min_count': 3}", FAIL);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'max_count': 2}", PASS);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'max_count': 1}", FAIL);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/v', 'gt': 1}, 'min_count': 2, 'max_count': 2}", PASS);
	/* Counting everything without where. */
	EXPECT_Q("{'path': '/items', 'min_count': 3, 'max_count': 3}", PASS);
	EXPECT_Q("{'path': '/items', 'min_count': 4}", FAIL);
	EXPECT_Q("{'path': '/items', 'max_count': 2}", FAIL);
	/* A count with a quantifier: both must hold (kept counts even once any has passed). */
	EXPECT_Q("{'path': '/items', 'any': {'path': '/v', 'eq': 1}, 'min_count': 3}", PASS);
	EXPECT_Q("{'path': '/items', 'any': {'path': '/v', 'eq': 1}, 'min_count': 4}", FAIL);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'any': {'path': '/v', 'eq': 1},"
	         " 'max_count': 1}", FAIL);
	/* where errors or needs review: that decides. */
	EXPECT_ON("{'xs': [{'v': 1}, {'v': 'x'}]}", NULL,
	          "{'path': '/xs', 'where': {'path': '/v', 'gt': 0}, 'min_count': 0}", ERROR);
	EXPECT_ON("{'xs': [{'v': 1}, {'v': {'$unknown': 'tbd'}}]}", NULL,
	          "{'path': '/xs', 'where': {'path': '/v', 'gt': 0}, 'all': {'path': '/v', 'exists': true}}",
	          NEEDS_REVIEW);
}
END_TEST

START_TEST(eval_quantifiers_unique)
{
	EXPECT_Q("{'path': '/items', 'unique': '/id'}", PASS);
	EXPECT_Q("{'path': '/items', 'unique': '/k'}", FAIL);
	EXPECT_Q("{'path': '/nums', 'unique': ''}", FAIL);
	EXPECT_Q("{'path': '/mixed', 'unique': ''}", PASS); /* 1 and "1" differ */
	EXPECT_Q("{'path': '/objs', 'unique': ''}", FAIL);  /* equal objects */
	EXPECT_Q("{'path': '/objs', 'unique': '/a'}", FAIL);
	/* unique comes after the quantifiers: a failing all decides first, and both must hold. */
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'gt': 0}, 'unique': '/k'}", FAIL);
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'gt': 0}, 'unique': '/id'}", PASS);
}
END_TEST

/* "among": the value must equal a value the pointer reaches from the root; "*" steps into every element. */
static const char X[] =
	"{'studies': [{'id': 'S1'}, {'id': 'S2'}, {'name': 'no id'}], 'evidence': [{'path': 'a.md'}, {'path': 'b.md'}],\n"
	" 'claims': [{'refs': ['S1', 'S2']}, {'refs': ['S2']}], 'bad': [{'refs': ['S1', 'S9']}], 'n': 1, 'nums': [1, 2],\n"
	" 'grid': [[{'v': 'x'}], [{'v': 'y'}]], 'star': {'*': 'S1'}, 'unk': {'$unknown': 'later'}}\n";
#define EXPECT_X(check, want) expect_at(__LINE__, check, X, NULL, EMH_OUTCOME_##want)

START_TEST(eval_among)
{
	EXPECT_X("{'path': '/claims', 'all': {'path': '/refs', 'all': {'path': '', 'among': '/studies/*/id'}}}", PASS);
	EXPECT_X("{'path': '/bad', 'all': {'path': '/refs', 'all': {'path': '', 'among': '/studies/*/id'}}}", FAIL);
	EXPECT_X("{'path': '/claims/0/refs/0', 'among': '/evidence/*/path'}", FAIL);
	EXPECT_X("{'path': '/evidence/1/path', 'among': '/evidence/*/path'}", PASS);
	/* Strict equality: the number 1 is not the string "1"; a number among numbers. */
	EXPECT_X("{'path': '/n', 'among': '/nums/*'}", PASS);
	EXPECT_X("{'path': '/n', 'among': '/studies/*/id'}", FAIL);
	/* Nested arrays, a plain index, and "*" as a member name of an object. */
	EXPECT_X("{'path': '/grid/1/0/v', 'among': '/grid/*/*/v'}", PASS);
	EXPECT_X("{'path': '/grid/1/0/v', 'among': '/grid/0/*/v'}", FAIL);
	EXPECT_X("{'path': '/star/*', 'among': '/studies/*/id'}", PASS);
	EXPECT_X("{'path': '/studies/0/id', 'among': '/star/*'}", PASS);
	/* Nothing there to be among: fail; a missing value fails; an unknown one needs review. */
	EXPECT_X("{'path': '/n', 'among': '/missing/*/id'}", FAIL);
	EXPECT_X("{'path': '/missing', 'among': '/studies/*/id'}", FAIL);
	EXPECT_X("{'path': '/unk', 'among': '/studies/*/id'}", NEEDS_REVIEW);
	/* Checked after "in" and "type": a wrong type decides first. */
	EXPECT_X("{'path': '/studies/0/id', 'type': 'integer', 'among': '/studies/*/id'}", FAIL);
}
END_TEST

/* Several quantifiers in one test: every one must hold (a test's predicates all hold). */
START_TEST(eval_quantifiers_several_in_one_test)
{
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'type': 'integer'}, 'none': {'path': '/v', 'eq': 5}}", FAIL);
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'type': 'integer'}, 'any': {'path': '/v', 'eq': 9}}", FAIL);
	EXPECT_Q("{'path': '/items', 'any': {'path': '/v', 'eq': 5}, 'none': {'path': '/v', 'eq': 5}}", FAIL);
	EXPECT_Q("{'path': '/items', 'all': {'path': '/v', 'gt': 0}, 'any': {'path': '/v', 'eq': 5},"
	         " 'none': {'path': '/v', 'gt': 7}}", PASS);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'all': {'path': '/v', 'gt': 0},"
	         " 'none': {'path': '/v', 'eq': 7}}", FAIL);
	EXPECT_Q("{'path': '/items', 'where': {'path': '/k', 'eq': 'a'}, 'all': {'path': '/v', 'gt': 0},"
	         " 'none': {'path': '/v', 'eq': 5}, 'min_count': 2}", PASS);
}
END_TEST

/* ---- combining outcomes -------------------------------------------------------------------- */

#define EXPECT_L(check, want) expect_at(__LINE__, check, L, NULL, EMH_OUTCOME_##want)

START_TEST(eval_logic_leaves)
{
	EXPECT_L(P, PASS);
	EXPECT_L(F, FAIL);
	EXPECT_L(E, ERROR);
	EXPECT_L(R, NEEDS_REVIEW);
}
END_TEST

START_TEST(eval_logic_and)
{
	EXPECT_L("{'and': [" P ", " P "]}", PASS);
	EXPECT_L("{'and': [" P "]}", PASS);
	EXPECT_L("{'and': [" P ", " F "]}", FAIL);
	EXPECT_L("{'and': [" P ", " E "]}", ERROR);
	EXPECT_L("{'and': [" F ", " E "]}", FAIL); /* fail beats error */
	EXPECT_L("{'and': [" E ", " F "]}", FAIL);
	EXPECT_L("{'and': [" R ", " E "]}", ERROR); /* error beats needs_review */
	EXPECT_L("{'and': [" E ", " R "]}", ERROR);
	EXPECT_L("{'and': [" P ", " R "]}", NEEDS_REVIEW);
	EXPECT_L("{'and': [" R ", " F "]}", FAIL);
	EXPECT_L("{'and': [" R ", " P ", " R "]}", NEEDS_REVIEW);
}
END_TEST

START_TEST(eval_logic_or)
{
	EXPECT_L("{'or': [" F ", " P "]}", PASS);
	EXPECT_L("{'or': [" P ", " E "]}", PASS); /* pass beats everything */
	EXPECT_L("{'or': [" E ", " P "]}", PASS);
	EXPECT_L("{'or': [" R ", " P "]}", PASS);
	EXPECT_L("{'or': [" F ", " E "]}", ERROR);
	EXPECT_L("{'or': [" E ", " R "]}", ERROR);
	EXPECT_L("{'or': [" R ", " E "]}", ERROR);
	EXPECT_L("{'or': [" F ", " R "]}", NEEDS_REVIEW);
	EXPECT_L("{'or': [" F ", " F "]}", FAIL);
	EXPECT_L("{'or': [" F "]}", FAIL);
}
END_TEST

START_TEST(eval_logic_not)
{
	EXPECT_L("{'not': " P "}", FAIL);
	EXPECT_L("{'not': " F "}", PASS);
	EXPECT_L("{'not': " E "}", ERROR);
	EXPECT_L("{'not': " R "}", NEEDS_REVIEW);
	EXPECT_L("{'not': {'not': " P "}}", PASS);
	EXPECT_L("{'not': {'and': [" P ", " F "]}}", PASS);
	EXPECT_L("{'not': {'or': [" F ", " E "]}}", ERROR);
	EXPECT_L("{'and': [{'not': " F "}, {'or': [" F ", {'not': " R "}]}]}", NEEDS_REVIEW);
}
END_TEST

START_TEST(eval_logic_quantifier_combination)
{
	/* Elements: pass, error, fail. */
	EXPECT_L("{'path': '/vs', 'all': {'path': '/v', 'gt': 0}}", FAIL);
	EXPECT_L("{'path': '/ws', 'all': {'path': '/v', 'gt': 0}}", FAIL); /* error first, fail later */
	EXPECT_L("{'path': '/vs', 'all': {'path': '/v', 'gt': -5}}", ERROR);
	EXPECT_L("{'path': '/vs', 'any': {'path': '/v', 'gt': 0}}", PASS);
	EXPECT_L("{'path': '/ws', 'any': {'path': '/v', 'gt': 0}}", PASS);
	EXPECT_L("{'path': '/vs', 'any': {'path': '/v', 'gt': 5}}", ERROR);
	EXPECT_L("{'path': '/vs', 'none': {'path': '/v', 'gt': 5}}", ERROR);
	EXPECT_L("{'path': '/vs', 'none': {'path': '/v', 'gt': 0}}", FAIL);
	/* needs_review from an element. */
	EXPECT_L("{'path': '/us', 'all': {'path': '/v', 'gt': 0}}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/us', 'any': {'path': '/v', 'gt': 0}}", PASS);
	EXPECT_L("{'path': '/us', 'any': {'path': '/v', 'gt': 5}}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/us', 'none': {'path': '/v', 'gt': 5}}", NEEDS_REVIEW);
}
END_TEST

/* ---- declared unknowns --------------------------------------------------------------------- */

START_TEST(eval_declared_unknown)
{
	EXPECT_L("{'path': '/unk', 'eq': 1}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'type': 'object'}", NEEDS_REVIEW); /* never a pass as an object */
	EXPECT_L("{'path': '/unk', 'type': 'string'}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'ne': 1}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'gt': 0}", NEEDS_REVIEW); /* not error: the vendor said why */
	EXPECT_L("{'path': '/unk', 'min_length': 1}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'matches': 'x'}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'before': '2030-01-01'}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'all': {'path': '', 'exists': true}}", NEEDS_REVIEW);
	/* The spec makes every test on a declared unknown needs_review: exists and absent too. */
	EXPECT_L("{'path': '/unk', 'exists': true}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk', 'absent': true}", NEEDS_REVIEW);
	/* A path through a declared unknown: the value cannot be known either. */
	EXPECT_L("{'path': '/unk/detail', 'eq': 1}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk/detail/deeper', 'exists': true}", NEEDS_REVIEW);
	EXPECT_L("{'path': '/unk/detail', 'absent': true}", NEEDS_REVIEW);
	EXPECT_L("{'not': {'path': '/unk', 'eq': 1}}", NEEDS_REVIEW);
	/* The reason names the pointer. */
	spec sp = { "T-1", NULL, "'check': {'path': '/unk', 'eq': 1}", NULL };
	emh_criteria *c = build(fw_default, &sp, 1, 0);
	emh_dossier *d = run(c, L);
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_NEEDS_REVIEW);
	ck_assert_ptr_nonnull(d->results[0].reason);
	ck_assert_ptr_nonnull(strstr(d->results[0].reason, "/unk"));
	ck_assert_ptr_nonnull(strstr(d->results[0].reason, "unknown"));
	ck_assert_ptr_null(d->results[0].message); /* not a failure */
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_evidence_without_files)
{
	/*
	 * A submission loaded from memory lists no readable evidence: presence and
	 * hash tests fail; a text test has nothing to read and is not evaluated (the
	 * presence test says why, once), never a pass.
	 */
	static const char sub[] = "{'one': 1}";
	EXPECT_ON(sub, NULL, "{'evidence': 'report', 'present': true}", FAIL);
	EXPECT_ON(sub, NULL, "{'evidence': '*', 'present': true}", FAIL);
	EXPECT_ON(sub, NULL, "{'evidence': 'report', 'not_matches': 'secret'}", NOT_EVALUATED);
	EXPECT_ON(sub, NULL, "{'evidence': 'report', 'matches': 'retain'}", NOT_EVALUATED);
	EXPECT_ON(sub, NULL, "{'not': {'evidence': 'report', 'matches': 'retain'}}", NOT_EVALUATED);
	EXPECT_ON(sub, NULL, "{'evidence': 'report', 'present': true, 'matches': 'retain'}", FAIL);
	EXPECT_ON(sub, NULL, "{'evidence': 'report', 'verified': true}", FAIL);
	EXPECT_ON(sub, NULL, "{'not': {'evidence': 'report', 'present': true}}", PASS);
}
END_TEST

/*
 * Language detection is lazy: a submission evaluated with criteria that read
 * no evidence text is never classified, and one evaluated twice with a text
 * check is classified once (per evidence file), on first need.
 */
START_TEST(eval_language_detected_only_when_needed)
{
	static const char policy[] =
		"We process your personal data only to provide the app and only with your explicit consent. Your data "
		"is stored on servers in the United Kingdom and deleted when the retention period ends. You have the "
		"right to access, correct and delete your data at any time.\n";
	static const char sub[] = "{'evidence': [{'kind': 'privacy_policy', 'path': 'policy.md'},"
	                          " {'kind': 'terms', 'path': 'terms.md'}], 'a': 1}";
	char *json = dq(sub);
	emh_submission_file files[] = { { "policy.md", policy, strlen(policy) }, { "terms.md", policy, strlen(policy) } };
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	unsigned long before = emh_language_detections(); /* loading classifies nothing either */
	EMH_PASS(emh_submission_load_memory(&s, json, strlen(json), NULL, files, 2, emh_test_unvalidated(), &err), &err);
	spec plain[] = { { "P-1", NULL, "'check': {'path': '/a', 'eq': 1}", NULL },
	                 { "P-2", NULL, "'check': {'evidence': 'privacy_policy', 'present': true}", NULL } };
	emh_criteria *set = build(fw_default, plain, 2, 0);
	emh_dossier *d = NULL;
	EMH_PASS(emh_evaluate(&d, set, s, NULL, &err), &err);
	ck_assert_int_eq(result(d, "P-1")->outcome, EMH_OUTCOME_PASS);
	ck_assert_int_eq(result(d, "P-2")->outcome, EMH_OUTCOME_PASS);
	ck_assert_uint_eq(emh_language_detections(), before); /* no text check: nothing classified */
	emh_dossier_free(d);
	emh_criteria_free(set);
	spec text[] = { { "T-1", NULL, "'check': {'evidence': 'privacy_policy', 'matches': 'retention'}", NULL } };
	set = build(fw_default, text, 1, 0);
	for (int round = 0; round < 2; round++) {
		EMH_PASS(emh_evaluate(&d, set, s, NULL, &err), &err);
		ck_assert_int_eq(result(d, "T-1")->outcome, EMH_OUTCOME_PASS);
		/* Only the file the check reads, and only the first time. */
		ck_assert_uint_eq(emh_language_detections(), before + 1);
		emh_dossier_free(d);
	}
	emh_criteria_free(set);
	emh_submission_free(s);
	free(json);
}
END_TEST

/* ---- findings -------------------------------------------------------------------------------- */

/* Evaluates one check on FSUB and returns the dossier (explain on). */
static emh_dossier *explain(const char *check, emh_criteria **set_out)
{
	char members[2048];
	snprintf(members, sizeof members, "'check': %s", check);
	spec sp = { "T-1", NULL, members, NULL };
	*set_out = build(fw_default, &sp, 1, 0);
	return run(*set_out, FSUB);
}

static void expect_located(const emh_finding *f, const char *marker)
{
	unsigned line, col;
	pos_of(FSUB, marker, &line, &col);
	ck_assert_msg(f->line == line && f->column == col, "%s at %u:%u, expected %u:%u (%s)", f->pointer,
	              f->line, f->column, line, col, marker);
	ck_assert_ptr_null(f->file); /* submission.json */
}

/* A long pattern is shown by its start and length, so that the excerpt reads as the finding. */
START_TEST(eval_findings_long_pattern)
{
	emh_criteria *c;
	char check[1024], alt[600];
	size_t k = 0;
	for (int i = 0; i < 60; i++)
		k += (size_t)snprintf(alt + k, sizeof alt - k, "x%02d|", i);
	snprintf(check, sizeof check, "{'path': '/b', 'matches': '^(?:%sright)$'}", alt);
	emh_dossier *d = explain(check, &c);
	const emh_finding *f = &d->results[0].findings[0];
	ck_assert_msg(strlen(f->expected) < 220, "expected: %s", f->expected);
	ck_assert_ptr_nonnull(strstr(f->expected, "matching /^(?:x00|x01|"));
	ck_assert_ptr_nonnull(strstr(f->expected, "(a pattern of 251 characters; see the criterion)"));
	emh_dossier_free(d);
	emh_criteria_free(c);
	/* A short one is shown whole. */
	d = explain("{'path': '/b', 'matches': '^right$', 'flags': 'i'}", &c);
	ck_assert_str_eq(d->results[0].findings[0].expected, "matching /^right$/i");
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

/* "looks_for" says a text test in words; the pattern goes whole to the finding's pattern member (issue 15). */
START_TEST(eval_findings_looks_for)
{
	emh_criteria *c;
	emh_dossier *d = explain("{'path': '/b', 'matches': '^right$', 'flags': 'i', 'looks_for': 'the word right'}", &c);
	const emh_finding *f = &d->results[0].findings[0];
	ck_assert_str_eq(f->expected, "to find the word right");
	ck_assert_str_eq(f->pattern, "/^right$/i");
	emh_dossier_free(d);
	emh_criteria_free(c);
	d = explain("{'path': '/b', 'not_matches': 'w', 'looks_for': 'a w'}", &c);
	ck_assert_str_eq(d->results[0].findings[0].expected, "not to find a w");
	emh_dossier_free(d);
	emh_criteria_free(c);
	/* Under "not", the words turn round rather than read "not not to find". */
	d = explain("{'not': {'path': '/b', 'not_matches': 'zzz', 'looks_for': 'zzz'}}", &c);
	ck_assert_str_eq(d->results[0].findings[0].expected, "to find zzz");
	emh_dossier_free(d);
	emh_criteria_free(c);
	/* Without the words, a short pattern on a value stays in expected, and nowhere else. */
	d = explain("{'path': '/b', 'matches': '^right$'}", &c);
	ck_assert_str_eq(d->results[0].findings[0].expected, "matching /^right$/");
	ck_assert_ptr_null(d->results[0].findings[0].pattern);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_findings_compound)
{
	emh_criteria *c;
	emh_dossier *d = explain("{'and': [{'path': '/a', 'eq': 1}, {'path': '/b', 'in': ['right', 'correct']},"
	                         " {'path': '/nested/c', 'le': 3}]}", &c);
	const emh_result *r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_str_eq(r->message, "Failed T-1.");
	ck_assert_str_eq(r->remediation, "Fix T-1.");
	ck_assert_uint_eq(r->nfindings, 2); /* the passing /a is not listed */
	const emh_finding *f = &r->findings[0];
	ck_assert_str_eq(f->pointer, "/b");
	ck_assert_ptr_nonnull(strstr(f->expected, "right"));
	ck_assert_ptr_nonnull(strstr(f->expected, "correct"));
	ck_assert_str_eq(f->found, "\"wrong\"");
	expect_located(f, "'wrong'");
	f = &r->findings[1];
	ck_assert_str_eq(f->pointer, "/nested/c");
	ck_assert_ptr_nonnull(strstr(f->expected, "3"));
	ck_assert_str_eq(f->found, "5");
	expect_located(f, "5}");
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_findings_in_quantifiers)
{
	emh_criteria *c;
	emh_dossier *d = explain("{'path': '/items', 'all': {'path': '/name', 'eq': 'ok'}}", &c);
	const emh_result *r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/items/2/name");
	ck_assert_str_eq(r->findings[0].found, "\"bad\"");
	ck_assert_ptr_nonnull(strstr(r->findings[0].expected, "ok"));
	expect_located(&r->findings[0], "'bad'");
	emh_dossier_free(d);
	emh_criteria_free(c);

	/* Nested: the index of each level. */
	d = explain("{'path': '/items', 'all': {'path': '/tags', 'all': {'path': '', 'in': ['x', 'y']}}}", &c);
	r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/items/2/tags/1");
	ck_assert_str_eq(r->findings[0].found, "\"z\"");
	expect_located(&r->findings[0], "'z'");
	emh_dossier_free(d);
	emh_criteria_free(c);

	/* any that fails lists every element; where filters quietly. */
	d = explain("{'path': '/items', 'any': {'path': '/name', 'eq': 'none'}}", &c);
	r = &d->results[0];
	ck_assert_uint_eq(r->nfindings, 3);
	ck_assert_str_eq(r->findings[0].pointer, "/items/0/name");
	ck_assert_str_eq(r->findings[1].pointer, "/items/1/name");
	ck_assert_str_eq(r->findings[2].pointer, "/items/2/name");
	emh_dossier_free(d);
	emh_criteria_free(c);
	d = explain("{'path': '/items', 'where': {'path': '/tags', 'min_count': 2},"
	            " 'all': {'path': '/name', 'eq': 'ok'}}", &c);
	r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/items/2/name");
	emh_dossier_free(d);
	emh_criteria_free(c);

	/* none: the element that satisfies E is the finding, stated negated. */
	d = explain("{'path': '/items', 'none': {'path': '/name', 'eq': 'bad'}}", &c);
	r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/items/2/name");
	ck_assert(strncmp(r->findings[0].expected, "not ", 4) == 0);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_findings_missing_and_counts)
{
	emh_criteria *c;
	/* A missing value: "absent", at the nearest enclosing value. */
	emh_dossier *d = explain("{'path': '/nested/missing/deeper', 'type': 'string'}", &c);
	const emh_result *r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/nested/missing/deeper");
	ck_assert_str_eq(r->findings[0].found, "absent");
	expect_located(&r->findings[0], "{'c'");
	emh_dossier_free(d);
	emh_criteria_free(c);

	d = explain("{'path': '/nope', 'exists': true}", &c);
	r = &d->results[0];
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].found, "absent");
	ck_assert_uint_eq(r->findings[0].line, 1); /* the root object */
	ck_assert_uint_eq(r->findings[0].column, 1);
	emh_dossier_free(d);
	emh_criteria_free(c);

	/* Counts and empty quantifiers say how many elements there were. */
	d = explain("{'path': '/items', 'min_count': 5}", &c);
	r = &d->results[0];
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/items");
	ck_assert_ptr_nonnull(strstr(r->findings[0].found, "3"));
	ck_assert_ptr_nonnull(strstr(r->findings[0].expected, "5"));
	expect_located(&r->findings[0], "[\n    {'name'");
	emh_dossier_free(d);
	emh_criteria_free(c);

	d = explain("{'path': '/empty', 'any': {'path': '', 'exists': true}}", &c);
	r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/empty");
	ck_assert_ptr_nonnull(strstr(r->findings[0].found, "0"));
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_findings_error_and_negation)
{
	emh_criteria *c;
	emh_dossier *d = explain("{'path': '/b', 'gt': 0}", &c);
	const emh_result *r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_ERROR);
	ck_assert_ptr_null(r->message); /* an error is not a failure */
	ck_assert_ptr_nonnull(r->reason);
	ck_assert_ptr_nonnull(strstr(r->reason, "/b"));
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/b");
	ck_assert_str_eq(r->findings[0].found, "\"wrong\"");
	expect_located(&r->findings[0], "'wrong'");
	emh_dossier_free(d);
	emh_criteria_free(c);

	d = explain("{'not': {'path': '/a', 'eq': 1}}", &c);
	r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/a");
	ck_assert(strncmp(r->findings[0].expected, "not ", 4) == 0);
	ck_assert_str_eq(r->findings[0].found, "1");
	expect_located(&r->findings[0], "1,");
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_findings_capped_and_optional)
{
	/* 20 failing elements: at most 16 findings per criterion. */
	char sub[1024] = "{'xs': [";
	size_t n = strlen(sub);
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(sub + n, sizeof sub - n, "%s%d", i ? ", " : "", i);
	snprintf(sub + n, sizeof sub - n, "]}");
	spec sp = { "T-1", NULL, "'check': {'path': '/xs', 'all': {'path': '', 'lt': 0}}", NULL };
	emh_criteria *c = build(fw_default, &sp, 1, 0);
	emh_dossier *d = run(c, sub);
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(d->results[0].nfindings, 16);
	ck_assert_str_eq(d->results[0].findings[0].pointer, "/xs/0");
	ck_assert_str_eq(d->results[0].findings[15].pointer, "/xs/15");
	emh_dossier_free(d);
	/* explain off: the same outcome, no findings. */
	d = run_opts(c, sub, NULL, 0);
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_FAIL);
	ck_assert_uint_eq(d->results[0].nfindings, 0);
	ck_assert_str_eq(d->results[0].message, "Failed T-1.");
	emh_dossier_free(d);
	/* A pass has no findings and no message. */
	d = run(c, "{'xs': [-1, -2]}");
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_PASS);
	ck_assert_uint_eq(d->results[0].nfindings, 0);
	ck_assert_ptr_null(d->results[0].message);
	ck_assert_ptr_null(d->results[0].reason);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

Suite *emh_suite_eval(void);
Suite *emh_suite_eval(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("operators");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, eval_exists);
	tcase_add_test(tc, eval_among);
	tcase_add_test(tc, eval_findings_long_pattern);
	tcase_add_test(tc, eval_findings_looks_for);
	tcase_add_test(tc, eval_absent);
	tcase_add_test(tc, eval_type);
	tcase_add_test(tc, eval_eq_ne_in_strict);
	tcase_add_test(tc, eval_numeric);
	tcase_add_test(tc, eval_computed_operands);
	tcase_add_test(tc, eval_lengths);
	tcase_add_test(tc, eval_matches);
	tcase_add_test(tc, eval_before_after);
	tcase_add_test(tc, eval_within_days);
	tcase_add_test(tc, eval_as_of_sources);
	suite_add_tcase(s, tc);

	tc = tcase_create("quantifiers");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, eval_quantifiers_empty_and_non_arrays);
	tcase_add_test(tc, eval_quantifiers_all_any_none);
	tcase_add_test(tc, eval_quantifiers_where_counts);
	tcase_add_test(tc, eval_quantifiers_unique);
	tcase_add_test(tc, eval_quantifiers_several_in_one_test);
	suite_add_tcase(s, tc);

	tc = tcase_create("logic");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, eval_logic_leaves);
	tcase_add_test(tc, eval_logic_and);
	tcase_add_test(tc, eval_logic_or);
	tcase_add_test(tc, eval_logic_not);
	tcase_add_test(tc, eval_logic_quantifier_combination);
	tcase_add_test(tc, eval_declared_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("evidence");
	tcase_add_test(tc, eval_evidence_without_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("findings");
	tcase_add_test(tc, eval_findings_compound);
	tcase_add_test(tc, eval_findings_in_quantifiers);
	tcase_add_test(tc, eval_findings_missing_and_counts);
	tcase_add_test(tc, eval_findings_error_and_negation);
	tcase_add_test(tc, eval_findings_capped_and_optional);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_test(tc, eval_language_detected_only_when_needed);
	suite_add_tcase(s, tc);
	return s;
}
