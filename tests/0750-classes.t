#!/bin/sh
# ims-report abc, xyz, fsn, ved and --matrix on a small hand-made store;
# every expected figure is worked out by hand in the comments.
. "$(dirname "$0")/lib.sh"

# Five items.  unit_cost: A 10, B 2, C 1, D 5, E 6.  criticality: A V,
# B E, C none (desirable), D D, E V.
ims-item -q <<'X'
sku,name,unit_cost,criticality
A,Alpha,10,V
B,Beta,2,E
C,Gamma,1,
D,Delta,5,D
E,Epsilon,6,V
X
ims-loc -q <<'X'
code,name,type
WH1/A/01,bin,internal
WH1/B/01,bin,internal
X
ims-receive -q <<'X'
{"sku":"A","qty":100,"location":"WH1/A/01","ts":"2026-08-01T00:00:00Z"}
{"sku":"B","qty":100,"location":"WH1/A/01","ts":"2026-08-01T00:00:00Z"}
{"sku":"C","qty":100,"location":"WH1/B/01","ts":"2026-08-01T00:00:00Z"}
{"sku":"D","qty":10,"location":"WH1/B/01","ts":"2026-08-01T00:00:00Z"}
{"sku":"E","qty":50,"location":"WH1/B/01","ts":"2026-08-01T00:00:00Z"}
X
# Shipped to @customer, by month:
#        Aug  Sep  Oct  Nov   all
#   A     -   10   10   10    30
#   B     -    -   20   10    30
#   C     -    -    -   30    30   (and 5 scrapped in Nov: not demand)
#   D     -    -    -    -     0
#   E    10    -    -    -    10
ims-move -q <<'X'
{"sku":"E","qty":10,"from":"WH1/B/01","to":"@customer","ts":"2026-08-20T00:00:00Z"}
{"sku":"A","qty":10,"from":"WH1/A/01","to":"@customer","ts":"2026-09-10T00:00:00Z"}
{"sku":"A","qty":10,"from":"WH1/A/01","to":"@customer","ts":"2026-10-10T00:00:00Z"}
{"sku":"B","qty":20,"from":"WH1/A/01","to":"@customer","ts":"2026-10-10T00:00:00Z"}
{"sku":"A","qty":10,"from":"WH1/A/01","to":"@customer","ts":"2026-11-10T00:00:00Z"}
{"sku":"B","qty":10,"from":"WH1/A/01","to":"@customer","ts":"2026-11-10T00:00:00Z"}
{"sku":"C","qty":30,"from":"WH1/B/01","to":"@customer","ts":"2026-11-10T00:00:00Z"}
{"sku":"C","qty":5,"from":"WH1/B/01","to":"@scrap","ts":"2026-11-11T00:00:00Z"}
X
ok "five items, their receipts and shipments"

cls() { jfield class <"$T/out" | tr '\n' ' '; }
skus() { jfield sku <"$T/out" | tr '\n' ' '; }

# --- abc ---
# Values over all time: A 30*10 = 300, B 30*2 = 60, E 10*6 = 60, C 30*1
# = 30, D 0; total 450.  Ranked by value, the tie B = E by sku: A, B, E,
# C, D.  Cumulative: 300 (66.67%), 360 (80%), 420 (93.33%), 450, 450.
# A class by where the sku's slice of the curve starts: A at 0 -> A;
# B at 66.67% < 80 -> A; E at exactly 80%, not below 80 -> B; C at
# 93.33% < 95 -> B; D has no consumption -> C.
check_rc 0 "abc" ims-report abc
is "$(cat "$T/out")" '{"sku":"A","qty":30,"unit_cost":10,"value":300,"cum_value":300,"cum_pct":66.67,"class":"A"}
{"sku":"B","qty":30,"unit_cost":2,"value":60,"cum_value":360,"cum_pct":80,"class":"A"}
{"sku":"E","qty":10,"unit_cost":6,"value":60,"cum_value":420,"cum_pct":93.33,"class":"B"}
{"sku":"C","qty":30,"unit_cost":1,"value":30,"cum_value":450,"cum_pct":100,"class":"B"}
{"sku":"D","qty":0,"unit_cost":5,"value":0,"cum_value":450,"cum_pct":100,"class":"C"}' \
	"ranked by value, ties by sku; a slice starting at 80% is not A"
# Cut-offs 60,90: B starts at 66.67 >= 60 -> B; E at 80 -> B; C at
# 93.33 >= 90 -> C.
check_rc 0 "--abc-cuts 60,90" ims-report abc --abc-cuts 60,90
is "$(cls)" "A B B C C " "the cut-offs move the classes"
check_rc 0 "--abc-cuts 100,100" ims-report abc --abc-cuts 100,100
is "$(cls)" "A A A A C " "everything consumed is A; no consumption is C"
# Since November: A 10*10 = 100, C 30*1 = 30, B 10*2 = 20, D 0, E 0;
# total 150.  A starts at 0 -> A; C at 100/150 = 66.7% -> A; B at
# 130/150 = 86.7% -> B; D and E (no consumption, by sku) -> C.
check_rc 0 "abc --since 2026-11-01" ims-report abc --since 2026-11-01
is "$(skus)" "A C B D E " "ranked over the period"
is "$(cls)" "A A B C C " "classed over the period"
check_rc 0 "abc --until 2026-08-31" ims-report abc --until 2026-08-31
is "$(skus)$(cls)" "E A B C D A C C C C " "up to the end of August: E alone"
check_rc 0 "abc --as-of is --until" ims-report abc --as-of 2026-08-31T23:59:59Z
is "$(skus)$(cls)" "E A B C D A C C C C " "the same"
check_rc 0 "abc --sku B" ims-report abc --sku B
is "$(cat "$T/out")" '{"sku":"B","qty":30,"unit_cost":2,"value":60,"cum_value":360,"cum_pct":80,"class":"A"}' \
	"one sku's row, ranked among all"
check_rc 0 "abc -o table" ims-report abc -o table
is "$(cat "$T/out")" 'sku    qty  unit_cost  value  cum_value  cum_pct  class
A       30         10    300        300    66.67  A
B       30          2     60        360       80  A
E       10          6     60        420    93.33  B
C       30          1     30        450      100  B
D        0          5      0        450      100  C
-----  ---  ---------  -----  ---------  -------  -----
total                    450' "aligned, with the total value under a rule"
check_rc 0 "abc -o csv" ims-report abc -o csv
is "$(head -2 "$T/out" | tr -d '\r')" 'sku,qty,unit_cost,value,cum_value,cum_pct,class
A,30,10,300,300,66.67,A' "CSV: the same fields, no totals row"
is "$(lines "$T/out")" 6 "a header and five rows"

# --- xyz ---
# Monthly demand September to November (3 periods), population sd:
#   A 10 10 10: mean 10, sd 0, cv 0 -> X
#   B  0 20 10: mean 10, var (100+100+0)/3 = 200/3, sd 8.1650, cv 0.816 -> Y
#   C  0  0 30: mean 10, var (100+100+400)/3 = 200, sd 14.142, cv 1.414 -> Z
#   D, E: no demand in the range -> cv null, Z
check_rc 0 "xyz" ims-report xyz --since 2026-09-01 --until 2026-11-30
is "$(cat "$T/out")" '{"sku":"A","periods":3,"demand":30,"mean":10,"cv":0,"class":"X"}
{"sku":"B","periods":3,"demand":30,"mean":10,"cv":0.816,"class":"Y"}
{"sku":"C","periods":3,"demand":30,"mean":10,"cv":1.414,"class":"Z"}
{"sku":"D","periods":3,"demand":0,"mean":0,"cv":null,"class":"Z"}
{"sku":"E","periods":3,"demand":0,"mean":0,"cv":null,"class":"Z"}' \
	"coefficients of variation of monthly demand"
# B's cv is 0.81650 exactly-ish, printed 0.816: a cut-off of 0.816 is
# below it (Y), 0.817 above it (X).  C's 1.41421 is within 1.5 (Y).
check_rc 0 "--xyz-cuts 0.816,1.5" ims-report xyz --since 2026-09-01 \
	--until 2026-11-30 --xyz-cuts 0.816,1.5
is "$(cls)" "X Y Y Z Z " "compared exactly, not by the rounded cv"
check_rc 0 "--xyz-cuts 0.817,1.414" ims-report xyz --since 2026-09-01 \
	--until 2026-11-30 --xyz-cuts 0.817,1.414
is "$(cls)" "X X Z Z Z " "1.41421 is past 1.414"
# By week from Monday 2026-11-02 to Sunday 2026-11-15: two weeks; A has
# 10 in the second (10 Nov), none in the first: mean 5, sd 5, cv 1.
check_rc 0 "xyz --period week" ims-report xyz --period week --sku A \
	--since 2026-11-02 --until 2026-11-15
is "$(cat "$T/out")" '{"sku":"A","periods":2,"demand":10,"mean":5,"cv":1,"class":"Y"}' \
	"weekly periods; a cv equal to the cut-off (1) is within it"
# Since the first movement (1 Aug) to now (27 Nov): four months.  A:
# 0 10 10 10: mean 7.5, var (56.25+3*6.25)/4 = 18.75, sd 4.3301, cv 0.577.
check_rc 0 "xyz: the range defaults" ims-report xyz --sku A
is "$(cat "$T/out")" '{"sku":"A","periods":4,"demand":30,"mean":7.5,"cv":0.577,"class":"Y"}' \
	"from the first movement to now, by month"

# --- fsn ---
# From 1 September to now (27 Nov 12:00).  Stock at the start (opening)
# and the end (closing), issues to @customer in the range, turnover =
# issued / ((opening + closing) / 2):
#   A 100 -> 70, issued 30: 60/170 = 0.353; last issue 10 Nov, 17 days
#   B 100 -> 70, issued 30: 0.353, 17 days
#   C 100 -> 65 (scrap too), issued 30: 60/165 = 0.364, 17 days
#   D 10 -> 10, issued 0: turnover 0; never issued -> N
#   E 40 -> 40, issued 0: 0; last issue 20 Aug, 99.5 days -> 99 > 90 -> N
# Default cut-offs 3 and 90: A, B, C slow.
check_rc 0 "fsn" ims-report fsn --since 2026-09-01
is "$(cat "$T/out")" '{"sku":"A","issued":30,"opening":100,"closing":70,"turnover":0.353,"last_issue":"2026-11-10T00:00:00Z","days_since_issue":17,"class":"S"}
{"sku":"B","issued":30,"opening":100,"closing":70,"turnover":0.353,"last_issue":"2026-11-10T00:00:00Z","days_since_issue":17,"class":"S"}
{"sku":"C","issued":30,"opening":100,"closing":65,"turnover":0.364,"last_issue":"2026-11-10T00:00:00Z","days_since_issue":17,"class":"S"}
{"sku":"D","issued":0,"opening":10,"closing":10,"turnover":0,"last_issue":null,"days_since_issue":null,"class":"N"}
{"sku":"E","issued":0,"opening":40,"closing":40,"turnover":0,"last_issue":"2026-08-20T00:00:00Z","days_since_issue":99,"class":"N"}' \
	"turnover and days since the last issue, by hand"
check_rc 0 "--fsn-cuts 0.36,99" ims-report fsn --since 2026-09-01 --fsn-cuts 0.36,99
is "$(cls)" "S S F N S " "C's 0.364 is fast; E's 99 days are within 99"
check_rc 0 "--fsn-cuts 0.353,16" ims-report fsn --since 2026-09-01 --fsn-cuts 0.353,16
is "$(cls)" "N N N N N " "17 days without an issue is past 16"
check_rc 0 "fsn --as-of" ims-report fsn --since 2026-09-01 --as-of 2026-10-31T00:00:00Z
is "$(cat "$T/out" | sed -n 2p)" '{"sku":"B","issued":20,"opening":100,"closing":80,"turnover":0.222,"last_issue":"2026-10-10T00:00:00Z","days_since_issue":21,"class":"S"}' \
	"as of 31 Oct: B issued 20, 40/180 = 0.222, 21 days"

# --- ved ---
check_rc 0 "ved" ims-report ved
is "$(cat "$T/out")" '{"sku":"A","name":"Alpha","criticality":"V","class":"vital"}
{"sku":"B","name":"Beta","criticality":"E","class":"essential"}
{"sku":"C","name":"Gamma","criticality":null,"class":"desirable"}
{"sku":"D","name":"Delta","criticality":"D","class":"desirable"}
{"sku":"E","name":"Epsilon","criticality":"V","class":"vital"}' \
	"criticality; none is desirable"
check_rc 0 "ved --sku E" ims-report ved --sku E
is "$(skus)" "E " "one item"

# --- matrices ---
# September to November: ABC values A 300, B 60, C 30, D 0, E 0 (total
# 390): A at 0 -> A, B at 76.9% -> A, C at 92.3% -> B, D and E -> C.
# XYZ as above: A X, B Y, C Z, D Z, E Z.
check_rc 0 "--matrix xyz" ims-report abc --matrix xyz --since 2026-09-01 \
	--until 2026-11-30
is "$(cat "$T/out")" '{"abc":"A","X":1,"Y":1,"Z":0,"skus":2}
{"abc":"B","X":0,"Y":0,"Z":1,"skus":1}
{"abc":"C","X":0,"Y":0,"Z":2,"skus":2}' "ABC by XYZ"
# VED: A V, B E, C D, D D, E V.
check_rc 0 "--matrix ved -o table" ims-report abc --matrix ved \
	--since 2026-09-01 --until 2026-11-30 -o table
is "$(cat "$T/out")" 'abc    V  E  D  skus
A      1  1  0     2
B      0  0  1     1
C      1  0  1     2
-----  -  -  -  ----
total  2  1  2     5' "ABC by VED, totals at the foot"
check_rc 0 "--matrix ved -o csv" ims-report abc --matrix ved -o csv
is "$(head -1 "$T/out" | tr -d '\r')" "abc,V,E,D,skus" "its own columns"

# --- bad input ---
check_rc 2 "an unknown report" ims-report abcd
like 'unknown report "abcd"' "$T/err" "says which"
like 'reports: onhand ledger .*abc xyz fsn ved' "$T/err" "and lists the reports"
check_rc 2 "an invalid timestamp" ims-report abc --since 2026-13-01
like '--since "2026-13-01"' "$T/err" "names it"
check_rc 2 "--since after --until" ims-report xyz --since 2026-11-02 --until 2026-11-01
like 'since is after --until' "$T/err" "says so"
check_rc 2 "an unknown sku" ims-report abc --sku NOPE
like '--sku "NOPE": no such item' "$T/err" "says so"
is "$(cat "$T/out")" "" "and prints nothing"
check_rc 2 "xyz: an unknown sku" ims-report xyz --sku NOPE
check_rc 2 "fsn: an unknown sku" ims-report fsn --sku NOPE
check_rc 2 "ved: an unknown sku" ims-report ved --sku NOPE
check_rc 2 "an option ved does not take" ims-report ved --since 2026-01-01
like '--since does not apply to ved' "$T/err" "says so"
check_rc 2 "xyz does not take --abc-cuts" ims-report xyz --abc-cuts 70,90
check_rc 2 "fsn does not take --matrix" ims-report fsn --matrix xyz
check_rc 2 "cut-offs the wrong way round" ims-report abc --abc-cuts 95,80
like 'first no greater than the second' "$T/err" "says so"
check_rc 2 "one cut-off" ims-report abc --abc-cuts 80
check_rc 2 "a cut-off past 100" ims-report abc --abc-cuts 80,101
check_rc 2 "a cv that is not a number" ims-report xyz --xyz-cuts x,1
check_rc 2 "fsn days not a number" ims-report fsn --fsn-cuts 3,many
check_rc 2 "an unknown matrix" ims-report abc --matrix fsn
check_rc 2 "an unknown period" ims-report xyz --period year
check_rc 2 "--until with --as-of" ims-report abc --until 2026-11-01 --as-of 2026-11-01
check_rc 2 "a clock that is no timestamp" env IMS_NOW=yesterday ims-report abc
like 'IMS_NOW is not a timestamp' "$T/err" "says so"
check_rc 0 "no clock needed with --until" env IMS_NOW=yesterday ims-report abc \
	--until 2026-08-31
is "$(skus)" "E A B C D " "the report of that range"
check_rc 0 "nor by ved" env IMS_NOW=yesterday ims-report ved

echo "1..$_n"
done_testing
