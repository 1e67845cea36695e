/*
 * master.c: master data (items, locations, suppliers).  One schema per
 * kind; records are upserted field by field and stored as JSON, unknown
 * fields kept.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const struct ims_fspec item_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "uom", IMS_K_STR, NULL },
	{ "barcode", IMS_K_STR, NULL },
	{ "unit_cost", IMS_K_MONEY, NULL },
	{ "price", IMS_K_MONEY, NULL },
	{ "supplier", IMS_K_REF, "supplier" },
	{ "lead_time_days", IMS_K_INT, NULL },
	{ "min", IMS_K_QTY, NULL },
	{ "max", IMS_K_QTY, NULL },
	{ "reorder_point", IMS_K_QTY, NULL },
	{ "safety_stock", IMS_K_QTY, NULL },
	{ "moq", IMS_K_QTY, NULL },
	{ "order_multiple", IMS_K_QTY, NULL },
	{ "order_cost", IMS_K_MONEY, NULL },
	{ "holding_rate", IMS_K_RATE, NULL },
	{ "track", IMS_K_ENUM, "none|lot|serial" },
	{ "shelf_life_days", IMS_K_INT, NULL },
	{ "criticality", IMS_K_ENUM, "V|E|D" },
	{ NULL, 0, NULL }
};
static const char *const item_cols[] = { "sku", "name", "uom", "barcode",
	"unit_cost", "price", "supplier", "lead_time_days", "min", "max",
	"reorder_point", "safety_stock", "moq", "order_multiple",
	"order_cost", "holding_rate", "track", "shelf_life_days",
	"criticality", NULL };

static const struct ims_fspec loc_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "type", IMS_K_ENUM, "internal|transit" },
	{ NULL, 0, NULL }
};
static const char *const loc_cols[] = { "code", "name", "type", NULL };

static const struct ims_fspec supplier_fields[] = {
	{ "name", IMS_K_STR, NULL },
	{ "lead_time_days", IMS_K_INT, NULL },
	{ "contact", IMS_K_STR, NULL },
	{ NULL, 0, NULL }
};
static const char *const supplier_cols[] = { "id", "name",
	"lead_time_days", "contact", NULL };

static int check_item(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *);
static int check_loc(struct ims_txn *, const char *,
    const struct ims_rec *, const struct ims_rec *);

const struct ims_schema ims_item_schema = { "item",
	"Add or update items (SKUs) from records, or list them.",
	"sku", IMS_DB_ITEMS, item_fields, item_cols, check_item };
const struct ims_schema ims_loc_schema = { "location",
	"Add or update locations from records, or list them.",
	"code", IMS_DB_LOCATIONS, loc_fields, loc_cols, check_loc };
const struct ims_schema ims_supplier_schema = { "supplier",
	"Add or update suppliers from records, or list them.",
	"id", IMS_DB_SUPPLIERS, supplier_fields, supplier_cols, NULL };

/* An identifier (sku, location, lot, ref...): not empty, not too long for
 * a key, no control characters. */
int
ims_check_id(const char *what, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return ims_seterr(IMS_EREJECT, "%s is empty", what);
	if (n > IMS_ID_MAX)
		return ims_seterr(IMS_EREJECT, "%s is longer than %d bytes",
		    what, IMS_ID_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
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
	    IMS_DB_ITEMS;

	ims_key_init(&k);
	ims_key_str(&k, v);
	return ims_get(t, db, &k, &val);
}

/* Check one known field and add it to out in its stored form. */
static int
add_known(struct ims_txn *t, const struct ims_fspec *fs,
    const struct ims_field *f, struct ims_rec *out)
{
	static const int scale[] = { [IMS_K_INT] = 0, [IMS_K_QTY] = IMS_QTY,
		[IMS_K_MONEY] = IMS_MONEY, [IMS_K_RATE] = 4 };
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

/* Insert or update one master record; merged receives what is stored. */
int
ims_master_upsert(struct ims_txn *t, const struct ims_schema *s,
    const struct ims_rec *in, struct ims_rec *merged)
{
	static struct ims_rec old;
	static struct ims_buf json;
	const char *key = ims_rec_str(in, s->key);
	struct ims_key k;
	int rc;

	if (!key)
		return ims_seterr(IMS_EREJECT, "missing field %s", s->key);
	if ((rc = ims_check_id(s->key, key)))
		return rc;
	rc = ims_master_get(t, s, key, &old);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	if ((rc = merge(t, s, key, &old, in, merged)))
		return rc;
	if (s->check && (rc = s->check(t, key, &old, merged)))
		return rc;
	json.n = 0;
	ims_rec_to_json(merged, &json);
	ims_key_init(&k);
	ims_key_str(&k, key);
	return ims_put(t, s->db, &k, json.p, json.n, 0);
}

/* Has anything ever moved for this sku? */
static int
has_history(struct ims_txn *t, const char *sku)
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
	ims_cursor_close(c);
	if (rc && rc != IMS_ENOTFOUND)
		return rc;
	return found;
}

static int
check_item(struct ims_txn *t, const char *sku, const struct ims_rec *old,
    const struct ims_rec *new)
{
	const char *was = ims_rec_str(old, "track");
	const char *now = ims_rec_str(new, "track");
	int rc;

	if (!was)
		was = "none";
	if (!now)
		now = "none";
	if (!old->nf || strcmp(was, now) == 0)
		return IMS_OK;
	if ((rc = has_history(t, sku)) < 0)
		return rc;
	if (rc)
		return ims_seterr(IMS_EREJECT, "item %s has movements: its "
		    "track cannot change from %s to %s", ims_q(sku), was, now);
	return IMS_OK;
}

/* A location code: segments joined by '/', none empty, no '@' first
 * (virtual locations are built in), no spaces. */
static int
check_loc(struct ims_txn *t, const char *code, const struct ims_rec *old,
    const struct ims_rec *new)
{
	(void)t, (void)old, (void)new;
	if (code[0] == '@')
		return ims_seterr(IMS_EREJECT, "location %s: codes starting "
		    "with @ are reserved", ims_q(code));
	if (code[0] == '/' || code[strlen(code) - 1] == '/' ||
	    strstr(code, "//"))
		return ims_seterr(IMS_EREJECT, "location %s has an empty "
		    "segment", ims_q(code));
	if (strpbrk(code, " \t"))
		return ims_seterr(IMS_EREJECT, "location %s has a space",
		    ims_q(code));
	return IMS_OK;
}

/* The master data commands: ims-item, ims-loc, ims-supplier. */

struct master_run {
	const struct ims_schema *s;
	int list;
	const char *show;
	struct ims_buf keys;		/* upserted keys, NUL-separated */
	struct ims_rec merged;
};

static int
upsert_one(struct ims_batch *b, struct ims_rec *r)
{
	struct master_run *m = b->arg;
	int rc = ims_master_upsert(b->txn, m->s, r, &m->merged);

	if (rc == IMS_OK)
		ims_buf_add(&m->keys, m->merged.f[0].val,
		    m->merged.f[0].len + 1);
	return rc;
}

static int
echo_upserted(struct ims_batch *b, struct ims_txn *t, struct ims_out *o)
{
	struct master_run *m = b->arg;
	int rc;

	for (size_t i = 0; i < m->keys.n; i += strlen(m->keys.p + i) + 1) {
		if ((rc = ims_master_get(t, m->s, m->keys.p + i, &m->merged)))
			return rc;
		ims_out_rec(o, &m->merged);
	}
	return IMS_OK;
}

static void
reset_upserted(struct ims_batch *b)
{
	((struct master_run *)b->arg)->keys.n = 0;
}

/* --list (every record, in key order) or --show KEY. */
static int
list(struct master_run *m)
{
	struct ims_store *st;
	struct ims_txn *t = NULL;
	struct ims_cursor *c = NULL;
	struct ims_out *o = NULL;
	struct ims_val k, v;
	int rc, status;

	if ((status = ims_open(&st, 0)))
		return status;
	if ((rc = ims_txn_begin(st, 0, &t)))
		goto out;
	o = ims_out_open(stdout, ims_opt.out_fmt, m->s->cols);
	if (m->show) {
		if ((rc = ims_master_get(t, m->s, m->show, &m->merged)) == 0)
			ims_out_rec(o, &m->merged);
		else if (rc == IMS_ENOTFOUND)
			rc = ims_seterr(IMS_EREJECT, "no %s %s", m->s->what,
			    ims_q(m->show));
		goto out;
	}
	if ((rc = ims_cursor_open(t, m->s->db, &c)))
		goto out;
	for (rc = ims_cursor_seek(c, NULL, &k, &v); rc == IMS_OK;
	    rc = ims_cursor_next(c, &k, &v)) {
		/* ims_rec_json appends: start each record afresh, or the
		 * second one fails as "given twice" and is dropped */
		ims_rec_reset(&m->merged);
		if (ims_rec_json(&m->merged, v.p, v.n) != 0) {
			/* a listing that skipped it would look whole */
			rc = ims_store_damaged(st, "%s %s does not parse",
			    m->s->what, ims_qn(k.p, k.n ? k.n - 1 : 0));
			break;
		}
		ims_out_rec(o, &m->merged);
	}
	if (rc == IMS_ENOTFOUND)
		rc = IMS_OK;
out:
	ims_out_close(o);
	ims_cursor_close(c);
	ims_txn_abort(t);
	ims_store_close(st);
	if (rc)
		ims_warn("%s", ims_errmsg());
	status = rc == IMS_EREJECT ? IMS_EXIT_REJECT : rc ? IMS_EXIT_STORE :
	    IMS_EXIT_OK;
	return ims_finish(status);
}

static const struct argp_option master_options[] = {
	{ "list", 'l', NULL, 0, "List every record", 0 },
	{ "show", 's', "KEY", 0, "Show one record", 0 },
	{ 0 }
};

static error_t
master_parse(int key, char *arg, struct argp_state *st)
{
	struct master_run *m = st->input;

	switch (key) {
	case 'l':
		m->list = 1;
		break;
	case 's':
		m->show = arg;
		break;
	case ARGP_KEY_INIT:
		st->child_inputs[0] = NULL;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int
ims_master_main(const struct ims_schema *s, int argc, char **argv)
{
	struct master_run m = { .s = s };
	struct ims_batch b = { .cols = s->cols, .record = upsert_one,
		.echo = echo_upserted, .reset = reset_upserted, .arg = &m };
	struct argp argp = { master_options, master_parse, "[FILE...]",
		s->doc, ims_argp_children, NULL, NULL };
	int idx, status;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, &m);
	if (m.list || m.show)
		status = list(&m);
	else
		status = ims_batch_run(&b, argc - idx, argv + idx);
	ims_buf_free(&m.keys);
	ims_rec_free(&m.merged);
	return status;
}
