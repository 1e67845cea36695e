/*
 * move.c: the movement, the double-entry kind of entry.  A movement
 * takes a quantity of one sku (and lot or serial) from one location to
 * another.  Posting it appends to the journal and, in the same
 * transaction, updates the balance and history of each internal side,
 * the ref, the lot and the serial.  Every check comes before the first
 * write, so a rejected movement leaves nothing behind.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

#define FUTURE_SLACK 300	/* seconds of clock skew a ts may have */

enum { TRACK_NONE = IMS_TRACK_NONE, TRACK_LOT = IMS_TRACK_LOT,
	TRACK_SERIAL = IMS_TRACK_SERIAL };

struct item_info {
	int track;
	int has_cost;
	ims_dec cost;
	int64_t shelf_days;
	int kit;
	int64_t tol;		/* receipt_tolerance, 4 places; -1: none */
};

/* One side of a movement, as found before any write. */
struct side {
	const char *loc;
	int internal;
	struct ims_key key;		/* sku, location, lot */
	struct ims_bal bal;
};

const char *const ims_move_cols[] = { "seq", "ts", "type", "sku", "qty",
	"from", "to", "lot", "serial", "expiry", "unit_cost", "ref", "po",
	"actor", "note", NULL };

/* Fields a movement record may carry; others are kept as they are. */
enum { K_SEQ, K_TS, K_TYPE, K_SKU, K_QTY, K_FROM, K_TO, K_LOCATION, K_LOT,
	K_SERIAL, K_EXPIRY, K_UNIT_COST, K_REF, K_REF_FP, K_PO, K_ACTOR,
	K_NOTE, K_KIND, K_HASH, K_ORDER, K_LINE, K_PO_LINE, NKNOWN };
static const char *const known[NKNOWN + 1] = { "seq", "ts", "type", "sku",
	"qty", "from", "to", "location", "lot", "serial", "expiry",
	"unit_cost", "ref", "ref_fp", "po", "actor", "note", "kind", "hash",
	"order", "line", "po_line", NULL };

static const char *const virtuals[] = { "@supplier", "@customer",
	"@adjust", "@scrap", NULL };

static int loc_known;		/* the map's value for a known location */

int
ims_is_virtual(const char *loc)
{
	return loc[0] == '@';
}

/* Does loc lie in the zone named by prefix (WH1/A holds WH1/A/03)? */
int
ims_loc_match(const char *loc, const char *prefix)
{
	size_t n = strlen(prefix);

	while (n > 0 && prefix[n - 1] == '/')
		n--;
	return strncmp(loc, prefix, n) == 0 &&
	    (loc[n] == '\0' || loc[n] == '/');
}

/* The location cut to its first depth segments (WH1/A/03 at depth 1 is
 * WH1), in buf; depth 0, or a location that has no more: as it is. */
const char *
ims_loc_cut(const char *loc, int depth, char *buf, size_t n)
{
	const char *p = loc;

	if (depth <= 0)
		return loc;
	while ((p = strchr(p, '/')) && --depth > 0)
		p++;
	if (!p)
		return loc;
	snprintf(buf, n, "%.*s", (int)(p - loc), loc);
	return buf;
}

static struct item_info *
read_item(const struct ims_rec *r)
{
	struct item_info *it = calloc(1, sizeof *it);
	const char *s;

	if (!it)
		return NULL;
	s = ims_rec_str(r, "track");
	it->track = !s || strcmp(s, "none") == 0 ? TRACK_NONE :
	    strcmp(s, "lot") == 0 ? TRACK_LOT : TRACK_SERIAL;
	if ((s = ims_rec_str(r, "unit_cost")))
		it->has_cost = !ims_dec_parse(s, strlen(s), IMS_MONEY,
		    &it->cost);
	it->kit = ims_rec_field(r, "components") != NULL;
	it->tol = -1;
	if ((s = ims_rec_str(r, "receipt_tolerance")) &&
	    ims_dec_parse(s, strlen(s), 4, &it->tol))
		it->tol = -1;
	if ((s = ims_rec_str(r, "shelf_life_days")) &&
	    ims_dec_parse(s, strlen(s), 0, &it->shelf_days))
		it->shelf_days = 0;
	return it;
}

/* The item, from the batch's cache or the store. */
static int
item(struct ims_journal *j, const char *sku, struct item_info **ip)
{
	int isnew, rc;
	void **slot;

	if (!j->items && !(j->items = ims_map_new()))
		return ims_seterr(IMS_ESTORE, "out of memory");
	slot = ims_map_slot(j->items, sku, &isnew);
	if (isnew) {
		rc = ims_master_get(j->t, &ims_item_schema, sku, &j->tmp);
		if (rc && rc != IMS_ENOTFOUND)
			return rc;
		if (rc == IMS_OK && !(*slot = read_item(&j->tmp)))
			return ims_seterr(IMS_ESTORE, "out of memory");
	}
	if (!(*ip = *slot))
		return ims_seterr(IMS_EREJECT, "unknown sku %s", ims_q(sku));
	return IMS_OK;
}

/* Master data changed in this batch: look it up afresh. */
void
ims_move_forget(struct ims_journal *j, int kind)
{
	if (kind == IMS_KIND_ITEM) {
		ims_map_free(j->items, free);
		j->items = NULL;
	} else if (kind == IMS_KIND_LOCATION) {
		ims_map_free(j->locs, NULL);
		j->locs = NULL;
	}
}

/* A virtual location is one of the four built in. */
static int
check_virtual(const char *code)
{
	for (int i = 0; virtuals[i]; i++)
		if (strcmp(code, virtuals[i]) == 0)
			return IMS_OK;
	return ims_seterr(IMS_EREJECT, "unknown virtual location %s",
	    ims_q(code));
}

/* A location is virtual or registered; the batch caches the answer. */
static int
location(struct ims_journal *j, const char *code)
{
	int isnew, rc;
	void **slot;

	if (ims_is_virtual(code))
		return check_virtual(code);
	if (!j->locs && !(j->locs = ims_map_new()))
		return ims_seterr(IMS_ESTORE, "out of memory");
	slot = ims_map_slot(j->locs, code, &isnew);
	if (isnew) {
		rc = ims_master_get(j->t, &ims_loc_schema, code, &j->tmp);
		if (rc && rc != IMS_ENOTFOUND)
			return rc;
		if (rc == IMS_OK)
			*slot = &loc_known;
	}
	if (!*slot)
		return ims_seterr(IMS_EREJECT, "unknown location %s",
		    ims_q(code));
	return IMS_OK;
}

/*
 * A lot or a serial as an item tracked as track (IMS_TRACK_...) wants
 * them: given when tracked, absent when not.  need says what a record
 * that lacks one needs ("lot required").  Shared by every record that
 * names a balance (movements, counts).
 */
int
ims_check_track(int track, const char *sku, const char *lot,
    const char *serial, const char *need_lot, const char *need_serial)
{
	const char *q = ims_q(sku);

	if (track == IMS_TRACK_LOT && !lot)
		return ims_seterr(IMS_EREJECT, "item %s is lot-tracked: %s", q,
		    need_lot);
	if (track != IMS_TRACK_LOT && lot)
		return ims_seterr(IMS_EREJECT, "item %s is not lot-tracked: "
		    "no lot expected", q);
	if (track == IMS_TRACK_SERIAL && !serial)
		return ims_seterr(IMS_EREJECT, "item %s is serial-tracked: %s",
		    q, need_serial);
	if (track != IMS_TRACK_SERIAL && serial)
		return ims_seterr(IMS_EREJECT, "item %s is not "
		    "serial-tracked: no serial expected", q);
	return IMS_OK;
}

/* Lot, serial and expiry as the item's tracking wants them. */
static int
check_tracking(const struct ims_move *m, const struct item_info *it)
{
	const char *sku;
	int rc;

	if ((rc = ims_check_track(it->track, m->sku, m->lot, m->serial,
	    "lot required", "serial required")))
		return rc;
	sku = ims_q(m->sku);
	if (it->track == TRACK_SERIAL && m->qty != 1000)
		return ims_seterr(IMS_EREJECT, "item %s is serial-tracked: "
		    "qty must be 1", sku);
	if (m->expiry != IMS_TIME_NONE && it->track != TRACK_LOT)
		return ims_seterr(IMS_EREJECT, "expiry is kept per lot, and "
		    "item %s is not lot-tracked", sku);
	return IMS_OK;
}

static int
check_endpoints(struct ims_journal *j, const struct ims_move *m)
{
	int rc;

	if ((rc = location(j, m->from)) || (rc = location(j, m->to)))
		return rc;
	if (strcmp(m->from, m->to) == 0)
		return ims_seterr(IMS_EREJECT, "from and to are the same "
		    "location %s", ims_q(m->from));
	if (ims_is_virtual(m->from) && ims_is_virtual(m->to))
		return ims_seterr(IMS_EREJECT, "a movement needs an internal "
		    "location on one side");
	return IMS_OK;
}

static void
side_init(struct side *s, const struct ims_move *m, const char *loc)
{
	s->loc = loc;
	s->internal = !ims_is_virtual(loc);
	memset(&s->bal, 0, sizeof s->bal);
	s->bal.last_ts = INT64_MIN;
	ims_key_init(&s->key);
	ims_key_str(&s->key, m->sku);
	ims_key_str(&s->key, loc);
	ims_key_str(&s->key, m->serial ? m->serial : m->lot ? m->lot : "");
}

static int
load_bal(struct ims_journal *j, struct side *s)
{
	struct ims_val v;
	int rc = ims_get(j->t, IMS_DB_BALANCES, &s->key, &v);

	if (rc == IMS_OK)
		return ims_bal_decode(&v, &s->bal);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}


/*
 * What a balance held, and held free of reservations, at every moment
 * after ts: its history and the history of its allocated figure merged
 * in (ts, seq) order, from the figures just after ts (the current ones
 * less every change after it).  low is the lowest on hand, free the
 * lowest on hand less allocated, each with its moment.
 */
struct low {
	int64_t on_hand, alloc, low, free;
	ims_time low_at, free_at;
	struct delta { ims_time ts; uint64_t seq; int64_t d; } *a;
	size_t na, ia, cap;
};

static void
low_point(struct low *l, ims_time ts)
{
	if (l->on_hand < l->low)
		l->low = l->on_hand, l->low_at = ts;
	if (l->on_hand - l->alloc < l->free)
		l->free = l->on_hand - l->alloc, l->free_at = ts;
}

static int
alloc_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	struct low *l = arg;

	if (l->na == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct delta *v = realloc(l->a, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		l->a = v, l->cap = cap;
	}
	l->a[l->na].ts = ts, l->a[l->na].seq = seq, l->a[l->na++].d = d;
	l->alloc -= d;
	return IMS_OK;
}

/* Apply the allocation changes before (ts, seq). */
static void
allocs_until(struct low *l, ims_time ts, uint64_t seq)
{
	while (l->ia < l->na && (l->a[l->ia].ts < ts ||
	    (l->a[l->ia].ts == ts && l->a[l->ia].seq < seq))) {
		l->alloc += l->a[l->ia].d;
		low_point(l, l->a[l->ia++].ts);
	}
}

static int
sum_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	(void)ts, (void)seq;
	((struct low *)arg)->on_hand -= d;
	return IMS_OK;
}

static int
low_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	struct low *l = arg;

	/* the entry's own allocation change too: a shipment consumes its
	 * reservation in the same entry, never leaving it unbacked */
	allocs_until(l, ts, seq + 1);
	l->on_hand += d;
	low_point(l, ts);
	return IMS_OK;
}

static int
lowest_after(struct ims_journal *j, const struct side *s, ims_time ts,
    struct low *l)
{
	int rc;

	memset(l, 0, sizeof *l);
	l->on_hand = s->bal.on_hand;
	l->alloc = s->bal.allocated;
	if ((rc = ims_each_alloc(j->t, &s->key, ts + 1, alloc_row, l)) ||
	    (rc = ims_each_history(j->t, &s->key, ts + 1, sum_row, l)))
		goto out;
	l->low = l->on_hand, l->free = l->on_hand - l->alloc;
	l->low_at = l->free_at = ts;
	if ((rc = ims_each_history(j->t, &s->key, ts + 1, low_row, l)))
		goto out;
	allocs_until(l, INT64_MAX, UINT64_MAX);
out:
	free(l->a);
	return rc;
}

/* Can qty leave this side at ts, now and at every later moment?  Of
 * it, mine was reserved for the order the movement ships. */
static int
check_withdraw(struct ims_journal *j, const struct ims_move *m,
    struct side *s, ims_dec mine)
{
	char tb[IMS_TIME_BUF];
	int64_t avail = s->bal.on_hand - s->bal.allocated + mine;
	struct low l;
	int rc;

	/* a backdated movement first, so that the message names the
	 * moment it would go negative, not just the balance now */
	if (m->ts < s->bal.last_ts || m->ts < j->now) {
		if ((rc = lowest_after(j, s, m->ts, &l)))
			return rc;
		if (l.low < m->qty)
			return ims_seterr(IMS_EREJECT, "backdated: %s of %s at "
			    "%s would go negative at %s (%s on hand then)",
			    ims_fmtq(m->qty), ims_q(m->sku), ims_q(s->loc),
			    ims_time_fmt(l.low_at, tb), ims_fmtq(l.low));
		if (!m->count_adjust && l.free + mine < m->qty)
			return ims_seterr(IMS_EREJECT, "backdated: %s of %s at "
			    "%s would leave stock reserved for orders unbacked "
			    "at %s (%s free of reservations then)",
			    ims_fmtq(m->qty), ims_q(m->sku), ims_q(s->loc),
			    ims_time_fmt(l.free_at, tb),
			    ims_fmtq(l.free < 0 ? 0 : l.free));
	}
	if (avail < m->qty)
		return ims_seterr(IMS_EREJECT, "not enough stock of %s%s%s at "
		    "%s: %s wanted, %s available%s", ims_q(m->sku),
		    m->lot ? " lot " : m->serial ? " serial " : "",
		    m->lot ? ims_q(m->lot) : m->serial ? ims_q(m->serial) : "",
		    ims_q(s->loc), ims_fmtq(m->qty), ims_fmtq(avail < 0 ? 0 : avail),
		    s->bal.allocated > mine ? " (the rest is reserved for "
		    "orders)" : "");
	return IMS_OK;
}

static int
check_deposit(const struct ims_move *m, const struct side *s)
{
	int64_t r;

	if (ims_dec_add(s->bal.on_hand, m->qty, &r))
		return ims_seterr(IMS_EREJECT, "balance of %s at %s would "
		    "overflow", ims_q(m->sku), ims_q(s->loc));
	return IMS_OK;
}

static void
serial_key(struct ims_key *k, const struct ims_move *m)
{
	ims_key_init(k);
	ims_key_str(k, m->sku);
	ims_key_str(k, m->serial);
}

static int
serial_row(void *arg, const struct ims_balance *b)
{
	const struct ims_move *m = arg;
	char x[IMS_TIME_BUF], y[IMS_TIME_BUF];

	if (strcmp(b->trk, m->serial) != 0 || b->b.last_ts <= m->ts)
		return IMS_OK;
	return ims_seterr(IMS_EREJECT, "backdated: serial %s of %s moved at "
	    "%s, after %s", ims_q(m->serial), ims_q(m->sku),
	    ims_time_fmt(b->b.last_ts, x), ims_time_fmt(m->ts, y));
}

/* Has the serial moved anywhere after m->ts?  Walks the item's
 * balances, for a backdated receipt only. */
static int
serial_moved_after(struct ims_journal *j, const struct ims_move *m)
{
	return ims_each_balance(j->t, m->sku, serial_row, (void *)m);
}

/* A serial is in stock in one place at most, at every moment: a receipt
 * of one in stock is refused, and so is a backdated one if the serial
 * moved after it (it was in stock then, or came in later). */
static int
check_serial(struct ims_journal *j, const struct ims_move *m)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	if (!m->serial || !ims_is_virtual(m->from))
		return IMS_OK;
	serial_key(&k, m);
	rc = ims_get(j->t, IMS_DB_SERIALS, &k, &v);
	if (rc == IMS_OK)
		return ims_seterr(IMS_EREJECT, "serial %s of %s is already "
		    "in stock at %s", ims_q(m->serial), ims_q(m->sku),
		    ims_qn(v.p, v.n));
	if (rc != IMS_ENOTFOUND)
		return rc;
	return m->ts < j->max_ts ? serial_moved_after(j, m) : IMS_OK;
}

/* A new lot's expiry from the item's shelf life: the receipt's date plus
 * that many days, which must still be a date ims can write.  Returns 1
 * (the lot is new), or a rejection. */
static int
shelf_expiry(struct ims_move *m, const struct item_info *it)
{
	char tb[IMS_TIME_BUF];
	ims_time day = m->ts - ((m->ts % 86400) + 86400) % 86400;

	if (it->shelf_days > (IMS_TIME_MAX - day) / 86400)
		return ims_seterr(IMS_EREJECT, "lot %s of %s: %lld days of "
		    "shelf life from %s is past the year 9999", ims_q(m->lot),
		    ims_q(m->sku), (long long)it->shelf_days,
		    ims_date_fmt(day, tb));
	m->expiry = day + it->shelf_days * 86400;
	return 1;
}

/*
 * A lot's expiry is kept once, at its first receipt (given, or the
 * receipt's date plus the item's shelf life).  Returns 1 when the lot is
 * new and must be written.
 */
static int
check_lot(struct ims_journal *j, struct ims_move *m,
    const struct item_info *it, struct ims_key *k)
{
	char a[IMS_TIME_BUF], b[IMS_TIME_BUF];
	ims_time have;
	int rc;

	if (!m->lot)
		return 0;
	ims_key_init(k);
	ims_key_str(k, m->sku);
	ims_key_str(k, m->lot);
	rc = ims_lot_expiry(j->t, m->sku, m->lot, &have);
	if (rc == IMS_ENOTFOUND) {
		if (m->expiry == IMS_TIME_NONE && it->shelf_days > 0)
			return shelf_expiry(m, it);
		return 1;
	}
	if (rc)
		return rc;
	if (m->expiry != IMS_TIME_NONE && have != IMS_TIME_NONE &&
	    m->expiry != have)
		return ims_seterr(IMS_EREJECT, "lot %s of %s expires %s, "
		    "not %s", ims_q(m->lot), ims_q(m->sku),
		    ims_date_fmt(have, a), ims_date_fmt(m->expiry, b));
	if (ims_is_virtual(m->from))
		m->expiry = have;
	return 0;
}

static const char *
move_type(const struct ims_move *m)
{
	if (strcmp(m->from, "@supplier") == 0)
		return "receive";
	if (strcmp(m->to, "@customer") == 0)
		return "ship";
	if (strcmp(m->to, "@scrap") == 0)
		return "scrap";
	if (strcmp(m->from, "@adjust") == 0 || strcmp(m->to, "@adjust") == 0)
		return "adjust";
	return "move";
}

/* The known field's index, or -1; the first letter settles most. */
static int
known_index(const char *name)
{
	for (int i = 0; i < NKNOWN; i++)
		if (known[i][0] == name[0] && strcmp(name, known[i]) == 0)
			return i;
	return -1;
}

static int
is_known(const char *name)
{
	return known_index(name) >= 0;
}

/* The movement as the journal prints it, in a stable key order, up to
 * its hash. */
static void
render(struct ims_journal *j, const struct ims_move *m)
{
	struct ims_buf *b = &j->json;
	char nb[IMS_DEC_BUF], tb[IMS_TIME_BUF];

	ims_entry_open(j, m->ts);
	ims_buf_kv_str(b, "type", move_type(m));
	ims_buf_kv_str(b, "sku", m->sku);
	ims_buf_kv_raw(b, "qty", ims_dec_fmt(m->qty, IMS_QTY, nb));
	ims_buf_kv_str(b, "from", m->from);
	ims_buf_kv_str(b, "to", m->to);
	ims_buf_kv_str(b, "lot", m->lot);
	ims_buf_kv_str(b, "serial", m->serial);
	if (m->expiry != IMS_TIME_NONE)
		ims_buf_kv_str(b, "expiry", ims_date_fmt(m->expiry, tb));
	if (m->has_cost)
		ims_buf_kv_raw(b, "unit_cost", ims_dec_fmt(m->unit_cost,
		    IMS_MONEY, nb));
	ims_buf_kv_str(b, "ref", m->ref);
	if (m->ref && m->fp[0])
		ims_buf_kv_str(b, "ref_fp", m->fp);
	ims_buf_kv_str(b, "po", m->po);
	ims_buf_kv_str(b, "po_line", m->po_line);
	ims_buf_kv_str(b, "order", m->order);
	ims_buf_kv_str(b, "line", m->line);
	ims_buf_kv_str(b, "actor", m->actor ? m->actor : j->actor);
	ims_buf_kv_str(b, "note", m->note);
	for (size_t i = 0; m->extra && i < m->extra->nf; i++) {
		if (is_known(m->extra->f[i].name))
			continue;
		ims_buf_addc(b, ',');
		ims_buf_json_field(b, &m->extra->f[i]);
	}
}

/* Write one side: the new balance and a history row. */
static int
apply(struct ims_journal *j, struct side *s, int64_t delta, ims_time ts,
    uint64_t seq)
{
	struct ims_key hk = s->key;
	int rc;

	s->bal.on_hand += delta;
	if (ts > s->bal.last_ts)
		s->bal.last_ts = ts;
	if ((rc = ims_put(j->t, IMS_DB_BALANCES, &s->key, &s->bal,
	    sizeof s->bal, 0)))
		return rc;
	ims_key_i64(&hk, ts);
	ims_key_u64(&hk, seq);
	return ims_put(j->t, IMS_DB_HISTORY, &hk, &delta, 8, 0);
}

static int
write_serial(struct ims_journal *j, const struct ims_move *m)
{
	struct ims_key k;

	if (!m->serial)
		return IMS_OK;
	serial_key(&k, m);
	if (ims_is_virtual(m->to)) {
		int rc = ims_del(j->t, IMS_DB_SERIALS, &k);
		return rc == IMS_ENOTFOUND ? IMS_OK : rc;
	}
	return ims_put(j->t, IMS_DB_SERIALS, &k, m->to, strlen(m->to), 0);
}

/* A restore trusts the master data the entry was posted against: the
 * chain vouches for it, and an upgraded store's master entries come
 * after the movements that used them. */
static struct item_info restored_item;

static int
check_move(struct ims_journal *j, struct ims_move *m, struct item_info **it)
{
	char tb[IMS_TIME_BUF];
	int rc;

	if (m->seq)
		*it = &restored_item;

	if (m->qty <= 0)
		return ims_seterr(IMS_EREJECT, "qty must be positive, not %s",
		    ims_fmtq(m->qty));
	if (m->ts == IMS_TIME_NONE)
		m->ts = j->now;
	else if (m->ts > j->now + FUTURE_SLACK)
		return ims_seterr(IMS_EREJECT, "ts %s is in the future",
		    ims_q(ims_time_fmt(m->ts, tb)));
	if (!m->seq && ((rc = item(j, m->sku, it)) ||
	    (rc = check_tracking(m, *it)) || (rc = check_endpoints(j, m))))
		return rc;
	if (!m->seq && (*it)->kit)
		return ims_seterr(IMS_EREJECT, "sku %s is a kit: it holds no "
		    "stock of its own (move its components)", ims_q(m->sku));
	if (m->seq && strcmp(m->from, m->to) == 0)
		return ims_seterr(IMS_EREJECT, "from and to are the same");
	if (strcmp(m->from, "@supplier") == 0 && !m->has_cost &&
	    (*it)->has_cost) {
		m->unit_cost = (*it)->cost;
		m->has_cost = 1;
	}
	return IMS_OK;
}

/*
 * A shipment for an order line consumes what is reserved for that line
 * in the balance it ships from, up to its qty: *r names the
 * reservation, *mine how much of it the shipment takes.
 */
static int
check_order(struct ims_journal *j, const struct ims_move *m,
    struct ims_resv *r, ims_dec *mine)
{
	struct ims_oline l;
	int rc;

	*mine = 0;
	if (!m->order)
		return m->line ? ims_seterr(IMS_EREJECT, "line without "
		    "order") : IMS_OK;
	if (!m->line)
		return ims_seterr(IMS_EREJECT, "order %s: the line it ships "
		    "is missing", ims_q(m->order));
	if (strcmp(m->to, "@customer") != 0)
		return ims_seterr(IMS_EREJECT, "a movement for an order goes "
		    "to @customer");
	if ((rc = ims_oline_get(j->t, m->order, m->line, &l)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown "
		    "order %s line %s", ims_q(m->order), ims_q(m->line)) : rc;
	if (!ims_oline_comp(&l, m->sku))
		return ims_seterr(IMS_EREJECT, "order %s line %s has no sku "
		    "%s", ims_q(m->order), ims_q(m->line), ims_q(m->sku));
	memset(r, 0, sizeof *r);
	r->order = m->order, r->line = m->line, r->sku = m->sku;
	r->loc = m->from, r->trk = m->serial ? m->serial : m->lot;
	r->serial = m->serial != NULL;
	if ((rc = ims_resv_get(j->t, r, mine)))
		return rc;
	if (*mine > m->qty)
		*mine = m->qty;
	return IMS_OK;
}

/*
 * A receipt naming a po is checked against it: the line it names (or the
 * first open one for its sku) takes it.  m->po_line is set to that
 * line, in buf, so that the entry records it.
 */
static int
check_po(struct ims_journal *j, struct ims_move *m,
    const struct item_info *it, char *buf, size_t size)
{
	int64_t tol = it->tol >= 0 ? it->tol : m->po_tol;
	struct ims_po po;
	int rc;

	if (!m->po) {
		if (m->po_line)
			return ims_seterr(IMS_EREJECT, "po_line without po");
		return IMS_OK;
	}
	if (strcmp(m->from, "@supplier") != 0)
		return IMS_OK;
	/* a restore replays what was accepted, whatever the tolerance */
	if ((rc = ims_po_check_receipt(j->t, m->po, m->po_line, m->sku,
	    m->qty, m->seq ? INT64_MAX / 2 : tol, buf, size)))
		return rc;
	m->po_line = buf;
	/* lead times run from approval: nothing arrives before it */
	if (!m->seq && (rc = ims_po_get(j->t, m->po, &po)))
		return rc;
	if (!m->seq && m->ts < po.approved) {
		char tb[IMS_TIME_BUF];

		return ims_seterr(IMS_EREJECT, "po %s was approved at %s: a "
		    "receipt before it cannot be against it", ims_q(m->po),
		    ims_time_fmt(po.approved, tb));
	}
	return IMS_OK;
}

/* Post a movement that has passed check_move. */
static int
post(struct ims_journal *j, struct ims_move *m, struct item_info *it)
{
	struct side from, to;
	struct ims_key lotkey;
	struct ims_entry e = { .kind = IMS_KIND_MOVE };
	struct ims_resv r;
	ims_dec mine;
	char poline[IMS_ID_MAX + 1];
	int rc, newlot;

	side_init(&from, m, m->from);
	side_init(&to, m, m->to);
	if ((rc = check_order(j, m, &r, &mine)) ||
	    (rc = check_po(j, m, it, poline, sizeof poline)))
		return rc;
	if (from.internal && (rc = load_bal(j, &from)))
		return rc;
	/* a count's adjustment takes what the count says is not there,
	 * reserved or not: the reservations made on it are released */
	if (m->count_adjust && from.internal)
		mine = from.bal.allocated;
	if ((from.internal && (rc = check_withdraw(j, m, &from, mine))) ||
	    (to.internal && ((rc = load_bal(j, &to)) ||
	    (rc = check_deposit(m, &to)))) ||
	    (rc = check_serial(j, m)))
		return rc;
	if ((newlot = check_lot(j, m, it, &lotkey)) < 0)
		return newlot;
	render(j, m);
	e.ts = m->ts, e.qty = m->qty;
	e.sku = m->sku, e.from = m->from, e.to = m->to;
	e.trk = m->serial ? m->serial : m->lot ? m->lot : "";
	if ((rc = ims_journal_append(j, &e, m->hash)) ||
	    (from.internal && (rc = apply(j, &from, -m->qty, m->ts, e.seq))) ||
	    (to.internal && (rc = apply(j, &to, m->qty, m->ts, e.seq))) ||
	    (newlot && (rc = ims_put(j->t, IMS_DB_LOTS, &lotkey, &m->expiry,
	    8, 0))))
		return rc;
	if (m->order && (rc = ims_resv_apply(j, &r, -mine, m->qty, m->ts,
	    e.seq)))
		return rc;
	if (m->po && strcmp(m->from, "@supplier") == 0 &&
	    (rc = ims_po_receive(j, m->po, m->po_line, m->qty, m->ts)))
		return rc;
	return write_serial(j, m);
}

/*
 * Post one movement in the journal's transaction.  Returns IMS_OK with
 * its seq, IMS_ESKIP when its ref posted the same before, IMS_EREJECT
 * with a message (a ref that posted other content among them), or a
 * store error.
 */
int
ims_post(struct ims_journal *j, struct ims_move *m, uint64_t *seqp)
{
	struct item_info *it = NULL;
	struct ims_key refkey;
	int rc;

	if ((rc = check_move(j, m, &it)))
		return rc;
	if (m->ref && (rc = ims_ref_claim(j, m->ref, m->fp, &refkey)))
		return rc;
	if (seqp)
		*seqp = j->next_seq;
	rc = post(j, m, it);
	if (rc == IMS_EREJECT && m->ref) {
		int drc = ims_del(j->t, IMS_DB_REFS, &refkey);
		if (drc)
			return drc;
	}
	return rc;
}

/* A string field that names something: present, a string or number. */
static int
id_field(const struct ims_field *const *tab, int k, int need,
    const char **out)
{
	const struct ims_field *f = tab[k];
	const char *name = known[k];

	*out = NULL;
	if (!f || f->type == IMS_F_NULL || f->len == 0)
		return need ? ims_seterr(IMS_EREJECT, "missing field %s",
		    name) : IMS_OK;
	if (f->type != IMS_F_STR && f->type != IMS_F_NUM)
		return ims_seterr(IMS_EREJECT, "%s must be a string", name);
	*out = f->val;
	return ims_check_id(name, f->val);
}

static int
num_field(const struct ims_field *const *tab, int k, int scale, ims_dec *v,
    int *has)
{
	const struct ims_field *f = tab[k];
	const char *name = known[k], *why;

	*has = 0;
	if (!f || f->type == IMS_F_NULL || f->len == 0)
		return IMS_OK;
	if (f->type != IMS_F_STR && f->type != IMS_F_NUM)
		return ims_seterr(IMS_EREJECT, "%s must be a number", name);
	if ((why = ims_dec_parse(f->val, f->len, scale, v)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name,
		    ims_q(f->val), why);
	*has = 1;
	return IMS_OK;
}

static int
time_field(const struct ims_field *const *tab, int k, ims_time *t)
{
	const struct ims_field *f = tab[k];
	const char *name = known[k], *s, *why;

	*t = IMS_TIME_NONE;
	if (!f || f->type == IMS_F_NULL || f->len == 0)
		return IMS_OK;
	s = f->val;
	if ((why = ims_time_parse(s, strlen(s), t)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name, ims_q(s),
		    why);
	return IMS_OK;
}

/* An exported entry names its seq, actor and hash. */
static int
restore_fields(const struct ims_move *m)
{
	int rc;

	if (ims_is_virtual(m->from) && ims_is_virtual(m->to))
		return ims_seterr(IMS_EREJECT, "a movement needs an internal "
		    "location on one side");
	if ((ims_is_virtual(m->from) && (rc = check_virtual(m->from))) ||
	    (ims_is_virtual(m->to) && (rc = check_virtual(m->to))))
		return rc;
	return IMS_OK;
}

/* An exported entry's fingerprint of its ref, if it has one (an entry
 * posted before fingerprints has none). */
static int
restored_fp(struct ims_move *m, const struct ims_field *const *tab)
{
	const struct ims_field *f = tab[K_REF_FP];

	if (!f || f->type == IMS_F_NULL)
		return IMS_OK;
	if (f->type != IMS_F_STR || f->len != IMS_FP_LEN ||
	    strspn(f->val, "0123456789abcdef") != IMS_FP_LEN)
		return ims_seterr(IMS_EREJECT, "restore: ref_fp is not %d hex "
		    "digits", IMS_FP_LEN);
	memcpy(m->fp, f->val, IMS_FP_LEN + 1);
	return IMS_OK;
}


/*
 * The fingerprint of what the record asks to post: the command, then
 * every field it gives that decides what is stored, in its normal form
 * (2.50 is 2.5, a ts is UTC), and the unknown fields it carries.  What
 * ims fills in itself (the ts of now, the item's cost) is left out, so
 * that the same file run again later has the same fingerprint.
 */
static void
fingerprint(struct ims_move *m, int kind, const struct ims_rec *r)
{
	static struct ims_buf b;	/* kept: one per record is a lot */
	char nb[IMS_DEC_BUF], tb[IMS_TIME_BUF];

	b.n = 0;
	ims_canon_add(&b, "command", kind == IMS_RECEIPT ? "receipt" :
	    "transfer");
	ims_canon_add(&b, "sku", m->sku);
	ims_canon_add(&b, "qty", ims_dec_fmt(m->qty, IMS_QTY, nb));
	ims_canon_add(&b, "from", m->from);
	ims_canon_add(&b, "to", m->to);
	ims_canon_add(&b, "lot", m->lot);
	ims_canon_add(&b, "serial", m->serial);
	if (m->expiry != IMS_TIME_NONE)
		ims_canon_add(&b, "expiry", ims_date_fmt(m->expiry, tb));
	if (m->has_cost)
		ims_canon_add(&b, "unit_cost", ims_dec_fmt(m->unit_cost,
		    IMS_MONEY, nb));
	if (m->ts != IMS_TIME_NONE)
		ims_canon_add(&b, "ts", ims_time_fmt(m->ts, tb));
	ims_canon_add(&b, "po", m->po);
	ims_canon_add(&b, "order", m->order);
	ims_canon_add(&b, "line", m->line);
	ims_canon_add(&b, "po_line", m->po_line);
	ims_canon_add(&b, "note", m->note);
	for (size_t i = 0; i < r->nf; i++)
		if (!is_known(r->f[i].name) && r->f[i].type != IMS_F_NULL)
			ims_canon_add(&b, r->f[i].name, r->f[i].val);
	ims_fingerprint(&b, m->fp);
}

/* What each command may post: receipts land in a stored location
 * (internal, or transit for goods on their way); transfers leave one,
 * for another, @customer or @scrap. */
static int
check_kind(const struct ims_move *m, int kind)
{
	if (kind == IMS_RECEIPT && ims_is_virtual(m->to))
		return ims_seterr(IMS_EREJECT, "location %s: a receipt goes "
		    "into a stored location (internal or transit), not a "
		    "virtual one", ims_q(m->to));
	if (kind == IMS_TRANSFER && ims_is_virtual(m->from))
		return ims_seterr(IMS_EREJECT, "from %s: a transfer leaves an "
		    "internal location (use ims-receive for receipts)",
		    ims_q(m->from));
	if (kind == IMS_TRANSFER && ims_is_virtual(m->to) &&
	    strcmp(m->to, "@customer") != 0 && strcmp(m->to, "@scrap") != 0)
		return ims_seterr(IMS_EREJECT, "to %s: a transfer goes to a "
		    "location, @customer or @scrap", ims_q(m->to));
	return IMS_OK;
}

/*
 * Read a movement from a record: a receipt (sku, qty, location) comes
 * from @supplier; a move names from and to.  Optional: lot, serial,
 * expiry, unit_cost, ref, po, note, ts.  Unknown fields ride along.
 */
int
ims_move_parse(struct ims_move *m, const struct ims_rec *r, int kind)
{
	const struct ims_field *tab[NKNOWN] = { 0 };
	int rc, has;

	for (size_t i = 0; i < r->nf; i++) {
		int k = known_index(r->f[i].name);
		if (k >= 0 && !tab[k])
			tab[k] = &r->f[i];
	}
	memset(m, 0, sizeof *m);
	m->extra = r;
	if ((rc = id_field(tab, K_SKU, 1, &m->sku)) ||
	    (rc = num_field(tab, K_QTY, IMS_QTY, &m->qty, &has)))
		return rc;
	if (!has)
		return ims_seterr(IMS_EREJECT, "missing field qty");
	if (kind == IMS_RECEIPT) {
		m->from = "@supplier";
		rc = id_field(tab, K_LOCATION, 1, &m->to);
	} else if (!(rc = id_field(tab, K_FROM, 1, &m->from)))
		rc = id_field(tab, K_TO, 1, &m->to);
	if (!rc && kind == IMS_RESTORE)
		rc = restore_fields(m);
	if (rc || (rc = check_kind(m, kind)) ||
	    (rc = id_field(tab, K_LOT, 0, &m->lot)) ||
	    (rc = id_field(tab, K_SERIAL, 0, &m->serial)) ||
	    (rc = id_field(tab, K_REF, 0, &m->ref)) ||
	    (rc = id_field(tab, K_PO, 0, &m->po)) ||
	    (rc = id_field(tab, K_ORDER, 0, &m->order)) ||
	    (rc = id_field(tab, K_LINE, 0, &m->line)) ||
	    (rc = id_field(tab, K_PO_LINE, 0, &m->po_line)) ||
	    (rc = time_field(tab, K_TS, &m->ts)) ||
	    (rc = time_field(tab, K_EXPIRY, &m->expiry)) ||
	    (rc = num_field(tab, K_UNIT_COST, IMS_MONEY, &m->unit_cost,
	    &m->has_cost)))
		return rc;
	if (m->has_cost && m->unit_cost < 0)
		return ims_seterr(IMS_EREJECT, "unit_cost must not be "
		    "negative");
	if (tab[K_NOTE] && tab[K_NOTE]->type != IMS_F_NULL)
		m->note = tab[K_NOTE]->val;
	/* a count's adjustment took what the count said was not there,
	 * reserved or not (its releases follow it) */
	if (kind == IMS_RESTORE && strcmp(m->to, "@adjust") == 0 &&
	    ims_rec_field(r, "count"))
		m->count_adjust = 1;
	if (m->ref && kind == IMS_RESTORE)
		return restored_fp(m, tab);
	if (m->ref)
		fingerprint(m, kind, r);
	return IMS_OK;
}
