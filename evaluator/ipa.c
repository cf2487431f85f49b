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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <plist/plist.h>
#include "emheval/buf.h"
#include "evaluator/artifact.h"
#include "evaluator/internal.h"

/* Property lists larger than this are refused (Info.plist files are a few KiB). */
#define EMH_PLIST_MAX (8u << 20)

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
		char *s = NULL;
		plist_get_string_val(v, &s);
		int ok = s && emh_utf8_valid(s, strlen(s));
		emh_buf_puts(&c->value, ok ? s : "(not valid UTF-8)");
		free(s);
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

int emh_plist_read(const void *data, size_t len, const char *artifact, const char *entry,
                   emh_artifact_visit visit, void *ctx, emh_error *err)
{
	if (len > EMH_PLIST_MAX)
		return emh_artifact_fail(err, EMH_ELIMIT, artifact, entry,
		                         "a property list of %zu bytes; at most %u are read (plist size limit)",
		                         len, EMH_PLIST_MAX);
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
