/* ims-log: export the journal; --restore replays an export */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Export the journal as NDJSON, in seq order, or "
    "with --restore replay an export into a store.\v"
    "Every entry is exported: movements, and the master data (items, "
    "locations, suppliers) as each change merged it.  --after SEQ exports "
    "only the entries after SEQ, so that a cron job can ship what is new.  "
    "Only an NDJSON export can be restored: -o csv and -o table leave out "
    "each entry's hash and unknown fields.  A restore keeps each entry's "
    "seq, time, actor and hash, checks the hash chain as it goes, and "
    "skips entries the store holds already, so exports may overlap.  "
    "--upgrade brings a store of an older format to this one.";

enum { OPT_AFTER = 0x300, OPT_SINCE, OPT_RESTORE, OPT_UPGRADE };

static const struct argp_option options[] = {
	{ "after", OPT_AFTER, "SEQ", 0, "Only the entries after SEQ", 0 },
	/* ims-report's --since is a time: here it would mean something
	 * else, so it is refused, not taken as a seq */
	{ "since", OPT_SINCE, "SEQ", OPTION_HIDDEN, NULL, 0 },
	{ "restore", OPT_RESTORE, NULL, 0,
	  "Replay an export (files or stdin) into the store", 0 },
	{ "upgrade", OPT_UPGRADE, NULL, 0,
	  "Upgrade a store of an older format to this one", 0 },
	{ 0 }
};

struct args {
	uint64_t after;
	int restore, upgrade, has_after;
};

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	switch (key) {
	case OPT_AFTER:
		a->after = strtoull(arg, &end, 10);
		if (*end || !*arg || *arg == '-')
			argp_error(st, "--after: a seq number");
		a->has_after = 1;
		break;
	case OPT_SINCE:
		argp_error(st, "--since is a time in ims-report; entries after "
		    "a seq are --after SEQ");
		break;
	case OPT_RESTORE:
		a->restore = 1;
		ims_opts_mode(IMS_O_ALL, NULL);
		break;
	case OPT_UPGRADE:
		a->upgrade = 1;
		ims_opts_mode(IMS_O_DB | IMS_O_QUIET, "--upgrade reads no "
		    "records and prints none");
		break;
	case ARGP_KEY_ARG:
		if (!a->restore)
			argp_error(st, "files are read only with --restore");
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_SUCCESS:
		if (a->restore + a->upgrade + a->has_after > 1)
			argp_error(st, "--after, --restore and --upgrade go "
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
	const char *actor;
	ims_time now;
	int rc, old = 0, status;

	if (ims_post_env(&now, &actor)) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_USAGE;
	}
	if ((status = ims_open(&s, 1)))
		return status;
	if ((rc = ims_txn_begin(s, 1, &t)) == IMS_OK) {
		if (!(rc = ims_format_check(t, 1, &old)) && old)
			rc = ims_format_upgrade(t, actor, now, &entries,
			    &records);
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
	/* every kind of entry has these; a movement's own fields are
	 * checked with it */
	static const char *const need[] = { "seq", "ts", "actor", "hash",
		NULL };
	struct ims_batch b = { .cols = ims_move_cols,
		.record = restore_record, .echo = ims_echo_entries };
	struct args a = { 0 };
	int idx;

	ims_init(argc, argv);
	ims_opts_mode(IMS_O_READ, "an export stores nothing");
	argp_parse(&argp, argc, argv, 0, &idx, &a);
	if (a.upgrade)
		return upgrade();
	if (!a.restore)
		return ims_read_main(export, &a.after);
	ims_opt.quiet |= 1;
	ims_rec_require(need);
	return ims_batch_run(&b, argc - idx, argv + idx);
}
