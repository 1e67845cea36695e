/*
 * time: ISO 8601 timestamps.  The input is the text to parse.
 * Properties:
 *  - a reference written here (a strict grammar, its own calendar, and
 *    timegm(3) for the arithmetic) accepts exactly what ims_time_parse
 *    accepts, with the same value: never an impossible date or time,
 *    never a moment that ims_time_fmt cannot write (before year 1 or
 *    after 9999 once the zone is applied);
 *  - what is accepted, ims_time_fmt writes as YYYY-MM-DDTHH:MM:SSZ and
 *    that text parses back to the same value; ims_date_fmt is its date.
 * An input starting with 0xff is binary instead: eight bytes of a
 * moment within years 1 to 9999, written and read back.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"

#define T_MIN (-62135596800LL)	/* 0001-01-01T00:00:00Z */
#define T_MAX 253402300799LL	/* 9999-12-31T23:59:59Z */

static int
num(const char **pp, const char *e, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, (*pp)++) {
		if (*pp >= e || **pp < '0' || **pp > '9')
			return 0;
		*v = *v * 10 + (**pp - '0');
	}
	return 1;
}

static int
lit(const char **pp, const char *e, char c)
{
	if (*pp >= e || **pp != c)
		return 0;
	(*pp)++;
	return 1;
}

static int
mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m != 2)
		return d[m - 1];
	return y % 400 == 0 ? 29 : y % 100 == 0 ? 28 : y % 4 == 0 ? 29 : 28;
}

/* [:SS[.0+]] after HH:MM */
static int
seconds(const char **pp, const char *e, int *ss)
{
	*ss = 0;
	if (!lit(pp, e, ':'))
		return 1;
	if (!num(pp, e, 2, ss))
		return 0;
	if (!lit(pp, e, '.'))
		return 1;
	if (*pp >= e || **pp != '0')
		return 0;
	while (*pp < e && **pp == '0')
		(*pp)++;
	return 1;
}

/* Z or +HH:MM or -HH:MM, as seconds east of UTC. */
static int
zone(const char **pp, const char *e, long *off)
{
	int sign, hh, mm;

	if (lit(pp, e, 'Z')) {
		*off = 0;
		return 1;
	}
	if (*pp >= e || (**pp != '+' && **pp != '-'))
		return 0;
	sign = *(*pp)++ == '-' ? -1 : 1;
	if (!num(pp, e, 2, &hh) || !lit(pp, e, ':') || !num(pp, e, 2, &mm) ||
	    hh > 23 || mm > 59)
		return 0;
	*off = sign * (hh * 3600L + mm * 60L);
	return 1;
}

/* 1 and the moment, or 0. */
static int
ref_parse(const char *s, size_t n, int64_t *t)
{
	const char *p = s, *e = s + n;
	int y, mo, d, hh = 0, mi = 0, ss = 0;
	long off = 0;
	struct tm tm = { 0 };

	if (!num(&p, e, 4, &y) || !lit(&p, e, '-') || !num(&p, e, 2, &mo) ||
	    !lit(&p, e, '-') || !num(&p, e, 2, &d))
		return 0;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return 0;
	if (p < e && (!lit(&p, e, 'T') || !num(&p, e, 2, &hh) ||
	    !lit(&p, e, ':') || !num(&p, e, 2, &mi) ||
	    !seconds(&p, e, &ss) || !zone(&p, e, &off) || p != e))
		return 0;
	if (hh > 23 || mi > 59 || ss > 59)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	*t = (int64_t)timegm(&tm) - off;
	return *t >= T_MIN && *t <= T_MAX;
}

static int
fmt_ok(const char *b)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	if (strlen(b) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? b[i] < '0' || b[i] > '9' :
		    b[i] != shape[i])
			return 0;
	return 1;
}

static void
check_fmt(ims_time t)
{
	char b[IMS_TIME_BUF], d[IMS_TIME_BUF];
	const char *why;
	ims_time u = 0;

	ims_time_fmt(t, b);
	if (!fmt_ok(b))
		fuzz_fail("%lld is written %s", (long long)t, ims_q(b));
	if ((why = ims_time_parse(b, strlen(b), &u)))
		fuzz_fail("%s (%lld) does not read back: %s", b,
		    (long long)t, why);
	if (u != t)
		fuzz_fail("%s reads back as %lld, not %lld", b, (long long)u,
		    (long long)t);
	ims_date_fmt(t, d);
	if (strlen(d) != 10 || strncmp(d, b, 10) != 0)
		fuzz_fail("date of %s is %s", b, ims_q(d));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *why;
	int64_t want = 0;
	ims_time t = 0;
	int ok;

	if (size == 9 && data[0] == 0xff) {
		uint64_t v = 0;

		for (int i = 1; i < 9; i++)
			v = v << 8 | data[i];
		check_fmt(T_MIN + (int64_t)(v % (uint64_t)(T_MAX - T_MIN + 1)));
		return 0;
	}
	ok = ref_parse(s, size, &want);
	why = ims_time_parse(s, size, &t);
	if (!why && !ok)
		fuzz_fail("%s accepted as %lld; the reference rejects it",
		    ims_qn(s, size), (long long)t);
	if (why && ok)
		fuzz_fail("%s rejected (%s); it is %lld", ims_qn(s, size), why,
		    (long long)want);
	if (!why && t != want)
		fuzz_fail("%s is %lld, not %lld", ims_qn(s, size),
		    (long long)t, (long long)want);
	if (!why)
		check_fmt(t);
	return 0;
}
