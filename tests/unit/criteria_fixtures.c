/*
 * criteria_fixtures.c - the criteria fixtures declared in helpers.h: sets of
 * criteria files built in memory, compiled with every problem collected, and
 * the one expected problem checked for its code, file, pointer, line and
 * column (the position of a marker in the text, never a previous run's).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define EMH_TEST_CRITERIA_FIXTURES
#include "helpers.h"

const char fw_ok[] =
	"{\n"
	"  \"name\": \"test framework\",\n"
	"  \"version\": \"2.0.0\",\n"
	"  \"effective_date\": \"2026-01-01\",\n"
	"  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}, {\"id\": \"secure\", \"title\": \"Secure\"}],\n"
	"  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
	"              {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"secure\"}],\n"
	"  \"verdict_policy\": {\"reject\": [\"blocker\", \"major\", \"minor\"], \"condition_days\": {}}\n"
	"}\n";

char *fmt(const char *f, ...)
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
void add(fileset *fs, const char *path, const char *text)
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

void fileset_dispose(fileset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->owned[i]);
	fs->n = 0;
}

/*
 * The text of a criterion: the required keys on lines 2-9, then `body`
 * (members with a leading comma-free list, e.g. "\"check\": {...}").
 */
char *crit(const char *id, const char *domain, const char *body)
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
void add_crit(fileset *fs, const char *path, const char *id, const char *domain,
                     const char *body)
{
	char *t = crit(id, domain, body);
	add(fs, path, t);
	free(t);
}

void collect(const emh_error *p, void *payload)
{
	problems *ps = payload;
	if (ps->n < MAX_PROBLEMS)
		ps->e[ps->n] = *p;
	ps->n++;
}

/* Compiles fs; returns the code, fills err and ps (either may be NULL). */
int compile_set(const fileset *fs, const char *path, emh_error *err, problems *ps)
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
void pos_of(const char *text, const char *needle, unsigned *line, unsigned *col)
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
void expect_problem(const char *body, const char *pointer, const char *marker,
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
