/*
 * pointer.c - RFC 6901 JSON pointers, split into tokens once when criteria
 * compile, so that evaluating a submission never parses a pointer string.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "emheval/error.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"

/* An array index is "0" or digits without a leading zero (RFC 6901 §4). */
static long parse_index(const char *s)
{
	if (!*s || (s[0] == '0' && s[1]) || strlen(s) > 9)
		return -1;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

void emh_ptr_dispose(emh_ptr *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ntokens; i++)
		free(p->tokens[i].key);
	free(p->tokens);
	free(p->text);
	memset(p, 0, sizeof *p);
}

int emh_ptr_compile(emh_ptr *out, const char *text, emh_error *err)
{
	memset(out, 0, sizeof *out);
	if (text[0] != '\0' && text[0] != '/')
		return emh_error_set(err, EMH_EINVALID,
		                     "JSON pointer \"%s\" must be empty or start with '/'", text);
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '/';
	out->text = emh_strdup(text);
	out->tokens = n ? emh_calloc(n, sizeof *out->tokens) : NULL;
	if (!out->text || (n && !out->tokens))
		goto oom;
	const char *p = text;
	for (size_t i = 0; i < n; i++) {
		p++; /* skip '/' */
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *key = emh_malloc(len + 1);
		if (!key)
			goto oom;
		size_t k = 0;
		for (size_t j = 0; j < len; j++) {
			if (p[j] == '~') {
				if (j + 1 < len && (p[j + 1] == '0' || p[j + 1] == '1')) {
					key[k++] = p[j + 1] == '0' ? '~' : '/';
					j++;
				} else {
					free(key);
					out->ntokens = i;
					emh_ptr_dispose(out);
					return emh_error_set(err, EMH_EINVALID,
					                     "JSON pointer \"%s\": '~' must be followed by 0 or 1", text);
				}
			} else {
				key[k++] = p[j];
			}
		}
		key[k] = '\0';
		out->tokens[i].key = key;
		out->tokens[i].index = parse_index(key);
		out->ntokens = i + 1;
		p += len;
	}
	return 0;
oom:
	emh_ptr_dispose(out);
	return emh_error_set(err, EMH_EGENERIC, "out of memory");
}

const cJSON *emh_ptr_resolve(const emh_ptr *p, const cJSON *base,
                             const cJSON **deepest)
{
	const cJSON *v = base;
	for (size_t i = 0; v && i < p->ntokens; i++) {
		if (deepest)
			*deepest = v;
		const emh_ptr_token *t = &p->tokens[i];
		if (cJSON_IsObject(v)) {
			v = emh_json_find_member(v, t->key);
		} else if (cJSON_IsArray(v) && t->index >= 0) {
			const cJSON *e = v->child;
			for (long k = 0; e && k < t->index; k++)
				e = e->next;
			v = e;
		} else {
			v = NULL;
		}
	}
	if (v && deepest)
		*deepest = v;
	return v;
}

void emh_ptr_append_token(emh_buf *b, const char *token)
{
	emh_buf_putc(b, '/');
	for (const char *s = token; *s; s++) {
		if (*s == '~')
			emh_buf_puts(b, "~0");
		else if (*s == '/')
			emh_buf_puts(b, "~1");
		else
			emh_buf_putc(b, *s);
	}
}
