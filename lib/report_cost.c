/*
 * report_cost.c: the reports on what stock cost, each a replay of the
 * journal by valuation.c up to the moment asked: valuation (FIFO or
 * average, by sku, location, lot, zone or overall, with the cost of
 * goods shipped), aging (by age since receipt), turnover and dio (over
 * a period), sales (revenue, cost and margin) and gl (the inventory side
 * of the books as journal lines).
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

const char *const ims_valuation_cols[] = { "sku", "location", "lot",
	"on_hand", "unit_cost", "value", "shipped", "cogs", NULL };
const char *const ims_aging_cols[] = { "sku", "location", "bucket",
	"on_hand", "value", NULL };
const char *const ims_turnover_cols[] = { "sku", "zone", "days", "cogs",
	"avg_value", "turnover", "dio", NULL };
const char *const ims_dio_cols[] = { "sku", "zone", "days", "avg_value",
	"cogs", "dio", NULL };
const char *const ims_sales_cols[] = { "sku", "period", "qty", "revenue",
	"cost", "margin", NULL };
const char *const ims_gl_cols[] = { "date", "account", "debit", "credit",
	"memo", "reference", NULL };

#define YEAR (365 * 86400)

/* Figures a row adds up, in 128 bits. */
struct sums {
	ims_wide qty, value, shipped, cogs, area;
	ims_wide revenue;
	struct ims_aging_sum age[IMS_AGING_MAX + 1];
};

/* How a report's rows are cut: its grouping, and what its rows print. */
struct aging {
	const int *edges;
	int nedges;
	ims_time at;
};
struct view {
	const char *by;		/* sku, location, lot, zone or total */
	struct aging ag;	/* aging */
	ims_time period;	/* turnover, dio: the seconds */
	int dio;
};
typedef void row_fn(struct ims_out *o, struct ims_rec *r,
    char *const part[3], const struct view *v, const struct sums *s);

/* Rows rolled up by a key of parts joined by '\x1f', printed in key
 * order. */
struct groups {
	struct ims_map *m;
	char buf[3 * IMS_KEY_MAX];
};

static void
oom(void)
{
	ims_warn("out of memory");
	exit(IMS_EXIT_STORE);
}

static struct sums *
group(struct groups *g, const char *a, const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t n = 0;
	void **slot;
	int isnew;

	for (int i = 0; i < 3 && part[i]; i++)
		n += snprintf(g->buf + n, sizeof g->buf - n, "%s%s",
		    i ? "\x1f" : "", part[i]);
	slot = ims_map_slot(g->m, g->buf, &isnew);
	if (isnew && !(*slot = calloc(1, sizeof(struct sums))))
		oom();
	return *slot;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The groups' keys in order, NULL-terminated; free the array. */
static const char **
sorted_keys(const struct groups *g)
{
	size_t n = ims_map_count(g->m), it = 0, i = 0;
	const char **keys = calloc(n + 1, sizeof *keys), *key;
	void *val;

	if (!keys)
		oom();
	while (ims_map_each(g->m, &it, &key, &val))
		keys[i++] = key;
	qsort(keys, n, sizeof *keys, cmp_str);
	return keys;
}

/* Split a key into its parts (in place, in a copy the caller frees). */
static char *
split(const char *key, char *part[3])
{
	char *k = strdup(key), *p;
	int n = 1;

	if (!k)
		oom();
	part[0] = k, part[1] = part[2] = NULL;
	for (p = k; (p = strchr(p, '\x1f')) && n < 3; n++)
		*p++ = '\0', part[n] = p;
	return k;
}



/* The moment a report shows: --until, --as-of, or now. */
static ims_time
moment(const struct ims_report_args *a)
{
	if (a->f.until != IMS_TIME_NONE)
		return a->f.until;
	if (a->as_of != IMS_TIME_NONE)
		return a->as_of;
	return ims_now();
}

/* An unknown sku asked for is an error, not an empty report. */
static int
known_sku(struct ims_txn *t, const char *sku)
{
	struct ims_rec r = { 0 };
	int rc;

	if (!sku)
		return IMS_OK;
	rc = ims_master_get(t, &ims_item_schema, sku, &r);
	ims_rec_free(&r);
	if (rc == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "unknown sku %s", ims_q(sku));
	return rc;
}

static int
start(struct ims_txn *t, const struct ims_report_args *a, ims_time *end)
{
	if ((*end = moment(a)) == IMS_TIME_NONE)
		return IMS_EREJECT;
	return known_sku(t, a->f.sku);
}

static int
wants(const struct ims_report_args *a, const struct ims_cbal *b)
{
	return !a->f.location || ims_loc_match(b->loc, a->f.location);
}

static const char *
group_of(const struct ims_report_args *a, const char *dflt)
{
	return a->group ? a->group : dflt;
}

/* --- valuation ------------------------------------------------------ */

static void
add_bal(struct sums *s, const struct ims_costs *c, const struct ims_cbal *b)
{
	s->qty += b->qty;
	s->value += ims_cbal_value(c, b);
	s->shipped += b->shipped;
	s->cogs += b->cogs;
	s->area += b->area;
}

static void
valuation_row(struct ims_out *o, struct ims_rec *r, char *const part[3],
    const struct view *v, const struct sums *s)
{
	const char *g = v->by;

	if (s->qty == 0 && s->value == 0 && s->shipped == 0)
		return;
	ims_rec_reset(r);
	if (strcmp(g, "zone") == 0)
		ims_rec_adds(r, "location", part[0]);
	else if (strcmp(g, "total") != 0) {
		ims_rec_adds(r, "sku", part[0]);
		if (part[1])
			ims_rec_adds(r, "location", part[1]);
		if (part[2] && *part[2])
			ims_rec_adds(r, "lot", part[2]);
	}
	ims_rec_addw(r, "on_hand", s->qty, IMS_QTY);
	ims_rec_addn(r, "unit_cost", ims_unit_cost(s->value, s->qty),
	    IMS_MONEY);
	ims_rec_addw(r, "value", s->value, IMS_MONEY);
	ims_rec_addw(r, "shipped", s->shipped, IMS_QTY);
	ims_rec_addw(r, "cogs", s->cogs, IMS_MONEY);
	ims_out_rec(o, r);
}

/* Roll a sku's balances up into g by the grouping asked. */
static void
roll_up(struct groups *g, const struct ims_report_args *a,
    const struct ims_costs *c, const struct ims_csku *s, const char *by)
{
	char buf[IMS_KEY_MAX];
	int depth = a->depth ? a->depth : strcmp(by, "zone") == 0 ? 1 : 0;

	for (const struct ims_cbal *b = s->bals; b; b = b->next) {
		const char *loc = ims_loc_cut(b->loc, depth, buf, sizeof buf);
		if (!wants(a, b))
			continue;
		if (strcmp(by, "location") == 0)
			add_bal(group(g, s->sku, loc, NULL), c, b);
		else if (strcmp(by, "lot") == 0)
			add_bal(group(g, s->sku, loc, b->trk), c, b);
		else if (strcmp(by, "zone") == 0)
			add_bal(group(g, loc, NULL, NULL), c, b);
		else
			add_bal(group(g, "", NULL, NULL), c, b);
	}
}

static void
print_groups(struct groups *g, struct ims_out *o, const struct view *v,
    row_fn *row)
{
	const char **keys = sorted_keys(g);
	struct ims_rec r = { 0 };

	for (size_t i = 0; keys[i]; i++) {
		char *part[3], *k = split(keys[i], part);
		row(o, &r, part, v, ims_map_get(g->m, keys[i]));
		free(k);
	}
	free(keys);
	ims_rec_free(&r);
}

/* One row a sku: its balances in the zone asked (all: its own sums,
 * exact under the average too). */
static void
by_sku(struct ims_out *o, const struct ims_report_args *a,
    struct ims_costs *c, const struct view *vw, row_fn *row)
{
	size_t n;
	struct ims_csku **v = ims_costs_skus(c, &n);
	struct ims_rec r = { 0 };

	for (size_t i = 0; i < n; i++) {
		struct sums s = { 0 };
		char *part[3] = { (char *)v[i]->sku, NULL, NULL };
		if (a->f.location)
			for (const struct ims_cbal *b = v[i]->bals; b;
			    b = b->next) {
				if (wants(a, b))
					add_bal(&s, c, b);
			}
		else {
			s.qty = v[i]->qty, s.value = v[i]->value;
			s.shipped = v[i]->shipped, s.cogs = v[i]->cogs;
			s.area = v[i]->area;
		}
		row(o, &r, part, vw, &s);
	}
	ims_rec_free(&r);
}

/* Replay, then print one row a group. */
static int
rows(struct ims_txn *t, struct ims_out *o, const struct ims_report_args *a,
    const struct ims_cost_opts *co, const struct view *v, row_fn *row)
{
	const char *by = v->by;
	struct ims_costs *c;
	struct groups g = { 0 };
	int rc;

	if ((rc = ims_costs_run(t, co, &c)) == IMS_OK) {
		if (strcmp(by, "sku") == 0)
			by_sku(o, a, c, v, row);
		else {
			size_t n;
			struct ims_csku **sk = ims_costs_skus(c, &n);
			if (!(g.m = ims_map_new()))
				oom();
			for (size_t i = 0; i < n; i++)
				roll_up(&g, a, c, sk[i], by);
			if (strcmp(by, "total") == 0)
				group(&g, "", NULL, NULL);
			print_groups(&g, o, v, row);
			ims_map_free(g.m, free);
		}
	}
	ims_costs_free(c);
	return rc;
}

/* Valuation at a moment, with the cost of goods shipped from --since
 * (or the start) to that moment. */
int
ims_report_valuation(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct ims_cost_opts co = { a->method, a->f.sku, 0, a->f.since,
		NULL, NULL };
	struct view v = { .by = group_of(a, "sku") };
	int rc;

	if ((rc = start(t, a, &co.until)))
		return rc;
	return rows(t, o, a, &co, &v, valuation_row);
}

/* --- aging ---------------------------------------------------------- */

static void
aging_add(struct sums *s, const struct ims_cbal *b, const struct aging *ag)
{
	for (size_t j = b->head; j < b->n; j++) {
		int k = ims_aging_bucket(ag->edges, ag->nedges, ag->at,
		    b->l[j].ts);
		s->age[k].qty += b->l[j].qty;
		s->age[k].value += b->l[j].value;
	}
	s->qty += b->qty;
}

static void
aging_row(struct ims_out *o, struct ims_rec *r, char *const part[3],
    const struct view *v, const struct sums *s)
{
	const struct aging *ag = &v->ag;
	const char *g = v->by;
	char label[32];

	for (int i = 0; i <= ag->nedges; i++) {
		if (s->age[i].qty == 0 && strcmp(g, "total") != 0)
			continue;
		ims_rec_reset(r);
		if (strcmp(g, "zone") == 0)
			ims_rec_adds(r, "location", part[0]);
		else if (strcmp(g, "total") != 0) {
			ims_rec_adds(r, "sku", part[0]);
			if (part[1])
				ims_rec_adds(r, "location", part[1]);
		}
		ims_aging_label(ag->edges, ag->nedges, i, label,
		    sizeof label);
		ims_rec_adds(r, "bucket", label);
		ims_rec_addw(r, "on_hand", s->age[i].qty, IMS_QTY);
		ims_rec_addw(r, "value", s->age[i].value, IMS_MONEY);
		ims_out_rec(o, r);
	}
}

static void
aging_rows(struct ims_out *o, const struct ims_report_args *a,
    struct ims_costs *c, const struct view *v)
{
	const char *by = v->by;
	size_t n;
	struct ims_csku **sk = ims_costs_skus(c, &n);
	struct groups g = { 0 };
	char buf[IMS_KEY_MAX];
	int depth = a->depth ? a->depth : strcmp(by, "zone") == 0 ? 1 : 0;

	if (!(g.m = ims_map_new()))
		oom();
	if (strcmp(by, "total") == 0)
		group(&g, "", NULL, NULL);
	for (size_t i = 0; i < n; i++)
		for (const struct ims_cbal *b = sk[i]->bals; b; b = b->next) {
			const char *loc = ims_loc_cut(b->loc, depth, buf, sizeof buf);
			if (!wants(a, b))
				continue;
			aging_add(strcmp(by, "sku") == 0 ?
			    group(&g, sk[i]->sku, NULL, NULL) :
			    strcmp(by, "location") == 0 ?
			    group(&g, sk[i]->sku, loc, NULL) :
			    strcmp(by, "zone") == 0 ?
			    group(&g, loc, NULL, NULL) :
			    group(&g, "", NULL, NULL), b, &v->ag);
		}
	print_groups(&g, o, v, aging_row);
	ims_map_free(g.m, free);
}

/* On hand and its value by age since receipt, following FIFO layers. */
int
ims_report_aging(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct ims_cost_opts co = { IMS_COST_FIFO, a->f.sku, 0,
		IMS_TIME_NONE, NULL, NULL };
	struct ims_costs *c;
	struct view v;
	int rc;

	if ((rc = start(t, a, &co.until)))
		return rc;
	v.by = group_of(a, "sku");
	v.ag = (struct aging){ a->nedges ? a->edges : ims_aging_default,
		a->nedges ? a->nedges : 4, co.until };
	if ((rc = ims_costs_run(t, &co, &c)) == IMS_OK)
		aging_rows(o, a, c, &v);
	ims_costs_free(c);
	return rc;
}

/* --- turnover and dio ----------------------------------------------- */

static void
turn_row(struct ims_out *o, struct ims_rec *r, char *const part[3],
    const struct view *v, const struct sums *s)
{
	const char *g = v->by;
	ims_time period_len = v->period;
	int period_dio = v->dio;
	ims_dec avg = 0, turn, dio, days;
	int has_avg = !ims_dec_div(s->area, IMS_MONEY, period_len, 0,
	    IMS_MONEY, &avg);

	if (s->area == 0 && s->cogs == 0)
		return;
	ims_dec_div(period_len, 0, 86400, 0, 2, &days);
	ims_rec_reset(r);
	if (strcmp(g, "sku") == 0)
		ims_rec_adds(r, "sku", part[0]);
	else if (strcmp(g, "zone") == 0)
		ims_rec_adds(r, "zone", part[0]);
	ims_rec_addn(r, "days", days, 2);
	if (period_dio)
		ims_rec_addn(r, "avg_value", avg, IMS_MONEY);
	ims_rec_addw(r, "cogs", s->cogs, IMS_MONEY);
	if (!period_dio)
		ims_rec_addn(r, "avg_value", avg, IMS_MONEY);
	if (!period_dio && has_avg && avg > 0 &&
	    !ims_dec_div(s->cogs, IMS_MONEY, avg, IMS_MONEY, 2, &turn))
		ims_rec_addn(r, "turnover", turn, 2);
	else if (!period_dio)
		ims_rec_add(r, "turnover", "null", 4, IMS_F_NULL);
	/* days x average value / cogs: the days the stock would last */
	if (s->cogs > 0 && !ims_dec_div((ims_wide)avg * period_len,
	    IMS_MONEY, s->cogs * 86400, IMS_MONEY, 2, &dio))
		ims_rec_addn(r, "dio", dio, 2);
	else
		ims_rec_add(r, "dio", "null", 4, IMS_F_NULL);
	ims_out_rec(o, r);
}

static int
turnover(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a, int dio)
{
	struct ims_cost_opts co = { IMS_COST_FIFO, a->f.sku, 0, 0, NULL,
		NULL };
	struct view v = { .by = group_of(a, "sku") };
	int rc;

	if ((rc = start(t, a, &co.until)))
		return rc;
	co.since = a->f.since != IMS_TIME_NONE ? a->f.since :
	    co.until - YEAR;
	if (co.since >= co.until)
		return ims_seterr(IMS_EREJECT, "the period is empty: --since "
		    "must come before the end");
	v.period = co.until - co.since;
	v.dio = dio;
	return rows(t, o, a, &co, &v, turn_row);
}

int
ims_report_turnover(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	return turnover(t, o, a, 0);
}

int
ims_report_dio(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	return turnover(t, o, a, 1);
}

/* --- sales ---------------------------------------------------------- */

struct sales {
	struct ims_txn *t;
	const struct ims_report_args *a;
	struct groups g;
	struct ims_map *price;	/* sku -> its item's price, or NULL */
	struct ims_rec tmp;
};

/* The item's price, read once a sku. */
static const ims_dec *
item_price(struct sales *s, const char *sku)
{
	int isnew;
	void **slot = ims_map_slot(s->price, sku, &isnew);
	const char *p;

	if (isnew && ims_master_get(s->t, &ims_item_schema, sku,
	    &s->tmp) == IMS_OK && (p = ims_rec_str(&s->tmp, "price"))) {
		ims_dec *v = malloc(sizeof *v);
		if (!v)
			oom();
		if (ims_dec_parse(p, strlen(p), IMS_MONEY, v))
			*v = 0;
		*slot = v;
	}
	return *slot;
}

/* The period ts falls in: its day, the Monday of its week, its month. */
static const char *
period_of(int period, ims_time ts, char *buf)
{
	ims_time day = ts >= 0 ? ts / 86400 : (ts - 86399) / 86400;

	if (period == IMS_PERIOD_WEEK)
		/* 1970-01-01 was a Thursday: Monday is 3 days before */
		day -= ((day + 3) % 7 + 7) % 7;
	ims_date_fmt(day * 86400, buf);
	if (period == IMS_PERIOD_MONTH)
		buf[7] = '\0';
	return buf;
}

static int
sale(void *arg, const struct ims_cost_flow *fl)
{
	struct sales *s = arg;
	const struct ims_entry *e = fl->e;
	const ims_dec *item;
	ims_dec price = 0, rev;
	char pb[IMS_TIME_BUF];
	struct sums *g;

	if (fl->type != IMS_FLOW_SHIP || !wants(s->a, fl->from))
		return IMS_OK;
	if (!ims_json_dec(e, "unit_price", IMS_MONEY, &price) &&
	    (item = item_price(s, e->sku)))
		price = *item;
	if (ims_value(e->qty, price, &rev))
		return ims_seterr(IMS_EREJECT, "entry %llu: its revenue does "
		    "not fit", (unsigned long long)e->seq);
	g = group(&s->g, e->sku, s->a->period ? period_of(s->a->period,
	    e->ts, pb) : NULL, NULL);
	g->qty += e->qty;
	g->revenue += rev;
	g->cogs += fl->value;
	return IMS_OK;
}

static void
sales_row(struct ims_out *o, struct ims_rec *r, char *const part[3],
    const struct view *v, const struct sums *s)
{
	(void)v;
	ims_rec_reset(r);
	ims_rec_adds(r, "sku", part[0]);
	if (part[1])
		ims_rec_adds(r, "period", part[1]);
	ims_rec_addw(r, "qty", s->qty, IMS_QTY);
	ims_rec_addw(r, "revenue", s->revenue, IMS_MONEY);
	ims_rec_addw(r, "cost", s->cogs, IMS_MONEY);
	ims_rec_addw(r, "margin", s->revenue - s->cogs, IMS_MONEY);
	ims_out_rec(o, r);
}

/* Quantity, revenue, cost and margin of the shipments between --since
 * and --until, a row for each sku (and --period). */
int
ims_report_sales(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct sales s = { .t = t, .a = a };
	struct ims_cost_opts co = { a->method, a->f.sku, 0, a->f.since, sale,
		&s };
	struct ims_costs *c;
	int rc;

	if ((rc = start(t, a, &co.until)))
		return rc;
	if (!(s.g.m = ims_map_new()) || !(s.price = ims_map_new()))
		oom();
	if ((rc = ims_costs_run(t, &co, &c)) == IMS_OK)
		print_groups(&s.g, o, &(struct view){ .by = "sku" },
		    sales_row);
	ims_costs_free(c);
	ims_map_free(s.g.m, free);
	ims_map_free(s.price, free);
	ims_rec_free(&s.tmp);
	return rc;
}

/* --- gl ------------------------------------------------------------- */

enum { ACC_INVENTORY, ACC_GRNI, ACC_COGS, ACC_SHRINKAGE, NACC };
static const char *const acc_names[NACC] = { "inventory", "grni", "cogs",
	"shrinkage" };
static const char *const acc_default[NACC] = { "Inventory", "GRNI", "COGS",
	"Shrinkage" };

struct gl {
	struct ims_out *o;
	int by_site;
	char *spec;
	const char *acc[NACC];
	struct ims_rec r;
};

/*
 * Parse --accounts: name=account pairs split by commas, the names
 * inventory, grni, cogs and shrinkage.  NULL when it is good, else what
 * is wrong.  acc[] points into spec, which the call changes.
 */
const char *
ims_gl_accounts(char *spec, const char *acc[4])
{
	char *p, *save = NULL;

	for (int i = 0; i < NACC; i++)
		acc[i] = acc_default[i];
	for (p = strtok_r(spec, ",", &save); p;
	    p = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(p, '=');
		int i;
		if (!eq || eq[1] == '\0')
			return "name=account pairs, split by commas";
		*eq = '\0';
		for (i = 0; i < NACC && strcmp(p, acc_names[i]); i++)
			;
		if (i == NACC)
			return "the names are inventory, grni, cogs and "
			    "shrinkage";
		acc[i] = eq + 1;
	}
	return NULL;
}

/* The inventory account of loc: one, or one a site (its first part). */
static const char *
inventory(struct gl *g, const char *loc, char *buf, size_t n)
{
	const char *slash;

	if (!g->by_site)
		return g->acc[ACC_INVENTORY];
	slash = strchr(loc, '/');
	snprintf(buf, n, "%s:%.*s", g->acc[ACC_INVENTORY],
	    (int)(slash ? slash - loc : (ptrdiff_t)strlen(loc)), loc);
	return buf;
}

static void
gl_line(struct gl *g, const struct ims_cost_flow *fl, const char *account,
    int debit)
{
	char b[IMS_TIME_BUF], memo[3 * IMS_ID_MAX + 64], q[IMS_DEC_BUF];
	const struct ims_entry *e = fl->e;

	ims_rec_reset(&g->r);
	ims_rec_adds(&g->r, "date", ims_date_fmt(e->ts, b));
	ims_rec_adds(&g->r, "account", account);
	ims_rec_addw(&g->r, "debit", debit ? fl->value : 0, IMS_MONEY);
	ims_rec_addw(&g->r, "credit", debit ? 0 : fl->value, IMS_MONEY);
	snprintf(memo, sizeof memo, "%s %s %s %s>%s",
	    (const char *[]){ "receive", "ship", "move", "adjust", "scrap",
	    "return", "return to supplier" }[fl->type], e->sku,
	    ims_dec_fmt(e->qty, IMS_QTY, q), e->from, e->to);
	ims_rec_adds(&g->r, "memo", memo);
	snprintf(b, sizeof b, "%llu", (unsigned long long)e->seq);
	ims_rec_add(&g->r, "reference", b, strlen(b), IMS_F_STR);
	ims_out_rec(g->o, &g->r);
}

/* A movement's two lines: the account debited, the one credited. */
static int
gl_entry(void *arg, const struct ims_cost_flow *fl)
{
	struct gl *g = arg;
	char fb[IMS_KEY_MAX], tb[IMS_KEY_MAX];
	const char *dr, *cr, *from = fl->from ? inventory(g, fl->from->loc,
	    fb, sizeof fb) : NULL, *to = fl->to ? inventory(g, fl->to->loc,
	    tb, sizeof tb) : NULL;

	if (fl->value == 0)
		return IMS_OK;
	switch (fl->type) {
	case IMS_FLOW_RECEIVE: dr = to, cr = g->acc[ACC_GRNI]; break;
	case IMS_FLOW_VENDOR: dr = g->acc[ACC_GRNI], cr = from; break;
	case IMS_FLOW_SHIP: dr = g->acc[ACC_COGS], cr = from; break;
	case IMS_FLOW_RETURN: dr = to, cr = g->acc[ACC_COGS]; break;
	case IMS_FLOW_TRANSFER:
		if (strcmp(from, to) == 0)
			return IMS_OK;
		dr = to, cr = from;
		break;
	default:
		dr = to ? to : g->acc[ACC_SHRINKAGE];
		cr = from ? from : g->acc[ACC_SHRINKAGE];
	}
	gl_line(g, fl, dr, 1);
	gl_line(g, fl, cr, 0);
	return IMS_OK;
}

/* The inventory side of the books, a debit and a credit line for each
 * movement between --since and --until that moved value. */
int
ims_report_gl(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a)
{
	struct gl g = { .o = o, .by_site = a->by_site };
	struct ims_cost_opts co = { a->method, a->f.sku, 0, a->f.since,
		gl_entry, &g };
	struct ims_costs *c = NULL;
	const char *why;
	int rc;

	if (!(g.spec = strdup(a->accounts ? a->accounts : "")))
		oom();
	if ((why = ims_gl_accounts(g.spec, g.acc)))
		rc = ims_seterr(IMS_EREJECT, "--accounts: %s", why);
	else if ((rc = start(t, a, &co.until)) == IMS_OK)
		rc = ims_costs_run(t, &co, &c);
	ims_costs_free(c);
	ims_rec_free(&g.r);
	free(g.spec);
	return rc;
}
