/* ims-count: count sheets, counts pinned to their moment, adjustments */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Print count sheets, record physical counts "
    "and their variances, and with --apply adjust the book to the count "
    "as of the moment it was taken.\v"
    "Each counted record: location, sku, counted, and optionally lot, "
    "serial, ts (when it was counted; default now), ref, reason, note.  "
    "The book is the balance at the count's ts.  Every count is recorded "
    "in the journal; --apply posts the adjustments (to or from @adjust) "
    "at that ts, so that later movements stay on top of them.  A count "
    "recorded before is applied later by running the same records (the "
    "same refs) again with --apply.";

enum { OPT_SHEET = 0x400, OPT_BLIND, OPT_EMPTY, OPT_LOCATION, OPT_SKU,
	OPT_APPLY, OPT_ATNOW, OPT_FORCE, OPT_COMPLETE, OPT_TOL, OPT_CYCLE,
	OPT_DATE, OPT_EVERY };

static const struct argp_option options[] = {
	{ "sheet", OPT_SHEET, NULL, 0, "Print what to count, in walking "
	  "order", 0 },
	{ "cycle", OPT_CYCLE, NULL, 0, "Print what is due for counting on "
	  "--date, by ABC class", 0 },
	{ "date", OPT_DATE, "DAY", 0, "--cycle: the day (default today)", 0 },
	{ "every", OPT_EVERY, "A,B,C", 0, "--cycle: count each class every "
	  "so many days (default 30,90,365)", 0 },
	{ "blind", OPT_BLIND, NULL, 0, "--sheet: leave out the book", 0 },
	{ "include-empty", OPT_EMPTY, NULL, 0,
	  "--sheet: list the empty locations too", 0 },
	{ "location", OPT_LOCATION, "PREFIX", 0,
	  "--sheet: only this location or zone", 0 },
	{ "sku", OPT_SKU, "SKU[,SKU...]", 0, "--sheet: only these skus", 0 },
	{ "apply", OPT_APPLY, NULL, 0,
	  "Post the adjustments, at each count's ts", 0 },
	{ "at-now", OPT_ATNOW, NULL, 0, "--apply: adjust now where a later "
	  "movement contradicts the count", 0 },
	{ "force", OPT_FORCE, NULL, 0,
	  "--apply: adjust counts marked recount too", 0 },
	{ "complete", OPT_COMPLETE, NULL, 0, "Balances of the counted "
	  "locations that the input leaves out count as zero", 0 },
	{ "tolerance", OPT_TOL, "T", 0, "Beyond T a variance is marked "
	  "recount: a quantity (2), a percentage of the book (5%) or a value "
	  "(value:50); may be given more than once", 0 },
	{ 0 }
};

#define MAX_TOL 8
#define MAX_SKUS 256

struct args {
	int sheet;
	unsigned given;		/* the options of one mode or another */
	struct ims_sheet s;
	struct ims_count_opts o;
	struct ims_tolerance tol[MAX_TOL];
	const char *skus[MAX_SKUS + 1];
	size_t nskus;
};

static void
add_skus(struct argp_state *st, struct args *a, char *arg)
{
	for (char *p = strtok(arg, ","); p; p = strtok(NULL, ",")) {
		if (a->nskus == MAX_SKUS)
			argp_error(st, "--sku: at most %d skus", MAX_SKUS);
		a->skus[a->nskus++] = p;
	}
	a->s.skus = a->skus;
}

static void
add_tolerance(struct argp_state *st, struct args *a, const char *arg)
{
	struct ims_tolerance *t = &a->tol[a->o.ntol];
	size_t n = strlen(arg);
	const char *p = arg, *why;
	int scale = IMS_QTY;

	if (a->o.ntol == MAX_TOL)
		argp_error(st, "--tolerance: at most %d", MAX_TOL);
	t->kind = IMS_TOL_QTY;
	if (strncmp(arg, "value:", 6) == 0) {
		t->kind = IMS_TOL_VALUE;
		p += 6, n -= 6, scale = IMS_MONEY;
	} else if (n && arg[n - 1] == '%') {
		t->kind = IMS_TOL_PCT;
		n--;
	}
	if ((why = ims_dec_parse(p, n, scale, &t->v)) || t->v < 0)
		argp_error(st, "--tolerance %s: a quantity, a percentage (5%%) "
		    "or a value (value:50), not negative", ims_q(arg));
	a->o.tol = a->tol;
	a->o.ntol++;
}

static void
every(struct argp_state *st, struct args *a, const char *arg)
{
	const char *p = arg;
	char *end;

	for (int i = 0; i < 3; i++) {
		long v = strtol(p, &end, 10);
		if (end == p || v < 1 || v > 3650 || (i < 2 && *end != ',') ||
		    (i == 2 && *end))
			argp_error(st, "--every %s: three numbers of days, "
			    "1 to 3650, for A, B and C (30,90,365)",
			    ims_q(arg));
		a->s.days[i] = v;
		p = end + 1;
	}
}

#define BIT(k) (1u << ((k) - OPT_SHEET))

/* Options of the sheet, options of counting: never the two at once. */
static void
check_mode(struct argp_state *st, const struct args *a)
{
	static const unsigned sheet = BIT(OPT_BLIND) | BIT(OPT_EMPTY) |
	    BIT(OPT_LOCATION) | BIT(OPT_SKU) | BIT(OPT_DATE) | BIT(OPT_EVERY);
	static const unsigned cycle = BIT(OPT_DATE) | BIT(OPT_EVERY);
	const struct argp_option *o;

	if (a->sheet && a->s.cycle)
		argp_error(st, "--sheet or --cycle, not both");
	for (o = options; o->name; o++) {
		unsigned bit = BIT(o->key);
		int listing = a->sheet || a->s.cycle;
		if (!(a->given & bit) || o->key == OPT_SHEET ||
		    o->key == OPT_CYCLE)
			continue;
		if (listing && !(sheet & bit))
			argp_error(st, "--%s does not apply to --%s", o->name,
			    a->sheet ? "sheet" : "cycle");
		if (!listing && (sheet & bit))
			argp_error(st, "--%s goes with --sheet or --cycle",
			    o->name);
		if (a->sheet && (cycle & bit))
			argp_error(st, "--%s goes with --cycle", o->name);
		if (a->s.cycle && bit == BIT(OPT_EMPTY))
			argp_error(st, "--include-empty goes with --sheet");
	}
	if ((a->o.at_now || a->o.force) && !a->o.apply)
		argp_error(st, "--%s goes with --apply", a->o.at_now ?
		    "at-now" : "force");
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;

	const char *why;

	if (key >= OPT_SHEET && key <= OPT_EVERY)
		a->given |= BIT(key);
	switch (key) {
	case OPT_SHEET:
		a->sheet = 1;
		ims_opts_mode(IMS_O_READ, "--sheet stores nothing");
		break;
	case OPT_CYCLE:
		a->s.cycle = 1;
		ims_opts_mode(IMS_O_READ, "--cycle stores nothing");
		break;
	case OPT_DATE:
		if ((why = ims_time_parse(arg, strlen(arg), &a->s.day)))
			argp_error(st, "--date %s: %s", ims_q(arg), why);
		break;
	case OPT_EVERY: every(st, a, arg); break;
	case OPT_BLIND: a->s.blind = 1; break;
	case OPT_EMPTY: a->s.include_empty = 1; break;
	case OPT_LOCATION: a->s.location = arg; break;
	case OPT_SKU: add_skus(st, a, arg); break;
	case OPT_APPLY: a->o.apply = 1; break;
	case OPT_ATNOW: a->o.at_now = 1; break;
	case OPT_FORCE: a->o.force = 1; break;
	case OPT_COMPLETE: a->o.complete = 1; break;
	case OPT_TOL: add_tolerance(st, a, arg); break;
	case ARGP_KEY_ARG:
		if (a->sheet || a->s.cycle)
			argp_error(st, "--%s reads no records", a->sheet ?
			    "sheet" : "cycle");
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_SUCCESS:
		check_mode(st, a);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int
sheet(struct ims_txn *t, void *arg)
{
	struct args *a = arg;
	struct ims_out *o = ims_stdout(a->s.cycle ? (a->s.blind ?
	    ims_cycle_blind_cols : ims_cycle_cols) : a->s.blind ?
	    ims_sheet_blind_cols : ims_sheet_cols);
	int rc = ims_count_sheet(t, o, &a->s);

	ims_out_close(o);
	return rc;
}

static int
record(struct ims_batch *b, struct ims_rec *r)
{
	return ims_count_record(b->arg, b->journal, r);
}

static int
end(struct ims_batch *b, int loud)
{
	(void)loud;
	return ims_count_complete(b->arg, b->journal);
}

static int
echo(struct ims_batch *b, struct ims_txn *t, struct ims_out *o)
{
	(void)t;
	ims_count_echo(b->arg, o);
	return IMS_OK;
}

static void
reset(struct ims_batch *b)
{
	ims_count_reset(b->arg);
}

int
main(int argc, char **argv)
{
	static const char *const need[] = { "location|location_barcode",
		"sku|barcode", "counted", NULL };
	struct argp argp = { options, parse, "[FILE...]", doc,
		ims_argp_children, NULL, NULL };
	struct args a = { .s = { .day = IMS_TIME_NONE,
		.days = { 30, 90, 365 } } };
	struct ims_batch b = { .cols = ims_count_cols, .record = record,
		.echo = echo, .reset = reset, .end = end };
	int idx, status;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, &a);
	if (a.s.cycle && a.s.day == IMS_TIME_NONE &&
	    (a.s.day = ims_now()) == IMS_TIME_NONE) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_USAGE;
	}
	if (a.sheet || a.s.cycle)
		return ims_read_main(sheet, &a);
	ims_rec_require(need);
	b.arg = ims_count_new(&a.o);
	status = ims_batch_run(&b, argc - idx, argv + idx);
	if (status == IMS_EXIT_OK && ims_count_blocked(b.arg)) {
		ims_warn("%ld counted balance%s not applied: see above",
		    ims_count_blocked(b.arg), ims_count_blocked(b.arg) == 1 ?
		    "" : "s");
		status = IMS_EXIT_REJECT;
	}
	ims_count_free(b.arg);
	return status;
}
