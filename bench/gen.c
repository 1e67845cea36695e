/*
 * gen.c: a deterministic data set for the ims benchmarks.
 *
 * usage: gen --seed S --items N --out DIR [--receipts R] [--moves M]
 *     [--days D] [--bins B] [--lots PCT] [--serials PCT] [--orders O]
 *     [--counts C] [--picks P] [--pos L] [--cover] [--interleave] [--plan]
 *     [--sql]
 *
 * Writes into DIR: suppliers.csv, items.{ndjson,csv}, locations.csv
 * (WH1..WH3 in zones, aisles and levels, and the transit locations
 * TRANSIT/WHa-WHb), receipts.{ndjson,csv}, moves.{ndjson,csv},
 * orders.ndjson and counts.ndjson, in the record formats of ims(7).
 *
 * A simulation in time order: receipts over D days (ASNs of a few lines
 * with refs and POs; Zipf-like sku popularity; lot-tracked items get a
 * lot and expiry, serial-tracked ones qty 1 and a new serial each), then
 * moves over the D days that follow (transfers between the balances the
 * receipts left, via transit locations between warehouses, and shipments
 * to @customer), never taking more than is there, so that the moves load
 * cleanly after the receipts.  --interleave puts both in the same D days
 * instead (the moves are then backdated when loaded after the receipts).
 * Everything ends before 2026-01-01T00:00:00Z.  Orders and counts come
 * from the stock the moves leave.
 *
 * --cover: the first items x bins receipts put each sku in each bin once,
 *     the rest go to any bin, so that with --lots 0 --serials 0 the store
 *     holds exactly items x bins balances (the report benchmarks).
 * --plan: also receipts.plan and moves.plan, the same postings
 *     pre-digested for bench/floor.c.
 * --sql: also receipts.sql, the receipts as SQL for sqlite3(1).
 * --picks P: also P order lines for ims-pick (the pick benchmark) that
 *     can all be served on 2026-01-01 from the stock the moves leave
 *     (lots expired by then left out): picks.csv (order,sku,qty),
 *     picks.plan for bench/pickfloor.c, and picks-orders.csv, each
 *     order once (order), to confirm them as allocated.
 * --pos L: also pos.ndjson, L lines of open purchase orders (drafted and
 *     approved in the 30 days before 2026-01-01, nothing received), POs of
 *     1 to 8 lines of one supplier's skus, for the nightly benchmark.
 *     Drawn after everything else, so the other files do not change.
 *
 * Its own generator (xoshiro256**, seeded by splitmix64), integer
 * arithmetic only: the same bytes on every machine.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ims.h"

enum { TRACK_NONE, TRACK_LOT, TRACK_SERIAL };
enum { UOM_EA, UOM_KG, UOM_M, UOM_BOX };
static const char *const uoms[] = { "ea", "kg", "m", "box" };
static const char *const tracks[] = { "none", "lot", "serial" };

#define NWH 3
#define END_TS 1767225600LL	/* 2026-01-01T00:00:00Z */
#define DAY 86400LL

static struct {
	uint64_t seed;
	long items, receipts, moves, days, bins, orders, counts;
	int lots, serials, cover, interleave, plan, sql;
	const char *out;
	long picks, pos;
} opt = { 1, 10000, 100000, -1, 365, 600, 1000, 1000, 10, 3, 0, 0, 0, 0,
	NULL, 0, 0 };

struct ivec {
	int *v;
	int n, cap;
};

struct item {
	int track, uom, moq, shelf, supplier;
	int64_t cost;			/* ten-thousandths */
	int home[2], nhome;		/* bins receipts go to */
	int nlot, nserial;		/* lots and serials so far */
	int lot_tag;			/* yymm of the latest lot */
	int64_t lot_ts, lot_exp;	/* its first receipt and expiry */
	int64_t onhand;			/* thousandths */
	struct ivec live;		/* balances with stock */
};

struct bal {
	int sku, loc, trk, tag;		/* trk: lot or serial number */
	int64_t qty;			/* thousandths */
	int pos;			/* in its item's live list, or -1 */
	int64_t exp;			/* a lot's expiry, else 0 */
};

static struct item *items;
static char **locs;		/* bins, then transit locations */
static int *loc_wh;		/* a bin's warehouse; transit: where to */
static int *loc_from;		/* transit: where from; bins: -1 */
static int nloc, ntransit;
static int *wh_bins[NWH], wh_n[NWH];
static int skuw = 6;

static struct bal *bals;
static long nbal, balcap;
static int *slots;		/* open addressing: balance index or -1 */
static size_t nslots;

static uint64_t *cdf;		/* Zipf: cumulative weight by rank */
static int *byrank;		/* rank -> item */

/* --- random ----------------------------------------------------------- */

static uint64_t rs[4];

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
next(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* Uniform in [0, n). */
static uint64_t
below(uint64_t n)
{
	return (uint64_t)(((unsigned __int128)next() * n) >> 64);
}

static int
pct(int p)
{
	return (int)below(100) < p;
}

/* --- output ----------------------------------------------------------- */

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static void *
xgrow(void *p, size_t n)
{
	if (!(p = realloc(p, n)))
		die("out of memory");
	return p;
}

static FILE *
create(const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", opt.out, name);
	if (!(fp = fopen(path, "w")))
		die("%s: %s", path, strerror(errno));
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

static void
done(FILE *fp, const char *name)
{
	if (fp && (ferror(fp) | fclose(fp)))
		die("%s/%s: write error", opt.out, name);
}

/* Numbers and times are written by libims itself, exactly as ims
 * writes them. */
static char *
dec(int64_t v, int scale, char *buf)
{
	return ims_dec_fmt(v, scale, buf);
}

static char *
isots(int64_t t, char *buf)
{
	return ims_time_fmt(t, buf);
}

static char *
isodate(int64_t t, char *buf)
{
	return ims_date_fmt(t, buf);
}

static int
yymm(int64_t t)
{
	char b[IMS_TIME_BUF];

	ims_date_fmt(t, b);
	return atoi(b + 2) * 100 + atoi(b + 5);
}

static char *
sku_code(int i, char *buf)
{
	sprintf(buf, "P%0*d", skuw, i);
	return buf;
}

/* The lot or serial of a balance, "" when the item tracks neither. */
static char *
trk_code(const struct bal *b, char *buf)
{
	int t = items[b->sku].track;

	if (t == TRACK_LOT)
		sprintf(buf, "L%04d-%04d", b->tag, b->trk);
	else if (t == TRACK_SERIAL)
		sprintf(buf, "SN%0*d-%06d", skuw, b->sku, b->trk);
	else
		buf[0] = '\0';
	return buf;
}

/* --- master data ------------------------------------------------------ */

static const char *const materials[] = { "Steel", "Brass", "Nylon",
	"Zinc-plated", "Stainless", "Rubber", "Copper", "Aluminium" };
static const char *const nouns[] = { "hex bolt", "washer", "bracket",
	"hinge", "cable", "hose", "filter", "bearing", "valve", "gasket",
	"sensor", "relay", "fuse", "clamp", "spring", "pump", "coupling",
	"nozzle" };
static const char *const firms[] = { "Nordbolt", "Hansen Industrial",
	"Baltic Fasteners", "Meridian Supply", "Keystone Parts", "Vega Tools",
	"Orbit Components", "Lindqvist & Co" };

static long
nsuppliers(void)
{
	return opt.items / 250 > 3 ? opt.items / 250 : 3;
}

static void
write_suppliers(void)
{
	FILE *fp = create("suppliers.csv");

	fprintf(fp, "id,name,lead_time_days,contact\n");
	for (long i = 1; i <= nsuppliers(); i++)
		fprintf(fp, "SUP-%03ld,%s %ld,%d,"
		    "orders@sup-%03ld.example.com\n", i, firms[i % 8], i,
		    3 + (int)below(19), i);
	done(fp, "suppliers.csv");
}

static void
barcode(long i, char *buf)
{
	int sum = 0;

	sprintf(buf, "57%010ld", i * 7919 % 10000000000L);
	for (int k = 0; k < 12; k++)
		sum += (buf[k] - '0') * (k % 2 ? 3 : 1);
	buf[12] = '0' + (10 - sum % 10) % 10;
	buf[13] = '\0';
}

static const int moqs[] = { 1, 5, 10, 12, 20, 25, 50, 100 };

static void
make_item(struct item *it)
{
	int mant = 100 + (int)below(900), e = (int)below(4);

	it->cost = mant;
	while (e--)
		it->cost *= 10;
	it->supplier = 1 + (int)below(nsuppliers());
	it->track = pct(opt.lots) ? TRACK_LOT :
	    pct(opt.serials * 100 / (100 - opt.lots > 0 ? 100 - opt.lots : 1)) ?
	    TRACK_SERIAL : TRACK_NONE;
	it->uom = it->track == TRACK_SERIAL ? UOM_EA : pct(5) ? UOM_KG :
	    pct(3) ? UOM_M : pct(5) ? UOM_BOX : UOM_EA;
	it->moq = it->track == TRACK_SERIAL ? 1 : moqs[below(8)];
	it->shelf = it->track == TRACK_LOT ? 90 + (int)below(640) : 0;
}

/* One item as CSV (csv) or NDJSON; fields in ims-item's order. */
static void
put_item(FILE *fp, int csv, long i)
{
	const struct item *it = &items[i];
	char sku[32], code[16], c[32], p[32], oc[32], shelf[16];
	long ss = it->moq * (1 + (long)below(3));
	long rop = ss + it->moq * (1 + (long)below(4));
	long max = rop + it->moq * (2 + (long)below(8));
	long om = pct(50) ? it->moq : 1;
	int hold = 15 + (int)below(16), lead = 3 + (int)below(25);
	const char *crit = pct(10) ? "V" : pct(33) ? "E" : "D";
	int64_t price = (it->cost * (120 + (int64_t)below(100)) / 100 + 50) /
	    100 * 100;
	char name[96];

	snprintf(name, sizeof name, "%s %s %dmm", materials[below(8)],
	    nouns[below(18)], 2 + (int)below(60));
	barcode(i, code);
	sku_code(i, sku);
	dec(it->cost, 4, c);
	dec(price > 0 ? price : 100, 4, p);
	dec((25 + (int64_t)below(51)) * 10000, 4, oc);
	shelf[0] = '\0';
	if (it->shelf)
		sprintf(shelf, "%d", it->shelf);
	if (csv) {
		fprintf(fp, "%s,%s,%s,%s,%s,%s,SUP-%03d,%d,%ld,%ld,%ld,%ld,"
		    "%d,%ld,%s,0.%02d,%s,%s,%s\n", sku, name, uoms[it->uom],
		    code, c, p, it->supplier, lead, rop, max, rop, ss,
		    it->moq, om, oc, hold, tracks[it->track], shelf, crit);
		return;
	}
	fprintf(fp, "{\"sku\":\"%s\",\"name\":\"%s\",\"uom\":\"%s\","
	    "\"barcode\":\"%s\",\"unit_cost\":%s,\"price\":%s,"
	    "\"supplier\":\"SUP-%03d\",\"lead_time_days\":%d,\"min\":%ld,"
	    "\"max\":%ld,\"reorder_point\":%ld,\"safety_stock\":%ld,"
	    "\"moq\":%d,\"order_multiple\":%ld,\"order_cost\":%s,"
	    "\"holding_rate\":0.%02d,\"track\":\"%s\"%s%s,"
	    "\"criticality\":\"%s\"}\n", sku, name, uoms[it->uom], code, c,
	    p, it->supplier, lead, rop, max, rop, ss, it->moq, om, oc, hold,
	    tracks[it->track], it->shelf ? ",\"shelf_life_days\":" : "",
	    shelf, crit);
}

/*
 * Items, and their popularity: rank r (a random permutation) weighs
 * 2^40 / r, a Zipf law with exponent 1 in integers.
 */
static void
write_items(void)
{
	FILE *csv = create("items.csv"), *js = create("items.ndjson");

	for (long n = opt.items - 1; n >= 1000000; n /= 10)
		skuw++;
	items = xalloc(opt.items * sizeof *items);
	for (long i = 0; i < opt.items; i++)
		make_item(&items[i]);
	fprintf(csv, "sku,name,uom,barcode,unit_cost,price,supplier,"
	    "lead_time_days,min,max,reorder_point,safety_stock,moq,"
	    "order_multiple,order_cost,holding_rate,track,shelf_life_days,"
	    "criticality\n");
	/* both files get the same values: replay the generator */
	for (long i = 0; i < opt.items; i++) {
		uint64_t save[4];

		memcpy(save, rs, sizeof save);
		put_item(csv, 1, i);
		memcpy(rs, save, sizeof save);
		put_item(js, 0, i);
	}
	done(csv, "items.csv");
	done(js, "items.ndjson");
	byrank = xalloc(opt.items * sizeof *byrank);
	cdf = xalloc(opt.items * sizeof *cdf);
	for (long i = 0; i < opt.items; i++)
		byrank[i] = (int)i;
	for (long i = opt.items - 1; i > 0; i--) {
		long j = (long)below(i + 1);
		int t = byrank[i];
		byrank[i] = byrank[j], byrank[j] = t;
	}
	for (long r = 0; r < opt.items; r++)
		cdf[r] = (r ? cdf[r - 1] : 0) + ((uint64_t)1 << 40) / (r + 1);
}

static int
zipf_item(void)
{
	uint64_t x = below(cdf[opt.items - 1]);
	long lo = 0, hi = opt.items - 1;

	while (lo < hi) {
		long mid = (lo + hi) / 2;
		if (cdf[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return byrank[lo];
}

/*
 * Bins WHw/Z/AA/L: round robin over the warehouses, four levels to an
 * aisle, zones of aisles; then a transit location for each ordered pair
 * of warehouses.
 */
static void
write_locations(void)
{
	FILE *fp = create("locations.csv");
	long per = (opt.bins + NWH - 1) / NWH;
	long aisles = (per + 15) / 16;
	char buf[64];

	nloc = (int)opt.bins;
	ntransit = NWH * (NWH - 1);
	locs = xalloc((nloc + ntransit) * sizeof *locs);
	loc_wh = xalloc((nloc + ntransit) * sizeof *loc_wh);
	loc_from = xalloc((nloc + ntransit) * sizeof *loc_from);
	for (int w = 0; w < NWH; w++)
		wh_bins[w] = xalloc((per + 1) * sizeof(int));
	fprintf(fp, "code,name,type\n");
	for (int j = 0; j < nloc; j++) {
		int w = j % NWH;
		long k = j / NWH;
		int zone = (int)(k / (aisles * 4));
		int aisle = (int)(k / 4 % aisles);
		int level = (int)(k % 4) + 1;

		snprintf(buf, sizeof buf, "WH%d/%c/%02d/%d", w + 1, 'A' + zone,
		    aisle + 1, level);
		locs[j] = strdup(buf);
		loc_wh[j] = w;
		loc_from[j] = -1;
		wh_bins[w][wh_n[w]++] = j;
		fprintf(fp, "%s,Warehouse %d zone %c aisle %02d level %d,"
		    "internal\n", buf, w + 1, 'A' + zone, aisle + 1, level);
	}
	for (int a = 0, j = nloc; a < NWH; a++)
		for (int b = 0; b < NWH; b++) {
			if (a == b)
				continue;
			snprintf(buf, sizeof buf, "TRANSIT/WH%d-WH%d", a + 1,
			    b + 1);
			locs[j] = strdup(buf);
			loc_from[j] = a;
			loc_wh[j++] = b;
			fprintf(fp, "%s,In transit from WH%d to WH%d,transit\n",
			    buf, a + 1, b + 1);
		}
	done(fp, "locations.csv");
	for (long i = 0; i < opt.items; i++) {
		struct item *it = &items[i];
		int w = (int)below(NWH);
		it->home[0] = wh_bins[w][below(wh_n[w])];
		it->nhome = 1;
		if (pct(50) && nloc > NWH) {
			w = (w + 1 + (int)below(NWH - 1)) % NWH;
			it->home[it->nhome++] = wh_bins[w][below(wh_n[w])];
		}
	}
}

/* --- balances --------------------------------------------------------- */

static size_t
bal_hash(int sku, int loc, int trk)
{
	uint64_t h = ((uint64_t)(uint32_t)sku << 32 | (uint32_t)loc) *
	    0x9e3779b97f4a7c15ULL ^ (uint64_t)(uint32_t)trk *
	    0xc2b2ae3d27d4eb4fULL;

	h ^= h >> 29;
	return (size_t)(h * 0xbf58476d1ce4e5b9ULL >> 17);
}

static void
rehash(void)
{
	size_t n = nslots ? nslots * 2 : 1 << 16;

	free(slots);
	slots = xalloc(n * sizeof *slots);
	memset(slots, 0xff, n * sizeof *slots);
	nslots = n;
	for (long i = 0; i < nbal; i++) {
		size_t s = bal_hash(bals[i].sku, bals[i].loc, bals[i].trk) &
		    (n - 1);
		while (slots[s] >= 0)
			s = (s + 1) & (n - 1);
		slots[s] = (int)i;
	}
}

/* The balance of (sku, loc, trk), made when new. */
static struct bal *
balance(int sku, int loc, int trk, int tag)
{
	size_t s;

	if ((size_t)nbal * 2 >= nslots)
		rehash();
	s = bal_hash(sku, loc, trk) & (nslots - 1);
	for (; slots[s] >= 0; s = (s + 1) & (nslots - 1)) {
		struct bal *b = &bals[slots[s]];
		if (b->sku == sku && b->loc == loc && b->trk == trk)
			return b;
	}
	if (nbal == balcap) {
		balcap = balcap ? balcap * 2 : 1 << 16;
		bals = xgrow(bals, balcap * sizeof *bals);
	}
	slots[s] = (int)nbal;
	bals[nbal] = (struct bal){ sku, loc, trk, tag, 0, -1, 0 };
	return &bals[nbal++];
}

static void
add_stock(struct bal *b, int64_t q)
{
	struct item *it = &items[b->sku];
	struct ivec *v = &it->live;

	b->qty += q;
	it->onhand += q;
	if (b->qty > 0 && b->pos < 0) {
		if (v->n == v->cap) {
			v->cap = v->cap ? v->cap * 2 : 4;
			v->v = xgrow(v->v, v->cap * sizeof *v->v);
		}
		b->pos = v->n;
		v->v[v->n++] = (int)(b - bals);
	} else if (b->qty == 0 && b->pos >= 0) {
		int last = v->v[--v->n];
		v->v[b->pos] = last;
		bals[last].pos = b->pos;
		b->pos = -1;
	}
}

/* --- postings --------------------------------------------------------- */

struct post {
	const char *sku, *from, *to, *lot, *serial, *ref, *po;
	int64_t qty, cost, ts, expiry;	/* cost < 0, expiry 0: none */
};

struct outs {
	FILE *js, *csv, *plan, *sql;
	long seq;
};

static void
plan_str(FILE *fp, const char *s)
{
	fwrite(s ? s : "", 1, s ? strlen(s) : 0, fp);
}

/*
 * The plan for bench/floor.c: a 32-byte header (ts, qty, expiry, the
 * length of the NDJSON line, of sku, from, to, lot-or-serial, ref, and
 * flags: 1 lot, 2 serial), then those strings, unterminated.
 */
static void
put_plan(FILE *fp, const struct post *p, const char *line, size_t n)
{
	const char *trk = p->lot ? p->lot : p->serial ? p->serial : "";
	unsigned char h[32];
	uint16_t ln = (uint16_t)n;

	memcpy(h, &p->ts, 8);
	memcpy(h + 8, &p->qty, 8);
	memcpy(h + 16, &p->expiry, 8);
	memcpy(h + 24, &ln, 2);
	h[26] = (unsigned char)strlen(p->sku);
	h[27] = (unsigned char)strlen(p->from);
	h[28] = (unsigned char)strlen(p->to);
	h[29] = (unsigned char)strlen(trk);
	h[30] = (unsigned char)strlen(p->ref);
	h[31] = (p->lot ? 1 : 0) | (p->serial ? 2 : 0);
	fwrite(h, 1, sizeof h, fp);
	plan_str(fp, p->sku);
	plan_str(fp, p->from);
	plan_str(fp, p->to);
	plan_str(fp, trk);
	plan_str(fp, p->ref);
	fwrite(line, 1, n, fp);
}

static void
sql_str(FILE *fp, const char *s)
{
	if (s)
		fprintf(fp, "'%s',", s);
	else
		fputs("NULL,", fp);
}

/* What a user's script would feed sqlite3 for one receipt. */
static void
put_sql(FILE *fp, const struct post *p, long seq)
{
	char tb[32], eb[IMS_TIME_BUF];

	fprintf(fp, "INSERT INTO refs VALUES('%s',%ld);\n", p->ref, seq);
	fprintf(fp, "INSERT INTO journal VALUES(%ld,'%s','receive','%s',"
	    "%lld,'%s','%s',", seq, isots(p->ts, tb), p->sku,
	    (long long)p->qty, p->from, p->to);
	sql_str(fp, p->lot);
	sql_str(fp, p->serial);
	sql_str(fp, p->expiry ? isodate(p->expiry, eb) : NULL);
	if (p->cost >= 0)
		fprintf(fp, "%lld,", (long long)p->cost);
	else
		fputs("NULL,", fp);
	sql_str(fp, p->ref);
	sql_str(fp, p->po);
	fputs("'bench');\n", fp);
	fprintf(fp, "INSERT INTO balances(sku,location,lot,on_hand) "
	    "VALUES('%s','%s','%s',%lld) ON CONFLICT DO UPDATE SET "
	    "on_hand=on_hand+excluded.on_hand;\n", p->sku, p->to,
	    p->lot ? p->lot : p->serial ? p->serial : "", (long long)p->qty);
}

static const char sql_head[] =
    "PRAGMA journal_mode=WAL;\n"
    "CREATE TABLE journal(seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, "
    "type TEXT NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL, "
    "from_loc TEXT NOT NULL, to_loc TEXT NOT NULL, lot TEXT, serial TEXT, "
    "expiry TEXT, unit_cost INTEGER, ref TEXT, po TEXT, actor TEXT);\n"
    "CREATE TABLE balances(sku TEXT NOT NULL, location TEXT NOT NULL, "
    "lot TEXT NOT NULL, on_hand INTEGER NOT NULL, "
    "allocated INTEGER NOT NULL DEFAULT 0, "
    "PRIMARY KEY (sku, location, lot)) WITHOUT ROWID;\n"
    "CREATE TABLE refs(ref TEXT PRIMARY KEY, seq INTEGER NOT NULL) "
    "WITHOUT ROWID;\n"
    "BEGIN;\n";

/* A JSON member "name":"value" (str) or "name":value, when value is set. */
static size_t
member(char *b, const char *name, const char *v, int str)
{
	if (!v)
		return 0;
	return sprintf(b, ",\"%s\":%s%s%s", name, str ? "\"" : "", v,
	    str ? "\"" : "");
}

static void
put_post(struct outs *o, const struct post *p, int receipt)
{
	char line[1024], q[32], c[32], tb[32], eb[IMS_TIME_BUF];
	const char *exp = p->expiry ? isodate(p->expiry, eb) : NULL;
	size_t n;

	dec(p->qty, 3, q);
	if (p->cost >= 0)
		dec(p->cost, 4, c);
	isots(p->ts, tb);
	n = sprintf(line, "{\"sku\":\"%s\",\"qty\":%s", p->sku, q);
	if (receipt)
		n += member(line + n, "location", p->to, 1);
	else {
		n += member(line + n, "from", p->from, 1);
		n += member(line + n, "to", p->to, 1);
	}
	n += member(line + n, "lot", p->lot, 1);
	n += member(line + n, "serial", p->serial, 1);
	n += member(line + n, "expiry", exp, 1);
	n += member(line + n, "unit_cost", p->cost >= 0 ? c : NULL, 0);
	n += member(line + n, "supplier_po", p->po, 1);
	n += member(line + n, "ref", p->ref, 1);
	n += member(line + n, "ts", tb, 1);
	line[n++] = '}';
	line[n] = '\0';
	fprintf(o->js, "%s\n", line);
	if (receipt)
		fprintf(o->csv, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", p->sku, q,
		    p->to, p->lot ? p->lot : "", p->serial ? p->serial : "",
		    exp ? exp : "", p->cost >= 0 ? c : "", p->po ? p->po : "",
		    p->ref, tb);
	else
		fprintf(o->csv, "%s,%s,%s,%s,%s,%s,%s,%s\n", p->sku, q,
		    p->from, p->to, p->lot ? p->lot : "",
		    p->serial ? p->serial : "", p->ref, tb);
	o->seq++;
	if (o->plan)
		put_plan(o->plan, p, line, n);
	if (o->sql)
		put_sql(o->sql, p, o->seq);
}

/* --- the simulation --------------------------------------------------- */

static struct {
	long asn, line, lines, po;
	long cover;			/* receipts that cover the grid */
} rx;

static int64_t
receipt_qty(const struct item *it)
{
	int64_t q;

	if (it->track == TRACK_SERIAL)
		return 1000;
	q = (int64_t)it->moq * (1 + (int64_t)below(10)) * 1000;
	if (it->uom == UOM_KG && pct(50))
		q += 500;
	return q;
}

/* Where a receipt goes: the grid in order, else a home bin or any bin. */
static void
receipt_target(long i, int *sku, int *loc)
{
	if (i < rx.cover) {
		*sku = (int)(i / nloc);
		*loc = (int)(i % nloc);
		return;
	}
	*sku = zipf_item();
	if (opt.cover || pct(10))
		*loc = (int)below(nloc);
	else
		*loc = items[*sku].home[below(items[*sku].nhome)];
}

static void
receipt(struct outs *o, long i, int64_t ts)
{
	struct item *it;
	struct post p = { .from = "@supplier", .cost = -1 };
	char sku[32], ref[48], po[32], trk[48];
	int s, loc, trkno = 0, tag = 0;
	struct bal *b;

	if (rx.line == rx.lines) {
		rx.asn++;
		rx.line = 0;
		rx.lines = 1 + (long)below(12);
		if (rx.po == 0 || pct(60))
			rx.po++;
	}
	rx.line++;
	receipt_target(i, &s, &loc);
	it = &items[s];
	if (it->track == TRACK_LOT) {
		if (!it->nlot || ts - it->lot_ts > 30 * DAY || pct(75)) {
			it->nlot++;
			it->lot_ts = ts;
			it->lot_tag = yymm(ts);
			it->lot_exp = ts / DAY * DAY + it->shelf * DAY;
		}
		trkno = it->nlot;
		tag = it->lot_tag;
		p.expiry = it->lot_exp;
	} else if (it->track == TRACK_SERIAL)
		trkno = ++it->nserial;
	b = balance(s, loc, trkno, tag);
	b->exp = p.expiry;
	p.sku = sku_code(s, sku);
	p.to = locs[loc];
	p.qty = receipt_qty(it);
	p.cost = it->cost * (95 + (int64_t)below(11)) / 100;
	snprintf(po, sizeof po, "PO-%06ld", rx.po);
	p.po = po;
	snprintf(ref, sizeof ref, "asn-%07ld/%ld", rx.asn, rx.line);
	p.ref = ref;
	p.ts = ts;
	trk_code(b, trk);
	if (it->track == TRACK_LOT)
		p.lot = trk;
	else if (it->track == TRACK_SERIAL)
		p.serial = trk;
	add_stock(b, p.qty);
	put_post(o, &p, 1);
}

/* A sku with stock, popular ones first; -1 when none has any. */
static int
stocked_item(void)
{
	long start;

	for (int tries = 0; tries < 16; tries++) {
		int s = zipf_item();
		if (items[s].live.n)
			return s;
	}
	start = (long)below(opt.items);
	for (long k = 0; k < opt.items; k++) {
		long s = (start + k) % opt.items;
		if (items[s].live.n)
			return (int)s;
	}
	return -1;
}

static int
other_bin(int w, int not, const struct item *it)
{
	int b;

	for (int h = 0; h < it->nhome; h++)
		if (loc_wh[it->home[h]] == w && it->home[h] != not && pct(70))
			return it->home[h];
	if (wh_n[w] == 0 || (wh_n[w] == 1 && wh_bins[w][0] == not))
		return -1;
	if (wh_n[w] == 1)
		return wh_bins[w][0];
	do
		b = wh_bins[w][below(wh_n[w])];
	while (b == not);
	return b;
}

/* Where stock at from goes: on from transit, into the far warehouse;
 * else out to a customer, into transit, or to another bin. */
static int
move_target(int from, const struct item *it)
{
	int w = loc_wh[from], r = (int)below(100), to;

	if (loc_from[from] >= 0)
		return other_bin(w, -1, it);
	if (r < 25)
		return -1;
	if (r < 35) {
		int dest = (w + 1 + (int)below(NWH - 1)) % NWH;
		return nloc + w * (NWH - 1) + (dest > w ? dest - 1 : dest);
	}
	to = other_bin(w, from, it);
	return to;
}

static int64_t
move_qty(const struct bal *b, const struct item *it, int ship)
{
	int64_t units = b->qty / 1000;

	if (it->track == TRACK_SERIAL || b->qty < 1000)
		return b->qty;
	if (!ship && pct(25))
		return b->qty;
	return (1 + (int64_t)below(units / 2 > 1 ? units / 2 : 1)) * 1000;
}

static long nmoved;

static int
move(struct outs *o, int64_t ts)
{
	struct post p = { .cost = -1 };
	char sku[32], ref[32], trk[48];
	int s = stocked_item(), to;
	struct bal *b, *d;
	struct item *it;

	if (s < 0)
		return -1;
	it = &items[s];
	b = &bals[it->live.v[below(it->live.n)]];
	to = move_target(b->loc, it);
	p.qty = move_qty(b, it, to < 0);
	p.sku = sku_code(s, sku);
	p.from = locs[b->loc];
	p.to = to < 0 ? "@customer" : locs[to];
	trk_code(b, trk);
	if (it->track == TRACK_LOT)
		p.lot = trk;
	else if (it->track == TRACK_SERIAL)
		p.serial = trk;
	snprintf(ref, sizeof ref, "%s-%07ld", to < 0 ? "so" : "mv", ++nmoved);
	p.ref = ref;
	p.ts = ts;
	put_post(o, &p, 0);
	if (to >= 0) {
		/* b may move when the table grows: find d first */
		int bi = (int)(b - bals);
		d = balance(s, to, b->trk, b->tag);
		b = &bals[bi];
		add_stock(d, p.qty);
	}
	add_stock(b, -p.qty);
	return 0;
}

static void
simulate(void)
{
	struct outs r = { create("receipts.ndjson"), create("receipts.csv"),
		opt.plan ? create("receipts.plan") : NULL,
		opt.sql ? create("receipts.sql") : NULL, 0 };
	struct outs m = { create("moves.ndjson"), create("moves.csv"),
		opt.plan ? create("moves.plan") : NULL, NULL, 0 };
	int64_t span = opt.days * DAY;
	int64_t r0 = END_TS - (opt.interleave ? 1 : 2) * span;
	int64_t m0 = END_TS - span;
	long i = 0, j = 0;

	rx.cover = opt.cover ? opt.items * opt.bins : 0;
	fprintf(r.csv, "sku,qty,location,lot,serial,expiry,unit_cost,supplier_po,ref,"
	    "ts\n");
	fprintf(m.csv, "sku,qty,from,to,lot,serial,ref,ts\n");
	if (r.sql)
		fputs(sql_head, r.sql);
	while (i < opt.receipts || j < opt.moves) {
		int64_t rt = r0 + (int64_t)i * span / opt.receipts;
		int64_t mt = m0 + (int64_t)j * span /
		    (opt.moves ? opt.moves : 1);

		if (j >= opt.moves || (i < opt.receipts && rt <= mt)) {
			receipt(&r, i++, rt);
		} else if (move(&m, mt) == 0) {
			j++;
		} else {
			fprintf(stderr, "gen: no stock left after %ld moves\n",
			    j);
			break;
		}
	}
	if (r.sql)
		fputs("COMMIT;\n", r.sql);
	done(r.js, "receipts.ndjson");
	done(r.csv, "receipts.csv");
	done(r.plan, "receipts.plan");
	done(r.sql, "receipts.sql");
	done(m.js, "moves.ndjson");
	done(m.csv, "moves.csv");
	done(m.plan, "moves.plan");
}

/* --- orders and counts ------------------------------------------------ */

/* A sku with stock that the order does not have yet, if one is found. */
static int
order_item(const int *have, int nhave)
{
	int s = -1;

	for (int tries = 0; tries < 8; tries++) {
		int dup = 0;

		if ((s = stocked_item()) < 0)
			s = zipf_item();
		for (int k = 0; k < nhave; k++)
			dup |= have[k] == s;
		if (!dup)
			break;
	}
	return s;
}

/* Order lines over what is in stock, now and then more than there is. */
static void
write_orders(void)
{
	FILE *fp = create("orders.ndjson");
	char sku[32], q[32];
	long order = 0;
	int have[5], nhave = 0, lines = 0;

	for (long i = 0; i < opt.orders; i++) {
		int64_t stock, units;
		int s;

		if (nhave == lines) {
			order++;
			nhave = 0;
			lines = 1 + (int)below(5);
		}
		s = order_item(have, nhave);
		have[nhave++] = s;
		stock = items[s].onhand / 1000;
		units = 1 + (int64_t)below(stock > 10 ? 10 :
		    stock > 1 ? stock : 1);
		if (pct(5))
			units += stock;		/* a shortage */
		fprintf(fp, "{\"order\":\"SO-%07ld\",\"sku\":\"%s\",\"qty\":%s}"
		    "\n", order, sku_code(s, sku), dec(units * 1000, 3, q));
	}
	done(fp, "orders.ndjson");
}

static int
count_cmp(const void *a, const void *b)
{
	const struct bal *x = &bals[*(const int *)a];
	const struct bal *y = &bals[*(const int *)b];
	int c = strcmp(locs[x->loc], locs[y->loc]);

	if (c)
		return c;
	if (x->sku != y->sku)
		return x->sku < y->sku ? -1 : 1;
	return x->trk < y->trk ? -1 : x->trk > y->trk;
}

/* Counts of stocked bins (not serials, not transit), some off. */
static void
write_counts(void)
{
	FILE *fp = create("counts.ndjson");
	int *pick = xalloc((nbal + 1) * sizeof *pick);
	long n = 0, want;
	char sku[32], trk[48], q[32];

	for (long i = 0; i < nbal; i++)
		if (bals[i].qty > 0 && bals[i].loc < nloc &&
		    items[bals[i].sku].track != TRACK_SERIAL)
			pick[n++] = (int)i;
	want = opt.counts < n ? opt.counts : n;
	for (long i = 0; i < want; i++) {
		long k = i + (long)below(n - i);
		int t = pick[i];
		pick[i] = pick[k], pick[k] = t;
	}
	qsort(pick, want, sizeof *pick, count_cmp);
	for (long i = 0; i < want; i++) {
		const struct bal *b = &bals[pick[i]];
		int64_t c = b->qty;

		if (pct(10)) {
			c += (pct(50) ? -1 : 1) *
			    (1 + (int64_t)below(3)) * 1000;
			if (c < 0)
				c = 0;
		}
		fprintf(fp, "{\"location\":\"%s\",\"sku\":\"%s\"", locs[b->loc],
		    sku_code(b->sku, sku));
		if (items[b->sku].track == TRACK_LOT)
			fprintf(fp, ",\"lot\":\"%s\"", trk_code(b, trk));
		fprintf(fp, ",\"counted\":%s}\n", dec(c, 3, q));
	}
	free(pick);
	done(fp, "counts.ndjson");
}

/* --- the pick benchmark's orders -------------------------------------- */

/* Stock of each item that ims-pick may allocate on END_TS: in a bin
 * (not in transit), of no lot or of a lot that has not expired. */
static int64_t *
pickable(void)
{
	int64_t *v = xalloc(opt.items * sizeof *v);

	for (long i = 0; i < nbal; i++)
		if (bals[i].qty > 0 && bals[i].loc < nloc &&
		    (bals[i].exp == 0 || bals[i].exp > END_TS))
			v[bals[i].sku] += bals[i].qty;
	return v;
}

/* An item with a whole unit left to order and not on the order yet,
 * popular ones first; -1 when none is left. */
static int
pick_item(const int64_t *left, const int *have, int nhave)
{
	long start = (long)below(opt.items);

	for (long k = 0; k < 16 + opt.items; k++) {
		int s = k < 16 ? zipf_item() : (int)((start + k) % opt.items);
		int dup = 0;

		for (int h = 0; h < nhave; h++)
			dup |= have[h] == s;
		if (!dup && left[s] >= 1000)
			return s;
	}
	return -1;
}

/*
 * The plan for bench/pickfloor.c, one order line each: an 8-byte header
 * (the lengths of order, line and sku, then nothing), qty, then those
 * strings, unterminated.
 */
static void
put_pick_plan(FILE *fp, const char *order, const char *line,
    const char *sku, int64_t qty)
{
	unsigned char h[8] = { 0 };

	h[0] = (unsigned char)strlen(order);
	h[1] = (unsigned char)strlen(line);
	h[2] = (unsigned char)strlen(sku);
	fwrite(h, 1, sizeof h, fp);
	fwrite(&qty, 1, sizeof qty, fp);
	plan_str(fp, order);
	plan_str(fp, line);
	plan_str(fp, sku);
}

/* Orders of 1 to 5 lines of distinct skus, 1 to 10 units a line, never
 * more than is left to allocate, so that every line is served whole. */
static void
write_picks(void)
{
	FILE *csv = create("picks.csv"), *plan = create("picks.plan");
	FILE *ids = create("picks-orders.csv");
	int64_t *left = pickable();
	char sku[32], q[32], order[32], line[16];
	int have[5], nhave = 0, lines = 0;
	long n = 0, no = 0;

	fprintf(csv, "order,sku,qty\n");
	fprintf(ids, "order\n");
	while (n < opt.picks) {
		int64_t units;
		int s;

		if (nhave == lines) {
			snprintf(order, sizeof order, "SO-%07ld", ++no);
			fprintf(ids, "%s\n", order);
			nhave = 0;
			lines = 1 + (int)below(5);
		}
		if ((s = pick_item(left, have, nhave)) < 0) {
			if (nhave == 0)
				die("no stock left for order lines after %ld",
				    n);
			lines = nhave;
			continue;
		}
		have[nhave++] = s;
		units = left[s] / 1000;
		units = 1 + (int64_t)below(units > 10 ? 10 : units);
		left[s] -= units * 1000;
		snprintf(line, sizeof line, "%d", nhave);
		fprintf(csv, "%s,%s,%s\n", order, sku_code(s, sku),
		    dec(units * 1000, 3, q));
		put_pick_plan(plan, order, line, sku, units * 1000);
		n++;
	}
	free(left);
	done(csv, "picks.csv");
	done(plan, "picks.plan");
	done(ids, "picks-orders.csv");
}

/* --- open purchase orders ------------------------------------------- */

/* Each supplier's items, in sku order: start[s] .. start[s + 1] of by. */
static int *
items_by_supplier(long **start)
{
	long ns = nsuppliers(), *at = xalloc((ns + 2) * sizeof *at);
	int *by = xalloc(opt.items * sizeof *by);

	for (long i = 0; i < opt.items; i++)
		at[items[i].supplier + 1]++;
	for (long s = 1; s <= ns + 1; s++)
		at[s] += at[s - 1];
	for (long i = 0; i < opt.items; i++)
		by[at[items[i].supplier]++] = (int)i;
	for (long s = ns + 1; s > 0; s--)
		at[s] = at[s - 1];
	at[0] = 0;
	*start = at;
	return by;
}

/* L lines of open POs: one supplier each, 1 to 8 distinct skus of its
 * own, a few moq's worth each at the item's cost, approved when drafted
 * in the last 30 days of the data. */
static void
write_pos(void)
{
	FILE *fp = create("pos.ndjson");
	long *at, n = 0, no = 0;
	int *by = items_by_supplier(&at);
	char sku[32], q[32], c[32], ts[32];

	while (n < opt.pos) {
		long s = 1 + (long)below(nsuppliers());
		long have = at[s + 1] - at[s], lines = 1 + (long)below(8);
		long first = have ? (long)below(have) : 0;
		int64_t t = END_TS - DAY * (1 + (int64_t)below(30));

		if (have == 0)
			continue;
		if (lines > have)
			lines = have;
		isots(t, ts);
		no++;
		for (long l = 0; l < lines && n < opt.pos; l++, n++) {
			const struct item *it;
			int i = by[at[s] + (first + l * 7) % have];

			it = &items[i];
			fprintf(fp, "{\"po\":\"PO-B%07ld\",\"supplier\":"
			    "\"SUP-%03ld\",\"line\":\"%ld\",\"sku\":\"%s\","
			    "\"qty\":%s,\"unit_cost\":%s,\"ts\":\"%s\","
			    "\"approved\":\"%s\",\"ref\":\"bench/PO-B%07ld\"}"
			    "\n", no, s, l + 1, sku_code(i, sku),
			    dec((int64_t)it->moq * (1 + (int64_t)below(4)) *
			    1000, 3, q), dec(it->cost, 4, c), ts, ts, no);
		}
	}
	free(by);
	free(at);
	done(fp, "pos.ndjson");
}

/* --- main ------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr, "usage: gen --seed S --items N --out DIR "
	    "[--receipts R] [--moves M] [--days D]\n"
	    "           [--bins B] [--lots PCT] [--serials PCT] [--orders O] "
	    "[--counts C]\n"
	    "           [--picks P] [--pos L] [--cover] [--interleave] "
	    "[--plan] [--sql]\n");
	exit(2);
}

static long
num(const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min)
		usage();
	return v;
}

static void
options(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seed", 1, NULL, 's' }, { "items", 1, NULL, 'i' },
		{ "out", 1, NULL, 'o' }, { "receipts", 1, NULL, 'r' },
		{ "moves", 1, NULL, 'm' }, { "days", 1, NULL, 'd' },
		{ "bins", 1, NULL, 'b' }, { "lots", 1, NULL, 'L' },
		{ "serials", 1, NULL, 'S' }, { "orders", 1, NULL, 'O' },
		{ "counts", 1, NULL, 'C' }, { "cover", 0, NULL, 'c' },
		{ "interleave", 0, NULL, 'I' }, { "plan", 0, NULL, 'p' },
		{ "sql", 0, NULL, 'q' }, { "picks", 1, NULL, 'P' },
		{ "pos", 1, NULL, 'B' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': opt.seed = (uint64_t)num(optarg, 0); break;
		case 'i': opt.items = num(optarg, 1); break;
		case 'o': opt.out = optarg; break;
		case 'r': opt.receipts = num(optarg, 0); break;
		case 'm': opt.moves = num(optarg, 0); break;
		case 'd': opt.days = num(optarg, 1); break;
		case 'b': opt.bins = num(optarg, NWH); break;
		case 'L': opt.lots = (int)num(optarg, 0); break;
		case 'S': opt.serials = (int)num(optarg, 0); break;
		case 'O': opt.orders = num(optarg, 0); break;
		case 'C': opt.counts = num(optarg, 0); break;
		case 'c': opt.cover = 1; break;
		case 'I': opt.interleave = 1; break;
		case 'p': opt.plan = 1; break;
		case 'q': opt.sql = 1; break;
		case 'P': opt.picks = num(optarg, 0); break;
		case 'B': opt.pos = num(optarg, 0); break;
		default: usage();
		}
	}
	if (!opt.out || optind != argc || opt.lots + opt.serials > 100 ||
	    opt.items > 99999999 || opt.bins > 100000 ||
	    opt.days > 3650)
		usage();
	if (opt.moves < 0)
		opt.moves = opt.receipts;
	if (opt.moves > 0 && opt.receipts == 0)
		die("moves need receipts");
}

int
main(int argc, char **argv)
{
	uint64_t x;

	options(argc, argv);
	x = opt.seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	if (mkdir(opt.out, 0777) != 0 && errno != EEXIST)
		die("%s: %s", opt.out, strerror(errno));
	write_suppliers();
	write_items();
	write_locations();
	simulate();
	write_orders();
	write_counts();
	if (opt.picks)
		write_picks();
	if (opt.pos)
		write_pos();
	fprintf(stderr, "gen: %ld items, %d locations, %ld receipts, %ld moves,"
	    " %ld balances\n", opt.items, nloc + ntransit, opt.receipts,
	    nmoved, nbal);
	return 0;
}
