/*
 * enospc.c: a full disk, for the tests.  Preloaded (LD_PRELOAD) into a
 * command, it lets the files named data.mdb grow by IMS_ENOSPC_AFTER
 * bytes and no more: a write that would take a file past that fails
 * with ENOSPC and writes nothing, as on a file system out of blocks.
 * Writes that stay below the limit (LMDB's meta pages, reused free
 * pages) go through, as they would on such a disk.
 *
 *	IMS_ENOSPC_AFTER=N	bytes each data.mdb may grow by (default 0)
 *	IMS_ENOSPC_PARTIAL=1	a write that crosses the limit writes what
 *				fits and returns a short count
 *	IMS_ENOSPC_SYNC=1	writes go through, but fsync and fdatasync of
 *				data.mdb fail with ENOSPC (a file system that
 *				finds out late, as NFS does)
 *	IMS_ENOSPC_LOG=FILE	append one line per refused call
 *
 * Once a write has been refused or cut short, statvfs and fstatvfs say
 * that the file system has no blocks left, as they would on a full disk.
 * (On 64-bit systems struct statvfs64 is struct statvfs.)
 *
 * LMDB 0.9 without MDB_WRITEMAP writes pages with pwrite and, after an
 * lseek, writev; its meta page with pwrite on a second descriptor opened
 * O_DSYNC; a copy (mdb_env_copy2) with write.  All are caught here, with
 * their 64-bit twins.  Nothing in ims links this: it is test equipment.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAXFD 1024

/* The limit of each file caught, by device and inode, so that both of
 * LMDB's descriptors of data.mdb share one. */
static struct lim {
	dev_t dev;
	ino_t ino;
	off_t limit;
} lims[16];
static int nlims;
static int refused;		/* a write was refused or cut short */

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_statvfs)(const char *, struct statvfs *);
static int (*real_fstatvfs)(int, struct statvfs *);

static void *
next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (!p) {
		fprintf(stderr, "enospc.so: no %s\n", name);
		abort();
	}
	return p;
}

__attribute__((constructor)) static void
init(void)
{
	real_write = next("write");
	real_pwrite = next("pwrite");
	real_pwrite64 = next("pwrite64");
	real_writev = next("writev");
	real_pwritev64 = next("pwritev64");
	real_fsync = next("fsync");
	real_fdatasync = next("fdatasync");
	real_statvfs = next("statvfs");
	real_fstatvfs = next("fstatvfs");
}

static long
env_num(const char *name, long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtol(s, NULL, 10) : dflt;
}

/* Is fd a file named data.mdb? */
static int
caught(int fd)
{
	char link[64], path[4096];
	ssize_t n;

	if (fd < 0 || fd >= MAXFD)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n < 9)
		return 0;
	path[n] = '\0';
	return strcmp(path + n - 9, "/data.mdb") == 0;
}

static void
note(const char *call, int fd, off_t off, size_t len)
{
	const char *log = getenv("IMS_ENOSPC_LOG");
	char line[160];
	int lfd, n;

	if (!log)
		return;
	n = snprintf(line, sizeof line, "%s fd %d offset %lld length %zu\n",
	    call, fd, (long long)off, len);
	if ((lfd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600)) >= 0) {
		real_write(lfd, line, n);
		close(lfd);
	}
}

/* The offset past which this file may not grow (its size when first
 * seen, plus the budget). */
static off_t
limit_of(int fd)
{
	struct stat st;
	int i;

	if (fstat(fd, &st) != 0)
		return 0;
	for (i = 0; i < nlims; i++)
		if (lims[i].dev == st.st_dev && lims[i].ino == st.st_ino)
			return lims[i].limit;
	if (nlims == (int)(sizeof lims / sizeof *lims))
		return st.st_size;
	lims[nlims].dev = st.st_dev;
	lims[nlims].ino = st.st_ino;
	lims[nlims].limit = st.st_size + env_num("IMS_ENOSPC_AFTER", 0);
	return lims[nlims++].limit;
}

/*
 * How many of len bytes at off (HERE: the file's position) may be
 * written: len, or fewer (a short write, when partial writes are on), or
 * -1 with errno ENOSPC.
 */
#define HERE ((off_t)-1)
static ssize_t
allowed(const char *call, int fd, off_t off, size_t len)
{
	int saved = errno;
	off_t lim;

	if (!caught(fd) || getenv("IMS_ENOSPC_SYNC")) {
		errno = saved;
		return (ssize_t)len;
	}
	if (off == HERE && (off = lseek(fd, 0, SEEK_CUR)) < 0)
		off = 0;
	lim = limit_of(fd);
	errno = saved;
	if (off + (off_t)len <= lim)
		return (ssize_t)len;
	note(call, fd, off, len);
	refused = 1;
	if (off < lim && env_num("IMS_ENOSPC_PARTIAL", 0))
		return (ssize_t)(lim - off);
	errno = ENOSPC;
	return -1;
}

static size_t
iov_len(const struct iovec *iov, int n)
{
	size_t len = 0;

	for (int i = 0; i < n; i++)
		len += iov[i].iov_len;
	return len;
}

/* The first max bytes of iov, as a new vector in out (which has room). */
static int
iov_cut(const struct iovec *iov, int n, size_t max, struct iovec *out)
{
	int i;

	for (i = 0; i < n && max > 0; i++) {
		out[i] = iov[i];
		if (out[i].iov_len > max)
			out[i].iov_len = max;
		max -= out[i].iov_len;
	}
	return i;
}

ssize_t
write(int fd, const void *p, size_t len)
{
	ssize_t ok = allowed("write", fd, HERE, len);

	return ok < 0 ? -1 : real_write(fd, p, (size_t)ok);
}

ssize_t
pwrite(int fd, const void *p, size_t len, off_t off)
{
	ssize_t ok = allowed("pwrite", fd, off, len);

	return ok < 0 ? -1 : real_pwrite(fd, p, (size_t)ok, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t len, off64_t off)
{
	ssize_t ok = allowed("pwrite64", fd, off, len);

	return ok < 0 ? -1 : real_pwrite64(fd, p, (size_t)ok, off);
}

static ssize_t
vec(const char *call, int fd, const struct iovec *iov, int n, off_t off,
    int positioned)
{
	struct iovec cut[IOV_MAX];
	size_t len = iov_len(iov, n);
	ssize_t ok = allowed(call, fd, off, len);

	if (ok < 0)
		return -1;
	if ((size_t)ok < len && n <= IOV_MAX) {
		n = iov_cut(iov, n, (size_t)ok, cut);
		iov = cut;
	}
	if (!positioned)
		return real_writev(fd, iov, n);
	return real_pwritev64(fd, iov, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	return vec("writev", fd, iov, n, HERE, 0);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	return vec("pwritev", fd, iov, n, off, 1);
}

ssize_t
pwritev64(int fd, const struct iovec *iov, int n, off64_t off)
{
	return vec("pwritev64", fd, iov, n, off, 1);
}

static int
sync_fails(const char *call, int fd)
{
	if (!getenv("IMS_ENOSPC_SYNC") || !caught(fd))
		return 0;
	note(call, fd, 0, 0);
	errno = ENOSPC;
	return 1;
}

int
fsync(int fd)
{
	return sync_fails("fsync", fd) ? -1 : real_fsync(fd);
}

int
fdatasync(int fd)
{
	return sync_fails("fdatasync", fd) ? -1 : real_fdatasync(fd);
}

static int
no_room(int rc, struct statvfs *sv)
{
	if (rc == 0 && refused)
		sv->f_bfree = sv->f_bavail = 0;
	return rc;
}

int
statvfs(const char *path, struct statvfs *sv)
{
	return no_room(real_statvfs(path, sv), sv);
}

int
statvfs64(const char *path, struct statvfs64 *sv)
{
	return no_room(real_statvfs(path, (struct statvfs *)sv),
	    (struct statvfs *)sv);
}

int
fstatvfs(int fd, struct statvfs *sv)
{
	return no_room(real_fstatvfs(fd, sv), sv);
}

int
fstatvfs64(int fd, struct statvfs64 *sv)
{
	return no_room(real_fstatvfs(fd, (struct statvfs *)sv),
	    (struct statvfs *)sv);
}
