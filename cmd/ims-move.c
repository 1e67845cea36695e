/* ims-move: post transfers between locations, shipments and scrap */
#include "ims.h"

static const char doc[] = "Post transfers: stock moving from one location "
    "to another (transit locations included), or out to @customer or "
    "@scrap.\vEach record: sku, qty, from, to, and optionally lot, serial, "
    "ref, ts, note.  The whole input is one transaction.";

int
main(int argc, char **argv)
{
	static const char *const need[] = { "sku|barcode", "qty",
	    "from|from_barcode", "to|to_barcode", NULL };

	ims_rec_require(need);
	return ims_post_main(IMS_TRANSFER, doc, argc, argv);
}
