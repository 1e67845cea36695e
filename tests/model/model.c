/*
 * tests/model/model.c: the whole toolkit against a reference model.
 *
 * An independent implementation of the rules of ims(7), ims-pick(1),
 * ims-count(1) and ims-item(1), in integer thousandths, written from the
 * man pages and sharing no code with lib/.  It generates a random
 * sequence of operations from a seed, runs each through the real
 * commands, and after every step compares the exit status, what the
 * command echoed (the records of a receipt or a move counted, every
 * other writing command's compared entry by entry), `ims-report onhand`,
 * `ims-report orders`, the pick list and the status of ims-check with
 * what the model predicts; once ims-checkpoint has run, also the
 * valuation from the cost checkpoints against the full replay.  A
 * difference stops the run; the sequence is then shrunk (delta debugging
 * over the operations) and written as a case that replays it.
 *
 *	model run SEED OPS [CASE [SEG]]	run, shrink a failure into CASE
 *	model replay CASE		replay a kept case: exit 0 when it passes
 *
 * IMS_BIN names the directory of the commands; IMS_ENOSPC the full-disk
 * shim (tests/enospc.c), without which there are no full-disk faults;
 * MODEL_JOBS the number of workers that share a run's segments; TMPDIR
 * where their stores are made.
 *
 * A case is text: a line per operation, "op TYPE NOW KEEP_GOING APPLY
 * ARG ORDER NREC FLAGS" (ARG: a whole-order confirm, a kill's delay in
 * microseconds, a full disk's bytes; FLAGS: an allocation's or a
 * confirm's F_ bits, plus F_STRAT times its S_ strategy), then NREC
 * lines "r SKU FROM TO CODE QTY TS HOLD BAD REF ORDER LINE PRIO",
 * indices into the tables below (for an item record, TO is its track),
 * quantities in thousandths, times in seconds, "-" for none.  FLAGS and
 * PRIO came later: a case without them reads them as 0.  Killed
 * batches and full disks have more than one outcome: the model accepts
 * whichever ims shows, and checks that it is whole; of two concurrent
 * picks, the journal says which went first.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* the world: three stocked items (N and the kit K below), four locations,
 * two virtual ends */
enum { U, L, S, NSKU };
static const char *skus[NSKU] = { "U", "L", "S" };
enum { A1, A2, B1, TR, NLOC, CUST = NLOC, SCRAP };
static const char *locs[] = { "A/1", "A/2", "B/1", "TR", "@customer",
	"@scrap" };
/*
 * Each sku's track: fixed in the model's world but for N, an item that
 * never moves, whose track any record may change; and K, a kit of two U
 * and one L, which holds no stock of its own
 */
#define KIT (NSKU + 1)
#define NITEM (NSKU + 2)
static const char *items[NITEM] = { "U", "L", "S", "N", "K" };
static long track_of[NITEM] = { 0, 1, 2, 0, 0 };
static const long per_kit[NSKU] = { 2, 1, 0 };
#define NCODE 6
/* lots of L and their expiries (0: none); serials of S */
static const char *lots[NCODE] = { "L0", "L1", "L2", "L3", "L4", "L5" };
static const char *lotexp[NCODE] = { "2026-11-01", "2027-02-01",
	"2027-01-10", NULL, "2027-01-10", NULL };
static const char *serials[NCODE] = { "s0", "s1", "s2", "s3", "s4", "s5" };
#define NBAL (NSKU * NLOC * NCODE)
#define BAL(s, l, c) (((s) * NLOC + (l)) * NCODE + (c))
#define BSKU(b) ((b) / (NLOC * NCODE))
#define BLOC(b) ((b) / NCODE % NLOC)
#define BCODE(b) ((b) % NCODE)

/* ---- the model's state: every mutation is undoable ---- */

struct undo { long *p; long v; };
static struct undo *undo;
static size_t nundo, capundo;

static void
set(long *p, long v)
{
	if (nundo == capundo) {
		capundo = capundo ? 2 * capundo : 4096;
		undo = realloc(undo, capundo * sizeof *undo);
		if (!undo)
			abort();
	}
	undo[nundo].p = p;
	undo[nundo++].v = *p;
	*p = v;
}

static void
rollback(size_t mark)
{
	while (nundo > mark) {
		nundo--;
		*undo[nundo].p = undo[nundo].v;
	}
}

/* an event on a balance's timeline: on hand and allocated changes */
struct ev { long ts, seq, bal, don, dal; };
#define MAXRES 32
struct line {
	char order[24], line[24];
	long sku, wanted, shipped, closed, expires, ts, lapsed, prio;
	long nres, rbal[MAXRES], rqty[MAXRES];
	long cship[NSKU];	/* a kit's: what each component shipped */
};
enum { OPEN, CANCELLED = 1, EXPIRED = 2 };	/* bits of closed */
struct ref { char name[32]; char fp[160]; long count; };
struct count { long bal, ts, seq, counted, applied; };

#define MAXEV (1 << 20)
#define MAXLINE 65536
#define MAXREF 65536
static struct ev ev[MAXEV];
static struct line lines[MAXLINE];
static struct ref refs[MAXREF];
static struct count counts[MAXREF];
static long nev, nline, nref, ncount, seq;

/*
 * What the last batch posted and so echoes, entry by entry: a count
 * that set() keeps, so that a record rolled back echoes nothing.
 */
enum { E_PICK, E_SHIP, E_RELEASE, E_CANCEL, E_EXPIRE, E_COUNT, E_ITEM,
	E_LOC, E_MOVE };
struct echo { long kind, line, bal, qty, arg, ts; };
static struct echo echoes[MAXEV];
static long necho;
static const char *reasons[] = { "cancelled", "expired", "short",
	"substituted", "count" };
enum { R_CANCELLED, R_EXPIRED, R_SHORT, R_SUBST, R_COUNT };
static const char *actions[] = { "counted", "none", "applied", "blocked" };
enum { A_COUNTED, A_NONE, A_APPLIED, A_BLOCKED };

static void
echo(long kind, long line, long bal, long qty, long arg)
{
	struct echo *e = &echoes[necho];

	e->kind = kind;
	e->line = line;
	e->bal = bal;
	e->qty = qty;
	e->arg = arg;
	e->ts = 0;
	set(&necho, necho + 1);
}

/* a movement of QTY of sku SKU, lot or serial CODE, FROM TO at TS */
static void
echo_move(long sku, long from, long to, long code, long qty, long ts)
{
	echo(E_MOVE, from, BAL(sku, 0, code), qty, to);
	echoes[necho - 1].ts = ts;
}
static long onhand[NBAL], alloc_[NBAL];
/* each location's type, 1 for transit, as ims-loc last set it */
static long transit[NLOC];
/* each lot's expiry, fixed where it first appears: -1 not yet, 0 none */
static long lotx[NCODE];

static void
lot_seen(long sku, long code, long expiry)
{
	if (sku == L && lotx[code] < 0)
		set(&lotx[code], expiry);
}

static void
reset_model(void)
{
	nundo = 0;
	nev = nline = nref = ncount = seq = 0;
	memset(onhand, 0, sizeof onhand);
	memset(alloc_, 0, sizeof alloc_);
	memset(lotx, 0xff, sizeof lotx);
	memset(transit, 0, sizeof transit);
	transit[TR] = 1;
	track_of[NSKU] = 0;
}

static void
event(long ts, long bal, long don, long dal)
{
	struct ev *e = &ev[nev];

	if (nev + 1 >= MAXEV)
		abort();
	e->ts = ts;
	e->seq = seq;
	e->bal = bal;
	e->don = don;
	e->dal = dal;
	set(&seq, seq + 1);
	set(&nev, nev + 1);
	set(&onhand[bal], onhand[bal] + don);
	set(&alloc_[bal], alloc_[bal] + dal);
}

static int ev_cmp(const void *, const void *);

/*
 * May QTY leave BAL at TS?  Available now, and at every moment from TS on
 * (after each entry, in ts, seq order) nothing negative and nothing
 * reserved left unbacked.  A count's adjustment (ANY) may take what is
 * reserved: only on hand counts for it.
 */
static int
can_take_as(long bal, long qty, long ts, int any)
{
	static long *idx, cap;
	long on = 0, al = 0, i, m = 0;

	if (onhand[bal] - (any ? 0 : alloc_[bal]) < qty)
		return 0;
	if (cap < nev + 1) {
		cap = 2 * nev + 1024;
		idx = realloc(idx, cap * sizeof *idx);
		if (!idx)
			abort();
	}
	for (i = 0; i < nev; i++)
		if (ev[i].bal == bal) {
			if (ev[i].ts <= ts) {
				on += ev[i].don;
				al += ev[i].dal;
			} else
				idx[m++] = i;
		}
	if (on - qty < 0 || (!any && on - qty < al))
		return 0;
	qsort(idx, m, sizeof *idx, ev_cmp);
	for (i = 0; i < m; i++) {
		on += ev[idx[i]].don;
		al += ev[idx[i]].dal;
		if (on - qty < 0 || (!any && on - qty < al))
			return 0;
	}
	return 1;
}

static int
can_take(long bal, long qty, long ts)
{
	return can_take_as(bal, qty, ts, 0);
}

/* is serial CODE out of stock at TS and at every moment after it? */
static int
serial_free_from(long code, long ts)
{
	long on = 0, i, t, next;

	for (i = 0; i < nev; i++)
		if (BSKU(ev[i].bal) == S && BCODE(ev[i].bal) == code &&
		    ev[i].ts <= ts)
			on += ev[i].don;
	for (t = ts; on == 0; t = next) {
		next = -1;
		for (i = 0; i < nev; i++)
			if (BSKU(ev[i].bal) == S && BCODE(ev[i].bal) == code &&
			    ev[i].ts > t && (next < 0 || ev[i].ts < next))
				next = ev[i].ts;
		if (next < 0)
			return 1;
		for (i = 0; i < nev; i++)
			if (BSKU(ev[i].bal) == S && BCODE(ev[i].bal) == code &&
			    ev[i].ts == next)
				on += ev[i].don;
	}
	return 0;
}

/* the book of BAL at (TS, SEQ): every movement before it */
static long
book_at(long bal, long ts, long sq)
{
	long on = 0, i;

	for (i = 0; i < nev; i++)
		if (ev[i].bal == bal && (ev[i].ts < ts ||
		    (ev[i].ts == ts && ev[i].seq < sq)))
			on += ev[i].don;
	return on;
}

/* events by (ts, seq), through their index */
static int
ev_cmp(const void *a, const void *b)
{
	const struct ev *x = &ev[*(const long *)a], *y = &ev[*(const long *)b];

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* the time the oldest unit still at BAL came in, first in first out */
static long
fifo_age(long bal)
{
	static long *ts, *left, *idx, cap;
	long n = 0, head = 0, i, m = 0, age;

	if (cap < nev + 1) {
		cap = 2 * nev + 1024;
		ts = realloc(ts, cap * sizeof *ts);
		left = realloc(left, cap * sizeof *left);
		idx = realloc(idx, cap * sizeof *idx);
		if (!ts || !left || !idx)
			abort();
	}
	for (i = 0; i < nev; i++)
		if (ev[i].bal == bal && ev[i].don)
			idx[m++] = i;
	qsort(idx, m, sizeof *idx, ev_cmp);
	for (i = 0; i < m; i++) {
		struct ev *e = &ev[idx[i]];
		long q = e->don;

		if (q > 0) {
			ts[n] = e->ts;
			left[n++] = q;
		}
		while (q < 0 && head < n) {
			long k = left[head] < -q ? left[head] : -q;

			left[head] -= k;
			q += k;
			if (!left[head])
				head++;
		}
	}
	age = head < n ? ts[head] : 0;
	return age;
}

/* ---- refs ---- */

static struct ref *
ref_find(const char *name)
{
	long i;

	for (i = 0; i < nref; i++)
		if (!strcmp(refs[i].name, name))
			return &refs[i];
	return NULL;
}

/* 0 new, 1 same content (skip), -1 other content (conflict) */
static int
ref_check(const char *name, const char *fp)
{
	struct ref *r;

	if (!*name)
		return 0;
	r = ref_find(name);
	if (!r)
		return 0;
	return strcmp(r->fp, fp) ? -1 : 1;
}

static void
ref_add(const char *name, const char *fp, long count)
{
	struct ref *r = &refs[nref];

	if (!*name)
		return;
	snprintf(r->name, sizeof r->name, "%s", name);
	snprintf(r->fp, sizeof r->fp, "%s", fp);
	r->count = count;
	set(&nref, nref + 1);
}

/* ---- operations ---- */

enum { RECV, MOVE, PICK, CONFIRM, CANCEL, EXPIRE, COUNT, RESTORE, KILL,
	CONC, DISK, MASTER, RETRY, ITEM, CKPT, NOPTYPE };
static const char *optypes[] = { "recv", "move", "pick", "confirm",
	"cancel", "expire", "count", "restore", "kill", "conc", "disk",
	"master", "retry", "item", "checkpoint" };
/* an allocation's flags, and its strategy above them */
enum { F_PARTIAL = 1, F_AON = 2, F_RELSHORT = 4, F_STRAT = 8 };
enum { S_DEFAULT, S_FIFO, S_FEFO, S_LIFO, S_FEWEST, NSTRAT };
static const char *strategies[NSTRAT] = { NULL, "fifo", "fefo", "lifo",
	"fewest-locations" };
static const char *tracks[] = { "none", "lot", "serial" };
enum { GOOD, BAD_SKU, BAD_QTY0, BAD_PREC, BAD_LOC, BAD_KIT, NBAD };

#define MAXREC 200
struct rec {
	long sku, from, to, code, qty, ts, hold, bad, line_given, prio;
	char ref[32], order[24], line[24];
};
struct op {
	long type, now, kg, apply, whole, nrec, flags;
	char order[24];
	struct rec r[MAXREC];
};

static char *
fmt_time(long t, char *buf)
{
	time_t tt = t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static long
parse_day(const char *d)
{
	struct tm tm = { 0 };

	if (!d)
		return 0;
	sscanf(d, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return timegm(&tm);
}

static char *
fmt_qty(long q, char *buf)
{
	long i = q / 1000, f = q % 1000;

	if (q < 0)
		i = -(-q / 1000), f = -q % 1000;
	if (!f)
		snprintf(buf, 32, "%s%ld", q < 0 && !i ? "-" : "", i);
	else {
		int n = snprintf(buf, 32, "%s%ld.%03ld",
		    q < 0 && !i ? "-" : "", i, f);

		while (buf[n - 1] == '0')
			buf[--n] = 0;
	}
	return buf;
}

static const char *
code_name(long sku, long code)
{
	return sku == L ? lots[code] : sku == S ? serials[code] : NULL;
}

/* the fingerprint of a movement, as the model sees its content */
static void
fp_move(const char *cmd, const struct rec *r, char *fp)
{
	snprintf(fp, 160, "%s|%ld|%ld|%ld|%ld|%ld|%ld", cmd, r->sku, r->from,
	    r->to, r->code, r->qty, r->ts);
}

static int
internal(long loc)
{
	return loc < NLOC && !transit[loc];
}

/* a location's type changed: refused while it holds stock */
static int
m_master(const struct rec *r)
{
	long c, s;

	if (transit[r->from] == r->to) {
		echo(E_LOC, 0, r->from, 0, r->to);
		return 0;
	}
	for (s = 0; s < NSKU; s++)
		for (c = 0; c < NCODE; c++)
			if (onhand[BAL(s, r->from, c)])
				return 1;
	set(&transit[r->from], r->to);
	echo(E_LOC, 0, r->from, 0, r->to);
	return 0;
}


static int
moved(long sku)
{
	long i;

	for (i = 0; i < nev; i++)
		if (BSKU(ev[i].bal) == sku && ev[i].don)
			return 1;
	return 0;
}

/*
 * Item records changing track: refused once the sku has moved, and for
 * a kit anything but none.  -1 when
 * the batch would leave a track other than the model's world has.
 */
static int
m_item(const struct op *op, long *bad)
{
	long cur[NITEM], i;

	memcpy(cur, track_of, sizeof cur);
	for (i = 0; i < op->nrec; i++) {
		const struct rec *r = &op->r[i];

		/* a kit is tracked by its components: as none */
		if ((r->to != cur[r->sku] && r->sku < NSKU &&
		    moved(r->sku)) || (r->sku == KIT && r->to)) {
			(*bad)++;
			continue;
		}
		cur[r->sku] = r->to;
		echo(E_ITEM, 0, r->sku, 0, r->to);
	}
	for (i = 0; i < NSKU; i++)
		if (cur[i] != track_of[i] && (op->kg || !*bad))
			return -1;
	if (op->kg || !*bad)
		set(&track_of[NSKU], cur[NSKU]);
	return 0;
}

/* a receipt: 1 posted or skipped, 0 rejected */
static int
m_receive(const struct op *op, const struct rec *r)
{
	char fp[160];
	long ts = r->ts ? r->ts : op->now, bal, i;
	int k;

	if (r->bad)
		return 0;
	fp_move("receive", r, fp);
	k = ref_check(r->ref, fp);
	if (k)
		return k > 0 ? 2 : 0;
	bal = BAL(r->sku, r->to, r->code);
	if (r->sku == S) {
		if (r->qty != 1000)
			return 0;
		for (i = 0; i < NLOC; i++)
			if (onhand[BAL(S, i, r->code)] > 0)
				return 0;
		if (!serial_free_from(r->code, ts))
			return 0;
	}
	ref_add(r->ref, fp, -1);
	lot_seen(r->sku, r->code, parse_day(lotexp[r->code]));
	event(ts, bal, r->qty, 0);
	echo_move(r->sku, -1, r->to, r->code, r->qty, ts);
	return 1;
}

static int
m_move(const struct op *op, const struct rec *r)
{
	char fp[160];
	long ts = r->ts ? r->ts : op->now, bal;
	int k;

	if (r->bad)
		return 0;
	fp_move("move", r, fp);
	k = ref_check(r->ref, fp);
	if (k)
		return k > 0 ? 2 : 0;
	if (r->from == r->to)
		return 0;
	if (r->sku == S && r->qty != 1000)
		return 0;
	bal = BAL(r->sku, r->from, r->code);
	if (!can_take(bal, r->qty, ts))
		return 0;
	ref_add(r->ref, fp, -1);
	event(ts, bal, -r->qty, 0);
	if (r->to < NLOC)
		event(ts, BAL(r->sku, r->to, r->code), r->qty, 0);
	echo_move(r->sku, r->from, r->to, r->code, r->qty, ts);
	return 1;
}

/* what LN has reserved of SKU (-1: of any) */
static long
res_of(const struct line *ln, long sku)
{
	long i, a = 0;

	for (i = 0; i < ln->nres; i++)
		if (sku < 0 || BSKU(ln->rbal[i]) == sku)
			a += ln->rqty[i];
	return a;
}

/* whole kits in what each component has of V: the fewest */
static long
kits_of(const long *v)
{
	long c, k = -1;

	for (c = 0; c < NSKU; c++)
		if (per_kit[c] && (k < 0 || v[c] / (per_kit[c] * 1000) < k))
			k = v[c] / (per_kit[c] * 1000);
	return k * 1000;
}

/*
 * What LN has allocated; for a kit, in whole kits, as ims-report(1)
 * counts them.  The model keeps a kit's components in step (reserved
 * and shipped as whole kits): a pick of one component alone, or a count
 * that takes one, lies outside its rules.
 */
static long
line_alloc(const struct line *ln)
{
	long v[NSKU], c;

	if (ln->sku != KIT)
		return res_of(ln, -1);
	for (c = 0; c < NSKU; c++)
		v[c] = res_of(ln, c);
	return kits_of(v);
}

static const char *
line_status(const struct line *ln)
{
	long a = line_alloc(ln);

	if (ln->shipped >= ln->wanted)
		return "shipped";
	/* a line whose hold lapsed and whose order was then cancelled
	 * says cancelled: the order's fate before the line's */
	if (ln->closed & CANCELLED)
		return "cancelled";
	if (ln->closed & EXPIRED)
		return "expired";
	if (ln->shipped > 0)
		return "partially shipped";
	if (a >= ln->wanted)
		return "allocated";
	if (a > 0)
		return "partially allocated";
	return "open";
}

/* give back reservation I of line LN, QTY of it, for REASON */
static void
release(struct line *ln, long i, long qty, long now, long reason)
{
	event(now, ln->rbal[i], 0, -qty);
	set(&ln->rqty[i], ln->rqty[i] - qty);
	echo(E_RELEASE, ln - lines, ln->rbal[i], qty, reason);
}

static void
reserve(struct line *ln, long bal, long qty, long now)
{
	long i;

	for (i = 0; i < ln->nres; i++)
		if (ln->rbal[i] == bal)
			break;
	if (i == ln->nres) {
		if (i == MAXRES)
			abort();
		set(&ln->rbal[i], bal);
		set(&ln->rqty[i], 0);
		set(&ln->nres, i + 1);
	}
	set(&ln->rqty[i], ln->rqty[i] + qty);
	event(now, bal, 0, qty);
	echo(E_PICK, ln - lines, bal, qty, 0);
}

/*
 * Lapsed holds: released and closed as expired; a line that holds
 * nothing is closed by an order entry of its own (op expire), which ims
 * echoes with the rest.
 */
static void
expire_holds(long now)
{
	long i, j, any;

	for (i = 0; i < nline; i++) {
		struct line *ln = &lines[i];

		if (ln->closed || !ln->expires || ln->expires > now ||
		    ln->shipped >= ln->wanted)
			continue;
		for (j = any = 0; j < ln->nres; j++)
			if (ln->rqty[j]) {
				release(ln, j, ln->rqty[j], now,
				    R_EXPIRED);
				any = 1;
			}
		if (!any)
			echo(E_EXPIRE, i, 0, 0, 0);
		set(&ln->closed, EXPIRED);
	}
}

static struct line *
line_find(const char *order, const char *line)
{
	long i;

	for (i = 0; i < nline; i++)
		if (!strcmp(lines[i].order, order) &&
		    (!line || !strcmp(lines[i].line, line)))
			return &lines[i];
	return NULL;
}

/* does BAL qualify to serve a line now? */
static long
bal_expiry(long bal)
{
	return BSKU(bal) == L && lotx[BCODE(bal)] > 0 ? lotx[BCODE(bal)] : 0;
}

static int
qualifies(long bal, long now)
{
	if (!internal(BLOC(bal)))
		return 0;
	return !bal_expiry(bal) || bal_expiry(bal) > now;
}

/*
 * The order in which a line takes balances: STRATEGY's, FEFO for the
 * default when a candidate has an expiry; ties in walking order (the
 * model's locations have no pick_seq: by code), then by lot or serial.
 */
static int strategy, fefo_run;
static long agecache[NBAL], availcache[NBAL];
static int
bal_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b, ex, ey, ax, ay;
	int c;

	if (strategy == S_FEWEST && availcache[x] != availcache[y])
		return availcache[x] > availcache[y] ? -1 : 1;
	if (strategy == S_FEFO || (strategy == S_DEFAULT && fefo_run)) {
		ex = bal_expiry(x);
		ey = bal_expiry(y);
		if (!ex != !ey)
			return ex ? -1 : 1;
		if (ex != ey)
			return ex < ey ? -1 : 1;
	}
	ax = agecache[x];
	ay = agecache[y];
	if (ax != ay)
		return (strategy == S_LIFO ? ax > ay : ax < ay) ? -1 : 1;
	c = strcmp(locs[BLOC(x)], locs[BLOC(y)]);
	if (c)
		return c;
	if (BSKU(x) == U)
		return 0;
	return strcmp(code_name(BSKU(x), BCODE(x)),
	    code_name(BSKU(y), BCODE(y)));
}

/* what line LN still wants */
static long
line_need(const struct line *ln)
{
	return ln->wanted - line_alloc(ln) - ln->shipped;
}

/*
 * Take NEED of SKU from the candidates, TAKEN by the run before, into
 * WANT: what is still short.
 */
static long
take_sku(long sku, long need, long now, long *taken, long *want)
{
	long cand[NBAL], nc = 0, b, k;

	fefo_run = 0;
	for (b = 0; b < NBAL; b++)
		if (BSKU(b) == sku && qualifies(b, now) &&
		    onhand[b] - alloc_[b] - taken[b] > 0) {
			cand[nc++] = b;
			agecache[b] = fifo_age(b);
			availcache[b] = onhand[b] - alloc_[b] - taken[b];
			if (bal_expiry(b))
				fefo_run = 1;
		}
	qsort(cand, nc, sizeof *cand, bal_cmp);
	for (k = 0; k < nc && need > 0; k++) {
		long q = availcache[cand[k]] < need ? availcache[cand[k]] :
		    need;

		want[cand[k]] = q;
		taken[cand[k]] += q;
		need -= q;
	}
	return need;
}

/* what of SKU the candidates have, less TAKEN */
static long
avail_for(long sku, long now, const long *taken)
{
	long b, a = 0;

	for (b = 0; b < NBAL; b++)
		if (BSKU(b) == sku && qualifies(b, now) &&
		    onhand[b] - alloc_[b] - taken[b] > 0)
			a += onhand[b] - alloc_[b] - taken[b];
	return a;
}

/*
 * Take for LN into WANT: what is still short.  A kit takes as many whole
 * kits as every component has stock for, each component in its turn.
 */
static long
take_line(const struct line *ln, long now, long *taken, long *want)
{
	long need = line_need(ln), v[NSKU], c, k;

	if (ln->sku != KIT)
		return take_sku(ln->sku, need, now, taken, want);
	for (c = 0; c < NSKU; c++)
		v[c] = avail_for(c, now, taken);
	k = kits_of(v) < need ? kits_of(v) : need;
	for (c = 0; c < NSKU; c++)
		if (per_kit[c])
			take_sku(c, k * per_kit[c], now, taken, want);
	return need - k;
}

/*
 * Allocate the N lines SEL of one order, whole or (PARTIAL) line by
 * line: the number of lines left short.
 */
static long
allocate_order(const long *sel, long n, long now, int partial)
{
	static long want[MAXREC][NBAL];
	long taken[NBAL] = { 0 }, i, b, nshort = 0;

	if (n > MAXREC)
		abort();
	for (i = 0; i < n; i++) {
		memset(want[i], 0, sizeof want[i]);
		nshort += take_line(&lines[sel[i]], now, taken, want[i]) > 0;
	}
	if (nshort && !partial)
		return n;
	for (i = 0; i < n; i++)
		for (b = 0; b < NBAL; b++)
			if (want[i][b])
				reserve(&lines[sel[i]], b, want[i][b], now);
	return nshort;
}

/*
 * An order's priority: the highest of its lines' that the run serves,
 * the N lines IDX (for --retry, not those closed or done before it)
 */
static long
order_prio(const char *order, const long *idx, long n)
{
	long i, p = -1000001;

	for (i = 0; i < n; i++)
		if (!strcmp(lines[idx[i]].order, order) &&
		    lines[idx[i]].prio > p)
			p = lines[idx[i]].prio;
	return p;
}

/*
 * Serve the N lines IDX, by order: the highest priority first, then in
 * the order of their first line in IDX; 1 when a line is left short.
 */
static int
allocate_run(const long *idx, long n, const struct op *op)
{
	static long ord[MAXLINE], prio[MAXLINE], sel[MAXLINE];
	long nord = 0, i, j, p, nshort = 0;
	size_t mark = nundo;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nord; j++)
			if (!strcmp(lines[ord[j]].order, lines[idx[i]].order))
				break;
		if (j < nord)
			continue;
		/* insertion by priority, stable among equals */
		p = order_prio(lines[idx[i]].order, idx, n);
		for (j = nord; j > 0 && prio[j - 1] < p; j--)
			;
		memmove(ord + j + 1, ord + j, (nord - j) * sizeof *ord);
		memmove(prio + j + 1, prio + j, (nord - j) * sizeof *prio);
		prio[j] = p;
		ord[j] = idx[i];
		nord++;
	}
	strategy = op->flags / F_STRAT;
	for (j = 0; j < nord; j++) {
		long m = 0;

		for (i = 0; i < n; i++)
			if (!strcmp(lines[idx[i]].order, lines[ord[j]].order))
				sel[m++] = idx[i];
		nshort += allocate_order(sel, m, op->now,
		    op->flags & F_PARTIAL);
	}
	if (nshort && op->flags & F_AON)
		rollback(mark);	/* the lines stay recorded */
	return nshort > 0;
}

/* the open backorders, oldest first */
static long
backorders(long *idx, long now)
{
	long i, n = 0;

	for (i = 0; i < nline && n < MAXLINE; i++)
		if (!lines[i].closed && line_need(&lines[i]) > 0 &&
		    (!lines[i].expires || lines[i].expires > now))
			idx[n++] = i;
	return n;
}

/* an allocation run, or a retry: the exit status, 2 for bad input */
static int
m_pick(const struct op *op)
{
	static long idx[MAXLINE];
	long n = 0, i;

	for (i = 0; i < op->nrec; i++) {
		const struct rec *r = &op->r[i];
		struct line *ln;

		if (r->bad)
			return 2;
		ln = line_find(r->order, r->line);
		if (ln) {
			if (ln->sku != r->sku || ln->wanted != r->qty)
				return 2;
			continue;
		}
		ln = &lines[nline];
		memset(ln, 0, sizeof *ln);
		snprintf(ln->order, sizeof ln->order, "%s", r->order);
		snprintf(ln->line, sizeof ln->line, "%s", r->line);
		ln->sku = r->sku;
		ln->wanted = r->qty;
		ln->ts = op->now;
		ln->prio = r->prio;
		ln->expires = r->hold ? op->now + r->hold : 0;
		idx[n++] = nline;
		set(&nline, nline + 1);
	}
	expire_holds(op->now);
	if (op->type == RETRY)
		n = backorders(idx, op->now);
	return allocate_run(idx, n, op);
}

/* ship reservation I of LN, QTY of it */
static void
ship_res(struct line *ln, long i, long qty, long now)
{
	long c = BSKU(ln->rbal[i]);

	event(now, ln->rbal[i], -qty, -qty);
	set(&ln->rqty[i], ln->rqty[i] - qty);
	echo(E_SHIP, ln - lines, ln->rbal[i], qty, 0);
	if (ln->sku != KIT) {
		set(&ln->shipped, ln->shipped + qty);
		return;
	}
	set(&ln->cship[c], ln->cship[c] + qty);
	set(&ln->shipped, kits_of(ln->cship));
}

static int
m_confirm_order(const struct op *op)
{
	long i, j, any = 0, done = 1, found = 0;

	for (i = 0; i < nline; i++) {
		struct line *ln = &lines[i];

		if (strcmp(ln->order, op->order))
			continue;
		found = 1;
		if (ln->shipped < ln->wanted)
			done = 0;
		for (j = 0; j < ln->nres; j++)
			if (ln->rqty[j]) {
				any = 1;
				ship_res(ln, j, ln->rqty[j], op->now);
			}
	}
	if (!found || (!any && !done))
		return 1;
	return 0;
}

/* a line's reservations in walking order, then by lot or serial */
static const struct line *res_line;
static int
res_cmp(const void *a, const void *b)
{
	long x = res_line->rbal[*(const long *)a];
	long y = res_line->rbal[*(const long *)b];
	int c = strcmp(locs[BLOC(x)], locs[BLOC(y)]);

	if (c || BSKU(x) == U)
		return c;
	return strcmp(code_name(BSKU(x), BCODE(x)),
	    code_name(BSKU(y), BCODE(y)));
}

/* a picked line: 0 shipped, 1 refused, -1 outside the documented rules */
static int
m_confirm_line(const struct op *op, const struct rec *r)
{
	struct line *ln = line_find(r->order, r->line);
	long bal = BAL(r->sku, r->from, r->code), i, tot = 0, left;
	long idx[MAXRES];

	if (ln && ln->sku == KIT)
		return -1;	/* one component alone: see line_alloc */
	if (!ln || ln->sku != r->sku)
		return 1;
	for (i = 0; i < ln->nres; i++)
		tot += ln->rqty[i];
	if (r->qty > tot)
		return 1;
	for (i = 0; i < ln->nres; i++)
		if (ln->rbal[i] == bal && ln->rqty[i]) {
			if (r->qty > ln->rqty[i])
				return -1;
			left = ln->rqty[i] - r->qty;
			ship_res(ln, i, r->qty, op->now);
			/* a short pick: the rest stays, or is released */
			if (left && op->flags & F_RELSHORT)
				release(ln, i, left, op->now, R_SHORT);
			return 0;
		}
	if (onhand[bal] - alloc_[bal] < r->qty)
		return 1;
	event(op->now, bal, -r->qty, 0);
	set(&ln->shipped, ln->shipped + r->qty);
	echo(E_SHIP, ln - lines, bal, r->qty, 0);
	/* the reservations given back for it: in walking order, then by
	 * lot or serial (ims-pick(1) says which since the model found
	 * ims's order) */
	for (i = 0; i < ln->nres; i++)
		idx[i] = i;
	res_line = ln;
	qsort(idx, ln->nres, sizeof *idx, res_cmp);
	left = r->qty;
	for (i = 0; i < ln->nres && left; i++) {
		long k = ln->rqty[idx[i]] < left ? ln->rqty[idx[i]] : left;

		if (k)
			release(ln, idx[i], k, op->now, R_SUBST);
		left -= k;
	}
	return 0;
}

static int
m_cancel(const struct op *op)
{
	long i, j, open = 0;

	expire_holds(op->now);
	for (i = 0; i < nline; i++)
		if (!strcmp(lines[i].order, op->order) && !lines[i].closed &&
		    lines[i].shipped < lines[i].wanted)
			open = 1;
	if (!open)
		return 1;
	for (i = 0; i < nline; i++) {
		struct line *ln = &lines[i];

		if (strcmp(ln->order, op->order))
			continue;
		for (j = 0; j < ln->nres; j++)
			if (ln->rqty[j])
				release(ln, j, ln->rqty[j], op->now,
				    R_CANCELLED);
		if (ln->shipped < ln->wanted)
			set(&ln->closed, ln->closed | CANCELLED);
	}
	echo(E_CANCEL, line_find(op->order, NULL) - lines, 0, 0, 0);
	return 0;
}

static int outside;	/* the batch left the model's rules */

/*
 * After a count's adjustment, what BAL reserves beyond its on hand is
 * released (ims-count(1)): the lines of the lowest priority first, among
 * those of one priority the most recent order's line.
 */
static void
count_release(long bal, long now)
{
	long over = alloc_[bal] - onhand[bal];

	while (over > 0) {
		long i, j, bi = -1, bj = 0, q;

		for (i = nline - 1; i >= 0; i--)
			for (j = 0; j < lines[i].nres; j++)
				if (lines[i].rbal[j] == bal &&
				    lines[i].rqty[j] > 0 && (bi < 0 ||
				    lines[i].prio < lines[bi].prio)) {
					bi = i;
					bj = j;
				}
		if (bi < 0)
			abort();
		if (lines[bi].sku == KIT)
			outside = 1;	/* one component alone */
		q = lines[bi].rqty[bj] < over ? lines[bi].rqty[bj] : over;
		release(&lines[bi], bj, q, now, R_COUNT);
		over -= q;
	}
}

/* one counted balance: 0 done, 1 blocked (recorded, exit 1), 2 bad */
static int
m_count(const struct op *op, const struct rec *r)
{
	char fp[160];
	long ts = r->ts ? r->ts : op->now, bal = BAL(r->sku, r->from, r->code);
	struct count *c;
	struct ref *rf;
	long v;
	int k, skipped = 0;

	if (r->bad)
		return 2;
	snprintf(fp, sizeof fp, "count|%ld|%ld|%ld|%ld|%ld", r->sku, r->from,
	    r->code, r->qty, r->ts);
	k = ref_check(r->ref, fp);
	if (k < 0)
		return 2;
	if (k > 0) {
		rf = ref_find(r->ref);
		c = &counts[rf->count];
		skipped = 1;
	} else {
		c = &counts[ncount];
		c->bal = bal;
		c->ts = ts;
		c->seq = seq;
		c->counted = r->qty;
		c->applied = 0;
		set(&seq, seq + 1);
		ref_add(r->ref, fp, ncount);
		set(&ncount, ncount + 1);
	}
	/* the book at the count's (ts, seq) as the journal holds it now:
	 * a movement posted since with an earlier ts is under the count */
	v = c->counted - book_at(c->bal, c->ts, c->seq);
	if (!op->apply || c->applied || !v) {
		/* a count whose ref was posted before shows its row when
		 * --apply may act on it: else it is only noted.  Its
		 * variance is against the book as it is now: none when a
		 * backdated movement (or count) since has made up for it */
		if (!skipped || op->apply)
			echo(E_COUNT, 0, c->bal, v, !op->apply ? A_COUNTED :
			    !v ? A_NONE : A_APPLIED);
		return 0;
	}
	if ((v < 0 && !can_take_as(c->bal, -v, c->ts, 1)) ||
	    (v > 0 && BSKU(c->bal) == S &&
	    !serial_free_from(BCODE(c->bal), c->ts))) {
		/* short of stock then, or the serial in stock elsewhere */
		echo(E_COUNT, 0, c->bal, v, A_BLOCKED);
		return 1;
	}
	lot_seen(BSKU(c->bal), BCODE(c->bal), 0);
	event(c->ts, c->bal, v, 0);
	set(&c->applied, 1);
	echo(E_COUNT, 0, c->bal, v, A_APPLIED);
	count_release(c->bal, op->now);
	return 0;
}

/*
 * The model's exit status for OP, its effects applied (or rolled back
 * when the run stores nothing); -1 when OP lies outside the documented
 * rules, and then nothing applied.
 */

static int
model_apply(const struct op *op)
{
	size_t mark = nundo;
	long i, bad = 0, blocked = 0;
	int k;

	necho = 0;
	outside = 0;
	switch (op->type) {
	case RECV:
	case KILL:
	case DISK:
	case MOVE:
		for (i = 0; i < op->nrec; i++) {
			size_t m = nundo;

			k = op->type == MOVE ? m_move(op, &op->r[i]) :
			    m_receive(op, &op->r[i]);
			if (!k) {
				bad++;
				rollback(m);
			}
		}
		break;
	case PICK:
	case RETRY:
		k = m_pick(op);
		if (k == 2)
			rollback(mark);
		return k != 0;
	case CONFIRM:
		expire_holds(op->now);
		if (op->whole)
			bad = m_confirm_order(op);
		else
			for (i = 0; i < op->nrec; i++) {
				size_t m = nundo;

				k = m_confirm_line(op, &op->r[i]);
				if (k < 0) {
					rollback(mark);
					return -1;
				}
				if (k) {
					bad++;
					rollback(m);
				}
			}
		break;
	case CANCEL:
		bad = m_cancel(op);
		break;
	case EXPIRE:
		expire_holds(op->now);
		return 0;
	case MASTER:
		bad = m_master(&op->r[0]);
		break;
	case ITEM:
		if (m_item(op, &bad) < 0) {
			rollback(mark);
			return -1;
		}
		break;
	case COUNT:
		for (i = 0; i < op->nrec; i++) {
			long j;
			size_t m = nundo;

			for (j = 0; j < i; j++)
				if (op->r[j].sku == op->r[i].sku &&
				    op->r[j].from == op->r[i].from &&
				    op->r[j].code == op->r[i].code)
					break;
			k = j < i ? 2 : m_count(op, &op->r[i]);
			if (k == 2) {
				bad++;
				rollback(m);
			} else if (k == 1)
				blocked++;
		}
		break;
	default:
		return 0;
	}
	if (outside) {
		rollback(mark);
		return -1;
	}
	if (bad && !op->kg)
		rollback(mark);
	return bad || blocked;
}

/* ---- running the real commands ---- */

static char bindir[1024], work[1024], db[1100];

static int
run(const char *infile, const char *outfile, long now, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	char path[1100], nowbuf[32];
	pid_t pid;
	int st;

	snprintf(path, sizeof path, "%s/%s", bindir, argv[0]);
	setenv("IMS_NOW", fmt_time(now, nowbuf), 1);
	setenv("IMS_DB", db, 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, infile ? infile : "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, outfile ? outfile :
	    "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, path, &fa, NULL, argv, environ)) {
		perror(path);
		exit(3);
	}
	posix_spawn_file_actions_destroy(&fa);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
jstr(FILE *f, const char *k, const char *v)
{
	fprintf(f, ",\"%s\":\"%s\"", k, v);
}

static void
jcode(FILE *f, long sku, long code)
{
	if (sku == L)
		jstr(f, "lot", lots[code]);
	else if (sku == S)
		jstr(f, "serial", serials[code]);
}

/* a record of OP as the command reads it */
static void
write_rec(FILE *f, const struct op *op, const struct rec *r)
{
	char b[32];
	/* a kit holds no stock: it is never received nor moved */
	const char *sku = r->bad == BAD_SKU ? "ZZ" : r->bad == BAD_KIT ?
	    items[KIT] : items[r->sku];

	switch (op->type) {
	case RECV:
	case KILL:
	case DISK:
	case MOVE:
		fprintf(f, "{\"sku\":\"%s\"", sku);
		if (r->bad == BAD_QTY0)
			fprintf(f, ",\"qty\":0");
		else if (r->bad == BAD_PREC)
			fprintf(f, ",\"qty\":1.0005");
		else
			fprintf(f, ",\"qty\":%s", fmt_qty(r->qty, b));
		if (op->type == MOVE) {
			jstr(f, "from", r->bad == BAD_LOC ? "Q/9" :
			    locs[r->from]);
			jstr(f, "to", locs[r->to]);
		} else
			jstr(f, "location", r->bad == BAD_LOC ? "Q/9" :
			    locs[r->to]);
		jcode(f, r->sku, r->code);
		if (op->type != MOVE && r->sku == L && lotexp[r->code])
			jstr(f, "expiry", lotexp[r->code]);
		break;
	case PICK:
	case CONC:
		fprintf(f, "{\"order\":\"%s\"", r->order);
		jstr(f, "line", r->line);
		jstr(f, "sku", sku);
		fprintf(f, ",\"qty\":%s", fmt_qty(r->qty, b));
		if (r->hold)
			fprintf(f, ",\"hold\":\"%lds\"", r->hold);
		if (r->prio)
			fprintf(f, ",\"priority\":%ld", r->prio);
		break;
	case CONFIRM:
		fprintf(f, "{\"order\":\"%s\"", r->order);
		jstr(f, "line", r->line);
		jstr(f, "sku", sku);
		jstr(f, "location", locs[r->from]);
		fprintf(f, ",\"qty\":%s", fmt_qty(r->qty, b));
		jcode(f, r->sku, r->code);
		break;
	case COUNT:
		fprintf(f, "{\"location\":\"%s\"", locs[r->from]);
		jstr(f, "sku", sku);
		jcode(f, r->sku, r->code);
		fprintf(f, ",\"counted\":%s", fmt_qty(r->qty, b));
		break;
	}
	if (r->ts)
		jstr(f, "ts", fmt_time(r->ts, b));
	if (*r->ref)
		jstr(f, "ref", r->ref);
	fputs("}\n", f);
}

static char infile[1100], outfile[1100];

static void
write_input(const struct op *op, long from, long n)
{
	FILE *f = fopen(infile, "w");
	long i;

	if (!f) {
		perror(infile);
		exit(3);
	}
	if (op->type == CONFIRM && op->whole)
		fprintf(f, "{\"order\":\"%s\"}\n", op->order);
	else if (op->type == MASTER)
		fprintf(f, "code,type\n%s,%s\n", locs[op->r[0].from],
		    op->r[0].to ? "transit" : "internal");
	else if (op->type == ITEM) {
		fputs("sku,track\n", f);
		for (i = 0; i < op->nrec; i++)
			fprintf(f, "%s,%s\n", items[op->r[i].sku],
			    tracks[op->r[i].to]);
	} else
		for (i = from; i < from + n; i++)
			write_rec(f, op, &op->r[i]);
	fclose(f);
}

/* the options of an allocation or a confirm into AV: how many */
static int
pick_flags(const struct op *op, char **av)
{
	static char strat[NSTRAT][32];
	long k = op->flags / F_STRAT;
	int n = 0;

	if (op->flags & F_PARTIAL)
		av[n++] = "--partial";
	if (op->flags & F_AON)
		av[n++] = "--all-or-nothing";
	if (op->flags & F_RELSHORT)
		av[n++] = "--release-short";
	if (k > 0 && k < NSTRAT) {
		snprintf(strat[k], sizeof strat[k], "--strategy=%s",
		    strategies[k]);
		av[n++] = strat[k];
	}
	return n;
}

/* the argument vector of OP's command */
static void
op_argv(const struct op *op, char **av)
{
	int n = 0;

	switch (op->type) {
	case RECV:
	case KILL:
	case DISK:
		av[n++] = "ims-receive";
		break;
	case MOVE:
		av[n++] = "ims-move";
		break;
	case PICK:
	case RETRY:
	case CONC:
	case CONFIRM:
	case CANCEL:
	case EXPIRE:
		av[n++] = "ims-pick";
		if (op->type == CONFIRM)
			av[n++] = "--confirm";
		if (op->type == EXPIRE)
			av[n++] = "--expire";
		if (op->type == CANCEL)
			av[n++] = "--cancel";
		if (op->type == RETRY)
			av[n++] = "--retry";
		n += pick_flags(op, av + n);
		break;
	case COUNT:
		av[n++] = "ims-count";
		if (op->apply)
			av[n++] = "--apply";
		break;
	case MASTER:
		av[n++] = "ims-loc";
		break;
	case ITEM:
		av[n++] = "ims-item";
		break;
	}
	av[n++] = "-q";
	if (op->kg)
		av[n++] = "--keep-going";
	if (op->type == CANCEL)
		av[n++] = (char *)op->order;
	av[n] = NULL;
}

/* ---- comparing ---- */

/* the text of KEY's value in the NDJSON line S, quantities exact */
static void
field(const char *s, const char *key, char *out, size_t sz)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof pat, "\"%s\":", key);
	*out = 0;
	p = strstr(s, pat);
	if (!p)
		return;
	p += strlen(pat);
	if (*p == '"') {
		p++;
		while (*p && *p != '"' && n + 1 < sz)
			out[n++] = *p++;
	} else
		while (*p && *p != ',' && *p != '}' && n + 1 < sz)
			out[n++] = *p++;
	out[n] = 0;
}

/* a decimal's text in thousandths */
static long
thousandths(const char *s)
{
	long i = 0, f = 0, d = 0, neg = *s == '-';

	if (neg)
		s++;
	while (*s >= '0' && *s <= '9')
		i = i * 10 + *s++ - '0';
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && d < 3; d++)
			f = f * 10 + *s++ - '0';
	while (d++ < 3)
		f *= 10;
	return (neg ? -1 : 1) * (i * 1000 + f);
}

struct rows { char **v; size_t n; };

static void
rows_add(struct rows *r, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->v = realloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n++] = strdup(buf);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
rows_free(struct rows *r)
{
	while (r->n)
		free(r->v[--r->n]);
	free(r->v);
	r->v = NULL;
}

/* ims's rows of a report, normalized */
static int
ims_rows(const char *report, struct rows *r, long now)
{
	char *av[] = { "ims-report", (char *)report, NULL }, line[2048];
	char *pl[] = { "ims-pick", "--list", NULL };
	char a[64], b[64], c[64], d[64], e[64], g[64], h[64];
	FILE *f;
	int rc = run(NULL, outfile, now, strcmp(report, "picks") ? av : pl);

	if (rc)
		return rc;
	f = fopen(outfile, "r");
	while (f && fgets(line, sizeof line, f)) {
		if (!strcmp(report, "onhand")) {
			field(line, "sku", a, sizeof a);
			field(line, "location", b, sizeof b);
			field(line, "lot", c, sizeof c);
			if (!*c)
				field(line, "serial", c, sizeof c);
			field(line, "on_hand", d, sizeof d);
			field(line, "allocated", e, sizeof e);
			field(line, "available", g, sizeof g);
			field(line, "expiry", h, sizeof h);
			rows_add(r, "%s %s %s %s on=%ld al=%ld av=%ld", a, b,
			    *c ? c : "-", *h ? h : "-", thousandths(d),
			    thousandths(e), thousandths(g));
		} else if (!strcmp(report, "picks")) {
			field(line, "order", a, sizeof a);
			field(line, "line", b, sizeof b);
			field(line, "location", c, sizeof c);
			field(line, "lot", d, sizeof d);
			if (!*d)
				field(line, "serial", d, sizeof d);
			field(line, "qty", e, sizeof e);
			rows_add(r, "%s/%s %s %s %ld", a, b, c, *d ? d : "-",
			    thousandths(e));
		} else {
			field(line, "order", a, sizeof a);
			field(line, "line", b, sizeof b);
			field(line, "wanted", c, sizeof c);
			field(line, "allocated", d, sizeof d);
			field(line, "shipped", e, sizeof e);
			field(line, "status", g, sizeof g);
			field(line, "sku", h, sizeof h);
			rows_add(r, "%s/%s %s w=%ld al=%ld sh=%ld %s", a, b, h,
			    thousandths(c), thousandths(d), thousandths(e), g);
		}
	}
	if (f)
		fclose(f);
	if (r->n)
		qsort(r->v, r->n, sizeof *r->v, strp_cmp);
	return 0;
}

static void
model_rows(const char *report, struct rows *r)
{
	long b;

	if (!strcmp(report, "onhand")) {
		for (b = 0; b < NBAL; b++)
			if (onhand[b] || alloc_[b]) {
				const char *c = code_name(BSKU(b), BCODE(b));
				char x[32] = "-";
				time_t t = bal_expiry(b);

				if (t)
					strftime(x, sizeof x, "%Y-%m-%d",
					    gmtime(&t));
				rows_add(r, "%s %s %s %s on=%ld al=%ld av=%ld",
				    skus[BSKU(b)], locs[BLOC(b)], c ? c : "-",
				    x, onhand[b], alloc_[b],
				    onhand[b] - alloc_[b]);
			}
	} else if (!strcmp(report, "picks")) {
		for (b = 0; b < nline; b++) {
			struct line *ln = &lines[b];
			long i;

			for (i = 0; i < ln->nres; i++) {
				const char *c = code_name(BSKU(ln->rbal[i]),
				    BCODE(ln->rbal[i]));

				if (ln->rqty[i])
					rows_add(r, "%s/%s %s %s %ld",
					    ln->order, ln->line,
					    locs[BLOC(ln->rbal[i])],
					    c ? c : "-", ln->rqty[i]);
			}
		}
	} else
		for (b = 0; b < nline; b++) {
			struct line *ln = &lines[b];

			rows_add(r, "%s/%s %s w=%ld al=%ld sh=%ld %s",
			    ln->order, ln->line, items[ln->sku], ln->wanted,
			    line_alloc(ln), ln->shipped, line_status(ln));
		}
	if (r->n)
		qsort(r->v, r->n, sizeof *r->v, strp_cmp);
}

static int verbose = 1;

/* 0 when ims's REPORT is the model's; else say how they differ */
static int
compare_report(const char *report, long now, int quiet)
{
	struct rows x = { 0 }, y = { 0 };
	size_t i = 0, j = 0;
	int diff, rc = ims_rows(report, &x, now);

	model_rows(report, &y);
	diff = rc != 0 || x.n != y.n;
	for (i = 0; !diff && i < x.n; i++)
		diff = strcmp(x.v[i], y.v[i]) != 0;
	if (diff && !quiet && verbose) {
		fprintf(stderr, "# %s differs (report exit %d):\n", report, rc);
		for (i = 0; i < x.n; i++)
			fprintf(stderr, "#   ims:   %s\n", x.v[i]);
		for (j = 0; j < y.n; j++)
			fprintf(stderr, "#   model: %s\n", y.v[j]);
	}
	rows_free(&x);
	rows_free(&y);
	return diff;
}

static int
compare_state(long now, int quiet)
{
	int d = compare_report("onhand", now, quiet);

	d = compare_report("picks", now, quiet) || d;
	return compare_report("orders", now, quiet) || d;
}

/* the lot or serial of an echoed record, named by the key that holds it */
static void
echo_code(const char *s, char *c, size_t sz)
{
	char v[48];

	field(s, "lot", v, sizeof v);
	if (*v) {
		snprintf(c, sz, "lot=%s", v);
		return;
	}
	field(s, "serial", v, sizeof v);
	snprintf(c, sz, *v ? "serial=%s" : "-", v);
}

/* an echoed record of a receipt or a move, normalized */
static void
echo_move_row(const char *s, struct rows *r)
{
	char k[64], from[64], to[64], c[64], q[64], ts[64];

	field(s, "sku", k, sizeof k);
	field(s, "from", from, sizeof from);
	field(s, "to", to, sizeof to);
	echo_code(s, c, sizeof c);
	field(s, "qty", q, sizeof q);
	field(s, "ts", ts, sizeof ts);
	rows_add(r, "move %s %s %s %s %ld %s", k, from, to, c,
	    thousandths(q), ts);
}

/* an echoed record, normalized */
static void
echo_row(const char *s, struct rows *r)
{
	char o[64], l[64], k[64], loc[64], c[64], q[64], x[64];

	field(s, "order", o, sizeof o);
	field(s, "line", l, sizeof l);
	field(s, "sku", k, sizeof k);
	field(s, "location", loc, sizeof loc);
	echo_code(s, c, sizeof c);
	field(s, "qty", q, sizeof q);
	if (strstr(s, "\"kind\":\"release\"")) {
		field(s, "reason", x, sizeof x);
		rows_add(r, "release %s/%s %s %s %s %ld %s", o, l, k, loc, c,
		    thousandths(q), x);
	} else if (strstr(s, "\"kind\":\"order\"")) {
		field(s, "op", x, sizeof x);
		rows_add(r, "%s %s%s%s", x, o, *l ? "/" : "", l);
	} else if (strstr(s, "\"type\":\"ship\"")) {
		field(s, "from", loc, sizeof loc);
		rows_add(r, "ship %s/%s %s %s %s %ld", o, l, k, loc, c,
		    thousandths(q));
	} else if (strstr(s, "\"action\":")) {
		field(s, "variance", q, sizeof q);
		field(s, "action", x, sizeof x);
		rows_add(r, "count %s %s %s v=%ld %s", loc, k, c,
		    thousandths(q), x);
	} else if (strstr(s, "\"track\":")) {
		field(s, "track", x, sizeof x);
		rows_add(r, "item %s %s", k, x);
	} else if (strstr(s, "\"code\":")) {
		field(s, "code", loc, sizeof loc);
		field(s, "type", x, sizeof x);
		rows_add(r, "loc %s %s", loc, x);
	} else if (*o && *loc)
		rows_add(r, "pick %s/%s %s %s %s %ld", o, l, k, loc, c,
		    thousandths(q));
	else
		rows_add(r, "other %.400s", s);
}

/* the model's echo of the last batch, normalized */
static void
model_echo(const struct op *op, struct rows *r)
{
	long i;

	char t[32];

	for (i = 0; i < necho; i++) {
		const struct echo *e = &echoes[i];
		const struct line *ln = e->kind == E_MOVE ? NULL :
		    &lines[e->line];
		const char *cn = code_name(BSKU(e->bal), BCODE(e->bal));
		char c[64] = "-";

		if (cn)
			snprintf(c, sizeof c, "%s=%s", BSKU(e->bal) == L ?
			    "lot" : "serial", cn);
		switch (e->kind) {
		case E_PICK:
			rows_add(r, "pick %s/%s %s %s %s %ld", ln->order,
			    ln->line, skus[BSKU(e->bal)], locs[BLOC(e->bal)], c,
			    e->qty);
			break;
		case E_SHIP:
			rows_add(r, "ship %s/%s %s %s %s %ld", ln->order,
			    ln->line, skus[BSKU(e->bal)], locs[BLOC(e->bal)], c,
			    e->qty);
			break;
		case E_RELEASE:
			/* an allocation and a count echo no releases */
			if (op->type == PICK || op->type == RETRY ||
			    op->type == COUNT)
				break;
			rows_add(r, "release %s/%s %s %s %s %ld %s", ln->order,
			    ln->line, skus[BSKU(e->bal)], locs[BLOC(e->bal)], c,
			    e->qty, reasons[e->arg]);
			break;
		case E_CANCEL:
			rows_add(r, "cancel %s", ln->order);
			break;
		case E_EXPIRE:
			if (op->type != PICK && op->type != RETRY)
				rows_add(r, "expire %s/%s", ln->order,
				    ln->line);
			break;
		case E_COUNT:
			rows_add(r, "count %s %s %s v=%ld %s",
			    locs[BLOC(e->bal)], skus[BSKU(e->bal)], c, e->qty,
			    actions[e->arg]);
			break;
		case E_ITEM:
			rows_add(r, "item %s %s", items[e->bal],
			    tracks[e->arg]);
			break;
		case E_LOC:
			rows_add(r, "loc %s %s", locs[e->bal],
			    e->arg ? "transit" : "internal");
			break;
		case E_MOVE:
			rows_add(r, "move %s %s %s %s %ld %s",
			    skus[BSKU(e->bal)], e->line < 0 ? "@supplier" :
			    locs[e->line], locs[e->arg], c, e->qty,
			    fmt_time(e->ts, t));
			break;
		}
	}
}

/*
 * Is the pick list in FILE in walking order (the model's locations have
 * no pick_seq: by code), then by sku, lot or serial, order and line?
 */
static int
walking_order(const char *file)
{
	char line[8192], key[5][64], prev[320] = "", cur[320];
	static const char *k[] = { "location", "sku", "lot", "order", "line" };
	FILE *f = fopen(file, "r");
	int i, ok = 1;

	while (ok && f && fgets(line, sizeof line, f)) {
		for (i = 0; i < 5; i++)
			field(line, k[i], key[i], sizeof key[i]);
		if (!*key[2])
			field(line, "serial", key[2], sizeof key[2]);
		/* a tab sorts before any character of a code */
		snprintf(cur, sizeof cur, "%s\t%s\t%s\t%s\t%s", key[0],
		    key[1], key[2], key[3], key[4]);
		ok = strcmp(prev, cur) < 0;
		memcpy(prev, cur, sizeof prev);
	}
	if (f)
		fclose(f);
	return ok;
}

/* 0 when what ims echoed (in the output file) is what the model posted */
static int
compare_echo(const struct op *op)
{
	struct rows x = { 0 }, y = { 0 };
	char line[8192];
	FILE *f = fopen(outfile, "r");
	size_t i;
	int diff;

	while (f && fgets(line, sizeof line, f))
		if (op->type == RECV || op->type == MOVE)
			echo_move_row(line, &x);
		else
			echo_row(line, &x);
	if (f)
		fclose(f);
	model_echo(op, &y);
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, strp_cmp);
	if (y.n)
		qsort(y.v, y.n, sizeof *y.v, strp_cmp);
	diff = x.n != y.n;
	for (i = 0; !diff && i < x.n; i++)
		diff = strcmp(x.v[i], y.v[i]) != 0;
	if (!diff && (op->type == PICK || op->type == RETRY) &&
	    !walking_order(outfile)) {
		diff = 1;
		if (verbose)
			fprintf(stderr, "# the pick list is not in walking"
			    " order\n");
	}
	if (diff && verbose) {
		fprintf(stderr, "# %s echo differs:\n", optypes[op->type]);
		for (i = 0; i < x.n; i++)
			fprintf(stderr, "#   ims:   %s\n", x.v[i]);
		for (i = 0; i < y.n; i++)
			fprintf(stderr, "#   model: %s\n", y.v[i]);
	}
	rows_free(&x);
	rows_free(&y);
	return diff;
}

/* ---- executing one operation against both ---- */

static long
journal_len(long now)
{
	char *av[] = { "ims-log", NULL }, line[8192];
	long n = 0;
	FILE *f;

	if (run(NULL, outfile, now, av))
		return -1;
	f = fopen(outfile, "r");
	while (f && fgets(line, sizeof line, f))
		n++;
	if (f)
		fclose(f);
	return n;
}

static pid_t
spawn_bg(const struct op *op, const char *in)
{
	posix_spawn_file_actions_t fa;
	char *av[12], path[1100], nowbuf[32];
	pid_t pid;

	op_argv(op, av);
	snprintf(path, sizeof path, "%s/%s", bindir, av[0]);
	setenv("IMS_NOW", fmt_time(op->now, nowbuf), 1);
	setenv("IMS_DB", db, 1);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, path, &fa, NULL, av, environ))
		exit(3);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static int
wait_rc(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long ndiskfull, nkillcut;

/* SIGKILL a batch at OP's delay: the model takes it whole or not at all */
static int
do_kill(const struct op *op)
{
	long before = journal_len(op->now), after;
	pid_t pid;
	int rc;

	write_input(op, 0, op->nrec);
	pid = spawn_bg(op, infile);
	usleep(op->whole);
	kill(pid, SIGKILL);
	rc = wait_rc(pid);
	after = journal_len(op->now);
	nkillcut += after == before;
	if (after > before) {
		if (model_apply(op) != 0 || (rc != 0 && rc != 128 + SIGKILL))
			return 1;
	} else if (rc != 128 + SIGKILL)
		return 1;
	return 0;
}


/*
 * A batch on a full disk (tests/enospc.c preloaded, the store allowed to
 * grow by OP's bytes): exit 3 and nothing stored, or exit 0 and all.
 */
static int
do_disk(const struct op *op)
{
	long before = journal_len(op->now), after;
	char *av[12], lim[32];
	const char *so = getenv("IMS_ENOSPC");
	int rc;

	if (!so)
		return 0;
	write_input(op, 0, op->nrec);
	op_argv(op, av);
	snprintf(lim, sizeof lim, "%ld", op->whole);
	setenv("IMS_ENOSPC_AFTER", lim, 1);
	setenv("LD_PRELOAD", so, 1);
	rc = run(infile, NULL, op->now, av);
	unsetenv("LD_PRELOAD");
	unsetenv("IMS_ENOSPC_AFTER");
	after = journal_len(op->now);
	ndiskfull += rc == 3;
	if (rc == 0 && after > before)
		return model_apply(op) != 0;
	return rc != 3 || after != before;
}

/*
 * 1 when the journal records B's order line before A's, 0 when A's first
 * or neither
 */
static int
b_first(const struct op *a, const struct op *b, long now)
{
	char *av[] = { "ims-log", NULL }, line[8192], pa[64], pb[64];
	int k = 0;
	FILE *f;

	snprintf(pa, sizeof pa, "\"order\":\"%s\"", a->r[0].order);
	snprintf(pb, sizeof pb, "\"order\":\"%s\"", b->r[0].order);
	if (run(NULL, outfile, now, av))
		return 0;
	f = fopen(outfile, "r");
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "\"kind\":\"order\"")) {
			if (strstr(line, pa))
				break;
			if (strstr(line, pb)) {
				k = 1;
				break;
			}
		}
	if (f)
		fclose(f);
	return k;
}

/* two allocations at once: ims must match the order the journal shows */
static int
do_conc(const struct op *op)
{
	struct op a = *op, b = *op;
	char in2[sizeof infile + 4];
	pid_t p1, p2;
	int r1, r2, m1, m2;

	a.type = b.type = PICK;
	a.nrec = 1;
	b.nrec = op->nrec - 1;
	memmove(b.r, b.r + 1, b.nrec * sizeof *b.r);
	write_input(&a, 0, a.nrec);
	snprintf(in2, sizeof in2, "%s.2", infile);
	rename(infile, in2);
	write_input(&b, 0, b.nrec);
	p1 = spawn_bg(&a, in2);
	p2 = spawn_bg(&b, infile);
	r1 = wait_rc(p1);
	r2 = wait_rc(p2);
	/* the journal says which went first: --retry serves by that order */
	if (b_first(&a, &b, op->now)) {
		m2 = model_apply(&b);
		m1 = model_apply(&a);
	} else {
		m1 = model_apply(&a);
		m2 = model_apply(&b);
	}
	if (m1 == r1 && m2 == r2 && !compare_state(op->now, 1))
		return 0;
	if (verbose)
		fprintf(stderr, "# concurrent picks: ims exit %d %d, model %d"
		    " %d\n", r1, r2, m1, m2);
	compare_state(op->now, 0);
	return 1;
}

static int
do_restore(const struct op *op)
{
	char exp[1100], db2[sizeof db], saved[sizeof db], cmd[4 * sizeof db];
	char *av[] = { "ims-log", "--restore", exp, NULL };
	char *lg[] = { "ims-log", NULL };
	int rc;

	snprintf(exp, sizeof exp, "%s/export", work);
	snprintf(db2, sizeof db2, "%s/d2", work);
	if (run(NULL, exp, op->now, lg))
		return 1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", db2);
	if (system(cmd))
		return 1;
	memcpy(saved, db, sizeof db);
	memcpy(db, db2, sizeof db);
	rc = run(NULL, NULL, op->now, av);
	memcpy(db, saved, sizeof db);
	if (rc)
		return 1;
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mv '%s' '%s'", db, db2, db);
	return system(cmd) != 0;
}

/*
 * The cost checkpoints (ims-checkpoint), which the model knows nothing
 * of: ims-check compares them with a replay after every step, and the
 * valuation from them must be the full replay's, which a window opened
 * before any movement asks for (no checkpoint holds nothing of it).
 */
static int ckpts;	/* the store has some */

static int
same_file(const char *a, const char *b)
{
	FILE *x = fopen(a, "r"), *y = fopen(b, "r");
	int c, d, same = x && y;

	do {
		c = same ? getc(x) : EOF;
		d = same ? getc(y) : EOF;
		same = same && c == d;
	} while (same && c != EOF);
	if (x)
		fclose(x);
	if (y)
		fclose(y);
	return same;
}

static int
compare_costs(long now)
{
	char out2[sizeof outfile + 4];
	char *av[] = { "ims-report", "valuation", NULL, "--group-by",
		"location", NULL, NULL, NULL };
	static char *const methods[] = { "--method=fifo", "--method=avg" };

	snprintf(out2, sizeof out2, "%s.2", outfile);
	for (int m = 0; m < 2; m++) {
		av[2] = methods[m];
		av[5] = NULL;
		if (run(NULL, outfile, now, av))
			return 1;
		av[5] = "--since=2000-01-01T00:00:00Z";
		if (run(NULL, out2, now, av))
			return 1;
		if (!same_file(outfile, out2)) {
			if (verbose)
				fprintf(stderr, "# valuation %s from the"
				    " checkpoints is not the full replay's\n",
				    methods[m]);
			return 1;
		}
	}
	return 0;
}

static int
do_checkpoint(const struct op *op)
{
	char every[32];
	char *av[] = { "ims-checkpoint", "-q", every, NULL };

	snprintf(every, sizeof every, "--every=%ld", op->whole);
	if (run(NULL, NULL, op->now, av))
		return 1;
	ckpts = 1;
	return 0;
}

/*
 * Run OP through ims and the model and compare: 0 agreed, 1 differed,
 * -1 OP lies outside the model's rules (nothing run).
 */
static int
step(const struct op *op)
{
	char *av[12];
	char *ck[] = { "ims-check", NULL };
	size_t mark = nundo;
	int want, rc;
	long n;

	if (op->type == KILL) {
		if (do_kill(op)) {
			if (verbose)
				fprintf(stderr, "# killed batch: not all or"
				    " nothing\n");
			return 1;
		}
	} else if (op->type == DISK) {
		if (do_disk(op)) {
			if (verbose)
				fprintf(stderr, "# full disk: not exit 3 with"
				    " nothing stored, nor 0 with all\n");
			return 1;
		}
	} else if (op->type == CONC) {
		if (do_conc(op))
			return 1;
	} else if (op->type == RESTORE) {
		if (do_restore(op)) {
			if (verbose)
				fprintf(stderr, "# export and restore"
				    " failed\n");
			return 1;
		}
		ckpts = 0;	/* an export leaves them out */
	} else if (op->type == CKPT) {
		if (do_checkpoint(op)) {
			if (verbose)
				fprintf(stderr, "# ims-checkpoint failed\n");
			return 1;
		}
	} else {
		want = model_apply(op);
		if (want < 0) {
			rollback(mark);
			return -1;
		}
		write_input(op, 0, op->nrec);
		op_argv(op, av);
		for (n = 1; av[n] && strcmp(av[n], "-q"); n++)
			;
		for (; av[n]; n++)	/* the echo, without -q */
			av[n] = av[n + 1];
		rc = run(infile, outfile, op->now, av);
		if (compare_echo(op)) {
			if (verbose)
				fprintf(stderr, "# %s: ims exit %d, model %d\n",
				    optypes[op->type], rc, want);
			return 1;
		}
		if (rc != want) {
			if (verbose)
				fprintf(stderr, "# %s: ims exit %d, model %d\n",
				    optypes[op->type], rc, want);
			compare_state(op->now, 0);
			return 1;
		}
	}
	if (compare_state(op->now, 0))
		return 1;
	if (ckpts && compare_costs(op->now))
		return 1;
	if (run(NULL, NULL, op->now, ck)) {
		if (verbose)
			fprintf(stderr, "# ims-check failed\n");
		return 1;
	}
	return 0;
}

static int
fresh_store(void)
{
	char cmd[4 * sizeof db], in[1100];
	char *item[] = { "ims-item", "-q", in, NULL };
	char *loc[] = { "ims-loc", "-q", in, NULL };
	FILE *f;

	ckpts = 0;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", db);
	if (system(cmd))
		return 1;
	snprintf(in, sizeof in, "%s/master.csv", work);
	f = fopen(in, "w");
	fputs("sku,track,components\nU,none,\nL,lot,\nS,serial,\nN,none,\n"
	    "K,,\"U:2,L:1\"\n", f);
	fclose(f);
	if (run(in, NULL, 1795780800, item))
		return 1;
	f = fopen(in, "w");
	fputs("code,type\nA/1,internal\nA/2,internal\nB/1,internal\n"
	    "TR,transit\n", f);
	fclose(f);
	return run(in, NULL, 1795780800, loc);
}

/* ---- generating ---- */

static unsigned long long rng;

static long
rnd(long n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return n > 0 ? (long)((rng >> 33) % (unsigned long long)n) : 0;
}

static long
gen_qty(long sku)
{
	if (sku == S)
		return 1000;
	return (1 + rnd(12)) * 1000 + (rnd(5) == 0 ? 500 : 0);
}

static long nrefs_made, norders_made;
static struct op *hist;
static long nhist;

static void
gen_ref(struct rec *r, const char *p)
{
	if (rnd(2))
		snprintf(r->ref, sizeof r->ref, "%s/%ld", p, nrefs_made++);
}

static long
gen_ts(const struct op *op, long pct)
{
	return rnd(100) < pct ? op->now - 1 - rnd(20000) : 0;
}

/* a balance with stock, or -1 */
static long
gen_stocked(int internal_only)
{
	long c[NBAL], n = 0, b;

	for (b = 0; b < NBAL; b++)
		if (onhand[b] > 0 && (!internal_only || internal(BLOC(b))))
			c[n++] = b;
	return n ? c[rnd(n)] : -1;
}

static void
gen_recv(struct op *op)
{
	long i;

	op->type = RECV;
	op->nrec = 1 + rnd(4);
	op->kg = rnd(3) == 0;
	for (i = 0; i < op->nrec; i++) {
		struct rec *r = &op->r[i];

		r->sku = rnd(NSKU);
		r->to = rnd(3);
		r->code = r->sku == U ? 0 : rnd(NCODE);
		r->qty = gen_qty(r->sku);
		r->ts = gen_ts(op, 20);
		gen_ref(r, "asn");
		if (op->nrec > 1 && rnd(8) == 0)
			r->bad = 1 + rnd(NBAD - 1);
	}
}

static void
gen_move(struct op *op)
{
	long i;

	op->type = MOVE;
	op->nrec = 1 + rnd(3);
	op->kg = rnd(3) == 0;
	for (i = 0; i < op->nrec; i++) {
		struct rec *r = &op->r[i];
		long b = gen_stocked(0);

		if (b < 0) {
			op->nrec = i;
			break;
		}
		r->sku = BSKU(b);
		r->from = BLOC(b);
		r->code = BCODE(b);
		r->qty = onhand[b] <= 1000 || rnd(6) == 0 ? onhand[b] :
		    1000 * (1 + rnd(onhand[b] / 1000));
		if (rnd(8) == 0)
			r->qty += 1000;
		do
			r->to = rnd(NLOC + 2);
		while (r->to == r->from);
		if (r->from == TR && rnd(2))
			r->to = rnd(3);
		r->ts = gen_ts(op, 20);
		gen_ref(r, "mv");
		if (op->nrec > 1 && rnd(10) == 0)
			r->bad = 1 + rnd(NBAD - 1);
	}
}

/* an allocation's options: partial, all or nothing, a strategy */
static long
gen_alloc_flags(void)
{
	long f = 0;

	if (rnd(4) == 0)
		f |= F_PARTIAL;
	if (rnd(6) == 0)
		f |= F_AON;
	if (rnd(2))
		f += F_STRAT * (1 + rnd(NSTRAT - 1));
	return f;
}

static void
gen_pick(struct op *op)
{
	long i, nl[2] = { 0, 0 }, o;

	op->type = PICK;
	op->nrec = 1 + rnd(3);
	op->flags = gen_alloc_flags();
	for (i = 0; i < op->nrec; i++) {
		struct rec *r = &op->r[i];

		o = rnd(2);	/* two orders in a run: which is first */
		snprintf(r->order, sizeof r->order, "o%ld", norders_made + o);
		snprintf(r->line, sizeof r->line, "%ld", ++nl[o]);
		r->sku = rnd(5) ? rnd(NSKU) : KIT;
		r->qty = r->sku == S ? 1000 * (1 + rnd(2)) :
		    r->sku == KIT ? 1000 * (1 + rnd(3)) :
		    1000 * (1 + rnd(8));
		if (rnd(4) == 0)
			r->hold = 60 + rnd(3600);
		if (rnd(3) == 0)
			r->prio = rnd(8) ? rnd(5) - 2 :
			    rnd(2) ? 1000000 : -1000000;
	}
	norders_made++;
	if (nline && rnd(6) == 0) {	/* a line posted before, again */
		struct line *ln = &lines[rnd(nline)];
		struct rec *r = &op->r[0];

		snprintf(r->order, sizeof r->order, "%.23s", ln->order);
		snprintf(r->line, sizeof r->line, "%.23s", ln->line);
		r->sku = ln->sku;
		r->qty = ln->wanted + (rnd(3) == 0 ? 1000 : 0);
		r->hold = 0;
		op->nrec = 1;
	}
	norders_made++;
}

/* a line with something reserved, or NULL */
static struct line *
gen_reserved_line(void)
{
	long c[64], n = 0, i;

	for (i = nline - 1; i >= 0 && n < 64; i--)
		if (line_alloc(&lines[i]))
			c[n++] = i;
	return n ? &lines[c[rnd(n)]] : NULL;
}

static void
gen_confirm(struct op *op)
{
	struct line *ln = gen_reserved_line();
	struct rec *r = &op->r[0];
	long i, b;

	op->type = CONFIRM;
	if (rnd(2))
		op->flags = F_RELSHORT;
	if (!ln) {
		op->whole = 1;
		snprintf(op->order, sizeof op->order, "o%ld",
		    rnd(norders_made + 1));
		return;
	}
	snprintf(op->order, sizeof op->order, "%s", ln->order);
	if (rnd(2) || ln->sku == KIT) {	/* a kit's components go whole */
		op->whole = 1;
		return;
	}
	op->nrec = 1;
	for (i = 0; !ln->rqty[i]; i++)
		;
	snprintf(r->order, sizeof r->order, "%s", ln->order);
	snprintf(r->line, sizeof r->line, "%s", ln->line);
	r->sku = ln->sku;
	r->from = BLOC(ln->rbal[i]);
	r->code = BCODE(ln->rbal[i]);
	r->qty = ln->rqty[i];
	switch (rnd(3)) {
	case 0:		/* short */
		if (r->qty > 1000)
			r->qty -= 1000 * (1 + rnd(r->qty / 1000 - 1 + 1)) -
			    (r->qty % 1000 ? 0 : 0);
		if (r->qty <= 0)
			r->qty = 500;
		break;
	case 1:		/* other stock */
		b = gen_stocked(1);
		if (b >= 0 && BSKU(b) == ln->sku) {
			r->from = BLOC(b);
			r->code = BCODE(b);
			if (r->qty > onhand[b])
				r->qty = onhand[b];
		}
		break;
	}
}

/*
 * Item records changing track: for a sku that has moved, refused; for
 * one that has not, changed and changed back in the batch; for N, any;
 * for the kit, refused but as none.
 */
static void
gen_item(struct op *op)
{
	struct rec *r = &op->r[0];

	op->type = ITEM;
	op->kg = rnd(3) == 0;
	op->nrec = 1;
	r->sku = rnd(NITEM);
	r->to = rnd(3);
	if ((r->sku < NSKU && !moved(r->sku)) || rnd(3) == 0) {
		op->r[1] = *r;
		op->r[1].to = r->sku < NSKU ? track_of[r->sku] : rnd(3);
		op->nrec = 2;
	}
	if (rnd(3) == 0) {	/* another sku left as it is */
		op->r[op->nrec].sku = rnd(NITEM);
		op->r[op->nrec].to = track_of[op->r[op->nrec].sku];
		op->nrec++;
	}
}

static void
gen_count(struct op *op)
{
	long i;

	op->type = COUNT;
	op->apply = rnd(5) < 3;
	op->nrec = 1 + rnd(2);
	op->kg = rnd(4) == 0;
	for (i = 0; i < op->nrec; i++) {
		struct rec *r = &op->r[i];
		long b = gen_stocked(1);

		if (b < 0)
			b = BAL(U, rnd(3), 0);
		r->sku = BSKU(b);
		r->from = BLOC(b);
		r->code = BCODE(b);
		r->qty = onhand[b] + 1000 * (rnd(5) - 2);
		if (r->sku == S)
			r->qty = rnd(2) * 1000;
		if (r->qty < 0)
			r->qty = 0;
		r->ts = gen_ts(op, 40);
		gen_ref(r, "cnt");
	}
}

static void
gen_kill(struct op *op)
{
	long i;

	op->type = KILL;
	op->nrec = MAXREC;
	op->whole = rnd(8000);	/* microseconds: most before commit */
	for (i = 0; i < op->nrec; i++) {
		struct rec *r = &op->r[i];

		r->sku = U;
		r->to = rnd(3);
		r->qty = 1000;
		snprintf(r->ref, sizeof r->ref, "kill/%ld", nrefs_made++);
	}
}

static void
gen_conc(struct op *op)
{
	long i, sku = rnd(NSKU);

	op->type = CONC;
	op->nrec = 2;
	for (i = 0; i < 2; i++) {
		struct rec *r = &op->r[i];

		snprintf(r->order, sizeof r->order, "o%ld", norders_made++);
		snprintf(r->line, sizeof r->line, "1");
		r->sku = sku;
		r->qty = sku == S ? 1000 : 1000 * (1 + rnd(10));
	}
}

/* an earlier operation again: the same, or with other content */
static int
gen_replay(struct op *op)
{
	long i, tries;

	for (tries = 0; tries < 8 && nhist; tries++) {
		const struct op *h = &hist[rnd(nhist)];

		if (h->type != RECV && h->type != MOVE && h->type != COUNT)
			continue;
		*op = *h;
		if (op->type == COUNT && rnd(2))
			op->apply = 1;	/* a count applied after later moves */
		else if (rnd(3) == 0)
			for (i = 0; i < op->nrec; i++)
				if (op->r[i].sku != S)
					op->r[i].qty += 1000;
		return 1;
	}
	return 0;
}

static void
gen_op(struct op *op, long now)
{
	long w = rnd(100);

	memset(op, 0, sizeof *op);
	op->now = now;
	if (w < 8 && gen_replay(op)) {
		op->now = now;
		return;
	}
	if (w < 26)
		gen_recv(op);
	else if (w < 44)
		gen_move(op);
	else if (w < 60)
		gen_pick(op);
	else if (w < 72)
		gen_confirm(op);
	else if (w < 76) {
		op->type = CANCEL;
		snprintf(op->order, sizeof op->order, "o%ld",
		    rnd(norders_made + 1));
	} else if (w < 77)
		op->type = EXPIRE;
	else if (w < 79) {	/* a location turned transit, or back */
		op->type = MASTER;
		op->nrec = 1;
		op->r[0].from = rnd(NLOC);
		op->r[0].to = !transit[op->r[0].from];
	}
	else if (w < 88)
		gen_count(op);
	else if (w < 90) {
		op->type = RETRY;
		op->flags = gen_alloc_flags();
	} else if (w < 91)
		gen_item(op);
	else if (w < 93)
		op->type = RESTORE;
	else if (w < 94)
		gen_kill(op);
	else if (w < 95 && !getenv("IMS_ENOSPC"))
		op->type = EXPIRE;
	else if (w < 95) {
		gen_kill(op);
		op->type = DISK;
		op->whole = rnd(4) ? rnd(65536) : rnd(1 << 20);
	}
	else if (w < 99)
		gen_conc(op);
	else {
		op->type = CKPT;
		op->whole = 1 + rnd(40);	/* --every */
	}
	if (op->type != RECV && op->type != KILL && !op->nrec &&
	    (op->type == MOVE || op->type == COUNT))
		gen_recv(op);
}

/* ---- cases: a sequence as text ---- */

static void
write_case(const char *path, const struct op *ops, long n, long seed)
{
	FILE *f = fopen(path, "w");
	long i, j;

	if (!f) {
		perror(path);
		return;
	}
	fprintf(f, "# model case: seed %ld, %ld operations\n", seed, n);
	for (i = 0; i < n; i++) {
		const struct op *o = &ops[i];

		fprintf(f, "op %s %ld %ld %ld %ld %s %ld %ld\n",
		    optypes[o->type], o->now, o->kg, o->apply, o->whole,
		    *o->order ? o->order : "-", o->nrec, o->flags);
		for (j = 0; j < o->nrec; j++) {
			const struct rec *r = &o->r[j];

			fprintf(f, "r %ld %ld %ld %ld %ld %ld %ld %ld %s %s"
			    " %s %ld\n", r->sku, r->from, r->to, r->code,
			    r->qty, r->ts, r->hold, r->bad,
			    *r->ref ? r->ref : "-",
			    *r->order ? r->order : "-",
			    *r->line ? r->line : "-", r->prio);
		}
	}
	fclose(f);
}

static void
dash(char *s)
{
	if (!strcmp(s, "-"))
		*s = 0;
}

static long
read_case(const char *path, struct op **ops)
{
	FILE *f = fopen(path, "r");
	char buf[512], t[16];
	long n = 0, cap = 0, j;

	if (!f) {
		perror(path);
		exit(2);
	}
	*ops = NULL;
	while (fgets(buf, sizeof buf, f)) {
		struct op *o;

		if (strncmp(buf, "op ", 3))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			*ops = realloc(*ops, cap * sizeof **ops);
		}
		o = &(*ops)[n++];
		memset(o, 0, sizeof *o);
		sscanf(buf, "op %15s %ld %ld %ld %ld %23s %ld %ld", t, &o->now,
		    &o->kg, &o->apply, &o->whole, o->order, &o->nrec,
		    &o->flags);
		dash(o->order);
		for (o->type = 0; o->type < NOPTYPE &&
		    strcmp(optypes[o->type], t); o->type++)
			;
		for (j = 0; j < o->nrec && fgets(buf, sizeof buf, f); j++) {
			struct rec *r = &o->r[j];

			sscanf(buf, "r %ld %ld %ld %ld %ld %ld %ld %ld %31s"
			    " %23s %23s %ld", &r->sku, &r->from, &r->to,
			    &r->code, &r->qty, &r->ts, &r->hold, &r->bad,
			    r->ref, r->order, r->line, &r->prio);
			dash(r->ref);
			dash(r->order);
			dash(r->line);
		}
	}
	fclose(f);
	return n;
}

/* run a sequence on a fresh store: the step that failed, or -1 */
static long
run_seq(const struct op *ops, long n)
{
	long i;
	int k;

	reset_model();
	if (fresh_store()) {
		fprintf(stderr, "model: cannot make the store\n");
		exit(3);
	}
	for (i = 0; i < n; i++) {
		k = step(&ops[i]);
		if (k > 0)
			return i;
	}
	return -1;
}

/* delta debugging over the operations: a shorter sequence that fails */
static long
shrink(struct op *ops, long n)
{
	struct op *t = malloc(n * sizeof *t);
	long chunk = n / 2, i, m, f, tries = 0;
	time_t end = time(NULL) + 300;	/* a short case soon beats a shorter */

	verbose = 0;
	while (chunk >= 1 && tries < 400 && time(NULL) < end) {
		int cut = 0;

		for (i = 0; i + chunk <= n && tries < 400 && time(NULL) < end;
		    tries++) {
			m = 0;
			memcpy(t, ops, i * sizeof *t);
			m = i;
			memcpy(t + m, ops + i + chunk,
			    (n - i - chunk) * sizeof *t);
			m += n - i - chunk;
			f = run_seq(t, m);
			if (f >= 0) {
				memcpy(ops, t, (f + 1) * sizeof *t);
				n = f + 1;
				cut = 1;
			} else
				i += chunk;
		}
		if (!cut)
			chunk /= 2;
	}
	free(t);
	verbose = 1;
	return n;
}

static void
setup_dirs(void)
{
	const char *b = getenv("IMS_BIN"), *t = getenv("TMPDIR");
	char tmpl[1024];

	if (!b) {
		fprintf(stderr, "model: IMS_BIN is not set\n");
		exit(2);
	}
	snprintf(bindir, sizeof bindir, "%s", b);
	snprintf(tmpl, sizeof tmpl, "%s/ims-model.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		exit(3);
	}
	snprintf(work, sizeof work, "%s", tmpl);
	snprintf(db, sizeof db, "%s/db", work);
	snprintf(infile, sizeof infile, "%s/in.ndjson", work);
	snprintf(outfile, sizeof outfile, "%s/out", work);
	setenv("IMS_ACTOR", "model", 1);
	unsetenv("IMS_MAPSIZE");
}

static void
cleanup(void)
{
	char cmd[2 * sizeof work];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
	if (system(cmd))
		fprintf(stderr, "model: cannot remove %s\n", work);
}

/* the tally of a run, summed over its workers */
struct tally {
	long ops, segs, kill, killcut, restore, conc, disk, diskfull, master;
	long retry, item, ckpt;
};

/*
 * One segment: SEG operations on a fresh store, from a generator seeded
 * by the run's seed and the segment's number alone, so that segments are
 * independent and a run can share them among workers.  Returns 1 when
 * ims and the model differ, after shrinking the sequence into CASE.
 */
static int
run_segment(long seed, long sno, long seg, const char *casefile,
    struct tally *t)
{
	struct op op;
	long i, now = 1795780800, n;
	int k;

	reset_model();
	nhist = 0;
	nrefs_made = norders_made = 0;
	rng = (seed * 2654435761ULL + 1) ^ (sno * 0x9e3779b97f4a7c15ULL);
	if (fresh_store())
		return 3;
	for (i = 0; i < seg;) {
		gen_op(&op, now);
		now += 1 + rnd(900);
		k = step(&op);
		if (k < 0)
			continue;
		i++;
		hist[nhist++] = op;
		t->ops++;
		t->kill += op.type == KILL;
		t->restore += op.type == RESTORE;
		t->conc += op.type == CONC;
		t->disk += op.type == DISK;
		t->master += op.type == MASTER;
		t->retry += op.type == RETRY;
		t->item += op.type == ITEM;
		t->ckpt += op.type == CKPT;
		if (k > 0) {
			fprintf(stderr, "model: seed %ld segment %ld step %ld"
			    " (%s): ims and the model differ\n", seed, sno,
			    nhist - 1, optypes[op.type]);
			n = shrink(hist, nhist);
			if (casefile) {
				write_case(casefile, hist, n, seed);
				fprintf(stderr, "model: shrunk to %ld"
				    " operations: %s\n", n, casefile);
			}
			run_seq(hist, n);
			return 1;
		}
	}
	t->segs++;
	return 0;
}

/*
 * A worker takes segments JOB, JOB + JOBS, ... of the run, in its own
 * directory, and writes its tally to FD.  A failing worker's case is
 * CASE for the first worker, CASE.JOB for the others.
 */
static int
worker(long seed, long ops, long seg, const char *casefile, long job,
    long jobs, int fd)
{
	struct tally t = { 0 };
	char cf[1200];
	long sno, nseg = (ops + seg - 1) / seg;
	int rc = 0;

	setup_dirs();
	if (casefile && job > 0)
		snprintf(cf, sizeof cf, "%s.%ld", casefile, job);
	else if (casefile)
		snprintf(cf, sizeof cf, "%s", casefile);
	for (sno = job; sno < nseg && !rc; sno += jobs)
		rc = run_segment(seed, sno, sno == nseg - 1 && ops % seg ?
		    ops % seg : seg, casefile ? cf : NULL, &t);
	t.killcut = nkillcut;
	t.diskfull = ndiskfull;
	if (write(fd, &t, sizeof t) != (ssize_t)sizeof t)
		rc = 3;
	cleanup();
	return rc;
}

/*
 * A run: OPS operations from SEED, in segments of SEG operations, each on
 * a fresh store, so that a failure shrinks within its segment; JOBS
 * workers run the segments side by side.
 */
static int
cmd_run(long seed, long ops, long seg, const char *casefile, long jobs)
{
	struct tally sum = { 0 }, t;
	pid_t *pid = calloc(jobs, sizeof *pid), p;
	int pfd[2], st, rc = 0;
	long j, left = jobs;

	hist = malloc(seg * sizeof *hist);
	if (!pid || !hist || pipe(pfd))
		return 3;
	for (j = 0; j < jobs; j++) {
		if ((pid[j] = fork()) < 0)
			return 3;
		if (pid[j] == 0) {
			close(pfd[0]);
			_exit(worker(seed, ops, seg, casefile, j, jobs,
			    pfd[1]));
		}
	}
	close(pfd[1]);
	while (left > 0 && (p = wait(&st)) > 0) {
		left--;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			/* one difference ends the run: stop the rest */
			for (j = 0; j < jobs && !rc; j++)
				if (pid[j] != p)
					kill(pid[j], SIGTERM);
			rc = WIFEXITED(st) ? WEXITSTATUS(st) : 3;
		}
	}
	while (read(pfd[0], &t, sizeof t) == (ssize_t)sizeof t) {
		sum.ops += t.ops, sum.segs += t.segs, sum.kill += t.kill;
		sum.killcut += t.killcut, sum.restore += t.restore;
		sum.conc += t.conc, sum.disk += t.disk;
		sum.diskfull += t.diskfull, sum.master += t.master;
		sum.retry += t.retry, sum.item += t.item, sum.ckpt += t.ckpt;
	}
	close(pfd[0]);
	free(pid);
	if (rc)
		return rc;
	printf("model: seed %ld: %ld operations in %ld segments agree"
	    " (%ld batches killed, %ld before commit; %ld restores;"
	    " %ld concurrent pairs; %ld full disks, %ld refused;"
	    " %ld location type changes; %ld retries; %ld item batches;"
	    " %ld cost checkpoint runs)\n",
	    seed, sum.ops, sum.segs, sum.kill, sum.killcut, sum.restore,
	    sum.conc, sum.disk, sum.diskfull, sum.master, sum.retry,
	    sum.item, sum.ckpt);
	return 0;
}

static int
cmd_replay(const char *path)
{
	struct op *ops;
	long n = read_case(path, &ops), f = run_seq(ops, n);

	if (f >= 0)
		fprintf(stderr, "model: %s: step %ld (%s) differs\n", path,
		    f, optypes[ops[f].type]);
	else
		printf("model: %s: %ld operations agree\n", path, n);
	free(ops);
	return f >= 0;
}

int
main(int argc, char **argv)
{
	const char *j = getenv("MODEL_JOBS");
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "run")) {
		return cmd_run(atol(argv[2]), atol(argv[3]),
		    argc > 5 ? atol(argv[5]) : 500, argc > 4 &&
		    strcmp(argv[4], "-") ? argv[4] : NULL,
		    j && atol(j) > 0 ? atol(j) : 1);
	} else if (argc == 3 && !strcmp(argv[1], "replay")) {
		setup_dirs();
		rc = cmd_replay(argv[2]);
	} else {
		fprintf(stderr, "usage: model run SEED OPS [CASE|- [SEG]]\n"
		    "       model replay CASE\n");
		return 2;
	}
	cleanup();
	return rc;
}
