/*
 * tpl.c: what third-party logistics providers and multichannel sellers
 * need of the master data: barcodes (validated, unique, resolved to a
 * sku or a location), packs (an item's units of a case or a pallet,
 * converted exactly to base units), owners (the client whose stock a
 * sku is) and channels' shares.  ims_resolve_sku is the one place a
 * record's barcode, location barcode and pack are turned into what the
 * journal stores: every command that takes a sku calls it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "ims.h"
#include "check.h"


/* The GS1 symbologies whose check digit is validated, by length. */
static const char *
symbology(size_t n)
{
	return n == 12 ? "UPC-A" : n == 13 ? "EAN-13" : n == 14 ? "GTIN-14" :
	    NULL;
}

/*
 * Check a barcode; norm gets the form the barcodes table keys it by.
 * Twelve to fourteen digits are a GTIN (UPC-A, EAN-13, GTIN-14): its
 * check digit must be right, and it is keyed as fourteen digits, so that
 * a UPC-A scanned as an EAN-13 finds the same item.  Anything else is
 * text, taken as it is.
 */
int
ims_barcode_check(const char *code, char norm[IMS_ID_MAX + 1])
{
	size_t n = strlen(code);
	const char *sym = symbology(n);
	int sum = 0, want;

	if (!sym || strspn(code, "0123456789") != n) {
		snprintf(norm, IMS_ID_MAX + 1, "%s", code);
		return IMS_OK;
	}
	/* weights 3, 1, 3, ... from the digit left of the check digit */
	for (size_t i = 0; i + 1 < n; i++)
		sum += (code[n - 2 - i] - '0') * (i % 2 ? 1 : 3);
	want = (10 - sum % 10) % 10;
	if (code[n - 1] - '0' != want)
		return ims_seterr(IMS_EREJECT, "barcode %s: the %s check digit "
		    "is %d, not %c", ims_q(code), sym, want, code[n - 1]);
	snprintf(norm, IMS_ID_MAX + 1, "%0*d%s", (int)(14 - n), 0, code);
	if (n == 14)
		snprintf(norm, IMS_ID_MAX + 1, "%s", code);
	return IMS_OK;
}

static void
barcode_key(struct ims_key *k, int loc, const char *norm)
{
	ims_key_init(k);
	ims_key_str(k, loc ? "l" : "i");
	ims_key_str(k, norm);
}

/* The sku (loc: the location) whose barcode code is, in *key; a bad
 * check digit is a rejection, an unknown code IMS_ENOTFOUND. */
int
ims_barcode_find(struct ims_txn *t, int loc, const char *code,
    const char **key)
{
	char norm[IMS_ID_MAX + 1];
	struct ims_key k;
	struct ims_val v;
	int rc;

	if ((rc = ims_check_id("barcode", code)) ||
	    (rc = ims_barcode_check(code, norm)))
		return rc;
	barcode_key(&k, loc, norm);
	if ((rc = ims_get(t, IMS_DB_BARCODES, &k, &v)))
		return rc;
	if (v.n == 0 || ((const char *)v.p)[v.n - 1] != '\0')
		return ims_damaged("barcode %s: a damaged row", ims_q(code));
	*key = v.p;
	return IMS_OK;
}

/* Is the record's barcode free, or already its own? */
int
ims_barcode_unique(struct ims_txn *t, int loc, const char *key,
    const struct ims_rec *rec)
{
	const char *code = ims_rec_str(rec, "barcode"), *have;
	int rc;

	if (!code)
		return IMS_OK;
	if ((rc = ims_barcode_find(t, loc, code, &have)) == IMS_ENOTFOUND)
		return IMS_OK;
	if (rc)
		return rc;
	if (strcmp(have, key) == 0)
		return IMS_OK;
	return ims_seterr(IMS_EREJECT, "barcode %s is %s %s's already",
	    ims_q(code), loc ? "location" : "sku", ims_q(have));
}

/* The barcode a stored record's JSON gives, normalised, or "". */
static void
json_barcode(const char *json, size_t n, char norm[IMS_ID_MAX + 1])
{
	static struct ims_rec r;
	const char *code;

	norm[0] = '\0';
	if (!json || !n)
		return;
	ims_rec_reset(&r);
	if (ims_rec_json(&r, json, n) != 0 ||
	    !(code = ims_rec_str(&r, "barcode")) ||
	    ims_barcode_check(code, norm) != IMS_OK)
		norm[0] = '\0';
}

/* A record of key changes from old to new: its barcode row follows. */
int
ims_barcode_index(struct ims_txn *t, int loc, const char *key,
    const char *oldjson, size_t oldn, const char *newjson, size_t newn)
{
	char was[IMS_ID_MAX + 1], now[IMS_ID_MAX + 1];
	struct ims_key k;
	int rc;

	json_barcode(oldjson, oldn, was);
	json_barcode(newjson, newn, now);
	if (strcmp(was, now) == 0)
		return IMS_OK;
	barcode_key(&k, loc, was);
	if (*was && (rc = ims_del(t, IMS_DB_BARCODES, &k)) &&
	    rc != IMS_ENOTFOUND)
		return rc;
	if (!*now)
		return IMS_OK;
	barcode_key(&k, loc, now);
	return ims_put(t, IMS_DB_BARCODES, &k, key, strlen(key) + 1, 0);
}

struct adopt {
	struct ims_txn *t;
	int loc;
};

static int
adopt_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct adopt *a = arg;

	return ims_barcode_index(a->t, a->loc, k->p, NULL, 0, v->p, v->n);
}

/*
 * A store written before there was a barcodes table has items and
 * locations with barcodes and no rows for them: the first write to it
 * makes them, from the records as stored, once (META "barcodes" says it
 * is done), so that no barcode is misread as unknown.
 */
int
ims_barcodes_adopt(struct ims_txn *t)
{
	struct adopt a = { t, 0 };
	struct ims_key k;
	struct ims_val v;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, "barcodes");
	if ((rc = ims_get(t, IMS_DB_META, &k, &v)) != IMS_ENOTFOUND)
		return rc;
	if ((rc = ims_each_row(t, IMS_DB_ITEMS, NULL, adopt_row, &a)))
		return rc;
	a.loc = 1;
	if ((rc = ims_each_row(t, IMS_DB_LOCATIONS, NULL, adopt_row, &a)))
		return rc;
	return ims_put(t, IMS_DB_META, &k, "1", 1, 0);
}

/* What the barcodes table should hold, from the master records. */
static void
want_barcodes(struct ims_map *want, struct ims_map *recs, int loc,
    ims_diff_fn *diff, void *arg)
{
	char norm[IMS_ID_MAX + 1], k[IMS_ID_MAX + 4];
	const char *key;
	void *json, **slot;
	size_t it = 0;
	int isnew;

	while (ims_map_each(recs, &it, &key, &json)) {
		json_barcode(json, strlen(json), norm);
		if (!*norm)
			continue;
		snprintf(k, sizeof k, "%c\x1f%s", loc ? 'l' : 'i', norm);
		slot = ims_map_slot(want, k, &isnew);
		if (!isnew)
			diff(arg, "barcodes", k, "shared", "unique");
		*slot = (void *)key;
	}
}

struct bc_rows {
	struct ims_map *want, *seen;
	ims_diff_fn *diff;
	void *arg;
};

static int
barcode_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct bc_rows *r = arg;
	char key[IMS_KEY_MAX + 1];
	const char *want;
	int isnew;
	size_t i;

	for (i = 0; i + 1 < k->n && i + 1 < sizeof key; i++)
		key[i] = ((const char *)k->p)[i] ? ((const char *)k->p)[i] :
		    '\x1f';
	key[i] = '\0';
	*ims_map_slot(r->seen, key, &isnew) = r;
	want = ims_map_get(r->want, key);
	if (!want)
		r->diff(r->arg, "barcodes", key, "stored", "no record has it");
	else if (v->n != strlen(want) + 1 || memcmp(v->p, want, v->n) != 0)
		r->diff(r->arg, "barcodes", key, "another key", want);
	return IMS_OK;
}

/* The barcodes table against the latest item and location records. */
int
ims_check_barcodes(struct ims_txn *t, struct ims_map *items,
    struct ims_map *locs, ims_diff_fn *diff, void *arg)
{
	struct bc_rows r = { ims_map_new(), ims_map_new(), diff, arg };
	const char *key;
	void *val;
	size_t it = 0;
	int rc;
	struct ims_key k;
	struct ims_val v;

	if (!r.want || !r.seen)
		return ims_seterr(IMS_ESTORE, "out of memory");
	/* a store no write has adopted yet has no barcodes table to check */
	ims_key_init(&k);
	ims_key_str(&k, "barcodes");
	if ((rc = ims_get(t, IMS_DB_META, &k, &v)) == IMS_ENOTFOUND)
		items = locs = NULL;
	else if (rc)
		return rc;
	if (items)
		want_barcodes(r.want, items, 0, diff, arg);
	if (locs)
		want_barcodes(r.want, locs, 1, diff, arg);
	rc = ims_each_row(t, IMS_DB_BARCODES, NULL, barcode_row, &r);
	while (!rc && ims_map_each(r.want, &it, &key, &val))
		if (!ims_map_get(r.seen, key))
			diff(arg, "barcodes", key, "missing", val);
	ims_map_free(r.want, NULL);
	ims_map_free(r.seen, NULL);
	return rc;
}

/* Units that are measures, not counts: an item in one of these may
 * hold part of a unit; any other base unit (ea, pc, box...) is whole. */
static const char *const measures[] = { "kg", "g", "mg", "t", "lb", "oz",
	"l", "ml", "cl", "dl", "m", "cm", "mm", "km", "ft", "in", "yd",
	"m2", "m3", "ft2", "ft3", "gal", NULL };

int
ims_unit_whole(const char *uom)
{
	for (int i = 0; uom && measures[i]; i++)
		if (strcasecmp(uom, measures[i]) == 0)
			return 0;
	return 1;
}

/* One pack into the normalised object, checked. */
static int
add_pack(struct ims_buf *b, struct ims_map *seen, const char *name,
    size_t n, const char *qty, size_t qn)
{
	char s[IMS_ID_MAX + 1];
	const char *why;
	ims_dec q;
	int rc, isnew;

	if (n == 0 || n > IMS_ID_MAX)
		return ims_seterr(IMS_EREJECT, "packs: a name is empty or too "
		    "long");
	memcpy(s, name, n);
	s[n] = '\0';
	if ((rc = ims_check_id("packs: name", s)))
		return rc;
	if ((why = ims_dec_parse(qty, qn, IMS_QTY, &q)))
		return ims_seterr(IMS_EREJECT, "packs: quantity of %s: %s",
		    ims_q(s), why);
	if (q <= 0)
		return ims_seterr(IMS_EREJECT, "packs: %s must hold a positive "
		    "quantity of base units, not %s", ims_q(s), ims_fmtq(q));
	ims_map_slot(seen, s, &isnew);
	if (!isnew)
		return ims_seterr(IMS_EREJECT, "packs: %s given twice",
		    ims_q(s));
	ims_buf_addc(b, b->n ? ',' : '{');
	ims_buf_json_str(b, s, n);
	ims_buf_addc(b, ':');
	ims_buf_adds(b, ims_fmtq(q));
	return IMS_OK;
}

struct pack_arg {
	struct ims_buf *b;
	struct ims_map *seen;
};

/* One part of the text form, for CSV: "case:12,pallet:480". */
static int
pack_pair(void *arg, const char *name, size_t n, const char *qty, size_t qn)
{
	struct pack_arg *a = arg;

	return add_pack(a->b, a->seen, name, n, qty, qn);
}

/* The JSON form: {"case":12,"pallet":480}. */
static int
packs_object(const char *s, size_t n, struct ims_buf *b,
    struct ims_map *seen)
{
	cJSON *o = cJSON_ParseWithLength(s, n), *c;
	int rc = IMS_OK;

	if (!cJSON_IsObject(o))
		rc = ims_seterr(IMS_EREJECT, "packs must be an object "
		    "{\"case\":12} or NAME:QTY,...");
	for (c = o ? o->child : NULL; !rc && c; c = c->next) {
		char *printed = NULL;
		const char *q = cJSON_IsString(c) ? c->valuestring :
		    cJSON_IsNumber(c) ? (printed = cJSON_PrintUnformatted(c)) :
		    NULL;

		rc = !q ? ims_seterr(IMS_EREJECT, "packs: %s must be a number",
		    ims_q(c->string)) : add_pack(b, seen, c->string,
		    strlen(c->string), q, strlen(q));
		cJSON_free(printed);
	}
	cJSON_Delete(o);
	return rc;
}

/* An item's packs, checked, into b as a JSON object. */
int
ims_packs_parse(const struct ims_field *f, struct ims_buf *b)
{
	struct ims_map *seen = ims_map_new();
	int rc;

	if (!seen)
		return ims_seterr(IMS_ESTORE, "out of memory");
	b->n = 0;
	if (f->val[0] == '{')
		rc = packs_object(f->val, f->len, b, seen);
	else if (f->type == IMS_F_STR)
		rc = ims_each_pair(f->val, "packs", "NAME:QTY", pack_pair,
		    &(struct pack_arg){ b, seen });
	else
		rc = ims_seterr(IMS_EREJECT, "packs must be an object "
		    "{\"case\":12} or NAME:QTY,...");
	ims_map_free(seen, NULL);
	if (!rc && b->n == 0)
		rc = ims_seterr(IMS_EREJECT, "packs: none given (empty clears "
		    "them)");
	if (!rc)
		ims_buf_addc(b, '}');
	return rc;
}

/* Call fn for each of an item's packs, with its base units. */
typedef int pack_fn(void *arg, const char *name, ims_dec per);
static int
each_pack(const struct ims_rec *item, pack_fn *fn, void *arg)
{
	const struct ims_field *f = ims_rec_field(item, "packs");
	cJSON *o, *c;
	int rc = IMS_OK;

	if (!f || f->type != IMS_F_RAW)
		return IMS_OK;
	if (!(o = cJSON_ParseWithLength(f->val, f->len)))
		return ims_damaged("an item's packs do not parse");
	for (c = o->child; !rc && c; c = c->next) {
		char *p = cJSON_PrintUnformatted(c);
		ims_dec per;

		rc = !p || ims_dec_parse(p, strlen(p), IMS_QTY, &per) ?
		    ims_damaged("an item's pack %s", ims_q(c->string)) :
		    fn(arg, c->string, per);
		cJSON_free(p);
	}
	cJSON_Delete(o);
	return rc;
}

struct find_pack {
	const char *name;
	ims_dec per;
	int found;
};

static int
find_row(void *arg, const char *name, ims_dec per)
{
	struct find_pack *f = arg;

	if (strcmp(name, f->name) != 0)
		return IMS_OK;
	f->per = per;
	f->found = 1;
	return IMS_STOP;
}

/* How many base units the item's pack holds; IMS_ENOTFOUND when it has
 * no such pack. */
int
ims_pack_qty(const struct ims_rec *item, const char *pack, ims_dec *per)
{
	struct find_pack f = { pack, 0, 0 };
	int rc = each_pack(item, find_row, &f);

	if (rc && rc != IMS_STOP)
		return rc;
	*per = f.per;
	return f.found ? IMS_OK : IMS_ENOTFOUND;
}

struct pack_check {
	const char *sku, *uom;
	int whole;
};

static int
check_pack(void *arg, const char *name, ims_dec per)
{
	struct pack_check *c = arg;

	if (c->uom && strcmp(name, c->uom) == 0)
		return ims_seterr(IMS_EREJECT, "item %s: pack %s is its base "
		    "unit", ims_q(c->sku), ims_q(name));
	if (c->whole && per % 1000 != 0)
		return ims_seterr(IMS_EREJECT, "item %s: pack %s holds %s %s: "
		    "not a whole number of base units", ims_q(c->sku),
		    ims_q(name), ims_fmtq(per), c->uom ? c->uom : "units");
	return IMS_OK;
}

/* An item's barcode is its own; its packs hold whole base units where
 * the base unit is whole; its order_pack is one of its packs. */
int
ims_item_tpl_check(struct ims_txn *t, const char *sku,
    const struct ims_rec *rec)
{
	struct pack_check c = { sku, ims_rec_str(rec, "uom"), 0 };
	const char *op = ims_rec_str(rec, "order_pack");
	ims_dec per;
	int rc;

	c.whole = ims_unit_whole(c.uom);
	if ((rc = ims_barcode_unique(t, 0, sku, rec)) ||
	    (rc = each_pack(rec, check_pack, &c)))
		return rc;
	if (op && (rc = ims_pack_qty(rec, op, &per)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "item %s: order_pack %s is not "
		    "one of its packs", ims_q(sku), ims_q(op));
	return rc;
}

struct greedy {
	const char *name[16];
	ims_dec per[16];
	int n;
};

static int
greedy_row(void *arg, const char *name, ims_dec per)
{
	struct greedy *g = arg;

	if (g->n < 16) {
		g->name[g->n] = name;
		g->per[g->n++] = per;
	}
	return IMS_OK;
}

/* A quantity in the item's packs, largest first, the rest in base
 * units: "2 case + 6 ea". */
void
ims_pack_text(const struct ims_rec *item, ims_dec qty, struct ims_buf *b)
{
	static cJSON *hold;
	struct greedy g = { .n = 0 };
	const char *uom = ims_rec_str(item, "uom");
	const struct ims_field *f = ims_rec_field(item, "packs");
	int used[16] = { 0 };

	b->n = 0;
	/* the names point into the parse: keep it until the next call */
	cJSON_Delete(hold);
	hold = NULL;
	if (f && f->type == IMS_F_RAW &&
	    (hold = cJSON_ParseWithLength(f->val, f->len)))
		for (cJSON *c = hold->child; c && g.n < 16; c = c->next) {
			char *p = cJSON_PrintUnformatted(c);
			ims_dec per;

			if (p && !ims_dec_parse(p, strlen(p), IMS_QTY, &per))
				greedy_row(&g, c->string, per);
			cJSON_free(p);
		}
	for (;;) {
		int best = -1;

		for (int i = 0; i < g.n; i++)
			if (!used[i] && (best < 0 || g.per[i] > g.per[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		if (qty < g.per[best])
			continue;
		if (b->n)
			ims_buf_adds(b, " + ");
		ims_buf_adds(b, ims_fmtq(qty / g.per[best] * 1000));
		ims_buf_addc(b, ' ');
		ims_buf_adds(b, g.name[best]);
		qty %= g.per[best];
	}
	if (qty || !b->n) {
		if (b->n)
			ims_buf_adds(b, " + ");
		ims_buf_adds(b, ims_fmtq(qty));
		ims_buf_addc(b, ' ');
		ims_buf_adds(b, uom ? uom : "units");
	}
	ims_buf_addc(b, '\0');
	b->n--;
}

/* q rounded up to a multiple of m (m > 0; q >= 0). */
ims_dec
ims_round_up(ims_dec q, ims_dec m)
{
	if (m <= 0 || q <= 0)
		return q < 0 ? 0 : q;
	return (q + m - 1) / m * m;
}

/*
 * An order quantity rounded up to the supplier's pack the item names
 * (order_pack): out gets the quantity in base units, packs the number
 * of packs (3 decimals, whole).  Without an order_pack, out is qty and
 * packs 0.
 */
int
ims_pack_round(struct ims_txn *t, const char *sku, ims_dec qty,
    ims_dec *out, ims_dec *packs)
{
	static struct ims_rec item;
	const char *op;
	ims_dec per;
	int rc;

	*out = qty, *packs = 0;
	if ((rc = ims_master_get(t, &ims_item_schema, sku, &item)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown "
		    "sku %s", ims_q(sku)) : rc;
	if (!(op = ims_rec_str(&item, "order_pack")))
		return IMS_OK;
	if ((rc = ims_pack_qty(&item, op, &per)))
		return rc == IMS_ENOTFOUND ? ims_damaged("item %s: order_pack "
		    "%s is not one of its packs", ims_q(sku), ims_q(op)) : rc;
	*out = ims_round_up(qty, per);
	*packs = *out / per * 1000;
	return IMS_OK;
}

/* The client whose stock the sku is, or NULL; unknown skus have none. */
int
ims_owner(struct ims_txn *t, const char *sku, const char **owner)
{
	static struct ims_rec item;
	int rc;

	*owner = NULL;
	if ((rc = ims_master_get(t, &ims_item_schema, sku, &item)))
		return rc == IMS_ENOTFOUND ? IMS_OK : rc;
	*owner = ims_rec_str(&item, "owner");
	return IMS_OK;
}

/* Is the sku the client's?  For readers: each sku's owner is looked up
 * once a process. */
int
ims_owned(struct ims_txn *t, const char *sku, const char *client)
{
	static struct ims_map *cache;
	const char *owner;
	void **slot;
	int isnew;

	if (!client)
		return 1;
	if (!cache && !(cache = ims_map_new()))
		return 0;
	slot = ims_map_slot(cache, sku, &isnew);
	if (isnew) {
		if (ims_owner(t, sku, &owner) != IMS_OK)
			owner = NULL;
		*slot = strdup(owner ? owner : "");
	}
	return *slot && strcmp(*slot, client) == 0;
}

struct shares {
	const char *id;
	ims_wide sum;
	struct ims_rec rec;
};

static int
share_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct shares *s = arg;
	const char *sh;
	ims_dec d;

	if (strcmp(k->p, s->id) == 0)
		return IMS_OK;
	ims_rec_reset(&s->rec);
	if (ims_rec_json(&s->rec, v->p, v->n) != 0)
		return ims_damaged("channel %s does not parse", ims_q(k->p));
	if ((sh = ims_rec_str(&s->rec, "share")) &&
	    !ims_dec_parse(sh, strlen(sh), IMS_QTY, &d))
		s->sum += d;
	return IMS_OK;
}

/* A channel's share is a percentage; the shares of every channel, this
 * one's as rec gives it, add up to 100% at most. */
int
ims_check_shares(struct ims_txn *t, const char *id,
    const struct ims_rec *rec)
{
	struct shares s = { id, 0, { 0 } };
	const char *sh = ims_rec_str(rec, "share");
	const char *sc = ims_rec_str(rec, "sku_column");
	const char *qc = ims_rec_str(rec, "qty_column");
	char b[IMS_DEC128_BUF];
	ims_dec d = 0;
	int rc;

	if (sc && qc && strcmp(sc, qc) == 0)
		return ims_seterr(IMS_EREJECT, "channel %s: sku_column and "
		    "qty_column are both %s", ims_q(id), ims_q(sc));
	if (sh && ims_dec_parse(sh, strlen(sh), IMS_QTY, &d) == NULL &&
	    d > 100000)
		return ims_seterr(IMS_EREJECT, "channel %s: share %s%% is over "
		    "100%%", ims_q(id), ims_fmtq(d));
	if (!sh)
		return IMS_OK;
	rc = ims_each_row(t, IMS_DB_CHANNELS, NULL, share_row, &s);
	ims_rec_free(&s.rec);
	if (rc)
		return rc;
	if (s.sum + d > 100000)
		return ims_seterr(IMS_EREJECT, "channel %s: the shares of all "
		    "channels would add up to %s%%, over 100%%", ims_q(id),
		    ims_wide_fmt(s.sum + d, IMS_QTY, b));
	return IMS_OK;
}

/* Resolving a record: the names a scanner or a channel's file gives,
 * and the field each stands for. */
static const struct {
	const char *given, *field;
	int loc;
} aliases[] = {
	{ "barcode", "sku", 0 },
	{ "location_barcode", "location", 1 },
	{ "from_barcode", "from", 1 },
	{ "to_barcode", "to", 1 },
};
#define NALIAS (sizeof aliases / sizeof *aliases)

/* The key a barcode field stands for, checked against the field it
 * stands for when the record gives that too. */
static int
resolve_alias(struct ims_txn *t, const struct ims_rec *in, size_t a,
    const char **key)
{
	const struct ims_field *f = ims_rec_field(in, aliases[a].given);
	const char *given = ims_rec_str(in, aliases[a].field);
	int rc;

	*key = NULL;
	if (!f || f->type == IMS_F_NULL || f->len == 0)
		return IMS_OK;
	if (f->type != IMS_F_STR && f->type != IMS_F_NUM)
		return ims_seterr(IMS_EREJECT, "%s must be a string",
		    aliases[a].given);
	rc = ims_barcode_find(t, aliases[a].loc, f->val, key);
	if (rc == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "%s %s: no %s has it",
		    aliases[a].given, ims_q(f->val), aliases[a].loc ?
		    "location" : "item");
	if (rc)
		return rc;
	if (given && *given && strcmp(given, *key) != 0)
		return ims_seterr(IMS_EREJECT, "%s %s is %s %s, not %s",
		    aliases[a].given, ims_q(f->val), aliases[a].field,
		    ims_q(*key), ims_q(given));
	return IMS_OK;
}

/* The record's quantity in base units, from a quantity in the pack its
 * uom names. */
static int
convert(struct ims_txn *t, const char *sku, const char *uom,
    const struct ims_field *q, ims_dec *base)
{
	static struct ims_rec item;
	const char *why, *unit;
	ims_dec v, per;
	int rc;

	if (!sku)
		return ims_seterr(IMS_EREJECT, "uom %s: of which sku?",
		    ims_q(uom));
	if ((rc = ims_master_get(t, &ims_item_schema, sku, &item)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT, "unknown "
		    "sku %s", ims_q(sku)) : rc;
	unit = ims_rec_str(&item, "uom");
	if ((rc = ims_pack_qty(&item, uom, &per)) == IMS_ENOTFOUND)
		return unit && strcmp(unit, uom) == 0 ? IMS_ENOTFOUND :
		    ims_seterr(IMS_EREJECT, "unknown pack %s of sku %s (its "
		    "unit is %s)", ims_q(uom), ims_q(sku), unit ? ims_q(unit) :
		    "not named");
	if (rc)
		return rc;
	if (!q || q->type == IMS_F_NULL || !q->len)
		return IMS_ENOTFOUND;
	if ((why = ims_dec_parse(q->val, q->len, IMS_QTY, &v)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", q->name,
		    ims_q(q->val), why);
	/* the product of two quantities is exact at six places */
	if (ims_dec_mul(v, IMS_QTY, per, IMS_QTY, 2 * IMS_QTY, base) ||
	    *base % 1000 != 0)
		return ims_seterr(IMS_EREJECT, "%s %s %s of sku %s is more "
		    "than the store holds, or not exact in base units",
		    q->name, ims_fmtq(v), ims_q(uom), ims_q(sku));
	*base /= 1000;
	if (ims_unit_whole(unit) && *base % 1000 != 0)
		return ims_seterr(IMS_EREJECT, "%s %s %s of sku %s is %s %s: "
		    "not a whole number", q->name, ims_fmtq(v), ims_q(uom),
		    ims_q(sku), ims_fmtq(*base), unit ? unit : "units");
	return IMS_OK;
}

/*
 * Resolve what a record names by barcode or in packs: barcode becomes
 * sku, location_barcode location (from_barcode from, to_barcode to),
 * and with uom naming one of the item's packs, the quantity field qty
 * (qty, counted...) becomes base units.  *out is in itself when there is
 * nothing to resolve, else a record (valid until the next call) without
 * those fields: the journal stores skus, locations and base units.
 */
int
ims_resolve_sku(struct ims_txn *t, const struct ims_rec *in,
    const char *qty, const struct ims_rec **out)
{
	static struct ims_rec r;
	const char *key[NALIAS], *uom = ims_rec_str(in, "uom"), *sku;
	ims_dec base = 0;
	int rc, conv = 0, any = uom != NULL;

	*out = in;
	for (size_t a = 0; a < NALIAS; a++) {
		if ((rc = resolve_alias(t, in, a, &key[a])))
			return rc;
		any |= key[a] != NULL;
	}
	if (!any)
		return IMS_OK;
	sku = key[0] ? key[0] : ims_rec_str(in, "sku");
	if (uom && *uom) {
		rc = convert(t, sku, uom, ims_rec_field(in, qty), &base);
		if (rc && rc != IMS_ENOTFOUND)
			return rc;
		conv = rc == IMS_OK;
	}
	ims_rec_reset(&r);
	r.file = in->file, r.line = in->line;
	for (size_t i = 0; i < in->nf; i++) {
		const struct ims_field *f = &in->f[i];
		int skip = strcmp(f->name, "uom") == 0;

		for (size_t a = 0; a < NALIAS && !skip; a++)
			skip = (strcmp(f->name, aliases[a].given) == 0 &&
			    key[a]) || (strcmp(f->name, aliases[a].field) ==
			    0 && key[a]);
		if (conv && strcmp(f->name, qty) == 0)
			ims_rec_addn(&r, qty, base, IMS_QTY);
		else if (!skip)
			ims_rec_add(&r, f->name, f->val, f->len, f->type);
	}
	for (size_t a = 0; a < NALIAS; a++)
		if (key[a])
			ims_rec_adds(&r, aliases[a].field, key[a]);
	*out = &r;
	return IMS_OK;
}
