/*
 * out.c: records out.  NDJSON (one compact object a line, fields in the
 * record's order), RFC 4180 CSV with a header of fixed columns, or an
 * aligned table for people.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

#define NSLOT 64		/* a table of names for rows of up to 32 */

struct ims_out {
	FILE *fp;
	int fmt, flags;
	const char *const *cols;
	size_t ncols;
	int header_done;
	struct ims_buf line;
	struct ims_rec tmp;		/* a JSON row parsed for CSV/table */
	struct ims_buf row;		/* a stored row split in place */
	struct ims_field *view;		/* its fields, pointing into row */
	size_t viewcap;
	int hashed;			/* slot[] indexes the view's names */
	unsigned gen, stamp[NSLOT];	/* a slot is taken when its stamp */
	unsigned hash[NSLOT];		/* is gen */
	size_t nlen[NSLOT];
	unsigned char slot[NSLOT];
	struct colname {
		unsigned hash;
		size_t len;
	} *colname;			/* the columns' hashes, lengths */
	char **cells;			/* table: nrows * ncols */
	size_t nrows, rowcap;
	int *numeric;
	char **total;			/* table: the totals, or NULL */
};

static unsigned
name_hash(const char *s, size_t n)
{
	unsigned h = n;

	while (n-- > 0)
		h = h * 31 + (unsigned char)*s++;
	return h;
}

struct ims_out *
ims_out_open(FILE *fp, int fmt, const char *const *cols, int flags)
{
	struct ims_out *o = calloc(1, sizeof *o);

	if (!o)
		return NULL;
	o->fp = fp;
	o->flags = flags;
	o->fmt = fmt == IMS_FMT_AUTO ? IMS_FMT_NDJSON : fmt;
	o->cols = cols;
	while (cols && cols[o->ncols])
		o->ncols++;
	o->numeric = calloc(o->ncols + 1, sizeof *o->numeric);
	o->colname = calloc(o->ncols + 1, sizeof *o->colname);
	for (size_t i = 0; i < o->ncols; i++) {
		o->numeric[i] = -1;	/* unknown until a value is seen */
		if (!o->colname)
			continue;
		o->colname[i].len = strlen(cols[i]);
		o->colname[i].hash = name_hash(cols[i], o->colname[i].len);
	}
	return o;
}

static void
put_json(struct ims_out *o, const struct ims_rec *r)
{
	o->line.n = 0;
	ims_rec_to_json(r, &o->line);
	ims_buf_addc(&o->line, '\n');
	fwrite(o->line.p, 1, o->line.n, o->fp);
}

/* A text cell that a spreadsheet would run as a formula gets a leading
 * quote, unless --raw.  The reader takes one quote off a cell whose
 * quotes lead to a formula, so one that is there already ('=1) gets
 * another. */
static int
formula(const struct ims_out *o, const struct ims_field *f)
{
	size_t i = 0;

	if (f->type != IMS_F_STR || (o->flags & IMS_OUT_RAW))
		return 0;
	while (i < f->len && f->val[i] == '\'')
		i++;
	return i < f->len && strchr("=+-@\t\r", f->val[i]) != NULL;
}

/* Bytes that matter to a CSV cell: 1 quotes it, 2 is a quote too. */
static const unsigned char csv_class[256] = {
	[','] = 1, ['\r'] = 1, ['\n'] = 1, ['"'] = 3,
};

/* Append one CSV cell, in one pass to see what it needs and one to copy
 * it: cells are short, and calls to the string functions cost more.
 * Leaves room for room bytes more (the rest of the row's commas). */
static void
put_csv_cell(const struct ims_out *o, struct ims_buf *b,
    const struct ims_field *f, size_t room)
{
	const char *v = f->val;
	size_t n = f->len, i;
	int guard = formula(o, f), quote = 0, dq = 0, k;
	char *p;

	/* as strpbrk would, up to a NUL; quotes are doubled to the end */
	for (i = 0; i < n && v[i]; i++)
		quote |= csv_class[(unsigned char)v[i]];
	for (; i < n; i++)
		dq |= v[i] == '"';
	dq |= quote & 2;
	/* the reader trims spaces and tabs at either end of a bare cell */
	quote = n > 0 && (quote || v[0] == ' ' || (v[0] == '\t' && !guard) ||
	    v[n - 1] == ' ' || v[n - 1] == '\t');
	ims_buf_grow(b, 2 * n + 3 + room);
	p = b->p + b->n;
	if (quote)
		*p++ = '"';
	if (guard)
		*p++ = '\'';
	if (!dq) {
		memcpy(p, v, n);
		p += n;
	} else {
		for (i = 0; i < n; i++) {
			k = v[i] == '"';
			*p = '"';
			p += k;
			*p++ = v[i];
		}
	}
	if (quote)
		*p++ = '"';
	b->n = p - b->p;
	b->p[b->n] = '\0';
}

/* The field named name; the search starts where the last one was found,
 * since the columns mostly come in the record's order.  A record never
 * holds a name twice (both readers refuse it), so any match is the one. */
static const struct ims_field *
next_field(const struct ims_rec *r, const char *name, size_t *at)
{
	for (size_t k = 0; k < r->nf; k++) {
		size_t i = (*at + k) % r->nf;

		if (strcmp(r->f[i].name, name) == 0) {
			*at = i + 1;
			return &r->f[i];
		}
	}
	return NULL;
}

/* Column i's field in a split row, through the table of its names. */
static const struct ims_field *
col_field(const struct ims_out *o, size_t i)
{
	const struct colname *c = &o->colname[i];
	unsigned h = c->hash % NSLOT;

	for (; o->stamp[h] == o->gen; h = (h + 1) % NSLOT)
		if (o->hash[h] == c->hash && o->nlen[h] == c->len &&
		    memcmp(o->view[o->slot[h]].name, o->cols[i], c->len) == 0)
			return &o->view[o->slot[h]];
	return NULL;
}

static void
put_csv(struct ims_out *o, const struct ims_rec *r)
{
	struct ims_buf *b = &o->line;
	size_t at = 0;

	b->n = 0;
	if (!o->header_done) {
		for (size_t i = 0; i < o->ncols; i++) {
			if (i)
				ims_buf_addc(b, ',');
			ims_buf_adds(b, o->cols[i]);
		}
		ims_buf_add(b, "\r\n", 2);
		o->header_done = 1;
	}
	ims_buf_grow(b, o->ncols + 2);	/* the commas and the line end */
	for (size_t i = 0; i < o->ncols; i++) {
		const struct ims_field *f = o->hashed ? col_field(o, i) :
		    next_field(r, o->cols[i], &at);

		if (i)
			b->p[b->n++] = ',';
		if (f && f->type != IMS_F_NULL)
			put_csv_cell(o, b, f, o->ncols - i + 2);
	}
	b->p[b->n++] = '\r';
	b->p[b->n++] = '\n';
	b->p[b->n] = '\0';
	fwrite(b->p, 1, b->n, o->fp);
}

/* A table cell: the text with each control character (C0, DEL or C1)
 * shown as one '?'. */
static char *
cell_text(const struct ims_field *f)
{
	char *s, *q;
	size_t w;

	if (!f || f->type == IMS_F_NULL)
		return strdup("");
	if (!(s = q = malloc(f->len + 1)))
		return NULL;
	for (size_t i = 0; i < f->len; i += w ? w : 1) {
		w = ims_ctl_len(f->val + i, f->len - i);
		*q++ = w ? '?' : f->val[i];
	}
	*q = '\0';
	return s;
}

static void
keep_row(struct ims_out *o, const struct ims_rec *r)
{
	if (o->nrows == o->rowcap) {
		o->rowcap = o->rowcap ? o->rowcap * 2 : 64;
		o->cells = realloc(o->cells,
		    o->rowcap * o->ncols * sizeof *o->cells);
		if (!o->cells) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
	}
	for (size_t i = 0; i < o->ncols; i++) {
		const struct ims_field *f = ims_rec_field(r, o->cols[i]);

		o->cells[o->nrows * o->ncols + i] = cell_text(f);
		if (f && f->len && f->type != IMS_F_NULL)
			o->numeric[i] = (o->numeric[i] != 0) &&
			    f->type == IMS_F_NUM;
	}
	o->nrows++;
}

void
ims_out_rec(struct ims_out *o, const struct ims_rec *r)
{
	if (o->fmt == IMS_FMT_CSV)
		put_csv(o, r);
	else if (o->fmt == IMS_FMT_TABLE)
		keep_row(o, r);
	else
		put_json(o, r);
}

/* The end of a string whose opening quote is at p, or NULL when it
 * ends past e.  The row was checked for escapes and control characters
 * before (plain_row). */
static char *
plain_string(char *p, const char *e)
{
	return p < e ? memchr(p + 1, '"', e - p - 1) : NULL;
}

/* Whether a row holds no backslash and no control character, eight
 * bytes at a time: such a row's strings need no decoding. */
static int
plain_row(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
	const uint64_t bs = ones * '\\', sp = ones * 0x20;
	uint64_t w, x;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		x = w ^ bs;
		/* a zero byte of x is a backslash; a byte of w below 0x20
		 * (whose high bit is clear) is a control character */
		if (((x - ones) & ~x & highs) || ((w - sp) & ~w & highs))
			return 0;
	}
	for (; i < n; i++)
		if (s[i] == '\\' || (unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

/* The end of a number as ims writes them: -?(0|[1-9][0-9]*)(.[0-9]+)?,
 * or NULL (an exponent, say, goes the long way). */
static char *
plain_number(char *p, const char *e)
{
	char *s;

	p += p < e && *p == '-';
	if (p == e || *p < '0' || *p > '9')
		return NULL;
	if (*p++ == '0' && p < e && *p >= '0' && *p <= '9')
		return NULL;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	if (p < e && *p == '.') {
		for (s = ++p; p < e && *p >= '0' && *p <= '9'; p++)
			;
		if (p == s)
			return NULL;
	}
	return p;
}

/* Room for one more field in the view. */
static struct ims_field *
view_field(struct ims_out *o, size_t nf)
{
	if (nf == o->viewcap) {
		size_t cap = o->viewcap ? o->viewcap * 2 : 32;
		struct ims_field *v = realloc(o->view, cap * sizeof *v);

		if (!v) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
		o->view = v;
		o->viewcap = cap;
	}
	o->view[nf].namecap = o->view[nf].valcap = 0;
	return &o->view[nf];
}

/* One value at p into f; returns the byte after it, or NULL. */
static char *
plain_value(struct ims_field *f, char *p, const char *e)
{
	static char nothing[1];
	char *q;

	f->val = p;
	if (*p == '"') {
		if (!(q = plain_string(p, e)))
			return NULL;
		f->val = p + 1;
		f->len = q - f->val;
		f->type = IMS_F_STR;
		*q = '\0';
		return q + 1;
	}
	if ((q = plain_number(p, e)))
		f->type = IMS_F_NUM;
	else if (e - p >= 4 && memcmp(p, "true", 4) == 0)
		q = p + 4, f->type = IMS_F_BOOL;
	else if (e - p >= 5 && memcmp(p, "false", 5) == 0)
		q = p + 5, f->type = IMS_F_BOOL;
	else if (e - p >= 4 && memcmp(p, "null", 4) == 0)
		q = p + 4, f->type = IMS_F_NULL, f->val = nothing;
	else
		return NULL;
	f->len = f->type == IMS_F_NULL ? 0 : (size_t)(q - p);
	return q;
}

/* Enter the view's field i, whose name hashes to h, in the table of
 * names; -1 when the name came before, or the row is too long for the
 * table (then it goes the long way). */
static int
enter_name(struct ims_out *o, size_t i, unsigned h, size_t n)
{
	unsigned k;

	if (i >= NSLOT / 2)
		return -1;
	for (k = h % NSLOT; o->stamp[k] == o->gen; k = (k + 1) % NSLOT)
		if (o->hash[k] == h && o->nlen[k] == n &&
		    memcmp(o->view[o->slot[k]].name, o->view[i].name, n) == 0)
			return -1;
	o->stamp[k] = o->gen;
	o->hash[k] = h;
	o->nlen[k] = n;
	o->slot[k] = i;
	return 0;
}

/*
 * Split a stored row into fields in place, without cJSON: a copy of the
 * row in o->row, each name and value ended by a NUL written over the
 * byte after it, and o->tmp's fields pointing there.  Only compact rows
 * of plain strings, numbers, booleans and nulls are taken, as ims writes
 * them; any other (an escape, white space, a nested value, a name given
 * twice) returns -1 for ims_rec_json, so both ways give the same fields.
 */
static int
split_row(struct ims_out *o, const char *json, size_t n)
{
	struct ims_field *f;
	size_t nf = 0;
	char *p, *q, *e, c;
	unsigned h;

	if (!o->colname)
		return -1;
	if (++o->gen == 0) {	/* a new, empty table of names */
		memset(o->stamp, 0, sizeof o->stamp);
		o->gen = 1;
	}
	if (!plain_row(json, n))
		return -1;
	o->row.n = 0;
	ims_buf_add(&o->row, json, n);
	p = o->row.p;
	e = p + n;
	if (n < 2 || *p++ != '{')
		return -1;
	if (*p == '}' && p + 1 == e)
		goto done;
	for (;;) {
		f = view_field(o, nf);
		if (p == e || *p != '"' || !(q = plain_string(p, e)) ||
		    q + 1 == e || q[1] != ':')
			return -1;
		f->name = p + 1;
		h = name_hash(f->name, q - f->name);
		*q = '\0';
		if (enter_name(o, nf, h, q - f->name))
			return -1;
		if (!(q = plain_value(f, q + 2, e)) || q == e)
			return -1;
		c = *q;
		*q = '\0';
		nf++;
		if (c == '}' && q + 1 == e)
			break;
		if (c != ',')
			return -1;
		p = q + 1;
	}
done:
	o->tmp.nf = nf;
	o->hashed = 1;
	return 0;
}

/* A row that is already an NDJSON object, as the journal keeps them. */
void
ims_out_json(struct ims_out *o, const char *json, size_t n)
{
	struct ims_field *keep;
	size_t keepcap;

	if (o->fmt == IMS_FMT_NDJSON) {
		fwrite(json, 1, n, o->fp);
		putc('\n', o->fp);
		return;
	}
	if (split_row(o, json, n) == 0) {
		/* o->tmp borrows the view's fields for the one call */
		keep = o->tmp.f;
		keepcap = o->tmp.cap;
		o->tmp.f = o->view;
		o->tmp.cap = 0;
		ims_out_rec(o, &o->tmp);
		o->hashed = 0;
		o->tmp.f = keep;
		o->tmp.cap = keepcap;
		o->tmp.nf = 0;
		return;
	}
	ims_rec_reset(&o->tmp);
	if (ims_rec_json(&o->tmp, json, n) == 0)
		ims_out_rec(o, &o->tmp);
}

/* Display width: code points, not bytes. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* Column widths; 0 for a column with no value in any row, which the
 * table leaves out (people need no empty lot column). */
static size_t *
widths(const struct ims_out *o)
{
	size_t *w = calloc(o->ncols + 1, sizeof *w);

	for (size_t r = 0; w && r < o->nrows + (o->total != NULL); r++)
		for (size_t i = 0; i < o->ncols; i++) {
			size_t cw = width(r < o->nrows ?
			    o->cells[r * o->ncols + i] : o->total[i]);
			if (cw > w[i])
				w[i] = cw;
		}
	for (size_t i = 0; w && i < o->ncols; i++)
		if ((w[i] || !o->nrows) && width(o->cols[i]) > w[i])
			w[i] = width(o->cols[i]);
	return w;
}

/* Print a table line without the spaces that padding left at its end. */
static void
put_line(FILE *fp, struct ims_buf *b)
{
	while (b->n > 0 && b->p[b->n - 1] == ' ')
		b->n--;
	ims_buf_addc(b, '\n');
	fwrite(b->p, 1, b->n, fp);
	b->n = 0;
}

static void
padb(struct ims_buf *b, size_t n)
{
	while (n-- > 0)
		ims_buf_addc(b, ' ');
}

/* One line of the table: cells (NULL: a rule of dashes under each
 * column). */
static void
put_row(struct ims_out *o, const size_t *w, size_t last, char *const *cells)
{
	struct ims_buf *b = &o->line;

	for (size_t i = 0; i <= last; i++) {
		const char *s = cells ? cells[i] : "";
		size_t gap = w[i] - width(s);
		int right = o->numeric[i] == 1;

		if (!w[i])
			continue;
		if (!cells)
			for (size_t k = 0; k < w[i]; k++)
				ims_buf_addc(b, '-');
		if (right && cells)
			padb(b, gap);
		ims_buf_adds(b, s);
		if (!right && cells && i < last)
			padb(b, gap);
		if (i < last)
			ims_buf_adds(b, "  ");
	}
	put_line(o->fp, b);
}

static void
put_table(struct ims_out *o)
{
	size_t *w = widths(o), last = 0;

	for (size_t i = 0; w && i < o->ncols; i++)
		if (w[i])
			last = i;
	for (long r = -1; w && r < (long)o->nrows; r++)
		put_row(o, w, last, r < 0 ? (char *const *)o->cols :
		    o->cells + r * o->ncols);
	if (w && o->total) {
		put_row(o, w, last, NULL);
		put_row(o, w, last, o->total);
	}
	free(w);
}

/* A report's totals: under a rule at the foot of a table; NDJSON and
 * CSV carry the rows alone, each with the table's fields, for the
 * reader to sum as it likes. */
void
ims_out_total(struct ims_out *o, const struct ims_rec *r)
{
	if (o->fmt != IMS_FMT_TABLE || !o->ncols)
		return;
	if (!o->total && !(o->total = calloc(o->ncols, sizeof *o->total))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	for (size_t i = 0; i < o->ncols; i++) {
		free(o->total[i]);
		o->total[i] = cell_text(ims_rec_field(r, o->cols[i]));
	}
}

void
ims_out_close(struct ims_out *o)
{
	if (!o)
		return;
	if (o->fmt == IMS_FMT_TABLE && o->ncols)
		put_table(o);
	else if (o->fmt == IMS_FMT_CSV && !o->header_done && o->ncols) {
		for (size_t i = 0; i < o->ncols; i++)
			fprintf(o->fp, "%s%s", i ? "," : "", o->cols[i]);
		fputs("\r\n", o->fp);
	}
	for (size_t i = 0; i < o->nrows * o->ncols; i++)
		free(o->cells[i]);
	for (size_t i = 0; o->total && i < o->ncols; i++)
		free(o->total[i]);
	free(o->total);
	free(o->cells);
	free(o->numeric);
	ims_buf_free(&o->line);
	ims_buf_free(&o->row);
	free(o->view);
	free(o->colname);
	ims_rec_free(&o->tmp);
	free(o);
}
