/*
 * floor.c: the raw LMDB floor for posting movements.  It does the LMDB
 * work that posting costs ims, and nothing else: no parsing, no checks
 * beyond "never negative", no JSON, no hash chain.  For each movement
 * of a plan (bench/gen --plan: the same records, pre-digested), in one
 * write transaction of an existing store:
 *
 *   refs      put ref -> seq, failing if it exists (the idempotency check)
 *   balances  for each internal side: get, then put (24 bytes)
 *   history   for each internal side: put (balance key, ts, seq) -> delta
 *   journal   append seq -> ts, qty, flag, sku, from, to, lot-or-serial
 *             and the record's text padded by PAD bytes (by default 132
 *             for a receipt, 119 for a move: about what ims adds, the
 *             seq, type, from, actor and hash), so that entries are the
 *             size ims stores (checked with mdb_stat: the same number of
 *             pages within 1%)
 *   lots      a new lot's expiry, on receipts of lot-tracked items
 *   serials   where a serial is, or its removal when it leaves
 *
 * The keys are laid out as ims lays them (NUL-terminated strings,
 * big-endian numbers), so that the trees have the same shape.
 *
 * usage: floor DIR PLAN [PAD]
 */
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
	"floor: %s: %s\n", #x, mdb_strerror(rc_)); exit(3); } } while (0)

enum { JOURNAL, BALANCES, HISTORY, REFS, LOTS, SERIALS, NDB };
static const char *const names[NDB] = { "journal", "balances", "history",
	"refs", "lots", "serials" };

struct bal {
	int64_t on_hand, allocated, last_ts;
};

/* One record of the plan; see put_plan() in gen.c. */
struct rec {
	int64_t ts, qty, expiry;
	const char *sku, *from, *to, *trk, *ref, *line;
	size_t nsku, nfrom, nto, ntrk, nref, nline;
	int flags;
};

static MDB_txn *txn;
static MDB_dbi dbi[NDB];

static const unsigned char *
take(const unsigned char *p, const char **s, size_t *n, size_t len)
{
	*s = (const char *)p;
	*n = len;
	return p + len;
}

static const unsigned char *
read_rec(const unsigned char *p, struct rec *r)
{
	const unsigned char *h = p;
	uint16_t nl;

	memcpy(&r->ts, h, 8);
	memcpy(&r->qty, h + 8, 8);
	memcpy(&r->expiry, h + 16, 8);
	memcpy(&nl, h + 24, 2);
	r->flags = h[31];
	p = take(h + 32, &r->sku, &r->nsku, h[26]);
	p = take(p, &r->from, &r->nfrom, h[27]);
	p = take(p, &r->to, &r->nto, h[28]);
	p = take(p, &r->trk, &r->ntrk, h[29]);
	p = take(p, &r->ref, &r->nref, h[30]);
	return take(p, &r->line, &r->nline, nl);
}

static void
be64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (56 - 8 * i);
}

/* key = the strings, each NUL-terminated; returns its length */
static size_t
strkey(unsigned char *k, const char *a, size_t na, const char *b,
    size_t nb, const char *c, size_t nc)
{
	size_t n = 0;

	memcpy(k, a, na);
	k[n = na] = 0;
	n++;
	if (b) {
		memcpy(k + n, b, nb);
		n += nb;
		k[n++] = 0;
	}
	if (c) {
		memcpy(k + n, c, nc);
		n += nc;
		k[n++] = 0;
	}
	return n;
}

/* One internal side: balance read and write, a history row. */
static void
side(const struct rec *r, const char *loc, size_t nloc, int64_t delta,
    uint64_t seq)
{
	unsigned char k[512];
	MDB_val key, val;
	struct bal b = { 0, 0, INT64_MIN };
	size_t n = strkey(k, r->sku, r->nsku, loc, nloc, r->trk, r->ntrk);
	int rc;

	key.mv_data = k, key.mv_size = n;
	if ((rc = mdb_get(txn, dbi[BALANCES], &key, &val)) == 0)
		memcpy(&b, val.mv_data, sizeof b);
	else if (rc != MDB_NOTFOUND)
		CHECK(rc);
	if (b.on_hand + delta < 0) {
		fprintf(stderr, "floor: seq %llu: negative balance\n",
		    (unsigned long long)seq);
		exit(1);
	}
	b.on_hand += delta;
	if (r->ts > b.last_ts)
		b.last_ts = r->ts;
	val.mv_data = &b, val.mv_size = sizeof b;
	CHECK(mdb_put(txn, dbi[BALANCES], &key, &val, 0));
	be64(k + n, (uint64_t)r->ts ^ UINT64_C(0x8000000000000000));
	be64(k + n + 8, seq);
	key.mv_size = n + 16;
	val.mv_data = &delta, val.mv_size = 8;
	CHECK(mdb_put(txn, dbi[HISTORY], &key, &val, 0));
}

static void
journal(const struct rec *r, uint64_t seq, size_t pad)
{
	static unsigned char v[4096];
	static const char filler[] = "{\"seq\":0,\"type\":\"receive\","
	    "\"from\":\"@supplier\",\"actor\":\"bench\",\"hash\":"
	    "\"0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef\"}0123456789abcdef0123456789abcdef";
	unsigned char k[8];
	MDB_val key = { 8, k }, val;
	size_t n = 17;

	if (pad == (size_t)-1)
		pad = r->from[0] == '@' ? 132 : 119;
	memcpy(v, &r->ts, 8);
	memcpy(v + 8, &r->qty, 8);
	v[16] = 0;
	n += strkey(v + n, r->sku, r->nsku, r->from, r->nfrom, r->to, r->nto);
	n += strkey(v + n, r->trk, r->ntrk, NULL, 0, NULL, 0);
	memcpy(v + n, r->line, r->nline);
	n += r->nline;
	if (pad > sizeof filler - 1)
		pad = sizeof filler - 1;
	memcpy(v + n, filler, pad);
	n += pad;
	be64(k, seq);
	val.mv_data = v, val.mv_size = n;
	CHECK(mdb_put(txn, dbi[JOURNAL], &key, &val, MDB_APPEND));
}

static void
post(const struct rec *r, uint64_t seq, size_t pad)
{
	unsigned char k[512], s[8];
	MDB_val key, val;
	int rc;

	key.mv_data = k;
	key.mv_size = strkey(k, r->ref, r->nref, NULL, 0, NULL, 0);
	be64(s, seq);
	val.mv_data = s, val.mv_size = 8;
	if ((rc = mdb_put(txn, dbi[REFS], &key, &val, MDB_NOOVERWRITE))) {
		if (rc == MDB_KEYEXIST)
			return;		/* posted before: skipped */
		CHECK(rc);
	}
	if (r->from[0] != '@')
		side(r, r->from, r->nfrom, -r->qty, seq);
	if (r->to[0] != '@')
		side(r, r->to, r->nto, r->qty, seq);
	journal(r, seq, pad);
	if ((r->flags & 1) && r->from[0] == '@') {
		key.mv_size = strkey(k, r->sku, r->nsku, r->trk, r->ntrk,
		    NULL, 0);
		val.mv_data = (void *)&r->expiry, val.mv_size = 8;
		rc = mdb_put(txn, dbi[LOTS], &key, &val, MDB_NOOVERWRITE);
		if (rc && rc != MDB_KEYEXIST)
			CHECK(rc);
	}
	if (r->flags & 2) {
		key.mv_size = strkey(k, r->sku, r->nsku, r->trk, r->ntrk,
		    NULL, 0);
		val.mv_data = (void *)r->to, val.mv_size = r->nto;
		if (r->to[0] != '@')
			CHECK(mdb_put(txn, dbi[SERIALS], &key, &val, 0));
		else if ((rc = mdb_del(txn, dbi[SERIALS], &key, NULL)) &&
		    rc != MDB_NOTFOUND)
			CHECK(rc);
	}
}

static uint64_t
last_seq(void)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t seq = 0;
	int rc;

	CHECK(mdb_cursor_open(txn, dbi[JOURNAL], &c));
	if ((rc = mdb_cursor_get(c, &k, &v, MDB_LAST)) == 0 &&
	    k.mv_size == 8)
		for (int i = 0; i < 8; i++)
			seq = seq << 8 | ((unsigned char *)k.mv_data)[i];
	else if (rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(c);
	return seq;
}

static const unsigned char *
map_plan(const char *path, size_t *n)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		exit(3);
	}
	*n = st.st_size;
	p = mmap(NULL, *n ? *n : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror(path);
		exit(3);
	}
	close(fd);
	return p;
}

/* Room for the store and what the plan adds to it (about three times the
 * plan's size), so that the floor never has to grow its map. */
static size_t
mapsize(const char *dir, size_t plan)
{
	char path[4096];
	struct stat st;
	size_t n = (size_t)1 << 30;

	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (stat(path, &st) == 0)
		n += st.st_size;
	return n + 4 * plan;
}

int
main(int argc, char **argv)
{
	MDB_env *env;
	const unsigned char *p, *end;
	size_t n, pad;
	uint64_t seq;
	struct rec r;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: floor DIR PLAN [PAD]\n");
		return 2;
	}
	pad = argc > 3 ? strtoul(argv[3], NULL, 10) : (size_t)-1;
	p = map_plan(argv[2], &n);
	end = p + n;
	mkdir(argv[1], 0700);
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 16));
	CHECK(mdb_env_set_mapsize(env, mapsize(argv[1], n)));
	CHECK(mdb_env_open(env, argv[1], MDB_NOTLS, 0600));
	CHECK(mdb_txn_begin(env, NULL, 0, &txn));
	for (int i = 0; i < NDB; i++)
		CHECK(mdb_dbi_open(txn, names[i], MDB_CREATE, &dbi[i]));
	seq = last_seq();
	while (p < end) {
		p = read_rec(p, &r);
		post(&r, ++seq, pad);
	}
	CHECK(mdb_txn_commit(txn));
	mdb_env_close(env);
	return 0;
}
