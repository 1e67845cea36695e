/*
 * cli.c: the command-line layer's common parts.  The options every
 * command shares, as one argp child parser: each command says which of
 * them it takes (ims_init_takes), a mode that stores nothing (--list)
 * takes fewer (ims_opts_mode), one that does not apply is a usage error,
 * and --help leaves out the ones never taken.  Then who is posting,
 * standard output as records, and a reading command's open-read-close.
 */
#include <errno.h>
#include <pwd.h>
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

static struct argp_option shown[sizeof options / sizeof *options];
static unsigned given, takes = IMS_O_ALL;
static const char *takes_why;

/* Each option's bit in a takes word. */
static const struct {
	int key;
	unsigned bit;
} bits[] = {
	{ OPT_DB, IMS_O_DB }, { 'o', IMS_O_OUTPUT },
	{ OPT_INFMT, IMS_O_INFMT }, { 'n', IMS_O_DRYRUN },
	{ 'q', IMS_O_QUIET }, { OPT_KEEP, IMS_O_KEEP },
	{ OPT_REJECTS, IMS_O_REJECTS }, { OPT_RAW, IMS_O_RAW },
	{ OPT_NOSYNC, IMS_O_NOSYNC }
};

static unsigned
bit(int key)
{
	for (size_t i = 0; i < sizeof bits / sizeof *bits; i++)
		if (bits[i].key == key)
			return bits[i].bit;
	return 0;
}

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

/*
 * The end of the options: one given that the command (in its mode) does
 * not take is a usage error; and a command that stores needs IMS_NOW and
 * the actor to be right before it starts.
 */
static void
check_given(struct argp_state *st)
{
	const char *who;
	ims_time now;

	for (const struct argp_option *o = options; o->name; o++)
		if (given & ~takes & bit(o->key))
			argp_error(st, "--%s does not apply: %s", o->name,
			    takes_why ? takes_why : "it stores nothing");
	if ((takes & IMS_O_KEEP) && ims_post_env(&now, &who) != IMS_OK)
		argp_failure(st, IMS_EXIT_USAGE, 0, "%s", ims_errmsg());
}

static error_t
parse(int key, char *arg, struct argp_state *st)
{
	given |= bit(key);
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
	case OPT_RAW:
		ims_opt.raw = 1;
		break;
	case OPT_NOSYNC:
		ims_opt.no_sync = 1;
		break;
	case ARGP_KEY_SUCCESS:
		/* not ARGP_KEY_END, which argp skips when it leaves file
		 * operands to the command */
		in_argp = 0;
		check_given(st);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp common = { shown, parse, NULL, NULL, NULL,
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

/* Before argp: the program's name, defaults, usage errors exit 2, and
 * which common options the command takes (IMS_O_...); why says why it
 * takes no others ("ims-report stores nothing"). */
void
ims_init_takes(int argc, char **argv, unsigned mask, const char *why)
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
	memcpy(shown, options, sizeof shown);
	for (struct argp_option *o = shown; o->name; o++)
		if (!(bit(o->key) & mask))
			o->flags |= OPTION_HIDDEN;
	takes = mask;
	takes_why = why;
}

/* A command that takes every common option. */
void
ims_init(int argc, char **argv)
{
	ims_init_takes(argc, argv, IMS_O_ALL, NULL);
}

/* While parsing: the mode chosen takes only these (of what the command
 * takes), for this reason ("--list stores nothing"). */
void
ims_opts_mode(unsigned mask, const char *why)
{
	takes = mask;
	takes_why = why;
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

/* Who posts: $IMS_ACTOR, else the login name as the environment gives
 * it (login and cron set LOGNAME), else the password file's name for the
 * user id; asking NSS first would cost every one-record call.  It is
 * stored in the journal, so it must be an identifier: NULL, with the
 * message set, when it is not. */
const char *
ims_actor(void)
{
	static const char *const vars[] = { "IMS_ACTOR", "LOGNAME", "USER" };
	static char name[IMS_ID_MAX + 1];
	struct passwd *pw;
	const char *s = NULL, *from = "the password file";

	if (name[0])
		return name;
	for (size_t i = 0; i < sizeof vars / sizeof *vars && !s; i++)
		if ((s = getenv(vars[i])) && !*s)
			s = NULL;
		else if (s)
			from = vars[i];
	if (!s && (pw = getpwuid(geteuid())))
		s = pw->pw_name;
	if (s && *s && !ims_utf8_valid(s, strlen(s))) {
		ims_seterr(IMS_EREJECT, "actor from %s is not valid UTF-8",
		    from);
		return NULL;
	}
	if (s && *s && ims_check_id(from, s))
		return NULL;
	if (s && *s)
		snprintf(name, sizeof name, "%s", s);
	else
		snprintf(name, sizeof name, "uid%ld", (long)geteuid());
	return name;
}

/* The environment a posting depends on: IMS_NOW and the actor. */
int
ims_post_env(ims_time *now, const char **actor)
{
	if ((*now = ims_now()) == IMS_TIME_NONE || !(*actor = ims_actor()))
		return IMS_EREJECT;
	return IMS_OK;
}

/* Standard output as records in the format -o asks for. */
struct ims_out *
ims_stdout(const char *const *cols)
{
	struct ims_out *o = ims_out_open(stdout, ims_opt.out_fmt, cols,
	    ims_opt.raw ? IMS_OUT_RAW : 0);

	if (!o) {
		ims_warn("out of memory");
		exit(IMS_EXIT_STORE);
	}
	return o;
}

/*
 * A reading command's whole store work: open the store named by --db,
 * check its format, run fn in one read transaction, close.  fn returns
 * an IMS_ code (an error is said here) or an exit status of its own.
 * Returns the exit status, standard output flushed and checked.
 */
int
ims_read_main(ims_read_fn *fn, void *arg)
{
	struct ims_store *s;
	struct ims_txn *t;
	int rc, status, old;

	if ((status = ims_open(&s, 0)))
		return ims_finish(status);
	if ((rc = ims_txn_begin(s, 0, &t)) == IMS_OK) {
		if (!(rc = ims_format_check(t, 0, &old)))
			rc = fn(t, arg);
		ims_txn_abort(t);
	}
	ims_store_close(s);
	if (rc < 0)
		ims_warn("%s", ims_errmsg());
	status = rc == IMS_EREJECT ? IMS_EXIT_REJECT : rc > 0 ? rc :
	    rc ? IMS_EXIT_STORE : IMS_EXIT_OK;
	return ims_finish(status);
}

/* A usage error found after argp has parsed (options that exclude each
 * other, or a mode's operands): said as argp says them, exit 2. */
void
ims_usage_error(const char *msg)
{
	ims_warn("%s", msg);
	fprintf(stderr, "Try `%s --help' or `%s --usage' for more "
	    "information.\n", ims_prog, ims_prog);
	exit(IMS_EXIT_USAGE);
}
