#!/bin/sh
# bench/run.sh: ims beside its baselines, in the same run, alternating,
# because these machines are shared and noisy.  Prints a table and writes
# bench/results.ndjson.  A benchmark is a few lines at the end: a setup
# and a command for each side, handed to `pair`.
#
# usage: sh bench/run.sh [ROUNDS]   (IMS_BIN names the built commands)
set -eu
: "${IMS_BIN:?run through make bench}"
ROUNDS=${1:-${BENCH_ROUNDS:-3}}
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/bench/out
W=$(mktemp -d "${TMPDIR:-/tmp}/ims-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
PATH=$IMS_BIN:$OUT:$PATH
export PATH
unset IMS_MAPSIZE IMS_NOW
RESULTS=$TOP/bench/results.ndjson
: >"$RESULTS.tmp"
printf '%-28s %10s %10s %8s %8s %s\n' benchmark ims baseline ratio target met

# run SETUP CMD: fresh state by SETUP, then CMD timed; prints "secs kib"
run() {
	sh -c "$1" >/dev/null 2>&1
	sh -c "timeit sh -c '$2' >/dev/null 2>$W/time; tail -n 1 $W/time" |
	    awk '{ print $2, $3 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# pair NAME TARGET IMS_SETUP IMS_CMD BASE_SETUP BASE_CMD [UNIT COUNT]
# TARGET is the largest ims/baseline time ratio that meets the goal.
pair() {
	name=$1 target=$2
	: >"$W/a"
	: >"$W/b"
	: >"$W/rss"
	i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		run "$3" "$4" | tee -a "$W/rss" | awk '{ print $1 }' >>"$W/a"
		run "$5" "$6" | awk '{ print $1 }' >>"$W/b"
		i=$((i + 1))
	done
	a=$(median <"$W/a")
	b=$(median <"$W/b")
	rss=$(awk '$2 > m { m = $2 } END { print m }' "$W/rss")
	awk -v n="$name" -v a="$a" -v b="$b" -v t="$target" -v rss="$rss" \
	    -v count="${7:-0}" 'BEGIN {
		r = a / b; met = r <= t ? "yes" : "no"
		printf "%-28s %9.3fs %9.3fs %8.2f %8.2f %s\n", n, a, b, r, t, met
		printf "{\"benchmark\":\"%s\",\"ims_s\":%.4f,\"baseline_s\":%.4f,\"ratio\":%.3f,\"target\":%.2f,\"met\":%s,\"ims_peak_rss_kib\":%d,\"records\":%d,\"ims_records_per_s\":%.0f}\n", n, a, b, r, t, met == "yes" ? "true" : "false", rss, count, count ? count / a : 0 > "/dev/stderr"
	}' 2>>"$RESULTS.tmp"
}

# The data: items, locations, and N receipts over them.
gen() { # gen N
	awk -v n="$1" 'BEGIN {
		print "sku,name" > "items.csv"
		for (i = 0; i < 1000; i++) printf "SKU-%06d,item %d\n", i, i > "items.csv"
		print "code" > "locs.csv"
		for (i = 0; i < 50; i++) printf "WH1/A/%02d\n", i > "locs.csv"
		for (i = 1; i <= n; i++)
			printf "{\"sku\":\"SKU-%06d\",\"qty\":%d,\"location\":\"WH1/A/%02d\",\"unit_cost\":1.25,\"ref\":\"asn-%d\",\"ts\":\"2026-11-01T10:00:00Z\"}\n", i % 1000, 1 + i % 7, i % 50, i
	}' > receipts.ndjson
}

cd "$W"
N=${BENCH_N:-100000}
gen "$N"
MASTER="rm -rf $W/db; ims-item -q --db $W/db items.csv; ims-loc -q --db $W/db locs.csv"

pair "ingest ${N} ndjson" 2 "$MASTER" \
    "ims-receive -q --db $W/db receipts.ndjson" \
    "rm -rf $W/floor" "floor $W/floor $N" "$N"

mv "$RESULTS.tmp" "$RESULTS"
