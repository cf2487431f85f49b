/*
 * fuzz_apk.c - bytes as an Android package's parts; the first byte picks:
 *   0 (mod 3): the rest as an APK (zip limits, every classes*.dex, the manifest)
 *   1: the rest as one dex file (dex.c)
 *   2: the rest as one binary AndroidManifest.xml (axml.c)
 * Direct modes reach the dex and binary XML parsers past the zip's CRC checks.
 */
#include "fuzz_artifact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	emh_error err = EMH_ERROR_INIT;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	int rc;
	switch (data[0] % 3) {
	case 0: rc = emh_apk_read(p, n, "a.apk", NULL, emh_fuzz_item, NULL, &err); break;
	case 1: rc = emh_dex_read(p, n, "a.apk", "classes.dex", emh_fuzz_item, NULL, &err); break;
	default: rc = emh_axml_read(p, n, "a.apk", "AndroidManifest.xml", emh_fuzz_item, NULL, &err); break;
	}
	emh_fuzz_check_rc(rc, &err);
	return 0;
}
