/*
 * simulate.c: the reorder policy replayed over the last holdout days.
 * The policy (reorder point and quantity) is what ims-reorder would have
 * chosen at the holdout's start from the history before it; then each
 * day's actual shipments are demand.  Stock starts at the reorder point
 * plus the order quantity (an order just received), at max for a min/max
 * item, which orders up to max; each day what is due
 * arrives, demand is served from what is on hand (what cannot be served
 * is lost, not backordered), and when the position (on hand plus on
 * order) is at or below the reorder point an order is placed that
 * arrives a lead time (rounded up to whole days) later.  Fill rate is
 * what was served over what was asked; the cycle service level the share
 * of replenishment cycles (from one arrival to the next) without a day
 * short; average stock is the mean on hand at the end of each day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

const char *const ims_simulate_cols[] = { "service_level", "sku",
	"reorder_point", "qty", "lead_time_days", "demand", "served",
	"fill_rate", "cycles", "cycle_service_level", "orders", "avg_stock",
	"avg_value", NULL };

struct series {
	double *d;		/* holdout days of demand */
	double cost;
};

struct sim {
	struct ims_txn *t;
	int holdout;
	ims_time start;
	struct ims_map *demand;	/* sku -> struct series */
	struct ims_out *o;
	struct ims_rec rec, item;
	double level;
	/* overall */
	double asked, served, value;
	long cycles, good, orders;
};


static int
ship_row(void *arg, const struct ims_entry *e)
{
	struct sim *s = arg;
	struct series *v;
	void **slot;
	int isnew;
	long day;

	if (e->kind != IMS_KIND_MOVE || strcmp(e->to, "@customer") != 0)
		return IMS_OK;
	day = (e->ts - s->start) / 86400;
	if (day < 0 || day >= s->holdout)
		return IMS_OK;
	slot = ims_map_slot(s->demand, e->sku, &isnew);
	if (isnew) {
		v = *slot = ims_must(calloc(1, sizeof *v));
		v->d = ims_must(calloc(s->holdout, sizeof *v->d));
	}
	((struct series *)*slot)->d[day] += e->qty / 1000.0;
	return IMS_OK;
}

static void
free_series(void *p)
{
	struct series *v = p;

	free(v->d);
	free(v);
}

static void
add_num(struct ims_rec *r, const char *name, double v)
{
	char b[64];

	snprintf(b, sizeof b, "%.6g", v);
	ims_rec_add(r, name, b, strlen(b), IMS_F_NUM);
}

/* One sku's replay under its policy; its row printed, totals kept. */
static int
replay(void *arg, const struct ims_reorder_row *row)
{
	struct sim *s = arg;
	const struct series *v = ims_map_get(s->demand, row->sku);
	double rop = row->reorder_point / 1000.0, q = row->qty_base / 1000.0;
	double mx = row->max / 1000.0;
	double on_hand = mx > 0 ? mx : rop + q, asked = 0, served = 0;
	double stock = 0;
	double *due = ims_must(calloc(s->holdout + 1, sizeof *due));
	int lead = (int)ceil(row->lead), short_cycle = 0;
	long cycles = 0, good = 0, orders = 0;
	double on_order = 0, cost = 0;
	const char *uc;

	if (ims_master_get(s->t, &ims_item_schema, row->sku, &s->item) ==
	    IMS_OK && (uc = ims_rec_str(&s->item, "unit_cost")))
		cost = strtod(uc, NULL);
	for (int day = 0; day < s->holdout; day++) {
		double d = v ? v->d[day] : 0, got;

		if (due[day] > 0) {
			on_hand += due[day];
			on_order -= due[day];
			cycles++;
			good += !short_cycle;
			short_cycle = 0;
		}
		got = d < on_hand ? d : on_hand;
		asked += d;
		served += got;
		on_hand -= got;
		short_cycle |= got < d;
		if (on_hand + on_order <= rop && (q > 0 || mx > 0)) {
			int at = day + (lead > 0 ? lead : 1);
			double n = mx > 0 ? mx - on_hand - on_order : q;

			orders++;
			on_order += n;
			if (at < s->holdout)
				due[at] += n;
		}
		stock += on_hand;
	}
	free(due);
	s->asked += asked, s->served += served;
	s->cycles += cycles, s->good += good, s->orders += orders;
	s->value += stock / s->holdout * cost;
	ims_rec_reset(&s->rec);
	add_num(&s->rec, "service_level", s->level);
	ims_rec_adds(&s->rec, "sku", row->sku);
	ims_rec_addn(&s->rec, "reorder_point", row->reorder_point, IMS_QTY);
	ims_rec_addn(&s->rec, "qty", row->qty_base, IMS_QTY);
	add_num(&s->rec, "lead_time_days", row->lead);
	add_num(&s->rec, "demand", asked);
	add_num(&s->rec, "served", served);
	add_num(&s->rec, "fill_rate", asked > 0 ? served / asked : 1);
	ims_rec_addn(&s->rec, "cycles", cycles, 0);
	add_num(&s->rec, "cycle_service_level", cycles ? (double)good /
	    cycles : 1);
	ims_rec_addn(&s->rec, "orders", orders, 0);
	add_num(&s->rec, "avg_stock", stock / s->holdout);
	add_num(&s->rec, "avg_value", stock / s->holdout * cost);
	ims_out_rec(s->o, &s->rec);
	return IMS_OK;
}

/* The overall row of one level: sku "*". */
static void
overall(struct sim *s)
{
	ims_rec_reset(&s->rec);
	add_num(&s->rec, "service_level", s->level);
	ims_rec_adds(&s->rec, "sku", "*");
	add_num(&s->rec, "demand", s->asked);
	add_num(&s->rec, "served", s->served);
	add_num(&s->rec, "fill_rate", s->asked > 0 ? s->served / s->asked :
	    1);
	ims_rec_addn(&s->rec, "cycles", s->cycles, 0);
	add_num(&s->rec, "cycle_service_level", s->cycles ?
	    (double)s->good / s->cycles : 1);
	ims_rec_addn(&s->rec, "orders", s->orders, 0);
	add_num(&s->rec, "avg_value", s->value);
	ims_out_rec(s->o, &s->rec);
}

/*
 * Replay the policy at each service level over the last holdout days:
 * a row per sku and level, and an overall row (sku "*") per level.
 */
int
ims_reorder_simulate(struct ims_txn *t, const struct ims_reorder_opts *o,
    const double *levels, int nlevels, int holdout,
    struct ims_out *(*open)(const char *const *cols))
{
	struct sim s = { .t = t, .holdout = holdout };
	struct ims_reorder_opts po = *o;
	struct ims_filter f = IMS_FILTER_ALL;
	double one = 0.95;
	int rc;

	s.start = o->now - (ims_time)holdout * 86400;
	s.demand = ims_must(ims_map_new());
	f.since = s.start;
	f.until = o->now;
	if ((rc = ims_each_entry_by_time(t, &f, ship_row, &s)))
		goto out;
	s.o = open(ims_simulate_cols);
	/* the policy as it would have been chosen when the holdout began */
	po.now = s.start;
	po.all = 1;
	po.history_only = 1;
	if (nlevels == 0 || !levels)
		levels = &one, nlevels = 1;
	for (int i = 0; !rc && i < nlevels; i++) {
		s.level = po.fill_rate > 0 ? po.fill_rate : levels[i];
		if (po.fill_rate <= 0)
			po.service_level = levels[i];
		s.asked = s.served = s.value = 0;
		s.cycles = s.good = s.orders = 0;
		if (!(rc = ims_reorder(t, &po, replay, &s)))
			overall(&s);
	}
	ims_out_close(s.o);
out:
	ims_map_free(s.demand, free_series);
	ims_rec_free(&s.rec);
	ims_rec_free(&s.item);
	return rc;
}
