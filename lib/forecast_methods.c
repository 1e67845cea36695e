/*
 * forecast_methods.c: the forecasting methods, one function each, and
 * their table.  A method reads a series y[0..n-1] and its parameters and
 * writes its one-step-ahead in-sample forecasts (fit[t] is what it would
 * have said of y[t] knowing y[0..t-1]; NAN where it says nothing) and h
 * forecasts beyond the end.  Doubles inside: a forecast is an estimate,
 * and lib/forecast.c rounds what it prints.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static void
put(double *fc, int h, double v)
{
	for (int j = 0; j < h; j++)
		fc[j] = v;
}

static void
naive(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	(void)p;
	fit[0] = NAN;
	for (int t = 1; t < in->n; t++)
		fit[t] = in->y[t - 1];
	put(fc, h, in->y[in->n - 1]);
}

static void
snaive(const struct ims_fc_in *in, const double *p, double *fit,
    double *fc, int h)
{
	int m = in->m, n = in->n;

	(void)p;
	for (int t = 0; t < n; t++)
		fit[t] = t < m ? NAN : in->y[t - m];
	for (int j = 0; j < h; j++)
		fc[j] = in->y[n - m + j % m];
}

static void
mean(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	double s = 0;

	(void)p;
	for (int t = 0; t < in->n; t++) {
		fit[t] = t ? s / t : NAN;
		s += in->y[t];
	}
	put(fc, h, s / in->n);
}

/* The mean of the last k periods (fewer at the start). */
static void
sma(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	int k = (int)p[0], n = in->n;
	double s = 0;

	for (int t = 0; t < n; t++) {
		fit[t] = t < k ? NAN : s / k;
		s += in->y[t];
		if (t >= k)
			s -= in->y[t - k];
	}
	put(fc, h, s / (n < k ? n : k));
}

/* Simple exponential smoothing from l0 = y[0], as R's ses(initial =
 * "simple"): the first fit is y[0] itself. */
static double
ses_run(const double *y, int n, double a, double *fit)
{
	double l = y[0];

	for (int t = 0; t < n; t++) {
		if (fit)
			fit[t] = l;
		l += a * (y[t] - l);
	}
	return l;
}

static void
ses(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	put(fc, h, ses_run(in->y, in->n, p[0], fit));
}

/* Holt's linear trend with damping phi; l0 = y[0], b0 = y[1] - y[0]. */
static void
holt(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	double a = p[0], b = p[1], phi = p[2];
	double l = in->y[0], tr = in->n > 1 ? in->y[1] - in->y[0] : 0, d;

	for (int t = 0; t < in->n; t++) {
		double prev = l;
		fit[t] = l + phi * tr;
		l = a * in->y[t] + (1 - a) * (l + phi * tr);
		tr = b * (l - prev) + (1 - b) * phi * tr;
	}
	d = 0;
	for (int j = 0, f = 1; j < h; j++, f++) {
		d += pow(phi, f);
		fc[j] = l + d * tr;
	}
}

/*
 * Holt-Winters, additive (mul 0) or multiplicative (mul 1), season m, as
 * R's HoltWinters-style start: l0 the mean of the first season, b0 the
 * difference of the first two seasons' means over m, s0 the first
 * season's differences from (ratios to) l0; the filter runs from y[0].
 */
static void
hw(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h, int mul)
{
	int m = in->m, n = in->n;
	double a = p[0], b = p[1], g = p[2], l = 0, tr = 0, *s = in->work;

	for (int i = 0; i < m; i++)
		l += in->y[i] / m, tr += in->y[m + i] / m;
	tr = (tr - l) / m;
	for (int i = 0; i < m; i++)
		s[i] = mul ? in->y[i] / l : in->y[i] - l;
	for (int t = 0; t < n; t++) {
		double st = s[t % m], prev = l, y = in->y[t];
		fit[t] = mul ? (l + tr) * st : l + tr + st;
		l = a * (mul ? y / st : y - st) + (1 - a) * (l + tr);
		tr = b * (l - prev) + (1 - b) * tr;
		s[t % m] = g * (mul ? y / l : y - l) + (1 - g) * st;
	}
	for (int j = 0; j < h; j++) {
		double st = s[(n + j) % m];
		fc[j] = mul ? (l + (j + 1) * tr) * st : l + (j + 1) * tr + st;
	}
}

static void
hw_add(const struct ims_fc_in *in, const double *p, double *fit,
    double *fc, int h)
{
	hw(in, p, fit, fc, h, 0);
}

static void
hw_mul(const struct ims_fc_in *in, const double *p, double *fit,
    double *fc, int h)
{
	hw(in, p, fit, fc, h, 1);
}

/*
 * Croston's method as R's forecast::croston(): sizes z and intervals q
 * (the first from the start of the series) smoothed by SES from the first
 * of each; the forecast is z / q, times k (1 for Croston, 1 - a/2 for
 * SBA).  Before any demand the forecast is 0 (R: NA for the fits, 0 for
 * a series without demand).
 */
static void
croston_k(const struct ims_fc_in *in, double a, double k, double *fit,
    double *fc, int h)
{
	double z = 0, q = 0;
	int nz = 0, last = -1;

	for (int t = 0; t < in->n; t++) {
		/* R's fits: one demand alone gives z / q unsmoothed */
		fit[t] = nz == 0 ? NAN : nz == 1 ? z / q : k * z / q;
		if (in->y[t] <= 0)
			continue;
		if (nz++ == 0) {
			z = in->y[t];
			q = t + 1;
		} else {
			z += a * (in->y[t] - z);
			q += a * (t - last - q);
		}
		last = t;
	}
	put(fc, h, nz == 0 ? 0 : nz == 1 ? z / q : k * z / q);
}

static void
croston(const struct ims_fc_in *in, const double *p, double *fit,
    double *fc, int h)
{
	croston_k(in, p[0], 1, fit, fc, h);
}

static void
sba(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	croston_k(in, p[0], 1 - p[0] / 2, fit, fc, h);
}

/*
 * TSB (Teunter, Syntetos and Babai): the probability of a demand is
 * smoothed every period (by b), the size when there is one (by a); the
 * forecast is their product.  Starts from the first demand's size and
 * the share of periods up to it that had one (1 / its position).
 */
static void
tsb(const struct ims_fc_in *in, const double *p, double *fit, double *fc,
    int h)
{
	double a = p[0], b = p[1], z = 0, pr = 0;
	int seen = 0;

	for (int t = 0; t < in->n; t++) {
		double y = in->y[t];
		fit[t] = seen ? pr * z : NAN;
		if (!seen && y > 0) {
			seen = 1;
			z = y;
			pr = 1.0 / (t + 1);
		} else if (seen) {
			pr += b * ((y > 0) - pr);
			if (y > 0)
				z += a * (y - z);
		}
	}
	put(fc, h, pr * z);
}

/* The mean interval between demands, rounded, at least 1: ADIDA's and
 * IMAPA's bucket. */
int
ims_fc_bucket(const double *y, int n)
{
	int k = 0, first = -1, last = -1;

	for (int t = 0; t < n; t++)
		if (y[t] > 0) {
			if (first < 0)
				first = t;
			last = t;
			k++;
		}
	if (k < 2)
		return 1;
	return (int)floor((double)(last - first) / (k - 1) + 0.5);
}

/*
 * SES over non-overlapping buckets of a periods, counted back from the
 * end (a partial bucket at the start is dropped), l0 the first bucket;
 * each period's share is the level over a.  Writes fit when given;
 * returns the final share, and the in-sample mean squared error of the
 * per-period shares through *mse when asked.
 */
static double
agg_ses(const double *y, int n, int a, double alpha, double *fit,
    double *mse)
{
	int off = n % a, nb = n / a;
	double l = 0, sse = 0;
	int cnt = 0;

	if (fit)
		for (int t = 0; t < off; t++)
			fit[t] = NAN;
	for (int b = 0; b < nb; b++) {
		double s = 0;
		for (int t = off + b * a; t < off + (b + 1) * a; t++)
			s += y[t];
		if (b == 0)
			l = s;
		for (int t = off + b * a; t < off + (b + 1) * a; t++) {
			double f = l / a;
			if (fit)
				fit[t] = f;
			sse += (y[t] - f) * (y[t] - f);
			cnt++;
		}
		l += alpha * (s - l);
	}
	if (mse)
		*mse = cnt ? sse / cnt : 0;
	return nb ? l / a : 0;
}

static void
adida(const struct ims_fc_in *in, const double *p, double *fit,
    double *fc, int h)
{
	int a = ims_fc_bucket(in->y, in->n);

	if (a > in->n)
		a = in->n;
	put(fc, h, agg_ses(in->y, in->n, a, p[0], fit, NULL));
}

/* The sums and sums of squares of y in buckets of a, counted back from
 * the end; the number of buckets. */
static int
buckets(const double *y, int n, int a, double *S, double *Q)
{
	int off = n % a, nb = n / a;

	for (int b = 0; b < nb; b++) {
		S[b] = Q[b] = 0;
		for (int t = off + b * a; t < off + (b + 1) * a; t++)
			S[b] += y[t], Q[b] += y[t] * y[t];
	}
	return nb;
}

/* agg_ses's in-sample mean squared error from the bucket sums: a
 * bucket's periods each missed by y - l/a, summed as Q - 2 S l/a +
 * l^2/a. */
static double
bucket_mse(const double *S, const double *Q, int nb, int a, double alpha)
{
	double l = nb ? S[0] : 0, sse = 0;

	for (int b = 0; b < nb; b++) {
		sse += Q[b] - 2 * S[b] * l / a + l * l / a;
		l += alpha * (S[b] - l);
	}
	return nb ? sse / (nb * a) : 0;
}

/* IMAPA's alpha at one level: the best of 0.1, 0.2, ... 0.9 by
 * in-sample error. */
static double
imapa_alpha(const double *y, int n, int a, double *S, double *Q)
{
	double best = INFINITY, ba = 0.1;
	int nb = buckets(y, n, a, S, Q);

	for (int i = 1; i <= 9; i++) {
		double mse = bucket_mse(S, Q, nb, a, i / 10.0);
		if (mse < best)
			best = mse, ba = i / 10.0;
	}
	return ba;
}

/*
 * IMAPA: the mean of SES forecasts over every bucket size from 1 to
 * ADIDA's, each level's alpha fitted on its own (a grid of 0.1 steps).
 */
static void
imapa(const struct ims_fc_in *in, const double *p, double *fit,
    double *fc, int h)
{
	int top = ims_fc_bucket(in->y, in->n), n = in->n;
	double f = 0, *lf = in->work;

	(void)p;
	if (top > n)
		top = n;
	for (int t = 0; t < n; t++)
		fit[t] = 0;
	for (int a = 1; a <= top; a++) {
		f += agg_ses(in->y, n, a, imapa_alpha(in->y, n, a, lf + n,
		    lf + 2 * n), lf, NULL);
		for (int t = 0; t < n; t++)
			fit[t] += lf[t] / top;
	}
	put(fc, h, f / top);
}

/* Can the method run on this series at all? */
static int
any(const struct ims_fc_in *in)
{
	return in->n >= 1;
}

static int
two(const struct ims_fc_in *in)
{
	return in->n >= 2;
}

static int
season(const struct ims_fc_in *in)
{
	return in->m >= 2 && in->n >= in->m;
}

static int
seasons(const struct ims_fc_in *in)
{
	return in->m >= 2 && in->n >= 2 * in->m;
}

static int
seasons_pos(const struct ims_fc_in *in)
{
	if (!seasons(in))
		return 0;
	for (int t = 0; t < in->n; t++)
		if (in->y[t] <= 0)
			return 0;
	return 1;
}

#define C(x) (1u << IMS_FC_##x)
#define ALL (C(SHORT) | C(SMOOTH) | C(ERRATIC) | C(INTERMITTENT) | C(LUMPY))
#define CONT (C(SMOOTH) | C(ERRATIC))
#define INTER (C(INTERMITTENT) | C(LUMPY))

#define L3 1e-4, 1e-4, 1e-4

/* The methods: a row each.  Ranges are where the parameters are fitted;
 * the spread says how the error grows with the horizon. */
const struct ims_fc_method ims_fc_methods[] = {
	{ "naive", ALL, 0, { 0 }, { 0 }, { 0 }, IMS_FC_WALK, any, naive },
	{ "snaive", CONT, 0, { 0 }, { 0 }, { 0 }, IMS_FC_SEASON, season,
	  snaive },
	{ "mean", ALL, 0, { 0 }, { 0 }, { 0 }, IMS_FC_FLAT, any, mean },
	{ "sma", ALL, 1, { "n" }, { 2 }, { 13 }, IMS_FC_FLAT, two, sma },
	{ "ses", ALL, 1, { "alpha" }, { 0 }, { 1 }, IMS_FC_LEVEL,
	  any, ses },
	{ "holt", CONT, 3, { "alpha", "beta", "phi" }, { 1e-4, 1e-4, 0.8 },
	  { 0.9999, 0.9999, 1 }, IMS_FC_TREND, two, holt },
	{ "hw-add", CONT, 3, { "alpha", "beta", "gamma" }, { L3 },
	  { 0.9999, 0.9999, 0.9999 }, IMS_FC_TREND, seasons, hw_add },
	{ "hw-mul", CONT, 3, { "alpha", "beta", "gamma" }, { L3 },
	  { 0.9999, 0.9999, 0.9999 }, IMS_FC_TREND, seasons_pos, hw_mul },
	{ "croston", INTER, 1, { "alpha" }, { 0.01 }, { 0.5 }, IMS_FC_LEVEL,
	  any, croston },
	{ "sba", INTER, 1, { "alpha" }, { 0.01 }, { 0.5 }, IMS_FC_LEVEL, any,
	  sba },
	{ "tsb", INTER, 2, { "alpha", "beta" }, { 0.01, 0.01 }, { 0.5, 0.5 },
	  IMS_FC_LEVEL, any, tsb },
	{ "adida", INTER, 1, { "alpha" }, { 1e-4 }, { 0.9999 },
	  IMS_FC_LEVEL, any, adida },
	{ "imapa", INTER, 0, { 0 }, { 0 }, { 0 }, IMS_FC_LEVEL, any, imapa },
	{ 0 }
};

const struct ims_fc_method *
ims_fc_method_find(const char *name)
{
	for (const struct ims_fc_method *m = ims_fc_methods; m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}
