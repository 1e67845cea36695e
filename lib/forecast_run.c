/*
 * forecast_run.c: ims-forecast's work over many skus.  History from
 * records (sku, period or date, qty; grouped by sku, read twice: once to
 * check every record and find where history ends, once to forecast) or
 * from the store's journal (shipments, scrap, order lines); the skus in
 * batches, computed on worker threads and printed in order; the saved
 * summaries, a table outside the journal.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

const char *const ims_fc_cols[] = { "sku", "period_start", "forecast",
	"lo", "hi", NULL };
const char *const ims_fc_summary_cols[] = { "sku", "class", "adi", "cv2",
	"periods", "method", "params", "holdout", "mae", "rmsse", "bias",
	"forecast", "demand_per_day", "sd_per_day", "period", NULL };
static const char *const period_names[] = { "day", "week", "month" };

/* --- output: a result as records, and as a saved summary ------------- */

static void
add_num(struct ims_rec *r, const char *name, double v)
{
	char b[64];

	ims_fc_num(v, b);
	ims_rec_add(r, name, b, strlen(b), isfinite(v) ? IMS_F_NUM :
	    IMS_F_NULL);
}

static void
method_name(const struct ims_fc_result *res, struct ims_buf *b)
{
	b->n = 0;
	ims_buf_adds(b, ims_fc_methods[res->meth[0]].name);
	if (res->meth[1] >= 0) {
		ims_buf_addc(b, '+');
		ims_buf_adds(b, ims_fc_methods[res->meth[1]].name);
	}
	ims_buf_addc(b, '\0');
}

/* The summary record of one sku. */
static void
summary_rec(struct ims_fc_runner *u, const char *sku,
    const struct ims_fc_result *res, struct ims_rec *r)
{
	double days = ims_period_days(u->o.per), f = 0;

	for (int j = 0; j < res->h; j++)
		f += res->fc[j] / res->h;
	ims_rec_reset(r);
	ims_rec_adds(r, "sku", sku);
	ims_rec_adds(r, "class", ims_fc_class_names[res->cls]);
	add_num(r, "adi", res->adi);
	add_num(r, "cv2", res->cv2);
	add_num(r, "periods", res->n);
	method_name(res, &u->b1);
	ims_rec_adds(r, "method", u->b1.p);
	ims_fc_params(res, &u->b2);
	ims_rec_adds(r, "params", u->b2.p);
	add_num(r, "holdout", res->holdout);
	add_num(r, "mae", res->mae);
	add_num(r, "rmsse", res->rmsse);
	add_num(r, "bias", res->bias);
	add_num(r, "forecast", f);
	add_num(r, "demand_per_day", f / days);
	add_num(r, "sd_per_day", res->rmse / sqrt(days));
	ims_rec_adds(r, "period", period_names[u->o.per]);
}

static void
forecast_recs(struct ims_fc_runner *u, const char *sku,
    const struct ims_fc_result *res)
{
	char b[IMS_TIME_BUF];

	for (int j = 0; j < res->h; j++) {
		ims_rec_reset(&u->rec);
		ims_rec_adds(&u->rec, "sku", sku);
		ims_rec_adds(&u->rec, "period_start", ims_date_fmt(
		    ims_period_start(u->end + 1 + j, u->o.per), b));
		add_num(&u->rec, "forecast", res->fc[j]);
		add_num(&u->rec, "lo", res->lo[j]);
		add_num(&u->rec, "hi", res->hi[j]);
		ims_out_rec(u->out, &u->rec);
	}
}

/* Keep the summary for ims-reorder: its record, and when it was made. */
static int
save(struct ims_fc_runner *u, const char *sku)
{
	struct ims_key k;
	char b[IMS_TIME_BUF];

	ims_rec_adds(&u->rec, "made", ims_time_fmt(u->now, b));
	u->b1.n = 0;
	ims_rec_to_json(&u->rec, &u->b1);
	ims_key_init(&k);
	ims_key_str(&k, sku);
	return ims_put(u->txn, IMS_DB_FORECASTS, &k, u->b1.p, u->b1.n, 0);
}

static int
emit(struct ims_fc_runner *u, const char *sku,
    const struct ims_fc_result *res)
{
	int rc = IMS_OK;

	if (res->meth[0] < 0) {
		ims_warn("sku %s: %s cannot forecast its %d periods of "
		    "history", ims_q(sku), u->o.method->name, res->n);
		u->status = IMS_EXIT_REJECT;
		return IMS_OK;
	}
	if (u->summary || u->save) {
		summary_rec(u, sku, res, &u->rec);
		if (u->summary && u->out)
			ims_out_rec(u->out, &u->rec);
		if (u->save)
			rc = save(u, sku);
	}
	if (!u->summary && u->out)
		forecast_recs(u, sku, res);
	return rc;
}

/* --- batches over worker threads ------------------------------------- */

#define BATCH 512

struct job {
	struct ims_fc_runner *u;
	struct ims_fc_batch *b;
	struct ims_fc_ws *w;
	int first, step;
};

/* The workers, and the batch they are forecasting (NULL: none). */
struct ims_fc_pool {
	pthread_t th[IMS_FC_JOBS];
	struct job jobs[IMS_FC_JOBS];
	int nth;
	struct ims_fc_batch *b;
};

static void *
work(void *arg)
{
	struct job *j = arg;

	for (int i = j->first; i < j->b->nb; i += j->step)
		ims_fc_sku(&j->u->o, j->w, j->b->y + j->b->off[i],
		    j->b->len[i], &j->b->res[i]);
	return NULL;
}

/* Start forecasting batch b on u->jobs threads (a share that no thread
 * could take is done here and now). */
static void
start(struct ims_fc_runner *u, struct ims_fc_batch *b)
{
	struct ims_fc_pool *p = u->pool;
	int nj = u->jobs > b->nb ? (b->nb ? b->nb : 1) : u->jobs;

	p->b = b;
	p->nth = 0;
	for (int i = 0; i < nj; i++)
		p->jobs[i] = (struct job){ u, b, u->ws[i], i, nj };
	for (int i = 0; i < nj; i++, p->nth++)
		if (pthread_create(&p->th[i], NULL, work, &p->jobs[i]))
			break;
	for (int i = p->nth; i < nj; i++)
		work(&p->jobs[i]);
}

static void
join(struct ims_fc_pool *p)
{
	for (int i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	p->nth = 0;
}

static void
empty(struct ims_fc_batch *b)
{
	for (int i = 0; i < b->nb; i++)
		free(b->sku[i]);
	b->nb = 0;
	b->ny = 0;
}

/* Wait for the batch in flight, print it in order, empty it. */
static int
finish(struct ims_fc_runner *u)
{
	struct ims_fc_pool *p = u->pool;
	struct ims_fc_batch *b = p->b;
	int rc = IMS_OK;

	if (!b)
		return IMS_OK;
	join(p);
	p->b = NULL;
	for (int i = 0; i < b->nb && !rc; i++)
		rc = emit(u, b->sku[i], &b->res[i]);
	empty(b);
	return rc;
}

/* The batch being filled is full: print the one in flight, start this
 * one, fill the other meanwhile. */
static int
flush(struct ims_fc_runner *u)
{
	int rc = finish(u);

	if (rc)
		return rc;
	start(u, u->b);
	u->b = u->b == &u->bt[0] ? &u->bt[1] : &u->bt[0];
	return IMS_OK;
}

/* The input is over: the last batches, in order. */
static int
drain(struct ims_fc_runner *u)
{
	int rc = flush(u);

	return rc ? rc : finish(u);
}

/* A new sku's series of n periods, zeroed, in the batch: its values. */
static double *
add_sku(struct ims_fc_runner *u, const char *sku, int n)
{
	struct ims_fc_batch *b = u->b;

	if (b->ny + n > b->ycap) {
		b->ycap = (b->ny + n) * 2;
		b->y = realloc(b->y, b->ycap * sizeof *b->y);
		if (!b->y) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
	}
	b->sku[b->nb] = strdup(sku);
	b->off[b->nb] = b->ny;
	b->len[b->nb] = n;
	memset(b->y + b->ny, 0, n * sizeof *b->y);
	b->ny += n;
	return b->y + b->off[b->nb++];
}

static int
full(const struct ims_fc_runner *u)
{
	return u->b->nb == BATCH;
}

void
ims_fc_runner_init(struct ims_fc_runner *u)
{
	int nj = u->jobs < 1 ? 1 : u->jobs > IMS_FC_JOBS ? IMS_FC_JOBS :
	    u->jobs, bad = !(u->pool = calloc(1, sizeof *u->pool));

	u->jobs = nj;
	for (int i = 0; i < nj; i++)
		u->ws[i] = ims_fc_ws_new();
	for (int k = 0; k < 2; k++) {
		struct ims_fc_batch *b = &u->bt[k];
		b->sku = calloc(BATCH, sizeof *b->sku);
		b->off = calloc(BATCH, sizeof *b->off);
		b->len = calloc(BATCH, sizeof *b->len);
		b->res = calloc(BATCH, sizeof *b->res);
		bad |= !b->sku || !b->off || !b->len || !b->res;
	}
	if (bad) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	u->b = &u->bt[0];
	u->status = IMS_EXIT_OK;
}

void
ims_fc_runner_free(struct ims_fc_runner *u)
{
	join(u->pool);
	for (int i = 0; i < u->jobs; i++)
		ims_fc_ws_free(u->ws[i]);
	for (int k = 0; k < 2; k++) {
		struct ims_fc_batch *b = &u->bt[k];
		empty(b);
		free(b->sku), free(b->off), free(b->len), free(b->res);
		free(b->y);
	}
	free(u->pool);
	ims_rec_free(&u->rec);
	ims_buf_free(&u->b1), ims_buf_free(&u->b2);
}

/* Where a sku's history starts: --since's period, else p0. */
static int64_t
first_period(const struct ims_fc_runner *u, int64_t p0)
{
	return u->since != IMS_TIME_NONE ?
	    ims_period_of(u->since, u->o.per) : p0;
}

/* --- history from records -------------------------------------------- */

/* One history record read: its sku, period and quantity. */
struct hrec {
	const char *sku;
	int64_t p;
	double qty;
	int is_period;		/* "period" (a period's start), not "date" */
};

static int
bad(const struct ims_rec *r, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof msg, fmt, a, b);
	ims_warn("%s:%ld: %s", r->file, r->line, msg);
	return -1;
}

/* Read and check one history record. */
static int
parse_hrec(const struct ims_fc_runner *u, const struct ims_rec *r,
    struct hrec *h)
{
	const struct ims_field *q = ims_rec_field(r, "qty");
	const struct ims_field *d = ims_rec_field(r, "period");
	const char *why;
	ims_dec v;
	ims_time t;

	if (r->error)
		return bad(r, "%s%s", r->error, "");
	if (!(h->sku = ims_rec_str(r, "sku")) || !*h->sku)
		return bad(r, "no sku%s%s", "", "");
	h->is_period = d != NULL;
	if (!d && !(d = ims_rec_field(r, "date")))
		return bad(r, "no period or date%s%s", "", "");
	if ((why = ims_time_parse(d->val, d->len, &t)))
		return bad(r, "%s %s", ims_q(d->val), why);
	h->p = ims_period_of(t, u->o.per);
	if (h->is_period && ims_period_start(h->p, u->o.per) != t)
		return bad(r, "period %s is not the start of a %s",
		    ims_q(d->val), u->o.per == IMS_PER_WEEK ? "week (a Monday)"
		    : period_names[u->o.per]);
	if (!q)
		return bad(r, "no qty%s%s", "", "");
	if ((why = ims_dec_parse(q->val, q->len, IMS_QTY, &v)))
		return bad(r, "qty %s: %s", ims_q(q->val), why);
	if (v < 0)
		return bad(r, "qty %s is negative%s", ims_q(q->val), "");
	h->qty = v / 1000.0;
	return 0;
}

/* A sku's records, as the first pass found them. */
struct group {
	int64_t first, last, demand;	/* demand: the first with qty > 0 */
	const char *file;
	long line;
};

/* The first pass's state. */
struct pass1 {
	struct ims_map *seen;		/* sku -> "file:line" of its group */
	struct group *g;
	size_t ng, gcap;
	char cur[IMS_KEY_MAX];
	struct { int64_t p; long line; } *pl;	/* the group's periods */
	size_t npl, plcap;
	int64_t end;
	int errors;
};

/* From the first demand; a sku without any from its first record (its
 * forecast is zero). */
static int64_t
group_start(const struct group *g)
{
	return g->demand != INT64_MAX ? g->demand : g->first;
}

static int
cmp_pl(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The group's periods given as "period": none twice. */
static void
group_dups(struct pass1 *s, const char *file)
{
	qsort(s->pl, s->npl, sizeof *s->pl, cmp_pl);
	for (size_t i = 1; i < s->npl; i++)
		if (s->pl[i].p == s->pl[i - 1].p) {
			ims_warn("%s:%ld: sku %s: the same period twice "
			    "(also line %ld)", file,
			    s->pl[i].line > s->pl[i - 1].line ? s->pl[i].line :
			    s->pl[i - 1].line, ims_q(s->cur),
			    s->pl[i].line > s->pl[i - 1].line ?
			    s->pl[i - 1].line : s->pl[i].line);
			s->errors++;
		}
	s->npl = 0;
}

static void
new_group(struct pass1 *s, const struct ims_rec *r, const struct hrec *h)
{
	int isnew;
	void **slot = ims_map_slot(s->seen, h->sku, &isnew);

	if (!isnew) {
		bad(r, "sku %s's records are not together (also at line "
		    "%s): sort the history by sku", ims_q(h->sku), *slot);
		s->errors++;
		return;
	}
	if (s->ng && s->npl)
		group_dups(s, s->g[s->ng - 1].file);
	if (s->ng == s->gcap) {
		s->gcap = s->gcap ? s->gcap * 2 : 256;
		s->g = realloc(s->g, s->gcap * sizeof *s->g);
	}
	char *where = malloc(24);
	snprintf(where, 24, "%ld", r->line);
	*slot = where;
	s->g[s->ng++] = (struct group){ h->p, h->p, INT64_MAX, r->file,
	    r->line };
	snprintf(s->cur, sizeof s->cur, "%s", h->sku);
}

static void
pass1_rec(struct pass1 *s, const struct ims_rec *r, const struct hrec *h)
{
	struct group *g;

	if (!s->ng || strcmp(s->cur, h->sku) != 0)
		new_group(s, r, h);
	if (!s->ng)
		return;
	g = &s->g[s->ng - 1];
	if (h->p < g->first)
		g->first = h->p;
	if (h->p > g->last)
		g->last = h->p;
	if (h->qty > 0 && h->p < g->demand)
		g->demand = h->p;
	if (h->p > s->end)
		s->end = h->p;
	if (!h->is_period)
		return;
	if (s->npl == s->plcap) {
		s->plcap = s->plcap ? s->plcap * 2 : 64;
		s->pl = realloc(s->pl, s->plcap * sizeof *s->pl);
	}
	s->pl[s->npl].p = h->p;
	s->pl[s->npl++].line = r->line;
}

/*
 * Each sku's history must serve what was asked: --holdout leaves two
 * periods to fit on, a seasonal method has its seasons, an explicit
 * --season-length fits in the longest history.
 */
static void
check_groups(struct ims_fc_runner *u, struct pass1 *s)
{
	const struct ims_fc_method *me = u->o.method;
	int need = me && me->run && strncmp(me->name, "hw", 2) == 0 ?
	    2 * u->o.m : me && strcmp(me->name, "snaive") == 0 ? u->o.m : 0;
	int64_t longest = 0;

	for (size_t i = 0; i < s->ng; i++) {
		struct group *g = &s->g[i];
		int64_t n = u->end - first_period(u, group_start(g)) + 1;
		if (n > longest)
			longest = n;
		if (n <= 0)
			continue;
		if (u->o.holdout_set && u->o.holdout + 2 > n) {
			ims_warn("%s:%ld: --holdout %d is longer than the "
			    "history: %lld periods (it needs %d)", g->file,
			    g->line, u->o.holdout, (long long)n,
			    u->o.holdout + 2);
			s->errors++;
		} else if (need > n) {
			ims_warn("%s:%ld: %s needs %d periods of history "
			    "(season length %d), this sku has %lld",
			    g->file, g->line, me->name, need, u->o.m,
			    (long long)n);
			s->errors++;
		}
	}
	if (u->m_set && s->ng && u->o.m > longest) {
		ims_warn("--season-length %d is longer than the history "
		    "(%lld periods at most)", u->o.m, (long long)longest);
		s->errors++;
	}
}

static int
pass1(struct ims_fc_runner *u, struct ims_reader *rd, struct pass1 *s)
{
	struct ims_rec *r;
	struct hrec h;
	int rc;

	s->seen = ims_map_new();
	s->end = INT64_MIN;
	while ((rc = ims_reader_next(rd, &r)) > 0) {
		if (parse_hrec(u, r, &h)) {
			s->errors++;
			continue;
		}
		pass1_rec(s, r, &h);
	}
	if (rc < 0) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_STORE;
	}
	if (s->npl)
		group_dups(s, s->g[s->ng - 1].file);
	u->end = u->until != IMS_TIME_NONE ?
	    ims_period_of(u->until, u->o.per) : s->end;
	check_groups(u, s);
	return s->errors ? IMS_EXIT_REJECT : IMS_EXIT_OK;
}

/* The second pass: each group's series, forecast in batches. */
static int
pass2(struct ims_fc_runner *u, struct ims_reader *rd, struct pass1 *s)
{
	struct ims_rec *r;
	struct hrec h;
	size_t gi = 0;
	double *y = NULL;
	int64_t p0 = 0, n = 0;
	int rc;

	ims_reader_rewind(rd);
	while ((rc = ims_reader_next(rd, &r)) > 0) {
		parse_hrec(u, r, &h);
		if (!gi || strcmp(s->cur, h.sku) != 0) {
			struct group *g = &s->g[gi++];
			snprintf(s->cur, sizeof s->cur, "%s", h.sku);
			if (full(u) && (rc = flush(u)))
				return rc;
			p0 = first_period(u, group_start(g));
			n = u->end - p0 + 1;
			y = n > 0 ? add_sku(u, h.sku, (int)n) : NULL;
		}
		if (y && h.p >= p0 && h.p - p0 < n)
			y[h.p - p0] += h.qty;
	}
	if (rc < 0) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_STORE;
	}
	return drain(u);
}

static void
free_seen(void *p)
{
	free(p);
}

/* Forecast the history records in files (standard input: none). */
int
ims_fc_from_records(struct ims_fc_runner *u, char **files, int nfiles,
    int fmt)
{
	static const char *const req[] = { "sku", "qty", NULL };
	struct pass1 s = { 0 };
	struct ims_reader *rd;
	int status;

	ims_rec_require(req);
	if (!(rd = ims_reader_open(files, nfiles, fmt, 1))) {
		ims_warn("out of memory");
		return IMS_EXIT_STORE;
	}
	status = pass1(u, rd, &s);
	if (status == IMS_EXIT_OK && pass2(u, rd, &s) != IMS_OK)
		status = IMS_EXIT_STORE;
	ims_reader_close(rd);
	ims_map_free(s.seen, free_seen);
	free(s.g), free(s.pl);
	return status ? status : u->status;
}

/* --- history from the store ------------------------------------------ */

/* A sku's demand, period by period as the journal gives it. */
struct evs {
	int64_t *p;
	double *q;
	size_t n, cap;
};
struct hist {
	struct evs ship, order;
};

static void
ev_add(struct evs *e, int64_t p, double q)
{
	if (e->n && e->p[e->n - 1] == p) {
		e->q[e->n - 1] += q;
		return;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->p = realloc(e->p, e->cap * sizeof *e->p);
		e->q = realloc(e->q, e->cap * sizeof *e->q);
		if (!e->p || !e->q) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
	}
	e->p[e->n] = p;
	e->q[e->n++] = q;
}

struct gather {
	struct ims_fc_runner *u;
	struct ims_map *skus;
	int any_order;
};

/* Demand in an entry: a shipment to @customer (scrap to @scrap when
 * asked), an order line's quantity (0: a cancellation). */
static int
gather_entry(void *arg, const struct ims_entry *e)
{
	struct gather *g = arg;
	struct ims_fc_runner *u = g->u;
	int64_t p = ims_period_of(e->ts, u->o.per);
	struct hist **h;
	int isnew, order = e->kind == IMS_KIND_ORDER;

	if (p > u->end)
		return IMS_OK;
	if (order && e->qty <= 0)
		return IMS_OK;
	if (!order && !(e->to && (strcmp(e->to, "@customer") == 0 ||
	    (u->scrap && strcmp(e->to, "@scrap") == 0))))
		return IMS_OK;
	h = (struct hist **)ims_map_slot(g->skus, e->sku, &isnew);
	if (isnew && !(*h = calloc(1, sizeof **h))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	g->any_order |= order;
	if (order || strcmp(e->to, "@scrap") == 0)
		ev_add(&(*h)->order, p, e->qty / 1000.0);
	if (!order)
		ev_add(&(*h)->ship, p, e->qty / 1000.0);
	return IMS_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One sku from the store: its series from the events, into the batch. */
static int
store_sku(struct ims_fc_runner *u, const char *sku, const struct evs *e)
{
	int64_t p0, n;
	double *y;

	if (!e->n)
		return IMS_OK;
	p0 = first_period(u, e->p[0]);
	if ((n = u->end - p0 + 1) <= 0)
		return IMS_OK;
	if (full(u) && flush(u))
		return IMS_ESTORE;
	y = add_sku(u, sku, (int)n);
	for (size_t i = 0; i < e->n; i++)
		if (e->p[i] >= p0)
			y[e->p[i] - p0] += e->q[i];
	return IMS_OK;
}

static void
free_hist(void *p)
{
	struct hist *h = p;

	free(h->ship.p), free(h->ship.q), free(h->order.p), free(h->order.q);
	free(h);
}

/*
 * Forecast from the journal.  Orders are the demand when the store has
 * any (and --demand does not say shipments); scrap, when asked, is in
 * either.  History ends with the last whole period before now (or with
 * --until's period); the skus in order.
 */
int
ims_fc_from_store(struct ims_fc_runner *u, struct ims_txn *t)
{
	struct ims_filter f = IMS_FILTER_ALL;
	struct gather g = { u, ims_map_new(), 0 };
	const char *key, **keys;
	void *val;
	size_t it = 0, nk = 0;
	int rc, orders;

	u->end = u->until != IMS_TIME_NONE ?
	    ims_period_of(u->until, u->o.per) :
	    ims_period_of(u->now, u->o.per) - 1;
	f.since = u->since;
	f.kinds = 1u << IMS_KIND_MOVE | 1u << IMS_KIND_ORDER;
	if ((rc = ims_each_entry_by_time(t, &f, gather_entry, &g)))
		goto out;
	orders = u->demand == IMS_FC_ORDERS || (u->demand == 0 &&
	    g.any_order);
	keys = malloc((ims_map_count(g.skus) + 1) * sizeof *keys);
	while (ims_map_each(g.skus, &it, &key, &val))
		keys[nk++] = key;
	qsort(keys, nk, sizeof *keys, cmp_str);
	for (size_t i = 0; i < nk && !rc; i++) {
		struct hist *h = ims_map_get(g.skus, keys[i]);
		rc = store_sku(u, keys[i], orders ? &h->order : &h->ship);
	}
	if (!rc)
		rc = drain(u);
	free(keys);
out:
	ims_map_free(g.skus, free_hist);
	return rc;
}

/* --- the saved summaries --------------------------------------------- */

static double
num_field(const struct ims_rec *r, const char *name)
{
	const struct ims_field *f = ims_rec_field(r, name);

	return f && f->type == IMS_F_NUM ? strtod(f->val, NULL) : NAN;
}

static void
str_field(const struct ims_rec *r, const char *name, char *out, size_t n)
{
	const char *s = ims_rec_str(r, name);

	snprintf(out, n, "%s", s ? s : "");
}

/* The summary ims-forecast --save kept for sku; IMS_ENOTFOUND when there
 * is none. */
int
ims_forecast_get(struct ims_txn *t, const char *sku,
    struct ims_fc_summary *s)
{
	struct ims_rec r = { 0 };
	struct ims_key k;
	struct ims_val v;
	const char *made;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, sku);
	if ((rc = ims_get(t, IMS_DB_FORECASTS, &k, &v)))
		return rc;
	if (ims_rec_json(&r, v.p, v.n)) {
		ims_rec_free(&r);
		return ims_damaged("the forecast of %s is not a record",
		    ims_q(sku));
	}
	s->demand_per_day = num_field(&r, "demand_per_day");
	s->sd_per_day = num_field(&r, "sd_per_day");
	s->mae = num_field(&r, "mae");
	s->rmsse = num_field(&r, "rmsse");
	s->bias = num_field(&r, "bias");
	str_field(&r, "method", s->method, sizeof s->method);
	str_field(&r, "class", s->cls, sizeof s->cls);
	str_field(&r, "period", s->period, sizeof s->period);
	made = ims_rec_str(&r, "made");
	if (!made || ims_time_parse(made, strlen(made), &s->made))
		s->made = IMS_TIME_NONE;
	ims_rec_free(&r);
	return IMS_OK;
}
