/*
 * format.c: the store's format version.  Format 1 (ims 0.1) kept
 * movements only in the journal, in another stored form, and refs
 * without fingerprints; format 2 keeps every kind of entry.  A command
 * never reads a store of another format: an older one is upgraded, a
 * newer one refused.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static void
format_key(struct ims_key *k)
{
	ims_key_init(k);
	ims_key_str(k, "format");
}

static int
stop_at_first(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	(void)k, (void)v;
	*(int *)arg = 1;
	return IMS_STOP;
}

/* Does the store hold anything at all? */
static int
holds_anything(struct ims_txn *t, int *any)
{
	static const enum ims_db dbs[] = { IMS_DB_JOURNAL, IMS_DB_ITEMS,
		IMS_DB_LOCATIONS, IMS_DB_SUPPLIERS, IMS_DB_BALANCES };
	int rc;

	*any = 0;
	for (size_t i = 0; i < sizeof dbs / sizeof *dbs && !*any; i++)
		if ((rc = ims_each_row(t, dbs[i], NULL, stop_at_first, any)))
			return rc;
	return IMS_OK;
}

/*
 * The store's format: IMS_OK when it is this one (a new store, written
 * to, is marked so); *old gets an older format, which a writer must
 * upgrade and a reader refuses; a newer one is a store error.
 */
int
ims_format_check(struct ims_txn *t, int write, int *old)
{
	struct ims_key k;
	struct ims_val v;
	uint32_t f = IMS_FORMAT;
	int rc, any;

	*old = 0;
	format_key(&k);
	rc = ims_get(t, IMS_DB_META, &k, &v);
	if (rc == IMS_OK && v.n != 4)
		return ims_damaged("its format "
		    "version has %zu bytes", v.n);
	if (rc == IMS_OK)
		memcpy(&f, v.p, 4);
	else if (rc != IMS_ENOTFOUND || (rc = holds_anything(t, &any)))
		return rc;
	else if (any)
		f = 1;
	else if (write)
		return ims_put(t, IMS_DB_META, &k, &f, 4, 0);
	if (f > IMS_FORMAT)
		return ims_seterr(IMS_ESTORE, "store format %u is newer than "
		    "this ims (format %d): use a newer ims", (unsigned)f,
		    IMS_FORMAT);
	if (f < IMS_FORMAT && !write)
		return ims_seterr(IMS_ESTORE, "store format %u is older than "
		    "this ims (format %d): upgrade it with ims-log --upgrade",
		    (unsigned)f, IMS_FORMAT);
	*old = f < IMS_FORMAT ? (int)f : 0;
	return IMS_OK;
}

/* A format 1 journal value: ts, qty, late flag, four strings, JSON. */
static int
entry_from_v1(uint64_t seq, const struct ims_val *v, struct ims_buf *out)
{
	const char *p = v->p, *end = p + v->n;
	const char **str[4];
	struct ims_entry e = { .seq = seq, .kind = IMS_KIND_MOVE };

	str[0] = &e.sku, str[1] = &e.from, str[2] = &e.to, str[3] = &e.trk;
	if (v->n < 17)
		return ims_damaged("format 1 entry "
		    "%llu is too short", (unsigned long long)seq);
	memcpy(&e.ts, p, 8);
	memcpy(&e.qty, p + 8, 8);
	e.late = p[16];
	p += 17;
	for (int i = 0; i < 4; i++) {
		const char *z = memchr(p, '\0', end - p);
		if (!z)
			return ims_damaged("format 1 "
			    "entry %llu is cut short",
			    (unsigned long long)seq);
		*str[i] = p;
		p = z + 1;
	}
	e.json = p;
	e.jsonlen = end - p;
	ims_entry_encode(&e, out);
	return IMS_OK;
}

/* Every journal value into the format 2 form; the JSON, and so the
 * hash chain, stays as it was. */
static int
upgrade_journal(struct ims_txn *t, long *entries)
{
	struct ims_buf out = { 0 };
	struct ims_key k;
	struct ims_val v;
	uint64_t last;
	int rc;

	if ((rc = ims_journal_last(t, &last)))
		return rc;
	for (uint64_t seq = 1; seq <= last; seq++) {
		ims_key_init(&k);
		ims_key_u64(&k, seq);
		if ((rc = ims_get(t, IMS_DB_JOURNAL, &k, &v)) == IMS_ENOTFOUND)
			continue;
		if (rc || (rc = entry_from_v1(seq, &v, &out)) ||
		    (rc = ims_put(t, IMS_DB_JOURNAL, &k, out.p, out.n, 0)))
			break;
		(*entries)++;
	}
	ims_buf_free(&out);
	return rc;
}

/* Rows copied out of a table, to be rewritten after the loop: a table
 * is not written while a cursor walks it. */
static int
collect(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct ims_buf *b = arg;
	uint32_t n[2] = { k->n, v->n };

	ims_buf_add(b, n, sizeof n);
	ims_buf_add(b, k->p, k->n);
	ims_buf_add(b, v->p, v->n);
	return IMS_OK;
}

/* Refs held a seq; now a seq and a fingerprint, unknown for these. */
static int
upgrade_refs(struct ims_txn *t)
{
	struct ims_buf b = { 0 };
	unsigned char val[8 + IMS_FP_LEN];
	int rc = ims_each_row(t, IMS_DB_REFS, NULL, collect, &b);

	memset(val + 8, '0', IMS_FP_LEN);
	for (size_t i = 0; !rc && i < b.n;) {
		uint32_t n[2];
		struct ims_key k;

		memcpy(n, b.p + i, sizeof n);
		i += sizeof n;
		memcpy(k.b, b.p + i, n[0]);
		k.n = n[0];
		if (n[1] != 8)
			rc = ims_damaged("a format 1 "
			    "ref of %u bytes", (unsigned)n[1]);
		else {
			memcpy(val, b.p + i + n[0], 8);
			rc = ims_put(t, IMS_DB_REFS, &k, val, sizeof val, 0);
		}
		i += n[0] + n[1];
	}
	ims_buf_free(&b);
	return rc;
}

/* The master data kept beside the journal becomes its entries. */
static int
adopt_master(struct ims_journal *j, struct ims_txn *t, int kind,
    long *records)
{
	const struct ims_schema *s = ims_master_schema(kind);
	struct ims_buf b = { 0 };
	int rc = ims_each_row(t, s->db, NULL, collect, &b);

	for (size_t i = 0; !rc && i < b.n;) {
		uint32_t n[2];
		char key[IMS_KEY_MAX + 1];

		memcpy(n, b.p + i, sizeof n);
		i += sizeof n;
		snprintf(key, sizeof key, "%.*s", (int)n[0], b.p + i);
		rc = ims_master_adopt(j, s, key, b.p + i + n[0], n[1]);
		i += n[0] + n[1];
		(*records)++;
	}
	ims_buf_free(&b);
	return rc;
}

/*
 * Upgrade a format 1 store to this format, in t: the journal's stored
 * form, the refs, and an entry for every master record (suppliers,
 * locations, items), posted now by actor.  Counts what it rewrote.
 */
int
ims_format_upgrade(struct ims_txn *t, const char *actor, ims_time now,
    long *entries, long *records)
{
	static const int kinds[] = { IMS_KIND_SUPPLIER, IMS_KIND_LOCATION,
		IMS_KIND_ITEM };
	struct ims_journal *j = NULL;
	struct ims_key k;
	uint32_t f = IMS_FORMAT;
	int rc;

	*entries = *records = 0;
	if ((rc = upgrade_journal(t, entries)) || (rc = upgrade_refs(t)) ||
	    (rc = ims_journal_begin(t, actor, now, &j)))
		goto out;
	for (size_t i = 0; !rc && i < sizeof kinds / sizeof *kinds; i++)
		rc = adopt_master(j, t, kinds[i], records);
	if (!rc && !(rc = ims_journal_end(j))) {
		format_key(&k);
		rc = ims_put(t, IMS_DB_META, &k, &f, 4, 0);
	}
out:
	ims_journal_free(j);
	return rc;
}
