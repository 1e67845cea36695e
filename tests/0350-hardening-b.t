#!/bin/sh
# Hardening (issue 8, points 3, 4, 10 to 15): integer fields have ranges,
# a CSV header names the required fields, C1 control characters are
# control characters, the environment is checked, options that do not
# apply are usage errors, --until takes the whole day and ims-log says
# --after, messages say what is wrong, and the documents match.
. "$(dirname "$0")/lib.sh"
plan 47
setup_master

# --- 10: C1 control characters are control characters ---
CSI=$(printf '\302\233')	# U+009B, CSI: a terminal takes it as ESC [
# no_c1 FILE DESC: FILE holds no raw C1 CSI.  One test.
no_c1() {
	is "$(grep -c "$CSI" "$1")" 0 "$2: no raw U+009B"
}
rejects "an sku with U+009B" 'stdin:1: sku "A\\u009b2J" has a control character' \
	ims-item <<'X'
{"sku":"A\u009b2J"}
X
no_c1 "$T/err" "the sku's message"
printf 'sku,qty,location\nA-100%s2J,1,WH1/A/01\n' "$CSI" >c1.csv
rejects "an sku with U+009B, CSV" 'c1.csv:2: sku "A-100\\u009b2J" has a control character' \
	ims-receive c1.csv
no_c1 "$T/err" "the CSV sku's message"
rejects "a location with U+0085" 'to "WH\\u00852" has a control character' \
	ims-move <<'X'
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH\u00852"}
X
rejects "a lot with U+0080" 'lot "L\\u0080" has a control character' \
	ims-receive <<'X'
{"sku":"L-200","qty":1,"location":"WH1/A/01","lot":"L\u0080"}
X
printf 'sku,x%s1,x%s1\nA-100,1,2\n' "$CSI" "$CSI" >c1hdr.csv
check_rc 1 "a CSV header with U+009B, twice" ims-item c1hdr.csv
like 'column "x\\u009b1" named twice' "$T/err" "the column is shown escaped"
no_c1 "$T/err" "the header's message"
ims-item -q <<'X'
{"sku":"C1-1","name":"red \u009b31m text \u00e9","uom":"ea"}
X
ok "a name may hold C1 characters (it is not an identifier)"
ims-item --list -o table >c1table.out
no_c1 c1table.out "a table"
like '^C1-1 +red \?31m text é +ea$' c1table.out "a table shows one ? for it"
check_rc 2 "U+009B in an option value" ims-report onhand -o "x${CSI}y"
like '"x\\u009by"' "$T/err" "the option value is shown escaped"
no_c1 "$T/err" "the option's message"

# --- 14: messages say what is wrong ---
check_rc 2 "a +25:00 offset" ims-report ledger --since 2026-11-01T00:00:00+25:00
like 'invalid zone offset' "$T/err" "+25:00: an invalid offset"
rejects "a ts with a +25:00 offset" 'stdin:1: ts "2026-11-01T10:00:00\+25:00": invalid zone offset' \
	ims-receive <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2026-11-01T10:00:00+25:00"}
X
check_rc 2 "a time without a zone" ims-report ledger --since 2026-11-01T00:00:00
like 'a time needs its zone' "$T/err" "no zone: says a time needs its zone"
rejects "too many decimals" 'stdin:1: qty "2\.5000000000000000000001": more than 3 decimals' \
	ims-receive <<'X'
{"sku":"A-100","qty":2.5000000000000000000001,"location":"WH1/A/01"}
X
rejects "too many decimals, in CSV" 'unit_cost "0\.10000000000000000000000001": more than 4 decimals' \
	ims-receive <<'X'
sku,qty,location,unit_cost
A-100,1,WH1/A/01,0.10000000000000000000000001
X
rejects "a ts in the future" 'stdin:1: ts "2027-01-01T00:00:00Z" is in the future' \
	ims-receive <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","ts":"2027-01-01"}
X

done_testing
