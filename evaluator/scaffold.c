/*
 * scaffold.c - `emheval init DIR`: a new submission folder a vendor fills in.
 * submission.json holds every field the schema requires, a "$schema" member
 * for editors, "TODO: ..." placeholders where the vendor's answers go (the
 * loader warns about each one left, submission.c) and one evidence entry,
 * evidence/privacy-policy.md, with its real SHA-256, so the manifest's form
 * is there to copy. Nothing is overwritten: an existing submission.json or
 * placeholder document is refused; each file is written atomically and
 * submission.json last, so a scaffold cut short holds no manifest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "emheval/io.h"
#include "emheval/submission.h"
#include "evaluator/internal.h"

static const char policy[] =
	"# Privacy policy\n"
	"\n"
	"TODO: replace this file with the privacy policy users read in the app and on its website, then run\n"
	"`emheval hash` on the submission folder to record its new SHA-256 in submission.json.\n";

/* The manifest: dates and hash filled in; every other value is the vendor's to write. */
static const char manifest[] =
	"{\n"
	"  \"$schema\": \"" EMH_SUBMISSION_SCHEMA_ID "\",\n"
	"  \"schema\": \"emheval/submission/1\",\n"
	"  \"submission_date\": \"%s\",\n"
	"  \"app\": {\n"
	"    \"id\": \"TODO: a stable identifier, e.g. the bundle id\",\n"
	"    \"name\": \"TODO: the product name\",\n"
	"    \"version\": \"TODO: the version evaluated\"\n"
	"  },\n"
	"  \"risk_tier\": \"C\",\n"
	"  \"vendor\": {\n"
	"    \"company_name\": \"TODO: the legal name of the manufacturer\"\n"
	"  },\n"
	"  \"evidence\": [\n"
	"    {\n"
	"      \"kind\": \"privacy_policy\",\n"
	"      \"path\": \"evidence/privacy-policy.md\",\n"
	"      \"sha256\": \"%s\",\n"
	"      \"title\": \"TODO: the document's title\",\n"
	"      \"date\": \"%s\",\n"
	"      \"provenance\": \"vendor\"\n"
	"    }\n"
	"  ]\n"
	"}\n";

/* mkdir that accepts a folder already there (and nothing else in its place). */
static int make_dir(const char *path, emh_error *err)
{
	struct stat st;
	if (mkdir(path, 0777) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		return emh_error_set(err, EMH_EIO, "%s exists and is not a folder", path);
	return emh_error_set(err, EMH_EIO, "cannot create the folder %s: %s", path, strerror(errno));
}

/* EMH_EINVALID when something (a file, a dangling symlink) is at path. */
static int refuse_existing(const char *path, const char *what, emh_error *err)
{
	struct stat st;
	if (lstat(path, &st) == 0)
		return emh_error_set(err, EMH_EINVALID, "%s already exists: %s is not overwritten (edit it, or "
		                     "init another folder)", path, what);
	return 0;
}

int emh_submission_scaffold(const char *dir, const char *date, emh_error *err)
{
	long days;
	if (!dir || !*dir || !date || emh_date_parse(&days, date))
		return emh_error_set(err, EMH_EINVALID, "a folder and a date YYYY-MM-DD are needed");
	char json_path[4096], evidence_dir[4096], policy_path[4096];
	int n1 = snprintf(json_path, sizeof json_path, "%s/submission.json", dir);
	int n2 = snprintf(evidence_dir, sizeof evidence_dir, "%s/evidence", dir);
	int n3 = snprintf(policy_path, sizeof policy_path, "%s/evidence/privacy-policy.md", dir);
	if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n3 >= sizeof policy_path || (size_t)n1 >= sizeof json_path)
		return emh_error_set(err, EMH_EINVALID, "folder name too long");
	if (refuse_existing(json_path, "a submission", err) ||
	    refuse_existing(policy_path, "a document of the submission", err))
		return err->code;
	char hex[65], text[sizeof manifest + 160];
	emh_sha256_hex(hex, policy, sizeof policy - 1);
	int len = snprintf(text, sizeof text, manifest, date, hex, date);
	if (len < 0 || (size_t)len >= sizeof text)
		return emh_error_set(err, EMH_EGENERIC, "internal: the manifest does not fit");
	if (make_dir(dir, err) || make_dir(evidence_dir, err) ||
	    emh_io_write_atomic(policy_path, policy, sizeof policy - 1, err) ||
	    emh_io_write_atomic(json_path, text, (size_t)len, err))
		return err->code;
	return 0;
}
