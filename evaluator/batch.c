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
 * interrupted run leaves no partial file.
 */
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

static int search(plist *l, const char *dir, int depth)
{
	if (depth > 64)
		return 0; /* deeper than any real portfolio: stop rather than recurse forever */
	char *marker = join(dir, "submission.json");
	struct stat st;
	int is_sub = marker && lstat(marker, &st) == 0 && S_ISREG(st.st_mode);
	free(marker);
	if (is_sub)
		return plist_add(l, dir);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		/* Only folders and *.json files matter; the entry's type comes with it on
		 * most file systems, so lstat only where it does not (DT_UNKNOWN). */
		unsigned char type = e->d_type;
		int json = ends_with(e->d_name, ".json");
		if (type != DT_DIR && type != DT_UNKNOWN && !(type == DT_REG && json))
			continue;
		char *p = join(dir, e->d_name);
		if (!p) {
			rc = -1;
			break;
		}
		if (type == DT_UNKNOWN)
			type = lstat(p, &st) != 0 ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
			     : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type == DT_DIR)
			rc = search(l, p, depth + 1);
		else if (type == DT_REG && json)
			rc = plist_add(l, p);
		free(p);
	}
	closedir(d);
	return rc;
}

int emh_batch_discover(char ***out, size_t *count, const char *const *paths,
                       size_t npaths, emh_error *err)
{
	plist l = { 0 };
	int rc = 0;
	*out = NULL;
	*count = 0;
	for (size_t i = 0; i < npaths && rc == 0; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0) {
			rc = emh_error_set(err, EMH_ENOTFOUND, "no such submission or folder: %s", paths[i]);
			break;
		}
		if (S_ISDIR(st.st_mode))
			rc = search(&l, paths[i], 0) ? emh_error_set(err, EMH_EGENERIC, "out of memory") : 0;
		else
			rc = plist_add(&l, paths[i]) ? emh_error_set(err, EMH_EGENERIC, "out of memory") : 0;
	}
	if (rc) {
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i]);
		free(l.v);
		return rc;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, by_str);
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (k && strcmp(l.v[k - 1], l.v[i]) == 0)
			free(l.v[i]);
		else
			l.v[k++] = l.v[i];
	}
	*out = l.v;
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

/* Output name of a submission: its folder or file name without ".json". */
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
	char *s = malloc(len + 1);
	if (s) {
		memcpy(s, path + start, len);
		s[len] = '\0';
		for (char *p = s; *p; p++)
			if (*p == '/' || (unsigned char)*p < 0x20)
				*p = '_';
	}
	return s;
}

typedef struct item {
	const char *path;
	char *name;       /* unique output name */
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
	item *items;
	size_t n;
	atomic_size_t next;       /* next item to take */
	pthread_mutex_t lock;
	pthread_cond_t turn;
	size_t written;           /* items whose ordered lines are out */
	struct done_item *window; /* item k waits in window[k % BATCH_WINDOW] */
	sink_file index, outcomes, summary;
	emh_batch_summary sum;
	int explain;
	int fatal;                /* an output could not be written: stop */
	emh_error fatal_err;
	/* Light copies for index.html (verdict and counts only). */
	emh_dossier *light;
	emh_arena *light_arena;   /* their strings; used under the lock only */
} batch;

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

static void json_str(emh_buf *b, const char *s)
{
	if (s)
		emh_buf_append_json_string(b, s, strlen(s));
	else
		emh_buf_puts(b, "null");
}

/* What one worker produced for one submission, to be written in order. */
typedef struct done_item {
	emh_buf index_line;
	emh_buf outcome_line;
	emh_buf summary_line;
	int ok;
	int ready;                  /* in the window, not yet written */
	emh_verdict verdict;
	const emh_dossier *dossier; /* for index.html, while it is delivered */
} done_item;

static void index_entry(batch *b, done_item *out, size_t k, const emh_dossier *d,
                        const emh_error *e)
{
	emh_buf *x = &out->index_line;
	const item *it = &b->items[k];
	emh_buf_puts(x, k ? ",\n    {" : "\n    {");
	emh_buf_puts(x, "\"path\": ");
	json_str(x, it->path);
	emh_buf_puts(x, ", \"name\": ");
	json_str(x, it->name);
	if (d) {
		emh_buf_puts(x, ", \"id\": ");
		json_str(x, d->submission_id);
		emh_buf_puts(x, ", \"verdict\": ");
		json_str(x, emh_verdict_name(d->verdict));
		emh_buf_appendf(x, ", \"failed\": %zu, \"errors\": %zu, \"needs_review\": %zu",
		                d->counts[EMH_OUTCOME_FAIL], d->counts[EMH_OUTCOME_ERROR],
		                d->counts[EMH_OUTCOME_NEEDS_REVIEW]);
		if (d->digest) {
			emh_buf_puts(x, ", \"digest\": ");
			json_str(x, d->digest);
		}
		emh_buf_puts(x, ", \"outputs\": [");
		for (size_t f = 0; f < b->o->nformats; f++) {
			emh_buf file = EMH_BUF_INIT;
			emh_buf_appendf(&file, "%s.%s", it->name, emh_format_extension(b->o->formats[f]));
			if (f)
				emh_buf_puts(x, ", ");
			json_str(x, emh_buf_cstr(&file));
			emh_buf_dispose(&file);
		}
		emh_buf_puts(x, "]}");
	} else {
		char msg[1400];
		emh_error_format(e, msg, sizeof msg);
		emh_buf_puts(x, ", \"error\": ");
		json_str(x, msg);
		emh_buf_putc(x, '}');
	}
}

/* The outcomes.jsonl line: {"file": NAME, "ID": outcome, ...} in criterion order (RULES.md form). */
static void outcome_line(done_item *out, const item *it, const emh_dossier *d, const emh_error *e)
{
	emh_buf *x = &out->outcome_line;
	const char *slash = strrchr(it->path, '/');
	emh_buf_puts(x, "{\"file\":");
	json_str(x, slash && slash[1] ? slash + 1 : it->path);
	if (d) {
		for (size_t i = 0; i < d->nresults; i++) {
			emh_buf_putc(x, ',');
			json_str(x, d->results[i].id);
			emh_buf_putc(x, ':');
			json_str(x, emh_outcome_name(d->results[i].outcome));
		}
	} else {
		char msg[1400];
		emh_error_format(e, msg, sizeof msg);
		emh_buf_puts(x, ",\"error\":");
		json_str(x, msg);
	}
	emh_buf_puts(x, "}\n");
}

static void summary_line(done_item *out, const item *it, const emh_dossier *d)
{
	emh_buf *x = &out->summary_line;
	if (d)
		emh_buf_appendf(x, "%-40s %-15s %4zu %4zu %4zu\n", it->name, emh_verdict_name(d->verdict),
		                d->counts[EMH_OUTCOME_FAIL], d->counts[EMH_OUTCOME_ERROR],
		                d->counts[EMH_OUTCOME_NEEDS_REVIEW]);
	else
		emh_buf_appendf(x, "%-40s %-15s\n", it->name, "input-error");
}

/* Renders and writes every asked format of one dossier. */
static int write_outputs(batch *b, const item *it, const emh_dossier *d, emh_error *err)
{
	emh_buf out = EMH_BUF_INIT;
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	/* CI locations name files as the portfolio path gives them: PATH/privacy.md, PATH/submission.json. */
	char *dir = NULL;
	struct stat st;
	if (stat(it->path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		const char *slash = strrchr(it->path, '/');
		ro.submission_file = it->path;
		dir = slash ? strndup(it->path, (size_t)(slash - it->path) + (slash == it->path)) : NULL;
		ro.base = dir;
	} else {
		ro.base = it->path;
	}
	int rc = 0;
	for (size_t f = 0; f < b->o->nformats && rc == 0; f++) {
		emh_buf_clear(&out);
		rc = emh_report_render(&out, d, b->o->formats[f], &ro, err);
		if (rc)
			break;
		emh_buf name = EMH_BUF_INIT;
		emh_buf_appendf(&name, "%s/%s.%s", b->o->out_dir, it->name, emh_format_extension(b->o->formats[f]));
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

/* Writes one item's ordered lines and counts it; under the lock. */
static void write_lines(batch *b, done_item *di)
{
	if (b->index.f)
		fwrite(di->index_line.ptr ? di->index_line.ptr : "", 1, di->index_line.len, b->index.f);
	if (b->outcomes.f)
		fwrite(di->outcome_line.ptr ? di->outcome_line.ptr : "", 1, di->outcome_line.len, b->outcomes.f);
	if (b->summary.f)
		fwrite(di->summary_line.ptr ? di->summary_line.ptr : "", 1, di->summary_line.len, b->summary.f);
	if (di->ok) {
		b->sum.evaluated++;
		b->sum.verdicts[di->verdict]++;
	} else {
		b->sum.failed++;
	}
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
	if (di->ok && b->light && di->dossier)
		keep_light(b, k, di->dossier);
	di->dossier = NULL;
	di->ready = 1;
	b->window[k % BATCH_WINDOW] = *di;
	memset(di, 0, sizeof *di);
	size_t before = b->written;
	done_item *next;
	while ((next = &b->window[b->written % BATCH_WINDOW])->ready) {
		write_lines(b, next);
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
	int setup = emh_evaluator_new(&ev, b->o->criteria, &eo, &err);
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
		int rc = setup ? setup : emh_submission_load(&sub, it->path, &so, &e);
		if (setup)
			e = err;
		if (rc == 0)
			rc = emh_evaluator_run(ev, &d, sub, &e);
		if (rc == 0 && b->o->nformats)
			rc = emh_dossier_seal(d, &e);
		if (rc == 0) {
			emh_error we = EMH_ERROR_INIT;
			if (b->o->nformats && write_outputs(b, it, d, &we)) {
				pthread_mutex_lock(&b->lock);
				if (!b->fatal++)
					b->fatal_err = we;
				pthread_mutex_unlock(&b->lock);
			}
			di.ok = 1;
			di.verdict = d->verdict;
			di.dossier = d;
		}
		index_entry(b, &di, k, rc == 0 ? d : NULL, &e);
		outcome_line(&di, it, rc == 0 ? d : NULL, &e);
		summary_line(&di, it, rc == 0 ? d : NULL);
		deliver(b, k, &di); /* takes the lines */
		emh_dossier_free(d);
		emh_submission_free(sub);
	}
	emh_evaluator_free(ev);
	return NULL;
}

static const item *sort_items; /* qsort has no payload argument; set under the run only */

static int by_name_then_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_items[x].name, sort_items[y].name);
	return c ? c : (x > y) - (x < y);
}

/*
 * Gives each item a unique output name: its base name, and for the second
 * and later items (in path order) with the same base name "name--2",
 * "name--3". Sorting by name keeps this O(n log n) for large portfolios.
 * Returns 0, -1 for memory, or 1 when a renamed item still clashes.
 */
static int name_items(item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(items[i].name = base_name(items[i].path)))
			return -1;
	size_t *ix = malloc((n ? n : 1) * sizeof *ix);
	if (!ix)
		return -1;
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	sort_items = items;
	qsort(ix, n, sizeof *ix, by_name_then_index);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0;) {
		size_t j = i;
		while (j + 1 < n && strcmp(items[ix[j + 1]].name, items[ix[i]].name) == 0)
			j++;
		for (size_t m = i + 1; m <= j; m++) {
			size_t len = strlen(items[ix[m]].name) + 24;
			char *renamed = malloc(len);
			if (!renamed) {
				rc = -1;
				break;
			}
			snprintf(renamed, len, "%s--%zu", items[ix[m]].name, m - i + 1);
			free(items[ix[m]].name);
			items[ix[m]].name = renamed;
		}
		i = j + 1;
	}
	if (rc == 0) {
		qsort(ix, n, sizeof *ix, by_name_then_index);
		for (size_t k = 1; k < n && rc == 0; k++)
			if (strcmp(items[ix[k]].name, items[ix[k - 1]].name) == 0)
				rc = 1;
	}
	free(ix);
	return rc;
}

static void write_index_head(batch *b)
{
	const emh_criteria *c = b->o->criteria;
	emh_buf h = EMH_BUF_INIT;
	emh_buf_puts(&h, "{\n  \"format\": \"emheval/index/1\",\n  \"criteria\": {\"commit\": ");
	json_str(&h, emh_criteria_commit(c));
	emh_buf_puts(&h, ", \"tree\": ");
	json_str(&h, emh_criteria_tree(c));
	emh_buf_puts(&h, ", \"framework\": ");
	json_str(&h, emh_criteria_framework_name(c));
	emh_buf_puts(&h, ", \"version\": ");
	json_str(&h, emh_criteria_framework_version(c));
	emh_buf_puts(&h, "},\n");
	if (b->o->shard_count > 1)
		emh_buf_appendf(&h, "  \"shard\": {\"index\": %u, \"count\": %u},\n", b->o->shard_index + 1,
		                b->o->shard_count);
	emh_buf_puts(&h, "  \"submissions\": [");
	fwrite(h.ptr, 1, h.len, b->index.f);
	emh_buf_dispose(&h);
}

static void write_index_tail(batch *b)
{
	fprintf(b->index.f, "%s],\n  \"summary\": {\"total\": %zu, \"evaluated\": %zu, \"failed\": %zu",
	        b->n ? "\n  " : "", b->n, b->sum.evaluated, b->sum.failed);
	for (int v = 0; v < EMH_VERDICT__COUNT; v++)
		fprintf(b->index.f, ", \"%s\": %zu", emh_verdict_name((emh_verdict)v), b->sum.verdicts[v]);
	fputs("}\n}\n", b->index.f);
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}

int emh_batch_run(emh_batch_summary *summary, const char *const *paths,
                  size_t npaths, const emh_batch_options *opts, emh_error *err)
{
	memset(summary, 0, sizeof *summary);
	batch b;
	memset(&b, 0, sizeof b);
	b.o = opts;
	int rc = 0;
	if (!opts->criteria || !opts->out_dir)
		return emh_error_set(err, EMH_EINVALID, "a batch needs criteria and an output folder");
	if (opts->shard_count > 1 && opts->shard_index >= opts->shard_count)
		return emh_error_set(err, EMH_EINVALID, "shard %u of %u does not exist", opts->shard_index + 1,
		                     opts->shard_count);
	if (mkdir(opts->out_dir, 0755) != 0 && errno != EEXIST)
		return emh_error_set(err, EMH_EIO, "cannot create %s: %s", opts->out_dir, strerror(errno));
	b.items = calloc(npaths ? npaths : 1, sizeof *b.items);
	if (!b.items)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	for (size_t i = 0; i < npaths; i++)
		if (opts->shard_count <= 1 || emh_batch_shard_of(paths[i], opts->shard_count) == opts->shard_index)
			b.items[b.n++].path = paths[i];
	int named = name_items(b.items, b.n);
	if (named) {
		rc = named < 0 ? emh_error_set(err, EMH_EGENERIC, "out of memory")
		               : emh_error_set(err, EMH_EINVALID, "two submissions would write the same output "
		                               "name; rename one (names are folder or file names)");
		goto done;
	}
	/* Findings cost a second evaluation of failing checks: only when a report shows them. */
	b.explain = opts->nformats > 0;
	int want_index_html = 0;
	for (size_t f = 0; f < opts->nformats; f++)
		want_index_html |= opts->formats[f] == EMH_FORMAT_HTML;
	if (want_index_html) {
		b.light = calloc(b.n ? b.n : 1, sizeof *b.light);
		b.light_arena = emh_arena_new();
		if (!b.light || !b.light_arena) {
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
		const emh_dossier **ds = calloc(b.n ? b.n : 1, sizeof *ds);
		char **hrefs = calloc(b.n ? b.n : 1, sizeof *hrefs);
		emh_buf page = EMH_BUF_INIT;
		for (size_t i = 0; ds && hrefs && i < b.n; i++) {
			ds[i] = b.light[i].format ? &b.light[i] : NULL;
			emh_buf h = EMH_BUF_INIT;
			emh_buf_appendf(&h, "%s.html", b.items[i].name);
			hrefs[i] = emh_buf_detach(&h, NULL);
		}
		if (!ds || !hrefs)
			rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		else if ((rc = emh_report_render_index(&page, ds, (const char *const *)hrefs, b.n, NULL, err)) == 0) {
			char *path = join(opts->out_dir, "index.html");
			rc = path ? emh_io_write_atomic(path, page.ptr ? page.ptr : "", page.len, err)
			          : emh_error_set(err, EMH_EGENERIC, "out of memory");
			free(path);
		}
		for (size_t i = 0; hrefs && i < b.n; i++)
			free(hrefs[i]);
		free(hrefs);
		free(ds);
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
	summary->total = b.n;
	summary->evaluated = b.sum.evaluated;
	summary->failed = b.sum.failed;
	memcpy(summary->verdicts, b.sum.verdicts, sizeof summary->verdicts);
	emh_arena_free(b.light_arena);
	free(b.light);
	free(b.window);
	for (size_t i = 0; i < b.n; i++)
		free(b.items[i].name);
	free(b.items);
	return rc;
}
