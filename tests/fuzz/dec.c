/*
 * dec: exact decimals.  The first byte picks the scale (0 to 6); the
 * rest is the text to parse.  Properties:
 *  - what ims_dec_parse accepts, ims_dec_fmt writes in canonical form
 *    (no leading or trailing zeros, no "-0"), and that text parses back
 *    to the same value;
 *  - a reference written here with digit strings, never int64
 *    arithmetic, gives the exact value of any number text: whatever the
 *    parser accepts must have exactly that value, and whatever fits must
 *    be accepted (for exponent forms, when the parser's 64-bit mantissa
 *    can hold the digits and the exponent is within its +-1000).
 * With the first byte's top bit set, the input is binary instead: two
 * int64 values, formatted and parsed back, and multiplied by
 * ims_dec_mul against a 128-bit reference.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum { REF_BAD, REF_RANGE, REF_OK };

struct ref {
	int plain;		/* no exponent */
	size_t sig;		/* significant digits of the mantissa */
	long exp;		/* the exponent, capped */
	ims_dec v;
};

static size_t
run(const char *p, const char *e, const char *set)
{
	size_t n = 0;

	while (p + n < e && p[n] && strchr(set, p[n]))
		n++;
	return n;
}

/* The exponent's digits as a long, capped at a billion. */
static long
exp_value(const char *p, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++)
		if ((v = v * 10 + (p[i] - '0')) > 1000000000L)
			return 1000000000L;
	return v;
}

/* digits * 10^shift at scale units, into *v; REF_RANGE when it does not
 * fit (or is not whole). */
static int
ref_value(char *d, size_t n, long shift, int neg, ims_dec *v)
{
	static const char max[] = "9223372036854775807";
	char buf[32];
	size_t len;

	while (n > 0 && *d == '0')
		d++, n--;
	if (n == 0) {
		*v = 0;
		return REF_OK;
	}
	while (d[n - 1] == '0')
		n--, shift++;
	if (shift < 0 || (long)n + shift > 19)
		return REF_RANGE;
	len = n + shift;
	memcpy(buf, d, n);
	memset(buf + n, '0', shift);
	buf[len] = '\0';
	if (len == 19 && strcmp(buf, max) > 0)
		return REF_RANGE;
	*v = (ims_dec)strtoull(buf, NULL, 10);
	if (neg)
		*v = -*v;
	return REF_OK;
}

static int
ref_parse(const char *s, size_t n, int scale, struct ref *r)
{
	const char *p = s, *e = s + n, *ip, *fp = "", *xp = "";
	size_t in, fn = 0, xn = 0, dn;
	int neg = 0, xneg = 0, rc;
	char *d;

	if (p < e && *p == '-')
		neg = 1, p++;
	ip = p, in = run(p, e, "0123456789"), p += in;
	if (in == 0)
		return REF_BAD;
	if (p < e && *p == '.') {
		fp = ++p, fn = run(p, e, "0123456789"), p += fn;
		if (fn == 0)
			return REF_BAD;
	}
	r->plain = !(p < e && (*p == 'e' || *p == 'E'));
	if (!r->plain) {
		if (++p < e && (*p == '+' || *p == '-'))
			xneg = *p++ == '-';
		xp = p, xn = run(p, e, "0123456789"), p += xn;
		if (xn == 0)
			return REF_BAD;
	}
	if (p != e)
		return REF_BAD;
	r->exp = exp_value(xp, xn) * (xneg ? -1 : 1);
	if (!(d = malloc(in + fn + 1)))
		abort();
	memcpy(d, ip, in);
	memcpy(d + in, fp, fn);
	dn = in + fn;
	while (fn > 0 && d[in + fn - 1] == '0')
		fn--;
	r->sig = in + fn - run(d, d + in + fn, "0");
	rc = ref_value(d, dn, r->exp - (long)(dn - in) + scale, neg, &r->v);
	free(d);
	return rc;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?, not -0, within the scale */
static int
canonical(const char *s, int scale)
{
	const char *p = s + (*s == '-');
	size_t in = run(p, p + strlen(p), "0123456789"), fn;

	if (in == 0 || (in > 1 && *p == '0'))
		return 0;
	p += in;
	if (*p == '.') {
		fn = run(p + 1, p + 1 + strlen(p + 1), "0123456789");
		if (fn == 0 || (int)fn > scale || p[fn] == '0' || p[fn + 1])
			return 0;
	} else if (*p) {
		return 0;
	}
	return strcmp(s, "-0") != 0;
}

static void
check_fmt(ims_dec v, int scale)
{
	char b[IMS_DEC_BUF], c[IMS_DEC_BUF];
	const char *why;
	ims_dec w = 0;

	ims_dec_fmt(v, scale, b);
	if (!canonical(b, scale))
		fuzz_fail("%lld at scale %d is written %s", (long long)v,
		    scale, b);
	if ((why = ims_dec_parse(b, strlen(b), scale, &w)))
		fuzz_fail("%s (scale %d) does not read back: %s", b, scale,
		    why);
	if (w != v || strcmp(ims_dec_fmt(w, scale, c), b) != 0)
		fuzz_fail("%s (scale %d) reads back as %lld, not %lld", b,
		    scale, (long long)w, (long long)v);
}

static void
check_text(const char *s, size_t n, int scale)
{
	struct ref r = { 0 };
	const char *why;
	ims_dec v = 0;
	int want = ref_parse(s, n, scale, &r);
	int must = want == REF_OK && (r.plain || (r.sig <= 18 &&
	    r.exp >= -1000 && r.exp <= 1000));

	why = ims_dec_parse(s, n, scale, &v);
	if (!why && want != REF_OK)
		fuzz_fail("%s accepted at scale %d as %lld; the reference "
		    "says %s", ims_qn(s, n), scale, (long long)v,
		    want == REF_BAD ? "not a number" : "out of range");
	if (!why && v != r.v)
		fuzz_fail("%s at scale %d is %lld, not %lld", ims_qn(s, n),
		    scale, (long long)v, (long long)r.v);
	if (why && must)
		fuzz_fail("%s rejected at scale %d (%s); it is %lld",
		    ims_qn(s, n), scale, why, (long long)r.v);
	if (!why)
		check_fmt(v, scale);
}

static int64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/* a * b, rounded half away from zero to sr: 0 and *r, or 1 when the
 * result is past +-INT64_MAX. */
static int
ref_mul(ims_dec a, int sa, ims_dec b, int sb, int sr, ims_dec *r)
{
	static const int64_t p10[] = { 1, 10, 100, 1000, 10000, 100000,
		1000000, 10000000, 100000000, 1000000000 };
	__int128 p = (__int128)a * b;
	int neg = p < 0, shift = sa + sb - sr;
	unsigned __int128 u = neg ? -(unsigned __int128)p : p;

	if (shift >= 0) {
		u = (u + p10[shift] / 2) / p10[shift];
	} else {
		for (; shift < 0; shift++) {
			if (u > INT64_MAX)
				return 1;
			u *= 10;
		}
	}
	if (u > INT64_MAX)
		return 1;
	*r = neg ? -(ims_dec)u : (ims_dec)u;
	return 0;
}

static void
check_binary(const uint8_t *data, size_t size)
{
	ims_dec a, b, r = 0, want = 0;
	int sa = data[0] % 5, sb = data[0] / 5 % 5, sr, rc, wrc;

	if (size < 18)
		return;
	a = get64(data + 1);
	b = get64(data + 9);
	sr = data[17] % 5;
	if (a != INT64_MIN)
		check_fmt(a, sa);
	if (b != INT64_MIN)
		check_fmt(b, sb);
	rc = ims_dec_mul(a, sa, b, sb, sr, &r);
	wrc = ref_mul(a, sa, b, sb, sr, &want);
	if (rc != wrc || (!rc && r != want))
		fuzz_fail("%lld (scale %d) * %lld (scale %d) to scale %d: "
		    "%s %lld, want %s %lld", (long long)a, sa, (long long)b,
		    sb, sr, rc ? "overflow" : "ok", (long long)r,
		    wrc ? "overflow" : "ok", (long long)want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 0x80)
		check_binary(data, size);
	else
		check_text((const char *)data + 1, size - 1, data[0] % 7);
	return 0;
}
