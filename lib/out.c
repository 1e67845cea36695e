/*
 * out.c: records out.  NDJSON (one compact object a line, fields in the
 * record's order), RFC 4180 CSV with a header of fixed columns, or an
 * aligned table for people.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

struct ims_out {
	FILE *fp;
	int fmt, flags;
	const char *const *cols;
	size_t ncols;
	int header_done;
	struct ims_buf line;
	struct ims_rec tmp;		/* a JSON row parsed for CSV/table */
	char **cells;			/* table: nrows * ncols */
	size_t nrows, rowcap;
	int *numeric;
};

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
	for (size_t i = 0; i < o->ncols; i++)
		o->numeric[i] = -1;	/* unknown until a value is seen */
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

static void
put_csv_cell(const struct ims_out *o, struct ims_buf *b,
    const struct ims_field *f)
{
	const char *v = f->val;
	int guard = formula(o, f);
	/* the reader trims spaces and tabs at either end of a bare cell */
	int quote = f->len > 0 && (strpbrk(v, ",\"\r\n") || v[0] == ' ' ||
	    (v[0] == '\t' && !guard) || v[f->len - 1] == ' ' ||
	    v[f->len - 1] == '\t');

	if (quote)
		ims_buf_addc(b, '"');
	if (guard)
		ims_buf_addc(b, '\'');
	for (size_t i = 0; i < f->len; i++) {
		if (v[i] == '"')
			ims_buf_addc(b, '"');
		ims_buf_addc(b, v[i]);
	}
	if (quote)
		ims_buf_addc(b, '"');
}

static void
put_csv(struct ims_out *o, const struct ims_rec *r)
{
	struct ims_buf *b = &o->line;

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
	for (size_t i = 0; i < o->ncols; i++) {
		const struct ims_field *f = ims_rec_field(r, o->cols[i]);

		if (i)
			ims_buf_addc(b, ',');
		if (f && f->type != IMS_F_NULL)
			put_csv_cell(o, b, f);
	}
	ims_buf_add(b, "\r\n", 2);
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

/* A row that is already an NDJSON object, as the journal keeps them. */
void
ims_out_json(struct ims_out *o, const char *json, size_t n)
{
	if (o->fmt == IMS_FMT_NDJSON) {
		fwrite(json, 1, n, o->fp);
		putc('\n', o->fp);
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

	for (size_t r = 0; w && r < o->nrows; r++)
		for (size_t i = 0; i < o->ncols; i++) {
			size_t cw = width(o->cells[r * o->ncols + i]);
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

static void
put_table(struct ims_out *o)
{
	size_t *w = widths(o), last = 0;
	struct ims_buf *b = &o->line;

	for (size_t i = 0; w && i < o->ncols; i++)
		if (w[i])
			last = i;
	for (long r = -1; w && r < (long)o->nrows; r++) {
		for (size_t i = 0; i <= last; i++) {
			const char *s = r < 0 ? o->cols[i] :
			    o->cells[r * o->ncols + i];
			size_t gap = w[i] - width(s);
			int right = o->numeric[i] == 1;

			if (!w[i])
				continue;
			if (right)
				padb(b, gap);
			ims_buf_adds(b, s);
			if (!right && i < last)
				padb(b, gap);
			if (i < last)
				ims_buf_adds(b, "  ");
		}
		put_line(o->fp, b);
	}
	free(w);
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
	free(o->cells);
	free(o->numeric);
	ims_buf_free(&o->line);
	ims_rec_free(&o->tmp);
	free(o);
}
