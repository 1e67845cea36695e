/*
 * fuzz.h: what the libFuzzer harnesses of tests/fuzz/ share: failing
 * loudly, feeding an input to the reader as a file, an independent
 * strict JSON reader, and the record properties.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "ims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property: say what, then abort so that libFuzzer keeps the
 * input as a crash. */
void fuzz_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* The bytes as the content of a scratch file (slot 0 or 1) in /dev/shm;
 * returns its name. */
char *fuzz_file(int slot, const void *p, size_t n);

/* Well-formed UTF-8, by a second hand: no overlongs, no surrogates. */
int fuzz_utf8(const unsigned char *p, size_t n);

/* One member of a JSON object, as the reference reads it. */
enum { J_STR, J_NUM, J_BOOL, J_NULL, J_RAW };
struct jmem {
	char *name, *val;	/* decoded name; decoded string or raw text */
	size_t namelen, vallen;
	int kind;
};
struct jobj {
	struct jmem *m;
	size_t n, cap;
};

/* Read s as RFC 8259 JSON: 1 an object (members in o), 0 some other
 * value, -1 not JSON, -2 JSON past what cJSON takes (nesting deeper
 * than 900, a lone surrogate), -3 JSON with a string that holds \u0000
 * (which ims rejects: C strings would cut it). */
int fuzz_json(const char *s, size_t n, struct jobj *o);
void fuzz_jobj_free(struct jobj *o);

/* Do a record and the reference's object hold the same fields? NULL or
 * what differs. */
const char *fuzz_same_obj(const struct ims_rec *r, const struct jobj *o);

/* The record properties: rendered as JSON it is strict JSON that reads
 * back the same; written as CSV it reads back the same values. */
void fuzz_check_json_trip(const struct ims_rec *r);
void fuzz_check_csv_trip(const struct ims_rec *r);

/* A record's whole content as bytes, to compare a replay. */
void fuzz_rec_bytes(const struct ims_rec *r, struct ims_buf *b);

/* Read a file twice, the second time after ims_reader_rewind, and check
 * that both passes give the same records.  Calls each(r, arg) for every
 * record of the first pass. */
void fuzz_read_twice(const char *path, int fmt,
    void (*each)(const struct ims_rec *r, void *arg), void *arg);

#endif
