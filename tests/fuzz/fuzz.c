/*
 * fuzz.c: what the harnesses share.  The JSON reader here is written
 * from RFC 8259, apart from cJSON and lib/rec.c, so that the two can be
 * compared.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: property broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static char paths[2][64];

static void
unlink_files(void)
{
	for (int i = 0; i < 2; i++)
		if (paths[i][0])
			unlink(paths[i]);
}

/* The scratch files are made once per process, and rewritten for each
 * input. */
char *
fuzz_file(int slot, const void *p, size_t n)
{
	int fd;

	if (!paths[slot][0]) {
		const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" :
		    "/tmp";

		static int registered;

		snprintf(paths[slot], sizeof paths[slot],
		    "%s/ims-fuzz.%ld.%d", dir, (long)getpid(), slot);
		if (!registered++)
			atexit(unlink_files);
	}
	fd = open(paths[slot], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n) || close(fd))
		fuzz_fail("cannot write %s", paths[slot]);
	return paths[slot];
}

int
fuzz_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], len, cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			len = 2, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			len = 3, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (unsigned k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >> 11) == 0x1b)
			return 0;
		i += len;
	}
	return 1;
}

/* The reference JSON reader. */
struct jp {
	const char *p, *e;
	int depth;
	int beyond;		/* valid, but past cJSON's limits */
	int nul;		/* a string holds \u0000 */
};

static void
jws(struct jp *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
hex4(struct jp *j, unsigned *v)
{
	*v = 0;
	if (j->e - j->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *j->p++;

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

static void
put_utf8(struct ims_buf *b, unsigned cp)
{
	if (cp < 0x80) {
		ims_buf_addc(b, cp);
	} else if (cp < 0x800) {
		ims_buf_addc(b, 0xc0 | cp >> 6);
		ims_buf_addc(b, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		ims_buf_addc(b, 0xe0 | cp >> 12);
		ims_buf_addc(b, 0x80 | (cp >> 6 & 0x3f));
		ims_buf_addc(b, 0x80 | (cp & 0x3f));
	} else {
		ims_buf_addc(b, 0xf0 | cp >> 18);
		ims_buf_addc(b, 0x80 | (cp >> 12 & 0x3f));
		ims_buf_addc(b, 0x80 | (cp >> 6 & 0x3f));
		ims_buf_addc(b, 0x80 | (cp & 0x3f));
	}
}

/* \uXXXX, with a surrogate pair taken whole. */
static int
jescape_u(struct jp *j, struct ims_buf *b)
{
	unsigned cp, lo;
	const char *save;

	if (hex4(j, &cp))
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		j->beyond = 1;
		return 0;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		save = j->p;
		if (j->e - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
		    (j->p += 2, hex4(j, &lo)) || lo < 0xdc00 || lo > 0xdfff) {
			j->p = save;
			j->beyond = 1;
			return 0;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	j->nul |= cp == 0;
	put_utf8(b, cp);
	return 0;
}

/* A string at j->p, decoded into b. */
static int
jstring(struct jp *j, struct ims_buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

	for (j->p++;;) {
		unsigned char c;
		const char *x;

		if (j->p >= j->e)
			return -1;
		c = *j->p++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			ims_buf_addc(b, c);
			continue;
		}
		if (j->p >= j->e)
			return -1;
		c = *j->p++;
		if (c == 'u') {
			if (jescape_u(j, b))
				return -1;
		} else if (c && (x = strchr(from, c))) {
			ims_buf_addc(b, to[x - from]);
		} else {
			return -1;
		}
	}
}

static int
digit(const struct jp *j)
{
	return j->p < j->e && *j->p >= '0' && *j->p <= '9';
}

static int
jnumber(struct jp *j)
{
	if (j->p < j->e && *j->p == '-')
		j->p++;
	if (!digit(j))
		return -1;
	if (*j->p++ != '0')
		while (digit(j))
			j->p++;
	if (j->p < j->e && *j->p == '.') {
		j->p++;
		if (!digit(j))
			return -1;
		while (digit(j))
			j->p++;
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!digit(j))
			return -1;
		while (digit(j))
			j->p++;
	}
	return 0;
}

static int jvalue(struct jp *j, int *kind, struct ims_buf *str,
    struct jobj *o);

static int
jword(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->e - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int
jarray(struct jp *j)
{
	struct ims_buf tmp = { 0 };
	int kind, rc = 0;

	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		tmp.n = 0;
		jws(j);		/* JSON allows space after a comma too */
		if ((rc = jvalue(j, &kind, &tmp, NULL)))
			break;
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->e && *j->p == ']')
			j->p++;
		else
			rc = -1;
		break;
	}
	ims_buf_free(&tmp);
	return rc;
}

static void
jobj_add(struct jobj *o, const struct ims_buf *name, int kind,
    const char *v, size_t n)
{
	struct jmem *m;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->m = realloc(o->m, o->cap * sizeof *o->m);
		if (!o->m)
			abort();
	}
	m = &o->m[o->n++];
	m->name = malloc(name->n + 1);
	m->val = malloc(n + 1);
	if (!m->name || !m->val)
		abort();
	memcpy(m->name, name->p ? name->p : "", name->n);
	m->name[name->n] = '\0';
	m->namelen = name->n;
	memcpy(m->val, v ? v : "", n);
	m->val[n] = '\0';
	m->vallen = n;
	m->kind = kind;
}

/* An object; its members go to o when o is not NULL (the top level). */
static int
jobject(struct jp *j, struct jobj *o)
{
	struct ims_buf name = { 0 }, str = { 0 };
	int kind, rc = 0;
	const char *v;

	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		name.n = str.n = 0;
		if (j->p >= j->e || *j->p != '"' || jstring(j, &name)) {
			rc = -1;
			break;
		}
		jws(j);
		if (j->p >= j->e || *j->p++ != ':') {
			rc = -1;
			break;
		}
		jws(j);
		v = j->p;
		if ((rc = jvalue(j, &kind, &str, NULL)))
			break;
		if (o && kind == J_STR)
			jobj_add(o, &name, kind, str.p, str.n);
		else if (o)
			jobj_add(o, &name, kind, v, j->p - v);
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			jws(j);
			continue;
		}
		if (j->p < j->e && *j->p == '}')
			j->p++;
		else
			rc = -1;
		break;
	}
	ims_buf_free(&name);
	ims_buf_free(&str);
	return rc;
}

static int
jvalue(struct jp *j, int *kind, struct ims_buf *str, struct jobj *o)
{
	int rc;

	if (j->p >= j->e)
		return -1;
	if (++j->depth > 900) {
		j->beyond = 1;	/* and no deeper: the stack is finite */
		return -1;
	}
	switch (*j->p) {
	case '{':
		*kind = J_RAW;
		rc = jobject(j, o);
		break;
	case '[':
		*kind = J_RAW;
		rc = jarray(j);
		break;
	case '"':
		*kind = J_STR;
		rc = jstring(j, str);
		break;
	case 't':
	case 'f':
		*kind = J_BOOL;
		rc = jword(j, *j->p == 't' ? "true" : "false");
		break;
	case 'n':
		*kind = J_NULL;
		rc = jword(j, "null");
		break;
	default:
		*kind = J_NUM;
		rc = jnumber(j);
	}
	j->depth--;
	return rc;
}

int
fuzz_json(const char *s, size_t n, struct jobj *o)
{
	struct jp j = { s, s + n, 0, 0, 0 };
	struct ims_buf str = { 0 };
	int kind, rc, obj;

	o->n = 0;
	if (!fuzz_utf8((const unsigned char *)s, n))
		return -1;
	jws(&j);
	obj = j.p < j.e && *j.p == '{';
	rc = jvalue(&j, &kind, &str, obj ? o : NULL);
	ims_buf_free(&str);
	jws(&j);
	if (j.beyond)
		return -2;
	if (rc || j.p != j.e)
		return -1;
	if (j.nul)
		return -3;
	return obj;
}

void
fuzz_jobj_free(struct jobj *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->m[i].name);
		free(o->m[i].val);
	}
	free(o->m);
	memset(o, 0, sizeof *o);
}

static const int kind_type[] = { [J_STR] = IMS_F_STR, [J_NUM] = IMS_F_NUM,
	[J_BOOL] = IMS_F_BOOL, [J_NULL] = IMS_F_NULL, [J_RAW] = IMS_F_RAW };

const char *
fuzz_same_obj(const struct ims_rec *r, const struct jobj *o)
{
	static char msg[256];

	if (r->nf != o->n) {
		snprintf(msg, sizeof msg, "%zu fields, want %zu", r->nf, o->n);
		return msg;
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct ims_field *f = &r->f[i];
		const struct jmem *m = &o->m[i];
		size_t vl = m->kind == J_NULL ? 0 : m->vallen;

		if (strlen(f->name) != m->namelen ||
		    memcmp(f->name, m->name, m->namelen) != 0)
			snprintf(msg, sizeof msg, "field %zu named %s, want %s",
			    i, ims_q(f->name), ims_qn(m->name, m->namelen));
		else if ((int)f->type != kind_type[m->kind])
			snprintf(msg, sizeof msg, "field %s of type %d, want "
			    "%d", ims_q(f->name), f->type, kind_type[m->kind]);
		else if (f->len != vl || memcmp(f->val, m->val, vl) != 0)
			snprintf(msg, sizeof msg, "field %s is %s, want %s",
			    ims_q(f->name), ims_qn(f->val, f->len),
			    ims_qn(m->val, vl));
		else
			continue;
		return msg;
	}
	return NULL;
}

/* Are two records' fields the same, in the same order? */
static const char *
same_rec(const struct ims_rec *a, const struct ims_rec *b)
{
	static char msg[256];

	if (a->nf != b->nf) {
		snprintf(msg, sizeof msg, "%zu fields, then %zu", a->nf,
		    b->nf);
		return msg;
	}
	for (size_t i = 0; i < a->nf; i++) {
		const struct ims_field *f = &a->f[i], *g = &b->f[i];

		if (strcmp(f->name, g->name) != 0 || f->type != g->type ||
		    f->len != g->len || memcmp(f->val, g->val, f->len) != 0) {
			snprintf(msg, sizeof msg, "field %zu: %s=%s (type %d), "
			    "then %s=%s (type %d)", i, ims_q(f->name),
			    ims_qn(f->val, f->len), f->type, ims_q(g->name),
			    ims_qn(g->val, g->len), g->type);
			return msg;
		}
	}
	return NULL;
}

void
fuzz_check_json_trip(const struct ims_rec *r)
{
	struct ims_buf b = { 0 };
	struct ims_rec back = { 0 };
	struct jobj o = { 0 };
	const char *why;
	int rc;

	ims_rec_to_json(r, &b);
	rc = fuzz_json(b.p, b.n, &o);
	if (rc != 1 && rc != -2)	/* -2: nested past the reference */
		fuzz_fail("ims_rec_to_json wrote %s JSON: %s", rc == 0 ?
		    "non-object" : rc == -3 ? "\\u0000 holding" : "malformed",
		    ims_qn(b.p, b.n));
	if (ims_rec_json(&back, b.p, b.n) != 0)
		fuzz_fail("ims_rec_json rejects its own output %s: %s",
		    ims_qn(b.p, b.n), back.error);
	if ((why = same_rec(r, &back)))
		fuzz_fail("JSON round trip of %s: %s", ims_qn(b.p, b.n), why);
	if (rc == 1 && (why = fuzz_same_obj(r, &o)))
		fuzz_fail("reference reads %s otherwise: %s",
		    ims_qn(b.p, b.n), why);
	fuzz_jobj_free(&o);
	ims_rec_free(&back);
	ims_buf_free(&b);
}

/* The values that a CSV row of this record carries: CSV has no types,
 * and an empty cell is an absent field. */
static void
csv_view(const struct ims_rec *r, struct ims_rec *out)
{
	char name[32];

	ims_rec_reset(out);
	for (size_t i = 0; i < r->nf; i++) {
		const struct ims_field *f = &r->f[i];

		snprintf(name, sizeof name, "c%zu", i);
		if (f->type != IMS_F_NULL && f->len > 0)
			ims_rec_add(out, name, f->val, f->len, IMS_F_STR);
	}
}

/* Write the record with ims_out as CSV, as ims writes it (columns c0,
 * c1, ... so that any value goes through), read it back, and compare. */
void
fuzz_check_csv_trip(const struct ims_rec *r)
{
	static char names[64][8];
	const char *cols[65];
	struct ims_rec want = { 0 }, *got;
	struct ims_reader *rd;
	struct ims_out *o;
	char *path, *buf = NULL;
	size_t blen = 0, nc = r->nf < 64 ? r->nf : 64;
	FILE *fp;
	const char *why;
	int rc;

	if (nc == 0)
		return;
	for (size_t i = 0; i < nc; i++) {
		snprintf(names[i], sizeof names[i], "c%zu", i);
		cols[i] = names[i];
	}
	cols[nc] = NULL;
	csv_view(r, &want);
	if (!(fp = open_memstream(&buf, &blen)) ||
	    !(o = ims_out_open(fp, IMS_FMT_CSV, cols, 0)))
		abort();
	ims_out_rec(o, &want);
	ims_out_close(o);
	fclose(fp);
	ims_rec_reset(&want);
	for (size_t i = 0; i < nc; i++)
		if (r->f[i].type != IMS_F_NULL && r->f[i].len > 0)
			ims_rec_add(&want, names[i], r->f[i].val, r->f[i].len,
			    IMS_F_STR);
	path = fuzz_file(1, buf, blen);
	if (!(rd = ims_reader_open(&path, 1, IMS_FMT_CSV, 0)))
		abort();
	rc = ims_reader_next(rd, &got);
	if (rc == 0 && nc == 1 && want.nf == 0)
		goto out;	/* one empty cell: a blank line, skipped */
	if (rc != 1)
		fuzz_fail("CSV %s reads as nothing", ims_qn(buf, blen));
	if (got->error)
		fuzz_fail("CSV %s is rejected: %s", ims_qn(buf, blen),
		    got->error);
	if ((why = same_rec(&want, got)))
		fuzz_fail("CSV round trip through %s: %s", ims_qn(buf, blen),
		    why);
	if (ims_reader_next(rd, &got) != 0)
		fuzz_fail("CSV %s reads as two records", ims_qn(buf, blen));
out:
	ims_reader_close(rd);
	ims_rec_free(&want);
	free(buf);
}

void
fuzz_rec_bytes(const struct ims_rec *r, struct ims_buf *b)
{
	char line[32];

	snprintf(line, sizeof line, "%ld\n", r->line);
	ims_buf_adds(b, line);
	ims_buf_adds(b, r->error ? r->error : "-");
	ims_buf_addc(b, '\n');
	for (size_t i = 0; i < r->nf; i++) {
		snprintf(line, sizeof line, "%d %zu ", r->f[i].type,
		    r->f[i].len);
		ims_buf_adds(b, line);
		ims_buf_adds(b, r->f[i].name);
		ims_buf_addc(b, '=');
		ims_buf_add(b, r->f[i].val, r->f[i].len);
		ims_buf_addc(b, '\n');
	}
	ims_buf_addc(b, '\036');
}

void
fuzz_read_twice(const char *path, int fmt,
    void (*each)(const struct ims_rec *r, void *arg), void *arg)
{
	char *files[] = { (char *)path };
	struct ims_buf first = { 0 }, again = { 0 };
	struct ims_reader *rd = ims_reader_open(files, 1, fmt, 1);
	struct ims_rec *r;
	int rc;

	if (!rd)
		abort();
	while ((rc = ims_reader_next(rd, &r)) == 1) {
		fuzz_rec_bytes(r, &first);
		each(r, arg);
	}
	if (rc != 0)
		fuzz_fail("reading %s: %s", path, ims_errmsg());
	each(NULL, arg);
	if (ims_reader_rewind(rd) != IMS_OK)
		fuzz_fail("rewind: %s", ims_errmsg());
	while ((rc = ims_reader_next(rd, &r)) == 1)
		fuzz_rec_bytes(r, &again);
	if (rc != 0)
		fuzz_fail("rereading %s: %s", path, ims_errmsg());
	if (first.n != again.n || (first.n &&
	    memcmp(first.p, again.p, first.n) != 0))
		fuzz_fail("a replay reads other records: %s, then %s",
		    ims_qn(first.p, first.n), ims_qn(again.p, again.n));
	ims_reader_close(rd);
	ims_buf_free(&first);
	ims_buf_free(&again);
}
