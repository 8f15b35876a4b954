/*
 * sha256: SHA-256 (FIPS 180-4) for the few places that need a digest
 * without a crypto library: a Content-Security-Policy hash of an inline
 * stylesheet, stable names.  Not for secrets or signatures.
 */
#ifndef TRIAGE_SHA256_H
#define TRIAGE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes hashed so far */
	unsigned char	block[64];
	size_t		used;		/* bytes waiting in block */
};

void	 sha256_init(struct sha256 *c);
void	 sha256_update(struct sha256 *c, const void *data, size_t n);
/* Writes the 32-byte digest; c must be initialised again before reuse. */
void	 sha256_final(struct sha256 *c, unsigned char out[32]);
/* One call: the digest of data. */
void	 sha256(const void *data, size_t n, unsigned char out[32]);
/* Base64 (RFC 4648, padded) of n bytes into out, which needs
 * 4 * ((n + 2) / 3) + 1 bytes.  Returns out. */
char	*sha256_base64(const unsigned char *in, size_t n, char *out);

#endif
