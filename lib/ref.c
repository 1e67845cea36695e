/*
 * ref.c: refs, the idempotency keys.  A ref remembers the entry that
 * holds it and a fingerprint of the content it posted, so that running
 * a job again skips what it posted before, and a ref reused for other
 * content is refused, within one batch as across runs.  Refs are one
 * namespace across every command.
 */
#include <string.h>

#include "ims.h"
#include "journal.h"

#define REF_VAL (8 + IMS_FP_LEN)

/* A fingerprint: the first 128 bits of the SHA-256 of a canonical text,
 * as hex.  The caller builds the text from the fields that decide what
 * is stored, normalised. */
void
ims_fingerprint(const struct ims_buf *canon, char fp[IMS_FP_LEN + 1])
{
	char h[65];

	ims_sha256_hex(canon->p ? canon->p : "", canon->n, h);
	memcpy(fp, h, IMS_FP_LEN);
	fp[IMS_FP_LEN] = '\0';
}

/* A stored ref: the seq and the fingerprint, or "store damaged". */
int
ims_ref_decode(const struct ims_val *v, uint64_t *seq, const char **fp)
{
	if (v->n != REF_VAL)
		return ims_damaged("a ref of %zu "
		    "bytes, not %d", v->n, REF_VAL);
	*seq = ims_get_u64(v->p);
	*fp = (const char *)v->p + 8;
	return IMS_OK;
}

/* An entry posted before fingerprints (format 1) holds its ref with an
 * unknown fingerprint, which matches any content. */
static int
fp_unknown(const char *fp)
{
	for (int i = 0; i < IMS_FP_LEN; i++)
		if (fp[i] != '0')
			return 0;
	return 1;
}

/*
 * Claim ref for the entry about to be posted: one put that fails when
 * the ref is there already, instead of a look-up and a put.  Then the
 * same fingerprint is a skip (IMS_ESKIP), another one a conflict
 * (IMS_EREJECT) naming the entry that holds the ref.  A record rejected
 * after the claim must give the ref back (ims_del of k).
 */
int
ims_ref_claim(struct ims_journal *j, const char *ref, const char *fp,
    struct ims_key *k)
{
	unsigned char v[REF_VAL];
	struct ims_val have;
	const char *hfp = NULL;
	uint64_t seq = 0;
	int rc;

	ims_key_init(k);
	ims_key_str(k, ref);
	for (int i = 0; i < 8; i++)
		v[i] = j->next_seq >> (56 - 8 * i);
	if (fp && *fp)
		memcpy(v + 8, fp, IMS_FP_LEN);
	else
		memset(v + 8, '0', IMS_FP_LEN);
	rc = ims_put(j->t, IMS_DB_REFS, k, v, sizeof v, IMS_PUT_NEW);
	if (rc != IMS_ESKIP)
		return rc;
	if ((rc = ims_get(j->t, IMS_DB_REFS, k, &have)) ||
	    (rc = ims_ref_decode(&have, &seq, &hfp)))
		return rc;
	if (fp_unknown(hfp) || memcmp(hfp, v + 8, IMS_FP_LEN) == 0)
		return ims_seterr(IMS_ESKIP, "ref %s already posted as entry "
		    "%llu: skipped", ims_q(ref), (unsigned long long)seq);
	return ims_seterr(IMS_EREJECT, "ref %s is held by entry %llu, which "
	    "posted other content", ims_q(ref), (unsigned long long)seq);
}

/* A field of a fingerprint's canonical text: its name and value, each
 * ending in NUL, which no name or value holds (the reader refuses
 * \u0000).  A NULL value adds nothing. */
void
ims_canon_add(struct ims_buf *b, const char *name, const char *v)
{
	if (!v)
		return;
	ims_buf_add(b, name, strlen(name) + 1);
	ims_buf_add(b, v, strlen(v) + 1);
}
