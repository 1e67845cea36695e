#!/bin/sh
# The cost reports replay the journal two ways: all skus at once, dealt
# to partitions by sku while the journal is read (in one thread) and
# dealt (in another), then played in two threads; or one sku (--sku), in
# order.  On a store big enough for both threads, every partition and
# the reader's whole ring of buffers (300 skus, 22,000 entries, backdated
# receipts among them), each sku asked apart must get the row the whole
# report gives it, under FIFO and the average, as of now and as of a
# moment in the middle, and the whole report must keep the books: FIFO
# value on hand plus the cost of goods shipped is what was received, to
# the cent, worked out here from the receipts alone.
. "$(dirname "$0")/lib.sh"
setup_master

# 300 skus at 1.25 + k/100 (item cost, for the receipts without one)
awk 'BEGIN { print "sku,unit_cost"
	for (k = 0; k < 300; k++) printf "P%03d,%.2f\n", k, 1.25 + k / 100 }' |
    ims-item -q
ok "300 items"

# A pseudo-random stream, the same every run (an LCG).  Receipts: 18,000
# over 300 skus and three bins (20 each) from 10-01 to 11-19, qty 10 to 49, most
# with a unit_cost of 0.50 to 9.99, one in ten without (the item's);
# then 4,000 transfers between the bins and shipments (one in four), of
# 1 to 3, from 11-20 to 11-26; then 200 receipts backdated into 10-01 to
# 11-25, 5 to 14 each.
gen() {
	awk -v what="$1" 'function r(n) {
		x = (x * 1103515245 + 12345) % 2147483648
		return int(x / 65536) % n
	}
	# day d from 2026-10-01 (0 to 56), s seconds into it
	function iso(d, s) {
		return sprintf("2026-%02d-%02dT%02d:%02d:%02dZ",
		    d < 31 ? 10 : 11, d < 31 ? d + 1 : d - 30, int(s / 3600),
		    int(s % 3600 / 60), s % 60)
	}
	BEGIN { x = 7; split("WH1/A/01 WH1/A/02 WH2/A/01", bin, " ")
	q1 = "{\"sku\":\"P%03d\",\"qty\":%d,"
	rf = q1 "\"location\":\"%s\"%s,\"ts\":\"%s\"}\n"
	mf = q1 "\"from\":\"%s\",\"to\":\"%s\",\"ts\":\"%s\"}\n"
	lf = q1 "\"location\":\"%s\",\"unit_cost\":%s,\"ts\":\"%s\"}\n"
	if (what == "receipts") for (i = 0; i < 18000; i++) {
		k = i % 300; b = bin[1 + int(i / 300) % 3]; q = 10 + r(40)
		t = int(i * 50 * 86400 / 18000)
		c = r(10) ? sprintf(",\"unit_cost\":%d.%02d", r(10),
		    r(100)) : ""
		if (c == ",\"unit_cost\":0.00")
			c = ",\"unit_cost\":0.50"
		printf rf, k, q, b, c, iso(int(t / 86400), t % 86400)
	}
	if (what == "moves") for (i = 0; i < 4000; i++) {
		k = r(300); f = i % 3; to = (f + 1 + i % 2) % 3
		t = int(i * 7 * 86400 / 4000)
		dst = i % 4 == 3 ? "@customer" : bin[1 + to]
		printf mf, k, 1 + r(3), bin[1 + f], dst,
		    iso(50 + int(t / 86400), t % 86400)
	}
	if (what == "late") for (i = 0; i < 200; i++) {
		k = r(300); b = bin[1 + r(3)]; q = 5 + r(10)
		c = sprintf("%d.%02d", 1 + r(9), r(100)); d = r(56)
		printf lf, k, q, b, c, iso(d, r(86400))
	}
	}'
}
gen receipts >"$T/receipts.ndjson"
gen moves >"$T/moves.ndjson"
gen late >"$T/late.ndjson"
is "$(sed -n '1p;$p' "$T/receipts.ndjson" | jfield ts | tr '\n' ' ')" \
    "2026-10-01T00:00:00Z 2026-11-19T23:56:00Z " \
    "the receipts' dates: the last is 17,999 x 240 s = 49 days + 86,160 s in"
ims-receive -q "$T/receipts.ndjson" && ims-move -q "$T/moves.ndjson"
ok "18,000 receipts, 4,000 transfers and shipments"
ims-receive -q "$T/late.ndjson"
ok "200 receipts backdated among them"
is "$(ims-report ledger | wc -l | tr -d ' ')" 22200 "every movement posted"

# What was received, in ten-thousandths, from the receipts alone: qty x
# unit_cost, or qty x the item's 1.25 + k/100.
received=$(cat "$T/receipts.ndjson" "$T/late.ndjson" | awk '{
	match($0, /"sku":"P[0-9]+"/); k = substr($0, RSTART + 8, 3) + 0
	match($0, /"qty":[0-9]+/); q = substr($0, RSTART + 6, RLENGTH - 6)
	if (match($0, /"unit_cost":[0-9.]+/)) {
		c = substr($0, RSTART + 12, RLENGTH - 12); split(c, p, ".")
		c = p[1] * 100 + p[2]
	} else
		c = 125 + k
	sum += q * c } END { printf "%d\n", sum * 100 }')
# the total line's value + cogs, in ten-thousandths
tenk() {
	awk '{ split($0, p, "."); f = substr(p[2] "0000", 1, 4)
		printf "%d\n", p[1] * 10000 + f }'
}
ims-report valuation --group-by total >"$T/total"
v=$(jfield value <"$T/total" | tenk)
c=$(jfield cogs <"$T/total" | tenk)
is "$((v + c))" "$received" "FIFO: value on hand + cogs = what was received"
ims-report valuation --method=avg --group-by total >"$T/total"
v=$(jfield value <"$T/total" | tenk)
c=$(jfield cogs <"$T/total" | tenk)
# the average rounds each withdrawal's share to 4 decimals: within a
# ten-thousandth per shipment (1,000 of them)
d=$((v + c - received))
[ "${d#-}" -le 1000 ]
ok "average: value + cogs within rounding of what was received ($d)"
is "$(jfield on_hand <"$T/total")" \
    "$(ims-report onhand | jfield on_hand | awk '{ s += $1 }
	END { print s }')" \
    "the on hand the replay ends with is the store's"

# each sku asked apart: the row of the whole report
for opts in "" "--method=avg" "--as-of 2026-11-05T12:00:00Z" \
    "--since 2026-11-20T00:00:00Z"; do
	# shellcheck disable=SC2086
	ims-report valuation $opts >"$T/all"
	is "$(lines "$T/all")" 300 "valuation $opts: a row for every sku"
	: >"$T/apart"
	for k in 000 007 041 099 128 150 199 255 256 298 299; do
		# shellcheck disable=SC2086
		ims-report valuation $opts --sku "P$k" >>"$T/apart"
	done
	is "$(cat "$T/apart")" \
	    "$(grep -E \
	    '"sku":"P(000|007|041|099|128|150|199|255|256|298|299)"' \
	    "$T/all")" "valuation $opts: eleven skus apart, the same rows"
done
ims-report aging >"$T/all"
: >"$T/apart"
for k in 003 077 150 222 299; do
	ims-report aging --sku "P$k" >>"$T/apart"
done
is "$(cat "$T/apart")" "$(grep -E '"sku":"P(003|077|150|222|299)"' \
    "$T/all")" "aging: five skus apart, the same rows"
# the whole report twice: the same bytes, whatever the threads did
ims-report valuation >"$T/again"
ims-report valuation | cmp -s - "$T/again"
ok "valuation twice: the same output"

# The same from checkpoints (ims-checkpoint, every 2,500 movements):
# every report as the full replay gives it, before and after receipts
# and a shipment backdated before most of them.
reports() { # reports RUN: each into $T/RUN.N
	i=0
	for args in "valuation" "valuation --method=avg" \
	    "valuation --as-of 2026-11-05T12:00:00Z" \
	    "valuation --method=avg --as-of 2026-10-20T00:00:00Z" \
	    "valuation --since 2026-11-20T00:00:00Z" "aging" \
	    "aging --as-of 2026-11-10T00:00:00Z" \
	    "turnover --since 2026-11-01 --until 2026-11-25" \
	    "gl --since 2026-11-15 --until 2026-11-25" \
	    "sales --since 2026-11-01 --until 2026-11-26" \
	    "valuation --sku P007" "valuation --sku P150 --as-of 2026-11-21"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		ims-report $args >"$T/$1.$i" 2>&1
	done
}
reports full
check_rc 0 "ims-checkpoint --every 2500" ims-checkpoint --every 2500
is "$(lines "$T/out")" 18 "nine moments (8 x 2,500 of 22,200, and the last day), two methods"
reports ck
same_runs ck full "every report from the checkpoints as from the full replay"
ims-receive -q <<'X'
{"sku":"P007","qty":9,"location":"WH1/A/01","unit_cost":7.77,"ts":"2026-10-02T08:00:00Z"}
{"sku":"P150","qty":3,"location":"WH2/A/01","unit_cost":0.01,"ts":"2026-10-20T08:00:00Z"}
X
ims-move -q <<'X'
{"sku":"P007","qty":2,"from":"WH1/A/01","to":"@customer","ts":"2026-10-03T08:00:00Z"}
X
ok "two receipts and a shipment backdated before most checkpoints"
reports stale
cmp -s "$T/stale.1" "$T/full.1" && d=same || d=changed
is "$d" changed "the backdated entries change the valuation"
check_rc 0 "ims-check with the checkpoints stale for two skus" ims-check -q
cp -Rp "$IMS_DB" "$T/stale.db"
check_rc 0 "ims-checkpoint again: the two skus from their history" \
    ims-checkpoint -q --every 2500
check_rc 0 "ims-check after it" ims-check -q
reports inc
ims-checkpoint -q --drop
reports full2
same_runs stale full2 "stale for two skus: every report as from the full replay"
same_runs inc full2 "brought up to date: every report as from the full replay"
rm -rf "$IMS_DB"; mv "$T/stale.db" "$IMS_DB"
ims-move -q <<'X'
{"sku":"P299","qty":1,"from":"WH1/A/01","to":"WH2/A/01","ts":"2026-11-27T08:00:00Z"}
X
ims-checkpoint -q --every 2500 && ims-checkpoint -q --every 2500
ok "a transfer after them, and two runs"
check_rc 0 "ims-check" ims-check -q
reports inc2
ims-checkpoint -q --drop
reports full3
same_runs inc2 full3 "a new day's checkpoint: every report as from the full replay"

echo "1..$_n"
done_testing
