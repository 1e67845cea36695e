/*
 * rec.c: records in.  One loop over the file operands (or standard
 * input), NDJSON or CSV with a header, told apart by the first byte.
 * Streaming: one line (or one CSV record) in memory at a time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <csv.h>

#include "ims.h"

void
ims_rec_reset(struct ims_rec *r)
{
	r->nf = 0;
	r->error = NULL;
	r->text.n = 0;
}

static void
setstr(char **p, size_t *cap, const char *s, size_t n)
{
	if (n + 1 > *cap) {
		*cap = n + 1 < 32 ? 32 : n + 1;
		free(*p);
		if (!(*p = malloc(*cap))) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
	}
	memcpy(*p, s, n);
	(*p)[n] = '\0';
}

/* Append a field; the record keeps its own copies, and reuses them from
 * record to record so that a steady stream allocates nothing. */
void
ims_rec_add(struct ims_rec *r, const char *name, const char *val,
    size_t len, enum ims_ftype type)
{
	struct ims_field *f;

	if (r->nf == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct ims_field *nf = realloc(r->f, cap * sizeof *nf);

		if (!nf) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
		memset(nf + r->cap, 0, (cap - r->cap) * sizeof *nf);
		r->f = nf;
		r->cap = cap;
	}
	f = &r->f[r->nf++];
	setstr(&f->name, &f->namecap, name, strlen(name));
	setstr(&f->val, &f->valcap, val, len);
	f->len = len;
	f->type = type;
}

void
ims_rec_adds(struct ims_rec *r, const char *name, const char *s)
{
	ims_rec_add(r, name, s, strlen(s), IMS_F_STR);
}

void
ims_rec_addn(struct ims_rec *r, const char *name, ims_dec v, int scale)
{
	char b[IMS_DEC_BUF];

	ims_dec_fmt(v, scale, b);
	ims_rec_add(r, name, b, strlen(b), IMS_F_NUM);
}

/* A sum (128 bits) as a numeric field. */
void
ims_rec_addw(struct ims_rec *r, const char *name, ims_wide v, int scale)
{
	char b[IMS_DEC128_BUF];

	ims_wide_fmt(v, scale, b);
	ims_rec_add(r, name, b, strlen(b), IMS_F_NUM);
}

void
ims_rec_free(struct ims_rec *r)
{
	for (size_t i = 0; i < r->cap; i++) {
		free(r->f[i].name);
		free(r->f[i].val);
	}
	free(r->f);
	ims_buf_free(&r->text);
	memset(r, 0, sizeof *r);
}

const struct ims_field *
ims_rec_field(const struct ims_rec *r, const char *name)
{
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].name, name) == 0)
			return &r->f[i];
	return NULL;
}

/* The field's text; NULL when it is absent, null or empty. */
const char *
ims_rec_str(const struct ims_rec *r, const char *name)
{
	const struct ims_field *f = ims_rec_field(r, name);

	if (!f || f->type == IMS_F_NULL || f->len == 0)
		return NULL;
	return f->val;
}

/*
 * cJSON allocates every node; a record's nodes live only until its fields
 * are copied out, so they come from an arena that is reset after each
 * record instead of from malloc and free, one by one.
 */
struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};
static struct chunk *arena;

static void *
arena_alloc(size_t n)
{
	struct chunk *c = arena;
	size_t need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);

	if (!c || c->used + need > c->size) {
		size_t size = need > 65536 ? need : 65536;
		if (!(c = malloc(sizeof *c + size)))
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = arena;
		arena = c;
	}
	c->used += need;
	return (char *)c->data + c->used - need;
}

static void
arena_free(void *p)
{
	(void)p;
}

/* Keep the newest chunk for the next record; free the rest. */
static void
arena_reset(void)
{
	struct chunk *c;

	if (!arena)
		return;
	while ((c = arena->next)) {
		arena->next = c->next;
		free(c);
	}
	if (arena->size > 65536) {
		free(arena);
		arena = NULL;
	} else
		arena->used = 0;
}

static void
use_arena(void)
{
	static int done;
	cJSON_Hooks h = { arena_alloc, arena_free };

	if (!done++)
		cJSON_InitHooks(&h);
}

/* Append "name":value. */
void
ims_buf_json_field(struct ims_buf *b, const struct ims_field *f)
{
	ims_buf_json_str(b, f->name, strlen(f->name));
	ims_buf_addc(b, ':');
	if (f->type == IMS_F_STR)
		ims_buf_json_str(b, f->val, f->len);
	else if (f->type == IMS_F_NULL)
		ims_buf_adds(b, "null");
	else
		ims_buf_add(b, f->val, f->len);
}

/* Append r as one compact JSON object, fields in the record's order. */
void
ims_rec_to_json(const struct ims_rec *r, struct ims_buf *b)
{
	ims_buf_addc(b, '{');
	for (size_t i = 0; i < r->nf; i++) {
		if (i)
			ims_buf_addc(b, ',');
		ims_buf_json_field(b, &r->f[i]);
	}
	ims_buf_addc(b, '}');
}

/* JSON scanning over text that cJSON has already checked, to find the
 * exact text of each top-level value (cJSON keeps numbers as doubles). */
static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* One past p, but never past e: should the scanner ever disagree with
 * cJSON, it reads garbage, not beyond the line. */
static const char *
past(const char *p, const char *e)
{
	return p < e ? p + 1 : e;
}

static const char *
skip_string(const char *p, const char *e)
{
	for (p++; p < e && *p != '"'; p++)
		if (*p == '\\')
			p++;
	return past(p, e);
}

static const char *
skip_value(const char *p, const char *e)
{
	int depth = 0;

	if (p >= e)
		return e;
	if (*p == '"')
		return skip_string(p, e);
	do {
		if (*p == '"') {
			p = skip_string(p, e);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (depth == 0 && (*p == ',' || *p == ' ' ||
		    *p == '\t' || *p == '\r' || *p == '\n'))
			break;
		if (depth < 0)
			break;
		p++;
	} while (p < e && depth >= 0 && (depth > 0 || (*p != ',' &&
	    *p != '}' && *p != ']')));
	return p;
}

/* The length of a JSON number at p, or 0 (cJSON also takes 01, 1.
 * and -.5). */
static size_t
json_number(const char *p, const char *e)
{
	const char *s = p;
	int z;

	p += p < e && *p == '-';
	if (p == e || *p < '0' || *p > '9')
		return 0;
	for (z = *p == '0'; p < e && *p >= '0' && *p <= '9'; p++)
		if (z && p > s + (*s == '-'))
			return 0;
	if (p < e && *p == '.') {
		if (++p == e || *p < '0' || *p > '9')
			return 0;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		if (++p < e && (*p == '+' || *p == '-'))
			p++;
		if (p == e || *p < '0' || *p > '9')
			return 0;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	return p - s;
}

/*
 * cJSON is lenient where JSON is not: it takes any byte up to a space
 * as white space, raw control characters in strings, and numbers such
 * as 01 or 1.; and it cuts a string short at \u0000.  The text of what
 * it takes is kept and echoed, and the scanner below must see the same
 * white space, so hold the text to JSON.  Returns where it breaks the
 * rules, or NULL.
 */
static const char *
not_json(const char *p, const char *e, const char **why)
{
	size_t n;

	*why = "malformed JSON";
	for (; p < e; p++) {
		if (*p == '"') {
			for (p++; p < e && *p != '"'; p++) {
				if ((unsigned char)*p < 0x20)
					return p;
				if (*p == '\\' && e - p >= 6 &&
				    memcmp(p + 1, "u0000", 5) == 0) {
					*why = "NUL character (\\u0000)";
					return p;
				}
				p += *p == '\\';
			}
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			if (!(n = json_number(p, e)))
				return p;
			p += n - 1;
		} else if ((unsigned char)*p < 0x20 && *p != '\t' &&
		    *p != '\n' && *p != '\r') {
			return p;
		}
	}
	return NULL;
}

static void
add_json_field(struct ims_rec *r, const cJSON *c, const char *v, size_t n)
{
	if (cJSON_IsString(c))
		ims_rec_add(r, c->string, c->valuestring,
		    strlen(c->valuestring), IMS_F_STR);
	else if (cJSON_IsNumber(c))
		ims_rec_add(r, c->string, v, n, IMS_F_NUM);
	else if (cJSON_IsBool(c))
		ims_rec_add(r, c->string, v, n, IMS_F_BOOL);
	else if (cJSON_IsNull(c))
		ims_rec_add(r, c->string, "", 0, IMS_F_NULL);
	else
		ims_rec_add(r, c->string, v, n, IMS_F_RAW);
}

/* The index of a field whose name came before, or -1.  A map past a
 * few fields: a 1 MB line may hold 100,000 of them, and comparing each
 * pair would take minutes. */
static int
dup_name(const struct ims_rec *r)
{
	struct ims_map *m;
	int isnew, d = -1;

	if (r->nf <= 32) {
		for (size_t i = 0; i < r->nf; i++)
			for (size_t j = i + 1; j < r->nf; j++)
				if (strcmp(r->f[i].name, r->f[j].name) == 0)
					return (int)j;
		return -1;
	}
	if (!(m = ims_map_new())) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	for (size_t i = 0; i < r->nf && d < 0; i++) {
		ims_map_slot(m, r->f[i].name, &isnew);
		if (!isnew)
			d = (int)i;
	}
	ims_map_free(m, NULL);
	return d;
}

/*
 * Parse one JSON object into r's fields (replacing any it had), keeping
 * each number's own text.  Returns 0, or -1 with r->error set.
 */
int
ims_rec_json(struct ims_rec *r, const char *s, size_t n)
{
	static char msg[96];
	const char *end = NULL, *p, *e = s + n, *why;
	cJSON *root, *c;
	int d;

	r->nf = 0;		/* the raw text stays, for --rejects */
	r->error = NULL;
	use_arena();
	root = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	why = "malformed JSON";
	p = NULL;
	if (!root || skip_ws(end, e) != e || (p = not_json(s, e, &why))) {
		if (!p)
			p = root ? end : cJSON_GetErrorPtr();
		snprintf(msg, sizeof msg, "%s at column %ld", why,
		    p && p >= s && p <= e ? (long)(p - s) + 1 : 1L);
		r->error = msg;
		arena_reset();
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		r->error = "not a JSON object";
		arena_reset();
		return -1;
	}
	/* cJSON skips a byte-order mark, and so must the scanner */
	p = s + (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0);
	p = past(skip_ws(p, e), e);
	for (c = root->child; c; c = c->next) {
		const char *v;

		p = past(skip_ws(skip_string(skip_ws(p, e), e), e), e);
		v = skip_ws(p, e);
		p = skip_value(v, e);
		add_json_field(r, c, v, p - v);
		p = past(skip_ws(p, e), e);
	}
	arena_reset();
	if ((d = dup_name(r)) >= 0) {
		snprintf(msg, sizeof msg, "field %s given twice",
		    ims_q(r->f[d].name));
		r->error = msg;
		return -1;
	}
	return 0;
}

/* One input: a named file or standard input.  A pipe read for a batch
 * that may be replayed is copied to an unlinked spool file as it is
 * read, so that the replay reads the same bytes. */
struct src {
	const char *name;
	FILE *fp;
	FILE *spool;
	int from_spool;
};

struct ims_reader {
	struct src *srcs;
	int nsrc, cur;
	int want_fmt, fmt, replayable;
	long line;
	char *lbuf;
	size_t lcap;
	struct csv_parser csv;
	int csv_on, in_header;
	char **hdr;
	size_t nhdr, ncell;
	int rec_done, skip;
	long rec_line;
	struct ims_rec rec;
	char msg[256];
};

/*
 * The fields every record must have, as the command says: a CSV header
 * that lacks one is an error, found once, before any row (a headerless
 * file would take its first row for the header and post nothing).  Set
 * for the process: the readers are opened by the batch, for the command.
 */
static const char *const *required;

void
ims_rec_require(const char *const *fields)
{
	required = fields;
}

struct ims_reader *
ims_reader_open(char **files, int nfiles, int fmt, int replayable)
{
	static char *dash[] = { "-" };
	struct ims_reader *rd = calloc(1, sizeof *rd);

	if (!rd)
		return NULL;
	if (nfiles == 0)
		files = dash, nfiles = 1;
	rd->srcs = calloc(nfiles, sizeof *rd->srcs);
	if (!rd->srcs) {
		free(rd);
		return NULL;
	}
	for (int i = 0; i < nfiles; i++)
		rd->srcs[i].name = files[i];
	rd->nsrc = nfiles;
	rd->cur = -1;
	rd->want_fmt = fmt;
	rd->replayable = replayable;
	return rd;
}

static void
close_csv(struct ims_reader *rd)
{
	if (rd->csv_on)
		csv_free(&rd->csv);
	rd->csv_on = 0;
	for (size_t i = 0; i < rd->nhdr; i++)
		free(rd->hdr[i]);
	free(rd->hdr);
	rd->hdr = NULL;
	rd->nhdr = 0;
}

static int
open_src(struct ims_reader *rd, struct src *s)
{
	struct stat st;

	rd->line = 0;
	rd->skip = 0;
	rd->fmt = IMS_FMT_AUTO;
	close_csv(rd);
	if (s->fp) {
		/* a replay: a regular file is read again, a pipe from its
		 * spool (ims_reader_rewind set that up) */
		if (!s->spool && fseek(s->fp, 0, SEEK_SET) != 0)
			return ims_seterr(IMS_ESTORE, "%s: cannot reread: %s",
			    ims_q(s->name), strerror(errno));
		return IMS_OK;
	}
	if (strcmp(s->name, "-") == 0)
		s->fp = stdin, s->name = "stdin";
	else if (!(s->fp = fopen(s->name, "r")))
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(s->name),
		    strerror(errno));
	if (fstat(fileno(s->fp), &st) != 0)
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(s->name),
		    strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ims_seterr(IMS_ESTORE, "%s: is a directory",
		    ims_q(s->name));
	if (rd->replayable && !S_ISREG(st.st_mode) && !(s->spool = tmpfile()))
		return ims_seterr(IMS_ESTORE, "spool: %s", strerror(errno));
	return IMS_OK;
}

/* The next raw line of the current source (newline kept), or -1. */
static ssize_t
src_line(struct ims_reader *rd, struct src *s)
{
	ssize_t n;

	if (s->from_spool) {
		n = getline(&rd->lbuf, &rd->lcap, s->spool);
		if (n >= 0)
			return n;
		s->from_spool = 0;
		fseek(s->spool, 0, SEEK_END);
	}
	n = getline(&rd->lbuf, &rd->lcap, s->fp);
	if (n > 0 && s->spool)
		fwrite(rd->lbuf, 1, n, s->spool);
	return n;
}

static void
csv_cell(void *p, size_t n, void *arg)
{
	struct ims_reader *rd = arg;
	size_t i = rd->ncell++, q;

	if (rd->in_header) {
		/* room for twice as many names at each power of two: one
		 * realloc a name would copy a wide header quadratically */
		char **h = i & (i - 1) ? rd->hdr :
		    realloc(rd->hdr, (i ? 2 * i : 1) * sizeof *h);

		if (!h || !(h[i] = strndup(p ? p : "", n))) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
		rd->hdr = h;
		rd->nhdr = i + 1;
		return;
	}
	/* ims's own CSV guards formula-like cells with a quote ('=1,
	 * '@supplier, and ''=1 for '=1); take it off again so that CSV
	 * round-trips */
	for (q = 0; q < n && ((char *)p)[q] == '\''; q++)
		;
	if (q > 0 && q < n && ((char *)p)[q] &&
	    strchr("=+-@\t\r", ((char *)p)[q]))
		p = (char *)p + 1, n--;
	if (i < rd->nhdr && n > 0)
		ims_rec_add(&rd->rec, rd->hdr[i], p, n, IMS_F_STR);
}

static void
csv_end(int c, void *arg)
{
	struct ims_reader *rd = arg;

	(void)c;
	rd->rec_done++;
}

/* Every column named, and once: a map, since a 1 MB header line may
 * name 100,000 columns. */
static int
header_ok(struct ims_reader *rd)
{
	struct ims_map *m = ims_map_new();
	int isnew, ok = 1;

	if (!m) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	for (size_t i = 0; i < rd->nhdr && ok; i++) {
		if (!rd->hdr[i][0]) {
			snprintf(rd->msg, sizeof rd->msg,
			    "column %zu of the header has no name", i + 1);
			ok = 0;
			break;
		}
		ims_map_slot(m, rd->hdr[i], &isnew);
		if (!isnew) {
			snprintf(rd->msg, sizeof rd->msg,
			    "column %s named twice in the header",
			    ims_q(rd->hdr[i]));
			ok = 0;
		}
	}
	ims_map_free(m, NULL);
	return ok;
}

/* Is name in the header?  "sku|barcode": either will do. */
static int
in_header(const struct ims_reader *rd, const char *name)
{
	const char *bar = strchr(name, '|');
	size_t n = bar ? (size_t)(bar - name) : strlen(name);

	for (size_t i = 0; i < rd->nhdr; i++)
		if (strlen(rd->hdr[i]) == n && memcmp(rd->hdr[i], name, n) == 0)
			return 1;
	return bar ? in_header(rd, bar + 1) : 0;
}

/* Does the header name every required field?  If not, say which not,
 * and when it names none of them, that the header may be missing. */
static int
header_complete(struct ims_reader *rd)
{
	char list[192];
	size_t n = 0, missing = 0, total = 0;

	list[0] = '\0';
	for (size_t i = 0; required && required[i]; i++, total++) {
		if (in_header(rd, required[i]))
			continue;
		if (n < sizeof list)
			n += snprintf(list + n, sizeof list - n, "%s%s",
			    missing ? ", " : "", ims_qn(required[i],
			    strcspn(required[i], "|")));
		missing++;
	}
	if (!missing)
		return 1;
	snprintf(rd->msg, sizeof rd->msg, "the header lacks the required "
	    "column%s %s%s", missing > 1 ? "s" : "", list, missing == total ?
	    " (is the header line missing?)" : "");
	return 0;
}

/* CSV text must be UTF-8, and hold no NUL, which would cut a value
 * short wherever it is used as a C string. */
static const char *
bad_text(const struct ims_buf *t)
{
	if (!ims_utf8_valid(t->p, t->n))
		return "not valid UTF-8";
	if (t->n && memchr(t->p, '\0', t->n))
		return "NUL character";
	return NULL;
}

/* A CSV record is whole; is it well-formed? */
static void
csv_record(struct ims_reader *rd)
{
	if (rd->rec.error) {
		rd->in_header = 0;
		return;
	}
	if (rd->in_header) {
		rd->in_header = 0;
		rd->rec.error = bad_text(&rd->rec.text);
		if (!rd->rec.error && (!header_ok(rd) ||
		    !header_complete(rd)))
			rd->rec.error = rd->msg;
		return;
	}
	if (rd->ncell != rd->nhdr) {
		snprintf(rd->msg, sizeof rd->msg,
		    "expected %zu fields as in the header, got %zu",
		    rd->nhdr, rd->ncell);
		rd->rec.error = rd->msg;
	}
}

/* libcsv grows a cell's buffer by its block size (128 bytes unless told),
 * copying it each time: a 1 MB cell would be copied 8,000 times. */
static void
init_parser(struct ims_reader *rd)
{
	csv_init(&rd->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_blk_size(&rd->csv, 65536);
}

/*
 * Feed one line to libcsv.  Returns 1 when a record (or the header, or a
 * parse error) is complete.  The parser's state tells whether a quoted
 * field goes on to the next line.  libcsv also ends a row at a bare CR;
 * a second row begun on the same line would be taken into this record
 * (a file with old Mac line ends would be one long header), so that is
 * an error.
 */
static int
csv_feed(struct ims_reader *rd, const char *p, size_t n)
{
	const char *why = NULL;

	if (rd->csv.pstate == 0 && rd->ncell == 0)
		rd->rec_line = rd->line;
	if (csv_parse(&rd->csv, p, n, csv_cell, csv_end, rd) != n)
		why = csv_strerror(csv_error(&rd->csv));
	else if (rd->rec_done > 1 || (rd->rec_done && rd->csv.pstate != 0))
		why = "a carriage return ends a row inside a line";
	if (!why)
		return rd->rec_done;
	snprintf(rd->msg, sizeof rd->msg, "malformed CSV: %s", why);
	rd->rec.error = rd->msg;
	csv_free(&rd->csv);
	init_parser(rd);
	return 1;
}

static void
start_csv(struct ims_reader *rd)
{
	init_parser(rd);
	rd->csv_on = 1;
	rd->in_header = 1;
}

/* Decide the format from the first line of a file. */
static void
detect(struct ims_reader *rd, char *p)
{
	rd->fmt = rd->want_fmt;
	if (rd->fmt == IMS_FMT_AUTO) {
		while (*p == ' ' || *p == '\t')
			p++;
		/* '[' too: a JSON array is then refused as not an object,
		 * rather than read as a CSV header */
		rd->fmt = *p == '{' || *p == '[' ? IMS_FMT_NDJSON :
		    IMS_FMT_CSV;
	}
	if (rd->fmt == IMS_FMT_CSV)
		start_csv(rd);
}

static int
blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n')
			return 0;
	return 1;
}

/* Take one line into the record being read; 1 when a record is whole. */
static int
take_line(struct ims_reader *rd, char *p, size_t n)
{
	struct ims_rec *r = &rd->rec;

	if (rd->line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3, n -= 3;		/* a byte-order mark */
	if (rd->fmt == IMS_FMT_AUTO) {
		if (blank(p, n))
			return 0;
		detect(rd, p);
	}
	if (rd->fmt == IMS_FMT_CSV) {
		if (rd->csv.pstate == 0 && rd->ncell == 0 && blank(p, n))
			return 0;
		ims_buf_add(&r->text, p, n);
		return csv_feed(rd, p, n);
	}
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (blank(p, n))
		return 0;
	rd->rec_line = rd->line;
	ims_buf_add(&r->text, p, n);
	if (!ims_utf8_valid(p, n))
		r->error = "not valid UTF-8";
	else
		ims_rec_json(r, p, n);
	return 1;
}

/* At the end of a file: finish a CSV record that had no newline. */
static int
end_of_file(struct ims_reader *rd)
{
	if (rd->fmt != IMS_FMT_CSV || !rd->csv_on)
		return 0;
	if (csv_fini(&rd->csv, csv_cell, csv_end, rd) != 0) {
		snprintf(rd->msg, sizeof rd->msg,
		    "malformed CSV: unterminated quoted field");
		rd->rec.error = rd->msg;
		rd->rec_done = 1;
	}
	csv_free(&rd->csv);
	rd->csv_on = 0;
	return rd->rec_done;
}

static int
next_src(struct ims_reader *rd)
{
	int rc;

	if (++rd->cur >= rd->nsrc)
		return 0;
	if ((rc = open_src(rd, &rd->srcs[rd->cur])))
		return rc;
	return 1;
}

/* A record is whole: check it, and name its file and line. */
static int
finish_rec(struct ims_reader *rd, struct ims_rec **rp)
{
	struct ims_rec *r = &rd->rec;

	if (rd->fmt == IMS_FMT_CSV) {
		csv_record(rd);
		if (!r->error)
			r->error = bad_text(&r->text);
	}
	r->file = rd->srcs[rd->cur].name;
	r->line = rd->rec_line;
	*rp = r;
	return 1;
}

/* Read lines until a record (or a CSV header) is whole: 1, or 0 at the
 * end of the input, or IMS_ESTORE. */
static int
read_rec(struct ims_reader *rd)
{
	for (;;) {
		struct src *s = &rd->srcs[rd->cur];
		ssize_t n = src_line(rd, s);
		int rc;

		if (n < 0) {
			if (ferror(s->fp))
				return ims_seterr(IMS_ESTORE, "%s: %s",
				    ims_q(s->name), strerror(errno));
			if (!rd->skip && end_of_file(rd))
				return 1;
			if ((rc = next_src(rd)) <= 0)
				return rc;
			ims_rec_reset(&rd->rec);
			continue;
		}
		rd->line++;
		if (!rd->skip && take_line(rd, rd->lbuf, n))
			return 1;
	}
}

/*
 * The next record, with its file and line.  Returns 1 and the record
 * (whose error is set when the input was malformed), 0 at the end of the
 * input, or IMS_ESTORE when a file cannot be read.  A CSV header is kept
 * for the records below it; a bad one is reported and its file skipped.
 */
int
ims_reader_next(struct ims_reader *rd, struct ims_rec **rp)
{
	int rc;

	for (;;) {
		ims_rec_reset(&rd->rec);
		rd->rec_done = 0;
		rd->ncell = 0;
		if (rd->cur < 0 && (rc = next_src(rd)) <= 0)
			return rc;
		if ((rc = read_rec(rd)) <= 0)
			return rc;
		if (rd->fmt != IMS_FMT_CSV || !rd->in_header)
			return finish_rec(rd, rp);
		csv_record(rd);
		if (rd->rec.error) {
			rd->skip = 1;
			rd->rec.file = rd->srcs[rd->cur].name;
			rd->rec.line = rd->rec_line;
			*rp = &rd->rec;
			return 1;
		}
	}
}

/* Start again from the first record, for a batch that must be replayed. */
int
ims_reader_rewind(struct ims_reader *rd)
{
	for (int i = 0; i < rd->nsrc; i++) {
		struct src *s = &rd->srcs[i];

		if (s->spool) {
			fflush(s->spool);
			rewind(s->spool);
			s->from_spool = 1;
		}
	}
	close_csv(rd);
	rd->cur = -1;
	rd->fmt = IMS_FMT_AUTO;
	return IMS_OK;
}

void
ims_reader_close(struct ims_reader *rd)
{
	if (!rd)
		return;
	for (int i = 0; i < rd->nsrc; i++) {
		struct src *s = &rd->srcs[i];

		if (s->fp && s->fp != stdin)
			fclose(s->fp);
		if (s->spool)
			fclose(s->spool);
	}
	close_csv(rd);
	free(rd->srcs);
	free(rd->lbuf);
	ims_rec_free(&rd->rec);
	free(rd);
}
