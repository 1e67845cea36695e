/* ims-channel: upsert channel records; --list, --show KEY */
#include "ims.h"

int
main(int argc, char **argv)
{
	return ims_master_main(&ims_channel_schema, argc, argv);
}
