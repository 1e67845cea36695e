/*
 * time.c: ISO 8601 timestamps.  Stored as seconds since the epoch, UTC;
 * printed as 2026-11-27T10:00:00Z, dates as 2026-11-27.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Read exactly n digits. */
static int
digits(const char **pp, const char *e, int n, int *v)
{
	const char *p = *pp;

	if (e - p < n)
		return 0;
	for (*v = 0; n > 0; n--, p++) {
		if (*p < '0' || *p > '9')
			return 0;
		*v = *v * 10 + (*p - '0');
	}
	*pp = p;
	return 1;
}

/* The zone after a time: Z or +HH:MM; NULL, or why it is not one. */
static const char *
zone(const char **pp, const char *e, int *off)
{
	const char *p = *pp;
	int hh, mm, sign;

	if (p < e && *p == 'Z') {
		*off = 0;
		*pp = p + 1;
		return NULL;
	}
	if (p == e || (*p != '+' && *p != '-'))
		return "a time needs its zone: Z or +HH:MM";
	sign = *p++ == '-' ? -1 : 1;
	if (!digits(&p, e, 2, &hh) || p == e || *p++ != ':' ||
	    !digits(&p, e, 2, &mm))
		return "bad zone offset (+HH:MM or -HH:MM)";
	if (hh > 23 || mm > 59)
		return "invalid zone offset (at most 23:59 either way)";
	*off = sign * (hh * 3600 + mm * 60);
	*pp = p;
	return NULL;
}

/* HH:MM[:SS[.000]] after the 'T'; fractional seconds must be zero, since
 * the store keeps whole seconds. */
static const char *
clock_part(const char **pp, const char *e, int *secs)
{
	const char *p = *pp;
	int hh, mm, ss = 0;

	if (!digits(&p, e, 2, &hh) || p == e || *p++ != ':' ||
	    !digits(&p, e, 2, &mm))
		return "bad time";
	if (p < e && *p == ':') {
		p++;
		if (!digits(&p, e, 2, &ss))
			return "bad time";
		if (p < e && *p == '.') {
			if (++p == e || *p < '0' || *p > '9')
				return "bad time";
			for (; p < e && *p == '0'; p++)
				;
			if (p < e && *p >= '1' && *p <= '9')
				return "fractional seconds are not kept";
		}
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return "time out of range";
	*secs = hh * 3600 + mm * 60 + ss;
	*pp = p;
	return NULL;
}

/*
 * Parse 2026-11-27 (midnight UTC) or 2026-11-27T10:00[:00][Z|+01:00].
 * A time needs its zone: a local time would be ambiguous.
 */
const char *
ims_time_parse(const char *s, size_t n, ims_time *out)
{
	const char *p = s, *e = s + n, *why;
	int y, m, d, secs = 0, off = 0;
	ims_time t;

	if (!digits(&p, e, 4, &y) || p == e || *p++ != '-' ||
	    !digits(&p, e, 2, &m) || p == e || *p++ != '-' ||
	    !digits(&p, e, 2, &d))
		return "not a date (YYYY-MM-DD)";
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || y < 1)
		return "date out of range";
	if (p < e) {
		if (*p++ != 'T')
			return "not a timestamp (YYYY-MM-DDTHH:MM:SSZ)";
		if ((why = clock_part(&p, e, &secs)))
			return why;
		if ((why = zone(&p, e, &off)))
			return why;
		if (p != e)
			return "not a timestamp (YYYY-MM-DDTHH:MM:SSZ)";
	}
	/* in UTC, it must still be a moment that ims_time_fmt can write */
	t = days_from_civil(y, m, d) * 86400 + secs - off;
	if (t < days_from_civil(1, 1, 1) * 86400 ||
	    t >= days_from_civil(10000, 1, 1) * 86400)
		return "date out of range";
	*out = t;
	return NULL;
}

/* The end of a range (--until): a bare date means the whole of that day,
 * up to its last second. */
const char *
ims_time_parse_end(const char *s, size_t n, ims_time *out)
{
	const char *why = ims_time_parse(s, n, out);

	if (!why && n == 10)
		*out += 86399;
	return why;
}

char *
ims_time_fmt(ims_time t, char *buf)
{
	int64_t days = t / 86400, secs = t % 86400;
	int y, m, d;
	char *p = buf;

	if (secs < 0)
		secs += 86400, days--;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	p = ims_put_digits(p, y, 4);
	*p++ = '-';
	p = ims_put_digits(p, m, 2);
	*p++ = '-';
	p = ims_put_digits(p, d, 2);
	*p++ = 'T';
	p = ims_put_digits(p, secs / 3600, 2);
	*p++ = ':';
	p = ims_put_digits(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = ims_put_digits(p, secs % 60, 2);
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

char *
ims_date_fmt(ims_time t, char *buf)
{
	ims_time_fmt(t, buf);
	buf[10] = '\0';
	return buf;
}

/* Now, or IMS_NOW from the environment so that tests can fix the clock;
 * IMS_TIME_NONE, with the message set, when IMS_NOW is not a time. */
ims_time
ims_now(void)
{
	const char *s = getenv("IMS_NOW"), *why;
	ims_time t;

	if (!s || !*s)
		return time(NULL);
	if ((why = ims_time_parse(s, strlen(s), &t))) {
		ims_seterr(IMS_EREJECT, "IMS_NOW %s: %s", ims_q(s), why);
		return IMS_TIME_NONE;
	}
	return t;
}
