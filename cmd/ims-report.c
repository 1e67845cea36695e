/* ims-report: reports over the store (onhand, ledger) */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Print a report.\v"
    "REPORT is onhand (stock by sku, location and lot, now or --as-of a "
    "past moment; --group-by and --depth roll it up) or ledger (the "
    "journal's movements in time order).";

enum { OPT_SKU = 0x200, OPT_LOC, OPT_SINCE, OPT_UNTIL, OPT_ASOF, OPT_GROUP,
	OPT_DEPTH };

static const struct argp_option options[] = {
	{ "sku", OPT_SKU, "SKU", 0, "Only this sku", 0 },
	{ "location", OPT_LOC, "PREFIX", 0,
	  "Only this location or zone (WH1/A holds WH1/A/03)", 0 },
	{ "since", OPT_SINCE, "TS", 0, "ledger: movements at or after TS", 0 },
	{ "until", OPT_UNTIL, "TS", 0, "ledger: movements at or before TS",
	  0 },
	{ "as-of", OPT_ASOF, "TS", 0, "onhand: as it stood at TS", 0 },
	{ "group-by", OPT_GROUP, "KEY", 0, "onhand: sku, location or lot", 0 },
	{ "depth", OPT_DEPTH, "N", 0,
	  "onhand: cut locations to N segments (1: by warehouse)", 0 },
	{ 0 }
};

struct args {
	const char *report, *group;
	struct ims_filter f;
	ims_time as_of;
	int depth;
};

static ims_time
when(struct argp_state *st, const char *opt, const char *arg)
{
	ims_time t;
	const char *why = ims_time_parse(arg, strlen(arg), &t);

	if (why)
		argp_error(st, "%s %s: %s", opt, ims_q(arg), why);
	return t;
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	switch (key) {
	case OPT_SKU: a->f.sku = arg; break;
	case OPT_LOC: a->f.location = arg; break;
	case OPT_SINCE: a->f.since = when(st, "--since", arg); break;
	case OPT_UNTIL: a->f.until = when(st, "--until", arg); break;
	case OPT_ASOF: a->as_of = when(st, "--as-of", arg); break;
	case OPT_GROUP:
		if (strcmp(arg, "sku") && strcmp(arg, "location") &&
		    strcmp(arg, "lot"))
			argp_error(st, "--group-by: sku, location or lot");
		a->group = arg;
		break;
	case OPT_DEPTH:
		a->depth = strtol(arg, &end, 10);
		if (*end || a->depth < 1 || a->depth > 64)
			argp_error(st, "--depth: a number from 1 to 64");
		break;
	case ARGP_KEY_ARG:
		if (a->report)
			argp_error(st, "one report at a time");
		a->report = arg;
		break;
	case ARGP_KEY_END:
		if (!a->report)
			argp_error(st, "which report? onhand or ledger");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int
run(struct ims_txn *t, void *arg)
{
	struct args *a = arg;
	struct ims_out *o;
	int rc;

	if (strcmp(a->report, "onhand") == 0) {
		o = ims_stdout(ims_onhand_cols);
		rc = ims_report_onhand(t, o, &a->f, a->group, a->depth,
		    a->as_of);
	} else {
		if (a->as_of != IMS_TIME_NONE)
			a->f.until = a->as_of;
		o = ims_stdout(ims_move_cols);
		rc = ims_report_ledger(t, o, &a->f);
	}
	ims_out_close(o);
	return rc;
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "REPORT", doc, ims_argp_children,
		NULL, NULL };
	struct args a = { .f = IMS_FILTER_ALL, .as_of = IMS_TIME_NONE };

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (strcmp(a.report, "onhand") && strcmp(a.report, "ledger")) {
		ims_warn("unknown report %s (onhand or ledger)",
		    ims_q(a.report));
		return IMS_EXIT_USAGE;
	}
	return ims_read_main(run, &a);
}
