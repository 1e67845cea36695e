#!/bin/sh
# ims-receive: posting, echo, refs, and the store untouched by bad input
. "$(dirname "$0")/lib.sh"
plan 9
setup_master

cat >r.ndjson <<'X'
{"sku":"A-100","qty":24,"location":"WH1/A/01","ref":"asn-1/1","ts":"2026-11-01T10:00:00Z"}
{"sku":"L-200","qty":12.5,"location":"WH1/A/02","lot":"L7","ref":"asn-1/2","ts":"2026-11-01T10:00:00Z"}
X
check_rc 0 "receive two lines" ims-receive r.ndjson
is "$(wc -l <"$T/out" | tr -d ' ')" 2 "echoes both movements"
like '"seq":12,"ts":"2026-11-01T10:00:00Z","type":"receive","sku":"L-200","qty":12.5' "$T/out" "the journal line"
like '"expiry":"2026-11-11"' "$T/out" "expiry from the item's shelf life"

before=$(snapshot)
check_rc 0 "the same refs again" ims-receive r.ndjson
like 'ref "asn-1/1" already posted as entry 11: skipped' "$T/err" "skip is reported"
is "$(snapshot)" "$before" "nothing posted twice"

printf 'sku,qty,location\nA-100,5,WH1/A/01\nA-100,x,WH1/A/01\n' >bad.csv
check_rc 1 "a bad line rejects the batch" ims-receive bad.csv
is "$(snapshot)" "$before" "store unchanged"
done_testing
