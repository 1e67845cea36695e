/*
 * report_supplier.c: how suppliers deliver, measured from their purchase
 * orders.  A line's lead time runs from its PO's approval to the receipt
 * that completed it, the receipts taken in (ts, seq) order; the
 * suppliers report sums lines and receipts per supplier over a window,
 * and ims_lead_time gives ims-reorder the same measure per sku and per
 * supplier.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define DAY 86400

const char *const ims_suppliers_cols[] = { "supplier", "lines", "measured",
	"promised_days", "lead_time_days", "lead_time_sd", "on_time",
	"in_full", "otif", "value", NULL };

/* A PO line as the receipts leave it. */
struct sline {
	char *sku, *supplier;
	ims_dec qty;
	ims_wide got;		/* received so far, in time order */
	ims_time due, approved, ended, done, last;
	unsigned status;
};

/* Lead times observed: sums in seconds, exact. */
struct lt {
	ims_wide sum, sumsq;
	long n;
};

/* What a supplier row sums. */
struct srow {
	struct lt lt;
	long lines, on_time, in_full, otif, promised;
	ims_wide promise_sum;	/* days */
	ims_wide value;		/* 4 places */
};

/* Every PO line, by "po\x1fline", and the suppliers' rows. */
struct idx {
	struct ims_txn *t;
	struct ims_map *lines;
	struct ims_map *rows;	/* supplier -> struct srow */
	const char *sku;	/* only this sku's lines and receipts */
	ims_time since, until;
	struct ims_rec rec;
	char key[2 * IMS_ID_MAX + 2];
	int rc;
};


static const char *
key2(struct idx *x, const char *a, const char *b)
{
	snprintf(x->key, sizeof x->key, "%s\x1f%s", a, b);
	return x->key;
}

static void
free_line(void *p)
{
	struct sline *l = p;

	free(l->sku);
	free(l->supplier);
	free(l);
}

static int
po_line(void *arg, const struct ims_poline *pl)
{
	struct idx *x = arg;
	struct ims_po po;
	struct sline *l;
	void **slot;
	int rc;

	if ((rc = ims_po_get(x->t, pl->po, &po)))
		return rc == IMS_ENOTFOUND ? ims_damaged("po line %s without "
		    "its po", ims_q(pl->po)) : rc;
	l = ims_must(calloc(1, sizeof *l));
	l->sku = ims_must(strdup(pl->sku));
	l->supplier = ims_must(strdup(po.supplier));
	l->qty = pl->qty, l->due = pl->due;
	l->approved = po.approved, l->ended = po.ended;
	l->status = po.status;
	l->done = l->last = IMS_TIME_NONE;
	slot = ims_map_slot(x->lines, key2(x, pl->po, pl->line), &(int){ 0 });
	*slot = l;
	return IMS_OK;
}

static struct srow *
row_of(struct idx *x, const char *supplier)
{
	void **slot = ims_map_slot(x->rows, supplier, &(int){ 0 });

	if (!*slot)
		*slot = ims_must(calloc(1, sizeof(struct srow)));
	return *slot;
}

/* Does an entry's JSON have a "po" field?  Cheaper than parsing it. */
static int
names_po(const char *s, size_t n)
{
	const char *end = s + n;

	for (; (s = memchr(s, '"', end - s)) && end - s >= 5; s++)
		if (memcmp(s, "\"po\":", 5) == 0)
			return 1;
	return 0;
}

/* A receipt against a PO line: the line takes it in time order, and the
 * supplier's row its value when it falls in the window. */
static int
receipt(void *arg, const struct ims_entry *e)
{
	struct idx *x = arg;
	const char *po, *line, *cost;
	struct sline *l;
	ims_dec c, v;

	if (strcmp(e->from, "@supplier") != 0 ||
	    !names_po(e->json, e->jsonlen))
		return IMS_OK;
	ims_rec_reset(&x->rec);
	if (ims_rec_json(&x->rec, e->json, e->jsonlen) != 0 ||
	    !(po = ims_rec_str(&x->rec, "po")) ||
	    !(line = ims_rec_str(&x->rec, "po_line")) ||
	    !(l = ims_map_get(x->lines, key2(x, po, line))))
		return IMS_OK;
	l->got += e->qty;
	l->last = e->ts;
	if (l->done == IMS_TIME_NONE && l->got >= l->qty)
		l->done = e->ts;
	if ((x->sku && strcmp(x->sku, l->sku) != 0) ||
	    (x->since != IMS_TIME_NONE && e->ts < x->since) ||
	    (x->until != IMS_TIME_NONE && e->ts > x->until) ||
	    !(cost = ims_rec_str(&x->rec, "unit_cost")) ||
	    ims_dec_parse(cost, strlen(cost), IMS_MONEY, &c) ||
	    ims_value(e->qty, c, &v))
		return IMS_OK;
	row_of(x, l->supplier)->value += v;
	return IMS_OK;
}

/* Every PO line with what its receipts did to it. */
static int
index_build(struct idx *x, struct ims_txn *t)
{
	struct ims_filter f = IMS_FILTER_ALL;
	int rc;

	x->t = t;
	x->lines = ims_must(ims_map_new());
	x->rows = ims_must(ims_map_new());
	f.kinds = 1u << IMS_KIND_MOVE;
	if ((rc = ims_each_poline(t, NULL, po_line, x)) ||
	    (rc = ims_each_entry_by_time(t, &f, receipt, x)))
		return rc;
	return IMS_OK;
}

static void
index_free(struct idx *x)
{
	ims_map_free(x->lines, free_line);
	ims_map_free(x->rows, free);
	ims_rec_free(&x->rec);
	x->lines = x->rows = NULL;
}

static void
lt_add(struct lt *s, ims_time secs)
{
	s->sum += secs;
	s->sumsq += (ims_wide)secs * secs;
	s->n++;
}

/* Mean and sample standard deviation in days (sd 0 under two); the
 * report prints the sd rounded to 3 places, trailing zeros dropped. */
static void
lt_days(const struct lt *s, double *mean, double *sd)
{
	double var;

	*mean = *sd = 0;
	if (s->n == 0)
		return;
	*mean = (double)s->sum / s->n / DAY;
	if (s->n < 2)
		return;
	var = (double)(s->n * s->sumsq - s->sum * s->sum) /
	    ((double)s->n * (s->n - 1));
	*sd = sqrt(var > 0 ? var : 0) / DAY;
}

/* A field's whole number of days, or -1. */
static int64_t
days_of(const struct ims_rec *r, const char *name)
{
	const char *s = ims_rec_str(r, name);
	ims_dec v;

	if (!s || ims_dec_parse(s, strlen(s), 0, &v))
		return -1;
	return v;
}

/* The lead time promised for a line: its item's, else its supplier's;
 * -1 when neither says. */
static int64_t
promise(struct idx *x, const struct sline *l)
{
	int64_t d = -1;

	if (ims_master_get(x->t, &ims_item_schema, l->sku, &x->rec) == IMS_OK)
		d = days_of(&x->rec, "lead_time_days");
	if (d < 0 && ims_master_get(x->t, &ims_supplier_schema, l->supplier,
	    &x->rec) == IMS_OK)
		d = days_of(&x->rec, "lead_time_days");
	return d;
}

/*
 * When a line was settled: at the receipt that completed it, or, short,
 * when its PO was closed.  A line of a draft, of a cancelled PO it did
 * not complete, or still open, is not settled: IMS_TIME_NONE.
 */
static ims_time
settled(const struct sline *l)
{
	if (l->approved == IMS_TIME_NONE)
		return IMS_TIME_NONE;
	if (l->done != IMS_TIME_NONE)
		return l->done;
	return l->status == IMS_PO_CLOSED ? l->ended : IMS_TIME_NONE;
}

/* Was the line's settling receipt (its last, when short) on time: by
 * the end of its due date, else by approval plus the promise? */
static int
in_time(const struct sline *l, int64_t days)
{
	ims_time at = l->done != IMS_TIME_NONE ? l->done : l->last;

	if (at == IMS_TIME_NONE)
		return 0;
	if (l->due != IMS_TIME_NONE)
		return at < l->due + DAY;
	return days < 0 || at <= l->approved + days * DAY;
}

static void
tally(struct idx *x, const struct sline *l)
{
	struct srow *r;
	ims_time at = settled(l);
	int64_t days;
	int t;

	if (at == IMS_TIME_NONE || (x->sku && strcmp(x->sku, l->sku) != 0) ||
	    (x->since != IMS_TIME_NONE && at < x->since) ||
	    (x->until != IMS_TIME_NONE && at > x->until))
		return;
	r = row_of(x, l->supplier);
	days = promise(x, l);
	t = in_time(l, days);
	r->lines++;
	r->on_time += t;
	if (days >= 0)
		r->promised++, r->promise_sum += days;
	if (l->done != IMS_TIME_NONE) {
		r->in_full++;
		r->otif += t;
		lt_add(&r->lt, l->done - l->approved);
	}
}

static void
add_share(struct ims_rec *rec, const char *name, ims_wide k, ims_wide n,
    int scale)
{
	ims_dec v;

	if (n && !ims_dec_div(k, 0, n, 0, scale, &v))
		ims_rec_addn(rec, name, v, scale);
}

static void
add_double(struct ims_rec *rec, const char *name, double v)
{
	char b[64], *e;

	snprintf(b, sizeof b, "%.3f", v);
	for (e = b + strlen(b) - 1; *e == '0'; e--)
		*e = '\0';
	if (*e == '.')
		*e = '\0';
	ims_rec_add(rec, name, b, strlen(b), IMS_F_NUM);
}

static void
print_row(struct ims_out *o, struct ims_rec *rec, const char *supplier,
    const struct srow *r)
{
	char b[IMS_DEC128_BUF];
	double mean, sd;

	ims_rec_reset(rec);
	ims_rec_adds(rec, "supplier", supplier);
	ims_rec_addn(rec, "lines", r->lines, 0);
	ims_rec_addn(rec, "measured", r->lt.n, 0);
	add_share(rec, "promised_days", r->promise_sum, r->promised, 3);
	add_share(rec, "lead_time_days", r->lt.sum, (ims_wide)r->lt.n * DAY,
	    3);
	lt_days(&r->lt, &mean, &sd);
	if (r->lt.n >= 2)
		add_double(rec, "lead_time_sd", sd);
	add_share(rec, "on_time", r->on_time, r->lines, 4);
	add_share(rec, "in_full", r->in_full, r->lines, 4);
	add_share(rec, "otif", r->otif, r->lines, 4);
	ims_wide_fmt(r->value, IMS_MONEY, b);
	ims_rec_add(rec, "value", b, strlen(b), IMS_F_NUM);
	ims_out_rec(o, rec);
}

struct printing {
	struct idx *x;
	struct ims_out *o;
	struct ims_rec rec;
};

/* The suppliers in their key order: those with something to show. */
static int
supplier_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct printing *p = arg;
	struct srow *r;

	(void)v;
	if (!memchr(k->p, '\0', k->n))
		return ims_damaged("a supplier key is damaged");
	if ((r = ims_map_get(p->x->rows, k->p)) && (r->lines || r->value))
		print_row(p->o, &p->rec, k->p, r);
	return IMS_OK;
}

/* ims-report suppliers: per supplier, the lines settled between --since
 * and --until, their lead times, on time and in full, and the value of
 * the receipts against its POs in the window. */
int
ims_report_suppliers(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct idx x = { 0 };
	struct printing p = { &x, o, { 0 } };
	size_t it = 0;
	const char *k;
	void *v;
	int rc;

	x.sku = a->f.sku, x.since = a->f.since, x.until = a->f.until;
	if (!(rc = index_build(&x, t))) {
		while (ims_map_each(x.lines, &it, &k, &v))
			tally(&x, v);
		rc = ims_each_row(t, IMS_DB_SUPPLIERS, NULL, supplier_row, &p);
	}
	ims_rec_free(&p.rec);
	index_free(&x);
	return rc;
}

/* Lead times measured for ims_lead_time, kept for the store's state
 * they were measured in (its journal's head). */
static struct {
	char head[65];
	ims_time max_ts;
	uint64_t last;		/* entries appended in this transaction
				 * move no head until it ends */
	struct ims_map *by;	/* "s\x1fsku", "p\x1fsupplier", "b\x1fsku\x1f
				 * supplier" -> struct lt */
} cache;

static void
lt_into(struct ims_map *m, const char *key, ims_time secs)
{
	void **slot = ims_map_slot(m, key, &(int){ 0 });

	if (!*slot)
		*slot = ims_must(calloc(1, sizeof(struct lt)));
	lt_add(*slot, secs);
}

static int
cache_build(struct ims_txn *t)
{
	struct idx x = { 0 };
	char head[65], k[3 * IMS_ID_MAX + 8];
	ims_time max_ts;
	uint64_t last;
	size_t it = 0;
	const char *key;
	void *v;
	int rc;

	if ((rc = ims_meta_read(t, &max_ts, head)) ||
	    (rc = ims_journal_last(t, &last)))
		return rc;
	if (cache.by && max_ts == cache.max_ts && last == cache.last &&
	    strcmp(head, cache.head) == 0)
		return IMS_OK;
	ims_map_free(cache.by, free);
	cache.by = ims_must(ims_map_new());
	if (!(rc = index_build(&x, t)))
		while (ims_map_each(x.lines, &it, &key, &v)) {
			struct sline *l = v;
			ims_time d = l->done - l->approved;

			if (l->done == IMS_TIME_NONE ||
			    l->approved == IMS_TIME_NONE)
				continue;
			snprintf(k, sizeof k, "s\x1f%s", l->sku);
			lt_into(cache.by, k, d);
			snprintf(k, sizeof k, "p\x1f%s", l->supplier);
			lt_into(cache.by, k, d);
			snprintf(k, sizeof k, "b\x1f%s\x1f%s", l->sku,
			    l->supplier);
			lt_into(cache.by, k, d);
		}
	index_free(&x);
	if (rc) {
		ims_map_free(cache.by, free);
		cache.by = NULL;
		return rc;
	}
	memcpy(cache.head, head, sizeof head);
	cache.max_ts = max_ts;
	cache.last = last;
	return IMS_OK;
}

/*
 * The lead time measured from past purchase orders (approval to the
 * receipt that completed each line) for a sku, a supplier, or a sku
 * from a supplier (NULL: any): the mean and sample standard deviation
 * in days over n lines (sd 0 when n < 2, both 0 when n is 0).  The
 * first call in a store's state reads every PO line and receipt; later
 * ones look the answer up.
 */
int
ims_lead_time(struct ims_txn *t, const char *sku, const char *supplier,
    double *mean_days, double *sd_days, int *n)
{
	char k[3 * IMS_ID_MAX + 8];
	const struct lt *s;
	int rc;

	*mean_days = *sd_days = 0;
	*n = 0;
	if ((rc = cache_build(t)))
		return rc;
	if (sku && supplier)
		snprintf(k, sizeof k, "b\x1f%s\x1f%s", sku, supplier);
	else if (sku || supplier)
		snprintf(k, sizeof k, "%s\x1f%s", sku ? "s" : "p",
		    sku ? sku : supplier);
	else
		return ims_seterr(IMS_EREJECT, "a lead time is of a sku or a "
		    "supplier");
	if (!(s = ims_map_get(cache.by, k)))
		return IMS_OK;
	lt_days(s, mean_days, sd_days);
	*n = (int)s->n;
	return IMS_OK;
}
