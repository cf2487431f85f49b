/*
 * fuzz_dossier.c - bytes as a saved dossier (emh_dossier_parse): dossiers
 * come back years later and may have been edited. One that parses is
 * sealed, rendered in every format and read back (fuzz_common.c).
 * Verification (evaluator/verify.c) is fuzzed here once it lands.
 */
#include <string.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_dossier_parse(&d, (const char *)data, size, "dossier.json", &err);
	if (rc) {
		if (!err.message[0])
			emh_fuzz_fail("a rejected dossier without a message", &err);
		return 0;
	}
	emh_fuzz_render_all(d);
	if (emh_dossier_seal(d, &err) && err.code != EMH_ELIMIT)
		emh_fuzz_fail("sealing a parsed dossier failed", &err);
	emh_dossier_free(d);
	return 0;
}
