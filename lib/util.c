/* util.c: messages, escaping, growable buffers, keys and a string map */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims.h"

const char *ims_prog = "ims";
static char errmsg[1024];

void
ims_setprog(const char *argv0)
{
	const char *p = strrchr(argv0, '/');

	ims_prog = p ? p + 1 : argv0;
}

void
ims_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ims_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Keep a message for the caller to report with its file and line. */
int
ims_seterr(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof errmsg, fmt, ap);
	va_end(ap);
	return code;
}

const char *
ims_errmsg(void)
{
	return errmsg;
}

/* The length of the control character at s: 1 for C0 or DEL, 2 for a
 * C1 one (U+0080 to U+009F, UTF-8 C2 80 to C2 9F), 0 for none. */
size_t
ims_ctl_len(const char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x20 || c == 0x7f)
		return 1;
	if (c == 0xc2 && n > 1 && (unsigned char)s[1] >= 0x80 &&
	    (unsigned char)s[1] <= 0x9f)
		return 2;
	return 0;
}

/* The offset of the first control character in s, or n. */
size_t
ims_ctl_find(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ims_ctl_len(s + i, n - i))
			return i;
	return n;
}

/*
 * Quote untrusted text for a message: double quotes around it, and every
 * control character (C1 ones as \u0080 to \u009f), backslash and quote
 * escaped, so that nothing read
 * from input can drive the terminal.  Rotates through a few buffers so
 * that one message may quote several strings.
 */
const char *
ims_qn(const char *s, size_t n)
{
	static char bufs[4][256];
	static int next;
	char *b = bufs[next++ & 3], *p = b;
	size_t i;

	*p++ = '"';
	for (i = 0; i < n && p < b + sizeof bufs[0] - 8; i++) {
		unsigned char c = s[i];
		size_t w = ims_ctl_len(s + i, n - i);

		if (w == 2)
			p += sprintf(p, "\\u%04x", (unsigned char)s[++i]);
		else if (w == 1)
			p += sprintf(p, "\\x%02x", c);
		else if (c == '"' || c == '\\')
			p += sprintf(p, "\\%c", c);
		else
			*p++ = c;
	}
	if (i < n)
		p += sprintf(p, "...");
	*p++ = '"';
	*p = '\0';
	return b;
}

const char *
ims_q(const char *s)
{
	return ims_qn(s, strlen(s));
}

/* Is s well-formed UTF-8 (no overlongs, no surrogates)? */
int
ims_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned c = *p, need;
		uint32_t cp;
		uint64_t w;

		/* plain ASCII, eight bytes at a time */
		if (e - p >= 8 && (memcpy(&w, p, 8), !(w & 0x8080808080808080u))) {
			p += 8;
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(e - p) <= need)
			return 0;
		for (unsigned i = 1; i <= need; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += need + 1;
	}
	return 1;
}

/* Flush standard output and say so when it failed: a full disk must not
 * exit 0. */
int
ims_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ims_warn("write error: %s", strerror(errno));
		return IMS_EXIT_STORE;
	}
	return status;
}

void
ims_buf_grow(struct ims_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;

	if (b->n + need + 1 <= b->cap)
		return;
	while (cap < b->n + need + 1)
		cap *= 2;
	b->p = realloc(b->p, cap);
	if (!b->p) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	b->cap = cap;
}

void
ims_buf_add(struct ims_buf *b, const void *p, size_t n)
{
	ims_buf_grow(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
ims_buf_adds(struct ims_buf *b, const char *s)
{
	ims_buf_add(b, s, strlen(s));
}

void
ims_buf_addc(struct ims_buf *b, char c)
{
	ims_buf_grow(b, 1);
	b->p[b->n++] = c;
	b->p[b->n] = '\0';
}

/* Append s as a JSON string, quotes included, escaping what JSON wants
 * escaped.  Room for the worst case is made once, up front. */
void
ims_buf_json_str(struct ims_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *p;

	ims_buf_grow(b, n * 6 + 2);
	p = b->p + b->n;
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c != '"' && c != '\\') {
			*p++ = c;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"': case '\\': *p++ = c; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		default:
			*p++ = 'u', *p++ = '0', *p++ = '0';
			*p++ = hex[c >> 4], *p++ = hex[c & 15];
		}
	}
	*p++ = '"';
	*p = '\0';
	b->n = p - b->p;
}

void
ims_buf_free(struct ims_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

void
ims_key_init(struct ims_key *k)
{
	k->n = 0;
}

/* Append a string component; callers have checked its length against
 * IMS_ID_MAX, so a key never passes IMS_KEY_MAX. */
void
ims_key_str(struct ims_key *k, const char *s)
{
	size_t n = strlen(s) + 1;

	if (k->n + n > IMS_KEY_MAX)
		n = IMS_KEY_MAX - k->n;
	memcpy(k->b + k->n, s, n);
	k->n += n;
}

void
ims_key_u64(struct ims_key *k, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		k->b[k->n++] = v >> (i * 8);
}

/* Signed values sort right when the sign bit is flipped. */
void
ims_key_i64(struct ims_key *k, int64_t v)
{
	ims_key_u64(k, (uint64_t)v ^ UINT64_C(0x8000000000000000));
}

uint64_t
ims_get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

int64_t
ims_get_i64(const unsigned char *p)
{
	return (int64_t)(ims_get_u64(p) ^ UINT64_C(0x8000000000000000));
}

/* A string map with open addressing, for per-batch caches and report
 * groups.  Keys are copied; values are the caller's. */
struct ims_map {
	char **keys;
	void **vals;
	size_t cap, count;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

struct ims_map *
ims_map_new(void)
{
	struct ims_map *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cap = 64;
	m->keys = calloc(m->cap, sizeof *m->keys);
	m->vals = calloc(m->cap, sizeof *m->vals);
	return m;
}

static size_t
find(const struct ims_map *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
rehash(struct ims_map *m)
{
	struct ims_map n = { 0 };

	n.cap = m->cap * 2;
	n.keys = calloc(n.cap, sizeof *n.keys);
	n.vals = calloc(n.cap, sizeof *n.vals);
	if (!n.keys || !n.vals) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = find(&n, m->keys[i]);
		n.keys[j] = m->keys[i];
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = n.keys;
	m->vals = n.vals;
	m->cap = n.cap;
}

/* The value slot for key, made (NULL) when new. */
void **
ims_map_slot(struct ims_map *m, const char *key, int *isnew)
{
	size_t i;

	if ((m->count + 1) * 4 > m->cap * 3)
		rehash(m);
	i = find(m, key);
	*isnew = !m->keys[i];
	if (*isnew) {
		m->keys[i] = strdup(key);
		if (!m->keys[i]) {
			ims_warn("out of memory");
			exit(IMS_EXIT_STORE);
		}
		m->count++;
	}
	return &m->vals[i];
}

void *
ims_map_get(const struct ims_map *m, const char *key)
{
	size_t i = find(m, key);

	return m->keys[i] ? m->vals[i] : NULL;
}

size_t
ims_map_count(const struct ims_map *m)
{
	return m->count;
}

/* Iterate: *it starts at 0; returns 0 at the end. */
int
ims_map_each(const struct ims_map *m, size_t *it, const char **key,
    void **val)
{
	while (*it < m->cap && !m->keys[*it])
		(*it)++;
	if (*it >= m->cap)
		return 0;
	*key = m->keys[*it];
	*val = m->vals[*it];
	(*it)++;
	return 1;
}

void
ims_map_free(struct ims_map *m, void (*freeval)(void *))
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		free(m->keys[i]);
		if (freeval)
			freeval(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	free(m);
}

/* Append ,"name":"v" (nothing when v is NULL), for entries and keys. */
void
ims_buf_kv_str(struct ims_buf *b, const char *name, const char *v)
{
	if (!v)
		return;
	ims_buf_addc(b, ',');
	ims_buf_json_str(b, name, strlen(name));
	ims_buf_addc(b, ':');
	ims_buf_json_str(b, v, strlen(v));
}

/* Append ,"name":v with v as it is (a number). */
void
ims_buf_kv_raw(struct ims_buf *b, const char *name, const char *v)
{
	ims_buf_addc(b, ',');
	ims_buf_json_str(b, name, strlen(name));
	ims_buf_addc(b, ':');
	ims_buf_adds(b, v);
}

/* A quantity as text, in one of a few rotating buffers: several may
 * stand in one message. */
const char *
ims_fmtq(ims_dec q)
{
	static char b[8][IMS_DEC_BUF];
	static int i;

	return ims_dec_fmt(q, IMS_QTY, b[i++ & 7]);
}

/* p, or exit 3 when an allocation failed where nothing can be undone
 * (a check's or a report's maps). */
void *
ims_must(void *p)
{
	if (!p) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	return p;
}

/* The C string at *p (ending before end), and *p past it; NULL when it
 * does not end there. */
const char *
ims_next_str(const char **p, const char *end)
{
	const char *s = *p, *z = memchr(s, '\0', end - s);

	if (!z)
		return NULL;
	*p = z + 1;
	return s;
}

/*
 * A list as CSV gives it, "NAME:VALUE,NAME:VALUE": fn is called for each
 * part with its name and value (the last colon of a part splits it, so a
 * name may hold colons).  form names the list in the message a part
 * without a colon gets ("components: x is not SKU:QTY").
 */
int
ims_each_pair(const char *s, const char *what, const char *form,
    ims_pair_fn *fn, void *arg)
{
	int rc;

	while (*s) {
		const char *end = strchr(s, ','), *colon;
		size_t n = end ? (size_t)(end - s) : strlen(s);

		for (colon = s + n; colon > s && colon[-1] != ':'; colon--)
			;
		if (colon == s)
			return ims_seterr(IMS_EREJECT, "%s: %s is not %s", what,
			    ims_qn(s, n), form);
		if ((rc = fn(arg, s, colon - 1 - s, colon, s + n - colon)))
			return rc;
		s += n + (end != NULL);
	}
	return IMS_OK;
}
