/*
 * check.c: every projection rebuilt from the journal and compared.  One
 * pass over the journal derives what each table should hold, each kind
 * of entry through its own replay (the first table below); then each
 * stored table has its own checker (the table at the end), so that a new
 * kind of entry adds one replay and its checkers, one line each.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "check.h"

/* What the journal says one balance should be. */
struct want_bal {
	int64_t on_hand, last_ts;
	long rows;		/* history rows */
	int serial;		/* the lot slot holds a serial */
	int seen;
};

/* What the journal says a ref should hold. */
struct want_ref {
	uint64_t seq;
	char fp[IMS_FP_LEN + 1];
};

struct check {
	struct ims_txn *t;
	ims_check_fn *report;
	void *arg;
	long ndiff, entries, movements, history_rows, late_rows;
	uint64_t last_seq;
	ims_time max_ts;
	char head[65];
	struct ims_map *bal, *refs, *lots;
	struct ims_map *master[IMS_KIND_COUNT];	/* key -> record JSON */
	struct ims_map *tracked;	/* sku -> how its movements track */
	struct ims_map *counts;		/* balance -> its last count */
	struct ims_rec rec, diff;
	struct ims_ocheck *orders;
};

static void
differ(struct check *c, const char *what, const char *key,
    const char *stored, const char *expected)
{
	c->ndiff++;
	ims_rec_reset(&c->diff);
	ims_rec_adds(&c->diff, "check", what);
	ims_rec_adds(&c->diff, "key", key);
	if (stored)
		ims_rec_adds(&c->diff, "stored", stored);
	if (expected)
		ims_rec_adds(&c->diff, "expected", expected);
	c->report(c->arg, &c->diff);
}

/* A map key from a store key of NUL-separated parts: "A-1/WH1/A/L1"
 * would be ambiguous, so the parts are joined with a unit separator. */
static char *
join(const void *p, size_t n, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < n && i + 1 < size; i++)
		buf[i] = ((const char *)p)[i] ? ((const char *)p)[i] : '\x1f';
	buf[i] = '\0';
	return buf;
}

/* For messages: the same key with spaces. */
static const char *
show(const char *key)
{
	static char b[2 * IMS_KEY_MAX + 2];

	snprintf(b, sizeof b, "%s", key);
	for (char *p = b; *p; p++)
		if (*p == '\x1f')
			*p = ' ';
	return b;
}

static const char *
qty(int64_t v)
{
	static char b[2][IMS_DEC_BUF];
	static int i;

	return ims_dec_fmt(v, IMS_QTY, b[i++ & 1]);
}

static const char *
num(uint64_t v)
{
	static char b[2][24];
	static int i;

	ims_put_digits(b[i & 1], v, 1);
	return b[i++ & 1];
}

static void
add_side(struct check *c, const struct ims_entry *e, const char *loc,
    int64_t delta, int serial)
{
	char k[IMS_KEY_MAX + 1];
	struct want_bal *w;
	void **slot;
	int isnew;

	if (ims_is_virtual(loc))
		return;
	snprintf(k, sizeof k, "%s\x1f%s\x1f%s", e->sku, loc, e->trk);
	slot = ims_map_slot(c->bal, k, &isnew);
	if (isnew && !(*slot = calloc(1, sizeof *w))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	w = *slot;
	if (isnew)
		w->last_ts = INT64_MIN;
	w->on_hand += delta;
	w->rows++;
	w->serial = serial;
	if (e->ts > w->last_ts)
		w->last_ts = e->ts;
	c->history_rows++;
}

/* The entry's link in the hash chain. */
static void
check_link(struct check *c, const struct ims_entry *e)
{
	char want[65];
	const char *got;
	size_t body;

	if (ims_entry_hash(e, &got, &body) != IMS_OK) {
		differ(c, "chain", num(e->seq), "no hash", NULL);
		return;
	}
	ims_chain_link(c->head, e->json, body, want);
	if (memcmp(want, got, 64) != 0)
		differ(c, "chain", num(e->seq), "altered",
		    "the hash of the entry before and this one");
	memcpy(c->head, got, 64);
}


/* What an entry's JSON says of its ref. */
static void
take_ref(struct check *c, const struct ims_entry *e)
{
	const char *ref, *fp;
	struct want_ref *w;
	void **slot;
	int isnew;

	if (!(ref = ims_rec_str(&c->rec, "ref")))
		return;
	slot = ims_map_slot(c->refs, ref, &isnew);
	if (!isnew)
		differ(c, "refs", ref, "posted twice", "once");
	else
		*slot = ims_must(calloc(1, sizeof *w));
	w = *slot;
	w->seq = e->seq;
	fp = ims_rec_str(&c->rec, "ref_fp");
	snprintf(w->fp, sizeof w->fp, "%s", fp && strlen(fp) ==
	    IMS_FP_LEN ? fp : "00000000000000000000000000000000");
}

/* What a movement's JSON says of its ref, lot and tracking. */
static void
take_fields(struct check *c, const struct ims_entry *e)
{
	const char *lot, *exp, *how;
	char k[IMS_KEY_MAX + 1];
	void **slot;
	int isnew;

	take_ref(c, e);
	if ((lot = ims_rec_str(&c->rec, "lot"))) {
		snprintf(k, sizeof k, "%s\x1f%s", e->sku, lot);
		slot = ims_map_slot(c->lots, k, &isnew);
		exp = ims_rec_str(&c->rec, "expiry");
		if (isnew || (!*slot && exp))
			*slot = exp ? ims_must(strdup(exp)) : NULL;
	}
	how = lot ? "lot" : ims_rec_str(&c->rec, "serial") ? "serial" :
	    "none";
	slot = ims_map_slot(c->tracked, e->sku, &isnew);
	if (isnew)
		*slot = (void *)how;
	else if (strcmp(*slot, how) != 0)
		*slot = (void *)"mixed";
}

static void
replay_move(struct check *c, const struct ims_entry *e)
{
	int serial = ims_rec_str(&c->rec, "serial") != NULL;

	c->movements++;
	take_fields(c, e);
	ims_ocheck_ship(c->orders, e, &c->rec);
	ims_ocheck_receipt(c->orders, e, &c->rec);
	add_side(c, e, e->from, -e->qty, serial);
	add_side(c, e, e->to, e->qty, serial);
}

/* A master entry: the record it holds is what its table must hold,
 * until a later entry for the same key. */
static void
replay_master(struct check *c, const struct ims_entry *e)
{
	const struct ims_schema *s = ims_master_schema(e->kind);
	const struct ims_field *f = ims_rec_field(&c->rec, s->what);
	void **slot;
	int isnew;

	if (!f || f->type != IMS_F_RAW) {
		differ(c, "journal", num(e->seq), "no record", s->what);
		return;
	}
	slot = ims_map_slot(c->master[e->kind], e->sku, &isnew);
	free(*slot);
	*slot = ims_must(strndup(f->val, f->len));
}

/* An order, reserve or release entry; an order line may hold a ref. */
static void
replay_order(struct check *c, const struct ims_entry *e)
{
	const char *ref = ims_rec_str(&c->rec, "ref"), *fp;
	struct want_ref *w;
	void **slot;
	int isnew;

	if (ref && e->kind == IMS_KIND_ORDER) {
		slot = ims_map_slot(c->refs, ref, &isnew);
		if (!isnew)
			differ(c, "refs", ref, "posted twice", "once");
		else
			*slot = ims_must(calloc(1, sizeof *w));
		w = *slot;
		w->seq = e->seq;
		fp = ims_rec_str(&c->rec, "ref_fp");
		snprintf(w->fp, sizeof w->fp, "%s", fp && strlen(fp) ==
		    IMS_FP_LEN ? fp : "00000000000000000000000000000000");
	}
	ims_ocheck_entry(c->orders, e, &c->rec);
}

static int
check_orders(struct check *c)
{
	return ims_ocheck_run(c->orders, c->t);
}

static void
replay_po(struct check *c, const struct ims_entry *e)
{
	ims_ocheck_po(c->orders, e, &c->rec);
}

static int
check_pos(struct check *c)
{
	return ims_ocheck_pos(c->orders, c->t);
}

static void
order_diff(void *arg, const char *what, const char *key, const char *stored,
    const char *expected)
{
	differ(arg, what, show(key), stored, expected);
}

/* A count entry: its ref, and the balance's last count in (ts, seq)
 * order. */
static void
replay_count(struct check *c, const struct ims_entry *e)
{
	char k[IMS_KEY_MAX + 1];
	const char *v = ims_rec_str(&c->rec, "variance");
	struct ims_last_count *w;
	void **slot;
	int isnew;

	take_ref(c, e);
	snprintf(k, sizeof k, "%s\x1f%s\x1f%s", e->sku, e->to, e->trk);
	slot = ims_map_slot(c->counts, k, &isnew);
	if (isnew)
		*slot = ims_must(calloc(1, sizeof *w));
	w = *slot;
	if (!isnew && w->ts > e->ts)
		return;
	w->ts = e->ts;
	w->seq = e->seq;
	w->variance = 0;
	if (!v || ims_dec_parse(v, strlen(v), IMS_QTY, &w->variance))
		differ(c, "journal", num(e->seq), "a count without its "
		    "variance", NULL);
	w->status = ims_count_status_code(ims_rec_str(&c->rec, "status"));
}

/* How each kind of entry is replayed; a kind without one is a damaged
 * (or newer) store. */
static void (*const replay[IMS_KIND_COUNT])(struct check *,
    const struct ims_entry *) = {
	[IMS_KIND_MOVE] = replay_move,
	[IMS_KIND_ITEM] = replay_master,
	[IMS_KIND_LOCATION] = replay_master,
	[IMS_KIND_SUPPLIER] = replay_master,
	[IMS_KIND_ORDER] = replay_order,
	[IMS_KIND_RESERVE] = replay_order,
	[IMS_KIND_RELEASE] = replay_order,
	[IMS_KIND_COUNT_ENTRY] = replay_count,
	[IMS_KIND_PO] = replay_po,
	[IMS_KIND_CLIENT] = replay_master,
	[IMS_KIND_CHANNEL] = replay_master,
};

/* One entry of the one pass over the journal, in seq order. */
static int
scan_entry(void *arg, const struct ims_entry *e)
{
	struct check *c = arg;

	if (e->seq != c->last_seq + 1)
		differ(c, "journal", num(e->seq), "a gap",
		    num(c->last_seq + 1));
	c->last_seq = e->seq;
	c->entries++;
	check_link(c, e);
	if (e->late != (ims_kind_timed(e->kind) && e->ts < c->max_ts))
		differ(c, "late", num(e->seq), e->late ? "late" : "in order",
		    e->late ? "in order" : "late");
	if (ims_kind_timed(e->kind) && e->ts > c->max_ts)
		c->max_ts = e->ts;
	c->late_rows += e->late;
	ims_rec_reset(&c->rec);
	if (ims_rec_json(&c->rec, e->json, e->jsonlen) != 0)
		differ(c, "journal", num(e->seq), "damaged JSON", NULL);
	else if (!replay[e->kind])
		differ(c, "journal", num(e->seq), ims_kind_names[e->kind],
		    "a kind this version knows");
	else
		replay[e->kind](c, e);
	return IMS_OK;
}

static int
balance_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct check *c = arg;
	char key[IMS_KEY_MAX + 1];
	struct want_bal *w;
	struct ims_bal b;
	int rc;

	if ((rc = ims_bal_decode(v, &b)))
		return rc;
	join(k->p, k->n, key, sizeof key);
	if (!(w = ims_map_get(c->bal, key))) {
		if (b.on_hand || b.allocated)
			differ(c, "balance", show(key), qty(b.on_hand), "0");
		return IMS_OK;
	}
	w->seen = 1;
	if (b.on_hand != w->on_hand)
		differ(c, "balance", show(key), qty(b.on_hand),
		    qty(w->on_hand));
	if (b.allocated < 0 || b.allocated > b.on_hand)
		differ(c, "allocated", show(key), qty(b.allocated),
		    "between 0 and on hand");
	if (b.last_ts != w->last_ts)
		differ(c, "balance time", show(key), "differs",
		    "the latest ts of its movements");
	return IMS_OK;
}

static int
check_balances(struct check *c)
{
	const char *mk;
	void *val;
	size_t it = 0;
	int rc = ims_each_row(c->t, IMS_DB_BALANCES, NULL, balance_row, c);

	while (!rc && ims_map_each(c->bal, &it, &mk, &val))
		if (!((struct want_bal *)val)->seen)
			differ(c, "balance", show(mk), "missing",
			    qty(((struct want_bal *)val)->on_hand));
	return rc;
}

/* History rows, one balance's run at a time. */
struct hist {
	struct check *c;
	char run[IMS_KEY_MAX + 1];
	int64_t sum;
	long rows, total;
	int neg;
};

/* Close one balance's run of history rows. */
static void
history_run(struct hist *h)
{
	struct want_bal *w = ims_map_get(h->c->bal, h->run);

	if (!h->rows)
		return;
	if (!w || w->rows != h->rows || w->on_hand != h->sum)
		differ(h->c, "history", show(h->run), qty(h->sum),
		    w ? qty(w->on_hand) : "no movements");
}

static int
history_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct hist *h = arg;
	char key[IMS_KEY_MAX + 1];
	int64_t d;

	if (k->n < 17 || v->n != 8)
		return ims_damaged("a history row "
		    "of %zu bytes", v->n);
	join(k->p, k->n - 16, key, sizeof key);
	if (strcmp(key, h->run) != 0) {
		history_run(h);
		snprintf(h->run, sizeof h->run, "%s", key);
		h->sum = h->rows = h->neg = 0;
	}
	memcpy(&d, v->p, 8);
	h->sum += d;
	h->rows++;
	h->total++;
	if (h->sum < 0 && !h->neg++)
		differ(h->c, "negative", show(key), qty(h->sum), ">= 0");
	return IMS_OK;
}

/* History rows per balance: their sum is the balance, and in (ts, seq)
 * order it is never negative. */
static int
check_history(struct check *c)
{
	struct hist h = { .c = c };
	int rc = ims_each_row(c->t, IMS_DB_HISTORY, NULL, history_row, &h);

	history_run(&h);
	if (!rc && h.total != c->history_rows)
		differ(c, "history", "rows", num(h.total),
		    num(c->history_rows));
	return rc;
}

/* Count the rows of a table, checking each. */
struct rows {
	struct check *c;
	long n;
	struct ims_map *want;	/* of check_serials */
};

static int
ref_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct rows *r = arg;
	char ref[IMS_KEY_MAX + 1];
	const struct want_ref *w;
	const char *fp;
	uint64_t seq;
	int rc;

	if ((rc = ims_ref_decode(v, &seq, &fp)))
		return rc;
	join(k->p, k->n, ref, sizeof ref);
	w = ims_map_get(r->c->refs, ref);
	if (!w || w->seq != seq)
		differ(r->c, "refs", ref, num(seq), w ? num(w->seq) :
		    "no such ref");
	else if (memcmp(w->fp, fp, IMS_FP_LEN) != 0)
		differ(r->c, "refs", ref, "another fingerprint",
		    "the fingerprint its entry holds");
	r->n++;
	return IMS_OK;
}

static int
check_refs(struct check *c)
{
	struct rows r = { c, 0, NULL };
	int rc = ims_each_row(c->t, IMS_DB_REFS, NULL, ref_row, &r);

	if (!rc && (size_t)r.n != ims_map_count(c->refs))
		differ(c, "refs", "count", num(r.n),
		    num(ims_map_count(c->refs)));
	return rc;
}

static int
lot_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct rows *r = arg;
	char key[IMS_KEY_MAX + 1], b[IMS_TIME_BUF];
	const char *have = "";
	ims_time e;
	void **slot;
	int isnew;

	if (v->n != 8)
		return ims_damaged("a lot of %zu "
		    "bytes", v->n);
	join(k->p, k->n, key, sizeof key);
	memcpy(&e, v->p, 8);
	if (e != IMS_TIME_NONE)
		have = ims_date_fmt(e, b);
	slot = ims_map_slot(r->c->lots, key, &isnew);
	if (isnew)
		differ(r->c, "lots", show(key), have, "no movements");
	else if (strcmp(*slot ? (char *)*slot : "", have) != 0)
		differ(r->c, "lots", show(key), have,
		    *slot ? (char *)*slot : "");
	r->n++;
	return IMS_OK;
}

static int
check_lots(struct check *c)
{
	struct rows r = { c, 0, NULL };
	size_t want = ims_map_count(c->lots);
	int rc = ims_each_row(c->t, IMS_DB_LOTS, NULL, lot_row, &r);

	if (!rc && (size_t)r.n != want)
		differ(c, "lots", "count", num(r.n), num(want));
	return rc;
}

/* Where the journal says each serial in stock is. */
static void
serials_wanted(struct check *c, struct ims_map *want)
{
	const char *mk;
	void *val;
	size_t it = 0;

	while (ims_map_each(c->bal, &it, &mk, &val)) {
		const struct want_bal *w = val;
		char key[2 * IMS_KEY_MAX + 2], sku[IMS_KEY_MAX + 1], *loc, *ser;
		void **slot;
		int isnew;

		if (!w->serial || w->on_hand == 0)
			continue;
		snprintf(sku, sizeof sku, "%s", mk);
		loc = strchr(sku, '\x1f');
		*loc++ = '\0';
		ser = strchr(loc, '\x1f');
		*ser++ = '\0';
		if (w->on_hand != 1000)
			differ(c, "serials", show(mk), qty(w->on_hand), "1");
		snprintf(key, sizeof key, "%s\x1f%s", sku, ser);
		slot = ims_map_slot(want, key, &isnew);
		if (!isnew)
			differ(c, "serials", show(key), "in two places", "one");
		else
			*slot = ims_must(strdup(loc));
	}
}

static int
serial_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct rows *r = arg;
	char key[IMS_KEY_MAX + 1], loc[IMS_KEY_MAX + 1];
	const char *w;

	join(k->p, k->n, key, sizeof key);
	snprintf(loc, sizeof loc, "%.*s", (int)v->n, (const char *)v->p);
	w = ims_map_get(r->want, key);
	if (!w || strcmp(w, loc) != 0)
		differ(r->c, "serials", show(key), loc, w ? w : "not in stock");
	r->n++;
	return IMS_OK;
}

/* A serial in stock is one unit in one place; the serials table says
 * where. */
static int
check_serials(struct check *c)
{
	struct rows r = { c, 0, ims_must(ims_map_new()) };
	int rc;

	serials_wanted(c, r.want);
	rc = ims_each_row(c->t, IMS_DB_SERIALS, NULL, serial_row, &r);
	if (!rc && (size_t)r.n != ims_map_count(r.want))
		differ(c, "serials", "count", num(r.n),
		    num(ims_map_count(r.want)));
	ims_map_free(r.want, free);
	return rc;
}

static int
count_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	(void)k, (void)v;
	((struct rows *)arg)->n++;
	return IMS_OK;
}

static int
check_late(struct check *c)
{
	struct rows r = { c, 0, NULL };
	int rc = ims_each_row(c->t, IMS_DB_LATE, NULL, count_row, &r);

	if (!rc && r.n != c->late_rows)
		differ(c, "late", "count", num(r.n), num(c->late_rows));
	return rc;
}

/* A master table: each record is what the latest entry for its key
 * holds, byte for byte, and every key with entries has a record. */
struct master_rows {
	struct check *c;
	const struct ims_schema *s;
	struct ims_map *seen;
};

static int
master_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct master_rows *m = arg;
	char key[IMS_KEY_MAX + 1];
	const char *want;
	int isnew;

	join(k->p, k->n, key, sizeof key);
	*ims_map_slot(m->seen, key, &isnew) = m;
	want = ims_map_get(m->c->master[m->s->kind], key);
	if (!want)
		differ(m->c, m->s->what, key, "stored", "no entry for it");
	else if (strlen(want) != v->n || memcmp(want, v->p, v->n) != 0)
		differ(m->c, m->s->what, key, "differs",
		    "the record of its latest entry");
	return IMS_OK;
}

static int
check_master(struct check *c, int kind)
{
	struct master_rows m = { c, ims_master_schema(kind),
		ims_must(ims_map_new()) };
	const char *key;
	void *val;
	size_t it = 0;
	int rc = ims_each_row(c->t, m.s->db, NULL, master_row, &m);

	while (!rc && ims_map_each(c->master[kind], &it, &key, &val))
		if (!ims_map_get(m.seen, key))
			differ(c, m.s->what, key, "missing",
			    "the record of its latest entry");
	ims_map_free(m.seen, NULL);
	return rc;
}

static int
check_items(struct check *c)
{
	return check_master(c, IMS_KIND_ITEM);
}

static int
check_locations(struct check *c)
{
	return check_master(c, IMS_KIND_LOCATION);
}

static int
check_suppliers(struct check *c)
{
	return check_master(c, IMS_KIND_SUPPLIER);
}

static int
check_clients(struct check *c)
{
	return check_master(c, IMS_KIND_CLIENT);
}

static int
check_channels(struct check *c)
{
	return check_master(c, IMS_KIND_CHANNEL);
}

/* The barcodes table: what the latest item and location records say
 * their barcodes are, and nothing else. */
static int
check_barcodes(struct check *c)
{
	return ims_check_barcodes(c->t, c->master[IMS_KIND_ITEM],
	    c->master[IMS_KIND_LOCATION], order_diff, c);
}

/* An item's movements all track as the item says: a track that changed
 * behind the history's back shows here. */
static int
check_tracking(struct check *c)
{
	const char *sku;
	void *how;
	size_t it = 0;

	while (ims_map_each(c->tracked, &it, &sku, &how)) {
		struct ims_rec *r = &c->rec;
		const char *track = NULL;

		if (ims_master_get(c->t, &ims_item_schema, sku, r) == IMS_OK)
			track = ims_rec_str(r, "track");
		if (!track)
			track = "none";
		if (strcmp(how, track) != 0)
			differ(c, "tracking", sku, track, strcmp(how, "mixed") ?
			    how : "one tracking for all its movements");
	}
	return IMS_OK;
}

static int
count_row_check(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct rows *r = arg;
	char key[IMS_KEY_MAX + 1];
	const struct ims_last_count *w;
	struct ims_last_count lc;
	int rc;

	if ((rc = ims_last_count_decode(v, &lc)))
		return rc;
	join(k->p, k->n, key, sizeof key);
	w = ims_map_get(r->c->counts, key);
	if (!w)
		differ(r->c, "counts", show(key), num(lc.seq), "no count");
	else if (memcmp(w, &lc, sizeof lc) != 0)
		differ(r->c, "counts", show(key), num(lc.seq), num(w->seq));
	r->n++;
	return IMS_OK;
}

/* The last count of each balance is its latest count entry. */
static int
check_counts(struct check *c)
{
	struct rows r = { c, 0, NULL };
	int rc = ims_each_row(c->t, IMS_DB_COUNTS, NULL, count_row_check, &r);

	if (!rc && (size_t)r.n != ims_map_count(c->counts))
		differ(c, "counts", "count", num(r.n),
		    num(ims_map_count(c->counts)));
	return rc;
}

/* The store-wide figures: the latest ts and the chain's head. */
static int
check_meta(struct check *c)
{
	char head[65];
	ims_time max;
	int rc;

	if (!c->entries)
		return IMS_OK;
	if ((rc = ims_meta_read(c->t, &max, head)))
		return rc;
	if (max != c->max_ts)
		differ(c, "meta", "max_ts", "differs", "the latest ts");
	if (memcmp(head, c->head, 64) != 0)
		differ(c, "chain", "head", "differs",
		    "the hash of the last entry");
	return IMS_OK;
}

static void
cost_diff(void *arg, const char *key, const char *stored,
    const char *expected)
{
	differ(arg, "costs", key, stored, expected);
}

/* The cost checkpoints: each sku's state as a replay makes it. */
static int
check_costs(struct check *c)
{
	return ims_costck_check(c->t, cost_diff, c);
}

static const struct {
	const char *name;
	int (*run)(struct check *);
} checkers[] = {
	{ "balances", check_balances },
	{ "history", check_history },
	{ "refs", check_refs },
	{ "lots", check_lots },
	{ "serials", check_serials },
	{ "late", check_late },
	{ "items", check_items },
	{ "locations", check_locations },
	{ "suppliers", check_suppliers },
	{ "tracking", check_tracking },
	{ "meta", check_meta },
	{ "orders", check_orders },
	{ "purchase orders", check_pos },
	{ "counts", check_counts },
	{ "clients", check_clients },
	{ "channels", check_channels },
	{ "barcodes", check_barcodes },
	{ "costs", check_costs },
};

/*
 * Check the store in t.  Each difference goes to report as a record
 * (check, key, stored, expected).  Returns IMS_OK or a store error, and
 * the counts of entries, movements and differences.
 */
int
ims_check(struct ims_txn *t, ims_check_fn *report, void *arg,
    struct ims_check_counts *n)
{
	struct check c = { .t = t, .report = report, .arg = arg,
		.max_ts = INT64_MIN };
	int rc;

	memset(c.head, '0', 64);
	c.bal = ims_must(ims_map_new());
	c.refs = ims_must(ims_map_new());
	c.lots = ims_must(ims_map_new());
	c.tracked = ims_must(ims_map_new());
	c.orders = ims_ocheck_new(order_diff, &c);
	c.counts = ims_must(ims_map_new());
	for (int k = 0; k < IMS_KIND_COUNT; k++)
		c.master[k] = ims_must(ims_map_new());
	rc = ims_each_entry(t, 1, UINT64_MAX, scan_entry, &c);
	for (size_t i = 0; !rc && i < sizeof checkers / sizeof *checkers; i++)
		rc = checkers[i].run(&c);
	n->entries = c.entries;
	n->movements = c.movements;
	n->ndiff = c.ndiff;
	ims_map_free(c.bal, free);
	ims_map_free(c.refs, free);
	ims_map_free(c.lots, free);
	ims_map_free(c.tracked, NULL);
	ims_ocheck_free(c.orders);
	ims_map_free(c.counts, free);
	for (int k = 0; k < IMS_KIND_COUNT; k++)
		ims_map_free(c.master[k], free);
	ims_rec_free(&c.rec);
	ims_rec_free(&c.diff);
	return rc;
}
