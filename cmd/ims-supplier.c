/* ims-supplier: upsert supplier records; --list, --show KEY */
#include "ims.h"

int
main(int argc, char **argv)
{
	return ims_master_main(&ims_supplier_schema, argc, argv);
}
