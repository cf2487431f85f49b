/*
 * cmd_report.c - `emheval report DOSSIER --format F`: renders a saved
 * dossier (the JSON of `check --format json`) in any format, without
 * evaluating anything again. Also home of the terminal-width rule that
 * every command writing text shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "emheval/io.h"
#include "cli/cli.h"
#include "cli/commands.h"

unsigned emh_cli_text_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	if (cols && *cols) {
		char *end;
		unsigned long n = strtoul(cols, &end, 10);
		if (*end == '\0' && n > 0 && n < 10000)
			return (unsigned)n;
	}
	return 80;
}

int emh_cmd_report(int argc, char **argv)
{
	const char *format_name = NULL, *output = NULL, *base = NULL;
	const emh_cli_option opts[] = {
		{ "--format", &format_name }, { "--output", &output }, { "-o", &output }, { "--base", &base },
	};
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_usage, stdout);
		return 0;
	}
	if (npos != 1)
		return emh_cli_usage_error("report needs one DOSSIER (a dossier JSON file, or - for standard input)");
	emh_format format = EMH_FORMAT_TEXT;
	if (format_name && emh_format_parse(&format, format_name))
		return emh_cli_usage_error("unknown format '%s' (expected one of " EMH_FORMAT_NAMES ")", format_name);

	emh_error err = EMH_ERROR_INIT;
	emh_dossier *dossier = NULL;
	emh_buf in = EMH_BUF_INIT, out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	const char *label = strcmp(pos[0], "-") == 0 ? "(stdin)" : pos[0];
	/* A dossier is a record of bounded size; 256 MiB is far beyond any real one. */
	const size_t max = (size_t)256 << 20;
	if (strcmp(pos[0], "-") == 0) {
		emh_buf_init(&in, max);
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
			emh_buf_append(&in, chunk, n);
		if (ferror(stdin) || !emh_buf_ok(&in)) {
			fprintf(stderr, "emheval: cannot read %s%s\n", label, ferror(stdin) ? "" : " (too large)");
			goto done;
		}
	} else {
		/* A FIFO or device named here is refused at once, never waited on. */
		char *text = NULL;
		size_t len = 0;
		if (emh_io_read_file(&text, &len, pos[0], max, &err)) {
			emh_cli_print_error(&err);
			goto done;
		}
		emh_buf_append(&in, text, len);
		free(text);
		if (!emh_buf_ok(&in)) {
			fprintf(stderr, "emheval: out of memory reading %s\n", label);
			goto done;
		}
	}
	if (emh_dossier_parse(&dossier, in.ptr ? in.ptr : "", in.len, label, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	ro.color = !output && emh_cli_color_ok();
	ro.width = emh_cli_text_width();
	ro.base = base;
	/* A signed dossier NAME.json has its envelope NAME.dsse.json beside it (docs/audit.md). */
	char *envelope = NULL;
	size_t plen = strlen(pos[0]);
	if (strcmp(pos[0], "-") != 0 && plen > 5 && strcmp(pos[0] + plen - 5, ".json") == 0 &&
	    (envelope = malloc(plen + 6)) != NULL) {
		snprintf(envelope, plen + 6, "%.*s.dsse.json", (int)(plen - 5), pos[0]);
		ro.signature = access(envelope, F_OK) == 0
		               ? "a DSSE envelope lies beside this dossier (not checked here: emheval verify --pubkey KEY)"
		               : "unsigned: no DSSE envelope beside this dossier";
	}
	rc = emh_report_render(&out, dossier, format, &ro, &err);
	free(envelope);
	if (rc) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_write_output(output, &out))
		goto done;
	status = dossier->verdict == EMH_VERDICT_APPROVED ? EMH_EXIT_APPROVED : EMH_EXIT_NOT_APPROVED;
done:
	emh_buf_dispose(&in);
	emh_buf_dispose(&out);
	emh_dossier_free(dossier);
	return status;
}
