/*
 * fcgen: demand histories of known structure for ims-forecast's bench.
 * Writes sku,period,qty records (every period, zeros too) of N skus over
 * P periods, the last H of them to a second file (the actuals an
 * accuracy run scores against).  Skus cycle through five structures:
 * smooth (level, small trend, noise), seasonal (smooth times a season),
 * intermittent (rare demands of steady size), lumpy (rare demands of
 * wild size) and obsolescent (intermittent, then dying out).
 *
 * usage: fcgen SKUS PERIODS HOLDOUT week|month SEED TRAIN.csv TEST.csv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rs;

static double
unif(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return ((z ^ (z >> 31)) >> 11) * (1.0 / 9007199254740992.0);
}

static double
norm(void)
{
	double u = unif(), v = unif();

	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

static int
poisson(double l)
{
	double L = exp(-l), p = 1;
	int k = 0;

	do {
		k++;
		p *= unif();
	} while (p > L);
	return k - 1;
}

/* Period t's start as a date: weeks from Monday 2022-01-03, months from
 * 2022-01. */
static void
date(int t, int monthly, char b[32])
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y = 2022, m = 0, d = 3 + 7 * t;

	if (monthly) {
		snprintf(b, 32, "%04d-%02d-01", (2022 + t / 12) % 10000,
		    t % 12 + 1);
		return;
	}
	for (;;) {
		int n = dm[m] + (m == 1 && y % 4 == 0);
		if (d <= n)
			break;
		d -= n;
		if (++m == 12)
			m = 0, y++;
	}
	/* the loop leaves d a day of month m; the modulos tell gcc so */
	snprintf(b, 32, "%04d-%02d-%02d", y % 10000, m % 12 + 1, d % 32);
}

static double
value(int kind, int t, int P, int m, const double *a)
{
	double v, s;

	switch (kind) {
	case 0:			/* smooth */
		v = a[0] + a[1] * t + a[2] * a[0] * norm();
		return v < 0 ? 0 : floor(v + 0.5);
	case 1:			/* seasonal */
		s = 1 + a[3] * sin(2 * M_PI * t / m);
		v = (a[0] + a[1] * t) * s + a[2] * a[0] * norm();
		return v < 0 ? 0 : floor(v + 0.5);
	case 2:			/* intermittent */
		return unif() < a[4] ? 1 + poisson(a[5]) : 0;
	case 3:			/* lumpy */
		return unif() < a[4] ? floor(exp(a[6] + 1.2 * norm())) + 1 : 0;
	default:		/* obsolescent: the rate falls to nothing */
		if (t >= a[7] * P)
			return unif() < a[4] * 0.05 ? 1 : 0;
		return unif() < a[4] * (1 - t / (a[7] * P)) ? 1 +
		    poisson(a[5]) : 0;
	}
}

int
main(int argc, char **argv)
{
	int N, P, H, monthly, m;
	FILE *tr, *te;
	char d[32];

	if (argc != 8) {
		fprintf(stderr, "usage: fcgen SKUS PERIODS HOLDOUT week|month "
		    "SEED TRAIN TEST\n");
		return 2;
	}
	N = atoi(argv[1]), P = atoi(argv[2]), H = atoi(argv[3]);
	monthly = strcmp(argv[4], "month") == 0;
	m = monthly ? 12 : 52;
	rs = strtoull(argv[5], NULL, 10);
	if (!(tr = fopen(argv[6], "w")) || !(te = fopen(argv[7], "w")))
		return perror("fcgen"), 1;
	fputs("sku,period,qty\n", tr);
	fputs("sku,period,qty\n", te);
	for (int i = 0; i < N; i++) {
		int kind = i % 5;
		double a[8] = { 20 + 80 * unif(), (unif() - 0.5) * 0.2,
			0.05 + 0.2 * unif(), 0.2 + 0.4 * unif(),
			0.1 + 0.3 * unif(), 1 + 4 * unif(), 1 + unif(),
			0.6 + 0.3 * unif() };
		for (int t = 0; t < P; t++) {
			date(t, monthly, d);
			fprintf(t < P - H ? tr : te, "S%06d,%s,%g\n", i, d,
			    value(kind, t, P, m, a));
		}
	}
	if (fclose(tr) || fclose(te))
		return perror("fcgen"), 1;
	return 0;
}
