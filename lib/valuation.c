/*
 * valuation.c: the cost of stock, computed from the journal when a
 * report asks, never stored.  The movements are replayed in (ts, seq)
 * order up to the moment asked: exact at any moment, and nothing to keep
 * in step, so that a backdated receipt changes the answer of the next
 * report and no stored layer has to be rebuilt (ims(7) says what this
 * costs against a stored projection).
 *
 * FIFO: each internal balance (sku, location, lot or serial) holds cost
 * layers, oldest first.  A receipt (or stock found by an adjustment, or a
 * customer's return) adds a layer; any withdrawal takes from the oldest
 * layers; a transfer carries the pieces it took, oldest first, to the
 * end of the queue of the balance it fills, each keeping its receipt's
 * moment (for aging) and cost: a balance's stock leaves in the order it
 * came in, and movements at the same ts are taken in seq order.  Part
 * of a layer takes its share of the layer's value, rounded half to even
 * to 4 decimals; the last piece takes what is left, so a layer's pieces
 * always sum to its value.
 *
 * Average: each sku has one perpetual moving average over all its
 * internal balances: a receipt adds its value, a withdrawal takes
 * value x qty / on hand (all of it with the last unit); transfers
 * change nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pthread.h>

#include "ims.h"

#define SLAB (2u << 20)	/* a huge page */

struct slab {
	struct slab *next;
	size_t used, size;
	_Alignas(16) unsigned char b[];	/* for the 128-bit sums */
};

/* A slot of the balances' or skus' table: open addressing, the hash
 * beside the pointer, so that probing and growing never touch what it
 * points to. */
struct slot {
	uint64_t hash;
	void *b;
};

/* The balances' table of one partition. */
struct table {
	struct slot *s;
	size_t cap, count;
};

/*
 * A movement as the replay applies it: its strings, its figures, the
 * hashes of its two balances and, in a batch, the balances a look-ahead
 * found (hints: checked before use).
 */
struct mv {
	struct ims_csku *s;
	const char *from, *to, *trk;	/* from and to: interned */
	ims_dec qty, cost;
	ims_time ts;
	uint64_t seq, hf, ht;
	struct ims_cbal *bf, *bt;
	int has_cost, part;
	struct ims_entry e;	/* for the callback (in order only) */
};

/* A movement dealt to its partition: the figures, its sku and interned
 * locations (by number), then its lot or serial, then its cost when it
 * has one (at the next multiple of 8): as small as it can be, as five
 * million of them wait in memory for their partitions' turn. */
struct rec {
	ims_dec qty;
	ims_time ts;
	uint64_t seq;
	struct ims_csku *s;
	uint32_t from, to;
	uint16_t ntrk;		/* with its NUL */
	uint8_t has_cost;
	char trk[];
};
struct chunk {
	struct chunk *next;
	size_t used;
	_Alignas(16) char b[];
};

/*
 * The balances fall in NPART partitions by their sku.  Without a
 * callback, that wants every movement in order, the replay deals the
 * movements to their partitions first, then replays one partition after
 * the other: each one's balances fit in the caches, where a million of
 * them at once would wait for memory at every movement.  Two threads
 * share the work: one reads the journal while the other deals, then
 * each plays every other partition (a partition's skus, balances and
 * layers are its own, and its movements keep their order, so the answer
 * is the same, byte for byte, as with one).
 */
#define NPART 256
#define CHUNK (256u << 10)
#define BATCH 64
#define PIPE 2048	/* entries handed from the reader to the dealer */
#define NPIPE 8		/* buffers of them: neither waits on a stall */

/*
 * What one thread of the replay allocates and carries: the memory that
 * lives as long as the replay, a transfer's pieces, its error.  The
 * dealer has lane 0; the partitions are played by two threads, one lane
 * each, as each partition's balances and skus are its own.
 */
struct lane {
	struct slab *slabs;
	struct ims_layer *tmp;	/* a transfer's pieces */
	size_t ntmp, captmp;
	int rc;
};

/* Entries handed over in a ring of buffers, in turn: the reader fills
 * one while the dealer deals those before it. */
struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ims_entry e[NPIPE][PIPE];
	int n[NPIPE], full[NPIPE], done, w;
	int alone;		/* no second thread: the reader deals */
};

struct ims_costs {
	struct ims_cost_opts o;
	struct table tab[NPART];
	struct chunk *head[NPART], *tail[NPART];
	struct mv q[BATCH];
	int nq;
	uint64_t dh[BATCH];	/* the hashes of the skus being dealt */
	struct table locs;	/* locations, each its one copy */
	const char **locv;	/* the same by number */
	const char *lastf, *lastt;	/* the last movement's, interned */
	size_t nlocv;
	struct slot *st;	/* skus by hash */
	size_t scap, scount;
	struct ims_csku **sorted;
	struct lane lane[2];
	struct pipe *pipe;
	/* checkpoints (costck.c): written at bounds, or read from one */
	const ims_time *bounds;	/* snap the state at each, ascending */
	size_t nbounds;
	struct ims_buf *snaps;	/* [bound][partition]: skus' states */
	long every, dealt;	/* choosing bounds: a mark every so many */
	ims_time *marks, last_ts;
	size_t nmarks;
	struct ims_map *stale;	/* skus not taken from the checkpoint */
};

static void
oom(void)
{
	ims_warn("out of memory");
	exit(IMS_EXIT_STORE);
}

static void *
xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n)))
		oom();
	return p;
}

/* Zeroed memory in huge pages where the system has them: a replay
 * touches its balances at random, and with small pages nearly every
 * touch would miss the TLB as well as the cache. */
static void *
big(size_t n)
{
	size_t size = (n + SLAB - 1) / SLAB * SLAB;
	void *p = aligned_alloc(SLAB, size);

	if (p) {
		madvise(p, size, MADV_HUGEPAGE);
		memset(p, 0, size);
	}
	return p;
}

/* Zeroed memory that lives as long as the replay. */
static void *
alloc(struct lane *w, size_t n)
{
	struct slab *s = w->slabs;

	n = (n + 15) & ~(size_t)15;
	if (!s || s->used + n > s->size) {
		size_t size = n + sizeof *s > SLAB ? n : SLAB - sizeof *s;
		if (!(s = big(sizeof *s + size)))
			oom();
		s->size = size;
		s->next = w->slabs;
		w->slabs = s;
	}
	s->used += n;
	return s->b + s->used - n;
}

/* strlen and strcmp's equality by hand: the strings are short, and the
 * library's set-up for each costs more than their bytes. */
static size_t
slen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

static int
eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A hash's low bits, which the tables index by, mixed with its high
 * ones. */
static uint64_t
mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0x9e3779b97f4a7c15u;
	return h ^ (h >> 29);
}

/* A string's hash: a rotation and an add a byte, no multiply in the
 * chain (the strings are short, and FNV's multiply a byte was most of
 * a look-up), mixed at the end for the tables' low bits. */
static uint64_t
hash_str(uint64_t h, const char *s)
{
	while (*s)
		h = ((h << 5) | (h >> 59)) + (unsigned char)*s++;
	return mix(h ^ 0xff);
}

/* A copy of s that lives as long as the replay. */
static const char *
keep(struct lane *w, const char *s)
{
	size_t n = slen(s) + 1;

	return memcpy(alloc(w, n), s, n);
}

static void
grow_table(struct table *tb)
{
	size_t cap = tb->cap ? tb->cap * 2 : 1 << 10, j;
	struct slot *t = calloc(cap, sizeof *t);

	if (!t)
		oom();
	for (size_t i = 0; i < tb->cap; i++) {
		if (!tb->s[i].b)
			continue;
		for (j = tb->s[i].hash & (cap - 1); t[j].b; j = (j + 1) &
		    (cap - 1))
			;
		t[j] = tb->s[i];
	}
	free(tb->s);
	tb->s = t;
	tb->cap = cap;
}

/* Every balance: *part and *i start at 0; NULL at the end. */
static struct ims_cbal *
each_bal(const struct ims_costs *c, size_t *part, size_t *i)
{
	for (; *part < NPART; (*part)++, *i = 0)
		for (; *i < c->tab[*part].cap; (*i)++)
			if (c->tab[*part].s[*i].b)
				return c->tab[*part].s[(*i)++].b;
	return NULL;
}

static void
grow_skus(struct ims_costs *c)
{
	size_t cap = c->scap ? c->scap * 2 : 1 << 10, j;
	struct slot *t = calloc(cap, sizeof *t);

	if (!t)
		oom();
	for (size_t i = 0; i < c->scap; i++) {
		if (!c->st[i].b)
			continue;
		for (j = c->st[i].hash & (cap - 1); t[j].b; j = (j + 1) &
		    (cap - 1))
			;
		t[j] = c->st[i];
	}
	free(c->st);
	c->st = t;
	c->scap = cap;
}

/* The sku's one state, made empty when new.  Its slot keeps the hash,
 * so that a probe reads the state only when the hash matches. */
static uint64_t
sku_hash(const char *sku)
{
	return mix(hash_str(1469598103934665603u, sku));
}

static struct ims_csku *
sku_get_h(struct ims_costs *c, const char *sku, uint64_t h)
{
	struct ims_csku *s;
	size_t i;

	if (2 * (c->scount + 1) > c->scap)
		grow_skus(c);
	for (i = h & (c->scap - 1); c->st[i].b; i = (i + 1) & (c->scap - 1))
		if (c->st[i].hash == h &&
		    eq((s = c->st[i].b)->sku, sku))
			return s;
	s = alloc(&c->lane[0], sizeof *s);
	s->sku = keep(&c->lane[0], sku);
	c->st[i] = (struct slot){ h, s };
	c->scount++;
	return s;
}

/* Skus and locations are interned: one copy each, compared by address. */
static int
bal_is(const struct ims_cbal *b, uint64_t h, const struct ims_csku *s,
    const char *loc, const char *trk)
{
	return b->hash == h && b->s == s && b->loc == loc &&
	    b->trk[0] == trk[0] && eq(b->trk, trk);
}

/* A location's copy, its number in the 4 bytes before it. */
static const char *
keep_loc(struct ims_costs *c, const char *loc)
{
	size_t n = slen(loc) + 1;
	char *p = alloc(&c->lane[0], n + 4);
	uint32_t k = (uint32_t)c->nlocv;

	if ((c->nlocv & (c->nlocv - 1)) == 0)
		c->locv = xrealloc(c->locv, (c->nlocv ? 2 * c->nlocv : 1) *
		    sizeof *c->locv);
	memcpy(p, &k, 4);
	memcpy(p + 4, loc, n);
	return c->locv[c->nlocv++] = p + 4;
}

static uint32_t
loc_number(const char *loc)
{
	uint32_t k;

	memcpy(&k, loc - 4, 4);
	return k;
}

/* The one copy of location loc: a table of its own, as small as the
 * locations are few, probed by hash. */
static const char *
intern(struct ims_costs *c, const char *loc)
{
	uint64_t h = hash_str(1469598103934665603u, loc);
	struct table *tb = &c->locs;
	size_t i;

	if (2 * (tb->count + 1) > tb->cap)
		grow_table(tb);
	for (i = h & (tb->cap - 1); tb->s[i].b; i = (i + 1) & (tb->cap - 1))
		if (tb->s[i].hash == h && eq(tb->s[i].b, loc))
			return tb->s[i].b;
	tb->s[i] = (struct slot){ h, (void *)keep_loc(c, loc) };
	tb->count++;
	return tb->s[i].b;
}

/* The same, when it is the last one's (*last): "@supplier" for every
 * receipt, with no hash to compute. */
static const char *
intern_last(struct ims_costs *c, const char **last, const char *loc)
{
	if (*last && eq(*last, loc))
		return *last;
	return *last = intern(c, loc);
}

/* The balance's cost state (h: its hash), made empty when new. */
static struct ims_cbal *
bal_get(struct lane *w, struct table *tb, uint64_t h,
    struct ims_csku *s, const char *loc, const char *trk)
{
	struct ims_cbal *b;
	size_t i;

	if (2 * (tb->count + 1) > tb->cap)
		grow_table(tb);
	for (i = h & (tb->cap - 1); (b = tb->s[i].b); i = (i + 1) &
	    (tb->cap - 1))
		if (bal_is(b, h, s, loc, trk))
			return b;
	b = alloc(w, sizeof *b);
	b->hash = h;
	b->s = s;
	b->sku = s->sku, b->loc = loc, b->trk = *trk ? keep(w, trk) : "";
	b->mark = IMS_TIME_NONE;
	b->next = b->s->bals;
	b->s->bals = b;
	b->s->nbal++;
	tb->s[i] = (struct slot){ h, b };
	tb->count++;
	return b;
}

/* value x part / whole, half to even, to 4 decimals; all of it when
 * part is the whole. */
static ims_wide
share(ims_wide value, ims_dec part, ims_dec whole)
{
	ims_dec r;

	if (part >= whole || whole <= 0)
		return value;
	if (ims_dec_div(value * part, IMS_MONEY, whole, 0, IMS_MONEY, &r))
		return 0;
	return r;
}

/* Value x seconds, from the window's start or the last change to ts. */
static void
accrue(const struct ims_costs *c, ims_wide *area, ims_time *mark,
    ims_wide value, ims_time ts)
{
	ims_time from = c->o.since;

	if (from == IMS_TIME_NONE || ts <= from) {
		*mark = from;
		return;
	}
	if (*mark == IMS_TIME_NONE || *mark < from)
		*mark = from;
	*area += value * (ts - *mark);
	*mark = ts;
}

static void
touch(struct ims_costs *c, struct ims_cbal *b, ims_time ts)
{
	if (c->o.since != IMS_TIME_NONE)
		accrue(c, &b->area, &b->mark, b->value, ts);
}

/* A balance's first FIRST layers are in the replay's memory, freed with
 * it; only a balance with more has an array of its own to free (most
 * have a few receipts, and a million frees took a tenth of a run). */
#define FIRST 4

/* Add layer l at the end of b's queue: stock leaves a balance in the
 * order it came in.  A piece of the receipt b's newest layer is from
 * joins that layer. */
static void
put_layer(struct lane *w, struct ims_cbal *b, const struct ims_layer *l)
{
	struct ims_layer *last = b->n > b->head ? &b->l[b->n - 1] : NULL;

	if (last && last->ts == l->ts && last->seq == l->seq) {
		last->qty += l->qty;
		last->value += l->value;
		return;
	}
	if (b->head > 0 && b->head == b->n)
		b->head = b->n = 0;
	if (b->n == b->cap) {
		if (b->head > b->cap / 2) {
			memmove(b->l, b->l + b->head,
			    (b->n - b->head) * sizeof *b->l);
			b->n -= b->head, b->head = 0;
		} else if (!b->cap) {
			b->cap = FIRST;
			b->l = alloc(w, FIRST * sizeof *b->l);
		} else if (b->cap == FIRST) {
			struct ims_layer *l2 = xrealloc(NULL, 2 * FIRST *
			    sizeof *b->l);
			memcpy(l2, b->l, b->n * sizeof *b->l);
			b->l = l2;
			b->cap = 2 * FIRST;
		} else {
			b->cap *= 2;
			b->l = xrealloc(b->l, b->cap * sizeof *b->l);
		}
	}
	b->l[b->n++] = *l;
}

/* Take qty from b's oldest layers (FIFO), keeping the pieces in w->tmp
 * when keep; the value taken. */
static ims_wide
take_fifo(struct lane *w, struct ims_cbal *b, ims_dec qty, int keep)
{
	ims_wide total = 0;

	w->ntmp = 0;
	while (qty > 0 && b->head < b->n) {
		struct ims_layer *l = &b->l[b->head];
		ims_dec q = qty < l->qty ? qty : l->qty;
		ims_dec v = (ims_dec)share(l->value, q, l->qty);

		if (keep) {
			if (w->ntmp == w->captmp) {
				w->captmp = w->captmp ? w->captmp * 2 : 16;
				w->tmp = xrealloc(w->tmp, w->captmp *
				    sizeof *w->tmp);
			}
			w->tmp[w->ntmp++] = (struct ims_layer){ q, v, l->ts,
				l->seq };
		}
		l->qty -= q, l->value -= v;
		qty -= q, total += v;
		if (l->qty == 0)
			b->head++;
	}
	return total;
}

/* The cost of stock coming in from outside at no cost of its own. */
static ims_wide
found_value(const struct ims_costs *c, const struct ims_csku *s,
    ims_dec qty)
{
	ims_dec v;

	if (c->o.method == IMS_COST_AVG && s->qty > 0)
		return share(s->value, qty, s->qty);
	return ims_value(qty, s->last_cost, &v) ? 0 : v;
}

static enum ims_flow
flow_of(const char *from, const char *to)
{
	int fi = !ims_is_virtual(from), ti = !ims_is_virtual(to);

	if (fi && ti)
		return IMS_FLOW_TRANSFER;
	if (!fi)
		return eq(from, "@supplier") ? IMS_FLOW_RECEIVE :
		    eq(from, "@customer") ? IMS_FLOW_RETURN :
		    IMS_FLOW_ADJUST;
	return eq(to, "@customer") ? IMS_FLOW_SHIP :
	    eq(to, "@scrap") ? IMS_FLOW_SCRAP :
	    eq(to, "@supplier") ? IMS_FLOW_VENDOR :
	    IMS_FLOW_ADJUST;
}

enum ims_flow
ims_flow_of(const struct ims_entry *e)
{
	return flow_of(e->from, e->to);
}

/* A number field of the entry's JSON, as ims wrote it ("name":12.5),
 * searched from skip on; 1 when it is there. */
static inline __attribute__((always_inline)) int
json_dec(const struct ims_entry *e, size_t skip, const char *name,
    int scale, ims_dec *v)
{
	char pat[64];
	size_t n = strlen(name), k;
	const char *p, *end = e->json + e->jsonlen;

	if (n + 3 > sizeof pat)
		return 0;
	pat[0] = '"';
	memcpy(pat + 1, name, n);
	memcpy(pat + n + 1, "\":", 2);
	/* by its first letter, by hand: memmem and memchr are slow on
	 * short texts */
	if (skip >= e->jsonlen)
		return 0;
	for (p = e->json + skip + 1; p < end; p++)
		if (*p == name[0] && p[-1] == '"' &&
		    (size_t)(end - p) >= n + 2 &&
		    memcmp(p - 1, pat, n + 3) == 0)
			break;
	if (p >= end)
		return 0;
	p += n + 2;
	for (k = 0; p + k < end && p[k] != ',' && p[k] != '}'; k++)
		;
	return ims_dec_parse(p, k, scale, v) == NULL;
}

/*
 * A number field of a movement's JSON, searched past its fixed start:
 * {"seq":N,"ts":"<20>","type":"<4 or more>","sku":"S","qty":Q,
 * "from":"F","to":"T" is 84 bytes, N's digits and the three strings at
 * least, and every other field comes after it; 80 leaves room to spare
 * (and lands past "@supplier", whose u would be a false start).
 */
static inline __attribute__((always_inline)) int
mv_dec(const struct ims_entry *e, const char *name, int scale, ims_dec *v)
{
	size_t skip = 80 + slen(e->sku) + slen(e->from) + slen(e->to);

	for (uint64_t q = e->seq; q >= 10; q /= 10)
		skip++;
	return json_dec(e, skip, name, scale, v);
}

int
ims_json_dec(const struct ims_entry *e, const char *name, int scale,
    ims_dec *v)
{
	return mv_dec(e, name, scale, v);
}

/* Stock comes into b from outside: a new layer. */
static ims_wide
come_in(struct ims_costs *c, struct lane *w, struct ims_cbal *b,
    const struct mv *e, enum ims_flow type)
{
	ims_dec cost = e->cost, v;
	ims_wide value;

	if (e->has_cost) {
		if (ims_value(e->qty, cost, &v)) {
			w->rc = ims_seterr(IMS_EREJECT, "entry %llu: its value "
			    "does not fit", (unsigned long long)e->seq);
			return 0;
		}
		value = v;
		if (type == IMS_FLOW_RECEIVE)
			b->s->last_cost = cost;
	} else
		value = found_value(c, b->s, e->qty);
	if (c->o.method == IMS_COST_FIFO)
		put_layer(w, b, &(struct ims_layer){ e->qty, (ims_dec)value,
		    e->ts, e->seq });
	return value;
}

/* Stock leaves b: the value it takes. */
static ims_wide
go_out(struct ims_costs *c, struct lane *w, struct ims_cbal *b,
    const struct mv *e, int keep)
{
	if (c->o.method == IMS_COST_AVG)
		return share(b->s->value, e->qty, b->s->qty);
	return take_fifo(w, b, e->qty, keep);
}

static int
in_window(const struct ims_costs *c, ims_time ts)
{
	return c->o.since == IMS_TIME_NONE || ts >= c->o.since;
}

/* The balance a side names: the hint when it is the one. */
static struct ims_cbal *
side(struct ims_costs *c, struct lane *w, struct ims_cbal *hint,
    uint64_t h, const struct mv *e, const char *loc)
{
	if (hint && bal_is(hint, h, e->s, loc, e->trk))
		return hint;
	return bal_get(w, &c->tab[e->part], h, e->s, loc, e->trk);
}

/* Apply one movement to the cost state. */
static int
apply(struct ims_costs *c, struct lane *w, struct mv *p)
{
	const struct mv *e = p;
	struct ims_cost_flow fl = { .e = &p->e,
		.type = flow_of(e->from, e->to) };
	struct ims_cbal *from = NULL, *to = NULL;

	if (!ims_is_virtual(e->from)) {
		from = side(c, w, p->bf, p->hf, e, e->from);
		touch(c, from, e->ts);
	}
	if (!ims_is_virtual(e->to)) {
		to = side(c, w, p->bt, p->ht, e, e->to);
		touch(c, to, e->ts);
	}
	if (from) {
		fl.value = go_out(c, w, from, e, to != NULL);
		from->qty -= e->qty;
		if (c->o.method == IMS_COST_FIFO)
			from->value -= fl.value;
		if (!to && c->o.method == IMS_COST_AVG)
			from->s->qty -= e->qty, from->s->value -= fl.value;
		if (fl.type == IMS_FLOW_SHIP && in_window(c, e->ts))
			from->shipped += e->qty, from->cogs += fl.value;
	}
	if (to) {
		if (from && c->o.method == IMS_COST_FIFO)
			for (size_t i = 0; i < w->ntmp; i++)
				put_layer(w, to, &w->tmp[i]);
		else if (!from)
			fl.value = come_in(c, w, to, e, fl.type);
		to->qty += e->qty;
		if (c->o.method == IMS_COST_FIFO)
			to->value += fl.value;
		if (!from && c->o.method == IMS_COST_AVG)
			to->s->qty += e->qty, to->s->value += fl.value;
	}
	if (w->rc)
		return w->rc;
	fl.from = from, fl.to = to;
	if (c->o.fn && in_window(c, e->ts))
		return c->o.fn(c->o.arg, &fl);
	return IMS_OK;
}

/* The balance of hash h as the table stands, or NULL. */
static struct ims_cbal *
peek(const struct table *tb, uint64_t h)
{
	size_t i;

	for (i = h & (tb->cap - 1); tb->s[i].b; i = (i + 1) & (tb->cap - 1))
		if (tb->s[i].hash == h)
			return tb->s[i].b;
	return NULL;
}

/* The hashes of m's balances (by the addresses of its interned sku and
 * locations) and its partition's number, by its sku. */
static void
hashes(struct mv *m)
{
	uint64_t h = mix((uintptr_t)m->s), t = *m->trk ?
	    hash_str(1469598103934665603u, m->trk) : 0;

	m->part = h >> 56;	/* the top bits: NPART of them */
	m->hf = ims_is_virtual(m->from) ? 0 :
	    mix(h ^ mix((uintptr_t)m->from) ^ t) | 1;
	m->ht = ims_is_virtual(m->to) ? 0 :
	    mix(h ^ mix((uintptr_t)m->to) ^ t) | 1;
}

/* The same for one internal balance of sku s: its hash, its partition. */
static uint64_t
bal_hash(const struct ims_csku *s, const char *loc, const char *trk,
    int *part)
{
	struct mv m = { .s = (struct ims_csku *)s, .from = loc,
		.to = "@", .trk = trk };

	hashes(&m);
	*part = m.part;
	return m.hf;
}

/* A movement from an entry: what the replay needs of it. */
static void
from_entry_h(struct ims_costs *c, struct mv *m, const struct ims_entry *e,
    uint64_t h)
{
	m->s = sku_get_h(c, e->sku, h);
	m->from = intern_last(c, &c->lastf, e->from);
	m->to = intern_last(c, &c->lastt, e->to);
	m->trk = e->trk;
	m->qty = e->qty, m->ts = e->ts, m->seq = e->seq;
	m->has_cost = ims_is_virtual(e->from) &&
	    mv_dec(e, "unit_cost", IMS_MONEY, &m->cost);
	m->bf = m->bt = NULL;
	hashes(m);
}

static void
from_entry(struct ims_costs *c, struct mv *m, const struct ims_entry *e)
{
	from_entry_h(c, m, e, sku_hash(e->sku));
}

static void
ahead(const void *p)
{
	if (p)
		__builtin_prefetch(p);
}

/*
 * Apply the batch.  The balances are spread over memory far larger than
 * the caches, so each look-up would wait for memory in turn: first ask
 * for every slot of the batch, then every balance, then every balance's
 * oldest layer, and only then apply the movements, in order.
 */
static int
flush(struct ims_costs *c)
{
	struct mv *p, *end = c->q + c->nq;
	int rc = IMS_OK;

	for (p = c->q; p < end; p++) {
		struct table *tb = &c->tab[p->part];
		if (!tb->cap)
			grow_table(tb);
		__builtin_prefetch(&tb->s[p->hf & (tb->cap - 1)]);
		__builtin_prefetch(&tb->s[p->ht & (tb->cap - 1)]);
	}
	for (p = c->q; p < end; p++) {
		struct table *tb = &c->tab[p->part];
		ahead(p->bf = p->hf ? peek(tb, p->hf) : NULL);
		ahead(p->bt = p->ht ? peek(tb, p->ht) : NULL);
	}
	for (p = c->q; p < end; p++) {
		if (p->bf && p->bf->l)
			__builtin_prefetch(p->bf->l + p->bf->head);
		if (p->bt && p->bt->l)
			__builtin_prefetch(p->bt->l + p->bt->n);
		if (p->bf)
			__builtin_prefetch(p->bf->s);
	}
	for (p = c->q; p < end && rc == IMS_OK; p++)
		rc = apply(c, &c->lane[0], p);
	c->nq = 0;
	return rc;
}

/* In order: a batch at a time, for the callback. */
static int
replay(void *arg, const struct ims_entry *e)
{
	struct ims_costs *c = arg;
	struct mv *m = &c->q[c->nq++];

	m->e = *e;
	from_entry(c, m, &m->e);
	return c->nq == BATCH ? flush(c) : IMS_OK;
}

/* Room for n bytes at the end of partition part's records. */
static void *
room(struct ims_costs *c, int part, size_t n)
{
	struct chunk *k = c->tail[part];

	if (!k || k->used + n > CHUNK - sizeof *k) {
		if (!(k = malloc(CHUNK)))
			oom();
		k->next = NULL;
		k->used = 0;
		if (c->tail[part])
			c->tail[part]->next = k;
		else
			c->head[part] = k;
		c->tail[part] = k;
	}
	k->used += n;
	return k->b + k->used - n;
}

/* Where a record's cost is, and its size. */
static size_t
rec_cost_at(size_t ntrk)
{
	return (sizeof(struct rec) + ntrk + 7) & ~(size_t)7;
}

static size_t
rec_size(const struct rec *r)
{
	return rec_cost_at(r->ntrk) + (r->has_cost ? sizeof(ims_dec) : 0);
}

/* Deal a movement (h: its sku's hash) to its partition. */
static void
deal_one(struct ims_costs *c, const struct ims_entry *e, uint64_t h)
{
	size_t n = slen(e->trk) + 1;
	struct mv m;
	struct rec *r;

	from_entry_h(c, &m, e, h);
	r = room(c, m.part, rec_cost_at(n) + (m.has_cost ? sizeof m.cost : 0));
	*r = (struct rec){ m.qty, m.ts, m.seq, m.s, loc_number(m.from),
		loc_number(m.to), (uint16_t)n, (uint8_t)m.has_cost };
	memcpy(r->trk, e->trk, n);
	if (m.has_cost)
		memcpy((char *)r + rec_cost_at(n), &m.cost, sizeof m.cost);
}

/* Deal the batch of n entries at dq: ask for every sku's slot, then
 * every sku, as flush does for balances, and for the JSON a receipt's
 * cost is in. */
static void
deal_batch(struct ims_costs *c, const struct ims_entry *dq, int n)
{
	int i;

	if (2 * (c->scount + BATCH) > c->scap)
		grow_skus(c);
	for (i = 0; i < n; i++)		/* read by the other thread */
		__builtin_prefetch(dq[i].sku);
	for (i = 0; i < n; i++) {
		const struct ims_entry *e = &dq[i];
		c->dh[i] = sku_hash(e->sku);
		__builtin_prefetch(&c->st[c->dh[i] & (c->scap - 1)]);
		if (e->jsonlen > 128)
			__builtin_prefetch(e->json + 128);
	}
	for (i = 0; i < n; i++) {
		const struct slot *sl = &c->st[c->dh[i] & (c->scap - 1)];
		if (sl->b)
			__builtin_prefetch(sl->b);
	}
	for (i = 0; i < n; i++)
		deal_one(c, &dq[i], c->dh[i]);
}

static void
deal_buf(struct ims_costs *c, const struct ims_entry *e, int n)
{
	for (int i = 0; i < n; i += BATCH)
		deal_batch(c, e + i, n - i < BATCH ? n - i : BATCH);
}

/* The dealer's thread: the pipe's buffers in turn, till the reader is
 * done and the last one dealt. */
static void *
dealer(void *arg)
{
	struct ims_costs *c = arg;
	struct pipe *pp = c->pipe;

	for (int r = 0;; r = (r + 1) % NPIPE) {
		pthread_mutex_lock(&pp->mu);
		while (!pp->full[r] && !pp->done)
			pthread_cond_wait(&pp->cv, &pp->mu);
		if (!pp->full[r]) {
			pthread_mutex_unlock(&pp->mu);
			return NULL;
		}
		pthread_mutex_unlock(&pp->mu);
		deal_buf(c, pp->e[r], pp->n[r]);
		pthread_mutex_lock(&pp->mu);
		pp->full[r] = 0;
		pthread_cond_broadcast(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
	}
}

/* Hand the reader's buffer to the dealer (last: the end), and wait for
 * the next one to be free. */
static void
hand_over(struct pipe *pp, int last)
{
	pthread_mutex_lock(&pp->mu);
	pp->full[pp->w] = pp->n[pp->w] > 0;
	pp->done = last;
	pthread_cond_broadcast(&pp->cv);
	if (!last) {
		pp->w = (pp->w + 1) % NPIPE;
		while (pp->full[pp->w])
			pthread_cond_wait(&pp->cv, &pp->mu);
		pp->n[pp->w] = 0;
	}
	pthread_mutex_unlock(&pp->mu);
}

/* The reader's side: the entry into the buffer it fills. */
static int
deal(void *arg, const struct ims_entry *e)
{
	struct ims_costs *c = arg;
	struct pipe *pp = c->pipe;

	if (c->stale && ims_map_get(c->stale, e->sku))
		return IMS_OK;	/* dealt from its history */
	if (c->every && ++c->dealt % c->every == 0) {
		if ((c->nmarks & (c->nmarks - 1)) == 0)
			c->marks = xrealloc(c->marks, (c->nmarks ? 2 *
			    c->nmarks : 1) * sizeof *c->marks);
		c->marks[c->nmarks++] = e->ts;
	}
	c->last_ts = e->ts;
	pp->e[pp->w][pp->n[pp->w]++] = *e;
	if (pp->n[pp->w] < PIPE)
		return IMS_OK;
	if (pp->alone) {
		deal_buf(arg, pp->e[pp->w], PIPE);
		pp->n[pp->w] = 0;
	} else
		hand_over(pp, 0);
	return IMS_OK;
}

/* Read the entries f wants while another thread deals them (or deal
 * them too, when no thread can be had). */
static int
read_and_deal(struct ims_txn *t, const struct ims_filter *f,
    struct ims_costs *c)
{
	struct pipe *pp = calloc(1, sizeof *pp);
	pthread_t th;
	int rc;

	if (!pp)
		oom();
	memset(&th, 0, sizeof th);
	pthread_mutex_init(&pp->mu, NULL);
	pthread_cond_init(&pp->cv, NULL);
	c->pipe = pp;
	pp->alone = pthread_create(&th, NULL, dealer, c) != 0;
	rc = ims_each_entry_by_time(t, f, deal, c);
	if (pp->alone)
		deal_buf(c, pp->e[pp->w], pp->n[pp->w]);
	else {
		hand_over(pp, 1);
		pthread_join(th, NULL);
	}
	pthread_mutex_destroy(&pp->mu);
	pthread_cond_destroy(&pp->cv);
	free(pp);
	c->pipe = NULL;
	return rc;
}

/* Replay one partition's movements, in the order they were dealt. */
static void snap_part(struct ims_costs *c, int part, size_t k);

static int
play(struct ims_costs *c, struct lane *w, int part)
{
	struct chunk *k, *next;
	size_t b = 0;
	int rc = IMS_OK;

	for (k = c->head[part]; k; k = next) {
		for (size_t off = 0; off < k->used && rc == IMS_OK;) {
			struct rec *r = (struct rec *)(k->b + off);
			while (b < c->nbounds && r->ts >= c->bounds[b])
				snap_part(c, part, b++);
			struct mv m = { .qty = r->qty, .ts = r->ts,
				.seq = r->seq, .s = r->s,
				.from = c->locv[r->from], .to = c->locv[r->to],
				.trk = r->trk, .has_cost = r->has_cost };
			if (r->has_cost)
				memcpy(&m.cost, (char *)r +
				    rec_cost_at(r->ntrk), sizeof m.cost);
			hashes(&m);
			m.e.seq = r->seq;
			rc = apply(c, w, &m);
			off += rec_size(r);
		}
		next = k->next;
		free(k);
	}
	while (rc == IMS_OK && b < c->nbounds)
		snap_part(c, part, b++);
	c->head[part] = c->tail[part] = NULL;
	return rc;
}

static void sum_part(struct ims_costs *c, int part);

/* A player: every other partition, from its lane's number on, each
 * added up while its balances are in the caches. */
struct player {
	struct ims_costs *c;
	int lane, rc;
};

static void *
player(void *arg)
{
	struct player *p = arg;

	for (int part = p->lane; part < NPART && p->rc == IMS_OK; part += 2)
		if ((p->rc = play(p->c, &p->c->lane[p->lane], part)) == IMS_OK)
			sum_part(p->c, part);
	return NULL;
}

/* Play the partitions in two threads: each partition's balances and
 * skus are its own, and the order inside a partition is kept. */
static int
play_all(struct ims_costs *c)
{
	struct player p[2] = { { c, 0, IMS_OK }, { c, 1, IMS_OK } };
	pthread_t th;
	int two;

	memset(&th, 0, sizeof th);
	two = pthread_create(&th, NULL, player, &p[1]) == 0;

	player(&p[0]);
	if (two)
		pthread_join(th, NULL);
	else
		player(&p[1]);
	return p[0].rc ? p[0].rc : p[1].rc;
}

/* Close every balance of partition part's area at the window's end,
 * and add the balances up into their skus' figures (FIFO: the sku's
 * value is its balances'; the average kept its own). */
static void
sum_part(struct ims_costs *c, int part)
{
	const struct table *tb = &c->tab[part];
	ims_time end = c->o.until;

	for (size_t i = 0; i < tb->cap; i++) {
		struct ims_cbal *b = tb->s[i].b;
		if (!b)
			continue;
		if (c->o.since != IMS_TIME_NONE && end != IMS_TIME_NONE)
			accrue(c, &b->area, &b->mark, b->value, end);
		b->s->area += b->area;
		b->s->shipped += b->shipped;
		b->s->cogs += b->cogs;
		if (c->o.method == IMS_COST_FIFO)
			b->s->qty += b->qty, b->s->value += b->value;
	}
}

/*
 * Checkpoints.  A sku's state at a bound is its figures and each of its
 * balances with its layers, oldest first, in the machine's byte order:
 *	sku qty (8), value (16), last_cost (8), balances (4), then each
 *	balance's location and lot (NUL-terminated), qty (8), value (16),
 *	shipped (8), cogs (16), layers (4) and its layers (32 each).
 * A partition's states at a bound are, each, its length (4) and sku
 * (NUL-terminated) before it.  FIFO's sku figures are its balances' sum,
 * made at the end (sum_part): 0 here.
 */
/* A sku's state, its balances in (location, lot) order: the same bytes
 * however its balances came to be, from the start or a checkpoint. */
static void
put_sku(struct ims_buf *o, const struct ims_csku *s)
{
	size_t at = o->n;
	uint32_t len = 0, n = (uint32_t)s->nbal;
	struct ims_cbal **v = ims_costs_bals(s);

	ims_buf_add(o, &len, 4);
	ims_buf_add(o, s->sku, slen(s->sku) + 1);
	ims_buf_add(o, &s->qty, 8);
	ims_buf_add(o, &s->value, sizeof s->value);
	ims_buf_add(o, &s->last_cost, 8);
	ims_buf_add(o, &n, 4);
	for (struct ims_cbal **bp = v; *bp; bp++) {
		const struct ims_cbal *b = *bp;
		uint32_t nl = (uint32_t)(b->n - b->head);
		ims_buf_add(o, b->loc, slen(b->loc) + 1);
		ims_buf_add(o, b->trk, slen(b->trk) + 1);
		ims_buf_add(o, &b->qty, 8);
		ims_buf_add(o, &b->value, sizeof b->value);
		ims_buf_add(o, &b->shipped, 8);
		ims_buf_add(o, &b->cogs, sizeof b->cogs);
		ims_buf_add(o, &nl, 4);
		if (nl)
			ims_buf_add(o, b->l + b->head, nl * sizeof *b->l);
	}
	free(v);
	len = (uint32_t)(o->n - at - 4);
	memcpy(o->p + at, &len, 4);
}

/* Partition part's skus as they stand, into the states at bound k. */
static void
snap_part(struct ims_costs *c, int part, size_t k)
{
	const struct table *tb = &c->tab[part];

	for (size_t i = 0; i < tb->cap; i++) {
		struct ims_cbal *b = tb->s[i].b;
		if (!b || b->s->snap == k + 1)
			continue;
		b->s->snap = k + 1;
		put_sku(&c->snaps[k * NPART + part], b->s);
	}
}

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static void
rd(struct rd *r, void *v, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p, n);
	r->p += n;
}

static const char *
rd_str(struct rd *r)
{
	const unsigned char *z = memchr(r->p, 0, r->end - r->p);
	const char *s = (const char *)r->p;

	if (!z) {
		r->bad = 1;
		return "";
	}
	r->p = z + 1;
	return s;
}

/* The one copy of loc, when there is one, with nothing written: for
 * the loaders' threads, once every location has been interned. */
static const char *
intern_find(const struct ims_costs *c, const char *loc)
{
	uint64_t h = hash_str(1469598103934665603u, loc);
	const struct table *tb = &c->locs;

	for (size_t i = h & (tb->cap - 1); tb->cap && tb->s[i].b;
	    i = (i + 1) & (tb->cap - 1))
		if (tb->s[i].hash == h && eq(tb->s[i].b, loc))
			return tb->s[i].b;
	return NULL;
}

/* Intern the locations of a sku's state (p, n), checking its shape. */
static int
intern_locs(struct ims_costs *c, const char *sku, const void *p, size_t n)
{
	struct rd r = { p, (const unsigned char *)p + n, 0 };
	unsigned char skip[48];
	uint32_t nb, nl;

	rd(&r, skip, 32);
	rd(&r, &nb, 4);
	for (uint32_t i = 0; i < nb && !r.bad; i++) {
		const char *loc = rd_str(&r);
		if (!r.bad)
			intern(c, loc);
		rd_str(&r);
		rd(&r, skip, 48);
		rd(&r, &nl, 4);
		if ((size_t)(r.end - r.p) < (size_t)nl * sizeof(struct ims_layer))
			r.bad = 1;
		else
			r.p += (size_t)nl * sizeof(struct ims_layer);
	}
	if (r.bad || r.p != r.end)
		return ims_damaged("the cost checkpoint of sku %s", sku);
	return IMS_OK;
}

/* Sku s's state from its checkpoint (p, n, its shape checked), into
 * lane w: its locations are interned already. */
static void
parse_sku(struct ims_costs *c, struct lane *w, struct ims_csku *s,
    const void *p, size_t n)
{
	struct rd r = { p, (const unsigned char *)p + n, 0 };
	uint32_t nb, nl;

	rd(&r, &s->qty, 8);
	rd(&r, &s->value, sizeof s->value);
	rd(&r, &s->last_cost, 8);
	rd(&r, &nb, 4);
	for (uint32_t i = 0; i < nb && !r.bad; i++) {
		const char *loc = intern_find(c, rd_str(&r)), *trk = rd_str(&r);
		struct ims_cbal *b;
		struct ims_layer l;
		uint64_t h;
		int part;

		h = bal_hash(s, loc, trk, &part);
		b = bal_get(w, &c->tab[part], h, s, loc, trk);
		rd(&r, &b->qty, 8);
		rd(&r, &b->value, sizeof b->value);
		rd(&r, &b->shipped, 8);
		rd(&r, &b->cogs, sizeof b->cogs);
		if (c->o.since != IMS_TIME_NONE)
			b->shipped = 0, b->cogs = 0;	/* the window opens later */
		rd(&r, &nl, 4);
		for (uint32_t j = 0; j < nl && !r.bad; j++) {
			rd(&r, &l, sizeof l);
			put_layer(w, b, &l);
		}
	}
}

static struct ims_csku *
sku_of(struct ims_costs *c, const char *sku)
{
	if (2 * (c->scount + 1) > c->scap)
		grow_skus(c);
	return sku_get_h(c, sku, sku_hash(sku));
}

/* One sku's state from its checkpoint (p, n). */
static int
load_sku(struct ims_costs *c, const char *sku, const void *p, size_t n)
{
	int rc = intern_locs(c, sku, p, n);

	if (rc == IMS_OK)
		parse_sku(c, &c->lane[0], sku_of(c, sku), p, n);
	return rc;
}

/*
 * Every sku's state from a checkpoint, in two passes: this thread makes
 * each sku and interns its locations, dealing the states to their
 * partitions; then two threads make the balances and layers, each of
 * every other partition (a partition's balances are its own), as a
 * million balances take a while to make.
 */
struct pend {
	struct ims_csku *s;
	const void *p;
	size_t n;
};
struct loader {
	struct ims_costs *c;
	struct pend *v[NPART];
	size_t nv[NPART];
	int lane;
};

static int
pend_one(void *arg, const char *sku, const void *p, size_t n)
{
	struct loader *ld = arg;
	struct ims_costs *c = ld->c;
	struct ims_csku *s;
	int part, rc;

	if (c->stale && ims_map_get(c->stale, sku))
		return IMS_OK;
	if ((rc = intern_locs(c, sku, p, n)))
		return rc;
	s = sku_of(c, sku);
	part = mix((uintptr_t)s) >> 56;		/* as hashes() has it */
	if ((ld->nv[part] & (ld->nv[part] - 1)) == 0)
		ld->v[part] = xrealloc(ld->v[part], (ld->nv[part] ? 2 *
		    ld->nv[part] : 1) * sizeof *ld->v[part]);
	ld->v[part][ld->nv[part]++] = (struct pend){ s, p, n };
	return IMS_OK;
}

static void *
load_part(void *arg)
{
	struct loader *ld = arg;
	struct ims_costs *c = ld->c;

	for (int part = ld->lane; part < NPART; part += 2)
		for (size_t i = 0; i < ld->nv[part]; i++)
			parse_sku(c, &c->lane[ld->lane], ld->v[part][i].s,
			    ld->v[part][i].p, ld->v[part][i].n);
	return NULL;
}

static int
load_all(struct ims_txn *t, struct ims_costs *c, ims_time at)
{
	struct loader ld[2] = { { .c = c, .lane = 0 } };
	pthread_t th;
	int rc, two;

	rc = ims_costck_each(t, c->o.method, at, pend_one, &ld[0]);
	if (rc == IMS_OK) {
		ld[1] = ld[0];
		ld[1].lane = 1;
		memset(&th, 0, sizeof th);
		two = pthread_create(&th, NULL, load_part, &ld[1]) == 0;
		load_part(&ld[0]);
		if (two)
			pthread_join(th, NULL);
		else
			load_part(&ld[1]);
	}
	for (int part = 0; part < NPART; part++)
		free(ld[0].v[part]);
	return rc;
}

static int
cmp_seq_ts(const void *a, const void *b)
{
	const struct ims_layer *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
history_ts(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct ims_buf *b = arg;
	struct ims_layer at = { 0 };

	(void)v;
	if (k->n < 16)
		return ims_damaged("a history key of %zu bytes", k->n);
	at.ts = ims_get_i64((const unsigned char *)k->p + k->n - 16);
	at.seq = ims_get_u64((const unsigned char *)k->p + k->n - 8);
	ims_buf_add(b, &at, sizeof at);
	return IMS_OK;
}

/*
 * Deal the movements of a sku whose checkpoint a backdated movement
 * made stale, from its first on: its history names them, so that the
 * one sku is replayed, not the ledger.
 */
static int
deal_history(struct ims_txn *t, struct ims_costs *c, const char *sku)
{
	struct ims_buf at = { 0 };
	struct ims_entry e[BATCH];
	struct ims_cursor *cur = NULL;
	struct ims_key k;
	struct ims_val key, val;
	struct ims_layer *v;
	size_t n, i, ne = 0;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, sku);
	rc = ims_each_row(t, IMS_DB_HISTORY, &k, history_ts, &at);
	if (rc == IMS_OK)
		rc = ims_cursor_open(t, IMS_DB_JOURNAL, &cur);
	v = (struct ims_layer *)at.p;
	n = at.n / sizeof *v;
	if (n)
		qsort(v, n, sizeof *v, cmp_seq_ts);
	for (i = 0; rc == IMS_OK && i < n; i++) {
		if (i && v[i].seq == v[i - 1].seq)
			continue;	/* a transfer: a row each side */
		if (c->o.until != IMS_TIME_NONE && v[i].ts > c->o.until)
			break;
		ims_key_init(&k);
		ims_key_u64(&k, v[i].seq);
		if ((rc = ims_cursor_seek(cur, &k, &key, &val)) ||
		    (rc = ims_entry_decode(&key, &val, &e[ne])))
			break;
		if (++ne == BATCH)
			deal_buf(c, e, ne), ne = 0;
	}
	if (rc == IMS_OK && ne)
		deal_buf(c, e, ne);
	if (rc == IMS_ENOTFOUND)
		rc = ims_damaged("a history row of %s without its entry", sku);
	ims_cursor_close(cur);
	ims_buf_free(&at);
	return rc;
}

/*
 * Start from the latest checkpoint that holds nothing past o->until
 * nor inside the window: its skus' states, then (*from) only the
 * movements at or after its moment.  A sku that a movement posted
 * since made stale is replayed from its history instead, in the
 * partitions' replay; in order, for a callback or one sku, the
 * checkpoint is not used then.
 */
static int
from_checkpoint(struct ims_txn *t, struct ims_costs *c, ims_time *from)
{
	struct ims_val v;
	ims_time at;
	uint64_t made;
	size_t it = 0;
	const char *sku;
	void *val;
	int rc;

	if (c->o.fn && c->o.since == IMS_TIME_NONE)
		return IMS_OK;	/* it wants every movement */
	rc = ims_costck_find(t, c->o.method, c->o.until, c->o.since, &at,
	    &made);
	if (rc)
		return rc == IMS_ENOTFOUND ? IMS_OK : rc;
	if ((rc = ims_costck_stale(t, at, made, c->o.sku, &c->stale)))
		return rc;
	if (ims_map_count(c->stale) && (c->o.fn || c->o.sku)) {
		ims_map_free(c->stale, NULL);
		c->stale = NULL;
		return IMS_OK;
	}
	if (c->o.sku) {
		rc = ims_costck_get(t, c->o.method, at, c->o.sku, &v);
		if (rc == IMS_OK)
			rc = load_sku(c, c->o.sku, v.p, v.n);
		else if (rc == IMS_ENOTFOUND)
			rc = IMS_OK;	/* not met before the moment */
	} else
		rc = load_all(t, c, at);
	while (rc == IMS_OK && ims_map_each(c->stale, &it, &sku, &val))
		rc = deal_history(t, c, sku);
	if (!ims_map_count(c->stale)) {
		ims_map_free(c->stale, NULL);
		c->stale = NULL;
	}
	*from = at;
	return rc;
}

/* Choose the bounds: the start of the day (UTC) after every mark, and
 * of the day of the latest movement. */
static void
choose_bounds(struct ims_costs *c, ims_time after, ims_time **bounds,
    size_t *nb)
{
	ims_time *b = xrealloc(NULL, (c->nmarks + 1) * sizeof *b), day;
	size_t n = 0;

	for (size_t i = 0; i < c->nmarks; i++) {
		day = (c->marks[i] / 86400 + 1) * 86400;
		if (day <= c->last_ts && day > after && (!n || day > b[n - 1]))
			b[n++] = day;
	}
	day = c->last_ts / 86400 * 86400;
	if (c->last_ts != IMS_TIME_NONE && day > after &&
	    (!n || day > b[n - 1]))
		b[n++] = day;
	free(*bounds);
	*bounds = b;
	*nb = n;
}

/* Partition part's states at every bound to fn, then freed. */
static int
hand_states(struct ims_costs *c, int part, ims_snap_fn *fn, void *arg)
{
	int rc = IMS_OK;

	for (size_t k = 0; k < c->nbounds; k++) {
		struct ims_buf *o = &c->snaps[k * NPART + part];
		for (size_t off = 0; rc == IMS_OK && off < o->n;) {
			uint32_t len;
			const char *sku = o->p + off + 4;
			size_t ns = slen(sku) + 1;
			memcpy(&len, o->p + off, 4);
			rc = fn(arg, c->o.method, c->bounds[k], sku, sku + ns,
			    len - ns);
			off += 4 + len;
		}
		ims_buf_free(o);
	}
	return rc;
}

/*
 * Playing for checkpoints: a second thread plays the odd partitions,
 * at most one ahead of the caller's thread, which plays the even ones
 * and hands every partition's states to fn in turn (fn writes to the
 * store, which only the caller's thread may), so that a few
 * partitions' states are in memory at once, not the whole store's.
 */
struct snapper {
	struct ims_costs *c;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int played[NPART];	/* 1 played, -1 failed */
	int handed;		/* partitions handed to fn */
	int stop;
};

static void *
snap_player(void *arg)
{
	struct snapper *sn = arg;

	for (int part = 1; part < NPART; part += 2) {
		int rc;
		pthread_mutex_lock(&sn->mu);
		while (part > sn->handed + 2 && !sn->stop)
			pthread_cond_wait(&sn->cv, &sn->mu);
		pthread_mutex_unlock(&sn->mu);
		if (sn->stop)
			break;
		rc = play(sn->c, &sn->c->lane[1], part);
		pthread_mutex_lock(&sn->mu);
		sn->played[part] = rc == IMS_OK ? 1 : -1;
		if (rc)
			sn->c->lane[1].rc = rc;
		pthread_cond_broadcast(&sn->cv);
		pthread_mutex_unlock(&sn->mu);
	}
	return NULL;
}

static int
play_snaps(struct ims_costs *c, ims_snap_fn *fn, void *arg)
{
	struct snapper sn = { .c = c };
	pthread_t th;
	int two, rc = IMS_OK;

	memset(&th, 0, sizeof th);
	pthread_mutex_init(&sn.mu, NULL);
	pthread_cond_init(&sn.cv, NULL);
	two = pthread_create(&th, NULL, snap_player, &sn) == 0;
	for (int part = 0; part < NPART && rc == IMS_OK; part++) {
		if (part % 2 == 0 || !two)
			rc = play(c, &c->lane[part % 2], part);
		else {
			pthread_mutex_lock(&sn.mu);
			while (!sn.played[part])
				pthread_cond_wait(&sn.cv, &sn.mu);
			if (sn.played[part] < 0)
				rc = c->lane[1].rc;
			pthread_mutex_unlock(&sn.mu);
		}
		if (rc == IMS_OK)
			rc = hand_states(c, part, fn, arg);
		pthread_mutex_lock(&sn.mu);
		sn.handed = part + 1;
		sn.stop = rc != IMS_OK;
		pthread_cond_broadcast(&sn.cv);
		pthread_mutex_unlock(&sn.mu);
	}
	if (two)
		pthread_join(th, NULL);
	pthread_mutex_destroy(&sn.mu);
	pthread_cond_destroy(&sn.cv);
	for (size_t k = 0; k < c->nbounds * NPART; k++)
		ims_buf_free(&c->snaps[k]);	/* what a failure left */
	return rc;
}

/*
 * The states of every sku at moments, by method, each to fn: for
 * checkpoints.  From the start of the journal, or (sn->from not
 * IMS_TIME_NONE) from the checkpoint at sn->from; or only sn->skus, each
 * from its history.  With sn->nb 0 the moments are chosen, and returned
 * in sn->bounds (the caller frees them): the day after every sn->every
 * movements (sn->left of them counted before), and the day of the last
 * movement, each after sn->from; sn->left is then what the last moment
 * counted past the last of those.
 */
int
ims_costs_snap(struct ims_txn *t, struct ims_snap *sn, ims_snap_fn *fn,
    void *arg)
{
	struct ims_costs *c = calloc(1, sizeof *c);
	struct ims_filter f = IMS_FILTER_ALL;
	int rc = IMS_OK, choose = !sn->nb && !sn->skus;

	if (!c)
		oom();
	c->o = (struct ims_cost_opts){ sn->method, NULL, IMS_TIME_NONE,
		IMS_TIME_NONE, NULL, NULL };
	f.kinds = 1u << IMS_KIND_MOVE;
	c->every = choose ? sn->every : 0;
	c->dealt = sn->left;
	c->last_ts = IMS_TIME_NONE;
	for (size_t i = 0; sn->skus && rc == IMS_OK && i < sn->nskus; i++)
		rc = deal_history(t, c, sn->skus[i]);
	if (!sn->skus && sn->from != IMS_TIME_NONE) {
		f.since = sn->from;
		rc = load_all(t, c, sn->from);
	}
	if (!sn->skus && rc == IMS_OK)
		rc = read_and_deal(t, &f, c);
	if (rc == IMS_OK && choose) {
		choose_bounds(c, sn->from, &sn->bounds, &sn->nb);
		sn->left = c->every ? c->dealt % c->every : 0;
	}
	c->bounds = sn->bounds;
	c->nbounds = sn->nb;
	c->snaps = calloc(sn->nb * NPART + 1, sizeof *c->snaps);
	if (!c->snaps)
		oom();
	if (rc == IMS_OK)
		rc = play_snaps(c, fn, arg);
	free(c->snaps);
	c->snaps = NULL;
	ims_costs_free(c);
	return rc;
}

/*
 * Replay the movements (of o->sku, or all) up to o->until into a cost
 * state, calling o->fn for each one from o->since on.  The state points
 * into t's pages: free it before t ends.
 */
int
ims_costs_run(struct ims_txn *t, const struct ims_cost_opts *o,
    struct ims_costs **cp)
{
	struct ims_costs *c = calloc(1, sizeof *c);
	struct ims_filter f = IMS_FILTER_ALL;
	int rc;

	if (!(*cp = c))
		return ims_seterr(IMS_ESTORE, "out of memory");
	c->o = *o;
	f.sku = o->sku;
	f.until = o->until;
	f.kinds = 1u << IMS_KIND_MOVE;
	if ((rc = from_checkpoint(t, c, &f.since)))
		return rc;
	if (o->fn || o->sku) {
		if ((rc = ims_each_entry_by_time(t, &f, replay, c)) ||
		    (rc = flush(c)))
			return rc;
		for (int part = 0; part < NPART; part++)
			sum_part(c, part);
	} else if ((rc = read_and_deal(t, &f, c)) || (rc = play_all(c)))
		return rc;
	return IMS_OK;
}

/* Free the layers and tables of every other partition, from its lane's
 * number on. */
static void *
unplay(void *arg)
{
	struct player *p = arg;

	for (int part = p->lane; part < NPART; part += 2) {
		struct table *tb = &p->c->tab[part];
		for (size_t i = 0; i < tb->cap; i++) {
			struct ims_cbal *b = tb->s[i].b;
			if (b && b->cap > FIRST)
				free(b->l);
		}
		free(tb->s);
		tb->s = NULL;
	}
	return NULL;
}

void
ims_costs_free(struct ims_costs *c)
{
	struct player p[2];
	pthread_t th;
	int two;

	if (!c)
		return;
	memset(&th, 0, sizeof th);
	p[0] = (struct player){ c, 0, IMS_OK };
	p[1] = (struct player){ c, 1, IMS_OK };
	two = pthread_create(&th, NULL, unplay, &p[1]) == 0;
	unplay(&p[0]);
	if (two)
		pthread_join(th, NULL);
	else
		unplay(&p[1]);
	for (int k = 0; k < NPART; k++) {
		while (c->head[k]) {
			struct chunk *next = c->head[k]->next;
			free(c->head[k]);
			c->head[k] = next;
		}
	}
	for (int k = 0; k < 2; k++) {
		while (c->lane[k].slabs) {
			struct slab *s = c->lane[k].slabs;
			c->lane[k].slabs = s->next;
			free(s);
		}
		free(c->lane[k].tmp);
	}
	free(c->st);
	free(c->sorted);
	free(c->locs.s);
	free(c->locv);
	free(c->marks);
	ims_map_free(c->stale, NULL);
	free(c);
}

static int
cmp_sku(const void *a, const void *b)
{
	return strcmp((*(struct ims_csku *const *)a)->sku,
	    (*(struct ims_csku *const *)b)->sku);
}

/* The skus met, in sku order; c keeps the array. */
struct ims_csku **
ims_costs_skus(struct ims_costs *c, size_t *n)
{
	size_t k = 0;

	free(c->sorted);
	c->sorted = xrealloc(NULL, (c->scount + 1) * sizeof *c->sorted);
	for (size_t i = 0; i < c->scap; i++)
		if (c->st[i].b)
			c->sorted[k++] = c->st[i].b;
	qsort(c->sorted, k, sizeof *c->sorted, cmp_sku);
	*n = k;
	return c->sorted;
}

static int
cmp_bal(const void *a, const void *b)
{
	const struct ims_cbal *x = *(struct ims_cbal *const *)a,
	    *y = *(struct ims_cbal *const *)b;
	int d = strcmp(x->loc, y->loc);

	return d ? d : strcmp(x->trk, y->trk);
}

/* A sku's balances in (location, lot) order, NULL-terminated; the
 * caller frees the array. */
struct ims_cbal **
ims_costs_bals(const struct ims_csku *s)
{
	struct ims_cbal **v = xrealloc(NULL, (s->nbal + 1) * sizeof *v);
	size_t k = 0;

	for (struct ims_cbal *b = s->bals; b; b = b->next)
		v[k++] = b;
	qsort(v, k, sizeof *v, cmp_bal);
	v[k] = NULL;
	return v;
}

/* A balance's value: its layers (FIFO), or its share of its sku's
 * average. */
ims_wide
ims_cbal_value(const struct ims_costs *c, const struct ims_cbal *b)
{
	if (c->o.method == IMS_COST_FIFO)
		return b->value;
	return b->qty == b->s->qty ? b->s->value :
	    share(b->s->value, b->qty, b->s->qty);
}

/* value / qty to 4 decimals, half to even; 0 with nothing on hand. */
ims_dec
ims_unit_cost(ims_wide value, ims_dec qty)
{
	ims_dec r;

	if (qty <= 0 || ims_dec_div(value, IMS_MONEY, qty, IMS_QTY, IMS_MONEY,
	    &r))
		return 0;
	return r;
}

const int ims_aging_default[4] = { 30, 60, 90, 180 };

/* The bucket of stock received at received, seen at at: the first
 * whose edge its age in whole days does not pass. */
int
ims_aging_bucket(const int *edges, int nedges, ims_time at,
    ims_time received)
{
	ims_time days = at > received ? (at - received) / 86400 : 0;
	int i;

	for (i = 0; i < nedges && days > edges[i]; i++)
		;
	return i;
}

/* Bucket i's label: 0-30, 31-60, ..., over 180. */
void
ims_aging_label(const int *edges, int nedges, int i, char *buf, size_t n)
{
	if (i >= nedges)
		snprintf(buf, n, "over %d", nedges ? edges[nedges - 1] : 0);
	else
		snprintf(buf, n, "%d-%d", i ? edges[i - 1] + 1 : 0, edges[i]);
}

/*
 * The stock at at (f's sku and location, or all) by age since receipt,
 * following the FIFO layers, into sums[0..nedges]: for a chart, or any
 * caller that wants the buckets' figures.
 */
int
ims_aging(struct ims_txn *t, const struct ims_filter *f, ims_time at,
    const int *edges, int nedges, struct ims_aging_sum *sums)
{
	struct ims_cost_opts o = { IMS_COST_FIFO, f->sku, at, IMS_TIME_NONE,
		NULL, NULL };
	struct ims_costs *c;
	struct ims_cbal *b;
	size_t part = 0, i = 0;
	int rc;

	memset(sums, 0, (nedges + 1) * sizeof *sums);
	if ((rc = ims_costs_run(t, &o, &c)) == IMS_OK)
		while ((b = each_bal(c, &part, &i))) {
			if (f->location && !ims_loc_match(b->loc, f->location))
				continue;
			for (size_t j = b->head; j < b->n; j++) {
				int k = ims_aging_bucket(edges, nedges, at,
				    b->l[j].ts);
				sums[k].qty += b->l[j].qty;
				sums[k].value += b->l[j].value;
			}
		}
	ims_costs_free(c);
	return rc;
}
