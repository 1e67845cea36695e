/*
 * journal.h: the internals of an open journal, shared by the files that
 * post entries (journal.c and each kind's file).  Not for commands.
 */
#ifndef IMS_JOURNAL_H
#define IMS_JOURNAL_H

struct ims_journal {
	struct ims_txn *t;
	const char *actor;
	ims_time now;
	uint64_t next_seq, first_seq;
	ims_time max_ts;
	char head[65];			/* hash of the last entry */
	struct ims_buf json, val;	/* the entry being posted */
	struct ims_rec tmp;
	struct ims_map *items, *locs;	/* movements' look-ups */
};

void ims_entry_open(struct ims_journal *j, ims_time ts);
int ims_journal_append(struct ims_journal *j, struct ims_entry *e,
    const char *want);
int ims_journal_restore_check(struct ims_journal *j, uint64_t seq,
    const char *hash);
void ims_move_forget(struct ims_journal *j, int kind);

#endif
