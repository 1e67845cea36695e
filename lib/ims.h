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
void ims_out_total(struct ims_out *o, const struct ims_rec *r);
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
	IMS_R_UNTIL = 8, IMS_R_ASOF = 16, IMS_R_GROUP = 32, IMS_R_DEPTH = 64 };
/* the classes' and the charts' (report_class.c, report_dash.c) */
enum { IMS_R_ABCCUTS = 1 << 12, IMS_R_XYZCUTS = 1 << 13,
	IMS_R_FSNCUTS = 1 << 14, IMS_R_MATRIX = 1 << 15, IMS_R_DAYS = 1 << 16,
	IMS_R_PERIOD = 1 << 17, IMS_R_SVG = 1 << 18, IMS_R_HTML = 1 << 19 };
enum ims_period { IMS_P_DAY = 1, IMS_P_WEEK, IMS_P_MONTH };
struct ims_report_args {
	struct ims_filter f;
	const char *group;	/* --group-by: sku, location or lot */
	int depth;
	ims_time as_of;		/* IMS_TIME_NONE: now */
	int cut_a, cut_b;	/* --abc-cuts: percentages */
	ims_dec xyz_x, xyz_y;	/* --xyz-cuts: coefficients, 3 places */
	ims_dec fsn_fast;	/* --fsn-cuts: turnover, 3 places */
	int fsn_days;		/* and days since the last issue */
	const char *matrix;	/* --matrix: xyz or ved */
	int days;		/* --days: expiring's horizon */
	enum ims_period period;	/* --period; 0: the report's default */
	const char *svg, *html;	/* --svg, --html: files to write */
	ims_time now;		/* the clock, for what "today" means */
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
};
extern const struct ims_report ims_reports[];
const struct ims_report *ims_report_find(const char *name);

extern const char *const ims_onhand_cols[];
int ims_report_onhand(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f, const char *group, int depth,
    ims_time as_of);
int ims_report_ledger(struct ims_txn *t, struct ims_out *o,
    const struct ims_filter *f);

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
void ims_rec_addw(struct ims_rec *r, const char *name, ims_wide v,
    int scale);
int ims_report_check(struct ims_txn *t,
    const struct ims_report_args *a, int clock);
ims_time ims_report_until(const struct ims_report_args *a);
int ims_report_since(struct ims_txn *t, const struct ims_report_args *a,
    ims_time *since);
int ims_periods(enum ims_period p, ims_time since, ims_time until,
    ims_time **starts, size_t *n);
long ims_period_index(const ims_time *starts, size_t n, ims_time ts);
int ims_pareto_svg(struct ims_txn *t, const struct ims_report_args *a,
    ims_time since, ims_time until, struct ims_buf *b);
ims_time ims_period_start(enum ims_period p, ims_time t);
ims_time ims_period_next(enum ims_period p, ims_time start);
void ims_period_label(enum ims_period p, ims_time start, char *buf);
int ims_item_dec(const struct ims_rec *r, const char *name, int scale,
    ims_dec *v);

/* report_dash.c: expiring, lowstock, movements; the dashboard page */

struct ims_level {		/* one period of movements in a scope */
	ims_time start;
	ims_wide in, out, adjust, scrap, level;
};
int ims_levels(struct ims_txn *t, const struct ims_filter *f,
    enum ims_period p, struct ims_level **lv, size_t *n);
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
