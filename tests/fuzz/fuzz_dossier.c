/*
 * fuzz_dossier.c - bytes as a saved dossier: dossiers come back years later
 * and may have been edited. One that emh_dossier_parse accepts is rendered
 * in every format and read back (fuzz_common.c), sealed, and verified from
 * a file (evaluator/verify.c: digest, criteria at the recorded commit of
 * this repository, reproduction), which must run its checks without
 * failing itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "emheval/audit.h"

#ifndef EMH_FUZZ_REPO
#define EMH_FUZZ_REPO "."
#endif

static char dossier_path[256];

static void cleanup(void)
{
	if (dossier_path[0])
		unlink(dossier_path);
}

/* Writes the input to a file of this process's own and verifies it. */
static void verify(const uint8_t *data, size_t size)
{
	if (!dossier_path[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dossier_path, sizeof dossier_path, "%s/emh-fuzz-dossier-%ld.json",
		         tmp && *tmp ? tmp : "/tmp", (long)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(dossier_path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		emh_fuzz_fail("cannot write the dossier to verify", NULL);
	emh_verify_summary sum;
	emh_verify_options vo = EMH_VERIFY_OPTIONS_INIT;
	vo.criteria = EMH_FUZZ_REPO;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_verify(&sum, dossier_path, &vo, &err);
	if (rc && !err.message[0])
		emh_fuzz_fail("verify failed without a message", &err);
}

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
	verify(data, size);
	return 0;
}
