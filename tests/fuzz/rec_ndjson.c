/*
 * rec_ndjson: the NDJSON reader.  The input is a file of lines.  Each
 * record the reader gives is held against the reference JSON reader of
 * fuzz.c, line by line: a strict JSON object with distinct names must
 * be read with exactly its fields, and anything that is not UTF-8, not
 * an object, or holds \u0000 must be rejected (text that is not JSON
 * may be accepted, as cJSON's leniencies were: then its rendering must
 * still be strict JSON).  Every record
 * accepted must render as strict JSON and as CSV that read back the
 * same, and a replay (ims_reader_rewind) must read the same records.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct state {
	const char *p, *e;	/* the input not yet matched to records */
	long line;
};

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", p[i]) || !p[i])
			return 0;
	return 1;
}

/* The next line that should make a record: not blank, with its line
 * ending (and a byte-order mark on line 1) taken off. */
static int
next_line(struct state *st, const char **lp, size_t *ln)
{
	while (st->p < st->e) {
		const char *nl = memchr(st->p, '\n', st->e - st->p);
		const char *p = st->p, *end = nl ? nl : st->e;

		st->p = nl ? nl + 1 : st->e;
		st->line++;
		if (st->line == 1 && end - p >= 3 &&
		    memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		while (end > p && end[-1] == '\r')
			end--;
		if (blank(p, end - p))
			continue;
		*lp = p;
		*ln = end - p;
		return 1;
	}
	return 0;
}

static int
distinct(const struct jobj *o)
{
	for (size_t i = 0; i < o->n; i++)
		for (size_t j = i + 1; j < o->n; j++)
			if (o->m[i].namelen == o->m[j].namelen &&
			    memcmp(o->m[i].name, o->m[j].name,
			    o->m[i].namelen) == 0)
				return 0;
	return 1;
}

/* What the reference makes of the line: 1 must be read as o, 0 must be
 * rejected, -1 either (past cJSON's limits, or a leniency). */
static int
expect(const char *p, size_t n, struct jobj *o)
{
	int rc = fuzz_json(p, n, o);

	if (rc == -2)
		return -1;
	if (rc == -3)
		return 0;
	if (rc == -1)
		return fuzz_utf8((const unsigned char *)p, n) ? -1 : 0;
	return rc == 1 && distinct(o);
}

static void
each(const struct ims_rec *r, void *arg)
{
	struct state *st = arg;
	struct jobj o = { 0 };
	const char *p, *why;
	size_t n;
	int want;

	if (!r) {
		if (next_line(st, &p, &n))
			fuzz_fail("line %ld %s gave no record", st->line,
			    ims_qn(p, n));
		return;
	}
	if (!next_line(st, &p, &n))
		fuzz_fail("a record from nowhere, at line %ld", r->line);
	if (r->line != st->line)
		fuzz_fail("record at line %ld, want %ld", r->line, st->line);
	want = expect(p, n, &o);
	if (want == 0 && !r->error)
		fuzz_fail("line %ld %s is accepted", r->line, ims_qn(p, n));
	if (want == 1 && r->error)
		fuzz_fail("line %ld %s is rejected: %s", r->line,
		    ims_qn(p, n), r->error);
	if (want == 1 && (why = fuzz_same_obj(r, &o)))
		fuzz_fail("line %ld %s: %s", r->line, ims_qn(p, n), why);
	fuzz_jobj_free(&o);
	if (!r->error) {
		fuzz_check_json_trip(r);
		fuzz_check_csv_trip(r);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { (const char *)data, (const char *)data + size,
		0 };
	const char *path = fuzz_file(0, data, size);

	fuzz_read_twice(path, IMS_FMT_NDJSON, each, &st);
	return 0;
}
