/* ims-check: every projection rebuilt from the journal and compared */
#include "ims.h"

static const char doc[] = "Check the store: rebuild every table (items, "
    "locations, suppliers, balances, history, refs, lots, serials) from "
    "the journal, verify the journal's hash chain, and list every "
    "difference.\vExit status 0: consistent; 1: differences (each printed "
    "as a record); 3: the store cannot be read.";

static void
report(void *arg, const struct ims_rec *diff)
{
	ims_out_rec(arg, diff);
}

static int
check(struct ims_txn *t, void *arg)
{
	static const char *const cols[] = { "check", "key", "stored",
		"expected", NULL };
	struct ims_check_counts *n = arg;
	struct ims_out *o = ims_stdout(cols);
	int rc = ims_check(t, report, o, n);

	ims_out_close(o);
	if (rc)
		return rc;
	if (!ims_opt.quiet)
		ims_warn("%ld entries (%ld movements), %ld difference%s",
		    n->entries, n->movements, n->ndiff, n->ndiff == 1 ? "" :
		    "s");
	return n->ndiff ? IMS_EXIT_REJECT : IMS_OK;
}

int
main(int argc, char **argv)
{
	struct argp argp = { NULL, NULL, "", doc, ims_argp_children, NULL,
		NULL };
	struct ims_check_counts n = { 0 };

	ims_init_takes(argc, argv, IMS_O_READ | IMS_O_QUIET,
	    "ims-check stores nothing");
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	return ims_read_main(check, &n);
}
