/*
 * reorder.c: the nightly reorder run.  For every sku: its inventory
 * position (on hand, less allocated and open backorders, plus what open
 * purchase orders bring), its demand (a saved forecast, else the item's
 * own figures, else its shipments over a window), its lead time and that
 * lead time's spread as measured from past POs, and from them the safety
 * stock, reorder point and order quantity, each figure kept so that a
 * suggestion shows its work.  Kits pass their demand to their components.
 * The statistics are in doubles; every quantity printed is rounded up to
 * the store's thousandths, never down.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define SLOW_LTD 10.0		/* lead-time demand below this: Poisson */
#define MIN_LT_OBS 3		/* POs needed to trust a measured spread */

const char *const ims_reorder_cols[] = { "sku", "supplier", "po", "suggest",
	"reason", "on_hand", "allocated", "backorders", "on_order", "position",
	"demand_per_day", "demand_sd", "demand_from", "lead_time_days",
	"lead_time_sd", "lead_from", "model", "safety_stock", "reorder_point",
	"qty_rule", "qty_before", "qty", NULL };

/* What is known of one sku while the run gathers it. */
struct sku {
	ims_wide on_hand, allocated, backorders, on_order;
	double hist_sum, hist_sq;	/* shipments by day over the window */
	ims_time hist_day;
	double hist_cur;
	double kit_demand, kit_var;	/* passed down from kits */
};

struct run {
	struct ims_txn *t;
	const struct ims_reorder_opts *o;
	struct ims_map *skus;
	struct ims_map *pos;		/* po -> open (1) or not */
	struct ims_rec rec, sup;
	ims_time from;			/* the history window's start */
};


static struct sku *
sku_of(struct run *r, const char *sku)
{
	int isnew;
	void **slot = ims_map_slot(r->skus, sku, &isnew);

	if (isnew) {
		*slot = ims_must(calloc(1, sizeof(struct sku)));
		((struct sku *)*slot)->hist_day = IMS_TIME_NONE;
	}
	return *slot;
}

static int
bal_row(void *arg, const struct ims_balance *b)
{
	struct run *r = arg;
	struct sku *s;

	if (ims_is_virtual(b->loc) || (r->o->location &&
	    !ims_loc_match(b->loc, r->o->location)))
		return IMS_OK;
	s = sku_of(r, b->sku);
	s->on_hand += b->b.on_hand;
	s->allocated += b->b.allocated;
	return IMS_OK;
}

/* Open backorders, kits' shared out to their components. */
static int
line_row(void *arg, const struct ims_oline *l)
{
	struct run *r = arg;
	ims_dec open = ims_oline_open(l);

	if (open <= 0 || (r->o->location && l->location &&
	    !ims_loc_match(l->location, r->o->location)))
		return IMS_OK;
	for (int i = 0; i < l->ncomp; i++)
		sku_of(r, l->comp[i].sku)->backorders += (ims_wide)open *
		    l->comp[i].per / 1000;
	return IMS_OK;
}

/* Open PO lines (of a draft or approved PO) are on order. */
static int
poline_row(void *arg, const struct ims_poline *l)
{
	struct run *r = arg;
	struct ims_po po;
	void **slot;
	int isnew, rc;

	slot = ims_map_slot(r->pos, l->po, &isnew);
	if (isnew) {
		if ((rc = ims_po_get(r->t, l->po, &po)))
			return rc;
		*slot = (void *)(uintptr_t)(ims_po_open(&po) ? 1 : 2);
	}
	if ((uintptr_t)*slot == 1 && !l->done && l->qty > l->received)
		sku_of(r, l->sku)->on_order += l->qty - l->received;
	return IMS_OK;
}

/* Close a day of a sku's history: its sum and square. */
static void
hist_close(struct sku *s)
{
	if (s->hist_day == IMS_TIME_NONE)
		return;
	s->hist_sum += s->hist_cur;
	s->hist_sq += s->hist_cur * s->hist_cur;
	s->hist_cur = 0;
}

static int
ship_row(void *arg, const struct ims_entry *e)
{
	struct run *r = arg;
	struct sku *s;
	ims_time day;

	if (e->kind != IMS_KIND_MOVE || strcmp(e->to, "@customer") != 0 ||
	    (r->o->location && !ims_loc_match(e->from, r->o->location)))
		return IMS_OK;
	s = sku_of(r, e->sku);
	day = e->ts - ((e->ts % 86400) + 86400) % 86400;
	if (day != s->hist_day) {
		hist_close(s);
		s->hist_day = day;
	}
	s->hist_cur += e->qty / 1000.0;
	return IMS_OK;
}

static int
gather(struct run *r)
{
	struct ims_filter f = IMS_FILTER_ALL;
	int rc;

	f.since = r->from;
	f.until = r->o->now;
	if ((rc = ims_each_balance(r->t, NULL, bal_row, r)) ||
	    (rc = ims_each_oline(r->t, NULL, line_row, r)) ||
	    (rc = ims_each_poline(r->t, NULL, poline_row, r)) ||
	    (rc = ims_each_entry_by_time(r->t, &f, ship_row, r)))
		return rc;
	return IMS_OK;
}

static double
field_num(const struct ims_rec *rec, const char *name, double dflt)
{
	const char *s = ims_rec_str(rec, name);

	return s ? strtod(s, NULL) : dflt;
}

/* The standard normal's distribution, density, and loss function. */
static double
Phi(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

static double
phi(double x)
{
	return exp(-x * x / 2) / sqrt(2 * M_PI);
}

static double
loss(double k)
{
	return phi(k) - k * (1 - Phi(k));
}

/* z with Phi(z) = p, by bisection: exact to 1e-12, no table.  A run
 * asks the same p for every sku: the last answer is kept. */
double
ims_norm_quantile(double p)
{
	static double last_p = -1, last_z;
	double lo = -40, hi = 40;

	if (p == last_p)
		return last_z;

	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (Phi(mid) < p)
			lo = mid;
		else
			hi = mid;
	}
	last_p = p;
	return last_z = (lo + hi) / 2;
}

/* k with loss(k) = g (loss decreases in k). */
static double
loss_inverse(double g)
{
	double lo = -40, hi = 40;

	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (loss(mid) > g)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* The smallest r with P(X <= r) >= p, X Poisson of mean mu. */
double
ims_poisson_quantile(double mu, double p)
{
	double term = exp(-mu), sum = term;
	int r = 0;

	while (sum < p && r < 1000000) {
		r++;
		term *= mu / r;
		sum += term;
	}
	return r;
}

/* Up to the store's thousandths, never down. */
static ims_dec
up(double v)
{
	if (v <= 0)
		return 0;
	if (v > 9e15)
		return INT64_MAX / 2;
	return (ims_dec)ceil(v * 1000 - 1e-6);
}

static ims_dec
round_to(ims_dec q, ims_dec moq, ims_dec mult)
{
	if (moq > 0 && q < moq)
		q = moq;
	if (mult > 0 && q % mult)
		q += mult - q % mult;
	return q;
}

/* Demand per day and its spread: the saved forecast, the item's own
 * figures, or the window's shipments, with what they came from. */
static void
demand(struct run *r, const char *sku, struct sku *s,
    struct ims_reorder_row *row)
{
	struct ims_fc_summary fc;
	double days = r->o->window_days, mean, var;

	if (!r->o->history_only && ims_forecast_get(r->t, sku, &fc) ==
	    IMS_OK) {
		row->demand = fc.demand_per_day;
		row->demand_sd = fc.sd_per_day;
		row->demand_from = "forecast";
	} else if (!r->o->history_only &&
	    ims_rec_str(&r->rec, "demand_per_day")) {
		row->demand = field_num(&r->rec, "demand_per_day", 0);
		row->demand_sd = field_num(&r->rec, "demand_sd", 0);
		row->demand_from = "item";
	} else {
		hist_close(s);
		s->hist_day = IMS_TIME_NONE;
		mean = s->hist_sum / days;
		var = s->hist_sq / days - mean * mean;
		row->demand = mean;
		row->demand_sd = var > 0 ? sqrt(var * days / (days - 1)) : 0;
		row->demand_from = "history";
	}
	row->demand += s->kit_demand;
	row->demand_sd = sqrt(row->demand_sd * row->demand_sd + s->kit_var);
}

/* Lead time: the item's, else its supplier's; its spread as measured
 * from the sku's received POs when there are enough of them. */
static int
lead_time(struct run *r, const char *sku, struct ims_reorder_row *row)
{
	double mean, sd;
	int rc, n;

	row->lead = field_num(&r->rec, "lead_time_days", -1);
	row->lead_from = "item";
	if (row->lead < 0 && row->supplier &&
	    (rc = ims_master_get(r->t, &ims_supplier_schema, row->supplier,
	    &r->sup)) == IMS_OK) {
		row->lead = field_num(&r->sup, "lead_time_days", -1);
		row->lead_from = "supplier";
	}
	if (row->lead < 0) {
		row->lead = 0;
		row->lead_from = "none";
	}
	row->lead_sd = 0;
	if ((rc = ims_lead_time(r->t, sku, NULL, &mean, &sd, &n)))
		return rc;
	if (n >= MIN_LT_OBS) {
		row->lead = mean;
		row->lead_sd = sd;
		row->lead_from = "measured";
	}
	return IMS_OK;
}

/* Safety stock and reorder point, for a service level or a fill rate;
 * a slow mover's from the Poisson distribution. */
static void
protect(struct run *r, struct ims_reorder_row *row, double q)
{
	double p = row->lead + r->o->review_days;
	double mu = row->demand * p;
	double sd = sqrt(p * row->demand_sd * row->demand_sd +
	    row->demand * row->demand * row->lead_sd * row->lead_sd);
	double csl = r->o->service_level > 0 ? r->o->service_level : 0.95;
	double ss;

	if (mu < SLOW_LTD && mu > 0 && r->o->fill_rate <= 0) {
		row->model = "poisson";
		ss = ims_poisson_quantile(mu, csl) - mu;
	} else if (r->o->fill_rate > 0) {
		row->model = "normal, fill rate";
		ss = sd > 0 ? loss_inverse((1 - r->o->fill_rate) * q / sd) *
		    sd : 0;
	} else {
		row->model = "normal";
		ss = ims_norm_quantile(csl) * sd;
	}
	row->safety_stock = up(ss > 0 ? ss : 0);
	row->reorder_point = up(mu) + row->safety_stock;
}

/* The order quantity before the reorder point is known: EOQ, up to
 * max, or the lead time's demand. */
static void
quantity(struct run *r, struct ims_reorder_row *row, ims_dec position)
{
	double S = field_num(&r->rec, "order_cost", 0);
	double h = field_num(&r->rec, "holding_rate", 0) *
	    field_num(&r->rec, "unit_cost", 0);
	double D = row->demand * 365;
	const char *mx = ims_rec_str(&r->rec, "max");
	ims_dec q;

	if (mx) {
		ims_dec m = 0;

		ims_dec_parse(mx, strlen(mx), IMS_QTY, &m);
		row->max = m;
		q = m > position ? m - position : 0;
		row->qty_rule = "up to max";
	} else if (S > 0 && h > 0 && D > 0) {
		q = up(sqrt(2 * D * S / h));
		row->qty_rule = "eoq";
	} else {
		q = up(row->demand * (row->lead + r->o->review_days));
		row->qty_rule = "lead-time demand";
	}
	row->qty_before = q;
	row->qty_base = q;
}

/* Enough to reach the reorder point at least, then rounded up to the
 * moq and the order multiple. */
static void
finish(struct run *r, struct ims_reorder_row *row, ims_dec position)
{
	ims_dec q = row->qty_before, moq = 0, mult = 0, need;
	const char *s;

	need = row->reorder_point - position;
	if (need > q) {
		q = need;
		row->qty_rule = "to reorder point";
	}
	row->qty_before = q;
	if ((s = ims_rec_str(&r->rec, "moq")))
		ims_dec_parse(s, strlen(s), IMS_QTY, &moq);
	/* whole units, unless the item orders in other multiples */
	mult = 1000;
	if ((s = ims_rec_str(&r->rec, "order_multiple")))
		ims_dec_parse(s, strlen(s), IMS_QTY, &mult);
	row->qty = round_to(q, moq, mult);
	row->qty_base = round_to(row->qty_base, moq, mult);
}

static ims_dec
clamp(ims_wide v)
{
	return v > INT64_MAX / 2 ? INT64_MAX / 2 : v < -INT64_MAX / 2 ?
	    -INT64_MAX / 2 : (ims_dec)v;
}

/* One item's row; kits are skipped (their demand went down). */
static int
item_row(struct run *r, const char *sku, ims_reorder_fn *fn, void *arg)
{
	struct ims_reorder_row row = { 0 };
	struct sku *s = sku_of(r, sku);
	const char *rp = ims_rec_str(&r->rec, "reorder_point");
	const char *mn = ims_rec_str(&r->rec, "min");
	ims_dec fixed;
	int rc;

	if (ims_rec_field(&r->rec, "components"))
		return IMS_OK;
	row.sku = sku;
	row.supplier = ims_rec_str(&r->rec, "supplier");
	row.has_cost = ims_rec_str(&r->rec, "unit_cost") &&
	    !ims_dec_parse(ims_rec_str(&r->rec, "unit_cost"),
	    strlen(ims_rec_str(&r->rec, "unit_cost")), IMS_MONEY,
	    &row.unit_cost);
	if (r->o->supplier && (!row.supplier ||
	    strcmp(row.supplier, r->o->supplier) != 0))
		return IMS_OK;
	row.on_hand = clamp(s->on_hand);
	row.allocated = clamp(s->allocated);
	row.backorders = clamp(s->backorders);
	row.on_order = clamp(s->on_order);
	row.position = clamp(s->on_hand - s->allocated - s->backorders +
	    s->on_order);
	demand(r, sku, s, &row);
	if ((rc = lead_time(r, sku, &row)))
		return rc;
	quantity(r, &row, row.position);
	protect(r, &row, row.qty_before / 1000.0);
	if ((rp || mn) && !ims_dec_parse(rp ? rp : mn, strlen(rp ? rp : mn),
	    IMS_QTY, &fixed)) {
		row.reorder_point = fixed;
		row.model = rp ? "fixed reorder point" : "min";
	}
	finish(r, &row, row.position);
	row.suggest = row.position <= row.reorder_point;
	row.reason = row.suggest ? "position at or below the reorder point" :
	    "position above the reorder point";
	if (!row.suggest && !r->o->all)
		return IMS_OK;
	return fn(arg, &row);
}

/* Kits pass their forecast demand to their components (MRP's step). */
static int
explode_kit(struct run *r, const char *sku)
{
	const struct ims_field *f = ims_rec_field(&r->rec, "components");
	struct ims_fc_summary fc;
	struct ims_comp comp[IMS_COMP_MAX];
	char **names;
	int n, nn, rc;

	if (!f || ims_forecast_get(r->t, sku, &fc) != IMS_OK)
		return IMS_OK;
	rc = ims_kit_explode(r->t, sku, f->val, f->len, comp, &n, &names,
	    &nn);
	for (int i = 0; !rc && i < n; i++) {
		struct sku *s = sku_of(r, comp[i].sku);
		double per = comp[i].per / 1000.0;

		s->kit_demand += fc.demand_per_day * per;
		s->kit_var += fc.sd_per_day * per * fc.sd_per_day * per;
	}
	ims_kit_free(names, nn);
	return rc;
}

struct items {
	struct run *r;
	int pass;
	ims_reorder_fn *fn;
	void *arg;
};

static int
each_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct items *it = arg;
	char sku[IMS_ID_MAX + 1];

	snprintf(sku, sizeof sku, "%.*s", (int)(k->n ? k->n - 1 : 0),
	    (const char *)k->p);
	ims_rec_reset(&it->r->rec);
	if (ims_rec_json(&it->r->rec, v->p, v->n) != 0)
		return ims_damaged("item %s does not parse", ims_q(sku));
	return it->pass == 0 ? explode_kit(it->r, sku) :
	    item_row(it->r, sku, it->fn, it->arg);
}

/*
 * The run: a row per sku at or below its reorder point (every sku with
 * o->all), to fn, in sku order.
 */
int
ims_reorder(struct ims_txn *t, const struct ims_reorder_opts *o,
    ims_reorder_fn *fn, void *arg)
{
	struct run r = { t, o, ims_must(ims_map_new()), ims_must(ims_map_new()),
		{ 0 }, { 0 }, o->now - (ims_time)o->window_days * 86400 };
	struct items it = { &r, 0, fn, arg };
	int rc;

	if (!(rc = gather(&r)) &&
	    !(rc = ims_each_row(t, IMS_DB_ITEMS, NULL, each_item, &it))) {
		it.pass = 1;
		rc = ims_each_row(t, IMS_DB_ITEMS, NULL, each_item, &it);
	}
	ims_map_free(r.skus, free);
	ims_map_free(r.pos, NULL);
	ims_rec_free(&r.rec);
	ims_rec_free(&r.sup);
	return rc;
}

static void
add_num(struct ims_rec *rec, const char *name, double v)
{
	char b[64];

	snprintf(b, sizeof b, "%.6g", v);
	ims_rec_add(rec, name, b, strlen(b), IMS_F_NUM);
}

/* A row as a record. */
void
ims_reorder_rec(const struct ims_reorder_row *row, struct ims_rec *r)
{
	ims_rec_reset(r);
	ims_rec_adds(r, "sku", row->sku);
	if (row->supplier)
		ims_rec_adds(r, "supplier", row->supplier);
	ims_rec_add(r, "suggest", row->suggest ? "true" : "false",
	    row->suggest ? 4 : 5, IMS_F_BOOL);
	ims_rec_adds(r, "reason", row->reason);
	ims_rec_addn(r, "on_hand", row->on_hand, IMS_QTY);
	ims_rec_addn(r, "allocated", row->allocated, IMS_QTY);
	ims_rec_addn(r, "backorders", row->backorders, IMS_QTY);
	ims_rec_addn(r, "on_order", row->on_order, IMS_QTY);
	ims_rec_addn(r, "position", row->position, IMS_QTY);
	add_num(r, "demand_per_day", row->demand);
	add_num(r, "demand_sd", row->demand_sd);
	ims_rec_adds(r, "demand_from", row->demand_from);
	add_num(r, "lead_time_days", row->lead);
	add_num(r, "lead_time_sd", row->lead_sd);
	ims_rec_adds(r, "lead_from", row->lead_from);
	ims_rec_adds(r, "model", row->model);
	ims_rec_addn(r, "safety_stock", row->safety_stock, IMS_QTY);
	ims_rec_addn(r, "reorder_point", row->reorder_point, IMS_QTY);
	ims_rec_adds(r, "qty_rule", row->qty_rule);
	ims_rec_addn(r, "qty_before", row->qty_before, IMS_QTY);
	ims_rec_addn(r, "qty", row->qty, IMS_QTY);
}

/* --create-po: the suggestions to order, a PO per supplier, named by the
 * run's ref and the supplier; a run again with the same ref drafts
 * nothing.  po[i] gets the PO row i went into (NULL: none). */
int
ims_reorder_draft(struct ims_journal *j, const struct ims_reorder_row *v,
    size_t n, const char *ref, char ***pop)
{
	char day[IMS_TIME_BUF], dref[64], id[2 * IMS_ID_MAX + 2];
	char **po = ims_must(calloc(n ? n : 1, sizeof *po));
	struct ims_poline *l = ims_must(calloc(n ? n : 1, sizeof *l));
	int rc = IMS_OK;

	*pop = po;
	if (!ref) {
		snprintf(dref, sizeof dref, "reorder-%s",
		    ims_date_fmt(ims_journal_now(j), day));
		ref = dref;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		struct ims_po p = { 0 };
		size_t k = 0;

		if (!v[i].suggest || v[i].qty <= 0 || !v[i].supplier || po[i])
			continue;
		snprintf(id, sizeof id, "%s/%s", ref, v[i].supplier);
		for (size_t x = i; x < n; x++) {
			char num[24];

			if (!v[x].suggest || v[x].qty <= 0 || !v[x].supplier ||
			    strcmp(v[x].supplier, v[i].supplier))
				continue;
			snprintf(num, sizeof num, "%zu", k + 1);
			memset(&l[k], 0, sizeof l[k]);
			l[k].line = ims_must(strdup(num));
			l[k].sku = v[x].sku;
			l[k].qty = v[x].qty;
			l[k].unit_cost = v[x].unit_cost;
			l[k].has_cost = v[x].has_cost;
			l[k].due = IMS_TIME_NONE;
			po[x] = ims_must(strdup(id));
			k++;
		}
		p.id = id, p.supplier = v[i].supplier, p.ref = ref;
		rc = ims_po_create(j, &p, l, k, NULL, NULL,
		    ims_journal_now(j));
		if (rc == IMS_ESKIP) {
			ims_warn("%s", ims_errmsg());
			rc = IMS_OK;
		}
		for (size_t x = 0; x < k; x++)
			free((char *)l[x].line);
	}
	free(l);
	return rc;
}
