/*
 * costck.c: cost checkpoints, the cost state of every sku at a moment,
 * stored so that a cost report replays only the movements after it.
 *
 * They are a cache, not a projection the journal keeps in step: written
 * by ims-checkpoint (one replay of the journal for each method), read by
 * every cost report that starts at or after one, and checked by
 * ims-check against a replay.  A movement posted after a checkpoint was
 * written, at a moment before it, makes that checkpoint stale for its
 * sku alone: a report then replays that sku from its history (and every
 * other sku from the checkpoint), so that a backdated receipt costs the
 * replay of one sku, never of the ledger, until the next ims-checkpoint.
 *
 * The table's keys:
 *	"h", method, at		-> the journal's last seq when written or
 *				   found good (8), and the movements it
 *				   holds past the last moment counted for
 *				   --every (8: 0 when it is such a moment)
 *	"c", method, at, sku	-> the sku's state at at (valuation.c)
 * at is a moment: the state holds every movement before it.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static void
key_at(struct ims_key *k, const char *what, int method, ims_time at)
{
	ims_key_init(k);
	ims_key_str(k, what);
	ims_key_u64(k, (uint64_t)method);
	if (at != IMS_TIME_NONE)
		ims_key_i64(k, at);
}

/* The moment of a key made by key_at (with at). */
static ims_time
at_of(const struct ims_val *k)
{
	return ims_get_i64((const unsigned char *)k->p + 10);
}

struct find {
	ims_time until, since, at;
	uint64_t made;
};

static int
find_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct find *f = arg;
	ims_time at;

	if (k->n != 18 || v->n != 16)
		return ims_damaged("a cost checkpoint header of %zu bytes",
		    k->n);
	at = at_of(k);
	/* every movement before at is at or before until, and before
	 * the window opens */
	if ((f->until == IMS_TIME_NONE || at - 1 <= f->until) &&
	    (f->since == IMS_TIME_NONE || at <= f->since) && at > f->at) {
		f->at = at;
		memcpy(&f->made, v->p, 8);
	}
	return IMS_OK;
}

/* The latest checkpoint of method a report from since to until can
 * start from: its moment and the last seq it holds; IMS_ENOTFOUND. */
int
ims_costck_find(struct ims_txn *t, int method, ims_time until,
    ims_time since, ims_time *at, uint64_t *made)
{
	struct find f = { until, since, IMS_TIME_NONE, 0 };
	struct ims_key k;
	int rc;

	key_at(&k, "h", method, IMS_TIME_NONE);
	if ((rc = ims_each_row(t, IMS_DB_COSTS, &k, find_row, &f)))
		return rc;
	if (f.at == IMS_TIME_NONE)
		return IMS_ENOTFOUND;
	*at = f.at;
	*made = f.made;
	return IMS_OK;
}

/*
 * The skus (only sku, when not NULL) with a movement posted after seq
 * made at a moment before at: the checkpoint at at is stale for them.
 * Only what was posted since the checkpoint is read.
 */
int
ims_costck_stale(struct ims_txn *t, ims_time at, uint64_t made,
    const char *sku, struct ims_map **stale)
{
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key, val;
	struct ims_entry e;
	int rc, isnew;

	*stale = ims_must(ims_map_new());
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &c)))
		return rc;
	ims_key_init(&k);
	ims_key_u64(&k, made + 1);
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val)) {
		if ((rc = ims_entry_decode(&key, &val, &e)))
			break;
		if (e.kind == IMS_KIND_MOVE && e.ts < at &&
		    (!sku || strcmp(sku, e.sku) == 0))
			*ims_map_slot(*stale, e.sku, &isnew) = *stale;
	}
	ims_cursor_close(c);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

struct each {
	ims_costck_fn *fn;
	void *arg;
};

static int
each_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct each *x = arg;
	const char *sku = (const char *)k->p + 18;

	if (k->n < 20 || sku[k->n - 19] != '\0')
		return ims_damaged("a cost checkpoint key of %zu bytes", k->n);
	return x->fn(x->arg, sku, v->p, v->n);
}

/* Every sku's state in the checkpoint of method at at, in sku order. */
int
ims_costck_each(struct ims_txn *t, int method, ims_time at,
    ims_costck_fn *fn, void *arg)
{
	struct each x = { fn, arg };
	struct ims_key k;

	key_at(&k, "c", method, at);
	return ims_each_row(t, IMS_DB_COSTS, &k, each_row, &x);
}

/* One sku's state in it; IMS_ENOTFOUND when it had none then. */
int
ims_costck_get(struct ims_txn *t, int method, ims_time at, const char *sku,
    struct ims_val *v)
{
	struct ims_key k;

	key_at(&k, "c", method, at);
	ims_key_str(&k, sku);
	return ims_get(t, IMS_DB_COSTS, &k, v);
}

/* ---- writing them ---- */

static int
key_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct ims_buf *b = arg;
	uint32_t n = (uint32_t)k->n;

	(void)v;
	ims_buf_add(b, &n, 4);
	ims_buf_add(b, k->p, k->n);
	return IMS_OK;
}

/* Remove the rows under prefix (NULL: every row); *n of them. */
static int
del_rows(struct ims_txn *t, const struct ims_key *prefix, long *n)
{
	struct ims_buf keys = { 0 };
	struct ims_key k;
	uint32_t len;
	int rc;

	rc = ims_each_row(t, IMS_DB_COSTS, prefix, key_row, &keys);
	for (size_t off = 0; rc == IMS_OK && off < keys.n; off += 4 + len) {
		memcpy(&len, keys.p + off, 4);
		k.n = len;
		memcpy(k.b, keys.p + off + 4, len);
		rc = ims_del(t, IMS_DB_COSTS, &k);
		++*n;
	}
	ims_buf_free(&keys);
	return rc;
}

/* Remove every checkpoint; the number of rows removed. */
int
ims_costck_drop(struct ims_txn *t, long *n)
{
	*n = 0;
	return del_rows(t, NULL, n);
}

struct make {
	struct ims_txn *t;
	long skus;
};

static int
put_state(void *arg, int method, ims_time at, const char *sku, const void *p,
    size_t n)
{
	struct make *m = arg;
	struct ims_key k;

	key_at(&k, "c", method, at);
	ims_key_str(&k, sku);
	m->skus++;
	return ims_put(m->t, IMS_DB_COSTS, &k, p, n, 0);
}

static uint64_t
last_seq(struct ims_txn *t)
{
	struct ims_cursor *c;
	struct ims_val k, v;
	uint64_t seq = 0;

	if (ims_cursor_open(t, IMS_DB_JOURNAL, &c) == IMS_OK &&
	    ims_cursor_last(c, &k, &v) == IMS_OK)
		seq = ims_get_u64((const unsigned char *)k.p);
	ims_cursor_close(c);
	return seq;
}

/* The checkpoints there are (FIFO's: the average's are at the same
 * moments), oldest first. */
struct heads {
	ims_time *at;
	uint64_t *made;
	long *left;
	size_t n;
};

static int
head_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct heads *h = arg;

	if (k->n != 18 || v->n != 16)
		return ims_damaged("a cost checkpoint header of %zu bytes",
		    k->n);
	h->at = ims_must(realloc(h->at, (h->n + 1) * sizeof *h->at));
	h->made = ims_must(realloc(h->made, (h->n + 1) * sizeof *h->made));
	h->left = ims_must(realloc(h->left, (h->n + 1) * sizeof *h->left));
	h->at[h->n] = at_of(k);
	memcpy(&h->made[h->n], v->p, 8);
	memcpy(&h->left[h->n], (const char *)v->p + 8, 8);
	h->n++;
	return IMS_OK;
}

static void
heads_free(struct heads *h)
{
	free(h->at);
	free(h->made);
	free(h->left);
}

static int
put_head(struct ims_txn *t, int method, ims_time at, uint64_t made,
    long left)
{
	struct ims_key k;
	unsigned char v[16];

	key_at(&k, "h", method, at);
	memcpy(v, &made, 8);
	memcpy(v + 8, &left, 8);
	return ims_put(t, IMS_DB_COSTS, &k, v, 16, 0);
}

/* Remove the checkpoint of method at at: its header and states. */
static int
drop_one(struct ims_txn *t, int method, ims_time at)
{
	struct ims_key k;
	long n = 0;
	int rc;

	key_at(&k, "c", method, at);
	if ((rc = del_rows(t, &k, &n)))
		return rc;
	key_at(&k, "h", method, at);
	return ims_del(t, IMS_DB_COSTS, &k);
}

/* The skus a movement posted since made[i] made checkpoint i stale
 * for, of every checkpoint: one pass over what was posted since the
 * oldest of them was last found good. */
static int
stale_skus(struct ims_txn *t, const struct heads *h, struct ims_map **m)
{
	ims_time last = h->at[h->n - 1];
	uint64_t from = h->made[0];
	int rc, isnew;
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key, val;
	struct ims_entry e;

	for (size_t i = 1; i < h->n; i++)
		if (h->made[i] < from)
			from = h->made[i];
	*m = ims_must(ims_map_new());
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &c)))
		return rc;
	ims_key_init(&k);
	ims_key_u64(&k, from + 1);
	for (rc = ims_cursor_seek(c, &k, &key, &val); rc == IMS_OK;
	    rc = ims_cursor_next(c, &key, &val)) {
		if ((rc = ims_entry_decode(&key, &val, &e)))
			break;
		if (e.kind == IMS_KIND_MOVE && e.ts < last)
			*ims_map_slot(*m, e.sku, &isnew) = *m;
	}
	ims_cursor_close(c);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

/* From the start: every checkpoint afresh. */
static int
make_all(struct ims_txn *t, long every, uint64_t made,
    ims_costck_made_fn *fn, void *arg)
{
	static const int methods[] = { IMS_COST_FIFO, IMS_COST_AVG };
	struct ims_snap sn = { .every = every, .from = IMS_TIME_NONE };
	long dropped, left = 0;
	int rc = ims_costck_drop(t, &dropped);

	for (size_t i = 0; rc == IMS_OK && i < 2; i++) {
		struct make m = { t, 0 };
		sn.method = methods[i];
		sn.left = 0;
		rc = ims_costs_snap(t, &sn, put_state, &m);
		if (i == 0)
			left = sn.left;
		for (size_t j = 0; rc == IMS_OK && j < sn.nb; j++)
			rc = put_head(t, methods[i], sn.bounds[j], made,
			    j + 1 == sn.nb ? left : 0);
		if (rc == IMS_OK && fn)
			rc = fn(arg, methods[i], sn.bounds, sn.nb, m.skus);
	}
	free(sn.bounds);
	return rc;
}

/*
 * From the checkpoints there are: the skus a backdated movement made
 * them stale for replayed from their own history into every one of
 * them, then the movements after the latest one replayed from it into
 * the new moments after it.  The latest, when it was only the day of
 * the last movement then, not a moment counted for --every, gives way
 * to the new ones.
 */
static int
make_more(struct ims_txn *t, struct heads *h, long every, uint64_t made,
    ims_costck_made_fn *fn, void *arg)
{
	static const int methods[] = { IMS_COST_FIFO, IMS_COST_AVG };
	struct ims_map *stale;
	const char **skus = NULL;
	const char *sku;
	void *val;
	size_t it = 0, ns = 0, last = h->n - 1;
	ims_time *more = NULL;
	size_t nmore = 0;
	long left = h->left[last];
	int rc = stale_skus(t, h, &stale);

	skus = ims_must(calloc(ims_map_count(stale) + 1, sizeof *skus));
	while (ims_map_each(stale, &it, &sku, &val))
		skus[ns++] = sku;
	for (size_t i = 0; rc == IMS_OK && i < 2; i++) {
		struct make m = { t, 0 };
		struct ims_snap fix = { .method = methods[i],
			.bounds = h->at, .nb = h->n, .skus = skus,
			.nskus = ns, .from = IMS_TIME_NONE };
		struct ims_snap sn = { .method = methods[i], .every = every,
			.left = h->left[last], .from = h->at[last],
			.bounds = i ? more : NULL, .nb = i ? nmore : 0 };
		if (ns)
			rc = ims_costs_snap(t, &fix, put_state, &m);
		if (rc == IMS_OK && (i == 0 || nmore))
			rc = ims_costs_snap(t, &sn, put_state, &m);
		if (i == 0) {
			more = sn.bounds, nmore = sn.nb;
			left = sn.left;
		}
		for (size_t j = 0; rc == IMS_OK && j < nmore; j++)
			rc = put_head(t, methods[i], more[j], made,
			    j + 1 == nmore ? left : 0);
		for (size_t j = 0; rc == IMS_OK && j < h->n; j++)
			if (j != last || !nmore || !h->left[last])
				rc = put_head(t, methods[i], h->at[j], made,
				    h->left[j]);
		if (rc == IMS_OK && nmore && h->left[last])
			rc = drop_one(t, methods[i], h->at[last]);
		if (rc == IMS_OK && fn)
			rc = fn(arg, methods[i], more, nmore, m.skus);
	}
	free(more);
	free(skus);
	ims_map_free(stale, NULL);
	return rc;
}

/* The moments of method's checkpoints, oldest first (the caller frees
 * *at). */
int
ims_costck_list(struct ims_txn *t, int method, ims_time **at, size_t *n)
{
	struct heads h = { 0 };
	struct ims_key k;
	int rc;

	key_at(&k, "h", method, IMS_TIME_NONE);
	rc = ims_each_row(t, IMS_DB_COSTS, &k, head_row, &h);
	*at = h.at;
	*n = h.n;
	h.at = NULL;
	heads_free(&h);
	return rc;
}

/*
 * Bring the checkpoints up to the journal: from the start when there
 * are none (the start of the day after every `every` movements, and of
 * the day of the latest one), else from those there are.  fn hears of
 * each method's new moments and the sku states written.
 */
int
ims_costck_make(struct ims_txn *t, long every, ims_costck_made_fn *fn,
    void *arg)
{
	struct heads h = { 0 }, avg = { 0 };
	struct ims_key k;
	uint64_t made = last_seq(t);
	int rc;

	key_at(&k, "h", IMS_COST_FIFO, IMS_TIME_NONE);
	rc = ims_each_row(t, IMS_DB_COSTS, &k, head_row, &h);
	key_at(&k, "h", IMS_COST_AVG, IMS_TIME_NONE);
	if (rc == IMS_OK)
		rc = ims_each_row(t, IMS_DB_COSTS, &k, head_row, &avg);
	/* the two methods' moments must be the same to go on from them */
	if (rc == IMS_OK && (avg.n != h.n || (h.n && memcmp(avg.at, h.at,
	    h.n * sizeof *h.at))))
		h.n = 0;
	if (rc == IMS_OK)
		rc = h.n ? make_more(t, &h, every, made, fn, arg) :
		    make_all(t, every, made, fn, arg);
	heads_free(&h);
	heads_free(&avg);
	return rc;
}

/* ---- checking them ---- */

struct check {
	struct ims_txn *t;
	ims_costck_diff_fn *diff;
	void *arg;
	struct ims_map *seen;	/* "method at sku" replayed */
	struct ims_map **stale;	/* by the moment's index */
	ims_time *at;
	size_t nat;
};

static const char *
method_name(int method)
{
	return method == IMS_COST_AVG ? "avg" : "fifo";
}

static void
state_key(char *buf, size_t n, int method, ims_time at, const char *sku)
{
	char ts[32];

	ims_time_fmt(at, ts);
	snprintf(buf, n, "%s %s %s", method_name(method), ts, sku);
}

static size_t
at_index(const struct check *c, ims_time at)
{
	size_t i = 0;

	while (i < c->nat && c->at[i] != at)
		i++;
	return i;
}

static int
check_state(void *arg, int method, ims_time at, const char *sku,
    const void *p, size_t n)
{
	struct check *c = arg;
	struct ims_val v;
	char key[IMS_KEY_MAX + 64];
	int rc, isnew;

	if (ims_map_get(c->stale[at_index(c, at)], sku))
		return IMS_OK;	/* read from its history instead */
	state_key(key, sizeof key, method, at, sku);
	*ims_map_slot(c->seen, key, &isnew) = c;
	rc = ims_costck_get(c->t, method, at, sku, &v);
	if (rc == IMS_ENOTFOUND)
		c->diff(c->arg, key, "missing", "the replay's state");
	else if (rc)
		return rc;
	else if (v.n != n || memcmp(v.p, p, n))
		c->diff(c->arg, key, "differs", "the replay's state");
	return IMS_OK;
}

struct extra {
	struct check *c;
	int method;
	ims_time at;
};

static int
extra_state(void *arg, const char *sku, const void *p, size_t n)
{
	struct extra *x = arg;
	char key[IMS_KEY_MAX + 64];

	(void)p, (void)n;
	state_key(key, sizeof key, x->method, x->at, sku);
	if (!ims_map_get(x->c->seen, key) &&
	    !ims_map_get(x->c->stale[at_index(x->c, x->at)], sku))
		x->c->diff(x->c->arg, key, "present", "no such sku then");
	return IMS_OK;
}

static int
check_method(struct check *c, int method)
{
	struct heads h = { 0 };
	struct ims_key k;
	int rc;

	key_at(&k, "h", method, IMS_TIME_NONE);
	if ((rc = ims_each_row(c->t, IMS_DB_COSTS, &k, head_row, &h)) ||
	    !h.n) {
		heads_free(&h);
		return rc;
	}
	c->at = h.at;
	c->nat = h.n;
	c->stale = ims_must(calloc(c->nat, sizeof *c->stale));
	for (size_t i = 0; rc == IMS_OK && i < c->nat; i++)
		rc = ims_costck_stale(c->t, h.at[i], h.made[i], NULL,
		    &c->stale[i]);
	if (rc == IMS_OK) {
		struct ims_snap sn = { .method = method, .bounds = c->at,
			.nb = c->nat, .from = IMS_TIME_NONE };
		rc = ims_costs_snap(c->t, &sn, check_state, c);
	}
	for (size_t i = 0; rc == IMS_OK && i < c->nat; i++) {
		struct extra x = { c, method, c->at[i] };
		rc = ims_costck_each(c->t, method, c->at[i], extra_state, &x);
	}
	for (size_t i = 0; i < c->nat; i++)
		ims_map_free(c->stale[i], NULL);
	free(c->stale);
	c->stale = NULL;
	heads_free(&h);
	c->at = NULL;
	return rc;
}

/* Compare every checkpoint with a replay of the journal to its moment
 * (the skus it is stale for aside): each difference to diff. */
int
ims_costck_check(struct ims_txn *t, ims_costck_diff_fn *diff, void *arg)
{
	struct check c = { .t = t, .diff = diff, .arg = arg };
	int rc;

	c.seen = ims_must(ims_map_new());
	rc = check_method(&c, IMS_COST_FIFO);
	if (rc == IMS_OK)
		rc = check_method(&c, IMS_COST_AVG);
	ims_map_free(c.seen, NULL);
	return rc;
}
