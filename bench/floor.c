/*
 * floor.c: the raw LMDB floor for ingest.  The same puts that posting a
 * receipt costs (a journal append, a balance read and write, a ref) in
 * one transaction, with no parsing and no checks.
 * usage: floor DIR N [SKUS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#define CHECK(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, \
	"floor: %s: %s\n", #x, mdb_strerror(rc_)); exit(3); } } while (0)

int
main(int argc, char **argv)
{
	MDB_env *env;
	MDB_txn *t;
	MDB_dbi jd, bd, rd;
	MDB_val k, v;
	long n, skus, i;
	char key[64], val[256], ref[32];
	unsigned char seq[8];
	long long bal[3] = { 0 };

	if (argc < 3)
		return 2;
	n = atol(argv[2]);
	skus = argc > 3 ? atol(argv[3]) : 1000;
	mkdir(argv[1], 0700);
	CHECK(mdb_env_create(&env));
	CHECK(mdb_env_set_maxdbs(env, 8));
	CHECK(mdb_env_set_mapsize(env, (size_t)1 << 34));
	CHECK(mdb_env_open(env, argv[1], MDB_NOTLS, 0600));
	CHECK(mdb_txn_begin(env, NULL, 0, &t));
	CHECK(mdb_dbi_open(t, "journal", MDB_CREATE, &jd));
	CHECK(mdb_dbi_open(t, "balances", MDB_CREATE, &bd));
	CHECK(mdb_dbi_open(t, "refs", MDB_CREATE, &rd));
	memset(val, 'x', sizeof val);
	for (i = 1; i <= n; i++) {
		for (int b = 0; b < 8; b++)
			seq[b] = (unsigned long)i >> (56 - 8 * b);
		k.mv_data = seq, k.mv_size = 8;
		v.mv_data = val, v.mv_size = 200;
		CHECK(mdb_put(t, jd, &k, &v, MDB_APPEND));
		k.mv_size = snprintf(key, sizeof key, "SKU-%06ld%cWH1/A/%02ld%c",
		    i % skus, 0, i % 50, 0) + 1;
		k.mv_data = key;
		if (mdb_get(t, bd, &k, &v) == 0)
			memcpy(bal, v.mv_data, sizeof bal);
		bal[0] += 1000;
		v.mv_data = bal, v.mv_size = sizeof bal;
		CHECK(mdb_put(t, bd, &k, &v, 0));
		k.mv_size = snprintf(ref, sizeof ref, "asn-%ld", i) + 1;
		k.mv_data = ref;
		v.mv_data = seq, v.mv_size = 8;
		CHECK(mdb_put(t, rd, &k, &v, 0));
	}
	CHECK(mdb_txn_commit(t));
	mdb_env_close(env);
	return 0;
}
