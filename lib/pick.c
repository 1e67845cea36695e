/*
 * pick.c: order fulfilment over the allocation plan.  Orders are served
 * by priority, then in the order given (input order, or age for open
 * backorders); an order is allocated whole or not at all unless partial
 * lines are allowed.  Holds that lapsed are released first, so that
 * what they held is available again.  Confirming a pick posts the
 * shipments that consume the reservations.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"


/* An order of the batch: its lines' indexes, in order (next[i] is the
 * index of the order's line after line i, or n after its last). */
struct order {
	const char *id;
	int64_t priority;
	size_t first, last, idx;	/* first and last line's index; the
					 * order's rank */
};

static int
cmp_order(const void *x, const void *y)
{
	const struct order *a = x, *b = y;

	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The orders of the lines, each once, in the order they appear, and
 * the chain of each order's lines in next. */
static struct order *
group(struct ims_oline **l, size_t n, size_t *next, size_t *norders)
{
	struct ims_map *seen = ims_map_new();
	struct order *o = calloc(n ? n : 1, sizeof *o);
	size_t k = 0;

	if (!seen || !o) {
		ims_map_free(seen, NULL);
		free(o);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		int isnew;
		void **slot = ims_map_slot(seen, l[i]->order, &isnew);

		struct order *or;

		next[i] = n;
		if (isnew) {
			o[k].id = l[i]->order;
			o[k].priority = l[i]->priority;
			o[k].first = o[k].last = i;
			o[k].idx = k;
			*slot = &o[k++];
			continue;
		}
		or = *slot;
		if (l[i]->priority > or->priority)
			or->priority = l[i]->priority;
		next[or->last] = i;
		or->last = i;
	}
	ims_map_free(seen, NULL);
	*norders = k;
	return o;
}

/* What a line still wants served: nothing once its hold has lapsed
 * (the next run closes it). */
static ims_dec
open_now(const struct ims_oline *l, ims_time now)
{
	if (l->expires != IMS_TIME_NONE && l->expires <= now)
		return 0;
	return ims_oline_open(l);
}

/* Plan one order's lines; undo them all when one is short and the
 * order must be whole.  got[i] is what line i was given. */
static int
serve_order(struct ims_plan *p, const struct ims_pick_opts *o,
    struct ims_oline **l, size_t n, const size_t *next,
    const struct order *ord, ims_dec *got)
{
	size_t mark = ims_plan_mark(p);
	int rc, short_ = 0;

	/* the order's lines only: a scan of the batch per order made a
	 * batch of many orders quadratic */
	for (size_t i = ord->first; i < n; i = next[i]) {
		ims_dec want = open_now(l[i], o->alloc.now);

		if ((rc = ims_plan_line(p, l[i], want, &got[i])))
			return rc;
		short_ |= got[i] < want;
	}
	if (!short_ || o->partial)
		return IMS_OK;
	for (size_t i = ord->first; i < n; i = next[i])
		got[i] = 0;
	return ims_plan_undo(p, mark);
}

/*
 * Serve the lines (copies the caller keeps; their figures are as the
 * store has them): plan order by order, then post the reservations.
 * Every line left with something open is reported to sf as a shortage
 * (its wanted, allocated and short figures), and *shortp set.  The plan
 * is handed back for the pick list; the caller frees it.
 */
int
ims_pick_serve(struct ims_journal *j, const struct ims_pick_opts *o,
    struct ims_oline **l, size_t n, ims_short_fn *sf, void *arg,
    struct ims_plan **planp, int *shortp)
{
	struct ims_plan *p = ims_plan_new(j, &o->alloc);
	ims_dec *got = calloc(n ? n : 1, sizeof *got);
	size_t *next = calloc(n ? n : 1, sizeof *next);
	struct order *ord;
	size_t no = 0;
	int rc = IMS_OK;

	*planp = p;
	*shortp = 0;
	if (!p || !got || !next || !(ord = group(l, n, next, &no))) {
		free(got);
		free(next);
		return ims_seterr(IMS_ESTORE, "out of memory");
	}
	qsort(ord, no, sizeof *ord, cmp_order);
	for (size_t k = 0; !rc && k < no; k++)
		rc = serve_order(p, o, l, n, next, &ord[k], got);
	for (size_t i = 0; !rc && i < n; i++)
		if (open_now(l[i], o->alloc.now) > got[i])
			*shortp = 1;
	if (!rc && *shortp && o->all_or_nothing) {
		rc = ims_plan_undo(p, 0);
		memset(got, 0, n * sizeof *got);
	}
	for (size_t i = 0; !rc && i < n; i++) {
		ims_dec open = open_now(l[i], o->alloc.now);

		if (open > got[i] && sf)
			rc = sf(arg, l[i], open, l[i]->wanted - open + got[i]);
	}
	if (!rc)
		rc = ims_plan_commit(p);
	free(got);
	free(next);
	free(ord);
	return rc;
}

/* Lines with a hold that has lapsed, and reservations to give back. */
struct lapsed {
	ims_time now;
	struct ims_oline **v;
	size_t n;
};

static int
lapsed_row(void *arg, const struct ims_oline *l)
{
	struct lapsed *x = arg;
	ims_dec a, s;
	struct ims_oline **v;

	if (l->expires == IMS_TIME_NONE || l->expires > x->now ||
	    (l->flags & (IMS_OL_CANCELLED | IMS_OL_EXPIRED)))
		return IMS_OK;
	/* a line that is shipped in full has nothing left to hold */
	ims_oline_figures(l, &a, &s);
	if (s >= l->wanted)
		return IMS_OK;
	if (!(v = realloc(x->v, (x->n + 1) * sizeof *v)) ||
	    !(v[x->n] = ims_oline_dup(l))) {
		if (v)
			x->v = v;
		return ims_seterr(IMS_ESTORE, "out of memory");
	}
	x->v = v;
	x->n++;
	return IMS_OK;
}

/* Release what every lapsed hold still holds: one release entry
 * (reason expired) per reservation.  *n: the lines released. */
int
ims_pick_expire(struct ims_journal *j, long *n)
{
	struct lapsed x = { j->now, NULL, 0 };
	int rc = ims_each_oline(j->t, NULL, lapsed_row, &x);

	for (size_t i = 0; !rc && i < x.n; i++)
		rc = ims_order_expire(j, x.v[i]->order, x.v[i]->line, j->now);
	*n = x.n;
	ims_order_lines_free(x.v, x.n);
	return rc;
}

/* Open backorders: lines with something open and no lapsed hold, oldest
 * first (the caller's serve then ranks them by priority). */
static int
backorder_row(void *arg, const struct ims_oline *l)
{
	struct lapsed *x = arg;
	struct ims_oline **v;

	if (ims_oline_open(l) <= 0 || (l->expires != IMS_TIME_NONE &&
	    l->expires <= x->now))
		return IMS_OK;
	if (!(v = realloc(x->v, (x->n + 1) * sizeof *v)) ||
	    !(v[x->n] = ims_oline_dup(l))) {
		if (v)
			x->v = v;
		return ims_seterr(IMS_ESTORE, "out of memory");
	}
	x->v = v;
	x->n++;
	return IMS_OK;
}

static int
cmp_age(const void *x, const void *y)
{
	const struct ims_oline *a = *(struct ims_oline *const *)x;
	const struct ims_oline *b = *(struct ims_oline *const *)y;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int
ims_pick_backorders(struct ims_txn *t, ims_time now, struct ims_oline ***v,
    size_t *n)
{
	struct lapsed x = { now, NULL, 0 };
	int rc = ims_each_oline(t, NULL, backorder_row, &x);

	if (rc) {
		ims_order_lines_free(x.v, x.n);
		x.v = NULL, x.n = 0;
	}
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, cmp_age);
	*v = x.v;
	*n = x.n;
	return rc;
}

/* The open reservations of an order (or of one line and sku), copied. */
struct held {
	const char *line, *sku;
	struct ims_resv *v;
	ims_dec *q;
	size_t n;
	ims_dec total;
};

static int
held_row(void *arg, const struct ims_resv *r, ims_dec qty)
{
	struct held *h = arg;
	struct ims_resv *v;
	ims_dec *q;
	char *s[5];

	if ((h->line && strcmp(r->line, h->line)) ||
	    (h->sku && strcmp(r->sku, h->sku)))
		return IMS_OK;
	if (!(v = realloc(h->v, (h->n + 1) * sizeof *v)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	h->v = v;
	if (!(q = realloc(h->q, (h->n + 1) * sizeof *q)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	h->q = q;
	s[0] = strdup(r->order), s[1] = strdup(r->line), s[2] = strdup(r->sku);
	s[3] = strdup(r->loc), s[4] = strdup(r->trk);
	memset(&v[h->n], 0, sizeof *v);
	v[h->n].order = s[0], v[h->n].line = s[1], v[h->n].sku = s[2];
	v[h->n].loc = s[3], v[h->n].trk = s[4];
	q[h->n++] = qty;
	h->total += qty;
	for (int i = 0; i < 5; i++)
		if (!s[i])
			return ims_seterr(IMS_ESTORE, "out of memory");
	return IMS_OK;
}

static void
held_free(struct held *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free((char *)h->v[i].order);
		free((char *)h->v[i].line);
		free((char *)h->v[i].sku);
		free((char *)h->v[i].loc);
		free((char *)h->v[i].trk);
	}
	free(h->v);
	free(h->q);
}

static int
held_get(struct ims_txn *t, const char *order, const char *line,
    const char *sku, struct held *h)
{
	memset(h, 0, sizeof *h);
	h->line = line;
	h->sku = sku;
	return ims_each_resv(t, order, line, held_row, h);
}

/* Is trk a serial of the sku (not a lot)? */
static int
trk_serial(struct ims_txn *t, const char *sku, const char *trk)
{
	ims_time e;

	return *trk && ims_lot_expiry(t, sku, trk, &e) == IMS_ENOTFOUND;
}

/* Post the shipment of qty from one reserved balance; it names the
 * line's sales channel, so that sales split by channel. */
static int
ship(struct ims_journal *j, const struct ims_resv *r, ims_dec qty,
    const char *ref, const char *fp)
{
	static struct ims_rec channel;
	struct ims_oline l;
	struct ims_move m;
	int serial = trk_serial(j->t, r->sku, r->trk), rc;

	memset(&m, 0, sizeof m);
	ims_rec_reset(&channel);
	if ((rc = ims_oline_get(j->t, r->order, r->line, &l)) == IMS_OK &&
	    l.channel) {
		ims_rec_adds(&channel, "channel", l.channel);
		m.extra = &channel;
	} else if (rc && rc != IMS_ENOTFOUND)
		return rc;
	m.sku = r->sku, m.from = r->loc, m.to = "@customer";
	m.order = r->order, m.line = r->line;
	if (*r->trk)
		*(serial ? &m.serial : &m.lot) = r->trk;
	m.qty = qty;
	m.ts = IMS_TIME_NONE;
	m.expiry = IMS_TIME_NONE;
	m.ref = ref;
	if (ref && fp)
		memcpy(m.fp, fp, IMS_FP_LEN + 1);
	return ims_post(j, &m, NULL);
}

/* Confirm a whole order as allocated: ship every open reservation. */
static int
confirm_order(struct ims_journal *j, const struct ims_confirm *c)
{
	struct ims_oline **v;
	struct held h;
	size_t n, shipped = 0;
	int rc;

	if ((rc = ims_order_lines(j->t, c->order, &v, &n)))
		return rc;
	for (size_t i = 0; i < n; i++)
		shipped += strcmp(ims_oline_status(v[i]), "shipped") == 0;
	ims_order_lines_free(v, n);
	if (n == 0)
		return ims_seterr(IMS_EREJECT, "unknown order %s",
		    ims_q(c->order));
	if ((rc = held_get(j->t, c->order, NULL, NULL, &h)))
		goto out;
	if (h.n == 0) {
		rc = shipped == n ? ims_seterr(IMS_ESKIP, "order %s is shipped "
		    "already: skipped", ims_q(c->order)) :
		    ims_seterr(IMS_EREJECT, "order %s has nothing allocated "
		    "to confirm", ims_q(c->order));
		goto out;
	}
	/* the first shipment carries the confirmation's ref */
	for (size_t i = 0; !rc && i < h.n; i++)
		rc = ship(j, &h.v[i], h.q[i], i ? NULL : c->ref, c->fp);
out:
	held_free(&h);
	return rc;
}

/* The line of the order that ships sku: the one given, else the first
 * with the sku reserved, else the first with the sku at all. */
static int
find_line(struct ims_txn *t, const struct ims_confirm *c, char *line,
    size_t size)
{
	struct ims_oline **v;
	size_t n;
	int rc, found = 0;

	if ((rc = ims_order_lines(t, c->order, &v, &n)))
		return rc;
	for (int pass = 0; pass < 2 && !found; pass++)
		for (size_t i = 0; i < n && !found; i++) {
			struct ims_comp *k = ims_oline_comp(v[i], c->sku);

			if (c->line && strcmp(v[i]->line, c->line) != 0)
				continue;
			if (k && (pass == 1 || k->reserved > 0)) {
				snprintf(line, size, "%s", v[i]->line);
				found = 1;
			}
		}
	if (!found)
		rc = n == 0 ? ims_seterr(IMS_EREJECT, "unknown order %s",
		    ims_q(c->order)) : c->line ? ims_seterr(IMS_EREJECT,
		    "order %s has no line %s for sku %s", ims_q(c->order),
		    ims_q(c->line), ims_q(c->sku)) : ims_seterr(IMS_EREJECT,
		    "order %s has no line for sku %s", ims_q(c->order),
		    ims_q(c->sku));
	ims_order_lines_free(v, n);
	return rc;
}

/* Give back n of the line's reservations of the sku other than at the
 * picked balance: the stock was picked elsewhere. */
static int
release_others(struct ims_journal *j, struct held *h, const char *loc,
    const char *trk, ims_dec n)
{
	int rc;

	for (size_t i = 0; n > 0 && i < h->n; i++) {
		ims_dec q;

		if (!strcmp(h->v[i].loc, loc) && !strcmp(h->v[i].trk, trk))
			continue;
		q = h->q[i] < n ? h->q[i] : n;
		h->v[i].reason = "substituted";
		h->v[i].ts = j->now;
		/* held rows do not say; the entry must name a serial so */
		h->v[i].serial = trk_serial(j->t, h->v[i].sku, h->v[i].trk);
		if ((rc = ims_resv_post(j, IMS_KIND_RELEASE, &h->v[i], q, NULL,
		    NULL)))
			return rc;
		n -= q;
	}
	return IMS_OK;
}

/*
 * Confirm one picked line: qty of the sku from a location (and lot or
 * serial).  More than the line has reserved of the sku is refused; less
 * than this balance holds for it is a short pick, reported through
 * *short_by (the rest stays reserved, or is released when the caller
 * asks); stock picked from another balance than the one reserved is
 * taken from what is available there, and as much is released of the
 * line's other reservations.
 */
static int
confirm_pick(struct ims_journal *j, const struct ims_confirm *c,
    ims_dec *short_by)
{
	char line[IMS_ID_MAX + 1];
	struct ims_resv here = { 0 };
	struct held h;
	ims_dec mine = 0;
	const char *trk = c->serial ? c->serial : c->lot ? c->lot : "";
	int rc;

	*short_by = 0;
	if ((rc = find_line(j->t, c, line, sizeof line)) ||
	    (rc = held_get(j->t, c->order, line, c->sku, &h)))
		return rc;
	if (c->qty > h.total) {
		rc = ims_seterr(IMS_EREJECT, "order %s line %s: %s of %s "
		    "confirmed, but %s is allocated", ims_q(c->order),
		    ims_q(line), ims_fmtq(c->qty), ims_q(c->sku), ims_fmtq(h.total));
		goto out;
	}
	here.order = c->order, here.line = line, here.sku = c->sku;
	here.loc = c->location, here.trk = trk;
	for (size_t i = 0; i < h.n; i++)
		if (!strcmp(h.v[i].loc, c->location) &&
		    !strcmp(h.v[i].trk, trk))
			mine = h.q[i];
	if ((rc = ship(j, &here, c->qty, c->ref, c->fp)))
		goto out;
	if (c->qty > mine)
		rc = release_others(j, &h, c->location, trk, c->qty - mine);
	else if (c->qty < mine) {
		*short_by = mine - c->qty;
		here.reason = "short";
		here.ts = j->now;
		here.serial = c->serial != NULL;
		if (c->release_short)
			rc = ims_resv_post(j, IMS_KIND_RELEASE, &here,
			    mine - c->qty, NULL, NULL);
	}
out:
	held_free(&h);
	return rc;
}

int
ims_pick_confirm(struct ims_journal *j, const struct ims_confirm *c,
    ims_dec *short_by)
{
	*short_by = 0;
	if (!c->sku)
		return confirm_order(j, c);
	return confirm_pick(j, c, short_by);
}

/* The pick list: rows gathered, then sorted into walking order. */
struct prow {
	char *order, *line, *sku, *loc, *trk;
	int serial, has_seq;
	int64_t seq;
	ims_dec qty;
};

struct ims_picklist {
	struct ims_txn *t;
	struct prow *v;
	size_t n, cap;
	struct ims_rec rec, tmp;
	int packs;		/* rows show their quantity in packs */
	struct ims_buf pb;
};

const char *const ims_pick_cols[] = { "order", "line", "sku", "location",
	"lot", "serial", "qty", "pick_seq", NULL };
const char *const ims_wave_cols[] = { "sku", "location", "lot", "serial",
	"qty", "pick_seq", "orders", NULL };
/* What confirming, cancelling and expiring post: shipments, releases,
 * cancellations, in one set of columns. */
const char *const ims_pick_echo_cols[] = { "seq", "ts", "kind", "type",
	"op", "order", "line", "sku", "qty", "from", "to", "location", "lot",
	"serial", "reason", "ref", "actor", NULL };
const char *const ims_pick_pack_cols[] = { "order", "line", "sku",
	"location", "lot", "serial", "qty", "packs", "pick_seq", NULL };
const char *const ims_wave_pack_cols[] = { "location", "sku", "lot",
	"serial", "qty", "packs", "pick_seq", "orders", NULL };

/* With on, each row gives its quantity in the item's packs too. */
void
ims_picklist_packs(struct ims_picklist *pl, int on)
{
	pl->packs = on;
}

struct ims_txn *
ims_picklist_txn(const struct ims_picklist *pl)
{
	return pl->t;
}

struct ims_picklist *
ims_picklist_new(struct ims_txn *t)
{
	struct ims_picklist *pl = calloc(1, sizeof *pl);

	if (pl)
		pl->t = t;
	return pl;
}

void
ims_picklist_free(struct ims_picklist *pl)
{
	if (!pl)
		return;
	for (size_t i = 0; i < pl->n; i++) {
		free(pl->v[i].order);
		free(pl->v[i].line);
		free(pl->v[i].sku);
		free(pl->v[i].loc);
		free(pl->v[i].trk);
	}
	free(pl->v);
	ims_rec_free(&pl->rec);
	ims_rec_free(&pl->tmp);
	ims_buf_free(&pl->pb);
	free(pl);
}

/* Add a reservation (an ims_resv_fn): arg is the list; a location
 * filter, if any, was applied by the caller. */
int
ims_picklist_add(void *arg, const struct ims_resv *r, ims_dec qty)
{
	struct ims_picklist *pl = arg;
	struct prow *p;
	const char *s;
	int rc;

	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? 2 * pl->cap : 64;
		struct prow *v = realloc(pl->v, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		pl->v = v, pl->cap = cap;
	}
	p = &pl->v[pl->n];
	memset(p, 0, sizeof *p);
	p->order = strdup(r->order), p->line = strdup(r->line);
	p->sku = strdup(r->sku), p->loc = strdup(r->loc);
	p->trk = strdup(r->trk ? r->trk : "");
	pl->n++;
	if (!p->order || !p->line || !p->sku || !p->loc || !p->trk)
		return ims_seterr(IMS_ESTORE, "out of memory");
	p->serial = trk_serial(pl->t, r->sku, p->trk);
	p->qty = qty;
	rc = ims_master_get(pl->t, &ims_loc_schema, r->loc, &pl->tmp);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	if (!rc && (s = ims_rec_str(&pl->tmp, "pick_seq")) &&
	    !ims_dec_parse(s, strlen(s), 0, &p->seq))
		p->has_seq = 1;
	return IMS_OK;
}

static int
cmp_prow(const void *x, const void *y)
{
	const struct prow *a = x, *b = y;
	int r;

	if ((r = ims_walk_cmp(a->has_seq, a->seq, a->loc, b->has_seq, b->seq,
	    b->loc)) || (r = strcmp(a->sku, b->sku)) ||
	    (r = strcmp(a->trk, b->trk)) || (r = strcmp(a->order, b->order)))
		return r;
	return strcmp(a->line, b->line);
}

static void
row_common(struct ims_rec *r, const struct prow *p)
{
	ims_rec_adds(r, "sku", p->sku);
	ims_rec_adds(r, "location", p->loc);
	if (*p->trk)
		ims_rec_adds(r, p->serial ? "serial" : "lot", p->trk);
}

static void
row_tail(struct ims_picklist *pl, const struct prow *p, ims_dec qty)
{
	struct ims_rec *r = &pl->rec;

	ims_rec_addn(r, "qty", qty, IMS_QTY);
	if (pl->packs && ims_master_get(pl->t, &ims_item_schema, p->sku,
	    &pl->tmp) == IMS_OK) {
		ims_pack_text(&pl->tmp, qty, &pl->pb);
		ims_rec_add(r, "packs", pl->pb.p, pl->pb.n, IMS_F_STR);
	}
	if (p->has_seq)
		ims_rec_addn(r, "pick_seq", p->seq, 0);
}

/* Is p the same balance as q (a wave merges them)? */
static int
same_bal(const struct prow *p, const struct prow *q)
{
	return !strcmp(p->loc, q->loc) && !strcmp(p->sku, q->sku) &&
	    !strcmp(p->trk, q->trk);
}

/* One wave row: a balance's rows merged, with the orders they serve. */
static size_t
wave_row(struct ims_picklist *pl, size_t i, struct ims_out *o)
{
	struct ims_buf orders = { 0 };
	ims_dec qty = 0;
	size_t k;

	ims_buf_addc(&orders, '[');
	for (k = i; k < pl->n && same_bal(&pl->v[i], &pl->v[k]); k++) {
		qty += pl->v[k].qty;
		if (k == i || strcmp(pl->v[k].order, pl->v[k - 1].order)) {
			if (k > i)
				ims_buf_addc(&orders, ',');
			ims_buf_json_str(&orders, pl->v[k].order,
			    strlen(pl->v[k].order));
		}
	}
	ims_buf_addc(&orders, ']');
	ims_rec_reset(&pl->rec);
	row_common(&pl->rec, &pl->v[i]);
	row_tail(pl, &pl->v[i], qty);
	ims_rec_add(&pl->rec, "orders", orders.p, orders.n, IMS_F_RAW);
	ims_out_rec(o, &pl->rec);
	ims_buf_free(&orders);
	return k;
}

/* Print the list in walking order: a line per (order, line, sku,
 * location, lot or serial), or with wave a line per balance listing the
 * orders it serves. */
void
ims_picklist_print(struct ims_picklist *pl, struct ims_out *o, int wave)
{
	if (pl->n)
		qsort(pl->v, pl->n, sizeof *pl->v, cmp_prow);
	for (size_t i = 0; i < pl->n;) {
		const struct prow *p = &pl->v[i];

		if (wave) {
			i = wave_row(pl, i, o);
			continue;
		}
		ims_rec_reset(&pl->rec);
		ims_rec_adds(&pl->rec, "order", p->order);
		ims_rec_adds(&pl->rec, "line", p->line);
		row_common(&pl->rec, p);
		row_tail(pl, p, p->qty);
		ims_out_rec(o, &pl->rec);
		i++;
	}
}
