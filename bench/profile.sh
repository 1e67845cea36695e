#!/bin/sh
# bench/profile.sh: where ims spends its instructions, for the benchmarks
# that miss their targets.  Runs each named benchmark at 50k records
# (BENCH_PROFILE_N) under callgrind and prints its top functions by
# inclusive cost; the full profiles stay in bench/out/profile/ for
# callgrind_annotate or kcachegrind.  Not part of make bench (slow).
#
# usage: make all bench/out/gen && sh bench/profile.sh [WHICH...]
# WHICH: ingest (NDJSON), csv, move, one (one record, one process),
#        onhand, ledger; default: all of them.
# IMS_BIN: the built commands (default build/bin)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/bench/out
IMS_BIN=${IMS_BIN:-$TOP/build/bin}
N=${BENCH_PROFILE_N:-50000}
TOPN=${BENCH_PROFILE_TOP:-30}
PATH=$IMS_BIN:$OUT:$PATH
export PATH
unset IMS_MAPSIZE IMS_NOW IMS_DB
sh "$TOP/bench/deps.sh" profile
[ -x "$OUT/gen" ] || { echo "profile: make bench/out/gen first" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/ims-profile.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT/profile"
[ $# -gt 0 ] || set -- ingest csv move one onhand ledger

master() {
	ims-supplier -q --db "$2" "$1/suppliers.csv"
	ims-item -q --db "$2" "$1/items.csv"
	ims-loc -q --db "$2" "$1/locations.csv"
}

# cg NAME CMD...: run CMD under callgrind, print the top functions
cg() {
	name=$1
	shift
	f=$OUT/profile/callgrind.$name
	valgrind --tool=callgrind --callgrind-out-file="$f" "$@" \
	    >/dev/null 2>"$W/vg" || { cat "$W/vg" >&2; exit 1; }
	echo "== $name: $* (inclusive, top $TOPN)"
	callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
	    awk -v top="$TOPN" '/^-+$/ { dash++; next }
		dash >= 3 && NF && shown < top { print; shown++ }' |
	    sed "s|$TOP/||g"
	echo
}

gen --seed 1 --items 2000 --receipts "$N" --moves "$N" --plan \
    --out "$W/d" 2>/dev/null
D=$W/d
master "$D" "$W/master"
cp -R "$W/master" "$W/recv"
ims-receive -q --no-sync --db "$W/recv" "$D/receipts.ndjson"

for which; do
	case $which in
	ingest|csv)
		ext=ndjson
		[ "$which" = csv ] && ext=csv
		rm -rf "$W/s"
		cp -R "$W/master" "$W/s"
		cg "$which" ims-receive -q --db "$W/s" "$D/receipts.$ext"
		;;
	move)
		rm -rf "$W/s"
		cp -R "$W/recv" "$W/s"
		cg move ims-move -q --db "$W/s" "$D/moves.ndjson"
		;;
	one)
		sku=$(awk -F, '$17 == "none" { print $1; exit }' "$D/items.csv")
		bin=$(awk -F, 'NR == 2 { print $1 }' "$D/locations.csv")
		printf '{"sku":"%s","qty":1,"location":"%s","ref":"one-1"}\n' \
		    "$sku" "$bin" >"$W/one.ndjson"
		rm -rf "$W/s"
		cp -R "$W/recv" "$W/s"
		cg one ims-receive -q --db "$W/s" "$W/one.ndjson"
		;;
	onhand|ledger)
		if [ ! -d "$W/rep" ]; then
			gen --seed 2 --items $((N / 50)) --bins 50 \
			    --receipts "$N" --moves 0 --lots 0 \
			    --serials 0 --cover --out "$W/rd" 2>/dev/null
			master "$W/rd" "$W/rep"
			ims-receive -q --no-sync --db "$W/rep" \
			    "$W/rd/receipts.ndjson"
		fi
		cg "$which" ims-report --db "$W/rep" "$which"
		;;
	*)
		echo "profile: unknown benchmark $which" >&2
		exit 2
		;;
	esac
done
