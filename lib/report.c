/*
 * report.c: on-hand (now or at any past moment, rolled up as asked) and
 * the stock ledger in (ts, seq) order; the table of reports at the end,
 * so that a report is added in one place.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

const char *const ims_onhand_cols[] = { "sku", "location", "lot",
	"serial", "expiry", "on_hand", "allocated", "available", NULL };

/* One row of on-hand, before output. */
struct row {
	const char *sku, *loc, *trk;
	ims_wide on_hand, allocated;
};

struct onhand {
	struct ims_txn *t;
	struct ims_out *o;
	const struct ims_filter *f;
	const char *group;
	int depth;
	struct ims_map *groups;		/* rolled-up rows by key */
	struct ims_map *track;		/* sku -> "lot" or "serial" */
	struct ims_rec rec;
	char locbuf[IMS_KEY_MAX];
	int rc;			/* a store error met while printing */
};

/* A group's totals, in 128 bits: many balances near the top of 64 bits
 * must not wrap. */
struct sum {
	ims_wide on_hand, allocated;
};

/* How the item is tracked, so that a row says lot or serial. */
static const char *
tracking(struct onhand *h, const char *sku)
{
	static const char *const kinds[] = { "none", "lot", "serial" };
	int isnew;
	void **slot = ims_map_slot(h->track, sku, &isnew);

	if (isnew) {
		const char *s = NULL;
		*slot = (void *)kinds[0];
		if (ims_master_get(h->t, &ims_item_schema, sku, &h->rec) == 0 &&
		    (s = ims_rec_str(&h->rec, "track")))
			*slot = (void *)(strcmp(s, "serial") == 0 ? kinds[2] :
			    strcmp(s, "lot") == 0 ? kinds[1] : kinds[0]);
	}
	return *slot;
}

static void
add_expiry(struct onhand *h, const char *sku, const char *lot)
{
	ims_time e;
	char b[IMS_TIME_BUF];
	int rc = ims_lot_expiry(h->t, sku, lot, &e);

	if (rc && rc != IMS_ENOTFOUND && !h->rc)
		h->rc = rc;
	if (rc == IMS_OK && e != IMS_TIME_NONE)
		ims_rec_adds(&h->rec, "expiry", ims_date_fmt(e, b));
}

static void
add_wide(struct ims_rec *r, const char *name, ims_wide v)
{
	char b[IMS_DEC128_BUF];

	ims_wide_fmt(v, IMS_QTY, b);
	ims_rec_add(r, name, b, strlen(b), IMS_F_NUM);
}

static void
emit(struct onhand *h, const struct row *r)
{
	const char *kind = tracking(h, r->sku);

	ims_rec_reset(&h->rec);
	ims_rec_adds(&h->rec, "sku", r->sku);
	if (r->loc)
		ims_rec_adds(&h->rec, "location", r->loc);
	if (r->trk && *r->trk && strcmp(kind, "none") != 0) {
		ims_rec_adds(&h->rec, kind, r->trk);
		if (strcmp(kind, "lot") == 0)
			add_expiry(h, r->sku, r->trk);
	}
	add_wide(&h->rec, "on_hand", r->on_hand);
	add_wide(&h->rec, "allocated", r->allocated);
	add_wide(&h->rec, "available", r->on_hand - r->allocated);
	ims_out_rec(h->o, &h->rec);
}


static int
rolled_up(const struct onhand *h)
{
	return h->group || h->depth > 0;
}

/* Take one balance: filter it, then print it or add it to its group. */
static void
take(struct onhand *h, const struct row *r)
{
	struct ims_buf k = { 0 };
	struct sum *s;
	void **slot;
	int isnew;

	if ((h->f->sku && strcmp(r->sku, h->f->sku) != 0) ||
	    (h->f->location && !ims_loc_match(r->loc, h->f->location)) ||
	    (r->on_hand == 0 && r->allocated == 0))
		return;
	if (!rolled_up(h)) {
		emit(h, r);
		return;
	}
	ims_buf_add(&k, r->sku, strlen(r->sku) + 1);
	/* by lot, the key is sku and lot alone, as flush_groups reads it */
	if (!h->group || strcmp(h->group, "location") == 0) {
		const char *loc = ims_loc_cut(r->loc, h->depth, h->locbuf,
		    sizeof h->locbuf);
		ims_buf_add(&k, loc, strlen(loc) + 1);
	}
	if (!h->group || strcmp(h->group, "lot") == 0)
		ims_buf_add(&k, r->trk, strlen(r->trk) + 1);
	/* the map wants a C string: turn the separators into '\x1f' */
	for (size_t i = 0; i + 1 < k.n; i++)
		if (k.p[i] == '\0')
			k.p[i] = '\x1f';
	slot = ims_map_slot(h->groups, k.p, &isnew);
	if (isnew && !(*slot = calloc(1, sizeof(struct sum)))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	s = *slot;
	s->on_hand += r->on_hand;
	s->allocated += r->allocated;
	ims_buf_free(&k);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the groups in key order. */
static void
flush_groups(struct onhand *h)
{
	size_t n = ims_map_count(h->groups), it = 0, i = 0;
	const char **keys = calloc(n + 1, sizeof *keys);
	const char *key;
	void *val;

	while (ims_map_each(h->groups, &it, &key, &val))
		keys[i++] = key;
	qsort(keys, n, sizeof *keys, cmp_str);
	for (i = 0; i < n; i++) {
		char *k = strdup(keys[i]), *f[3] = { k, NULL, NULL }, *p;
		const struct sum *s = ims_map_get(h->groups, keys[i]);
		struct row r = { .on_hand = s->on_hand,
			.allocated = s->allocated };
		int nf = 1;

		for (p = k; (p = strchr(p, '\x1f')) && nf < 3; nf++)
			*p++ = '\0', f[nf] = p;
		r.sku = f[0];
		if (h->group && strcmp(h->group, "sku") == 0)
			r.loc = NULL, r.trk = "";
		else if (h->group && strcmp(h->group, "lot") == 0)
			r.loc = NULL, r.trk = f[1] ? f[1] : "";
		else if (h->group)
			r.loc = f[1], r.trk = "";
		else
			r.loc = f[1], r.trk = f[2] ? f[2] : "";
		emit(h, &r);
		free(k);
	}
	free(keys);
}

static int
take_balance(void *arg, const struct ims_balance *b)
{
	struct row r = { b->sku, b->loc, b->trk, b->b.on_hand,
		b->b.allocated };
	struct onhand *h = arg;

	if (!ims_owned(h->t, b->sku, h->f->client))
		return IMS_OK;
	take(arg, &r);
	return IMS_OK;
}

/*
 * On hand by sku, location and lot.  group: NULL (every balance), "sku",
 * "location" or "lot"; depth cuts locations to their first segments, so
 * that depth 1 gives one row per warehouse.  as_of: IMS_TIME_NONE for
 * now; a past moment has no allocations.
 */
int
ims_report_onhand(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f, const char *group, int depth,
    ims_time as_of)
{
	struct onhand h = { .t = t, .o = o, .f = f, .group = group,
		.depth = depth };
	int rc;

	h.groups = ims_map_new();
	h.track = ims_map_new();
	if (!h.groups || !h.track)
		return ims_seterr(IMS_ESTORE, "out of memory");
	rc = as_of == IMS_TIME_NONE ?
	    ims_each_balance(t, f->sku, take_balance, &h) :
	    ims_each_balance_at(t, f->sku, as_of, take_balance, &h);
	if (rc == IMS_OK && rolled_up(&h))
		flush_groups(&h);
	if (rc == IMS_OK)
		rc = h.rc;
	ims_map_free(h.groups, free);
	ims_map_free(h.track, NULL);
	ims_rec_free(&h.rec);
	return rc;
}

static int
print_movement(void *arg, const struct ims_entry *e)
{
	ims_out_json(arg, e->json, e->jsonlen);
	return IMS_OK;
}

/* The stock ledger: the journal's movements in (ts, seq) order,
 * filtered. */
int
ims_report_ledger(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f)
{
	struct ims_filter mf = *f;

	mf.kinds = 1u << IMS_KIND_MOVE;
	return ims_each_entry_by_time(t, &mf, print_movement, o);
}

static int
run_onhand(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	return ims_report_onhand(t, o, &a->f, a->group, a->depth, a->as_of);
}

/* The ledger as of a moment is the ledger up to it. */
static int
run_ledger(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct ims_filter f = a->f;

	if (a->as_of != IMS_TIME_NONE)
		f.until = a->as_of;
	return ims_report_ledger(t, o, &f);
}

const struct ims_report ims_reports[] = {
	{ "onhand", "stock by sku, location and lot or serial, now or "
	  "--as-of a moment; --group-by and --depth roll it up",
	  ims_onhand_cols, IMS_R_SKU | IMS_R_LOCATION | IMS_R_ASOF |
	  IMS_R_GROUP | IMS_R_DEPTH | IMS_R_CLIENT, run_onhand, NULL },
	{ "ledger", "the movements in time order, between --since and "
	  "--until (or up to --as-of)", ims_move_cols, IMS_R_SKU |
	  IMS_R_LOCATION | IMS_R_SINCE | IMS_R_UNTIL | IMS_R_ASOF |
	  IMS_R_CLIENT, run_ledger, NULL },
	{ "orders", "order lines with what is wanted, allocated and shipped, "
	  "and their status; --open only those not done", ims_order_cols,
	  IMS_R_SKU | IMS_R_OPEN | IMS_R_CLIENT | IMS_R_CHANNEL,
	  ims_report_orders, NULL },
	{ "adjustments", "the value of count adjustments by sku, location "
	  "(--depth) and reason, between --since and --until",
	  ims_adjustments_cols, IMS_R_SKU | IMS_R_LOCATION | IMS_R_SINCE |
	  IMS_R_UNTIL | IMS_R_DEPTH | IMS_R_CLIENT, ims_report_adjustments, NULL },
	{ "accuracy", "inventory record accuracy: the share of counted "
	  "balances within tolerance, by zone (--depth) and ABC class",
	  ims_accuracy_cols, IMS_R_SKU | IMS_R_LOCATION | IMS_R_SINCE |
	  IMS_R_UNTIL | IMS_R_DEPTH | IMS_R_CLIENT, ims_report_accuracy, NULL },
	{ "abc", "ABC classes by consumption value (shipped to @customer "
	  "times unit_cost) between --since and --until; --matrix xyz|ved "
	  "counts skus by two classes", ims_abc_cols, IMS_R_SKU |
	  IMS_R_SINCE | IMS_R_UNTIL | IMS_R_ASOF | IMS_R_ABCCUTS |
	  IMS_R_XYZCUTS | IMS_R_MATRIX | IMS_R_PERIOD | IMS_R_SVG,
	  ims_report_abc, NULL },
	{ "xyz", "XYZ classes by the coefficient of variation of demand per "
	  "--period (month)", ims_xyz_cols, IMS_R_SKU | IMS_R_SINCE |
	  IMS_R_UNTIL | IMS_R_ASOF | IMS_R_XYZCUTS | IMS_R_PERIOD,
	  ims_report_xyz, NULL },
	{ "fsn", "fast, slow and non-moving items by turnover and days since "
	  "the last issue", ims_fsn_cols, IMS_R_SKU | IMS_R_SINCE |
	  IMS_R_UNTIL | IMS_R_ASOF | IMS_R_FSNCUTS, ims_report_fsn, NULL },
	{ "ved", "vital, essential and desirable items by their criticality",
	  ims_ved_cols, IMS_R_SKU, ims_report_ved, NULL },
	{ "expiring", "lots expiring within --days (30) of today or --as-of, "
	  "valued at unit_cost", ims_expiring_cols, IMS_R_SKU |
	  IMS_R_LOCATION | IMS_R_ASOF | IMS_R_DAYS, ims_report_expiring, NULL },
	{ "lowstock", "items available at or below their reorder_point or "
	  "min", ims_lowstock_cols, IMS_R_SKU | IMS_R_LOCATION | IMS_R_ASOF,
	  ims_report_lowstock, NULL },
	{ "movements", "in, out, adjust and scrap per --period (day) and the "
	  "stock level after; --svg draws the level", ims_movements_cols,
	  IMS_R_SKU | IMS_R_LOCATION | IMS_R_SINCE | IMS_R_UNTIL |
	  IMS_R_ASOF | IMS_R_PERIOD | IMS_R_SVG, ims_report_movements, NULL },
	{ "dashboard", "the day's figures, low stock, expiring lots and "
	  "charts as one HTML page (--html FILE)", ims_dashboard_cols,
	  IMS_R_DAYS | IMS_R_ABCCUTS | IMS_R_HTML, ims_report_dashboard, NULL },
	{ "suppliers", "per supplier, the PO lines settled between --since "
	  "and --until: lead time promised and measured, on time, in full, "
	  "and the value received", ims_suppliers_cols, IMS_R_SKU |
	  IMS_R_SINCE | IMS_R_UNTIL, ims_report_suppliers, NULL },
	{ "billing", "a client's invoice lines between --since and --until: "
	  "storage (unit-, m3- or pallet-days), receiving, orders, lines and "
	  "units shipped, times its rates", ims_billing_cols, IMS_R_SINCE |
	  IMS_R_UNTIL | IMS_R_CLIENT, ims_report_billing, NULL },
	{ "available", "what each sales channel may sell of each sku: "
	  "available less its buffer, its share, up to its cap",
	  (const char *const *)ims_available_cols, IMS_R_SKU | IMS_R_CLIENT |
	  IMS_R_CHANNEL, ims_report_available, NULL },
	{ "valuation", "stock at cost (FIFO layers, or --method=avg) by "
	  "sku, location, lot, zone or in total, with the cost of goods "
	  "shipped from --since", ims_valuation_cols, IMS_R_SKU |
	  IMS_R_LOCATION | IMS_R_SINCE | IMS_R_UNTIL | IMS_R_ASOF |
	  IMS_R_GROUP | IMS_R_DEPTH | IMS_R_METHOD, ims_report_valuation,
	  "sku|location|lot|zone|total" },
	{ "aging", "on hand and value by age since receipt (0-30 ... over "
	  "180 days; --buckets), following FIFO layers", ims_aging_cols,
	  IMS_R_SKU | IMS_R_LOCATION | IMS_R_UNTIL | IMS_R_ASOF |
	  IMS_R_GROUP | IMS_R_DEPTH | IMS_R_BUCKETS, ims_report_aging,
	  "sku|location|zone|total" },
	{ "turnover", "cost of goods shipped over average inventory value, "
	  "--since to --until (a year by default)", ims_turnover_cols,
	  IMS_R_SKU | IMS_R_LOCATION | IMS_R_SINCE | IMS_R_UNTIL |
	  IMS_R_ASOF | IMS_R_GROUP | IMS_R_DEPTH, ims_report_turnover,
	  "sku|zone|total" },
	{ "dio", "days of inventory outstanding over the same period",
	  ims_dio_cols, IMS_R_SKU | IMS_R_LOCATION | IMS_R_SINCE |
	  IMS_R_UNTIL | IMS_R_ASOF | IMS_R_GROUP | IMS_R_DEPTH,
	  ims_report_dio, "sku|zone|total" },
	{ "sales", "quantity, revenue, cost and margin of shipments per sku "
	  "and --period", ims_sales_cols, IMS_R_SKU | IMS_R_LOCATION |
	  IMS_R_SINCE | IMS_R_UNTIL | IMS_R_ASOF | IMS_R_METHOD |
	  IMS_R_PERIOD, ims_report_sales, NULL },
	{ "gl", "the inventory side of the books: a debit and a credit line "
	  "a movement", ims_gl_cols, IMS_R_SKU | IMS_R_SINCE | IMS_R_UNTIL |
	  IMS_R_ASOF | IMS_R_METHOD | IMS_R_BYSITE | IMS_R_ACCOUNTS,
	  ims_report_gl, NULL },
	{ NULL, NULL, NULL, 0, NULL, NULL }
};

/* The report named name, or NULL. */
const struct ims_report *
ims_report_find(const char *name)
{
	for (const struct ims_report *r = ims_reports; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}
