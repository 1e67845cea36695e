/*
 * countfloor.c: the raw LMDB floor for applying a count.  It does the
 * LMDB work that `ims-count --apply` costs, and nothing else: no checks
 * beyond what the work needs, no JSON, no hash chain, no decimals past
 * reading the counted figure.  For each counted line of counts.ndjson
 * (bench/gen --counts: location, sku, lot?, counted), in one write
 * transaction of an existing store:
 *
 *   locations  get, when the line's location is not the line before's
 *   items      get
 *   balances   get: the book
 *   journal    append the count entry: seq -> ts, qty, kind, sku,
 *              location, lot, and text padded to about the size of the
 *              JSON ims writes (PAD, 270 bytes by default)
 *   counts     get, then put the balance's last count (32 bytes)
 *   refs       get the adjustment's ref (count:SEQ): not there
 *
 * and when the count differs from the book, the adjustment:
 *
 *   refs       put count:SEQ -> seq, failing if it exists
 *   balances   put
 *   history    put (balance key, ts, seq) -> delta
 *   journal    append the movement, padded likewise (APAD, 320)
 *
 * usage: countfloor DIR COUNTS [PAD APAD]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <lmdb.h>

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, \
	"countfloor: %s: %s\n", #x, mdb_strerror(rc_)); exit(3); } } while (0)

enum { JOURNAL, BALANCES, HISTORY, REFS, ITEMS, LOCATIONS, COUNTS, NDB };
static const char *const names[NDB] = { "journal", "balances", "history",
	"refs", "items", "locations", "counts" };

struct bal {
	int64_t on_hand, allocated, last_ts;
};

struct line {
	char loc[256], sku[256], lot[256];
	int64_t counted;
};

static MDB_txn *txn;
static MDB_dbi dbi[NDB];

static void
be64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (56 - 8 * i);
}

/* The string value of "name" in a flat JSON line, or "". */
static void
field(const char *s, const char *name, char *out, size_t n)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof pat, "\"%s\":\"", name);
	out[0] = '\0';
	if (!(p = strstr(s, pat)))
		return;
	p += strlen(pat);
	if (!(e = strchr(p, '"')) || (size_t)(e - p) >= n)
		return;
	memcpy(out, p, e - p);
	out[e - p] = '\0';
}

/* "counted":12.5 in thousandths. */
static int64_t
counted(const char *s)
{
	const char *p = strstr(s, "\"counted\":");
	int64_t v = 0, scale = 1000;

	if (!p)
		return 0;
	for (p += 10; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++)
			v = v * 10 + (*p - '0'), scale /= 10;
	return v * scale;
}

static size_t
str(unsigned char *k, size_t n, const char *s)
{
	size_t m = strlen(s) + 1;

	memcpy(k + n, s, m);
	return n + m;
}

static int
get(int db, const void *k, size_t n, MDB_val *val)
{
	MDB_val key = { n, (void *)k };
	int rc = mdb_get(txn, dbi[db], &key, val);

	if (rc && rc != MDB_NOTFOUND)
		CHECK(rc);
	return rc;
}

static void
put(int db, const void *k, size_t n, const void *v, size_t vn,
    unsigned flags)
{
	MDB_val key = { n, (void *)k }, val = { vn, (void *)v };

	CHECK(mdb_put(txn, dbi[db], &key, &val, flags));
}

static void
journal(uint64_t seq, int64_t ts, int64_t qty, const struct line *l,
    const char *from, const char *to, size_t pad)
{
	static unsigned char v[4096];
	unsigned char k[8];
	size_t n = 18;

	memset(v, 0, n);
	memcpy(v + 2, &ts, 8);
	memcpy(v + 10, &qty, 8);
	n = str(v, n, l->sku);
	n = str(v, n, from);
	n = str(v, n, to);
	n = str(v, n, l->lot);
	if (pad > sizeof v - n)
		pad = sizeof v - n;
	memset(v + n, 'x', pad);
	be64(k, seq);
	put(JOURNAL, k, 8, v, n + pad, MDB_APPEND);
}

/* The adjustment: the ref, the balance, a history row, the entry. */
static void
adjust(uint64_t *seq, int64_t ts, const struct line *l, unsigned char *bk,
    size_t bn, struct bal *b, int64_t delta, const char *ref, size_t apad)
{
	unsigned char hk[600], rv[40] = { 0 };

	++*seq;
	be64(rv, *seq);
	put(REFS, ref, strlen(ref) + 1, rv, sizeof rv, MDB_NOOVERWRITE);
	b->on_hand += delta;
	b->last_ts = ts;
	put(BALANCES, bk, bn, b, sizeof *b, 0);
	memcpy(hk, bk, bn);
	be64(hk + bn, (uint64_t)ts ^ UINT64_C(0x8000000000000000));
	be64(hk + bn + 8, *seq);
	put(HISTORY, hk, bn + 16, &delta, 8, 0);
	journal(*seq, ts, delta < 0 ? -delta : delta, l, delta < 0 ? l->loc :
	    "@adjust", delta < 0 ? "@adjust" : l->loc, apad);
}

static void
count(uint64_t *seq, int64_t ts, const struct line *l, size_t pad,
    size_t apad)
{
	static char last_loc[256];
	unsigned char bk[600];
	char ref[40];
	struct bal b = { 0, 0, INT64_MIN };
	int64_t last[4] = { 0 };
	MDB_val v;
	size_t bn;

	if (strcmp(last_loc, l->loc) != 0) {
		get(LOCATIONS, l->loc, strlen(l->loc) + 1, &v);
		snprintf(last_loc, sizeof last_loc, "%s", l->loc);
	}
	get(ITEMS, l->sku, strlen(l->sku) + 1, &v);
	bn = str(bk, str(bk, str(bk, 0, l->sku), l->loc), l->lot);
	if (get(BALANCES, bk, bn, &v) == 0)
		memcpy(&b, v.mv_data, sizeof b);
	++*seq;
	journal(*seq, ts, l->counted, l, "", l->loc, pad);
	get(COUNTS, bk, bn, &v);
	last[0] = ts, last[1] = (int64_t)*seq, last[2] = l->counted -
	    b.on_hand;
	put(COUNTS, bk, bn, last, sizeof last, 0);
	snprintf(ref, sizeof ref, "count:%llu", (unsigned long long)*seq);
	get(REFS, ref, strlen(ref) + 1, &v);
	if (l->counted != b.on_hand)
		adjust(seq, ts, l, bk, bn, &b, l->counted - b.on_hand, ref,
		    apad);
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

int
main(int argc, char **argv)
{
	char buf[4096], path[4096];
	size_t pad = 270, apad = 320, map = (size_t)1 << 30;
	struct stat st;
	struct line l;
	uint64_t seq;
	MDB_env *env;
	FILE *fp;
	int64_t ts = time(NULL);

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: countfloor DIR COUNTS [PAD APAD]\n");
		return 2;
	}
	if (argc == 5)
		pad = strtoul(argv[3], NULL, 10), apad = strtoul(argv[4],
		    NULL, 10);
	if (!(fp = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 3;
	}
	snprintf(path, sizeof path, "%s/data.mdb", argv[1]);
	if (stat(path, &st) == 0)
		map += 2 * st.st_size;
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 32));
	CHECK(mdb_env_set_mapsize(env, map));
	CHECK(mdb_env_open(env, argv[1], MDB_NOTLS, 0600));
	CHECK(mdb_txn_begin(env, NULL, 0, &txn));
	for (int i = 0; i < NDB; i++)
		CHECK(mdb_dbi_open(txn, names[i], MDB_CREATE, &dbi[i]));
	seq = last_seq();
	while (fgets(buf, sizeof buf, fp)) {
		field(buf, "location", l.loc, sizeof l.loc);
		field(buf, "sku", l.sku, sizeof l.sku);
		field(buf, "lot", l.lot, sizeof l.lot);
		l.counted = counted(buf);
		count(&seq, ts, &l, pad, apad);
	}
	fclose(fp);
	CHECK(mdb_txn_commit(txn));
	mdb_env_close(env);
	return 0;
}
