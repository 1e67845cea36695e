/*
 * abc.c: ABC classes by consumption value.  Every item's quantity
 * shipped to @customer over a period, valued at the item's unit_cost,
 * ranked from the largest value down; the ranking cut where the
 * cumulative share of the whole passes cut_a and cut_b percent.
 * Scrap is not consumption here: what spoils is not demand, and would
 * raise the class of the items that spoil most.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

struct abc_item {
	const char *sku;	/* the map's own copy of the key */
	ims_dec unit_cost;
	ims_wide qty, value;
};

struct abc {
	struct ims_map *items;	/* sku -> struct abc_item */
	struct ims_rec rec;
	ims_time since, until;
};

static struct abc_item *
item_slot(struct abc *a, const char *sku)
{
	int isnew;
	void **slot = ims_map_slot(a->items, sku, &isnew);

	if (isnew && !(*slot = calloc(1, sizeof(struct abc_item)))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	return *slot;
}

/* An item of the items table: its sku and unit_cost (none: 0). */
static int
take_item(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct abc *a = arg;
	const struct ims_field *f;
	struct abc_item *it;

	if (k->n < 2 || ((const char *)k->p)[k->n - 1] != '\0')
		return ims_damaged("an item key without its end");
	if (ims_rec_json(&a->rec, v->p, v->n) != 0)
		return ims_damaged("item %s: stored record is damaged",
		    ims_q(k->p));
	it = item_slot(a, k->p);
	f = ims_rec_field(&a->rec, "unit_cost");
	if (f && f->type == IMS_F_NUM &&
	    ims_dec_parse(f->val, f->len, IMS_MONEY, &it->unit_cost))
		return ims_damaged("item %s: unit_cost %s", ims_q(k->p),
		    ims_q(f->val));
	return IMS_OK;
}

/* A movement to @customer within the period adds to its sku. */
static int
take_entry(void *arg, const struct ims_entry *e)
{
	struct abc *a = arg;

	if (e->kind != IMS_KIND_MOVE || strcmp(e->to, "@customer") != 0 ||
	    (a->since != IMS_TIME_NONE && e->ts < a->since) ||
	    (a->until != IMS_TIME_NONE && e->ts > a->until))
		return IMS_OK;
	item_slot(a, e->sku)->qty += e->qty;
	return IMS_OK;
}

/* qty (3 places) times cost (4 places), rounded half away from zero to
 * 4 places, as ims_value rounds one movement. */
static int
value_of(struct abc_item *it)
{
	ims_wide p, q, rem;

	if (__builtin_mul_overflow(it->qty, (ims_wide)it->unit_cost, &p))
		return ims_seterr(IMS_EREJECT, "%s: the value consumed does "
		    "not fit", ims_q(it->sku));
	q = p / 1000;
	rem = p % 1000;
	if (rem >= 500)
		q++;
	else if (rem <= -500)
		q--;
	it->value = q;
	return IMS_OK;
}

/* Largest value first; equal values by sku. */
static int
by_value(const void *x, const void *y)
{
	const struct abc_item *a = *(struct abc_item *const *)x;
	const struct abc_item *b = *(struct abc_item *const *)y;

	if (a->value != b->value)
		return a->value > b->value ? -1 : 1;
	return strcmp(a->sku, b->sku);
}

/* The items, valued and ranked; *total their sum. */
static struct abc_item **
ranked(struct abc *a, ims_wide *total, int *rc)
{
	size_t n = ims_map_count(a->items), it = 0, i = 0;
	struct abc_item **v = calloc(n + 1, sizeof *v);
	const char *key;
	void *val;

	if (!v) {
		*rc = ims_seterr(IMS_ESTORE, "out of memory");
		return NULL;
	}
	*total = 0;
	while (ims_map_each(a->items, &it, &key, &val)) {
		v[i] = val;
		v[i]->sku = key;
		if ((*rc = value_of(v[i])))
			break;
		*total += v[i++]->value;
	}
	qsort(v, i, sizeof *v, by_value);
	return v;
}

/* A class by where the sku's slice of the curve starts: below cut_a
 * percent of the total is A, below cut_b is B; no consumption is C. */
static char
class_of(ims_wide before, ims_wide value, ims_wide total, int cut_a,
    int cut_b)
{
	if (value <= 0 || total <= 0)
		return 'C';
	if (before * 100 < (ims_wide)cut_a * total)
		return 'A';
	if (before * 100 < (ims_wide)cut_b * total)
		return 'B';
	return 'C';
}

static int
classify(struct abc *a, int cut_a, int cut_b, ims_abc_fn *fn, void *arg)
{
	size_t n = ims_map_count(a->items);
	struct ims_abc_row r;
	struct abc_item **v;
	ims_wide total, cum = 0;
	int rc = IMS_OK;

	if (!(v = ranked(a, &total, &rc)) || rc) {
		free(v);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		r.sku = v[i]->sku;
		r.value = v[i]->value;
		r.cls = class_of(cum, r.value, total, cut_a, cut_b);
		r.cum = cum += r.value;
		r.qty = v[i]->qty;
		r.total = total;
		if ((rc = fn(arg, &r)))
			break;
	}
	free(v);
	return rc == IMS_STOP ? IMS_OK : rc;
}

/*
 * ABC classes of every item by its consumption value between since and
 * until (IMS_TIME_NONE: open), calling fn once per sku, the largest
 * value first, equal values by sku.  cut_a and cut_b: cumulative
 * percentages, 0 <= cut_a <= cut_b <= 100 (80 and 95 by custom).
 */
int
ims_abc(struct ims_txn *t, ims_time since, ims_time until, int cut_a,
    int cut_b, ims_abc_fn *fn, void *arg)
{
	struct abc a = { .since = since, .until = until };
	uint64_t last;
	int rc;

	if (cut_a < 0 || cut_a > cut_b || cut_b > 100)
		return ims_seterr(IMS_EREJECT, "ABC cut-offs %d and %d: want "
		    "0 <= A <= B <= 100", cut_a, cut_b);
	if (!(a.items = ims_map_new()))
		return ims_seterr(IMS_ESTORE, "out of memory");
	if (!(rc = ims_each_row(t, IMS_DB_ITEMS, NULL, take_item, &a)) &&
	    !(rc = ims_journal_last(t, &last)))
		rc = ims_each_entry(t, 1, last, take_entry, &a);
	if (!rc)
		rc = classify(&a, cut_a, cut_b, fn, arg);
	ims_map_free(a.items, free);
	ims_rec_free(&a.rec);
	return rc;
}
