/* ims-backup: a hot, compacted copy of the store while writers run */
#include <string.h>

#include "ims.h"

static const char doc[] = "Copy the store to DIR, consistent as of one "
    "moment, while other commands go on writing.\vDIR is made if needed "
    "and must not hold a store already.  The copy is compacted; open it "
    "with --db DIR.";

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	const char **dest = st->input;

	switch (key) {
	case ARGP_KEY_ARG:
		if (*dest)
			argp_error(st, "one destination only");
		*dest = arg;
		break;
	case ARGP_KEY_END:
		if (!*dest)
			argp_error(st, "where to? name a directory");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct argp argp = { NULL, parse, "DIR", doc, ims_argp_children, NULL,
		NULL };
	struct ims_store *s;
	const char *dest = NULL;
	int rc;

	ims_init_takes(argc, argv, IMS_O_DB,
	    "ims-backup copies the store and prints no records");
	argp_parse(&argp, argc, argv, 0, NULL, &dest);
	if ((rc = ims_open(&s, 0)))
		return rc;
	rc = ims_store_copy(s, dest);
	ims_store_close(s);
	if (rc) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_STORE;
	}
	return IMS_EXIT_OK;
}
