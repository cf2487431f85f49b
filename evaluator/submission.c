/*
 * submission.c - loading a vendor's submission: submission.json parsed
 * strictly with positions, and every evidence file it lists read and hashed.
 *
 * Evidence paths are untrusted. They are resolved one component at a time
 * with openat(O_NOFOLLOW) from the submission's folder, so a path can never
 * leave it: absolute paths and ".." are refused by their text, and a symlink
 * anywhere on the way (even one swapped in during the run) makes the open
 * fail rather than be followed. Only regular files are read, so a FIFO or a
 * device cannot hang or flood the tool.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "evaluator/internal.h"
#include "evaluator/submission_internal.h"
#include "evaluator/validate.h"

/* A submission may hold one JSON value per this many bytes of its size limit. */
#define EMH_SUBMISSION_BYTES_PER_VALUE 8u

void emh_submission_free(emh_submission *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nevidence; i++) {
		emh_evidence_entry *e = &s->evidence[i];
		free(e->kind);
		free(e->path);
		free(e->declared_sha256);
		free(e->text);
		free(e->problem);
		emh_textnorm_dispose(&e->norm);
		emh_language_dispose(&e->lang);
	}
	free(s->evidence);
	pthread_mutex_destroy(&s->lang_lock);
	emh_json_free(s->doc);
	free(s->label);
	free(s->json_label);
	free(s);
}

const emh_language *emh_evidence_language(const emh_submission *s, size_t i)
{
	/* Filled in once on first need; the submission is otherwise read-only. */
	emh_submission *w = (emh_submission *)(uintptr_t)s;
	emh_evidence_entry *e = &w->evidence[i];
	int rc = 0;
	pthread_mutex_lock(&w->lang_lock);
	if (!e->lang_done) {
		rc = emh_language_detect(&e->lang, e->norm.text ? e->norm.text : e->text,
		                         e->norm.text ? e->norm.len : e->len);
		if (rc)
			emh_language_dispose(&e->lang);
		e->lang_done = rc == 0;
	}
	pthread_mutex_unlock(&w->lang_lock);
	return rc ? NULL : &e->lang;
}

const char *emh_submission_sha256(const emh_submission *s) { return s->sha256; }
const char *emh_submission_label(const emh_submission *s) { return s->label; }

/*
 * Reads a regular file from an open descriptor, at most max bytes; limit
 * names the limit in messages ("--max-evidence-bytes"). known: the
 * descriptor's fstat when the caller has it (one system call less a file in a
 * batch of thousands), else NULL.
 * Returns 0, EMH_EUNSAFE (not a regular file), EMH_ELIMIT or EMH_EIO.
 */
static int read_fd(int fd, const struct stat *known, size_t max, const char *limit, char **out, size_t *len,
                   char *why, size_t whysize)
{
	struct stat st;
	*out = NULL;
	if (known)
		st = *known;
	else if (fstat(fd, &st) != 0) {
		snprintf(why, whysize, "cannot stat: %s", strerror(errno));
		return EMH_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whysize, "not a regular file");
		return EMH_EUNSAFE;
	}
	if ((unsigned long long)st.st_size > max) {
		snprintf(why, whysize, "file is %lld bytes, over the limit of %zu bytes (%s)",
		         (long long)st.st_size, max, limit);
		return EMH_ELIMIT;
	}
	/*
	 * Read exactly the size fstat gave: a file that grows meanwhile is read
	 * as it was when opened, and the common case costs a single read().
	 */
	size_t cap = (size_t)st.st_size, n = 0;
	char *buf = emh_malloc(cap + 1);
	if (!buf) {
		snprintf(why, whysize, "out of memory");
		return EMH_EGENERIC;
	}
	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			snprintf(why, whysize, "read failed: %s", strerror(errno));
			return EMH_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/*
 * Checks an evidence path's text: relative, no "..", no empty or "."
 * components, no NUL-free oddities. Returns NULL when safe, else why not.
 */
static const char *unsafe_path(const char *p)
{
	if (!*p)
		return "the path is empty";
	if (p[0] == '/')
		return "absolute paths are not allowed";
	const char *s = p;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			return "empty or '.' path components are not allowed";
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return "'..' is not allowed: evidence must stay inside the submission folder";
		if (n == 4 && strncmp(s, ".git", 4) == 0)
			return "paths into .git are not allowed";
		s += n + (e != NULL);
	}
	if (p[strlen(p) - 1] == '/')
		return "the path names a folder";
	return NULL;
}

/*
 * Opens rel below dirfd one component at a time, never following a symlink.
 * Returns an fd or -1 with why filled (ENOENT is reported as missing).
 */
static int open_beneath(int dirfd, const char *rel, int *missing, char *why, size_t whysize)
{
	char *copy = emh_strdup(rel);
	int fd = -1, cur = dup(dirfd);
	*missing = 0;
	if (!copy || cur < 0) {
		snprintf(why, whysize, "out of resources");
		goto done;
	}
	char *s = copy;
	for (;;) {
		char *slash = strchr(s, '/');
		if (slash)
			*slash = '\0';
		int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (slash ? O_DIRECTORY : 0);
		struct stat pre;
		if (!slash && fstatat(cur, s, &pre, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(pre.st_mode)) {
			/* Not even opened: opening a device can have effects of its own. */
			snprintf(why, whysize, "'%s' is %s; only regular files are read", s,
			         S_ISLNK(pre.st_mode) ? "a symlink (symlinks are not followed)"
			         : S_ISDIR(pre.st_mode) ? "a folder"
			         : S_ISFIFO(pre.st_mode) ? "a FIFO"
			         : S_ISCHR(pre.st_mode) || S_ISBLK(pre.st_mode) ? "a device" : "a special file");
			goto done;
		}
		int next = openat(cur, s, flags);
		if (next < 0) {
			*missing = errno == ENOENT;
			if (errno == ELOOP || errno == ENOTDIR)
				snprintf(why, whysize, "'%s' is a symlink or not a folder; symlinks are not followed", s);
			else
				snprintf(why, whysize, "cannot open '%s': %s", s, strerror(errno));
			goto done;
		}
		close(cur);
		cur = next;
		if (!slash)
			break;
		s = slash + 1;
	}
	/* O_NONBLOCK stays: it changes nothing for the regular files that are read. */
	fd = cur;
	cur = -1;
done:
	if (cur >= 0)
		close(cur);
	free(copy);
	return fd;
}

static int is_hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') || (s[n] >= 'A' && s[n] <= 'F')))
			return 0;
	return n == 64;
}

typedef struct lctx {
	emh_submission *s;
	emh_error *err;
	const emh_submission_file *files; /* evidence in memory instead of a folder */
	size_t nfiles;
} lctx;

/*
 * Reads evidence entry rel from the in-memory files (exact path match).
 * Returns 0 with a copy, 1 when no such file, or EMH_ELIMIT.
 */
static int read_memory(const lctx *c, const char *rel, size_t max, const char *limit,
                       char **out, size_t *len, char *why, size_t whysize)
{
	for (size_t i = 0; i < c->nfiles; i++) {
		if (strcmp(c->files[i].path, rel) != 0)
			continue;
		if (c->files[i].len > max) {
			snprintf(why, whysize, "file is %zu bytes, over the limit of %zu bytes (%s)",
			         c->files[i].len, max, limit);
			return EMH_ELIMIT;
		}
		*out = emh_malloc(c->files[i].len + 1);
		if (!*out) {
			snprintf(why, whysize, "out of memory");
			return EMH_EGENERIC;
		}
		memcpy(*out, c->files[i].data, c->files[i].len);
		(*out)[c->files[i].len] = '\0';
		*len = c->files[i].len;
		return 0;
	}
	return 1;
}

static int located(lctx *c, const cJSON *node, const char *jptr, int code, const char *msg)
{
	unsigned line = 0, col = 0;
	size_t off = 0;
	if (node)
		emh_json_locate(c->s->doc, node, &line, &col, &off);
	emh_error_set(c->err, code, "%s", msg);
	emh_error_locate(c->err, c->s->json_label, line, col, jptr);
	return code;
}

/*
 * A value still "TODO: ..." (emheval init's placeholders, scaffold.c) is a
 * warning at its line, so a vendor sees what is left to fill in; the criteria
 * then fail on the missing answers. At most EMH_PLACEHOLDER_WARNINGS are named.
 */
enum { EMH_PLACEHOLDER_WARNINGS = 50 };
static void warn_placeholders(const emh_submission *s, const cJSON *v, emh_buf *ptr,
                              const emh_submission_options *o, size_t *nleft)
{
	size_t here = ptr->len;
	if (cJSON_IsString(v) && strncmp(v->valuestring, "TODO:", 5) == 0 && (*nleft)++ < EMH_PLACEHOLDER_WARNINGS) {
		emh_error e = EMH_ERROR_INIT;
		unsigned line = 0, col = 0;
		emh_json_locate(s->doc, v, &line, &col, NULL);
		emh_error_set(&e, EMH_EINVALID, "placeholder left from emheval init: %.200s", v->valuestring);
		emh_error_locate(&e, s->json_label, line, col, ptr->len ? emh_buf_cstr(ptr) : "");
		o->on_warning(&e, o->payload);
	}
	size_t i = 0;
	for (const cJSON *m = v->child; m && (cJSON_IsObject(v) || cJSON_IsArray(v)); m = m->next, i++) {
		char index[24];
		snprintf(index, sizeof index, "%zu", i);
		emh_ptr_append_token(ptr, cJSON_IsObject(v) ? m->string : index);
		warn_placeholders(s, m, ptr, o, nleft);
		ptr->len = here;
		if (ptr->ptr)
			ptr->ptr[here] = '\0';
	}
}

/*
 * bare: the submission is a lone JSON file, not a folder's submission.json.
 * Its folder is not the vendor's (it may hold another vendor's documents), so
 * every listed file is refused without being opened.
 */
static int load_evidence(lctx *c, int dirfd, int bare, size_t max_bytes, size_t max_total)
{
	size_t total = 0;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(c->s->root, "evidence");
	char msg[800];
	if (!list)
		return 0;
	if (!cJSON_IsArray(list))
		return located(c, list, "/evidence", EMH_EINVALID,
		               "\"evidence\" must be an array of {kind, path, sha256}");
	size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
	c->s->evidence = emh_calloc(n ? n : 1, sizeof *c->s->evidence);
	if (!c->s->evidence)
		return emh_error_set(c->err, EMH_EGENERIC, "out of memory");
	for (const cJSON *e = list->child; e; e = e->next, i++) {
		char jp[64];
		snprintf(jp, sizeof jp, "/evidence/%zu", i);
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(e, "kind");
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(e, "path");
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(e, "sha256");
		if (!cJSON_IsObject(e))
			return located(c, e, jp, EMH_EINVALID, "an evidence entry must be an object {kind, path, sha256}");
		if (!cJSON_IsString(kind) || !kind->valuestring[0])
			return located(c, kind ? kind : e, jp, EMH_EINVALID, "evidence entry needs \"kind\": a non-empty string");
		/* Declared not supplied or not applicable: nothing to read; checks that need it are needs_review. */
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
		if (cJSON_IsString(st) && (strcmp(st->valuestring, "not_supplied") == 0 ||
		                           strcmp(st->valuestring, "not_applicable") == 0)) {
			const cJSON *reason = cJSON_GetObjectItemCaseSensitive(e, "reason");
			const cJSON *note = cJSON_GetObjectItemCaseSensitive(e, "note");
			emh_evidence_entry *ev = &c->s->evidence[c->s->nevidence++];
			ev->kind = emh_strdup(kind->valuestring);
			ev->path = emh_strdup(cJSON_IsString(path) ? path->valuestring : "");
			ev->status = st->valuestring[4] == 's' ? "not_supplied" : "not_applicable";
			snprintf(msg, sizeof msg, "%.300s%s%.300s", cJSON_IsString(reason) ? reason->valuestring : "no reason given",
			         cJSON_IsString(note) ? ": " : "", cJSON_IsString(note) ? note->valuestring : "");
			ev->problem = emh_strdup(msg);
			ev->declared = 1;
			ev->nul_at = (size_t)-1;
			continue;
		}
		if (!cJSON_IsString(path))
			return located(c, path ? path : e, jp, EMH_EINVALID, "evidence entry needs \"path\": a string relative to the submission folder");
		if (sha && (!cJSON_IsString(sha) || !is_hex64(sha->valuestring)))
			return located(c, sha, jp, EMH_EINVALID, "\"sha256\" must be 64 hexadecimal digits");
		const char *why = unsafe_path(path->valuestring);
		if (why) {
			snprintf(msg, sizeof msg, "evidence path \"%.300s\" refused: %s", path->valuestring, why);
			return located(c, path, jp, EMH_EUNSAFE, msg);
		}
		if (bare) {
			snprintf(msg, sizeof msg, "evidence path \"%.300s\" refused: a bare JSON submission (a lone "
			         ".json file, not a folder's submission.json) lists no readable evidence, since the "
			         "files beside it need not be its vendor's; put it in a folder as submission.json "
			         "with its evidence", path->valuestring);
			return located(c, path, jp, EMH_EUNSAFE, msg);
		}
		emh_evidence_entry *ev = &c->s->evidence[c->s->nevidence++];
		ev->kind = emh_strdup(kind->valuestring);
		ev->path = emh_strdup(path->valuestring);
		ev->nul_at = (size_t)-1;
		if (!ev->kind || !ev->path) /* the path is opened next: stop before it is used */
			return emh_error_set(c->err, EMH_EGENERIC, "out of memory");
		if (sha) {
			ev->declared_sha256 = emh_strdup(sha->valuestring);
			for (char *p = ev->declared_sha256; p && *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p - 'A' + 'a');
		}
		char reason[400] = "";
		int missing = 0, rc = 0;
		/* Each file is capped, and so are all of them together. */
		size_t left = max_total - total;
		size_t cap = left < max_bytes ? left : max_bytes;
		const char *limit = left < max_bytes ? "--max-evidence-total, for all evidence files together"
		                                     : "--max-evidence-bytes";
		if (dirfd < 0) {
			rc = read_memory(c, ev->path, cap, limit, &ev->text, &ev->len, reason, sizeof reason);
			missing = rc == 1;
		} else {
			int fd = open_beneath(dirfd, ev->path, &missing, reason, sizeof reason);
			if (fd < 0 && !missing) {
				snprintf(msg, sizeof msg, "evidence path \"%.300s\" refused: %s", ev->path, reason);
				return located(c, path, jp, EMH_EUNSAFE, msg);
			}
			if (fd >= 0) {
				rc = read_fd(fd, NULL, cap, limit, &ev->text, &ev->len, reason, sizeof reason);
				close(fd);
			}
		}
		if (missing) {
			ev->status = "missing";
			ev->problem = emh_strdup("the file does not exist in the submission folder");
			continue;
		}
		if (rc) {
			snprintf(msg, sizeof msg, rc == EMH_EUNSAFE ? "evidence path \"%.300s\" refused: %s"
			         : "evidence file \"%.300s\": %s", ev->path, reason);
			return located(c, path, jp, rc, msg);
		}
		total += ev->len;
		emh_sha256_hex(ev->sha256, ev->text, ev->len);
		ev->utf8_ok = emh_utf8_valid(ev->text, ev->len);
		/* NUL bytes (UTF-16, binary) make it unreadable as text; the text checks say where. */
		const char *nul = memchr(ev->text, '\0', ev->len);
		ev->nul_at = nul ? (size_t)(nul - ev->text) : (size_t)-1;
		if (ev->utf8_ok && !nul && emh_textnorm_run(&ev->norm, ev->text, ev->len))
			return emh_error_set(c->err, EMH_EGENERIC, "out of memory");
		if (ev->norm.text && ev->norm.nedits == 0) {
			/* Nothing changed: the checks read the original, and memory is not doubled. */
			free(ev->norm.text);
			ev->norm.text = NULL;
			ev->norm.len = 0;
		}
		ev->status = !ev->declared_sha256 ? "undeclared"
		             : strcmp(ev->declared_sha256, ev->sha256) == 0 ? "verified" : "mismatch";
	}
	return 0;
}

/*
 * Parses submission.json's text and, when it lists evidence, reads the files
 * from the folder dirfd, or from files in memory when files is not NULL;
 * with only dirpath, from that folder when the file is named submission.json,
 * else (a bare JSON file) every listed file is refused; none: no evidence.
 */
static int load_parsed_unchecked(emh_submission *s, const char *text, size_t len,
                                 const emh_submission_options *o, int dirfd, const char *dirpath,
                                 const emh_submission_file *files, size_t nfiles,
                                 emh_submission_screen screen, const char **screened, emh_error *err)
{
	emh_json_limits lim = EMH_JSON_LIMITS_INIT;
	lim.max_bytes = o->max_json_bytes;
	lim.max_depth = o->max_depth;
	lim.reject_nul = 1;
	lim.read_only = 1;
	/*
	 * The tree costs ~64 bytes a value, so text that is nothing but "0," would
	 * take 32 times its size; one value per EMH_SUBMISSION_BYTES_PER_VALUE bytes
	 * of the size limit bounds it (docs/security.md, memory of a batch).
	 */
	lim.max_values = (o->max_json_bytes ? o->max_json_bytes : EMH_JSON_DEFAULT_MAX_BYTES) /
	                 EMH_SUBMISSION_BYTES_PER_VALUE;
	lim.max_values_why = "one value per 8 bytes of --max-submission-bytes";
	int rc = emh_json_parse(&s->doc, text, len, s->json_label, &lim, err);
	if (rc)
		return rc;
	s->root = emh_json_root(s->doc);
	if (screen && (*screened = screen(s->root)) != NULL)
		return 0; /* not a submission: nothing more is read */
	if (!o->skip_hash)
		emh_sha256_hex(s->sha256, text, len);
	lctx c = { s, err, files, nfiles };
	/* The contract first: nothing is read from a document that breaks it. */
	if (o->validation != EMH_VALIDATE_OFF &&
	    (rc = emh_validate_submission(s->doc, s->json_label, o->validation, o->on_problem,
	                                  o->on_warning, o->payload, err)))
		return rc;
	if (!cJSON_IsObject(s->root))
		return located(&c, s->root, "", EMH_EINVALID, "a submission must be a JSON object");
	if (o->on_warning && o->validation == EMH_VALIDATE_FULL) {
		size_t nleft = 0;
		emh_buf ptr = EMH_BUF_INIT;
		warn_placeholders(s, s->root, &ptr, o, &nleft);
		emh_buf_dispose(&ptr);
	}
	const cJSON *obs = cJSON_GetObjectItemCaseSensitive(s->root, "observed");
	if (obs)
		return located(&c, obs, "/observed", EMH_EINVALID,
		               "\"observed\" is reserved for what emheval's observers find in the artifacts "
		               "(docs/observers.md); a submission declares its persona under \"observation\"");
	if (!cJSON_GetObjectItemCaseSensitive(s->root, "evidence"))
		return 0;
	size_t max_ev = o->max_evidence_bytes ? o->max_evidence_bytes : EMH_DEFAULT_MAX_EVIDENCE_BYTES;
	size_t max_total = o->max_evidence_total ? o->max_evidence_total : EMH_DEFAULT_MAX_EVIDENCE_TOTAL;
	if (files)
		return load_evidence(&c, -1, 0, max_ev, max_total);
	if (dirfd < 0 && !dirpath)
		return 0;
	const char *base = strrchr(s->json_label, '/');
	base = base ? base + 1 : s->json_label;
	if (dirfd < 0 && strcmp(base, "submission.json") != 0) /* a bare file: dirpath is only the folder it is in */
		return load_evidence(&c, -1, 1, max_ev, max_total);
	int own = -1;
	if (dirfd < 0) { /* FOLDER/submission.json named directly: its folder's evidence */
		own = dirfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return emh_error_set(err, EMH_EIO, "cannot open the folder %s: %s", dirpath, strerror(errno));
	}
	rc = load_evidence(&c, dirfd, 0, max_ev, max_total);
	if (own >= 0)
		close(own);
	return rc;
}

/*
 * load_parsed_unchecked, failing as a whole when any copy was lost on the way:
 * an evidence entry without its kind or path would otherwise be skipped by the
 * observers and the checks, and the dossier would silently lack what it found.
 */
static int load_parsed(emh_submission *s, const char *text, size_t len,
                       const emh_submission_options *o, int dirfd, const char *dirpath,
                       const emh_submission_file *files, size_t nfiles,
                       emh_submission_screen screen, const char **screened, emh_error *err)
{
	unsigned long lost = emh_alloc_failures(), bufs = emh_buf_alloc_failures();
	int rc = load_parsed_unchecked(s, text, len, o, dirfd, dirpath, files, nfiles, screen, screened, err);
	if (!rc && (emh_alloc_failures() != lost || emh_buf_alloc_failures() != bufs))
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	return rc;
}

int emh_submission__load_screened(emh_submission **out, const char *path,
                                  const emh_submission_options *opts, emh_submission_screen screen,
                                  const char **screened, emh_error *err)
{
	emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	if (opts)
		o = *opts;
	size_t max_json = o.max_json_bytes ? o.max_json_bytes : EMH_DEFAULT_MAX_SUBMISSION_BYTES;
	*out = NULL;
	int rc = 0, dirfd = -1, fd = -1;
	char *text = NULL, *dir = NULL;
	if (screened)
		*screened = NULL;
	size_t len = 0;
	char why[400];
	struct stat st;
	emh_submission *s = emh_calloc(1, sizeof *s);
	if (!s)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	pthread_mutex_init(&s->lang_lock, NULL);
	s->label = emh_strdup(path);
	/* One open for a folder or a file; O_NONBLOCK so a FIFO cannot hang it. */
	int first = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (first < 0 || fstat(first, &st) != 0) {
		rc = emh_error_set(err, errno == ENOENT ? EMH_ENOTFOUND : EMH_EIO, "cannot open submission: %s",
		                   strerror(errno));
		emh_error_locate(err, path, 0, 0, NULL);
		if (first >= 0)
			close(first);
		goto done;
	}
	size_t n = strlen(path);
	if (S_ISDIR(st.st_mode)) {
		dirfd = first;
		s->json_label = emh_malloc(n + 17);
		if (s->json_label)
			snprintf(s->json_label, n + 17, "%s%ssubmission.json", path,
			         n && path[n - 1] == '/' ? "" : "/");
		/* Inside a (vendor's) folder, submission.json is confined like evidence. */
		int missing = 0;
		fd = open_beneath(dirfd, "submission.json", &missing, why, sizeof why);
		if (fd < 0 && !missing && s->json_label) {
			rc = emh_error_set(err, EMH_EUNSAFE, "submission.json refused: %s", why);
			emh_error_locate(err, s->json_label, 0, 0, NULL);
			goto done;
		}
		if (fd < 0)
			errno = ENOENT;
	} else {
		fd = first;
		s->json_label = emh_strdup(path);
		const char *slash = strrchr(path, '/');
		dir = slash ? emh_strndup(path, (size_t)(slash - path) + (slash == path)) : emh_strdup(".");
		if (!dir)
			goto oom;
	}
	if (!s->json_label || !s->label)
		goto oom;
	if (fd < 0) {
		rc = emh_error_set(err, errno == ENOENT ? EMH_ENOTFOUND : EMH_EIO, "cannot open: %s",
		                   strerror(errno));
		emh_error_locate(err, s->json_label, 0, 0, NULL);
		goto done;
	}
	rc = read_fd(fd, fd == first ? &st : NULL, max_json, "--max-submission-bytes", &text, &len, why, sizeof why);
	if (rc) {
		emh_error_set(err, rc, "%s", why);
		emh_error_locate(err, s->json_label, 0, 0, NULL);
		goto done;
	}
	rc = load_parsed(s, text, len, &o, dirfd, dir, NULL, 0, dirfd < 0 ? screen : NULL, screened, err);
	goto done;
oom:
	rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
done:
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	free(text);
	free(dir);
	if (rc || (screened && *screened)) {
		emh_submission_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int emh_submission_load(emh_submission **out, const char *path,
                        const emh_submission_options *opts, emh_error *err)
{
	return emh_submission__load_screened(out, path, opts, NULL, NULL, err);
}

int emh_submission_load_buffer(emh_submission **out, const char *json,
                               size_t len, const char *label,
                               const emh_submission_options *opts,
                               emh_error *err)
{
	return emh_submission_load_memory(out, json, len, label, NULL, 0, opts, err);
}

int emh_submission_load_memory(emh_submission **out, const char *json, size_t len,
                               const char *label, const emh_submission_file *files,
                               size_t nfiles, const emh_submission_options *opts,
                               emh_error *err)
{
	emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	if (opts)
		o = *opts;
	*out = NULL;
	emh_submission *s = emh_calloc(1, sizeof *s);
	if (!s)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	pthread_mutex_init(&s->lang_lock, NULL);
	s->label = emh_strdup(label ? label : "submission.json");
	s->json_label = emh_strdup(label ? label : "submission.json");
	int rc = s->label && s->json_label ? load_parsed(s, json, len, &o, -1, NULL, files, nfiles, NULL, NULL, err)
	                                   : emh_error_set(err, EMH_EGENERIC, "out of memory");
	if (rc) {
		emh_submission_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
