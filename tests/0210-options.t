#!/bin/sh
# Options every command shares: --help and --usage (stdout, exit 0),
# --version, a bad option (exit 2), -o and --input-format, --db and
# $IMS_DB, and a full or closed standard output.
. "$(dirname "$0")/lib.sh"

# every command the dispatcher lists
cmds=$(ims | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print "ims-" $1 }')
n=$(echo "$cmds" | wc -l)
plan $((n * 19 + 35))

for c in $cmds; do
	check_rc 0 "$c --help" $c --help
	like "^Usage: $c " "$T/out" "$c --help: usage on stdout"
	like '--db=DIR' "$T/out" "$c --help: lists the common options"
	is "$(cat "$T/err")" "" "$c --help: nothing on stderr"
	check_rc 0 "$c --usage" $c --usage
	like "^Usage: $c " "$T/out" "$c --usage: on stdout"
	is "$(cat "$T/err")" "" "$c --usage: nothing on stderr"
	check_rc 0 "$c -?" $c '-?'
	like "^Usage: $c " "$T/out" "$c -?: help"
	check_rc 0 "$c --version" $c --version
	like '^ims [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" "$c --version: ims and a version"
	check_rc 0 "$c -V" $c -V
	like '^ims [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" "$c -V: the version"
	check_rc 2 "$c --bogus" $c --bogus </dev/null
	like "^$c: unrecognized option '--bogus'" "$T/err" "$c --bogus: says why"
	is "$(cat "$T/out")" "" "$c --bogus: nothing on stdout"
	check_rc 2 "$c -o xml" $c -o xml </dev/null
	like "^$c: unknown output format \"xml\"" "$T/err" "$c -o xml: says why"
	check_rc 2 "$c --db without a value" $c --db </dev/null
done

check_rc 0 "ims --usage" ims --usage
like '^usage: ims COMMAND' "$T/out" "usage on stdout"
check_rc 0 "ims -V" ims -V
like '^ims [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" "the version"
is "$(ims --version)" "$(ims-report --version)" "the same version everywhere"

# --- input and output formats ---
setup_master
check_rc 2 "--input-format xml" ims-receive --input-format xml </dev/null
like 'unknown input format "xml"' "$T/err" "says why"
check_rc 2 "--input-format table" ims-receive --input-format table </dev/null
check_rc 0 "--output=csv" ims-loc --list --output=csv
like '^code,name,type' "$T/out" "long form with ="
check_rc 0 "-o json" ims-loc --list -o json
like '^\{"code":"TRANSIT/WH1-WH2"' "$T/out" "json is ndjson"
check_rc 0 "-ocsv" ims-loc --list -ocsv
like '^code,name,type' "$T/out" "short form, value attached"
check_rc 2 "--keep-going=yes" ims-receive --keep-going=yes </dev/null
check_rc 2 "--rejects without a file" ims-receive --rejects

# --- the store: --db, $IMS_DB, ./ims.db ---
mkdir sub
printf 'id,name\nS-9,Other\n' >sub/s.csv
check_rc 0 "--db DIR" ims-supplier -q --db "$T/other.db" sub/s.csv
test -d "$T/other.db"
ok "made on first write"
is "$(ims-supplier --db "$T/other.db" --list | jfield id)" "S-9" "holds what was written"
is "$(ims-supplier --list | jfield id)" "SUP-1" "\$IMS_DB untouched"
check_rc 0 "--db=DIR" ims-supplier --db="$T/other.db" --show S-9
like '"name":"Other"' "$T/out" "the same store"
(cd sub && unset IMS_DB && ims-supplier -q s.csv && test -d ims.db)
ok "without \$IMS_DB: ./ims.db"
(cd sub && IMS_DB= ims-supplier --list | grep -q S-9)
ok "an empty \$IMS_DB is unset"
check_rc 3 "--db that is a file" ims-supplier --db sub/s.csv --list
like 'not a directory' "$T/err" "says so"
check_rc 3 "a reader on a store that is not there" ims-report onhand --db "$T/none.db"
test ! -e "$T/none.db"
ok "and does not make one"

# --- standard output: a full disk, a closed pipe ---
check_rc 3 "a report to a full disk" sh -c 'ims-report ledger -o table >/dev/full'
like 'write error' "$T/err" "says so"
check_rc 3 "a list to a full disk" sh -c 'ims-item --list >/dev/full'
load_sample
ok "the sample data set"
check_rc 0 "ims-report ledger | head -1" \
	sh -c 'ims-report ledger | head -1 >head.out'
is "$(cat "$T/err")" "" "ends quietly on SIGPIPE"
is "$(lines head.out)" 1 "the first line came through"
done_testing
