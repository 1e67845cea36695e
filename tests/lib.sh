# tests/lib.sh: a small TAP helper for the shell tests.  Each test file
# sources it, gets its own scratch directory and store (removed at exit),
# and the built commands first on PATH.
set -u
: "${IMS_BIN:?run the tests through make check}"
PATH=$IMS_BIN:$PATH
export PATH
IMS_TOP=${IMS_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/ims-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
IMS_DB=$T/db
IMS_ACTOR=tester
IMS_NOW=2026-11-27T12:00:00Z
export IMS_DB IMS_ACTOR IMS_NOW
unset IMS_MAPSIZE
_n=0
_fail=0

plan() { echo "1..$1"; }
ok() { # ok DESCRIPTION: passes when the last command succeeded
	_rc=$?
	_n=$((_n + 1))
	if [ "$_rc" -eq 0 ]; then
		echo "ok $_n - $1"
	else
		echo "not ok $_n - $1"
		_fail=$((_fail + 1))
	fi
}
is() { # is GOT WANT DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		printf 'got:  %s\nwant: %s\n' "$1" "$2" | sed 's/^/# /'
		_fail=$((_fail + 1))
	fi
}
# check_rc WANT DESCRIPTION CMD...: run CMD, compare its exit status
check_rc() {
	_want=$1 _desc=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	is "$?" "$_want" "$_desc (exit $_want)"
}
# like PATTERN FILE DESCRIPTION: grep -E PATTERN in FILE
like() {
	_n=$((_n + 1))
	if grep -Eq -- "$1" "$2"; then
		echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		sed 's/^/# /' "$2"
		_fail=$((_fail + 1))
	fi
}
# snapshot: the store's whole visible state, to compare before and after
snapshot() {
	ims-log 2>&1
	ims-report onhand 2>&1
}
# load the master data most tests share
setup_master() {
	ims-supplier -q <<-'X'
	id,name,lead_time_days,contact
	SUP-1,Acme,5,ops@example.com
	X
	ims-item -q <<-'X'
	sku,name,uom,unit_cost,supplier,track,shelf_life_days
	A-100,Hex bolt M8,ea,0.25,SUP-1,none,
	K-1,Flour,kg,1.10,SUP-1,none,
	L-200,Milk 1L,ea,0.80,SUP-1,lot,10
	S-300,Scanner,ea,150,SUP-1,serial,
	X
	ims-loc -q <<-'X'
	code,name,type
	WH1/A/01,bin,internal
	WH1/A/02,bin,internal
	WH1/B/01,bin,internal
	WH2/A/01,bin,internal
	TRANSIT/WH1-WH2,truck,transit
	X
}
done_testing() {
	echo "# $((_n - _fail)) passed, $_fail failed"
	[ "$_fail" -eq 0 ]
}

# --- helpers for the end-to-end families (0110 and up) ---

# rejects DESC PATTERN CMD...: CMD exits 1, says PATTERN (grep -E) on
# standard error, prints nothing on standard output, and leaves the store
# as it was.  Four tests.
rejects() {
	_rd=$1 _rp=$2
	shift 2
	_rbefore=$(snapshot)
	check_rc 1 "$_rd" "$@"
	like "$_rp" "$T/err" "$_rd: message names file:line"
	is "$(wc -c <"$T/out" | tr -d ' ')" 0 "$_rd: nothing on stdout"
	is "$(snapshot)" "$_rbefore" "$_rd: store unchanged"
}
# lines FILE: its number of lines
lines() {
	wc -l <"$1" | tr -d ' '
}
# jfield NAME: the NAME field of each NDJSON line on stdin, one a line
# (strings unquoted, escapes left alone; empty when absent).  For the flat
# objects ims writes; enough for tests, no jq needed.
jfield() {
	awk -v k="$1" '{
		v = ""
		if (match($0, "\"" k "\":(\"([^\"\\\\]|\\\\.)*\"|[^,}]*)")) {
			v = substr($0, RSTART + length(k) + 3,
			    RLENGTH - length(k) - 3)
			if (v ~ /^"/)
				v = substr(v, 2, length(v) - 2)
		}
		print v
	}'
}
# ledger_balances: the journal (NDJSON on stdin, as ims-report ledger
# prints it) summed by hand: "sku location lot-or-serial qty" for each
# internal location whose sum is not zero, sorted.  Virtual locations
# (@...) are not balances.  Static regular expressions: fast in any awk.
ledger_balances() {
	LC_ALL=C awk '{
		sku = from = to = trk = ""
		q = 0
		if (match($0, /"sku":"[^"]*"/))
			sku = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, /"from":"[^"]*"/))
			from = substr($0, RSTART + 8, RLENGTH - 9)
		if (match($0, /"to":"[^"]*"/))
			to = substr($0, RSTART + 6, RLENGTH - 7)
		if (match($0, /"lot":"[^"]*"/))
			trk = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, /"serial":"[^"]*"/))
			trk = substr($0, RSTART + 10, RLENGTH - 11)
		if (match($0, /"qty":[^,}]*/))
			q = substr($0, RSTART + 6, RLENGTH - 6) + 0
		if (trk == "")
			trk = "-"
		if (from !~ /^@/)
			bal[sku " " from " " trk] -= q
		if (to !~ /^@/)
			bal[sku " " to " " trk] += q
	}
	END {
		for (b in bal)
			if (bal[b] > 0.0005 || bal[b] < -0.0005)
				printf "%s %.3f\n", b, bal[b]
	}' | LC_ALL=C sort
}
# onhand_balances: ims-report onhand rows (NDJSON on stdin) in the form
# ledger_balances prints.
onhand_balances() {
	LC_ALL=C awk '{
		sku = loc = trk = ""
		q = 0
		if (match($0, /"sku":"[^"]*"/))
			sku = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, /"location":"[^"]*"/))
			loc = substr($0, RSTART + 12, RLENGTH - 13)
		if (match($0, /"lot":"[^"]*"/))
			trk = substr($0, RSTART + 7, RLENGTH - 8)
		if (match($0, /"serial":"[^"]*"/))
			trk = substr($0, RSTART + 10, RLENGTH - 11)
		if (match($0, /"on_hand":[^,}]*/))
			q = substr($0, RSTART + 10, RLENGTH - 10) + 0
		if (trk == "")
			trk = "-"
		printf "%s %s %s %.3f\n", sku, loc, trk, q
	}' | LC_ALL=C sort
}
# load_sample: the sample data set of share/ (12 suppliers, 2 clients,
# 2 channels, 301 items, 61 locations, 1831 purchase orders, 5513
# receipts, 15815 moves: a year, 2025-11-26 to 2026-11-25)
load_sample() {
	ims-supplier -q "$IMS_TOP/share/suppliers.csv" &&
	ims-client -q "$IMS_TOP/share/clients.csv" &&
	ims-channel -q "$IMS_TOP/share/channels.csv" &&
	ims-item -q "$IMS_TOP/share/items.csv" &&
	ims-loc -q "$IMS_TOP/share/locations.csv" &&
	ims-po -q "$IMS_TOP/share/pos.ndjson" &&
	ims-receive -q "$IMS_TOP/share/receipts.ndjson" &&
	ims-move -q "$IMS_TOP/share/moves.ndjson"
}

# hex TEXT: the bytes of TEXT in hex, as mdb_dump prints them
hex() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
}
# same_runs A B DESCRIPTION: every output $T/A.N the same as $T/B.N
same_runs() {
	_k=1 _d=""
	while [ -f "$T/$1.$_k" ]; do
		cmp -s "$T/$1.$_k" "$T/$2.$_k" || _d="$_d $_k"
		_k=$((_k + 1))
	done
	is "$_d" "" "$3"
}
# poke TABLE KEYHEX VALHEX: change one stored value behind ims's back,
# through LMDB's own dump and load (an empty VALHEX drops the row)
poke() {
	mdb_dump -a "$IMS_DB" | awk -v db="$1" -v k=" $2" -v v=" $3" '
		/^database=/ { cur = substr($0, 10) }
		/^db_pagesize=/ { next }
		hit { if (v != " ") print v; hit = 0; next }
		cur == db && $0 == k { hit = 1; if (v == " ") next }
		{ print }' >"$T/poke.dump" &&
	rm -rf "$T/poke.db" && mkdir "$T/poke.db" &&
	mdb_load -f "$T/poke.dump" "$T/poke.db" && rm -rf "$IMS_DB" &&
	mv "$T/poke.db" "$IMS_DB"
}

# receipts FROM TO PREFIX: NDJSON receipts FROM..TO of the skus and
# locations setup_master makes, with refs PREFIX-i
receipts() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		split("A-100 K-1", sku, " ")
		split("WH1/A/01 WH1/A/02 WH1/B/01 WH2/A/01", loc, " ")
		for (i = a; i <= b; i++)
			printf "{\"sku\":\"%s\",\"qty\":%d," \
			    "\"location\":\"%s\",\"ref\":\"%s-%d\"}\n",
			    sku[int(i / 4) % 2 + 1], i % 5 + 1, loc[i % 4 + 1],
			    p, i
	}'
}
