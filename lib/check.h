/*
 * check.h: what ims-check's parts share.  Not for commands.
 */
#ifndef IMS_CHECK_H
#define IMS_CHECK_H

typedef void ims_diff_fn(void *arg, const char *what, const char *key,
    const char *stored, const char *expected);

/* check_order.c: orders and reservations */
struct ims_ocheck;
struct ims_ocheck *ims_ocheck_new(ims_diff_fn *diff, void *arg);
void ims_ocheck_free(struct ims_ocheck *c);
void ims_ocheck_entry(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r);
void ims_ocheck_ship(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r);
int ims_ocheck_run(struct ims_ocheck *c, struct ims_txn *t);
void ims_ocheck_po(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r);
void ims_ocheck_receipt(struct ims_ocheck *c, const struct ims_entry *e,
    const struct ims_rec *r);
int ims_ocheck_pos(struct ims_ocheck *c, struct ims_txn *t);

/* tpl.c: the barcodes table against the item and location records */
int ims_check_barcodes(struct ims_txn *t, struct ims_map *items,
    struct ims_map *locs, ims_diff_fn *diff, void *arg);

#endif
