/*
 * find_criteria.c - finds the criteria a dossier records, from any folder.
 *
 * A dossier names its criteria by commit and tree (the content), by the
 * repository's own name (criteria.source: the same on every clone) and by
 * the local path evaluate was given (criteria.repository: meaningful only
 * where it ran). verify and review look for the commit in a fixed order and
 * say where they found it: a repository the caller names is the only one
 * tried; otherwise the recorded source when it is a local path, the recorded
 * repository (the one holding the current directory when it records "."),
 * the repository a sources file maps the source to, then the installed set.
 * A repository that is missing or lacks the commit passes to the next one
 * and is named in the error when none holds it; anything else (another tree,
 * criteria that do not compile) is an error of that repository, never a
 * reason to try another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/io.h"
#include "evaluator/audit/audit_internal.h"

/* A sources file is a short list, written by hand. */
#define SOURCES_MAX_BYTES (1u << 20)

static int is_hex_id(const char *s)
{
	if (!s || strlen(s) != 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* Loads the criteria at d's commit from repository (NULL: the one holding the cwd) and checks the tree. */
static int load_at(emh_criteria **out, const emh_dossier *d, const char *repository, emh_diagnostic_cb on_problem,
                   void *payload, emh_error *err)
{
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.repository = repository;
	co.path = d->criteria_path;
	co.rev = d->criteria_commit;
	co.on_problem = on_problem;
	co.payload = payload;
	int rc = emh_criteria_load(out, &co, err);
	if (rc)
		return rc;
	if (strcmp(emh_criteria_tree(*out), d->criteria_tree) != 0) {
		rc = emh_error_set(err, EMH_EINVALID, "the criteria folder '%s' at commit %.12s in %s is tree %.12s, "
		                   "but the dossier records tree %.12s", d->criteria_path ? d->criteria_path : "criteria",
		                   d->criteria_commit, repository ? repository : ".", emh_criteria_tree(*out),
		                   d->criteria_tree);
		emh_criteria_free(*out);
		*out = NULL;
	}
	return rc;
}

/*
 * The path the sources file maps name to, in *path (malloc'd; NULL when the
 * file has no such line or does not exist). Lines are "NAME PATH" (blanks
 * between, PATH to the end of the line); blank lines and '#' lines are
 * skipped. Returns 0 or EMH_EINVALID / EMH_EIO with file:line:col.
 */
static int map_source(char **path, const char *file, const char *name, emh_error *err)
{
	*path = NULL;
	char *text = NULL;
	size_t len = 0;
	emh_error rerr = EMH_ERROR_INIT;
	int rc = emh_io_read_file(&text, &len, file, SOURCES_MAX_BYTES, &rerr);
	if (rc == EMH_ENOTFOUND)
		return 0;
	if (rc) {
		*err = rerr;
		return rc;
	}
	if (memchr(text, '\0', len)) {
		free(text);
		return emh_error_set(err, EMH_EINVALID, "%s: a sources file is text: NAME PATH on each line", file);
	}
	unsigned line = 0;
	rc = 0;
	for (char *p = text, *next; p && *p && !*path && !rc; p = next) {
		line++;
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			p[--n] = '\0';
		char *key = p + strspn(p, " \t");
		if (!*key || *key == '#')
			continue;
		char *gap = key + strcspn(key, " \t");
		char *value = gap + strspn(gap, " \t");
		if (!*gap || !*value) {
			rc = emh_error_set(err, EMH_EINVALID, "%s:%u:%zu: expected NAME PATH (a criteria source, blanks, "
			                   "the local repository that holds it)", file, line, (size_t)(gap - p) + 1);
			break;
		}
		*gap = '\0';
		if (strcmp(key, name) == 0 && !(*path = strdup(value)))
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	free(text);
	return rc;
}

int emh_dossier_find_criteria(emh_criteria **out, char *found, size_t found_size, const emh_dossier *d,
                              const emh_criteria_finder *f, emh_diagnostic_cb on_problem, void *payload,
                              emh_error *err)
{
	*out = NULL;
	if (found && found_size)
		found[0] = '\0';
	/* A full id only: a dossier saying "HEAD" would otherwise name whatever is current. */
	if (!is_hex_id(d->criteria_commit) || !is_hex_id(d->criteria_tree))
		return emh_error_set(err, EMH_EINVALID, "the dossier's criteria commit and tree must be full "
		                     "40-digit ids");
	const emh_criteria_finder none = { NULL, NULL, NULL };
	if (!f)
		f = &none;
	const char *source = d->criteria_source && d->criteria_source[0] ? d->criteria_source : NULL;
	const char *recorded = d->criteria_repository && d->criteria_repository[0] ? d->criteria_repository : ".";
	char *mapped = NULL;
	int rc = 0;
	if (!f->repository && f->sources) {
		/* An old dossier has no source: its recorded path is the name to map. */
		const char *key = source ? source : strcmp(recorded, ".") ? recorded : NULL;
		if (key && (rc = map_source(&mapped, f->sources, key, err)))
			return rc;
	}
	/* The candidates in order; "" stands for the repository holding the current directory. */
	const char *cand[5], *role[5];
	size_t n = 0;
#define CANDIDATE(path, why) (cand[n] = (path), role[n++] = (why))
	if (f->repository) {
		CANDIDATE(f->repository, "the one given");
	} else {
		if (source && source[0] == '/')
			CANDIDATE(source, "the recorded source");
		else if (source && strncmp(source, "file://", 7) == 0 && source[7] == '/')
			CANDIDATE(source + 7, "the recorded source");
		CANDIDATE(strcmp(recorded, ".") ? recorded : "", strcmp(recorded, ".") ? "the recorded repository"
		          : "the recorded repository \".\", the one holding the current directory");
		if (mapped)
			CANDIDATE(mapped, "the repository the sources file maps it to");
		if (f->installed)
			CANDIDATE(f->installed, "the installed set");
	}
#undef CANDIDATE
	emh_buf tried = EMH_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(cand[k], cand[i]) == 0;
		if (seen)
			continue;
		emh_error e = EMH_ERROR_INIT;
		rc = load_at(out, d, cand[i][0] ? cand[i] : NULL, on_problem, payload, &e);
		if (rc == 0) {
			if (found && found_size)
				snprintf(found, found_size, "%s", cand[i][0] ? cand[i] : ".");
			break;
		}
		if (rc != EMH_ENOTFOUND || f->repository) {
			*err = e;
			break;
		}
		char msg[1400];
		emh_buf_appendf(&tried, "%s%s: %s", tried.len ? "; " : "", role[i], emh_error_format(&e, msg, sizeof msg));
	}
	if (rc == EMH_ENOTFOUND && !f->repository) {
		if (!mapped)
			emh_buf_appendf(&tried, "; %s%s", f->sources ? "no line for it in the sources file " : "no sources file",
			                f->sources ? f->sources : "");
		if (!f->installed)
			emh_buf_puts(&tried, "; no installed criteria set");
		rc = emh_error_set(err, EMH_ENOTFOUND, "no repository holds the criteria commit %.12s%s%s%s: tried %s",
		                   d->criteria_commit, source ? " of " : "", source ? source : "",
		                   source ? "" : " (the dossier names no source)", emh_buf_cstr(&tried));
	}
	emh_buf_dispose(&tried);
	free(mapped);
	return rc;
}

int emh_dossier_load_criteria(emh_criteria **out, const emh_dossier *d, const char *repository,
                              emh_diagnostic_cb on_problem, void *payload, emh_error *err)
{
	emh_criteria_finder f = { repository, NULL, NULL };
	return emh_dossier_find_criteria(out, NULL, 0, d, &f, on_problem, payload, err);
}
