/*
 * eval_fixtures.c - the evaluation fixtures declared in helpers.h: criteria
 * sets compiled in memory from single-quoted JSON, submissions evaluated on
 * them, and the submissions several suites share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define EMH_TEST_EVAL_FIXTURES
#include "helpers.h"

char *dq(const char *s)
{
	char *d = strdup(s);
	ck_assert_ptr_nonnull(d);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

const char fw_default[] =
	"{'name': 'eval tests', 'version': '1.0', 'effective_date': '2026-01-01',\n"
	" 'categories': [{'id': 'c1', 'title': 'One'}, {'id': 'c2', 'title': 'Two'}, {'id': 'c3', 'title': 'Three'}],\n"
	" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}, {'id': 'e', 'title': 'E', 'category': 'c2'},\n"
	"             {'id': 'f', 'title': 'F', 'category': 'c1'}],\n"
	" 'tier_pointer': '/risk_tier',\n"
	" 'weights': {'default': {'d': 1, 'e': 1}, 'C': {'d': 3}},\n"
	" 'severity_weights': {'blocker': 4, 'major': 3, 'minor': 2, 'advisory': 1},\n"
	" 'verdict_policy': {'reject': ['blocker', 'major'], 'review': ['blocker', 'major'],\n"
	"                   'condition_days': {'minor': 90}}}\n";

emh_criteria *build(const char *fw, const spec *sp, size_t n, int reverse)
{
	emh_criteria_file files[32];
	char *texts[32], paths[32][64];
	ck_assert_uint_lt(n, 32);
	for (size_t i = 0; i < n; i++) {
		const spec *s = &sp[reverse ? n - 1 - i : i];
		const char *dom = s->domain ? s->domain : "d";
		size_t size = strlen(s->members) + 512;
		char *t = malloc(size);
		ck_assert_ptr_nonnull(t);
		snprintf(t, size, "{'id': '%s', 'version': 1, 'title': 'Criterion %s', 'domain': '%s',"
		        " 'severity': '%s', 'references': ['REF %s'], 'fail_message': 'Failed %s.',"
		        " 'remediation': 'Fix %s.', %s}",
		        s->id, s->id, dom, s->severity ? s->severity : "minor", s->id, s->id, s->id, s->members);
		texts[i] = dq(t);
		free(t);
		snprintf(paths[i], sizeof paths[i], "%s/%s.json", dom, s->id);
		files[i].path = paths[i];
		files[i].data = texts[i];
		files[i].len = strlen(texts[i]);
	}
	char *fwt = dq(fw);
	files[n].path = "framework.json";
	files[n].data = fwt;
	files[n].len = strlen(fwt);
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, files, n + 1, NULL, &err), &err);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(fwt);
	return c;
}

emh_dossier *run_opts(const emh_criteria *c, const char *sub, const char *as_of, int explain)
{
	char *json = dq(sub);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_buffer(&s, json, strlen(json), NULL, emh_test_unvalidated(), &err), &err);
	emh_eval_options o = EMH_EVAL_OPTIONS_INIT;
	o.as_of = as_of;
	o.explain = explain;
	emh_dossier *d = NULL;
	EMH_PASS(emh_evaluate(&d, c, s, &o, &err), &err);
	ck_assert_ptr_nonnull(d);
	emh_submission_free(s); /* the dossier owns copies of all it needs */
	free(json);
	return d;
}

emh_dossier *run(const emh_criteria *c, const char *sub)
{
	return run_opts(c, sub, NULL, 1);
}

const emh_result *result(const emh_dossier *d, const char *id)
{
	for (size_t i = 0; i < d->nresults; i++)
		if (strcmp(d->results[i].id, id) == 0)
			return &d->results[i];
	ck_abort_msg("no result %s", id);
	return NULL;
}

const char L[] = "{'one': 1, 'str': 'x', 'unk': {'$unknown': 'measured next quarter'},\n"
                        " 'vs': [{'v': 1}, {'v': 'x'}, {'v': -1}], 'ws': [{'v': 'x'}, {'v': 1}, {'v': -1}],\n"
                        " 'us': [{'v': 1}, {'v': {'$unknown': 'tbd'}}]}";

const char FSUB[] =
	"{\n"
	"  'app': {'id': 'app-1', 'name': 'Demo', 'version': '1.0'},\n"
	"  'a': 1,\n"
	"  'b': 'wrong',\n"
	"  'nested': {'c': 5},\n"
	"  'items': [\n"
	"    {'name': 'ok', 'tags': ['x']},\n"
	"    {'name': 'ok', 'tags': ['x', 'y']},\n"
	"    {'name': 'bad', 'tags': ['x', 'z']}\n"
	"  ],\n"
	"  'empty': []\n"
	"}\n";
