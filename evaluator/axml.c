/*
 * axml.c - the permissions in an APK's AndroidManifest.xml, which the build
 * stores as Android's binary XML (frameworks/base/libs/androidfw/ResourceTypes
 * and include/androidfw/ResourceTypes.h): a chunk of type RES_XML_TYPE holding
 * a string pool (UTF-8 or UTF-16), a resource map (string index -> attribute
 * resource id) and one chunk per XML node.
 *
 * Read: each uses-permission and uses-permission-sdk-23 element's android:name
 * (the attribute whose resource id is 0x01010003, or named "name" in the
 * android namespace where there is no resource map entry, as aapt writes it).
 * Every chunk header, size, index and string is checked; a truncated or
 * inconsistent file is an error at the chunk's offset, never a guess.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/artifact.h"
#include "evaluator/internal.h"

enum {
	RES_STRING_POOL_TYPE = 0x0001,
	RES_XML_TYPE = 0x0003,
	RES_XML_START_ELEMENT_TYPE = 0x0102,
	RES_XML_RESOURCE_MAP_TYPE = 0x0180,
	UTF8_FLAG = 0x100,
	TYPE_STRING = 0x03,
	ATTR_NAME_ID = 0x01010003
};
#define NO_INDEX 0xFFFFFFFFu
#define ANDROID_NS "http://schemas.android.com/apk/res/android"

typedef struct axml {
	const unsigned char *p;
	size_t len;
	const char *artifact, *entry;
	emh_error *err;
	/* the string pool */
	size_t pool;          /* its chunk's offset */
	size_t pool_end;
	uint32_t nstrings;
	size_t offsets;       /* offset of its uint32 string offsets */
	size_t strings;       /* where string data starts */
	int utf8;
	/* the resource map */
	size_t resmap;
	uint32_t nresmap;
	emh_buf scratch[2];   /* UTF-16 strings as UTF-8 */
} axml;

static uint16_t u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define BAD(...) emh_artifact_fail(x->err, EMH_EINVALID, x->artifact, x->entry, __VA_ARGS__)

/*
 * String idx of the pool as NUL-terminated UTF-8 in *s (in place for UTF-8
 * pools, in scratch[slot] for UTF-16 ones). Returns 0 or an error.
 */
static int pool_string(axml *x, uint32_t idx, int slot, const char **s, size_t *n)
{
	if (!x->pool_end)
		return BAD("at offset 0x8: expected the string pool before any element");
	if (idx >= x->nstrings)
		return BAD("in the string pool at offset 0x%zx: string %u requested, the pool has %u",
		           x->pool, (unsigned)idx, (unsigned)x->nstrings);
	size_t at = x->strings + u32(x->p + x->offsets + (size_t)idx * 4);
	const unsigned char *p = x->p;
	size_t end = x->pool_end;
	if (at < x->strings || at >= end)
		goto bad;
	if (x->utf8) {
		/* length in UTF-16 units, then in bytes; each one or two bytes */
		for (int k = 0; k < 2; k++) {
			size_t len = p[at++];
			if (len & 0x80) {
				if (at >= end)
					goto bad;
				len = (len & 0x7F) << 8 | p[at++];
			}
			if (at >= end)
				goto bad;
			*n = len;
		}
		if (*n >= end - at || p[at + *n] != 0)
			goto bad;
		if (!emh_utf8_valid((const char *)p + at, *n) || memchr(p + at, 0, *n))
			return BAD("at offset 0x%zx: string %u of the pool is not valid UTF-8", at, (unsigned)idx);
		*s = (const char *)p + at;
		return 0;
	}
	if (end - at < 2)
		goto bad;
	size_t units = u16(p + at);
	at += 2;
	if (units & 0x8000) {
		if (end - at < 2)
			goto bad;
		units = (units & 0x7FFF) << 16 | u16(p + at);
		at += 2;
	}
	if (units >= (end - at) / 2 || u16(p + at + units * 2) != 0)
		goto bad;
	emh_buf *b = &x->scratch[slot];
	emh_buf_clear(b);
	for (size_t i = 0; i < units; i++) {
		unsigned long c = u16(p + at + i * 2);
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
			unsigned long d = u16(p + at + (i + 1) * 2);
			if (d >= 0xDC00 && d <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i++;
			}
		}
		if ((c >= 0xD800 && c <= 0xDFFF) || c == 0)
			return BAD("at offset 0x%zx: string %u of the pool is not valid UTF-16 (unit %zu)",
			           at, (unsigned)idx, i);
		char u[4];
		size_t k;
		if (c < 0x80) {
			u[0] = (char)c;
			k = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xC0 | c >> 6);
			u[1] = (char)(0x80 | (c & 0x3F));
			k = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xE0 | c >> 12);
			u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F));
			k = 3;
		} else {
			u[0] = (char)(0xF0 | c >> 18);
			u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[3] = (char)(0x80 | (c & 0x3F));
			k = 4;
		}
		emh_buf_append(b, u, k);
	}
	emh_buf_append(b, "", 0);
	if (!emh_buf_ok(b))
		return emh_artifact_fail(x->err, EMH_EGENERIC, x->artifact, x->entry, "out of memory");
	*s = b->ptr;
	*n = b->len;
	return 0;
bad:
	return BAD("at offset 0x%zx: string %u of the pool (chunk at 0x%zx) runs past the pool or lacks its "
	           "terminator", at, (unsigned)idx, x->pool);
}

static int read_pool(axml *x, size_t off, size_t size, size_t hsize)
{
	const unsigned char *p = x->p + off;
	if (x->pool_end)
		return BAD("at offset 0x%zx: a second string pool; expected one", off);
	if (hsize < 28)
		return BAD("at offset 0x%zx: string pool header of %zu bytes; expected 28", off, hsize);
	uint32_t nstrings = u32(p + 8), nstyles = u32(p + 12), flags = u32(p + 16);
	uint32_t strings_start = u32(p + 20);
	if ((uint64_t)hsize + ((uint64_t)nstrings + nstyles) * 4 > size ||
	    (nstrings && (strings_start < hsize + ((uint64_t)nstrings + nstyles) * 4 || strings_start > size)))
		return BAD("at offset 0x%zx: the string pool's %u offsets or its string data (at +0x%x) do not fit in "
		           "its %zu bytes", off, (unsigned)nstrings, (unsigned)strings_start, size);
	x->pool = off;
	x->pool_end = off + size;
	x->nstrings = nstrings;
	x->offsets = off + hsize;
	x->strings = off + strings_start;
	x->utf8 = (flags & UTF8_FLAG) != 0;
	return 0;
}

/* Does attribute a (20 bytes at ap) carry android:name? */
static int is_android_name(axml *x, const unsigned char *ap, int *yes)
{
	uint32_t name = u32(ap + 4), ns = u32(ap);
	*yes = 0;
	if (name < x->nresmap) {
		*yes = u32(x->p + x->resmap + (size_t)name * 4) == ATTR_NAME_ID;
		return 0;
	}
	if (ns == NO_INDEX)
		return 0;
	const char *s;
	size_t n;
	int rc = pool_string(x, name, 0, &s, &n);
	if (rc || strcmp(s, "name") != 0)
		return rc;
	if ((rc = pool_string(x, ns, 0, &s, &n)))
		return rc;
	*yes = strcmp(s, ANDROID_NS) == 0;
	return 0;
}

static int read_element(axml *x, size_t off, size_t size, size_t hsize,
                        emh_artifact_visit visit, void *ctx)
{
	const unsigned char *p = x->p + off;
	if (hsize < 16 || size < hsize + 20)
		return BAD("at offset 0x%zx: start-element chunk of %zu bytes (header %zu); expected at least 36",
		           off, size, hsize);
	const unsigned char *ext = p + hsize;
	uint32_t name = u32(ext + 4);
	uint16_t astart = u16(ext + 8), asize = u16(ext + 10), acount = u16(ext + 12);
	if (acount && (asize < 20 || (uint64_t)hsize + astart + (uint64_t)asize * acount > size))
		return BAD("at offset 0x%zx: %u attributes of %u bytes at +%u do not fit in the element's %zu bytes",
		           off, (unsigned)acount, (unsigned)asize, (unsigned)astart, size);
	const char *s;
	size_t n;
	int rc = pool_string(x, name, 1, &s, &n);
	if (rc)
		return rc;
	if (strcmp(s, "uses-permission") != 0 && strcmp(s, "uses-permission-sdk-23") != 0)
		return 0;
	for (unsigned i = 0; i < acount; i++) {
		const unsigned char *ap = ext + astart + (size_t)i * asize;
		int yes;
		if ((rc = is_android_name(x, ap, &yes)))
			return rc;
		if (!yes)
			continue;
		uint32_t raw = u32(ap + 8), data = u32(ap + 16);
		uint32_t idx = raw != NO_INDEX ? raw : ap[15] == TYPE_STRING ? data : NO_INDEX;
		if (idx == NO_INDEX)
			return BAD("at offset 0x%zx: a uses-permission's android:name is not a string", off);
		if ((rc = pool_string(x, idx, 1, &s, &n)))
			return rc;
		emh_artifact_item item = { EMH_ITEM_PERMISSION, s, n, x->entry, (unsigned long)off, 0, NULL };
		return visit(&item, ctx);
	}
	return 0;
}

int emh_axml_read(const void *data, size_t len, const char *artifact, const char *entry,
                  emh_artifact_visit visit, void *ctx, emh_error *err)
{
	axml xx;
	memset(&xx, 0, sizeof xx);
	axml *x = &xx;
	x->p = data;
	x->len = len;
	x->artifact = artifact;
	x->entry = entry;
	x->err = err;
	emh_buf_init(&x->scratch[0], 1u << 20);
	emh_buf_init(&x->scratch[1], 1u << 20);
	int rc = 0;
	if (len < 8 || u16(x->p) != RES_XML_TYPE || u16(x->p + 2) < 8 || u32(x->p + 4) != len) {
		rc = BAD("at offset 0: expected a binary XML chunk (type 0x0003) of the file's %zu bytes; found type "
		         "0x%04x of %u bytes", len, len >= 2 ? (unsigned)u16(x->p) : 0u,
		         len >= 8 ? (unsigned)u32(x->p + 4) : 0u);
		goto out;
	}
	for (size_t off = u16(x->p + 2); off < len && !rc;) {
		if (len - off < 8) {
			rc = BAD("at offset 0x%zx: a chunk header is cut short (%zu bytes left; expected 8)", off, len - off);
			break;
		}
		uint16_t type = u16(x->p + off);
		size_t hsize = u16(x->p + off + 2), size = u32(x->p + off + 4);
		if (hsize < 8 || size < hsize || size > len - off) {
			rc = BAD("at offset 0x%zx: chunk of type 0x%04x claims %zu bytes (header %zu); %zu remain",
			         off, (unsigned)type, size, hsize, len - off);
			break;
		}
		if (type == RES_STRING_POOL_TYPE) {
			rc = read_pool(x, off, size, hsize);
		} else if (type == RES_XML_RESOURCE_MAP_TYPE) {
			x->resmap = off + hsize;
			x->nresmap = (uint32_t)((size - hsize) / 4);
		} else if (type == RES_XML_START_ELEMENT_TYPE) {
			rc = read_element(x, off, size, hsize, visit, ctx);
		}
		off += size;
	}
out:
	emh_buf_dispose(&x->scratch[0]);
	emh_buf_dispose(&x->scratch[1]);
	return rc;
}
