/*
 * oneput.c: the floor for one record per process.  Open the store's
 * LMDB environment as ims does (no MDB_NOSYNC), put one record (the
 * file's contents under its name, in the refs table) in one write
 * transaction, commit, close.
 * usage: oneput DIR FILE
 */
#include <stdio.h>
#include <string.h>

#include <lmdb.h>

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, \
	"oneput: %s: %s\n", #x, mdb_strerror(rc_)); return 3; } } while (0)

int
main(int argc, char **argv)
{
	static char buf[65536];
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi d;
	MDB_val k, v;
	FILE *fp;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: oneput DIR FILE\n");
		return 2;
	}
	if (!(fp = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 3;
	}
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 16));
	CHECK(mdb_env_set_mapsize(env, (size_t)1 << 30));
	CHECK(mdb_env_open(env, argv[1], MDB_NOTLS, 0600));
	CHECK(mdb_txn_begin(env, NULL, 0, &t));
	CHECK(mdb_dbi_open(t, "refs", 0, &d));
	k.mv_data = argv[2], k.mv_size = strlen(argv[2]) + 1;
	v.mv_data = buf, v.mv_size = n;
	CHECK(mdb_put(t, d, &k, &v, 0));
	CHECK(mdb_txn_commit(t));
	mdb_env_close(env);
	return 0;
}
