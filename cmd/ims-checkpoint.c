/* ims-checkpoint: write the cost checkpoints the cost reports start from */
#include <errno.h>
#include <stdlib.h>

#include "ims.h"

static const char doc[] = "Write cost checkpoints: the cost state of "
    "every sku (FIFO layers and moving average) at moments through the "
    "journal, so that valuation, aging and the other cost reports replay "
    "only the movements after the latest one before the moment asked.  "
    "Prints a record per checkpoint written (none with -q)."
    "\vThe moments: the start of the day (UTC) after every --every "
    "movements, and of the day of the latest movement.  A run after the "
    "first replays only the skus a backdated movement made stale, each "
    "from its history, and the movements after the latest checkpoint.  Exit status 0: written; 3: the store cannot be "
    "written.";

enum { O_EVERY = 1000, O_DROP, O_LIST };

static const struct argp_option options[] = {
	{ "every", O_EVERY, "N", 0, "a checkpoint every N movements "
	    "(1000000)", 0 },
	{ "drop", O_DROP, NULL, 0, "remove every checkpoint", 0 },
	{ "list", O_LIST, NULL, 0, "list the checkpoints there are", 0 },
	{ 0 }
};

struct args {
	long every;
	int drop, list;
	struct ims_out *out;
	long states;
};

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	switch (key) {
	case O_EVERY:
		errno = 0;
		a->every = strtol(arg, &end, 10);
		if (errno || *end || end == arg || a->every < 1 ||
		    a->every > 1000000000)
			argp_error(st, "--every: not a whole number from 1 "
			    "to 1000000000: %s", arg);
		break;
	case O_DROP:
		a->drop = 1;
		break;
	case O_LIST:
		a->list = 1;
		break;
	case ARGP_KEY_END:
		if (a->drop && a->list)
			argp_error(st, "--drop or --list, not both");
		break;
	case ARGP_KEY_ARG:
		argp_error(st, "no arguments: the journal is the input");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int
made(void *arg, int method, const ims_time *at, size_t nat, long states)
{
	struct args *a = arg;
	struct ims_rec r = { 0 };
	char ts[32];

	for (size_t i = 0; i < nat && (a->list || !ims_opt.quiet); i++) {
		ims_rec_reset(&r);
		ims_rec_adds(&r, "method", method == IMS_COST_AVG ? "avg" :
		    "fifo");
		ims_rec_adds(&r, "at", ims_time_fmt(at[i], ts));
		ims_out_rec(a->out, &r);
	}
	ims_rec_free(&r);
	a->states += states;
	return IMS_OK;
}

/* --list: each method's moments, in a read transaction. */
static int
list(struct ims_txn *t, void *arg)
{
	ims_time *at;
	size_t n;
	int rc = IMS_OK;

	for (int m = IMS_COST_FIFO; rc == IMS_OK && m <= IMS_COST_AVG; m++)
		if ((rc = ims_costck_list(t, m, &at, &n)) == IMS_OK) {
			made(arg, m, at, n, 0);
			free(at);
		}
	return rc;
}

static int
run(struct args *a)
{
	struct ims_store *s;
	struct ims_txn *t;
	long n = 0;
	int rc, status, old;

	if ((status = ims_open(&s, 1)))
		return status;
	if ((rc = ims_txn_begin(s, 1, &t)) == IMS_OK) {
		if (!(rc = ims_format_check(t, 1, &old)))
			rc = a->drop ? ims_costck_drop(t, &n) :
			    ims_costck_make(t, a->every, made, a);
		if (rc == IMS_OK)
			rc = ims_txn_commit(t);
		else
			ims_txn_abort(t);
	}
	ims_store_close(s);
	ims_out_close(a->out);
	if (rc) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_STORE;
	}
	if (!ims_opt.quiet && a->drop)
		ims_warn("%ld rows removed", n);
	else if (!ims_opt.quiet)
		ims_warn("%ld sku states written", a->states);
	return IMS_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const char *const cols[] = { "method", "at", NULL };
	struct argp argp = { options, parse, "", doc, ims_argp_children,
		NULL, NULL };
	struct args a = { .every = 1000000 };
	int status;

	ims_init_takes(argc, argv, IMS_O_DB | IMS_O_OUTPUT | IMS_O_QUIET |
	    IMS_O_NOSYNC, "ims-checkpoint reads no records");
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	a.out = ims_stdout(cols);
	if (a.list) {
		status = ims_read_main(list, &a);
		ims_out_close(a.out);
	} else
		status = run(&a);
	return ims_finish(status);
}
