/*
 * gate_common.c - what the gate's renderers share: JSON members, Markdown
 * and terminal escaping of text that may come from submissions or criteria
 * files, and the sticky buffer error turned into an emh_error.
 */
#include <string.h>
#include "evaluator/internal.h"
#include "reports/gate_render.h"

int emh_gate__finish(const emh_buf *out, emh_error *err)
{
	if (emh_buf_ok(out))
		return 0;
	return emh_error_set(err, out->err ? out->err : EMH_EGENERIC,
	                     out->err == EMH_ELIMIT ? "the report is larger than the output limit"
	                                            : "out of memory while rendering the report");
}

void emh_gate__json_str(emh_buf *b, const char *key, const char *value, int first)
{
	if (!first)
		emh_buf_puts(b, ", ");
	emh_buf_append_json_string(b, key, strlen(key));
	emh_buf_puts(b, ": ");
	if (value)
		emh_buf_append_json_string(b, value, strlen(value));
	else
		emh_buf_puts(b, "null");
}

void emh_gate__json_num(emh_buf *b, const char *key, long long value, int first)
{
	if (!first)
		emh_buf_puts(b, ", ");
	emh_buf_append_json_string(b, key, strlen(key));
	emh_buf_appendf(b, ": %lld", value);
}

void emh_gate__md(emh_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)u);
	for (size_t i = 0; i < len;) {
		size_t n = emh_utf8_seqlen(u + i, len - i);
		if (n == 0) {
			emh_buf_puts(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (n > 1) {
			/* C1 controls (U+0080..U+009F) are two bytes: C2 80..9F. */
			if (u[i] == 0xC2 && u[i + 1] < 0xA0)
				emh_buf_putc(b, ' ');
			else
				emh_buf_append(b, u + i, n);
			i += n;
			continue;
		}
		unsigned char c = u[i++];
		if (c < 0x20 || c == 0x7F) {
			emh_buf_putc(b, ' ');
		} else if (c == '<') {
			emh_buf_puts(b, "&lt;");
		} else if (c == '>') {
			emh_buf_puts(b, "&gt;");
		} else if (c == '&') {
			emh_buf_puts(b, "&amp;");
		} else if (strchr("\\`*_{}[]()#+-.!|~\"'@:", c)) {
			/* '@' and ':' keep mentions and autolinks inert. */
			emh_buf_putc(b, '\\');
			emh_buf_putc(b, (char)c);
		} else {
			emh_buf_putc(b, (char)c);
		}
	}
}

void emh_gate__plain(emh_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x20 && *p != '\t')
			emh_buf_putc(b, ' ');
		else if (*p == 0x7F)
			emh_buf_putc(b, ' ');
		else
			emh_buf_putc(b, (char)*p);
	}
}

const char *emh_gate__short(const char *commit, char buf[8])
{
	size_t n = commit ? strlen(commit) : 0;
	if (n > 7)
		n = 7;
	memcpy(buf, commit ? commit : "", n);
	buf[n] = '\0';
	return buf;
}

void emh_gate__md_code(emh_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int plain = *p != '\0';
	for (; *p && plain; p++)
		plain = *p >= 0x20 && *p != 0x7F && *p != '`' && *p != '|' && *p != '\\';
	if (!plain) {
		emh_gate__md(b, s);
		return;
	}
	emh_buf_putc(b, '`');
	emh_buf_puts(b, s);
	emh_buf_putc(b, '`');
}
