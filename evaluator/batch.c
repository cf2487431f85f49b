/*
 * batch.c - the portfolio pipeline behind `emheval evaluate`.
 *
 * The criteria compile once (the caller's job) and are shared read-only.
 * Workers take submissions in sorted order from an atomic counter; each
 * loads, evaluates, renders and writes its own. Lines that must appear in
 * order (index.json, outcomes.jsonl, summary.txt) pass through an ordered
 * sink: a finished submission's lines wait in a window of BATCH_WINDOW slots
 * until every earlier one's are written, so those files are byte-identical
 * whatever the number of workers. A worker waits only when it runs a whole
 * window ahead of the slowest submission, so memory stays bounded. Every
 * output is written to a temporary file and renamed into place, so an
 * interrupted run leaves no partial file. With a key and a ledger, each
 * worker signs the dossier it evaluated and the sink files it, in order,
 * from memory: nothing signed or filed is read back from the output folder.
 * Discovery never takes emheval's own outputs for submissions and lists
 * what it skipped.
 */
#define _GNU_SOURCE /* qsort_r: naming sorts the items by their names in the batch's pool */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emheval/batch.h"
#include "emheval/eval.h"
#include "emheval/io.h"
#include "emheval/submission.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/pathlist.h"
#include "evaluator/submission_internal.h"
#include "evaluator/dossier/canonical.h"

#define STR_(x) #x
#define EMH_STR(x) STR_(x)

/* ---- discovery ----------------------------------------------------------- */

typedef struct plist {
	char **v;
	size_t n, cap;
} plist;

static int plist_add(plist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(s)))
		return -1;
	l->n++;
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	char *p = malloc(n + strlen(name) + 2);
	if (p)
		snprintf(p, n + strlen(name) + 2, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
	return p;
}

/* Marks of the paths found (pathlist.h): as given, or a JSON file found in a folder and not yet read. */
enum { FOUND_AS_GIVEN = 0, FOUND_UNREAD = 1 };

/* What discovery walks with: where the submissions go, and where the output folder is. */
typedef struct finder {
	emh_pathlist *found; /* submission folders and JSON files; whether a JSON file found in a folder is
	                        emheval's output is told when a worker reads it */
	plist skipped;
	int has_out;
	dev_t out_dev;
	ino_t out_ino;
} finder;

static int skip(finder *f, const char *path, const char *reason)
{
	size_t n = strlen(path) + strlen(reason) + 3;
	char *s = malloc(n);
	if (!s)
		return -1;
	snprintf(s, n, "%s: %s", path, reason);
	int rc = plist_add(&f->skipped, s);
	free(s);
	return rc;
}

/* The first bytes of a file (at most size - 1), NUL-terminated; 0 when it could not be read. */
static size_t peek(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	ssize_t n = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

/* 1 when a folder holds an index.json that emheval wrote (it begins so, byte for byte). */
static int holds_index(const char *dir)
{
	char *p = join(dir, "index.json"), head[64];
	int yes = p && peek(p, head, sizeof head) && strncmp(head, "{\n  \"format\": \"emheval/index/", 29) == 0;
	free(p);
	return yes;
}

/* 1 for a format name of what emheval writes ("emheval/dossier/1", "emheval/index/1"), not of a submission. */
static int emheval_record(const char *format)
{
	return format && strncmp(format, "emheval/", 8) == 0 && strncmp(format, "emheval/submission/", 19) != 0;
}

/* 1 when the top-level member m is a string naming an emheval record other than a submission. */
static int peeked_record(const emh_json_peeked *m)
{
	return m->value && m->len >= 8 && memcmp(m->value, "emheval/", 8) == 0 &&
	       !(m->len >= 19 && memcmp(m->value, "emheval/submission/", 19) == 0);
}

/*
 * What emheval wrote, by content: a top-level "format" or "schema" naming an
 * emheval record other than a submission (a dossier, an index), or a DSSE
 * envelope (payloadType); NULL for anything else. root_kind reads a parsed
 * document (a worker's, emh_submission__load_screened); output_kind reads
 * text, only its top level where it can (emh_json_peek_members), and leaves
 * a malformed text to the loader, which reports it.
 */
static const char *kind_of(int record, int envelope)
{
	return record ? "an emheval record (its format says so), not a submission"
	       : envelope ? "a signature envelope, not a submission" : NULL;
}

static const char *root_kind(const cJSON *root)
{
	const cJSON *fmt = emh_json_find_member(root, "format");
	const cJSON *sch = emh_json_find_member(root, "schema");
	return kind_of(emheval_record(cJSON_IsString(fmt) ? fmt->valuestring : NULL) ||
	               emheval_record(cJSON_IsString(sch) ? sch->valuestring : NULL),
	               emh_json_find_member(root, "payloadType") != NULL);
}

static const char *output_kind(const char *text, size_t len)
{
	static const char *const names[] = { "format", "schema", "payloadType" };
	emh_json_peeked m[3];
	if (len == 0)
		return NULL;
	if (emh_json_peek_members(text, len, names, 3, m) == 0)
		return kind_of(peeked_record(&m[0]) || peeked_record(&m[1]), m[2].present);
	cJSON *j = cJSON_ParseWithLength(text, len);
	const char *why = cJSON_IsObject(j) ? root_kind(j) : NULL;
	cJSON_Delete(j);
	return why;
}

/* output_kind of the file at path (read whole), for emh_batch_discover; NULL when it cannot be read. */
static const char *emheval_output(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	const char *why = NULL;
	char *text = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= (off_t)256 << 20 &&
	    (text = malloc((size_t)st.st_size)) != NULL) {
		size_t got = 0;
		ssize_t n;
		while (got < (size_t)st.st_size && (n = read(fd, text + got, (size_t)st.st_size - got)) > 0)
			got += (size_t)n;
		why = output_kind(text, got);
	}
	free(text);
	close(fd);
	return why;
}

/*
 * Searches dir, which is folder's entry name (folder EMH_PATHLIST_WHOLE: dir
 * was given as it is).
 */
static int search(finder *f, const char *dir, int depth, uint32_t folder, const char *name)
{
	struct stat st;
	if (f->has_out && stat(dir, &st) == 0 && st.st_dev == f->out_dev && st.st_ino == f->out_ino)
		return skip(f, dir, "the output folder (--out): emheval's own outputs are never submissions");
	if (depth > EMH_DISCOVER_MAX_DEPTH)
		return skip(f, dir, "deeper than " EMH_STR(EMH_DISCOVER_MAX_DEPTH) " folders below the path given: not searched");
	char *marker = join(dir, "submission.json");
	int is_sub = marker && lstat(marker, &st) == 0 && S_ISREG(st.st_mode);
	free(marker);
	if (is_sub)
		return emh_pathlist_add(f->found, folder, name, FOUND_AS_GIVEN);
	if (holds_index(dir))
		return skip(f, dir, "holds an emheval batch index (an output folder), not submissions");
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int rc = 0;
	uint32_t self = EMH_PATHLIST_WHOLE; /* this folder in the list, once something in it is */
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		/* Only folders and *.json files matter; the entry's type comes with it on
		 * most file systems, so lstat only where it does not (DT_UNKNOWN). */
		unsigned char type = e->d_type;
		int json = ends_with(e->d_name, ".json");
		if (type != DT_DIR && type != DT_UNKNOWN && type != DT_LNK && !(type == DT_REG && json))
			continue;
		char *p = join(dir, e->d_name);
		if (!p) {
			rc = -1;
			break;
		}
		if (type == DT_UNKNOWN)
			type = lstat(p, &st) != 0 ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
			     : S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
		if ((type == DT_DIR || (type == DT_REG && json)) && self == EMH_PATHLIST_WHOLE &&
		    emh_pathlist_add_folder(f->found, dir, &self))
			rc = -1;
		else if (type == DT_DIR)
			rc = search(f, p, depth + 1, self, e->d_name);
		else if (type == DT_LNK)
			rc = skip(f, p, "a symlink: not followed");
		else if (type == DT_REG && json)
			rc = emh_pathlist_add(f->found, self, e->d_name, FOUND_UNREAD);
		free(p);
	}
	closedir(d);
	return rc;
}

static void plist_dispose(plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Sorts byte-wise and drops duplicates. */
static void plist_sort_unique(plist *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, by_str);
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (k && strcmp(l->v[k - 1], l->v[i]) == 0)
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

int emh_batch_find(emh_discovery *out, const char *const *paths, size_t npaths, const char *out_dir,
                   emh_error *err)
{
	finder f;
	memset(&f, 0, sizeof f);
	memset(out, 0, sizeof *out);
	if (!(f.found = emh_pathlist_new()))
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	struct stat st;
	if (out_dir && stat(out_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		f.has_out = 1;
		f.out_dev = st.st_dev;
		f.out_ino = st.st_ino;
	}
	int rc = 0;
	for (size_t i = 0; i < npaths && rc == 0; i++) {
		if (stat(paths[i], &st) != 0) {
			rc = emh_error_set(err, EMH_ENOTFOUND, "no such submission or folder: %s", paths[i]);
			break;
		}
		if (S_ISDIR(st.st_mode))
			rc = search(&f, paths[i], 0, EMH_PATHLIST_WHOLE, paths[i]) ? emh_error_set(err, EMH_EGENERIC, "out of memory") : 0;
		else
			rc = emh_pathlist_add(f.found, EMH_PATHLIST_WHOLE, paths[i], FOUND_AS_GIVEN)
			     ? emh_error_set(err, EMH_EGENERIC, "out of memory") : 0;
	}
	if (rc) {
		emh_pathlist_free(f.found);
		plist_dispose(&f.skipped);
		return rc;
	}
	plist_sort_unique(&f.skipped);
	emh_pathlist_sort_unique(f.found); /* a path both given and found in a folder counts as given */
	out->found = f.found;
	out->count = emh_pathlist_count(f.found);
	out->skipped = f.skipped.v;
	out->nskipped = f.skipped.n;
	return 0;
}

const char *emh_discovery_path(const emh_discovery *d, size_t i, emh_buf *b)
{
	return emh_pathlist_path(d->found, i, b);
}

int emh_discovery_unread(const emh_discovery *d, size_t i)
{
	return emh_pathlist_mark(d->found, i) == FOUND_UNREAD;
}

void emh_discovery_dispose(emh_discovery *d)
{
	emh_pathlist_free(d->found);
	for (size_t i = 0; i < d->nskipped; i++)
		free(d->skipped[i]);
	free(d->skipped);
	memset(d, 0, sizeof *d);
}

int emh_batch_discover(char ***out, size_t *count, const char *const *paths,
                       size_t npaths, emh_error *err)
{
	emh_discovery d;
	*out = NULL;
	*count = 0;
	int rc = emh_batch_find(&d, paths, npaths, NULL, err);
	if (rc)
		return rc;
	char **v = malloc((d.count ? d.count : 1) * sizeof *v);
	size_t k = 0;
	emh_buf path = EMH_BUF_INIT;
	for (size_t i = 0; v && i < d.count; i++) {
		const char *p = emh_discovery_path(&d, i, &path);
		if (!emh_buf_ok(&path) || !(v[k] = strdup(p))) {
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
			break;
		}
		if (emh_discovery_unread(&d, i) && emheval_output(p))
			free(v[k]);
		else
			k++;
	}
	if (!v)
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_buf_dispose(&path);
	emh_discovery_dispose(&d);
	if (rc) {
		for (size_t i = 0; i < k; i++)
			free(v[i]);
		free(v);
		return rc;
	}
	*out = v;
	*count = k;
	return 0;
}

unsigned emh_batch_shard_of(const char *path, unsigned shard_count)
{
	/* FNV-1a: stable everywhere, so a shard is the same on every CI runner. */
	unsigned long long h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return shard_count ? (unsigned)(h % shard_count) : 0;
}

/* ---- the run --------------------------------------------------------------- */

/*
 * Output name of a submission: its folder or file name without ".json",
 * written so that it can never collide with another's or the batch's own
 * files: '.', '~', '/', control bytes and DEL become ~XX (so a name has no
 * dot, and NAME.EXT splits at its first dot), and the reserved names
 * index, summary and outcomes get their first letter so written. Equal
 * names are told apart by "~~N", which no written name contains.
 */
static char *base_name(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	size_t len = n - start;
	if (len > 5 && strncmp(path + n - 5, ".json", 5) == 0)
		len -= 5;
	static const char *const reserved[] = { "index", "summary", "outcomes" };
	int is_reserved = 0;
	for (size_t r = 0; r < sizeof reserved / sizeof reserved[0]; r++)
		is_reserved |= strlen(reserved[r]) == len && strncmp(path + start, reserved[r], len) == 0;
	emh_buf b = EMH_BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[start + i];
		if (c == '.' || c == '~' || c == '/' || c < 0x20 || c == 0x7f || (i == 0 && is_reserved))
			emh_buf_appendf(&b, "~%02X", c);
		else
			emh_buf_putc(&b, (char)c);
	}
	if (len == 0)
		emh_buf_puts(&b, "~~0"); /* a path "/" or "": still a name of its own */
	return emh_buf_ok(&b) ? emh_buf_detach(&b, NULL) : (emh_buf_dispose(&b), NULL);
}

/* A submission of the batch: its path in the discovery's list and its output name. 12 bytes, so that
 * 20,000 of them cost little more than 1,000 (issue 18). */
typedef struct item {
	uint32_t at;               /* its path: emh_pathlist_path(b->list, at) */
	uint32_t name;             /* its unique output name: offset in b->names */
	unsigned char screen;      /* read it first: it may be emheval's own output (emh_discovery) */
	unsigned char passed_over; /* it was: listed with the skips, not in the index; under the lock */
} item;

typedef struct sink_file {
	FILE *f;
	char *tmp, *final;
} sink_file;

/* Finished submissions whose ordered lines may wait for earlier ones. */
#define BATCH_WINDOW 64

struct done_item;

typedef struct batch {
	const emh_batch_options *o;
	const emh_pathlist *list; /* the paths */
	item *items;
	size_t n;
	emh_buf names;            /* the output names, NUL-terminated (item.name) */
	emh_buf sink_path;        /* an item's path, written under the lock */
	atomic_size_t next;       /* next item to take */
	pthread_mutex_t lock;
	pthread_cond_t turn;
	size_t written;           /* items whose ordered lines are out */
	struct done_item *window; /* item k waits in window[k % BATCH_WINDOW] */
	sink_file index, outcomes, summary;
	emh_batch_summary sum;
	plist passed_over;        /* "PATH: reason" of the items passed over when read */
	int explain;
	int fatal;                /* an output could not be written: stop */
	emh_error fatal_err;
	/* Publishing: which submission first claimed each ledger folder (APP/VERSION). */
	char **claim_folder;      /* open addressing, claim_cap a power of 2 */
	char **claim_path;        /* the claimant's path */
	char **claim_digest;      /* the claimant's dossier digest */
	size_t claim_cap, nclaims;
	/* Light copies for index.html (verdict and counts only). */
	emh_dossier *light;
	const char **light_error; /* an input error's message, for its row */
	emh_arena *light_arena;   /* their strings; used under the lock only */
} batch;

static const char *item_name(const batch *b, const item *it)
{
	return b->names.ptr + it->name;
}

/* Item k's path, written into b (a worker's buffer, or b->sink_path under the lock). */
static const char *item_path(const batch *bt, size_t k, emh_buf *b)
{
	return emh_pathlist_path(bt->list, bt->items[k].at, b);
}

static int sink_open(sink_file *s, const char *dir, const char *name, emh_error *err)
{
	s->final = join(dir, name);
	size_t n = s->final ? strlen(s->final) + 16 : 0;
	s->tmp = n ? malloc(n) : NULL;
	if (!s->tmp)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	snprintf(s->tmp, n, "%s.tmp.XXXXXX", s->final);
	int fd = mkstemp(s->tmp);
	if (fd < 0 || !(s->f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		emh_error_set(err, EMH_EIO, "cannot write %s: %s", s->final, strerror(errno));
		free(s->tmp);
		s->tmp = NULL;
		return EMH_EIO;
	}
	return 0;
}

static int sink_close(sink_file *s, int keep, emh_error *err)
{
	int rc = 0;
	if (s->f) {
		/* fsync before the rename, as emh_io_write_atomic does: after a power loss the
		 * name must not point at a file whose blocks never reached the disk. */
		int bad = ferror(s->f) || fflush(s->f) != 0 || fchmod(fileno(s->f), 0644) != 0 ||
		          (keep && fsync(fileno(s->f)) != 0);
		bad |= fclose(s->f) != 0;
		s->f = NULL;
		if (keep && !bad && rename(s->tmp, s->final) != 0)
			bad = 1;
		if (bad && keep)
			rc = emh_error_set(err, EMH_EIO, "cannot write %s: %s", s->final, strerror(errno));
		if (bad || !keep)
			unlink(s->tmp);
	}
	free(s->tmp);
	free(s->final);
	s->tmp = s->final = NULL;
	return rc;
}

/*
 * The index's head and tail are built as cJSON trees and printed on one line
 * by the dossier's printer (evaluator/dossier/canonical.c); each
 * submission's index entry and outcomes line is written straight into its
 * buffer in the same form (put_key and put_member below), since building and
 * printing a tree for each of thousands of submissions was a tenth of a
 * batch's time.
 */

/* Appends v on one line; a tree that lost a member to memory fails b instead. */
static void print_line(emh_buf *b, const cJSON *v, int spaced, unsigned long failures)
{
	if (!v || emh_json_alloc_failures() != failures || emh_json_print_line(b, v, spaced)) {
		if (!b->err)
			b->err = EMH_EGENERIC;
	}
}

/* What one worker produced for one submission, to be written in order. */
typedef struct done_item {
	emh_buf index_line;         /* its index entry on one line, without the closing brace: publishing
	                               may still add its error */
	char *error;                /* why it could not be evaluated (its index entry's "error"), or NULL */
	emh_buf outcome_line;
	emh_buf summary_line;
	int ok;
	int ready;                  /* in the window, not yet written */
	emh_verdict verdict;
	const emh_dossier *dossier; /* for index.html, while it is delivered */
	emh_dossier *to_file;       /* the sealed dossier to file into the ledger, in order */
	emh_buf envelope;           /* its envelope, when signed */
	char *publish_error;        /* why it was not signed or filed */
	emh_buf warnings;           /* the submission's warnings (emh_error structs), told in order */
	const char *passed_over;    /* why it is not a submission (emheval's own output), or NULL */
	size_t k;                   /* its place in the batch */
} done_item;

/* A submission's warnings wait with its lines, so that they are told in batch order. */
#define BATCH_MAX_WARNINGS 50

static void keep_warning(const emh_error *w, void *payload)
{
	emh_buf *kept = payload;
	if (kept->len / sizeof *w < BATCH_MAX_WARNINGS)
		emh_buf_append(kept, w, sizeof *w);
}

/* One member of a line in emh_json_print_line's spaced form: "key": value. */
static void put_key(emh_buf *b, int first, const char *key)
{
	if (!first)
		emh_buf_puts(b, ", ");
	emh_buf_append_json_string(b, key, strlen(key));
	emh_buf_puts(b, ": ");
}

static void put_str_or_null(emh_buf *b, int first, const char *key, const char *value)
{
	put_key(b, first, key);
	if (value)
		emh_buf_append_json_string(b, value, strlen(value));
	else
		emh_buf_puts(b, "null");
}

static void put_count(emh_buf *b, const char *key, size_t n)
{
	put_key(b, 0, key);
	emh_buf_appendf(b, "%zu", n);
}

/*
 * The index entry, written straight into its line as emh_json_print_line
 * prints the same members (spaced), without the closing brace.
 */
static void index_entry(batch *b, done_item *out, size_t k, const char *path, const emh_dossier *d,
                        const emh_error *e)
{
	const item *it = &b->items[k];
	emh_buf *x = &out->index_line;
	emh_buf_putc(x, '{');
	put_str_or_null(x, 1, "path", path);
	put_str_or_null(x, 0, "name", item_name(b, it));
	if (d) {
		put_str_or_null(x, 0, "id", d->submission_id);
		put_str_or_null(x, 0, "verdict", emh_verdict_name(d->verdict));
		put_count(x, "failed", d->counts[EMH_OUTCOME_FAIL]);
		put_count(x, "errors", d->counts[EMH_OUTCOME_ERROR]);
		put_count(x, "needs_review", d->counts[EMH_OUTCOME_NEEDS_REVIEW]);
		if (d->digest)
			put_str_or_null(x, 0, "digest", d->digest);
		put_key(x, 0, "outputs");
		emh_buf_putc(x, '[');
		for (size_t f = 0; f < b->o->nformats; f++) {
			emh_buf file = EMH_BUF_INIT;
			emh_buf_appendf(&file, "%s.%s", item_name(b, it), emh_format_extension(b->o->formats[f]));
			if (f)
				emh_buf_puts(x, ", ");
			if (emh_buf_ok(&file))
				emh_buf_append_json_string(x, file.ptr, file.len);
			else
				x->err = file.err;
			emh_buf_dispose(&file);
		}
		emh_buf_putc(x, ']');
	} else {
		char msg[1400];
		emh_error_format(e, msg, sizeof msg);
		put_str_or_null(x, 0, "error", msg);
		if (b->light && !(out->error = strdup(msg)))
			x->err = EMH_EGENERIC;
	}
}

/*
 * The outcomes.jsonl line: {"file": NAME, "ID": outcome, ...} in criterion order (RULES.md form),
 * written straight into the line: as emh_json_print_line would print the same members, without
 * building a tree for each of the batch's submissions (the bench's hottest output).
 */
static void put_member(emh_buf *b, int first, const char *key, const char *value)
{
	emh_buf_putc(b, first ? '{' : ',');
	emh_buf_append_json_string(b, key, strlen(key));
	emh_buf_putc(b, ':');
	emh_buf_append_json_string(b, value, strlen(value));
}

static void outcome_line(done_item *out, const char *path, const emh_dossier *d, const emh_error *e)
{
	emh_buf *b = &out->outcome_line;
	const char *slash = strrchr(path, '/');
	emh_buf_clear(b);
	put_member(b, 1, "file", slash && slash[1] ? slash + 1 : path);
	if (d) {
		for (size_t i = 0; i < d->nresults; i++)
			put_member(b, 0, d->results[i].id, emh_outcome_name(d->results[i].outcome));
	} else {
		char msg[1400];
		emh_error_format(e, msg, sizeof msg);
		put_member(b, 0, "error", msg);
	}
	emh_buf_puts(b, "}\n");
}

static void summary_line(done_item *out, const char *name, const emh_dossier *d)
{
	emh_buf *x = &out->summary_line;
	if (d)
		emh_buf_appendf(x, "%-40s %-15s %4zu %4zu %4zu\n", name, emh_verdict_name(d->verdict),
		                d->counts[EMH_OUTCOME_FAIL], d->counts[EMH_OUTCOME_ERROR],
		                d->counts[EMH_OUTCOME_NEEDS_REVIEW]);
	else
		emh_buf_appendf(x, "%-40s %-15s\n", name, "input-error");
}

/* Renders and writes every asked format of one dossier. */
static int write_outputs(batch *b, const item *it, const char *path, const emh_dossier *d, emh_error *err)
{
	emh_buf out = EMH_BUF_INIT;
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	/* CI locations name files as the portfolio path gives them: PATH/privacy.md, PATH/submission.json. */
	char *dir = NULL;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		const char *slash = strrchr(path, '/');
		ro.submission_file = path;
		dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : NULL;
		ro.base = dir;
	} else {
		ro.base = path;
	}
	int rc = 0;
	for (size_t f = 0; f < b->o->nformats && rc == 0; f++) {
		emh_buf_clear(&out);
		rc = emh_report_render(&out, d, b->o->formats[f], &ro, err);
		if (rc)
			break;
		emh_buf name = EMH_BUF_INIT;
		emh_buf_appendf(&name, "%s/%s.%s", b->o->out_dir, item_name(b, it), emh_format_extension(b->o->formats[f]));
		rc = emh_buf_ok(&name) ? emh_io_write_atomic(emh_buf_cstr(&name), out.ptr ? out.ptr : "", out.len, err)
		                       : emh_error_set(err, EMH_EGENERIC, "out of memory");
		emh_buf_dispose(&name);
	}
	emh_buf_dispose(&out);
	free(dir);
	return rc;
}

/* Keeps what index.html needs of a dossier (identity, verdict, counts); under the lock. */
static void keep_light(batch *b, size_t k, const emh_dossier *d)
{
	emh_dossier *l = &b->light[k];
	l->submission_id = emh_arena_strdup(b->light_arena, d->submission_id);
	l->app_name = emh_arena_strdup(b->light_arena, d->app_name);
	l->app_version = emh_arena_strdup(b->light_arena, d->app_version);
	l->tier = emh_arena_strdup(b->light_arena, d->tier);
	l->framework_name = emh_arena_strdup(b->light_arena, d->framework_name);
	l->framework_version = emh_arena_strdup(b->light_arena, d->framework_version);
	l->criteria_commit = emh_arena_strdup(b->light_arena, d->criteria_commit);
	l->digest = emh_arena_strdup(b->light_arena, d->digest);
	l->verdict = d->verdict;
	memcpy(l->counts, d->counts, sizeof l->counts);
	l->format = EMH_DOSSIER_FORMAT;
}

static size_t fnv1a(const char *s)
{
	size_t h = (size_t)1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * (size_t)1099511628211ull;
	return h;
}

/*
 * Claims a ledger folder (APP/VERSION) for the submission at path, whose
 * dossier has digest, in index order: NULL when it is path's (or the
 * claimant's dossier is byte for byte this one: the same submission twice),
 * else the path of the submission of this batch that claimed it first (""
 * when out of memory). Under the lock.
 */
static const char *claim(batch *b, const char *folder, const char *path, const char *digest)
{
	if ((b->nclaims + 1) * 2 > b->claim_cap) {
		size_t cap = b->claim_cap ? b->claim_cap * 2 : 64;
		char **f = calloc(cap, sizeof *f), **d = calloc(cap, sizeof *d), **p = calloc(cap, sizeof *p);
		if (!f || !p || !d) {
			free(f);
			free(d);
			free(p);
			return "";
		}
		for (size_t i = 0; i < b->claim_cap; i++) {
			if (!b->claim_folder[i])
				continue;
			size_t j = fnv1a(b->claim_folder[i]) & (cap - 1);
			while (f[j])
				j = (j + 1) & (cap - 1);
			f[j] = b->claim_folder[i];
			p[j] = b->claim_path[i];
			d[j] = b->claim_digest[i];
		}
		free(b->claim_folder);
		free(b->claim_path);
		free(b->claim_digest);
		b->claim_folder = f;
		b->claim_path = p;
		b->claim_digest = d;
		b->claim_cap = cap;
	}
	size_t j = fnv1a(folder) & (b->claim_cap - 1);
	for (; b->claim_folder[j]; j = (j + 1) & (b->claim_cap - 1))
		if (strcmp(b->claim_folder[j], folder) == 0)
			return strcmp(b->claim_path[j], path) == 0 || strcmp(b->claim_digest[j], digest) == 0
			       ? NULL : b->claim_path[j];
	char *f = strdup(folder), *d = strdup(digest), *p = strdup(path);
	if (!f || !d || !p) {
		free(f);
		free(d);
		free(p);
		return "";
	}
	b->claim_folder[j] = f;
	b->claim_digest[j] = d;
	b->claim_path[j] = p;
	b->nclaims++;
	return NULL;
}

/*
 * Files an item's dossier into the ledger, in index order, as it was
 * evaluated (never as the output folder holds it now); under the lock.
 * Returns why it was not filed (malloc'd), or NULL.
 */
static char *file_in_order(batch *b, done_item *di)
{
	const char *path = item_path(b, di->k, &b->sink_path);
	const emh_dossier *d = di->to_file;
	emh_error e = EMH_ERROR_INIT;
	char folder[1024], msg[1600];
	const char *first = NULL;
	if (!emh_buf_ok(&b->sink_path)) {
		emh_error_set(&e, EMH_EGENERIC, "out of memory");
	} else if (emh_ledger_path(folder, sizeof folder, d->submission_id, d->app_version, &e) == 0 &&
	           (first = claim(b, folder, path, d->digest ? d->digest : "")) != NULL) {
		if (!*first)
			emh_error_set(&e, EMH_EGENERIC, "out of memory");
		else
			emh_error_set(&e, EMH_EINVALID, "%s declares the same app id and version as %s, filed before it "
			              "in this batch: only %s is filed (%s)", path, first, first, folder);
	} else if (!e.code) {
		emh_ledger_file(b->o->ledger, NULL, d, di->envelope.len ? di->envelope.ptr : NULL, di->envelope.len, &e);
	}
	return e.code ? strdup(emh_error_format(&e, msg, sizeof msg)) : NULL;
}

/* Lists an item passed over when read with discovery's skips; under the lock. */
static void pass_over(batch *b, done_item *di)
{
	item *it = &b->items[di->k];
	const char *path = item_path(b, di->k, &b->sink_path);
	size_t n = strlen(path) + strlen(di->passed_over) + 3;
	char *s = emh_buf_ok(&b->sink_path) ? malloc(n) : NULL;
	if (s)
		snprintf(s, n, "%s: %s", path, di->passed_over);
	if ((!s || plist_add(&b->passed_over, s)) && !b->fatal++)
		emh_error_set(&b->fatal_err, EMH_EGENERIC, "out of memory while writing index.json");
	free(s);
	it->passed_over = 1;
}

/* The index entries written so far. */
static size_t entries(const batch *b)
{
	return b->sum.evaluated + b->sum.failed;
}

/* Writes one item's ordered lines and counts it; under the lock. */
static void write_lines(batch *b, done_item *di)
{
	if (di->passed_over) {
		pass_over(b, di);
		return;
	}
	if (di->to_file && !di->publish_error) {
		di->publish_error = file_in_order(b, di);
	}
	emh_dossier_free(di->to_file);
	di->to_file = NULL;
	if (di->publish_error) {
		put_str_or_null(&di->index_line, 0, "publish_error", di->publish_error);
		emh_buf_appendf(&di->summary_line, "%-40s publish error: %s\n", item_name(b, &b->items[di->k]),
		                di->publish_error);
	}
	emh_buf_putc(&di->index_line, '}');
	if (!emh_buf_ok(&di->index_line) && !b->fatal++)
		emh_error_set(&b->fatal_err, EMH_EGENERIC, "out of memory while writing index.json");
	if (!emh_buf_ok(&di->outcome_line) && b->outcomes.f && !b->fatal++)
		emh_error_set(&b->fatal_err, EMH_EGENERIC, "out of memory while writing outcomes.jsonl");
	for (size_t i = 0; b->o->on_warning && i + sizeof(emh_error) <= di->warnings.len; i += sizeof(emh_error)) {
		emh_error w;
		memcpy(&w, di->warnings.ptr + i, sizeof w);
		b->o->on_warning(&w, b->o->payload);
	}
	emh_buf_dispose(&di->warnings);
	if (b->index.f) {
		fputs(entries(b) ? ",\n    " : "\n    ", b->index.f);
		fwrite(di->index_line.ptr ? di->index_line.ptr : "", 1, di->index_line.len, b->index.f);
	}
	if (b->outcomes.f)
		fwrite(di->outcome_line.ptr ? di->outcome_line.ptr : "", 1, di->outcome_line.len, b->outcomes.f);
	if (b->summary.f)
		fwrite(di->summary_line.ptr ? di->summary_line.ptr : "", 1, di->summary_line.len, b->summary.f);
	if (di->ok) {
		b->sum.evaluated++;
		b->sum.verdicts[di->verdict]++;
		if (b->o->sign_key || b->o->ledger) {
			if (di->publish_error)
				b->sum.unpublished++;
			else
				b->sum.published++;
		}
	} else {
		b->sum.failed++;
	}
	free(di->publish_error);
	di->publish_error = NULL;
	emh_buf_dispose(&di->envelope);
}

/*
 * Hands item k's lines to the ordered sink: they wait in the window, and
 * whoever fills the slot the sink waits for writes every ready one in order.
 * Takes over di's buffers.
 */
static void deliver(batch *b, size_t k, done_item *di)
{
	pthread_mutex_lock(&b->lock);
	while (k - b->written >= BATCH_WINDOW)
		pthread_cond_wait(&b->turn, &b->lock);
	if (di->ok && b->light && di->dossier) {
		keep_light(b, k, di->dossier);
	} else if (b->light) {
		if (di->error)
			b->light_error[k] = emh_arena_strdup(b->light_arena, di->error);
	}
	di->dossier = NULL;
	di->ready = 1;
	b->window[k % BATCH_WINDOW] = *di;
	memset(di, 0, sizeof *di);
	size_t before = b->written;
	done_item *next;
	while ((next = &b->window[b->written % BATCH_WINDOW])->ready) {
		write_lines(b, next);
		free(next->error);
		emh_buf_dispose(&next->index_line);
		emh_buf_dispose(&next->outcome_line);
		emh_buf_dispose(&next->summary_line);
		memset(next, 0, sizeof *next);
		b->written++;
		if (b->o->progress)
			b->o->progress(b->written, b->n, b->o->payload);
	}
	if (b->written != before)
		pthread_cond_broadcast(&b->turn);
	pthread_mutex_unlock(&b->lock);
}

/*
 * Signs a dossier as it was evaluated and writes its envelope beside it,
 * NAME.dsse.json. A dossier that cannot be signed gets a publish error (it
 * stays in the batch); returns nonzero only when the envelope cannot be
 * written (an output error, which stops the batch).
 */
static int publish(batch *b, const item *it, done_item *di, const emh_dossier *d, emh_error *err)
{
	if (!b->o->sign_key)
		return 0;
	emh_error e = EMH_ERROR_INIT;
	char msg[1400];
	if (emh_sign_dossier(&di->envelope, d, b->o->sign_key, &e)) {
		di->publish_error = strdup(emh_error_format(&e, msg, sizeof msg));
		emh_buf_dispose(&di->envelope);
		return 0;
	}
	emh_buf name = EMH_BUF_INIT;
	emh_buf_appendf(&name, "%s/%s.dsse.json", b->o->out_dir, item_name(b, it));
	int rc = emh_buf_ok(&name) ? emh_io_write_atomic(emh_buf_cstr(&name), di->envelope.ptr, di->envelope.len, err)
	                           : emh_error_set(err, EMH_EGENERIC, "out of memory");
	emh_buf_dispose(&name);
	return rc;
}

static void *worker(void *arg)
{
	batch *b = arg;
	emh_evaluator *ev = NULL;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = b->o->as_of;
	eo.profiles = b->o->profiles;
	eo.explain = b->explain;
	eo.waivers = b->o->waivers;
	eo.nwaivers = b->o->nwaivers;
	eo.max_array_visit = b->o->max_array_visit;
	emh_error err = EMH_ERROR_INIT;
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	if (b->o->limits)
		so = *b->o->limits;
	/* submission.json's own hash is provenance: only a written dossier shows it. */
	so.skip_hash = b->o->nformats == 0;
	if (emh_criteria_submission_validation(b->o->criteria) == EMH_VALIDATE_OFF)
		so.validation = EMH_VALIDATE_OFF;
	int setup = emh_evaluator_new(&ev, b->o->criteria, &eo, &err);
	emh_buf pathbuf = EMH_BUF_INIT;
	for (;;) {
		size_t k = atomic_fetch_add(&b->next, 1);
		if (k >= b->n)
			break;
		const item *it = &b->items[k];
		done_item di;
		memset(&di, 0, sizeof di);
		emh_submission *sub = NULL;
		emh_dossier *d = NULL;
		emh_error e = EMH_ERROR_INIT;
		if (b->o->on_warning) {
			so.on_warning = keep_warning;
			so.payload = &di.warnings;
		}
		const char *path = item_path(b, k, &pathbuf);
		int rc = setup ? setup
		         : !emh_buf_ok(&pathbuf) ? emh_error_set(&e, EMH_EGENERIC, "out of memory")
		         : emh_submission__load_screened(&sub, path, &so, it->screen ? root_kind : NULL,
		                                         &di.passed_over, &e);
		if (setup)
			e = err;
		if (rc == 0 && di.passed_over) {
			di.k = k;
			deliver(b, k, &di);
			continue;
		}
		/* Sealed only when a dossier is written: a verdict-only batch needs no digest. */
		if (rc == 0)
			rc = b->o->nformats ? emh_evaluator_run_sealed(ev, &d, sub, &e) : emh_evaluator_run(ev, &d, sub, &e);
		if (rc == 0) {
			emh_error we = EMH_ERROR_INIT;
			if ((b->o->nformats && write_outputs(b, it, path, d, &we)) || publish(b, it, &di, d, &we)) {
				pthread_mutex_lock(&b->lock);
				if (!b->fatal++)
					b->fatal_err = we;
				pthread_mutex_unlock(&b->lock);
			}
			di.ok = 1;
			di.verdict = d->verdict;
			di.dossier = d;
		}
		di.k = k;
		index_entry(b, &di, k, path, rc == 0 ? d : NULL, &e);
		outcome_line(&di, path, rc == 0 ? d : NULL, &e);
		summary_line(&di, item_name(b, it), rc == 0 ? d : NULL);
		if (rc == 0 && b->o->ledger && !di.publish_error) {
			di.to_file = d; /* filed in order, then freed, by the sink */
			d = NULL;
		}
		deliver(b, k, &di); /* takes the lines and the dossier to file */
		emh_dossier_free(d);
		emh_submission_free(sub);
	}
	emh_buf_dispose(&pathbuf);
	emh_evaluator_free(ev);
	return NULL;
}

static int by_name_then_index(const void *a, const void *b, void *payload)
{
	const batch *bt = payload;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(item_name(bt, &bt->items[x]), item_name(bt, &bt->items[y]));
	return c ? c : (x > y) - (x < y);
}

/* Appends name to the batch's names (with its NUL); its offset in *off. -1 for memory or past 4 GiB. */
static int add_name(batch *b, const char *name, uint32_t *off)
{
	size_t n = strlen(name);
	if (b->names.len + n + 1 > UINT32_MAX)
		return -1;
	*off = (uint32_t)b->names.len;
	emh_buf_append(&b->names, name, n + 1);
	return emh_buf_ok(&b->names) ? 0 : -1;
}

/*
 * Gives each item a unique output name: its base name, and for the second
 * and later items (in path order) with the same base name "name~~2",
 * "name~~3" (unique by construction: see base_name). Sorting by name keeps
 * this O(n log n) for large portfolios. Returns 0, or -1 for memory.
 */
static int name_items(batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		char *name = base_name(emh_pathlist_name(b->list, b->items[i].at));
		int rc = name ? add_name(b, name, &b->items[i].name) : -1;
		free(name);
		if (rc)
			return -1;
	}
	if (b->n > UINT32_MAX)
		return -1;
	uint32_t *ix = malloc((b->n ? b->n : 1) * sizeof *ix);
	if (!ix)
		return -1;
	for (size_t i = 0; i < b->n; i++)
		ix[i] = (uint32_t)i;
	qsort_r(ix, b->n, sizeof *ix, by_name_then_index, b);
	int rc = 0;
	for (size_t i = 0; i < b->n && rc == 0;) {
		size_t j = i;
		while (j + 1 < b->n && strcmp(item_name(b, &b->items[ix[j + 1]]), item_name(b, &b->items[ix[i]])) == 0)
			j++;
		for (size_t m = i + 1; m <= j && rc == 0; m++) {
			emh_buf renamed = EMH_BUF_INIT;
			emh_buf_appendf(&renamed, "%s~~%zu", item_name(b, &b->items[ix[m]]), m - i + 1);
			rc = emh_buf_ok(&renamed) ? add_name(b, renamed.ptr, &b->items[ix[m]].name) : -1;
			emh_buf_dispose(&renamed);
		}
		i = j + 1;
	}
	free(ix);
	return rc;
}

static void write_index_head(batch *b)
{
	const emh_criteria *c = b->o->criteria;
	unsigned long failures = emh_json_alloc_failures();
	emh_buf h = EMH_BUF_INIT;
	cJSON *cr = cJSON_CreateObject();
	emh_json_put_str_or_null(cr, "commit", emh_criteria_commit(c));
	emh_json_put_str_or_null(cr, "tree", emh_criteria_tree(c));
	emh_json_put_str_or_null(cr, "framework", emh_criteria_framework_name(c));
	emh_json_put_str_or_null(cr, "version", emh_criteria_framework_version(c));
	emh_buf_puts(&h, "{\n  \"format\": \"emheval/index/1\",\n  \"criteria\": ");
	print_line(&h, cr, 1, failures);
	emh_buf_puts(&h, ",\n");
	cJSON_Delete(cr);
	if (b->o->shard_count > 1) {
		cJSON *shard = cJSON_CreateObject();
		emh_json_put_num(shard, "index", (long long)(b->o->shard_index + 1));
		emh_json_put_num(shard, "count", (long long)b->o->shard_count);
		emh_buf_puts(&h, "  \"shard\": ");
		print_line(&h, shard, 1, failures);
		emh_buf_puts(&h, ",\n");
		cJSON_Delete(shard);
	}
	emh_buf_puts(&h, "  \"submissions\": [");
	if (!emh_buf_ok(&h) && !b->fatal++)
		emh_error_set(&b->fatal_err, EMH_EGENERIC, "out of memory while writing index.json");
	fwrite(h.ptr ? h.ptr : "", 1, h.len, b->index.f);
	emh_buf_dispose(&h);
}

static void write_index_tail(batch *b)
{
	unsigned long failures = emh_json_alloc_failures();
	emh_buf x = EMH_BUF_INIT;
	emh_buf_puts(&x, entries(b) ? "\n  ],\n" : "],\n");
	/* What discovery passed over, and what was passed over when read, in one sorted list, so
	 * that nothing is left out without a word. */
	size_t nskipped = b->o->nskipped + b->passed_over.n;
	const char **skipped = nskipped ? malloc(nskipped * sizeof *skipped) : NULL;
	if (nskipped && !skipped) {
		x.err = EMH_EGENERIC;
		nskipped = 0;
	}
	for (size_t i = 0; i < b->o->nskipped && skipped; i++)
		skipped[i] = b->o->skipped[i];
	for (size_t i = 0; i < b->passed_over.n && skipped; i++)
		skipped[b->o->nskipped + i] = b->passed_over.v[i];
	if (b->passed_over.n && skipped)
		qsort(skipped, nskipped, sizeof *skipped, by_str);
	if (nskipped) {
		emh_buf_puts(&x, "  \"skipped\": [");
		for (size_t i = 0; i < nskipped; i++) {
			emh_buf_puts(&x, i ? ",\n    " : "\n    ");
			cJSON *name = cJSON_CreateString(skipped[i]);
			print_line(&x, name, 1, failures);
			cJSON_Delete(name);
			fprintf(b->summary.f, "skipped: %s\n", skipped[i]);
		}
		emh_buf_puts(&x, "\n  ],\n");
	}
	free((void *)skipped);
	cJSON *sum = cJSON_CreateObject();
	emh_json_put_num(sum, "total", (long long)entries(b));
	emh_json_put_num(sum, "evaluated", (long long)b->sum.evaluated);
	emh_json_put_num(sum, "failed", (long long)b->sum.failed);
	for (int v = 0; v < EMH_VERDICT__COUNT; v++)
		emh_json_put_num(sum, emh_verdict_name((emh_verdict)v), (long long)b->sum.verdicts[v]);
	emh_buf_puts(&x, "  \"summary\": ");
	print_line(&x, sum, 1, failures);
	emh_buf_puts(&x, "\n}\n");
	cJSON_Delete(sum);
	if (!emh_buf_ok(&x) && !b->fatal++)
		emh_error_set(&b->fatal_err, EMH_EGENERIC, "out of memory while writing index.json");
	fwrite(x.ptr ? x.ptr : "", 1, x.len, b->index.f);
	emh_buf_dispose(&x);
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}

/* The batch over list's paths, in their order (emh_batch_run and emh_batch_run_found). */
static int run(emh_batch_summary *summary, const emh_pathlist *list, const emh_batch_options *opts, emh_error *err)
{
	memset(summary, 0, sizeof *summary);
	batch b;
	memset(&b, 0, sizeof b);
	b.o = opts;
	b.list = list;
	size_t npaths = emh_pathlist_count(list);
	int rc = 0;
	if (!opts->criteria || !opts->out_dir)
		return emh_error_set(err, EMH_EINVALID, "a batch needs criteria and an output folder");
	if (opts->shard_count > 1 && opts->shard_index >= opts->shard_count)
		return emh_error_set(err, EMH_EINVALID, "shard %u of %u does not exist", opts->shard_index + 1,
		                     opts->shard_count);
	if (mkdir(opts->out_dir, 0755) != 0 && errno != EEXIST)
		return emh_error_set(err, EMH_EIO, "cannot create %s: %s", opts->out_dir, strerror(errno));
	if (npaths > UINT32_MAX)
		return emh_error_set(err, EMH_ELIMIT, "more than %u submissions in one batch", (unsigned)UINT32_MAX);
	b.items = calloc(npaths ? npaths : 1, sizeof *b.items);
	if (!b.items)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; i < npaths; i++) {
		const char *path = emh_pathlist_path(list, i, &b.sink_path);
		if (!emh_buf_ok(&b.sink_path)) {
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
			goto done;
		}
		if (opts->shard_count <= 1 || emh_batch_shard_of(path, opts->shard_count) == opts->shard_index) {
			b.items[b.n].screen = emh_pathlist_mark(list, i) == FOUND_UNREAD;
			b.items[b.n++].at = (uint32_t)i;
		}
	}
	if (name_items(&b)) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	if (opts->sign_key || opts->ledger) {
		int has_json = 0;
		for (size_t f = 0; f < opts->nformats; f++)
			has_json |= opts->formats[f] == EMH_FORMAT_JSON;
		if (!has_json) {
			rc = emh_error_set(err, EMH_EINVALID, "signing and filing work on the json dossiers: add json to the formats");
			goto done;
		}
		if (opts->ledger && opts->sign_key && (rc = emh_ledger_set_signer(opts->ledger, opts->sign_key, err)))
			goto done;
	}
	/* Findings cost a second evaluation of failing checks: only when a report shows them. */
	b.explain = opts->nformats > 0;
	int want_index_html = 0;
	for (size_t f = 0; f < opts->nformats; f++)
		want_index_html |= opts->formats[f] == EMH_FORMAT_HTML;
	if (want_index_html) {
		b.light = calloc(b.n ? b.n : 1, sizeof *b.light);
		b.light_error = calloc(b.n ? b.n : 1, sizeof *b.light_error);
		b.light_arena = emh_arena_new();
		if (!b.light || !b.light_error || !b.light_arena) {
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
			goto done;
		}
	}
	if ((rc = sink_open(&b.index, opts->out_dir, "index.json", err)) ||
	    (rc = sink_open(&b.summary, opts->out_dir, "summary.txt", err)) ||
	    (opts->outcomes && (rc = sink_open(&b.outcomes, opts->out_dir, "outcomes.jsonl", err))))
		goto done;
	write_index_head(&b);
	fprintf(b.summary.f, "%-40s %-15s %4s %4s %4s\n", "submission", "verdict", "fail", "err", "rev");
	if (!(b.window = calloc(BATCH_WINDOW, sizeof *b.window))) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.turn, NULL);
	unsigned jobs = opts->jobs ? opts->jobs : default_jobs();
	if (jobs > b.n)
		jobs = b.n ? (unsigned)b.n : 1;
	pthread_t *threads = calloc(jobs, sizeof *threads);
	unsigned started = 0;
	for (unsigned t = 0; threads && t < jobs; t++)
		if (pthread_create(&threads[t], NULL, worker, &b) == 0)
			started++;
	if (!started)
		worker(&b); /* no threads to be had: do the work here */
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	pthread_cond_destroy(&b.turn);
	pthread_mutex_destroy(&b.lock);
	write_index_tail(&b);
	if (b.fatal) {
		rc = b.fatal_err.code ? b.fatal_err.code : EMH_EIO;
		if (err)
			*err = b.fatal_err;
		goto done;
	}
	if (want_index_html) {
		/* A row links to a page only when one was written (a dossier was kept for it). */
		emh_index_row *rows = calloc(b.n ? b.n : 1, sizeof *rows);
		char **hrefs = calloc(b.n ? b.n : 1, sizeof *hrefs), **folders = calloc(b.n ? b.n : 1, sizeof *folders);
		emh_buf page = EMH_BUF_INIT;
		size_t nrows = 0;
		int lost = 0;
		for (size_t i = 0; rows && hrefs && folders && i < b.n; i++) {
			if (b.items[i].passed_over)
				continue;
			emh_index_row *r = &rows[nrows++];
			r->dossier = b.light[i].format ? &b.light[i] : NULL;
			r->name = item_name(&b, &b.items[i]);
			r->folder = folders[i] = strdup(item_path(&b, i, &b.sink_path));
			r->error = b.light_error[i];
			lost |= !r->folder || !emh_buf_ok(&b.sink_path);
			if (r->dossier) {
				emh_buf h = EMH_BUF_INIT;
				emh_buf_appendf(&h, "%s.html", r->name);
				r->href = hrefs[i] = emh_buf_detach(&h, NULL);
			}
		}
		if (!rows || !hrefs || !folders || lost)
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		else if ((rc = emh_report_render_index(&page, rows, nrows, NULL, err)) == 0) {
			char *path = join(opts->out_dir, "index.html");
			rc = path ? emh_io_write_atomic(path, page.ptr ? page.ptr : "", page.len, err)
			          : emh_error_set(err, EMH_EGENERIC, "out of memory");
			free(path);
		}
		for (size_t i = 0; hrefs && folders && i < b.n; i++) {
			free(hrefs[i]);
			free(folders[i]);
		}
		free(hrefs);
		free(folders);
		free(rows);
		emh_buf_dispose(&page);
	}
done:
	/* The ordered files go in place last, and only when the batch ran to the end. */
	{
		int ok = rc == 0;
		int r1 = sink_close(&b.outcomes, ok, err);
		int r2 = sink_close(&b.summary, ok, err);
		int r3 = sink_close(&b.index, ok, err);
		if (rc == 0)
			rc = r1 ? r1 : r2 ? r2 : r3;
	}
	summary->total = entries(&b);
	summary->skipped = b.passed_over.n;
	summary->evaluated = b.sum.evaluated;
	summary->failed = b.sum.failed;
	memcpy(summary->verdicts, b.sum.verdicts, sizeof summary->verdicts);
	summary->published = b.sum.published;
	summary->unpublished = b.sum.unpublished;
	for (size_t i = 0; i < b.claim_cap; i++) {
		free(b.claim_folder[i]);
		free(b.claim_digest[i]);
	}
	for (size_t i = 0; i < b.claim_cap; i++)
		free(b.claim_path[i]);
	free(b.claim_folder);
	free(b.claim_digest);
	free(b.claim_path);
	emh_arena_free(b.light_arena);
	free(b.light);
	free(b.light_error);
	free(b.window);
	free(b.items);
	emh_buf_dispose(&b.names);
	emh_buf_dispose(&b.sink_path);
	plist_dispose(&b.passed_over);
	return rc;
}

int emh_batch_run_found(emh_batch_summary *summary, const emh_discovery *found, const emh_batch_options *opts,
                        emh_error *err)
{
	return run(summary, found->found, opts, err);
}

int emh_batch_run(emh_batch_summary *summary, const char *const *paths,
                  size_t npaths, const emh_batch_options *opts, emh_error *err)
{
	emh_pathlist *list = emh_pathlist_new();
	int rc = list ? 0 : -1;
	for (size_t i = 0; i < npaths && rc == 0; i++)
		rc = emh_pathlist_add(list, EMH_PATHLIST_WHOLE, paths[i], FOUND_AS_GIVEN);
	rc = rc ? (memset(summary, 0, sizeof *summary), emh_error_set(err, EMH_EGENERIC, "out of memory"))
	        : run(summary, list, opts, err);
	emh_pathlist_free(list);
	return rc;
}
