#!/bin/sh
# The store at its limits: a small map grows by itself through a large
# batch (from a file and from a pipe); a full disk gives a clear message,
# exit 3 and nothing half-written; a reader slot left by a killed reader
# is cleared by the next writer.  The full disk is tests/enospc.c,
# preloaded: $IMS_ENOSPC names it.
. "$(dirname "$0")/lib.sh"
plan 80
LC_ALL=C
export LC_ALL
: "${IMS_ENOSPC:?run the tests through make check (no enospc.so)}"
# the shim comes before the ASan runtime of a SAN=1 build: let it
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

N=20000
[ -n "${IMS_VALGRIND:-}" ] && N=3000

mapsize() {
	mdb_stat -e "$IMS_DB" | awk '/Map size:/ { print $3 }'
}
# state: the whole store, short: the journal's and balances' digest
state() {
	{ snapshot; ims-item --list; ims-loc --list; } | cksum
}

# --- a small map grows by itself ---
IMS_MAPSIZE=65536
export IMS_MAPSIZE
setup_master
small=$(mapsize)
[ "$small" -le 262144 ]
ok "a new store with a small map ($small bytes)"
receipts 1 "$N" f >big1.ndjson
check_rc 0 "$N receipts from a file" ims-receive -q big1.ndjson
is "$(wc -c <"$T/err" | tr -d ' ')" 0 "nothing said while growing"
grown=$(mapsize)
[ "$grown" -gt 65536 ]
ok "the map grew by itself (to $grown bytes)"
receipts 1 "$N" p >big2.ndjson
cat big2.ndjson | ims-receive -q >/dev/null 2>"$T/err"
is "$?" 0 "$N receipts from a pipe"
is "$(wc -c <"$T/err" | tr -d ' ')" 0 "nothing said while growing"
check_rc 0 "ims-check after growing" ims-check
like "^ims-check: [0-9]+ entries \($((2 * N)) movements\), 0 differences" "$T/err" \
	"every receipt posted once"

# a replay after growing says each skip once and writes each reject once
{ receipts 1 50 f; receipts 1 "$N" q; echo '{"sku":"A-100","qty":"x"}'; } |
	ims-receive --keep-going --rejects=rej.ndjson >/dev/null 2>"$T/err"
is "$?" 1 "a batch with skips and a reject grows the map too (exit 1)"
is "$(grep -c 'already posted' "$T/err")" 50 "each skip said once"
is "$(grep -c 'qty "x"' "$T/err")" 1 "the reject said once"
is "$(lines rej.ndjson)" 1 "the rejects file holds it once"
like "\"line\":$((N + 51))" rej.ndjson "with its line"
check_rc 0 "ims-check" ims-check
like "^ims-check: [0-9]+ entries \($((3 * N)) movements\), 0 differences" "$T/err" \
	"the good records posted once"
unset IMS_MAPSIZE

# --- a full disk ---
# A store of its own, with some stock, and a batch that needs room.  Each
# case starts from a copy of it: pages a failed commit wrote past the
# end of the file stay there, and a later commit would find room in them.
IMS_DB=$T/full
setup_master
receipts 1 200 pre | ims-receive -q
receipts 1 5000 e >batch.ndjson
cp -Rp "$IMS_DB" "$T/pristine"
before=$(state)
cases=0

# full_disk DESC PATTERN VAR=VALUE... CMD...: with the shim and the
# variables, CMD exits 3 saying PATTERN in one line, and no signal; then,
# without the shim, the store is as it was and consistent.  Five tests.
full_disk() {
	_d=$1 _p=$2
	shift 2
	cases=$((cases + 1))
	rm -rf "$IMS_DB"
	cp -Rp "$T/pristine" "$IMS_DB"
	env LD_PRELOAD="$IMS_ENOSPC" "$@" >"$T/out" 2>"$T/err"
	_rc=$?
	is "$_rc" 3 "$_d: exit 3 (no SIGBUS, no crash)"
	like "$_p" "$T/err" "$_d: says so"
	is "$(lines "$T/err")" 1 "$_d: in one line"
	is "$(state)" "$before" "$_d: the store is as it was"
	check_rc 0 "$_d: ims-check" ims-check
}
full_disk "no room at all" \
	'^ims-receive: .*No space left on device$' \
	IMS_ENOSPC_AFTER=0 ims-receive batch.ndjson
full_disk "room for part of the pages" \
	'^ims-receive: .*No space left on device$' \
	IMS_ENOSPC_AFTER=300000 ims-receive batch.ndjson
full_disk "a short write" \
	'^ims-receive: .*(No space left on device|Input/output error)$' \
	IMS_ENOSPC_AFTER=300000 IMS_ENOSPC_PARTIAL=1 \
	ims-receive batch.ndjson
full_disk "fdatasync fails" \
	'^ims-receive: .*No space left on device$' \
	IMS_ENOSPC_SYNC=1 ims-receive batch.ndjson
full_disk "from a pipe, in a small map that must grow" \
	'^ims-receive: .*No space left on device$' \
	IMS_MAPSIZE=65536 IMS_ENOSPC_AFTER=100000 \
	sh -c 'cat batch.ndjson | ims-receive'
awk 'BEGIN { for (i = 1; i <= 1000; i++)
	printf "{\"sku\":\"A-100\",\"qty\":0.05,\"from\":\"WH1/A/01\"," \
	    "\"to\":\"WH1/A/02\",\"ref\":\"mv-%d\"}\n", i }' >moves.ndjson
full_disk "transfers" \
	'^ims-move: .*No space left on device$' \
	IMS_ENOSPC_AFTER=0 ims-move moves.ndjson
awk 'BEGIN { print "sku,name,uom"
	for (i = 1; i <= 3000; i++) printf "N-%d,new item %d,ea\n", i, i }' \
	>items.csv
full_disk "master data" \
	'^ims-item: .*No space left on device$' \
	IMS_ENOSPC_AFTER=0 ims-item items.csv

# once there is room again, the same batches go in
check_rc 0 "with room again, the receipts post" ims-receive -q batch.ndjson
check_rc 0 "and the transfers" ims-move -q moves.ndjson
check_rc 0 "and the items" ims-item -q items.csv
check_rc 0 "ims-check" ims-check
like "^ims-check: [0-9]+ entries \(6200 movements\), 0 differences" "$T/err" "all of them"
before=$(state)

# A backup onto a full disk fails whole: no half-written copy is left
# to be taken for a store, and the next try works.  One whose data cannot
# be made durable (fsync fails) fails too.
cases=$((cases + 2))
env LD_PRELOAD="$IMS_ENOSPC" IMS_ENOSPC_AFTER=100000 ims-backup bk \
	>"$T/out" 2>"$T/err"
is "$?" 3 "a backup onto a full disk: exit 3"
like '^ims-backup: .*No space left on device$' "$T/err" "says so"
is "$(ls bk 2>/dev/null)" "" "leaves no half-written copy"
env LD_PRELOAD="$IMS_ENOSPC" IMS_ENOSPC_SYNC=1 ims-backup bk \
	>"$T/out" 2>"$T/err"
is "$?" 3 "a backup that cannot be synced to disk: exit 3"
like '^ims-backup: .*No space left on device$' "$T/err" "says so"
is "$(ls bk 2>/dev/null)" "" "and leaves no copy"
check_rc 0 "with room, the backup works" ims-backup bk
is "$(IMS_DB=$T/bk state)" "$before" "and holds the store"
check_rc 0 "the copy passes ims-check" ims-check --db bk

# A new store on a full disk: exit 3; with room it is made as usual.
cases=$((cases + 1))
env LD_PRELOAD="$IMS_ENOSPC" IMS_ENOSPC_AFTER=0 IMS_DB=$T/new \
	ims-item items.csv >"$T/out" 2>"$T/err"
is "$?" 3 "a new store on a full disk: exit 3"
like '^ims-item: .*No space left on device$' "$T/err" "says so"
check_rc 0 "with room, the store is made" env IMS_DB=$T/new ims-item -q \
	items.csv
is "$(IMS_DB=$T/new ims-item --list | wc -l | tr -d ' ')" 3000 \
	"with every item"

# Standard output on a full disk: the command says so and exits 3, and
# a writer stores nothing (its echo is written before its commit).
cases=$((cases + 1))
ims-report ledger >/dev/full 2>"$T/err"
is "$?" 3 "a report onto a full disk: exit 3"
like '^ims-report: write error: No space left on device$' "$T/err" "says so"
receipts 1 10 out >ten.ndjson
ims-receive ten.ndjson >/dev/full 2>"$T/err"
is "$?" 3 "an echo onto a full disk: exit 3"
like '^ims-receive: write error: No space left on device$' "$T/err" \
	"says so"
check_rc 0 "a rerun" ims-receive ten.ndjson
is "$(lines "$T/out")" 10 "posts all ten: none was stored"
echo "# $cases full-disk cases"

# --- a reader killed while it reads ---
# Two ims-report block writing into a pipe nobody reads, each inside its
# read transaction.  One is killed there and leaves its reader slot
# behind (the other keeps the store open, so that the slots are not
# simply reset by the next process to open it).
mkfifo fifo
sleep 120 <fifo >/dev/null 2>&1 &	# not on stdout: prove would wait
sleeper=$!
ims-report ledger >fifo 2>/dev/null &
r1=$!
ims-report ledger >fifo 2>/dev/null &
r2=$!
# has_reader PID: does the reader table list PID?
has_reader() {
	mdb_stat -r "$IMS_DB" |
	    awk -v p="$1" '$1 == p { f = 1 } END { exit !f }'
}
i=0
while [ $i -lt 100 ] && ! { has_reader $r1 && has_reader $r2; }; do
	sleep 0.1
	i=$((i + 1))
done
has_reader $r1 && has_reader $r2
ok "two readers hold a slot each"
kill -9 "$r1"
{ wait "$r1"; } 2>/dev/null
has_reader $r1
ok "killed, one leaves its slot behind"
receipts 1 10 after >after.ndjson
check_rc 0 "the next writer works" ims-receive -q after.ndjson
has_reader $r1
is "$?" 1 "and has cleared the stale slot"
has_reader $r2
ok "the live reader keeps its own"
kill "$r2" "$sleeper"
{ wait "$r2"; wait "$sleeper"; } 2>/dev/null
check_rc 0 "ims-check" ims-check
done_testing
