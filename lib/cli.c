/* cli.c: the options every command takes, as one argp child parser */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims.h"

const char *argp_program_version = "ims " IMS_VERSION;

struct ims_opts ims_opt;

/* Set while argp parses: it prints --help, --usage and --version and
 * exits 0 itself, and at that exit standard output is checked. */
static int in_argp;

enum {
	OPT_DB = 0x100, OPT_KEEP, OPT_REJECTS, OPT_INFMT, OPT_RAW,
	OPT_NOSYNC
};

static const struct argp_option options[] = {
	{ "db", OPT_DB, "DIR", 0,
	  "The store (default $IMS_DB, else ./ims.db)", 0 },
	{ "output", 'o', "FORMAT", 0, "ndjson (default), csv or table", 0 },
	{ "input-format", OPT_INFMT, "FORMAT", 0,
	  "ndjson or csv (default: told by the first byte)", 0 },
	{ "dry-run", 'n', NULL, 0, "Check everything, store nothing", 0 },
	{ "quiet", 'q', NULL, 0, "Print no records and no progress", 0 },
	{ "keep-going", OPT_KEEP, NULL, 0,
	  "Post the good records, reject the bad ones", 0 },
	{ "rejects", OPT_REJECTS, "FILE", 0,
	  "Write rejected records to FILE, with their errors", 0 },
	{ "raw", OPT_RAW, NULL, 0,
	  "CSV: do not neutralise cells that look like formulas", 0 },
	{ "no-sync", OPT_NOSYNC, NULL, 0,
	  "Bulk load: do not wait for the disk at commit (not crash-safe)",
	  0 },
	{ 0 }
};

static int
format(const char *s, int table_ok)
{
	if (strcmp(s, "ndjson") == 0 || strcmp(s, "json") == 0)
		return IMS_FMT_NDJSON;
	if (strcmp(s, "csv") == 0)
		return IMS_FMT_CSV;
	if (table_ok && strcmp(s, "table") == 0)
		return IMS_FMT_TABLE;
	return -1;
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	switch (key) {
	case OPT_DB:
		ims_opt.db = arg;
		break;
	case 'o':
		if ((ims_opt.out_fmt = format(arg, 1)) < 0)
			argp_error(st, "unknown output format %s", ims_q(arg));
		break;
	case OPT_INFMT:
		if ((ims_opt.in_fmt = format(arg, 0)) < 0)
			argp_error(st, "unknown input format %s", ims_q(arg));
		break;
	case 'n':
		ims_opt.dry_run = 1;
		break;
	case 'q':
		ims_opt.quiet = 1;
		break;
	case OPT_KEEP:
		ims_opt.keep_going = 1;
		break;
	case OPT_REJECTS:
		/* standard error is for messages, standard output for
		 * data: rejects go to a file, never to one named "-" */
		if (strcmp(arg, "-") == 0 || !*arg)
			argp_error(st, "--rejects needs a file name, not %s",
			    ims_q(arg));
		ims_opt.rejects = arg;
		break;
	case ARGP_KEY_SUCCESS:
		in_argp = 0;
		break;
	case OPT_RAW:
		ims_opt.raw = 1;
		break;
	case OPT_NOSYNC:
		ims_opt.no_sync = 1;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp common = { options, parse, NULL, NULL, NULL,
	NULL, NULL };

const struct argp_child ims_argp_children[] = {
	{ &common, 0, "Common options:", 1 },
	{ 0 }
};

/* At an exit inside argp: help that could not be written is a failed
 * write like any other (exit 3), not a success. */
static void
check_stdout(void)
{
	if (!in_argp)
		return;
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ims_warn("write error: %s", strerror(errno ? errno : EIO));
		_exit(IMS_EXIT_STORE);
	}
}

/* Before argp: the program's name, defaults, and usage errors exit 2. */
void
ims_init(int argc, char **argv)
{
	const char *db = getenv("IMS_DB");

	(void)argc;
	ims_setprog(argv[0]);
	argp_err_exit_status = IMS_EXIT_USAGE;
	in_argp = 1;
	atexit(check_stdout);
	ims_opt.db = db && *db ? db : "ims.db";
	ims_opt.out_fmt = IMS_FMT_NDJSON;
	ims_opt.in_fmt = IMS_FMT_AUTO;
}

/* Open the store named by --db, for reading or writing. */
int
ims_open(struct ims_store **sp, int write)
{
	int flags = write ? 0 : IMS_STORE_RDONLY;

	if (ims_opt.no_sync)
		flags |= IMS_STORE_NOSYNC;
	if (ims_store_open(sp, ims_opt.db, flags) != IMS_OK) {
		ims_warn("%s", ims_errmsg());
		return IMS_EXIT_STORE;
	}
	return IMS_EXIT_OK;
}
