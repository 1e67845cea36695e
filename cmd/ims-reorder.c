/* ims-reorder: what to order, and why, every figure shown; --create-po */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Print what is at or below its reorder point, "
    "with the reason and every figure behind it: inventory position, "
    "demand, lead time, safety stock, reorder point, order quantity before "
    "and after rounding.\v"
    "Demand comes from ims-forecast --save, else the item's demand_per_day "
    "and demand_sd, else the shipments of the last --window days; lead time "
    "from the item, else its supplier, and its spread from past POs.  "
    "--create-po drafts one PO per supplier.";

enum { O_SL = 256, O_FR, O_WINDOW, O_REVIEW, O_SUPPLIER, O_LOCATION, O_ALL,
	O_CREATE, O_REF, O_SIMULATE, O_HOLDOUT };

static struct argp_option options[] = {
	{ "service-level", O_SL, "P[,P...]", 0, "cycle service level, "
	    "0 < P < 1 (default 0.95); --simulate takes several", 0 },
	{ "fill-rate", O_FR, "P", 0, "size safety stock for this fill rate "
	    "instead", 0 },
	{ "window", O_WINDOW, "DAYS", 0, "history to take demand from, when "
	    "there is no forecast (default 90)", 0 },
	{ "review-period", O_REVIEW, "DAYS", 0, "periodic review: demand over "
	    "this many days more", 0 },
	{ "supplier", O_SUPPLIER, "ID", 0, "only this supplier's skus", 0 },
	{ "location", O_LOCATION, "PREFIX", 0, "a warehouse's own position",
	    0 },
	{ "all", O_ALL, NULL, 0, "every sku, not only those to order", 0 },
	{ "create-po", O_CREATE, NULL, 0, "draft a PO per supplier with the "
	    "suggested lines", 0 },
	{ "ref", O_REF, "REF", 0, "--create-po: the run's ref (a run again with "
	    "it drafts nothing); default the day", 0 },
	{ "simulate", O_SIMULATE, NULL, 0, "replay the policy over the last "
	    "--holdout days of history", 0 },
	{ "holdout", O_HOLDOUT, "DAYS", 0, "--simulate: days (default 90)", 0 },
	{ 0 }
};

#define MAX_LEVELS 16

static struct {
	struct ims_reorder_opts o;
	double levels[MAX_LEVELS];
	int nlevels, create, simulate, holdout;
	const char *ref;
	struct ims_out *out;
	struct ims_rec rec;
	struct ims_reorder_row *rows;
	char **po;		/* the PO drafted for each row */
	size_t n, cap;
} g = { .o = { .window_days = 90 }, .holdout = 90 };


static double
share(struct argp_state *st, const char *opt, const char *s, char **end)
{
	double v = strtod(s, end);

	if (*end == s || !(v > 0 && v < 1))
		argp_error(st, "%s %s: a share between 0 and 1, both left out",
		    opt, ims_q(s));
	return v;
}

static int
days(struct argp_state *st, const char *opt, const char *s, int lo)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || end == s || v < lo || v > 3650)
		argp_error(st, "%s %s: whole days, %d to 3650", opt, ims_q(s), lo);
	return (int)v;
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	char *end;

	switch (key) {
	case O_SL:
		for (g.nlevels = 0; *arg; arg = end + (*end == ',')) {
			if (g.nlevels == MAX_LEVELS)
				argp_error(st, "--service-level: %d at most",
				    MAX_LEVELS);
			g.levels[g.nlevels++] = share(st, "--service-level",
			    arg, &end);
			if (*end && *end != ',')
				argp_error(st, "--service-level: P,P,...");
		}
		g.o.service_level = g.levels[0];
		break;
	case O_FR:
		g.o.fill_rate = share(st, "--fill-rate", arg, &end);
		if (*end)
			argp_error(st, "--fill-rate: one share");
		break;
	case O_WINDOW: g.o.window_days = days(st, "--window", arg, 2); break;
	case O_REVIEW: g.o.review_days = days(st, "--review-period", arg, 0);
		break;
	case O_SUPPLIER: g.o.supplier = arg; break;
	case O_LOCATION: g.o.location = arg; break;
	case O_ALL: g.o.all = 1; break;
	case O_CREATE:
		g.create = 1;
		ims_opts_mode(IMS_O_DB | IMS_O_OUTPUT | IMS_O_DRYRUN |
		    IMS_O_QUIET | IMS_O_RAW | IMS_O_NOSYNC, "ims-reorder reads "
		    "no records");
		break;
	case ARGP_KEY_INIT:
		ims_opts_mode(IMS_O_READ, "without --create-po, ims-reorder "
		    "stores nothing");
		break;
	case O_REF: g.ref = arg; break;
	case O_SIMULATE:
		g.simulate = 1;
		ims_opts_mode(IMS_O_READ, "--simulate stores nothing");
		break;
	case O_HOLDOUT: g.holdout = days(st, "--holdout", arg, 1); break;
	case ARGP_KEY_ARG:
		argp_error(st, "ims-reorder reads no files");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void
check_options(void)
{
	if (g.nlevels > 1 && !g.simulate)
		ims_usage_error("several service levels are for --simulate");
	if (g.o.fill_rate > 0 && g.nlevels)
		ims_usage_error("--service-level or --fill-rate, not both");
	if (g.ref && !g.create)
		ims_usage_error("--ref is for --create-po");
	if (g.create && g.simulate)
		ims_usage_error("--create-po or --simulate, not both");
	if (!g.simulate && g.holdout != 90)
		ims_usage_error("--holdout is for --simulate");
}

static int
keep_row(void *arg, const struct ims_reorder_row *row)
{
	struct ims_reorder_row *v;

	(void)arg;
	if (g.n == g.cap) {
		size_t cap = g.cap ? 2 * g.cap : 256;

		if (!(v = realloc(g.rows, cap * sizeof *v)))
			return ims_seterr(IMS_ESTORE, "out of memory");
		g.rows = v, g.cap = cap;
	}
	g.rows[g.n] = *row;
	/* the strings point into the run's records: copy what is kept */
	g.rows[g.n].sku = strdup(row->sku);
	g.rows[g.n].supplier = row->supplier ? strdup(row->supplier) : NULL;
	if (!g.rows[g.n].sku || (row->supplier && !g.rows[g.n].supplier))
		return ims_seterr(IMS_ESTORE, "out of memory");
	g.n++;
	return IMS_OK;
}

static void
print_rows(void)
{
	g.out = ims_stdout(ims_reorder_cols);
	for (size_t i = 0; i < g.n; i++) {
		ims_reorder_rec(&g.rows[i], &g.rec);
		if (g.po && g.po[i])
			ims_rec_adds(&g.rec, "po", g.po[i]);
		ims_out_rec(g.out, &g.rec);
	}
	ims_out_close(g.out);
}

static int
suggest(struct ims_txn *t, void *arg)
{
	int rc;

	(void)arg;
	if (g.simulate)
		return ims_reorder_simulate(t, &g.o, g.levels, g.nlevels ?
		    g.nlevels : 1, g.holdout, ims_stdout);
	if ((rc = ims_reorder(t, &g.o, keep_row, NULL)))
		return rc;
	print_rows();
	return IMS_OK;
}

/* --create-po: the run in the batch's transaction, its suggestions
 * drafted, a PO per supplier. */
static int
end(struct ims_batch *b, int loud)
{
	int rc;

	g.o.now = ims_journal_now(b->journal);
	g.n = 0;
	if ((rc = ims_reorder(b->txn, &g.o, keep_row, NULL)) ||
	    (rc = ims_reorder_draft(b->journal, g.rows, g.n, g.ref, &g.po)))
		return rc;
	if (loud && !ims_opt.quiet)
		print_rows();
	return IMS_OK;
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, NULL, doc, ims_argp_children,
		NULL, NULL };
	struct ims_batch b = { .end = end, .no_input = 1 };
	const char *actor;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	check_options();
	if (!g.create) {
		if (ims_post_env(&g.o.now, &actor))
			ims_usage_error(ims_errmsg());
		return ims_read_main(suggest, NULL);
	}
	return ims_batch_run(&b, 0, NULL);
}
