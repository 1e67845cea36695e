#!/bin/sh
# ims-forecast: history records and the store's shipments bucketed by
# period, classes, fixed methods against hand-worked values, auto choosing
# the method a series is built for, intervals, --summary and --save, and
# every kind of bad input.
. "$(dirname "$0")/lib.sh"

# weekly NAME V1 V2 ...: sku,period,qty records, Mondays from 2026-01-05
weekly() {
	_s=$1
	shift
	for _v; do printf '%s\n' "$_v"; done | awk -v s="$_s" '
	BEGIN { split("31 28 31 30 31 30 31 31 30 31 30 31", dm, " ") }
	{
		d = 5 + 7 * (NR - 1); m = 1; y = 2026
		while (d > dm[m]) { d -= dm[m]; m++; if (m > 12) { m = 1; y++ } }
		printf "%s,%04d-%02d-%02d,%s\n", s, y, m, d, $1
	}'
}
hist() { echo sku,period,qty; "$@"; }
field() { jfield "$1" <"$T/out" | tr '\n' ' ' | sed 's/ $//'; }

# --- Croston with alpha 0.1, worked by hand --------------------------
# History starts at the first demand: 3 (interval 1), 5 (4 later), 2 (1
# later): sizes 3, 3.2, 3.08; intervals 1, 1.3, 1.27
hist weekly X 0 0 3 0 0 0 5 2 0 >"$T/x.csv"
check_rc 0 "croston, alpha fixed" ims-forecast --method croston \
	--param alpha=0.1 --horizon 2 "$T/x.csv"
is "$(field forecast)" "2.425197 2.425197" "3.08 / 1.27, rounded to 6 places"
is "$(field period_start)" "2026-03-09 2026-03-16" \
	"the weeks after the last one (Mondays)"
is "$(field sku)" "X X" "a record per future period"
# From --since, as R's croston() sees the whole series: the first
# interval is 3, from the start; intervals 3, 3.1, 2.89
check_rc 0 "croston from --since" ims-forecast --method croston \
	--param alpha=0.1 --horizon 1 --since 2026-01-05 "$T/x.csv"
is "$(field forecast)" "1.065744" "3.08 / 2.89"
check_rc 0 "sba" ims-forecast --method sba --param alpha=0.1 --horizon 1 \
	--digits 9 --since 2026-01-05 "$T/x.csv"
is "$(field forecast)" "1.012456747" "SBA: 0.95 x 3.08 / 2.89"

# --- SES with a given alpha: 2 4 6 at 0.5 is 2, 3, 4.5 ------------------
hist weekly S 2 4 6 >"$T/s.csv"
check_rc 0 "ses, alpha 0.5" ims-forecast --method ses --param alpha=0.5 \
	--horizon 1 "$T/s.csv"
is "$(field forecast)" "4.5" "level 2, 3, then 4.5"
check_rc 0 "ses --summary" ims-forecast --method ses --param alpha=0.5 \
	--summary "$T/s.csv"
is "$(field params)" "alpha=0.5" "the parameter as fixed"
is "$(field demand_per_day)" "0.642857" "4.5 a week is 4.5/7 a day"
is "$(field holdout)" "1" "three weeks: a third of them held out"
is "$(field mae)" "3" "fitted on 2 4 (level 3), the 6 missed by 3"
hist weekly S 2 4 >"$T/s2.csv"
check_rc 0 "two weeks" ims-forecast --method ses --param alpha=0.5 \
	--summary "$T/s2.csv"
is "$(field holdout) $(field mae) $(field rmsse)" "0 null null" \
	"too short for a backtest: no errors"

# --- Holt-Winters additive, season 2, worked by hand (see the unit test)
hist weekly H 1 3 2 4 >"$T/h.csv"
check_rc 0 "hw-add fixed" ims-forecast --method hw-add --season-length 2 \
	--param alpha=0.5,beta=0.5,gamma=0.5 --horizon 2 --digits 9 "$T/h.csv"
is "$(field forecast)" "2.556640625 4.724609375" \
	"l 3.17578125, b 0.357421875, s -0.9765625 and 0.833984375"

# --- classes: Syntetos-Boylan ---------------------------------------------
{
	echo sku,period,qty
	weekly smooth 10 11 9 10 12 10 9 11 10 10 11 9
	weekly erratic 1 30 2 25 1 40 3 1 20 2 35 1
	weekly inter 0 5 0 0 6 0 5 0 0 6 0 5
	weekly lumpy 0 1 0 0 40 0 2 0 0 30 0 1
	weekly one 0 0 7
	weekly zero 0 0 0 0
} >"$T/c.csv"
check_rc 0 "classes" ims-forecast --summary "$T/c.csv"
is "$(field class)" "smooth erratic intermittent lumpy short short" \
	"smooth, erratic, intermittent, lumpy; one demand or none: short"
is "$(field periods)" "12 12 11 11 10 12" \
	"zero-filled from the first demand (or the first record, for none) to the input's last period"
is "$(field adi)" "1 1 2.2 2.2 10 null" "ADI: periods per demand"
is "$(jfield forecast <"$T/out" | tail -n 1)" "0" "no demand: zero, no error"
check_rc 0 "one demand" ims-forecast --method croston --param alpha=0.5 \
	--summary "$T/c.csv"
is "$(jfield forecast <"$T/out" | tail -n 2 | tr '\n' ' ')" "7 0 " \
	"croston on one demand: itself (history starts with it); none: 0"

# --- auto picks the method the series is built for -----------------------
{
	echo sku,period,qty
	weekly season 10 20 30 40 10 20 30 40 10 20 30 40 10 20 30 40 10 20 \
	    30 40 10 20 30 40
	weekly trend 10 12 14 16 18 20 22 24 26 28 30 32 34 36 38 40 42 44 \
	    46 48 50 52 54 56
	weekly dying 5 0 5 0 5 0 5 0 5 0 5 0 5 0 5 0 0 0 0 0 0 0 0 0
	weekly steady 0 0 6 0 0 6 0 0 6 0 0 6 0 0 6 0 0 6 0 0 6 0 0 6
} >"$T/a.csv"
check_rc 0 "auto" ims-forecast --summary --season-length 4 "$T/a.csv"
is "$(field method)" "snaive holt naive croston" \
	"a season: seasonal naive; a line: Holt; demand gone: naive; steady every third week: Croston"
is "$(field class)" "smooth smooth intermittent intermittent" "their classes"
is "$(jfield mae <"$T/out" | awk '{ printf "%s ", ($1 < 0.001) }')" \
	"1 1 1 0 " "the first three (all but) without error in the backtest"
is "$(jfield params <"$T/out" | sed -n 2p | sed 's/.*phi=//')" "1" \
	"the line's Holt is not damped"
check_rc 0 "auto, forecasts" ims-forecast --season-length 4 --horizon 4 \
	"$T/a.csv"
is "$(jfield forecast <"$T/out" | head -n 4 | tr '\n' ' ')" "10 20 30 40 " \
	"the season goes on"
is "$(jfield forecast <"$T/out" | sed -n 5,6p | awk '{ printf "%.2f ", $1 }')" \
	"58.00 60.00 " "the line goes on"
is "$(jfield forecast <"$T/out" | sed -n 9p)" "0" "what died stays dead"
is "$(jfield lo <"$T/out" | sed -n 13,16p | sort -u)" "0" \
	"intermittent: the interval never goes below zero"

# --- intervals are honest for intermittent demand -------------------------
hist weekly L 0 0 9 0 0 0 0 7 0 0 0 8 0 0 0 0 9 0 0 6 0 0 0 8 0 >"$T/l.csv"
check_rc 0 "lumpy interval" ims-forecast --horizon 3 --level 90 "$T/l.csv"
is "$(awk '{ if (match($0, /"lo":[^,]*/)) { v = substr($0, RSTART + 5,
    RLENGTH - 5) + 0; if (v < 0) print "negative" } }' "$T/out")" "" \
	"no interval goes below zero"
is "$(awk '{ match($0, /"forecast":[^,]*/); f = substr($0, RSTART + 11,
    RLENGTH - 11) + 0; match($0, /"hi":[^}]*/); h = substr($0, RSTART + 5,
    RLENGTH - 5) + 0; if (h <= f) print "no" }' "$T/out")" "" \
	"every upper bound above the forecast"

# --- the output formats, and determinism over threads ---------------------
check_rc 0 "csv" ims-forecast -o csv --method mean --horizon 1 "$T/s.csv"
is "$(tr -d "\r" <"$T/out")" "sku,period_start,forecast,lo,hi
S,2026-01-26,4,4,6.975" \
	"CSV with its header; the mean 4, its misses 2 and 3 as the range"
ims-forecast --jobs 1 "$T/c.csv" "$T/a.csv" >"$T/j1" 2>&1 &&
    ims-forecast --jobs 2 "$T/c.csv" "$T/a.csv" >"$T/j2" 2>&1
ok "one thread and two"
is "$(cmp "$T/j1" "$T/j2" && echo same)" same "print the same, in order"

# --- numerics: a long series, one demand, all zeros ---------------------
awk 'BEGIN { print "sku,date,qty"; srand(3)
	for (d = 0; d < 3650; d++) printf "long,%d-%02d-%02d,%d\n",
	    2016 + int(d / 365), int(d % 365 / 31) + 1, d % 31 % 28 + 1,
	    (rand() < 0.3) * int(1 + rand() * 9) }' >"$T/long.csv"
check_rc 0 "ten years of days" ims-forecast --period day --summary \
	"$T/long.csv"
like '"class":"(intermittent|lumpy)"' "$T/out" "classified"
like '"demand_per_day":[0-9.]+,' "$T/out" "a finite demand per day"
is "$(grep -c null "$T/out")" 0 "every figure a number"

# --- bad input: file:line, exit 1; usage: exit 2 -------------------------
printf 'sku,period,qty\nA,2026-01-05,1\nA,2026-01-12,-2\n' >"$T/b1.csv"
check_rc 1 "negative quantity" ims-forecast "$T/b1.csv"
like "^ims-forecast: $T/b1.csv:3: qty \"-2\" is negative" "$T/err" \
	"says where"
is "$(wc -c <"$T/out" | tr -d ' ')" 0 "and prints nothing"
printf 'sku,period,qty\nA,2026-01-05,1\nA,last week,2\n' >"$T/b2.csv"
check_rc 1 "not a date" ims-forecast "$T/b2.csv"
like "b2.csv:3: \"last week\" not a date" "$T/err" "says so"
printf 'sku,period,qty\nA,2026-01-05,1\nA,2026-01-12,2\nA,2026-01-05,3\n' \
	>"$T/b3.csv"
check_rc 1 "a period twice" ims-forecast "$T/b3.csv"
like 'b3.csv:4: sku "A": the same period twice \(also line 2\)' "$T/err" \
	"names both lines"
printf 'sku,period,qty\nA,2026-01-07,1\n' >"$T/b4.csv"
check_rc 1 "a period that is no week's start" ims-forecast "$T/b4.csv"
like 'b4.csv:2: period "2026-01-07" is not the start of a week' "$T/err" \
	"says a Monday"
printf 'sku,date,qty\nA,2026-01-07,1\nA,2026-01-08,2\n' >"$T/b5.csv"
check_rc 0 "dates within one week" ims-forecast --method naive \
	--horizon 1 "$T/b5.csv"
is "$(field forecast)" "3" "are summed into it"
printf 'sku,period,qty\nA,2026-01-05,1\nB,2026-01-05,1\nA,2026-01-12,1\n' \
	>"$T/b6.csv"
check_rc 1 "a sku's records apart" ims-forecast "$T/b6.csv"
like 'b6.csv:4: sku "A".s records are not together' "$T/err" "says sort"
check_rc 2 "unknown method" ims-forecast --method arima "$T/s.csv"
like 'unknown method "arima"' "$T/err" "names it"
check_rc 1 "season longer than the history" ims-forecast \
	--season-length 10 "$T/s.csv"
like 'season-length 10 is longer than the history \(3 periods' "$T/err" \
	"says how long it is"
check_rc 1 "two seasons for hw-add" ims-forecast --method hw-add \
	--season-length 3 "$T/s.csv"
like 's.csv:2: hw-add needs 6 periods' "$T/err" "at the sku's first line"
check_rc 1 "holdout longer than the history" ims-forecast --holdout 3 \
	"$T/s.csv"
like 's.csv:2: --holdout 3 is longer than the history: 3 periods' \
	"$T/err" "says so"
check_rc 2 "--param not of the method" ims-forecast --method ses \
	--param beta=0.1 "$T/s.csv"
check_rc 2 "--demand with records" ims-forecast --demand orders "$T/s.csv"
check_rc 2 "--period year" ims-forecast --period year "$T/s.csv"

# --- from the store: shipments to @customer, scrap when asked ------------
setup_master
ims-receive -q <<'X'
{"sku":"A-100","qty":100,"location":"WH1/A/01","ts":"2026-10-01T00:00:00Z"}
X
ims-move -q <<'X'
{"sku":"A-100","qty":4,"from":"WH1/A/01","to":"@customer","ts":"2026-10-06T10:00:00Z"}
{"sku":"A-100","qty":2,"from":"WH1/A/01","to":"@customer","ts":"2026-10-08T10:00:00Z"}
{"sku":"A-100","qty":3,"from":"WH1/A/01","to":"@scrap","ts":"2026-10-14T10:00:00Z"}
{"sku":"A-100","qty":6,"from":"WH1/A/01","to":"@customer","ts":"2026-10-28T10:00:00Z"}
{"sku":"A-100","qty":9,"from":"WH1/A/01","to":"@customer","ts":"2026-11-23T10:00:00Z"}
{"sku":"A-100","qty":5,"from":"WH1/A/01","to":"WH1/A/02","ts":"2026-10-20T10:00:00Z"}
X
ok "shipments, scrap, a transfer, and one this week"
# weeks of 10-05 .. 11-16 (this week, 11-23, is not over): 6 0 0 6 0 0 0
check_rc 0 "store, shipments" ims-forecast --method mean --summary
is "$(field periods) $(field forecast)" "7 1.714286" \
	"seven whole weeks, 12 shipped: 12/7 a week"
check_rc 0 "store, with scrap" ims-forecast --method mean --summary \
	--include-scrap
is "$(field forecast)" "2.142857" "15/7 with the scrap"
check_rc 0 "store, forecasts" ims-forecast --method mean --horizon 1
is "$(field period_start)" "2026-11-23" "forecast from this week on"
check_rc 0 "store, monthly" ims-forecast --method mean --period month \
	--summary
is "$(field periods) $(field forecast)" "1 12" "October's 12"
check_rc 0 "--demand orders, and there are none" ims-forecast \
	--demand orders
is "$(cat "$T/out")" "" "nothing to forecast"

# --- --save: the summary kept, outside the journal ------------------------
check_rc 0 "--save" ims-forecast --method mean --save --summary
like '"method":"mean"' "$T/out" "prints what it saves"
"$IMS_FCUNIT" get "$IMS_DB" A-100 >"$T/got"
# 6 0 0 6 0 0 0: the mean's misses -6 -3 4 -3 -2.4 -2, RMSE 3.646 a week
is "$(cat "$T/got")" \
	"mean intermittent week 0.244898 1.378059 2026-11-27T12:00:00Z" \
	"ims_forecast_get: method, class, period, 12/49 a day, RMSE/sqrt(7), when"
"$IMS_FCUNIT" get "$IMS_DB" K-1 >"$T/got"
is "$(cat "$T/got")" "none" "none for a sku not forecast"
check_rc 0 "ims-check after --save" ims-check
is "$(ims-log | grep -c forecast)" 0 "the journal has no forecast in it"

echo "1..$_n"
done_testing
