/*
 * options.c - the command line from the option tables: getopt_long over
 * each command's groups, "did you mean" for a mistyped option, and the
 * help page of one command. The tables are the one source of the options,
 * their help and the man page (manual.c), so the three cannot drift.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

/* The command being parsed, for the hint after a usage error. */
static const emh_cli_command *current;

int emh_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "emheval: error: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (current)
		fprintf(stderr, "\nTry 'emheval %s --help'.\n", current->name);
	else
		fprintf(stderr, "\nTry 'emheval --help'.\n");
	return EMH_EXIT_USAGE;
}

/* The i-th option of cmd across its groups, or NULL past the last. */
static const emh_cli_opt *nth_opt(const emh_cli_command *cmd, size_t i)
{
	for (const emh_cli_group *const *g = cmd->groups; g && *g; g++) {
		if (i < (*g)->n)
			return &(*g)->opts[i];
		i -= (*g)->n;
	}
	return NULL;
}

static size_t count_opts(const emh_cli_command *cmd)
{
	size_t n = 0;
	for (const emh_cli_group *const *g = cmd->groups; g && *g; g++)
		n += (*g)->n;
	return n;
}

/* Levenshtein distance, with an adjacent transposition counted as one edit. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *emh_cli_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best && best_d <= 2 && best_d * 2 < len ? best : NULL;
}

/* "unknown option --bogus (did you mean --base?)": arg is the option as given, "--name=v" cut at '='. */
static int unknown_option(const emh_cli_command *cmd, const char *arg)
{
	char given[128];
	snprintf(given, sizeof given, "%.*s", (int)strcspn(arg, "="), arg);
	const char *names[EMH_CLI_MAX_OPTS + 1];
	char spelled[EMH_CLI_MAX_OPTS + 1][64];
	size_t n = 0;
	for (const emh_cli_opt *o; (o = nth_opt(cmd, n)) != NULL && n < EMH_CLI_MAX_OPTS; n++) {
		snprintf(spelled[n], sizeof spelled[n], "--%s", o->name);
		names[n] = spelled[n];
	}
	names[n++] = "--help";
	/* getopt_long takes an unambiguous abbreviation; name the options an ambiguous one could be. */
	size_t glen = strlen(given), nmatch = 0;
	char matches[256] = "";
	for (size_t i = 0; glen > 2 && given[1] == '-' && i < n; i++) {
		if (strncmp(names[i], given, glen) == 0) {
			nmatch++;
			size_t used = strlen(matches);
			snprintf(matches + used, sizeof matches - used, "%s%s", used ? ", " : "", names[i]);
		}
	}
	if (nmatch > 1)
		return emh_cli_usage_error("option %s is ambiguous (%s)", given, matches);
	const char *near = given[0] == '-' && given[1] == '-' ? emh_cli_suggest(given, names, n) : NULL;
	if (near)
		return emh_cli_usage_error("unknown option %s (did you mean %s?)", given, near);
	return emh_cli_usage_error("unknown option %s", given);
}

int emh_cli_parse(emh_cli_args *a, const emh_cli_command *cmd, int argc, char **argv, int first)
{
	memset(a, 0, sizeof *a);
	a->cmd = current = cmd;
	size_t nopts = count_opts(cmd);
	if (nopts > EMH_CLI_MAX_OPTS) {
		a->status = emh_cli_usage_error("internal: %s has more than %d options", cmd->name, EMH_CLI_MAX_OPTS);
		return 1;
	}
	/* "-" first: operands come back in order (no reliance on POSIXLY_CORRECT); ":" reports a missing value. */
	struct option longs[EMH_CLI_MAX_OPTS + 2];
	char shorts[3 * EMH_CLI_MAX_OPTS + 8] = "-:h";
	size_t ns = strlen(shorts);
	for (size_t i = 0; i < nopts; i++) {
		const emh_cli_opt *o = nth_opt(cmd, i);
		longs[i] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, 256 + (int)i };
		if (o->short_name) {
			shorts[ns++] = o->short_name;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
	longs[nopts] = (struct option){ "help", no_argument, NULL, 'h' };
	longs[nopts + 1] = (struct option){ NULL, 0, NULL, 0 };

	/* getopt sees argv[first - 1] as its program name; operands are gathered at the front. */
	int gargc = argc - first + 1;
	char **gargv = argv + first - 1;
	size_t npos = 0;
	int help = 0, c;
	opterr = 0;
	optind = 0; /* a full reinitialisation (glibc) */
	while ((c = getopt_long(gargc, gargv, shorts, longs, NULL)) != -1) {
		if (c == 1) {
			gargv[1 + npos++] = optarg; /* never past optind: safe in place */
		} else if (c == 'h') {
			help = 1;
		} else if (c == ':') {
			const emh_cli_opt *o = optopt >= 256 ? nth_opt(cmd, (size_t)(optopt - 256)) : NULL;
			for (size_t i = 0; !o && i < nopts; i++)
				if (nth_opt(cmd, i)->short_name == optopt)
					o = nth_opt(cmd, i);
			if (o && optopt < 256)
				a->status = emh_cli_usage_error("option -%c needs a value (%s)", o->short_name, o->arg);
			else if (o)
				a->status = emh_cli_usage_error("option --%s needs a value (%s)", o->name, o->arg);
			else
				a->status = emh_cli_usage_error("option %s needs a value", gargv[optind - 1]);
			return 1;
		} else if (c == '?') {
			if (optopt >= 256) {
				a->status = emh_cli_usage_error("option --%s takes no value",
				                                nth_opt(cmd, (size_t)(optopt - 256))->name);
			} else if (optopt) {
				char s[3] = { '-', (char)optopt, '\0' };
				a->status = unknown_option(cmd, s);
			} else {
				a->status = unknown_option(cmd, gargv[optind - 1]);
			}
			return 1;
		} else {
			size_t i = 0;
			if (c >= 256)
				i = (size_t)(c - 256);
			else
				while (i < nopts && nth_opt(cmd, i)->short_name != c)
					i++;
			if (i < nopts)
				a->values[i] = nth_opt(cmd, i)->arg ? optarg : "1";
		}
	}
	/* After "--" every remaining argument is an operand. */
	for (int i = optind; i < gargc; i++)
		gargv[1 + npos++] = gargv[i];
	/* The operands stay in argv; the commands only read them. */
	union { char **argv; const char **pos; } operands = { gargv + 1 };
	a->pos = operands.pos;
	a->npos = npos;
	if (help) {
		emh_cli_print_help(stdout, cmd);
		a->status = fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
		return 1;
	}
	return 0;
}

static size_t find(const emh_cli_args *a, const char *name)
{
	size_t i = 0;
	for (const emh_cli_opt *o; (o = nth_opt(a->cmd, i)) != NULL; i++)
		if (strcmp(o->name, name) == 0)
			return i;
	/* A name no table holds is a bug in cli/: stop loudly rather than ignore the option. */
	fprintf(stderr, "emheval: error: internal: %s has no option --%s\n", a->cmd->name, name);
	abort();
}

const char *emh_cli_get(const emh_cli_args *a, const char *name)
{
	return a->values[find(a, name)];
}

int emh_cli_flag(const emh_cli_args *a, const char *name)
{
	return a->values[find(a, name)] != NULL;
}

const char *emh_cli_output(const emh_cli_args *a, const char *name)
{
	const char *v = emh_cli_get(a, name);
	return v && strcmp(v, "-") == 0 ? NULL : v;
}

/* Prints text wrapped at width, every line after the first indented by indent, from column col. */
static void wrap(FILE *f, const char *text, size_t col, size_t indent, size_t width)
{
	const char *p = text;
	while (*p) {
		size_t word = strcspn(p, " \n");
		if (col > indent && col + 1 + word > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += word;
		p += word;
		if (*p == '\n' && p[1] == '\n') {
			fprintf(f, "\n\n%*s", (int)indent, "");
			col = indent;
			p += 2;
		}
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', f);
}

void emh_cli_print_help(FILE *f, const emh_cli_command *cmd)
{
	enum { WIDTH = 80, COL = 28 };
	fprintf(f, "usage: emheval %s%s%s [options]\n\n", cmd->name, cmd->args ? " " : "",
	        cmd->args ? cmd->args : "");
	wrap(f, cmd->description ? cmd->description : cmd->summary, 0, 0, WIDTH);
	for (const emh_cli_group *const *g = cmd->groups; g && *g; g++) {
		fprintf(f, "\n%s:\n", (*g)->title);
		for (size_t i = 0; i < (*g)->n; i++) {
			const emh_cli_opt *o = &(*g)->opts[i];
			char label[96];
			if (o->short_name)
				snprintf(label, sizeof label, "  -%c, --%s%s%s", o->short_name, o->name,
				         o->arg ? " " : "", o->arg ? o->arg : "");
			else
				snprintf(label, sizeof label, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
			size_t len = strlen(label);
			fputs(label, f);
			if (len + 2 > COL) {
				fprintf(f, "\n%*s", COL, "");
				len = COL;
			} else {
				fprintf(f, "%*s", (int)(COL - len), "");
				len = COL;
			}
			char text[1024];
			snprintf(text, sizeof text, "%s%s%s%s", o->help, o->def ? " (default: " : "", o->def ? o->def : "",
			         o->def ? ")" : "");
			wrap(f, text, len, COL, WIDTH);
		}
	}
	fprintf(f, "\n  -h, --help                show this help\n");
	if (cmd->exit_status) {
		fputc('\n', f);
		wrap(f, cmd->exit_status, 0, 2, WIDTH);
	}
}
