/*
 * fuzz_html.c - bytes as a saved web page (html_artifact.c): libxml2's HTML
 * parser in recover mode, offline, and the walk over its tree.
 */
#include "fuzz_artifact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	emh_error err = EMH_ERROR_INIT;
	emh_artifact_limits lim = EMH_ARTIFACT_LIMITS_DEFAULT;
	lim.max_page_nodes = 5000; /* reached by some inputs, so the limit's path is fuzzed too */
	int rc = emh_html_read(data, size, "a.html", &lim, emh_fuzz_item, NULL, &err);
	emh_fuzz_check_rc(rc, &err);
	return 0;
}
