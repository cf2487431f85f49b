/*
 * ipa.c - an iOS package: the frameworks it embeds and the tracking keys of
 * its Info.plist and privacy manifest, read from memory within the zip limits
 * of zipread.c. Property lists are parsed by libplist (binary or XML).
 *
 * An IPA is a zip whose app bundle is Payload/NAME.app/. Embedded SDKs live in
 * Payload/NAME.app/Frameworks/FW.framework/ (each reported once, by FW); the
 * keys below, in Payload/NAME.app/Info.plist and PrivacyInfo.xcprivacy, are
 * the ones an advertising or tracking SDK needs or an app declares when it
 * tracks (docs/observers.md lists them with their meaning).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plist/plist.h>
#include "emheval/buf.h"
#include "evaluator/artifact.h"
#include "evaluator/internal.h"

/* Property lists larger than this are refused (Info.plist files are a few KiB). */
#define EMH_PLIST_MAX (8u << 20)
/*
 * libplist 2.2 parses nested arrays and dictionaries by recursion, and copies
 * a binary plist's shared objects for each reference: deep nesting overflows
 * its stack and shared references multiply its tree. Both are refused first.
 */
#define EMH_PLIST_MAX_DEPTH 64
#define EMH_PLIST_MAX_NODES 200000ul

static const char *const tracking_keys[] = {
	"NSUserTrackingUsageDescription",       /* App Tracking Transparency prompt: the app tracks */
	"NSPrivacyTracking",                    /* privacy manifest: the app or SDK tracks */
	"NSPrivacyTrackingDomains",             /* privacy manifest: hosts used for tracking */
	"SKAdNetworkItems",                     /* ad networks allowed to attribute installs */
	"NSAdvertisingAttributionReportEndpoint", /* where install attributions are posted */
	"GADApplicationIdentifier",             /* Google Mobile Ads (AdMob) */
	"GADIsAdManagerApp",                    /* Google Ad Manager */
	"FacebookAppID",                        /* Meta (Facebook) SDK */
	"FacebookClientToken",
	"FacebookAutoLogAppEventsEnabled",
	"FacebookAdvertiserIDCollectionEnabled",
	"AppLovinSdkKey",                       /* AppLovin */
	"branch_key",                           /* Branch attribution */
	"FirebaseAutomaticScreenReportingEnabled", /* Google Analytics for Firebase */
};

typedef struct plist_ctx {
	const char *artifact, *entry;
	emh_artifact_visit visit;
	void *ctx;
	emh_buf value;
} plist_ctx;

static int emit(plist_ctx *c, const char *key, const char *detail)
{
	emh_artifact_item item = { EMH_ITEM_PLIST_KEY, key, strlen(key), c->entry, 0, 0, detail };
	return c->visit(&item, c->ctx);
}

/* One item per value: strings as they are, booleans and numbers written out,
 * arrays element by element (an SKAdNetworkItems dictionary by its identifier). */
static int emit_value(plist_ctx *c, const char *key, plist_t v, int depth)
{
	plist_type t = plist_get_node_type(v);
	emh_buf_clear(&c->value);
	if (t == PLIST_STRING) {
		/* Not plist_get_string_val, which asserts that the string holds no NUL. */
		uint64_t n = 0;
		const char *s = plist_get_string_ptr(v, &n);
		int ok = s && n < SIZE_MAX && memchr(s, 0, (size_t)n) == NULL && emh_utf8_valid(s, (size_t)n);
		if (ok)
			emh_buf_append(&c->value, s, (size_t)n);
		else
			emh_buf_puts(&c->value, "(not valid UTF-8)");
	} else if (t == PLIST_BOOLEAN) {
		uint8_t b = 0;
		plist_get_bool_val(v, &b);
		emh_buf_puts(&c->value, b ? "true" : "false");
	} else if (t == PLIST_UINT) {
		uint64_t u = 0;
		plist_get_uint_val(v, &u);
		emh_buf_appendf(&c->value, "%llu", (unsigned long long)u);
	} else if (t == PLIST_ARRAY && depth == 0) {
		uint32_t n = plist_array_get_size(v);
		if (n == 0)
			return emit(c, key, "(empty)");
		for (uint32_t i = 0; i < n; i++) {
			plist_t e = plist_array_get_item(v, i);
			if (plist_get_node_type(e) == PLIST_DICT) {
				plist_t id = plist_dict_get_item(e, "SKAdNetworkIdentifier");
				e = id ? id : e;
			}
			int rc = emit_value(c, key, e, 1);
			if (rc)
				return rc;
		}
		return 0;
	} else {
		emh_buf_puts(&c->value, t == PLIST_DICT ? "(dictionary)" : t == PLIST_ARRAY ? "(array)" : "(value)");
	}
	if (!emh_buf_ok(&c->value))
		emh_buf_clear(&c->value);
	return emit(c, key, emh_buf_cstr(&c->value));
}

/* Big-endian unsigned integer of n bytes (n <= 8). */
static uint64_t be(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * Checks a binary plist's object graph before libplist sees it: every offset
 * and reference in bounds, nesting at most EMH_PLIST_MAX_DEPTH, and at most
 * EMH_PLIST_MAX_NODES nodes once shared objects are counted per reference.
 * Returns NULL, or what is wrong.
 */
static const char *bplist_shape(const unsigned char *p, size_t len)
{
	if (len < 8 + 32)
		return "a binary property list shorter than its header and trailer";
	const unsigned char *t = p + len - 32;
	unsigned osize = t[6], rsize = t[7];
	uint64_t nobjects = be(t + 8, 8), top = be(t + 16, 8), table = be(t + 24, 8);
	if (osize < 1 || osize > 8 || rsize < 1 || rsize > 8 || nobjects == 0 || top >= nobjects ||
	    table < 8 || table > len - 32 || nobjects > (len - 32 - table) / osize)
		return "a binary property list whose trailer does not fit the file";
	struct { uint64_t obj, next, count; unsigned long long refs; } stack[EMH_PLIST_MAX_DEPTH + 1];
	unsigned depth = 0;
	unsigned long nodes = 0;
	stack[0].obj = top;
	stack[0].next = stack[0].count = 0;
	stack[0].refs = 0;
	for (int fresh = 1;;) {
		if (fresh) {
			if (++nodes > EMH_PLIST_MAX_NODES)
				return "a binary property list of more than 200000 nodes once shared objects are counted "
				       "(plist node limit)";
			uint64_t off = be(p + table + stack[depth].obj * osize, osize);
			if (off < 8 || off >= table)
				return "a binary property list object outside the object area";
			unsigned marker = p[off], kind = marker >> 4;
			uint64_t count = marker & 0x0F, at = off + 1;
			if (kind == 0xA || kind == 0xC || kind == 0xD) {
				if (count == 0x0F) { /* the count follows as an integer object */
					if (at >= table || (p[at] >> 4) != 1 || (p[at] & 0x0F) > 3)
						return "a binary property list container with a bad count";
					unsigned n = 1u << (p[at] & 0x0F);
					if (n > table - at - 1)
						return "a binary property list container with a bad count";
					count = be(p + at + 1, n);
					at += 1 + n;
				}
				if (kind == 0xD)
					count *= 2;
				if (count > (table - at) / rsize)
					return "a binary property list container whose references run past the object area";
				stack[depth].count = count;
				stack[depth].refs = at;
			} else {
				stack[depth].count = 0;
			}
			stack[depth].next = 0;
		}
		if (stack[depth].next < stack[depth].count) {
			uint64_t ref = be(p + stack[depth].refs + stack[depth].next * rsize, rsize);
			stack[depth].next++;
			if (ref >= nobjects)
				return "a binary property list reference to an object that does not exist";
			if (depth == EMH_PLIST_MAX_DEPTH)
				return "a binary property list nested more than 64 deep (plist depth limit)";
			stack[++depth].obj = ref;
			fresh = 1;
			continue;
		}
		if (depth == 0)
			return NULL;
		depth--;
		fresh = 0;
	}
}

/* 1 when XML elements nest deeper than the limit, scanned without parsing (over-counting at worst). */
static int xml_too_deep(const unsigned char *p, size_t len)
{
	long depth = 0;
	size_t gt = 0; /* the next '>' at or after i, len when none: found once per tag, never rescanned */
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] != '<')
			continue;
		unsigned char c = p[i + 1];
		if (c == '/') {
			depth--;
		} else if (c != '?' && c != '!') {
			if (gt <= i) { /* gt == i only before the first search: p[i] is a "<" */
				const unsigned char *q = memchr(p + i, '>', len - i);
				gt = q ? (size_t)(q - p) : len;
			}
			if (gt == len || p[gt - 1] != '/')
				depth++;
			if (depth > EMH_PLIST_MAX_DEPTH + 1)
				return 1;
		}
	}
	return 0;
}

int emh_plist_read(const void *data, size_t len, const char *artifact, const char *entry,
                   emh_artifact_visit visit, void *ctx, emh_error *err)
{
	if (len > EMH_PLIST_MAX)
		return emh_artifact_fail(err, EMH_ELIMIT, artifact, entry,
		                         "a property list of %zu bytes; at most %u are read (plist size limit)",
		                         len, EMH_PLIST_MAX);
	if (len >= 8 && memcmp(data, "bplist00", 8) == 0) {
		const char *why = bplist_shape(data, len);
		if (why)
			return emh_artifact_fail(err, strstr(why, "limit") ? EMH_ELIMIT : EMH_EINVALID, artifact, entry,
			                         "%s", why);
	} else if (xml_too_deep(data, len)) {
		return emh_artifact_fail(err, EMH_ELIMIT, artifact, entry,
		                         "a property list nested more than 64 deep (plist depth limit)");
	}
	plist_t root = NULL;
	if (len)
		plist_from_memory(data, (uint32_t)len, &root);
	if (!root || plist_get_node_type(root) != PLIST_DICT) {
		if (root)
			plist_free(root);
		return emh_artifact_fail(err, EMH_EINVALID, artifact, entry,
		                         "at offset 0: expected a property list (binary or XML) whose root is a dictionary");
	}
	plist_ctx c = { artifact, entry, visit, ctx, EMH_BUF_INIT };
	emh_buf_init(&c.value, 1u << 16);
	int rc = 0;
	for (size_t k = 0; k < sizeof tracking_keys / sizeof *tracking_keys && !rc; k++) {
		plist_t v = plist_dict_get_item(root, tracking_keys[k]);
		if (v)
			rc = emit_value(&c, tracking_keys[k], v, 0);
	}
	emh_buf_dispose(&c.value);
	plist_free(root);
	return rc;
}

/* Length of NAME.app in "Payload/NAME.app/REST" (REST returned in *rest), or 0. */
static size_t app_prefix(const char *name, const char **rest)
{
	if (strncmp(name, "Payload/", 8) != 0)
		return 0;
	const char *slash = strchr(name + 8, '/');
	if (!slash || slash - (name + 8) < 5 || strncmp(slash - 4, ".app", 4) != 0)
		return 0;
	*rest = slash + 1;
	return (size_t)(slash - name);
}

typedef struct framework {
	const char *path;   /* "Payload/NAME.app/Frameworks/FW.framework/..." in the zip's names */
	size_t path_len;    /* up to and including ".framework" */
	const char *name;   /* FW */
	size_t name_len;
} framework;

static int cmp_frameworks(const void *a, const void *b)
{
	const framework *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	n = x->path_len < y->path_len ? x->path_len : y->path_len;
	c = memcmp(x->path, y->path, n);
	return c ? c : (x->path_len > y->path_len) - (x->path_len < y->path_len);
}

static int visit_frameworks(emh_zip *z, const char *artifact, emh_artifact_visit visit, void *ctx,
                            emh_error *err)
{
	unsigned long n = emh_zip_count(z), nf = 0;
	framework *fw = calloc(n + 1, sizeof *fw);
	if (!fw)
		return emh_artifact_fail(err, EMH_EGENERIC, artifact, NULL, "out of memory");
	for (unsigned long i = 0; i < n; i++) {
		const char *name = emh_zip_name(z, i), *rest;
		if (!app_prefix(name, &rest) || strncmp(rest, "Frameworks/", 11) != 0)
			continue;
		const char *fname = rest + 11, *slash = strchr(fname, '/');
		size_t flen = slash ? (size_t)(slash - fname) : strlen(fname);
		if (flen <= 10 || memcmp(fname + flen - 10, ".framework", 10) != 0)
			continue;
		fw[nf].path = name;
		fw[nf].path_len = (size_t)(fname - name) + flen;
		fw[nf].name = fname;
		fw[nf++].name_len = flen - 10;
	}
	qsort(fw, nf, sizeof *fw, cmp_frameworks);
	int rc = 0;
	char *scratch = NULL;
	for (unsigned long k = 0; k < nf && !rc; k++) {
		if (k && cmp_frameworks(&fw[k - 1], &fw[k]) == 0)
			continue;
		char *s = realloc(scratch, fw[k].path_len + fw[k].name_len + 2);
		if (!s) {
			rc = emh_artifact_fail(err, EMH_EGENERIC, artifact, NULL, "out of memory");
			break;
		}
		scratch = s;
		memcpy(s, fw[k].path, fw[k].path_len);
		s[fw[k].path_len] = '\0';
		char *fname = s + fw[k].path_len + 1;
		memcpy(fname, fw[k].name, fw[k].name_len);
		fname[fw[k].name_len] = '\0';
		emh_artifact_item item = { EMH_ITEM_FRAMEWORK, fname, fw[k].name_len, s, 0, 0, NULL };
		rc = visit(&item, ctx);
	}
	free(scratch);
	free(fw);
	return rc;
}

int emh_ipa_read(const void *data, size_t len, const char *artifact,
                 const emh_artifact_limits *limits, emh_artifact_visit visit,
                 void *ctx, emh_error *err)
{
	emh_zip *z;
	int rc = emh_zip_open(&z, data, len, artifact, limits, err);
	if (rc)
		return rc;
	rc = visit_frameworks(z, artifact, visit, ctx, err);
	unsigned long n = emh_zip_count(z), plists = 0;
	for (unsigned long i = 0; i < n && !rc; i++) {
		const char *name = emh_zip_name(z, i), *rest;
		if (!app_prefix(name, &rest) ||
		    (strcmp(rest, "Info.plist") != 0 && strcmp(rest, "PrivacyInfo.xcprivacy") != 0))
			continue;
		plists += strcmp(rest, "Info.plist") == 0;
		unsigned char *bytes;
		size_t blen;
		if ((rc = emh_zip_read(z, i, &bytes, &blen, err)))
			break;
		rc = emh_plist_read(bytes, blen, artifact, name, visit, ctx, err);
		free(bytes);
	}
	if (!rc && !plists)
		rc = emh_artifact_fail(err, EMH_EINVALID, artifact, NULL,
		                       "no Payload/NAME.app/Info.plist in the archive; expected an IPA");
	emh_zip_close(z);
	return rc;
}
