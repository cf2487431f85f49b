/*
 * encode.h (private) - one encoder per output language (encode.c). Every
 * renderer, the reports' and the gate's alike, writes untrusted text through
 * these, so that one policy decides what such text may carry into any output.
 */
#ifndef EMH_EVALUATOR_ENCODE_H
#define EMH_EVALUATOR_ENCODE_H

#include "emheval/buf.h"

/*
 * 1 for code points no output carries as they are: C1 controls, Unicode
 * noncharacters, and the bidirectional embedding, override and isolate
 * controls (U+202A-U+202E, U+2066-U+2069), which could make a submission's
 * text display other than it reads. The encoders write U+FFFD instead
 * (the terminal and Markdown encoders write a space for C1, as for C0).
 */
int emh_encode_unwanted(unsigned long cp);

/*
 * HTML and XML text, in content and in quoted attribute values: & < > " '
 * become references; tab and line feed stay, carriage return becomes a
 * space; other C0 controls, DEL, what emh_encode_unwanted names and invalid
 * UTF-8 (overlong forms, surrogates, truncated sequences) become U+FFFD, so
 * the result is well-formed XML 1.0 and conforming HTML whatever s holds.
 */
void emh_encode_markup(emh_buf *b, const char *s, size_t len);

/*
 * Markdown text (inline, in paragraphs, lists and table cells): C0, DEL and
 * C1 controls (line breaks included) become a space, unwanted code points
 * and invalid UTF-8 U+FFFD; & < > become entities; each byte of punct is
 * backslash-escaped; an '@' not in punct is followed by a zero-width space.
 * NULL appends nothing.
 */
void emh_encode_markdown(emh_buf *b, const char *s, const char *punct);
/* The inline set of the dossier reports: text never starts a line there. */
#define EMH_MD_INLINE "\\`*_[]|~$"
/* The gate's set, which also keeps block markers, mentions and autolinks inert. */
#define EMH_MD_STRICT "\\`*_{}[]()#+-.!|~\"'@:"

/*
 * Plain text for terminals and single-line formats: C0 (tab and line breaks
 * included), DEL and C1 controls become a space, unwanted code points and
 * invalid UTF-8 U+FFFD, so no escape sequence reaches a terminal. NULL
 * appends nothing.
 */
void emh_encode_plain(emh_buf *b, const char *s);

/*
 * The body of a CSS string (between double quotes, as in content: "..."):
 * letters, digits, space and . , : - _ + = ( ) # % ! ? / | ~ stay; every
 * other code point becomes a six-digit escape (\00003C), so no quote,
 * backslash, "</style>" or line break can end the string, the rule or the
 * element; controls and U+2028/U+2029 become a space, unwanted code points
 * and invalid UTF-8 U+FFFD. NULL appends nothing.
 */
void emh_encode_css_string(emh_buf *b, const char *s);

/* Percent-encoding (RFC 3986) of a path or of one name in it. */
typedef enum emh_pct_mode {
	EMH_PCT_PATH, /* unreserved characters (A-Z a-z 0-9 - . _ ~) and '/' stay */
	EMH_PCT_NAME  /* A-Z a-z 0-9 - _ stay, and '.' but as the first byte: a safe file name */
} emh_pct_mode;
void emh_encode_pct(emh_buf *b, const char *s, emh_pct_mode mode);

#endif
