/*
 * zipread.c - an APK or IPA opened as a zip archive from memory, with libzip,
 * under limits that a zip bomb or a crafted archive cannot get past.
 *
 * libzip's ZIP_CHECKCONS compares every local header with the central
 * directory. On top of it: the member count; each member's declared size and
 * compression ratio and the declared total (all from the central directory,
 * before anything is inflated); duplicate names (two readers could pick
 * different members); and overlap: members that do not overlap occupy
 * distinct bytes, each at least its 30-byte local header, its name and its
 * compressed data, so if those add up to more than the archive, members share
 * bytes (the trick of non-recursive zip bombs). Reading a member requires
 * exactly its declared size, and all members read are counted together.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include "evaluator/artifact.h"
#include "evaluator/internal.h"

struct emh_zip {
	zip_t *za;
	const char *artifact;
	unsigned long count;
	const char **names;          /* libzip's, valid while za is open */
	unsigned long long read_total;
	emh_artifact_limits lim;
};

static const emh_artifact_limits default_limits = EMH_ARTIFACT_LIMITS_DEFAULT;

void emh_artifact_locate(emh_error *err, const char *artifact, const char *entry)
{
	if (!err)
		return;
	char file[sizeof err->file];
	if (entry)
		snprintf(file, sizeof file, "%s!%s", artifact ? artifact : "artifact", entry);
	else
		snprintf(file, sizeof file, "%s", artifact ? artifact : "artifact");
	emh_error_locate(err, file, 0, 0, NULL);
}

const char *emh_artifact_kind_name(emh_artifact_kind kind)
{
	switch (kind) {
	case EMH_ITEM_CLASS: return "class";
	case EMH_ITEM_PERMISSION: return "permission";
	case EMH_ITEM_FRAMEWORK: return "framework";
	case EMH_ITEM_PLIST_KEY: return "plist_key";
	case EMH_ITEM_URL: return "url";
	}
	return "unknown";
}

int emh_artifact_fail(emh_error *err, int code, const char *artifact, const char *entry,
                      const char *fmt, ...)
{
	char msg[sizeof err->message];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	emh_error_set(err, code, "%s", msg);
	emh_artifact_locate(err, artifact, entry);
	return code;
}
#define fail emh_artifact_fail

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int emh_zip_open(emh_zip **out, const void *data, size_t len, const char *artifact,
                 const emh_artifact_limits *limits, emh_error *err)
{
	*out = NULL;
	const emh_artifact_limits *lim = limits ? limits : &default_limits;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(len ? data : "", len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return fail(err, EMH_EGENERIC, artifact, NULL, "cannot read the archive: out of memory");
	}
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!za) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return fail(err, EMH_EINVALID, artifact, NULL,
		            "not a consistent zip archive (%s); expected an APK or IPA", msg);
	}
	zip_error_fini(&ze);
	zip_int64_t n = zip_get_num_entries(za, 0);
	if (n < 0 || (unsigned long long)n > lim->max_entries) {
		zip_discard(za);
		return fail(err, EMH_ELIMIT, artifact, NULL,
		            "the archive has %lld members; at most %lu are read (zip member limit)",
		            (long long)(n < 0 ? 0 : n), lim->max_entries);
	}
	emh_zip *z = calloc(1, sizeof *z);
	const char **sorted = calloc((size_t)n + 1, sizeof *sorted);
	if (z)
		z->names = calloc((size_t)n + 1, sizeof *z->names);
	if (!z || !sorted || !z->names) {
		if (z)
			free(z->names);
		free(z);
		free(sorted);
		zip_discard(za);
		return fail(err, EMH_EGENERIC, artifact, NULL, "out of memory");
	}
	z->za = za;
	z->artifact = artifact;
	z->count = (unsigned long)n;
	z->lim = *lim;
	unsigned long long total = 0, occupied = 0;
	int rc = 0;
	for (unsigned long i = 0; i < z->count && !rc; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		const char *name = zip_get_name(za, i, ZIP_FL_ENC_GUESS);
		if (!name || zip_stat_index(za, i, 0, &st) != 0 ||
		    (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) != (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) {
			rc = fail(err, EMH_EINVALID, artifact, NULL,
			          "member %lu cannot be read from the central directory", i);
			break;
		}
		if (!emh_utf8_valid(name, strlen(name))) {
			rc = fail(err, EMH_EINVALID, artifact, NULL, "member %lu's name is not valid UTF-8", i);
			break;
		}
		z->names[i] = sorted[i] = name;
		if (st.size > lim->max_entry)
			rc = fail(err, EMH_ELIMIT, artifact, name,
			          "declares %llu bytes uncompressed; at most %llu per member (zip member size limit)",
			          (unsigned long long)st.size, lim->max_entry);
		else if (st.size > lim->ratio_floor &&
		         (st.comp_size == 0 || st.size / st.comp_size >= lim->max_ratio))
			rc = fail(err, EMH_ELIMIT, artifact, name,
			          "inflates %llu compressed bytes to %llu, a ratio of %u or more (zip ratio limit)",
			          (unsigned long long)st.comp_size, (unsigned long long)st.size, lim->max_ratio);
		total += st.size;
		occupied += st.comp_size + 30 + strlen(name);
		if (!rc && total > lim->max_total)
			rc = fail(err, EMH_ELIMIT, artifact, name,
			          "the members up to this one declare %llu bytes uncompressed; at most %llu in all (zip total limit)",
			          total, lim->max_total);
	}
	if (!rc && occupied > len)
		rc = fail(err, EMH_EINVALID, artifact, NULL,
		          "members overlap: their headers and compressed data need %llu bytes but the archive has %zu",
		          occupied, len);
	if (!rc && z->count > 1) {
		qsort(sorted, z->count, sizeof *sorted, cmp_names);
		for (unsigned long i = 1; i < z->count && !rc; i++)
			if (strcmp(sorted[i - 1], sorted[i]) == 0)
				rc = fail(err, EMH_EINVALID, artifact, sorted[i],
				          "this member name appears twice; expected unique names");
	}
	free(sorted);
	if (rc) {
		emh_zip_close(z);
		return rc;
	}
	*out = z;
	return 0;
}

void emh_zip_close(emh_zip *z)
{
	if (!z)
		return;
	zip_discard(z->za);
	free(z->names);
	free(z);
}

unsigned long emh_zip_count(const emh_zip *z)
{
	return z->count;
}

const char *emh_zip_name(const emh_zip *z, unsigned long i)
{
	return i < z->count ? z->names[i] : NULL;
}

int emh_zip_read(emh_zip *z, unsigned long i, unsigned char **bytes, size_t *len, emh_error *err)
{
	*bytes = NULL;
	*len = 0;
	const char *name = emh_zip_name(z, i);
	zip_stat_t st;
	zip_stat_init(&st);
	if (!name || zip_stat_index(z->za, i, 0, &st) != 0)
		return fail(err, EMH_EINVALID, z->artifact, name, "cannot be read from the archive");
	if (st.size > z->lim.max_read - z->read_total)
		return fail(err, EMH_ELIMIT, z->artifact, name,
		            "reading %llu more bytes would pass %llu decompressed in all (zip read limit)",
		            (unsigned long long)st.size, z->lim.max_read);
	z->read_total += st.size;
	size_t size = (size_t)st.size;
	unsigned char *p = malloc(size + 1);
	if (!p)
		return fail(err, EMH_EGENERIC, z->artifact, name, "out of memory (%llu bytes)", (unsigned long long)st.size);
	zip_file_t *f = zip_fopen_index(z->za, i, 0);
	if (!f) {
		free(p);
		return fail(err, EMH_EINVALID, z->artifact, name, "cannot open the member (%s)",
		            zip_error_strerror(zip_get_error(z->za)));
	}
	size_t got = 0;
	int rc = 0;
	while (got < size) {
		zip_int64_t r = zip_fread(f, p + got, size - got);
		if (r <= 0) {
			rc = fail(err, EMH_EINVALID, z->artifact, name,
			          "inflates to %zu bytes where the central directory declares %llu (%s)", got,
			          (unsigned long long)st.size, r < 0 ? zip_file_strerror(f) : "truncated member");
			break;
		}
		got += (size_t)r;
	}
	if (!rc) {
		unsigned char extra;
		zip_int64_t r = zip_fread(f, &extra, 1);
		if (r != 0)
			rc = fail(err, EMH_EINVALID, z->artifact, name, "%s after its declared %llu bytes (%s)",
			          r > 0 ? "inflates further" : "fails its check", (unsigned long long)st.size,
			          r > 0 ? "corrupt member" : zip_file_strerror(f));
	}
	zip_fclose(f);
	if (rc) {
		free(p);
		return rc;
	}
	p[size] = '\0';
	*bytes = p;
	*len = size;
	return 0;
}
