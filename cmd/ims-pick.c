/* ims-pick: allocate order lines, print pick lists, confirm, cancel */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Allocate order lines: record each as demand, "
    "reserve stock for it (FEFO for lots with an expiry, else FIFO), and "
    "print the pick list in walking order.\v"
    "Each order line: order, sku, qty, and optionally line, priority, ts, "
    "location (a zone to serve it from), hold or expires, min_shelf_days, "
    "channel, client, ref; barcode for sku, uom naming a pack.  A client's "
    "stock serves only its own orders.  Orders are served by priority, "
    "then in input order, each whole or not at all unless --partial.  "
    "A line left short is a backorder; --retry serves backorders.  "
    "--confirm reads picked lines (order, sku, location, qty, lot or "
    "serial, line) or order ids alone, and ships them.  Exit 1 when a line "
    "is short.";

enum { O_STRATEGY = 256, O_LOCATION, O_PARTIAL, O_ALL, O_SHORTAGES,
	O_WAVE, O_RETRY, O_EXPIRE, O_LIST, O_CONFIRM, O_RELEASE_SHORT,
	O_CANCEL, O_CLIENT, O_PACKS };

static struct argp_option options[] = {
	{ "strategy", O_STRATEGY, "S", 0, "fifo, fefo, lifo or "
	    "fewest-locations, instead of FEFO or FIFO by item", 0 },
	{ "location", O_LOCATION, "PREFIX", 0, "allocate from this zone only",
	    0 },
	{ "partial", O_PARTIAL, NULL, 0, "allocate what there is, not whole "
	    "orders only", 0 },
	{ "all-or-nothing", O_ALL, NULL, 0, "allocate nothing if any line is "
	    "short", 0 },
	{ "shortages", O_SHORTAGES, NULL, 0, "print the short lines instead of "
	    "the pick list", 0 },
	{ "wave", O_WAVE, NULL, 0, "merge the pick list by location, listing "
	    "the orders each line serves", 0 },
	{ "retry", O_RETRY, NULL, 0, "allocate open backorders", 0 },
	{ "expire", O_EXPIRE, NULL, 0, "release the holds that have lapsed, "
	    "and do nothing else", 0 },
	{ "list", O_LIST, NULL, 0, "print the pick list of what is reserved",
	    0 },
	{ "confirm", O_CONFIRM, NULL, 0, "ship picked lines or whole orders",
	    0 },
	{ "release-short", O_RELEASE_SHORT, NULL, 0, "with --confirm: release "
	    "what a short pick left reserved", 0 },
	{ "cancel", O_CANCEL, NULL, 0, "cancel the orders named as operands",
	    0 },
	{ "client", O_CLIENT, "ID", 0, "only this client's orders and stock",
	    0 },
	{ "packs", O_PACKS, NULL, 0, "show pick quantities in the items' "
	    "packs too", 0 },
	{ 0 }
};

enum { M_ALLOCATE, M_RETRY, M_EXPIRE, M_LIST, M_CONFIRM, M_CANCEL };

static const char *const order_need[] = { "order", "sku", "qty", NULL };
static const char *const confirm_need[] = { "order", NULL };

static struct {
	int mode, modes, shortages, wave, release_short, expired, packs;
	const char *client;
	struct ims_pick_opts pick;
	struct ims_oline **lines;	/* the batch's, copied */
	size_t n, cap;
	struct ims_map *seen;		/* order -> lines given so far */
	char **args;
	int nargs;
	struct ims_rec rec;
} g;

static void
set_mode(int m)
{
	g.mode = m;
	g.modes++;
}

static int
strategy(const char *s)
{
	for (int i = 1; ims_strategy_names[i]; i++)
		if (strcmp(s, ims_strategy_names[i]) == 0)
			return i;
	return -1;
}

static error_t
parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case O_STRATEGY:
		if ((g.pick.alloc.strategy = strategy(arg)) < 0)
			argp_error(state, "--strategy: %s is not fifo, fefo, "
			    "lifo or fewest-locations", ims_q(arg));
		break;
	case O_LOCATION:
		if (ims_check_id("--location", arg))
			argp_error(state, "%s", ims_errmsg());
		g.pick.alloc.location = arg;
		break;
	case O_PARTIAL: g.pick.partial = 1; break;
	case O_ALL: g.pick.all_or_nothing = 1; break;
	case O_SHORTAGES: g.shortages = 1; break;
	case O_WAVE: g.wave = 1; break;
	case O_RELEASE_SHORT: g.release_short = 1; break;
	case O_RETRY: set_mode(M_RETRY); break;
	case O_EXPIRE: set_mode(M_EXPIRE); break;
	case O_LIST:
		set_mode(M_LIST);
		ims_opts_mode(IMS_O_READ, "--list stores nothing");
		break;
	case O_CONFIRM: set_mode(M_CONFIRM); break;
	case O_CANCEL: set_mode(M_CANCEL); break;
	case O_PACKS: g.packs = 1; break;
	case O_CLIENT:
		if (ims_check_id("--client", arg))
			argp_error(state, "%s", ims_errmsg());
		g.client = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


/* Options that only some modes take are usage errors elsewhere. */
static void
check_options(void)
{
	int alloc = g.mode == M_ALLOCATE || g.mode == M_RETRY;

	if (g.modes > 1)
		ims_usage_error("--retry, --expire, --list, --confirm and "
		    "--cancel are modes: give one");
	if (!alloc && (g.pick.partial || g.pick.all_or_nothing ||
	    g.shortages || g.pick.alloc.strategy))
		ims_usage_error("--partial, --all-or-nothing, --shortages and "
		    "--strategy are for allocating");
	if (g.pick.alloc.location && !alloc && g.mode != M_LIST)
		ims_usage_error("--location is for allocating and --list");
	if (g.wave && !alloc && g.mode != M_LIST)
		ims_usage_error("--wave is for allocating and --list");
	if (g.packs && ((!alloc && g.mode != M_LIST) || g.shortages))
		ims_usage_error("--packs is for the pick list (allocating and "
		    "--list)");
	if (g.release_short && g.mode != M_CONFIRM)
		ims_usage_error("--release-short is for --confirm");
	if (g.mode == M_CANCEL && g.nargs == 0)
		ims_usage_error("--cancel: name the orders to cancel");
	if ((g.mode == M_RETRY || g.mode == M_EXPIRE || g.mode == M_LIST) &&
	    g.nargs)
		ims_usage_error("--retry, --expire and --list read no files");
}

static int
keep(struct ims_oline *l)
{
	struct ims_oline *d;

	if (g.n == g.cap) {
		size_t cap = g.cap ? 2 * g.cap : 256;
		struct ims_oline **v = realloc(g.lines, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		g.lines = v, g.cap = cap;
	}
	if (!(d = ims_oline_dup(l)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	g.lines[g.n++] = d;
	return IMS_OK;
}

/* A line without a line number is numbered by its place among the
 * order's records in this input, so that the same file run again names
 * the same lines (and is skipped); lines added to an order later must
 * say which they are. */
static int
line_number(struct ims_oline *l, char *buf, size_t size)
{
	void **slot;
	int isnew;

	slot = ims_map_slot(g.seen, l->order, &isnew);
	*slot = (void *)((uintptr_t)*slot + 1);
	if (!l->line) {
		snprintf(buf, size, "%lu", (unsigned long)(uintptr_t)*slot);
		l->line = buf;
	}
	return IMS_OK;
}

/* With --client, a sku of another client (or of none) is not this
 * run's to touch. */
static int
clients(struct ims_txn *t, const char *sku)
{
	const char *owner;
	int rc;

	if (!g.client)
		return IMS_OK;
	if ((rc = ims_owner(t, sku, &owner)))
		return rc;
	if (owner && strcmp(owner, g.client) == 0)
		return IMS_OK;
	return ims_seterr(IMS_EREJECT, "sku %s is not client %s's",
	    ims_q(sku), ims_q(g.client));
}

/* With --client, every line of the order is the client's. */
static int
clients_order(struct ims_txn *t, const char *order)
{
	struct ims_oline **v;
	size_t n;
	int rc;

	if (!g.client)
		return IMS_OK;
	if ((rc = ims_order_lines(t, order, &v, &n)))
		return rc;
	if (n == 0)
		rc = ims_seterr(IMS_EREJECT, "no order %s", ims_q(order));
	for (size_t i = 0; !rc && i < n; i++)
		rc = clients(t, v[i]->sku);
	ims_order_lines_free(v, n);
	return rc;
}

/* An order line: recorded (as demand) and kept to serve at the end.  A
 * line the store has with the same sku and qty was posted before. */
static int
order_record(struct ims_batch *b, struct ims_rec *in)
{
	const struct ims_rec *r;
	struct ims_oline l, have;
	char num[24];
	int rc;

	if ((rc = ims_resolve_sku(b->txn, in, "qty", &r)))
		return rc;
	if ((rc = ims_order_parse(b->journal, r, &l)) ||
	    (rc = clients(b->txn, l.sku)))
		goto out;
	if ((rc = line_number(&l, num, sizeof num)))
		goto out;
	rc = ims_oline_get(b->txn, l.order, l.line, &have);
	if (rc == IMS_OK) {
		rc = strcmp(have.sku, l.sku) == 0 && have.wanted == l.wanted ?
		    ims_seterr(IMS_ESKIP, "order %s line %s was posted "
		    "before: skipped", ims_q(l.order), ims_q(l.line)) :
		    ims_seterr(IMS_EREJECT, "order %s line %s exists with "
		    "another sku or qty", ims_q(l.order), ims_q(l.line));
		goto out;
	}
	if (rc != IMS_ENOTFOUND)
		goto out;
	if (!(rc = ims_order_post(b->journal, &l, r, NULL, NULL)))
		rc = keep(&l);
out:
	ims_oline_release(&l);
	return rc;
}

static int
opt_qty(const struct ims_rec *r, ims_dec *q)
{
	const char *s = ims_rec_str(r, "qty"), *why;

	if (!s)
		return ims_seterr(IMS_EREJECT, "missing field qty");
	if ((why = ims_dec_parse(s, strlen(s), IMS_QTY, q)))
		return ims_seterr(IMS_EREJECT, "qty %s: %s", ims_q(s), why);
	if (*q <= 0)
		return ims_seterr(IMS_EREJECT, "qty must be positive");
	return IMS_OK;
}

/* A confirmation's fingerprint: its fields, for its ref. */
static void
confirm_fp(const struct ims_rec *r, char fp[IMS_FP_LEN + 1])
{
	struct ims_buf b = { 0 };

	ims_buf_add(&b, "confirm", 8);
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].name, "ref") && r->f[i].type != IMS_F_NULL)
			ims_canon_add(&b, r->f[i].name, r->f[i].val);
	ims_fingerprint(&b, fp);
	ims_buf_free(&b);
}

static int expire(struct ims_batch *b, int loud);

/* A picked line, or an order id meaning "as allocated". */
static int
confirm_record(struct ims_batch *b, struct ims_rec *in)
{
	const struct ims_rec *r;
	struct ims_confirm c = { 0 };
	ims_dec short_by;
	int rc;

	/* a hold that lapsed is not shipped: release it first */
	if (!g.expired && (rc = expire(b, 1)))
		return rc;
	if ((rc = ims_resolve_sku(b->txn, in, "qty", &r)))
		return rc;
	c.order = ims_rec_str(r, "order");
	c.line = ims_rec_str(r, "line");
	c.sku = ims_rec_str(r, "sku");
	c.location = ims_rec_str(r, "location");
	c.lot = ims_rec_str(r, "lot");
	c.serial = ims_rec_str(r, "serial");
	c.ref = ims_rec_str(r, "ref");
	c.release_short = g.release_short;
	if (!c.order || !*c.order)
		return ims_seterr(IMS_EREJECT, "missing field order");
	if (c.sku && (!c.location || !*c.location))
		return ims_seterr(IMS_EREJECT, "missing field location");
	if (c.sku && (rc = opt_qty(r, &c.qty)))
		return rc;
	if (c.ref)
		confirm_fp(r, c.fp);
	if ((rc = clients_order(b->txn, c.order)))
		return rc;
	if ((rc = ims_pick_confirm(b->journal, &c, &short_by)))
		return rc;
	if (short_by && !ims_opt.quiet)
		ims_warn("%s:%ld: order %s: short pick of %s, %s %s", r->file,
		    r->line, ims_q(c.order), ims_q(c.sku),
		    ims_dec_fmt(short_by, IMS_QTY, (char[IMS_DEC_BUF]){ 0 }),
		    g.release_short ? "released" : "still reserved");
	return IMS_OK;
}

static struct ims_out *short_out;

static int
shortage(void *arg, const struct ims_oline *l, ims_dec wanted,
    ims_dec allocated)
{
	char a[IMS_DEC_BUF], w[IMS_DEC_BUF], s[IMS_DEC_BUF];

	(void)arg;
	if (g.shortages) {
		if (!short_out)
			return IMS_OK;
		ims_rec_reset(&g.rec);
		ims_rec_adds(&g.rec, "order", l->order);
		ims_rec_adds(&g.rec, "line", l->line);
		ims_rec_adds(&g.rec, "sku", l->sku);
		ims_rec_addn(&g.rec, "wanted", l->wanted, IMS_QTY);
		ims_rec_addn(&g.rec, "allocated", allocated, IMS_QTY);
		ims_rec_addn(&g.rec, "short", l->wanted - allocated, IMS_QTY);
		ims_out_rec(short_out, &g.rec);
	} else if (!ims_opt.quiet)
		ims_warn("order %s line %s: %s short of %s (%s wanted, %s "
		    "allocated)", ims_q(l->order), ims_q(l->line),
		    ims_dec_fmt(l->wanted - allocated, IMS_QTY, s),
		    ims_q(l->sku), ims_dec_fmt(l->wanted, IMS_QTY, w),
		    ims_dec_fmt(allocated, IMS_QTY, a));
	(void)wanted;
	return IMS_OK;
}

/* Release the holds that have lapsed, once a run. */
static int
expire(struct ims_batch *b, int loud)
{
	long n;
	int rc;

	g.expired = 1;
	if ((rc = ims_pick_expire(b->journal, &n)))
		return rc;
	if (loud && n && !ims_opt.quiet)
		ims_warn("released %ld lapsed hold%s", n, n == 1 ? "" : "s");
	return IMS_OK;
}

/* --retry --client: the client's backorders only. */
static void
only_clients(struct ims_txn *t)
{
	size_t k = 0;

	for (size_t i = 0; i < g.n; i++)
		if (ims_owned(t, g.lines[i]->sku, g.client))
			g.lines[k++] = g.lines[i];
		else
			ims_order_lines_free(&g.lines[i], 1);
	g.n = k;
}

/* The pick list's columns: with --packs, the packs too. */
static const char *const *
pick_cols(void)
{
	return g.wave ? (g.packs ? ims_wave_pack_cols : ims_wave_cols) :
	    g.packs ? ims_pick_pack_cols : ims_pick_cols;
}

/* After the records: lapsed holds released, then the mode's work. */
static int
end(struct ims_batch *b, int loud)
{
	struct ims_journal *j = b->journal;
	struct ims_plan *plan = NULL;
	struct ims_picklist *pl;
	struct ims_out *o;
	int rc, short_;

	if (!g.expired && (rc = expire(b, loud)))
		return rc;
	if (g.mode == M_CANCEL) {
		for (int i = 0; i < g.nargs; i++) {
			if (!(rc = clients_order(b->txn, g.args[i])))
				rc = ims_order_cancel(j, g.args[i], NULL,
				    NULL, ims_journal_now(j));
			b->items++;
			if (rc == IMS_EREJECT) {
				b->rejected++;
				ims_warn("%s", ims_errmsg());
			} else if (rc)
				return rc;
		}
		return IMS_OK;
	}
	if (g.mode == M_RETRY && (rc = ims_pick_backorders(b->txn,
	    ims_journal_now(j), &g.lines, &g.n)))
		return rc;
	if (g.mode == M_RETRY && g.client)
		only_clients(b->txn);
	if (g.mode != M_ALLOCATE && g.mode != M_RETRY)
		return IMS_OK;
	g.pick.alloc.now = ims_journal_now(j);
	short_out = g.shortages && loud && !ims_opt.quiet ?
	    ims_stdout((const char *const[]){ "order", "line", "sku",
	    "wanted", "allocated", "short", NULL }) : NULL;
	rc = ims_pick_serve(j, &g.pick, g.lines, g.n, loud ? shortage : NULL,
	    NULL, &plan, &short_);
	ims_out_close(short_out);
	b->shortage = short_;
	if (!rc && loud && !g.shortages && !ims_opt.quiet) {
		if (!(pl = ims_picklist_new(b->txn)))
			rc = ims_seterr(IMS_ESTORE, "out of memory");
		else if (!(rc = ims_plan_each(plan, ims_picklist_add, pl))) {
			ims_picklist_packs(pl, g.packs);
			o = ims_stdout(pick_cols());
			ims_picklist_print(pl, o, g.wave);
			ims_out_close(o);
		}
		ims_picklist_free(pl);
	}
	ims_plan_free(plan);
	return rc;
}

static void
reset(struct ims_batch *b)
{
	(void)b;
	g.expired = 0;
	ims_order_lines_free(g.lines, g.n);
	g.lines = NULL;
	g.n = g.cap = 0;
	ims_map_free(g.seen, NULL);
	g.seen = ims_map_new();
}

struct listing {
	struct ims_picklist *pl;
	const char *zone;
};

static int
list_row(void *arg, const struct ims_resv *r, ims_dec qty)
{
	struct listing *l = arg;

	if ((l->zone && !ims_loc_match(r->loc, l->zone)) ||
	    !ims_owned(ims_picklist_txn(l->pl), r->sku, g.client))
		return IMS_OK;
	return ims_picklist_add(l->pl, r, qty);
}

/* --list: what is reserved, as a pick list. */
static int
list(struct ims_txn *t, void *arg)
{
	struct listing l = { ims_picklist_new(t), g.pick.alloc.location };
	struct ims_out *o;
	int rc;

	(void)arg;
	if (!l.pl)
		return ims_seterr(IMS_ESTORE, "out of memory");
	if (!(rc = ims_each_resv(t, NULL, NULL, list_row, &l))) {
		ims_picklist_packs(l.pl, g.packs);
		o = ims_stdout(pick_cols());
		ims_picklist_print(l.pl, o, g.wave);
		ims_out_close(o);
	}
	ims_picklist_free(l.pl);
	return rc;
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "[FILE...]\n--cancel ORDER...",
		doc, ims_argp_children, NULL, NULL };
	struct ims_batch b = { .cols = ims_order_cols, .end = end,
		.reset = reset };
	int idx;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	g.args = argv + idx;
	g.nargs = argc - idx;
	g.seen = ims_map_new();
	check_options();
	if (g.mode == M_LIST)
		return ims_read_main(list, NULL);
	ims_rec_require(g.mode == M_CONFIRM ? confirm_need : order_need);
	b.record = g.mode == M_CONFIRM ? confirm_record : order_record;
	/* what a mode that ships or releases posted is its echo; an
	 * allocation's is the pick list */
	if (g.mode != M_ALLOCATE && g.mode != M_RETRY) {
		b.echo = ims_echo_entries;
		b.cols = ims_pick_echo_cols;
	}
	b.no_input = g.mode == M_RETRY || g.mode == M_EXPIRE ||
	    g.mode == M_CANCEL;
	return ims_batch_run(&b, b.no_input ? 0 : g.nargs,
	    b.no_input ? NULL : g.args);
}
