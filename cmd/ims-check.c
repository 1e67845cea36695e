/* ims-check: recompute every stored figure from the journal and compare */
#include "ims.h"

static const char doc[] = "Check the store: recompute balances, history, "
    "refs, lots and serials from the journal, verify the journal's hash "
    "chain, and list every difference.\vExit status 0: consistent; 1: "
    "differences (each printed as a record); 3: the store cannot be read.";

static void
report(void *arg, const struct ims_rec *diff)
{
	ims_out_rec(arg, diff);
}

int
main(int argc, char **argv)
{
	static const char *const cols[] = { "check", "key", "stored",
		"expected", NULL };
	struct argp argp = { NULL, NULL, "", doc, ims_argp_children, NULL,
		NULL };
	struct ims_store *s;
	struct ims_txn *t;
	struct ims_out *o;
	long entries = 0, ndiff = 0;
	int rc;

	ims_init_takes(argc, argv, IMS_O_READ | IMS_O_QUIET,
	    "ims-check stores nothing");
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if ((rc = ims_open(&s, 0)))
		return rc;
	o = ims_out_open(stdout, ims_opt.out_fmt, cols);
	if ((rc = ims_txn_begin(s, 0, &t)) == IMS_OK) {
		rc = ims_check(t, report, o, &entries, &ndiff);
		ims_txn_abort(t);
	}
	ims_out_close(o);
	ims_store_close(s);
	if (rc) {
		ims_warn("%s", ims_errmsg());
		return ims_finish(IMS_EXIT_STORE);
	}
	if (!ims_opt.quiet)
		ims_warn("%ld movements, %ld difference%s", entries, ndiff,
		    ndiff == 1 ? "" : "s");
	return ims_finish(ndiff ? IMS_EXIT_REJECT : IMS_EXIT_OK);
}
