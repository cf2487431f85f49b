/*
 * encode.c - one encoder per output language (HTML/XML, Markdown, terminal
 * text, CSS strings, percent-encoding; JSON strings are emh_buf_append_json_string and
 * cJSON). Untrusted text reaches outputs read by people and by tools, so each
 * encoder applies the same policy: invalid UTF-8, C1 controls, noncharacters
 * and bidi controls never pass through as they are (docs/security.md,
 * "Escaping"). It sits at the bottom layer so that the public buffer escapers,
 * the audit code, the reports and the register all share it.
 */
#include <string.h>
#include "evaluator/encode.h"
#include "evaluator/internal.h"

static const char replacement[] = "\xEF\xBF\xBD";

int emh_encode_unwanted(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFEu) == 0xFFFEu ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* 1 for the controls the text encoders turn into a space: C0, DEL and C1. */
static int is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/*
 * The policy of the text encoders (Markdown, terminal, CSS) for the code point at
 * u[*i]: a control becomes a space, an unwanted code point or invalid UTF-8
 * U+FFFD; then *i moves past it and 1 is returned. Otherwise returns 0 with
 * the code point in *cp and its length in *n, for the caller to write.
 */
static int text_policy(emh_buf *b, const unsigned char *u, size_t len, size_t *i, unsigned long *cp,
                       size_t *n)
{
	*n = emh_utf8_decode(u + *i, len - *i, cp);
	if (*n && is_control(*cp)) {
		emh_buf_putc(b, ' ');
		*i += *n;
		return 1;
	}
	if (*n == 0 || emh_encode_unwanted(*cp)) {
		emh_buf_append(b, replacement, 3);
		*i += *n ? *n : 1;
		return 1;
	}
	return 0;
}

/* Writes each code point of s that passes text_policy with put (bytes u[0..n), code point cp). */
typedef void text_put(emh_buf *b, unsigned long cp, const unsigned char *u, size_t n, const char *arg);
static void text_each(emh_buf *b, const char *s, text_put *put, const char *arg)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n;
		if (text_policy(b, u, len, &i, &cp, &n))
			continue;
		put(b, cp, u + i, n, arg);
		i += n;
	}
}

/* ---- HTML and XML ---------------------------------------------------------- */

void emh_encode_markup(emh_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (!s)
		return;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = emh_utf8_decode(u + i, len - i, &cp);
		if (n == 0 || emh_encode_unwanted(cp)) {
			emh_buf_append(b, replacement, 3);
			i += n ? n : 1;
			continue;
		}
		if (n > 1) {
			emh_buf_append(b, u + i, n);
			i += n;
			continue;
		}
		unsigned char c = u[i++];
		switch (c) {
		case '&': emh_buf_puts(b, "&amp;"); break;
		case '<': emh_buf_puts(b, "&lt;"); break;
		case '>': emh_buf_puts(b, "&gt;"); break;
		case '"': emh_buf_puts(b, "&quot;"); break;
		case '\'': emh_buf_puts(b, "&#39;"); break;
		case '\t': case '\n': emh_buf_putc(b, (char)c); break;
		case '\r': emh_buf_putc(b, ' '); break;
		default:
			/* XML 1.0 forbids the other controls even as references. */
			if (c < 0x20 || c == 0x7F)
				emh_buf_append(b, replacement, 3);
			else
				emh_buf_putc(b, (char)c);
		}
	}
}

/* ---- Markdown -------------------------------------------------------------- */

static void markdown_put(emh_buf *b, unsigned long cp, const unsigned char *u, size_t n, const char *punct)
{
	if (cp == '&')
		emh_buf_puts(b, "&amp;");
	else if (cp == '<')
		emh_buf_puts(b, "&lt;");
	else if (cp == '>')
		emh_buf_puts(b, "&gt;");
	else if (cp < 0x80 && strchr(punct, (int)cp)) {
		emh_buf_putc(b, '\\');
		emh_buf_putc(b, (char)cp);
	} else if (cp == '@')
		emh_buf_puts(b, "@\xE2\x80\x8B"); /* no @-mention */
	else
		emh_buf_append(b, u, n);
}

void emh_encode_markdown(emh_buf *b, const char *s, const char *punct)
{
	text_each(b, s, markdown_put, punct);
}

/* ---- terminal text --------------------------------------------------------- */

static void plain_put(emh_buf *b, unsigned long cp, const unsigned char *u, size_t n, const char *unused)
{
	(void)cp;
	(void)unused;
	emh_buf_append(b, u, n);
}

void emh_encode_plain(emh_buf *b, const char *s)
{
	text_each(b, s, plain_put, NULL);
}

/* ---- CSS strings --------------------------------------------------------- */

static void css_put(emh_buf *b, unsigned long cp, const unsigned char *u, size_t n, const char *unused)
{
	(void)u;
	(void)n;
	(void)unused;
	if (cp == 0x2028 || cp == 0x2029) /* a header is one line */
		emh_buf_putc(b, ' ');
	else if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
	         (cp < 0x80 && strchr(" .,:-_+=()#%!?/|~", (int)cp)))
		emh_buf_putc(b, (char)cp);
	else /* six hex digits: the escape ends by itself, whatever follows */
		emh_buf_appendf(b, "\\%06lX", cp);
}

void emh_encode_css_string(emh_buf *b, const char *s)
{
	text_each(b, s, css_put, NULL);
}

/* ---- percent-encoding ------------------------------------------------------ */

void emh_encode_pct(emh_buf *b, const char *s, emh_pct_mode mode)
{
	for (size_t i = 0; s && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		            c == '-' || c == '_';
		if (mode == EMH_PCT_PATH)
			plain = plain || c == '.' || c == '~' || c == '/';
		else
			plain = plain || (c == '.' && i > 0);
		if (plain)
			emh_buf_putc(b, (char)c);
		else
			emh_buf_appendf(b, "%%%02X", c);
	}
}

/* The public buffer escapers (buf.h) for HTML and XML are this one encoder;
 * they live here so that buf.c stays below encode.c. */
void emh_buf_append_html_escaped(emh_buf *b, const char *s, size_t len)
{
	emh_encode_markup(b, s, len);
}

void emh_buf_append_xml_escaped(emh_buf *b, const char *s, size_t len)
{
	emh_encode_markup(b, s, len);
}
