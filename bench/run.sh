#!/bin/sh
# bench/run.sh: ims beside its baselines, in the same run, alternating,
# because these machines are shared and noisy.  Prints a table and writes
# bench/results.ndjson.  See bench/README.md.  POSIX sh and POSIX awk.
#
# usage: make bench   (IMS_BIN names the built commands; bench/out holds
#                     gen, floor, oneput, scan, timeit and pickfloor)
# BENCH_SCALE=0.1   every size times 0.1 (default 1)
# BENCH_ROUNDS=5    rounds per benchmark (default 3, and at least 5 for
#                   the one-record benchmark unless BENCH_ROUNDS is set);
#                   the median counts
# BENCH_ONLY=RE     only the groups whose name matches RE (grep -E):
#                   ingest, one, report, move, forecast, count, pick, classes, valuation,
#                   nightly
# BENCH_FRESH=1     remake the cached data sets and stores
# BENCH_BREAK=SIDE  the side labelled SIDE (sqlite3, floor, mdb_dump, ...)
#                   does nothing: its rows must come out failed
# BENCH_BIN=DIR     where gen, floor, ... are (default bench/out)
# BENCH_CACHE=DIR   the cached data sets and stores (bench/out/cache)
# BENCH_RESULTS=F   where the results go
#
# A benchmark that measured nothing fails: a side whose setup, command
# or check fails, a round with no time or a time of zero, a row with a
# failed side.  Its row says FAIL, its result "met": false with the
# reason, and the run exits 1 once every benchmark has run.
#
# A benchmark is a few lines at the end: `side` registers a command, the
# untimed setup that runs before each of its rounds and the untimed check
# after it that the work was done, `row` compares two sides against a
# target, `measure` runs every side registered since the last measure,
# round after round, and prints the rows.  `pair` does all three for ims
# and one baseline.
set -eu
: "${IMS_BIN:?run through make bench}"
ROUNDS=${BENCH_ROUNDS:-3}
SCALE=${BENCH_SCALE:-1}
ONLY=${BENCH_ONLY:-}
BREAK=${BENCH_BREAK:-}
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/bench/out
BIN=${BENCH_BIN:-$OUT}
CACHE=${BENCH_CACHE:-$OUT/cache}
EXPECT="sh $TOP/bench/expect.sh"
# the figures of record come from full runs; others go under bench/out
RESULTS=$TOP/bench/results.ndjson
[ -z "$ONLY" ] && [ "$SCALE" = 1 ] && [ -z "$BREAK" ] ||
    RESULTS=$OUT/results.ndjson
RESULTS=${BENCH_RESULTS:-$RESULTS}
W=$(mktemp -d "${TMPDIR:-/tmp}/ims-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
PATH=$IMS_BIN:$BIN:$PATH
export PATH
unset IMS_MAPSIZE IMS_NOW IMS_DB IMS_ACTOR
[ "${BENCH_FRESH:-0}" = 1 ] && rm -rf "$CACHE"
mkdir -p "$CACHE" "$(dirname "$RESULTS")"
: >"$W/results"
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
NPROC=$(nproc)
FAILED=0

# --- machinery --------------------------------------------------------

say() { printf 'bench: %s\n' "$*" >&2; }

# n COUNT: COUNT times the scale, at least 1
n() {
	awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s + 0.5)
		print (v < 1 ? 1 : v) }'
}

# human COUNT: 1000000 -> 1M, 5000 -> 5k
human() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6 && n % 1e5 == 0) print n / 1e6 "M"
		else if (n >= 1000 && n % 100 == 0) print n / 1000 "k"
		else print n }'
}

want() { [ -z "$ONLY" ] || printf '%s\n' "$1" | grep -Eq -- "$ONLY"; }

NSIDES=0
NROWS=0
NROUNDS=$ROUNDS

# side LABEL SETUP CMD [CHECK]: SETUP runs untimed before each round of
# CMD, CHECK untimed after it (a failing CHECK fails the side).  A CHECK
# that starts with | reads the output of CMD run once more, untimed: the
# output of the timed run goes to /dev/null, as a user's would to a file
# or a pipe, so that writing it costs both sides alike and little.
side() {
	NSIDES=$((NSIDES + 1))
	printf '%s\n' "$1" >"$W/label.$NSIDES"
	printf '%s\n' "$2" >"$W/setup.$NSIDES"
	if [ "$1" = "$BREAK" ]; then
		say "BENCH_BREAK: side $1 does nothing"
		echo : >"$W/cmd.$NSIDES"
	else
		printf '%s\n' "$3" >"$W/cmd.$NSIDES"
	fi
	case ${4:-:} in
	\|*)	printf 'sh -eu %s %s\n' "$W/cmd.$NSIDES" "$4" ;;
	*)	printf '%s\n' "${4:-:}" ;;
	esac >"$W/check.$NSIDES"
	: >"$W/times.$NSIDES"
}

# row NAME TARGET A B: side A (ims) against side B (a baseline); met
# when median(A) / median(B) <= TARGET; TARGET - for information only
row() {
	NROWS=$((NROWS + 1))
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >"$W/row.$NROWS"
}

# rounds N: the next measure runs at least N rounds (short, noisy
# benchmarks), unless BENCH_ROUNDS says how many
rounds() {
	if [ -z "${BENCH_ROUNDS:-}" ] && [ "$1" -gt "$ROUNDS" ]; then
		NROUNDS=$1
	fi
}

side_of() { # side_of LABEL: its number
	j=1
	while [ "$j" -le "$NSIDES" ]; do
		[ "$(cat "$W/label.$j")" = "$1" ] && { echo "$j"; return; }
		j=$((j + 1))
	done
	say "no side $1"
	exit 2
}

# fail I WHY: side I failed; WHY goes into its rows' reason
fail() {
	say "$(cat "$W/label.$1") failed: $2"
	printf '%s\n' "$2" | tr -d '"\\' | tr '\t\r\n' '   ' |
	    sed 's/  *$//' | cut -c1-200 >"$W/failed.$1"
}

# last_lines FILE: its last lines, one line
last_lines() {
	grep -v '^timeit ' "$1" | tail -n 3 | tr '\n' ' '
}

# one_run I: set side I up, time it, check its work, add "wall kib cpu"
# to times.I; a side that fails is not run again
one_run() {
	if ! sh -eu "$W/setup.$1" >"$W/log" 2>&1; then
		fail "$1" "setup failed: $(last_lines "$W/log")"
		return
	fi
	if ! timeit sh -eu "$W/cmd.$1" >/dev/null 2>"$W/log"; then
		fail "$1" "exit status not 0: $(last_lines "$W/log")"
		return
	fi
	t=$(tail -n 1 "$W/log" | awk '$1 == "timeit" && NF == 4 &&
	    $2 ~ /^[0-9]+\.[0-9]+$/ && $3 ~ /^[0-9]+$/ &&
	    $4 ~ /^[0-9]+\.[0-9]+$/ { print $2, $3, $4 }')
	case $t in
	'')	fail "$1" "no time from timeit"; return ;;
	0.000000\ *) fail "$1" "a time of zero"; return ;;
	esac
	if ! sh -eu "$W/check.$1" >"$W/log" 2>&1; then
		fail "$1" "work not done: $(last_lines "$W/log")"
		return
	fi
	printf '%s\n' "$t" >>"$W/times.$1"
}

# stat_of FIELD FILE [min]: the median (max for RSS; min if asked) of a
# column of times, empty when there are none
stat_of() {
	awk -v f="$1" '{ print $f }' "$2" | sort -n | awk -v f="$1" \
	    -v min="${3:-}" '
		{ v[NR] = $1 }
		END {
			if (NR == 0)
				exit
			if (min != "")
				print v[1]
			else if (f == 2)
				print v[NR]
			else
				print v[int((NR + 1) / 2)]
		}'
}

list_of() { awk '{ printf "%s%s", (NR > 1 ? "," : ""), $1 }' "$1"; }

# why_failed A B: why a row of sides A and B failed, or nothing
why_failed() {
	for s in "$1" "$2"; do
		if [ -f "$W/failed.$s" ]; then
			printf '%s: %s' "$(cat "$W/label.$s")" \
			    "$(cat "$W/failed.$s")"
			return
		fi
		got=$(wc -l <"$W/times.$s" | tr -d ' ')
		if [ "$got" -ne "$NROUNDS" ]; then
			printf '%s: %s of %s rounds timed' \
			    "$(cat "$W/label.$s")" "$got" "$NROUNDS"
			return
		fi
	done
}

# report NAME TARGET A B COUNT VS: one line of the table and the results
report() {
	awk -v name="$1" -v t="$2" -v vs="$6" -v count="$5" \
	    -v a="$(stat_of 1 "$W/times.$3")" -v b="$(stat_of 1 "$W/times.$4")" \
	    -v ca="$(stat_of 3 "$W/times.$3")" -v cb="$(stat_of 3 "$W/times.$4")" \
	    -v ra="$(stat_of 2 "$W/times.$3")" -v rb="$(stat_of 2 "$W/times.$4")" \
	    -v ma="$(stat_of 1 "$W/times.$3" min)" \
	    -v mb="$(stat_of 1 "$W/times.$4" min)" \
	    -v all_a="$(list_of "$W/times.$3")" -v all_b="$(list_of "$W/times.$4")" \
	    -v why="$(why_failed "$3" "$4")" \
	    -v rounds="$NROUNDS" -v scale="$SCALE" -v nproc="$NPROC" \
	    -v cpu="$CPU" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	    -v lavg="$(cut -d' ' -f1 /proc/loadavg)" -v out="$W/results" '
	BEGIN {
		# a median that is missing or not above zero measured nothing
		if (why == "" && !(a + 0 > 0))
			why = "no time for ims"
		if (why == "" && !(b + 0 > 0))
			why = "no time for " vs
		tj = t == "-" ? "null" : t
		if (why != "") {
			printf "%-30s %10s %10s %-8s %6s %6s %-4s  %s\n",
			    name, "-", "-", vs, "-", t, "FAIL", why
			printf "{\"benchmark\":\"%s\",\"baseline\":\"%s\"," \
			    "\"target\":%s,\"met\":false,\"reason\":\"%s\"," \
			    "\"ims_s_all\":[%s],\"baseline_s_all\":[%s]," \
			    "\"rounds\":%d,\"scale\":%s,\"date\":\"%s\"," \
			    "\"nproc\":%d,\"cpu\":\"%s\",\"loadavg\":%s}\n",
			    name, vs, tj, why, all_a, all_b, rounds, scale,
			    date, nproc, cpu, lavg >>out
			exit 1
		}
		r = a / b
		cr = cb > 0 ? ca / cb : 0
		if (t == "-")
			met = "-"
		else if (r <= t + 0)
			met = "yes"
		else
			met = "no"
		mj = met == "-" ? "null" : (met == "yes" ? "true" : "false")
		printf "%-30s %9.3fs %9.3fs %-8s %6.2f %6s %-4s %6.2f %7.0fM\n",
		    name, a, b, vs, r, t, met, cr, ra / 1024
		printf "{\"benchmark\":\"%s\",\"baseline\":\"%s\"," \
		    "\"ims_s\":%.4f,\"baseline_s\":%.4f,\"ratio\":%.3f," \
		    "\"target\":%s,\"met\":%s,", name, vs, a, b, r, tj,
		    mj >>out
		printf "\"ims_cpu_s\":%.4f,\"baseline_cpu_s\":%.4f," \
		    "\"cpu_ratio\":%.3f,\"ims_peak_rss_kib\":%d," \
		    "\"baseline_peak_rss_kib\":%d,\"records\":%d," \
		    "\"ims_records_per_s\":%.0f,", ca, cb, cr, ra, rb, count,
		    count / a >>out
		printf "\"ratio_of_min\":%.3f,", (mb > 0 ? ma / mb : 0) >>out
		printf "\"ims_s_all\":[%s],\"baseline_s_all\":[%s]," \
		    "\"rounds\":%d,\"scale\":%s,\"date\":\"%s\",\"nproc\":%d," \
		    "\"cpu\":\"%s\",\"loadavg\":%s}\n", all_a, all_b, rounds,
		    scale, date, nproc, cpu, lavg >>out
	}' || FAILED=$((FAILED + 1))
}

# measure COUNT: run the sides, round after round; print the rows
measure() {
	r=0
	while [ "$r" -lt "$NROUNDS" ]; do
		i=1
		while [ "$i" -le "$NSIDES" ]; do
			[ -f "$W/failed.$i" ] || one_run "$i"
			i=$((i + 1))
		done
		r=$((r + 1))
	done
	k=1
	while [ "$k" -le "$NROWS" ]; do
		IFS='	' read -r name target sa sb <"$W/row.$k"
		report "$name" "$target" "$(side_of "$sa")" \
		    "$(side_of "$sb")" "$1" "$sb"
		k=$((k + 1))
	done
	rm -f "$W"/label.* "$W"/setup.* "$W"/cmd.* "$W"/check.* \
	    "$W"/times.* "$W"/row.* "$W"/failed.*
	NSIDES=0 NROWS=0 NROUNDS=$ROUNDS
}

# pair NAME TARGET COUNT VS IMS_SETUP IMS_CMD IMS_CHECK BASE_SETUP
#      BASE_CMD BASE_CHECK
pair() {
	side ims "$5" "$6" "$7"
	side "$4" "$8" "$9" "${10}"
	row "$1" "$2" ims "$4"
	measure "$3"
}

# key WORDS...: a short hash of the words and of the files they name
key() {
	for a; do
		printf '%s\n' "$a"
		[ -f "$a" ] && cat "$a"
	done | cksum | cut -d' ' -f1
}

# data NAME GEN-ARGS...: gen's data set in $DATA, made once into the cache
data() {
	name=$1
	shift
	DATA=$CACHE/data-$name-x$SCALE-$(key "$TOP/bench/gen.c" "$@")
	if [ ! -f "$DATA/.done" ]; then
		rm -rf "$CACHE/data-$name-x$SCALE-"*
		say "making data set $name: gen $*"
		gen "$@" --out "$DATA"
		: >"$DATA/.done"
	fi
}

# What decides how a store is laid out: a change here remakes the stores.
FORMAT="$TOP/lib/store.c $TOP/lib/ledger.c $TOP/lib/master.c $TOP/lib/ims.h"

# master DIR STORE: load DIR's master data into STORE
master() {
	ims-supplier -q --db "$2" "$1/suppliers.csv"
	ims-item -q --db "$2" "$1/items.csv"
	ims-loc -q --db "$2" "$1/locations.csv"
}

# store NAME DIR [FILE...]: in $STORE, a store of DIR's master data and
# FILEs received (--no-sync, one batch each), made once into the cache
store() {
	name=$1 dir=$2
	shift 2
	# shellcheck disable=SC2086
	STORE=$CACHE/store-$name-x$SCALE-$(key $FORMAT "$dir" "$@")
	if [ ! -f "$STORE/.done" ]; then
		rm -rf "$CACHE/store-$name-x$SCALE-"*
		say "making store $name${1:+ from $*}"
		master "$dir" "$STORE"
		for f; do
			IMS_MAPSIZE=$((64 << 30)) ims-receive -q --no-sync \
			    --db "$STORE" "$dir/$f"
		done
		: >"$STORE/.done"
	fi
}

# --- the benchmarks ---------------------------------------------------

say "$(date -u +%Y-%m-%dT%H:%M:%SZ), $NPROC x $CPU, scale $SCALE," \
    "$ROUNDS rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-30s %10s %10s %-8s %6s %6s %-4s %6s %8s\n' benchmark ims \
    baseline vs ratio target met cpu rss

N=$(n 1000000)
NH=$(human "$N")
if want ingest || want move || want one; then
	data main --seed 1 --items "$(n 20000)" --receipts "$N" --moves "$N" \
	    --plan --sql
	D=$DATA
fi

# 2. Ingest: receipts into a fresh store holding the master data.
if want ingest; then
	store master "$D"
	FRESH="rm -rf $W/s; cp -R $STORE $W/s"
	GREW="$EXPECT grew $W/s journal $($EXPECT count "$STORE" journal) $N"
	side ims-ndjson "$FRESH" \
	    "ims-receive -q --db $W/s $D/receipts.ndjson" "$GREW"
	side ims-csv "$FRESH" "ims-receive -q --db $W/s $D/receipts.csv" \
	    "$GREW"
	side floor "$FRESH" "floor $W/s $D/receipts.plan" "$GREW"
	side sqlite3 "rm -f $W/sq.db $W/sq.db-wal $W/sq.db-shm" \
	    "sqlite3 $W/sq.db <$D/receipts.sql" \
	    "$EXPECT rows $W/sq.db journal $N"
	row "ingest $NH ndjson" 2 ims-ndjson floor
	row "ingest $NH ndjson" 0.5 ims-ndjson sqlite3
	row "ingest $NH csv" 2 ims-csv floor
	row "ingest $NH csv" 0.5 ims-csv sqlite3
	measure "$N"
fi

if want one || want move; then
	store receipts "$D" receipts.ndjson
	R=$STORE
fi

# 3. One record per process, against the store of the receipts.
if want one; then
	ONE=$(n 1000)
	sku=$(awk -F, '$17 == "none" { print $1; exit }' "$D/items.csv")
	bin=$(awk -F, 'NR == 2 { print $1 }' "$D/locations.csv")
	mkdir -p "$W/one"
	awk -v n="$ONE" -v sku="$sku" -v bin="$bin" -v d="$W/one" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/%06d.ndjson", d, i)
			printf "{\"sku\":\"%s\",\"qty\":1,\"location\":" \
			    "\"%s\",\"ref\":\"one-%06d\"}\n", sku, bin, i >f
			close(f)
		} }'
	rounds 5
	pair "one record x $(human "$ONE") calls" 1.3 "$ONE" oneput \
	    "rm -rf $W/s; cp -R $R $W/s" \
	    "for f in $W/one/*; do ims-receive -q --db $W/s \$f; done" \
	    "$EXPECT grew $W/s journal $($EXPECT count "$R" journal) $ONE" \
	    "rm -rf $W/s; cp -R $R $W/s" \
	    "for f in $W/one/*; do oneput $W/s \$f; done" \
	    "$EXPECT grew $W/s refs $($EXPECT count "$R" refs) $ONE"
fi

# 4. Reports over a store of SKUS x 50 balances and NL movements, made
# from a data set that is not kept.
if want report; then
	SKUS=$(n 20000)
	NB=$((SKUS * 50))
	NL=$(n 5000000)
	# shellcheck disable=SC2086
	S=$CACHE/store-report-x$SCALE-$(key $FORMAT "$TOP/bench/gen.c" \
	    "$SKUS" "$NL")
	if [ ! -f "$S/.done" ]; then
		rm -rf "$CACHE/store-report-x$SCALE-"*
		say "making store report"
		gen --seed 2 --items "$SKUS" --bins 50 --receipts "$NL" \
		    --moves 0 --lots 0 --serials 0 --orders 0 --counts 0 \
		    --cover --out "$W/rep"
		master "$W/rep" "$S"
		IMS_MAPSIZE=$((64 << 30)) ims-receive -q --no-sync --db "$S" \
		    "$W/rep/receipts.ndjson"
		rm -rf "$W/rep"
		: >"$S/.done"
	fi
	# each report's output is checked by running it once more, untimed
	# the baselines read the whole table, which may hold more than the
	# report prints (the journal's master entries)
	NBT=$($EXPECT count "$S" balances)
	NLT=$($EXPECT count "$S" journal)
	side ims : "ims-report --db $S onhand" "| $EXPECT lines $NB"
	side mdb_dump : "mdb_dump -p -s balances $S" "| $EXPECT dump $NBT"
	side scan : "scan $S balances -k" "| $EXPECT lines $NBT least"
	row "report onhand $(human "$NB") balances" 2 ims mdb_dump
	row "report onhand $(human "$NB") balances" - ims scan
	measure "$NB"
	side ndjson : "ims-report --db $S ledger" "| $EXPECT lines $NL"
	side csv : "ims-report --db $S ledger -o csv" \
	    "| $EXPECT lines $((NL + 1))"
	side mdb_dump : "mdb_dump -p -s journal $S" "| $EXPECT dump $NLT"
	side scan : "scan $S journal" "| $EXPECT lines $NLT least"
	row "report ledger $(human "$NL") movements" 2 ndjson mdb_dump
	row "report ledger $(human "$NL") movements" - ndjson scan
	row "report ledger $(human "$NL") csv" 1.5 csv ndjson
	measure "$NL"
fi

# 6. Counts: counted lines (a tenth of them off the book) recorded and
# applied, count entries and adjustments, beside countfloor doing the
# same LMDB work.
if want count; then
	NC=$(n 100000)
	data count --seed 3 --items "$(n 2000)" --bins 60 \
	    --receipts "$(n 150000)" --moves 0 --serials 0 --orders 0 \
	    --counts "$NC" --cover
	CD=$DATA
	store count "$CD" receipts.ndjson
	NCL=$(wc -l <"$CD/counts.ndjson" | tr -d ' ')
	COUNTED="$EXPECT grew $W/s counts $($EXPECT count "$STORE" counts) $NCL"
	pair "count apply $(human "$NC") lines" 3 "$NCL" countfloor \
	    "rm -rf $W/s; cp -R $STORE $W/s" \
	    "ims-count --apply -q --db $W/s $CD/counts.ndjson" "$COUNTED" \
	    "rm -rf $W/s; cp -R $STORE $W/s" \
	    "countfloor $W/s $CD/counts.ndjson" "$COUNTED"
fi

# 5. Moves: transfers between the balances the receipts left.
if want move; then
	MOVED="$EXPECT grew $W/s journal $($EXPECT count "$R" journal) $N"
	pair "move $NH transfers" 2 "$N" floor \
	    "rm -rf $W/s; cp -R $R $W/s" \
	    "ims-move -q --db $W/s $D/moves.ndjson" "$MOVED" \
	    "rm -rf $W/s; cp -R $R $W/s" "floor $W/s $D/moves.plan" "$MOVED"
fi

# 7. Forecasting, beside R's forecast package (bench/forecast.sh): in a
# full run, or when BENCH_ONLY names it; R takes minutes.
if want forecast && { [ -n "$ONLY" ] || [ "$SCALE" = 1 ]; }; then
	RESULTS=$W/results BENCH_BIN=$BIN BENCH_SCALE=$SCALE \
	    sh "$TOP/bench/forecast.sh" || FAILED=$((FAILED + 1))
fi

# 8. Picking: order lines allocated (FEFO for lots with an expiry, else
# FIFO), each order whole, with the pick list printed; then the orders
# confirmed as allocated (a shipment for each reservation).  The data
# end on 2026-01-01, and so does the clock of both sides: lots that have
# expired by then are never taken.
if want pick; then
	data pick --seed 3 --items "$(n 10000)" --receipts "$(n 100000)" \
	    --moves 0 --orders 0 --counts 0 --days 90 --picks "$(n 100000)"
	P=$DATA
	NP=$(($(wc -l <"$P/picks.csv") - 1))
	store pick "$P" receipts.ndjson
	PS=$STORE
	PNOW=2026-01-01T00:00:00Z
	PT=1767225600
	PJ=$($EXPECT count "$PS" journal)
	# the floor once, untimed, says how many reservations serve the
	# lines: ims must make as many, and ship as many
	rm -rf "$W/s"
	cp -R "$PS" "$W/s"
	NRES=$(pickfloor "$W/s" "$P/picks.plan" "$PT") || NRES=0
	say "pick: $NP lines, $NRES reservations by the floor"
	CHECKED="ims-check -q --db $W/s"
	RESERVED="$EXPECT grew $W/s journal $PJ $((NP + NRES))
$EXPECT grew $W/s reserves 0 $NRES"
	FRESH="rm -rf $W/s; cp -R $PS $W/s"
	# the floor first, so that ims's store of the last round is left
	# for the confirmations
	side pickfloor "$FRESH" "pickfloor $W/s $P/picks.plan $PT" \
	    "$RESERVED"
	side ims "$FRESH" "IMS_NOW=$PNOW ims-pick --db $W/s $P/picks.csv" \
	    "$CHECKED
$RESERVED"
	row "pick $(human "$NP") lines" 3 ims pickfloor
	measure "$NP"
	rm -rf "$W/alloc"
	mv "$W/s" "$W/alloc"
	FRESH="rm -rf $W/s; cp -R $W/alloc $W/s"
	SHIPPED="$EXPECT grew $W/s journal $((PJ + NP + NRES)) $NRES
$EXPECT grew $W/s reserves 0 0"
	side pickfloor "$FRESH" "pickfloor -c $W/s $P/picks.plan $PT" \
	    "$SHIPPED"
	side ims "$FRESH" "IMS_NOW=$PNOW ims-pick -q --confirm --db $W/s \
$P/picks-orders.csv" "$CHECKED
$SHIPPED"
	row "pick confirm $(human "$NP") lines" 3 ims pickfloor
	measure "$NP"
	rm -rf "$W/alloc"
fi

# 9. Classes: abc over a store of SKUS x 50 balances and NL movements
# (receipts, then transfers and shipments to @customer), beside a raw
# scan of the journal it reads.
if want classes; then
	SKUS=$(n 20000)
	NL=$(n 5000000)
	# shellcheck disable=SC2086
	S=$CACHE/store-classes-x$SCALE-$(key $FORMAT "$TOP/bench/gen.c" \
	    "$SKUS" "$NL")
	if [ ! -f "$S/.done" ]; then
		rm -rf "$CACHE/store-classes-x$SCALE-"*
		say "making store classes"
		gen --seed 3 --items "$SKUS" --bins 50 --receipts $((NL / 2)) \
		    --moves $((NL - NL / 2)) --lots 0 --serials 0 --orders 0 \
		    --counts 0 --cover --out "$W/cls"
		master "$W/cls" "$S"
		IMS_MAPSIZE=$((64 << 30)) ims-receive -q --no-sync --db "$S" \
		    "$W/cls/receipts.ndjson"
		IMS_MAPSIZE=$((64 << 30)) ims-move -q --no-sync --db "$S" \
		    "$W/cls/moves.ndjson"
		rm -rf "$W/cls"
		: >"$S/.done"
	fi
	NLT=$($EXPECT count "$S" journal)
	side abc : "ims-report --db $S abc" "| $EXPECT lines $SKUS"
	side scan : "scan $S journal" "| $EXPECT lines $NLT least"
	row "report abc $(human "$NL") movements" 2 abc scan
	measure "$NL"
fi

# 10. Valuation and aging over SKUS x 50 balances and NV movements
# (receipts, then transfers and shipments between the balances they
# left), beside a raw scan of the same journal; valuation --as-of the
# moment of the middle entry, beside a second of sleep (target: under a
# second).  The store is made once, from a data set that is not kept.
if want valuation; then
	SKUS=$(n 20000)
	NV=$(n 5000000)
	NM=$(n 1000000)
	# shellcheck disable=SC2086
	S=$CACHE/store-valuation-x$SCALE-$(key $FORMAT "$TOP/bench/gen.c" \
	    "$SKUS" "$NV" "$NM")
	if [ ! -f "$S/.done" ]; then
		rm -rf "$CACHE/store-valuation-x$SCALE-"*
		say "making store valuation"
		gen --seed 3 --items "$SKUS" --bins 50 \
		    --receipts $((NV - NM)) --moves "$NM" --lots 0 \
		    --serials 0 --orders 0 --counts 0 --cover --out "$W/val"
		master "$W/val" "$S"
		IMS_MAPSIZE=$((64 << 30)) ims-receive -q --no-sync --db "$S" \
		    "$W/val/receipts.ndjson"
		IMS_MAPSIZE=$((64 << 30)) ims-move -q --no-sync --db "$S" \
		    "$W/val/moves.ndjson"
		ims-report --db "$S" ledger | sed -n "$((NV / 2))p" |
		    sed 's/.*"ts":"\([^"]*\)".*/\1/' >"$S/mid"
		rm -rf "$W/val"
		: >"$S/.done"
	fi
	# the skus with stock at the end, each an aging line at least
	[ -f "$S/stocked" ] || ims-report --db "$S" onhand --group-by sku |
	    wc -l | tr -d ' ' >"$S/stocked"
	NVT=$($EXPECT count "$S" journal)
	MID=$(cat "$S/mid")
	# the checkpoints, as the nightly job writes them the first time
	# (dropped before each round): the reports below start from them
	side checkpoint "IMS_MAPSIZE=$((64 << 30)) ims-checkpoint -q --drop \
	    --db $S" "IMS_MAPSIZE=$((64 << 30)) ims-checkpoint -q --db $S" ":"
	side scan : "scan $S journal" "| $EXPECT lines $NVT least"
	row "ims-checkpoint $(human "$NV") movements" - checkpoint scan
	measure "$NV"
	side valuation : "ims-report --db $S valuation" \
	    "| $EXPECT lines $SKUS"
	side aging : "ims-report --db $S aging" \
	    "| $EXPECT lines $(cat "$S/stocked") least"
	side scan : "scan $S journal" "| $EXPECT lines $NVT least"
	row "valuation $(human "$NV") movements" 2 valuation scan
	row "aging $(human "$NV") movements" 2 aging scan
	measure "$NV"
	side as-of : "ims-report --db $S valuation --as-of $MID" \
	    "| $EXPECT lines 1 least"
	side second : "sleep 1" :
	row "valuation --as-of mid-history" 1 as-of second
	measure "$NV"
	# a receipt backdated to the middle, after the checkpoints: its
	# sku replayed from its own history, the rest from them
	SKU1=$(ims-report --db "$S" valuation | sed -n '1s/^{"sku":"\([^"]*\)".*/\1/p')
	printf '{"sku":"%s","qty":1,"location":"%s","unit_cost":1,"ts":"%s","ref":"bench-late-%s"}\n' \
	    "$SKU1" "$(ims-report --db "$S" onhand --sku "$SKU1" |
	    sed -n '1s/.*"location":"\([^"]*\)".*/\1/p')" "$MID" \
	    "$(date +%s)" | IMS_MAPSIZE=$((64 << 30)) ims-receive -q --db "$S"
	side stale : "ims-report --db $S valuation" "| $EXPECT lines $SKUS"
	side scan : "scan $S journal" "| $EXPECT lines $NVT least"
	row "valuation, a sku backdated" 2 stale scan
	measure "$NV"
fi

# 11. The nightly job (share/nightly.sh, bench/nightly.sh) on a store of
# SKUS items with suppliers, lead times and costs, a year of receipts and
# moves (shipments among them), open orders allocated (the shortages
# left as backorders) and open POs, beside R's ets() on the same series.
if want nightly; then
	# at least 1,000 items, so that a tiny scale has some to order
	SKUS=$(n 100000)
	[ "$SKUS" -ge 1000 ] || SKUS=1000
	data nightly --seed 4 --items "$SKUS" --receipts "$(n 1000000)" \
	    --moves "$(n 1000000)" --days 365 --interleave \
	    --orders "$(n 20000)" --counts 0 --pos "$(n 20000)"
	G=$DATA
	# shellcheck disable=SC2086
	S=$CACHE/store-nightly-x$SCALE-$(key $FORMAT "$G")
	if [ ! -f "$S/.done" ]; then
		rm -rf "$CACHE/store-nightly-x$SCALE-"*
		say "making store nightly"
		master "$G" "$S"
		ims-po -q --db "$S" "$G/pos.ndjson"
		IMS_MAPSIZE=$((64 << 30)) ims-receive -q --no-sync --db "$S" \
		    "$G/receipts.ndjson"
		IMS_MAPSIZE=$((64 << 30)) ims-move -q --no-sync --db "$S" \
		    "$G/moves.ndjson"
		# a shortage leaves a backorder and exit status 1
		IMS_NOW=2026-01-01T00:00:00Z ims-pick -q --no-sync --db "$S" \
		    "$G/orders.ndjson" || [ $? -eq 1 ]
		: >"$S/.done"
	fi
	RESULTS=$W/results BENCH_BIN=$BIN BENCH_SCALE=$SCALE \
	    BENCH_ROUNDS=$ROUNDS sh "$TOP/bench/nightly.sh" "$S" "$G" \
	    "$SKUS" || FAILED=$((FAILED + 1))
fi

mv "$W/results" "$RESULTS"
say "results in $RESULTS"
if [ "$FAILED" -gt 0 ]; then
	say "$FAILED benchmarks failed: they measured nothing"
	exit 1
fi
