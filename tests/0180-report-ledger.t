#!/bin/sh
# ims-report ledger: the journal in (ts, seq) order, filtered by sku,
# zone and time; the same lines the posting commands echoed.
. "$(dirname "$0")/lib.sh"
plan 47
setup_master
ims-loc -q <<'X'
code,name,type
WH1/AB/01,bin,internal
X
# master data are entries too: movements' seqs start after them
BASE=$(ims-log | wc -l)
seqs() { jfield seq <"$T/out" | awk -v b="$BASE" '{ print $1 - b }' |
	tr '\n' ' '; }
check_rc 0 "an empty ledger" ims-report ledger
is "$(cat "$T/out")" "" "prints nothing"
check_rc 0 "an empty ledger as CSV" ims-report ledger -o csv
is "$(tr -d '\r' <"$T/out")" "seq,ts,type,sku,qty,from,to,lot,serial,expiry,unit_cost,ref,po,actor,note" \
	"prints the header"

cat >r.ndjson <<'X'
{"sku":"A-100","qty":10,"location":"WH1/A/01","ts":"2026-11-03T08:00:00Z","ref":"r-1"}
{"sku":"A-100","qty":10,"location":"WH1/AB/01","ts":"2026-11-03T08:00:00Z","ref":"r-2"}
{"sku":"K-1","qty":4,"location":"WH1/B/01","ts":"2026-11-05T08:00:00Z","ref":"r-3"}
X
ims-receive r.ndjson >echo1.out
cat >m.ndjson <<'X'
{"sku":"A-100","qty":3,"from":"WH1/A/01","to":"WH2/A/01","ts":"2026-11-04T08:00:00Z","ref":"m-1"}
{"sku":"K-1","qty":1,"from":"WH1/B/01","to":"@customer","ts":"2026-11-06T08:00:00Z","ref":"m-2"}
{"sku":"A-100","qty":2,"from":"WH1/AB/01","to":"@scrap","ts":"2026-11-06T08:00:00Z","ref":"m-3"}
X
ims-move m.ndjson >>echo1.out
printf '{"sku":"A-100","qty":5,"location":"WH1/A/02","ts":"2026-11-01T08:00:00Z","ref":"r-0"}\n' |
	ims-receive >>echo1.out
ok "receipts, moves, and a receipt backdated before them all"

check_rc 0 "ledger" ims-report ledger
is "$(seqs)" "7 1 2 4 3 5 6 " "in (ts, seq) order"
is "$(sort "$T/out")" "$(sort echo1.out)" "the lines the commands echoed, byte for byte"
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "r-0 r-1 r-2 m-1 r-3 m-2 m-3 " "refs kept"

check_rc 0 "--sku" ims-report ledger --sku K-1
is "$(seqs)" "3 5 " "one sku"
check_rc 0 "--location WH1/A" ims-report ledger --location WH1/A
is "$(seqs)" "7 1 4 " "into, out of, within the zone; not WH1/AB"
check_rc 0 "--location WH2" ims-report ledger --location WH2
is "$(seqs)" "4 " "a move into WH2"
check_rc 0 "--location WH1/AB/" ims-report ledger --location WH1/AB/
is "$(seqs)" "2 6 " "a zone with a trailing slash"
check_rc 0 "--location @customer" ims-report ledger --location @customer
is "$(seqs)" "5 " "a virtual location"
check_rc 0 "--since" ims-report ledger --since 2026-11-04T08:00:00Z
is "$(seqs)" "4 3 5 6 " "from a moment on, the moment included"
check_rc 0 "--until" ims-report ledger --until 2026-11-04T08:00:00Z
is "$(seqs)" "7 1 2 4 " "up to a moment, the moment included"
check_rc 0 "--since and --until" ims-report ledger --since 2026-11-03 --until 2026-11-05
is "$(seqs)" "1 2 4 3 " "a window of days (--until a date: that whole day)"
check_rc 0 "--until a date" ims-report ledger --until 2026-11-03
is "$(seqs)" "7 1 2 " "the whole of that day"
check_rc 0 "--as-of" ims-report ledger --as-of 2026-11-04T08:00:00Z
is "$(seqs)" "7 1 2 4 " "is --until for the ledger"
check_rc 0 "--since after --until" ims-report ledger --since 2026-11-06 --until 2026-11-02
is "$(cat "$T/out")" "" "is an empty window"
check_rc 0 "every filter" ims-report ledger --sku A-100 --location WH1 \
	--since 2026-11-02 --until 2026-11-06T08:00:00Z
is "$(seqs)" "1 2 4 6 " "together"
check_rc 0 "a zone in another time zone" ims-report ledger --until 2026-11-03T09:00:00+01:00
is "$(seqs)" "7 1 2 " "--until in +01:00"

check_rc 0 "-o csv" ims-report ledger -o csv --sku K-1
is "$(tr -d '\r' <"$T/out" | cut -d, -f1-8,12)" "seq,ts,type,sku,qty,from,to,lot,ref
14,2026-11-05T08:00:00Z,receive,K-1,4,'@supplier,WH1/B/01,,r-3
16,2026-11-06T08:00:00Z,ship,K-1,1,WH1/B/01,'@customer,,m-2" \
	"a row per movement (a cell starting with @ is neutralised)"
check_rc 0 "-o csv --raw" ims-report ledger -o csv --raw --sku K-1
like '^14,2026-11-05T08:00:00Z,receive,K-1,4,@supplier,WH1/B/01,' "$T/out" \
	"--raw: the virtual locations as they are"
check_rc 0 "-o table" ims-report ledger -o table --sku K-1
is "$(head -1 "$T/out")" "seq  ts                    type     sku  qty  from       to         unit_cost  ref  actor" \
	"a table header of the columns filled"
like '^ 16  2026-11-06T08:00:00Z  ship     K-1    1  WH1/B/01   @customer             m-2  tester$' \
	"$T/out" "rows aligned"

# the ledger summed by hand is onhand
is "$(ims-report onhand | onhand_balances)" "$(ims-report ledger | ledger_balances)" \
	"the ledger summed is onhand"
is "$(ims-report onhand --location WH1/A | onhand_balances)" \
	"$(ims-report ledger --location WH1/A | ledger_balances | grep ' WH1/A/')" \
	"also within a zone"
check_rc 2 "--since that is not a time" ims-report ledger --since today
check_rc 2 "--until without zone" ims-report ledger --until 2026-11-04T08:00
like 'a time needs its zone' "$T/err" "says so"
done_testing
