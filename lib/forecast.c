/*
 * forecast.c: one sku's forecast.  Periods and the classes of demand;
 * parameters fitted by least squares of the one-step errors; a rolling-
 * origin backtest over the last periods; auto's choice among the methods
 * that suit the class, and a combination of the best two when it
 * backtests better; intervals from the method's own errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

const char *const ims_fc_class_names[IMS_FC_NCLASS] = { "short", "smooth",
	"erratic", "intermittent", "lumpy" };

/* --- periods: days, weeks from Monday, months; UTC ------------------ */

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The period holding t, as a count from the epoch's. */
int64_t
ims_period_of(ims_time t, int per)
{
	int64_t d = floordiv(t, 86400);
	char b[IMS_TIME_BUF];

	if (per == IMS_PER_DAY)
		return d;
	if (per == IMS_PER_WEEK)	/* 1970-01-01 was a Thursday */
		return floordiv(d + 3, 7);
	ims_date_fmt(t, b);
	return atoi(b) * 12 + atoi(b + 5) - 1;
}

ims_time
ims_period_start(int64_t p, int per)
{
	char b[16];
	ims_time t;

	if (per == IMS_PER_DAY)
		return p * 86400;
	if (per == IMS_PER_WEEK)
		return (p * 7 - 3) * 86400;
	snprintf(b, sizeof b, "%04d-%02d-01", (int)(p / 12),
	    (int)(p % 12) + 1);
	if (ims_time_parse(b, strlen(b), &t))
		return IMS_TIME_NONE;
	return t;
}

/* Days in a period: a month is the Gregorian year's twelfth. */
double
ims_period_days(int per)
{
	return per == IMS_PER_DAY ? 1 : per == IMS_PER_WEEK ? 7 :
	    365.2425 / 12;
}

/* --- classes ---------------------------------------------------------- */

/*
 * Syntetos-Boylan: ADI, the periods per demand (n over the periods with
 * one), and CV², the squared coefficient of variation of the non-zero
 * demands; cut at 1.32 and 0.49.  Fewer than two demands: too short.
 */
int
ims_fc_classify(const double *y, int n, double *adi, double *cv2)
{
	double s = 0, ss = 0, mu;
	int k = 0;

	for (int t = 0; t < n; t++)
		if (y[t] > 0)
			k++, s += y[t];
	*adi = k ? (double)n / k : NAN;
	*cv2 = NAN;
	if (k < 2)
		return IMS_FC_SHORT;
	mu = s / k;
	for (int t = 0; t < n; t++)
		if (y[t] > 0)
			ss += (y[t] - mu) * (y[t] - mu);
	*cv2 = ss / k / (mu * mu);
	if (*adi < 1.32)
		return *cv2 < 0.49 ? IMS_FC_SMOOTH : IMS_FC_ERRATIC;
	return *cv2 < 0.49 ? IMS_FC_INTERMITTENT : IMS_FC_LUMPY;
}

/* --- the workspace: arrays that grow to the longest series ----------- */

#define NMETH 16
struct ims_fc_ws {
	int cap, ecap;
	double *fit, *fc, *work, *res, *sf, *sfc;
	double *bt[NMETH];		/* each method's backtest forecasts */
	double *act;			/* what they forecast */
};

struct ims_fc_ws *
ims_fc_ws_new(void)
{
	return calloc(1, sizeof(struct ims_fc_ws));
}

void
ims_fc_ws_free(struct ims_fc_ws *w)
{
	if (!w)
		return;
	free(w->fit), free(w->fc), free(w->work), free(w->res);
	free(w->sf), free(w->sfc);
	for (int i = 0; i < NMETH; i++)
		free(w->bt[i]);
	free(w->act);
	free(w);
}

static double *
grow(double *p, int n)
{
	double *q = realloc(p, (size_t)n * sizeof *q);

	if (!q) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	return q;
}

static void
ws_fit(struct ims_fc_ws *w, int n, int m, int h, int nerr)
{
	int need = 3 * n + m + h + nerr + IMS_FC_MAXH + 2;

	if (need > w->cap) {
		w->cap = need * 2;
		w->fit = grow(w->fit, w->cap);
		w->fc = grow(w->fc, w->cap);
		w->work = grow(w->work, w->cap);
		w->res = grow(w->res, w->cap);
		w->sf = grow(w->sf, w->cap);
		w->sfc = grow(w->sfc, w->cap);
	}
	if (nerr > w->ecap) {
		w->ecap = nerr * 2;
		for (int i = 0; i < NMETH; i++)
			w->bt[i] = grow(w->bt[i], w->ecap);
		w->act = grow(w->act, w->ecap);
	}
}

/* --- fitting ---------------------------------------------------------- */

/* The in-sample mean squared one-step error of a method's run. */
static double
mse(const struct ims_fc_method *me, const struct ims_fc_in *in,
    const double *par, double *fit)
{
	double s = 0;
	int k = 0;

	me->run(in, par, fit, NULL, 0);
	for (int t = 0; t < in->n; t++)
		if (isfinite(fit[t])) {
			double e = in->y[t] - fit[t];
			s += e * e, k++;
		}
	return k && isfinite(s) ? s / k : INFINITY;
}

struct fitter {
	const struct ims_fc_method *me;
	const struct ims_fc_in *in;
	double *fit;
	double par[IMS_FC_MAXPAR];
	int free_[IMS_FC_MAXPAR], nfree;
};

/* The objective at par with the free parameters set from x (clamped to
 * their range). */
static double
obj(struct fitter *f, const double *x)
{
	for (int i = 0; i < f->nfree; i++) {
		int j = f->free_[i];
		double v = x[i];
		f->par[j] = v < f->me->lo[j] ? f->me->lo[j] :
		    v > f->me->hi[j] ? f->me->hi[j] : v;
	}
	return mse(f->me, f->in, f->par, f->fit);
}

/* One parameter: a grid of 12, then golden sections around the best;
 * the grid's best if they end higher. */
static void
fit1(struct fitter *f)
{
	const double g = (sqrt(5) - 1) / 2;
	int j = f->free_[0], bi = 0;
	double lo = f->me->lo[j], hi = f->me->hi[j], st = (hi - lo) / 11;
	double best = INFINITY, a, b, c, d, fc, fd;

	for (int i = 0; i < 12; i++) {
		double x = lo + i * st, v = obj(f, &x);
		if (v < best)
			best = v, bi = i;
	}
	a = bi ? lo + (bi - 1) * st : lo;
	b = bi < 11 ? lo + (bi + 1) * st : hi;
	c = b - g * (b - a), d = a + g * (b - a);
	fc = obj(f, &c), fd = obj(f, &d);
	while (b - a > 1e-7) {
		if (fc < fd)
			b = d, d = c, fd = fc, c = b - g * (b - a),
			fc = obj(f, &c);
		else
			a = c, c = d, fc = fd, d = a + g * (b - a),
			fd = obj(f, &d);
	}
	/* a bracket's local minimum may be above a grid point, at a bound
	 * say: then the grid point */
	a = (a + b) / 2;
	if (obj(f, &a) > best) {
		a = lo + bi * st;
		obj(f, &a);
	}
}

/* An integer parameter: every value in its range the series allows. */
static void
fit_int(struct fitter *f)
{
	int j = f->free_[0], top = (int)f->me->hi[j];
	double best = INFINITY, bx = f->me->lo[j];

	if (top > f->in->n - 1)
		top = f->in->n - 1;
	for (int k = (int)f->me->lo[j]; k <= top; k++) {
		double x = k, v = obj(f, &x);
		if (v < best)
			best = v, bx = x;
	}
	obj(f, &bx);
}

static double
start_of(const char *name)
{
	return strcmp(name, "alpha") == 0 ? 0.3 : strcmp(name, "phi") == 0 ?
	    0.9 : 0.05;
}

/* Nelder-Mead's simplex: np + 1 points, their values, the runs. */
struct simplex {
	double x[IMS_FC_MAXPAR + 1][IMS_FC_MAXPAR], v[IMS_FC_MAXPAR + 1];
	int np, runs, hi, lo;
};

/* The first simplex: the usual starting values, and each moved by a
 * tenth of its range in turn. */
static void
nm_start(struct fitter *f, struct simplex *s)
{
	s->np = f->nfree;
	s->runs = 0;
	for (int i = 0; i <= s->np; i++) {
		for (int k = 0; k < s->np; k++) {
			int j = f->free_[k];
			double st = start_of(f->me->par[j]);
			s->x[i][k] = i == k + 1 ? st + 0.1 * (f->me->hi[j] -
			    f->me->lo[j]) : st;
		}
		s->v[i] = obj(f, s->x[i]), s->runs++;
	}
}

static void
nm_order(struct simplex *s)
{
	s->hi = s->lo = 0;
	for (int i = 1; i <= s->np; i++) {
		if (s->v[i] > s->v[s->hi])
			s->hi = i;
		if (s->v[i] < s->v[s->lo])
			s->lo = i;
	}
}

static void
nm_put(struct simplex *s, const double *x, double v)
{
	memcpy(s->x[s->hi], x, sizeof s->x[0]);
	s->v[s->hi] = v;
}

/* One step: reflect the worst point through the others' centroid,
 * expand, contract, or shrink towards the best. */
static void
nm_step(struct fitter *f, struct simplex *s)
{
	double c[IMS_FC_MAXPAR], r[IMS_FC_MAXPAR], e[IMS_FC_MAXPAR], vr, ve;
	int np = s->np, hi = s->hi;

	for (int k = 0; k < np; k++) {
		c[k] = 0;
		for (int i = 0; i <= np; i++)
			if (i != hi)
				c[k] += s->x[i][k] / np;
		r[k] = 2 * c[k] - s->x[hi][k];
		e[k] = 3 * c[k] - 2 * s->x[hi][k];
	}
	vr = obj(f, r), s->runs++;
	if (vr < s->v[s->lo]) {
		ve = obj(f, e), s->runs++;
		nm_put(s, ve < vr ? e : r, ve < vr ? ve : vr);
		return;
	}
	if (vr < s->v[hi]) {
		nm_put(s, r, vr);
		return;
	}
	for (int k = 0; k < np; k++)
		e[k] = (c[k] + s->x[hi][k]) / 2;
	if ((ve = obj(f, e)) < s->v[hi]) {
		s->runs++;
		nm_put(s, e, ve);
		return;
	}
	s->runs++;
	for (int i = 0; i <= np; i++) {
		if (i == s->lo)
			continue;
		for (int k = 0; k < np; k++)
			s->x[i][k] = (s->x[i][k] + s->x[s->lo][k]) / 2;
		s->v[i] = obj(f, s->x[i]), s->runs++;
	}
}

/* Several: Nelder-Mead in the box (points clamped), from the usual
 * starting values, to a relative tolerance of 1e-6 or 150 runs. */
static void
fit_nm(struct fitter *f)
{
	struct simplex s;

	nm_start(f, &s);
	while (s.runs < 150) {
		nm_order(&s);
		if (fabs(s.v[s.hi] - s.v[s.lo]) <= 1e-6 *
		    (fabs(s.v[s.lo]) + 1e-12))
			break;
		nm_step(f, &s);
	}
	nm_order(&s);
	obj(f, s.x[s.lo]);
}

/* A fixed value for a parameter from --param, or NAN. */
static double
fixed(const struct ims_fc_opts *o, const char *name)
{
	for (int i = 0; i < o->nfixed; i++)
		if (strcmp(o->fixed_name[i], name) == 0)
			return o->fixed[i];
	return NAN;
}

/* Fit the method's free parameters to in; par gets all of them. */
static void
fit(const struct ims_fc_opts *o, const struct ims_fc_method *me,
    const struct ims_fc_in *in, double *fitbuf, double *par)
{
	struct fitter f = { me, in, fitbuf, { 0 }, { 0 }, 0 };

	for (int j = 0; j < me->npar; j++) {
		double v = fixed(o, me->par[j]);
		f.par[j] = isnan(v) ? start_of(me->par[j]) : v;
		if (isnan(v))
			f.free_[f.nfree++] = j;
	}
	if (f.nfree == 1 && strcmp(me->par[f.free_[0]], "n") == 0)
		fit_int(&f);
	else if (f.nfree == 1)
		fit1(&f);
	else if (f.nfree > 1)
		fit_nm(&f);
	memcpy(par, f.par, sizeof f.par);
}

/* --- backtest --------------------------------------------------------- */

struct bt {
	double mse, mae, bias;
	int k;
};

/*
 * Rolling origin: parameters fitted on the first T = n - H periods; from
 * each origin o in T..n-1 the method forecasts every period from o to
 * the end.  The forecasts go to out[], what happened to act[].
 */
static int
backtest(const struct ims_fc_opts *o, struct ims_fc_ws *w, int mi,
    const double *y, int n, int H, double *out)
{
	const struct ims_fc_method *me = &ims_fc_methods[mi];
	struct ims_fc_in in = { y, n - H, o->m, w->work };
	double par[IMS_FC_MAXPAR];
	int k = 0;

	if (!me->can(&in))
		return 0;
	fit(o, me, &in, w->fit, par);
	for (int org = n - H; org < n; org++) {
		in.n = org;
		me->run(&in, par, w->fit, w->fc, n - org);
		for (int j = 0; j < n - org; j++) {
			out[k] = w->fc[j] < 0 ? 0 : w->fc[j];
			w->act[k++] = y[org + j];
		}
	}
	return k;
}

static struct bt
score(const double *f, const double *a, int k)
{
	struct bt b = { 0, 0, 0, k };

	for (int i = 0; i < k; i++) {
		double e = f[i] - a[i];
		b.mse += e * e / k, b.mae += fabs(e) / k, b.bias += e / k;
	}
	return b;
}

/* The in-sample mean squared first difference: RMSSE's scale. */
static double
scale(const double *y, int n)
{
	double s = 0;

	for (int t = 1; t < n; t++)
		s += (y[t] - y[t - 1]) * (y[t] - y[t - 1]);
	return n > 1 ? s / (n - 1) : 0;
}

static int
suits(const struct ims_fc_method *me, int cls)
{
	return (me->suits >> cls) & 1;
}

/* Backtest the candidates; the best two (or one) by mean squared error
 * in r->meth, the winner's errors in *best. */
static void
choose(const struct ims_fc_opts *o, struct ims_fc_ws *w, const double *y,
    int n, struct ims_fc_result *r, struct bt *best)
{
	struct bt b[NMETH], c;
	int k = 0, nk = 0, i1 = -1, i2 = -1;

	for (int i = 0; ims_fc_methods[i].name; i++) {
		b[i].k = 0;
		if (o->method ? &ims_fc_methods[i] != o->method :
		    !suits(&ims_fc_methods[i], r->cls))
			continue;
		if (!(k = backtest(o, w, i, y, n, r->holdout, w->bt[i])))
			continue;
		nk = k;
		b[i] = score(w->bt[i], w->act, k);
		if (i1 < 0 || b[i].mse < b[i1].mse)
			i2 = i1, i1 = i;
		else if (i2 < 0 || b[i].mse < b[i2].mse)
			i2 = i;
	}
	r->meth[0] = i1, r->meth[1] = -1;
	if (i1 < 0)
		return;
	*best = b[i1];
	if (o->method || i2 < 0)
		return;
	for (int j = 0; j < nk; j++)
		w->res[j] = (w->bt[i1][j] + w->bt[i2][j]) / 2;
	c = score(w->res, w->act, nk);
	if (c.mse < b[i1].mse)
		r->meth[1] = i2, *best = c;
}

/* --- the forecast and its interval ----------------------------------- */

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-quantile of sorted v[0..k-1], interpolated (R's type 7). */
static double
quantile(const double *v, int k, double p)
{
	double h = (k - 1) * p;
	int i = (int)floor(h);

	if (k == 0)
		return 0;
	if (i >= k - 1)
		return v[k - 1];
	return v[i] + (h - i) * (v[i + 1] - v[i]);
}

/* How much wider the error is j periods ahead than one ahead (as a
 * variance ratio), by the method's spread. */
static double
spread(const struct ims_fc_method *me, const double *p, int m, int j)
{
	double v = 1;

	switch (me->spread) {
	case IMS_FC_LEVEL:
		return 1 + (j - 1) * p[0] * p[0];
	case IMS_FC_WALK:
		return j;
	case IMS_FC_SEASON:
		return 1 + (j - 1) / (m > 0 ? m : 1);
	case IMS_FC_TREND:
		for (int i = 1; i < j; i++)
			v += (p[0] + p[0] * p[1] * i) * (p[0] + p[0] * p[1] * i);
		return v;
	}
	return 1;
}

/* The final fit on the whole series: forecasts, residuals, intervals. */
static void
final(const struct ims_fc_opts *o, struct ims_fc_ws *w, const double *y,
    int n, struct ims_fc_result *r)
{
	struct ims_fc_in in = { y, n, o->m, w->work };
	int nm = r->meth[1] < 0 ? 1 : 2, k = 0, h = r->h;
	double *sf = w->sf, *sfit = w->sfc, se = 0;
	double ql, qh;

	for (int t = 0; t < n; t++)
		sf[t] = 0;
	for (int i = 0; i < nm; i++) {
		const struct ims_fc_method *me = &ims_fc_methods[r->meth[i]];
		fit(o, me, &in, w->fit, r->par[i]);
		me->run(&in, r->par[i], w->fit, w->fc, h);
		for (int t = 0; t < n; t++)
			sf[t] += w->fit[t] / nm;
		for (int j = 0; j < h; j++)
			sfit[j] = (i ? sfit[j] : 0) + w->fc[j] / nm;
	}
	for (int t = 0; t < n; t++)
		if (isfinite(sf[t])) {
			w->res[k] = y[t] - sf[t];
			se += w->res[k] * w->res[k], k++;
		}
	r->rmse = k ? sqrt(se / k) : NAN;
	qsort(w->res, k, sizeof *w->res, cmpd);
	ql = quantile(w->res, k, (1 - o->level) / 2);
	qh = quantile(w->res, k, (1 + o->level) / 2);
	for (int j = 0; j < h; j++) {
		double f = sfit[j] > 0 ? sfit[j] : 0, s = sqrt(spread(
		    &ims_fc_methods[r->meth[0]], r->par[0], o->m, j + 1));
		r->fc[j] = f;
		r->lo[j] = f + ql * s < 0 ? 0 : f + ql * s > f ? f : f + ql * s;
		r->hi[j] = f + qh * s < f ? f : f + qh * s;
	}
}

/* The default holdout: 12 periods, or a third of a short series. */
static int
holdout(const struct ims_fc_opts *o, int n)
{
	int h = o->holdout_set ? o->holdout : 12;

	if (!o->holdout_set && h > n / 3)
		h = n / 3;
	return h;
}

/*
 * One sku: classify, backtest, choose, fit on everything, forecast.
 * r->meth[0] is -1 when the method asked for cannot run on the series.
 */
void
ims_fc_sku(const struct ims_fc_opts *o, struct ims_fc_ws *w,
    const double *y, int n, struct ims_fc_result *r)
{
	struct bt best = { NAN, NAN, NAN, 0 };
	struct ims_fc_in in = { y, n, o->m, NULL };
	double sc;

	r->n = n, r->h = o->horizon;
	r->cls = ims_fc_classify(y, n, &r->adi, &r->cv2);
	r->holdout = holdout(o, n);
	ws_fit(w, n, o->m, o->horizon, r->holdout * (r->holdout + 1) / 2);
	in.work = w->work;
	r->meth[0] = r->meth[1] = -1;
	if (r->holdout > 0 && n - r->holdout >= 2)
		choose(o, w, y, n, r, &best);
	else
		r->holdout = 0;
	if (r->meth[0] < 0) {		/* no backtest: the method as asked,
					 * or the mean */
		r->holdout = 0;
		r->meth[0] = o->method ? (int)(o->method - ims_fc_methods) :
		    2;
		if (!ims_fc_methods[r->meth[0]].can(&in)) {
			r->meth[0] = -1;
			return;
		}
	}
	sc = r->holdout ? scale(y, n - r->holdout) : 0;
	r->mae = best.k ? best.mae : NAN;
	r->bias = best.k ? best.bias : NAN;
	r->rmsse = best.k && sc > 0 ? sqrt(best.mse / sc) : NAN;
	final(o, w, y, n, r);
}

/* --- printing --------------------------------------------------------- */

/* Decimal places ims_fc_num prints: 6 unless --digits says. */
int ims_fc_digits = 6;

/* v rounded to ims_fc_digits decimal places, trailing zeros dropped;
 * "null" for what is not a number. */
char *
ims_fc_num(double v, char *buf)
{
	char *p;

	if (!isfinite(v))
		return strcpy(buf, "null");
	snprintf(buf, 64, "%.*f", ims_fc_digits, v);
	if ((p = strchr(buf, '.'))) {
		char *e = p + strlen(p) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (e == p)
			*e = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}

/* The chosen method's parameters, "alpha=0.1,beta=0.2" (a combination's
 * second after a ";"). */
void
ims_fc_params(const struct ims_fc_result *r, struct ims_buf *b)
{
	char nb[64];

	b->n = 0;
	for (int i = 0; i < 2 && r->meth[i] >= 0; i++) {
		const struct ims_fc_method *me = &ims_fc_methods[r->meth[i]];
		if (i)
			ims_buf_addc(b, ';');
		for (int j = 0; j < me->npar; j++) {
			if (j)
				ims_buf_addc(b, ',');
			ims_buf_adds(b, me->par[j]);
			ims_buf_addc(b, '=');
			ims_buf_adds(b, ims_fc_num(r->par[i][j], nb));
		}
	}
	ims_buf_addc(b, '\0');
	b->n--;
}
