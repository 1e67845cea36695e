/*
 * unit.c: unit tests of libims, printing TAP.  Run by tests/0001-unit.t.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims.h"

static int ntest, nfail;

static void
check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	nfail += !cond;
}

static void
dec_ok(const char *in, int scale, const char *want)
{
	char b[IMS_DEC_BUF];
	ims_dec v = 0;
	const char *why = ims_dec_parse(in, strlen(in), scale, &v);

	check(!why && strcmp(ims_dec_fmt(v, scale, b), want) == 0,
	    "dec %s -> %s (got %s)", in, want, why ? why : b);
}

static void
dec_bad(const char *in, int scale, const char *want)
{
	ims_dec v;
	const char *why = ims_dec_parse(in, strlen(in), scale, &v);

	check(why && strstr(why, want), "dec %s rejected: %s (got %s)", in,
	    want, why ? why : "accepted");
}

static void
test_dec(void)
{
	ims_dec r;

	dec_ok("24", 3, "24");
	dec_ok("2.5", 3, "2.5");
	dec_ok("2.500000", 3, "2.5");
	dec_ok("-0.125", 3, "-0.125");
	dec_ok("0", 3, "0");
	dec_ok("-0", 3, "0");
	dec_ok("2.675", 3, "2.675");	/* no binary rounding */
	dec_ok("1e3", 3, "1000");
	dec_ok("2.5E-1", 4, "0.25");
	dec_ok("9223372036854775.807", 3, "9223372036854775.807");
	dec_ok("0.1000000000000000000000000", 4, "0.1");
	dec_bad("1.0001", 3, "more than 3 decimals");
	dec_bad("0.00001", 4, "more than 4 decimals");
	dec_bad("9223372036854775.808", 3, "out of range");
	dec_bad("99999999999999999999", 3, "out of range");
	dec_bad("abc", 3, "not a number");
	dec_bad("", 3, "not a number");
	dec_bad("1.", 3, "not a number");
	dec_bad(".5", 3, "not a number");
	dec_bad("+5", 3, "not a number");
	dec_bad("1,5", 3, "not a number");
	dec_bad("0x10", 3, "not a number");
	dec_bad("NaN", 3, "not a number");
	dec_bad("1e", 3, "not a number");
	dec_bad(" 1", 3, "not a number");
	check(ims_dec_add(INT64_MAX, 1, &r) != 0, "add overflows");
	check(ims_dec_add(1500, 1000, &r) == 0 && r == 2500, "add");
	check(ims_dec_mul(2500, 3, 12500, 4, 4, &r) == 0 && r == 31250,
	    "2.5 * 1.25 = 3.125");
	check(ims_dec_mul(1, 3, 5000, 4, 4, &r) == 0 && r == 5,
	    "0.001 * 0.5 rounds half away from zero");
	check(ims_dec_mul(INT64_MAX, 3, INT64_MAX, 4, 4, &r) != 0,
	    "mul overflows");
}

static void
time_ok(const char *in, const char *want)
{
	char b[IMS_TIME_BUF];
	ims_time t = 0;
	const char *why = ims_time_parse(in, strlen(in), &t);

	check(!why && strcmp(ims_time_fmt(t, b), want) == 0,
	    "time %s -> %s (got %s)", in, want, why ? why : b);
}

static void
time_bad(const char *in)
{
	ims_time t;

	check(ims_time_parse(in, strlen(in), &t) != NULL,
	    "time %s rejected", in);
}

static void
test_time(void)
{
	char b[IMS_TIME_BUF];
	ims_time t;

	time_ok("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z");
	time_ok("2026-11-27", "2026-11-27T00:00:00Z");
	time_ok("2026-11-27T10:00Z", "2026-11-27T10:00:00Z");
	time_ok("2026-11-27T10:00:00+01:00", "2026-11-27T09:00:00Z");
	time_ok("2026-11-27T00:30:00-02:00", "2026-11-27T02:30:00Z");
	time_ok("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z");
	time_ok("2026-11-27T10:00:00.000Z", "2026-11-27T10:00:00Z");
	time_ok("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z");
	time_ok("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z");
	time_ok("2000-03-01", "2000-03-01T00:00:00Z");
	time_bad("2026-11-27T10:00:00");	/* no zone */
	time_bad("2026-11-27T10:00:00.5Z");
	time_bad("2025-02-29");
	time_bad("2026-13-01");
	time_bad("2026-11-31");
	time_bad("2026-11-27T24:00:00Z");
	time_bad("2026-11-27 10:00:00Z");
	time_bad("27/11/2026");
	time_bad("2026-11-27T10:00:00Zjunk");
	time_bad("");
	check(ims_time_parse("2026-11-27T10:00:00Z", 20, &t) == NULL &&
	    t == 1795773600, "epoch seconds of 2026-11-27T10:00:00Z");
	check(strcmp(ims_date_fmt(t, b), "2026-11-27") == 0, "date format");
}

static void
test_utf8(void)
{
	check(ims_utf8_valid("caf\xc3\xa9", 5), "utf8: e acute");
	check(ims_utf8_valid("\xf0\x9f\x93\xa6", 4), "utf8: 4 bytes");
	check(!ims_utf8_valid("\xc3", 1), "utf8: truncated");
	check(!ims_utf8_valid("\xc0\xaf", 2), "utf8: overlong");
	check(!ims_utf8_valid("\xed\xa0\x80", 3), "utf8: surrogate");
	check(!ims_utf8_valid("\xff", 1), "utf8: 0xff");
	check(strcmp(ims_q("a\x1b[31m\"b"), "\"a\\x1b[31m\\\"b\"") == 0,
	    "messages escape control characters: %s", ims_q("a\x1b[31m"));
}

/* Write text to a temporary file and read its records back. */
static int
read_all(const char *text, struct ims_rec *out, int max, char *errs)
{
	char path[] = "/tmp/ims-unit.XXXXXX";
	int fd = mkstemp(path), n = 0;
	char *files[] = { path };
	struct ims_reader *rd;
	struct ims_rec *r;

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return -1;
	close(fd);
	rd = ims_reader_open(files, 1, IMS_FMT_AUTO, 0);
	errs[0] = '\0';
	while (n < max && ims_reader_next(rd, &r) > 0) {
		if (r->error)
			sprintf(errs + strlen(errs), "%ld:%s;", r->line,
			    r->error);
		else
			for (size_t i = 0; i < r->nf; i++)
				ims_rec_add(&out[n], r->f[i].name, r->f[i].val,
				    r->f[i].len, r->f[i].type);
		out[n].line = r->line;
		n++;
	}
	ims_reader_close(rd);
	unlink(path);
	return n;
}

static void
free_recs(struct ims_rec *r, int n)
{
	for (int i = 0; i < n; i++)
		ims_rec_free(&r[i]);
	memset(r, 0, n * sizeof *r);
}

static void
test_csv_in(void)
{
	struct ims_rec r[8] = { 0 };
	char errs[512];
	int n;

	n = read_all("\xef\xbb\xbfsku,note,qty\r\n"
	    "A-1,\"a, b\",1\r\n"
	    "A-2,\"say \"\"hi\"\"\",2\r\n"
	    "A-3,\"two\nlines\",3\r\n"
	    "A-4,x\r\n"
	    "A-5,,5", r, 8, errs);
	check(n == 5, "csv: 5 records (got %d)", n);
	check(strcmp(ims_rec_str(&r[0], "sku"), "A-1") == 0,
	    "csv: byte-order mark skipped");
	check(strcmp(ims_rec_str(&r[0], "note"), "a, b") == 0,
	    "csv: quoted comma");
	check(strcmp(ims_rec_str(&r[1], "note"), "say \"hi\"") == 0,
	    "csv: doubled quotes");
	check(strcmp(ims_rec_str(&r[2], "note"), "two\nlines") == 0 &&
	    strcmp(ims_rec_str(&r[2], "qty"), "3") == 0,
	    "csv: embedded newline");
	check(r[3].line == 6 && strstr(errs, "6:expected 3 fields"),
	    "csv: wrong column count on line 6 (%s)", errs);
	check(r[4].line == 7 && !ims_rec_field(&r[4], "note") &&
	    strcmp(ims_rec_str(&r[4], "qty"), "5") == 0,
	    "csv: empty cell absent, last line without newline");
	free_recs(r, 8);
	n = read_all("sku,qty\nA-1,\"open\n", r, 8, errs);
	check(n == 1 && strstr(errs, "unterminated"),
	    "csv: unterminated quote (%s)", errs);
	free_recs(r, 8);
	n = read_all("sku,sku\nA,B\n", r, 8, errs);
	check(n == 1 && strstr(errs, "named twice"),
	    "csv: duplicate header (%s)", errs);
	free_recs(r, 8);
}

static void
test_json_in(void)
{
	struct ims_rec r[8] = { 0 };
	char errs[512];
	int n;

	n = read_all("{\"sku\":\"A\",\"qty\":2.675,\"big\":12345678901234567.891,"
	    "\"o\":{\"a\":[1,\"}\"]},\"n\":null,\"t\":true}\r\n"
	    "\n"
	    "{\"sku\":\"caf\\u00e9\"}\n"
	    "{bad}\n"
	    "[1,2]\n"
	    "{\"a\":1,\"a\":2}\n"
	    "{\"x\":\"\xff\"}", r, 8, errs);
	check(n == 6, "json: 6 records, blank line skipped (got %d)", n);
	check(strcmp(ims_rec_field(&r[0], "qty")->val, "2.675") == 0,
	    "json: a number keeps its text");
	check(strcmp(ims_rec_field(&r[0], "big")->val,
	    "12345678901234567.891") == 0,
	    "json: a number past a double's precision keeps its text");
	check(strcmp(ims_rec_field(&r[0], "o")->val, "{\"a\":[1,\"}\"]}") == 0,
	    "json: nested value kept as text");
	check(ims_rec_field(&r[0], "n")->type == IMS_F_NULL &&
	    !ims_rec_str(&r[0], "n"), "json: null is absent");
	check(strcmp(ims_rec_str(&r[1], "sku"), "caf\xc3\xa9") == 0 &&
	    r[1].line == 3, "json: \\u escape, line 3");
	check(strstr(errs, "4:malformed JSON") != NULL, "json: malformed");
	check(strstr(errs, "5:not a JSON object") != NULL, "json: array");
	check(strstr(errs, "6:field \"a\" given twice") != NULL,
	    "json: duplicate field");
	check(strstr(errs, "7:not valid UTF-8") != NULL, "json: bad UTF-8");
	free_recs(r, 8);
}

static void
test_csv_out(void)
{
	struct ims_rec r = { 0 };
	static const char *const cols[] = { "a", "b", "c", NULL };
	char buf[256] = { 0 };
	FILE *fp = fmemopen(buf, sizeof buf - 1, "w");
	struct ims_out *o = ims_out_open(fp, IMS_FMT_CSV, cols, 0);

	ims_rec_adds(&r, "a", "x, \"y\"");
	ims_rec_adds(&r, "b", "=1+2");
	ims_rec_addn(&r, "c", -1500, 3);
	ims_out_rec(o, &r);
	ims_out_close(o);
	fclose(fp);
	check(strcmp(buf, "a,b,c\r\n\"x, \"\"y\"\"\",'=1+2,-1.5\r\n") == 0,
	    "csv out: quoting, formulas neutralised, numbers kept");
	ims_rec_free(&r);
}

static void
upsert(struct ims_journal *j, const struct ims_schema *s, const char *json)
{
	struct ims_rec in = { 0 }, out = { 0 };

	ims_rec_json(&in, json, strlen(json));
	check(ims_master_upsert(j, s, &in, &out) == IMS_OK, "upsert %s",
	    json);
	ims_rec_free(&in);
	ims_rec_free(&out);
}

static int
post(struct ims_journal *l, const char *json)
{
	struct ims_rec in = { 0 };
	struct ims_move m;
	int rc;

	ims_rec_json(&in, json, strlen(json));
	rc = ims_move_parse(&m, &in, strstr(json, "\"location\"") ?
	    IMS_RECEIPT : IMS_TRANSFER);
	if (rc == IMS_OK)
		rc = ims_post(l, &m, NULL);
	ims_rec_free(&in);
	return rc;
}

static int64_t
balance(struct ims_txn *t, const char *sku, const char *loc)
{
	struct ims_key k;
	struct ims_val v;
	struct ims_bal b;

	ims_key_init(&k);
	ims_key_str(&k, sku);
	ims_key_str(&k, loc);
	ims_key_str(&k, "");
	if (ims_get(t, IMS_DB_BALANCES, &k, &v) != IMS_OK)
		return -1;
	memcpy(&b, v.p, sizeof b);
	return b.on_hand;
}

static void
no_report(void *arg, const struct ims_rec *diff)
{
	(void)arg;
	check(0, "a difference: %s %s", ims_rec_str(diff, "check"),
	    ims_rec_str(diff, "key"));
}
#define NULL_REPORT no_report

/*
 * The aging buckets as a chart reads them, on test_ledger's store: by
 * (ts, seq), W/1's first 10 (01-01) lose 6 shipped and 4 moved to W/2,
 * which keep their receipt's date; W/1 holds the 5 of 01-05 at the
 * item's 2.50.  At 01-31: 5 aged 26 days (12.50), 4 aged 30 (10).
 */
static void
aging(struct ims_txn *t)
{
	struct ims_filter f = IMS_FILTER_ALL;
	struct ims_aging_sum sums[3];
	const int edges[2] = { 26, 29 };
	char b[32];

	check(ims_aging(t, &f, 1767225600 + 30 * 86400, edges, 2, sums) ==
	    IMS_OK && sums[0].qty == 5000 && sums[0].value == 125000 &&
	    sums[1].qty == 0 && sums[2].qty == 4000 &&
	    sums[2].value == 100000, "aging: 5 worth 12.50 in 0-26, 4 worth "
	    "10 over 29");
	ims_aging_label(edges, 2, 1, b, sizeof b);
	check(strcmp(b, "27-29") == 0, "the middle bucket is 27-29 (%s)", b);
	ims_aging_label(edges, 2, 2, b, sizeof b);
	check(strcmp(b, "over 29") == 0, "the last is over 29 (%s)", b);
	check(ims_aging_bucket(edges, 2, 86400 * 27 - 1, 0) == 0 &&
	    ims_aging_bucket(edges, 2, 86400 * 27, 0) == 1,
	    "26 days and 23:59:59 are 26 whole days; 27 are not");
}

static void
test_ledger(void)
{
	char dir[] = "/tmp/ims-unit-db.XXXXXX";
	struct ims_store *s;
	struct ims_txn *t;
	struct ims_journal *l;
	struct ims_check_counts n;
	char cmd[64];
	int64_t at;
	int rc;

	if (!mkdtemp(dir) || ims_store_open(&s, dir, 0) != IMS_OK ||
	    ims_txn_begin(s, 1, &t) != IMS_OK ||
	    ims_journal_begin(t, "unit", 1767225600 + 86400 * 30, &l)) {
		check(0, "open a store: %s", ims_errmsg());
		return;
	}
	upsert(l, &ims_item_schema, "{\"sku\":\"A\",\"unit_cost\":2.5}");
	upsert(l, &ims_loc_schema, "{\"code\":\"W/1\"}");
	upsert(l, &ims_loc_schema, "{\"code\":\"W/2\"}");
	check(post(l, "{\"sku\":\"A\",\"qty\":10,\"location\":\"W/1\","
	    "\"ts\":\"2026-01-01\",\"ref\":\"r1\",\"unit_cost\":2.50}") ==
	    IMS_OK, "receive 10");
	check(post(l, "{\"sku\":\"A\",\"qty\":\"10.000\",\"location\":"
	    "\"W/1\",\"ts\":\"2026-01-01T00:00:00Z\",\"ref\":\"r1\","
	    "\"unit_cost\":\"2.5\"}") == IMS_ESKIP,
	    "a posted ref is skipped, its content normalised");
	check(post(l, "{\"sku\":\"A\",\"qty\":11,\"location\":\"W/1\","
	    "\"ts\":\"2026-01-01\",\"ref\":\"r1\",\"unit_cost\":2.5}") ==
	    IMS_EREJECT && strstr(ims_errmsg(), "entry 4"),
	    "a ref with other content is a conflict naming its entry (%s)",
	    ims_errmsg());
	check(post(l, "{\"sku\":\"A\",\"qty\":4,\"from\":\"W/1\","
	    "\"to\":\"W/2\",\"ts\":\"2026-01-03\"}") == IMS_OK, "move 4");
	check(balance(t, "A", "W/1") == 6000 && balance(t, "A", "W/2") == 4000,
	    "balances 6 and 4");
	check(post(l, "{\"sku\":\"A\",\"qty\":6.001,\"from\":\"W/1\","
	    "\"to\":\"@customer\"}") == IMS_EREJECT &&
	    strstr(ims_errmsg(), "not enough stock"), "no overselling");
	check(post(l, "{\"sku\":\"A\",\"qty\":5,\"from\":\"W/2\","
	    "\"to\":\"@customer\",\"ts\":\"2026-01-02\"}") == IMS_EREJECT,
	    "backdated before the stock arrived");
	check(post(l, "{\"sku\":\"A\",\"qty\":5,\"location\":\"W/1\","
	    "\"ts\":\"2026-01-05\"}") == IMS_OK, "receive 5 later");
	check(post(l, "{\"sku\":\"A\",\"qty\":7,\"from\":\"W/1\","
	    "\"to\":\"@customer\",\"ts\":\"2026-01-02\"}") == IMS_EREJECT &&
	    strstr(ims_errmsg(), "2026-01-03"),
	    "backdated: negative at a later moment (%s)", ims_errmsg());
	check(post(l, "{\"sku\":\"A\",\"qty\":6,\"from\":\"W/1\","
	    "\"to\":\"@customer\",\"ts\":\"2026-01-02\"}") == IMS_OK,
	    "backdated and fine at every later moment");
	check(balance(t, "A", "W/1") == 5000, "balance 5 after");
	check(ims_balance_at(t, "A", "W/1", "", 1767225600, &at) == IMS_OK &&
	    at == 10000, "W/1 held 10 on 2026-01-01");
	check(ims_balance_at(t, "A", "W/1", "", 1767225600 + 86400, &at) ==
	    IMS_OK && at == 4000, "4 on 2026-01-02, after the backdated "
	    "shipment of 6");
	check(ims_balance_at(t, "A", "W/1", "", 1767225600 + 2 * 86400, &at)
	    == IMS_OK && at == 0, "none on 2026-01-03, after the move of 4 "
	    "(%lld)", (long long)at);
	check(ims_balance_at(t, "A", "W/2", "", 1767225600, &at) == IMS_OK &&
	    at == 0, "W/2 held nothing on 2026-01-01");
	aging(t);
	check(ims_journal_end(l) == IMS_OK, "journal end");
	ims_journal_free(l);
	memset(&n, 0, sizeof n);
	rc = ims_check(t, NULL_REPORT, NULL, &n);
	check(rc == IMS_OK && n.ndiff == 0 && n.entries == 7 &&
	    n.movements == 4, "the check rebuilds it all: %ld entries, %ld "
	    "movements, %ld differences", n.entries, n.movements, n.ndiff);
	check(ims_txn_commit(t) == IMS_OK, "commit");
	ims_store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		check(0, "remove %s", dir);
}

static void
sha_ok(const char *in, size_t n, const char *want)
{
	char got[65];

	ims_sha256_hex(in, n, got);
	check(strcmp(got, want) == 0, "sha256 of %zu bytes: %s", n, got);
}

/* FIPS 180-4's examples, and lengths around the padding boundary. */
static void
test_sha256(void)
{
	static char a[1000001];
	char link[65], whole[65], text[64 + 8];

	sha_ok("abc", 3, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha_ok("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	sha_ok("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(a, 'a', 1000000);
	sha_ok(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	/* a link of the chain: the hash of the previous one, the entry
	 * without its hash, a closing brace */
	memset(text, '7', 64);
	memcpy(text + 64, "{\"a\":1}", 7);
	ims_chain_link(text, "{\"a\":1", 6, link);
	ims_sha256_hex(text, 71, whole);
	check(strcmp(link, whole) == 0, "a chain link is the SHA-256 of the "
	    "previous hash and the entry");
}

/* Wide sums, values and averages. */
static void
test_wide(void)
{
	char b[IMS_DEC128_BUF];
	ims_dec v;
	ims_wide w = (ims_wide)5000000000000000000 * 2;

	check(strcmp(ims_wide_fmt(w, IMS_QTY, b), "10000000000000000") == 0,
	    "two balances of 5e15: %s", b);
	check(strcmp(ims_wide_fmt(-w - 1, IMS_QTY, b),
	    "-10000000000000000.001") == 0, "negative wide: %s", b);
	check(ims_value(2500, 12345, &v) == 0 && v == 30863,
	    "2.5 x 1.2345 = 3.08625, rounded half away to 3.0863");
	check(ims_value(INT64_MAX, 100000, &v) != 0, "a value too large");
	check(ims_dec_div(10000, 4, 3000, 3, 4, &v) == 0 && v == 3333,
	    "1 / 3 = 0.3333");
	check(ims_dec_div(5, 4, 2000, 3, 4, &v) == 0 && v == 2,
	    "0.0005 / 2 = 0.00025, half to even: 0.0002");
	check(ims_dec_div(15, 4, 2000, 3, 4, &v) == 0 && v == 8,
	    "0.0015 / 2 = 0.00075, half to even: 0.0008");
	check(ims_dec_div(1, 4, 0, 3, 4, &v) != 0, "division by zero");
}

/* A damaged journal entry is named in the message. */
static void
test_entry_damaged(void)
{
	unsigned char key[8] = { 0, 0, 0, 0, 0, 0, 0, 7 };
	struct ims_val k = { key, 8 }, v = { "short", 5 };
	struct ims_entry e;

	check(ims_entry_decode(&k, &v, &e) == IMS_ESTORE &&
	    strstr(ims_errmsg(), "journal entry 7 is too short"),
	    "a short entry is named: %s", ims_errmsg());
	k.n = 3;
	check(ims_entry_decode(&k, &v, &e) == IMS_ESTORE &&
	    strstr(ims_errmsg(), "key of 3 bytes"),
	    "an entry with a bad key says so: %s", ims_errmsg());
}

/* Barcodes, rounding up to a pack, and ims_pack_round over a store. */
static void
test_tpl(void)
{
	char dir[] = "/tmp/ims-unit-tpl.XXXXXX", norm[IMS_ID_MAX + 1];
	struct ims_store *s;
	struct ims_txn *t;
	struct ims_journal *l;
	ims_dec out, packs;
	char cmd[64];

	/* 400638133393: 4+0+3+8+3+3 = 21, (0+6+1+3+9+3) x 3 = 66; 87: 3 */
	check(ims_barcode_check("4006381333931", norm) == IMS_OK &&
	    strcmp(norm, "04006381333931") == 0, "EAN-13 check digit 1");
	check(ims_barcode_check("4006381333932", norm) == IMS_EREJECT &&
	    strstr(ims_errmsg(), "EAN-13 check digit is 1"), "a wrong one");
	/* 03600029145: (0+6+0+2+1+5) x 3 = 42, 3+0+9+4 = 16; 58: 2 */
	check(ims_barcode_check("036000291452", norm) == IMS_OK &&
	    strcmp(norm, "00036000291452") == 0, "UPC-A, keyed as GTIN-14");
	check(ims_barcode_check("036000291453", norm) == IMS_EREJECT &&
	    strstr(ims_errmsg(), "UPC-A"), "UPC-A with a wrong digit");
	/* 1400638133393, from the right: (3+3+3+8+6+0+1) x 3 = 72,
	 * 9+3+1+3+0+4 = 20; 92: 8 */
	check(ims_barcode_check("14006381333938", norm) == IMS_OK &&
	    strcmp(norm, "14006381333938") == 0, "GTIN-14 check digit 8");
	check(ims_barcode_check("14006381333931", norm) == IMS_EREJECT &&
	    strstr(ims_errmsg(), "GTIN-14"), "GTIN-14 with a wrong digit");
	check(ims_barcode_check("ABC-123", norm) == IMS_OK &&
	    strcmp(norm, "ABC-123") == 0, "other symbologies as text");
	check(ims_barcode_check("12345678", norm) == IMS_OK,
	    "eight digits: text, not checked");
	check(ims_round_up(25000, 12000) == 36000 &&
	    ims_round_up(24000, 12000) == 24000 && ims_round_up(0, 12000) == 0,
	    "rounded up to a multiple: 25 -> 36, 24 -> 24, 0 -> 0");
	check(ims_unit_whole("ea") && ims_unit_whole(NULL) &&
	    !ims_unit_whole("kg") && !ims_unit_whole("M"),
	    "ea is whole, kg and M are measures");
	if (!mkdtemp(dir) || ims_store_open(&s, dir, 0) != IMS_OK ||
	    ims_txn_begin(s, 1, &t) != IMS_OK ||
	    ims_journal_begin(t, "unit", 1767225600, &l)) {
		check(0, "open a store: %s", ims_errmsg());
		return;
	}
	upsert(l, &ims_item_schema, "{\"sku\":\"C\",\"uom\":\"ea\","
	    "\"packs\":{\"case\":12,\"pallet\":480},"
	    "\"order_pack\":\"case\"}");
	upsert(l, &ims_item_schema, "{\"sku\":\"F\",\"uom\":\"kg\","
	    "\"packs\":\"sack:2.5\",\"order_pack\":\"sack\"}");
	upsert(l, &ims_item_schema, "{\"sku\":\"N\"}");
	check(ims_pack_round(t, "C", 25000, &out, &packs) == IMS_OK &&
	    out == 36000 && packs == 3000, "25 ea: 3 cases of 12, 36 ea");
	check(ims_pack_round(t, "C", 480000, &out, &packs) == IMS_OK &&
	    out == 480000 && packs == 40000, "480 ea: 40 cases exactly");
	check(ims_pack_round(t, "F", 5001, &out, &packs) == IMS_OK &&
	    out == 7500 && packs == 3000, "5.001 kg: 3 sacks of 2.5, 7.5 kg");
	check(ims_pack_round(t, "N", 7000, &out, &packs) == IMS_OK &&
	    out == 7000 && packs == 0, "no order_pack: unchanged");
	check(ims_pack_round(t, "Z", 7000, &out, &packs) == IMS_EREJECT,
	    "an unknown sku");
	ims_journal_free(l);
	ims_txn_abort(t);
	ims_store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		check(0, "remove %s", dir);
}

int
main(void)
{
	test_dec();
	test_time();
	test_utf8();
	test_csv_in();
	test_json_in();
	test_csv_out();
	test_ledger();
	test_sha256();
	test_wide();
	test_entry_damaged();
	test_tpl();
	printf("1..%d\n", ntest);
	printf("# %d passed, %d failed\n", ntest - nfail, nfail);
	return nfail != 0;
}
