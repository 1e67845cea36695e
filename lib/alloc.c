/*
 * alloc.c: allocation, the choice of which stock serves an order line.
 * A plan takes stock balance by balance in the strategy's order, keeps
 * what it took in an overlay (so that the lines of one batch never
 * count the same unit twice), and can be undone back to a mark (an order
 * that cannot be served whole) before anything is posted; committing it
 * posts one reserve entry per take.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

const char *const ims_strategy_names[] = { "default", "fifo", "fefo",
	"lifo", "fewest-locations", NULL };

/* What allocation knows of a location. */
struct locinfo {
	int pickable;		/* internal, not transit */
	int has_seq;
	int64_t pick_seq;
};

/* What the plan knows of a balance it has listed: what it took of it,
 * and the age of its oldest unit once walked.  One look-up a balance
 * listed, for both. */
struct balinfo {
	ims_dec taken;
	ims_time age;
	int aged;
	char *loc, *trk;
};

/* A balance that could serve a line, with its sort keys. */
struct cand {
	const char *loc, *trk;	/* bi's */
	int serial;
	ims_dec avail;
	ims_time expiry, age;
	const struct locinfo *li;
	struct balinfo *bi;
};

struct take {
	struct ims_oline *line;	/* the batch's copy */
	char *sku, *loc, *trk;
	int serial;
	ims_dec qty;
	struct balinfo *bi;
};

struct ims_plan {
	struct ims_journal *j;
	struct ims_alloc_opts o;
	struct ims_map *locs;		/* code -> struct locinfo */
	struct ims_map *bals;		/* balance -> struct balinfo */
	struct take *v;
	size_t n, cap;
	struct cand *c;			/* one line's candidates */
	size_t nc, capc;
	const char *sku;		/* the component being listed */
	const struct ims_oline *l;
	int fefo;
	struct ims_rec rec;
};

struct ims_plan *
ims_plan_new(struct ims_journal *j, const struct ims_alloc_opts *o)
{
	struct ims_plan *p = calloc(1, sizeof *p);

	if (!p || !(p->locs = ims_map_new()) ||
	    !(p->bals = ims_map_new())) {
		ims_plan_free(p);
		return NULL;
	}
	p->j = j;
	p->o = *o;
	return p;
}

static void
drop_takes(struct ims_plan *p, size_t from)
{
	for (size_t i = from; i < p->n; i++) {
		free(p->v[i].sku);
		free(p->v[i].loc);
		free(p->v[i].trk);
	}
	p->n = from;
}

static void
drop_cands(struct ims_plan *p)
{
	p->nc = 0;
}

static void
balinfo_free(void *v)
{
	struct balinfo *bi = v;

	if (bi) {
		free(bi->loc);
		free(bi->trk);
	}
	free(bi);
}

void
ims_plan_free(struct ims_plan *p)
{
	if (!p)
		return;
	drop_takes(p, 0);
	drop_cands(p);
	free(p->v);
	free(p->c);
	ims_map_free(p->locs, free);
	ims_map_free(p->bals, balinfo_free);
	ims_rec_free(&p->rec);
	free(p);
}

/* The location's record, as allocation needs it; cached. */
static int
loc_info(struct ims_plan *p, const char *code, const struct locinfo **out)
{
	struct ims_rec *r = &p->rec;
	struct locinfo *li;
	const char *s;
	void **slot;
	int isnew, rc;

	slot = ims_map_slot(p->locs, code, &isnew);
	if (!isnew) {
		*out = *slot;
		return IMS_OK;
	}
	if (!(li = *slot = calloc(1, sizeof *li)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	rc = ims_master_get(p->j->t, &ims_loc_schema, code, r);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	li->pickable = rc == IMS_OK && !((s = ims_rec_str(r, "type")) &&
	    strcmp(s, "transit") == 0);
	if (rc == IMS_OK && (s = ims_rec_str(r, "pick_seq")) &&
	    !ims_dec_parse(s, strlen(s), 0, &li->pick_seq))
		li->has_seq = 1;
	*out = li;
	return IMS_OK;
}

/* The map key of a balance: its parts joined by 0x1f (no id holds
 * one), built without printf: it is made for every balance listed. */
static const char *
bal_name(const char *sku, const char *loc, const char *trk)
{
	static char k[3 * IMS_ID_MAX + 3];
	const char *part[3] = { sku, loc, trk };
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		size_t len = strlen(part[i]);

		if (len > IMS_ID_MAX)
			len = IMS_ID_MAX;
		memcpy(k + n, part[i], len);
		n += len;
		k[n++] = i < 2 ? '\x1f' : '\0';
	}
	return k;
}

/* The plan's record of a balance, made when first listed. */
static struct balinfo *
bal_info(struct ims_plan *p, const char *sku, const char *loc,
    const char *trk)
{
	int isnew;
	void **slot = ims_map_slot(p->bals, bal_name(sku, loc, trk), &isnew);
	struct balinfo *bi;

	if (!isnew)
		return *slot;
	if (!(bi = *slot = calloc(1, sizeof *bi)) ||
	    !(bi->loc = strdup(loc)) || !(bi->trk = strdup(trk))) {
		ims_seterr(IMS_ESTORE, "out of memory");
		return NULL;
	}
	return bi;
}

/* Is lot trk of the sku fit to serve the line: not expired, and with
 * the shelf life the line asks left? */
static int
fresh(const struct ims_plan *p, const struct ims_oline *l, ims_time expiry)
{
	if (expiry == IMS_TIME_NONE)
		return 1;
	return expiry > p->o.now + l->min_shelf * 86400;
}

static int
cand_row(void *arg, const struct ims_balance *b)
{
	struct ims_plan *p = arg;
	const struct locinfo *li = NULL;
	struct balinfo *bi;
	struct cand *c;
	ims_time exp = IMS_TIME_NONE;
	ims_dec avail;
	int rc, serial = 0;

	if (ims_is_virtual(b->loc) ||
	    (p->o.location && !ims_loc_match(b->loc, p->o.location)) ||
	    (p->l->location && !ims_loc_match(b->loc, p->l->location)))
		return IMS_OK;
	if (!(bi = bal_info(p, b->sku, b->loc, b->trk)))
		return IMS_ESTORE;
	avail = b->b.on_hand - b->b.allocated - bi->taken;
	if (avail <= 0)
		return IMS_OK;
	if ((rc = loc_info(p, b->loc, &li)))
		return rc;
	if (!li->pickable)
		return IMS_OK;
	if (*b->trk) {
		rc = ims_lot_expiry(p->j->t, b->sku, b->trk, &exp);
		if (rc == IMS_ENOTFOUND)
			serial = 1, exp = IMS_TIME_NONE;
		else if (rc)
			return rc;
	}
	if (!fresh(p, p->l, exp))
		return IMS_OK;
	if (exp != IMS_TIME_NONE)
		p->fefo = 1;
	if (p->nc == p->capc) {
		size_t cap = p->capc ? 2 * p->capc : 16;
		struct cand *v = realloc(p->c, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		p->c = v, p->capc = cap;
	}
	c = &p->c[p->nc++];
	c->loc = bi->loc;
	c->trk = bi->trk;
	c->bi = bi;
	c->serial = serial;
	c->avail = avail;
	c->expiry = exp;
	c->age = IMS_TIME_NONE;
	c->li = li;
	return IMS_OK;
}

/* The age of a balance's oldest unit, first in first out: the ts of the
 * inbound row at which what came in passes what has gone out. */
struct agewalk {
	int64_t out, in;
	ims_time at;
	int pass;
};

static int
age_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	struct agewalk *a = arg;

	(void)seq;
	if (a->pass == 0) {
		if (d < 0)
			a->out -= d;
		return IMS_OK;
	}
	if (d > 0 && (a->in += d) > a->out) {
		a->at = ts;
		return IMS_STOP;
	}
	return IMS_OK;
}

/* Nothing the plan does writes the history before it is committed, so
 * a balance's age is walked once per plan, not once per line. */
static int
cand_age(struct ims_plan *p, struct cand *c)
{
	struct agewalk a = { 0, 0, IMS_TIME_NONE, 0 };
	struct ims_key k;
	int rc;

	if (c->bi->aged) {
		c->age = c->bi->age;
		return IMS_OK;
	}
	ims_key_init(&k);
	ims_key_str(&k, p->sku);
	ims_key_str(&k, c->loc);
	ims_key_str(&k, c->trk);
	if ((rc = ims_each_history(p->j->t, &k, INT64_MIN, age_row, &a)))
		return rc;
	a.pass = 1;
	if ((rc = ims_each_history(p->j->t, &k, INT64_MIN, age_row, &a)))
		return rc;
	c->age = c->bi->age = a.at;
	c->bi->aged = 1;
	return IMS_OK;
}

static int sort_strategy;

static int
cmp_time(ims_time a, ims_time b)
{
	/* no expiry sorts after every date */
	if (a == b)
		return 0;
	if (a == IMS_TIME_NONE)
		return 1;
	if (b == IMS_TIME_NONE)
		return -1;
	return a < b ? -1 : 1;
}

/* Walking order: locations with a pick_seq first, by it; then by code. */
int
ims_walk_cmp(int has_a, int64_t seq_a, const char *loc_a, int has_b,
    int64_t seq_b, const char *loc_b)
{
	if (has_a != has_b)
		return has_a ? -1 : 1;
	if (has_a && seq_a != seq_b)
		return seq_a < seq_b ? -1 : 1;
	return strcmp(loc_a, loc_b);
}

static int
cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int r = 0;

	switch (sort_strategy) {
	case IMS_S_FEFO:
		if ((r = cmp_time(a->expiry, b->expiry)))
			return r;
		r = cmp_time(a->age, b->age);
		break;
	case IMS_S_FIFO:
		r = cmp_time(a->age, b->age);
		break;
	case IMS_S_LIFO:
		r = -cmp_time(a->age, b->age);
		break;
	case IMS_S_FEWEST:
		r = a->avail == b->avail ? cmp_time(a->age, b->age) :
		    a->avail > b->avail ? -1 : 1;
		break;
	}
	if (r)
		return r;
	if ((r = ims_walk_cmp(a->li->has_seq, a->li->pick_seq, a->loc,
	    b->li->has_seq, b->li->pick_seq, b->loc)))
		return r;
	return strcmp(a->trk, b->trk);
}

/* The candidates for one component of the line, in the order the
 * strategy takes them. */
static int
list_cands(struct ims_plan *p, const struct ims_oline *l, const char *sku)
{
	int rc, s = p->o.strategy;

	drop_cands(p);
	p->sku = sku;
	p->l = l;
	p->fefo = 0;
	if ((rc = ims_each_balance(p->j->t, sku, cand_row, p)))
		return rc;
	if (s == IMS_S_DEFAULT)
		s = p->fefo ? IMS_S_FEFO : IMS_S_FIFO;
	for (size_t i = 0; p->nc > 1 && i < p->nc; i++)
		if ((rc = cand_age(p, &p->c[i])))
			return rc;
	sort_strategy = s;
	if (p->nc > 1)	/* none: p->c may be NULL, which qsort may not take */
		qsort(p->c, p->nc, sizeof *p->c, cmp_cand);
	return IMS_OK;
}

static ims_dec
cands_total(const struct ims_plan *p)
{
	ims_wide t = 0;

	for (size_t i = 0; i < p->nc; i++)
		t += p->c[i].avail;
	return t > INT64_MAX ? INT64_MAX : (ims_dec)t;
}

static int
add_take(struct ims_plan *p, struct ims_oline *l, const struct cand *c,
    ims_dec qty)
{
	struct take *t;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct take *v = realloc(p->v, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		p->v = v, p->cap = cap;
	}
	t = &p->v[p->n];
	t->line = l;
	t->serial = c->serial;
	t->qty = qty;
	t->sku = strdup(p->sku);
	t->loc = strdup(c->loc);
	t->trk = strdup(c->trk);
	t->bi = c->bi;
	p->n++;
	if (!t->sku || !t->loc || !t->trk)
		return ims_seterr(IMS_ESTORE, "out of memory");
	c->bi->taken += qty;
	return IMS_OK;
}

/* Take qty of the listed candidates, in order. */
static int
take_cands(struct ims_plan *p, struct ims_oline *l, ims_dec qty)
{
	int rc;

	for (size_t i = 0; qty > 0 && i < p->nc; i++) {
		ims_dec q = p->c[i].avail < qty ? p->c[i].avail : qty;

		if ((rc = add_take(p, l, &p->c[i], q)))
			return rc;
		qty -= q;
	}
	return IMS_OK;
}

/*
 * Plan the line's open quantity (want, in the line's units): how many
 * units there is stock for (whole kits for a kit: each component in
 * full), at most want, taken.  *got is what was planned.
 */
int
ims_plan_line(struct ims_plan *p, struct ims_oline *l, ims_dec want,
    ims_dec *got)
{
	ims_dec units = want;
	int rc;

	for (int i = 0; i < l->ncomp; i++) {
		ims_dec have, u;

		if ((rc = list_cands(p, l, l->comp[i].sku)))
			return rc;
		have = cands_total(p);
		u = l->flags & IMS_OL_KIT ? (ims_dec)((ims_wide)have /
		    l->comp[i].per) * 1000 : have;
		if (u < units)
			units = u;
	}
	for (int i = 0; units > 0 && i < l->ncomp; i++) {
		ims_dec need = l->flags & IMS_OL_KIT ? (ims_dec)((ims_wide)
		    units * l->comp[i].per / 1000) : units;

		if ((l->ncomp > 1 && (rc = list_cands(p, l, l->comp[i].sku))) ||
		    (rc = take_cands(p, l, need)))
			return rc;
	}
	*got = units;
	return IMS_OK;
}

size_t
ims_plan_mark(const struct ims_plan *p)
{
	return p->n;
}

/* Undo the plan back to a mark. */
int
ims_plan_undo(struct ims_plan *p, size_t mark)
{
	for (size_t i = mark; i < p->n; i++)
		p->v[i].bi->taken -= p->v[i].qty;
	drop_takes(p, mark);
	return IMS_OK;
}

/* Post the plan: a reserve entry per take, at now. */
int
ims_plan_commit(struct ims_plan *p)
{
	int rc;

	for (size_t i = 0; i < p->n; i++) {
		struct take *t = &p->v[i];
		struct ims_resv r = { t->line->order, t->line->line, t->sku,
			t->loc, t->trk, t->serial, NULL, p->o.now };

		if ((rc = ims_resv_post(p->j, IMS_KIND_RESERVE, &r, t->qty,
		    NULL, NULL)))
			return rc;
	}
	return IMS_OK;
}

/* What the plan took, one call per take, in plan order. */
int
ims_plan_each(struct ims_plan *p, ims_resv_fn *fn, void *arg)
{
	int rc;

	for (size_t i = 0; i < p->n; i++) {
		struct take *t = &p->v[i];
		struct ims_resv r = { t->line->order, t->line->line, t->sku,
			t->loc, t->trk, t->serial, NULL, p->o.now };

		if ((rc = fn(arg, &r, t->qty)))
			return rc;
	}
	return IMS_OK;
}
