/*
 * parse_floor.c - the parse floor of the benchmark: reads every *.json file of a
 * corpus folder (byte-wise order of names), parses it with cJSON and frees the
 * tree. A rule checker built on cJSON does at least this much work per file.
 *
 *     parse_floor CORPUS_DIR
 *
 * Prints "parse_floor files=N bytes=B failures=F checksum=HEX", where failures
 * counts unreadable or unparsable files and the checksum adds up the number of
 * top-level members of each document (so the parse cannot be optimised away);
 * exit 0 when every file parsed. See floor.h.
 */
#include <cjson/cJSON.h>
#include "floor.h"

static int touch_parse(const char *bytes, size_t len, uint64_t *sum)
{
	cJSON *doc = cJSON_ParseWithLength(bytes, len);
	if (!doc)
		return -1;
	*sum += (uint64_t)cJSON_GetArraySize(doc);
	cJSON_Delete(doc);
	return 0;
}

int main(int argc, char **argv)
{
	return floor_run(argc, argv, "parse_floor", touch_parse, 1469598103934665603ULL);
}
