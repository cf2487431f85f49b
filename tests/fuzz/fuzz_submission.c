/*
 * fuzz_submission.c - bytes as submission.json: strict parsing with
 * positions and limits (evaluator/json.c, submission.c). Every value's
 * position must be found again, and pointers resolve without crashing.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "evaluator/submission_internal.h"

/* Locates every node of the tree (pre-order, explicit stack). */
static void locate_all(const emh_json *doc, const cJSON *root)
{
	const cJSON *stack[1100];
	size_t top = 0, visited = 0;
	if (!root)
		return;
	stack[top++] = root;
	while (top && visited < 20000) {
		const cJSON *n = stack[--top];
		unsigned line = 0, col = 0;
		size_t off = 0;
		visited++;
		if (emh_json_locate(doc, n, &line, &col, &off) != 0 || line == 0 || col == 0)
			emh_fuzz_fail("a parsed value cannot be located", NULL);
		if (n->next && top < sizeof stack / sizeof stack[0])
			stack[top++] = n->next;
		if (n->child && top < sizeof stack / sizeof stack[0])
			stack[top++] = n->child;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	o.max_depth = size && (data[0] & 1) ? 1000 : 0;
	o.validation = size && (data[0] & 2) ? EMH_VALIDATE_FRAGMENT : EMH_VALIDATE_FULL; /* both validators */
	int rc = emh_submission_load_buffer(&s, (const char *)data, size, "submission.json", &o, &err);
	if (rc == 0) {
		if (strlen(emh_submission_sha256(s)) != 64)
			emh_fuzz_fail("no SHA-256 for a loaded submission", NULL);
		locate_all(s->doc, s->root);
		static const char *const ptrs[] = { "", "/app/id", "/evidence/0/path", "/a~1b/~0", "/0", "/-",
		                                    "/app/functions/00" };
		for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
			(void)emh_json_resolve(s->doc, ptrs[i]);
	} else if (rc != EMH_EINVALID && rc != EMH_ELIMIT) {
		emh_fuzz_fail("unexpected error code", &err);
	} else if (err.message[0] == '\0') {
		emh_fuzz_fail("an error without a message", &err);
	}
	emh_submission_free(s);
	return 0;
}
