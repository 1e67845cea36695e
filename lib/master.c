/*
 * master.c: master data (items, locations, suppliers), three kinds of
 * journal entry.  One schema per kind; a record is merged field by field
 * over the stored one, unknown fields kept, and the merged record is
 * posted as an entry; its table is the projection of those entries: the
 * record the latest entry for its key holds.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

static const struct ims_fspec item_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "uom", IMS_K_STR, NULL },
	{ "barcode", IMS_K_BARCODE, NULL },
	{ "unit_cost", IMS_K_MONEY, NULL },
	{ "price", IMS_K_MONEY, NULL },
	{ "supplier", IMS_K_REF, "supplier" },
	{ "lead_time_days", IMS_K_INT, "1..3650" },
	{ "min", IMS_K_QTY, NULL },
	{ "max", IMS_K_QTY, NULL },
	{ "reorder_point", IMS_K_QTY, NULL },
	{ "safety_stock", IMS_K_QTY, NULL },
	{ "moq", IMS_K_QTY, NULL },
	{ "order_multiple", IMS_K_QTY, NULL },
	{ "order_cost", IMS_K_MONEY, NULL },
	{ "holding_rate", IMS_K_RATE, NULL },
	{ "track", IMS_K_ENUM, "none|lot|serial" },
	{ "shelf_life_days", IMS_K_INT, "0..36500" },
	{ "criticality", IMS_K_ENUM, "V|E|D" },
	{ "min_shelf_days", IMS_K_INT, "0..36500" },
	{ "receipt_tolerance", IMS_K_RATE, NULL },
	{ "components", IMS_K_KIT, NULL },
	{ "owner", IMS_K_REF, "client" },
	{ "packs", IMS_K_PACKS, NULL },
	{ "order_pack", IMS_K_STR, NULL },
	{ "volume", IMS_K_VOL, NULL },
	{ "pallets", IMS_K_VOL, NULL },
	{ NULL, 0, NULL }
};
static const char *const item_cols[] = { "sku", "name", "uom", "barcode",
	"unit_cost", "price", "supplier", "lead_time_days", "min", "max",
	"reorder_point", "safety_stock", "moq", "order_multiple",
	"order_cost", "holding_rate", "track", "shelf_life_days",
	"criticality", "owner", "order_pack", "volume", "pallets", NULL };

static const struct ims_fspec loc_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "type", IMS_K_ENUM, "internal|transit" },
	{ "pick_seq", IMS_K_INT, "0..999999999" },
	{ "barcode", IMS_K_BARCODE, NULL },
	{ NULL, 0, NULL }
};
static const char *const loc_cols[] = { "code", "name", "type", NULL };

static const struct ims_fspec supplier_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "lead_time_days", IMS_K_INT, "1..3650" },
	{ "contact", IMS_K_STR, NULL },
	{ NULL, 0, NULL }
};
static const char *const supplier_cols[] = { "id", "name",
	"lead_time_days", "contact", NULL };

/* A 3PL's client, the owner of items, and what it is billed per unit
 * of each service. */
static const struct ims_fspec client_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "contact", IMS_K_STR, NULL },
	{ "rate_unit_day", IMS_K_MONEY, NULL },
	{ "rate_m3_day", IMS_K_MONEY, NULL },
	{ "rate_pallet_day", IMS_K_MONEY, NULL },
	{ "rate_receipt_unit", IMS_K_MONEY, NULL },
	{ "rate_order", IMS_K_MONEY, NULL },
	{ "rate_line", IMS_K_MONEY, NULL },
	{ "rate_ship_unit", IMS_K_MONEY, NULL },
	{ NULL, 0, NULL }
};
static const char *const client_cols[] = { "id", "name", "contact",
	"rate_unit_day", "rate_m3_day", "rate_pallet_day",
	"rate_receipt_unit", "rate_order", "rate_line", "rate_ship_unit",
	NULL };

/* A sales channel: what it may sell of the stock available. */
static const struct ims_fspec channel_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "client", IMS_K_REF, "client" },
	{ "buffer", IMS_K_QTY, NULL },
	{ "share", IMS_K_QTY, NULL },
	{ "cap", IMS_K_QTY, NULL },
	{ "sku_column", IMS_K_STR, NULL },
	{ "qty_column", IMS_K_STR, NULL },
	{ NULL, 0, NULL }
};
static const char *const channel_cols[] = { "id", "name", "client",
	"buffer", "share", "cap", "sku_column", "qty_column", NULL };

static int check_item(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *);
static int check_order_rules(const char *, const struct ims_rec *);
static int check_kit(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *, const char *);
static int check_owner(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *);
static int check_loc(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *);
static int check_channel(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *);

const struct ims_schema ims_item_schema = { "item",
	"Add or update items (SKUs) from records, or list them.",
	"sku", IMS_DB_ITEMS, IMS_KIND_ITEM, item_fields, item_cols,
	check_item };
const struct ims_schema ims_loc_schema = { "location",
	"Add or update locations from records, or list them.",
	"code", IMS_DB_LOCATIONS, IMS_KIND_LOCATION, loc_fields, loc_cols,
	check_loc };
const struct ims_schema ims_supplier_schema = { "supplier",
	"Add or update suppliers from records, or list them.",
	"id", IMS_DB_SUPPLIERS, IMS_KIND_SUPPLIER, supplier_fields,
	supplier_cols, NULL };
const struct ims_schema ims_client_schema = { "client",
	"Add or update clients (the owners of items, and their billing "
	"rates) from records, or list them.",
	"id", IMS_DB_CLIENTS, IMS_KIND_CLIENT, client_fields, client_cols,
	NULL };
const struct ims_schema ims_channel_schema = { "channel",
	"Add or update sales channels (a buffer, a share or a cap of the "
	"stock available) from records, or list them.",
	"id", IMS_DB_CHANNELS, IMS_KIND_CHANNEL, channel_fields,
	channel_cols, check_channel };

/* The schema of a master kind of entry, or NULL. */
const struct ims_schema *
ims_master_schema(int kind)
{
	static const struct ims_schema *const all[] = { &ims_item_schema,
		&ims_loc_schema, &ims_supplier_schema, &ims_client_schema,
		&ims_channel_schema };

	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (all[i]->kind == kind)
			return all[i];
	return NULL;
}

/* An identifier (sku, location, lot, ref...): not empty, not too long for
 * a key, no control characters (C0, DEL or C1). */
int
ims_check_id(const char *what, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return ims_seterr(IMS_EREJECT, "%s is empty", what);
	if (n > IMS_ID_MAX)
		return ims_seterr(IMS_EREJECT, "%s is longer than %d bytes",
		    what, IMS_ID_MAX);
	if (ims_ctl_find(s, n) < n)
		return ims_seterr(IMS_EREJECT,
		    "%s %s has a control character", what, ims_q(s));
	return IMS_OK;
}

static int
enum_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = choices; p; p = strchr(p, '|')) {
		if (*p == '|')
			p++;
		if (strncmp(p, v, n) == 0 && (p[n] == '|' || !p[n]))
			return 1;
	}
	return 0;
}

static int
ref_ok(struct ims_txn *t, const char *table, const char *v)
{
	struct ims_key k;
	struct ims_val val;
	enum ims_db db = strcmp(table, "supplier") == 0 ? IMS_DB_SUPPLIERS :
	    strcmp(table, "client") == 0 ? IMS_DB_CLIENTS : IMS_DB_ITEMS;

	ims_key_init(&k);
	ims_key_str(&k, v);
	return ims_get(t, db, &k, &val);
}

/* Is v within an integer field's range, "lo..hi"? */
static int
in_range(const char *range, int64_t v)
{
	char *end;
	long long lo = strtoll(range, &end, 10);

	return v >= lo && v <= strtoll(end + 2, NULL, 10);
}

/* Check one known field and add it to out in its stored form. */
static int
add_known(struct ims_txn *t, const struct ims_fspec *fs,
    const struct ims_field *f, struct ims_rec *out)
{
	static const int scale[] = { [IMS_K_INT] = 0, [IMS_K_QTY] = IMS_QTY,
		[IMS_K_MONEY] = IMS_MONEY, [IMS_K_RATE] = 4,
		[IMS_K_VOL] = IMS_VOL };
	const char *why;
	ims_dec v;
	int rc;

	switch (fs->kind) {
	case IMS_K_STR:
		ims_rec_adds(out, fs->name, f->val);
		return IMS_OK;
	case IMS_K_ENUM:
		if (!enum_ok(fs->arg, f->val))
			return ims_seterr(IMS_EREJECT, "%s must be one of %s, "
			    "not %s", fs->name, fs->arg, ims_q(f->val));
		ims_rec_adds(out, fs->name, f->val);
		return IMS_OK;
	case IMS_K_KIT: {
		static struct ims_buf b;

		if ((rc = ims_kit_parse(t, f, &b)))
			return rc;
		ims_rec_add(out, fs->name, b.p, b.n, IMS_F_RAW);
		return IMS_OK;
	}
	case IMS_K_BARCODE: {
		char norm[IMS_ID_MAX + 1];

		if ((rc = ims_check_id(fs->name, f->val)) ||
		    (rc = ims_barcode_check(f->val, norm)))
			return rc;
		ims_rec_adds(out, fs->name, f->val);
		return IMS_OK;
	}
	case IMS_K_PACKS: {
		static struct ims_buf b;

		if ((rc = ims_packs_parse(f, &b)))
			return rc;
		ims_rec_add(out, fs->name, b.p, b.n, IMS_F_RAW);
		return IMS_OK;
	}
	case IMS_K_REF:
		if ((rc = ref_ok(t, fs->arg, f->val)) == IMS_ENOTFOUND)
			return ims_seterr(IMS_EREJECT, "unknown %s %s",
			    fs->arg, ims_q(f->val));
		if (rc)
			return rc;
		ims_rec_adds(out, fs->name, f->val);
		return IMS_OK;
	default:
		if (f->type != IMS_F_NUM && f->type != IMS_F_STR)
			return ims_seterr(IMS_EREJECT, "%s must be a number",
			    fs->name);
		if ((why = ims_dec_parse(f->val, f->len, scale[fs->kind], &v)))
			return ims_seterr(IMS_EREJECT, "%s %s: %s", fs->name,
			    ims_q(f->val), why);
		if (v < 0)
			return ims_seterr(IMS_EREJECT, "%s must not be negative",
			    fs->name);
		if (fs->kind == IMS_K_INT && !in_range(fs->arg, v))
			return ims_seterr(IMS_EREJECT, "%s %s: out of range "
			    "(%s)", fs->name, ims_q(f->val), fs->arg);
		ims_rec_addn(out, fs->name, v, scale[fs->kind]);
		return IMS_OK;
	}
}

static const struct ims_fspec *
spec(const struct ims_schema *s, const char *name)
{
	for (const struct ims_fspec *f = s->fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void
copy_field(struct ims_rec *out, const struct ims_field *f)
{
	ims_rec_add(out, f->name, f->val, f->len, f->type);
}

/* An empty or null input field clears a stored one. */
static int
cleared(const struct ims_field *f)
{
	return f && (f->type == IMS_F_NULL || f->len == 0);
}

/* The names of in's fields as a map, when both records are big enough
 * that looking each old field up in in would be slow; else NULL. */
static struct ims_map *
field_names(const struct ims_rec *in, const struct ims_rec *old)
{
	struct ims_map *m;
	int isnew;

	if (in->nf <= 32 || old->nf <= 32)
		return NULL;
	if (!(m = ims_map_new())) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	for (size_t i = 0; i < in->nf; i++)
		*ims_map_slot(m, in->f[i].name, &isnew) = (void *)in;
	return m;
}

/*
 * Merge an input record over the stored one (if any): the key first, the
 * known fields in schema order, then unknown ones, old before new.
 */
static int
merge(struct ims_txn *t, const struct ims_schema *s, const char *key,
    const struct ims_rec *old, const struct ims_rec *in, struct ims_rec *out)
{
	struct ims_map *names;
	int rc;

	ims_rec_reset(out);
	ims_rec_adds(out, s->key, key);
	for (const struct ims_fspec *fs = s->fields; fs->name; fs++) {
		const struct ims_field *f = ims_rec_field(in, fs->name);

		if (f && !cleared(f)) {
			if ((rc = add_known(t, fs, f, out)))
				return rc;
		} else if (!f && (f = ims_rec_field(old, fs->name))) {
			copy_field(out, f);
		}
	}
	names = field_names(in, old);
	for (size_t i = 0; i < old->nf; i++) {
		const struct ims_field *f = &old->f[i];
		if (strcmp(f->name, s->key) && !spec(s, f->name) &&
		    !(names ? ims_map_get(names, f->name) != NULL :
		    ims_rec_field(in, f->name) != NULL))
			copy_field(out, f);
	}
	ims_map_free(names, NULL);
	for (size_t i = 0; i < in->nf; i++) {
		const struct ims_field *f = &in->f[i];
		if (strcmp(f->name, s->key) && !spec(s, f->name) &&
		    !cleared(f))
			copy_field(out, f);
	}
	return IMS_OK;
}

int
ims_master_get(struct ims_txn *t, const struct ims_schema *s,
    const char *key, struct ims_rec *out)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	ims_rec_reset(out);
	if (strlen(key) > IMS_ID_MAX)
		return IMS_ENOTFOUND;
	ims_key_init(&k);
	ims_key_str(&k, key);
	if ((rc = ims_get(t, s->db, &k, &v)))
		return rc;
	if (ims_rec_json(out, v.p, v.n) != 0)
		return ims_seterr(IMS_ESTORE, "%s %s: stored record is "
		    "damaged", s->what, ims_q(key));
	return IMS_OK;
}

/* Keep the barcodes table in step with the record about to be stored
 * under k. */
static int
index_barcode(struct ims_txn *t, const struct ims_schema *s,
    const struct ims_key *k, const char *key, const char *json, size_t n)
{
	static struct ims_buf was;
	struct ims_val v;
	int rc;

	was.n = 0;
	if ((rc = ims_get(t, s->db, k, &v)) == IMS_OK)
		ims_buf_add(&was, v.p, v.n);
	else if (rc != IMS_ENOTFOUND)
		return rc;
	return ims_barcode_index(t, s->kind == IMS_KIND_LOCATION, key, was.p,
	    was.n, json, n);
}

/*
 * Post a master entry for key: {"seq","ts","kind","actor",KIND:record}
 * where record is the JSON text given, then store the record as the
 * projection holds it.  want: the hash an exported entry gave.
 */
static int
post_master(struct ims_journal *j, const struct ims_schema *s,
    const char *key, ims_time ts, const char *actor, const char *json,
    size_t n, const char *want)
{
	struct ims_entry e = { .kind = s->kind, .ts = ts, .sku = key };
	struct ims_key k;
	int rc;

	ims_entry_open(j, ts);
	ims_buf_kv_str(&j->json, "kind", s->what);
	ims_buf_kv_str(&j->json, "actor", actor);
	ims_buf_addc(&j->json, ',');
	ims_buf_json_str(&j->json, s->what, strlen(s->what));
	ims_buf_addc(&j->json, ':');
	ims_buf_add(&j->json, json, n);
	if ((rc = ims_journal_append(j, &e, want)))
		return rc;
	ims_key_init(&k);
	ims_key_str(&k, key);
	ims_move_forget(j, s->kind);
	if ((s->kind == IMS_KIND_ITEM || s->kind == IMS_KIND_LOCATION) &&
	    (rc = index_barcode(j->t, s, &k, key, json, n)))
		return rc;
	return ims_put(j->t, s->db, &k, json, n, 0);
}

/* The stored record's JSON text, as the projection holds it. */
static int
stored_json(struct ims_txn *t, const struct ims_schema *s, const char *key,
    struct ims_val *v)
{
	struct ims_key k;

	ims_key_init(&k);
	ims_key_str(&k, key);
	return ims_get(t, s->db, &k, v);
}

/*
 * Insert or update one master record; merged receives what is stored.
 * A change is posted as an entry; a record that changes nothing posts
 * none, so that loading the same file every night leaves no trace.
 */
int
ims_master_upsert(struct ims_journal *j, const struct ims_schema *s,
    const struct ims_rec *in, struct ims_rec *merged)
{
	static struct ims_rec old;
	static struct ims_buf was, json;
	const char *key = ims_rec_str(in, s->key);
	struct ims_val v;
	int rc;

	if (!key)
		return ims_seterr(IMS_EREJECT, "missing field %s", s->key);
	if ((rc = ims_check_id(s->key, key)))
		return rc;
	/* the stored text, kept to see whether the merge changed it */
	was.n = 0;
	ims_rec_reset(&old);
	if ((rc = stored_json(j->t, s, key, &v)) == IMS_OK) {
		ims_buf_add(&was, v.p, v.n);
		if (ims_rec_json(&old, was.p, was.n) != 0)
			return ims_damaged("%s %s does not parse", s->what,
			    ims_q(key));
	} else if (rc != IMS_ENOTFOUND)
		return rc;
	if ((rc = merge(j->t, s, key, &old, in, merged)))
		return rc;
	if (s->check && (rc = s->check(j->t, key, &old, merged)))
		return rc;
	json.n = 0;
	ims_rec_to_json(merged, &json);
	if (old.nf && was.n == json.n && memcmp(was.p, json.p, was.n) == 0)
		return IMS_OK;
	return post_master(j, s, key, j->now, j->actor, json.p, json.n,
	    NULL);
}

/*
 * Restore an exported master entry of schema s: r is the entry as
 * ims-log printed it, e its seq, ts, actor and hash.  The record is
 * taken as the export holds it; the chain vouches for it.
 */
int
ims_master_restore(struct ims_journal *j, const struct ims_schema *s,
    const struct ims_rec *r, const struct ims_restored *e)
{
	static struct ims_rec rec;
	const struct ims_field *f = ims_rec_field(r, s->what);
	const char *key;
	int rc;

	if (!f || f->type != IMS_F_RAW || f->val[0] != '{')
		return ims_seterr(IMS_EREJECT, "restore: a %s entry without "
		    "its record", s->what);
	ims_rec_reset(&rec);
	if (ims_rec_json(&rec, f->val, f->len) != 0)
		return ims_seterr(IMS_EREJECT, "restore: %s record: %s",
		    s->what, rec.error);
	if (!(key = ims_rec_str(&rec, s->key)))
		return ims_seterr(IMS_EREJECT, "restore: %s record without %s",
		    s->what, s->key);
	if ((rc = ims_check_id(s->key, key)))
		return rc;
	return post_master(j, s, key, e->ts, e->actor, f->val, f->len,
	    e->hash);
}

/* Has anything ever moved for this sku?  Returns 0, or 1 with the
 * lot-or-serial of one of its balances in trk ("" when untracked). */
static int
has_history(struct ims_txn *t, const char *sku, struct ims_buf *trk)
{
	struct ims_cursor *c;
	struct ims_key k;
	struct ims_val key;
	int rc, found;

	if ((rc = ims_cursor_open(t, IMS_DB_HISTORY, &c)))
		return rc;
	ims_key_init(&k);
	ims_key_str(&k, sku);
	rc = ims_cursor_seek(c, &k, &key, NULL);
	found = rc == IMS_OK && key.n > k.n && memcmp(key.p, k.b, k.n) == 0;
	if (found) {
		const char *loc = (const char *)key.p + k.n;
		const char *lot = loc + strlen(loc) + 1;
		trk->n = 0;
		ims_buf_adds(trk, lot);
	}
	ims_cursor_close(c);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	return found;
}

/* Is the sku's stock kept by serial?  A serial-tracked sku's serials
 * table rows, or its history's entry, say so. */
static int
serial_history(struct ims_txn *t, const char *sku, const char *trk)
{
	struct ims_key k;
	struct ims_val v;

	ims_key_init(&k);
	ims_key_str(&k, sku);
	ims_key_str(&k, trk);
	return ims_get(t, IMS_DB_LOTS, &k, &v) == IMS_ENOTFOUND;
}

/*
 * An item's tracking is fixed by its history: once anything has moved,
 * track cannot change.  A new item record for a sku with history (a
 * restore without master data) must say what the history says.
 */
static int
check_item(struct ims_txn *t, const char *sku, const struct ims_rec *old,
    const struct ims_rec *new)
{
	static struct ims_buf trk;
	const char *was = ims_rec_str(old, "track");
	const char *now = ims_rec_str(new, "track");
	int rc;

	if (!was)
		was = "none";
	if (!now)
		now = "none";
	if ((rc = check_kit(t, sku, old, new, now)) ||
	    (rc = check_order_rules(sku, new)) ||
	    (rc = check_owner(t, sku, old, new)) ||
	    (rc = ims_item_tpl_check(t, sku, new)))
		return rc;
	if (old->nf && strcmp(was, now) == 0)
		return IMS_OK;
	if ((rc = has_history(t, sku, &trk)) <= 0)
		return rc;
	if (old->nf)
		return ims_seterr(IMS_EREJECT, "item %s has movements: its "
		    "track cannot change from %s to %s", ims_q(sku), was, now);
	was = !trk.n ? "none" : serial_history(t, sku, trk.p) ? "serial" :
	    "lot";
	if (strcmp(was, now) != 0)
		return ims_seterr(IMS_EREJECT, "item %s has movements tracked "
		    "as %s: its track cannot be %s", ims_q(sku), was, now);
	return IMS_OK;
}

/* An item's moq is a whole number of its order multiple. */
static int
check_order_rules(const char *sku, const struct ims_rec *new)
{
	const char *moq = ims_rec_str(new, "moq");
	const char *mult = ims_rec_str(new, "order_multiple");
	ims_dec a, b;

	if (!moq || !mult || ims_dec_parse(moq, strlen(moq), IMS_QTY, &a) ||
	    ims_dec_parse(mult, strlen(mult), IMS_QTY, &b) || b == 0 ||
	    a % b == 0)
		return IMS_OK;
	return ims_seterr(IMS_EREJECT, "item %s: moq %s is not a multiple of "
	    "order_multiple %s", ims_q(sku), moq, mult);
}

/* Whose stock a sku is cannot change once it has moved: the billing
 * and the stock of the two clients would both be wrong. */
static int
check_owner(struct ims_txn *t, const char *sku, const struct ims_rec *old,
    const struct ims_rec *new)
{
	static struct ims_buf trk;
	const char *was = ims_rec_str(old, "owner");
	const char *now = ims_rec_str(new, "owner");
	int rc;

	if (!old->nf || strcmp(was ? was : "", now ? now : "") == 0)
		return IMS_OK;
	if ((rc = has_history(t, sku, &trk)) <= 0)
		return rc;
	return ims_seterr(IMS_EREJECT, "item %s has movements: its owner "
	    "cannot change from %s to %s", ims_q(sku), was ? ims_q(was) :
	    "none", now ? ims_q(now) : "none");
}

/* A kit (an item with components) holds no stock and is tracked as
 * none; its components may not contain it, at any depth. */
static int
check_kit(struct ims_txn *t, const char *sku, const struct ims_rec *old,
    const struct ims_rec *new, const char *track)
{
	static struct ims_buf trk;
	const struct ims_field *f = ims_rec_field(new, "components");
	struct ims_comp comp[IMS_COMP_MAX];
	char **names;
	int rc, n, nn;

	if (!f)
		return IMS_OK;
	if (strcmp(track, "none") != 0)
		return ims_seterr(IMS_EREJECT, "item %s: a kit is tracked by "
		    "its components, not by %s", ims_q(sku), track);
	rc = ims_kit_explode(t, sku, f->val, f->len, comp, &n, &names, &nn);
	ims_kit_free(names, nn);
	if (rc)
		return rc;
	if (!ims_rec_field(old, "components") &&
	    (rc = has_history(t, sku, &trk)) != 0)
		return rc < 0 ? rc : ims_seterr(IMS_EREJECT, "item %s has "
		    "stock movements: a kit holds no stock of its own",
		    ims_q(sku));
	return IMS_OK;
}

/* A balance loop's answer "found": positive, so not an IMS_ error, and
 * not IMS_STOP, so the loop hands it back. */
enum { FOUND = IMS_STOP + 1 };

static int
stock_row(void *arg, const struct ims_balance *b)
{
	return strcmp(b->loc, arg) == 0 && b->b.on_hand != 0 ? FOUND : IMS_OK;
}

/* Does any balance at the location hold stock?  A scan of every
 * balance, but only when a location changes type, which is rare. */
static int
holds_stock(struct ims_txn *t, const char *code)
{
	int rc = ims_each_balance(t, NULL, stock_row, (void *)code);

	return rc == FOUND ? 1 : rc;
}

/* Why a location code has a segment that names no place (empty, . or
 * ..), or NULL. */
static const char *
bad_segment(const char *code)
{
	const char *p = code;
	size_t n;

	for (;; p += n + 1) {
		n = strcspn(p, "/");
		if (n == 0)
			return "an empty segment";
		if (p[0] == '.' && (n == 1 || (n == 2 && p[1] == '.')))
			return "a . or .. segment";
		if (!p[n])
			return NULL;
	}
}

/* A location code: segments joined by '/', none empty, . or .., no '@'
 * first (virtual locations are built in), no spaces.  Its type
 * (internal or transit) may change only while it holds nothing. */
static int
check_loc(struct ims_txn *t, const char *code, const struct ims_rec *old,
    const struct ims_rec *new)
{
	const char *was = ims_rec_str(old, "type");
	const char *now = ims_rec_str(new, "type");
	const char *why;
	int rc;

	if (code[0] == '@')
		return ims_seterr(IMS_EREJECT, "location %s: codes starting "
		    "with @ are reserved", ims_q(code));
	if ((why = bad_segment(code)))
		return ims_seterr(IMS_EREJECT, "location %s has %s",
		    ims_q(code), why);
	if (strpbrk(code, " \t"))
		return ims_seterr(IMS_EREJECT, "location %s has a space",
		    ims_q(code));
	if ((rc = ims_barcode_unique(t, 1, code, new)))
		return rc;
	if (!old->nf || strcmp(was ? was : "internal",
	    now ? now : "internal") == 0)
		return IMS_OK;
	if ((rc = holds_stock(t, code)) < 0)
		return rc;
	if (rc)
		return ims_seterr(IMS_EREJECT, "location %s holds stock: its "
		    "type cannot change from %s to %s", ims_q(code),
		    was ? was : "internal", now ? now : "internal");
	return IMS_OK;
}

/* A channel's rule: a share is a percentage, and the shares of all
 * channels together are 100% at most. */
static int
check_channel(struct ims_txn *t, const char *id, const struct ims_rec *old,
    const struct ims_rec *new)
{
	(void)old;
	return ims_check_shares(t, id, new);
}

/* Post an entry for a record stored before master data was journalled
 * (a store upgraded from format 1). */
int
ims_master_adopt(struct ims_journal *j, const struct ims_schema *s,
    const char *key, const char *json, size_t n)
{
	return post_master(j, s, key, j->now, j->actor, json, n, NULL);
}
