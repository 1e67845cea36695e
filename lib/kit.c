/*
 * kit.c: kits, items made of other items.  An item's components are a
 * list of (sku, qty per kit), stored as a JSON array in the item record;
 * a kit has no stock of its own and is allocated and picked as its
 * components, exploded down to items that are not kits.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ims.h"

#define KIT_DEPTH 8		/* kits of kits, this deep at most */


/* One component into the normalised array, checked. */
static int
add_comp(struct ims_txn *t, struct ims_buf *b, const char *sku, size_t n,
    const char *qty, size_t qn)
{
	char s[IMS_ID_MAX + 1];
	struct ims_key k;
	struct ims_val v;
	const char *why;
	ims_dec q;
	int rc;

	if (n == 0 || n > IMS_ID_MAX)
		return ims_seterr(IMS_EREJECT, "components: a sku is empty or "
		    "too long");
	memcpy(s, sku, n);
	s[n] = '\0';
	if ((rc = ims_check_id("components: sku", s)))
		return rc;
	if ((why = ims_dec_parse(qty, qn, IMS_QTY, &q)))
		return ims_seterr(IMS_EREJECT, "components: qty of %s: %s",
		    ims_q(s), why);
	if (q <= 0)
		return ims_seterr(IMS_EREJECT, "components: qty of %s must be "
		    "positive", ims_q(s));
	ims_key_init(&k);
	ims_key_str(&k, s);
	if ((rc = ims_get(t, IMS_DB_ITEMS, &k, &v)) == IMS_ENOTFOUND)
		return ims_seterr(IMS_EREJECT, "components: unknown sku %s",
		    ims_q(s));
	if (rc)
		return rc;
	ims_buf_adds(b, b->n > 1 ? ",{" : "{");
	ims_buf_json_str(b, "sku", 3);
	ims_buf_addc(b, ':');
	ims_buf_json_str(b, s, n);
	ims_buf_kv_raw(b, "qty", ims_fmtq(q));
	ims_buf_addc(b, '}');
	return IMS_OK;
}

struct comp_arg {
	struct ims_txn *t;
	struct ims_buf *b;
};

static int
comp_pair(void *arg, const char *sku, size_t n, const char *qty, size_t qn)
{
	struct comp_arg *a = arg;

	return add_comp(a->t, a->b, sku, n, qty, qn);
}

static int
parse_array(struct ims_txn *t, const char *s, size_t n, struct ims_buf *b)
{
	cJSON *a = cJSON_ParseWithLength(s, n), *c;
	int rc = IMS_OK;

	if (!cJSON_IsArray(a))
		rc = ims_seterr(IMS_EREJECT, "components must be an array of "
		    "{\"sku\",\"qty\"} or SKU:QTY,...");
	cJSON_ArrayForEach(c, a) {
		cJSON *sku = cJSON_GetObjectItemCaseSensitive(c, "sku");
		cJSON *qty = cJSON_GetObjectItemCaseSensitive(c, "qty");
		char *qt, *printed = NULL;

		if (rc)
			break;
		if (!cJSON_IsString(sku) || !(cJSON_IsNumber(qty) ||
		    cJSON_IsString(qty))) {
			rc = ims_seterr(IMS_EREJECT, "components: each needs a "
			    "sku and a qty");
			break;
		}
		/* cJSON allocates through the record reader's hooks:
		 * what it prints is given back with cJSON_free */
		qt = cJSON_IsString(qty) ? qty->valuestring :
		    (printed = cJSON_PrintUnformatted(qty));
		rc = qt ? add_comp(t, b, sku->valuestring,
		    strlen(sku->valuestring), qt, strlen(qt)) :
		    ims_seterr(IMS_ESTORE, "out of memory");
		cJSON_free(printed);
	}
	cJSON_Delete(a);
	return rc;
}

/* An item's components as a record gives them (a JSON array, or text
 * from CSV), checked and normalised into b as a JSON array. */
int
ims_kit_parse(struct ims_txn *t, const struct ims_field *f, struct ims_buf *b)
{
	int rc;

	b->n = 0;
	ims_buf_addc(b, '[');
	if (f->type == IMS_F_RAW)
		rc = parse_array(t, f->val, f->len, b);
	else if (f->type == IMS_F_STR)
		rc = ims_each_pair(f->val, "components", "SKU:QTY", comp_pair,
		    &(struct comp_arg){ t, b });
	else
		rc = ims_seterr(IMS_EREJECT, "components must be an array of "
		    "{\"sku\",\"qty\"} or SKU:QTY,...");
	ims_buf_addc(b, ']');
	if (!rc && b->n == 2)
		rc = ims_seterr(IMS_EREJECT, "components: the list is empty");
	return rc;
}

struct explode {
	struct ims_txn *t;
	const char *root;
	struct ims_comp *out;
	int n;
	char **names;		/* the skus it found, owned */
	int nnames;
};

static int explode_json(struct explode *x, const char *json, size_t n,
    ims_dec per, int depth);

/* Add per of sku (a leaf) to the list, or explode it further. */
static int
explode_sku(struct explode *x, const char *sku, ims_dec per, int depth)
{
	struct ims_rec r = { 0 };
	const struct ims_field *f;
	int rc;

	if (strcmp(sku, x->root) == 0)
		return ims_seterr(IMS_EREJECT, "kit %s contains itself",
		    ims_q(x->root));
	if ((rc = ims_master_get(x->t, &ims_item_schema, sku, &r)))
		goto out;
	if ((f = ims_rec_field(&r, "components")) && f->type == IMS_F_RAW) {
		rc = explode_json(x, f->val, f->len, per, depth + 1);
		goto out;
	}
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->out[i].sku, sku) == 0) {
			rc = ims_dec_add(x->out[i].per, per, &x->out[i].per) ?
			    ims_seterr(IMS_EREJECT, "kit %s: too many of %s",
			    ims_q(x->root), ims_q(sku)) : IMS_OK;
			goto out;
		}
	if (x->n == IMS_COMP_MAX) {
		rc = ims_seterr(IMS_EREJECT, "kit %s has more than %d "
		    "components", ims_q(x->root), IMS_COMP_MAX);
		goto out;
	}
	x->names = realloc(x->names, (x->nnames + 1) * sizeof *x->names);
	if (!x->names || !(x->names[x->nnames] = strdup(sku))) {
		rc = ims_seterr(IMS_ESTORE, "out of memory");
		goto out;
	}
	x->out[x->n].sku = x->names[x->nnames++];
	x->out[x->n].per = per;
	x->out[x->n].reserved = x->out[x->n].shipped = 0;
	x->n++;
out:
	ims_rec_free(&r);
	return rc;
}

/* The (sku, qty) pairs of a components array, copied out: cJSON's
 * nodes live in the record reader's arena, which the next record read
 * (an item looked up below) resets. */
struct pair {
	char sku[IMS_ID_MAX + 1];
	ims_dec qty;
};

static int
pairs(struct explode *x, const char *json, size_t n, ims_dec per,
    struct pair **out, int *np)
{
	cJSON *a = cJSON_ParseWithLength(json, n), *c;
	struct pair *v;
	int rc = IMS_OK, k = 0;

	*out = NULL, *np = 0;
	if (!a || !(v = calloc(cJSON_GetArraySize(a) + 1, sizeof *v))) {
		cJSON_Delete(a);
		return ims_seterr(a ? IMS_ESTORE : IMS_EREJECT, "kit %s: its "
		    "components are damaged", ims_q(x->root));
	}
	cJSON_ArrayForEach(c, a) {
		cJSON *sku = cJSON_GetObjectItemCaseSensitive(c, "sku");
		char *qt = cJSON_PrintUnformatted(
		    cJSON_GetObjectItemCaseSensitive(c, "qty"));
		ims_dec q;

		if (!cJSON_IsString(sku) || !qt ||
		    strlen(sku->valuestring) > IMS_ID_MAX ||
		    ims_dec_parse(qt, strlen(qt), IMS_QTY, &q) ||
		    ims_dec_mul(q, IMS_QTY, per, IMS_QTY, IMS_QTY, &v[k].qty))
			rc = ims_seterr(IMS_EREJECT, "kit %s: a component is "
			    "damaged or too large", ims_q(x->root));
		else
			strcpy(v[k++].sku, sku->valuestring);
		cJSON_free(qt);
		if (rc)
			break;
	}
	cJSON_Delete(a);
	*out = v, *np = k;
	return rc;
}

static int
explode_json(struct explode *x, const char *json, size_t n, ims_dec per,
    int depth)
{
	struct pair *v;
	int rc, np;

	if (depth > KIT_DEPTH)
		return ims_seterr(IMS_EREJECT, "kit %s: kits nest deeper than "
		    "%d (or contain themselves)", ims_q(x->root), KIT_DEPTH);
	rc = pairs(x, json, n, per, &v, &np);
	for (int i = 0; !rc && i < np; i++)
		rc = explode_sku(x, v[i].sku, v[i].qty, depth);
	free(v);
	return rc;
}

/*
 * The leaf components of kit sku, whose components (JSON array) are
 * json, into out (at most IMS_COMP_MAX): how many of each one kit takes.
 * A kit that contains itself, at any depth, is refused.  The names
 * point into *names, which the caller frees with ims_kit_free.
 */
int
ims_kit_explode(struct ims_txn *t, const char *sku, const char *json,
    size_t n, struct ims_comp *out, int *nout, char ***names, int *nnames)
{
	struct explode x = { t, sku, out, 0, NULL, 0 };
	int rc = explode_json(&x, json, n, 1000, 0);

	*nout = x.n;
	*names = x.names;
	*nnames = x.nnames;
	return rc;
}

void
ims_kit_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
