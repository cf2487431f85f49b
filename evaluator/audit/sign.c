/*
 * sign.c - Ed25519 keys and signed statements through OpenSSL libcrypto.
 *
 * A signed dossier is an in-toto Statement v1 whose subject is the
 * submission (by SHA-256) and whose predicate is shaped like SLSA's
 * verification summary (VSA v1): the verifier is emheval, the policy is the
 * criteria commit and tree, the result is PASSED only for an approved
 * verdict, and the whole dossier rides along under an extension member.
 * The statement travels in a DSSE envelope signed over DSSE's
 * pre-authentication encoding (PAE), so in-toto and DSSE tools can read and
 * verify it without knowing emheval. Everything is printed in our canonical
 * JSON form, and Ed25519 is deterministic, so the envelope is reproducible.
 *
 * Keys are files: generated ones are written to a temporary file and
 * linked into place (emh_io_write_new_mode), which is atomic and never replaces an existing key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "emheval/io.h"
#include "evaluator/audit/audit_internal.h"
#include "evaluator/internal.h"
#include "evaluator/json.h"
#include "evaluator/dossier/canonical.h"
#include "evaluator/dossier/record.h"

#define ED25519_SIG_LEN 64u

struct emh_key {
	EVP_PKEY *pkey;
	int is_private;
	char id[65];
};

/* ---- base64 and PAE ------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void emh_audit__base64_encode(emh_buf *out, const unsigned char *d, size_t len)
{
	size_t i = 0;
	for (; i + 2 < len; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		char q[4] = { b64[v >> 18], b64[v >> 12 & 63], b64[v >> 6 & 63], b64[v & 63] };
		emh_buf_append(out, q, 4);
	}
	if (len - i == 1) {
		unsigned v = (unsigned)d[i] << 16;
		char q[4] = { b64[v >> 18], b64[v >> 12 & 63], '=', '=' };
		emh_buf_append(out, q, 4);
	} else if (len - i == 2) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;
		char q[4] = { b64[v >> 18], b64[v >> 12 & 63], b64[v >> 6 & 63], '=' };
		emh_buf_append(out, q, 4);
	}
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int emh_audit__base64_decode(unsigned char **out, size_t *outlen, const char *s, size_t len)
{
	*out = NULL;
	*outlen = 0;
	if (len % 4)
		return -1;
	unsigned char *buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < len; i += 4) {
		int last = i + 4 == len;
		int v[4];
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			if (s[i + k] == '=' && last && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			v[k] = pad ? -1 : b64_value(s[i + k]);
			if (v[k] < 0) {
				free(buf);
				return -1;
			}
		}
		if (pad == 1 && s[i + 2] == '=') { /* "x=y=" */
			free(buf);
			return -1;
		}
		unsigned bits = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
		/* Canonical only: the bits that padding leaves over must be zero. */
		if ((pad == 2 && (bits & 0xffffu)) || (pad == 1 && (bits & 0xffu))) {
			free(buf);
			return -1;
		}
		buf[n++] = (unsigned char)(bits >> 16);
		if (pad < 2)
			buf[n++] = (unsigned char)(bits >> 8 & 255);
		if (pad < 1)
			buf[n++] = (unsigned char)(bits & 255);
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

void emh_audit__pae(emh_buf *out, const char *type, const unsigned char *body, size_t len)
{
	emh_buf_appendf(out, "DSSEv1 %zu %s %zu ", strlen(type), type, len);
	emh_buf_append(out, body, len);
}

/* ---- keys ------------------------------------------------------------------ */

static void openssl_reason(char *dst, size_t size)
{
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, dst, size);
	else
		snprintf(dst, size, "unknown OpenSSL error");
	ERR_clear_error();
}

static int compute_keyid(emh_key *k)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k->pkey, &der);
	if (n <= 0)
		return -1;
	int rc = emh_sha256_hex(k->id, der, (size_t)n);
	OPENSSL_free(der);
	return rc;
}

static int pem_write(emh_buf *out, EVP_PKEY *pkey, int private_part)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return -1;
	int ok = private_part ? PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL)
	                      : PEM_write_bio_PUBKEY(bio, pkey);
	char *p = NULL;
	long n = BIO_get_mem_data(bio, &p);
	if (ok && n > 0)
		emh_buf_append(out, p, (size_t)n);
	BIO_free(bio);
	return ok && n > 0 && emh_buf_ok(out) ? 0 : -1;
}

int emh_key_generate(const char *prefix, char *keyid, emh_error *err)
{
	emh_buf keypath = EMH_BUF_INIT, pubpath = EMH_BUF_INIT, priv = EMH_BUF_INIT, pub = EMH_BUF_INIT;
	EVP_PKEY_CTX *ctx = NULL;
	emh_key k = { NULL, 1, "" };
	int rc = 0;
	struct stat st;
	emh_buf_appendf(&keypath, "%s.key", prefix);
	emh_buf_appendf(&pubpath, "%s.pub", prefix);
	if (!emh_buf_ok(&keypath) || !emh_buf_ok(&pubpath)) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	/* Refuse before making anything, so a half pair is never left behind. */
	if (lstat(keypath.ptr, &st) == 0 || lstat(pubpath.ptr, &st) == 0) {
		const char *which = lstat(keypath.ptr, &st) == 0 ? keypath.ptr : pubpath.ptr;
		rc = emh_error_set(err, EMH_EINVALID, "%s already exists; not overwriting it", which);
		emh_error_locate(err, which, 0, 0, NULL);
		goto done;
	}
	ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &k.pkey) <= 0) {
		char why[256];
		openssl_reason(why, sizeof why);
		rc = emh_error_set(err, EMH_EGENERIC, "cannot generate an Ed25519 key: %s", why);
		goto done;
	}
	if (pem_write(&priv, k.pkey, 1) || pem_write(&pub, k.pkey, 0) || compute_keyid(&k)) {
		char why[256];
		openssl_reason(why, sizeof why);
		rc = emh_error_set(err, EMH_EGENERIC, "cannot encode the key: %s", why);
		goto done;
	}
	rc = emh_io_write_new_mode(keypath.ptr, priv.ptr, priv.len, 0600, err);
	if (rc)
		goto done;
	rc = emh_io_write_new_mode(pubpath.ptr, pub.ptr, pub.len, 0644, err);
	if (rc) {
		unlink(keypath.ptr); /* ours, just made: do not leave half a pair */
		goto done;
	}
	if (keyid)
		memcpy(keyid, k.id, sizeof k.id);
done:
	if (priv.ptr)
		OPENSSL_cleanse(priv.ptr, priv.cap);
	emh_buf_dispose(&priv);
	emh_buf_dispose(&pub);
	emh_buf_dispose(&keypath);
	emh_buf_dispose(&pubpath);
	EVP_PKEY_free(k.pkey);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

/* Refuses encrypted keys rather than prompting: signing runs unattended. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int emh_key_load(emh_key **out, const char *path, emh_error *err)
{
	*out = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc = emh_audit__read_file(&text, &len, path, 1024 * 1024, err);
	if (rc)
		return rc;
	emh_key *k = calloc(1, sizeof *k);
	BIO *bio = BIO_new_mem_buf(text, (int)len);
	if (!k || !bio) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	if (strstr(text, "-----BEGIN PUBLIC KEY-----")) {
		k->pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
	} else {
		k->pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
		k->is_private = 1;
	}
	if (!k->pkey) {
		char why[256];
		openssl_reason(why, sizeof why);
		rc = emh_error_set(err, EMH_EINVALID, "not a PEM key (unencrypted PKCS#8 or public key): %s", why);
		emh_error_locate(err, path, 0, 0, NULL);
		goto done;
	}
	if (EVP_PKEY_get_id(k->pkey) != EVP_PKEY_ED25519) {
		rc = emh_error_set(err, EMH_EINVALID, "not an Ed25519 key (emheval signs with Ed25519 only)");
		emh_error_locate(err, path, 0, 0, NULL);
		goto done;
	}
	if (compute_keyid(k)) {
		rc = emh_error_set(err, EMH_EGENERIC, "cannot encode the public key");
		goto done;
	}
	*out = k;
	k = NULL;
done:
	BIO_free(bio);
	if (text)
		OPENSSL_cleanse(text, len);
	free(text);
	emh_key_free(k);
	return rc;
}

void emh_key_free(emh_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}

int emh_key_is_private(const emh_key *key) { return key->is_private; }
const char *emh_key_id(const emh_key *key) { return key->id; }

/* ---- the statement ------------------------------------------------------------ */

/* SOURCE_DATE_EPOCH as RFC 3339 UTC, or "" when unset or not a number. */
static void time_verified(char dst[32])
{
	dst[0] = '\0';
	long long v;
	if (emh_source_date_epoch(&v))
		return;
	time_t t = (time_t)v;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return;
	strftime(dst, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static cJSON *statement_tree(const emh_dossier *d)
{
	cJSON *st = cJSON_CreateObject();
	cJSON *dossier = emh_dossier_to_json(d, 1);
	if (!st || !dossier) {
		cJSON_Delete(st);
		cJSON_Delete(dossier);
		return NULL;
	}
	emh_json_put_str(st, "_type", EMH_STATEMENT_TYPE);
	cJSON *subjects = cJSON_AddArrayToObject(st, "subject");
	cJSON *subject = cJSON_CreateObject();
	cJSON_AddItemToArray(subjects, subject);
	emh_buf name = EMH_BUF_INIT;
	emh_buf_appendf(&name, "%s@%s", d->submission_id ? d->submission_id : "unknown",
	                d->app_version ? d->app_version : "unknown");
	emh_json_put_str(subject, "name", emh_buf_cstr(&name));
	cJSON *sd = cJSON_AddObjectToObject(subject, "digest");
	emh_json_put_str(sd, "sha256", d->submission_sha256);
	emh_json_put_str(st, "predicateType", EMH_PREDICATE_TYPE);

	cJSON *p = cJSON_AddObjectToObject(st, "predicate");
	cJSON *verifier = cJSON_AddObjectToObject(p, "verifier");
	emh_json_put_str(verifier, "id", "emheval");
	cJSON *ver = cJSON_AddObjectToObject(verifier, "version");
	emh_json_put_str(ver, "emheval", d->tool_version);
	char when[32];
	time_verified(when);
	if (when[0])
		emh_json_put_str(p, "timeVerified", when);
	emh_buf uri = EMH_BUF_INIT;
	emh_buf_puts(&uri, "emheval:submission/");
	emh_audit__pct_encode(&uri, d->submission_id ? d->submission_id : "");
	emh_buf_putc(&uri, '/');
	emh_audit__pct_encode(&uri, d->app_version ? d->app_version : "");
	emh_json_put_str(p, "resourceUri", emh_buf_cstr(&uri));
	cJSON *policy = cJSON_AddObjectToObject(p, "policy");
	emh_buf puri = EMH_BUF_INIT;
	/* The repository's own name when it has one: a local path means nothing elsewhere. */
	emh_buf_appendf(&puri, "git+%s#%s", d->criteria_source ? d->criteria_source
	                : d->criteria_repository ? d->criteria_repository : ".",
	                d->criteria_path ? d->criteria_path : "criteria");
	emh_json_put_str(policy, "uri", emh_buf_cstr(&puri));
	cJSON *pd = cJSON_AddObjectToObject(policy, "digest");
	emh_json_put_str(pd, "gitCommit", d->criteria_commit);
	emh_json_put_str(pd, "gitTree", d->criteria_tree);
	int passed = d->verdict == EMH_VERDICT_APPROVED;
	emh_json_put_str(p, "verificationResult", passed ? "PASSED" : "FAILED");
	cJSON *levels = cJSON_AddArrayToObject(p, "verifiedLevels");
	cJSON_AddItemToArray(levels, cJSON_CreateString(passed ? "EMHEVAL_APPROVED" : "FAILED"));
	cJSON_AddItemToObject(p, EMH_PREDICATE_DOSSIER_KEY, dossier);
	int ok = emh_buf_ok(&name) && emh_buf_ok(&uri) && emh_buf_ok(&puri);
	emh_buf_dispose(&name);
	emh_buf_dispose(&uri);
	emh_buf_dispose(&puri);
	if (!ok) {
		cJSON_Delete(st);
		return NULL;
	}
	return st;
}

int emh_statement_render(emh_buf *out, const emh_dossier *d, emh_error *err)
{
	if (!d->digest)
		return emh_error_set(err, EMH_EINVALID, "the dossier is not sealed (no digest)");
	cJSON *st = statement_tree(d);
	if (!st)
		return emh_error_set(err, EMH_EGENERIC, "out of memory");
	int rc = emh_canonical_print(out, st, 0);
	cJSON_Delete(st);
	if (rc)
		return emh_error_set(err, rc, "the statement has no canonical JSON form");
	return 0;
}

int emh_sign_dossier(emh_buf *out, const emh_dossier *d, const emh_key *key, emh_error *err)
{
	if (!key->is_private)
		return emh_error_set(err, EMH_EINVALID, "signing needs a private key, not a public one");
	emh_buf payload = EMH_BUF_INIT, pae = EMH_BUF_INIT, b = EMH_BUF_INIT;
	EVP_MD_CTX *md = NULL;
	cJSON *env = NULL;
	unsigned char sig[ED25519_SIG_LEN];
	size_t siglen = sizeof sig;
	int rc = emh_statement_render(&payload, d, err);
	if (rc)
		goto done;
	emh_audit__pae(&pae, EMH_DSSE_PAYLOAD_TYPE, (const unsigned char *)payload.ptr, payload.len);
	if (!emh_buf_ok(&pae)) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestSignInit(md, NULL, NULL, NULL, key->pkey) <= 0 ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)pae.ptr, pae.len) <= 0) {
		char why[256];
		openssl_reason(why, sizeof why);
		rc = emh_error_set(err, EMH_EGENERIC, "cannot sign: %s", why);
		goto done;
	}
	env = cJSON_CreateObject();
	emh_audit__base64_encode(&b, (const unsigned char *)payload.ptr, payload.len);
	emh_json_put_str(env, "payload", emh_buf_cstr(&b));
	emh_json_put_str(env, "payloadType", EMH_DSSE_PAYLOAD_TYPE);
	cJSON *sigs = cJSON_AddArrayToObject(env, "signatures");
	cJSON *s = cJSON_CreateObject();
	cJSON_AddItemToArray(sigs, s);
	emh_json_put_str(s, "keyid", key->id);
	emh_buf_clear(&b);
	emh_audit__base64_encode(&b, sig, siglen);
	emh_json_put_str(s, "sig", emh_buf_cstr(&b));
	if (!emh_buf_ok(&b)) {
		rc = emh_error_set(err, EMH_EGENERIC, "out of memory");
		goto done;
	}
	rc = emh_canonical_print(out, env, 1);
	if (rc)
		emh_error_set(err, rc, "cannot write the envelope");
done:
	cJSON_Delete(env);
	EVP_MD_CTX_free(md);
	emh_buf_dispose(&payload);
	emh_buf_dispose(&pae);
	emh_buf_dispose(&b);
	return rc;
}

static int verify_sig(const emh_key *key, const unsigned char *sig, size_t siglen,
                      const unsigned char *msg, size_t len);

int emh_audit__sign_text(emh_buf *sig64, const emh_key *key, const char *msg, size_t len)
{
	unsigned char sig[ED25519_SIG_LEN];
	size_t siglen = sizeof sig;
	EVP_MD_CTX *md = key->is_private ? EVP_MD_CTX_new() : NULL;
	int ok = md && EVP_DigestSignInit(md, NULL, NULL, NULL, key->pkey) > 0 &&
	         EVP_DigestSign(md, sig, &siglen, (const unsigned char *)msg, len) > 0;
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	if (ok)
		emh_audit__base64_encode(sig64, sig, siglen);
	return ok && emh_buf_ok(sig64) ? 0 : -1;
}

int emh_audit__verify_text(const emh_key *key, const char *sig64, const char *msg, size_t len)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int ok = emh_audit__base64_decode(&sig, &siglen, sig64, strlen(sig64)) == 0 &&
	         verify_sig(key, sig, siglen, (const unsigned char *)msg, len);
	free(sig);
	return ok ? 0 : 1;
}

int emh_envelope_path(char *dst, size_t size, const char *dossier_path)
{
	size_t n = strlen(dossier_path);
	int w;
	if (n > 5 && strcmp(dossier_path + n - 5, ".json") == 0)
		w = snprintf(dst, size, "%.*s.dsse.json", (int)(n - 5), dossier_path);
	else
		w = snprintf(dst, size, "%s.dsse.json", dossier_path);
	return w < 0 || (size_t)w >= size ? EMH_ELIMIT : 0;
}

/* ---- opening an envelope ------------------------------------------------------- */

static int failf(emh_envelope_info *info, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int failf(emh_envelope_info *info, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(info->why, sizeof info->why, fmt, ap);
	va_end(ap);
	return 1;
}

static const char *member_string(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int verify_sig(const emh_key *key, const unsigned char *sig, size_t siglen,
                      const unsigned char *msg, size_t len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && siglen == ED25519_SIG_LEN &&
	         EVP_DigestVerifyInit(md, NULL, NULL, NULL, key->pkey) > 0 &&
	         EVP_DigestVerify(md, sig, siglen, msg, len) == 1;
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	return ok;
}

int emh_audit__open_envelope(emh_envelope_info *info, const char *bytes, size_t len,
                             const char *label, const emh_key *key)
{
	memset(info, 0, sizeof *info);
	info->signature = EMH_CHECK_SKIPPED;
	emh_json *doc = NULL;
	emh_error perr = EMH_ERROR_INIT;
	emh_buf canon = EMH_BUF_INIT, pae = EMH_BUF_INIT;
	unsigned char *payload = NULL;
	size_t plen = 0;
	int rc = 0;
	if (emh_json_parse(&doc, bytes, len, label, NULL, &perr)) {
		char msg[1400];
		rc = failf(info, "not valid JSON: %s", emh_error_format(&perr, msg, sizeof msg));
		goto done;
	}
	const cJSON *env = emh_json_root(doc);
	if (emh_canonical_print(&canon, env, 1) || canon.len != len || memcmp(canon.ptr, bytes, len) != 0) {
		rc = failf(info, "the envelope is not in canonical form (it was edited after signing)");
		goto done;
	}
	const char *type = member_string(env, "payloadType");
	const char *p64 = member_string(env, "payload");
	const cJSON *sigs = cJSON_GetObjectItemCaseSensitive(env, "signatures");
	if (!cJSON_IsObject(env) || !type || !p64 || !cJSON_IsArray(sigs)) {
		rc = failf(info, "not a DSSE envelope (payload, payloadType and signatures are required)");
		goto done;
	}
	for (const cJSON *m = env->child; m; m = m->next)
		if (strcmp(m->string, "payload") && strcmp(m->string, "payloadType") && strcmp(m->string, "signatures")) {
			rc = failf(info, "unexpected member \"%s\" in the envelope", m->string);
			goto done;
		}
	if (strcmp(type, EMH_DSSE_PAYLOAD_TYPE) != 0) {
		rc = failf(info, "payloadType is \"%s\", expected \"" EMH_DSSE_PAYLOAD_TYPE "\"", type);
		goto done;
	}
	if (emh_audit__base64_decode(&payload, &plen, p64, strlen(p64))) {
		rc = failf(info, "the payload is not canonical base64");
		goto done;
	}
	emh_audit__pae(&pae, type, payload, plen);
	int nsig = 0, verified = 0;
	for (const cJSON *s = sigs->child; s; s = s->next, nsig++) {
		const char *keyid = member_string(s, "keyid");
		const char *sig64 = member_string(s, "sig");
		if (!cJSON_IsObject(s) || !sig64 || (cJSON_GetObjectItemCaseSensitive(s, "keyid") && !keyid)) {
			rc = failf(info, "signature %d is not an object with a string \"sig\"", nsig + 1);
			goto done;
		}
		for (const cJSON *m = s->child; m; m = m->next)
			if (strcmp(m->string, "keyid") && strcmp(m->string, "sig")) {
				rc = failf(info, "unexpected member \"%s\" in signature %d", m->string, nsig + 1);
				goto done;
			}
		if (nsig == 0 && keyid)
			snprintf(info->keyid, sizeof info->keyid, "%s", keyid);
		unsigned char *sig = NULL;
		size_t siglen = 0;
		if (emh_audit__base64_decode(&sig, &siglen, sig64, strlen(sig64))) {
			rc = failf(info, "signature %d is not canonical base64", nsig + 1);
			goto done;
		}
		/* keyid is only a hint in DSSE, but ours always names the key: one naming another key is not ours. */
		if (key && !verified && (!keyid || strcmp(keyid, key->id) == 0) &&
		    verify_sig(key, sig, siglen, (const unsigned char *)pae.ptr, pae.len))
			verified = 1;
		free(sig);
	}
	if (nsig == 0) {
		rc = failf(info, "the envelope holds no signature");
		goto done;
	}
	if (key) {
		info->signature = verified ? EMH_CHECK_OK : EMH_CHECK_FAILED;
		if (verified)
			snprintf(info->why, sizeof info->why, "Ed25519 signature by key %.16s verified", key->id);
		else
			snprintf(info->why, sizeof info->why, "no valid signature by key %.16s (%d signature%s, first by %.16s)",
			         key->id, nsig, nsig == 1 ? "" : "s", info->keyid[0] ? info->keyid : "an unnamed key");
	} else {
		snprintf(info->why, sizeof info->why, "signed by key %.16s; give --pubkey to check the signature",
		         info->keyid[0] ? info->keyid : "(unnamed)");
	}
	/* The statement: strict JSON, canonical, our types, a dossier inside. */
	emh_json *sdoc = NULL;
	if (emh_json_parse(&sdoc, (const char *)payload, plen, "payload", NULL, &perr)) {
		char msg[1400];
		rc = failf(info, "the payload is not valid JSON: %s", emh_error_format(&perr, msg, sizeof msg));
		goto done;
	}
	const cJSON *st = emh_json_root(sdoc);
	emh_buf_clear(&canon);
	int canonical = emh_canonical_print(&canon, st, 0) == 0 && canon.len == plen &&
	                memcmp(canon.ptr, payload, plen) == 0;
	info->statement = cJSON_Duplicate(st, 1);
	emh_json_free(sdoc);
	if (!info->statement) {
		rc = EMH_EGENERIC;
		goto done;
	}
	if (!canonical) {
		rc = failf(info, "the statement is not in canonical form");
		goto done;
	}
	const char *stype = member_string(info->statement, "_type");
	const char *ptype = member_string(info->statement, "predicateType");
	const cJSON *pred = cJSON_GetObjectItemCaseSensitive(info->statement, "predicate");
	if (!stype || strcmp(stype, EMH_STATEMENT_TYPE) || !ptype || strcmp(ptype, EMH_PREDICATE_TYPE) ||
	    !cJSON_IsObject(pred)) {
		rc = failf(info, "the payload is not an in-toto Statement v1 with a SLSA verification summary");
		goto done;
	}
	info->dossier = cJSON_GetObjectItemCaseSensitive(pred, EMH_PREDICATE_DOSSIER_KEY);
	if (!cJSON_IsObject(info->dossier)) {
		info->dossier = NULL;
		rc = failf(info, "the statement carries no dossier (predicate member \"" EMH_PREDICATE_DOSSIER_KEY "\")");
		goto done;
	}
	if (!emh_buf_ok(&pae))
		rc = EMH_EGENERIC;
done:
	free(payload);
	emh_buf_dispose(&canon);
	emh_buf_dispose(&pae);
	emh_json_free(doc);
	return rc;
}

void emh_audit__envelope_dispose(emh_envelope_info *info)
{
	if (!info)
		return;
	cJSON_Delete(info->statement);
	info->statement = NULL;
	info->dossier = NULL;
}

static int same_json(const cJSON *a, const cJSON *b)
{
	emh_buf x = EMH_BUF_INIT, y = EMH_BUF_INIT;
	int same = emh_canonical_print(&x, a, 0) == 0 && emh_canonical_print(&y, b, 0) == 0 &&
	           x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
	emh_buf_dispose(&x);
	emh_buf_dispose(&y);
	return same;
}

int emh_audit__statement_matches(const cJSON *st, const cJSON *dossier, char *why, size_t whysize)
{
	const cJSON *pred = cJSON_GetObjectItemCaseSensitive(st, "predicate");
	const cJSON *inner = cJSON_GetObjectItemCaseSensitive(pred, EMH_PREDICATE_DOSSIER_KEY);
	if (!inner || !same_json(inner, dossier)) {
		snprintf(why, whysize, "the signed statement carries a different dossier");
		return 1;
	}
	const cJSON *sub = cJSON_GetObjectItemCaseSensitive(dossier, "submission");
	const cJSON *cr = cJSON_GetObjectItemCaseSensitive(dossier, "criteria");
	const char *sha = member_string(sub, "sha256");
	const cJSON *subjects = cJSON_GetObjectItemCaseSensitive(st, "subject");
	const cJSON *first = cJSON_IsArray(subjects) ? subjects->child : NULL;
	const char *ssha = member_string(cJSON_GetObjectItemCaseSensitive(first, "digest"), "sha256");
	if (!first || first->next || !sha || !ssha || strcmp(sha, ssha)) {
		snprintf(why, whysize, "the statement's subject is not the dossier's submission (sha256 %.16s)",
		         sha ? sha : "?");
		return 1;
	}
	const cJSON *pd = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(pred, "policy"), "digest");
	const char *commit = member_string(cr, "commit"), *tree = member_string(cr, "tree");
	const char *gc = member_string(pd, "gitCommit"), *gt = member_string(pd, "gitTree");
	if (!commit || !tree || !gc || !gt || strcmp(commit, gc) || strcmp(tree, gt)) {
		snprintf(why, whysize, "the statement's policy digest is not the dossier's criteria commit and tree");
		return 1;
	}
	const char *verdict = member_string(dossier, "verdict");
	const char *result = member_string(pred, "verificationResult");
	const char *want = verdict && strcmp(verdict, "approved") == 0 ? "PASSED" : "FAILED";
	if (!result || strcmp(result, want)) {
		snprintf(why, whysize, "verificationResult is %s but the verdict is %s", result ? result : "missing",
		         verdict ? verdict : "missing");
		return 1;
	}
	return 0;
}

/* ---- raw signatures, for signed review decisions (reviewers.c) ------------------ */

int emh_audit__key_from_spki(emh_key **out, const char *text)
{
	*out = NULL;
	unsigned char *der = NULL;
	size_t len = 0;
	if (emh_audit__base64_decode(&der, &len, text, strlen(text)))
		return EMH_EINVALID;
	emh_key *k = calloc(1, sizeof *k);
	const unsigned char *p = der;
	if (k)
		k->pkey = d2i_PUBKEY(NULL, &p, (long)len);
	int ok = k && k->pkey && p == der + len && EVP_PKEY_get_id(k->pkey) == EVP_PKEY_ED25519 &&
	         compute_keyid(k) == 0;
	ERR_clear_error();
	free(der);
	if (!ok) {
		emh_key_free(k);
		return k ? EMH_EINVALID : EMH_EGENERIC;
	}
	*out = k;
	return 0;
}

int emh_audit__sign_bytes(emh_buf *sig64, const emh_key *key, const void *msg, size_t len, emh_error *err)
{
	if (!key->is_private)
		return emh_error_set(err, EMH_EINVALID, "signing needs a private key, not a public one");
	unsigned char sig[ED25519_SIG_LEN];
	size_t siglen = sizeof sig;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestSignInit(md, NULL, NULL, NULL, key->pkey) > 0 &&
	         EVP_DigestSign(md, sig, &siglen, msg, len) > 0;
	EVP_MD_CTX_free(md);
	if (!ok) {
		char why[256];
		openssl_reason(why, sizeof why);
		return emh_error_set(err, EMH_EGENERIC, "cannot sign: %s", why);
	}
	emh_audit__base64_encode(sig64, sig, siglen);
	return emh_buf_ok(sig64) ? 0 : emh_error_set(err, EMH_EGENERIC, "out of memory");
}

int emh_audit__verify_bytes(const emh_key *key, const char *sig64, const void *msg, size_t len)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	if (emh_audit__base64_decode(&sig, &siglen, sig64, strlen(sig64)))
		return 0;
	int ok = verify_sig(key, sig, siglen, msg, len);
	free(sig);
	return ok;
}
