/*
 * test_sha256: the FIPS 180-4 examples, a million-byte input fed in odd
 * pieces, and base64 of every tail length.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static const char *
hex(const unsigned char d[32])
{
	static char out[65];
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return out;
}

int
main(void)
{
	static char big[1000000];
	unsigned char d[32];
	struct sha256 c;
	char b64[64];
	size_t i, step;

	sha256("", 0, d);
	is_str(hex(d), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "empty");
	sha256("abc", 3, d);
	is_str(hex(d), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "abc");
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, d);
	is_str(hex(d), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1", "two blocks");
	memset(big, 'a', sizeof(big));
	sha256_init(&c);
	for (i = 0, step = 1; i < sizeof(big);
	    i += step, step = step * 2 % 997 + 1)
		sha256_update(&c, big + i,
		    i + step > sizeof(big) ? sizeof(big) - i : step);
	sha256_final(&c, d);
	is_str(hex(d), "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0", "a million a, in pieces");
	is_str(sha256_base64((const unsigned char *)"f", 1, b64),
	    "Zg==", "base64 1");
	is_str(sha256_base64((const unsigned char *)"fo", 2, b64),
	    "Zm8=", "base64 2");
	is_str(sha256_base64((const unsigned char *)"foo", 3, b64),
	    "Zm9v", "base64 3");
	is_str(sha256_base64((const unsigned char *)"foob", 4, b64),
	    "Zm9vYg==", "base64 4");
	return tap_done();
}
