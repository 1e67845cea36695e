#!/bin/sh
# A count below what is reserved for orders (ims-count(1), issue 10
# point 6): the adjustment is applied, and what the balance reserved
# beyond its new on hand is released, the lowest priority first, then
# the most recent order; the orders are named; the lines left open are
# backorders; the store checks and restores.
. "$IMS_TOP/tests/lib.sh"

setup_master
printf 'sku,qty,location,ts\nA-100,10,WH1/A/01,2026-11-20T08:00:00Z\n' |
    ims-receive -q
ims-pick -q <<'X'
order,sku,qty,priority
P1,A-100,3,5
P2,A-100,3,0
P3,A-100,2,0
X
ims-report onhand --sku A-100 | jfield allocated >"$T/out"
is "$(cat "$T/out")" 8 "8 of 10 reserved for three orders"
printf 'location,sku,counted,ts,ref\nWH1/A/01,A-100,5,2026-11-27T11:00:00Z,c1\n' >c.csv
check_rc 0 "a count of 5 applied" ims-count --apply c.csv
like 'released 2 of order "P3" line "1"' "$T/err" \
    "the newest order of the lowest priority is released first"
like 'released 1 of order "P2" line "1"' "$T/err" "then the one before it"
ims-report onhand --sku A-100 >"$T/out"
is "$(jfield on_hand <"$T/out") $(jfield allocated <"$T/out")" "5 5" \
    "on hand 5, and as much reserved"
ims-report orders >"$T/out"
like '"order":"P1".*"allocated":3,.*"status":"allocated"' "$T/out" \
    "the urgent order keeps its stock"
like '"order":"P2".*"allocated":2,.*"open":1' "$T/out" "P2 is short by one"
like '"order":"P3".*"allocated":0,.*"open":2' "$T/out" "P3 is a backorder"
ims-log | grep '"kind":"release"' | jfield reason | sort -u >"$T/out"
is "$(cat "$T/out")" count "released with the reason count"
ims-check >/dev/null 2>&1
ok "ims-check"
check_rc 0 "the same count applied again" ims-count --apply c.csv
is "$(ims-log | grep -c '"kind":"release"')" 2 "releases nothing more"
ims-log >exp.ndjson
IMS_DB=$T/r ims-log --restore -q <exp.ndjson
is "$?" 0 "the store restores"
is "$(IMS_DB=$T/r ims-report orders)" "$(ims-report orders)" "the same orders"
IMS_DB=$T/r ims-check >/dev/null 2>&1
ok "and checks"
echo "1..$_n"
done_testing
