/*
 * gate_common.c - what the gate's renderers share: JSON built with cJSON, Markdown
 * and terminal escaping of text that may come from submissions or criteria
 * files, and the sticky buffer error turned into an emh_error.
 */
#include <string.h>
#include "evaluator/encode.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "reports/gate/gate_render.h"

int emh_gate__finish(const emh_buf *out, emh_error *err)
{
	if (emh_buf_ok(out))
		return 0;
	return emh_error_set(err, out->err ? out->err : EMH_EGENERIC,
	                     out->err == EMH_ELIMIT ? "the report is larger than the output limit"
	                                            : "out of memory while rendering the report");
}

void emh_gate__put_bool(cJSON *o, const char *key, int value)
{
	emh_json_put(o, key, cJSON_CreateBool(value));
}

void emh_gate__put_source(cJSON *o, const char *repository, const char *criteria_path, const char *rev,
                          const char *commit)
{
	emh_json_put_str_or_null(o, "repository", repository);
	emh_json_put_str_or_null(o, "criteria_path", criteria_path);
	emh_json_put_str_or_null(o, "rev", rev);
	emh_json_put_str_or_null(o, "commit", commit);
}

static void lost(emh_buf *b)
{
	if (!b->err)
		b->err = EMH_EGENERIC;
}

void emh_gate__json_line(emh_buf *b, const cJSON *v, unsigned long failures)
{
	if (!v || emh_json_alloc_failures() != failures || emh_json_print_line(b, v, 1))
		lost(b);
}

void emh_gate__json_members(emh_buf *b, const cJSON *o, int first, unsigned long failures)
{
	if (!o || emh_json_alloc_failures() != failures || emh_json_print_members(b, o, 1, first))
		lost(b);
}

void emh_gate__md(emh_buf *b, const char *s)
{
	emh_encode_markdown(b, s, EMH_MD_STRICT);
}

void emh_gate__plain(emh_buf *b, const char *s)
{
	emh_encode_plain(b, s);
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
