/*
 * post: the posting path, as ims-receive and ims-move run it.  A fresh
 * store gets a fixed set of items (A untracked, L lot-tracked with a
 * shelf life, S serial-tracked) and locations (W1, W1/A, W2, transit
 * T).  The input is read as records (NDJSON or CSV, as a command would
 * detect it); a record with "from" is a transfer, any other a receipt.
 * All are posted in one write transaction, the good ones kept as with
 * --keep-going, and committed.  Then, from a read transaction, every
 * stored figure is recomputed from the journal and compared:
 *  - journal: seq 1..n, qty > 0, one side internal; its JSON is strict,
 *    and says the same sku, from, to, qty, ts and lot or serial;
 *  - balances: each is the sum of the journal for it, none is negative,
 *    none is missing, last_ts is the latest ts;
 *  - history: exactly one row of the right delta per internal side;
 *  - taken in (ts, seq) order, no balance is ever negative, and no
 *    serial is ever in stock twice;
 *  - serials: the table names where each serial in stock is;
 *  - refs, lots, late movements and max_ts agree with the journal;
 *  - and ims_check, which does the same for ims-check, finds nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[64], dbdir[80];

/* One internal side of a movement. */
struct delta {
	struct ims_key key;	/* sku, location, lot-or-serial: the balance */
	ims_time ts;
	uint64_t seq;
	int64_t d;
	int serial;
};

struct deltas {
	struct delta *v;
	size_t n, cap;
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
static void clear_store(void);

static void
remove_dir(void)
{
	clear_store();
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setenv("IMS_NOW", "2026-11-27T12:00:00Z", 1);
	setenv("IMS_ACTOR", "fuzz", 1);
	unsetenv("IMS_MAPSIZE");
	snprintf(dir, sizeof dir, "%s/ims-fuzz-post.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		fuzz_fail("mkdtemp %s", dir);
	snprintf(dbdir, sizeof dbdir, "%s/db", dir);
	atexit(remove_dir);
	return 0;
}

static void
clear_store(void)
{
	char p[128];

	snprintf(p, sizeof p, "%s/data.mdb", dbdir);
	unlink(p);
	snprintf(p, sizeof p, "%s/lock.mdb", dbdir);
	unlink(p);
	rmdir(dbdir);
}

static void
need(int rc, const char *what)
{
	if (rc)
		fuzz_fail("%s: %d %s", what, rc, ims_errmsg());
}

static void
upsert(struct ims_journal *t, const struct ims_schema *s, const char *csv)
{
	static struct ims_rec in, out;
	char buf[256], *p, *save = NULL, *name, *val;

	ims_rec_reset(&in);
	snprintf(buf, sizeof buf, "%s", csv);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		name = p;
		if (!(val = strchr(p, '=')))
			abort();
		*val++ = '\0';
		ims_rec_adds(&in, name, val);
	}
	need(ims_master_upsert(t, s, &in, &out), csv);
}

/* The master data, as ims-item and ims-loc would store them. */
static struct ims_store *
fresh_store(void)
{
	struct ims_store *s;
	struct ims_txn *tx;
	struct ims_journal *t;

	clear_store();
	need(ims_store_open(&s, dbdir, IMS_STORE_NOSYNC), "open");
	need(ims_txn_begin(s, 1, &tx), "begin");
	need(ims_journal_begin(tx, "fuzz", ims_now(), &t), "journal");
	upsert(t, &ims_item_schema, "sku=A,name=bolt,unit_cost=0.25");
	upsert(t, &ims_item_schema, "sku=L,name=milk,track=lot,"
	    "shelf_life_days=10");
	upsert(t, &ims_item_schema, "sku=S,name=scanner,track=serial");
	upsert(t, &ims_loc_schema, "code=W1,type=internal");
	upsert(t, &ims_loc_schema, "code=W1/A,type=internal");
	upsert(t, &ims_loc_schema, "code=W2,type=internal");
	upsert(t, &ims_loc_schema, "code=T,type=transit");
	need(ims_journal_end(t), "journal end");
	ims_journal_free(t);
	need(ims_txn_commit(tx), "commit master");
	return s;
}

static void
post_all(struct ims_store *s, const uint8_t *data, size_t size)
{
	char *path = fuzz_file(0, data, size);
	struct ims_reader *rd = ims_reader_open(&path, 1, IMS_FMT_AUTO, 1);
	struct ims_journal *l;
	struct ims_txn *t;
	struct ims_rec *r;
	struct ims_move m;
	int rc;

	need(ims_txn_begin(s, 1, &t), "begin");
	need(ims_journal_begin(t, "fuzz", ims_now(), &l), "journal");
	while ((rc = ims_reader_next(rd, &r)) == 1) {
		if (r->error)
			continue;
		rc = ims_move_parse(&m, r, ims_rec_field(r, "from") ?
		    IMS_TRANSFER : IMS_RECEIPT);
		if (rc == IMS_OK)
			rc = ims_post(l, &m, NULL);
		if (rc != IMS_OK && rc != IMS_EREJECT && rc != IMS_ESKIP)
			fuzz_fail("posting line %ld: %d %s", r->line, rc,
			    ims_errmsg());
	}
	need(rc, "reading");
	need(ims_journal_end(l), "journal end");
	ims_journal_free(l);
	need(ims_txn_commit(t), "commit");
	ims_reader_close(rd);
}

static void
add_delta(struct deltas *ds, const struct ims_entry *e, const char *loc,
    int64_t d)
{
	struct delta *x;

	if (ims_is_virtual(loc))
		return;
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 64;
		if (!(ds->v = realloc(ds->v, ds->cap * sizeof *ds->v)))
			abort();
	}
	x = &ds->v[ds->n++];
	ims_key_init(&x->key);
	ims_key_str(&x->key, e->sku);
	ims_key_str(&x->key, loc);
	ims_key_str(&x->key, e->trk);
	x->ts = e->ts;
	x->seq = e->seq;
	x->d = d;
	x->serial = strcmp(e->sku, "S") == 0;
}

/* The order of the history table: balance key, then ts, then seq. */
static int
by_key_ts_seq(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;
	size_t n = x->key.n < y->key.n ? x->key.n : y->key.n;
	int c = memcmp(x->key.b, y->key.b, n);

	if (c || x->key.n != y->key.n)
		return c ? c : x->key.n < y->key.n ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *
str_field(const struct ims_rec *r, const char *name)
{
	const char *s = ims_rec_str(r, name);

	return s ? s : "";
}

/* The journal's JSON says what its stored header says. */
static void
check_json(const struct ims_entry *e, struct ims_rec *r)
{
	const char *why, *s;
	ims_dec q = 0;
	ims_time ts = 0;
	char want[32];

	ims_rec_reset(r);
	if (ims_rec_json(r, e->json, e->jsonlen) != 0)
		fuzz_fail("journal %llu: %s: %s", (unsigned long long)e->seq,
		    r->error, ims_qn(e->json, e->jsonlen));
	fuzz_check_json_trip(r);
	snprintf(want, sizeof want, "%llu", (unsigned long long)e->seq);
	s = str_field(r, "qty");
	if (strcmp(str_field(r, "seq"), want) != 0 ||
	    strcmp(str_field(r, "sku"), e->sku) != 0 ||
	    strcmp(str_field(r, "from"), e->from) != 0 ||
	    strcmp(str_field(r, "to"), e->to) != 0 ||
	    (why = ims_dec_parse(s, strlen(s), IMS_QTY, &q)) || q != e->qty ||
	    (s = str_field(r, "ts"), ims_time_parse(s, strlen(s), &ts)) ||
	    ts != e->ts ||
	    strcmp(str_field(r, strcmp(e->sku, "S") == 0 ? "serial" : "lot"),
	    e->trk) != 0)
		fuzz_fail("journal %llu: JSON %s disagrees with its header",
		    (unsigned long long)e->seq, ims_qn(e->json, e->jsonlen));
}

/* Walk the journal: check each entry, and gather its internal sides. */
static void
read_journal(struct ims_txn *t, struct deltas *ds, ims_time *max_ts,
    uint64_t *nseq)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	struct ims_entry e;
	struct ims_rec r = { 0 };
	ims_time run = INT64_MIN;
	int rc;

	*nseq = 0;
	need(ims_cursor_open(t, IMS_DB_JOURNAL, &c), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		need(ims_entry_decode(&k, &v, &e), "decode");
		if (e.seq != ++*nseq)
			fuzz_fail("journal seq %llu after %llu",
			    (unsigned long long)e.seq,
			    (unsigned long long)*nseq - 1);
		if (e.kind != IMS_KIND_MOVE) {
			if (e.late)	/* master data: never backdated */
				fuzz_fail("journal %llu: a late master entry",
				    (unsigned long long)e.seq);
			continue;
		}
		if (e.late != (e.ts < run))
			fuzz_fail("journal %llu: late flag %d",
			    (unsigned long long)e.seq, e.late);
		if (e.ts > run)
			run = e.ts;
		if (e.qty <= 0 || strcmp(e.from, e.to) == 0 ||
		    (ims_is_virtual(e.from) && ims_is_virtual(e.to)))
			fuzz_fail("journal %llu: qty %lld from %s to %s",
			    (unsigned long long)e.seq, (long long)e.qty,
			    e.from, e.to);
		check_json(&e, &r);
		add_delta(ds, &e, e.from, -e.qty);
		add_delta(ds, &e, e.to, e.qty);
	}
	if (rc != IMS_ENOTFOUND)
		need(rc, "journal");
	ims_cursor_close(c);
	ims_rec_free(&r);
	*max_ts = run;
}

/* Same balance? */
static int
same_key(const struct delta *a, const struct delta *b)
{
	return a->key.n == b->key.n &&
	    memcmp(a->key.b, b->key.b, a->key.n) == 0;
}

/* Balances: one per key of the sorted deltas, equal to their sum, and
 * never negative along the way. */
static void
check_balances(struct ims_txn *t, const struct deltas *ds)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	struct ims_bal bal;
	size_t i = 0;
	int rc;

	need(ims_cursor_open(t, IMS_DB_BALANCES, &c), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		__int128 sum = 0;
		ims_time last = INT64_MIN;

		if (v.n != sizeof bal)
			fuzz_fail("balance of %zu bytes", v.n);
		memcpy(&bal, v.p, sizeof bal);
		if (i >= ds->n || k.n != ds->v[i].key.n ||
		    memcmp(k.p, ds->v[i].key.b, k.n) != 0)
			fuzz_fail("balance %s has no movements (or one is "
			    "missing before it)", ims_qn(k.p, k.n));
		for (size_t j = i; i < ds->n && same_key(&ds->v[i],
		    &ds->v[j]); i++) {
			sum += ds->v[i].d;
			if (sum < 0)
				fuzz_fail("balance %s goes negative at ts %lld "
				    "seq %llu", ims_qn(k.p, k.n),
				    (long long)ds->v[i].ts,
				    (unsigned long long)ds->v[i].seq);
			if (ds->v[i].ts > last)
				last = ds->v[i].ts;
		}
		if (bal.on_hand != sum || bal.on_hand < 0 ||
		    bal.allocated != 0 || bal.last_ts != last)
			fuzz_fail("balance %s: on_hand %lld allocated %lld "
			    "last_ts %lld; the journal sums to %lld, last "
			    "%lld", ims_qn(k.p, k.n), (long long)bal.on_hand,
			    (long long)bal.allocated, (long long)bal.last_ts,
			    (long long)sum, (long long)last);
	}
	if (rc != IMS_ENOTFOUND)
		need(rc, "balances");
	if (i != ds->n)
		fuzz_fail("no balance for %s", ims_qn((char *)ds->v[i].key.b,
		    ds->v[i].key.n));
	ims_cursor_close(c);
}

/* History: exactly the sorted deltas, keyed as the ledger keys them. */
static void
check_history(struct ims_txn *t, const struct deltas *ds)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	size_t i = 0;
	int64_t d;
	int rc;

	need(ims_cursor_open(t, IMS_DB_HISTORY, &c), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v), i++) {
		struct ims_key want;

		if (i >= ds->n)
			fuzz_fail("history row %s from nowhere",
			    ims_qn(k.p, k.n));
		want = ds->v[i].key;
		ims_key_i64(&want, ds->v[i].ts);
		ims_key_u64(&want, ds->v[i].seq);
		if (v.n != 8 || (memcpy(&d, v.p, 8), d != ds->v[i].d) ||
		    k.n != want.n || memcmp(k.p, want.b, k.n) != 0)
			fuzz_fail("history row %zu: %s, want seq %llu delta "
			    "%lld", i, ims_qn(k.p, k.n),
			    (unsigned long long)ds->v[i].seq,
			    (long long)ds->v[i].d);
	}
	if (rc != IMS_ENOTFOUND)
		need(rc, "history");
	if (i != ds->n)
		fuzz_fail("history: %zu rows for %zu sides", i, ds->n);
	ims_cursor_close(c);
}

/* The serial part of a balance key: sku and serial, location left out. */
static void
serial_of(const struct delta *x, struct ims_key *k)
{
	const char *sku = (const char *)x->key.b;
	const char *loc = sku + strlen(sku) + 1;

	ims_key_init(k);
	ims_key_str(k, sku);
	ims_key_str(k, loc + strlen(loc) + 1);
}

static int
by_serial_ts_seq(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;
	struct ims_key kx, ky;
	int c;

	serial_of(x, &kx);
	serial_of(y, &ky);
	if (kx.n != ky.n)
		return kx.n < ky.n ? -1 : 1;
	if ((c = memcmp(kx.b, ky.b, kx.n)))
		return c;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Where the serials table says a serial is, or NULL. */
static const char *
serial_at(struct ims_txn *t, const struct ims_key *k, size_t *n)
{
	struct ims_val v;
	int rc = ims_get(t, IMS_DB_SERIALS, k, &v);

	if (rc == IMS_ENOTFOUND)
		return NULL;
	need(rc, "serials");
	*n = v.n;
	return v.p;
}

/* A serial is in one place at most, at every moment; the serials table
 * names the place it is in now. */
static void
check_serials(struct ims_txn *t, struct deltas *ds)
{
	size_t i = 0, j, n = 0, nserial = 0;
	struct ims_cursor *c;
	struct ims_val k, v;
	int rc;

	if (ds->n)
		qsort(ds->v, ds->n, sizeof *ds->v, by_serial_ts_seq);
	for (; i < ds->n; i = j) {
		struct ims_key sk, o;
		const char *where = NULL, *at;
		int64_t in = 0;

		serial_of(&ds->v[i], &sk);
		for (j = i + 1; j < ds->n && (serial_of(&ds->v[j], &o),
		    o.n == sk.n && !memcmp(o.b, sk.b, sk.n)); j++)
			;
		if (!ds->v[i].serial)
			continue;
		for (size_t x = i; x < j; x++) {
			in += ds->v[x].d;
			if (in < 0 || in > 1000)
				fuzz_fail("serial %s: %lld in stock at seq "
				    "%llu", ims_qn((char *)sk.b, sk.n),
				    (long long)in,
				    (unsigned long long)ds->v[x].seq);
			if (in == 1000 && ds->v[x].d > 0)
				where = (const char *)ds->v[x].key.b +
				    strlen((char *)ds->v[x].key.b) + 1;
		}
		at = serial_at(t, &sk, &n);
		if (in ? !at || strlen(where) != n || memcmp(at, where, n) :
		    at != NULL)
			fuzz_fail("serial %s is at %s, the table says %s",
			    ims_qn((char *)sk.b, sk.n), in ? where : "none",
			    at ? ims_qn(at, n) : "none");
		nserial += in != 0;
	}
	need(ims_cursor_open(t, IMS_DB_SERIALS, &c), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v))
		if (nserial-- == 0)
			fuzz_fail("serials table: %s in stock nowhere",
			    ims_qn(k.p, k.n));
	if (rc != IMS_ENOTFOUND)
		need(rc, "serials");
	ims_cursor_close(c);
}

static int64_t
get_i64(const void *p)
{
	int64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* refs -> seq; lots -> expiry; late (ts, seq); meta max_ts */
static void
check_indexes(struct ims_txn *t, ims_time max_ts, uint64_t nseq)
{
	struct ims_cursor *c, *j;
	struct ims_val k, v, jk, jv;
	struct ims_key key;
	struct ims_entry e;
	struct ims_rec r = { 0 };
	int rc;

	need(ims_cursor_open(t, IMS_DB_REFS, &c), "cursor");
	need(ims_cursor_open(t, IMS_DB_JOURNAL, &j), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		if (v.n != 8 + IMS_FP_LEN)
			fuzz_fail("ref of %zu bytes", v.n);
		ims_key_init(&key);
		ims_key_u64(&key, ims_get_u64(v.p));
		need(ims_cursor_seek(j, &key, &jk, &jv), "ref's seq");
		need(ims_entry_decode(&jk, &jv, &e), "decode");
		ims_rec_reset(&r);
		if (e.seq != ims_get_u64(v.p) ||
		    ims_rec_json(&r, e.json, e.jsonlen) ||
		    strlen(str_field(&r, "ref")) + 1 != k.n ||
		    memcmp(str_field(&r, "ref"), k.p, k.n) != 0)
			fuzz_fail("ref %s -> seq %llu: %s", ims_qn(k.p, k.n),
			    (unsigned long long)ims_get_u64(v.p),
			    ims_qn(e.json, e.jsonlen));
	}
	if (rc != IMS_ENOTFOUND)
		need(rc, "refs");
	ims_cursor_close(c);
	ims_cursor_close(j);
	ims_rec_free(&r);
	ims_key_init(&key);
	ims_key_str(&key, "max_ts");
	rc = ims_get(t, IMS_DB_META, &key, &v);
	if (nseq ? rc || v.n != 8 || get_i64(v.p) != max_ts :
	    rc != IMS_ENOTFOUND)
		fuzz_fail("max_ts %lld, the journal's latest ts %lld",
		    rc ? 0LL : (long long)get_i64(v.p), (long long)max_ts);
}

/* Every journal movement with a ref is in refs; every lot's expiry is
 * the one its movements print; the late table is the late flags. */
static void
check_journal_refs(struct ims_txn *t)
{
	struct ims_cursor *c;
	struct ims_val k, v, x;
	struct ims_key key;
	struct ims_entry e;
	struct ims_rec r = { 0 };
	char db[IMS_TIME_BUF];
	const char *s;
	size_t nlate = 0;
	int rc;

	need(ims_cursor_open(t, IMS_DB_JOURNAL, &c), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		need(ims_entry_decode(&k, &v, &e), "decode");
		if (e.kind != IMS_KIND_MOVE) {
			nlate += e.late;	/* master data: indexed too */
			continue;
		}
		ims_rec_reset(&r);
		need(ims_rec_json(&r, e.json, e.jsonlen), "journal JSON");
		if ((s = ims_rec_str(&r, "ref"))) {
			ims_key_init(&key);
			ims_key_str(&key, s);
			if (ims_get(t, IMS_DB_REFS, &key, &x) ||
			    x.n != 8 + IMS_FP_LEN ||
			    ims_get_u64(x.p) != e.seq)
				fuzz_fail("seq %llu: ref %s not indexed",
				    (unsigned long long)e.seq, ims_q(s));
		}
		if (strcmp(e.sku, "L") == 0) {
			ims_key_init(&key);
			ims_key_str(&key, e.sku);
			ims_key_str(&key, e.trk);
			if (ims_get(t, IMS_DB_LOTS, &key, &x) || x.n != 8)
				fuzz_fail("seq %llu: lot %s not kept",
				    (unsigned long long)e.seq, ims_q(e.trk));
			s = ims_rec_str(&r, "expiry");
			if (s && (get_i64(x.p) == IMS_TIME_NONE ||
			    strcmp(s, ims_date_fmt(get_i64(x.p), db)) != 0))
				fuzz_fail("seq %llu: expiry %s, lot %s has %s",
				    (unsigned long long)e.seq, s, ims_q(e.trk),
				    get_i64(x.p) == IMS_TIME_NONE ? "none" :
				    db);
		}
		if (e.late) {
			ims_key_init(&key);
			ims_key_i64(&key, e.ts);
			ims_key_u64(&key, e.seq);
			if (ims_get(t, IMS_DB_LATE, &key, &x))
				fuzz_fail("seq %llu: late, not indexed",
				    (unsigned long long)e.seq);
			nlate++;
		}
	}
	if (rc != IMS_ENOTFOUND)
		need(rc, "journal");
	ims_cursor_close(c);
	ims_rec_free(&r);
	need(ims_cursor_open(t, IMS_DB_LATE, &c), "cursor");
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v))
		if (nlate-- == 0)
			fuzz_fail("late table: more rows than late moves");
	ims_cursor_close(c);
}

static void
report_diff(void *arg, const struct ims_rec *diff)
{
	struct ims_buf b = { 0 };

	(void)arg;
	ims_rec_to_json(diff, &b);
	fuzz_fail("ims_check: %s", b.p);
}

static void
check_store(struct ims_store *s)
{
	struct deltas ds = { 0 };
	struct ims_txn *t;
	ims_time max_ts;
	uint64_t nseq;
	struct ims_check_counts n;

	need(ims_txn_begin(s, 0, &t), "begin read");
	read_journal(t, &ds, &max_ts, &nseq);
	if (ds.n)
		qsort(ds.v, ds.n, sizeof *ds.v, by_key_ts_seq);
	check_balances(t, &ds);
	check_history(t, &ds);
	check_serials(t, &ds);
	check_indexes(t, max_ts, nseq);
	check_journal_refs(t);
	need(ims_check(t, report_diff, NULL, &n), "ims_check");
	if (n.entries != (long)nseq || n.ndiff != 0)
		fuzz_fail("ims_check: %ld entries of %llu, %ld differences",
		    n.entries, (unsigned long long)nseq, n.ndiff);
	ims_txn_abort(t);
	free(ds.v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ims_store *s = fresh_store();

	post_all(s, data, size);
	check_store(s);
	ims_store_close(s);
	return 0;
}
