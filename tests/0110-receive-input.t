#!/bin/sh
# ims-receive: NDJSON input, good and bad.  Every bad record is named by
# file:line (stdin:N for standard input), exits 1 and leaves the store as
# it was; input quirks that are harmless (CRLF, BOM, no final newline,
# blank lines) are accepted.
. "$(dirname "$0")/lib.sh"
plan 220
setup_master
printf '{"sku":"A-100","qty":5,"location":"WH1/A/01","ts":"2026-11-01T08:00:00Z"}\n' |
	ims-receive -q
ok "a first receipt"

good='{"sku":"A-100","qty":1,"location":"WH1/A/01"}'

# --- malformed records ---
printf '%s\n{"sku":"A-100","qty":1,\n' "$good" >bad.ndjson
rejects "malformed JSON" '^ims-receive: bad\.ndjson:2: malformed JSON' \
	ims-receive bad.ndjson
printf '%s\n{"sku":"A-100" "qty":1}\n' "$good" >bad.ndjson
rejects "missing comma" '^ims-receive: bad\.ndjson:2: malformed JSON at column' \
	ims-receive bad.ndjson
printf '%s\n{"sku":"A-100","qty":1,"location":"WH1/A/01"} junk\n' "$good" \
	>bad.ndjson
rejects "junk after the object" 'bad\.ndjson:2: malformed JSON' \
	ims-receive bad.ndjson
printf '%s\n[%s]\n' "$good" "$good" >bad.ndjson
rejects "a JSON array" '^ims-receive: bad\.ndjson:2: not a JSON object' \
	ims-receive bad.ndjson
printf '%s\n42\n' "$good" >bad.ndjson
rejects "a JSON number" 'bad\.ndjson:2: not a JSON object' \
	ims-receive bad.ndjson
printf '%s\n"A-100"\n' "$good" >bad.ndjson
rejects "a JSON string" 'bad\.ndjson:2: not a JSON object' \
	ims-receive bad.ndjson
printf '%s\nnull\n' "$good" >bad.ndjson
rejects "JSON null" 'bad\.ndjson:2: not a JSON object' \
	ims-receive bad.ndjson
printf '[1,2]\n' >bad.ndjson
rejects "an array on line 1, told as NDJSON" \
	'^ims-receive: stdin:1: not a JSON object' \
	ims-receive --input-format ndjson <bad.ndjson
printf '[%s,%s]\n' "$good" "$good" >bad.ndjson
rejects "a whole file as one JSON array" '^ims-receive: stdin:1: ' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"qty":2,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "a field given twice" 'stdin:1: field "qty" given twice' \
	ims-receive <bad.ndjson

# --- what the record says ---
printf '%s\n{"sku":"A-10","qty":1,"location":"WH1/A/01"}\n' "$good" >bad.ndjson
rejects "unknown sku" '^ims-receive: bad\.ndjson:2: unknown sku "A-10"$' \
	ims-receive bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/AB"}\n' >bad.ndjson
rejects "unknown location" '^ims-receive: stdin:1: unknown location "WH1/AB"$' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A"}\n' >bad.ndjson
rejects "a zone is not a location" 'stdin:1: unknown location "WH1/A"' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"@customer"}\n' >bad.ndjson
rejects "a receipt into a virtual location" 'stdin:1: location "@customer"' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":-3,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "negative qty" 'stdin:1: qty must be positive, not -3' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":0,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "zero qty" 'stdin:1: qty must be positive, not 0' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":"ten","location":"WH1/A/01"}\n' >bad.ndjson
rejects "non-numeric qty" 'stdin:1: qty "ten": not a number' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":true,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "boolean qty" 'stdin:1: qty must be a number' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1.0001,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "qty with 4 decimals" 'stdin:1: qty "1\.0001": more than 3 decimals' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","unit_cost":0.00001}\n' \
	>bad.ndjson
rejects "unit_cost with 5 decimals" \
	'stdin:1: unit_cost "0\.00001": more than 4 decimals' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","unit_cost":-1}\n' \
	>bad.ndjson
rejects "negative unit_cost" 'stdin:1: unit_cost must not be negative' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":99999999999999999999,"location":"WH1/A/01"}\n' \
	>bad.ndjson
rejects "qty past the range" 'stdin:1: qty .*out of range' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":9000000000000000,"location":"WH1/A/02"}\n%s\n' \
	'{"sku":"A-100","qty":9000000000000000,"location":"WH1/A/02"}' >bad.ndjson
rejects "a balance that would overflow" 'stdin:2: balance of "A-100" at "WH1/A/02" would overflow' \
	ims-receive <bad.ndjson
printf '{"qty":1,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "missing sku" 'stdin:1: missing field sku' ims-receive <bad.ndjson
printf '{"sku":"A-100","location":"WH1/A/01"}\n' >bad.ndjson
rejects "missing qty" 'stdin:1: missing field qty' ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":null,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "null qty" 'stdin:1: missing field qty' ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1}\n' >bad.ndjson
rejects "missing location" 'stdin:1: missing field location' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":""}\n' >bad.ndjson
rejects "empty location" 'stdin:1: missing field location' \
	ims-receive <bad.ndjson

# --- timestamps ---
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2026-11-28T12:00:00Z"}\n' \
	>bad.ndjson
rejects "ts in the future" 'stdin:1: ts "2026-11-28T12:00:00Z" is in the future' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2026-11-31"}\n' \
	>bad.ndjson
rejects "ts on a day that does not exist" 'stdin:1: ts "2026-11-31": date out of range' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"27/11/2026"}\n' \
	>bad.ndjson
rejects "malformed ts" 'stdin:1: ts "27/11/2026": not a date' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2026-11-02T10:00:00"}\n' \
	>bad.ndjson
rejects "a time without zone" 'stdin:1: ts "2026-11-02T10:00:00": a time needs its zone' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2026-11-02T10:00:00.5Z"}\n' \
	>bad.ndjson
rejects "fractional seconds" 'stdin:1: ts .*fractional seconds' \
	ims-receive <bad.ndjson

printf '%s\n' '{"sku":"A-100","qty":1,"location":"WH1/A/02","ts":"2026-11-02T10:00:00+02:00"}' \
	'{"sku":"A-100","qty":1,"location":"WH1/A/02","ts":"2026-11-03"}' \
	'{"sku":"A-100","qty":1,"location":"WH1/A/02"}' >ts.ndjson
check_rc 0 "zones, bare dates and no ts" ims-receive -n ts.ndjson
is "$(jfield ts <"$T/out" | tr '\n' ' ')" \
	"2026-11-02T08:00:00Z 2026-11-03T00:00:00Z 2026-11-27T12:00:00Z " \
	"ts in UTC; a date is its midnight; no ts is now (IMS_NOW)"
printf '{"sku":"A-100","qty":1,"location":"WH1/A/02","ts":"2026-11-27T12:04:00Z"}\n' \
	>ts.ndjson
check_rc 0 "a few minutes of clock skew are not the future" \
	ims-receive -n ts.ndjson

# --- invalid UTF-8, in a field and in a name ---
printf '%s\n{"sku":"A-100","qty":1,"location":"WH1/A/01","note":"caf\351"}\n' \
	"$good" >bad.ndjson
rejects "invalid UTF-8" '^ims-receive: bad\.ndjson:2: not valid UTF-8' \
	ims-receive bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","\300\257":1}\n' \
	>bad.ndjson
rejects "an overlong UTF-8 sequence" 'stdin:1: not valid UTF-8' \
	ims-receive <bad.ndjson

# --- every problem is reported, and across files ---
cat >many.ndjson <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01"}
{"sku":"NOPE","qty":1,"location":"WH1/A/01"}
{"sku":"A-100","qty":1,"location":"WH1/A/01"}
{"sku":"A-100","qty":-1,"location":"WH1/A/01"}
{"sku":"A-100","qty":1,"location":"NOWHERE"}
X
rejects "three bad records of five" 'many\.ndjson:2: unknown sku' \
	ims-receive many.ndjson
like 'many\.ndjson:4: qty must be positive' "$T/err" "the second problem"
like 'many\.ndjson:5: unknown location "NOWHERE"' "$T/err" "the third problem"
like '3 of 5 records rejected; nothing stored' "$T/err" "the summary"
printf '%s\n%s\n' "$good" "$good" >one.ndjson
printf '\n%s\n{"sku":"A-100","qty":1.5555,"location":"WH1/A/01"}\n' "$good" \
	>two.ndjson
rejects "a bad line in the second file" \
	'^ims-receive: two\.ndjson:3: qty "1\.5555": more than 3 decimals' \
	ims-receive one.ndjson two.ndjson
is "$(grep -c one.ndjson "$T/err")" 0 "the good file is not blamed"
rejects "files and stdin" 'stdin:3: qty "1\.5555"' \
	ims-receive one.ndjson - <two.ndjson
before=$(snapshot)
check_rc 3 "a file that is not there" ims-receive one.ndjson nosuch.ndjson
like '^ims-receive: "?nosuch\.ndjson"?: No such file' "$T/err" \
	"names the file"
is "$(snapshot)" "$before" "and nothing is stored"
check_rc 3 "a directory" ims-receive .
is "$(snapshot)" "$before" "store unchanged"

# --- harmless quirks ---
: >empty.ndjson
check_rc 0 "an empty file" ims-receive empty.ndjson
is "$(lines "$T/out")$(lines "$T/err")" 00 "says nothing"
is "$(snapshot)" "$before" "posts nothing"
printf '\n  \n\t\n' >blank.ndjson
check_rc 0 "blank lines only" ims-receive blank.ndjson
is "$(snapshot)" "$before" "posts nothing"
check_rc 0 "empty stdin" ims-receive </dev/null
is "$(snapshot)" "$before" "posts nothing"

printf '%s\n{"sku":"K-1","qty":2.5,"location":"WH1/B/01"}' "$good" >nonl.ndjson
check_rc 0 "no newline at the end" ims-receive nonl.ndjson
is "$(jfield sku <"$T/out" | tr '\n' ' ')" "A-100 K-1 " "the last record is posted too"

printf '{"sku":"K-1","qty":1,"location":"WH1/B/01","note":"x"}\r\n%s\r\n\r\n' \
	'{"sku":"K-1","qty":2,"location":"WH1/B/01"}' >crlf.ndjson
check_rc 0 "CRLF line ends" ims-receive crlf.ndjson
is "$(lines "$T/out")" 2 "both records posted"
like '"note":"x"[,}]' "$T/out" "no carriage return left in a value"
is "$(grep -c "$(printf '\r')" "$T/out")" 0 "none in the echo"

printf '\357\273\277{"sku":"K-1","qty":3,"location":"WH1/B/01"}\n' >bom.ndjson
check_rc 0 "a UTF-8 byte-order mark" ims-receive bom.ndjson
like '"sku":"K-1","qty":3,' "$T/out" "the first record is read"
printf '%s\n\357\273\277{"sku":"K-1","qty":3,"location":"WH1/B/01"}\n' \
	"$good" >bom2.ndjson
check_rc 0 "a byte-order mark on a later line (files joined by cat)" \
	ims-receive bom2.ndjson
like '^\{"seq":[0-9]+,"ts":"[^"]*","type":"receive","sku":"K-1","qty":3,' "$T/out" \
	"is skipped too: the first field is read whole"

printf '{"sku":"K-1","qty":"4","location":"WH1/B/01","unit_cost":"1.5000"}\n' \
	>str.ndjson
check_rc 0 "numbers as strings" ims-receive str.ndjson
like '"qty":4,.*"unit_cost":1\.5,' "$T/out" "printed as numbers, exactly"
printf '{"sku":"K-1","qty":1e1,"location":"WH1/B/01","unit_cost":0.1e-3}\n' \
	>exp.ndjson
check_rc 0 "exponents" ims-receive exp.ndjson
like '"qty":10,.*"unit_cost":0\.0001,' "$T/out" "converted exactly"
printf '{"sku":"K-1","qty":0.001,"location":"WH1/B/01","unit_cost":0.1234}\n' \
	>small.ndjson
check_rc 0 "the smallest quantity and cost" ims-receive small.ndjson
like '"qty":0\.001,.*"unit_cost":0\.1234,' "$T/out" "kept exactly"

# --- unknown fields ride along; the item's cost is the default ---
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","carrier":"DHL","pallet":{"id":7},"n":[1,2]}\n' \
	>extra.ndjson
check_rc 0 "unknown fields" ims-receive extra.ndjson
like '"carrier":"DHL","pallet":\{"id":7\},"n":\[1,2\][,}]' "$T/out" \
	"kept in the journal as given"
like '"unit_cost":0\.25,' "$T/out" "unit_cost from the item"
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","unit_cost":0.3}\n' \
	>cost.ndjson
check_rc 0 "a unit_cost of its own" ims-receive cost.ndjson
like '"unit_cost":0\.3,' "$T/out" "is kept"
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","note":"caf\303\251 \\u00e9 \\"q\\" \\\\ \\t"}\n' \
	>note.ndjson
check_rc 0 "UTF-8 and escapes in a note" ims-receive note.ndjson
like '"note":"café é \\"q\\" \\\\ \\t"' "$T/out" "written back as JSON"

# --- a 1 MB line: accepted, whole, and nothing breaks ---
awk 'BEGIN { s = "0123456789"; while (length(s) < 1000000) s = s s;
	printf "{\"sku\":\"A-100\",\"qty\":1,\"location\":\"WH1/A/02\",\"note\":\"%s\"}\n",
	    substr(s, 1, 1000000) }' >big.ndjson
check_rc 0 "a line of 1 MB (a note of 1,000,000 characters)" \
	ims-receive big.ndjson
is "$(jfield note <"$T/out" | awk '{ print length($0) }')" 1000000 \
	"the note comes back whole"
is "$(ims-report ledger --location WH1/A/02 | jfield note | awk 'length($0) == 1000000' | wc -l | tr -d ' ')" 1 \
	"and is in the journal"
# --- a 1 MB line of 80,000 fields: quick, whole, and duplicates found ---
awk 'BEGIN { printf "{\"sku\":\"A-100\",\"qty\":1,\"location\":\"WH1/A/02\""
	for (i = 0; i < 80000; i++) printf ",\"f%d\":%d", i, i
	print "}" }' >wide.ndjson
check_rc 0 "a line of 80,000 fields (under 20 s)" timeout 20 ims-receive -n wide.ndjson
is "$(tr ',' '\n' <"$T/out" | grep -c '^"f[0-9]*":')" 80000 "every field kept"
sed 's/}$/,"f79999":0}/' wide.ndjson >wide2.ndjson
rejects "the same with one name twice" 'stdin:1: field "f79999" given twice' \
	timeout 20 ims-receive <wide2.ndjson

# --- NUL ---
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","note":"a\0b"}\n' >nul.ndjson
rejects "a NUL byte" '^ims-receive: nul\.ndjson:1: ' ims-receive nul.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","note":"a\\u0000b"}\n' \
	>nul.ndjson
rejects "an escaped NUL" '^ims-receive: stdin:1: NUL character' ims-receive <nul.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","note":"\\ud800"}\n' >sur.ndjson
rejects "a lone surrogate" '^ims-receive: stdin:1: ' ims-receive <sur.ndjson
printf '{"sku":{"id":"A-100"},"qty":1,"location":"WH1/A/01"}\n' >obj.ndjson
rejects "an object for a sku" 'stdin:1: sku must be a string' ims-receive <obj.ndjson
done_testing
