/* ims-log: export the journal; --restore replays an export */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Export the journal as NDJSON, in seq order, or "
    "with --restore replay an export into a store.\v"
    "Every entry is exported: movements, and the master data (items, "
    "locations, suppliers) as each change merged it.  --since SEQ exports "
    "only the entries after SEQ, so that a cron job can ship what is new.  "
    "A restore keeps each entry's seq, time, actor and hash, checks the "
    "hash chain as it goes, and skips entries the store holds already, so "
    "exports may overlap.  --upgrade brings a store of an older format to "
    "this one.";

enum { OPT_SINCE = 0x300, OPT_RESTORE, OPT_UPGRADE };

static const struct argp_option options[] = {
	{ "since", OPT_SINCE, "SEQ", 0, "Only the entries after SEQ", 0 },
	{ "restore", OPT_RESTORE, NULL, 0,
	  "Replay an export (files or stdin) into the store", 0 },
	{ "upgrade", OPT_UPGRADE, NULL, 0,
	  "Upgrade a store of an older format to this one", 0 },
	{ 0 }
};

struct args {
	uint64_t since;
	int restore, upgrade;
};

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	switch (key) {
	case OPT_SINCE:
		a->since = strtoull(arg, &end, 10);
		if (*end || !*arg || *arg == '-')
			argp_error(st, "--since: a seq number");
		break;
	case OPT_RESTORE:
		a->restore = 1;
		break;
	case OPT_UPGRADE:
		a->upgrade = 1;
		break;
	case ARGP_KEY_ARG:
		if (!a->restore)
			argp_error(st, "files are read only with --restore");
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_END:
		if (a->restore + a->upgrade > 1 || (a->since && (a->restore ||
		    a->upgrade)))
			argp_error(st, "--since, --restore and --upgrade go "
			    "one at a time");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int
export(struct ims_txn *t, void *arg)
{
	struct ims_out *o = ims_stdout(ims_move_cols);
	int rc = ims_print_entries(t, o, *(uint64_t *)arg + 1, UINT64_MAX);

	ims_out_close(o);
	return rc;
}

/* --upgrade: the store to this format, in one transaction. */
static int
upgrade(void)
{
	struct ims_store *s;
	struct ims_txn *t;
	long entries = 0, records = 0;
	int rc, old = 0, status;

	if ((status = ims_open(&s, 1)))
		return status;
	if ((rc = ims_txn_begin(s, 1, &t)) == IMS_OK) {
		if (!(rc = ims_format_check(t, 1, &old)) && old)
			rc = ims_format_upgrade(t, ims_actor(), ims_now(),
			    &entries, &records);
		rc = rc ? (ims_txn_abort(t), rc) : ims_txn_commit(t);
	}
	ims_store_close(s);
	if (rc) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_STORE;
	}
	if (!old)
		ims_warn("%s is format %d already", ims_q(ims_opt.db),
		    IMS_FORMAT);
	else
		ims_warn("%s: upgraded from format %d to %d (%ld entries, %ld "
		    "master records)", ims_q(ims_opt.db), old, IMS_FORMAT,
		    entries, records);
	return ims_finish(IMS_EXIT_OK);
}

static int
restore_record(struct ims_batch *b, struct ims_rec *r)
{
	return ims_restore(b->journal, r);
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "[--restore [FILE...]]", doc,
		ims_argp_children, NULL, NULL };
	struct ims_batch b = { .cols = ims_move_cols,
		.record = restore_record, .echo = ims_echo_entries };
	struct args a = { 0 };
	int idx;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, &a);
	if (a.upgrade)
		return upgrade();
	if (!a.restore)
		return ims_read_main(export, &a.since);
	ims_opt.quiet |= 1;
	return ims_batch_run(&b, argc - idx, argv + idx);
}
