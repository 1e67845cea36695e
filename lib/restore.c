/*
 * restore.c: an export replayed into a store.  Each exported entry names
 * its kind and carries its seq, time, actor and hash, read here once for
 * every kind; the table below sends it to that kind's restore, which
 * checks it, posts it with those (the hash verified against the chain)
 * and rebuilds what it derives.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"
#include "journal.h"

static int
restore_move(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	struct ims_move m;
	int rc;

	if ((rc = ims_move_parse(&m, r, IMS_RESTORE)))
		return rc;
	m.seq = e->seq;
	m.actor = e->actor;
	m.hash = e->hash;
	return ims_post(j, &m, NULL);
}

static int
restore_master(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e)
{
	return ims_master_restore(j, ims_master_schema(e->kind), r, e);
}

static const struct {
	int kind;
	int (*restore)(struct ims_journal *, const struct ims_rec *,
	    const struct ims_restored *);
} kinds[] = {
	{ IMS_KIND_MOVE, restore_move },
	{ IMS_KIND_ITEM, restore_master },
	{ IMS_KIND_LOCATION, restore_master },
	{ IMS_KIND_SUPPLIER, restore_master },
	{ IMS_KIND_ORDER, ims_order_restore },
	{ IMS_KIND_RESERVE, ims_order_restore },
	{ IMS_KIND_RELEASE, ims_order_restore },
	{ IMS_KIND_COUNT_ENTRY, ims_count_restore },
	{ IMS_KIND_PO, ims_po_restore },
	{ IMS_KIND_CLIENT, restore_master },
	{ IMS_KIND_CHANNEL, restore_master },
};

/* The parts every exported entry has: seq, ts, actor and hash. */
static int
envelope(const struct ims_rec *r, struct ims_restored *e)
{
	const char *seq = ims_rec_str(r, "seq"), *ts = ims_rec_str(r, "ts");
	const char *why;
	char *end;

	if (!seq || (e->seq = strtoull(seq, &end, 10)) == 0 || *end)
		return ims_seterr(IMS_EREJECT, "restore: seq missing or bad");
	if (!ts || (why = ims_time_parse(ts, strlen(ts), &e->ts)))
		return ims_seterr(IMS_EREJECT, "restore: ts missing or bad");
	e->actor = ims_rec_str(r, "actor");
	e->hash = ims_rec_str(r, "hash");
	if (!e->actor || ims_check_id("actor", e->actor))
		return ims_seterr(IMS_EREJECT, "restore: actor missing or "
		    "bad");
	if (!e->hash || strlen(e->hash) != 64)
		return ims_seterr(IMS_EREJECT, "restore: hash is not 64 hex "
		    "digits");
	return IMS_OK;
}

/* Restore one exported entry into the journal. */
int
ims_restore(struct ims_journal *j, const struct ims_rec *r)
{
	const char *kind = ims_rec_str(r, "kind");
	struct ims_restored e = { 0 };
	int rc;

	if ((e.kind = ims_kind_code(kind)) < 0)
		return ims_seterr(IMS_EREJECT, "restore: unknown kind of entry "
		    "%s", ims_q(kind));
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		if (kinds[i].kind != e.kind)
			continue;
		if ((rc = envelope(r, &e)) ||
		    (rc = ims_journal_restore_check(j, e.seq, e.hash)))
			return rc;
		return kinds[i].restore(j, r, &e);
	}
	return ims_seterr(IMS_EREJECT, "restore: entries of kind %s are not "
	    "known to this version of ims", ims_q(kind));
}
