/*
 * dec.c: exact decimals.  A value is an int64 counting units of
 * 10^-scale; text is converted digit by digit, never through a double.
 */
#include <string.h>

#include "ims.h"

static const int64_t p10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000
};

static int
mul10(int64_t *m, int d)
{
	return __builtin_mul_overflow(*m, 10, m) ||
	    __builtin_add_overflow(*m, d, m);
}

/* Read an exponent "e-3"; returns the end, or NULL. */
static const char *
exponent(const char *p, const char *e, int *x)
{
	int neg = 0, v = 0;

	if (p < e && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p == e)
		return NULL;
	for (; p < e && *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > 1000)
			return NULL;
	*x = neg ? -v : v;
	return p;
}

/* Scale m * 10^shift exactly, or say why not. */
static const char *
rescale(int64_t *m, int shift, int scale)
{
	static char msg[64];

	for (; shift > 0; shift--)
		if (mul10(m, 0))
			return "number out of range";
	for (; shift < 0; shift++) {
		if (*m % 10 != 0) {
			snprintf(msg, sizeof msg, "more than %d decimals",
			    scale);
			return msg;
		}
		*m /= 10;
	}
	return NULL;
}

/* Decimals past the scale are an error even where the digits would also
 * overflow: "2.5000000000000000000001" has too many decimals. */
static const char *
too_precise(int decimals, int scale)
{
	static char msg[64];

	if (decimals <= scale)
		return NULL;
	snprintf(msg, sizeof msg, "more than %d decimals", scale);
	return msg;
}

/*
 * Parse "-12.5", "3", "2.50e1" into units of 10^-scale.  Trailing zeros
 * of a fraction are free; any other digit past the scale is an error, as
 * is a value past the int64 range.  Returns NULL or why the text is bad.
 */
const char *
ims_dec_parse(const char *s, size_t n, int scale, ims_dec *out)
{
	const char *p = s, *e = s + n, *why;
	int64_t m = 0;
	int neg = 0, exp10 = 0, pend = 0, digits = 0, x = 0, big = 0;
	int fd = 0, last = 0;

	if (p < e && *p == '-')
		neg = 1, p++;
	for (; p < e && *p >= '0' && *p <= '9'; p++, digits++)
		if (mul10(&m, *p - '0'))
			return "number out of range";
	if (p < e && *p == '.') {
		if (!digits || ++p == e || *p < '0' || *p > '9')
			return "not a number";
		for (; p < e && *p >= '0' && *p <= '9'; p++) {
			fd++;
			if (*p == '0') {
				pend++;
				continue;
			}
			last = fd;
			for (; pend >= 0 && !big; pend--, exp10--)
				big = mul10(&m, pend ? 0 : *p - '0');
			pend = 0;
		}
	}
	if (!digits)
		return "not a number";
	if (p < e && (*p == 'e' || *p == 'E')) {
		if (!(p = exponent(p + 1, e, &x)))
			return "not a number";
		exp10 += x;
	}
	if (p != e)
		return "not a number";
	if (big)
		return (why = too_precise(last - x, scale)) ? why :
		    "number out of range";
	if ((why = rescale(&m, exp10 + scale, scale)))
		return why;
	*out = neg ? -m : m;
	return NULL;
}

/* Write v's digits, at least width of them, at p; returns the end.
 * By hand: snprintf was a seventh of the cost of posting a receipt. */
char *
ims_put_digits(char *p, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v || n < width);
	while (n > 0)
		*p++ = tmp[--n];
	*p = '\0';
	return p;
}

/* Format without trailing zeros: 24, 2.5, -0.125. */
char *
ims_dec_fmt(ims_dec v, int scale, char *buf)
{
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	uint64_t fp = u % p10[scale];
	char *p = buf;

	if (v < 0)
		*p++ = '-';
	p = ims_put_digits(p, u / p10[scale], 1);
	if (fp) {
		*p++ = '.';
		p = ims_put_digits(p, fp, scale);
		while (p[-1] == '0')
			*--p = '\0';
	}
	return buf;
}

/* Returns nonzero on overflow. */
int
ims_dec_add(ims_dec a, ims_dec b, ims_dec *r)
{
	return __builtin_add_overflow(a, b, r);
}

int
ims_dec_sub(ims_dec a, ims_dec b, ims_dec *r)
{
	return __builtin_sub_overflow(a, b, r);
}

/* a (scale sa) times b (scale sb), rounded half away from zero to scale
 * sr.  Returns nonzero on overflow. */
int
ims_dec_mul(ims_dec a, int sa, ims_dec b, int sb, int sr, ims_dec *r)
{
	__int128 p = (__int128)a * b;
	int shift = sa + sb - sr;

	if (shift > 0) {
		__int128 d = p10[shift], q = p / d, rem = p % d;

		if (rem * 2 >= d)
			q++;
		else if (rem * 2 <= -d)
			q--;
		p = q;
	} else {
		/* stop once past the range: p * 10 could overflow __int128 */
		for (; shift < 0 && p <= INT64_MAX && p >= -INT64_MAX; shift++)
			p *= 10;
	}
	if (p > INT64_MAX || p < -INT64_MAX)
		return 1;
	*r = (ims_dec)p;
	return 0;
}

/* Format a wide sum exactly, like ims_dec_fmt: a total of many 64-bit
 * figures needs up to 128 bits, and is never cut or wrapped. */
char *
ims_wide_fmt(ims_wide v, int scale, char *buf)
{
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v :
	    (unsigned __int128)v;
	uint64_t fp = (uint64_t)(u % p10[scale]);
	char tmp[IMS_DEC128_BUF], *p = buf;
	int n = 0;

	if (v < 0)
		*p++ = '-';
	u /= p10[scale];
	do {
		tmp[n++] = '0' + (int)(u % 10);
		u /= 10;
	} while (u);
	while (n > 0)
		*p++ = tmp[--n];
	*p = '\0';
	if (fp) {
		*p++ = '.';
		p = ims_put_digits(p, fp, scale);
		while (p[-1] == '0')
			*--p = '\0';
	}
	return buf;
}

/* The value of a quantity at a unit cost: qty (3 places) times cost (4
 * places), rounded half away from zero to money's 4 places.  Returns
 * nonzero when the value does not fit. */
int
ims_value(ims_dec qty, ims_dec unit_cost, ims_dec *value)
{
	return ims_dec_mul(qty, IMS_QTY, unit_cost, IMS_MONEY, IMS_MONEY,
	    value);
}

/*
 * a (scale sa) divided by b (scale sb), to scale sr, rounded half to
 * even, as averages want (an average cost is a total value over a total
 * quantity: neither rounding up nor down on the whole drifts).  Returns
 * nonzero on division by zero or when the result does not fit.
 */
int
ims_dec_div(ims_wide a, int sa, ims_wide b, int sb, int sr, ims_dec *r)
{
	int shift = sr + sb - sa;
	ims_wide q, rem, twice;

	if (b == 0 || shift > 18 || shift < -18)
		return 1;
	if (b < 0)
		a = -a, b = -b;
	for (; shift > 0; shift--) {
		if (a >= (ims_wide)1 << 122 || a <= -((ims_wide)1 << 122))
			return 1;	/* a * 10 would not fit */
		a *= 10;
	}
	for (; shift < 0; shift++) {
		if (b >= (ims_wide)1 << 122)
			return 1;
		b *= 10;
	}
	q = a / b;
	rem = a % b;
	twice = rem < 0 ? -2 * rem : 2 * rem;
	if (twice > b || (twice == b && (q & 1)))
		q += a < 0 ? -1 : 1;
	if (q > INT64_MAX || q < -INT64_MAX)
		return 1;
	*r = (ims_dec)q;
	return 0;
}
