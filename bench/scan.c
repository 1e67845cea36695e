/*
 * scan.c: the floor for a report.  Walk one named table of a store with
 * a read-only cursor and write each value (or key and value) as it is,
 * one a line: what a report over that table cannot do with less, where
 * mdb_dump spends most of its time formatting byte by byte.
 * usage: scan DIR TABLE [-k]   (-k: the key too)
 */
#include <stdio.h>
#include <string.h>

#include <lmdb.h>

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, \
	"scan: %s: %s\n", #x, mdb_strerror(rc_)); return 3; } } while (0)

int
main(int argc, char **argv)
{
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi d;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, keys;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "-k"))) {
		fprintf(stderr, "usage: scan DIR TABLE [-k]\n");
		return 2;
	}
	keys = argc == 4;
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 16));
	CHECK(mdb_env_open(env, argv[1], MDB_RDONLY | MDB_NOTLS, 0600));
	CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &t));
	CHECK(mdb_dbi_open(t, argv[2], 0, &d));
	CHECK(mdb_cursor_open(t, d, &c));
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (keys)
			fwrite(k.mv_data, 1, k.mv_size, stdout);
		fwrite(v.mv_data, 1, v.mv_size, stdout);
		putchar('\n');
	}
	if (rc != MDB_NOTFOUND)
		CHECK(rc);
	mdb_cursor_close(c);
	mdb_txn_abort(t);
	mdb_env_close(env);
	return fflush(stdout) || ferror(stdout) ? 3 : 0;
}
