/*
 * dex.c - the names of the classes a Dalvik executable (classes*.dex)
 * defines, the way Exodus Privacy finds tracker SDKs in Android packages.
 *
 * Each class_def names its class by an index into type_ids, whose entry is an
 * index into string_ids, whose entry is the offset of the descriptor's string
 * data: a ULEB128 count of UTF-16 units, then MUTF-8 bytes ending in NUL
 * (https://source.android.com/docs/core/runtime/dex-format). Every count,
 * offset and index is checked against the file before it is followed, and
 * each descriptor must be valid MUTF-8 of the form "L...;" with its declared
 * length. Names are passed to the visitor in place (no copy), except the rare
 * descriptor holding MUTF-8's two-byte NUL or a surrogate pair, which is
 * turned into standard UTF-8 in a small buffer first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/artifact.h"

#define DEX_HEADER_SIZE 0x70u
#define DEX_ENDIAN 0x12345678u

typedef struct dex {
	const unsigned char *p;
	size_t len;
	const char *artifact, *entry;
	emh_error *err;
} dex;

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Is the table [off, off + count * width) inside the file? */
static int table_ok(const dex *d, uint32_t off, uint32_t count, uint32_t width)
{
	uint64_t end = (uint64_t)off + (uint64_t)count * width;
	return count == 0 || (off >= DEX_HEADER_SIZE && end <= d->len);
}

/*
 * Checks the MUTF-8 string at p[0..) up to its NUL (before end): returns its
 * byte length, or (size_t)-1. *units gets its UTF-16 length and *plain is 1
 * when the bytes are also standard UTF-8 (no two-byte NUL, no surrogates).
 */
static size_t mutf8_check(const unsigned char *p, const unsigned char *end, uint64_t *units, int *plain)
{
	const unsigned char *s = p;
	*units = 0;
	*plain = 1;
	while (s < end && *s) {
		unsigned c = *s;
		if (c < 0x80) {
			s++;
		} else if ((c & 0xE0) == 0xC0) {
			if (end - s < 2 || (s[1] & 0xC0) != 0x80)
				return (size_t)-1;
			unsigned v = (c & 0x1Fu) << 6 | (s[1] & 0x3Fu);
			if (v == 0)
				*plain = 0; /* MUTF-8's NUL */
			else if (v < 0x80)
				return (size_t)-1;
			s += 2;
		} else if ((c & 0xF0) == 0xE0) {
			if (end - s < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
				return (size_t)-1;
			unsigned v = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
			if (v < 0x800)
				return (size_t)-1;
			if (v >= 0xD800 && v <= 0xDFFF)
				*plain = 0;
			s += 3;
		} else {
			return (size_t)-1; /* four-byte forms are not MUTF-8 */
		}
		(*units)++;
	}
	if (s >= end)
		return (size_t)-1; /* no terminating NUL inside the file */
	return (size_t)(s - p);
}

/* Rewrites MUTF-8 (already checked) as UTF-8 into out (room for 2 * n + 1). */
static size_t mutf8_to_utf8(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c < 0x80) {
			out[o++] = (char)c;
			i++;
		} else if ((c & 0xE0) == 0xC0) {
			unsigned v = (c & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu);
			if (v == 0)
				out[o++] = '\0'; /* kept, and refused by the caller's NUL check */
			else {
				out[o++] = (char)s[i];
				out[o++] = (char)s[i + 1];
			}
			i += 2;
		} else {
			unsigned v = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
			unsigned long cp = v;
			i += 3;
			if (v >= 0xD800 && v <= 0xDBFF && i + 3 <= n && (s[i] & 0xF0) == 0xE0) {
				unsigned w = (s[i] & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
				if (w >= 0xDC00 && w <= 0xDFFF) {
					cp = 0x10000ul + ((unsigned long)(v - 0xD800) << 10) + (w - 0xDC00);
					i += 3;
				}
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD; /* a lone surrogate */
			if (cp >= 0x10000) {
				out[o++] = (char)(0xF0 | cp >> 18);
				out[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			} else {
				out[o++] = (char)(0xE0 | cp >> 12);
			}
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[o] = '\0';
	return o;
}

/* Reads the ULEB128 at *pos (at most 5 bytes, a 32-bit value). */
static int uleb128(const dex *d, size_t *pos, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0, i = 0; i < 5; i++, shift += 7) {
		if (*pos >= d->len)
			return -1;
		unsigned char b = d->p[(*pos)++];
		v |= (uint64_t)(b & 0x7F) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return v <= UINT32_MAX ? 0 : -1;
		}
	}
	return -1;
}

#define BAD(...) emh_artifact_fail(d->err, EMH_EINVALID, d->artifact, d->entry, __VA_ARGS__)

int emh_dex_read(const void *data, size_t len, const char *artifact, const char *entry,
                 emh_artifact_visit visit, void *ctx, emh_error *err)
{
	dex dd = { data, len, artifact, entry, err }, *d = &dd;
	const unsigned char *p = dd.p;
	if (len < DEX_HEADER_SIZE || memcmp(p, "dex\n", 4) != 0 || p[7] != 0 ||
	    p[4] < '0' || p[4] > '9' || p[5] < '0' || p[5] > '9' || p[6] < '0' || p[6] > '9')
		return BAD("at offset 0: expected a dex header (\"dex\\n0NN\\0\" and %u bytes), found %zu bytes%s",
		           DEX_HEADER_SIZE, len, len >= 4 && memcmp(p, "dex\n", 4) == 0 ? " with a bad version" : "");
	if (u32(p + 0x28) != DEX_ENDIAN)
		return BAD("at offset 0x28: expected the endian tag 0x12345678, found 0x%08x", (unsigned)u32(p + 0x28));
	if (u32(p + 0x20) != len)
		return BAD("at offset 0x20: the header says the file has %u bytes, it has %zu",
		           (unsigned)u32(p + 0x20), len);
	if (u32(p + 0x24) != DEX_HEADER_SIZE)
		return BAD("at offset 0x24: expected header_size 0x70, found 0x%x", (unsigned)u32(p + 0x24));
	uint32_t nstrings = u32(p + 0x38), strings_off = u32(p + 0x3C);
	uint32_t ntypes = u32(p + 0x40), types_off = u32(p + 0x44);
	uint32_t nclasses = u32(p + 0x60), classes_off = u32(p + 0x64);
	if (!table_ok(d, strings_off, nstrings, 4))
		return BAD("at offset 0x38: string_ids (%u at 0x%x) do not fit in the file's %zu bytes",
		           (unsigned)nstrings, (unsigned)strings_off, len);
	if (!table_ok(d, types_off, ntypes, 4))
		return BAD("at offset 0x40: type_ids (%u at 0x%x) do not fit in the file's %zu bytes",
		           (unsigned)ntypes, (unsigned)types_off, len);
	if (!table_ok(d, classes_off, nclasses, 32))
		return BAD("at offset 0x60: class_defs (%u at 0x%x) do not fit in the file's %zu bytes",
		           (unsigned)nclasses, (unsigned)classes_off, len);
	char *scratch = NULL;
	size_t scratch_cap = 0;
	int rc = 0;
	for (uint32_t i = 0; i < nclasses && !rc; i++) {
		size_t def = (size_t)classes_off + (size_t)i * 32;
		uint32_t type = u32(p + def);
		if (type >= ntypes) {
			rc = BAD("at offset 0x%zx: class_def %u names type %u; the file has %u type_ids",
			         def, (unsigned)i, (unsigned)type, (unsigned)ntypes);
			break;
		}
		uint32_t str = u32(p + types_off + (size_t)type * 4);
		if (str >= nstrings) {
			rc = BAD("at offset 0x%zx: type_id %u names string %u; the file has %u string_ids",
			         (size_t)types_off + (size_t)type * 4, (unsigned)type, (unsigned)str, (unsigned)nstrings);
			break;
		}
		size_t sid = (size_t)strings_off + (size_t)str * 4;
		size_t at = u32(p + sid);
		uint64_t units, declared;
		int plain;
		if (at < DEX_HEADER_SIZE || at >= len || uleb128(d, &at, &declared)) {
			rc = BAD("at offset 0x%zx: string_id %u points to 0x%x, outside the file's data or not a "
			         "ULEB128 length", sid, (unsigned)str, (unsigned)u32(p + sid));
			break;
		}
		size_t n = mutf8_check(p + at, p + len, &units, &plain);
		if (n == (size_t)-1 || units != declared) {
			rc = BAD("at offset 0x%zx: string %u (class_def %u) is not valid MUTF-8 ending in NUL with "
			         "%llu UTF-16 units", at, (unsigned)str, (unsigned)i, (unsigned long long)declared);
			break;
		}
		const char *name = (const char *)p + at;
		if (!plain) {
			if (2 * n + 1 > scratch_cap) {
				char *ns = realloc(scratch, 2 * n + 1);
				if (!ns) {
					rc = emh_artifact_fail(err, EMH_EGENERIC, artifact, entry, "out of memory");
					break;
				}
				scratch = ns;
				scratch_cap = 2 * n + 1;
			}
			size_t m = mutf8_to_utf8(p + at, n, scratch);
			if (strlen(scratch) != m) {
				rc = BAD("at offset 0x%zx: the descriptor of class_def %u holds a NUL character", at, (unsigned)i);
				break;
			}
			name = scratch;
			n = m;
		}
		if (n < 3 || name[0] != 'L' || name[n - 1] != ';') {
			rc = BAD("at offset 0x%zx: class_def %u's descriptor is not a class name (\"L...;\")", at, (unsigned)i);
			break;
		}
		emh_artifact_item item = { EMH_ITEM_CLASS, name, n, entry, (unsigned long)def, 0, NULL };
		rc = visit(&item, ctx);
	}
	free(scratch);
	return rc;
}
