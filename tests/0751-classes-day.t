#!/bin/sh
# ims-report expiring, lowstock and movements on a small hand-made store;
# every expected figure is worked out by hand in the comments.  Now is
# Friday 2026-11-27 12:00 (IMS_NOW).
. "$(dirname "$0")/lib.sh"

ims-item -q <<'X'
sku,name,unit_cost,track,reorder_point,min,max
M,Milk 1L,0.8,lot,30,10,100
N,Nails,0.05,none,,,
P,Paint,12.5,none,5,8,
Q,Quartz,3,none,2,,
X
ims-loc -q <<'X'
code,name,type
WH1/A/01,bin,internal
WH1/B/01,bin,internal
X
ims-receive -q <<'X'
{"sku":"P","qty":8,"location":"WH1/A/01","ts":"2026-11-19T10:00:00Z"}
{"sku":"M","qty":5,"location":"WH1/A/01","lot":"L1","expiry":"2026-11-25","ts":"2026-11-20T09:00:00Z"}
{"sku":"M","qty":10,"location":"WH1/A/01","lot":"L3","expiry":"2027-03-01","ts":"2026-11-20T09:00:00Z"}
{"sku":"M","qty":15,"location":"WH1/A/01","lot":"L2","expiry":"2026-12-10","ts":"2026-11-22T08:00:00Z"}
X
ims-move -q <<'X'
{"sku":"M","qty":3,"lot":"L2","from":"WH1/A/01","to":"WH1/B/01","ts":"2026-11-22T09:00:00Z"}
{"sku":"M","qty":2,"lot":"L2","from":"WH1/B/01","to":"@customer","ts":"2026-11-23T10:00:00Z"}
{"sku":"M","qty":1,"lot":"L1","from":"WH1/A/01","to":"@scrap","ts":"2026-11-23T11:00:00Z"}
X
ok "the store"
# Balances now: M L1 WH1/A/01 4, L2 WH1/A/01 12, L2 WH1/B/01 1, L3
# WH1/A/01 10 (M: 27); P WH1/A/01 8.

# --- expiring ---
# Within 30 days of 27 Nov (to 27 Dec): L1 (25 Nov, 2 days ago: -2) 4 *
# 0.8 = 3.2; L2 (10 Dec, 13 days) 12 * 0.8 = 9.6 and 1 * 0.8 = 0.8.  L3
# (1 Mar 2027: 4 + 31 + 31 + 28 = 94 days) is not.  Soonest first.
check_rc 0 "expiring" ims-report expiring
is "$(cat "$T/out")" '{"sku":"M","location":"WH1/A/01","lot":"L1","expiry":"2026-11-25","days_left":-2,"qty":4,"unit_cost":0.8,"value":3.2}
{"sku":"M","location":"WH1/A/01","lot":"L2","expiry":"2026-12-10","days_left":13,"qty":12,"unit_cost":0.8,"value":9.6}
{"sku":"M","location":"WH1/B/01","lot":"L2","expiry":"2026-12-10","days_left":13,"qty":1,"unit_cost":0.8,"value":0.8}' \
	"lots expiring within 30 days, the expired one first"
check_rc 0 "expiring -o table" ims-report expiring -o table
is "$(tail -2 "$T/out")" '-----  --------  ---  ----------  ---------  ---  ---------  -----
total                                         17              13.6' \
	"the totals: 4 + 12 + 1 = 17, 3.2 + 9.6 + 0.8 = 13.6"
check_rc 0 "--days 94" ims-report expiring --days 94
is "$(jfield lot <"$T/out" | tr '\n' ' ')" "L1 L2 L2 L3 " "94 days reach 1 March"
is "$(sed -n 4p "$T/out")" '{"sku":"M","location":"WH1/A/01","lot":"L3","expiry":"2027-03-01","days_left":94,"qty":10,"unit_cost":0.8,"value":8}' \
	"10 * 0.8 = 8"
check_rc 0 "--days 93" ims-report expiring --days 93
is "$(lines "$T/out")" 3 "93 do not"
check_rc 0 "--days 0" ims-report expiring --days 0
is "$(jfield lot <"$T/out")" "L1" "0 days: what has expired, and expires today"
check_rc 0 "--location WH1/B" ims-report expiring --location WH1/B
is "$(jfield location <"$T/out")" "WH1/B/01" "in the zone"
# As of 21 Nov: only L1 (5) and L3 (10) were in; L1 expires in 4 days.
check_rc 0 "--as-of" ims-report expiring --as-of 2026-11-21T00:00:00Z
is "$(cat "$T/out")" '{"sku":"M","location":"WH1/A/01","lot":"L1","expiry":"2026-11-25","days_left":4,"qty":5,"unit_cost":0.8,"value":4}' \
	"as it stood, days counted from then"

# --- lowstock ---
# M: available 27 <= reorder point 30 -> low; to max 100 - 27 = 73.
# N: no reorder point nor min -> never.  P: 8 <= min 8 -> low (at or
# below).  Q: never received, 0 <= 2 -> low.  Nothing is on order.
check_rc 0 "lowstock" ims-report lowstock
is "$(cat "$T/out")" '{"sku":"M","name":"Milk 1L","available":27,"on_order":0,"reorder_point":30,"min":10,"max":100,"to_max":73}
{"sku":"P","name":"Paint","available":8,"on_order":0,"reorder_point":5,"min":8,"max":null,"to_max":null}
{"sku":"Q","name":"Quartz","available":0,"on_order":0,"reorder_point":2,"min":null,"max":null,"to_max":null}' \
	"at or below the reorder point or min"
check_rc 0 "lowstock --sku P" ims-report lowstock --sku P
is "$(jfield sku <"$T/out")" "P" "one item"
# In WH1/B only M's 1 is available: M (1 <= 30), P (0 <= 8), Q.
check_rc 0 "lowstock --location WH1/B" ims-report lowstock --location WH1/B
is "$(jfield available <"$T/out" | tr '\n' ' ')" "1 0 0 " "what the zone holds"
# As of 19 Nov 12:00: P's 8 alone; M had 0 (0 <= 30).
check_rc 0 "lowstock --as-of" ims-report lowstock --as-of 2026-11-19T12:00:00Z
is "$(jfield available <"$T/out" | tr '\n' ' ')" "0 8 0 " "as it stood"

# --- movements ---
# Per day, 20 to 23 Nov, all internal stock.  Before: P's 8.
#   20th: in 5 + 10 = 15, level 23
#   21st: nothing, level 23
#   22nd: in 15 (the transfer stays inside: not counted), level 38
#   23rd: out 2, scrap 1, net -3, level 35 (= M 27 + P 8)
check_rc 0 "movements" ims-report movements --since 2026-11-20 --until 2026-11-23
is "$(cat "$T/out")" '{"period":"2026-11-20","in":15,"out":0,"adjust":0,"scrap":0,"net":15,"level":23}
{"period":"2026-11-21","in":0,"out":0,"adjust":0,"scrap":0,"net":0,"level":23}
{"period":"2026-11-22","in":15,"out":0,"adjust":0,"scrap":0,"net":15,"level":38}
{"period":"2026-11-23","in":0,"out":2,"adjust":0,"scrap":1,"net":-3,"level":35}' \
	"in, out, scrap per day, and the level after"
check_rc 0 "movements -o table" ims-report movements --since 2026-11-20 \
	--until 2026-11-23 -o table
is "$(cat "$T/out")" 'period      in  out  adjust  scrap  net  level
2026-11-20  15    0       0      0   15     23
2026-11-21   0    0       0      0    0     23
2026-11-22  15    0       0      0   15     38
2026-11-23   0    2       0      1   -3     35
----------  --  ---  ------  -----  ---  -----
total       30    2       0      1   27     35' "totals: the sums, and the last level"
check_rc 0 "movements -o csv" ims-report movements --since 2026-11-20 \
	--until 2026-11-23 -o csv
is "$(tr -d '\r' <"$T/out" | sed -n '1p;5p')" 'period,in,out,adjust,scrap,net,level
2026-11-23,0,2,0,1,-3,35' "CSV: the same fields, no totals row"
# WH1/B: the transfer in (3) is in, the shipment out; nothing before.
check_rc 0 "movements --location WH1/B" ims-report movements \
	--location WH1/B --since 2026-11-22 --until 2026-11-23
is "$(cat "$T/out")" '{"period":"2026-11-22","in":3,"out":0,"adjust":0,"scrap":0,"net":3,"level":3}
{"period":"2026-11-23","in":0,"out":2,"adjust":0,"scrap":0,"net":-2,"level":1}' \
	"a transfer into the zone is in"
# M in WH1/A: 15 in on the 20th; 15 in and 3 out (the transfer) on the
# 22nd; 1 scrapped on the 23rd: 15, 15, 27, 26.
check_rc 0 "movements --sku M --location WH1/A" ims-report movements \
	--sku M --location WH1/A --since 2026-11-20 --until 2026-11-23
is "$(jfield level <"$T/out" | tr '\n' ' ')" "15 15 27 26 " "out of the zone is out"
is "$(jfield out <"$T/out" | tr '\n' ' ')" "0 0 3 0 " "the transfer out"
# By week (Mondays 16 and 23 Nov), from the first movement to now.
check_rc 0 "movements --period week" ims-report movements --period week
is "$(cat "$T/out")" '{"period":"2026-11-16","in":38,"out":0,"adjust":0,"scrap":0,"net":38,"level":38}
{"period":"2026-11-23","in":0,"out":2,"adjust":0,"scrap":1,"net":-3,"level":35}' \
	"weeks from Monday; the range from the first movement to now"
check_rc 0 "movements --period month" ims-report movements --period month
is "$(cat "$T/out")" '{"period":"2026-11","in":38,"out":2,"adjust":0,"scrap":1,"net":35,"level":35}' \
	"one month"
check_rc 0 "movements --as-of" ims-report movements --period month --as-of 2026-11-20T23:00:00Z
is "$(jfield level <"$T/out")" "23" "as of the 20th: 8 + 15"

# --- bad input ---
check_rc 2 "expiring: an unknown sku" ims-report expiring --sku NOPE
check_rc 2 "lowstock: an unknown sku" ims-report lowstock --sku NOPE
check_rc 2 "movements: an unknown sku" ims-report movements --sku NOPE
check_rc 2 "expiring does not take --since" ims-report expiring --since 2026-11-01
check_rc 2 "lowstock does not take --days" ims-report lowstock --days 3
check_rc 2 "--days not a number" ims-report expiring --days soon
check_rc 2 "--days below 0" ims-report expiring --days -1
check_rc 2 "movements: --since after --until" ims-report movements \
	--since 2026-11-23 --until 2026-11-20
check_rc 2 "movements: an invalid timestamp" ims-report movements --until 2026-11-31

echo "1..$_n"
done_testing
