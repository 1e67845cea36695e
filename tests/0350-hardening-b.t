#!/bin/sh
# Hardening (issue 8, points 3, 4, 10 to 15): integer fields have ranges,
# a CSV header names the required fields, C1 control characters are
# control characters, the environment is checked, options that do not
# apply are usage errors, --until takes the whole day and ims-log says
# --after, messages say what is wrong, and the documents match.
. "$(dirname "$0")/lib.sh"
plan 344
setup_master
# usage DESC PATTERN CMD...: like rejects, for a usage error (exit 2).
usage() {
	_ud=$1 _up=$2
	shift 2
	_ubefore=$(snapshot)
	check_rc 2 "$_ud" "$@"
	like "$_up" "$T/err" "$_ud: says why"
	is "$(wc -c <"$T/out" | tr -d ' ')" 0 "$_ud: nothing on stdout"
	is "$(snapshot)" "$_ubefore" "$_ud: store unchanged"
}
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01"}\n' >one.ndjson

# --- 3: integer fields have ranges ---
for v in 9223372036854775807 2920000 1e15 36501; do
	rejects "shelf_life_days $v" "stdin:1: shelf_life_days \"$v\": out of range \(0\.\.36500\)" \
		ims-item <<-X
	{"sku":"R-1","track":"lot","shelf_life_days":$v}
	X
done
rejects "shelf_life_days -1" 'shelf_life_days must not be negative' ims-item <<'X'
{"sku":"R-1","track":"lot","shelf_life_days":-1}
X
rejects "shelf_life_days past the int64 range" 'shelf_life_days "99999999999999999999": number out of range' \
	ims-item <<'X'
{"sku":"R-1","track":"lot","shelf_life_days":99999999999999999999}
X
rejects "lead_time_days 3651 on an item" 'lead_time_days "3651": out of range \(1\.\.3650\)' \
	ims-item <<'X'
sku,lead_time_days
R-1,3651
X
rejects "lead_time_days 1e6 on a supplier" 'lead_time_days "1e6": out of range \(1\.\.3650\)' \
	ims-supplier <<'X'
{"id":"SUP-9","lead_time_days":1e6}
X
rejects "a lead time of no days" 'stdin:2: lead_time_days "0": out of range' \
	ims-item <<'X'
sku,lead_time_days
R-1,0
X
check_rc 0 "the ends of the ranges" ims-item <<'X'
sku,track,shelf_life_days,lead_time_days
R-1,lot,36500,3650
R-2,lot,0,1
X
check_rc 0 "a receipt with the longest shelf life" ims-receive <<'X'
{"sku":"R-1","qty":1,"location":"WH1/A/01","lot":"R1","ts":"2026-11-27T10:00:00Z"}
X
like '"expiry":"2126-11-03"' "$T/out" "expires 36500 days after its date"
rejects "an expiry past the year 9999" 'lot "R9" of "R-1": 36500 days of shelf life from 9990-01-01 is past the year 9999' \
	env IMS_NOW=9990-01-01T12:00:00Z ims-receive <<'X'
{"sku":"R-1","qty":1,"location":"WH1/A/01","lot":"R9"}
X
check_rc 0 "a lot that gives its expiry" env IMS_NOW=9990-01-01T12:00:00Z ims-receive -n <<'X'
{"sku":"R-1","qty":1,"location":"WH1/A/01","lot":"R9","expiry":"9999-12-31"}
X
ims-log >r3.ndjson
check_rc 0 "the journal restores" ims-log --restore --db "$T/r3.db" r3.ndjson
ims-check -q --db "$T/r3.db"
ok "and checks"
grep -q "^0 to 36500" "$IMS_TOP/man/ims-records.5" &&
	grep -q "^1 to 3650 " "$IMS_TOP/man/ims-records.5"
ok "ims-records(5) gives the ranges"

# --- 4: a CSV header that lacks a required field is an error ---
printf 'A-100,5,WH1/A/01\n' >nohdr.csv
rejects "a headerless receipt file" \
	'^ims-receive: nohdr\.csv:1: the header lacks the required columns "sku", "qty", "location" \(is the header line missing\?\)$' \
	ims-receive nohdr.csv
printf 'A-100,5,WH1/A/01\nA-100,2,WH1/A/02\n' >nohdr2.csv
rejects "a headerless file of two rows" 'nohdr2\.csv:1: the header lacks' \
	ims-receive nohdr2.csv
rejects "a header of unknown columns" 'stdin:1: the header lacks the required columns "sku", "qty", "location"' \
	ims-receive <<'X'
item,amount,bin
A-100,5,WH1/A/01
X
rejects "a move without from and to" 'stdin:1: the header lacks the required columns "from", "to"$' \
	ims-move <<'X'
sku,qty,location
A-100,1,WH1/A/01
X
rejects "a move without to" 'stdin:1: the header lacks the required column "to"$' \
	ims-move <<'X'
sku,qty,from
A-100,1,WH1/A/01
X
rejects "items without sku" 'the header lacks the required column "sku"' ims-item <<'X'
name,uom
Bolt,ea
X
rejects "locations without code" 'the header lacks the required column "code"' ims-loc <<'X'
WH9/A/01,bin,internal
X
rejects "suppliers without id" 'the header lacks the required column "id"' ims-supplier <<'X'
name,lead_time_days
Acme,5
X
rejects "--keep-going does not save a bad header" 'the header lacks' \
	ims-receive --keep-going nohdr.csv
check_rc 1 "a good file, then a headerless one" ims-receive -q one.ndjson nohdr.csv
like 'nohdr\.csv:1: the header lacks' "$T/err" "names the file that lacks it"
check_rc 0 "a header and no rows" ims-receive <<'X'
sku,qty,location
X
check_rc 0 "the required columns in any order, and more" ims-receive -n <<'X'
note,location,qty,sku
hi,WH1/A/01,1,A-100
X
ims-log -o csv >log.csv
rejects "ims-log -o csv is not restorable" 'the header lacks the required column "hash"$' \
	ims-log --restore log.csv
rejects "a restore without seq, actor and hash" 'lacks the required columns "seq", "ts", "actor", "hash"' \
	ims-log --restore <<'X'
sku,qty,from,to
A-100,1,@supplier,WH1/A/01
X

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

# --- 11: the environment and location codes are checked ---
usage "IMS_ACTOR with ESC" '^ims-receive: IMS_ACTOR "a\\x1bb" has a control character$' \
	env IMS_ACTOR="a${ESC:=$(printf '\033')}b" ims-receive one.ndjson
usage "IMS_ACTOR with U+009B" 'IMS_ACTOR "a\\u009bb" has a control character' \
	env IMS_ACTOR="a${CSI}b" ims-move one.ndjson
usage "IMS_ACTOR, not UTF-8" 'actor from IMS_ACTOR is not valid UTF-8' \
	env IMS_ACTOR="$(printf 'a\377')" ims-receive one.ndjson
usage "IMS_ACTOR too long" 'IMS_ACTOR is longer than 128 bytes' \
	env IMS_ACTOR="$(printf '%0200d' 0)" ims-receive one.ndjson
usage "IMS_NOW that is not a time" '^ims-receive: IMS_NOW "yesterday": not a date' \
	env IMS_NOW=yesterday ims-receive one.ndjson
usage "IMS_NOW with a bad zone" 'IMS_NOW "2026-11-27T12:00:00\+25:00": invalid zone offset' \
	env IMS_NOW=2026-11-27T12:00:00+25:00 ims-receive -n one.ndjson
check_rc 0 "a good IMS_ACTOR" env IMS_ACTOR=ops-7 ims-receive one.ndjson
like '"actor":"ops-7"' "$T/out" "is the entry's actor"
check_rc 0 "a reader does not need IMS_NOW" env IMS_NOW=yesterday ims-report onhand
for c in WH1/./A WH1/.. . ../WH1 WH1/../WH2; do
	rejects "location $c" "location \"$(echo "$c" | sed 's/\./\\./g')\" has a \. or \.\. segment" \
		ims-loc <<-X
	code
	$c
	X
done
rejects "location WH1//A" 'location "WH1//A" has an empty segment' ims-loc <<'X'
{"code":"WH1//A"}
X
check_rc 0 "dots inside a segment are fine" ims-loc <<'X'
code
WH1/.A/..B/C.
X

# --- 12: options that do not apply are usage errors ---
usage "ledger --depth" '--depth does not apply to ledger' ims-report ledger --depth 1
usage "ledger --group-by" '--group-by does not apply to ledger' ims-report ledger --group-by sku
usage "onhand --since" '--since does not apply to onhand' ims-report onhand --since 2026-11-01
usage "onhand --until" '--until does not apply to onhand' ims-report onhand --until 2026-11-01
usage "--until with --as-of" '--until and --as-of together' \
	ims-report ledger --until 2026-11-01 --as-of 2026-11-02
usage "--show with a file" '--show reads no files' ims-supplier --show SUP-1 one.ndjson
usage "a file before --show" '--show reads no files' ims-supplier one.ndjson --show SUP-1
usage "--list with a file" '--list reads no files' ims-item --list one.ndjson
for o in --keep-going --rejects=r.out --dry-run --input-format=csv --no-sync; do
	usage "ims-report $o" "${o%%=*} does not apply: ims-report stores nothing" \
		ims-report onhand $o
done
usage "ims-check --keep-going" '--keep-going does not apply: ims-check stores nothing' \
	ims-check --keep-going
usage "ims-log --dry-run" '--dry-run does not apply: an export stores nothing' ims-log -n
usage "ims-log --rejects" '--rejects does not apply: an export stores nothing' \
	ims-log --rejects=r.out
usage "ims-backup --keep-going" '--keep-going does not apply' ims-backup --keep-going b1
usage "ims-backup -o csv" '--output does not apply' ims-backup -o csv b2
usage "ims-item --list --keep-going" '--keep-going does not apply: --list stores nothing' \
	ims-item --list --keep-going
usage "ims-loc --show -n" '--dry-run does not apply: --show stores nothing' \
	ims-loc -n --show WH1/A/01
usage "ims-log --restore --after" '--after, --restore and --upgrade go one at a time' \
	ims-log --restore --after 3 one.ndjson
test ! -e r.out && test ! -e b1 && test ! -e b2
ok "no file made by an option that did not apply"
check_rc 0 "ims-log --restore takes --dry-run" ims-log --restore -n </dev/null
check_rc 0 "ims-item takes --keep-going" ims-item -q --keep-going </dev/null
ims-report --help >help.out
is "$(grep -cE -- '--(keep-going|rejects|dry-run|input-format|no-sync)' help.out)" 0 \
	"ims-report --help lists no option it does not take"
ims-receive --help >help.out
is "$(grep -cE -- '--(keep-going|rejects|dry-run|input-format|no-sync)' help.out)" 5 \
	"ims-receive --help lists them all"

# --- 13: --until a date takes the whole day; ims-log says --after ---
ims-receive -q <<'X'
{"sku":"K-1","qty":1,"location":"WH1/B/01","ts":"2026-11-20T00:00:00Z","ref":"u-1"}
{"sku":"K-1","qty":1,"location":"WH1/B/01","ts":"2026-11-20T23:59:59Z","ref":"u-2"}
{"sku":"K-1","qty":1,"location":"WH1/B/01","ts":"2026-11-21T00:00:00Z","ref":"u-3"}
X
ok "receipts at the start, the end and after a day"
check_rc 0 "--until a date" ims-report ledger --sku K-1 --until 2026-11-20
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "u-1 u-2 " "takes the whole of that day"
check_rc 0 "--until a moment" ims-report ledger --sku K-1 --until 2026-11-20T00:00:00Z
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "u-1 " "takes up to that moment"
check_rc 0 "--since and --until the same date" \
	ims-report ledger --sku K-1 --since 2026-11-20 --until 2026-11-20
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "u-1 u-2 " "is that day"
check_rc 0 "--until 9999-12-31" ims-report ledger --sku K-1 --until 9999-12-31
is "$(lines "$T/out")" 3 "the last day there is"
check_rc 0 "--as-of a date" ims-report onhand --sku K-1 --as-of 2026-11-20
like '"on_hand":1,' "$T/out" "--as-of a date is still its midnight"
last=$(ims-log | tail -n 1 | jfield seq)
check_rc 0 "ims-log --after" ims-log --after $((last - 1))
is "$(jfield ref <"$T/out")" "u-3" "the entries after SEQ"
check_rc 0 "ims-log --after=SEQ" ims-log --after=$((last - 2))
is "$(lines "$T/out")" 2 "with ="
usage "ims-log --since" 'ims-log: --since is a time in ims-report; entries after a seq are --after SEQ' \
	ims-log --since 3
usage "ims-log --since=" '--after SEQ' ims-log --since=2026-11-01
usage "ims-log --after, not a seq" '--after: a seq number' ims-log --after 2026-11-01
ims-log --help >help.out
like '--after=SEQ' help.out "ims-log --help names --after"
is "$(grep -c -- '--since' help.out)" 0 "and not --since"
for f in man/ims-log.1 completions/ims.bash completions/_ims README.md; do
	is "$(grep -c 'ims-log.*--since\|--since=\[only the entries' \
	    "$IMS_TOP/$f")" 0 "$f: no ims-log --since"
done
grep -q -- '--after' "$IMS_TOP/man/ims-log.1" &&
	grep -q -- '--after=' "$IMS_TOP/completions/ims.bash" &&
	grep -q -- "'--after=" "$IMS_TOP/completions/_ims"
ok "ims-log(1) and the completions know --after"

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

# --- 15: documents match behaviour ---
check_rc 0 "a receipt into a transit location" ims-receive <<'X'
{"sku":"A-100","qty":2,"location":"TRANSIT/WH1-WH2","ref":"t-1"}
X
like '"to":"TRANSIT/WH1-WH2"' "$T/out" "is posted"
grep -q 'internal or transit' "$IMS_TOP/man/ims-receive.1"
ok "ims-receive(1) says a receipt may go into transit"
rejects "a receipt into @scrap" \
	'location "@scrap": a receipt goes into a stored location \(internal or transit\), not a virtual one' \
	ims-receive <<'X'
{"sku":"A-100","qty":1,"location":"@scrap"}
X
check_rc 0 "a move with fields it sets itself" ims-move <<'X'
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","location":"X","type":"ship","actor":"mallory","seq":1,"po":"P-1","unit_cost":9,"extra":"kept"}
X
is "$(jfield location <"$T/out")|$(jfield type <"$T/out")|$(jfield actor <"$T/out")|$(jfield po <"$T/out")|$(jfield unit_cost <"$T/out")|$(jfield extra <"$T/out")" \
	"|move|tester|P-1|9|kept" "keeps po, unit_cost and unknown fields; sets type and actor; drops location"
for f in location type actor seq hash po unit_cost expiry; do
	grep -q "^\.Cm $f" "$IMS_TOP/man/ims-move.1" || grep -q "^\.It Cm .*$f" "$IMS_TOP/man/ims-move.1"
	ok "ims-move(1) says what a move does with $f"
done
like 'Only that NDJSON export can be restored' "$IMS_TOP/man/ims-log.1" \
	"ims-log(1) says a CSV export cannot be restored"
ims-log --help >help.out
like 'Only an NDJSON export can' help.out "and so does ims-log --help"
grep -q 'make demo.*share/demo.sh' "$IMS_TOP/README.md" &&
	! grep -q 'make demo *# the same' "$IMS_TOP/README.md"
ok "the README says what make demo runs, not that it runs the tests"
for w in ims-supplier ims-item ims-loc ims-receive ims-move ims-check; do
	grep -q "^$w" "$IMS_TOP/share/demo.sh"
	ok "share/demo.sh runs $w"
done
grep -q 'ims-check' "$IMS_TOP/README.md" && grep -q 'by warehouse' "$IMS_TOP/README.md"
ok "which the README names"

done_testing
