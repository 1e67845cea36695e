#!/bin/sh
# Backdated movements: accepted when no internal balance goes negative at
# any moment after them, rejected naming the moment otherwise; the ledger
# and --as-of order movements by (ts, seq).
. "$(dirname "$0")/lib.sh"
plan 43
setup_master
t1=2026-11-01T10:00:00Z t2=2026-11-02T10:00:00Z t3=2026-11-03T10:00:00Z

cat >a.ndjson <<X
{"sku":"A-100","qty":10,"location":"WH1/A/01","ts":"$t1"}
X
cat >b.ndjson <<X
{"sku":"A-100","qty":10,"from":"WH1/A/01","to":"@customer","ts":"$t3"}
X
ims-receive -q a.ndjson && ims-move -q b.ndjson
ok "receive 10 at t1, ship 10 at t3"

printf '{"sku":"A-100","qty":5,"from":"WH1/A/01","to":"WH1/A/02","ts":"%s"}\n' \
	"$t2" >late.ndjson
rejects "a move of 5 at t2 would leave -5 from t3 on" \
	"^ims-move: late\\.ndjson:1: .*\"A-100\".*\"WH1/A/01\".*$t3" \
	ims-move late.ndjson
like "backdated" "$T/err" "and says it is backdated"

printf '{"sku":"A-100","qty":5,"from":"WH1/A/01","to":"WH1/A/02"}\n' >now.ndjson
rejects "the same move now" \
	'now\.ndjson:1: not enough stock of "A-100" at "WH1/A/01": 5 wanted, 0 available' \
	ims-move now.ndjson

printf '{"sku":"A-100","qty":5,"location":"WH1/A/01","ts":"2026-10-01T00:00:00Z"}\n' \
	>early.ndjson
check_rc 0 "a receipt backdated before everything" ims-receive early.ndjson
check_rc 0 "now the move at t2 is fine" ims-move late.ndjson
like "\"ts\":\"$t2\",\"type\":\"move\"" "$T/out" "posted at t2"

ims-report ledger >l.out
is "$(jfield seq <l.out | tr '\n' ' ')" "13 11 14 12 " "the ledger in (ts, seq) order (after 10 master entries)"
is "$(jfield ts <l.out | sort -c && echo sorted)" sorted "ts never goes back"
is "$(ims-report onhand | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/02 - 5.000;" "now: 5 in WH1/A/02, WH1/A/01 empty"
is "$(ims-report onhand --as-of 2026-10-15 | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/01 - 5.000;" "as of mid-October"
is "$(ims-report onhand --as-of $t1 | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/01 - 15.000;" "as of t1, t1 included"
is "$(ims-report onhand --as-of 2026-11-01T09:59:59Z | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/01 - 5.000;" "a second before t1"
is "$(ims-report onhand --as-of 2026-11-02T12:00:00+02:00 | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/01 - 10.000;A-100 WH1/A/02 - 5.000;" \
	"as of t2 (named in another zone)"
is "$(ims-report onhand --as-of 2026-09-01 | wc -l | tr -d ' ')" 0 \
	"before anything: nothing"

# a dip in the middle: +10 at t1, +10 at t3; 15 out at t2 is too much then,
# though there are 20 now
printf '{"sku":"K-1","qty":10,"location":"WH1/B/01","ts":"%s"}\n{"sku":"K-1","qty":10,"location":"WH1/B/01","ts":"%s"}\n' \
	"$t1" "$t3" | ims-receive -q
ok "K-1: 10 at t1, 10 more at t3"
printf '{"sku":"K-1","qty":15,"from":"WH1/B/01","to":"@customer","ts":"%s"}\n' \
	"$t2" >dip.ndjson
rejects "15 out at t2, with 10 there then" \
	"dip\\.ndjson:1: backdated: .*\"K-1\" at \"WH1/B/01\" would go negative at $t2" \
	ims-move dip.ndjson
printf '{"sku":"K-1","qty":10,"from":"WH1/B/01","to":"@customer","ts":"%s"}\n' \
	"$t2" >dip10.ndjson
check_rc 0 "10 out at t2 is fine" ims-move dip10.ndjson
printf '{"sku":"K-1","qty":0.001,"from":"WH1/B/01","to":"@customer","ts":"2026-11-02T11:00:00Z"}\n' \
	>dip1.ndjson
rejects "and now nothing more may leave between t2 and t3" \
	"dip1\\.ndjson:1: backdated: .* would go negative at 2026-11-02T11:00:00Z" \
	ims-move dip1.ndjson
printf '{"sku":"K-1","qty":10,"from":"WH1/B/01","to":"@customer","ts":"%s"}\n' \
	"$t3" >at3.ndjson
check_rc 0 "at t3 the 10 that came in may leave" ims-move at3.ndjson

# backdated within one batch, and a receipt that arrives late in the batch
cat >batch.ndjson <<'X'
{"sku":"A-100","qty":5,"from":"WH1/A/02","to":"WH1/B/01","ts":"2026-11-20T10:00:00Z"}
{"sku":"A-100","qty":5,"from":"WH1/B/01","to":"@customer","ts":"2026-11-10T10:00:00Z"}
X
rejects "a shipment backdated before the stock arrived, in one batch" \
	'batch\.ndjson:2: .*"A-100".*"WH1/B/01"' ims-move batch.ndjson
cat >batch2.ndjson <<'X'
{"sku":"A-100","qty":5,"from":"WH1/A/02","to":"WH1/B/01","ts":"2026-11-10T10:00:00Z"}
{"sku":"A-100","qty":5,"from":"WH1/B/01","to":"@customer","ts":"2026-11-20T10:00:00Z"}
{"sku":"A-100","qty":2,"location":"WH1/B/01","ts":"2026-11-15T10:00:00Z"}
X
head -2 batch2.ndjson >b2.ndjson
check_rc 0 "in time order it is fine" ims-move b2.ndjson
tail -1 batch2.ndjson >b3.ndjson
check_rc 0 "a receipt between them afterwards" ims-receive b3.ndjson
is "$(ims-report onhand --as-of 2026-11-16 --sku A-100 | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/B/01 - 7.000;" "shows as of its moment"

# the same moment twice: (ts, seq) decides
printf '{"sku":"K-1","qty":1,"location":"WH1/A/01","ts":"2026-11-05T00:00:00Z","note":"first"}\n{"sku":"K-1","qty":1,"from":"WH1/A/01","to":"@customer","ts":"2026-11-05T00:00:00Z","note":"second"}\n' \
	>same.ndjson
head -1 same.ndjson | ims-receive -q && tail -1 same.ndjson | ims-move -q
ok "a receipt and a shipment at the same second"
is "$(ims-report ledger --since 2026-11-05 --until 2026-11-05T00:00:00Z | jfield note | tr '\n' ' ')" \
	"first second " "in the order they were posted"

# two ways to the same answer: --as-of T against the ledger --until T
fail=0
for t in 2026-10-01 $t1 2026-11-01T09:59:59Z $t2 2026-11-02T11:00:00Z $t3 \
    2026-11-15 2026-11-20T10:00:00Z 2026-11-27; do
	a=$(ims-report onhand --as-of "$t" | onhand_balances)
	# --until a bare date takes the whole day; --as-of, its midnight
	case $t in ????-??-??) t=${t}T00:00:00Z ;; esac
	b=$(ims-report ledger --until "$t" | ledger_balances)
	[ "$a" = "$b" ] || { fail=1; echo "# differ at $t"; }
done
is "$fail" 0 "onhand --as-of T is the ledger --until T summed, at every moment"
is "$(ims-report onhand | onhand_balances)" "$(ims-report ledger | ledger_balances)" \
	"and now is the whole ledger summed"
done_testing
