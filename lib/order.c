/*
 * order.c: orders and reservations, three kinds of entry.  An order
 * entry records one order line (demand, whether or not it is served) or
 * an order's cancellation; a reserve entry sets stock of one balance
 * aside for a line; a release gives it back.  A shipment (a movement
 * naming the order and line) consumes the reservation it ships from.
 * Each entry updates, in its transaction, the order lines (ORDERS), the
 * open reservations (RESERVES), the balance's allocated figure and its
 * history (ALLOCS), so that availability is always explained by entries.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

/*
 * A line as ORDERS stores it: the fixed part, then sku, location and
 * channel as C strings, then one part per component (a plain line has
 * one: its own sku, per 1): per, reserved, shipped, then its sku.
 */
struct stored {
	int64_t wanted, ts, expires, priority, min_shelf;
	uint64_t seq;
	uint32_t flags, ncomp;
};

const char *const ims_order_cols[] = { "order", "line", "sku", "wanted",
	"allocated", "shipped", "open", "status", "priority", "ts",
	"expires", "channel", NULL };


static void
line_key(struct ims_key *k, const char *order, const char *line)
{
	ims_key_init(k);
	ims_key_str(k, order);
	if (line)
		ims_key_str(k, line);
}

static void
put_str(struct ims_buf *b, const char *s)
{
	s = s ? s : "";
	ims_buf_add(b, s, strlen(s) + 1);
}

/* The line in its stored form, into b. */
static void
encode(const struct ims_oline *l, struct ims_buf *b)
{
	struct stored s = { l->wanted, l->ts, l->expires, l->priority,
		l->min_shelf, l->seq, l->flags, l->ncomp };

	b->n = 0;
	ims_buf_add(b, &s, sizeof s);
	put_str(b, l->sku);
	put_str(b, l->location);
	put_str(b, l->channel);
	for (int i = 0; i < l->ncomp; i++) {
		const struct ims_comp *c = &l->comp[i];
		int64_t f[3] = { c->per, c->reserved, c->shipped };

		ims_buf_add(b, f, sizeof f);
		put_str(b, c->sku);
	}
}


/* Decode a stored line; its strings point into v, which must outlive
 * it.  order and line come from the key. */
int
ims_oline_decode(const struct ims_val *k, const struct ims_val *v,
    struct ims_oline *l)
{
	const char *p = v->p, *end = p + v->n, *kp = k->p;
	const char *kz = memchr(kp, '\0', k->n);
	struct stored s;

	memset(l, 0, sizeof *l);
	if (v->n < sizeof s || !kz || !memchr(kz + 1, '\0',
	    k->n - (kz + 1 - kp)))
		return ims_damaged("an order line with a short key or value");
	memcpy(&s, p, sizeof s);
	p += sizeof s;
	l->order = kp;
	l->line = kz + 1;
	l->wanted = s.wanted, l->ts = s.ts, l->expires = s.expires;
	l->priority = s.priority, l->min_shelf = s.min_shelf;
	l->seq = s.seq, l->flags = s.flags, l->ncomp = s.ncomp;
	if (l->ncomp > IMS_COMP_MAX || !(l->sku = ims_next_str(&p, end)) ||
	    !(l->location = ims_next_str(&p, end)) ||
	    !(l->channel = ims_next_str(&p, end)))
		return ims_damaged("order %s line %s is cut short",
		    ims_q(l->order), ims_q(l->line));
	for (int i = 0; i < l->ncomp; i++) {
		struct ims_comp *c = &l->comp[i];
		int64_t f[3];

		if (end - p < (long)sizeof f)
			return ims_damaged("order %s line %s is cut short",
			    ims_q(l->order), ims_q(l->line));
		memcpy(f, p, sizeof f);
		p += sizeof f;
		c->per = f[0], c->reserved = f[1], c->shipped = f[2];
		if (!(c->sku = ims_next_str(&p, end)))
			return ims_damaged("order %s line %s is cut short",
			    ims_q(l->order), ims_q(l->line));
	}
	if (!*l->location)
		l->location = NULL;
	if (!*l->channel)
		l->channel = NULL;
	return IMS_OK;
}

/* A line of the store, into l (valid until the next write). */
int
ims_oline_get(struct ims_txn *t, const char *order, const char *line,
    struct ims_oline *l)
{
	struct ims_key k;
	struct ims_val v, kv;
	int rc;

	line_key(&k, order, line);
	if ((rc = ims_get(t, IMS_DB_ORDERS, &k, &v)))
		return rc;
	kv.p = k.b, kv.n = k.n;
	/* the key's bytes are on the stack: keep the caller's strings */
	if ((rc = ims_oline_decode(&kv, &v, l)))
		return rc;
	l->order = order;
	l->line = line;
	return IMS_OK;
}

static int
oline_put(struct ims_journal *j, const struct ims_oline *l)
{
	static struct ims_buf b;	/* kept: one per line is a lot */
	struct ims_key k;

	encode(l, &b);
	line_key(&k, l->order, l->line);
	return ims_put(j->t, IMS_DB_ORDERS, &k, b.p, b.n, 0);
}

/* Units of the line a component's figure makes: whole kits of a kit,
 * the figure itself of a plain line. */
static ims_dec
units(const struct ims_oline *l, const struct ims_comp *c, ims_dec v)
{
	if (!(l->flags & IMS_OL_KIT))
		return v;
	return (ims_dec)((ims_wide)v / c->per) * 1000;
}

/* The line's figures in its own units: allocated (reserved, not yet
 * shipped) and shipped; a kit counts whole kits. */
void
ims_oline_figures(const struct ims_oline *l, ims_dec *allocated,
    ims_dec *shipped)
{
	ims_dec a = INT64_MAX, s = INT64_MAX;

	for (int i = 0; i < l->ncomp; i++) {
		const struct ims_comp *c = &l->comp[i];
		ims_dec ua = units(l, c, c->reserved + c->shipped);
		ims_dec us = units(l, c, c->shipped);

		if (ua < a)
			a = ua;
		if (us < s)
			s = us;
	}
	if (l->ncomp == 0)
		a = s = 0;
	*shipped = s;
	*allocated = a - s;
}

/* What is still wanted and neither allocated nor shipped (0 once the
 * line is closed). */
ims_dec
ims_oline_open(const struct ims_oline *l)
{
	ims_dec a, s;

	if (l->flags & (IMS_OL_CANCELLED | IMS_OL_EXPIRED))
		return 0;
	ims_oline_figures(l, &a, &s);
	return l->wanted - a - s > 0 ? l->wanted - a - s : 0;
}

const char *
ims_oline_status(const struct ims_oline *l)
{
	ims_dec a, s;

	ims_oline_figures(l, &a, &s);
	if (s >= l->wanted)
		return "shipped";
	if (l->flags & IMS_OL_CANCELLED)
		return "cancelled";
	if (l->flags & IMS_OL_EXPIRED)
		return "expired";
	if (s > 0)
		return "partially shipped";
	if (a >= l->wanted)
		return "allocated";
	return a > 0 ? "partially allocated" : "open";
}

/* The component of the line that sku is, or NULL. */
struct ims_comp *
ims_oline_comp(struct ims_oline *l, const char *sku)
{
	for (int i = 0; i < l->ncomp; i++)
		if (strcmp(l->comp[i].sku, sku) == 0)
			return &l->comp[i];
	return NULL;
}

/* The order line's entry: {"seq","ts","kind":"order","order","line",
 * "sku","qty",...,"components":[...],"actor",extra...} */
static void
render_line(struct ims_journal *j, const struct ims_oline *l,
    const char *actor, const struct ims_rec *extra)
{
	struct ims_buf *b = &j->json;
	char nb[IMS_DEC_BUF], tb[IMS_TIME_BUF];

	ims_entry_open(j, l->ts);
	ims_buf_kv_str(b, "kind", "order");
	ims_buf_kv_str(b, "order", l->order);
	ims_buf_kv_str(b, "line", l->line);
	ims_buf_kv_str(b, "sku", l->sku);
	ims_buf_kv_raw(b, "qty", ims_fmtq(l->wanted));
	if (l->priority)
		ims_buf_kv_raw(b, "priority", ims_dec_fmt(l->priority, 0,
		    nb));
	ims_buf_kv_str(b, "location", l->location);
	if (l->expires != IMS_TIME_NONE)
		ims_buf_kv_str(b, "expires", ims_time_fmt(l->expires, tb));
	if (l->min_shelf)
		ims_buf_kv_raw(b, "min_shelf_days", ims_dec_fmt(l->min_shelf,
		    0, nb));
	ims_buf_kv_str(b, "channel", l->channel);
	if (l->flags & IMS_OL_KIT) {
		ims_buf_adds(b, ",\"components\":[");
		for (int i = 0; i < l->ncomp; i++) {
			ims_buf_adds(b, i ? ",{" : "{");
			ims_buf_json_str(b, "sku", 3);
			ims_buf_addc(b, ':');
			ims_buf_json_str(b, l->comp[i].sku,
			    strlen(l->comp[i].sku));
			ims_buf_kv_raw(b, "qty", ims_fmtq(l->comp[i].per));
			ims_buf_addc(b, '}');
		}
		ims_buf_addc(b, ']');
	}
	ims_buf_kv_str(b, "ref", l->ref);
	if (l->ref && l->fp[0])
		ims_buf_kv_str(b, "ref_fp", l->fp);
	ims_buf_kv_str(b, "actor", actor);
	for (size_t i = 0; extra && i < extra->nf; i++) {
		if (ims_order_field_known(extra->f[i].name))
			continue;
		ims_buf_addc(b, ',');
		ims_buf_json_field(b, &extra->f[i]);
	}
}

/*
 * Post an order line that ims_order_parse (or a restore) made: its
 * entry, and the line in ORDERS.  The line must be new: the caller has
 * looked it up.  want: a restore's hash; actor NULL for the journal's.
 */
int
ims_order_post(struct ims_journal *j, struct ims_oline *l,
    const struct ims_rec *extra, const char *actor, const char *want)
{
	struct ims_entry e = { .kind = IMS_KIND_ORDER };
	struct ims_key rk;
	int rc;

	if (l->ref && (rc = ims_ref_claim(j, l->ref, l->fp, &rk)))
		return rc;
	render_line(j, l, actor ? actor : j->actor, extra);
	e.ts = l->ts, e.qty = l->wanted;
	e.sku = l->sku, e.from = l->order, e.to = l->line, e.trk = "";
	if ((rc = ims_journal_append(j, &e, want)))
		return rc;
	l->seq = e.seq;
	for (int i = 0; i < l->ncomp; i++)
		l->comp[i].reserved = l->comp[i].shipped = 0;
	return oline_put(j, l);
}

/* A reservation's key: order, line, sku, location, lot or serial. */
static void
res_key(struct ims_key *k, const struct ims_resv *r)
{
	line_key(k, r->order, r->line);
	ims_key_str(k, r->sku);
	ims_key_str(k, r->loc);
	ims_key_str(k, r->trk ? r->trk : "");
}

/* The open reservation r names (0 when none). */
int
ims_resv_get(struct ims_txn *t, const struct ims_resv *r, ims_dec *qty)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	*qty = 0;
	res_key(&k, r);
	if ((rc = ims_get(t, IMS_DB_RESERVES, &k, &v)))
		return rc == IMS_ENOTFOUND ? IMS_OK : rc;
	if (v.n != 8)
		return ims_damaged("a reservation of %zu bytes", v.n);
	memcpy(qty, v.p, 8);
	return IMS_OK;
}

static void
bal_key(struct ims_key *k, const struct ims_resv *r)
{
	ims_key_init(k);
	ims_key_str(k, r->sku);
	ims_key_str(k, r->loc);
	ims_key_str(k, r->trk ? r->trk : "");
}

/*
 * Change what is reserved of one balance for one line by delta (and,
 * for a shipment, what the line has shipped by ship): the reservation,
 * the balance's allocated and its history, the line's figures.
 */
int
ims_resv_apply(struct ims_journal *j, const struct ims_resv *r,
    ims_dec delta, ims_dec ship, ims_time ts, uint64_t seq)
{
	struct ims_key k, hk;
	struct ims_val v;
	struct ims_bal b;
	struct ims_oline l;
	struct ims_comp *c;
	ims_dec have;
	int rc;

	if ((rc = ims_oline_get(j->t, r->order, r->line, &l)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT,
		    "unknown order %s line %s", ims_q(r->order),
		    ims_q(r->line)) : rc;
	if (!(c = ims_oline_comp(&l, r->sku)))
		return ims_seterr(IMS_EREJECT, "order %s line %s has no sku "
		    "%s", ims_q(r->order), ims_q(r->line), ims_q(r->sku));
	c->reserved += delta;
	c->shipped += ship;
	if ((rc = oline_put(j, &l)) || (rc = ims_resv_get(j->t, r, &have)))
		return rc;
	res_key(&k, r);
	have += delta;
	if ((rc = have ? ims_put(j->t, IMS_DB_RESERVES, &k, &have, 8, 0) :
	    ims_del(j->t, IMS_DB_RESERVES, &k)) && rc != IMS_ENOTFOUND)
		return rc;
	if (delta == 0)
		return IMS_OK;
	bal_key(&k, r);
	if ((rc = ims_get(j->t, IMS_DB_BALANCES, &k, &v)) ||
	    (rc = ims_bal_decode(&v, &b)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT,
		    "no stock of %s at %s to reserve", ims_q(r->sku),
		    ims_q(r->loc)) : rc;
	b.allocated += delta;
	if ((rc = ims_put(j->t, IMS_DB_BALANCES, &k, &b, sizeof b, 0)))
		return rc;
	hk = k;
	ims_key_i64(&hk, ts);
	ims_key_u64(&hk, seq);
	return ims_put(j->t, IMS_DB_ALLOCS, &hk, &delta, 8, 0);
}

/* A reserve or release entry: {"kind","order","line","sku","qty",
 * "location","lot"|"serial","reason"?,"actor"} */
static void
render_resv(struct ims_journal *j, int kind, const struct ims_resv *r,
    ims_dec qty, const char *actor)
{
	struct ims_buf *b = &j->json;

	ims_entry_open(j, r->ts);
	ims_buf_kv_str(b, "kind", ims_kind_names[kind]);
	ims_buf_kv_str(b, "order", r->order);
	ims_buf_kv_str(b, "line", r->line);
	ims_buf_kv_str(b, "sku", r->sku);
	ims_buf_kv_raw(b, "qty", ims_fmtq(qty));
	ims_buf_kv_str(b, "location", r->loc);
	if (r->trk && *r->trk)
		ims_buf_kv_str(b, r->serial ? "serial" : "lot", r->trk);
	ims_buf_kv_str(b, "reason", r->reason);
	ims_buf_kv_str(b, "actor", actor);
}

/*
 * Post a reservation (kind IMS_KIND_RESERVE) or a release of qty for r.
 * A reservation takes available stock only; a release gives back no
 * more than is reserved.  actor and want as for ims_order_post.
 */
int
ims_resv_post(struct ims_journal *j, int kind, const struct ims_resv *r,
    ims_dec qty, const char *actor, const char *want)
{
	struct ims_entry e = { .kind = kind };
	struct ims_key k;
	struct ims_val v;
	struct ims_bal b = { 0, 0, 0 };
	ims_dec have;
	int rc;

	if (qty <= 0)
		return ims_seterr(IMS_EREJECT, "qty must be positive, not %s",
		    ims_fmtq(qty));
	bal_key(&k, r);
	if ((rc = ims_get(j->t, IMS_DB_BALANCES, &k, &v)) == IMS_OK)
		rc = ims_bal_decode(&v, &b);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	if ((rc = ims_resv_get(j->t, r, &have)))
		return rc;
	if (kind == IMS_KIND_RESERVE && b.on_hand - b.allocated < qty)
		return ims_seterr(IMS_EREJECT, "not enough available stock of "
		    "%s at %s to reserve: %s wanted, %s available",
		    ims_q(r->sku), ims_q(r->loc), ims_fmtq(qty),
		    ims_fmtq(b.on_hand - b.allocated));
	if (kind == IMS_KIND_RELEASE && have < qty)
		return ims_seterr(IMS_EREJECT, "order %s line %s has %s of %s "
		    "reserved at %s, not %s", ims_q(r->order), ims_q(r->line),
		    ims_fmtq(have), ims_q(r->sku), ims_q(r->loc), ims_fmtq(qty));
	render_resv(j, kind, r, qty, actor ? actor : j->actor);
	e.ts = r->ts, e.qty = qty;
	e.sku = r->sku, e.from = r->loc, e.to = r->order;
	e.trk = r->trk ? r->trk : "";
	if ((rc = ims_journal_append(j, &e, want)) ||
	    (rc = ims_resv_apply(j, r, kind == IMS_KIND_RESERVE ? qty : -qty,
	    0, r->ts, e.seq)))
		return rc;
	/* a hold that lapsed closes its line: the cart was abandoned */
	if (kind == IMS_KIND_RELEASE && r->reason &&
	    strcmp(r->reason, "expired") == 0)
		return ims_order_flag(j, r->order, r->line, IMS_OL_EXPIRED);
	return IMS_OK;
}

struct each_res {
	ims_resv_fn *fn;
	void *arg;
};

static int
res_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct each_res *er = arg;
	const char *p = k->p, *end = p + k->n;
	const char **part[5];
	struct ims_resv r = { 0 };
	ims_dec qty;

	part[0] = &r.order, part[1] = &r.line, part[2] = &r.sku;
	part[3] = &r.loc, part[4] = &r.trk;
	for (int i = 0; i < 5; i++)
		if (!(*part[i] = ims_next_str(&p, end)))
			return ims_damaged("a reservation key without its "
			    "parts");
	if (v->n != 8)
		return ims_damaged("a reservation of %zu bytes", v->n);
	memcpy(&qty, v->p, 8);
	return er->fn(er->arg, &r, qty);
}

/* The open reservations of an order (or of one of its lines, or, with
 * order NULL, all), in key order. */
int
ims_each_resv(struct ims_txn *t, const char *order, const char *line,
    ims_resv_fn *fn, void *arg)
{
	struct each_res er = { fn, arg };
	struct ims_key k;

	if (order)
		line_key(&k, order, line);
	return ims_each_row(t, IMS_DB_RESERVES, order ? &k : NULL, res_row,
	    &er);
}

struct each_line {
	ims_oline_fn *fn;
	void *arg;
};

static int
line_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct each_line *el = arg;
	struct ims_oline l;
	int rc;

	if ((rc = ims_oline_decode(k, v, &l)))
		return rc;
	return el->fn(el->arg, &l);
}

/* The lines of an order (or, with order NULL, of every order). */
int
ims_each_oline(struct ims_txn *t, const char *order, ims_oline_fn *fn,
    void *arg)
{
	struct each_line el = { fn, arg };
	struct ims_key k;

	if (order)
		line_key(&k, order, NULL);
	return ims_each_row(t, IMS_DB_ORDERS, order ? &k : NULL, line_row,
	    &el);
}

/* Fields an order line may carry; others ride along in its entry. */
static const char *const order_known[] = { "seq", "ts", "kind", "order",
	"line", "sku", "qty", "priority", "location", "hold", "expires",
	"min_shelf_days", "channel", "components", "ref", "ref_fp", "actor",
	"op", "hash", NULL };

int
ims_order_field_known(const char *name)
{
	for (int i = 0; order_known[i]; i++)
		if (strcmp(name, order_known[i]) == 0)
			return 1;
	return 0;
}

/* A hold: "90s", "30m", "2h", "7d", or ISO 8601's "PT30M", "P1DT2H". */
static int
parse_hold(const char *s, int64_t *secs)
{
	static const char units[] = "smhd";
	static const int64_t mult[] = { 1, 60, 3600, 86400 };
	int iso = *s == 'P', intime = 0, any = 0;
	const char *p = s + iso;

	*secs = 0;
	while (*p) {
		char *end;
		long long v;
		const char *u;

		if (iso && *p == 'T' && !intime) {
			intime = 1, p++;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		v = strtoll(p, &end, 10);
		if (v > 3650LL * 86400 || !*end)
			return -1;
		u = strchr(units, iso ? (*end == 'D' ? 'd' : *end == 'H' ?
		    'h' : *end == 'M' ? 'm' : *end == 'S' ? 's' : 'x') : *end);
		if (!u || !*u || (iso && (*end == 'D') == intime))
			return -1;
		*secs += v * mult[u - units];
		any = 1;
		p = end + 1;
	}
	return any && *secs > 0 ? 0 : -1;
}

static int
opt_id(const struct ims_rec *r, const char *name, const char **out)
{
	const struct ims_field *f = ims_rec_field(r, name);

	*out = NULL;
	if (!f || f->type == IMS_F_NULL || f->len == 0)
		return IMS_OK;
	if (f->type != IMS_F_STR && f->type != IMS_F_NUM)
		return ims_seterr(IMS_EREJECT, "%s must be a string", name);
	*out = f->val;
	return ims_check_id(name, f->val);
}

static int
opt_int(const struct ims_rec *r, const char *name, int64_t lo, int64_t hi,
    int64_t *v)
{
	const char *s = ims_rec_str(r, name), *why;

	if (!s || !*s)
		return IMS_OK;
	if ((why = ims_dec_parse(s, strlen(s), 0, v)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name, ims_q(s),
		    why);
	if (*v < lo || *v > hi)
		return ims_seterr(IMS_EREJECT, "%s %s: out of range (%lld..%lld)",
		    name, ims_q(s), (long long)lo, (long long)hi);
	return IMS_OK;
}

static int
opt_time(const struct ims_rec *r, const char *name, ims_time *t)
{
	const char *s = ims_rec_str(r, name), *why;

	*t = IMS_TIME_NONE;
	if (!s || !*s)
		return IMS_OK;
	if ((why = ims_time_parse(s, strlen(s), t)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name, ims_q(s),
		    why);
	return IMS_OK;
}

/* The line's sku as an item: a plain one is its own component, a kit
 * its exploded components; its min_shelf_days unless the line has one. */
static int
line_item(struct ims_journal *j, struct ims_oline *l, char ***names,
    int *nn)
{
	const struct ims_field *f;
	const char *s;
	int rc;

	*names = NULL, *nn = 0;
	if ((rc = ims_master_get(j->t, &ims_item_schema, l->sku, &j->tmp)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown "
		    "sku %s", ims_q(l->sku)) : rc;
	if (!l->min_shelf && (s = ims_rec_str(&j->tmp, "min_shelf_days")))
		ims_dec_parse(s, strlen(s), 0, &l->min_shelf);
	if (!(f = ims_rec_field(&j->tmp, "components")) ||
	    f->type != IMS_F_RAW) {
		l->ncomp = 1;
		l->comp[0].sku = l->sku;
		l->comp[0].per = 1000;
		return IMS_OK;
	}
	l->flags |= IMS_OL_KIT;
	if (l->wanted % 1000)
		return ims_seterr(IMS_EREJECT, "sku %s is a kit: qty must be a "
		    "whole number of kits, not %s", ims_q(l->sku),
		    ims_fmtq(l->wanted));
	return ims_kit_explode(j->t, l->sku, f->val, f->len, l->comp,
	    &l->ncomp, names, nn);
}

/* Is the named master record there?  A rejection if not. */
static int
known(struct ims_txn *t, const struct ims_schema *s, const char *key)
{
	static struct ims_rec r;
	int rc = ims_master_get(t, s, key, &r);

	return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown %s %s",
	    s->what, ims_q(key)) : rc;
}

/* The owner of sku, copied to buf ("" for none). */
static int
owner_of(struct ims_txn *t, const char *sku, char buf[IMS_ID_MAX + 1])
{
	const char *o;
	int rc = ims_owner(t, sku, &o);

	snprintf(buf, IMS_ID_MAX + 1, "%s", o ? o : "");
	return rc;
}

/*
 * A client's stock serves only its own orders: the line's sku (and
 * every component of a kit) is the client's the line names, or the
 * channel's, and all of a kit's components have the kit's owner.
 */
static int
line_owner(struct ims_txn *t, const struct ims_oline *l, const char *client)
{
	static struct ims_rec ch;
	char own[IMS_ID_MAX + 1], comp[IMS_ID_MAX + 1];
	const char *cc;
	int rc;

	if ((client && (rc = known(t, &ims_client_schema, client))) ||
	    (l->channel && (rc = known(t, &ims_channel_schema, l->channel))) ||
	    (rc = owner_of(t, l->sku, own)))
		return rc;
	if (l->channel && !ims_master_get(t, &ims_channel_schema,
	    l->channel, &ch) && (cc = ims_rec_str(&ch, "client")) &&
	    strcmp(cc, own) != 0)
		return ims_seterr(IMS_EREJECT, "sku %s is %s, not of client "
		    "%s that channel %s sells for", ims_q(l->sku), *own ?
		    "another client's" : "no client's", ims_q(cc),
		    ims_q(l->channel));
	if (client && strcmp(client, own) != 0)
		return ims_seterr(IMS_EREJECT, "sku %s is %s%s, not client "
		    "%s's", ims_q(l->sku), *own ? "client " : "no client's",
		    *own ? ims_q(own) : "", ims_q(client));
	for (int i = 0; i < l->ncomp; i++) {
		if ((rc = owner_of(t, l->comp[i].sku, comp)))
			return rc;
		if (strcmp(comp, own) != 0)
			return ims_seterr(IMS_EREJECT, "kit %s: component %s "
			    "belongs to another client", ims_q(l->sku),
			    ims_q(l->comp[i].sku));
	}
	return IMS_OK;
}

/* The fingerprint of what an order line asks: its fields, normalised. */
static void
line_fp(struct ims_oline *l, const struct ims_rec *r)
{
	static struct ims_buf b;
	char nb[IMS_DEC_BUF];

	b.n = 0;
	ims_buf_add(&b, "order", 6);
	ims_buf_add(&b, l->order, strlen(l->order) + 1);
	ims_buf_add(&b, l->sku, strlen(l->sku) + 1);
	ims_dec_fmt(l->wanted, IMS_QTY, nb);
	ims_buf_add(&b, nb, strlen(nb) + 1);
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].name, "ref") && strcmp(r->f[i].name,
		    "qty") && r->f[i].type != IMS_F_NULL)
			ims_canon_add(&b, r->f[i].name, r->f[i].val);
	ims_fingerprint(&b, l->fp);
}

/*
 * Read an order line from a record: order, sku, qty, and optionally
 * line, priority, ts, location (a zone to serve it from), hold or
 * expires, min_shelf_days, channel, ref.  A line without line is given
 * one by the caller.  The kit's components are resolved here, so that
 * the entry records what was ordered whatever the item becomes.
 */
int
ims_order_parse(struct ims_journal *j, const struct ims_rec *r,
    struct ims_oline *l)
{
	const char *hold = ims_rec_str(r, "hold"), *q = ims_rec_str(r, "qty");
	const char *why;
	char **names;
	int64_t secs;
	int rc, nn;

	memset(l, 0, sizeof *l);
	if ((rc = opt_id(r, "order", &l->order)) ||
	    (rc = opt_id(r, "line", &l->line)) ||
	    (rc = opt_id(r, "sku", &l->sku)) ||
	    (rc = opt_id(r, "location", &l->location)) ||
	    (rc = opt_id(r, "channel", &l->channel)) ||
	    (rc = opt_id(r, "ref", &l->ref)))
		return rc;
	if (!l->order || !l->sku || !q || !*q)
		return ims_seterr(IMS_EREJECT, "missing field %s", !l->order ?
		    "order" : !l->sku ? "sku" : "qty");
	if ((why = ims_dec_parse(q, strlen(q), IMS_QTY, &l->wanted)))
		return ims_seterr(IMS_EREJECT, "qty %s: %s", ims_q(q), why);
	if (l->wanted <= 0)
		return ims_seterr(IMS_EREJECT, "qty must be positive, not %s",
		    ims_fmtq(l->wanted));
	if ((rc = opt_int(r, "priority", -1000000, 1000000, &l->priority)) ||
	    (rc = opt_int(r, "min_shelf_days", 0, 36500, &l->min_shelf)) ||
	    (rc = opt_time(r, "ts", &l->ts)) ||
	    (rc = opt_time(r, "expires", &l->expires)))
		return rc;
	if (l->ts == IMS_TIME_NONE)
		l->ts = j->now;
	else if (l->ts > j->now + 300)
		return ims_seterr(IMS_EREJECT, "ts is in the future");
	if (hold && *hold && l->expires != IMS_TIME_NONE)
		return ims_seterr(IMS_EREJECT, "give hold or expires, not both");
	if (hold && *hold && parse_hold(hold, &secs))
		return ims_seterr(IMS_EREJECT, "hold %s is not a duration "
		    "(30m, 2h, 7d, PT30M)", ims_q(hold));
	if (hold && *hold)
		l->expires = j->now + secs;
	rc = line_item(j, l, &names, &nn);
	l->owned = names;
	l->nowned = nn;
	if (!rc)
		rc = line_owner(j->t, l, ims_rec_str(r, "client"));
	if (!rc && l->ref)
		line_fp(l, r);
	return rc;
}

/* Free what ims_order_parse allocated for l. */
void
ims_oline_release(struct ims_oline *l)
{
	ims_kit_free(l->owned, l->nowned);
	l->owned = NULL;
	l->nowned = 0;
}

static size_t
str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static const char *
str_copy(char **p, const char *s)
{
	char *d = *p;

	if (!s)
		return NULL;
	memcpy(d, s, strlen(s) + 1);
	*p += strlen(s) + 1;
	return d;
}

/* A copy of l that owns its strings, in one block to free(). */
struct ims_oline *
ims_oline_dup(const struct ims_oline *l)
{
	size_t head = offsetof(struct ims_oline, comp) +
	    l->ncomp * sizeof l->comp[0];
	size_t n = head + str_size(l->order) + str_size(l->line) +
	    str_size(l->sku) + str_size(l->location) + str_size(l->channel) +
	    str_size(l->ref);
	struct ims_oline *d;
	char *p;

	for (int i = 0; i < l->ncomp; i++)
		n += str_size(l->comp[i].sku);
	if (!(d = malloc(n)))
		return NULL;
	memcpy(d, l, head);
	p = (char *)d + head;
	d->order = str_copy(&p, l->order);
	d->line = str_copy(&p, l->line);
	d->sku = str_copy(&p, l->sku);
	d->location = str_copy(&p, l->location);
	d->channel = str_copy(&p, l->channel);
	d->ref = str_copy(&p, l->ref);
	for (int i = 0; i < l->ncomp; i++)
		d->comp[i].sku = str_copy(&p, l->comp[i].sku);
	d->owned = NULL;
	d->nowned = 0;
	return d;
}


/* The lines of an order, copied out of the table (which is written
 * while they are used). */
struct lines {
	struct ims_oline **v;
	size_t n;
};

static int
collect_line(void *arg, const struct ims_oline *l)
{
	struct lines *ls = arg;
	struct ims_oline **v = realloc(ls->v, (ls->n + 1) * sizeof *v);

	if (!v || !(v[ls->n] = ims_oline_dup(l))) {
		free(v);
		ls->v = NULL;
		return ims_seterr(IMS_ESTORE, "out of memory");
	}
	ls->v = v;
	ls->n++;
	return IMS_OK;
}

int
ims_order_lines(struct ims_txn *t, const char *order,
    struct ims_oline ***v, size_t *n)
{
	struct lines ls = { NULL, 0 };
	int rc = ims_each_oline(t, order, collect_line, &ls);

	if (rc) {
		ims_order_lines_free(ls.v, ls.n);
		ls.v = NULL, ls.n = 0;
	}
	*v = ls.v;
	*n = ls.n;
	return rc;
}

void
ims_order_lines_free(struct ims_oline **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Set flag on the lines of an order (or on one line). */
int
ims_order_flag(struct ims_journal *j, const char *order, const char *line,
    unsigned flag)
{
	struct ims_oline **v, c;
	size_t n;
	int rc;

	if ((rc = ims_order_lines(j->t, order, &v, &n)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		if (line && strcmp(v[i]->line, line) != 0)
			continue;
		if (!(rc = ims_oline_get(j->t, order, v[i]->line, &c))) {
			c.flags |= flag;
			rc = oline_put(j, &c);
		}
	}
	ims_order_lines_free(v, n);
	return rc;
}

struct any {
	int n;
};

static int
any_resv(void *arg, const struct ims_resv *r, ims_dec qty)
{
	(void)r, (void)qty;
	((struct any *)arg)->n++;
	return IMS_STOP;
}

/*
 * A line's hold has lapsed: what it holds is released (reason expired),
 * which closes it; a line that holds nothing is closed by an order entry
 * of op expire, so that its status too is explained by an entry.
 */
int
ims_order_expire(struct ims_journal *j, const char *order, const char *line,
    ims_time ts)
{
	struct ims_entry e = { .kind = IMS_KIND_ORDER, .ts = ts, .qty = 0,
		.sku = "", .from = order, .to = line, .trk = "" };
	struct any a = { 0 };
	int rc;

	if ((rc = ims_each_resv(j->t, order, line, any_resv, &a)))
		return rc;
	if (a.n)
		return ims_order_release(j, order, line, "expired", ts);
	ims_entry_open(j, ts);
	ims_buf_kv_str(&j->json, "kind", "order");
	ims_buf_kv_str(&j->json, "op", "expire");
	ims_buf_kv_str(&j->json, "order", order);
	ims_buf_kv_str(&j->json, "line", line);
	ims_buf_kv_str(&j->json, "actor", j->actor);
	if ((rc = ims_journal_append(j, &e, NULL)))
		return rc;
	return ims_order_flag(j, order, line, IMS_OL_EXPIRED);
}

/* The cancel entry: {"kind":"order","op":"cancel","order"}; it closes
 * every line of the order. */
static int
post_cancel(struct ims_journal *j, const char *order, const char *actor,
    const char *want, ims_time ts)
{
	struct ims_entry e = { .kind = IMS_KIND_ORDER, .ts = ts, .qty = 0,
		.sku = "", .from = order, .to = "", .trk = "" };
	int rc;

	ims_entry_open(j, ts);
	ims_buf_kv_str(&j->json, "kind", "order");
	ims_buf_kv_str(&j->json, "op", "cancel");
	ims_buf_kv_str(&j->json, "order", order);
	ims_buf_kv_str(&j->json, "actor", actor ? actor : j->actor);
	if ((rc = ims_journal_append(j, &e, want)))
		return rc;
	return ims_order_flag(j, order, NULL, IMS_OL_CANCELLED);
}

struct cancel {
	struct ims_journal *j;
	struct ims_resv *v;
	ims_dec *q;
	size_t n;
};

static int
collect_resv(void *arg, const struct ims_resv *r, ims_dec qty)
{
	struct cancel *c = arg;
	struct ims_resv *v = realloc(c->v, (c->n + 1) * sizeof *v);
	ims_dec *q = realloc(c->q, (c->n + 1) * sizeof *q);
	const char *s[5] = { r->order, r->line, r->sku, r->loc, r->trk };
	char *d[5];

	if (v)
		c->v = v;
	if (q)
		c->q = q;
	if (!v || !q)
		return ims_seterr(IMS_ESTORE, "out of memory");
	for (int i = 0; i < 5; i++)
		if (!(d[i] = strdup(s[i])))
			return ims_seterr(IMS_ESTORE, "out of memory");
	memset(&v[c->n], 0, sizeof *v);
	v[c->n].order = d[0], v[c->n].line = d[1], v[c->n].sku = d[2];
	v[c->n].loc = d[3], v[c->n].trk = d[4];
	q[c->n++] = qty;
	return IMS_OK;
}

static void
free_resv(struct cancel *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->v[i].order);
		free((char *)c->v[i].line);
		free((char *)c->v[i].sku);
		free((char *)c->v[i].loc);
		free((char *)c->v[i].trk);
	}
	free(c->v);
	free(c->q);
}

/* Is trk of sku a serial (rather than a lot)? */
static int
is_serial(struct ims_txn *t, const char *sku, const char *trk)
{
	struct ims_key k;
	struct ims_val v;

	if (!*trk)
		return 0;
	ims_key_init(&k);
	ims_key_str(&k, sku);
	ims_key_str(&k, trk);
	return ims_get(t, IMS_DB_LOTS, &k, &v) == IMS_ENOTFOUND;
}

/*
 * Release the open reservations of an order (of one line, when line is
 * given) for a reason: one release entry each.
 */
int
ims_order_release(struct ims_journal *j, const char *order,
    const char *line, const char *reason, ims_time ts)
{
	struct cancel c = { j, NULL, NULL, 0 };
	int rc = ims_each_resv(j->t, order, line, collect_resv, &c);

	for (size_t i = 0; !rc && i < c.n; i++) {
		c.v[i].reason = reason;
		c.v[i].ts = ts;
		c.v[i].serial = is_serial(j->t, c.v[i].sku, c.v[i].trk);
		rc = ims_resv_post(j, IMS_KIND_RELEASE, &c.v[i], c.q[i], NULL,
		    NULL);
	}
	free_resv(&c);
	return rc;
}

/*
 * Cancel an order: release what it holds and close its lines.  An
 * unknown order, or one shipped or cancelled already, is refused.
 */
int
ims_order_cancel(struct ims_journal *j, const char *order,
    const char *actor, const char *want, ims_time ts)
{
	struct ims_oline **v;
	size_t n, open = 0, shipped = 0;
	int rc;

	if ((rc = ims_order_lines(j->t, order, &v, &n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(ims_oline_status(v[i]), "shipped"))
			shipped++;
		else if (!(v[i]->flags & (IMS_OL_CANCELLED | IMS_OL_EXPIRED)))
			open++;
	}
	ims_order_lines_free(v, n);
	if (n == 0)
		return ims_seterr(IMS_EREJECT, "unknown order %s",
		    ims_q(order));
	if (open == 0)
		return ims_seterr(IMS_EREJECT, "order %s is %s: nothing to "
		    "cancel", ims_q(order), shipped == n ? "shipped" :
		    "closed already");
	if (!want && (rc = ims_order_release(j, order, NULL, "cancelled",
	    ts)))
		return rc;
	return post_cancel(j, order, actor, want, ts);
}

/* An exported order line: what ims_order_parse would have made, from
 * what the entry recorded (its components included). */
static int
restore_line(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	const struct ims_field *f = ims_rec_field(r, "components");
	const char *q = ims_rec_str(r, "qty"), *fp = ims_rec_str(r, "ref_fp");
	struct ims_oline l;
	char **names = NULL;
	int rc, nn = 0;

	memset(&l, 0, sizeof l);
	l.ts = e->ts;
	if ((rc = opt_id(r, "order", &l.order)) ||
	    (rc = opt_id(r, "line", &l.line)) ||
	    (rc = opt_id(r, "sku", &l.sku)) ||
	    (rc = opt_id(r, "location", &l.location)) ||
	    (rc = opt_id(r, "channel", &l.channel)) ||
	    (rc = opt_id(r, "ref", &l.ref)) ||
	    (rc = opt_int(r, "priority", -1000000, 1000000, &l.priority)) ||
	    (rc = opt_int(r, "min_shelf_days", 0, 36500, &l.min_shelf)) ||
	    (rc = opt_time(r, "expires", &l.expires)))
		return rc;
	if (!l.order || !l.line || !l.sku || !q ||
	    ims_dec_parse(q, strlen(q), IMS_QTY, &l.wanted) || l.wanted <= 0)
		return ims_seterr(IMS_EREJECT, "restore: an order line needs "
		    "order, line, sku and a positive qty");
	if (fp && strlen(fp) == IMS_FP_LEN)
		memcpy(l.fp, fp, IMS_FP_LEN + 1);
	if (f && f->type == IMS_F_RAW) {
		l.flags |= IMS_OL_KIT;
		/* the components as recorded, not as the item is now */
		rc = ims_kit_explode(j->t, l.sku, f->val, f->len, l.comp,
		    &l.ncomp, &names, &nn);
	} else {
		l.ncomp = 1;
		l.comp[0].sku = l.sku;
		l.comp[0].per = 1000;
	}
	if (!rc)
		rc = ims_order_post(j, &l, r, e->actor, e->hash);
	ims_kit_free(names, nn);
	return rc;
}

static int
restore_resv(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	const char *q = ims_rec_str(r, "qty"), *lot, *serial;
	struct ims_resv v = { 0 };
	ims_dec qty;
	int rc;

	if ((rc = opt_id(r, "order", &v.order)) ||
	    (rc = opt_id(r, "line", &v.line)) ||
	    (rc = opt_id(r, "sku", &v.sku)) ||
	    (rc = opt_id(r, "location", &v.loc)) ||
	    (rc = opt_id(r, "lot", &lot)) ||
	    (rc = opt_id(r, "serial", &serial)))
		return rc;
	if (!v.order || !v.line || !v.sku || !v.loc || !q ||
	    ims_dec_parse(q, strlen(q), IMS_QTY, &qty))
		return ims_seterr(IMS_EREJECT, "restore: a %s needs order, "
		    "line, sku, location and qty", ims_kind_names[e->kind]);
	v.trk = serial ? serial : lot;
	v.serial = serial != NULL;
	v.reason = ims_rec_str(r, "reason");
	v.ts = e->ts;
	return ims_resv_post(j, e->kind, &v, qty, e->actor, e->hash);
}

static int
restore_expire(struct ims_journal *j, const char *order, const char *line,
    const struct ims_restored *e)
{
	struct ims_entry en = { .kind = IMS_KIND_ORDER, .ts = e->ts, .qty = 0,
		.sku = "", .from = order, .to = line, .trk = "" };
	int rc;

	ims_entry_open(j, e->ts);
	ims_buf_kv_str(&j->json, "kind", "order");
	ims_buf_kv_str(&j->json, "op", "expire");
	ims_buf_kv_str(&j->json, "order", order);
	ims_buf_kv_str(&j->json, "line", line);
	ims_buf_kv_str(&j->json, "actor", e->actor);
	if ((rc = ims_journal_append(j, &en, e->hash)))
		return rc;
	return ims_order_flag(j, order, line, IMS_OL_EXPIRED);
}

/* Restore an exported order, reserve or release entry. */
int
ims_order_restore(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	const char *op = ims_rec_str(r, "op"), *order = ims_rec_str(r, "order");

	if (e->kind != IMS_KIND_ORDER)
		return restore_resv(j, r, e);
	if (!op)
		return restore_line(j, r, e);
	if (strcmp(op, "expire") == 0 && order && ims_rec_str(r, "line"))
		return restore_expire(j, order, ims_rec_str(r, "line"), e);
	if (strcmp(op, "cancel") != 0 || !order)
		return ims_seterr(IMS_EREJECT, "restore: an order entry with "
		    "op %s", ims_q(op));
	return ims_order_cancel(j, order, e->actor, e->hash, e->ts);
}

struct orders_report {
	struct ims_out *o;
	const struct ims_report_args *a;
	struct ims_rec rec;
	struct ims_txn *t;
};

static int
orders_row(void *arg, const struct ims_oline *l)
{
	struct orders_report *x = arg;
	struct ims_rec *r = &x->rec;
	char tb[IMS_TIME_BUF];
	ims_dec al, sh;

	if ((x->a->f.sku && strcmp(x->a->f.sku, l->sku) != 0) ||
	    !ims_owned(x->t, l->sku, x->a->f.client) || (x->a->channel &&
	    (!l->channel || strcmp(x->a->channel, l->channel) != 0)) ||
	    (x->a->open && ims_oline_open(l) == 0 &&
	    strcmp(ims_oline_status(l), "allocated") != 0 &&
	    strcmp(ims_oline_status(l), "partially shipped") != 0))
		return IMS_OK;
	ims_oline_figures(l, &al, &sh);
	ims_rec_reset(r);
	ims_rec_adds(r, "order", l->order);
	ims_rec_adds(r, "line", l->line);
	ims_rec_adds(r, "sku", l->sku);
	ims_rec_addn(r, "wanted", l->wanted, IMS_QTY);
	ims_rec_addn(r, "allocated", al, IMS_QTY);
	ims_rec_addn(r, "shipped", sh, IMS_QTY);
	ims_rec_addn(r, "open", ims_oline_open(l), IMS_QTY);
	ims_rec_adds(r, "status", ims_oline_status(l));
	if (l->priority)
		ims_rec_addn(r, "priority", l->priority, 0);
	ims_rec_adds(r, "ts", ims_time_fmt(l->ts, tb));
	if (l->expires != IMS_TIME_NONE)
		ims_rec_adds(r, "expires", ims_time_fmt(l->expires, tb));
	if (l->channel)
		ims_rec_adds(r, "channel", l->channel);
	ims_out_rec(x->o, r);
	return IMS_OK;
}

/* The orders report: a row per line, with its figures and status;
 * --open leaves out the lines that are done (shipped, cancelled,
 * expired). */
int
ims_report_orders(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct orders_report x = { o, a, { 0 }, t };
	int rc = ims_each_oline(t, NULL, orders_row, &x);

	ims_rec_free(&x.rec);
	return rc;
}
