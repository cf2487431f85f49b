/*
 * artifact.h (private) - readers of the artifacts a submission may carry as
 * evidence of what an app really contains: Android packages (APK), iOS
 * packages (IPA) and saved web pages. Each reader takes the artifact's bytes
 * (already read within the evidence size limits) and calls a visitor once per
 * fact it finds: a class defined in a dex file, a permission the manifest
 * asks for, an embedded framework, an Info.plist tracking key, a URL a page
 * loads. The observers (observe.c) turn these into facts under /observed.
 *
 * Artifacts are hostile input (docs/security.md): every size and offset is
 * checked before use, archives are held to the limits below, and whatever a
 * reader cannot make sense of is an EMH_EINVALID or EMH_ELIMIT error whose
 * file is "ARTIFACT!ENTRY" and whose message says where (offset) and what was
 * expected. Readers never print, exit, or allocate per fact found.
 */
#ifndef EMH_EVALUATOR_ARTIFACT_H
#define EMH_EVALUATOR_ARTIFACT_H

#include <stddef.h>
#include "emheval/error.h"

typedef enum emh_artifact_kind {
	EMH_ITEM_CLASS = 1,  /* a class a dex file defines: "Lcom/facebook/appevents/AppEventsLogger;" */
	EMH_ITEM_PERMISSION, /* a uses-permission android:name */
	EMH_ITEM_FRAMEWORK,  /* an embedded iOS framework: "FBSDKCoreKit" */
	EMH_ITEM_PLIST_KEY,  /* an Info.plist tracking key; detail is its value (strings) or a summary */
	EMH_ITEM_URL         /* a URL a saved page loads; detail is "script src", "img src", ... */
} emh_artifact_kind;

/* Short English name of a kind: "class", "permission", "framework", "plist_key", "url". */
const char *emh_artifact_kind_name(emh_artifact_kind kind);

typedef struct emh_artifact_item {
	emh_artifact_kind kind;
	const char *name;     /* NUL-terminated UTF-8, valid until the visitor returns */
	size_t name_len;
	const char *entry;    /* archive member: "classes2.dex", "AndroidManifest.xml"; NULL for a page */
	unsigned long offset; /* byte offset in entry (class_def, start-element chunk), 0 when none */
	unsigned line;        /* line in a web page, 0 otherwise */
	const char *detail;   /* see the kinds above; NULL when none */
} emh_artifact_item;

/* Called once per item; a nonzero return stops the reader, which returns it. */
typedef int (*emh_artifact_visit)(const emh_artifact_item *item, void *ctx);

/* Limits against hostile archives and documents (docs/security.md). */
typedef struct emh_artifact_limits {
	unsigned long max_entries;        /* zip members */
	unsigned long long max_total;     /* declared uncompressed bytes of all members */
	unsigned long long max_entry;     /* declared uncompressed bytes of one member */
	unsigned max_ratio;               /* uncompressed / compressed of a member ... */
	unsigned long long ratio_floor;   /* ... larger than this many bytes */
	unsigned long long max_read;      /* bytes decompressed in all, over the members read */
	unsigned long max_page_nodes;     /* elements of a saved web page */
} emh_artifact_limits;

#define EMH_ARTIFACT_LIMITS_DEFAULT { 65536ul, 4ull << 30, 256ull << 20, 100u, 1ull << 20, \
                                      1ull << 30, 1000000ul }

/*
 * An APK: every classes.dex, classes2.dex, ... at the archive's top level
 * gives its defined classes in file order, then AndroidManifest.xml its
 * permissions. artifact names the file in errors and locations ("app.apk").
 * limits may be NULL for the defaults. Returns 0, the visitor's nonzero
 * value, or EMH_EINVALID / EMH_ELIMIT / EMH_EGENERIC (out of memory) with err set.
 */
int emh_apk_read(const void *data, size_t len, const char *artifact,
                 const emh_artifact_limits *limits, emh_artifact_visit visit,
                 void *ctx, emh_error *err);

/* One dex file (dex.c): its class_defs' descriptors, through type_ids and string_ids. */
int emh_dex_read(const void *data, size_t len, const char *artifact, const char *entry,
                 emh_artifact_visit visit, void *ctx, emh_error *err);

/* One binary AndroidManifest.xml (axml.c): uses-permission and uses-permission-sdk-23 names. */
int emh_axml_read(const void *data, size_t len, const char *artifact, const char *entry,
                  emh_artifact_visit visit, void *ctx, emh_error *err);

/*
 * An IPA (ipa.c): each Payload/NAME.app/Frameworks/FW.framework once, by FW
 * in name order, then the tracking keys of Payload/NAME.app/Info.plist.
 */
int emh_ipa_read(const void *data, size_t len, const char *artifact,
                 const emh_artifact_limits *limits, emh_artifact_visit visit,
                 void *ctx, emh_error *err);

/* The tracking keys of one Info.plist, binary or XML (ipa.c). */
int emh_plist_read(const void *data, size_t len, const char *artifact, const char *entry,
                   emh_artifact_visit visit, void *ctx, emh_error *err);

/*
 * A saved web page (html_artifact.c): the src of script, img, iframe, and the
 * href of link elements, with their line, in document order. The page is
 * parsed offline, in recover mode, without loading anything.
 */
int emh_html_read(const void *data, size_t len, const char *artifact,
                  const emh_artifact_limits *limits, emh_artifact_visit visit,
                  void *ctx, emh_error *err);

/* ---- zipread.c: the archive under the limits, shared by apk.c and ipa.c ---- */
typedef struct emh_zip emh_zip;

/*
 * Opens data[0..len) with libzip's consistency checks and checks every
 * member against limits: count, declared sizes and ratio, duplicate names,
 * and members whose compressed bytes cannot all fit in the archive without
 * sharing bytes (overlapping members, the way non-recursive zip bombs work).
 */
int emh_zip_open(emh_zip **out, const void *data, size_t len, const char *artifact,
                 const emh_artifact_limits *limits, emh_error *err);
void emh_zip_close(emh_zip *z);
unsigned long emh_zip_count(const emh_zip *z);
const char *emh_zip_name(const emh_zip *z, unsigned long i); /* UTF-8 */
/*
 * Decompresses member i into *bytes (malloc'd, NUL-terminated beyond *len;
 * the caller frees it), requiring exactly its declared size and counting it
 * against max_read.
 */
int emh_zip_read(emh_zip *z, unsigned long i, unsigned char **bytes, size_t *len, emh_error *err);

/* Sets err's location to "ARTIFACT!ENTRY" (or ARTIFACT when entry is NULL). */
void emh_artifact_locate(emh_error *err, const char *artifact, const char *entry);
/* Sets err (code, message) located at ARTIFACT!ENTRY and returns code. */
int emh_artifact_fail(emh_error *err, int code, const char *artifact, const char *entry,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
