/*
 * lead-time: ims_lead_time from the shell, for tests/0470-po.t.
 *   lead-time DB SKU|- SUPPLIER|-...  prints "mean sd n" for each
 * supplier named (with the sku, "-" for any), the days to 4 places.
 * Each is asked twice, the second answer from the cache, and both must
 * agree.
 */
#include <stdio.h>
#include <string.h>

#include "ims.h"

static const char *
arg(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

int
main(int argc, char **argv)
{
	struct ims_store *s;
	struct ims_txn *t;
	double m, sd, m2, sd2;
	int n, n2, status = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: lead-time DB SKU SUPPLIER...\n");
		return 2;
	}
	if (ims_store_open(&s, argv[1], IMS_STORE_RDONLY) ||
	    ims_txn_begin(s, 0, &t)) {
		fprintf(stderr, "lead-time: %s\n", ims_errmsg());
		return 3;
	}
	for (int i = 3; i < argc; i++) {
		if (ims_lead_time(t, arg(argv[2]), arg(argv[i]), &m, &sd, &n) ||
		    ims_lead_time(t, arg(argv[2]), arg(argv[i]), &m2, &sd2,
		    &n2)) {
			fprintf(stderr, "lead-time: %s\n", ims_errmsg());
			status = 1;
			continue;
		}
		if (m != m2 || sd != sd2 || n != n2)
			status = 1;
		printf("%.4f %.4f %d\n", m, sd, n);
	}
	ims_txn_abort(t);
	ims_store_close(s);
	return status;
}
