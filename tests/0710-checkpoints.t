#!/bin/sh
# ims-checkpoint and the cost reports that start from a checkpoint: on a
# small store worked out by hand, the checkpoints' moments, the same
# answers as a full replay before and after a backdated receipt (the
# checkpoints then stale for its sku alone), ims-check comparing them
# with a replay, and bad input.
. "$(dirname "$0")/lib.sh"
setup_master

# A-100, FIFO, in WH1/A/01:
#   11-01 receive 10 @ 1                       10@1
#   11-03 receive 10 @ 2                       10@1 10@2
#   11-05 ship 15: 10@1 + 5@2 = 20             5@2
#   11-07 receive 10 @ 3                       5@2 10@3 = 40
# K-1: 4 @ 1.50 on 11-02, untouched: 6.
ims-receive -q <<'X'
{"sku":"A-100","qty":10,"location":"WH1/A/01","unit_cost":1,"ts":"2026-11-01T10:00:00Z"}
{"sku":"K-1","qty":4,"location":"WH1/B/01","unit_cost":1.5,"ts":"2026-11-02T10:00:00Z"}
{"sku":"A-100","qty":10,"location":"WH1/A/01","unit_cost":2,"ts":"2026-11-03T10:00:00Z"}
X
ims-move -q <<'X'
{"sku":"A-100","qty":15,"from":"WH1/A/01","to":"@customer","ts":"2026-11-05T10:00:00Z"}
X
ims-receive -q <<'X'
{"sku":"A-100","qty":10,"location":"WH1/A/01","unit_cost":3,"ts":"2026-11-07T10:00:00Z"}
X
ok "four receipts and a shipment"

# the reports asked below, each into $1.N
reports() {
	i=0
	for args in "valuation" "valuation --method=avg" \
	    "valuation --as-of 2026-11-04T12:00:00Z" \
	    "valuation --as-of 2026-11-02T00:00:00Z" \
	    "valuation --as-of 2026-11-01T23:59:59Z" \
	    "valuation --method=avg --as-of 2026-11-06T00:00:00Z" \
	    "valuation --sku A-100" "valuation --group-by location" \
	    "aging" "aging --as-of 2026-11-06T00:00:00Z" \
	    "turnover --since 2026-11-04 --until 2026-11-07" \
	    "gl --since 2026-11-04 --until 2026-11-07" \
	    "sales --since 2026-11-01 --until 2026-11-07" "gl" "sales" \
	    "dio --since 2026-11-06" "valuation --until 2026-11-06"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		ims-report $args >"$T/$1.$i" 2>&1
	done
}

reports full
is "$(jfield value <"$T/full.1" | tr '\n' ' ')" "40 6 " \
	"valuation: A-100 5@2 + 10@3 = 40, K-1 6"
is "$(jfield value <"$T/full.3" | tr '\n' ' ')" "30 6 " \
	"as of 11-04: 10@1 + 10@2"

# --every 1: the day after each movement (11-02, 11-03, 11-04, 11-06;
# 11-08 is past the last: none) and the day of the last (11-07), each
# for both methods
check_rc 0 "ims-checkpoint --every 1" ims-checkpoint --every 1
m="2026-11-02T00:00:00Z 2026-11-03T00:00:00Z 2026-11-04T00:00:00Z"
m="$m 2026-11-06T00:00:00Z 2026-11-07T00:00:00Z"
is "$(jfield at <"$T/out" | tr '\n' ' ')" "$m $m " \
	"the moments: the day after every movement, and the last one's day"
is "$(jfield method <"$T/out" | sort | uniq -c | awk '{ printf "%s %s ", $1, $2 }')" \
	"5 avg 5 fifo " "both methods"
like '^ims-checkpoint: 18 sku states written$' "$T/err" \
	"says how many: A-100 at 5 moments and K-1 at 4, twice"
reports ck
same_runs ck full "from the checkpoints: every report as a full replay gives"
check_rc 0 "ims-check: the checkpoints are what a replay makes" ims-check

# A receipt backdated to 11-02, before three of the checkpoints: the
# shipment on 11-05 now takes 10@1 + 5@10 = 60, and 10@2 + 10@3 = 50
# stays.
ims-receive -q <<'X'
{"sku":"A-100","qty":5,"location":"WH1/A/01","unit_cost":10,"ts":"2026-11-02T12:00:00Z"}
X
reports stale
is "$(jfield value <"$T/stale.1" | tr '\n' ' ')" "50 6 " \
	"after the backdated receipt: 10@2 + 10@3 = 50, from A-100's history"
is "$(jfield cogs <"$T/stale.1" | tr '\n' ' ')" "60 0 " \
	"the shipment took 10@1 + 5@10"
is "$(jfield value <"$T/stale.3" | tr '\n' ' ')" "80 6 " \
	"as of 11-04: 10@1 + 5@10 + 10@2"
check_rc 0 "ims-check: stale for A-100, not wrong" ims-check
cp -Rp "$IMS_DB" "$T/kept"
check_rc 0 "--drop" ims-checkpoint --drop
like '^ims-checkpoint: 28 rows removed$' "$T/err" \
	"says how many rows: 18 states, 10 moments"
reports full2
same_runs stale full2 "with a stale checkpoint: every report as a full replay"
check_rc 0 "written again" ims-checkpoint --every 1
reports ck2
same_runs ck2 full2 "and from the new ones"

# A run after the first brings them up to date.  With --every 4 from
# the start: 11-01, 11-02 (K-1), 11-02 (the late one), 11-03 (the 4th:
# the day after, 11-04), 11-05, 11-07; and the day of the last, 11-07,
# two past the 4th.
ims-checkpoint -q --drop
check_rc 0 "--every 4" ims-checkpoint --every 4
is "$(jfield at <"$T/out" | sort -u | tr '\n' ' ')" \
	"2026-11-04T00:00:00Z 2026-11-07T00:00:00Z " "two moments"
# 11-09 and 11-10 after them: from 11-07 on, the 11-07 receipt is the
# 3rd past the 4th, 11-09 the 4th (the day after, 11-10), 11-10 the 5th;
# 11-07, only the last day then, gives way to 11-10
ims-receive -q <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","unit_cost":4,"ts":"2026-11-09T10:00:00Z"}
X
ims-move -q <<'X'
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"@customer","ts":"2026-11-10T10:00:00Z"}
X
check_rc 0 "again, after two more movements" ims-checkpoint --every 4
is "$(jfield at <"$T/out" | sort -u | tr '\n' ' ')" \
	"2026-11-10T00:00:00Z " "one new moment"
like '^ims-checkpoint: 4 sku states written$' "$T/err" \
	"A-100 and K-1 at it, twice: nothing replayed before 11-07"
check_rc 0 "--list" ims-checkpoint --list -o csv
is "$(tr -d '\r' <"$T/out")" "method,at
fifo,2026-11-04T00:00:00Z
fifo,2026-11-10T00:00:00Z
avg,2026-11-04T00:00:00Z
avg,2026-11-10T00:00:00Z" "11-07 gave way"
check_rc 0 "ims-check" ims-check
reports inc
ims-checkpoint -q --drop
reports full3
same_runs inc full3 "brought up to date: every report as a full replay"
check_rc 0 "--every 4 from the start" ims-checkpoint --every 4
# a shipment backdated to 11-06, between the two moments: A-100's state
# at 11-10 replayed from its history, nothing else
ims-move -q <<'X'
{"sku":"A-100","qty":2,"from":"WH1/A/01","to":"@customer","ts":"2026-11-06T10:00:00Z"}
X
check_rc 0 "after a backdated shipment" ims-checkpoint --every 4
is "$(cat "$T/out")" "" "no new moment"
like '^ims-checkpoint: 4 sku states written$' "$T/err" \
	"A-100 at both moments, twice, from its history"
check_rc 0 "ims-check" ims-check
reports fixed
ims-checkpoint -q --drop
reports full4
same_runs fixed full4 "the stale sku replayed: every report as a full replay"
check_rc 0 "--drop and --list" ims-checkpoint --list
is "$(cat "$T/out")" "" "none left"
check_rc 2 "not both" ims-checkpoint --list --drop

# ims-check finds a checkpoint changed or lost behind its back
rm -rf "$IMS_DB"; cp -Rp "$T/kept" "$IMS_DB"
# the first sku state's key and value, as mdb_dump writes them
mdb_dump -s costs "$IMS_DB" | awk '/^HEADER=END/ { on = 1; next }
	/^DATA=END/ { on = 0 }
	on { if (++n % 2) k = $0; else if (k ~ /^ 63/) {
		print substr(k, 2); print substr($0, 2); exit } }' >"$T/row"
key=$(sed -n 1p "$T/row")
val=$(sed -n 2p "$T/row")
poke costs "$key" "$(printf '%s' "$val" | sed 's/^../01/')"
check_rc 1 "a sku's state edited" ims-check
like '"check":"costs","key":"fifo 2026-11-0.T00:00:00Z .*","stored":"differs"' \
	"$T/out" "is named"
rm -rf "$IMS_DB"; cp -Rp "$T/kept" "$IMS_DB"
poke costs "$key" ""
check_rc 1 "a sku's state removed" ims-check
like '"check":"costs",.*"stored":"missing"' "$T/out" "is named"
rm -rf "$IMS_DB"; cp -Rp "$T/kept" "$IMS_DB"

# bad input
check_rc 2 "--every 0" ims-checkpoint --every 0
like 'not a whole number' "$T/err" "says why"
check_rc 2 "an argument" ims-checkpoint extra
check_rc 2 "no records to read" ims-checkpoint --input=csv
check_rc 0 "a store with no movements" ims-checkpoint --db "$T/empty"
is "$(cat "$T/out")" "" "no checkpoints there"

# the dispatcher, the completions and the manual know it
check_rc 0 "ims checkpoint" ims checkpoint --every 2
like 'sku states written' "$T/err" "runs ims-checkpoint"
ims 2>&1 | grep -q '^  checkpoint '
ok "ims lists it"
grep -q '^#compdef.* ims-checkpoint' "$IMS_TOP/completions/_ims" &&
    grep -q 'ims-checkpoint)' "$IMS_TOP/completions/ims.bash"
ok "both completions"
grep -q 'ims-checkpoint 1' "$IMS_TOP/man/ims.7" &&
    grep -q 'ims-checkpoint 1' "$IMS_TOP/man/ims-check.1"
ok "ims(7) and ims-check(1) name it"

echo "1..$_n"
done_testing
