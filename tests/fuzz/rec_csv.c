/*
 * rec_csv: the CSV reader.  The input is a CSV file with a header.  A
 * reference reader written here from RFC 4180 (with libcsv's strict
 * rules: CR, LF or CRLF end a row, blank rows are skipped, spaces and
 * tabs around a field are trimmed unless quoted, a stray quote is an
 * error) says what each record must be: a row with as many cells as the
 * header, all valid UTF-8 without NUL, is read as the header's names
 * and its non-empty cells (less one quote of ims's guard against
 * formulas: '=1, ''=1); any other row is rejected, and so is a row that a
 * bare CR ends with more of its line to come.  Records are
 * compared up to the first row that does not parse, after which the
 * reader may resynchronise as it likes.  Every record accepted must
 * render as strict JSON and as CSV that read back the same, and a replay
 * must read the same records.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct row {
	long line;
	int error;		/* does not parse */
	struct ims_buf text;	/* the cells, one after another */
	size_t *off;		/* where each cell ends in text */
	size_t nc, cap;
};

struct state {
	const char *p, *e;
	long line;
	int started;		/* the header was read */
	int hdr_ok;
	int stopped;		/* compare no further */
	struct row hdr, row;
};

static int
sp(char c)
{
	return c == ' ' || c == '\t';
}

/* Does c end a cell? */
static int
end(char c)
{
	return c == ',' || c == '\r' || c == '\n';
}

static void
end_cell(struct row *r)
{
	if (r->nc == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		if (!(r->off = realloc(r->off, r->cap * sizeof *r->off)))
			abort();
	}
	r->off[r->nc++] = r->text.n;
}

static const char *
cell(const struct row *r, size_t i, size_t *n)
{
	size_t start = i ? r->off[i - 1] : 0;

	*n = r->off[i] - start;
	return r->text.p ? r->text.p + start : "";
}

/* An unquoted cell: up to a comma or the end of the row, trimmed. */
static int
plain(struct state *st, struct row *r)
{
	size_t start = r->text.n;

	for (; st->p < st->e && !end(*st->p); st->p++) {
		if (*st->p == '"')
			return -1;
		ims_buf_addc(&r->text, *st->p);
	}
	while (r->text.n > start && sp(r->text.p[r->text.n - 1]))
		r->text.n--;
	return 0;
}

/* A quoted cell: "" is a quote; after the closing quote only spaces,
 * then a comma or the end of the row. */
static int
quoted(struct state *st, struct row *r)
{
	for (st->p++;; st->p++) {
		if (st->p == st->e)
			return -1;
		if (*st->p == '"') {
			if (st->e - st->p > 1 && st->p[1] == '"') {
				ims_buf_addc(&r->text, '"');
				st->p++;
				continue;
			}
			break;
		}
		if (*st->p == '\n')
			st->line++;
		ims_buf_addc(&r->text, *st->p);
	}
	for (st->p++; st->p < st->e && sp(*st->p); st->p++)
		;
	return st->p < st->e && !end(*st->p) ? -1 : 0;
}

/* After a CR that ended a row: is more of the line to come?  Then the
 * reader, which goes by lines, must reject the row. */
static int
bare_cr(const struct state *st)
{
	const char *p = st->p;

	while (p < st->e && (sp(*p) || *p == '\r'))
		p++;
	return p < st->e && *p != '\n';
}

/* The next row: 1, or 0 at the end of the input. */
static int
next_row(struct state *st, struct row *r)
{
	r->text.n = r->nc = 0;
	r->error = 0;
	for (;; st->p++) {
		if (st->p == st->e)
			return 0;
		if (*st->p == '\n')
			st->line++;
		else if (!sp(*st->p) && *st->p != '\r')
			break;
	}
	r->line = st->line;
	for (;;) {
		while (st->p < st->e && sp(*st->p))
			st->p++;
		if ((st->p < st->e && *st->p == '"' ? quoted(st, r) :
		    plain(st, r)) != 0) {
			r->error = 1;
			return 1;
		}
		end_cell(r);
		if (st->p == st->e)
			return 1;
		if (*st->p++ == ',')
			continue;
		if (st->p[-1] == '\n')
			st->line++;
		else
			r->error = bare_cr(st);
		return 1;
	}
}

static int
text_ok(const struct row *r, size_t i)
{
	size_t n;
	const char *p = cell(r, i, &n);

	return !memchr(p, '\0', n) && fuzz_utf8((const unsigned char *)p, n);
}

static int
header_ok(const struct row *h)
{
	for (size_t i = 0; i < h->nc; i++) {
		size_t n, m;
		const char *a = cell(h, i, &n);

		if (n == 0 || !text_ok(h, i))
			return 0;
		for (size_t j = 0; j < i; j++) {
			const char *b = cell(h, j, &m);

			if (m == n && memcmp(a, b, n) == 0)
				return 0;
		}
	}
	return 1;
}

/* Is the cell ims's guard against formulas: quotes, then = + - @ tab or
 * CR?  The reader takes one quote off. */
static int
guarded(const char *v, size_t n)
{
	size_t q = 0;

	while (q < n && v[q] == '\'')
		q++;
	return q > 0 && q < n && v[q] && strchr("=+-@\t\r", v[q]);
}

/* Is the record the row, read under the header? */
static const char *
same(const struct state *st, const struct ims_rec *r)
{
	static char msg[256];
	size_t k = 0;

	for (size_t i = 0; i < st->row.nc; i++) {
		size_t n, hn;
		const char *v = cell(&st->row, i, &n);
		const char *name = cell(&st->hdr, i, &hn);
		const struct ims_field *f;

		if (n == 0)
			continue;
		if (guarded(v, n))
			v++, n--;
		if (k >= r->nf)
			return "fields missing";
		f = &r->f[k++];
		if (strlen(f->name) != hn || memcmp(f->name, name, hn) != 0 ||
		    f->type != IMS_F_STR || f->len != n ||
		    memcmp(f->val, v, n) != 0) {
			snprintf(msg, sizeof msg, "field %s=%s, want %s=%s",
			    ims_q(f->name), ims_qn(f->val, f->len),
			    ims_qn(name, hn), ims_qn(v, n));
			return msg;
		}
	}
	return k == r->nf ? NULL : "fields too many";
}

static void
start(struct state *st)
{
	st->started = 1;
	if (!next_row(st, &st->hdr)) {
		st->stopped = 1;
		return;
	}
	st->hdr_ok = !st->hdr.error && header_ok(&st->hdr);
}

/* The record is what the next row makes, or there is none left. */
static void
match(struct state *st, const struct ims_rec *r)
{
	const char *why;
	int ok;

	if (!st->hdr_ok) {
		if (!r->error || r->line != st->hdr.line)
			fuzz_fail("header at line %ld: want it rejected, got "
			    "line %ld %s", st->hdr.line, r->line,
			    r->error ? r->error : "accepted");
		st->stopped = 2;	/* the file is skipped */
		return;
	}
	if (!next_row(st, &st->row))
		fuzz_fail("a record from nowhere, at line %ld", r->line);
	if (r->line != st->row.line)
		fuzz_fail("record at line %ld, want %ld", r->line,
		    st->row.line);
	ok = !st->row.error && st->row.nc == st->hdr.nc;
	for (size_t i = 0; ok && i < st->row.nc; i++)
		ok = text_ok(&st->row, i);
	if (ok && r->error)
		fuzz_fail("row at line %ld is rejected: %s", r->line,
		    r->error);
	if (!ok && !r->error)
		fuzz_fail("row at line %ld is accepted", r->line);
	if (ok && (why = same(st, r)))
		fuzz_fail("row at line %ld: %s", r->line, why);
	if (st->row.error)
		st->stopped = 1;
}

static void
each(const struct ims_rec *r, void *arg)
{
	struct state *st = arg;

	if (!st->started)
		start(st);
	if (!r) {
		if (!st->stopped && !st->hdr_ok)
			fuzz_fail("bad header at line %ld not reported",
			    st->hdr.line);
		if (!st->stopped && next_row(st, &st->row))
			fuzz_fail("row at line %ld gave no record",
			    st->row.line);
		return;
	}
	if (st->stopped == 2)
		fuzz_fail("records after a bad header");
	if (!st->stopped)
		match(st, r);
	if (!r->error) {
		fuzz_check_json_trip(r);
		fuzz_check_csv_trip(r);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = { 0 };
	const char *path = fuzz_file(0, data, size);

	st.p = (const char *)data;
	st.e = st.p + size;
	st.line = 1;
	if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		st.p += 3;
	fuzz_read_twice(path, IMS_FMT_CSV, each, &st);
	ims_buf_free(&st.hdr.text);
	ims_buf_free(&st.row.text);
	free(st.hdr.off);
	free(st.row.off);
	return 0;
}
