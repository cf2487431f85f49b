/*
 * statement.c - "not_states" and "states": judge what a sentence says from its parse.
 *
 * A pattern cannot tell which verb a "not" negates, or that "but we share it
 * with advertisers" is a clause of its own; a parse can. Only candidate
 * sentences are parsed (one with a word of the "verb" list and a match of
 * "purpose"), with link-grammar's English dictionary. For every verb of the
 * list in the best linkage, its clause is the words reachable from it through
 * links that stay inside a clause (not the walls, not links to subordinate or
 * coordinate clauses, not through but/except/however/...); the verb states it
 * when its clause holds "object" and "purpose", not "unless", and no negation
 * governs the verb: not/never/n't on the verb or its auxiliaries, "neither"/
 * "nor" coordination, "without" before it (not "without (undue) delay"), or "no"/"none"/"nothing" as its
 * subject or object.
 *
 * "states" is the mirror, with the same machinery: it holds when some clause
 * states it. There a sentence that cannot be judged (too long, no linkage, a
 * negating word the linkage leaves out) is never taken as "not stated" (the
 * caller makes it a review), a too-long sentence is not cut in pieces (a piece
 * can lose its sentence's negation), a relative clause is a clause of its own,
 * and the words after the verb that join its clause stop at a negation as well
 * as at a boundary ("we store it and do not encrypt it"). The plain-denial
 * shortcut (no parse) is sound for both: it only ever answers "not stated".
 *
 * Determinism and bounds (statement.h): at most EMH_STATEMENT_MAX_WORDS tokens
 * per sentence, links of at most EMH_STATEMENT_SHORT_LINKS words,
 * EMH_STATEMENT_LINKAGES linkages sampled with the repeatable generator, the best one judged. There is
 * no wall-clock limit: a time limit would make a verdict depend on the load of
 * the machine, so the bounds are on the sentence (words, link length, null
 * words) and the answer is the same on every machine. The dictionary is created once
 * at the first sentence that needs a parse and shared (read-only in
 * link-grammar); sentences and parse options are made per call, so batch
 * workers never share them; answers are kept per process by sentence and
 * settings (a bounded table), so a repeated sentence is parsed once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <link-grammar/link-includes.h>
#include "emheval/buf.h"
#include "emheval/error.h"
#include "evaluator/statement.h"
#include "evaluator/internal.h"

/* ---- the shared dictionary ------------------------------------------------ */

/*
 * Loading the English dictionary costs about half a billion instructions, so
 * it is loaded at the first sentence that needs a parse, not when a criterion
 * compiles: a process (or a batch) whose documents hold no candidate sentence
 * never pays it. Every compiled statement counts as a user; the dictionary is
 * freed when the last one is disposed (criteria freed at exit or teardown), so
 * LeakSanitizer and valgrind see nothing left. A failed load is not retried by
 * the same users (each parse would pay for it again).
 */
static pthread_mutex_t dict_lock = PTHREAD_MUTEX_INITIALIZER;
static Dictionary dict_shared;
static size_t dict_users;
static int dict_failed;

static void quiet_handler(lg_errinfo *ei, void *data)
{
	(void)ei;
	(void)data;
}

static void dict_acquire(void)
{
	pthread_mutex_lock(&dict_lock);
	dict_users++;
	pthread_mutex_unlock(&dict_lock);
}

/* The dictionary, loaded on first use; NULL when it cannot be loaded. */
static Dictionary dict_get(void)
{
	pthread_mutex_lock(&dict_lock);
	if (!dict_shared && !dict_failed) {
		lg_error_handler old = lg_error_set_handler(quiet_handler, NULL);
		dict_shared = dictionary_create_lang("en");
		lg_error_set_handler(old, NULL);
		dict_failed = dict_shared == NULL;
	}
	Dictionary d = dict_shared;
	pthread_mutex_unlock(&dict_lock);
	return d;
}

static void dict_release(void)
{
	pthread_mutex_lock(&dict_lock);
	if (dict_users > 0 && --dict_users == 0) {
		if (dict_shared)
			dictionary_delete(dict_shared);
		dict_shared = NULL;
		dict_failed = 0;
	}
	pthread_mutex_unlock(&dict_lock);
}

int emh_statement__dictionary_loaded(void)
{
	pthread_mutex_lock(&dict_lock);
	int loaded = dict_shared != NULL;
	pthread_mutex_unlock(&dict_lock);
	return loaded;
}

/* ---- judged sentences ------------------------------------------------------- */

/*
 * The same sentence judged with the same settings gets the same answer (the
 * parse is deterministic), so answers are kept per process: policies of one
 * vendor, or a batch of resubmissions, repeat their sentences. The key is the
 * SHA-256 of the statement's settings digest and the sentence; the table has a
 * fixed number of slots (a slot's new answer replaces the old one), so memory
 * is bounded and no allocation is made. Only answers are kept (stated, not
 * stated, too long), never an error.
 */
#define CACHE_SLOTS 4096

typedef struct cached {
	char key[65];
	signed char answer;
} cached;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cached cache[CACHE_SLOTS];
static size_t cache_hits, cache_misses;

static size_t cache_slot(const char key[65])
{
	size_t h = 0;
	for (int i = 0; i < 8; i++)
		h = h * 16 + (size_t)(key[i] <= '9' ? key[i] - '0' : key[i] - 'a' + 10);
	return h % CACHE_SLOTS;
}

/* 1 with *answer when the sentence was judged before. */
static int cache_get(const char key[65], int *answer)
{
	size_t i = cache_slot(key);
	pthread_mutex_lock(&cache_lock);
	int hit = cache[i].key[0] && memcmp(cache[i].key, key, 65) == 0;
	if (hit)
		*answer = cache[i].answer;
	if (hit)
		cache_hits++;
	else
		cache_misses++;
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

static void cache_put(const char key[65], int answer)
{
	size_t i = cache_slot(key);
	pthread_mutex_lock(&cache_lock);
	memcpy(cache[i].key, key, 65);
	cache[i].answer = (signed char)answer;
	pthread_mutex_unlock(&cache_lock);
}

void emh_statement__cache_stats(size_t *hits, size_t *misses)
{
	pthread_mutex_lock(&cache_lock);
	*hits = cache_hits;
	*misses = cache_misses;
	pthread_mutex_unlock(&cache_lock);
}

/* ---- compiling -------------------------------------------------------------- */

static int compile_one(emh_regex *re, const char *pre, const char *src, const char *post,
                       const char *name, const char **field, emh_error *err)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_appendf(&b, "%s%s%s", pre, src, post);
	if (!emh_buf_ok(&b)) { /* else a truncated (empty) pattern would compile and match anything */
		emh_buf_dispose(&b);
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	}
	emh_error e = EMH_ERROR_INIT;
	int rc = emh_regex_compile(re, emh_buf_cstr(&b), "i", &e);
	emh_buf_dispose(&b);
	if (rc) {
		*field = name;
		return emh_error_set(err, EMH_EINVALID, "%s: %s", name, e.message);
	}
	return 0;
}

int emh_statement_compile(emh_statement *st, const char *verb, const char *object,
                          const char *purpose, const char *unless, int affirm, const char **field,
                          emh_error *err)
{
	memset(st, 0, sizeof *st);
	const char *dummy;
	if (!field)
		field = &dummy;
	if (compile_one(&st->verb_word, "^(?:", verb, ")$", "verb", field, err) ||
	    compile_one(&st->verb_any, "\\b(?:", verb, ")\\b", "verb", field, err) ||
	    compile_one(&st->object, "", object, "", "object", field, err) ||
	    compile_one(&st->purpose, "", purpose ? purpose : "", "", "purpose", field, err) ||
	    (unless && compile_one(&st->unless, "", unless, "", "unless", field, err))) {
		emh_statement_dispose(st);
		return EMH_EINVALID;
	}
	st->has_unless = unless != NULL;
	st->affirm = affirm != 0;
	if (!purpose)
		purpose = "";
	/* The settings, unambiguously joined, name this statement's answers in the cache. */
	emh_buf k = EMH_BUF_INIT;
	emh_buf_appendf(&k, "%s%zu:%s%zu:%s%zu:%s%zu:%s", affirm ? "states:" : "", strlen(verb), verb, strlen(object), object, strlen(purpose),
	                purpose, unless ? strlen(unless) : 0, unless ? unless : "");
	int bad = k.err || emh_sha256_hex(st->settings, emh_buf_cstr(&k), k.len);
	emh_buf_dispose(&k);
	if (bad) {
		emh_statement_dispose(st);
		return emh_error_set(err, EMH_EGENERIC, "out of memory hashing the %s settings",
		                     affirm ? "states" : "not_states");
	}
	dict_acquire();
	st->counted = 1;
	return 0;
}

void emh_statement_dispose(emh_statement *st)
{
	emh_regex_dispose(&st->verb_word);
	emh_regex_dispose(&st->verb_any);
	emh_regex_dispose(&st->object);
	emh_regex_dispose(&st->purpose);
	emh_regex_dispose(&st->unless);
	if (st->counted)
		dict_release();
	st->counted = 0;
}

/* ---- one parsed sentence ------------------------------------------------------ */

typedef struct parsed {
	Linkage lk;
	const char *text;   /* the sentence as parsed */
	int nwords, nlinks;
	int than_bounds;    /* "not_states": "than" ends a clause (boundary, below) */
} parsed;

/* The word as written (no subscript), and its subscript ("v", "g", "n", ... or ""). */
static size_t word_span(const parsed *p, int w, size_t *from)
{
	size_t a = (size_t)linkage_get_word_byte_start(p->lk, w);
	size_t b = (size_t)linkage_get_word_byte_end(p->lk, w);
	*from = a;
	return b > a ? b - a : 0;
}

static const char *subscript(const parsed *p, int w)
{
	const char *s = linkage_get_word(p->lk, w);
	const char *dot = s ? strrchr(s, '.') : NULL;
	return dot && dot != s && dot[1] ? dot + 1 : "";
}

static int word_is(const parsed *p, int w, const char *const *list)
{
	size_t from, n = word_span(p, w, &from);
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncasecmp(p->text + from, list[i], n) == 0)
			return 1;
	return 0;
}

static const char *const connectors[] = { "but", "however", "except", "although", "though", "whereas",
	                                      "yet", "unless", "while", NULL };
static const char *const stops[] = { ";", ":", NULL };
static const char *const negators[] = { "not", "never", "n't", "neither", "nor", "without", NULL };
static const char *const nothing[] = { "no", "none", "nothing", "nobody", NULL };
static const char *const conditions[] = { "while", "unless", NULL };

/*
 * "no longer than", "no more than", "no later than" bound the verb, and "no longer needed", "no longer
 * necessary", "no longer required" say when it happens ("we delete it when it is no longer needed"): the
 * "no" of these denies neither the verb nor its object.
 */
static int no_bound(const parsed *p, int w)
{
	static const char *const no[] = { "no", NULL }, *const more[] = { "longer", "more", "later", NULL };
	static const char *const longer[] = { "longer", NULL }, *const than[] = { "than", NULL };
	static const char *const needed[] = { "needed", "necessary", "required", NULL };
	if (!word_is(p, w, no) || w + 2 >= p->nwords - 1 || !word_is(p, w + 1, more))
		return 0;
	return word_is(p, w + 2, than) || (word_is(p, w + 1, longer) && word_is(p, w + 2, needed));
}

/*
 * "without delay", "without undue delay" say when, not whether: it is GDPR Art. 17(1)'s own wording for
 * erasure, and "we delete your personal data without undue delay and, in any case, within 30 days" states
 * a deletion (it failed DP-DEL-02 and DP-RET-02 while "without" counted as a negation of "delete").
 */
static int without_delay(const parsed *p, int w)
{
	static const char *const without[] = { "without", NULL }, *const delay[] = { "delay", NULL };
	static const char *const kind[] = { "undue", "unnecessary", "unreasonable", "further", "any", NULL };
	int d = w + 1;
	if (!word_is(p, w, without) || d >= p->nwords - 1)
		return 0;
	if (word_is(p, d, kind) && d + 1 < p->nwords - 1)
		d++;
	return word_is(p, d, delay);
}

/* A negating word: not, never, neither, nor, "no longer", without (not "without delay"), or a contraction in n't
 * ("don't", "won’t"). */
static int word_negates(const parsed *p, int w)
{
	size_t from, n = word_span(p, w, &from);
	const char *t = p->text + from;
	static const char *const no[] = { "no", NULL }, *const longer[] = { "longer", NULL };
	if (without_delay(p, w))
		return 0;
	/*
	 * "can no longer be deleted", "we no longer share": "no longer" on a verb denies it (not "no longer
	 * needed"); the linkage ties "longer" to the verb (E) and "no" only to "longer", so either word counts.
	 */
	if (word_is(p, w, no) && w + 1 < p->nwords - 1 && word_is(p, w + 1, longer) && !no_bound(p, w))
		return 1;
	if (word_is(p, w, longer) && w > 1 && word_is(p, w - 1, no) && !no_bound(p, w - 1))
		return 1;
	if (word_is(p, w, negators) || (n == 6 && strncasecmp(t, "cannot", 6) == 0))
		return 1;
	return (n >= 3 && strncasecmp(t + n - 3, "n't", 3) == 0) ||
	       (n >= 5 && strncasecmp(t + n - 5, "n\xe2\x80\x99t", 5) == 0);
}

/* no, none, nothing, nobody: a denial as the verb's subject or object, or in the words of its clause. */
static int word_denies(const parsed *p, int w)
{
	return word_is(p, w, nothing) && !no_bound(p, w);
}

/* A participle used as an adjective ("personalised services"): no verb of a clause. */
static int adjectival(const parsed *p, int w)
{
	for (int i = 0; i < p->nlinks; i++)
		if ((int)linkage_get_link_lword(p->lk, i) == w && linkage_get_link_label(p->lk, i)[0] == 'A' &&
		    linkage_get_link_label(p->lk, i)[1] != 'J')
			return 1;
	return 0;
}

/* A noun with an "of" after it: a nominalised verb and its object ("the use of your data"). */
static int noun_of(const parsed *p, int w)
{
	static const char *const of[] = { "of", NULL };
	for (int i = 0; i < p->nlinks; i++)
		if ((int)linkage_get_link_lword(p->lk, i) == w && linkage_get_link_label(p->lk, i)[0] == 'M' &&
		    word_is(p, (int)linkage_get_link_rword(p->lk, i), of))
			return 1;
	return 0;
}

/*
 * A word that starts another clause: a connector, ; or :, or "as well as"; for "not_states" also "than".
 * A verb after "other than" or "rather than" names what a denial leaves out ("We do not use your data for
 * advertising or any purpose other than providing the service"): the parse hangs it off the denied verb, so
 * without the bound its clause took the denied verb's words ("advertising") and the denial failed. Its own
 * words still count ("... other than sharing it with advertisers" fails). Not for "states", where "no
 * longer than 30 days" must stay in the clause of "keep".
 */
static int boundary(const parsed *p, int w)
{
	static const char *const as[] = { "as", NULL }, *const well[] = { "well", NULL };
	static const char *const than[] = { "than", NULL };
	if (word_is(p, w, connectors) || word_is(p, w, stops) || (p->than_bounds && word_is(p, w, than)))
		return 1;
	return w + 2 < p->nwords && word_is(p, w, as) && word_is(p, w + 1, well) && word_is(p, w + 2, as);
}

/* A link that leaves the clause: walls, subordinate and coordinate clause links. */
static int clause_link(const char *label)
{
	return !(label[0] == 'W' || label[0] == 'X' || label[0] == 'C' || strncmp(label, "RW", 2) == 0 ||
	         strncmp(label, "MVs", 3) == 0 || strncmp(label, "MVx", 3) == 0 || strncmp(label, "EB", 2) == 0);
}

/*
 * For "states", a relative clause is a clause of its own too: "data you send
 * is not encrypted" must not lend "send" the words of "is not encrypted"
 * (B and R join a noun to its relative clause); and through coordination
 * (VJ) a verb's clause takes only the words before it: "scores are retained
 * and then deleted" lends "deleted" its subject, but "we store it and do not
 * encrypt it" does not lend "store" the words of "encrypt".
 */
static int clause_link_no_relative(const char *label)
{
	return clause_link(label) && label[0] != 'B' && label[0] != 'R';
}

static int clause_link_affirm(const char *label)
{
	return clause_link(label) && label[0] != 'B' && label[0] != 'R' && strncmp(label, "VJ", 2) != 0;
}

/*
 * Links that carry a negation to a verb: from an auxiliary (I, PP, Pv, Pg, Pa),
 * from the verb whose purpose or complement it is ("to" infinitives: TO, MVi),
 * and verb coordination (VJ: "we do not sell or share").
 */
static int aux_link(const char *label)
{
	return label[0] == 'I' || strncmp(label, "PP", 2) == 0 || strncmp(label, "Pv", 2) == 0 ||
	       strncmp(label, "Pg", 2) == 0 || strncmp(label, "Pa", 2) == 0 || strncmp(label, "VJ", 2) == 0 ||
	       strncmp(label, "TO", 2) == 0 ||
	       strncmp(label, "MVi", 3) == 0;
}

/* The same without coordination, and coordination alone ("states", below). */
static int aux_link_own(const char *label)
{
	return aux_link(label) && strncmp(label, "VJ", 2) != 0;
}

static int coordination_link(const char *label)
{
	return strncmp(label, "VJ", 2) == 0;
}

/* Marks in `in` the words reachable from `from` through links that `ok` accepts. */
static void reach(const parsed *p, int from, int (*ok)(const char *), char *in, int *stack)
{
	int top = 0, last = p->nwords - 1;
	in[from] = 1;
	stack[top++] = from;
	while (top > 0) {
		int w = stack[--top];
		for (int i = 0; i < p->nlinks; i++) {
			int l = (int)linkage_get_link_lword(p->lk, i), r = (int)linkage_get_link_rword(p->lk, i);
			int o = l == w ? r : r == w ? l : -1;
			if (o < 0 || in[o] || o == 0 || o == last || !ok(linkage_get_link_label(p->lk, i)))
				continue;
			if (boundary(p, o))
				continue;
			in[o] = 1;
			stack[top++] = o;
		}
	}
}

/* 1 when a negation governs verb v (its auxiliaries and coordinated verbs in aux). */
static int negated(const parsed *p, const char *aux)
{
	for (int i = 0; i < p->nlinks; i++) {
		int l = (int)linkage_get_link_lword(p->lk, i), r = (int)linkage_get_link_rword(p->lk, i);
		const char *label = linkage_get_link_label(p->lk, i);
		for (int side = 0; side < 2; side++) {
			int a = side ? r : l, o = side ? l : r;
			if (aux[a] && word_negates(p, a))
				return 1;
			if (!aux[a] || aux[o])
				continue;
			if (word_negates(p, o))
				return 1;
			/* "no data is shared", "we share no data", "none of it is sold" */
			if ((label[0] == 'S' || label[0] == 'O') && word_is(p, o, nothing))
				return 1;
			if (label[0] == 'D' && side == 1 && word_is(p, o, nothing))
				return 1; /* "no use of your data" */
			/*
			 * "no personal information is shared": "no" joins the subject or object by D, or by CO when
			 * the clause follows ", and" ("We never sell your data, and no personal information is
			 * shared with advertisers" failed "not_states" while "no" hung by CO).
			 */
			if (label[0] == 'S' || label[0] == 'O')
				for (int j = 0; j < p->nlinks; j++) {
					const char *lj = linkage_get_link_label(p->lk, j);
					int lw = (int)linkage_get_link_lword(p->lk, j), rw = (int)linkage_get_link_rword(p->lk, j);
					if ((lj[0] == 'D' || strncmp(lj, "CO", 2) == 0) && rw == o && word_denies(p, lw))
						return 1;
				}
		}
	}
	return 0;
}

/*
 * "states": a negation reaches a coordinated verb only from before it: "we do
 * not sell or share" denies both, but in "your data are encrypted, never sold
 * and never used" the "never" after "encrypted" does not deny it. So v is
 * negated by a negation of its own auxiliaries, or of a word coordinated with
 * it that comes before it (the conjunction that holds "do not", or an earlier verb).
 */
static int negated_affirm(const parsed *p, int v, char *aux, char *group, int *stack)
{
	size_t n = (size_t)p->nwords;
	memset(aux, 0, n);
	reach(p, v, aux_link_own, aux, stack);
	if (negated(p, aux))
		return 1;
	memset(group, 0, n);
	reach(p, v, coordination_link, group, stack);
	for (int u = 1; u < v; u++) {
		if (!group[u])
			continue;
		memset(aux, 0, n);
		reach(p, u, aux_link_own, aux, stack);
		if (negated(p, aux))
			return 1;
	}
	return 0;
}

/* The clause's words as written, in sentence order, separated by spaces. */
static void clause_text(const parsed *p, const char *in, emh_buf *b)
{
	emh_buf_clear(b);
	for (int w = 1; w < p->nwords - 1; w++) {
		if (!in[w])
			continue;
		size_t from, n = word_span(p, w, &from);
		if (b->len)
			emh_buf_puts(b, " ");
		emh_buf_append(b, p->text + from, n);
	}
}

static int found(const emh_regex *re, emh_matcher *m, const emh_buf *b)
{
	size_t s, e;
	return emh_regex_search(re, m, emh_buf_cstr(b), b->len, &s, &e);
}

#define TOO_LONG 2
#define UNPARSED 3

/* A negating word that the linkage left out (a null word): what it negates is not known. */
static int negation_left_out(const parsed *p)
{
	for (int w = 1; w < p->nwords - 1; w++) {
		int linked = 0;
		for (int i = 0; i < p->nlinks && !linked; i++)
			linked = (int)linkage_get_link_lword(p->lk, i) == w || (int)linkage_get_link_rword(p->lk, i) == w;
		if (!linked && (word_negates(p, w) || word_denies(p, w)))
			return 1;
	}
	return 0;
}

/* Judges one linkage: 1 stated, 0 not, UNPARSED ("states": not known), < 0 a regex error. */
static int judge(const emh_statement *st, emh_matcher *m, const parsed *p)
{
	if (st->affirm && negation_left_out(p))
		return UNPARSED;
	int rc = 0;
	char *in = emh_calloc((size_t)p->nwords * 3, 1);
	int *stack = emh_calloc((size_t)p->nwords, sizeof *stack);
	emh_buf b = EMH_BUF_INIT;
	if (!in || !stack) {
		rc = PCRE2_ERROR_NOMEMORY;
		goto out;
	}
	char *aux = in + p->nwords, *group = in + 2 * (size_t)p->nwords;
	for (int v = 1; v < p->nwords - 1 && rc == 0; v++) {
		const char *sub = subscript(p, v);
		/* Verbs, gerunds, and nouns of the list with an "of" ("the use of your data for advertising"). */
		if ((sub[0] != 'v' && sub[0] != 'g' && !(sub[0] == 'n' && noun_of(p, v))) || adjectival(p, v))
			continue;
		size_t from, n = word_span(p, v, &from);
		size_t s, e;
		int hit = emh_regex_search(&st->verb_word, m, p->text + from, n, &s, &e);
		if (hit <= 0) {
			rc = hit;
			continue;
		}
		memset(in, 0, (size_t)p->nwords * 2);
		if (st->affirm ? negated_affirm(p, v, aux, group, stack) : (reach(p, v, aux_link, aux, stack), negated(p, aux)))
			continue;
		reach(p, v, st->affirm ? clause_link_affirm : clause_link, in, stack);
		if (st->affirm) {
			/* Through coordination, only the words before the verb: "scores are retained ... and then deleted". */
			memset(group, 0, (size_t)p->nwords);
			reach(p, v, clause_link_no_relative, group, stack);
			for (int w = 1; w < v; w++)
				in[w] |= group[w];
		}
		/*
		 * Link-grammar often hangs a purpose off a noun or leaves it out of a long
		 * sentence's linkage: the words after the verb up to the next clause
		 * boundary (a connector word, ; or :, "as well as") are its clause too.
		 */
		for (int w = v + 1; w < p->nwords - 1 && (!boundary(p, w) || (st->affirm && word_is(p, w, conditions)));
		     w++) {
			/*
			 * "states": never past a negation ("we store it and do not encrypt it"), but
			 * through "while" and "unless", which say when it holds ("while your account is active").
			 */
			if (st->affirm && (word_negates(p, w) || word_denies(p, w)))
				break;
			in[w] = 1;
		}
		/*
		 * "states": the words before the verb back to a boundary (or the start) are
		 * its clause too, when no negation is among them (a subject the linkage hung
		 * elsewhere: "Scores are retained for 12 months for audit and then deleted");
		 * a negation's scope runs on to the verb ("we never encrypt data with TLS
		 * that we store"), so then none of them is.
		 */
		int w0 = v - 1;
		while (st->affirm && w0 > 0 && !boundary(p, w0) && !word_negates(p, w0) && !word_denies(p, w0))
			w0--;
		if (st->affirm && (w0 == 0 || boundary(p, w0)))
			for (int w = w0 + 1; w < v; w++)
				in[w] = 1;
		clause_text(p, in, &b);
		int ob = found(&st->object, m, &b), pu = ob == 1 ? found(&st->purpose, m, &b) : ob;
		int un = pu == 1 && st->has_unless ? found(&st->unless, m, &b) : 0;
		if (ob < 0 || pu < 0 || un < 0)
			rc = ob < 0 ? ob : pu < 0 ? pu : un;
		else if (ob == 1 && pu == 1 && un == 0)
			rc = 1;
	}
out:
	free(in);
	free(stack);
	emh_buf_dispose(&b);
	return rc;
}

/* The parse options every sentence is parsed with: the bounds of statement.h, no time limit. */
static Parse_Options make_options(void)
{
	Parse_Options po = parse_options_create();
	if (!po)
		return NULL;
	parse_options_set_verbosity(po, 0);
	parse_options_set_linkage_limit(po, EMH_STATEMENT_LINKAGES);
	parse_options_set_repeatable_rand(po, 1);
	parse_options_set_spell_guess(po, 0);
	parse_options_set_use_sat_parser(po, 0);
	parse_options_set_islands_ok(po, 0);
	parse_options_set_short_length(po, EMH_STATEMENT_SHORT_LINKS);
	/* No wall-clock limit (-1): the bounds above are on the input, so the answer never depends on load. */
	parse_options_set_max_parse_time(po, -1);
	parse_options_set_min_null_count(po, 0);
	parse_options_set_max_null_count(po, 0);
	return po;
}

int emh_statement__time_limit(void)
{
	Parse_Options po = make_options();
	int secs = po ? parse_options_get_max_parse_time(po) : 0;
	if (po)
		parse_options_delete(po);
	return secs;
}

/*
 * Parses text (NUL-terminated) and judges it: 1, 0, TOO_LONG (more than
 * EMH_STATEMENT_MAX_WORDS tokens; not parsed), UNPARSED (no linkage; "states"
 * only, not_states takes it as 0) or < 0.
 */
static int parse_uncached(const emh_statement *st, emh_matcher *m, Dictionary dict, const char *text)
{
	Parse_Options po = make_options();
	if (!po)
		return PCRE2_ERROR_NOMEMORY;
	int rc = st->affirm ? UNPARSED : 0;
	Sentence s = sentence_create(text, dict);
	if (!s) {
		parse_options_delete(po);
		return PCRE2_ERROR_NOMEMORY;
	}
	if (sentence_split(s, po) != 0)
		;
	else if (sentence_length(s) > EMH_STATEMENT_MAX_WORDS)
		rc = TOO_LONG;
	else {
		int n = sentence_parse(s, po);
		if (n == 0) {
			parse_options_set_min_null_count(po, 1);
			parse_options_set_max_null_count(po, EMH_STATEMENT_NULLS);
			n = sentence_parse(s, po);
		}
		if (n > 0) {
			parsed p = { linkage_create(0, s, po), text, 0, 0, !st->affirm };
			if (p.lk) {
				p.nwords = (int)linkage_get_num_words(p.lk);
				p.nlinks = (int)linkage_get_num_links(p.lk);
				rc = judge(st, m, &p);
				linkage_delete(p.lk);
			}
		}
	}
	sentence_delete(s);
	parse_options_delete(po);
	return rc;
}

/* ---- plain denials, judged without a parse ------------------------------------ */

#define DENIAL_MAX_TOKENS 96

typedef struct token {
	const char *t;
	size_t n;
} token;

static int token_is(const token *k, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == k->n && strncasecmp(k->t, list[i], k->n) == 0)
			return 1;
	return 0;
}

/* not, never, neither, nor, cannot, or a contraction in n't ("don't", "won’t"). */
static int token_negates(const token *k)
{
	static const char *const neg[] = { "not", "never", "neither", "nor", "cannot", NULL };
	return token_is(k, neg) || (k->n >= 3 && strncasecmp(k->t + k->n - 3, "n't", 3) == 0) ||
	       (k->n >= 5 && strncasecmp(k->t + k->n - 5, "n\xe2\x80\x99t", 5) == 0);
}

/*
 * A sentence of one plain shape needs no parse to be judged "not stated": every
 * word of the verb list in it comes right after a negation ("we do not share",
 * "is never sold", "will not be used"), or after "or"/"and"/"nor" that follows
 * such a negated verb ("we do not use or disclose"), the negation itself not
 * negated ("cannot not"); a participle between a preposition or determiner
 * and an advertising noun ("for targeted advertising") is no verb; and the
 * sentence has no word that turns or limits a
 * clause (but, except, unless, only, other than, ...). Anything else, however
 * rare, is parsed. This is what most privacy policies say, so a policy of
 * plain denials is checked without loading the dictionary. Returns 1 for such
 * a sentence, 0 otherwise (or < 0, a regex error).
 */
static int plain_denial(const emh_statement *st, emh_matcher *m, const char *text)
{
	static const char *const turns[] = { "but", "however", "except", "excepting", "although", "though", "whereas",
	                                     "yet", "unless", "while", "whilst", "only", "other", "apart", "save",
	                                     "besides", "instead", "beyond", "until", NULL };
	static const char *const be[] = { "be", "been", "being", NULL };
	static const char *const joins[] = { "or", "and", "nor", NULL };
	static const char *const before_adj[] = { "for", "of", "to", "with", "no", "any", "the", "a", "an", "in", "on",
	                                          "from", NULL };
	static const char *const ad_nouns[] = { "advertising", "ads", "adverts", "advertisements", "marketing",
	                                        "offers", "campaigns", NULL };
	token tok[DENIAL_MAX_TOKENS];
	char verb[DENIAL_MAX_TOKENS], denied[DENIAL_MAX_TOKENS];
	size_t n = 0;
	if (strpbrk(text, ";:()"))
		return 0;
	for (const char *p = text; *p;) {
		size_t w = 0;
		while (((p[w] | 32) >= 'a' && (p[w] | 32) <= 'z') || p[w] == '\'' || p[w] == '-' ||
		       (p[w] == '\xe2' && p[w + 1] == '\x80' && p[w + 2] == '\x99'))
			w += p[w] == '\xe2' ? 3 : 1;
		if (w == 0) {
			p++;
			continue;
		}
		if (n == DENIAL_MAX_TOKENS)
			return 0;
		tok[n] = (token){ p, w };
		if (token_is(&tok[n], turns))
			return 0;
		n++;
		p += w;
	}
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		size_t s, e;
		int hit = emh_regex_search(&st->verb_word, m, tok[i].t, tok[i].n, &s, &e);
		if (hit < 0)
			return hit;
		verb[i] = (char)hit;
		denied[i] = 0;
		/* "for targeted advertising", "no personalised ads": a participle used as an adjective. */
		if (hit && tok[i].n > 2 && strncasecmp(tok[i].t + tok[i].n - 2, "ed", 2) == 0 && i > 0 && i + 1 < n &&
		    token_is(&tok[i - 1], before_adj) && token_is(&tok[i + 1], ad_nouns))
			hit = verb[i] = 0;
		if (!hit)
			continue;
		any = 1;
		size_t j = i;
		if (j > 0 && token_is(&tok[j - 1], be))
			j--;
		if (j > 0 && token_negates(&tok[j - 1]) && !(j > 1 && token_negates(&tok[j - 2])))
			denied[i] = 1;
		else if (i > 1 && token_is(&tok[i - 1], joins) && verb[i - 2] && denied[i - 2])
			denied[i] = 1;
		if (!denied[i])
			return 0;
	}
	return any;
}

/* A plain denial, or parse_uncached() through the cache of judged sentences; the dictionary is loaded here, on first need. */
static int parse_sentence(const emh_statement *st, emh_matcher *m, const char *text)
{
	int plain = plain_denial(st, m, text);
	if (plain != 0)
		return plain > 0 ? 0 : plain;
	emh_buf k = EMH_BUF_INIT;
	emh_buf_puts(&k, st->settings);
	emh_buf_puts(&k, text);
	char key[65];
	int bad = k.err || emh_sha256_hex(key, emh_buf_cstr(&k), k.len);
	emh_buf_dispose(&k);
	int rc;
	if (!bad && cache_get(key, &rc))
		return rc;
	Dictionary dict = dict_get();
	if (!dict)
		return EMH_STATEMENT_NO_DICTIONARY;
	rc = parse_uncached(st, m, dict, text);
	if (!bad && (rc == 0 || rc == 1 || rc == TOO_LONG || rc == UNPARSED))
		cache_put(key, rc);
	return rc;
}

/* ---- sentences of a document ------------------------------------------------------ */

/* The end of the sentence starting at i: after . ! ? ; followed by a space, or at a line break. */
static size_t sentence_end(const char *t, size_t len, size_t i)
{
	for (; i < len; i++) {
		if (t[i] == '\n' || t[i] == '\r')
			return i;
		if ((t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == ';') &&
		    (i + 1 == len || t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '\n' || t[i + 1] == '\r'))
			return i + 1;
	}
	return len;
}

int emh_statement_candidate(const emh_statement *st, emh_matcher *m, const char *s, size_t len)
{
	size_t s0, e0;
	int v = emh_regex_search(&st->verb_any, m, s, len, &s0, &e0);
	return v == 1 ? emh_regex_search(&st->purpose, m, s, len, &s0, &e0) : v;
}

/*
 * A sentence too long to parse is judged in pieces: it is cut after ", ", ": ",
 * "(" and ")" and the pieces are joined again, in order, up to
 * EMH_STATEMENT_CHUNK_WORDS words each; a piece is a candidate like a sentence.
 */
static int judge_pieces(const emh_statement *st, emh_matcher *m, const char *t, size_t len, emh_buf *one,
                        size_t *parses)
{
	int rc = 0;
	size_t from = 0;
	while (from < len && rc == 0) {
		size_t to, words = 0, cut = from;
		for (size_t i = from; i < len; i++) {
			if (t[i] == ' ' && i > from && t[i - 1] != ' ')
				words++;
			if (words > EMH_STATEMENT_CHUNK_WORDS) {
				if (cut == from)
					cut = i; /* no comma, colon or bracket: cut between words */
				break;   /* else the piece ends at the last cut before the limit */
			}
			if (i + 1 == len || t[i] == '(' || t[i] == ')' ||
			    ((t[i] == ',' || t[i] == ':') && i + 1 < len && t[i + 1] == ' '))
				cut = i + 1;
		}
		to = cut > from ? cut : len;
		int cand = emh_statement_candidate(st, m, t + from, to - from);
		if (cand < 0)
			return cand;
		if (cand == 1) {
			if (++*parses > EMH_STATEMENT_MAX_PARSES)
				return EMH_STATEMENT_TOO_MANY;
			emh_buf_clear(one);
			emh_buf_append(one, t + from, to - from);
			if (!emh_buf_ok(one)) /* an empty sentence would reach link-grammar, which aborts on it */
				return PCRE2_ERROR_NOMEMORY;
			rc = parse_sentence(st, m, emh_buf_cstr(one));
			if (rc == TOO_LONG)
				rc = 0;
		}
		from = to;
	}
	return rc;
}

int emh_statement_search(const emh_statement *st, emh_matcher *m, const char *text, size_t len,
                         size_t *start, size_t *end)
{
	lg_error_handler old = lg_error_set_handler(quiet_handler, NULL);
	emh_buf one = EMH_BUF_INIT;
	size_t parses = 0, u_start = 0, u_end = 0;
	int rc = 0, unjudged = 0;
	for (size_t i = 0; i < len && rc == 0;) {
		size_t e = sentence_end(text, len, i);
		size_t a = i, z = e;
		i = e > i ? e : i + 1;
		/* Leading blanks and list or heading marks are not words of the sentence. */
		while (a < z && strchr(" \t\r\n-*#>+", text[a]))
			a++;
		if (z - a < 8)
			continue;
		int cand = emh_statement_candidate(st, m, text + a, z - a);
		if (cand < 0) {
			rc = cand;
			break;
		}
		if (cand != 1)
			continue;
		emh_buf_clear(&one);
		emh_buf_append(&one, text + a, z - a);
		if (!emh_buf_ok(&one)) { /* an empty sentence would reach link-grammar, which aborts on it */
			rc = PCRE2_ERROR_NOMEMORY;
			break;
		}
		rc = ++parses > EMH_STATEMENT_MAX_PARSES ? EMH_STATEMENT_TOO_MANY : parse_sentence(st, m, emh_buf_cstr(&one));
		if (rc == TOO_LONG && !st->affirm)
			rc = judge_pieces(st, m, text + a, z - a, &one, &parses);
		if (rc == TOO_LONG || rc == UNPARSED) {
			/* "states" only: remember the first sentence not judged and go on; one stating it still decides. */
			if (!unjudged) {
				unjudged = 1;
				u_start = a;
				u_end = z;
			}
			rc = 0;
			continue;
		}
		if (rc != 0) {
			*start = a;
			*end = z;
		}
	}
	if (rc == 0 && unjudged) {
		rc = EMH_STATEMENT_UNJUDGED;
		*start = u_start;
		*end = u_end;
	}
	emh_buf_dispose(&one);
	lg_error_set_handler(old, NULL);
	return rc;
}
