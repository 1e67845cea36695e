/*
 * sha256.c: SHA-256 as FIPS 180-4 specifies it, for the journal's hash
 * chain.  Written here to keep ims free of a crypto library; the unit
 * tests hold it to the standard's test vectors.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

#include "ims.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) ((x) >> (n) | (x) << (32 - (n)))

static void
block(struct ims_sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 |
		    p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    w[i - 15] >> 3;
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
		    w[i - 2] >> 10;
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
	e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g, g = f, f = e, e = d + t1;
		d = cc, cc = b, b = a, a = t1 + t2;
	}
	c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
	c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

#if defined(__x86_64__)
/*
 * The same compression with the x86 SHA extensions, when the processor
 * has them: the hash chain then costs a few percent of posting instead
 * of a third.  The state is kept as the instructions want it: ABEF and
 * CDGH; the message schedule rolls through four registers.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static void
block_ni(struct ims_sha256 *c, const unsigned char *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
	    0x0405060700010203ULL);
	__m128i t, s0, s1, a0, a1, w[4], m;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)c->h), 0xb1);
	s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(c->h + 4)),
	    0x1b);
	s0 = _mm_alignr_epi8(t, s1, 8);
	s1 = _mm_blend_epi16(s1, t, 0xf0);
	a0 = s0, a1 = s1;
	for (int i = 0; i < 16; i++) {
		if (i < 4) {
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(p + 16 * i)), bswap);
		} else {
			t = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
			t = _mm_add_epi32(t, _mm_alignr_epi8(w[(i + 3) & 3],
			    w[(i + 2) & 3], 4));
			w[i & 3] = _mm_sha256msg2_epu32(t, w[(i + 3) & 3]);
		}
		m = _mm_add_epi32(w[i & 3],
		    _mm_loadu_si128((const __m128i *)&K[4 * i]));
		s1 = _mm_sha256rnds2_epu32(s1, s0, m);
		s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0e));
	}
	s0 = _mm_add_epi32(s0, a0);
	s1 = _mm_add_epi32(s1, a1);
	t = _mm_shuffle_epi32(s0, 0x1b);
	s1 = _mm_shuffle_epi32(s1, 0xb1);
	s0 = _mm_blend_epi16(t, s1, 0xf0);
	s1 = _mm_alignr_epi8(s1, t, 8);
	_mm_storeu_si128((__m128i *)c->h, s0);
	_mm_storeu_si128((__m128i *)(c->h + 4), s1);
}

static int
have_sha_ni(void)
{
	static int have = -1;
	unsigned a, b, cc, d;

	if (have < 0)
		have = __get_cpuid_count(7, 0, &a, &b, &cc, &d) &&
		    (b >> 29 & 1) && getenv("IMS_NO_SHA_NI") == NULL;
	return have;
}

static void
compress(struct ims_sha256 *c, const unsigned char *p)
{
	if (have_sha_ni())
		block_ni(c, p);
	else
		block(c, p);
}
#else
#define compress block
#endif

void
ims_sha256_init(struct ims_sha256 *c)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
		0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(c->h, h0, sizeof h0);
	c->len = 0;
}

void
ims_sha256_add(struct ims_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t have = c->len % 64;

	c->len += n;
	if (have) {
		size_t take = 64 - have < n ? 64 - have : n;
		memcpy(c->buf + have, p, take);
		p += take, n -= take;
		if (have + take < 64)
			return;
		compress(c, c->buf);
	}
	for (; n >= 64; p += 64, n -= 64)
		compress(c, p);
	memcpy(c->buf, p, n);
}

void
ims_sha256_end(struct ims_sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padn = (c->len % 64 < 56 ? 56 : 120) - c->len % 64;

	for (int i = 0; i < 8; i++)
		pad[padn + i] = bits >> (56 - 8 * i);
	ims_sha256_add(c, pad, padn + 8);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = c->h[i] >> (24 - 8 * j);
}

/* The hex digest of data, NUL-terminated (65 bytes). */
void
ims_sha256_hex(const void *data, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	struct ims_sha256 c;
	unsigned char d[32];

	ims_sha256_init(&c);
	ims_sha256_add(&c, data, n);
	ims_sha256_end(&c, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}
