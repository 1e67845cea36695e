#!/bin/sh
# ims-item, ims-loc, ims-supplier: upsert field by field, unknown fields
# kept, --list and --show, and bad master records rejected whole.
. "$(dirname "$0")/lib.sh"
plan 133

# the master data as the tests compare it
masters() {
	ims-supplier --list 2>&1
	ims-item --list 2>&1
	ims-loc --list 2>&1
}

# --- suppliers ---
printf 'id,name,lead_time_days,contact\nSUP-1,Acme,5,ops@example.com\nSUP-2,"Bolt, Nut & Co",12,\n' \
	>sup.csv
check_rc 0 "two suppliers" ims-supplier sup.csv
is "$(cat "$T/out")" '{"id":"SUP-1","name":"Acme","lead_time_days":5,"contact":"ops@example.com"}
{"id":"SUP-2","name":"Bolt, Nut & Co","lead_time_days":12}' "echoed as stored"
check_rc 0 "--list" ims-supplier --list
is "$(jfield id <"$T/out" | tr '\n' ' ')" "SUP-1 SUP-2 " "lists every supplier, in key order"
check_rc 0 "--show" ims-supplier --show SUP-2 -o csv
is "$(cat "$T/out")" "$(printf 'id,name,lead_time_days,contact\r\nSUP-2,"Bolt, Nut & Co",12,\r')" \
	"one supplier as CSV"
check_rc 1 "--show of an unknown key" ims-supplier --show SUP-9
like '^ims-supplier: no supplier "SUP-9"$' "$T/err" "says so"

# --- items ---
cat >items.ndjson <<'X'
{"sku":"A-100","name":"Hex bolt M8","uom":"ea","unit_cost":0.25,"supplier":"SUP-1","colour":"zinc"}
{"sku":"L-200","name":"Milk 1L","uom":"ea","unit_cost":0.8,"supplier":"SUP-2","track":"lot","shelf_life_days":10}
{"sku":"S-300","name":"Scanner","track":"serial","criticality":"V"}
X
check_rc 0 "three items" ims-item items.ndjson
like '^\{"sku":"A-100","name":"Hex bolt M8","uom":"ea","unit_cost":0\.25,"supplier":"SUP-1","colour":"zinc"\}$' \
	"$T/out" "known fields in schema order, the unknown one kept"
check_rc 0 "--list" ims-item --list
is "$(jfield sku <"$T/out" | tr '\n' ' ')" "A-100 L-200 S-300 " "lists every item"
check_rc 0 "--list -o csv" ims-item --list -o csv
is "$(lines "$T/out")" 4 "a header and three rows"
like '^L-200,Milk 1L,ea,,0\.8,,SUP-2,,,,,,,,,,lot,10,' "$T/out" "a row in column order"
check_rc 0 "--list -o table" ims-item --list -o table
like '^sku +name +uom' "$T/out" "a table header"
is "$(lines "$T/out")" 4 "and three rows"

printf '{"sku":"A-100","price":0.4,"name":"Hex bolt M8 zinc"}\n' >upd.ndjson
check_rc 0 "an update of two fields" ims-item upd.ndjson
like '^\{"sku":"A-100","name":"Hex bolt M8 zinc","uom":"ea","unit_cost":0\.25,"price":0\.4,"supplier":"SUP-1","colour":"zinc"\}$' \
	"$T/out" "merged over the stored record"
printf '{"sku":"A-100","colour":null,"uom":""}\n' >clr.ndjson
check_rc 0 "null and empty" ims-item clr.ndjson
like '^\{"sku":"A-100","name":"Hex bolt M8 zinc","unit_cost":0\.25,"price":0\.4,"supplier":"SUP-1"\}$' \
	"$T/out" "clear stored fields"
printf 'sku,name\nA-100,Hex bolt\n' >csvupd.csv
check_rc 0 "a CSV update" ims-item csvupd.csv
like '"name":"Hex bolt","unit_cost":0\.25' "$T/out" "keeps what it does not name"

# --- bad items: exit 1, file:line, nothing stored ---
snapshot() { masters; }
printf '{"sku":"B-1","name":"x"}\n{"sku":"B-2","supplier":"SUP-9"}\n' >bad.ndjson
rejects "an unknown supplier" '^ims-item: bad\.ndjson:2: unknown supplier "SUP-9"$' \
	ims-item bad.ndjson
printf '{"sku":"B-1","track":"batch"}\n' >bad.ndjson
rejects "an unknown track" 'stdin:1: track must be one of none\|lot\|serial, not "batch"' \
	ims-item <bad.ndjson
printf '{"sku":"B-1","criticality":"X"}\n' >bad.ndjson
rejects "an unknown criticality" 'stdin:1: criticality must be one of V\|E\|D' \
	ims-item <bad.ndjson
printf '{"sku":"B-1","unit_cost":0.00001}\n' >bad.ndjson
rejects "a cost finer than the store" 'stdin:1: unit_cost "0\.00001": more than 4 decimals' \
	ims-item <bad.ndjson
printf '{"sku":"B-1","min":1.0001}\n' >bad.ndjson
rejects "a min finer than the store" 'stdin:1: min "1\.0001": more than 3 decimals' \
	ims-item <bad.ndjson
printf '{"sku":"B-1","price":-1}\n' >bad.ndjson
rejects "a negative price" 'stdin:1: price must not be negative' ims-item <bad.ndjson
printf '{"sku":"B-1","lead_time_days":1.5}\n' >bad.ndjson
rejects "a fractional lead time" 'stdin:1: lead_time_days "1\.5"' ims-item <bad.ndjson
printf '{"sku":"B-1","unit_cost":"cheap"}\n' >bad.ndjson
rejects "a cost that is not a number" 'stdin:1: unit_cost "cheap": not a number' \
	ims-item <bad.ndjson
printf '{"name":"no sku"}\n' >bad.ndjson
rejects "no sku" 'stdin:1: missing field sku' ims-item <bad.ndjson
printf 'sku,name\n,nameless\n' >bad.csv
rejects "an empty sku in CSV" 'stdin:2: missing field sku' ims-item <bad.csv
printf '{"sku":"B\\t1"}\n' >bad.ndjson
rejects "a control character in a sku" 'stdin:1: sku "B\\x091" has a control character' \
	ims-item <bad.ndjson
awk 'BEGIN { s = ""; while (length(s) < 129) s = s "x";
	printf "{\"sku\":\"%s\"}\n", s }' >bad.ndjson
rejects "a sku of 129 bytes" 'stdin:1: sku is longer than 128 bytes' \
	ims-item <bad.ndjson
printf '{"sku":"B-1","name":"x"\n' >bad.ndjson
rejects "malformed JSON" 'stdin:1: malformed JSON' ims-item <bad.ndjson

# --- track may not change once stock has moved ---
ims-loc -q <<'X'
code,name,type
WH1/A/01,bin,internal
X
printf '{"sku":"S-300","track":"none"}\n' >tr.ndjson
check_rc 0 "track may change before any movement" ims-item tr.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/A/01"}\n' | ims-receive -q
ok "a receipt of S-300"
printf '{"sku":"S-300","track":"serial"}\n' >bad.ndjson
rejects "but not after" \
	'stdin:1: item "S-300" has movements: its track cannot change from none to serial' \
	ims-item <bad.ndjson

# --- locations ---
cat >loc.csv <<'X'
code,name,type
WH1/A/02,bin,internal
TRANSIT/WH1-WH2,truck,transit
WH2,"Warehouse 2, north",internal
X
check_rc 0 "locations" ims-loc loc.csv
check_rc 0 "--list" ims-loc --list
is "$(jfield code <"$T/out" | tr '\n' ' ')" "TRANSIT/WH1-WH2 WH1/A/01 WH1/A/02 WH2 " \
	"lists every location, in key order"
printf '{"code":"@dock"}\n' >bad.ndjson
rejects "a code starting with @" 'stdin:1: location "@dock": codes starting with @ are reserved' \
	ims-loc <bad.ndjson
printf '{"code":"WH1//A"}\n' >bad.ndjson
rejects "an empty segment" 'stdin:1: location "WH1//A" has an empty segment' \
	ims-loc <bad.ndjson
printf '{"code":"/WH1"}\n' >bad.ndjson
rejects "a leading slash" 'stdin:1: location "/WH1" has an empty segment' \
	ims-loc <bad.ndjson
printf '{"code":"WH1/A/"}\n' >bad.ndjson
rejects "a trailing slash" 'stdin:1: location "WH1/A/" has an empty segment' \
	ims-loc <bad.ndjson
printf '{"code":"WH1 A"}\n' >bad.ndjson
rejects "a space" 'stdin:1: location "WH1 A" has a space' ims-loc <bad.ndjson
printf '{"code":"WH3","type":"virtual"}\n' >bad.ndjson
rejects "an unknown type" 'stdin:1: type must be one of internal\|transit, not "virtual"' \
	ims-loc <bad.ndjson
printf '{"name":"x"}\n' >bad.ndjson
rejects "no code" 'stdin:1: missing field code' ims-loc <bad.ndjson

# --- one batch, one transaction; --dry-run ---
printf '{"code":"WH3/A"}\n{"code":"WH3/B"}\n{"code":"WH3 C"}\n' >batch.ndjson
rejects "one bad location of three" 'stdin:3: location "WH3 C" has a space' \
	ims-loc <batch.ndjson
before=$(masters)
printf '{"code":"WH3/A"}\n' >dry.ndjson
check_rc 0 "--dry-run" ims-loc -n dry.ndjson
like '^\{"code":"WH3/A"\}$' "$T/out" "echoes what it would store"
is "$(masters)" "$before" "stores nothing"
check_rc 0 "-q" ims-loc -q dry.ndjson
is "$(cat "$T/out")" "" "echoes nothing"
check_rc 0 "--show" ims-loc --show WH3/A
is "$(cat "$T/out")" '{"code":"WH3/A"}' "but it is stored"
# --- a record of 80,000 unknown fields, stored and then updated ---
awk 'BEGIN { printf "{\"sku\":\"W-1\""
	for (i = 0; i < 80000; i++) printf ",\"f%d\":%d", i, i
	print "}" }' >wide.ndjson
check_rc 0 "an item of 80,000 fields (under 20 s)" timeout 20 ims-item -q wide.ndjson
check_rc 0 "the same again, an update (under 20 s)" timeout 20 ims-item -q wide.ndjson
printf '{"sku":"W-1","f5":"five","f7":null}\n' >w.ndjson
check_rc 0 "one field changed, one cleared" timeout 20 ims-item w.ndjson
is "$(tr ',' '\n' <"$T/out" | grep -c '^"f[0-9]*":')" 79999 "the others kept"
like '"f5":"five"' "$T/out" "the change"
is "$(tr ',' '\n' <"$T/out" | grep -c '^"f7":')" 0 "the clear"
# --- two records of one key echo what each posted, not the last twice ---
printf '{"sku":"TW-1","track":"lot"}\n{"sku":"TW-1","track":"none"}\n' \
    >tw.ndjson
check_rc 0 "a track set and set back in one batch" ims-item tw.ndjson
is "$(jfield track <"$T/out" | tr '\n' ' ')" "lot none " \
	"each record echoed as it left the item"
is "$(ims-log | grep -c '"sku":"TW-1"')" 2 "as the two entries posted"
done_testing
