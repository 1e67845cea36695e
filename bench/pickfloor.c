/*
 * pickfloor.c: the raw LMDB floor for ims-pick.  It does the LMDB work
 * that allocating order lines, and confirming them as allocated, costs
 * ims, and nothing else: no parsing, no JSON, no hash chain, no item
 * look-ups.  From a plan (bench/gen --picks: order, line, sku, qty of
 * each line), in one write transaction of an existing store:
 *
 * Allocating (the default), for each line, in the order ims serves
 * them (input order: the plan has no priorities):
 *   orders    an order's lines read (a cursor over the order, once per
 *             order: how ims numbers a line), the line looked up (it
 *             must be new), then put
 *   journal   the order entry appended
 * and then for each line:
 *   balances  a cursor over the sku's balances: the candidates, those
 *             at a bin (not in transit) with stock free of reservations
 *   locations each location's record read once
 *   lots      each candidate lot's expiry (none: a serial); a lot that
 *             has expired by NOW is never taken
 *   history   the age of each candidate balance's oldest unit (FIFO:
 *             where what came in passes what went out), walked once per
 *             balance, when a line has more than one candidate
 * the candidates sorted (FEFO when one has an expiry: expiry, then age;
 * else FIFO: age; ties by location, then lot), and for each take:
 *   journal   the reserve entry appended
 *   reserves  the reservation read and put
 *   balances  read and put (its allocated figure)
 *   allocs    the history of allocated: a row
 *   orders    the line read and put (what it has reserved)
 *
 * Confirming (-c), for each order of the plan:
 *   orders    a cursor over the order's lines
 *   reserves  a cursor over its reservations
 * and for each reservation, a shipment to @customer:
 *   lots      is the lot or serial a lot (a serial leaves its place)?
 *   journal   the movement appended
 *   balances  read and put (on hand and allocated)
 *   history   a row; allocs a row
 *   reserves  deleted
 *   orders    the line read and put (reserved and shipped)
 *   serials   a serial's place deleted
 *
 * Entries are the binary head ims stores (kind, late, ts, qty and four
 * strings) then PAD bytes standing for the JSON: by default about what
 * ims writes for each kind (checked with mdb_stat: the journal comes out
 * with about as many pages as ims's).  Keys and values are laid out as
 * ims lays them (lib/order.c, lib/move.c).  What it leaves out is what
 * ims adds: parsing, validation, the item look-ups, kits, priorities,
 * holds, whole-order undo, pick_seq, the JSON, the hash chain and the
 * pick list.  Prints the number of reservations made (or shipments).
 *
 * usage: pickfloor [-c] DIR PLAN NOW [PAD]   (NOW: seconds since 1970)
 */
#define _GNU_SOURCE		/* memmem */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, \
	"pickfloor: %s: %s\n", #x, mdb_strerror(rc_)); exit(3); } } while (0)

enum { JOURNAL, BALANCES, HISTORY, LOTS, SERIALS, LOCATIONS, ORDERS,
	RESERVES, ALLOCS, NDB };
static const char *const names[NDB] = { "journal", "balances", "history",
	"lots", "serials", "locations", "orders", "reserves", "allocs" };

/* the stored kinds (lib/ims.h) */
enum { K_MOVE = 0, K_ORDER = 5, K_RESERVE = 6 };

#define NONE INT64_MIN		/* no time */

struct bal {
	int64_t on_hand, allocated, last_ts;
};

/* A line as ORDERS stores it: this, sku, location and channel, then
 * per, reserved, shipped and the sku of its one component. */
struct stored {
	int64_t wanted, ts, expires, priority, min_shelf;
	uint64_t seq;
	uint32_t flags, ncomp;
};

/* One line of the plan; see put_pick_plan() in gen.c. */
struct line {
	const char *order, *line, *sku;
	size_t norder, nline, nsku;
	int64_t qty;
};

struct cand {
	unsigned char key[512];		/* the balance's */
	size_t nkey, loc, trk;		/* where they start in key */
	int64_t avail, expiry, age;
	int serial;
};

static MDB_txn *txn;
static MDB_dbi dbi[NDB];
static int64_t now;
static uint64_t seq;
static long pad[3] = { 202, 235, 245 };	/* order, reserve, shipment */

/* --- keys and values -------------------------------------------------- */

static void
be64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (56 - 8 * i);
}

static uint64_t
get_be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Append a string and its NUL to a key of n bytes; the new length. */
static size_t
kstr(unsigned char *k, size_t n, const char *s, size_t ns)
{
	memcpy(k + n, s, ns);
	k[n + ns] = 0;
	return n + ns + 1;
}

/* Append a time (sign bit flipped) and a seq, as ims_key_i64/u64. */
static size_t
kts(unsigned char *k, size_t n, int64_t ts, uint64_t s)
{
	be64(k + n, (uint64_t)ts ^ UINT64_C(0x8000000000000000));
	be64(k + n + 8, s);
	return n + 16;
}

static void
put(int db, const void *k, size_t nk, const void *v, size_t nv,
    unsigned flags)
{
	MDB_val key = { nk, (void *)k }, val = { nv, (void *)v };

	CHECK(mdb_put(txn, dbi[db], &key, &val, flags));
}

/* Get into val; 0, or MDB_NOTFOUND. */
static int
get(int db, const void *k, size_t nk, MDB_val *val)
{
	MDB_val key = { nk, (void *)k };
	int rc = mdb_get(txn, dbi[db], &key, val);

	if (rc && rc != MDB_NOTFOUND)
		CHECK(rc);
	return rc;
}

/* An entry: kind, late, ts, qty, four strings, then pad bytes. */
static void
journal(int kind, int64_t qty, const char *const s[4], const size_t n[4],
    long padn)
{
	static unsigned char v[4096];
	unsigned char k[8];
	size_t len = 18;

	v[0] = (unsigned char)kind;
	v[1] = 0;
	memcpy(v + 2, &now, 8);
	memcpy(v + 10, &qty, 8);
	for (int i = 0; i < 4; i++)
		len = kstr(v, len, s[i], n[i]);
	memset(v + len, 'x', padn);
	len += padn;
	be64(k, ++seq);
	put(JOURNAL, k, 8, v, len, MDB_APPEND);
}

/* --- the plan --------------------------------------------------------- */

static const unsigned char *
read_line(const unsigned char *p, struct line *l)
{
	l->norder = p[0], l->nline = p[1], l->nsku = p[2];
	memcpy(&l->qty, p + 8, 8);
	p += 16;
	l->order = (const char *)p;
	l->line = l->order + l->norder;
	l->sku = l->line + l->nline;
	return (const unsigned char *)l->sku + l->nsku;
}

static struct line *
read_plan(const char *path, size_t *n)
{
	struct stat st;
	const unsigned char *p, *end;
	struct line *v = NULL;
	size_t cap = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		exit(3);
	}
	p = mmap(NULL, st.st_size ? st.st_size : 1, PROT_READ, MAP_PRIVATE,
	    fd, 0);
	if (p == MAP_FAILED) {
		perror(path);
		exit(3);
	}
	close(fd);
	end = p + st.st_size;
	for (*n = 0; p < end; (*n)++) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (!(v = realloc(v, cap * sizeof *v))) {
				perror("pickfloor");
				exit(3);
			}
		}
		p = read_line(p, &v[*n]);
	}
	return v;
}

/* --- caches: location records and balance ages ------------------------ */

struct slot {
	unsigned char *key;
	size_t n;
	int64_t v;
};

struct cache {
	struct slot *s;
	size_t cap, count;
};

static uint64_t
hash(const unsigned char *k, size_t n)
{
	uint64_t h = 1469598103934665603u;

	while (n--)
		h = (h ^ *k++) * 1099511628211u;
	return h ^ h >> 29;
}

static struct slot *
find(struct cache *c, const unsigned char *k, size_t n)
{
	size_t i = hash(k, n) & (c->cap - 1);

	while (c->s[i].key && (c->s[i].n != n || memcmp(c->s[i].key, k, n)))
		i = (i + 1) & (c->cap - 1);
	return &c->s[i];
}

/* The slot of key k: new ones have no value yet (v NONE). */
static struct slot *
cache_slot(struct cache *c, const unsigned char *k, size_t n)
{
	struct slot *s;

	if ((c->count + 1) * 2 > c->cap) {
		struct cache d = { calloc(c->cap ? 2 * c->cap : 1024,
		    sizeof *d.s), c->cap ? 2 * c->cap : 1024, c->count };

		for (size_t i = 0; i < c->cap; i++)
			if (c->s[i].key)
				*find(&d, c->s[i].key, c->s[i].n) = c->s[i];
		free(c->s);
		*c = d;
	}
	if ((s = find(c, k, n))->key)
		return s;
	s->key = malloc(n);
	memcpy(s->key, k, n);
	s->n = n;
	s->v = NONE;
	c->count++;
	return s;
}

static struct cache locs, ages;

/* Can allocation take stock at loc: a location, not in transit? */
static int
pickable(const char *loc)
{
	struct slot *s = cache_slot(&locs, (const unsigned char *)loc,
	    strlen(loc) + 1);
	MDB_val v;

	if (s->v == NONE)
		s->v = get(LOCATIONS, loc, strlen(loc) + 1, &v) == 0 &&
		    !memmem(v.mv_data, v.mv_size, "\"type\":\"transit\"", 16);
	return (int)s->v;
}

/* The ts of the inbound row at which what came into the balance passes
 * what has gone out of it; walked once per balance. */
static int64_t
age(const struct cand *c)
{
	static int64_t *in, *ints;
	static size_t cap;
	struct slot *s = cache_slot(&ages, c->key, c->nkey);
	MDB_cursor *cur;
	MDB_val k = { c->nkey, (void *)c->key }, v;
	int64_t out = 0, got = 0, d;
	size_t n = 0;
	int rc;

	if (s->v != NONE)
		return s->v;
	CHECK(mdb_cursor_open(txn, dbi[HISTORY], &cur));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 &&
	    k.mv_size == c->nkey + 16 && !memcmp(k.mv_data, c->key, c->nkey);
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		memcpy(&d, v.mv_data, 8);
		if (d < 0) {
			out -= d;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			in = realloc(in, cap * sizeof *in);
			ints = realloc(ints, cap * sizeof *ints);
		}
		in[n] = d;
		ints[n++] = (int64_t)(get_be64((unsigned char *)k.mv_data +
		    c->nkey) ^ UINT64_C(0x8000000000000000));
	}
	if (rc && rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(cur);
	s->v = INT64_MAX;	/* none passes: sorts last, as no time */
	for (size_t i = 0; i < n; i++)
		if ((got += in[i]) > out) {
			s->v = ints[i];
			break;
		}
	return s->v;
}

/* --- allocating ------------------------------------------------------- */

static void
order_lines(const struct line *l)
{
	unsigned char k[512];
	size_t n = kstr(k, 0, l->order, l->norder);
	MDB_cursor *cur;
	MDB_val key = { n, k }, v;
	int rc;

	CHECK(mdb_cursor_open(txn, dbi[ORDERS], &cur));
	for (rc = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); rc == 0 &&
	    key.mv_size > n && !memcmp(key.mv_data, k, n);
	    rc = mdb_cursor_get(cur, &key, &v, MDB_NEXT))
		;
	if (rc && rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(cur);
}

static void
post_order(const struct line *l)
{
	unsigned char k[512], v[512];
	struct stored s = { l->qty, now, NONE, 0, 0, seq + 1, 0, 1 };
	int64_t f[3] = { 1000, 0, 0 };
	const char *js[4] = { l->sku, l->order, l->line, "" };
	size_t jn[4] = { l->nsku, l->norder, l->nline, 0 };
	size_t nk = kstr(k, kstr(k, 0, l->order, l->norder), l->line, l->nline);
	size_t nv = sizeof s;
	MDB_val have;

	if (get(ORDERS, k, nk, &have) == 0) {
		fprintf(stderr, "pickfloor: order line exists\n");
		exit(1);
	}
	journal(K_ORDER, l->qty, js, jn, pad[0]);
	memcpy(v, &s, sizeof s);
	nv = kstr(v, nv, l->sku, l->nsku);
	nv = kstr(v, nv, "", 0);
	nv = kstr(v, nv, "", 0);
	memcpy(v + nv, f, sizeof f);
	nv = kstr(v, nv + sizeof f, l->sku, l->nsku);
	put(ORDERS, k, nk, v, nv, 0);
}

#define LOC(c) ((const char *)(c)->key + (c)->loc)
#define TRK(c) ((const char *)(c)->key + (c)->trk)

static struct cand *cands;
static size_t ncands, capc;

/* One balance of the sku, if it can serve a line. */
static void
cand(const struct line *l, const MDB_val *k, const MDB_val *v)
{
	const char *loc = (const char *)k->mv_data + l->nsku + 1;
	const char *trk = loc + strlen(loc) + 1;
	unsigned char lk[512];
	struct bal b;
	struct cand *c;
	int64_t exp = NONE;
	MDB_val e;
	int serial = 0;

	memcpy(&b, v->mv_data, sizeof b);
	if (*loc == '@' || b.on_hand - b.allocated <= 0 || !pickable(loc))
		return;
	if (*trk) {
		size_t n = kstr(lk, kstr(lk, 0, l->sku, l->nsku), trk,
		    strlen(trk));
		if (get(LOTS, lk, n, &e) == 0)
			memcpy(&exp, e.mv_data, 8);
		else
			serial = 1;
	}
	if (exp != NONE && exp <= now)
		return;
	if (ncands == capc) {
		capc = capc ? 2 * capc : 64;
		cands = realloc(cands, capc * sizeof *cands);
	}
	c = &cands[ncands++];
	memcpy(c->key, k->mv_data, k->mv_size);
	c->nkey = k->mv_size;
	c->loc = l->nsku + 1;
	c->trk = c->loc + strlen(loc) + 1;
	c->avail = b.on_hand - b.allocated;
	c->expiry = exp;
	c->age = NONE;
	c->serial = serial;
}

static int fefo;

static int
cmp_time(int64_t a, int64_t b)
{
	if (a == b)
		return 0;
	if (a == NONE)
		return 1;
	if (b == NONE)
		return -1;
	return a < b ? -1 : 1;
}

static int
cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int r;

	if ((fefo && (r = cmp_time(a->expiry, b->expiry))) ||
	    (r = cmp_time(a->age, b->age)) || (r = strcmp(LOC(a), LOC(b))))
		return r;
	return strcmp(TRK(a), TRK(b));
}

/* The line's candidates, in the order they are taken. */
static void
list_cands(const struct line *l)
{
	unsigned char k[512];
	size_t n = kstr(k, 0, l->sku, l->nsku);
	MDB_cursor *cur;
	MDB_val key = { n, k }, v;
	int rc;

	ncands = 0;
	CHECK(mdb_cursor_open(txn, dbi[BALANCES], &cur));
	for (rc = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); rc == 0 &&
	    key.mv_size > n && !memcmp(key.mv_data, k, n);
	    rc = mdb_cursor_get(cur, &key, &v, MDB_NEXT))
		cand(l, &key, &v);
	if (rc && rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(cur);
	fefo = 0;
	for (size_t i = 0; i < ncands; i++)
		fefo |= cands[i].expiry != NONE;
	for (size_t i = 0; ncands > 1 && i < ncands; i++)
		cands[i].age = age(&cands[i]);
	qsort(cands, ncands, sizeof *cands, cmp_cand);
}

/* The line's component figures: reserved += r, shipped += s. */
static void
line_figures(const char *order, size_t no, const char *line, size_t nl,
    int64_t r, int64_t s)
{
	unsigned char k[512], v[1024];
	size_t nk = kstr(k, kstr(k, 0, order, no), line, nl), off;
	int64_t f[3];
	MDB_val have;

	if (get(ORDERS, k, nk, &have) != 0 || have.mv_size > sizeof v) {
		fprintf(stderr, "pickfloor: no order line\n");
		exit(1);
	}
	memcpy(v, have.mv_data, have.mv_size);
	off = sizeof(struct stored);
	for (int i = 0; i < 3; i++)
		off += strlen((char *)v + off) + 1;
	memcpy(f, v + off, sizeof f);
	f[1] += r, f[2] += s;
	memcpy(v + off, f, sizeof f);
	put(ORDERS, k, nk, v, have.mv_size, 0);
}

/* The reservation's key: order, line, then the balance's key. */
static size_t
resv_key(unsigned char *k, const struct line *l, const struct cand *c)
{
	size_t n = kstr(k, kstr(k, 0, l->order, l->norder), l->line,
	    l->nline);

	memcpy(k + n, c->key, c->nkey);
	return n + c->nkey;
}

static void
take(const struct line *l, const struct cand *c, int64_t q)
{
	unsigned char k[1024];
	const char *js[4] = { l->sku, LOC(c), l->order, TRK(c) };
	size_t jn[4] = { l->nsku, strlen(LOC(c)), l->norder, strlen(TRK(c)) };
	size_t n = resv_key(k, l, c);
	int64_t have = 0;
	struct bal b;
	MDB_val v;

	journal(K_RESERVE, q, js, jn, pad[1]);
	if (get(RESERVES, k, n, &v) == 0)
		memcpy(&have, v.mv_data, 8);
	have += q;
	put(RESERVES, k, n, &have, 8, 0);
	if (get(BALANCES, c->key, c->nkey, &v) != 0) {
		fprintf(stderr, "pickfloor: no balance\n");
		exit(1);
	}
	memcpy(&b, v.mv_data, sizeof b);
	b.allocated += q;
	put(BALANCES, c->key, c->nkey, &b, sizeof b, 0);
	memcpy(k, c->key, c->nkey);
	put(ALLOCS, k, kts(k, c->nkey, now, seq), &q, 8, 0);
	line_figures(l->order, l->norder, l->line, l->nline, q, 0);
}

static long
allocate(const struct line *v, size_t n)
{
	long takes = 0;

	for (size_t i = 0; i < n; i++) {
		if (i == 0 || v[i].norder != v[i - 1].norder ||
		    memcmp(v[i].order, v[i - 1].order, v[i].norder))
			order_lines(&v[i]);
		post_order(&v[i]);
	}
	for (size_t i = 0; i < n; i++) {
		int64_t want = v[i].qty;

		list_cands(&v[i]);
		for (size_t c = 0; want > 0 && c < ncands; c++) {
			int64_t q = cands[c].avail < want ? cands[c].avail :
			    want;

			take(&v[i], &cands[c], q);
			want -= q;
			takes++;
		}
	}
	return takes;
}

/* --- confirming ------------------------------------------------------- */

struct resv {
	unsigned char key[1024];
	size_t n;
	int64_t qty;
};

static struct resv *held;
static size_t nheld, caph;

/* Every row of a table under the prefix k: into held when keep. */
static void
each_under(int db, const unsigned char *k, size_t n, int keep)
{
	MDB_cursor *cur;
	MDB_val key = { n, (void *)k }, v;
	int rc;

	CHECK(mdb_cursor_open(txn, dbi[db], &cur));
	for (rc = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); rc == 0 &&
	    key.mv_size > n && !memcmp(key.mv_data, k, n);
	    rc = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (!keep)
			continue;
		if (nheld == caph) {
			caph = caph ? 2 * caph : 16;
			held = realloc(held, caph * sizeof *held);
		}
		memcpy(held[nheld].key, key.mv_data, key.mv_size);
		held[nheld].n = key.mv_size;
		memcpy(&held[nheld++].qty, v.mv_data, 8);
	}
	if (rc && rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(cur);
}

/* Ship one reservation: its key is order, line, sku, location, trk. */
static void
ship(const struct resv *r)
{
	const char *s[5], *p = (const char *)r->key;
	const char *js[4];
	size_t jn[4], nb;
	unsigned char k[1024];
	int64_t q = r->qty, d = -r->qty;
	struct bal b;
	MDB_val v;
	int serial = 0;

	for (int i = 0; i < 5; i++) {
		s[i] = p;
		p += strlen(p) + 1;
	}
	nb = r->n - (s[2] - (const char *)r->key);
	if (*s[4]) {
		size_t n = kstr(k, kstr(k, 0, s[2], strlen(s[2])), s[4],
		    strlen(s[4]));
		serial = get(LOTS, k, n, &v) != 0;
	}
	js[0] = s[2], js[1] = s[3], js[2] = "@customer", js[3] = s[4];
	for (int i = 0; i < 4; i++)
		jn[i] = strlen(js[i]);
	journal(K_MOVE, q, js, jn, pad[2]);
	if (get(BALANCES, s[2], nb, &v) != 0) {
		fprintf(stderr, "pickfloor: no balance\n");
		exit(1);
	}
	memcpy(&b, v.mv_data, sizeof b);
	b.on_hand -= q;
	b.allocated -= q;
	if (now > b.last_ts)
		b.last_ts = now;
	put(BALANCES, s[2], nb, &b, sizeof b, 0);
	memcpy(k, s[2], nb);
	put(HISTORY, k, kts(k, nb, now, seq), &d, 8, 0);
	put(ALLOCS, k, kts(k, nb, now, seq), &d, 8, 0);
	CHECK(mdb_del(txn, dbi[RESERVES], &(MDB_val){ r->n, (void *)r->key },
	    NULL));
	line_figures(s[0], strlen(s[0]), s[1], strlen(s[1]), -q, q);
	if (serial) {
		size_t n = kstr(k, kstr(k, 0, s[2], strlen(s[2])), s[4],
		    strlen(s[4]));
		int rc = mdb_del(txn, dbi[SERIALS], &(MDB_val){ n, k }, NULL);
		if (rc && rc != MDB_NOTFOUND)
			CHECK(rc);
	}
}

static long
confirm(const struct line *v, size_t n)
{
	unsigned char k[512];
	long shipped = 0;

	for (size_t i = 0; i < n; i++) {
		size_t nk;

		if (i && v[i].norder == v[i - 1].norder &&
		    !memcmp(v[i].order, v[i - 1].order, v[i].norder))
			continue;
		nk = kstr(k, 0, v[i].order, v[i].norder);
		each_under(ORDERS, k, nk, 0);
		nheld = 0;
		each_under(RESERVES, k, nk, 1);
		for (size_t h = 0; h < nheld; h++)
			ship(&held[h]);
		shipped += nheld;
	}
	return shipped;
}

/* --- main ------------------------------------------------------------- */

static uint64_t
last_seq(void)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t s = 0;
	int rc;

	CHECK(mdb_cursor_open(txn, dbi[JOURNAL], &c));
	if ((rc = mdb_cursor_get(c, &k, &v, MDB_LAST)) == 0 &&
	    k.mv_size == 8)
		s = get_be64(k.mv_data);
	else if (rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(c);
	return s;
}

int
main(int argc, char **argv)
{
	MDB_env *env;
	struct line *v;
	size_t n;
	struct stat st;
	char path[4096];
	int c = argc > 1 && strcmp(argv[1], "-c") == 0;
	long done;

	argv += c, argc -= c;
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: pickfloor [-c] DIR PLAN NOW [PAD]\n");
		return 2;
	}
	now = strtoll(argv[3], NULL, 10);
	if (argc > 4)
		pad[0] = pad[1] = pad[2] = strtol(argv[4], NULL, 10);
	v = read_plan(argv[2], &n);
	snprintf(path, sizeof path, "%s/data.mdb", argv[1]);
	if (stat(path, &st) != 0) {
		perror(path);
		return 3;
	}
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 32));
	CHECK(mdb_env_set_mapsize(env, st.st_size + ((size_t)1 << 30) +
	    n * 4096));
	CHECK(mdb_env_open(env, argv[1], MDB_NOTLS, 0600));
	CHECK(mdb_txn_begin(env, NULL, 0, &txn));
	for (int i = 0; i < NDB; i++)
		CHECK(mdb_dbi_open(txn, names[i], MDB_CREATE, &dbi[i]));
	seq = last_seq();
	done = c ? confirm(v, n) : allocate(v, n);
	CHECK(mdb_txn_commit(txn));
	mdb_env_close(env);
	free(v);
	printf("%ld\n", done);
	return 0;
}
