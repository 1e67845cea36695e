/* ims-client: upsert client records; --list, --show KEY */
#include "ims.h"

int
main(int argc, char **argv)
{
	return ims_master_main(&ims_client_schema, argc, argv);
}
