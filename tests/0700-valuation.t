#!/bin/sh
# ims-report valuation, aging, turnover, dio, sales and gl on a small
# hand-made store, every figure worked out by hand below: FIFO across
# partial layers, a transfer between receipt and shipment, the moving
# average, --as-of before, between and after movements, a backdated
# receipt, the GL lines reconciling with valuation, and bad input.
. "$(dirname "$0")/lib.sh"
setup_master
printf 'sku,price\nA-100,6.00\n' | ims-item -q
ok "A-100 sells at 6.00 (K-1 costs 1.10 and has no price)"

# K-1: 2 on 05-01 without a unit_cost (the item's 1.10: 2.20), 3 at 1.20
# on 09-15 (3.60); one scrapped on 11-27 takes the oldest: 1.10.
# A-100, FIFO:
#   11-01 receive 10 @ 2 into WH1/A/01                 WH1: 10@2
#   11-05 receive 10 @ 3 into WH1/A/01                 WH1: 10@2 10@3
#   11-10 move 12 to WH2/A/01: 10@2 + 2@3 = 26         WH1: 8@3 (24)
#         the layers go with the stock, with their receipts' dates
#                                                      WH2: 10@2 2@3
#   11-15 ship 5 from WH2 (unit_price 5): 5@2 = 10     WH2: 5@2 2@3
#   11-20 receive 4 @ 4 into WH2                       WH2: 5@2 2@3 4@4
#   11-25 ship 8 from WH2 (item price 6), across three layers:
#         5@2 + 2@3 + 1@4 = 10 + 6 + 4 = 20            WH2: 3@4 (12)
# A-100 now: 11 on hand worth 24 + 12 = 36; cogs 10 + 20 = 30; received
# 20 + 30 + 16 = 66 = 36 + 30.
ims-receive -q <<'X'
{"sku":"K-1","qty":2,"location":"WH1/B/01","ts":"2026-05-01T10:00:00Z"}
{"sku":"K-1","qty":3,"location":"WH1/B/01","unit_cost":1.20,"ts":"2026-09-15T10:00:00Z"}
{"sku":"A-100","qty":10,"location":"WH1/A/01","unit_cost":2,"ts":"2026-11-01T10:00:00Z"}
{"sku":"A-100","qty":10,"location":"WH1/A/01","unit_cost":3,"ts":"2026-11-05T10:00:00Z"}
X
ok "receipts"
ims-move -q <<'X'
{"sku":"A-100","qty":12,"from":"WH1/A/01","to":"WH2/A/01","ts":"2026-11-10T10:00:00Z"}
{"sku":"A-100","qty":5,"from":"WH2/A/01","to":"@customer","unit_price":5.00,"ts":"2026-11-15T10:00:00Z"}
X
ok "a transfer between receipt and shipment, a shipment"
ims-receive -q <<'X'
{"sku":"A-100","qty":4,"location":"WH2/A/01","unit_cost":4,"ts":"2026-11-20T10:00:00Z"}
X
ims-move -q <<'X'
{"sku":"A-100","qty":8,"from":"WH2/A/01","to":"@customer","ts":"2026-11-25T10:00:00Z"}
{"sku":"K-1","qty":1,"from":"WH1/B/01","to":"@scrap","ts":"2026-11-27T09:00:00Z"}
X
ok "a receipt, a shipment across three layers, scrap"

check_rc 0 "valuation" ims-report valuation
# K-1: 1@1.10 + 3@1.20 = 4.70 on 4, unit cost 1.175
is "$(cat "$T/out")" \
'{"sku":"A-100","on_hand":11,"unit_cost":3.2727,"value":36,"shipped":13,"cogs":30}
{"sku":"K-1","on_hand":4,"unit_cost":1.175,"value":4.7,"shipped":0,"cogs":0}' \
	"by sku: FIFO value and the cost of goods shipped"
is "$(ims-report valuation --group-by location)" \
'{"sku":"A-100","location":"WH1/A/01","on_hand":8,"unit_cost":3,"value":24,"shipped":0,"cogs":0}
{"sku":"A-100","location":"WH2/A/01","on_hand":3,"unit_cost":4,"value":12,"shipped":13,"cogs":30}
{"sku":"K-1","location":"WH1/B/01","on_hand":4,"unit_cost":1.175,"value":4.7,"shipped":0,"cogs":0}' \
	"by sku and location: WH1 kept the 3s, WH2 ships the 2s first"
is "$(ims-report valuation --group-by zone)" \
'{"location":"WH1","on_hand":12,"unit_cost":2.3917,"value":28.7,"shipped":0,"cogs":0}
{"location":"WH2","on_hand":3,"unit_cost":4,"value":12,"shipped":13,"cogs":30}' \
	"by zone (site): WH1 24 + 4.70"
is "$(ims-report valuation --group-by zone --depth 2 --location WH1/A)" \
'{"location":"WH1/A","on_hand":8,"unit_cost":3,"value":24,"shipped":0,"cogs":0}' \
	"a zone two deep, filtered"
is "$(ims-report valuation --group-by total)" \
'{"on_hand":15,"unit_cost":2.7133,"value":40.7,"shipped":13,"cogs":30}' \
	"overall: 36 + 4.70"
is "$(ims-report valuation --location WH2 --sku A-100)" \
'{"sku":"A-100","on_hand":3,"unit_cost":4,"value":12,"shipped":13,"cogs":30}' \
	"--location and --sku"
is "$(ims-report valuation --since 2026-11-20 --sku A-100)" \
'{"sku":"A-100","on_hand":11,"unit_cost":3.2727,"value":36,"shipped":8,"cogs":20}' \
	"cogs from --since: the shipment of 11-25 alone"

# The moving average, A-100: 10@2, 10@3: 20 worth 50; ship 5 takes
# 50 x 5/20 = 12.50 (15 worth 37.50); receive 4@4 (19 worth 53.50); ship
# 8 takes 53.50 x 8/19 = 22.526315.. = 22.5263 (half to even): 11 worth
# 30.9737, cogs 12.50 + 22.5263 = 35.0263, unit cost 2.81579.. = 2.8158.
# K-1: 5.80 over 5 = 1.16; scrap takes 1.16: 4 worth 4.64.
is "$(ims-report valuation --method=avg)" \
'{"sku":"A-100","on_hand":11,"unit_cost":2.8158,"value":30.9737,"shipped":13,"cogs":35.0263}
{"sku":"K-1","on_hand":4,"unit_cost":1.16,"value":4.64,"shipped":0,"cogs":0}' \
	"--method=avg"
# by location each balance its share: 30.9737 x 8/11 = 22.52632.. and
# x 3/11 = 8.44737..
is "$(ims-report valuation --method=avg --group-by location --sku A-100)" \
'{"sku":"A-100","location":"WH1/A/01","on_hand":8,"unit_cost":2.8158,"value":22.5263,"shipped":0,"cogs":0}
{"sku":"A-100","location":"WH2/A/01","on_hand":3,"unit_cost":2.8158,"value":8.4474,"shipped":13,"cogs":35.0263}' \
	"--method=avg by location: shares of the sku's value"

# --as-of before, between and after the movements
is "$(ims-report valuation --as-of 2026-10-31 --sku A-100 | wc -l | tr -d ' ')" 0 \
	"as of before A-100's first receipt: nothing"
is "$(ims-report valuation --as-of 2026-11-12 --group-by location --sku A-100)" \
'{"sku":"A-100","location":"WH1/A/01","on_hand":8,"unit_cost":3,"value":24,"shipped":0,"cogs":0}
{"sku":"A-100","location":"WH2/A/01","on_hand":12,"unit_cost":2.1667,"value":26,"shipped":0,"cogs":0}' \
	"as of between the transfer and the first shipment"
is "$(ims-report valuation --as-of 2026-11-25T10:00:00Z --sku A-100)" \
'{"sku":"A-100","on_hand":11,"unit_cost":3.2727,"value":36,"shipped":13,"cogs":30}' \
	"as of the last shipment's moment, which it includes"
is "$(ims-report valuation --as-of 2026-11-25T09:59:59Z --sku A-100)" \
'{"sku":"A-100","on_hand":19,"unit_cost":2.9474,"value":56,"shipped":5,"cogs":10}' \
	"a second before it: 5@2 2@3 4@4 + 8@3 = 56"
is "$(ims-report valuation --until 2026-11-12 --sku A-100)" \
	"$(ims-report valuation --as-of 2026-11-12T23:59:59Z --sku A-100)" \
	"--until a date is --as-of the end of that day"
is "$(ims-report valuation --as-of 2026-11-12 --sku A-100 | jfield on_hand)" \
	"$(ims-report onhand --as-of 2026-11-12 --sku A-100 --group-by sku | jfield on_hand)" \
	"valuation and onhand agree on the quantity as of a moment"

# Aging at 2026-11-27T12:00Z: A-100's 8@3 received 11-05 (22 days) and
# 3@4 received 11-20 (7 days); K-1's 3@1.20 of 09-15 (73 days), 1@1.10
# of 05-01 (210 days).  The layers moved to WH2 kept their dates.
is "$(ims-report aging)" \
'{"sku":"A-100","bucket":"0-30","on_hand":11,"value":36}
{"sku":"K-1","bucket":"61-90","on_hand":3,"value":3.6}
{"sku":"K-1","bucket":"over 180","on_hand":1,"value":1.1}' \
	"aging by sku"
is "$(ims-report aging --group-by total | tr '\n' ' ')" \
'{"bucket":"0-30","on_hand":11,"value":36} {"bucket":"31-60","on_hand":0,"value":0} {"bucket":"61-90","on_hand":3,"value":3.6} {"bucket":"91-180","on_hand":0,"value":0} {"bucket":"over 180","on_hand":1,"value":1.1} ' \
	"aging overall: every bucket"
is "$(ims-report aging --buckets 5,10,20 --group-by location --sku A-100)" \
'{"sku":"A-100","location":"WH1/A/01","bucket":"over 20","on_hand":8,"value":24}
{"sku":"A-100","location":"WH2/A/01","bucket":"6-10","on_hand":3,"value":12}' \
	"--buckets 5,10,20 by location"
# as of 11-12: WH2 holds 10@2 of 11-01 (11 days) and 2@3 of 11-05 (7)
is "$(ims-report aging --as-of 2026-11-12 --buckets 7,30 --sku A-100 --location WH2)" \
'{"sku":"A-100","bucket":"0-7","on_hand":2,"value":6}
{"sku":"A-100","bucket":"8-30","on_hand":10,"value":20}' \
	"aging as of a moment follows the transferred layers' receipts"

# Turnover, 11-01T00 to 11-27T00 (26 days).  A-100's value over time:
# 0 to 11-01T10, 20 for 4 days, 50 for 10 (the transfer changes
# nothing), 40 for 5, 56 for 5, 36 for 1 day 14 hours: 80 + 500 + 200 +
# 280 + 57 = 1117 value-days, average 1117/26 = 42.9615; turnover 30 /
# 42.9615 = 0.70, dio 26 x 42.9615 / 30 = 37.23.  K-1 holds 5.80 all
# along and ships nothing: turnover 0, no dio.
P="--since 2026-11-01T00:00:00Z --until 2026-11-27T00:00:00Z"
is "$(ims-report turnover $P)" \
'{"sku":"A-100","days":26,"cogs":30,"avg_value":42.9615,"turnover":0.7,"dio":37.23}
{"sku":"K-1","days":26,"cogs":0,"avg_value":5.8,"turnover":0,"dio":null}' \
	"turnover by sku"
# WH2: 26 for 5 days, 16 for 5, 32 for 5, 12 for 1.5833: 130 + 80 +
# 160 + 19 = 389, average 14.9615; 30 / 14.9615 = 2.01; dio 12.97.
# WH1 is the rest: 1117 + 150.8 - 389 = 878.8, average 33.80.
is "$(ims-report turnover $P --group-by zone)" \
'{"zone":"WH1","days":26,"cogs":0,"avg_value":33.8,"turnover":0,"dio":null}
{"zone":"WH2","days":26,"cogs":30,"avg_value":14.9615,"turnover":2.01,"dio":12.97}' \
	"turnover by zone: the shipping zone turns"
# overall (1117 + 150.8) / 26 = 48.7615; dio 26 x 48.7615 / 30 = 42.26
is "$(ims-report dio $P --group-by total)" \
'{"days":26,"avg_value":48.7615,"cogs":30,"dio":42.26}' "dio overall"
is "$(ims-report dio --as-of 2026-11-27T00:00:00Z --since 2026-11-01T00:00:00Z --group-by total)" \
	"$(ims-report dio $P --group-by total)" "--as-of ends the period as --until does"

# Sales: 5 at the shipment's unit_price 5.00 (25, cost 10), 8 at the
# item's price 6.00 (48, cost 20): 13, 73, 30, margin 43.  The weeks
# start on Monday: 11-15 is a Sunday (week of 11-09), 11-25 a Wednesday.
is "$(ims-report sales)" \
	'{"sku":"A-100","qty":13,"revenue":73,"cost":30,"margin":43}' "sales"
is "$(ims-report sales --period week)" \
'{"sku":"A-100","period":"2026-11-09","qty":5,"revenue":25,"cost":10,"margin":15}
{"sku":"A-100","period":"2026-11-23","qty":8,"revenue":48,"cost":20,"margin":28}' \
	"sales by week"
is "$(ims-report sales --period month --method=avg | jfield cost)" 35.0263 \
	"sales by month at the average cost"
is "$(ims-report sales --since 2026-11-20 --period day | jfield period)" \
	2026-11-25 "sales from --since, by day"

is "$(ims-report sales --as-of 2026-11-20 | jfield qty)" 5 \
	"sales --as-of a moment between the shipments: the first alone"
is "$(ims-report sales --as-of 2026-11-01 | wc -l | tr -d ' ')" 0 \
	"sales --as-of before any shipment: nothing"

# GL: every line balances, and the inventory account's debits less
# credits is the valuation at the end
check_rc 0 "gl" ims-report gl
gl_sum() { # gl_sum ACCOUNT-RE: debits - credits of the matching lines
	awk -v re="$1" '{
		a = d = c = ""
		if (match($0, /"account":"[^"]*"/))
			a = substr($0, RSTART + 11, RLENGTH - 12)
		if (match($0, /"debit":[^,]*/))
			d = substr($0, RSTART + 8, RLENGTH - 8)
		if (match($0, /"credit":[^,]*/))
			c = substr($0, RSTART + 9, RLENGTH - 9)
		if (a ~ re)
			s += d * 10000 - c * 10000
	} END { printf "%.4f\n", s / 10000 }'
}
is "$(gl_sum . <"$T/out")" 0.0000 "debits equal credits"
is "$(gl_sum '^Inventory$' <"$T/out")" 40.7000 \
	"inventory: 2.20 + 3.60 + 20 + 30 + 16 - 10 - 20 - 1.10 = 40.70"
is "$(ims-report valuation --group-by total | jfield value)" 40.7 \
	"the same as valuation"
is "$(gl_sum '^COGS$' <"$T/out")" 30.0000 "cogs: 30, as valuation says"
is "$(gl_sum '^Shrinkage$' <"$T/out")" 1.1000 "shrinkage: the scrap"
is "$(gl_sum '^GRNI$' <"$T/out")" -71.8000 "grni: what was received"
is "$(grep -c '"memo":"move' "$T/out")" 0 "no lines for transfers"
is "$(ims-report gl --until 2026-11-12 | gl_sum '^Inventory$')" 55.8000 \
	"inventory up to 11-12: 2.20 + 3.60 + 20 + 30"
is "$(ims-report valuation --until 2026-11-12 --group-by total | jfield value)" \
	55.8 "reconciles with valuation at that period's end"
is "$(ims-report gl --as-of 2026-11-12 | gl_sum '^Inventory$')" 55.8000 \
	"gl --as-of is gl --until"
is "$(ims-report gl --method=avg | gl_sum '^Inventory$')" \
	"$(ims-report valuation --method=avg --group-by total | jfield value)" \
	"at the average cost too (35.6137)"
ims-report gl --by-site --accounts inventory=1300,grni=2100 >site.out
is "$(grep '"memo":"move' site.out)" \
'{"date":"2026-11-10","account":"1300:WH2","debit":26,"credit":0,"memo":"move A-100 12 WH1/A/01>WH2/A/01","reference":"16"}
{"date":"2026-11-10","account":"1300:WH1","debit":0,"credit":26,"memo":"move A-100 12 WH1/A/01>WH2/A/01","reference":"16"}' \
	"--by-site: a transfer between sites, at the layers' cost"
is "$(gl_sum '^1300:WH1$' <site.out) $(gl_sum '^1300:WH2$' <site.out)" \
	"28.7000 12.0000" "each site's account is its valuation (28.70, 12)"
is "$(gl_sum '^2100$' <site.out)" -71.8000 "--accounts renames grni"
is "$(ims-report gl --since 2026-11-25 --sku A-100 -o csv | tr -d '\r')" \
'date,account,debit,credit,memo,reference
2026-11-25,COGS,20,0,ship A-100 8 WH2/A/01>@customer,19
2026-11-25,Inventory,0,20,ship A-100 8 WH2/A/01>@customer,19' \
	"gl as CSV, from --since, one sku"

# A backdated receipt: 5 @ 1 into WH1/A/01 on 11-03.  Replayed:
#   WH1: 10@2 5@1 10@3; the move takes 10@2 + 2@1 = 22: WH1 3@1 10@3
#   (33), WH2 10@2 2@1; ship 5: 5@2 = 10; receive 4@4; ship 8: 5@2 +
#   2@1 + 1@4 = 16; WH2 3@4 (12).  A-100: 16 worth 45, cogs 26;
#   received 71 = 45 + 26.
printf '{"sku":"A-100","qty":5,"location":"WH1/A/01","unit_cost":1,"ts":"2026-11-03T10:00:00Z"}\n' |
	ims-receive -q
ok "a receipt backdated to 11-03"
is "$(ims-report valuation --group-by location --sku A-100)" \
'{"sku":"A-100","location":"WH1/A/01","on_hand":13,"unit_cost":2.5385,"value":33,"shipped":0,"cogs":0}
{"sku":"A-100","location":"WH2/A/01","on_hand":3,"unit_cost":4,"value":12,"shipped":13,"cogs":26}' \
	"the layers after it are taken again in (ts, seq) order"
is "$(ims-report valuation --as-of 2026-11-02 --sku A-100)" \
'{"sku":"A-100","on_hand":10,"unit_cost":2,"value":20,"shipped":0,"cogs":0}' \
	"before the backdated moment: as it was"
is "$(ims-report valuation --as-of 2026-11-12 --group-by location --sku A-100)" \
'{"sku":"A-100","location":"WH1/A/01","on_hand":13,"unit_cost":2.5385,"value":33,"shipped":0,"cogs":0}
{"sku":"A-100","location":"WH2/A/01","on_hand":12,"unit_cost":1.8333,"value":22,"shipped":0,"cogs":0}' \
	"after it: the transfer carried 10@2 and 2@1"
is "$(ims-report gl | gl_sum '^Inventory$')" 49.7000 \
	"gl after it: 45 + 4.70"
is "$(ims-report valuation --group-by total | jfield value)" 49.7 \
	"and valuation agrees"

# Lots are balances of their own: L-200 4 @ 1 in lot L1 (11-20), 6 @ 2
# in lot L2 (11-21); 3 shipped from L2 take its own layer, not L1's
# older one: cogs 6, left L1 4 (4) and L2 3 (6).  At the average:
# 10 worth 16 (1.60), the 3 take 4.80: 7 worth 11.20.
ims-receive -q <<'X'
{"sku":"L-200","qty":4,"location":"WH1/A/02","lot":"L1","unit_cost":1,"ts":"2026-11-20T10:00:00Z"}
{"sku":"L-200","qty":6,"location":"WH1/A/02","lot":"L2","unit_cost":2,"ts":"2026-11-21T10:00:00Z"}
X
printf '{"sku":"L-200","qty":3,"from":"WH1/A/02","to":"@customer","lot":"L2","ts":"2026-11-23T10:00:00Z"}\n' |
	ims-move -q
ok "two lots, a shipment from the newer"
is "$(ims-report valuation --group-by lot --sku L-200)" \
'{"sku":"L-200","location":"WH1/A/02","lot":"L1","on_hand":4,"unit_cost":1,"value":4,"shipped":0,"cogs":0}
{"sku":"L-200","location":"WH1/A/02","lot":"L2","on_hand":3,"unit_cost":2,"value":6,"shipped":3,"cogs":6}' \
	"by lot: the shipment took its lot's layer"
is "$(ims-report valuation --method=avg --sku L-200)" \
	'{"sku":"L-200","on_hand":7,"unit_cost":1.6,"value":11.2,"shipped":3,"cogs":4.8}' \
	"the average runs over the sku's lots"

# Bad input
check_rc 2 "an unknown report" ims-report valuations
like 'unknown report "valuations"' "$T/err" "says so"
check_rc 2 "an invalid timestamp" ims-report valuation --as-of 2026-13-01
like 'as-of "2026-13-01"' "$T/err" "names it"
check_rc 2 "--since after --until" ims-report sales --since 2026-11-20 \
	--until 2026-11-10
like 'since is after --until' "$T/err" "says so"
check_rc 2 "--since after --as-of" ims-report valuation --since 2026-11-20 \
	--as-of 2026-11-10
check_rc 1 "an unknown sku" ims-report valuation --sku NOPE
like '^ims-report: unknown sku "NOPE"$' "$T/err" "names it"
is "$(wc -c <"$T/out" | tr -d ' ')" 0 "and prints nothing"
check_rc 2 "an option the report does not take" ims-report aging --method=avg
like 'method does not apply to aging' "$T/err" "says so"
check_rc 2 "--period on valuation" ims-report valuation --period week
check_rc 2 "--by-site on sales" ims-report sales --by-site
check_rc 2 "a bad --method" ims-report valuation --method=lifo
check_rc 2 "a bad --period" ims-report sales --period year
check_rc 2 "--buckets not ascending" ims-report aging --buckets 30,20
check_rc 2 "--buckets not numbers" ims-report aging --buckets 30,x
check_rc 2 "--buckets ending in a comma" ims-report aging --buckets 30,
check_rc 2 "--group-by a report does not take" ims-report turnover \
	--group-by lot
like 'group-by for turnover: sku\|zone\|total' "$T/err" "lists the ones it takes"
check_rc 2 "--group-by zone on onhand" ims-report onhand --group-by zone
check_rc 2 "an unknown account name" ims-report gl --accounts stock=1300
like 'the names are inventory, grni, cogs and shrinkage' "$T/err" "lists them"
check_rc 2 "an account without a name" ims-report gl --accounts inventory=
check_rc 1 "a period that is empty" ims-report turnover \
	--since 2026-11-27T00:00:00Z --until 2026-11-27T00:00:00Z
like 'period is empty' "$T/err" "says so"
ims-report >list.out
for r in valuation aging turnover dio sales gl; do
	like "^$r " list.out "ims-report lists $r"
done

echo "1..$_n"
done_testing
