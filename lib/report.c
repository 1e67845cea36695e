/*
 * report.c: on-hand (now or at any past moment, rolled up as asked) and
 * the stock ledger in (ts, seq) order.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

const char *const ims_onhand_cols[] = { "sku", "location", "lot",
	"serial", "expiry", "on_hand", "allocated", "available", NULL };

/* One row of on-hand, before output. */
struct row {
	const char *sku, *loc, *trk;
	int64_t on_hand, allocated;
};

struct onhand {
	struct ims_txn *t;
	struct ims_out *o;
	const struct ims_filter *f;
	const char *group;
	int depth;
	struct ims_map *groups;		/* rolled-up rows by key */
	struct ims_map *track;		/* sku -> "lot" or "serial" */
	struct ims_rec rec;
	char locbuf[IMS_KEY_MAX];
};

struct sum {
	int64_t on_hand, allocated;
};

/* How the item is tracked, so that a row says lot or serial. */
static const char *
tracking(struct onhand *h, const char *sku)
{
	static const char *const kinds[] = { "none", "lot", "serial" };
	int isnew;
	void **slot = ims_map_slot(h->track, sku, &isnew);

	if (isnew) {
		const char *s = NULL;
		*slot = (void *)kinds[0];
		if (ims_master_get(h->t, &ims_item_schema, sku, &h->rec) == 0 &&
		    (s = ims_rec_str(&h->rec, "track")))
			*slot = (void *)(strcmp(s, "serial") == 0 ? kinds[2] :
			    strcmp(s, "lot") == 0 ? kinds[1] : kinds[0]);
	}
	return *slot;
}

static void
add_expiry(struct onhand *h, const char *sku, const char *lot)
{
	struct ims_key k;
	struct ims_val v;
	ims_time e;
	char b[IMS_TIME_BUF];

	ims_key_init(&k);
	ims_key_str(&k, sku);
	ims_key_str(&k, lot);
	if (ims_get(h->t, IMS_DB_LOTS, &k, &v) != IMS_OK || v.n != 8)
		return;
	memcpy(&e, v.p, 8);
	if (e != IMS_TIME_NONE)
		ims_rec_adds(&h->rec, "expiry", ims_date_fmt(e, b));
}

static void
emit(struct onhand *h, const struct row *r)
{
	const char *kind = tracking(h, r->sku);

	ims_rec_reset(&h->rec);
	ims_rec_adds(&h->rec, "sku", r->sku);
	if (r->loc)
		ims_rec_adds(&h->rec, "location", r->loc);
	if (r->trk && *r->trk && strcmp(kind, "none") != 0) {
		ims_rec_adds(&h->rec, kind, r->trk);
		if (strcmp(kind, "lot") == 0)
			add_expiry(h, r->sku, r->trk);
	}
	ims_rec_addn(&h->rec, "on_hand", r->on_hand, IMS_QTY);
	ims_rec_addn(&h->rec, "allocated", r->allocated, IMS_QTY);
	ims_rec_addn(&h->rec, "available", r->on_hand - r->allocated,
	    IMS_QTY);
	ims_out_rec(h->o, &h->rec);
}

/* The location cut to its first depth segments (0: as it is). */
static const char *
cut(struct onhand *h, const char *loc)
{
	const char *p = loc;
	int d = h->depth;

	if (d <= 0)
		return loc;
	while ((p = strchr(p, '/')) && --d > 0)
		p++;
	if (!p)
		return loc;
	snprintf(h->locbuf, sizeof h->locbuf, "%.*s", (int)(p - loc), loc);
	return h->locbuf;
}

static int
rolled_up(const struct onhand *h)
{
	return h->group || h->depth > 0;
}

/* Take one balance: filter it, then print it or add it to its group. */
static void
take(struct onhand *h, const struct row *r)
{
	struct ims_buf k = { 0 };
	struct sum *s;
	void **slot;
	int isnew;

	if ((h->f->sku && strcmp(r->sku, h->f->sku) != 0) ||
	    (h->f->location && !ims_loc_match(r->loc, h->f->location)) ||
	    (r->on_hand == 0 && r->allocated == 0))
		return;
	if (!rolled_up(h)) {
		emit(h, r);
		return;
	}
	ims_buf_add(&k, r->sku, strlen(r->sku) + 1);
	/* by lot, the key is sku and lot alone, as flush_groups reads it */
	if (!h->group || strcmp(h->group, "location") == 0) {
		const char *loc = cut(h, r->loc);
		ims_buf_add(&k, loc, strlen(loc) + 1);
	}
	if (!h->group || strcmp(h->group, "lot") == 0)
		ims_buf_add(&k, r->trk, strlen(r->trk) + 1);
	/* the map wants a C string: turn the separators into '\x1f' */
	for (size_t i = 0; i + 1 < k.n; i++)
		if (k.p[i] == '\0')
			k.p[i] = '\x1f';
	slot = ims_map_slot(h->groups, k.p, &isnew);
	if (isnew && !(*slot = calloc(1, sizeof(struct sum)))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	s = *slot;
	s->on_hand += r->on_hand;
	s->allocated += r->allocated;
	ims_buf_free(&k);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the groups in key order. */
static void
flush_groups(struct onhand *h)
{
	size_t n = ims_map_count(h->groups), it = 0, i = 0;
	const char **keys = calloc(n + 1, sizeof *keys);
	const char *key;
	void *val;

	while (ims_map_each(h->groups, &it, &key, &val))
		keys[i++] = key;
	qsort(keys, n, sizeof *keys, cmp_str);
	for (i = 0; i < n; i++) {
		char *k = strdup(keys[i]), *f[3] = { k, NULL, NULL }, *p;
		const struct sum *s = ims_map_get(h->groups, keys[i]);
		struct row r = { .on_hand = s->on_hand,
			.allocated = s->allocated };
		int nf = 1;

		for (p = k; (p = strchr(p, '\x1f')) && nf < 3; nf++)
			*p++ = '\0', f[nf] = p;
		r.sku = f[0];
		if (h->group && strcmp(h->group, "sku") == 0)
			r.loc = NULL, r.trk = "";
		else if (h->group && strcmp(h->group, "lot") == 0)
			r.loc = NULL, r.trk = f[1] ? f[1] : "";
		else if (h->group)
			r.loc = f[1], r.trk = "";
		else
			r.loc = f[1], r.trk = f[2] ? f[2] : "";
		emit(h, &r);
		free(k);
	}
	free(keys);
}

static void
split_key(const struct ims_val *k, struct row *r)
{
	r->sku = k->p;
	r->loc = r->sku + strlen(r->sku) + 1;
	r->trk = r->loc + strlen(r->loc) + 1;
}

/* Now: the balances as they stand. */
static int
scan_balances(struct onhand *h)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	struct ims_bal b;
	struct row r;
	int rc;

	if ((rc = ims_cursor_open(h->t, IMS_DB_BALANCES, &c)))
		return rc;
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		memcpy(&b, v.p, sizeof b);
		split_key(&k, &r);
		r.on_hand = b.on_hand;
		r.allocated = b.allocated;
		take(h, &r);
	}
	ims_cursor_close(c);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/* At a past moment: each balance's history summed up to it. */
static int
scan_history(struct onhand *h, ims_time as_of)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	struct ims_buf cur = { 0 };
	struct row r = { 0 };
	int64_t d;
	int rc;

	if ((rc = ims_cursor_open(h->t, IMS_DB_HISTORY, &c)))
		return rc;
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		size_t bn = k.n - 16;

		if (cur.n != bn || memcmp(cur.p, k.p, bn) != 0) {
			if (cur.n)
				take(h, &r);
			cur.n = 0;
			ims_buf_add(&cur, k.p, bn);
			split_key(&(struct ims_val){ cur.p, bn }, &r);
			r.on_hand = 0;
		}
		memcpy(&d, v.p, 8);
		if (ims_get_i64((const unsigned char *)k.p + bn) <= as_of)
			r.on_hand += d;
	}
	if (cur.n)
		take(h, &r);
	ims_cursor_close(c);
	ims_buf_free(&cur);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/*
 * On hand by sku, location and lot.  group: NULL (every balance), "sku",
 * "location" or "lot"; depth cuts locations to their first segments, so
 * that depth 1 gives one row per warehouse.  as_of: IMS_TIME_NONE for
 * now; a past moment has no allocations.
 */
int
ims_report_onhand(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f, const char *group, int depth,
    ims_time as_of)
{
	struct onhand h = { .t = t, .o = o, .f = f, .group = group,
		.depth = depth };
	int rc;

	h.groups = ims_map_new();
	h.track = ims_map_new();
	if (!h.groups || !h.track)
		return ims_seterr(IMS_ESTORE, "out of memory");
	rc = as_of == IMS_TIME_NONE ? scan_balances(&h) :
	    scan_history(&h, as_of);
	if (rc == IMS_OK && rolled_up(&h))
		flush_groups(&h);
	ims_map_free(h.groups, free);
	ims_map_free(h.track, NULL);
	ims_rec_free(&h.rec);
	return rc;
}

static int
wanted(const struct ims_filter *f, const struct ims_entry *e)
{
	return (!f->sku || strcmp(e->sku, f->sku) == 0) &&
	    (!f->location || ims_loc_match(e->from, f->location) ||
	    ims_loc_match(e->to, f->location)) &&
	    (f->since == IMS_TIME_NONE || e->ts >= f->since) &&
	    (f->until == IMS_TIME_NONE || e->ts <= f->until);
}

/* Two sorted streams: the journal's entries posted in time order, and
 * the backdated ones by (ts, seq). */
struct ledger {
	struct ims_txn *t;
	struct ims_cursor *main, *late, *get;
	struct ims_val mk, mv, lk;
	int mrc, lrc;
};

/* Is the entry at the main cursor a backdated one?  Its flag is byte 16
 * of the stored value (see append_journal); no need to decode it all. */
static int
main_is_late(const struct ledger *l)
{
	return l->mrc == IMS_OK && l->mv.n > 16 &&
	    ((const char *)l->mv.p)[16];
}

static int
next_main(struct ledger *l)
{
	do {
		l->mrc = ims_cursor_next(l->main, &l->mk, &l->mv);
	} while (main_is_late(l));
	return l->mrc;
}

/* Fetch the late entry the late cursor points at. */
static int
late_entry(struct ledger *l, struct ims_entry *e)
{
	struct ims_key k;
	struct ims_val key, val;
	int rc;

	ims_key_init(&k);
	ims_key_u64(&k, ims_get_u64((const unsigned char *)l->lk.p + 8));
	if ((rc = ims_cursor_seek(l->get, &k, &key, &val)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_ESTORE,
		    "late entry missing from the journal") : rc;
	return ims_entry_decode(&key, &val, e);
}

static int
ledger_open(struct ledger *l, struct ims_txn *t)
{
	int rc;

	l->t = t;
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &l->main)) ||
	    (rc = ims_cursor_open(t, IMS_DB_LATE, &l->late)) ||
	    (rc = ims_cursor_open(t, IMS_DB_JOURNAL, &l->get)))
		return rc;
	l->mrc = ims_cursor_seek(l->main, NULL, &l->mk, &l->mv);
	if (main_is_late(l))
		next_main(l);
	l->lrc = ims_cursor_seek(l->late, NULL, &l->lk, NULL);
	return IMS_OK;
}

/* The next entry in (ts, seq) order; IMS_ENOTFOUND at the end. */
static int
ledger_next(struct ledger *l, struct ims_entry *e)
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
ledger_close(struct ledger *l)
{
	ims_cursor_close(l->main);
	ims_cursor_close(l->late);
	ims_cursor_close(l->get);
}

/* The journal in (ts, seq) order, filtered. */
int
ims_report_ledger(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f)
{
	struct ledger l = { 0 };
	struct ims_entry e;
	int rc;

	if ((rc = ledger_open(&l, t)) == IMS_OK) {
		while ((rc = ledger_next(&l, &e)) == IMS_OK)
			if (wanted(f, &e))
				ims_out_json(o, e.json, e.jsonlen);
		if (rc == IMS_ENOTFOUND)
			rc = IMS_OK;
	}
	ledger_close(&l);
	return rc;
}
