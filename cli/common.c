/*
 * common.c - option parsing and output helpers shared by every command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reports/render.h"
#include "cli/cli.h"

int emh_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "emheval: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'emheval --help'.\n");
	va_end(ap);
	return EMH_EXIT_USAGE;
}

void emh_cli_print_line(FILE *f, const char *fmt, ...)
{
	emh_buf line = EMH_BUF_INIT, safe = EMH_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	emh_buf_vappendf(&line, fmt, ap);
	va_end(ap);
	/* The reports' own terminal escaper: controls become spaces, bidi controls U+FFFD. */
	emh_report__plain(&safe, emh_buf_cstr(&line));
	emh_buf_putc(&safe, '\n');
	if (emh_buf_ok(&safe))
		fwrite(safe.ptr, 1, safe.len, f);
	else
		fputs("emheval: out of memory\n", f);
	emh_buf_dispose(&line);
	emh_buf_dispose(&safe);
}

void emh_cli_print_error(const emh_error *err)
{
	char msg[1400];
	emh_error_format(err, msg, sizeof msg);
	emh_cli_print_line(stderr, "emheval: %s", msg);
}

void emh_cli_print_problem(const emh_error *problem, void *payload)
{
	(void)payload;
	emh_cli_print_error(problem);
}

void emh_cli_print_counted(const emh_error *problem, void *payload)
{
	if (payload)
		(*(size_t *)payload)++;
	emh_cli_print_error(problem);
}

void emh_cli_print_warning(const emh_error *warning, void *payload)
{
	(void)payload;
	char msg[1400];
	emh_error w = *warning;
	/* "FILE:LINE:COL: warning: ..." the way compilers say it */
	memcpy(w.message, "warning: ", 9);
	snprintf(w.message + 9, sizeof w.message - 9, "%.500s", warning->message);
	emh_error_format(&w, msg, sizeof msg);
	fprintf(stderr, "emheval: %s\n", msg);
}

int emh_cli_parse(int argc, char **argv, int first,
                  const emh_cli_option *opts, size_t nopts,
                  const emh_cli_flag *flags, size_t nflags,
                  const char **positional, size_t max_positional,
                  size_t *npositional, int *help)
{
	*npositional = 0;
	*help = 0;
	int only_positional = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (!only_positional && strcmp(a, "--") == 0) {
			only_positional = 1;
			continue;
		}
		if (!only_positional && a[0] == '-' && a[1] != '\0') {
			if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				*help = 1;
				continue;
			}
			int matched = 0;
			for (size_t k = 0; k < nopts && !matched; k++) {
				size_t n = strlen(opts[k].name);
				if (strncmp(a, opts[k].name, n) != 0)
					continue;
				if (a[n] == '=') {
					*opts[k].value = a + n + 1;
					matched = 1;
				} else if (a[n] == '\0') {
					if (i + 1 >= argc)
						return emh_cli_usage_error("option %s needs a value", opts[k].name);
					*opts[k].value = argv[++i];
					matched = 1;
				}
			}
			for (size_t k = 0; k < nflags && !matched; k++) {
				if (strcmp(a, flags[k].name) == 0) {
					*flags[k].set = 1;
					matched = 1;
				}
			}
			if (!matched)
				return emh_cli_usage_error("unknown option %s", a);
			continue;
		}
		if (*npositional >= max_positional)
			return emh_cli_usage_error("unexpected argument %s", a);
		positional[(*npositional)++] = a;
	}
	return 0;
}

int emh_cli_write_output(const char *path, const emh_buf *b)
{
	emh_error err = EMH_ERROR_INIT;
	if (path) {
		if (emh_io_write_named(path, b->ptr ? b->ptr : "", b->len, &err)) {
			emh_cli_print_error(&err);
			return -1;
		}
		return 0;
	}
	if (b->len && fwrite(b->ptr, 1, b->len, stdout) != b->len) {
		fprintf(stderr, "emheval: cannot write to standard output\n");
		return -1;
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

#ifndef EMH_DATADIR
#define EMH_DATADIR "/usr/local/share/emheval"
#endif

int emh_cli_load_criteria(emh_criteria **out, const char *repo, const char *path, const char *rev)
{
	emh_error err = EMH_ERROR_INIT;
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.repository = repo;
	co.path = path;
	co.rev = rev;
	co.on_problem = emh_cli_print_problem;
	int rc = emh_criteria_load(out, &co, &err);
	/*
	 * With no --criteria, outside a repository that holds a criteria folder,
	 * an installed emheval uses the set it carries: a bare clone of this
	 * project under its data folder (make install).
	 */
	if (rc == EMH_ENOTFOUND && !repo && access(EMH_DATADIR "/criteria.git", F_OK) == 0) {
		emh_error first = err;
		co.repository = EMH_DATADIR "/criteria.git";
		emh_error_clear(&err);
		rc = emh_criteria_load(out, &co, &err);
		if (rc == 0)
			fprintf(stderr, "emheval: no criteria here (%s); using the installed set %s\n",
			        first.message, co.repository);
	}
	if (rc) {
		if (err.code != EMH_EINVALID)
			emh_cli_print_error(&err); /* compile problems were printed one by one */
		return -1;
	}
	return 0;
}

int emh_cli_color_ok(void)
{
	const char *no_color = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
}

/*
 * Parses a positive count, with a K/M/G suffix (powers of 1024) when
 * binary is set, into *out, at most max. Returns 0 or -1.
 */
static int parse_count(const char *s, int binary, unsigned long long max, unsigned long long *out)
{
	char *end = NULL;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	unsigned long long mul = 1;
	if (binary && *end) {
		switch (*end) {
		case 'k': case 'K': mul = 1ull << 10; break;
		case 'm': case 'M': mul = 1ull << 20; break;
		case 'g': case 'G': mul = 1ull << 30; break;
		default: return -1;
		}
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
	}
	if (*end || v == 0 || v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int emh_cli_limits_apply(const emh_cli_limits *l, emh_submission_options *so,
                         emh_eval_options *eo)
{
	unsigned long long v;
	const struct { const char *name, *value; size_t *size; } sizes[] = {
		{ "--max-submission-bytes", l->submission_bytes, so ? &so->max_json_bytes : NULL },
		{ "--max-evidence-bytes", l->evidence_bytes, so ? &so->max_evidence_bytes : NULL },
		{ "--max-evidence-total", l->evidence_total, so ? &so->max_evidence_total : NULL },
		{ "--max-array-visit", l->array_visit, eo ? &eo->max_array_visit : NULL },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		if (!sizes[i].value || !sizes[i].size)
			continue;
		/* JSON offsets are 32-bit: submission.json stays under 4 GiB. */
		unsigned long long max = i == 0 ? UINT32_MAX : SIZE_MAX;
		if (parse_count(sizes[i].value, i < 3, max, &v))
			return emh_cli_usage_error("%s needs a positive %s, not '%s'", sizes[i].name,
			                           i < 3 ? "size (bytes, or with K, M or G)" : "count",
			                           sizes[i].value);
		*sizes[i].size = (size_t)v;
	}
	if (l->depth && so) {
		if (parse_count(l->depth, 0, 1000, &v))
			return emh_cli_usage_error("--max-depth needs a nesting depth from 1 to 1000, not '%s'",
			                           l->depth);
		so->max_depth = (unsigned)v;
	}
	return 0;
}

const char emh_cli_limits_usage[] =
"\n"
"Limits on untrusted input (every command that evaluates; docs/security.md):\n"
"  --max-submission-bytes N  submission.json (default 16M; K, M, G suffixes);\n"
"                            it may hold one JSON value per 8 bytes of N\n"
"  --max-evidence-bytes N    each evidence file (default 64M)\n"
"  --max-evidence-total N    all evidence files of a submission (default 256M)\n"
"  --max-depth N             JSON nesting depth (default 256, at most 1000)\n"
"  --max-array-visit N       array elements one criterion may visit (default\n"
"                            1000000); past it the criterion is an error\n";

int emh_cli_authorize_waivers(emh_waivers *w, const emh_criteria *set, const char *reviewers,
                              const char *criteria, const char *criteria_path)
{
	if (!w)
		return 0;
	emh_error err = EMH_ERROR_INIT;
	emh_reviewers *who = NULL;
	emh_buf repo = EMH_BUF_INIT, path = EMH_BUF_INIT;
	const char *colon = reviewers ? strrchr(reviewers, ':') : NULL;
	if (reviewers) {
		emh_buf_append(&repo, reviewers, colon ? (size_t)(colon - reviewers) : strlen(reviewers));
		emh_buf_puts(&path, colon ? colon + 1 : "reviewers.json");
	} else {
		emh_buf_puts(&repo, criteria ? criteria : ".");
		emh_buf_appendf(&path, "%s/reviewers.json", criteria_path ? criteria_path : "criteria");
	}
	int rc = emh_reviewers_load_git(&who, emh_buf_cstr(&repo), emh_buf_cstr(&path), NULL, &err);
	if (rc == 0)
		rc = emh_waivers_authorize(w, set, who, &err);
	if (rc)
		emh_cli_print_error(&err);
	emh_reviewers_free(who);
	emh_buf_dispose(&repo);
	emh_buf_dispose(&path);
	return rc ? -1 : 0;
}
