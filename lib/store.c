/*
 * store.c: the store, over LMDB.  This is the only file that knows LMDB;
 * the rest of ims sees named tables of ordered keys, transactions and
 * cursors, so that another backend can take its place.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <lmdb.h>

#include "ims.h"

#define MAP_START ((size_t)4 << 30)	/* 4 GiB of address space; the
					 * file grows only as it is used */
#define MAX_READERS 1024		/* cron jobs, shells and reports at
					 * once; LMDB's default is 126 */
#define RESTORE_HINT "restore it from a copy made by ims-backup, or " \
	"into a new store from an ims-log export"

static const char *const dbnames[IMS_DB_COUNT] = {
	"meta", "items", "locations", "suppliers", "journal", "balances",
	"history", "late", "refs", "lots", "serials", "orders", "reserves",
	"allocs", "forecasts", "counts", "pos",
	"polines", "clients", "channels", "barcodes", "costs"
};

struct ims_store {
	MDB_env *env;
	MDB_dbi dbi[IMS_DB_COUNT];
	unsigned char absent[IMS_DB_COUNT];	/* read as empty */
	int rdonly;
	char dir[4096];
};

struct ims_txn {
	struct ims_store *s;
	MDB_txn *t;
};

struct ims_cursor {
	MDB_cursor *c;		/* NULL over an absent table */
};

/* Tables added since format 2 began (orders and the rest) may be absent
 * from a store no newer command has written to; opened read-only, such
 * a table reads as empty, so that adding a table needs no new format. */
#define FIRST_ADDED (IMS_DB_SERIALS + 1)

/*
 * The faults of a damaged store.  LMDB 0.9 keeps no checksums: a page
 * cut off the end of the file is SIGBUS where it is read (by LMDB, or by
 * whoever reads a value it returned), and a damaged page may lead LMDB
 * astray (SIGSEGV).  While a store is open, SIGBUS (nothing else here
 * maps a file), and SIGSEGV inside an LMDB call, are reported as damage,
 * exit 3; any other fault goes to the handler that was there before.
 */
static struct {
	int open;		/* stores open */
	char msg[4096 + 256];	/* the message, made before any fault */
	size_t len;
	struct sigaction old_bus, old_segv;
	int installed;
} guard;
static volatile sig_atomic_t in_lmdb;

#define LMDB(rc, call) \
	do { in_lmdb++; (rc) = (call); in_lmdb--; } while (0)

static void
on_fault(int sig)
{
	if (guard.open && (sig == SIGBUS || in_lmdb)) {
		ssize_t n = write(STDERR_FILENO, guard.msg, guard.len);

		(void)n;
		_exit(IMS_EXIT_STORE);
	}
	/* not ours: back to the fault, with the old handler in place */
	sigaction(sig, sig == SIGBUS ? &guard.old_bus : &guard.old_segv,
	    NULL);
}

/* Catch the faults of store s from now on. */
static void
guard_store(struct ims_store *s)
{
	struct sigaction sa;
	int n;

	n = snprintf(guard.msg, sizeof guard.msg, "%s: %s: store damaged "
	    "(a page of data.mdb cannot be read); " RESTORE_HINT "\n",
	    ims_prog, ims_q(s->dir));
	guard.len = n < 0 ? 0 : (size_t)n >= sizeof guard.msg ?
	    sizeof guard.msg - 1 : (size_t)n;
	guard.open++;
	if (guard.installed++)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &guard.old_bus);
	sigaction(SIGSEGV, &sa, &guard.old_segv);
}

static int
vdamaged(const char *dir, const char *fmt, va_list ap)
{
	char why[512];

	vsnprintf(why, sizeof why, fmt, ap);
	return ims_seterr(IMS_ESTORE, "%s: store damaged (%s); "
	    RESTORE_HINT, ims_q(dir), why);
}

static int
damaged_dir(const char *dir, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vdamaged(dir, fmt, ap);
	va_end(ap);
	return rc;
}

/* The directory of the store opened last, for fail()'s messages: ims
 * opens one store at a time. */
static char last_dir[4096];

/* What the store holds is damaged (a value of the wrong size, a key
 * without its parts): say so, naming the store opened and what to do. */
int
ims_damaged(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vdamaged(last_dir, fmt, ap);
	va_end(ap);
	return rc;
}

/* The store is damaged: say so, naming it and what to do. */
int
ims_store_damaged(struct ims_store *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vdamaged(s->dir, fmt, ap);
	va_end(ap);
	return rc;
}


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
	if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_INVALID)
		return damaged_dir(last_dir, "%s: %s", what, mdb_strerror(rc));
	return ims_seterr(IMS_ESTORE, "%s: %s", what, mdb_strerror(rc));
}

/*
 * A failed commit, naming the store.  LMDB reports a short write as EIO;
 * on a file system with no room left that is what it was.
 */
static int
fail_commit(struct ims_store *s, int rc)
{
	struct statvfs sv;

	if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
		return IMS_EMAPFULL;
	if (rc == EIO && statvfs(s->dir, &sv) == 0 &&
	    (unsigned long long)sv.f_bavail * sv.f_frsize < (1u << 20))
		rc = ENOSPC;
	return ims_seterr(IMS_ESTORE, "%s: commit: %s", ims_q(s->dir),
	    mdb_strerror(rc));
}

static size_t
env_num(const char *name, size_t dflt, size_t min)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s)
		return dflt;
	v = strtoull(s, &end, 10);
	return *end || v < min ? dflt : (size_t)v;
}

/*
 * Begin an LMDB transaction.  When another process grew the map, adopt
 * its size; when the readers' table is full, clear the slots of readers
 * that died (kill -9 leaves them) and try once more.
 */
static int
begin(struct ims_store *s, unsigned flags, MDB_txn **tp)
{
	int rc = mdb_txn_begin(s->env, NULL, flags, tp), dead;

	if (rc == MDB_MAP_RESIZED) {
		mdb_env_set_mapsize(s->env, 0);
		rc = mdb_txn_begin(s->env, NULL, flags, tp);
	}
	if (rc == MDB_READERS_FULL && mdb_reader_check(s->env, &dead) == 0 &&
	    dead > 0)
		rc = mdb_txn_begin(s->env, NULL, flags, tp);
	return rc;
}

static int
try_open_dbs(struct ims_store *s, int create)
{
	MDB_txn *t;
	int rc, i;

	rc = begin(s, create ? 0 : MDB_RDONLY, &t);
	if (rc)
		return fail(rc, "begin");
	for (i = 0; i < IMS_DB_COUNT; i++) {
		rc = mdb_dbi_open(t, dbnames[i], create ? MDB_CREATE : 0,
		    &s->dbi[i]);
		s->absent[i] = rc == MDB_NOTFOUND && i >= FIRST_ADDED &&
		    s->rdonly;
		if (rc && !s->absent[i]) {
			mdb_txn_abort(t);
			return rc == MDB_NOTFOUND ? IMS_ENOTFOUND :
			    fail(rc, dbnames[i]);
		}
	}
	LMDB(rc, mdb_txn_commit(t));
	return rc ? fail_commit(s, rc) : IMS_OK;
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

/*
 * Is the store in use: does a process hold LMDB's lock on the first
 * byte of lock.mdb?  Each open environment holds it (shared), and the
 * process making a new data.mdb holds it alone until the file has its
 * first pages.  Call with no environment of dir open here: closing a
 * descriptor of lock.mdb drops every lock this process has on it.
 */
static int
in_use(const char *dir)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = 0, .l_len = 1 };
	char path[4200];
	int fd, busy;

	snprintf(path, sizeof path, "%s/lock.mdb", dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	busy = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	close(fd);
	return busy;
}

/*
 * An empty data.mdb that no process is making is a damaged store, never
 * one to make anew: LMDB would start an empty store on it.  (The making
 * of a store that fails removes what it made: see unmake().)
 */
static int
check_empty(const char *dir, int rdonly)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (stat(path, &st) != 0) {
		if (rdonly)
			return ims_seterr(IMS_ESTORE, "%s: no store here",
			    ims_q(dir));
		return IMS_OK;
	}
	if (st.st_size > 0)
		return IMS_OK;
	if (!in_use(dir))
		return damaged_dir(dir, "data.mdb is empty");
	/* being made right now: a writer waits for LMDB's lock */
	return rdonly ? ims_seterr(IMS_ESTORE, "%s: no store here",
	    ims_q(dir)) : IMS_OK;
}

static int
make_dir(const char *dir, int rdonly, int *made)
{
	struct stat st;

	*made = 0;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return ims_seterr(IMS_ESTORE, "%s: not a directory",
			    ims_q(dir));
		return check_empty(dir, rdonly);
	}
	if (errno != ENOENT || rdonly)
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(dir),
		    errno == ENOENT ? "no store here" : strerror(errno));
	if (mkdir(dir, 0700) != 0)
		return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(dir),
		    strerror(errno));
	*made = 1;
	return IMS_OK;
}

/*
 * The making of a store failed (a full disk): remove the empty data.mdb
 * it left, or the next command would take it for a damaged store.  Under
 * LMDB's lock held alone, so that no other process is making it.
 */
static void
unmake(const char *dir)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = 0, .l_len = 1 };
	char path[4200];
	struct stat st;
	int fd;

	snprintf(path, sizeof path, "%s/lock.mdb", dir);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		return;
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (fcntl(fd, F_SETLK, &fl) == 0 && stat(path, &st) == 0 &&
	    st.st_size == 0)
		unlink(path);
	close(fd);
}

/* A data.mdb shorter than its last page (cut short, or its end lost) is
 * damaged: a read past its end would be SIGBUS. */
static int
check_size(struct ims_store *s)
{
	MDB_envinfo info;
	MDB_stat st;
	struct stat fs;
	mdb_filehandle_t fd;
	int rc;

	if ((rc = mdb_env_get_fd(s->env, &fd)) || (rc = mdb_env_info(s->env,
	    &info)) || (rc = mdb_env_stat(s->env, &st)))
		return fail(rc, "info");
	/* a writer that just committed may not have padded the end yet */
	for (int i = 0; i < 5; i++) {
		if (fstat(fd, &fs) != 0)
			return ims_seterr(IMS_ESTORE, "%s: %s",
			    ims_q(s->dir), strerror(errno));
		if ((unsigned long long)fs.st_size >=
		    (info.me_last_pgno + 1ULL) * st.ms_psize)
			return IMS_OK;
		usleep(20000);
	}
	if ((unsigned long long)fs.st_size <
	    (info.me_last_pgno + 1ULL) * st.ms_psize)
		return ims_store_damaged(s, "data.mdb is %lld bytes, its "
		    "last page ends at %llu", (long long)fs.st_size,
		    (info.me_last_pgno + 1ULL) * st.ms_psize);
	return IMS_OK;
}

static int
env_open(struct ims_store *s, const char *dir, unsigned ef)
{
	int rc;

	if ((rc = mdb_env_create(&s->env)) ||
	    (rc = mdb_env_set_maxdbs(s->env, IMS_DB_COUNT + 4)) ||
	    (rc = mdb_env_set_maxreaders(s->env, env_num("IMS_MAXREADERS",
	    MAX_READERS, 1))) ||
	    (rc = mdb_env_set_mapsize(s->env, env_num("IMS_MAPSIZE",
	    MAP_START, 65536))) ||
	    (rc = mdb_env_open(s->env, dir, ef, 0600)))
		return rc == ENOENT && s->rdonly ?
		    ims_seterr(IMS_ESTORE, "%s: no store here", ims_q(dir)) :
		    rc == MDB_INVALID ? fail(rc, "data.mdb") :
		    fail(rc, ims_q(dir));
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
	int rc, dead, made, guarded = 0;

	if ((rc = make_dir(dir, flags & IMS_STORE_RDONLY, &made)))
		return rc;
	if (!(s = calloc(1, sizeof *s)))
		return ims_seterr(IMS_ESTORE, "out of memory");
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	snprintf(last_dir, sizeof last_dir, "%s", dir);
	s->rdonly = flags & IMS_STORE_RDONLY;
	if (s->rdonly)
		ef |= MDB_RDONLY;
	if (flags & IMS_STORE_NOSYNC)
		ef |= MDB_NOSYNC;
	if ((rc = env_open(s, dir, ef))) {
		if (!s->rdonly)
			unmake(dir);
		goto bad;
	}
	if ((rc = check_size(s)))
		goto bad;
	guard_store(s);
	guarded = 1;
	if (!s->rdonly)
		mdb_reader_check(s->env, &dead);
	if ((rc = open_dbs(s)))
		goto bad;
	*sp = s;
	return IMS_OK;
bad:
	if (s->env)
		mdb_env_close(s->env);
	if (guarded)
		guard.open--;
	if (made && !s->rdonly)
		rmdir(dir);
	free(s);
	return rc;
}

void
ims_store_close(struct ims_store *s)
{
	if (!s)
		return;
	mdb_env_close(s->env);
	guard.open--;
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
	if (used > info.me_mapsize / 2) {
		mdb_env_set_mapsize(s->env, info.me_mapsize * 2);
	}
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
	rc = begin(s, write ? 0 : MDB_RDONLY, &t->t);
	if (rc) {
		free(t);
		return fail(rc, "begin");
	}
	*tp = t;
	return IMS_OK;
}

/*
 * LMDB does not write a page that a transaction took and gave back
 * before its commit: when that page was the last, data.mdb ends before
 * the last page, which the next reader's size check would call damage.
 * Make the file reach it (posix_fallocate only adds zeros past the end,
 * and never touches a page another writer has written since).
 */
static void
pad_end(struct ims_store *s)
{
	MDB_envinfo info;
	MDB_stat st;
	struct stat fs;
	mdb_filehandle_t fd;
	unsigned long long need;

	if (mdb_env_get_fd(s->env, &fd) || mdb_env_info(s->env, &info) ||
	    mdb_env_stat(s->env, &st) || fstat(fd, &fs) != 0)
		return;
	need = (info.me_last_pgno + 1ULL) * st.ms_psize;
	if ((unsigned long long)fs.st_size < need)
		posix_fallocate(fd, fs.st_size, (off_t)(need - fs.st_size));
}

int
ims_txn_commit(struct ims_txn *t)
{
	struct ims_store *s = t->s;
	int rc;

	LMDB(rc, mdb_txn_commit(t->t));
	free(t);
	if (rc == 0)
		pad_end(s);
	return rc ? fail_commit(s, rc) : IMS_OK;
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
	int rc;

	if (t->s->absent[db])
		return IMS_ENOTFOUND;
	LMDB(rc, mdb_get(t->t, t->s->dbi[db], &key, &val));
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
	LMDB(rc, mdb_put(t->t, t->s->dbi[db], &key, &val, f));
	return rc ? fail(rc, "put") : IMS_OK;
}

int
ims_del(struct ims_txn *t, enum ims_db db, const struct ims_key *k)
{
	MDB_val key = { k->n, (void *)k->b };
	int rc;

	LMDB(rc, mdb_del(t->t, t->s->dbi[db], &key, NULL));
	return rc ? fail(rc, "del") : IMS_OK;
}

int
ims_cursor_open(struct ims_txn *t, enum ims_db db, struct ims_cursor **cp)
{
	struct ims_cursor *c = malloc(sizeof *c);
	int rc;

	if (!c)
		return ims_seterr(IMS_ESTORE, "out of memory");
	c->c = NULL;
	if (!t->s->absent[db] &&
	    (rc = mdb_cursor_open(t->t, t->s->dbi[db], &c->c))) {
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
	int rc;

	if (!c->c)
		return IMS_ENOTFOUND;
	LMDB(rc, mdb_cursor_get(c->c, key, &val, op));
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
	if (c->c)
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
	LMDB(rc, mdb_env_copy2(s->env, dir, MDB_CP_COMPACT));
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
