#!/bin/sh
# ims-report billing: a month of a client's storage and handling, worked
# out by hand below, against the report.
. "$(dirname "$0")/lib.sh"

IMS_NOW=2026-12-05T00:00:00Z
ims-client -q <<'X'
id,name,rate_unit_day,rate_m3_day,rate_pallet_day,rate_receipt_unit,rate_order,rate_line,rate_ship_unit
ACME,Acme Ltd,0.01,0.5,0.4,0.05,1.25,0.3,0.1
BETA,Beta GmbH,0.02,,,,,,0.2
X
ims-item -q <<'X'
{"sku":"A-1","uom":"ea","owner":"ACME","packs":"case:12"}
{"sku":"V-1","uom":"ea","owner":"ACME","volume":0.02}
{"sku":"P-1","uom":"ea","owner":"ACME","pallets":0.025}
{"sku":"B-1","uom":"ea","owner":"BETA"}
{"sku":"N-1","uom":"ea"}
X
ims-loc -q <<'X'
code
WH1/A/01
WH1/A/02
X
ims-receive -q <<'X'
{"sku":"A-1","qty":100,"location":"WH1/A/01","ts":"2026-10-20T09:00:00Z"}
{"sku":"B-1","qty":500,"location":"WH1/A/02","ts":"2026-10-20T09:00:00Z"}
{"sku":"N-1","qty":900,"location":"WH1/A/02","ts":"2026-10-20T09:00:00Z"}
{"sku":"P-1","qty":80,"location":"WH1/A/02","ts":"2026-11-01T00:00:00Z"}
{"sku":"A-1","qty":2,"uom":"case","location":"WH1/A/02","ts":"2026-11-11T00:00:00Z"}
{"sku":"V-1","qty":10,"location":"WH1/A/01","ts":"2026-11-16T00:00:00Z"}
X
ims-move -q <<'X'
{"sku":"A-1","qty":20,"from":"WH1/A/01","to":"WH1/A/02","ts":"2026-11-15T00:00:00Z"}
{"sku":"B-1","qty":100,"from":"WH1/A/02","to":"@customer","ts":"2026-11-15T00:00:00Z"}
{"sku":"N-1","qty":900,"from":"WH1/A/02","to":"@customer","ts":"2026-11-15T00:00:00Z"}
X
printf '{"order":"O-1","sku":"A-1","qty":50}\n{"order":"O-1","sku":"V-1","qty":4}\n' |
	IMS_NOW=2026-11-21T10:00:00Z ims-pick -q --client ACME
printf '{"order":"O-1"}\n' | IMS_NOW=2026-11-21T12:00:00Z ims-pick -q --confirm
printf '{"order":"O-2","sku":"P-1","qty":40}\n' |
	IMS_NOW=2026-11-26T00:00:00Z ims-pick -q
printf '{"order":"O-2"}\n' | IMS_NOW=2026-11-26T00:00:00Z ims-pick -q --confirm
# at the period's end (exclusive): not billed in November
printf '{"sku":"A-1","qty":10,"from":"WH1/A/01","to":"@customer","ts":"2026-12-01T00:00:00Z"}\n' |
	ims-move -q
printf '{"sku":"A-1","qty":1,"location":"WH1/A/01","ts":"2026-12-01T00:00:00Z"}\n' |
	ims-receive -q
ims-check 2>/dev/null
ok "the month posted and checks"

# November by hand, [2026-11-01, 2026-12-01), 30 days:
# A-1 (units): 100 from Nov 1 to Nov 11 (10 days) = 1000; 124 from Nov 11
#   to Nov 21 12:00 (10.5 days) = 1302; 74 to Dec 1 (9.5 days) = 703; the
#   move between bins on Nov 15 changes nothing.  3005 unit-days x 0.01
#   = 30.05.
# V-1 (0.02 m3 each): 10 = 0.2 m3 from Nov 16 to Nov 21 12:00 (5.5 days)
#   = 1.1; 6 = 0.12 m3 for 9.5 days = 1.14.  2.24 m3-days x 0.5 = 1.12.
# P-1 (0.025 pallets each): 80 = 2 pallets from Nov 1 to Nov 26 (25 days)
#   = 50; 40 = 1 pallet for 5 days = 5.  55 pallet-days x 0.4 = 22.
# receiving: 24 + 80 + 10 = 114 units x 0.05 = 5.7 (the 100 of October
#   is not November's).
# orders: O-1 and O-2, 2 x 1.25 = 2.5; lines: 3 x 0.3 = 0.9.
# shipping: 50 + 4 + 40 = 94 units x 0.1 = 9.4.
# total: 30.05 + 1.12 + 22 + 5.7 + 2.5 + 0.9 + 9.4 = 71.67.
check_rc 0 "ACME's November" ims-report billing --client ACME \
	--since 2026-11-01 --until 2026-11-30 -o csv
is "$(cat "$T/out" | tr -d '\r')" "client,since,until,charge,unit,quantity,rate,amount
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,storage,unit-days,3005,0.01,30.05
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,storage,m3-days,2.24,0.5,1.12
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,storage,pallet-days,55,0.4,22
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,receiving,units,114,0.05,5.7
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,orders,orders,2,1.25,2.5
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,lines,lines,3,0.3,0.9
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,shipping,units,94,0.1,9.4
ACME,2026-11-01T00:00:00Z,2026-11-30T23:59:59Z,total,,,,71.67" \
	"the invoice lines and the total, as worked out by hand"

# BETA: 500 from Nov 1 to Nov 15 (14 days) = 7000, then 400 for 16 days
# = 6400: 13400 unit-days x 0.02 = 268; 100 shipped x 0.2 = 20; 288.
# N-1 belongs to no client and is billed to neither.
check_rc 0 "BETA's November" ims-report billing --client BETA \
	--since 2026-11-01 --until 2026-11-30
is "$(jfield amount <"$T/out" | tr '\n' ' ')" "268 20 288 " "storage, shipping, total"
is "$(jfield quantity <"$T/out" | tr '\n' ' ')" "13400 100  " "13400 unit-days, 100 units"

# half a day, Nov 21 00:00 to 12:00: A-1 124 units = 62 unit-days, 0.62;
# V-1 0.2 m3 x 0.5 day = 0.1 m3-days, 0.05; P-1 2 pallets x 0.5 day = 1
# pallet-day, 0.4; total 1.07.  O-1 shipped at 12:00, after the period.
check_rc 0 "half a day" ims-report billing --client ACME \
	--since 2026-11-21T00:00:00Z --until 2026-11-21T11:59:59Z
is "$(jfield quantity <"$T/out" | tr '\n' ' ')" "62 0.1 1  " \
	"62 unit-days, 0.1 m3-days, 1 pallet-day, nothing shipped"
is "$(jfield amount <"$T/out" | tr '\n' ' ')" "0.62 0.05 0.4 1.07 " \
	"0.62 + 0.05 + 0.4 = 1.07"

# rounding: a third of a day of A-1 at 124 units is 41.333... unit-days,
# x 0.01 = 0.41333..., half up to 0.4133; quantity 41.333
check_rc 0 "eight hours" ims-report billing --client ACME \
	--since 2026-11-20T00:00:00Z --until 2026-11-20T07:59:59Z
is "$(head -n 1 "$T/out" | jfield quantity)" 41.333 "41.333 unit-days (124 x 8/24)"
is "$(head -n 1 "$T/out" | jfield amount)" 0.4133 "0.4133, half up from 0.41333"

# --- bad input ---
rejects "an unknown client" 'unknown client "ZED"' \
	ims-report billing --client ZED --since 2026-11-01 --until 2026-11-30
check_rc 2 "billing without --client" ims-report billing --since 2026-11-01 --until 2026-11-30
like 'billing: give --client, --since and --until' "$T/err" "says what it needs"
check_rc 2 "billing without --until" ims-report billing --client ACME --since 2026-11-01
check_rc 2 "--as-of does not apply" ims-report billing --client ACME --since 2026-11-01 --until 2026-11-30 --as-of 2026-11-01
check_rc 2 "--until before --since" \
	ims-report billing --client ACME --since 2026-11-02 --until 2026-11-01T00:00:00Z
like 'since is after --until' "$T/err" "--until before --since: says so"

echo "1..$_n"
done_testing
