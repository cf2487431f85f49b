/*
 * har.c - the network-capture observer: a HAR 1.2 file (JSON) recorded during
 * a scripted session with the test persona. Every request's host becomes a
 * host fact (matched against the catalogue by the framework), and every
 * persona canary found in what a request sends (its URL, header values, cookie
 * values, body text and form parameters) becomes a flow fact, in the encoding
 * it was found in: plain, url (percent- or form-encoded), base64 (standard or
 * URL-safe alphabet, at any alignment) or sha256 (hex of the trimmed,
 * lower-cased e-mail, either case), the way advertising platforms take it.
 *
 * The file is parsed by the project's strict JSON reader (duplicate keys,
 * invalid UTF-8 and \u0000 refused, with line and column); the limits below
 * bound the work whatever the capture holds (docs/security.md).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/observe.h"

#ifndef EMH_HAR_MAX_ENTRIES
#define EMH_HAR_MAX_ENTRIES 20000u    /* requests in one capture */
#endif
#ifndef EMH_HAR_MAX_HOSTS
#define EMH_HAR_MAX_HOSTS 2000u       /* distinct hosts in one capture */
#endif
#ifndef EMH_HAR_MAX_CANARIES
#define EMH_HAR_MAX_CANARIES 64u      /* persona values looked for */
#endif
#ifndef EMH_HAR_MAX_STRING
#define EMH_HAR_MAX_STRING (8u * 1024u * 1024u) /* one URL, header or body searched */
#endif

/* A fact waiting for its position (found in one pass, located together). */
typedef struct pending {
	const cJSON *node;
	size_t entry;
	const char *field;  /* "request.url", "request.postData.text", ... (static) */
	char *host;
	const char *canary; /* NULL: a host fact */
	const char *encoding;
} pending;

typedef struct hctx {
	emh_observation *o;
	const emh_artifact *a;
	const emh_json *doc;
	emh_error *err;
	pending *p;
	size_t np, cap;
	size_t nhosts;
	/* per canary: the forms searched */
	char **b64[EMH_HAR_MAX_CANARIES]; /* NULL-terminated patterns */
	const emh_canary *canaries;
	size_t ncanaries;
	const char *email_sha;
	char *decoded;      /* percent-decoding scratch */
	size_t decoded_cap;
} hctx;

static int located(hctx *c, const cJSON *node, const char *jptr, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int located(hctx *c, const cJSON *node, const char *jptr, int code, const char *fmt, ...)
{
	emh_error e;
	va_list ap;
	va_start(ap, fmt);
	emh_json_vproblem(&e, code, c->doc, node, c->a->path, jptr, fmt, ap);
	va_end(ap);
	if (c->err)
		*c->err = e;
	return code;
}

static int push(hctx *c, const cJSON *node, size_t entry, const char *field, const char *host,
                const char *canary, const char *encoding)
{
	for (size_t i = 0; i < c->np; i++) /* only the first sighting is kept */
		if (c->p[i].canary == canary && c->p[i].encoding == encoding && strcmp(c->p[i].host, host) == 0)
			return 0;
	if (!canary && ++c->nhosts > EMH_HAR_MAX_HOSTS)
		return located(c, node, NULL, EMH_ELIMIT, "the capture contacts more than %u distinct hosts "
		               "(EMH_HAR_MAX_HOSTS)", EMH_HAR_MAX_HOSTS);
	if (c->np == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		pending *p = emh_realloc(c->p, cap * sizeof *p);
		if (!p)
			return emh_error_set(c->err, EMH_EGENERIC, "out of memory");
		c->p = p;
		c->cap = cap;
	}
	pending *p = &c->p[c->np];
	p->host = emh_strdup(host);
	if (!p->host)
		return emh_error_set(c->err, EMH_EGENERIC, "out of memory");
	p->node = node;
	p->entry = entry;
	p->field = field;
	p->canary = canary;
	p->encoding = encoding;
	c->np++;
	return 0;
}

/*
 * The host of an http(s) or ws(s) URL into dst, lower case, without userinfo
 * and port (an IPv6 literal keeps its brackets). Returns 0, or -1 for other
 * schemes (data:, blob:, about:) and URLs without a host.
 */
static int url_host(const char *url, char *dst, size_t size)
{
	static const char *const schemes[] = { "http://", "https://", "ws://", "wss://" };
	const char *s = NULL;
	for (size_t i = 0; i < 4 && !s; i++)
		if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
			s = url + strlen(schemes[i]);
	if (!s)
		return -1;
	size_t auth = strcspn(s, "/?#");
	const char *at = memchr(s, '@', auth);
	while (at) { /* the last '@' of the authority ends the userinfo */
		auth -= (size_t)(at + 1 - s);
		s = at + 1;
		at = memchr(s, '@', auth);
	}
	size_t n;
	if (*s == '[') {
		const char *close = memchr(s, ']', auth);
		if (!close)
			return -1;
		n = (size_t)(close - s) + 1;
	} else {
		n = strcspn(s, ":/?#");
		if (n > auth)
			n = auth;
	}
	if (!n || n >= size)
		return -1;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	dst[n] = '\0';
	return 0;
}

static const char b64std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * The base64 forms of value at the three alignments it can have inside a
 * longer encoded text: only the characters that depend on value's bytes
 * alone (never on its neighbours), in the standard and URL-safe alphabets.
 */
static char **base64_forms(const char *value)
{
	size_t n = strlen(value);
	char **out = emh_calloc(7, sizeof *out);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t shift = 0; shift < 3; shift++) {
		size_t total = shift + n, groups = total / 3;
		unsigned char *bytes = emh_calloc(total + 1, 1);
		char *enc = emh_malloc(groups * 4 + 1);
		if (!bytes || !enc) {
			free(bytes);
			free(enc);
			continue;
		}
		memcpy(bytes + shift, value, n);
		for (size_t g = 0; g < groups; g++) {
			unsigned v = (unsigned)bytes[3 * g] << 16 | (unsigned)bytes[3 * g + 1] << 8 | bytes[3 * g + 2];
			enc[4 * g] = b64std[v >> 18 & 63];
			enc[4 * g + 1] = b64std[v >> 12 & 63];
			enc[4 * g + 2] = b64std[v >> 6 & 63];
			enc[4 * g + 3] = b64std[v & 63];
		}
		enc[groups * 4] = '\0';
		free(bytes);
		/* shift 1: the first 2 characters mix a neighbour's bits; shift 2: the first 3. */
		size_t skip = shift == 0 ? 0 : shift == 1 ? 2 : 3;
		size_t len = groups * 4 > skip ? groups * 4 - skip : 0;
		if (len < 8) { /* too short to tell from chance */
			free(enc);
			continue;
		}
		memmove(enc, enc + skip, len + 1);
		out[k++] = enc;
		char *url = emh_strdup(enc);
		if (url) {
			for (char *p = url; *p; p++)
				*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
			if (strcmp(url, enc) != 0)
				out[k++] = url;
			else
				free(url);
		}
	}
	return out;
}

static int is_word(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '.' ||
	       ch == '_' || ch == '-' || (unsigned char)ch >= 0x80;
}

/* Is needle in s[0..n)? bounded: only where it stands alone as a whole value. */
static int find(const char *s, size_t n, const char *needle, int bounded, int caseless)
{
	size_t m = strlen(needle);
	if (!m || m > n)
		return 0;
	for (size_t i = 0; i + m <= n; i++) {
		const char *hit;
		if (caseless) {
			if (strncasecmp(s + i, needle, m) != 0)
				continue;
			hit = s + i;
		} else {
			hit = memchr(s + i, needle[0], n - m + 1 - i);
			if (!hit)
				return 0;
			i = (size_t)(hit - s);
			if (memcmp(hit, needle, m) != 0)
				continue;
		}
		if (!bounded || ((i == 0 || !is_word(s[i - 1])) && (i + m == n || !is_word(s[i + m]))))
			return 1;
	}
	return 0;
}

static int hexval(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* Percent- and form-decodes s[0..n) into c->decoded; returns its length, or
 * (size_t)-1 when nothing was encoded (or out of memory). */
static size_t url_decode(hctx *c, const char *s, size_t n)
{
	if (!memchr(s, '%', n) && !memchr(s, '+', n))
		return (size_t)-1;
	if (c->decoded_cap < n + 1) {
		char *d = emh_realloc(c->decoded, n + 1);
		if (!d)
			return (size_t)-1;
		c->decoded = d;
		c->decoded_cap = n + 1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			c->decoded[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			c->decoded[k++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	c->decoded[k] = '\0';
	return k;
}

/* Looks for every canary in one string the request sends to host. */
static int scan(hctx *c, const cJSON *node, size_t entry, const char *field, const char *host)
{
	if (!cJSON_IsString(node) || !c->ncanaries)
		return 0;
	const char *s = node->valuestring;
	size_t n = strlen(s);
	if (n > EMH_HAR_MAX_STRING)
		return located(c, node, NULL, EMH_ELIMIT, "entry %zu: %s is %zu bytes, over the limit of %u bytes "
		               "searched for the persona's values (EMH_HAR_MAX_STRING)", entry, field, n,
		               EMH_HAR_MAX_STRING);
	size_t dn = url_decode(c, s, n);
	int rc = 0;
	for (size_t k = 0; k < c->ncanaries && rc == 0; k++) {
		const emh_canary *cn = &c->canaries[k];
		int caseless = strcmp(cn->which, "email") == 0; /* addresses are case-blind in practice */
		if (find(s, n, cn->value, cn->bounded, caseless))
			rc = push(c, node, entry, field, host, cn->which, "plain");
		else if (dn != (size_t)-1 && find(c->decoded, dn, cn->value, cn->bounded, caseless))
			rc = push(c, node, entry, field, host, cn->which, "url");
		for (size_t f = 0; rc == 0 && c->b64[k] && c->b64[k][f]; f++)
			if (find(s, n, c->b64[k][f], 0, 0)) {
				rc = push(c, node, entry, field, host, cn->which, "base64");
				break;
			}
		if (rc == 0 && strcmp(cn->which, "email") == 0 && c->email_sha && find(s, n, c->email_sha, 0, 1))
			rc = push(c, node, entry, field, host, cn->which, "sha256");
	}
	return rc;
}

/* Scans the "value" of each {name, value} in list. */
static int scan_pairs(hctx *c, const cJSON *list, size_t entry, const char *field, const char *host)
{
	int rc = 0;
	for (const cJSON *h = cJSON_IsArray(list) ? list->child : NULL; h && rc == 0; h = h->next)
		rc = scan(c, cJSON_GetObjectItemCaseSensitive(h, "value"), entry, field, host);
	return rc;
}

static int read_entry(hctx *c, const cJSON *e, size_t i)
{
	char jp[80], host[256];
	snprintf(jp, sizeof jp, "/log/entries/%zu/request", i);
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(e, "request");
	const cJSON *url = cJSON_GetObjectItemCaseSensitive(req, "url");
	if (!cJSON_IsObject(e) || !cJSON_IsObject(req) || !cJSON_IsString(url))
		return located(c, cJSON_IsObject(req) ? req : e, jp, EMH_EINVALID,
		               "entry %zu: HAR 1.2 expects \"request\": {\"url\": string, ...}", i);
	if (url_host(url->valuestring, host, sizeof host))
		return 0; /* data:, blob:, about: go nowhere */
	int rc = push(c, url, i, "request.url", host, NULL, NULL);
	if (rc == 0)
		rc = scan(c, url, i, "request.url", host);
	if (rc == 0)
		rc = scan_pairs(c, cJSON_GetObjectItemCaseSensitive(req, "headers"), i, "request.headers", host);
	if (rc == 0)
		rc = scan_pairs(c, cJSON_GetObjectItemCaseSensitive(req, "cookies"), i, "request.cookies", host);
	const cJSON *post = cJSON_GetObjectItemCaseSensitive(req, "postData");
	if (rc == 0)
		rc = scan(c, cJSON_GetObjectItemCaseSensitive(post, "text"), i, "request.postData.text", host);
	if (rc == 0)
		rc = scan_pairs(c, cJSON_GetObjectItemCaseSensitive(post, "params"), i, "request.postData.params", host);
	return rc;
}

/* Locates the pending facts and hands them to the framework in the order found. */
static int emit(hctx *c)
{
	const cJSON **nodes = emh_calloc(c->np + 1, sizeof *nodes);
	emh_json_pos *pos = emh_calloc(c->np + 1, sizeof *pos);
	int rc = 0;
	if (!nodes || !pos)
		rc = emh_error_set(c->err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; rc == 0 && i < c->np; i++)
		nodes[i] = c->p[i].node;
	if (rc == 0 && emh_json_locate_many(c->doc, nodes, c->np, pos, NULL))
		rc = emh_error_set(c->err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; rc == 0 && i < c->np; i++) {
		const pending *p = &c->p[i];
		char loc[512];
		snprintf(loc, sizeof loc, "%.300s:%u:%u entry %zu %s", c->a->path, pos[i].line, pos[i].column,
		         p->entry, p->field);
		emh_fact_pos at = { loc, pos[i].line, pos[i].column, pos[i].offset };
		int r = p->canary ? emh_observe_add_flow(c->o, c->a, p->host, p->canary, p->encoding, &at)
		                  : emh_observe_add_host(c->o, c->a, p->host, &at);
		if (r < 0)
			rc = emh_error_set(c->err, EMH_EGENERIC, "out of memory");
	}
	free(nodes);
	free(pos);
	return rc;
}

int emh_observe_har(emh_observation *o, const emh_artifact *a, emh_error *err)
{
	hctx c;
	memset(&c, 0, sizeof c);
	c.o = o;
	c.a = a;
	c.err = err;
	emh_json *doc = NULL;
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.max_bytes = a->len + 1;
	lim.reject_nul = 1;
	lim.read_only = 1;
	lim.max_values = a->len / 8 + 65536;
	lim.max_values_why = "one value per 8 bytes of the capture, plus 65536";
	int rc = emh_json_parse(&doc, a->data, a->len, a->path, &lim, err);
	if (rc)
		return rc;
	c.doc = doc;
	const cJSON *root = emh_json_root(doc);
	const cJSON *log = cJSON_GetObjectItemCaseSensitive(root, "log");
	const cJSON *entries = cJSON_GetObjectItemCaseSensitive(log, "entries");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(log, "version");
	if (!cJSON_IsObject(log) || !cJSON_IsArray(entries)) {
		rc = located(&c, log ? log : root, "/log", EMH_EINVALID,
		             "not a HAR file: expected {\"log\": {\"version\": \"1.2\", \"entries\": [...]}}");
		goto done;
	}
	if (!cJSON_IsString(version) || (strcmp(version->valuestring, "1.2") != 0 &&
	                                 strcmp(version->valuestring, "1.1") != 0)) {
		rc = located(&c, version ? version : log, "/log/version", EMH_EINVALID,
		             "HAR version must be \"1.2\" (or \"1.1\")");
		goto done;
	}
	if ((size_t)cJSON_GetArraySize(entries) > EMH_HAR_MAX_ENTRIES) {
		rc = located(&c, entries, "/log/entries", EMH_ELIMIT, "the capture has %d entries, over the limit of "
		             "%u (EMH_HAR_MAX_ENTRIES)", cJSON_GetArraySize(entries), EMH_HAR_MAX_ENTRIES);
		goto done;
	}
	if (emh_observe_artifact_count(o, a, "requests", (size_t)cJSON_GetArraySize(entries))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	c.canaries = emh_observe_canaries(o, &c.ncanaries);
	if (c.ncanaries > EMH_HAR_MAX_CANARIES)
		c.ncanaries = EMH_HAR_MAX_CANARIES;
	c.email_sha = emh_observe_email_sha256(o);
	for (size_t k = 0; k < c.ncanaries; k++)
		if (!c.canaries[k].bounded && !(c.b64[k] = base64_forms(c.canaries[k].value))) {
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
			goto done;
		}
	size_t i = 0;
	for (const cJSON *e = entries->child; e && rc == 0; e = e->next, i++)
		rc = read_entry(&c, e, i);
	if (rc == 0)
		rc = emit(&c);
done:
	for (size_t k = 0; k < EMH_HAR_MAX_CANARIES; k++) {
		for (size_t f = 0; c.b64[k] && c.b64[k][f]; f++)
			free(c.b64[k][f]);
		free(c.b64[k]);
	}
	for (size_t i2 = 0; i2 < c.np; i2++)
		free(c.p[i2].host);
	free(c.p);
	free(c.decoded);
	emh_json_free(doc);
	return rc;
}
