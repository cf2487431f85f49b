/*
 * gate_repo.c - the gate fixtures declared in helpers.h: a criteria repository
 * built with the git CLI in a temporary folder, one per test case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define EMH_TEST_GATE_FIXTURES
#include "helpers.h"

const char fw_text[] =
	"{\n"
	"  \"name\": \"gate test\",\n"
	"  \"version\": \"1.0.0\",\n"
	"  \"effective_date\": \"2026-01-01\",\n"
	"  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
	"  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
	"              {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"safe\"}],\n"
	"  \"verdict_policy\": {\"reject\": [\"blocker\", \"major\", \"minor\"], \"condition_days\": {}},\n"
	"  \"references\": {\"REF 1\": \"One\", \"REF 2\": \"Two\"}\n"
	"}\n";

char *g_dir;   /* the test's temporary folder */
char g_repo[4200];

void setup(void)
{
	g_dir = emh_test_tmpdir();
	snprintf(g_repo, sizeof g_repo, "%s/repo", g_dir);
	ck_assert_int_eq(emh_test_sh("mkdir -p '%s/home' '%s' && cd '%s' && HOME='%s/home' git init -q .",
	                             g_dir, g_repo, g_repo, g_dir), 0);
}

void teardown(void)
{
	emh_test_rmtree(g_dir);
	free(g_dir);
	g_dir = NULL;
}

void commit(const char *msg)
{
	ck_assert_int_eq(emh_test_sh("cd '%s' && export HOME='%s/home' GIT_CONFIG_NOSYSTEM=1 && git add -A && "
	                             "git -c user.name=t -c user.email=t@t.invalid -c commit.gpgsign=false "
	                             "commit -qm '%s'", g_repo, g_dir, msg), 0);
}

void put(const char *rel, const char *text)
{
	emh_test_write(g_repo, rel, text);
}

void put_fw(const char *version, const char *more)
{
	char text[4096];
	const char *v = strstr(fw_text, "1.0.0"), *end = strrchr(fw_text, '}');
	snprintf(text, sizeof text, "%.*s%s%.*s%s\n}\n", (int)(v - fw_text), fw_text, version,
	         (int)(end - (v + 5) - 1), v + 5, more);
	put("criteria/framework.json", text);
}

void put_crit(const char *domain, const char *id, int version, const char *rest)
{
	char rel[256], text[4096];
	snprintf(rel, sizeof rel, "criteria/%s/%s.json", domain, id);
	snprintf(text, sizeof text,
	         "{\n  \"id\": \"%s\",\n  \"version\": %d,\n  \"title\": \"Title of %s\",\n"
	         "  \"domain\": \"%s\",\n  \"severity\": \"major\",\n  \"references\": [\"REF 1\"],\n"
	         "  \"fail_message\": \"It failed.\",\n  \"remediation\": \"Fix it.\",\n  %s\n}\n",
	         id, version, id, domain, rest);
	put(rel, text);
}

void base_set(void)
{
	put("criteria/framework.json", fw_text);
	put_crit("alpha", "A-1", 1, "\"check\": {\"path\": \"/n\", \"type\": \"integer\", \"ge\": 1, \"le\": 10}");
	put_crit("alpha", "A-2", 1, "\"check\": {\"evidence\": \"policy\", \"matches\": \"\\\\bretain\\\\b\", \"flags\": \"i\"}");
	put_crit("beta", "B-1", 1, "\"requires\": [\"A-1\"],\n  \"applies_when\": {\"path\": \"/kind\", \"eq\": \"x\"},\n"
	         "  \"check\": {\"path\": \"/flag\", \"eq\": true}");
}
