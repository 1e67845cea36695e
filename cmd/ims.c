/* ims: run an ims command, as git runs its own: ims receive ... */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims.h"

static const char *const commands[][2] = {
	{ "item", "add, update and list items" },
	{ "loc", "add, update and list locations" },
	{ "supplier", "add, update and list suppliers" },
	{ "receive", "post receipts from suppliers" },
	{ "move", "post transfers, shipments and scrap" },
	{ "pick", "allocate orders, print pick lists, ship and cancel" },
	{ "report", "stock, cost, orders, classes, charts and other reports" },
	{ "check", "recompute every stored figure and compare" },
	{ "log", "export the journal, or restore an export" },
	{ "backup", "a hot copy of the store" },
	{ "forecast", "forecast demand per sku, the method chosen by backtest" },
	{ "count", "count sheets, stocktakes and their adjustments" },
	{ "reorder", "what to reorder and why; purchase orders drafted" },
	{ "po", "draft, list, approve, cancel and close purchase orders" },
	{ "client", "add, update and list clients (owners) and their rates" },
	{ "channel", "add, update and list sales channels and their rules" },
	{ "checkpoint", "store cost checkpoints for the cost reports" },
	{ NULL, NULL }
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ims COMMAND [ARG...]\n\ncommands:\n");
	for (int i = 0; commands[i][0]; i++)
		fprintf(fp, "  %-10s %s\n", commands[i][0], commands[i][1]);
	fprintf(fp, "\nims COMMAND --help tells more; man 7 ims for a tour.\n");
}

/* Try ims-NAME beside this program first, then on PATH. */
static void
run(const char *name, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 128], prog[96];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;

	snprintf(prog, sizeof prog, "ims-%s", name);
	argv[0] = prog;
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/%s", self, prog);
			execv(path, argv);
		}
	}
	execvp(prog, argv);
}

int
main(int argc, char **argv)
{
	const char *name;

	ims_setprog(argv[0]);
	if (argc < 2) {
		usage(stdout);
		return ims_finish(IMS_EXIT_OK);
	}
	/* the same help and version options as every ims-* command */
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "--usage") == 0 || strcmp(argv[1], "-?") == 0) {
		usage(stdout);
		return ims_finish(IMS_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("ims %s\n", IMS_VERSION);
		return ims_finish(IMS_EXIT_OK);
	}
	if (argv[1][0] == '-' || strchr(argv[1], '/') ||
	    strlen(argv[1]) > 64) {
		ims_warn("unknown option or command %s", ims_q(argv[1]));
		usage(stderr);
		return IMS_EXIT_USAGE;
	}
	name = argv[1];		/* run() puts "ims-NAME" in its place */
	run(name, argv + 1);
	if (errno == ENOENT) {
		ims_warn("%s is not an ims command", ims_q(name));
		usage(stderr);
		return IMS_EXIT_USAGE;
	}
	ims_warn("ims-%s: %s", name, strerror(errno));
	return IMS_EXIT_STORE;
}
