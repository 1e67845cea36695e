/*
 * ims.h: the one public header of libims, the library behind every ims
 * command.  Grouped by the file that implements each part: first the
 * core (store, records, decimals, time, the journal and its projections,
 * checks, reports), which knows no command line; then the command-line
 * layer on top of it (common options, the batch loop, the commands'
 * shared mains).
 */
#ifndef IMS_H
#define IMS_H

#include <argp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IMS_VERSION "0.1.0"

/* Exit statuses, as ims(7) documents them. */
enum {
	IMS_EXIT_OK = 0,	/* done */
	IMS_EXIT_REJECT = 1,	/* records rejected, shortage, check failed */
	IMS_EXIT_USAGE = 2,	/* usage error */
	IMS_EXIT_STORE = 3	/* store or system error */
};

/* Return codes of library functions; messages go through ims_seterr(). */
enum {
	IMS_OK = 0,
	IMS_ENOTFOUND = -1,	/* no such key */
	IMS_EREJECT = -2,	/* the record is rejected: see ims_errmsg() */
	IMS_ESKIP = -3,		/* the record's ref was posted before */
	IMS_EMAPFULL = -4,	/* the store's map is full: grow and replay */
	IMS_ESTORE = -5		/* store or system error */
};
#define IMS_STOP 1		/* an iterator's callback: stop, no error */

/* util.c: messages, escaping, buffers, keys, a string map */

extern const char *ims_prog;
void ims_setprog(const char *argv0);
void ims_warn(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int ims_seterr(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *ims_errmsg(void);
const char *ims_q(const char *s);
const char *ims_qn(const char *s, size_t n);
int ims_utf8_valid(const char *s, size_t n);
size_t ims_ctl_len(const char *s, size_t n);
size_t ims_ctl_find(const char *s, size_t n);
int ims_finish(int status);
void *ims_must(void *p);

struct ims_buf {
	char *p;
	size_t n, cap;
};
void ims_buf_grow(struct ims_buf *b, size_t need);
void ims_buf_add(struct ims_buf *b, const void *p, size_t n);
void ims_buf_adds(struct ims_buf *b, const char *s);
void ims_buf_addc(struct ims_buf *b, char c);
void ims_buf_json_str(struct ims_buf *b, const char *s, size_t n);
void ims_buf_kv_str(struct ims_buf *b, const char *name, const char *v);
void ims_buf_kv_raw(struct ims_buf *b, const char *name, const char *v);
void ims_buf_free(struct ims_buf *b);

/* Keys: components are NUL-terminated strings and big-endian integers,
 * so that LMDB's byte order is the order reports want. */
#define IMS_KEY_MAX 480
#define IMS_ID_MAX 128
struct ims_key {
	unsigned char b[IMS_KEY_MAX];
	size_t n;
};
void ims_key_init(struct ims_key *k);
void ims_key_str(struct ims_key *k, const char *s);
void ims_key_u64(struct ims_key *k, uint64_t v);
void ims_key_i64(struct ims_key *k, int64_t v);
uint64_t ims_get_u64(const unsigned char *p);
int64_t ims_get_i64(const unsigned char *p);

struct ims_map;
struct ims_map *ims_map_new(void);
void **ims_map_slot(struct ims_map *m, const char *key, int *isnew);
void *ims_map_get(const struct ims_map *m, const char *key);
size_t ims_map_count(const struct ims_map *m);
int ims_map_each(const struct ims_map *m, size_t *it, const char **key,
    void **val);
void ims_map_free(struct ims_map *m, void (*freeval)(void *));
const char *ims_next_str(const char **p, const char *end);
typedef int ims_pair_fn(void *arg, const char *name, size_t n,
    const char *val, size_t vn);
int ims_each_pair(const char *s, const char *what, const char *form,
    ims_pair_fn *fn, void *arg);

/* dec.c: exact decimals in 64-bit fixed point */

typedef int64_t ims_dec;
#define IMS_QTY 3		/* decimals a quantity holds */
#define IMS_MONEY 4		/* decimals an amount of money holds */
#define IMS_DEC_BUF 32
const char *ims_dec_parse(const char *s, size_t n, int scale, ims_dec *out);
char *ims_dec_fmt(ims_dec v, int scale, char *buf);
char *ims_put_digits(char *p, uint64_t v, int width);
int ims_dec_add(ims_dec a, ims_dec b, ims_dec *r);
int ims_dec_sub(ims_dec a, ims_dec b, ims_dec *r);
int ims_dec_mul(ims_dec a, int sa, ims_dec b, int sb, int sr, ims_dec *r);
#define IMS_DEC128_BUF 48
typedef __int128 ims_wide;	/* sums: never wrap */
char *ims_wide_fmt(ims_wide v, int scale, char *buf);
const char *ims_fmtq(ims_dec q);
int ims_value(ims_dec qty, ims_dec unit_cost, ims_dec *value);
int ims_dec_div(ims_wide a, int sa, ims_wide b, int sb, int sr, ims_dec *r);

/* time.c: ISO 8601 timestamps in UTC, seconds since the epoch */

typedef int64_t ims_time;
#define IMS_TIME_BUF 32
#define IMS_TIME_NONE INT64_MIN
#define IMS_TIME_MAX INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */
const char *ims_time_parse(const char *s, size_t n, ims_time *out);
const char *ims_time_parse_end(const char *s, size_t n, ims_time *out);
char *ims_time_fmt(ims_time t, char *buf);
char *ims_date_fmt(ims_time t, char *buf);
ims_time ims_now(void);

/* store.c: the only file that knows LMDB.  A small ordered key-value
 * store: named tables, read and write transactions, cursors. */

enum ims_db {
	IMS_DB_META,		/* store-wide counters, format version */
	IMS_DB_ITEMS,		/* sku -> item JSON */
	IMS_DB_LOCATIONS,	/* code -> location JSON */
	IMS_DB_SUPPLIERS,	/* id -> supplier JSON */
	IMS_DB_JOURNAL,		/* seq -> entry */
	IMS_DB_BALANCES,	/* sku, location, lot -> struct ims_bal */
	IMS_DB_HISTORY,		/* sku, location, lot, ts, seq -> delta */
	IMS_DB_LATE,		/* ts, seq of backdated movements */
	IMS_DB_REFS,		/* ref -> seq, fingerprint */
	IMS_DB_LOTS,		/* sku, lot -> expiry */
	IMS_DB_SERIALS,		/* sku, serial -> location in stock */
	IMS_DB_ORDERS,		/* order, line -> the line and its figures */
	IMS_DB_RESERVES,	/* order, line, sku, location, lot -> qty */
	IMS_DB_ALLOCS,		/* sku, location, lot, ts, seq -> delta of
				 * allocated: its history */
	IMS_DB_FORECASTS,	/* sku -> saved forecast summary (not a
				 * projection: see ims-forecast(1)) */
	IMS_DB_COUNTS,		/* sku, location, lot -> its last count */
	IMS_DB_POS,		/* po -> its header */
	IMS_DB_POLINES,		/* po, line -> the line, what was received */
	IMS_DB_CLIENTS,		/* id -> client JSON */
	IMS_DB_CHANNELS,	/* id -> channel JSON */
	IMS_DB_BARCODES,	/* "i" or "l", barcode -> sku or location */
	IMS_DB_COSTS,		/* cost checkpoints (costck.c; a cache) */
	IMS_DB_COUNT
};

struct ims_val {
	const void *p;
	size_t n;
};

enum {
	IMS_STORE_RDONLY = 1,	/* open for reading; never create */
	IMS_STORE_NOSYNC = 2	/* bulk load: no fsync at commit */
};
enum {
	IMS_PUT_APPEND = 1,	/* key sorts after every key in the table */
	IMS_PUT_NEW = 2		/* fail with IMS_ESKIP if the key exists */
};

struct ims_store;
struct ims_txn;
struct ims_cursor;
int ims_store_open(struct ims_store **sp, const char *dir, int flags);
void ims_store_close(struct ims_store *s);
int ims_store_grow(struct ims_store *s);
int ims_txn_begin(struct ims_store *s, int write, struct ims_txn **tp);
int ims_txn_commit(struct ims_txn *t);
void ims_txn_abort(struct ims_txn *t);
int ims_get(struct ims_txn *t, enum ims_db db, const struct ims_key *k,
    struct ims_val *v);
int ims_put(struct ims_txn *t, enum ims_db db, const struct ims_key *k,
    const void *p, size_t n, int flags);
int ims_del(struct ims_txn *t, enum ims_db db, const struct ims_key *k);
int ims_cursor_open(struct ims_txn *t, enum ims_db db,
    struct ims_cursor **cp);
int ims_cursor_seek(struct ims_cursor *c, const struct ims_key *k,
    struct ims_val *key, struct ims_val *val);
int ims_cursor_next(struct ims_cursor *c, struct ims_val *key,
    struct ims_val *val);
int ims_cursor_last(struct ims_cursor *c, struct ims_val *key,
    struct ims_val *val);
int ims_store_copy(struct ims_store *s, const char *dir);
int ims_damaged(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int ims_store_damaged(struct ims_store *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ims_cursor_close(struct ims_cursor *c);

/* rec.c: records in (NDJSON or CSV), one loop over operands or stdin */

enum ims_ftype { IMS_F_STR, IMS_F_NUM, IMS_F_BOOL, IMS_F_NULL, IMS_F_RAW };
enum ims_fmt { IMS_FMT_AUTO, IMS_FMT_NDJSON, IMS_FMT_CSV, IMS_FMT_TABLE };

struct ims_field {
	char *name;
	char *val;		/* NUL-terminated; JSON text unless STR */
	size_t len;
	enum ims_ftype type;
	size_t namecap, valcap;
};

struct ims_rec {
	const char *file;
	long line;
	struct ims_field *f;
	size_t nf, cap;
	const char *error;	/* set when the input itself is malformed */
	struct ims_buf text;	/* the raw input of the record */
};

void ims_rec_reset(struct ims_rec *r);
void ims_rec_add(struct ims_rec *r, const char *name, const char *val,
    size_t len, enum ims_ftype type);
void ims_rec_adds(struct ims_rec *r, const char *name, const char *s);
void ims_rec_addn(struct ims_rec *r, const char *name, ims_dec v, int scale);
void ims_rec_addw(struct ims_rec *r, const char *name, ims_wide v,
    int scale);
void ims_rec_free(struct ims_rec *r);
const struct ims_field *ims_rec_field(const struct ims_rec *r,
    const char *name);
const char *ims_rec_str(const struct ims_rec *r, const char *name);
int ims_rec_json(struct ims_rec *r, const char *s, size_t n);
void ims_rec_to_json(const struct ims_rec *r, struct ims_buf *b);
void ims_buf_json_field(struct ims_buf *b, const struct ims_field *f);

void ims_rec_require(const char *const *fields);
struct ims_reader;
struct ims_reader *ims_reader_open(char **files, int nfiles, int fmt,
    int replayable);
int ims_reader_next(struct ims_reader *rd, struct ims_rec **rp);
int ims_reader_rewind(struct ims_reader *rd);
void ims_reader_close(struct ims_reader *rd);

/* out.c: records out as NDJSON, RFC 4180 CSV, or an aligned table */

enum { IMS_OUT_RAW = 1 };	/* CSV: no guard on formula-like cells */
struct ims_out;
struct ims_out *ims_out_open(FILE *fp, int fmt, const char *const *cols,
    int flags);
void ims_out_rec(struct ims_out *o, const struct ims_rec *r);
void ims_out_json(struct ims_out *o, const char *json, size_t n);
void ims_out_total(struct ims_out *o, const struct ims_rec *r);
void ims_out_close(struct ims_out *o);

/* journal.c: the journal, its entries and their kinds, the hash chain */

enum ims_kind {
	IMS_KIND_MOVE = 1, IMS_KIND_ITEM, IMS_KIND_LOCATION,
	IMS_KIND_SUPPLIER,
	/* named for the kinds to come; a restore refuses them until then */
	IMS_KIND_ORDER, IMS_KIND_RESERVE, IMS_KIND_RELEASE,
	IMS_KIND_COUNT_ENTRY, IMS_KIND_PO,
	IMS_KIND_CLIENT, IMS_KIND_CHANNEL,	/* master data, as item */
	IMS_KIND_COUNT
};
extern const char *const ims_kind_names[IMS_KIND_COUNT];
int ims_kind_code(const char *name);
int ims_kind_timed(int kind);

/* An entry as the journal stores it, decoded.  Every kind has the same
 * header; a movement fills all of it, a master entry puts its record's
 * key in sku. */
struct ims_entry {
	uint64_t seq;
	int kind;
	int late;		/* posted after an entry of a later ts */
	ims_time ts;
	ims_dec qty;
	const char *sku, *from, *to, *trk;
	const char *json;
	size_t jsonlen;
};

/* What an exported entry says of itself, for a restore. */
struct ims_restored {
	uint64_t seq;
	ims_time ts;
	int kind;
	const char *actor, *hash;
};

struct ims_journal;
int ims_journal_begin(struct ims_txn *t, const char *actor, ims_time now,
    struct ims_journal **jp);
int ims_journal_end(struct ims_journal *j);
void ims_journal_free(struct ims_journal *j);
ims_time ims_journal_now(const struct ims_journal *j);
void ims_journal_range(const struct ims_journal *j, uint64_t *first,
    uint64_t *last);
int ims_journal_last(struct ims_txn *t, uint64_t *seq);
int ims_meta_read(struct ims_txn *t, ims_time *max_ts, char head[65]);
int ims_entry_decode(const struct ims_val *k, const struct ims_val *v,
    struct ims_entry *e);
void ims_entry_encode(const struct ims_entry *e, struct ims_buf *v);
int ims_entry_hash(const struct ims_entry *e, const char **hex,
    size_t *body);
void ims_chain_link(const char prev[64], const char *json, size_t n,
    char out[65]);
void ims_sha256_hex(const void *data, size_t n, char out[65]);

/* format.c: the store's format version, and the upgrade from older ones */

#define IMS_FORMAT 2
int ims_format_check(struct ims_txn *t, int write, int *old);
int ims_format_upgrade(struct ims_txn *t, const char *actor, ims_time now,
    long *entries, long *records);

/* ref.c: refs, the idempotency keys, with fingerprints of their content */

#define IMS_FP_LEN 32
void ims_fingerprint(const struct ims_buf *canon, char fp[IMS_FP_LEN + 1]);
void ims_canon_add(struct ims_buf *b, const char *name, const char *v);
int ims_ref_claim(struct ims_journal *j, const char *ref, const char *fp,
    struct ims_key *k);
int ims_ref_decode(const struct ims_val *v, uint64_t *seq,
    const char **fp);

/* move.c: movements, balances; the double-entry kind */

struct ims_bal {
	int64_t on_hand;
	int64_t allocated;
	int64_t last_ts;	/* latest ts of a movement on this balance */
};
int ims_bal_decode(const struct ims_val *v, struct ims_bal *b);

struct ims_move {
	const char *sku, *from, *to, *lot, *serial, *ref, *po, *note;
	const char *order, *line;	/* a shipment for an order line */
	const char *po_line;		/* a receipt's line of its po */
	int count_adjust;		/* a count's: on hand is what it may
					 * take; reservations are released
					 * after it */
	int64_t po_tol;			/* over-receipt allowed, 4 places */
	ims_dec qty;
	ims_time ts, expiry;
	ims_dec unit_cost;
	int has_cost;
	char fp[IMS_FP_LEN + 1];	/* the ref's fingerprint */
	const struct ims_rec *extra;	/* unknown fields to keep */
	/* a restore replays an export: these come from it, not from now */
	uint64_t seq;
	const char *actor, *hash;
};

enum { IMS_RECEIPT, IMS_TRANSFER, IMS_RESTORE };
enum { IMS_TRACK_NONE, IMS_TRACK_LOT, IMS_TRACK_SERIAL };
int ims_check_track(int track, const char *sku, const char *lot,
    const char *serial, const char *need_lot, const char *need_serial);
int ims_move_parse(struct ims_move *m, const struct ims_rec *r, int kind);
int ims_post(struct ims_journal *j, struct ims_move *m, uint64_t *seq);
int ims_is_virtual(const char *loc);
int ims_loc_match(const char *loc, const char *prefix);
const char *ims_loc_cut(const char *loc, int depth, char *buf, size_t n);
extern const char *const ims_move_cols[];

/* master.c: items, locations, suppliers: master kinds of entry */

enum ims_ftkind { IMS_K_STR, IMS_K_INT, IMS_K_QTY, IMS_K_MONEY,
	IMS_K_RATE, IMS_K_ENUM, IMS_K_REF, IMS_K_KIT,
	IMS_K_BARCODE, IMS_K_PACKS, IMS_K_VOL };
struct ims_fspec {
	const char *name;
	enum ims_ftkind kind;
	const char *arg;	/* ENUM: "a|b|c"; REF: the table's name;
				 * INT: its range, "0..3650" */
};
struct ims_schema {
	const char *what;	/* "item": also the kind's name */
	const char *doc;	/* the command's argp doc */
	const char *key;	/* "sku" */
	enum ims_db db;
	int kind;		/* IMS_KIND_ITEM */
	const struct ims_fspec *fields;
	const char *const *cols;
	int (*check)(struct ims_txn *t, const char *key,
	    const struct ims_rec *old, const struct ims_rec *new);
};
extern const struct ims_schema ims_item_schema, ims_loc_schema,
    ims_supplier_schema, ims_client_schema, ims_channel_schema;
const struct ims_schema *ims_master_schema(int kind);
int ims_master_upsert(struct ims_journal *j, const struct ims_schema *s,
    const struct ims_rec *in, struct ims_rec *merged);
int ims_master_restore(struct ims_journal *j, const struct ims_schema *s,
    const struct ims_rec *r, const struct ims_restored *e);
int ims_master_adopt(struct ims_journal *j, const struct ims_schema *s,
    const char *key, const char *json, size_t n);
int ims_master_get(struct ims_txn *t, const struct ims_schema *s,
    const char *key, struct ims_rec *out);
int ims_check_id(const char *what, const char *s);

/* tpl.c: for 3PLs and multichannel sellers: barcodes, packs, owners,
 * the billing and available reports */

#define IMS_VOL 6		/* decimals of volume and pallets per unit */
int ims_barcode_check(const char *code, char norm[IMS_ID_MAX + 1]);
int ims_barcode_find(struct ims_txn *t, int loc, const char *code,
    const char **key);
int ims_barcode_index(struct ims_txn *t, int loc, const char *key,
    const char *oldjson, size_t oldn, const char *newjson, size_t newn);
int ims_barcodes_adopt(struct ims_txn *t);
int ims_barcode_unique(struct ims_txn *t, int loc, const char *key,
    const struct ims_rec *rec);
int ims_packs_parse(const struct ims_field *f, struct ims_buf *b);
int ims_item_tpl_check(struct ims_txn *t, const char *sku,
    const struct ims_rec *rec);
void ims_pack_text(const struct ims_rec *item, ims_dec qty,
    struct ims_buf *b);
int ims_pack_qty(const struct ims_rec *item, const char *pack,
    ims_dec *per);
int ims_unit_whole(const char *uom);
int ims_resolve_sku(struct ims_txn *t, const struct ims_rec *in,
    const char *qty, const struct ims_rec **out);
int ims_pack_round(struct ims_txn *t, const char *sku, ims_dec qty,
    ims_dec *out, ims_dec *packs);
ims_dec ims_round_up(ims_dec qty, ims_dec multiple);
int ims_owner(struct ims_txn *t, const char *sku, const char **owner);
int ims_owned(struct ims_txn *t, const char *sku, const char *client);
int ims_check_shares(struct ims_txn *t, const char *id,
    const struct ims_rec *rec);
struct ims_report_args;
extern const char *const ims_billing_cols[];
extern const char *ims_available_cols[];
int ims_available_columns(struct ims_txn *t,
    const struct ims_report_args *a);
int ims_report_billing(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_available(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);

/* order.c: orders and reservations: the order, reserve and release
 * kinds of entry, and the tables they keep (ORDERS, RESERVES, ALLOCS) */

#define IMS_COMP_MAX 32		/* components of a kit */
enum { IMS_OL_KIT = 1, IMS_OL_CANCELLED = 2, IMS_OL_EXPIRED = 4 };

/* One component of a line: a plain line has one, its own sku (per 1);
 * a kit has one per component sku, per kit. */
struct ims_comp {
	const char *sku;
	ims_dec per, reserved, shipped;
};

struct ims_oline {
	const char *order, *line, *sku, *location, *channel, *ref;
	ims_dec wanted;
	ims_time ts, expires;	/* expires: IMS_TIME_NONE, no hold */
	int64_t priority, min_shelf;
	uint64_t seq;		/* of its order entry */
	unsigned flags;
	int ncomp;
	char fp[IMS_FP_LEN + 1];
	char **owned;		/* kit component names parse allocated */
	int nowned;
	struct ims_comp comp[IMS_COMP_MAX];	/* last: a copy keeps ncomp */
};

/* A reservation of one balance for one line, or its release. */
struct ims_resv {
	const char *order, *line, *sku, *loc, *trk;
	int serial;		/* trk is a serial, not a lot */
	const char *reason;	/* a release's: expired, cancelled, ... */
	ims_time ts;
};

extern const char *const ims_order_cols[];
int ims_oline_decode(const struct ims_val *k, const struct ims_val *v,
    struct ims_oline *l);
int ims_oline_get(struct ims_txn *t, const char *order, const char *line,
    struct ims_oline *l);
void ims_oline_figures(const struct ims_oline *l, ims_dec *allocated,
    ims_dec *shipped);
ims_dec ims_oline_open(const struct ims_oline *l);
const char *ims_oline_status(const struct ims_oline *l);
struct ims_comp *ims_oline_comp(struct ims_oline *l, const char *sku);
int ims_order_field_known(const char *name);
int ims_order_parse(struct ims_journal *j, const struct ims_rec *r,
    struct ims_oline *l);
void ims_oline_release(struct ims_oline *l);
struct ims_oline *ims_oline_dup(const struct ims_oline *l);
int ims_order_post(struct ims_journal *j, struct ims_oline *l,
    const struct ims_rec *extra, const char *actor, const char *want);
int ims_order_lines(struct ims_txn *t, const char *order,
    struct ims_oline ***v, size_t *n);
void ims_order_lines_free(struct ims_oline **v, size_t n);
int ims_order_flag(struct ims_journal *j, const char *order,
    const char *line, unsigned flag);
int ims_order_expire(struct ims_journal *j, const char *order,
    const char *line, ims_time ts);
int ims_order_release(struct ims_journal *j, const char *order,
    const char *line, const char *reason, ims_time ts);
int ims_order_cancel(struct ims_journal *j, const char *order,
    const char *actor, const char *want, ims_time ts);
int ims_resv_get(struct ims_txn *t, const struct ims_resv *r, ims_dec *qty);
int ims_resv_apply(struct ims_journal *j, const struct ims_resv *r,
    ims_dec delta, ims_dec ship, ims_time ts, uint64_t seq);
int ims_resv_post(struct ims_journal *j, int kind, const struct ims_resv *r,
    ims_dec qty, const char *actor, const char *want);
typedef int ims_resv_fn(void *arg, const struct ims_resv *r, ims_dec qty);
int ims_each_resv(struct ims_txn *t, const char *order, const char *line,
    ims_resv_fn *fn, void *arg);
typedef int ims_oline_fn(void *arg, const struct ims_oline *l);
int ims_each_oline(struct ims_txn *t, const char *order, ims_oline_fn *fn,
    void *arg);
int ims_order_restore(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e);
struct ims_report_args;
int ims_report_orders(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);

/* alloc.c: allocation: which stock serves an order line */

enum { IMS_S_DEFAULT, IMS_S_FIFO, IMS_S_FEFO, IMS_S_LIFO, IMS_S_FEWEST };
extern const char *const ims_strategy_names[];
struct ims_alloc_opts {
	int strategy;		/* IMS_S_DEFAULT: FEFO for lots with an
				 * expiry, else FIFO */
	const char *location;	/* a zone to serve from, or NULL */
	ims_time now;
};
struct ims_plan;
struct ims_plan *ims_plan_new(struct ims_journal *j,
    const struct ims_alloc_opts *o);
void ims_plan_free(struct ims_plan *p);
int ims_plan_line(struct ims_plan *p, struct ims_oline *l, ims_dec want,
    ims_dec *got);
size_t ims_plan_mark(const struct ims_plan *p);
int ims_plan_undo(struct ims_plan *p, size_t mark);
int ims_plan_commit(struct ims_plan *p);
int ims_plan_each(struct ims_plan *p, ims_resv_fn *fn, void *arg);
int ims_walk_cmp(int has_a, int64_t seq_a, const char *loc_a, int has_b,
    int64_t seq_b, const char *loc_b);

/* pick.c: order fulfilment: serve, expire holds, confirm picks */

struct ims_pick_opts {
	struct ims_alloc_opts alloc;
	int partial;		/* allocate what there is, line by line */
	int all_or_nothing;	/* any shortage: allocate nothing at all */
};
typedef int ims_short_fn(void *arg, const struct ims_oline *l,
    ims_dec wanted, ims_dec allocated);
int ims_pick_serve(struct ims_journal *j, const struct ims_pick_opts *o,
    struct ims_oline **l, size_t n, ims_short_fn *sf, void *arg,
    struct ims_plan **planp, int *shortp);
int ims_pick_expire(struct ims_journal *j, long *n);
int ims_pick_backorders(struct ims_txn *t, ims_time now,
    struct ims_oline ***v, size_t *n);
/* A picked line to confirm, or (sku NULL) a whole order as allocated. */
struct ims_confirm {
	const char *order, *line, *sku, *location, *lot, *serial, *ref;
	ims_dec qty;
	int release_short;
	char fp[IMS_FP_LEN + 1];
};
int ims_pick_confirm(struct ims_journal *j, const struct ims_confirm *c,
    ims_dec *short_by);
extern const char *const ims_pick_cols[], *const ims_wave_cols[],
    *const ims_pick_echo_cols[];
struct ims_picklist;
struct ims_picklist *ims_picklist_new(struct ims_txn *t);
void ims_picklist_free(struct ims_picklist *pl);
int ims_picklist_add(void *arg, const struct ims_resv *r, ims_dec qty);
void ims_picklist_print(struct ims_picklist *pl, struct ims_out *o,
    int wave);
extern const char *const ims_pick_pack_cols[], *const ims_wave_pack_cols[];
void ims_picklist_packs(struct ims_picklist *pl, int on);
struct ims_txn *ims_picklist_txn(const struct ims_picklist *pl);

/* kit.c: kits, items made of other items */

int ims_kit_parse(struct ims_txn *t, const struct ims_field *f,
    struct ims_buf *b);
int ims_kit_explode(struct ims_txn *t, const char *sku, const char *json,
    size_t n, struct ims_comp *out, int *nout, char ***names, int *nnames);
void ims_kit_free(char **names, int n);

/* po.c: purchase orders: the po kind of entry, POS and POLINES */

enum { IMS_PO_DRAFT, IMS_PO_APPROVED, IMS_PO_RECEIVED, IMS_PO_CANCELLED,
	IMS_PO_CLOSED };
extern const char *const ims_po_status_names[];
extern const char *const ims_po_cols[], *const ims_poline_cols[];
struct ims_po {
	const char *id, *supplier, *ref;
	ims_time created, approved, ended;	/* IMS_TIME_NONE: not yet */
	unsigned status, nlines;
};
struct ims_poline {
	const char *po, *line, *sku;
	ims_dec qty, received;
	ims_dec unit_cost;
	int has_cost, done;
	ims_time due, last_receipt;
};
int ims_po_get(struct ims_txn *t, const char *id, struct ims_po *po);
int ims_poline_get(struct ims_txn *t, const char *po, const char *line,
    struct ims_poline *l);
int ims_po_open(const struct ims_po *po);
typedef int ims_po_fn(void *arg, const struct ims_po *po);
typedef int ims_poline_fn(void *arg, const struct ims_poline *l);
int ims_each_po(struct ims_txn *t, ims_po_fn *fn, void *arg);
int ims_each_poline(struct ims_txn *t, const char *po, ims_poline_fn *fn,
    void *arg);
int ims_po_create(struct ims_journal *j, struct ims_po *po,
    const struct ims_poline *v, size_t n, const char *actor,
    const char *want, ims_time ts);
int ims_po_change(struct ims_journal *j, const char *id, const char *op,
    const char *actor, const char *want, ims_time ts);
int ims_po_check_receipt(struct ims_txn *t, const char *id,
    const char *want, const char *sku, ims_dec qty, int64_t tol,
    char *line, size_t size);
int ims_po_receive(struct ims_journal *j, const char *id, const char *line,
    ims_dec qty, ims_time ts);
int ims_po_list(struct ims_txn *t, struct ims_out *o, int open,
    const char *supplier, const char *ref);
int ims_po_show(struct ims_txn *t, struct ims_out *o, const char *id);
int ims_po_restore(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e);

/* reorder.c: the reorder run: position, demand, lead time, safety stock,
 * reorder point and order quantity per sku, every figure kept */

struct ims_reorder_opts {
	double service_level;	/* cycle service level; 0: 0.95 */
	double fill_rate;	/* 0: not asked */
	int window_days;	/* history's window when there is no forecast */
	int review_days;	/* periodic review: added to the lead time */
	const char *supplier, *location;
	int all;		/* every sku, not only those to order */
	int history_only;	/* demand from the window, never a forecast */
	ims_time now;
};
struct ims_reorder_row {
	const char *sku, *supplier, *reason, *demand_from, *lead_from;
	const char *model, *qty_rule;
	int suggest;
	ims_dec on_hand, allocated, backorders, on_order, position;
	double demand, demand_sd, lead, lead_sd;
	ims_dec safety_stock, reorder_point, qty_before, qty;
	ims_dec qty_base;	/* the policy's Q: before topping up to the
				 * reorder point, rounded */
	ims_dec max;		/* a min/max item's max; 0: none */
	ims_dec unit_cost;	/* the item's, for a PO line */
	int has_cost;
};
typedef int ims_reorder_fn(void *arg, const struct ims_reorder_row *r);
extern const char *const ims_reorder_cols[];
int ims_reorder(struct ims_txn *t, const struct ims_reorder_opts *o,
    ims_reorder_fn *fn, void *arg);
void ims_reorder_rec(const struct ims_reorder_row *row, struct ims_rec *r);
int ims_reorder_draft(struct ims_journal *j, const struct ims_reorder_row *v,
    size_t n, const char *ref, char ***po);
int ims_reorder_simulate(struct ims_txn *t, const struct ims_reorder_opts *o,
    const double *levels, int nlevels, int holdout,
    struct ims_out *(*open)(const char *const *cols));
double ims_norm_quantile(double p);
double ims_poisson_quantile(double mu, double p);
/* report_supplier.c: lead times and deliveries measured from POs */

struct ims_report_args;
extern const char *const ims_suppliers_cols[];
int ims_report_suppliers(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_lead_time(struct ims_txn *t, const char *sku, const char *supplier,
    double *mean_days, double *sd_days, int *n);

/* restore.c: an exported entry of any kind replayed into the journal */

int ims_restore(struct ims_journal *j, const struct ims_rec *r);

/* iter.c: the read side.  Each iterator calls fn for every row it
 * finds, in order, until fn returns non-zero: IMS_STOP ends the loop
 * with IMS_OK, anything else is returned. */

struct ims_filter {
	const char *sku;
	const char *location;	/* either side of a movement in the zone */
	ims_time since, until;	/* IMS_TIME_NONE: open */
	unsigned kinds;		/* 1 << IMS_KIND_...; 0: every kind */
	const char *client;	/* only the skus it owns; NULL: all */
};
#define IMS_FILTER_ALL { NULL, NULL, IMS_TIME_NONE, IMS_TIME_NONE, 0, NULL }

typedef int ims_entry_fn(void *arg, const struct ims_entry *e);
int ims_each_entry(struct ims_txn *t, uint64_t first, uint64_t last,
    ims_entry_fn *fn, void *arg);
int ims_each_entry_by_time(struct ims_txn *t, const struct ims_filter *f,
    ims_entry_fn *fn, void *arg);

typedef int ims_row_fn(void *arg, const struct ims_val *k,
    const struct ims_val *v);
int ims_each_row(struct ims_txn *t, enum ims_db db,
    const struct ims_key *prefix, ims_row_fn *fn, void *arg);

/* A balance as the iterators give it. */
struct ims_balance {
	const char *sku, *loc, *trk;
	struct ims_bal b;
};
typedef int ims_bal_fn(void *arg, const struct ims_balance *b);
int ims_each_balance(struct ims_txn *t, const char *sku, ims_bal_fn *fn,
    void *arg);
int ims_each_balance_at(struct ims_txn *t, const char *sku, ims_time ts,
    ims_bal_fn *fn, void *arg);
int ims_lot_expiry(struct ims_txn *t, const char *sku, const char *lot,
    ims_time *e);
typedef int ims_hist_fn(void *arg, ims_time ts, uint64_t seq,
    int64_t delta);
int ims_each_history(struct ims_txn *t, const struct ims_key *bal,
    ims_time from, ims_hist_fn *fn, void *arg);
int ims_each_alloc(struct ims_txn *t, const struct ims_key *bal,
    ims_time from, ims_hist_fn *fn, void *arg);
int ims_balance_at(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, ims_time ts, int64_t *on_hand);
int ims_print_entries(struct ims_txn *t, struct ims_out *o, uint64_t first,
    uint64_t last);

/* count.c: stocktakes; counts pinned to their moment, adjustments at
 * it; the count kind of entry and its projection, the last counts */

enum { IMS_CS_MATCH, IMS_CS_WITHIN, IMS_CS_VARIANCE, IMS_CS_RECOUNT,
	IMS_CS_CONFIRMED, IMS_CS_COUNT };
extern const char *const ims_count_status[IMS_CS_COUNT];
int ims_count_status_code(const char *s);
struct ims_last_count {
	int64_t ts;
	uint64_t seq;
	int64_t variance;
	int64_t status;		/* IMS_CS_... */
};
int ims_last_count(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, struct ims_last_count *lc);
int ims_last_count_decode(const struct ims_val *v, struct ims_last_count *lc);

enum { IMS_TOL_QTY, IMS_TOL_PCT, IMS_TOL_VALUE };
struct ims_tolerance {
	int kind;
	ims_dec v;		/* a quantity, a percentage (3 decimals), or
				 * money */
};
struct ims_count_opts {
	int apply, at_now, force, complete;
	const struct ims_tolerance *tol;
	size_t ntol;
};
struct ims_count;
extern const char *const ims_count_cols[];
struct ims_count *ims_count_new(const struct ims_count_opts *o);
void ims_count_reset(struct ims_count *c);
void ims_count_free(struct ims_count *c);
int ims_count_record(struct ims_count *c, struct ims_journal *j,
    const struct ims_rec *r);
int ims_count_complete(struct ims_count *c, struct ims_journal *j);
void ims_count_echo(struct ims_count *c, struct ims_out *o);
long ims_count_blocked(const struct ims_count *c);
int ims_count_taker(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, ims_time ts, uint64_t seq, ims_dec counted,
    uint64_t *who);
int ims_count_restore(struct ims_journal *j, const struct ims_rec *r,
    const struct ims_restored *e);

/* What a count sheet lists. */
struct ims_sheet {
	const char *location;	/* a prefix, or NULL */
	const char *const *skus;	/* NULL-terminated, or NULL: all */
	int blind, include_empty;
	int cycle;		/* only what is due on day, by ABC class */
	ims_time day;
	int days[3];		/* A, B and C are counted every so many */
};
extern const char *const ims_sheet_cols[], *const ims_sheet_blind_cols[],
    *const ims_cycle_cols[], *const ims_cycle_blind_cols[];
int ims_count_sheet(struct ims_txn *t, struct ims_out *o,
    const struct ims_sheet *s);
struct ims_report_args;
extern const char *const ims_adjustments_cols[], *const ims_accuracy_cols[];
int ims_report_adjustments(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_accuracy(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_count_classes(struct ims_txn *t, ims_time until,
    struct ims_map **classes);

/* check.c: every projection rebuilt from the journal and compared */

typedef void ims_check_fn(void *arg, const struct ims_rec *diff);
struct ims_check_counts {
	long entries, movements, ndiff;
};
int ims_check(struct ims_txn *t, ims_check_fn *report, void *arg,
    struct ims_check_counts *n);

/* report.c: reports over balances and the journal, and their table */

/* What a report may be asked; which of it a report takes is its
 * takes, in IMS_R_ bits. */
enum { IMS_R_SKU = 1, IMS_R_LOCATION = 2, IMS_R_SINCE = 4,
	IMS_R_UNTIL = 8, IMS_R_ASOF = 16, IMS_R_GROUP = 32, IMS_R_DEPTH = 64,
	IMS_R_OPEN = 1 << 20, IMS_R_CLIENT = 1 << 24,
	IMS_R_CHANNEL = 1 << 25 };
/* the classes' and the charts' (report_class.c, report_dash.c) */
enum { IMS_R_ABCCUTS = 1 << 12, IMS_R_XYZCUTS = 1 << 13,
	IMS_R_FSNCUTS = 1 << 14, IMS_R_MATRIX = 1 << 15, IMS_R_DAYS = 1 << 16,
	IMS_R_PERIOD = 1 << 17, IMS_R_SVG = 1 << 18, IMS_R_HTML = 1 << 19 };
enum ims_rperiod { IMS_P_DAY = 1, IMS_P_WEEK, IMS_P_MONTH };
/* the cost reports' (report_cost.c); --period is the classes' */
enum { IMS_R_METHOD = 128, IMS_R_BUCKETS = 512, IMS_R_BYSITE = 1024,
	IMS_R_ACCOUNTS = 2048 };
#define IMS_R_LAST IMS_R_ACCOUNTS
#define IMS_AGING_MAX 16	/* --buckets: at most this many edges */
struct ims_report_args {
	struct ims_filter f;
	const char *group;	/* --group-by: sku, location or lot */
	int depth;
	ims_time as_of;		/* IMS_TIME_NONE: now */
	int open;		/* --open: only what is not done */
	int cut_a, cut_b;	/* --abc-cuts: percentages */
	ims_dec xyz_x, xyz_y;	/* --xyz-cuts: coefficients, 3 places */
	ims_dec fsn_fast;	/* --fsn-cuts: turnover, 3 places */
	int fsn_days;		/* and days since the last issue */
	const char *matrix;	/* --matrix: xyz or ved */
	int days;		/* --days: expiring's horizon */
	enum ims_rperiod period;	/* --period; 0: the report's default */
	const char *svg, *html;	/* --svg, --html: files to write */
	ims_time now;		/* the clock, for what "today" means */
	const char *channel;	/* --channel: only this one */
	int method;		/* --method: IMS_COST_FIFO or IMS_COST_AVG */
	int nedges;		/* --buckets: last days, ascending */
	int edges[IMS_AGING_MAX];
	int by_site;		/* --by-site */
	const char *accounts;	/* --accounts: name=account,... */
};
#define IMS_REPORT_ARGS_INIT { .f = IMS_FILTER_ALL, .as_of = IMS_TIME_NONE, \
	.cut_a = 80, .cut_b = 95, .xyz_x = 500, .xyz_y = 1000, \
	.fsn_fast = 3000, .fsn_days = 90, .days = 30, .now = IMS_TIME_NONE }
struct ims_report {
	const char *name;
	const char *doc;
	const char *const *cols;
	unsigned takes;
	int (*run)(struct ims_txn *t, struct ims_out *o,
	    const struct ims_report_args *a);
	const char *groups;	/* --group-by values, "a|b"; NULL:
				 * sku|location|lot */
};
extern const struct ims_report ims_reports[];
const struct ims_report *ims_report_find(const char *name);

extern const char *const ims_onhand_cols[];
int ims_report_onhand(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f, const char *group, int depth,
    ims_time as_of);
int ims_report_ledger(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f);

/* forecast.c, forecast_methods.c, forecast_run.c: demand history by
 * period, classification, forecasting methods (a table), each sku's
 * method chosen by backtest, the saved summaries */

enum ims_fc_class { IMS_FC_SHORT, IMS_FC_SMOOTH, IMS_FC_ERRATIC,
	IMS_FC_INTERMITTENT, IMS_FC_LUMPY, IMS_FC_NCLASS };
extern const char *const ims_fc_class_names[IMS_FC_NCLASS];
enum ims_period { IMS_PER_DAY, IMS_PER_WEEK, IMS_PER_MONTH };
int64_t ims_period_of(ims_time t, int per);
ims_time ims_period_start(int64_t p, int per);
double ims_period_days(int per);

/* A series as a method reads it: work has room for 3 max(n, m) values. */
struct ims_fc_in {
	const double *y;
	int n, m;
	double *work;
};
enum { IMS_FC_FLAT, IMS_FC_LEVEL, IMS_FC_WALK, IMS_FC_SEASON,
	IMS_FC_TREND };
#define IMS_FC_MAXPAR 3
struct ims_fc_method {
	const char *name;
	unsigned suits;			/* 1 << IMS_FC_ class */
	int npar;
	const char *par[IMS_FC_MAXPAR];
	double lo[IMS_FC_MAXPAR], hi[IMS_FC_MAXPAR];
	int spread;			/* IMS_FC_FLAT...: error by horizon */
	int (*can)(const struct ims_fc_in *in);
	void (*run)(const struct ims_fc_in *in, const double *par,
	    double *fit, double *fc, int h);
};
extern const struct ims_fc_method ims_fc_methods[];
const struct ims_fc_method *ims_fc_method_find(const char *name);
int ims_fc_bucket(const double *y, int n);
int ims_fc_classify(const double *y, int n, double *adi, double *cv2);

/* What is asked of every sku. */
struct ims_fc_opts {
	const struct ims_fc_method *method;	/* NULL: auto */
	int m;				/* season length */
	int holdout;			/* 0: the default */
	int holdout_set;
	int horizon;
	double level;			/* 0.95 */
	double fixed[IMS_FC_MAXPAR * 8];	/* --param, by name below */
	const char *fixed_name[IMS_FC_MAXPAR * 8];
	int nfixed;
	int per;			/* IMS_PER_ */
};

/* One sku's answer.  Figures per period; NAN where there is none. */
#define IMS_FC_MAXH 366
struct ims_fc_result {
	int cls, n, holdout;
	double adi, cv2;
	int meth[2];			/* index in ims_fc_methods; [1]: the
					 * second of a combination, or -1 */
	double par[2][IMS_FC_MAXPAR];
	double mae, rmsse, bias, rmse;
	int h;
	double fc[IMS_FC_MAXH], lo[IMS_FC_MAXH], hi[IMS_FC_MAXH];
};
struct ims_fc_ws;
struct ims_fc_ws *ims_fc_ws_new(void);
void ims_fc_ws_free(struct ims_fc_ws *w);
void ims_fc_sku(const struct ims_fc_opts *o, struct ims_fc_ws *w,
    const double *y, int n, struct ims_fc_result *r);
void ims_fc_params(const struct ims_fc_result *r, struct ims_buf *b);
extern int ims_fc_digits;
char *ims_fc_num(double v, char *buf);

/* Many skus: history from records or the store, forecast in batches on
 * worker threads, printed in order; summaries saved when asked. */
#define IMS_FC_JOBS 8
enum { IMS_FC_ORDERS = 1, IMS_FC_SHIPMENTS = 2 };
struct ims_fc_runner {
	struct ims_fc_opts o;
	int m_set, summary, save, demand, scrap, jobs;
	ims_time since, until, now;	/* IMS_TIME_NONE: open */
	struct ims_out *out;		/* NULL: print nothing */
	struct ims_txn *txn;		/* --save: a write transaction */
	int status;			/* 1 when a sku could not be done */
	int64_t end;			/* history's last period */
	/* two batches: one filled while the workers forecast the other */
	struct ims_fc_batch {
		char **sku;
		size_t *off, ny, ycap;
		int *len, nb;
		double *y;
		struct ims_fc_result *res;
	} bt[2], *b;
	struct ims_fc_pool *pool;
	struct ims_fc_ws *ws[IMS_FC_JOBS];
	struct ims_rec rec;
	struct ims_buf b1, b2;
};
extern const char *const ims_fc_cols[];
void ims_fc_runner_init(struct ims_fc_runner *u);
void ims_fc_runner_free(struct ims_fc_runner *u);
int ims_fc_from_records(struct ims_fc_runner *u, char **files, int nfiles,
    int fmt);
int ims_fc_from_store(struct ims_fc_runner *u, struct ims_txn *t);

/* The summary ims-forecast --save keeps for a sku (ims-reorder's). */
struct ims_fc_summary {
	double demand_per_day, sd_per_day;
	double mae, rmsse, bias;	/* NAN: no backtest */
	char method[64], cls[16], period[8];
	ims_time made;
};
extern const char *const ims_fc_summary_cols[];
int ims_forecast_get(struct ims_txn *t, const char *sku,
    struct ims_fc_summary *s);
/* abc.c: ABC classes by consumption value: the quantity shipped to
 * @customer over a period times the item's unit_cost */

struct ims_abc_row {
	const char *sku;
	ims_wide value;		/* consumption value, 4 places */
	ims_wide cum;		/* value of this sku and those above it */
	char cls;		/* 'A', 'B' or 'C' */
	ims_wide qty;		/* quantity shipped, 3 places */
	ims_wide total;		/* every sku's value: cum's 100% */
};
typedef int ims_abc_fn(void *arg, const struct ims_abc_row *r);
int ims_abc(struct ims_txn *t, ims_time since, ims_time until, int cut_a,
    int cut_b, ims_abc_fn *fn, void *arg);

/* report_class.c: xyz, fsn, ved and the class matrices; periods */

extern const char *const ims_abc_cols[], *const ims_xyz_cols[],
    *const ims_fsn_cols[], *const ims_ved_cols[];
int ims_report_abc(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_xyz(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_fsn(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_ved(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
const char *const *ims_matrix_cols(const char *kind);
int ims_report_check(struct ims_txn *t,
    const struct ims_report_args *a, int clock);
ims_time ims_report_until(const struct ims_report_args *a);
int ims_report_since(struct ims_txn *t, const struct ims_report_args *a,
    ims_time *since);
int ims_periods(enum ims_rperiod p, ims_time since, ims_time until,
    ims_time **starts, size_t *n);
long ims_rperiod_index(const ims_time *starts, size_t n, ims_time ts);
int ims_pareto_svg(struct ims_txn *t, const struct ims_report_args *a,
    ims_time since, ims_time until, struct ims_buf *b);
ims_time ims_rperiod_start(enum ims_rperiod p, ims_time t);
ims_time ims_rperiod_next(enum ims_rperiod p, ims_time start);
void ims_rperiod_label(enum ims_rperiod p, ims_time start, char *buf);
int ims_item_dec(const struct ims_rec *r, const char *name, int scale,
    ims_dec *v);

/* report_dash.c: expiring, lowstock, movements; the dashboard page */

struct ims_level {		/* one period of movements in a scope */
	ims_time start;
	ims_wide in, out, adjust, scrap, level;
};
int ims_levels(struct ims_txn *t, const struct ims_filter *f,
    enum ims_rperiod p, struct ims_level **lv, size_t *n);
extern const char *const ims_expiring_cols[], *const ims_lowstock_cols[],
    *const ims_movements_cols[], *const ims_dashboard_cols[];
int ims_report_expiring(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_lowstock(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_movements(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_dashboard(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);

/* svg.c: charts as standalone SVG, written by ims itself */

struct ims_chart {
	const char *title;
	const char *unit;		/* what the y axis counts */
	size_t n;
	const char *const *x;		/* a label per point */
	const ims_wide *y;		/* a value per point */
	int scale;			/* the values' decimal places */
	int bars;			/* 1: bars; 0: a line */
	ims_wide mark[2];		/* lines across at these y (0: none) */
};
void ims_svg_chart(struct ims_buf *b, const struct ims_chart *c);
int ims_svg_write(const char *path, const struct ims_chart *c);
int ims_file_write(const char *path, const struct ims_buf *b);
void ims_buf_xml(struct ims_buf *b, const char *s);
/* valuation.c: the cost of stock, replayed from the journal in (ts, seq)
 * order at report time: FIFO layers that follow stock through transfers,
 * or the perpetual moving average. */

enum { IMS_COST_FIFO, IMS_COST_AVG };
enum { IMS_PERIOD_NONE, IMS_PERIOD_DAY, IMS_PERIOD_WEEK, IMS_PERIOD_MONTH };
/* What a movement does to the books, by its two ends. */
enum ims_flow { IMS_FLOW_RECEIVE, IMS_FLOW_SHIP, IMS_FLOW_TRANSFER,
	IMS_FLOW_ADJUST, IMS_FLOW_SCRAP, IMS_FLOW_RETURN, IMS_FLOW_VENDOR };

/* A FIFO cost layer: what is left of one receipt in one balance. */
struct ims_layer {
	ims_dec qty, value;	/* value: money, what the qty cost */
	ims_time ts;		/* the receipt's moment, for aging */
	uint64_t seq;
};

struct ims_csku;
/* A balance's cost: its layers [head, n) oldest first (FIFO), its sums,
 * and what it shipped in the window.  The fields a movement reads come
 * first, in one cache line. */
struct ims_cbal {
	uint64_t hash;
	const char *sku, *loc, *trk;
	struct ims_layer *l;
	size_t head, n, cap;
	ims_dec qty;
	struct ims_csku *s;
	ims_wide value;		/* FIFO: its layers' sum; avg: unused */
	ims_wide area;		/* value x seconds inside the window */
	ims_time mark;
	ims_dec shipped;	/* to @customer inside the window */
	ims_wide cogs;
	struct ims_cbal *next;	/* the sku's balances */
};
struct ims_csku {
	const char *sku;
	ims_dec qty;
	ims_wide value;		/* every internal balance of it */
	ims_dec last_cost;	/* of its latest receipt */
	ims_wide area;
	ims_dec shipped;
	ims_wide cogs;
	size_t nbal;
	struct ims_cbal *bals;
	unsigned snap;		/* written at the bound before it */
};
/* A movement as costed, for a report's callback. */
struct ims_cost_flow {
	const struct ims_entry *e;
	enum ims_flow type;
	ims_wide value;		/* at cost; >= 0 */
	const struct ims_cbal *from, *to;	/* NULL: virtual */
};
typedef int ims_flow_fn(void *arg, const struct ims_cost_flow *fl);
struct ims_cost_opts {
	int method;
	const char *sku;	/* NULL: every sku */
	ims_time until;		/* replay up to it; IMS_TIME_NONE: all */
	ims_time since;		/* the window opens (IMS_TIME_NONE: at
				 * the start); shipped, cogs, area, fn */
	ims_flow_fn *fn;	/* each movement in the window, or NULL */
	void *arg;
};
struct ims_costs;
int ims_costs_run(struct ims_txn *t, const struct ims_cost_opts *o,
    struct ims_costs **cp);
void ims_costs_free(struct ims_costs *c);
struct ims_csku **ims_costs_skus(struct ims_costs *c, size_t *n);
struct ims_cbal **ims_costs_bals(const struct ims_csku *s);
ims_wide ims_cbal_value(const struct ims_costs *c, const struct ims_cbal *b);
ims_dec ims_unit_cost(ims_wide value, ims_dec qty);
int ims_json_dec(const struct ims_entry *e, const char *name, int scale,
    ims_dec *v);
enum ims_flow ims_flow_of(const struct ims_entry *e);

/* The states of every sku at moments, for checkpoints: each sku's
 * (p, n) at each moment at. */
typedef int ims_snap_fn(void *arg, int method, ims_time at, const char *sku,
    const void *p, size_t n);
struct ims_snap {
	int method;
	ims_time *bounds;	/* the moments, ascending */
	size_t nb;		/* 0: chosen */
	long every, left;	/* choosing: a moment every so many */
	ims_time from;		/* start from the checkpoint at it */
	const char *const *skus;	/* or only these, from their history */
	size_t nskus;
};
int ims_costs_snap(struct ims_txn *t, struct ims_snap *sn, ims_snap_fn *fn,
    void *arg);

/* costck.c: cost checkpoints, the state of every sku at a moment,
 * stored so that a cost report replays only what came after it. */
typedef int ims_costck_fn(void *arg, const char *sku, const void *p,
    size_t n);
typedef int ims_costck_made_fn(void *arg, int method, const ims_time *at,
    size_t nat, long skus);
typedef void ims_costck_diff_fn(void *arg, const char *key,
    const char *stored, const char *expected);
int ims_costck_find(struct ims_txn *t, int method, ims_time until,
    ims_time since, ims_time *at, uint64_t *made);
int ims_costck_stale(struct ims_txn *t, ims_time at, uint64_t made,
    const char *sku, struct ims_map **stale);
int ims_costck_each(struct ims_txn *t, int method, ims_time at,
    ims_costck_fn *fn, void *arg);
int ims_costck_get(struct ims_txn *t, int method, ims_time at,
    const char *sku, struct ims_val *v);
int ims_costck_drop(struct ims_txn *t, long *n);
int ims_costck_list(struct ims_txn *t, int method, ims_time **at, size_t *n);
int ims_costck_make(struct ims_txn *t, long every, ims_costck_made_fn *fn,
    void *arg);
int ims_costck_check(struct ims_txn *t, ims_costck_diff_fn *diff, void *arg);

/* Aging: on hand and value by age since receipt, following the FIFO
 * layers.  edges are the buckets' upper ends in days (30, 60, 90, 180:
 * 0-30, 31-60, 61-90, 91-180, over 180); sums has nedges + 1 rows. */
struct ims_aging_sum {
	ims_wide qty, value;
};
extern const int ims_aging_default[4];
int ims_aging_bucket(const int *edges, int nedges, ims_time at,
    ims_time received);
void ims_aging_label(const int *edges, int nedges, int i, char *buf,
    size_t n);
int ims_aging(struct ims_txn *t, const struct ims_filter *f, ims_time at,
    const int *edges, int nedges, struct ims_aging_sum *sums);

/* report_cost.c: valuation, aging, turnover, dio, sales, gl */

extern const char *const ims_valuation_cols[], *const ims_aging_cols[],
    *const ims_turnover_cols[], *const ims_dio_cols[],
    *const ims_sales_cols[], *const ims_gl_cols[];
int ims_report_valuation(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_aging(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_turnover(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_dio(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_sales(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
int ims_report_gl(struct ims_txn *t, struct ims_out *o,
    const struct ims_report_args *a);
const char *ims_gl_accounts(char *spec, const char *acc[4]);

/*
 * The command-line layer: what the commands share on top of the core.
 * Nothing above this line reads it.
 */

/* cli.c: the common options, shared by every command */

struct ims_opts {
	const char *db;
	int out_fmt;
	int in_fmt;
	int dry_run;
	int quiet;
	int keep_going;
	int raw;
	int no_sync;
	const char *rejects;
};
extern struct ims_opts ims_opt;
extern const struct argp_child ims_argp_children[];
/* Which common options a command takes. */
enum {
	IMS_O_DB = 1, IMS_O_OUTPUT = 2, IMS_O_INFMT = 4, IMS_O_DRYRUN = 8,
	IMS_O_QUIET = 16, IMS_O_KEEP = 32, IMS_O_REJECTS = 64,
	IMS_O_RAW = 128, IMS_O_NOSYNC = 256
};
#define IMS_O_READ (IMS_O_DB | IMS_O_OUTPUT | IMS_O_RAW)
#define IMS_O_ALL 511u
void ims_init(int argc, char **argv);
void ims_init_takes(int argc, char **argv, unsigned takes, const char *why);
void ims_opts_mode(unsigned takes, const char *why);
void ims_usage_error(const char *msg) __attribute__((noreturn));
int ims_open(struct ims_store **sp, int write);
const char *ims_actor(void);
int ims_post_env(ims_time *now, const char **actor);
struct ims_out *ims_stdout(const char *const *cols);
typedef int ims_read_fn(struct ims_txn *t, void *arg);
int ims_read_main(ims_read_fn *fn, void *arg);

/* batch.c: one transaction per invocation, all or nothing */

struct ims_batch {
	const char *const *cols;	/* columns of what it echoes */
	int (*record)(struct ims_batch *b, struct ims_rec *r);
	int (*echo)(struct ims_batch *b, struct ims_txn *t,
	    struct ims_out *o);
	void (*reset)(struct ims_batch *b);
	/* after the records, before the commit: work on what they said;
	 * loud is 0 on a replay after a full map, which has said it all */
	int (*end)(struct ims_batch *b, int loud);
	int no_input;			/* end() is the whole of it */
	long items, rejected;		/* what end() took, and rejected */
	int shortage;			/* exit 1, though all is stored */
	void *arg;
	struct ims_txn *txn;		/* set by ims_batch_run */
	struct ims_journal *journal;	/* set by ims_batch_run */
	uint64_t first_seq, last_seq;	/* what the batch posted */
};
int ims_batch_run(struct ims_batch *b, int nfiles, char **files);
int ims_echo_entries(struct ims_batch *b, struct ims_txn *t,
    struct ims_out *o);
int ims_post_record(struct ims_batch *b, struct ims_rec *r);
int ims_post_main(int kind, const char *doc, int argc, char **argv);

/* master_main.c: ims-item, ims-loc, ims-supplier */

int ims_master_main(const struct ims_schema *s, int argc, char **argv);

#endif
