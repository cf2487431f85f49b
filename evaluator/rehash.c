/*
 * rehash.c - `emheval hash DIR`: the SHA-256 of every supplied document,
 * written into submission.json so a vendor never computes one by hand.
 * Only the "sha256" values change (one added after "path" where none was
 * declared): the rest of the file keeps its bytes, its layout and its key
 * order. The files are read by the submission loader, with its limits and
 * its refusals (paths leaving the folder, symlinks, FIFOs), so a document
 * hashed here is hashed the same way `check` will.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/submission.h"
#include "evaluator/internal.h"
#include "evaluator/submission_internal.h"

typedef struct edit {
	size_t at, drop;   /* bytes [at, at + drop) of the text are replaced */
	char with[256];
} edit;

/* The end (one past the closing quote) of the JSON string token starting at text[at] == '"'. */
static size_t string_end(const char *text, size_t len, size_t at)
{
	size_t i = at + 1;
	while (i < len && text[i] != '"')
		i += text[i] == '\\' ? 2 : 1;
	return i < len ? i + 1 : len;
}

/* The offset of value in the document (its first byte), or (size_t)-1. */
static size_t offset_of(const emh_submission *s, const cJSON *value)
{
	unsigned line = 0, col = 0;
	size_t off = 0;
	if (emh_json_locate(s->doc, value, &line, &col, &off) || line == 0)
		return (size_t)-1;
	return off;
}

int emh_submission_rehash(emh_buf *out, emh_rehash_cb on_change, void *payload, const char *dir,
                          const emh_submission_options *opts, emh_error *err)
{
	emh_submission *s = NULL;
	edit *edits = NULL;
	int rc = emh_submission_load(&s, dir, opts, err);
	if (rc)
		return rc;
	size_t len = 0;
	const char *text = emh_json_text(s->doc, &len);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(s->root, "evidence");
	size_t nedits = 0, i = 0;
	edits = calloc(s->nevidence ? s->nevidence : 1, sizeof *edits);
	if (!edits) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	for (const cJSON *entry = list ? list->child : NULL; entry && i < s->nevidence; entry = entry->next, i++) {
		const emh_evidence_entry *e = &s->evidence[i];
		if (e->declared)
			continue;
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(entry, "path");
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(entry, "sha256");
		if (!e->text) { /* nothing is written while a listed document is missing */
			unsigned line = 0, col = 0;
			emh_json_locate(s->doc, path, &line, &col, NULL);
			char ptr[64];
			snprintf(ptr, sizeof ptr, "/evidence/%zu/path", i);
			rc = emh_error_set(err, EMH_ENOTFOUND, "%.300s cannot be hashed: %.300s", e->path,
			                   e->problem ? e->problem : "the file is missing");
			emh_error_locate(err, s->json_label, line, col, ptr);
			goto done;
		}
		if (e->declared_sha256 && strcmp(e->declared_sha256, e->sha256) == 0 &&
		    strcmp(sha->valuestring, e->sha256) == 0)
			continue; /* already right, and in lowercase */
		edit *ed = &edits[nedits];
		size_t at = offset_of(s, sha ? sha : path);
		if (at == (size_t)-1 || at >= len || text[at] != '"') {
			rc = emh_error_set(err, EMH_EGENERIC, "internal: evidence %zu is not located in %s", i, s->json_label);
			goto done;
		}
		if (sha) {
			ed->at = at;
			ed->drop = string_end(text, len, at) - at;
			snprintf(ed->with, sizeof ed->with, "\"%s\"", e->sha256);
		} else {
			/* After "path": on the next line with its indentation when the entry spans lines. */
			size_t entry_at = offset_of(s, entry), line_start = at;
			while (line_start > 0 && text[line_start - 1] != '\n')
				line_start--;
			size_t indent = strspn(text + line_start, " \t");
			ed->at = string_end(text, len, at);
			ed->drop = 0;
			if (entry_at != (size_t)-1 && entry_at < line_start && indent < 200)
				snprintf(ed->with, sizeof ed->with, ",\n%.*s\"sha256\": \"%s\"", (int)indent, text + line_start,
				         e->sha256);
			else
				snprintf(ed->with, sizeof ed->with, ", \"sha256\": \"%s\"", e->sha256);
		}
		if (on_change) {
			emh_error where = EMH_ERROR_INIT;
			unsigned line = 0, col = 0;
			char ptr[64];
			emh_json_locate(s->doc, sha ? sha : path, &line, &col, NULL);
			snprintf(ptr, sizeof ptr, "/evidence/%zu/%s", i, sha ? "sha256" : "path");
			emh_error_locate(&where, s->json_label, line, col, ptr);
			on_change(e->path, e->declared_sha256, e->sha256, &where, payload);
		}
		nedits++;
	}
	/* The edits are in document order (the evidence array's): copy around them. */
	size_t from = 0;
	for (size_t k = 0; k < nedits; k++) {
		emh_buf_append(out, text + from, edits[k].at - from);
		emh_buf_append(out, edits[k].with, strlen(edits[k].with));
		from = edits[k].at + edits[k].drop;
	}
	emh_buf_append(out, text + from, len - from);
	if (out->err)
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	else
		rc = 0;
done:
	free(edits);
	emh_submission_free(s);
	return rc;
}
