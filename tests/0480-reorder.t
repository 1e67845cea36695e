#!/bin/sh
# ims-reorder: inventory position, safety stock, reorder points and order
# quantities against figures worked out by hand; rounding; Poisson for a
# slow mover; lead time measured from POs; kits; --create-po; --simulate.
. "$IMS_TOP/tests/lib.sh"

ims-supplier -q <<'X'
id,name,lead_time_days
S1,Acme,9
S2,Bolt,5
X
# EOQ: D = 3.287671 x 365 = 1200 a year, S = 100, H = 0.6 x 10 = 6:
#   sqrt(2 x 1200 x 100 / 6) = 200
# SS:  z(0.95) = 1.644854, sigma_d 5, L 9: 1.644854 x 5 x 3 = 24.67281,
#   ROP = 20 x 9 + 24.673 = 204.673
# SLOW: mu = 0.2 x 10 = 2; P(X <= 4) = 0.9473 < 0.95 <= P(X <= 5) = 0.9834
ims-item -q <<'X'
sku,supplier,unit_cost,order_cost,holding_rate,demand_per_day,demand_sd,moq,order_multiple,lead_time_days,max
EOQ,S1,10,100,0.6,3.287671,0,,,,
SS,S1,1,,,20,5,,,9,
SLOW,S1,1,,,0.2,0,,,10,
RND,S1,10,100,0.6,3.287671,0,240,40,,
FR,S2,1,,,20,5,,,9,150
X
row() { # row SKU FIELD: one field of the sku's row in $T/out
	grep "\"sku\":\"$1\"" "$T/out" | jfield "$2"
}
check_rc 0 "a reorder run" ims-reorder --all
is "$(row EOQ qty_rule) $(row EOQ qty)" "eoq 200" "EOQ 200 (textbook)"
is "$(row EOQ lead_from) $(row EOQ lead_time_days)" "supplier 9" \
    "lead time from the supplier"
is "$(row SS safety_stock)" 24.673 "safety stock z sigma sqrt(L)"
is "$(row SS reorder_point)" 204.673 "reorder point: lead-time demand + SS"
is "$(row SS qty)" 205 "ordered in whole units"
is "$(row SLOW model) $(row SLOW reorder_point)" "poisson 5" \
    "a slow mover's reorder point from the Poisson distribution"
is "$(row RND qty_before) $(row RND qty)" "200 240" \
    "200 rounded up to the moq of 240, a multiple of 40"
is "$(row EOQ position) $(row EOQ suggest)" "0 true" "nothing on hand: order"

# fill rate: Q = max 150, sigma_LT 15: G(k) = 0.02 x 150 / 15 = 0.2,
# k = 0.4928, SS = 7.39
check_rc 0 "a fill rate" ims-reorder --all --fill-rate 0.98 --supplier S2
is "$(row FR model)" "normal, fill rate" "the fill-rate model"
ss=$(row FR safety_stock)
is "$(echo "$ss > 7.3 && $ss < 7.5" | bc)" 1 "SS for a 98% fill rate ($ss)"
is "$(wc -l <"$T/out" | tr -d ' ')" 1 "--supplier: only its skus"

# position: on hand less allocated and backorders plus open POs
printf 'sku,qty,location\nEOQ,50,WH1/A/01\n' >r.csv
ims-loc -q <<'X'
code,type
WH1/A/01,internal
X
ims-receive -q r.csv
printf 'order,sku,qty\nO1,EOQ,20\nO2,EOQ,40\n' | ims-pick -q --partial 2>/dev/null
printf 'po,supplier,sku,qty\nP1,S1,EOQ,7\n' | ims-po -q
check_rc 0 "a run with stock" ims-reorder --all
is "$(row EOQ on_hand) $(row EOQ allocated) $(row EOQ backorders) $(row EOQ on_order) $(row EOQ position)" \
    "50 50 10 7 -3" "position = 50 - 50 - 10 + 7"

# lead time measured from three POs received 4, 6 and 8 days after
# approval: mean 6, sample sd 2
ims-item -q <<'X'
sku,supplier,demand_per_day,demand_sd
LT,S2,1,0
X
ims-po -q <<'X'
po,supplier,sku,qty,ts,approved
L1,S2,LT,1,2026-10-01,2026-10-01
L2,S2,LT,1,2026-10-02,2026-10-02
L3,S2,LT,1,2026-10-03,2026-10-03
X
ims-receive -q <<'X'
sku,qty,location,po,ts
LT,1,WH1/A/01,L1,2026-10-05
LT,1,WH1/A/01,L2,2026-10-08
LT,1,WH1/A/01,L3,2026-10-11
X
ims-reorder --all >"$T/out"
is "$(row LT lead_from) $(row LT lead_time_days) $(row LT lead_time_sd)" \
    "measured 6 2" "lead time and its spread measured from POs"

# kits: a kit's forecast demand is its components' (2 of B a kit)
ims-item -q <<'X'
sku,supplier,demand_per_day
B,S2,
X
ims-item -q <<'X'
sku,components
KIT,B:2
X
printf 'sku,period,qty\n' >h.csv
for w in 05 12 19 26; do printf 'KIT,2026-10-%s,7\n' "$w" >>h.csv; done
ims-forecast --save --summary --period week --method mean h.csv >/dev/null
ims-reorder --all >"$T/out"
is "$(row B demand_per_day)" 2 "the kit's 1 a day is 2 of B a day"
is "$(grep -c '"sku":"KIT"' "$T/out")" 0 "the kit itself is not ordered"

# --create-po: a PO per supplier, once per ref
check_rc 0 "drafting POs" ims-reorder --create-po --ref night-1
ims-po --list >"$T/out"
like '"po":"night-1/S1","supplier":"S1","status":"draft"' "$T/out" \
    "a PO for S1"
like '"po":"night-1/S2"' "$T/out" "and one for S2"
before=$(ims-log | wc -l)
check_rc 0 "the same run again" ims-reorder --create-po --ref night-1
is "$(ims-log | wc -l)" "$before" "drafts nothing"
like 'drafted by ref "night-1" before' "$T/err" "and says so"
ims-check >/dev/null 2>&1
ok "ims-check after drafting"

# --simulate over 6 days, worked by hand: reorder point 4, up to max 10,
# lead time 2 days; demand 3 3 5 3 0 2.  On hand at each day's end:
# 7 4(order 6) 0(1 short) 3(6 in; order 7) 3 8(7 in): served 15 of 16,
# two cycles, one with a short day, two orders, stock 25/6.
ims-item -q <<'X'
sku,supplier,reorder_point,max,lead_time_days
SIM,S2,4,10,2
X
printf 'sku,qty,location,ts\nSIM,100,WH1/A/01,2026-11-01\n' | ims-receive -q
ims-move -q <<'X'
sku,qty,from,to,ts
SIM,3,WH1/A/01,@customer,2026-11-21T13:00:00Z
SIM,3,WH1/A/01,@customer,2026-11-22T13:00:00Z
SIM,5,WH1/A/01,@customer,2026-11-23T13:00:00Z
SIM,3,WH1/A/01,@customer,2026-11-24T13:00:00Z
SIM,2,WH1/A/01,@customer,2026-11-26T13:00:00Z
X
check_rc 0 "a simulation" ims-reorder --simulate --holdout 6 --supplier S2
is "$(row SIM demand) $(row SIM served) $(row SIM fill_rate)" "16 15 0.9375" \
    "fill rate 15/16"
is "$(row SIM cycles) $(row SIM cycle_service_level) $(row SIM orders)" \
    "2 0.5 2" "one of two cycles without a short day"
is "$(row SIM avg_stock)" 4.16667 "average stock 25/6"
check_rc 0 "three service levels" ims-reorder --simulate --holdout 6 \
    --service-level 0.9,0.95,0.99
is "$(grep -c '"sku":"\*"' "$T/out")" 3 "an overall row for each level"

# bad input
check_rc 2 "a service level of 1" ims-reorder --service-level 1
like 'between 0 and 1' "$T/err" "says so"
check_rc 2 "a service level of 0" ims-reorder --service-level 0
check_rc 2 "several levels without --simulate" ims-reorder \
    --service-level 0.9,0.95
check_rc 2 "a file operand" ims-reorder r.csv
rejects "an moq that is not a multiple" 'stdin:2: .*moq 250 is not a multiple of order_multiple 40' \
    ims-item <<'X'
sku,moq,order_multiple
RND,250,40
X
rejects "a lead time of no days" 'stdin:2: lead_time_days "0": out of range' \
    ims-item <<'X'
sku,lead_time_days
EOQ,0
X
echo "1..$_n"
done_testing
