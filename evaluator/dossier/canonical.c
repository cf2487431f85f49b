/*
 * canonical.c - the one canonical JSON form of dossiers (docs/dossier.md):
 * object members sorted by key (byte-wise), no insignificant whitespace in the
 * compact form, strings as emh_buf_append_json_string writes them (UTF-8 as
 * is; only '"', '\\' and control characters escaped), integers in decimal.
 * The pretty form is the same document indented by two spaces. Both are
 * printed from any cJSON tree, so a dossier read back from disk is
 * canonicalised exactly as it was when written.
 *
 * The same printer writes the one-line form of the batch's index and JSON
 * Lines and of the gate's JSON reports: members in the order they were
 * added, on one line, strings and integers as above, so every JSON output
 * is built as a cJSON tree and escaped in one place.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/dossier/canonical.h"
#include "evaluator/internal.h"

/* How a value is written: canonical (sorted, compact or indented) or one line in the tree's order. */
typedef struct style {
	int pretty;       /* indented by two spaces, one member or element a line */
	int sorted;       /* members sorted by key, a duplicate key refused: the canonical form */
	const char *item; /* between members and elements: "," or ", " */
	const char *key;  /* after a key: ":" or ": " */
} style;

static int by_key(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

static void indent(emh_buf *out, const style *st, int depth)
{
	if (!st->pretty)
		return;
	emh_buf_putc(out, '\n');
	for (int i = 0; i < depth; i++)
		emh_buf_puts(out, "  ");
}

static int print_value(emh_buf *out, const cJSON *v, const style *st, int depth);

/* The members of v (an object), without braces; the first preceded by st->item unless first. */
static int print_members(emh_buf *out, const cJSON *v, const style *st, int depth, int first)
{
	size_t n = 0;
	for (const cJSON *e = v->child; e; e = e->next)
		n++;
	const cJSON **members = n ? emh_malloc(n * sizeof *members) : NULL;
	if (n && !members)
		return -1;
	n = 0;
	for (const cJSON *e = v->child; e; e = e->next)
		members[n++] = e;
	if (n && st->sorted)
		qsort(members, n, sizeof *members, by_key);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (st->sorted && i && strcmp(members[i - 1]->string, members[i]->string) == 0) {
			rc = -1; /* a duplicate key has no canonical form */
			break;
		}
		if (i || !first)
			emh_buf_puts(out, st->item);
		indent(out, st, depth + 1);
		emh_buf_append_json_string(out, members[i]->string, strlen(members[i]->string));
		emh_buf_puts(out, st->key);
		rc = print_value(out, members[i], st, depth + 1);
	}
	if (n && rc == 0)
		indent(out, st, depth);
	free(members);
	return rc;
}

static int print_value(emh_buf *out, const cJSON *v, const style *st, int depth)
{
	if (depth > 200)
		return -1;
	if (cJSON_IsNull(v)) {
		emh_buf_puts(out, "null");
	} else if (cJSON_IsTrue(v)) {
		emh_buf_puts(out, "true");
	} else if (cJSON_IsFalse(v)) {
		emh_buf_puts(out, "false");
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
			return -1; /* dossiers hold integers only */
		emh_buf_appendf(out, "%lld", (long long)d);
	} else if (cJSON_IsString(v)) {
		emh_buf_append_json_string(out, v->valuestring, strlen(v->valuestring));
	} else if (cJSON_IsArray(v)) {
		emh_buf_putc(out, '[');
		int first = 1;
		for (const cJSON *e = v->child; e; e = e->next) {
			if (!first)
				emh_buf_puts(out, st->item);
			indent(out, st, depth + 1);
			if (print_value(out, e, st, depth + 1))
				return -1;
			first = 0;
		}
		if (!first)
			indent(out, st, depth);
		emh_buf_putc(out, ']');
	} else if (cJSON_IsObject(v)) {
		emh_buf_putc(out, '{');
		int rc = print_members(out, v, st, depth, 1);
		emh_buf_putc(out, '}');
		return rc;
	} else {
		return -1;
	}
	return 0;
}

static const style canonical_compact = { 0, 1, ",", ":" };
static const style canonical_pretty = { 1, 1, ",", ": " };
static const style line_compact = { 0, 0, ",", ":" };
static const style line_spaced = { 0, 0, ", ", ": " };

static int finish(emh_buf *out, int rc)
{
	if (rc)
		return EMH_EINVALID;
	return emh_buf_ok(out) ? 0 : out->err;
}

int emh_canonical_print(emh_buf *out, const cJSON *v, int pretty)
{
	if (print_value(out, v, pretty ? &canonical_pretty : &canonical_compact, 0))
		return EMH_EINVALID;
	if (pretty)
		emh_buf_putc(out, '\n');
	return emh_buf_ok(out) ? 0 : out->err;
}

int emh_json_print_line(emh_buf *out, const cJSON *v, int spaced)
{
	return finish(out, print_value(out, v, spaced ? &line_spaced : &line_compact, 0));
}

int emh_json_print_members(emh_buf *out, const cJSON *object, int spaced, int first)
{
	if (!cJSON_IsObject(object))
		return EMH_EINVALID;
	return finish(out, print_members(out, object, spaced ? &line_spaced : &line_compact, 0, first));
}
