#!/bin/sh
# ims-forecast from order lines: demand is what was ordered, served or
# not (a stockout hides no demand), and --demand=shipments chooses what
# was shipped instead.
. "$IMS_TOP/tests/lib.sh"

setup_master
printf 'sku,qty,location,ts\nA-100,4,WH1/A/01,2026-10-01\n' | ims-receive -q
# eight weeks of 5 ordered a week (Mondays), recorded though none could
# be allocated whole; 4 shipped in the first week by hand
echo order,sku,qty,ts >orders.csv
for d in 2026-09-28 2026-10-05 2026-10-12 2026-10-19 2026-10-26 \
    2026-11-02 2026-11-09 2026-11-16; do
	printf 'W%s,A-100,5,%sT09:00:00Z\n' "$d" "$d"
done >>orders.csv
ims-pick -q --all-or-nothing orders.csv 2>/dev/null
printf 'sku,qty,from,to,ts\nA-100,4,WH1/A/01,@customer,2026-10-02\n' |
    ims-move -q
check_rc 0 "a forecast from the store" ims-forecast --summary --period week \
    --method mean
like '"sku":"A-100"' "$T/out" "a summary for the sku"
is "$(jfield forecast <"$T/out")" 5 "demand is what was ordered: 5 a week"
check_rc 0 "from shipments instead" ims-forecast --summary --period week \
    --method mean --demand=shipments
is "$(echo "$(jfield forecast <"$T/out") < 1" | bc)" 1 \
    "shipments hide the demand the stockout lost"
echo "1..$_n"
done_testing
