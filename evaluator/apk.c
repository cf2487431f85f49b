/*
 * apk.c - an Android package: the classes of every classes*.dex at the top of
 * the archive (dex.c) and the permissions of its binary AndroidManifest.xml
 * (axml.c), read from memory within the zip limits of zipread.c.
 *
 * Android loads classes.dex, then classes2.dex, classes3.dex, ... while each
 * next one exists; any top-level "classesN.dex" is read here, in that order,
 * so that a class hidden in classes7.dex behind a missing classes6.dex is
 * still seen. One member is inflated at a time.
 */
#include <stdlib.h>
#include <string.h>
#include "evaluator/artifact.h"

/* N of a top-level "classes.dex" (1) or "classesN.dex" (N >= 2), else 0. */
static unsigned long dex_number(const char *name)
{
	if (strncmp(name, "classes", 7) != 0)
		return 0;
	const char *s = name + 7;
	if (strcmp(s, ".dex") == 0)
		return 1;
	if (*s < '2' || *s > '9')
		return 0;
	unsigned long n = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > 100000)
			return 0;
		n = n * 10 + (unsigned long)(*s - '0');
	}
	return strcmp(s, ".dex") == 0 ? n : 0;
}

typedef struct dex_member {
	unsigned long number, index;
} dex_member;

static int cmp_members(const void *a, const void *b)
{
	const dex_member *x = a, *y = b;
	return x->number < y->number ? -1 : x->number > y->number;
}

static int read_member(emh_zip *z, unsigned long i, const char *artifact, int manifest,
                       emh_artifact_visit visit, void *ctx, emh_error *err)
{
	unsigned char *bytes;
	size_t len;
	int rc = emh_zip_read(z, i, &bytes, &len, err);
	if (rc)
		return rc;
	const char *name = emh_zip_name(z, i);
	rc = manifest ? emh_axml_read(bytes, len, artifact, name, visit, ctx, err)
	              : emh_dex_read(bytes, len, artifact, name, visit, ctx, err);
	free(bytes);
	return rc;
}

/* Opens the archive as emh_ipa_read does: both are artifact readers of one signature (artifact.h), and what
 * they share is emh_zip_open; what they read from it differs. */
int emh_apk_read(const void *data, size_t len, const char *artifact,
                 const emh_artifact_limits *limits, emh_artifact_visit visit,
                 void *ctx, emh_error *err)
{
	emh_zip *z;
	int rc = emh_zip_open(&z, data, len, artifact, limits, err);
	if (rc)
		return rc;
	unsigned long n = emh_zip_count(z), ndex = 0, manifest = n;
	dex_member *dexes = calloc(n + 1, sizeof *dexes);
	if (!dexes) {
		emh_zip_close(z);
		return emh_artifact_fail(err, EMH_EGENERIC, artifact, NULL, "out of memory");
	}
	for (unsigned long i = 0; i < n; i++) {
		const char *name = emh_zip_name(z, i);
		unsigned long number = dex_number(name);
		if (number) {
			dexes[ndex].number = number;
			dexes[ndex++].index = i;
		} else if (strcmp(name, "AndroidManifest.xml") == 0) {
			manifest = i;
		}
	}
	if (manifest == n) {
		rc = emh_artifact_fail(err, EMH_EINVALID, artifact, NULL,
		                       "no AndroidManifest.xml at the top of the archive; expected an APK");
		goto out;
	}
	qsort(dexes, ndex, sizeof *dexes, cmp_members);
	for (unsigned long k = 0; k < ndex && !rc; k++)
		rc = read_member(z, dexes[k].index, artifact, 0, visit, ctx, err);
	if (!rc)
		rc = read_member(z, manifest, artifact, 1, visit, ctx, err);
out:
	free(dexes);
	emh_zip_close(z);
	return rc;
}
