/* ims-report: print one of the reports of lib/report.c's table */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Print a report; alone, list the reports.\v"
    "REPORT is onhand (stock by sku, location and lot, now or --as-of a "
    "past moment; --group-by and --depth roll it up) or ledger (the "
    "journal's movements in time order) or orders (order lines and their "
    "status), adjustments, accuracy, billing (a client's invoice lines) or "
    "available (what each sales channel may sell).  An option the report "
    "does not take is a usage error.";

/* argp keeps 23 bits of an option's key (the 24th is a sign): the
 * IMS_R_ bits above that have keys of their own. */
enum { K_CLIENT = (1 << 22) | 1, K_CHANNEL = (1 << 22) | 2 };

/* The report options, keyed by their IMS_R_ bit. */
static const struct argp_option options[] = {
	{ "sku", IMS_R_SKU, "SKU", 0, "Only this sku", 0 },
	{ "location", IMS_R_LOCATION, "PREFIX", 0,
	  "Only this location or zone (WH1/A holds WH1/A/03)", 0 },
	{ "since", IMS_R_SINCE, "TS", 0, "ledger: movements at or after TS",
	  0 },
	{ "until", IMS_R_UNTIL, "TS", 0,
	  "ledger: movements at or before TS (a date: that whole day)", 0 },
	{ "as-of", IMS_R_ASOF, "TS", 0, "As it stood at TS", 0 },
	{ "group-by", IMS_R_GROUP, "KEY", 0, "onhand: sku, location or lot",
	  0 },
	{ "depth", IMS_R_DEPTH, "N", 0,
	  "onhand: cut locations to N segments (1: by warehouse)", 0 },
	{ "open", IMS_R_OPEN, NULL, 0, "orders: only lines not done", 0 },
	{ "client", K_CLIENT, "ID", 0, "Only the skus this client owns", 0 },
	{ "channel", K_CHANNEL, "ID", 0, "Only this sales channel", 0 },
	{ 0 }
};

struct args {
	const char *name;
	const struct ims_report *r;
	struct ims_report_args a;
	unsigned given;
};

/* The IMS_R_ bit of an option's key. */
static unsigned
bit(int key)
{
	return key == K_CLIENT ? IMS_R_CLIENT : key == K_CHANNEL ?
	    IMS_R_CHANNEL : (unsigned)key;
}

/* The options given must be ones the report takes. */
static void
check_takes(struct argp_state *st, const struct args *a)
{
	for (const struct argp_option *o = options; o->name; o++)
		if (a->given & ~a->r->takes & bit(o->key))
			argp_error(st, "--%s does not apply to %s%s", o->name,
			    a->r->name, (a->r->takes & IMS_R_ASOF) &&
			    (o->key & (IMS_R_SINCE | IMS_R_UNTIL)) ?
			    " (--as-of is the moment it shows)" : "");
	if ((a->given & IMS_R_UNTIL) && (a->given & IMS_R_ASOF))
		argp_error(st, "--until and --as-of together: --as-of is "
		    "--until for the ledger");
}

/* A moment; for --until, a bare date is the whole of that day. */
static ims_time
when(struct argp_state *st, int key, const char *arg)
{
	ims_time t;
	const char *why = key == IMS_R_UNTIL ?
	    ims_time_parse_end(arg, strlen(arg), &t) :
	    ims_time_parse(arg, strlen(arg), &t);

	if (why)
		argp_error(st, "--%s %s: %s", key == IMS_R_UNTIL ? "until" :
		    key == IMS_R_SINCE ? "since" : "as-of", ims_q(arg), why);
	return t;
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	if (key > 0 && key <= IMS_R_DEPTH)
		a->given |= key;
	switch (key) {
	case IMS_R_OPEN:
		a->given |= key;
		a->a.open = 1;
		break;
	case K_CLIENT:
	case K_CHANNEL:
		a->given |= bit(key);
		if (ims_check_id(key == K_CLIENT ? "--client" : "--channel",
		    arg))
			argp_error(st, "%s", ims_errmsg());
		*(key == K_CLIENT ? &a->a.f.client : &a->a.channel) = arg;
		break;
	case IMS_R_SKU: a->a.f.sku = arg; break;
	case IMS_R_LOCATION: a->a.f.location = arg; break;
	case IMS_R_SINCE: a->a.f.since = when(st, key, arg); break;
	case IMS_R_UNTIL: a->a.f.until = when(st, key, arg); break;
	case IMS_R_ASOF: a->a.as_of = when(st, key, arg); break;
	case IMS_R_GROUP:
		if (strcmp(arg, "sku") && strcmp(arg, "location") &&
		    strcmp(arg, "lot"))
			argp_error(st, "--group-by: sku, location or lot");
		a->a.group = arg;
		break;
	case IMS_R_DEPTH:
		a->a.depth = strtol(arg, &end, 10);
		if (*end || a->a.depth < 1 || a->a.depth > 64)
			argp_error(st, "--depth: a number from 1 to 64");
		break;
	case ARGP_KEY_ARG:
		if (a->name)
			argp_error(st, "one report at a time");
		a->name = arg;
		break;
	case ARGP_KEY_END:
		if (!a->name && a->given)
			argp_error(st, "which report? ims-report alone lists "
			    "them");
		if (a->name && (a->r = ims_report_find(a->name)))
			check_takes(st, a);
		if (a->r && strcmp(a->r->name, "billing") == 0 &&
		    (~a->given & (IMS_R_CLIENT | IMS_R_SINCE | IMS_R_UNTIL)))
			argp_error(st, "billing: give --client, --since and "
			    "--until");
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

	/* a channel's upload names its columns */
	if (strcmp(a->r->name, "available") == 0 &&
	    (rc = ims_available_columns(t, &a->a)))
		return rc;
	o = ims_stdout(a->r->cols);
	rc = a->r->run(t, o, &a->a);
	ims_out_close(o);
	return rc;
}

/* ims-report alone: the reports, a line each. */
static int
list(void)
{
	for (const struct ims_report *r = ims_reports; r->name; r++)
		printf("%-10s %s\n", r->name, r->doc);
	return ims_finish(IMS_EXIT_OK);
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "[REPORT]", doc,
		ims_argp_children, NULL, NULL };
	struct args a = { .a = { .f = IMS_FILTER_ALL,
		.as_of = IMS_TIME_NONE } };

	ims_init_takes(argc, argv, IMS_O_READ, "ims-report stores nothing");
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (!a.name)
		return list();
	if (!a.r) {
		ims_warn("unknown report %s (ims-report alone lists them)",
		    ims_q(a.name));
		return IMS_EXIT_USAGE;
	}
	return ims_read_main(run, &a);
}
