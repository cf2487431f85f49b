/*
 * read_floor.c - the I/O floor of the benchmark: reads every *.json file of a
 * corpus folder (byte-wise order of names) and touches each byte (FNV-1a over the
 * whole corpus), parsing nothing. No rule checker can be faster than this.
 *
 *     read_floor CORPUS_DIR
 *
 * Prints "read_floor files=N bytes=B failures=F checksum=HEX"; exit 0 when every
 * file was read. See floor.h.
 */
#include "floor.h"

static int touch_bytes(const char *bytes, size_t len, uint64_t *sum)
{
	uint64_t h = *sum;
	for (size_t k = 0; k < len; k++) {
		h ^= (unsigned char)bytes[k];
		h *= 1099511628211ULL; /* FNV-1a 64-bit prime */
	}
	*sum = h;
	return 0;
}

int main(int argc, char **argv)
{
	return floor_run(argc, argv, "read_floor", touch_bytes, 1469598103934665603ULL);
}
