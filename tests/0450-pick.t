#!/bin/sh
# ims-pick: orders, allocation (FEFO, FIFO, strategies), shortages and
# backorders, holds, pick lists and waves, confirm, cancel, kits, serials,
# reservations that no withdrawal may take, and ims-check over all of it.
. "$IMS_TOP/tests/lib.sh"

setup_master
ims-item -q <<'X'
sku,name,track,unit_cost,components,min_shelf_days
B-1,bolt,none,1,,
N-1,nut,none,0.1,,
KIT-1,bolt and two nuts,none,,"B-1:1,N-1:2",
M-1,yoghurt,lot,0.5,,5
X
ims-loc -q <<'X'
code,type,pick_seq
WH1/A/01,internal,30
WH1/A/02,internal,10
WH1/B/01,internal,
X
zero_diff() { # zero_diff DESC: ims-check finds nothing
	ims-check >"$T/chk" 2>&1
	is "$?" 0 "$1: ims-check passes"
	like ' 0 differences' "$T/chk" "$1: 0 differences"
}
col() { # col NAME: a field of every line of $T/out
	jfield "$1" <"$T/out" | tr '\n' ' '
}
ims-receive -q <<'X'
sku,qty,location,ts,lot,expiry
B-1,5,WH1/A/01,2026-11-01,,
B-1,5,WH1/A/02,2026-11-02,,
B-1,5,TRANSIT/WH1-WH2,2026-10-01,,
N-1,100,WH1/B/01,2026-11-01,,
M-1,4,WH1/A/01,2026-11-01,L-LATE,2026-12-20
M-1,4,WH1/A/02,2026-11-01,L-SOON,2026-12-10
M-1,4,WH1/A/02,2026-11-01,L-OLD,2026-11-20
M-1,4,WH1/B/01,2026-11-01,L-EDGE,2026-11-30
X

# FIFO across locations, in walking order; FEFO across lots, an expired
# lot and one inside min_shelf_days never taken; transit never.
printf 'order,sku,qty\nO1,B-1,7\nO1,M-1,5\n' >o1.csv
check_rc 0 "an order that can be served" ims-pick o1.csv
is "$(col location)" "WH1/A/02 WH1/A/02 WH1/A/01 WH1/A/01 " \
    "pick list in walking order: pick_seq 10 before 30"
is "$(col qty)" "2 4 5 1 " "FIFO: the older bin's 5 first; FEFO: L-SOON whole"
is "$(col lot)" " L-SOON  L-LATE " "FEFO skips L-OLD (expired) and L-EDGE (shelf)"
ims-report onhand --sku B-1 >"$T/out"
is "$(col allocated)" "0 5 2 " "onhand shows allocated (transit, A/01, A/02)"
is "$(col available)" "5 0 3 " "and available"
zero_diff "after allocation"

# a move may not take reserved stock
printf 'sku,qty,from,to\nB-1,1,WH1/A/01,WH1/B/01\n' >mv.csv
rejects "move of reserved stock" 'mv.csv:2: .*not enough stock.*reserved' \
    ims-move mv.csv

# whole orders or nothing; shortages; exit 1; others still served
printf 'order,sku,qty\nO2,B-1,2\nO2,N-1,1\nO3,B-1,5\n' >o2.csv
check_rc 1 "a short order: exit 1" ims-pick --shortages o2.csv
is "$(col order)" "O3 " "the short line is printed"
is "$(col short)" "5 " "short 5 (3 available, all or nothing)"
ims-report orders --open >"$T/out"
is "$(col order)" "O1 O1 O2 O2 O3 " "open lines: O1, O2, O3"
is "$(col status)" "allocated allocated allocated allocated open " \
    "O2 served, O3 a backorder"

# --retry serves the backorder after a receipt
printf 'sku,qty,location\nB-1,10,WH1/B/01\n' | ims-receive -q
check_rc 0 "retry" ims-pick --retry
is "$(col order | tr ' ' '\n' | sort -u | tr -d '\n')" "O3" \
    "the backorder is allocated"
zero_diff "after retry"

# --partial; --all-or-nothing
printf 'order,sku,qty\nO4,B-1,100\n' >o4.csv
check_rc 1 "partial: still exit 1" ims-pick --partial -q o4.csv
ims-report orders --sku B-1 --open >"$T/out"
like '"order":"O4".*"allocated":6,.*"open":94' "$T/out" \
    "partial allocates what there is (5 at B/01, 1 at A/02)"
printf 'order,sku,qty\nO5,N-1,1\nO6,B-1,1\n' >o5.csv
check_rc 1 "all-or-nothing: a shortage" ims-pick --all-or-nothing -q o5.csv
ims-report orders --open >"$T/out"
like '"order":"O5".*"allocated":0' "$T/out" "all-or-nothing: nothing allocated"

# priorities: the higher first
printf 'sku,qty,location\nN-1,1,WH1/A/02\n' | ims-receive -q
printf 'order,sku,qty,priority,location\nP1,N-1,1,1,WH1/A\nP2,N-1,1,5,WH1/A\n' >p.csv
check_rc 1 "priority" ims-pick -q p.csv
ims-report orders >"$T/out"
like '"order":"P2".*"status":"allocated"' "$T/out" "priority 5 served first"
like '"order":"P1".*"status":"open"' "$T/out" "priority 1 waits"

# wave merging
printf 'order,sku,qty\nW1,N-1,2\nW2,N-1,3\n' >w.csv
check_rc 0 "wave" ims-pick --wave w.csv
like '"sku":"N-1","location":"WH1/B/01","qty":5,"orders":\["W1","W2"\]' \
    "$T/out" "a wave line serves both orders"

# confirm: as allocated, a short pick, another location
printf 'order\nO2\n' >c.csv
check_rc 0 "confirm an order" ims-pick --confirm c.csv
is "$(col type | tr -s ' ')" "ship ship " "two shipments"
check_rc 0 "confirm again: skipped" ims-pick --confirm c.csv
like 'shipped already' "$T/err" "says so"
printf 'order,sku,location,qty\nO1,B-1,WH1/A/01,4\n' >s.csv
check_rc 0 "short pick accepted" ims-pick --confirm s.csv
like 'short pick.*1 still reserved' "$T/err" "and reported"
printf 'sku,qty,location\nB-1,3,WH1/B/01\n' | ims-receive -q
printf 'order,sku,location,qty\nO1,B-1,WH1/B/01,3\n' >x.csv
check_rc 0 "picked from another location" ims-pick --confirm x.csv
ims-report orders --sku B-1 >"$T/out"
like '"order":"O1".*"wanted":7,"allocated":0,"shipped":7' "$T/out" \
    "the reservation moved: O1 shipped whole"
zero_diff "after confirms"
printf 'order,sku,location,qty\nO3,B-1,WH1/B/01,6\n' >big.csv
rejects "confirm more than allocated" 'big.csv:2: .*5 is allocated' \
    ims-pick --confirm big.csv
printf 'order,sku,location,qty\nO3,N-1,WH1/B/01,1\n' >ns.csv
rejects "confirm a sku the order lacks" 'ns.csv:2: .*no line for sku' \
    ims-pick --confirm ns.csv
printf 'order\nNOPE\n' >un.csv
rejects "confirm an unknown order" 'un.csv:2: unknown order' \
    ims-pick --confirm un.csv

# cancel
check_rc 0 "cancel" ims-pick --cancel O3
ims-report orders >"$T/out"
like '"order":"O3".*"status":"cancelled"' "$T/out" "O3 cancelled"
ims-pick --list >"$T/out"
is "$(grep -c '"order":"O3"' "$T/out")" 0 "its reservations released"
rejects "cancel a shipped order" 'O2.*shipped' ims-pick --cancel O2
rejects "cancel an unknown order" 'unknown order' ims-pick --cancel NOPE
zero_diff "after cancel"

# holds that time out
printf 'order,sku,qty,hold\nH1,N-1,4,30m\n' | ims-pick -q
IMS_NOW=2026-11-27T13:00:00Z ims-pick --expire >"$T/out" 2>"$T/err"
like 'released 1 lapsed hold' "$T/err" "the lapsed hold is released"
ims-report orders >"$T/out"
like '"order":"H1".*"status":"expired"' "$T/out" "its line is closed as expired"
ims-log | grep '"kind":"release"' | tail -1 >"$T/out"
like '"reason":"expired"' "$T/out" "a release entry with the reason"

# a hold on a line that got nothing lapses too; one lapsed already is
# never served; what was reserved before a moment shows --as-of it
printf 'order,sku,qty,hold\nH2,B-1,1000,1h\n' | ims-pick -q 2>/dev/null
IMS_NOW=2026-11-27T14:00:00Z ims-pick --expire -q
ims-report orders >"$T/out"
like '"order":"H2".*"status":"expired"' "$T/out" "a short line's hold lapses"
printf 'order,sku,qty,expires\nH3,N-1,1,2026-11-27T11:00:00Z\n' >h3.csv
check_rc 0 "an order whose hold lapsed already" ims-pick -q h3.csv
ims-report orders >"$T/out"
like '"order":"H3".*"allocated":0,.*"status":"expired"' "$T/out" \
    "is closed, not served"
ims-log | grep -c '"op":"expire"' >"$T/out"
like '^2$' "$T/out" "each closed by an entry of op expire"
printf 'order,sku,qty\nAS,N-1,2\n' | IMS_NOW=2026-11-27T15:00:00Z ims-pick -q
ims-report onhand --sku N-1 --location WH1/B --as-of 2026-11-27T14:30:00Z \
    >"$T/before"
ims-report onhand --sku N-1 --location WH1/B --as-of 2026-11-27T15:00:00Z \
    >"$T/after"
a=$(jfield allocated <"$T/before") b=$(jfield allocated <"$T/after")
is "$(echo "$b - $a" | bc)" 2 "--as-of: allocated as it stood at each moment"
printf 'order\nAS\n' >as.csv
printf 'order,sku,qty\nQS,B-1,1000\n' >qs.csv
check_rc 1 "-q --shortages with a short line" ims-pick -q --shortages qs.csv
check_rc 2 "--retry with a file" ims-pick --retry as.csv
check_rc 2 "--list with a file" ims-pick --list as.csv
printf 'order,ref\nAS,conf-1\n' >cr.csv
check_rc 0 "confirm with a ref" ims-pick --confirm -q cr.csv
check_rc 0 "the same confirm again" ims-pick --confirm cr.csv
like 'skipped' "$T/err" "is skipped"
printf 'order,sku\nNOQ,B-1\n' >nq.csv
rejects "an order file without qty" 'qty' ims-pick nq.csv

# kits: allocated as components, whole kits only
printf 'order,sku,qty\nK1,KIT-1,3\n' >k.csv
check_rc 0 "a kit order" ims-pick k.csv
sums=$(awk '{ match($0, /"sku":"[^"]*"/); s = substr($0, RSTART + 7,
    RLENGTH - 8); match($0, /"qty":[0-9.]*/); q[s] += substr($0, RSTART + 6,
    RLENGTH - 6) } END { for (k in q) print k, q[k] }' "$T/out" | sort |
    tr '\n' ' ')
is "$sums" "B-1 3 N-1 6 " "picked as its components: a bolt, two nuts a kit"
printf 'order,sku,qty\nK2,KIT-1,1.5\n' >k2.csv
rejects "half a kit" 'k2.csv:2: .*whole number of kits' ims-pick k2.csv
printf 'order\nK1\n' | ims-pick --confirm -q
ims-report orders >"$T/out"
like '"order":"K1".*"shipped":3,"open":0,"status":"shipped"' "$T/out" \
    "the kit line is shipped"
rejects "a kit that contains itself" 'contains itself' \
    ims-item <<'X'
sku,components
N-1,KIT-1:1
X
printf 'sku,qty,location\nKIT-1,1,WH1/A/01\n' >kr.csv
rejects "a kit holds no stock" 'kr.csv:2: .*kit' ims-receive kr.csv

# serials: the pick list names them; shipping removes exactly those
printf 'sku,qty,location,serial\nS-300,1,WH1/A/01,SN1\nS-300,1,WH1/A/01,SN2\n' |
    ims-receive -q
printf 'order,sku,qty\nSN,S-300,1\n' >sn.csv
check_rc 0 "a serial order" ims-pick sn.csv
is "$(col serial)" "SN1 " "the pick list names the serial"
printf 'order\nSN\n' | ims-pick --confirm -q
ims-report onhand --sku S-300 >"$T/out"
is "$(col serial)" "SN2 " "SN1 left stock, SN2 did not"
# another serial picked than the one reserved: the release names it a serial
printf 'sku,qty,location,serial\nS-300,1,WH1/A/01,SN3\n' | ims-receive -q
printf 'order,sku,qty\nSN-2,S-300,1\n' | ims-pick -q
printf 'order,sku,location,serial,qty\nSN-2,S-300,WH1/A/01,SN3,1\n' >sub.csv
check_rc 0 "SN3 picked for SN2" ims-pick --confirm sub.csv
like '"kind":"release".*"serial":"SN2".*"reason":"substituted"' "$T/out" \
    "the release of SN2 names its serial"
is "$(grep -c '"lot"' "$T/out")" 0 "not as a lot"
zero_diff "after a serial substituted"

# a backdated withdrawal that would leave a reservation unbacked
printf 'order,sku,qty\nBD,N-1,80\n' | ims-pick -q
printf 'sku,qty,from,to,ts\nN-1,10,WH1/B/01,@scrap,2026-11-01T01:00:00Z\n' >bd.csv
rejects "backdated past a reservation" 'bd.csv:2: .*reserved' ims-move bd.csv

# bad order lines
for bad in 'X1,B-1,0,|positive' 'X2,NOPE,1,|unknown sku' \
    'X3,B-1,1,3 weeks|not a duration'; do
	rec=${bad%|*} msg=${bad#*|}
	printf 'order,sku,qty,hold\n%s\n' "$rec" >bad.csv
	rejects "bad order line: $msg" "bad.csv:2: .*$msg" ims-pick bad.csv
done
printf 'order,sku,qty\nO1,B-1,7\n' >again.csv
check_rc 0 "an order line posted before" ims-pick again.csv
like 'posted before: skipped' "$T/err" "is skipped"

# the store rebuilt from its export is the same
ims-log >exp.ndjson
IMS_DB=$T/db2 ims-log --restore -q <exp.ndjson
is "$?" 0 "restore of orders and reservations"
is "$(IMS_DB=$T/db2 ims-report orders)" "$(ims-report orders)" "same orders"
is "$(IMS_DB=$T/db2 ims-report onhand)" "$(ims-report onhand)" "same onhand"
IMS_DB=$T/db2 ims-check >/dev/null 2>&1
is "$?" 0 "restored store checks"
zero_diff "at the end"

# two allocators at once never reserve the same unit
printf 'sku,qty,location\nB-1,10,WH1/A/02\n' | ims-receive -q
sum() { awk '{ s += $1 } END { print s + 0 }'; }
avail=$(ims-report onhand --sku B-1 --location WH1 | jfield available | sum)
before=$(ims-report onhand --sku B-1 | jfield allocated | sum)
for i in 1 2 3 4; do
	printf 'order,sku,qty\nC%s,B-1,%s\n' "$i" 6 >c$i.csv
	ims-pick -q c$i.csv 2>/dev/null &
done
wait
ims-report onhand --sku B-1 >"$T/out"
got=$(( $(col allocated | tr ' ' '\n' | sum) - before ))
is "$([ "$got" -le "$avail" ] && echo ok)" ok \
    "concurrent allocation within stock ($got of $avail)"
is "$(ims-report orders | grep -c '"order":"C.*"status":"allocated"')" \
    "$((got / 6))" "each allocated order holds its 6"
zero_diff "after concurrent allocation"
echo "1..$_n"
done_testing
