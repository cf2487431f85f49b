/*
 * check_artifact.c - the artifact readers (evaluator/artifact.h) on real
 * artifacts built by tests/artifacts/make.sh from source with Debian's tools
 * (smali, aapt, aapt2, zip, Python's plistlib), checked against independent
 * readers (dexdump's class descriptors, `aapt dump permissions`), and on
 * hostile variants: zip bombs, overlapping and duplicate members, dex files
 * with out-of-range offsets and malformed MUTF-8, truncated binary XML.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "emheval/buf.h"
#include "evaluator/artifact.h"
#include "helpers.h"

static char *fx; /* the fixtures folder, made once per test case */

static void make_fixtures(void)
{
	fx = emh_test_tmpdir();
	if (emh_test_sh("bash artifacts/make.sh '%s' >/dev/null", fx) != 0) {
		fprintf(stderr, "check_artifact: tests/artifacts/make.sh failed\n");
		exit(1);
	}
}

static void remove_fixtures(void)
{
	emh_test_rmtree(fx);
	free(fx);
	fx = NULL;
}

/* The bytes of fixture NAME (malloc'd, *len set). */
static unsigned char *load(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", fx, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "no fixture %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)n + 1);
	ck_assert(p && fread(p, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

/* Items written one per line: "kind entry name" (offset and line left out). */
typedef struct collect {
	emh_buf out;
	int kinds;           /* bit (1 << kind) selects, 0 all */
	int with_detail;
	int stop_after;      /* return 7 after this many items; 0 never */
	int count;
	unsigned long class_offset; /* offset of AppEventsLogger's class_def */
	unsigned url_line;          /* line of the facebook.com pixel */
} collect;

static int visit(const emh_artifact_item *it, void *ctx)
{
	collect *c = ctx;
	ck_assert_uint_eq(strlen(it->name), it->name_len);
	if (c->kinds && !(c->kinds & (1 << it->kind)))
		return 0;
	if (it->kind == EMH_ITEM_CLASS && strcmp(it->name, "Lcom/facebook/appevents/AppEventsLogger;") == 0)
		c->class_offset = it->offset;
	if (it->kind == EMH_ITEM_URL && strstr(it->name, "facebook.com/tr"))
		c->url_line = it->line;
	emh_buf_appendf(&c->out, "%s %s %s", emh_artifact_kind_name(it->kind), it->entry ? it->entry : "-", it->name);
	if (c->with_detail && it->detail)
		emh_buf_appendf(&c->out, " = %s", it->detail);
	if (it->kind == EMH_ITEM_URL)
		emh_buf_appendf(&c->out, " @%u", it->line);
	emh_buf_putc(&c->out, '\n');
	return ++c->count == c->stop_after ? 7 : 0;
}

/* "PREFIX line\n" for each line of fixture NAME. */
static void expect_lines(emh_buf *b, const char *prefix, const char *name)
{
	size_t len;
	char *text = (char *)load(name, &len);
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		emh_buf_appendf(b, "%s%.*s\n", prefix, (int)(nl - line), line);
		if (!*nl)
			break;
	}
	free(text);
}

START_TEST(test_apk_matches_dexdump_and_aapt)
{
	static const char *const apks[] = { "app.apk", "app16.apk" };
	for (size_t k = 0; k < 2; k++) {
		size_t len;
		unsigned char *apk = load(apks[k], &len);
		collect c = { EMH_BUF_INIT, 0, 0, 0, 0, 0, 0 };
		emh_error err = EMH_ERROR_INIT;
		EMH_PASS(emh_apk_read(apk, len, apks[k], NULL, visit, &c, &err), &err);
		emh_buf want = EMH_BUF_INIT;
		expect_lines(&want, "class classes.dex ", "classes.dexdump");
		expect_lines(&want, "class classes2.dex ", "classes2.dexdump");
		expect_lines(&want, "permission AndroidManifest.xml ", k ? "app16.perms" : "app.perms");
		ck_assert_str_eq(emh_buf_cstr(&c.out), emh_buf_cstr(&want));
		ck_assert(strstr(emh_buf_cstr(&want), "class classes.dex Lorg/example/mood/Café;\n"));
		ck_assert(strstr(emh_buf_cstr(&want), "class classes2.dex Lcom/facebook/appevents/AppEventsLogger;\n"));
		ck_assert(strstr(emh_buf_cstr(&want), "permission AndroidManifest.xml com.google.android.gms.permission.AD_ID\n"));
		/* located at its class_def: past the header, inside classes2.dex */
		ck_assert_uint_ge(c.class_offset, 0x70);
		emh_buf_dispose(&c.out);
		emh_buf_dispose(&want);
		free(apk);
	}
}
END_TEST

START_TEST(test_apk_clean_and_utf8_pool)
{
	size_t len;
	unsigned char *apk = load("clean.apk", &len);
	collect c = { EMH_BUF_INIT, 1 << EMH_ITEM_PERMISSION, 0, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_apk_read(apk, len, "clean.apk", NULL, visit, &c, &err), &err);
	emh_buf want = EMH_BUF_INIT;
	expect_lines(&want, "permission AndroidManifest.xml ", "clean.perms");
	ck_assert_str_eq(emh_buf_cstr(&c.out), emh_buf_cstr(&want));
	free(apk);
	emh_buf_clear(&c.out);
	emh_buf_clear(&want);
	/* aapt2's UTF-8 pool, attribute names only in the resource map */
	unsigned char *xml = load("perms-utf8.xml", &len);
	unsigned char *fxml = load("AndroidManifest.xml", &(size_t){ 0 });
	ck_assert_uint_eq(xml[25] & 1, 1); /* UTF8_FLAG (0x100) in the pool's flags: really UTF-8 */
	ck_assert_uint_eq(fxml[25] & 1, 0); /* and the manifest's pool really UTF-16 */
	EMH_PASS(emh_axml_read(xml, len, "r.apk", "res/xml/perms.xml", visit, &c, &err), &err);
	expect_lines(&want, "permission res/xml/perms.xml ", "app.perms");
	ck_assert_str_eq(emh_buf_cstr(&c.out), emh_buf_cstr(&want));
	emh_buf_dispose(&c.out);
	emh_buf_dispose(&want);
	free(xml);
	free(fxml);
}
END_TEST

START_TEST(test_visitor_stops)
{
	size_t len;
	unsigned char *apk = load("app.apk", &len);
	collect c = { EMH_BUF_INIT, 0, 0, 3, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_apk_read(apk, len, "app.apk", NULL, visit, &c, &err), 7);
	ck_assert_int_eq(c.count, 3);
	emh_buf_dispose(&c.out);
	free(apk);
}
END_TEST

/* Reads fixture name as an APK; expects code and every one of the NULL-ended wants in "file: message". */
static void expect_apk_error(const char *name, const emh_artifact_limits *lim, int code, ...)
{
	size_t len;
	unsigned char *apk = load(name, &len);
	collect c = { EMH_BUF_INIT, 0, 0, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_apk_read(apk, len, name, lim, visit, &c, &err);
	char msg[1400];
	emh_error_format(&err, msg, sizeof msg);
	ck_assert_msg(rc == code, "%s: expected %d, got %d (%s)", name, code, rc, msg);
	va_list ap;
	va_start(ap, code);
	for (const char *w; (w = va_arg(ap, const char *));)
		ck_assert_msg(strstr(msg, w), "%s: \"%s\" not in \"%s\"", name, w, msg);
	va_end(ap);
	emh_buf_dispose(&c.out);
	free(apk);
}

START_TEST(test_hostile_archives)
{
	expect_apk_error("bomb.apk", NULL, EMH_ELIMIT, "bomb.apk!assets/zeros.bin: ", "zip ratio limit", NULL);
	expect_apk_error("overlap.apk", NULL, EMH_EINVALID, "overlap.apk: members overlap", NULL);
	expect_apk_error("dup.apk", NULL, EMH_EINVALID, "dup.apk: not a consistent zip archive (File already exists)", NULL);
	expect_apk_error("truncated.apk", NULL, EMH_EINVALID, "truncated.apk: not a consistent zip archive", NULL);
	emh_artifact_limits lim = EMH_ARTIFACT_LIMITS_DEFAULT;
	lim.max_entries = 2;
	expect_apk_error("app.apk", &lim, EMH_ELIMIT, "app.apk: the archive has 3 members", "zip member limit", NULL);
	lim = (emh_artifact_limits)EMH_ARTIFACT_LIMITS_DEFAULT;
	lim.max_entry = 1000;
	expect_apk_error("app.apk", &lim, EMH_ELIMIT, "app.apk!AndroidManifest.xml: declares 1380", "zip member size limit", NULL);
	lim = (emh_artifact_limits)EMH_ARTIFACT_LIMITS_DEFAULT;
	lim.max_total = 2000;
	expect_apk_error("app.apk", &lim, EMH_ELIMIT, "zip total limit", NULL);
	lim = (emh_artifact_limits)EMH_ARTIFACT_LIMITS_DEFAULT;
	lim.max_read = 1000;
	expect_apk_error("app.apk", &lim, EMH_ELIMIT, "app.apk!classes2.dex: reading 1092 more bytes", "zip read limit", NULL);
	expect_apk_error("classes.dex", NULL, EMH_EINVALID, "classes.dex: not a consistent zip archive", NULL);
	/* an archive without a manifest is not an APK */
	size_t len;
	unsigned char *ipa = load("app.ipa", &len);
	emh_error err = EMH_ERROR_INIT;
	collect c = { EMH_BUF_INIT, 0, 0, 0, 0, 0, 0 };
	ck_assert_int_eq(emh_apk_read(ipa, len, "x.apk", NULL, visit, &c, &err), EMH_EINVALID);
	ck_assert_str_eq(err.file, "x.apk");
	ck_assert(strstr(err.message, "no AndroidManifest.xml"));
	emh_buf_dispose(&c.out);
	free(ipa);
}
END_TEST

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static unsigned long get32(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

/* Reads d as classes2.dex; expects EMH_EINVALID with want in the formatted error. */
static void expect_dex_error(const unsigned char *d, size_t len, const char *want)
{
	collect c = { EMH_BUF_INIT, 0, 0, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_dex_read(d, len, "app.apk", "classes2.dex", visit, &c, &err);
	char msg[1400];
	emh_error_format(&err, msg, sizeof msg);
	ck_assert_msg(rc == EMH_EINVALID && strstr(msg, want), "want \"%s\", got %d \"%s\"", want, rc, msg);
	ck_assert_str_eq(err.file, "app.apk!classes2.dex");
	emh_buf_dispose(&c.out);
}

START_TEST(test_hostile_dex)
{
	size_t len;
	unsigned char *orig = load("classes2.dex", &len);
	unsigned char *d = malloc(len);
	unsigned long strings_off = get32(orig + 0x3C), types_off = get32(orig + 0x44);
	unsigned long classes_off = get32(orig + 0x64), ntypes = get32(orig + 0x40);
	/* the first class's descriptor string */
	unsigned long str = get32(orig + types_off + 4 * get32(orig + classes_off));
	unsigned long data_off = get32(orig + strings_off + 4 * str);

#define FRESH() memcpy(d, orig, len)
	FRESH();
	expect_dex_error(d, 0x50, "at offset 0: expected a dex header");
	expect_dex_error(d, len - 1, "at offset 0x20: the header says the file has");
	FRESH();
	d[0x28] = 0x21;
	expect_dex_error(d, len, "at offset 0x28: expected the endian tag");
	FRESH();
	put32(d + 0x3C, 0xFFFFFFF0ul);
	expect_dex_error(d, len, "at offset 0x38: string_ids");
	FRESH();
	put32(d + 0x40, 0x40000000ul);
	expect_dex_error(d, len, "at offset 0x40: type_ids");
	FRESH();
	put32(d + 0x60, 0x7FFFFFFFul);
	expect_dex_error(d, len, "at offset 0x60: class_defs");
	FRESH();
	put32(d + classes_off, ntypes + 5);
	char want[128];
	snprintf(want, sizeof want, "at offset 0x%lx: class_def 0 names type %lu", classes_off, ntypes + 5);
	expect_dex_error(d, len, want);
	FRESH();
	put32(d + types_off + 4 * get32(orig + classes_off), 0xFFFFFFul);
	expect_dex_error(d, len, "names string 16777215");
	FRESH();
	put32(d + strings_off + 4 * str, (unsigned long)len + 100);
	expect_dex_error(d, len, "points to");
	FRESH();
	d[data_off + 3] = 0xFF; /* a byte no MUTF-8 sequence starts with, inside "Lcom/..." */
	snprintf(want, sizeof want, "at offset 0x%lx: string %lu (class_def 0) is not valid MUTF-8", data_off + 1, str);
	expect_dex_error(d, len, want);
	FRESH();
	d[data_off] = (unsigned char)(d[data_off] + 1); /* declared length one too many */
	expect_dex_error(d, len, "is not valid MUTF-8 ending in NUL");
	FRESH();
	d[data_off + 1] = 'X'; /* not a class descriptor */
	expect_dex_error(d, len, "is not a class name");
	/* the string table's last string running into the end of the file without its NUL */
	FRESH();
	memset(d + len - 8, 'A', 8);
	put32(d + strings_off + 4 * str, (unsigned long)len - 9);
	d[len - 9] = 8;
	expect_dex_error(d, len, "is not valid MUTF-8 ending in NUL");
#undef FRESH
	free(d);
	free(orig);
}
END_TEST

static void expect_axml_error(const unsigned char *x, size_t len, const char *want)
{
	collect c = { EMH_BUF_INIT, 0, 0, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_axml_read(x, len, "app.apk", "AndroidManifest.xml", visit, &c, &err);
	char msg[1400];
	emh_error_format(&err, msg, sizeof msg);
	ck_assert_msg(rc == EMH_EINVALID && strstr(msg, want), "want \"%s\", got %d \"%s\"", want, rc, msg);
	ck_assert_str_eq(err.file, "app.apk!AndroidManifest.xml");
	emh_buf_dispose(&c.out);
}

/* Offset of the first occurrence of s (len n) in p[0..len), or 0. */
static size_t find(const unsigned char *p, size_t len, const void *s, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(p + i, s, n) == 0)
			return i;
	return 0;
}

START_TEST(test_hostile_axml)
{
	size_t len, len8;
	unsigned char *orig = load("AndroidManifest.xml", &len);
	unsigned char *orig8 = load("perms-utf8.xml", &len8);
	unsigned char *x = malloc(len > len8 ? len : len8);
	/* truncated, with the file header saying so */
	memcpy(x, orig, len);
	put32(x + 4, (unsigned long)len / 2);
	expect_axml_error(x, len / 2, "claims");
	memcpy(x, orig, len);
	expect_axml_error(x, len - 3, "at offset 0: expected a binary XML chunk");
	expect_axml_error(x, 5, "at offset 0: expected a binary XML chunk");
	/* a chunk size past the end */
	memcpy(x, orig, len);
	put32(x + 8 + 4, 0x7FFFFFFFul);
	expect_axml_error(x, len, "at offset 0x8: chunk of type 0x0001 claims 2147483647 bytes");
	/* the pool's string count larger than its chunk */
	memcpy(x, orig, len);
	put32(x + 8 + 8, 0x10000000ul);
	expect_axml_error(x, len, "at offset 0x8: the string pool's 268435456 offsets");
	/* string offsets past the pool */
	memcpy(x, orig, len);
	for (unsigned long i = 0; i < get32(x + 8 + 8); i++)
		put32(x + 8 + 28 + 4 * i, 0x00FFFFFFul);
	expect_axml_error(x, len, "runs past the pool");
	/* a lone surrogate in the UTF-16 pool: the 'I' of INTERNET */
	memcpy(x, orig, len);
	static const unsigned char internet16[] = { 'I', 0, 'N', 0, 'T', 0, 'E', 0, 'R', 0 };
	size_t at = find(x, len, internet16, sizeof internet16);
	ck_assert_uint_gt(at, 0);
	x[at] = 0x00;
	x[at + 1] = 0xD8;
	expect_axml_error(x, len, "is not valid UTF-16");
	/* malformed UTF-8 in the UTF-8 pool */
	memcpy(x, orig8, len8);
	at = find(x, len8, "INTERNET", 8);
	ck_assert_uint_gt(at, 0);
	x[at] = 0xC0; /* an overlong lead byte */
	expect_axml_error(x, len8, "is not valid UTF-8");
	/* a truncated start-element chunk */
	memcpy(x, orig, len);
	static const unsigned char start_el[] = { 0x02, 0x01, 0x10, 0x00 };
	at = find(x, len, start_el, sizeof start_el);
	ck_assert_uint_gt(at, 0);
	put32(x + at + 4, 20);
	expect_axml_error(x, len, "start-element chunk of 20 bytes");
	free(x);
	free(orig);
	free(orig8);
}
END_TEST

START_TEST(test_ipa)
{
	size_t len;
	unsigned char *ipa = load("app.ipa", &len);
	collect c = { EMH_BUF_INIT, 0, 1, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_ipa_read(ipa, len, "app.ipa", NULL, visit, &c, &err), &err);
	const char *got = emh_buf_cstr(&c.out);
	ck_assert_msg(strstr(got,
		"framework Payload/Mood.app/Frameworks/AppsFlyerLib.framework AppsFlyerLib\n"
		"framework Payload/Mood.app/Frameworks/FBSDKCoreKit.framework FBSDKCoreKit\n"
		"framework Payload/Mood.app/Frameworks/GoogleMobileAds.framework GoogleMobileAds\n"), "%s", got);
	ck_assert_msg(strstr(got,
		"plist_key Payload/Mood.app/Info.plist NSUserTrackingUsageDescription = We use your data to show you personalised ads.\n"
		"plist_key Payload/Mood.app/Info.plist SKAdNetworkItems = cstr6suwn9.skadnetwork\n"
		"plist_key Payload/Mood.app/Info.plist SKAdNetworkItems = v9wttpbfk9.skadnetwork\n"
		"plist_key Payload/Mood.app/Info.plist GADApplicationIdentifier = ca-app-pub-3940256099942544~1458002511\n"
		"plist_key Payload/Mood.app/Info.plist FacebookAppID = 1234567890\n"
		"plist_key Payload/Mood.app/Info.plist FacebookAutoLogAppEventsEnabled = true\n"), "%s", got);
	ck_assert_msg(strstr(got,
		"plist_key Payload/Mood.app/PrivacyInfo.xcprivacy NSPrivacyTracking = true\n"
		"plist_key Payload/Mood.app/PrivacyInfo.xcprivacy NSPrivacyTrackingDomains = ads.example.net\n"), "%s", got);
	ck_assert_int_eq(c.count, 11);
	ck_assert(!strstr(got, "CFBundleName"));
	free(ipa);
	/* the XML Info.plist gives the same keys */
	emh_buf_clear(&c.out);
	c.count = 0;
	ipa = load("xml.ipa", &len);
	EMH_PASS(emh_ipa_read(ipa, len, "xml.ipa", NULL, visit, &c, &err), &err);
	ck_assert_int_eq(c.count, 6);
	ck_assert(strstr(emh_buf_cstr(&c.out), "plist_key Payload/Mood.app/Info.plist FacebookAppID = 1234567890\n"));
	free(ipa);
	/* an APK is not an IPA; a plist that is not one is a located error */
	ipa = load("app.apk", &len);
	ck_assert_int_eq(emh_ipa_read(ipa, len, "app.apk", NULL, visit, &c, &err), EMH_EINVALID);
	ck_assert(strstr(err.message, "no Payload/NAME.app/Info.plist"));
	ck_assert_int_eq(emh_plist_read(ipa, len, "x.ipa", "Payload/X.app/Info.plist", visit, &c, &err), EMH_EINVALID);
	ck_assert_str_eq(err.file, "x.ipa!Payload/X.app/Info.plist");
	free(ipa);
	emh_buf_dispose(&c.out);
}
END_TEST

/* A binary plist of n objects: object i an array of `width` references to i + 1, the last one false. */
static unsigned char *nested_bplist(unsigned n, unsigned width, size_t *len)
{
	size_t cap = 8 + (size_t)n * (1 + 4 * width) + (size_t)n * 4 + 32, at = 8;
	unsigned char *p = calloc(1, cap);
	unsigned long *offs = calloc(n, sizeof *offs);
	memcpy(p, "bplist00", 8);
	for (unsigned i = 0; i < n; i++) {
		offs[i] = (unsigned long)at;
		if (i + 1 == n) {
			p[at++] = 0x08;
			break;
		}
		p[at++] = (unsigned char)(0xA0 | width);
		for (unsigned k = 0; k < width; k++, at += 4) {
			p[at + 2] = (unsigned char)((i + 1) >> 8);
			p[at + 3] = (unsigned char)(i + 1);
		}
	}
	size_t table = at;
	for (unsigned i = 0; i < n; i++, at += 4) {
		p[at + 1] = (unsigned char)(offs[i] >> 16);
		p[at + 2] = (unsigned char)(offs[i] >> 8);
		p[at + 3] = (unsigned char)offs[i];
	}
	p[at + 6] = 4;
	p[at + 7] = 4;
	p[at + 15] = (unsigned char)n;
	p[at + 14] = (unsigned char)(n >> 8);
	p[at + 31] = (unsigned char)table;
	p[at + 30] = (unsigned char)(table >> 8);
	*len = at + 32;
	free(offs);
	return p;
}

/* libplist 2.2 recurses per level and copies shared objects: both are refused before it runs. */
START_TEST(test_plist_shapes)
{
	collect c = { EMH_BUF_INIT, 0, 0, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	size_t len;
	unsigned char *p = nested_bplist(1000, 1, &len);
	ck_assert_int_eq(emh_plist_read(p, len, "a.ipa", "Payload/A.app/Info.plist", visit, &c, &err), EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "plist depth limit"), "%s", err.message);
	free(p);
	p = nested_bplist(40, 2, &len); /* 2^40 nodes through shared references */
	ck_assert_int_eq(emh_plist_read(p, len, "a.ipa", "Payload/A.app/Info.plist", visit, &c, &err), EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "plist node limit"), "%s", err.message);
	free(p);
	p = nested_bplist(10, 1, &len); /* shallow: parsed, an array root is not a dictionary */
	ck_assert_int_eq(emh_plist_read(p, len, "a.ipa", "Payload/A.app/Info.plist", visit, &c, &err), EMH_EINVALID);
	ck_assert_msg(strstr(err.message, "root is a dictionary"), "%s", err.message);
	p[len - 1] = 0xF0; /* the offset table past the end */
	ck_assert_int_eq(emh_plist_read(p, len, "a.ipa", "Payload/A.app/Info.plist", visit, &c, &err), EMH_EINVALID);
	ck_assert_msg(strstr(err.message, "trailer does not fit"), "%s", err.message);
	free(p);
	emh_buf deep = EMH_BUF_INIT;
	emh_buf_puts(&deep, "<?xml version=\"1.0\"?><plist version=\"1.0\">");
	for (int i = 0; i < 100000; i++)
		emh_buf_puts(&deep, "<array>");
	ck_assert_int_eq(emh_plist_read(deep.ptr, deep.len, "a.ipa", "Payload/A.app/Info.plist", visit, &c, &err),
	                 EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "plist depth limit"), "%s", err.message);
	ck_assert_str_eq(err.file, "a.ipa!Payload/A.app/Info.plist");
	emh_buf_clear(&deep);
	for (int i = 0; i < 100000; i++)
		emh_buf_putc(&deep, '<');
	ck_assert_int_eq(emh_plist_read(deep.ptr, deep.len, "a.ipa", "I", visit, &c, &err), EMH_ELIMIT);
	emh_buf_dispose(&deep);
	emh_buf_dispose(&c.out);
}
END_TEST

START_TEST(test_html)
{
	size_t len;
	unsigned char *page = load("page.html", &len);
	collect c = { EMH_BUF_INIT, 0, 1, 0, 0, 0, 0 };
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_html_read(page, len, "signup.html", NULL, visit, &c, &err), &err);
	ck_assert_str_eq(emh_buf_cstr(&c.out),
		"url - /static/site.css = link href @6\n"
		"url - https://www.googletagmanager.com/gtag/js?id=G-TEST = script src @7\n"
		"url - https://td.doubleclick.net/td/rul/1 = iframe src @12\n"
		"url - https://www.facebook.com/tr?id=1&ev=PageView&noscript=1 = img src @13\n"
		"url - logo.png = img src @14\n"
		"url - https://bat.bing.com/action/0?ti=1 = img src @15\n");
	free(page);
	/* the element limit; garbage and an empty page are no error */
	emh_artifact_limits lim = EMH_ARTIFACT_LIMITS_DEFAULT;
	lim.max_page_nodes = 5;
	page = load("page.html", &len);
	ck_assert_int_eq(emh_html_read(page, len, "signup.html", &lim, visit, &c, &err), EMH_ELIMIT);
	ck_assert(strstr(err.message, "page element limit"));
	ck_assert_str_eq(err.file, "signup.html");
	free(page);
	emh_buf_clear(&c.out);
	ck_assert_int_eq(emh_html_read("", 0, "e.html", NULL, visit, &c, &err), 0);
	ck_assert_int_eq(emh_html_read("\x01\xff<img src=\"\xff\">", 16, "b.html", NULL, visit, &c, &err), 0);
	/* A page whose bytes its declared charset cannot convert: libxml2 would print
	 * "encoding error" through its generic handler; the library never prints. */
	static const char bad[] = "<html><head><meta charset=\"ISO-2022-JP\"></head><body>\x93\x93\x93\x93"
	                          " <img src=x></body></html>";
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	ck_assert(saved >= 0 && tmp);
	dup2(fileno(tmp), 2);
	emh_html_read(bad, sizeof bad - 1, "c.html", NULL, visit, &c, &err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	ck_assert_int_eq(ftell(tmp), 0);
	fclose(tmp);
	emh_buf_dispose(&c.out);
}
END_TEST

Suite *emh_suite_artifact(void)
{
	Suite *s = suite_create("artifact");
	TCase *tc = tcase_create("readers");
	tcase_add_unchecked_fixture(tc, make_fixtures, remove_fixtures);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_apk_matches_dexdump_and_aapt);
	tcase_add_test(tc, test_apk_clean_and_utf8_pool);
	tcase_add_test(tc, test_visitor_stops);
	tcase_add_test(tc, test_hostile_archives);
	tcase_add_test(tc, test_hostile_dex);
	tcase_add_test(tc, test_hostile_axml);
	tcase_add_test(tc, test_ipa);
	tcase_add_test(tc, test_plist_shapes);
	tcase_add_test(tc, test_html);
	suite_add_tcase(s, tc);
	return s;
}
