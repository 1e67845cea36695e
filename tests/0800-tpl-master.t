#!/bin/sh
# ims-client and ims-channel; items with an owner, packs and barcodes;
# locations with barcodes: stored, checked, restored, and every bad
# input the issue names rejected whole.
. "$(dirname "$0")/lib.sh"

masters() {
	ims-client --list 2>&1
	ims-channel --list 2>&1
	ims-item --list 2>&1
	ims-loc --list 2>&1
}
snapshot() { masters; ims-log 2>&1; }

# --- clients ---
cat >clients.csv <<'X'
id,name,contact,rate_unit_day,rate_receipt_unit,rate_order
ACME,Acme Ltd,ops@acme.example,0.01,0.05,1.25
BETA,"Beta, GmbH",,0.02,,
X
check_rc 0 "two clients" ims-client clients.csv
is "$(cat "$T/out")" '{"id":"ACME","name":"Acme Ltd","contact":"ops@acme.example","rate_unit_day":0.01,"rate_receipt_unit":0.05,"rate_order":1.25}
{"id":"BETA","name":"Beta, GmbH","rate_unit_day":0.02}' "echoed as stored, rates exact"
check_rc 0 "--show" ims-client --show BETA -o csv
like '^BETA,"Beta, GmbH",,0\.02,' "$T/out" "a client as CSV"
rejects "a negative rate" 'stdin:1: rate_order must not be negative' \
	ims-client <<'X'
{"id":"ACME","rate_order":-1}
X
rejects "a rate of more than four places" 'stdin:1: rate_unit_day "0\.00001"' \
	ims-client <<'X'
{"id":"ACME","rate_unit_day":"0.00001"}
X

# --- channels ---
check_rc 0 "three channels" ims-channel <<'X'
{"id":"WEB","name":"Web shop","buffer":5}
{"id":"AMZ","name":"Amazon","client":"ACME","share":60,"sku_column":"seller-sku","qty_column":"quantity"}
{"id":"EBY","name":"eBay","share":40,"cap":20}
X
is "$(ims-channel --list | jfield id | tr '\n' ' ')" "AMZ EBY WEB " "listed in key order"
rejects "an unknown client" 'stdin:1: unknown client "ZED"' ims-channel <<'X'
{"id":"OTTO","client":"ZED"}
X
rejects "a share over 100%" 'stdin:1: channel "OTTO": share 100\.5% is over 100%' \
	ims-channel <<'X'
{"id":"OTTO","share":100.5}
X
rejects "shares of all channels over 100%" \
	'stdin:2: channel "OTTO": the shares of all channels would add up to 100\.001%, over 100%' \
	ims-channel <<'X'
{"id":"WEB","name":"Web shop, renamed"}
{"id":"OTTO","share":0.001}
X
check_rc 0 "a share that takes the place of another's" ims-channel <<'X'
{"id":"EBY","share":30}
{"id":"OTTO","share":10}
X
rejects "the same name for both columns" 'sku_column and qty_column are both "sku"' \
	ims-channel <<'X'
{"id":"OTTO","sku_column":"sku","qty_column":"sku"}
X

# --- items: owner, packs, barcodes ---
cat >items.ndjson <<'X'
{"sku":"A-1","name":"Bolt","uom":"ea","owner":"ACME","barcode":"4006381333931","packs":{"case":12,"pallet":480},"order_pack":"case"}
{"sku":"F-1","name":"Flour","uom":"kg","owner":"BETA","barcode":"036000291452","packs":"sack:2.5,bag:0.5"}
{"sku":"T-1","name":"Tag","barcode":"TAG-0001","volume":0.0005,"pallets":0.002}
{"sku":"G-1","name":"Case of bolts","barcode":"14006381333938"}
X
check_rc 0 "four items" ims-item items.ndjson
like '^\{"sku":"A-1",.*"barcode":"4006381333931",.*"owner":"ACME","packs":\{"case":12,"pallet":480\},"order_pack":"case"\}$' \
	"$T/out" "packs stored as an object"
like '"sku":"F-1",.*"packs":\{"sack":2\.5,"bag":0\.5\}' "$T/out" "the text form NAME:QTY,..."
like '"sku":"T-1",.*"volume":0\.0005,"pallets":0\.002' "$T/out" "volume and pallets per unit, six places"
check_rc 0 "the same records again" ims-item items.ndjson
is "$(ims-log | grep -c '"kind":"item"')" 4 "change nothing, post nothing"
check_rc 0 "--list -o csv" ims-item --list -o csv
like '^sku,.*,criticality,owner,order_pack,volume,pallets' "$T/out" "the new columns at the end"

rejects "an unknown owner" 'stdin:1: unknown client "ZED"' ims-item <<'X'
{"sku":"Z-1","owner":"ZED"}
X
rejects "a barcode two items share" 'stdin:1: barcode "4006381333931" is sku "A-1".s already' \
	ims-item <<'X'
{"sku":"Z-1","barcode":"4006381333931"}
X
rejects "a UPC-A shared as its EAN-13 form" 'stdin:1: barcode "0036000291452" is sku "F-1".s already' \
	ims-item <<'X'
{"sku":"Z-1","barcode":"0036000291452"}
X
rejects "two new items with one barcode" 'stdin:2: barcode "5901234123457" is sku "Z-1".s already' \
	ims-item <<'X'
{"sku":"Z-1","barcode":"5901234123457"}
{"sku":"Z-2","barcode":"5901234123457"}
X
rejects "an EAN-13 check digit" 'stdin:1: barcode "5901234123458": the EAN-13 check digit is 7, not 8' \
	ims-item <<'X'
{"sku":"Z-1","barcode":"5901234123458"}
X
rejects "a UPC-A check digit" 'stdin:1: barcode "036000291453": the UPC-A check digit is 2, not 3' \
	ims-item <<'X'
{"sku":"Z-1","barcode":"036000291453"}
X
rejects "a GTIN-14 check digit" 'stdin:1: barcode "14006381333930": the GTIN-14 check digit is 8, not 0' \
	ims-item <<'X'
{"sku":"Z-1","barcode":"14006381333930"}
X
rejects "a pack of zero" 'stdin:1: packs: "case" must hold a positive quantity of base units, not 0' \
	ims-item <<'X'
{"sku":"Z-1","packs":{"case":0}}
X
rejects "a negative pack" 'stdin:1: packs: "case" must hold a positive quantity of base units, not -12' \
	ims-item <<'X'
{"sku":"Z-1","packs":"case:-12"}
X
rejects "a pack not whole in a whole unit" \
	'stdin:1: item "Z-1": pack "case" holds 1\.5 ea: not a whole number of base units' \
	ims-item <<'X'
{"sku":"Z-1","uom":"ea","packs":{"case":1.5}}
X
rejects "a pack not whole in an unnamed unit" 'stdin:1: item "Z-1": pack "box" holds 0\.5 units' \
	ims-item <<'X'
{"sku":"Z-1","packs":"box:0.5"}
X
rejects "a pack named as its base unit" 'stdin:1: item "Z-1": pack "kg" is its base unit' \
	ims-item <<'X'
{"sku":"Z-1","uom":"kg","packs":"kg:1"}
X
rejects "a pack given twice" 'stdin:1: packs: "case" given twice' ims-item <<'X'
{"sku":"Z-1","packs":"case:12,case:24"}
X
rejects "packs that are not NAME:QTY" 'stdin:1: packs: "case" is not NAME:QTY' \
	ims-item <<'X'
{"sku":"Z-1","packs":"case"}
X
rejects "an order_pack that is no pack" 'stdin:1: item "Z-1": order_pack "crate" is not one of its packs' \
	ims-item <<'X'
{"sku":"Z-1","packs":"case:12","order_pack":"crate"}
X
rejects "changing the uom makes a pack not whole" 'stdin:1: item "F-1": pack "sack" holds 2\.5 ea' \
	ims-item <<'X'
{"sku":"F-1","uom":"ea"}
X
check_rc 0 "a barcode changed frees the old one" ims-item <<'X'
{"sku":"T-1","barcode":"TAG-0002"}
{"sku":"Z-1","barcode":"TAG-0001"}
X
check_rc 0 "a barcode cleared frees it" ims-item <<'X'
{"sku":"Z-1","barcode":""}
{"sku":"Z-2","barcode":"TAG-0001"}
X

# --- locations ---
check_rc 0 "locations with barcodes" ims-loc <<'X'
code,type,barcode
WH1/A/01,internal,LOC-A01
WH1/A/02,internal,LOC-A02
X
rejects "a location barcode two locations share" 'stdin:1: barcode "LOC-A01" is location "WH1/A/01".s already' \
	ims-loc <<'X'
{"code":"WH1/B/01","barcode":"LOC-A01"}
X
check_rc 0 "an item may have a location's barcode: two namespaces" ims-item <<'X'
{"sku":"Z-3","barcode":"LOC-A02"}
X

# --- the owner is fixed by the stock ---
printf '{"sku":"A-1","qty":5,"location":"WH1/A/01"}\n' | ims-receive -q
rejects "an owner changed after movements" \
	'stdin:1: item "A-1" has movements: its owner cannot change from "ACME" to "BETA"' \
	ims-item <<'X'
{"sku":"A-1","owner":"BETA"}
X
check_rc 0 "an owner given to an item without movements" ims-item <<'X'
{"sku":"T-1","owner":"BETA"}
X

# --- the check, and a restore ---
check_rc 0 "ims-check: clients, channels and barcodes agree" ims-check
like '0 differences' "$T/err" "no difference"
ims-log >export.ndjson
IMS_DB=$T/db2 ims-log --restore export.ndjson >/dev/null 2>&1
ok "restored into an empty store"
is "$(IMS_DB=$T/db2 ims-client --list)" "$(ims-client --list)" "the clients restored"
is "$(IMS_DB=$T/db2 ims-channel --list)" "$(ims-channel --list)" "the channels restored"
IMS_DB=$T/db2 ims-check 2>"$T/err"
ok "the restored store checks"
check_rc 1 "the restored barcodes still unique" env IMS_DB="$T/db2" ims-item <<'X'
{"sku":"Z-9","barcode":"4006381333931"}
X
like 'is sku "A-1".s already' "$T/err" "says whose"

# a barcode row changed behind ims's back is found
poke barcodes "$(hex l)00$(hex LOC-A01)00" "$(hex WH1/A/02)00"
check_rc 1 "a barcode row altered" ims-check
like '"check":"barcodes","key":"l LOC-A01","stored":"another key","expected":"WH1/A/01"' \
	"$T/out" "ims-check names it"

# a store written before the barcodes table: its first write makes it
export IMS_DB=$T/old
printf '{"sku":"O-1","barcode":"5901234123457"}\n' | ims-item -q
ims-loc -q <<'X'
{"code":"WH9","barcode":"LOC-9"}
X
poke barcodes "$(hex i)00$(hex 05901234123457)00" ""
poke barcodes "$(hex l)00$(hex LOC-9)00" ""
poke meta "$(hex barcodes)00" ""
check_rc 0 "an old store without barcode rows checks: none made yet" ims-check
check_rc 0 "its first write, a receipt by barcode" ims-receive <<'X'
{"barcode":"5901234123457","qty":1,"location_barcode":"LOC-9"}
X
is "$(jfield sku <"$T/out") $(jfield to <"$T/out")" "O-1 WH9" "the barcodes found"
check_rc 0 "and the table made checks" ims-check
poke barcodes "$(hex i)00$(hex 05901234123457)00" ""
check_rc 1 "a row lost after it was made is a difference" ims-check
like '"check":"barcodes","key":"i 05901234123457","stored":"missing"' "$T/out" "named"

echo "1..$_n"
done_testing
