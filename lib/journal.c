/*
 * journal.c: the journal, the one source of truth.  Every event that
 * changes what the store knows is an entry appended here, in the same
 * transaction as its effects on the projections.  This file knows the
 * stored form of an entry, the hash chain, the store-wide counters and
 * the table of entry kinds; what each kind checks and changes lives with
 * the kind (move.c, master.c).
 */
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "ims.h"
#include "journal.h"

/* The kinds of entry, by their stored code.  A kind that is named but
 * not yet built is refused by a restore, never misread. */
const char *const ims_kind_names[IMS_KIND_COUNT] = {
	[IMS_KIND_MOVE] = "movement",
	[IMS_KIND_ITEM] = "item",
	[IMS_KIND_LOCATION] = "location",
	[IMS_KIND_SUPPLIER] = "supplier",
	[IMS_KIND_ORDER] = "order",
	[IMS_KIND_RESERVE] = "reserve",
	[IMS_KIND_RELEASE] = "release",
	[IMS_KIND_COUNT_ENTRY] = "count",
	[IMS_KIND_PO] = "po",
	[IMS_KIND_CLIENT] = "client",
	[IMS_KIND_CHANNEL] = "channel",
};

/*
 * Is the kind on the stock's timeline?  Movements (and the orders,
 * reservations and counts to come) happened at their ts, which may be
 * long past, and readers take them in (ts, seq) order.  A master entry
 * takes effect when it is posted: it is read in seq order, and neither
 * makes later movements backdated nor is backdated itself.
 */
int
ims_kind_timed(int kind)
{
	return kind == IMS_KIND_MOVE || (kind >= IMS_KIND_ORDER &&
	    kind <= IMS_KIND_PO);
}

/* The kind named s ("movement" when s is NULL: a movement's JSON has
 * no kind field), or -1. */
int
ims_kind_code(const char *s)
{
	if (!s)
		return IMS_KIND_MOVE;
	for (int i = 1; i < IMS_KIND_COUNT; i++)
		if (ims_kind_names[i] && strcmp(s, ims_kind_names[i]) == 0)
			return i;
	return -1;
}

/* The digest of c, in hex. */
static void
hex_digest(struct sha256_ctx *c, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_digest(c, sizeof d, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

void
ims_sha256_hex(const void *data, size_t n, char out[65])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, data);
	hex_digest(&c, out);
}

/*
 * The hash chain, the one place it is written: an entry's hash is the
 * SHA-256 of the previous entry's hash (64 hex digits, all zeros before
 * the first) followed by the entry's JSON without its hash field, that
 * is the text before ,"hash": and a closing brace.
 */
void
ims_chain_link(const char prev[64], const char *json, size_t n,
    char out[65])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, 64, (const uint8_t *)prev);
	sha256_update(&c, n, (const uint8_t *)json);
	sha256_update(&c, 1, (const uint8_t *)"}");
	hex_digest(&c, out);
}

/* The hash an entry's JSON ends with: ...,"hash":"<64 hex>"}; *body
 * gets the length of what the hash covers. */
int
ims_entry_hash(const struct ims_entry *e, const char **hex, size_t *body)
{
	static const char tag[] = ",\"hash\":\"";
	const size_t n = sizeof tag - 1 + 64 + 2;
	const char *p = e->json + e->jsonlen - n;

	if (e->jsonlen < n || memcmp(p, tag, sizeof tag - 1) != 0 ||
	    memcmp(e->json + e->jsonlen - 2, "\"}", 2) != 0)
		return ims_seterr(IMS_EREJECT, "entry %llu has no hash",
		    (unsigned long long)e->seq);
	*hex = p + sizeof tag - 1;
	if (body)
		*body = p - e->json;
	return IMS_OK;
}

/*
 * The stored form (format 2): kind, flags (1: backdated), ts, qty, then
 * four C strings (sku or the master record's key; from; to; lot or
 * serial), then the JSON text, so that balances can be recomputed and
 * entries ordered without parsing JSON.
 */
enum { HDR = 18 };

int
ims_entry_decode(const struct ims_val *k, const struct ims_val *v,
    struct ims_entry *e)
{
	const char *p = v->p, *end = p + v->n;
	const char **str[] = { &e->sku, &e->from, &e->to, &e->trk };

	if (k->n != 8)
		return ims_damaged("a journal entry "
		    "with a key of %zu bytes (not 8)", k->n);
	e->seq = ims_get_u64(k->p);
	if (v->n < HDR)
		return ims_damaged("journal entry "
		    "%llu is too short", (unsigned long long)e->seq);
	e->kind = (unsigned char)p[0];
	e->late = p[1] & 1;
	memcpy(&e->ts, p + 2, 8);
	memcpy(&e->qty, p + 10, 8);
	if (e->kind <= 0 || e->kind >= IMS_KIND_COUNT)
		return ims_damaged("journal entry "
		    "%llu has an unknown kind", (unsigned long long)e->seq);
	p += HDR;
	/* by hand: the strings are short, and memchr's set-up for each
	 * cost more than the bytes it looked at */
	for (int i = 0; i < 4; i++) {
		const char *z = p;
		while (z < end && *z)
			z++;
		if (z == end)
			return ims_damaged("journal "
			    "entry %llu is cut short",
			    (unsigned long long)e->seq);
		*str[i] = p;
		p = z + 1;
	}
	e->json = p;
	e->jsonlen = end - p;
	return IMS_OK;
}

/* The value of an entry in its stored form. */
void
ims_entry_encode(const struct ims_entry *e, struct ims_buf *v)
{
	unsigned char kf[2] = { e->kind, e->late ? 1 : 0 };
	const char *s[] = { e->sku, e->from, e->to, e->trk };

	v->n = 0;
	ims_buf_add(v, kf, 2);
	ims_buf_add(v, &e->ts, 8);
	ims_buf_add(v, &e->qty, 8);
	for (int i = 0; i < 4; i++)
		ims_buf_add(v, s[i] ? s[i] : "", strlen(s[i] ? s[i] : "") + 1);
	ims_buf_add(v, e->json, e->jsonlen);
}

static int
meta_get(struct ims_txn *t, const char *name, void *p, size_t n)
{
	struct ims_key k;
	struct ims_val v;
	int rc;

	ims_key_init(&k);
	ims_key_str(&k, name);
	if ((rc = ims_get(t, IMS_DB_META, &k, &v)))
		return rc;
	if (v.n != n)
		return ims_damaged("meta %s has "
		    "%zu bytes, not %zu", name, v.n, n);
	memcpy(p, v.p, n);
	return IMS_OK;
}

static int
meta_put(struct ims_txn *t, const char *name, const void *p, size_t n)
{
	struct ims_key k;

	ims_key_init(&k);
	ims_key_str(&k, name);
	return ims_put(t, IMS_DB_META, &k, p, n, 0);
}

/* The store-wide figures: the latest ts posted in order, and the head
 * of the chain.  Absent in an empty store. */
int
ims_meta_read(struct ims_txn *t, ims_time *max_ts, char head[65])
{
	int rc;

	*max_ts = INT64_MIN;
	memset(head, '0', 64);
	head[64] = '\0';
	if ((rc = meta_get(t, "max_ts", max_ts, 8)) && rc != IMS_ENOTFOUND)
		return rc;
	if ((rc = meta_get(t, "head", head, 64)) && rc != IMS_ENOTFOUND)
		return rc;
	return IMS_OK;
}

/* The seq of the last entry, 0 in an empty journal. */
int
ims_journal_last(struct ims_txn *t, uint64_t *seq)
{
	struct ims_cursor *c;
	struct ims_val key;
	int rc;

	*seq = 0;
	if ((rc = ims_cursor_open(t, IMS_DB_JOURNAL, &c)))
		return rc;
	rc = ims_cursor_last(c, &key, NULL);
	if (rc == IMS_OK && key.n == 8)
		*seq = ims_get_u64(key.p);
	else if (rc == IMS_OK)
		rc = ims_damaged("a journal key of "
		    "%zu bytes", key.n);
	ims_cursor_close(c);
	return rc == IMS_ENOTFOUND ? IMS_OK : rc;
}

int
ims_journal_begin(struct ims_txn *t, const char *actor, ims_time now,
    struct ims_journal **jp)
{
	struct ims_journal *j = calloc(1, sizeof *j);
	uint64_t last;
	int rc;

	if (!j)
		return ims_seterr(IMS_ESTORE, "out of memory");
	*jp = j;
	j->t = t;
	j->actor = actor;
	j->now = now;
	if ((rc = ims_journal_last(t, &last)) ||
	    (rc = ims_meta_read(t, &j->max_ts, j->head)) ||
	    (rc = ims_barcodes_adopt(t)))
		return rc;
	j->first_seq = j->next_seq = last + 1;
	return IMS_OK;
}

/* Write the store-wide figures, when anything was posted. */
int
ims_journal_end(struct ims_journal *j)
{
	int rc;

	if (j->next_seq == j->first_seq)
		return IMS_OK;
	if ((rc = meta_put(j->t, "max_ts", &j->max_ts, 8)))
		return rc;
	return meta_put(j->t, "head", j->head, 64);
}

void
ims_journal_free(struct ims_journal *j)
{
	if (!j)
		return;
	ims_map_free(j->items, free);
	ims_map_free(j->locs, NULL);
	ims_buf_free(&j->json);
	ims_buf_free(&j->val);
	ims_rec_free(&j->tmp);
	free(j);
}

void
ims_journal_range(const struct ims_journal *j, uint64_t *first,
    uint64_t *last)
{
	*first = j->first_seq;
	*last = j->next_seq - 1;
}

/* The moment the journal posts at: what an entry without a ts takes. */
ims_time
ims_journal_now(const struct ims_journal *j)
{
	return j->now;
}

/* Start an entry's JSON: {"seq":N,"ts":"..." */
void
ims_entry_open(struct ims_journal *j, ims_time ts)
{
	char nb[24], tb[IMS_TIME_BUF];

	j->json.n = 0;
	ims_buf_adds(&j->json, "{\"seq\":");
	ims_put_digits(nb, j->next_seq, 1);
	ims_buf_adds(&j->json, nb);
	ims_buf_kv_str(&j->json, "ts", ims_time_fmt(ts, tb));
}

/* A backdated entry is indexed by (ts, seq), so that readers can merge
 * it into time order without sorting the journal. */
static int
late_index(struct ims_journal *j, const struct ims_entry *e)
{
	struct ims_key k;

	ims_key_init(&k);
	ims_key_i64(&k, e->ts);
	ims_key_u64(&k, e->seq);
	return ims_put(j->t, IMS_DB_LATE, &k, "", 0, 0);
}

/*
 * Append the entry whose JSON (without its hash and closing brace) is in
 * j->json: close it with its link in the chain, and store it.  want, on
 * a restore, is the hash the export gave: a different one means the
 * export was altered, and nothing is written.  Sets e's seq, late flag
 * and text.
 */
int
ims_journal_append(struct ims_journal *j, struct ims_entry *e,
    const char *want)
{
	struct ims_key k;
	char h[65];
	int rc;

	ims_chain_link(j->head, j->json.p, j->json.n, h);
	if (want && memcmp(want, h, 64) != 0)
		return ims_seterr(IMS_EREJECT, "entry %llu: the hash does not "
		    "match the entry: the export was altered",
		    (unsigned long long)j->next_seq);
	ims_buf_adds(&j->json, ",\"hash\":\"");
	ims_buf_add(&j->json, h, 64);
	ims_buf_adds(&j->json, "\"}");
	e->seq = j->next_seq;
	e->late = ims_kind_timed(e->kind) && e->ts < j->max_ts;
	e->json = j->json.p;
	e->jsonlen = j->json.n;
	ims_entry_encode(e, &j->val);
	ims_key_init(&k);
	ims_key_u64(&k, e->seq);
	if ((rc = ims_put(j->t, IMS_DB_JOURNAL, &k, j->val.p, j->val.n,
	    IMS_PUT_APPEND)))
		return rc;
	if (e->late && (rc = late_index(j, e)))
		return rc;
	j->next_seq++;
	memcpy(j->head, h, 64);
	if (ims_kind_timed(e->kind) && !e->late)
		j->max_ts = e->ts;
	return IMS_OK;
}

/*
 * A restored entry continues the journal; one the store already holds
 * (the same seq and hash) is skipped, so that exports may overlap.
 */
int
ims_journal_restore_check(struct ims_journal *j, uint64_t seq,
    const char *hash)
{
	struct ims_key k;
	struct ims_val key, val;
	struct ims_entry e;
	const char *hex;
	int rc;

	if (seq == j->next_seq)
		return IMS_OK;
	if (seq > j->next_seq)
		return ims_seterr(IMS_EREJECT, "entry %llu: the journal ends "
		    "at %llu, so entries are missing in between",
		    (unsigned long long)seq,
		    (unsigned long long)j->next_seq - 1);
	ims_key_init(&k);
	ims_key_u64(&k, seq);
	key.p = k.b, key.n = k.n;
	if ((rc = ims_get(j->t, IMS_DB_JOURNAL, &k, &val)) ||
	    (rc = ims_entry_decode(&key, &val, &e)))
		return rc;
	if (ims_entry_hash(&e, &hex, NULL) == IMS_OK &&
	    memcmp(hex, hash, 64) == 0)
		return ims_seterr(IMS_ESKIP, "entry %llu is in the store "
		    "already: skipped", (unsigned long long)seq);
	return ims_seterr(IMS_EREJECT, "entry %llu differs from the store's "
	    "entry of that seq", (unsigned long long)seq);
}
