#!/bin/sh
# Batches: one invocation is one transaction; --keep-going, --rejects,
# --dry-run; refs make a re-run safe.
. "$(dirname "$0")/lib.sh"
plan 75
setup_master

cat >b.ndjson <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","ref":"b-1"}
{"sku":"NOPE","qty":2,"location":"WH1/A/01","ref":"b-2"}
{"sku":"A-100","qty":3,"location":"WH1/A/02","ref":"b-3","carrier":"DHL"}
{"sku":"A-100","qty":4
{"sku":"A-100","qty":0.0001,"location":"WH1/A/01","ref":"b-5"}
{"sku":"K-1","qty":6,"location":"WH1/B/01","ref":"b-6"}
X

# --- all or nothing ---
rejects "three bad records of six" '^ims-receive: b\.ndjson:2: unknown sku "NOPE"$' \
	ims-receive b.ndjson
like '^ims-receive: b\.ndjson:4: malformed JSON' "$T/err" "every problem: line 4"
like '^ims-receive: b\.ndjson:5: qty "0\.0001": more than 3 decimals$' "$T/err" \
	"every problem: line 5"
like '^ims-receive: 3 of 6 records rejected; nothing stored$' "$T/err" "a summary"
is "$(lines "$T/err")" 4 "and nothing else"

# --- --dry-run ---
before=$(snapshot)
check_rc 1 "--dry-run with bad records" ims-receive -n b.ndjson
like '3 of 6 records rejected; nothing would be stored' "$T/err" "says what it would do"
is "$(snapshot)" "$before" "stores nothing"
sed -n '1p;3p;6p' b.ndjson >good.ndjson
check_rc 0 "--dry-run with good records" ims-receive --dry-run good.ndjson
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "b-1 b-3 b-6 " "echoes what it would post"
is "$(jfield seq <"$T/out" | tr '\n' ' ')" "11 12 13 " "with the seqs it would take (after the 10 master entries)"
is "$(snapshot)" "$before" "stores nothing"
check_rc 1 "--dry-run --keep-going" ims-receive -n --keep-going b.ndjson
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "b-1 b-3 b-6 " "echoes the good ones"
is "$(snapshot)" "$before" "stores nothing"
check_rc 0 "--dry-run of master data" ims-item -n good.ndjson
is "$(ims-item --list | jfield sku | tr '\n' ' ')" "A-100 K-1 L-200 S-300 " \
	"stores no item"

# --- --keep-going and --rejects ---
check_rc 1 "--keep-going --rejects" ims-receive --keep-going --rejects=rej.ndjson b.ndjson
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "b-1 b-3 b-6 " "posts and echoes the good ones"
like '^ims-receive: 3 of 6 records rejected, 3 posted$' "$T/err" "a summary"
is "$(ims-report ledger | jfield ref | tr '\n' ' ')" "b-1 b-3 b-6 " "they are stored"
is "$(lines rej.ndjson)" 3 "three rejects"
is "$(sed -n 1p rej.ndjson)" \
	'{"sku":"NOPE","qty":2,"location":"WH1/A/01","ref":"b-2","error":"unknown sku \"NOPE\"","line":2,"file":"b.ndjson"}' \
	"a reject: the record, its error, line and file"
like '^\{"text":"\{\\"sku\\":\\"A-100\\",\\"qty\\":4","error":"malformed JSON at column [0-9]+","line":4,"file":"b\.ndjson"\}$' \
	rej.ndjson "a record that could not be read: its text"
like '"ref":"b-5","error":"qty \\"0\.0001\\": more than 3 decimals","line":5,' \
	rej.ndjson "the third"
is "$(jfield line <rej.ndjson | tr '\n' ' ')" "2 4 5 " "every reject has its line"

# --- refs: a re-run is skipped and reported, never posted twice ---
before=$(snapshot)
check_rc 1 "the same file again" ims-receive --keep-going --rejects=rej2.ndjson b.ndjson
like '^ims-receive: b\.ndjson:1: ref "b-1" already posted as entry 11: skipped$' "$T/err" \
	"skip reported, naming where it was posted"
like 'b\.ndjson:3: ref "b-3" already posted as entry 12: skipped' "$T/err" "each skip"
like 'b\.ndjson:6: ref "b-6" already posted as entry 13: skipped' "$T/err" "each skip"
is "$(cat "$T/out")" "" "nothing echoed"
is "$(snapshot)" "$before" "nothing posted twice"
is "$(lines rej2.ndjson)" 3 "the bad ones rejected again"
sed -e 's/"NOPE"/"K-1"/' -e '4s|.*|{"sku":"A-100","qty":4,"location":"WH1/A/01","ref":"b-4"}|' \
	-e 's/0\.0001/5/' b.ndjson >fixed.ndjson
check_rc 0 "the file fixed and run again" ims-receive fixed.ndjson
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "b-2 b-4 b-5 " "posts only what was missing"
is "$(grep -c 'skipped' "$T/err")" 3 "and reports the three skips"
check_rc 0 "once more" ims-receive -q fixed.ndjson
is "$(cat "$T/out")" "" "-q: nothing echoed"
is "$(grep -c 'skipped' "$T/err")" 0 "-q: skips not reported"
is "$(ims-report ledger | jfield ref | sort | uniq -d)" "" "no ref twice in the journal"
is "$(ims-report ledger | wc -l | tr -d ' ')" 6 "six movements in all"

cat >dup.ndjson <<'X'
{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"d-1"}
{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"d-1"}
X
check_rc 0 "a ref twice in one batch" ims-receive dup.ndjson
is "$(lines "$T/out")" 1 "posted once"
like '^ims-receive: dup\.ndjson:2: ref "d-1" already posted as entry 17: skipped$' \
	"$T/err" "the second reported"
before=$(snapshot)
check_rc 0 "--dry-run of a re-run" ims-receive -n dup.ndjson
is "$(cat "$T/out")" "" "would post nothing"
is "$(snapshot)" "$before" "stores nothing"
printf '{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","ref":"d-1"}\n' >mref.ndjson
check_rc 1 "a move with a receipt's ref" ims-move mref.ndjson
like '^ims-move: mref\.ndjson:1: ref "d-1" is held by entry 17, which posted other content$' \
	"$T/err" "refs are one namespace: other content is a conflict"
is "$(snapshot)" "$before" "nothing posted"

# --- several inputs, one transaction ---
printf '{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"f-1"}\n' >f1.ndjson
printf 'sku,qty,location,ref\nK-1,1,WH1/B/01,f-2\nK-1,1,WH1/Z,f-3\n' >f2.csv
rejects "a bad record in the last input" '^ims-receive: f2\.csv:3: unknown location "WH1/Z"$' \
	ims-receive f1.ndjson f2.csv
printf 'sku,qty,location,ref\nK-1,1,WH1/B/01,f-2\n' >f2.csv
check_rc 0 "files and stdin together" ims-receive f1.ndjson - f2.csv <dup.ndjson
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "f-1 f-2 " "in operand order"
like '^ims-receive: stdin:1: ref "d-1"' "$T/err" "stdin named stdin"

# --- --rejects edge cases ---
check_rc 0 "--rejects with nothing to reject" ims-receive -q --rejects=none.ndjson fixed.ndjson
test ! -e none.ndjson
ok "makes no file"
printf '{"sku":"NOPE","qty":1,"location":"WH1/B/01"}\n' >one.ndjson
check_rc 1 "--rejects from stdin" ims-receive --rejects=sr.ndjson <one.ndjson
is "$(cat sr.ndjson)" '{"sku":"NOPE","qty":1,"location":"WH1/B/01","error":"unknown sku \"NOPE\"","line":1}' \
	"no file field for stdin"
printf 'sku,qty,location,note\nNOPE,1,WH1/B/01,"a,b"\n' >one.csv
check_rc 1 "--rejects of a CSV record" ims-receive --rejects=cr.ndjson one.csv
is "$(cat cr.ndjson)" '{"sku":"NOPE","qty":"1","location":"WH1/B/01","note":"a,b","error":"unknown sku \"NOPE\"","line":2,"file":"one.csv"}' \
	"as NDJSON, the CSV fields as strings"
check_rc 3 "--rejects where it cannot be written" \
	ims-receive --rejects=nodir/r.ndjson one.ndjson
like 'nodir/r\.ndjson' "$T/err" "names the file"
printf '{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"z-1"}\n{"sku":"NOPE","qty":2,"location":"WH1/B/01","ref":"z-2"}\n' \
	>z.ndjson
check_rc 1 "--keep-going, one rejected" ims-receive -q --keep-going --rejects=rz.ndjson z.ndjson
sed -e 's/"NOPE"/"K-1"/' -e 's/,"error":.*$/}/' rz.ndjson >again.ndjson
check_rc 0 "the rejects file, fixed, read back" ims-receive again.ndjson
like '"sku":"K-1","qty":2,.*"ref":"z-2"' "$T/out" "posts the record that was rejected"
# --- several processes at once: stock never goes negative ---
printf '{"sku":"A-100","qty":10,"location":"WH2/A/01"}\n' | ims-receive -q
ok "10 in WH2/A/01"
printf '{"sku":"A-100","qty":3,"from":"WH2/A/01","to":"@customer"}\n' >c.ndjson
for i in 1 2 3 4 5 6; do
	(ims-move -q c.ndjson 2>c.err.$i; echo $? >c.rc.$i) &
done
wait
is "$(cat c.rc.* | sort | tr -d '\n')" 000111 \
	"six processes shipping 3 each: three succeed, three are refused"
is "$(cat c.err.* | grep -c 'not enough stock of "A-100" at "WH2/A/01": 3 wanted, 1 available')" 3 \
	"each refusal says what is left"
is "$(ims-report onhand --location WH2 | jfield on_hand)" 1 "1 left"
done_testing
