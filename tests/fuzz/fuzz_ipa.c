/*
 * fuzz_ipa.c - bytes as an iOS package's parts; the first byte picks:
 *   even: the rest as an IPA (zip limits, frameworks, Info.plist, privacy manifest)
 *   odd:  the rest as one property list, binary or XML (libplist)
 */
#include "fuzz_artifact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	emh_error err = EMH_ERROR_INIT;
	int rc = data[0] % 2 == 0
	         ? emh_ipa_read(data + 1, size - 1, "a.ipa", NULL, emh_fuzz_item, NULL, &err)
	         : emh_plist_read(data + 1, size - 1, "a.ipa", "Payload/A.app/Info.plist", emh_fuzz_item, NULL, &err);
	emh_fuzz_check_rc(rc, &err);
	return 0;
}
