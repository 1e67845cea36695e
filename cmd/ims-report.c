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
	{ "until", OPT_UNTIL, "TS", 0,
	  "ledger: movements at or before TS (a date: that whole day)", 0 },
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
	unsigned given;		/* 1 << (key - OPT_SKU) for each seen */
};

/* The options of one report that the other does not take. */
static const struct {
	const char *report, *opt;
	int key;
} not_for[] = {
	{ "ledger", "--group-by", OPT_GROUP },
	{ "ledger", "--depth", OPT_DEPTH },
	{ "onhand", "--since", OPT_SINCE },
	{ "onhand", "--until", OPT_UNTIL },
};

#define GIVEN(a, key) ((a)->given & 1u << ((key) - OPT_SKU))

/* The options given must apply to the report. */
static void
check_applies(struct argp_state *st, const struct args *a)
{
	for (size_t i = 0; i < sizeof not_for / sizeof *not_for; i++)
		if (strcmp(a->report, not_for[i].report) == 0 &&
		    GIVEN(a, not_for[i].key))
			argp_error(st, "%s does not apply to %s%s",
			    not_for[i].opt, a->report, not_for[i].key ==
			    OPT_UNTIL || not_for[i].key == OPT_SINCE ?
			    " (--as-of is the moment it shows)" : "");
	if (GIVEN(a, OPT_UNTIL) && GIVEN(a, OPT_ASOF))
		argp_error(st, "--until and --as-of together: --as-of is "
		    "--until for the ledger");
}

/* A moment; for --until, a bare date is the whole of that day. */
static ims_time
when(struct argp_state *st, const char *opt, const char *arg)
{
	ims_time t;
	const char *why = strcmp(opt, "--until") == 0 ?
	    ims_time_parse_end(arg, strlen(arg), &t) :
	    ims_time_parse(arg, strlen(arg), &t);

	if (why)
		argp_error(st, "%s %s: %s", opt, ims_q(arg), why);
	return t;
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	if (key >= OPT_SKU && key <= OPT_DEPTH)
		a->given |= 1u << (key - OPT_SKU);
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
		check_applies(st, a);
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

	ims_init_takes(argc, argv, IMS_O_READ, "ims-report stores nothing");
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (strcmp(a.report, "onhand") && strcmp(a.report, "ledger")) {
		ims_warn("unknown report %s (onhand or ledger)",
		    ims_q(a.report));
		return IMS_EXIT_USAGE;
	}
	return ims_read_main(run, &a);
}
