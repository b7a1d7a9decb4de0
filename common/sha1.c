/*
 * sha1.c - SHA-1 (FIPS 180-4), one-shot, for pg_sha1_blob().
 *
 * Not for signatures or anything an attacker could exploit with a
 * collision: it names cache entries and salted fingerprints.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/sha1.h"

struct sha1 {
	uint32_t h[5];
	unsigned char block[64];
	size_t used;   /* bytes in block */
	uint64_t total;
};

static uint32_t rol(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_compress(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

static void sha1_update(struct sha1 *s, const unsigned char *p, size_t len)
{
	size_t n;

	s->total += len;
	if (s->used) {
		n = 64 - s->used < len ? 64 - s->used : len;
		memcpy(s->block + s->used, p, n);
		s->used += n;
		p += n;
		len -= n;
		if (s->used < 64)
			return;
		sha1_compress(s->h, s->block);
		s->used = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		sha1_compress(s->h, p);
	memcpy(s->block, p, len);
	s->used = len;
}

static void sha1_final(struct sha1 *s, unsigned char out[PG_SHA1_LEN])
{
	uint64_t bits = s->total * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
	int i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(s, pad, padlen + 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void pg_sha1_blob(unsigned char out[PG_SHA1_LEN], const void *data, size_t len)
{
	struct sha1 s = { { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 }, { 0 }, 0, 0 };
	char header[32];
	int n;

	n = snprintf(header, sizeof(header), "blob %zu", len);
	sha1_update(&s, (const unsigned char *)header, (size_t)n + 1);
	sha1_update(&s, data, len);
	sha1_final(&s, out);
}

void pg_sha1_hex(char out[PG_SHA1_HEX_LEN + 1], const unsigned char id[PG_SHA1_LEN])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < PG_SHA1_LEN; i++) {
		out[2 * i] = digits[id[i] >> 4];
		out[2 * i + 1] = digits[id[i] & 15];
	}
	out[PG_SHA1_HEX_LEN] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool pg_sha1_from_hex_byte(unsigned char *out, const char *hex)
{
	int hi, lo;

	if ((hi = hex_digit(hex[0])) < 0 || (lo = hex_digit(hex[1])) < 0)
		return false;
	*out = (unsigned char)(hi << 4 | lo);
	return true;
}

bool pg_sha1_from_hex(unsigned char out[PG_SHA1_LEN], const char *hex)
{
	size_t i;

	for (i = 0; i < PG_SHA1_LEN; i++)
		if (!pg_sha1_from_hex_byte(&out[i], hex + 2 * i))
			return false;
	return true;
}
