/*
 * render.c - one entry point for every output format.
 */
#include <string.h>
#include "emheval/report.h"
#include "reports/json.h"

int emh_format_parse(emh_format *out, const char *name)
{
	if (strcmp(name, "json") == 0)
		*out = EMH_FORMAT_JSON;
	else if (strcmp(name, "text") == 0)
		*out = EMH_FORMAT_TEXT;
	else
		return EMH_EINVALID;
	return 0;
}

int emh_report_render(emh_buf *out, const emh_dossier *d, emh_format f,
                      const emh_render_options *opts, emh_error *err)
{
	emh_render_options o = EMH_RENDER_OPTIONS_INIT;
	if (opts)
		o = *opts;
	switch (f) {
	case EMH_FORMAT_JSON:
		return emh_report_render_json(out, d, err);
	case EMH_FORMAT_TEXT:
		return emh_report_render_text(out, d, o.color, o.width, err);
	}
	return emh_error_set(err, EMH_EINVALID, "unknown format");
}
