/* ims-report: print one of the reports of lib/report.c's table */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Print a report; alone, list the reports.\v"
    "REPORT is onhand (stock by sku, location and lot, now or --as-of a "
    "past moment; --group-by and --depth roll it up), ledger (the "
    "journal's movements in time order), orders (order lines and their "
    "status), adjustments and accuracy (of counts), the classes abc, xyz, "
    "fsn and ved, expiring, lowstock, movements, dashboard, suppliers, "
    "valuation, aging, turnover, dio, sales, gl, "
    "billing (a client's invoice lines) or available (what each sales "
    "channel may sell).  An option the report does not take is a usage "
    "error.";

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
	{ "abc-cuts", IMS_R_ABCCUTS, "A,B", 0,
	  "abc: cumulative percentages where A and B end (80,95)", 0 },
	{ "xyz-cuts", IMS_R_XYZCUTS, "X,Y", 0,
	  "xyz: coefficients of variation where X and Y end (0.5,1)", 0 },
	{ "fsn-cuts", IMS_R_FSNCUTS, "T,D", 0,
	  "fsn: turnover for fast, days without issue for non-moving "
	  "(3,90)", 0 },
	{ "matrix", IMS_R_MATRIX, "KIND", 0,
	  "abc: count the skus by ABC class and xyz or ved class", 0 },
	{ "days", IMS_R_DAYS, "N", 0, "expiring: lots expiring within N days "
	  "(30)", 0 },
	{ "period", IMS_R_PERIOD, "P", 0, "day, week or month: a row for each "
	  "(sales, movements, xyz)", 0 },
	{ "svg", IMS_R_SVG, "FILE", 0, "Also draw the report as an SVG chart",
	  0 },
	{ "html", IMS_R_HTML, "FILE", 0, "dashboard: the page to write", 0 },
	{ "client", K_CLIENT, "ID", 0, "Only the skus this client owns", 0 },
	{ "channel", K_CHANNEL, "ID", 0, "Only this sales channel", 0 },
	{ "method", IMS_R_METHOD, "fifo|avg", 0,
	  "Cost by FIFO layers (the default) or the moving average", 0 },
	{ "buckets", IMS_R_BUCKETS, "D,D...", 0,
	  "aging: the buckets' last days (30,60,90,180)", 0 },
	{ "by-site", IMS_R_BYSITE, NULL, 0,
	  "gl: an inventory account a site; transfers between sites", 0 },
	{ "accounts", IMS_R_ACCOUNTS, "NAME=ACCOUNT,...", 0,
	  "gl: inventory, grni, cogs, shrinkage accounts", 0 },
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

/* Values that depend on the report, or on two options. */
static void
check_values(struct argp_state *st, const struct args *a)
{
	const char *g = a->r->groups ? a->r->groups : "sku|location|lot";
	size_t n = a->a.group ? strlen(a->a.group) : 0;
	ims_time end = a->a.f.until != IMS_TIME_NONE ? a->a.f.until :
	    a->a.as_of;
	const char *p;

	for (p = g; a->a.group && (p = strstr(p, a->a.group)); p += n)
		if ((p == g || p[-1] == '|') && (p[n] == '|' || !p[n]))
			break;
	if (a->a.group && !p)
		argp_error(st, "--group-by for %s: %s", a->r->name, g);
	/* the ledger's window may be empty; a moment's cannot start late */
	if (a->a.f.since != IMS_TIME_NONE && end != IMS_TIME_NONE &&
	    a->a.f.since > end && strcmp(a->r->name, "ledger") != 0)
		argp_error(st, "--since is after --%s",
		    a->a.f.until != IMS_TIME_NONE ? "until" : "as-of");
}

/* --buckets: ascending whole days. */
static void
buckets(struct argp_state *st, struct ims_report_args *a, const char *arg)
{
	const char *p = arg;
	char *end;

	for (a->nedges = 0; *p; p = *end ? end + 1 : end) {
		long d = strtol(p, &end, 10);
		if (end == p || (*end && *end != ',') || d < 1 ||
		    d > 36500 || a->nedges == IMS_AGING_MAX ||
		    (a->nedges && d <= a->edges[a->nedges - 1]) ||
		    (*end == ',' && !end[1]))
			argp_error(st, "--buckets: up to %d whole days, "
			    "ascending, split by commas (30,60,90,180)",
			    IMS_AGING_MAX);
		a->edges[a->nedges++] = (int)d;
	}
	if (!a->nedges)
		argp_error(st, "--buckets: at least one number of days");
}

/* One of a few words; its index. */
static int
word(struct argp_state *st, const char *opt, const char *arg,
    const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	argp_error(st, "--%s %s: not one of its values (see --help)", opt,
	    ims_q(arg));
	return -1;
}

static void
accounts(struct argp_state *st, const char *arg)
{
	char *copy = strdup(arg);
	const char *acc[4], *why;

	if (!copy)
		argp_failure(st, IMS_EXIT_STORE, 0, "out of memory");
	if ((why = ims_gl_accounts(copy, acc)))
		argp_error(st, "--accounts %s: %s", ims_q(arg), why);
	free(copy);
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
	check_values(st, a);
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

/* Two cut-offs "a,b", each read by get; a no greater than b. */
static void
cuts(struct argp_state *st, const char *opt, const char *arg,
    int (*get)(const char *s, size_t n, int64_t *v), int64_t *a, int64_t *b)
{
	const char *comma = strchr(arg, ',');

	if (!comma || get(arg, comma - arg, a) ||
	    get(comma + 1, strlen(comma + 1), b) || *a > *b)
		argp_error(st, "--%s %s: two cut-offs, the first no greater "
		    "than the second", opt, ims_q(arg));
}

static int
get_pct(const char *s, size_t n, int64_t *v)
{
	ims_dec d;

	if (ims_dec_parse(s, n, 0, &d) || d < 0 || d > 100)
		return 1;
	*v = d;
	return 0;
}

static int
get_days(const char *s, size_t n, int64_t *v)
{
	ims_dec d;

	if (ims_dec_parse(s, n, 0, &d) || d < 0 || d > 36500)
		return 1;
	*v = d;
	return 0;
}

static int
get_coef(const char *s, size_t n, int64_t *v)
{
	return ims_dec_parse(s, n, IMS_QTY, v) || *v < 0;
}

/* The classes' and charts' options. */
static void
parse_class(int key, char *arg, struct argp_state *st, struct args *a)
{
	const char *comma = strchr(arg, ',');
	int64_t x = 0, y = 0;

	switch (key) {
	case IMS_R_ABCCUTS:
		cuts(st, "abc-cuts", arg, get_pct, &x, &y);
		a->a.cut_a = x, a->a.cut_b = y;
		break;
	case IMS_R_XYZCUTS:
		cuts(st, "xyz-cuts", arg, get_coef, &a->a.xyz_x, &a->a.xyz_y);
		break;
	case IMS_R_FSNCUTS:
		if (!comma || get_coef(arg, comma - arg, &a->a.fsn_fast) ||
		    get_days(comma + 1, strlen(comma + 1), &x))
			argp_error(st, "--fsn-cuts %s: a turnover and a number "
			    "of days, as 3,90", ims_q(arg));
		a->a.fsn_days = x;
		break;
	case IMS_R_MATRIX:
		if (strcmp(arg, "xyz") && strcmp(arg, "ved"))
			argp_error(st, "--matrix: xyz or ved");
		a->a.matrix = arg;
		break;
	case IMS_R_DAYS:
		if (get_days(arg, strlen(arg), &x))
			argp_error(st, "--days: a number from 0 to 36500");
		a->a.days = x;
		break;
	case IMS_R_PERIOD:
		a->a.period = strcmp(arg, "day") == 0 ? IMS_P_DAY :
		    strcmp(arg, "week") == 0 ? IMS_P_WEEK :
		    strcmp(arg, "month") == 0 ? IMS_P_MONTH : 0;
		if (!a->a.period)
			argp_error(st, "--period: day, week or month");
		break;
	case IMS_R_SVG: a->a.svg = arg; break;
	case IMS_R_HTML: a->a.html = arg; break;
	}
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	if (key > 0 && key <= IMS_R_LAST)
		a->given |= key;
	if (key >= IMS_R_ABCCUTS && key <= IMS_R_HTML) {
		a->given |= key;
		parse_class(key, arg, st, a);
		return 0;
	}
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
		    strcmp(arg, "lot") && strcmp(arg, "zone") &&
		    strcmp(arg, "total"))
			argp_error(st, "--group-by: sku, location, lot, zone "
			    "or total");
		a->a.group = arg;
		break;
	case IMS_R_METHOD:
		a->a.method = word(st, "method", arg, (const char *[]){
		    "fifo", "avg", NULL });
		break;
	case IMS_R_BUCKETS: buckets(st, &a->a, arg); break;
	case IMS_R_BYSITE: a->a.by_site = 1; break;
	case IMS_R_ACCOUNTS:
		accounts(st, arg);
		a->a.accounts = arg;
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
		if (a->name && (a->r = ims_report_find(a->name))) {
			check_takes(st, a);
			check_values(st, a);
		}
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
	o = ims_stdout(a->a.matrix ? ims_matrix_cols(a->a.matrix) :
	    a->r->cols);
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
	struct args a = { .a = IMS_REPORT_ARGS_INIT };

	ims_init_takes(argc, argv, IMS_O_READ, "ims-report stores nothing");
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (!a.name)
		return list();
	if (!a.r) {
		ims_warn("unknown report %s (ims-report alone lists them)",
		    ims_q(a.name));
		fprintf(stderr, "%s: reports:", ims_prog);
		for (const struct ims_report *r = ims_reports; r->name; r++)
			fprintf(stderr, " %s", r->name);
		fputc('\n', stderr);
		return IMS_EXIT_USAGE;
	}
	a.a.now = ims_now();	/* IMS_TIME_NONE: the reports that read it say */
	return ims_read_main(run, &a);
}
