#!/bin/sh
# CSV and table rows of the journal: a stored row that ims can split in
# place and one that needs the full JSON parser (an escape, a nested
# value, an exponent somewhere in it) must come out the same, with the
# quoting rules and the formula guard of -o csv.
. "$(dirname "$0")/lib.sh"
plan 13
setup_master
# f-N goes the short way; s-N is the same movement with one field more
# that sends it the long way
cat >r.ndjson <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","ref":"f-1","note":"plain, with a comma"}
{"sku":"A-100","qty":1,"location":"WH1/A/01","ref":"s-1","note":"plain, with a comma","y":"a\"b"}
{"sku":"A-100","qty":2.5,"location":"WH1/A/01","ref":"f-2","note":"=1+1"}
{"sku":"A-100","qty":2.5,"location":"WH1/A/01","ref":"s-2","note":"=1+1","x":{"a":[1,2]}}
{"sku":"A-100","qty":3,"location":"WH1/A/01","ref":"f-3","note":" caf\u00e9 "}
{"sku":"A-100","qty":3,"location":"WH1/A/01","ref":"s-3","note":" caf\u00e9 ","e":1e3}
{"sku":"A-100","qty":4,"location":"WH1/A/01","ref":"f-4","note":"say \"hi\"\nbye","on":true,"off":false,"none":null}
X
ims-receive -q r.ndjson
ok "seven receipts, four of them the long way"

# rows N and N+1 of FILE with seq and ref taken out
same() {
	sed -n "$2p;$(($2 + 1))p" "$1" | sed 's/^ *[0-9]*//; s/[fs]-[0-9]//'
}
check_rc 0 "ledger -o csv" ims-report ledger -o csv
tr -d '\r' <"$T/out" >csv
for n in 1 2 3; do
	is "$(same csv $((2 * n)) | sort -u | wc -l | tr -d ' ')" 1 \
	    "CSV row f-$n is s-$n"
done
is "$(sed -n 2p csv | cut -d, -f2-)" \
    "2026-11-27T12:00:00Z,receive,A-100,1,'@supplier,WH1/A/01,,,,0.25,f-1,,tester,\"plain, with a comma\"" \
    "a comma quotes the cell; a leading @ is guarded"
is "$(sed -n 4p csv | cut -d, -f15)" "'=1+1" "a formula is guarded"
is "$(sed -n 6p csv | cut -d, -f15)" '" café "' \
    "spaces at either end quote the cell; UTF-8 as it is"
is "$(sed -n '8,9p' csv | cut -d, -f15)" '"say ""hi""
bye"' "quotes doubled, a newline kept inside the quotes"
check_rc 0 "ledger -o table" ims-report ledger -o table
for n in 1 2 3; do
	is "$(same "$T/out" $((2 * n)) | sort -u | wc -l | tr -d ' ')" 1 \
	    "table row f-$n is s-$n"
done
done_testing
