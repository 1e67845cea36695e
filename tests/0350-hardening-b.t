#!/bin/sh
# Hardening (issue 8, points 3, 4, 10 to 15): integer fields have ranges,
# a CSV header names the required fields, C1 control characters are
# control characters, the environment is checked, options that do not
# apply are usage errors, --until takes the whole day and ims-log says
# --after, messages say what is wrong, and the documents match.
. "$(dirname "$0")/lib.sh"
plan 20
setup_master

# --- 14: messages say what is wrong ---
check_rc 2 "a +25:00 offset" ims-report ledger --since 2026-11-01T00:00:00+25:00
like 'invalid zone offset' "$T/err" "+25:00: an invalid offset"
rejects "a ts with a +25:00 offset" 'stdin:1: ts "2026-11-01T10:00:00\+25:00": invalid zone offset' \
	ims-receive <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2026-11-01T10:00:00+25:00"}
X
check_rc 2 "a time without a zone" ims-report ledger --since 2026-11-01T00:00:00
like 'a time needs its zone' "$T/err" "no zone: says a time needs its zone"
rejects "too many decimals" 'stdin:1: qty "2\.5000000000000000000001": more than 3 decimals' \
	ims-receive <<'X'
{"sku":"A-100","qty":2.5000000000000000000001,"location":"WH1/A/01"}
X
rejects "too many decimals, in CSV" 'unit_cost "0\.10000000000000000000000001": more than 4 decimals' \
	ims-receive <<'X'
sku,qty,location,unit_cost
A-100,1,WH1/A/01,0.10000000000000000000000001
X
rejects "a ts in the future" 'stdin:1: ts "2027-01-01T00:00:00Z" is in the future' \
	ims-receive <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2027-01-01"}
X

done_testing
