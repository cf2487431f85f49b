/*
 * regex.c - PCRE2 text checks: compiled once per criteria set (JIT where the
 * platform has it), matched with a match context that caps backtracking and
 * memory so a pathological pattern on a long text ends as an error, not a hang.
 *
 * PCRE2 counts its match limit per start position, so "(a+)+$" over many
 * short runs of letters stays under it at every position while the whole
 * search takes hours. A pattern with a nested unbounded repeat is therefore
 * compiled with auto-callouts and every step it takes counts against one
 * budget for the whole criterion (all start positions, documents and calls);
 * spending it ends the search as an error. Only those patterns are metered:
 * a callout turns off PCRE2's optimisations (auto-possessification, start
 * optimisations), which made linear patterns ("\w+\s+=") quadratic when it
 * was tried on every pattern (docs/security.md).
 *
 * What this does not cover: a polynomial pattern without nested repeats
 * (".*a.*b" over a long line) is bounded only per start position; criteria
 * review (lint) must keep such patterns out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/error.h"
#include "evaluator/internal.h"
#include "evaluator/prefilter.h"

int emh_regex_compile(emh_regex *out, const char *pattern, const char *flags,
                      emh_error *err)
{
	return emh_regex_compile_at(out, pattern, flags, NULL, err);
}

int emh_regex_compile_at(emh_regex *out, const char *pattern, const char *flags,
                         size_t *erroffset, emh_error *err)
{
	memset(out, 0, sizeof *out);
	if (erroffset)
		*erroffset = 0;
	uint32_t opts = PCRE2_UTF;
	size_t nf = 0;
	for (const char *f = flags ? flags : ""; *f; f++) {
		switch (*f) {
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'm': opts |= PCRE2_MULTILINE; break;
		case 's': opts |= PCRE2_DOTALL; break;
		case 'x': opts |= PCRE2_EXTENDED; break;
		case 'u': opts |= PCRE2_UCP; break;
		default:
			return emh_error_set(err, EMH_EINVALID,
			                     "unknown regex flag '%c' (expected any of \"imsxu\")", *f);
		}
		if (strchr(out->flags, *f) == NULL && nf < sizeof out->flags - 1)
			out->flags[nf++] = *f;
	}
	int ec = 0;
	PCRE2_SIZE eo = 0;
	out->metered = emh_regex_nested_quantifier(pattern, &out->nested_at);
	if (out->metered)
		opts |= PCRE2_AUTO_CALLOUT;
	out->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &ec, &eo, NULL);
	if (!out->code) {
		char msg[256];
		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
		if (erroffset)
			*erroffset = (size_t)eo;
		return emh_error_set(err, EMH_EINVALID, "regex /%s/ does not compile: %s at offset %zu",
		                     pattern, msg, (size_t)eo);
	}
#ifndef EMH_REGEX_NO_JIT
	out->jit = pcre2_jit_compile(out->code, PCRE2_JIT_COMPLETE) == 0;
#else
	out->jit = 0; /* make valgrind: JIT code confuses memcheck */
#endif
	/*
	 * Required literals (evaluator/prefilter.c), except for a metered pattern:
	 * skipping PCRE2 there would leave the criterion's step budget unspent.
	 */
	if (out->metered)
		out->prefilter_refused = "a nested unbounded repeat (metered)";
	else
		out->prefilter = emh_prefilter_build(pattern, out->flags, &out->prefilter_refused);
	out->source = emh_strdup(pattern);
	if (!out->source) {
		emh_regex_dispose(out);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	return 0;
}

void emh_regex_dispose(emh_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	emh_prefilter_free(re->prefilter);
	free(re->source);
	memset(re, 0, sizeof *re);
}

/* Counts one step of a metered pattern; a negative return ends the search. */
static int count_step(pcre2_callout_block *cb, void *data)
{
	(void)cb;
	emh_matcher *m = data;
	return ++m->steps > m->budget ? EMH_REGEX_BUDGET_SPENT : 0;
}

void emh_matcher_reset_budget(emh_matcher *m)
{
	m->steps = 0;
}

int emh_matcher_init(emh_matcher *m)
{
	memset(m, 0, sizeof *m);
	m->md = pcre2_match_data_create(1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit_stack = pcre2_jit_stack_create(32 * 1024, EMH_REGEX_JIT_STACK_KIB * 1024, NULL);
	if (!m->md || !m->mctx) {
		emh_matcher_dispose(m);
		return -1;
	}
	pcre2_set_match_limit(m->mctx, EMH_REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, EMH_REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, EMH_REGEX_HEAP_LIMIT_KIB);
	m->budget = EMH_REGEX_SEARCH_BUDGET;
	pcre2_set_callout(m->mctx, count_step, m);
	if (m->jit_stack)
		pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
	return 0;
}

void emh_matcher_dispose(emh_matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit_stack);
	memset(m, 0, sizeof *m);
}

int emh_regex_search(const emh_regex *re, emh_matcher *m, const char *subject,
                     size_t len, size_t *start, size_t *end)
{
	if (re->prefilter && !emh_prefilter_may_match(re->prefilter, subject, len))
		return 0; /* a literal every match holds is missing */
	return emh_regex_search_unfiltered(re, m, subject, len, start, end);
}

int emh_regex_search_unfiltered(const emh_regex *re, emh_matcher *m, const char *subject,
                                size_t len, size_t *start, size_t *end)
{
	/* The subject was checked for valid UTF-8 once when it was loaded. */
	int rc = re->jit
		? pcre2_jit_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, m->md, m->mctx)
		: pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_UTF_CHECK, m->md, m->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return rc;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	*start = ov[0];
	*end = ov[1] >= ov[0] ? ov[1] : ov[0];
	return 1;
}

void emh_regex_strerror(int rc, char *dst, size_t size)
{
	if (rc == EMH_REGEX_BUDGET_SPENT) {
		snprintf(dst, size, "regex search budget (%u steps per criterion, over all start positions and "
		         "documents, for a pattern with a nested unbounded repeat) reached", EMH_REGEX_SEARCH_BUDGET);
	} else if (rc == PCRE2_ERROR_MATCHLIMIT) {
		snprintf(dst, size, "regex match limit (%u steps per start position) reached",
		         EMH_REGEX_MATCH_LIMIT);
	} else if (rc == PCRE2_ERROR_DEPTHLIMIT) {
		snprintf(dst, size, "regex depth limit (%u) reached", EMH_REGEX_DEPTH_LIMIT);
	} else if (rc == PCRE2_ERROR_HEAPLIMIT) {
		snprintf(dst, size, "regex heap limit (%u KiB) reached", EMH_REGEX_HEAP_LIMIT_KIB);
	} else if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		snprintf(dst, size, "regex JIT stack limit (%u KiB) reached", EMH_REGEX_JIT_STACK_KIB);
	} else {
		char msg[200];
		pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
		snprintf(dst, size, "regex matching failed: %s", msg);
	}
}

int emh_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = emh_utf8_seqlen(u + i, len - i);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

/* The quantifier at p: 0 none, 1 bounded, 2 unbounded; *len gets its length. */
static int quantifier(const char *p, size_t *len)
{
	size_t n = 0;
	int kind = 0;
	if (*p == '*' || *p == '+') {
		kind = 2;
		n = 1;
	} else if (*p == '?') {
		kind = 1;
		n = 1;
	} else if (*p == '{') {
		const char *q = p + 1;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == p + 1 && *q != ',')
			return *len = 0, 0;
		if (*q == '}') {
			kind = 1;
		} else if (*q == ',') {
			q++;
			kind = *q == '}' ? 2 : 1;
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q != '}')
				return *len = 0, 0;
		} else {
			return *len = 0, 0;
		}
		n = (size_t)(q - p) + 1;
	}
	if (n && (p[n] == '?' || p[n] == '+'))
		n++; /* lazy or possessive */
	*len = n;
	return kind;
}

int emh_regex_nested_quantifier(const char *p, size_t *at)
{
	struct { size_t open; int inner; } st[64];
	size_t depth = 0, i = 0;
	int top = 0; /* the pattern outside any group */
	while (p[i]) {
		char ch = p[i];
		size_t q;
		if (ch == '(') {
			if (p[i + 1] == '?' && p[i + 2] == '#') {
				while (p[i] && p[i] != ')')
					i++;
				i += p[i] != 0;
				continue;
			}
			if (depth < 64) {
				st[depth].open = i;
				st[depth].inner = 0;
			}
			depth++;
			i++;
			continue;
		}
		if (ch == ')' && depth > 0) {
			depth--;
			int inner = depth < 64 ? st[depth].inner : 0;
			size_t open = depth < 64 ? st[depth].open : 0;
			int k = quantifier(p + i + 1, &q);
			if (k == 2 && inner) {
				if (at)
					*at = open;
				return 1;
			}
			int *parent = depth == 0 ? &top : depth <= 64 ? &st[depth - 1].inner : &top;
			*parent |= inner || k == 2;
			i += 1 + q;
			continue;
		}
		/* An atom: an escape, a class, or one character. */
		if (ch == '\\' && p[i + 1]) {
			char e = p[i + 1];
			i += 2;
			if (e == 'Q') {
				const char *end = strstr(p + i, "\\E");
				i = end ? (size_t)(end - p) + 2 : strlen(p);
			} else if (strchr("xpPNogk", e) && p[i] == '{') {
				while (p[i] && p[i] != '}')
					i++;
				i += p[i] != 0;
			}
		} else if (ch == '[') {
			i++;
			if (p[i] == '^')
				i++;
			if (p[i] == ']')
				i++;
			while (p[i] && p[i] != ']') {
				if (p[i] == '\\' && p[i + 1])
					i++;
				else if (p[i] == '[' && p[i + 1] == ':') {
					const char *end = strstr(p + i + 2, ":]");
					if (end)
						i = (size_t)(end - p) + 1;
				}
				i++;
			}
			i += p[i] != 0;
		} else {
			i++;
		}
		if (quantifier(p + i, &q) == 2) {
			if (depth == 0)
				top = 1;
			else if (depth <= 64)
				st[depth - 1].inner = 1;
		}
		i += q;
	}
	(void)top;
	return 0;
}
