#!/bin/sh
# ims: the dispatcher.  `ims receive ...` runs ims-receive, as git runs
# its own; alone it lists the commands.
. "$(dirname "$0")/lib.sh"
plan 41
setup_master

check_rc 0 "ims alone" ims
like '^usage: ims COMMAND' "$T/out" "usage on stdout"
for c in item loc supplier receive move report; do
	like "^  $c " "$T/out" "lists $c"
done
is "$(cat "$T/err")" "" "nothing on stderr"
check_rc 3 "ims alone, stdout full" sh -c 'ims >/dev/full'
check_rc 0 "ims --help" ims --help
like '^usage: ims COMMAND' "$T/out" "usage on stdout"
check_rc 0 "ims help" ims help
like '^usage: ims COMMAND' "$T/out" "usage on stdout"
check_rc 0 "ims --version" ims --version
like '^ims [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" "a version"

check_rc 2 "ims nosuch" ims nosuch
like '^ims: "nosuch" is not an ims command$' "$T/err" "says so on stderr"
is "$(cat "$T/out")" "" "nothing on stdout"
check_rc 2 "ims --bogus" ims --bogus
like 'unknown option or command "--bogus"' "$T/err" "says so"
check_rc 2 "ims ../bin/ims-receive" ims ../bin/ims-receive
check_rc 2 "a command name that is too long" \
	ims "$(printf '%080d' 0)"

printf '{"sku":"A-100","qty":5,"location":"WH1/A/01","ts":"2026-11-01T00:00:00Z"}\n' >r.ndjson
check_rc 0 "ims receive FILE" ims receive r.ndjson
cp "$T/out" via-ims.out
like '"seq":11,.*"type":"receive","sku":"A-100","qty":5' via-ims.out "posts and echoes"
check_rc 0 "ims-receive -n FILE" ims-receive -n r.ndjson
sed 's/"seq":11,/"seq":12,/' via-ims.out | sed 's/"hash":"[0-9a-f]*"//' >want.out
is "$(sed 's/"hash":"[0-9a-f]*"//' "$T/out")" "$(cat want.out)" "the same record as ims-receive"
check_rc 0 "ims receive reads stdin" ims receive -q <r.ndjson
check_rc 0 "ims report onhand -o csv" ims report onhand -o csv
is "$(tr -d '\r' <"$T/out")" "sku,location,lot,serial,expiry,on_hand,allocated,available
A-100,WH1/A/01,,,,10,0,10" "options reach the command"
check_rc 1 "an exit status of 1 comes through" ims move r.ndjson
like '^ims-move: r\.ndjson:1: missing field from' "$T/err" \
	"the message names the command"
check_rc 2 "an exit status of 2 comes through" ims report nosuch
check_rc 0 "ims item --list" ims item --list
is "$(jfield sku <"$T/out" | tr '\n' ' ')" "A-100 K-1 L-200 S-300 " "lists the items"
check_rc 0 "ims report --help" ims report --help
like '^Usage: ims-report' "$T/out" "the command's own help"

mkdir empty
check_rc 0 "found beside ims, not on PATH" \
	env PATH="$T/empty" "$IMS_BIN/ims" report onhand --sku A-100
like '"on_hand":10' "$T/out" "ran ims-report"
ln -s "$IMS_BIN/ims" ims-link
check_rc 0 "through a symbolic link to ims" \
	env PATH="$T/empty" ./ims-link report onhand --sku A-100
like '"on_hand":10' "$T/out" "ran ims-report"
done_testing
