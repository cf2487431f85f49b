/*
 * html_artifact.c - the URLs a saved web page loads (sign-up and
 * questionnaire pages, where tracking pixels and tag managers sit): the src of
 * each script, img and iframe element and the href of each link element, with
 * its line, in document order. A <noscript><img> pixel counts like any img.
 *
 * libxml2's HTML parser reads the page in recover mode (as a browser would
 * take broken markup), offline (HTML_PARSE_NONET), without printing
 * (NOERROR, NOWARNING) and within its default limits (no HUGE: nesting depth
 * and text sizes stay bounded); the tree is walked without recursion and the
 * number of elements is capped. Line numbers above 65535 are reported as
 * 65535 (libxml2 keeps 16 bits for HTML nodes).
 */
#include <limits.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>
#include "evaluator/artifact.h"
#include "evaluator/internal.h"

static const emh_artifact_limits default_limits = EMH_ARTIFACT_LIMITS_DEFAULT;

/* The attribute an element loads from, and how the item describes it. */
static const struct {
	const char *element, *attribute, *detail;
} loaders[] = {
	{ "script", "src", "script src" },
	{ "img", "src", "img src" },
	{ "iframe", "src", "iframe src" },
	{ "link", "href", "link href" },
};

/* libxml2 reports some problems (input encoding errors) through its generic
 * error handler even under HTML_PARSE_NOERROR; the library never prints. */
static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static int visit_element(xmlNode *n, const char *artifact, emh_artifact_visit visit, void *ctx)
{
	for (size_t k = 0; k < sizeof loaders / sizeof *loaders; k++) {
		if (xmlStrcasecmp(n->name, (const xmlChar *)loaders[k].element) != 0)
			continue;
		xmlChar *v = xmlGetProp(n, (const xmlChar *)loaders[k].attribute);
		if (!v)
			return 0;
		/* Surrounding spaces are not part of a URL (HTML strips them). */
		const char *s = (const char *)v;
		size_t len = strlen(s);
		while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
		               s[len - 1] == '\r' || s[len - 1] == '\f'))
			len--;
		int rc = 0;
		if (len && emh_utf8_valid(s, len)) {
			((char *)v)[(s - (const char *)v) + len] = '\0';
			long line = xmlGetLineNo(n);
			emh_artifact_item item = { EMH_ITEM_URL, s, len, NULL, 0,
			                           line > 0 && line < (long)UINT_MAX ? (unsigned)line : 0,
			                           loaders[k].detail };
			(void)artifact;
			rc = visit(&item, ctx);
		}
		xmlFree(v);
		return rc;
	}
	return 0;
}

int emh_html_read(const void *data, size_t len, const char *artifact,
                  const emh_artifact_limits *limits, emh_artifact_visit visit,
                  void *ctx, emh_error *err)
{
	const emh_artifact_limits *lim = limits ? limits : &default_limits;
	if (len > INT_MAX)
		return emh_artifact_fail(err, EMH_ELIMIT, artifact, NULL, "a page of %zu bytes; at most %d are read",
		                         len, INT_MAX);
	/* This thread's handlers, restored after the parse. */
	xmlGenericErrorFunc generic = xmlGenericError;
	void *generic_ctx = xmlGenericErrorContext;
	xmlStructuredErrorFunc structured = xmlStructuredError;
	void *structured_ctx = xmlStructuredErrorContext;
	xmlSetGenericErrorFunc(NULL, silent);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	htmlDocPtr doc = htmlReadMemory(len ? data : "", (int)len, NULL, NULL,
	                                HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                                HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
	xmlSetGenericErrorFunc(generic_ctx, generic);
	xmlSetStructuredErrorFunc(structured_ctx, structured);
	if (!doc)
		return len ? emh_artifact_fail(err, EMH_EINVALID, artifact, NULL,
		                               "at line 1: libxml2 could not make an HTML document of the page")
		           : 0;
	int rc = 0;
	unsigned long seen = 0;
	/* Depth-first, in document order, through the parent links. */
	xmlNode *n = doc->children;
	while (n && !rc) {
		if (n->type == XML_ELEMENT_NODE) {
			if (++seen > lim->max_page_nodes) {
				rc = emh_artifact_fail(err, EMH_ELIMIT, artifact, NULL,
				                       "at line %ld: more than %lu elements (page element limit)",
				                       xmlGetLineNo(n), lim->max_page_nodes);
				break;
			}
			rc = visit_element(n, artifact, visit, ctx);
			if (rc)
				break;
			if (n->children) {
				n = n->children;
				continue;
			}
		}
		while (n && !n->next) {
			n = n->parent;
			if (n && n->type == XML_DOCUMENT_NODE)
				n = NULL;
			if (n == (xmlNode *)doc)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	xmlFreeDoc(doc);
	return rc;
}
