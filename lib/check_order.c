/*
 * check_order.c: ims-check's part for orders and reservations.  The
 * order, reserve and release entries, and the shipments that name an
 * order line, are replayed here into what ORDERS, RESERVES and ALLOCS
 * and each balance's allocated figure must hold, and the po entries and
 * the receipts against them into POS and POLINES; then each table is
 * compared with it.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ims.h"
#include "check.h"

struct wline {
	ims_dec wanted;
	unsigned flags;
	int ncomp;
	struct { char *sku; ims_dec per, reserved, shipped; } comp[IMS_COMP_MAX];
	int seen;
};

struct wbal {
	ims_dec allocated, hist;
	long rows;
	int seen;
};

struct wpo {
	unsigned status, nlines, open;
	ims_time created, approved, ended;
	int seen;
};

struct wpoline {
	ims_dec qty, received;
	ims_time last;
	int seen;
};

struct ims_ocheck {
	ims_diff_fn *diff;
	void *arg;
	struct ims_map *pos, *polines;
	struct ims_map *lines;		/* order US line -> wline */
	struct ims_map *res;		/* order US line US sku US loc US trk */
	struct ims_map *bal;		/* sku US loc US trk -> wbal */
	long resv_rows;
};


static const char *
qty(ims_dec v)
{
	static char b[2][IMS_DEC_BUF];
	static int i;

	return ims_dec_fmt(v, IMS_QTY, b[i++ & 1]);
}

struct ims_ocheck *
ims_ocheck_new(ims_diff_fn *diff, void *arg)
{
	struct ims_ocheck *c = ims_must(calloc(1, sizeof *c));

	c->diff = diff;
	c->arg = arg;
	c->lines = ims_must(ims_map_new());
	c->res = ims_must(ims_map_new());
	c->bal = ims_must(ims_map_new());
	c->pos = ims_must(ims_map_new());
	c->polines = ims_must(ims_map_new());
	return c;
}

static void
free_line(void *p)
{
	struct wline *w = p;

	for (int i = 0; i < w->ncomp; i++)
		free(w->comp[i].sku);
	free(w);
}

void
ims_ocheck_free(struct ims_ocheck *c)
{
	if (!c)
		return;
	ims_map_free(c->lines, free_line);
	ims_map_free(c->res, free);
	ims_map_free(c->bal, free);
	ims_map_free(c->pos, free);
	ims_map_free(c->polines, free);
	free(c);
}

/* Map keys: parts joined by a unit separator, in rotating buffers, so
 * that one key may be built of others. */
static const char *
key2(const char *a, const char *b)
{
	static char k[4][4 * IMS_ID_MAX + 4];
	static int i;
	char *p = k[i++ & 3];

	snprintf(p, sizeof k[0], "%s\x1f%s", a, b);
	return p;
}

static const char *
key3(const char *a, const char *b, const char *c)
{
	static char k[2][6 * IMS_ID_MAX + 6];
	static int i;
	char *p = k[i++ & 1];

	snprintf(p, sizeof k[0], "%s\x1f%s\x1f%s", a, b, c);
	return p;
}

static void
add_comp(struct wline *w, const char *sku, ims_dec per)
{
	if (w->ncomp == IMS_COMP_MAX)
		return;
	w->comp[w->ncomp].sku = ims_must(strdup(sku));
	w->comp[w->ncomp++].per = per;
}

/* The components an order entry recorded, or the sku itself. */
static void
line_comps(struct wline *w, const struct ims_rec *r, const char *sku)
{
	const struct ims_field *f = ims_rec_field(r, "components");
	cJSON *a, *e;

	if (!f || f->type != IMS_F_RAW) {
		add_comp(w, sku, 1000);
		return;
	}
	w->flags |= IMS_OL_KIT;
	a = cJSON_ParseWithLength(f->val, f->len);
	cJSON_ArrayForEach(e, a) {
		cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "sku");
		char *q = cJSON_PrintUnformatted(
		    cJSON_GetObjectItemCaseSensitive(e, "qty"));
		ims_dec per = 0;

		if (cJSON_IsString(s) && q &&
		    !ims_dec_parse(q, strlen(q), IMS_QTY, &per))
			add_comp(w, s->valuestring, per);
		cJSON_free(q);
	}
	cJSON_Delete(a);
}

static struct wline *
line_of(struct ims_ocheck *c, const char *order, const char *line,
    uint64_t seq)
{
	struct wline *w = order && line ?
	    ims_map_get(c->lines, key2(order, line)) : NULL;
	char nb[24];

	if (!w) {
		ims_put_digits(nb, seq, 1);
		c->diff(c->arg, "orders", nb, "an entry for an unknown line",
		    "a line ordered before it");
	}
	return w;
}

static int
comp_of(struct wline *w, const char *sku)
{
	for (int i = 0; i < w->ncomp; i++)
		if (strcmp(w->comp[i].sku, sku) == 0)
			return i;
	return -1;
}

/* Change a reservation, its balance's allocated figure and the line. */
static void
reserve(struct ims_ocheck *c, const struct ims_entry *e, const char *order,
    const char *line, ims_dec delta, ims_dec shipped)
{
	struct wline *w = line_of(c, order, line, e->seq);
	const char *b = key3(e->sku, e->from, e->trk);
	void **slot;
	int isnew, k;

	if (!w || (k = comp_of(w, e->sku)) < 0)
		return;
	w->comp[k].reserved += delta;
	w->comp[k].shipped += shipped;
	if (delta == 0)
		return;
	slot = ims_map_slot(c->bal, b, &isnew);
	if (isnew)
		*slot = ims_must(calloc(1, sizeof(struct wbal)));
	((struct wbal *)*slot)->allocated += delta;
	((struct wbal *)*slot)->hist += delta;
	((struct wbal *)*slot)->rows++;
	slot = ims_map_slot(c->res, key3(key2(order, line), e->sku,
	    key2(e->from, e->trk)), &isnew);
	if (isnew)
		*slot = ims_must(calloc(1, sizeof(ims_dec)));
	*(ims_dec *)*slot += delta;
	if (*(ims_dec *)*slot < 0)
		c->diff(c->arg, "reserves", key2(order, line), qty(delta),
		    "no more released than reserved");
}

/* An order entry (a line, or a cancellation) or a reserve or release. */
void
ims_ocheck_entry(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r)
{
	const char *order = ims_rec_str(r, "order"), *line;
	const char *op = ims_rec_str(r, "op"), *why;
	void **slot;
	size_t it = 0;
	const char *mk;
	void *val;
	int isnew;

	line = ims_rec_str(r, "line");
	if (e->kind == IMS_KIND_ORDER && op && strcmp(op, "expire") == 0) {
		struct wline *w = line_of(c, order, line, e->seq);

		if (w)
			w->flags |= IMS_OL_EXPIRED;
		return;
	}
	if (e->kind == IMS_KIND_ORDER && op && strcmp(op, "cancel") == 0) {
		while (ims_map_each(c->lines, &it, &mk, &val))
			if (!strncmp(mk, order, strlen(order)) &&
			    mk[strlen(order)] == '\x1f')
				((struct wline *)val)->flags |=
				    IMS_OL_CANCELLED;
		return;
	}
	if (e->kind == IMS_KIND_ORDER) {
		slot = ims_map_slot(c->lines, key2(e->from, e->to), &isnew);
		if (!isnew) {
			c->diff(c->arg, "orders", key2(e->from, e->to),
			    "ordered twice", "once");
			return;
		}
		*slot = ims_must(calloc(1, sizeof(struct wline)));
		((struct wline *)*slot)->wanted = e->qty;
		line_comps(*slot, r, e->sku);
		return;
	}
	if (e->kind == IMS_KIND_RESERVE)
		reserve(c, e, order, line, e->qty, 0);
	else if (e->kind == IMS_KIND_RELEASE) {
		struct wline *w;

		reserve(c, e, order, line, -e->qty, 0);
		why = ims_rec_str(r, "reason");
		if (why && strcmp(why, "expired") == 0 &&
		    (w = line_of(c, order, line, e->seq)))
			w->flags |= IMS_OL_EXPIRED;
	}
}

/* A shipment for an order line consumes its reservation there, up to
 * its qty, as the posting did. */
void
ims_ocheck_ship(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r)
{
	const char *order = ims_rec_str(r, "order");
	const char *line = ims_rec_str(r, "line");
	ims_dec *have, mine;
	const char *k;

	if (!order)
		return;
	k = key3(key2(order, line ? line : ""), e->sku, key2(e->from, e->trk));
	have = ims_map_get(c->res, k);
	mine = have && *have < e->qty ? *have : have ? e->qty : 0;
	reserve(c, e, order, line, -mine, e->qty);
}

static int
line_row(void *arg, const struct ims_oline *l)
{
	struct ims_ocheck *c = arg;
	const char *k = key2(l->order, l->line);
	struct wline *w = ims_map_get(c->lines, k);

	if (!w) {
		c->diff(c->arg, "orders", k, "a line", "no order entry");
		return IMS_OK;
	}
	w->seen = 1;
	if (w->wanted != l->wanted || w->flags != l->flags ||
	    w->ncomp != l->ncomp)
		c->diff(c->arg, "orders", k, "differs", "what its entries say");
	for (int i = 0; i < l->ncomp && i < w->ncomp; i++)
		if (strcmp(w->comp[i].sku, l->comp[i].sku) ||
		    w->comp[i].reserved != l->comp[i].reserved ||
		    w->comp[i].shipped != l->comp[i].shipped)
			c->diff(c->arg, "orders", k, qty(l->comp[i].reserved),
			    qty(w->comp[i].reserved));
	return IMS_OK;
}

static int
resv_row(void *arg, const struct ims_resv *r, ims_dec q)
{
	struct ims_ocheck *c = arg;
	const char *k = key3(key2(r->order, r->line), r->sku,
	    key2(r->loc, r->trk));
	ims_dec *w = ims_map_get(c->res, k);

	c->resv_rows++;
	if (!w || *w != q)
		c->diff(c->arg, "reserves", k, qty(q), w ? qty(*w) :
		    "no reservation");
	return IMS_OK;
}

static int
bal_row(void *arg, const struct ims_balance *b)
{
	struct ims_ocheck *c = arg;
	const char *k = key3(b->sku, b->loc, b->trk);
	struct wbal *w = ims_map_get(c->bal, k);
	ims_dec want = w ? w->allocated : 0;

	if (w)
		w->seen = 1;
	if (b->b.allocated != want)
		c->diff(c->arg, "allocated", k, qty(b->b.allocated),
		    qty(want));
	return IMS_OK;
}

/* The history of allocated: per balance, its rows sum to it. */
struct arows {
	struct ims_ocheck *c;
	char run[IMS_KEY_MAX + 1];
	ims_dec sum;
	long rows;
};

static void
arun(struct arows *a)
{
	struct wbal *w;

	if (!a->rows)
		return;
	w = ims_map_get(a->c->bal, a->run);
	if (!w || w->hist != a->sum || w->rows != a->rows)
		a->c->diff(a->c->arg, "allocs", a->run, qty(a->sum),
		    w ? qty(w->hist) : "no reservations");
}

static int
alloc_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct arows *a = arg;
	char key[IMS_KEY_MAX + 1];
	const char *p = k->p;
	size_t n = 0;
	ims_dec d;

	if (k->n < 19 || v->n != 8)
		return ims_damaged("an allocs row of %zu bytes", v->n);
	for (size_t i = 0; i < k->n - 16 && n < sizeof key - 1; i++)
		key[n++] = p[i] ? p[i] : '\x1f';
	key[n ? n - 1 : 0] = '\0';
	if (strcmp(key, a->run) != 0) {
		arun(a);
		snprintf(a->run, sizeof a->run, "%s", key);
		a->sum = a->rows = 0;
	}
	memcpy(&d, v->p, 8);
	a->sum += d;
	a->rows++;
	return IMS_OK;
}

/* Compare ORDERS, RESERVES, ALLOCS and the balances' allocated with
 * what the entries say. */
int
ims_ocheck_run(struct ims_ocheck *c, struct ims_txn *t)
{
	struct arows a = { .c = c };
	size_t it = 0, want = 0;
	const char *mk;
	void *val;
	int rc;

	if ((rc = ims_each_oline(t, NULL, line_row, c)) ||
	    (rc = ims_each_resv(t, NULL, NULL, resv_row, c)) ||
	    (rc = ims_each_balance(t, NULL, bal_row, c)) ||
	    (rc = ims_each_row(t, IMS_DB_ALLOCS, NULL, alloc_row, &a)))
		return rc;
	arun(&a);
	while (ims_map_each(c->lines, &it, &mk, &val))
		if (!((struct wline *)val)->seen)
			c->diff(c->arg, "orders", mk, "missing", "a line");
	for (it = 0; ims_map_each(c->res, &it, &mk, &val);)
		want += *(ims_dec *)val != 0;
	if ((size_t)c->resv_rows != want)
		c->diff(c->arg, "reserves", "count", qty(c->resv_rows * 1000),
		    qty(want * 1000));
	return IMS_OK;
}

/* A po entry: a draft and its lines, or a change of its status. */
void
ims_ocheck_po(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r)
{
	const char *op = ims_rec_str(r, "op"), *id = ims_rec_str(r, "po");
	const struct ims_field *f = ims_rec_field(r, "lines");
	struct wpo *w;
	void **slot;
	int isnew;

	if (!op || !id)
		return;
	slot = ims_map_slot(c->pos, id, &isnew);
	if (strcmp(op, "create") == 0) {
		cJSON *a, *l;

		if (!isnew) {
			c->diff(c->arg, "pos", id, "drafted twice", "once");
			return;
		}
		w = *slot = ims_must(calloc(1, sizeof *w));
		w->created = e->ts;
		w->approved = w->ended = IMS_TIME_NONE;
		a = f && f->type == IMS_F_RAW ?
		    cJSON_ParseWithLength(f->val, f->len) : NULL;
		cJSON_ArrayForEach(l, a) {
			cJSON *ln = cJSON_GetObjectItemCaseSensitive(l, "line");
			char *q = cJSON_PrintUnformatted(
			    cJSON_GetObjectItemCaseSensitive(l, "qty"));
			struct wpoline *pl;
			void **ls;

			if (cJSON_IsString(ln) && q) {
				ls = ims_map_slot(c->polines,
				    key2(id, ln->valuestring), &isnew);
				pl = *ls = ims_must(calloc(1, sizeof *pl));
				ims_dec_parse(q, strlen(q), IMS_QTY, &pl->qty);
				pl->last = IMS_TIME_NONE;
				w->nlines++;
				w->open++;
			}
			cJSON_free(q);
		}
		cJSON_Delete(a);
		return;
	}
	if (!(w = *slot)) {
		c->diff(c->arg, "pos", id, "a change", "a draft before it");
		return;
	}
	if (strcmp(op, "approve") == 0) {
		w->status = IMS_PO_APPROVED;
		w->approved = e->ts;
	} else {
		w->status = strcmp(op, "cancel") == 0 ? IMS_PO_CANCELLED :
		    IMS_PO_CLOSED;
		w->ended = e->ts;
	}
}

/* A receipt against a po line. */
void
ims_ocheck_receipt(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r)
{
	const char *id = ims_rec_str(r, "po"), *line = ims_rec_str(r,
	    "po_line");
	struct wpoline *l;
	struct wpo *w;

	if (!id || !line || strcmp(e->from, "@supplier") != 0)
		return;
	if (!(l = ims_map_get(c->polines, key2(id, line))) ||
	    !(w = ims_map_get(c->pos, id))) {
		c->diff(c->arg, "polines", key2(id, line), "a receipt",
		    "a po line drafted before it");
		return;
	}
	if (l->received < l->qty && l->received + e->qty >= l->qty &&
	    --w->open == 0) {
		w->status = IMS_PO_RECEIVED;
		w->ended = e->ts;
	}
	l->received += e->qty;
	if (l->last == IMS_TIME_NONE || e->ts > l->last)
		l->last = e->ts;
}

static int
po_row(void *arg, const struct ims_po *po)
{
	struct ims_ocheck *c = arg;
	struct wpo *w = ims_map_get(c->pos, po->id);

	if (!w) {
		c->diff(c->arg, "pos", po->id, "a po", "no entry");
		return IMS_OK;
	}
	w->seen = 1;
	if (w->status != po->status || w->nlines != po->nlines ||
	    w->created != po->created || w->approved != po->approved ||
	    w->ended != po->ended)
		c->diff(c->arg, "pos", po->id, ims_po_status_names[po->status],
		    ims_po_status_names[w->status]);
	return IMS_OK;
}

static int
poline_row(void *arg, const struct ims_poline *l)
{
	struct ims_ocheck *c = arg;
	const char *k = key2(l->po, l->line);
	struct wpoline *w = ims_map_get(c->polines, k);

	if (!w) {
		c->diff(c->arg, "polines", k, "a line", "no entry");
		return IMS_OK;
	}
	w->seen = 1;
	if (w->qty != l->qty || w->received != l->received ||
	    w->last != l->last_receipt || (w->received >= w->qty) != l->done)
		c->diff(c->arg, "polines", k, qty(l->received),
		    qty(w->received));
	return IMS_OK;
}

/* Compare POS and POLINES with what the entries say. */
int
ims_ocheck_pos(struct ims_ocheck *c, struct ims_txn *t)
{
	size_t it = 0;
	const char *mk;
	void *val;
	int rc;

	if ((rc = ims_each_po(t, po_row, c)) ||
	    (rc = ims_each_poline(t, NULL, poline_row, c)))
		return rc;
	while (ims_map_each(c->pos, &it, &mk, &val))
		if (!((struct wpo *)val)->seen)
			c->diff(c->arg, "pos", mk, "missing", "a po");
	for (it = 0; ims_map_each(c->polines, &it, &mk, &val);)
		if (!((struct wpoline *)val)->seen)
			c->diff(c->arg, "polines", mk, "missing", "a line");
	return IMS_OK;
}
