#!/bin/sh
# ims-count --sheet and --cycle (what to count, in walking order; what is
# due today by ABC class, spread evenly), and the reports of counts:
# adjustments and accuracy, worked out by hand.
. "$(dirname "$0")/lib.sh"
setup_master
ims-loc -q <<X
code,pick_seq
WH1/B/01,1
WH1/A/02,2
X
t0=2026-11-01T10:00:00Z
cat >r.ndjson <<X
{"sku":"A-100","qty":6,"location":"WH1/A/01","ts":"$t0"}
{"sku":"K-1","qty":3,"location":"WH1/A/01","ts":"$t0"}
{"sku":"A-100","qty":2,"location":"WH1/B/01","ts":"$t0"}
{"sku":"L-200","qty":4,"location":"WH1/A/02","lot":"L1","ts":"$t0"}
X
ims-receive -q r.ndjson &&
printf '{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"@customer","ts":"2026-11-02T10:00:00Z"}\n' |
    ims-move -q
ok "stock in four balances; A-100 the only sku shipped"

# --- the sheet ---
ims-count --sheet -o csv | tr -d '\r' >sheet.csv
ok "--sheet"
is "$(cat sheet.csv)" "location,sku,lot,serial,book,counted
WH1/B/01,A-100,,,2,
WH1/A/02,L-200,L1,,4,
WH1/A/01,A-100,,,5,
WH1/A/01,K-1,,,3," "walking order: pick_seq 1, 2, then by code"
is "$(ims-count --sheet --blind -o csv | head -1 | tr -d '\r')" \
	"location,sku,lot,serial,counted" "--blind leaves out the book"
is "$(ims-count --sheet --blind | grep -c book)" 0 "in NDJSON too"
is "$(ims-count --sheet --include-empty | jfield location | tr '\n' ' ')" \
	"WH1/B/01 WH1/A/02 WH1/A/01 WH1/A/01 WH2/A/01 " \
	"--include-empty adds WH2/A/01 (not the transit location)"
is "$(ims-count --sheet --location WH1/A | jfield location | tr '\n' ' ')" \
	"WH1/A/02 WH1/A/01 WH1/A/01 " "--location is a prefix"
is "$(ims-count --sheet --sku K-1,L-200 | jfield sku | tr '\n' ' ')" \
	"L-200 K-1 " "--sku takes a list"
check_rc 2 "--sheet reads no records" ims-count --sheet sheet.csv
check_rc 2 "--apply does not apply to --sheet" ims-count --sheet --apply

# --- the sheet filled in and counted ---
# the counter fills in counted (and a reason); the book column is the
# sheet's, and ims-count takes the book from the store, not from it
awk -F, 'BEGIN { OFS = "," }
	NR == 1 { print $0, "reason"; next }
	{ split("0 4 4 5", c, " "); split("damage,,,found", r, ",")
	  $6 = c[NR - 1]; print $0, r[NR - 1] }' sheet.csv >filled.csv
check_rc 0 "the filled sheet counted and applied, tolerance 1" \
	ims-count --apply --force --tolerance 1 filled.csv
is "$(jfield status <out | tr '\n' ' ')" "recount match within recount " \
	"B/01 -2 and K-1 +2 beyond 1, A-100 -1 within, L1 matches"
is "$(jfield value <out | tr '\n' ' ')" "-0.5 0 -0.25 2.2 " \
	"values: -2 x 0.25, 0, -1 x 0.25, 2 x 1.10"

# --- adjustments, by hand: A-100 -1 (count) at A/01 and -2 (damage) at
# B/01; K-1 +2 (found) at A/01 ---
is "$(ims-report adjustments -o csv | tr -d '\r')" "sku,location,reason,adjustments,qty,value
A-100,WH1/A/01,count,1,-1,-0.25
A-100,WH1/B/01,damage,1,-2,-0.5
K-1,WH1/A/01,found,1,2,2.2" "by sku, location and reason"
is "$(ims-report adjustments --depth 1 --sku A-100 -o csv | tail -n +2 |
    tr -d '\r')" \
	"A-100,WH1,count,1,-1,-0.25
A-100,WH1,damage,1,-2,-0.5" "rolled up to the warehouse, one sku"
is "$(ims-report adjustments --location WH1/B | jfield value)" -0.5 \
	"a location prefix"
is "$(ims-report adjustments --since 2026-11-28 | wc -l | tr -d ' ')" 0 \
	"none after today"

# --- accuracy, by hand: 4 balances counted, 2 within (A-100 at A/01,
# L1); A-100 is class A (the only consumption), the others C ---
is "$(ims-report accuracy -o csv | tr -d '\r')" "zone,class,counted,within,accuracy
*,*,4,2,50
*,A,2,1,50
*,C,2,1,50
WH1,*,4,2,50" "50% over all, by class, by warehouse"
is "$(ims-report accuracy --depth 2 -o csv | tr -d '\r' | grep '^WH1/')" "WH1/A,*,3,2,66.7
WH1/B,*,1,0,0" "by zone: 2 of 3 in WH1/A, 0 of 1 in WH1/B"
check_rc 0 "a recount of K-1 (now 5 in the book)" ims-count <<X
location,sku,counted
WH1/A/01,K-1,5
X
is "$(ims-report accuracy | head -1 | jfield accuracy)" 75 \
	"the recount replaces the earlier count: 3 of 4"
check_rc 0 "the store checks" ims-check

# --- --cycle: A-1 (class A) every day, C-1..C-8 every 4 days, two a
# day; a sku counted lately is left out ---
export IMS_DB="$T/cy"
ims-item -q <<X
sku,unit_cost
A-1,10
C-1,1
C-2,1
C-3,1
C-4,1
C-5,1
C-6,1
C-7,1
C-8,1
X
ims-loc -q <<X
code
Z/1
Z/2
X
for s in A-1 C-1 C-2 C-3 C-4 C-5 C-6 C-7 C-8; do
	printf '{"sku":"%s","qty":5,"location":"Z/1","ts":"%s"}\n' "$s" "$t0"
done | ims-receive -q
printf '{"sku":"A-1","qty":1,"from":"Z/1","to":"@customer","ts":"%s"}\n' \
	"$t0" | ims-move -q
ok "a second store: nine skus, A-1 shipped"
: >all
for d in 2026-11-27 2026-11-28 2026-11-29 2026-11-30; do
	ims-count --cycle --every 1,2,4 --date $d >day.out
	is "$(jfield class <day.out | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
		" 1 A; 2 C;" "$d: A-1 and two of the eight C skus"
	grep '"C-' day.out | jfield sku >>all
done
is "$(sort all | tr '\n' ' ')" "C-1 C-2 C-3 C-4 C-5 C-6 C-7 C-8 " \
	"in four days each C sku once"
ims-count --cycle --every 1,2,4 --date 2026-11-29 | jfield sku | grep C- \
	>due29
c=$(head -1 due29)
printf 'location,sku,counted\nZ/1,%s,5\n' "$c" | ims-count -q
ok "$c, due on the 29th, counted today (the 27th)"
is "$(ims-count --cycle --every 1,2,4 --date 2026-11-29 | grep -c "\"$c\"")" \
	0 "so on the 29th it is not due"
is "$(ims-count --cycle --every 1,2,4 --date 2026-12-03 | grep -c "\"$c\"")" \
	1 "four days after its turn, due again"
i=0 n=0
while [ $i -lt 30 ]; do
	d=$(awk -v i=$i 'BEGIN { printf "2026-12-%02d", i + 1 }')
	[ $i -eq 30 ] || n=$((n + $(ims-count --cycle --date $d |
	    grep -c '"A-1"')))
	i=$((i + 1))
done
is "$n" 1 "by default A every 30 days: once in December's first 30"
check_rc 2 "--every needs three periods" ims-count --cycle --every 1,2
check_rc 2 "--include-empty is the sheet's" ims-count --cycle --include-empty
echo "1..$_n"
done_testing
