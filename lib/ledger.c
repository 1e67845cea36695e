/*
 * ledger.c: the double-entry core.  A movement takes a quantity of one
 * sku (and lot or serial) from one location to another.  Posting it
 * appends to the journal and, in the same transaction, updates the
 * balance and history of each internal side, the ref, the lot and the
 * serial.  Every check comes before the first write, so a rejected
 * movement leaves nothing behind.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims.h"

#define FUTURE_SLACK 300	/* seconds of clock skew a ts may have */

enum { TRACK_NONE, TRACK_LOT, TRACK_SERIAL };

struct item_info {
	int track;
	int has_cost;
	ims_dec cost;
	int64_t shelf_days;
};

/* One side of a movement, as found before any write. */
struct side {
	const char *loc;
	int internal;
	struct ims_key key;		/* sku, location, lot */
	struct ims_bal bal;
};

struct ims_ledger {
	struct ims_txn *t;
	struct ims_map *items, *locs;
	uint64_t next_seq, first_seq;
	ims_time max_ts, now;
	char head[65];			/* hash of the last entry */
	char next_head[65];		/* hash of the one being posted */
	struct ims_buf json, val;
	struct ims_rec tmp;
};

const char *const ims_move_cols[] = { "seq", "ts", "type", "sku", "qty",
	"from", "to", "lot", "serial", "expiry", "unit_cost", "ref", "po",
	"actor", "note", NULL };

/* Fields a movement record may carry; others are kept as they are. */
enum { K_SEQ, K_TS, K_TYPE, K_SKU, K_QTY, K_FROM, K_TO, K_LOCATION, K_LOT,
	K_SERIAL, K_EXPIRY, K_UNIT_COST, K_REF, K_PO, K_ACTOR, K_NOTE,
	K_HASH, NKNOWN };
static const char *const known[NKNOWN + 1] = { "seq", "ts", "type", "sku",
	"qty", "from", "to", "location", "lot", "serial", "expiry",
	"unit_cost", "ref", "po", "actor", "note", "hash", NULL };

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

/* Who posts: $IMS_ACTOR, else the login name as the environment gives
 * it (login and cron set LOGNAME), else the password file's name for the
 * user id; asking NSS first would cost every one-record call.  It is
 * stored in the journal, so it must be an identifier: NULL, with the
 * message set, when it is not. */
static const char *
actor(void)
{
	static const char *const vars[] = { "IMS_ACTOR", "LOGNAME", "USER" };
	static char name[IMS_ID_MAX + 1];
	struct passwd *pw;
	const char *s = NULL, *from = "the password file";

	if (name[0])
		return name;
	for (size_t i = 0; i < sizeof vars / sizeof *vars && !s; i++)
		if ((s = getenv(vars[i])) && !*s)
			s = NULL;
		else if (s)
			from = vars[i];
	if (!s && (pw = getpwuid(geteuid())))
		s = pw->pw_name;
	if (s && *s && !ims_utf8_valid(s, strlen(s))) {
		ims_seterr(IMS_EREJECT, "actor from %s is not valid UTF-8",
		    from);
		return NULL;
	}
	if (s && *s && ims_check_id(from, s))
		return NULL;
	if (s && *s)
		snprintf(name, sizeof name, "%s", s);
	else
		snprintf(name, sizeof name, "uid%ld", (long)geteuid());
	return name;
}

/* The environment a posting depends on: IMS_NOW and the actor. */
int
ims_post_env(ims_time *now)
{
	if ((*now = ims_now()) == IMS_TIME_NONE || !actor())
		return IMS_EREJECT;
	return IMS_OK;
}

int
ims_ledger_begin(struct ims_txn *t, struct ims_ledger **lp)
{
	struct ims_ledger *l = calloc(1, sizeof *l);
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key, val;
	int rc;

	ims_time now;

	if ((rc = ims_post_env(&now))) {
		free(l);
		return rc;
	}
	if (!l || !(l->items = ims_map_new()) || !(l->locs = ims_map_new()))
		return ims_seterr(IMS_ESTORE, "out of memory");
	l->t = t;
	l->now = now;
	l->next_seq = 1;
	l->max_ts = INT64_MIN;
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &c)))
		return rc;
	rc = ims_cursor_last(c, &key, NULL);
	if (rc == IMS_OK && key.n == 8)
		l->next_seq = ims_get_u64(key.p) + 1;
	ims_cursor_close(c);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	l->first_seq = l->next_seq;
	ims_key_init(&k);
	ims_key_str(&k, "max_ts");
	rc = ims_get(t, IMS_DB_META, &k, &val);
	if (rc == IMS_OK && val.n == 8)
		memcpy(&l->max_ts, val.p, 8);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	memset(l->head, '0', 64);
	ims_key_init(&k);
	ims_key_str(&k, "head");
	rc = ims_get(t, IMS_DB_META, &k, &val);
	if (rc == IMS_OK && val.n == 64)
		memcpy(l->head, val.p, 64);
	*lp = l;
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

int
ims_ledger_end(struct ims_ledger *l)
{
	struct ims_key k;
	int rc;

	if (l->next_seq == l->first_seq)
		return IMS_OK;
	ims_key_init(&k);
	ims_key_str(&k, "max_ts");
	if ((rc = ims_put(l->t, IMS_DB_META, &k, &l->max_ts, 8, 0)))
		return rc;
	ims_key_init(&k);
	ims_key_str(&k, "head");
	return ims_put(l->t, IMS_DB_META, &k, l->head, 64, 0);
}

void
ims_ledger_free(struct ims_ledger *l)
{
	if (!l)
		return;
	ims_map_free(l->items, free);
	ims_map_free(l->locs, NULL);
	ims_buf_free(&l->json);
	ims_buf_free(&l->val);
	ims_rec_free(&l->tmp);
	free(l);
}

void
ims_ledger_range(const struct ims_ledger *l, uint64_t *first,
    uint64_t *last)
{
	*first = l->first_seq;
	*last = l->next_seq - 1;
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
	if ((s = ims_rec_str(r, "shelf_life_days")) &&
	    ims_dec_parse(s, strlen(s), 0, &it->shelf_days))
		it->shelf_days = 0;
	return it;
}

/* The item, from the batch's cache or the store. */
static int
item(struct ims_ledger *l, const char *sku, struct item_info **ip)
{
	int isnew, rc;
	void **slot = ims_map_slot(l->items, sku, &isnew);

	if (isnew) {
		rc = ims_master_get(l->t, &ims_item_schema, sku, &l->tmp);
		if (rc && rc != IMS_ENOTFOUND)
			return rc;
		if (rc == IMS_OK && !(*slot = read_item(&l->tmp)))
			return ims_seterr(IMS_ESTORE, "out of memory");
	}
	if (!(*ip = *slot))
		return ims_seterr(IMS_EREJECT, "unknown sku %s", ims_q(sku));
	return IMS_OK;
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
location(struct ims_ledger *l, const char *code)
{
	int isnew, rc;
	void **slot;

	if (ims_is_virtual(code))
		return check_virtual(code);
	slot = ims_map_slot(l->locs, code, &isnew);
	if (isnew) {
		rc = ims_master_get(l->t, &ims_loc_schema, code, &l->tmp);
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

/* Lot, serial and expiry as the item's tracking wants them. */
static int
check_tracking(const struct ims_move *m, const struct item_info *it)
{
	const char *sku = ims_q(m->sku);

	if (it->track == TRACK_LOT && !m->lot)
		return ims_seterr(IMS_EREJECT, "item %s is lot-tracked: "
		    "lot required", sku);
	if (it->track != TRACK_LOT && m->lot)
		return ims_seterr(IMS_EREJECT, "item %s is not lot-tracked: "
		    "no lot expected", sku);
	if (it->track == TRACK_SERIAL && !m->serial)
		return ims_seterr(IMS_EREJECT, "item %s is serial-tracked: "
		    "serial required", sku);
	if (it->track != TRACK_SERIAL && m->serial)
		return ims_seterr(IMS_EREJECT, "item %s is not "
		    "serial-tracked: no serial expected", sku);
	if (it->track == TRACK_SERIAL && m->qty != 1000)
		return ims_seterr(IMS_EREJECT, "item %s is serial-tracked: "
		    "qty must be 1", sku);
	if (m->expiry != IMS_TIME_NONE && it->track != TRACK_LOT)
		return ims_seterr(IMS_EREJECT, "expiry is kept per lot, and "
		    "item %s is not lot-tracked", sku);
	return IMS_OK;
}

static int
check_endpoints(struct ims_ledger *l, const struct ims_move *m)
{
	int rc;

	if ((rc = location(l, m->from)) || (rc = location(l, m->to)))
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
load_bal(struct ims_ledger *l, struct side *s)
{
	struct ims_val v;
	int rc = ims_get(l->t, IMS_DB_BALANCES, &s->key, &v);

	if (rc == IMS_OK && v.n == sizeof s->bal)
		memcpy(&s->bal, v.p, sizeof s->bal);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

static const char *
fmtq(ims_dec q)
{
	static char b[2][IMS_DEC_BUF];
	static int i;

	return ims_dec_fmt(q, IMS_QTY, b[i++ & 1]);
}

/*
 * The lowest on-hand of a balance at any moment after ts, found by
 * walking its history forward from ts: the balance just after ts is the
 * current one less everything after it.
 */
static int
lowest_after(struct ims_ledger *l, const struct side *s, ims_time ts,
    int64_t *low, ims_time *when)
{
	struct ims_cursor *c;
	struct ims_key k = s->key;
	struct ims_val key, val;
	int64_t sum = 0, minsum = 0, d;
	int rc;

	ims_key_i64(&k, ts + 1);
	ims_key_u64(&k, 0);
	*when = ts;
	if ((rc = ims_cursor_open(l->t, IMS_DB_HISTORY, &c)))
		return rc;
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val)) {
		if (key.n != s->key.n + 16 || memcmp(key.p, s->key.b,
		    s->key.n) != 0)
			break;
		memcpy(&d, val.p, 8);
		sum += d;
		if (sum < minsum) {
			minsum = sum;
			*when = ims_get_i64((const unsigned char *)key.p +
			    s->key.n);
		}
	}
	ims_cursor_close(c);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	*low = s->bal.on_hand - sum + minsum;
	return IMS_OK;
}

/* Can qty leave this side at ts, now and at every later moment? */
static int
check_withdraw(struct ims_ledger *l, const struct ims_move *m,
    struct side *s)
{
	char tb[IMS_TIME_BUF];
	int64_t avail = s->bal.on_hand - s->bal.allocated, low;
	ims_time when;
	int rc;

	/* a backdated movement first, so that the message names the
	 * moment it would go negative, not just the balance now */
	if (m->ts < s->bal.last_ts) {
		if ((rc = lowest_after(l, s, m->ts, &low, &when)))
			return rc;
		if (low < m->qty)
			return ims_seterr(IMS_EREJECT, "backdated: %s of %s at "
			    "%s would go negative at %s (%s on hand then)",
			    fmtq(m->qty), ims_q(m->sku), ims_q(s->loc),
			    ims_time_fmt(when, tb), fmtq(low));
	}
	if (avail < m->qty)
		return ims_seterr(IMS_EREJECT, "not enough stock of %s%s%s at "
		    "%s: %s wanted, %s available", ims_q(m->sku),
		    m->lot ? " lot " : m->serial ? " serial " : "",
		    m->lot ? ims_q(m->lot) : m->serial ? ims_q(m->serial) : "",
		    ims_q(s->loc), fmtq(m->qty), fmtq(avail < 0 ? 0 : avail));
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

/* Has the serial moved anywhere after m->ts?  Walks the item's
 * balances, for a backdated receipt only. */
static int
serial_moved_after(struct ims_ledger *l, const struct ims_move *m)
{
	char a[IMS_TIME_BUF], b[IMS_TIME_BUF];
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key, val;
	struct ims_bal bal;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, m->sku);
	if ((rc = ims_cursor_open(l->t, IMS_DB_BALANCES, &c)))
		return rc;
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val)) {
		const char *loc = (const char *)key.p + k.n;

		if (key.n <= k.n || memcmp(key.p, k.b, k.n) != 0)
			break;
		if (val.n != sizeof bal || strcmp(loc + strlen(loc) + 1,
		    m->serial) != 0)
			continue;
		memcpy(&bal, val.p, sizeof bal);
		if (bal.last_ts > m->ts) {
			rc = ims_seterr(IMS_EREJECT, "backdated: serial %s of "
			    "%s moved at %s, after %s", ims_q(m->serial),
			    ims_q(m->sku), ims_time_fmt(bal.last_ts, a),
			    ims_time_fmt(m->ts, b));
			break;
		}
	}
	ims_cursor_close(c);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/* A serial is in stock in one place at most, at every moment: a receipt
 * of one in stock is refused, and so is a backdated one if the serial
 * moved after it (it was in stock then, or came in later). */
static int
check_serial(struct ims_ledger *l, const struct ims_move *m)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	if (!m->serial || !ims_is_virtual(m->from))
		return IMS_OK;
	serial_key(&k, m);
	rc = ims_get(l->t, IMS_DB_SERIALS, &k, &v);
	if (rc == IMS_OK)
		return ims_seterr(IMS_EREJECT, "serial %s of %s is already "
		    "in stock at %s", ims_q(m->serial), ims_q(m->sku),
		    ims_qn(v.p, v.n));
	if (rc != IMS_ENOTFOUND)
		return rc;
	return m->ts < l->max_ts ? serial_moved_after(l, m) : IMS_OK;
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
check_lot(struct ims_ledger *l, struct ims_move *m,
    const struct item_info *it, struct ims_key *k)
{
	char a[IMS_TIME_BUF], b[IMS_TIME_BUF];
	struct ims_val v;
	ims_time have;
	int rc;

	if (!m->lot)
		return 0;
	ims_key_init(k);
	ims_key_str(k, m->sku);
	ims_key_str(k, m->lot);
	rc = ims_get(l->t, IMS_DB_LOTS, k, &v);
	if (rc == IMS_ENOTFOUND) {
		if (m->expiry == IMS_TIME_NONE && it->shelf_days > 0)
			return shelf_expiry(m, it);
		return 1;
	}
	if (rc)
		return rc;
	memcpy(&have, v.p, 8);
	if (m->expiry != IMS_TIME_NONE && have != IMS_TIME_NONE &&
	    m->expiry != have)
		return ims_seterr(IMS_EREJECT, "lot %s of %s expires %s, "
		    "not %s", ims_q(m->lot), ims_q(m->sku),
		    ims_date_fmt(have, a), ims_date_fmt(m->expiry, b));
	if (ims_is_virtual(m->from))
		m->expiry = have;
	return 0;
}

/*
 * Claim the ref for the entry about to be posted: one put that fails
 * when the ref is there already (then it says which seq has it), instead
 * of a look-up and a put.  A record rejected after this gives it back.
 */
static int
claim_ref(struct ims_ledger *l, const char *ref, struct ims_key *k)
{
	struct ims_val v;
	unsigned char s[8];
	int rc;

	ims_key_init(k);
	ims_key_str(k, ref);
	for (int i = 0; i < 8; i++)
		s[i] = l->next_seq >> (56 - 8 * i);
	rc = ims_put(l->t, IMS_DB_REFS, k, s, 8, IMS_PUT_NEW);
	if (rc != IMS_ESKIP)
		return rc;
	if ((rc = ims_get(l->t, IMS_DB_REFS, k, &v)))
		return rc;
	return ims_seterr(IMS_ESKIP, "ref %s already posted as seq %llu: "
	    "skipped", ims_q(ref),
	    (unsigned long long)(v.n == 8 ? ims_get_u64(v.p) : 0));
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

static void chain(struct ims_ledger *l, struct ims_buf *b);

static void
json_str(struct ims_buf *b, const char *name, const char *v)
{
	if (!v)
		return;
	ims_buf_addc(b, ',');
	ims_buf_json_str(b, name, strlen(name));
	ims_buf_addc(b, ':');
	ims_buf_json_str(b, v, strlen(v));
}

static void
json_raw(struct ims_buf *b, const char *name, const char *v)
{
	ims_buf_addc(b, ',');
	ims_buf_json_str(b, name, strlen(name));
	ims_buf_addc(b, ':');
	ims_buf_adds(b, v);
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

/* The movement as the journal prints it, in a stable key order. */
static void
render(struct ims_ledger *l, const struct ims_move *m, uint64_t seq)
{
	struct ims_buf *b = &l->json;
	char nb[IMS_DEC_BUF], tb[IMS_TIME_BUF];

	b->n = 0;
	snprintf(nb, sizeof nb, "%llu", (unsigned long long)seq);
	ims_buf_adds(b, "{\"seq\":");
	ims_buf_adds(b, nb);
	json_str(b, "ts", ims_time_fmt(m->ts, tb));
	json_str(b, "type", move_type(m));
	json_str(b, "sku", m->sku);
	json_raw(b, "qty", ims_dec_fmt(m->qty, IMS_QTY, nb));
	json_str(b, "from", m->from);
	json_str(b, "to", m->to);
	json_str(b, "lot", m->lot);
	json_str(b, "serial", m->serial);
	if (m->expiry != IMS_TIME_NONE)
		json_str(b, "expiry", ims_date_fmt(m->expiry, tb));
	if (m->has_cost)
		json_raw(b, "unit_cost", ims_dec_fmt(m->unit_cost, IMS_MONEY,
		    nb));
	json_str(b, "ref", m->ref);
	json_str(b, "po", m->po);
	json_str(b, "actor", m->actor ? m->actor : actor());
	json_str(b, "note", m->note);
	for (size_t i = 0; m->extra && i < m->extra->nf; i++) {
		if (is_known(m->extra->f[i].name))
			continue;
		ims_buf_addc(b, ',');
		ims_buf_json_field(b, &m->extra->f[i]);
	}
	chain(l, b);
}

/*
 * Close the entry with its link in the hash chain: the SHA-256 of the
 * previous entry's hash (hex) and this entry's JSON without the hash.
 */
static void
chain(struct ims_ledger *l, struct ims_buf *b)
{
	struct ims_sha256 c;
	unsigned char d[32];
	static const char hex[] = "0123456789abcdef";

	ims_sha256_init(&c);
	ims_sha256_add(&c, l->head, 64);
	ims_sha256_add(&c, b->p, b->n);
	ims_sha256_add(&c, "}", 1);
	ims_sha256_end(&c, d);
	for (int i = 0; i < 32; i++) {
		l->next_head[2 * i] = hex[d[i] >> 4];
		l->next_head[2 * i + 1] = hex[d[i] & 15];
	}
	l->next_head[64] = '\0';
	ims_buf_adds(b, ",\"hash\":\"");
	ims_buf_add(b, l->next_head, 64);
	ims_buf_adds(b, "\"}");
}

/*
 * The stored form: ts, qty, late flag, then sku, from, to, lot-or-serial
 * as C strings, then the JSON text, so that balances can be recomputed
 * without parsing JSON.
 */
static int
append_journal(struct ims_ledger *l, const struct ims_move *m, uint64_t seq,
    int late)
{
	struct ims_buf *v = &l->val;
	struct ims_key k;
	const char *trk = m->serial ? m->serial : m->lot ? m->lot : "";
	unsigned char flag = late;

	v->n = 0;
	ims_buf_add(v, &m->ts, 8);
	ims_buf_add(v, &m->qty, 8);
	ims_buf_add(v, &flag, 1);
	ims_buf_add(v, m->sku, strlen(m->sku) + 1);
	ims_buf_add(v, m->from, strlen(m->from) + 1);
	ims_buf_add(v, m->to, strlen(m->to) + 1);
	ims_buf_add(v, trk, strlen(trk) + 1);
	ims_buf_add(v, l->json.p, l->json.n);
	ims_key_init(&k);
	ims_key_u64(&k, seq);
	return ims_put(l->t, IMS_DB_JOURNAL, &k, v->p, v->n, IMS_PUT_APPEND);
}

int
ims_entry_decode(const struct ims_val *k, const struct ims_val *v,
    struct ims_entry *e)
{
	const char *p = v->p, *end = p + v->n;
	const char **str[] = { &e->sku, &e->from, &e->to, &e->trk };

	if (k->n != 8)
		return ims_seterr(IMS_ESTORE, "journal entry with a key of %zu "
		    "bytes (not 8) is damaged", k->n);
	e->seq = ims_get_u64(k->p);
	if (v->n < 17)
		return ims_seterr(IMS_ESTORE, "journal entry %llu is damaged: "
		    "%zu bytes", (unsigned long long)e->seq, v->n);
	memcpy(&e->ts, p, 8);
	memcpy(&e->qty, p + 8, 8);
	e->late = p[16];
	p += 17;
	for (int i = 0; i < 4; i++) {
		const char *z = memchr(p, '\0', end - p);
		if (!z)
			return ims_seterr(IMS_ESTORE, "journal entry %llu is "
			    "damaged", (unsigned long long)e->seq);
		*str[i] = p;
		p = z + 1;
	}
	e->json = p;
	e->jsonlen = end - p;
	return IMS_OK;
}

/* Write one side: the new balance and a history row. */
static int
apply(struct ims_ledger *l, struct side *s, int64_t delta, ims_time ts,
    uint64_t seq)
{
	struct ims_key hk = s->key;
	int rc;

	s->bal.on_hand += delta;
	if (ts > s->bal.last_ts)
		s->bal.last_ts = ts;
	if ((rc = ims_put(l->t, IMS_DB_BALANCES, &s->key, &s->bal,
	    sizeof s->bal, 0)))
		return rc;
	ims_key_i64(&hk, ts);
	ims_key_u64(&hk, seq);
	return ims_put(l->t, IMS_DB_HISTORY, &hk, &delta, 8, 0);
}

static int
write_serial(struct ims_ledger *l, const struct ims_move *m)
{
	struct ims_key k;

	if (!m->serial)
		return IMS_OK;
	serial_key(&k, m);
	if (ims_is_virtual(m->to)) {
		int rc = ims_del(l->t, IMS_DB_SERIALS, &k);
		return rc == IMS_ENOTFOUND ? IMS_OK : rc;
	}
	return ims_put(l->t, IMS_DB_SERIALS, &k, m->to, strlen(m->to), 0);
}

static int
write_index(struct ims_ledger *l, const struct ims_move *m, uint64_t seq,
    int late)
{
	struct ims_key k;
	int rc;

	if (late) {
		ims_key_init(&k);
		ims_key_i64(&k, m->ts);
		ims_key_u64(&k, seq);
		if ((rc = ims_put(l->t, IMS_DB_LATE, &k, "", 0, 0)))
			return rc;
	}
	return write_serial(l, m);
}

/* The hash an entry's JSON ends with: ...,"hash":"<64 hex>"} */
int
ims_entry_hash(const struct ims_entry *e, const char **hex)
{
	static const char tag[] = ",\"hash\":\"";
	const size_t n = sizeof tag - 1 + 64 + 2;
	const char *p = e->json + e->jsonlen - n;

	if (e->jsonlen < n || memcmp(p, tag, sizeof tag - 1) != 0 ||
	    memcmp(e->json + e->jsonlen - 2, "\"}", 2) != 0)
		return ims_seterr(IMS_EREJECT, "seq %llu has no hash",
		    (unsigned long long)e->seq);
	*hex = p + sizeof tag - 1;
	return IMS_OK;
}

/*
 * A restored entry continues the journal; one the store already holds
 * (the same seq and hash) is skipped, so that exports may overlap.
 */
static int
check_restore(struct ims_ledger *l, const struct ims_move *m)
{
	struct ims_key k;
	struct ims_val key, val;
	struct ims_entry e;
	const char *hex;
	int rc;

	if (m->seq == l->next_seq)
		return IMS_OK;
	if (m->seq > l->next_seq)
		return ims_seterr(IMS_EREJECT, "seq %llu: the journal ends at "
		    "%llu, so entries are missing in between",
		    (unsigned long long)m->seq,
		    (unsigned long long)l->next_seq - 1);
	ims_key_init(&k);
	ims_key_u64(&k, m->seq);
	key.p = k.b, key.n = k.n;
	if ((rc = ims_get(l->t, IMS_DB_JOURNAL, &k, &val)) ||
	    (rc = ims_entry_decode(&key, &val, &e)))
		return rc;
	if (ims_entry_hash(&e, &hex) == IMS_OK && m->hash &&
	    memcmp(hex, m->hash, 64) == 0)
		return ims_seterr(IMS_ESKIP, "seq %llu is in the store "
		    "already: skipped", (unsigned long long)m->seq);
	return ims_seterr(IMS_EREJECT, "seq %llu differs from the store's "
	    "entry %llu", (unsigned long long)m->seq,
	    (unsigned long long)m->seq);
}

/* A restore trusts the master data the entry was posted against. */
static struct item_info restored_item;

static int
check_move(struct ims_ledger *l, struct ims_move *m, struct item_info **it)
{
	char tb[IMS_TIME_BUF];
	int rc;

	if (m->seq) {
		*it = &restored_item;
		if ((rc = check_restore(l, m)))
			return rc;
	}

	if (m->qty <= 0)
		return ims_seterr(IMS_EREJECT, "qty must be positive, not %s",
		    fmtq(m->qty));
	if (m->ts == IMS_TIME_NONE)
		m->ts = l->now;
	else if (m->ts > l->now + FUTURE_SLACK)
		return ims_seterr(IMS_EREJECT, "ts %s is in the future",
		    ims_q(ims_time_fmt(m->ts, tb)));
	if (!m->seq && ((rc = item(l, m->sku, it)) ||
	    (rc = check_tracking(m, *it)) || (rc = check_endpoints(l, m))))
		return rc;
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
 * Post one movement in the ledger's transaction.  Returns IMS_OK with its
 * seq, IMS_ESKIP when its ref was posted before, IMS_EREJECT with a
 * message, or a store error.
 */
static int
post(struct ims_ledger *l, struct ims_move *m, struct item_info *it)
{
	struct side from, to;
	struct ims_key lotkey;
	uint64_t seq = l->next_seq;
	int rc, newlot, late;

	side_init(&from, m, m->from);
	side_init(&to, m, m->to);
	if ((from.internal && ((rc = load_bal(l, &from)) ||
	    (rc = check_withdraw(l, m, &from)))) ||
	    (to.internal && ((rc = load_bal(l, &to)) ||
	    (rc = check_deposit(m, &to)))) ||
	    (rc = check_serial(l, m)))
		return rc;
	if ((newlot = check_lot(l, m, it, &lotkey)) < 0)
		return newlot;
	late = m->ts < l->max_ts;
	render(l, m, seq);
	if (m->hash && strcmp(m->hash, l->next_head) != 0)
		return ims_seterr(IMS_EREJECT, "seq %llu: the hash does not "
		    "match the entry: the export was altered",
		    (unsigned long long)seq);
	if ((rc = append_journal(l, m, seq, late)) ||
	    (from.internal && (rc = apply(l, &from, -m->qty, m->ts, seq))) ||
	    (to.internal && (rc = apply(l, &to, m->qty, m->ts, seq))) ||
	    (newlot && (rc = ims_put(l->t, IMS_DB_LOTS, &lotkey, &m->expiry,
	    8, 0))) ||
	    (rc = write_index(l, m, seq, late)))
		return rc;
	l->next_seq++;
	memcpy(l->head, l->next_head, sizeof l->head);
	if (!late)
		l->max_ts = m->ts;
	return IMS_OK;
}

/*
 * Post one movement in the ledger's transaction.  Returns IMS_OK with its
 * seq, IMS_ESKIP when its ref was posted before, IMS_EREJECT with a
 * message, or a store error.
 */
int
ims_post(struct ims_ledger *l, struct ims_move *m, uint64_t *seqp)
{
	struct item_info *it = NULL;
	struct ims_key refkey;
	int rc;

	if ((rc = check_move(l, m, &it)))
		return rc;
	if (m->ref && (rc = claim_ref(l, m->ref, &refkey)))
		return rc;
	if (seqp)
		*seqp = l->next_seq;
	rc = post(l, m, it);
	if (rc == IMS_EREJECT && m->ref) {
		int drc = ims_del(l->t, IMS_DB_REFS, &refkey);
		if (drc)
			return drc;
	}
	return rc;
}

/* Print the journal's movements first..last (by seq). */
int
ims_journal_print(struct ims_txn *t, struct ims_out *o, uint64_t first,
    uint64_t last)
{
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key, val;
	struct ims_entry e;
	int rc;

	if (first > last)
		return IMS_OK;
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &c)))
		return rc;
	ims_key_init(&k);
	ims_key_u64(&k, first);
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val)) {
		if ((rc = ims_entry_decode(&key, &val, &e)) || e.seq > last)
			break;
		ims_out_json(o, e.json, e.jsonlen);
	}
	ims_cursor_close(c);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
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
restore_fields(struct ims_move *m, const struct ims_field *const *tab)
{
	const char *seq;
	char *end;
	int rc;

	if ((rc = id_field(tab, K_SEQ, 1, &seq)) ||
	    (m->seq = strtoull(seq, &end, 10)) == 0 || *end)
		return ims_seterr(IMS_EREJECT, "restore: seq missing or bad");
	if ((rc = id_field(tab, K_ACTOR, 1, &m->actor)) ||
	    (rc = id_field(tab, K_HASH, 1, &m->hash)))
		return rc;
	if (strlen(m->hash) != 64)
		return ims_seterr(IMS_EREJECT, "restore: hash is not 64 hex "
		    "digits");
	if (ims_is_virtual(m->from) && ims_is_virtual(m->to))
		return ims_seterr(IMS_EREJECT, "a movement needs an internal "
		    "location on one side");
	if ((ims_is_virtual(m->from) && (rc = check_virtual(m->from))) ||
	    (ims_is_virtual(m->to) && (rc = check_virtual(m->to))))
		return rc;
	return IMS_OK;
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
		rc = restore_fields(m, tab);
	if (rc || (rc = check_kind(m, kind)) ||
	    (rc = id_field(tab, K_LOT, 0, &m->lot)) ||
	    (rc = id_field(tab, K_SERIAL, 0, &m->serial)) ||
	    (rc = id_field(tab, K_REF, 0, &m->ref)) ||
	    (rc = id_field(tab, K_PO, 0, &m->po)) ||
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
	return IMS_OK;
}
