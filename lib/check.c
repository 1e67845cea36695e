/*
 * check.c: recompute every stored figure from the journal and compare.
 * One pass over the journal derives what each table should hold; then
 * each kind of stored figure has its own checker in the table at the
 * end, so that a new kind (allocations, cost layers, purchase orders)
 * adds one function and one line.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

/* What the journal says one balance should be. */
struct want_bal {
	int64_t on_hand, last_ts;
	long rows;		/* history rows */
	int serial;		/* the lot slot holds a serial */
	int seen;
};

struct check {
	struct ims_txn *t;
	ims_check_fn *report;
	void *arg;
	long ndiff, entries, history_rows, late_rows;
	uint64_t last_seq;
	ims_time max_ts;
	char head[65];
	struct ims_map *bal, *refs, *lots;
	struct ims_rec rec, diff;
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
	struct ims_sha256 h;
	unsigned char d[32];
	static const char hex[] = "0123456789abcdef";
	char want[65];
	const char *got;

	if (ims_entry_hash(e, &got) != IMS_OK) {
		differ(c, "chain", num(e->seq), "no hash", NULL);
		return;
	}
	ims_sha256_init(&h);
	ims_sha256_add(&h, c->head, 64);
	ims_sha256_add(&h, e->json, got - e->json - 9);
	ims_sha256_add(&h, "}", 1);
	ims_sha256_end(&h, d);
	for (int i = 0; i < 32; i++) {
		want[2 * i] = hex[d[i] >> 4];
		want[2 * i + 1] = hex[d[i] & 15];
	}
	want[64] = '\0';
	if (memcmp(want, got, 64) != 0)
		differ(c, "chain", num(e->seq), "altered",
		    "the hash of the entry before and this one");
	memcpy(c->head, got, 64);
}

/* What the entry's JSON says of refs and lots. */
static void
take_fields(struct check *c, const struct ims_entry *e)
{
	const char *ref, *lot, *exp;
	char k[IMS_KEY_MAX + 1];
	void **slot;
	int isnew;

	ims_rec_reset(&c->rec);
	if (ims_rec_json(&c->rec, e->json, e->jsonlen) != 0) {
		differ(c, "journal", num(e->seq), "damaged JSON", NULL);
		return;
	}
	if ((ref = ims_rec_str(&c->rec, "ref"))) {
		slot = ims_map_slot(c->refs, ref, &isnew);
		if (!isnew)
			differ(c, "refs", ref, "posted twice", "once");
		*slot = (void *)(uintptr_t)e->seq;
	}
	if ((lot = ims_rec_str(&c->rec, "lot"))) {
		snprintf(k, sizeof k, "%s\x1f%s", e->sku, lot);
		slot = ims_map_slot(c->lots, k, &isnew);
		exp = ims_rec_str(&c->rec, "expiry");
		if (isnew || (!*slot && exp))
			*slot = exp ? strdup(exp) : NULL;
	}
}

/* The one pass over the journal, in seq order. */
static int
scan_journal(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k, v;
	struct ims_entry e;
	int rc;

	if ((rc = ims_cursor_open(c->t, IMS_DB_JOURNAL, &cur)))
		return rc;
	for (rc = ims_cursor_seek(cur, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, &v)) {
		if ((rc = ims_entry_decode(&k, &v, &e)))
			break;
		if (e.seq != c->last_seq + 1)
			differ(c, "journal", num(e.seq), "a gap",
			    num(c->last_seq + 1));
		c->last_seq = e.seq;
		c->entries++;
		check_link(c, &e);
		if (e.late != (e.ts < c->max_ts))
			differ(c, "late", num(e.seq), e.late ? "late" :
			    "in order", e.late ? "in order" : "late");
		if (e.ts > c->max_ts)
			c->max_ts = e.ts;
		c->late_rows += e.late;
		take_fields(c, &e);
		int serial = ims_rec_str(&c->rec, "serial") != NULL;
		add_side(c, &e, e.from, -e.qty, serial);
		add_side(c, &e, e.to, e.qty, serial);
	}
	ims_cursor_close(cur);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

static int
check_balances(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k, v;
	struct ims_bal b;
	char key[IMS_KEY_MAX + 1];
	const char *mk;
	void *val;
	size_t it = 0;
	int rc;

	if ((rc = ims_cursor_open(c->t, IMS_DB_BALANCES, &cur)))
		return rc;
	for (rc = ims_cursor_seek(cur, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, &v)) {
		struct want_bal *w;

		join(k.p, k.n, key, sizeof key);
		memcpy(&b, v.p, sizeof b);
		w = ims_map_get(c->bal, key);
		if (!w) {
			if (b.on_hand || b.allocated)
				differ(c, "balance", show(key), qty(b.on_hand),
				    "0");
			continue;
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
	}
	ims_cursor_close(cur);
	while (ims_map_each(c->bal, &it, &mk, &val))
		if (!((struct want_bal *)val)->seen)
			differ(c, "balance", show(mk), "missing",
			    qty(((struct want_bal *)val)->on_hand));
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/* Close one balance's run of history rows. */
static void
history_run(struct check *c, const char *key, int64_t sum, long rows)
{
	struct want_bal *w = ims_map_get(c->bal, key);

	if (!w || w->rows != rows || w->on_hand != sum)
		differ(c, "history", show(key), qty(sum),
		    w ? qty(w->on_hand) : "no movements");
}

/* History rows per balance: their sum is the balance, and in (ts, seq)
 * order it is never negative. */
static int
check_history(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k, v;
	char key[IMS_KEY_MAX + 1], run[IMS_KEY_MAX + 1] = "";
	int64_t sum = 0, d;
	long rows = 0, total = 0;
	int rc, neg = 0;

	if ((rc = ims_cursor_open(c->t, IMS_DB_HISTORY, &cur)))
		return rc;
	for (rc = ims_cursor_seek(cur, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, &v)) {
		join(k.p, k.n - 16, key, sizeof key);
		if (strcmp(key, run) != 0) {
			if (rows)
				history_run(c, run, sum, rows);
			snprintf(run, sizeof run, "%s", key);
			sum = rows = neg = 0;
		}
		memcpy(&d, v.p, 8);
		sum += d;
		rows++;
		total++;
		if (sum < 0 && !neg++)
			differ(c, "negative", show(key), qty(sum), ">= 0");
	}
	if (rows)
		history_run(c, run, sum, rows);
	ims_cursor_close(cur);
	if (total != c->history_rows)
		differ(c, "history", "rows", num(total), num(c->history_rows));
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

static int
check_refs(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k, v;
	long n = 0;
	int rc;

	if ((rc = ims_cursor_open(c->t, IMS_DB_REFS, &cur)))
		return rc;
	for (rc = ims_cursor_seek(cur, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, &v)) {
		char ref[IMS_KEY_MAX + 1];
		uint64_t seq = v.n == 8 ? ims_get_u64(v.p) : 0;
		void *want;

		join(k.p, k.n, ref, sizeof ref);
		want = ims_map_get(c->refs, ref);
		if (!want || (uint64_t)(uintptr_t)want != seq)
			differ(c, "refs", ref, num(seq),
			    want ? num((uintptr_t)want) : "no such ref");
		n++;
	}
	ims_cursor_close(cur);
	if ((size_t)n != ims_map_count(c->refs))
		differ(c, "refs", "count", num(n),
		    num(ims_map_count(c->refs)));
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

static int
check_lots(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k, v;
	char key[IMS_KEY_MAX + 1], b[IMS_TIME_BUF];
	long n = 0;
	int rc;

	if ((rc = ims_cursor_open(c->t, IMS_DB_LOTS, &cur)))
		return rc;
	for (rc = ims_cursor_seek(cur, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, &v)) {
		ims_time e;
		int isnew;
		const char *have = "";
		void **slot;

		join(k.p, k.n, key, sizeof key);
		memcpy(&e, v.p, 8);
		if (e != IMS_TIME_NONE)
			have = ims_date_fmt(e, b);
		slot = ims_map_slot(c->lots, key, &isnew);
		if (isnew)
			differ(c, "lots", show(key), have, "no movements");
		else if (strcmp(*slot ? (char *)*slot : "", have) != 0)
			differ(c, "lots", show(key), have,
			    *slot ? (char *)*slot : "");
		n++;
	}
	ims_cursor_close(cur);
	if ((size_t)n != ims_map_count(c->lots))
		differ(c, "lots", "count", num(n), num(ims_map_count(c->lots)));
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/* A serial in stock is one unit in one place; the serials table says
 * where. */
static int
check_serials(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k, v;
	struct ims_map *want = ims_map_new();
	const char *mk;
	void *val;
	size_t it = 0;
	long n = 0;
	int rc;

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
			*slot = strdup(loc);
	}
	if ((rc = ims_cursor_open(c->t, IMS_DB_SERIALS, &cur)))
		goto out;
	for (rc = ims_cursor_seek(cur, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, &v)) {
		char key[IMS_KEY_MAX + 1], loc[IMS_KEY_MAX + 1];
		const char *w;

		join(k.p, k.n, key, sizeof key);
		snprintf(loc, sizeof loc, "%.*s", (int)v.n, (const char *)v.p);
		w = ims_map_get(want, key);
		if (!w || strcmp(w, loc) != 0)
			differ(c, "serials", show(key), loc,
			    w ? w : "not in stock");
		n++;
	}
	ims_cursor_close(cur);
	if ((size_t)n != ims_map_count(want))
		differ(c, "serials", "count", num(n),
		    num(ims_map_count(want)));
out:
	ims_map_free(want, free);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

static int
check_late(struct check *c)
{
	struct ims_cursor *cur;
	struct ims_val k;
	long n = 0;
	int rc;

	if ((rc = ims_cursor_open(c->t, IMS_DB_LATE, &cur)))
		return rc;
	for (rc = ims_cursor_seek(cur, NULL, &k, NULL); rc == IMS_OK;
	    rc = ims_cursor_next(cur, &k, NULL))
		n++;
	ims_cursor_close(cur);
	if (n != c->late_rows)
		differ(c, "late", "count", num(n), num(c->late_rows));
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/* The store-wide figures: the latest ts and the chain's head. */
static int
check_meta(struct check *c)
{
	struct ims_key k;
	struct ims_val v;
	ims_time max = INT64_MIN;
	int rc;

	if (!c->entries)
		return IMS_OK;
	ims_key_init(&k);
	ims_key_str(&k, "max_ts");
	if ((rc = ims_get(c->t, IMS_DB_META, &k, &v)) == IMS_OK && v.n == 8)
		memcpy(&max, v.p, 8);
	if (max != c->max_ts)
		differ(c, "meta", "max_ts", "differs", "the latest ts");
	ims_key_init(&k);
	ims_key_str(&k, "head");
	rc = ims_get(c->t, IMS_DB_META, &k, &v);
	if (rc || v.n != 64 || memcmp(v.p, c->head, 64) != 0)
		differ(c, "chain", "head", "differs",
		    "the hash of the last entry");
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
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
	{ "meta", check_meta },
};

static void
free_lot(void *p)
{
	free(p);
}

/*
 * Check the store in t.  Each difference goes to report as a record
 * (check, key, stored, expected).  Returns IMS_OK or a store error, and
 * the counts of entries and differences.
 */
int
ims_check(struct ims_txn *t, ims_check_fn *report, void *arg, long *entries,
    long *ndiff)
{
	struct check c = { .t = t, .report = report, .arg = arg,
		.max_ts = INT64_MIN };
	int rc;

	memset(c.head, '0', 64);
	c.bal = ims_map_new();
	c.refs = ims_map_new();
	c.lots = ims_map_new();
	rc = scan_journal(&c);
	for (size_t i = 0; !rc && i < sizeof checkers / sizeof *checkers; i++)
		rc = checkers[i].run(&c);
	*entries = c.entries;
	*ndiff = c.ndiff;
	ims_map_free(c.bal, free);
	ims_map_free(c.refs, NULL);
	ims_map_free(c.lots, free_lot);
	ims_rec_free(&c.rec);
	ims_rec_free(&c.diff);
	return rc;
}
