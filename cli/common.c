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
#include "emheval/gate.h"

void emh_cli_error(const char *fmt, ...)
{
	emh_buf msg = EMH_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	emh_buf_vappendf(&msg, fmt, ap);
	va_end(ap);
	emh_cli_print_line(stderr, "emheval: error: %s", emh_buf_ok(&msg) ? emh_buf_cstr(&msg) : "out of memory");
	emh_buf_dispose(&msg);
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
		fputs("emheval: error: out of memory\n", f);
	emh_buf_dispose(&line);
	emh_buf_dispose(&safe);
}

/* Writes err as "FILE:LINE:COL: KIND: message", the way compilers say it. */
static void print_diagnostic(const emh_error *err, const char *kind)
{
	char msg[1400];
	emh_error e = *err;
	snprintf(e.message, sizeof e.message, "%s: %.500s", kind, err->message[0] ? err->message : "unknown error");
	emh_error_format(&e, msg, sizeof msg);
	emh_cli_print_line(stderr, "emheval: %s", msg);
}

void emh_cli_print_error(const emh_error *err)
{
	print_diagnostic(err, "error");
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
	print_diagnostic(warning, "warning");
}

int emh_cli_write_output(const char *path, const emh_buf *b)
{
	emh_error err = EMH_ERROR_INIT;
	if (path && strcmp(path, "-") != 0) {
		if (emh_io_write_named(path, b->ptr ? b->ptr : "", b->len, &err)) {
			emh_cli_print_error(&err);
			return -1;
		}
		return 0;
	}
	if (b->len && fwrite(b->ptr, 1, b->len, stdout) != b->len) {
		emh_cli_error("cannot write to standard output");
		return -1;
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

/* No install path is compiled in: see cli.h. */
int emh_cli_installed_path(char *out, size_t size, const char *leaf)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (int up = 0; up < 2; up++) { /* PREFIX/bin/emheval -> PREFIX */
		char *slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = '\0';
	}
	int w = snprintf(out, size, "%s/share/emheval/%s", exe, leaf);
	return w > 0 && (size_t)w < size ? 0 : -1;
}

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
	 * project under its data folder (make install). Only then: a revision
	 * missing from a repository that has criteria is an error, never a reason
	 * to judge against another set (issue 15).
	 */
	int none_here = rc == EMH_ENOTFOUND && !repo &&
	                (strncmp(err.message, "not a git repository", 20) == 0 ||
	                 strncmp(err.message, "no folder", 9) == 0);
	char installed[4200];
	int fell_back = none_here && emh_cli_installed_path(installed, sizeof installed, "criteria.git") == 0 &&
	                access(installed, F_OK) == 0;
	emh_error first = err;
	if (fell_back) {
		co.repository = installed;
		emh_error_clear(&err);
		rc = emh_criteria_load(out, &co, &err);
		if (rc == 0)
			fprintf(stderr, "emheval: no criteria here (%s); using the installed set %s\n",
			        first.message, co.repository);
	}
	if (rc) {
		if (fell_back) /* say why the installed set was the one read */
			fprintf(stderr, "emheval: no criteria here (%s); reading the installed set %s\n", first.message,
			        installed);
		if (err.code != EMH_EINVALID)
			emh_cli_print_error(&err); /* compile problems were printed one by one */
		if (none_here && rc == EMH_ENOTFOUND)
			fprintf(stderr, "emheval: hint: criteria are read from git: run emheval inside a clone of a "
			        "criteria repository (this project's for the shipped set), or name one with --criteria REPO "
			        "(and --criteria-path, --rev)\n");
		return -1;
	}
	return 0;
}

void emh_cli_criteria_finder(emh_criteria_finder *f, const char *repository)
{
	static char sources[4096];
	const char *env = getenv("EMHEVAL_CRITERIA_SOURCES"), *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	*f = (emh_criteria_finder){ repository, NULL, NULL };
	if (repository)
		return;
	if (env && env[0])
		snprintf(sources, sizeof sources, "%s", env); /* named explicitly: a missing file is reported */
	else if (xdg && xdg[0])
		snprintf(sources, sizeof sources, "%s/emheval/criteria-sources", xdg);
	else if (home && home[0])
		snprintf(sources, sizeof sources, "%s/.config/emheval/criteria-sources", home);
	else
		sources[0] = '\0';
	if (sources[0] && ((env && env[0]) || access(sources, F_OK) == 0))
		f->sources = sources;
	static char installed[4200];
	if (emh_cli_installed_path(installed, sizeof installed, "criteria.git") == 0 && access(installed, F_OK) == 0)
		f->installed = installed;
}

void emh_cli_criteria_hint(void)
{
	fprintf(stderr, "emheval: hint: name a clone that holds the commit with --criteria REPO, or map the dossier's "
	        "criteria source to one in a sources file (EMHEVAL_CRITERIA_SOURCES, ~/.config/emheval/"
	        "criteria-sources: NAME PATH per line; docs/dossier.md)\n");
}

int emh_cli_color(const char *when, int to_file, int *color)
{
	if (!when || strcmp(when, "auto") == 0) {
		const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
		*color = !to_file && isatty(STDOUT_FILENO) && !(no_color && no_color[0]) &&
		         !(term && strcmp(term, "dumb") == 0);
		return 0;
	}
	if (strcmp(when, "always") == 0 || strcmp(when, "never") == 0) {
		*color = when[0] == 'a';
		return 0;
	}
	return -1;
}

int emh_cli_render_format(const emh_cli_args *a, const char *output, const char **format_name,
                          emh_format *format, int *color)
{
	const char *name = emh_cli_get(a, "format"), *when = emh_cli_get(a, "color");
	if (format_name)
		*format_name = name;
	*format = EMH_FORMAT_TEXT;
	if (name && emh_format_parse(format, name))
		return emh_cli_usage_error("unknown format '%s' (expected one of " EMH_FORMAT_NAMES ")", name);
	if (emh_cli_color(when, output != NULL, color))
		return emh_cli_usage_error("--color takes auto, always or never, not '%s'", when);
	return 0;
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

int emh_cli_limits_apply(const emh_cli_args *a, emh_submission_options *so, emh_eval_options *eo)
{
	unsigned long long v;
	const struct { const char *name; size_t *size; } sizes[] = {
		{ "max-submission-bytes", so ? &so->max_json_bytes : NULL },
		{ "max-evidence-bytes", so ? &so->max_evidence_bytes : NULL },
		{ "max-evidence-total", so ? &so->max_evidence_total : NULL },
		{ "max-array-visit", eo ? &eo->max_array_visit : NULL },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const char *value = emh_cli_get(a, sizes[i].name);
		if (!value || !sizes[i].size)
			continue;
		/* JSON offsets are 32-bit: submission.json stays under 4 GiB. */
		unsigned long long max = i == 0 ? UINT32_MAX : SIZE_MAX;
		if (parse_count(value, i < 3, max, &v))
			return emh_cli_usage_error("--%s needs a positive %s, not '%s'", sizes[i].name,
			                           i < 3 ? "size (bytes, or with K, M or G)" : "count", value);
		*sizes[i].size = (size_t)v;
	}
	const char *depth = emh_cli_get(a, "max-depth");
	if (depth && so) {
		if (parse_count(depth, 0, 1000, &v))
			return emh_cli_usage_error("--max-depth needs a nesting depth from 1 to 1000, not '%s'", depth);
		so->max_depth = (unsigned)v;
	}
	return 0;
}

static const emh_cli_opt criteria_opts[] = {
	{ "criteria", 0, "REPO", "git repository holding the criteria (bare or not)",
	  "the repository holding the current directory", NULL },
	{ "criteria-path", 0, "DIR", "criteria folder inside it", "criteria", NULL },
	{ "rev", 0, "REV", "revision to read the criteria from: tag, branch or commit; never the working tree",
	  "HEAD", NULL },
};
const emh_cli_group emh_cli_criteria_group = EMH_CLI_GROUP("Criteria options", criteria_opts, 1);

static const emh_cli_opt limits_opts[] = {
	{ "max-submission-bytes", 0, "N", "size of submission.json (K, M, G suffixes); it may hold one JSON value "
	  "per 8 bytes of N", "16M", NULL },
	{ "max-evidence-bytes", 0, "N", "size of each evidence file", "64M", NULL },
	{ "max-evidence-total", 0, "N", "all evidence files of a submission", "256M", NULL },
	{ "max-depth", 0, "N", "JSON nesting depth, at most 1000", "256", NULL },
	{ "max-array-visit", 0, "N", "array elements one criterion may visit; past it the criterion is an error",
	  "1000000", NULL },
};
const emh_cli_group emh_cli_limits_group =
	EMH_CLI_GROUP("Limits on untrusted input (docs/security.md)", limits_opts, 1);

static const emh_cli_opt publish_opts[] = {
	{ "sign-key", 0, "KEY", "sign the dossier: an in-toto statement in a DSSE envelope, written beside it as "
	  "NAME.dsse.json", NULL, NULL },
	{ "waivers", 0, "FILE", "apply waivers (valid through their expiry date, judged as of the evaluation "
	  "date), each signed by its approver in a role that may waive the criterion", NULL, NULL },
	{ "reviewers", 0, "REPO[:PATH]", "who may waive: the reviewers file (roles, keys), read from git at HEAD",
	  "reviewers.json beside framework.json", NULL },
	{ "ledger", 0, "REPO", "file the dossier (and signature) in a git ledger, created if absent; with "
	  "--sign-key each filing also signs its place in the ledger's chain", NULL, NULL },
};
const emh_cli_group emh_cli_publish_group = EMH_CLI_GROUP("Audit options (docs/audit.md)", publish_opts, 1);

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

int emh_cli_gate_worktree(emh_gate_source *src, int worktree, char *snapshot, const char *what)
{
	emh_error err = EMH_ERROR_INIT;
	const char *folder = src->path ? src->path : "criteria";
	if (worktree) {
		if (src->rev) {
			emh_cli_usage_error("--worktree reads the files on disk; it cannot be combined with --rev");
			return EMH_EXIT_USAGE;
		}
		if (emh_gate_worktree_snapshot(snapshot, src, &err)) {
			emh_cli_print_error(&err);
			return EMH_EXIT_USAGE;
		}
		src->rev = snapshot;
		fprintf(stderr, "emheval: %s reads %s as it is on disk (uncommitted edits included), recorded as "
		        "commit %.12s on no branch\n", what, folder, snapshot);
		return 0;
	}
	if (src->rev && strcmp(src->rev, "HEAD") != 0)
		return 0; /* a revision the user named: the work tree is not what they asked about */
	emh_buf files = EMH_BUF_INIT;
	size_t n = 0;
	const char *verb = strcmp(what, "impact") == 0 ? "compare with" : what;
	/* A repository that cannot be read is reported by the command itself. */
	if (emh_gate_worktree_changes(&files, &n, src, &err) == 0 && n)
		emh_cli_print_line(stderr, "emheval: warning: %s has %zu uncommitted change%s that %s does not see (it "
		                   "reads the committed text at HEAD): %s; commit them, or run %s --worktree to %s the "
		                   "files as they are on disk", folder, n, n == 1 ? "" : "s", what,
		                   emh_buf_cstr(&files), what, verb);
	emh_buf_dispose(&files);
	return 0;
}
