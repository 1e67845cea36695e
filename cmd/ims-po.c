/* ims-po: purchase orders: draft, list, show, approve, cancel, close */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Draft purchase orders from records, or list, "
    "show, approve, cancel or close them.\v"
    "Each record is a PO line: po, supplier, sku, qty, and optionally "
    "line, unit_cost, due, ts (when it was drafted), approved (when it was "
    "approved, for a PO that is approved already), ref.  The lines of one "
    "po are one PO.  --approve, --cancel and --close take PO ids as "
    "operands.  Every change is a journal entry.";

enum { O_LIST = 256, O_OPEN, O_SUPPLIER, O_SHOW, O_APPROVE, O_CANCEL,
	O_CLOSE, O_AT, O_REF };

static struct argp_option options[] = {
	{ "list", O_LIST, NULL, 0, "list the POs", 0 },
	{ "open", O_OPEN, NULL, 0, "--list: only those drafted or approved",
	    0 },
	{ "supplier", O_SUPPLIER, "ID", 0, "--list: only this supplier's", 0 },
	{ "ref", O_REF, "REF", 0, "--list: only those drafted by this ref", 0 },
	{ "show", O_SHOW, "PO", 0, "print a PO's lines", 0 },
	{ "approve", O_APPROVE, NULL, 0, "approve the POs named", 0 },
	{ "cancel", O_CANCEL, NULL, 0, "cancel the POs named", 0 },
	{ "close", O_CLOSE, NULL, 0, "close the POs named (nothing more is "
	    "expected)", 0 },
	{ "at", O_AT, "TS", 0, "when the change happened (default now)", 0 },
	{ 0 }
};

enum { M_CREATE, M_LIST, M_SHOW, M_CHANGE };

struct draft {
	struct ims_po po;
	struct ims_poline *v;
	size_t n, cap;
	ims_time ts, approved;
	const char *file;	/* where its first line was read */
	long line;
	int bad;		/* a line was rejected: not drafted */
	char *strs;		/* what the po's strings point into */
	struct ims_buf b;
};

static struct {
	int mode, modes, open;
	const char *supplier, *show, *op, *ref;
	ims_time at;
	char **args;
	int nargs;
	struct draft *d;
	size_t nd, capd;
	struct ims_map *byid;
	struct ims_rec rec;
	struct ims_txn *txn;	/* the batch's, while records are read */
} g = { .at = IMS_TIME_NONE };


static void
set_mode(int m, const char *op)
{
	g.mode = m;
	g.op = op;
	g.modes++;
	if (m == M_LIST || m == M_SHOW)
		ims_opts_mode(IMS_O_READ, m == M_LIST ? "--list stores "
		    "nothing" : "--show stores nothing");
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	const char *why;

	switch (key) {
	case O_LIST: set_mode(M_LIST, NULL); break;
	case O_SHOW: set_mode(M_SHOW, NULL); g.show = arg; break;
	case O_APPROVE: set_mode(M_CHANGE, "approve"); break;
	case O_CANCEL: set_mode(M_CHANGE, "cancel"); break;
	case O_CLOSE: set_mode(M_CHANGE, "close"); break;
	case O_OPEN: g.open = 1; break;
	case O_SUPPLIER: g.supplier = arg; break;
	case O_REF: g.ref = arg; break;
	case O_AT:
		if ((why = ims_time_parse(arg, strlen(arg), &g.at)))
			argp_error(st, "--at %s: %s", ims_q(arg), why);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void
check_options(void)
{
	if (g.modes > 1)
		ims_usage_error("--list, --show, --approve, --cancel and --close "
		    "are modes: give one");
	if ((g.open || g.supplier || g.ref) && g.mode != M_LIST)
		ims_usage_error("--open, --supplier and --ref are for --list");
	if (g.at != IMS_TIME_NONE && g.mode != M_CHANGE)
		ims_usage_error("--at is for --approve, --cancel and --close");
	if (g.mode == M_CHANGE && g.nargs == 0)
		ims_usage_error("name the POs to change");
	if ((g.mode == M_LIST || g.mode == M_SHOW) && g.nargs)
		ims_usage_error("--list and --show read no files");
}

static int
opt_time(const struct ims_rec *r, const char *name, ims_time *t)
{
	const char *s = ims_rec_str(r, name), *why;

	*t = IMS_TIME_NONE;
	if (s && (why = ims_time_parse(s, strlen(s), t)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name, ims_q(s),
		    why);
	return IMS_OK;
}

static int
opt_dec(const struct ims_rec *r, const char *name, int scale, ims_dec *v,
    int *has)
{
	const char *s = ims_rec_str(r, name), *why;

	*has = 0;
	if (!s)
		return IMS_OK;
	if ((why = ims_dec_parse(s, strlen(s), scale, v)))
		return ims_seterr(IMS_EREJECT, "%s %s: %s", name, ims_q(s),
		    why);
	*has = 1;
	return IMS_OK;
}

/* A copy of s that lives as long as the batch. */
static const char *
keep(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s))) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	return d;
}

/* The draft a record's po belongs to: the supplier, ts, approved and
 * ref of its first line. */
static int
draft_of(const struct ims_rec *r, const char *po, struct draft **dp)
{
	const char *sup = ims_rec_str(r, "supplier");
	void **slot = ims_map_slot(g.byid, po, &(int){ 0 });
	struct draft *d;
	int rc;

	if (*slot) {
		*dp = d = &g.d[(uintptr_t)*slot - 1];
		if (sup && strcmp(sup, d->po.supplier) != 0)
			return ims_seterr(IMS_EREJECT, "po %s has supplier %s "
			    "on an earlier line", ims_q(po),
			    ims_q(d->po.supplier));
		*dp = d;
		return IMS_OK;
	}
	if (!sup)
		return ims_seterr(IMS_EREJECT, "missing field supplier");
	if ((rc = ims_master_get(g.txn, &ims_supplier_schema, sup, &g.rec)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT,
		    "unknown supplier %s", ims_q(sup)) : rc;
	if (g.nd == g.capd) {
		size_t cap = g.capd ? 2 * g.capd : 16;
		struct draft *v = realloc(g.d, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		g.d = v, g.capd = cap;
	}
	d = &g.d[g.nd];
	memset(d, 0, sizeof *d);
	d->po.id = keep(po);
	d->po.supplier = keep(sup);
	d->po.ref = keep(ims_rec_str(r, "ref"));
	d->file = keep(r->file);
	d->line = r->line;
	if ((rc = opt_time(r, "ts", &d->ts)) ||
	    (rc = opt_time(r, "approved", &d->approved)))
		return rc;
	*slot = (void *)(uintptr_t)++g.nd;
	*dp = d;
	return IMS_OK;
}

/* Is the line valid in its draft: a known sku, a positive qty, a line
 * name not given before? */
static int
check_line(const struct draft *d, const struct ims_poline *l)
{
	int rc;

	if (l->qty <= 0)
		return ims_seterr(IMS_EREJECT, "qty must be positive");
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].line, l->line) == 0)
			return ims_seterr(IMS_EREJECT, "po %s line %s is given "
			    "twice", ims_q(d->po.id), ims_q(l->line));
	if ((rc = ims_master_get(g.txn, &ims_item_schema, l->sku, &g.rec)))
		return rc == IMS_ENOTFOUND ? ims_seterr(IMS_EREJECT,
		    "unknown sku %s", ims_q(l->sku)) : rc;
	return IMS_OK;
}

static int line_fields(struct draft *d, struct ims_rec *r);

/* A PO line: kept to draft its PO when the input ends.  A PO with a
 * rejected line is not drafted (--keep-going keeps the other POs). */
static int
line_record(struct ims_batch *b, struct ims_rec *r)
{
	const char *po = ims_rec_str(r, "po"), *sku = ims_rec_str(r, "sku");
	const char *line = ims_rec_str(r, "line");
	struct draft *d = NULL;
	int rc;

	g.txn = b->txn;
	if (!po || !sku)
		return ims_seterr(IMS_EREJECT, "missing field %s", po ? "sku" :
		    "po");
	if ((rc = ims_check_id("po", po)) || (rc = ims_check_id("sku", sku)) ||
	    (line && (rc = ims_check_id("line", line))) ||
	    (rc = draft_of(r, po, &d))) {
		if (d)
			d->bad = 1;
		return rc;
	}
	if ((rc = line_fields(d, r)))
		d->bad = 1;
	return rc;
}

/* The fields of a PO line into its draft. */
static int
line_fields(struct draft *d, struct ims_rec *r)
{
	const char *sku = ims_rec_str(r, "sku");
	const char *line = ims_rec_str(r, "line");
	struct ims_poline *l;
	char num[24];
	int rc, has;

	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 8;
		struct ims_poline *v = realloc(d->v, cap * sizeof *v);

		if (!v)
			return ims_seterr(IMS_ESTORE, "out of memory");
		d->v = v, d->cap = cap;
	}
	l = &d->v[d->n];
	memset(l, 0, sizeof *l);
	snprintf(num, sizeof num, "%zu", d->n + 1);
	l->line = keep(line ? line : num);
	l->sku = keep(sku);
	if ((rc = opt_dec(r, "qty", IMS_QTY, &l->qty, &has)))
		return rc;
	if (!has)
		return ims_seterr(IMS_EREJECT, "missing field qty");
	if ((rc = opt_dec(r, "unit_cost", IMS_MONEY, &l->unit_cost,
	    &l->has_cost)) || (rc = opt_time(r, "due", &l->due)) ||
	    (rc = check_line(d, l)))
		return rc;
	d->n++;
	return IMS_OK;
}

/* After the records: each draft posted (and approved, when its records
 * say it was); or the changes the operands name. */
static int
end(struct ims_batch *b, int loud)
{
	struct ims_journal *j = b->journal;
	ims_time now = ims_journal_now(j);
	int rc;

	(void)loud;
	for (int i = 0; g.mode == M_CHANGE && i < g.nargs; i++) {
		b->items++;
		rc = ims_po_change(j, g.args[i], g.op, NULL, NULL,
		    g.at != IMS_TIME_NONE ? g.at : now);
		if (rc == IMS_EREJECT || rc == IMS_ESKIP) {
			b->rejected += rc == IMS_EREJECT;
			if (rc == IMS_EREJECT || !ims_opt.quiet)
				ims_warn("%s", ims_errmsg());
		} else if (rc)
			return rc;
	}
	for (size_t i = 0; g.mode == M_CREATE && i < g.nd; i++) {
		struct draft *d = &g.d[i];
		ims_time ts = d->ts != IMS_TIME_NONE ? d->ts : now;

		/* a PO not drafted: its good lines are not stored either */
		if (d->bad) {
			b->rejected += d->n;
			continue;
		}
		rc = d->approved != IMS_TIME_NONE && d->approved < ts ?
		    ims_seterr(IMS_EREJECT, "po %s: approved before it was "
		    "drafted", ims_q(d->po.id)) : ims_po_create(j, &d->po,
		    d->v, d->n, NULL, NULL, ts);
		if (!rc && d->approved != IMS_TIME_NONE)
			rc = ims_po_change(j, d->po.id, "approve", NULL, NULL,
			    d->approved);
		if (rc == IMS_EREJECT || rc == IMS_ESKIP) {
			b->rejected += rc == IMS_EREJECT ? d->n : 0;
			if (rc == IMS_EREJECT || !ims_opt.quiet)
				ims_warn("%s:%ld: %s", d->file, d->line,
				    ims_errmsg());
		} else if (rc)
			return rc;
	}
	return IMS_OK;
}

static void
reset(struct ims_batch *b)
{
	(void)b;
	g.nd = 0;	/* the strings are kept: a replay is rare */
	ims_map_free(g.byid, NULL);
	g.byid = ims_map_new();
}

static int
list(struct ims_txn *t, void *arg)
{
	struct ims_out *o = ims_stdout(g.mode == M_LIST ? ims_po_cols :
	    ims_poline_cols);
	int rc;

	(void)arg;
	rc = g.mode == M_LIST ? ims_po_list(t, o, g.open, g.supplier, g.ref) :
	    ims_po_show(t, o, g.show);
	ims_out_close(o);
	return rc;
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "[FILE...]\n--approve|--cancel|"
		"--close PO...", doc, ims_argp_children, NULL, NULL };
	struct ims_batch b = { .cols = ims_po_cols, .record = line_record,
		.echo = ims_echo_entries, .end = end, .reset = reset };
	int idx;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	g.args = argv + idx;
	g.nargs = argc - idx;
	g.byid = ims_map_new();
	check_options();
	if (g.mode == M_LIST || g.mode == M_SHOW)
		return ims_read_main(list, NULL);
	b.no_input = g.mode == M_CHANGE;
	return ims_batch_run(&b, b.no_input ? 0 : g.nargs,
	    b.no_input ? NULL : g.args);
}
