/* ims-loc: upsert loc records; --list, --show KEY */
#include "ims.h"

int
main(int argc, char **argv)
{
	return ims_master_main(&ims_loc_schema, argc, argv);
}
