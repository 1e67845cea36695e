/* ims-log: export the journal; --restore replays an export */
#include <stdlib.h>
#include <string.h>

#include "ims.h"

static const char doc[] = "Export the journal as NDJSON, in seq order, or "
    "with --restore replay an export into a store.\v"
    "--after SEQ exports only the entries after SEQ, so that a cron job "
    "can ship what is new.  Only an NDJSON export can be restored: -o csv "
    "and -o table leave out each entry's hash and unknown fields.  A "
    "restore keeps each entry's seq, time, actor and hash, checks the "
    "hash chain as it goes, and skips entries the store holds already, so "
    "exports may overlap.  Master data (items, locations, suppliers) is "
    "not in the journal: save it with --list.";

enum { OPT_AFTER = 0x300, OPT_SINCE, OPT_RESTORE };

static const struct argp_option options[] = {
	{ "after", OPT_AFTER, "SEQ", 0, "Only the entries after SEQ", 0 },
	/* ims-report's --since is a time: here it would mean something
	 * else, so it is refused, not taken as a seq */
	{ "since", OPT_SINCE, "SEQ", OPTION_HIDDEN, NULL, 0 },
	{ "restore", OPT_RESTORE, NULL, 0,
	  "Replay an export (files or stdin) into the store", 0 },
	{ 0 }
};

struct args {
	uint64_t after;
	int restore, has_after;
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
	case ARGP_KEY_SUCCESS:
		if (a->restore && a->has_after)
			argp_error(st, "--after does not apply to --restore");
		break;
	case ARGP_KEY_ARG:
		if (!a->restore)
			argp_error(st, "files are read only with --restore");
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int
export(uint64_t after)
{
	struct ims_store *s;
	struct ims_txn *t;
	struct ims_out *o;
	int rc;

	if ((rc = ims_open(&s, 0)))
		return rc;
	o = ims_out_open(stdout, ims_opt.out_fmt, ims_move_cols);
	if ((rc = ims_txn_begin(s, 0, &t)) == IMS_OK) {
		rc = ims_journal_print(t, o, after + 1, UINT64_MAX);
		ims_txn_abort(t);
	}
	ims_out_close(o);
	ims_store_close(s);
	if (rc)
		ims_warn("%s", ims_errmsg());
	return ims_finish(rc ? IMS_EXIT_STORE : IMS_EXIT_OK);
}

int
main(int argc, char **argv)
{
	struct argp argp = { options, parse, "[--restore [FILE...]]", doc,
		ims_argp_children, NULL, NULL };
	static const char *const need[] = { "seq", "sku", "qty", "from", "to",
		"actor", "hash", NULL };
	static int kind = IMS_RESTORE;
	struct ims_batch b = { .cols = ims_move_cols,
		.record = ims_post_record, .echo = ims_echo_moves,
		.want_ledger = 1, .arg = &kind };
	struct args a = { 0 };
	int idx;

	ims_init(argc, argv);
	ims_opts_mode(IMS_O_READ, "an export stores nothing");
	argp_parse(&argp, argc, argv, 0, &idx, &a);
	if (!a.restore)
		return export(a.after);
	ims_opt.quiet |= 1;
	ims_rec_require(need);
	return ims_batch_run(&b, argc - idx, argv + idx);
}
