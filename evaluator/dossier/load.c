/*
 * load.c - a saved dossier read back and checked: its digest recomputed
 * from its content, so a dossier changed after it was written is refused
 * before review, signing or the ledger acts on it.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/dossier.h"
#include "emheval/io.h"
#include "evaluator/internal.h"
#include "evaluator/dossier/record.h"

int emh_dossier_check_digest(const emh_dossier *d, emh_error *err)
{
	if (!d->digest)
		return emh_error_set(err, EMH_EINVALID, "the dossier has no digest");
	cJSON *tree = emh_dossier_to_json(d, 0);
	char digest[72];
	int rc = tree ? emh_json_digest(digest, tree, err) : emh_error_set(err, EMH_EGENERIC, "out of memory");
	cJSON_Delete(tree);
	if (rc == 0 && strcmp(digest, d->digest) != 0)
		rc = emh_error_set(err, EMH_EINVALID, "the dossier's digest does not match its content: it was "
		                   "changed after it was written (emheval verify shows where)");
	return rc;
}

int emh_dossier_load(emh_dossier **out, const char *path, emh_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int rc = emh_io_read_file(&text, &len, path, EMH_DOSSIER_MAX_FILE, err);
	if (rc == 0)
		rc = emh_dossier_parse(out, text, len, path, err);
	free(text);
	if (rc == 0 && (rc = emh_dossier_check_digest(*out, err)) != 0) {
		emh_error_locate(err, path, 0, 0, NULL);
		emh_dossier_free(*out);
		*out = NULL;
	}
	return rc;
}

int emh_dossier__copy(emh_dossier **out, const emh_dossier *d, emh_error *err)
{
	emh_buf b = EMH_BUF_INIT;
	int rc = emh_report_render_json(&b, d, err);
	if (rc == 0)
		rc = emh_dossier_parse(out, b.ptr, b.len, "dossier", err);
	emh_buf_dispose(&b);
	return rc;
}
