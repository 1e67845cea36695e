/*
 * batch.c: one invocation, one write transaction.  Every record is tried
 * and every problem reported; then the batch is committed whole, or (on
 * any rejection without --keep-going, or with --dry-run) nothing is.
 * When the map fills up, the transaction is aborted, the map grown and
 * the whole batch replayed from the first record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ims.h"

struct run {
	struct ims_batch *b;
	struct ims_reader *rd;
	FILE *rejects;		/* opened at the first reject */
	long nrec, posted, skipped, rejected;
	long quiet_until;	/* records already reported by a replay */
	struct ims_rec tmp;
	struct ims_buf line;
	struct ims_buf clean;
	double started, shown;
	int progress, upgraded, replayed;
};

static double
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* On a terminal, now and then: records read and the rate. */
static void
progress(struct run *r, int last)
{
	double now;

	if (!r->progress || (!last && (r->nrec & 4095) != 0))
		return;
	now = clock_now();
	if (!last && now - r->shown < 0.5)
		return;
	if (last) {
		if (r->shown > 0)
			fprintf(stderr, "\r\033[K");
		return;
	}
	r->shown = now;
	fprintf(stderr, "\r%s: %ld records, %.0f/s\033[K", ims_prog, r->nrec,
	    r->nrec / (now - r->started));
}

/* The length of the UTF-8 sequence that byte c begins (1 when it
 * begins none). */
static size_t
seq_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

/*
 * Add a text field that JSON can carry whatever the input held: each
 * byte that is not part of well-formed UTF-8 becomes U+FFFD, and the
 * whole of it is kept, NUL bytes too (the JSON writer escapes those as
 * \u0000).
 */
static void
add_text(struct run *r, const char *name, const char *s, size_t n)
{
	struct ims_buf *b = &r->clean;

	if (ims_utf8_valid(s, n)) {
		ims_rec_add(&r->tmp, name, s, n, IMS_F_STR);
		return;
	}
	b->n = 0;
	while (n > 0) {
		size_t k = seq_len((unsigned char)*s);

		if (k > n || !ims_utf8_valid(s, k)) {
			ims_buf_add(b, "\xef\xbf\xbd", 3);
			k = 1;
		} else
			ims_buf_add(b, s, k);
		s += k;
		n -= k;
	}
	ims_rec_add(&r->tmp, name, b->p, b->n, IMS_F_STR);
}

/* --rejects is made (or emptied) only when there is something to write
 * to it; a symbolic link put in its place meanwhile is not followed. */
static int
open_rejects(struct run *r)
{
	int fd = open(ims_opt.rejects, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);

	if (fd >= 0 && (r->rejects = fdopen(fd, "w")))
		return IMS_OK;
	if (fd >= 0)
		close(fd);
	return ims_seterr(IMS_ESTORE, "%s: %s", ims_q(ims_opt.rejects),
	    strerror(errno));
}

/* A rejected record goes to --rejects with its error and line added;
 * one that could not be parsed goes as its raw text. */
static int
write_reject(struct run *r, const struct ims_rec *rec, const char *why)
{
	struct ims_rec *t = &r->tmp;
	char line[32];
	int rc;

	if (!ims_opt.rejects)
		return IMS_OK;
	if (!r->rejects && (rc = open_rejects(r)))
		return rc;
	ims_rec_reset(t);
	if (rec->error) {
		add_text(r, "text", rec->text.p ? rec->text.p : "",
		    rec->text.n);
	} else {
		for (size_t i = 0; i < rec->nf; i++)
			ims_rec_add(t, rec->f[i].name, rec->f[i].val,
			    rec->f[i].len, rec->f[i].type);
	}
	add_text(r, "error", why, strlen(why));
	snprintf(line, sizeof line, "%ld", rec->line);
	ims_rec_add(t, "line", line, strlen(line), IMS_F_NUM);
	if (strcmp(rec->file, "stdin") != 0)
		add_text(r, "file", rec->file, strlen(rec->file));
	r->line.n = 0;
	ims_rec_to_json(t, &r->line);
	ims_buf_addc(&r->line, '\n');
	fwrite(r->line.p, 1, r->line.n, r->rejects);
	return IMS_OK;
}

#define MAX_MESSAGES 100	/* then the rest go to --rejects only */

static int
reject(struct run *r, const struct ims_rec *rec, const char *why)
{
	r->rejected++;
	if (r->nrec > r->quiet_until && r->rejected <= MAX_MESSAGES)
		ims_warn("%s:%ld: %s", rec->file, rec->line, why);
	if (r->nrec > r->quiet_until && r->rejected == MAX_MESSAGES + 1)
		ims_warn("more rejected records are not shown%s",
		    ims_opt.rejects ? ": see --rejects" : "");
	return write_reject(r, rec, why);
}

/* Try every record; returns IMS_OK or a store error (IMS_EMAPFULL too). */
static int
each_record(struct run *r)
{
	struct ims_rec *rec;
	int rc;

	while ((rc = ims_reader_next(r->rd, &rec)) > 0) {
		r->nrec++;
		progress(r, 0);
		if (rec->error) {
			if ((rc = reject(r, rec, rec->error)))
				return rc;
			continue;
		}
		rc = r->b->record(r->b, rec);
		if (rc == IMS_OK)
			r->posted++;
		else if (rc == IMS_EREJECT) {
			if ((rc = reject(r, rec, ims_errmsg())))
				return rc;
		} else if (rc == IMS_ESKIP) {
			r->skipped++;
			if (!ims_opt.quiet && r->nrec > r->quiet_until)
				ims_warn("%s:%ld: %s", rec->file, rec->line,
				    ims_errmsg());
		} else
			return rc;
	}
	progress(r, 1);
	return rc;
}

static int
echo(struct run *r, struct ims_txn *t)
{
	struct ims_out *o;
	int rc;

	if (ims_opt.quiet || !r->b->echo)
		return IMS_OK;
	o = ims_stdout(r->b->cols);
	rc = r->b->echo(r->b, t, o);
	ims_out_close(o);
	return rc;
}

/*
 * Write out what the batch wrote before it commits: an echo or rejects
 * file that cannot be written fails the batch, and exit 3 then means
 * that nothing was stored.  The message is said once: what could not be
 * written is dropped.
 */
static int
flush_out(struct run *r)
{
	if (r->rejects && fflush(r->rejects) != 0)
		return ims_seterr(IMS_ESTORE, "%s: %s",
		    ims_q(ims_opt.rejects), strerror(errno));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;

		__fpurge(stdout);
		clearerr(stdout);
		return ims_seterr(IMS_ESTORE, "write error: %s", strerror(e));
	}
	return IMS_OK;
}

static int
finish(struct run *r, struct ims_txn *t)
{
	struct ims_batch *b = r->b;
	int keep = !r->rejected || ims_opt.keep_going;
	int rc;

	ims_journal_range(b->journal, &b->first_seq, &b->last_seq);
	if (ims_opt.dry_run || !keep) {
		rc = ims_opt.dry_run && keep ? echo(r, t) : IMS_OK;
		ims_txn_abort(t);
		return rc;
	}
	if ((rc = ims_journal_end(b->journal)) || (rc = echo(r, t)) ||
	    (rc = flush_out(r))) {
		ims_txn_abort(t);
		return rc;
	}
	/* echoed already: a full map now cannot be replayed */
	if ((rc = ims_txn_commit(t)) == IMS_EMAPFULL)
		rc = ims_seterr(IMS_ESTORE, "store is full");
	b->txn = NULL;
	return rc;
}

/* A store of an older format is upgraded in the batch's transaction,
 * and says so once (a replay after a full map does it again, quietly). */
static int
prepare(struct run *r, struct ims_txn *t, const char *actor, ims_time now)
{
	long entries, records;
	int rc, old;

	if ((rc = ims_format_check(t, 1, &old)) || !old)
		return rc;
	if ((rc = ims_format_upgrade(t, actor, now, &entries, &records)))
		return rc;
	if (!r->upgraded++)
		ims_warn("%s: upgraded the store from format %d to %d (%ld "
		    "entries, %ld master records)%s", ims_q(ims_opt.db), old,
		    IMS_FORMAT, entries, records, ims_opt.dry_run ?
		    "; a dry run: not stored" : "");
	return IMS_OK;
}

/* One attempt at the whole batch. */
static int
attempt(struct run *r, struct ims_store *s)
{
	struct ims_batch *b = r->b;
	struct ims_txn *t;
	const char *actor;
	ims_time now;
	int rc;

	r->nrec = r->posted = r->skipped = r->rejected = 0;
	/* checked with the options already: an error here is a store's */
	if (ims_post_env(&now, &actor))
		return ims_seterr(IMS_ESTORE, "%s", ims_errmsg());
	if ((rc = ims_txn_begin(s, 1, &t)))
		return rc;
	b->txn = t;
	b->journal = NULL;
	if ((rc = prepare(r, t, actor, now)) ||
	    (rc = ims_journal_begin(t, actor, now, &b->journal)))
		goto out;
	b->items = b->rejected = 0;
	if ((!b->no_input && (rc = each_record(r))) ||
	    (b->end && (!r->rejected || ims_opt.keep_going) &&
	    (rc = b->end(b, !r->replayed))))
		goto out;
	r->rejected += b->rejected;
	r->nrec += b->items;
	r->posted += b->items - b->rejected;
	rc = finish(r, t);
	t = NULL;
out:
	if (t)
		ims_txn_abort(t);
	ims_journal_free(b->journal);
	b->journal = NULL;
	b->txn = NULL;
	return rc;
}

static int
replay(struct run *r, struct ims_store *s)
{
	int rc;

	if (r->nrec > r->quiet_until)
		r->quiet_until = r->nrec;
	r->replayed = 1;
	if ((rc = ims_store_grow(s)) || (rc = ims_reader_rewind(r->rd)))
		return rc;
	if (r->rejects && (fflush(r->rejects) || ftruncate(fileno(r->rejects),
	    0) || fseek(r->rejects, 0, SEEK_SET)))
		return ims_seterr(IMS_ESTORE, "%s: %s",
		    ims_q(ims_opt.rejects), strerror(errno));
	if (r->b->reset)
		r->b->reset(r->b);
	return IMS_OK;
}

static void
summary(const struct run *r)
{
	if (!r->rejected)
		return;
	if (ims_opt.keep_going && !ims_opt.dry_run)
		ims_warn("%ld of %ld records rejected, %ld posted",
		    r->rejected, r->nrec, r->posted);
	else
		ims_warn("%ld of %ld records rejected; nothing %s",
		    r->rejected, r->nrec, ims_opt.dry_run ? "would be stored"
		    : "stored");
}

/* Is st one of the inputs (standard input when it is read)? */
static int
is_input(const struct stat *st, int nfiles, char **files)
{
	struct stat in;
	int i, stdin_read = nfiles == 0;

	for (i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") == 0)
			stdin_read = 1;
		else if (stat(files[i], &in) == 0 && in.st_dev == st->st_dev &&
		    in.st_ino == st->st_ino)
			return 1;
	}
	return stdin_read && fstat(STDIN_FILENO, &in) == 0 &&
	    in.st_dev == st->st_dev && in.st_ino == st->st_ino;
}

/* The directory path is in, into dir. */
static void
parent(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, size, ".");
	else
		snprintf(dir, size, "%.*s", slash == path ? 1 :
		    (int)(slash - path), path);
}

/* Is directory dir the store's? */
static int
is_store(const char *dir)
{
	struct stat d, db;

	return stat(dir, &d) == 0 && stat(ims_opt.db, &db) == 0 &&
	    d.st_dev == db.st_dev && d.st_ino == db.st_ino;
}

/* Can path be written (or made in its directory)?  0, or an errno. */
static int
writable(const char *path, const char *dir, int exists)
{
	if (exists)
		return access(path, W_OK) == 0 ? 0 : errno;
	return access(dir, W_OK | X_OK) == 0 ? 0 : errno;
}

/*
 * Before anything is opened: --rejects may not name a file in the store,
 * an input, a symbolic link (refused, not followed) or a directory, and
 * it must be a file that can be written.  Returns an exit status.
 */
static int
check_rejects(int nfiles, char **files)
{
	const char *path = ims_opt.rejects, *why = NULL;
	char dir[4096];
	struct stat st;
	int exists = lstat(path, &st) == 0, e = exists ? 0 : errno;

	parent(path, dir, sizeof dir);
	if (is_store(dir))
		why = "is inside the store";
	else if (exists && S_ISLNK(st.st_mode))
		why = "is a symbolic link: name the file itself";
	else if (exists && S_ISDIR(st.st_mode))
		why = "is a directory";
	else if (exists && is_input(&st, nfiles, files))
		why = "is an input";
	if (why) {
		ims_warn("--rejects: %s %s", ims_q(path), why);
		return IMS_EXIT_USAGE;
	}
	if ((e && e != ENOENT) || (e = writable(path, dir, exists))) {
		ims_warn("%s: %s", ims_q(path), strerror(e));
		return IMS_EXIT_STORE;
	}
	return IMS_EXIT_OK;
}

static int
setup(struct run *r, int nfiles, char **files)
{
	r->rd = ims_reader_open(files, nfiles, ims_opt.in_fmt, 1);
	if (!r->rd)
		return ims_seterr(IMS_ESTORE, "out of memory");
	r->progress = !ims_opt.quiet && isatty(STDERR_FILENO);
	r->started = clock_now();
	return IMS_OK;
}

/* Run a batch over the files (or stdin); returns the exit status. */
int
ims_batch_run(struct ims_batch *b, int nfiles, char **files)
{
	struct run r = { .b = b };
	struct ims_store *s = NULL;
	int rc, status;

	if (ims_opt.rejects && (status = check_rejects(nfiles, files)))
		return status;
	if ((status = ims_open(&s, 1)))
		return status;
	if (!(rc = setup(&r, nfiles, files)))
		while ((rc = attempt(&r, s)) == IMS_EMAPFULL &&
		    !(rc = replay(&r, s)))
			;
	if (rc)
		ims_warn("%s", rc == IMS_EMAPFULL ? "store is full" :
		    ims_errmsg());
	else
		summary(&r);
	if (r.rejects && fclose(r.rejects) != 0 && !rc) {
		ims_warn("%s: %s", ims_q(ims_opt.rejects), strerror(errno));
		rc = IMS_ESTORE;
	}
	ims_reader_close(r.rd);
	ims_rec_free(&r.tmp);
	ims_buf_free(&r.line);
	ims_buf_free(&r.clean);
	ims_store_close(s);
	status = rc ? IMS_EXIT_STORE : r.rejected || b->shortage ?
	    IMS_EXIT_REJECT : 0;
	return ims_finish(status);
}

/* The echo of a command that posts entries: what it posted, from the
 * journal. */
int
ims_echo_entries(struct ims_batch *b, struct ims_txn *t, struct ims_out *o)
{
	return ims_print_entries(t, o, b->first_seq, b->last_seq);
}

/* What a command that posts movements was asked. */
struct post_cfg {
	int kind;
	int64_t tol;		/* --tolerance: over-receipt, 4 places */
};

/* A batch's record callback for movements; b->arg is the post_cfg. */
int
ims_post_record(struct ims_batch *b, struct ims_rec *r)
{
	const struct post_cfg *cfg = b->arg;
	const struct ims_rec *in = r;
	struct ims_move m;
	int rc;

	if ((cfg->kind != IMS_RESTORE &&
	    (rc = ims_resolve_sku(b->txn, r, "qty", &in))) ||
	    (rc = ims_move_parse(&m, in, cfg->kind)))
		return rc;
	m.po_tol = cfg->tol;
	return ims_post(b->journal, &m, NULL);
}

static const struct argp_option receipt_options[] = {
	{ "tolerance", 't', "SHARE", 0, "Receipts against a PO line may pass "
	  "what is left by this share of it (5% or 0.05; default 0), unless "
	  "the item sets receipt_tolerance", 0 },
	{ 0 }
};

static error_t
receipt_parse(int key, char *arg, struct argp_state *st)
{
	struct post_cfg *cfg = st->input;
	size_t n = arg ? strlen(arg) : 0;
	const char *why;
	ims_dec v;

	if (key != 't')
		return ARGP_ERR_UNKNOWN;
	if (n && arg[n - 1] == '%') {
		if ((why = ims_dec_parse(arg, n - 1, 2, &v)))
			argp_error(st, "--tolerance %s: %s", ims_q(arg), why);
	} else if ((why = ims_dec_parse(arg, n, 4, &v)))
		argp_error(st, "--tolerance %s: %s", ims_q(arg), why);
	if (v < 0 || v > 10000)
		argp_error(st, "--tolerance %s: from 0 to 100%%", ims_q(arg));
	cfg->tol = v;
	return 0;
}

/* The whole of a command that posts movements of one kind (receipts,
 * transfers, restored entries): options, the batch, the echo. */
int
ims_post_main(int kind, const char *doc, int argc, char **argv)
{
	struct argp argp = { NULL, NULL, "[FILE...]", doc, ims_argp_children,
		NULL, NULL };
	struct post_cfg cfg = { kind, 0 };
	struct ims_batch b = { .cols = ims_move_cols, .record = ims_post_record,
		.echo = ims_echo_entries, .arg = &cfg };
	int idx;

	if (kind == IMS_RECEIPT) {
		argp.options = receipt_options;
		argp.parser = receipt_parse;
	}
	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, &cfg);
	return ims_batch_run(&b, argc - idx, argv + idx);
}
