/*
 * forecast-unit: the forecasting methods against values worked out by
 * hand from each method's definition, on short series; TAP.
 * "forecast-unit get DB SKU" prints the summary ims-forecast --save kept
 * (through ims_forecast_get, as ims-reorder reads it).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ims.h"

static int n_test, n_fail;

static void
near(double got, double want, double tol, const char *what)
{
	int ok = fabs(got - want) <= tol || (isnan(got) && isnan(want));

	printf("%sok %d - %s\n", ok ? "" : "not ", ++n_test, what);
	if (!ok) {
		printf("# got %.15g, want %.15g\n", got, want);
		n_fail++;
	}
}

/* Run the method named on y with par; fit and h forecasts out. */
static void
run(const char *name, const double *y, int n, int m, const double *par,
    double *fit, double *fc, int h)
{
	double work[64];
	struct ims_fc_in in = { y, n, m, work };

	ims_fc_method_find(name)->run(&in, par, fit, fc, h);
}

static void
croston_sba(void)
{
	/* demands 3 at t=2 (interval 3, from the start), 5 at t=6
	 * (interval 4), 2 at t=7 (1); alpha 0.1:
	 * z 3 -> 3.2 -> 3.08, q 3 -> 3.1 -> 2.89 */
	const double y[] = { 0, 0, 3, 0, 0, 0, 5, 2, 0 }, a[] = { 0.1 };
	double fit[9], fc[2];

	run("croston", y, 9, 1, a, fit, fc, 2);
	near(fc[0], 3.08 / 2.89, 1e-12, "croston: z/q after three demands");
	near(fc[1], fc[0], 0, "croston: flat");
	near(fit[2], NAN, 0, "croston: no fit before a demand");
	near(fit[5], 1, 1e-12, "croston: one demand: 3 over 3 periods");
	near(fit[7], 3.2 / 3.1, 1e-12, "croston: fit after two demands");
	run("sba", y, 9, 1, a, fit, fc, 1);
	near(fc[0], 0.95 * 3.08 / 2.89, 1e-12, "sba: croston times 1 - a/2");
}

static void
ses_holt(void)
{
	const double y[] = { 2, 4, 6 }, a[] = { 0.5 };
	const double y2[] = { 1, 2, 4 }, p2[] = { 0.5, 0.5, 0.5 };
	double fit[3], fc[2];

	run("ses", y, 3, 1, a, fit, fc, 1);
	near(fit[0], 2, 0, "ses: starts from the first value");
	near(fit[2], 3, 0, "ses: 2 then 3");
	near(fc[0], 4.5, 0, "ses: alpha 0.5 on 2 4 6 gives 4.5");
	/* l 1, b 1; by hand: l 1.25 1.71875 2.94140625, b 0.375 0.328125
	 * 0.693359375 */
	run("holt", y2, 3, 1, p2, fit, fc, 2);
	near(fit[1], 1.4375, 0, "holt: one-step fit");
	near(fc[0], 3.2880859375, 1e-12, "holt: damped, one ahead");
	near(fc[1], 3.46142578125, 1e-12, "holt: damped, two ahead");
}

static void
holt_winters(void)
{
	/* m 2: l0 2, b0 0.5, s -1 1; alpha = beta = gamma = 0.5; worked
	 * step by step: l 2.25 2.3125 2.828125 3.17578125, b 0.375 0.21875
	 * 0.3671875 0.357421875, s -0.9765625 0.833984375 */
	const double y[] = { 1, 3, 2, 4 }, p[] = { 0.5, 0.5, 0.5 };
	const double ym[] = { 2, 4, 2, 4 };
	double fit[4], fc[2];

	run("hw-add", y, 4, 2, p, fit, fc, 2);
	near(fit[0], 1.5, 0, "hw-add: first fit l0 + b0 + s0");
	near(fit[3], 4.0390625, 1e-12, "hw-add: fourth fit");
	near(fc[0], 2.556640625, 1e-12, "hw-add: one ahead");
	near(fc[1], 4.724609375, 1e-12, "hw-add: two ahead");
	/* a pure season of ratios 2/3 and 4/3 about 3, no trend: exact */
	run("hw-mul", ym, 4, 2, p, fit, fc, 2);
	near(fc[0], 2, 1e-12, "hw-mul: a steady season repeats (low)");
	near(fc[1], 4, 1e-12, "hw-mul: a steady season repeats (high)");
}

static void
tsb_adida_imapa(void)
{
	const double y[] = { 0, 4, 0, 2 }, p[] = { 0.5, 0.5 };
	const double ya[] = { 0, 2, 0, 0, 4, 0 }, a[] = { 0.5 };
	const double yc[] = { 5, 5, 5, 5 };
	double fit[6], fc[1];

	/* p 1/2 at the first demand, then 0.25, 0.625; z 4, then 3 */
	run("tsb", y, 4, 1, p, fit, fc, 1);
	near(fc[0], 1.875, 1e-12, "tsb: probability times size");
	/* interval 3: buckets 2 and 4, SES 2 -> 3, a third a period */
	near(ims_fc_bucket(ya, 6), 3, 0, "adida: bucket is the mean interval");
	run("adida", ya, 6, 1, a, fit, fc, 1);
	near(fc[0], 1, 1e-12, "adida: SES of buckets over the bucket");
	near(fit[4], 2.0 / 3, 1e-12, "adida: a period's share of the level");
	run("imapa", yc, 4, 1, NULL, fit, fc, 1);
	near(fc[0], 5, 1e-12, "imapa: a steady demand stays");
}

static void
simple(void)
{
	const double y[] = { 1, 2, 3, 4, 5, 6 }, k[] = { 2 };
	double fit[6], fc[4];

	run("naive", y, 6, 1, NULL, fit, fc, 1);
	near(fc[0], 6, 0, "naive: the last value");
	run("snaive", y, 6, 3, NULL, fit, fc, 4);
	near(fc[0], 4, 0, "snaive: a season back");
	near(fc[3], 4, 0, "snaive: and round again");
	run("mean", y, 6, 1, NULL, fit, fc, 1);
	near(fc[0], 3.5, 0, "mean");
	near(fit[2], 1.5, 0, "mean: fit from what came before");
	run("sma", y, 6, 1, k, fit, fc, 1);
	near(fc[0], 5.5, 0, "sma 2: the last two");
	near(fit[2], 1.5, 0, "sma 2: fit of the third");
}

static void
classes(void)
{
	double adi, cv2;
	double y[33];
	const double two[] = { 3, 17 };

	for (int t = 0; t < 33; t++)	/* 25 demands in 33: ADI 1.32 */
		y[t] = t < 25 ? 10 : 0;
	near(ims_fc_classify(y, 33, &adi, &cv2), IMS_FC_INTERMITTENT, 0,
	    "ADI 1.32 exactly is intermittent");
	near(ims_fc_classify(y, 32, &adi, &cv2), IMS_FC_SMOOTH, 0,
	    "ADI 1.28 is smooth");
	near(ims_fc_classify(two, 2, &adi, &cv2), IMS_FC_ERRATIC, 0,
	    "CV2 0.49 exactly (3 and 17) is erratic");
	near(cv2, 0.49, 1e-15, "CV2 of 3 and 17 is 0.49");
	near(ims_fc_classify(y + 24, 1, &adi, &cv2), IMS_FC_SHORT, 0,
	    "one demand is too short");
}

static int
get(const char *db, const char *sku)
{
	struct ims_store *s;
	struct ims_txn *t;
	struct ims_fc_summary f;
	char a[64], b[64], c[IMS_TIME_BUF];
	int rc;

	if (ims_store_open(&s, db, IMS_STORE_RDONLY) ||
	    ims_txn_begin(s, 0, &t)) {
		fprintf(stderr, "%s\n", ims_errmsg());
		return 3;
	}
	rc = ims_forecast_get(t, sku, &f);
	if (rc == IMS_OK)
		printf("%s %s %s %s %s %s\n", f.method, f.cls, f.period,
		    ims_fc_num(f.demand_per_day, a),
		    ims_fc_num(f.sd_per_day, b), ims_time_fmt(f.made, c));
	else
		printf("none\n");
	ims_txn_abort(t);
	ims_store_close(s);
	return rc == IMS_OK || rc == IMS_ENOTFOUND ? 0 : 3;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "get") == 0)
		return get(argv[2], argv[3]);
	croston_sba();
	ses_holt();
	holt_winters();
	tsb_adida_imapa();
	simple();
	classes();
	printf("1..%d\n", n_test);
	return n_fail != 0;
}
