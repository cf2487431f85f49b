/*
 * fuzz_artifact.h - what the artifact fuzz targets (fuzz_apk, fuzz_ipa,
 * fuzz_html) check of every reader call: each item is NUL-terminated valid
 * UTF-8 of its stated length, and a failure is an error code with a message
 * and the artifact's name as its file. Problems abort (fuzz.h).
 */
#ifndef EMH_TESTS_FUZZ_ARTIFACT_H
#define EMH_TESTS_FUZZ_ARTIFACT_H

#include <string.h>
#include "fuzz.h"
#include "evaluator/artifact.h"
#include "evaluator/internal.h"

static int emh_fuzz_item(const emh_artifact_item *it, void *ctx)
{
	(void)ctx;
	if (!it->name || strlen(it->name) != it->name_len || !emh_utf8_valid(it->name, it->name_len))
		emh_fuzz_fail("an item's name is not NUL-terminated UTF-8 of its length", NULL);
	if (it->entry && !emh_utf8_valid(it->entry, strlen(it->entry)))
		emh_fuzz_fail("an item's entry is not UTF-8", NULL);
	if (it->detail && !emh_utf8_valid(it->detail, strlen(it->detail)))
		emh_fuzz_fail("an item's detail is not UTF-8", NULL);
	if (!emh_artifact_kind_name(it->kind)[0])
		emh_fuzz_fail("an item has no kind", NULL);
	return 0;
}

/* rc of a reader call on artifact "a": 0, or an error with a message and a location. */
static void emh_fuzz_check_rc(int rc, const emh_error *err)
{
	if (rc == 0)
		return;
	if ((rc != EMH_EINVALID && rc != EMH_ELIMIT) || err->code != rc || !err->message[0] ||
	    strncmp(err->file, "a", 1) != 0)
		emh_fuzz_fail("a reader failed without a located error", err);
}

#endif
