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
void ims_out_close(struct ims_out *o);

/* journal.c: the journal, its entries and their kinds, the hash chain */

enum ims_kind {
	IMS_KIND_MOVE = 1, IMS_KIND_ITEM, IMS_KIND_LOCATION,
	IMS_KIND_SUPPLIER,
	/* named for the kinds to come; a restore refuses them until then */
	IMS_KIND_ORDER, IMS_KIND_RESERVE, IMS_KIND_RELEASE,
	IMS_KIND_COUNT_ENTRY, IMS_KIND_PO,
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
int ims_move_parse(struct ims_move *m, const struct ims_rec *r, int kind);
int ims_post(struct ims_journal *j, struct ims_move *m, uint64_t *seq);
int ims_is_virtual(const char *loc);
int ims_loc_match(const char *loc, const char *prefix);
extern const char *const ims_move_cols[];

/* master.c: items, locations, suppliers: master kinds of entry */

enum ims_ftkind { IMS_K_STR, IMS_K_INT, IMS_K_QTY, IMS_K_MONEY,
	IMS_K_RATE, IMS_K_ENUM, IMS_K_REF };
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
    ims_supplier_schema;
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
};
#define IMS_FILTER_ALL { NULL, NULL, IMS_TIME_NONE, IMS_TIME_NONE, 0 }

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
int ims_balance_at(struct ims_txn *t, const char *sku, const char *loc,
    const char *trk, ims_time ts, int64_t *on_hand);
int ims_print_entries(struct ims_txn *t, struct ims_out *o, uint64_t first,
    uint64_t last);

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
	IMS_R_METHOD = 128, IMS_R_PERIOD = 256, IMS_R_BUCKETS = 512,
	IMS_R_BYSITE = 1024, IMS_R_ACCOUNTS = 2048 };
#define IMS_R_LAST IMS_R_ACCOUNTS
#define IMS_AGING_MAX 16	/* --buckets: at most this many edges */
struct ims_report_args {
	struct ims_filter f;
	const char *group;	/* --group-by: sku, location or lot */
	int depth;
	ims_time as_of;		/* IMS_TIME_NONE: now */
	int method;		/* --method: IMS_COST_FIFO or IMS_COST_AVG */
	int period;		/* --period: IMS_PERIOD_... */
	int nedges;		/* --buckets: last days, ascending */
	int edges[IMS_AGING_MAX];
	int by_site;		/* --by-site */
	const char *accounts;	/* --accounts: name=account,... */
};
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
