/*
 * regex.c - PCRE2 text checks: compiled once per criteria set (JIT where the
 * platform has it), matched with a match context that caps backtracking and
 * memory so a pathological pattern on a long text ends as an error, not a hang.
 *
 * What the limits do not cover (docs/security.md): PCRE2 counts them per
 * start position, and JIT does not count the backtracking of a single
 * repeated item, so a pattern that is polynomial rather than exponential
 * (".*a.*b" over a long line) can still take minutes on megabytes of text.
 * Counting steps through callouts was tried and rejected: any callout in a
 * pattern turns off JIT optimisations and made linear patterns ("\w+\s+=")
 * quadratic. Such patterns are for criteria review (lint) to refuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/error.h"
#include "evaluator/internal.h"

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
	out->source = strdup(pattern);
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
	free(re->source);
	memset(re, 0, sizeof *re);
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
	if (rc == PCRE2_ERROR_MATCHLIMIT) {
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
