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
		printf '# got:  %s\n# want: %s\n' "$1" "$2" | sed '3,$s/^/# /'
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
	ims-report ledger 2>&1
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
