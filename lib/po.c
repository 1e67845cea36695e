/*
 * po.c: purchase orders, the po kind of entry.  A PO is drafted with its
 * lines, approved, and received against (receipts are movements naming
 * the po and its line), and ends received in full, cancelled or closed;
 * each change is an entry.  POS holds each PO's header, POLINES its
 * lines with what was received, so that open PO quantities count as on
 * order and lead times can be measured from approval to receipt.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

const char *const ims_po_status_names[] = { "draft", "approved",
	"received", "cancelled", "closed", NULL };

const char *const ims_po_cols[] = { "po", "supplier", "status", "lines",
	"qty", "received", "value", "created", "approved", "ended", "ref",
	NULL };
const char *const ims_poline_cols[] = { "po", "line", "sku", "qty",
	"received", "open", "unit_cost", "due", "status", NULL };

/* The stored header; supplier and ref follow as C strings. */
struct hdr {
	int64_t created, approved, ended;
	uint32_t status, nlines;
};

/* The stored line; its sku follows. */
struct lrec {
	int64_t qty, received, unit_cost, due, last_receipt;
	uint32_t has_cost, done;
};


static void
po_key(struct ims_key *k, const char *po, const char *line)
{
	ims_key_init(k);
	ims_key_str(k, po);
	if (line)
		ims_key_str(k, line);
}


static int
decode_po(const struct ims_val *v, struct ims_po *po)
{
	const char *p = v->p, *end = p + v->n;
	struct hdr h;

	if (v->n < sizeof h)
		return ims_damaged("a purchase order of %zu bytes", v->n);
	memcpy(&h, p, sizeof h);
	p += sizeof h;
	po->created = h.created, po->approved = h.approved;
	po->ended = h.ended, po->status = h.status, po->nlines = h.nlines;
	if (!(po->supplier = ims_next_str(&p, end)) ||
	    !(po->ref = ims_next_str(&p, end)) || po->status > IMS_PO_CLOSED)
		return ims_damaged("purchase order %s is damaged",
		    ims_q(po->id));
	if (!*po->ref)
		po->ref = NULL;
	return IMS_OK;
}

/* A PO's header (its strings valid until the next write). */
int
ims_po_get(struct ims_txn *t, const char *id, struct ims_po *po)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	memset(po, 0, sizeof *po);
	po->id = id;
	if (strlen(id) > IMS_ID_MAX)
		return IMS_ENOTFOUND;
	po_key(&k, id, NULL);
	if ((rc = ims_get(t, IMS_DB_POS, &k, &v)))
		return rc;
	return decode_po(&v, po);
}

static int
put_po(struct ims_journal *j, const struct ims_po *po)
{
	struct hdr h = { po->created, po->approved, po->ended, po->status,
		po->nlines };
	struct ims_buf b = { 0 };
	struct ims_key k;
	int rc;

	ims_buf_add(&b, &h, sizeof h);
	ims_buf_add(&b, po->supplier, strlen(po->supplier) + 1);
	ims_buf_add(&b, po->ref ? po->ref : "", strlen(po->ref ?
	    po->ref : "") + 1);
	po_key(&k, po->id, NULL);
	rc = ims_put(j->t, IMS_DB_POS, &k, b.p, b.n, 0);
	ims_buf_free(&b);
	return rc;
}

static int
decode_line(const struct ims_val *k, const struct ims_val *v,
    struct ims_poline *l)
{
	const char *kp = k->p, *kend = kp + k->n, *p = v->p;
	struct lrec r;

	memset(l, 0, sizeof *l);
	if (v->n <= sizeof r || !(l->po = ims_next_str(&kp, kend)) ||
	    !(l->line = ims_next_str(&kp, kend)) ||
	    memchr(p + sizeof r, '\0', v->n - sizeof r) == NULL)
		return ims_damaged("a purchase order line is damaged");
	memcpy(&r, p, sizeof r);
	l->sku = p + sizeof r;
	l->qty = r.qty, l->received = r.received;
	l->unit_cost = r.unit_cost, l->has_cost = r.has_cost;
	l->due = r.due, l->last_receipt = r.last_receipt, l->done = r.done;
	return IMS_OK;
}

static int
put_line(struct ims_journal *j, const struct ims_poline *l)
{
	struct lrec r = { l->qty, l->received, l->unit_cost, l->due,
		l->last_receipt, l->has_cost, l->done };
	struct ims_buf b = { 0 };
	struct ims_key k;
	int rc;

	ims_buf_add(&b, &r, sizeof r);
	ims_buf_add(&b, l->sku, strlen(l->sku) + 1);
	po_key(&k, l->po, l->line);
	rc = ims_put(j->t, IMS_DB_POLINES, &k, b.p, b.n, 0);
	ims_buf_free(&b);
	return rc;
}

int
ims_poline_get(struct ims_txn *t, const char *po, const char *line,
    struct ims_poline *l)
{
	struct ims_key k;
	struct ims_val v, kv;
	int rc;

	if (strlen(po) > IMS_ID_MAX || strlen(line) > IMS_ID_MAX)
		return IMS_ENOTFOUND;
	po_key(&k, po, line);
	if ((rc = ims_get(t, IMS_DB_POLINES, &k, &v)))
		return rc;
	kv.p = k.b, kv.n = k.n;
	if ((rc = decode_line(&kv, &v, l)))
		return rc;
	l->po = po, l->line = line;
	return IMS_OK;
}

struct each_line {
	ims_poline_fn *fn;
	void *arg;
};

static int
line_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct each_line *el = arg;
	struct ims_poline l;
	int rc;

	if ((rc = decode_line(k, v, &l)))
		return rc;
	return el->fn(el->arg, &l);
}

/* The lines of a PO (of every PO, with po NULL), in key order. */
int
ims_each_poline(struct ims_txn *t, const char *po, ims_poline_fn *fn,
    void *arg)
{
	struct each_line el = { fn, arg };
	struct ims_key k;

	if (po)
		po_key(&k, po, NULL);
	return ims_each_row(t, IMS_DB_POLINES, po ? &k : NULL, line_row, &el);
}

struct each_po {
	ims_po_fn *fn;
	void *arg;
};

static int
po_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct each_po *ep = arg;
	struct ims_po po;
	int rc;

	memset(&po, 0, sizeof po);
	po.id = k->p;
	if (!memchr(k->p, '\0', k->n))
		return ims_damaged("a purchase order key is damaged");
	if ((rc = decode_po(v, &po)))
		return rc;
	return ep->fn(ep->arg, &po);
}

int
ims_each_po(struct ims_txn *t, ims_po_fn *fn, void *arg)
{
	struct each_po ep = { fn, arg };

	return ims_each_row(t, IMS_DB_POS, NULL, po_row, &ep);
}

/* Is a PO open: drafted or approved, not ended? */
int
ims_po_open(const struct ims_po *po)
{
	return po->status == IMS_PO_DRAFT || po->status == IMS_PO_APPROVED;
}

/* The entry of a change: {"kind":"po","op","po",...}. */
static void
render(struct ims_journal *j, const char *op, const struct ims_po *po,
    ims_time ts)
{
	ims_entry_open(j, ts);
	ims_buf_kv_str(&j->json, "kind", "po");
	ims_buf_kv_str(&j->json, "op", op);
	ims_buf_kv_str(&j->json, "po", po->id);
	if (strcmp(op, "create") == 0) {
		ims_buf_kv_str(&j->json, "supplier", po->supplier);
		ims_buf_kv_str(&j->json, "ref", po->ref);
	}
}

static int
append(struct ims_journal *j, const struct ims_po *po, const char *actor,
    const char *want, ims_time ts)
{
	struct ims_entry e = { .kind = IMS_KIND_PO, .ts = ts, .sku = po->id,
		.from = po->supplier, .to = "", .trk = "" };

	ims_buf_kv_str(&j->json, "actor", actor ? actor : j->actor);
	return ims_journal_append(j, &e, want);
}

/* One line of a draft as the entry writes it. */
static void
render_line(struct ims_buf *b, const struct ims_poline *l, int first)
{
	char nb[IMS_DEC_BUF], tb[IMS_TIME_BUF];

	ims_buf_adds(b, first ? "{" : ",{");
	ims_buf_json_str(b, "line", 4);
	ims_buf_addc(b, ':');
	ims_buf_json_str(b, l->line, strlen(l->line));
	ims_buf_kv_str(b, "sku", l->sku);
	ims_buf_kv_raw(b, "qty", ims_fmtq(l->qty));
	if (l->has_cost)
		ims_buf_kv_raw(b, "unit_cost", ims_dec_fmt(l->unit_cost,
		    IMS_MONEY, nb));
	if (l->due != IMS_TIME_NONE)
		ims_buf_kv_str(b, "due", ims_date_fmt(l->due, tb));
	ims_buf_addc(b, '}');
}

/* Check a draft's lines: known skus, positive quantities, lines named
 * once. */
static int
check_lines(struct ims_journal *j, const struct ims_poline *v, size_t n)
{
	struct ims_key k;
	struct ims_val val;
	int rc;

	if (n == 0)
		return ims_seterr(IMS_EREJECT, "a purchase order needs lines");
	for (size_t i = 0; i < n; i++) {
		if (v[i].qty <= 0)
			return ims_seterr(IMS_EREJECT, "line %s: qty must be "
			    "positive", ims_q(v[i].line));
		for (size_t x = 0; x < i; x++)
			if (strcmp(v[x].line, v[i].line) == 0)
				return ims_seterr(IMS_EREJECT, "line %s is "
				    "given twice", ims_q(v[i].line));
		ims_key_init(&k);
		ims_key_str(&k, v[i].sku);
		if ((rc = ims_get(j->t, IMS_DB_ITEMS, &k, &val)) ==
		    IMS_ENOTFOUND)
			return ims_seterr(IMS_EREJECT, "unknown sku %s",
			    ims_q(v[i].sku));
		if (rc)
			return rc;
	}
	return IMS_OK;
}

/*
 * Draft a PO for a supplier with n lines.  A PO of that id posted
 * before with the same ref is skipped (a nightly run again); any other
 * PO of that id is refused.
 */
int
ims_po_create(struct ims_journal *j, struct ims_po *po,
    const struct ims_poline *v, size_t n, const char *actor,
    const char *want, ims_time ts)
{
	struct ims_po have;
	struct ims_key k;
	struct ims_val val;
	int rc;

	if ((rc = ims_check_id("po", po->id)))
		return rc;
	if ((rc = ims_po_get(j->t, po->id, &have)) == IMS_OK)
		return po->ref && have.ref && strcmp(po->ref, have.ref) == 0 ?
		    ims_seterr(IMS_ESKIP, "po %s was drafted by ref %s before: "
		    "skipped", ims_q(po->id), ims_q(po->ref)) :
		    ims_seterr(IMS_EREJECT, "po %s exists", ims_q(po->id));
	if (rc != IMS_ENOTFOUND)
		return rc;
	ims_key_init(&k);
	ims_key_str(&k, po->supplier);
	if ((rc = ims_get(j->t, IMS_DB_SUPPLIERS, &k, &val)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "unknown supplier %s",
		    ims_q(po->supplier));
	if (rc || (rc = check_lines(j, v, n)))
		return rc;
	render(j, "create", po, ts);
	ims_buf_adds(&j->json, ",\"lines\":[");
	for (size_t i = 0; i < n; i++)
		render_line(&j->json, &v[i], i == 0);
	ims_buf_addc(&j->json, ']');
	if ((rc = append(j, po, actor, want, ts)))
		return rc;
	po->status = IMS_PO_DRAFT;
	po->created = ts;
	po->approved = po->ended = IMS_TIME_NONE;
	po->nlines = n;
	for (size_t i = 0; i < n; i++) {
		struct ims_poline l = v[i];

		l.po = po->id;
		l.received = 0, l.done = 0;
		l.last_receipt = IMS_TIME_NONE;
		if ((rc = put_line(j, &l)))
			return rc;
	}
	return put_po(j, po);
}

/* Approve, cancel or close a PO: op names the change. */
int
ims_po_change(struct ims_journal *j, const char *id, const char *op,
    const char *actor, const char *want, ims_time ts)
{
	static const char *const ops[] = { "approve", "cancel", "close",
		NULL };
	struct ims_po po;
	char sup[IMS_ID_MAX + 1];
	int rc, k;

	for (k = 0; ops[k] && strcmp(ops[k], op); k++)
		;
	if (!ops[k])
		return ims_seterr(IMS_EREJECT, "po %s: unknown change %s",
		    ims_q(id), ims_q(op));
	if ((rc = ims_po_get(j->t, id, &po)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "unknown po %s", ims_q(id));
	if (rc)
		return rc;
	if (!ims_po_open(&po))
		return ims_seterr(IMS_EREJECT, "po %s is %s: it cannot be %s",
		    ims_q(id), ims_po_status_names[po.status], k == 0 ?
		    "approved" : k == 1 ? "cancelled" : "closed");
	if (k == 0 && po.status == IMS_PO_APPROVED)
		return ims_seterr(IMS_ESKIP, "po %s is approved already: "
		    "skipped", ims_q(id));
	snprintf(sup, sizeof sup, "%s", po.supplier);
	po.supplier = sup;
	po.ref = NULL;
	render(j, op, &po, ts);
	if ((rc = append(j, &po, actor, want, ts)))
		return rc;
	/* the header's ref is kept: read it again */
	if ((rc = ims_po_get(j->t, id, &po)))
		return rc;
	snprintf(sup, sizeof sup, "%s", po.supplier);
	po.supplier = sup;
	{
		char ref[IMS_ID_MAX + 1];

		snprintf(ref, sizeof ref, "%s", po.ref ? po.ref : "");
		po.ref = *ref ? ref : NULL;
		if (k == 0)
			po.approved = ts;
		else {
			po.status = k == 1 ? IMS_PO_CANCELLED : IMS_PO_CLOSED;
			po.ended = ts;
		}
		if (k == 0)
			po.status = IMS_PO_APPROVED;
		return put_po(j, &po);
	}
}

struct find {
	const char *sku;
	char line[IMS_ID_MAX + 1];
	int any, open;
	ims_dec qty;		/* what the receipt brings */
	int64_t tol;
	char fit[IMS_ID_MAX + 1];	/* the first open line it fits in */
};

/* What a line may receive in all: its qty and tol (4 places) more. */
static ims_wide
line_limit(const struct ims_poline *l, int64_t tol)
{
	return (ims_wide)l->qty * (10000 + tol) / 10000;
}

static int
find_row(void *arg, const struct ims_poline *l)
{
	struct find *f = arg;

	if (strcmp(l->sku, f->sku) != 0)
		return IMS_OK;
	if (!*f->fit && !l->done &&
	    (ims_wide)l->received + f->qty <= line_limit(l, f->tol))
		snprintf(f->fit, sizeof f->fit, "%s", l->line);
	if (!f->any || (!f->open && !l->done)) {
		snprintf(f->line, sizeof f->line, "%s", l->line);
		f->any = 1;
		f->open = !l->done;
	}
	return IMS_OK;
}

/*
 * A receipt against a PO: the PO must be approved and open, the line (the
 * one named, else the first open line for the sku that can take it all,
 * else the first open one, else the first) must be for the sku,
 * and what it brings in may pass what is left by tol (a share, 4
 * places: 500 is 5%).  line gets the line's name.
 */
int
ims_po_check_receipt(struct ims_txn *t, const char *id, const char *want,
    const char *sku, ims_dec qty, int64_t tol, char *line, size_t size)
{
	struct ims_po po;
	struct ims_poline l;
	struct find f = { sku, "", 0, 0, qty, tol, "" };
	ims_wide limit;
	int rc;

	if ((rc = ims_po_get(t, id, &po)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "unknown po %s", ims_q(id));
	if (rc)
		return rc;
	if (po.status != IMS_PO_APPROVED)
		return ims_seterr(IMS_EREJECT, "po %s is %s, not approved: "
		    "nothing can be received against it", ims_q(id),
		    ims_po_status_names[po.status]);
	if (!want) {
		if ((rc = ims_each_poline(t, id, find_row, &f)))
			return rc;
		if (!f.any)
			return ims_seterr(IMS_EREJECT, "po %s has no line for "
			    "sku %s", ims_q(id), ims_q(sku));
		want = *f.fit ? f.fit : f.line;
	}
	snprintf(line, size, "%s", want);
	if ((rc = ims_poline_get(t, id, line, &l)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "po %s has no line %s",
		    ims_q(id), ims_q(line));
	if (rc)
		return rc;
	if (strcmp(l.sku, sku) != 0)
		return ims_seterr(IMS_EREJECT, "po %s line %s is for sku %s, "
		    "not %s", ims_q(id), ims_q(line), ims_q(l.sku), ims_q(sku));
	limit = line_limit(&l, tol);
	if ((ims_wide)l.received + qty > limit)
		return ims_seterr(IMS_EREJECT, "po %s line %s: %s received "
		    "would pass the %s ordered%s", ims_q(id), ims_q(line),
		    ims_fmtq(l.received + qty), ims_fmtq(l.qty), tol ? " and its "
		    "tolerance" : "");
	return IMS_OK;
}

static int
open_line(void *arg, const struct ims_poline *l)
{
	(void)l;
	*(int *)arg += !l->done;
	return IMS_OK;
}

/* A receipt checked by ims_po_check_receipt is posted: the line takes
 * it, is done when complete, and the PO is received when all are. */
int
ims_po_receive(struct ims_journal *j, const char *id, const char *line,
    ims_dec qty, ims_time ts)
{
	struct ims_poline l;
	struct ims_po po;
	char sku[IMS_ID_MAX + 1], sup[IMS_ID_MAX + 1], ref[IMS_ID_MAX + 1];
	int rc, open = 0;

	if ((rc = ims_poline_get(j->t, id, line, &l)))
		return rc;
	snprintf(sku, sizeof sku, "%s", l.sku);
	l.sku = sku;
	l.received += qty;
	if (l.last_receipt == IMS_TIME_NONE || ts > l.last_receipt)
		l.last_receipt = ts;
	l.done = l.received >= l.qty;
	if ((rc = put_line(j, &l)) ||
	    (rc = ims_each_poline(j->t, id, open_line, &open)))
		return rc;
	if (open || (rc = ims_po_get(j->t, id, &po)))
		return rc;
	snprintf(sup, sizeof sup, "%s", po.supplier);
	snprintf(ref, sizeof ref, "%s", po.ref ? po.ref : "");
	po.supplier = sup;
	po.ref = *ref ? ref : NULL;
	po.status = IMS_PO_RECEIVED;
	po.ended = ts;
	return put_po(j, &po);
}

struct listing {
	struct ims_txn *t;
	struct ims_out *o;
	int open;
	const char *supplier, *ref;
	struct ims_rec rec;
	ims_wide qty, received, value;
};

static int
sum_line(void *arg, const struct ims_poline *l)
{
	struct listing *x = arg;

	x->qty += l->qty;
	x->received += l->received;
	if (l->has_cost)
		x->value += (ims_wide)l->qty * l->unit_cost / 1000;
	return IMS_OK;
}


static void
add_time(struct ims_rec *r, const char *name, ims_time t)
{
	char tb[IMS_TIME_BUF];

	if (t != IMS_TIME_NONE)
		ims_rec_adds(r, name, ims_time_fmt(t, tb));
}

static int
list_row(void *arg, const struct ims_po *po)
{
	struct listing *x = arg;
	struct ims_rec *r = &x->rec;
	int rc;

	if ((x->open && !ims_po_open(po)) ||
	    (x->supplier && strcmp(x->supplier, po->supplier) != 0) ||
	    (x->ref && (!po->ref || strcmp(x->ref, po->ref) != 0)))
		return IMS_OK;
	x->qty = x->received = x->value = 0;
	if ((rc = ims_each_poline(x->t, po->id, sum_line, x)))
		return rc;
	ims_rec_reset(r);
	ims_rec_adds(r, "po", po->id);
	ims_rec_adds(r, "supplier", po->supplier);
	ims_rec_adds(r, "status", ims_po_status_names[po->status]);
	ims_rec_addn(r, "lines", po->nlines, 0);
	ims_rec_addw(r, "qty", x->qty, IMS_QTY);
	ims_rec_addw(r, "received", x->received, IMS_QTY);
	ims_rec_addw(r, "value", x->value, IMS_MONEY);
	add_time(r, "created", po->created);
	add_time(r, "approved", po->approved);
	add_time(r, "ended", po->ended);
	if (po->ref)
		ims_rec_adds(r, "ref", po->ref);
	ims_out_rec(x->o, r);
	return IMS_OK;
}

/* The POs, a row each with their totals; open: only drafted or
 * approved ones; supplier, ref: only its. */
int
ims_po_list(struct ims_txn *t, struct ims_out *o, int open,
    const char *supplier, const char *ref)
{
	struct listing x = { t, o, open, supplier, ref, { 0 }, 0, 0, 0 };
	int rc = ims_each_po(t, list_row, &x);

	ims_rec_free(&x.rec);
	return rc;
}

static int
show_row(void *arg, const struct ims_poline *l)
{
	struct listing *x = arg;
	struct ims_rec *r = &x->rec;
	char tb[IMS_TIME_BUF];

	ims_rec_reset(r);
	ims_rec_adds(r, "po", l->po);
	ims_rec_adds(r, "line", l->line);
	ims_rec_adds(r, "sku", l->sku);
	ims_rec_addn(r, "qty", l->qty, IMS_QTY);
	ims_rec_addn(r, "received", l->received, IMS_QTY);
	ims_rec_addn(r, "open", l->done || l->received >= l->qty ? 0 :
	    l->qty - l->received, IMS_QTY);
	if (l->has_cost)
		ims_rec_addn(r, "unit_cost", l->unit_cost, IMS_MONEY);
	if (l->due != IMS_TIME_NONE)
		ims_rec_adds(r, "due", ims_date_fmt(l->due, tb));
	ims_rec_adds(r, "status", l->done ? "received" : l->received > 0 ?
	    "partially received" : "open");
	ims_out_rec(x->o, r);
	return IMS_OK;
}

/* A PO's lines; an unknown PO is a rejection. */
int
ims_po_show(struct ims_txn *t, struct ims_out *o, const char *id)
{
	struct listing x = { t, o, 0, NULL, NULL, { 0 }, 0, 0, 0 };
	struct ims_po po;
	int rc;

	if ((rc = ims_po_get(t, id, &po)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "unknown po %s", ims_q(id));
	if (!rc)
		rc = ims_each_poline(t, id, show_row, &x);
	ims_rec_free(&x.rec);
	return rc;
}

/* The lines of an exported create entry, copied out of cJSON's arena
 * before anything else is read. */
static int
restore_lines(const struct ims_rec *r, struct ims_poline **vp, size_t *np,
    char **strs)
{
	const struct ims_field *f = ims_rec_field(r, "lines");
	struct ims_rec lr = { 0 };
	struct ims_buf sb = { 0 };
	struct ims_poline *v;
	size_t n = 0, i;
	const char *p, *end;
	int rc = IMS_OK;

	*vp = NULL, *np = 0, *strs = NULL;
	if (!f || f->type != IMS_F_RAW || f->val[0] != '[')
		return ims_seterr(IMS_EREJECT, "restore: a po without lines");
	for (p = f->val; *p; p++)
		n += *p == '{';
	if (!(v = calloc(n + 1, sizeof *v)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	/* each line is a flat object: read them one at a time */
	n = 0;
	for (p = strchr(f->val, '{'); !rc && p; p = strchr(end, '{')) {
		const char *q, *d;
		int has;

		if (!(end = strchr(p, '}')))
			break;
		ims_rec_reset(&lr);
		if (ims_rec_json(&lr, p, end + 1 - p) != 0) {
			rc = ims_seterr(IMS_EREJECT, "restore: a po line does "
			    "not parse");
			break;
		}
		v[n].line = (char *)(uintptr_t)sb.n;
		ims_buf_add(&sb, ims_rec_str(&lr, "line") ?
		    ims_rec_str(&lr, "line") : "", strlen(ims_rec_str(&lr,
		    "line") ? ims_rec_str(&lr, "line") : "") + 1);
		v[n].sku = (char *)(uintptr_t)sb.n;
		q = ims_rec_str(&lr, "sku");
		ims_buf_add(&sb, q ? q : "", strlen(q ? q : "") + 1);
		q = ims_rec_str(&lr, "qty");
		if (!q || ims_dec_parse(q, strlen(q), IMS_QTY, &v[n].qty))
			rc = ims_seterr(IMS_EREJECT, "restore: a po line "
			    "without its qty");
		if ((q = ims_rec_str(&lr, "unit_cost")))
			v[n].has_cost = !ims_dec_parse(q, strlen(q),
			    IMS_MONEY, &v[n].unit_cost);
		v[n].due = IMS_TIME_NONE;
		if ((d = ims_rec_str(&lr, "due")))
			ims_time_parse(d, strlen(d), &v[n].due);
		(void)has;
		n++;
		end++;
	}
	ims_rec_free(&lr);
	for (i = 0; i < n; i++) {
		v[i].line = sb.p + (uintptr_t)v[i].line;
		v[i].sku = sb.p + (uintptr_t)v[i].sku;
	}
	*vp = v, *np = n, *strs = sb.p;
	return rc;
}

/* Restore an exported po entry. */
int
ims_po_restore(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	const char *op = ims_rec_str(r, "op"), *id = ims_rec_str(r, "po");
	struct ims_po po = { 0 };
	struct ims_poline *v;
	char *strs;
	size_t n;
	int rc;

	if (!op || !id)
		return ims_seterr(IMS_EREJECT, "restore: a po entry needs op "
		    "and po");
	if (strcmp(op, "create") != 0)
		return ims_po_change(j, id, op, e->actor, e->hash, e->ts);
	po.id = id;
	po.supplier = ims_rec_str(r, "supplier");
	po.ref = ims_rec_str(r, "ref");
	if (!po.supplier)
		return ims_seterr(IMS_EREJECT, "restore: a po without its "
		    "supplier");
	if (!(rc = restore_lines(r, &v, &n, &strs)))
		rc = ims_po_create(j, &po, v, n, e->actor, e->hash, e->ts);
	free(v);
	free(strs);
	return rc;
}
