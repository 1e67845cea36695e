#!/bin/sh
# ims-po: drafting from records, --list, --show, approve, cancel, close;
# ims-receive against PO lines (by po_line or sku, tolerances, lines and
# POs closing); ims-report suppliers and ims_lead_time with figures
# worked out by hand; export and restore; every bad input rejected.
. "$IMS_TOP/tests/lib.sh"

LEADTIME=$(dirname "$IMS_BIN")/tests/lead-time
setup_master
ims-supplier -q <<'X'
id,name,lead_time_days
SUP-2,Bolts Ltd,10
SUP-3,Idle,3
X
ims-item -q <<'X'
sku,name,unit_cost,supplier,lead_time_days,receipt_tolerance
B-7,washer,2,SUP-2,4,0.1
X
zero_diff() { # zero_diff DESC: ims-check finds nothing
	ims-check >"$T/chk" 2>&1
	is "$?" 0 "$1: ims-check passes"
	like ' 0 differences' "$T/chk" "$1: 0 differences"
}
col() { # col NAME: a field of every line of $T/out
	jfield "$1" <"$T/out" | tr '\n' ' '
}
receipt() { # receipt JSON-FIELDS: one receipt record into r.ndjson
	printf '{"location":"WH1/A/01",%s}\n' "$1" >r.ndjson
}

# --- drafting --------------------------------------------------------
# PO-1 by ref run-1, lines numbered in input order; PO-2 with named
# lines; the supplier on a PO's first line only
cat >pa.ndjson <<'X'
{"po":"PO-1","supplier":"SUP-1","sku":"A-100","qty":100,"unit_cost":0.2,"due":"2026-11-10","ts":"2026-11-01T08:00:00Z","ref":"run-1"}
{"po":"PO-1","sku":"K-1","qty":10,"unit_cost":1}
X
cat >pb.ndjson <<'X'
{"po":"PO-2","supplier":"SUP-2","line":"L1","sku":"B-7","qty":50,"unit_cost":2,"ts":"2026-11-01T08:00:00Z"}
{"po":"PO-2","supplier":"SUP-2","line":"L2","sku":"A-100","qty":20,"due":"2026-11-05"}
{"po":"PO-3","supplier":"SUP-1","sku":"K-1","qty":5}
{"po":"PO-4","supplier":"SUP-1","sku":"A-100","qty":8,"ts":"2026-11-01T09:00:00Z"}
{"po":"PO-5","supplier":"SUP-1","sku":"K-1","qty":3}
X
check_rc 0 "drafting PO-1" ims-po pa.ndjson
is "$(col op)/$(col po)/$(col ref)" "create /PO-1 /run-1 " "one create entry, its ref"
like '"lines":\[\{"line":"1","sku":"A-100","qty":100,"unit_cost":0.2,"due":"2026-11-10"\},\{"line":"2","sku":"K-1","qty":10,"unit_cost":1\}\]' \
    "$T/out" "the entry carries the lines, numbered"
check_rc 0 "drafting PO-2 to PO-5" ims-po pb.ndjson
is "$(col po)" "PO-2 PO-3 PO-4 PO-5 " "a PO per po, lines grouped"
is "$(col ts)" "2026-11-01T08:00:00Z 2026-11-27T12:00:00Z 2026-11-01T09:00:00Z 2026-11-27T12:00:00Z " \
    "drafted at ts, else now"
zero_diff "after drafting"

ims-po --list >"$T/out"
is "$(col po)" "PO-1 PO-2 PO-3 PO-4 PO-5 " "--list: every PO"
is "$(col status)" "draft draft draft draft draft " "all drafts"
is "$(col lines) / $(col qty) / $(col value)" "2 2 1 1 1  / 110 70 5 8 3  / 30 100 0 0 0 " \
    "lines, qty and value: 100*0.2+10*1=30, 50*2=100 (L2 has no cost)"
ims-po --list --supplier SUP-2 >"$T/out"
is "$(col po)" "PO-2 " "--supplier: only its POs"
ims-po --show PO-1 >"$T/out"
is "$(col line) / $(col sku) / $(col open) / $(col status)" \
    "1 2  / A-100 K-1  / 100 10  / open open " "--show: the lines"
is "$(col due)" "2026-11-10  " "--show: the due date where there is one"
ims-po --show PO-2 -o csv >"$T/out"
is "$(head -1 "$T/out" | tr -d '\r')" "po,line,sku,qty,received,open,unit_cost,due,status" \
    "--show -o csv: its header"

# the same PO by the same ref again: skipped; by another ref: refused
before=$(snapshot)
check_rc 0 "PO-1 by ref run-1 again" ims-po pa.ndjson
like 'pa.ndjson:1: .*PO-1.*drafted by ref "run-1" before: skipped' "$T/err" \
    "says it was skipped, at its first line"
is "$(snapshot)" "$before" "skipped: store unchanged"
sed 's/run-1/run-2/' pa.ndjson >pa2.ndjson
rejects "PO-1 by another ref" 'pa2.ndjson:1: po "PO-1" exists' \
    ims-po pa2.ndjson
rejects "PO-2 again, no ref" 'pb.ndjson:1: po "PO-2" exists' \
    ims-po pb.ndjson

# bad lines: each names its file:line
printf '%s\n' '{"po":"PO-9","sku":"A-100","qty":1}' >bad.ndjson
rejects "no supplier" 'bad.ndjson:1: missing field supplier' \
    ims-po bad.ndjson
printf '%s\n' '{"po":"PO-9","supplier":"SUP-1","sku":"A-100","qty":1}' \
    '{"po":"PO-9","supplier":"SUP-2","sku":"K-1","qty":1}' >bad.ndjson
rejects "a second supplier" 'bad.ndjson:2: po "PO-9" has supplier "SUP-1" on an earlier line' \
    ims-po bad.ndjson
printf '%s\n' '{"po":"PO-9","supplier":"SUP-9","sku":"A-100","qty":1}' >bad.ndjson
rejects "unknown supplier" 'bad.ndjson:1: unknown supplier "SUP-9"' \
    ims-po bad.ndjson
printf '%s\n' '{"po":"PO-9","supplier":"SUP-1","sku":"A-100","qty":1}' \
    '{"po":"PO-9","sku":"Z-1","qty":1}' >bad.ndjson
rejects "unknown sku" 'bad.ndjson:2: unknown sku "Z-1"' ims-po bad.ndjson
printf 'po,supplier,sku,qty\nPO-9,SUP-1,A-100,0\n' >bad.csv
rejects "zero qty" 'bad.csv:2: qty must be positive' ims-po bad.csv
printf 'po,supplier,sku,qty\nPO-9,SUP-1,A-100,-2\n' >bad.csv
rejects "negative qty" 'bad.csv:2: qty must be positive' ims-po bad.csv
printf 'po,supplier,sku\nPO-9,SUP-1,A-100\n' >bad.csv
rejects "no qty" 'bad.csv:2: missing field qty' ims-po bad.csv
printf '%s\n' '{"po":"PO-9","supplier":"SUP-1","line":"a","sku":"A-100","qty":1}' \
    '{"po":"PO-9","line":"a","sku":"K-1","qty":1}' >bad.ndjson
rejects "a line named twice" 'bad.ndjson:2: po "PO-9" line "a" is given twice' \
    ims-po bad.ndjson
printf '%s\n' '{"po":"PO-9","supplier":"SUP-1","sku":"A-100","qty":1,"ts":"2026-11-02","approved":"2026-11-01"}' >bad.ndjson
rejects "approved before drafted" 'bad.ndjson:1: po "PO-9": approved before it was drafted' \
    ims-po bad.ndjson
# --keep-going: the good PO is drafted, none of the bad one
printf '%s\n' '{"po":"PO-8","supplier":"SUP-1","sku":"A-100","qty":1}' \
    '{"po":"PO-9","supplier":"SUP-1","sku":"A-100","qty":1}' \
    '{"po":"PO-9","sku":"Z-1","qty":1}' >kg.ndjson
check_rc 1 "--keep-going with a bad line" ims-po -n --keep-going kg.ndjson
is "$(col po)" "PO-8 " "--keep-going: a PO with a rejected line is not drafted"
like '2 of 3 records rejected' "$T/err" "--keep-going: both lines of PO-9 count as rejected"
ims-po --list >"$T/out"
is "$(col po)" "PO-1 PO-2 PO-3 PO-4 PO-5 " "a dry run: nothing stored"
zero_diff "after the refusals"

# --- approve, cancel, close ------------------------------------------
check_rc 0 "approve PO-1, PO-2, PO-4 --at" \
    ims-po --approve --at 2026-11-02T08:00:00Z PO-1 PO-2 PO-4
is "$(col op) / $(col ts)" "approve approve approve  / 2026-11-02T08:00:00Z 2026-11-02T08:00:00Z 2026-11-02T08:00:00Z " \
    "an approve entry each, at --at"
check_rc 0 "cancel PO-3" ims-po --cancel --at 2026-11-03T00:00:00Z PO-3
before=$(snapshot)
check_rc 0 "approving PO-1 twice" ims-po --approve PO-1
like 'po "PO-1" is approved already: skipped' "$T/err" "says it was skipped"
is "$(snapshot)" "$before" "approved twice: store unchanged"
rejects "approving a cancelled PO" 'po "PO-3" is cancelled: it cannot be approved' \
    ims-po --approve PO-3
rejects "closing a cancelled PO" 'po "PO-3" is cancelled: it cannot be closed' \
    ims-po --close PO-3
rejects "approving an unknown PO" 'unknown po "PO-77"' ims-po --approve PO-77
check_rc 2 "--at that is no time" ims-po --approve --at yesterday PO-5
check_rc 2 "--open without --list" ims-po --approve --open PO-5
check_rc 2 "two modes" ims-po --list --show PO-1
ims-po --list --open >"$T/out"
is "$(col po)" "PO-1 PO-2 PO-4 PO-5 " "--open: drafted or approved, not PO-3"
is "$(col status)" "approved approved approved draft " "their status"
ims-po --list >"$T/out"
is "$(jfield ended <"$T/out" | sed -n 3p)" "2026-11-03T00:00:00Z" "PO-3 ended at its cancel"
zero_diff "after approve and cancel"

# --- receipts against POs ----------------------------------------------
receipt '"sku":"A-100","qty":60,"po":"PO-1","ts":"2026-11-06T08:00:00Z"'
check_rc 0 "a receipt found by sku" ims-receive r.ndjson
is "$(col po_line)" "1 " "the entry records the line it took: 1"
receipt '"sku":"K-1","qty":10,"po":"PO-1","po_line":"2","ts":"2026-11-07T08:00:00Z"'
check_rc 0 "a receipt by po_line" ims-receive r.ndjson
ims-po --show PO-1 >"$T/out"
is "$(col received) / $(col open) / $(col status)" \
    "60 10  / 40 0  / partially received received " "line 2 closes when complete"
ims-po --list --open --supplier SUP-1 >"$T/out"
is "$(col po) $(col status)" "PO-1 PO-4 PO-5  approved approved draft " \
    "PO-1 open while line 1 is"
zero_diff "after the first receipts"

receipt '"sku":"A-100","qty":45,"po":"PO-1","ts":"2026-11-08T08:00:00Z"'
rejects "over-receipt" 'r.ndjson:1: po "PO-1" line "1": 105 received would pass the 100 ordered' \
    ims-receive r.ndjson
rejects "over-receipt past --tolerance 4%" 'r.ndjson:1: .*105 received would pass the 100 ordered and its tolerance' \
    ims-receive --tolerance 4% r.ndjson
check_rc 2 "--tolerance over 100%" ims-receive --tolerance 101% r.ndjson
check_rc 2 "--tolerance that is no number" ims-receive --tolerance lots r.ndjson
check_rc 0 "--tolerance 5% allows 105 of 100" ims-receive --tolerance 5% r.ndjson
ims-po --list >"$T/out"
is "$(jfield status <"$T/out" | sed -n 1p) $(jfield received <"$T/out" | sed -n 1p) $(jfield ended <"$T/out" | sed -n 1p)" \
    "received 115 2026-11-08T08:00:00Z" "PO-1 received when its last line is, at that receipt"
receipt '"sku":"A-100","qty":1,"po":"PO-1","ts":"2026-11-09T08:00:00Z"'
rejects "a receipt against a received PO" 'r.ndjson:1: po "PO-1" is received, not approved' \
    ims-receive --tolerance 50% r.ndjson
zero_diff "after PO-1 is received"

# PO-2: B-7 carries receipt_tolerance 0.1: 55 of 50 at most, whatever
# --tolerance says
receipt '"sku":"S-300","qty":1,"serial":"SN1","po":"PO-2","ts":"2026-11-05T20:00:00Z"'
rejects "a sku the PO does not have" 'r.ndjson:1: po "PO-2" has no line for sku "S-300"' \
    ims-receive r.ndjson
receipt '"sku":"A-100","qty":1,"po":"PO-2","po_line":"L1","ts":"2026-11-05T20:00:00Z"'
rejects "a po_line of another sku" 'r.ndjson:1: po "PO-2" line "L1" is for sku "B-7", not "A-100"' \
    ims-receive r.ndjson
receipt '"sku":"B-7","qty":1,"po":"PO-2","po_line":"L9","ts":"2026-11-05T20:00:00Z"'
rejects "a po_line the PO does not have" 'r.ndjson:1: po "PO-2" has no line "L9"' \
    ims-receive r.ndjson
receipt '"sku":"B-7","qty":1,"po_line":"L1","ts":"2026-11-05T20:00:00Z"'
rejects "po_line without po" 'r.ndjson:1: po_line without po' ims-receive r.ndjson
receipt '"sku":"B-7","qty":1,"po":"PO-2","ts":"2026-11-02T07:00:00Z"'
rejects "a receipt before the approval" 'r.ndjson:1: po "PO-2" was approved at 2026-11-02T08:00:00Z' \
    ims-receive r.ndjson
receipt '"sku":"B-7","qty":56,"po":"PO-2","ts":"2026-11-05T20:00:00Z"'
rejects "past the item's receipt_tolerance" 'r.ndjson:1: .*56 received would pass the 50 ordered and its tolerance' \
    ims-receive --tolerance 50% r.ndjson
receipt '"sku":"B-7","qty":54,"po":"PO-2","ts":"2026-11-05T20:00:00Z"'
check_rc 0 "the item's receipt_tolerance allows 54 of 50" ims-receive r.ndjson
is "$(col po_line)" "L1 " "found by sku: L1"
receipt '"sku":"A-100","qty":20,"po":"PO-2","ts":"2026-11-06T10:00:00Z"'
check_rc 0 "L2 in full" ims-receive r.ndjson
ims-po --list --supplier SUP-2 >"$T/out"
is "$(col status) $(col ended)" "received  2026-11-06T10:00:00Z " "PO-2 received"

# unknown, draft, cancelled and closed POs take nothing
receipt '"sku":"K-1","qty":1,"po":"PO-77","ts":"2026-11-05T20:00:00Z"'
rejects "an unknown PO" 'r.ndjson:1: unknown po "PO-77"' ims-receive r.ndjson
receipt '"sku":"K-1","qty":1,"po":"PO-5","ts":"2026-11-05T20:00:00Z"'
rejects "a draft PO" 'r.ndjson:1: po "PO-5" is draft, not approved' \
    ims-receive r.ndjson
receipt '"sku":"K-1","qty":1,"po":"PO-3","ts":"2026-11-05T20:00:00Z"'
rejects "a cancelled PO" 'r.ndjson:1: po "PO-3" is cancelled, not approved' \
    ims-receive r.ndjson
receipt '"sku":"A-100","qty":5,"po":"PO-4","ts":"2026-11-04T08:00:00Z"'
check_rc 0 "PO-4 in part" ims-receive r.ndjson
check_rc 0 "close PO-4 short" ims-po --close --at 2026-11-20T00:00:00Z PO-4
receipt '"sku":"A-100","qty":3,"po":"PO-4","ts":"2026-11-21T08:00:00Z"'
rejects "a closed PO" 'r.ndjson:1: po "PO-4" is closed, not approved' \
    ims-receive r.ndjson
rejects "closing a closed PO" 'po "PO-4" is closed: it cannot be closed' \
    ims-po --close PO-4
ims-po --show PO-4 >"$T/out"
is "$(col received) $(col open) $(col status)" "5  3  partially received " \
    "PO-4's line: 5 of 8"
zero_diff "after every receipt"

# --- ims-report suppliers, by hand -------------------------------------
# Every line but PO-3's (cancelled) and PO-5's (a draft) is settled.
# SUP-1: PO-1/1 A-100 approved 11-02 08:00, completed by the 45 on 11-08
#   08:00: 6 days, by its due date 11-10: on time.  PO-1/2 K-1 complete
#   11-07 08:00: 5 days; no due date, promised 5 (K-1 says none: the
#   supplier's), so due at 11-07 08:00: on time.  PO-4/1 closed short on
#   11-20: not in full; its last receipt (11-04) inside 5 days: on time.
#   lines 3, measured 2, promised (5+5+5)/3 = 5, lead (6+5)/2 = 5.5, sd
#   sqrt(((6-5.5)^2+(5-5.5)^2)/1) = sqrt(0.5) = 0.707; on_time 3/3,
#   in_full 2/3, otif 2/3; value 60*0.25 + 10*1.10 + 45*0.25 + 5*0.25 =
#   15 + 11 + 11.25 + 1.25 = 38.5 (receipts at the item's unit_cost).
# SUP-2: L1 B-7 complete 11-05 20:00: 3.5 days, promised 4 (the item's):
#   on time.  L2 A-100 complete 11-06 10:00: 4 days 2 hours = 4.0833,
#   promised 10 (the supplier's), due 11-05: late.  lines 2, measured 2,
#   promised 7, lead (302400 + 352800) s / 2 / 86400 = 3.79166: 3.792, sd
#   |4.0833 - 3.5| / sqrt(2) = 0.41248: 0.412; on_time 1/2, in_full 1,
#   otif 1/2; value 54*2 + 20*0.25 = 113.
# SUP-3 has no PO: no row.
check_rc 0 "ims-report suppliers" ims-report suppliers
is "$(cat "$T/out")" '{"supplier":"SUP-1","lines":3,"measured":2,"promised_days":5,"lead_time_days":5.5,"lead_time_sd":0.707,"on_time":1,"in_full":0.6667,"otif":0.6667,"value":38.5}
{"supplier":"SUP-2","lines":2,"measured":2,"promised_days":7,"lead_time_days":3.792,"lead_time_sd":0.412,"on_time":0.5,"in_full":1,"otif":0.5,"value":113}' \
    "suppliers: every figure as worked out"
# --since 11-08 --until 11-30: SUP-1's PO-1/1 (11-08) and PO-4 (11-20):
# lines 2, measured 1 (6 days, no sd), in_full 1/2, otif 1/2, value the
# 45 of 11-08: 11.25.  SUP-2 settled nothing then and received nothing.
ims-report suppliers --since 2026-11-08 --until 2026-11-30 >"$T/out"
is "$(cat "$T/out")" '{"supplier":"SUP-1","lines":2,"measured":1,"promised_days":5,"lead_time_days":6,"on_time":1,"in_full":0.5,"otif":0.5,"value":11.25}' \
    "suppliers over a window"
# --until 11-07 (the whole day): SUP-1's PO-1/2 alone, value 15 + 11 +
# 1.25 = 27.25; SUP-2 both lines, as above.
ims-report suppliers --until 2026-11-07 >"$T/out"
is "$(jfield lines <"$T/out" | tr '\n' ' ')$(jfield value <"$T/out" | tr '\n' ' ')" \
    "1 2 27.25 113 " "suppliers --until: the whole of the day"
# --sku A-100: SUP-1 PO-1/1 and PO-4 (value 15 + 11.25 + 1.25 = 27.5);
# SUP-2 L2 alone: 4.083 days, promised 10, late
ims-report suppliers --sku A-100 -o csv >"$T/out"
is "$(tr -d '\r' <"$T/out")" 'supplier,lines,measured,promised_days,lead_time_days,lead_time_sd,on_time,in_full,otif,value
SUP-1,2,1,5,6,,1,0.5,0.5,27.5
SUP-2,1,1,10,4.083,,0,1,0,5' "suppliers --sku, as CSV"
check_rc 2 "--as-of is not for suppliers" ims-report suppliers --as-of 2026-11-01

# ims_lead_time: the same observations per sku, supplier, or both
"$LEADTIME" "$IMS_DB" - SUP-1 SUP-2 SUP-3 >"$T/out"
is "$?" 0 "ims_lead_time per supplier (asked twice: the cache agrees)"
is "$(cat "$T/out")" "5.5000 0.7071 2
3.7917 0.4125 2
0.0000 0.0000 0" "per supplier: 5.5 d sd 0.7071; 3.7917 d sd 0.4125; none"
"$LEADTIME" "$IMS_DB" A-100 - SUP-1 SUP-2 >"$T/out"
is "$(cat "$T/out")" "5.0417 1.3553 2
6.0000 0.0000 1
4.0833 0.0000 1" "per sku A-100 (6 and 4.0833: sd 1.3553), and from each supplier"
"$LEADTIME" "$IMS_DB" K-1 - >"$T/out"
is "$(cat "$T/out")" "5.0000 0.0000 1" "per sku K-1: PO-3's cancelled line is no observation"

# --- export and restore give the same POs ----------------------------
ims-log >exp.ndjson
IMS_DB=$T/db2 ims-log --restore -q <exp.ndjson
is "$?" 0 "restore of the POs and receipts"
for q in "--list" "--show PO-1" "--show PO-2" "--show PO-4"; do
	# shellcheck disable=SC2086
	is "$(IMS_DB=$T/db2 ims-po $q)" "$(ims-po $q)" "restored: ims-po $q"
done
is "$(IMS_DB=$T/db2 ims-report suppliers)" "$(ims-report suppliers)" \
    "restored: ims-report suppliers"
IMS_DB=$T/db2 ims-check >"$T/chk" 2>&1
like ' 0 differences' "$T/chk" "restored: ims-check 0 differences"

# --- a sku on two lines; receipts of one batch add up; refs -------------
printf 'po,supplier,line,sku,qty,approved,ts\nPO-6,SUP-3,a,K-1,5,2026-11-02,2026-11-01\nPO-6,SUP-3,b,A-100,5,,\nPO-6,SUP-3,c,K-1,5,,\n' >p6.csv
check_rc 0 "PO-6 drafted and approved in one run" ims-po p6.csv
is "$(col op)" "create approve " "a create and an approve entry"
printf 'sku,qty,location,po,ref\nK-1,3,WH1/A/01,PO-6,d1\n' >r6.csv
check_rc 0 "3 of K-1: to line a" ims-receive r6.csv
is "$(col po_line)" "a " "the first open line for the sku"
before=$(snapshot)
check_rc 0 "the same receipt by its ref again" ims-receive r6.csv
is "$(snapshot)" "$before" "skipped: line a not counted twice"
# a has 3 of 5: the 2 fit it; then the 5 fit c only; then the 4 fit
# nowhere (a and c complete): the batch is refused
printf 'sku,qty,location,po\nK-1,2,WH1/A/01,PO-6\nK-1,5,WH1/A/01,PO-6\nK-1,4,WH1/A/01,PO-6\n' >r6b.csv
rejects "receipts of one batch add up" 'r6b.csv:4: po "PO-6" line "a": 9 received would pass the 5 ordered' \
    ims-receive r6b.csv
head -3 r6b.csv >r6c.csv
check_rc 0 "2 and 5 of K-1" ims-receive r6c.csv
is "$(col po_line)" "a c " "each to the first open line that can take it all"
ims-po --show PO-6 >"$T/out"
is "$(col received)/$(col status)" "5 0 5 /received open received " \
    "a and c complete, b open"
ims-po --list --open --supplier SUP-3 >"$T/out"
is "$(col po)" "PO-6 " "PO-6 open while b is"
zero_diff "PO-6"

# --- the sample's POs: every receipt's line complete ---------------------
IMS_DB=$T/db3
export IMS_DB
load_sample
is "$?" 0 "the sample loads, its POs and receipts"
ims-po --list --open >"$T/out"
is "$(lines "$T/out")" 0 "every sample PO is received in full"
ims-report suppliers >"$T/out"
is "$(jfield in_full <"$T/out" | sort -u | tr '\n' ' ')" "1 " "in full, every supplier"
before=$(ims-log | wc -l)
check_rc 0 "the sample's POs again: skipped by their refs" ims-po \
    "$IMS_TOP/share/pos.ndjson"
is "$(wc -l <"$T/err")" 1831 "a note for each of the 1831 POs"
is "$(ims-log | wc -l)" "$before" "and nothing posted"
zero_diff "the sample"
# --- ims(1) and the completions know ims-po ------------------------------
ims >"$T/out"
like '^  po +draft, list, approve, cancel and close purchase orders$' "$T/out" \
    "ims lists po"
compl() { # compl WORD...: what bash completes for the last word
	bash -c '. "$1/completions/ims.bash"; shift; COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1)); _ims; echo "${COMPREPLY[*]}"' \
	    sh "$IMS_TOP" "$@" 2>/dev/null
}
is "$(compl ims-po --ap)" "--approve" "bash: ims-po --approve"
is "$(compl ims-po --supp)" "--supplier=" "bash: ims-po --supplier="
is "$(compl ims-receive --tol)" "--tolerance=" "bash: ims-receive --tolerance="
is "$(compl ims p)" "pick po" "bash: ims p: pick and po"
is "$(compl ims-report sup)" "suppliers" "bash: ims-report suppliers"
is "$(compl ims-po --approve '')" "" "bash: no files after --approve"
grep -q '^#compdef.* ims-po' "$IMS_TOP/completions/_ims" &&
	grep -q "^  ims-po)" "$IMS_TOP/completions/_ims" &&
	grep -q -- "--tolerance=\[" "$IMS_TOP/completions/_ims"
ok "zsh: ims-po and ims-receive --tolerance"
echo "1..$_n"
done_testing
