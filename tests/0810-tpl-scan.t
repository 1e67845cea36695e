#!/bin/sh
# Barcodes and packs in the records: a scanner's output posted as
# receipts, moves and counts; a receipt in cases; every bad scan
# rejected whole.
. "$(dirname "$0")/lib.sh"

ims-client -q <<'X'
{"id":"ACME","name":"Acme"}
X
ims-item -q <<'X'
{"sku":"A-1","uom":"ea","owner":"ACME","barcode":"4006381333931","packs":{"case":12,"pallet":480}}
{"sku":"F-1","uom":"kg","barcode":"036000291452","packs":"sack:2.5"}
{"sku":"T-1","barcode":"TAG-0001"}
X
ims-loc -q <<'X'
code,barcode
WH1/A/01,LOC-A01
WH1/A/02,LOC-A02
WH1/B/01,
X

# --- a receipt in cases: 3 cases of 12 are 36 ea in the journal ---
check_rc 0 "a receipt in cases" ims-receive <<'X'
{"sku":"A-1","qty":3,"uom":"case","location":"WH1/A/01","ref":"asn-1/1"}
X
is "$(jfield qty <"$T/out")" 36 "stored as 36 base units"
is "$(jfield uom <"$T/out")" "" "the journal keeps no uom"
check_rc 0 "the same receipt again" ims-receive <<'X'
{"sku":"A-1","qty":3,"uom":"case","location":"WH1/A/01","ref":"asn-1/1"}
X
like 'skipped' "$T/err" "is skipped: the ref's content is the base units"
check_rc 1 "the same ref in base units of another count" ims-receive <<'X'
{"sku":"A-1","qty":35,"location":"WH1/A/01","ref":"asn-1/1"}
X
check_rc 0 "the same ref as 36 base units" ims-receive <<'X'
{"sku":"A-1","qty":36,"location":"WH1/A/01","ref":"asn-1/1"}
X
like 'skipped' "$T/err" "is the same receipt"
check_rc 0 "a uom that is the base unit" ims-receive <<'X'
{"sku":"A-1","qty":4,"uom":"ea","location":"WH1/A/01"}
X
is "$(jfield qty <"$T/out")" 4 "converts nothing"
check_rc 0 "half a sack of a measured item" ims-receive <<'X'
{"sku":"F-1","qty":1.5,"uom":"sack","location":"WH1/A/02"}
X
is "$(jfield qty <"$T/out")" 3.75 "1.5 x 2.5 kg = 3.75 kg exactly"

# --- a scanner file: barcodes for skus and locations, CSV without sku ---
cat >scan.csv <<'X'
barcode,qty,location_barcode
4006381333931,1,LOC-A02
0036000291452,2,LOC-A02
TAG-0001,7,LOC-A01
4006381333931,1,LOC-A02
X
check_rc 0 "a scanner's receipts" ims-receive scan.csv
is "$(jfield sku <"$T/out" | tr '\n' ' ')" "A-1 F-1 T-1 A-1 " "each barcode its sku (a UPC-A scanned as EAN-13 too)"
is "$(jfield to <"$T/out" | sort -u | tr '\n' ' ')" "WH1/A/01 WH1/A/02 " "each location barcode its location"
cat >moves.csv <<'X'
barcode,qty,uom,from_barcode,to_barcode
4006381333931,1,case,LOC-A01,LOC-A02
TAG-0001,2,,LOC-A01,LOC-A02
X
check_rc 0 "a scanner's moves, one in cases" ims-move moves.csv
is "$(jfield qty <"$T/out" | tr '\n' ' ')" "12 2 " "1 case is 12 ea"
printf '{"barcode":"4006381333931","qty":1,"from":"WH1/A/02","to":"@customer"}\n' |
	ims-move -q
ok "a shipment by barcode"
is "$(ims-report onhand --sku A-1 | jfield on_hand | tr '\n' ' ')" "28 13 " \
	"A-1 by hand: 36 + 4 - 12 = 28 in A/01; 1 + 1 + 12 - 1 = 13 in A/02"

# --- a count by barcode, in packs ---
cat >count.csv <<'X'
location_barcode,barcode,counted,uom
LOC-A01,4006381333931,2,case
LOC-A01,TAG-0001,5,
X
check_rc 0 "a count by scanner" ims-count --apply count.csv
is "$(jfield counted <"$T/out" | tr '\n' ' ')" "24 5 " "2 cases counted as 24"
is "$(jfield variance <"$T/out" | tr '\n' ' ')" "-4 0 " "28 on the book: -4; T-1 5 = 7 - 2"
check_rc 0 "ims-check" ims-check
printf '{"location":"WH1/A/01","sku":"T-1","counted":4}\n' | ims-count -q --apply
is "$(ims-report adjustments | jfield sku | tr '\n' ' ')" "A-1 T-1 " "two skus adjusted"
is "$(ims-report adjustments --client ACME | jfield sku | tr '\n' ' ')" "A-1 " \
	"adjustments --client: ACME's sku only"
check_rc 0 "accuracy --client" ims-report accuracy --client ACME
is "$(tail -n 1 "$T/out" | jfield counted)" 1 "ACME's one counted balance"

# --- bad scans ---
rejects "a barcode no item has" 'stdin:1: barcode "5901234123457": no item has it' \
	ims-receive <<'X'
{"barcode":"5901234123457","qty":1,"location":"WH1/A/01"}
X
rejects "a scanned check digit that is wrong" 'stdin:1: barcode "4006381333932": the EAN-13 check digit is 1, not 2' \
	ims-receive <<'X'
{"barcode":"4006381333932","qty":1,"location":"WH1/A/01"}
X
rejects "a location barcode no location has" 'stdin:1: location_barcode "LOC-Z": no location has it' \
	ims-receive <<'X'
{"sku":"A-1","qty":1,"location_barcode":"LOC-Z"}
X
rejects "a barcode that is another sku" 'stdin:1: barcode "4006381333931" is sku "A-1", not "T-1"' \
	ims-receive <<'X'
{"sku":"T-1","barcode":"4006381333931","qty":1,"location":"WH1/A/01"}
X
rejects "a location barcode that is another location" 'stdin:1: to_barcode "LOC-A02" is to "WH1/A/02", not "WH1/B/01"' \
	ims-move <<'X'
{"sku":"T-1","qty":1,"from":"WH1/A/01","to":"WH1/B/01","to_barcode":"LOC-A02"}
X
rejects "an unknown pack" 'stdin:1: unknown pack "crate" of sku "A-1" \(its unit is "ea"\)' \
	ims-receive <<'X'
{"sku":"A-1","qty":1,"uom":"crate","location":"WH1/A/01"}
X
rejects "a pack of an item without packs" 'stdin:1: unknown pack "case" of sku "T-1"' \
	ims-receive <<'X'
{"sku":"T-1","qty":1,"uom":"case","location":"WH1/A/01"}
X
rejects "part of a case that is not whole units" 'stdin:1: qty 0\.1 "case" of sku "A-1" is 1\.2 ea: not a whole number' \
	ims-receive <<'X'
{"sku":"A-1","qty":0.1,"uom":"case","location":"WH1/A/01"}
X
rejects "packs beyond the store's precision" 'stdin:1: qty 0\.001 "sack" of sku "F-1" is more than the store holds, or not exact' \
	ims-receive <<'X'
{"sku":"F-1","qty":0.001,"uom":"sack","location":"WH1/A/01"}
X
printf 'barcode,qty,location_barcode\n4006381333931,1,LOC-A01\n1234567890128,1,LOC-A01\n' >scan2.csv
rejects "a bad scan among good ones" 'scan2\.csv:3: barcode "1234567890128": no item has it' \
	ims-receive scan2.csv
rejects "a count of an unknown pack" 'stdin:1: unknown pack "crate"' ims-count --apply <<'X'
{"location":"WH1/A/01","sku":"A-1","counted":1,"uom":"crate"}
X
check_rc 1 "a CSV header with neither sku nor barcode" ims-receive <<'X'
code,qty,location
X
like 'the header lacks the required column "sku"' "$T/err" "names sku"

echo "1..$_n"
done_testing
