/* ims-item: upsert item records; --list, --show KEY */
#include "ims.h"

int
main(int argc, char **argv)
{
	return ims_master_main(&ims_item_schema, argc, argv);
}
