/*
 * iter.c: the read side.  The loops every reader needs, written once:
 * the journal by seq and in (ts, seq) order, any table's rows under a
 * key prefix, balances now or at a past moment.  Each calls back for a
 * row; the callback returns IMS_OK to go on, IMS_STOP to end, anything
 * else to fail.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static int
end_loop(int rc)
{
	return rc == IMS_ENOTFOUND || rc == IMS_STOP ? IMS_OK : rc;
}

/* Every row of db whose key starts with prefix (every row: NULL). */
int
ims_each_row(struct ims_txn *t, enum ims_db db, const struct ims_key *prefix,
    ims_row_fn *fn, void *arg)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	int rc;

	if ((rc = ims_cursor_open(t, db, &c)))
		return rc;
	for (rc = ims_cursor_seek(c, prefix, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		if (prefix && (k.n < prefix->n ||
		    memcmp(k.p, prefix->b, prefix->n) != 0))
			break;
		if ((rc = fn(arg, &k, &v)))
			break;
	}
	ims_cursor_close(c);
	return end_loop(rc);
}

int
ims_bal_decode(const struct ims_val *v, struct ims_bal *b)
{
	if (v->n != sizeof *b)
		return ims_damaged("a balance of %zu "
		    "bytes, not %zu", v->n, sizeof *b);
	memcpy(b, v->p, sizeof *b);
	return IMS_OK;
}

/* A lot's expiry (IMS_TIME_NONE when it has none); IMS_ENOTFOUND when
 * the lot was never received. */
int
ims_lot_expiry(struct ims_txn *t, const char *sku, const char *lot,
    ims_time *e)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, sku);
	ims_key_str(&k, lot);
	if ((rc = ims_get(t, IMS_DB_LOTS, &k, &v)))
		return rc;
	if (v.n != 8)
		return ims_damaged("lot %s of %s "
		    "has %zu bytes", ims_q(lot), ims_q(sku), v.n);
	memcpy(e, v.p, 8);
	return IMS_OK;
}

/* A balance key's parts: sku, location, lot or serial, each ending in
 * NUL; "store damaged" when they do not. */
static int
split_key(const struct ims_val *k, size_t n, struct ims_balance *b)
{
	const char *p = k->p, *end = p + n;
	const char **part[] = { &b->sku, &b->loc, &b->trk };

	for (int i = 0; i < 3; i++) {
		const char *z = memchr(p, '\0', end - p);
		if (!z)
			return ims_damaged("a "
			    "balance key without its parts");
		*part[i] = p;
		p = z + 1;
	}
	return IMS_OK;
}

struct bal_loop {
	ims_bal_fn *fn;
	void *arg;
};

static int
bal_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct bal_loop *l = arg;
	struct ims_balance b;
	int rc;

	if ((rc = split_key(k, k->n, &b)) || (rc = ims_bal_decode(v, &b.b)))
		return rc;
	return l->fn(l->arg, &b);
}

/* The balances as they stand, of one sku or (NULL) of all. */
int
ims_each_balance(struct ims_txn *t, const char *sku, ims_bal_fn *fn,
    void *arg)
{
	struct bal_loop l = { fn, arg };
	struct ims_key k;

	ims_key_init(&k);
	if (sku)
		ims_key_str(&k, sku);
	return ims_each_row(t, IMS_DB_BALANCES, sku ? &k : NULL, bal_row, &l);
}

/* History rows: a balance key, then ts and seq (16 bytes); the value is
 * the signed change. */
struct hist_loop {
	ims_bal_fn *fn;
	void *arg;
	struct ims_txn *t;
	ims_time ts;
	struct ims_buf cur;
	struct ims_balance b;
};

static int alloc_at(struct ims_txn *t, const void *bal, size_t n,
    ims_time ts, int64_t *allocated);

/* One balance's rows are summed: what was allocated of it then, and
 * hand it on. */
static int
hist_flush(struct hist_loop *h)
{
	int rc;

	if (!h->cur.n)
		return IMS_OK;
	if ((rc = alloc_at(h->t, h->cur.p, h->cur.n, h->ts,
	    &h->b.b.allocated)))
		return rc;
	return h->fn(h->arg, &h->b);
}

static int
hist_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct hist_loop *h = arg;
	size_t bn = k->n - 16;
	int64_t d;
	int rc;

	if (k->n < 16 || v->n != 8)
		return ims_damaged("a history row "
		    "of %zu bytes", v->n);
	if (h->cur.n != bn || memcmp(h->cur.p, k->p, bn) != 0) {
		if ((rc = hist_flush(h)))
			return rc;
		h->cur.n = 0;
		ims_buf_add(&h->cur, k->p, bn);
		if ((rc = split_key(&(struct ims_val){ h->cur.p, bn }, bn,
		    &h->b)))
			return rc;
		memset(&h->b.b, 0, sizeof h->b.b);
		h->b.b.last_ts = INT64_MIN;
	}
	memcpy(&d, v->p, 8);
	if (ims_get_i64((const unsigned char *)k->p + bn) <= h->ts) {
		h->b.b.on_hand += d;
		h->b.b.last_ts = ims_get_i64((const unsigned char *)k->p + bn);
	}
	return IMS_OK;
}

/* The balances as they stood at ts (every entry at or before it, in
 * (ts, seq) order), with what was allocated of each then. */
int
ims_each_balance_at(struct ims_txn *t, const char *sku, ims_time ts,
    ims_bal_fn *fn, void *arg)
{
	struct hist_loop h = { .fn = fn, .arg = arg, .t = t, .ts = ts };
	struct ims_key k;
	int rc;

	ims_key_init(&k);
	if (sku)
		ims_key_str(&k, sku);
	rc = ims_each_row(t, IMS_DB_HISTORY, sku ? &k : NULL, hist_row, &h);
	if (!rc)
		rc = end_loop(hist_flush(&h));
	ims_buf_free(&h.cur);
	return rc;
}

static int each_delta(struct ims_txn *t, enum ims_db db,
    const struct ims_key *bal, ims_time from, ims_hist_fn *fn, void *arg);

/* The history rows of one balance (key: sku, location, lot or serial)
 * from ts on, in (ts, seq) order: each its moment, seq and change. */
int
ims_each_history(struct ims_txn *t, const struct ims_key *bal, ims_time from,
    ims_hist_fn *fn, void *arg)
{
	return each_delta(t, IMS_DB_HISTORY, bal, from, fn, arg);
}

/* The same for what is allocated of the balance: every change to it by
 * a reservation, a release or a shipment. */
int
ims_each_alloc(struct ims_txn *t, const struct ims_key *bal, ims_time from,
    ims_hist_fn *fn, void *arg)
{
	return each_delta(t, IMS_DB_ALLOCS, bal, from, fn, arg);
}

static int
each_delta(struct ims_txn *t, enum ims_db db, const struct ims_key *bal,
    ims_time from, ims_hist_fn *fn, void *arg)
{
	struct ims_cursor *c;
	struct ims_key k = *bal;
	struct ims_val key, val;
	const unsigned char *p;
	int64_t d;
	int rc;

	ims_key_i64(&k, from);
	ims_key_u64(&k, 0);
	if ((rc = ims_cursor_open(t, db, &c)))
		return rc;
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val)) {
		if (key.n != bal->n + 16 || memcmp(key.p, bal->b, bal->n) != 0)
			break;
		if (val.n != 8) {
			rc = ims_damaged("a history "
			    "row of %zu bytes", val.n);
			break;
		}
		p = (const unsigned char *)key.p + bal->n;
		memcpy(&d, val.p, 8);
		if ((rc = fn(arg, ims_get_i64(p), ims_get_u64(p + 8), d)))
			break;
	}
	ims_cursor_close(c);
	return end_loop(rc);
}

struct sum_to {
	ims_time ts;
	int64_t sum;
};

static int sum_row(void *arg, ims_time ts, uint64_t seq, int64_t d);

/* What was allocated of a balance (its key, n bytes) at ts. */
static int
alloc_at(struct ims_txn *t, const void *bal, size_t n, ims_time ts,
    int64_t *allocated)
{
	struct sum_to s = { ts, 0 };
	struct ims_key k;
	int rc;

	if (n > IMS_KEY_MAX - 16)
		return ims_damaged("a balance key of %zu bytes", n);
	memcpy(k.b, bal, n);
	k.n = n;
	rc = ims_each_alloc(t, &k, INT64_MIN, sum_row, &s);
	*allocated = s.sum;
	return rc;
}

static int
sum_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	struct sum_to *s = arg;

	(void)seq;
	if (ts > s->ts)
		return IMS_STOP;
	s->sum += d;
	return IMS_OK;
}

/* One balance's on hand at ts. */
int
ims_balance_at(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, ims_time ts, int64_t *on_hand)
{
	struct sum_to s = { ts, 0 };
	struct ims_key k;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, sku);
	ims_key_str(&k, loc);
	ims_key_str(&k, trk ? trk : "");
	rc = ims_each_history(t, &k, INT64_MIN, sum_row, &s);
	*on_hand = s.sum;
	return rc;
}

struct seq_loop {
	uint64_t last;
	ims_entry_fn *fn;
	void *arg;
};

static int
seq_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct seq_loop *l = arg;
	struct ims_entry e;
	int rc;

	if ((rc = ims_entry_decode(k, v, &e)))
		return rc;
	if (e.seq > l->last)
		return IMS_STOP;
	return l->fn(l->arg, &e);
}

/* The journal's entries first..last, by seq. */
int
ims_each_entry(struct ims_txn *t, uint64_t first, uint64_t last,
    ims_entry_fn *fn, void *arg)
{
	struct seq_loop l = { last, fn, arg };
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key, val;
	int rc;

	if (first > last)
		return IMS_OK;
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &c)))
		return rc;
	ims_key_init(&k);
	ims_key_u64(&k, first);
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val))
		if ((rc = seq_row(&l, &key, &val)))
			break;
	ims_cursor_close(c);
	return end_loop(rc);
}

static int
print_entry(void *arg, const struct ims_entry *e)
{
	ims_out_json(arg, e->json, e->jsonlen);
	return IMS_OK;
}

/* Print the journal's entries first..last, as stored. */
int
ims_print_entries(struct ims_txn *t, struct ims_out *o, uint64_t first,
    uint64_t last)
{
	return ims_each_entry(t, first, last, print_entry, o);
}

/*
 * In (ts, seq) order: two sorted streams merged, the journal's entries
 * posted in time order and the backdated ones by the late index.
 */
struct by_time {
	struct ims_cursor *main, *late, *get;
	struct ims_val mk, mv, lk;
	int mrc, lrc;
};

/* Is the entry at the main cursor one to pass over: a backdated one
 * (the late index has it), or one off the stock's timeline?  Its kind
 * and flag are bytes 0 and 1 of the stored value (ims_entry_encode). */
static int
main_is_late(const struct by_time *l)
{
	const unsigned char *p = l->mv.p;

	return l->mrc == IMS_OK && l->mv.n > 2 &&
	    ((p[1] & 1) || !ims_kind_timed(p[0]));
}

static void
next_main(struct by_time *l)
{
	do {
		l->mrc = ims_cursor_next(l->main, &l->mk, &l->mv);
	} while (main_is_late(l));
}

/* Fetch the late entry the late cursor points at. */
static int
late_entry(struct by_time *l, struct ims_entry *e)
{
	struct ims_key k;
	struct ims_val key, val;
	int rc;

	if (l->lk.n != 16)
		return ims_damaged("a late index "
		    "key of %zu bytes", l->lk.n);
	ims_key_init(&k);
	ims_key_u64(&k, ims_get_u64((const unsigned char *)l->lk.p + 8));
	if ((rc = ims_cursor_seek(l->get, &k, &key, &val)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_ESTORE,
		    "store damaged: a late entry missing from the journal") :
		    rc;
	return ims_entry_decode(&key, &val, e);
}

/* The main cursor at the first entry in order from seq on. */
static void
main_at(struct by_time *l, uint64_t seq)
{
	struct ims_key k;

	ims_key_init(&k);
	ims_key_u64(&k, seq);
	l->mrc = ims_cursor_seek(l->main, &k, &l->mk, &l->mv);
	if (main_is_late(l))
		next_main(l);
}

/*
 * The main cursor at the first entry in order at or after since.  The
 * journal's timed entries that are not backdated are in ts order (an
 * entry is backdated when it is older than one before it), so a binary
 * search over seq finds it: a report from a moment on, or a replay from
 * a checkpoint, reads nothing before.
 */
static int
main_seek(struct by_time *l, ims_time since)
{
	struct ims_entry e;
	struct ims_val k, v;
	uint64_t lo = 0, hi;
	int rc;

	if ((rc = ims_cursor_last(l->main, &k, &v)))
		return rc == IMS_ENOTFOUND ? (l->mrc = rc, IMS_OK) : rc;
	hi = ims_get_u64(k.p) + 1;
	while (lo < hi) {
		main_at(l, lo + (hi - lo) / 2);
		if (l->mrc == IMS_ENOTFOUND) {
			hi = lo + (hi - lo) / 2;
			continue;
		}
		if (l->mrc || (rc = ims_entry_decode(&l->mk, &l->mv, &e)))
			return l->mrc ? l->mrc : rc;
		if (e.ts >= since)
			hi = lo + (hi - lo) / 2;
		else
			lo = e.seq + 1;
	}
	main_at(l, lo);
	return IMS_OK;
}

static int
by_time_open(struct by_time *l, struct ims_txn *t, ims_time since)
{
	struct ims_key k;
	int rc;

	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &l->main)) ||
	    (rc = ims_cursor_open(t, IMS_DB_LATE, &l->late)) ||
	    (rc = ims_cursor_open(t, IMS_DB_JOURNAL, &l->get)))
		return rc;
	ims_key_init(&k);
	if (since == IMS_TIME_NONE) {
		l->mrc = ims_cursor_seek(l->main, NULL, &l->mk, &l->mv);
		if (main_is_late(l))
			next_main(l);
	} else if ((rc = main_seek(l, since)))
		return rc;
	else
		ims_key_i64(&k, since);
	l->lrc = ims_cursor_seek(l->late, since == IMS_TIME_NONE ? NULL : &k,
	    &l->lk, NULL);
	return IMS_OK;
}

/* The next entry in (ts, seq) order; IMS_ENOTFOUND at the end. */
static int
by_time_next(struct by_time *l, struct ims_entry *e)
{
	struct ims_entry m;
	int rc;

	if (l->mrc && l->mrc != IMS_ENOTFOUND)
		return l->mrc;
	if (l->lrc && l->lrc != IMS_ENOTFOUND)
		return l->lrc;
	if (l->mrc == IMS_OK && (rc = ims_entry_decode(&l->mk, &l->mv, &m)))
		return rc;
	if (l->lrc == IMS_OK) {
		ims_time lts = ims_get_i64(l->lk.p);
		uint64_t lseq = ims_get_u64((const unsigned char *)l->lk.p + 8);

		if (l->mrc != IMS_OK || lts < m.ts ||
		    (lts == m.ts && lseq < m.seq)) {
			if ((rc = late_entry(l, e)))
				return rc;
			l->lrc = ims_cursor_next(l->late, &l->lk, NULL);
			return IMS_OK;
		}
	}
	if (l->mrc != IMS_OK)
		return IMS_ENOTFOUND;
	*e = m;
	next_main(l);
	return IMS_OK;
}

static void
by_time_close(struct by_time *l)
{
	ims_cursor_close(l->main);
	ims_cursor_close(l->late);
	ims_cursor_close(l->get);
}

static int
wanted(struct ims_txn *t, const struct ims_filter *f,
    const struct ims_entry *e)
{
	return (!f->kinds || (f->kinds & 1u << e->kind)) &&
	    (!f->client || ims_owned(t, e->sku, f->client)) &&
	    (!f->sku || strcmp(e->sku, f->sku) == 0) &&
	    (!f->location || ims_loc_match(e->from, f->location) ||
	    ims_loc_match(e->to, f->location)) &&
	    (f->since == IMS_TIME_NONE || e->ts >= f->since) &&
	    (f->until == IMS_TIME_NONE || e->ts <= f->until);
}

/* The entries on the stock's timeline (movements, not master data) in
 * (ts, seq) order, filtered. */
int
ims_each_entry_by_time(struct ims_txn *t, const struct ims_filter *f,
    ims_entry_fn *fn, void *arg)
{
	struct by_time l = { 0 };
	struct ims_entry e;
	int rc;

	if ((rc = by_time_open(&l, t, f->since)) == IMS_OK) {
		while ((rc = by_time_next(&l, &e)) == IMS_OK) {
			if (f->until != IMS_TIME_NONE && e.ts > f->until) {
				rc = IMS_STOP;
				break;
			}
			if (wanted(t, f, &e) && (rc = fn(arg, &e)))
				break;
		}
	}
	by_time_close(&l);
	return end_loop(rc);
}
