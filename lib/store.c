/*
 * store.c: the store, over LMDB.  This is the only file that knows LMDB;
 * the rest of ims sees named tables of ordered keys, transactions and
 * cursors, so that another backend can take its place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>

#include "ims.h"

#define MAP_START ((size_t)4 << 30)	/* 4 GiB of address space; the
					 * file grows only as it is used */

static const char *const dbnames[IMS_DB_COUNT] = {
	"meta", "items", "locations", "suppliers", "journal", "balances",
	"history", "late", "refs", "lots", "serials"
};

struct ims_store {
	MDB_env *env;
	MDB_dbi dbi[IMS_DB_COUNT];
	int rdonly;
};

struct ims_txn {
	struct ims_store *s;
	MDB_txn *t;
};

struct ims_cursor {
	MDB_cursor *c;
};

/* Map an LMDB code to ours, keeping a message for the store errors. */
static int
fail(int rc, const char *what)
{
	if (rc == MDB_NOTFOUND)
		return IMS_ENOTFOUND;
	if (rc == MDB_KEYEXIST)
		return IMS_ESKIP;
	if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
		return IMS_EMAPFULL;
	return ims_seterr(IMS_ESTORE, "%s: %s", what, mdb_strerror(rc));
}

static size_t
env_mapsize(void)
{
	const char *s = getenv("IMS_MAPSIZE");
	char *end;
	unsigned long long v;

	if (!s)
		return MAP_START;
	v = strtoull(s, &end, 10);
	return *end || v < 65536 ? MAP_START : (size_t)v;
}

static int
try_open_dbs(struct ims_store *s, int create)
{
	MDB_txn *t;
	int rc, i;

	rc = mdb_txn_begin(s->env, NULL, create ? 0 : MDB_RDONLY, &t);
	if (rc)
		return fail(rc, "begin");
	for (i = 0; i < IMS_DB_COUNT; i++) {
		rc = mdb_dbi_open(t, dbnames[i], create ? MDB_CREATE : 0,
		    &s->dbi[i]);
		if (rc) {
			mdb_txn_abort(t);
			return rc == MDB_NOTFOUND ? IMS_ENOTFOUND :
			    fail(rc, dbnames[i]);
		}
	}
	rc = mdb_txn_commit(t);
	return rc ? fail(rc, "commit") : IMS_OK;
}

/* Open the tables in a read transaction; make them only when missing,
 * so that a one-record invocation commits (and syncs) once, not twice. */
static int
open_dbs(struct ims_store *s)
{
	int rc = try_open_dbs(s, 0);

	if (rc != IMS_ENOTFOUND)
		return rc;
	if (s->rdonly)
		return ims_seterr(IMS_ESTORE, "not an ims store");
	return try_open_dbs(s, 1);
}

static int
make_dir(const char *dir, int rdonly)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		char path[4096];

		if (!S_ISDIR(st.st_mode))
			return ims_seterr(IMS_ESTORE, "%s: not a directory",
			    ims_q(dir));
		/* a store whose making failed (a full disk) left an empty
		 * file: to a reader that is no store yet */
		snprintf(path, sizeof path, "%s/data.mdb", dir);
		if (rdonly && (stat(path, &st) != 0 || st.st_size == 0))
			return ims_seterr(IMS_ESTORE, "%s: no store here",
			    ims_q(dir));
		return IMS_OK;
	}
	if (errno != ENOENT || rdonly)
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(dir),
		    errno == ENOENT ? "no store here" : strerror(errno));
	if (mkdir(dir, 0700) != 0)
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(dir),
		    strerror(errno));
	return IMS_OK;
}

/*
 * Open the store in dir, making it on first write (directory 0700, files
 * 0600 under the umask).  Never MDB_WRITEMAP: a full disk would become
 * SIGBUS.  A writer clears readers left behind by killed processes.
 */
int
ims_store_open(struct ims_store **sp, const char *dir, int flags)
{
	struct ims_store *s;
	unsigned ef = MDB_NOTLS;
	int rc, dead;

	if ((rc = make_dir(dir, flags & IMS_STORE_RDONLY)))
		return rc;
	if (!(s = calloc(1, sizeof *s)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	s->rdonly = flags & IMS_STORE_RDONLY;
	if (s->rdonly)
		ef |= MDB_RDONLY;
	if (flags & IMS_STORE_NOSYNC)
		ef |= MDB_NOSYNC;
	if ((rc = mdb_env_create(&s->env)) ||
	    (rc = mdb_env_set_maxdbs(s->env, IMS_DB_COUNT + 4)) ||
	    (rc = mdb_env_set_mapsize(s->env, env_mapsize())) ||
	    (rc = mdb_env_open(s->env, dir, ef, 0600))) {
		rc = rc == ENOENT && s->rdonly ?
		    ims_seterr(IMS_ESTORE, "%s: no store here", ims_q(dir)) :
		    fail(rc, ims_q(dir));
		goto bad;
	}
	if (!s->rdonly)
		mdb_reader_check(s->env, &dead);
	if ((rc = open_dbs(s)))
		goto bad;
	*sp = s;
	return IMS_OK;
bad:
	if (s->env)
		mdb_env_close(s->env);
	free(s);
	return rc;
}

void
ims_store_close(struct ims_store *s)
{
	if (!s)
		return;
	mdb_env_close(s->env);
	free(s);
}

/* Double the map.  Only between transactions: LMDB allows no other. */
int
ims_store_grow(struct ims_store *s)
{
	MDB_envinfo info;
	int rc;

	if ((rc = mdb_env_info(s->env, &info)))
		return fail(rc, "info");
	rc = mdb_env_set_mapsize(s->env, info.me_mapsize * 2);
	return rc ? fail(rc, "grow") : IMS_OK;
}

/*
 * Before a write: when the store fills more than half of the map, double
 * the map now, so that a large batch seldom has to be replayed after
 * MDB_MAP_FULL.
 */
static void
headroom(struct ims_store *s)
{
	MDB_envinfo info;
	MDB_stat st;
	size_t used;

	if (mdb_env_info(s->env, &info) || mdb_env_stat(s->env, &st))
		return;
	used = (info.me_last_pgno + 1) * (size_t)st.ms_psize;
	if (used > info.me_mapsize / 2)
		mdb_env_set_mapsize(s->env, info.me_mapsize * 2);
}

int
ims_txn_begin(struct ims_store *s, int write, struct ims_txn **tp)
{
	struct ims_txn *t = malloc(sizeof *t);
	int rc;

	if (!t)
		return ims_seterr(IMS_ESTORE, "out of memory");
	if (write)
		headroom(s);
	t->s = s;
	rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->t);
	if (rc == MDB_MAP_RESIZED) {
		/* another process grew the map: adopt its size */
		mdb_env_set_mapsize(s->env, 0);
		rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY,
		    &t->t);
	}
	if (rc) {
		free(t);
		return fail(rc, "begin");
	}
	*tp = t;
	return IMS_OK;
}

int
ims_txn_commit(struct ims_txn *t)
{
	int rc = mdb_txn_commit(t->t);

	free(t);
	return rc ? fail(rc, "commit") : IMS_OK;
}

void
ims_txn_abort(struct ims_txn *t)
{
	if (!t)
		return;
	mdb_txn_abort(t->t);
	free(t);
}

int
ims_get(struct ims_txn *t, enum ims_db db, const struct ims_key *k,
    struct ims_val *v)
{
	MDB_val key = { k->n, (void *)k->b }, val;
	int rc = mdb_get(t->t, t->s->dbi[db], &key, &val);

	if (rc)
		return fail(rc, "get");
	v->p = val.mv_data;
	v->n = val.mv_size;
	return IMS_OK;
}

int
ims_put(struct ims_txn *t, enum ims_db db, const struct ims_key *k,
    const void *p, size_t n, int flags)
{
	MDB_val key = { k->n, (void *)k->b }, val = { n, (void *)p };
	unsigned f = 0;
	int rc;

	if (flags & IMS_PUT_APPEND)
		f |= MDB_APPEND;
	if (flags & IMS_PUT_NEW)
		f |= MDB_NOOVERWRITE;
	rc = mdb_put(t->t, t->s->dbi[db], &key, &val, f);
	return rc ? fail(rc, "put") : IMS_OK;
}

int
ims_del(struct ims_txn *t, enum ims_db db, const struct ims_key *k)
{
	MDB_val key = { k->n, (void *)k->b };
	int rc = mdb_del(t->t, t->s->dbi[db], &key, NULL);

	return rc ? fail(rc, "del") : IMS_OK;
}

int
ims_cursor_open(struct ims_txn *t, enum ims_db db, struct ims_cursor **cp)
{
	struct ims_cursor *c = malloc(sizeof *c);
	int rc;

	if (!c)
		return ims_seterr(IMS_ESTORE, "out of memory");
	if ((rc = mdb_cursor_open(t->t, t->s->dbi[db], &c->c))) {
		free(c);
		return fail(rc, "cursor");
	}
	*cp = c;
	return IMS_OK;
}

static int
cursor_get(struct ims_cursor *c, MDB_val *key, struct ims_val *k,
    struct ims_val *v, MDB_cursor_op op)
{
	MDB_val val;
	int rc = mdb_cursor_get(c->c, key, &val, op);

	if (rc)
		return fail(rc, "cursor");
	if (k)
		k->p = key->mv_data, k->n = key->mv_size;
	if (v)
		v->p = val.mv_data, v->n = val.mv_size;
	return IMS_OK;
}

/* Position at the first key >= k (the first key at all when k is NULL). */
int
ims_cursor_seek(struct ims_cursor *c, const struct ims_key *k,
    struct ims_val *key, struct ims_val *val)
{
	MDB_val mk = { 0, NULL };

	if (!k)
		return cursor_get(c, &mk, key, val, MDB_FIRST);
	mk.mv_size = k->n;
	mk.mv_data = (void *)k->b;
	return cursor_get(c, &mk, key, val, MDB_SET_RANGE);
}

int
ims_cursor_next(struct ims_cursor *c, struct ims_val *key,
    struct ims_val *val)
{
	MDB_val mk;

	return cursor_get(c, &mk, key, val, MDB_NEXT);
}

int
ims_cursor_last(struct ims_cursor *c, struct ims_val *key,
    struct ims_val *val)
{
	MDB_val mk;

	return cursor_get(c, &mk, key, val, MDB_LAST);
}

void
ims_cursor_close(struct ims_cursor *c)
{
	if (!c)
		return;
	mdb_cursor_close(c->c);
	free(c);
}

/* The copy on disk before it is called done: LMDB does not sync it.
 * Returns 0 or an errno. */
static int
sync_copy(const char *path, const char *dir)
{
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY)) < 0)
		return errno;
	if (fsync(fd) != 0)
		rc = errno;
	close(fd);
	if (!rc && (fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);	/* some file systems cannot: no matter */
		close(fd);
	}
	return rc;
}

/*
 * A hot, compacted copy of the store into dir (made 0700; its file 0600),
 * consistent as of one read transaction while writers go on, and synced
 * to disk.  A copy that fails is removed: half a copy must not pass for
 * a store.
 */
int
ims_store_copy(struct ims_store *s, const char *dir)
{
	char path[4096];
	struct stat st;
	mode_t old;
	int rc, made;

	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (stat(path, &st) == 0)
		return ims_seterr(IMS_ESTORE, "%s: a store is there already",
		    ims_q(dir));
	made = mkdir(dir, 0700) == 0;
	if (!made && errno != EEXIST)
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(dir),
		    strerror(errno));
	old = umask(077);
	rc = mdb_env_copy2(s->env, dir, MDB_CP_COMPACT);
	umask(old);
	if (!rc)
		rc = sync_copy(path, dir);
	if (!rc)
		return IMS_OK;
	if (rc != EEXIST)	/* else another made it meanwhile: not ours */
		unlink(path);
	if (made)
		rmdir(dir);
	return fail(rc, ims_q(dir));
}
