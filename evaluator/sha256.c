/*
 * sha256.c - SHA-256 through OpenSSL's EVP interface, as lowercase hex.
 */
#include <openssl/evp.h>
#include "evaluator/internal.h"

int emh_sha256_hex(char hex[65], const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}
