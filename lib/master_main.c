/*
 * master_main.c: the master data commands, ims-item, ims-loc and
 * ims-supplier: upsert records in a batch, or list them.
 */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

struct master_run {
	const struct ims_schema *s;
	int list;
	const char *show;
	struct ims_out *o;
	struct ims_buf posted;		/* each record as merged, as JSON,
					 * NUL-separated */
	struct ims_rec merged;
};

static int
upsert_one(struct ims_batch *b, struct ims_rec *r)
{
	struct master_run *m = b->arg;
	int rc = ims_master_upsert(b->journal, m->s, r, &m->merged);

	if (rc == IMS_OK) {
		ims_rec_to_json(&m->merged, &m->posted);
		ims_buf_addc(&m->posted, '\0');
	}
	return rc;
}

/* Each record as its own update left it, not as the batch's last did:
 * two records for one key echo the two entries they posted. */
static int
echo_upserted(struct ims_batch *b, struct ims_txn *t, struct ims_out *o)
{
	struct master_run *m = b->arg;
	const char *p;

	(void)t;
	for (size_t i = 0; i < m->posted.n; i += strlen(p) + 1) {
		p = m->posted.p + i;
		ims_rec_reset(&m->merged);
		if (ims_rec_json(&m->merged, p, strlen(p)) != 0)
			return ims_damaged("%s as merged does not parse",
			    m->s->what);
		ims_out_rec(o, &m->merged);
	}
	return IMS_OK;
}

static void
reset_upserted(struct ims_batch *b)
{
	((struct master_run *)b->arg)->posted.n = 0;
}

/* One stored record of a listing.  A record that cannot be read is
 * damage, never a row quietly left out. */
static int
list_row(void *arg, const struct ims_val *k, const struct ims_val *v)
{
	struct master_run *m = arg;

	/* ims_rec_json appends: start each record afresh, or the second
	 * one fails as "given twice" */
	ims_rec_reset(&m->merged);
	if (ims_rec_json(&m->merged, v->p, v->n) != 0)
		return ims_damaged("%s %s does not parse", m->s->what,
		    ims_qn(k->p, k->n ? k->n - 1 : 0));
	ims_out_rec(m->o, &m->merged);
	return IMS_OK;
}

/* --list (every record, in key order) or --show KEY. */
static int
list(struct ims_txn *t, void *arg)
{
	struct master_run *m = arg;
	int rc;

	m->o = ims_stdout(m->s->cols);
	if (!m->show) {
		rc = ims_each_row(t, m->s->db, NULL, list_row, m);
	} else if ((rc = ims_master_get(t, m->s, m->show, &m->merged)) == 0) {
		ims_out_rec(m->o, &m->merged);
	} else if (rc == IMS_ENOTFOUND) {
		rc = ims_seterr(IMS_EREJECT, "no %s %s", m->s->what,
		    ims_q(m->show));
	}
	ims_out_close(m->o);
	return rc;
}

static const struct argp_option master_options[] = {
	{ "list", 'l', NULL, 0, "List every record", 0 },
	{ "show", 's', "KEY", 0, "Show one record", 0 },
	{ 0 }
};

static error_t
master_parse(int key, char *arg, struct argp_state *st)
{
	struct master_run *m = st->input;

	switch (key) {
	case 'l':
		m->list = 1;
		ims_opts_mode(IMS_O_READ, "--list stores nothing");
		break;
	case 's':
		m->show = arg;
		ims_opts_mode(IMS_O_READ, "--show stores nothing");
		break;
	case ARGP_KEY_ARG:
		if (m->list || m->show)
			argp_error(st, "%s reads no files", m->show ? "--show" :
			    "--list");
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_INIT:
		st->child_inputs[0] = NULL;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int
ims_master_main(const struct ims_schema *s, int argc, char **argv)
{
	struct master_run m = { .s = s };
	struct ims_batch b = { .cols = s->cols, .record = upsert_one,
		.echo = echo_upserted, .reset = reset_upserted, .arg = &m };
	struct argp argp = { master_options, master_parse, "[FILE...]",
		s->doc, ims_argp_children, NULL, NULL };
	const char *need[] = { s->key, NULL };
	int idx, status;

	ims_rec_require(need);
	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, &m);
	if (m.list || m.show)
		status = ims_read_main(list, &m);
	else
		status = ims_batch_run(&b, argc - idx, argv + idx);
	ims_buf_free(&m.posted);
	ims_rec_free(&m.merged);
	return status;
}
