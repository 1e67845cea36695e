/* ims-move: post transfers between locations, shipments and scrap */
#include "ims.h"

static const char doc[] = "Post transfers: stock moving from one location "
    "to another (transit locations included), or out to @customer or "
    "@scrap.\vEach record: sku, qty, from, to, and optionally lot, serial, "
    "ref, ts, note.  The whole input is one transaction.";

static int
move(struct ims_batch *b, struct ims_rec *r)
{
	struct ims_move m;
	int rc;

	if ((rc = ims_move_parse(&m, r, IMS_TRANSFER)))
		return rc;
	return ims_post(b->ledger, &m, NULL);
}

int
main(int argc, char **argv)
{
	struct argp argp = { NULL, NULL, "[FILE...]", doc, ims_argp_children,
		NULL, NULL };
	struct ims_batch b = { .cols = ims_move_cols, .record = move,
		.echo = ims_echo_moves, .want_ledger = 1 };
	int idx;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	return ims_batch_run(&b, argc - idx, argv + idx);
}
