/*
 * observe_pkg.c - the observers of Android packages, iOS packages and saved
 * web pages: the artifact readers (artifact.h) turned into /observed facts
 * (observe.h). Each item is located as "ARTIFACT!MEMBER: NAME" (a page:
 * "PAGE:LINE: ELEMENT ATTRIBUTE URL"), so a finding reads like
 * "app.apk!classes2.dex: Lcom/facebook/appevents/AppEventsLogger;".
 *
 *   android_package: each class -> emh_observe_add_sdk (kept when the catalogue's code
 *                    signatures match it); each permission -> emh_observe_add_permission
 *   ios_package:     NSUserTrackingUsageDescription (the App Tracking Transparency
 *                    prompt) -> a permission; each NSPrivacyTrackingDomains entry -> a
 *                    host; each embedded framework -> emh_observe_add_framework (kept when
 *                    the catalogue's iOS signatures name it); the other keys make no fact
 *   web_page:        the host of each absolute URL a page loads -> emh_observe_add_host
 */
#include <stdio.h>
#include <string.h>
#include "emheval/buf.h"
#include "evaluator/artifact.h"
#include "evaluator/observe.h"

typedef struct pkg_ctx {
	emh_observation *o;
	const emh_artifact *a;
	emh_buf loc;
} pkg_ctx;

/* Sets the location text of item; NULL when out of memory. */
static const char *locate(pkg_ctx *c, const emh_artifact_item *it)
{
	emh_buf_clear(&c->loc);
	if (it->entry)
		emh_buf_appendf(&c->loc, "%s!%s: %s", c->a->path, it->entry, it->name);
	else
		emh_buf_appendf(&c->loc, "%s:%u: %s %s", c->a->path, it->line, it->detail ? it->detail : "", it->name);
	emh_buf_append(&c->loc, "", 0);
	return emh_buf_ok(&c->loc) ? emh_buf_cstr(&c->loc) : NULL;
}

/* The host of an absolute ("scheme://host...") or scheme-relative ("//host...") URL, into dst. */
static int url_host(const char *url, char *dst, size_t size)
{
	const char *s = strstr(url, "//");
	if (!s)
		return 0;
	for (const char *p = url; p < s; p++) /* only a scheme may come before "//" */
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '+' || *p == '-' || *p == '.' || (*p == ':' && p + 1 == s)))
			return 0;
	if (s != url && s[-1] != ':')
		return 0;
	s += 2;
	size_t n = strcspn(s, "/?#\\");
	const char *at = memchr(s, '@', n); /* user:password@ */
	if (at) {
		n -= (size_t)(at + 1 - s);
		s = at + 1;
	}
	if (n == 0 || n >= size || *s == '[')
		return 0;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}

static int visit(const emh_artifact_item *it, void *ctx)
{
	pkg_ctx *c = ctx;
	emh_fact_pos pos = { NULL, it->line, 0, it->offset };
	if (!(pos.location = locate(c, it)))
		return -1;
	switch (it->kind) {
	case EMH_ITEM_CLASS:
		return emh_observe_add_sdk(c->o, c->a, it->name, &pos) < 0 ? -1 : 0;
	case EMH_ITEM_PERMISSION:
		return emh_observe_add_permission(c->o, c->a, it->name, &pos);
	case EMH_ITEM_PLIST_KEY:
		if (strcmp(it->name, "NSUserTrackingUsageDescription") == 0)
			return emh_observe_add_permission(c->o, c->a, it->name, &pos);
		if (strcmp(it->name, "NSPrivacyTrackingDomains") == 0 && it->detail && it->detail[0] != '(')
			return emh_observe_add_host(c->o, c->a, it->detail, &pos);
		return 0;
	case EMH_ITEM_URL: {
		char host[256];
		return url_host(it->name, host, sizeof host) ? emh_observe_add_host(c->o, c->a, host, &pos) : 0;
	}
	case EMH_ITEM_FRAMEWORK:
		return emh_observe_add_framework(c->o, c->a, it->name, &pos) < 0 ? -1 : 0;
	}
	return 0;
}

typedef int (*reader_fn)(const void *data, size_t len, const char *artifact, const emh_artifact_limits *limits,
                         emh_artifact_visit visit, void *ctx, emh_error *err);

static int observe_with(reader_fn read, emh_observation *o, const emh_artifact *a, emh_error *err)
{
	pkg_ctx c = { o, a, EMH_BUF_INIT };
	emh_buf_init(&c.loc, 1u << 16);
	int rc = read(a->data, a->len, a->path, NULL, visit, &c, err);
	emh_buf_dispose(&c.loc);
	if (rc < 0 && err && !err->message[0])
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	return rc;
}

int emh_observe_apk(emh_observation *o, const emh_artifact *a, emh_error *err)
{
	return observe_with(emh_apk_read, o, a, err);
}

int emh_observe_ipa(emh_observation *o, const emh_artifact *a, emh_error *err)
{
	return observe_with(emh_ipa_read, o, a, err);
}

int emh_observe_page(emh_observation *o, const emh_artifact *a, emh_error *err)
{
	return observe_with(emh_html_read, o, a, err);
}
