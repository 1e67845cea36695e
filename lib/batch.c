/*
 * batch.c: one invocation, one write transaction.  Every record is tried
 * and every problem reported; then the batch is committed whole, or (on
 * any rejection without --keep-going, or with --dry-run) nothing is.
 * When the map fills up, the transaction is aborted, the map grown and
 * the whole batch replayed from the first record.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ims.h"

struct run {
	struct ims_batch *b;
	struct ims_reader *rd;
	FILE *rejects;
	long nrec, posted, skipped, rejected;
	long quiet_until;	/* records already reported by a replay */
	struct ims_rec tmp;
	struct ims_buf line;
	double started, shown;
	int progress, upgraded;
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

/* A rejected record goes to --rejects with its error and line added;
 * one that could not be parsed goes as its raw text. */
static void
write_reject(struct run *r, const struct ims_rec *rec, const char *why)
{
	struct ims_rec *t = &r->tmp;
	char line[32];

	if (!r->rejects)
		return;
	ims_rec_reset(t);
	if (rec->error) {
		ims_rec_adds(t, "text", rec->text.p ? rec->text.p : "");
	} else {
		for (size_t i = 0; i < rec->nf; i++)
			ims_rec_add(t, rec->f[i].name, rec->f[i].val,
			    rec->f[i].len, rec->f[i].type);
	}
	ims_rec_adds(t, "error", why);
	snprintf(line, sizeof line, "%ld", rec->line);
	ims_rec_add(t, "line", line, strlen(line), IMS_F_NUM);
	if (strcmp(rec->file, "stdin") != 0)
		ims_rec_adds(t, "file", rec->file);
	r->line.n = 0;
	ims_rec_to_json(t, &r->line);
	ims_buf_addc(&r->line, '\n');
	fwrite(r->line.p, 1, r->line.n, r->rejects);
}

#define MAX_MESSAGES 100	/* then the rest go to --rejects only */

static void
reject(struct run *r, const struct ims_rec *rec, const char *why)
{
	r->rejected++;
	if (r->nrec > r->quiet_until && r->rejected <= MAX_MESSAGES)
		ims_warn("%s:%ld: %s", rec->file, rec->line, why);
	if (r->nrec > r->quiet_until && r->rejected == MAX_MESSAGES + 1)
		ims_warn("more rejected records are not shown%s",
		    r->rejects ? ": see --rejects" : "");
	write_reject(r, rec, why);
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
			reject(r, rec, rec->error);
			continue;
		}
		rc = r->b->record(r->b, rec);
		if (rc == IMS_OK)
			r->posted++;
		else if (rc == IMS_EREJECT)
			reject(r, rec, ims_errmsg());
		else if (rc == IMS_ESKIP) {
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

/* Echo what was committed, from a fresh read transaction. */
static int
echo_committed(struct run *r, struct ims_store *s)
{
	struct ims_txn *t;
	int rc;

	if (ims_opt.quiet || !r->b->echo)
		return IMS_OK;
	if ((rc = ims_txn_begin(s, 0, &t)))
		return rc;
	rc = echo(r, t);
	ims_txn_abort(t);
	return rc;
}

static int
finish(struct run *r, struct ims_store *s, struct ims_txn *t)
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
	if ((rc = ims_journal_end(b->journal))) {
		ims_txn_abort(t);
		return rc;
	}
	if ((rc = ims_txn_commit(t)))
		return rc;
	b->txn = NULL;
	return echo_committed(r, s);
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
	if ((rc = each_record(r)))
		goto out;
	rc = finish(r, s, t);
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

static int
setup(struct run *r, int nfiles, char **files)
{
	r->rd = ims_reader_open(files, nfiles, ims_opt.in_fmt, 1);
	if (!r->rd)
		return ims_seterr(IMS_ESTORE, "out of memory");
	if (ims_opt.rejects && !(r->rejects = fopen(ims_opt.rejects, "w")))
		return ims_seterr(IMS_ESTORE, "%s: %s",
		    ims_q(ims_opt.rejects), strerror(errno));
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
	ims_store_close(s);
	status = rc ? IMS_EXIT_STORE : r.rejected ? IMS_EXIT_REJECT : 0;
	return ims_finish(status);
}

/* The echo of a command that posts entries: what it posted, from the
 * journal. */
int
ims_echo_entries(struct ims_batch *b, struct ims_txn *t, struct ims_out *o)
{
	return ims_print_entries(t, o, b->first_seq, b->last_seq);
}

/* A batch's record callback for movements; b->arg points at the kind. */
int
ims_post_record(struct ims_batch *b, struct ims_rec *r)
{
	struct ims_move m;
	int rc;

	if ((rc = ims_move_parse(&m, r, *(int *)b->arg)))
		return rc;
	return ims_post(b->journal, &m, NULL);
}

/* The whole of a command that posts movements of one kind (receipts,
 * transfers, restored entries): options, the batch, the echo. */
int
ims_post_main(int kind, const char *doc, int argc, char **argv)
{
	struct argp argp = { NULL, NULL, "[FILE...]", doc, ims_argp_children,
		NULL, NULL };
	struct ims_batch b = { .cols = ims_move_cols, .record = ims_post_record,
		.echo = ims_echo_entries, .arg = &kind };
	int idx;

	ims_init(argc, argv);
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	return ims_batch_run(&b, argc - idx, argv + idx);
}
