#!/bin/sh
# ims-count: counts pinned to the moment they were taken, recorded in the
# journal, applied as of that moment so that later movements stay on top;
# refused where a later movement contradicts them; recounts; bad input.
. "$(dirname "$0")/lib.sh"
setup_master
t0=2026-11-01T10:00:00Z t1=2026-11-10T10:00:00Z t2=2026-11-12T10:00:00Z
t3=2026-11-13T10:00:00Z
cat >r.ndjson <<X
{"sku":"A-100","qty":10,"location":"WH1/A/01","ts":"$t0"}
{"sku":"A-100","qty":4,"location":"WH1/A/02","ts":"$t0"}
{"sku":"L-200","qty":6,"location":"WH1/A/01","lot":"L1","ts":"$t0"}
{"sku":"S-300","qty":1,"location":"WH1/B/01","serial":"SN1","ts":"$t0"}
{"sku":"K-1","qty":5,"location":"WH1/B/01","ts":"$t0"}
X
ims-receive -q r.ndjson
ok "stock received at t0"
bal() { # bal SKU LOC [AS-OF]: its on hand
	ims-report onhand --sku "$1" --location "$2" ${3:+--as-of "$3"} |
	    jfield on_hand
}

# --- a count, then a move, then the count applied ---
cat >c1.csv <<X
location,sku,counted,ts,ref
WH1/A/01,A-100,8,$t1,c1
X
check_rc 0 "count 8 of A-100 at WH1/A/01 at t1" ims-count c1.csv
is "$(jfield book <out)/$(jfield variance <out)/$(jfield value <out)" \
	"10/-2/-0.5" "book at t1 is 10, variance -2, value -2 x 0.25"
is "$(jfield status <out) $(jfield action <out)" "variance counted" \
	"no tolerance: a variance, counted only"
c1seq=$(jfield seq <out)
is "$(ims-log | grep -c '"kind":"count"')" 1 "the count is in the journal"
is "$(bal A-100 WH1/A/01)" 10 "counting alone changes no stock"
printf '{"sku":"A-100","qty":3,"from":"WH1/A/01","to":"WH1/A/02","ts":"%s","ref":"mv-1"}\n' \
	"$t2" | ims-move -q
ok "then 3 move to WH1/A/02 at t2"
check_rc 0 "the count applied" ims-count --apply c1.csv
is "$(jfield seq <out) $(jfield action <out)" "$c1seq applied" \
	"the same count entry (its ref), applied"
adj=$(jfield adjust_seq <out)
ims-log | grep "\"seq\":$adj," >adj.out
like "\"ts\":\"$t1\",\"type\":\"adjust\",\"sku\":\"A-100\",\"qty\":2,\"from\":\"WH1/A/01\",\"to\":\"@adjust\"" \
	adj.out "the adjustment: 2 to @adjust, at the count's ts"
like '"reason":"count","count":'"$c1seq" adj.out "with its reason and count"
is "$(bal A-100 WH1/A/01 $t1)" 8 "as of t1 the book is the count"
is "$(bal A-100 WH1/A/01)" 5 "now: 10 - 2 - 3 (the move survives)"
is "$(bal A-100 WH1/A/02)" 7 "and the move's 3 arrived: 4 + 3"
before=$(snapshot)
check_rc 0 "applied twice" ims-count --apply c1.csv
is "$(snapshot)" "$before" "the second time changes nothing"
is "$(jfield adjust_seq <out)" "$adj" "and names the adjustment made"
check_rc 0 "counted again (no ref), same figure" ims-count --apply <<X
location,sku,counted,ts
WH1/A/01,A-100,8,$t1
X
is "$(jfield variance <out) $(jfield action <out)" "0 none" \
	"a count after its adjustment: no variance, nothing to do"

# --- a count that a later shipment contradicts ---
cat >c2.csv <<X
location,sku,counted,ts,ref
WH1/A/02,A-100,2,$t1,c2
X
check_rc 0 "count 2 of A-100 at WH1/A/02 at t1 (book 4)" ims-count c2.csv
printf '{"sku":"A-100","qty":6,"from":"WH1/A/02","to":"@customer","ts":"%s","ref":"so-1"}\n' \
	"$t3" | ims-move -q
ok "then 6 shipped from WH1/A/02 at t3 (7 there then)"
ship=$(ims-log | grep '"ref":"so-1"' | jfield seq)
before=$(snapshot)
check_rc 1 "the count cannot be applied as of t1" ims-count --apply c2.csv
like "^ims-count: c2\\.csv:2: count of \"A-100\" at \"WH1/A/02\" at $t1: entry $ship \\(ship of 6 at $t3, ref \"so-1\"\\) took stock the count says was not there" \
	err "the message names the shipment"
is "$(jfield action <out)" blocked "its row says blocked"
is "$(snapshot)" "$before" "nothing applied for that balance"
check_rc 0 "--at-now adjusts at the time of applying" \
	ims-count --apply --at-now c2.csv
adj=$(jfield adjust_seq <out)
ims-log | grep "\"seq\":$adj," >adj.out
like "\"ts\":\"$IMS_NOW\",\"type\":\"adjust\",\"sku\":\"A-100\",\"qty\":1," \
	adj.out "now, and only the 1 that is there: 2 + 3 - 6 cannot be"
is "$(bal A-100 WH1/A/02)" "" "WH1/A/02 is empty"
check_rc 0 "--at-now twice" ims-count --apply --at-now c2.csv
is "$(jfield adjust_seq <out)" "$adj" "adjusts once"

# --- --complete, found stock ---
check_rc 0 "--complete: WH1/B/01 counted, only K-1 listed" \
	ims-count --complete --apply <<X
location,sku,counted
WH1/B/01,K-1,5
X
is "$(wc -l <out | tr -d ' ')" 2 "two rows: K-1 and the missing serial"
grep S-300 out >s.out
is "$(jfield serial <s.out) $(jfield book <s.out) $(jfield counted <s.out) $(jfield value <s.out)" \
	"SN1 1 0 -150" "the serial the input left out counts as 0: -150"
is "$(bal S-300 WH1/B/01)" "" "and is adjusted out"
is "$(bal K-1 WH1/B/01)" 5 "K-1 matches and stays"
check_rc 0 "found stock: 3 of A-100 where the book has none" \
	ims-count --apply <<X
location,sku,counted
WH2/A/01,A-100,3
X
is "$(jfield book <out) $(jfield variance <out) $(jfield action <out)" \
	"0 3 applied" "a positive variance, applied"
is "$(bal A-100 WH2/A/01)" 3 "from @adjust"
check_rc 0 "found stock of a new lot" ims-count --apply <<X
location,sku,lot,counted
WH1/A/02,L-200,L9,2
X
is "$(ims-report onhand --sku L-200 --location WH1/A/02 | jfield lot)" L9 \
	"the lot is in the book"

# --- tolerance and recount ---
check_rc 0 "L1: 4 counted, book 6, 10% tolerance" \
	ims-count --apply --tolerance 10% <<X
location,sku,lot,counted
WH1/A/01,L-200,L1,4
X
is "$(jfield status <out) $(jfield action <out)" "recount recount" \
	"33% off: marked recount, not applied"
is "$(bal L-200 WH1/A/01)" 6 "the book stands"
check_rc 0 "a recount that disagrees" ims-count --apply --tolerance 10% <<X
location,sku,lot,counted
WH1/A/01,L-200,L1,5
X
is "$(jfield status <out)" recount "is beyond tolerance again"
check_rc 0 "a recount that confirms it" ims-count --apply --tolerance 10% <<X
location,sku,lot,counted
WH1/A/01,L-200,L1,5
X
is "$(jfield status <out) $(jfield action <out)" "confirmed applied" \
	"the same variance twice: confirmed and applied"
is "$(bal L-200 WH1/A/01)" 5 "the book is the recount"
check_rc 0 "K-1: 4 of 5 within a tolerance of 1" \
	ims-count --tolerance 1 --tolerance 20% <<X
location,sku,counted
WH1/B/01,K-1,4
X
is "$(jfield status <out)" within "within both"
check_rc 0 "a value tolerance" ims-count --tolerance value:1 <<X
location,sku,counted
WH1/B/01,K-1,4
X
is "$(jfield status <out)" recount "1.10 is beyond 1.00 of value"
check_rc 0 "--force applies a recount" ims-count --apply --force \
	--tolerance value:1 <<X
location,sku,counted
WH1/B/01,K-1,4
X
is "$(jfield action <out)" applied "forced"
is "$(bal K-1 WH1/B/01)" 4 "to the count"

# --- a movement at the count's very moment, posted after the count ---
t4=2026-11-20T10:00:00Z
printf 'location,sku,counted,ts,ref\nWH1/A/01,A-100,1,%s,c5\n' "$t4" >c5.csv
check_rc 0 "count 1 of A-100 at WH1/A/01 at t4 (book 5)" ims-count c5.csv
printf '{"sku":"A-100","qty":3,"from":"WH1/A/01","to":"WH1/A/02","ts":"%s","ref":"mv-2"}\n' \
	"$t4" | ims-move -q
ok "then 3 moved at t4 itself, after the count in (ts, seq) order"
mv2=$(ims-log | grep '"ref":"mv-2"' | jfield seq)
check_rc 1 "the count cannot be applied: 1 - 3 < 0" ims-count --apply c5.csv
like "entry $mv2 \\(move of 3 at $t4, ref \"mv-2\"\\)" err \
	"names the move of the same moment"
is "$(bal A-100 WH1/A/01)" 2 "WH1/A/01 keeps 5 - 3"

# --- bad input: file:line, exit 1, store unchanged ---
bad() { # bad DESC PATTERN CSV-LINE
	printf 'location,sku,lot,serial,counted,ts\nWH1/A/01,K-1,,,1,\n%s\n' \
	    "$3" >bad.csv
	rejects "$1" "^ims-count: bad\\.csv:3: $2" ims-count --apply bad.csv
}
bad "an unknown location" 'unknown location "WH9/Z"' "WH9/Z,K-1,,,1,"
bad "an unknown sku" 'unknown sku "NOPE"' "WH1/A/01,NOPE,,,1,"
bad "two lines for one balance" \
	'a second line for "K-1" at "WH1/A/01" \(the first is line 2\)' \
	"WH1/A/01,K-1,,,2,"
bad "a negative count" 'counted must not be negative' "WH1/A/02,K-1,,,-1,"
bad "a count that is no number" 'counted "many"' "WH1/A/02,K-1,,,many,"
bad "a lot missing" 'item "L-200" is lot-tracked: a count needs its lot' \
	"WH1/A/02,L-200,,,1,"
bad "a serial counted as 2" 'serial "SN1" of "S-300" counted as 2' \
	"WH1/B/01,S-300,,SN1,2,"
bad "a count in the future" 'ts "2026-11-28T00:00:00Z" is in the future' \
	"WH1/A/02,K-1,,,1,2026-11-28"
bad "a virtual location" 'location "@adjust" is virtual' "@adjust,K-1,,,1,"
rejects "a ref that posted another count" \
	'^ims-count: c1x\.csv:2: ref "c1" is held by entry' \
	sh -c "sed 's/,8,/,7,/' c1.csv >c1x.csv && ims-count c1x.csv"
check_rc 2 "--at-now without --apply" ims-count --at-now c1.csv
check_rc 2 "--blind without --sheet" ims-count --blind c1.csv
check_rc 2 "a bad tolerance" ims-count --tolerance -1 c1.csv

# --- the journal rebuilds it all ---
check_rc 0 "ims-check" ims-check
ims-log >export.ndjson
check_rc 0 "restored into a new store" \
	ims-log --restore --db "$T/db2" export.ndjson
check_rc 0 "which checks" ims-check --db "$T/db2"
is "$(ims-log --db "$T/db2" | cksum)" "$(cksum <export.ndjson)" \
	"and exports the same journal"
is "$(ims-report onhand --db "$T/db2")" "$(ims-report onhand)" \
	"and the same stock"
echo "1..$_n"
done_testing
