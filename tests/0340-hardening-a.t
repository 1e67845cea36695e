#!/bin/sh
# Hardening (issue 8): --rejects never destroys the store or an input; a
# damaged store is never taken for an empty one; exit 3 means nothing was
# stored; --help onto a full disk fails; dead readers lock no one out; a
# full disk says so; a rejects file is valid NDJSON for any input.
. "$(dirname "$0")/lib.sh"
plan 147
LC_ALL=C
export LC_ALL
: "${IMS_ENOSPC:?run the tests through make check (no enospc.so)}"
# the shim comes before the ASan runtime of a SAN=1 build: let it
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

bytes() {
	wc -c <"$1" | tr -d ' '
}
# valid_ndjson FILE: every line of FILE is one JSON text, in UTF-8
valid_ndjson() {
	perl -MJSON::PP -ne 'decode_json($_)' "$1"
}

setup_master
receipts 1 20 base | ims-receive -q
receipts 21 21 good >good.ndjson
printf '{"sku":"NOPE","qty":1,"location":"WH1/A/01"}\n' >bad.ndjson

# --- 1. --rejects never names the store, an input, a link, or "-" ---
# refused DESC PATTERN CMD...: CMD is a usage error (exit 2) saying
# PATTERN, prints nothing, and leaves the store's files as they were.
# Five tests.
refused() {
	_d=$1 _p=$2
	shift 2
	_sum=$(cat "$IMS_DB/data.mdb" | cksum)
	_before=$(snapshot)
	check_rc 2 "$_d" "$@"
	like "$_p" "$T/err" "$_d: says why"
	is "$(bytes "$T/out")" 0 "$_d: nothing on stdout"
	is "$(cat "$IMS_DB/data.mdb" | cksum)" "$_sum" "$_d: data.mdb as it was"
	is "$(snapshot)" "$_before" "$_d: the store as it was"
}
refused "a dry run writing rejects over data.mdb" 'inside the store' \
	ims-receive -n --rejects="$IMS_DB/data.mdb" good.ndjson
refused "rejects over lock.mdb" 'inside the store' \
	ims-receive --rejects="$IMS_DB/lock.mdb" bad.ndjson
refused "rejects into the store's directory" 'inside the store' \
	ims-receive --rejects="$IMS_DB/held.ndjson" bad.ndjson
refused "rejects into the store by another path" 'inside the store' \
	ims-receive --rejects="$T/./db/../db/data.mdb" bad.ndjson
cp bad.ndjson in.ndjson
refused "rejects over the input" 'is an input' \
	ims-receive --rejects=in.ndjson in.ndjson
is "$(cat in.ndjson)" "$(cat bad.ndjson)" "the input is untouched"
ln in.ndjson hard.ndjson
refused "rejects over a hard link of an input" 'is an input' \
	ims-receive --keep-going --rejects=hard.ndjson good.ndjson in.ndjson
refused "rejects over standard input" 'is an input' \
	sh -c 'ims-receive --rejects=in.ndjson <in.ndjson'
is "$(cat in.ndjson)" "$(cat bad.ndjson)" "the input is still untouched"
refused "--rejects=-" 'rejects' ims-receive --rejects=- bad.ndjson
test ! -e ./-
ok "no file named -"
echo precious >victim.txt
ln -s victim.txt link.ndjson
refused "rejects through a symbolic link" 'symbolic link' \
	ims-receive --rejects=link.ndjson bad.ndjson
is "$(cat victim.txt)" precious "the link's target is untouched"
echo "keep me" >keep.ndjson
check_rc 0 "nothing rejected, an existing rejects file" \
	ims-receive -q --rejects=keep.ndjson good.ndjson
is "$(cat keep.ndjson)" "keep me" "is not truncated"
check_rc 0 "a dry run, nothing rejected" \
	ims-receive -n -q --rejects=keep.ndjson good.ndjson
is "$(cat keep.ndjson)" "keep me" "is not truncated either"
check_rc 0 "nothing rejected, no rejects file" \
	ims-receive -q --rejects=none.ndjson good.ndjson
test ! -e none.ndjson
ok "makes no file"
check_rc 1 "one rejected" ims-receive --rejects=keep.ndjson bad.ndjson
is "$(jfield error <keep.ndjson)" 'unknown sku \"NOPE\"' \
	"replaces what the file held"
check_rc 1 "rejects to /dev/null" ims-receive --rejects=/dev/null bad.ndjson
test -c /dev/null
ok "/dev/null is still /dev/null"

# --- 5. exit 3 means nothing was stored ---
before=$(snapshot)
receipts 30 31 full >two.ndjson
check_rc 3 "an echo onto a full disk" sh -c 'ims-receive two.ndjson >/dev/full'
like '^ims-receive: write error: No space left on device$' "$T/err" "says so"
is "$(snapshot)" "$before" "and stored nothing"
check_rc 0 "the same batch again" ims-receive two.ndjson
is "$(jfield ref <"$T/out" | tr '\n' ' ')" "full-30 full-31 " \
	"posts both: they were not stored before"
printf 'sku,name,uom\nNEW-1,new,ea\n' >new.csv
check_rc 3 "an item's echo onto a full disk" sh -c 'ims-item new.csv >/dev/full'
check_rc 1 "and the item was not stored" ims-item --show NEW-1

# --- 6. --help, --usage and --version fail on a full disk ---
for o in --help --usage --version; do
	check_rc 3 "ims-report $o onto a full disk" \
		sh -c "ims-report $o >/dev/full"
	like '^ims-report: write error: No space left on device$' "$T/err" \
		"ims-report $o: says so"
done
check_rc 3 "ims-receive --help onto a full disk" \
	sh -c 'ims-receive --help >/dev/full'
check_rc 0 "ims-report --help" ims-report --help
like '--as-of' "$T/out" "prints the help"
check_rc 0 "ims-item --version" ims-item --version
like '^ims ' "$T/out" "prints the version"

# --- 9. a rejects file is valid NDJSON for any input ---
printf '{"sku":"A-100","qty":1,"note":"caf\351 \377"}\n' >latin1.ndjson
check_rc 1 "a line that is not UTF-8" \
	ims-receive --rejects=r9a.ndjson latin1.ndjson
valid_ndjson r9a.ndjson
ok "is written as valid NDJSON"
like 'caf.* .*\}' r9a.ndjson "with its text"
printf '{"sku":"A-100","qty":1,"note":"a\000b"}\n' >nul.ndjson
check_rc 1 "a line with a NUL byte" ims-receive --rejects=r9b.ndjson nul.ndjson
valid_ndjson r9b.ndjson
ok "is written as valid NDJSON"
like 'a\\u0000b\\"}' r9b.ndjson "escaped, and not cut at the NUL"
printf 'sku,qty,location\nA-100,1,WH1\377\000/A/01\n' >bad.csv
check_rc 1 "a CSV row with both" ims-receive --rejects=r9c.ndjson bad.csv
valid_ndjson r9c.ndjson
ok "is written as valid NDJSON"
like '"line":2' r9c.ndjson "with its line"
like 'u0000/A/01' r9c.ndjson "the whole row"
cp bad.csv "$(printf 'f\377.csv')"
check_rc 1 "a file name that is not UTF-8" \
	ims-receive --rejects=r9d.ndjson "$(printf 'f\377.csv')"
valid_ndjson r9d.ndjson
ok "is written as valid NDJSON"

# --- 8. a full disk says so, and names the store ---
IMS_DB=$T/full
setup_master
receipts 1 200 pre | ims-receive -q
receipts 1 5000 e >batch.ndjson
cp -Rp "$IMS_DB" "$T/pristine"
before=$(snapshot)
for partial in 0 1; do
	rm -rf "$IMS_DB"
	cp -Rp "$T/pristine" "$IMS_DB"
	env LD_PRELOAD="$IMS_ENOSPC" IMS_ENOSPC_AFTER=300000 \
	    IMS_ENOSPC_PARTIAL=$partial ims-receive batch.ndjson \
	    >"$T/out" 2>"$T/err"
	is "$?" 3 "a full disk (partial writes $partial): exit 3"
	like "^ims-receive: \"$T/full\": .*No space left on device$" "$T/err" \
		"says no space left, and names the store"
	is "$(lines "$T/err")" 1 "in one line"
	is "$(snapshot)" "$before" "the store is as it was"
done
IMS_DB=$T/db

# --- 7. dead readers do not lock out readers ---
IMS_DB=$T/rd
setup_master
receipts 1 1000 rd | ims-receive -q
mkfifo fifo
sleep 300 <fifo >/dev/null 2>&1 &	# not on stdout: prove would wait
holder=$!
# slots: the reader slots in use
slots() {
	mdb_stat -r "$IMS_DB" 2>/dev/null | awk '$1 ~ /^[0-9]+$/' | wc -l |
	    tr -d ' '
}
# readers N: N ims-report ledger blocked inside their read transaction
# (writing into the fifo nobody reads); their pids in $pids
readers() {
	pids=
	_i=0
	while [ "$_i" -lt "$1" ]; do
		ims-report ledger >fifo 2>>"$T/rerr" &
		pids="$pids $!"
		_i=$((_i + 1))
	done
}
# wait_slots N: until N reader slots are taken (or 20 seconds)
wait_slots() {
	_i=0
	while [ "$_i" -lt 200 ] && [ "$(slots)" -lt "$1" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
# drain: read the fifo dry, and collect the readers' exit statuses
drain() {
	cat fifo >/dev/null &
	_fails=0
	for _p in $pids; do
		wait "$_p" || _fails=$((_fails + 1))
	done
	wait $!
}
: >"$T/rerr"
readers 160
wait_slots 160
is "$(slots)" 160 "160 readers at once hold a slot each"
drain
is "$_fails" 0 "and all 160 succeed"
is "$(cat "$T/rerr")" "" "none says anything"

readers 1
keeper=$pids
wait_slots 1
readers 127
wait_slots 128
for p in $pids; do
	kill -9 "$p"
done
for p in $pids; do
	wait "$p"
done 2>/dev/null
check_rc 0 "127 readers killed while another holds the store: a report" \
	ims-report onhand
is "$(bytes "$T/err")" 0 "says nothing"
pids=$keeper
drain
is "$_fails" 0 "the reader that held the store succeeds"

# A full table of dead readers: a reader clears the stale slots and goes
# on.  IMS_MAXREADERS makes the table small; the first process to open
# the store sizes it.
mkdir "$T/small"
cp "$IMS_DB/data.mdb" "$T/small/"
IMS_DB=$T/small
IMS_MAXREADERS=8 readers 1
keeper=$pids
wait_slots 1
readers 7
wait_slots 8
is "$(slots)" 8 "a table of 8 slots is full"
for p in $pids; do
	kill -9 "$p"
done
for p in $pids; do
	wait "$p"
done 2>/dev/null
check_rc 0 "7 of them killed: a report" ims-report onhand
is "$(bytes "$T/err")" 0 "says nothing"
check_rc 0 "and another" ims-report ledger --sku A-100
pids=$keeper
drain
is "$_fails" 0 "the reader that held the store succeeds"
kill "$holder"
wait "$holder" 2>/dev/null
IMS_DB=$T/db

# --- 2. a damaged store is never taken for an empty one ---
# damaged DESC CMD...: CMD exits 3 (no signal) saying the store is
# damaged, naming it and what to do; data.mdb is left as it was.  Three
# tests.
damaged() {
	_d=$1
	shift
	_sum=$(cat "$IMS_DB/data.mdb" | cksum)
	check_rc 3 "$_d" "$@"
	like "^$ims_cmd: \"$IMS_DB\": store damaged.*ims-backup.*ims-log" \
		"$T/err" "$_d: says the store is damaged, and what to do"
	is "$(cat "$IMS_DB/data.mdb" | cksum)" "$_sum" "$_d: data.mdb untouched"
}
IMS_DB=$T/dmg
setup_master
receipts 1 3000 dmg | ims-receive -q
cp -Rp "$IMS_DB" "$T/dmg.orig"
size=$(bytes "$IMS_DB/data.mdb")
truncate -s $((size / 2)) "$IMS_DB/data.mdb"
for c in "ims-report onhand" "ims-report ledger" "ims-item --list" \
    "ims-check" "ims-log" "ims-receive good.ndjson" "ims-backup bk"; do
	ims_cmd=${c%% *}
	damaged "cut short: $c" $c
done
test ! -e bk
ok "no backup made of it"
: >"$IMS_DB/data.mdb"
for c in "ims-receive good.ndjson" "ims-item new.csv" "ims-report onhand" \
    "ims-item --list"; do
	ims_cmd=${c%% *}
	damaged "empty: $c" $c
done
is "$(bytes "$IMS_DB/data.mdb")" 0 "an empty data.mdb is not made anew"

# an item whose stored record no longer parses: the listing fails
rm -rf "$IMS_DB"
cp -Rp "$T/dmg.orig" "$IMS_DB"
perl -pi -e 's/\{"sku":"K-1"/\{"sku"_"K-1"/g' "$IMS_DB/data.mdb"
check_rc 3 "a damaged item record: ims-item --list" ims-item --list
like '^ims-item: ".*": store damaged.*K-1' "$T/err" \
	"says which record is damaged"

# a fault while reading the map (the file cut short under a reader)
rm -rf "$IMS_DB"
cp -Rp "$T/dmg.orig" "$IMS_DB"
sleep 300 <fifo >/dev/null 2>&1 &
holder=$!
ims-report ledger >fifo 2>"$T/berr" &
pids=$!
wait_slots 1
truncate -s 8192 "$IMS_DB/data.mdb"
cat fifo >/dev/null &
wait "$pids"
is "$?" 3 "a reader whose store is cut short under it: exit 3, no signal"
like "^ims-report: \"$IMS_DB\": store damaged" "$T/berr" "says so"
kill "$holder"
wait "$holder" 2>/dev/null
done_testing
