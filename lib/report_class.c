/*
 * report_class.c: the classes of items.  abc by consumption value (the
 * ranking is lib/abc.c's), xyz by the coefficient of variation of period
 * demand, fsn by turnover and days since the last issue, ved by the
 * item's criticality, and the matrices counting skus by two classes at
 * once.  Also what the reports of this file and report_dash.c share: the
 * calendar periods, an item's figures, the time range asked.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims.h"

#define DAY INT64_C(86400)
#define MAX_PERIODS 100000

/* --- shared by the reports of this file and report_dash.c --- */

static ims_time
floor_div(ims_time a, ims_time b)
{
	return a / b - (a % b < 0);
}

/* The start of the period holding t: its day, its week (from Monday)
 * or its month, in UTC. */
ims_time
ims_rperiod_start(enum ims_rperiod p, ims_time t)
{
	ims_time d = floor_div(t, DAY);
	struct tm tm;
	time_t tt = t;

	if (p == IMS_P_DAY)
		return d * DAY;
	if (p == IMS_P_WEEK)	/* 1970-01-01 was a Thursday */
		return (d - ((d % 7 + 7 + 3) % 7)) * DAY;
	gmtime_r(&tt, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return timegm(&tm);
}

/* The start of the period after the one starting at start. */
ims_time
ims_rperiod_next(enum ims_rperiod p, ims_time start)
{
	struct tm tm;
	time_t tt = start;

	if (p == IMS_P_DAY)
		return start + DAY;
	if (p == IMS_P_WEEK)
		return start + 7 * DAY;
	gmtime_r(&tt, &tm);
	tm.tm_mon++;
	return timegm(&tm);
}

/* A period's name: its day (a week: its Monday), or YYYY-MM. */
void
ims_rperiod_label(enum ims_rperiod p, ims_time start, char *buf)
{
	ims_date_fmt(start, buf);
	if (p == IMS_P_MONTH)
		buf[7] = '\0';
}

/* A decimal field of a record: 1 and *v when it holds one, else 0. */
int
ims_item_dec(const struct ims_rec *r, const char *name, int scale,
    ims_dec *v)
{
	const struct ims_field *f = ims_rec_field(r, name);

	return f && f->type == IMS_F_NUM &&
	    !ims_dec_parse(f->val, f->len, scale, v);
}


/* What the classes and the day's reports refuse, as usage errors: no
 * clock when the report reads it (clock, and no --until nor --as-of
 * says when), a range that ends before it starts, and an --sku naming
 * no item (a report of nothing is a mistake to say). */
int
ims_report_check(struct ims_txn *t, const struct ims_report_args *a,
    int clock)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	if (clock && a->now == IMS_TIME_NONE && a->as_of == IMS_TIME_NONE &&
	    a->f.until == IMS_TIME_NONE) {
		ims_warn("IMS_NOW is not a timestamp: say when with --until "
		    "or --as-of");
		return IMS_EXIT_USAGE;
	}
	if (a->f.since != IMS_TIME_NONE && ims_report_until(a) < a->f.since) {
		ims_warn("--since is after --until (or --as-of)");
		return IMS_EXIT_USAGE;
	}
	if (!a->f.sku)
		return IMS_OK;
	ims_key_init(&k);
	ims_key_str(&k, a->f.sku);
	if (strlen(a->f.sku) <= IMS_ID_MAX &&
	    (rc = ims_get(t, IMS_DB_ITEMS, &k, &v)) != IMS_ENOTFOUND)
		return rc;
	ims_warn("--sku %s: no such item", ims_q(a->f.sku));
	return IMS_EXIT_USAGE;
}

/* The end of the range asked: --as-of, --until, else now. */
ims_time
ims_report_until(const struct ims_report_args *a)
{
	if (a->as_of != IMS_TIME_NONE)
		return a->as_of;
	if (a->f.until != IMS_TIME_NONE)
		return a->f.until;
	return a->now;
}

static int
first_ts(void *arg, const struct ims_entry *e)
{
	*(ims_time *)arg = e->ts;
	return IMS_STOP;
}

/* The start of the range asked: --since, else the first movement's
 * moment (IMS_TIME_NONE: no movement at all). */
int
ims_report_since(struct ims_txn *t, const struct ims_report_args *a,
    ims_time *since)
{
	struct ims_filter f = IMS_FILTER_ALL;

	*since = a->f.since;
	if (*since != IMS_TIME_NONE)
		return IMS_OK;
	f.kinds = 1u << IMS_KIND_MOVE;
	return ims_each_entry_by_time(t, &f, first_ts, since);
}

/* The periods from the one holding since to the one holding until. */
int
ims_periods(enum ims_rperiod p, ims_time since, ims_time until,
    ims_time **starts, size_t *n)
{
	size_t cap = 16;
	ims_time s;

	*n = 0;
	*starts = NULL;
	if (since == IMS_TIME_NONE || since > until)
		return IMS_OK;
	if (!(*starts = malloc(cap * sizeof **starts)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	for (s = ims_rperiod_start(p, since); s <= until;
	    s = ims_rperiod_next(p, s)) {
		if (*n == MAX_PERIODS)
			return ims_seterr(IMS_EREJECT, "more than %d periods: "
			    "ask for a longer --period", MAX_PERIODS);
		if (*n == cap && !(*starts = realloc(*starts,
		    (cap *= 2) * sizeof **starts)))
			return ims_seterr(IMS_ESTORE, "out of memory");
		(*starts)[(*n)++] = s;
	}
	return IMS_OK;
}

/* The index of the period holding ts, in sorted starts; -1 before. */
long
ims_rperiod_index(const ims_time *starts, size_t n, ims_time ts)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (starts[mid] <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* --- what the classes read: every item, and its movements --- */

struct stat {
	const char *sku;	/* the map's copy */
	ims_wide issued;	/* to @customer within the range */
	ims_wide opening;	/* internal stock before since */
	ims_wide closing;	/* and at until */
	ims_time last;		/* the last issue at or before until,
				 * before since too */
	char crit;		/* V, E or D */
	char abc;
	ims_wide *per;		/* demand per period, when asked */
};

struct scan {
	struct ims_map *m;	/* sku -> struct stat */
	ims_time since, until;	/* since: IMS_TIME_NONE for open */
	ims_time *starts;	/* periods, for xyz */
	size_t np;
	struct ims_rec rec;
	struct stat **v;	/* by sku, after sorted() */
	size_t n;
};

static struct stat *
stat_slot(struct scan *s, const char *sku)
{
	int isnew;
	void **slot = ims_map_slot(s->m, sku, &isnew);
	struct stat *st;

	if (isnew) {
		if (!(st = *slot = calloc(1, sizeof *st)) ||
		    (s->np && !(st->per = calloc(s->np, sizeof *st->per)))) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
		st->last = IMS_TIME_NONE;
		st->crit = 'D';
	}
	return *slot;
}

static int
scan_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct scan *s = arg;
	struct stat *st;
	const char *c;

	if (k->n < 2 || ((const char *)k->p)[k->n - 1] != '\0')
		return ims_damaged("an item key without its end");
	if (ims_rec_json(&s->rec, v->p, v->n) != 0)
		return ims_damaged("item %s: stored record is damaged",
		    ims_q(k->p));
	st = stat_slot(s, k->p);
	if ((c = ims_rec_str(&s->rec, "criticality")) && *c)
		st->crit = *c;
	return IMS_OK;
}

static int
scan_entry(void *arg, const struct ims_entry *e)
{
	struct scan *s = arg;
	struct stat *st;
	ims_wide d;
	long i;

	if (e->kind != IMS_KIND_MOVE || e->ts > s->until)
		return IMS_OK;
	st = stat_slot(s, e->sku);
	d = (ims_is_virtual(e->to) ? 0 : e->qty) -
	    (ims_is_virtual(e->from) ? 0 : e->qty);
	st->closing += d;
	if (strcmp(e->to, "@customer") == 0 &&
	    (st->last == IMS_TIME_NONE || e->ts > st->last))
		st->last = e->ts;
	if (s->since != IMS_TIME_NONE && e->ts < s->since) {
		st->opening += d;
		return IMS_OK;
	}
	if (strcmp(e->to, "@customer") != 0)
		return IMS_OK;
	st->issued += e->qty;
	if (s->np && (i = ims_rperiod_index(s->starts, s->np, e->ts)) >= 0)
		st->per[i] += e->qty;
	return IMS_OK;
}

static int
by_sku(const void *x, const void *y)
{
	return strcmp((*(struct stat *const *)x)->sku,
	    (*(struct stat *const *)y)->sku);
}

static int
sorted(struct scan *s)
{
	size_t it = 0;
	const char *key;
	void *val;

	s->n = 0;
	if (!(s->v = calloc(ims_map_count(s->m) + 1, sizeof *s->v)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	while (ims_map_each(s->m, &it, &key, &val)) {
		s->v[s->n] = val;
		s->v[s->n++]->sku = key;
	}
	qsort(s->v, s->n, sizeof *s->v, by_sku);
	return IMS_OK;
}

/* Every item and its figures over the range a asks; periods of demand
 * when per is set. */
static int
scan_open(struct ims_txn *t, const struct ims_report_args *a, int per,
    struct scan *s)
{
	uint64_t last;
	int rc;

	memset(s, 0, sizeof *s);
	s->until = ims_report_until(a);
	if (!(s->m = ims_map_new()))
		return ims_seterr(IMS_ESTORE, "out of memory");
	if ((rc = ims_report_since(t, a, &s->since)))
		return rc;
	if (per && (rc = ims_periods(a->period ? a->period : IMS_P_MONTH,
	    s->since, s->until, &s->starts, &s->np)))
		return rc;
	if (!per && a->f.since == IMS_TIME_NONE)
		s->since = IMS_TIME_NONE;
	if ((rc = ims_each_row(t, IMS_DB_ITEMS, NULL, scan_item, s)) ||
	    (rc = ims_journal_last(t, &last)) ||
	    (rc = ims_each_entry(t, 1, last, scan_entry, s)))
		return rc;
	return sorted(s);
}

static void
free_stat(void *p)
{
	struct stat *st = p;

	free(st->per);
	free(st);
}

static void
scan_close(struct scan *s)
{
	ims_map_free(s->m, free_stat);
	free(s->starts);
	free(s->v);
	ims_rec_free(&s->rec);
}

/* --- abc --- */

const char *const ims_abc_cols[] = { "sku", "qty", "unit_cost", "value",
	"cum_value", "cum_pct", "class", NULL };

struct abc_out {
	struct ims_txn *t;
	struct ims_out *o;
	const struct ims_report_args *a;
	struct ims_rec rec, item;
	ims_wide total;
	struct ims_chart c;	/* the Pareto curve, for --svg */
	size_t cap;
};

/* A share in percent, 2 places, rounded half to even. */
static ims_dec
pct(ims_wide part, ims_wide whole)
{
	ims_dec r = 0;

	if (whole > 0 && ims_dec_div(part * 100, IMS_MONEY, whole, IMS_MONEY,
	    2, &r))
		r = 0;
	return r;
}

static void
pareto_point(struct abc_out *x, const char *sku, ims_dec p)
{
	if (x->c.n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->c.x = realloc((void *)x->c.x, x->cap * sizeof *x->c.x);
		x->c.y = realloc((void *)x->c.y, x->cap * sizeof *x->c.y);
		if (!x->c.x || !x->c.y) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
	}
	((const char **)x->c.x)[x->c.n] = strdup(sku);
	((ims_wide *)x->c.y)[x->c.n++] = p;
}

static int
abc_row(void *arg, const struct ims_abc_row *r)
{
	struct abc_out *x = arg;
	ims_dec cost = 0;
	char cls[2] = { r->cls, '\0' };

	x->total = r->total;
	if (x->a->svg)
		pareto_point(x, r->sku, pct(r->cum, r->total));
	if (!x->o || (x->a->f.sku && strcmp(x->a->f.sku, r->sku) != 0))
		return IMS_OK;
	if (ims_master_get(x->t, &ims_item_schema, r->sku, &x->item) == 0)
		ims_item_dec(&x->item, "unit_cost", IMS_MONEY, &cost);
	ims_rec_reset(&x->rec);
	ims_rec_adds(&x->rec, "sku", r->sku);
	ims_rec_addw(&x->rec, "qty", r->qty, IMS_QTY);
	ims_rec_addn(&x->rec, "unit_cost", cost, IMS_MONEY);
	ims_rec_addw(&x->rec, "value", r->value, IMS_MONEY);
	ims_rec_addw(&x->rec, "cum_value", r->cum, IMS_MONEY);
	ims_rec_addn(&x->rec, "cum_pct", pct(r->cum, r->total), 2);
	ims_rec_adds(&x->rec, "class", cls);
	ims_out_rec(x->o, &x->rec);
	return IMS_OK;
}

static void
abc_chart(struct abc_out *x)
{
	x->c.title = "ABC: cumulative share of consumption value";
	x->c.unit = "% of value";
	x->c.scale = 2;
	x->c.mark[0] = (ims_wide)x->a->cut_a * 100;
	x->c.mark[1] = (ims_wide)x->a->cut_b * 100;
}

static void
abc_chart_free(struct abc_out *x)
{
	for (size_t i = 0; i < x->c.n; i++)
		free((void *)x->c.x[i]);
	free((void *)x->c.x);
	free((void *)x->c.y);
}

/* The ABC Pareto curve between since and until, as an <svg> element
 * appended to b: the dashboard's. */
int
ims_pareto_svg(struct ims_txn *t, const struct ims_report_args *a,
    ims_time since, ims_time until, struct ims_buf *b)
{
	struct ims_report_args pa = *a;
	struct abc_out x = { .t = t, .a = &pa };
	int rc;

	pa.svg = "";
	pa.f.sku = NULL;
	abc_chart(&x);
	if (!(rc = ims_abc(t, since, until, a->cut_a, a->cut_b, abc_row, &x)))
		ims_svg_chart(b, &x.c);
	abc_chart_free(&x);
	return rc;
}

static int run_matrix(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);

int
ims_report_abc(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct abc_out x = { .t = t, .o = o, .a = a };
	ims_time until = ims_report_until(a);
	int rc;

	if ((rc = ims_report_check(t, a, 1)))
		return rc;
	if (a->matrix)
		return run_matrix(t, o, a);
	rc = ims_abc(t, a->f.since, until, a->cut_a, a->cut_b, abc_row, &x);
	if (!rc && !a->f.sku) {
		ims_rec_reset(&x.rec);
		ims_rec_adds(&x.rec, "sku", "total");
		ims_rec_addw(&x.rec, "value", x.total, IMS_MONEY);
		ims_out_total(o, &x.rec);
	}
	if (!rc && a->svg) {
		abc_chart(&x);
		rc = ims_svg_write(a->svg, &x.c);
	}
	abc_chart_free(&x);
	ims_rec_free(&x.rec);
	ims_rec_free(&x.item);
	return rc;
}

/* --- xyz --- */

const char *const ims_xyz_cols[] = { "sku", "periods", "demand", "mean",
	"cv", "class", NULL };

/* The integer square root of v, rounded down. */
static ims_wide
isqrt(ims_wide v)
{
	unsigned __int128 x = v, r = 0, bit = (unsigned __int128)1 << 126;

	while (bit > x)
		bit >>= 2;
	for (; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return (ims_wide)r;
}

/*
 * The coefficient of variation, sqrt(var) / mean, over n periods of
 * sum s and sum of squares q: cv^2 = (nq - s^2) / s^2 = v / s^2.  In
 * thousandths, rounded half up, exactly: round(sqrt(v * 10^6) / s) is
 * floor((isqrt(4 v 10^6) + s) / 2s).  -1 when it does not fit.
 */
static ims_dec
cv_of(ims_wide v, ims_wide s)
{
	ims_wide y;

	if (__builtin_mul_overflow(v, (ims_wide)4000000, &y))
		return -1;
	return (ims_dec)((isqrt(y) + s) / (2 * s));
}

/* Whether the cv is at most c (3 places): v * 10^6 <= c^2 s^2, in
 * integers, so that a cut-off of 0.5 takes a cv of exactly 0.5; on
 * overflow, by the rounded cv. */
static int
cv_within(ims_wide v, ims_wide s, ims_dec c, ims_dec cv)
{
	ims_wide l, r, s2;

	if (!__builtin_mul_overflow(v, (ims_wide)1000000, &l) &&
	    !__builtin_mul_overflow(s, s, &s2) &&
	    !__builtin_mul_overflow((ims_wide)c * c, s2, &r))
		return l <= r;
	return cv <= c;
}

/* An sku's xyz class, its mean and cv (3 places; cv < 0: none).  No
 * demand at all is Z: nothing to forecast from. */
static char
xyz_of(const struct stat *st, size_t np, const struct ims_report_args *a,
    ims_dec *mean, ims_dec *cv)
{
	ims_wide s = 0, q = 0, v;

	for (size_t i = 0; i < np; i++)
		s += st->per[i], q += st->per[i] * st->per[i];
	*mean = 0;
	*cv = -1;
	if (np == 0 || s <= 0)
		return 'Z';
	ims_dec_div(s, IMS_QTY, (ims_wide)np, 0, IMS_QTY, mean);
	v = (ims_wide)np * q - s * s;
	*cv = cv_of(v, s);
	return cv_within(v, s, a->xyz_x, *cv) ? 'X' :
	    cv_within(v, s, a->xyz_y, *cv) ? 'Y' : 'Z';
}

static void
xyz_emit(struct ims_out *o, struct ims_rec *r, const struct stat *st,
    size_t np, const struct ims_report_args *a)
{
	ims_dec mean, cv;
	char cls[2] = { xyz_of(st, np, a, &mean, &cv), '\0' };
	ims_wide s = 0;

	for (size_t i = 0; i < np; i++)
		s += st->per[i];
	ims_rec_reset(r);
	ims_rec_adds(r, "sku", st->sku);
	ims_rec_addn(r, "periods", (ims_dec)np, 0);
	ims_rec_addw(r, "demand", s, IMS_QTY);
	ims_rec_addn(r, "mean", mean, IMS_QTY);
	if (cv >= 0)
		ims_rec_addn(r, "cv", cv, 3);
	else
		ims_rec_add(r, "cv", "null", 4, IMS_F_NULL);
	ims_rec_adds(r, "class", cls);
	ims_out_rec(o, r);
}

int
ims_report_xyz(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct scan s;
	struct ims_rec r = { 0 };
	int rc;

	if ((rc = ims_report_check(t, a, 1)))
		return rc;
	if (!(rc = scan_open(t, a, 1, &s)))
		for (size_t i = 0; i < s.n; i++)
			if (!a->f.sku || strcmp(a->f.sku, s.v[i]->sku) == 0)
				xyz_emit(o, &r, s.v[i], s.np, a);
	scan_close(&s);
	ims_rec_free(&r);
	return rc;
}

/* --- fsn --- */

const char *const ims_fsn_cols[] = { "sku", "issued", "opening",
	"closing", "turnover", "last_issue", "days_since_issue", "class",
	NULL };

/* F: turnover (issued over the average of opening and closing stock)
 * at least fsn_fast, or issues with no stock to average; N: no issue
 * within fsn_days of until; S: the rest. */
static char
fsn_of(const struct stat *st, const struct ims_report_args *a,
    ims_time until, ims_dec *turn, int *has_turn)
{
	ims_wide avg2 = st->opening + st->closing;

	*has_turn = avg2 > 0 && !ims_dec_div(2 * st->issued, IMS_QTY, avg2,
	    IMS_QTY, IMS_QTY, turn);
	if (st->last == IMS_TIME_NONE ||
	    (until - st->last) / DAY > a->fsn_days)
		return 'N';
	if (!*has_turn || *turn >= a->fsn_fast)
		return 'F';
	return 'S';
}

static void
fsn_emit(struct ims_out *o, struct ims_rec *r, const struct stat *st,
    const struct ims_report_args *a, ims_time until)
{
	ims_dec turn;
	int has;
	char cls[2] = { fsn_of(st, a, until, &turn, &has), '\0' };
	char b[IMS_TIME_BUF];

	ims_rec_reset(r);
	ims_rec_adds(r, "sku", st->sku);
	ims_rec_addw(r, "issued", st->issued, IMS_QTY);
	ims_rec_addw(r, "opening", st->opening, IMS_QTY);
	ims_rec_addw(r, "closing", st->closing, IMS_QTY);
	if (has)
		ims_rec_addn(r, "turnover", turn, IMS_QTY);
	else
		ims_rec_add(r, "turnover", "null", 4, IMS_F_NULL);
	if (st->last != IMS_TIME_NONE) {
		ims_rec_adds(r, "last_issue", ims_time_fmt(st->last, b));
		ims_rec_addn(r, "days_since_issue",
		    (until - st->last) / DAY, 0);
	} else {
		ims_rec_add(r, "last_issue", "null", 4, IMS_F_NULL);
		ims_rec_add(r, "days_since_issue", "null", 4, IMS_F_NULL);
	}
	ims_rec_adds(r, "class", cls);
	ims_out_rec(o, r);
}

int
ims_report_fsn(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct scan s;
	struct ims_rec r = { 0 };
	int rc;

	if ((rc = ims_report_check(t, a, 1)))
		return rc;
	if (!(rc = scan_open(t, a, 0, &s)))
		for (size_t i = 0; i < s.n; i++)
			if (!a->f.sku || strcmp(a->f.sku, s.v[i]->sku) == 0)
				fsn_emit(o, &r, s.v[i], a, s.until);
	scan_close(&s);
	ims_rec_free(&r);
	return rc;
}

/* --- ved --- */

const char *const ims_ved_cols[] = { "sku", "name", "criticality",
	"class", NULL };

static const char *
ved_name(char c)
{
	return c == 'V' ? "vital" : c == 'E' ? "essential" : "desirable";
}

struct ved {
	struct ims_out *o;
	const char *sku;
	struct ims_rec in, out;
};

/* An item without criticality is desirable: nothing says otherwise. */
static int
ved_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct ved *x = arg;
	const char *c, *name;

	if (x->sku && strcmp(x->sku, k->p) != 0)
		return IMS_OK;
	if (ims_rec_json(&x->in, v->p, v->n) != 0)
		return ims_damaged("item %s: stored record is damaged",
		    ims_q(k->p));
	c = ims_rec_str(&x->in, "criticality");
	name = ims_rec_str(&x->in, "name");
	ims_rec_reset(&x->out);
	ims_rec_adds(&x->out, "sku", k->p);
	ims_rec_adds(&x->out, "name", name ? name : "");
	if (c && *c)
		ims_rec_adds(&x->out, "criticality", c);
	else
		ims_rec_add(&x->out, "criticality", "null", 4, IMS_F_NULL);
	ims_rec_adds(&x->out, "class", ved_name(c && *c ? *c : 'D'));
	ims_out_rec(x->o, &x->out);
	return IMS_OK;
}

int
ims_report_ved(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct ved x = { .o = o, .sku = a->f.sku };
	int rc;

	if (!(rc = ims_report_check(t, a, 0)))
		rc = ims_each_row(t, IMS_DB_ITEMS, NULL, ved_item, &x);
	ims_rec_free(&x.in);
	ims_rec_free(&x.out);
	return rc;
}

/* --- matrices: skus counted by ABC class and xyz or ved class --- */

static const char *const xyz_matrix_cols[] = { "abc", "X", "Y", "Z",
	"skus", NULL };
static const char *const ved_matrix_cols[] = { "abc", "V", "E", "D",
	"skus", NULL };

const char *const *
ims_matrix_cols(const char *kind)
{
	return strcmp(kind, "ved") == 0 ? ved_matrix_cols : xyz_matrix_cols;
}

static int
matrix_abc(void *arg, const struct ims_abc_row *r)
{
	struct stat *st = ims_map_get(((struct scan *)arg)->m, r->sku);

	if (st)
		st->abc = r->cls;
	return IMS_OK;
}

static void
matrix_emit(struct ims_out *o, const char *const *cols, const char *name,
    long n[4])
{
	struct ims_rec r = { 0 };

	ims_rec_adds(&r, "abc", name);
	for (int j = 0; j < 3; j++)
		ims_rec_addn(&r, cols[j + 1], n[j], 0);
	ims_rec_addn(&r, "skus", n[0] + n[1] + n[2], 0);
	if (strcmp(name, "total") == 0)
		ims_out_total(o, &r);
	else
		ims_out_rec(o, &r);
	ims_rec_free(&r);
}

/* Rows A, B, C; columns the other class's letters; a totals row. */
static int
run_matrix(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	const char *const *cols = ims_matrix_cols(a->matrix);
	int ved = cols == ved_matrix_cols;
	long n[4][4] = { { 0 } };
	struct scan s;
	ims_dec mean, cv;
	int rc;

	if (!(rc = scan_open(t, a, !ved, &s)))
		rc = ims_abc(t, a->f.since, s.until, a->cut_a, a->cut_b,
		    matrix_abc, &s);
	for (size_t i = 0; !rc && i < s.n; i++) {
		const struct stat *st = s.v[i];
		char c = ved ? st->crit : xyz_of(st, s.np, a, &mean, &cv);
		const char *j = strchr(ved ? "VED" : "XYZ", c);
		int row = st->abc ? st->abc - 'A' : 2;

		if (a->f.sku && strcmp(a->f.sku, st->sku) != 0)
			continue;
		if (j && row >= 0 && row < 3) {
			n[row][j - (ved ? "VED" : "XYZ")]++;
			n[3][j - (ved ? "VED" : "XYZ")]++;
		}
	}
	for (int i = 0; !rc && i < 4; i++)
		matrix_emit(o, cols, i < 3 ? (char[]){ 'A' + i, 0 } : "total",
		    n[i]);
	scan_close(&s);
	return rc;
}
