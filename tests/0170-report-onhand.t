#!/bin/sh
# ims-report onhand: filters (--sku, --location as a zone), roll-ups
# (--group-by, --depth), --as-of, the output formats; and the same answer
# two ways, on a small store and on the sample data set.
. "$(dirname "$0")/lib.sh"
plan 82

check_rc 3 "no store yet" ims-report onhand
like '^ims-report: .*db.*no store here' "$T/err" "says so"
test ! -e "$IMS_DB"
ok "and does not make one"

setup_master
ims-loc -q <<'X'
code,name,type
WH1/AB/01,bin,internal
WH1/A,zone as a bin,internal
X
ims-receive -q <<'X'
{"sku":"A-100","qty":10,"location":"WH1/A/01","ts":"2026-11-01T00:00:00Z"}
{"sku":"A-100","qty":20,"location":"WH1/A/02","ts":"2026-11-02T00:00:00Z"}
{"sku":"A-100","qty":40,"location":"WH1/AB/01","ts":"2026-11-03T00:00:00Z"}
{"sku":"A-100","qty":80,"location":"WH2/A/01","ts":"2026-11-04T00:00:00Z"}
{"sku":"A-100","qty":1,"location":"WH1/A","ts":"2026-11-04T00:00:00Z"}
{"sku":"L-200","qty":5,"location":"WH1/A/01","lot":"L1","ts":"2026-11-05T00:00:00Z"}
{"sku":"L-200","qty":7,"location":"WH1/B/01","lot":"L2","expiry":"2027-01-01","ts":"2026-11-06T00:00:00Z"}
{"sku":"L-200","qty":3,"location":"WH1/B/01","lot":"L1","ts":"2026-11-07T00:00:00Z"}
{"sku":"K-1","qty":2.5,"location":"WH1/B/01","ts":"2026-11-07T00:00:00Z"}
X
ok "stock in three zones of WH1 and in WH2"
printf '{"sku":"K-1","qty":2.5,"from":"WH1/B/01","to":"@customer","ts":"2026-11-08T00:00:00Z"}\n' |
	ims-move -q
ok "K-1 shipped out: its balance is zero"

check_rc 0 "onhand" ims-report onhand
is "$(cat "$T/out")" '{"sku":"A-100","location":"WH1/A","on_hand":1,"allocated":0,"available":1}
{"sku":"A-100","location":"WH1/A/01","on_hand":10,"allocated":0,"available":10}
{"sku":"A-100","location":"WH1/A/02","on_hand":20,"allocated":0,"available":20}
{"sku":"A-100","location":"WH1/AB/01","on_hand":40,"allocated":0,"available":40}
{"sku":"A-100","location":"WH2/A/01","on_hand":80,"allocated":0,"available":80}
{"sku":"L-200","location":"WH1/A/01","lot":"L1","expiry":"2026-11-15","on_hand":5,"allocated":0,"available":5}
{"sku":"L-200","location":"WH1/B/01","lot":"L1","expiry":"2026-11-15","on_hand":3,"allocated":0,"available":3}
{"sku":"L-200","location":"WH1/B/01","lot":"L2","expiry":"2027-01-01","on_hand":7,"allocated":0,"available":7}' \
	"every balance, by sku, location and lot; none for a zero balance"

# --- --location is a zone: WH1/A holds WH1/A/01, not WH1/AB/01 ---
locs() { jfield location <"$T/out" | sort -u | tr '\n' ' '; }
check_rc 0 "--location WH1/A" ims-report onhand --location WH1/A
is "$(locs)" "WH1/A WH1/A/01 WH1/A/02 " "the zone and its bins, not WH1/AB"
check_rc 0 "--location WH1/A/" ims-report onhand --location WH1/A/
is "$(locs)" "WH1/A WH1/A/01 WH1/A/02 " "a trailing slash changes nothing"
check_rc 0 "--location WH1/AB" ims-report onhand --location WH1/AB
is "$(locs)" "WH1/AB/01 " "WH1/AB is its own zone"
check_rc 0 "--location WH1/A/01" ims-report onhand --location WH1/A/01
is "$(locs)" "WH1/A/01 " "a bin is a zone of one"
check_rc 0 "--location WH1/A/0" ims-report onhand --location WH1/A/0
is "$(cat "$T/out")" "" "a partial segment matches nothing"
check_rc 0 "--location WH" ims-report onhand --location WH
is "$(cat "$T/out")" "" "nor does a partial warehouse"
check_rc 0 "--location WH1" ims-report onhand --location WH1
is "$(locs)" "WH1/A WH1/A/01 WH1/A/02 WH1/AB/01 WH1/B/01 " "a warehouse"
check_rc 0 "--sku with --location" ims-report onhand --sku L-200 --location WH1/B
is "$(onhand_balances <"$T/out" | tr '\n' ';')" \
	"L-200 WH1/B/01 L1 3.000;L-200 WH1/B/01 L2 7.000;" "both filters"
check_rc 0 "an unknown sku" ims-report onhand --sku NOPE
is "$(cat "$T/out")" "" "is no rows, not an error"

# --- roll-ups ---
check_rc 0 "--group-by sku" ims-report onhand --group-by sku
is "$(cat "$T/out")" '{"sku":"A-100","on_hand":151,"allocated":0,"available":151}
{"sku":"L-200","on_hand":15,"allocated":0,"available":15}' "one row per sku"
check_rc 0 "--group-by location" ims-report onhand --group-by location --sku L-200
is "$(cat "$T/out")" '{"sku":"L-200","location":"WH1/A/01","on_hand":5,"allocated":0,"available":5}
{"sku":"L-200","location":"WH1/B/01","on_hand":10,"allocated":0,"available":10}' \
	"lots summed per location"
check_rc 0 "--group-by lot" ims-report onhand --group-by lot --sku L-200
is "$(cat "$T/out")" '{"sku":"L-200","lot":"L1","expiry":"2026-11-15","on_hand":8,"allocated":0,"available":8}
{"sku":"L-200","lot":"L2","expiry":"2027-01-01","on_hand":7,"allocated":0,"available":7}' \
	"locations summed per lot, the lot named"
check_rc 0 "--depth 1" ims-report onhand --depth 1 --sku A-100
is "$(cat "$T/out")" '{"sku":"A-100","location":"WH1","on_hand":71,"allocated":0,"available":71}
{"sku":"A-100","location":"WH2","on_hand":80,"allocated":0,"available":80}' \
	"one row per warehouse"
check_rc 0 "--depth 2 --group-by location" \
	ims-report onhand --depth 2 --group-by location --sku A-100
is "$(cat "$T/out")" '{"sku":"A-100","location":"WH1/A","on_hand":31,"allocated":0,"available":31}
{"sku":"A-100","location":"WH1/AB","on_hand":40,"allocated":0,"available":40}
{"sku":"A-100","location":"WH2/A","on_hand":80,"allocated":0,"available":80}' \
	"per zone: WH1/A and WH1/AB apart"
check_rc 0 "--depth 9" ims-report onhand --depth 9 --sku A-100
is "$(jfield location <"$T/out" | tr '\n' ' ')" "WH1/A WH1/A/01 WH1/A/02 WH1/AB/01 WH2/A/01 " \
	"deeper than any code: the codes as they are"
check_rc 0 "--depth 1 --location WH1/A" ims-report onhand --depth 1 --location WH1/A --sku A-100
is "$(cat "$T/out")" '{"sku":"A-100","location":"WH1","on_hand":31,"allocated":0,"available":31}' \
	"filter first, then roll up"

# --- formats ---
check_rc 0 "-o csv" ims-report onhand -o csv --sku L-200
is "$(tr -d '\r' <"$T/out")" 'sku,location,lot,serial,expiry,on_hand,allocated,available
L-200,WH1/A/01,L1,,2026-11-15,5,0,5
L-200,WH1/B/01,L1,,2026-11-15,3,0,3
L-200,WH1/B/01,L2,,2027-01-01,7,0,7' "a header and a row per balance"
is "$(grep -c "$(printf '\r$')" "$T/out")" 4 "CRLF line ends"
check_rc 0 "-o csv with no rows" ims-report onhand -o csv --sku NOPE
is "$(tr -d '\r' <"$T/out")" "sku,location,lot,serial,expiry,on_hand,allocated,available" \
	"the header alone"
check_rc 0 "-o table" ims-report onhand -o table --sku L-200
is "$(cat "$T/out")" 'sku    location  lot  expiry      on_hand  allocated  available
L-200  WH1/A/01  L1   2026-11-15        5          0          5
L-200  WH1/B/01  L1   2026-11-15        3          0          3
L-200  WH1/B/01  L2   2027-01-01        7          0          7' \
	"aligned, numbers to the right"
check_rc 0 "-o table --group-by sku" ims-report onhand -o table --group-by sku
like '^A-100 +151 +0 +151$' "$T/out" "a rolled-up table"

# --- --as-of ---
check_rc 0 "--as-of" ims-report onhand --as-of 2026-11-02 --sku A-100
is "$(onhand_balances <"$T/out" | tr '\n' ';')" \
	"A-100 WH1/A/01 - 10.000;A-100 WH1/A/02 - 20.000;" "the moment itself included"
check_rc 0 "--as-of with --group-by" ims-report onhand --as-of 2026-11-07T12:00:00Z --group-by sku
is "$(cat "$T/out")" '{"sku":"A-100","on_hand":151,"allocated":0,"available":151}
{"sku":"K-1","on_hand":2.5,"allocated":0,"available":2.5}
{"sku":"L-200","on_hand":15,"allocated":0,"available":15}' "K-1 was still there"
check_rc 0 "--as-of with --depth and --location" \
	ims-report onhand --as-of 2026-11-03 --depth 1 --location WH1
is "$(cat "$T/out")" '{"sku":"A-100","location":"WH1","on_hand":70,"allocated":0,"available":70}' \
	"rolled up in the past"

# --- two ways to the same answer ---
is "$(ims-report onhand | onhand_balances)" "$(ims-report ledger | ledger_balances)" \
	"the ledger summed by hand (in minus out) is onhand"
ims-report onhand | awk '
	{ match($0, /"sku":"[^"]*"/); s = substr($0, RSTART + 7, RLENGTH - 8)
	  match($0, /"on_hand":[^,]*/); t[s] += substr($0, RSTART + 10, RLENGTH - 10) }
	END { for (s in t) printf "%s %.3f\n", s, t[s] }' | sort >bal.sum
ims-report onhand --group-by sku | awk '
	{ match($0, /"sku":"[^"]*"/); s = substr($0, RSTART + 7, RLENGTH - 8)
	  match($0, /"on_hand":[^,]*/); printf "%s %.3f\n", s, substr($0, RSTART + 10, RLENGTH - 10) }' |
	sort >grp.sum
is "$(cat grp.sum)" "$(cat bal.sum)" "--group-by sku totals are the balances summed"

# --- usage errors exit 2 ---
for a in "--depth 0" "--depth x" "--depth 65" "--group-by bin" "--as-of 2026-11-31" \
    "--as-of yesterday" "--as-of 2026-11-02T10:00:00"; do
	# shellcheck disable=SC2086
	check_rc 2 "onhand $a" ims-report onhand $a
	like '^ims-report: ' "$T/err" "onhand $a: says why"
done
check_rc 0 "no report named: the list of reports" ims-report
is "$(awk '{ print $1 }' "$T/out" | tr '\n' ' ')" \
	"onhand ledger orders adjustments accuracy abc xyz fsn ved expiring lowstock movements dashboard suppliers billing available valuation aging turnover dio sales gl " \
	"a line for each report, its name first"
check_rc 2 "options, but no report" ims-report --sku A-100
like 'which report\?' "$T/err" "asks which"
check_rc 2 "an unknown report" ims-report stock
like '^ims-report: unknown report "stock"' "$T/err" "says so"
check_rc 2 "two reports" ims-report onhand ledger

# --- the sample data set (21,328 movements: 5513 receipts, 15815 moves) ---
rm -rf "$IMS_DB"
load_sample
ok "the sample data set loads"
ims-report ledger >ledger.out
ims-report onhand >onhand.out
is "$(lines ledger.out)" 21328 "every movement in the ledger"
is "$(onhand_balances <onhand.out)" "$(ledger_balances <ledger.out)" \
	"sample: the ledger summed by hand is onhand"
fail=0
for t in 2025-11-26 2026-01-02T12:00:00Z 2026-05-01 2026-08-14 2026-10-01T07:30:00Z \
    2026-11-25; do
	a=$(ims-report onhand --as-of "$t" | onhand_balances)
	case $t in ????-??-??) full=${t}T00:00:00Z ;; *) full=$t ;; esac
	b=$(LC_ALL=C awk -v t="$full" '{ match($0, /"ts":"[^"]*"/)
		if (substr($0, RSTART + 6, RLENGTH - 7) <= t) print }' \
		ledger.out | ledger_balances)
	c=$(ims-report ledger --until "$full" | ledger_balances)
	[ "$a" = "$c" ] && [ "$b" = "$c" ] || { fail=1; echo "# differ at $t"; }
done
is "$fail" 0 "sample: --as-of T is the ledger up to T summed, three ways"
ims-report onhand --depth 1 --group-by location >wh.out
ims-report onhand --location WH2 | onhand_balances |
	awk '{ s[$1] += $4 } END { for (k in s) printf "%s WH2 %.3f\n", k, s[k] }' |
	sort >wh2.sum
grep '"location":"WH2"' wh.out |
	awk '{ match($0, /"sku":"[^"]*"/); s = substr($0, RSTART + 7, RLENGTH - 8)
	  match($0, /"on_hand":[^,]*/); printf "%s WH2 %.3f\n", s, substr($0, RSTART + 10, RLENGTH - 10) }' |
	sort >wh2.grp
is "$(cat wh2.grp)" "$(cat wh2.sum)" "sample: --depth 1 is the zone's balances summed"
done_testing
