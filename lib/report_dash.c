/*
 * report_dash.c: the reports of the day.  expiring (lots expiring
 * within --days, valued at the item's unit_cost), lowstock (available at
 * or below the reorder point or min), movements (in, out, adjust and
 * scrap per period, and the stock level they leave), and the dashboard:
 * one self-contained HTML page of the day's figures, low stock, expiring
 * lots and charts, for a cron job to publish.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define DAY INT64_C(86400)

/* Where a report's rows go: the output, or rows of an HTML table. */
struct sink {
	struct ims_out *o;
	struct ims_buf *html;
	const char *const *cols;
	long rows;
};

static void
sink_rec(struct sink *k, const struct ims_rec *r)
{
	k->rows++;
	if (k->o) {
		ims_out_rec(k->o, r);
		return;
	}
	ims_buf_adds(k->html, "<tr>");
	for (const char *const *c = k->cols; *c; c++) {
		const struct ims_field *f = ims_rec_field(r, *c);
		ims_buf_adds(k->html, f && f->type == IMS_F_NUM ?
		    "<td class=\"n\">" : "<td>");
		if (f && f->type != IMS_F_NULL)
			ims_buf_xml(k->html, f->val);
		ims_buf_adds(k->html, "</td>");
	}
	ims_buf_adds(k->html, "</tr>\n");
}

static void
sink_total(struct sink *k, const struct ims_rec *r)
{
	if (k->o)
		ims_out_total(k->o, r);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	return p;
}

/* An item's unit_cost, 0 when it has none. */
static ims_dec
unit_cost(struct ims_txn *t, const char *sku, struct ims_rec *tmp)
{
	ims_dec c = 0;

	if (ims_master_get(t, &ims_item_schema, sku, tmp) == 0)
		ims_item_dec(tmp, "unit_cost", IMS_MONEY, &c);
	return c;
}

/* --- expiring --- */

const char *const ims_expiring_cols[] = { "sku", "location", "lot",
	"expiry", "days_left", "qty", "unit_cost", "value", NULL };

struct lot_row {
	char *sku, *loc, *lot;
	ims_time expiry;
	int64_t qty;
};

struct expiring {
	struct ims_txn *t;
	const struct ims_filter *f;
	ims_time horizon;	/* the last day that counts */
	struct lot_row *v;
	size_t n, cap;
	int rc;
};

static int
take_lot(void *arg, const struct ims_balance *b)
{
	struct expiring *x = arg;
	ims_time e;
	int rc;

	if (!*b->trk || b->b.on_hand <= 0 ||
	    (x->f->location && !ims_loc_match(b->loc, x->f->location)))
		return IMS_OK;
	if ((rc = ims_lot_expiry(x->t, b->sku, b->trk, &e)) == IMS_ENOTFOUND)
		return IMS_OK;	/* a serial, not a lot */
	if (rc || e == IMS_TIME_NONE || e > x->horizon)
		return rc;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		if (!(x->v = realloc(x->v, x->cap * sizeof *x->v)))
			return ims_seterr(IMS_ESTORE, "out of memory");
	}
	x->v[x->n++] = (struct lot_row){ strdup(b->sku), strdup(b->loc),
		strdup(b->trk), e, b->b.on_hand };
	return IMS_OK;
}

/* Soonest expiry first; then by sku, location and lot. */
static int
by_expiry(const void *x, const void *y)
{
	const struct lot_row *a = x, *b = y;
	int c;

	if (a->expiry != b->expiry)
		return a->expiry < b->expiry ? -1 : 1;
	if ((c = strcmp(a->sku, b->sku)) || (c = strcmp(a->loc, b->loc)))
		return c;
	return strcmp(a->lot, b->lot);
}

static int
expiring_rows(struct expiring *x, struct sink *k, ims_time today)
{
	struct ims_rec r = { 0 }, tmp = { 0 };
	ims_wide qty = 0, value = 0;
	char b[IMS_TIME_BUF];
	int rc = IMS_OK;

	qsort(x->v, x->n, sizeof *x->v, by_expiry);
	for (size_t i = 0; i < x->n; i++) {
		const struct lot_row *l = &x->v[i];
		ims_dec cost = unit_cost(x->t, l->sku, &tmp), val;

		if (ims_value(l->qty, cost, &val)) {
			rc = ims_seterr(IMS_EREJECT, "%s lot %s: the value "
			    "does not fit", ims_q(l->sku), ims_q(l->lot));
			break;
		}
		ims_rec_reset(&r);
		ims_rec_adds(&r, "sku", l->sku);
		ims_rec_adds(&r, "location", l->loc);
		ims_rec_adds(&r, "lot", l->lot);
		ims_rec_adds(&r, "expiry", ims_date_fmt(l->expiry, b));
		ims_rec_addn(&r, "days_left", l->expiry / DAY - today, 0);
		ims_rec_addn(&r, "qty", l->qty, IMS_QTY);
		ims_rec_addn(&r, "unit_cost", cost, IMS_MONEY);
		ims_rec_addn(&r, "value", val, IMS_MONEY);
		sink_rec(k, &r);
		qty += l->qty;
		value += val;
	}
	ims_rec_reset(&r);
	ims_rec_adds(&r, "sku", "total");
	ims_rec_addw(&r, "qty", qty, IMS_QTY);
	ims_rec_addw(&r, "value", value, IMS_MONEY);
	sink_total(k, &r);
	ims_rec_free(&r);
	ims_rec_free(&tmp);
	return rc;
}

/* Lots on hand whose expiry is at most days after the day of as_of (or
 * now), the expired ones among them (days_left below 0). */
static int
expiring(struct ims_txn *t, const struct ims_report_args *a, struct sink *k)
{
	ims_time at = a->as_of != IMS_TIME_NONE ? a->as_of : a->now;
	ims_time today = at / DAY - (at % DAY < 0);
	struct expiring x = { .t = t, .f = &a->f,
		.horizon = (today + a->days) * DAY };
	int rc;

	rc = a->as_of == IMS_TIME_NONE ?
	    ims_each_balance(t, a->f.sku, take_lot, &x) :
	    ims_each_balance_at(t, a->f.sku, a->as_of, take_lot, &x);
	if (!rc)
		rc = expiring_rows(&x, k, today);
	for (size_t i = 0; i < x.n; i++) {
		free(x.v[i].sku);
		free(x.v[i].loc);
		free(x.v[i].lot);
	}
	free(x.v);
	return rc;
}

int
ims_report_expiring(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct sink k = { .o = o };
	int rc;

	if ((rc = ims_report_check(t, a, 1)))
		return rc;
	return expiring(t, a, &k);
}

/* --- lowstock --- */

const char *const ims_lowstock_cols[] = { "sku", "name", "available",
	"on_order", "reorder_point", "min", "max", "to_max", NULL };

struct lowstock {
	struct ims_txn *t;
	const struct ims_filter *f;
	struct ims_map *avail;		/* sku -> ims_wide */
	struct ims_rec in, out;
	struct sink *k;
};

static int
take_avail(void *arg, const struct ims_balance *b)
{
	struct lowstock *x = arg;
	void **slot;
	int isnew;

	if (x->f->location && !ims_loc_match(b->loc, x->f->location))
		return IMS_OK;
	slot = ims_map_slot(x->avail, b->sku, &isnew);
	if (isnew)
		*slot = xcalloc(1, sizeof(ims_wide));
	*(ims_wide *)*slot += b->b.on_hand - b->b.allocated;
	return IMS_OK;
}

static void
add_opt(struct ims_rec *r, const char *name, int has, ims_dec v)
{
	if (has)
		ims_rec_addn(r, name, v, IMS_QTY);
	else
		ims_rec_add(r, name, "null", 4, IMS_F_NULL);
}

/* An item is low when what is available, and on order (none until
 * purchase orders exist), is at or below its reorder point or min. */
static int
low_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct lowstock *x = arg;
	ims_dec rop, min, max;
	ims_wide *p = ims_map_get(x->avail, k->p), av = p ? *p : 0, on = 0;
	int hr, hm, hx;
	const char *name;

	if (x->f->sku && strcmp(x->f->sku, k->p) != 0)
		return IMS_OK;
	if (ims_rec_json(&x->in, v->p, v->n) != 0)
		return ims_damaged("item %s: stored record is damaged",
		    ims_q(k->p));
	hr = ims_item_dec(&x->in, "reorder_point", IMS_QTY, &rop);
	hm = ims_item_dec(&x->in, "min", IMS_QTY, &min);
	hx = ims_item_dec(&x->in, "max", IMS_QTY, &max);
	if (!((hr && av + on <= rop) || (hm && av + on <= min)))
		return IMS_OK;
	name = ims_rec_str(&x->in, "name");
	ims_rec_reset(&x->out);
	ims_rec_adds(&x->out, "sku", k->p);
	ims_rec_adds(&x->out, "name", name ? name : "");
	ims_rec_addw(&x->out, "available", av, IMS_QTY);
	ims_rec_addw(&x->out, "on_order", on, IMS_QTY);
	add_opt(&x->out, "reorder_point", hr, rop);
	add_opt(&x->out, "min", hm, min);
	add_opt(&x->out, "max", hx, max);
	if (hx)
		ims_rec_addw(&x->out, "to_max", max - av - on, IMS_QTY);
	else
		ims_rec_add(&x->out, "to_max", "null", 4, IMS_F_NULL);
	sink_rec(x->k, &x->out);
	return IMS_OK;
}

static int
lowstock(struct ims_txn *t, const struct ims_report_args *a, struct sink *k)
{
	struct lowstock x = { .t = t, .f = &a->f, .k = k };
	int rc;

	x.avail = ims_map_new();
	rc = a->as_of == IMS_TIME_NONE ?
	    ims_each_balance(t, a->f.sku, take_avail, &x) :
	    ims_each_balance_at(t, a->f.sku, a->as_of, take_avail, &x);
	if (!rc)
		rc = ims_each_row(t, IMS_DB_ITEMS, NULL, low_item, &x);
	ims_map_free(x.avail, free);
	ims_rec_free(&x.in);
	ims_rec_free(&x.out);
	return rc;
}

int
ims_report_lowstock(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct sink k = { .o = o };
	int rc;

	if ((rc = ims_report_check(t, a, 0)))
		return rc;
	return lowstock(t, a, &k);
}

/* --- movements and the stock level they leave --- */

const char *const ims_movements_cols[] = { "period", "in", "out", "adjust",
	"scrap", "net", "level", NULL };

struct levels {
	const struct ims_filter *f;
	ims_time until, first;
	ims_time *starts;
	size_t np;
	struct ims_level *lv;
	ims_wide opening;
};

/* Inside the scope: an internal location in the zone asked (any
 * internal one when none is). */
static int
inside(const struct ims_filter *f, const char *loc)
{
	return !ims_is_virtual(loc) &&
	    (!f->location || ims_loc_match(loc, f->location));
}

/* Whether e crosses the scope's edge, and which way (+1 in, -1 out). */
static int
crossing(const struct levels *l, const struct ims_entry *e)
{
	int from, to;

	if (e->kind != IMS_KIND_MOVE || e->ts > l->until ||
	    (l->f->sku && strcmp(l->f->sku, e->sku) != 0))
		return 0;
	from = inside(l->f, e->from);
	to = inside(l->f, e->to);
	return from == to ? 0 : to ? 1 : -1;
}

static int
first_in_scope(void *arg, const struct ims_entry *e)
{
	struct levels *l = arg;

	if (crossing(l, e) && (l->first == IMS_TIME_NONE || e->ts < l->first))
		l->first = e->ts;
	return IMS_OK;
}

/* Into its period's column: from @adjust or to it is an adjustment,
 * to @scrap scrap, any other way in (a receipt, a transfer into the
 * zone) in, and out (a shipment, a transfer out of the zone) out. */
static int
level_entry(void *arg, const struct ims_entry *e)
{
	struct levels *l = arg;
	int dir = crossing(l, e);
	struct ims_level *p;
	long i;

	if (!dir)
		return IMS_OK;
	if ((i = ims_rperiod_index(l->starts, l->np, e->ts)) < 0) {
		l->opening += dir * (ims_wide)e->qty;
		return IMS_OK;
	}
	p = &l->lv[i];
	if (strcmp(dir > 0 ? e->from : e->to, "@adjust") == 0)
		p->adjust += dir * (ims_wide)e->qty;
	else if (dir < 0 && strcmp(e->to, "@scrap") == 0)
		p->scrap += e->qty;
	else if (dir > 0)
		p->in += e->qty;
	else
		p->out += e->qty;
	return IMS_OK;
}

/*
 * The movements across the edge of a scope (f's sku and zone) per
 * period p, from the period of f->since (open: of the scope's first
 * movement) to that of f->until, each with the level of stock in the
 * scope at its end.  *lv is the caller's to free.
 */
int
ims_levels(struct ims_txn *t, const struct ims_filter *f,
    enum ims_rperiod p, struct ims_level **lv, size_t *n)
{
	struct levels l = { .f = f, .until = f->until, .first = f->since };
	ims_wide level;
	uint64_t last;
	int rc;

	*lv = NULL;
	*n = 0;
	if ((rc = ims_journal_last(t, &last)))
		return rc;
	if (l.first == IMS_TIME_NONE &&
	    (rc = ims_each_entry(t, 1, last, first_in_scope, &l)))
		return rc;
	if ((rc = ims_periods(p, l.first, l.until, &l.starts, &l.np)))
		goto out;
	l.lv = xcalloc(l.np, sizeof *l.lv);
	if ((rc = ims_each_entry(t, 1, last, level_entry, &l)))
		goto out;
	level = l.opening;
	for (size_t i = 0; i < l.np; i++) {
		l.lv[i].start = l.starts[i];
		level += l.lv[i].in - l.lv[i].out + l.lv[i].adjust -
		    l.lv[i].scrap;
		l.lv[i].level = level;
	}
	*lv = l.lv;
	*n = l.np;
	l.lv = NULL;
out:
	free(l.lv);
	free(l.starts);
	return rc;
}

static void
level_rec(struct ims_rec *r, const char *period, const struct ims_level *v,
    int with_level)
{
	ims_rec_reset(r);
	ims_rec_adds(r, "period", period);
	ims_rec_addw(r, "in", v->in, IMS_QTY);
	ims_rec_addw(r, "out", v->out, IMS_QTY);
	ims_rec_addw(r, "adjust", v->adjust, IMS_QTY);
	ims_rec_addw(r, "scrap", v->scrap, IMS_QTY);
	ims_rec_addw(r, "net", v->in - v->out + v->adjust - v->scrap,
	    IMS_QTY);
	if (with_level)
		ims_rec_addw(r, "level", v->level, IMS_QTY);
}

/* The level per period (out: what went out, as bars) as an <svg>
 * element appended to b. */
static void
level_svg(struct ims_buf *b, const char *title, enum ims_rperiod p,
    const struct ims_level *lv, size_t n, int out)
{
	char **x = xcalloc(n, sizeof *x);
	ims_wide *y = xcalloc(n, sizeof *y);
	struct ims_chart c = { .title = title, .unit = out ? "out" :
		"on hand", .n = n, .x = (const char *const *)x, .y = y,
		.scale = IMS_QTY, .bars = out };

	for (size_t i = 0; i < n; i++) {
		x[i] = xcalloc(IMS_TIME_BUF, 1);
		ims_rperiod_label(p, lv[i].start, x[i]);
		y[i] = out ? lv[i].out + lv[i].scrap : lv[i].level;
	}
	ims_svg_chart(b, &c);
	for (size_t i = 0; i < n; i++)
		free(x[i]);
	free(x);
	free(y);
}

/* The level as an SVG file: of the sku, the zone, or all. */
static int
level_chart(const char *path, const struct ims_filter *f, enum ims_rperiod p,
    const struct ims_level *lv, size_t n)
{
	struct ims_buf b = { 0 };
	char title[2 * IMS_ID_MAX + 64];
	int rc;

	snprintf(title, sizeof title, "Stock level%s%s%s%s",
	    f->sku ? " of " : "", f->sku ? f->sku : "",
	    f->location ? " in " : "", f->location ? f->location : "");
	ims_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	level_svg(&b, title, p, lv, n, 0);
	rc = ims_file_write(path, &b);
	ims_buf_free(&b);
	return rc;
}

int
ims_report_movements(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct ims_filter f = a->f;
	enum ims_rperiod p = a->period ? a->period : IMS_P_DAY;
	struct ims_level *lv, sum = { 0 };
	struct ims_rec r = { 0 };
	char label[IMS_TIME_BUF];
	size_t n;
	int rc;

	if ((rc = ims_report_check(t, a, 1)))
		return rc;
	f.until = ims_report_until(a);
	if ((rc = ims_levels(t, &f, p, &lv, &n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		ims_rperiod_label(p, lv[i].start, label);
		level_rec(&r, label, &lv[i], 1);
		ims_out_rec(o, &r);
		sum.in += lv[i].in, sum.out += lv[i].out;
		sum.adjust += lv[i].adjust, sum.scrap += lv[i].scrap;
	}
	level_rec(&r, "total", &sum, 0);
	if (n)
		ims_rec_addw(&r, "level", lv[n - 1].level, IMS_QTY);
	ims_out_total(o, &r);
	if (a->svg)
		rc = level_chart(a->svg, &f, p, lv, n);
	free(lv);
	ims_rec_free(&r);
	return rc;
}

/* --- the dashboard --- */

const char *const ims_dashboard_cols[] = { "figure", "value", NULL };

struct figures {
	struct ims_txn *t;
	ims_time today;		/* the day's start */
	long skus;
	ims_wide on_hand, value, received, shipped;
	struct ims_rec tmp;
	int rc;
};

static int
count_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	(void)k, (void)v;
	((struct figures *)arg)->skus++;
	return IMS_OK;
}

static int
value_balance(void *arg, const struct ims_balance *b)
{
	struct figures *x = arg;
	ims_dec v;

	x->on_hand += b->b.on_hand;
	if (ims_value(b->b.on_hand, unit_cost(x->t, b->sku, &x->tmp), &v))
		return ims_seterr(IMS_EREJECT, "%s: the value does not fit",
		    ims_q(b->sku));
	x->value += v;
	return IMS_OK;
}

static int
today_entry(void *arg, const struct ims_entry *e)
{
	struct figures *x = arg;

	if (e->kind != IMS_KIND_MOVE)
		return IMS_OK;
	if (strcmp(e->from, "@supplier") == 0)
		x->received += e->qty;
	if (strcmp(e->to, "@customer") == 0)
		x->shipped += e->qty;
	return IMS_OK;
}

static int
figures(struct figures *x)
{
	struct ims_filter f = IMS_FILTER_ALL;
	int rc;

	f.since = x->today;
	f.until = x->today + DAY - 1;
	f.kinds = 1u << IMS_KIND_MOVE;
	if ((rc = ims_each_row(x->t, IMS_DB_ITEMS, NULL, count_item, x)) ||
	    (rc = ims_each_balance(x->t, NULL, value_balance, x)))
		return rc;
	return ims_each_entry_by_time(x->t, &f, today_entry, x);
}

/* One figure: on standard output as a record, and in the page. */
static void
figure(struct ims_out *o, struct ims_buf *h, const char *name,
    const char *what, ims_wide v, int scale)
{
	struct ims_rec r = { 0 };
	char b[IMS_DEC128_BUF];

	ims_rec_adds(&r, "figure", name);
	ims_rec_addw(&r, "value", v, scale);
	ims_out_rec(o, &r);
	ims_rec_free(&r);
	ims_buf_adds(h, "<tr><th>");
	ims_buf_xml(h, what);
	ims_buf_adds(h, "</th><td class=\"n\">");
	ims_buf_adds(h, ims_wide_fmt(v, scale, b));
	ims_buf_adds(h, "</td></tr>\n");
}

static const char page_head[] =
    "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
    "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>";
static const char page_style[] = "</title>\n<style>\n"
    "body { font-family: sans-serif; margin: 2em; color: #222; }\n"
    "table { border-collapse: collapse; margin-bottom: 1.5em; }\n"
    "th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; "
    "text-align: left; }\n"
    "td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "</style>\n</head>\n<body>\n";

static void
heading(struct ims_buf *h, const char *tag, const char *s)
{
	ims_buf_adds(h, "<");
	ims_buf_adds(h, tag);
	ims_buf_adds(h, ">");
	ims_buf_xml(h, s);
	ims_buf_adds(h, "</");
	ims_buf_adds(h, tag);
	ims_buf_adds(h, ">\n");
}

/* A section of rows: a table with a header, its id for the reader. */
static int
section(struct ims_buf *h, const char *id, const char *title,
    const char *const *cols, int (*fill)(struct ims_txn *,
    const struct ims_report_args *, struct sink *), struct ims_txn *t,
    const struct ims_report_args *a, long *rows)
{
	struct sink k = { .html = h, .cols = cols };
	int rc;

	heading(h, "h2", title);
	ims_buf_adds(h, "<table id=\"");
	ims_buf_adds(h, id);
	ims_buf_adds(h, "\">\n<tr>");
	for (const char *const *c = cols; *c; c++) {
		ims_buf_adds(h, "<th>");
		ims_buf_xml(h, *c);
		ims_buf_adds(h, "</th>");
	}
	ims_buf_adds(h, "</tr>\n");
	rc = fill(t, a, &k);
	ims_buf_adds(h, "</table>\n");
	*rows = k.rows;
	return rc;
}

/* The charts: the stock level and what went out over the last 30
 * days, the Pareto curve of the last 365. */
static int
charts(struct ims_txn *t, const struct ims_report_args *a, ims_time today,
    struct ims_buf *h)
{
	struct ims_filter f = IMS_FILTER_ALL;
	struct ims_level *lv;
	size_t n;
	int rc;

	f.since = today - 29 * DAY;
	f.until = today + DAY - 1;
	if ((rc = ims_levels(t, &f, IMS_P_DAY, &lv, &n)))
		return rc;
	heading(h, "h2", "Stock level, the last 30 days");
	level_svg(h, "Stock level, all locations", IMS_P_DAY, lv, n, 0);
	heading(h, "h2", "Shipped and scrapped, the last 30 days");
	level_svg(h, "Out per day", IMS_P_DAY, lv, n, 1);
	free(lv);
	heading(h, "h2", "ABC, the last 365 days");
	return ims_pareto_svg(t, a, today - 364 * DAY, today + DAY - 1, h);
}

/* The page: figures, low stock, expiring lots, charts. */
static int
page(struct ims_txn *t, struct ims_out *o, const struct ims_report_args *a,
    struct figures *x, struct ims_buf *h)
{
	struct ims_buf rows = { 0 };
	char date[IMS_TIME_BUF], title[64];
	long low = 0, exp = 0;
	int rc;

	ims_date_fmt(x->today, date);
	snprintf(title, sizeof title, "Inventory on %s", date);
	if ((rc = section(&rows, "lowstock", "Low stock", ims_lowstock_cols,
	    lowstock, t, a, &low)) ||
	    (rc = section(&rows, "expiring", "Expiring lots",
	    ims_expiring_cols, expiring, t, a, &exp)) ||
	    (rc = charts(t, a, x->today, &rows)))
		goto out;
	ims_buf_adds(h, page_head);
	ims_buf_xml(h, title);
	ims_buf_adds(h, page_style);
	heading(h, "h1", title);
	ims_buf_adds(h, "<table id=\"figures\">\n");
	figure(o, h, "skus", "items", x->skus, 0);
	figure(o, h, "on_hand", "on hand", x->on_hand, IMS_QTY);
	figure(o, h, "stock_value", "stock value at unit cost", x->value,
	    IMS_MONEY);
	figure(o, h, "received_today", "received today", x->received,
	    IMS_QTY);
	figure(o, h, "shipped_today", "shipped today", x->shipped, IMS_QTY);
	figure(o, h, "lowstock", "items low on stock", low, 0);
	figure(o, h, "expiring", "lots expiring soon", exp, 0);
	ims_buf_adds(h, "</table>\n");
	ims_buf_add(h, rows.p, rows.n);
	ims_buf_adds(h, "</body>\n</html>\n");
out:
	ims_buf_free(&rows);
	return rc;
}

/* The dashboard: its figures on standard output, the whole page in
 * --html's file. */
int
ims_report_dashboard(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct figures x = { .t = t };
	struct ims_buf h = { 0 };
	int rc;

	if (!a->html) {
		ims_warn("dashboard: --html FILE names the page to write");
		return IMS_EXIT_USAGE;
	}
	if ((rc = ims_report_check(t, a, 1)))
		return rc;
	x.today = a->now / DAY * DAY - (a->now % DAY < 0 ? DAY : 0);
	if (!(rc = figures(&x)) && !(rc = page(t, o, a, &x, &h)))
		rc = ims_file_write(a->html, &h);
	ims_buf_free(&h);
	ims_rec_free(&x.tmp);
	return rc;
}
