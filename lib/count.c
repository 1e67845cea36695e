/*
 * count.c: stocktakes, the count kind of entry.  A count entry records
 * what was counted in one balance (location, sku, lot or serial) at a
 * moment, the book then and the variance; it sits on the stock's
 * timeline at its ts.  Applying a count posts an adjustment (location
 * <-> @adjust) at that ts through ims_post, so that the book equals the
 * count at that moment and every later movement stays on top of it.
 * The last count of each balance is IMS_DB_COUNTS, a projection of the
 * count entries.  Here too: the count sheet, a count's restore, and the
 * adjustments and accuracy reports.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

const char *const ims_count_status[IMS_CS_COUNT] = {
	[IMS_CS_MATCH] = "match", [IMS_CS_WITHIN] = "within",
	[IMS_CS_VARIANCE] = "variance", [IMS_CS_RECOUNT] = "recount",
	[IMS_CS_CONFIRMED] = "confirmed",
};

const char *const ims_count_cols[] = { "seq", "ts", "location", "sku",
	"lot", "serial", "book", "counted", "variance", "unit_cost", "value",
	"status", "action", "adjust_seq", "ref", NULL };

/* Fields a count record may carry; the rest ride along.  What ims
 * itself writes (book, variance, ...) is known, so that its own output
 * can be read back, and ignored: the store says what the book was. */
static const char *const known[] = { "seq", "ts", "kind", "location",
	"sku", "lot", "serial", "counted", "book", "variance", "unit_cost",
	"value", "status", "action", "adjust_seq", "ref", "ref_fp", "actor",
	"note", "reason", "hash", NULL };

enum { TRACK_NONE = IMS_TRACK_NONE, TRACK_LOT = IMS_TRACK_LOT,
	TRACK_SERIAL = IMS_TRACK_SERIAL };

struct item {
	int track, has_cost;
	ims_dec cost;
};

/* One counted balance, as read and as worked out. */
struct line {
	const char *loc, *sku, *lot, *serial, *ref, *note, *reason;
	const char *trk;		/* serial, lot or "" */
	ims_dec counted;
	ims_time ts;
	const struct ims_rec *extra;
	char fp[IMS_FP_LEN + 1];
	uint64_t seq;			/* the count entry's */
	int posted;			/* a new entry (not an earlier one's) */
	ims_dec book, variance, cost, value;
	int has_cost, status;
	const char *action;
	uint64_t adjust_seq;
	const char *actor, *hash;	/* a restore's */
};

struct ims_count {
	struct ims_count_opts o;
	struct ims_map *items, *seen, *locs;
	struct ims_rec tmp, out, adj;
	struct ims_buf rows, canon;
	long blocked;
};



struct ims_count *
ims_count_new(const struct ims_count_opts *o)
{
	struct ims_count *c = ims_must(calloc(1, sizeof *c));

	c->o = *o;
	ims_count_reset(c);
	return c;
}

static void
free_maps(struct ims_count *c)
{
	ims_map_free(c->items, free);
	ims_map_free(c->seen, NULL);
	ims_map_free(c->locs, free);
}

/* Forget the batch so far: a replay after a full map starts again. */
void
ims_count_reset(struct ims_count *c)
{
	free_maps(c);
	c->items = ims_must(ims_map_new());
	c->seen = ims_must(ims_map_new());
	c->locs = ims_must(ims_map_new());
	c->rows.n = 0;
	c->blocked = 0;
}

void
ims_count_free(struct ims_count *c)
{
	if (!c)
		return;
	free_maps(c);
	ims_rec_free(&c->tmp);
	ims_rec_free(&c->out);
	ims_rec_free(&c->adj);
	ims_buf_free(&c->rows);
	ims_buf_free(&c->canon);
	free(c);
}

long
ims_count_blocked(const struct ims_count *c)
{
	return c->blocked;
}

/* The balance key: sku, location, lot or serial. */
static void
bal_key(struct ims_key *k, const char *sku, const char *loc, const char *trk)
{
	ims_key_init(k);
	ims_key_str(k, sku);
	ims_key_str(k, loc);
	ims_key_str(k, trk ? trk : "");
}

/* The same as a map key, its parts joined by a unit separator. */
static const char *
map_key(const char *sku, const char *loc, const char *trk)
{
	static char b[3 * IMS_ID_MAX + 4];

	snprintf(b, sizeof b, "%s\x1f%s\x1f%s", sku, loc, trk ? trk : "");
	return b;
}

/* The last count of a balance; IMS_ENOTFOUND when it was never
 * counted. */
int
ims_last_count(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, struct ims_last_count *lc)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	bal_key(&k, sku, loc, trk);
	if ((rc = ims_get(t, IMS_DB_COUNTS, &k, &v)))
		return rc;
	return ims_last_count_decode(&v, lc);
}

int
ims_last_count_decode(const struct ims_val *v, struct ims_last_count *lc)
{
	if (v->n != sizeof *lc)
		return ims_damaged("a last count of %zu bytes, not %zu", v->n,
		    sizeof *lc);
	memcpy(lc, v->p, sizeof *lc);
	if (lc->status < 0 || lc->status >= IMS_CS_COUNT)
		return ims_damaged("a last count of an unknown status");
	return IMS_OK;
}

int
ims_count_status_code(const char *s)
{
	for (int i = 0; s && i < IMS_CS_COUNT; i++)
		if (strcmp(s, ims_count_status[i]) == 0)
			return i;
	return -1;
}

/* --- reading a counted record ---------------------------------------- */

static int
is_known(const char *name)
{
	for (int i = 0; known[i]; i++)
		if (strcmp(name, known[i]) == 0)
			return 1;
	return 0;
}

/* An identifier field: absent (NULL), or a string or number that can
 * be a key. */
static int
id_field(const struct ims_rec *r, const char *name, int need,
    const char **out)
{
	const struct ims_field *f = ims_rec_field(r, name);

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
num_field(const struct ims_rec *r, const char *name, int scale,
    ims_dec *v, int *has)
{
	const struct ims_field *f = ims_rec_field(r, name);
	const char *why;

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
time_field(const struct ims_rec *r, const char *name, ims_time *t)
{
	const char *s = ims_rec_str(r, name), *why;

	*t = IMS_TIME_NONE;
	if (s && (why = ims_time_parse(s, strlen(s), t)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name, ims_q(s),
		    why);
	return IMS_OK;
}

static int
text_field(const struct ims_rec *r, const char *name, const char **out)
{
	const struct ims_field *f = ims_rec_field(r, name);

	*out = NULL;
	if (!f || f->type == IMS_F_NULL)
		return IMS_OK;
	if (f->type != IMS_F_STR)
		return ims_seterr(IMS_EREJECT, "%s must be a string", name);
	*out = f->val;
	return IMS_OK;
}

/* location, sku, lot?, serial?, counted, ts?, ref?, note?, reason? */
static int
parse_line(struct line *l, const struct ims_rec *r)
{
	int rc, has;

	memset(l, 0, sizeof *l);
	l->extra = r;
	if ((rc = id_field(r, "location", 1, &l->loc)) ||
	    (rc = id_field(r, "sku", 1, &l->sku)) ||
	    (rc = id_field(r, "lot", 0, &l->lot)) ||
	    (rc = id_field(r, "serial", 0, &l->serial)) ||
	    (rc = id_field(r, "ref", 0, &l->ref)) ||
	    (rc = id_field(r, "reason", 0, &l->reason)) ||
	    (rc = text_field(r, "note", &l->note)) ||
	    (rc = time_field(r, "ts", &l->ts)) ||
	    (rc = num_field(r, "counted", IMS_QTY, &l->counted, &has)))
		return rc;
	if (!has)
		return ims_seterr(IMS_EREJECT, "missing field counted");
	if (l->counted < 0)
		return ims_seterr(IMS_EREJECT, "counted must not be negative, "
		    "not %s", ims_fmtq(l->counted));
	if (l->lot && l->serial)
		return ims_seterr(IMS_EREJECT, "a lot and a serial: a balance "
		    "has one or the other");
	l->trk = l->serial ? l->serial : l->lot ? l->lot : "";
	return IMS_OK;
}

static struct item *
read_item(const struct ims_rec *r)
{
	struct item *it = ims_must(calloc(1, sizeof *it));
	const char *s = ims_rec_str(r, "track");

	it->track = !s || strcmp(s, "none") == 0 ? TRACK_NONE :
	    strcmp(s, "lot") == 0 ? TRACK_LOT : TRACK_SERIAL;
	if ((s = ims_rec_str(r, "unit_cost")))
		it->has_cost = !ims_dec_parse(s, strlen(s), IMS_MONEY,
		    &it->cost);
	return it;
}

/* The item, from a cache or the store; NULL if unknown. */
static int
item_in(struct ims_map *m, struct ims_rec *tmp, struct ims_txn *t,
    const char *sku, struct item **ip)
{
	int isnew, rc;
	void **slot = ims_map_slot(m, sku, &isnew);

	if (isnew) {
		rc = ims_master_get(t, &ims_item_schema, sku, tmp);
		if (rc && rc != IMS_ENOTFOUND)
			return rc;
		if (rc == IMS_OK)
			*slot = read_item(tmp);
	}
	*ip = *slot;
	return IMS_OK;
}

static int
item(struct ims_count *c, struct ims_txn *t, const char *sku,
    struct item **ip)
{
	return item_in(c->items, &c->tmp, t, sku, ip);
}

/* A counted location is a stored one: registered, not virtual. */
static int
check_location(struct ims_count *c, struct ims_txn *t, const char *loc)
{
	int rc;

	if (ims_is_virtual(loc))
		return ims_seterr(IMS_EREJECT, "location %s is virtual: only "
		    "stored locations are counted", ims_q(loc));
	if (ims_map_get(c->locs, loc))
		return IMS_OK;
	rc = ims_master_get(t, &ims_loc_schema, loc, &c->tmp);
	if (rc == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "unknown location %s",
		    ims_q(loc));
	return rc;
}

/* Lot and serial as the item's tracking wants them. */
static int
check_tracking(const struct line *l, const struct item *it)
{
	const char *sku;
	int rc;

	if ((rc = ims_check_track(it->track, l->sku, l->lot, l->serial,
	    "a count needs its lot", "a count needs its serial")))
		return rc;
	sku = ims_q(l->sku);
	if (it->track == TRACK_SERIAL && l->counted > 1000)
		return ims_seterr(IMS_EREJECT, "serial %s of %s counted as "
		    "%s: a serial is 0 or 1", ims_q(l->serial), sku,
		    ims_fmtq(l->counted));
	if (it->track == TRACK_SERIAL && l->counted % 1000)
		return ims_seterr(IMS_EREJECT, "serial %s of %s counted as "
		    "%s: a serial is 0 or 1", ims_q(l->serial), sku,
		    ims_fmtq(l->counted));
	return IMS_OK;
}

/* A second line for one balance in one count is a mistake: which of
 * the two is right? */
static int
check_seen(struct ims_count *c, const struct line *l, long lineno)
{
	int isnew;
	void **slot = ims_map_slot(c->seen, map_key(l->sku, l->loc, l->trk),
	    &isnew);

	if (!isnew)
		return ims_seterr(IMS_EREJECT, "a second line for %s at %s%s%s "
		    "(the first is line %ld)", ims_q(l->sku), ims_q(l->loc),
		    *l->trk ? " " : "", *l->trk ? ims_q(l->trk) : "",
		    (long)(intptr_t)*slot);
	*slot = (void *)(intptr_t)lineno;
	return IMS_OK;
}


/* The ref's fingerprint: what the record asks to count, normalised;
 * the ts only when given (ims fills in now otherwise). */
static void
fingerprint(struct ims_count *c, struct line *l, const struct ims_rec *r)
{
	struct ims_buf *b = &c->canon;
	char tb[IMS_TIME_BUF];

	b->n = 0;
	ims_canon_add(b, "command", "count");
	ims_canon_add(b, "location", l->loc);
	ims_canon_add(b, "sku", l->sku);
	ims_canon_add(b, "lot", l->lot);
	ims_canon_add(b, "serial", l->serial);
	ims_canon_add(b, "counted", ims_fmtq(l->counted));
	if (l->ts != IMS_TIME_NONE)
		ims_canon_add(b, "ts", ims_time_fmt(l->ts, tb));
	ims_canon_add(b, "note", l->note);
	ims_canon_add(b, "reason", l->reason);
	for (size_t i = 0; i < r->nf; i++)
		if (!is_known(r->f[i].name) && r->f[i].type != IMS_F_NULL)
			ims_canon_add(b, r->f[i].name, r->f[i].val);
	ims_fingerprint(b, l->fp);
}

/* --- the book at the count's moment ---------------------------------- */

struct upto {
	ims_time ts;
	uint64_t seq;
	int64_t sum;
};

static int
upto_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	struct upto *u = arg;

	if (ts > u->ts || (ts == u->ts && seq >= u->seq))
		return IMS_STOP;
	u->sum += d;
	return IMS_OK;
}

/*
 * The book of a balance just before the count (ts, seq): every
 * movement before it in (ts, seq) order.  When nothing moved at or
 * after ts, that is the balance as it stands.
 */
static int
book_at(struct ims_journal *j, const struct ims_key *k, ims_time ts,
    uint64_t seq, int64_t *book)
{
	struct upto u = { ts, seq, 0 };
	struct ims_bal b;
	struct ims_val v;
	int rc = ims_get(j->t, IMS_DB_BALANCES, k, &v);

	*book = 0;
	if (rc == IMS_ENOTFOUND)
		return IMS_OK;
	if (rc || (rc = ims_bal_decode(&v, &b)))
		return rc;
	if (b.last_ts < ts || (b.last_ts == ts && seq >= j->next_seq)) {
		*book = b.on_hand;
		return IMS_OK;
	}
	rc = ims_each_history(j->t, k, INT64_MIN, upto_row, &u);
	*book = u.sum;
	return rc;
}

/* Is v within every tolerance given?  value: v's value. */
static int
within(const struct ims_count_opts *o, ims_dec v, ims_dec book,
    ims_dec value)
{
	ims_wide a = v < 0 ? -(ims_wide)v : v;
	ims_wide av = value < 0 ? -(ims_wide)value : value;

	for (size_t i = 0; i < o->ntol; i++) {
		const struct ims_tolerance *t = &o->tol[i];
		if (t->kind == IMS_TOL_QTY && a > t->v)
			return 0;
		/* t->v is the percentage with 3 decimals */
		if (t->kind == IMS_TOL_PCT && a * 100000 > (ims_wide)t->v *
		    (book < 0 ? -(ims_wide)book : book))
			return 0;
		if (t->kind == IMS_TOL_VALUE && av > t->v)
			return 0;
	}
	return 1;
}

/*
 * The count's status.  Beyond the tolerance, a count is to be counted
 * again (recount), unless it is itself the recount that confirms the
 * balance's last count: that one was marked recount with the same
 * variance.
 */
static int
status(struct ims_journal *j, const struct ims_count_opts *o,
    const struct line *l, int *st)
{
	struct ims_last_count lc;
	int rc;

	if (l->variance == 0)
		return *st = IMS_CS_MATCH, IMS_OK;
	if (!o->ntol)
		return *st = IMS_CS_VARIANCE, IMS_OK;
	if (within(o, l->variance, l->book, l->value))
		return *st = IMS_CS_WITHIN, IMS_OK;
	*st = IMS_CS_RECOUNT;
	rc = ims_last_count(j->t, l->sku, l->loc, l->trk, &lc);
	if (rc == IMS_ENOTFOUND)
		return IMS_OK;
	if (rc)
		return rc;
	if (lc.seq != l->seq && lc.status == IMS_CS_RECOUNT &&
	    lc.variance == l->variance)
		*st = IMS_CS_CONFIRMED;
	return IMS_OK;
}

/* Book, variance, its value and status, at the count's moment. */
static int
work_out(struct ims_journal *j, const struct ims_count_opts *o,
    struct line *l, const struct item *it)
{
	struct ims_key k;
	int rc;

	bal_key(&k, l->sku, l->loc, l->trk);
	if ((rc = book_at(j, &k, l->ts, l->seq, &l->book)))
		return rc;
	if (ims_dec_sub(l->counted, l->book, &l->variance))
		return ims_seterr(IMS_EREJECT, "the variance overflows");
	l->has_cost = it->has_cost;
	l->cost = it->cost;
	l->value = 0;
	if (l->has_cost && ims_value(l->variance, l->cost, &l->value))
		return ims_seterr(IMS_EREJECT, "the variance's value "
		    "overflows");
	return status(j, o, l, &l->status);
}

/* --- the count entry -------------------------------------------------- */

static void
render(struct ims_journal *j, const struct line *l)
{
	struct ims_buf *b = &j->json;
	char nb[IMS_DEC_BUF];

	ims_entry_open(j, l->ts);
	ims_buf_kv_str(b, "kind", "count");
	ims_buf_kv_str(b, "location", l->loc);
	ims_buf_kv_str(b, "sku", l->sku);
	ims_buf_kv_str(b, "lot", l->lot);
	ims_buf_kv_str(b, "serial", l->serial);
	ims_buf_kv_raw(b, "counted", ims_dec_fmt(l->counted, IMS_QTY, nb));
	ims_buf_kv_raw(b, "book", ims_dec_fmt(l->book, IMS_QTY, nb));
	ims_buf_kv_raw(b, "variance", ims_dec_fmt(l->variance, IMS_QTY, nb));
	if (l->has_cost) {
		ims_buf_kv_raw(b, "unit_cost", ims_dec_fmt(l->cost, IMS_MONEY,
		    nb));
		ims_buf_kv_raw(b, "value", ims_dec_fmt(l->value, IMS_MONEY,
		    nb));
	}
	ims_buf_kv_str(b, "status", ims_count_status[l->status]);
	ims_buf_kv_str(b, "ref", l->ref);
	if (l->ref && l->fp[0])
		ims_buf_kv_str(b, "ref_fp", l->fp);
	ims_buf_kv_str(b, "reason", l->reason);
	ims_buf_kv_str(b, "actor", l->actor ? l->actor : j->actor);
	ims_buf_kv_str(b, "note", l->note);
	for (size_t i = 0; l->extra && i < l->extra->nf; i++) {
		if (is_known(l->extra->f[i].name))
			continue;
		ims_buf_addc(b, ',');
		ims_buf_json_field(b, &l->extra->f[i]);
	}
}

/* The balance's last count, if this one is later in (ts, seq). */
static int
keep_last(struct ims_journal *j, const struct line *l)
{
	struct ims_last_count lc, now = { l->ts, l->seq, l->variance,
		l->status };
	struct ims_key k;
	int rc = ims_last_count(j->t, l->sku, l->loc, l->trk, &lc);

	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	if (rc == IMS_OK && lc.ts > l->ts)
		return IMS_OK;
	bal_key(&k, l->sku, l->loc, l->trk);
	return ims_put(j->t, IMS_DB_COUNTS, &k, &now, sizeof now, 0);
}

/* Append the count entry and keep the balance's last count. */
static int
post_count(struct ims_journal *j, struct line *l)
{
	struct ims_entry e = { .kind = IMS_KIND_COUNT_ENTRY };
	int rc;

	render(j, l);
	e.ts = l->ts, e.qty = l->counted;
	e.sku = l->sku, e.from = "", e.to = l->loc, e.trk = l->trk;
	if ((rc = ims_journal_append(j, &e, l->hash)))
		return rc;
	l->posted = 1;
	return keep_last(j, l);
}

/* The entry of seq, decoded, its JSON parsed into r. */
static int
entry_of(struct ims_txn *t, uint64_t seq, struct ims_entry *e,
    struct ims_rec *r)
{
	struct ims_key k;
	struct ims_val key, val;
	int rc;

	ims_key_init(&k);
	ims_key_u64(&k, seq);
	key.p = k.b, key.n = k.n;
	if ((rc = ims_get(t, IMS_DB_JOURNAL, &k, &val)) ||
	    (rc = ims_entry_decode(&key, &val, e)))
		return rc == IMS_ENOTFOUND ? ims_damaged("entry %llu is "
		    "missing", (unsigned long long)seq) : rc;
	ims_rec_reset(r);
	if (ims_rec_json(r, e->json, e->jsonlen) != 0)
		return ims_damaged("entry %llu does not parse",
		    (unsigned long long)seq);
	return IMS_OK;
}

/* The seq of the entry that holds ref. */
static int
ref_seq(struct ims_txn *t, const char *ref, uint64_t *seq)
{
	struct ims_key k;
	struct ims_val v;
	const char *fp;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, ref);
	if ((rc = ims_get(t, IMS_DB_REFS, &k, &v)))
		return rc;
	return ims_ref_decode(&v, seq, &fp);
}

/*
 * The count's ref was posted before (the same content): this count is
 * that entry, pinned to its ts and seq.  Its status stands, unless a
 * backdated movement has changed the book before it since.
 */
static int
earlier_count(struct ims_count *c, struct ims_journal *j, struct line *l,
    const struct item *it)
{
	struct ims_entry e;
	const char *s;
	ims_dec was_var = 0;
	int rc, was;

	if ((rc = ref_seq(j->t, l->ref, &l->seq)) ||
	    (rc = entry_of(j->t, l->seq, &e, &c->tmp)))
		return rc;
	if (e.kind != IMS_KIND_COUNT_ENTRY)
		return ims_seterr(IMS_EREJECT, "ref %s is held by entry %llu, "
		    "which is not a count", ims_q(l->ref),
		    (unsigned long long)l->seq);
	l->ts = e.ts;
	was = ims_count_status_code(ims_rec_str(&c->tmp, "status"));
	if ((s = ims_rec_str(&c->tmp, "variance")) &&
	    ims_dec_parse(s, strlen(s), IMS_QTY, &was_var))
		return ims_damaged("entry %llu: variance %s",
		    (unsigned long long)l->seq, ims_q(s));
	if ((rc = work_out(j, &c->o, l, it)))
		return rc;
	if (was >= 0 && was_var == l->variance)
		l->status = was;
	return IMS_OK;
}

/* --- applying --------------------------------------------------------- */

/* Walking a balance's history after a count: the running book from
 * the counted figure, and the first movement that takes it below 0. */
struct taker {
	ims_time ts;
	uint64_t seq, who;
	int64_t run;
};

static int
taker_row(void *arg, ims_time ts, uint64_t seq, int64_t d)
{
	struct taker *t = arg;

	if (ts == t->ts && seq <= t->seq)
		return IMS_OK;
	t->run += d;
	if (t->run < 0) {
		t->who = seq;
		return IMS_STOP;
	}
	return IMS_OK;
}

/*
 * The movement after the count that took stock the count says was not
 * there: with the book at the count's moment set to what was counted,
 * the first later movement that takes the balance below zero.  0 when
 * there is none.
 */
int
ims_count_taker(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, ims_time ts, uint64_t seq, ims_dec counted,
    uint64_t *who)
{
	struct taker tk = { ts, seq, 0, counted };
	struct ims_key k;
	int rc;

	bal_key(&k, sku, loc, trk);
	rc = ims_each_history(t, &k, ts, taker_row, &tk);
	*who = tk.who;
	return rc;
}

/* Say why the balance cannot be adjusted as of the count's moment. */
static int
blocked_by(struct ims_count *c, struct ims_journal *j, const struct line *l,
    uint64_t who, const struct ims_rec *r)
{
	char a[IMS_TIME_BUF], b[IMS_TIME_BUF];
	struct ims_entry e;
	const char *type, *ref;
	int rc;

	if ((rc = entry_of(j->t, who, &e, &c->tmp)))
		return rc;
	type = ims_rec_str(&c->tmp, "type");
	ref = ims_rec_str(&c->tmp, "ref");
	ims_warn("%s:%ld: count of %s at %s%s%s at %s: entry %llu (%s of %s "
	    "at %s%s%s) took stock the count says was not there; not "
	    "applied (--at-now adjusts at the time of applying)", r->file,
	    r->line, ims_q(l->sku), ims_q(l->loc), *l->trk ? " " : "",
	    *l->trk ? ims_q(l->trk) : "", ims_time_fmt(l->ts, a),
	    (unsigned long long)who, type ? type : "movement", ims_fmtq(e.qty),
	    ims_time_fmt(e.ts, b), ref ? ", ref " : "", ref ? ims_q(ref) :
	    "");
	return IMS_OK;
}

static void
adjust_ref(char *buf, size_t n, uint64_t seq)
{
	snprintf(buf, n, "count:%llu", (unsigned long long)seq);
}

/* The adjustment that makes the book what was counted. */
static void
adjust_move(struct ims_count *c, struct ims_journal *j,
    const struct line *l, struct ims_move *m, const char *ref)
{
	char nb[24];

	memset(m, 0, sizeof *m);
	m->sku = l->sku;
	m->lot = l->lot;
	m->serial = l->serial;
	m->qty = l->variance < 0 ? -l->variance : l->variance;
	m->from = l->variance < 0 ? l->loc : "@adjust";
	m->to = l->variance < 0 ? "@adjust" : l->loc;
	m->ts = c->o.at_now ? j->now : l->ts;
	m->expiry = IMS_TIME_NONE;
	m->unit_cost = l->cost;
	m->has_cost = l->has_cost;
	m->ref = ref;
	m->note = l->note;
	c->canon.n = 0;
	ims_canon_add(&c->canon, "command", "adjust");
	ims_canon_add(&c->canon, "ref", ref);
	ims_fingerprint(&c->canon, m->fp);
	ims_rec_reset(&c->adj);
	ims_rec_adds(&c->adj, "reason", l->reason ? l->reason : "count");
	ims_put_digits(nb, l->seq, 1);
	ims_rec_add(&c->adj, "count", nb, strlen(nb), IMS_F_NUM);
	m->extra = &c->adj;
}

/* --at-now: a withdrawal takes at most what is there now (the count
 * says less was there than a later movement took); IMS_STOP when
 * nothing is. */
static int
cap_now(struct ims_journal *j, const struct line *l, struct ims_move *m)
{
	struct ims_key k;
	struct ims_val v;
	struct ims_bal b;
	int rc;

	if (l->variance > 0)
		return IMS_OK;
	bal_key(&k, l->sku, l->loc, l->trk);
	if ((rc = ims_get(j->t, IMS_DB_BALANCES, &k, &v)) ||
	    (rc = ims_bal_decode(&v, &b)))
		return rc == IMS_ENOTFOUND ? IMS_STOP : rc;
	if (b.on_hand - b.allocated <= 0)
		return IMS_STOP;
	if (m->qty > b.on_hand - b.allocated)
		m->qty = b.on_hand - b.allocated;
	return IMS_OK;
}

/*
 * ims_post refused the adjustment.  A withdrawal as of the count's
 * moment is refused when a later movement took stock the count says
 * was not there: name that movement.  Any other refusal (a serial found
 * here that is in stock elsewhere) is said as ims_post says it.
 */
static int
refused(struct ims_count *c, struct ims_journal *j, struct line *l,
    const struct ims_rec *r)
{
	char why[512];
	uint64_t who = 0;
	int rc;

	snprintf(why, sizeof why, "%s", ims_errmsg());
	c->blocked++;
	l->adjust_seq = 0;
	l->action = "blocked";
	if (l->variance < 0 && !c->o.at_now && (rc = ims_count_taker(j->t,
	    l->sku, l->loc, l->trk, l->ts, l->seq, l->counted, &who)))
		return rc;
	if (who)
		return blocked_by(c, j, l, who, r);
	ims_warn("%s:%ld: %s; not applied", r->file, r->line, why);
	return IMS_OK;
}

/*
 * Post the adjustment: at the count's ts (or now, with --at-now), once
 * per count entry (its ref is count:SEQ), through ims_post and its
 * checks; a refusal leaves the balance as it is.
 */
static int
apply(struct ims_count *c, struct ims_journal *j, struct line *l,
    const struct ims_rec *r)
{
	char ref[40];
	struct ims_move m;
	int rc;

	adjust_ref(ref, sizeof ref, l->seq);
	rc = ref_seq(j->t, ref, &l->adjust_seq);
	if (rc == IMS_OK)
		return l->action = "applied", IMS_OK;
	if (rc != IMS_ENOTFOUND)
		return rc;
	l->adjust_seq = 0;
	adjust_move(c, j, l, &m, ref);
	m.count_adjust = 1;
	if (c->o.at_now && (rc = cap_now(j, l, &m)))
		return rc == IMS_STOP ? (l->action = "none", IMS_OK) : rc;
	rc = ims_post(j, &m, &l->adjust_seq);
	if (rc == IMS_EREJECT || rc == IMS_ESKIP)
		return refused(c, j, l, r);
	if (rc == IMS_OK)
		l->action = "applied";
	return rc;
}

/*
 * A count below what is reserved for orders: once the adjustment is
 * posted, what the balance has reserved beyond its new on hand is
 * released (reason count), the lines of the lowest priority first and,
 * among equals, the most recent order's, so that the oldest and most
 * urgent orders keep their stock.  Each release is named on standard
 * error; the lines it leaves open are backorders for ims-pick --retry.
 */
struct held {
	struct ims_resv r;
	ims_dec qty;
	int64_t priority;
	uint64_t seq;
	char *s[5];
};

struct holds {
	const struct line *l;
	struct ims_txn *t;
	struct held *v;
	size_t n;
};

static int
hold_row(void *arg, const struct ims_resv *r, ims_dec qty)
{
	struct holds *h = arg;
	struct ims_oline ol;
	struct held *x;
	int rc;

	if (strcmp(r->sku, h->l->sku) || strcmp(r->loc, h->l->loc) ||
	    strcmp(r->trk, h->l->trk))
		return IMS_OK;
	h->v = ims_must(realloc(h->v, (h->n + 1) * sizeof *h->v));
	x = &h->v[h->n++];
	memset(x, 0, sizeof *x);
	x->s[0] = ims_must(strdup(r->order)), x->s[1] = ims_must(strdup(r->line));
	x->s[2] = ims_must(strdup(r->sku)), x->s[3] = ims_must(strdup(r->loc));
	x->s[4] = ims_must(strdup(r->trk));
	x->r.order = x->s[0], x->r.line = x->s[1], x->r.sku = x->s[2];
	x->r.loc = x->s[3], x->r.trk = x->s[4];
	x->r.serial = h->l->serial != NULL;
	x->qty = qty;
	if ((rc = ims_oline_get(h->t, r->order, r->line, &ol)))
		return rc;
	x->priority = ol.priority;
	x->seq = ol.seq;
	return IMS_OK;
}

static int
cmp_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->seq > y->seq ? -1 : x->seq < y->seq;
}

static int
release_reserved(struct ims_count *c, struct ims_journal *j,
    const struct line *l)
{
	struct holds h = { l, j->t, NULL, 0 };
	struct ims_key k;
	struct ims_val v;
	struct ims_bal b;
	ims_dec over;
	int rc;

	(void)c;
	ims_key_init(&k);
	ims_key_str(&k, l->sku);
	ims_key_str(&k, l->loc);
	ims_key_str(&k, l->trk);
	if ((rc = ims_get(j->t, IMS_DB_BALANCES, &k, &v)))
		return rc == IMS_ENOTFOUND ? IMS_OK : rc;
	if ((rc = ims_bal_decode(&v, &b)) ||
	    (over = b.allocated - b.on_hand) <= 0)
		return rc;
	if ((rc = ims_each_resv(j->t, NULL, NULL, hold_row, &h)))
		goto out;
	qsort(h.v, h.n, sizeof *h.v, cmp_held);
	for (size_t i = 0; !rc && over > 0 && i < h.n; i++) {
		ims_dec q = h.v[i].qty < over ? h.v[i].qty : over;
		char nb[IMS_DEC_BUF];

		h.v[i].r.reason = "count";
		h.v[i].r.ts = j->now;
		if ((rc = ims_resv_post(j, IMS_KIND_RELEASE, &h.v[i].r, q, NULL,
		    NULL)))
			break;
		over -= q;
		ims_warn("count of %s at %s: released %s of order %s line %s",
		    ims_q(l->sku), ims_q(l->loc), ims_dec_fmt(q, IMS_QTY, nb),
		    ims_q(h.v[i].r.order), ims_q(h.v[i].r.line));
	}
out:
	for (size_t i = 0; i < h.n; i++)
		for (int s = 0; s < 5; s++)
			free(h.v[i].s[s]);
	free(h.v);
	return rc;
}

/* What --apply does with a counted balance. */
static int
settle(struct ims_count *c, struct ims_journal *j, struct line *l,
    const struct ims_rec *r)
{
	int rc;

	if (!c->o.apply) {
		l->action = "counted";
		return IMS_OK;
	}
	if (l->variance == 0)
		return l->action = "none", IMS_OK;
	if (l->status == IMS_CS_RECOUNT && !c->o.force)
		return l->action = "recount", IMS_OK;
	if ((rc = apply(c, j, l, r)))
		return rc;
	return l->adjust_seq && l->variance < 0 ? release_reserved(c, j, l) :
	    IMS_OK;
}

/* --- the batch -------------------------------------------------------- */

static void
add_num(struct ims_rec *r, const char *name, ims_dec v, int scale)
{
	ims_rec_addn(r, name, v, scale);
}

/* The row the count prints for a balance. */
static void
keep_row(struct ims_count *c, const struct line *l)
{
	struct ims_rec *o = &c->out;
	char tb[IMS_TIME_BUF], nb[24];

	ims_rec_reset(o);
	ims_put_digits(nb, l->seq, 1);
	ims_rec_add(o, "seq", nb, strlen(nb), IMS_F_NUM);
	ims_rec_adds(o, "ts", ims_time_fmt(l->ts, tb));
	ims_rec_adds(o, "location", l->loc);
	ims_rec_adds(o, "sku", l->sku);
	if (l->lot)
		ims_rec_adds(o, "lot", l->lot);
	if (l->serial)
		ims_rec_adds(o, "serial", l->serial);
	add_num(o, "book", l->book, IMS_QTY);
	add_num(o, "counted", l->counted, IMS_QTY);
	add_num(o, "variance", l->variance, IMS_QTY);
	if (l->has_cost) {
		add_num(o, "unit_cost", l->cost, IMS_MONEY);
		add_num(o, "value", l->value, IMS_MONEY);
	}
	ims_rec_adds(o, "status", ims_count_status[l->status]);
	ims_rec_adds(o, "action", l->action);
	if (l->adjust_seq) {
		ims_put_digits(nb, l->adjust_seq, 1);
		ims_rec_add(o, "adjust_seq", nb, strlen(nb), IMS_F_NUM);
	}
	if (l->ref)
		ims_rec_adds(o, "ref", l->ref);
	ims_rec_to_json(o, &c->rows);
	ims_buf_addc(&c->rows, '\n');
}

/* Remember the location for --complete, with the ts of its first
 * line. */
static void
note_location(struct ims_count *c, const struct line *l)
{
	int isnew;
	void **slot = ims_map_slot(c->locs, l->loc, &isnew);

	if (isnew) {
		*slot = ims_must(malloc(sizeof(ims_time)));
		*(ims_time *)*slot = l->ts;
	}
}

/* Everything about a counted line that can be refused. */
static int
check_line(struct ims_count *c, struct ims_journal *j, struct line *l,
    const struct ims_rec *r, struct item **it)
{
	char tb[IMS_TIME_BUF];
	int rc;

	if ((rc = check_location(c, j->t, l->loc)) ||
	    (rc = item(c, j->t, l->sku, it)))
		return rc;
	if (!*it)
		return ims_seterr(IMS_EREJECT, "unknown sku %s",
		    ims_q(l->sku));
	if ((rc = check_tracking(l, *it)))
		return rc;
	if (l->ts != IMS_TIME_NONE && l->ts > j->now)
		return ims_seterr(IMS_EREJECT, "ts %s is in the future",
		    ims_q(ims_time_fmt(l->ts, tb)));
	return check_seen(c, l, r->line);
}

/* Count one balance: check, record the count entry (or find the one
 * its ref posted), settle it, keep its row. */
static int
count_line(struct ims_count *c, struct ims_journal *j, struct line *l,
    const struct ims_rec *r)
{
	struct ims_key refkey;
	struct item *it;
	int rc, given = l->ts != IMS_TIME_NONE;

	if ((rc = check_line(c, j, l, r, &it)))
		return rc;
	/* fingerprinted before now is filled in: a count run again later
	 * with the same ref and no ts is the same count (ims(7), Refs) */
	if (l->ref)
		fingerprint(c, l, r);
	if (!given)
		l->ts = j->now;
	rc = l->ref ? ims_ref_claim(j, l->ref, l->fp, &refkey) : IMS_OK;
	if (rc == IMS_ESKIP && !c->o.apply)
		return rc;
	if (rc == IMS_ESKIP)
		rc = earlier_count(c, j, l, it);
	else if (rc == IMS_OK) {
		l->seq = j->next_seq;
		if ((rc = work_out(j, &c->o, l, it)) == IMS_OK)
			rc = post_count(j, l);
		if (rc == IMS_EREJECT && l->ref && ims_del(j->t, IMS_DB_REFS,
		    &refkey))
			return IMS_ESTORE;
	}
	if (rc || (rc = settle(c, j, l, r)))
		return rc;
	note_location(c, l);
	keep_row(c, l);
	return IMS_OK;
}

/* One counted record of the batch. */
int
ims_count_record(struct ims_count *c, struct ims_journal *j,
    const struct ims_rec *r)
{
	struct line l;
	int rc;

	if ((rc = ims_resolve_sku(j->t, r, "counted", &r)) ||
	    (rc = parse_line(&l, r)))
		return rc;
	return count_line(c, j, &l, r);
}

/* A balance that --complete counts as zero. */
struct missing {
	char *sku, *loc, *trk;
};

struct gather {
	struct ims_count *c;
	struct missing *v;
	size_t n, cap;
};

static int
gather_row(void *arg, const struct ims_balance *b)
{
	struct gather *g = arg;

	if (!ims_map_get(g->c->locs, b->loc) ||
	    ims_map_get(g->c->seen, map_key(b->sku, b->loc, b->trk)))
		return IMS_OK;
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->v = ims_must(realloc(g->v, g->cap * sizeof *g->v));
	}
	g->v[g->n].sku = ims_must(strdup(b->sku));
	g->v[g->n].loc = ims_must(strdup(b->loc));
	g->v[g->n].trk = ims_must(strdup(b->trk));
	g->n++;
	return IMS_OK;
}

/* Count one missing balance as zero, at its location's ts; one the
 * book has empty then is left alone. */
static int
complete_one(struct ims_count *c, struct ims_journal *j,
    const struct missing *m, struct ims_rec *r)
{
	struct line l = { 0 };
	struct ims_key k;
	struct item *it;
	int64_t book;
	int rc;

	l.loc = m->loc, l.sku = m->sku, l.trk = m->trk;
	l.ts = *(ims_time *)ims_map_get(c->locs, m->loc);
	bal_key(&k, m->sku, m->loc, m->trk);
	if ((rc = book_at(j, &k, l.ts, j->next_seq, &book)) || book == 0)
		return rc;
	if ((rc = item(c, j->t, m->sku, &it)))
		return rc;
	if (it && it->track == TRACK_LOT)
		l.lot = m->trk;
	else if (it && it->track == TRACK_SERIAL)
		l.serial = m->trk;
	l.reason = "complete";
	rc = count_line(c, j, &l, r);
	if (rc == IMS_EREJECT) {
		ims_warn("--complete: %s", ims_errmsg());
		c->blocked++;
		rc = IMS_OK;
	}
	return rc;
}

/*
 * --complete: every balance of the counted locations that the input
 * does not list is counted as zero.  Called after the last record.
 */
int
ims_count_complete(struct ims_count *c, struct ims_journal *j)
{
	struct gather g = { c, NULL, 0, 0 };
	struct ims_rec r = { .file = "--complete", .line = 0 };
	int rc;

	if (!c->o.complete)
		return IMS_OK;
	rc = ims_each_balance(j->t, NULL, gather_row, &g);
	for (size_t i = 0; i < g.n; i++) {
		if (!rc)
			rc = complete_one(c, j, &g.v[i], &r);
		free(g.v[i].sku);
		free(g.v[i].loc);
		free(g.v[i].trk);
	}
	free(g.v);
	ims_rec_free(&r);
	return rc;
}

/* The rows of the batch, as it counted them. */
void
ims_count_echo(struct ims_count *c, struct ims_out *o)
{
	const char *p = c->rows.p, *end = p + c->rows.n, *nl;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		ims_out_json(o, p, nl - p);
	}
}

/* --- restore ---------------------------------------------------------- */

static int
restore_nums(struct line *l, const struct ims_rec *r)
{
	int rc, has, hc, hv;

	if ((rc = num_field(r, "book", IMS_QTY, &l->book, &has)) ||
	    (rc = num_field(r, "variance", IMS_QTY, &l->variance, &has)) ||
	    (rc = num_field(r, "unit_cost", IMS_MONEY, &l->cost, &hc)) ||
	    (rc = num_field(r, "value", IMS_MONEY, &l->value, &hv)))
		return rc;
	l->has_cost = hc && hv;
	return IMS_OK;
}

/* An exported count entry, replayed: posted as the export holds it
 * (the chain vouches for it), its ref and last count kept. */
int
ims_count_restore(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	struct ims_key refkey;
	const char *fp, *st;
	struct line l;
	int rc;

	if ((rc = parse_line(&l, r)) || (rc = restore_nums(&l, r)))
		return rc;
	st = ims_rec_str(r, "status");
	if ((l.status = ims_count_status_code(st)) < 0)
		return ims_seterr(IMS_EREJECT, "restore: a count of unknown "
		    "status %s", ims_q(st ? st : ""));
	l.ts = e->ts, l.seq = e->seq, l.actor = e->actor, l.hash = e->hash;
	if ((fp = ims_rec_str(r, "ref_fp")) && strlen(fp) == IMS_FP_LEN)
		memcpy(l.fp, fp, IMS_FP_LEN + 1);
	if (l.ref && (rc = ims_ref_claim(j, l.ref, l.fp, &refkey)))
		return rc == IMS_ESKIP ? ims_seterr(IMS_EREJECT, "restore: "
		    "ref %s posted twice", ims_q(l.ref)) : rc;
	return post_count(j, &l);
}

/* --- the count sheet -------------------------------------------------- */

const char *const ims_sheet_cols[] = { "location", "sku", "lot", "serial",
	"book", "counted", NULL };
const char *const ims_sheet_blind_cols[] = { "location", "sku", "lot",
	"serial", "counted", NULL };
const char *const ims_cycle_cols[] = { "location", "sku", "lot", "serial",
	"class", "book", "counted", NULL };
const char *const ims_cycle_blind_cols[] = { "location", "sku", "lot",
	"serial", "class", "counted", NULL };

struct sheet_row {
	char *loc, *sku, *trk;
	int64_t book, pick_seq;
	int has_seq, track;
	char cls;
};

struct sheet {
	struct ims_txn *t;
	const struct ims_sheet *s;
	struct ims_map *items, *picks, *used;
	struct ims_map *due;		/* --cycle: sku -> its class */
	struct ims_rec tmp;
	struct sheet_row *v;
	size_t n, cap;
	int rc;
};

/* A location's place in the walk: its pick_seq, when it has one. */
struct pick {
	int has;
	int64_t seq;
};

static int
pick_of(struct sheet *h, const char *loc, const struct pick **pp)
{
	int isnew, rc;
	void **slot = ims_map_slot(h->picks, loc, &isnew);
	struct pick *p;
	const char *s;

	if (isnew) {
		*slot = p = ims_must(calloc(1, sizeof *p));
		rc = ims_master_get(h->t, &ims_loc_schema, loc, &h->tmp);
		if (rc && rc != IMS_ENOTFOUND)
			return rc;
		if (rc == IMS_OK && (s = ims_rec_str(&h->tmp, "pick_seq")))
			p->has = !ims_dec_parse(s, strlen(s), 0, &p->seq);
	}
	*pp = *slot;
	return IMS_OK;
}

static int
sheet_add(struct sheet *h, const char *loc, const char *sku, const char *trk,
    int64_t book)
{
	const struct pick *p;
	struct sheet_row *r;
	struct item *it = NULL;
	int rc, isnew;

	if ((rc = pick_of(h, loc, &p)) ||
	    (sku && (rc = item_in(h->items, &h->tmp, h->t, sku, &it))))
		return rc;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 256;
		h->v = ims_must(realloc(h->v, h->cap * sizeof *h->v));
	}
	r = &h->v[h->n++];
	r->loc = ims_must(strdup(loc));
	r->sku = sku ? ims_must(strdup(sku)) : NULL;
	r->trk = ims_must(strdup(trk ? trk : ""));
	r->book = book;
	r->has_seq = p->has;
	r->pick_seq = p->seq;
	r->track = it ? it->track : TRACK_NONE;
	r->cls = 0;
	*ims_map_slot(h->used, loc, &isnew) = h;
	return IMS_OK;
}

static int
sku_wanted(const struct ims_sheet *s, const char *sku)
{
	if (!s->skus)
		return 1;
	for (size_t i = 0; s->skus[i]; i++)
		if (strcmp(s->skus[i], sku) == 0)
			return 1;
	return 0;
}

static int
listed(const struct sheet *h, const struct ims_balance *b)
{
	return b->b.on_hand != 0 && sku_wanted(h->s, b->sku) &&
	    (!h->s->location || ims_loc_match(b->loc, h->s->location));
}

static int64_t
day_of(ims_time t)
{
	return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

static int
class_index(char cls)
{
	return cls == 'A' ? 0 : cls == 'B' ? 1 : 2;
}

/* --cycle: a due sku's balance is left out when it was counted less
 * than its class's period ago. */
static int
cycle_due(struct sheet *h, const struct ims_balance *b, char *cls)
{
	struct ims_last_count lc;
	int rc;

	*cls = (char)(intptr_t)ims_map_get(h->due, b->sku);
	if (!*cls)
		return 0;
	rc = ims_last_count(h->t, b->sku, b->loc, b->trk, &lc);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	return rc == IMS_ENOTFOUND || day_of(lc.ts) <= day_of(h->s->day) -
	    h->s->days[class_index(*cls)] ? 1 : 0;
}

static int
sheet_bal(void *arg, const struct ims_balance *b)
{
	struct sheet *h = arg;
	char cls = 0;
	int rc;

	if (!listed(h, b))
		return IMS_OK;
	if (h->due && (rc = cycle_due(h, b, &cls)) <= 0)
		return rc;
	if ((rc = sheet_add(h, b->loc, b->sku, b->trk, b->b.on_hand)))
		return rc;
	h->v[h->n - 1].cls = cls;
	return IMS_OK;
}

/* The skus with stock in the sheet's scope, for --cycle to rank. */
static int
stocked(void *arg, const struct ims_balance *b)
{
	struct sheet *h = arg;
	int isnew;

	if (listed(h, b))
		*ims_map_slot(h->used, b->sku, &isnew) = h;
	return IMS_OK;
}

static int
cmp_sku(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * --cycle: which skus are due on the day.  Each class's stocked skus,
 * in sku order, take turns: the one of rank r in a class counted every
 * P days is due on the days d with (d + r) mod P = 0, so that each day
 * gets about the class's count over P of them.
 */
static int
cycle_plan(struct sheet *h)
{
	struct ims_map *cls;
	const char *sku;
	void *val;
	size_t it = 0, n[3] = { 0 };
	const char **v[3];
	int64_t d = day_of(h->s->day);
	int rc = ims_count_classes(h->t, h->s->day + 86399, &cls);

	if (!rc)
		rc = ims_each_balance(h->t, NULL, stocked, h);
	h->due = ims_must(ims_map_new());
	for (int c = 0; c < 3; c++)
		v[c] = ims_must(calloc(ims_map_count(h->used) + 1, sizeof **v));
	while (!rc && ims_map_each(h->used, &it, &sku, &val)) {
		int c = class_index((char)(intptr_t)ims_map_get(cls, sku));
		v[c][n[c]++] = sku;
	}
	for (int c = 0; c < 3; c++) {
		int64_t p = h->s->days[c];
		qsort(v[c], n[c], sizeof *v[c], cmp_sku);
		for (size_t r = 0; !rc && r < n[c]; r++) {
			int isnew;
			if (((d + (int64_t)r) % p + p) % p == 0)
				*ims_map_slot(h->due, v[c][r], &isnew) =
				    (void *)(intptr_t)"ABC"[c];
		}
		free(v[c]);
	}
	ims_map_free(cls, NULL);
	return rc;
}

/* --include-empty: a stored location with nothing in it, a line of
 * its own, so that what is found there is counted too. */
static int
sheet_loc(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct sheet *h = arg;
	char loc[IMS_KEY_MAX + 1];
	const char *type;

	snprintf(loc, sizeof loc, "%.*s", (int)k->n, (const char *)k->p);
	if ((h->s->location && !ims_loc_match(loc, h->s->location)) ||
	    ims_map_get(h->used, loc))
		return IMS_OK;
	ims_rec_reset(&h->tmp);
	if (ims_rec_json(&h->tmp, v->p, v->n) != 0)
		return ims_damaged("location %s does not parse", ims_q(loc));
	type = ims_rec_str(&h->tmp, "type");
	if (type && strcmp(type, "transit") == 0)
		return IMS_OK;
	return sheet_add(h, loc, NULL, NULL, 0);
}

/* Walking order: locations by pick_seq (those that have one first),
 * else by code; within one, by sku and lot. */
static int
walk_cmp(const void *a, const void *b)
{
	const struct sheet_row *x = a, *y = b;
	int c;

	if (x->has_seq != y->has_seq)
		return y->has_seq - x->has_seq;
	if (x->has_seq && x->pick_seq != y->pick_seq)
		return x->pick_seq < y->pick_seq ? -1 : 1;
	if ((c = strcmp(x->loc, y->loc)))
		return c;
	if (!x->sku || !y->sku)
		return !x->sku - !y->sku;
	if ((c = strcmp(x->sku, y->sku)))
		return c;
	return strcmp(x->trk, y->trk);
}

static void
sheet_print(struct sheet *h, struct ims_out *o)
{
	static const char *const trk[] = { NULL, "lot", "serial" };
	struct ims_rec *r = &h->tmp;

	for (size_t i = 0; i < h->n; i++) {
		const struct sheet_row *w = &h->v[i];

		ims_rec_reset(r);
		ims_rec_adds(r, "location", w->loc);
		if (w->sku)
			ims_rec_adds(r, "sku", w->sku);
		if (w->sku && trk[w->track] && *w->trk)
			ims_rec_adds(r, trk[w->track], w->trk);
		if (w->cls)
			ims_rec_add(r, "class", &w->cls, 1, IMS_F_STR);
		if (w->sku && !h->s->blind)
			ims_rec_addn(r, "book", w->book, IMS_QTY);
		ims_out_rec(o, r);
	}
}

static void
sheet_free(struct sheet *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].loc);
		free(h->v[i].sku);
		free(h->v[i].trk);
	}
	free(h->v);
	ims_map_free(h->items, free);
	ims_map_free(h->picks, free);
	ims_map_free(h->used, NULL);
	ims_map_free(h->due, NULL);
	ims_rec_free(&h->tmp);
}

/*
 * The count sheet: a line per balance with stock, in walking order,
 * for a location prefix and a list of skus; the book left out when
 * blind, and empty locations added when asked.
 */
int
ims_count_sheet(struct ims_txn *t, struct ims_out *o,
    const struct ims_sheet *s)
{
	struct sheet h = { .t = t, .s = s };
	const char *one = s->skus && s->skus[0] && !s->skus[1] ?
	    s->skus[0] : NULL;
	int rc;

	h.items = ims_must(ims_map_new());
	h.picks = ims_must(ims_map_new());
	h.used = ims_must(ims_map_new());
	if (s->cycle) {
		rc = cycle_plan(&h);
		ims_map_free(h.used, NULL);
		h.used = ims_must(ims_map_new());
		if (rc) {
			sheet_free(&h);
			return rc;
		}
	}
	rc = ims_each_balance(t, one, sheet_bal, &h);
	if (!rc && s->include_empty)
		rc = ims_each_row(t, IMS_DB_LOCATIONS, NULL, sheet_loc, &h);
	if (!rc && h.n) {
		qsort(h.v, h.n, sizeof *h.v, walk_cmp);
		sheet_print(&h, o);
	}
	sheet_free(&h);
	return rc;
}

/* --- reports: adjustments and accuracy -------------------------------- */


/* One group of a report: its key's parts and its sums. */
struct group {
	char *key;
	long n, within;
	ims_wide qty, value;
};

struct groups {
	struct ims_map *m;
	struct ims_rec rec;
	struct ims_map *cls;		/* sku -> ABC class */
	const struct ims_report_args *a;
	int rc;
};

static struct group *
group(struct groups *g, const char *a, const char *b, const char *c)
{
	char k[4 * IMS_KEY_MAX];
	int isnew;
	void **slot;
	struct group *w;

	snprintf(k, sizeof k, "%s\x1f%s\x1f%s", a, b, c);
	slot = ims_map_slot(g->m, k, &isnew);
	if (isnew) {
		*slot = w = ims_must(calloc(1, sizeof *w));
		w->key = ims_must(strdup(k));
	}
	return *slot;
}

static int
group_cmp(const void *a, const void *b)
{
	return strcmp((*(struct group *const *)a)->key,
	    (*(struct group *const *)b)->key);
}

/* The groups in key order, each given to fn with its three parts. */
static void
each_group(struct groups *g, void (*fn)(struct groups *, char **,
    const struct group *), struct ims_out *o)
{
	size_t n = ims_map_count(g->m), it = 0, i = 0;
	struct group **v = ims_must(calloc(n + 1, sizeof *v));
	const char *key;
	void *val;

	while (ims_map_each(g->m, &it, &key, &val))
		v[i++] = val;
	qsort(v, n, sizeof *v, group_cmp);
	for (i = 0; i < n; i++) {
		char *k = ims_must(strdup(v[i]->key)), *part[3] = { k, NULL, NULL };
		char *p = k;

		for (int j = 1; j < 3 && (p = strchr(p, '\x1f')); j++)
			*p++ = '\0', part[j] = p;
		ims_rec_reset(&g->rec);
		fn(g, part, v[i]);
		ims_out_rec(o, &g->rec);
		free(k);
	}
	free(v);
}

static void
group_free(void *p)
{
	free(((struct group *)p)->key);
	free(p);
}


static void
add_long(struct ims_rec *r, const char *name, long v)
{
	char b[24];

	snprintf(b, sizeof b, "%ld", v);
	ims_rec_add(r, name, b, strlen(b), IMS_F_NUM);
}

const char *const ims_adjustments_cols[] = { "sku", "location", "reason",
	"adjustments", "qty", "value", NULL };

/* An adjustment: a movement to or from @adjust, on its internal side,
 * into its group. */
static int
adjust_entry(void *arg, const struct ims_entry *e)
{
	struct groups *g = arg;
	char zb[IMS_KEY_MAX];
	const char *loc, *reason, *s;
	int in = strcmp(e->from, "@adjust") == 0;
	ims_dec cost = 0, value;
	struct group *w;

	if (!in && strcmp(e->to, "@adjust") != 0)
		return IMS_OK;
	loc = in ? e->to : e->from;
	if (g->a->f.location && !ims_loc_match(loc, g->a->f.location))
		return IMS_OK;
	ims_rec_reset(&g->rec);
	if (ims_rec_json(&g->rec, e->json, e->jsonlen) != 0)
		return ims_damaged("entry %llu does not parse",
		    (unsigned long long)e->seq);
	if ((s = ims_rec_str(&g->rec, "unit_cost")))
		ims_dec_parse(s, strlen(s), IMS_MONEY, &cost);
	reason = ims_rec_str(&g->rec, "reason");
	w = group(g, e->sku, ims_loc_cut(loc, g->a->depth, zb, sizeof zb),
	    reason ? reason : "");
	w->n++;
	w->qty += in ? e->qty : -e->qty;
	if (ims_value(e->qty, cost, &value))
		return ims_seterr(IMS_EREJECT, "entry %llu: value overflows",
		    (unsigned long long)e->seq);
	w->value += in ? value : -value;
	return IMS_OK;
}

static void
adjust_row(struct groups *g, char **part, const struct group *w)
{
	ims_rec_adds(&g->rec, "sku", part[0]);
	ims_rec_adds(&g->rec, "location", part[1]);
	if (*part[2])
		ims_rec_adds(&g->rec, "reason", part[2]);
	add_long(&g->rec, "adjustments", w->n);
	ims_rec_addw(&g->rec, "qty", w->qty, IMS_QTY);
	ims_rec_addw(&g->rec, "value", w->value, IMS_MONEY);
}

/*
 * ims-report adjustments: what counts changed, by sku, location (cut
 * to --depth) and reason, between --since and --until: how many
 * adjustments, their net quantity and value (found stock positive).
 */
int
ims_report_adjustments(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct groups g = { .a = a };
	struct ims_filter f = a->f;
	int rc;

	g.m = ims_must(ims_map_new());
	f.kinds = 1u << IMS_KIND_MOVE;
	f.location = NULL;
	rc = ims_each_entry_by_time(t, &f, adjust_entry, &g);
	if (!rc)
		each_group(&g, adjust_row, o);
	ims_map_free(g.m, group_free);
	ims_rec_free(&g.rec);
	return rc;
}

const char *const ims_accuracy_cols[] = { "zone", "class", "counted",
	"within", "accuracy", NULL };

/* A counted balance's latest count in the period. */
struct counted {
	char *sku, *loc;
	int within;
};

static int
accuracy_entry(void *arg, const struct ims_entry *e)
{
	struct ims_map *m = arg;
	struct counted *w;
	int isnew;
	void **slot;
	const char *p, *st;
	struct ims_rec r = { 0 };

	if (ims_rec_json(&r, e->json, e->jsonlen) != 0) {
		ims_rec_free(&r);
		return ims_damaged("entry %llu does not parse",
		    (unsigned long long)e->seq);
	}
	st = ims_rec_str(&r, "status");
	p = map_key(e->sku, e->to, e->trk);
	slot = ims_map_slot(m, p, &isnew);
	if (isnew) {
		*slot = w = ims_must(calloc(1, sizeof *w));
		w->sku = ims_must(strdup(e->sku));
		w->loc = ims_must(strdup(e->to));
	}
	w = *slot;
	w->within = st && (strcmp(st, "match") == 0 ||
	    strcmp(st, "within") == 0);
	ims_rec_free(&r);
	return IMS_OK;
}

static int
abc_class(void *arg, const struct ims_abc_row *r)
{
	int isnew;

	*ims_map_slot(arg, r->sku, &isnew) = (void *)(intptr_t)r->cls;
	return IMS_OK;
}

/* The ABC class of every item, by consumption value over the year up
 * to until (80% and 95% of the value are A and B). */
int
ims_count_classes(struct ims_txn *t, ims_time until, struct ims_map **mp)
{
	*mp = ims_must(ims_map_new());
	return ims_abc(t, until - 365 * 86400, until, 80, 95, abc_class, *mp);
}

static void
accuracy_add(struct groups *g, const struct counted *c)
{
	char zb[IMS_KEY_MAX], cls[2] = { 0 };
	const char *zone = ims_loc_cut(c->loc, g->a->depth ? g->a->depth : 1, zb,
	    sizeof zb);
	struct group *v[3];

	cls[0] = (char)(intptr_t)ims_map_get(g->cls, c->sku);
	if (!cls[0])
		cls[0] = 'C';
	v[0] = group(g, zone, "*", "");
	v[1] = group(g, "*", cls, "");
	v[2] = group(g, "*", "*", "");
	for (int i = 0; i < 3; i++) {
		v[i]->n++;
		v[i]->within += c->within;
	}
}

static void
accuracy_row(struct groups *g, char **part, const struct group *w)
{
	char b[IMS_DEC_BUF];
	ims_dec pct = 0;

	ims_rec_adds(&g->rec, "zone", part[0]);
	ims_rec_adds(&g->rec, "class", part[1]);
	add_long(&g->rec, "counted", w->n);
	add_long(&g->rec, "within", w->within);
	ims_dec_div((ims_wide)w->within * 100, 0, w->n, 0, 1, &pct);
	ims_dec_fmt(pct, 1, b);
	ims_rec_add(&g->rec, "accuracy", b, strlen(b), IMS_F_NUM);
}

static void
counted_free(void *p)
{
	free(((struct counted *)p)->sku);
	free(((struct counted *)p)->loc);
	free(p);
}

/*
 * ims-report accuracy: inventory record accuracy, the share of counted
 * balances whose latest count between --since and --until was within
 * tolerance (status match or within), in percent: by zone (--depth
 * segments, 1 by default), by ABC class, and over all ("*").
 */
int
ims_report_accuracy(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct groups g = { .a = a };
	struct ims_filter f = a->f;
	struct ims_map *m = ims_must(ims_map_new());
	const char *key;
	void *val;
	size_t it = 0;
	int rc;

	g.m = ims_must(ims_map_new());
	f.kinds = 1u << IMS_KIND_COUNT_ENTRY;
	rc = ims_each_entry_by_time(t, &f, accuracy_entry, m);
	if (!rc)
		rc = ims_count_classes(t, f.until != IMS_TIME_NONE ? f.until :
		    ims_now(), &g.cls);
	while (!rc && ims_map_each(m, &it, &key, &val))
		accuracy_add(&g, val);
	if (!rc)
		each_group(&g, accuracy_row, o);
	ims_map_free(m, counted_free);
	ims_map_free(g.m, group_free);
	ims_map_free(g.cls, NULL);
	ims_rec_free(&g.rec);
	return rc;
}
