/* ims-receive: post receipts from @supplier into internal locations */
#include "ims.h"

static const char doc[] = "Post receipts: stock arriving from @supplier "
    "into a location.\vEach record: sku, qty, location, and optionally lot, "
    "serial, expiry, unit_cost, po, ref, ts, note.  The whole input is one "
    "transaction.";

int
main(int argc, char **argv)
{
	static const char *const need[] = { "sku|barcode", "qty",
	    "location|location_barcode", NULL };

	ims_rec_require(need);
	return ims_post_main(IMS_RECEIPT, doc, argc, argv);
}
