/*
 * observe.h (private) - observers: artifacts listed in a submission's evidence
 * (a network capture, an Android or iOS package, saved web pages) turned into
 * facts under the reserved /observed part of the evaluated document, matched
 * against the tracker catalogue that the criteria set carries (trackers.json).
 * docs/observers.md describes the facts, the catalogue and the limits.
 *
 * Reader interface (for a new artifact kind):
 *   1. write   int emh_observe_KIND(emh_observation *o, const emh_artifact *a, emh_error *err);
 *      It reads a->data[0..a->len) (the evidence bytes already loaded and hashed; never
 *      the file again), appends facts with emh_observe_add_sdk / _add_host /
 *      _add_permission / _add_flow, and returns 0, or an error code with err located
 *      (emh_error_locate: the artifact's path, line and column or 0, 0) for an artifact it
 *      cannot read or one over a limit. It must stay bounded whatever the bytes (a
 *      hostile artifact is expected) and never print.
 *   2. add one line { "KIND", emh_observe_KIND } to the table in observe.c.
 * Facts are deduplicated by the add functions, and ordered as added, so a reader
 * that walks its artifact in a fixed order gives a deterministic document.
 */
#ifndef EMH_EVALUATOR_OBSERVE_H
#define EMH_EVALUATOR_OBSERVE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "emheval/error.h"

/* ---- trackers.c: the tracker catalogue (criteria/trackers.json) ------ */

/* The categories a catalogue entry may have. */
extern const char *const emh_tracker_categories[];

typedef struct emh_tracker {
	char *id;       /* "facebook_analytics" */
	char *name;     /* "Facebook Analytics" */
	char *company;  /* "Meta Platforms" */
	char *category; /* one of emh_tracker_categories */
	char *source;   /* URL of the public fact the entry is written from */
	char **code_signatures; /* Java package prefixes, dotted: "com.facebook.appevents" */
	size_t ncode;
	char **host_signatures; /* host names, lower case: "facebook.com" covers its subdomains */
	size_t nhost;
	char **ios_signatures;  /* iOS framework or module names, exact: "FBSDKCoreKit" */
	size_t nios;
	char **names;           /* other names a vendor declares it by: "Meta SDK" */
	size_t nnames;
	unsigned line, column;  /* where the entry is in trackers.json */
} emh_tracker;

typedef struct emh_trackers {
	emh_tracker *items; /* in file order */
	size_t count;
} emh_trackers;

/* Called once per problem found (located in label); payload as given. */
typedef void (*emh_trackers_problem)(const emh_error *e, void *payload);

/*
 * Compiles the catalogue's JSON text (label names it in errors, e.g.
 * "criteria/trackers.json"). Every problem (malformed JSON, missing or wrong
 * members, unknown category, a signature that is not a package prefix or a
 * host name, duplicate ids or signatures) is sent to problem with its line and
 * column; returns 0 when there was none, else EMH_EINVALID (out keeps what
 * compiled). Dispose out in any case.
 */
int emh_trackers_compile(emh_trackers *out, const char *text, size_t len, const char *label,
                         emh_trackers_problem problem, void *payload);
void emh_trackers_dispose(emh_trackers *t);

/*
 * The entry whose code signature is the longest package prefix of name, or
 * NULL. name is a Java class descriptor ("Lcom/facebook/appevents/AppEventsLogger;"),
 * a class name ("com.facebook.appevents.AppEventsLogger") or a package name;
 * a prefix matches whole package components only. *signature (optional)
 * gets the signature that matched.
 */
const emh_tracker *emh_trackers_match_code(const emh_trackers *t, const char *name,
                                           const char **signature);
/*
 * The entry whose host signature is host or a parent domain of it (the
 * longest such signature wins), or NULL. Case-insensitive; a trailing dot and
 * a ":port" are ignored.
 */
const emh_tracker *emh_trackers_match_host(const emh_trackers *t, const char *host,
                                           const char **signature);
/*
 * The entry one of whose iOS signatures is the embedded framework's name
 * (FW of Payload/NAME.app/Frameworks/FW.framework, exact), or NULL.
 */
const emh_tracker *emh_trackers_match_framework(const emh_trackers *t, const char *name,
                                                const char **signature);
/*
 * The entry a declared name (an SDK's or third party's "name" in
 * submission.json) names: its name or one of its other names occurs in it as
 * whole words, ASCII case ignored (the longest wins), or NULL.
 */
const emh_tracker *emh_trackers_match_name(const emh_trackers *t, const char *declared,
                                           const char **matched);
/* 1 when host equals sig or is a subdomain of it (case-insensitive, port ignored). */
int emh_host_within(const char *host, const char *sig);

/* ---- observe.c: the facts --------------------------------------------- */

/* One artifact being read: an evidence entry's bytes, already hashed. */
typedef struct emh_artifact {
	const char *path;   /* as declared in the evidence list */
	const char *kind;   /* "network_capture", "android_package", ... */
	const char *sha256; /* hex of data */
	const char *data;
	size_t len;
} emh_artifact;

/* Where a fact was seen, for findings: a human-readable location and, when
 * the artifact is text, the line and column (1-based) and byte offset. */
typedef struct emh_fact_pos {
	const char *location; /* e.g. "capture.har entry 3 request.url", "app.apk!classes2.dex: Lcom/...;" */
	unsigned line, column;
	size_t offset;
} emh_fact_pos;

typedef struct emh_observation emh_observation;

/*
 * An SDK found by a class or package name: matched against the catalogue's
 * code signatures; a name that matches no entry is not a fact. One fact per
 * artifact and tracker (the first location found). Returns 1 when it is (or
 * already was) a fact, 0 when no entry matched, -1 out of memory.
 */
/*
 * An SDK found by an embedded iOS framework's name (FW of FW.framework):
 * matched against the catalogue's iOS signatures; returns 1 when it matched
 * (a fact added or already there), 0 when not, -1 out of memory.
 */
int emh_observe_add_framework(emh_observation *o, const emh_artifact *a, const char *name,
                              const emh_fact_pos *at);
/*
 * Records on artifact a's entry of /observed/artifacts how much it held, as
 * member (e.g. "requests": a capture's log entries), so that a criterion can
 * tell an empty capture from a real one. -1 out of memory.
 */
int emh_observe_artifact_count(emh_observation *o, const emh_artifact *a, const char *member, size_t n);
int emh_observe_add_sdk(emh_observation *o, const emh_artifact *a, const char *name,
                        const emh_fact_pos *at);
/* A host the artifact contacts or loads from; matched against host signatures
 * (tracker, company, category null when none matched). One fact per artifact
 * and host. Returns 0 or -1 (out of memory). */
int emh_observe_add_host(emh_observation *o, const emh_artifact *a, const char *host,
                         const emh_fact_pos *at);
/* A permission the artifact requests ("android.permission.RECORD_AUDIO",
 * "NSMicrophoneUsageDescription"). One fact per artifact and name. */
int emh_observe_add_permission(emh_observation *o, const emh_artifact *a, const char *name,
                               const emh_fact_pos *at);
/* A persona canary value (which: "email", "mood_score", "answers/2") seen in
 * what the artifact sends to host, in encoding ("plain", "url", "base64",
 * "sha256"). One fact per artifact, host, canary and encoding. */
int emh_observe_add_flow(emh_observation *o, const emh_artifact *a, const char *host,
                         const char *canary, const char *encoding, const emh_fact_pos *at);

/* The persona's canary values, from the submission's /observation/persona. */
typedef struct emh_canary {
	char *which;          /* "email", "mood_score", "answers/0", ... */
	char *value;          /* as declared (a number as its JSON text) */
	int bounded;          /* 1: matched only as a whole value (short or numeric values) */
} emh_canary;

/* The canaries a reader looks for (NULL, 0 when the submission declares no persona). */
const emh_canary *emh_observe_canaries(const emh_observation *o, size_t *n);
/* The lowercase hex SHA-256 of the persona's trimmed, lower-cased e-mail, or NULL. */
const char *emh_observe_email_sha256(const emh_observation *o);

/* ---- the framework, for evaluate.c and eval.c -------------------------- */

struct emh_submission;
/*
 * Runs the observer of every evidence entry of an artifact kind whose file
 * was read, and builds the /observed document (always, with empty arrays when
 * there is no artifact). catalogue may be NULL (no trackers.json). Returns 0,
 * or the first reader's error (located in its artifact).
 */
int emh_observe_run(emh_observation **out, const struct emh_submission *sub,
                    const emh_trackers *catalogue, emh_error *err);
void emh_observation_free(emh_observation *o);
/* The /observed object (borrowed). */
const cJSON *emh_observation_root(const emh_observation *o);
/*
 * For a finding at pointer "/observed/KIND/N/...": the fact's artifact path,
 * location text and position. Returns 1 when pointer names a fact, else 0.
 */
int emh_observation_locate(const emh_observation *o, const char *pointer, const char **artifact,
                           emh_fact_pos *pos);
/* 1 when kind is an artifact kind (it has an observer). */
int emh_observe_is_artifact_kind(const char *kind);

/* ---- har.c: the network-capture reader -------------------------------- */
int emh_observe_har(emh_observation *o, const emh_artifact *a, emh_error *err);

/* ---- observe_pkg.c: Android and iOS packages, saved web pages (artifact.h readers) ---- */
int emh_observe_apk(emh_observation *o, const emh_artifact *a, emh_error *err);
int emh_observe_ipa(emh_observation *o, const emh_artifact *a, emh_error *err);
int emh_observe_page(emh_observation *o, const emh_artifact *a, emh_error *err);

#endif
