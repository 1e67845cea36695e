/* ims-receive: post receipts from @supplier into internal locations */
#include "ims.h"

static const char doc[] = "Post receipts: stock arriving from @supplier "
    "into a location.\vEach record: sku, qty, location, and optionally lot, "
    "serial, expiry, unit_cost, po, ref, ts, note.  The whole input is one "
    "transaction.";

static int
receive(struct ims_batch *b, struct ims_rec *r)
{
	struct ims_move m;
	int rc;

	if ((rc = ims_move_parse(&m, r, IMS_RECEIPT)))
		return rc;
	return ims_post(b->ledger, &m, NULL);
}

int
main(int argc, char **argv)
{
	struct argp argp = { NULL, NULL, "[FILE...]", doc, ims_argp_children,
		NULL, NULL };
	struct ims_batch b = { .cols = ims_move_cols, .record = receive,
		.echo = ims_echo_moves, .want_ledger = 1 };
	int idx;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	return ims_batch_run(&b, argc - idx, argv + idx);
}
