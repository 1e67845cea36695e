/* ims-forecast: demand classified and forecast per sku, the method
 * chosen by backtest (lib/forecast*.c) */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims.h"

static const char doc[] = "Forecast demand per sku, from the store's "
    "journal or from history records (sku, period or date, qty) in FILEs "
    "(- is standard input).\v"
    "METHOD is auto (the default: per sku, the best in a backtest of the "
    "methods that suit its class) or one of naive, snaive, mean, sma, "
    "ses, holt, hw-add, hw-mul, croston, sba, tsb, adida, imapa.  Prints "
    "sku, period_start, forecast, lo, hi for each future period, or with "
    "--summary a record per sku.";

enum { O_PERIOD = 0x200, O_METHOD, O_SEASON, O_HOLDOUT, O_HORIZON,
	O_LEVEL, O_PARAM, O_SUMMARY, O_SAVE, O_DEMAND, O_SCRAP, O_SINCE,
	O_UNTIL, O_JOBS, O_DIGITS };

static const struct argp_option options[] = {
	{ "period", O_PERIOD, "P", 0, "day, week (default) or month", 0 },
	{ "method", O_METHOD, "METHOD", 0, "auto (default) or a method", 0 },
	{ "season-length", O_SEASON, "N", 0,
	  "Periods in a season (7 days, 52 weeks, 12 months)", 0 },
	{ "holdout", O_HOLDOUT, "N", 0,
	  "Backtest over the last N periods (default 12)", 0 },
	{ "horizon", O_HORIZON, "N", 0, "Periods to forecast (default 6)",
	  0 },
	{ "level", O_LEVEL, "PCT", 0, "Intervals' level (default 95)", 0 },
	{ "param", O_PARAM, "NAME=V,...", 0,
	  "Fix parameters (alpha, beta, gamma, phi, n)", 0 },
	{ "summary", O_SUMMARY, NULL, 0, "One record per sku", 0 },
	{ "save", O_SAVE, NULL, 0,
	  "Keep each sku's summary in the store, for ims-reorder", 0 },
	{ "demand", O_DEMAND, "SRC", 0,
	  "orders or shipments (default: orders when there are any)", 0 },
	{ "include-scrap", O_SCRAP, NULL, 0, "Scrap is demand too", 0 },
	{ "since", O_SINCE, "TS", 0, "History from TS's period", 0 },
	{ "until", O_UNTIL, "TS", 0, "History through TS's period", 0 },
	{ "digits", O_DIGITS, "N", 0,
	  "Decimal places printed (default 6)", 0 },
	{ "jobs", O_JOBS, "N", 0, "Threads (default: processors, at most 8)",
	  0 },
	{ 0 }
};

struct args {
	struct ims_fc_runner u;
	char **files;
	int nfiles, store_only;
	const char *method;
};

static long
number(struct argp_state *st, const char *opt, const char *arg, long lo,
    long hi)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (!*arg || *end || v < lo || v > hi)
		argp_error(st, "--%s: a whole number from %ld to %ld", opt, lo,
		    hi);
	return v;
}

/* --param alpha=0.1,beta=0.2: each a parameter some method has. */
static void
params(struct argp_state *st, struct ims_fc_opts *o, char *arg)
{
	for (char *s = strtok(arg, ","); s; s = strtok(NULL, ",")) {
		char *eq = strchr(s, '='), *end;
		double v;
		if (!eq || o->nfixed == IMS_FC_MAXPAR * 8)
			argp_error(st, "--param: NAME=VALUE, not %s", ims_q(s));
		*eq = '\0';
		v = strtod(eq + 1, &end);
		if (strcmp(s, "n") == 0 ? *end || v < 1 || v > 366 ||
		    v != (int)v : strcmp(s, "alpha") && strcmp(s, "beta") &&
		    strcmp(s, "gamma") && strcmp(s, "phi"))
			argp_error(st, "--param %s: alpha, beta, gamma or phi "
			    "from 0 to 1, or n from 1 to 366", ims_q(s));
		if (*end || eq[1] == '\0' || v < 0 || v > 366 ||
		    (strcmp(s, "n") && v > 1))
			argp_error(st, "--param %s: %s is not a value from 0 "
			    "to 1", s, ims_q(eq + 1));
		o->fixed_name[o->nfixed] = s;
		o->fixed[o->nfixed++] = v;
	}
}

static ims_time
when(struct argp_state *st, const char *opt, const char *arg, int end)
{
	ims_time t;
	const char *why = end ? ims_time_parse_end(arg, strlen(arg), &t) :
	    ims_time_parse(arg, strlen(arg), &t);

	if (why)
		argp_error(st, "--%s %s: %s", opt, ims_q(arg), why);
	return t;
}

/* The method named, with --param naming only what it has. */
static void
check_method(struct argp_state *st, struct args *a)
{
	struct ims_fc_opts *o = &a->u.o;

	if (a->method && strcmp(a->method, "auto") &&
	    !(o->method = ims_fc_method_find(a->method)))
		argp_failure(st, IMS_EXIT_USAGE, 0, "unknown method %s "
		    "(auto, naive, snaive, mean, sma, ses, holt, hw-add, "
		    "hw-mul, croston, sba, tsb, adida, imapa)",
		    ims_q(a->method));
	for (int i = 0; o->method && i < o->nfixed; i++) {
		int j = 0;
		while (j < o->method->npar &&
		    strcmp(o->method->par[j], o->fixed_name[i]))
			j++;
		if (j == o->method->npar)
			argp_error(st, "--param %s: %s has no such parameter",
			    o->fixed_name[i], o->method->name);
	}
}

static void
check_end(struct argp_state *st, struct args *a)
{
	struct ims_fc_runner *u = &a->u;

	check_method(st, a);
	if (a->nfiles && (u->demand || u->scrap))
		argp_error(st, "--demand and --include-scrap are for the "
		    "store's history, not records");
	if (!u->m_set)
		u->o.m = u->o.per == IMS_PER_DAY ? 7 : u->o.per ==
		    IMS_PER_WEEK ? 52 : 12;
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	struct ims_fc_runner *u = &a->u;

	switch (key) {
	case O_PERIOD:
		if (strcmp(arg, "day") && strcmp(arg, "week") &&
		    strcmp(arg, "month"))
			argp_error(st, "--period: day, week or month");
		u->o.per = *arg == 'd' ? IMS_PER_DAY : *arg == 'w' ?
		    IMS_PER_WEEK : IMS_PER_MONTH;
		break;
	case O_METHOD: a->method = arg; break;
	case O_SEASON:
		u->o.m = number(st, "season-length", arg, 2, 366);
		u->m_set = 1;
		break;
	case O_HOLDOUT:
		u->o.holdout = number(st, "holdout", arg, 1, 1000);
		u->o.holdout_set = 1;
		break;
	case O_HORIZON:
		u->o.horizon = number(st, "horizon", arg, 1, IMS_FC_MAXH);
		break;
	case O_LEVEL:
		u->o.level = number(st, "level", arg, 1, 99) / 100.0;
		break;
	case O_PARAM: params(st, &u->o, arg); break;
	case O_SUMMARY: u->summary = 1; break;
	case O_SAVE: u->save = 1; break;
	case O_DEMAND:
		if (strcmp(arg, "orders") && strcmp(arg, "shipments"))
			argp_error(st, "--demand: orders or shipments");
		u->demand = *arg == 'o' ? IMS_FC_ORDERS : IMS_FC_SHIPMENTS;
		break;
	case O_SCRAP: u->scrap = 1; break;
	case O_SINCE: u->since = when(st, "since", arg, 0); break;
	case O_UNTIL: u->until = when(st, "until", arg, 1); break;
	case O_DIGITS:
		ims_fc_digits = number(st, "digits", arg, 0, 15);
		break;
	case O_JOBS: u->jobs = number(st, "jobs", arg, 1, IMS_FC_JOBS); break;
	case ARGP_KEY_ARGS:
		a->files = st->argv + st->next;
		a->nfiles = st->argc - st->next;
		break;
	case ARGP_KEY_END:
		check_end(st, a);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Through the store: reading the journal, or writing --save's summaries
 * (of the journal's history or of records), in one transaction. */
static int
run_store(struct args *a)
{
	struct ims_store *s;
	struct ims_txn *t;
	int rc, status, old, w = a->u.save;

	if ((status = ims_open(&s, w)))
		return status;
	if ((rc = ims_txn_begin(s, w, &t)) == IMS_OK) {
		a->u.txn = t;
		if (!(rc = ims_format_check(t, w, &old)))
			rc = a->nfiles ? ims_fc_from_records(&a->u, a->files,
			    a->nfiles, ims_opt.in_fmt) :
			    ims_fc_from_store(&a->u, t);
		if (rc == IMS_OK && !a->nfiles)
			rc = a->u.status;
		if (rc == IMS_OK && w)
			rc = ims_txn_commit(t);
		else
			ims_txn_abort(t);
	}
	ims_store_close(s);
	if (rc < 0)
		ims_warn("%s", ims_errmsg());
	return rc == IMS_EREJECT ? IMS_EXIT_REJECT : rc > 0 ? rc :
	    rc ? IMS_EXIT_STORE : IMS_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "[FILE...]", doc,
		ims_argp_children, NULL, NULL };
	struct args a = { .u = { .o = { .horizon = 6, .level = 0.95,
		.per = IMS_PER_WEEK }, .since = IMS_TIME_NONE,
		.until = IMS_TIME_NONE } };
	long np = sysconf(_SC_NPROCESSORS_ONLN);
	int status;

	ims_init_takes(argc, argv, IMS_O_READ | IMS_O_INFMT,
	    "ims-forecast stores nothing but --save's summaries");
	a.u.jobs = np < 1 ? 1 : np > IMS_FC_JOBS ? IMS_FC_JOBS : (int)np;
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if ((a.u.now = ims_now()) == IMS_TIME_NONE) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_USAGE;
	}
	ims_fc_runner_init(&a.u);
	a.u.out = ims_stdout(a.u.summary ? ims_fc_summary_cols : ims_fc_cols);
	if (a.nfiles && !a.u.save)
		status = ims_fc_from_records(&a.u, a.files, a.nfiles,
		    ims_opt.in_fmt);
	else
		status = run_store(&a);
	ims_out_close(a.u.out);
	ims_fc_runner_free(&a.u);
	return ims_finish(status);
}
