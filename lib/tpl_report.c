/*
 * tpl_report.c: the reports of a 3PL and a multichannel seller.
 * billing: a client's invoice lines over a period, storage integrated
 * exactly over each balance's history; available: what each sales
 * channel may sell of each sku, in the columns its bulk upload takes.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define DAY 86400

const char *const ims_billing_cols[] = { "client", "since", "until",
	"charge", "unit", "quantity", "rate", "amount", NULL };

/* Changed by the available report before its first row, when a
 * channel names the columns of its upload. */
const char *ims_available_cols[] = { "channel", "sku", "quantity",
	"available", NULL };

/* How a sku's storage is billed. */
enum { B_UNITS, B_M3, B_PALLETS, B_NONE };

struct sku_info {
	int basis;		/* B_NONE: not the client's */
	ims_dec per;		/* m3 or pallets per unit (6 places) */
};

struct bill {
	struct ims_txn *t;
	const char *client;
	ims_time since, end;	/* [since, end) */
	struct ims_map *skus;	/* sku -> struct sku_info */
	ims_wide store[3];	/* base units (3 places) x seconds, times
				 * per (6 places) for m3 and pallets */
	ims_wide received, shipped;	/* 3 places */
	struct ims_map *orders, *lines;
	/* the balance whose history rows are being read */
	char run[IMS_KEY_MAX + 1];
	size_t runlen;
	const struct sku_info *info;
	int64_t cur;
	ims_time at;
	struct ims_rec rec;
};


/* A per-unit figure of an item (volume, pallets), or 0. */
static ims_dec
per_unit(const struct ims_rec *item, const char *name)
{
	const char *s = ims_rec_str(item, name);
	ims_dec v;

	return s && !ims_dec_parse(s, strlen(s), IMS_VOL, &v) && v > 0 ? v :
	    0;
}

/* The sku's billing basis: pallets where the item gives pallets per
 * unit, else cubic metres where it gives its volume, else units. */
static const struct sku_info *
sku_info(struct bill *b, const char *sku)
{
	int isnew;
	void **slot = ims_map_slot(b->skus, sku, &isnew);
	struct sku_info *i;

	if (!isnew)
		return *slot;
	*slot = i = ims_must(calloc(1, sizeof *i));
	i->basis = B_NONE;
	if (!ims_owned(b->t, sku, b->client) ||
	    ims_master_get(b->t, &ims_item_schema, sku, &b->rec) != IMS_OK)
		return i;
	if ((i->per = per_unit(&b->rec, "pallets")))
		i->basis = B_PALLETS;
	else if ((i->per = per_unit(&b->rec, "volume")))
		i->basis = B_M3;
	else
		i->basis = B_UNITS;
	return i;
}

/* Stock of cur held from at to ts, the part of it in the period. */
static void
held(struct bill *b, ims_time ts)
{
	ims_time from = b->at > b->since ? b->at : b->since;
	ims_time to = ts < b->end ? ts : b->end;
	ims_wide q;

	if (!b->info || b->info->basis == B_NONE || to <= from || !b->cur)
		return;
	q = (ims_wide)b->cur * (to - from);
	if (b->info->basis != B_UNITS)
		q *= b->info->per;
	b->store[b->info->basis] += q;
}

/* One history row, in (balance, ts, seq) order: a balance's rows are
 * its stock over time, integrated exactly, second by second. */
static int
history_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct bill *b = arg;
	const unsigned char *p;
	int64_t d;

	if (k->n < 17 || v->n != 8 || k->n - 16 > IMS_KEY_MAX)
		return ims_damaged("a history row of %zu bytes", v->n);
	if (k->n - 16 != b->runlen || memcmp(k->p, b->run, b->runlen)) {
		held(b, b->end);
		b->runlen = k->n - 16;
		memcpy(b->run, k->p, b->runlen);
		b->info = sku_info(b, k->p);
		b->cur = 0;
		b->at = INT64_MIN;
	}
	p = (const unsigned char *)k->p + k->n - 16;
	memcpy(&d, v->p, 8);
	held(b, ims_get_i64(p));
	b->cur += d;
	b->at = ims_get_i64(p);
	return IMS_OK;
}

static void
count_key(struct ims_map *m, const char *a, const char *c)
{
	char k[2 * IMS_ID_MAX + 2];
	int isnew;

	snprintf(k, sizeof k, "%s\x1f%s", a, c ? c : "");
	ims_map_slot(m, k, &isnew);
}

/* A movement of the period: received from @supplier, shipped to
 * @customer, and the orders and lines a shipment picked. */
static int
handling(void *arg, const struct ims_entry *e)
{
	struct bill *b = arg;
	const char *order, *line;

	if (sku_info(b, e->sku)->basis == B_NONE)
		return IMS_OK;
	if (strcmp(e->from, "@supplier") == 0)
		b->received += e->qty;
	if (strcmp(e->to, "@customer") != 0)
		return IMS_OK;
	b->shipped += e->qty;
	ims_rec_reset(&b->rec);
	if (ims_rec_json(&b->rec, e->json, e->jsonlen) != 0)
		return ims_damaged("entry %llu does not parse",
		    (unsigned long long)e->seq);
	if ((order = ims_rec_str(&b->rec, "order"))) {
		line = ims_rec_str(&b->rec, "line");
		count_key(b->orders, order, NULL);
		count_key(b->lines, order, line);
	}
	return IMS_OK;
}

/* a / d rounded half up (a >= 0, d > 0). */
static ims_wide
div_round(ims_wide a, ims_wide d)
{
	return (a + d / 2) / d;
}

static ims_wide
pow10w(int n)
{
	ims_wide p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* One invoice line: quantity q at scale qs, and the rate times q over
 * div (which brings it to 4 places). */
struct line {
	const char *charge, *unit, *rate_field;
	ims_wide q;		/* the raw figure */
	ims_wide qdiv;		/* q / qdiv is the quantity, 3 places */
	ims_wide adiv;		/* rate (4) x q / adiv is the amount, 4 */
};

static void
print_line(struct bill *b, struct ims_out *o, const struct ims_rec *cl,
    const struct line *l, ims_wide *total)
{
	char tb[IMS_TIME_BUF], qb[IMS_DEC128_BUF], ab[IMS_DEC128_BUF];
	const char *rs = ims_rec_str(cl, l->rate_field);
	ims_dec rate = 0;
	ims_wide amount;

	if (!l->q)
		return;
	if (rs && ims_dec_parse(rs, strlen(rs), IMS_MONEY, &rate))
		rate = 0;
	amount = div_round((ims_wide)rate * l->q, l->adiv);
	*total += amount;
	ims_rec_reset(&b->rec);
	ims_rec_adds(&b->rec, "client", b->client);
	ims_rec_adds(&b->rec, "since", ims_time_fmt(b->since, tb));
	ims_rec_adds(&b->rec, "until", ims_time_fmt(b->end - 1, tb));
	ims_rec_adds(&b->rec, "charge", l->charge);
	ims_rec_adds(&b->rec, "unit", l->unit);
	ims_wide_fmt(div_round(l->q, l->qdiv), IMS_QTY, qb);
	ims_rec_add(&b->rec, "quantity", qb, strlen(qb), IMS_F_NUM);
	ims_rec_addn(&b->rec, "rate", rate, IMS_MONEY);
	ims_wide_fmt(amount, IMS_MONEY, ab);
	ims_rec_add(&b->rec, "amount", ab, strlen(ab), IMS_F_NUM);
	ims_out_rec(o, &b->rec);
}

/* The invoice: a line per charge with a quantity, then the total. */
static void
invoice(struct bill *b, struct ims_out *o, const struct ims_rec *cl)
{
	const ims_wide e3 = pow10w(3), e6 = pow10w(6), e9 = pow10w(9);
	const struct line lines[] = {
		{ "storage", "unit-days", "rate_unit_day", b->store[B_UNITS],
		  DAY, DAY * e3 },
		{ "storage", "m3-days", "rate_m3_day", b->store[B_M3],
		  DAY * e6, DAY * e9 },
		{ "storage", "pallet-days", "rate_pallet_day",
		  b->store[B_PALLETS], DAY * e6, DAY * e9 },
		{ "receiving", "units", "rate_receipt_unit", b->received, 1,
		  e3 },
		{ "orders", "orders", "rate_order",
		  (ims_wide)ims_map_count(b->orders) * e3, 1, e3 },
		{ "lines", "lines", "rate_line",
		  (ims_wide)ims_map_count(b->lines) * e3, 1, e3 },
		{ "shipping", "units", "rate_ship_unit", b->shipped, 1, e3 },
	};
	char tb[IMS_TIME_BUF], ab[IMS_DEC128_BUF];
	ims_wide total = 0;

	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		print_line(b, o, cl, &lines[i], &total);
	ims_rec_reset(&b->rec);
	ims_rec_adds(&b->rec, "client", b->client);
	ims_rec_adds(&b->rec, "since", ims_time_fmt(b->since, tb));
	ims_rec_adds(&b->rec, "until", ims_time_fmt(b->end - 1, tb));
	ims_rec_adds(&b->rec, "charge", "total");
	ims_wide_fmt(total, IMS_MONEY, ab);
	ims_rec_add(&b->rec, "amount", ab, strlen(ab), IMS_F_NUM);
	ims_out_rec(o, &b->rec);
}

/*
 * ims-report billing --client C --since --until: storage as the
 * integral of each of the client's balances over [since, until] (a bare
 * --until date is the whole of that day), in unit-days, m3-days or
 * pallet-days; units received and shipped, orders and lines shipped;
 * each times the client's rate, rounded half up to 4 places per line.
 */
int
ims_report_billing(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	static struct ims_rec cl;
	struct bill b = { .t = t, .client = a->f.client, .since = a->f.since,
		.end = a->f.until + 1 };
	struct ims_filter f = IMS_FILTER_ALL;
	int rc;

	if ((rc = ims_master_get(t, &ims_client_schema, b.client, &cl)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown "
		    "client %s", ims_q(b.client)) : rc;
	if (b.end <= b.since)
		return ims_seterr(IMS_EREJECT, "billing: --until is before "
		    "--since");
	b.skus = ims_must(ims_map_new());
	b.orders = ims_must(ims_map_new());
	b.lines = ims_must(ims_map_new());
	rc = ims_each_row(t, IMS_DB_HISTORY, NULL, history_row, &b);
	held(&b, b.end);
	f.since = b.since, f.until = b.end - 1;
	f.kinds = 1u << IMS_KIND_MOVE;
	if (!rc)
		rc = ims_each_entry_by_time(t, &f, handling, &b);
	if (!rc)
		invoice(&b, o, &cl);
	ims_map_free(b.skus, free);
	ims_map_free(b.orders, NULL);
	ims_map_free(b.lines, NULL);
	ims_rec_free(&b.rec);
	return rc;
}

/* --- available --- */

struct avail_sku {
	char *sku, *owner;
	ims_wide avail;
	int whole;
};

struct avail {
	struct ims_txn *t;
	const struct ims_report_args *a;
	struct avail_sku *v;
	size_t n, cap;
	struct ims_map *transit;	/* location -> "t" or "i" */
	ims_wide sum;
	struct ims_rec rec, tmp;
};

/* Is the location a transit one?  Stock on its way is not for sale. */
static int
in_transit(struct avail *x, const char *loc)
{
	int isnew;
	void **slot = ims_map_slot(x->transit, loc, &isnew);
	const char *type;

	if (isnew) {
		*slot = (void *)"i";
		if (ims_master_get(x->t, &ims_loc_schema, loc, &x->tmp) ==
		    IMS_OK && (type = ims_rec_str(&x->tmp, "type")) &&
		    strcmp(type, "transit") == 0)
			*slot = (void *)"t";
	}
	return *(const char *)*slot == 't';
}

static int
avail_bal(void *arg, const struct ims_balance *b)
{
	struct avail *x = arg;

	if (!in_transit(x, b->loc))
		x->sum += b->b.on_hand - b->b.allocated;
	return IMS_OK;
}

/* One item: its stock available to sell, unless it is a kit or another
 * client's. */
static int
avail_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct avail *x = arg;
	struct avail_sku *s;
	const char *owner;
	int rc;

	ims_rec_reset(&x->rec);
	if (ims_rec_json(&x->rec, v->p, v->n) != 0)
		return ims_damaged("item %s does not parse", ims_q(k->p));
	owner = ims_rec_str(&x->rec, "owner");
	if (ims_rec_field(&x->rec, "components") || (x->a->f.client &&
	    (!owner || strcmp(owner, x->a->f.client) != 0)))
		return IMS_OK;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->v = ims_must(realloc(x->v, x->cap * sizeof *x->v));
	}
	s = &x->v[x->n++];
	s->sku = ims_must(strdup(k->p));
	s->owner = owner ? ims_must(strdup(owner)) : NULL;
	s->whole = ims_unit_whole(ims_rec_str(&x->rec, "uom"));
	x->sum = 0;
	if ((rc = ims_each_balance(x->t, s->sku, avail_bal, x)))
		return rc;
	s->avail = x->sum;
	return IMS_OK;
}

/* A channel's rule, as its record gives it. */
struct rule {
	const char *id, *client, *skucol, *qtycol;
	ims_dec buffer, share, cap;
	int has_share, has_cap;
};

static ims_dec
rule_num(const struct ims_rec *r, const char *name, int *has)
{
	const char *s = ims_rec_str(r, name);
	ims_dec v = 0;

	*has = s && !ims_dec_parse(s, strlen(s), IMS_QTY, &v);
	return *has ? v : 0;
}

static void
read_rule(const struct ims_rec *r, struct rule *u)
{
	int has;

	u->id = ims_rec_str(r, "id");
	u->client = ims_rec_str(r, "client");
	u->skucol = ims_rec_str(r, "sku_column");
	u->qtycol = ims_rec_str(r, "qty_column");
	if (!u->skucol)
		u->skucol = "sku";
	if (!u->qtycol)
		u->qtycol = "quantity";
	u->buffer = rule_num(r, "buffer", &has);
	u->share = rule_num(r, "share", &u->has_share);
	u->cap = rule_num(r, "cap", &u->has_cap);
}

/*
 * What a channel may sell of what is available: its share (rounded
 * down, to whole units where the unit is whole, so that the shares of
 * all channels never add up to more than there is), less its buffer,
 * never below zero, and no more than its cap.
 */
static ims_wide
allot(const struct rule *u, const struct avail_sku *s)
{
	ims_wide q = s->avail, unit = s->whole ? 1000 : 1;

	if (u->has_share)
		q = q * u->share / 100000 / unit * unit;
	q -= u->buffer;
	if (q < 0)
		q = 0;
	if (u->has_cap && q > u->cap)
		q = u->cap;
	return q;
}

static void
avail_rows(struct avail *x, struct ims_out *o, const struct rule *u)
{
	char qb[IMS_DEC128_BUF], ab[IMS_DEC128_BUF];

	for (size_t i = 0; i < x->n; i++) {
		const struct avail_sku *s = &x->v[i];

		if (u->client && (!s->owner || strcmp(s->owner, u->client)))
			continue;
		ims_rec_reset(&x->rec);
		ims_rec_adds(&x->rec, "channel", u->id);
		ims_rec_adds(&x->rec, u->skucol, s->sku);
		ims_wide_fmt(allot(u, s), IMS_QTY, qb);
		ims_rec_add(&x->rec, u->qtycol, qb, strlen(qb), IMS_F_NUM);
		ims_wide_fmt(s->avail, IMS_QTY, ab);
		ims_rec_add(&x->rec, "available", ab, strlen(ab), IMS_F_NUM);
		ims_out_rec(o, &x->rec);
	}
}

struct each_channel {
	struct avail *x;
	struct ims_out *o;
	struct ims_rec rec;
};

static int
channel_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct each_channel *c = arg;
	struct rule u;

	ims_rec_reset(&c->rec);
	if (ims_rec_json(&c->rec, v->p, v->n) != 0)
		return ims_damaged("channel %s does not parse", ims_q(k->p));
	read_rule(&c->rec, &u);
	/* every channel in one listing: the same columns for all */
	u.skucol = "sku";
	u.qtycol = "quantity";
	avail_rows(c->x, c->o, &u);
	return IMS_OK;
}

/*
 * The columns of one channel's upload, its names for sku and quantity:
 * ims_available_cols becomes them, for the output to be opened with it
 * (the command calls this first).  Unknown channel: a rejection.
 */
int
ims_available_columns(struct ims_txn *t, const struct ims_report_args *a)
{
	static char sku[IMS_ID_MAX + 1], qty[IMS_ID_MAX + 1];
	static struct ims_rec r;
	struct rule u;
	int rc;

	if (!a->channel)
		return IMS_OK;
	if ((rc = ims_master_get(t, &ims_channel_schema, a->channel, &r)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown "
		    "channel %s", ims_q(a->channel)) : rc;
	read_rule(&r, &u);
	snprintf(sku, sizeof sku, "%s", u.skucol);
	snprintf(qty, sizeof qty, "%s", u.qtycol);
	ims_available_cols[0] = sku;
	ims_available_cols[1] = qty;
	ims_available_cols[2] = NULL;
	return IMS_OK;
}

/*
 * ims-report available [--channel C] [--client C] [--sku S]: a row per
 * channel and sku (not kits): what the channel may sell.  With
 * --channel, CSV has the two columns of the channel's upload.
 */
int
ims_report_available(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct avail x = { .t = t, .a = a };
	struct each_channel c = { &x, o, { 0 } };
	struct ims_key k;
	struct rule u;
	int rc;

	x.transit = ims_must(ims_map_new());
	if (a->channel) {
		rc = ims_master_get(t, &ims_channel_schema, a->channel, &c.rec);
		if (rc == IMS_ENOTFOUND)
			rc = ims_seterr(IMS_EREJECT, "unknown channel %s",
			    ims_q(a->channel));
		if (!rc)
			read_rule(&c.rec, &u);
	} else if (a->f.client && (rc = ims_master_get(t, &ims_client_schema,
	    a->f.client, &x.tmp)) == IMS_ENOTFOUND)
		rc = ims_seterr(IMS_EREJECT, "unknown client %s",
		    ims_q(a->f.client));
	else
		rc = IMS_OK;
	ims_key_init(&k);
	if (a->f.sku)
		ims_key_str(&k, a->f.sku);
	if (!rc)
		rc = ims_each_row(t, IMS_DB_ITEMS, a->f.sku ? &k : NULL,
		    avail_item, &x);
	if (!rc && a->channel)
		avail_rows(&x, o, &u);
	else if (!rc)
		rc = ims_each_row(t, IMS_DB_CHANNELS, NULL, channel_row, &c);
	for (size_t i = 0; i < x.n; i++) {
		free(x.v[i].sku);
		free(x.v[i].owner);
	}
	free(x.v);
	ims_map_free(x.transit, NULL);
	ims_rec_free(&x.rec);
	ims_rec_free(&x.tmp);
	ims_rec_free(&c.rec);
	return rc;
}
